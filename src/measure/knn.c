/* knn.c — exact k-nearest-neighbour search on a bucket KD-tree.
 *
 * Nodes split at the median of the dimension of largest spread, rounded so that every leaf but
 * the last holds exactly LEAF points, and keep tight bounding boxes. Leaves are stored
 * coordinate-major. Queries go a leaf at a time: its LEAF points walk the tree together, each
 * with its own pruning bound, so box bounds and distances are vector loops across the queries
 * and the data of each leaf visited is loaded once for all of them.
 * Distances are compared as "reduced" values: the sum of squares (Euclidean; the sqrt is taken
 * only of the k results) or the max |difference|, accumulated per pair exactly as knn_dist
 * does, so results are bit-identical to brute force. */
#include "measure/knn.h"
#include <float.h>
#include <stdlib.h>
#include <string.h>
#include "util/err.h"
#ifdef _OPENMP
#include <omp.h>
#endif

#define LEAF 32 /* points per leaf, and queries per batch: masks hold one bit per slot */
#define PAR_MIN_LEAVES 64 /* below this, threads cost more than they save */

/* Box bounds are sums of d rounded terms evaluated in another order than the point distances,
 * so they may be off by ~d ulps (or by underflow): prune or accept a whole node only beyond
 * this margin. A looser bound only costs time, never exactness. */
#define SLACK 1e-12
#define TINY 1e-300

typedef struct { int start, end, child; } knn_node; /* child: left child (right = child+1), 0 = leaf */

struct knn_tree {
    int n, d, n_nodes, n_leaves;
    knn_norm norm;
    knn_node *nodes;
    double *box; /* per node: lo[d] then hi[d] */
    double *pts; /* leaf l, coordinate j, slot p at pts[(l*d + j)*LEAF + p]; tree position l*LEAF + p */
    int *perm;   /* tree position -> caller's index */
};

double knn_dist(const double *a, const double *b, int d, knn_norm norm) {
    double s = 0;
    for (int j = 0; j < d; j++) {
        double u = fabs(a[j] - b[j]);
        s = norm == KNN_EUCLID ? knn_sq_acc(s, u) : u > s ? u : s;
    }
    return norm == KNN_EUCLID ? sqrt(s) : s;
}

/* Build buffers, n long (rows: n*d); a node works in its own range [start, end) of each, so
 * concurrent subtrees never share. w holds the rows, moved into tree order. */
typedef struct { knn_tree *t; double *w, *wtmp, *key, *ktmp; int *ord, *otmp, *itmp; } build_ctx;

/* Reorders the rows [start, start+m) of w (and perm with them) so that rows before kth <= row
 * kth <= rows after, by coordinate dim. Quickselect on (key, position) pairs with a branch-free
 * three-way partition (the comparisons of random keys are unpredictable branches otherwise);
 * the rows move once, at the end. */
static void select_kth(build_ctx *c, int start, int m, int kth, int dim) {
    int d = c->t->d;
    double *key = c->key + start, *kt = c->ktmp + start, *w = c->w + (size_t)start * d;
    int *ord = c->ord + start, *ot = c->otmp + start;
    for (int i = 0; i < m; i++) { key[i] = w[(size_t)i * d + dim]; ord[i] = i; }
    int lo = 0, hi = m;
    while (hi - lo > 1) {
        double a = key[lo], b = key[lo + (hi - lo) / 2], e = key[hi - 1];
        double p = a < b ? (b < e ? b : a < e ? e : a) : (a < e ? a : b < e ? e : b); /* median of 3 */
        int nl = 0, ng = 0, ne = 0;
        /* less to the front of kt, greater to its back, the rest compacted in place in key */
        for (int i = lo; i < hi; i++) {
            double v = key[i];
            int o = ord[i], lt = v < p, gt = v > p;
            kt[lo + nl] = v; ot[lo + nl] = o; nl += lt;
            kt[hi - 1 - ng] = v; ot[hi - 1 - ng] = o; ng += gt;
            key[lo + ne] = v; ord[lo + ne] = o; ne += !(lt | gt);
        }
        memmove(key + lo + nl, key + lo, (size_t)ne * sizeof *key);
        memmove(ord + lo + nl, ord + lo, (size_t)ne * sizeof *ord);
        memcpy(key + lo, kt + lo, (size_t)nl * sizeof *key);
        memcpy(ord + lo, ot + lo, (size_t)nl * sizeof *ord);
        memcpy(key + hi - ng, kt + hi - ng, (size_t)ng * sizeof *key);
        memcpy(ord + hi - ng, ot + hi - ng, (size_t)ng * sizeof *ord);
        if (kth < lo + nl) hi = lo + nl;
        else if (kth < lo + nl + ne) break;
        else lo = lo + nl + ne;
    }
    double *wt = c->wtmp + (size_t)start * d;
    int *perm = c->t->perm + start, *it = c->itmp + start;
    for (int i = 0; i < m; i++) {
        const double *src = w + (size_t)ord[i] * d;
        for (int j = 0; j < d; j++) wt[(size_t)i * d + j] = src[j];
        it[i] = perm[ord[i]];
    }
    memcpy(w, wt, (size_t)m * d * sizeof *w);
    memcpy(perm, it, (size_t)m * sizeof *perm);
}

