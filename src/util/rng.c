#include "util/rng.h"
#include <math.h>
#include <string.h>

uint64_t splitmix64(uint64_t *state) {
    uint64_t z = (*state += 0x9e3779b97f4a7c15ULL);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
    return z ^ (z >> 31);
}

static inline uint64_t mix64(uint64_t z) {
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
    return z ^ (z >> 31);
}

uint64_t noise_key(uint64_t a, uint64_t b, uint64_t c, uint64_t d) {
    uint64_t h = mix64(a + 0x9e3779b97f4a7c15ULL);
    h = mix64(h ^ (b + 0x632be59bd9b4e019ULL));
    h = mix64(h ^ (c + 0x85157af5ULL));
    return mix64(h ^ (d + 0x2545f4914f6cdd1dULL));
}

static inline uint64_t rotl(uint64_t x, int k) { return (x << k) | (x >> (64 - k)); }

void rng_seed(rng_t *r, uint64_t seed) {
    uint64_t sm = seed;
    for (int i = 0; i < 4; i++) r->s[i] = splitmix64(&sm);
}

uint64_t rng_u64(rng_t *r) {
    uint64_t *s = r->s;
    uint64_t result = rotl(s[1] * 5, 7) * 9, t = s[1] << 17;
    s[2] ^= s[0]; s[3] ^= s[1]; s[1] ^= s[2]; s[0] ^= s[3];
    s[2] ^= t; s[3] = rotl(s[3], 45);
    return result;
}

double rng_uniform(rng_t *r) { return (rng_u64(r) >> 11) * 0x1.0p-53; }

uint32_t rng_below(rng_t *r, uint32_t n) {
    /* Lemire's multiply-shift with rejection of the biased low range. */
    uint64_t m = (uint64_t)(uint32_t)(rng_u64(r) >> 32) * n;
    uint32_t low = (uint32_t)m;
    if (low < n) {
        uint32_t threshold = -n % n;
        while (low < threshold) {
            m = (uint64_t)(uint32_t)(rng_u64(r) >> 32) * n;
            low = (uint32_t)m;
        }
    }
    return (uint32_t)(m >> 32);
}

double rng_normal(rng_t *r) {
    double u1 = 1.0 - rng_uniform(r), u2 = rng_uniform(r);
    return sqrt(-2.0 * log(u1)) * cos(6.283185307179586 * u2);
}

void rng_shuffle_int(rng_t *r, int *a, int n) {
    for (int i = n - 1; i > 0; i--) {
        int j = (int)rng_below(r, (uint32_t)i + 1);
        int t = a[i]; a[i] = a[j]; a[j] = t;
    }
}

/* ln(x) for x in (0, 1]: x = 2^e * m with m in [sqrt(1/2), sqrt(2)), ln(m) = 2 atanh(s),
 * s = (m-1)/(m+1), |s| <= 0.172, series to s^9 (truncation < 1e-9). */
static inline float log_unit(float x) {
    union { float f; uint32_t u; } bits = {x}, mb;
    int e = (int)(bits.u >> 23) - 127;
    mb.u = (bits.u & 0x7fffffu) | 0x3f800000u;
    float m = mb.f;
    int big = m > 1.41421356f; /* branch-free, so that the caller's loop vectorises */
    m = big ? 0.5f * m : m;
    e += big;
    float s = (m - 1.0f) / (m + 1.0f), s2 = s * s;
    float p = s * (2.0f + s2 * (0.6666666667f + s2 * (0.4f + s2 * (0.2857142857f + s2 * 0.2222222222f))));
    return (float)e * 0.693147180559945f + p;
}

typedef struct { float z0, z1; } normal2;
static inline normal2 normal_pair(uint64_t key, uint64_t counter) {
    uint64_t h = mix64(key + counter * 0x9e3779b97f4a7c15ULL);
    int32_t hi = (int32_t)(h >> 40), lo = (int32_t)(h & 0xffffffu); /* int32: vectorises */
    float u1 = (float)(hi + 1) * 0x1.0p-24f;     /* (0, 1] */
    float r = sqrtf(-2.0f * log_unit(u1));
    /* angle 2*pi*u2 = q*pi/2 + x with x in [-pi/4, pi/4]; q = round(4*u2) in integers */
    int32_t qi = (lo + (1 << 21)) >> 22;
    float x = (float)(lo - (qi << 22)) * (0x1.0p-24f * 6.28318530717959f);
    int q = qi & 3;
    /* sin and cos of x in [-pi/4, pi/4]: Taylor to x^9 / x^8, error < 4e-8 */
    float x2 = x * x;
    float s = x * (1.0f + x2 * (-1.0f / 6 + x2 * (1.0f / 120 + x2 * (-1.0f / 5040 + x2 * (1.0f / 362880)))));
    float c = 1.0f + x2 * (-0.5f + x2 * (1.0f / 24 + x2 * (-1.0f / 720 + x2 * (1.0f / 40320))));
    /* cos(x + q*pi/2), sin(x + q*pi/2) by quadrant, without branches */
    int swap = q & 1;
    float sign_c = (float)(1 - 2 * (((q + 1) >> 1) & 1)), sign_s = (float)(1 - 2 * ((q >> 1) & 1));
    float cs = sign_c * (swap ? s : c);
    float sn = sign_s * (swap ? c : s);
    return (normal2){r * cs, r * sn};
}

void noise_add(float *out, size_t n, float sigma, uint64_t key, uint64_t offset) {
    size_t i = 0;
    /* an odd offset starts with the second normal of a pair */
    if ((offset & 1) && n > 0) {
        out[i++] += sigma * normal_pair(key, offset >> 1).z1;
    }
    uint64_t pair0 = (offset + i) >> 1;
    size_t npairs = (n - i) / 2;
    float *o = out + i;
    /* blocks of separate arrays: an interleaved store in the hashing loop defeats vectorisation */
    enum { BLOCK = 256 };
    float first[BLOCK], second[BLOCK];
    for (size_t p0 = 0; p0 < npairs; p0 += BLOCK) {
        size_t nb = npairs - p0 < BLOCK ? npairs - p0 : BLOCK;
        for (size_t p = 0; p < nb; p++) {
            normal2 z = normal_pair(key, pair0 + p0 + p);
            first[p] = z.z0;
            second[p] = z.z1;
        }
        for (size_t p = 0; p < nb; p++) {
            o[2 * (p0 + p)] += sigma * first[p];
            o[2 * (p0 + p) + 1] += sigma * second[p];
        }
    }
    i += 2 * npairs;
    if (i < n) {
        out[i] += sigma * normal_pair(key, (offset + i) >> 1).z0;
    }
}
