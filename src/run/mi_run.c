/* mi_run.c — the information plane as a run's measurements (run/measurement.h), in two variants
 * that share everything but their estimator:
 *   mi        mi.csv, the seed's estimate (mi.estimator, whitened wkl by default);
 *   mi_check  mi_check.csv, the bounded cross-check (mi.check): KSG with its own k (mi.check_k)
 *             on standardised coordinates, so that its ceiling does not depend on the scales of
 *             X and L, and for I(L;Y) the Ross estimator, whose ceiling is the labels' entropy
 *             plus about (C − 1)/2N.
 * Both read the same captured layers (the second plane shares the first one's buffers) and write
 * the same columns; at the end of a finished run each counts its flags per subset, layer and kind
 * and finds its phases; the figures draw the cross-check's trajectory in grey behind the seed's. */
#include <stdlib.h>
#include <string.h>
#include "measure/flags.h"
#include "report/table.h"
#include "run/measurement.h"
#include "run/plane.h"
#include "util/json.h"
#include "util/run_layout.h"

/* mi.csv's flags counted per subset (train, eval), layer and kind */
typedef struct {
    int rows, flagged_rows, n_layers;
    int count[2][MLP_MAX_LAYERS][MI_FLAG_COUNT];
} flag_counts;

/* What tells the two variants apart. */
typedef struct {
    const char *file;        /* RUN_MI, RUN_MI_CHECK */
    const char *json_key;    /* NULL: "flags" and "phases" at the top of summary.json; else nested here */
    int (*options)(const gi_config *c, infoplane_options *o, gi_err *e);
    int behind;              /* the figures draw it in grey behind the seed's */
} mi_variant;

typedef struct {
    const mi_variant *v;
    plane pl;
    phase_report phases;  /* at the end of a finished run */
    int have_phases;
    flag_counts flags;
    int have_flags;
    char path[GI_PATH];
} mi_measurement;

static const char *const subset_names[2] = {"train", "eval"};

/* Counted from the file itself, so that a resumed run counts the rows of every process. */
static int count_flags(const char *path, flag_counts *fc, gi_err *e) {
    table t;
    if (table_read(path, RUN_MI_TEXT_COLUMNS, &t, e)) return -1;
    const double *layer = table_num(&t, "layer", e);
    char *const *subset = layer ? table_text(&t, "subset", e) : NULL, *const *flags = subset ? table_text(&t, "flags", e) : NULL;
    if (flags) {
        memset(fc, 0, sizeof *fc);
        for (int i = 0; i < t.n_rows; i++) {
            int s = strcmp(subset[i], "eval") == 0, l = (int)layer[i];
            if (l < 1 || l > MLP_MAX_LAYERS) continue;
            unsigned f = mi_flags_parse(flags[i]);
            fc->rows++;
            fc->flagged_rows += f != 0;
            if (l > fc->n_layers) fc->n_layers = l;
            for (int k = 0; k < MI_FLAG_COUNT; k++) fc->count[s][l - 1][k] += (f & MI_FLAG_BIT(k)) != 0;
        }
    }
    table_free(&t);
    return flags ? 0 : -1;
}

/* The cross-check's options: the run's compression settings, KSG on standardised coordinates. */
static int check_options(const gi_config *c, infoplane_options *o, gi_err *e) {
    if (plane_options(c, o, e)) return -1;
    o->est = (mi_estimator){.kind = EST_KSG, .k = c->mi.check_k, .standardize = 1};
    return 0;
}

static const mi_variant seed_variant = {RUN_MI, NULL, plane_options, 0};
static const mi_variant check_variant = {RUN_MI_CHECK, "cross_check", check_options, 1};

static int mi_enabled(const gi_config *c) { return c->mi.enabled; }
static int check_enabled(const gi_config *c) { return c->mi.enabled && c->mi.check; }

static void *create_variant(const mi_variant *v, trainer *t, const measurement_env *env, gi_err *e) {
    mi_measurement *m = gi_calloc(1, sizeof *m);
    m->v = v;
    infoplane_options o;
    char cache_dir[GI_PATH];
    plane_cache_dir(env->data_dir, cache_dir, sizeof cache_dir);
    if (v->options(&t->cfg, &o, e) || plane_create(&m->pl, t, &o, cache_dir, env->log, e)) { free(m); return NULL; }
    const plane *p = &m->pl;
    if (env->progress && !v->behind)
        gi_say(env->log, "X compressed to %d dimensions (%s%s) in %.1f s", p->sub[0].dx,
               p->opt.compression == LAYER_SLICED ? "none: sliced MI" : t->cfg.mi.x_compression,
               p->ae_path[0] ? (p->ae_trained ? ", trained and cached" : ", from the cache") : "", p->seconds_x);
    return m;
}

static void *mi_create(trainer *t, const measurement_env *env, gi_err *e) { return create_variant(&seed_variant, t, env, e); }
static void *check_create(trainer *t, const measurement_env *env, gi_err *e) {
    return create_variant(&check_variant, t, env, e);
}

static void mi_destroy(void *ctx, trainer *t) {
    mi_measurement *m = ctx;
    if (m->have_phases) phases_free(&m->phases);
    plane_free(&m->pl, t);
    free(m);
}

static const char *mi_header(const void *ctx) { return PLANE_CSV_HEADER; }

static int mi_rows(void *ctx, trainer *t, FILE *csv, gi_err *e) {
    return plane_measure(&((mi_measurement *)ctx)->pl, t, csv, e);
}

