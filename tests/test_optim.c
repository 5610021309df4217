/* The optimisers against values worked out by hand from PyTorch's update rules. */
#include "nn/optim.h"
#include "test.h"

TEST(optim_adamw_first_step_by_hand) {
    /* step 1: m̂ = g, v̂ = g², so p1 = p0(1 - lr·wd) - lr·g/(|g| + eps) */
    float p[2] = {1.0f, -2.0f}, g[2] = {0.5f, -0.25f};
    optim o;
    optim_create(&o, OPT_ADAMW, 2, 1e-3, 1e-2, 0.9, 0.999, 1e-8, 0);
    optim_step(&o, p, g);
    CHECK_CLOSE(p[0], 0.99999 - 1e-3 * 0.5 / (0.5 + 1e-8), 1e-7, 0);   /* 0.99899000002 */
    CHECK_CLOSE(p[1], -2.0 * 0.99999 + 1e-3 * 0.25 / (0.25 + 1e-8), 1e-7, 0);
    optim_free(&o);
}

TEST(optim_adamw_three_steps_by_hand) {
    /* p0 = 0.3, grads 0.2, -0.1, 0.4; lr 0.1, wd 0.5, betas (0.9, 0.99), eps 1e-8.
     * t=1: m=0.02 v=0.0004; p=0.3*0.95=0.285; m̂=0.2 v̂=0.0004 → p=0.285-0.1*0.2/0.02=0.185
     * t=2: m=0.018-0.01=0.008, v=0.000396+0.0001=0.000496; p=0.185*0.95=0.17575;
     *      m̂=0.008/0.19=0.0421053, v̂=0.000496/0.0199=0.0249246, sqrt=0.157875 → p=0.17575-0.0266700=0.1490800
     * t=3: m=0.0072+0.04=0.0472, v=0.00049104+0.0016=0.00209104; p=0.14908*0.95=0.141626;
     *      m̂=0.0472/0.271=0.174170, v̂=0.00209104/0.029701=0.0704031, sqrt=0.265336 → p=0.141626-0.0656412=0.0759848 */
    float p = 0.3f, grads[3] = {0.2f, -0.1f, 0.4f};
    double expect[3] = {0.185, 0.1490800, 0.0759848};
    optim o;
    optim_create(&o, OPT_ADAMW, 1, 0.1, 0.5, 0.9, 0.99, 1e-8, 0);
    for (int t = 0; t < 3; t++) {
        optim_step(&o, &p, &grads[t]);
        CHECK_CLOSE(p, expect[t], 2e-6, 1e-5);
    }
    optim_free(&o);
}

TEST(optim_adam_l2_and_sgd_momentum_by_hand) {
    /* Adam: g' = g + wd·p = 0.5 + 0.1·2 = 0.7; first step moves by lr·sign: 2 - 0.01 = 1.99 */
    float p = 2.0f, g = 0.5f;
    optim o;
    optim_create(&o, OPT_ADAM, 1, 0.01, 0.1, 0.9, 0.999, 1e-8, 0);
    optim_step(&o, &p, &g);
    CHECK_CLOSE(p, 1.99, 1e-6, 0);
    optim_free(&o);
    /* SGD, momentum 0.9, wd 0: buf1 = g = 1 → p = 1 - 0.1 = 0.9; buf2 = 0.9 + 1 = 1.9 → p = 0.71 */
    float q = 1.0f, one = 1.0f;
    optim_create(&o, OPT_SGD, 1, 0.1, 0.0, 0, 0, 0, 0.9);
    optim_step(&o, &q, &one);
    CHECK_CLOSE(q, 0.9, 1e-7, 0);
    optim_step(&o, &q, &one);
    CHECK_CLOSE(q, 0.71, 1e-6, 0);
    optim_free(&o);
}

/* The vectorised path (whole blocks of 16) against the update rule in double, over 37 parameters
 * (two vectors and a scalar tail), several steps, all three optimisers. */
TEST(optim_vector_path_matches_reference_in_double) {
    enum { N = 37, STEPS = 6 };
    optim_kind kinds[3] = {OPT_ADAMW, OPT_ADAM, OPT_SGD};
    for (int kk = 0; kk < 3; kk++) {
        float p[N], g[N];
        double rp[N], rm[N] = {0}, rv[N] = {0};
        for (int i = 0; i < N; i++) { p[i] = (float)(0.1 * (i - 18)); rp[i] = p[i]; }
        const double lr = 1e-2, wd = 0.1, b1 = 0.9, b2 = 0.99, eps = 1e-8, mu = 0.5;
        optim o;
        optim_create(&o, kinds[kk], N, lr, wd, b1, b2, eps, mu);
        for (int t = 1; t <= STEPS; t++) {
            for (int i = 0; i < N; i++) g[i] = (float)(0.37 * sin(1.3 * i + t) * (i % 5 == 0 ? 0.0 : 1.0)); /* zeros: v = 0 lanes */
            optim_step(&o, p, g);
            for (int i = 0; i < N; i++) {
                double gi = g[i];
                if (kinds[kk] == OPT_SGD) {
                    gi += wd * rp[i];
                    rm[i] = t == 1 ? gi : mu * rm[i] + gi;
                    rp[i] -= lr * rm[i];
                    continue;
                }
                if (kinds[kk] == OPT_ADAMW) rp[i] *= 1 - lr * wd; else gi += wd * rp[i];
                rm[i] = b1 * rm[i] + (1 - b1) * gi;
                rv[i] = b2 * rv[i] + (1 - b2) * gi * gi;
                double mhat = rm[i] / (1 - pow(b1, t)), vhat = rv[i] / (1 - pow(b2, t));
                rp[i] -= lr * mhat / (sqrt(vhat) + eps);
            }
        }
        for (int i = 0; i < N; i++) CHECK_CLOSE(p[i], rp[i], 1e-7, 2e-6);
        optim_free(&o);
    }
}

/* Late in training gradients vanish and v becomes subnormal: the update must stay finite and
 * equal to the rule (a NaN here once killed a 100k-step run at step 83000). */
TEST(optim_subnormal_second_moment_stays_finite) {
    enum { N = 48 };
    float p[N], g[N];
    for (int i = 0; i < N; i++) { p[i] = 0.5f; g[i] = (i % 3 == 0) ? 0.0f : 1e-21f * (float)(i + 1); }
    optim o;
    optim_create(&o, OPT_ADAMW, N, 1e-3, 1e-2, 0.9, 0.999, 1e-8, 0);
    for (int i = 0; i < N; i++) o.v[i] = (i % 2) ? 1e-41f : 0.0f; /* subnormal and zero */
    optim_step(&o, p, g);
    for (int i = 0; i < N; i++) {
        CHECK(isfinite(p[i]));
        double v = 0.999 * ((i % 2) ? 1e-41 : 0.0) + 0.001 * (double)g[i] * g[i], m = 0.1 * g[i];
        double ref = 0.5 * (1 - 1e-5) - 1e-3 * (m / 0.1) / (sqrt(v / 0.001) + 1e-8);
        CHECK_CLOSE(p[i], ref, 1e-7, 1e-6);
    }
    optim_free(&o);
}
