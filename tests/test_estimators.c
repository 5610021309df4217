/* Estimators against closed-form ground truth: correlated Gaussians (MI split over min(dx, dy)
 * coordinate pairs, ρ = √(1 − e^{−2I/m}), rotated at random within X and within Y), Gaussian and
 * uniform entropies, and a discrete label with I = ln m. Fixed seeds. */
#include <stdlib.h>
#include <string.h>
#include "measure/estimators.h"
#include "measure/special.h"
#include "test.h"
#include "util/npy.h"
#include "util/rng.h"

/* a random orthogonal d x d matrix: Gram-Schmidt on Gaussian columns */
static void random_rotation(rng_t *r, int d, double *q) {
    for (int i = 0; i < d * d; i++) q[i] = rng_normal(r);
    for (int j = 0; j < d; j++) {
        for (int p = 0; p < j; p++) {
            double dot = 0;
            for (int i = 0; i < d; i++) dot += q[i * d + j] * q[i * d + p];
            for (int i = 0; i < d; i++) q[i * d + j] -= dot * q[i * d + p];
        }
        double nrm = 0;
        for (int i = 0; i < d; i++) nrm += q[i * d + j] * q[i * d + j];
        for (int i = 0; i < d; i++) q[i * d + j] /= sqrt(nrm);
    }
}

static void rotate_rows(double *x, int n, int d, const double *q) {
    double tmp[64];
    for (int i = 0; i < n; i++) {
        for (int a = 0; a < d; a++) {
            tmp[a] = 0;
            for (int b = 0; b < d; b++) tmp[a] += q[a * d + b] * x[(size_t)i * d + b];
        }
        memcpy(x + (size_t)i * d, tmp, (size_t)d * sizeof(double));
    }
}

/* X, Y with I(X;Y) = mi nats exactly (population) */
static void gaussian_pair(uint64_t seed, int n, int dx, int dy, double mi, double **x, double **y) {
    rng_t r;
    rng_seed(&r, seed);
    int m = dx < dy ? dx : dy;
    double rho = sqrt(1.0 - exp(-2.0 * mi / m));
    *x = malloc((size_t)n * dx * sizeof(double));
    *y = malloc((size_t)n * dy * sizeof(double));
    for (int i = 0; i < n; i++) {
        for (int a = 0; a < dx; a++) (*x)[(size_t)i * dx + a] = rng_normal(&r);
        for (int b = 0; b < dy; b++) (*y)[(size_t)i * dy + b] = rng_normal(&r);
        for (int a = 0; a < m; a++)
            (*y)[(size_t)i * dy + a] = rho * (*x)[(size_t)i * dx + a] + sqrt(1 - rho * rho) * (*y)[(size_t)i * dy + a];
    }
    double q[64];
    random_rotation(&r, dx, q);
    rotate_rows(*x, n, dx, q);
    random_rotation(&r, dy, q);
    rotate_rows(*y, n, dy, q);
}

TEST(est_digamma_and_quantile) {
    CHECK_CLOSE(digamma(1.0), -0.57721566490153286, 5e-14, 0);
    CHECK_CLOSE(digamma(0.5), -1.9635100260214235, 5e-14, 0);
    CHECK_CLOSE(digamma(10000.0), 9.2102903711428509, 5e-14, 0); /* ln 1e4 − 1/2e4 − 1/1.2e9 */
    CHECK_CLOSE(digamma(7.0), 1.8727843350984671, 5e-14, 0); /* H_6 − γ */
    CHECK_CLOSE(normal_quantile(0.975), 1.959963984540054, 1e-14, 0);
    CHECK_CLOSE(normal_quantile(1e-10), -6.361340902404056, 1e-12, 0);
    CHECK_CLOSE(normal_quantile(0.5), 0.0, 1e-15, 0);
    CHECK_CLOSE(log_unit_ball_volume(2), log(3.14159265358979323846), 1e-14, 0);
    CHECK_CLOSE(log_unit_ball_volume(3), log(4.0 / 3.0 * 3.14159265358979323846), 1e-14, 0);
}

/* The inline exponential of the noise model's sums against libm: within 2 ulp on [−708, 0], exactly
 * 1 at 0 and exactly 0 below −708. */
