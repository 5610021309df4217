/* consensus.h — which phases the seeds and the estimators agree on, from plain segment lists
 * (no files: tests/test_consensus.c builds the lists by hand).
 *
 * A segment is one phase of one (seed, estimator) curve of one (subset, layer), from
 * report/phases.h, placed on x = log10(step) (step 0 counted as step 1, where the log stops).
 * Two segments MATCH when they are of the same kind and the Jaccard index of their x intervals,
 * |A ∩ B| / |A ∪ B|, is >= STUDY_JACCARD_MIN (0.5). The clusters are the connected components of
 * the matches (single linkage: independent of the order of the segments). Per cluster:
 *   n_seeds        seeds with a segment in it (in any estimator), seed_fraction = n_seeds / seeds
 *   n_estimators   estimators with a segment in it (in any seed), estimator_fraction = n / valid
 *   start, end     quartiles (q25, median, q75) of the members' x0 and x1, by linear
 *                  interpolation between order statistics (numpy's default)
 *   consensus      n_seeds >= 0.8 of the seeds (4 of 5; compared in integers, n_seeds*5 >=
 *                  seeds*4) and n_estimators >= 2
 * Clusters come out ordered by median start, median end, then kind. */
#ifndef GI_STUDY_CONSENSUS_H
#define GI_STUDY_CONSENSUS_H
#include <stdint.h>
#include "report/phases.h"

#define STUDY_JACCARD_MIN 0.5
#define STUDY_SEED_SHARE_NUM 4   /* consensus: n_seeds / seeds >= 4/5 */
#define STUDY_SEED_SHARE_DEN 5
#define STUDY_MIN_ESTIMATORS 2
#define STUDY_MAX_ESTIMATORS 8   /* estimator indices 0..7 (a bit each) */

typedef struct {
    int seed;          /* the seed's index in its group, 0..seeds-1 */
    int estimator;     /* 0..STUDY_MAX_ESTIMATORS-1 */
    phase_kind kind;
    double x0, x1;     /* log10 of the first and last step */
} study_segment;

typedef struct {
    phase_kind kind;
    int n_segments, n_seeds, n_estimators;
    unsigned estimators;            /* bit e set: estimator e has a segment in the cluster */
    double seed_fraction, estimator_fraction;
    double start[3], end[3];        /* q25, median, q75 of log10(step) */
    int consensus;
} study_cluster;

/* log10(step), step 0 (and below) counted as 1 */
double study_log_step(int64_t step);
/* |[a0,a1] ∩ [b0,b1]| / |[a0,a1] ∪ [b0,b1]|; two equal points give 1, a point and anything else 0 */
double study_jaccard(double a0, double a1, double b0, double b1);
/* q[0..2] = the 25th, 50th and 75th percentiles of the n values of x (x is left unchanged), linear
 * interpolation between order statistics; NaN for n == 0 */
void study_quartiles(const double *x, int n, double q[3]);
/* The clusters of n segments; seeds = the group's seeds, valid_estimators = estimators valid on
 * this curve (the fractions' denominators). *out is allocated (free it); returns the number of
 * clusters. */
int study_cluster_segments(const study_segment *seg, int n, int seeds, int valid_estimators, study_cluster **out);
#endif
