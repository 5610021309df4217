#include "measure/compress.h"
#include <cblas.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include "measure/linalg.h"

int pca_compress(const double *x, int n, int d, int m, int whiten, double *out, gi_err *e) {
    if (m < 1 || m > d) return gi_fail(e, "pca: %d components asked of %d-dimensional data", m, d);
    if (n < 2) return gi_fail(e, "pca: need at least 2 samples (got %d)", n);
    double *mean = gi_calloc((size_t)d, sizeof(double)), *xc = gi_malloc((size_t)n * d * sizeof(double));
    for (int i = 0; i < n; i++)
        for (int a = 0; a < d; a++) mean[a] += x[(size_t)i * d + a];
    for (int a = 0; a < d; a++) mean[a] /= n;
    for (int i = 0; i < n; i++)
        for (int a = 0; a < d; a++) xc[(size_t)i * d + a] = x[(size_t)i * d + a] - mean[a];
    /* C = Xcᵀ Xc / (N − 1): dsyrk fills the lower triangle; mirror it */
    double *c = gi_calloc((size_t)d * d, sizeof(double)), *vec = gi_malloc((size_t)d * d * sizeof(double));
    double *lam = gi_malloc((size_t)d * sizeof(double));
    cblas_dsyrk(CblasRowMajor, CblasLower, CblasTrans, d, n, 1.0 / (n - 1), xc, d, 0.0, c, d);
    for (int a = 0; a < d; a++)
        for (int b = a + 1; b < d; b++) c[a * d + b] = c[b * d + a];
    int rc = sym_eigen(c, d, lam, vec);
    if (rc == 0) {
        /* the m largest (sym_eigen sorts ascending): columns d-1, d-2, ... */
        double *v = gi_malloc((size_t)d * m * sizeof(double));
        for (int j = 0; j < m; j++) {
            int col = d - 1 - j;
            int arg = 0;
            for (int a = 1; a < d; a++)
                if (fabs(vec[a * d + col]) > fabs(vec[arg * d + col])) arg = a;
            double sign = vec[arg * d + col] < 0 ? -1.0 : 1.0;
            double scale = sign;
            if (whiten) {
                if (!(lam[col] > 1e-12 * lam[d - 1])) { rc = -2; break; }
                scale /= sqrt(lam[col]);
            }
            for (int a = 0; a < d; a++) v[a * m + j] = vec[a * d + col] * scale;
        }
        if (rc == 0)
            cblas_dgemm(CblasRowMajor, CblasNoTrans, CblasNoTrans, n, m, d, 1.0, xc, d, v, m, 0.0, out, m);
        free(v);
    }
    free(mean); free(xc); free(c); free(vec); free(lam);
    if (rc == -2) return gi_fail(e, "pca: component variance is zero: cannot whiten %d components of data of rank < %d", m, m);
    if (rc) return gi_fail(e, "pca: eigendecomposition failed");
    return 0;
}

void first_coords(const double *x, int n, int d, int m, double *out) {
    for (int i = 0; i < n; i++) memcpy(out + (size_t)i * m, x + (size_t)i * d, (size_t)m * sizeof(double));
}
