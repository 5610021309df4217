/* The counter-based Gaussian noise: distribution, independence of chunking, determinism. */
#include <stdlib.h>
#include "test.h"
#include "util/rng.h"

TEST(rng_noise_is_standard_normal) {
    size_t n = 1 << 20;
    float *z = calloc(n, sizeof(float));
    noise_add(z, n, 1.0f, noise_key(1, 2, 3, 4), 0);
    double s = 0, s2 = 0, s4 = 0;
    size_t beyond196 = 0, beyond3 = 0;
    for (size_t i = 0; i < n; i++) {
        s += z[i]; s2 += (double)z[i] * z[i]; s4 += (double)z[i] * z[i] * z[i] * z[i];
        beyond196 += fabsf(z[i]) > 1.959964f;
        beyond3 += fabsf(z[i]) > 3.0f;
    }
    double mean = s / n, var = s2 / n - mean * mean;
    CHECK_CLOSE(mean, 0.0, 5.0 / sqrt((double)n), 0);
    CHECK_CLOSE(var, 1.0, 5.0 * sqrt(2.0 / n), 0);
    CHECK_CLOSE(s4 / n, 3.0, 5.0 * sqrt(96.0 / n), 0); /* kurtosis: var of z^4 is 105 - 9 */
    CHECK_CLOSE((double)beyond196 / n, 0.05, 5.0 * sqrt(0.05 * 0.95 / n), 0);
    CHECK_CLOSE((double)beyond3 / n, 0.0026998, 5.0 * sqrt(0.0027 / n), 0);
    /* neighbours are uncorrelated (the pair from one hash included) */
    double c = 0;
    for (size_t i = 0; i + 1 < n; i++) c += (double)z[i] * z[i + 1];
    CHECK_CLOSE(c / (n - 1), 0.0, 5.0 / sqrt((double)n), 0);
    free(z);
}

TEST(rng_noise_independent_of_chunking) {
    float whole[101] = {0}, parts[101] = {0};
    noise_add(whole, 101, 0.5f, 77, 1000);
    noise_add(parts, 37, 0.5f, 77, 1000);
    noise_add(parts + 37, 64, 0.5f, 77, 1037); /* odd offset: starts mid-pair */
    for (int i = 0; i < 101; i++) CHECK(whole[i] == parts[i]);
    float other[101] = {0};
    noise_add(other, 101, 0.5f, 78, 1000);
    int same = 0;
    for (int i = 0; i < 101; i++) same += other[i] == whole[i];
    CHECK(same == 0);
}

TEST(rng_stream_and_shuffle) {
    rng_t a, b;
    rng_seed(&a, 7);
    rng_seed(&b, 7);
    for (int i = 0; i < 10; i++) CHECK(rng_u64(&a) == rng_u64(&b));
    int perm[50], seen[50] = {0};
    for (int i = 0; i < 50; i++) perm[i] = i;
    rng_shuffle_int(&a, perm, 50);
    for (int i = 0; i < 50; i++) seen[perm[i]]++;
    for (int i = 0; i < 50; i++) CHECK(seen[i] == 1);
    int counts[3] = {0};
    for (int i = 0; i < 30000; i++) counts[rng_below(&a, 3)]++;
    for (int k = 0; k < 3; k++) CHECK_CLOSE(counts[k], 10000, 5 * sqrt(30000 * 2.0 / 9), 0);
}
