#include "measure/estimators.h"
#include <math.h>
#include <stdlib.h>
#include <stdio.h>
#include <string.h>
#include "measure/knn.h"
#include "measure/linalg.h"
#include "measure/special.h"

void estimate_from_terms(estimate *out, const double *t, int n, double shift) {
    double s = 0.0, s2 = 0.0;
    for (int i = 0; i < n; i++) s += t[i];
    double mean = s / n;
    for (int i = 0; i < n; i++) s2 += (t[i] - mean) * (t[i] - mean);
    out->value = mean + shift;
    out->stderr_ = n > 1 ? sqrt(s2 / n) / sqrt((double)n) : 0.0;
    if (out->terms)
        for (int i = 0; i < n; i++) out->terms[i] = t[i] + shift;
}

int knn_check_sizes(int n, int k, const char *what, gi_err *e) {
    if (k < 1) return gi_fail(e, "%s: k must be >= 1 (got %d)", what, k);
    if (n <= k) return gi_fail(e, "%s: N = %d points but k = %d: need N > k", what, n, k);
    return 0;
}

int entropy_kl(const double *x, int n, int d, int k, estimate *out, gi_err *e) {
    if (knn_check_sizes(n, k, "kl entropy", e)) return -1;
    double *dist = gi_malloc((size_t)n * k * sizeof(double)), *t = gi_malloc((size_t)n * sizeof(double));
    knn_tree *tree = knn_build(x, n, d, KNN_EUCLID);
    knn_query_all(tree, k, dist);
    knn_free(tree);
    double c = digamma(n) - digamma(k) + log_unit_ball_volume(d);
    int zeros = 0;
    for (int i = 0; i < n; i++) {
        double r = dist[(size_t)i * k + k - 1];
        zeros += r == 0.0;
        t[i] = c + d * log(r);
    }
    if (!zeros) estimate_from_terms(out, t, n, 0.0);
    free(dist);
    free(t);
    if (zeros)
        return gi_fail(e, "kl entropy: %d of %d points have their %d-th neighbour at distance 0 (duplicate points); "
                          "use a larger k or add noise", zeros, n, k);
    return 0;
}

int whiten_for(const double *x, int n, int d, const char *who, double **xw, double *half_logdet, gi_err *e) {
    *xw = gi_malloc((size_t)n * d * sizeof(double));
    if (whiten_symmetric(x, n, d, *xw, half_logdet) == 0) return 0;
    free(*xw);
    *xw = NULL;
    return gi_fail(e, "%s: the covariance of the %d-dimensional data is singular (a constant or linearly dependent "
                      "column); use --no-rescale or drop the column", who, d);
}

double *hstack(const double *x, int dx, const double *y, int dy, int n) {
    double *xy = gi_malloc((size_t)n * (dx + dy) * sizeof(double));
    for (int i = 0; i < n; i++) {
        memcpy(xy + (size_t)i * (dx + dy), x + (size_t)i * dx, (size_t)dx * sizeof(double));
        memcpy(xy + (size_t)i * (dx + dy) + dx, y + (size_t)i * dy, (size_t)dy * sizeof(double));
    }
    return xy;
}

int mi_from_entropies(entropy_fn entropy, const void *params, entropy_order order, const double *x, int dx,
                      const double *y, int dy, int n, estimate *out, gi_err *e) {
    /* the three entropies keep per-point terms only when the caller wants the MI's */
    estimate hx = {0}, hy = {0}, hxy = {0};
    if (out->terms) {
        hx.terms = gi_malloc((size_t)n * sizeof(double));
        hy.terms = gi_malloc((size_t)n * sizeof(double));
        hxy.terms = gi_malloc((size_t)n * sizeof(double));
    }
    double *xy = hstack(x, dx, y, dy, n);
    int rc = order == JOINT_FIRST
                 ? entropy(xy, n, dx + dy, params, &hxy, e) || entropy(x, n, dx, params, &hx, e) ||
                       entropy(y, n, dy, params, &hy, e)
                 : entropy(x, n, dx, params, &hx, e) || entropy(y, n, dy, params, &hy, e) ||
                       entropy(xy, n, dx + dy, params, &hxy, e);
    free(xy);
    if (!rc) {
        out->value = hx.value + hy.value - hxy.value;
        out->stderr_ = hx.stderr_ + hy.stderr_ + hxy.stderr_;
        if (out->terms)
            for (int i = 0; i < n; i++) out->terms[i] = hx.terms[i] + hy.terms[i] - hxy.terms[i];
    }
    free(hx.terms); free(hy.terms); free(hxy.terms);
    return rc ? -1 : 0;
}

