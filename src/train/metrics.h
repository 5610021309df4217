/* metrics.h — one evaluation's numbers and their row in metrics.csv.
 * Columns: step,train_loss,train_acc,eval_loss,eval_acc,weight_norm,weight_norm_l1..lL,
 * grad_norm_l1..lL, train_logits_mean,train_logits_var,eval_logits_mean,eval_logits_var,
 * dead_train_l1..l(L-1), dead_eval_l1..l(L-1), seconds. */
#ifndef GI_METRICS_H
#define GI_METRICS_H
#include <stdint.h>
#include <stdio.h>
#include "nn/mlp.h"

enum { SUBSET_TRAIN = 0, SUBSET_EVAL = 1 };
/* "train", "eval": a subset's name in every file that names one (metrics.csv, mi.csv, ...) */
extern const char *const subset_name[2];

typedef struct {
    int64_t step;
    double loss[2], acc[2];             /* by subset */
    double weight_norm;                 /* global L2 over all parameters */
    double layer_norm[MLP_MAX_LAYERS];  /* L2 of each Linear layer's weight and bias */
    double grad_norm[MLP_MAX_LAYERS];   /* L2 of each layer's full-training-set gradient */
    double logits_mean[2], logits_var[2];
    int dead[2][MLP_MAX_LAYERS];        /* hidden units with activation exactly 0 on the whole subset */
    double seconds;                     /* training wall time so far */
} metrics_row;

/* Writes the header line (with '\n') for a network of n_layers Linear layers. */
void metrics_header(FILE *f, int n_layers);
void metrics_write_row(FILE *f, const metrics_row *r, int n_layers);
/* Per-layer and global L2 norms of a parameter-shaped vector. */
double mlp_norms(const mlp *m, const float *v, double *per_layer);
#endif
