/* test_npy.c — .npy reading (real NumPy files and corrupt images), .npy writing, CSV reading.
 *
 * The fixtures in tests/data/npy/ were made by NumPy 1.24.2 with (run inside tests/data/npy):
 *   python3 -c "
 *   import numpy as np
 *   np.save('f4.npy', np.array([[1.5, -2.25, 3.0], [4.0, 5.5, -6.125]], dtype='<f4'))
 *   np.save('f8.npy', np.array([[0.1, 1e-300, -1e300], [np.pi, 2.0, -0.0]], dtype='<f8'))
 *   np.save('i8.npy', np.array([[-5, 0, 7], [123456789012, -1, 2]], dtype='<i8'))
 *   np.save('u1.npy', np.array([[0, 1, 255], [128, 7, 200]], dtype='u1'))
 *   np.save('labels.npy', np.array([3, 1, 4, 1, 5, 9, 2, 6], dtype=np.int64))
 *   with open('v2.npy', 'wb') as f: np.lib.format.write_array(f, np.array([[1.0, 2.0], [3.0, 4.0]]), version=(2, 0))
 *   np.save('fortran.npy', np.asfortranarray(np.arange(6.0).reshape(2, 3)))
 *   np.save('3d.npy', np.zeros((2, 3, 4)))
 *   np.save('object.npy', np.array([1, 'a', None], dtype=object), allow_pickle=True)
 *   np.save('str.npy', np.array(['ab', 'cde']))
 *   "
 * Every other input (corrupt, big-endian, version 3.0, other integer widths) is built here. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include "test.h"
#include "util/npy.h"

#define FIX "tests/data/npy/"


static void write_text(const char *path, const char *text) { test_write_bytes(path, text, strlen(text)); }

/* An .npy image: magic, version major.0, header length, dict (padded to 64 with spaces and '\n'), data. */
static uint8_t *make_npy(int major, const char *dict, const void *data, size_t ndata, size_t *n) {
    size_t pre = major == 1 ? 10 : 12, dl = strlen(dict);
    size_t hlen = (pre + dl + 1 + 63) / 64 * 64 - pre;
    uint8_t *b = malloc(pre + hlen + ndata + 1);
    memcpy(b, "\x93NUMPY", 6);
    b[6] = (uint8_t)major;
    b[7] = 0;
    b[8] = (uint8_t)(hlen & 0xff);
    b[9] = (uint8_t)(hlen >> 8);
    if (major > 1) b[10] = b[11] = 0;
    memcpy(b + pre, dict, dl);
    memset(b + pre + dl, ' ', hlen - dl);
    b[pre + hlen - 1] = '\n';
    if (ndata) memcpy(b + pre + hlen, data, ndata);
    *n = pre + hlen + ndata;
    return b;
}

/* Both npy_parse (in memory) and npy_read (from a file) must fail with a message naming the
 * input and containing `needle`, and leave *out zeroed. Returns the number of failed checks. */
static void expect_npy_error(const uint8_t *img, size_t n, const char *file, const char *needle, int *failures) {
    const char *path = test_tmp_path(file);
    test_write_bytes(path, img, n);
    num_matrix m;
    gi_err e = {""};
    CHECK(npy_read(path, &m, &e) == -1);
    CHECK_STR_CONTAINS(e.msg, path);
    CHECK_STR_CONTAINS(e.msg, needle);
    CHECK(m.data == NULL && m.rows == 0);
    e.msg[0] = '\0';
    CHECK(npy_parse(img, n, "mem.npy", &m, &e) == -1);
    CHECK_STR_CONTAINS(e.msg, "mem.npy: ");
    CHECK_STR_CONTAINS(e.msg, needle);
    CHECK(m.data == NULL);
}

static void expect_dict_error(const char *dict, const char *needle, int *failures) {
    size_t n;
    uint8_t *img = make_npy(1, dict, NULL, 0, &n);
    expect_npy_error(img, n, "dict.npy", needle, failures);
    free(img);
}

/* ---------- writing and reading back ---------- */

