/* summary.h — the run's summary.json: milestones found on the evaluation rows. */
#ifndef GI_SUMMARY_H
#define GI_SUMMARY_H
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include "report/milestones.h"
#include "util/err.h"

typedef struct {
    int64_t n, cap;
    int64_t *step;
    double *train_acc, *eval_acc, *train_loss, *eval_loss;
} acc_history;

void history_push(acc_history *h, int64_t step, double train_acc, double eval_acc, double train_loss, double eval_loss);
void history_free(acc_history *h);
/* The milestones of the rows so far, with m's thresholds (report/milestones.h's rule). */
void history_milestones(const acc_history *h, milestones *m);

/* Where a run's wall time went, in seconds. */
typedef struct {
    double training;          /* optimisation steps */
    double evaluation;        /* evaluation passes (both subsets, incl. the full-set gradient) */
    double x_compression;     /* X to its code (incl. training or loading the autoencoder) */
    double layer_compression; /* PCA of the layers */
    double estimation;        /* the MI estimators */
    double cross_check;       /* the information plane's cross-check (mi_check.csv), all of it */
    double noise_redraws;     /* mi.noise_redraws: both planes' redraws (forward passes, estimates) and half subsets */
    double noise_model;       /* the noise-model estimate (mi_noise.csv), its forward passes included */
    double oinfo;             /* O-information: copula, clustering, multiplet search */
    double writing;           /* metrics.csv, mi.csv, checkpoints */
    double plotting;
    double total;
} run_timing;

/* "training steps 101.2 s, evaluation passes ..." */
void timing_format(const run_timing *t, char *out, size_t n);

typedef struct {
    const char *status;           /* "finished" or a one-line reason */
    int64_t steps;                /* updates done */
    double seconds, steps_per_s;  /* this process's training loop */
    int threads, sparse_input;
    double input_density;
    milestones ms;                /* the run's thresholds and the steps found with them */
    const run_timing *timing;            /* optional */
    void (*extra)(FILE *f, void *ctx);   /* optional: more "key": value, lines (each ending ",\n") */
    void *extra_ctx;
} summary_info;

int summary_write(const char *path, const acc_history *h, const summary_info *info, gi_err *e);
#endif
