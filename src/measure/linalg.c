#include "measure/linalg.h"
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include "util/err.h"

/* LAPACK (shipped inside Debian's OpenBLAS), Fortran calling convention, column-major */
void dsyevd_(const char *jobz, const char *uplo, const int *n, double *a, const int *lda, double *w, double *work,
             const int *lwork, int *iwork, const int *liwork, int *info);
void dgelsd_(const int *m, const int *n, const int *nrhs, double *a, const int *lda, double *b, const int *ldb,
             double *s, const double *rcond, int *rank, double *work, const int *lwork, int *iwork, int *info);

void covariance(const double *x, int n, int d, double *mean_out, double *cov) {
    double *mean = gi_calloc((size_t)d, sizeof(double));
    for (int i = 0; i < n; i++)
        for (int a = 0; a < d; a++) mean[a] += x[(size_t)i * d + a];
    for (int a = 0; a < d; a++) mean[a] /= n;
    memset(cov, 0, (size_t)d * d * sizeof(double));
    for (int i = 0; i < n; i++) {
        const double *row = x + (size_t)i * d;
        for (int a = 0; a < d; a++) {
            double da = row[a] - mean[a];
            for (int b = 0; b <= a; b++) cov[a * d + b] += da * (row[b] - mean[b]);
        }
    }
    for (int a = 0; a < d; a++)
        for (int b = 0; b <= a; b++) cov[b * d + a] = cov[a * d + b] /= (n - 1);
    if (mean_out) memcpy(mean_out, mean, (size_t)d * sizeof(double));
    free(mean);
}

int spd_logdet(const double *a, int d, double *logdet) {
    double *l = gi_malloc((size_t)d * d * sizeof(double));
    memcpy(l, a, (size_t)d * d * sizeof(double));
    double ld = 0.0;
    int ok = 1;
    for (int j = 0; j < d && ok; j++) {
        double s = l[j * d + j];
        for (int m = 0; m < j; m++) s -= l[j * d + m] * l[j * d + m];
        if (!(s > 0.0)) { ok = 0; break; }
        double r = sqrt(s);
        l[j * d + j] = r;
        ld += 2.0 * log(r);
        for (int i = j + 1; i < d; i++) {
            double t = l[i * d + j];
            for (int m = 0; m < j; m++) t -= l[i * d + m] * l[j * d + m];
            l[i * d + j] = t / r;
        }
    }
    free(l);
    *logdet = ld;
    return ok ? 0 : -1;
}

int sym_eigen(const double *a, int d, double *values, double *vecs) {
    /* a symmetric matrix is its own transpose: row-major in = column-major in */
    memcpy(vecs, a, (size_t)d * d * sizeof(double));
    int info, lwork = -1, liwork = -1, iw;
    double wq;
    dsyevd_("V", "L", &d, vecs, &d, values, &wq, &lwork, &iw, &liwork, &info);
    lwork = (int)wq;
    liwork = iw;
    double *work = gi_malloc((size_t)lwork * sizeof(double));
    int *iwork = gi_malloc((size_t)liwork * sizeof(int));
    dsyevd_("V", "L", &d, vecs, &d, values, work, &lwork, iwork, &liwork, &info);
    free(work);
    free(iwork);
    /* column-major eigenvectors -> row-major with eigenvectors as columns: transpose */
    for (int i = 0; i < d; i++)
        for (int j = i + 1; j < d; j++) { double t = vecs[i * d + j]; vecs[i * d + j] = vecs[j * d + i]; vecs[j * d + i] = t; }
    return info == 0 ? 0 : -1;
}

int lstsq_min_norm(const double *a, int m, int n, const double *b, double rcond, double *x) {
    int ldb = m > n ? m : n, nrhs = 1, rank, info, lwork = -1, iwq;
    double *acol = gi_malloc((size_t)m * n * sizeof(double)), *bb = gi_calloc((size_t)ldb, sizeof(double));
    double *s = gi_malloc((size_t)(m < n ? m : n) * sizeof(double)), wq;
    for (int i = 0; i < m; i++)
        for (int j = 0; j < n; j++) acol[(size_t)j * m + i] = a[(size_t)i * n + j];
    memcpy(bb, b, (size_t)m * sizeof(double));
    dgelsd_(&m, &n, &nrhs, acol, &m, bb, &ldb, s, &rcond, &rank, &wq, &lwork, &iwq, &info);
    lwork = (int)wq;
    double *work = gi_malloc((size_t)lwork * sizeof(double));
    int *iwork = gi_malloc((size_t)(iwq > 1 ? iwq : 1) * sizeof(int));
    dgelsd_(&m, &n, &nrhs, acol, &m, bb, &ldb, s, &rcond, &rank, work, &lwork, iwork, &info);
    memcpy(x, bb, (size_t)n * sizeof(double));
    free(acol); free(bb); free(s); free(work); free(iwork);
    return info == 0 ? 0 : -1;
}

int whiten_symmetric(const double *x, int n, int d, double *out, double *half_logdet) {
    double *c = gi_malloc((size_t)d * d * sizeof(double)), *vec = gi_malloc((size_t)d * d * sizeof(double));
    double *lam = gi_malloc((size_t)d * sizeof(double)), *s = gi_calloc((size_t)d * d, sizeof(double));
    covariance(x, n, d, NULL, c);
    int rc = sym_eigen(c, d, lam, vec);
    double hl = 0.0;
    for (int a = 0; rc == 0 && a < d; a++) {
        /* relative to the largest eigenvalue: a constant or dependent column */
        if (!(lam[a] > 1e-12 * lam[d - 1]) || !(lam[a] > 0)) { rc = -1; break; }
        hl += 0.5 * log(lam[a]);
    }
    if (rc == 0) {
        for (int a = 0; a < d; a++)
            for (int b = 0; b < d; b++) {
                double v = 0.0;
                for (int m = 0; m < d; m++) v += vec[a * d + m] * vec[b * d + m] / sqrt(lam[m]);
                s[a * d + b] = v;
            }
        for (int i = 0; i < n; i++)
            for (int b = 0; b < d; b++) {
                double v = 0.0;
                for (int a = 0; a < d; a++) v += x[(size_t)i * d + a] * s[a * d + b];
                out[(size_t)i * d + b] = v;
            }
        *half_logdet = hl;
    }
    free(c); free(vec); free(lam); free(s);
    return rc;
}
