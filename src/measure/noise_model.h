/* noise_model.h — the information of the noisy network itself (Goldfeld et al., ICML 2019,
 * "Estimating information flow in deep neural networks"): for a layer T = f(X) + Z, Z ~ N(0, σ²I)
 * of known σ, and X uniform over the N points of a subset, T is the Gaussian mixture
 * (1/N) Σ_j N(μ_j = f(x_j), σ²I), and
 *   I(X;T) = h(T) − (d/2) ln(2πeσ²)         in [0, ln N],
 *   I(T;Y) = H(Y) − H(Y|T)                  in [0, H(Y)], with the mixture's own posterior p(y | t),
 * estimated by Monte Carlo over draws t = μ_i + σz, beside the Kolchinsky–Tracey pairwise-distance
 * bounds (deterministic). Everything in nats; noise_model.c derives it. */
#ifndef GI_NOISE_MODEL_H
#define GI_NOISE_MODEL_H
#include <stdint.h>
#include "measure/estimators.h"

#define NOISE_DEFAULT_DRAWS 8

typedef struct {
    double sigma;     /* σ of the noise, absolute (the seed adds mi.sigma = 1e-3 to every layer) */
    double sigma_rel; /* > 0: σ = sigma_rel × the layer's RMS per coordinate about its mean instead */
    int draws;        /* Monte-Carlo draws z per component, each used as +z and −z; 0: bounds only */
    uint64_t seed;    /* the draws are noise_key(seed, STREAM_NOISE_MODEL, 0, 0)'s (noise_draws) */
} noise_options;

/* Deterministic bounds: I(X;T) by Kolchinsky–Tracey (lo: Bhattacharyya, hi: Kullback–Leibler);
 * I(T;Y) = I(X;T) − I(X;T|Y) from those of I(X;T) and of each class's own mixture, clipped to
 * [0, H(Y)] (NAN without labels). */
typedef struct { double ixt_lo, ixt_hi, ity_lo, ity_hi; } noise_bounds;

typedef struct {
    double sigma;      /* the σ used */
    estimate ixt;      /* I(X;T) ± standard error (NAN without draws) */
    estimate ity;      /* I(T;Y) ± standard error (NAN without draws or labels) */
    double h_t;        /* h(T) = I(X;T) + (d/2) ln(2πeσ²), with ixt's standard error */
    double h_y;        /* H(Y) = −Σ p̂ ln p̂ of the labels (NAN without them) */
    noise_bounds kt;
    long long pairs;   /* ordered pairs (i, j) inside the pruning radius: what the time grows with */
} noise_result;

/* mu: the noiseless layer, n x d row-major (finite, n >= 2); labels: n integers, or NULL.
 * Bit-identical for any number of threads. */
int noise_model(const double *mu, int n, int d, const int *labels, const noise_options *o, noise_result *out,
                gi_err *e);

/* The pieces on their own (each runs noise_model with what it needs): */
/* h(T) of the mixture (1/N) Σ_j N(μ_j, σ²I), σ absolute. */
int noise_mixture_entropy(const double *mu, int n, int d, double sigma, int draws, uint64_t seed, estimate *out,
                          gi_err *e);
int noise_mi_xt(const double *mu, int n, int d, const noise_options *o, estimate *out, gi_err *e);
int noise_mi_ty(const double *mu, int n, int d, const int *labels, const noise_options *o, estimate *out, gi_err *e);
/* Needs no draws; labels may be NULL. */
int noise_kt_bounds(const double *mu, int n, int d, const int *labels, const noise_options *o, noise_bounds *out,
                    gi_err *e);

/* The σ that o gives for this layer (sigma, or sigma_rel × RMS). */
double noise_sigma(const double *mu, int n, int d, const noise_options *o);
/* Component i's draws, z (draws x d), as the estimator uses them: standard normals from the
 * counter-based generator (util/rng.h noise_add: floats, ~1e-6 relative), so that any component
 * can be drawn by any thread. */
void noise_draws(uint64_t seed, int i, int draws, int d, float *z);
#endif
