/* mi_noise.c — the noise-model estimate of the noisy network itself as a run's measurement
 * (run/measurement.h; opt-in: mi.noise_model): mi_noise.csv.
 *
 * The layer the seed measures is T_l = f_l(X) + Z_l with Z_l ~ N(0, σ²I) (model.noise, σ =
 * mi.sigma, or mi.noise_sigma_rel times the layer's RMS), X uniform over the subset's points.
 * Here every layer is measured as f_l(x) + Z_l with the noise of the EARLIER layers off: its
 * means f_l(x_j) come from a forward pass with no noise at all (trainer_layers_clean), and the
 * estimator (measure/noise_model.h) works on the whole uncompressed layer: I(X;T) of the Gaussian
 * mixture, in [0, ln N], and I(T;Y), in [0, H(Y)], by Monte Carlo beside the Kolchinsky–Tracey
 * bounds. These layers are not a Markov chain of one another, so no data-processing flags, and
 * their values are never compared with the compressed estimates of mi.csv in one check.
 * Columns: mi.csv's, then sigma, ixl_lo, ixl_hi, ily_lo, ily_hi (the bounds). */
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include "measure/flags.h"
#include "measure/noise_model.h"
#include "run/measurement.h"
#include "run/mi_report.h"
#include "run/plane.h"
#include "util/clock.h"
#include "util/rng.h"
#include "util/run_layout.h"

#define NOISE_CSV_HEADER "step,subset,layer,ixl,ixl_err,ily,ily_err,estimator,dx,dl,h_y,flags,sigma,ixl_lo,ixl_hi,ily_lo,ily_hi\n"

typedef struct {
    int n[2];                            /* rows measured per subset */
    int *rows[2];                        /* with mi.eval_points: the plane's rows (NULL: all) */
    int *labels[2];
    label_stats ls[2];
    float *clean[2][MLP_MAX_LAYERS];     /* every row of the subset, n_all x width */
    double *mu;                          /* one layer on the measured rows, n x width */
    noise_options opt;
    mi_report report;
    double seconds;
} noise_measurement;

static int noise_enabled(const gi_config *c) { return c->mi.enabled && c->mi.noise_model; }

static void *noise_create(trainer *t, const measurement_env *env, gi_err *e) {
    const gi_config *c = &t->cfg; /* (config_validate has checked that there is a noise scale) */
    noise_measurement *m = gi_calloc(1, sizeof *m);
    const mlp *net = &t->model;
    int widest = 0;
    m->opt = (noise_options){.sigma = c->mi.sigma, .sigma_rel = c->mi.noise_sigma_rel, .draws = c->mi.noise_draws};
    for (int s = 0; s < 2; s++) {
        int n_all = t->sets[s].n, k = s == SUBSET_EVAL ? c->mi.eval_points : 0;
        m->n[s] = k > 0 && k < n_all ? k : n_all;
        if (m->n[s] < n_all) m->rows[s] = plane_draw_rows((uint64_t)c->seed, n_all, k);
        m->labels[s] = gi_malloc((size_t)m->n[s] * sizeof(int));
        for (int i = 0; i < m->n[s]; i++) m->labels[s][i] = t->sets[s].y[m->rows[s] ? m->rows[s][i] : i];
        label_stats_of(m->labels[s], m->n[s], &m->ls[s]);
        for (int l = 0; l < net->n_layers; l++) {
            m->clean[s][l] = gi_malloc((size_t)n_all * net->dims[l + 1] * sizeof(float));
            if (net->dims[l + 1] > widest) widest = net->dims[l + 1];
        }
    }
    int most = m->n[0] > m->n[1] ? m->n[0] : m->n[1];
    m->mu = gi_malloc((size_t)most * widest * sizeof(double));
    return m;
}

static void noise_destroy(void *ctx, trainer *t) {
    noise_measurement *m = ctx;
    for (int s = 0; s < 2; s++) {
        free(m->rows[s]);
        free(m->labels[s]);
        for (int l = 0; l < MLP_MAX_LAYERS; l++) free(m->clean[s][l]);
    }
    free(m->mu);
    mi_report_free(&m->report);
    free(m);
}

