/* ward.h — Ward agglomerative clustering cut into flat clusters, exactly as SciPy's
 * fcluster(linkage(X, 'ward'), k, 'maxclust'): the same nearest-neighbour chain, the same
 * tie-breaking, the same Lance–Williams arithmetic on Euclidean (not squared) distances, and the
 * same cluster numbers. */
#ifndef GI_WARD_H
#define GI_WARD_H

/* One row of SciPy's linkage matrix: clusters a < b (ids: 0..m-1 points, m+i the i-th merge)
 * joined at height, holding size points. Rows sorted by height (stable). */
typedef struct { int a, b; double height; int size; } ward_merge;

/* Euclidean distances between m points of dimension n (point i at x + i*n): m x m, zero diagonal. */
void ward_distances(const double *x, int m, int n, double *dist);
/* SciPy's nn_chain on dist (m x m, overwritten), then sorted and relabelled: z has m - 1 rows. */
void ward_linkage(double *dist, int m, ward_merge *z);
/* fcluster(z, k, 'maxclust'): labels[i] in 1..(number of clusters), returned. SciPy's binary
 * search over merge heights included (for m <= k it gives fewer clusters than points). */
int ward_maxclust(const ward_merge *z, int m, int k, int *labels);
/* The three above: x (m points of dimension n) into at most k clusters. */
int ward_cluster(const double *x, int m, int n, int k, int *labels);
#endif
