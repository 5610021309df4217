#include "report/oinfo_report.h"
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include "report/milestones.h"
#include "report/table.h"
#include "util/atomic_file.h"
#include "util/run_layout.h"
#include "util/json.h"

/* The paper's convention, from its code (github.com/kclauw/grokking-oinformation-icml):
 *   src/utils/transformation.py:20-27  compute_ema: ema[0] = data[0], then alpha*x + (1-alpha)*ema
 *   src/utils/transformation.py:44-51  normalize_column: negate (inverse_data), then min-max
 *                                      (MinMaxScaler), then the EMA with alpha 0.1
 *   src/create_plots.py:479-489        synergy = the per-step idxmin of Ω with inverse_data=True,
 *                                      redundancy = the idxmax with inverse_data=False
 *   src/create_plots.py:451            rows at step 0 dropped first */
void oinfo_ema(const double *x, int n, double alpha, double *out) {
    if (n <= 0) return;
    double s = x[0];
    out[0] = s;
    for (int i = 1; i < n; i++) {
        s = alpha * x[i] + (1 - alpha) * s;
        out[i] = s;
    }
}

void oinfo_minmax(const double *x, int n, double *out) {
    if (n <= 0) return;
    double lo = x[0], hi = x[0];
    for (int i = 1; i < n; i++) { lo = fmin(lo, x[i]); hi = fmax(hi, x[i]); }
    double range = hi - lo;
    for (int i = 0; i < n; i++) out[i] = range > 0 ? (x[i] - lo) / range : 0.0;
}

int oinfo_argmax(const double *x, int n) {
    int k = n > 0 ? 0 : -1;
    for (int i = 1; i < n; i++)
        if (x[i] > x[k]) k = i;
    return k;
}

static int read_milestones(const char *run_dir, oinfo_report *r, gi_err *e) {
    if (path_join(r->metrics_path, sizeof r->metrics_path, run_dir, RUN_METRICS, e)) return -1;
    table t;
    if (table_read(r->metrics_path, NULL, &t, e)) return -1;
    const double *step = table_num(&t, "step", e), *tr = step ? table_num(&t, "train_acc", e) : NULL,
                 *ev = tr ? table_num(&t, "eval_acc", e) : NULL;
    if (!ev) { table_free(&t); return -1; }
    r->n_acc = t.n_rows;
    r->acc_step = gi_malloc((size_t)(t.n_rows + 1) * sizeof(int64_t));
    r->train_acc = gi_malloc((size_t)(t.n_rows + 1) * sizeof(double));
    r->eval_acc = gi_malloc((size_t)(t.n_rows + 1) * sizeof(double));
    for (int i = 0; i < t.n_rows; i++) {
        r->acc_step[i] = (int64_t)step[i];
        r->train_acc[i] = tr[i];
        r->eval_acc[i] = ev[i];
    }
    milestones ms = {.train_threshold = r->train_threshold, .eval_threshold = r->eval_threshold};
    milestones_find(&ms, step, tr, ev, t.n_rows);
    r->memorisation_step = ms.memorisation;
    r->grokking_step = ms.grokking;
    table_free(&t);
    return 0;
}

static void finish_layer(oinfo_layer_curve *c, double alpha) {
    int n = c->n;
    c->synergy = gi_malloc((size_t)(n + 1) * sizeof(double));
    c->redundancy = gi_malloc((size_t)(n + 1) * sizeof(double));
    c->size_smooth = gi_malloc((size_t)(n + 1) * sizeof(double));
    for (int i = 0; i < n; i++) c->synergy[i] = -c->omega_min[i];
    oinfo_minmax(c->synergy, n, c->synergy);
    oinfo_ema(c->synergy, n, alpha, c->synergy);
    oinfo_minmax(c->omega_max, n, c->redundancy);
    oinfo_ema(c->redundancy, n, alpha, c->redundancy);
    oinfo_ema(c->size_min, n, alpha, c->size_smooth);
    int ks = oinfo_argmax(c->synergy, n), kr = oinfo_argmax(c->redundancy, n);
    c->synergy_peak_step = ks >= 0 ? c->step[ks] : -1;
    c->redundancy_peak_step = kr >= 0 ? c->step[kr] : -1;
    c->omega_min_at_peak = ks >= 0 ? c->omega_min[ks] : NAN;
    c->omega_max_at_peak = kr >= 0 ? c->omega_max[kr] : NAN;
}

int oinfo_report_read(const char *run_dir, double train_threshold, double eval_threshold, oinfo_report *r, gi_err *e) {
    return oinfo_report_read_file(run_dir, NULL, train_threshold, eval_threshold, r, e);
}

