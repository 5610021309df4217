/* api.h — what the files behind include/grokinfo.h share: the error a call hands back, the
 * checks of its arrays, and the options as the command line spells them (--compress). The
 * command line's `mi` and `oinfo-npy` are built on the public calls; this header is for src/api. */
#ifndef GI_API_H
#define GI_API_H
#include "grokinfo.h"
#include "measure/mi.h"
#include "util/err.h"

/* Copies e's message into err with code, and returns code. */
int api_fail(grokinfo_error *err, int code, const gi_err *e);
/* Formats a message into err with code, and returns code. */
int api_failf(grokinfo_error *err, int code, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
/* Clears err (code 0, empty message) and returns 0. */
int api_ok(grokinfo_error *err);
/* n >= 1 rows and d >= 1 columns, a non-NULL array without NaN or Inf, else GROKINFO_E_ARG
 * naming `what` and the first bad value's row and column. */
int api_check_array(const double *x, int n, int d, const char *what, grokinfo_error *err);

/* The estimator by name among the rows usable accepts (NULL: "ksg"), k checked (1..1000000)
 * where it uses k, rescale -1 as its row's default and 1 only where its row allows whitening:
 * *est filled, or GROKINFO_E_ARG with `grokinfo mi`'s message. */
int api_estimator(const char *name, int k, int rescale, estimator_filter usable, mi_estimator *est, grokinfo_error *err);

/* A --compress / grokinfo_mi_options.compress value: kind 0 none, 1 pca, 2 whitened pca, 3 the
 * first m coordinates. */
typedef struct { int kind, m; } api_compression;
/* NULL or "" is none; else "pca:M", "pca-white:M" or "first:M", 1 <= M <= 100000; -1 otherwise. */
int api_parse_compress(const char *s, api_compression *c);
/* x (n x *d) compressed into a new array (*out, caller frees) when it has more than c->m
 * columns; otherwise *out = NULL and x is to be used as it is. */
int api_compress(const double *x, int n, int *d, const api_compression *c, double **out, grokinfo_error *err);
#endif
