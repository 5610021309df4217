/* wkl-pooled (measure/wkl.c): wkl whitened by the pooled covariance. On separated classes with
 * anisotropic scatter it gives log((N − 1)/(N_c − 1)) ≈ ln(number of classes) where the seed's
 * per-term whitening gives more than H(Y); it is invariant to any invertible linear map of X (and
 * of Y), because the symmetric whitening of X·M is that of X up to a rotation; without rescale it
 * is wkl's unwhitened estimate; and it finds a Gaussian MI's closed form. Fixed seeds. */
#include <stdlib.h>
#include "measure/estimators.h"
#include "measure/mi.h"
#include "util/rng.h"
#include "test.h"

/* 10 classes of nc points in 4 dimensions: class mean N(0, 1) + spread (0.1, 0.1, eps, eps) */
static void aniso_classes(uint64_t seed, int nc, double eps, double *x, int *lab) {
    rng_t r;
    rng_seed(&r, seed);
    double mean[10][4], spread[4] = {0.1, 0.1, eps, eps};
    for (int c = 0; c < 10; c++)
        for (int a = 0; a < 4; a++) mean[c][a] = rng_normal(&r);
    for (int i = 0; i < 10 * nc; i++) {
        lab[i] = i % 10;
        for (int a = 0; a < 4; a++) x[i * 4 + a] = mean[lab[i]][a] + spread[a] * rng_normal(&r);
    }
}

/* x (n x 4) times a fixed invertible, non-orthogonal M */
static void mix(const double *x, int n, double *out) {
    static const double m[4][4] = {{2, 0.5, 0, 0}, {0, 1, 0.3, 0}, {0.1, 0, 0.01, 0}, {0, 0, 4, 30}};
    for (int i = 0; i < n; i++)
        for (int b = 0; b < 4; b++) {
            double v = 0;
            for (int a = 0; a < 4; a++) v += x[i * 4 + a] * m[a][b];
            out[i * 4 + b] = v;
        }
}

TEST(wkl_pooled_anisotropic_classes_stay_below_h_y) {
    const int nc = 100, n = 10 * nc;
    double *x = malloc(n * 4 * sizeof(double)), *xm = malloc(n * 4 * sizeof(double));
    int *lab = malloc(n * sizeof(int));
    aniso_classes(7, nc, 1e-3, x, lab);
    mi_estimator pooled = {.kind = EST_WKL_POOLED, .k = 20, .rescale = 1}, seed = pooled;
    seed.kind = EST_WKL;
    gi_err e;
    estimate p = {0}, s = {0}, q = {0};
    CHECK(mi_estimate_classes(&pooled, x, 4, lab, n, &p, &e) == 0);
    /* every nearest neighbour in its own class: the terms differ by log(N − 1) − log(N_c − 1) alone */
    CHECK_CLOSE(p.value, log((n - 1.0) / (nc - 1.0)), 1e-9, 0);
    CHECK(mi_estimate_classes(&seed, x, 4, lab, n, &s, &e) == 0 && s.value > log(10.0) + 2); /* the seed's: ~6 */
    mix(x, n, xm);
    CHECK(mi_estimate_classes(&pooled, xm, 4, lab, n, &q, &e) == 0);
    CHECK_CLOSE(q.value, p.value, 1e-9, 0);
    free(x); free(xm); free(lab);
}

TEST(wkl_pooled_mi_invariant_to_linear_maps) {
    const int n = 2000;
    double *x = malloc(n * 4 * sizeof(double)), *y = malloc(n * 4 * sizeof(double));
    double *xm = malloc(n * 4 * sizeof(double)), *ym = malloc(n * 4 * sizeof(double));
    rng_t r;
    rng_seed(&r, 8);
    for (int i = 0; i < n * 4; i++) x[i] = rng_normal(&r);
    for (int i = 0; i < n * 4; i++) y[i] = 0.5 * x[i] + (i % 4 + 1) * 0.2 * rng_normal(&r);
    mix(x, n, xm);
    mix(y, n, ym);
    for (int i = 0; i < n * 4; i++) ym[i] = 0.001 * ym[i] + 3; /* and another scale and shift */
    gi_err e;
    estimate a = {0}, b = {0}, c = {0}, d = {0};
    CHECK(mi_wkl_pooled(x, 4, y, 4, n, 20, 1, &a, &e) == 0 && mi_wkl_pooled(xm, 4, ym, 4, n, 20, 1, &b, &e) == 0);
    CHECK_CLOSE(b.value, a.value, 1e-9, 1e-9);
    CHECK_CLOSE(b.stderr_, a.stderr_, 1e-9, 1e-9);
    /* no rescale: wkl's unwhitened estimate, bit for bit */
    CHECK(mi_wkl_pooled(xm, 4, ym, 4, n, 20, 0, &c, &e) == 0 && mi_wkl(xm, 4, ym, 4, n, 20, 0, &d, &e) == 0);
    CHECK(c.value == d.value && c.stderr_ == d.stderr_);
    free(x); free(y); free(xm); free(ym);
}

/* two independent Gaussian pairs (2 + 2 dimensions), I = −log(1 − ρ²) = 1 nat, X on unequal scales */
TEST(wkl_pooled_gaussian_closed_form) {
    const int n = 20000;
    const double rho = sqrt(1 - exp(-1.0)), truth = 1.0;
    double *x = malloc(n * 2 * sizeof(double)), *y = malloc(n * 2 * sizeof(double));
    rng_t r;
    rng_seed(&r, 9);
    for (int i = 0; i < n; i++)
        for (int a = 0; a < 2; a++) {
            double u = rng_normal(&r);
            x[i * 2 + a] = (a ? 30 : 1) * u;
            y[i * 2 + a] = rho * u + sqrt(1 - rho * rho) * rng_normal(&r);
        }
    gi_err e;
    estimate a = {0};
    CHECK(mi_wkl_pooled(x, 2, y, 2, n, 20, 1, &a, &e) == 0);
    CHECK_CLOSE(a.value, truth, 0.05, 0.05);
    free(x); free(y);
}
