#include "nn/mlp.h"
#include <cblas.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include "util/err.h"
#ifdef _OPENMP
#include <omp.h>
#endif

static const char *act_names[] = {"ReLU", "Tanh", "Sigmoid", "GELU", "LeakyReLU", "Identity"};
#define LEAKY_SLOPE 0.01f /* torch's default negative_slope */

int activation_from_name(const char *name, activation *out) {
    for (int i = 0; i < (int)(sizeof act_names / sizeof *act_names); i++)
        if (strcmp(name, act_names[i]) == 0) { *out = (activation)i; return 0; }
    return -1;
}

const char *activation_name(activation a) { return act_names[a]; }

int mlp_create(mlp *m, int in, int width, int depth, int out, activation act, int output_bias) {
    if (depth < 1 || depth > MLP_MAX_LAYERS) return -1;
    int dims[MLP_MAX_LAYERS + 1];
    activation acts[MLP_MAX_LAYERS];
    dims[0] = in;
    for (int l = 1; l < depth; l++) dims[l] = width;
    dims[depth] = out;
    for (int l = 0; l < depth; l++) acts[l] = act;
    return mlp_create_dims(m, depth, dims, acts, output_bias);
}

int mlp_create_dims(mlp *m, int depth, const int *dims, const activation *acts, int output_bias) {
    if (depth < 1 || depth > MLP_MAX_LAYERS) return -1;
    for (int l = 0; l <= depth; l++)
        if (dims[l] < 1) return -1;
    memset(m, 0, sizeof *m);
    m->n_layers = depth;
    m->output_bias = output_bias;
    for (int l = 0; l <= depth; l++) m->dims[l] = dims[l];
    for (int l = 0; l < depth - 1; l++) m->act[l] = acts[l];
    m->act[depth - 1] = ACT_IDENTITY; /* the logits */
    size_t off = 0;
    for (int l = 0; l < depth; l++) {
        size_t w = (size_t)m->dims[l] * m->dims[l + 1];
        int has_bias = l < depth - 1 || output_bias;
        m->w_off[l] = off;
        m->b_off[l] = off + w;
        m->layer_params[l] = w + (has_bias ? (size_t)m->dims[l + 1] : 0);
        off += m->layer_params[l];
    }
    m->n_params = off;
    /* 64-byte alignment for the vector loads of the kernels */
    size_t bytes = ((off * sizeof(float) + 63) / 64) * 64;
    m->params = aligned_alloc(64, bytes);
    m->grads = aligned_alloc(64, bytes);
    if (!m->params || !m->grads) { free(m->params); free(m->grads); return -1; }
    memset(m->params, 0, bytes);
    memset(m->grads, 0, bytes);
    return 0;
}

void mlp_free(mlp *m) {
    free(m->params);
    free(m->grads);
    memset(m, 0, sizeof *m);
}

void mlp_init_torch(mlp *m, rng_t *r, float scale) {
    /* torch draws weight then bias per layer; the layout here is transposed, but the entries
     * are iid, so the distribution is the same. */
    for (int l = 0; l < m->n_layers; l++) {
        double bound = 1.0 / sqrt((double)m->dims[l]);
        float *p = m->params + m->w_off[l];
        for (size_t i = 0; i < m->layer_params[l]; i++)
            p[i] = (float)((2.0 * rng_uniform(r) - 1.0) * bound) * scale;
    }
}

