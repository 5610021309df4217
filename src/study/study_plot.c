/* study_plot.c — a study group's figures in OUT/study/<group>/figures/ (PNG and PDF, each beside
 * its gnuplot script and data, as report/plot.h draws a run's):
 *   infoplane  I(L;Y) against I(X;L), top row the eval subset, bottom row train, a column per
 *              layer: per estimator the median trajectory over the seeds (a line in step order,
 *              the first step circled) and at each step the IQR of both as a shaded box
 *   accuracy   train and eval accuracy against log step, median and IQR band over the seeds, a
 *              panel per curve (subset, layer) with that curve's consensus phases: the median
 *              start (solid) and end (dashed) as lines, their IQRs as shaded spans, each labelled
 *              with its phase's name; the median grokking step dashed in black
 *   oinfo      synergy and redundancy (normalised, smoothed, as report/oinfo_report.h) median and
 *              IQR band over the seeds, a row per O-information file and a column per layer,
 *              each seed's grokking step as a grey dashed line
 * Log-step axes drop step 0. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "report/phases.h"
#include "report/plot.h"
#include "study/study_data.h"
#include "util/atomic_file.h"

static const char *const est_colour[STUDY_MAX_ESTIMATORS] = {"#1f77b4", "#555555", "#d62728", "#2ca02c",
                                                             "#9467bd", "#ff7f0e", "#8c564b", "#17becf"};
/* by phase_kind, whatever the phases are called */
static const char *const phase_colour[] = {"#999999", "#d62728", "#2ca02c", "#1f77b4", "#9467bd", "#ff7f0e"};
#define N_PHASE_COLOURS ((int)(sizeof phase_colour / sizeof *phase_colour))
#define SYN_COLOUR "#d62728"
#define RED_COLOUR "#1f77b4"

static void put(FILE *f, double v) {
    if (isfinite(v)) fprintf(f, " %.9g", v);
    else fprintf(f, " NaN");
}

static int max_layer(const study_group_data *g) {
    int m = 0;
    for (int k = 0; k < g->n_keys; k++) m = g->key[k].layer > m ? g->key[k].layer : m;
    return m;
}

static int key_of(const study_group_data *g, const char *subset, int layer) {
    for (int k = 0; k < g->n_keys; k++)
        if (g->key[k].layer == layer && !strcmp(g->key[k].subset, subset)) return k;
    return -1;
}

/* ---- infoplane ---- */

static int write_infoplane(const char *fig_dir, const study_group_data *g, const char *title, gi_err *e) {
    const study_group_result *r = g->res;
    char path[GI_PATH];
    atomic_file af;
    if (path_join(path, sizeof path, fig_dir, "infoplane.dat", e) || atomic_open(&af, path, e)) return -1;
    fprintf(af.f, "# median and quartiles over the seeds of the valid values (bands.csv); one block per estimator and curve\n");
    for (int a = 0; a < r->n_estimators; a++)
        for (int k = 0; k < g->n_keys; k++) {
            const study_band *x = &g->ixl[a * g->n_keys + k], *y = &g->ily[a * g->n_keys + k];
            fprintf(af.f, "%s# index %d: estimator %s, subset %s, layer %d\n# step ixl_q25 ixl_median ixl_q75 ily_q25 ily_median ily_q75\n",
                    a || k ? "\n\n" : "", a * g->n_keys + k, r->estimator[a], g->key[k].subset, g->key[k].layer);
            int rows = 0;
            for (int i = 0; i < x->n && i < y->n; i++) {
                if (!isfinite(x->q[3 * i + 1]) || !isfinite(y->q[3 * i + 1])) continue;
                fprintf(af.f, "%lld", (long long)x->step[i]);
                for (int c = 0; c < 3; c++) put(af.f, x->q[3 * i + c]);
                for (int c = 0; c < 3; c++) put(af.f, y->q[3 * i + c]);
                fputc('\n', af.f);
                rows++;
            }
            /* an empty block would end the file for gnuplot's `index` */
            if (!rows) fprintf(af.f, "0 NaN NaN NaN NaN NaN NaN\n");
        }
    if (atomic_commit(&af, e)) return -1;
    int L = max_layer(g);
    if (path_join(path, sizeof path, fig_dir, "infoplane.gp", e) || atomic_open(&af, path, e)) return -1;
    FILE *f = af.f;
    plot_gp_begin(f, "infoplane", "the information plane over the seeds: median trajectory and IQR boxes per estimator (infoplane.dat)",
                  120 + 480 * L, 900);
    fprintf(f, "set multiplot layout 2,%d title \"%s: information plane over %d seeds, median (line; circled: first step) and IQR (boxes)\" "
               "font \",13\" noenhanced\n",
            L, title, r->finished);
    fprintf(f, "set xlabel \"I(X;L) [nats]\"\nset ylabel \"I(L;Y) [nats]\"\nset key bottom right noenhanced\n");
    for (int s = 0; s < 2; s++)
        for (int l = 1; l <= L; l++) {
            static const char *const subset[2] = {"eval", "train"};
            int k = key_of(g, subset[s], l);
            fprintf(f, "set title \"%s, layer %d\"\n", subset[s], l);
            if (k < 0) { fprintf(f, "set label 1 \"no curve\" at graph 0.5, 0.5 center\nplot [0:1][0:1] NaN notitle\nunset label 1\n"); continue; }
            for (int a = 0; a < r->n_estimators; a++) {
                int idx = a * g->n_keys + k;
                const char *col = est_colour[a];
                fprintf(f, "%s\"infoplane.dat\" index %d using 3:6:2:4:5:7 with boxxyerror fs transparent solid 0.15 noborder lc rgb \"%s\" notitle, \\\n"
                           "     \"\" index %d using 3:6 with linespoints lw 2 pt 7 ps 0.4 lc rgb \"%s\" title \"%s\", \\\n"
                           "     \"\" index %d every ::0::0 using 3:6 with points pt 6 ps 1.6 lw 2 lc rgb \"%s\" notitle%s",
                        a ? "     " : "plot ", idx, col, idx, col, r->estimator[a], idx, col, a + 1 < r->n_estimators ? ", \\\n" : "\n");
            }
        }
    fprintf(f, "unset multiplot\n");
    plot_gp_end(f);
    return atomic_commit(&af, e);
}

