/* near_pairs.c — every pair within a radius, exactly: cheap lower bounds of the distance first,
 * near_dist2 in double for what they let through.
 *
 * Each filter drops a pair only when a lower bound of its distance exceeds the radius, so none
 * can drop a pair the exact test would keep:
 *  1. A projection on a unit vector p: |p·(x_i − x_j)| <= ‖x_i − x_j‖. With the rows sorted by
 *     p·x, the pairs of a block of consecutive rows lie in one window of the sorted order. p is
 *     the first principal direction of a subsample (a few power iterations), so that the windows
 *     are short when the radius is small against the data's spread; any unit p is correct.
 *  2. A float Gram matrix (sgemm of the block against its window): ‖f_i‖² + ‖f_j‖² − 2 f_i·f_j,
 *     less its worst-case error. The rows are centred and scaled by a power of two (exact) so
 *     that the floats f neither overflow nor lose range, and then
 *       |fl(f_i·f_j) − f_i·f_j| <= γ_d ‖f_i‖‖f_j‖, γ_d = d·u/(1 − d·u), u = 2^-24, for any order
 *       of summation, FMA or not (Higham, "Accuracy and Stability of Numerical Algorithms", §3.1);
 *       ‖f_i − s·(x_i − c)‖ <= u ‖s·(x_i − c)‖ for the rounding to float (plus 2^-126 a
 *       coordinate, in case the BLAS flushes subnormals), a triangle inequality away.
 *     The float value is ~1e-4 off on distances ~10 while the noise model's radius is ~0.05
 *     (σ = 1e-3): it is the bound, never the float value, that decides.
 *  3. near_dist2 <= radius² in double: what the caller receives.
 * The filters decide only which pairs reach step 3, and step 3 alone decides the result, so the
 * pairs and their distances do not depend on the BLAS, the block size or the threads. */
#include "measure/near_pairs.h"
#include <cblas.h>
#if defined(__AVX512F__)
#include <immintrin.h>
#endif
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include "measure/knn.h"
#include "util/err.h"
#ifdef _OPENMP
#include <omp.h>
#endif

#define MAX_BLOCK_ROWS 256
#define BLOCK_FLOATS ((size_t)8 << 20) /* a block's Gram matrix: at most 32 MB a thread */
#define SUBSAMPLE 1024                 /* rows for the principal direction */
#define POWER_STEPS 6
#define RADIUS_SLACK 1e-9 /* relative: covers the rounding of near_dist2 itself (d·2^-53) */

/* Lanes l and l + w added, w = 4, 2, 1: the reduction both versions below end with. */
static double fold_lanes(double *p) {
    for (int w = NEAR_LANES / 2; w > 0; w /= 2)
        for (int l = 0; l < w; l++) p[l] += p[l + w];
    return p[0];
}

#if defined(__AVX512F__)
/* The same operations, lane for lane (GCC keeps the portable loop's 8 lanes in scalar registers,
 * two loads an element, and the distances are most of the time when many pairs are near). */
double near_dist2(const double *a, const double *b, int d) {
    __m512d acc = _mm512_setzero_pd();
    int k = 0;
    for (; k + NEAR_LANES <= d; k += NEAR_LANES) {
        __m512d u = _mm512_sub_pd(_mm512_loadu_pd(a + k), _mm512_loadu_pd(b + k));
        acc = _mm512_fmadd_pd(u, u, acc);
    }
    double p[NEAR_LANES];
    _mm512_storeu_pd(p, acc);
    for (int l = 0; k < d; k++, l++) p[l] = knn_sq_acc(p[l], a[k] - b[k]);
    return fold_lanes(p);
}
#else
double near_dist2(const double *a, const double *b, int d) {
    double p[NEAR_LANES] = {0};
    int k = 0;
    for (; k + NEAR_LANES <= d; k += NEAR_LANES)
        for (int l = 0; l < NEAR_LANES; l++) p[l] = knn_sq_acc(p[l], a[k + l] - b[k + l]);
    for (int l = 0; k < d; k++, l++) p[l] = knn_sq_acc(p[l], a[k] - b[k]);
    return fold_lanes(p);
}
#endif

int near_pairs_threads(void) {
#ifdef _OPENMP
    return omp_get_max_threads();
#else
    return 1;
#endif
}

static int thread_id(void) {
#ifdef _OPENMP
    return omp_get_thread_num();
#else
    return 0;
#endif
}

/* The rows prepared for the filters, in the order of their projection. */
typedef struct {
    const double *x;
    int n, d, block;
    int *order;         /* sorted position -> row */
    double *proj;       /* p·(x − c) by sorted position, ascending */
    double *xs;         /* the rows by sorted position (n x d): contiguous for the exact distances */
    float *f;           /* s·(x − c) as floats, by sorted position (n x d) */
    double *q, *err;    /* ‖f‖² and the bound on ‖f − s·(x − c)‖, by sorted position */
    double radius2;     /* radius² for near_dist2 */
    double reach;       /* s·radius·(1 + slack) */
    double gamma, tiny; /* the Gram's relative and absolute error bounds */
    double window;      /* the projections' half-width: the radius plus their rounding */
} prepared;