static void mi_add_timing(const void *ctx, run_timing *tm) {
    const mi_measurement *m = ctx;
    const plane *p = &m->pl;
    if (m->v->behind) { /* the cross-check, named on its own */
        tm->cross_check += p->seconds_x + p->seconds_compress + p->seconds_estimate;
        return;
    }
    tm->x_compression += p->seconds_x;
    tm->layer_compression += p->seconds_compress;
    tm->estimation += p->seconds_estimate;
}

/* the flags and phases of the finished run's file; the run's figures draw them */
static int mi_finish(void *ctx, measurement_end *end, gi_err *e) {
    mi_measurement *m = ctx;
    gi_err why;
    if (path_join(m->path, sizeof m->path, end->run_dir, m->v->file, e)) return -1;
    if (count_flags(m->path, &m->flags, &why)) return gi_fail(e, "%s: flags not counted: %s", m->v->file, why.msg);
    m->have_flags = 1;
    if (phases_from_run(end->run_dir, m->path, NULL, &end->ms, NULL, &m->phases, &why))
        return gi_fail(e, "phases not found: %s", why.msg);
    m->have_phases = 1;
    if (m->v->behind) end->behind = &m->phases;
    else end->phases = &m->phases;
    return 0;
}

/* "flags (RUN/mi.csv, wkl): 208 of 780 rows; ily_above_ceiling 96, ixl_negative 179" */
static void print_flags(FILE *f, const mi_measurement *m) {
    const flag_counts *fc = &m->flags;
    fprintf(f, "flags (%s, %s): %d of %d rows", m->path, estimator_name(m->pl.opt.est.kind), fc->flagged_rows, fc->rows);
    const char *sep = "; ";
    for (int k = 0; k < MI_FLAG_COUNT; k++) {
        int total = 0;
        for (int s = 0; s < 2; s++)
            for (int l = 0; l < fc->n_layers; l++) total += fc->count[s][l][k];
        if (total) fprintf(f, "%s%s %d", sep, mi_flag_get(k)->name, total), sep = ", ";
    }
    fputc('\n', f);
}

static void mi_print(const void *ctx, FILE *f) {
    const mi_measurement *m = ctx;
    if (m->have_flags) print_flags(f, m);
    if (m->have_phases) phases_print(f, &m->phases);
}

/* "flags": {"file": ..., "estimator": ..., "rows": N, "flagged_rows": N,
 *           "train": {"1": {"ily_negative": 0, ...}, ...}, "eval": {...}}, its key at column a */
static void flags_json(FILE *f, const mi_measurement *m, int a) {
    const flag_counts *fc = &m->flags;
    fprintf(f, "%*s\"flags\": {\n%*s\"file\": ", a, "", a + 2, "");
    json_write_string(f, m->path);
    fprintf(f, ",\n%*s\"estimator\": \"%s\",\n%*s\"rows\": %d,\n%*s\"flagged_rows\": %d", a + 2, "",
            estimator_name(m->pl.opt.est.kind), a + 2, "", fc->rows, a + 2, "", fc->flagged_rows);
    for (int s = 0; s < 2; s++) {
        fprintf(f, ",\n%*s\"%s\": {", a + 2, "", subset_names[s]);
        for (int l = 0; l < fc->n_layers; l++) {
            fprintf(f, "%s\n%*s\"%d\": {", l ? "," : "", a + 4, "", l + 1);
            for (int k = 0; k < MI_FLAG_COUNT; k++)
                fprintf(f, "%s\"%s\": %d", k ? ", " : "", mi_flag_get(k)->name, fc->count[s][l][k]);
            fputc('}', f);
        }
        fprintf(f, "\n%*s}", a + 2, "");
    }
    fprintf(f, "\n%*s}", a, "");
}

/* the seed's "flags" and "phases" at the top of summary.json; the cross-check's under its key */
static void mi_summary_json(const void *ctx, FILE *f) {
    const mi_measurement *m = ctx;
    if (!m->have_flags && !m->have_phases) return;
    int a = m->v->json_key ? 4 : 2;
    if (m->v->json_key) fprintf(f, "  \"%s\": {\n", m->v->json_key);
    if (m->have_flags) {
        flags_json(f, m, a);
        fprintf(f, "%s\n", m->have_phases || !m->v->json_key ? "," : "");
    }
    if (m->have_phases) {
        fprintf(f, "%*s\"phases\": ", a, "");
        phases_write_json(f, &m->phases, a);
        fprintf(f, "%s\n", m->v->json_key ? "" : ",");
    }
    if (m->v->json_key) fprintf(f, "  },\n");
}

static void mi_remeasure_base(const void *ctx, char *out, size_t n) {
    snprintf(out, n, "mi-%s", estimator_name(((const mi_measurement *)ctx)->pl.opt.est.kind));
}

const measurement_type measurement_mi = {
    .name = "mi",
    .file = RUN_MI,
    .enabled = mi_enabled,
    .create = mi_create,
    .destroy = mi_destroy,
    .header = mi_header,
    .due = NULL, /* every evaluation */
    .rows = mi_rows,
    .add_timing = mi_add_timing,
    .finish = mi_finish,
    .print = mi_print,
    .summary_json = mi_summary_json,
    .remeasure_base = mi_remeasure_base,
};

const measurement_type measurement_mi_check = {
    .name = "mi_check",
    .file = RUN_MI_CHECK,
    .enabled = check_enabled,
    .create = check_create,
    .destroy = mi_destroy,
    .header = mi_header,
    .due = NULL, /* every evaluation */
    .rows = mi_rows,
    .add_timing = mi_add_timing,
    .finish = mi_finish,
    .print = mi_print,
    .summary_json = mi_summary_json,
    .remeasure_base = mi_remeasure_base,
};