/* ---- accuracy with the consensus phases ---- */

static int64_t median_grokking(const study_group_data *g) {
    int64_t *v = gi_malloc((size_t)(g->n_grok + 1) * sizeof(int64_t));
    int n = 0;
    for (int i = 0; i < g->n_grok; i++)
        if (g->grok[i] > 0) v[n++] = g->grok[i];
    /* the lower median: a step some seed has */
    for (int i = 1; i < n; i++)
        for (int j = i; j > 0 && v[j] < v[j - 1]; j--) { int64_t t = v[j]; v[j] = v[j - 1]; v[j - 1] = t; }
    int64_t m = n ? v[(n - 1) / 2] : -1;
    free(v);
    return m;
}

static int write_accuracy(const char *fig_dir, const study_group_data *g, const char *title, gi_err *e) {
    const study_group_result *r = g->res;
    char path[GI_PATH];
    atomic_file af;
    if (path_join(path, sizeof path, fig_dir, "accuracy.dat", e) || atomic_open(&af, path, e)) return -1;
    static const char *const acc_name[2] = {"train_acc", "eval_acc"};
    for (int s = 0; s < 2; s++) {
        fprintf(af.f, "%s# index %d: %s over the seeds (step 0 left out)\n# step q25 median q75\n", s ? "\n\n" : "", s, acc_name[s]);
        int rows = 0;
        for (int i = 0; i < g->acc[s].n; i++) {
            if (g->acc[s].step[i] <= 0 || !isfinite(g->acc[s].q[3 * i + 1])) continue;
            fprintf(af.f, "%lld", (long long)g->acc[s].step[i]);
            for (int c = 0; c < 3; c++) put(af.f, g->acc[s].q[3 * i + c]);
            fputc('\n', af.f);
            rows++;
        }
        if (!rows) fprintf(af.f, "1 NaN NaN NaN\n");
    }
    if (atomic_commit(&af, e)) return -1;
    int L = max_layer(g), rows = L ? 2 : 1, cols = L ? L : 1;
    int64_t grok = median_grokking(g);
    if (path_join(path, sizeof path, fig_dir, "accuracy.gp", e) || atomic_open(&af, path, e)) return -1;
    FILE *f = af.f;
    plot_gp_begin(f, "accuracy", "accuracy over the seeds with each curve's consensus phases (accuracy.dat, consensus.csv)",
                  cols > 1 ? 120 + 520 * cols : 1000, 100 + 420 * rows);
    char second[200];
    snprintf(second, sizeof second, "%s%s%s", grok > 0 ? "median grokking step dash-dotted" : "", grok > 0 && L ? "; " : "",
             L ? "consensus phases: start (solid) and end (dashed) medians, their IQRs shaded" : "");
    fprintf(f, "set multiplot layout %d,%d title \"%s: train (black) and eval (orange) accuracy over %d seeds, median and IQR%s%s\" "
               "font \",13\" noenhanced\n",
            rows, cols, title, r->finished, second[0] ? "\\n" : "", second);
    /* the headroom above accuracy 1 holds the phases' names */
    fprintf(f, "set logscale x\nset autoscale xfix\nset format x \"10^{%%L}\"\nset xlabel \"step\"\nset ylabel \"accuracy\"\n"
               "set yrange [0:1.32]\nset ytics 0, 0.2, 1\nunset key\n");
    for (int s = 0; s < rows; s++)
        for (int l = 1; l <= cols; l++) {
            static const char *const subset[2] = {"eval", "train"};
            fprintf(f, "unset object\nunset arrow\nunset label\n");
            int k = L ? key_of(g, subset[s], l) : -1, n_phases = 0;
            if (L) fprintf(f, "set title \"%s, layer %d\"\n", subset[s], l);
            else fprintf(f, "set title \"no MI files: no phases\"\n");
            for (int i = 0; k >= 0 && i < r->n_rows; i++) {
                const study_consensus_row *row = &r->row[i];
                if (!row->c.consensus || row->layer != l || strcmp(row->subset, subset[s])) continue;
                const char *col = phase_colour[row->c.kind % N_PHASE_COLOURS];
                double s0 = pow(10.0, row->c.start[0]), s1 = pow(10.0, row->c.start[1]), s2 = pow(10.0, row->c.start[2]);
                double e0 = pow(10.0, row->c.end[0]), e1 = pow(10.0, row->c.end[1]), e2 = pow(10.0, row->c.end[2]);
                fprintf(f, "set object rect from %.6g, graph 0 to %.6g, graph 1 fc rgb \"%s\" fs transparent solid 0.18 noborder behind\n"
                           "set object rect from %.6g, graph 0 to %.6g, graph 1 fc rgb \"%s\" fs transparent solid 0.18 noborder behind\n"
                           "set arrow from %.6g, graph 0 to %.6g, graph 1 nohead lw 2 lc rgb \"%s\" front\n"
                           "set arrow from %.6g, graph 0 to %.6g, graph 1 nohead lw 2 dt 2 lc rgb \"%s\" front\n"
                           "set label \"%s\" at %.6g, graph %.3f left offset 0.3,0 tc rgb \"%s\" font \",10\" noenhanced front\n",
                        s0, s2 > s0 ? s2 : s0 * 1.0001, col, e0, e2 > e0 ? e2 : e0 * 1.0001, col, s1, s1, col, e1, e1, col,
                        phase_name(row->c.kind), s1, 0.97 - 0.045 * (n_phases % 4), col);
                n_phases++;
            }
            if (L && !n_phases)
                fprintf(f, "set label \"no consensus phase\" at graph 0.03, graph 0.95 left tc rgb \"#777777\" font \",10\"\n");
            if (grok > 0)
                fprintf(f, "set arrow from %lld, graph 0 to %lld, graph 1 nohead dt 4 lw 1.5 lc rgb \"black\" front\n", (long long)grok,
                        (long long)grok);
            fprintf(f, "plot \"accuracy.dat\" index 0 using 1:2:4 with filledcurves fs transparent solid 0.2 noborder lc rgb \"black\" notitle, \\\n"
                       "     \"\" index 0 using 1:3 with lines lw 2 lc rgb \"black\" title \"train\", \\\n"
                       "     \"\" index 1 using 1:2:4 with filledcurves fs transparent solid 0.2 noborder lc rgb \"#e08000\" notitle, \\\n"
                       "     \"\" index 1 using 1:3 with lines lw 2 lc rgb \"#e08000\" title \"eval\"\n");
        }
    fprintf(f, "unset multiplot\n");
    plot_gp_end(f);
    return atomic_commit(&af, e);
}

