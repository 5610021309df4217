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

int *plane_draw_sorted(uint64_t key, int n, int k) {
    int *all = gi_malloc((size_t)(n > 0 ? n : 1) * sizeof(int));
    for (int i = 0; i < n; i++) all[i] = i;
    rng_t r;
    rng_seed(&r, key);
    rng_shuffle_int(&r, all, n);
    char *pick = gi_calloc((size_t)n, 1);
    for (int i = 0; i < k; i++) pick[all[i]] = 1;
    for (int i = 0, j = 0; i < n; i++)
        if (pick[i]) all[j++] = i;
    free(pick);
    return all;
}

/* mi.eval_points rows of n drawn with the seed, ascending */
int *plane_draw_rows(uint64_t seed, int n, int k) { return plane_draw_sorted(noise_key(seed, STREAM_PLANE_ROWS, 0, 0), n, k); }

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

/* mi.noise_redraws: the fixed half of each subset's measured rows (the same at every step and in
 * both planes of a run), with X's code (codes[s], a row per measured row) and the labels on it */
static int half_create(plane *p, const gi_config *c, const dataset *sets, double *const *codes, int dx, gi_err *e) {
    for (int s = 0; s < 2; s++) {
        int n = sets[s].n, h = n / 2;
        if (estimator_get(p->opt.est.kind)->uses_k && h <= p->opt.est.k)
            return gi_fail(e, "mi.noise_redraws: the half-subset check measures %d of the %s subset's %d rows, but %s needs "
                              "more than k = %d", h, subset_name[s], n, estimator_name(p->opt.est.kind), p->opt.est.k);
        if (h < 2) return gi_fail(e, "mi.noise_redraws: the %s subset's %d rows have no half to measure", subset_name[s], n);
        int *idx = plane_draw_sorted(noise_key((uint64_t)c->seed, STREAM_PLANE_HALF, (uint64_t)s, 0), n, h);
        double *x = gi_malloc((size_t)h * dx * sizeof(double));
        uint8_t *y = gi_malloc((size_t)h);
        p->half_rows[s] = gi_malloc((size_t)h * sizeof(int));
        for (int i = 0; i < h; i++) {
            memcpy(x + (size_t)i * dx, codes[s] + (size_t)idx[i] * dx, (size_t)dx * sizeof(double));
            y[i] = sets[s].y[idx[i]];
            p->half_rows[s][i] = p->rows[s] ? p->rows[s][idx[i]] : idx[i];
        }
        /* (smi: the same key, so the same projections of X as the whole subset's) */
        int rc = infoplane_subset_create(&p->half[s], &p->opt, x, dx, y, h, noise_key((uint64_t)c->seed, STREAM_PLANE, (uint64_t)s, 0), e);
        free(idx); free(x); free(y);
        if (rc) return -1;
    }
    return 0;
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
    p->redraws = c->mi.noise_redraws;
    p->redraws_from = c->mi.noise_redraws_from;
    if (!rc && p->redraws > 0) rc = half_create(p, c, sets, codes, dx, e);
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
    if (p->redraws > 0) {
        int most = t->sets[0].n > t->sets[1].n ? t->sets[0].n : t->sets[1].n;
        for (int l = 0; l < m->n_layers; l++) p->redraw_out[l] = gi_malloc((size_t)most * m->dims[l + 1] * sizeof(float));
        int half_most = p->half[0].n > p->half[1].n ? p->half[0].n : p->half[1].n;
        p->half_gathered = gi_malloc((size_t)half_most * widest * sizeof(float));
        p->draw_ixl = gi_malloc((size_t)(p->redraws + 1) * m->n_layers * sizeof(double));
        p->draw_ily = gi_malloc((size_t)(p->redraws + 1) * m->n_layers * sizeof(double));
    }
    p->seconds_x = now_s() - t0;
    return 0;
}

