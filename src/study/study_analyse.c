/* study_analyse.c — a study's groups read back from their runs: phases, validity, consensus,
 * bands, the O-information peaks (the files are described in study.h). */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "study/study_data.h"
#include "study/study_runs.h"
#include "util/atomic_file.h"
#include "util/clock.h"

/* O-information file names (char[64]) in the order of their numbers */
static int cmp_oinfo_names(const void *a, const void *b) {
    int x = study_oinfo_number(a), y = study_oinfo_number(b);
    return (x > y) - (x < y);
}

/* ---- numbers and CSV fields ---- */

static void put_num(FILE *f, double v) {
    if (isfinite(v)) fprintf(f, ",%.9g", v);
    else fputc(',', f);
}

/* a log10 step as a step, rounded */
static void put_step_of(FILE *f, double x) {
    if (isfinite(x)) fprintf(f, ",%.0f", floor(pow(10.0, x) + 0.5));
    else fputc(',', f);
}

static void band_free(study_band *b) {
    free(b->step); free(b->q); free(b->seeds);
    memset(b, 0, sizeof *b);
}

/* whether step is among the n sorted steps */
static int has_step(const int64_t *steps, int n, int64_t step) {
    int lo = 0, hi = n - 1;
    while (lo <= hi) {
        int mid = (lo + hi) / 2;
        if (steps[mid] == step) return 1;
        if (steps[mid] < step) lo = mid + 1; else hi = mid - 1;
    }
    return 0;
}

/* The band of m series (steps sorted, values, validity NULL = all valid): the steps every series
 * has, the quartiles of the valid values there. */
static void make_band(int m, const int64_t *const *steps, const int *n, const double *const *v, const unsigned char *const *ok,
                      study_band *b) {
    memset(b, 0, sizeof *b);
    if (m == 0) return;
    b->step = gi_malloc((size_t)(n[0] + 1) * sizeof(int64_t));
    b->q = gi_malloc((size_t)(3 * n[0] + 3) * sizeof(double));
    b->seeds = gi_malloc((size_t)(n[0] + 1) * sizeof(int));
    double *vals = gi_malloc((size_t)m * sizeof(double));
    int *at = gi_calloc((size_t)m, sizeof(int));
    for (int i = 0; i < n[0]; i++) {
        int64_t st = steps[0][i];
        int common = 1;
        for (int j = 1; j < m && common; j++) common = has_step(steps[j], n[j], st);
        if (!common) continue;
        int k = 0;
        for (int j = 0; j < m; j++) {
            while (at[j] < n[j] && steps[j][at[j]] < st) at[j]++;
            int p = at[j];
            if (p < n[j] && steps[j][p] == st && (!ok || !ok[j] || ok[j][p]) && isfinite(v[j][p])) vals[k++] = v[j][p];
        }
        b->step[b->n] = st;
        b->seeds[b->n] = k;
        study_quartiles(vals, k, &b->q[3 * b->n]);
        b->n++;
    }
    free(vals);
    free(at);
}

static void put_band_rows(FILE *f, const char *quantity, const char *estimator, const char *subset, int layer, const study_band *b) {
    for (int i = 0; i < b->n; i++) {
        fprintf(f, "%s,%s,%s,", quantity, estimator, subset);
        if (layer > 0) fprintf(f, "%d", layer);
        fprintf(f, ",%lld,%d", (long long)b->step[i], b->seeds[i]);
        put_num(f, b->q[3 * i + 1]);
        put_num(f, b->q[3 * i]);
        put_num(f, b->q[3 * i + 2]);
        fputc('\n', f);
    }
}

/* ---- a group ---- */

typedef struct {
    const study_spec *spec;
    const char *out_dir;
    const gi_sink *log;
    int figures;
} analyse_ctx;

/* the curve of (subset, layer) in an MI file, or NULL */
static const mi_curve *curve_of(const mi_file *f, const char *subset, int layer) {
    for (int i = 0; f->present && i < f->n_curves; i++)
        if (f->curve[i].layer == layer && !strcmp(f->curve[i].subset, subset)) return &f->curve[i];
    return NULL;
}

static int curve_valid(const mi_curve *c) { return c && c->n > 0 && 2 * c->n_valid >= c->n; }