TEST(npy_roundtrip_f64) {
    double a[6] = {0.1, -2.5, 1e-310, 1e308, -0.0, 3.0};
    gi_err e = {""};
    num_matrix m;
    const char *p = test_tmp_path("rt64.npy");
    CHECK(npy_write_f64(p, a, 2, 3, &e) == 0);
    CHECK(npy_read(p, &m, &e) == 0);
    CHECK(m.ndim == 2 && m.rows == 2 && m.cols == 3 && !m.is_integer);
    CHECK(m.data && !memcmp(m.data, a, sizeof a));  /* bit-exact, including -0.0 and the subnormal */
    matrix_free(&m);
    CHECK(m.data == NULL);
    CHECK(npy_write_f64(p, a, 5, 0, &e) == 0);      /* 1-D */
    CHECK(npy_read(p, &m, &e) == 0);
    CHECK(m.ndim == 1 && m.rows == 5 && m.cols == 1);
    CHECK(m.data && !memcmp(m.data, a, 5 * sizeof(double)));
    matrix_free(&m);
    CHECK(npy_write_f64(p, NULL, 0, 4, &e) == 0);   /* empty (0, 4) */
    CHECK(npy_read(p, &m, &e) == 0);
    CHECK(m.ndim == 2 && m.rows == 0 && m.cols == 4);
    matrix_free(&m);
}

TEST(npy_roundtrip_f32) {
    float a[6] = {0.1f, -2.5f, 1e-40f, 3.4e38f, -0.0f, 7.0f};
    gi_err e = {""};
    num_matrix m;
    const char *p = test_tmp_path("rt32.npy");
    CHECK(npy_write_f32(p, a, 3, 2, &e) == 0);
    CHECK(npy_read(p, &m, &e) == 0);
    CHECK(m.ndim == 2 && m.rows == 3 && m.cols == 2 && !m.is_integer);
    for (int i = 0; i < 6; i++) CHECK(m.data[i] == (double)a[i]);
    CHECK(signbit(m.data[4]));
    matrix_free(&m);
    CHECK(npy_write_f32(p, a, 6, 0, &e) == 0);
    CHECK(npy_read(p, &m, &e) == 0);
    CHECK(m.ndim == 1 && m.rows == 6 && m.cols == 1);
    for (int i = 0; i < 6; i++) CHECK(m.data[i] == (double)a[i]);
    matrix_free(&m);
}

/* Our writer produces exactly the bytes numpy.save wrote for the same arrays. */
TEST(npy_write_matches_numpy_bytes) {
    const char *fix[2] = {FIX "f8.npy", FIX "f4.npy"};
    for (int k = 0; k < 2; k++) {
        num_matrix m;
        gi_err e = {""};
        CHECK(npy_read(fix[k], &m, &e) == 0);
        if (!m.data) continue;
        const char *p = test_tmp_path("same.npy");
        if (k == 0) CHECK(npy_write_f64(p, m.data, m.rows, m.cols, &e) == 0);
        else {
            float f[6];
            for (int i = 0; i < 6; i++) f[i] = (float)m.data[i];
            CHECK(npy_write_f32(p, f, m.rows, m.cols, &e) == 0);
        }
        size_t na, nb;
        uint8_t *a = test_read_bytes(fix[k], &na), *b = test_read_bytes(p, &nb);
        CHECK(na == nb && !memcmp(a, b, na));
        free(a);
        free(b);
        matrix_free(&m);
    }
    num_matrix m;
    gi_err e = {""};
    CHECK(npy_read(FIX "labels.npy", &m, &e) == 0);  /* a 1-D header: "(8,)" */
    const char *p = test_tmp_path("same1d.npy");
    CHECK(npy_write_f64(p, m.data, 8, 0, &e) == 0);
    size_t na, nb;
    uint8_t *a = test_read_bytes(FIX "labels.npy", &na), *b = test_read_bytes(p, &nb);
    /* same header as NumPy's int64 file except the 'i' of '<i8' at byte 22 */
    CHECK(na == nb && nb > 128 && !memcmp(a, b, 22) && a[22] == 'i' && b[22] == 'f' && !memcmp(a + 23, b + 23, 105));
    const char *dict = "{'descr': '<f8', 'fortran_order': False, 'shape': (8,), }";
    CHECK(nb > 128 && !memcmp(b + 10, dict, strlen(dict)) && b[127] == '\n');
    free(a);
    free(b);
    matrix_free(&m);
}

