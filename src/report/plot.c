#include "report/plot.h"
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>
#include "report/table.h"
#include "util/atomic_file.h"
#include "util/run_layout.h"

/* layer colours, shared by every figure (plot_oinfo.c too) */
const char *const plot_layer_colour[PLOT_N_COLOURS] = {"#1f77b4", "#d62728", "#2ca02c", "#9467bd", "#ff7f0e", "#8c564b", "#e377c2", "#17becf"};

int plot_find_gnuplot(char *out, size_t n, gi_err *e) {
    const char *path = getenv("PATH");
    if (path)
        for (const char *p = path; *p;) {
            const char *colon = strchr(p, ':');
            size_t len = colon ? (size_t)(colon - p) : strlen(p);
            if (len && snprintf(out, n, "%.*s/gnuplot", (int)len, p) < (int)n && access(out, X_OK) == 0) return 0;
            if (!colon) break;
            p = colon + 1;
        }
    return gi_fail(e, "gnuplot not found on PATH: install it (Debian: apt-get install gnuplot-nox) to draw figures");
}

/* columns named PREFIX1, PREFIX2, ... present in t: how many, from 1 on */
static int count_numbered(const table *t, const char *prefix) {
    int n = 0;
    char name[64];
    for (;;) {
        snprintf(name, sizeof name, "%s%d", prefix, n + 1);
        if (table_col(t, name) < 0) return n;
        n++;
    }
}

/* gnuplot's 1-based column of a metrics.csv column (metrics.dat keeps the order) */
static int gcol(const table *t, const char *fmt, int l) {
    char name[64];
    snprintf(name, sizeof name, fmt, l);
    return table_col(t, name) + 1;
}

static int write_metrics_dat(const char *path, const table *t, gi_err *e) {
    atomic_file af;
    if (atomic_open(&af, path, e)) return -1;
    fprintf(af.f, "# metrics.csv without step 0 (the figures' step axes are logarithmic)\n#");
    for (int c = 0; c < t->n_cols; c++) fprintf(af.f, " %s", t->name[c]);
    fputc('\n', af.f);
    int sc = table_col(t, "step");
    for (int r = 0; r < t->n_rows; r++) {
        if (!(t->num[sc][r] > 0)) continue;
        for (int c = 0; c < t->n_cols; c++) fprintf(af.f, c ? " %.9g" : "%.9g", t->num[c][r]);
        fputc('\n', af.f);
    }
    return atomic_commit(&af, e);
}

/* The spread of each point of ph's curves over noise redraws, from its file's columns when it has
 * them (mi.noise_redraws > 0): ixl_mean ixl_sd ily_mean ily_sd ixl_half ily_half, NaN where absent. */
#define SPREAD_COLS 6
static const char *const spread_col[SPREAD_COLS] = {"ixl_mean", "ixl_sd", "ily_mean", "ily_sd", "ixl_half", "ily_half"};
typedef struct {
    int n_curves;
    double **v;   /* v[curve][point * SPREAD_COLS + k] */
    int n_sd;     /* points with an sd: the figures draw bands when there are any */
    int redraws;  /* the most redraws of a row */
} mi_spread;

static void spread_free(mi_spread *sp) {
    for (int i = 0; i < sp->n_curves; i++) free(sp->v[i]);
    free(sp->v);
    memset(sp, 0, sizeof *sp);
}