int oinfo_report_read_file(const char *run_dir, const char *oinfo_path, double train_threshold, double eval_threshold,
                           oinfo_report *r, gi_err *e) {
    *r = (oinfo_report){0};
    r->alpha = OINFO_EMA_ALPHA;
    r->train_threshold = train_threshold;
    r->eval_threshold = eval_threshold;
    r->memorisation_step = r->grokking_step = -1;
    if (oinfo_path) {
        if (strlen(oinfo_path) >= sizeof r->oinfo_path) return gi_fail(e, "%s: path too long", oinfo_path);
        snprintf(r->oinfo_path, sizeof r->oinfo_path, "%s", oinfo_path);
    } else if (path_join(r->oinfo_path, sizeof r->oinfo_path, run_dir, RUN_OINFO, e)) return -1;
    table t;
    if (table_read(r->oinfo_path, "ties", &t, e)) return -1;
    int rc = -1;
    snprintf(r->ties, sizeof r->ties, "index");
    if (table_col(&t, "ties") >= 0 && t.n_rows > 0) {
        char *const *ties = table_text(&t, "ties", e);
        if (!ties) goto done;
        if (strlen(ties[0]) >= sizeof r->ties) { gi_fail(e, "%s:%ld: ties: '%.40s' is too long", t.path, t.line[0], ties[0]); goto done; }
        for (int i = 1; i < t.n_rows; i++)
            if (strcmp(ties[i], ties[0]) != 0) {
                gi_fail(e, "%s:%ld: ties '%.40s', but the first row's is '%s' (one file, one rule)", t.path, t.line[i],
                        ties[i], ties[0]);
                goto done;
            }
        snprintf(r->ties, sizeof r->ties, "%s", ties[0]);
    }
    static const char *const need[] = {"step", "layer", "omega_min", "omega_max", "size_min", "n_live"};
    const double *col[6];
    for (int k = 0; k < 6; k++)
        if (!(col[k] = table_num(&t, need[k], e))) goto done;
    const double *step = col[0], *layer = col[1];
    for (int i = 0; i < t.n_rows; i++) {
        if (table_check_step_layer(&t, i, step, layer, e)) goto done;
        if ((int)layer[i] > r->n_layers) r->n_layers = (int)layer[i];
    }
    if (r->n_layers == 0) { gi_fail(e, "%s: no rows", t.path); goto done; }
    r->layer = gi_calloc((size_t)r->n_layers, sizeof(oinfo_layer_curve));
    for (int l = 1; l <= r->n_layers; l++) {
        oinfo_layer_curve *c = &r->layer[l - 1];
        c->layer = l;
        size_t cap = (size_t)t.n_rows + 1;
        c->step = gi_malloc(cap * sizeof(int64_t));
        c->omega_min = gi_malloc(cap * sizeof(double));
        c->omega_max = gi_malloc(cap * sizeof(double));
        c->size_min = gi_malloc(cap * sizeof(double));
        c->n_live = gi_malloc(cap * sizeof(double));
        for (int i = 0; i < t.n_rows; i++) {
            if ((int)layer[i] != l) continue;
            if (c->n && (int64_t)step[i] <= c->step[c->n - 1]) {
                gi_fail(e, "%s:%ld: step %g of layer %d does not follow step %lld", t.path, t.line[i], step[i], l,
                        (long long)c->step[c->n - 1]);
                goto done;
            }
            /* step 0 out (create_plots.py:451); empty Ω (fewer than two live clusters) out */
            if (step[i] == 0 || !isfinite(col[2][i]) || !isfinite(col[3][i])) continue;
            c->step[c->n] = (int64_t)step[i];
            c->omega_min[c->n] = col[2][i];
            c->omega_max[c->n] = col[3][i];
            c->size_min[c->n] = col[4][i];
            c->n_live[c->n] = col[5][i];
            c->n++;
        }
        finish_layer(c, r->alpha);
    }
    if (read_milestones(run_dir, r, e)) goto done;
    rc = 0;
done:
    table_free(&t);
    if (rc) oinfo_report_free(r);
    return rc;
}

/* " (N before grokking)", " (at grokking)", " (N after grokking)"; nothing without grokking */
static void print_relative(FILE *f, int64_t at, int64_t grok) {
    if (at < 0 || grok < 0) return;
    if (at == grok) fprintf(f, " (at grokking)");
    else fprintf(f, " (%lld %s grokking)", (long long)llabs(at - grok), at < grok ? "before" : "after");
}

