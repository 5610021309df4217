/* sparse.h — inputs stored as "background + sparse deviations".
 * MNIST pixels are mostly 0, which after normalisation is one constant value x0 for every
 * zero pixel; storing x - x0 sparsely (CSR) makes the first layer about 5x cheaper while
 * computing the same product: x·W = x0·(1ᵀW) + (x - x0)·W. */
#ifndef GI_SPARSE_H
#define GI_SPARSE_H
#include <stddef.h>

typedef struct {
    int n, dim;
    float background; /* x0: the value most entries equal */
    int *row_ptr;     /* n + 1 */
    int *col;         /* nnz column indices, ascending within a row */
    float *val;       /* nnz values of x - x0 */
    int *col_start;   /* dim + 1: prefix sums of the entries per column over all rows; a batch's
                         entries of column j fit in [col_start[j], col_start[j+1]) */
} sparse_rows;

/* Builds the CSR of x (n x dim) around its most frequent value; returns the density
 * (fraction of entries that differ from the background). */
double sparse_from_dense(const float *x, int n, int dim, sparse_rows *out);
void sparse_free(sparse_rows *s);

#endif
