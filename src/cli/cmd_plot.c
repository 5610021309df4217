/* grokinfo plot — a run's phases and O-information peaks, printed, and its figures in RUN_DIR/figures/. */
#include <stdio.h>
#include <string.h>
#include "cli/cli.h"
#include "report/oinfo_report.h"
#include "report/phases.h"
#include "report/plot.h"
#include "util/atomic_file.h"
#include "util/config.h"
#include "util/run_layout.h"

int cmd_plot(int argc, char **argv) {
    const char *run_dir = NULL, *mi = NULL, *estimator = NULL;
    for (int i = 0; i < argc; i++) {
        if (strcmp(argv[i], "--mi") == 0 && i + 1 < argc) mi = argv[++i];
        else if (strcmp(argv[i], "--estimator") == 0 && i + 1 < argc) estimator = argv[++i];
        else if (argv[i][0] != '-' && !run_dir) run_dir = argv[i];
        else { fprintf(stderr, "grokinfo plot: unknown or incomplete option '%s'\n", argv[i]); return cli_usage("plot"); }
    }
    if (!run_dir) { fprintf(stderr, "grokinfo plot: RUN_DIR is required\n"); return cli_usage("plot"); }
    if (!path_is_dir(run_dir)) {
        fprintf(stderr, "grokinfo plot: %s: no such run directory\n", run_dir);
        return 1;
    }
    /* the run's own thresholds (its config.yaml, else the defaults) place the milestones */
    gi_config cfg;
    gi_err e;
    char default_mi[GI_PATH], check_mi[GI_PATH], oinfo_csv[GI_PATH], config_yaml[GI_PATH];
    config_defaults(&cfg);
    if (path_join(default_mi, sizeof default_mi, run_dir, RUN_MI, &e) ||
        path_join(check_mi, sizeof check_mi, run_dir, RUN_MI_CHECK, &e) ||
        path_join(oinfo_csv, sizeof oinfo_csv, run_dir, RUN_OINFO, &e) ||
        path_join(config_yaml, sizeof config_yaml, run_dir, RUN_CONFIG, &e) ||
        (path_exists(config_yaml) && config_load_run(&cfg, run_dir, &e))) {
        fprintf(stderr, "grokinfo plot: %s\n", e.msg);
        return 1;
    }
    milestones ms = {.train_threshold = cfg.summary.train_acc, .eval_threshold = cfg.summary.eval_acc};
    phase_params pp = phase_params_of(&cfg);
    if (milestones_read(&ms, run_dir, &e)) { fprintf(stderr, "grokinfo plot: %s\n", e.msg); return 1; }
    int have_mi = mi != NULL || path_exists(default_mi);
    /* the run's cross-check (mi_check.csv), drawn in grey behind mi.csv's plane */
    int have_check = have_mi && mi == NULL && path_exists(check_mi);
    phase_report ph, check;
    if (have_mi) {
        if (phases_from_run(run_dir, mi, estimator, &ms, &pp, NULL, &ph, &e)) {
            fprintf(stderr, "grokinfo plot: %s\n", e.msg);
            return 1;
        }
        phases_print(stdout, &ph);
    } else {
        printf("no %s: drawing training and accuracy only (no information plane, no phases)\n", default_mi);
    }
    if (have_check) {
        if (phases_from_run(run_dir, check_mi, NULL, &ms, &pp, NULL, &check, &e)) {
            fprintf(stderr, "grokinfo plot: %s\n", e.msg);
            phases_free(&ph);
            return 1;
        }
        phases_print(stdout, &check);
    }
    int n = plot_run(run_dir, have_mi ? &ph : NULL, have_check ? &check : NULL, &ms, &e);
    if (have_mi) phases_free(&ph);
    if (have_check) phases_free(&check);
    if (n < 0) { fprintf(stderr, "grokinfo plot: %s\n", e.msg); return 1; }
    int n_oinfo = 0;
    if (path_exists(oinfo_csv)) {
        oinfo_report orep;
        if (oinfo_report_read(run_dir, ms.train_threshold, ms.eval_threshold, &orep, &e)) {
            fprintf(stderr, "grokinfo plot: %s\n", e.msg);
            return 1;
        }
        oinfo_report_print(stdout, &orep);
        n_oinfo = plot_oinfo(run_dir, &orep, &e);
        oinfo_report_free(&orep);
        if (n_oinfo < 0) { fprintf(stderr, "grokinfo plot: %s\n", e.msg); return 1; }
    }
    /* 2 figures without MI; 3 with it (infoplane); 4 with noise redraws (mi_steps) */
    printf("%s/figures: %straining, accuracy%s%s (.png, .pdf), with their scripts and data\n", run_dir,
           n >= 3 ? "infoplane, " : "", n >= 4 ? ", mi_steps" : "", n_oinfo ? ", oinfo, oinfo_plane" : "");
    return 0;
}
