/* ward.c — SciPy's Ward linkage (scipy/cluster/_hierarchy.pyx: nn_chain, label,
 * get_max_dist_for_each_cluster, cluster_maxclust_dist, cluster_monocrit), reproduced step for
 * step so that near-ties resolve as SciPy resolves them. */
#pragma GCC optimize("fp-contract=off") /* SciPy's wheels do not fuse multiply-adds: neither do we */
#include "measure/ward.h"
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include "util/err.h"

void ward_distances(const double *x, int m, int n, double *dist) {
    #pragma omp parallel for schedule(dynamic, 4) if ((double)m * m * n > 1e6)
    for (int i = 0; i < m; i++) {
        const double *xi = x + (size_t)i * n;
        dist[(size_t)i * m + i] = 0.0;
        for (int j = i + 1; j < m; j++) {
            const double *xj = x + (size_t)j * n;
            double acc[8] = {0};
            int k = 0;
            for (; k + 8 <= n; k += 8)
                for (int l = 0; l < 8; l++) { double t = xi[k + l] - xj[k + l]; acc[l] += t * t; }
            for (; k < n; k++) { double t = xi[k] - xj[k]; acc[0] += t * t; }
            double s = ((acc[0] + acc[1]) + (acc[2] + acc[3])) + ((acc[4] + acc[5]) + (acc[6] + acc[7]));
            dist[(size_t)i * m + j] = dist[(size_t)j * m + i] = sqrt(s);
        }
    }
}

/* Lance–Williams for Ward on Euclidean distances, SciPy's expression (_hierarchy_distance_update) */
static double ward_update(double d_xi, double d_yi, double d_xy, int size_x, int size_y, int size_i) {
    double t = 1.0 / (size_x + size_y + size_i);
    return sqrt((size_i + size_x) * t * d_xi * d_xi + (size_i + size_y) * t * d_yi * d_yi - size_i * t * d_xy * d_xy);
}

static int find(int *parent, int x) {
    while (parent[x] != x) { parent[x] = parent[parent[x]]; x = parent[x]; }
    return x;
}

static int by_height(const void *a, const void *b) {
    const ward_merge *p = a, *q = b;
    if (p->height < q->height) return -1;
    if (p->height > q->height) return 1;
    return (p->size > q->size) - (p->size < q->size); /* ties: original row order (size holds it) */
}

void ward_linkage(double *d, int m, ward_merge *z) {
    int *size = gi_malloc((size_t)m * sizeof(int)), *chain = gi_malloc((size_t)m * sizeof(int));
    for (int i = 0; i < m; i++) size[i] = 1;
    int len = 0;
    for (int k = 0; k < m - 1; k++) {
        if (len == 0) {
            for (int i = 0; i < m; i++)
                if (size[i] > 0) { chain[len++] = i; break; }
        }
        int x, y = 0;
        double cur;
        for (;;) {
            x = chain[len - 1];
            /* the previous element of the chain is preferred on ties, so the chain cannot cycle */
            if (len > 1) { y = chain[len - 2]; cur = d[(size_t)x * m + y]; }
            else cur = INFINITY;
            const double *dx = d + (size_t)x * m;
            for (int i = 0; i < m; i++) {
                if (size[i] == 0 || i == x) continue;
                if (dx[i] < cur) { cur = dx[i]; y = i; }
            }
            if (len > 1 && y == chain[len - 2]) break;
            chain[len++] = y;
        }
        len -= 2;
        if (x > y) { int t = x; x = y; y = t; }
        int nx = size[x], ny = size[y];
        z[k] = (ward_merge){x, y, cur, nx + ny};
        size[x] = 0;
        size[y] = nx + ny;
        for (int i = 0; i < m; i++) {
            if (size[i] == 0 || i == y) continue;
            double v = ward_update(d[(size_t)i * m + x], d[(size_t)i * m + y], cur, nx, ny, size[i]);
            d[(size_t)i * m + y] = d[(size_t)y * m + i] = v;
        }
    }
    /* np.argsort(heights, kind='mergesort'): stable, so sort (height, original row) */
    for (int k = 0; k < m - 1; k++) z[k].size = k; /* sizes are recomputed by the relabelling */
    qsort(z, (size_t)(m - 1), sizeof *z, by_height);
    /* label(): slots to cluster ids via union–find over the points, in sorted order */
    int *parent = gi_malloc((size_t)(2 * m - 1) * sizeof(int)), *csize = gi_malloc((size_t)(2 * m - 1) * sizeof(int));
    for (int i = 0; i < 2 * m - 1; i++) { parent[i] = i; csize[i] = 1; }
    for (int k = 0; k < m - 1; k++) {
        int a = find(parent, z[k].a), b = find(parent, z[k].b);
        int lo = a < b ? a : b, hi = a < b ? b : a;
        z[k].a = lo; z[k].b = hi;
        z[k].size = csize[a] + csize[b];
        parent[a] = parent[b] = m + k;
        csize[m + k] = z[k].size;
    }
    free(parent); free(csize); free(size); free(chain);
}

