/* The estimators by name (measure/mi.h): the dispatch reaches the estimator it names, and MI
 * with labels for every estimator: ksg (Ross 2014) against ln m and against a direct O(N²)
 * evaluation of its formula; Gaussian and copula class MI against their closed form on the
 * sample covariances. */
#include <stdlib.h>
#include "measure/mi.h"
#include "measure/knn.h"
#include "measure/special.h"
#include "util/rng.h"
#include "test.h"

static void slab_labels(uint64_t seed, int n, int d, int m, double *x, int *lab) {
    rng_t r;
    rng_seed(&r, seed);
    for (int i = 0; i < n; i++) {
        for (int a = 0; a < d; a++) x[(size_t)i * d + a] = rng_uniform(&r);
        lab[i] = (int)(x[(size_t)i * d] * m);
    }
}

TEST(mi_names_round_trip_and_dispatch) {
    const char *names[] = {"ksg", "kl", "wkl", "wkl-pooled", "kde", "gauss", "gcmi"};
    for (int i = 0; i < 7; i++) {
        estimator_kind k;
        CHECK(estimator_from_name(names[i], &k) == 0);
        CHECK(strcmp(estimator_name(k), names[i]) == 0);
    }
    estimator_kind k;
    CHECK(estimator_from_name("KL", &k) != 0);
    /* the dispatcher returns exactly what the named function returns */
    const int n = 500;
    double *x = malloc(n * 2 * sizeof(double)), *y = malloc(n * sizeof(double));
    rng_t r;
    rng_seed(&r, 3);
    for (int i = 0; i < n; i++) { x[2 * i] = rng_normal(&r); x[2 * i + 1] = rng_normal(&r); y[i] = x[2 * i] + rng_normal(&r); }
    gi_err e;
    estimate a = {0}, b = {0};
    mi_estimator ksg = {.kind = EST_KSG, .k = 4}, wkl = {.kind = EST_WKL, .k = 7, .rescale = 1};
    CHECK(mi_estimate(&ksg, x, 2, y, 1, n, &a, &e) == 0 && mi_ksg(x, 2, y, 1, n, 4, &b, &e) == 0);
    CHECK(a.value == b.value && a.stderr_ == b.stderr_);
    CHECK(mi_estimate(&wkl, x, 2, y, 1, n, &a, &e) == 0 && mi_wkl(x, 2, y, 1, n, 7, 1, &b, &e) == 0);
    CHECK(a.value == b.value && a.stderr_ == b.stderr_);
    free(x); free(y);
}

/* Ross's formula evaluated directly: O(N²) distances, no tree. */
static double ross_direct(const double *x, int d, const int *lab, int n, int k) {
    double *dc = malloc((size_t)n * sizeof(double)), sum = 0.0;
    for (int i = 0; i < n; i++) {
        int nc = 0, m = 0;
        for (int j = 0; j < n; j++) if (lab[j] == lab[i] && j != i) dc[nc++] = knn_dist(x + (size_t)i * d, x + (size_t)j * d, d, KNN_MAX);
        for (int a = 0; a < k; a++) /* partial selection sort: the k-th smallest */
            for (int b = a + 1; b < nc; b++) if (dc[b] < dc[a]) { double t = dc[a]; dc[a] = dc[b]; dc[b] = t; }
        double radius = dc[k - 1];
        for (int j = 0; j < n; j++) m += knn_dist(x + (size_t)i * d, x + (size_t)j * d, d, KNN_MAX) < radius;
        if (m == 0) m = 1;
        else if (knn_dist(x + (size_t)i * d, x + (size_t)i * d, d, KNN_MAX) >= radius) m++;
        sum += digamma(k) - digamma(nc + 1) - digamma(m);
    }
    free(dc);
    return digamma(n) + sum / n;
}

