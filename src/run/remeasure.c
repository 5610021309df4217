/* remeasure.c — `grokinfo infoplane` / `oinfo` / `acts`: a finished run measured again from its checkpoints. */
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "report/progress.h"
#include "run/measurement.h"
#include "run/run.h"
#include "util/atomic_file.h"
#include "util/run_layout.h"
#include "util/npy.h"
#include "util/clock.h"

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
        size_t plen = strlen(RUN_STEP_PREFIX);
        if (strncmp(ent->d_name, RUN_STEP_PREFIX, plen) != 0 || len < plen + 4 || strcmp(ent->d_name + len - 4, ".bin") != 0)
            continue;
        if (*count == cap) {
            cap = cap ? 2 * cap : 64;
            names = gi_realloc(names, (size_t)cap * sizeof *names);
        }
        names[(*count)++] = strdup(ent->d_name);
    }
    closedir(d);
    qsort(names, (size_t)*count, sizeof *names, by_name);
    return names;
}

/* The first of BASE.csv, BASE-2.csv, ... that does not exist, and neither does its file of values
 * per noise draw (BASE_redraws.csv, ...; its path into redraws). */
static int fresh_name(const char *run_dir, const char *base, char *out, size_t n, char *redraws, size_t rn, gi_err *e) {
    char name[256];
    for (int i = 1;; i++) {
        if (i == 1) snprintf(name, sizeof name, "%s.csv", base);
        else snprintf(name, sizeof name, "%s-%d.csv", base, i);
        if (path_join(out, n, run_dir, name, e) || run_redraws_path(redraws, rn, out, e)) return -1;
        if (!path_exists(out) && !path_exists(redraws)) return 0;
    }
}

/* Keeps the checkpoint names of the steps asked for (in step order); a step without one is an error. */
static int keep_steps(char **names, int *count, const int64_t *steps, int n_steps, const char *ckpt_dir, gi_err *e) {
    int kept = 0;
    for (int i = 0; i < *count; i++) {
        long long step = strtoll(names[i] + strlen(RUN_STEP_PREFIX), NULL, 10);
        int want = 0;
        for (int j = 0; j < n_steps; j++) want |= steps[j] == step;
        if (want) names[kept++] = names[i];
        else free(names[i]);
    }
    *count = kept;
    for (int j = 0; j < n_steps; j++) {
        int found = 0;
        for (int i = 0; i < kept; i++) found |= strtoll(names[i] + strlen(RUN_STEP_PREFIX), NULL, 10) == steps[j];
        if (!found) return gi_fail(e, "--steps: no checkpoint of step %lld in %s", (long long)steps[j], ckpt_dir);
    }
    return 0;
}

/* Every per-evaluation checkpoint in step order: parameters loaded, evaluated (the same noise as
 * in training: its stream is keyed by the step), measured; out_path rewritten after each, and
 * redraws_path (NULL: none) with the values per noise draw. */
static int over_checkpoints(trainer *t, const run_options *opt, const measurement_type *type, void *state,
                            const char *out_path, const char *redraws_path, gi_err *e) {
    char ckpt_dir[GI_PATH], path[GI_PATH];
    if (path_join(ckpt_dir, sizeof ckpt_dir, opt->run_dir, RUN_CKPT_DIR, e)) return -1;
    int count, rc = -1;
    char **names = step_checkpoints(ckpt_dir, &count);
    if (opt->steps && keep_steps(names, &count, opt->steps, opt->n_steps, ckpt_dir, e)) {
        for (int i = 0; i < count; i++) free(names[i]);
        free(names);
        return -1;
    }
    if (count == 0) {
        free(names);
        return gi_fail(e, "%s: no per-evaluation checkpoints (step_*.bin); the run needs train.save_step_checkpoints=true",
                       ckpt_dir);
    }
    char *text = NULL, *draws = NULL;
    size_t len = 0, n_draws = 0;
    FILE *csv = open_memstream(&text, &len), *dcsv = redraws_path ? open_memstream(&draws, &n_draws) : NULL;
    fputs(type->header(state), csv);
    if (dcsv) fputs(type->redraws_header(state), dcsv);
    progress prog;
    progress_start(&prog, opt->progress, 0, count);
    for (int i = 0; i < count; i++) {
        int64_t step;
        if (path_join(path, sizeof path, ckpt_dir, names[i], e) || checkpoint_load_params(path, &t->model, &step, e)) goto out;
        t->step = step;
        metrics_row row;
        trainer_evaluate(t, &row);
        if (type->rows(state, t, csv, dcsv, e)) goto out;
        fflush(csv);
        if (atomic_write(out_path, text, len, e)) goto out;
        if (dcsv) {
            fflush(dcsv);
            if (atomic_write(redraws_path, draws, n_draws, e)) goto out;
        }
        progress_item(&prog, out_path, step, i + 1, "checkpoints");
    }
    rc = 0;
out:
    progress_end(&prog);
    fclose(csv);
    free(text);
    if (dcsv) fclose(dcsv);
    free(draws);
    for (int i = 0; i < count; i++) free(names[i]);
    free(names);
    return rc;
}

int run_remeasure(const gi_config *cfg, const run_options *opt, const char *name, char *out_path, size_t n, gi_err *e) {
    const measurement_type *type = measurement_find(name);
    if (!type) return gi_fail(e, "no measurement named '%s'", name);
    trainer t;
    if (trainer_create(&t, cfg, opt->data_dir, e)) return -1;
    measurement_env env = {.data_dir = opt->data_dir, .progress = opt->progress, .log = &opt->log};
    void *state = type->create(&t, &env, e);
    int rc = -1;
    if (state) {
        char base[128], redraws[GI_PATH];
        type->remeasure_base(state, base, sizeof base);
        int with_redraws = type->redraws_header && type->redraws_header(state);
        if (fresh_name(opt->run_dir, base, out_path, n, redraws, sizeof redraws, e) == 0) {
            rc = over_checkpoints(&t, opt, type, state, out_path, with_redraws ? redraws : NULL, e);
            if (rc == 0 && with_redraws && opt->progress) gi_say(&opt->log, "values per noise draw: %s", redraws);
        }
        type->destroy(state, &t);
    }
    trainer_free(&t);
    return rc;
}

int run_export_acts(const gi_config *cfg, const run_options *opt, int64_t step, int layer, int subset,
                    const char *out_path, gi_err *e) {
    char path[GI_PATH];
    if (run_step_checkpoint(path, sizeof path, opt->run_dir, step, e)) return -1;
    trainer t;
    if (trainer_create(&t, cfg, opt->data_dir, e)) return -1;
    int rc = -1, L = t.model.n_layers;
    if (layer < 1 || layer > L) {
        gi_fail(e, "--layer: expected 1..%d, got %d", L, layer);
    } else if (checkpoint_load_params(path, &t.model, NULL, e) == 0) {
        int n = t.sets[subset].n, width = t.model.dims[layer];
        float *acts = gi_malloc((size_t)n * width * sizeof(float));
        t.capture[subset][layer - 1] = acts;
        t.step = step;
        metrics_row row;
        trainer_evaluate(&t, &row);
        t.capture[subset][layer - 1] = NULL;
        rc = npy_write_f32(out_path, acts, n, width, e);
        free(acts);
    }
    trainer_free(&t);
    return rc;
}
