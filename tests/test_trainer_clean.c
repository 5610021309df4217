/* test_trainer_clean.c — the layers without their noise (trainer_layers_clean), on the modular
 * task (it needs no data files): equal to evaluation's captured outputs when the noise is off, and
 * within a few σ of them, but not equal, when it is on; and with a fresh draw of it
 * (trainer_layers_redraw). */
#include <stdlib.h>
#include "test.h"
#include "train/trainer.h"

static void compare(int noise, int *failures) {
    gi_config c;
    gi_err e = {""};
    config_defaults(&c);
    CHECK(config_load_file(&c, "configs/modular.yaml", &e) == 0);
    CHECK(config_override(&c, "data.p=11", &e) == 0 && config_override(&c, "model.width=16", &e) == 0);
    CHECK(config_override(&c, noise ? "model.noise=true" : "model.noise=false", &e) == 0);
    trainer t;
    if (trainer_create(&t, &c, "data/mnist", &e)) { CHECK(!"trainer_create"); fprintf(stderr, "  %s\n", e.msg); return; }
    for (int i = 0; i < 3; i++) CHECK(trainer_step(&t, &e) == 0);
    int L = t.model.n_layers, n = t.sets[SUBSET_EVAL].n;
    float *noisy[MLP_MAX_LAYERS] = {0}, *clean[MLP_MAX_LAYERS] = {0};
    for (int l = 0; l < L; l++) {
        noisy[l] = t.capture[SUBSET_EVAL][l] = malloc((size_t)n * t.model.dims[l + 1] * sizeof(float));
        clean[l] = malloc((size_t)n * t.model.dims[l + 1] * sizeof(float));
    }
    metrics_row row;
    trainer_evaluate(&t, &row);
    trainer_layers_clean(&t, SUBSET_EVAL, clean);
    double worst = 0.0;
    size_t differ = 0;
    /* the first layer: its noise is the only difference (deeper layers also carry it forward) */
    for (size_t i = 0; i < (size_t)n * t.model.dims[1]; i++) {
        worst = fmax(worst, fabs((double)noisy[0][i] - clean[0][i]));
        differ += noisy[0][i] != clean[0][i];
    }
    if (noise) {
        CHECK(differ > (size_t)n * t.model.dims[1] / 4); /* ReLU zeros stay zero where z is far below 0 */
        CHECK(worst > 1e-4 && worst < 6.0 * c.mi.sigma);
    } else CHECK(differ == 0);
    for (int l = 0; l < L; l++) { t.capture[SUBSET_EVAL][l] = NULL; free(noisy[l]); free(clean[l]); }
    trainer_free(&t);
}

TEST(trainer_layers_clean_without_noise_equal_evaluation) { compare(0, failures); }
TEST(trainer_layers_clean_differ_by_the_noise_alone) { compare(1, failures); }

/* trainer_layers_redraw: a fresh draw of the evaluation noise, the same for the same (step, subset,
 * draw), another for another draw, the layers' means unchanged (the first layer within a few σ of
 * the evaluation's), and nothing else moves: parameters, step, batch order, and what the next
 * evaluation captures. With the noise off a redraw is the evaluation's output exactly. */
static void redraw(int noise, int *failures) {
    gi_config c;
    gi_err e = {""};
    config_defaults(&c);
    CHECK(config_load_file(&c, "configs/modular.yaml", &e) == 0);
    CHECK(config_override(&c, "data.p=11", &e) == 0 && config_override(&c, "model.width=16", &e) == 0);
    CHECK(config_override(&c, noise ? "model.noise=true" : "model.noise=false", &e) == 0);
    trainer t;
    if (trainer_create(&t, &c, "data/mnist", &e)) { CHECK(!"trainer_create"); fprintf(stderr, "  %s\n", e.msg); return; }
    for (int i = 0; i < 3; i++) CHECK(trainer_step(&t, &e) == 0);
    int L = t.model.n_layers, s = SUBSET_TRAIN, n = t.sets[s].n;
    size_t n0 = (size_t)n * t.model.dims[1];
    float *eval[MLP_MAX_LAYERS] = {0}, *r1[MLP_MAX_LAYERS] = {0}, *r1b[MLP_MAX_LAYERS] = {0}, *r2[MLP_MAX_LAYERS] = {0};
    for (int l = 0; l < L; l++) {
        size_t bytes = (size_t)n * t.model.dims[l + 1] * sizeof(float);
        eval[l] = t.capture[s][l] = malloc(bytes);
        r1[l] = malloc(bytes); r1b[l] = malloc(bytes); r2[l] = malloc(bytes);
    }
    metrics_row before, after;
    trainer_evaluate(&t, &before);
    float *first = malloc(n0 * sizeof(float));
    memcpy(first, eval[0], n0 * sizeof(float));
    float *params = malloc(t.model.n_params * sizeof(float));
    memcpy(params, t.model.params, t.model.n_params * sizeof(float));
    rng_t shuffle = t.shuffle_rng;
    int64_t step = t.step;
    trainer_layers_redraw(&t, s, 1, r1);
    trainer_layers_redraw(&t, s, 2, r2);
    trainer_layers_redraw(&t, s, 1, r1b);
    CHECK(t.step == step && memcmp(&shuffle, &t.shuffle_rng, sizeof shuffle) == 0);
    CHECK(memcmp(params, t.model.params, t.model.n_params * sizeof(float)) == 0);
    trainer_evaluate(&t, &after);
    CHECK(memcmp(first, eval[0], n0 * sizeof(float)) == 0 && after.loss[s] == before.loss[s] && after.acc[s] == before.acc[s]);
    for (int l = 0; l < L; l++) CHECK(memcmp(r1[l], r1b[l], (size_t)n * t.model.dims[l + 1] * sizeof(float)) == 0);
    size_t differ = 0, differ12 = 0;
    double worst = 0.0;
    for (size_t i = 0; i < n0; i++) {
        differ += r1[0][i] != eval[0][i];
        differ12 += r1[0][i] != r2[0][i];
        worst = fmax(worst, fabs((double)r1[0][i] - eval[0][i]));
    }
    if (noise) {
        CHECK(differ > n0 / 4 && differ12 > n0 / 4); /* (ReLU zeros stay zero where z is far below 0) */
        CHECK(worst > 1e-4 && worst < 12.0 * c.mi.sigma);  /* two independent draws: σ√2 apart */
    } else CHECK(differ == 0 && differ12 == 0);
    for (int l = 0; l < L; l++) { t.capture[s][l] = NULL; free(eval[l]); free(r1[l]); free(r1b[l]); free(r2[l]); }
    free(first);
    free(params);
    trainer_free(&t);
}

TEST(trainer_layers_redraw_a_fresh_reproducible_noise_draw) { redraw(1, failures); }
TEST(trainer_layers_redraw_without_noise_equal_evaluation) { redraw(0, failures); }
