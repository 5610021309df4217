/* mi.c — the estimators' table, the lookup by name, and MI with a label variable for each. */
#include "measure/mi.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "measure/knn.h"
#include "measure/noise_model.h"
#include "measure/special.h"

/* ---- each estimator behind the table's uniform signatures ---- */

static int ksg_mi(const mi_estimator *est, const double *x, int dx, const double *y, int dy, int n, estimate *out,
                  gi_err *e) {
    if (!est->standardize) return mi_ksg(x, dx, y, dy, n, est->k, out, e);
    double *xz = zscore_copy(x, n, dx), *yz = zscore_copy(y, n, dy);
    int rc = mi_ksg(xz, dx, yz, dy, n, est->k, out, e);
    free(xz); free(yz);
    return rc;
}

static int kl_mi(const mi_estimator *est, const double *x, int dx, const double *y, int dy, int n, estimate *out,
                 gi_err *e) {
    return mi_kl(x, dx, y, dy, n, est->k, out, e);
}

static int wkl_mi(const mi_estimator *est, const double *x, int dx, const double *y, int dy, int n, estimate *out,
                  gi_err *e) {
    return mi_wkl(x, dx, y, dy, n, est->k, est->rescale, out, e);
}

static int wkl_pooled_mi(const mi_estimator *est, const double *x, int dx, const double *y, int dy, int n,
                         estimate *out, gi_err *e) {
    return mi_wkl_pooled(x, dx, y, dy, n, est->k, est->rescale, out, e);
}

static int kde_mi(const mi_estimator *est, const double *x, int dx, const double *y, int dy, int n, estimate *out,
                  gi_err *e) {
    return mi_kde(x, dx, y, dy, n, est->rescale, out, e);
}

static int gauss_mi(const mi_estimator *est, const double *x, int dx, const double *y, int dy, int n, estimate *out,
                    gi_err *e) {
    return mi_gauss(x, dx, y, dy, n, out, e);
}

static int gcmi_mi(const mi_estimator *est, const double *x, int dx, const double *y, int dy, int n, estimate *out,
                   gi_err *e) {
    return mi_gcmi(x, dx, y, dy, n, est->bias_correct, out, e);
}

/* The entropies take the mi_estimator as their params (entropy_fn's const void *). */
static int kl_entropy(const double *x, int n, int d, const void *params, estimate *out, gi_err *e) {
    const mi_estimator *est = params;
    return entropy_kl(x, n, d, est->k, out, e);
}

static int wkl_entropy(const double *x, int n, int d, const void *params, estimate *out, gi_err *e) {
    const mi_estimator *est = params;
    return entropy_wkl(x, n, d, est->k, est->rescale, out, e);
}

/* every call fits its own bandwidth (each class its own, as the seed) */
static int kde_entropy(const double *x, int n, int d, const void *params, estimate *out, gi_err *e) {
    const mi_estimator *est = params;
    double bandwidth = 0.0;
    return entropy_kde(x, n, d, est->rescale, &bandwidth, out, e);
}

static int gauss_entropy(const double *x, int n, int d, const void *params, estimate *out, gi_err *e) {
    return entropy_gauss(x, n, d, out, e);
}

static int gcmi_entropy(const double *x, int n, int d, const void *params, estimate *out, gi_err *e) {
    const mi_estimator *est = params;
    return entropy_gauss_bc(x, n, d, est->bias_correct, out, e);
}

/* The noise model on the whole layer, with its Kolchinsky–Tracey bounds. */
static int noise_layer(const mi_estimator *est, const double *layer, int width, const int *labels, int n,
                       const layer_noise *noise, layer_mi *out, gi_err *e) {
    noise_options o = {noise->sigma, noise->sigma_rel, est->draws > 0 ? est->draws : NOISE_DEFAULT_DRAWS, noise->key};
    noise_result r;
    if (noise_model(layer, n, width, labels, &o, &r, e)) return -1;
    *out = (layer_mi){r.ixt, r.ity, r.kt.ixt_lo, r.kt.ixt_hi, r.kt.ity_lo, r.kt.ity_hi};
    return 0;
}

/* ---- MI with labels ---- */