static int spread_read(const phase_report *ph, mi_spread *sp, gi_err *e) {
    memset(sp, 0, sizeof *sp);
    sp->n_curves = ph->n_curves;
    sp->v = gi_calloc((size_t)(ph->n_curves > 0 ? ph->n_curves : 1), sizeof *sp->v);
    for (int i = 0; i < ph->n_curves; i++) {
        size_t n = (size_t)ph->curve[i].n * SPREAD_COLS;
        sp->v[i] = gi_malloc((n > 0 ? n : 1) * sizeof(double));
        for (size_t j = 0; j < n; j++) sp->v[i][j] = NAN;
    }
    table t;
    if (table_read(ph->mi_path, RUN_MI_TEXT_COLUMNS, &t, e)) return -1;
    const double *col[SPREAD_COLS], *step = table_num(&t, "step", NULL), *layer = table_num(&t, "layer", NULL);
    char *const *subset = table_col(&t, "subset") >= 0 ? table_text(&t, "subset", NULL) : NULL;
    char *const *est = table_col(&t, "estimator") >= 0 ? table_text(&t, "estimator", NULL) : NULL;
    const double *redraws = table_col(&t, "redraws") >= 0 ? table_num(&t, "redraws", NULL) : NULL;
    int have = step && layer && subset;
    for (int k = 0; k < SPREAD_COLS; k++) {
        col[k] = table_col(&t, spread_col[k]) >= 0 ? table_num(&t, spread_col[k], NULL) : NULL;
        have = have && col[k];
    }
    for (int r = 0; have && r < t.n_rows; r++) {
        if (!isfinite(col[1][r]) && !isfinite(col[3][r])) continue;
        if (est && strcmp(est[r], ph->estimator) != 0) continue;
        int c = -1;
        for (int i = 0; i < ph->n_curves && c < 0; i++)
            if (ph->curve[i].layer == (int)layer[r] && strcmp(ph->curve[i].subset, subset[r]) == 0) c = i;
        if (c < 0) continue;
        const phase_curve *cv = &ph->curve[c];
        int lo = 0, hi = cv->n - 1; /* the curve's steps increase */
        while (lo < hi) {
            int mid = (lo + hi) / 2;
            if (cv->step[mid] < (int64_t)step[r]) lo = mid + 1;
            else hi = mid;
        }
        if (cv->n == 0 || cv->step[lo] != (int64_t)step[r]) continue;
        for (int k = 0; k < SPREAD_COLS; k++) sp->v[c][(size_t)lo * SPREAD_COLS + k] = col[k][r];
        sp->n_sd++;
        if (redraws && redraws[r] > sp->redraws) sp->redraws = (int)redraws[r];
    }
    table_free(&t);
    return 0;
}

/* one block per curve (gnuplot's `index k`, in phase_report order, then behind's after them):
 * step log10(step) ixl ily flagged (1: a value no MI can take, measure/flags.h; drawn hollow), and
 * with noise redraws (sp->n_sd > 0) ixl_mean ixl_sd ily_mean ily_sd ixl_half ily_half (NaN where
 * absent; behind's all NaN) */
static int write_mi_dat(const char *path, const phase_report *ph, const phase_report *behind, const mi_spread *sp, gi_err *e) {
    atomic_file af;
    if (atomic_open(&af, path, e)) return -1;
    fprintf(af.f, "# %s, estimator %s; one block per curve; log10_step counts step 0 as step 1\n", ph->mi_path, ph->estimator);
    if (behind)
        fprintf(af.f, "# then from index %d: %s, estimator %s (drawn in grey behind)\n", ph->n_curves, behind->mi_path,
                behind->estimator);
    int n_total = ph->n_curves + (behind ? behind->n_curves : 0);
    for (int i = 0; i < n_total; i++) {
        const phase_curve *c = i < ph->n_curves ? &ph->curve[i] : &behind->curve[i - ph->n_curves];
        fprintf(af.f, "%s# index %d: subset %s, layer %d\n# step log10_step ixl ily flagged%s\n", i ? "\n\n" : "", i, c->subset,
                c->layer, sp->n_sd ? " ixl_mean ixl_sd ily_mean ily_sd ixl_half ily_half" : "");
        for (int j = 0; j < c->n; j++) {
            fprintf(af.f, "%lld %.6f %.9g %.9g %d", (long long)c->step[j], log10(c->step[j] > 1 ? (double)c->step[j] : 1.0),
                    c->ixl[j], c->ily[j], c->flagged[j]);
            for (int k = 0; sp->n_sd && k < SPREAD_COLS; k++) {
                double v = i < ph->n_curves ? sp->v[i][(size_t)j * SPREAD_COLS + k] : NAN;
                if (isfinite(v)) fprintf(af.f, " %.9g", v);
                else fprintf(af.f, " NaN");
            }
            fputc('\n', af.f);
        }
    }
    return atomic_commit(&af, e);
}