static int kl_entropy_fn(const double *x, int n, int d, const void *params, estimate *out, gi_err *e) {
    return entropy_kl(x, n, d, *(const int *)params, out, e);
}

int mi_kl(const double *x, int dx, const double *y, int dy, int n, int k, estimate *out, gi_err *e) {
    return mi_from_entropies(kl_entropy_fn, &k, MARGINALS_FIRST, x, dx, y, dy, n, out, e);
}

typedef struct { int label, index; } label_index;

static int by_label_then_index(const void *a, const void *b) {
    const label_index *p = a, *q = b;
    if (p->label != q->label) return p->label < q->label ? -1 : 1;
    return (p->index > q->index) - (p->index < q->index);
}

int label_groups(const int *labels, int n, int *order, int *start) {
    label_index *li = gi_malloc((size_t)n * sizeof *li);
    for (int i = 0; i < n; i++) li[i] = (label_index){labels[i], i};
    qsort(li, (size_t)n, sizeof *li, by_label_then_index);
    int groups = 0;
    for (int i = 0; i < n; i++) {
        if (i == 0 || li[i].label != li[i - 1].label) start[groups++] = i;
        order[i] = li[i].index;
    }
    start[groups] = n;
    free(li);
    return groups;
}

void gather_rows(const double *x, int d, const int *rows, int m, double *out) {
    for (int r = 0; r < m; r++) memcpy(out + (size_t)r * d, x + (size_t)rows[r] * d, (size_t)d * sizeof(double));
}

int mi_classes(const double *x, int dx, const int *labels, int n, entropy_fn entropy, const void *params,
               estimate *out, gi_err *e) {
    estimate hx = {0, 0, out->terms};
    if (entropy(x, n, dx, params, &hx, e)) return -1;
    double value = hx.value, err = hx.stderr_;
    double *xc = gi_malloc((size_t)n * dx * sizeof(double));
    int *order = gi_malloc((size_t)n * sizeof(int)), *start = gi_malloc((size_t)(n + 1) * sizeof(int));
    double *class_terms = out->terms ? gi_malloc((size_t)n * sizeof(double)) : NULL;
    int groups = label_groups(labels, n, order, start);
    for (int g = 0; g < groups; g++) {
        const int *members = order + start[g];
        int nc = start[g + 1] - start[g];
        gather_rows(x, dx, members, nc, xc);
        estimate hc = {0, 0, class_terms};
        if (entropy(xc, nc, dx, params, &hc, e)) {
            char inner[GI_ERRLEN];
            snprintf(inner, sizeof inner, "%s", e ? e->msg : "");
            int c = labels[members[0]];
            free(xc); free(order); free(start); free(class_terms);
            return gi_fail(e, "class %d: %s", c, inner);
        }
        value -= (double)nc / n * hc.value;
        err += (double)nc / n * hc.stderr_;
        /* Σ_c p(c)·mean_{i in c} h_c(i) = mean_i h_{c(i)}(i): per point, subtract its class's term */
        if (class_terms)
            for (int m = 0; m < nc; m++) out->terms[members[m]] -= class_terms[m];
    }
    free(xc); free(order); free(start); free(class_terms);
    out->value = value;
    out->stderr_ = err;
    return 0;
}

int mi_kl_classes(const double *x, int dx, const int *labels, int n, int k, estimate *out, gi_err *e) {
    return mi_classes(x, dx, labels, n, kl_entropy_fn, &k, out, e);
}

