/* knn.h — exact nearest-neighbour distances and radius counts on a bucket KD-tree,
 * for the k-nearest-neighbour estimators of entropy and mutual information. */
#ifndef GI_KNN_H
#define GI_KNN_H
#include <math.h>

typedef enum { KNN_EUCLID, KNN_MAX } knn_norm;
typedef struct knn_tree knn_tree;

/* One step of a Euclidean sum of squares, s + u*u. Fused wherever the target has FMA, so that
 * the value does not depend on where the compiler chose to contract (-ffp-contract=fast);
 * without FMA there is nothing to contract to. */
static inline double knn_sq_acc(double s, double u) {
#if defined(FP_FAST_FMA) || defined(__FMA__) || defined(__ARM_FEATURE_FMA)
    return fma(u, u, s);
#else
    return s + u * u;
#endif
}

/* The distance all results are exact for: Euclidean = sqrt of s = knn_sq_acc(s, a[j] - b[j])
 * over j = 0..d-1 from s = 0; max-norm = max |a[j] - b[j]|. */
double knn_dist(const double *a, const double *b, int d, knn_norm norm);

/* Builds a KD-tree over n points of dimension d (row-major doubles). The tree keeps its own
 * reordered copy of the points. d may be up to at least 64. Parallel with OpenMP tasks: in a
 * team of its own, or inside a parallel region in the caller's team (returning when done). */
knn_tree *knn_build(const double *x, int n, int d, knn_norm norm);
/* The same over the joint points (x_i, y_i): x is n x dx, y is n x dy, d = dx + dy. */
knn_tree *knn_build_joint(const double *x, int dx, const double *y, int dy, int n, knn_norm norm);
void knn_free(knn_tree *t);

/* For every point i (in the caller's original order): the distances to its k nearest other
 * points, ascending, into dist[i*k .. i*k+k-1] (the point itself excluded, by index, so
 * duplicates of it count as neighbours at distance 0). Requires 1 <= k <= n-1 (slots past n-1
 * get +inf). Parallel over i with OpenMP. Distances are exact doubles, equal (==) to knn_dist
 * of the pair. */
void knn_query_all(const knn_tree *t, int k, double *dist);

/* Only the k-th of those distances, into kth[i]. */
void knn_query_kth(const knn_tree *t, int k, double *kth);

/* For every point i: the number of points j != i with knn_dist(x_i, x_j) < r[i] (strict),
 * into count[i]. Parallel over i. */
void knn_count_all(const knn_tree *t, const double *r, int *count);

/* The same counts for the max-norm straight from the points x (n x d, row-major, finite): for
 * every i, the number of j != i with knn_dist(x_i, x_j, KNN_MAX) < r[i]. d <= 2 sweeps over the
 * sorted coordinates (O(n log n), serial); larger d builds a tree and uses knn_count_all. */
void knn_count_max(const double *x, int n, int d, const double *r, int *count);

/* knn_count_max in two steps, so that the preparation (sorting or tree building, which needs no
 * radii) can run beside other work: knn_counter_new keeps what it needs (not x), and
 * knn_counter_count may be called any number of times. Inside an OpenMP parallel region,
 * knn_build (and so knn_counter_new) splits into tasks of the enclosing team. */
typedef struct knn_counter knn_counter;
knn_counter *knn_counter_new(const double *x, int n, int d);
void knn_counter_count(const knn_counter *c, const double *r, int *count);
void knn_counter_free(knn_counter *c);
#endif
