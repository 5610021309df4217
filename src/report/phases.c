/* phases.c — the phases of a run's information plane: the names, the rule's constants, a run's curves read
 * from its mi.csv-format file (the rule itself is phase_rule.c), printed and written as JSON. */
#include "report/phases.h"
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include "report/table.h"
#include "util/atomic_file.h"
#include "util/run_layout.h"
#include "util/json.h"

static const char *const phase_names[PHASE_KINDS] = {"none", "overfitting", "error_minimisation", "compression"};
static const char phase_letters[PHASE_KINDS] = {'-', 'O', 'E', 'C'};

const char *phase_name(phase_kind k) { return k > PHASE_NONE && k < PHASE_KINDS ? phase_names[k] : phase_names[0]; }
char phase_letter(phase_kind k) { return k > PHASE_NONE && k < PHASE_KINDS ? phase_letters[k] : phase_letters[0]; }

phase_params phase_defaults(void) {
    return (phase_params){.min_step = 30, .min_decades = 0.15, .min_points = 3, .penalty = 1.0, .z = 3.0,
                          .min_change = 0.1, .z_flat = 2.0};
}

phase_params phase_params_of(const gi_config *c) {
    return (phase_params){.min_step = c->phases.min_step, .min_decades = c->phases.min_decades,
                          .min_points = c->phases.min_points, .penalty = c->phases.penalty, .z = c->phases.z,
                          .min_change = c->phases.min_change, .z_flat = c->phases.z_flat};
}

typedef struct { double step; int row; } keyed_row;

static int cmp_keyed(const void *a, const void *b) {
    const keyed_row *x = a, *y = b;
    return (x->step > y->step) - (x->step < y->step);
}

/* the rows of one (subset, layer) curve, sorted by step, into c; 0 rows leaves c->n = 0 */
/* The columns a curve is read from: the estimates and their standard errors, and the redraws'
 * means and spreads where the file has them (NULL or NaN: none). */
typedef struct {
    const double *step, *layer, *ixl, *ixl_err, *ily, *ily_err;
    const double *redraws, *ixl_mean, *ixl_sd, *ily_mean, *ily_sd;
    char *const *subset, *const *est, *const *flags;
    const unsigned char *missing;  /* per row, the caller's: a point to leave out (NULL: none) */
} mi_columns;

/* the point's values and standard errors: the redraws' mean and SE of the mean where present */
static int point_of(const mi_columns *m, int i, double v[2], double se[2]) {
    double r = m->redraws ? m->redraws[i] : NAN;
    if (r >= 1 && m->ixl_mean && isfinite(m->ixl_mean[i]) && isfinite(m->ixl_sd[i]) && isfinite(m->ily_mean[i]) &&
        isfinite(m->ily_sd[i])) {
        double k = sqrt(r + 1.0);
        v[0] = m->ixl_mean[i], v[1] = m->ily_mean[i], se[0] = m->ixl_sd[i] / k, se[1] = m->ily_sd[i] / k;
        return 1;
    }
    v[0] = m->ixl[i], v[1] = m->ily[i], se[0] = m->ixl_err[i], se[1] = m->ily_err[i];
    return 0;
}

static int gather(const table *t, const mi_columns *m, const char *want_est, const char *want_subset, int want_layer,
                  phase_curve *c, gi_err *e) {
    const double *step = m->step, *layer = m->layer, *ixl = m->ixl, *ily = m->ily;
    char *const *subset = m->subset, *const *est = m->est, *const *flags = m->flags;
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
    c->se_ixl = gi_malloc((size_t)(n ? n : 1) * sizeof(double));
    c->se_ily = gi_malloc((size_t)(n ? n : 1) * sizeof(double));
    c->flagged = gi_malloc((size_t)(n ? n : 1));
    c->n_flagged = 0;
    for (int i = 0; i < n; i++) {
        double v[2], se[2];
        c->from_redraws |= point_of(m, k[i].row, v, se);
        c->step[i] = (int64_t)k[i].step;
        c->ixl[i] = v[0], c->ily[i] = v[1], c->se_ixl[i] = se[0], c->se_ily[i] = se[1];
        /* flagged, or no usable standard error: a missing value */
        c->flagged[i] = (flags && flags[k[i].row][0] != '\0') || (m->missing && m->missing[k[i].row]) || !(se[0] >= 0) ||
                        !(se[1] >= 0) || !isfinite(se[0]) ||
                        !isfinite(se[1]) || !isfinite(v[0]) || !isfinite(v[1]);
        c->n_flagged += c->flagged[i];
    }
    free(k);
    return 0;
}

static void curve_free(phase_curve *c) {
    free(c->step); free(c->ixl); free(c->ily); free(c->se_ixl); free(c->se_ily); free(c->flagged); free(c->seg);
    *c = (phase_curve){0};
}

