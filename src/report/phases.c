#include "report/phases.h"
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include "report/savgol.h"
#include "report/table.h"
#include "util/atomic_file.h"
#include "util/run_layout.h"
#include "util/json.h"

const char *phase_name(phase_kind k) {
    switch (k) {
    case PHASE_MEMORISATION: return "memorisation";
    case PHASE_FITTING: return "fitting";
    case PHASE_COMPRESSION: return "compression";
    default: return "none";
    }
}

phase_params phase_defaults(void) { return (phase_params){.window = 9, .order = 2, .min_len = 3, .rel_tol = 0.002, .z = 3.0}; }

static int cmp_double(const void *a, const void *b) {
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

static double median(double *v, int n) {
    qsort(v, (size_t)n, sizeof(double), cmp_double);
    return n % 2 ? v[n / 2] : 0.5 * (v[n / 2 - 1] + v[n / 2]);
}

/* -1, 0 or +1 per point: the sign of the smoothed derivative beyond the tolerance (see phases.h) */
static int curve_signs(const double *y, int n, int w, const phase_params *p, signed char *sign, gi_err *e) {
    double *s = gi_malloc((size_t)n * sizeof(double)), *d = gi_malloc((size_t)n * sizeof(double));
    double *r = gi_malloc((size_t)n * sizeof(double)), *wt = gi_malloc((size_t)w * sizeof(double));
    int rc = -1;
    if (savgol(y, n, w, p->order, 0, s, e) || savgol(y, n, w, p->order, 1, d, e)) goto done;
    double lo = s[0], hi = s[0];
    for (int i = 0; i < n; i++) {
        if (s[i] < lo) lo = s[i];
        if (s[i] > hi) hi = s[i];
        r[i] = y[i] - s[i];
    }
    double med = median(r, n);
    for (int i = 0; i < n; i++) r[i] = fabs(y[i] - s[i] - med);
    /* a residual about the smooth has variance sigma^2 (1 - c0), c0 the smoother's centre weight */
    savgol_weights(w, p->order, 0, w / 2, wt);
    double sigma = 1.4826 * median(r, n) / sqrt(fmax(1.0 - wt[w / 2], 1e-12));
    double floor_tol = fmax(p->rel_tol * (hi - lo), 1e-9 * fmax(fabs(lo), fabs(hi))); /* rounding is not a trend */
    /* the derivative's noise is sigma * |weights|, larger within window/2 of the ends where the fit extrapolates */
    int m = w / 2;
    for (int i = 0; i < n; i++) {
        int at = i < m ? i : i >= n - m ? w - (n - i) : m;
        savgol_weights(w, p->order, 1, at, wt);
        double norm = 0.0;
        for (int k = 0; k < w; k++) norm += wt[k] * wt[k];
        double tol = fmax(floor_tol, p->z * sigma * sqrt(norm));
        sign[i] = (signed char)(d[i] > tol ? 1 : d[i] < -tol ? -1 : 0);
    }
    rc = 0;
done:
    free(s); free(d); free(r); free(wt);
    return rc;
}

typedef struct { phase_kind kind; int i0, i1; } run;

/* merges neighbouring runs of one kind; returns the new count */
static int merge_runs(run *rs, int n) {
    int m = 0;
    for (int j = 0; j < n; j++) {
        if (m && rs[m - 1].kind == rs[j].kind) rs[m - 1].i1 = rs[j].i1;
        else rs[m++] = rs[j];
    }
    return m;
}

int phases_detect(const int64_t *step, const double *ixl, const double *ily, int n, const phase_params *p,
                  phase_segment *seg, int max_seg, gi_err *e) {
    if (p->min_len < 1) return gi_fail(e, "phases: min_len %d must be >= 1", p->min_len);
    for (int i = 1; i < n; i++)
        if (step[i] <= step[i - 1]) return gi_fail(e, "phases: steps not increasing (%lld after %lld)", (long long)step[i], (long long)step[i - 1]);
    int w = p->window < n ? p->window : (n % 2 ? n : n - 1);
    if (n <= p->order + 1 || w <= p->order) return 0;
    signed char *sx = gi_malloc((size_t)n), *sy = gi_malloc((size_t)n);
    run *rs = gi_malloc((size_t)n * sizeof(run));
    int count = -1;
    if (curve_signs(ixl, n, w, p, sx, e) || curve_signs(ily, n, w, p, sy, e)) goto done;
    int nr = 0;
    for (int i = 0; i < n; i++) {
        phase_kind k = sx[i] < 0 && sy[i] < 0 ? PHASE_MEMORISATION
                     : sx[i] > 0 && sy[i] > 0 ? PHASE_FITTING
                     : sx[i] < 0             ? PHASE_COMPRESSION
                                             : PHASE_NONE;
        if (nr && rs[nr - 1].kind == k) rs[nr - 1].i1 = i;
        else rs[nr++] = (run){k, i, i};
    }
    /* a short interruption of one phase joins its two sides */
    for (int j = 1; j + 1 < nr; j++)
        if (rs[j].i1 - rs[j].i0 + 1 < p->min_len && rs[j - 1].kind != PHASE_NONE && rs[j - 1].kind == rs[j + 1].kind)
            rs[j].kind = rs[j - 1].kind;
    nr = merge_runs(rs, nr);
    for (int j = 0; j < nr; j++)
        if (rs[j].i1 - rs[j].i0 + 1 < p->min_len) rs[j].kind = PHASE_NONE;
    nr = merge_runs(rs, nr);
    count = 0;
    for (int j = 0; j < nr; j++) {
        if (rs[j].kind == PHASE_NONE) continue;
        if (count < max_seg) seg[count] = (phase_segment){rs[j].kind, rs[j].i0, rs[j].i1, step[rs[j].i0], step[rs[j].i1]};
        count++;
    }
done:
    free(sx); free(sy); free(rs);
    return count;
}

typedef struct { double step; int row; } keyed_row;

static int cmp_keyed(const void *a, const void *b) {
    const keyed_row *x = a, *y = b;
    return (x->step > y->step) - (x->step < y->step);
}

/* the rows of one (subset, layer) curve, sorted by step, into c; 0 rows leaves c->n = 0 */
static int gather(const table *t, const double *step, char *const *subset, const double *layer,
                  const double *ixl, const double *ily, char *const *est, char *const *flags, const char *want_est,
                  const char *want_subset, int want_layer, phase_curve *c, gi_err *e) {
    keyed_row *k = gi_malloc((size_t)(t->n_rows ? t->n_rows : 1) * sizeof(keyed_row));
    int n = 0;
    for (int i = 0; i < t->n_rows; i++) {
        if ((int)layer[i] != want_layer || strcmp(subset[i], want_subset) != 0) continue;
        if (est && strcmp(est[i], want_est) != 0) continue;
        if (!isfinite(ixl[i]) || !isfinite(ily[i])) continue;
        k[n++] = (keyed_row){step[i], i};
    }
    qsort(k, (size_t)n, sizeof(keyed_row), cmp_keyed);
    for (int i = 1; i < n; i++)
        if (k[i].step == k[i - 1].step) {
            gi_fail(e, "%s:%ld: step %.0f appears twice for subset %s layer %d", t->path, t->line[k[i].row], k[i].step,
                    want_subset, want_layer);
            free(k);
            return -1;
        }
    snprintf(c->subset, sizeof c->subset, "%s", want_subset);
    c->layer = want_layer;
    c->n = n;
    c->step = gi_malloc((size_t)(n ? n : 1) * sizeof(int64_t));
    c->ixl = gi_malloc((size_t)(n ? n : 1) * sizeof(double));
    c->ily = gi_malloc((size_t)(n ? n : 1) * sizeof(double));
    c->flagged = gi_malloc((size_t)(n ? n : 1));
    c->n_flagged = 0;
    for (int i = 0; i < n; i++) {
        c->step[i] = (int64_t)k[i].step;
        c->ixl[i] = ixl[k[i].row];
        c->ily[i] = ily[k[i].row];
        c->flagged[i] = flags && flags[k[i].row][0] != '\0';
        c->n_flagged += c->flagged[i];
    }
    free(k);
    return 0;
}

static void curve_free(phase_curve *c) {
    free(c->step); free(c->ixl); free(c->ily); free(c->flagged); free(c->seg);
    *c = (phase_curve){0};
}

/* The phase rule on the curve's unflagged points (a flagged point is a missing value). */
static int detect_unflagged(phase_curve *c, const phase_params *p, gi_err *e) {
    int m = 0;
    int64_t *step = gi_malloc((size_t)c->n * sizeof(int64_t));
    double *ixl = gi_malloc((size_t)c->n * sizeof(double)), *ily = gi_malloc((size_t)c->n * sizeof(double));
    for (int i = 0; i < c->n; i++)
        if (!c->flagged[i]) step[m] = c->step[i], ixl[m] = c->ixl[i], ily[m] = c->ily[i], m++;
    c->seg = gi_malloc((size_t)(m ? m : 1) * sizeof(phase_segment));
    c->n_seg = m ? phases_detect(step, ixl, ily, m, p, c->seg, m, e) : 0;
    free(step); free(ixl); free(ily);
    if (c->n_seg < 0) { c->n_seg = 0; return -1; }
    return 0;
}

int phases_from_run(const char *run_dir, const char *mi_path, const char *estimator, const milestones *ms,
                    const phase_params *p, phase_report *r, gi_err *e) {
    *r = (phase_report){0};
    r->params = p ? *p : phase_defaults();
    if (mi_path) {
        if (strlen(mi_path) >= sizeof r->mi_path) return gi_fail(e, "%s: path too long", mi_path);
        snprintf(r->mi_path, sizeof r->mi_path, "%s", mi_path);
    } else if (path_join(r->mi_path, sizeof r->mi_path, run_dir, RUN_MI, e)) return -1;
    r->memorisation_step = ms->memorisation;
    r->grokking_step = ms->grokking;
    table t;
    if (table_read(r->mi_path, RUN_MI_TEXT_COLUMNS, &t, e)) return -1;
    int rc = -1;
    const double *step = table_num(&t, "step", e), *layer = step ? table_num(&t, "layer", e) : NULL;
    const double *ixl = layer ? table_num(&t, "ixl", e) : NULL, *ily = ixl ? table_num(&t, "ily", e) : NULL;
    char *const *subset = ily ? table_text(&t, "subset", e) : NULL;
    if (!subset) goto done;
    char *const *est = table_col(&t, "estimator") >= 0 ? table_text(&t, "estimator", e) : NULL;
    char *const *flags = table_col(&t, "flags") >= 0 ? table_text(&t, "flags", e) : NULL;
    if (t.n_rows == 0) { gi_fail(e, "%s: no rows", t.path); goto done; }
    snprintf(r->estimator, sizeof r->estimator, "%s", estimator ? estimator : est ? est[0] : "unknown");
    int seen_est = 0;
    for (int i = 0; i < t.n_rows; i++) {
        if (strcmp(subset[i], "train") != 0 && strcmp(subset[i], "eval") != 0) {
            gi_fail(e, "%s:%ld: subset '%s', expected train or eval", t.path, t.line[i], subset[i]);
            goto done;
        }
        if (table_check_step_layer(&t, i, step, layer, e)) goto done;
        if (est && strcmp(est[i], r->estimator) != 0) continue;
        seen_est = 1;
        if ((int)layer[i] > r->n_layers) r->n_layers = (int)layer[i];
    }
    if (!seen_est) { gi_fail(e, "%s: no rows with estimator '%s'", t.path, r->estimator); goto done; }
    r->curve = gi_calloc((size_t)(2 * r->n_layers), sizeof(phase_curve));
    static const char *const subsets[2] = {"eval", "train"};
    for (int s = 0; s < 2; s++)
        for (int l = 1; l <= r->n_layers; l++) {
            phase_curve *c = &r->curve[r->n_curves];
            if (gather(&t, step, subset, layer, ixl, ily, est, flags, r->estimator, subsets[s], l, c, e)) goto done;
            r->n_curves++;
            if (c->n == 0) { curve_free(c); r->n_curves--; continue; }
            if (detect_unflagged(c, &r->params, e)) goto done;
        }
    rc = 0;
done:
    table_free(&t);
    if (rc) phases_free(r);
    return rc;
}

/* " (N after grokking)" or " (N after memorisation)": the latest milestone at or before the step */
static void print_relative(FILE *f, int64_t at, const phase_report *r) {
    int64_t m = r->grokking_step >= 0 && at >= r->grokking_step ? r->grokking_step
              : r->memorisation_step >= 0 && at >= r->memorisation_step ? r->memorisation_step : -1;
    const char *name = m == r->grokking_step ? "grokking" : "memorisation";
    if (m < 0) return;
    if (at == m) fprintf(f, " (at %s)", name);
    else fprintf(f, " (%lld after %s)", (long long)(at - m), name);
}

void phases_print(FILE *f, const phase_report *r) {
    fprintf(f, "phases (%s, %s):", r->estimator, r->mi_path);
    if (r->memorisation_step >= 0) fprintf(f, " memorised at %lld", (long long)r->memorisation_step);
    else fprintf(f, " never memorised");
    if (r->grokking_step >= 0) fprintf(f, ", grokked at %lld\n", (long long)r->grokking_step);
    else fprintf(f, ", never grokked\n");
    for (int i = 0; i < r->n_curves; i++) {
        const phase_curve *c = &r->curve[i];
        fprintf(f, "  %-5s layer %d:", c->subset, c->layer);
        if (c->n_seg == 0) fprintf(f, " no phase");
        for (int j = 0; j < c->n_seg; j++) {
            const phase_segment *s = &c->seg[j];
            fprintf(f, "%s %s %lld-%lld", j ? ";" : "", phase_name(s->kind), (long long)s->start, (long long)s->end);
            print_relative(f, s->start, r);
        }
        fputc('\n', f);
    }
}

static void json_opt(FILE *f, int64_t v, int64_t milestone) {
    if (milestone < 0) fprintf(f, "null");
    else fprintf(f, "%lld", (long long)(v - milestone));
}

void phases_write_json(FILE *f, const phase_report *r, int indent) {
    int a = indent + 2, b = indent + 4, c = indent + 6;
    fprintf(f, "{\n%*s\"mi_csv\": ", a, "");
    json_write_string(f, r->mi_path);
    fprintf(f, ",\n%*s\"estimator\": ", a, "");
    json_write_string(f, r->estimator);
    fprintf(f, ",\n%*s\"memorisation_step\": ", a, "");
    if (r->memorisation_step >= 0) fprintf(f, "%lld", (long long)r->memorisation_step); else fprintf(f, "null");
    fprintf(f, ",\n%*s\"grokking_step\": ", a, "");
    if (r->grokking_step >= 0) fprintf(f, "%lld", (long long)r->grokking_step); else fprintf(f, "null");
    const phase_params *p = &r->params;
    fprintf(f, ",\n%*s\"rule\": {\"smoothing\": \"savitzky-golay over evaluation index\", \"window\": %d, \"order\": %d, "
               "\"rel_tol\": %g, \"z\": %g, \"min_len\": %d},\n%*s\"curves\": [",
            a, "", p->window, p->order, p->rel_tol, p->z, p->min_len, a, "");
    for (int i = 0; i < r->n_curves; i++) {
        const phase_curve *cv = &r->curve[i];
        fprintf(f, "%s\n%*s{\"subset\": \"%s\", \"layer\": %d, \"points\": %d, \"segments\": [", i ? "," : "", b, "",
                cv->subset, cv->layer, cv->n);
        for (int j = 0; j < cv->n_seg; j++) {
            const phase_segment *s = &cv->seg[j];
            fprintf(f, "%s\n%*s{\"phase\": \"%s\", \"start\": %lld, \"end\": %lld, \"start_after_memorisation\": ",
                    j ? "," : "", c, "", phase_name(s->kind), (long long)s->start, (long long)s->end);
            json_opt(f, s->start, r->memorisation_step);
            fprintf(f, ", \"start_after_grokking\": ");
            json_opt(f, s->start, r->grokking_step);
            fprintf(f, ", \"end_after_grokking\": ");
            json_opt(f, s->end, r->grokking_step);
            fprintf(f, "}");
        }
        fprintf(f, cv->n_seg ? "\n%*s]}" : "]}", b, "");
    }
    if (r->n_curves) fprintf(f, "\n%*s", a, "");
    fprintf(f, "]\n%*s}", indent, "");
}

void phases_free(phase_report *r) {
    for (int i = 0; i < r->n_curves; i++) curve_free(&r->curve[i]);
    free(r->curve);
    *r = (phase_report){0};
}
