/* plane.h — the information plane of a training run: set up once (X compressed per subset,
 * the autoencoder trained or loaded from its cache), then at each evaluation every layer on
 * both subsets, as rows of mi.csv:
 *   step,subset,layer,ixl,ixl_err,ily,ily_err,estimator,dx,dl,h_y,flags,
 *   redraws,ixl_mean,ixl_sd,ily_mean,ily_sd,ixl_half,ily_half
 * (subset train|eval, layer 1..L; an estimate that failed is an empty field, with a warning;
 * h_y the subset's label entropy −Σ p̂ ln p̂; flags the names of measure/flags.h's flags that the
 * row raises, joined by '+', empty when none).
 *
 * Noise redraws (mi.noise_redraws = R > 0). ixl_err and ily_err are errors over data points,
 * mostly common to every checkpoint; what changes from one evaluation to the next also includes
 * the layer noise (σ = mi.sigma) drawn for it. So each evaluation also recomputes every layer
 * with R fresh draws of that noise (trainer_layers_redraw: extra forward passes, the training and
 * the evaluation untouched) and measures them with the same estimator and compression: ixl_mean,
 * ixl_sd (and ily_*) are the mean and sample standard deviation over the R + 1 values, the
 * original draw's and the redraws' (empty if any of them failed). And once on a fixed random
 * half of each subset's measured rows (drawn once from the seed, STREAM_PLANE_HALF; X's code
 * restricted to them, the layer compressed again on them), with the original draw: ixl_half,
 * ily_half, behind the half_drift flag (measure/flags.h). Only at evaluations from step
 * mi.noise_redraws_from (30: the phase rule leaves out the earlier ones) on; before it, and with
 * R = 0: redraws 0 and the six fields empty. The per-draw values go to the second file, RUN_MI_REDRAWS for mi.csv:
 *   step,subset,layer,draw,ixl,ily      (draw 0 the original, 1..R the redraws) */
#ifndef GI_PLANE_H
#define GI_PLANE_H
#include <stdio.h>
#include "measure/flags.h"
#include "measure/infoplane.h"
#include "train/trainer.h"
#include "util/atomic_file.h"

#define PLANE_CSV_HEADER "step,subset,layer,ixl,ixl_err,ily,ily_err,estimator,dx,dl,h_y,flags," \
                         "redraws,ixl_mean,ixl_sd,ily_mean,ily_sd,ixl_half,ily_half\n"
#define PLANE_REDRAWS_HEADER "step,subset,layer,draw,ixl,ily\n"

typedef struct {
    infoplane_options opt;
    infoplane_subset sub[2];
    float *layer_out[2][MLP_MAX_LAYERS]; /* the trainer's capture buffers */
    float *own[2][MLP_MAX_LAYERS];       /* those of them this plane allocated (others are shared) */
    int *rows[2];                        /* with mi.eval_points: the rows measured (ascending); NULL = all */
    int n_rows[2];
    float *gathered;                     /* a layer's outputs on those rows */
    int warned;
    double seconds_x;                    /* X's compression (incl. the autoencoder) */
    double seconds_compress, seconds_estimate;
    int ae_trained;                      /* 1 if this run trained the autoencoder, 0 if cached */
    char ae_path[GI_PATH];
    const gi_sink *log;                  /* warnings: an estimate left empty, a cache replaced */
    label_stats labels[2];               /* of the measured rows: H(Y), the Ross ceiling */
    int redraws;                         /* mi.noise_redraws: R (0: none, and no half) */
    int64_t redraws_from;                /* mi.noise_redraws_from: the first step with them */
    float *redraw_out[MLP_MAX_LAYERS];   /* a redraw's layers over a whole subset (sized for the larger) */
    int *half_rows[2];                   /* the half of the measured rows, as rows of the subset (ascending) */
    infoplane_subset half[2];            /* X's code and the labels on them */
    float *half_gathered;                /* a layer's outputs on them */
    double *draw_ixl, *draw_ily;         /* [layer][draw], R + 1 per layer; NaN where an estimate failed */
    double seconds_redraw;               /* the redraws' forward passes and estimates, and the half's */
} plane;

/* mi.eval_points: k of the n evaluation rows drawn with the seed, ascending (caller frees). Every
 * measurement of the plane uses these rows. */
int *plane_draw_rows(uint64_t seed, int n, int k);
/* The options from the configuration (mi.*, ae.*): the seed's keys and grokinfo's. */
int plane_options(const gi_config *c, infoplane_options *o, gi_err *e);
/* The autoencoder cache folder: the parent of the embedded digits' folder (data/mnist -> data). */
void plane_cache_dir(const char *data_dir, char *out, size_t n);
/* cache_dir holds ae-<dataset>-<seed>-<hash>.bin. Sets t->capture where it is not set yet, and
 * shares the buffers already there (a second plane on the same trainer). The options are o's
 * (NULL: plane_options of the trainer's configuration). */
int plane_create(plane *p, trainer *t, const infoplane_options *o, const char *cache_dir, const gi_sink *log, gi_err *e);
void plane_free(plane *p, trainer *t);
/* ",%.9g" of v, or "," alone when !ok (an estimate that failed): mi.csv's number fields. */
void plane_csv_field(FILE *f, int ok, double v);
/* k of n indices drawn with the key (a permutation's first k), ascending (caller frees). */
int *plane_draw_sorted(uint64_t key, int n, int k);
/* After trainer_evaluate(t): the rows of this step into csv, and with redraws their per-draw
 * values into redraws (which may be NULL). Runs forward passes of its own (the redraws), which
 * change no training state and not the captured layers. */
int plane_measure(plane *p, trainer *t, FILE *csv, FILE *redraws, gi_err *e);
#endif
