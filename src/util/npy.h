/* npy.h — numeric matrices from NumPy .npy files and CSV, and .npy writers.
 * Readers convert every value to double. All errors are one line: "PATH: what was wrong"
 * (CSV: "PATH:LINE: ..."). No global state. */
#ifndef GI_NPY_H
#define GI_NPY_H
#include <stddef.h>
#include <stdint.h>
#include "util/err.h"

typedef struct {
    int ndim;            /* 1 or 2 (CSV always gives 2; a single column is rows x 1) */
    int64_t rows, cols;  /* a 1-D array of length n is rows = n, cols = 1 */
    double *data;        /* rows*cols values converted to double, row-major */
    int is_integer;      /* the file held an integer (or bool) dtype; CSV: every field is an integer literal */
} num_matrix;

/* .npy versions 1.0, 2.0 and 3.0; dtypes float32, float64, int8..int64, uint8..uint64 and bool,
 * little-endian, big-endian (byte-swapped) or '|'. Rejected with a clear message: fortran_order
 * True (for a 2-D array with more than one row and column), 0-D or ndim > 2, object, string,
 * structured and other dtypes. Validates magic, version, header length, header dict syntax
 * (exactly the keys 'descr', 'fortran_order', 'shape') and that the file holds exactly the data
 * the shape needs (truncated or trailing bytes: error with both sizes). On failure *out is zeroed. */
int npy_read(const char *path, num_matrix *out, gi_err *e);
/* Parses an .npy image in memory (used by npy_read's checks and by fuzzers); name is for messages. */
int npy_parse(const uint8_t *buf, size_t n, const char *name, num_matrix *out, gi_err *e);
/* CSV of numbers: optional header line (detected: the first non-comment line has a field that is
 * not a number; it must have as many fields as the data rows), comma separated, whitespace around
 * fields allowed, CRLF accepted, blank lines and '#' comment lines skipped, every row the same
 * number of fields. nan/inf are parsed as numbers. Errors name the file, the line and the field. */
int csv_read(const char *path, num_matrix *out, gi_err *e);
/* Reads .npy (by its magic "\x93NUMPY", whatever the file name) or else CSV. */
int matrix_read(const char *path, num_matrix *out, gi_err *e);
/* matrix_read, then refuses a NaN or Inf value, naming the first one's row and column. */
int matrix_read_finite(const char *path, num_matrix *out, gi_err *e);
/* Writes a float64 or float32 .npy (version 1.0, '<f8' / '<f4', C order) atomically;
 * cols == 0 writes a 1-D array of length rows. The bytes match numpy.save for the same array. */
int npy_write_f64(const char *path, const double *data, int64_t rows, int64_t cols, gi_err *e);
int npy_write_f32(const char *path, const float *data, int64_t rows, int64_t cols, gi_err *e);
/* Index (row-major, row = i / cols) of the first NaN or Inf value, or -1 if all are finite. */
int64_t matrix_first_nonfinite(const num_matrix *m);
/* How many values are NaN or Inf. */
int64_t matrix_count_nonfinite(const num_matrix *m);
/* Frees m->data and zeroes m; safe on a zeroed or already freed matrix. */
void matrix_free(num_matrix *m);
#endif
