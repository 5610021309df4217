/* plot_oinfo.c — the O-information figures of a run (report/oinfo_report.h), a column per layer:
 *   oinfo        top: smoothed normalised synergy and redundancy with train and eval accuracy
 *                (all in [0, 1], one axis, as the paper's figure: create_plots.py:526-559 draws
 *                them with one seaborn lineplot); bottom: neurons in the synergistic set (raw,
 *                EMA-smoothed) and live neurons. Log step; dashed at memorisation and grokking.
 *   oinfo_plane  redundancy against synergy, joined in step order, coloured by log10(step);
 *                the points at memorisation and grokking marked.
 * Data: figures/oinfo.dat, index 0 the accuracy (metrics.csv without step 0), index l layer l. */
#include <math.h>
#include <stdio.h>
#include <string.h>
#include "report/oinfo_report.h"
#include "report/plot.h"
#include "util/atomic_file.h"
#include "util/run_layout.h"

#define SYN_COLOUR "#d62728"
#define RED_COLOUR "#1f77b4"

static int write_oinfo_dat(const char *path, const oinfo_report *r, gi_err *e) {
    atomic_file af;
    if (atomic_open(&af, path, e)) return -1;
    FILE *f = af.f;
    fprintf(f, "# %s and %s (step 0 left out); synergy, redundancy min-max normalised then EMA-smoothed (alpha %g)\n"
               "# index 0: accuracy\n# step train_acc eval_acc\n",
            r->oinfo_path, r->metrics_path, r->alpha);
    for (int i = 0; i < r->n_acc; i++)
        if (r->acc_step[i] > 0) fprintf(f, "%lld %.6g %.6g\n", (long long)r->acc_step[i], r->train_acc[i], r->eval_acc[i]);
    for (int l = 0; l < r->n_layers; l++) {
        const oinfo_layer_curve *c = &r->layer[l];
        fprintf(f, "\n\n# index %d: layer %d\n# step log10_step synergy redundancy omega_min omega_max size_min size_smooth n_live\n",
                l + 1, c->layer);
        /* an empty block would end the file for gnuplot's `index`: one NaN row keeps the numbering */
        if (c->n == 0) fprintf(f, "1 0 NaN NaN NaN NaN NaN NaN NaN\n");
        for (int i = 0; i < c->n; i++)
            fprintf(f, "%lld %.6f %.6g %.6g %.9g %.9g %g %.6g %g\n", (long long)c->step[i], log10((double)c->step[i]),
                    c->synergy[i], c->redundancy[i], c->omega_min[i], c->omega_max[i], c->size_min[i], c->size_smooth[i],
                    c->n_live[i]);
    }
    return atomic_commit(&af, e);
}

/* dashed verticals at the milestones (the key names them, with their steps) */
static const char *const milestone_colour[2] = {"#777777", "black"};

static void milestone_lines(FILE *f, const oinfo_report *r) {
    fprintf(f, "unset arrow\n");
    const int64_t at[2] = {r->memorisation_step, r->grokking_step};
    for (int k = 0; k < 2; k++)
        if (at[k] > 0)
            fprintf(f, "set arrow from %lld, graph 0 to %lld, graph 1 nohead dt 2 lw 2 lc rgb \"%s\" back\n", (long long)at[k],
                    (long long)at[k], milestone_colour[k]);
}

/* the key entries of the milestones: "memorisation (step 25)" or "never memorised" */
static void milestone_keys(FILE *f, const oinfo_report *r) {
    const int64_t at[2] = {r->memorisation_step, r->grokking_step};
    static const char *const name[2] = {"memorisation", "grokking"}, *const never[2] = {"never memorised", "never grokked"};
    for (int k = 0; k < 2; k++) {
        if (at[k] >= 0)
            fprintf(f, ", \\\n     NaN with lines dt 2 lw 2 lc rgb \"%s\" title \"%s (step %lld)\"", milestone_colour[k], name[k],
                    (long long)at[k]);
        else fprintf(f, ", \\\n     NaN with lines lc rgb \"white\" title \"%s\"", never[k]);
    }
    fputc('\n', f);
}

/* the columns' horizontal extents on the screen, x0 .. x1 in L columns with gap between */
static void column(int l, int L, double x0, double x1, double gap, double *left, double *right) {
    double w = (x1 - x0 - gap * (L - 1)) / L;
    *left = x0 + l * (w + gap);
    *right = *left + w;
}

