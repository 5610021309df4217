/* cmd_remeasure.c — a finished run measured again from its checkpoints: grokinfo infoplane, oinfo
 * and acts (their synopses are their rows in commands.c). */
#include <limits.h>
#include <stdio.h>
#include <string.h>
#include "cli/args.h"
#include "cli/cli.h"
#include "run/run.h"
#include "util/atomic_file.h"

/* KEY=VALUE, KEY a configuration key: an '=' with no '/' before it (a run directory of a sweep or
 * study, ".../seed=0", is a path) */
static int is_override(const char *a) {
    const char *eq = strchr(a, '=');
    return eq && a[0] != '-' && !memchr(a, '/', (size_t)(eq - a));
}

static int remeasure(const char *cmd, int argc, char **argv) {
    int oinfo = strcmp(cmd, "oinfo") == 0;
    const char *run_dir = NULL;
    int quiet = 0, n_steps = 0;
    int64_t steps[256];
    for (int i = 0; i < argc; i++) {
        if (strcmp(argv[i], "--quiet") == 0 || strcmp(argv[i], "-q") == 0) quiet = 1;
        else if (strcmp(argv[i], "--steps") == 0 && i + 1 < argc) {
            /* a comma-separated list of checkpointed steps */
            for (char *p = argv[++i], *next; *p; p = next) {
                char item[32];
                size_t len = strcspn(p, ",");
                next = p + len + (p[len] == ',');
                snprintf(item, sizeof item, "%.*s", (int)(len < 31 ? len : 31), p);
                long long v;
                if (n_steps == 256) { fprintf(stderr, "grokinfo %s: --steps: at most 256 steps\n", cmd); return 2; }
                if (arg_ll(cmd, "--steps", item, 0, LLONG_MAX, &v)) return 2;
                steps[n_steps++] = v;
            }
        }
        else if (argv[i][0] == '-') { fprintf(stderr, "grokinfo %s: unknown option '%s'\n", cmd, argv[i]); return cli_usage(cmd); }
        else if (!is_override(argv[i])) {
            if (run_dir) { fprintf(stderr, "grokinfo %s: one RUN_DIR please (got '%s' and '%s')\n", cmd, run_dir, argv[i]); return 2; }
            run_dir = argv[i];
        }
    }
    if (!run_dir) return cli_usage(cmd);
    gi_config cfg;
    gi_err e;
    if (config_load_run(&cfg, run_dir, &e)) { fprintf(stderr, "grokinfo: %s\n", e.msg); return 1; }
    for (int i = 0; i < argc; i++) {
        const char *a = argv[i];
        if (!is_override(a)) continue;
        const char *key = a;
        while (*key == '+') key++;
        int allowed = oinfo ? strncmp(key, "oinfo.", 6) == 0 : strncmp(key, "mi.", 3) == 0 || strncmp(key, "ae.", 3) == 0;
        if (!allowed && strncmp(key, "train.threads=", 14) != 0) {
            fprintf(stderr, "grokinfo %s: override '%s': only %s and train.threads may change (the rest is the trained "
                            "run's)\n", cmd, a, oinfo ? "oinfo.*" : "mi.*, ae.*");
            return 2;
        }
        if (config_override(&cfg, a, &e)) { fprintf(stderr, "grokinfo: %s\n", e.msg); return 2; }
    }
    if (config_validate(&cfg, &e)) { fprintf(stderr, "grokinfo: %s\n", e.msg); return 2; }
    char data_dir[1000], out[GI_PATH];
    cli_default_data_dir(data_dir, sizeof data_dir);
    cli_use_threads(cfg.train.threads);
    run_options opt = {.run_dir = run_dir, .data_dir = data_dir, .progress = !quiet, .log = cli_sink(stderr),
                       .steps = n_steps ? steps : NULL, .n_steps = n_steps};
    /* infoplane with mi.noise_model=true: the noise-model estimate (mi-noise.csv) instead */
    const char *what = oinfo ? "oinfo" : cfg.mi.noise_model ? "mi_noise" : "mi";
    int rc = run_remeasure(&cfg, &opt, what, out, sizeof out, &e);
    if (rc) { fprintf(stderr, "grokinfo: %s\n", e.msg); return 1; }
    printf("%s\n", out);
    return 0;
}

int cmd_infoplane(int argc, char **argv) { return remeasure("infoplane", argc, argv); }
int cmd_oinfo(int argc, char **argv) { return remeasure("oinfo", argc, argv); }

int cmd_acts(int argc, char **argv) {
    const char *run_dir = NULL, *out = NULL, *subset = "train";
    long long step = -1;
    int layer = 1;
    for (int i = 0; i < argc; i++) {
        const char *a = argv[i];
        int has = i + 1 < argc;
        if (strcmp(a, "--step") == 0 && has) {
            if (arg_ll("acts", a, argv[++i], 0, LLONG_MAX, &step)) return CLI_USAGE_ERROR;
        } else if (strcmp(a, "--layer") == 0 && has) {
            /* the upper bound is the run's: run_export_acts checks it against the model */
            if (arg_int("acts", a, argv[++i], 1, INT_MAX, &layer)) return CLI_USAGE_ERROR;
        }
        else if (strcmp(a, "--subset") == 0 && has) {
            subset = argv[++i];
            if (strcmp(subset, "train") && strcmp(subset, "eval")) {
                fprintf(stderr, "grokinfo acts: --subset: expected train or eval, got '%s'\n", subset);
                return CLI_USAGE_ERROR;
            }
        }
        else if (strcmp(a, "--out") == 0 && has) out = argv[++i];
        else if (a[0] != '-' && !run_dir) run_dir = a;
        else { fprintf(stderr, "grokinfo acts: unknown or incomplete option '%s'\n", a); return cli_usage("acts"); }
    }
    if (!run_dir || !out || step < 0) return cli_usage("acts");
    gi_config cfg;
    gi_err e;
    char data_dir[1000];
    if (config_load_run(&cfg, run_dir, &e)) { fprintf(stderr, "grokinfo: %s\n", e.msg); return 1; }
    cli_default_data_dir(data_dir, sizeof data_dir);
    cli_use_threads(cfg.train.threads);
    run_options opt = {.run_dir = run_dir, .data_dir = data_dir, .log = cli_sink(stderr)};
    if (run_export_acts(&cfg, &opt, step, layer, strcmp(subset, "eval") == 0, out, &e)) {
        fprintf(stderr, "grokinfo: %s\n", e.msg);
        return 1;
    }
    return 0;
}
