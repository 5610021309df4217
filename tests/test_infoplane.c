/* The information plane against closed forms: Gaussian X through a linear layer plus Gaussian
 * noise, I(X;L) = ½ log det(I + WᵀW/σ²) (X ~ N(0, I), L = XW + σε); a last layer that outputs
 * the label, I(L;Y) = H(Y); and the sliced variant's directions. */
#include <stdlib.h>
#include "measure/infoplane.h"
#include "util/rng.h"
#include "test.h"

/* log det of a small symmetric positive definite matrix (Cholesky) */
static double logdet_spd(double *a, int d) {
    double s = 0;
    for (int j = 0; j < d; j++) {
        for (int k = 0; k < j; k++) a[j * d + j] -= a[j * d + k] * a[j * d + k];
        double l = sqrt(a[j * d + j]);
        s += 2 * log(l);
        a[j * d + j] = l;
        for (int i = j + 1; i < d; i++) {
            for (int k = 0; k < j; k++) a[i * d + j] -= a[i * d + k] * a[j * d + k];
            a[i * d + j] /= l;
        }
    }
    return s;
}

static void run_linear_case(int *failures, int dx, int width, double target, estimator_kind kind, uint64_t seed) {
    const int n = 10000;
    rng_t r;
    rng_seed(&r, seed);
    double w[16], sigma, truth, m[16];
    for (int i = 0; i < dx * width; i++) w[i] = rng_normal(&r);
    /* σ by bisection on log σ so that the true MI is the target */
    double lo = -8, hi = 4;
    for (int it = 0; it < 100; it++) {
        double mid = 0.5 * (lo + hi), s2 = exp(2 * mid);
        for (int a = 0; a < width; a++)
            for (int b = 0; b < width; b++) {
                double v = a == b;
                for (int k = 0; k < dx; k++) v += w[k * width + a] * w[k * width + b] / s2;
                m[a * width + b] = v;
            }
        if (0.5 * logdet_spd(m, width) > target) lo = mid; else hi = mid;
    }
    sigma = exp(0.5 * (lo + hi));
    for (int a = 0; a < width; a++)
        for (int b = 0; b < width; b++) {
            double v = a == b;
            for (int k = 0; k < dx; k++) v += w[k * width + a] * w[k * width + b] / (sigma * sigma);
            m[a * width + b] = v;
        }
    truth = 0.5 * logdet_spd(m, width);
    double *x = malloc((size_t)n * dx * sizeof(double));
    float *l = malloc((size_t)n * width * sizeof(float));
    uint8_t *y = calloc((size_t)n, 1);
    for (int i = 0; i < n; i++) {
        for (int k = 0; k < dx; k++) x[i * dx + k] = rng_normal(&r);
        for (int a = 0; a < width; a++) {
            double v = sigma * rng_normal(&r);
            for (int k = 0; k < dx; k++) v += x[i * dx + k] * w[k * width + a];
            l[i * width + a] = (float)v;
        }
        y[i] = (uint8_t)(i % 2);
    }
    infoplane_options o = {.est = {kind, kind == EST_KSG ? 5 : 20, kind == EST_WKL, 0}, .compression = LAYER_PCA,
                           .dim = 4, .whiten = 1};
    infoplane_subset s;
    gi_err e;
    CHECK(infoplane_subset_create(&s, &o, x, dx, y, n, 1, &e) == 0);
    infoplane_point p;
    CHECK(infoplane_measure(&s, l, width, 0, &p, &e) == 0);
    CHECK(p.ok_ixl && p.ok_ily && p.dx == dx && p.dl == width);
    if (!p.ok_ixl || !p.ok_ily) fprintf(stderr, "  %d -> %d, %s: %s\n", dx, width, estimator_name(kind), e.msg);
    CHECK_CLOSE(p.ixl, truth, 0.1, 0.05);
    CHECK_CLOSE(p.ily, 0.0, 0.05, 0); /* labels independent of everything */
    infoplane_subset_free(&s);
    free(x); free(l); free(y);
}

TEST(infoplane_linear_gaussian_layer_closed_form) {
    /* the seed's estimator (wkl, k = 20, whitening) in 1..4 dimensions, and ksg in 2 + 2. (A 1-wide
     * float layer is avoided: 1e4 float32 values in 1-D collide, which wkl refuses as duplicates.
     * ksg at 4 + 3 is biased low, 0.81 for 1 nat and 1.70 for 2, as kNN estimators are in 7-D.) */
    const double targets[3] = {0.5, 1.0, 2.0};
    for (int t = 0; t < 3; t++) {
        run_linear_case(failures, 1, 2, targets[t], EST_WKL, 10 + t);
        run_linear_case(failures, 2, 2, targets[t], EST_WKL, 20 + t);
        run_linear_case(failures, 3, 4, targets[t], EST_WKL, 30 + t);
        run_linear_case(failures, 2, 2, targets[t], EST_KSG, 40 + t);
    }
}

