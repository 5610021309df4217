/* npy.c — NumPy .npy and CSV readers, .npy writers (format: numpy/lib/format.py).
 * An .npy file is: "\x93NUMPY", major, minor, header length (u16 LE for 1.x, u32 LE for 2.x/3.x),
 * a Python dict literal {'descr': '<f8', 'fortran_order': False, 'shape': (2, 3), } padded with
 * spaces and '\n', then the raw data. */
#include "util/npy.h"
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include "util/atomic_file.h"

#define NPY_MAGIC "\x93NUMPY"
#define NPY_MAX_HEADER (1u << 20)  /* NumPy itself refuses headers over 10000 bytes by default */

typedef struct {
    char descr[32], shape_txt[80];  /* as written in the header, for messages */
    char kind;                      /* 'f', 'i', 'u' or 'b' */
    int size, swap, ndim, fortran;
    int64_t rows, cols;
    size_t count, nbytes, data_off;
} npy_hdr;

static int host_little(void) { const uint16_t one = 1; uint8_t b; memcpy(&b, &one, 1); return b == 1; }

/* ---- the header dict: a tiny parser for the subset of Python literals NumPy writes ---- */
typedef struct { const char *s, *end; } cursor;

static void skip_ws(cursor *c) {
    while (c->s < c->end && (*c->s == ' ' || *c->s == '\t' || *c->s == '\n' || *c->s == '\r')) c->s++;
}
static int eat(cursor *c, char ch) {
    skip_ws(c);
    if (c->s < c->end && *c->s == ch) { c->s++; return 1; }
    return 0;
}
static int eat_word(cursor *c, const char *w) {
    size_t n = strlen(w);
    skip_ws(c);
    if ((size_t)(c->end - c->s) >= n && !memcmp(c->s, w, n)) { c->s += n; return 1; }
    return 0;
}
/* A quoted string without escapes, copied into out (NUL-terminated). */
static int get_str(cursor *c, char *out, size_t cap) {
    skip_ws(c);
    if (c->s >= c->end || (*c->s != '\'' && *c->s != '"')) return 0;
    char q = *c->s++;
    size_t k = 0;
    while (c->s < c->end && *c->s != q) {
        if (*c->s == '\\' || *c->s == '\0' || k + 1 >= cap) return 0;
        out[k++] = *c->s++;
    }
    if (c->s >= c->end) return 0;
    c->s++;
    out[k] = '\0';
    return 1;
}

/* shape: "(3,)", "(2, 3)", "()"; also the Python 2 "(3L, 4L)". Fills ndim, rows, cols, shape_txt. */
static int parse_shape(cursor *c, const char *name, npy_hdr *h, gi_err *e) {
    skip_ws(c);
    const char *start = c->s;
    if (!eat(c, '(')) return gi_fail(e, "%s: .npy header: 'shape' is not a tuple", name);
    int64_t dims[2] = {1, 1};
    int nd = 0;
    if (!eat(c, ')')) {
        for (;;) {
            skip_ws(c);
            if (c->s >= c->end || *c->s < '0' || *c->s > '9')
                return gi_fail(e, "%s: .npy header: 'shape' must be a tuple of non-negative integers", name);
            int64_t v = 0;
            while (c->s < c->end && *c->s >= '0' && *c->s <= '9') {
                int d = *c->s++ - '0';
                if (v > (INT64_MAX - d) / 10) return gi_fail(e, "%s: .npy header: a 'shape' dimension is too large", name);
                v = v * 10 + d;
            }
            if (c->s < c->end && *c->s == 'L') c->s++;
            if (nd < 2) dims[nd] = v;
            if (++nd > 64) return gi_fail(e, "%s: .npy header: 'shape' has too many dimensions", name);
            if (eat(c, ')')) break;
            if (!eat(c, ',')) return gi_fail(e, "%s: .npy header: 'shape' must be a tuple of non-negative integers", name);
            if (eat(c, ')')) break;
        }
    }
    snprintf(h->shape_txt, sizeof h->shape_txt, "%.*s", (int)(c->s - start), start);
    h->ndim = nd;
    h->rows = dims[0];
    h->cols = nd == 2 ? dims[1] : 1;
    return 0;
}

