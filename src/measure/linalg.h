/* linalg.h — the small dense linear algebra the estimators need (double, via LAPACK where it pays). */
#ifndef GI_LINALG_H
#define GI_LINALG_H

/* Sample covariance with N − 1, d x d row-major (full matrix); mean may be NULL. */
void covariance(const double *x, int n, int d, double *mean, double *cov);
/* log det of a symmetric positive-definite matrix by Cholesky; -1 if it is not positive definite. */
int spd_logdet(const double *a, int d, double *logdet);
/* Eigenvalues (ascending) and eigenvectors (columns of vecs, row-major d x d) of a symmetric matrix. */
int sym_eigen(const double *a, int d, double *values, double *vecs);
/* Minimum-norm least squares x (n) of A x = b, A m x n row-major, singular values below
 * rcond·s_max treated as zero (LAPACK dgelsd, as numpy.linalg.lstsq). */
int lstsq_min_norm(const double *a, int m, int n, const double *b, double rcond, double *x);
/* out = x·C^{-1/2} with the symmetric inverse square root of the sample covariance C (as the
 * seed's inv(sqrtm(C))); ½ log det C into *half_logdet. -1 if C is singular (relative 1e-12). */
int whiten_symmetric(const double *x, int n, int d, double *out, double *half_logdet);
#endif
