/* plot.h — a run's figures, drawn by gnuplot into RUN_DIR/figures/ as PNG (pngcairo) and PDF
 * (pdfcairo). The data files (metrics.dat, mi.dat) and one script per figure are written there
 * too, so that a figure can be edited and redrawn with `gnuplot NAME.gp` inside figures/.
 *   training   loss, weight norms, dead units and gradient norms against step
 *   accuracy   train and eval accuracy with, when there is MI, I(X;L) and I(L;Y) of the eval
 *              subset per layer on the second axis; dashed lines at the phase starts and grokking
 *   infoplane  (only with MI) I(L;Y) against I(X;L), a row per subset, a column per layer; with
 *              noise redraws (the file's ixl_sd, ily_sd: mi.noise_redraws) a light cross of
 *              mean ± sd over the draws at each point
 *   mi_steps   (only with noise redraws) I(X;L) and I(L;Y) against step, a row per subset: each
 *              layer's mean over the draws inside a band of ± sd, its estimate on half the rows dashed
 *   oinfo, oinfo_plane   (only with oinfo.csv) drawn by plot_oinfo (report/oinfo_report.h)
 * Log-step axes drop step 0. gnuplot is looked up on PATH. */
#ifndef GI_PLOT_H
#define GI_PLOT_H
#include <stdio.h>
#include "report/phases.h"
#include "util/err.h"

/* phases NULL: no MI, so no infoplane and accuracy without MI; behind (may be NULL): another
 * estimator's curves of the same run (the cross-check), drawn in grey behind the infoplane's;
 * ms: the run's milestones (report/milestones.h). Returns the number of figures drawn (each as
 * .png and .pdf), or -1. */
int plot_run(const char *run_dir, const phase_report *phases, const phase_report *behind, const milestones *ms, gi_err *e);
/* The path of the gnuplot executable on PATH into out, or -1 with a message saying how to install it. */
int plot_find_gnuplot(char *out, size_t n, gi_err *e);

/* Shared by the figure writers (plot.c, plot_oinfo.c). */
#define PLOT_N_COLOURS 8
extern const char *const plot_layer_colour[PLOT_N_COLOURS];  /* a colour per layer */
/* a script's head: both terminals in one loop, PNG png_w x png_h, the PDF the same at 0.55 */
void plot_gp_begin(FILE *f, const char *name, const char *what, int png_w, int png_h);
void plot_gp_end(FILE *f);
/* `gnuplot NAME.gp` inside fig_dir, its NAME.{png,pdf} checked non-empty and renamed into place */
int plot_gnuplot_run(const char *gnuplot, const char *fig_dir, const char *name, gi_err *e);
/* the run directory's last component, for titles, with characters gnuplot would misread as '-' */
void plot_run_title(const char *run_dir, char *title, size_t size);
#endif