static int parse_descr(const char *name, npy_hdr *h, gi_err *e) {
    const char *d = h->descr;
    char order = d[0], kind = d[1];
    if (kind == 'O') return gi_fail(e, "%s: object arrays (dtype '%s') are not supported; save numbers", name, d);
    if (kind == 'U' || kind == 'S' || kind == 'a')
        return gi_fail(e, "%s: string arrays (dtype '%s') are not supported; save numbers", name, d);
    int size = 0, ok = strchr("<>|=", order) && order && strchr("fiub", kind) && kind && d[2];
    for (const char *p = d + 2; ok && *p; p++) ok = *p >= '0' && *p <= '9' && (size = size * 10 + (*p - '0')) <= 8;
    if (ok) ok = kind == 'f' ? (size == 4 || size == 8) : kind == 'b' ? size == 1 : (size == 1 || size == 2 || size == 4 || size == 8);
    if (!ok)
        return gi_fail(e, "%s: dtype '%s' is not supported (use float32, float64, bool or an integer type)", name, d);
    h->kind = kind;
    h->size = size;
    h->swap = size > 1 && ((order == '>' && host_little()) || (order == '<' && !host_little()));
    return 0;
}

static int parse_dict(const char *s, size_t len, const char *name, npy_hdr *h, gi_err *e) {
    cursor c = {s, s + len};
    int seen[3] = {0, 0, 0};
    char key[32];
    if (!eat(&c, '{')) return gi_fail(e, "%s: .npy header is not a dict (no '{')", name);
    while (!eat(&c, '}')) {
        if (!get_str(&c, key, sizeof key)) return gi_fail(e, "%s: .npy header: expected a quoted key", name);
        int k = !strcmp(key, "descr") ? 0 : !strcmp(key, "fortran_order") ? 1 : !strcmp(key, "shape") ? 2 : -1;
        if (k < 0) return gi_fail(e, "%s: .npy header has an unexpected key '%s'", name, key);
        if (seen[k]++) return gi_fail(e, "%s: .npy header repeats the key '%s'", name, key);
        if (!eat(&c, ':')) return gi_fail(e, "%s: .npy header: expected ':' after '%s'", name, key);
        if (k == 0) {
            if (eat(&c, '[')) return gi_fail(e, "%s: structured dtypes are not supported; save a plain numeric array", name);
            if (!get_str(&c, h->descr, sizeof h->descr)) return gi_fail(e, "%s: .npy header: 'descr' is not a dtype string", name);
        } else if (k == 1) {
            if (eat_word(&c, "True")) h->fortran = 1;
            else if (eat_word(&c, "False")) h->fortran = 0;
            else return gi_fail(e, "%s: .npy header: 'fortran_order' is not True or False", name);
        } else if (parse_shape(&c, name, h, e)) {
            return -1;
        }
        if (!eat(&c, ',') && !(c.s < c.end && *c.s == '}'))
            return gi_fail(e, "%s: .npy header: expected ',' or '}' after the value of '%s'", name, key);
    }
    skip_ws(&c);
    if (c.s != c.end) return gi_fail(e, "%s: .npy header has text after the dict", name);
    static const char *keys[3] = {"descr", "fortran_order", "shape"};
    for (int k = 0; k < 3; k++)
        if (!seen[k]) return gi_fail(e, "%s: .npy header has no '%s'", name, keys[k]);
    return parse_descr(name, h, e);
}

