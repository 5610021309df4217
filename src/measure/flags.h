/* flags.h — estimates that no true mutual information can take, flagged (never clipped).
 *
 * An estimate is flagged when it lies outside what the quantity allows by more than its own
 * noise: I(L;Y) below 0 or above the estimator's ceiling for labels, I(X;L) below 0 or above
 * ln N (X is the empirical distribution over N points), a KSG estimate at its own saturation
 * ceiling, or an inversion of the data-processing inequality between consecutive layers (the
 * noisy layers form a Markov chain X → L1 → L2 → ..., so I(X;L_{l+1}) <= I(X;L_l) and
 * I(L_{l+1};Y) <= I(L_l;Y); an inversion marks a compression or estimator artefact).
 * Flags catch out-of-range values only: a biased value inside the range is not flagged (the
 * ground-truth tests are what say where an estimator is biased). One flag is a consistency check
 * instead (mi.noise_redraws > 0): half_drift, an estimate on a fixed random half of the points
 * (same noise draw, the layer compressed again on them) that differs from the full one by more
 * than max(0.1 nats, 3 sqrt(SE² + 3 sd²)), SE the full estimate's standard error over data points
 * and sd its standard deviation over noise redraws. For a nested half sample of a mean-like
 * statistic, Var(half − full) = Var(half) − Var(full) ≈ 2 SE² − SE² = SE²; the noise draw adds
 * about 2 sd² to the half (half the points) and sd² to the full. A larger difference is a bias
 * that depends on N, which neither error bar shows (e.g. an estimate at KSG's ceiling
 * ψ(N) − ψ(k), which drops by ln 2 on half the points).
 *
 * One table (mi_flag_info) names every flag; the CSV column, summary.json and `grokinfo mi`
 * print those names. */
#ifndef GI_FLAGS_H
#define GI_FLAGS_H
#include <stddef.h>
#include "measure/mi.h"

typedef enum {
    MI_FLAG_ILY_NEGATIVE,       /* I(L;Y) < −tol */
    MI_FLAG_ILY_ABOVE_CEILING,  /* I(L;Y) > ceiling + tol */
    MI_FLAG_IXL_NEGATIVE,       /* I(X;L) < −2 SE */
    MI_FLAG_IXL_ABOVE_LN_N,     /* I(X;L) > ln N + 2 SE */
    MI_FLAG_IXL_AT_CEILING,     /* ksg: within 0.3 nats of its deterministic-channel value; noise: of ln N − 0.1 */
    MI_FLAG_DPI_IXL,            /* I(X;L_l) > I(X;L_{l−1}) by more than 2 combined SE */
    MI_FLAG_DPI_ILY,            /* I(L_l;Y) > I(L_{l−1};Y) by more than 2 combined SE */
    MI_FLAG_HALF_DRIFT,         /* I(X;L) or I(L;Y) on half the points off by more than max(0.1, 3 sqrt(SE² + 3 sd²)) */
    MI_FLAG_COUNT
} mi_flag;

typedef struct {
    const char *name;     /* as written in mi.csv's flags column and summary.json */
    const char *meaning;  /* for `grokinfo mi` and the README */
} mi_flag_info;

const mi_flag_info *mi_flag_get(mi_flag f);
/* The bit of a flag in a flag set. */
#define MI_FLAG_BIT(f) (1u << (f))

/* The labels' empirical distribution: N, the number of classes C, H(Y) = −Σ p̂ ln p̂ (nats) and
 * the Ross (KSG for labels) estimator's ceiling ψ(N) − Σ_c p̂_c ψ(N_c), which exceeds H(Y) by about
 * (C − 1)/2N. */
typedef struct { int n, classes; double entropy, ross_ceiling; } label_stats;
void label_stats_of(const int *labels, int n, label_stats *out);

/* The most an estimator's I(L;Y) can be: Ross's ceiling for ksg, H(Y) for the estimators built
 * from entropies. */
double mi_label_ceiling(const mi_estimator *est, const label_stats *ls);
/* How far beyond [0, ceiling] an I(L;Y) may go before it is flagged: max(2 SE, (C − 1)/2N). */
double mi_label_tolerance(double stderr_, const label_stats *ls);
/* The flags of one I(L;Y) and of one I(X;L) estimate on n points. */
unsigned mi_flags_label(const mi_estimator *est, double ily, double stderr_, const label_stats *ls);
unsigned mi_flags_pair(const mi_estimator *est, double ixl, double stderr_, int n);
/* The data-processing flags of layer l given layer l − 1's estimates (value, SE). */
unsigned mi_flags_dpi(double ixl_prev, double ixl_prev_se, double ixl, double ixl_se, double ily_prev,
                      double ily_prev_se, double ily, double ily_se);

/* How far a half-subset estimate may lie from the full one: max(0.1, 3 sqrt(se² + 3 sd²)), se the
 * full estimate's standard error, sd its standard deviation over noise redraws. */
double mi_half_tolerance(double se, double sd);
/* The half_drift flag of a row: I(X;L) or I(L;Y) on the half (ixl_half, ily_half) beyond the
 * tolerance of the full estimate (value, SE, redraw sd). A NaN anywhere in a pair (an estimate
 * that failed, no redraws) leaves that pair unflagged. */
unsigned mi_flags_half(double ixl, double ixl_se, double ixl_sd, double ixl_half, double ily, double ily_se, double ily_sd,
                       double ily_half);

/* "ily_above_ceiling+ixl_negative", or "" for none; returns out. */
const char *mi_flags_format(unsigned flags, char *out, size_t n);
/* The flag set of a formatted list (unknown names are ignored); for readers of mi.csv. */
unsigned mi_flags_parse(const char *text);
#endif