/* The tight bounding box of rows [start, end) of w into box: lo[d] then hi[d]. */
static void row_box(const double *w, int d, int start, int end, double *box) {
    double *lo = box, *hi = box + d;
    const double *row = w + (size_t)start * d;
    for (int j = 0; j < d; j++) lo[j] = hi[j] = row[j];
    for (int i = start + 1; i < end; i++) {
        row = w + (size_t)i * d;
        for (int j = 0; j < d; j++) {
            lo[j] = row[j] < lo[j] ? row[j] : lo[j];
            hi[j] = row[j] > hi[j] ? row[j] : hi[j];
        }
    }
}

#define TASK_MIN 4096 /* points: smaller subtrees are built by the thread that split them */

/* Node numbers depend only on n, not on the order the subtrees are built in: the children of a
 * node are a pair c, c+1 and their descendants start at next, the left child's 2*leaves-2 first. */
static void build_node(build_ctx *bc, int node, int start, int end, int next) {
    knn_tree *t = bc->t;
    int d = t->d;
    double *lo = t->box + (size_t)node * 2 * d, *hi = lo + d;
    if (node == 0) row_box(bc->w, d, start, end, lo); /* other nodes' boxes come from their parent */
    t->nodes[node] = (knn_node){start, end, 0};
    if (end - start <= LEAF) return;
    int dim = 0;
    for (int j = 1; j < d; j++) if (hi[j] - lo[j] > hi[dim] - lo[dim]) dim = j;
    int mid = start + (end - start + LEAF - 1) / LEAF / 2 * LEAF;
    select_kth(bc, start, end - start, mid - start, dim);
    int c = next, right_next = next + 2 + 2 * ((mid - start) / LEAF) - 2;
    row_box(bc->w, d, start, mid, t->box + (size_t)c * 2 * d); /* rows just written: in cache */
    row_box(bc->w, d, mid, end, t->box + (size_t)(c + 1) * 2 * d);
    t->nodes[node].child = c;
    #pragma omp task if (end - start >= TASK_MIN)
    build_node(bc, c, start, mid, next + 2);
    build_node(bc, c + 1, mid, end, right_next);
}

