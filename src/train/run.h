/* run.h — one training run in its run directory:
 *   RUN/config.yaml   the resolved configuration
 *   RUN/metrics.csv   one row per evaluation (rewritten atomically at each evaluation)
 *   RUN/summary.json  milestones and speed, at the end
 *   RUN/ckpt/latest.bin and RUN/ckpt/step_NNNNNNN.bin
 * A killed run resumes from ckpt/latest.bin and ends bit-identical to an uninterrupted one. */
#ifndef GI_RUN_H
#define GI_RUN_H
#include "util/config.h"
#include "util/err.h"

typedef struct {
    const char *run_dir;  /* required */
    const char *data_dir; /* the embedded digits' folder */
    int resume;           /* continue the run in run_dir */
    int progress;         /* 1: progress bar / periodic lines on stderr */
} run_options;

int run_train(const gi_config *cfg, const run_options *opt, gi_err *e);
#endif
