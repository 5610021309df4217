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