TEST(est_exp_nonpositive_against_libm) {
    double worst = 0.0;
    for (int i = 0; i <= 2000000; i++) {
        double x = -708.0 * i / 2000000.0 - (i % 7) * 1e-9;
        if (x < -708.0) continue;
        worst = fmax(worst, fabs(exp_nonpositive(x) - exp(x)) / exp(x));
    }
    if (worst > 4.5e-16) fprintf(stderr, "  worst relative error %.3g\n", worst);
    CHECK(worst <= 4.5e-16);
    CHECK(exp_nonpositive(0.0) == 1.0 && exp_nonpositive(-0.0) == 1.0);
    CHECK(exp_nonpositive(-708.5) == 0.0 && exp_nonpositive(-1e300) == 0.0 && exp_nonpositive(-INFINITY) == 0.0);
    CHECK_CLOSE(exp_nonpositive(-1e-300), 1.0, 0, 0);
}

TEST(est_ksg_gaussian_dims_1_and_2) {
    const int n = 10000;
    double mis[5] = {0, 0.5, 1.0, 1.5, 2.0};
    for (int d = 1; d <= 2; d++)
        for (int im = 0; im < 5; im++) {
            double *x, *y;
            gaussian_pair(100 + 10 * d + im, n, d, d, mis[im], &x, &y);
            for (int k = 1; k <= 5; k++) {
                estimate est = {0};
                gi_err e;
                CHECK(mi_ksg(x, d, y, d, n, k, &est, &e) == 0);
                CHECK_CLOSE(est.value, mis[im], 0.05, 0.05);
                CHECK(est.stderr_ > 0 && est.stderr_ < 0.05);
            }
            free(x); free(y);
        }
}

TEST(est_kl_entropy_gaussian_and_uniform) {
    const int n = 10000;
    rng_t r;
    rng_seed(&r, 7);
    for (int d = 1; d <= 4; d++) {
        double *x = malloc((size_t)n * d * sizeof(double)), *u = malloc((size_t)n * d * sizeof(double));
        double sigma = 2.0;
        for (int i = 0; i < n * d; i++) { x[i] = sigma * rng_normal(&r); u[i] = rng_uniform(&r); }
        estimate h = {0};
        gi_err e;
        CHECK(entropy_kl(x, n, d, 3, &h, &e) == 0);
        double truth = 0.5 * d * log(2 * 3.14159265358979323846 * 2.718281828459045 * sigma * sigma);
        CHECK_CLOSE(h.value, truth, 0.03 * d, 0);
        CHECK_CLOSE(h.value, truth, 5 * h.stderr_ + 0.02 * d, 0);
        CHECK(entropy_kl(u, n, d, 3, &h, &e) == 0); /* U[0,1]^d: H = 0; the boundary bias grows with d */
        if (d <= 2) CHECK_CLOSE(h.value, 0.0, 0.02, 0);
        CHECK(entropy_gauss(x, n, d, &h, &e) == 0);
        CHECK_CLOSE(h.value, truth, 4 * h.stderr_, 0);
        free(x); free(u);
    }
}

TEST(est_kl_classes_discrete_label) {
    /* X ~ U[0,1]^d, Y = floor(m X_1): I(X;Y) = H(Y) = ln m. The classes are slabs of width 1/m,
     * whose boundaries bias kl in d >= 2 (seen: −0.03 at d = 2, m = 8; −0.14 at d = 3, m = 8). */
    const int n = 20000;
    rng_t r;
    rng_seed(&r, 11);
    for (int d = 1; d <= 2; d++)
        for (int m = 2; m <= 8; m *= 2) {
            double *x = malloc((size_t)n * d * sizeof(double));
            int *lab = malloc((size_t)n * sizeof(int));
            for (int i = 0; i < n; i++) {
                for (int a = 0; a < d; a++) x[(size_t)i * d + a] = rng_uniform(&r);
                lab[i] = (int)(x[(size_t)i * d] * m);
            }
            estimate est = {0};
            gi_err e;
            CHECK(mi_kl_classes(x, d, lab, n, 5, &est, &e) == 0);
            CHECK_CLOSE(est.value, log((double)m), 0.01, d == 1 ? 0.005 : 0.03);
            free(x); free(lab);
        }
}

TEST(est_kl_mi_gaussian) {
    const int n = 10000;
    double mis[3] = {0, 0.5, 1.0};
    for (int im = 0; im < 3; im++) {
        double *x, *y;
        gaussian_pair(300 + im, n, 1, 1, mis[im], &x, &y);
        estimate est = {0};
        gi_err e;
        CHECK(mi_kl(x, 1, y, 1, n, 5, &est, &e) == 0);
        CHECK_CLOSE(est.value, mis[im], 0.05, 0.05);
        free(x); free(y);
    }
}