/* Points: the rows of x (n x dx) followed, in each row, by those of y (n x dy; dy may be 0). */
static knn_tree *build(const double *x, int dx, const double *y, int dy, int n, knn_norm norm) {
    int d = dx + dy;
    knn_tree *t = gi_calloc(1, sizeof *t);
    t->n = n; t->d = d; t->norm = norm;
    t->n_leaves = (n + LEAF - 1) / LEAF;
    t->n_nodes = n > 0 ? 2 * t->n_leaves - 1 : 1;
    t->nodes = gi_malloc((size_t)t->n_nodes * sizeof *t->nodes);
    t->box = gi_malloc((size_t)t->n_nodes * 2 * d * sizeof *t->box);
    t->pts = gi_calloc((size_t)t->n_leaves * d * LEAF, sizeof *t->pts);
    t->perm = gi_malloc((size_t)n * sizeof *t->perm);
    build_ctx bc = {t, gi_malloc((size_t)n * d * sizeof(double) + 1), gi_malloc((size_t)n * d * sizeof(double) + 1),
                    gi_malloc((size_t)n * sizeof(double) + 1), gi_malloc((size_t)n * sizeof(double) + 1),
                    gi_malloc((size_t)n * sizeof(int) + 1), gi_malloc((size_t)n * sizeof(int) + 1),
                    gi_malloc((size_t)n * sizeof(int) + 1)};
    if (!dy) memcpy(bc.w, x, (size_t)n * d * sizeof(double));
    else
        for (int i = 0; i < n; i++) {
            memcpy(bc.w + (size_t)i * d, x + (size_t)i * dx, (size_t)dx * sizeof(double));
            memcpy(bc.w + (size_t)i * d + dx, y + (size_t)i * dy, (size_t)dy * sizeof(double));
        }
    for (int i = 0; i < n; i++) t->perm[i] = i;
#ifdef _OPENMP
    if (n > 0 && omp_in_parallel()) { /* subtrees as tasks of the caller's team */
        #pragma omp taskgroup
        build_node(&bc, 0, 0, n, 1);
    } else
#endif
    if (n > 0) {
        #pragma omp parallel if (t->n_leaves >= PAR_MIN_LEAVES)
        #pragma omp single
        build_node(&bc, 0, 0, n, 1);
    }
    for (int i = 0; i < n; i++) {
        const double *row = bc.w + (size_t)i * d;
        double *slot = t->pts + (size_t)(i / LEAF) * d * LEAF + i % LEAF;
        for (int j = 0; j < d; j++) slot[j * LEAF] = row[j];
    }
    free(bc.w); free(bc.wtmp); free(bc.key); free(bc.ktmp); free(bc.ord); free(bc.otmp); free(bc.itmp);
    return t;
}

knn_tree *knn_build(const double *x, int n, int d, knn_norm norm) { return build(x, d, NULL, 0, n, norm); }
knn_tree *knn_build_joint(const double *x, int dx, const double *y, int dy, int n, knn_norm norm) {
    return build(x, dx, y, dy, n, norm);
}

void knn_free(knn_tree *t) {
    if (!t) return;
    free(t->nodes); free(t->box); free(t->pts); free(t->perm);
    free(t);
}

/* The LEAF points of one leaf as a batch of queries; act[q] = 0 for slots past n. */
typedef struct {
    const knn_tree *t;
    const double *qv;   /* qv[j*LEAF + q]: the leaf's own block of pts */
    int base, k;        /* tree position of query 0; neighbours wanted */
    double *heap;       /* kNN: LEAF bounded max-heaps of k reduced distances */
    int m[LEAF];        /* kNN: heap sizes */
    double bound[LEAF]; /* kNN: k-th smallest so far (inf until k are found); counts: threshold */
    double lim[LEAF];   /* bound*(1 + SLACK) + TINY: a box bound beyond it excludes the box */
    double above[LEAF]; /* counts: the double after bound, so that s <= bound is s < above */
    int count[LEAF];
} batch;

/* Reduced distance from every query to the nearest and the farthest point of a node's box.
 * Per coordinate the rounded |q - x| is monotone in x, so the box corners bound every point;
 * the sums may still differ from a point's by a few ulps, hence SLACK. The unroll pragmas keep
 * GCC from scalarising the loops over queries instead of vectorising them. */
static void node_bounds(const batch *b, int node, double *restrict lower, double *restrict upper) {
    int d = b->t->d;
    const double *lo = b->t->box + (size_t)node * 2 * d, *hi = lo + d;
    double l[LEAF] = {0}, u[LEAF] = {0};
    for (int j = 0; j < d; j++) {
        const double *qj = b->qv + j * LEAF;
        double bl = lo[j], bh = hi[j];
        if (b->t->norm == KNN_EUCLID) {
            #pragma GCC unroll 1
            for (int q = 0; q < LEAF; q++) {
                double a = bl - qj[q], c = qj[q] - bh, g = a > c ? a : c, f = -a > -c ? -a : -c;
                g = g > 0 ? g : 0;
                l[q] += g * g;
                u[q] += f * f;
            }
        } else {
            #pragma GCC unroll 1
            for (int q = 0; q < LEAF; q++) {
                double a = bl - qj[q], c = qj[q] - bh, g = a > c ? a : c, f = -a > -c ? -a : -c;
                l[q] = g > l[q] ? g : l[q];
                u[q] = f > u[q] ? f : u[q];
            }
        }
    }
    memcpy(lower, l, sizeof l);
    memcpy(upper, u, sizeof u);
}

/* The lower bounds of node_bounds for both children of a node at once (adjacent boxes): two
 * independent dependency chains. */