/* The PDF is the PNG at 0.55 of its 72-dpi size, fonts scaled alike, so both read the same. */
void plot_gp_begin(FILE *f, const char *name, const char *what, int png_w, int png_h) {
    fprintf(f, "# %s.gp: %s\n# Written by `grokinfo plot`; edit it and redraw inside this folder: gnuplot %s.gp\n", name, what, name);
    fprintf(f, "if (!exists(\"suffix\")) suffix = \"\"\n"
               "do for [fmt in \"png pdf\"] {\n"
               "if (fmt eq \"png\") { set terminal pngcairo size %d,%d font \"sans,11\" } "
               "else { set terminal pdfcairo size %.2fin,%.2fin font \"sans,11\" fontscale 0.55 }\n"
               "set output \"%s.\".fmt.suffix\n"
               "reset\n"
               "set grid lc rgb \"#dddddd\"\n",
            png_w, png_h, png_w / 72.0 * 0.55, png_h / 72.0 * 0.55, name);
}

void plot_gp_end(FILE *f) { fprintf(f, "set output\n}\n"); }

static int write_training_gp(const char *path, const table *t, const char *title, gi_err *e) {
    int L = count_numbered(t, "weight_norm_l"), H = count_numbered(t, "dead_train_l"), G = count_numbered(t, "grad_norm_l");
    atomic_file af;
    if (atomic_open(&af, path, e)) return -1;
    FILE *f = af.f;
    plot_gp_begin(f, "training", "loss, weight norms, dead units and gradient norms against step (metrics.dat)", 1400, 1000);
    fprintf(f, "set multiplot layout 2,2 title \"%s: training\" font \",13\"\n", title);
    fprintf(f, "set logscale x\nset autoscale xfix\nset format x \"10^{%%L}\"\nset xlabel \"step\"\nset key top right\n");
    fprintf(f, "set title \"loss\"\nset logscale y\nset format y \"10^{%%L}\"\nset ylabel \"MSE\"\n"
               "plot \"metrics.dat\" using 1:%d with lines lw 2 lc rgb \"black\" title \"train\", \\\n"
               "     \"\" using 1:%d with lines lw 2 lc rgb \"#e08000\" title \"eval\"\n",
            gcol(t, "train_loss", 0), gcol(t, "eval_loss", 0));
    fprintf(f, "set title \"weight norm (L2)\"\nunset logscale y\nset format y \"%%g\"\nset ylabel \"norm\"\nset key at graph 0.03, graph 0.6 left top\n"
               "plot \"metrics.dat\" using 1:%d with lines lw 2 lc rgb \"black\" title \"all\"", gcol(t, "weight_norm", 0));
    for (int l = 1; l <= L; l++)
        fprintf(f, ", \\\n     \"\" using 1:%d with lines lw 2 lc rgb \"%s\" title \"layer %d\"", gcol(t, "weight_norm_l%d", l),
                plot_layer_colour[(l - 1) % PLOT_N_COLOURS], l);
    fprintf(f, "\nset title \"dead hidden units (solid train, dashed eval)\"\nset ylabel \"units\"\nset yrange [0:*]\nset key inside top left\n");
    if (H == 0) fprintf(f, "set label \"no dead_* columns\" at graph 0.5, 0.5 center noenhanced\nset yrange [0:1]\n"
                        "plot \"metrics.dat\" using 1:(-1) notitle\n");
    for (int l = 1; l <= H; l++)
        fprintf(f, "%s\"metrics.dat\" using 1:%d with lines lw 2 lc rgb \"%s\" title \"layer %d\", \\\n"
                   "     \"\" using 1:%d with lines lw 2 dt 2 lc rgb \"%s\" notitle%s",
                l == 1 ? "plot " : "     ", gcol(t, "dead_train_l%d", l), plot_layer_colour[(l - 1) % PLOT_N_COLOURS], l,
                gcol(t, "dead_eval_l%d", l), plot_layer_colour[(l - 1) % PLOT_N_COLOURS], l < H ? ", \\\n" : "\n");
    fprintf(f, "set title \"gradient norm on the training subset\"\nset yrange [*:*]\nset logscale y\nset key inside top right\n"
               "set format y \"10^{%%L}\"\nset ylabel \"norm\"\nunset label\n");
    if (G == 0) fprintf(f, "set label \"no grad_norm_* columns\" at graph 0.5, 0.5 center noenhanced\nset yrange [0.1:1]\n"
                        "plot \"metrics.dat\" using 1:(0.01) notitle\n");
    for (int l = 1; l <= G; l++)
        fprintf(f, "%s\"metrics.dat\" using 1:%d with lines lw 2 lc rgb \"%s\" title \"layer %d\"%s", l == 1 ? "plot " : "     ",
                gcol(t, "grad_norm_l%d", l), plot_layer_colour[(l - 1) % PLOT_N_COLOURS], l, l < G ? ", \\\n" : "\n");
    fprintf(f, "unset multiplot\n");
    plot_gp_end(f);
    return atomic_commit(&af, e);
}


