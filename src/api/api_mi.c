/* api_mi.c — mutual information and entropy by estimator name on plain arrays, with the flags
 * and a bootstrap interval (include/grokinfo.h); `grokinfo mi` is this call and a printer. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "api/api.h"
#include "measure/flags.h"
#include "measure/mi.h"
#include "util/clock.h"
#include "util/rng.h"

int grokinfo_estimator_count(void) { return EST_COUNT; }

const char *grokinfo_estimator_name(int i) { return i >= 0 && i < EST_COUNT ? estimator_name((estimator_kind)i) : NULL; }

static int caps_of(const estimator_traits *t) {
    return (estimator_on_arrays(t) ? GROKINFO_CAP_ARRAYS : 0) | (t->handles_labels ? GROKINFO_CAP_LABELS : 0) |
           (t->uses_k ? GROKINFO_CAP_USES_K : 0) | (t->per_point ? GROKINFO_CAP_TERMS : 0) |
           (t->rescale_allowed ? GROKINFO_CAP_RESCALE : 0) | (t->whitens_by_default ? GROKINFO_CAP_WHITENS : 0) |
           (t->entropy ? GROKINFO_CAP_ENTROPY : 0) | (t->standardize_allowed ? GROKINFO_CAP_STANDARDIZE : 0);
}

int grokinfo_estimator_caps(const char *name) {
    estimator_kind k;
    if (!name || estimator_from_name(name, &k)) return -1;
    return caps_of(estimator_get(k));
}

int grokinfo_flag_count(void) { return MI_FLAG_COUNT; }
const char *grokinfo_flag_name(int i) { return i >= 0 && i < MI_FLAG_COUNT ? mi_flag_get((mi_flag)i)->name : NULL; }
const char *grokinfo_flag_meaning(int i) { return i >= 0 && i < MI_FLAG_COUNT ? mi_flag_get((mi_flag)i)->meaning : NULL; }

void grokinfo_mi_options_init(grokinfo_mi_options *o) {
    memset(o, 0, sizeof *o);
    o->estimator = "ksg";
    o->k = 5;
    o->rescale = -1;
}

static int has_entropy(const estimator_traits *t) { return t->entropy != NULL; }
static int bootstrappable(const estimator_traits *t) { return estimator_on_arrays(t) && t->per_point; }
static int standardizable(const estimator_traits *t) { return estimator_on_arrays(t) && t->standardize_allowed; }

/* The estimator of o and its compression, its settings checked against its row (want_terms:
 * per-point terms asked for; entropy: for grokinfo_entropy, whose bootstrap and standardize are
 * not read). The messages are `grokinfo mi`'s. */
static int resolve(const grokinfo_mi_options *o, int want_terms, int entropy, mi_estimator *est, api_compression *comp,
                   grokinfo_error *err) {
    char list[160];
    int rc = api_estimator(o->estimator, o->k, o->rescale, entropy ? has_entropy : estimator_on_arrays, est, err);
    if (rc) return rc;
    const estimator_traits *t = estimator_get(est->kind);
    if (want_terms && !t->per_point)
        return api_failf(err, GROKINFO_E_ARG, "per-point terms need a per-point estimator (%s)",
                         estimator_names(list, sizeof list, ", ", NULL, bootstrappable));
    if (!entropy) {
        if (o->bootstrap && !t->per_point)
            return api_failf(err, GROKINFO_E_ARG, "--bootstrap needs a per-point estimator (%s)",
                             estimator_names(list, sizeof list, ", ", NULL, bootstrappable));
        if (o->standardize && !t->standardize_allowed)
            return api_failf(err, GROKINFO_E_ARG, "standardize applies to %s only",
                             estimator_names(list, sizeof list, ", ", " and ", standardizable));
        if (o->bootstrap < 0 || o->bootstrap == 1 || o->bootstrap > 1000000)
            return api_failf(err, GROKINFO_E_ARG, "--bootstrap: %d is not 0 or in 2..1000000", o->bootstrap);
        est->standardize = o->standardize != 0;
    }
    est->bias_correct = o->bias_correct != 0;
    if (api_parse_compress(o->compress, comp))
        return api_failf(err, GROKINFO_E_ARG, "--compress: expected pca:M, pca-white:M or first:M, got '%s'", o->compress);
    return GROKINFO_OK;
}

int grokinfo_mi_check(const grokinfo_mi_options *o, int terms, grokinfo_error *err) {
    if (!o) return api_failf(err, GROKINFO_E_ARG, "mi: NULL options");
    mi_estimator est;
    api_compression comp;
    int rc = resolve(o, terms, 0, &est, &comp, err);
    return rc ? rc : api_ok(err);
}

