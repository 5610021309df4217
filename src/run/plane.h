/* plane.h — the information plane of a training run: set up once (X compressed per subset,
 * the autoencoder trained or loaded from its cache), then at each evaluation every layer on
 * both subsets, as rows of mi.csv:
 *   step,subset,layer,ixl,ixl_err,ily,ily_err,estimator,dx,dl,h_y,flags
 * (subset train|eval, layer 1..L; an estimate that failed is an empty field, with a warning;
 * h_y the subset's label entropy −Σ p̂ ln p̂; flags the names of measure/flags.h's flags that the
 * row raises, joined by '+', empty when none). */
#ifndef GI_PLANE_H
#define GI_PLANE_H
#include <stdio.h>
#include "measure/flags.h"
#include "measure/infoplane.h"
#include "train/trainer.h"
#include "util/atomic_file.h"

#define PLANE_CSV_HEADER "step,subset,layer,ixl,ixl_err,ily,ily_err,estimator,dx,dl,h_y,flags\n"

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
/* After trainer_evaluate(t): the rows of this step into csv. */
int plane_measure(plane *p, const trainer *t, FILE *csv, gi_err *e);
#endif