/* flagged points on the eval curves (drawn hollow on the accuracy figure) */
static int n_flagged_eval(const phase_report *ph) {
    int n = 0;
    for (int i = 0; ph && i < ph->n_curves; i++)
        if (strcmp(ph->curve[i].subset, "eval") == 0) n += ph->curve[i].n_flagged;
    return n;
}

static int write_accuracy_gp(const char *path, const table *t, const phase_report *ph, int64_t grok, const char *title,
                             gi_err *e) {
    atomic_file af;
    if (atomic_open(&af, path, e)) return -1;
    FILE *f = af.f;
    int n_eval = 0;
    for (int i = 0; ph && i < ph->n_curves; i++) n_eval += strcmp(ph->curve[i].subset, "eval") == 0;
    plot_gp_begin(f, "accuracy", "accuracy and, on the right axis, the eval subset's information per layer", 1400, 800);
    fprintf(f, "set title \"%s: accuracy%s\" font \",13\"\nset logscale x\nset autoscale xfix\nset format x \"10^{%%L}\"\nset xlabel \"step\"\n"
               "set ylabel \"accuracy\"\nset yrange [0:1.05]\nset ytics nomirror\n",
            title, n_eval ? " and information per layer" : "");
    if (n_eval) fprintf(f, "set y2label \"I [nats], eval subset\"\nset y2tics\n");
    /* the key right of the second axis, where it cannot cover a curve or a tic label */
    fprintf(f, "set rmargin at screen %s\nset key at screen 0.85, graph 1 left top Left reverse box samplen 3 spacing 1.2\n", n_eval ? "0.78" : "0.83");
    if (n_eval)
        fprintf(f, "set label \"phase starts (dotted),\\nlettered by phase and layer:\\n  O overfitting\\n  E error minimisation\\n"
                   "  C compression\" at screen 0.85, graph 0.3 left font \",10\"\n");
    if (grok > 0)
        fprintf(f, "set arrow from %lld, graph 0 to %lld, graph 1 nohead dt 2 lw 2 lc rgb \"black\" front\n"
                   "set label \"grokking\" at %lld, graph 1.02 center font \",10\"\n",
                (long long)grok, (long long)grok, (long long)grok);
    /* phase starts of the eval curves, in the layer's colour, lettered O/E/C near the bottom */
    for (int i = 0; ph && i < ph->n_curves; i++) {
        const phase_curve *c = &ph->curve[i];
        if (strcmp(c->subset, "eval") != 0) continue;
        const char *col = plot_layer_colour[(c->layer - 1) % PLOT_N_COLOURS];
        for (int j = 0; j < c->n_seg; j++) {
            long long s = c->seg[j].start > 0 ? (long long)c->seg[j].start : 1;
            fprintf(f, "set arrow from %lld, graph 0 to %lld, graph 1 nohead dt 3 lw 1.5 lc rgb \"%s\"\n"
                       "set label \"%c%d\" at %lld, graph %.3f left offset 0.3,0 tc rgb \"%s\" font \",9\"\n",
                    s, s, col, phase_letter(c->seg[j].kind), c->layer, s, 0.03 + 0.05 * (c->layer - 1), col);
        }
    }
    fprintf(f, "plot \"metrics.dat\" using 1:%d with lines lw 2.5 lc rgb \"black\" title \"train acc\", \\\n"
               "     \"\" using 1:%d with lines lw 2.5 lc rgb \"#888888\" title \"eval acc\"",
            gcol(t, "train_acc", 0), gcol(t, "eval_acc", 0));
    if (grok > 0) fprintf(f, ", \\\n     NaN with lines dt 2 lw 2 lc rgb \"black\" title \"grokking\"");
    if (n_eval) fprintf(f, ", \\\n     NaN with lines dt 3 lw 1.5 lc rgb \"black\" title \"phase start\"");
    for (int i = 0; ph && i < ph->n_curves; i++) {
        const phase_curve *c = &ph->curve[i];
        if (strcmp(c->subset, "eval") != 0) continue;
        const char *col = plot_layer_colour[(c->layer - 1) % PLOT_N_COLOURS];
        fprintf(f, ", \\\n     \"mi.dat\" index %d using ($1 > 0 ? $1 : NaN):3 axes x1y2 with lines lw 1.5 lc rgb \"%s\" "
                   "title \"I(X;L_%d)\", \\\n"
                   "     \"\" index %d using ($1 > 0 ? $1 : NaN):4 axes x1y2 with lines lw 1.5 dt 2 lc rgb \"%s\" title \"I(L_%d;Y)\"",
                i, col, c->layer, i, col, c->layer);
        if (c->n_flagged)
            fprintf(f, ", \\\n     \"\" index %d using ($1 > 0 && $5 > 0 ? $1 : NaN):3 axes x1y2 with points pt 6 ps 1 lc rgb \"%s\" notitle"
                       ", \\\n     \"\" index %d using ($1 > 0 && $5 > 0 ? $1 : NaN):4 axes x1y2 with points pt 6 ps 1 lc rgb \"%s\" notitle",
                    i, col, i, col);
    }
    if (n_flagged_eval(ph)) fprintf(f, ", \\\n     NaN with points pt 6 ps 1 lc rgb \"black\" title \"flagged value\"");
    fputc('\n', f);
    plot_gp_end(f);
    return atomic_commit(&af, e);
}

