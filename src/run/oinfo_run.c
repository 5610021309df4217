/* oinfo_run.c — O-information rows of a run. */
#include "run/oinfo_run.h"
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include "report/oinfo_report.h"
#include "run/measurement.h"
#include "util/clock.h"
#include "util/run_layout.h"

void oinfo_run_create(oinfo_run *o, trainer *t, const char *ties) {
    memset(o, 0, sizeof *o);
    const gi_config *c = &t->cfg;
    o->params = (oinfo_params){.clusters = c->oinfo.clusters, .greedy_max = c->oinfo.greedy_max,
                               .bias_correct = c->oinfo.bias_correct};
    if (oinfo_tie_from_name(ties ? ties : c->oinfo.ties, &o->params.ties.rule)) o->params.ties.rule = OINFO_TIES_INDEX; /* validated */
    o->seed = (uint64_t)c->seed;
    const char *h = o->params.greedy_max > 0 ? OINFO_CSV_HEADER_GREEDY : OINFO_CSV_HEADER;
    if (o->params.ties.rule == OINFO_TIES_INDEX) snprintf(o->header, sizeof o->header, "%s", h);
    else snprintf(o->header, sizeof o->header, "%.*s,ties\n", (int)strlen(h) - 1, h);
    o->subset = strcmp(c->oinfo.subset, "eval") == 0 ? SUBSET_EVAL : SUBSET_TRAIN;
    o->every = c->oinfo.every;
    const mlp *m = &t->model;
    int n = t->sets[o->subset].n;
    for (int l = 0; l < m->n_layers - 1; l++)
        if (!t->capture[o->subset][l]) {
            o->own[l] = gi_malloc((size_t)n * m->dims[l + 1] * sizeof(float));
            t->capture[o->subset][l] = o->own[l];
        }
}

void oinfo_run_free(oinfo_run *o, trainer *t) {
    for (int l = 0; l < MLP_MAX_LAYERS; l++)
        if (o->own[l]) {
            if (t && t->capture[o->subset][l] == o->own[l]) t->capture[o->subset][l] = NULL;
            free(o->own[l]);
        }
    memset(o, 0, sizeof *o);
}

const char *oinfo_run_header(const oinfo_run *o) { return o->header; }

static void field(FILE *f, double v) {
    if (isfinite(v)) fprintf(f, ",%.10g", v);
    else fputc(',', f);
}

int oinfo_run_measure(oinfo_run *o, const trainer *t, FILE *csv, gi_err *e) {
    const mlp *m = &t->model;
    int n = t->sets[o->subset].n;
    double t0 = now_s();
    for (int l = 0; l < m->n_layers - 1; l++) {
        oinfo_row row;
        gi_err why;
        o->params.ties.key = oinfo_tie_key(o->seed, t->step, l + 1);
        if (oinfo_measure_f32(t->capture[o->subset][l], n, m->dims[l + 1], &o->params, &row, NULL, &why))
            return gi_fail(e, "O-information, step %lld, layer %d: %s", (long long)t->step, l + 1, why.msg);
        fprintf(csv, "%lld,%d", (long long)t->step, l + 1);
        field(csv, row.omega_min);
        field(csv, row.omega_max);
        fprintf(csv, ",%d,%d", row.size_min, row.size_max);
        field(csv, row.tc_min);
        field(csv, row.dtc_min);
        fprintf(csv, ",%d,%d", row.n_live, row.n_dead);
        if (o->params.greedy_max > 0) {
            field(csv, row.greedy_omega);
            fprintf(csv, ",%d", row.greedy_size);
        }
        if (o->params.ties.rule != OINFO_TIES_INDEX) fprintf(csv, ",%s", oinfo_tie_name(o->params.ties.rule));
        fputc('\n', csv);
    }
    o->seconds += now_s() - t0;
    return 0;
}

/* ---- the O-information as a run's measurement (run/measurement.h): oinfo.csv ---- */

typedef struct {
    oinfo_run run;
    oinfo_report report;  /* at the end of a finished run */
    int have_report;
} oinfo_measurement;

static int oinfo_enabled(const gi_config *c) { return c->oinfo.enabled; }