static int write_oinfo_gp(const char *path, const oinfo_report *r, const char *title, gi_err *e) {
    int L = r->n_layers;
    atomic_file af;
    if (atomic_open(&af, path, e)) return -1;
    FILE *f = af.f;
    int png_w = 420 + 760 * L;
    double keyx = 1.0 - 300.0 / png_w; /* the key in a 300-pixel strip at the right */
    plot_gp_begin(f, "oinfo", "synergy, redundancy, accuracy and the synergistic set's size against step (oinfo.dat)",
                  png_w, 950);
    fprintf(f, "set multiplot title \"%s: O-information of the hidden layer%s (normalised, EMA %g)\" font \",13\"\n", title,
            L > 1 ? "s" : "", r->alpha);
    for (int l = 0; l < L; l++) {
        const oinfo_layer_curve *c = &r->layer[l];
        double left, right, ymax = 1;
        for (int i = 0; i < c->n; i++) ymax = fmax(ymax, fmax(c->size_min[i], c->n_live[i]));
        column(l, L, 0.07, keyx - 0.04, 0.07, &left, &right);
        fprintf(f, "set lmargin at screen %.4f\nset rmargin at screen %.4f\n", left, right);
        fprintf(f, "set logscale x\nset xrange [*:*]\nset autoscale xfix\nset format x \"10^{%%L}\"\nset mxtics 10\n");
        /* top: the paper's panel */
        fprintf(f, "set tmargin at screen 0.90\nset bmargin at screen 0.42\nset xlabel \"\"\nset format x \"\"\n"
                   "set yrange [-0.02:1.05]\nset ytics 0.2\nset ylabel \"%s\"\n",
                l == 0 ? "normalised value, accuracy" : "");
        if (c->synergy_peak_step < 0) /* a layer without rows has no peaks */
            fprintf(f, "set title \"layer %d: no O-information\" font \",12\"\n", c->layer);
        else
            fprintf(f, "set title \"layer %d: smoothed synergy peaks at step %lld, redundancy at %lld (dots)\" font \",12\"\n",
                    c->layer, (long long)c->synergy_peak_step, (long long)c->redundancy_peak_step);
        milestone_lines(f, r);
        if (l == L - 1)
            fprintf(f, "set key at screen %.4f, screen 0.90 left top Left reverse box samplen 3 spacing 1.25 width 1\n", keyx);
        else fprintf(f, "unset key\n");
        /* the peaks as filled circles; their steps in the key */
        fprintf(f, "unset label\n");
        for (int k = 0; k < 2 && c->n; k++) {
            int i = k ? oinfo_argmax(c->redundancy, c->n) : oinfo_argmax(c->synergy, c->n);
            fprintf(f, "set label %d \"\" at %lld, %.6g point pt 7 ps 1.6 lc rgb \"%s\" front\n", k + 1,
                    (long long)c->step[i], k ? c->redundancy[i] : c->synergy[i], k ? RED_COLOUR : SYN_COLOUR);
        }
        fprintf(f, "plot \"oinfo.dat\" index %d using 1:3 with lines lw 2.5 lc rgb \"%s\" title \"synergy (-{/Symbol W}_{min})\", \\\n"
                   "     \"\" index %d using 1:4 with lines lw 2.5 lc rgb \"%s\" title \"redundancy ({/Symbol W}_{max})\", \\\n"
                   "     \"\" index 0 using 1:2 with lines lw 1.5 lc rgb \"black\" title \"train acc\", \\\n"
                   "     \"\" index 0 using 1:3 with lines lw 1.5 lc rgb \"#e08000\" title \"eval acc\"",
                l + 1, SYN_COLOUR, l + 1, RED_COLOUR);
        milestone_keys(f, r);
        /* bottom: the synergistic set's size */
        fprintf(f, "unset label\nset tmargin at screen 0.36\nset bmargin at screen 0.08\nset format x \"10^{%%L}\"\nset xlabel \"step\"\n"
                   "set yrange [0:%g]\nset ytics autofreq\nset ylabel \"%s\"\nset title \"size of the synergistic set\" font \",11\"\n",
                ceil(1.08 * ymax), l == 0 ? "neurons" : "");
        milestone_lines(f, r);
        if (l == L - 1)
            fprintf(f, "set key at screen %.4f, screen 0.36 left top Left reverse box samplen 3 spacing 1.25 width 1\n", keyx);
        else fprintf(f, "unset key\n");
        fprintf(f, "plot \"oinfo.dat\" index %d using 1:7 with lines lw 1 lc rgb \"#f0a0a0\" title \"size\", \\\n"
                   "     \"\" index %d using 1:8 with lines lw 2.5 lc rgb \"%s\" title \"size, EMA\", \\\n"
                   "     \"\" index %d using 1:9 with lines lw 1.5 dt 3 lc rgb \"#555555\" title \"live neurons\"\n",
                l + 1, l + 1, SYN_COLOUR, l + 1);
    }
    fprintf(f, "unset multiplot\n");
    plot_gp_end(f);
    return atomic_commit(&af, e);
}

/* the first kept row at or after step s, -1 if none */
static int row_at(const oinfo_layer_curve *c, int64_t s) {
    if (s < 0) return -1;
    for (int i = 0; i < c->n; i++)
        if (c->step[i] >= s) return i;
    return -1;
}

