/* mi.c — the estimators by name, and MI with a label variable for each of them. */
#include "measure/mi.h"
#include <stdlib.h>
#include <string.h>
#include "measure/knn.h"
#include "measure/special.h"

static const char *const names[] = {"ksg", "kl", "wkl", "kde", "gauss", "gcmi"};

int estimator_from_name(const char *name, estimator_kind *out) {
    for (int i = 0; i < (int)(sizeof names / sizeof *names); i++)
        if (strcmp(name, names[i]) == 0) { *out = (estimator_kind)i; return 0; }
    return -1;
}

const char *estimator_name(estimator_kind k) { return names[k]; }
int estimator_per_point(estimator_kind k) { return k == EST_KSG || k == EST_KL || k == EST_WKL || k == EST_KDE; }
int estimator_uses_k(estimator_kind k) { return k == EST_KSG || k == EST_KL || k == EST_WKL; }

int mi_estimate(const mi_estimator *est, const double *x, int dx, const double *y, int dy, int n, estimate *out,
                gi_err *e) {
    switch (est->kind) {
    case EST_KSG: return mi_ksg(x, dx, y, dy, n, est->k, out, e);
    case EST_KL: return mi_kl(x, dx, y, dy, n, est->k, out, e);
    case EST_WKL: return mi_wkl(x, dx, y, dy, n, est->k, est->rescale, out, e);
    case EST_KDE: return mi_kde(x, dx, y, dy, n, est->rescale, out, e);
    case EST_GAUSS: return mi_gauss(x, dx, y, dy, n, out, e);
    case EST_GCMI: return mi_gcmi(x, dx, y, dy, n, est->bias_correct, out, e);
    }
    return gi_fail(e, "unknown estimator");
}

static int entropy_by_kind(const double *x, int n, int d, const void *params, estimate *out, gi_err *e) {
    const mi_estimator *est = params;
    switch (est->kind) {
    case EST_KL: return entropy_kl(x, n, d, est->k, out, e);
    case EST_WKL: return entropy_wkl(x, n, d, est->k, est->rescale, out, e);
    case EST_KDE: {
        double bandwidth = 0.0;
        return entropy_kde(x, n, d, est->rescale, &bandwidth, out, e);
    }
    case EST_GAUSS: return entropy_gauss(x, n, d, out, e);
    case EST_GCMI: return entropy_gauss_bc(x, n, d, est->bias_correct, out, e);
    case EST_KSG: break;
    }
    return gi_fail(e, "no entropy for this estimator");
}

/* Ross (2014) with max-norm; classes of one point carry no neighbour and are left out, as sklearn. */
static int mi_ksg_classes(const double *x, int dx, const int *labels, int n, int k, estimate *out, gi_err *e) {
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

int mi_estimate_classes(const mi_estimator *est, const double *x, int dx, const int *labels, int n, estimate *out,
                        gi_err *e) {
    if (n < 2) return gi_fail(e, "%s: need at least 2 points, got %d", estimator_name(est->kind), n);
    if (est->kind == EST_KSG) return mi_ksg_classes(x, dx, labels, n, est->k, out, e);
    if (est->kind != EST_GCMI) return mi_classes(x, dx, labels, n, entropy_by_kind, est, out, e);
    double *g = gi_malloc((size_t)n * dx * sizeof(double));
    copula_transform(x, n, dx, g);
    int rc = mi_classes(g, dx, labels, n, entropy_by_kind, est, out, e);
    free(g);
    return rc;
}