void mlp_acts_create(mlp_acts *acts, const mlp *m, int max_rows) {
    memset(acts, 0, sizeof *acts);
    acts->max_rows = max_rows;
    int maxw = 0;
    size_t total = 0;
    for (int l = 0; l <= m->n_layers; l++) if (m->dims[l] > maxw) maxw = m->dims[l];
    for (int l = 0; l < m->n_layers; l++) total += 2 * (size_t)max_rows * m->dims[l + 1];
    total += (size_t)max_rows * m->dims[m->n_layers] + 2 * (size_t)max_rows * maxw + m->dims[1] + maxw;
    acts->mem = gi_calloc(total, sizeof(float));
    float *p = acts->mem;
    for (int l = 0; l < m->n_layers; l++) {
        acts->z[l] = p; p += (size_t)max_rows * m->dims[l + 1];
        acts->a[l] = p; p += (size_t)max_rows * m->dims[l + 1];
    }
    acts->dlogits = p; p += (size_t)max_rows * m->dims[m->n_layers];
    acts->grad_a = p; p += (size_t)max_rows * maxw;
    acts->grad_z = p; p += (size_t)max_rows * maxw;
    acts->colsum = p; p += m->dims[1];
    acts->gsum = p;
}

void mlp_acts_free(mlp_acts *acts) {
    free(acts->mem);
    free(acts->bucket_row); free(acts->bucket_val); free(acts->bucket_end);
    memset(acts, 0, sizeof *acts);
}

/* ---- activations ---- */

float act_apply(activation a, float z) {
    switch (a) {
    case ACT_RELU: return z > 0 ? z : 0.0f;
    case ACT_TANH: return tanhf(z);
    case ACT_SIGMOID: return 1.0f / (1.0f + expf(-z));
    case ACT_GELU: return 0.5f * z * (1.0f + erff(z * 0.70710678118654752f)); /* exact, torch's default */
    case ACT_LEAKY_RELU: return z > 0 ? z : LEAKY_SLOPE * z;
    case ACT_IDENTITY: return z;
    }
    return z;
}

float act_grad(activation a, float z) {
    switch (a) {
    case ACT_RELU: return z > 0 ? 1.0f : 0.0f;
    case ACT_TANH: { float t = tanhf(z); return 1.0f - t * t; }
    case ACT_SIGMOID: { float s = 1.0f / (1.0f + expf(-z)); return s * (1.0f - s); }
    case ACT_GELU:
        return 0.5f * (1.0f + erff(z * 0.70710678118654752f)) + z * 0.39894228040143268f * expf(-0.5f * z * z);
    case ACT_LEAKY_RELU: return z > 0 ? 1.0f : LEAKY_SLOPE;
    case ACT_IDENTITY: return 1.0f;
    }
    return 1.0f;
}

/* Thread t of nt takes [n·t/nt, n·(t+1)/nt). */
static void thread_range(int n, int *lo, int *hi) {
#ifdef _OPENMP
    int t = omp_get_thread_num(), nt = omp_get_num_threads();
#else
    int t = 0, nt = 1;
#endif
    *lo = (int)((long long)n * t / nt);
    *hi = (int)((long long)n * (t + 1) / nt);
}

/* ---- first layer on sparse inputs ---- */

/* GCC/clang vector extensions: 16 floats, unaligned loads. AVX-512 gives one register each;
 * narrower targets split them. Keeping the accumulators in named variables keeps them in
 * registers, which a local array does not guarantee. */
typedef float v16 __attribute__((vector_size(64)));
typedef float v16u __attribute__((vector_size(64), aligned(4)));
typedef float v8 __attribute__((vector_size(32)));
typedef float v8u __attribute__((vector_size(32), aligned(4)));

/* out[o] += Σ_k val[k] · M[idx[k]·n_out + o] for o in [0, n_out): a sparse row times a dense
 * matrix, the kernel of both the sparse forward (M = W) and the weight gradient (M = dz).
 * One pass over the nonzeros per block of NV·16 outputs, NV accumulators held in registers
 * (the loops over v have constant bounds and unroll completely). */
#define DEFINE_GATHER_BLOCK(NV)                                                              \
    static inline void gather_block_##NV(float *out, const int *idx, const float *val,      \
                                         int nnz, const float *M, int n_out) {               \
        v16 acc[NV];                                                                         \
        _Pragma("GCC unroll 16") for (int v = 0; v < NV; v++) acc[v] = *(const v16u *)(out + 16 * v); \
        for (int k = 0; k < nnz; k++) {                                                      \
            const float *m = M + (size_t)idx[k] * n_out;                                     \
            v16 b = {0};                                                                     \
            b += val[k];                                                                     \
            _Pragma("GCC unroll 16") for (int v = 0; v < NV; v++) acc[v] += b * *(const v16u *)(m + 16 * v); \
        }                                                                                    \
        _Pragma("GCC unroll 16") for (int v = 0; v < NV; v++) *(v16u *)(out + 16 * v) = acc[v]; \
    }
