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
#include "run/measurement.h"
#include "run/mi_report.h"
#include "run/plane.h"
#include "util/run_layout.h"

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
    mi_report report;  /* at the end of a finished run */
} mi_measurement;

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
    if (p->redraws > 0 && !v->behind && !(t->cfg.model.noise && t->cfg.mi.sigma > 0))
        gi_say(env->log, "grokinfo: note: mi.noise_redraws=%d, but the layers carry no noise (model.noise=false or mi.sigma=0): "
                         "every redraw repeats the original (sd 0)", p->redraws);
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
    mi_report_free(&m->report);
    plane_free(&m->pl, t);
    free(m);
}

static const char *mi_header(const void *ctx) { return PLANE_CSV_HEADER; }

/* with mi.noise_redraws: mi_redraws.csv (mi_check_redraws.csv), the values per noise draw */
static const char *mi_redraws_header(const void *ctx) {
    return ((const mi_measurement *)ctx)->pl.redraws > 0 ? PLANE_REDRAWS_HEADER : NULL;
}

static int mi_rows(void *ctx, trainer *t, FILE *csv, FILE *redraws, gi_err *e) {
    return plane_measure(&((mi_measurement *)ctx)->pl, t, csv, redraws, e);
}

static void mi_add_timing(const void *ctx, run_timing *tm) {
    const mi_measurement *m = ctx;
    const plane *p = &m->pl;
    tm->noise_redraws += p->seconds_redraw; /* both variants' redraws and halves, named on their own */
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
    if (mi_report_read(&m->report, end->run_dir, m->v->file, estimator_name(m->pl.opt.est.kind), &end->ms, &end->rule, e)) return -1;
    if (m->v->behind) end->behind = &m->report.phases;
    else end->phases = &m->report.phases;
    return 0;
}

static void mi_print(const void *ctx, FILE *f) { mi_report_print(&((const mi_measurement *)ctx)->report, f); }

/* the seed's "flags" and "phases" at the top of summary.json; the cross-check's under its key */
static void mi_summary_json(const void *ctx, FILE *f) {
    const mi_measurement *m = ctx;
    mi_report_json(&m->report, m->v->json_key, f);
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
    .redraws_header = mi_redraws_header,
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
    .redraws_header = mi_redraws_header,
    .due = NULL, /* every evaluation */
    .rows = mi_rows,
    .add_timing = mi_add_timing,
    .finish = mi_finish,
    .print = mi_print,
    .summary_json = mi_summary_json,
    .remeasure_base = mi_remeasure_base,
};