TEST(est_gauss_equals_closed_form_on_sample_covariance) {
    const int n = 5000;
    double *x, *y;
    gaussian_pair(17, n, 1, 1, 0.7, &x, &y);
    /* 1+1 dims: I = −½ log(1 − r²) with r the sample correlation */
    double mx = 0, my = 0, sxx = 0, syy = 0, sxy = 0;
    for (int i = 0; i < n; i++) { mx += x[i]; my += y[i]; }
    mx /= n; my /= n;
    for (int i = 0; i < n; i++) {
        sxx += (x[i] - mx) * (x[i] - mx); syy += (y[i] - my) * (y[i] - my); sxy += (x[i] - mx) * (y[i] - my);
    }
    double r2 = sxy * sxy / (sxx * syy);
    estimate est = {0};
    gi_err e;
    CHECK(mi_gauss(x, 1, y, 1, n, &est, &e) == 0);
    CHECK_CLOSE(est.value, -0.5 * log(1 - r2), 1e-10, 0);
    CHECK_CLOSE(est.value, 0.7, 4 * est.stderr_, 0);
    free(x); free(y);
    /* 3+2 dims against the population value */
    gaussian_pair(18, 20000, 3, 2, 1.2, &x, &y);
    CHECK(mi_gauss(x, 3, y, 2, 20000, &est, &e) == 0);
    CHECK_CLOSE(est.value, 1.2, 4 * est.stderr_, 0);
    free(x); free(y);
}

TEST(est_bad_inputs_fail_clearly) {
    double x[6] = {0, 1, 2, 3, 4, 5}, dup[8] = {1, 1, 1, 1, 2, 2, 2, 2}, cst[12] = {0};
    estimate est = {0};
    gi_err e;
    CHECK(entropy_kl(x, 3, 2, 3, &est, &e) == -1);
    CHECK_STR_CONTAINS(e.msg, "need N > k");
    CHECK(entropy_kl(dup, 8, 1, 2, &est, &e) == -1);
    CHECK_STR_CONTAINS(e.msg, "distance 0");
    CHECK(mi_ksg(x, 1, x, 1, 6, 6, &est, &e) == -1);
    CHECK_STR_CONTAINS(e.msg, "need N > k");
    /* ksg on duplicates is defined: ε = 0 gives strict counts of 0, a finite, documented estimate */
    double d2[16] = {1, 1, 1, 1, 2, 2, 2, 2, 3, 3, 3, 3, 4, 4, 4, 4};
    CHECK(mi_ksg(d2, 1, d2, 1, 16, 2, &est, &e) == 0);
    CHECK(isfinite(est.value));
    CHECK_CLOSE(est.value, digamma(2) + digamma(16) - 2 * digamma(1), 1e-12, 0);
    for (int i = 0; i < 6; i++) cst[2 * i] = i;
    CHECK(entropy_gauss(cst, 6, 2, &est, &e) == -1);
    CHECK_STR_CONTAINS(e.msg, "singular");
}

/* Agreement with the peer (../shared/peers/ksg_peer.py, SciPy's cKDTree) on the same inputs:
 * tests/data/mi/golden_peer.txt, made by tests/data/mi/make_golden.py. */
static double *load_matrix(const char *name, const char *suffix, int *n, int *d) {
    char path[256];
    snprintf(path, sizeof path, "tests/data/mi/%s_%s.npy", name, suffix);
    num_matrix m;
    gi_err e;
    if (npy_read(path, &m, &e)) { fprintf(stderr, "  %s\n", e.msg); return NULL; }
    *n = (int)m.rows;
    *d = (int)m.cols;
    return m.data;
}

TEST(est_peer_golden_values) {
    FILE *f = fopen("tests/data/mi/golden_peer.txt", "r");
    CHECK(f != NULL);
    if (!f) return;
    char name[32], est_name[32];
    int k, lines = 0;
    double want;
    while (fscanf(f, "%31s %31s %d %lf", name, est_name, &k, &want) == 4) {
        int n = 0, dx = 0, ny = 0, dy = 0;
        double *x = load_matrix(name, "x", &n, &dx), *y = NULL;
        CHECK(x != NULL);
        if (!x) break;
        estimate got = {NAN, NAN, NULL};
        gi_err e;
        int rc;
        if (strcmp(est_name, "kl-cls") == 0) {
            y = load_matrix(name, "labels", &ny, &dy);
            CHECK(y != NULL && ny == n);
            if (!y || ny != n) { free(x); free(y); break; }
            int *lab = malloc((size_t)n * sizeof(int));
            for (int i = 0; i < n; i++) lab[i] = (int)y[i];
            rc = mi_kl_classes(x, dx, lab, n, k, &got, &e);
            free(lab);
        } else {
            y = load_matrix(name, "y", &ny, &dy);
            CHECK(y != NULL && ny == n);
            if (!y || ny != n) { free(x); free(y); break; }
            rc = strcmp(est_name, "ksg") == 0 ? mi_ksg(x, dx, y, dy, n, k, &got, &e)
                                              : mi_kl(x, dx, y, dy, n, k, &got, &e);
        }
        CHECK(rc == 0);
        if (!(fabs(got.value - want) <= 1e-9 * fabs(want)))
            fprintf(stderr, "  %s %s k=%d: %.17g, peer %.17g\n", name, est_name, k, got.value, want);
        CHECK_CLOSE(got.value, want, 0, 1e-9);
        free(x);
        free(y);
        lines++;
    }
    fclose(f);
    CHECK(lines == 28);
}

