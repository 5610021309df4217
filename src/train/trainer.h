/* trainer.h — the state of one training run and its two operations: a step and an evaluation.
 * Everything that a resumed run needs to continue bit-identically lives here and goes into
 * the checkpoint: parameters, optimiser moments, the shuffling RNG, the batch permutation and
 * position, and the step. Noise comes from counter-based streams keyed by (seed, step). */
#ifndef GI_TRAINER_H
#define GI_TRAINER_H
#include <stdint.h>
#include "data/dataset.h"
#include "nn/loss.h"
#include "nn/mlp.h"
#include "nn/optim.h"
#include "train/metrics.h"
#include "util/config.h"
#include "util/err.h"
#include "util/rng.h"

typedef struct {
    gi_config cfg;
    dataset sets[2];            /* SUBSET_TRAIN, SUBSET_EVAL */
    sparse_rows sparse[2];      /* the same inputs around their background value */
    int use_sparse;             /* first layer on sparse inputs (chosen from the density) */
    double density;             /* fraction of training inputs that differ from the background */
    mlp model;
    optim opt;
    loss_kind loss;
    mlp_acts batch_acts, eval_acts;
    rng_t shuffle_rng;
    int *perm, pos;             /* batch order over the training points and position in it */
    int *all_rows;              /* 0..n-1, for evaluating contiguous chunks */
    float *batch_x;             /* dense path: gathered batch inputs */
    uint8_t *batch_y;
    int64_t step;               /* updates done so far */
    float *capture[2][MLP_MAX_LAYERS]; /* when set: evaluation copies each layer's outputs (with
                                          their noise), n x dims[l+1], for the information plane */
    double last_batch_loss;
    double initial_norm;        /* global L2 of the parameters at init (train.fix_weight_norm) */
} trainer;

/* data_dir: folder of the embedded digits (used when cfg->data.path is empty). */
int trainer_create(trainer *t, const gi_config *cfg, const char *data_dir, gi_err *e);
void trainer_free(trainer *t);
/* One optimisation step on the next minibatch; fails (naming the step) if the loss is not finite. */
int trainer_step(trainer *t, gi_err *e);
/* Loss, accuracy, norms, gradient norms, logits statistics, dead units on both subsets,
 * with evaluation noise from its own stream: does not change the training state. */
void trainer_evaluate(trainer *t, metrics_row *row);
int trainer_params_finite(const trainer *t);
/* Every layer's output over a subset with the noise off in every layer: f_l(x), the means of the
 * noisy layer T_l = f_l(x) + Z_l (the noise-model estimator). out[l] (NULL: skipped) holds
 * n x dims[l+1] floats. Changes no training state. */
void trainer_layers_clean(trainer *t, int subset, float *const *out);
/* Every layer's output over a subset as an evaluation computes it (the noise on in every layer),
 * with the draw-th fresh draw of the evaluation noise (draw >= 1, its own stream keyed by seed,
 * step, subset and draw): the information plane's noise redraws (mi.noise_redraws). out[l] as in
 * trainer_layers_clean. Changes no training state, and not what trainer_evaluate draws. */
void trainer_layers_redraw(trainer *t, int subset, int draw, float *const *out);

/* Checkpoints: full (everything to resume) or parameters only. Atomic. */
int trainer_save(const trainer *t, const char *path, int full, gi_err *e);
int trainer_load(trainer *t, const char *path, gi_err *e);
/* Loads a parameters-only or full checkpoint's parameters into m (for later measurements). */
int checkpoint_load_params(const char *path, mlp *m, int64_t *step, gi_err *e);
#endif
