/* study_spec.c — a study file: a sweep file plus seeds:, and its groups of seeds. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "study/study.h"
#include "util/atomic_file.h"

/* seeds: an integer from 1 to STUDY_MAX_SEEDS, written whole */
static int parse_seeds(const char *path, const sweep_extra_key *x, int *n, gi_err *e) {
    char *end;
    long v = strtol(x->value, &end, 10);
    if (!x->value[0] || *end || v < 1 || v > STUDY_MAX_SEEDS)
        return gi_fail(e, "%s:%zu: seeds: expected an integer from 1 to %d, got '%s'", path, x->line, STUDY_MAX_SEEDS, x->value);
    *n = (int)v;
    return 0;
}

int study_load(const char *path, study_spec *s, gi_err *e) {
    memset(s, 0, sizeof *s);
    sweep_extra_key extra[1] = {{.key = "seeds"}};
    if (sweep_parse(path, &s->sweep, extra, 1, e)) return -1;
    s->seed_axis = -1;
    for (int a = 0; a < s->sweep.n_axes; a++)
        if (!strcmp(s->sweep.axes[a].key, "seed")) s->seed_axis = a;
    int n_seeds = STUDY_DEFAULT_SEEDS;
    if (extra[0].value[0] || extra[0].line) {
        if (s->seed_axis >= 0) {
            sweep_free(&s->sweep);
            return gi_fail(e, "%s:%zu: seeds: and an axis seed: give the seeds one way", path, extra[0].line);
        }
        if (parse_seeds(path, &extra[0], &n_seeds, e)) { sweep_free(&s->sweep); return -1; }
    }
    if (s->seed_axis < 0) {
        char **values = gi_malloc((size_t)n_seeds * sizeof(char *));
        for (int i = 0; i < n_seeds; i++) {
            values[i] = gi_malloc(16);
            snprintf(values[i], 16, "%d", i);
        }
        int rc = sweep_add_axis(&s->sweep, "seed", n_seeds, values, e);
        for (int i = 0; i < n_seeds; i++) free(values[i]);
        free(values);
        if (rc) { sweep_free(&s->sweep); return -1; }
        s->seed_axis = s->sweep.n_axes - 1;
    }
    if (sweep_check(&s->sweep, e)) return -1;
    /* groups: the points in order of their first appearance, each with its seeds in axis order */
    const sweep_spec *w = &s->sweep;
    int per = w->axes[s->seed_axis].n;
    s->n_groups = w->n_points / per;
    s->group = gi_calloc((size_t)s->n_groups, sizeof(study_group));
    for (int i = 0; i < w->n_points; i++) {
        char name[256];
        sweep_point_name(w, i, s->seed_axis, name, sizeof name);
        if (!name[0]) snprintf(name, sizeof name, "all");
        int g = 0;
        while (g < s->n_groups && s->group[g].n && strcmp(s->group[g].name, name)) g++;
        if (g == s->n_groups) { study_free(s); return gi_fail(e, "%s: two groups share the name '%s'", path, name); }
        study_group *gr = &s->group[g];
        if (!gr->n) {
            snprintf(gr->name, sizeof gr->name, "%s", name);
            gr->point = gi_malloc((size_t)per * sizeof(int));
        }
        if (gr->n == per) { study_free(s); return gi_fail(e, "%s: two groups share the name '%s'", path, name); }
        gr->point[gr->n++] = i;
    }
    return 0;
}

void study_free(study_spec *s) {
    for (int g = 0; g < s->n_groups; g++) free(s->group[g].point);
    free(s->group);
    sweep_free(&s->sweep);
    memset(s, 0, sizeof *s);
}

int study_point_dir(const study_spec *s, int i, const char *out_dir, char *dir, size_t n, gi_err *e) {
    char name[512];
    sweep_point_name(&s->sweep, i, -1, name, sizeof name);
    return path_join(dir, n, out_dir, name, e);
}