static double *column_means(const double *x, int n, int d) {
    double *c = gi_calloc((size_t)d, sizeof(double));
    for (int i = 0; i < n; i++)
        for (int k = 0; k < d; k++) c[k] += x[(size_t)i * d + k];
    for (int k = 0; k < d; k++) c[k] /= n;
    return c;
}

/* p: the first principal direction of about SUBSAMPLE evenly spaced rows (unit length), by
 * power iteration from the subsample's longest row; e_0 when the rows are all equal. */
static void principal_direction(const double *x, int n, int d, const double *c, double *p) {
    int step = n > SUBSAMPLE ? n / SUBSAMPLE : 1, m = (n + step - 1) / step;
    double *a = gi_malloc((size_t)m * d * sizeof(double)), *w = gi_malloc((size_t)d * sizeof(double));
    double best = -1.0;
    for (int r = 0; r < m; r++) {
        double s = 0.0, *ar = a + (size_t)r * d;
        for (int k = 0; k < d; k++) { ar[k] = x[(size_t)r * step * d + k] - c[k]; s += ar[k] * ar[k]; }
        if (s > best) { best = s; memcpy(p, ar, (size_t)d * sizeof(double)); }
    }
    for (int it = 0; it < POWER_STEPS; it++) {
        memset(w, 0, (size_t)d * sizeof(double));
        for (int r = 0; r < m; r++) {
            const double *ar = a + (size_t)r * d;
            double t = 0.0;
            for (int k = 0; k < d; k++) t += ar[k] * p[k];
            for (int k = 0; k < d; k++) w[k] += t * ar[k];
        }
        double norm = 0.0;
        for (int k = 0; k < d; k++) norm += w[k] * w[k];
        if (!(norm > 0.0) || !isfinite(norm)) break;
        for (int k = 0; k < d; k++) p[k] = w[k] / sqrt(norm);
    }
    double norm = 0.0;
    for (int k = 0; k < d; k++) norm += p[k] * p[k];
    if (!(norm > 0.0)) { memset(p, 0, (size_t)d * sizeof(double)); p[0] = norm = 1.0; }
    for (int k = 0; k < d; k++) p[k] /= sqrt(norm);
    free(a);
    free(w);
}

typedef struct { double key; int row; } keyed;

static int by_key(const void *pa, const void *pb) {
    const keyed *a = pa, *b = pb;
    if (a->key != b->key) return a->key < b->key ? -1 : 1;
    return (a->row > b->row) - (a->row < b->row);
}

/* Sorts the rows by projection; returns max ‖x − c‖ and the largest |x − c| coordinate. */
static void sort_by_projection(prepared *P, const double *c, const double *p, double *max_norm, double *max_abs) {
    const int n = P->n, d = P->d;
    keyed *kv = gi_malloc((size_t)n * sizeof(keyed));
    double *norm = gi_malloc((size_t)n * sizeof(double)), *top = gi_malloc((size_t)n * sizeof(double));
    #pragma omp parallel for schedule(static)
    for (int i = 0; i < n; i++) {
        const double *xi = P->x + (size_t)i * d;
        double t = 0.0, s = 0.0, m = 0.0;
        for (int k = 0; k < d; k++) {
            double a = xi[k] - c[k];
            t += p[k] * a;
            s += a * a;
            m = fabs(a) > m ? fabs(a) : m;
        }
        norm[i] = sqrt(s);
        top[i] = m;
        kv[i] = (keyed){t, i};
    }
    *max_norm = *max_abs = 0.0;
    for (int i = 0; i < n; i++) {
        if (norm[i] > *max_norm) *max_norm = norm[i];
        if (top[i] > *max_abs) *max_abs = top[i];
    }
    free(norm);
    free(top);
    qsort(kv, (size_t)n, sizeof(keyed), by_key);
    for (int r = 0; r < n; r++) { P->order[r] = kv[r].row; P->proj[r] = kv[r].key; }
    free(kv);
}

/* The scaled float rows and their error bounds (see the opening comment). */
static void to_floats(prepared *P, const double *c, double scale) {
    const int n = P->n, d = P->d;
    const double u = 0x1p-24, flush = sqrt((double)d) * 0x1p-126;
    #pragma omp parallel for schedule(static)
    for (int r = 0; r < n; r++) {
        const double *xi = P->x + (size_t)P->order[r] * d;
        memcpy(P->xs + (size_t)r * d, xi, (size_t)d * sizeof(double));
        float *fr = P->f + (size_t)r * d;
        double q = 0.0;
        for (int k = 0; k < d; k++) {
            fr[k] = (float)(scale * (xi[k] - c[k]));
            q += (double)fr[k] * fr[k];
        }
        P->q[r] = q;
        /* 1.01: the centring's own rounding (2^-53) and the norm's, with room to spare */
        P->err[r] = 1.01 * u * (sqrt(q) + flush) + 2.0 * flush;
    }
    /* γ_d for the dot product, plus the double rounding of ‖f‖² + ‖f‖² − 2g and of the norms */
    P->gamma = d * u / (1.0 - d * u) + (d + 8) * 0x1p-52;
    P->tiny = d * 0x1p-123;
}

