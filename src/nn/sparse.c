#include "sparse.h"
#include <stdlib.h>
#include <string.h>
#include "util/err.h"

static int cmp_float(const void *a, const void *b) {
    float x = *(const float *)a, y = *(const float *)b;
    return (x > y) - (x < y);
}

static float most_frequent(const float *x, size_t n) {
    size_t m = n < 65536 ? n : 65536; /* a strided sample is enough to find the background */
    float *s = gi_malloc(m * sizeof *s);
    for (size_t i = 0; i < m; i++) s[i] = x[(i * (n / m))];
    qsort(s, m, sizeof *s, cmp_float);
    float best = s[0];
    size_t best_run = 0;
    for (size_t i = 0; i < m;) {
        size_t j = i;
        while (j < m && s[j] == s[i]) j++;
        if (j - i > best_run) { best_run = j - i; best = s[i]; }
        i = j;
    }
    free(s);
    return best;
}

double sparse_from_dense(const float *x, int n, int dim, sparse_rows *out) {
    size_t total = (size_t)n * dim;
    float x0 = total ? most_frequent(x, total) : 0.0f;
    size_t nnz = 0;
    for (size_t i = 0; i < total; i++) nnz += x[i] != x0;
    out->n = n; out->dim = dim; out->background = x0;
    out->row_ptr = gi_malloc(((size_t)n + 1) * sizeof(int));
    out->col = gi_malloc(nnz * sizeof(int));
    out->val = gi_malloc(nnz * sizeof(float));
    size_t k = 0;
    for (int r = 0; r < n; r++) {
        out->row_ptr[r] = (int)k;
        const float *row = x + (size_t)r * dim;
        for (int j = 0; j < dim; j++)
            if (row[j] != x0) { out->col[k] = j; out->val[k] = row[j] - x0; k++; }
    }
    out->row_ptr[n] = (int)k;
    return total ? (double)nnz / total : 0.0;
}

void sparse_free(sparse_rows *s) {
    free(s->row_ptr); free(s->col); free(s->val);
    memset(s, 0, sizeof *s);
}

void sparse_cols_build(const sparse_rows *s, const int *idx, int rows, sparse_cols *out) {
    int nnz = 0;
    for (int b = 0; b < rows; b++) nnz += s->row_ptr[idx[b] + 1] - s->row_ptr[idx[b]];
    if (out->dim != s->dim || !out->col_ptr) {
        free(out->col_ptr);
        out->dim = s->dim;
        out->col_ptr = gi_calloc((size_t)s->dim + 1, sizeof(int));
    }
    if (nnz > out->cap) {
        free(out->row); free(out->val);
        out->cap = nnz;
        out->row = gi_malloc((size_t)nnz * sizeof(int));
        out->val = gi_malloc((size_t)nnz * sizeof(float));
    }
    int *cp = out->col_ptr;
    memset(cp, 0, ((size_t)s->dim + 1) * sizeof(int));
    for (int b = 0; b < rows; b++)
        for (int k = s->row_ptr[idx[b]]; k < s->row_ptr[idx[b] + 1]; k++) cp[s->col[k] + 1]++;
    for (int j = 0; j < s->dim; j++) cp[j + 1] += cp[j];
    /* fill in batch order, so every column lists its rows ascending (a fixed summation order) */
    for (int b = 0; b < rows; b++)
        for (int k = s->row_ptr[idx[b]]; k < s->row_ptr[idx[b] + 1]; k++) {
            int p = cp[s->col[k]]++;
            out->row[p] = b;
            out->val[p] = s->val[k];
        }
    for (int j = s->dim; j > 0; j--) cp[j] = cp[j - 1];
    cp[0] = 0;
}

void sparse_cols_free(sparse_cols *c) {
    free(c->col_ptr); free(c->row); free(c->val);
    memset(c, 0, sizeof *c);
}
