/* cmd_study.c — `grokinfo study` (its synopsis is its row in commands.c): the grid of a study
 * file over its seeds through the sweep machinery, then the analysis of study/study.h. */
#include <limits.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include "cli/args.h"
#include "cli/cli.h"
#include "study/study.h"
#include "util/atomic_file.h"
#include "util/clock.h"

static void print_timing(const study_result *r, double sweep_s, int runs_started) {
    printf("time: runs (%d, summed from their summary.json):", r->timed_runs);
    if (r->n_timing == 0) printf(" none recorded");
    for (int k = 0, shown = 0; k < r->n_timing; k++) {
        if (r->timing_sum[k] == 0 && strcmp(r->timing_key[k], "total")) continue; /* a measurement the runs did not make */
        char name[48];
        snprintf(name, sizeof name, "%s", r->timing_key[k]);
        for (char *c = name; *c; c++)
            if (*c == '_') *c = ' ';
        printf("%s %s %.1f s", shown++ ? "," : "", name, r->timing_sum[k]);
    }
    printf("; this command: sweep %.1f s (%d point%s run), analysis %.1f s, figures %.1f s\n", sweep_s, runs_started,
           runs_started == 1 ? "" : "s", r->seconds_analysis, r->seconds_figures);
}

int cmd_study(int argc, char **argv) {
    const char *file = NULL, *out = NULL;
    int jobs = (int)sysconf(_SC_NPROCESSORS_ONLN), quiet = 0;
    for (int i = 0; i < argc; i++) {
        const char *a = argv[i];
        int has = i + 1 < argc;
        if (!strcmp(a, "--out") && has) out = argv[++i];
        else if (!strcmp(a, "-j") && has) {
            if (arg_int("study", a, argv[++i], 1, INT_MAX, &jobs)) return CLI_USAGE_ERROR;
        } else if (!strncmp(a, "-j", 2) && a[2]) {
            if (arg_int("study", "-j", a + 2, 1, INT_MAX, &jobs)) return CLI_USAGE_ERROR;
        } else if (!strcmp(a, "--quiet") || !strcmp(a, "-q")) quiet = 1;
        else if (a[0] != '-' && !file) file = a;
        else { fprintf(stderr, "grokinfo study: unknown or incomplete option '%s'\n", a); return cli_usage("study"); }
    }
    if (!file) return cli_usage("study");
    if (jobs < 1) jobs = 1;
    study_spec s;
    gi_err e;
    if (study_load(file, &s, &e)) { fprintf(stderr, "grokinfo: %s\n", e.msg); return 1; }
    char out_dir[GI_PATH], exe[1024];
    if (out) snprintf(out_dir, sizeof out_dir, "%s", out);
    else {
        const char *base = strrchr(file, '/');
        base = base ? base + 1 : file;
        snprintf(out_dir, sizeof out_dir, "runs/%.*s", (int)strcspn(base, "."), base);
    }
    ssize_t len = readlink("/proc/self/exe", exe, sizeof exe - 1);
    if (len <= 0) { fprintf(stderr, "grokinfo study: cannot find its own executable\n"); study_free(&s); return 1; }
    exe[len] = 0;
    const sweep_spec *w = &s.sweep;
    if (!quiet)
        printf("study %s: %d group%s x %d seeds = %d runs into %s (%s)\n", file, s.n_groups, s.n_groups == 1 ? "" : "s",
               w->axes[s.seed_axis].n, w->n_points, out_dir, jobs > 1 ? "parallel, 1 thread each" : "one at a time");
    /* one thread per point whenever several run at once, as grokinfo sweep */
    sweep_options o = {out_dir, exe, jobs, 0, 1, quiet ? (gi_sink){0} : cli_sink(stdout)};
    sweep_counts counts;
    double t0 = now_s();
    int rc = sweep_run(w, &o, jobs > 1 ? 1 : 0, &counts, &e);
    double sweep_s = now_s() - t0;
    if (rc) { fprintf(stderr, "grokinfo: %s\n", e.msg); study_free(&s); return 1; }
    printf("%d run, %d already done, %d failed\n", counts.done, counts.skipped, counts.failed);
    study_result r;
    gi_sink notes = cli_sink(stdout);
    if (study_analyse(&s, out_dir, 1, &notes, &r, &e)) {
        fprintf(stderr, "grokinfo: %s\n", e.msg);
        study_result_free(&r);
        study_free(&s);
        return 1;
    }
    printf("\nconsensus phases (a cluster is consensus in >= 4 of 5 seeds, scaled, and >= 2 valid estimators):\n");
    study_print_consensus(stdout, &r);
    for (int g = 0; g < r.n_groups; g++) {
        if (r.group[g].figure_note[0]) printf("note: %s: no figures: %s\n", r.group[g].name, r.group[g].figure_note);
        printf("wrote %s/ (%d figure%s)\n", r.group[g].dir, r.group[g].n_figures, r.group[g].n_figures == 1 ? "" : "s");
    }
    print_timing(&r, sweep_s, counts.done);
    study_result_free(&r);
    study_free(&s);
    return counts.failed ? 1 : 0;
}