TEST(npy_write_errors) {
    double a[2] = {1, 2};
    gi_err e = {""};
    CHECK(npy_write_f64(test_tmp_path("neg.npy"), a, -1, 2, &e) == -1);
    CHECK_STR_CONTAINS(e.msg, "neg.npy: cannot write an array of shape (-1, 2)");
    CHECK(npy_write_f64(test_tmp_path("no/such/dir/x.npy"), a, 2, 0, &e) == -1);
    CHECK_STR_CONTAINS(e.msg, "no/such/dir/x.npy");
}

/* ---------- files written by real NumPy ---------- */

TEST(npy_numpy_f4_f8) {
    num_matrix m;
    gi_err e = {""};
    CHECK(npy_read(FIX "f4.npy", &m, &e) == 0);
    double f4[6] = {1.5, -2.25, 3.0, 4.0, 5.5, -6.125};
    CHECK(m.ndim == 2 && m.rows == 2 && m.cols == 3 && !m.is_integer);
    for (int i = 0; i < 6 && m.data; i++) CHECK(m.data[i] == f4[i]);
    matrix_free(&m);
    CHECK(npy_read(FIX "f8.npy", &m, &e) == 0);
    double f8[6] = {0.1, 1e-300, -1e300, 3.141592653589793, 2.0, -0.0};
    CHECK(m.ndim == 2 && m.rows == 2 && m.cols == 3 && !m.is_integer);
    for (int i = 0; i < 6 && m.data; i++) CHECK(m.data[i] == f8[i]);
    CHECK(m.data && signbit(m.data[5]));
    CHECK(matrix_first_nonfinite(&m) == -1 && matrix_count_nonfinite(&m) == 0);
    matrix_free(&m);
}

TEST(npy_numpy_integers) {
    num_matrix m;
    gi_err e = {""};
    CHECK(npy_read(FIX "i8.npy", &m, &e) == 0);
    double i8[6] = {-5, 0, 7, 123456789012.0, -1, 2};
    CHECK(m.ndim == 2 && m.rows == 2 && m.cols == 3 && m.is_integer);
    for (int i = 0; i < 6 && m.data; i++) CHECK(m.data[i] == i8[i]);
    matrix_free(&m);
    CHECK(npy_read(FIX "u1.npy", &m, &e) == 0);
    double u1[6] = {0, 1, 255, 128, 7, 200};
    CHECK(m.ndim == 2 && m.rows == 2 && m.cols == 3 && m.is_integer);
    for (int i = 0; i < 6 && m.data; i++) CHECK(m.data[i] == u1[i]);
    matrix_free(&m);
    CHECK(npy_read(FIX "labels.npy", &m, &e) == 0);
    double lab[8] = {3, 1, 4, 1, 5, 9, 2, 6};
    CHECK(m.ndim == 1 && m.rows == 8 && m.cols == 1 && m.is_integer);
    for (int i = 0; i < 8 && m.data; i++) CHECK(m.data[i] == lab[i]);
    matrix_free(&m);
}

TEST(npy_numpy_version2) {
    num_matrix m;
    gi_err e = {""};
    size_t n;
    uint8_t *b = test_read_bytes(FIX "v2.npy", &n);
    CHECK(n > 8 && b[6] == 2);  /* the fixture really is version 2.0 */
    free(b);
    CHECK(npy_read(FIX "v2.npy", &m, &e) == 0);
    CHECK(m.ndim == 2 && m.rows == 2 && m.cols == 2);
    for (int i = 0; i < 4 && m.data; i++) CHECK(m.data[i] == i + 1.0);
    matrix_free(&m);
}

