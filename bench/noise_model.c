/* bench/noise_model.c — the noise-model estimator (src/measure/noise_model.h) at the default run's
 * evaluation size: N = 9000 of the embedded digits through a 784-200-200 ReLU network with He
 * initialisation (weights N(0, 2/fan_in), fixed seed), each layer of width 200 measured with its
 * labels at σ = 1e-3 (the seed's) and at σ = 0.1 × the layer's RMS. The time of one call
 * (everything: σ, pairs, draws, bounds), best of REPS, at the OpenMP threads given.
 * Output, one line per case:
 *   case <name> seconds <best> pairs <n> ixt <I(X;T)> se <stderr> ity <I(T;Y)> kt <lo> <hi>
 * Build and run: bash bench/noise_model.sh (part of `make bench`). Usage: bench_noise_model DATA_DIR [REPS] */
#define _POSIX_C_SOURCE 200809L
#include <cblas.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>
#include "data/dataset.h"
#include "measure/noise_model.h"
#include "util/rng.h"

enum { N = 9000, WIDTH = 200 };

static double now(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + 1e-9 * (double)ts.tv_nsec;
}

/* out (N x WIDTH) = ReLU(in (N x k) · W), W ~ N(0, 2/k) */
static void relu_layer(const float *in, int k, rng_t *g, float *out) {
    float *w = malloc((size_t)k * WIDTH * sizeof(float));
    for (int i = 0; i < k * WIDTH; i++) w[i] = (float)(rng_normal(g) * sqrt(2.0 / k));
    cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasNoTrans, N, WIDTH, k, 1.0f, in, k, w, WIDTH, 0.0f, out, WIDTH);
    for (size_t i = 0; i < (size_t)N * WIDTH; i++) out[i] = out[i] > 0 ? out[i] : 0.0f;
    free(w);
}

static void bench(const char *name, const float *layer, const int *labels, const noise_options *o, int reps) {
    double *mu = malloc((size_t)N * WIDTH * sizeof(double)), best = 1e30;
    for (size_t i = 0; i < (size_t)N * WIDTH; i++) mu[i] = layer[i];
    noise_result r;
    gi_err e;
    for (int k = 0; k < reps; k++) {
        double t0 = now();
        if (noise_model(mu, N, WIDTH, labels, o, &r, &e)) { fprintf(stderr, "noise bench: %s\n", e.msg); exit(1); }
        double t = now() - t0;
        if (t < best) best = t;
    }
    printf("case %s seconds %.4f pairs %lld sigma %.3g ixt %.6f se %.2g ity %.6f se %.2g kt %.6f %.6f\n", name, best,
           r.pairs, r.sigma, r.ixt.value, r.ixt.stderr_, r.ity.value, r.ity.stderr_, r.kt.ixt_lo, r.kt.ixt_hi);
    free(mu);
}

int main(int argc, char **argv) {
    if (argc < 2) { fprintf(stderr, "usage: %s DATA_DIR [REPS]\n", argv[0]); return 2; }
    int reps = argc > 2 ? atoi(argv[2]) : 5;
    openblas_set_num_threads(1); /* as grokinfo: the parallelism is OpenMP's */
    dataset ds;
    gi_err e;
    if (dataset_load_npm10k(argv[1], 0.1307, 0.3081, &ds, &e)) { fprintf(stderr, "noise bench: %s\n", e.msg); return 1; }
    if (ds.n < N) { fprintf(stderr, "noise bench: %d digits, need %d\n", ds.n, N); return 1; }
    int *labels = malloc(N * sizeof(int));
    for (int i = 0; i < N; i++) labels[i] = ds.y[i];
    rng_t g;
    rng_seed(&g, 2024);
    float *h1 = malloc((size_t)N * WIDTH * sizeof(float)), *h2 = malloc((size_t)N * WIDTH * sizeof(float));
    relu_layer(ds.x, ds.dim, &g, h1);
    relu_layer(h1, WIDTH, &g, h2);
    noise_options abs = {.sigma = 1e-3, .draws = NOISE_DEFAULT_DRAWS, .seed = 1};
    noise_options rel = {.sigma_rel = 0.1, .draws = NOISE_DEFAULT_DRAWS, .seed = 1};
    bench("layer1_sigma1e-3", h1, labels, &abs, reps);
    bench("layer2_sigma1e-3", h2, labels, &abs, reps);
    bench("layer1_sigma_rel0.1", h1, labels, &rel, reps);
    bench("layer2_sigma_rel0.1", h2, labels, &rel, reps);
    free(h1); free(h2); free(labels);
    dataset_free(&ds);
    return 0;
}