DEFINE_GATHER_BLOCK(1)
DEFINE_GATHER_BLOCK(4)
DEFINE_GATHER_BLOCK(8)
DEFINE_GATHER_BLOCK(12)

static void sparse_gather_axpy(float *out, const int *idx, const float *val, int nnz, const float *M, int n_out) {
    int o0 = 0;
    /* 200 outputs (the default width) = 192 in one pass of 12 registers + an 8-wide tail */
    for (; o0 + 192 <= n_out; o0 += 192) gather_block_12(out + o0, idx, val, nnz, M + o0, n_out);
    for (; o0 + 128 <= n_out; o0 += 128) gather_block_8(out + o0, idx, val, nnz, M + o0, n_out);
    for (; o0 + 64 <= n_out; o0 += 64) gather_block_4(out + o0, idx, val, nnz, M + o0, n_out);
    for (; o0 + 16 <= n_out; o0 += 16) gather_block_1(out + o0, idx, val, nnz, M + o0, n_out);
    for (; o0 + 8 <= n_out; o0 += 8) {
        v8 a0 = *(const v8u *)(out + o0);
        for (int k = 0; k < nnz; k++) {
            v8 b = {0};
            b += val[k];
            a0 += b * *(const v8u *)(M + (size_t)idx[k] * n_out + o0);
        }
        *(v8u *)(out + o0) = a0;
    }
    for (; o0 < n_out; o0++) {
        float a = out[o0];
        for (int k = 0; k < nnz; k++) a += val[k] * M[(size_t)idx[k] * n_out + o0];
        out[o0] = a;
    }
}

/* z[rows, n_out] = x·W + b with x = x0 + sparse deviations; base = x0·(1ᵀW) + b precomputed. */
static void sparse_linear_forward(float *z, const mlp_input *x, const float *W, const float *base, int n_out) {
    const sparse_rows *s = x->sparse;
    #pragma omp parallel for schedule(static)
    for (int r = 0; r < x->rows; r++) {
        int row = x->idx[r], k0 = s->row_ptr[row];
        float *zr = z + (size_t)r * n_out;
        memcpy(zr, base, (size_t)n_out * sizeof(float));
        sparse_gather_axpy(zr, s->col + k0, s->val + k0, s->row_ptr[row + 1] - k0, W, n_out);
    }
}

/* dW[n_in, n_out] += xᵀ·dz = x0·1·gsumᵀ + (x - x0)ᵀ·dz. The batch's entries are first sorted
 * into one bucket per input column (batch order within a bucket), then each row of dW gathers
 * its bucket's rows of dz with the accumulators in registers. The threads split the columns:
 * no element is shared, and the summation order does not depend on the thread count. */
