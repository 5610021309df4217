/* grokinfo oinfo-npy — the O-information pass on one activation array (samples x neurons): the
 * library's grokinfo_oinfo (include/grokinfo.h) on one file, printed. */
#include <limits.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "cli/args.h"
#include "cli/cli.h"
#include "grokinfo.h"
#include "measure/oinfo.h"
#include "util/npy.h"

int cmd_oinfo_npy(int argc, char **argv) {
    const char *acts = NULL, *labels_path = NULL;
    grokinfo_oinfo_options o;
    grokinfo_oinfo_options_init(&o);
    int json = 0;
    long long seed = 0, step = 0;
    for (int i = 0; i < argc; i++) {
        const char *a = argv[i];
        int more = i + 1 < argc;
        if (strcmp(a, "--acts") == 0 && more) acts = argv[++i];
        else if (strcmp(a, "--clusters") == 0 && more) {
            /* all unions of 2..K clusters are searched: 2^K of them, so K stays small */
            if (arg_int("oinfo-npy", a, argv[++i], 1, 20, &o.clusters)) return CLI_USAGE_ERROR;
        } else if (strcmp(a, "--greedy-max") == 0 && more) {
            if (arg_int("oinfo-npy", a, argv[++i], 0, INT_MAX, &o.greedy_max)) return CLI_USAGE_ERROR;
        }
        else if (strcmp(a, "--ties") == 0 && more) {
            o.ties = argv[++i];
            oinfo_tie_rule rule;
            if (oinfo_tie_from_name(o.ties, &rule)) {
                fprintf(stderr, "grokinfo oinfo-npy: --ties: expected one of ");
                for (int r = 0; r < OINFO_TIES_COUNT; r++) fprintf(stderr, "%s%s", r ? ", " : "", oinfo_tie_name((oinfo_tie_rule)r));
                fprintf(stderr, ", got '%s'\n", argv[i]);
                return CLI_USAGE_ERROR;
            }
        }
        /* the random rule's key, oinfo_tie_key(seed, step, layer): a run's own with its values */
        else if (strcmp(a, "--seed") == 0 && more) {
            if (arg_ll("oinfo-npy", a, argv[++i], LLONG_MIN, LLONG_MAX, &seed)) return CLI_USAGE_ERROR;
        } else if (strcmp(a, "--step") == 0 && more) {
            if (arg_ll("oinfo-npy", a, argv[++i], 0, LLONG_MAX, &step)) return CLI_USAGE_ERROR;
        } else if (strcmp(a, "--layer") == 0 && more) {
            if (arg_int("oinfo-npy", a, argv[++i], 1, INT_MAX, &o.layer)) return CLI_USAGE_ERROR;
        }
        else if (strcmp(a, "--labels") == 0 && more) labels_path = argv[++i];
        else if (strcmp(a, "--bias-correct") == 0) o.bias_correct = 1;
        else if (strcmp(a, "--json") == 0) json = 1;
        else { fprintf(stderr, "grokinfo oinfo-npy: unknown or incomplete option '%s'\n", a); return cli_usage("oinfo-npy"); }
    }
    if (!acts) { fprintf(stderr, "grokinfo oinfo-npy: --acts is required\n"); return cli_usage("oinfo-npy"); }
    o.seed = (uint64_t)seed;
    o.step = step;
    num_matrix m;
    gi_err e;
    if (matrix_read_finite(acts, &m, &e)) { fprintf(stderr, "grokinfo oinfo-npy: %s\n", e.msg); return 1; }
    if (m.rows > INT_MAX || m.cols > INT_MAX) {
        fprintf(stderr, "grokinfo oinfo-npy: %s: too large (%lld x %lld)\n", acts, (long long)m.rows, (long long)m.cols);
        matrix_free(&m);
        return 1;
    }
    int *labels = gi_malloc((size_t)m.cols * sizeof(int));
    grokinfo_oinfo_result r;
    grokinfo_error err;
    if (grokinfo_oinfo(m.data, (int)m.rows, (int)m.cols, &o, &r, labels, NULL, &err)) {
        fprintf(stderr, "grokinfo oinfo-npy: %s: %s\n", acts, err.msg);
        matrix_free(&m);
        free(labels);
        return 1;
    }
    if (labels_path) {
        FILE *f = fopen(labels_path, "w");
        if (!f) { perror(labels_path); matrix_free(&m); free(labels); return 1; }
        for (int64_t i = 0; i < m.cols; i++) fprintf(f, "%d\n", labels[i]);
        fclose(f);
    }
    if (json)
        printf("{\"n_samples\": %lld, \"n_neurons\": %lld, \"dead\": %d, \"ties\": \"%s\", \"clusters\": %d, \"sets\": %d, "
               "\"singular\": %d, "
               "\"synergy\": %.17g, \"redundancy\": %.17g, \"size_min\": %d, \"size_max\": %d, \"tc_min\": %.17g, "
               "\"dtc_min\": %.17g, \"greedy_omega\": %.17g, \"greedy_size\": %d, \"seconds_copula\": %.6f, "
               "\"seconds_ward\": %.6f, \"seconds_sets\": %.6f, \"seconds_greedy\": %.6f, \"seconds\": %.6f}\n",
               (long long)m.rows, (long long)m.cols, r.n_dead, o.ties, r.n_clusters, r.n_sets, r.n_singular, r.synergy,
               r.redundancy, r.size_synergy, r.size_redundancy, r.tc_synergy, r.dtc_synergy,
               isnan(r.greedy_omega) ? 0.0 : r.greedy_omega, r.greedy_size, r.seconds_copula, r.seconds_ward,
               r.seconds_sets, r.seconds_greedy, r.seconds);
    else {
        /* the peer's line (bench/oinfo.sh), and the rule when it is not the peer's */
        printf("n_samples=%lld n_neurons=%lld dead=%d sets=%d synergy=%.6f redundancy=%.6f size=%d seconds=%.3f",
               (long long)m.rows, (long long)m.cols, r.n_dead, r.n_sets, r.synergy, r.redundancy, r.size_synergy,
               r.seconds);
        if (strcmp(o.ties, "index") != 0) printf(" ties=%s", o.ties);
        printf("\n");
    }
    matrix_free(&m);
    free(labels);
    return 0;
}