/* Magic, version and header length from the first min(n, 12) bytes; total = the whole file size. */
static int parse_preamble(const uint8_t *b, size_t n, uint64_t total, const char *name, size_t *hstart,
                          size_t *hlen, gi_err *e) {
    if (n < 6 || memcmp(b, NPY_MAGIC, 6) != 0) return gi_fail(e, "%s: not an .npy file (bad magic)", name);
    if (n < 10) return gi_fail(e, "%s: truncated .npy file (%zu bytes)", name, n);
    if (b[6] < 1 || b[6] > 3) return gi_fail(e, "%s: unsupported .npy version %d.%d", name, b[6], b[7]);
    if (b[6] == 1) {
        *hstart = 10;
        *hlen = b[8] | (size_t)b[9] << 8;
    } else {
        if (n < 12) return gi_fail(e, "%s: truncated .npy file (%zu bytes)", name, n);
        *hstart = 12;
        *hlen = b[8] | (size_t)b[9] << 8 | (size_t)b[10] << 16 | (size_t)b[11] << 24;
    }
    if (*hlen > NPY_MAX_HEADER) return gi_fail(e, "%s: .npy header length %zu is implausibly large", name, *hlen);
    if (*hstart + *hlen > total)
        return gi_fail(e, "%s: truncated .npy header: it should be %zu bytes, the file has %llu after the preamble",
                       name, *hlen, (unsigned long long)(total - *hstart));
    return 0;
}

/* Shape/fortran checks and the data size against the `have` bytes that follow the header. */
static int check_layout(npy_hdr *h, uint64_t have, const char *name, gi_err *e) {
    if (h->ndim == 0) return gi_fail(e, "%s: 0-d arrays (scalars) are not supported; save a 1-D or 2-D array", name);
    if (h->ndim > 2)
        return gi_fail(e, "%s: %d-D array (shape %s); only 1-D and 2-D arrays are supported", name, h->ndim, h->shape_txt);
    if (h->fortran && h->ndim == 2 && h->rows > 1 && h->cols > 1)
        return gi_fail(e, "%s: fortran_order arrays are not supported; save with np.ascontiguousarray", name);
    if (h->cols > 0 && (uint64_t)h->rows > SIZE_MAX / (uint64_t)h->cols / (uint64_t)h->size)
        return gi_fail(e, "%s: shape %s of '%s' is too large", name, h->shape_txt, h->descr);
    h->count = (size_t)h->rows * (size_t)h->cols;
    h->nbytes = h->count * (size_t)h->size;
    if (have < h->nbytes)
        return gi_fail(e, "%s: truncated data: shape %s of '%s' needs %zu bytes, the file has %llu", name,
                       h->shape_txt, h->descr, h->nbytes, (unsigned long long)have);
    if (have > h->nbytes)
        return gi_fail(e, "%s: %llu unexpected bytes after the data: shape %s of '%s' needs %zu bytes, the file has %llu",
                       name, (unsigned long long)(have - h->nbytes), h->shape_txt, h->descr, h->nbytes,
                       (unsigned long long)have);
    return 0;
}

static double item(const uint8_t *p, const npy_hdr *h) {
    uint8_t b[8];
    if (h->swap) for (int i = 0; i < h->size; i++) b[i] = p[h->size - 1 - i];
    else memcpy(b, p, (size_t)h->size);
    union { float f; double d; int8_t i1; int16_t i2; int32_t i4; int64_t i8; uint8_t u1; uint16_t u2; uint32_t u4; uint64_t u8; } v;
    memcpy(&v, b, (size_t)h->size);
    switch (h->kind) {
    case 'f': return h->size == 4 ? (double)v.f : v.d;
    case 'b': return v.u1 != 0;
    case 'i': return h->size == 1 ? v.i1 : h->size == 2 ? v.i2 : h->size == 4 ? (double)v.i4 : (double)v.i8;
    default:  return h->size == 1 ? v.u1 : h->size == 2 ? v.u2 : h->size == 4 ? (double)v.u4 : (double)v.u8;
    }
}

static void convert(const uint8_t *src, size_t count, const npy_hdr *h, double *dst) {
    if (h->kind == 'f' && h->size == 8 && !h->swap) { if (count) memcpy(dst, src, count * 8); return; }
    for (size_t i = 0; i < count; i++) dst[i] = item(src + i * (size_t)h->size, h);
}