static int cmp_double(const void *a, const void *b) {
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

/* Percentile bootstrap of the mean of the per-point terms (as the seed's library bootstraps its
 * per-point densities): the neighbour structure is that of the full sample. */
static void bootstrap_interval(const double *terms, int n, int reps, uint64_t seed, double *lo, double *hi) {
    double *means = gi_malloc((size_t)reps * sizeof(double));
    rng_t r;
    rng_seed(&r, seed);
    for (int b = 0; b < reps; b++) {
        double s = 0.0;
        for (int i = 0; i < n; i++) s += terms[rng_below(&r, (uint32_t)n)];
        means[b] = s / n;
    }
    qsort(means, (size_t)reps, sizeof(double), cmp_double);
    *lo = means[(int)floor(0.025 * (reps - 1))];
    *hi = means[(int)ceil(0.975 * (reps - 1))];
    free(means);
}

/* grokinfo_mi and grokinfo_mi_labels: y (n x dy) or labels. */
static int mi_call(const double *x, int n, int dx, const double *y, int dy, const int *labels,
                   const grokinfo_mi_options *o, grokinfo_mi_result *out, double *terms, grokinfo_error *err) {
    if (!o || !out) return api_failf(err, GROKINFO_E_ARG, "mi: NULL options or result");
    memset(out, 0, sizeof *out);
    out->mi = out->stderr_ = out->ci_low = out->ci_high = out->h_y = out->ceiling = NAN;
    mi_estimator est;
    api_compression comp;
    int rc = resolve(o, terms != NULL, 0, &est, &comp, err);
    if (rc) return rc;
    if ((rc = api_check_array(x, n, dx, "x", err))) return rc;
    if (labels == NULL && (rc = api_check_array(y, n, dy, "y", err))) return rc;
    if (labels == NULL && !y) return api_failf(err, GROKINFO_E_ARG, "y: NULL array");
    double *xc = NULL, *yc = NULL, *t = terms;
    if ((rc = api_compress(x, n, &dx, &comp, &xc, err))) return rc;
    if (!labels && (rc = api_compress(y, n, &dy, &comp, &yc, err))) { free(xc); return rc; }
    if (o->bootstrap && !t) t = gi_malloc((size_t)n * sizeof(double));
    estimate e = {.terms = t};
    gi_err why;
    double t0 = now_s();
    int erc = labels ? mi_estimate_classes(&est, xc ? xc : x, dx, labels, n, &e, &why)
                     : mi_estimate(&est, xc ? xc : x, dx, yc ? yc : y, dy, n, &e, &why);
    out->seconds = now_s() - t0;
    free(xc);
    free(yc);
    if (erc) rc = api_fail(err, GROKINFO_E_ESTIMATE, &why);
    else if (!isfinite(e.value)) rc = api_failf(err, GROKINFO_E_ESTIMATE, "the estimate is not finite");
    if (rc) { if (t != terms) free(t); return rc; }
    const estimator_traits *tr = estimator_get(est.kind);
    out->mi = e.value;
    out->stderr_ = e.stderr_;
    out->n = n;
    out->dx = dx;
    out->dy = labels ? 1 : dy;
    out->k = tr->uses_k ? est.k : 0;
    out->rescale = est.rescale;
    if (labels) {
        label_stats ls;
        label_stats_of(labels, n, &ls);
        out->flags = mi_flags_label(&est, e.value, e.stderr_, &ls);
        out->h_y = ls.entropy;
        out->ceiling = mi_label_ceiling(&est, &ls);
        out->classes = ls.classes;
    } else out->flags = mi_flags_pair(&est, e.value, e.stderr_, n);
    if (o->bootstrap) bootstrap_interval(t, n, o->bootstrap, o->seed, &out->ci_low, &out->ci_high);
    if (t != terms) free(t);
    return api_ok(err);
}

int grokinfo_mi(const double *x, int n, int dx, const double *y, int dy, const grokinfo_mi_options *o,
                grokinfo_mi_result *out, double *terms, grokinfo_error *err) {
    return mi_call(x, n, dx, y, dy, NULL, o, out, terms, err);
}

int grokinfo_mi_labels(const double *x, int n, int dx, const int *labels, const grokinfo_mi_options *o,
                       grokinfo_mi_result *out, double *terms, grokinfo_error *err) {
    if (!labels) return api_failf(err, GROKINFO_E_ARG, "labels: NULL array");
    return mi_call(x, n, dx, NULL, 1, labels, o, out, terms, err);
}

int grokinfo_entropy(const double *x, int n, int d, const grokinfo_mi_options *o, grokinfo_entropy_result *out,
                     double *terms, grokinfo_error *err) {
    if (!o || !out) return api_failf(err, GROKINFO_E_ARG, "entropy: NULL options or result");
    memset(out, 0, sizeof *out);
    out->h = out->stderr_ = NAN;
    mi_estimator est;
    api_compression comp;
    int rc = resolve(o, terms != NULL, 1, &est, &comp, err);
    if (rc) return rc;
    if ((rc = api_check_array(x, n, d, "x", err))) return rc;
    double *xc = NULL;
    if ((rc = api_compress(x, n, &d, &comp, &xc, err))) return rc;
    estimate e = {.terms = terms};
    gi_err why;
    double t0 = now_s();
    int erc = estimator_get(est.kind)->entropy(xc ? xc : x, n, d, &est, &e, &why);
    out->seconds = now_s() - t0;
    free(xc);
    if (erc) return api_fail(err, GROKINFO_E_ESTIMATE, &why);
    if (!isfinite(e.value)) return api_failf(err, GROKINFO_E_ESTIMATE, "the estimate is not finite");
    out->h = e.value;
    out->stderr_ = e.stderr_;
    out->n = n;
    out->d = d;
    return api_ok(err);
}
