/* test_api.c — the public C API (include/grokinfo.h) against the functions it wraps and against
 * closed forms: the same numbers as the internal calls (bit for bit), the documented error codes
 * and messages, entropy and a Gaussian channel's plane point against their closed forms, the
 * O-information sets consistent with their Ω = TC − DTC, and the CSV reader's column types. */
#include <stdlib.h>
#include "grokinfo.h"
#include "measure/compress.h"
#include "measure/infoplane.h"
#include "measure/mi.h"
#include "measure/oinfo.h"
#include "test.h"
#include "util/rng.h"

/* n x 2 correlated Gaussian pairs (x, y), correlation rho: I = −½ ln(1 − ρ²) */
static void gauss_pairs(int n, double rho, uint64_t seed, double *x, double *y) {
    rng_t r;
    rng_seed(&r, seed);
    for (int i = 0; i < n; i++) {
        double a = rng_normal(&r), b = rng_normal(&r);
        x[i] = a;
        y[i] = rho * a + sqrt(1 - rho * rho) * b;
    }
}

TEST(api_mi_equals_internal_call) {
    int n = 2000;
    double *x = malloc(n * sizeof(double)), *y = malloc(n * sizeof(double)), *t = malloc(n * sizeof(double));
    gauss_pairs(n, 0.8, 1, x, y);
    grokinfo_mi_options o;
    grokinfo_mi_options_init(&o);
    grokinfo_mi_result r;
    grokinfo_error err;
    CHECK(grokinfo_mi(x, n, 1, y, 1, &o, &r, t, &err) == GROKINFO_OK && err.code == 0 && err.msg[0] == '\0');
    mi_estimator est = {.kind = EST_KSG, .k = 5};
    estimate e = {0};
    gi_err ge;
    CHECK(mi_estimate(&est, x, 1, y, 1, n, &e, &ge) == 0);
    CHECK(r.mi == e.value && r.stderr_ == e.stderr_ && r.n == n && r.dx == 1 && r.dy == 1 && r.k == 5);
    CHECK_CLOSE(r.mi, -0.5 * log(1 - 0.64), 0.05, 0);
    double s = 0;
    for (int i = 0; i < n; i++) s += t[i];
    CHECK_CLOSE(s / n, r.mi, 1e-12, 1e-12);
    CHECK(isnan(r.ci_low) && isnan(r.h_y) && r.flags == 0);
    /* the bootstrap: a function of the seed, around the value */
    o.bootstrap = 200;
    o.seed = 7;
    grokinfo_mi_result b1, b2;
    CHECK(grokinfo_mi(x, n, 1, y, 1, &o, &b1, NULL, NULL) == 0 && grokinfo_mi(x, n, 1, y, 1, &o, &b2, NULL, NULL) == 0);
    CHECK(b1.ci_low == b2.ci_low && b1.ci_high == b2.ci_high && b1.mi == r.mi);
    CHECK(b1.ci_low < r.mi && r.mi < b1.ci_high && b1.ci_high - b1.ci_low < 8 * r.stderr_);
    /* integer labels: the Ross estimator, as mi_estimate_classes */
    int *lab = malloc(n * sizeof(int));
    for (int i = 0; i < n; i++) lab[i] = y[i] > 0;
    o.bootstrap = 0;
    CHECK(grokinfo_mi_labels(x, n, 1, lab, &o, &r, NULL, &err) == 0);
    CHECK(mi_estimate_classes(&est, x, 1, lab, n, &e, &ge) == 0 && r.mi == e.value);
    CHECK(r.classes == 2 && fabs(r.h_y - log(2)) < 1e-3 && r.ceiling > r.h_y);
    free(x); free(y); free(t); free(lab);
}

