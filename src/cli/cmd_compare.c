/* grokinfo compare — runs side by side: a table (printed and OUT_DIR/compare.csv), the seeds'
 * mean and spread (OUT_DIR/compare_seeds.csv), figures in OUT_DIR/figures/. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "cli/cli.h"
#include "report/compare.h"
#include "util/atomic_file.h"

int cmd_compare(int argc, char **argv) {
    const char *out = NULL, *sel = NULL;
    char **dirs = gi_calloc((size_t)argc + 1, sizeof(char *));
    int n_dirs = 0;
    for (int i = 0; i < argc; i++) {
        if (strcmp(argv[i], "--out") == 0 && i + 1 < argc) out = argv[++i];
        else if (strcmp(argv[i], "--runs") == 0 && i + 1 < argc) sel = argv[++i];
        else if (argv[i][0] != '-') dirs[n_dirs++] = argv[i];
        else { fprintf(stderr, "grokinfo compare: unknown or incomplete option '%s'\n", argv[i]); free(dirs); return cli_usage("compare"); }
    }
    if (n_dirs == 0) { fprintf(stderr, "grokinfo compare: at least one DIR is required\n"); free(dirs); return cli_usage("compare"); }
    gi_err e;
    compare_run *runs;
    int n_runs, sweep_folder;
    if (compare_load(dirs, n_dirs, &runs, &n_runs, &sweep_folder, &e)) {
        fprintf(stderr, "grokinfo compare: %s\n", e.msg);
        free(dirs);
        return 1;
    }
    /* every name in --runs must be one of the runs, before anything is written */
    for (const char *p = sel ? sel : ""; *p;) {
        size_t len = strcspn(p, ",");
        int found = 0;
        for (int r = 0; r < n_runs && !found; r++) found = strlen(runs[r].name) == len && !strncmp(runs[r].name, p, len);
        if (!found) {
            fprintf(stderr, "grokinfo compare: --runs: no run named '%.*s'\n", (int)len, p);
            compare_runs_free(runs, n_runs);
            free(dirs);
            return 1;
        }
        p += len + (p[len] == ',');
    }
    /* OUT_DIR: the first DIR when it is a sweep's folder, else the current directory */
    if (!out) out = sweep_folder ? dirs[0] : ".";
    char path[GI_PATH];
    compare_table t, g;
    compare_build(runs, n_runs, &t);
    int rc = 0;
    printf("%d run%s, %d swept key%s\n", n_runs, n_runs == 1 ? "" : "s", t.n_keys, t.n_keys == 1 ? "" : "s");
    compare_print(stdout, &t);
    if (make_dirs(out, &e) || path_join(path, sizeof path, out, "compare.csv", &e) || compare_write_csv(path, &t, &e)) { fprintf(stderr, "grokinfo compare: %s\n", e.msg); rc = 1; goto done; }
    printf("wrote %s\n", path);
    if (compare_seed_groups(&t, &g) > 0) {
        printf("\nseeds grouped (mean ± standard deviation (n) over the runs that have the value):\n");
        compare_print_groups(stdout, &g);
        int bad = path_join(path, sizeof path, out, "compare_seeds.csv", &e) || compare_write_csv(path, &g, &e);
        compare_table_free(&g);
        if (bad) { fprintf(stderr, "grokinfo compare: %s\n", e.msg); rc = 1; goto done; }
        printf("wrote %s\n", path);
    }
    compare_notes notes = {0};
    int n_fig = plot_compare(out, runs, n_runs, &t, sel, &notes, &e);
    for (int i = 0; i < notes.n; i++) printf("note: %s\n", notes.msg[i]);
    if (n_fig < 0) { fprintf(stderr, "grokinfo compare: %s\n", e.msg); rc = 1; goto done; }
    printf("%d figure%s in %s/figures/\n", n_fig, n_fig == 1 ? "" : "s", out);
done:
    compare_table_free(&t);
    compare_runs_free(runs, n_runs);
    free(dirs);
    return rc;
}
