/* autoencoder.c — training, encoding, saving and loading the X autoencoder (its cache: run/ae_cache.c). */
#include "nn/autoencoder.h"
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <zlib.h>
#ifdef _OPENMP
#include <omp.h>
#endif
#include "nn/optim.h"
#include "nn/sparse.h"
#include "util/atomic_file.h"
#include "util/checked_file.h"
#include "util/rng.h"

#define AE_MAGIC "GRKAENC\x1a"
#define AE_VERSION 1u
enum { AE_LAYERS = 4 };

static int ae_create(autoencoder *ae, int d, int hidden, int latent) {
    int dims[AE_LAYERS + 1] = {d, hidden, latent, hidden, d};
    activation acts[AE_LAYERS] = {ACT_RELU, ACT_SIGMOID, ACT_RELU, ACT_IDENTITY};
    ae->latent = latent;
    return mlp_create_dims(&ae->net, AE_LAYERS, dims, acts, 1);
}

/* weights and biases of in -> hidden -> latent -> hidden -> in */
static uint64_t ae_param_count(uint64_t d, uint64_t hidden, uint64_t latent) {
    return 2 * d * hidden + 2 * hidden * latent + 2 * hidden + latent + d;
}

void ae_free(autoencoder *ae) { mlp_free(&ae->net); }

static int ae_train_serial(autoencoder *ae, const float *x, int n, int d, const ae_options *o, double *final_loss,
                           gi_err *e);

/* dout = d(mean |out - x|)/d(out) over rows x d entries; returns the sum of |out - x|. */
static double l1_loss_grad(const float *out, const float *x, size_t n, float *dout) {
    double sum = 0.0;
    float scale = 1.0f / (float)n;
    for (size_t i = 0; i < n; i++) {
        float r = out[i] - x[i];
        sum += fabsf(r);
        if (dout) dout[i] = r > 0 ? scale : (r < 0 ? -scale : 0.0f);
    }
    return sum;
}

/* Trained on one thread (see forward_chunks): the same weights whatever train.threads is. */
int ae_train(autoencoder *ae, const float *x, int n, int d, const ae_options *o, double *final_loss, gi_err *e) {
#ifdef _OPENMP
    int threads = omp_get_max_threads();
    omp_set_num_threads(1);
    int rc = ae_train_serial(ae, x, n, d, o, final_loss, e);
    omp_set_num_threads(threads);
    return rc;
#else
    return ae_train_serial(ae, x, n, d, o, final_loss, e);
#endif
}

static int ae_train_serial(autoencoder *ae, const float *x, int n, int d, const ae_options *o, double *final_loss,
                           gi_err *e) {
    if (n < 2 || o->batch < 1 || o->epochs < 1 || o->hidden < 1 || o->latent < 1)
        return gi_fail(e, "autoencoder: need n >= 2 (got %d), batch, epochs, widths >= 1", n);
    if (ae_create(ae, d, o->hidden, o->latent)) return gi_fail(e, "autoencoder: cannot allocate %d-%d-%d", d, o->hidden, o->latent);
    rng_t r;
    rng_seed(&r, noise_key(o->seed, STREAM_AE_INIT, 0, 0));
    mlp_init_torch(&ae->net, &r, 1.0f);
    rng_seed(&r, noise_key(o->seed, STREAM_AE_SHUFFLE, 0, 0));
    sparse_rows sp;
    sparse_from_dense(x, n, d, &sp);
    int batch = o->batch < n ? o->batch : n;
    mlp_acts acts;
    mlp_acts_create(&acts, &ae->net, batch);
    optim opt;
    optim_create(&opt, OPT_ADAMW, ae->net.n_params, o->lr, 0.0, 0.9, 0.999, 1e-8, 0.0);
    int *perm = gi_malloc((size_t)n * sizeof(int));
    float *target = gi_malloc((size_t)batch * d * sizeof(float));
    for (int i = 0; i < n; i++) perm[i] = i;
    double epoch_loss = 0.0;
    int64_t step = 0;
    for (int ep = 0; ep < o->epochs; ep++) {
        rng_shuffle_int(&r, perm, n);
        epoch_loss = 0.0;
        for (int pos = 0; pos < n; pos += batch) {
            int rows = n - pos < batch ? n - pos : batch;
            for (int i = 0; i < rows; i++) memcpy(target + (size_t)i * d, x + (size_t)perm[pos + i] * d, (size_t)d * sizeof(float));
            mlp_input in = {.rows = rows, .sparse = &sp, .idx = perm + pos};
            /* noise on the code (layer 1) only */
            mlp_noise noise = {o->latent_noise, noise_key(o->seed, STREAM_AE_NOISE, (uint64_t)step, 0), 0, ~(1u << 1)};
            mlp_forward(&ae->net, &in, &noise, &acts);
            epoch_loss += l1_loss_grad(acts.a[AE_LAYERS - 1], target, (size_t)rows * d, acts.dlogits);
            memset(ae->net.grads, 0, ae->net.n_params * sizeof(float));
            mlp_backward(&ae->net, &in, &acts);
            optim_step(&opt, ae->net.params, ae->net.grads);
            step++;
        }
        epoch_loss /= (double)n * d;
        if (!isfinite(epoch_loss)) break;
    }
    free(perm); free(target);
    optim_free(&opt);
    mlp_acts_free(&acts);
    sparse_free(&sp);
    if (!isfinite(epoch_loss)) { ae_free(ae); return gi_fail(e, "autoencoder: the training loss diverged (%g)", epoch_loss); }
    if (final_loss) *final_loss = epoch_loss;
    return 0;
}