/* the index of a (subset, layer) curve in ph, or -1 */
static int curve_at(const phase_report *ph, const char *subset, int layer) {
    for (int i = 0; ph && i < ph->n_curves; i++)
        if (ph->curve[i].layer == layer && strcmp(ph->curve[i].subset, subset) == 0) return i;
    return -1;
}

/* the x and y range of a subset's curves in ph, widened */
static void extend_range(const phase_report *ph, const char *subset, double *x0, double *x1, double *y0, double *y1) {
    for (int i = 0; ph && i < ph->n_curves; i++) {
        const phase_curve *c = &ph->curve[i];
        if (strcmp(c->subset, subset) != 0) continue;
        for (int j = 0; j < c->n; j++) {
            *x0 = fmin(*x0, c->ixl[j]); *x1 = fmax(*x1, c->ixl[j]);
            *y0 = fmin(*y0, c->ily[j]); *y1 = fmax(*y1, c->ily[j]);
        }
    }
}

static int write_infoplane_gp(const char *path, const phase_report *ph, const phase_report *behind, const mi_spread *sp,
                              const char *title, gi_err *e) {
    int L = ph->n_layers;
    double cbmax = 1.0;
    int flagged = 0;
    for (int i = 0; i < ph->n_curves; i++) {
        flagged += ph->curve[i].n_flagged;
        for (int j = 0; j < ph->curve[i].n; j++) cbmax = fmax(cbmax, log10(fmax(1.0, (double)ph->curve[i].step[j])));
    }
    atomic_file af;
    if (atomic_open(&af, path, e)) return -1;
    FILE *f = af.f;
    int png_w = 300 + 430 * L;
    char grey[96] = "";
    if (behind) snprintf(grey, sizeof grey, "; grey: the %s cross-check", behind->estimator);
    char cross[96] = "";
    if (sp->n_sd) snprintf(cross, sizeof cross, "; crosses: mean ± sd over %d noise draws", sp->redraws + 1);
    plot_gp_begin(f, "infoplane", "the information plane, I(L;Y) against I(X;L), coloured by log10(step) (mi.dat)", png_w, 900);
    fprintf(f, "set palette defined (0 \"#440154\", 1 \"#3b528b\", 2 \"#21918c\", 3 \"#5ec962\", 4 \"#fde725\")\n"
               "set cbrange [0:%.3f]\nset cblabel \"log_{10} step\"\nunset key\n"
               "set multiplot layout 2,%d margins 0.07,0.88,0.08,0.9 spacing 0.06,0.12 "
               "title \"%s: information plane (%s%s%s)%s\" font \",13\"\n",
            ceil(cbmax * 2) / 2, L, title, ph->estimator, grey, cross,
            flagged ? "; hollow points: flagged, values no mutual information can take" : "");
    if (sp->n_sd) fprintf(f, "set bars 0\n"); /* light crosses: no ticks at their ends */
    static const char *const rows[2] = {"eval", "train"};
    for (int r = 0; r < 2; r++) {
        double x0 = INFINITY, x1 = -INFINITY, y0 = INFINITY, y1 = -INFINITY;
        extend_range(ph, rows[r], &x0, &x1, &y0, &y1);
        extend_range(behind, rows[r], &x0, &x1, &y0, &y1);
        double px = x1 > x0 ? 0.05 * (x1 - x0) : 0.5, py = y1 > y0 ? 0.05 * (y1 - y0) : 0.5;
        if (isfinite(x0)) fprintf(f, "set xrange [%.6g:%.6g]\nset yrange [%.6g:%.6g]\n", x0 - px, x1 + px, y0 - py, y1 + py);
        for (int l = 1; l <= L; l++) {
            int k = curve_at(ph, rows[r], l), kb = curve_at(behind, rows[r], l);
            fprintf(f, "set title \"%s subset, layer %d\"\nset xlabel \"I(X;L) [nats]\"\nset ylabel \"%s\"\n", rows[r], l,
                    l == 1 ? "I(L;Y) [nats]" : "");
            if (l == L && r == 0) fprintf(f, "set colorbox user origin 0.91,0.15 size 0.018,0.7\n");
            else fprintf(f, "unset colorbox\n");
            if (k < 0) {
                /* ranges given: gnuplot refuses an autoscaled plot of no points */
                fprintf(f, "set label 1 \"no %s rows\" at graph 0.5,0.5 center\nplot [0:1] [0:1] NaN notitle\nunset label 1\n", rows[r]);
                continue;
            }
            fprintf(f, "plot ");
            if (kb >= 0) /* behind's blocks follow ph's in mi.dat */
                fprintf(f, "\"mi.dat\" index %d using 3:4 with lines lw 1 lc rgb \"#b0b0b0\", \\\n"
                           "     \"\" index %d using 3:4 with points pt 7 ps 0.4 lc rgb \"#b0b0b0\", \\\n     ",
                        ph->n_curves + kb, ph->n_curves + kb);
            if (sp->n_sd) /* mean ± sd over the noise draws, behind the estimates */
                fprintf(f, "\"mi.dat\" index %d using 6:8:7:9:2 with xyerrorbars pt 0 lw 0.8 lc palette, \\\n     ", k);
            fprintf(f, "\"mi.dat\" index %d using 3:4:2 with lines lw 1.5 lc palette, \\\n"
                       "     \"\" index %d using 3:($5 > 0 ? NaN : $4):2 with points pt 7 ps 0.7 lc palette, \\\n"
                       "     \"\" index %d using 3:($5 > 0 ? $4 : NaN):2 with points pt 6 ps 1.1 lw 1.5 lc palette\n",
                    k, k, k);
        }
    }
    fprintf(f, "unset multiplot\n");
    plot_gp_end(f);
    return atomic_commit(&af, e);
}

