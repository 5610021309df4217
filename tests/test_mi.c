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
    const char *names[] = {"ksg", "kl", "wkl", "kde", "gauss", "gcmi"};
    for (int i = 0; i < 6; i++) {
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
    mi_estimator ksg = {EST_KSG, 4, 0, 0, 0}, wkl = {EST_WKL, 7, 1, 0, 0};
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
            mi_estimator ksg = {EST_KSG, 5, 0, 0, 0};
            CHECK(mi_estimate_classes(&ksg, x, d, lab, n, &est, &e) == 0);
            CHECK_CLOSE(est.value, log((double)m), 0.02, 0.02);
        }
    const int small = 600;
    slab_labels(5, small, 2, 3, x, lab);
    for (int k = 1; k <= 4; k += 3) {
        estimate est = {0};
        mi_estimator ksg = {EST_KSG, k, 0, 0, 0};
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
    mi_estimator g = {EST_GAUSS, 0, 0, 0, 0};
    CHECK(mi_estimate_classes(&g, x, d, lab, n, &est, &e) == 0);
    CHECK_CLOSE(est.value, truth, 1e-10, 1e-10);
    /* gcmi without bias correction: the same on the copula transform of X over all points */
    double *gx = malloc((size_t)n * d * sizeof(double));
    copula_transform(x, n, d, gx);
    double truth_g = 0.5 * logdet_cov(gx, n, d, NULL, 0);
    for (int c = 0; c < m; c++) truth_g -= (double)counts[c] / n * 0.5 * logdet_cov(gx, n, d, lab, c);
    mi_estimator gc = {EST_GCMI, 0, 0, 0, 0};
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
    mi_estimator kde = {EST_KDE, 0, 0, 0, 0};
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
    mi_estimator kl = {EST_KL, 3, 0, 0, 0};
    CHECK(mi_estimate_classes(&kl, x, 1, lab, n, &est, &e) == 0);
    CHECK_CLOSE(est.value, log(2.0), 0.1, 0); /* two well separated classes */
    free(x); free(lab);
}
