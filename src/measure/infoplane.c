/* infoplane.c — compress a layer, then estimate I(X;L) and I(L;Y). */
#include "measure/infoplane.h"
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include "measure/compress.h"
#include "util/rng.h"
#include "util/clock.h"

/* P unit directions in R^D, orthonormal within each block of D (modified Gram–Schmidt, twice,
 * on Gaussian vectors): out is P x D. */
static void orthonormal_directions(int D, int P, uint64_t key, double *out) {
    rng_t r;
    rng_seed(&r, key);
    for (int p0 = 0; p0 < P; p0 += D) {
        int rows = P - p0 < D ? P - p0 : D;
        for (int i = 0; i < rows; i++) {
            double *v = out + (size_t)(p0 + i) * D;
            for (;;) {
                for (int a = 0; a < D; a++) v[a] = rng_normal(&r);
                for (int pass = 0; pass < 2; pass++)
                    for (int j = 0; j < i; j++) {
                        const double *u = out + (size_t)(p0 + j) * D;
                        double dot = 0;
                        for (int a = 0; a < D; a++) dot += u[a] * v[a];
                        for (int a = 0; a < D; a++) v[a] -= dot * u[a];
                    }
                double norm = 0;
                for (int a = 0; a < D; a++) norm += v[a] * v[a];
                if (norm > 1e-20) {
                    norm = sqrt(norm);
                    for (int a = 0; a < D; a++) v[a] /= norm;
                    break;
                }
            }
        }
    }
}

/* out (P x n, one projection per row: contiguous 1-D samples) = dirs (P x D) · xᵀ */
static void project(const double *x, int n, int D, const double *dirs, int P, double *out) {
    #pragma omp parallel for schedule(static)
    for (int p = 0; p < P; p++) {
        const double *u = dirs + (size_t)p * D;
        for (int i = 0; i < n; i++) {
            const double *xi = x + (size_t)i * D;
            double s = 0;
            for (int a = 0; a < D; a++) s += u[a] * xi[a];
            out[(size_t)p * n + i] = s;
        }
    }
}

int infoplane_subset_create(infoplane_subset *s, const infoplane_options *o, const double *x, int dx,
                            const uint8_t *labels, int n, uint64_t seed, gi_err *e) {
    memset(s, 0, sizeof *s);
    if (n < 2 || dx < 1) return gi_fail(e, "information plane: need at least 2 points and 1 dimension");
    s->opt = *o;
    s->n = n;
    s->dx = dx;
    s->labels = gi_malloc((size_t)n * sizeof(int));
    for (int i = 0; i < n; i++) s->labels[i] = labels[i];
    if (o->compression == LAYER_SLICED) {
        int P = o->n_projections;
        if (P < 1) return gi_fail(e, "mi.n_projections: expected >= 1, got %d", P);
        double *dirs = gi_malloc((size_t)P * dx * sizeof(double));
        orthonormal_directions(dx, P, noise_key(seed, STREAM_SLICED_DIRECTIONS, 0, 0), dirs);
        s->x_proj = gi_malloc((size_t)P * n * sizeof(double));
        project(x, n, dx, dirs, P, s->x_proj);
        free(dirs);
    } else {
        s->x = gi_malloc((size_t)n * dx * sizeof(double));
        memcpy(s->x, x, (size_t)n * dx * sizeof(double));
    }
    return 0;
}

void infoplane_subset_free(infoplane_subset *s) {
    free(s->x);
    free(s->labels);
    free(s->x_proj);
    memset(s, 0, sizeof *s);
}

static int measure_sliced(const infoplane_subset *s, const double *l, int width, uint64_t key, infoplane_point *out,
                          gi_err *err) {
    int n = s->n, P = s->opt.n_projections;
    double *dirs = gi_malloc((size_t)P * width * sizeof(double)), *lp = gi_malloc((size_t)P * n * sizeof(double));
    orthonormal_directions(width, P, key, dirs);
    project(l, n, width, dirs, P, lp);
    double ixl = 0, ixl_err = 0, ily = 0, ily_err = 0;
    int ok_x = 1, ok_y = 1;
    for (int p = 0; p < P && (ok_x || ok_y); p++) {
        estimate a = {0}, b = {0};
        const double *xp = s->x_proj + (size_t)p * n, *lq = lp + (size_t)p * n;
        if (ok_x && mi_estimate(&s->opt.est, xp, 1, lq, 1, n, &a, err) == 0) { ixl += a.value; ixl_err += a.stderr_; }
        else ok_x = 0;
        if (ok_y && mi_estimate_classes(&s->opt.est, lq, 1, s->labels, n, &b, err) == 0) { ily += b.value; ily_err += b.stderr_; }
        else ok_y = 0;
    }
    /* the error of a mean of P dependent estimates: their mean error (no √P credit) */
    *out = (infoplane_point){ixl / P, ixl_err / P, ily / P, ily_err / P, 1, 1, ok_x, ok_y, 0.0, 0.0};
    free(dirs); free(lp);
    return 0;
}

int infoplane_measure(const infoplane_subset *s, const float *layer, int width, uint64_t proj_key,
                      infoplane_point *out, gi_err *err) {
    int n = s->n;
    if (width < 1) return gi_fail(err, "information plane: a layer of width %d", width);
    memset(out, 0, sizeof *out);
    double t0 = now_s();
    double *l = gi_malloc((size_t)n * width * sizeof(double));
    for (size_t i = 0; i < (size_t)n * width; i++) l[i] = layer[i];
    if (s->opt.compression == LAYER_SLICED) {
        int rc = measure_sliced(s, l, width, proj_key, out, err);
        free(l);
        out->seconds_estimate = now_s() - t0;
        return rc;
    }
    int dl = width < s->opt.dim ? width : s->opt.dim;
    double *lc = gi_malloc((size_t)n * dl * sizeof(double));
    int ok = 1;
    if (dl == width) memcpy(lc, l, (size_t)n * dl * sizeof(double));
    else if (s->opt.compression == LAYER_FIRST_COORDS) first_coords(l, n, width, dl, lc);
    else ok = pca_compress(l, n, width, dl, s->opt.whiten, lc, err) == 0;
    free(l);
    double t1 = now_s();
    out->seconds_compress = t1 - t0;
    out->dx = s->dx;
    out->dl = dl;
    if (ok) {
        estimate a = {0}, b = {0};
        out->ok_ixl = mi_estimate(&s->opt.est, s->x, s->dx, lc, dl, n, &a, err) == 0;
        if (out->ok_ixl && !isfinite(a.value)) out->ok_ixl = 0, gi_fail(err, "I(X;L) is not finite");
        out->ixl = a.value;
        out->ixl_err = a.stderr_;
        gi_err err_y;
        out->ok_ily = mi_estimate_classes(&s->opt.est, lc, dl, s->labels, n, &b, &err_y) == 0;
        if (out->ok_ily && !isfinite(b.value)) out->ok_ily = 0, gi_fail(&err_y, "I(L;Y) is not finite");
        if (!out->ok_ily) *err = err_y;
        out->ily = b.value;
        out->ily_err = b.stderr_;
    }
    out->seconds_estimate = now_s() - t1;
    free(lc);
    return 0;
}