static int open_csv(atomic_file *af, const char *dir, const char *name, const char *header, gi_err *e) {
    char path[GI_PATH];
    if (path_join(path, sizeof path, dir, name, e) || atomic_open(af, path, e)) return -1;
    fputs(header, af->f);
    return 0;
}


static int analyse_group(const analyse_ctx *ctx, const study_group *grp, study_result *res, study_group_result *gr, gi_err *e) {
    snprintf(gr->name, sizeof gr->name, "%s", grp->name);
    gr->seeds = grp->n;
    char base[GI_PATH];
    if (path_join(base, sizeof base, ctx->out_dir, STUDY_DIR, e) || path_join(gr->dir, sizeof gr->dir, base, grp->name, e) ||
        make_dirs(gr->dir, e))
        return -1;
    study_run *all = gi_calloc((size_t)grp->n, sizeof(study_run));
    study_run **run = gi_calloc((size_t)grp->n, sizeof(study_run *));   /* the finished ones */
    study_group_data gd = {.res = gr};
    int rc = -1, n = 0, est_file[STUDY_MAX_ESTIMATORS];
    mi_file_list files;
    if (study_mi_files(ctx->spec, grp, ctx->out_dir, &files, e)) goto done;
    for (int i = 0; i < grp->n; i++) {
        if (study_read_run(ctx->spec, grp->point[i], ctx->out_dir, &files, ctx->log, res, &all[i], e)) goto done;
        if (all[i].finished) run[n++] = &all[i];
    }
    gr->finished = n;
    /* the estimators: the MI files some run has, named by the estimator column of the first run
     * that has the file, with "(file)" added to a name that two files share */
    char raw[STUDY_MAX_ESTIMATORS][32];
    for (int k = 0; k < files.n; k++)
        for (int i = 0; i < n; i++)
            if (run[i]->mi[k].present) {
                est_file[gr->n_estimators] = k;
                snprintf(raw[gr->n_estimators++], sizeof raw[0], "%s", run[i]->mi[k].estimator);
                break;
            }
    for (int a = 0; a < gr->n_estimators; a++) {
        int shared = 0;
        for (int b = 0; b < gr->n_estimators; b++) shared |= a != b && !strcmp(raw[a], raw[b]);
        const char *file = files.name[est_file[a]];
        if (shared) snprintf(gr->estimator[a], sizeof gr->estimator[a], "%s(%.*s)", raw[a], (int)strcspn(file, "."), file);
        else snprintf(gr->estimator[a], sizeof gr->estimator[a], "%s", raw[a]);
    }
    /* the curves: eval layers, then train layers, up to the deepest any file has */
    int max_layer = 0;
    for (int i = 0; i < n; i++)
        for (int a = 0; a < gr->n_estimators; a++) {
            const mi_file *f = &run[i]->mi[est_file[a]];
            for (int c = 0; f->present && c < f->n_curves; c++)
                if (f->curve[c].layer > max_layer) max_layer = f->curve[c].layer;
        }
    gd.key = gi_calloc((size_t)(2 * max_layer + 1), sizeof(study_curve_key));
    for (int s = 0; s < 2; s++)
        for (int l = 1; l <= max_layer; l++) {
            int any = 0;
            for (int i = 0; i < n && !any; i++)
                for (int a = 0; a < gr->n_estimators && !any; a++) any = curve_of(&run[i]->mi[est_file[a]], study_subset_order[s], l) != NULL;
            if (!any) continue;
            snprintf(gd.key[gd.n_keys].subset, sizeof gd.key[0].subset, "%s", study_subset_order[s]);
            gd.key[gd.n_keys++].layer = l;
        }

    /* phases.csv and validity.csv */
    atomic_file af;
    if (open_csv(&af, gr->dir, "phases.csv", "seed,estimator,subset,layer,phase,start,end\n", e)) goto done;
    for (int i = 0; i < n; i++)
        for (int a = 0; a < gr->n_estimators; a++)
            for (int k = 0; k < gd.n_keys; k++) {
                const mi_curve *c = curve_of(&run[i]->mi[est_file[a]], gd.key[k].subset, gd.key[k].layer);
                for (int j = 0; c && j < c->n_seg; j++)
                    fprintf(af.f, "%lld,%s,%s,%d,%s,%lld,%lld\n", run[i]->seed, gr->estimator[a], c->subset, c->layer,
                            phase_name(c->seg[j].kind), (long long)c->seg[j].start, (long long)c->seg[j].end);
            }
    if (atomic_commit(&af, e)) goto done;
    if (open_csv(&af, gr->dir, "validity.csv", "seed,estimator,subset,layer,points,valid_points,valid,outside_regime\n", e))
        goto done;
    for (int i = 0; i < n; i++)
        for (int a = 0; a < gr->n_estimators; a++)
            for (int k = 0; k < gd.n_keys; k++) {
                const mi_curve *c = curve_of(&run[i]->mi[est_file[a]], gd.key[k].subset, gd.key[k].layer);
                if (c)
                    fprintf(af.f, "%lld,%s,%s,%d,%d,%d,%d,%d\n", run[i]->seed, gr->estimator[a], c->subset, c->layer, c->n,
                            c->n_valid, curve_valid(c), c->n_regime_out);
            }
    if (atomic_commit(&af, e)) goto done;

    /* consensus.csv: per curve, the clusters of the valid pairs' segments */
    if (open_csv(&af, gr->dir, "consensus.csv",
                 "subset,layer,phase,segments,seeds,seed_fraction,estimators,estimator_fraction,estimator_names,"
                 "start_log10_median,start_log10_iqr,start_log10_q25,start_log10_q75,end_log10_median,end_log10_iqr,"
                 "end_log10_q25,end_log10_q75,start_step,start_step_q25,start_step_q75,end_step,end_step_q25,end_step_q75,"
                 "consensus\n",
                 e))
        goto done;
    for (int k = 0; k < gd.n_keys; k++) {
        int n_seg = 0, valid_est = 0;
        for (int a = 0; a < gr->n_estimators; a++) {
            int any = 0;
            for (int i = 0; i < n; i++) {
                const mi_curve *c = curve_of(&run[i]->mi[est_file[a]], gd.key[k].subset, gd.key[k].layer);
                if (curve_valid(c)) { any = 1; n_seg += c->n_seg; }
            }
            valid_est += any;
        }
        study_segment *seg = gi_malloc((size_t)(n_seg + 1) * sizeof *seg);
        n_seg = 0;
        for (int i = 0; i < n; i++)
            for (int a = 0; a < gr->n_estimators; a++) {
                const mi_curve *c = curve_of(&run[i]->mi[est_file[a]], gd.key[k].subset, gd.key[k].layer);
                if (!curve_valid(c)) continue;
                for (int j = 0; j < c->n_seg; j++)
                    seg[n_seg++] = (study_segment){i, a, c->seg[j].kind, study_log_step(c->seg[j].start), study_log_step(c->seg[j].end)};
            }
        study_cluster *cl;
        int n_cl = study_cluster_segments(seg, n_seg, n, valid_est, &cl);
        free(seg);
        gr->row = gi_realloc(gr->row, (size_t)(gr->n_rows + n_cl + 1) * sizeof *gr->row);
        for (int j = 0; j < n_cl; j++) {
            study_consensus_row *row = &gr->row[gr->n_rows++];
            memset(row, 0, sizeof *row);
            snprintf(row->subset, sizeof row->subset, "%s", gd.key[k].subset);
            row->layer = gd.key[k].layer;
            row->c = cl[j];
            for (int a = 0; a < gr->n_estimators; a++)
                if (cl[j].estimators >> a & 1u)
                    snprintf(row->estimators + strlen(row->estimators), sizeof row->estimators - strlen(row->estimators), "%s%s",
                             row->estimators[0] ? "+" : "", gr->estimator[a]);
            const study_cluster *c = &cl[j];
            fprintf(af.f, "%s,%d,%s,%d,%d", row->subset, row->layer, phase_name(c->kind), c->n_segments, c->n_seeds);
            put_num(af.f, c->seed_fraction);
            fprintf(af.f, ",%d", c->n_estimators);
            put_num(af.f, c->estimator_fraction);
            fprintf(af.f, ",%s", row->estimators);
            const double *q[2] = {c->start, c->end};
            for (int b = 0; b < 2; b++) {
                put_num(af.f, q[b][1]);
                put_num(af.f, q[b][2] - q[b][0]);
                put_num(af.f, q[b][0]);
                put_num(af.f, q[b][2]);
            }
            for (int b = 0; b < 2; b++) { put_step_of(af.f, q[b][1]); put_step_of(af.f, q[b][0]); put_step_of(af.f, q[b][2]); }
            fprintf(af.f, ",%d\n", c->consensus);
        }
        free(cl);
    }
    if (atomic_commit(&af, e)) goto done;

    /* bands.csv: accuracy, then I(X;L) and I(L;Y) per estimator and curve */
    {
        const int64_t **steps = gi_calloc((size_t)n + 1, sizeof *steps);
        const double **v = gi_calloc((size_t)n + 1, sizeof *v);
        const unsigned char **ok = gi_calloc((size_t)n + 1, sizeof *ok);
        int *len = gi_calloc((size_t)n + 1, sizeof *len);
        int64_t **acc_steps = gi_calloc((size_t)n + 1, sizeof *acc_steps);
        static const char *const acc_col[2] = {"train_acc", "eval_acc"};
        for (int i = 0; i < n; i++) {
            const table *t = &run[i]->metrics;
            const double *st = t->num[table_col(t, "step")];
            acc_steps[i] = gi_malloc((size_t)(t->n_rows + 1) * sizeof(int64_t));
            for (int r = 0; r < t->n_rows; r++) acc_steps[i][r] = (int64_t)st[r];
            steps[i] = acc_steps[i];
            len[i] = t->n_rows;
        }
        for (int s = 0; s < 2; s++) {
            for (int i = 0; i < n; i++) v[i] = run[i]->metrics.num[table_col(&run[i]->metrics, acc_col[s])];
            make_band(n, steps, len, v, NULL, &gd.acc[s]);
        }
        for (int i = 0; i < n; i++) free(acc_steps[i]);
        free(acc_steps);
        gd.ixl = gi_calloc((size_t)(gr->n_estimators * gd.n_keys + 1), sizeof(study_band));
        gd.ily = gi_calloc((size_t)(gr->n_estimators * gd.n_keys + 1), sizeof(study_band));
        for (int a = 0; a < gr->n_estimators; a++)
            for (int k = 0; k < gd.n_keys; k++) {
                int m = 0;
                const mi_curve **cs = gi_malloc((size_t)(n + 1) * sizeof *cs);
                for (int i = 0; i < n; i++) {
                    const mi_curve *c = curve_of(&run[i]->mi[est_file[a]], gd.key[k].subset, gd.key[k].layer);
                    if (c) cs[m++] = c;
                }
                for (int j = 0; j < m; j++) { steps[j] = cs[j]->step; len[j] = cs[j]->n; ok[j] = cs[j]->valid; v[j] = cs[j]->ixl; }
                make_band(m, steps, len, v, ok, &gd.ixl[a * gd.n_keys + k]);
                for (int j = 0; j < m; j++) v[j] = cs[j]->ily;
                make_band(m, steps, len, v, ok, &gd.ily[a * gd.n_keys + k]);
                free(cs);
            }
        free(steps); free(v); free(ok); free(len);
    }
    if (open_csv(&af, gr->dir, "bands.csv", "quantity,estimator,subset,layer,step,seeds,median,q25,q75\n", e)) goto done;
    put_band_rows(af.f, "acc", "", "train", 0, &gd.acc[0]);
    put_band_rows(af.f, "acc", "", "eval", 0, &gd.acc[1]);
    for (int q = 0; q < 2; q++)
        for (int a = 0; a < gr->n_estimators; a++)
            for (int k = 0; k < gd.n_keys; k++)
                put_band_rows(af.f, q ? "ily" : "ixl", gr->estimator[a], gd.key[k].subset, gd.key[k].layer,
                              q ? &gd.ily[a * gd.n_keys + k] : &gd.ixl[a * gd.n_keys + k]);
    if (atomic_commit(&af, e)) goto done;

    /* O-information: peak_vs_grokking.csv and bands_oinfo.csv */
    gd.grok = gi_malloc((size_t)(n + 1) * sizeof(int64_t));
    for (int i = 0; i < n; i++) gd.grok[gd.n_grok++] = run[i]->grokking;
    if (open_csv(&af, gr->dir, "peak_vs_grokking.csv", "seed,file,layer,peak_step,grokking_step,peak_before_grokking\n", e)) goto done;
    for (int i = 0; i < n; i++)
        for (int f = 0; f < run[i]->n_oinfo; f++) {
            const oinfo_report *o = &run[i]->oinfo[f].rep;
            for (int l = 0; l < o->n_layers; l++) {
                int64_t peak = o->layer[l].synergy_peak_step, g = run[i]->grokking;
                fprintf(af.f, "%lld,%s,%d,", run[i]->seed, run[i]->oinfo[f].name, o->layer[l].layer);
                if (peak >= 0) fprintf(af.f, "%lld", (long long)peak);
                fputc(',', af.f);
                if (g >= 0) fprintf(af.f, "%lld", (long long)g);
                fputc(',', af.f);
                if (peak >= 0 && g >= 0) fprintf(af.f, "%d", peak < g);
                fputc('\n', af.f);
            }
            /* the file names of the group, in order of their numbers */
            int known = 0;
            for (int j = 0; j < gd.n_oinfo_files && !known; j++) known = !strcmp(gd.oinfo_file[j], run[i]->oinfo[f].name);
            if (!known) {
                gd.oinfo_file = gi_realloc(gd.oinfo_file, (size_t)(gd.n_oinfo_files + 1) * sizeof *gd.oinfo_file);
                snprintf(gd.oinfo_file[gd.n_oinfo_files++], sizeof gd.oinfo_file[0], "%s", run[i]->oinfo[f].name);
            }
            if (o->n_layers > gd.n_oinfo_layers) gd.n_oinfo_layers = o->n_layers;
        }
    if (atomic_commit(&af, e)) goto done;
    qsort(gd.oinfo_file, (size_t)gd.n_oinfo_files, sizeof *gd.oinfo_file, cmp_oinfo_names);
    gd.syn = gi_calloc((size_t)(gd.n_oinfo_files * gd.n_oinfo_layers + 1), sizeof(study_band));
    gd.red = gi_calloc((size_t)(gd.n_oinfo_files * gd.n_oinfo_layers + 1), sizeof(study_band));
    {
        const int64_t **steps = gi_calloc((size_t)n + 1, sizeof *steps);
        const double **sv = gi_calloc((size_t)n + 1, sizeof *sv), **rv = gi_calloc((size_t)n + 1, sizeof *rv);
        int *len = gi_calloc((size_t)n + 1, sizeof *len);
        for (int f = 0; f < gd.n_oinfo_files; f++)
            for (int l = 1; l <= gd.n_oinfo_layers; l++) {
                int m = 0;
                for (int i = 0; i < n; i++)
                    for (int k = 0; k < run[i]->n_oinfo; k++) {
                        const oinfo_report *o = &run[i]->oinfo[k].rep;
                        if (strcmp(run[i]->oinfo[k].name, gd.oinfo_file[f]) || l > o->n_layers || o->layer[l - 1].n == 0) continue;
                        steps[m] = o->layer[l - 1].step;
                        len[m] = o->layer[l - 1].n;
                        sv[m] = o->layer[l - 1].synergy;
                        rv[m++] = o->layer[l - 1].redundancy;
                    }
                make_band(m, steps, len, sv, NULL, &gd.syn[f * gd.n_oinfo_layers + l - 1]);
                make_band(m, steps, len, rv, NULL, &gd.red[f * gd.n_oinfo_layers + l - 1]);
            }
        free(steps); free(sv); free(rv); free(len);
    }
    if (open_csv(&af, gr->dir, "bands_oinfo.csv", "quantity,file,layer,step,seeds,median,q25,q75\n", e)) goto done;
    for (int q = 0; q < 2; q++)
        for (int f = 0; f < gd.n_oinfo_files; f++)
            for (int l = 1; l <= gd.n_oinfo_layers; l++) {
                const study_band *b = q ? &gd.red[f * gd.n_oinfo_layers + l - 1] : &gd.syn[f * gd.n_oinfo_layers + l - 1];
                for (int i = 0; i < b->n; i++) {
                    fprintf(af.f, "%s,%s,%d,%lld,%d", q ? "redundancy" : "synergy", gd.oinfo_file[f], l, (long long)b->step[i], b->seeds[i]);
                    put_num(af.f, b->q[3 * i + 1]);
                    put_num(af.f, b->q[3 * i]);
                    put_num(af.f, b->q[3 * i + 2]);
                    fputc('\n', af.f);
                }
            }
    if (atomic_commit(&af, e)) goto done;

    double t0 = now_s();
    if (ctx->figures && n > 0) {
        gi_err pe;
        int drawn = study_plot_group(&gd, &pe);
        if (drawn < 0) snprintf(gr->figure_note, sizeof gr->figure_note, "%.250s", pe.msg);
        else gr->n_figures = drawn;
    }
    res->seconds_figures += now_s() - t0;
    rc = 0;
done:
    for (int i = 0; i < grp->n; i++) study_run_free(&all[i]);
    free(all);
    free(run);
    for (int j = 0; gd.ixl && j < gr->n_estimators * gd.n_keys; j++) { band_free(&gd.ixl[j]); band_free(&gd.ily[j]); }
    for (int j = 0; gd.syn && j < gd.n_oinfo_files * gd.n_oinfo_layers; j++) { band_free(&gd.syn[j]); band_free(&gd.red[j]); }
    band_free(&gd.acc[0]);
    band_free(&gd.acc[1]);
    free(gd.ixl); free(gd.ily); free(gd.syn); free(gd.red); free(gd.key); free(gd.oinfo_file); free(gd.grok);
    return rc;
}

