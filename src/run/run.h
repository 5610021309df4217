/* run.h — one training run in its run directory (util/run_layout.h names its files):
 *   RUN/config.yaml   the resolved configuration
 *   RUN/metrics.csv   one row per evaluation (rewritten atomically at each evaluation)
 *   RUN/mi.csv, RUN/oinfo.csv, ...   the per-evaluation measurements (run/measurement.h), and
 *                     RUN/mi_redraws.csv, ... their values per noise draw (mi.noise_redraws)
 *   RUN/summary.json  milestones, the measurements' reports and speed, at the end
 *   RUN/ckpt/latest.bin and RUN/ckpt/step_NNNNNNN.bin
 * A killed run resumes from ckpt/latest.bin and ends bit-identical to an uninterrupted one. */
#ifndef GI_RUN_H
#define GI_RUN_H
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include "util/config.h"
#include "util/err.h"

typedef struct {
    const char *run_dir;  /* required */
    const char *data_dir; /* the embedded digits' folder */
    int resume;           /* continue the run in run_dir */
    int progress;         /* 1: progress bar / periodic lines on stderr, notes on what set-up did */
    gi_sink log;          /* warnings and notes, a line each (NULL fn: dropped) */
    FILE *report;         /* the end of a finished run: its summary line, phases, peaks, timing (NULL: none) */
    const int64_t *steps; /* run_remeasure: only these checkpoints' steps (n_steps of them; NULL: all) */
    int n_steps;
} run_options;

int run_train(const gi_config *cfg, const run_options *opt, gi_err *e);

/* A measurement (run/measurement.h: "mi", "oinfo") of a finished (or running) run, made again from
 * its per-evaluation checkpoints RUN/ckpt/step_*.bin with cfg's settings (cfg: the run's
 * config.yaml plus mi.* / ae.* or oinfo.* overrides), every checkpoint measured. Writes
 * RUN/<base>.csv, or <base>-2.csv, -3, ... so that nothing is overwritten (base: mi-<estimator>,
 * oinfo); its path goes to out_path. With the settings of the training, the numbers equal those
 * of the run's own file exactly. opt->steps picks checkpoints by step (each must exist). */
int run_remeasure(const gi_config *cfg, const run_options *opt, const char *measurement, char *out_path, size_t n,
                  gi_err *e);
/* Layer `layer` (1..L) outputs over a subset at a checkpointed step, as evaluated in training (its
 * noise included), to a float32 .npy (samples x width). */
int run_export_acts(const gi_config *cfg, const run_options *opt, int64_t step, int layer, int subset,
                    const char *out_path, gi_err *e);
#endif
