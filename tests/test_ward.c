/* Ward clustering: against a brute-force Ward that recomputes every merge cost from the clusters'
 * centroids at each step, and against SciPy's fcluster(linkage(., 'ward'), 10, 'maxclust')
 * labels (tests/data/oinfo, made by make_golden.py there). */
#include <stdlib.h>
#include <string.h>
#include "measure/oinfo.h"
#include "measure/ward.h"
#include "test.h"
#include "util/npy.h"
#include "util/rng.h"

/* Ward's cost of merging A and B, on Euclidean distances as SciPy reports it:
 * √(2|A||B|/(|A|+|B|)) ‖c_A − c_B‖, from scratch */
static double ward_cost(const double *x, int d, const int *lab, int m, int a, int b) {
    double ca[16] = {0}, cb[16] = {0};
    int na = 0, nb = 0;
    for (int i = 0; i < m; i++) {
        if (lab[i] == a) { na++; for (int t = 0; t < d; t++) ca[t] += x[i * d + t]; }
        if (lab[i] == b) { nb++; for (int t = 0; t < d; t++) cb[t] += x[i * d + t]; }
    }
    double s = 0;
    for (int t = 0; t < d; t++) { double u = ca[t] / na - cb[t] / nb; s += u * u; }
    return sqrt(2.0 * na * nb / (na + nb) * s);
}

/* same partition, whatever the numbering */
static int same_partition(const int *p, const int *q, int m) {
    for (int i = 0; i < m; i++)
        for (int j = 0; j < m; j++)
            if ((p[i] == p[j]) != (q[i] == q[j])) return 0;
    return 1;
}

TEST(ward_equals_brute_force) {
    rng_t r;
    rng_seed(&r, 7);
    for (int trial = 0; trial < 60; trial++) {
        int m = 2 + (int)rng_below(&r, 29), d = 1 + (int)rng_below(&r, 5);
        double *x = malloc((size_t)m * d * sizeof(double)), *dist = malloc((size_t)m * m * sizeof(double));
        for (int i = 0; i < m * d; i++) x[i] = rng_normal(&r) + (i % 3 == 0 ? 3.0 * (i / d % 2) : 0.0);
        ward_merge *z = malloc((size_t)m * sizeof *z);
        ward_distances(x, m, d, dist);
        ward_linkage(dist, m, z);
        int *lab = malloc((size_t)m * sizeof(int)), *cut = malloc((size_t)m * sizeof(int));
        for (int i = 0; i < m; i++) lab[i] = i;
        for (int step = 0; step < m - 1; step++) {
            double best = INFINITY;
            int ba = -1, bb = -1;
            for (int a = 0; a < m; a++)
                for (int b = a + 1; b < m; b++) {
                    int has_a = 0, has_b = 0;
                    for (int i = 0; i < m; i++) { has_a |= lab[i] == a; has_b |= lab[i] == b; }
                    if (!has_a || !has_b) continue;
                    double c = ward_cost(x, d, lab, m, a, b);
                    if (c < best) { best = c; ba = a; bb = b; }
                }
            for (int i = 0; i < m; i++) if (lab[i] == bb) lab[i] = ba;
            CHECK_CLOSE(z[step].height, best, 1e-12, 1e-10);
            /* the cut that leaves m − step − 1 clusters is the brute force's partition now */
            int k = m - step - 1;
            if (k >= 2 && k <= m - 2) { /* k = m − 1 SciPy never tests: see ward_maxclust */
                int got = ward_maxclust(z, m, k, cut);
                CHECK(got == k);
                CHECK(same_partition(cut, lab, m));
            }
        }
        free(x); free(dist); free(z); free(lab); free(cut);
    }
}

static int *read_labels(const char *path, int m) {
    FILE *f = fopen(path, "r");
    if (!f) { perror(path); return NULL; }
    int *l = malloc((size_t)m * sizeof(int));
    for (int i = 0; i < m; i++) if (fscanf(f, "%d", &l[i]) != 1) { fclose(f); free(l); return NULL; }
    fclose(f);
    return l;
}

/* the peer's labels, the same numbers: dead neurons 0, then fcluster's 1..10 */
TEST(ward_labels_equal_scipy) {
    const char *cases[] = {"synthetic", "sparse"};
    for (int c = 0; c < 2; c++) {
        char path[256];
        snprintf(path, sizeof path, "tests/data/oinfo/%s.npy", cases[c]);
        num_matrix a;
        gi_err e;
        CHECK(npy_read(path, &a, &e) == 0);
        if (!a.data) continue;
        snprintf(path, sizeof path, "tests/data/oinfo/%s_labels.txt", cases[c]);
        int *want = read_labels(path, (int)a.cols), *got = malloc((size_t)a.cols * sizeof(int));
        CHECK(want != NULL);
        oinfo_params p = {.clusters = 10};
        oinfo_row row;
        CHECK(oinfo_measure_f64(a.data, (int)a.rows, (int)a.cols, &p, &row, got, &e) == 0);
        int diff = 0;
        for (int i = 0; want && i < a.cols; i++) diff += got[i] != want[i];
        if (diff) fprintf(stderr, "  %s: %d of %lld labels differ\n", cases[c], diff, (long long)a.cols);
        CHECK(diff == 0);
        free(want); free(got); matrix_free(&a);
    }
}

/* fewer points than clusters: SciPy's binary search over the heights still merges some */
TEST(ward_maxclust_few_points_as_scipy) {
    num_matrix a;
    gi_err e;
    CHECK(npy_read("tests/data/oinfo/tiny.npy", &a, &e) == 0);
    if (!a.data) return;
    int m = (int)a.rows, got[8];
    int *want = read_labels("tests/data/oinfo/tiny_labels.txt", m);
    CHECK(want != NULL);
    int n = ward_cluster(a.data, m, (int)a.cols, 10, got);
    CHECK(n == 3);
    for (int i = 0; want && i < m; i++) CHECK(got[i] == want[i]);
    free(want); matrix_free(&a);
}

/* exact ties: 1 is as near to 0 as to 2; SciPy's chain keeps its previous element on a tie, so
 * it merges the pair it found first: labels from scipy 1.10 (fcluster(linkage(x, 'ward'), 3, 'maxclust')) */
TEST(ward_ties_as_scipy) {
    double x1[] = {0, 1, 2, 20, 21}, x2[] = {2, 1, 0, 20, 21};
    int want[] = {2, 2, 3, 1, 1}, got[5];
    CHECK(ward_cluster(x1, 5, 1, 3, got) == 3);
    for (int i = 0; i < 5; i++) CHECK(got[i] == want[i]);
    CHECK(ward_cluster(x2, 5, 1, 3, got) == 3);
    for (int i = 0; i < 5; i++) CHECK(got[i] == want[i]);
}
