/* grokinfo mi — mutual information between two arrays on the command line. */
#include <limits.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "cli/args.h"
#include "cli/cli.h"
#include "measure/compress.h"
#include "measure/flags.h"
#include "measure/mi.h"
#include "util/npy.h"
#include "util/rng.h"
#include "util/clock.h"

/* The flags as a JSON list of names and as "  [flagged: NAME: meaning; ...]" ("" for none). */
static void describe_flags(unsigned flags, char *json, size_t jn, char *text, size_t tn) {
    size_t j = 0, t = 0;
    json[0] = text[0] = '\0';
    for (int k = 0; k < MI_FLAG_COUNT; k++) {
        if (!(flags & MI_FLAG_BIT(k))) continue;
        const mi_flag_info *f = mi_flag_get(k);
        j += (size_t)snprintf(json + j, j < jn ? jn - j : 0, "%s\"%s\"", j ? ", " : "", f->name);
        t += (size_t)snprintf(text + t, t < tn ? tn - t : 0, "%s%s: %s", t ? "; " : "  [flagged: ", f->name, f->meaning);
    }
    if (t) snprintf(text + t, t < tn ? tn - t : 0, "]");
}

/* The rows --rescale and --bootstrap accept, among those this command can run. */
static int rescalable(const estimator_traits *t) { return estimator_on_arrays(t) && t->rescale_allowed; }
static int bootstrappable(const estimator_traits *t) { return estimator_on_arrays(t) && t->per_point; }

/* The estimator by name, with whitening by default where its row says so; --rescale and
 * --bootstrap checked against its row. Returns 0, or -1 after a one-line message. */
static int choose_estimator(const char *name, int *rescale, int reps, estimator_kind *kind) {
    char list[128];
    if (estimator_from_name(name, kind) || !estimator_on_arrays(estimator_get(*kind))) {
        fprintf(stderr, "grokinfo mi: --estimator: '%s' is not one of %s\n", name,
                estimator_names(list, sizeof list, ", ", NULL, estimator_on_arrays));
        return -1;
    }
    const estimator_traits *t = estimator_get(*kind);
    if (*rescale < 0) *rescale = t->whitens_by_default;
    if (*rescale && !t->rescale_allowed) {
        fprintf(stderr, "grokinfo mi: --rescale applies to %s only\n",
                estimator_names(list, sizeof list, ", ", " and ", rescalable));
        return -1;
    }
    if (reps && !t->per_point) {
        fprintf(stderr, "grokinfo mi: --bootstrap needs a per-point estimator (%s)\n",
                estimator_names(list, sizeof list, ", ", NULL, bootstrappable));
        return -1;
    }
    return 0;
}

static int read_finite(const char *path, num_matrix *m) {
    gi_err e;
    if (matrix_read_finite(path, m, &e)) { fprintf(stderr, "grokinfo mi: %s\n", e.msg); return -1; }
    return 0;
}

typedef struct { int kind, m; } compression; /* kind 0 none, 1 pca, 2 whitened pca, 3 first coords */

static int parse_compress(const char *s, compression *c) {
    const char *colon = strchr(s, ':');
    if (!colon) return -1;
    size_t len = (size_t)(colon - s);
    if (len == 3 && strncmp(s, "pca", 3) == 0) c->kind = 1;
    else if (len == 9 && strncmp(s, "pca-white", 9) == 0) c->kind = 2;
    else if (len == 5 && strncmp(s, "first", 5) == 0) c->kind = 3;
    else return -1;
    long long m;
    if (arg_parse_ll(colon + 1, 1, 100000, &m)) return -1;
    c->m = (int)m;
    return 0;
}

