/* regime.c — the ground-truth table's verdicts as one row per estimator (measure/regime.h). */
#include "measure/regime.h"
#include <math.h>

static const regime_row rows[] = {
    /* ksg (standardised; Ross for labels): valid on every label-layer case; on linear-Gaussian
     * layers 0.06 low at 0.5 nats (N = 9000) but 0.13 at N = 1000, and 0.27–0.59 low at 2 nats:
     * trusted up to 0.5 (lenient at N = 1000, named in the test) */
    [EST_KSG] = {1, 1, 1, 0.5},
    /* kl: I(X;L) 2–30 nats low on label layers; 0.28 low at 0.5 nats (N = 1000), 0.08 (N = 9000):
     * up to 0.5, as ksg (lenient at N = 1000 likewise) */
    [EST_KL] = {1, 0, 1, 0.5},
    /* wkl (the seed's): I(X;L) falls like 4 ln ε on collapsed layers (valid only at ε = 0.1, N = 1000);
     * I(L;Y) valid on isotropic ones but 0.4–7.8 nats above H(Y) on anisotropic ones, which a
     * point cannot tell apart: neither trusted there; valid on every linear-Gaussian case, 1 to
     * 15 nats (at 0.5 nats its spread, ±0.09 at N = 1000, is over the 0.1 allowed: lenient) */
    [EST_WKL] = {1, 0, 0, INFINITY},
    /* wkl-pooled: as wkl on collapsed layers, I(L;Y) valid on all; linear-Gaussian valid to 10 nats */
    [EST_WKL_POOLED] = {1, 0, 1, 10.0},
    [EST_KDE] = {0, 1, 1, INFINITY},
    [EST_GAUSS] = {0, 1, 1, INFINITY},
    [EST_GCMI] = {0, 1, 1, INFINITY},
    [EST_NOISE] = {0, 1, 1, INFINITY},
};
_Static_assert(sizeof rows / sizeof rows[0] == EST_COUNT, "one regime row per estimator_kind");

const regime_row *regime_get(estimator_kind k) { return &rows[k]; }

mi_regime mi_regime_of(double ily, double h_y) {
    return isfinite(ily) && isfinite(h_y) && ily >= h_y - REGIME_COLLAPSED_MARGIN ? REGIME_COLLAPSED : REGIME_GRADED;
}

int regime_valid_ixl(estimator_kind k, mi_regime r, double ixl) {
    const regime_row *w = &rows[k];
    if (!w->judged) return 1;
    return r == REGIME_COLLAPSED ? w->collapsed_ixl : ixl <= w->graded_ixl_max;
}

int regime_valid_ily(estimator_kind k, mi_regime r) {
    const regime_row *w = &rows[k];
    return !w->judged || r == REGIME_GRADED || w->collapsed_ily;
}
