/* plane.c — the information plane of a training run. */
#include "run/plane.h"
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include "run/ae_cache.h"
#include "measure/compress.h"
#include "measure/flags.h"
#include "util/clock.h"
#include "util/rng.h"

int plane_options(const gi_config *c, infoplane_options *o, gi_err *e) {
    memset(o, 0, sizeof *o);
    const char *name = c->mi.estimator;
    if (strcmp(name, "auto") == 0) name = strcmp(c->mi.method, "KDE") == 0 ? "kde" : "wkl";
    if (estimator_from_name(name, &o->est.kind)) { /* (config_set refuses these first; a struct set by hand) */
        char list[128];
        return gi_fail(e, "mi.estimator: '%s' is not one of auto, %s", name,
                       estimator_names(list, sizeof list, ", ", NULL, NULL));
    }
    if (!estimator_on_arrays(estimator_get(o->est.kind)))
        return gi_fail(e, "mi.estimator: '%s' works on whole layers, not on the plane's compressed ones: use "
                          "mi.noise_model=true for it (mi_noise.csv)", name);
    o->est.k = c->mi.k > 0 ? c->mi.k : c->mi.k_neighbours;
    /* rescale (true by default, as the seed) whitens where the estimator's row allows it */
    o->est.rescale = c->mi.rescale && estimator_get(o->est.kind)->rescale_allowed;
    o->est.standardize = c->mi.standardize && estimator_get(o->est.kind)->standardize_allowed;
    const char *comp = c->mi.compression;
    o->compression = strcmp(comp, "first_coords") == 0 ? LAYER_FIRST_COORDS
                   : strcmp(comp, "smi") == 0          ? LAYER_SLICED
                                                       : LAYER_PCA; /* pca, autoencoder(s) */
    o->dim = c->ae.L_latent_dim;
    o->whiten = c->mi.pca_whiten;
    o->n_projections = c->mi.n_projections;
    return 0;
}

void plane_cache_dir(const char *data_dir, char *out, size_t n) {
    snprintf(out, n, "%s", data_dir);
    char *slash = strrchr(out, '/');
    if (slash && slash != out) *slash = '\0';
    else snprintf(out, n, ".");
}

/* FNV-1a of the settings that decide the autoencoder (not the whole config: every run of a
 * sweep shares it). */
static uint64_t ae_hash(const gi_config *c) {
    char text[2 * CFG_PATH];
    int n = snprintf(text, sizeof text, "v2|%s|%s|%.17g|%.17g|%d|%d|%d|%d|%.17g|%.17g", c->data.name, c->data.path,
                     c->data.normalize_mean, c->data.normalize_std, c->ae.L_latent_dim, c->ae.hidden, c->ae.epochs,
                     c->ae.batch_size, c->ae.lr, c->ae.latent_noise);
    uint64_t h = 14695981039346656037ULL;
    for (int i = 0; i < n && i < (int)sizeof text; i++) h = (h ^ (unsigned char)text[i]) * 1099511628211ULL;
    return h;
}

static double *to_double(const float *x, size_t n) {
    double *d = gi_malloc(n * sizeof(double));
    for (size_t i = 0; i < n; i++) d[i] = x[i];
    return d;
}

/* mi.eval_points rows of n drawn with the seed, ascending */
int *plane_draw_rows(uint64_t seed, int n, int k) {
    int *all = gi_malloc((size_t)n * sizeof(int));
    for (int i = 0; i < n; i++) all[i] = i;
    rng_t r;
    rng_seed(&r, noise_key(seed, STREAM_PLANE_ROWS, 0, 0));
    rng_shuffle_int(&r, all, n);
    char *pick = gi_calloc((size_t)n, 1);
    for (int i = 0; i < k; i++) pick[all[i]] = 1;
    for (int i = 0, j = 0; i < n; i++)
        if (pick[i]) all[j++] = i;
    free(pick);
    return all;
}

static void gather_floats(const float *src, int cols, const int *rows, int n, float *dst) {
    for (int i = 0; i < n; i++) memcpy(dst + (size_t)i * cols, src + (size_t)rows[i] * cols, (size_t)cols * sizeof(float));
}

/* the rows of a subset the plane measures: all of them, or mi.eval_points of the evaluation set */
static dataset measured_rows(const plane *p, const dataset *set, int s) {
    if (!p->rows[s]) return *set;
    dataset d = *set;
    d.n = p->n_rows[s];
    d.x = gi_malloc((size_t)d.n * d.dim * sizeof(float));
    d.y = gi_malloc((size_t)d.n);
    gather_floats(set->x, set->dim, p->rows[s], d.n, d.x);
    for (int i = 0; i < d.n; i++) d.y[i] = set->y[p->rows[s][i]];
    return d;
}