/* wkl against the seed's own library (mutinfo, method "KL") on the same inputs, estimate and
 * error to 1e-6 relative: tests/data/mi/golden_seed.txt, made by make_golden_seed.py. */
TEST(est_wkl_equals_seed_library) {
    FILE *f = fopen("tests/data/mi/golden_seed.txt", "r");
    CHECK(f != NULL);
    if (!f) return;
    char name[32], est_name[32];
    int k, rescale, lines = 0;
    double want, want_err;
    while (fscanf(f, "%31s %31s %d %d %lf %lf", name, est_name, &k, &rescale, &want, &want_err) == 6) {
        int n = 0, dx = 0, ny = 0, dy = 0;
        double *x = load_matrix(name, "x", &n, &dx), *y = NULL;
        int classes = strcmp(est_name, "wkl-cls") == 0;
        y = load_matrix(name, classes ? "labels" : "y", &ny, &dy);
        CHECK(x && y && ny == n);
        if (!x || !y || ny != n) { free(x); free(y); break; }
        estimate got = {NAN, NAN, NULL};
        gi_err e;
        int rc;
        if (classes) {
            int *lab = malloc((size_t)n * sizeof(int));
            for (int i = 0; i < n; i++) lab[i] = (int)y[i];
            rc = mi_wkl_classes(x, dx, lab, n, k, rescale, &got, &e);
            free(lab);
        } else {
            rc = mi_wkl(x, dx, y, dy, n, k, rescale, &got, &e);
        }
        CHECK(rc == 0);
        if (!(fabs(got.value - want) <= 1e-6 * fabs(want)))
            fprintf(stderr, "  %s %s k=%d rescale=%d: %.12g, seed %.12g\n", name, est_name, k, rescale, got.value, want);
        CHECK_CLOSE(got.value, want, 0, 1e-6);
        CHECK_CLOSE(got.stderr_, want_err, 0, 1e-6);
        free(x);
        free(y);
        lines++;
    }
    fclose(f);
    CHECK(lines == 22);
}

TEST(est_gcmi_closed_form_and_population) {
    const int n = 1500;
    double *x, *y;
    gaussian_pair(21, n, 1, 1, 0.6, &x, &y);
    /* the transform computed independently: O(N²) ranks with ties broken by index */
    double gx[1500], gy[1500], mx = 0, my = 0;
    for (int i = 0; i < n; i++) {
        int rx = 0, ry = 0;
        for (int j = 0; j < n; j++) {
            rx += x[j] < x[i] || (x[j] == x[i] && j < i);
            ry += y[j] < y[i] || (y[j] == y[i] && j < i);
        }
        gx[i] = normal_quantile((rx + 1.0) / (n + 1.0));
        gy[i] = normal_quantile((ry + 1.0) / (n + 1.0));
        mx += gx[i]; my += gy[i];
    }
    mx /= n; my /= n;
    double sxx = 0, syy = 0, sxy = 0;
    for (int i = 0; i < n; i++) {
        sxx += (gx[i] - mx) * (gx[i] - mx); syy += (gy[i] - my) * (gy[i] - my); sxy += (gx[i] - mx) * (gy[i] - my);
    }
    double r2 = sxy * sxy / (sxx * syy);
    estimate est = {0};
    gi_err e;
    CHECK(mi_gcmi(x, 1, y, 1, n, 0, &est, &e) == 0);
    CHECK_CLOSE(est.value, -0.5 * log(1 - r2), 1e-10, 0);
    CHECK_CLOSE(est.value, 0.6, 4 * est.stderr_, 0);
    /* ties: a constant-in-blocks column still transforms (stable ranks), no NaN */
    for (int i = 0; i < n; i++) x[i] = (double)(i % 7);
    CHECK(mi_gcmi(x, 1, y, 1, n, 1, &est, &e) == 0);
    CHECK(isfinite(est.value));
    free(x); free(y);
    /* the bias correction is exactly the stated term */
    gaussian_pair(22, 800, 3, 2, 1.0, &x, &y);
    estimate h0 = {0}, h1 = {0};
    CHECK(entropy_gauss_bc(x, 800, 3, 0, &h0, &e) == 0 && entropy_gauss_bc(x, 800, 3, 1, &h1, &e) == 0);
    double corr = 3 * (log(2.0) - log(799.0)) / 2 + (digamma(799 / 2.0) + digamma(798 / 2.0) + digamma(797 / 2.0)) / 2;
    CHECK_CLOSE(h0.value - h1.value, corr, 1e-12, 0);
    free(x); free(y);
}

