/* rng.h — random numbers. Two kinds:
 *  - rng_t: a xoshiro256** stream with state, for initialisation and batch shuffling
 *    (its state goes into checkpoints);
 *  - counter-based Gaussian noise: noise_fill(key, offset, ...) is a pure function of
 *    (key, index), so that any slice can be drawn in any order, by any thread, and a resumed
 *    run draws exactly what an uninterrupted one would. */
#ifndef GI_RNG_H
#define GI_RNG_H
#include <stddef.h>
#include <stdint.h>

typedef struct { uint64_t s[4]; } rng_t;

uint64_t splitmix64(uint64_t *state);
/* Every random stream's id, the second word of its key: noise_key(seed, STREAM_x, ...). All of
 * them are here so that two never share one; the numbers are fixed (results depend on them). */
enum rng_stream {
    STREAM_SPLIT = 1,              /* train/trainer.c: the training / evaluation split */
    STREAM_INIT = 2,               /*                  the parameters' initialisation */
    STREAM_SHUFFLE = 3,            /*                  the batch order */
    STREAM_TRAIN_NOISE = 4,        /*                  layer noise in training steps, by step */
    STREAM_EVAL_NOISE = 5,         /*                  layer noise in evaluations, by step and subset */
    STREAM_EVAL_REDRAW = 6,        /*                  the plane's fresh draws of it (mi.noise_redraws), by
                                                       step, subset and draw */
    STREAM_AE_INIT = 11,           /* nn/autoencoder.c: its initialisation */
    STREAM_AE_SHUFFLE = 12,        /*                   its batch order */
    STREAM_AE_NOISE = 13,          /*                   the noise on its code, by step */
    STREAM_SLICED_DIRECTIONS = 21, /* measure/infoplane.c: sliced MI's random directions */
    STREAM_NOISE_MODEL = 22,       /* measure/noise_model.c: the Monte-Carlo draws z, by component */
    STREAM_PLANE = 31,             /* run/plane.c: the information plane's per-subset and per-layer keys */
    STREAM_PLANE_ROWS = 32,        /*              the rows of mi.eval_points */
    STREAM_PLANE_HALF = 33,        /*              the fixed half of each subset's measured rows, by subset */
    STREAM_OINFO_TIES = 41,        /* measure/oinfo.c: oinfo.ties=random's order of equal values, by step and layer */
};

/* A 64-bit mix of several words: keys for noise streams, e.g. noise_key(seed, STREAM, step, layer). */
uint64_t noise_key(uint64_t a, uint64_t b, uint64_t c, uint64_t d);

void rng_seed(rng_t *r, uint64_t seed);
uint64_t rng_u64(rng_t *r);
double rng_uniform(rng_t *r);                  /* [0, 1), 53 bits */
uint32_t rng_below(rng_t *r, uint32_t n);      /* uniform integer in [0, n), unbiased */
double rng_normal(rng_t *r);                   /* standard normal (Box-Muller, double) */
void rng_shuffle_int(rng_t *r, int *a, int n); /* Fisher-Yates */

/* out[i] += sigma * N(0,1)_{key, offset + i} for i in [0, n). Box-Muller on a counter hash,
 * with float polynomial log/sin/cos: about 1e-6 relative accuracy, vectorised. */
void noise_add(float *out, size_t n, float sigma, uint64_t key, uint64_t offset);
#endif
