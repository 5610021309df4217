/* study.h — are the phases real across seeds and estimators? (`grokinfo study`)
 *
 * A study file is a sweep file (sweep/sweep.h: config, base, axes) plus `seeds: N` (default 5,
 * 1..1000), which adds the axis seed: [0, 1, ..., N-1] after the others (or, without seeds:, an
 * axis `seed` of the file's own is the seeds; both at once is an error). The grid runs through
 * sweep_run (claims, resume of interrupted points, -j), each point the run directory
 * OUT/<point name>. A GROUP is the points that share every non-seed axis value; its analysis goes
 * to OUT/study/<group>/ (<group> = the point name without the seed, "all" when seed is the only
 * axis), from the finished runs only (a run whose summary.json does not say finished is left out,
 * with a note). Every file is rewritten whole and atomically, and depends on the runs' files only
 * (no timings): the same runs give the same bytes.
 *
 * The MI files of a run: mi.csv (the seed's estimator), mi_check.csv (the KSG cross-check),
 * mi_noise.csv (the noise model), an "estimator" each, named by its file's estimator column
 * (with "(file)" added when two files of a group name the same one). A row's value is
 * ixl_mean / ily_mean when the file has those columns and the fields are not empty, else ixl / ily.
 * A POINT (row) is VALID when its flags field is empty (the noise model's points at ln N − 0.1
 * carry ixl_at_ceiling, measure/flags.h), both values are finite, and the estimator is valid in
 * the point's regime by the ground-truth table (measure/regime.h: collapsed when the cross-check's
 * I(L;Y) at the same subset, layer and step, or the row's own without mi_check.csv, is within 0.1
 * of H(Y), else graded; estimators the table does not cover are not judged). An estimator is VALID
 * ON A CURVE (subset, layer) of a seed when at least half of the curve's points are valid.
 *
 * Files in OUT/study/<group>/ (CSV with a header line; steps are integers; an empty field is a
 * value that does not exist):
 *   phases.csv     seed,estimator,subset,layer,phase,start,end
 *                  every segment of every run and MI file, from report/phases.h's phases_from_run
 *                  with the run's phases.* rule (flagged points are missing values to it, and so
 *                  are the points outside their regime, passed to it as its missing rows)
 *   validity.csv   seed,estimator,subset,layer,points,valid_points,valid,outside_regime
 *                  valid = 1 when valid_points >= points / 2 (the estimator is valid on the curve);
 *                  outside_regime: points unflagged and finite but outside the estimator's regime
 *   consensus.csv  subset,layer,phase,segments,seeds,seed_fraction,estimators,estimator_fraction,
 *                  estimator_names,start_log10_median,start_log10_iqr,start_log10_q25,start_log10_q75,
 *                  end_log10_median,end_log10_iqr,end_log10_q25,end_log10_q75,start_step,
 *                  start_step_q25,start_step_q75,end_step,end_step_q25,end_step_q75,consensus
 *                  one row per cluster of the valid (seed, estimator) pairs' segments
 *                  (study/consensus.h): segments in it; seeds with one, over the group's finished
 *                  seeds; estimators with one (names joined by '+'), over the estimators valid
 *                  on the curve for some seed; start and end as log10(step) quartiles, their
 *                  IQR = q75 − q25, and as steps (10^x, rounded); consensus 1 or 0
 *   bands.csv      quantity,estimator,subset,layer,step,seeds,median,q25,q75
 *                  quantity ixl or ily: per estimator, subset, layer and step (the steps every
 *                  seed with the file has), the quartiles across seeds of the valid values,
 *                  seeds = how many; quantity acc: train_acc (subset train) or eval_acc (eval)
 *                  of metrics.csv per step common to the seeds, estimator and layer empty
 *   peak_vs_grokking.csv  seed,file,layer,peak_step,grokking_step,peak_before_grokking
 *                  per run, O-information file (oinfo.csv, oinfo-2.csv, ...) and hidden layer: the
 *                  synergy peak as report/oinfo_report.h defines it (the first step where −Ω_min,
 *                  min–max normalised over the run then EMA-smoothed, is largest), the run's
 *                  grokking step (summary.json; else metrics.csv by report/milestones.h), and 1
 *                  when the peak comes first (0 otherwise, empty when either step does not exist)
 *   bands_oinfo.csv  quantity,file,layer,step,seeds,median,q25,q75
 *                  quantity synergy or redundancy (oinfo_report's normalised, smoothed curves),
 *                  quartiles across the seeds that have the file, per step they all have
 *   figures/       gnuplot scripts, data and PNG/PDF (study/study_plot.c): infoplane,
 *                  accuracy (with the consensus phases), oinfo (with O-information files) */
#ifndef GI_STUDY_H
#define GI_STUDY_H
#include <stdint.h>
#include <stdio.h>
#include "study/consensus.h"
#include "sweep/sweep.h"
#include "util/err.h"

#define STUDY_DEFAULT_SEEDS 5
#define STUDY_MAX_SEEDS 1000
#define STUDY_DIR "study"            /* OUT/study/<group>/ */

typedef struct {
    char name[256];                  /* the point name without the seed; "all" */
    int n;                           /* points (seeds) */
    int *point;                      /* their indices in the sweep, in seed order */
} study_group;

typedef struct {
    sweep_spec sweep;                /* the grid, the seed axis included */
    int seed_axis;
    int n_groups;
    study_group *group;
} study_spec;

/* Reads and checks STUDY.yaml (every point's configuration, as sweep_load). Errors are one line
 * naming the file: seeds not an integer from 1 to 1000, an unknown top-level key, both seeds: and
 * an axis seed, and every error of a sweep file. */
int study_load(const char *path, study_spec *s, gi_err *e);
void study_free(study_spec *s);
/* Point i's run directory OUT/<name> (an error when it does not fit) */
int study_point_dir(const study_spec *s, int i, const char *out_dir, char *dir, size_t n, gi_err *e);

/* ---- the analysis ---- */

/* One consensus row, kept for printing. */
typedef struct {
    char subset[8];
    int layer;
    study_cluster c;
    char estimators[128];            /* names joined by '+' */
} study_consensus_row;

typedef struct {
    char name[256], dir[4096];       /* the group and OUT/study/<group> */
    int seeds, finished;             /* points, and finished runs analysed */
    int n_estimators;
    char estimator[STUDY_MAX_ESTIMATORS][48];
    int n_rows;
    study_consensus_row *row;
    int n_figures;
    char figure_note[256];           /* why figures are missing ("" if none) */
} study_group_result;

#define STUDY_MAX_TIMING 24
typedef struct {
    int n_groups;
    study_group_result *group;
    /* the runs' summary.json timing_seconds, summed over the analysed runs, in document order */
    int n_timing, timed_runs;
    char timing_key[STUDY_MAX_TIMING][48];
    double timing_sum[STUDY_MAX_TIMING];
    double seconds_analysis, seconds_figures;
} study_result;

/* Analyses every group of the study's runs in out_dir into out_dir/study/<group>/; draws the
 * figures when figures is set (a missing gnuplot is a note in figure_note, not an error). Notes
 * (runs left out) go to log. */
int study_analyse(const study_spec *s, const char *out_dir, int figures, const gi_sink *log, study_result *r, gi_err *e);
void study_result_free(study_result *r);
/* The consensus table of every group, aligned. */
void study_print_consensus(FILE *f, const study_result *r);
#endif