void oinfo_report_print(FILE *f, const oinfo_report *r) {
    if (strcmp(r->ties, "index") == 0) fprintf(f, "O-information (%s): ", r->oinfo_path);
    else fprintf(f, "O-information (%s, ties %s): ", r->oinfo_path, r->ties);
    if (r->memorisation_step >= 0) fprintf(f, "memorised (train_acc>=%g) at %lld", r->train_threshold, (long long)r->memorisation_step);
    else fprintf(f, "never memorised (train_acc>=%g)", r->train_threshold);
    if (r->grokking_step >= 0) fprintf(f, ", grokked (eval_acc>=%g) at %lld\n", r->eval_threshold, (long long)r->grokking_step);
    else fprintf(f, ", never grokked (eval_acc>=%g)\n", r->eval_threshold);
    for (int l = 0; l < r->n_layers; l++) {
        const oinfo_layer_curve *c = &r->layer[l];
        fprintf(f, "  layer %d:", c->layer);
        if (c->n == 0) { fprintf(f, " no finite O-information after step 0\n"); continue; }
        fprintf(f, " smoothed synergy peaks at %lld", (long long)c->synergy_peak_step);
        print_relative(f, c->synergy_peak_step, r->grokking_step);
        fprintf(f, ", redundancy at %lld", (long long)c->redundancy_peak_step);
        print_relative(f, c->redundancy_peak_step, r->grokking_step);
        fprintf(f, "; %d points\n", c->n);
    }
}

static void json_step(FILE *f, int64_t v) {
    if (v < 0) fprintf(f, "null");
    else fprintf(f, "%lld", (long long)v);
}

static void write_number(FILE *f, double v) {
    if (isfinite(v)) fprintf(f, "%.9g", v);
    else fprintf(f, "null");
}

void oinfo_report_write_json(FILE *f, const oinfo_report *r, int indent) {
    int a = indent + 2, b = indent + 4;
    fprintf(f, "{\n%*s\"oinfo_csv\": ", a, "");
    json_write_string(f, r->oinfo_path);
    fprintf(f, ",\n%*s\"ties\": ", a, "");
    json_write_string(f, r->ties);
    fprintf(f, ",\n%*s\"curves\": \"synergy = -omega_min, redundancy = omega_max; step 0 left out, min-max normalised "
               "over the run, then EMA-smoothed\",\n%*s\"ema_alpha\": %g,\n%*s\"memorisation_threshold\": %g,\n"
               "%*s\"grokking_threshold\": %g,\n%*s\"memorisation_step\": ",
            a, "", a, "", r->alpha, a, "", r->train_threshold, a, "", r->eval_threshold, a, "");
    json_step(f, r->memorisation_step);
    fprintf(f, ",\n%*s\"grokking_step\": ", a, "");
    json_step(f, r->grokking_step);
    fprintf(f, ",\n%*s\"layers\": [", a, "");
    for (int l = 0; l < r->n_layers; l++) {
        const oinfo_layer_curve *c = &r->layer[l];
        fprintf(f, "%s\n%*s{\"layer\": %d, \"points\": %d, \"synergy_peak_step\": ", l ? "," : "", b, "", c->layer, c->n);
        json_step(f, c->synergy_peak_step);
        fprintf(f, ", \"redundancy_peak_step\": ");
        json_step(f, c->redundancy_peak_step);
        fprintf(f, ", \"omega_min_at_synergy_peak\": ");
        write_number(f, c->omega_min_at_peak);
        fprintf(f, ", \"omega_max_at_redundancy_peak\": ");
        write_number(f, c->omega_max_at_peak);
        fprintf(f, "}");
    }
    if (r->n_layers) fprintf(f, "\n%*s", a, "");
    fprintf(f, "]\n%*s}", indent, "");
}

void oinfo_report_json_extra(FILE *f, void *ctx) {
    fprintf(f, "  \"oinfo\": ");
    oinfo_report_write_json(f, ctx, 2);
    fprintf(f, ",\n");
}

void oinfo_report_free(oinfo_report *r) {
    for (int l = 0; r->layer && l < r->n_layers; l++) {
        oinfo_layer_curve *c = &r->layer[l];
        free(c->step); free(c->omega_min); free(c->omega_max); free(c->size_min); free(c->n_live);
        free(c->synergy); free(c->redundancy); free(c->size_smooth);
    }
    free(r->layer);
    free(r->acc_step); free(r->train_acc); free(r->eval_acc);
    *r = (oinfo_report){0};
}

int oinfo_report_finish(const char *run_dir, double train_threshold, double eval_threshold, int draw, oinfo_report *r,
                        int *drawn, gi_err *plot_err, gi_err *e) {
    *drawn = 0;
    if (oinfo_report_read(run_dir, train_threshold, eval_threshold, r, e)) return -1;
    if (draw) {
        int n = plot_oinfo(run_dir, r, plot_err);
        *drawn = n > 0 ? n : 0;
    }
    return 0;
}
