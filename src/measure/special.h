/* special.h — special functions for the estimators, in double (no -ffast-math here). */
#ifndef GI_SPECIAL_H
#define GI_SPECIAL_H

/* ψ(x) for x > 0: recurrence up to x >= 10, then the asymptotic series (|error| < 1e-15). */
double digamma(double x);
/* log of the volume of the unit Euclidean ball in d dimensions: (d/2) log π − log Γ(d/2 + 1) */
double log_unit_ball_volume(int d);
/* Φ⁻¹(p) for p in (0, 1): Wichura's AS 241 (relative error about 1e-16). */
double normal_quantile(double p);

/* e^x for x <= 0, inline and branch-free so that loops over it vectorise (libm's exp is a call):
 * x = k ln 2 + r with |r| <= ln 2 / 2 (ln 2 in two parts, so k·ln2_hi is exact), e^r by its Taylor
 * polynomial to r^13 (truncation < 4e-18), times 2^k built in the exponent bits. Within a few ulp
 * of exp; 0 below −708 (where 2^k would leave the normal range), which the callers add to sums
 * of at least 1. */
static inline double exp_nonpositive(double x) {
    const double log2e = 1.4426950408889634, ln2_hi = 0.693145751953125, ln2_lo = 1.4286068203094173e-06;
    double xc = x < -708.0 ? -708.0 : x;
    double k = (xc * log2e + 0x1.8p52) - 0x1.8p52; /* round to nearest, in double */
    double r = (xc - k * ln2_hi) - k * ln2_lo;
    double p = 1.0 / 6227020800.0;
    p = p * r + 1.0 / 479001600.0;
    p = p * r + 1.0 / 39916800.0;
    p = p * r + 1.0 / 3628800.0;
    p = p * r + 1.0 / 362880.0;
    p = p * r + 1.0 / 40320.0;
    p = p * r + 1.0 / 5040.0;
    p = p * r + 1.0 / 720.0;
    p = p * r + 1.0 / 120.0;
    p = p * r + 1.0 / 24.0;
    p = p * r + 1.0 / 6.0;
    p = p * r + 0.5;
    p = p * r + 1.0;
    p = p * r + 1.0;
    union { long long i; double d; } scale = {((long long)k + 1023) << 52};
    return x < -708.0 ? 0.0 : p * scale.d;
}
#endif