static void fill_out(const npy_hdr *h, double *data, num_matrix *out) {
    out->ndim = h->ndim;
    out->rows = h->rows;
    out->cols = h->cols;
    out->data = data;
    out->is_integer = h->kind != 'f';
}

int npy_parse(const uint8_t *buf, size_t n, const char *name, num_matrix *out, gi_err *e) {
    npy_hdr h;
    size_t hstart, hlen;
    memset(out, 0, sizeof *out);
    memset(&h, 0, sizeof h);
    if (parse_preamble(buf, n, n, name, &hstart, &hlen, e)) return -1;
    if (parse_dict((const char *)buf + hstart, hlen, name, &h, e)) return -1;
    h.data_off = hstart + hlen;
    if (check_layout(&h, n - h.data_off, name, e)) return -1;
    double *data = gi_malloc(h.count * sizeof(double));
    convert(buf + h.data_off, h.count, &h, data);
    fill_out(&h, data, out);
    return 0;
}

int npy_read(const char *path, num_matrix *out, gi_err *e) {
    memset(out, 0, sizeof *out);
    FILE *f = fopen(path, "rb");
    if (!f) return gi_fail(e, "%s: cannot open (%s)", path, strerror(errno));
    struct stat st;
    if (fstat(fileno(f), &st) != 0 || !S_ISREG(st.st_mode)) { fclose(f); return gi_fail(e, "%s: not a regular file", path); }
    uint64_t total = (uint64_t)st.st_size;
    npy_hdr h;
    memset(&h, 0, sizeof h);
    uint8_t pre[12];
    size_t hstart, hlen, got = fread(pre, 1, sizeof pre, f);
    char *hdr = NULL;
    double *data = NULL;
    if (parse_preamble(pre, got, total, path, &hstart, &hlen, e)) goto fail;
    hdr = gi_malloc(hlen);
    if (fseek(f, (long)hstart, SEEK_SET) != 0 || fread(hdr, 1, hlen, f) != hlen) { gi_fail(e, "%s: read error", path); goto fail; }
    if (parse_dict(hdr, hlen, path, &h, e)) goto fail;
    h.data_off = hstart + hlen;
    if (check_layout(&h, total - h.data_off, path, e)) goto fail;
    data = gi_malloc(h.count * sizeof(double));
    uint8_t chunk[1 << 16];
    size_t per = sizeof chunk / (size_t)h.size;
    for (size_t i = 0; i < h.count; i += per) {
        size_t m = h.count - i < per ? h.count - i : per;
        if (fread(chunk, (size_t)h.size, m, f) != m) { gi_fail(e, "%s: read error (file changed while reading?)", path); goto fail; }
        convert(chunk, m, &h, data + i);
    }
    free(hdr);
    fclose(f);
    fill_out(&h, data, out);
    return 0;
fail:
    free(hdr);
    free(data);
    fclose(f);
    return -1;
}

/* ---- CSV ---- */
static char *slurp(const char *path, size_t *n, gi_err *e) {
    FILE *f = fopen(path, "rb");
    if (!f) { gi_fail(e, "%s: cannot open (%s)", path, strerror(errno)); return NULL; }
    size_t cap = 1 << 16, len = 0;
    char *buf = gi_malloc(cap + 1);
    for (size_t got; (got = fread(buf + len, 1, cap - len, f)) > 0;) {
        len += got;
        if (len == cap) {
            char *bigger = gi_malloc(2 * cap + 1);
            memcpy(bigger, buf, len);
            free(buf);
            buf = bigger;
            cap *= 2;
        }
    }
    int bad = ferror(f);
    fclose(f);
    if (bad) { free(buf); gi_fail(e, "%s: read error", path); return NULL; }
    buf[len] = '\0';
    *n = len;
    return buf;
}

static int is_space(char ch) { return ch == ' ' || ch == '\t' || ch == '\r' || ch == '\v' || ch == '\f'; }

static int is_int_literal(const char *a, const char *b) {
    if (a < b && (*a == '+' || *a == '-')) a++;
    if (a == b) return 0;
    for (; a < b; a++) if (*a < '0' || *a > '9') return 0;
    return 1;
}

