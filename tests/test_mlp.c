/* Gradients of the MLP against finite differences, the sparse first layer against the dense
 * one, and the init against PyTorch's bounds. Float32 network, double loss: central
 * differences along random directions, per layer, with |fd - analytic| <= 1e-4 + 2e-2*|fd|. */
#include <stdlib.h>
#include <string.h>
#include "nn/loss.h"
#include "nn/mlp.h"
#include "test.h"

enum { IN = 12, WIDTH = 9, OUT = 4, ROWS = 6 };

static void random_inputs(rng_t *r, float *x, uint8_t *y, int sparse_like) {
    for (int i = 0; i < ROWS * IN; i++) {
        x[i] = (float)rng_normal(r);
        if (sparse_like && rng_uniform(r) < 0.6) x[i] = -0.4242f; /* a background value */
    }
    for (int i = 0; i < ROWS; i++) y[i] = (uint8_t)rng_below(r, OUT);
}

static double batch_loss(mlp *m, mlp_acts *acts, const mlp_input *in, const mlp_noise *nz, loss_kind lk, const uint8_t *y) {
    mlp_forward(m, in, nz, acts);
    loss_stats s = loss_forward(lk, acts->a[m->n_layers - 1], y, ROWS, OUT);
    return loss_mean(lk, s, ROWS, OUT);
}

/* Signs of all hidden pre-activations: a finite difference across a ReLU kink is not a
 * derivative, so such directions are drawn again. */
static int kink_pattern(const mlp *m, const mlp_acts *acts, unsigned char *out) {
    int k = 0;
    for (int l = 0; l < m->n_layers - 1; l++)
        for (int i = 0; i < ROWS * m->dims[l + 1]; i++) out[k++] = acts->z[l][i] > 0;
    return k;
}

static void grad_check(int *failures, activation act, loss_kind lk, int depth, int sparse) {
    mlp m;
    CHECK(mlp_create(&m, IN, WIDTH, depth, OUT, act, 1) == 0);
    rng_t r;
    rng_seed(&r, 42 + act * 7 + lk * 3 + depth);
    mlp_init_torch(&m, &r, 1.0f);
    float x[ROWS * IN];
    uint8_t y[ROWS];
    random_inputs(&r, x, y, sparse);
    sparse_rows sp = {0};
    int idx[ROWS];
    for (int i = 0; i < ROWS; i++) idx[i] = ROWS - 1 - i; /* a permuted selection */
    float xp[ROWS * IN];
    for (int i = 0; i < ROWS; i++) memcpy(xp + i * IN, x + idx[i] * IN, sizeof(float) * IN);
    mlp_input in = {.rows = ROWS, .dense = xp};
    if (sparse) {
        sparse_from_dense(x, ROWS, IN, &sp);
        in = (mlp_input){.rows = ROWS, .sparse = &sp, .idx = idx};
    }
    mlp_noise nz = {1e-3f, 99, 0, 0}; /* noise is additive: the same draws in every evaluation */
    mlp_acts acts;
    mlp_acts_create(&acts, &m, ROWS);
    batch_loss(&m, &acts, &in, &nz, lk, y);
    loss_backward(lk, acts.a[depth - 1], y, ROWS, OUT, acts.dlogits);
    memset(m.grads, 0, m.n_params * sizeof(float));
    mlp_backward(&m, &in, &acts);
    float *g = malloc(m.n_params * sizeof(float)), *p0 = malloc(m.n_params * sizeof(float));
    memcpy(g, m.grads, m.n_params * sizeof(float));
    memcpy(p0, m.params, m.n_params * sizeof(float));
    for (int l = 0; l < depth; l++) {
        for (int trial = 0, redraws = 0; trial < 3; trial++) {
            size_t off = m.w_off[l], n = m.layer_params[l];
            double *d = malloc(n * sizeof(double)), norm = 0, gd = 0;
            for (size_t i = 0; i < n; i++) { d[i] = rng_normal(&r); norm += d[i] * d[i]; }
            norm = sqrt(norm);
            for (size_t i = 0; i < n; i++) { d[i] /= norm; gd += d[i] * g[off + i]; }
            const double h = (act == ACT_RELU || act == ACT_LEAKY_RELU) ? 1e-3 : 1e-2;
            for (size_t i = 0; i < n; i++) m.params[off + i] = (float)(p0[off + i] + h * d[i]);
            double lp = batch_loss(&m, &acts, &in, &nz, lk, y);
            unsigned char kp[ROWS * WIDTH * 4], km[ROWS * WIDTH * 4];
            int nk = kink_pattern(&m, &acts, kp);
            for (size_t i = 0; i < n; i++) m.params[off + i] = (float)(p0[off + i] - h * d[i]);
            double lm = batch_loss(&m, &acts, &in, &nz, lk, y);
            kink_pattern(&m, &acts, km);
            memcpy(m.params, p0, m.n_params * sizeof(float));
            if ((act == ACT_RELU || act == ACT_LEAKY_RELU) && memcmp(kp, km, (size_t)nk) != 0 && redraws < 20) {
                redraws++;
                trial--;
                free(d);
                continue;
            }
            double fd = (lp - lm) / (2 * h);
            if (!(fabs(fd - gd) <= 1e-4 + 2e-2 * fabs(fd)))
                fprintf(stderr, "  act %s loss %d depth %d sparse %d layer %d: fd %.6g analytic %.6g\n",
                        activation_name(act), lk, depth, sparse, l, fd, gd);
            CHECK_CLOSE(gd, fd, 1e-4, 2e-2);
            free(d);
        }
    }
    free(g); free(p0);
    mlp_acts_free(&acts);
    sparse_free(&sp);
    mlp_free(&m);
}

