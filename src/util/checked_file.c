/* checked_file.c — reading a binary file with a magic, a version and a trailing CRC-32. */
#include "util/checked_file.h"
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <zlib.h>

uint8_t *checked_file_read(const char *path, const char *magic, uint32_t version, const char *what, size_t header_size,
                           size_t *n_out, gi_err *e) {
    FILE *f = fopen(path, "rb");
    if (!f) { gi_fail(e, "%s: cannot open %s (%s)", path, what, strerror(errno)); return NULL; }
    fseek(f, 0, SEEK_END);
    long n = ftell(f);
    fseek(f, 0, SEEK_SET);
    if (n < (long)(header_size + 4)) { fclose(f); gi_fail(e, "%s: truncated %s (%ld bytes)", path, what, n); return NULL; }
    uint8_t *p = gi_malloc((size_t)n);
    size_t got = fread(p, 1, (size_t)n, f);
    fclose(f);
    uint32_t file_version, crc;
    memcpy(&file_version, p + 8, 4);
    memcpy(&crc, p + n - 4, 4);
    if (got != (size_t)n) gi_fail(e, "%s: read error", path);
    else if (memcmp(p, magic, 8) != 0) gi_fail(e, "%s: not a grokinfo %s (bad magic)", path, what);
    else if (file_version != version) gi_fail(e, "%s: %s version %u, expected %u", path, what, file_version, version);
    else if (crc != (uint32_t)crc32(0L, p, (uInt)(n - 4))) gi_fail(e, "%s: %s is corrupt (CRC mismatch)", path, what);
    else {
        *n_out = (size_t)n;
        return p;
    }
    free(p);
    return NULL;
}
