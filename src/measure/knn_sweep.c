/* knn_sweep.c — exact max-norm radius counts in one or two dimensions without a tree.
 *
 * Per coordinate, |v - q| as computed in floating point is monotone in v on either side of q, so
 * the values v with |v - q| < r are a contiguous run of the sorted coordinate: two binary searches
 * with that very predicate give the run as a range of ranks, exactly. In one dimension the count is
 * the run's length; in two it is the number of points whose rank pair falls in a rectangle, counted
 * offline by a sweep over the first rank with a counting set of the second:
 * O(n log n) whatever the radii. */
#include "measure/knn.h"
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include "util/err.h"

typedef struct { uint64_t key; int idx; } keyed;

/* An unsigned key with the order of the double (-0.0 just below +0.0, which is harmless: equal
 * values only need to be adjacent). */
static uint64_t order_key(double v) {
    uint64_t u;
    memcpy(&u, &v, sizeof u);
    return u >> 63 ? ~u : u | (1ull << 63);
}

#define RADIX_BITS 11
#define RADIX_PASSES 6 /* 6 x 11 >= 64 */

/* order[p] = the index of the p-th smallest x[i*d + c]; sorted[p] its value; rank[order[p]] = p. */
static void sort_coordinate(const double *x, int n, int d, int c, int *order, double *sorted, int *rank) {
    keyed *a = gi_malloc((size_t)n * sizeof *a), *b = gi_malloc((size_t)n * sizeof *b);
    int *hist = gi_calloc((size_t)RADIX_PASSES << RADIX_BITS, sizeof *hist);
    for (int i = 0; i < n; i++) {
        a[i] = (keyed){order_key(x[(size_t)i * d + c]), i};
        for (int p = 0; p < RADIX_PASSES; p++) hist[(p << RADIX_BITS) + (int)(a[i].key >> (p * RADIX_BITS) & ((1 << RADIX_BITS) - 1))]++;
    }
    for (int p = 0; p < RADIX_PASSES; p++) { /* LSD: stable passes, skipping digits all keys share */
        int *h = hist + (p << RADIX_BITS), sum = 0, trivial = 0;
        for (int v = 0; v < 1 << RADIX_BITS; v++) { trivial |= h[v] == n; int t = h[v]; h[v] = sum; sum += t; }
        if (trivial) continue;
        for (int i = 0; i < n; i++) b[h[a[i].key >> (p * RADIX_BITS) & ((1 << RADIX_BITS) - 1)]++] = a[i];
        keyed *t = a; a = b; b = t;
    }
    for (int p = 0; p < n; p++) {
        order[p] = a[p].idx;
        sorted[p] = x[(size_t)a[p].idx * d + c];
        rank[a[p].idx] = p;
    }
    free(a); free(b); free(hist);
}

#define BLOCK 32

/* For every i with r[i] > 0: the rank range [lo[i], hi[i]) of the sorted values s with
 * |s - x_i| < r[i], x_i = s[rank[i]]; -1, -1 where r[i] <= 0 (or NaN). Each search finds the first
 * value where a predicate that is false and then true turns true. The searches over n values all
 * take the same steps, so they go BLOCK at a time, step by step, for the loads to overlap; and in
 * sorted order, for the blocks to share cache lines. */
static void runs_within(const double *s, const int *order, int n, const double *r, int *lo, int *hi) {
    for (int p0 = 0; p0 < n; p0 += BLOCK) {
        int m = n - p0 < BLOCK ? n - p0 : BLOCK, a[BLOCK], b[BLOCK];
        double q[BLOCK], rr[BLOCK];
        for (int j = 0; j < m; j++) { a[j] = b[j] = 0; q[j] = s[p0 + j]; rr[j] = r[order[p0 + j]]; }
        for (int len = n; len > 1; len -= len / 2) {
            int half = len / 2;
            for (int j = 0; j < m; j++) {
                double v = s[a[j] + half], w = s[b[j] + half];
                a[j] = v >= q[j] || fabs(v - q[j]) < rr[j] ? a[j] : a[j] + half;   /* v >= q or |v - q| < r */
                b[j] = w > q[j] && !(fabs(w - q[j]) < rr[j]) ? b[j] : b[j] + half; /* v > q and not |v - q| < r */
            }
        }
        for (int j = 0; j < m; j++) {
            double v = s[a[j]], w = s[b[j]];
            int i = order[p0 + j], ok = rr[j] > 0;
            lo[i] = ok ? a[j] + !(v >= q[j] || fabs(v - q[j]) < rr[j]) : -1;
            hi[i] = ok ? b[j] + !(w > q[j] && !(fabs(w - q[j]) < rr[j])) : -1;
        }
    }
}

/* A set of ranks 0..n-1 answering "how many members are < e" in O(1): a bit per rank, and per
 * 64-rank block the members before it within its superblock of 64 blocks, and per superblock the
 * members before it. An insert updates at most 63 + n/4096 counters. */
typedef struct { uint64_t *bits; int *blk, *sup; int nb, ns; } rank_set;

static void rank_set_init(rank_set *r, int n) {
    r->nb = n / 64 + 1;
    r->ns = n / 4096 + 1;
    r->bits = gi_calloc((size_t)r->nb, sizeof *r->bits);
    r->blk = gi_calloc((size_t)r->nb, sizeof *r->blk);
    r->sup = gi_calloc((size_t)r->ns, sizeof *r->sup);
}