int csv_read(const char *path, num_matrix *out, gi_err *e) {
    memset(out, 0, sizeof *out);
    size_t n;
    char *text = slurp(path, &n, e);
    if (!text) return -1;
    size_t nv = 0, cap = 1024;
    double *vals = gi_malloc(cap * sizeof(double));
    int64_t rows = 0, cols = -1, hdr_fields = -1;
    long line = 0, cols_line = 0, hdr_line = 0;
    int all_int = 1;
    for (char *p = text, *end = text + n; p < end;) {
        char *nl = memchr(p, '\n', (size_t)(end - p)), *le = nl ? nl : end, *next = nl ? nl + 1 : end;
        line++;
        while (p < le && is_space(*p)) p++;
        if (p == le || *p == '#') { p = next; continue; }
        size_t row_start = nv;
        int64_t field = 0;
        const char *bad = NULL, *bad_end = NULL;
        int64_t bad_field = 0;
        int row_int = 1, any_text = 0, bad_kind = 0, first_content = cols < 0 && hdr_fields < 0;
        for (char *a = p;; ) {
            char *comma = memchr(a, ',', (size_t)(le - a)), *fe = comma ? comma : le, *b = fe;
            field++;
            while (a < b && is_space(*a)) a++;
            while (b > a && is_space(b[-1])) b--;
            char *stop = a;
            errno = 0;
            double v = a < b ? strtod(a, &stop) : 0.0;
            /* 0: a number, 1: empty, 2: not a number, 3: out of range */
            int kind = a == b ? 1 : stop != b ? 2 : errno == ERANGE && isinf(v) ? 3 : 0;
            any_text |= kind == 2;
            if (kind && !bad_kind) { bad = a; bad_end = b; bad_field = field; bad_kind = kind; }
            if (!kind) {
                if (nv == cap) {
                    double *bigger = gi_malloc(2 * cap * sizeof(double));
                    memcpy(bigger, vals, nv * sizeof(double));
                    free(vals);
                    vals = bigger;
                    cap *= 2;
                }
                vals[nv++] = v;
                row_int &= is_int_literal(a, b);
            }
            if (!comma) break;
            a = comma + 1;
        }
        if (any_text && first_content) {  /* the header line */
            nv = row_start;
            hdr_fields = field;
            hdr_line = line;
            p = next;
            continue;
        }
        if (bad_kind) {
            int len = (int)(bad_end - bad > 40 ? 40 : bad_end - bad);
            const char *more = bad_end - bad > 40 ? "..." : "";
            if (bad_kind == 1) gi_fail(e, "%s:%ld: field %lld is empty", path, line, (long long)bad_field);
            else gi_fail(e, "%s:%ld: field %lld '%.*s%s' is %s", path, line, (long long)bad_field, len, bad, more,
                         bad_kind == 2 ? "not a number" : "out of range for a double");
            goto fail;
        }
        if (cols < 0 && hdr_fields >= 0 && field != hdr_fields) {
            gi_fail(e, "%s:%ld: %lld fields, but the header on line %ld has %lld", path, line, (long long)field,
                    hdr_line, (long long)hdr_fields);
            goto fail;
        }
        if (cols >= 0 && field != cols) {
            gi_fail(e, "%s:%ld: %lld fields, expected %lld (as on line %ld)", path, line, (long long)field,
                    (long long)cols, cols_line);
            goto fail;
        }
        if (cols < 0) { cols = field; cols_line = line; }
        all_int &= row_int;
        rows++;
        p = next;
    }
    if (rows == 0) {
        gi_fail(e, "%s: no data rows%s", path, hdr_fields >= 0 ? " (only a header line)" : "");
        goto fail;
    }
    free(text);
    out->ndim = 2;
    out->rows = rows;
    out->cols = cols;
    out->data = vals;
    out->is_integer = all_int;
    return 0;
fail:
    free(text);
    free(vals);
    return -1;
}