TEST(api_mi_errors) {
    int n = 50;
    double x[100], y[50];
    for (int i = 0; i < 100; i++) x[i] = i % 7 + 0.01 * i;
    for (int i = 0; i < 50; i++) y[i] = (i * 37) % 11 + 0.001 * i;
    grokinfo_mi_options o;
    grokinfo_mi_options_init(&o);
    grokinfo_mi_result r;
    grokinfo_error err;
    x[7] = NAN; /* row 3, column 1 of a 2-column x */
    CHECK(grokinfo_mi(x, n, 2, y, 1, &o, &r, NULL, &err) == GROKINFO_E_ARG && err.code == GROKINFO_E_ARG);
    CHECK_STR_CONTAINS(err.msg, "x: NaN at row 3, column 1");
    CHECK(isnan(r.mi));
    x[7] = 1.0;
    o.estimator = "nope";
    CHECK(grokinfo_mi(x, n, 2, y, 1, &o, &r, NULL, &err) == GROKINFO_E_ARG);
    CHECK_STR_CONTAINS(err.msg, "'nope' is not one of ksg, kl, wkl, wkl-pooled, kde, gauss, gcmi");
    CHECK(grokinfo_mi_check(&o, 0, NULL) == GROKINFO_E_ARG); /* err may be NULL */
    o.estimator = "noise"; /* a whole-layer estimator: not on two arrays */
    CHECK(grokinfo_mi_check(&o, 0, &err) == GROKINFO_E_ARG);
    o.estimator = "gauss";
    o.bootstrap = 10;
    CHECK(grokinfo_mi(x, n, 2, y, 1, &o, &r, NULL, &err) == GROKINFO_E_ARG);
    CHECK_STR_CONTAINS(err.msg, "--bootstrap needs a per-point estimator");
    o.bootstrap = 0;
    double t[50];
    CHECK(grokinfo_mi(x, n, 2, y, 1, &o, &r, t, &err) == GROKINFO_E_ARG);
    CHECK_STR_CONTAINS(err.msg, "per-point terms need a per-point estimator");
    o.estimator = "ksg";
    o.rescale = 1;
    CHECK(grokinfo_mi(x, n, 2, y, 1, &o, &r, NULL, &err) == GROKINFO_E_ARG);
    CHECK_STR_CONTAINS(err.msg, "--rescale applies to wkl, wkl-pooled and kde only");
    o.rescale = -1;
    o.compress = "pca:0";
    CHECK(grokinfo_mi(x, n, 2, y, 1, &o, &r, NULL, &err) == GROKINFO_E_ARG);
    CHECK_STR_CONTAINS(err.msg, "--compress: expected pca:M, pca-white:M or first:M, got 'pca:0'");
    o.compress = NULL;
    o.k = 50; /* N <= k: the data are valid, the estimate is not */
    CHECK(grokinfo_mi(x, n, 2, y, 1, &o, &r, NULL, &err) == GROKINFO_E_ESTIMATE);
    CHECK(err.msg[0] != '\0' && strchr(err.msg, '\n') == NULL);
    o.k = 5;
    CHECK(grokinfo_mi(NULL, n, 2, y, 1, &o, &r, NULL, &err) == GROKINFO_E_ARG);
    CHECK(grokinfo_mi(x, 0, 2, y, 1, &o, &r, NULL, &err) == GROKINFO_E_ARG);
    CHECK(grokinfo_mi_labels(x, n, 2, NULL, &o, &r, NULL, &err) == GROKINFO_E_ARG);
}

/* compression inside the call: the same as compressing first */
TEST(api_mi_compress) {
    int n = 600, d = 6;
    double *x = malloc((size_t)n * d * sizeof(double)), *xc = malloc((size_t)n * 2 * sizeof(double));
    double *y = malloc(n * sizeof(double));
    rng_t r;
    rng_seed(&r, 3);
    for (int i = 0; i < n; i++) {
        double s = rng_normal(&r);
        for (int j = 0; j < d; j++) x[i * d + j] = s * (j + 1) + rng_normal(&r);
        y[i] = s + 0.5 * rng_normal(&r);
    }
    grokinfo_mi_options o;
    grokinfo_mi_options_init(&o);
    o.compress = "pca-white:2";
    grokinfo_mi_result a, b;
    CHECK(grokinfo_mi(x, n, d, y, 1, &o, &a, NULL, NULL) == 0 && a.dx == 2 && a.dy == 1);
    CHECK(grokinfo_pca(x, n, d, 2, 1, xc, NULL) == 0);
    o.compress = NULL;
    CHECK(grokinfo_mi(xc, n, 2, y, 1, &o, &b, NULL, NULL) == 0 && a.mi == b.mi);
    grokinfo_error err;
    CHECK(grokinfo_pca(x, n, d, 7, 0, xc, &err) == GROKINFO_E_ARG);
    CHECK_STR_CONTAINS(err.msg, "pca: 7 components of 6 columns");
    CHECK(grokinfo_first_coords(x, n, d, 2, xc, NULL) == 0 && xc[3] == x[d + 1]);
    free(x); free(xc); free(y);
}