TEST(mi_ksg_classes_ln_m_and_direct_formula) {
    const int n = 20000;
    double *x = malloc((size_t)n * 2 * sizeof(double));
    int *lab = malloc((size_t)n * sizeof(int));
    gi_err e;
    for (int d = 1; d <= 2; d++)
        for (int m = 2; m <= 8; m *= 2) {
            slab_labels(17 + d * 10 + m, n, d, m, x, lab);
            estimate est = {0};
            mi_estimator ksg = {.kind = EST_KSG, .k = 5};
            CHECK(mi_estimate_classes(&ksg, x, d, lab, n, &est, &e) == 0);
            CHECK_CLOSE(est.value, log((double)m), 0.02, 0.02);
        }
    const int small = 600;
    slab_labels(5, small, 2, 3, x, lab);
    for (int k = 1; k <= 4; k += 3) {
        estimate est = {0};
        mi_estimator ksg = {.kind = EST_KSG, .k = k};
        CHECK(mi_estimate_classes(&ksg, x, 2, lab, small, &est, &e) == 0);
        CHECK_CLOSE(est.value, ross_direct(x, 2, lab, small, k), 1e-12, 1e-12);
    }
    free(x); free(lab);
}

static double logdet_cov(const double *x, int n, int d, const int *lab, int c) {
    double mean[4] = {0}, cov[16] = {0};
    int nc = 0;
    for (int i = 0; i < n; i++) if (lab == NULL || lab[i] == c) { nc++; for (int a = 0; a < d; a++) mean[a] += x[i * d + a]; }
    for (int a = 0; a < d; a++) mean[a] /= nc;
    for (int i = 0; i < n; i++) if (lab == NULL || lab[i] == c)
        for (int a = 0; a < d; a++) for (int b = 0; b < d; b++) cov[a * d + b] += (x[i * d + a] - mean[a]) * (x[i * d + b] - mean[b]);
    for (int a = 0; a < d * d; a++) cov[a] /= nc - 1;
    /* 2x2 only */
    return log(cov[0] * cov[3] - cov[1] * cov[2]);
}

TEST(mi_gauss_classes_closed_form_on_sample) {
    const int n = 3000, d = 2, m = 3;
    double *x = malloc((size_t)n * d * sizeof(double));
    int *lab = malloc((size_t)n * sizeof(int)), counts[3] = {0};
    rng_t r;
    rng_seed(&r, 77);
    for (int i = 0; i < n; i++) {
        lab[i] = (int)rng_below(&r, m);
        counts[lab[i]]++;
        x[i * d] = rng_normal(&r) + 1.5 * lab[i];
        x[i * d + 1] = 0.5 * rng_normal(&r) + 0.3 * x[i * d];
    }
    double truth = 0.5 * logdet_cov(x, n, d, NULL, 0);
    for (int c = 0; c < m; c++) truth -= (double)counts[c] / n * 0.5 * logdet_cov(x, n, d, lab, c);
    gi_err e;
    estimate est = {0};
    mi_estimator g = {.kind = EST_GAUSS};
    CHECK(mi_estimate_classes(&g, x, d, lab, n, &est, &e) == 0);
    CHECK_CLOSE(est.value, truth, 1e-10, 1e-10);
    /* gcmi without bias correction: the same on the copula transform of X over all points */
    double *gx = malloc((size_t)n * d * sizeof(double));
    copula_transform(x, n, d, gx);
    double truth_g = 0.5 * logdet_cov(gx, n, d, NULL, 0);
    for (int c = 0; c < m; c++) truth_g -= (double)counts[c] / n * 0.5 * logdet_cov(gx, n, d, lab, c);
    mi_estimator gc = {.kind = EST_GCMI};
    CHECK(mi_estimate_classes(&gc, x, d, lab, n, &est, &e) == 0);
    CHECK_CLOSE(est.value, truth_g, 1e-10, 1e-10);
    CHECK(est.value > 0.3); /* the classes are separated (about 0.4 nats here) */
    free(x); free(lab); free(gx);
}

TEST(mi_kde_classes_discrete_label) {
    const int n = 1500, m = 4;
    double *x = malloc((size_t)n * sizeof(double));
    int *lab = malloc((size_t)n * sizeof(int));
    slab_labels(9, n, 1, m, x, lab);
    gi_err e;
    estimate est = {0};
    mi_estimator kde = {.kind = EST_KDE};
    CHECK(mi_estimate_classes(&kde, x, 1, lab, n, &est, &e) == 0);
    /* kernel smoothing across the slab edges costs a few hundredths of a nat at this N */
    CHECK_CLOSE(est.value, log((double)m), 0.08, 0);
    free(x); free(lab);
}