/* Noise-free forward in chunks of fixed size, one chunk per thread, each on that thread alone;
 * calls back with each chunk's activations, in chunk order. The mlp splits rows between threads,
 * and OpenBLAS picks its kernels by matrix size (small products take another path), so an
 * autoencoder's thin layers would give other bits on another thread count: fixed chunks make the
 * codes independent of it. */
typedef void (*chunk_fn)(const mlp_acts *acts, const float *x, int r0, int rows, int d, void *ctx);
static void forward_chunks(const autoencoder *ae, const float *x, int n, chunk_fn fn, void *ctx) {
    enum { CHUNK = 512 };
    int d = ae->net.dims[0];
    #pragma omp parallel for schedule(static, 1) ordered
    for (int r0 = 0; r0 < n; r0 += CHUNK) {
        int rows = n - r0 < CHUNK ? n - r0 : CHUNK;
        mlp_acts acts;
        mlp_acts_create(&acts, &ae->net, rows);
        mlp_input in = {.rows = rows, .dense = x + (size_t)r0 * d};
        mlp_forward(&ae->net, &in, NULL, &acts); /* nested: runs on this thread */
        #pragma omp ordered
        fn(&acts, x, r0, rows, d, ctx);
        mlp_acts_free(&acts);
    }
}

typedef struct { double *out; int latent; double l1; } encode_ctx;

static void keep_code(const mlp_acts *acts, const float *x, int r0, int rows, int d, void *ctx) {
    encode_ctx *c = ctx;
    for (size_t i = 0; i < (size_t)rows * c->latent; i++) c->out[(size_t)r0 * c->latent + i] = acts->a[1][i];
}

static void add_l1(const mlp_acts *acts, const float *x, int r0, int rows, int d, void *ctx) {
    encode_ctx *c = ctx;
    c->l1 += l1_loss_grad(acts->a[AE_LAYERS - 1], x + (size_t)r0 * d, (size_t)rows * d, NULL);
}

void ae_encode(const autoencoder *ae, const float *x, int n, double *out) {
    encode_ctx c = {out, ae->latent, 0.0};
    forward_chunks(ae, x, n, keep_code, &c);
}

double ae_reconstruction_l1(const autoencoder *ae, const float *x, int n) {
    encode_ctx c = {NULL, ae->latent, 0.0};
    forward_chunks(ae, x, n, add_l1, &c);
    return c.l1 / ((double)n * ae->net.dims[0]);
}

typedef struct {
    char magic[8];
    uint32_t version, d, hidden, latent;
    uint64_t n_params;
} ae_header;

int ae_save(const autoencoder *ae, const char *path, gi_err *e) {
    ae_header h;
    memset(&h, 0, sizeof h);
    memcpy(h.magic, AE_MAGIC, 8);
    h.version = AE_VERSION;
    h.d = (uint32_t)ae->net.dims[0];
    h.hidden = (uint32_t)ae->net.dims[1];
    h.latent = (uint32_t)ae->latent;
    h.n_params = ae->net.n_params;
    size_t np = ae->net.n_params * sizeof(float), n = sizeof h + np + 4;
    uint8_t *b = gi_malloc(n);
    memcpy(b, &h, sizeof h);
    memcpy(b + sizeof h, ae->net.params, np);
    uint32_t crc = (uint32_t)crc32(0L, b, (uInt)(n - 4));
    memcpy(b + n - 4, &crc, 4);
    int rc = atomic_write(path, b, n, e);
    free(b);
    return rc;
}

int ae_load(autoencoder *ae, const char *path, gi_err *e) {
    ae_header h;
    size_t n;
    uint8_t *b = checked_file_read(path, AE_MAGIC, AE_VERSION, "autoencoder file", sizeof h, &n, e);
    if (!b) return -1;
    memcpy(&h, b, sizeof h);
    int rc = -1;
    if (h.d < 1 || h.hidden < 1 || h.latent < 1 || h.d > 1u << 20 || h.hidden > 1u << 16 || h.latent > 1u << 10)
        gi_fail(e, "%s: bad autoencoder shape %u-%u-%u", path, h.d, h.hidden, h.latent);
    else if (h.n_params != ae_param_count(h.d, h.hidden, h.latent) || n != sizeof h + h.n_params * sizeof(float) + 4)
        gi_fail(e, "%s: autoencoder size does not match its shape", path); /* checked before allocating */
    else if (ae_create(ae, (int)h.d, (int)h.hidden, (int)h.latent))
        gi_fail(e, "%s: cannot allocate an autoencoder %u-%u-%u", path, h.d, h.hidden, h.latent);
    else if (ae->net.n_params != h.n_params) {
        ae_free(ae);
        gi_fail(e, "%s: autoencoder size does not match its shape", path);
    } else {
        memcpy(ae->net.params, b + sizeof h, ae->net.n_params * sizeof(float));
        rc = 0;
    }
    free(b);
    return rc;
}