static void *oinfo_create(trainer *t, const measurement_env *env, gi_err *e) {
    oinfo_measurement *m = gi_calloc(1, sizeof *m);
    oinfo_run_create(&m->run, t, NULL);
    return m;
}

static void oinfo_destroy(void *ctx, trainer *t) {
    oinfo_measurement *m = ctx;
    if (m->have_report) oinfo_report_free(&m->report);
    oinfo_run_free(&m->run, t);
    free(m);
}

static const char *oinfo_header(const void *ctx) { return oinfo_run_header(&((const oinfo_measurement *)ctx)->run); }

/* every `oinfo.every`-th evaluation, counted from the run's first */
static int oinfo_due(const void *ctx, int64_t eval) { return eval % ((const oinfo_measurement *)ctx)->run.every == 0; }

static int oinfo_rows(void *ctx, trainer *t, FILE *csv, FILE *redraws, gi_err *e) {
    return oinfo_run_measure(&((oinfo_measurement *)ctx)->run, t, csv, e);
}

static void oinfo_add_timing(const void *ctx, run_timing *tm) { tm->oinfo += ((const oinfo_measurement *)ctx)->run.seconds; }

/* the synergy and redundancy peaks of the finished run's oinfo.csv, and their figures */
static int oinfo_finish(void *ctx, measurement_end *end, gi_err *e) {
    oinfo_measurement *m = ctx;
    gi_err why, plot_err = {{0}};
    int drawn = 0;
    if (oinfo_report_finish(end->run_dir, end->ms.train_threshold, end->ms.eval_threshold, end->draw, &m->report, &drawn,
                            &plot_err, &why))
        return gi_fail(e, "O-information summary: %s", why.msg);
    m->have_report = 1;
    if (end->draw && !drawn) gi_say(end->log, "grokinfo: warning: O-information figures: %s", plot_err.msg);
    return 0;
}

static void oinfo_print(const void *ctx, FILE *f) {
    const oinfo_measurement *m = ctx;
    if (m->have_report) oinfo_report_print(f, &m->report);
}

static void oinfo_summary_json(const void *ctx, FILE *f) {
    const oinfo_measurement *m = ctx;
    if (m->have_report) oinfo_report_json_extra(f, (void *)&m->report);
}

static void oinfo_remeasure_base(const void *ctx, char *out, size_t n) { snprintf(out, n, "oinfo"); }

/* ---- oinfo.ties_check: the same layers under a second tie rule, oinfo_ties.csv (rows only: the
 * run's summary and figures are oinfo.csv's; `grokinfo study` reads both files) ---- */

static int ties_enabled(const gi_config *c) { return c->oinfo.enabled && strcmp(c->oinfo.ties_check, "none") != 0; }

static void *ties_create(trainer *t, const measurement_env *env, gi_err *e) {
    oinfo_measurement *m = gi_calloc(1, sizeof *m);
    oinfo_run_create(&m->run, t, t->cfg.oinfo.ties_check);
    return m;
}

static void ties_remeasure_base(const void *ctx, char *out, size_t n) { snprintf(out, n, "oinfo_ties"); }

const measurement_type measurement_oinfo_ties = {
    .name = "oinfo_ties",
    .file = RUN_OINFO_TIES,
    .enabled = ties_enabled,
    .create = ties_create,
    .destroy = oinfo_destroy,
    .header = oinfo_header,
    .due = oinfo_due,
    .rows = oinfo_rows,
    .add_timing = oinfo_add_timing, /* its time counts as O-information's */
    .finish = NULL,                 /* no report, printout or summary keys of its own */
    .print = NULL,
    .summary_json = NULL,
    .remeasure_base = ties_remeasure_base,
};

const measurement_type measurement_oinfo = {
    .name = "oinfo",
    .file = RUN_OINFO,
    .enabled = oinfo_enabled,
    .create = oinfo_create,
    .destroy = oinfo_destroy,
    .header = oinfo_header,
    .due = oinfo_due,
    .rows = oinfo_rows,
    .add_timing = oinfo_add_timing,
    .finish = oinfo_finish,
    .print = oinfo_print,
    .summary_json = oinfo_summary_json,
    .remeasure_base = oinfo_remeasure_base,
};