static const char *noise_header(const void *ctx) { return NOISE_CSV_HEADER; }

/* a number field as mi.csv writes them; empty when it is not finite (no labels, no draws) */
static void number(FILE *f, double v) { plane_csv_field(f, isfinite(v), v); }

/* one layer on one subset: the measured rows' means in double, the estimate, its row */
static int noise_row(noise_measurement *m, const trainer *t, int s, int l, FILE *csv, gi_err *e) {
    int n = m->n[s], d = t->model.dims[l + 1];
    for (int i = 0; i < n; i++) {
        const float *src = m->clean[s][l] + (size_t)(m->rows[s] ? m->rows[s][i] : i) * d;
        for (int j = 0; j < d; j++) m->mu[(size_t)i * d + j] = src[j];
    }
    noise_options o = m->opt;
    o.seed = noise_key((uint64_t)t->cfg.seed, STREAM_NOISE_MODEL, (uint64_t)t->step, (uint64_t)(s * 64 + l + 1));
    noise_result r;
    gi_err why;
    if (noise_model(m->mu, n, d, m->labels[s], &o, &r, &why))
        return gi_fail(e, "noise model, step %lld, %s subset, layer %d: %s", (long long)t->step, subset_name[s], l + 1, why.msg);
    const mi_estimator est = {.kind = EST_NOISE};
    unsigned flags = mi_flags_pair(&est, r.ixt.value, r.ixt.stderr_, n) | mi_flags_label(&est, r.ity.value, r.ity.stderr_, &m->ls[s]);
    char names[256];
    fprintf(csv, "%lld,%s,%d", (long long)t->step, subset_name[s], l + 1);
    number(csv, r.ixt.value);
    number(csv, r.ixt.stderr_);
    number(csv, r.ity.value);
    number(csv, r.ity.stderr_);
    fprintf(csv, ",%s,0,%d,%.9g,%s", estimator_name(EST_NOISE), d, m->ls[s].entropy, mi_flags_format(flags, names, sizeof names));
    number(csv, r.sigma);
    number(csv, r.kt.ixt_lo);
    number(csv, r.kt.ixt_hi);
    number(csv, r.kt.ity_lo);
    number(csv, r.kt.ity_hi);
    fputc('\n', csv);
    return 0;
}

static int noise_rows(void *ctx, trainer *t, FILE *csv, FILE *redraws, gi_err *e) {
    noise_measurement *m = ctx;
    double t0 = now_s();
    for (int s = 0; s < 2; s++) {
        trainer_layers_clean(t, s, m->clean[s]);
        for (int l = 0; l < t->model.n_layers; l++)
            if (noise_row(m, t, s, l, csv, e)) return -1;
    }
    m->seconds += now_s() - t0;
    return 0;
}

static void noise_add_timing(const void *ctx, run_timing *tm) { tm->noise_model += ((const noise_measurement *)ctx)->seconds; }

static int noise_finish(void *ctx, measurement_end *end, gi_err *e) {
    noise_measurement *m = ctx;
    return mi_report_read(&m->report, end->run_dir, RUN_MI_NOISE, estimator_name(EST_NOISE), &end->ms, &end->rule, e);
}

static void noise_print(const void *ctx, FILE *f) { mi_report_print(&((const noise_measurement *)ctx)->report, f); }
static void noise_summary_json(const void *ctx, FILE *f) {
    mi_report_json(&((const noise_measurement *)ctx)->report, "noise_model", f);
}
static void noise_remeasure_base(const void *ctx, char *out, size_t n) { snprintf(out, n, "mi-noise"); }

const measurement_type measurement_mi_noise = {
    .name = "mi_noise",
    .file = RUN_MI_NOISE,
    .enabled = noise_enabled,
    .create = noise_create,
    .destroy = noise_destroy,
    .header = noise_header,
    .due = NULL, /* every evaluation */
    .rows = noise_rows,
    .add_timing = noise_add_timing,
    .finish = noise_finish,
    .print = noise_print,
    .summary_json = noise_summary_json,
    .remeasure_base = noise_remeasure_base,
};