/* H of a 2-D Gaussian, ½ ln det(2πe Σ), by kl and gauss */
TEST(api_entropy_gaussian) {
    int n = 4000;
    double *x = malloc((size_t)n * 2 * sizeof(double));
    rng_t r;
    rng_seed(&r, 5);
    for (int i = 0; i < n; i++) { x[2 * i] = 2 * rng_normal(&r); x[2 * i + 1] = 0.5 * rng_normal(&r); }
    double truth = log(2 * 3.14159265358979323846 * exp(1.0)) + log(2 * 0.5); /* ½ ln((2πe)² · 4 · 0.25) */
    grokinfo_mi_options o;
    grokinfo_mi_options_init(&o);
    grokinfo_entropy_result h;
    grokinfo_error err;
    CHECK(grokinfo_entropy(x, n, 2, &o, &h, NULL, &err) == GROKINFO_E_ARG); /* ksg has no entropy */
    CHECK_STR_CONTAINS(err.msg, "'ksg' is not one of kl, wkl, wkl-pooled, kde, gauss, gcmi");
    o.estimator = "kl";
    CHECK(grokinfo_entropy(x, n, 2, &o, &h, NULL, &err) == 0 && h.n == n && h.d == 2);
    CHECK_CLOSE(h.h, truth, 3 * h.stderr_ + 0.02, 0);
    o.estimator = "gauss";
    CHECK(grokinfo_entropy(x, n, 2, &o, &h, NULL, &err) == 0);
    CHECK_CLOSE(h.h, truth, 0.03, 0);
    free(x);
}

TEST(api_oinfo_sets) {
    int n = 1500, m = 12;
    double *x = malloc((size_t)n * m * sizeof(double));
    rng_t r;
    rng_seed(&r, 12);
    for (int i = 0; i < n; i++) {
        double s = rng_normal(&r), u = rng_normal(&r);
        for (int j = 0; j < m; j++) x[i * m + j] = fmax(0.0, (j % 3 == 0 ? s : j % 3 == 1 ? u : s + u) + rng_normal(&r));
    }
    for (int i = 0; i < n; i++) x[i * m + 11] = 1.0; /* a dead neuron */
    grokinfo_oinfo_options o;
    grokinfo_oinfo_options_init(&o);
    o.clusters = 4;
    o.greedy_max = 5;
    grokinfo_oinfo_result res;
    int cl[12], greedy[5];
    grokinfo_error err;
    CHECK(grokinfo_oinfo(x, n, m, &o, &res, cl, greedy, &err) == 0);
    oinfo_params p = {.clusters = 4, .greedy_max = 5};
    oinfo_row row;
    gi_err ge;
    CHECK(oinfo_measure_f64(x, n, m, &p, &row, NULL, &ge) == 0);
    CHECK(res.synergy == row.omega_min && res.redundancy == row.omega_max && res.greedy_omega == row.greedy_omega);
    CHECK(res.n_dead == 1 && res.n_live == 11 && cl[11] == 0 && res.n_clusters == 4 && res.n_sets == 11);
    CHECK_CLOSE(res.synergy, res.tc_synergy - res.dtc_synergy, 1e-10, 1e-10);
    CHECK_CLOSE(res.redundancy, res.tc_redundancy - res.dtc_redundancy, 1e-10, 1e-10);
    int in_syn = 0, in_red = 0;
    for (int j = 0; j < m; j++) {
        if (cl[j] && (res.clusters_synergy >> (cl[j] - 1) & 1)) in_syn++;
        if (cl[j] && (res.clusters_redundancy >> (cl[j] - 1) & 1)) in_red++;
    }
    CHECK(in_syn == res.size_synergy && in_red == res.size_redundancy);
    CHECK(res.greedy_size >= 3 && res.greedy_size <= 5);
    for (int i = 0; i < res.greedy_size; i++) CHECK(greedy[i] >= 0 && greedy[i] < 11);
    o.ties = "sideways";
    CHECK(grokinfo_oinfo(x, n, m, &o, &res, NULL, NULL, &err) == GROKINFO_E_ARG);
    CHECK_STR_CONTAINS(err.msg, "--ties: expected one of index, random, average, got 'sideways'");
    o.ties = "random";
    o.clusters = 21;
    CHECK(grokinfo_oinfo(x, n, m, &o, &res, NULL, NULL, &err) == GROKINFO_E_ARG);
    o.clusters = 4;
    CHECK(grokinfo_oinfo(x, 2, m, &o, &res, NULL, NULL, &err) == GROKINFO_E_ESTIMATE); /* n < 3 */
    free(x);
}

