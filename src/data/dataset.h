/* dataset.h — labelled images in memory, loaded from IDX files and split into the
 * training subset and the evaluation set. */
#ifndef GI_DATASET_H
#define GI_DATASET_H
#include <stdint.h>
#include "util/err.h"

typedef struct {
    int n;          /* number of examples */
    int dim;        /* features per example (784 for MNIST) */
    int n_classes;  /* 10 */
    float *x;       /* n x dim, row-major, normalised: (pixel/255 - mean) / std */
    uint8_t *y;     /* n labels in [0, n_classes) */
} dataset;

void dataset_free(dataset *d);

/* The embedded default: DIR/npm10k-images-idx3-ubyte and DIR/npm10k-labels-idx1-ubyte
 * (made by `make data`). A missing file gives a message saying to run `make data`. */
int dataset_load_npm10k(const char *dir, double mean, double std, dataset *out, gi_err *e);

/* Standard MNIST layout in DIR: train-images-idx3-ubyte[.gz], train-labels-idx1-ubyte[.gz],
 * t10k-images-idx3-ubyte[.gz], t10k-labels-idx1-ubyte[.gz] (also Fashion-MNIST). */
int dataset_load_standard(const char *dir, int train_part, double mean, double std,
                          dataset *out, gi_err *e);

/* Copies the rows idx[0..n) of src into dst. */
void dataset_subset(const dataset *src, const int *idx, int n, dataset *dst);
#endif