static int classes_from_entropy(const mi_estimator *est, const double *x, int dx, const int *labels, int n,
                                estimate *out, gi_err *e) {
    return mi_classes(x, dx, labels, n, estimator_get(est->kind)->entropy, est, out, e);
}

static int wkl_pooled_classes(const mi_estimator *est, const double *x, int dx, const int *labels, int n,
                              estimate *out, gi_err *e) {
    return mi_wkl_pooled_classes(x, dx, labels, n, est->k, est->rescale, out, e);
}

/* Gaussian entropies of X's copula transform over all points (gcmi_model_cd), classes cut after */
static int gcmi_classes(const mi_estimator *est, const double *x, int dx, const int *labels, int n, estimate *out,
                        gi_err *e) {
    double *g = gi_malloc((size_t)n * dx * sizeof(double));
    copula_transform(x, n, dx, g);
    int rc = mi_classes(g, dx, labels, n, gcmi_entropy, est, out, e);
    free(g);
    return rc;
}

/* Ross (2014) with max-norm; classes of one point carry no neighbour and are left out, as sklearn. */
static int ross_classes(int k, const double *x, int dx, const int *labels, int n, estimate *out, gi_err *e) {
    if (knn_check_sizes(n, k, "ksg", e)) return -1;
    double *radius = gi_malloc((size_t)n * sizeof(double)), *xc = gi_malloc((size_t)n * dx * sizeof(double));
    int *order = gi_malloc((size_t)n * sizeof(int)), *start = gi_malloc((size_t)(n + 1) * sizeof(int));
    int *class_size = gi_malloc((size_t)n * sizeof(int));
    int *k_used = gi_malloc((size_t)n * sizeof(int)), *count = gi_malloc((size_t)n * sizeof(int));
    double *dist = gi_malloc((size_t)n * k * sizeof(double));
    int groups = label_groups(labels, n, order, start);
    for (int g = 0; g < groups; g++) {
        const int *members = order + start[g];
        int nc = start[g + 1] - start[g];
        gather_rows(x, dx, members, nc, xc);
        int kc = k < nc - 1 ? k : nc - 1;
        if (kc >= 1) {
            knn_tree *t = knn_build(xc, nc, dx, KNN_MAX);
            knn_query_all(t, kc, dist);
            knn_free(t);
        }
        for (int m = 0; m < nc; m++) {
            int i = members[m];
            class_size[i] = nc;
            k_used[i] = kc;
            radius[i] = kc >= 1 ? dist[(size_t)m * kc + kc - 1] : 0.0;
        }
    }
    knn_tree *t = knn_build(x, n, dx, KNN_MAX);
    knn_count_all(t, radius, count);
    knn_free(t);
    int kept = 0;
    for (int i = 0; i < n; i++) kept += k_used[i] >= 1;
    double *terms = dist; /* n <= n*k */
    int m = 0;
    for (int i = 0; i < n; i++)
        if (k_used[i] >= 1) terms[m++] = digamma(kept) + digamma(k_used[i]) - digamma(class_size[i]) - digamma(count[i] + 1);
    int rc = 0;
    if (kept < 2) rc = gi_fail(e, "ksg: every class has a single point; no neighbours to use");
    else if (out->terms && kept < n) rc = gi_fail(e, "ksg: per-point terms need every class to have 2 or more points");
    else estimate_from_terms(out, terms, kept, 0.0);
    free(radius); free(xc); free(order); free(start); free(class_size); free(k_used); free(count); free(dist);
    return rc;
}

static int ksg_classes(const mi_estimator *est, const double *x, int dx, const int *labels, int n, estimate *out,
                       gi_err *e) {
    if (!est->standardize) return ross_classes(est->k, x, dx, labels, n, out, e);
    double *xz = zscore_copy(x, n, dx);
    int rc = ross_classes(est->k, xz, dx, labels, n, out, e);
    free(xz);
    return rc;
}

/* ---- the table ---- */

/* Sized by its rows, so the assertion catches a kind added to the enum without a row at the end;
 * a missing row in the middle is all zeros, which the unit test refuses (no name). */
