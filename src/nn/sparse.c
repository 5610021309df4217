#include "nn/sparse.h"
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
    out->col_start = gi_calloc((size_t)dim + 1, sizeof(int));
    for (size_t i = 0; i < k; i++) out->col_start[out->col[i] + 1]++;
    for (int j = 0; j < dim; j++) out->col_start[j + 1] += out->col_start[j];
    return total ? (double)nnz / total : 0.0;
}

void sparse_free(sparse_rows *s) {
    free(s->row_ptr); free(s->col); free(s->val); free(s->col_start);
    memset(s, 0, sizeof *s);
}