TEST(mi_label_groups_sorted_and_far_apart) {
    /* groups in ascending label order, rows ascending within a group; labels far apart cost
     * nothing extra (the classes are found by sorting, not by scanning every value in between) */
    int labels[7] = {2000000000, -5, 2000000000, 3, -5, -2000000000, 3}, order[7], start[8];
    int g = label_groups(labels, 7, order, start);
    int want_order[7] = {5, 1, 4, 3, 6, 0, 2}, want_start[5] = {0, 1, 3, 5, 7};
    CHECK(g == 4);
    CHECK(!memcmp(order, want_order, sizeof order) && !memcmp(start, want_start, sizeof want_start));
    const int n = 400;
    double *x = malloc((size_t)n * sizeof(double));
    int *lab = malloc((size_t)n * sizeof(int));
    rng_t r;
    rng_seed(&r, 2);
    for (int i = 0; i < n; i++) { x[i] = rng_normal(&r) + (i % 2) * 6; lab[i] = i % 2 ? 2000000000 : -2000000000; }
    estimate est = {0};
    gi_err e;
    mi_estimator kl = {.kind = EST_KL, .k = 3};
    CHECK(mi_estimate_classes(&kl, x, 1, lab, n, &est, &e) == 0);
    CHECK_CLOSE(est.value, log(2.0), 0.1, 0); /* two well separated classes */
    free(x); free(lab);
}

/* n points of m independent Gaussian pairs (x_a, y_a) with correlation ρ (I = −(m/2) log(1 − ρ²)),
 * column a of X scaled by sx[a], of Y by sy[a] */
static void scaled_pairs(uint64_t seed, int n, int m, double rho, const double *sx, const double *sy, double *x,
                         double *y) {
    rng_t r;
    rng_seed(&r, seed);
    for (int i = 0; i < n; i++)
        for (int a = 0; a < m; a++) {
            double u = rng_normal(&r), v = rho * u + sqrt(1 - rho * rho) * rng_normal(&r);
            x[(size_t)i * m + a] = sx[a] * u;
            y[(size_t)i * m + a] = sy[a] * v;
        }
}

/* Standardised KSG is KSG on z-scored columns, so that any rescaling (and shift) of the columns
 * gives the same estimate; the default (off) keeps every number as it was. */
TEST(mi_ksg_standardized_ignores_the_scales) {
    const int n = 2000, m = 2;
    double one[2] = {1, 1}, sx[2] = {1000, 0.003}, sy[2] = {0.01, 70};
    double *x = malloc(n * m * sizeof(double)), *y = malloc(n * m * sizeof(double));
    double *xs = malloc(n * m * sizeof(double)), *ys = malloc(n * m * sizeof(double));
    scaled_pairs(41, n, m, 0.8, one, one, x, y);
    scaled_pairs(41, n, m, 0.8, sx, sy, xs, ys);
    for (int i = 0; i < n * m; i++) xs[i] += 5.0, ys[i] -= 3.0;
    mi_estimator raw = {.kind = EST_KSG, .k = 5}, std = {.kind = EST_KSG, .k = 5, .standardize = 1};
    gi_err e;
    estimate a = {0}, b = {0}, c = {0}, d = {0};
    CHECK(mi_estimate(&std, x, m, y, m, n, &a, &e) == 0 && mi_estimate(&std, xs, m, ys, m, n, &b, &e) == 0);
    CHECK_CLOSE(b.value, a.value, 1e-9, 0);
    /* exactly mi_ksg on the z-scored copies */
    double *xz = zscore_copy(xs, n, m), *yz = zscore_copy(ys, n, m);
    CHECK(mi_ksg(xz, m, yz, m, n, 5, &c, &e) == 0 && c.value == b.value && c.stderr_ == b.stderr_);
    /* unstandardised, the scales change the estimate a great deal */
    CHECK(mi_estimate(&raw, xs, m, ys, m, n, &d, &e) == 0 && fabs(d.value - a.value) > 0.3);
    /* the Ross estimator for labels: on z-scored X, so a rescaled X gives the same estimate */
    int *lab = malloc(n * sizeof(int));
    for (int i = 0; i < n; i++) lab[i] = (y[(size_t)i * m] > 0) + 2 * (y[(size_t)i * m + 1] > 0.5);
    CHECK(mi_estimate_classes(&std, x, m, lab, n, &a, &e) == 0 && mi_estimate_classes(&std, xs, m, lab, n, &b, &e) == 0);
    CHECK_CLOSE(b.value, a.value, 1e-9, 0);
    CHECK(mi_estimate_classes(&raw, xz, m, lab, n, &c, &e) == 0 && c.value == b.value);
    free(x); free(y); free(xs); free(ys); free(xz); free(yz); free(lab);
}