void plane_free(plane *p, trainer *t) {
    free(p->gathered);
    free(p->half_gathered);
    free(p->draw_ixl);
    free(p->draw_ily);
    for (int l = 0; l < MLP_MAX_LAYERS; l++) free(p->redraw_out[l]);
    for (int s = 0; s < 2; s++) {
        free(p->rows[s]);
        free(p->half_rows[s]);
        infoplane_subset_free(&p->sub[s]);
        infoplane_subset_free(&p->half[s]);
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

/* A layer's outputs (all rows of a subset) on the given rows: gathered into buf, or as they are
 * when rows is NULL. */
static const float *on_rows(const float *out, int width, const int *rows, int n, float *buf) {
    if (!rows) return out;
    gather_floats(out, width, rows, n, buf);
    return buf;
}

/* One estimate of the plane for a subset and layer; a failure of the call (bad arguments) is an
 * error, a failed estimate a warning (at most 3 a run) and an empty field. */
static int measure_point(plane *p, const infoplane_subset *sub, const trainer *t, int s, int l, const float *out,
                         const char *what, infoplane_point *pt, gi_err *e) {
    gi_err why = {{0}};
    uint64_t key = noise_key((uint64_t)t->cfg.seed, STREAM_PLANE, (uint64_t)t->step, (uint64_t)(s * 64 + l + 1));
    if (infoplane_measure(sub, out, t->model.dims[l + 1], key, pt, &why))
        return gi_fail(e, "information plane, step %lld: %s", (long long)t->step, why.msg);
    if ((!pt->ok_ixl || !pt->ok_ily) && p->warned++ < 3)
        gi_say(p->log, "grokinfo: step %lld, %s subset, layer %d%s: %s not estimated (%s); left empty in mi.csv",
               (long long)t->step, subset_name[s], l + 1, what, !pt->ok_ixl ? "I(X;L)" : "I(L;Y)", why.msg);
    return 0;
}

/* The spread of one layer's estimates over the noise draws, and its estimate on the half. */
typedef struct { double ixl_mean, ixl_sd, ily_mean, ily_sd, ixl_half, ily_half; } plane_spread;

/* mean and sample standard deviation of v[0..n) (n >= 2), about v[0] (values that agree give
 * exactly v[0] and 0); NaN when any of them is (a failed estimate) */
static void mean_sd(const double *v, int n, double *mean, double *sd) {
    double sum = 0.0, ss = 0.0;
    for (int i = 1; i < n; i++) sum += v[i] - v[0];
    double d = sum / n;
    for (int i = 0; i < n; i++) ss += (v[i] - v[0] - d) * (v[i] - v[0] - d);
    *mean = v[0] + d;
    *sd = sqrt(ss / (n - 1));
}

/* mi.noise_redraws: the subset's layers on its half (the original draw), then on R fresh draws of
 * the noise; draw_ixl/draw_ily [l][0] must hold the original estimates already. */
static int measure_redraws(plane *p, trainer *t, int s, plane_spread *sp, gi_err *e) {
    const mlp *m = &t->model;
    int L = m->n_layers, R = p->redraws;
    const infoplane_subset *half = &p->half[s];
    for (int l = 0; l < L; l++) {
        infoplane_point pt;
        const float *out = on_rows(p->layer_out[s][l], m->dims[l + 1], p->half_rows[s], half->n, p->half_gathered);
        if (measure_point(p, half, t, s, l, out, " (half of the rows)", &pt, e)) return -1;
        sp[l].ixl_half = pt.ok_ixl ? pt.ixl : NAN;
        sp[l].ily_half = pt.ok_ily ? pt.ily : NAN;
    }
    for (int r = 1; r <= R; r++) {
        trainer_layers_redraw(t, s, r, p->redraw_out);
        for (int l = 0; l < L; l++) {
            infoplane_point pt;
            char what[48];
            snprintf(what, sizeof what, " (noise redraw %d)", r);
            const float *out = on_rows(p->redraw_out[l], m->dims[l + 1], p->rows[s], p->n_rows[s], p->gathered);
            if (measure_point(p, &p->sub[s], t, s, l, out, what, &pt, e)) return -1;
            p->draw_ixl[l * (R + 1) + r] = pt.ok_ixl ? pt.ixl : NAN;
            p->draw_ily[l * (R + 1) + r] = pt.ok_ily ? pt.ily : NAN;
        }
    }
    for (int l = 0; l < L; l++) {
        mean_sd(p->draw_ixl + l * (R + 1), R + 1, &sp[l].ixl_mean, &sp[l].ixl_sd);
        mean_sd(p->draw_ily + l * (R + 1), R + 1, &sp[l].ily_mean, &sp[l].ily_sd);
    }
    return 0;
}

/* a number field, empty when it is NaN (no redraws, or an estimate that failed) */
static void spread_field(FILE *f, double v) { plane_csv_field(f, isfinite(v), v); }

int plane_measure(plane *p, trainer *t, FILE *csv, FILE *redraws, gi_err *e) {
    const mlp *m = &t->model;
    int L = m->n_layers, R = t->step >= p->redraws_from ? p->redraws : 0;
    infoplane_point pt[MLP_MAX_LAYERS];
    plane_spread sp[MLP_MAX_LAYERS];
    unsigned flags[MLP_MAX_LAYERS];
    for (int s = 0; s < 2; s++) {
        for (int l = 0; l < L; l++) {
            const float *out = on_rows(p->layer_out[s][l], m->dims[l + 1], p->rows[s], p->n_rows[s], p->gathered);
            if (measure_point(p, &p->sub[s], t, s, l, out, "", &pt[l], e)) return -1;
            p->seconds_compress += pt[l].seconds_compress;
            p->seconds_estimate += pt[l].seconds_estimate;
            sp[l] = (plane_spread){NAN, NAN, NAN, NAN, NAN, NAN};
        }
        flag_layers(p, s, pt, L, flags);
        if (R > 0) {
            double t0 = now_s();
            for (int l = 0; l < L; l++) {
                p->draw_ixl[l * (R + 1)] = pt[l].ok_ixl ? pt[l].ixl : NAN;
                p->draw_ily[l * (R + 1)] = pt[l].ok_ily ? pt[l].ily : NAN;
            }
            int rc = measure_redraws(p, t, s, sp, e);
            p->seconds_redraw += now_s() - t0;
            if (rc) return -1;
            for (int l = 0; l < L; l++)
                flags[l] |= mi_flags_half(p->draw_ixl[l * (R + 1)], pt[l].ixl_err, sp[l].ixl_sd, sp[l].ixl_half,
                                          p->draw_ily[l * (R + 1)], pt[l].ily_err, sp[l].ily_sd, sp[l].ily_half);
        }
        for (int l = 0; l < L; l++) {
            char names[256];
            fprintf(csv, "%lld,%s,%d", (long long)t->step, subset_name[s], l + 1);
            plane_csv_field(csv, pt[l].ok_ixl, pt[l].ixl);
            plane_csv_field(csv, pt[l].ok_ixl, pt[l].ixl_err);
            plane_csv_field(csv, pt[l].ok_ily, pt[l].ily);
            plane_csv_field(csv, pt[l].ok_ily, pt[l].ily_err);
            fprintf(csv, ",%s,%d,%d,%.9g,%s,%d", estimator_name(p->opt.est.kind), pt[l].dx, pt[l].dl, p->labels[s].entropy,
                    mi_flags_format(flags[l], names, sizeof names), R);
            const double spread[6] = {sp[l].ixl_mean, sp[l].ixl_sd, sp[l].ily_mean, sp[l].ily_sd, sp[l].ixl_half, sp[l].ily_half};
            for (int k = 0; k < 6; k++) spread_field(csv, spread[k]);
            fputc('\n', csv);
            for (int r = 0; redraws && r <= R && R > 0; r++) {
                fprintf(redraws, "%lld,%s,%d,%d", (long long)t->step, subset_name[s], l + 1, r);
                spread_field(redraws, p->draw_ixl[l * (R + 1) + r]);
                spread_field(redraws, p->draw_ily[l * (R + 1) + r]);
                fputc('\n', redraws);
            }
        }
    }
    return 0;
}
