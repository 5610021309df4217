/* copula.c — the Gaussian-copula transform and Gaussian entropies with bias correction. */
#include <math.h>
#include <stdlib.h>
#include "measure/estimators.h"
#include "measure/linalg.h"
#include "measure/special.h"

typedef struct { double v; int i; } value_index;

static int by_value_then_index(const void *a, const void *b) {
    const value_index *p = a, *q = b;
    if (p->v < q->v) return -1;
    if (p->v > q->v) return 1;
    return (p->i > q->i) - (p->i < q->i);
}

void copula_transform(const double *x, int n, int d, double *g) {
    value_index *col = gi_malloc((size_t)n * sizeof *col);
    for (int a = 0; a < d; a++) {
        for (int i = 0; i < n; i++) col[i] = (value_index){x[(size_t)i * d + a], i};
        qsort(col, (size_t)n, sizeof *col, by_value_then_index);
        double mean = 0.0;
        for (int r = 0; r < n; r++) {
            double q = normal_quantile((r + 1.0) / (n + 1.0));
            g[(size_t)col[r].i * d + a] = q;
            mean += q;
        }
        mean /= n;
        for (int i = 0; i < n; i++) g[(size_t)i * d + a] -= mean;
    }
    free(col);
}

int entropy_gauss_bc(const double *x, int n, int d, int bias_correct, estimate *out, gi_err *e) {
    if (entropy_gauss(x, n, d, out, e)) return -1;
    if (bias_correct) {
        double corr = d * (log(2.0) - log(n - 1.0)) / 2.0;
        for (int i = 1; i <= d; i++) corr += digamma((n - i) / 2.0) / 2.0;
        out->value -= corr;
    }
    return 0;
}

int mi_gcmi(const double *x, int dx, const double *y, int dy, int n, int bias_correct, estimate *out, gi_err *e) {
    double *gx = gi_malloc((size_t)n * dx * sizeof(double)), *gy = gi_malloc((size_t)n * dy * sizeof(double));
    copula_transform(x, n, dx, gx);
    copula_transform(y, n, dy, gy);
    double *gxy = hstack(gx, dx, gy, dy, n);
    estimate hx = {0}, hy = {0}, hxy = {0};
    int rc = entropy_gauss_bc(gx, n, dx, bias_correct, &hx, e) || entropy_gauss_bc(gy, n, dy, bias_correct, &hy, e) ||
             entropy_gauss_bc(gxy, n, dx + dy, bias_correct, &hxy, e);
    free(gx); free(gy); free(gxy);
    if (rc) return -1;
    out->value = hx.value + hy.value - hxy.value;
    out->stderr_ = gauss_mi_stderr(out->value, dx < dy ? dx : dy, n);
    return 0;
}