/* With noise redraws: I(X;L) and I(L;Y) against step, a row per subset and a column per quantity,
 * each layer's mean over the noise draws as a line inside a band of ± its sd, and its estimate on
 * the half of the rows dashed (mi.dat's columns 6-11). */
static int write_mi_steps_gp(const char *path, const phase_report *ph, const mi_spread *sp, const char *title, gi_err *e) {
    atomic_file af;
    if (atomic_open(&af, path, e)) return -1;
    FILE *f = af.f;
    plot_gp_begin(f, "mi_steps", "I(X;L) and I(L;Y) against step: mean ± sd over the noise draws, and on half the rows (mi.dat)",
                  1400, 1000);
    fprintf(f, "set multiplot layout 2,2 margins 0.07,0.83,0.08,0.9 spacing 0.08,0.12 "
               "title \"%s: information against step (%s); bands: mean ± sd over %d noise draws; dashed: on a fixed half of the rows\" "
               "font \",13\"\n"
               "set logscale x\nset autoscale xfix\nset format x \"10^{%%L}\"\nset xlabel \"step\"\nset style fill transparent solid 0.25 noborder\n",
            title, ph->estimator, sp->redraws + 1);
    static const char *const rows[2] = {"eval", "train"};
    static const char *const what[2] = {"I(X;L)", "I(L;Y)"};
    for (int r = 0; r < 2; r++)
        for (int q = 0; q < 2; q++) {
            int mean = 6 + 2 * q, sd = mean + 1, half = 10 + q; /* mi.dat's columns */
            fprintf(f, "set title \"%s subset, %s\"\nset ylabel \"%s [nats]\"\n", rows[r], what[q], what[q]);
            if (r == 0 && q == 1) fprintf(f, "set key at screen 0.85, graph 1 left top Left reverse samplen 3 spacing 1.2\n");
            else fprintf(f, "unset key\n");
            int first = 1;
            for (int i = 0; i < ph->n_curves; i++) {
                const phase_curve *c = &ph->curve[i];
                if (strcmp(c->subset, rows[r]) != 0) continue;
                const char *col = plot_layer_colour[(c->layer - 1) % PLOT_N_COLOURS];
                fprintf(f, "%s\"mi.dat\" index %d using ($1 > 0 ? $1 : NaN):($%d - $%d):($%d + $%d) with filledcurves lc rgb \"%s\" notitle, \\\n"
                           "     \"\" index %d using ($1 > 0 ? $1 : NaN):%d with lines lw 1.5 lc rgb \"%s\" title \"layer %d\", \\\n"
                           "     \"\" index %d using ($1 > 0 ? $1 : NaN):%d with lines lw 1 dt 2 lc rgb \"%s\" notitle",
                        first ? "plot " : ", \\\n     ", i, mean, sd, mean, sd, col, i, mean, col, c->layer, i, half, col);
                first = 0;
            }
            if (first) /* a logarithmic x axis: its range above 0 */
                fprintf(f, "set label 1 \"no %s rows\" at graph 0.5,0.5 center\nplot [1:10] [0:1] NaN notitle\nunset label 1\n", rows[r]);
            else fprintf(f, ", \\\n     NaN with filledcurves lc rgb \"#808080\" title \"mean ± sd\", \\\n"
                            "     NaN with lines lw 1 dt 2 lc rgb \"black\" title \"half of the rows\"\n");
        }
    fprintf(f, "unset multiplot\n");
    plot_gp_end(f);
    return atomic_commit(&af, e);
}