int study_analyse(const study_spec *s, const char *out_dir, int figures, const gi_sink *log, study_result *r, gi_err *e) {
    memset(r, 0, sizeof *r);
    double t0 = now_s();
    analyse_ctx ctx = {s, out_dir, log, figures};
    r->group = gi_calloc((size_t)s->n_groups, sizeof *r->group);
    for (int g = 0; g < s->n_groups; g++) {
        r->n_groups = g + 1;
        if (analyse_group(&ctx, &s->group[g], r, &r->group[g], e)) return -1;
    }
    r->seconds_analysis = now_s() - t0 - r->seconds_figures;
    return 0;
}

void study_result_free(study_result *r) {
    for (int g = 0; g < r->n_groups; g++) free(r->group[g].row);
    free(r->group);
    memset(r, 0, sizeof *r);
}

/* "4000 [3000-5000]": the median step and the IQR's ends */
static void format_span(const double q[3], char *out, size_t n) {
    snprintf(out, n, "%.0f [%.0f-%.0f]", floor(pow(10.0, q[1]) + 0.5), floor(pow(10.0, q[0]) + 0.5), floor(pow(10.0, q[2]) + 0.5));
}

void study_print_consensus(FILE *f, const study_result *r) {
    for (int g = 0; g < r->n_groups; g++) {
        const study_group_result *gr = &r->group[g];
        fprintf(f, "%s: %d of %d seeds finished; estimators", gr->name, gr->finished, gr->seeds);
        for (int a = 0; a < gr->n_estimators; a++) fprintf(f, "%s %s", a ? "," : "", gr->estimator[a]);
        if (gr->n_estimators == 0) fprintf(f, " none (no MI files)");
        fprintf(f, "\n");
        if (gr->n_rows == 0) { fprintf(f, "  no phase clusters\n"); continue; }
        fprintf(f, "  %-6s %5s  %-20s %6s  %-24s %-26s %-26s %s\n", "subset", "layer", "phase", "seeds", "estimators",
                "start step: median [IQR]", "end step: median [IQR]", "consensus");
        for (int i = 0; i < gr->n_rows; i++) {
            const study_consensus_row *row = &gr->row[i];
            char seeds[32], est[64], start[64], end[64];
            snprintf(seeds, sizeof seeds, "%d/%d", row->c.n_seeds, gr->finished);
            snprintf(est, sizeof est, "%d %.50s", row->c.n_estimators, row->estimators);
            format_span(row->c.start, start, sizeof start);
            format_span(row->c.end, end, sizeof end);
            fprintf(f, "  %-6s %5d  %-20s %6s  %-24s %-26s %-26s %s\n", row->subset, row->layer, phase_name(row->c.kind), seeds, est, start,
                    end, row->c.consensus ? "yes" : "no");
        }
    }
}
