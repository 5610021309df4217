/* summary.h — the run's summary.json: milestones found on the evaluation rows. */
#ifndef GI_SUMMARY_H
#define GI_SUMMARY_H
#include <stdint.h>
#include "util/err.h"

typedef struct {
    int64_t n, cap;
    int64_t *step;
    double *train_acc, *eval_acc, *train_loss, *eval_loss;
} acc_history;

void history_push(acc_history *h, int64_t step, double train_acc, double eval_acc, double train_loss, double eval_loss);
void history_free(acc_history *h);
/* First step whose accuracy reaches the threshold, or -1. */
int64_t history_first_reaching(const acc_history *h, const double *acc, double threshold);

typedef struct {
    const char *status;           /* "finished" or a one-line reason */
    int64_t steps;                /* updates done */
    double seconds, steps_per_s;  /* this process's training loop */
    int threads, sparse_input;
    double input_density;
    double train_threshold, eval_threshold;
} summary_info;

int summary_write(const char *path, const acc_history *h, const summary_info *info, gi_err *e);
#endif