static const estimator_traits table[] = {
    [EST_KSG] = {.name = "ksg", .uses_k = 1, .per_point = 1, .standardize_allowed = 1, .handles_labels = 1,
                 .mi = ksg_mi, .mi_classes = ksg_classes},
    [EST_KL] = {.name = "kl", .uses_k = 1, .per_point = 1, .handles_labels = 1,
                .mi = kl_mi, .entropy = kl_entropy, .mi_classes = classes_from_entropy},
    [EST_WKL] = {.name = "wkl", .uses_k = 1, .per_point = 1, .rescale_allowed = 1, .whitens_by_default = 1,
                 .handles_labels = 1, .mi = wkl_mi, .entropy = wkl_entropy, .mi_classes = classes_from_entropy},
    /* one array's entropy is wkl's: its own covariance is the pooled one */
    [EST_WKL_POOLED] = {.name = "wkl-pooled", .uses_k = 1, .per_point = 1, .rescale_allowed = 1,
                        .whitens_by_default = 1, .handles_labels = 1, .mi = wkl_pooled_mi, .entropy = wkl_entropy,
                        .mi_classes = wkl_pooled_classes},
    [EST_KDE] = {.name = "kde", .per_point = 1, .rescale_allowed = 1, .whitens_by_default = 1,
                 .handles_labels = 1, .mi = kde_mi, .entropy = kde_entropy, .mi_classes = classes_from_entropy},
    [EST_GAUSS] = {.name = "gauss", .handles_labels = 1,
                   .mi = gauss_mi, .entropy = gauss_entropy, .mi_classes = classes_from_entropy},
    [EST_GCMI] = {.name = "gcmi", .handles_labels = 1,
                  .mi = gcmi_mi, .entropy = gcmi_entropy, .mi_classes = gcmi_classes},
    [EST_NOISE] = {.name = "noise", .handles_labels = 1, .layer = noise_layer},
};
_Static_assert(sizeof table / sizeof table[0] == EST_COUNT, "one row of the estimator table per estimator_kind");

const estimator_traits *estimator_get(estimator_kind k) { return &table[k]; }
const char *estimator_name(estimator_kind k) { return table[k].name; }

int estimator_from_name(const char *name, estimator_kind *out) {
    for (int k = 0; k < EST_COUNT; k++)
        if (strcmp(name, table[k].name) == 0) { *out = (estimator_kind)k; return 0; }
    return -1;
}

int estimator_on_arrays(const estimator_traits *t) { return t->mi != NULL; }

const char *estimator_names(char *buf, size_t size, const char *sep, const char *last_sep, estimator_filter keep) {
    int kept[EST_COUNT], m = 0;
    for (int k = 0; k < EST_COUNT; k++)
        if (!keep || keep(&table[k])) kept[m++] = k;
    if (size) buf[0] = '\0';
    size_t len = 0;
    for (int i = 0; i < m && len < size; i++) {
        const char *s = i == 0 ? "" : i == m - 1 && last_sep ? last_sep : sep;
        int w = snprintf(buf + len, size - len, "%s%s", s, table[kept[i]].name);
        if (w < 0) break;
        len += (size_t)w;
    }
    return buf;
}

/* ---- the entry points ---- */

static int known_kind(const mi_estimator *est, gi_err *e) {
    if ((unsigned)est->kind < EST_COUNT) return 0;
    return gi_fail(e, "unknown estimator (kind %d)", (int)est->kind);
}

int mi_estimate(const mi_estimator *est, const double *x, int dx, const double *y, int dy, int n, estimate *out,
                gi_err *e) {
    if (known_kind(est, e)) return -1;
    const estimator_traits *t = &table[est->kind];
    if (!t->mi) return gi_fail(e, "%s: estimates from a whole layer, not from two arrays", t->name);
    return t->mi(est, x, dx, y, dy, n, out, e);
}

int mi_estimate_classes(const mi_estimator *est, const double *x, int dx, const int *labels, int n, estimate *out,
                        gi_err *e) {
    if (known_kind(est, e)) return -1;
    const estimator_traits *t = &table[est->kind];
    if (n < 2) return gi_fail(e, "%s: need at least 2 points, got %d", t->name, n);
    if (!t->mi_classes) return gi_fail(e, "%s: no MI with labels from two arrays", t->name);
    return t->mi_classes(est, x, dx, labels, n, out, e);
}
