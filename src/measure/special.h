/* special.h — special functions for the estimators, in double (no -ffast-math here). */
#ifndef GI_SPECIAL_H
#define GI_SPECIAL_H

/* ψ(x) for x > 0: recurrence up to x >= 10, then the asymptotic series (|error| < 1e-15). */
double digamma(double x);
/* log of the volume of the unit Euclidean ball in d dimensions: (d/2) log π − log Γ(d/2 + 1) */
double log_unit_ball_volume(int d);
/* Φ⁻¹(p) for p in (0, 1): Wichura's AS 241 (relative error about 1e-16). */
double normal_quantile(double p);
#endif