static void rank_set_insert(rank_set *r, int m) {
    int b = m >> 6, s = m >> 12, bend = (s + 1) << 6 < r->nb ? (s + 1) << 6 : r->nb;
    r->bits[b] |= 1ull << (m & 63);
    for (int j = b + 1; j < bend; j++) r->blk[j]++;
    for (int j = s + 1; j < r->ns; j++) r->sup[j]++;
}

static inline int rank_set_below(const rank_set *r, int e) { /* 0 <= e <= n */
    return r->sup[e >> 12] + r->blk[e >> 6] + __builtin_popcountll(r->bits[e >> 6] & ((1ull << (e & 63)) - 1));
}

static void rank_set_free(rank_set *r) { free(r->bits); free(r->blk); free(r->sup); }

struct knn_counter {
    int n, d;
    knn_tree *t;              /* d > 2 */
    int *order0, *order1;     /* d <= 2: per coordinate the points in sorted order, */
    double *s0, *s1;          /* their sorted values, */
    int *rank1;               /* and (d = 2) each point's rank in the second */
};

knn_counter *knn_counter_new(const double *x, int n, int d) {
    knn_counter *c = gi_calloc(1, sizeof *c);
    c->n = n; c->d = d;
    if (d > 2) { c->t = knn_build(x, n, d, KNN_MAX); return c; }
    if (n <= 0) return c;
    int *rank0 = gi_malloc((size_t)n * sizeof(int));
    c->order0 = gi_malloc((size_t)n * sizeof(int));
    c->s0 = gi_malloc((size_t)n * sizeof(double));
    sort_coordinate(x, n, d, 0, c->order0, c->s0, rank0);
    if (d == 2) {
        c->order1 = gi_malloc((size_t)n * sizeof(int));
        c->s1 = gi_malloc((size_t)n * sizeof(double));
        c->rank1 = gi_malloc((size_t)n * sizeof(int));
        sort_coordinate(x, n, d, 1, c->order1, c->s1, c->rank1);
    }
    free(rank0);
    return c;
}

void knn_counter_free(knn_counter *c) {
    if (!c) return;
    knn_free(c->t);
    free(c->order0); free(c->order1); free(c->s0); free(c->s1); free(c->rank1);
    free(c);
}

static void count_2d(const knn_counter *c, const double *r, int *count) {
    int n = c->n;
    /* Query i adds F(hi0, [lo1, hi1)) - F(lo0, [lo1, hi1)), F(p, .) counting the points of rank0
     * < p: events bucketed by p, value 2*i + (1 for the subtracted one). */
    int *lo0 = gi_malloc((size_t)n * sizeof(int)), *hi0 = gi_malloc((size_t)n * sizeof(int));
    int *lo1 = gi_malloc((size_t)n * sizeof(int)), *hi1 = gi_malloc((size_t)n * sizeof(int));
    int *at = gi_calloc((size_t)n + 2, sizeof(int)), *ev = gi_malloc((size_t)2 * n * sizeof(int));
    runs_within(c->s0, c->order0, n, r, lo0, hi0);
    runs_within(c->s1, c->order1, n, r, lo1, hi1);
    for (int i = 0; i < n; i++) {
        count[i] = 0;
        if (lo0[i] < 0) continue;
        at[lo0[i] + 1]++;
        at[hi0[i] + 1]++;
    }
    for (int p = 0; p < n + 1; p++) at[p + 1] += at[p];
    for (int i = 0; i < n; i++)
        if (lo0[i] >= 0) {
            ev[at[lo0[i]]++] = 2 * i + 1;
            ev[at[hi0[i]]++] = 2 * i;
        }
    /* at[p] is now the end of bucket p (= the start of p+1); bucket 0 starts at 0 */
    rank_set f;
    rank_set_init(&f, n);
    for (int p = 0, e = 0; p <= n; p++) {
        for (; e < at[p]; e++) {
            int i = ev[e] >> 1, v = rank_set_below(&f, hi1[i]) - rank_set_below(&f, lo1[i]);
            count[i] += ev[e] & 1 ? -v : v;
        }
        if (p < n) rank_set_insert(&f, c->rank1[c->order0[p]]);
    }
    rank_set_free(&f);
    for (int i = 0; i < n; i++) count[i] -= r[i] > 0; /* the point itself */
    free(lo0); free(hi0); free(lo1); free(hi1); free(at); free(ev);
}

void knn_counter_count(const knn_counter *c, const double *r, int *count) {
    int n = c->n;
    if (n <= 0) return;
    if (c->t) { knn_count_all(c->t, r, count); return; }
    if (c->d == 2) { count_2d(c, r, count); return; }
    int *lo = gi_malloc((size_t)n * sizeof(int)), *hi = gi_malloc((size_t)n * sizeof(int));
    runs_within(c->s0, c->order0, n, r, lo, hi);
    for (int i = 0; i < n; i++) count[i] = lo[i] < 0 ? 0 : hi[i] - lo[i] - 1;
    free(lo); free(hi);
}

void knn_count_max(const double *x, int n, int d, const double *r, int *count) {
    knn_counter *c = knn_counter_new(x, n, d);
    knn_counter_count(c, r, count);
    knn_counter_free(c);
}
