/* KD-tree neighbour search against brute force: bit-identical distances, exact counts. */
#include <stdlib.h>
#include "test.h"
#include "measure/knn.h"
#include "util/rng.h"

/* The reference formula: sum of squares in coordinate order (then sqrt), or max |difference|. */
static double bf_reduced(const double *a, const double *b, int d, knn_norm norm) {
    double s = 0;
    for (int j = 0; j < d; j++) {
        double u = a[j] - b[j];
        if (norm == KNN_EUCLID) s = knn_sq_acc(s, u);
        else s = fabs(u) > s ? fabs(u) : s;
    }
    return s;
}

static double bf_dist(const double *a, const double *b, int d, knn_norm norm) {
    double s = bf_reduced(a, b, d, norm);
    return norm == KNN_EUCLID ? sqrt(s) : s;
}

/* The k smallest distances from point i to the others, ascending, by insertion. */
static void bf_knn_one(const double *x, int n, int d, int k, knn_norm norm, int i, double *o) {
    int m = 0;
    for (int j = 0; j < n; j++) {
        if (j == i) continue;
        double v = bf_dist(x + (size_t)i * d, x + (size_t)j * d, d, norm);
        if (m == k && !(v < o[k - 1])) continue;
        int p = m < k ? m++ : k - 1;
        while (p > 0 && o[p - 1] > v) { o[p] = o[p - 1]; p--; }
        o[p] = v;
    }
}

static void bf_knn(const double *x, int n, int d, int k, knn_norm norm, double *out) {
    for (int i = 0; i < n; i++) bf_knn_one(x, n, d, k, norm, i, out + (size_t)i * k);
}

static int bf_count(const double *x, int n, int d, knn_norm norm, int i, double r) {
    int c = 0;
    for (int j = 0; j < n; j++) c += j != i && bf_dist(x + (size_t)i * d, x + (size_t)j * d, d, norm) < r;
    return c;
}

/* kind 0: Gaussian; 1: integers in {0,1,2} (many duplicates); 2: Gaussian with a constant
 * column and one coordinate scaled by 1e6. */
static double *make_data(int n, int d, int kind, uint64_t seed) {
    rng_t g;
    rng_seed(&g, seed);
    double *x = malloc((size_t)n * d * sizeof *x);
    for (int i = 0; i < n * d; i++) {
        int j = i % d;
        if (kind == 1) x[i] = (double)rng_below(&g, 3);
        else if (kind == 2 && j == d / 2) x[i] = 0.75;
        else x[i] = rng_normal(&g) * (kind == 2 && j == 0 ? 1e6 : 1.0);
    }
    return x;
}

/* Number of entries of the n x k result that differ (bitwise, via ==) from brute force taken
 * as the first k of kmax columns. */
static int knn_mismatches(const double *got, const double *ref, int n, int k, int kmax) {
    int bad = 0;
    for (int i = 0; i < n; i++)
        for (int m = 0; m < k; m++) bad += !(got[(size_t)i * k + m] == ref[(size_t)i * kmax + m]);
    return bad;
}

