/* O-information against closed forms (population covariances of Gaussian constructions), the
 * Cholesky formula against the entropy-sum definition, the incremental cluster-union search against
 * one set at a time, and the peer's values on committed activations (tests/data/oinfo). */
#include <stdlib.h>
#include <string.h>
#include "measure/estimators.h"
#include "measure/oinfo.h"
#include "measure/special.h"
#include "test.h"
#include "util/npy.h"
#include "util/rng.h"

/* Ω, TC, DTC of a population covariance, by the definition (its correlation) */
static oinfo_terms population(const double *cov, int k) {
    double *r = malloc((size_t)k * k * sizeof(double));
    int idx[16];
    for (int i = 0; i < k; i++) {
        idx[i] = i;
        for (int j = 0; j < k; j++) r[i * k + j] = cov[i * k + j] / sqrt(cov[i * k + i] * cov[j * k + j]);
    }
    oinfo_terms t = {0};
    if (oinfo_set_entropies(r, k, idx, k, NULL, &t)) t.omega = NAN;
    free(r);
    return t;
}

/* x (n x k) through the copula, then Ω of all k */
static oinfo_terms sample(const double *x, int n, int k) {
    oinfo_layer L;
    gi_err e;
    oinfo_terms t = {NAN, NAN, NAN, NAN};
    if (oinfo_layer_f64(x, n, k, NULL, &L, &e)) return t;
    int idx[16];
    for (int i = 0; i < k; i++) idx[i] = i;
    double *w = malloc((size_t)k * k * sizeof(double));
    if (oinfo_set(L.r, L.n_live, idx, k, NULL, w, &t)) t.omega = NAN;
    free(w);
    oinfo_layer_free(&L);
    return t;
}

TEST(oinfo_independent_gaussians_zero) {
    int n = 100000, k = 5;
    double *x = malloc((size_t)n * k * sizeof(double));
    rng_t r;
    rng_seed(&r, 1);
    for (int i = 0; i < n * k; i++) x[i] = rng_normal(&r);
    oinfo_terms t = sample(x, n, k);
    CHECK_CLOSE(t.omega, 0.0, 0.01, 0);
    CHECK_CLOSE(t.tc, 0.0, 0.01, 0);
    free(x);
}

/* X_i = Z + σ ε_i: four noisy copies of one source, redundant: Ω > 0 */
TEST(oinfo_redundant_copies_positive) {
    int n = 100000, k = 4;
    double s = 0.8, cov[16], *x = malloc((size_t)n * k * sizeof(double));
    rng_t r;
    rng_seed(&r, 2);
    for (int i = 0; i < n; i++) {
        double z = rng_normal(&r);
        for (int a = 0; a < k; a++) x[i * k + a] = z + s * rng_normal(&r);
    }
    for (int a = 0; a < k; a++)
        for (int b = 0; b < k; b++) cov[a * k + b] = 1.0 + (a == b ? s * s : 0.0);
    oinfo_terms want = population(cov, k), got = sample(x, n, k);
    CHECK(want.omega > 0.3);
    CHECK_CLOSE(got.omega, want.omega, 0.01, 0.02);
    CHECK_CLOSE(got.tc, want.tc, 0.01, 0.02);
    CHECK_CLOSE(got.dtc, want.dtc, 0.01, 0.02);
    free(x);
}

/* X3 = X1 + X2 + σ ε: the sum of two independent sources, synergistic: Ω < 0 */
TEST(oinfo_sum_synergistic_negative) {
    int n = 100000, k = 3;
    double s = 0.3, *x = malloc((size_t)n * k * sizeof(double));
    double cov[9] = {1, 0, 1, 0, 1, 1, 1, 1, 2 + s * s};
    rng_t r;
    rng_seed(&r, 3);
    for (int i = 0; i < n; i++) {
        double a = rng_normal(&r), b = rng_normal(&r);
        x[i * 3] = a; x[i * 3 + 1] = b; x[i * 3 + 2] = a + b + s * rng_normal(&r);
    }
    oinfo_terms want = population(cov, k), got = sample(x, n, k);
    /* for three variables Ω = I(X1;X2) − I(X1;X2|X3) = 0 − ½ log((1 + σ²)² / (σ²(2 + σ²))) */
    CHECK(want.omega < -0.5);
    CHECK_CLOSE(want.omega, -0.5 * log((1 + s * s) * (1 + s * s) / (s * s * (2 + s * s))), 1e-12, 0);
    CHECK_CLOSE(got.omega, want.omega, 0.01, 0.02);
    free(x);
}