static void sparse_linear_backward_weights(float *dW, const mlp_input *x, const float *dz, const float *gsum,
                                           int n_in, int n_out, mlp_acts *acts) {
    const sparse_rows *s = x->sparse;
    const float x0 = s->background;
    size_t total = (size_t)s->row_ptr[s->n];
    if (total > acts->bucket_cap) {
        free(acts->bucket_row); free(acts->bucket_val); free(acts->bucket_end);
        acts->bucket_cap = total;
        acts->bucket_row = gi_malloc(total * sizeof(int));
        acts->bucket_val = gi_malloc(total * sizeof(float));
        acts->bucket_end = gi_malloc((size_t)n_in * sizeof(int));
    }
    int *brow = acts->bucket_row, *bend = acts->bucket_end;
    float *bval = acts->bucket_val;
    #pragma omp parallel
    {
        int j0, j1;
        thread_range(n_in, &j0, &j1);
        for (int j = j0; j < j1; j++) bend[j] = s->col_start[j];
        for (int r = 0; r < x->rows; r++) {
            int row = x->idx[r];
            for (int k = s->row_ptr[row]; k < s->row_ptr[row + 1]; k++) {
                int j = s->col[k];
                if (j >= j0 && j < j1) {
                    int p = bend[j]++;
                    brow[p] = r;
                    bval[p] = s->val[k];
                }
            }
        }
        for (int j = j0; j < j1; j++) {
            float *dw = dW + (size_t)j * n_out;
            for (int o = 0; o < n_out; o++) dw[o] += x0 * gsum[o];
            int p0 = s->col_start[j];
            sparse_gather_axpy(dw, brow + p0, bval + p0, bend[j] - p0, dz, n_out);
        }
    }
}

/* ---- dense layers through BLAS ----
 * OpenBLAS runs single-threaded (see trainer_create); the threads are OpenMP's, each calling
 * sgemm on its own block of rows, so two thread pools never compete for the two cores. */


/* z[rows, n_out] = a[rows, n_in]·W[n_in, n_out] (bias added in the elementwise pass) */
static void dense_linear_forward(float *z, const float *a, const float *W, int rows, int n_in, int n_out) {
    #pragma omp parallel
    {
        int r0, r1;
        thread_range(rows, &r0, &r1);
        if (r1 > r0)
            cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasNoTrans, r1 - r0, n_out, n_in, 1.0f, a + (size_t)r0 * n_in,
                        n_in, W, n_out, 0.0f, z + (size_t)r0 * n_out, n_out);
    }
}

/* dW[n_in, n_out] += aᵀ·dz;  da[rows, n_in] = dz·Wᵀ (skipped when da is NULL) */
static void dense_linear_backward(float *da, float *dW, const float *dz, const float *a,
                                  const float *W, int rows, int n_in, int n_out) {
    #pragma omp parallel
    {
        int i0, i1, r0, r1;
        thread_range(n_in, &i0, &i1);
        if (i1 > i0)
            cblas_sgemm(CblasRowMajor, CblasTrans, CblasNoTrans, i1 - i0, n_out, rows, 1.0f, a + i0, n_in, dz, n_out,
                        1.0f, dW + (size_t)i0 * n_out, n_out);
        thread_range(rows, &r0, &r1);
        if (da && r1 > r0)
            cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasTrans, r1 - r0, n_in, n_out, 1.0f, dz + (size_t)r0 * n_out,
                        n_out, W, n_out, 0.0f, da + (size_t)r0 * n_in, n_in);
    }
}

/* a = act(z + b) + noise, with z updated to include b; one pass over the rows. */
static void bias_act_noise(float *z, float *a, const float *b, int rows, int n_out, activation act,
                           const mlp_noise *noise, uint64_t key, int add_bias) {
    #pragma omp parallel for schedule(static)
    for (int r = 0; r < rows; r++) {
        float *zr = z + (size_t)r * n_out, *ar = a + (size_t)r * n_out;
        if (add_bias && b)
            for (int o = 0; o < n_out; o++) zr[o] += b[o];
        if (act == ACT_IDENTITY) memcpy(ar, zr, (size_t)n_out * sizeof(float));
        else if (act == ACT_RELU)
            for (int o = 0; o < n_out; o++) ar[o] = zr[o] > 0 ? zr[o] : 0.0f;
        else
            for (int o = 0; o < n_out; o++) ar[o] = act_apply(act, zr[o]);
        if (noise && noise->sigma > 0)
            noise_add(ar, (size_t)n_out, noise->sigma, key, (noise->row_offset + (uint64_t)r) * (uint64_t)n_out);
    }
}

