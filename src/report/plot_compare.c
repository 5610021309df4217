/* plot_compare.c — figures across runs (report/compare.h), in OUT_DIR/figures/ beside their
 * data and scripts (redraw with `gnuplot NAME.gp` there):
 *   grok_vs_alpha      grokking step against model.initialization_scale, a line per
 *                      train.weight_decay through the mean over the runs that grokked; every run
 *                      a dot, runs that never grokked open circles at their run length (top)
 *   eval_acc_heatmap   final eval accuracy over two swept keys (α × weight decay when both vary,
 *                      else the first two swept keys but seed), the mean over the other keys
 *   infoplane_overlay  I(L;Y) against I(X;L) of the eval subset from the chosen runs' mi.csv,
 *                      a colour per run, a panel per layer */
#include <math.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include "report/compare.h"
#include "report/plot.h"
#include "report/table.h"
#include "util/atomic_file.h"
#include "util/run_layout.h"

static void note(compare_notes *n, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void note(compare_notes *n, const char *fmt, ...) {
    if (n->n == COMPARE_MAX_NOTES) return;
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(n->msg[n->n++], sizeof n->msg[0], fmt, ap);
    va_end(ap);
}

static int cmp_number(const void *a, const void *b) {
    double u = strtod(*(char *const *)a, NULL), v = strtod(*(char *const *)b, NULL);
    return (u > v) - (u < v);
}

static int cmp_text(const void *a, const void *b) { return strcmp(*(char *const *)a, *(char *const *)b); }

/* the distinct values of column c, sorted (numerically when the column is numeric) */
static int distinct(const compare_table *t, int c, char **out) {
    int n = 0;
    for (int r = 0; r < t->n_rows; r++) {
        int seen = 0;
        for (int k = 0; k < n && !seen; k++) seen = !strcmp(out[k], t->cell[r][c]);
        if (!seen) out[n++] = t->cell[r][c];
    }
    qsort(out, (size_t)n, sizeof *out, t->numeric[c] ? cmp_number : cmp_text);
    return n;
}

/* a string safe inside a gnuplot double-quoted, enhanced-text title */
static void gp_text(const char *s, char *out, size_t n) {
    size_t k = 0;
    for (; *s && k + 3 < n; s++) {
        if (*s == '_' || *s == '^' || *s == '{' || *s == '}' || *s == '@' || *s == '&' || *s == '~') out[k++] = '\\', out[k++] = '\\';
        if (*s == '"') out[k++] = '\\';
        out[k++] = *s;
    }
    out[k] = 0;
}

static int grok_vs_alpha(const char *fig_dir, const char *gnuplot, const compare_table *t, compare_notes *notes, gi_err *e) {
    int ca = compare_col(t, "model.initialization_scale"), cw = compare_col(t, "train.weight_decay");
    int cg = compare_col(t, "grokking_step"), cf = compare_col(t, "final_step");
    if (ca < 1 || ca > t->n_keys) {
        note(notes, "grok_vs_alpha skipped: model.initialization_scale does not vary among the runs");
        return 0;
    }
    char **alpha = gi_malloc((size_t)t->n_rows * sizeof(char *)), **wd = gi_malloc((size_t)t->n_rows * sizeof(char *));
    int na = distinct(t, ca, alpha), nw = 1;
    if (cw >= 1 && cw <= t->n_keys) nw = distinct(t, cw, wd);
    else wd[0] = NULL;
    double top = 0, lo = INFINITY, amin = INFINITY;
    int n_never = 0, n_grok = 0;
    for (int r = 0; r < t->n_rows; r++) {
        double g = compare_num(t, r, cg), f = compare_num(t, r, cf);
        if (isfinite(f)) top = fmax(top, f);
        if (isfinite(g)) top = fmax(top, g), lo = fmin(lo, g), n_grok++;
        else n_never++;
        amin = fmin(amin, compare_num(t, r, ca));
    }
    if (!(top > 0)) top = 1;
    if (!isfinite(lo) || lo <= 0) lo = fmin(1, top);
    char path[GI_PATH];
    atomic_file af;
    if (path_join(path, sizeof path, fig_dir, "grok_vs_alpha.dat", e) || atomic_open(&af, path, e)) {
        free(alpha); free(wd);
        return -1;
    }
    FILE *f = af.f;
    fprintf(f, "# grokking step against model.initialization_scale; per weight decay two blocks:\n"
               "# index 2k: alpha, mean grokking step over the runs that grokked, how many, of how many\n"
               "# index 2k+1: every run: alpha, grokking step (NaN if never), run length if never (else NaN)\n");
    for (int w = 0; w < nw; w++) {
        fprintf(f, "%s# weight decay %s: means\n", w ? "\n\n" : "", wd[w] ? wd[w] : "(fixed)");
        for (int a = 0; a < na; a++) {
            double s = 0;
            int k = 0, m = 0;
            for (int r = 0; r < t->n_rows; r++) {
                if (strcmp(t->cell[r][ca], alpha[a]) || (wd[w] && strcmp(t->cell[r][cw], wd[w]))) continue;
                double g = compare_num(t, r, cg);
                m++;
                if (isfinite(g)) s += g, k++;
            }
            if (m) fprintf(f, "%s %.10g %d %d\n", alpha[a], k ? s / k : NAN, k, m);
        }
        fprintf(f, "\n\n# weight decay %s: runs\n", wd[w] ? wd[w] : "(fixed)");
        for (int r = 0; r < t->n_rows; r++) {
            if (wd[w] && strcmp(t->cell[r][cw], wd[w])) continue;
            double g = compare_num(t, r, cg), fs = compare_num(t, r, cf);
            fprintf(f, "%s %.10g %.10g\n", t->cell[r][ca], g, isfinite(g) ? NAN : (isfinite(fs) ? fs : top));
        }
    }
    if (atomic_commit(&af, e)) { free(alpha); free(wd); return -1; }
    if (path_join(path, sizeof path, fig_dir, "grok_vs_alpha.gp", e) || atomic_open(&af, path, e)) { free(alpha); free(wd); return -1; }
    f = af.f;
    plot_gp_begin(f, "grok_vs_alpha", "grokking step against the initialisation scale, a line per weight decay (grok_vs_alpha.dat)",
                  1100, 720);
    fprintf(f, "set title \"grokking step against the initialisation scale {/Symbol a}%s\" font \",13\"\n"
               "set xlabel \"model.initialization\\\\_scale {/Symbol a}\"\nset ylabel \"grokking step (first eval acc >= threshold)\"\n"
               "%s\nset logscale y\nset format y \"10^{%%L}\"\nset yrange [%g:%g]\nset offsets graph 0.05, graph 0.05, 0, 0\n"
               "set key outside right top box title \"weight decay\" font \",10\"\n",
            n_never ? " (open circles: never grokked, at the run length)" : "", amin > 0 ? "set logscale x 2" : "",
            lo / 2, top * 2.5);
    fprintf(f, "plot ");
    for (int w = 0; w < nw; w++) {
        const char *col = plot_layer_colour[w % PLOT_N_COLOURS];
        fprintf(f, "%s\"grok_vs_alpha.dat\" index %d using 1:2 with linespoints lw 2 pt 7 ps 1.2 lc rgb \"%s\" title \"%s\", \\\n"
                   "     \"\" index %d using 1:2 with points pt 7 ps 0.7 lc rgb \"%s\" notitle, \\\n"
                   "     \"\" index %d using 1:3 with points pt 6 ps 2 lw 2 lc rgb \"%s\" notitle",
                w ? ", \\\n     " : "", 2 * w, col, wd[w] ? wd[w] : "fixed", 2 * w + 1, col, 2 * w + 1, col);
    }
    fprintf(f, "%s\n", n_never ? ", \\\n     NaN with points pt 6 ps 2 lw 2 lc rgb \"black\" title \"never grokked\"" : "");
    plot_gp_end(f);
    free(alpha);
    free(wd);
    if (atomic_commit(&af, e) || plot_gnuplot_run(gnuplot, fig_dir, "grok_vs_alpha", e)) return -1;
    if (n_grok == 0) note(notes, "grok_vs_alpha: no run grokked; every run is an open circle at its run length");
    return 1;
}

static int eval_heatmap(const char *fig_dir, const char *gnuplot, const compare_table *t, compare_notes *notes, gi_err *e) {
    int cx = compare_col(t, "model.initialization_scale"), cy = compare_col(t, "train.weight_decay");
    if (!(cx >= 1 && cx <= t->n_keys && cy >= 1 && cy <= t->n_keys)) {
        cx = cy = -1;
        for (int c = 1; c <= t->n_keys; c++) {
            if (!strcmp(t->col[c], "seed")) continue;
            if (cx < 0) cx = c;
            else if (cy < 0) cy = c;
        }
    }
    if (cx < 0 || cy < 0) {
        note(notes, "eval_acc_heatmap skipped: fewer than two swept keys besides seed");
        return 0;
    }
    int cv = compare_col(t, "final_eval_acc");
    char **xs = gi_malloc((size_t)t->n_rows * sizeof(char *)), **ys = gi_malloc((size_t)t->n_rows * sizeof(char *));
    int nx = distinct(t, cx, xs), ny = distinct(t, cy, ys);
    char path[GI_PATH], xl[200], yl[200];
    gp_text(t->col[cx], xl, sizeof xl);
    gp_text(t->col[cy], yl, sizeof yl);
    atomic_file af;
    if (path_join(path, sizeof path, fig_dir, "eval_acc_heatmap.dat", e) || atomic_open(&af, path, e)) {
        free(xs); free(ys);
        return -1;
    }
    fprintf(af.f, "# final eval accuracy, mean over the runs in a cell: x index, y index, mean, runs; x = %s, y = %s\n",
            t->col[cx], t->col[cy]);
    int other = t->n_keys > 2; /* keys besides x and y (seed too): cells are means */
    for (int i = 0; i < nx; i++)
        for (int j = 0; j < ny; j++) {
            double s = 0;
            int k = 0;
            for (int r = 0; r < t->n_rows; r++) {
                if (strcmp(t->cell[r][cx], xs[i]) || strcmp(t->cell[r][cy], ys[j])) continue;
                double v = compare_num(t, r, cv);
                if (isfinite(v)) s += v, k++;
            }
            if (k) fprintf(af.f, "%d %d %.6g %d\n", i, j, s / k, k);
        }
    if (atomic_commit(&af, e)) { free(xs); free(ys); return -1; }
    if (path_join(path, sizeof path, fig_dir, "eval_acc_heatmap.gp", e) || atomic_open(&af, path, e)) { free(xs); free(ys); return -1; }
    FILE *f = af.f;
    plot_gp_begin(f, "eval_acc_heatmap", "final eval accuracy over two swept keys (eval_acc_heatmap.dat)", 260 + 130 * nx,
                  220 + 90 * ny);
    fprintf(f, "set title \"final eval accuracy%s\" font \",13\"\nset xlabel \"%s\"\nset ylabel \"%s\"\n"
               "set xrange [-0.5:%g]\nset yrange [-0.5:%g]\nunset grid\nset tics scale 0\nunset key\n"
               "set palette defined (0 \"#440154\", 0.25 \"#3b528b\", 0.5 \"#21918c\", 0.75 \"#5ec962\", 1 \"#fde725\")\n"
               "set cbrange [0:1]\nset cblabel \"eval accuracy\"\n",
            other ? " (mean over the other keys)" : "", xl, yl, nx - 0.5, ny - 0.5);
    fprintf(f, "set xtics (");
    for (int i = 0; i < nx; i++) fprintf(f, "%s\"%s\" %d", i ? ", " : "", xs[i], i);
    fprintf(f, ")\nset ytics (");
    for (int j = 0; j < ny; j++) fprintf(f, "%s\"%s\" %d", j ? ", " : "", ys[j], j);
    fprintf(f, ")\nplot \"eval_acc_heatmap.dat\" using 1:2:(0.5):(0.5):3 with boxxyerror fs solid 1.0 noborder fc palette, \\\n"
               "     \"\" using 1:($3 > 0.6 ? $2 : NaN):(sprintf(\"%%.3f\", $3)) with labels font \",12\" tc rgb \"black\", \\\n"
               "     \"\" using 1:($3 > 0.6 ? NaN : $2):(sprintf(\"%%.3f\", $3)) with labels font \",12\" tc rgb \"white\"\n");
    plot_gp_end(f);
    free(xs);
    free(ys);
    if (atomic_commit(&af, e) || plot_gnuplot_run(gnuplot, fig_dir, "eval_acc_heatmap", e)) return -1;
    return 1;
}

/* is name in the comma-separated list? */
static int in_list(const char *list, const char *name) {
    size_t n = strlen(name);
    for (const char *p = list; *p;) {
        size_t len = strcspn(p, ",");
        if (len == n && !strncmp(p, name, n)) return 1;
        p += len + (p[len] == ',');
    }
    return 0;
}

static int infoplane_overlay(const char *fig_dir, const char *gnuplot, const compare_run *runs, int n_runs, const char *sel,
                             compare_notes *notes, gi_err *e) {
    int chosen[PLOT_N_COLOURS], n = 0, with_mi = 0;
    struct stat st;
    char path[GI_PATH];
    for (int r = 0; r < n_runs; r++) {
        if (path_join(path, sizeof path, runs[r].dir, RUN_MI, e)) return -1;
        int has = stat(path, &st) == 0;
        with_mi += has;
        if (sel && !in_list(sel, runs[r].name)) continue;
        if (!has) {
            if (sel) note(notes, "infoplane_overlay: run %s has no mi.csv", runs[r].name);
            continue;
        }
        if (n < PLOT_N_COLOURS) chosen[n++] = r;
    }
    if (sel)
        for (const char *p = sel; *p;) {
            size_t len = strcspn(p, ",");
            int found = 0;
            for (int r = 0; r < n_runs && !found; r++) found = strlen(runs[r].name) == len && !strncmp(runs[r].name, p, len);
            if (!found) return gi_fail(e, "--runs: no run named '%.*s'", (int)len, p);
            p += len + (p[len] == ',');
        }
    if (n == 0) {
        note(notes, "infoplane_overlay skipped: %s", sel ? "none of the chosen runs has mi.csv" : "no run has mi.csv");
        return 0;
    }
    if (!sel && with_mi > PLOT_N_COLOURS)
        note(notes, "infoplane_overlay: the first %d runs with mi.csv of %d (choose with --runs a,b)", PLOT_N_COLOURS, with_mi);
    table mt[PLOT_N_COLOURS];
    int L = 0, nt = 0, rc = -1;
    for (int i = 0; i < n; i++, nt++) {
        if (path_join(path, sizeof path, runs[chosen[i]].dir, RUN_MI, e) || table_read(path, RUN_MI_TEXT_COLUMNS, &mt[i], e))
            goto out;
        const double *layer = table_num(&mt[i], "layer", e);
        if (!layer || !table_num(&mt[i], "ixl", e) || !table_num(&mt[i], "ily", e) || !table_num(&mt[i], "step", e) ||
            !table_text(&mt[i], "subset", e)) { nt++; goto out; }
        for (int k = 0; k < mt[i].n_rows; k++)
            if (layer[k] > L) L = (int)layer[k];
    }
    if (L < 1) { gi_fail(e, "infoplane_overlay: no layers in the chosen runs' mi.csv"); goto out; }
    atomic_file af;
    if (path_join(path, sizeof path, fig_dir, "infoplane_overlay.dat", e) || atomic_open(&af, path, e)) goto out;
    fprintf(af.f, "# the eval subset's information plane; index (run i, layer l) = i*%d + l-1: step ixl ily\n", L);
    for (int i = 0; i < n; i++)
        for (int l = 1; l <= L; l++) {
            const double *st_ = table_num(&mt[i], "step", NULL), *ly = table_num(&mt[i], "layer", NULL),
                         *ix = table_num(&mt[i], "ixl", NULL), *iy = table_num(&mt[i], "ily", NULL);
            char *const *sub = table_text(&mt[i], "subset", NULL);
            fprintf(af.f, "%s# run %s, layer %d\n", i || l > 1 ? "\n\n" : "", runs[chosen[i]].name, l);
            int rows = 0;
            for (int k = 0; k < mt[i].n_rows; k++)
                if ((int)ly[k] == l && !strcmp(sub[k], "eval")) fprintf(af.f, "%.0f %.9g %.9g\n", st_[k], ix[k], iy[k]), rows++;
            if (!rows) fprintf(af.f, "0 NaN NaN\n");
        }
    if (atomic_commit(&af, e)) goto out;
    if (path_join(path, sizeof path, fig_dir, "infoplane_overlay.gp", e) || atomic_open(&af, path, e)) goto out;
    FILE *f = af.f;
    plot_gp_begin(f, "infoplane_overlay", "the eval subset's information plane of chosen runs (infoplane_overlay.dat)",
                  120 + 520 * L, 700);
    /* the key below the panels, where it covers no curve */
    fprintf(f, "set multiplot layout 1,%d margins 0.06,0.98,0.30,0.88 spacing 0.05 title \"information plane, eval subset "
               "(dots: evaluations; open circle: the first)\" font \",13\"\n"
               "set xlabel \"I(X;L) [nats]\"\nset key at screen 0.5, screen 0.02 center bottom horizontal maxcols 3 box\n", L);
    for (int l = 1; l <= L; l++) {
        fprintf(f, "set title \"layer %d\"\nset ylabel \"%s\"\n%s", l, l == 1 ? "I(L;Y) [nats]" : "", l == 1 ? "" : "unset key\n");
        fprintf(f, "plot ");
        for (int i = 0; i < n; i++) {
            char title[300];
            gp_text(runs[chosen[i]].name, title, sizeof title);
            const char *col = plot_layer_colour[i % PLOT_N_COLOURS];
            int idx = i * L + l - 1;
            fprintf(f, "%s\"infoplane_overlay.dat\" index %d using 2:3 with lines lw 2 lc rgb \"%s\" title \"%s\", \\\n"
                       "     \"\" index %d every ::0::0 using 2:3 with points pt 6 ps 1.5 lw 2 lc rgb \"%s\" notitle, \\\n"
                       "     \"\" index %d using 2:3 with points pt 7 ps 0.4 lc rgb \"%s\" notitle",
                    i ? ", \\\n     " : "", idx, col, title, idx, col, idx, col);
        }
        fputc('\n', f);
    }
    fprintf(f, "unset multiplot\n");
    plot_gp_end(f);
    if (atomic_commit(&af, e) || plot_gnuplot_run(gnuplot, fig_dir, "infoplane_overlay", e)) goto out;
    rc = 1;
out:
    for (int i = 0; i < nt && i < n; i++) table_free(&mt[i]);
    return rc;
}

int plot_compare(const char *out_dir, const compare_run *runs, int n_runs, const compare_table *t, const char *runs_sel,
                 compare_notes *notes, gi_err *e) {
    char gnuplot[1024], fig_dir[GI_PATH];
    if (plot_find_gnuplot(gnuplot, sizeof gnuplot, e)) return -1;
    if (path_join(fig_dir, sizeof fig_dir, out_dir, RUN_FIGURES, e) || make_dirs(fig_dir, e)) return -1;
    int n = 0, k;
    if ((k = grok_vs_alpha(fig_dir, gnuplot, t, notes, e)) < 0) return -1;
    n += k;
    if ((k = eval_heatmap(fig_dir, gnuplot, t, notes, e)) < 0) return -1;
    n += k;
    if ((k = infoplane_overlay(fig_dir, gnuplot, runs, n_runs, runs_sel, notes, e)) < 0) return -1;
    return n + k;
}