/* random correlation matrices (Gram of random vectors, normalised) */
static void random_corr(rng_t *r, int k, double *c) {
    int d = k + 3;
    double *v = malloc((size_t)k * d * sizeof(double));
    for (int i = 0; i < k * d; i++) v[i] = rng_normal(r) + (i % d == 0 ? 1.0 : 0.0);
    for (int i = 0; i < k; i++)
        for (int j = 0; j < k; j++) {
            double s = 0;
            for (int t = 0; t < d; t++) s += v[i * d + t] * v[j * d + t];
            c[i * k + j] = s;
        }
    for (int i = 0; i < k; i++)
        for (int j = 0; j < k; j++)
            if (i != j) c[i * k + j] /= sqrt(c[i * k + i] * c[j * k + j]);
    for (int i = 0; i < k; i++) c[i * k + i] = 1.0;
    free(v);
}

TEST(oinfo_cholesky_equals_definition) {
    rng_t r;
    rng_seed(&r, 4);
    int big = 14;
    double c[14 * 14], w[14 * 14], bias[15];
    oinfo_bias_table(200, big, bias);
    for (int trial = 0; trial < 200; trial++) {
        random_corr(&r, big, c);
        int k = 1 + (int)rng_below(&r, big), idx[14], perm[14];
        for (int i = 0; i < big; i++) perm[i] = i;
        rng_shuffle_int(&r, perm, big);
        memcpy(idx, perm, sizeof idx);
        const double *b = trial % 2 ? bias : NULL;
        oinfo_terms f, d;
        CHECK(oinfo_set(c, big, idx, k, b, w, &f) == 0);
        CHECK(oinfo_set_entropies(c, big, idx, k, b, &d) == 0);
        CHECK_CLOSE(f.omega, d.omega, 1e-10, 1e-10);
        CHECK_CLOSE(f.tc, d.tc, 1e-10, 1e-10);
        CHECK_CLOSE(f.dtc, d.dtc, 1e-10, 1e-10);
        CHECK_CLOSE(f.sinfo, d.sinfo, 1e-10, 1e-10);
        /* the definition's own identities: each side computed from entropies independently */
        CHECK_CLOSE(d.omega, d.tc - d.dtc, 1e-10, 1e-10);
        CHECK_CLOSE(d.sinfo, d.tc + d.dtc, 1e-12, 0);
        if (k == 2) CHECK_CLOSE(f.omega, 0.0, 1e-12, 0); /* pairs carry no O-information */
    }
}

/* hoi's correction for N = 10, d = 1: (ln 2 − ln 9)/2 + ψ(4.5)/2, ψ(4.5) = −γ − 2 ln 2 + 2 + 2/3 + 2/5 + 2/7 */
TEST(oinfo_bias_table_value) {
    double c[3];
    oinfo_bias_table(10, 2, c);
    double psi45 = -0.57721566490153286 - 2 * log(2.0) + 2 + 2.0 / 3 + 2.0 / 5 + 2.0 / 7;
    CHECK_CLOSE(c[1], (log(2.0) - log(9.0)) / 2 + psi45 / 2, 1e-14, 0);
    CHECK_CLOSE(c[2], 2 * (log(2.0) - log(9.0)) / 2 + psi45 / 2 + digamma(4.0) / 2, 1e-14, 0);
}

/* the layer's copula vectors are copula_transform's; dead neurons (any constant) are dropped;
 * the float path equals the double path; −0 ties with +0 */
