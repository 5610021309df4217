/* sweep_run.c — a worker's share of a sweep: claim a point (flock), run it as a child
 * `grokinfo train`, keep up to `jobs` of them going. */
#include <errno.h>
#include <fcntl.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/wait.h>
#include <unistd.h>
#include "sweep/sweep.h"
#include "util/atomic_file.h"
#include "util/run_layout.h"
#include "util/json.h"
#include "util/clock.h"

extern char **environ;

/* the child keeps its point's lock at this descriptor for as long as it lives, so that a killed
 * sweep's orphans still hold their points */
#define CHILD_LOCK_FD 99

typedef enum { POINT_NEW, POINT_RESUME, POINT_FINISHED, POINT_FAILED } point_state;

/* From the run directory: finished (summary says so, with the steps asked for), failed (a
 * summary with another status: diverged; not retried), resumable (a checkpoint), or new. */
static point_state state_of(const char *run_dir, long long steps) {
    char path[GI_PATH];
    json_doc d;
    gi_err e;
    if (path_join(path, sizeof path, run_dir, RUN_SUMMARY, &e) == 0 && path_exists(path) && json_read_file(path, &d, &e) == 0) {
        const char *status = json_str(&d, "status");
        double done = json_num(&d, "steps");
        int finished = status && !strcmp(status, "finished");
        json_free(&d);
        if (finished && done >= (double)steps) return POINT_FINISHED;
        if (!finished) return POINT_FAILED;
    }
    return path_join(path, sizeof path, run_dir, RUN_LATEST, &e) == 0 && path_exists(path) ? POINT_RESUME : POINT_NEW;
}

typedef struct { pid_t pid; int lock_fd, index; double t0; char name[512]; } job;

static int spawn_point(const sweep_options *o, const char *name, const gi_config *c, point_state st, int threads,
                       int lock_fd, pid_t *pid, gi_err *e) {
    char run_dir[GI_PATH], cfg_path[GI_PATH], log_path[GI_PATH], file[600], threads_arg[64], steps_arg[96];
    snprintf(file, sizeof file, SWEEP_STATE_DIR "/%s.yaml", name);
    if (path_join(run_dir, sizeof run_dir, o->out_dir, name, e) || path_join(cfg_path, sizeof cfg_path, o->out_dir, file, e) ||
        path_join(log_path, sizeof log_path, run_dir, "train.log", e))
        return -1;
    snprintf(threads_arg, sizeof threads_arg, "train.threads=%d", threads);
    snprintf(steps_arg, sizeof steps_arg, "train.optimization_steps=%lld", (long long)c->train.optimization_steps);
    if (st == POINT_NEW) {
        /* a run killed before its first checkpoint leaves files that a fresh start would refuse */
        const char *stale[] = {RUN_METRICS, RUN_MI, RUN_OINFO, RUN_SUMMARY};
        for (int i = 0; i < 4; i++) {
            char p[GI_PATH];
            if (path_join(p, sizeof p, run_dir, stale[i], e)) return -1;
            unlink(p);
        }
        atomic_file af;
        if (atomic_open(&af, cfg_path, e)) return -1;
        config_write_yaml(c, af.f);
        if (atomic_commit(&af, e)) return -1;
    }
    if (make_dirs(run_dir, e)) return -1;
    char *argv_new[] = {(char *)o->self_exe, "train", "--config", cfg_path, "--out", run_dir, "--quiet", threads_arg, NULL};
    char *argv_resume[] = {(char *)o->self_exe, "train", "--resume", run_dir, "--quiet", threads_arg, steps_arg, NULL};
    posix_spawn_file_actions_t fa;
    posix_spawn_file_actions_init(&fa);
    posix_spawn_file_actions_addopen(&fa, STDOUT_FILENO, log_path, O_WRONLY | O_CREAT | O_APPEND, 0644);
    posix_spawn_file_actions_adddup2(&fa, STDOUT_FILENO, STDERR_FILENO);
    posix_spawn_file_actions_adddup2(&fa, lock_fd, CHILD_LOCK_FD);
    int rc = posix_spawn(pid, o->self_exe, &fa, NULL, st == POINT_NEW ? argv_new : argv_resume, environ);
    posix_spawn_file_actions_destroy(&fa);
    if (rc) return gi_fail(e, "%s: cannot start (%s)", o->self_exe, strerror(rc));
    return 0;
}