int plane_create(plane *p, trainer *t, const infoplane_options *o, const char *cache_dir, const gi_sink *log, gi_err *e) {
    memset(p, 0, sizeof *p);
    p->log = log;
    const gi_config *c = &t->cfg;
    if (o) p->opt = *o;
    else if (plane_options(c, &p->opt, e)) return -1;
    double t0 = now_s();
    int n_eval = t->sets[SUBSET_EVAL].n, k_eval = c->mi.eval_points;
    if (k_eval > n_eval)
        return gi_fail(e, "mi.eval_points: %d, but the evaluation set has %d rows (0 = all of them)", k_eval, n_eval);
    if (k_eval > 0 && k_eval < n_eval) {
        p->rows[SUBSET_EVAL] = plane_draw_rows((uint64_t)c->seed, n_eval, k_eval);
        p->n_rows[SUBSET_EVAL] = k_eval;
    }
    dataset sets[2];
    for (int s = 0; s < 2; s++) sets[s] = measured_rows(p, &t->sets[s], s);
    int d = sets[0].dim, dx = p->opt.dim;
    double *codes[2] = {NULL, NULL};
    int rc = 0;
    if (p->opt.compression == LAYER_SLICED) {
        dx = d;
        for (int s = 0; s < 2; s++) codes[s] = to_double(sets[s].x, (size_t)sets[s].n * d);
    } else if (strcmp(c->mi.x_compression, "autoencoder") == 0) {
        /* trained on every image the run has (for the embedded digits: all of them), whatever
         * mi.eval_points is: runs that differ only in it share the cache */
        const dataset *whole = t->sets;
        int n_all = whole[0].n + whole[1].n;
        float *all = gi_malloc((size_t)n_all * d * sizeof(float));
        memcpy(all, whole[0].x, (size_t)whole[0].n * d * sizeof(float));
        memcpy(all + (size_t)whole[0].n * d, whole[1].x, (size_t)whole[1].n * d * sizeof(float));
        char name[CFG_PATH + 64];
        snprintf(name, sizeof name, "ae-%s-%lld-%016llx.bin", c->data.name, (long long)c->seed, (unsigned long long)ae_hash(c));
        rc = path_join(p->ae_path, sizeof p->ae_path, cache_dir, name, e);
        ae_options ao = {c->ae.hidden, c->ae.L_latent_dim, c->ae.epochs, c->ae.batch_size, c->ae.lr,
                         (float)c->ae.latent_noise, (uint64_t)c->seed};
        autoencoder ae = {0};
        if (!rc) rc = ae_cached(&ae, p->ae_path, all, n_all, d, &ao, &p->ae_trained, log, e);
        free(all);
        for (int s = 0; s < 2 && !rc; s++) {
            codes[s] = gi_malloc((size_t)sets[s].n * dx * sizeof(double));
            ae_encode(&ae, sets[s].x, sets[s].n, codes[s]);
        }
        if (!rc) ae_free(&ae);
    } else { /* whitened PCA of the images, fitted on each subset */
        for (int s = 0; s < 2 && !rc; s++) {
            double *raw = to_double(sets[s].x, (size_t)sets[s].n * d);
            codes[s] = gi_malloc((size_t)sets[s].n * dx * sizeof(double));
            rc = pca_compress(raw, sets[s].n, d, dx, 1, codes[s], e);
            free(raw);
        }
    }
    for (int s = 0; s < 2 && !rc; s++)
        rc = infoplane_subset_create(&p->sub[s], &p->opt, codes[s], dx, sets[s].y, sets[s].n,
                                     noise_key((uint64_t)c->seed, STREAM_PLANE, (uint64_t)s, 0), e);
    for (int s = 0; s < 2 && !rc; s++) label_stats_of(p->sub[s].labels, p->sub[s].n, &p->labels[s]);
    free(codes[0]); free(codes[1]);
    for (int s = 0; s < 2; s++)
        if (p->rows[s]) { free(sets[s].x); free(sets[s].y); }
    if (rc) { plane_free(p, t); return -1; }
    const mlp *m = &t->model;
    int widest = 0;
    for (int s = 0; s < 2; s++)
        for (int l = 0; l < m->n_layers; l++) {
            /* a second plane on the same run (the cross-check) reads the first one's captures */
            if (!t->capture[s][l]) t->capture[s][l] = p->own[s][l] = gi_malloc((size_t)t->sets[s].n * m->dims[l + 1] * sizeof(float));
            p->layer_out[s][l] = t->capture[s][l];
            if (m->dims[l + 1] > widest) widest = m->dims[l + 1];
        }
    if (p->rows[SUBSET_EVAL]) p->gathered = gi_malloc((size_t)p->n_rows[SUBSET_EVAL] * widest * sizeof(float));
    p->seconds_x = now_s() - t0;
    return 0;
}