TEST(oinfo_layer_copula_and_dead) {
    int n = 300, m = 6;
    double *x = malloc((size_t)n * m * sizeof(double)), *g = malloc((size_t)n * sizeof(double));
    float *xf = malloc((size_t)n * m * sizeof(float));
    rng_t r;
    rng_seed(&r, 5);
    for (int i = 0; i < n; i++) {
        x[i * m + 0] = 0.0;
        x[i * m + 1] = fmax(0, rng_normal(&r));
        x[i * m + 2] = 3.5;
        x[i * m + 3] = (float)rng_normal(&r);
        x[i * m + 4] = i % 7 == 0 ? -0.0 : (i % 5 == 0 ? 0.0 : (float)rng_uniform(&r));
        x[i * m + 5] = i % 3 ? 1.0 : 2.0;
    }
    x[1] = (float)x[1];
    for (int i = 0; i < n * m; i++) xf[i] = (float)x[i];
    oinfo_layer L, Lf;
    gi_err e;
    CHECK(oinfo_layer_f64(x, n, m, NULL, &L, &e) == 0);
    CHECK(oinfo_layer_f32(xf, n, m, NULL, &Lf, &e) == 0);
    CHECK(L.n_dead == 2 && L.n_live == 4);
    CHECK(L.live[0] == 1 && L.live[3] == 5);
    double worst = 0, worst_f = 0;
    double *col = malloc((size_t)n * sizeof(double));
    for (int j = 0; j < L.n_live; j++) {
        for (int i = 0; i < n; i++) col[i] = x[i * m + L.live[j]] == 0 ? 0.0 : x[i * m + L.live[j]];
        copula_transform(col, n, 1, g);
        for (int i = 0; i < n; i++) {
            worst = fmax(worst, fabs(L.g[(size_t)j * n + i] - g[i]));
            worst_f = fmax(worst_f, fabs(Lf.g[(size_t)j * n + i] - g[i]));
        }
    }
    CHECK_CLOSE(worst, 0.0, 1e-15, 0);
    CHECK_CLOSE(worst_f, 0.0, 1e-15, 0);
    /* unit diagonal, symmetric, and the correlation of the copula vectors */
    for (int i = 0; i < L.n_live; i++)
        for (int j = 0; j < L.n_live; j++) {
            double s = 0, si = 0, sj = 0;
            for (int t = 0; t < n; t++) {
                s += L.g[(size_t)i * n + t] * L.g[(size_t)j * n + t];
                si += L.g[(size_t)i * n + t] * L.g[(size_t)i * n + t];
                sj += L.g[(size_t)j * n + t] * L.g[(size_t)j * n + t];
            }
            CHECK_CLOSE(L.r[i * L.n_live + j], s / sqrt(si * sj), 1e-13, 0);
        }
    oinfo_layer_free(&Lf);
    x[5 * m + 3] = NAN;
    CHECK(oinfo_layer_f64(x, n, m, NULL, &Lf, &e) == -1 && strstr(e.msg, "neuron 3 at sample 5 is NaN"));
    free(x); free(xf); free(g); free(col);
    oinfo_layer_free(&L);
}

/* the incremental union search against one Cholesky per set, every union */
TEST(oinfo_unions_equal_one_set_at_a_time) {
    int n = 400, m = 40;
    double *x = malloc((size_t)n * m * sizeof(double));
    rng_t r;
    rng_seed(&r, 6);
    for (int i = 0; i < n; i++) {
        double z1 = rng_normal(&r), z2 = rng_normal(&r);
        for (int a = 0; a < m; a++) x[i * m + a] = fmax(0, (a % 3) * z1 - (a % 4) * z2 + rng_normal(&r));
    }
    oinfo_layer L;
    gi_err e;
    CHECK(oinfo_layer_f64(x, n, m, NULL, &L, &e) == 0);
    int k = L.n_live, *labels = malloc((size_t)k * sizeof(int)), *idx = malloc((size_t)k * sizeof(int));
    int c = oinfo_clusters(&L, 6, labels);
    CHECK(c == 6);
    for (int bc = 0; bc < 2; bc++) {
        oinfo_row row;
        oinfo_cluster_unions(&L, labels, c, bc, &row);
        CHECK(row.n_sets == 57 && row.n_singular == 0);
        double *w = malloc((size_t)k * k * sizeof(double)), *bias = malloc((size_t)(k + 1) * sizeof(double));
        oinfo_bias_table(n, k, bias);
        double lo = INFINITY, hi = -INFINITY, tc = 0, dtc = 0;
        int slo = 0, shi = 0;
        for (unsigned mask = 0; mask < 1u << c; mask++) {
            if (__builtin_popcount(mask) < 2) continue;
            int d = 0;
            for (int i = 0; i < k; i++) if (mask >> (labels[i] - 1) & 1) idx[d++] = i;
            oinfo_terms t;
            CHECK(oinfo_set(L.r, k, idx, d, bc ? bias : NULL, w, &t) == 0);
            if (t.omega < lo) { lo = t.omega; slo = d; tc = t.tc; dtc = t.dtc; }
            if (t.omega > hi) { hi = t.omega; shi = d; }
        }
        CHECK_CLOSE(row.omega_min, lo, 1e-10, 1e-10);
        CHECK_CLOSE(row.omega_max, hi, 1e-10, 1e-10);
        CHECK_CLOSE(row.tc_min, tc, 1e-10, 1e-10);
        CHECK_CLOSE(row.dtc_min, dtc, 1e-10, 1e-10);
        CHECK(row.size_min == slo && row.size_max == shi);
        free(w); free(bias);
    }
    free(x); free(labels); free(idx);
    oinfo_layer_free(&L);
}

/* a synergistic triplet hidden among independent neurons: greedy starts there, and the Ω it reports
 * is the Ω of the set it returns */
