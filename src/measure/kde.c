/* kde.c — entropy from a Gaussian kernel density estimate with leave-one-out densities. */
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include "measure/estimators.h"
#include "measure/linalg.h"

/* t[i] = −log p_{−i}(x_i) for bandwidth h; returns the mean (the entropy estimate) */
static double loo_neg_log_density(const double *x, int n, int d, double h, double *t) {
    const double inv2h2 = 0.5 / (h * h);
    const double log_norm = -0.5 * d * log(2.0 * 3.14159265358979323846 * h * h) - log(n - 1.0);
    double total = 0.0;
    #pragma omp parallel for schedule(dynamic, 64) reduction(+ : total)
    for (int i = 0; i < n; i++) {
        const double *xi = x + (size_t)i * d;
        /* log Σ_j exp(−|xi − xj|²/2h²), stabilised by the nearest neighbour's term */
        double min_q = INFINITY;
        for (int j = 0; j < n; j++) {
            if (j == i) continue;
            double q = 0.0;
            for (int a = 0; a < d; a++) { double u = xi[a] - x[(size_t)j * d + a]; q += u * u; }
            if (q < min_q) min_q = q;
        }
        double s = 0.0;
        for (int j = 0; j < n; j++) {
            if (j == i) continue;
            double q = 0.0;
            for (int a = 0; a < d; a++) { double u = xi[a] - x[(size_t)j * d + a]; q += u * u; }
            s += exp(-(q - min_q) * inv2h2);
        }
        t[i] = -(log_norm - min_q * inv2h2 + log(s));
        total += t[i];
    }
    return total / n;
}

static void column_std_range(const double *x, int n, int d, double *lo, double *hi) {
    *lo = INFINITY;
    *hi = 0.0;
    for (int a = 0; a < d; a++) {
        double m = 0.0, v = 0.0;
        for (int i = 0; i < n; i++) m += x[(size_t)i * d + a];
        m /= n;
        for (int i = 0; i < n; i++) v += (x[(size_t)i * d + a] - m) * (x[(size_t)i * d + a] - m);
        double sd = sqrt(v / n);
        if (sd < *lo) *lo = sd;
        if (sd > *hi) *hi = sd;
    }
}

int entropy_kde(const double *x, int n, int d, int rescale, double *bandwidth, estimate *out, gi_err *e) {
    if (n < 3) return gi_fail(e, "kde entropy: N = %d points: need at least 3", n);
    double half_logdet = 0.0, *xw = NULL;
    if (rescale) {
        if (whiten_for(x, n, d, "kde", &xw, &half_logdet, e)) return -1;
        x = xw;
    }
    double *t = gi_malloc((size_t)n * sizeof(double));
    double h = *bandwidth;
    if (!(h > 0)) {
        /* the seed's bracket around Silverman's rule, then golden-section search on log h */
        double sd_lo, sd_hi, factor = pow((double)n, 0.2 / d);
        column_std_range(x, n, d, &sd_lo, &sd_hi);
        if (!(sd_lo > 0)) {
            free(t); free(xw);
            return gi_fail(e, "kde entropy: a column is constant: no bandwidth fits");
        }
        double a = log(0.5 * sd_lo / factor), b = log(1.06 * sd_hi / factor);
        const double g = 0.6180339887498949;
        double c = b - g * (b - a), dd = a + g * (b - a);
        double fc = loo_neg_log_density(x, n, d, exp(c), t), fd = loo_neg_log_density(x, n, d, exp(dd), t);
        for (int it = 0; it < 40 && b - a > 1e-4; it++) {
            if (fc < fd) { b = dd; dd = c; fd = fc; c = b - g * (b - a); fc = loo_neg_log_density(x, n, d, exp(c), t); }
            else { a = c; c = dd; fc = fd; dd = a + g * (b - a); fd = loo_neg_log_density(x, n, d, exp(dd), t); }
        }
        h = exp(0.5 * (a + b));
        *bandwidth = h;
    }
    loo_neg_log_density(x, n, d, h, t);
    estimate_from_terms(out, t, n, half_logdet);
    free(t);
    free(xw);
    if (!isfinite(out->value)) return gi_fail(e, "kde entropy: not finite (duplicate points with a tiny bandwidth?)");
    return 0;
}

/* The bandwidth travels in params: the first entropy (the joint's) fits it, the others reuse it. */
typedef struct { int rescale; double *bandwidth; } kde_params;

static int kde_entropy_fn(const double *x, int n, int d, const void *params, estimate *out, gi_err *e) {
    const kde_params *p = params;
    return entropy_kde(x, n, d, p->rescale, p->bandwidth, out, e);
}

int mi_kde(const double *x, int dx, const double *y, int dy, int n, int rescale, estimate *out, gi_err *e) {
    double h = 0.0;
    kde_params p = {rescale, &h};
    return mi_from_entropies(kde_entropy_fn, &p, JOINT_FIRST, x, dx, y, dy, n, out, e);
}