TEST(knn_matches_brute_force) {
    const int n = 500, kmax = 7, dims[] = {1, 2, 3, 5, 8, 16}, ks[] = {1, 3, 7};
    double *ref = malloc((size_t)n * kmax * sizeof *ref), *got = malloc((size_t)n * kmax * sizeof *got);
    double *r = malloc((size_t)n * sizeof *r);
    int *cnt = malloc((size_t)n * sizeof *cnt);
    for (int di = 0; di < 6; di++)
        for (int kind = 0; kind < 3; kind++)
            for (int norm = 0; norm < 2; norm++) {
                int d = dims[di];
                if (kind == 2 && d < 2) continue;
                double *x = make_data(n, d, kind, 100 * d + kind);
                bf_knn(x, n, d, kmax, (knn_norm)norm, ref);
                knn_tree *t = knn_build(x, n, d, (knn_norm)norm);
                for (int ki = 0; ki < 3; ki++) {
                    int k = ks[ki];
                    knn_query_all(t, k, got);
                    int bad = knn_mismatches(got, ref, n, k, kmax);
                    if (bad) fprintf(stderr, "  d=%d kind=%d norm=%d k=%d: %d distances differ\n", d, kind, norm, k, bad);
                    CHECK(bad == 0);
                }
                /* r = the exact distance to some other point (so '<' vs '<=' matters), or one
                 * ulp above it, or a large radius that swallows whole nodes. */
                rng_t g;
                rng_seed(&g, 7 + d);
                for (int i = 0; i < n; i++) {
                    int j = (i + 1 + (int)rng_below(&g, n - 1)) % n;
                    r[i] = bf_dist(x + (size_t)i * d, x + (size_t)j * d, d, (knn_norm)norm);
                    if (i % 3 == 1) r[i] = nextafter(r[i], INFINITY);
                    if (i % 7 == 0) r[i] *= 3;
                }
                knn_count_all(t, r, cnt);
                int badc = 0;
                for (int i = 0; i < n; i++) badc += cnt[i] != bf_count(x, n, d, (knn_norm)norm, i, r[i]);
                if (badc) fprintf(stderr, "  d=%d kind=%d norm=%d: %d counts differ\n", d, kind, norm, badc);
                CHECK(badc == 0);
                knn_free(t);
                free(x);
            }
    free(ref); free(got); free(r); free(cnt);
}

/* The comparison above can fail: one distance one ulp off is one mismatch. */
TEST(knn_check_catches_wrong_distance) {
    const int n = 200, d = 3, k = 4;
    double *x = make_data(n, d, 0, 5);
    double *ref = malloc((size_t)n * k * sizeof *ref), *got = malloc((size_t)n * k * sizeof *got);
    bf_knn(x, n, d, k, KNN_EUCLID, ref);
    knn_tree *t = knn_build(x, n, d, KNN_EUCLID);
    knn_query_all(t, k, got);
    CHECK(knn_mismatches(got, ref, n, k, k) == 0);
    got[17 * k + 2] = nextafter(got[17 * k + 2], 0);
    CHECK(knn_mismatches(got, ref, n, k, k) == 1);
    /* s < r*r is not the same test as sqrt(s) < r: the counts must follow the latter. */
    int wrong = 0;
    for (int i = 0; i < n && !wrong; i++)
        for (int j = 0; j < n && !wrong; j++) {
            double s = bf_reduced(x + i * d, x + j * d, d, KNN_EUCLID), r = sqrt(s);
            wrong = (s < r * r) != (sqrt(s) < r);
        }
    CHECK(wrong); /* such pairs exist, so the exact threshold in knn_count_all is needed */
    int same = 1;
    for (int i = 0; i + 1 < n; i++)
        for (int norm = 0; norm < 2; norm++)
            same &= knn_dist(x + i * d, x + (i + 1) * d, d, (knn_norm)norm) == bf_dist(x + i * d, x + (i + 1) * d, d, (knn_norm)norm);
    CHECK(same);
    knn_free(t);
    free(x); free(ref); free(got);
}

TEST(knn_two_points_and_all_equal) {
    double x2[] = {0.1, 0.2, 1.3, -0.4};
    for (int norm = 0; norm < 2; norm++) {
        knn_tree *t = knn_build(x2, 2, 2, (knn_norm)norm);
        double dist[2];
        knn_query_all(t, 1, dist);
        double ref = bf_dist(x2, x2 + 2, 2, (knn_norm)norm);
        CHECK(dist[0] == ref && dist[1] == ref);
        int cnt[2];
        double r[2] = {ref, nextafter(ref, INFINITY)};
        knn_count_all(t, r, cnt);
        CHECK(cnt[0] == 0 && cnt[1] == 1);
        knn_free(t);
    }
    /* 50 copies of one point: every neighbour at 0; r = 0 counts nothing, r > 0 all others. */
    const int n = 50;
    double x[50 * 3], dist[50 * 5], r[50];
    int cnt[50];
    for (int i = 0; i < n * 3; i++) x[i] = i % 3 - 1.5;
    knn_tree *t = knn_build(x, n, 3, KNN_EUCLID);
    knn_query_all(t, 5, dist);
    int zeros = 0;
    for (int i = 0; i < n * 5; i++) zeros += dist[i] == 0;
    CHECK(zeros == n * 5);
    for (int i = 0; i < n; i++) r[i] = i % 2 ? 1e-300 : 0;
    knn_count_all(t, r, cnt);
    for (int i = 0; i < n; i++) CHECK(cnt[i] == (i % 2 ? n - 1 : 0));
    knn_free(t);
}