/* ---- O-information ---- */

static int write_oinfo(const char *fig_dir, const study_group_data *g, const char *title, gi_err *e) {
    const study_group_result *r = g->res;
    int F = g->n_oinfo_files, L = g->n_oinfo_layers;
    char path[GI_PATH];
    atomic_file af;
    if (path_join(path, sizeof path, fig_dir, "oinfo.dat", e) || atomic_open(&af, path, e)) return -1;
    fprintf(af.f, "# synergy and redundancy (normalised, smoothed) over the seeds (bands_oinfo.csv); a block per file and layer\n");
    for (int fi = 0; fi < F; fi++)
        for (int l = 0; l < L; l++) {
            const study_band *sy = &g->syn[fi * L + l], *re = &g->red[fi * L + l];
            fprintf(af.f, "%s# index %d: %s, layer %d\n# step synergy_q25 synergy_median synergy_q75 redundancy_q25 redundancy_median redundancy_q75\n",
                    fi || l ? "\n\n" : "", fi * L + l, g->oinfo_file[fi], l + 1);
            int rows = 0;
            for (int i = 0; i < sy->n && i < re->n; i++) {
                if (sy->step[i] <= 0) continue;
                fprintf(af.f, "%lld", (long long)sy->step[i]);
                for (int c = 0; c < 3; c++) put(af.f, sy->q[3 * i + c]);
                for (int c = 0; c < 3; c++) put(af.f, re->q[3 * i + c]);
                fputc('\n', af.f);
                rows++;
            }
            if (!rows) fprintf(af.f, "1 NaN NaN NaN NaN NaN NaN\n");
        }
    if (atomic_commit(&af, e)) return -1;
    if (path_join(path, sizeof path, fig_dir, "oinfo.gp", e) || atomic_open(&af, path, e)) return -1;
    FILE *f = af.f;
    plot_gp_begin(f, "oinfo", "synergy and redundancy over the seeds with each seed's grokking step (oinfo.dat)",
                  L > 1 ? 120 + 560 * L : 900, 80 + 420 * F);
    fprintf(f, "set multiplot layout %d,%d title \"%s: O-information, median and IQR over %d seeds\" font \",13\" noenhanced\n",
            F, L, title, r->finished);
    fprintf(f, "set logscale x\nset autoscale xfix\nset format x \"10^{%%L}\"\nset xlabel \"step\"\nset ylabel \"normalised, smoothed\"\n"
               "set yrange [0:1.05]\nset key top left\n");
    int n_grok = 0;
    for (int i = 0; i < g->n_grok; i++)
        if (g->grok[i] > 0 && ++n_grok)
            fprintf(f, "set arrow from %lld, graph 0 to %lld, graph 1 nohead dt 2 lw 1 lc rgb \"#777777\" back\n", (long long)g->grok[i],
                    (long long)g->grok[i]);
    for (int fi = 0; fi < F; fi++)
        for (int l = 0; l < L; l++) {
            int idx = fi * L + l;
            fprintf(f, "set title \"%s, layer %d\" noenhanced\n", g->oinfo_file[fi], l + 1);
            fprintf(f, "plot \"oinfo.dat\" index %d using 1:2:4 with filledcurves fs transparent solid 0.2 noborder lc rgb \"%s\" notitle, \\\n"
                       "     \"\" index %d using 1:3 with lines lw 2 lc rgb \"%s\" title \"synergy\", \\\n"
                       "     \"\" index %d using 1:5:7 with filledcurves fs transparent solid 0.2 noborder lc rgb \"%s\" notitle, \\\n"
                       "     \"\" index %d using 1:6 with lines lw 2 lc rgb \"%s\" title \"redundancy\"%s\n",
                    idx, SYN_COLOUR, idx, SYN_COLOUR, idx, RED_COLOUR, idx, RED_COLOUR,
                    n_grok ? ", \\\n     NaN with lines dt 2 lw 1 lc rgb \"#777777\" title \"grokking (each seed)\"" : "");
        }
    fprintf(f, "unset multiplot\n");
    plot_gp_end(f);
    return atomic_commit(&af, e);
}

int study_plot_group(const study_group_data *g, gi_err *e) {
    char gnuplot[1024], fig_dir[GI_PATH], title[256];
    if (plot_find_gnuplot(gnuplot, sizeof gnuplot, e)) return -1;
    if (path_join(fig_dir, sizeof fig_dir, g->res->dir, "figures", e) || make_dirs(fig_dir, e)) return -1;
    /* group names hold [A-Za-z0-9.+-_=,] only (sweep's point names), and titles are noenhanced */
    snprintf(title, sizeof title, "%s", g->res->name);
    int drawn = 0;
    if (g->res->n_estimators > 0 && g->n_keys > 0) {
        if (write_infoplane(fig_dir, g, title, e) || plot_gnuplot_run(gnuplot, fig_dir, "infoplane", e)) return -1;
        drawn++;
    }
    if (write_accuracy(fig_dir, g, title, e) || plot_gnuplot_run(gnuplot, fig_dir, "accuracy", e)) return -1;
    drawn++;
    if (g->n_oinfo_files > 0 && g->n_oinfo_layers > 0) {
        if (write_oinfo(fig_dir, g, title, e) || plot_gnuplot_run(gnuplot, fig_dir, "oinfo", e)) return -1;
        drawn++;
    }
    return drawn;
}
