/* api.c — the library's version, threads, errors and array checks (include/grokinfo.h). */
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#ifdef _OPENMP
#include <omp.h>
#endif
#include <cblas.h>
#include "api/api.h"
#include "measure/compress.h"

/* As grokinfo's main: the estimators' parallelism is OpenMP's, and OpenBLAS's own thread pool would
 * both compete for the cores and change the last bits of its sums (PCA, whitening, O-information),
 * so that a program calling the library would get other numbers than the command line. Loading
 * the library sets it to one thread (include/grokinfo.h says so). */
__attribute__((constructor)) static void api_one_blas_thread(void) { openblas_set_num_threads(1); }

#define GROKINFO_VERSION_STRING "0.16.0"

const char *grokinfo_version(void) { return GROKINFO_VERSION_STRING; }
int grokinfo_api_version(void) { return GROKINFO_API_VERSION; }

int grokinfo_set_threads(int n) {
#ifdef _OPENMP
    if (n >= 1) omp_set_num_threads(n);
    return omp_get_max_threads();
#else
    (void)n;
    return 1;
#endif
}

int api_fail(grokinfo_error *err, int code, const gi_err *e) {
    if (err) {
        err->code = code;
        snprintf(err->msg, sizeof err->msg, "%s", e ? e->msg : "");
    }
    return code;
}

int api_failf(grokinfo_error *err, int code, const char *fmt, ...) {
    if (err) {
        err->code = code;
        va_list ap;
        va_start(ap, fmt);
        vsnprintf(err->msg, sizeof err->msg, fmt, ap);
        va_end(ap);
    }
    return code;
}

int api_ok(grokinfo_error *err) {
    if (err) { err->code = GROKINFO_OK; err->msg[0] = '\0'; }
    return GROKINFO_OK;
}

int api_check_array(const double *x, int n, int d, const char *what, grokinfo_error *err) {
    if (n < 1 || d < 1) return api_failf(err, GROKINFO_E_ARG, "%s: %d rows x %d columns (at least 1 x 1 needed)", what, n, d);
    if (!x) return api_failf(err, GROKINFO_E_ARG, "%s: NULL array", what);
    size_t nd = (size_t)n * (size_t)d;
    for (size_t i = 0; i < nd; i++)
        if (!isfinite(x[i]))
            return api_failf(err, GROKINFO_E_ARG, "%s: %s at row %zu, column %zu (only finite values are allowed)", what,
                             isnan(x[i]) ? "NaN" : "Inf", i / (size_t)d, i % (size_t)d);
    return GROKINFO_OK;
}

static int rescale_allowed(const estimator_traits *t) { return t->rescale_allowed; }

int api_estimator(const char *name, int k, int rescale, estimator_filter usable, mi_estimator *est, grokinfo_error *err) {
    char list[160];
    if (!name) name = "ksg";
    memset(est, 0, sizeof *est);
    if (estimator_from_name(name, &est->kind) || (usable && !usable(estimator_get(est->kind))))
        return api_failf(err, GROKINFO_E_ARG, "--estimator: '%s' is not one of %s", name,
                         estimator_names(list, sizeof list, ", ", NULL, usable));
    const estimator_traits *t = estimator_get(est->kind);
    est->rescale = rescale < 0 ? t->whitens_by_default : rescale != 0;
    if (est->rescale && !t->rescale_allowed)
        return api_failf(err, GROKINFO_E_ARG, "--rescale applies to %s only",
                         estimator_names(list, sizeof list, ", ", " and ", rescale_allowed));
    if (t->uses_k && (k < 1 || k > 1000000)) return api_failf(err, GROKINFO_E_ARG, "--k: %d is not in 1..1000000", k);
    est->k = k;
    return GROKINFO_OK;
}

int api_parse_compress(const char *s, api_compression *c) {
    c->kind = 0;
    c->m = 0;
    if (!s || !*s) return 0;
    const char *colon = strchr(s, ':');
    if (!colon) return -1;
    size_t len = (size_t)(colon - s);
    if (len == 3 && strncmp(s, "pca", 3) == 0) c->kind = 1;
    else if (len == 9 && strncmp(s, "pca-white", 9) == 0) c->kind = 2;
    else if (len == 5 && strncmp(s, "first", 5) == 0) c->kind = 3;
    else return -1;
    char *end;
    long m = strtol(colon + 1, &end, 10);
    if (end == colon + 1 || *end || m < 1 || m > 100000) { c->kind = 0; return -1; }
    c->m = (int)m;
    return 0;
}

int api_compress(const double *x, int n, int *d, const api_compression *c, double **out, grokinfo_error *err) {
    *out = NULL;
    if (c->kind == 0 || *d <= c->m) return GROKINFO_OK;
    double *o = gi_malloc((size_t)n * c->m * sizeof(double));
    gi_err e;
    if (c->kind == 3) first_coords(x, n, *d, c->m, o);
    else if (pca_compress(x, n, *d, c->m, c->kind == 2, o, &e)) { free(o); return api_fail(err, GROKINFO_E_ESTIMATE, &e); }
    *out = o;
    *d = c->m;
    return GROKINFO_OK;
}

int grokinfo_pca(const double *x, int n, int d, int m, int whiten, double *out, grokinfo_error *err) {
    int rc = api_check_array(x, n, d, "pca: x", err);
    if (rc) return rc;
    if (m < 1 || m > d) return api_failf(err, GROKINFO_E_ARG, "pca: %d components of %d columns (1..%d)", m, d, d);
    if (!out) return api_failf(err, GROKINFO_E_ARG, "pca: NULL output");
    gi_err e;
    if (pca_compress(x, n, d, m, whiten, out, &e)) return api_fail(err, GROKINFO_E_ESTIMATE, &e);
    return api_ok(err);
}

int grokinfo_first_coords(const double *x, int n, int d, int m, double *out, grokinfo_error *err) {
    int rc = api_check_array(x, n, d, "first_coords: x", err);
    if (rc) return rc;
    if (m < 1 || m > d) return api_failf(err, GROKINFO_E_ARG, "first_coords: %d of %d columns (1..%d)", m, d, d);
    if (!out) return api_failf(err, GROKINFO_E_ARG, "first_coords: NULL output");
    first_coords(x, n, d, m, out);
    return api_ok(err);
}
