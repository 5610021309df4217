/* near_pairs.h — every pair of points closer than a radius, exactly, in many dimensions (where a
 * KD-tree prunes nothing): for the noise-model estimator, whose sums over mixture components are
 * zero to double precision beyond a few dozen σ. */
#ifndef GI_NEAR_PAIRS_H
#define GI_NEAR_PAIRS_H

/* The squared Euclidean distance every result is exact for: NEAR_LANES partial sums, lane l
 * accumulating s_l = knn_sq_acc(s_l, a[k] - b[k]) over k ≡ l (mod NEAR_LANES) in order, then added
 * pairwise (lane l with l + 4, then l + 2, then l + 1). A fixed order, symmetric in a and b, that
 * vectorises (one sequential sum would wait on every addition). */
#define NEAR_LANES 8
double near_dist2(const double *a, const double *b, int d);

/* Called once for every row i, from any thread: the rows j != i with near_dist2(x_i, x_j) <=
 * radius², m of them, with those squared distances, in an order that depends only on x (not on
 * the threads). thread (0 <= thread < near_pairs_threads()) names the caller's scratch. */
typedef void (*near_visit_fn)(void *ctx, int thread, int i, const int *j, const double *d2, int m);

/* The most threads a visit can come from: the size of a caller's per-thread scratch. */
int near_pairs_threads(void);

/* x: n x d row-major, finite; radius >= 0. Parallel (OpenMP) over blocks of rows.
 * Returns the number of pairs (i, j) visited. */
long long near_pairs_visit(const double *x, int n, int d, double radius, near_visit_fn visit, void *ctx);
#endif