int matrix_read(const char *path, num_matrix *out, gi_err *e) {
    memset(out, 0, sizeof *out);
    FILE *f = fopen(path, "rb");
    if (!f) return gi_fail(e, "%s: cannot open (%s)", path, strerror(errno));
    char magic[6];
    size_t got = fread(magic, 1, sizeof magic, f);
    fclose(f);
    if (got == sizeof magic && !memcmp(magic, NPY_MAGIC, 6)) return npy_read(path, out, e);
    return csv_read(path, out, e);
}

/* ---- writers ---- */
static int npy_write(const char *path, const void *data, const char *descr, size_t size, int64_t rows, int64_t cols,
                     gi_err *e) {
    if (rows < 0 || cols < 0) return gi_fail(e, "%s: cannot write an array of shape (%lld, %lld)", path, (long long)rows, (long long)cols);
    int64_t c = cols ? cols : 1;
    if (c > 0 && (uint64_t)rows > SIZE_MAX / (uint64_t)c / size) return gi_fail(e, "%s: array too large to write", path);
    size_t count = (size_t)rows * (size_t)c;
    char shape[64], hdr[256];
    if (cols) snprintf(shape, sizeof shape, "(%lld, %lld)", (long long)rows, (long long)cols);
    else snprintf(shape, sizeof shape, "(%lld,)", (long long)rows);
    int len = snprintf(hdr + 10, sizeof hdr - 10, "{'descr': '%s', 'fortran_order': False, 'shape': %s, }", descr, shape);
    size_t total = ((size_t)len + 10 + 1 + 63) / 64 * 64;  /* NumPy pads to 64 bytes, ending in '\n' */
    memset(hdr + 10 + len, ' ', total - 10 - (size_t)len);
    hdr[total - 1] = '\n';
    memcpy(hdr, NPY_MAGIC, 6);
    hdr[6] = 1;
    hdr[7] = 0;
    hdr[8] = (char)((total - 10) & 0xff);
    hdr[9] = (char)((total - 10) >> 8);
    atomic_file af;
    if (atomic_open(&af, path, e)) return -1;
    fwrite(hdr, 1, total, af.f);
    if (count && host_little()) {
        fwrite(data, size, count, af.f);
    } else {
        for (size_t i = 0; i < count; i++) {
            uint8_t b[8];
            for (size_t k = 0; k < size; k++) b[k] = ((const uint8_t *)data)[i * size + size - 1 - k];
            fwrite(b, 1, size, af.f);
        }
    }
    return atomic_commit(&af, e);
}

int npy_write_f64(const char *path, const double *data, int64_t rows, int64_t cols, gi_err *e) {
    return npy_write(path, data, "<f8", 8, rows, cols, e);
}

int npy_write_f32(const char *path, const float *data, int64_t rows, int64_t cols, gi_err *e) {
    return npy_write(path, data, "<f4", 4, rows, cols, e);
}

int64_t matrix_first_nonfinite(const num_matrix *m) {
    int64_t n = m->rows * m->cols;
    for (int64_t i = 0; i < n; i++)
        if (!isfinite(m->data[i])) return i;
    return -1;
}

int matrix_read_finite(const char *path, num_matrix *out, gi_err *e) {
    if (matrix_read(path, out, e)) return -1;
    int64_t bad = matrix_first_nonfinite(out);
    if (bad < 0) return 0;
    int is_nan = isnan(out->data[bad]);
    int64_t cols = out->cols > 0 ? out->cols : 1;
    matrix_free(out);
    return gi_fail(e, "%s: value %s at row %lld, column %lld: NaN and Inf are not allowed", path, is_nan ? "NaN" : "Inf",
                   (long long)(bad / cols), (long long)(bad % cols));
}

int64_t matrix_count_nonfinite(const num_matrix *m) {
    int64_t n = m->rows * m->cols, k = 0;
    for (int64_t i = 0; i < n; i++) k += !isfinite(m->data[i]);
    return k;
}

void matrix_free(num_matrix *m) {
    free(m->data);
    memset(m, 0, sizeof *m);
}