/* compresses a side in place when it has more columns than asked for */
static int apply_compress(num_matrix *a, const compression *c, const char *path) {
    if (c->kind == 0 || a->cols <= c->m) return 0;
    double *out = gi_malloc((size_t)a->rows * c->m * sizeof(double));
    gi_err e;
    if (c->kind == 3) first_coords(a->data, (int)a->rows, (int)a->cols, c->m, out);
    else if (pca_compress(a->data, (int)a->rows, (int)a->cols, c->m, c->kind == 2, out, &e)) {
        fprintf(stderr, "grokinfo mi: %s: %s\n", path, e.msg);
        free(out);
        return -1;
    }
    free(a->data);
    a->data = out;
    a->cols = c->m;
    return 0;
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

int cmd_mi(int argc, char **argv) {
    const char *xpath = NULL, *ypath = NULL, *estimator = "ksg";
    int k = 5, discrete = 0, json = 0, rescale = -1, bias_correct = 0;
    compression comp = {0, 0};
    int reps = 0;
    long long seed = 0;
    for (int i = 0; i < argc; i++) {
        const char *a = argv[i];
        int has_value = i + 1 < argc;
        if (strcmp(a, "--x") == 0 && has_value) xpath = argv[++i];
        else if (strcmp(a, "--y") == 0 && has_value) ypath = argv[++i];
        else if (strcmp(a, "--estimator") == 0 && has_value) estimator = argv[++i];
        else if (strcmp(a, "--k") == 0 && has_value) {
            if (arg_int("mi", a, argv[++i], 1, 1000000, &k)) return CLI_USAGE_ERROR;
        } else if (strcmp(a, "--discrete-y") == 0) discrete = 1;
        else if (strcmp(a, "--rescale") == 0) rescale = 1;
        else if (strcmp(a, "--no-rescale") == 0) rescale = 0;
        else if (strcmp(a, "--json") == 0) json = 1;
        else if (strcmp(a, "--bias-correct") == 0) bias_correct = 1;
        else if (strcmp(a, "--bootstrap") == 0 && has_value) {
            if (arg_int("mi", a, argv[++i], 2, 1000000, &reps)) return CLI_USAGE_ERROR;
        } else if (strcmp(a, "--seed") == 0 && has_value) {
            if (arg_ll("mi", a, argv[++i], 0, LLONG_MAX, &seed)) return CLI_USAGE_ERROR;
        }
        else if (strcmp(a, "--compress") == 0 && has_value) {
            if (parse_compress(argv[++i], &comp)) {
                fprintf(stderr, "grokinfo mi: --compress: expected pca:M, pca-white:M or first:M, got '%s'\n", argv[i]);
                return 2;
            }
        }
        else { fprintf(stderr, "grokinfo mi: unknown or incomplete option '%s'\n", a); return cli_usage("mi"); }
    }
    if (!xpath || !ypath) { fprintf(stderr, "grokinfo mi: --x and --y are required\n"); return cli_usage("mi"); }
    mi_estimator est_cfg = {0};
    if (choose_estimator(estimator, &rescale, reps, &est_cfg.kind)) return 2;
    const int uses_k = estimator_get(est_cfg.kind)->uses_k;
    est_cfg.k = k;
    est_cfg.rescale = rescale;
    est_cfg.bias_correct = bias_correct;
    num_matrix x, y;
    if (read_finite(xpath, &x)) return 1;
    if (read_finite(ypath, &y)) { matrix_free(&x); return 1; }
    int rc = 1, *lab = NULL;
    estimate est = {0};
    if (x.rows != y.rows) {
        fprintf(stderr, "grokinfo mi: %s has %lld rows but %s has %lld: the samples must pair up\n", xpath,
                (long long)x.rows, ypath, (long long)y.rows);
        goto done;
    }
    if (x.rows > 2000000000LL) { fprintf(stderr, "grokinfo mi: too many rows (%lld)\n", (long long)x.rows); goto done; }
    if (apply_compress(&x, &comp, xpath) || (!discrete && apply_compress(&y, &comp, ypath))) goto done;
    int n = (int)x.rows, dx = (int)x.cols, dy = (int)y.cols;
    if (reps) est.terms = gi_malloc((size_t)n * sizeof(double));
    gi_err e;
    double t0 = now_s();
    int erc;
    if (discrete) {
        if (dy != 1 || !y.is_integer) {
            fprintf(stderr, "grokinfo mi: --discrete-y: %s must be one column of integer labels\n", ypath);
            goto done;
        }
        lab = gi_malloc((size_t)n * sizeof(int));
        for (int i = 0; i < n; i++) lab[i] = (int)y.data[i];
        erc = mi_estimate_classes(&est_cfg, x.data, dx, lab, n, &est, &e);
    } else {
        erc = mi_estimate(&est_cfg, x.data, dx, y.data, dy, n, &est, &e);
    }
    double seconds = now_s() - t0;
    if (erc) { fprintf(stderr, "grokinfo mi: %s\n", e.msg); goto done; }
    if (!isfinite(est.value)) { fprintf(stderr, "grokinfo mi: the estimate is not finite\n"); goto done; }
    int negative = est.value < 0;
    /* flags (measure/flags.h): a label MI against the labels' entropy, any MI against 0 and ln N */
    label_stats ls = {0};
    unsigned flags = 0;
    if (discrete) {
        label_stats_of(lab, n, &ls);
        flags = mi_flags_label(&est_cfg, est.value, est.stderr_, &ls);
    } else flags = mi_flags_pair(&est_cfg, est.value, est.stderr_, n);
    char flags_json[512], flags_text[512], labels_json[128] = "";
    describe_flags(flags, flags_json, sizeof flags_json, flags_text, sizeof flags_text);
    if (discrete)
        snprintf(labels_json, sizeof labels_json, "\"h_y\": %.17g, \"ceiling\": %.17g, ", ls.entropy,
                 mi_label_ceiling(&est_cfg, &ls));
    double ci_lo = NAN, ci_hi = NAN;
    if (reps) bootstrap_interval(est.terms, n, reps, (uint64_t)seed, &ci_lo, &ci_hi);
    char boot_json[160] = "", boot_text[96] = "";
    if (reps) {
        snprintf(boot_json, sizeof boot_json, "\"bootstrap\": %d, \"ci_low\": %.17g, \"ci_high\": %.17g, ", reps, ci_lo, ci_hi);
        snprintf(boot_text, sizeof boot_text, "; 95%% bootstrap interval [%.6f, %.6f] (B = %d)", ci_lo, ci_hi, reps);
    }
    if (json)
        printf("{\"estimator\": \"%s\", \"mi\": %.17g, \"stderr\": %.17g, \"n\": %d, \"dx\": %d, \"dy\": %d, \"k\": %d, "
               "\"rescale\": %s, \"discrete_y\": %s, \"negative\": %s, %s\"flags\": [%s], %s\"seconds\": %.6f}\n",
               estimator, est.value, est.stderr_, n, dx, dy, uses_k ? k : 0, rescale ? "true" : "false",
               discrete ? "true" : "false", negative ? "true" : "false", labels_json, flags_json, boot_json, seconds);
    else {
        char kpart[32] = "";
        if (uses_k) snprintf(kpart, sizeof kpart, ", k = %d", k);
        printf("%s: I(X;Y) = %.6f ± %.6f nats (N = %d, dx = %d, dy = %d%s)%s%s%s\n", estimator, est.value, est.stderr_, n,
               dx, dy, kpart, boot_text, negative ? "  [negative estimate]" : "", flags_text);
        if (discrete) printf("labels: H(Y) = %.6f nats, %d classes; the estimator's ceiling %.6f\n", ls.entropy, ls.classes,
                             mi_label_ceiling(&est_cfg, &ls));
    }
    rc = 0;
done:
    free(lab);
    free(est.terms);
    matrix_free(&x);
    matrix_free(&y);
    return rc;
}