/* runs `gnuplot NAME.gp` inside fig_dir writing NAME.{png,pdf}.tmp.PID, checks them and renames them into place */
int plot_gnuplot_run(const char *gnuplot, const char *fig_dir, const char *name, gi_err *e) {
    char cmd[2 * GI_PATH];
    int len = snprintf(cmd, sizeof cmd, "cd '%s' && '%s' -e 'suffix=\".tmp.%ld\"' %s.gp 2>&1", fig_dir, gnuplot,
                       (long)getpid(), name);
    if (len < 0 || (size_t)len >= sizeof cmd) return gi_fail(e, "%s: path too long for the gnuplot command", fig_dir);
    FILE *p = popen(cmd, "r");
    if (!p) return gi_fail(e, "cannot run %s (%s)", gnuplot, strerror(errno));
    char first[300] = "", line[300];
    while (fgets(line, sizeof line, p))
        if (!first[0]) snprintf(first, sizeof first, "%s", line);
    int status = pclose(p);
    first[strcspn(first, "\n")] = '\0';
    static const char *const ext[2] = {"png", "pdf"};
    char tmp[GI_PATH], out[GI_PATH], file[300];
    int rc = 0;
    if (status != 0) rc = gi_fail(e, "gnuplot failed on %s/%s.gp (exit %d): %s", fig_dir, name,
                                  WIFEXITED(status) ? WEXITSTATUS(status) : -1, first[0] ? first : "no message");
    for (int k = 0; k < 2; k++) {
        snprintf(file, sizeof file, "%s.%s.tmp.%ld", name, ext[k], (long)getpid());
        if (path_join(tmp, sizeof tmp, fig_dir, file, e)) return -1;
        snprintf(file, sizeof file, "%s.%s", name, ext[k]);
        if (path_join(out, sizeof out, fig_dir, file, e)) return -1;
        struct stat st;
        if (rc == 0 && (stat(tmp, &st) != 0 || st.st_size == 0))
            rc = gi_fail(e, "gnuplot wrote no %s from %s/%s.gp%s%s", out, fig_dir, name, first[0] ? ": " : "", first);
        if (rc == 0 && rename(tmp, out) != 0) rc = gi_fail(e, "%s: cannot rename into place (%s)", out, strerror(errno));
        if (rc) unlink(tmp);
    }
    return rc;
}

