#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <zlib.h>
#include "data/idx.h"
#include "test.h"


static void write_gz(const char *path, const void *data, size_t n) {
    gzFile gz = gzopen(path, "wb");
    if (!gz) { perror(path); abort(); }
    if (n) gzwrite(gz, data, (unsigned)n);
    gzclose(gz);
}

/* A 3 x 2 x 4 unsigned-byte IDX image: header then bytes 0..23 (times 10, mod 256). */
static size_t make_idx3(uint8_t *buf) {
    const uint8_t hdr[16] = {0, 0, 8, 3, 0, 0, 0, 3, 0, 0, 0, 2, 0, 0, 0, 4};
    memcpy(buf, hdr, 16);
    for (int i = 0; i < 24; i++) buf[16 + i] = (uint8_t)(i * 10);
    return 40;
}

static void check_idx3(int *failures, const idx_array *a) {
    CHECK(a->ndim == 3);
    CHECK(a->dims[0] == 3 && a->dims[1] == 2 && a->dims[2] == 4);
    CHECK(a->count == 24);
    int ok = a->data != NULL;
    for (int i = 0; ok && i < 24; i++) ok = a->data[i] == (uint8_t)(i * 10);
    CHECK(ok);
}

/* Reads path, expects failure with a message naming the file and containing what. */
static void check_read_fails(int *failures, const char *path, const char *what) {
    idx_array a;
    gi_err e = {{0}};
    CHECK(idx_read(path, &a, &e) == -1);
    CHECK(a.data == NULL);
    CHECK_STR_CONTAINS(e.msg, path);
    CHECK_STR_CONTAINS(e.msg, what);
}

TEST(idx_plain_roundtrip) {
    uint8_t buf[64] = {0};
    size_t n = make_idx3(buf);
    const char *p = test_tmp_path("idx_plain");
    test_write_bytes(p, buf, n);
    idx_array a;
    gi_err e = {{0}};
    CHECK(idx_read(p, &a, &e) == 0);
    check_idx3(failures, &a);

    /* idx_write then idx_read gives the same array and the same bytes */
    const char *q = test_tmp_path("idx_written");
    CHECK(idx_write(q, &a, &e) == 0);
    size_t m;
    uint8_t *back = test_read_bytes(q, &m);
    CHECK(m == n && memcmp(back, buf, n) == 0);
    free(back);
    idx_array b;
    CHECK(idx_read(q, &b, &e) == 0);
    check_idx3(failures, &b);
    idx_free(&a);
    idx_free(&b);
    CHECK(a.data == NULL && a.count == 0 && a.ndim == 0);
}

TEST(idx_gz_roundtrip) {
    uint8_t buf[64] = {0};
    size_t n = make_idx3(buf);
    const char *p = test_tmp_path("idx_gz.gz");
    write_gz(p, buf, n);
    idx_array a;
    gi_err e = {{0}};
    CHECK(idx_read(p, &a, &e) == 0);
    check_idx3(failures, &a);
    idx_free(&a);
}

TEST(idx_parse_memory) {
    uint8_t buf[64] = {0};
    size_t n = make_idx3(buf);
    idx_array a;
    gi_err e = {{0}};
    CHECK(idx_parse(buf, n, "mem", &a, &e) == 0);
    check_idx3(failures, &a);
    idx_free(&a);
    CHECK(idx_parse(buf, n - 1, "mem", &a, &e) == -1);
    CHECK_STR_CONTAINS(e.msg, "mem: truncated: 23 bytes of data, expected 24");
    CHECK(idx_parse(buf, 2, "mem", &a, &e) == -1);
    CHECK_STR_CONTAINS(e.msg, "mem: too short");
    CHECK(idx_parse(buf, n + 5 <= sizeof buf ? n + 5 : n, "mem", &a, &e) == -1);
    CHECK_STR_CONTAINS(e.msg, "mem: 5 bytes of trailing data");
}

TEST(idx_one_dim_and_four_dims) {
    const uint8_t one[] = {0, 0, 8, 1, 0, 0, 0, 3, 7, 8, 9};
    const uint8_t four[] = {0, 0, 8, 4, 0, 0, 0, 1, 0, 0, 0, 1, 0, 0, 0, 2, 0, 0, 0, 1, 5, 6};
    idx_array a;
    gi_err e = {{0}};
    CHECK(idx_parse(one, sizeof one, "one", &a, &e) == 0);
    CHECK(a.ndim == 1 && a.count == 3 && a.data[2] == 9);
    idx_free(&a);
    CHECK(idx_parse(four, sizeof four, "four", &a, &e) == 0);
    CHECK(a.ndim == 4 && a.count == 2 && a.dims[2] == 2 && a.data[1] == 6);
    idx_free(&a);
}

TEST(idx_missing_file) {
    check_read_fails(failures, test_tmp_path("idx_does_not_exist"), "cannot open (No such file or directory)");
}

TEST(idx_empty_file) {
    const char *p = test_tmp_path("idx_empty");
    test_write_bytes(p, "", 0);
    check_read_fails(failures, p, "too short");
}

TEST(idx_bad_magic) {
    const uint8_t b[] = {0x12, 0x34, 8, 1, 0, 0, 0, 1, 0};
    const char *p = test_tmp_path("idx_bad_magic");
    test_write_bytes(p, b, sizeof b);
    check_read_fails(failures, p, "bad magic 0x12340801");
}

TEST(idx_unsupported_type) {
    const uint8_t b[] = {0, 0, 0x0D, 1, 0, 0, 0, 1, 0, 0, 0, 0};
    const char *p = test_tmp_path("idx_float");
    test_write_bytes(p, b, sizeof b);
    check_read_fails(failures, p, "data type 0x0D not supported, expected 0x08 (unsigned byte)");
}

