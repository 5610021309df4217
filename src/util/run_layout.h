/* run_layout.h — a run directory's files, named in one place:
 *   RUN/config.yaml                 the resolved configuration
 *   RUN/metrics.csv                 one row per evaluation
 *   RUN/mi.csv, RUN/mi_check.csv, RUN/oinfo.csv   the per-evaluation measurements (run/measurement.h)
 *   RUN/mi_redraws.csv, RUN/mi_check_redraws.csv  their values per noise draw (mi.noise_redraws > 0)
 *   RUN/summary.json                milestones, phases, timings, at the end
 *   RUN/ckpt/latest.bin             the checkpoint a resume starts from
 *   RUN/ckpt/step_NNNNNNN.bin       one per evaluation (train.save_step_checkpoints)
 *   RUN/figures/                    gnuplot scripts, data and PNG/PDF figures
 * Paths are built with path_join (util/atomic_file.h), which fails on truncation. */
#ifndef GI_RUN_LAYOUT_H
#define GI_RUN_LAYOUT_H
#include <stddef.h>
#include <stdint.h>
#include "util/err.h"

#define RUN_CONFIG "config.yaml"
#define RUN_METRICS "metrics.csv"
#define RUN_MI "mi.csv"
#define RUN_MI_TEXT_COLUMNS "subset,estimator,flags" /* mi.csv's (and mi-*.csv's) columns that are not numbers */
#define RUN_MI_CHECK "mi_check.csv" /* the bounded cross-check of mi.csv (run/mi_run.c) */
#define RUN_MI_NOISE "mi_noise.csv" /* the noise-model estimate (run/mi_noise.c, mi.noise_model) */
/* The per-draw values beside a file in mi.csv's format (mi.noise_redraws > 0, run/plane.h): the
 * file NAME.csv has NAME_redraws.csv (run_redraws_path), so a re-measurement's mi-wkl-2.csv has
 * mi-wkl-2_redraws.csv. */
#define RUN_REDRAWS_SUFFIX "_redraws"
#define RUN_MI_REDRAWS "mi" RUN_REDRAWS_SUFFIX ".csv"
#define RUN_MI_CHECK_REDRAWS "mi_check" RUN_REDRAWS_SUFFIX ".csv"
#define RUN_OINFO "oinfo.csv"
#define RUN_OINFO_TIES "oinfo_ties.csv" /* oinfo.ties_check: the same under a second tie rule */
#define RUN_SUMMARY "summary.json"
#define RUN_CKPT_DIR "ckpt"
#define RUN_LATEST RUN_CKPT_DIR "/latest.bin"
#define RUN_STEP_PREFIX "step_"   /* RUN_CKPT_DIR/step_%07lld.bin: zero-padded, so names sort by step */
#define RUN_FIGURES "figures"

/* RUN/ckpt/step_NNNNNNN.bin of a step, or an error when the path does not fit in n */
int run_step_checkpoint(char *out, size_t n, const char *run_dir, int64_t step, gi_err *e);
/* DIR/NAME.csv -> DIR/NAME_redraws.csv (a path without ".csv" gets the suffix at its end), or an
 * error when it does not fit in n */
int run_redraws_path(char *out, size_t n, const char *csv_path, gi_err *e);
#endif