static int write_plane_gp(const char *path, const oinfo_report *r, const char *title, gi_err *e) {
    int L = r->n_layers;
    double cbmin = INFINITY, cbmax = -INFINITY;
    for (int l = 0; l < L; l++)
        for (int i = 0; i < r->layer[l].n; i++) {
            cbmin = fmin(cbmin, log10((double)r->layer[l].step[i]));
            cbmax = fmax(cbmax, log10((double)r->layer[l].step[i]));
        }
    if (!(cbmax > cbmin)) cbmin = 0, cbmax = 1;
    atomic_file af;
    if (atomic_open(&af, path, e)) return -1;
    FILE *f = af.f;
    int png_w = 200 + 640 * L;
    plot_gp_begin(f, "oinfo_plane", "redundancy against synergy (normalised, smoothed), coloured by log10(step) (oinfo.dat)",
                  png_w, 760);
    fprintf(f, "set palette defined (0 \"#440154\", 1 \"#3b528b\", 2 \"#21918c\", 3 \"#5ec962\", 4 \"#fde725\")\n"
               "set cbrange [%.3f:%.3f]\nset cblabel \"log_{10} step\"\nunset key\n"
               "set xrange [-0.03:1.03]\nset yrange [-0.03:1.03]\nset size ratio -1\nset xtics 0.2\nset ytics 0.2\n"
               "set multiplot title \"%s: synergy-redundancy plane\" font \",13\"\n",
            floor(cbmin * 2) / 2, ceil(cbmax * 2) / 2, title);
    double right_end = 1.0 - 160.0 / png_w;
    for (int l = 0; l < L; l++) {
        const oinfo_layer_curve *c = &r->layer[l];
        double left, right;
        column(l, L, 0.10 * 840 / png_w, right_end, 0.10 * 840 / png_w, &left, &right);
        fprintf(f, "set lmargin at screen %.4f\nset rmargin at screen %.4f\nset tmargin at screen 0.88\nset bmargin at screen 0.11\n",
                left, right);
        fprintf(f, "set title \"layer %d\" font \",12\"\nset xlabel \"synergy (-{/Symbol W}_{min}, normalised)\"\n"
                   "set ylabel \"%s\"\nunset label\n",
                c->layer, l == 0 ? "redundancy ({/Symbol W}_{max}, normalised)" : "");
        if (l == L - 1) fprintf(f, "set colorbox user origin screen %.4f, screen 0.15 size screen 0.018, screen 0.7\n", right_end + 0.03);
        else fprintf(f, "unset colorbox\n");
        /* the milestones as labelled open circles on the curve */
        const int64_t at[2] = {r->memorisation_step, r->grokking_step};
        static const char *const name[2] = {"memorisation", "grokking"};
        for (int k = 0; k < 2; k++) {
            int i = row_at(c, at[k]);
            if (i < 0) continue;
            fprintf(f, "set label %d \"%s (%lld)\" at %.6g, %.6g point pt 6 ps 2.2 lw 2 lc rgb \"black\" offset 1.2,%s font \",10\" front\n",
                    k + 1, name[k], (long long)c->step[i], c->synergy[i], c->redundancy[i], k ? "-0.9" : "0.9");
        }
        if (c->n == 0) fprintf(f, "set label 3 \"no finite O-information\" at graph 0.5,0.5 center\nplot NaN notitle\n");
        else
            fprintf(f, "plot \"oinfo.dat\" index %d using 3:4:2 with lines lw 1.5 lc palette, \\\n"
                       "     \"\" index %d using 3:4:2 every 4 with points pt 7 ps 0.5 lc palette\n",
                    l + 1, l + 1);
    }
    fprintf(f, "unset multiplot\n");
    plot_gp_end(f);
    return atomic_commit(&af, e);
}

int plot_oinfo(const char *run_dir, const oinfo_report *r, gi_err *e) {
    char gnuplot[1024], path[GI_PATH], fig_dir[GI_PATH], title[128];
    if (plot_find_gnuplot(gnuplot, sizeof gnuplot, e)) return -1;
    if (r->n_layers < 1) return gi_fail(e, "%s: no layers to draw", r->oinfo_path);
    plot_run_title(run_dir, title, sizeof title);
    if (path_join(fig_dir, sizeof fig_dir, run_dir, RUN_FIGURES, e) || make_dirs(fig_dir, e)) return -1;
    if (path_join(path, sizeof path, fig_dir, "oinfo.dat", e) || write_oinfo_dat(path, r, e)) return -1;
    if (path_join(path, sizeof path, fig_dir, "oinfo.gp", e) || write_oinfo_gp(path, r, title, e) ||
        plot_gnuplot_run(gnuplot, fig_dir, "oinfo", e)) return -1;
    if (path_join(path, sizeof path, fig_dir, "oinfo_plane.gp", e) || write_plane_gp(path, r, title, e) ||
        plot_gnuplot_run(gnuplot, fig_dir, "oinfo_plane", e)) return -1;
    return 2;
}
