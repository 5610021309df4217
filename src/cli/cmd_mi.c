/* grokinfo mi — mutual information between two arrays on the command line: the library's
 * grokinfo_mi (include/grokinfo.h) on two files, printed. */
#include <limits.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "cli/args.h"
#include "cli/cli.h"
#include "grokinfo.h"
#include "measure/flags.h"
#include "util/npy.h"

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

static int read_finite(const char *path, num_matrix *m) {
    gi_err e;
    if (matrix_read_finite(path, m, &e)) { fprintf(stderr, "grokinfo mi: %s\n", e.msg); return -1; }
    return 0;
}

int cmd_mi(int argc, char **argv) {
    const char *xpath = NULL, *ypath = NULL;
    int discrete = 0, json = 0;
    long long seed = 0;
    grokinfo_mi_options o;
    grokinfo_mi_options_init(&o);
    for (int i = 0; i < argc; i++) {
        const char *a = argv[i];
        int has_value = i + 1 < argc;
        if (strcmp(a, "--x") == 0 && has_value) xpath = argv[++i];
        else if (strcmp(a, "--y") == 0 && has_value) ypath = argv[++i];
        else if (strcmp(a, "--estimator") == 0 && has_value) o.estimator = argv[++i];
        else if (strcmp(a, "--k") == 0 && has_value) {
            if (arg_int("mi", a, argv[++i], 1, 1000000, &o.k)) return CLI_USAGE_ERROR;
        } else if (strcmp(a, "--discrete-y") == 0) discrete = 1;
        else if (strcmp(a, "--rescale") == 0) o.rescale = 1;
        else if (strcmp(a, "--no-rescale") == 0) o.rescale = 0;
        else if (strcmp(a, "--json") == 0) json = 1;
        else if (strcmp(a, "--bias-correct") == 0) o.bias_correct = 1;
        else if (strcmp(a, "--bootstrap") == 0 && has_value) {
            if (arg_int("mi", a, argv[++i], 2, 1000000, &o.bootstrap)) return CLI_USAGE_ERROR;
        } else if (strcmp(a, "--seed") == 0 && has_value) {
            if (arg_ll("mi", a, argv[++i], 0, LLONG_MAX, &seed)) return CLI_USAGE_ERROR;
        }
        else if (strcmp(a, "--compress") == 0 && has_value) o.compress = argv[++i];
        else { fprintf(stderr, "grokinfo mi: unknown or incomplete option '%s'\n", a); return cli_usage("mi"); }
    }
    if (!xpath || !ypath) { fprintf(stderr, "grokinfo mi: --x and --y are required\n"); return cli_usage("mi"); }
    o.seed = (uint64_t)seed;
    /* the options alone (no data yet): a usage error before any file is read */
    grokinfo_mi_result res;
    grokinfo_error err;
    if (grokinfo_mi_check(&o, 0, &err)) {
        fprintf(stderr, "grokinfo mi: %s\n", err.msg);
        return CLI_USAGE_ERROR;
    }
    num_matrix x, y;
    if (read_finite(xpath, &x)) return 1;
    if (read_finite(ypath, &y)) { matrix_free(&x); return 1; }
    int rc = 1, *lab = NULL;
    if (x.rows != y.rows) {
        fprintf(stderr, "grokinfo mi: %s has %lld rows but %s has %lld: the samples must pair up\n", xpath,
                (long long)x.rows, ypath, (long long)y.rows);
        goto done;
    }
    if (x.rows > 2000000000LL) { fprintf(stderr, "grokinfo mi: too many rows (%lld)\n", (long long)x.rows); goto done; }
    int n = (int)x.rows, erc;
    if (discrete) {
        if (y.cols != 1 || !y.is_integer) {
            fprintf(stderr, "grokinfo mi: --discrete-y: %s must be one column of integer labels\n", ypath);
            goto done;
        }
        lab = gi_malloc((size_t)n * sizeof(int));
        for (int i = 0; i < n; i++) lab[i] = (int)y.data[i];
        erc = grokinfo_mi_labels(x.data, n, (int)x.cols, lab, &o, &res, NULL, &err);
    } else {
        erc = grokinfo_mi(x.data, n, (int)x.cols, y.data, (int)y.cols, &o, &res, NULL, &err);
    }
    if (erc) { fprintf(stderr, "grokinfo mi: %s\n", err.msg); goto done; }
    int negative = res.mi < 0;
    char flags_json[512], flags_text[512], labels_json[128] = "";
    describe_flags(res.flags, flags_json, sizeof flags_json, flags_text, sizeof flags_text);
    if (discrete)
        snprintf(labels_json, sizeof labels_json, "\"h_y\": %.17g, \"ceiling\": %.17g, ", res.h_y, res.ceiling);
    char boot_json[160] = "", boot_text[96] = "";
    if (o.bootstrap) {
        snprintf(boot_json, sizeof boot_json, "\"bootstrap\": %d, \"ci_low\": %.17g, \"ci_high\": %.17g, ", o.bootstrap,
                 res.ci_low, res.ci_high);
        snprintf(boot_text, sizeof boot_text, "; 95%% bootstrap interval [%.6f, %.6f] (B = %d)", res.ci_low, res.ci_high,
                 o.bootstrap);
    }
    if (json)
        printf("{\"estimator\": \"%s\", \"mi\": %.17g, \"stderr\": %.17g, \"n\": %d, \"dx\": %d, \"dy\": %d, \"k\": %d, "
               "\"rescale\": %s, \"discrete_y\": %s, \"negative\": %s, %s\"flags\": [%s], %s\"seconds\": %.6f}\n",
               o.estimator, res.mi, res.stderr_, n, res.dx, res.dy, res.k, res.rescale ? "true" : "false",
               discrete ? "true" : "false", negative ? "true" : "false", labels_json, flags_json, boot_json, res.seconds);
    else {
        char kpart[32] = "";
        if (res.k) snprintf(kpart, sizeof kpart, ", k = %d", res.k);
        printf("%s: I(X;Y) = %.6f ± %.6f nats (N = %d, dx = %d, dy = %d%s)%s%s%s\n", o.estimator, res.mi, res.stderr_, n,
               res.dx, res.dy, kpart, boot_text, negative ? "  [negative estimate]" : "", flags_text);
        if (discrete) printf("labels: H(Y) = %.6f nats, %d classes; the estimator's ceiling %.6f\n", res.h_y, res.classes,
                             res.ceiling);
    }
    rc = 0;
done:
    free(lab);
    matrix_free(&x);
    matrix_free(&y);
    return rc;
}
