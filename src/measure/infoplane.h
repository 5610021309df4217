/* infoplane.h — one point of the Information Plane: I(X;L) and I(L;Y) for one layer on one
 * subset, as the seed measures it (Butakov et al. 2024's lossy compression, then a kNN
 * estimator):
 *   X   compressed once per run and subset (autoencoder code or whitened PCA), given;
 *   L   the layer's outputs with the training noise on, compressed to min(dim, width)
 *       dimensions: whitened PCA refit on this subset, layer and step ("pca"), or the first
 *       neurons ("first_coords");
 *   Y   the integer labels: I(L;Y) = H(L) − Σ_c p(c) H(L | Y=c).
 * "smi" (sliced MI) instead averages 1-D estimates over random orthonormal projections:
 * I(X;L) ≈ mean_p I(θ_pᵀX; φ_pᵀL), I(L;Y) ≈ mean_p I(φ_pᵀL; Y), with X's projections fixed per
 * run and L's drawn afresh for every step, layer and subset (as the seed). */
#ifndef GI_INFOPLANE_H
#define GI_INFOPLANE_H
#include <stdint.h>
#include "measure/mi.h"

typedef enum { LAYER_PCA, LAYER_FIRST_COORDS, LAYER_SLICED } layer_compression;

typedef struct {
    mi_estimator est;
    layer_compression compression;
    int dim;            /* compressed layer dimension (4) */
    int whiten;         /* pca: whitened components (the seed's mi.pca.whiten_flag) */
    int n_projections;  /* smi */
} infoplane_options;

typedef struct {
    double ixl, ixl_err, ily, ily_err;
    int dx, dl;         /* the dimensions the estimator saw (1 and 1 for smi) */
    int ok_ixl, ok_ily; /* 0 when that estimate failed (err holds why) */
    double seconds_compress, seconds_estimate;
} infoplane_point;

/* Per-run, per-subset state: X's compressed form (n x dx, copied), and for smi its projections
 * (n x P) and the labels. H(X) does not change during training, so it is estimated once here
 * when the estimator allows (entropy-based estimators). */
typedef struct {
    infoplane_options opt;
    int n, dx;
    double *x;          /* n x dx */
    int *labels;        /* n */
    double *x_proj;     /* smi: n x P */
} infoplane_subset;

/* x: n x dx (already compressed; for smi the raw inputs, projected here with keys from seed) */
int infoplane_subset_create(infoplane_subset *s, const infoplane_options *o, const double *x, int dx,
                            const uint8_t *labels, int n, uint64_t seed, gi_err *e);
void infoplane_subset_free(infoplane_subset *s);

/* layer: n x width floats (the subset's rows in order). proj_key: the seed of this step, layer
 * and subset's projections (smi). Estimation failures are reported in out->ok_* and err (the
 * last one), not as a failed call; the call fails only for bad arguments. */
int infoplane_measure(const infoplane_subset *s, const float *layer, int width, uint64_t proj_key,
                      infoplane_point *out, gi_err *err);
#endif