void plot_run_title(const char *run_dir, char *title, size_t size) {
    const char *base = run_dir + strlen(run_dir);
    while (base > run_dir && base[-1] == '/') base--;
    const char *end = base;
    while (base > run_dir && base[-1] != '/') base--;
    size_t n = 0;
    for (const char *c = base; c < end && n + 1 < size; c++) title[n++] = strchr("\"\\_^{}@&", *c) ? '-' : *c;
    title[n] = '\0';
}

int plot_run(const char *run_dir, const phase_report *ph, const phase_report *behind, const milestones *ms, gi_err *e) {
    char gnuplot[1024], path[GI_PATH], fig_dir[GI_PATH];
    if (plot_find_gnuplot(gnuplot, sizeof gnuplot, e) || path_join(path, sizeof path, run_dir, RUN_METRICS, e)) return -1;
    table t;
    if (table_read(path, NULL, &t, e)) return -1;
    mi_spread sp = {0};
    int rc = -1, drawn = 0;
    static const char *const need[] = {"step", "train_loss", "train_acc", "eval_loss", "eval_acc", "weight_norm"};
    for (size_t i = 0; i < sizeof need / sizeof *need; i++)
        if (!table_num(&t, need[i], e)) goto done;
    char title[128];
    plot_run_title(run_dir, title, sizeof title);
    if (path_join(fig_dir, sizeof fig_dir, run_dir, RUN_FIGURES, e) || make_dirs(fig_dir, e)) goto done;
    if (path_join(path, sizeof path, fig_dir, "metrics.dat", e) || write_metrics_dat(path, &t, e)) goto done;
    if (ph) {
        if (spread_read(ph, &sp, e)) goto done;
        if (path_join(path, sizeof path, fig_dir, "mi.dat", e) || write_mi_dat(path, ph, behind, &sp, e)) goto done;
        if (path_join(path, sizeof path, fig_dir, "infoplane.gp", e) || write_infoplane_gp(path, ph, behind, &sp, title, e) ||
            plot_gnuplot_run(gnuplot, fig_dir, "infoplane", e)) goto done;
        drawn++;
        if (sp.n_sd) {
            if (path_join(path, sizeof path, fig_dir, "mi_steps.gp", e) || write_mi_steps_gp(path, ph, &sp, title, e) ||
                plot_gnuplot_run(gnuplot, fig_dir, "mi_steps", e)) goto done;
            drawn++;
        }
    }
    if (path_join(path, sizeof path, fig_dir, "accuracy.gp", e) || write_accuracy_gp(path, &t, ph, ms->grokking, title, e) ||
        plot_gnuplot_run(gnuplot, fig_dir, "accuracy", e)) goto done;
    if (path_join(path, sizeof path, fig_dir, "training.gp", e) || write_training_gp(path, &t, title, e) ||
        plot_gnuplot_run(gnuplot, fig_dir, "training", e)) goto done;
    rc = drawn + 2;
done:
    spread_free(&sp);
    table_free(&t);
    return rc;
}