TEST(oinfo_greedy_finds_the_triplet) {
    int n = 20000, m = 12;
    double *x = malloc((size_t)n * m * sizeof(double));
    rng_t r;
    rng_seed(&r, 8);
    for (int i = 0; i < n; i++) {
        for (int a = 0; a < m; a++) x[i * m + a] = rng_normal(&r);
        x[i * m + 9] = x[i * m + 2] + x[i * m + 5] + 0.3 * rng_normal(&r);
    }
    oinfo_layer L;
    gi_err e;
    CHECK(oinfo_layer_f64(x, n, m, NULL, &L, &e) == 0);
    int set[8], size;
    double om = oinfo_greedy(&L, 8, 0, set, &size);
    CHECK(size >= 3);
    CHECK(set[0] == 2 && set[1] == 5 && set[2] == 9);
    double cov[9] = {1, 0, 1, 0, 1, 1, 1, 1, 2 + 0.09};
    CHECK(om <= population(cov, 3).omega + 0.05);
    double w[64];
    oinfo_terms t;
    CHECK(oinfo_set(L.r, m, set, size, NULL, w, &t) == 0);
    CHECK_CLOSE(om, t.omega, 1e-10, 1e-10);
    free(x);
    oinfo_layer_free(&L);
}

/* the sum of four sources: greedy must grow from a triplet to all five, each step lowering Ω, and
 * stop where no neuron lowers it (checked against every candidate) */
TEST(oinfo_greedy_grows_to_the_sum_of_four) {
    int n = 20000, m = 12;
    double *x = malloc((size_t)n * m * sizeof(double));
    rng_t r;
    rng_seed(&r, 9);
    for (int i = 0; i < n; i++) {
        for (int a = 0; a < m; a++) x[i * m + a] = rng_normal(&r);
        x[i * m + 9] = x[i * m + 0] + x[i * m + 1] + x[i * m + 2] + x[i * m + 3] + 0.3 * rng_normal(&r);
    }
    oinfo_layer L;
    gi_err e;
    CHECK(oinfo_layer_f64(x, n, m, NULL, &L, &e) == 0);
    for (int bc = 0; bc < 2; bc++) {
        int set[12], size, seen = 0;
        double om = oinfo_greedy(&L, 12, bc, set, &size), w[144], bias[13];
        oinfo_bias_table(n, 12, bias);
        CHECK(size >= 5);
        for (int i = 0; i < 5 && i < size; i++) seen |= 1 << set[i];
        CHECK(seen == (1 << 0 | 1 << 1 | 1 << 2 | 1 << 3 | 1 << 9));
        oinfo_terms t;
        CHECK(oinfo_set(L.r, m, set, size, bc ? bias : NULL, w, &t) == 0);
        CHECK_CLOSE(om, t.omega, 1e-10, 1e-10);
        double prev = INFINITY;
        for (int j = 3; j <= size; j++) {
            CHECK(oinfo_set(L.r, m, set, j, bc ? bias : NULL, w, &t) == 0);
            CHECK(t.omega < prev);
            prev = t.omega;
        }
        for (int c = 0; c < m && size < 12; c++) {
            int in = 0;
            for (int i = 0; i < size; i++) in |= set[i] == c;
            if (in) continue;
            set[size] = c;
            CHECK(oinfo_set(L.r, m, set, size + 1, bc ? bias : NULL, w, &t) == 0);
            CHECK(t.omega >= om);
        }
    }
    free(x);
    oinfo_layer_free(&L);
}

/* the peer (../shared/peers/oinfo_peer.py) on committed activations: the same synergy, redundancy,
 * sizes, dead count and number of clusters */
TEST(oinfo_equals_peer_golden) {
    num_matrix a;
    gi_err e;
    CHECK(npy_read("tests/data/oinfo/synthetic.npy", &a, &e) == 0);
    if (!a.data) return;
    FILE *f = fopen("tests/data/oinfo/synthetic.txt", "r");
    CHECK(f != NULL);
    if (!f) { matrix_free(&a); return; }
    double syn = 0, red = 0;
    int smin = 0, smax = 0, dead = 0, clusters = 0;
    CHECK(fscanf(f, "synergy %lf redundancy %lf size_min %d size_max %d dead %d clusters %d", &syn, &red, &smin, &smax,
                 &dead, &clusters) == 6);
    fclose(f);
    oinfo_params p = {.clusters = 10};
    oinfo_row row;
    CHECK(oinfo_measure_f64(a.data, (int)a.rows, (int)a.cols, &p, &row, NULL, &e) == 0);
    CHECK_CLOSE(row.omega_min, syn, 0, 1e-6);
    CHECK_CLOSE(row.omega_max, red, 0, 1e-6);
    CHECK(row.size_min == smin && row.size_max == smax);
    CHECK(row.n_dead == dead && row.n_clusters == clusters && row.n_sets == 1013);
    CHECK(row.n_live + row.n_dead == 60);
    matrix_free(&a);
}
