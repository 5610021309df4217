/* grokinfo train — a run from a configuration, or a killed or finished one continued (--resume). */
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include "cli/cli.h"
#include "run/plane.h"
#include "run/run.h"
#include "util/atomic_file.h"
#include "util/config.h"
#include "util/run_layout.h"

/* Only these may change when a run is resumed: the rest would break bit-identity. */
static int resumable_override(const char *arg) {
    while (*arg == '+') arg++;
    return strncmp(arg, "train.optimization_steps=", 25) == 0 || strncmp(arg, "train.threads=", 14) == 0;
}

int cmd_train(int argc, char **argv) {
    const char *config_file = NULL, *out = NULL, *resume = NULL;
    int quiet = 0;
    gi_config cfg;
    gi_err e;
    config_defaults(&cfg);
    /* first pass: options; the config file must be applied before the overrides */
    for (int i = 0; i < argc; i++) {
        const char *a = argv[i];
        if (strcmp(a, "--config") == 0 || strcmp(a, "--out") == 0 || strcmp(a, "--resume") == 0) {
            if (i + 1 >= argc) { fprintf(stderr, "grokinfo train: %s needs a value\n", a); return cli_usage("train"); }
            if (a[2] == 'c') config_file = argv[++i];
            else if (a[2] == 'o') out = argv[++i];
            else resume = argv[++i];
        } else if (strcmp(a, "--quiet") == 0 || strcmp(a, "-q") == 0) {
            quiet = 1;
        } else if (a[0] == '-' && a[1] == '-') {
            fprintf(stderr, "grokinfo train: unknown option '%s'\n", a);
            return cli_usage("train");
        }
    }
    if (resume) {
        if (config_file) { fprintf(stderr, "grokinfo train: --resume takes the run's own config.yaml; drop --config\n"); return 2; }
        char latest[GI_PATH];
        if (path_join(latest, sizeof latest, resume, RUN_LATEST, &e)) { fprintf(stderr, "grokinfo: %s\n", e.msg); return 1; }
        if (access(latest, R_OK) != 0) {
            fprintf(stderr, "grokinfo: %s: no checkpoint to resume from (expected %s)\n", resume, latest);
            return 1;
        }
        out = resume;
    }
    if (resume ? config_load_run(&cfg, resume, &e) : config_file && config_load_file(&cfg, config_file, &e)) {
        fprintf(stderr, "grokinfo: %s\n", e.msg);
        return 1;
    }
    for (int i = 0; i < argc; i++) {
        const char *a = argv[i];
        if (strcmp(a, "--config") == 0 || strcmp(a, "--out") == 0 || strcmp(a, "--resume") == 0) { i++; continue; }
        if (a[0] == '-') continue;
        if (resume && !resumable_override(a)) {
            fprintf(stderr, "grokinfo: override '%s': a resumed run keeps its config (only train.optimization_steps "
                            "and train.threads may change)\n", a);
            return 2;
        }
        if (config_override(&cfg, a, &e)) { fprintf(stderr, "grokinfo: %s\n", e.msg); return 2; }
    }
    infoplane_options plane_opt; /* the plane's estimator must be one it can use, before a run directory exists */
    if (config_validate(&cfg, &e) || (cfg.mi.enabled && plane_options(&cfg, &plane_opt, &e))) {
        fprintf(stderr, "grokinfo: %s\n", e.msg);
        return 2;
    }
    if (cfg.n_unused > 0 && !resume) {
        fprintf(stderr, "grokinfo: warning: config keys accepted but not used by grokinfo yet:");
        for (int i = 0; i < cfg.n_unused; i++) fprintf(stderr, "%s %s", i ? "," : "", cfg.unused[i]);
        fprintf(stderr, "\n");
    }
    char run_dir[GI_PATH], name[512];
    if (!out) {
        if (config_run_name(&cfg, name, sizeof name, &e)) { fprintf(stderr, "grokinfo: %s\n", e.msg); return 2; }
        snprintf(run_dir, sizeof run_dir, "runs/%s", name);
        out = run_dir;
    }
    char data_dir[1000];
    cli_default_data_dir(data_dir, sizeof data_dir);
    cli_use_threads(cfg.train.threads);
    run_options opt = {.run_dir = out, .data_dir = data_dir, .resume = resume != NULL, .progress = !quiet,
                       .log = cli_sink(stderr), .report = stdout};
    if (run_train(&cfg, &opt, &e)) { fprintf(stderr, "grokinfo: %s\n", e.msg); return 1; }
    return 0;
}