int mi_ksg(const double *x, int dx, const double *y, int dy, int n, int k, estimate *out, gi_err *e) {
    if (knn_check_sizes(n, k, "ksg", e)) return -1;
    double *eps = gi_malloc((size_t)n * sizeof(double)), *terms = gi_malloc((size_t)n * sizeof(double));
    int *nx = gi_malloc((size_t)n * sizeof(int)), *ny = gi_malloc((size_t)n * sizeof(int));
    knn_tree *t = NULL;
    knn_counter *cx = NULL, *cy = NULL;
    /* The marginals' counters need no radii: prepared as tasks beside the joint tree's build. */
    #pragma omp parallel
    #pragma omp single
    {
        #pragma omp task shared(cx)
        cx = knn_counter_new(x, n, dx);
        #pragma omp task shared(cy)
        cy = knn_counter_new(y, n, dy);
        t = knn_build_joint(x, dx, y, dy, n, KNN_MAX);
        #pragma omp taskwait
    }
    knn_query_kth(t, k, eps);
    knn_free(t);
    if (dx <= 2 && dy <= 2) { /* two serial sweeps, one per thread; trees share the threads themselves */
        #pragma omp parallel sections
        {
            knn_counter_count(cx, eps, nx);
            #pragma omp section
            knn_counter_count(cy, eps, ny);
        }
    } else {
        knn_counter_count(cx, eps, nx);
        knn_counter_count(cy, eps, ny);
    }
    knn_counter_free(cx);
    knn_counter_free(cy);
    double c = digamma(k) + digamma(n);
    double *psi = gi_malloc((size_t)n * sizeof(double)); /* psi[m] = digamma(m + 1), counts m < n */
    for (int m = 0; m < n; m++) psi[m] = NAN;
    for (int i = 0; i < n; i++) {
        if (isnan(psi[nx[i]])) psi[nx[i]] = digamma(nx[i] + 1);
        if (isnan(psi[ny[i]])) psi[ny[i]] = digamma(ny[i] + 1);
        terms[i] = c - psi[nx[i]] - psi[ny[i]];
    }
    free(psi);
    estimate_from_terms(out, terms, n, 0.0);
    free(terms); free(eps); free(nx); free(ny);
    return 0;
}

double mi_ksg_ceiling(int n, int k) { return digamma(n) - digamma(k); }

double *zscore_copy(const double *x, int n, int d) {
    double *z = gi_malloc((size_t)n * d * sizeof(double));
    for (int a = 0; a < d; a++) {
        double mean = 0.0, ss = 0.0;
        for (int i = 0; i < n; i++) mean += x[(size_t)i * d + a];
        mean /= n;
        for (int i = 0; i < n; i++) ss += (x[(size_t)i * d + a] - mean) * (x[(size_t)i * d + a] - mean);
        double sd = n > 1 ? sqrt(ss / (n - 1)) : 0.0;
        double scale = sd > 0.0 ? 1.0 / sd : 1.0;
        for (int i = 0; i < n; i++) z[(size_t)i * d + a] = (x[(size_t)i * d + a] - mean) * scale;
    }
    return z;
}

/* log det of the sample covariance (N − 1); -1 if it is not positive definite */
static int covariance_logdet(const double *x, int n, int d, double *logdet) {
    double *c = gi_malloc((size_t)d * d * sizeof(double));
    covariance(x, n, d, NULL, c);
    int rc = spd_logdet(c, d, logdet);
    free(c);
    return rc;
}

int entropy_gauss(const double *x, int n, int d, estimate *out, gi_err *e) {
    if (n <= d) return gi_fail(e, "gauss entropy: N = %d points in %d dimensions: need N > d", n, d);
    double ld;
    if (covariance_logdet(x, n, d, &ld))
        return gi_fail(e, "gauss entropy: the sample covariance is singular (a constant or linearly dependent column)");
    /* error: the asymptotic variance of the log-determinant is 2d/N */
    out->value = 0.5 * (ld + d * log(2.0 * 3.14159265358979323846 * 2.718281828459045235));
    out->stderr_ = 0.5 * sqrt(2.0 * d / n);
    return 0;
}

int mi_gauss(const double *x, int dx, const double *y, int dy, int n, estimate *out, gi_err *e) {
    estimate hx = {0}, hy = {0}, hxy = {0};
    if (entropy_gauss(x, n, dx, &hx, e) || entropy_gauss(y, n, dy, &hy, e)) return -1;
    double *xy = hstack(x, dx, y, dy, n);
    int rc = entropy_gauss(xy, n, dx + dy, &hxy, e);
    free(xy);
    if (rc) return -1;
    out->value = hx.value + hy.value - hxy.value;
    out->stderr_ = gauss_mi_stderr(out->value, dx < dy ? dx : dy, n);
    return 0;
}

double gauss_mi_stderr(double mi, int m, int n) {
    /* for one canonical pair with correlation ρ, I = −½ log(1 − ρ²) has asymptotic sd |ρ|/√N;
     * spread equally over m pairs, ρ² = 1 − e^{−2I/m} and the variances add */
    double rho2 = 1.0 - exp(-2.0 * (mi > 0 ? mi : 0) / m);
    return sqrt(m * rho2 / n);
}