TEST(npy_numpy_rejected) {
    static const struct { const char *file, *needle; } cases[] = {
        {FIX "fortran.npy", "fortran_order arrays are not supported; save with np.ascontiguousarray"},
        {FIX "3d.npy", "3-D array (shape (2, 3, 4)); only 1-D and 2-D arrays are supported"},
        {FIX "object.npy", "object arrays (dtype '|O') are not supported"},
        {FIX "str.npy", "string arrays (dtype '<U3') are not supported"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        num_matrix m;
        gi_err e = {""};
        CHECK(npy_read(cases[i].file, &m, &e) == -1);
        CHECK_STR_CONTAINS(e.msg, cases[i].file);
        CHECK_STR_CONTAINS(e.msg, cases[i].needle);
        CHECK(m.data == NULL);
    }
}

/* ---------- built images: other dtypes, byte orders, version 3.0 ---------- */

TEST(npy_other_dtypes) {
    static const struct { const char *descr; uint8_t bytes[16]; double want[2]; } cases[] = {
        {"'>f8'", {0x3f, 0xf8, 0, 0, 0, 0, 0, 0, 0xc0, 0, 0, 0, 0, 0, 0, 0}, {1.5, -2.0}},
        {"'>f4'", {0x3f, 0xc0, 0, 0, 0xc0, 0, 0, 0}, {1.5, -2.0}},
        {"'>i4'", {0xff, 0xff, 0xff, 0xfe, 0, 0, 1, 0}, {-2, 256}},
        {"'<i2'", {0xfe, 0xff, 0x00, 0x01}, {-2, 256}},
        {"'>u2'", {0xff, 0xfe, 0x01, 0x00}, {65534, 256}},
        {"'<u4'", {0xff, 0xff, 0xff, 0xff, 1, 0, 0, 0}, {4294967295.0, 1}},
        {"'<u8'", {0, 0, 0, 0, 0, 0, 0, 0x80, 7, 0, 0, 0, 0, 0, 0, 0}, {9223372036854775808.0, 7}},
        {"'|i1'", {0x80, 0x7f}, {-128, 127}},
        {"'|b1'", {0x02, 0x00}, {1, 0}},  /* any nonzero byte is True */
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        char dict[128];
        snprintf(dict, sizeof dict, "{'descr': %s, 'fortran_order': False, 'shape': (2,), }", cases[i].descr);
        int size = cases[i].descr[3] - '0';
        size_t n;
        uint8_t *img = make_npy(1, dict, cases[i].bytes, 2 * (size_t)size, &n);
        num_matrix m;
        gi_err e = {""};
        int rc = npy_parse(img, n, "x.npy", &m, &e);
        if (rc) fprintf(stderr, "  %s: %s\n", cases[i].descr, e.msg);
        CHECK(rc == 0);
        CHECK(m.ndim == 1 && m.rows == 2 && m.cols == 1);
        CHECK(m.is_integer == (cases[i].descr[2] != 'f'));
        for (int k = 0; k < 2 && m.data; k++) CHECK(m.data[k] == cases[i].want[k]);
        matrix_free(&m);
        free(img);
    }
}

TEST(npy_version3_and_header_variants) {
    double d[2] = {5.0, -6.0};
    const char *dicts[] = {
        "{'descr': '<f8', 'fortran_order': False, 'shape': (2,), }",
        "{\"shape\": (2L,), \"descr\": \"<f8\", \"fortran_order\": False}",  /* any key order, Python 2 longs */
        "{'descr':'<f8','fortran_order':True,'shape':(2,)}",                 /* fortran order is harmless in 1-D */
        "{'descr': '<f8', 'fortran_order': False, 'shape': (1, 2), }",
        "{'descr': '<f8', 'fortran_order': True, 'shape': (1, 2), }",
    };
    for (int v = 1; v <= 3; v++)
        for (size_t i = 0; i < sizeof dicts / sizeof dicts[0]; i++) {
            size_t n;
            uint8_t *img = make_npy(v, dicts[i], d, sizeof d, &n);
            num_matrix m;
            gi_err e = {""};
            int rc = npy_parse(img, n, "x.npy", &m, &e);
            if (rc) fprintf(stderr, "  v%d %s: %s\n", v, dicts[i], e.msg);
            CHECK(rc == 0);
            CHECK(m.rows * m.cols == 2 && m.data && m.data[0] == 5.0 && m.data[1] == -6.0);
            matrix_free(&m);
            free(img);
        }
}

/* ---------- corrupt images ---------- */

TEST(npy_bad_magic_and_preamble) {
    size_t n;
    uint8_t *img = make_npy(1, "{'descr': '<f8', 'fortran_order': False, 'shape': (0,), }", NULL, 0, &n);
    img[1] = 'n';
    expect_npy_error(img, n, "magic.npy", "not an .npy file (bad magic)", failures);
    img[1] = 'N';
    expect_npy_error(img, 3, "short.npy", "not an .npy file (bad magic)", failures);
    expect_npy_error(img, 8, "short2.npy", "truncated .npy file (8 bytes)", failures);
    img[6] = 4;
    expect_npy_error(img, n, "ver.npy", "unsupported .npy version 4.0", failures);
    free(img);
    img = make_npy(2, "{'descr': '<f8', 'fortran_order': False, 'shape': (0,), }", NULL, 0, &n);
    expect_npy_error(img, 11, "short3.npy", "truncated .npy file (11 bytes)", failures);
    img[11] = 0x40;  /* header length 1 GiB */
    expect_npy_error(img, n, "huge.npy", "header length 1073741940 is implausibly large", failures);
    free(img);
    expect_npy_error((const uint8_t *)"", 0, "empty.npy", "not an .npy file (bad magic)", failures);
}

TEST(npy_truncated_header) {
    size_t n;
    uint8_t *img = make_npy(1, "{'descr': '<f8', 'fortran_order': False, 'shape': (0,), }", NULL, 0, &n);
    CHECK(n == 128);
    expect_npy_error(img, 60, "trunchdr.npy", "truncated .npy header: it should be 118 bytes, the file has 50", failures);
    free(img);
}

TEST(npy_header_syntax) {
    expect_dict_error("{'descr': '<f8', 'fortran_order': False, }", "header has no 'shape'", failures);
    expect_dict_error("{'shape': (2,), 'fortran_order': False, }", "header has no 'descr'", failures);
    expect_dict_error("{'descr': '<f8', 'shape': (2,), }", "header has no 'fortran_order'", failures);
    expect_dict_error("'descr': '<f8'", "header is not a dict", failures);
    expect_dict_error("", "header is not a dict", failures);
    expect_dict_error("{'descr': '<f8', 'fortran_order': False, 'shape': (2,), 'extra': 1}", "unexpected key 'extra'", failures);
    expect_dict_error("{'descr': '<f8', 'descr': '<f8', 'fortran_order': False, 'shape': (2,)}", "repeats the key 'descr'", failures);
    expect_dict_error("{'descr' '<f8', 'fortran_order': False, 'shape': (2,)}", "expected ':' after 'descr'", failures);
    expect_dict_error("{'descr': '<f8' 'fortran_order': False, 'shape': (2,)}", "expected ',' or '}' after the value of 'descr'", failures);
    expect_dict_error("{'descr': '<f8', 'fortran_order': false, 'shape': (2,)}", "'fortran_order' is not True or False", failures);
    expect_dict_error("{'descr': <f8, 'fortran_order': False, 'shape': (2,)}", "'descr' is not a dtype string", failures);
    expect_dict_error("{'descr': '<f8, 'fortran_order': False, 'shape': (2,)}", "expected ',' or '}' after the value of 'descr'", failures);
    expect_dict_error("{'descr': '<f8', 'fortran_order': False, 'shape': [2]}", "'shape' is not a tuple", failures);
    expect_dict_error("{'descr': '<f8', 'fortran_order': False, 'shape': (-2,)}", "tuple of non-negative integers", failures);
    expect_dict_error("{'descr': '<f8', 'fortran_order': False, 'shape': (2 3)}", "tuple of non-negative integers", failures);
    expect_dict_error("{'descr': '<f8', 'fortran_order': False, 'shape': (2,)} x", "text after the dict", failures);
    expect_dict_error("{'descr': '<f8', 'fortran_order': False, 'shape': (2,)", "expected ',' or '}' after the value of 'shape'", failures);
    expect_dict_error("{'descr': '<f8', 'fortran_order': False, 'shape': (2,), ", "expected a quoted key", failures);
    expect_dict_error("{'descr': '<f8', 'fortran_order': False, shape: (2,)}", "expected a quoted key", failures);
    expect_dict_error("{'descr': '<f8', 'fortran_order': False, 'shape': ()}", "0-d arrays (scalars) are not supported", failures);
    expect_dict_error("{'descr': [('a', '<f8')], 'fortran_order': False, 'shape': (2,)}", "structured dtypes are not supported", failures);
    expect_dict_error("{'descr': '<f2', 'fortran_order': False, 'shape': (2,)}", "dtype '<f2' is not supported", failures);
    expect_dict_error("{'descr': '<c16', 'fortran_order': False, 'shape': (2,)}", "dtype '<c16' is not supported", failures);
    expect_dict_error("{'descr': '<i3', 'fortran_order': False, 'shape': (2,)}", "dtype '<i3' is not supported", failures);
    expect_dict_error("{'descr': 'f8', 'fortran_order': False, 'shape': (2,)}", "dtype 'f8' is not supported", failures);
    expect_dict_error("{'descr': '<f8', 'fortran_order': False, 'shape': (2, 3, 4, 5)}", "4-D array (shape (2, 3, 4, 5))", failures);
}

TEST(npy_data_size_mismatch) {
    double d[7] = {1, 2, 3, 4, 5, 6, 7};
    const char *dict = "{'descr': '<f8', 'fortran_order': False, 'shape': (2, 3), }";
    size_t n;
    uint8_t *img = make_npy(1, dict, d, 5 * sizeof(double), &n);
    expect_npy_error(img, n, "trunc.npy", "truncated data: shape (2, 3) of '<f8' needs 48 bytes, the file has 40", failures);
    free(img);
    img = make_npy(1, dict, d, 7 * sizeof(double), &n);
    expect_npy_error(img, n, "trail.npy", "8 unexpected bytes after the data: shape (2, 3) of '<f8' needs 48 bytes, the file has 56", failures);
    free(img);
    img = make_npy(1, "{'descr': '|u1', 'fortran_order': False, 'shape': (3,), }", d, 1, &n);
    expect_npy_error(img, n, "trunc1.npy", "needs 3 bytes, the file has 1", failures);
    free(img);
}

TEST(npy_absurd_shape) {
    static const struct { const char *shape, *needle; } cases[] = {
        {"(9223372036854775807, 9223372036854775807)", "shape (9223372036854775807, 9223372036854775807) of '<f8' is too large"},
        {"(4611686018427387904,)", "shape (4611686018427387904,) of '<f8' is too large"},  /* 2^62 * 8 bytes overflows */
        {"(3074457345618258602, 6)", "is too large"},
        {"(99999999999999999999,)", "a 'shape' dimension is too large"},
        {"(1000000000000, 1000)", "truncated data: shape (1000000000000, 1000) of '<f8' needs 8000000000000000 bytes, the file has 0"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        char dict[160];
        snprintf(dict, sizeof dict, "{'descr': '<f8', 'fortran_order': False, 'shape': %s, }", cases[i].shape);
        size_t n;
        uint8_t *img = make_npy(1, dict, NULL, 0, &n);
        expect_npy_error(img, n, "absurd.npy", cases[i].needle, failures);
        free(img);
    }
}

/* Every prefix and every single-byte corruption of a valid file either parses or fails with a
 * message naming the input; under -fsanitize=address this also checks no read goes out of bounds. */
TEST(npy_prefixes_and_byte_flips) {
    size_t n;
    uint8_t *full = test_read_bytes(FIX "i8.npy", &n);
    for (size_t len = 0; len < n; len++) {
        uint8_t *img = malloc(len + 1);  /* exact-size copy so ASan sees overreads */
        memcpy(img, full, len);
        num_matrix m;
        gi_err e = {""};
        CHECK(npy_parse(img, len, "p.npy", &m, &e) == -1);
        CHECK(strncmp(e.msg, "p.npy: ", 7) == 0);
        free(img);
    }
    static const uint8_t flips[] = {0x01, 0x80, 0xff, '\'', ')', ',', '}', '\0', '9'};
    for (size_t pos = 0; pos < n; pos++)
        for (size_t f = 0; f < sizeof flips; f++) {
            uint8_t *img = malloc(n);
            memcpy(img, full, n);
            img[pos] = (f < 3) ? (uint8_t)(img[pos] ^ flips[f]) : flips[f];
            num_matrix m;
            gi_err e = {""};
            int rc = npy_parse(img, n, "q.npy", &m, &e);
            CHECK(rc == 0 || strncmp(e.msg, "q.npy: ", 7) == 0);
            CHECK(rc == 0 ? m.data != NULL : m.data == NULL);
            matrix_free(&m);
            free(img);
        }
    free(full);
}

TEST(npy_missing_file) {
    num_matrix m;
    gi_err e = {""};
    CHECK(npy_read("tests/data/npy/does-not-exist.npy", &m, &e) == -1);
    CHECK_STR_CONTAINS(e.msg, "tests/data/npy/does-not-exist.npy: cannot open (No such file or directory)");
    CHECK(matrix_read("tests/data/npy/does-not-exist.csv", &m, &e) == -1);
    CHECK_STR_CONTAINS(e.msg, "does-not-exist.csv: cannot open");
    CHECK(npy_read("tests/data/npy", &m, &e) == -1);
    CHECK_STR_CONTAINS(e.msg, "tests/data/npy: not a regular file");
}

/* ---------- CSV ---------- */

static int csv_of(const char *name, const char *text, num_matrix *m, gi_err *e) {
    const char *p = test_tmp_path(name);
    write_text(p, text);
    return csv_read(p, m, e);
}

TEST(csv_without_header) {
    num_matrix m;
    gi_err e = {""};
    CHECK(csv_of("a.csv", "1,2,3\n4,5,-6\n", &m, &e) == 0);
    CHECK(m.ndim == 2 && m.rows == 2 && m.cols == 3 && m.is_integer);
    double want[6] = {1, 2, 3, 4, 5, -6};
    for (int i = 0; i < 6 && m.data; i++) CHECK(m.data[i] == want[i]);
    matrix_free(&m);
    CHECK(csv_of("b.csv", "7\n8\n9", &m, &e) == 0);  /* one column, no final newline */
    CHECK(m.rows == 3 && m.cols == 1 && m.is_integer && m.data && m.data[2] == 9);
    matrix_free(&m);
    CHECK(csv_of("c.csv", "1,2.5\n3,4\n", &m, &e) == 0);
    CHECK(!m.is_integer);
    matrix_free(&m);
}

TEST(csv_with_header) {
    num_matrix m;
    gi_err e = {""};
    const char *text = "# made by hand\n a, b ,\"c d\"\r\n 1.5 , 2,3\r\n# comment\n\n   \n4,5e-1,-6\r\n";
    CHECK(csv_of("h.csv", text, &m, &e) == 0);
    CHECK(m.ndim == 2 && m.rows == 2 && m.cols == 3 && !m.is_integer);
    double want[6] = {1.5, 2, 3, 4, 0.5, -6};
    for (int i = 0; i < 6 && m.data; i++) CHECK(m.data[i] == want[i]);
    matrix_free(&m);
    CHECK(csv_of("h2.csv", ",x,y\n0,1,2\n", &m, &e) == 0);  /* pandas index column: empty header field */
    CHECK(m.rows == 1 && m.cols == 3 && m.data && m.data[2] == 2);
    matrix_free(&m);
}

TEST(csv_ragged_rows) {
    num_matrix m;
    gi_err e = {""};
    CHECK(csv_of("r.csv", "1,2\n3,4\n\n5\n", &m, &e) == -1);
    CHECK_STR_CONTAINS(e.msg, "r.csv:4: 1 fields, expected 2 (as on line 1)");
    CHECK(m.data == NULL);
    CHECK(csv_of("r2.csv", "a,b,c\n1,2\n", &m, &e) == -1);
    CHECK_STR_CONTAINS(e.msg, "r2.csv:2: 2 fields, but the header on line 1 has 3");
    CHECK(csv_of("r3.csv", "1,2\n3,4,5\n", &m, &e) == -1);
    CHECK_STR_CONTAINS(e.msg, "r3.csv:2: 3 fields, expected 2 (as on line 1)");
}

TEST(csv_bad_fields) {
    num_matrix m;
    gi_err e = {""};
    CHECK(csv_of("n.csv", "x,y\n1,2\n3, abc \n", &m, &e) == -1);
    CHECK_STR_CONTAINS(e.msg, "n.csv:3: field 2 'abc' is not a number");
    CHECK(csv_of("n2.csv", "1,2\n3,4x\n", &m, &e) == -1);
    CHECK_STR_CONTAINS(e.msg, "n2.csv:2: field 2 '4x' is not a number");
    CHECK(csv_of("n3.csv", "1,,3\n", &m, &e) == -1);  /* an empty field does not make a header */
    CHECK_STR_CONTAINS(e.msg, "n3.csv:1: field 2 is empty");
    CHECK(csv_of("n4.csv", "1,2,\n3,4,\n", &m, &e) == -1);
    CHECK_STR_CONTAINS(e.msg, "n4.csv:1: field 3 is empty");
    CHECK(csv_of("n5.csv", "1,1e999\n", &m, &e) == -1);
    CHECK_STR_CONTAINS(e.msg, "n5.csv:1: field 2 '1e999' is out of range for a double");
    CHECK(csv_of("n6.csv", "a,b\n", &m, &e) == -1);
    CHECK_STR_CONTAINS(e.msg, "n6.csv: no data rows (only a header line)");
    CHECK(csv_of("n7.csv", "", &m, &e) == -1);
    CHECK_STR_CONTAINS(e.msg, "n7.csv: no data rows");
    CHECK(m.data == NULL);
}

TEST(csv_nonfinite) {
    num_matrix m;
    gi_err e = {""};
    CHECK(csv_of("inf.csv", "a,b\n1,2\n3,nan\n-inf, Infinity\n", &m, &e) == 0);
    CHECK(m.rows == 3 && m.cols == 2 && !m.is_integer);
    CHECK(m.data && isnan(m.data[3]) && isinf(m.data[4]) && m.data[4] < 0 && isinf(m.data[5]));
    CHECK(matrix_first_nonfinite(&m) == 3);
    CHECK(matrix_count_nonfinite(&m) == 3);
    matrix_free(&m);
    CHECK(csv_of("fin.csv", "1,2\n", &m, &e) == 0);
    CHECK(matrix_first_nonfinite(&m) == -1 && matrix_count_nonfinite(&m) == 0);
    matrix_free(&m);
}

TEST(npy_matrix_read_by_content) {
    num_matrix m;
    gi_err e = {""};
    double d[3] = {1, 2, 3};
    const char *p = test_tmp_path("really_npy.csv");
    CHECK(npy_write_f64(p, d, 3, 0, &e) == 0);
    CHECK(matrix_read(p, &m, &e) == 0);
    CHECK(m.ndim == 1 && m.rows == 3 && m.data && m.data[2] == 3);
    matrix_free(&m);
    p = test_tmp_path("really_csv.npy");
    write_text(p, "5,6\n");
    CHECK(matrix_read(p, &m, &e) == 0);
    CHECK(m.ndim == 2 && m.rows == 1 && m.cols == 2 && m.data && m.data[1] == 6);
    matrix_free(&m);
    CHECK(matrix_read(FIX "labels.npy", &m, &e) == 0 && m.is_integer && m.rows == 8);
    matrix_free(&m);
    CHECK(matrix_read(FIX "3d.npy", &m, &e) == -1);
    CHECK_STR_CONTAINS(e.msg, "3d.npy: 3-D array");
}
