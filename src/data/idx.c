#include "data/idx.h"
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <zlib.h>
#include "util/atomic_file.h"

#define IDX_MAX_COUNT ((uint64_t)1 << 31)

static uint32_t be32(const uint8_t *p) {
    return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | (uint32_t)p[3];
}

/* Validates the header in buf[0..n) and fills ndim, dims and count; *hdr_len is its size. */
static int parse_header(const uint8_t *buf, size_t n, const char *name, idx_array *out,
                        size_t *hdr_len, gi_err *e) {
    if (n < 4) return gi_fail(e, "%s: too short for an IDX header (%zu bytes, need at least 4)", name, n);
    if (buf[0] != 0 || buf[1] != 0)
        return gi_fail(e, "%s: bad magic 0x%08x, expected 0x0000TTNN (TT data type, NN dimensions)", name, be32(buf));
    if (buf[2] != 0x08)
        return gi_fail(e, "%s: data type 0x%02X not supported, expected 0x08 (unsigned byte)", name, buf[2]);
    int ndim = buf[3];
    if (ndim < 1 || ndim > 4) return gi_fail(e, "%s: %d dimensions not supported, expected 1..4", name, ndim);
    size_t hdr = 4 + 4 * (size_t)ndim;
    if (n < hdr)
        return gi_fail(e, "%s: header truncated: %zu bytes, expected %zu for %d dimensions", name, n, hdr, ndim);
    uint64_t count = 1;
    for (int i = 0; i < ndim; i++) {
        uint32_t d = be32(buf + 4 + 4 * i);
        if (d == 0) return gi_fail(e, "%s: dimension %d has size 0", name, i);
        count *= d;  /* cannot wrap: count <= 2^31 before, d < 2^32 */
        if (count > IDX_MAX_COUNT)
            return gi_fail(e, "%s: too large: the dimensions multiply to more than 2^31 items", name);
        out->dims[i] = d;
    }
    out->ndim = ndim;
    out->count = (size_t)count;
    *hdr_len = hdr;
    return 0;
}

int idx_parse(const uint8_t *buf, size_t n, const char *name, idx_array *out, gi_err *e) {
    memset(out, 0, sizeof *out);
    idx_array a = {0};
    size_t hdr = 0; /* parse_header sets it on success; initialised for gcc 12's -Wmaybe-uninitialized */
    if (parse_header(buf, n, name, &a, &hdr, e)) return -1;
    size_t have = n - hdr;
    if (have < a.count) return gi_fail(e, "%s: truncated: %zu bytes of data, expected %zu", name, have, a.count);
    if (have > a.count) return gi_fail(e, "%s: %zu bytes of trailing data", name, have - a.count);
    a.data = gi_malloc(a.count);
    memcpy(a.data, buf + hdr, a.count);
    *out = a;
    return 0;
}

/* A gz stream that ended early or does not inflate is reported as such, ahead of whatever
 * the short data would look like. Z_BUF_ERROR (unexpected end of file) does not make
 * gzread return -1, so gzerror is checked after every read. */
static int gz_check(gzFile gz, const char *path, gi_err *e) {
    int code;
    const char *msg = gzerror(gz, &code);
    if (code == Z_OK) return 0;
    if (code == Z_ERRNO) return gi_fail(e, "%s: cannot read (%s)", path, strerror(errno));
    /* zlib prefixes its message with the name it was opened under ("<fd:3>: ") */
    const char *colon = msg ? strstr(msg, ": ") : NULL;
    return gi_fail(e, "%s: corrupt gzip stream (%s)", path, colon ? colon + 2 : msg ? msg : "unknown error");
}

/* Reads up to n bytes; gzread takes an unsigned and returns an int, hence the chunks. */
static size_t gz_read_full(gzFile gz, uint8_t *buf, size_t n) {
    size_t got = 0;
    while (got < n) {
        size_t want = n - got < (1u << 30) ? n - got : (1u << 30);
        int r = gzread(gz, buf + got, (unsigned)want);
        if (r <= 0) break;
        got += (size_t)r;
    }
    return got;
}

int idx_read(const char *path, idx_array *out, gi_err *e) {
    memset(out, 0, sizeof *out);
    /* open() ourselves so that errno is reliable for the "cannot open" message */
    int fd = open(path, O_RDONLY);
    if (fd < 0) return gi_fail(e, "%s: cannot open (%s)", path, strerror(errno));
    gzFile gz = gzdopen(fd, "rb");
    if (!gz) { close(fd); return gi_fail(e, "%s: cannot open (zlib could not allocate its state)", path); }
    gzbuffer(gz, 1 << 17);

    idx_array a = {0};
    uint8_t hbuf[20], scratch[1 << 14];
    size_t hdr;
    size_t got = gz_read_full(gz, hbuf, 4);
    if (gz_check(gz, path, e)) goto fail;
    if (got == 4 && hbuf[0] == 0 && hbuf[1] == 0 && hbuf[2] == 0x08 && hbuf[3] >= 1 && hbuf[3] <= 4) {
        got += gz_read_full(gz, hbuf + 4, 4 * (size_t)hbuf[3]);
        if (gz_check(gz, path, e)) goto fail;
    }
    if (parse_header(hbuf, got, path, &a, &hdr, e)) goto fail;

    a.data = gi_malloc(a.count);
    got = gz_read_full(gz, a.data, a.count);
    if (gz_check(gz, path, e)) goto fail;
    if (got < a.count) {
        gi_fail(e, "%s: truncated: %zu bytes of data, expected %zu", path, got, a.count);
        goto fail;
    }
    size_t extra = 0, r;
    while ((r = gz_read_full(gz, scratch, sizeof scratch)) > 0) extra += r;
    if (gz_check(gz, path, e)) goto fail;
    if (extra) {
        gi_fail(e, "%s: %zu bytes of trailing data", path, extra);
        goto fail;
    }
    gzclose(gz);
    *out = a;
    return 0;
fail:
    free(a.data);
    gzclose(gz);
    return -1;
}

int idx_write(const char *path, const idx_array *a, gi_err *e) {
    if (a->ndim < 1 || a->ndim > 4)
        return gi_fail(e, "%s: cannot write %d dimensions, expected 1..4", path, a->ndim);
    uint8_t hdr[20] = {0, 0, 0x08, (uint8_t)a->ndim};
    size_t count = 1;
    for (int i = 0; i < a->ndim; i++) {
        uint32_t d = a->dims[i];
        hdr[4 + 4 * i] = (uint8_t)(d >> 24);
        hdr[5 + 4 * i] = (uint8_t)(d >> 16);
        hdr[6 + 4 * i] = (uint8_t)(d >> 8);
        hdr[7 + 4 * i] = (uint8_t)d;
        count *= d;
    }
    if (count != a->count)
        return gi_fail(e, "%s: cannot write: dimensions give %zu items but the array has %zu", path, count, a->count);
    size_t hlen = 4 + 4 * (size_t)a->ndim;
    uint8_t *buf = gi_malloc(hlen + count);
    memcpy(buf, hdr, hlen);
    if (count) memcpy(buf + hlen, a->data, count);
    int rc = atomic_write(path, buf, hlen + count, e);
    free(buf);
    return rc;
}

void idx_free(idx_array *a) {
    free(a->data);
    memset(a, 0, sizeof *a);
}