/* A Gaussian channel L = A X + σ Z (4 → 4 dims, no compression beyond whitening): with the
 * Gaussian estimator I(X;L) = ½ ln det(I + A Aᵀ/σ²) for unit-variance X. */
TEST(api_plane_gaussian_channel) {
    int n = 6000, d = 4;
    double *x = malloc((size_t)n * d * sizeof(double)), *l = malloc((size_t)n * d * sizeof(double));
    int *y = malloc(n * sizeof(int));
    double a[4] = {1.0, 0.5, 0.25, 0.1}, sigma = 0.5, truth = 0;
    rng_t r;
    rng_seed(&r, 21);
    for (int i = 0; i < n; i++) {
        for (int j = 0; j < d; j++) x[i * d + j] = rng_normal(&r);
        for (int j = 0; j < d; j++) l[i * d + j] = a[j] * x[i * d + j] + sigma * rng_normal(&r);
        y[i] = x[i * d] > 0;
    }
    for (int j = 0; j < d; j++) truth += 0.5 * log(1 + a[j] * a[j] / (sigma * sigma));
    grokinfo_plane_options o;
    grokinfo_plane_options_init(&o);
    o.estimator = "gauss";
    grokinfo_plane_point p;
    grokinfo_error err;
    CHECK(grokinfo_plane(x, n, d, l, d, y, &o, &p, &err) == 0 && p.ixl_ok && p.ily_ok && p.dl == 4 && p.dx == 4);
    CHECK_CLOSE(p.ixl, truth, 0.03, 0.02);
    CHECK(p.ily > 0 && p.ily < log(2) && p.flags == 0);
    /* the same point as the run's code path (infoplane_measure on the float layer) */
    o.estimator = "wkl";
    CHECK(grokinfo_plane(x, n, d, l, d, y, &o, &p, &err) == 0);
    infoplane_options io = {.est = {.kind = EST_WKL, .k = 5, .rescale = 1}, .compression = LAYER_PCA, .dim = 4, .whiten = 1};
    uint8_t *y8 = malloc(n);
    float *lf = malloc((size_t)n * d * sizeof(float));
    for (int i = 0; i < n; i++) y8[i] = (uint8_t)y[i];
    for (int i = 0; i < n * d; i++) lf[i] = (float)l[i];
    infoplane_subset s;
    infoplane_point q;
    gi_err ge;
    CHECK(infoplane_subset_create(&s, &io, x, d, y8, n, 0, &ge) == 0 && infoplane_measure(&s, lf, d, 0, &q, &ge) == 0);
    CHECK(p.ixl == q.ixl && p.ily == q.ily);
    infoplane_subset_free(&s);
    /* errors: labels out of the plane's range, the noise estimator without σ */
    y[5] = 300;
    CHECK(grokinfo_plane(x, n, d, l, d, y, &o, &p, &err) == GROKINFO_E_ARG);
    CHECK_STR_CONTAINS(err.msg, "labels: 300 at row 5");
    y[5] = 0;
    o.estimator = "noise";
    CHECK(grokinfo_plane(x, n, d, l, d, y, &o, &p, &err) == GROKINFO_E_ARG);
    CHECK_STR_CONTAINS(err.msg, "needs the noise: sigma > 0");
    free(x); free(l); free(y); free(y8); free(lf);
}