void plane_free(plane *p, trainer *t) {
    free(p->gathered);
    for (int s = 0; s < 2; s++) {
        free(p->rows[s]);
        infoplane_subset_free(&p->sub[s]);
        for (int l = 0; l < MLP_MAX_LAYERS; l++) {
            if (!p->own[s][l]) continue;
            if (t && t->capture[s][l] == p->own[s][l]) t->capture[s][l] = NULL;
            free(p->own[s][l]);
        }
    }
    memset(p, 0, sizeof *p);
}

void plane_csv_field(FILE *f, int ok, double v) {
    if (ok) fprintf(f, ",%.9g", v);
    else fputc(',', f);
}

/* The flags of a subset's layers (measure/flags.h): each estimate's range, then the
 * data-processing inequality between consecutive layers where both are estimated. */
static void flag_layers(const plane *p, int s, const infoplane_point *pt, int n_layers, unsigned *flags) {
    const mi_estimator *est = &p->opt.est;
    for (int l = 0; l < n_layers; l++) {
        flags[l] = 0;
        if (pt[l].ok_ixl) flags[l] |= mi_flags_pair(est, pt[l].ixl, pt[l].ixl_err, p->sub[s].n);
        if (pt[l].ok_ily) flags[l] |= mi_flags_label(est, pt[l].ily, pt[l].ily_err, &p->labels[s]);
        if (l > 0 && pt[l].ok_ixl && pt[l - 1].ok_ixl && pt[l].ok_ily && pt[l - 1].ok_ily)
            flags[l] |= mi_flags_dpi(pt[l - 1].ixl, pt[l - 1].ixl_err, pt[l].ixl, pt[l].ixl_err, pt[l - 1].ily,
                                     pt[l - 1].ily_err, pt[l].ily, pt[l].ily_err);
    }
}

int plane_measure(plane *p, const trainer *t, FILE *csv, gi_err *e) {
    const mlp *m = &t->model;
    infoplane_point pt[MLP_MAX_LAYERS];
    unsigned flags[MLP_MAX_LAYERS];
    for (int s = 0; s < 2; s++) {
        for (int l = 0; l < m->n_layers; l++) {
            gi_err why = {{0}};
            uint64_t key = noise_key((uint64_t)t->cfg.seed, STREAM_PLANE, (uint64_t)t->step, (uint64_t)(s * 64 + l + 1));
            const float *out = p->layer_out[s][l];
            if (p->rows[s]) {
                gather_floats(out, m->dims[l + 1], p->rows[s], p->n_rows[s], p->gathered);
                out = p->gathered;
            }
            if (infoplane_measure(&p->sub[s], out, m->dims[l + 1], key, &pt[l], &why))
                return gi_fail(e, "information plane, step %lld: %s", (long long)t->step, why.msg);
            p->seconds_compress += pt[l].seconds_compress;
            p->seconds_estimate += pt[l].seconds_estimate;
            if ((!pt[l].ok_ixl || !pt[l].ok_ily) && p->warned++ < 3)
                gi_say(p->log, "grokinfo: step %lld, %s subset, layer %d: %s not estimated (%s); left empty in mi.csv",
                       (long long)t->step, subset_name[s], l + 1, !pt[l].ok_ixl ? "I(X;L)" : "I(L;Y)", why.msg);
        }
        flag_layers(p, s, pt, m->n_layers, flags);
        for (int l = 0; l < m->n_layers; l++) {
            char names[256];
            fprintf(csv, "%lld,%s,%d", (long long)t->step, subset_name[s], l + 1);
            plane_csv_field(csv, pt[l].ok_ixl, pt[l].ixl);
            plane_csv_field(csv, pt[l].ok_ixl, pt[l].ixl_err);
            plane_csv_field(csv, pt[l].ok_ily, pt[l].ily);
            plane_csv_field(csv, pt[l].ok_ily, pt[l].ily_err);
            fprintf(csv, ",%s,%d,%d,%.9g,%s\n", estimator_name(p->opt.est.kind), pt[l].dx, pt[l].dl, p->labels[s].entropy,
                    mi_flags_format(flags[l], names, sizeof names));
        }
    }
    return 0;
}
