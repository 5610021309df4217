/* savgol.h — Savitzky–Golay smoothing and differentiation of equally spaced samples.
 * Each output is the value (deriv 0) or the first derivative per sample (deriv 1) of the
 * least-squares polynomial of degree `order` through `window` consecutive samples centred on the
 * point; within window/2 of either end the window is the first or last `window` samples (scipy's
 * mode='interp'), so a polynomial of degree <= order is reproduced exactly everywhere. */
#ifndef GI_SAVGOL_H
#define GI_SAVGOL_H
#include "util/err.h"

#define SAVGOL_MAX_ORDER 6

/* window odd, 0 <= order < window <= n, order <= SAVGOL_MAX_ORDER, deriv 0 or 1. */
int savgol(const double *y, int n, int window, int order, int deriv, double *out, gi_err *e);
/* The weights w[0..window-1] of the estimate at sample `at` (0..window-1) of the window:
 * estimate = sum_k w[k] * y[start + k]. */
void savgol_weights(int window, int order, int deriv, int at, double *w);
#endif