TEST(est_kde_gaussian) {
    const int n = 2000;
    double *x, *y;
    gaussian_pair(31, n, 1, 1, 0.5, &x, &y);
    estimate h = {0}, est = {0};
    gi_err e;
    double bw = 0;
    CHECK(entropy_kde(x, n, 1, 0, &bw, &h, &e) == 0);
    CHECK(bw > 0.05 && bw < 1.0);
    CHECK_CLOSE(h.value, 0.5 * log(2 * 3.14159265358979323846 * 2.718281828459045), 0.05, 0);
    CHECK(mi_kde(x, 1, y, 1, n, 1, &est, &e) == 0);
    CHECK_CLOSE(est.value, 0.5, 0.1, 0);
    free(x); free(y);
}

/* wkl against the truth at N = 1e5: dims 1 and 2 (plain nearest neighbour, whatever k), and the
 * weighted form at 4+4 (the 8-dimensional joint). */
TEST(est_wkl_gaussian_large_n) {
    const int n = 100000;
    double mis[3] = {0, 0.5, 1.0};
    int ks[3] = {1, 5, 9};
    for (int d = 1; d <= 2; d++)
        for (int im = 0; im < 3; im++) {
            double *x, *y;
            gaussian_pair(500 + 10 * d + im, n, d, d, mis[im], &x, &y);
            for (int ik = 0; ik < 3; ik++) {
                estimate est = {0};
                gi_err e;
                CHECK(mi_wkl(x, d, y, d, n, ks[ik], 1, &est, &e) == 0);
                CHECK_CLOSE(est.value, mis[im], 0.1, 0.05);
            }
            free(x); free(y);
        }
    double *x, *y;
    gaussian_pair(600, n, 4, 4, 1.0, &x, &y);
    for (int k = 5; k <= 9; k += 4) {
        estimate est = {0};
        gi_err e;
        CHECK(mi_wkl(x, 4, y, 4, n, k, 1, &est, &e) == 0);
        CHECK_CLOSE(est.value, 1.0, 0.1, 0.05);
    }
    free(x); free(y);
}

/* The per-point terms (for the bootstrap) average to the estimate, for every per-point estimator. */
TEST(est_terms_average_to_the_estimate) {
    const int n = 1500;
    double *x, *y;
    gaussian_pair(41, n, 2, 3, 0.8, &x, &y);
    int *lab = malloc((size_t)n * sizeof(int));
    for (int i = 0; i < n; i++) lab[i] = x[2 * i] > 0.3 ? 2 : (x[2 * i] > -0.5 ? 1 : 0);
    double *terms = malloc((size_t)n * sizeof(double));
    for (int which = 0; which < 6; which++) {
        estimate est = {0, 0, terms};
        gi_err e;
        int rc = which == 0 ? mi_ksg(x, 2, y, 3, n, 5, &est, &e)
               : which == 1 ? mi_kl(x, 2, y, 3, n, 5, &est, &e)
               : which == 2 ? mi_wkl(x, 2, y, 3, n, 5, 1, &est, &e)
               : which == 3 ? mi_kde(x, 2, y, 3, n, 1, &est, &e)
               : which == 4 ? mi_kl_classes(x, 2, lab, n, 5, &est, &e)
                            : mi_wkl_classes(y, 3, lab, n, 5, 1, &est, &e);
        CHECK(rc == 0);
        double s = 0;
        for (int i = 0; i < n; i++) s += terms[i];
        if (!(fabs(s / n - est.value) <= 1e-10 + 1e-10 * fabs(est.value)))
            fprintf(stderr, "  estimator %d: mean of terms %.12g, estimate %.12g\n", which, s / n, est.value);
        CHECK_CLOSE(s / n, est.value, 1e-10, 1e-10);
    }
    free(terms); free(lab); free(x); free(y);
}
