/* mlp.h — a multilayer perceptron with hand-written forward and backward passes.
 * Layer l maps dims[l] -> dims[l+1]: z = a_prev·W + b, then a = act(z) + sigma·noise for
 * hidden layers and logits = z + sigma·noise for the last one.
 * W is stored input-major ([in][out], the transpose of torch's Linear.weight). Parameters and
 * gradients are one allocation each: for every layer W then b. */
#ifndef GI_MLP_H
#define GI_MLP_H
#include <stddef.h>
#include <stdint.h>
#include "nn/sparse.h"
#include "util/rng.h"

#define MLP_MAX_LAYERS 16

typedef enum { ACT_RELU, ACT_TANH, ACT_SIGMOID, ACT_GELU, ACT_LEAKY_RELU, ACT_IDENTITY } activation;
int activation_from_name(const char *name, activation *out); /* torch names: ReLU, Tanh, ... */
const char *activation_name(activation a);

typedef struct {
    int n_layers;
    int dims[MLP_MAX_LAYERS + 1];
    activation act[MLP_MAX_LAYERS]; /* of each layer; the last is ACT_IDENTITY (logits) */
    int output_bias;
    size_t n_params;
    size_t w_off[MLP_MAX_LAYERS], b_off[MLP_MAX_LAYERS], layer_params[MLP_MAX_LAYERS];
    float *params, *grads;
} mlp;

/* depth = number of Linear layers; hidden layers have `width` units. */
int mlp_create(mlp *m, int in, int width, int depth, int out, activation act, int output_bias);
/* Any widths dims[0..depth] and activations acts[0..depth-2] (an autoencoder: 784-256-4-256-784
 * with a sigmoid code). */
int mlp_create_dims(mlp *m, int depth, const int *dims, const activation *acts, int output_bias);
void mlp_free(mlp *m);
/* PyTorch's default Linear init, W and b ~ U(-1/sqrt(fan_in), 1/sqrt(fan_in)), times scale. */
void mlp_init_torch(mlp *m, rng_t *r, float scale);
static inline float *mlp_w(const mlp *m, const float *base, int l) { return (float *)base + m->w_off[l]; }
/* NULL for a layer without bias */
static inline float *mlp_b(const mlp *m, const float *base, int l) {
    return (l < m->n_layers - 1 || m->output_bias) ? (float *)base + m->b_off[l] : NULL;
}

/* One batch of inputs: either dense rows, or rows idx[0..rows) of a sparse matrix. */
typedef struct {
    int rows;
    const float *dense;
    const sparse_rows *sparse;
    const int *idx;
} mlp_input;

/* Noise of layer l, element (r, j) is N(0,1) number (row_offset + r)*dims[l+1] + j of the
 * stream noise_key(key, l): the same whatever the chunking. sigma = 0 turns it off; bit l of
 * quiet_layers turns it off for layer l alone. */
typedef struct { float sigma; uint64_t key; uint64_t row_offset; uint32_t quiet_layers; } mlp_noise;

/* Activations of up to max_rows rows, one allocation. */
typedef struct {
    int max_rows;
    float *mem;
    float *z[MLP_MAX_LAYERS]; /* pre-activation, rows x dims[l+1] */
    float *a[MLP_MAX_LAYERS]; /* post-activation with noise; a[n_layers-1] are the logits */
    float *dlogits;           /* rows x dims[n_layers]: filled by the loss */
    float *grad_a, *grad_z;   /* scratch, rows x max width */
    float *colsum;            /* dims[1]: background·(1ᵀW0) + b, the constant part of the sparse product */
    float *gsum;              /* max width: column sums of dz (the bias gradient) */
    int *bucket_row, *bucket_end; /* the sparse batch sorted by input column (first layer's gradient) */
    float *bucket_val;
    size_t bucket_cap;
} mlp_acts;

void mlp_acts_create(mlp_acts *acts, const mlp *m, int max_rows);
void mlp_acts_free(mlp_acts *acts);

/* x: rows inputs -> acts (z, a, logits). */
void mlp_forward(const mlp *m, const mlp_input *x, const mlp_noise *noise, mlp_acts *acts);
/* acts->dlogits -> m->grads (accumulated: zero them once per step). */
void mlp_backward(mlp *m, const mlp_input *x, mlp_acts *acts);

/* alive[l][j] |= (act(z) != 0 for some row) for hidden layers l: dead-neuron bookkeeping. */
void mlp_mark_alive(const mlp *m, const mlp_acts *acts, int rows, unsigned char **alive);

/* The layer's activation and its derivative, elementwise (exposed for the tests). */
float act_apply(activation a, float z);
float act_grad(activation a, float z);
#endif