static void child_lower(const batch *b, int child, double *restrict la, double *restrict lb) {
    int d = b->t->d;
    const double *lo = b->t->box + (size_t)child * 2 * d, *hi = lo + d, *lo2 = hi + d, *hi2 = lo2 + d;
    double l1[LEAF] = {0}, l2[LEAF] = {0};
    for (int j = 0; j < d; j++) {
        const double *qj = b->qv + j * LEAF;
        double bl = lo[j], bh = hi[j], bl2 = lo2[j], bh2 = hi2[j];
        if (b->t->norm == KNN_EUCLID) {
            #pragma GCC unroll 1
            for (int q = 0; q < LEAF; q++) {
                double a = bl - qj[q], c = qj[q] - bh, g = a > c ? a : c;
                double a2 = bl2 - qj[q], c2 = qj[q] - bh2, g2 = a2 > c2 ? a2 : c2;
                g = g > 0 ? g : 0;
                g2 = g2 > 0 ? g2 : 0;
                l1[q] += g * g;
                l2[q] += g2 * g2;
            }
        } else {
            #pragma GCC unroll 1
            for (int q = 0; q < LEAF; q++) {
                double a = bl - qj[q], c = qj[q] - bh, g = a > c ? a : c;
                double a2 = bl2 - qj[q], c2 = qj[q] - bh2, g2 = a2 > c2 ? a2 : c2;
                l1[q] = g > l1[q] ? g : l1[q];
                l2[q] = g2 > l2[q] ? g2 : l2[q];
            }
        }
    }
    memcpy(la, l1, sizeof l1);
    memcpy(lb, l2, sizeof l2);
}

/* sub[q] = act[q] and the lower bound does not exclude the node for query q; returns how
 * many remain. */
static int prune(int *restrict sub, const int *restrict act, const double *restrict lower, const double *restrict lim) {
    int n = 0;
    for (int q = 0; q < LEAF; q++) {
        sub[q] = act[q] & (lower[q] <= lim[q]);
        n += sub[q];
    }
    return n;
}

/* Reduced distances from query q of the batch to the LEAF slots of the leaf at start, into s;
 * returns the bits p where s[p] < v. */
static inline __attribute__((always_inline)) unsigned leaf_dists(const batch *b, int start, int q, double v, double *restrict s) {
    int d = b->t->d;
    const double *restrict blk = b->t->pts + (size_t)start * d;
    double acc[LEAF] = {0};
    if (b->t->norm == KNN_EUCLID) {
        for (int j = 0; j < d; j++) {
            double qj = b->qv[j * LEAF + q];
            #pragma GCC unroll 1
            for (int p = 0; p < LEAF; p++) acc[p] = knn_sq_acc(acc[p], qj - blk[j * LEAF + p]);
        }
    } else {
        for (int j = 0; j < d; j++) {
            double qj = b->qv[j * LEAF + q];
            #pragma GCC unroll 1
            for (int p = 0; p < LEAF; p++) {
                double u = fabs(qj - blk[j * LEAF + p]);
                acc[p] = u > acc[p] ? u : acc[p];
            }
        }
    }
    memcpy(s, acc, sizeof acc);
    unsigned m = 0;
    for (int p = 0; p < LEAF; p++) m |= acc[p] < v ? 1u << p : 0;
    return m;
}

/* Bit p set for the slots of the leaf at start that hold a point other than query q. */
static inline unsigned leaf_others(const batch *b, int start, int q) {
    int cnt = b->t->n - start < LEAF ? b->t->n - start : LEAF;
    unsigned m = cnt >= 32 ? ~0u : (1u << cnt) - 1;
    return start == b->base ? m & ~(1u << q) : m;
}

/* A bounded max-heap of the k smallest reduced distances: sift v down from slot i. */
static void sift_down(double *h, int m, int i, double v) {
    for (;;) {
        int c = 2 * i + 1;
        if (c >= m) break;
        if (c + 1 < m && h[c + 1] > h[c]) c++;
        if (h[c] <= v) break;
        h[i] = h[c];
        i = c;
    }
    h[i] = v;
}