/* d = 64, and the tree owns its copy: the caller's array may change after the build. */
TEST(knn_high_dim_and_owns_copy) {
    const int n = 300, d = 64, k = 5;
    double *x = make_data(n, d, 0, 64);
    double *ref = malloc((size_t)n * k * sizeof *ref), *got = malloc((size_t)n * k * sizeof *got);
    for (int norm = 0; norm < 2; norm++) {
        bf_knn(x, n, d, k, (knn_norm)norm, ref);
        knn_tree *t = knn_build(x, n, d, (knn_norm)norm);
        double *saved = malloc((size_t)n * d * sizeof *saved);
        memcpy(saved, x, (size_t)n * d * sizeof *x);
        for (int i = 0; i < n * d; i++) x[i] = 0;
        knn_query_all(t, k, got);
        CHECK(knn_mismatches(got, ref, n, k, k) == 0);
        memcpy(x, saved, (size_t)n * d * sizeof *x);
        free(saved);
        knn_free(t);
    }
    free(x); free(ref); free(got);
}

/* k = n-1 on a tree of one full leaf and one point; and a tree large enough to run in
 * parallel, with k larger than a leaf, checked on a subset of points. */
TEST(knn_large_k_and_parallel) {
    for (int norm = 0; norm < 2; norm++) {
        const int n = 33, d = 2, k = 32;
        double *x = make_data(n, d, 1, 17), ref[33 * 32], got[33 * 32];
        bf_knn(x, n, d, k, (knn_norm)norm, ref);
        knn_tree *t = knn_build(x, n, d, (knn_norm)norm);
        knn_query_all(t, k, got);
        CHECK(knn_mismatches(got, ref, n, k, k) == 0);
        knn_free(t);
        free(x);
    }
    const int n = 9000, d = 4, k = 20, step = 16; /* n > 2 * 4096: the build splits into tasks */
    double *got = malloc((size_t)n * k * sizeof *got), *r = malloc((size_t)n * sizeof *r), ref[20];
    int *cnt = malloc((size_t)n * sizeof *cnt);
    for (int norm = 0; norm < 2; norm++) {
        double *x = make_data(n, d, 0, 4000 + norm);
        knn_tree *t = knn_build(x, n, d, (knn_norm)norm);
        knn_query_all(t, k, got);
        for (int i = 0; i < n; i++) r[i] = got[(size_t)i * k + i % k];
        knn_count_all(t, r, cnt);
        int bad = 0, badc = 0;
        for (int i = 0; i < n; i += step) {
            bf_knn_one(x, n, d, k, (knn_norm)norm, i, ref);
            bad += knn_mismatches(got + (size_t)i * k, ref, 1, k, k);
            badc += cnt[i] != bf_count(x, n, d, (knn_norm)norm, i, r[i]);
        }
        CHECK(bad == 0);
        CHECK(badc == 0);
        knn_free(t);
        free(x);
    }
    free(got); free(r); free(cnt);
}

/* Sizes and k around the leaf of 32, where a query's own leaf (searched first, all queries at
 * once) may hold fewer than k others, exactly k, or more: Gaussian and integer data (duplicates,
 * ties at the k-th distance), both norms, against brute force. */
