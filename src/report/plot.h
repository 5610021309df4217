/* plot.h — a run's figures, drawn by gnuplot into RUN_DIR/figures/ as PNG (pngcairo) and PDF
 * (pdfcairo). The data files (metrics.dat, mi.dat) and one script per figure are written there
 * too, so that a figure can be edited and redrawn with `gnuplot NAME.gp` inside figures/.
 *   training   loss, weight norms, dead units and gradient norms against step
 *   accuracy   train and eval accuracy with, when there is MI, I(X;L) and I(L;Y) of the eval
 *              subset per layer on the second axis; dashed lines at the phase starts and grokking
 *   infoplane  (only with MI) I(L;Y) against I(X;L), a row per subset, a column per layer
 * Log-step axes drop step 0. gnuplot is looked up on PATH. */
#ifndef GI_PLOT_H
#define GI_PLOT_H
#include "report/phases.h"
#include "util/err.h"

/* phases NULL: no MI, so no infoplane and accuracy without MI (milestones from metrics.csv).
 * Returns the number of figures drawn (each as .png and .pdf), or -1. */
int plot_run(const char *run_dir, const phase_report *phases, gi_err *e);
/* The path of the gnuplot executable on PATH into out, or -1 with a message saying how to install it. */
int plot_find_gnuplot(char *out, size_t n, gi_err *e);
#endif