static void label_leaves(const ward_merge *z, int m, int node, int label, int *labels) {
    if (node < m) { labels[node] = label; return; }
    label_leaves(z, m, z[node - m].a, label, labels);
    label_leaves(z, m, z[node - m].b, label, labels);
}

/* flat clusters: every node whose max height (over its subtree) is <= cutoff is one cluster,
 * numbered in SciPy's order (cluster_monocrit): at each node its internal children first, left
 * then right, and only then its leaf children, left then right */
static void number(const ward_merge *z, const double *md, int m, double cutoff, int node, int *n_cluster, int *labels) {
    const ward_merge *q = &z[node - m];
    if (md[node - m] <= cutoff) { label_leaves(z, m, node, ++*n_cluster, labels); return; }
    if (q->a >= m) number(z, md, m, cutoff, q->a, n_cluster, labels);
    if (q->b >= m) number(z, md, m, cutoff, q->b, n_cluster, labels);
    if (q->a < m) labels[q->a] = ++*n_cluster;
    if (q->b < m) labels[q->b] = ++*n_cluster;
}

static int cut(const ward_merge *z, const double *md, int m, double cutoff, int *labels) {
    int n_cluster = 0;
    number(z, md, m, cutoff, 2 * m - 2, &n_cluster, labels);
    return n_cluster;
}

static int count_clusters(const double *md, int m, double cutoff) {
    int c = m;
    for (int i = 0; i < m - 1; i++) c -= md[i] <= cutoff;
    return c;
}

int ward_maxclust(const ward_merge *z, int m, int k, int *labels) {
    if (m == 1) { labels[0] = 1; return 1; }
    double *md = gi_malloc((size_t)m * sizeof(double));
    for (int i = 0; i < m - 1; i++) {
        double h = z[i].height;
        if (z[i].a >= m && md[z[i].a - m] > h) h = md[z[i].a - m];
        if (z[i].b >= m && md[z[i].b - m] > h) h = md[z[i].b - m];
        md[i] = h;
    }
    md[m - 1] = -INFINITY; /* SciPy reads one past the end here (only when m == 2) */
    int lower = 0, upper = m - 1;
    while (upper - lower > 1) {
        int i = (lower + upper) >> 1;
        if (count_clusters(md, m, md[i]) > k) lower = i;
        else upper = i;
    }
    int n = cut(z, md, m, md[upper], labels);
    free(md);
    return n;
}

int ward_cluster(const double *x, int m, int n, int k, int *labels) {
    if (m < 1) return 0;
    double *d = gi_malloc((size_t)m * m * sizeof(double));
    ward_merge *z = gi_malloc((size_t)(m > 1 ? m - 1 : 1) * sizeof *z);
    ward_distances(x, m, n, d);
    ward_linkage(d, m, z);
    int c = ward_maxclust(z, m, k, labels);
    free(d); free(z);
    return c;
}