TEST(knn_k_around_leaf_size) {
    const int sizes[] = {2, 5, 31, 32, 33, 64, 65, 150}, ks[] = {1, 4, 5, 30, 31, 32, 40};
    int bad = 0, cases = 0;
    for (int si = 0; si < 8; si++)
        for (int kind = 0; kind < 2; kind++)
            for (int norm = 0; norm < 2; norm++) {
                int n = sizes[si], d = kind ? 2 : 4;
                double *x = make_data(n, d, kind, 50 * si + 7 * kind + norm);
                /* the joint build: x's first column beside its other d-1 */
                double *x0 = malloc((size_t)n * sizeof *x0), *x1 = malloc((size_t)n * (d - 1) * sizeof *x1);
                for (int i = 0; i < n; i++) {
                    x0[i] = x[(size_t)i * d];
                    for (int j = 1; j < d; j++) x1[(size_t)i * (d - 1) + j - 1] = x[(size_t)i * d + j];
                }
                knn_tree *t = si % 2 ? knn_build_joint(x0, 1, x1, d - 1, n, (knn_norm)norm) : knn_build(x, n, d, (knn_norm)norm);
                free(x0); free(x1);
                for (int ki = 0; ki < 7; ki++) {
                    int k = ks[ki];
                    if (k > n - 1) continue;
                    double *ref = malloc((size_t)n * k * sizeof *ref), *got = malloc((size_t)n * k * sizeof *got);
                    bf_knn(x, n, d, k, (knn_norm)norm, ref);
                    knn_query_all(t, k, got);
                    int b = knn_mismatches(got, ref, n, k, k);
                    knn_query_kth(t, k, got); /* the k-th alone */
                    for (int i = 0; i < n; i++) b += !(got[i] == ref[(size_t)i * k + k - 1]);
                    if (b) fprintf(stderr, "  n=%d kind=%d norm=%d k=%d: %d distances differ\n", n, kind, norm, k, b);
                    bad += b;
                    cases++;
                    free(ref); free(got);
                }
                knn_free(t);
                free(x);
            }
    CHECK(cases > 60);
    CHECK(bad == 0);
}

/* knn_count_max (a sweep for d <= 2, a tree above) against brute force: Gaussian, integer grids
 * full of ties and duplicates, a constant column and a coordinate scaled by 1e6; radii equal to
 * a distance, one ulp above it, large, 0 and NaN; sizes around the search block of 32. */
TEST(knn_count_max_matches_brute_force) {
    const int sizes[] = {1, 2, 31, 33, 500};
    for (int si = 0; si < 5; si++)
        for (int d = 1; d <= 3; d++)
            for (int kind = 0; kind < 3; kind++) {
                int n = sizes[si];
                if (kind == 2 && d < 2) continue;
                double *x = make_data(n, d, kind, 1000 * d + 10 * kind + si), *r = malloc((size_t)n * sizeof *r);
                int *cnt = malloc((size_t)n * sizeof *cnt);
                rng_t g;
                rng_seed(&g, 3 + d + n);
                for (int i = 0; i < n; i++) {
                    int j = n > 1 ? (i + 1 + (int)rng_below(&g, n - 1)) % n : i;
                    r[i] = bf_dist(x + (size_t)i * d, x + (size_t)j * d, d, KNN_MAX);
                    if (i % 3 == 1) r[i] = nextafter(r[i], INFINITY);
                    if (i % 7 == 0) r[i] *= 3;
                    if (i % 11 == 5) r[i] = 0;
                    if (i % 13 == 6) r[i] = NAN;
                }
                knn_count_max(x, n, d, r, cnt);
                int bad = 0, sum = 0;
                for (int i = 0; i < n; i++) {
                    int ref = bf_count(x, n, d, KNN_MAX, i, r[i]);
                    bad += cnt[i] != ref;
                    sum += ref;
                }
                if (bad) fprintf(stderr, "  n=%d d=%d kind=%d: %d counts differ\n", n, d, kind, bad);
                CHECK(bad == 0);
                CHECK(n < 500 || sum > n); /* the radii do catch points */
                free(x); free(r); free(cnt);
            }
}

/* The 2-d sweep past one superblock of its rank counter (4096 ranks), on ties and on distinct
 * values, checked on a subset of points. */