/* The phase rule on the curve's unflagged points (a flagged point is a missing value). */
static int detect_unflagged(phase_curve *c, const phase_params *p, gi_err *e) {
    int m = 0;
    int64_t *step = gi_malloc((size_t)(c->n ? c->n : 1) * sizeof(int64_t));
    double *v = gi_malloc((size_t)(c->n ? c->n : 1) * 4 * sizeof(double));
    double *ixl = v, *ily = v + c->n, *sx = v + 2 * c->n, *sy = v + 3 * c->n;
    c->n_early = 0;
    for (int i = 0; i < c->n; i++) {
        if (c->flagged[i]) continue;
        c->n_early += c->step[i] < p->min_step;
        step[m] = c->step[i], ixl[m] = c->ixl[i], ily[m] = c->ily[i], sx[m] = c->se_ixl[i], sy[m] = c->se_ily[i];
        m++;
    }
    c->seg = gi_malloc((size_t)(m ? m : 1) * sizeof(phase_segment));
    c->n_seg = m ? phases_detect(step, ixl, sx, ily, sy, m, p, c->seg, m, e) : 0;
    /* indices into the curve's own arrays */
    for (int j = 0; j < c->n_seg; j++)
        for (int i = 0; i < c->n; i++) {
            if (c->step[i] == c->seg[j].start) c->seg[j].i0 = i;
            if (c->step[i] == c->seg[j].end) c->seg[j].i1 = i;
        }
    free(step); free(v);
    if (c->n_seg < 0) { c->n_seg = 0; return -1; }
    return 0;
}

int phases_from_run(const char *run_dir, const char *mi_path, const char *estimator, const milestones *ms,
                    const phase_params *p, const unsigned char *missing, phase_report *r, gi_err *e) {
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
    const double *ixl_err = ily ? table_num(&t, "ixl_err", e) : NULL, *ily_err = ixl_err ? table_num(&t, "ily_err", e) : NULL;
    char *const *subset = ily_err ? table_text(&t, "subset", e) : NULL;
    if (!subset) goto done;
    char *const *est = table_col(&t, "estimator") >= 0 ? table_text(&t, "estimator", e) : NULL;
    char *const *flags = table_col(&t, "flags") >= 0 ? table_text(&t, "flags", e) : NULL;
    mi_columns m = {step, layer, ixl, ixl_err, ily, ily_err, NULL, NULL, NULL, NULL, NULL, subset, est, flags, missing};
    if (table_col(&t, "redraws") >= 0 && table_col(&t, "ixl_mean") >= 0 && table_col(&t, "ixl_sd") >= 0 &&
        table_col(&t, "ily_mean") >= 0 && table_col(&t, "ily_sd") >= 0) {
        m.redraws = table_num(&t, "redraws", e);
        m.ixl_mean = table_num(&t, "ixl_mean", e), m.ixl_sd = table_num(&t, "ixl_sd", e);
        m.ily_mean = table_num(&t, "ily_mean", e), m.ily_sd = table_num(&t, "ily_sd", e);
        if (!m.redraws || !m.ixl_mean || !m.ixl_sd || !m.ily_mean || !m.ily_sd) goto done;
    }
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
            if (gather(&t, &m, r->estimator, subsets[s], l, c, e)) goto done;
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
    int redraws = 0, early = 0;
    for (int i = 0; i < r->n_curves; i++) redraws |= r->curve[i].from_redraws, early |= r->curve[i].n_early > 0;
    fprintf(f, "phases (%s, %s; SE from %s%s):", r->estimator, r->mi_path, redraws ? "noise redraws" : "the estimator",
            early ? "; steps before phases.min_step left out" : "");
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
    fprintf(f, ",\n%*s\"rule\": {\"segmentation\": \"optimal partitioning, lines in log10(step), BIC penalty\", "
               "\"min_step\": %lld, \"min_decades\": %g, \"min_points\": %d, \"penalty\": %g, \"z\": %g, "
               "\"min_change\": %g, \"z_flat\": %g},\n%*s\"curves\": [",
            a, "", (long long)p->min_step, p->min_decades, p->min_points, p->penalty, p->z, p->min_change, p->z_flat, a, "");
    for (int i = 0; i < r->n_curves; i++) {
        const phase_curve *cv = &r->curve[i];
        fprintf(f, "%s\n%*s{\"subset\": \"%s\", \"layer\": %d, \"points\": %d, \"flagged\": %d, \"early\": %d, "
                   "\"se\": \"%s\", \"segments\": [", i ? "," : "", b, "", cv->subset, cv->layer, cv->n, cv->n_flagged,
                cv->n_early, cv->from_redraws ? "redraws" : "estimator");
        for (int j = 0; j < cv->n_seg; j++) {
            const phase_segment *s = &cv->seg[j];
            fprintf(f, "%s\n%*s{\"phase\": \"%s\", \"start\": %lld, \"end\": %lld, \"dixl\": %.4f, \"dily\": %.4f, "
                       "\"start_after_memorisation\": ",
                    j ? "," : "", c, "", phase_name(s->kind), (long long)s->start, (long long)s->end, s->dixl, s->dily);
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
