/* test_trainer_clean.c — the layers without their noise (trainer_layers_clean), on the modular
 * task (it needs no data files): equal to evaluation's captured outputs when the noise is off, and
 * within a few σ of them, but not equal, when it is on. */
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