static void prepare(prepared *P, const double *x, int n, int d, double radius) {
    P->x = x; P->n = n; P->d = d;
    P->block = (int)(BLOCK_FLOATS / (size_t)n);
    if (P->block > MAX_BLOCK_ROWS) P->block = MAX_BLOCK_ROWS;
    if (P->block < 1) P->block = 1;
    P->order = gi_malloc((size_t)n * sizeof(int));
    P->proj = gi_malloc((size_t)n * sizeof(double));
    P->xs = gi_malloc((size_t)n * d * sizeof(double));
    P->f = gi_malloc((size_t)n * d * sizeof(float));
    P->q = gi_malloc((size_t)n * sizeof(double));
    P->err = gi_malloc((size_t)n * sizeof(double));
    double *c = column_means(x, n, d), *p = gi_malloc((size_t)d * sizeof(double));
    principal_direction(x, n, d, c, p);
    double max_norm, max_abs;
    sort_by_projection(P, c, p, &max_norm, &max_abs);
    /* a power of two puts the largest coordinate in [0.5, 1): exact, and far from float's limits */
    int ex = 0;
    if (max_abs > 0.0) frexp(max_abs, &ex);
    double scale = ldexp(1.0, -ex);
    to_floats(P, c, scale);
    P->radius2 = radius * radius;
    P->reach = scale * radius * (1.0 + RADIUS_SLACK);
    /* |computed p·a − p·a| <= (d + 2)·2^-53·‖a‖ for each row, ‖p‖ <= 1 + d·2^-53 */
    P->window = radius * (1.0 + RADIUS_SLACK) + 2.0 * (d + 4) * 0x1p-53 * max_norm + 1e-300;
    free(c);
    free(p);
}

static void prepared_free(prepared *P) {
    free(P->order); free(P->proj); free(P->xs); free(P->f); free(P->q); free(P->err);
}

/* first sorted position whose projection is >= v (n if none) */
static int lower_bound(const double *a, int n, double v) {
    int lo = 0, hi = n;
    while (lo < hi) {
        int mid = lo + (hi - lo) / 2;
        if (a[mid] < v) lo = mid + 1; else hi = mid;
    }
    return lo;
}

/* first sorted position whose projection is > v (n if none) */
static int upper_bound(const double *a, int n, double v) {
    int lo = 0, hi = n;
    while (lo < hi) {
        int mid = lo + (hi - lo) / 2;
        if (a[mid] <= v) lo = mid + 1; else hi = mid;
    }
    return lo;
}

/* The rows of sorted position r within its radius, among the window [lo, hi) whose Gram row
 * against r is g; returns how many, rows into js and distances into d2. */
static int row_pairs(const prepared *P, int r, int lo, int hi, const float *g, int *js, double *d2) {
    const int d = P->d;
    const double qr = P->q[r], reach = P->reach + P->err[r], r2 = P->radius2;
    const double *xr = P->xs + (size_t)r * d;
    int m = 0;
    for (int l = lo; l < hi; l++) {
        double ql = P->q[l], lower2 = qr + ql - 2.0 * (double)g[l - lo] - P->gamma * (qr + ql) - P->tiny;
        double t = reach + P->err[l];
        if (lower2 > t * t || l == r) continue;
        double s = near_dist2(xr, P->xs + (size_t)l * d, d);
        if (s <= r2) { js[m] = P->order[l]; d2[m] = s; m++; }
    }
    return m;
}

long long near_pairs_visit(const double *x, int n, int d, double radius, near_visit_fn visit, void *ctx) {
    if (n < 1) return 0;
    prepared P;
    prepare(&P, x, n, d, radius);
    const int n_blocks = (n + P.block - 1) / P.block;
    long long pairs = 0;
    #pragma omp parallel reduction(+ : pairs)
    {
        float *g = gi_malloc((size_t)P.block * n * sizeof(float));
        int *js = gi_malloc((size_t)n * sizeof(int));
        double *d2 = gi_malloc((size_t)n * sizeof(double));
        const int thread = thread_id();
        #pragma omp for schedule(dynamic, 1)
        for (int b = 0; b < n_blocks; b++) {
            int b0 = b * P.block, b1 = b0 + P.block < n ? b0 + P.block : n;
            int lo = lower_bound(P.proj, n, P.proj[b0] - P.window);
            int hi = upper_bound(P.proj, n, P.proj[b1 - 1] + P.window);
            cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasTrans, b1 - b0, hi - lo, d, 1.0f, P.f + (size_t)b0 * d, d,
                        P.f + (size_t)lo * d, d, 0.0f, g, hi - lo);
            for (int r = b0; r < b1; r++) {
                int m = row_pairs(&P, r, lo, hi, g + (size_t)(r - b0) * (hi - lo), js, d2);
                pairs += m;
                visit(ctx, thread, P.order[r], js, d2, m);
            }
        }
        free(g);
        free(js);
        free(d2);
    }
    prepared_free(&P);
    return pairs;
}
