/* wkl.c — the weighted Kozachenko–Leonenko entropy of the seed's MI library, with whitening per
 * entropy (wkl) or pooled (wkl-pooled). */
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include "measure/estimators.h"
#include "measure/knn.h"
#include "measure/linalg.h"
#include "measure/special.h"

int wkl_weights(int k, int d, double *w) {
    memset(w, 0, (size_t)k * sizeof(double));
    if (d <= 4) { w[0] = 1.0; return 0; }
    int n_gamma = d / 4;
    /* rows: the sum, the gamma constraints, then e_j for every j outside the kept set */
    char *keep = gi_calloc((size_t)k, 1);
    for (int i = 1; i <= d; i++) {
        int j = i * k / d - 1;
        if (j >= 0 && j < k) keep[j] = 1;
    }
    int n_zero = 0;
    for (int j = 0; j < k; j++) n_zero += !keep[j];
    int m = 1 + n_gamma + n_zero;
    double *a = gi_calloc((size_t)m * k, sizeof(double)), *b = gi_calloc((size_t)m, sizeof(double));
    for (int j = 0; j < k; j++) a[j] = 1.0 / k;
    b[0] = 1.0 / k;
    for (int l = 1; l <= n_gamma; l++) {
        double *row = a + (size_t)l * k, norm = 0.0;
        for (int j = 1; j <= k; j++) {
            row[j - 1] = exp(lgamma(j + 2.0 * l / d) - lgamma((double)j));
            norm += row[j - 1] * row[j - 1];
        }
        for (int j = 0; j < k; j++) row[j] /= sqrt(norm);
    }
    int r = 1 + n_gamma;
    for (int j = 0; j < k; j++)
        if (!keep[j]) a[(size_t)r++ * k + j] = 1.0;
    int rc = lstsq_min_norm(a, m, k, b, 1e-6, w);
    free(keep); free(a); free(b);
    return rc;
}

int entropy_wkl(const double *x, int n, int d, int k, int rescale, estimate *out, gi_err *e) {
    if (knn_check_sizes(n, k, "wkl entropy", e)) return -1;
    double half_logdet = 0.0, *xw = NULL;
    if (rescale) {
        if (whiten_for(x, n, d, "wkl", &xw, &half_logdet, e)) return -1;
        x = xw;
    }
    double *w = gi_malloc((size_t)k * sizeof(double));
    if (wkl_weights(k, d, w)) { free(w); free(xw); return gi_fail(e, "wkl: least squares for the weights failed"); }
    /* only the neighbours up to the last non-zero weight matter (d <= 4: the nearest alone) */
    int k_used = k;
    while (k_used > 1 && w[k_used - 1] == 0.0) k_used--;
    double *dist = gi_malloc((size_t)n * k_used * sizeof(double)), *t = gi_malloc((size_t)n * sizeof(double));
    knn_tree *tree = knn_build(x, n, d, KNN_EUCLID);
    knn_query_all(tree, k_used, dist);
    knn_free(tree);
    double base = log((double)n - 1.0) + log_unit_ball_volume(d);
    int zeros = 0;
    for (int i = 0; i < n; i++) {
        double s = 0.0;
        for (int j = 0; j < k_used; j++) {
            if (w[j] == 0.0) continue;
            double r = dist[(size_t)i * k_used + j];
            if (r == 0.0) { zeros++; break; }
            s += w[j] * (base - digamma(j + 1.0) + d * log(r));
        }
        t[i] = s;
    }
    if (!zeros) estimate_from_terms(out, t, n, half_logdet);
    free(w); free(dist); free(t); free(xw);
    if (zeros)
        return gi_fail(e, "wkl entropy: %d of %d points have a neighbour at distance 0 (duplicate points); add noise",
                       zeros, n);
    return 0;
}

typedef struct { int k, rescale; } wkl_params;

static int wkl_entropy_fn(const double *x, int n, int d, const void *params, estimate *out, gi_err *e) {
    const wkl_params *p = params;
    return entropy_wkl(x, n, d, p->k, p->rescale, out, e);
}

int mi_wkl(const double *x, int dx, const double *y, int dy, int n, int k, int rescale, estimate *out, gi_err *e) {
    wkl_params p = {k, rescale};
    return mi_from_entropies(wkl_entropy_fn, &p, MARGINALS_FIRST, x, dx, y, dy, n, out, e);
}

int mi_wkl_classes(const double *x, int dx, const int *labels, int n, int k, int rescale, estimate *out, gi_err *e) {
    wkl_params p = {k, rescale};
    return mi_classes(x, dx, labels, n, wkl_entropy_fn, &p, out, e);
}

int mi_wkl_pooled(const double *x, int dx, const double *y, int dy, int n, int k, int rescale, estimate *out,
                  gi_err *e) {
    if (!rescale) return mi_wkl(x, dx, y, dy, n, k, 0, out, e);
    double *xw = NULL, *yw = NULL, half_logdet; /* (each ½ log det appears in H(X, Y) too: they cancel) */
    if (whiten_for(x, n, dx, "wkl-pooled", &xw, &half_logdet, e)) return -1;
    if (whiten_for(y, n, dy, "wkl-pooled", &yw, &half_logdet, e)) { free(xw); return -1; }
    int rc = mi_wkl(xw, dx, yw, dy, n, k, 0, out, e);
    free(xw); free(yw);
    return rc;
}

int mi_wkl_pooled_classes(const double *x, int dx, const int *labels, int n, int k, int rescale, estimate *out,
                          gi_err *e) {
    if (!rescale) return mi_wkl_classes(x, dx, labels, n, k, 0, out, e);
    double *xw = NULL, half_logdet; /* (in H(X) and in every H(X | c) alike: it cancels) */
    if (whiten_for(x, n, dx, "wkl-pooled", &xw, &half_logdet, e)) return -1;
    int rc = mi_wkl_classes(xw, dx, labels, n, k, 0, out, e);
    free(xw);
    return rc;
}
