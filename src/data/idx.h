/* idx.h — the IDX file format of MNIST (big-endian header: 0x00 0x00 TYPE NDIM, then NDIM
 * uint32 sizes, then the data), plain or gzip-compressed (detected from the content). */
#ifndef GI_IDX_H
#define GI_IDX_H
#include <stddef.h>
#include <stdint.h>
#include "util/err.h"

typedef struct {
    int ndim;
    uint32_t dims[4];
    size_t count;   /* product of dims */
    uint8_t *data;  /* count unsigned bytes (type 0x08: the only type MNIST uses) */
} idx_array;

/* Validates magic, type, ndim (1..4), sizes and that the data is complete (no more, no less);
 * every error names the file and what was wrong. */
int idx_read(const char *path, idx_array *out, gi_err *e);
/* Parses an IDX image already in memory (used by idx_read and by the fuzzers). */
int idx_parse(const uint8_t *buf, size_t n, const char *name, idx_array *out, gi_err *e);
/* Writes an unsigned-byte IDX file atomically (plain, not compressed). */
int idx_write(const char *path, const idx_array *a, gi_err *e);
void idx_free(idx_array *a);
#endif