TEST(api_table_types_and_errors) {
    const char *path = test_tmp_path("t.csv");
    const char *csv = "step,subset,ixl,flags\n0,train,1.5,\n10,eval,,dpi_ixl\n";
    test_write_bytes(path, csv, strlen(csv));
    grokinfo_table *t;
    grokinfo_error err;
    CHECK(grokinfo_table_read(path, &t, &err) == 0);
    CHECK(grokinfo_table_rows(t) == 2 && grokinfo_table_cols(t) == 4);
    CHECK(strcmp(grokinfo_table_name(t, 1), "subset") == 0 && grokinfo_table_name(t, 4) == NULL);
    const double *step = grokinfo_table_num(t, 0), *ixl = grokinfo_table_num(t, 2);
    CHECK(step && step[1] == 10 && ixl && ixl[0] == 1.5 && isnan(ixl[1]));
    CHECK(grokinfo_table_num(t, 1) == NULL && strcmp(grokinfo_table_text(t, 1, 1), "eval") == 0);
    CHECK(grokinfo_table_text(t, 3, 0)[0] == '\0' && strcmp(grokinfo_table_text(t, 3, 1), "dpi_ixl") == 0);
    CHECK(strcmp(grokinfo_table_text(t, 0, 1), "10") == 0 && grokinfo_table_text(t, 1, 2) == NULL);
    grokinfo_table_free(t);
    const char *bad = "a,b\n1,2\n3\n";
    test_write_bytes(path, bad, strlen(bad));
    CHECK(grokinfo_table_read(path, &t, &err) == GROKINFO_E_IO && t == NULL);
    CHECK_STR_CONTAINS(err.msg, ":3: 1 fields, expected 2");
    CHECK(grokinfo_table_read(test_tmp_path("missing.csv"), &t, &err) == GROKINFO_E_IO);
    CHECK_STR_CONTAINS(err.msg, "missing.csv: cannot open");
    CHECK(grokinfo_run_check(test_tmpdir(), &err) == GROKINFO_E_IO);
    CHECK_STR_CONTAINS(err.msg, "not a run directory (no config.yaml");
    int found_mi = 0;
    for (int i = 0; i < grokinfo_run_file_count(); i++) found_mi += strcmp(grokinfo_run_file_name(i), "mi.csv") == 0;
    CHECK(found_mi == 1 && grokinfo_run_file_name(-1) == NULL);
}

TEST(api_names_and_threads) {
    CHECK(grokinfo_api_version() == GROKINFO_API_VERSION && grokinfo_version()[0] != '\0');
    CHECK(grokinfo_estimator_count() == EST_COUNT && strcmp(grokinfo_estimator_name(0), "ksg") == 0);
    CHECK(grokinfo_estimator_name(EST_COUNT) == NULL);
    int ksg = grokinfo_estimator_caps("ksg"), noise = grokinfo_estimator_caps("noise");
    CHECK((ksg & GROKINFO_CAP_ARRAYS) && (ksg & GROKINFO_CAP_TERMS) && !(ksg & GROKINFO_CAP_ENTROPY));
    CHECK(!(noise & GROKINFO_CAP_ARRAYS) && (noise & GROKINFO_CAP_LABELS) && grokinfo_estimator_caps("x") == -1);
    CHECK(grokinfo_flag_count() > 0 && strcmp(grokinfo_flag_name(0), "ily_negative") == 0 && grokinfo_flag_meaning(0));
    int before = grokinfo_set_threads(0);
    CHECK(before >= 1 && grokinfo_set_threads(1) == 1);
    grokinfo_set_threads(before);
}