TEST(mlp_gradients_all_activations_and_losses) {
    activation acts[] = {ACT_RELU, ACT_TANH, ACT_SIGMOID, ACT_GELU, ACT_LEAKY_RELU, ACT_IDENTITY};
    for (int a = 0; a < 6; a++)
        for (int lk = 0; lk < 2; lk++) grad_check(failures, acts[a], (loss_kind)lk, 3, 0);
}

TEST(mlp_gradients_sparse_first_layer_and_depths) {
    for (int depth = 1; depth <= 4; depth++) {
        grad_check(failures, ACT_TANH, LOSS_MSE, depth, 1);
        grad_check(failures, ACT_RELU, LOSS_CROSS_ENTROPY, depth, 1);
    }
}

/* A gradient check must be able to fail: a deliberately wrong analytic gradient is caught. */
TEST(mlp_gradient_check_detects_a_wrong_gradient) {
    CHECK(fabs(act_grad(ACT_GELU, 0.7f) - (act_apply(ACT_GELU, 0.7001f) - act_apply(ACT_GELU, 0.6999f)) / 0.0002f) < 1e-3);
    CHECK(fabs(act_grad(ACT_SIGMOID, -1.3f) - (act_apply(ACT_SIGMOID, -1.2999f) - act_apply(ACT_SIGMOID, -1.3001f)) / 0.0002f) < 1e-3);
    /* a 1% error in a gradient exceeds the tolerance used above */
    double fd = 0.8, wrong = 0.8 * 1.03;
    CHECK(!(fabs(fd - wrong) <= 1e-4 + 2e-2 * fabs(fd)));
}

TEST(mlp_sparse_forward_equals_dense) {
    mlp m;
    CHECK(mlp_create(&m, IN, 70, 2, OUT, ACT_RELU, 1) == 0); /* 70: the 64-wide, 8-wide and scalar tails */
    rng_t r;
    rng_seed(&r, 5);
    mlp_init_torch(&m, &r, 8.0f);
    float x[ROWS * IN];
    uint8_t y[ROWS];
    random_inputs(&r, x, y, 1);
    sparse_rows sp;
    double density = sparse_from_dense(x, ROWS, IN, &sp);
    CHECK(sp.background == -0.4242f);
    CHECK(density > 0.2 && density < 0.6);
    int idx[ROWS];
    for (int i = 0; i < ROWS; i++) idx[i] = i;
    mlp_acts a1, a2;
    mlp_acts_create(&a1, &m, ROWS);
    mlp_acts_create(&a2, &m, ROWS);
    mlp_input dense = {.rows = ROWS, .dense = x}, sparse = {.rows = ROWS, .sparse = &sp, .idx = idx};
    mlp_forward(&m, &dense, NULL, &a1);
    mlp_forward(&m, &sparse, NULL, &a2);
    for (int i = 0; i < ROWS * 70; i++) CHECK_CLOSE(a2.z[0][i], a1.z[0][i], 1e-4, 1e-5);
    for (int i = 0; i < ROWS * OUT; i++) CHECK_CLOSE(a2.a[1][i], a1.a[1][i], 1e-3, 1e-5);
    mlp_acts_free(&a1); mlp_acts_free(&a2);
    sparse_free(&sp);
    mlp_free(&m);
}

TEST(mlp_init_matches_torch_bounds_and_norms) {
    mlp m;
    CHECK(mlp_create(&m, 784, 200, 3, 10, ACT_RELU, 1) == 0);
    CHECK(m.n_params == 784 * 200 + 200 + 200 * 200 + 200 + 200 * 10 + 10);
    rng_t r;
    rng_seed(&r, 0);
    mlp_init_torch(&m, &r, 8.0f);
    for (int l = 0; l < 3; l++) {
        double bound = 8.0 / sqrt((double)m.dims[l]), mx = 0, ss = 0;
        for (size_t i = 0; i < m.layer_params[l]; i++) {
            double v = m.params[m.w_off[l] + i];
            if (fabs(v) > mx) mx = fabs(v);
            ss += v * v;
        }
        CHECK(mx <= bound);
        CHECK(mx > 0.99 * bound);
        /* E[sum v^2] = n * bound^2 / 3: the 65.3 / 65.6 / 14.9 at init */
        double expect = sqrt(m.layer_params[l] * bound * bound / 3.0);
        CHECK_CLOSE(sqrt(ss), expect, 0.0, 0.01);
    }
    mlp_free(&m);
}
