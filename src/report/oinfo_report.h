/* oinfo_report.h — a run's O-information (RUN_DIR/oinfo.csv) read back for figures and summary.
 *
 * The curves as Clauw, Stramaglia & Marinazzo 2024 (arXiv 2408.08944) draw them, per layer:
 *   synergy     −Ω_min over the run, min–max normalised to [0, 1], then EMA-smoothed (α = 0.1)
 *   redundancy  +Ω_max, the same
 * normalise first, then smooth; the EMA starts at the first normalised value,
 * s[0] = x[0], s[i] = α x[i] + (1 − α) s[i−1]. Step 0 (the initialisation) is left out before
 * normalising, as they do, and so are rows whose Ω is empty (fewer than two live clusters).
 * The peak step of a curve is the first step where its smoothed value is largest.
 * The milestones come from RUN_DIR/metrics.csv: memorisation = first train_acc >= the train
 * threshold, grokking = first eval_acc >= the eval threshold (summary.train_acc / eval_acc).
 * No phase is named here: the README reads the curves against the paper's phases. */
#ifndef GI_OINFO_REPORT_H
#define GI_OINFO_REPORT_H
#include <stdint.h>
#include <stdio.h>
#include "util/err.h"

#define OINFO_EMA_ALPHA 0.1

/* s[0] = x[0], s[i] = alpha x[i] + (1 − alpha) s[i−1]; out may be x. */
void oinfo_ema(const double *x, int n, double alpha, double *out);
/* (x − min)/(max − min) over the n values; all 0 when max == min (as scikit-learn's MinMaxScaler).
 * out may be x. */
void oinfo_minmax(const double *x, int n, double *out);
/* Index of the first largest value, -1 when n == 0. */
int oinfo_argmax(const double *x, int n);

typedef struct {
    int layer;                       /* 1..L */
    int n;                           /* rows kept (step > 0, finite Ω), step increasing */
    int64_t *step;
    double *omega_min, *omega_max;   /* nats, as in oinfo.csv */
    double *size_min, *n_live;       /* neurons in the synergistic set; live neurons */
    double *synergy, *redundancy;    /* normalised, then smoothed: in [0, 1] */
    double *size_smooth;             /* size_min EMA-smoothed (not normalised) */
    int64_t synergy_peak_step, redundancy_peak_step;  /* -1 when n == 0 */
    double omega_min_at_peak, omega_max_at_peak;      /* the raw Ω at those steps */
} oinfo_layer_curve;

typedef struct {
    char oinfo_path[1024], metrics_path[1024];
    char ties[16];                             /* the file's ties column (oinfo.ties), "index" without one */
    double alpha, train_threshold, eval_threshold;
    int64_t memorisation_step, grokking_step;  /* -1: never reached */
    int n_acc;                                 /* metrics.csv rows */
    int64_t *acc_step;
    double *train_acc, *eval_acc;
    int n_layers;                              /* layers 1..n_layers (a layer may have n == 0) */
    oinfo_layer_curve *layer;
} oinfo_report;

/* Reads RUN_DIR/oinfo.csv (columns step,layer,omega_min,omega_max,size_min,n_live at least, and
 * the text column ties when the file has one: the same on every row) and RUN_DIR/metrics.csv
 * (step,train_acc,eval_acc). Errors are one line naming the file and, where it applies, its line
 * or missing column. */
int oinfo_report_read(const char *run_dir, double train_threshold, double eval_threshold, oinfo_report *r, gi_err *e);
/* One line of milestones (with the tie rule when it is not index), then one line per layer with
 * its peak steps. */
void oinfo_report_print(FILE *f, const oinfo_report *r);
/* A JSON object (no trailing newline), the value of "oinfo" in summary.json; indent is the number
 * of spaces of the line holding the key. */
void oinfo_report_write_json(FILE *f, const oinfo_report *r, int indent);
/* summary_info.extra for summary.json: `  "oinfo": {...},` and a newline; ctx an oinfo_report. */
void oinfo_report_json_extra(FILE *f, void *ctx);
void oinfo_report_free(oinfo_report *r);

/* oinfo_report_read from another O-information file of the run's (oinfo-2.csv of a re-measurement:
 * a path); NULL reads RUN_DIR/oinfo.csv. The milestones still come from RUN_DIR/metrics.csv. */
int oinfo_report_read_file(const char *run_dir, const char *oinfo_path, double train_threshold, double eval_threshold,
                           oinfo_report *r, gi_err *e);

/* The figures oinfo.{png,pdf} and oinfo_plane.{png,pdf} (with oinfo.dat and their scripts) in
 * RUN_DIR/figures/; returns 2, or -1. Defined in plot_oinfo.c. */
int plot_oinfo(const char *run_dir, const oinfo_report *r, gi_err *e);

/* The end of training in one call: reads the report and, when draw, the figures. On success r
 * holds the report (the caller prints it, passes it to summary.json and frees it). A failure
 * to draw is not a failure of the report: it returns 0 with *plot_err filled and *drawn = 0. */
int oinfo_report_finish(const char *run_dir, double train_threshold, double eval_threshold, int draw, oinfo_report *r,
                        int *drawn, gi_err *plot_err, gi_err *e);
#endif
