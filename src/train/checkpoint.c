/* checkpoint.c — binary checkpoints: a header (magic, version, kind, shapes, step), the
 * payload, and a CRC-32 of everything before it, written atomically.
 * full:   params | adam m | adam v | t | shuffle rng | perm | pos
 * params: params */
#include <stdlib.h>
#include <string.h>
#include <zlib.h>
#include "train/trainer.h"
#include "util/atomic_file.h"
#include "util/checked_file.h"

#define CKPT_MAGIC "GRKINFO\x1a"
#define CKPT_VERSION 1u
enum { CKPT_FULL = 1, CKPT_PARAMS = 2 };

typedef struct {
    char magic[8];
    uint32_t version, kind;
    int64_t step;
    uint64_t n_params;
    uint32_t n_layers, dims[MLP_MAX_LAYERS + 1];
    uint32_t output_bias, n_perm;
    int64_t pos, opt_t;
    uint64_t rng[4];
} ckpt_header;

typedef struct { uint8_t *p; size_t n, cap; } buf;
static void put(buf *b, const void *src, size_t n) {
    if (b->n + n > b->cap) {
        b->cap = (b->n + n) * 2;
        b->p = gi_realloc(b->p, b->cap);
    }
    memcpy(b->p + b->n, src, n);
    b->n += n;
}

int trainer_save(const trainer *t, const char *path, int full, gi_err *e) {
    const mlp *m = &t->model;
    ckpt_header h;
    memset(&h, 0, sizeof h);
    memcpy(h.magic, CKPT_MAGIC, 8);
    h.version = CKPT_VERSION;
    h.kind = full ? CKPT_FULL : CKPT_PARAMS;
    h.step = t->step;
    h.n_params = m->n_params;
    h.n_layers = (uint32_t)m->n_layers;
    for (int l = 0; l <= m->n_layers; l++) h.dims[l] = (uint32_t)m->dims[l];
    h.output_bias = (uint32_t)m->output_bias;
    h.n_perm = (uint32_t)t->sets[SUBSET_TRAIN].n;
    h.pos = t->pos;
    h.opt_t = t->opt.t;
    memcpy(h.rng, t->shuffle_rng.s, sizeof h.rng);
    buf b = {0};
    put(&b, &h, sizeof h);
    put(&b, m->params, m->n_params * sizeof(float));
    if (full) {
        put(&b, t->opt.m, m->n_params * sizeof(float));
        put(&b, t->opt.v, m->n_params * sizeof(float));
        put(&b, t->perm, (size_t)h.n_perm * sizeof(int));
    }
    uint32_t crc = (uint32_t)crc32(0L, b.p, (uInt)b.n);
    put(&b, &crc, sizeof crc);
    int rc = atomic_write(path, b.p, b.n, e);
    free(b.p);
    return rc;
}

/* Reads and verifies a checkpoint file; returns its bytes (caller frees). */
static uint8_t *read_verified(const char *path, size_t *n_out, ckpt_header *h, gi_err *e) {
    size_t n;
    uint8_t *p = checked_file_read(path, CKPT_MAGIC, CKPT_VERSION, "checkpoint", sizeof *h, &n, e);
    if (!p) return NULL;
    memcpy(h, p, sizeof *h);
    size_t need = sizeof *h + h->n_params * sizeof(float) * (h->kind == CKPT_FULL ? 3 : 1) +
                  (h->kind == CKPT_FULL ? (size_t)h->n_perm * sizeof(int) : 0) + 4;
    if (n != need) { free(p); gi_fail(e, "%s: checkpoint size %zu, expected %zu", path, n, need); return NULL; }
    *n_out = n;
    return p;
}

static int check_shape(const char *path, const ckpt_header *h, const mlp *m, gi_err *e) {
    int ok = h->n_params == m->n_params && (int)h->n_layers == m->n_layers && (int)h->output_bias == m->output_bias;
    for (int l = 0; ok && l <= m->n_layers; l++) ok = (int)h->dims[l] == m->dims[l];
    if (!ok) return gi_fail(e, "%s: checkpoint is for a different network (%u layers, %llu parameters; expected %d, %zu)",
                            path, h->n_layers, (unsigned long long)h->n_params, m->n_layers, m->n_params);
    return 0;
}

int trainer_load(trainer *t, const char *path, gi_err *e) {
    ckpt_header h;
    size_t n;
    uint8_t *p = read_verified(path, &n, &h, e);
    if (!p) return -1;
    mlp *m = &t->model;
    if (h.kind != CKPT_FULL) { free(p); return gi_fail(e, "%s: a parameters-only checkpoint cannot be resumed", path); }
    if (check_shape(path, &h, m, e)) { free(p); return -1; }
    if ((int)h.n_perm != t->sets[SUBSET_TRAIN].n || h.pos < 0 || h.pos > h.n_perm) {
        free(p);
        return gi_fail(e, "%s: checkpoint has %u training points, the run has %d", path, h.n_perm, t->sets[SUBSET_TRAIN].n);
    }
    const uint8_t *q = p + sizeof h;
    size_t np = m->n_params * sizeof(float);
    memcpy(m->params, q, np); q += np;
    memcpy(t->opt.m, q, np); q += np;
    memcpy(t->opt.v, q, np); q += np;
    memcpy(t->perm, q, (size_t)h.n_perm * sizeof(int));
    for (uint32_t i = 0; i < h.n_perm; i++)
        if (t->perm[i] < 0 || t->perm[i] >= (int)h.n_perm) { free(p); return gi_fail(e, "%s: corrupt batch permutation", path); }
    t->step = h.step;
    t->pos = (int)h.pos;
    t->opt.t = h.opt_t;
    memcpy(t->shuffle_rng.s, h.rng, sizeof h.rng);
    free(p);
    return 0;
}

int checkpoint_load_params(const char *path, mlp *m, int64_t *step, gi_err *e) {
    ckpt_header h;
    size_t n;
    uint8_t *p = read_verified(path, &n, &h, e);
    if (!p) return -1;
    if (check_shape(path, &h, m, e)) { free(p); return -1; }
    memcpy(m->params, p + sizeof h, m->n_params * sizeof(float));
    if (step) *step = h.step;
    free(p);
    return 0;
}
