/* remeasure.c — `grokinfo infoplane`: the information plane of a run from its checkpoints. */
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include "train/plane.h"
#include "train/run.h"
#include "util/atomic_file.h"

static int by_name(const void *a, const void *b) { return strcmp(*(char *const *)a, *(char *const *)b); }

/* ckpt/step_NNNNNNN.bin in step order (the names are zero-padded) */
static char **step_checkpoints(const char *ckpt_dir, int *count) {
    DIR *d = opendir(ckpt_dir);
    *count = 0;
    if (!d) return NULL;
    char **names = NULL;
    int cap = 0;
    struct dirent *ent;
    while ((ent = readdir(d)) != NULL) {
        size_t len = strlen(ent->d_name);
        if (strncmp(ent->d_name, "step_", 5) != 0 || len < 9 || strcmp(ent->d_name + len - 4, ".bin") != 0) continue;
        if (*count == cap) {
            cap = cap ? 2 * cap : 64;
            names = realloc(names, (size_t)cap * sizeof *names);
            if (!names) { closedir(d); return NULL; }
        }
        names[(*count)++] = strdup(ent->d_name);
    }
    closedir(d);
    qsort(names, (size_t)*count, sizeof *names, by_name);
    return names;
}

static double now_s(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return ts.tv_sec + ts.tv_nsec * 1e-9;
}

int run_infoplane(const gi_config *cfg, const run_options *opt, char *out_path, size_t n, gi_err *e) {
    char ckpt_dir[1100], path[1300], cache_dir[1000];
    snprintf(ckpt_dir, sizeof ckpt_dir, "%s/ckpt", opt->run_dir);
    int count;
    char **names = step_checkpoints(ckpt_dir, &count);
    if (count == 0) {
        free(names);
        return gi_fail(e, "%s: no per-evaluation checkpoints (step_*.bin); the run needs train.save_step_checkpoints=true",
                       ckpt_dir);
    }
    infoplane_options o;
    if (plane_options(cfg, &o, e)) return -1;
    const char *est = estimator_name(o.est.kind);
    for (int i = 1;; i++) {
        if (i == 1) snprintf(out_path, n, "%s/mi-%s.csv", opt->run_dir, est);
        else snprintf(out_path, n, "%s/mi-%s-%d.csv", opt->run_dir, est, i);
        if (access(out_path, F_OK) != 0) break;
    }
    trainer t;
    if (trainer_create(&t, cfg, opt->data_dir, e)) { for (int i = 0; i < count; i++) free(names[i]); free(names); return -1; }
    snprintf(cache_dir, sizeof cache_dir, "%s", opt->data_dir);
    char *slash = strrchr(cache_dir, '/');
    if (slash && slash != cache_dir) *slash = '\0';
    else snprintf(cache_dir, sizeof cache_dir, ".");
    plane pl;
    int rc = -1;
    if (plane_create(&pl, &t, cache_dir, e)) goto out;
    char *text = NULL;
    size_t len = 0;
    FILE *csv = open_memstream(&text, &len);
    fputs(PLANE_CSV_HEADER, csv);
    double t0 = now_s();
    for (int i = 0; i < count; i++) {
        snprintf(path, sizeof path, "%s/%s", ckpt_dir, names[i]);
        int64_t step;
        if (checkpoint_load_params(path, &t.model, &step, e)) { fclose(csv); free(text); goto out_plane; }
        t.step = step;
        metrics_row row;
        trainer_evaluate(&t, &row);
        if (plane_measure(&pl, &t, csv, e)) { fclose(csv); free(text); goto out_plane; }
        fflush(csv);
        if (atomic_write(out_path, text, len, e)) { fclose(csv); free(text); goto out_plane; }
        if (opt->progress)
            fprintf(stderr, "\r%s: step %lld (%d/%d checkpoints, %.0f s)", out_path, (long long)step, i + 1, count,
                    now_s() - t0);
    }
    if (opt->progress) fputc('\n', stderr);
    fclose(csv);
    free(text);
    rc = 0;
out_plane:
    plane_free(&pl, &t);
out:
    trainer_free(&t);
    for (int i = 0; i < count; i++) free(names[i]);
    free(names);
    return rc;
}
