/* grokinfo plot — a run's phases, printed, and its figures in RUN_DIR/figures/. */
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include "cli/cli.h"
#include "report/phases.h"
#include "report/plot.h"

static void usage(void) { fprintf(stderr, "usage: grokinfo plot RUN_DIR [--mi FILE] [--estimator NAME]\n"); }

int cmd_plot(int argc, char **argv) {
    const char *run_dir = NULL, *mi = NULL, *estimator = NULL;
    for (int i = 0; i < argc; i++) {
        if (strcmp(argv[i], "--mi") == 0 && i + 1 < argc) mi = argv[++i];
        else if (strcmp(argv[i], "--estimator") == 0 && i + 1 < argc) estimator = argv[++i];
        else if (argv[i][0] != '-' && !run_dir) run_dir = argv[i];
        else { fprintf(stderr, "grokinfo plot: unknown or incomplete option '%s'\n", argv[i]); usage(); return 2; }
    }
    if (!run_dir) { fprintf(stderr, "grokinfo plot: RUN_DIR is required\n"); usage(); return 2; }
    struct stat st;
    if (stat(run_dir, &st) != 0 || !S_ISDIR(st.st_mode)) {
        fprintf(stderr, "grokinfo plot: %s: no such run directory\n", run_dir);
        return 1;
    }
    char default_mi[1100];
    snprintf(default_mi, sizeof default_mi, "%s/mi.csv", run_dir);
    int have_mi = mi != NULL || stat(default_mi, &st) == 0;
    gi_err e;
    phase_report ph;
    if (have_mi) {
        if (phases_from_run(run_dir, mi, estimator, PHASES_FROM_METRICS, PHASES_FROM_METRICS, NULL, &ph, &e)) {
            fprintf(stderr, "grokinfo plot: %s\n", e.msg);
            return 1;
        }
        phases_print(stdout, &ph);
    } else {
        printf("no %s: drawing training and accuracy only (no information plane, no phases)\n", default_mi);
    }
    int n = plot_run(run_dir, have_mi ? &ph : NULL, &e);
    if (have_mi) phases_free(&ph);
    if (n < 0) { fprintf(stderr, "grokinfo plot: %s\n", e.msg); return 1; }
    printf("%s/figures: %straining and accuracy (.png, .pdf), with their scripts and data\n", run_dir,
           n == 3 ? "infoplane, " : "");
    return 0;
}
