/* cmd_sweep.c — `grokinfo sweep` (its synopsis is its row in commands.c), and under mpirun (when
 * built with MPI): every rank a worker with one point at a time; rank 0 gathers the counts and
 * prints the table. */
#include <limits.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "cli/args.h"
#include "cli/cli.h"
#include "sweep/sweep.h"
#include "util/json.h"
#include "util/atomic_file.h"
#include "util/run_layout.h"
#ifdef GI_MPI
#include <mpi.h>
#endif

/* --shard i/n: two integers, 0 <= i < n */
static int parse_shard(const char *s, int *shard, int *n_shards) {
    char buf[64];
    const char *slash = strchr(s, '/');
    long long i, n;
    if (!slash || (size_t)(slash - s) >= sizeof buf) return -1;
    memcpy(buf, s, (size_t)(slash - s));
    buf[slash - s] = '\0';
    if (arg_parse_ll(slash + 1, 1, INT_MAX, &n) || arg_parse_ll(buf, 0, n - 1, &i)) return -1;
    *shard = (int)i;
    *n_shards = (int)n;
    return 0;
}

/* name, status, milestones and final accuracy of every point, from their summary.json */
static void print_table(const sweep_spec *s, const char *out_dir) {
    printf("%-48s %-9s %11s %11s %9s\n", "point", "status", "memorised", "grokked", "eval_acc");
    for (int i = 0; i < s->n_points; i++) {
        gi_config c;
        gi_err e;
        char name[512], path[GI_PATH], file[600];
        if (sweep_point(s, i, &c, name, sizeof name, &e)) continue;
        snprintf(file, sizeof file, "%s/" RUN_SUMMARY, name);
        if (path_join(path, sizeof path, out_dir, file, &e)) continue;
        json_doc d;
        if (access(path, F_OK) != 0 || json_read_file(path, &d, &e)) { printf("%-48s %-9s\n", name, "not run"); continue; }
        const char *status = json_str(&d, "status");
        char mem[32] = "-", grok[32] = "-", acc[32] = "-";
        double v;
        if (!isnan(v = json_num(&d, "memorisation_step"))) snprintf(mem, sizeof mem, "%.0f", v);
        if (!isnan(v = json_num(&d, "grokking_step"))) snprintf(grok, sizeof grok, "%.0f", v);
        if (!isnan(v = json_num(&d, "final_eval_acc"))) snprintf(acc, sizeof acc, "%.4f", v);
        printf("%-48s %-9.9s %11s %11s %9s\n", name, status ? status : "?", mem, grok, acc);
        json_free(&d);
    }
}

int cmd_sweep(int argc, char **argv) {
    const char *file = NULL, *out = NULL;
    int jobs = (int)sysconf(_SC_NPROCESSORS_ONLN), shard = 0, n_shards = 1, quiet = 0;
    for (int i = 0; i < argc; i++) {
        const char *a = argv[i];
        int has = i + 1 < argc;
        if (!strcmp(a, "--out") && has) out = argv[++i];
        else if (!strcmp(a, "-j") && has) {
            if (arg_int("sweep", a, argv[++i], 1, INT_MAX, &jobs)) return CLI_USAGE_ERROR;
        } else if (!strncmp(a, "-j", 2) && a[2]) {
            if (arg_int("sweep", "-j", a + 2, 1, INT_MAX, &jobs)) return CLI_USAGE_ERROR;
        } else if (!strcmp(a, "--shard") && has) {
            if (parse_shard(argv[++i], &shard, &n_shards)) {
                fprintf(stderr, "grokinfo sweep: --shard: expected i/n with 0 <= i < n, got '%s'\n", argv[i]);
                return 2;
            }
        } else if (!strcmp(a, "--quiet") || !strcmp(a, "-q")) quiet = 1;
        else if (a[0] != '-' && !file) file = a;
        else { fprintf(stderr, "grokinfo sweep: unknown or incomplete option '%s'\n", a); return cli_usage("sweep"); }
    }
    if (!file) return cli_usage("sweep");
    if (jobs < 1) jobs = 1; /* sysconf's count failed */
    int rank = 0, size = 1, mpi = 0;
#ifdef GI_MPI
    if (getenv("OMPI_COMM_WORLD_SIZE") || getenv("PMI_SIZE")) {
        MPI_Init(NULL, NULL);
        MPI_Comm_rank(MPI_COMM_WORLD, &rank);
        MPI_Comm_size(MPI_COMM_WORLD, &size);
        mpi = 1;
        jobs = 1; /* one point at a time per rank; the ranks share the points through their locks */
    }
#endif
    sweep_spec s;
    gi_err e;
    if (sweep_load(file, &s, &e)) {
        if (rank == 0) fprintf(stderr, "grokinfo: %s\n", e.msg);
#ifdef GI_MPI
        if (mpi) MPI_Finalize();
#endif
        return 1;
    }
    char out_dir[GI_PATH], exe[1024];
    if (out) snprintf(out_dir, sizeof out_dir, "%s", out);
    else {
        const char *base = strrchr(file, '/');
        base = base ? base + 1 : file;
        snprintf(out_dir, sizeof out_dir, "runs/%.*s", (int)(strcspn(base, ".")), base);
    }
    ssize_t len = readlink("/proc/self/exe", exe, sizeof exe - 1);
    if (len <= 0) { fprintf(stderr, "grokinfo sweep: cannot find its own executable\n"); return 1; }
    exe[len] = 0;
    /* one thread per point whenever several run at once, so that results do not depend on how the
     * sweep was launched */
    int threads = (jobs > 1 || mpi) ? 1 : 0;
    if (rank == 0 && !quiet)
        printf("sweep %s: %d points into %s (%s)\n", file, s.n_points, out_dir,
               mpi ? "MPI ranks" : jobs > 1 ? "parallel, 1 thread each" : "one at a time");
    sweep_options o = {out_dir, exe, jobs, shard, n_shards, quiet ? (gi_sink){0} : cli_sink(stdout)};
    sweep_counts counts;
    int rc = sweep_run(&s, &o, threads, &counts, &e);
    if (rc) fprintf(stderr, "grokinfo: %s\n", e.msg);
    int local[4] = {counts.done, counts.skipped, counts.failed, rc != 0}, total[4] = {0};
    memcpy(total, local, sizeof total);
#ifdef GI_MPI
    if (mpi) {
        MPI_Reduce(local, total, 4, MPI_INT, MPI_SUM, 0, MPI_COMM_WORLD);
        MPI_Barrier(MPI_COMM_WORLD);
    }
#endif
    if (rank == 0) {
        if (!quiet) print_table(&s, out_dir);
        printf("%d run, %d already done, %d failed%s%s\n", total[0], total[1], total[2],
               mpi ? " (all ranks)" : "", n_shards > 1 ? " (this shard)" : "");
    }
    sweep_free(&s);
#ifdef GI_MPI
    if (mpi) MPI_Finalize();
#endif
    return total[2] || total[3] ? 1 : 0;
}