/* Two Gaussian pairs on scales six decades apart: standardised KSG finds the closed form, the raw
 * max-norm KSG sees almost nothing (Y's range lies inside X's neighbour radius). */
TEST(mi_ksg_standardized_closed_form) {
    const int n = 4000, m = 2;
    const double rho = 0.8, truth = -0.5 * m * log(1 - rho * rho); /* 1.02 nats */
    double sx[2] = {1000, 300}, sy[2] = {0.001, 0.002};
    double *x = malloc(n * m * sizeof(double)), *y = malloc(n * m * sizeof(double));
    scaled_pairs(43, n, m, rho, sx, sy, x, y);
    mi_estimator raw = {.kind = EST_KSG, .k = 5}, std = {.kind = EST_KSG, .k = 5, .standardize = 1};
    gi_err e;
    estimate a = {0}, b = {0};
    CHECK(mi_estimate(&std, x, m, y, m, n, &a, &e) == 0);
    CHECK_CLOSE(a.value, truth, 0.05, 0.05);
    CHECK(mi_estimate(&raw, x, m, y, m, n, &b, &e) == 0 && b.value < 0.1);
    free(x); free(y);
}

/* KSG's ceiling: on Y = X every joint neighbour is a neighbour in both marginals, n_x = n_y =
 * k − 1, and the estimate is ψ(N) − ψ(k) whatever the data. Standardised, Y = 1024 X (a power of
 * two: the z-scores are the same bits) reaches it too, while the raw estimate on it collapses.
 * On Y = 1000 X + 5 the z-scores differ in the last bits, so for some points the k-th joint
 * neighbour is strictly inside one marginal's radius (n = k there): at most 1/k below. */
TEST(mi_ksg_ceiling_on_a_deterministic_channel) {
    const int sizes[3][3] = {{1000, 5, 4}, {3000, 3, 2}, {500, 1, 1}}; /* N, k, d */
    gi_err e;
    for (int c = 0; c < 3; c++) {
        int n = sizes[c][0], k = sizes[c][1], d = sizes[c][2];
        double *x = malloc((size_t)n * d * sizeof(double)), *y = malloc((size_t)n * d * sizeof(double));
        rng_t r;
        rng_seed(&r, 50 + c);
        for (int i = 0; i < n * d; i++) { x[i] = rng_normal(&r); y[i] = 1024 * x[i]; }
        const double ceiling = mi_ksg_ceiling(n, k);
        estimate a = {0}, b = {0}, s = {0};
        CHECK(mi_ksg(x, d, x, d, n, k, &a, &e) == 0);
        CHECK_CLOSE(a.value, ceiling, 1e-12, 1e-12);
        CHECK_CLOSE(a.stderr_, 0, 1e-12, 0);
        mi_estimator std = {.kind = EST_KSG, .k = k, .standardize = 1};
        CHECK(mi_estimate(&std, x, d, y, d, n, &s, &e) == 0);
        CHECK_CLOSE(s.value, ceiling, 1e-12, 1e-12);
        CHECK(mi_ksg(x, d, y, d, n, k, &b, &e) == 0 && b.value < 0.5);
        for (int i = 0; i < n * d; i++) y[i] = 1000 * x[i] + 5;
        CHECK(mi_estimate(&std, x, d, y, d, n, &s, &e) == 0);
        CHECK(s.value <= ceiling + 1e-12 && s.value >= ceiling - 1.0 / k - 1e-12);
        free(x); free(y);
    }
    CHECK_CLOSE(mi_ksg_ceiling(1000, 5), 5.401, 0.001, 0); /* ψ(1000) − ψ(5): N = 1000, the training subset */
    CHECK_CLOSE(mi_ksg_ceiling(9000, 5), 7.599, 0.001, 0); /* N = 9000, the evaluation subset */
}