static inline __attribute__((always_inline)) void heap_add(batch *b, int q, double v) {
    double *h = b->heap + (size_t)q * b->k;
    if (b->m[q] < b->k) {
        int i = b->m[q]++;
        while (i > 0 && h[(i - 1) / 2] < v) { h[i] = h[(i - 1) / 2]; i = (i - 1) / 2; }
        h[i] = v;
        if (b->m[q] == b->k) b->bound[q] = h[0];
    } else {
        sift_down(h, b->k, 0, v);
        b->bound[q] = h[0];
    }
    b->lim[q] = b->bound[q] * (1 + SLACK) + TINY;
}

static void knn_search(batch *b, int node, const int *act) {
    const knn_node *nd = b->t->nodes + node;
    if (!nd->child) {
        if (nd->start == b->base) return; /* done by own_leaf */
        for (int q = 0; q < LEAF; q++) {
            if (!act[q]) continue;
            double s[LEAF];
            unsigned m = leaf_dists(b, nd->start, q, b->bound[q], s) & leaf_others(b, nd->start, q);
            for (; m; m &= m - 1) {
                double v = s[__builtin_ctz(m)];
                if (v < b->bound[q]) heap_add(b, q, v);
            }
        }
        return;
    }
    double lb[2][LEAF];
    int votes = 0, n_act = 0, sub[LEAF];
    child_lower(b, nd->child, lb[0], lb[1]);
    for (int q = 0; q < LEAF; q++) { votes += act[q] & (lb[1][q] < lb[0][q]); n_act += act[q]; }
    int first = 2 * votes > n_act; /* the child nearer to most queries first: bounds tighten sooner */
    for (int i = 0; i < 2; i++) {
        int c = first ^ i;
        if (prune(sub, act, lb[c], b->lim)) knn_search(b, nd->child + c, sub);
    }
}

/* The batch's own leaf for all its queries at once, branch-free: each query's nearest up to k
 * among the other points of its leaf (most of the candidates a search would otherwise add to
 * its heap one by one), so that the search starts with tight bounds and skips this leaf. */
static void own_leaf(batch *b, const int *act) {
    int d = b->t->d, k = b->k, kk = k < LEAF - 1 ? k : LEAF - 1, cnt = 0;
    for (int q = 0; q < LEAF; q++) cnt += act[q];
    double top[LEAF - 1][LEAF]; /* top[i][q]: query q's i-th smallest, ascending in i */
    for (int i = 0; i < kk; i++)
        for (int q = 0; q < LEAF; q++) top[i][q] = INFINITY;
    for (int p = 0; p < cnt; p++) {
        double v[LEAF] = {0};
        for (int j = 0; j < d; j++) { /* the same operations, in the same order, as leaf_dists */
            const double *qj = b->qv + j * LEAF;
            double pj = qj[p];
            if (b->t->norm == KNN_EUCLID)
                for (int q = 0; q < LEAF; q++) v[q] = knn_sq_acc(v[q], qj[q] - pj);
            else
                for (int q = 0; q < LEAF; q++) {
                    double u = fabs(qj[q] - pj);
                    v[q] = u > v[q] ? u : v[q];
                }
        }
        v[p] = INFINITY;
        for (int i = 0; i < kk; i++) /* insert: the smaller stays, the larger moves on */
            for (int q = 0; q < LEAF; q++) {
                double t = top[i][q];
                top[i][q] = v[q] < t ? v[q] : t;
                v[q] = v[q] < t ? t : v[q];
            }
    }
    for (int q = 0; q < cnt; q++) { /* as a max-heap: descending; +inf is never a neighbour */
        double *h = b->heap + (size_t)q * k;
        int m = 0;
        while (m < kk && top[m][q] < INFINITY) m++;
        for (int i = 0; i < m; i++) h[i] = top[m - 1 - i][q];
        b->m[q] = m;
        b->bound[q] = m == k ? h[0] : INFINITY;
        b->lim[q] = b->bound[q] * (1 + SLACK) + TINY;
    }
}

/* act[q] = 1 for the slots of leaf l that hold a point. */
static void batch_init(batch *b, const knn_tree *t, int l, int *act) {
    b->t = t;
    b->qv = t->pts + (size_t)l * LEAF * t->d;
    b->base = l * LEAF;
    for (int q = 0; q < LEAF; q++) { act[q] = b->base + q < t->n; b->m[q] = b->count[q] = 0; }
}