/* Waits for one child; reports it and releases its point. */
static void reap(const sweep_options *o, job *jobs, int *running, int total, sweep_counts *counts) {
    int status;
    pid_t pid = waitpid(-1, &status, 0);
    if (pid <= 0) return;
    for (int j = 0; j < *running; j++) {
        if (jobs[j].pid != pid) continue;
        int ok = WIFEXITED(status) && WEXITSTATUS(status) == 0;
        if (ok) counts->done++; else counts->failed++;
        char log[GI_PATH], file[600];
        snprintf(file, sizeof file, "%s/train.log", jobs[j].name);
        if (path_join(log, sizeof log, o->out_dir, file, NULL)) snprintf(log, sizeof log, "%s", file);
        gi_say(&o->log, "[%d/%d] %s: %s in %.0f s%s%s", jobs[j].index + 1, total, jobs[j].name, ok ? "finished" : "FAILED",
               now_s() - jobs[j].t0, ok ? "" : "; see ", ok ? "" : log);
        flock(jobs[j].lock_fd, LOCK_UN);
        close(jobs[j].lock_fd);
        jobs[j] = jobs[--*running];
        return;
    }
}

int sweep_run(const sweep_spec *s, const sweep_options *o, int threads_per_point, sweep_counts *counts, gi_err *e) {
    memset(counts, 0, sizeof *counts);
    char dir[GI_PATH];
    if (path_join(dir, sizeof dir, o->out_dir, SWEEP_STATE_DIR, e) || make_dirs(dir, e)) return -1;
    int jobs_max = o->jobs > 0 ? o->jobs : 1, running = 0;
    job *jobs = gi_calloc((size_t)jobs_max, sizeof *jobs);
    int rc = 0;
    /* two passes: first the points nobody holds; then, waiting on their locks, the points other
     * workers held (they may have finished them, or died without) */
    char *held = gi_calloc((size_t)s->n_points, 1);
    for (int pass = 0; pass < 2 && !rc; pass++)
        for (int i = 0; i < s->n_points && !rc; i++) {
            if (o->n_shards > 1 && i % o->n_shards != o->shard) continue;
            if (pass == 1 && !held[i]) continue;
            gi_config c;
            char name[512], run_dir[GI_PATH], lock_path[GI_PATH], file[600];
            if (sweep_point(s, i, &c, name, sizeof name, e)) { rc = -1; break; }
            snprintf(file, sizeof file, SWEEP_STATE_DIR "/%s.lock", name);
            if (path_join(run_dir, sizeof run_dir, o->out_dir, name, e) ||
                path_join(lock_path, sizeof lock_path, o->out_dir, file, e)) { rc = -1; break; }
            point_state st = state_of(run_dir, (long long)c.train.optimization_steps);
            if (st == POINT_FINISHED || st == POINT_FAILED) {
                counts->skipped++;
                if (st == POINT_FAILED)
                    gi_say(&o->log, "[%d/%d] %s: failed before (see its summary.json); not retried", i + 1, s->n_points, name);
                continue;
            }
            while (running == jobs_max) reap(o, jobs, &running, s->n_points, counts);
            int fd = open(lock_path, O_RDWR | O_CREAT | O_CLOEXEC, 0644);
            if (fd < 0) { rc = gi_fail(e, "%s: cannot open (%s)", lock_path, strerror(errno)); break; }
            if (flock(fd, pass == 0 ? LOCK_EX | LOCK_NB : LOCK_EX) != 0) { close(fd); held[i] = 1; continue; }
            st = state_of(run_dir, (long long)c.train.optimization_steps); /* it may have finished meanwhile */
            if (st == POINT_FINISHED || st == POINT_FAILED) { close(fd); counts->skipped++; continue; }
            job *j = &jobs[running];
            if (spawn_point(o, name, &c, st, threads_per_point, fd, &j->pid, e)) { close(fd); rc = -1; break; }
            j->lock_fd = fd;
            j->index = i;
            j->t0 = now_s();
            snprintf(j->name, sizeof j->name, "%s", name);
            running++;
            gi_say(&o->log, "[%d/%d] %s: %s", i + 1, s->n_points, name, st == POINT_RESUME ? "resuming" : "started");
        }
    free(held);
    while (running > 0) reap(o, jobs, &running, s->n_points, counts);
    free(jobs);
    return rc;
}