void mlp_forward(const mlp *m, const mlp_input *x, const mlp_noise *noise, mlp_acts *acts) {
    int rows = x->rows, L = m->n_layers;
    for (int l = 0; l < L; l++) {
        int n_in = m->dims[l], n_out = m->dims[l + 1];
        const float *W = mlp_w(m, m->params, l), *b = mlp_b(m, m->params, l);
        int add_bias = 1;
        if (l == 0 && x->sparse) {
            float x0 = x->sparse->background;
            for (int o = 0; o < n_out; o++) acts->colsum[o] = 0.0f;
            for (int i = 0; i < n_in; i++)
                for (int o = 0; o < n_out; o++) acts->colsum[o] += W[(size_t)i * n_out + o];
            for (int o = 0; o < n_out; o++) acts->colsum[o] = x0 * acts->colsum[o] + (b ? b[o] : 0.0f);
            sparse_linear_forward(acts->z[0], x, W, acts->colsum, n_out);
            add_bias = 0;
        } else {
            dense_linear_forward(acts->z[l], l == 0 ? x->dense : acts->a[l - 1], W, rows, n_in, n_out);
        }
        uint64_t key = noise ? noise_key(noise->key, (uint64_t)l, 0, 0) : 0;
        const mlp_noise *layer_noise = noise && !(noise->quiet_layers >> l & 1u) ? noise : NULL;
        bias_act_noise(acts->z[l], acts->a[l], b, rows, n_out, m->act[l], layer_noise, key, add_bias);
    }
}

void mlp_backward(mlp *m, const mlp_input *x, mlp_acts *acts) {
    int rows = x->rows, L = m->n_layers;
    float *dz = acts->dlogits; /* the last layer has no activation: dz = dlogits */
    for (int l = L - 1; l >= 0; l--) {
        int n_in = m->dims[l], n_out = m->dims[l + 1];
        float *dW = mlp_w(m, m->grads, l), *db = mlp_b(m, m->grads, l);
        const float *W = mlp_w(m, m->params, l);
        /* bias gradient: column sums of dz, in a fixed row order */
        float *gsum = acts->gsum;
        for (int o = 0; o < n_out; o++) gsum[o] = 0.0f;
        for (int r = 0; r < rows; r++)
            for (int o = 0; o < n_out; o++) gsum[o] += dz[(size_t)r * n_out + o];
        if (db) for (int o = 0; o < n_out; o++) db[o] += gsum[o];
        if (l == 0) {
            if (x->sparse) {
                sparse_linear_backward_weights(dW, x, dz, gsum, n_in, n_out, acts);
            } else {
                dense_linear_backward(NULL, dW, dz, x->dense, W, rows, n_in, n_out);
            }
            break;
        }
        /* da goes to whichever scratch buffer dz is not in */
        float *da = dz == acts->grad_z ? acts->grad_a : acts->grad_z;
        dense_linear_backward(da, dW, dz, acts->a[l - 1], W, rows, n_in, n_out);
        /* through the activation of layer l-1 (its noise is additive: gradient passes unchanged) */
        const float *zp = acts->z[l - 1];
        size_t n = (size_t)rows * n_in;
        float *dzp = da; /* in place */
        activation act = m->act[l - 1];
        if (act == ACT_RELU) {
            #pragma omp parallel for schedule(static)
            for (size_t i = 0; i < n; i++) dzp[i] = zp[i] > 0 ? da[i] : 0.0f;
        } else if (act != ACT_IDENTITY) {
            #pragma omp parallel for schedule(static)
            for (size_t i = 0; i < n; i++) dzp[i] = da[i] * act_grad(act, zp[i]);
        }
        dz = dzp;
    }
}

void mlp_mark_alive(const mlp *m, const mlp_acts *acts, int rows, unsigned char **alive) {
    for (int l = 0; l < m->n_layers - 1; l++) {
        int n_out = m->dims[l + 1];
        for (int r = 0; r < rows; r++) {
            const float *zr = acts->z[l] + (size_t)r * n_out;
            for (int o = 0; o < n_out; o++) alive[l][o] |= act_apply(m->act[l], zr[o]) != 0.0f;
        }
    }
}