/* dist as in knn_query_all, or with kth_only the k-th distance alone, into dist[i]. */
static void query_all(const knn_tree *t, int k, double *dist, int kth_only) {
    #pragma omp parallel if (t->n_leaves >= PAR_MIN_LEAVES)
    {
        double *heap = gi_malloc((size_t)LEAF * k * sizeof *heap);
        #pragma omp for schedule(dynamic, 4)
        for (int l = 0; l < t->n_leaves; l++) {
            batch b;
            int act[LEAF];
            batch_init(&b, t, l, act);
            b.k = k;
            b.heap = heap;
            for (int q = 0; q < LEAF; q++) b.bound[q] = b.lim[q] = INFINITY;
            own_leaf(&b, act);
            knn_search(&b, 0, act);
            for (int q = 0; q < LEAF && act[q]; q++) {
                double *h = heap + (size_t)q * k;
                if (kth_only) { /* the largest: the heap's top */
                    double top = b.m[q] == k ? h[0] : INFINITY;
                    dist[t->perm[b.base + q]] = t->norm == KNN_EUCLID ? sqrt(top) : top;
                    continue;
                }
                double *out = dist + (size_t)t->perm[b.base + q] * k;
                for (int m = b.m[q]; m < k; m++) out[m] = INFINITY; /* only if k > n-1 */
                for (int m = b.m[q]; m > 0; m--) { /* heap sort: pop the largest to the end */
                    double top = h[0];
                    sift_down(h, m - 1, 0, h[m - 1]);
                    out[m - 1] = t->norm == KNN_EUCLID ? sqrt(top) : top;
                }
            }
        }
        free(heap);
    }
}

void knn_query_all(const knn_tree *t, int k, double *dist) { query_all(t, k, dist, 0); }
void knn_query_kth(const knn_tree *t, int k, double *kth) { query_all(t, k, kth, 1); }

/* The largest reduced distance s with dist(s) < r, so that "dist < r" becomes "s <= thr"
 * exactly; for Euclidean, sqrt(s) < r is not the same as s < r*r in floating point. */
static double reduced_threshold(knn_norm norm, double r) {
    if (!(r > 0)) return -1;
    if (norm == KNN_MAX) return nextafter(r, -INFINITY);
    if (r == INFINITY) return DBL_MAX;
    double s = r * r;
    if (s > DBL_MAX) s = DBL_MAX;
    while (s > 0 && !(sqrt(s) < r)) s = nextafter(s, 0);
    while (s < DBL_MAX && sqrt(nextafter(s, INFINITY)) < r) s = nextafter(s, INFINITY);
    return s;
}

static void count_search(batch *b, int node, const int *parent_act) {
    const knn_node *nd = b->t->nodes + node;
    double lower[LEAF], upper[LEAF];
    int act[LEAF], size = nd->end - nd->start;
    node_bounds(b, node, lower, upper);
    if (!prune(act, parent_act, lower, b->lim)) return;
    int n_act = 0;
    for (int q = 0; q < LEAF; q++) { /* the whole box within the radius: count without looking */
        int inside = act[q] & (upper[q] * (1 + SLACK) + TINY <= b->bound[q]);
        int self = b->base + q >= nd->start && b->base + q < nd->end;
        b->count[q] += inside * (size - self);
        act[q] &= !inside;
        n_act += act[q];
    }
    if (!n_act) return;
    if (nd->child) {
        count_search(b, nd->child, act);
        count_search(b, nd->child + 1, act);
        return;
    }
    for (int q = 0; q < LEAF; q++) {
        if (!act[q]) continue;
        double s[LEAF];
        unsigned m = leaf_dists(b, nd->start, q, b->above[q], s);
        b->count[q] += __builtin_popcount(m & leaf_others(b, nd->start, q));
    }
}

void knn_count_all(const knn_tree *t, const double *r, int *count) {
    #pragma omp parallel for schedule(dynamic, 4) if (t->n_leaves >= PAR_MIN_LEAVES)
    for (int l = 0; l < t->n_leaves; l++) {
        batch b;
        int act[LEAF];
        batch_init(&b, t, l, act);
        for (int q = 0; q < LEAF; q++) {
            b.bound[q] = act[q] ? reduced_threshold(t->norm, r[t->perm[b.base + q]]) : -1;
            b.lim[q] = b.bound[q] * (1 + SLACK) + TINY;
            b.above[q] = nextafter(b.bound[q], INFINITY);
        }
        count_search(&b, 0, act);
        for (int q = 0; q < LEAF && act[q]; q++) count[t->perm[b.base + q]] = b.count[q];
    }
}
