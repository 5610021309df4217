/* regime.h — where each estimator's plane values can be trusted, by the regime a point is in, as
 * the ground-truth table measures it (docs/ground_truth.md, tests/test_ground_truth.c: 4 + 4
 * dimensions, N = 1000 and 9000; valid = |bias| + 2 SE <= max(0.1 nats, 10%)).
 *
 * The table has two kinds of layer, and a measured point is put in one of them:
 *   collapsed  the layer separates the classes (the label-layer cases: L = class mean + spread,
 *              I(L;Y) = H(Y)): I(L;Y) >= H(Y) − 0.1 by the cross-check (standardised ksg / Ross,
 *              valid on every label-layer case), or by the point's own estimator without one;
 *   graded     otherwise (the linear-Gaussian cases, I(X;L) from 0.5 to 15 nats).
 * One row per estimator (regime_row): is its I(X;L) valid on collapsed layers, its I(L;Y), and up
 * to what I(X;L) it is valid on graded layers. Rows not in the table (kde, gauss, gcmi, noise) are
 * not judged: every point valid (the noise model has its own ceiling flag). The rows are
 * conservative: a cell the table calls invalid at either N is invalid here, except linear
 * I = 0.5 nats at N = 1000, where no estimator is valid (wkl by its spread, ±0.09, ksg and kl by
 * their bias) and the rows follow N = 9000; tests/test_ground_truth.c holds the rows to the table. */
#ifndef GI_REGIME_H
#define GI_REGIME_H
#include "measure/mi.h"

typedef enum { REGIME_GRADED, REGIME_COLLAPSED } mi_regime;
#define REGIME_COLLAPSED_MARGIN 0.1 /* nats below H(Y) */

typedef struct {
    int judged;            /* 0: the table does not cover this estimator (every point valid) */
    int collapsed_ixl;     /* I(X;L) valid on collapsed layers */
    int collapsed_ily;     /* I(L;Y) valid on collapsed layers */
    double graded_ixl_max; /* I(X;L) valid on graded layers up to this many nats (INFINITY: all tested) */
} regime_row;

const regime_row *regime_get(estimator_kind k);
/* collapsed when ily >= h_y − REGIME_COLLAPSED_MARGIN (graded when either is not finite) */
mi_regime mi_regime_of(double ily, double h_y);
/* The point's I(X;L) (value ixl) and I(L;Y) valid for estimator k in regime r. */
int regime_valid_ixl(estimator_kind k, mi_regime r, double ixl);
int regime_valid_ily(estimator_kind k, mi_regime r);
#endif
