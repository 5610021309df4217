/* grokinfo oinfo-npy — the O-information pass on one activation array (samples x neurons). */
#include <limits.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "cli/args.h"
#include "cli/cli.h"
#include "measure/oinfo.h"
#include "util/npy.h"
#include "util/clock.h"

int cmd_oinfo_npy(int argc, char **argv) {
    const char *acts = NULL, *labels_path = NULL;
    oinfo_params p = {.clusters = 10, .greedy_max = 0, .bias_correct = 0};
    int json = 0, layer = 1;
    long long seed = 0, step = 0;
    for (int i = 0; i < argc; i++) {
        const char *a = argv[i];
        int more = i + 1 < argc;
        if (strcmp(a, "--acts") == 0 && more) acts = argv[++i];
        else if (strcmp(a, "--clusters") == 0 && more) {
            /* all unions of 2..K clusters are searched: 2^K of them, so K stays small */
            if (arg_int("oinfo-npy", a, argv[++i], 1, 20, &p.clusters)) return CLI_USAGE_ERROR;
        } else if (strcmp(a, "--greedy-max") == 0 && more) {
            if (arg_int("oinfo-npy", a, argv[++i], 0, INT_MAX, &p.greedy_max)) return CLI_USAGE_ERROR;
        }
        else if (strcmp(a, "--ties") == 0 && more) {
            if (oinfo_tie_from_name(argv[++i], &p.ties.rule)) {
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
            if (arg_int("oinfo-npy", a, argv[++i], 1, INT_MAX, &layer)) return CLI_USAGE_ERROR;
        }
        else if (strcmp(a, "--labels") == 0 && more) labels_path = argv[++i];
        else if (strcmp(a, "--bias-correct") == 0) p.bias_correct = 1;
        else if (strcmp(a, "--json") == 0) json = 1;
        else { fprintf(stderr, "grokinfo oinfo-npy: unknown or incomplete option '%s'\n", a); return cli_usage("oinfo-npy"); }
    }
    if (!acts) { fprintf(stderr, "grokinfo oinfo-npy: --acts is required\n"); return cli_usage("oinfo-npy"); }
    p.ties.key = oinfo_tie_key((uint64_t)seed, step, layer);
    num_matrix m;
    gi_err e;
    if (matrix_read_finite(acts, &m, &e)) { fprintf(stderr, "grokinfo oinfo-npy: %s\n", e.msg); return 1; }
    int *labels = gi_malloc((size_t)m.cols * sizeof(int));
    double t0 = now_s();
    oinfo_row r;
    int rc = oinfo_measure_f64(m.data, (int)m.rows, (int)m.cols, &p, &r, labels, &e);
    double secs = now_s() - t0;
    if (rc) { fprintf(stderr, "grokinfo oinfo-npy: %s: %s\n", acts, e.msg); matrix_free(&m); free(labels); return 1; }
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
               (long long)m.rows, (long long)m.cols, r.n_dead, oinfo_tie_name(p.ties.rule), r.n_clusters, r.n_sets,
               r.n_singular, r.omega_min,
               r.omega_max, r.size_min, r.size_max, r.tc_min, r.dtc_min, isnan(r.greedy_omega) ? 0.0 : r.greedy_omega,
               r.greedy_size, r.seconds_copula, r.seconds_ward, r.seconds_sets, r.seconds_greedy, secs);
    else {
        /* the peer's line (bench/oinfo.sh), and the rule when it is not the peer's */
        printf("n_samples=%lld n_neurons=%lld dead=%d sets=%d synergy=%.6f redundancy=%.6f size=%d seconds=%.3f",
               (long long)m.rows, (long long)m.cols, r.n_dead, r.n_sets, r.omega_min, r.omega_max, r.size_min, secs);
        if (p.ties.rule != OINFO_TIES_INDEX) printf(" ties=%s", oinfo_tie_name(p.ties.rule));
        printf("\n");
    }
    matrix_free(&m);
    free(labels);
    return 0;
}
