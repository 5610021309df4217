/* milestones.h — a run's two milestones, by one rule everywhere (summary.json, the phases, the
 * O-information report, every figure, `grokinfo plot`):
 *   memorisation = the first evaluated step whose train_acc >= summary.train_acc
 *   grokking     = the first evaluated step whose eval_acc  >= summary.eval_acc
 * -1 when never reached. The thresholds are the run's own (its config.yaml). */
#ifndef GI_MILESTONES_H
#define GI_MILESTONES_H
#include <stdint.h>
#include "util/err.h"

typedef struct {
    double train_threshold, eval_threshold;
    int64_t memorisation, grokking;  /* steps, -1: never */
} milestones;

/* The index of the first acc[i] >= threshold, or -1. */
int64_t milestone_index(const double *acc, int64_t n, double threshold);
/* Both milestones from n evaluated rows (steps as the CSV reader gives them). */
void milestones_find(milestones *m, const double *step, const double *train_acc, const double *eval_acc, int64_t n);
/* Both milestones from RUN_DIR/metrics.csv, with m's thresholds (set by the caller). */
int milestones_read(milestones *m, const char *run_dir, gi_err *e);
#endif