TEST(knn_count_max_large) {
    const int n = 9000, d = 2, step = 7;
    double *r = malloc((size_t)n * sizeof *r);
    int *cnt = malloc((size_t)n * sizeof *cnt);
    for (int kind = 0; kind < 2; kind++) {
        double *x = make_data(n, d, kind, 9000 + kind);
        for (int i = 0; i < n; i++) r[i] = kind ? (i % 3) * 0.5 + (i % 2) : 0.02 * (1 + i % 50);
        knn_count_max(x, n, d, r, cnt);
        int bad = 0;
        for (int i = 0; i < n; i += step) bad += cnt[i] != bf_count(x, n, d, KNN_MAX, i, r[i]);
        if (bad) fprintf(stderr, "  kind=%d: %d counts differ\n", kind, bad);
        CHECK(bad == 0);
        free(x);
    }
    free(r); free(cnt);
}

/* A knn_counter answers for two sets of radii in turn; and knn_build and knn_counter_new called
 * inside a parallel region (as the KSG estimator does) give the same answers as brute force. */
TEST(knn_counter_reuse_and_inside_parallel) {
    const int n = 600;
    double *r = malloc((size_t)n * sizeof *r);
    int *cnt = malloc((size_t)n * sizeof *cnt);
    for (int d = 1; d <= 3; d++) {
        double *x = make_data(n, d, 1, 600 + d);
        knn_counter *c = knn_counter_new(x, n, d);
        for (int pass = 0; pass < 2; pass++) {
            for (int i = 0; i < n; i++) r[i] = pass ? 0.5 + (i % 4) * 0.5 : 1.0 + (i % 3 == 0);
            knn_counter_count(c, r, cnt);
            int bad = 0;
            for (int i = 0; i < n; i++) bad += cnt[i] != bf_count(x, n, d, KNN_MAX, i, r[i]);
            if (bad) fprintf(stderr, "  d=%d pass=%d: %d counts differ\n", d, pass, bad);
            CHECK(bad == 0);
        }
        knn_counter_free(c);
        free(x);
    }
    const int m = 9000, d = 3, k = 4, step = 37;
    double *x = make_data(m, d, 0, 9001), *got = malloc((size_t)m * k * sizeof *got), ref[4];
    double *r2 = malloc((size_t)m * sizeof *r2);
    int *cnt2 = malloc((size_t)m * sizeof *cnt2);
    knn_tree *t = NULL;
    knn_counter *c2 = NULL, *c3 = NULL;
    #pragma omp parallel
    #pragma omp single
    {
        #pragma omp task shared(c2)
        c2 = knn_counter_new(x, m, 2); /* the first 2 of each 3 values read as rows of 2 */
        #pragma omp task shared(c3)
        c3 = knn_counter_new(x, m, 3);
        t = knn_build(x, m, d, KNN_MAX);
        #pragma omp taskwait
    }
    knn_query_all(t, k, got);
    for (int i = 0; i < m; i++) r2[i] = got[(size_t)i * k + k - 1];
    int bad = 0, badc = 0;
    for (int i = 0; i < m; i += step) {
        bf_knn_one(x, m, d, k, KNN_MAX, i, ref);
        bad += knn_mismatches(got + (size_t)i * k, ref, 1, k, k);
    }
    knn_counter_count(c3, r2, cnt2);
    for (int i = 0; i < m; i += step) badc += cnt2[i] != bf_count(x, m, d, KNN_MAX, i, r2[i]);
    knn_counter_count(c2, r2, cnt2); /* x as m*3/2 rows of 2: the first m of them */
    for (int i = 0; i < m; i += step) badc += cnt2[i] != bf_count(x, m, 2, KNN_MAX, i, r2[i]);
    CHECK(bad == 0);
    CHECK(badc == 0);
    knn_free(t);
    knn_counter_free(c2);
    knn_counter_free(c3);
    free(x); free(got); free(r2); free(cnt2); free(r); free(cnt);
}
