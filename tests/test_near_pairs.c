/* near_pairs (measure/near_pairs.h) against every pair by brute force: the same pairs and the same
 * distances (==), every row visited once, for data that strain its float filter: distances equal
 * to the radius (integer lattices), rows far from the origin, tiny and huge scales, all rows equal;
 * and the same visits, in the same order, for 1 and 2 threads. */
#include <stdlib.h>
#include <string.h>
#include "measure/knn.h"
#include "measure/near_pairs.h"
#include "util/rng.h"
#include "test.h"
#ifdef _OPENMP
#include <omp.h>
#endif

typedef struct { int *count, **js; double **d2; int *visits; } collected;

static void collect(void *ctx, int thread, int i, const int *j, const double *d2, int m) {
    collected *c = ctx;
    c->visits[i]++;
    c->count[i] = m;
    c->js[i] = malloc((m + 1) * sizeof(int));
    c->d2[i] = malloc((m + 1) * sizeof(double));
    memcpy(c->js[i], j, m * sizeof(int));
    memcpy(c->d2[i], d2, m * sizeof(double));
}

static collected visit_all(const double *x, int n, int d, double radius, long long *pairs) {
    collected c = {calloc(n, sizeof(int)), calloc(n, sizeof(int *)), calloc(n, sizeof(double *)), calloc(n, sizeof(int))};
    *pairs = near_pairs_visit(x, n, d, radius, collect, &c);
    return c;
}

static void collected_free(collected *c, int n) {
    for (int i = 0; i < n; i++) { free(c->js[i]); free(c->d2[i]); }
    free(c->count); free(c->js); free(c->d2); free(c->visits);
}

/* Every row visited once with exactly the pairs and distances of the brute force (in any order). */
static void check_exact(const double *x, int n, int d, double radius, int *failures) {
    long long pairs, total = 0;
    collected c = visit_all(x, n, d, radius, &pairs);
    double *want = malloc(n * sizeof(double));
    int bad = 0;
    for (int i = 0; i < n; i++) {
        CHECK(c.visits[i] == 1);
        for (int j = 0; j < n; j++) want[j] = -1.0;
        int m = 0;
        for (int j = 0; j < n; j++) {
            double s = near_dist2(x + (size_t)i * d, x + (size_t)j * d, d);
            if (j != i && s <= radius * radius) { want[j] = s; m++; }
        }
        total += m;
        int ok = c.count[i] == m;
        for (int a = 0; ok && a < c.count[i]; a++) ok = want[c.js[i][a]] == c.d2[i][a];
        if (!ok && bad++ < 3) fprintf(stderr, "  row %d: %d pairs, brute force %d\n", i, c.count[i], m);
    }
    CHECK(bad == 0);
    CHECK(pairs == total);
    free(want);
    collected_free(&c, n);
}

/* n points in clusters of 10 around N(0, 1) centres, each cluster with its own spread */
static void clusters(double *x, int n, int d, double scale, double offset, uint64_t seed) {
    rng_t g;
    rng_seed(&g, seed);
    double *centre = malloc(d * sizeof(double)), spread = 0;
    for (int i = 0; i < n; i++) {
        if (i % 10 == 0) {
            for (int k = 0; k < d; k++) centre[k] = rng_normal(&g);
            spread = 0.02 * (1 + rng_below(&g, 20));
        }
        for (int k = 0; k < d; k++) x[i * d + k] = offset + scale * (centre[k] + spread * rng_normal(&g));
    }
    free(centre);
}

TEST(near_pairs_equal_brute_force) {
    const int n = 700, d = 30;
    double *x = malloc(n * d * sizeof(double));
    clusters(x, n, d, 1.0, 0.0, 1);
    check_exact(x, n, d, 0.3, failures);
    check_exact(x, n, d, 3.0, failures);
    check_exact(x, n, d, 0.0, failures);
    clusters(x, n, d, 1.0, 1e4, 2); /* far from the origin: the float pass must centre */
    check_exact(x, n, d, 0.3, failures);
    clusters(x, n, d, 1e-30, 0.0, 3); /* tiny and huge: the floats must be rescaled */
    check_exact(x, n, d, 0.3e-30, failures);
    clusters(x, n, d, 1e30, -1e31, 4);
    check_exact(x, n, d, 0.3e30, failures);
    for (int i = 0; i < n * d; i++) x[i] = 0.7; /* all equal: every pair at 0 */
    check_exact(x, n, d, 0.0, failures);
    clusters(x, n, 1, 1.0, 5.0, 5);
    check_exact(x, n, 1, 0.01, failures);
    free(x);
}

/* near_dist2's order of operations, written out: 8 lanes, lane l summing knn_sq_acc over k ≡ l
 * (mod 8) in order, then lanes l and l + w added for w = 4, 2, 1. The vector path must give
 * these bits, and so the same bits as the portable path of another build. */
static double lanes_reference(const double *a, const double *b, int d) {
    double p[8] = {0};
    for (int k = 0; k < d; k++) p[k % 8] = knn_sq_acc(p[k % 8], a[k] - b[k]);
    for (int w = 4; w > 0; w /= 2)
        for (int l = 0; l < w; l++) p[l] += p[l + w];
    return p[0];
}

TEST(near_dist2_order_of_operations) {
    const int dims[] = {1, 5, 7, 8, 9, 16, 50, 200, 203};
    double a[203], b[203];
    rng_t g;
    rng_seed(&g, 8);
    int same = 1;
    for (int t = 0; t < 9; t++)
        for (int rep = 0; rep < 50; rep++) {
            for (int k = 0; k < dims[t]; k++) { a[k] = rng_normal(&g) * 1e3; b[k] = a[k] + rng_normal(&g); }
            double s = near_dist2(a, b, dims[t]);
            same &= s == lanes_reference(a, b, dims[t]) && s == near_dist2(b, a, dims[t]);
        }
    CHECK(same);
}

/* Integer points with large coordinates: many distances are exactly the radius (included), and the
 * float Gram's error (~1e-7 of ‖x‖² ≈ 1e6 per coordinate) is far larger than the gaps. */
TEST(near_pairs_distances_equal_to_the_radius_are_kept) {
    const int n = 600, d = 8;
    double *x = malloc(n * d * sizeof(double));
    rng_t g;
    rng_seed(&g, 6);
    for (int i = 0; i < n * d; i++) x[i] = (i % d < 2 ? 1000.0 : 0.0) + (double)rng_below(&g, 3);
    check_exact(x, n, d, 1.0, failures);
    check_exact(x, n, d, 2.0, failures);
    check_exact(x, n, d, sqrt(3.0), failures);
    free(x);
}

TEST(near_pairs_same_visits_for_1_and_2_threads) {
#ifdef _OPENMP
    const int n = 1500, d = 12;
    double *x = malloc(n * d * sizeof(double));
    clusters(x, n, d, 1.0, 0.0, 7);
    int was = omp_get_max_threads();
    long long p1, p2;
    omp_set_num_threads(1);
    collected a = visit_all(x, n, d, 0.5, &p1);
    omp_set_num_threads(2);
    collected b = visit_all(x, n, d, 0.5, &p2);
    omp_set_num_threads(was);
    CHECK(p1 == p2 && p1 > 0);
    int same = 1;
    for (int i = 0; i < n && same; i++)
        same = a.count[i] == b.count[i] && memcmp(a.js[i], b.js[i], a.count[i] * sizeof(int)) == 0 &&
               memcmp(a.d2[i], b.d2[i], a.count[i] * sizeof(double)) == 0;
    CHECK(same);
    collected_free(&a, n);
    collected_free(&b, n);
    free(x);
#endif
}