TEST(idx_bad_ndim) {
    const uint8_t zero[] = {0, 0, 8, 0};
    const uint8_t five[] = {0, 0, 8, 5, 0, 0, 0, 1, 0, 0, 0, 1, 0, 0, 0, 1, 0, 0, 0, 1, 0, 0, 0, 1, 0};
    const char *p = test_tmp_path("idx_ndim0"), *q = test_tmp_path("idx_ndim5");
    test_write_bytes(p, zero, sizeof zero);
    test_write_bytes(q, five, sizeof five);
    check_read_fails(failures, p, "0 dimensions not supported, expected 1..4");
    check_read_fails(failures, q, "5 dimensions not supported, expected 1..4");
}

TEST(idx_header_truncated) {
    const uint8_t b[] = {0, 0, 8, 3, 0, 0, 0, 1, 0, 0};
    const char *p = test_tmp_path("idx_short_header");
    test_write_bytes(p, b, sizeof b);
    check_read_fails(failures, p, "header truncated: 10 bytes, expected 16");
}

TEST(idx_zero_dim) {
    const uint8_t b[] = {0, 0, 8, 2, 0, 0, 0, 4, 0, 0, 0, 0};
    const char *p = test_tmp_path("idx_zero_dim");
    test_write_bytes(p, b, sizeof b);
    check_read_fails(failures, p, "dimension 1 has size 0");
}

TEST(idx_too_large) {
    /* 65536 x 65536 = 2^32 items: more than 2^31, refused from the header alone */
    const uint8_t b[] = {0, 0, 8, 2, 0, 1, 0, 0, 0, 1, 0, 0};
    const char *p = test_tmp_path("idx_huge");
    test_write_bytes(p, b, sizeof b);
    check_read_fails(failures, p, "more than 2^31");
    /* 0xffffffff^4 would wrap a 64-bit product if unchecked */
    const uint8_t c[] = {0, 0, 8, 4, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255};
    idx_array a;
    gi_err e = {{0}};
    CHECK(idx_parse(c, sizeof c, "huge", &a, &e) == -1);
    CHECK_STR_CONTAINS(e.msg, "huge: too large");
}

TEST(idx_truncated_data) {
    uint8_t buf[64] = {0};
    size_t n = make_idx3(buf);
    const char *p = test_tmp_path("idx_truncated"), *q = test_tmp_path("idx_truncated.gz");
    test_write_bytes(p, buf, n - 4);
    write_gz(q, buf, n - 4);  /* a complete gzip stream holding incomplete IDX data */
    check_read_fails(failures, p, "truncated: 20 bytes of data, expected 24");
    check_read_fails(failures, q, "truncated: 20 bytes of data, expected 24");
}

TEST(idx_trailing_data) {
    uint8_t buf[64] = {0};
    size_t n = make_idx3(buf);
    const char *p = test_tmp_path("idx_trailing"), *q = test_tmp_path("idx_trailing.gz");
    test_write_bytes(p, buf, n + 3);
    write_gz(q, buf, n + 3);
    check_read_fails(failures, p, "3 bytes of trailing data");
    check_read_fails(failures, q, "3 bytes of trailing data");
}

TEST(idx_truncated_gzip) {
    /* large enough that the compressed stream is more than a few bytes */
    enum { N = 16 + 100 * 28 * 28 };
    uint8_t *buf = malloc(N);
    const uint8_t hdr[16] = {0, 0, 8, 3, 0, 0, 0, 100, 0, 0, 0, 28, 0, 0, 0, 28};
    memcpy(buf, hdr, 16);
    uint32_t s = 1;
    for (int i = 16; i < N; i++) { s = s * 1103515245u + 12345u; buf[i] = (uint8_t)(s >> 24); }
    const char *full = test_tmp_path("idx_full.gz"), *half = test_tmp_path("idx_half.gz");
    write_gz(full, buf, N);
    size_t m;
    uint8_t *gz = test_read_bytes(full, &m);
    CHECK(m > 1000);
    test_write_bytes(half, gz, m / 2);
    check_read_fails(failures, half, "corrupt gzip stream");
    idx_array a;
    gi_err e = {{0}};
    CHECK(idx_read(full, &a, &e) == 0);
    CHECK(a.count == 100 * 28 * 28 && memcmp(a.data, buf + 16, a.count) == 0);
    idx_free(&a);
    free(gz);
    free(buf);
}

TEST(idx_gzip_garbage) {
    uint8_t b[64] = {0x1f, 0x8b, 0x08, 0x00};
    for (int i = 10; i < 64; i++) b[i] = (uint8_t)(i * 37 + 11);
    const char *p = test_tmp_path("idx_garbage.gz");
    test_write_bytes(p, b, sizeof b);
    check_read_fails(failures, p, "corrupt gzip stream");
}

TEST(idx_write_rejects_bad_arrays) {
    uint8_t d[4] = {1, 2, 3, 4};
    idx_array a = {.ndim = 5, .dims = {1, 1, 1, 1}, .count = 1, .data = d};
    gi_err e = {{0}};
    const char *p = test_tmp_path("idx_bad_write");
    CHECK(idx_write(p, &a, &e) == -1);
    CHECK_STR_CONTAINS(e.msg, "5 dimensions");
    a.ndim = 1;
    a.dims[0] = 3;
    a.count = 4;
    CHECK(idx_write(p, &a, &e) == -1);
    CHECK_STR_CONTAINS(e.msg, "3 items but the array has 4");
}
