/* grokinfo plot — a run's phases and O-information peaks, printed, and its figures in RUN_DIR/figures/. */
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include "cli/cli.h"
#include "report/oinfo_report.h"
#include "report/phases.h"
#include "report/plot.h"
#include "util/config.h"

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
    /* O-information, when the run measured it; thresholds from the run's config.yaml (else the defaults) */
    char oinfo_csv[1100], config_yaml[1100];
    snprintf(oinfo_csv, sizeof oinfo_csv, "%s/oinfo.csv", run_dir);
    snprintf(config_yaml, sizeof config_yaml, "%s/config.yaml", run_dir);
    int n_oinfo = 0;
    if (stat(oinfo_csv, &st) == 0) {
        gi_config cfg;
        config_defaults(&cfg);
        if (stat(config_yaml, &st) == 0 && config_load_file(&cfg, config_yaml, &e)) {
            fprintf(stderr, "grokinfo plot: %s\n", e.msg);
            return 1;
        }
        oinfo_report orep;
        if (oinfo_report_read(run_dir, cfg.summary.train_acc, cfg.summary.eval_acc, &orep, &e)) {
            fprintf(stderr, "grokinfo plot: %s\n", e.msg);
            return 1;
        }
        oinfo_report_print(stdout, &orep);
        n_oinfo = plot_oinfo(run_dir, &orep, &e);
        oinfo_report_free(&orep);
        if (n_oinfo < 0) { fprintf(stderr, "grokinfo plot: %s\n", e.msg); return 1; }
    }
    printf("%s/figures: %straining, accuracy%s (.png, .pdf), with their scripts and data\n", run_dir,
           n == 3 ? "infoplane, " : "", n_oinfo ? ", oinfo, oinfo_plane" : "");
    return 0;
}
