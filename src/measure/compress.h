/* compress.h — lossy compression of high-dimensional samples before MI estimation
 * (Butakov et al. 2024): PCA to m components (optionally whitened), or the first m coordinates. */
#ifndef GI_COMPRESS_H
#define GI_COMPRESS_H
#include "util/err.h"

/* out (n x m) = (x − mean)·V_m, V_m the eigenvectors of the sample covariance (N − 1) with the m
 * largest eigenvalues, in decreasing order, each signed so that its largest |loading| is
 * positive; whiten divides component j by sqrt(λ_j), as scikit-learn's PCA(whiten=True). */
int pca_compress(const double *x, int n, int d, int m, int whiten, double *out, gi_err *e);
/* out (n x m) = the first m columns of x */
void first_coords(const double *x, int n, int d, int m, double *out);
#endif