TEST(infoplane_label_layer_gives_entropy_of_labels) {
    /* a 10-wide last layer that outputs the label (one-hot times 3, noise 1e-3), compressed to
     * 4 dimensions by whitened PCA: I(L;Y) = H(Y) = ln 10 for balanced labels */
    const int n = 5000, width = 10;
    rng_t r;
    rng_seed(&r, 8);
    double *x = malloc((size_t)n * 4 * sizeof(double));
    float *l = malloc((size_t)n * width * sizeof(float));
    uint8_t *y = malloc((size_t)n);
    for (int i = 0; i < n; i++) {
        y[i] = (uint8_t)(i % 10);
        for (int k = 0; k < 4; k++) x[i * 4 + k] = rng_normal(&r);
        for (int a = 0; a < width; a++) l[i * width + a] = (float)(3.0 * (a == y[i]) + 1e-3 * rng_normal(&r));
    }
    infoplane_options o = {.est = {EST_WKL, 20, 1, 0}, .compression = LAYER_PCA, .dim = 4, .whiten = 1};
    infoplane_subset s;
    gi_err e;
    CHECK(infoplane_subset_create(&s, &o, x, 4, y, n, 1, &e) == 0);
    infoplane_point p;
    CHECK(infoplane_measure(&s, l, width, 0, &p, &e) == 0);
    CHECK(p.ok_ily && p.dl == 4);
    CHECK_CLOSE(p.ily, log(10.0), 0.05, 0);
    /* (I(X;L) is 0 here in truth, but kNN estimators are far off on a joint space made of ten
     * clusters 1e-3 wide by Gaussian X: −15 nats at this N. The seed saw the same negative
     * values; this test is about I(L;Y).) */
    infoplane_subset_free(&s);
    free(x); free(l); free(y);
}

TEST(infoplane_sliced_mi_of_a_shared_coordinate) {
    /* X and L share one Gaussian coordinate among independent ones (D = 3 each): a projection
     * pair (θ, φ) sees correlation ρ = θ_1 φ_1, so the sliced MI is the mean of −½ log(1 − ρ²)
     * over uniform directions — positive and well below the full MI; and identical keys give
     * identical results. */
    const int n = 2000, D = 3;
    rng_t r;
    rng_seed(&r, 12);
    double *x = malloc((size_t)n * D * sizeof(double));
    float *l = malloc((size_t)n * D * sizeof(float));
    uint8_t *y = malloc((size_t)n);
    for (int i = 0; i < n; i++) {
        double z = rng_normal(&r);
        x[i * D] = z;
        l[i * D] = (float)(z + 0.05 * rng_normal(&r));
        for (int k = 1; k < D; k++) { x[i * D + k] = rng_normal(&r); l[i * D + k] = (float)rng_normal(&r); }
        y[i] = (uint8_t)(l[i * D] > 0);
    }
    /* E[−½ log(1 − θ²φ²)] for θ_1, φ_1 first coordinates of uniform unit vectors in R^3
     * (uniform on [−1, 1] each), with ρ² shrunk by the noise: Monte Carlo, fixed seed */
    double expect = 0;
    rng_t q;
    rng_seed(&q, 99);
    const double shrink = 1.0 / (1.0 + 0.05 * 0.05);
    for (int i = 0; i < 200000; i++) {
        double a = 2 * rng_uniform(&q) - 1, b = 2 * rng_uniform(&q) - 1;
        expect += -0.5 * log(1 - a * a * b * b * shrink);
    }
    expect /= 200000;
    infoplane_options o = {.est = {EST_KSG, 5, 0, 0}, .compression = LAYER_SLICED, .dim = 4, .n_projections = 200};
    infoplane_subset s;
    gi_err e;
    CHECK(infoplane_subset_create(&s, &o, x, D, y, n, 5, &e) == 0);
    infoplane_point p, p2;
    CHECK(infoplane_measure(&s, l, D, 77, &p, &e) == 0 && infoplane_measure(&s, l, D, 77, &p2, &e) == 0);
    CHECK(p.ok_ixl && p.ok_ily && p.dx == 1 && p.dl == 1);
    CHECK(p.ixl == p2.ixl && p.ily == p2.ily);
    CHECK_CLOSE(p.ixl, expect, 0.03, 0.1);
    CHECK(p.ily > 0.02 && p.ily < log(2.0));
    infoplane_subset_free(&s);
    free(x); free(l); free(y);
}
