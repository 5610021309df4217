/* test_oinfo_ties.c — oinfo.ties, the ranking of equal values before the copula transform
 * (measure/oinfo.h): the rules agree where there are no ties; on ReLU-like columns they give the
 * closed-form copula correlations below; random is a pure function of its key; the names are
 * those config.c allows.
 *
 * Two columns that are 0 on a fraction p of the samples and continuous elsewhere, z = Φ⁻¹(p),
 * φ = φ(z). With the zeros' ranks at random, a column is a draw of g = Φ⁻¹(U) with the zeros
 * below z: E[g | zero] = −φ/p, E[g | not] = φ/(1 − p), Var(g | zero) = 1 − zφ/p − φ²/p².
 *  - the same zero set, independent elsewhere (the zero set itself is shared information):
 *      random   ρ = Var E[g | mask] = φ²/(p(1 − p))
 *      index    the zeros in sample order in both columns, so equal there: + p Var(g | zero)
 *      average  the zeros at c = Φ⁻¹(p/2): ρ = p(1 − p)(c − m₁)² / [p(1 − p)(c − m₁)² + (1 − p) v₁],
 *               m₁, v₁ the mean and variance of g above z
 *  - independent zero sets (independent columns): random and average 0; index p² Var(g | zero),
 *    from the samples where both are 0, ranked in the same (sample) order. */
#include <stdlib.h>
#include "measure/oinfo.h"
#include "measure/special.h"
#include "test.h"
#include "util/config.h"
#include "util/rng.h"

static double phi(double z) { return exp(-0.5 * z * z) / sqrt(2.0 * 3.14159265358979323846); }

/* r[0][1] of the two columns of x (n x 2) under rule, key */
static double corr2(const double *x, int n, oinfo_tie_rule rule, uint64_t key) {
    oinfo_ties t = {rule, key};
    oinfo_layer L;
    gi_err e;
    if (oinfo_layer_f64(x, n, 2, &t, &L, &e) || L.n_live != 2) return NAN;
    double r = L.r[1];
    oinfo_layer_free(&L);
    return r;
}

/* two ReLU-like columns, 0 on a fraction p: on the same samples (shared) or each on its own */
static double *relu_pair(int n, double p, int shared, uint64_t seed) {
    double *x = malloc((size_t)n * 2 * sizeof(double));
    rng_t r;
    rng_seed(&r, seed);
    for (int i = 0; i < n; i++) {
        int zero_a = rng_uniform(&r) < p, zero_b = shared ? zero_a : rng_uniform(&r) < p;
        x[2 * i] = zero_a ? 0.0 : fabs(rng_normal(&r)) + 1e-3;
        x[2 * i + 1] = zero_b ? 0.0 : fabs(rng_normal(&r)) + 1e-3;
    }
    return x;
}

/* the names, found again; oinfo.ties allows exactly them, in this order (util cannot include measure) */
TEST(oinfo_ties_rule_names) {
    const char *want[] = {"index", "random", "average"};
    for (int k = 0; k < OINFO_TIES_COUNT; k++) {
        oinfo_tie_rule r;
        CHECK(strcmp(oinfo_tie_name((oinfo_tie_rule)k), want[k]) == 0);
        CHECK(oinfo_tie_from_name(want[k], &r) == 0 && r == (oinfo_tie_rule)k);
    }
    oinfo_tie_rule r;
    CHECK(oinfo_tie_from_name("Index", &r) != 0 && oinfo_tie_from_name("", &r) != 0);
    CHECK(oinfo_tie_name(OINFO_TIES_COUNT) == NULL);
    gi_config c;
    gi_err e;
    config_defaults(&c);
    CHECK(strcmp(c.oinfo.ties, "index") == 0);
    for (int k = 0; k < OINFO_TIES_COUNT; k++)
        CHECK(config_set(&c, "oinfo.ties", want[k], NULL, &e) == 0 && strcmp(c.oinfo.ties, want[k]) == 0);
    /* a bad value: one line naming the key and every allowed value, in the table's order */
    CHECK(config_override(&c, "oinfo.ties=sideways", &e) != 0);
    CHECK_STR_CONTAINS(e.msg, "oinfo.ties: 'sideways' is not one of index, random, average");
    CHECK(strchr(e.msg, '\n') == NULL);
}

/* continuous columns (no two values equal): the three rules give the same bytes */
TEST(oinfo_ties_rules_agree_without_ties) {
    int n = 1500, m = 5;
    double *x = malloc((size_t)n * m * sizeof(double));
    rng_t r;
    rng_seed(&r, 21);
    for (int i = 0; i < n * m; i++) x[i] = rng_normal(&r) + (i % m == 1 ? 0.5 * x[i - 1] : 0.0);
    oinfo_layer L[OINFO_TIES_COUNT];
    gi_err e;
    for (int k = 0; k < OINFO_TIES_COUNT; k++) {
        oinfo_ties t = {(oinfo_tie_rule)k, 99};
        CHECK(oinfo_layer_f64(x, n, m, &t, &L[k], &e) == 0);
    }
    for (int k = 1; k < OINFO_TIES_COUNT; k++) {
        CHECK(L[k].n_live == m);
        CHECK(memcmp(L[k].g, L[0].g, (size_t)n * m * sizeof(double)) == 0);
        CHECK(memcmp(L[k].r, L[0].r, (size_t)m * m * sizeof(double)) == 0);
    }
    /* NULL is the index rule */
    oinfo_layer L0;
    CHECK(oinfo_layer_f64(x, n, m, NULL, &L0, &e) == 0 && memcmp(L0.g, L[0].g, (size_t)n * m * sizeof(double)) == 0);
    oinfo_layer_free(&L0);
    for (int k = 0; k < OINFO_TIES_COUNT; k++) oinfo_layer_free(&L[k]);
    free(x);
}

/* The brief's case: independent values, zero on the same 60% of the samples */
TEST(oinfo_ties_shared_zeros_closed_forms) {
    int n = 20000;
    double p = 0.6, z = normal_quantile(p), f = phi(z);
    double *x = relu_pair(n, p, 1, 7);
    double var_zero = 1 - z * f / p - (f / p) * (f / p);
    double m1 = f / (1 - p), v1 = 1 + z * f / (1 - p) - m1 * m1, c = normal_quantile(p / 2);
    double want_random = f * f / (p * (1 - p)), want_index = want_random + p * var_zero;
    double between = p * (1 - p) * (c - m1) * (c - m1), want_average = between / (between + (1 - p) * v1);
    /* 0.875, 0.622, 0.810; the sampling error of ρ is about (1 − ρ²)/√n < 0.01 */
    CHECK_CLOSE(corr2(x, n, OINFO_TIES_INDEX, 0), want_index, 0.02, 0);
    CHECK_CLOSE(corr2(x, n, OINFO_TIES_RANDOM, 1), want_random, 0.02, 0);
    CHECK_CLOSE(corr2(x, n, OINFO_TIES_AVERAGE, 0), want_average, 0.02, 0);
    free(x);
}

/* independent columns, each zero on its own 60%: only the index rule correlates them */
TEST(oinfo_ties_independent_zeros_only_index_correlates) {
    int n = 20000;
    double p = 0.6, z = normal_quantile(p), f = phi(z);
    double *x = relu_pair(n, p, 0, 8);
    double want_index = p * p * (1 - z * f / p - (f / p) * (f / p)); /* 0.152 */
    CHECK_CLOSE(corr2(x, n, OINFO_TIES_INDEX, 0), want_index, 0.02, 0);
    CHECK(corr2(x, n, OINFO_TIES_INDEX, 0) > 0.12);
    for (uint64_t key = 1; key <= 3; key++) CHECK_CLOSE(corr2(x, n, OINFO_TIES_RANDOM, key), 0.0, 0.02, 0);
    CHECK_CLOSE(corr2(x, n, OINFO_TIES_AVERAGE, 0), 0.0, 0.02, 0);
    free(x);
}

/* random: the same key gives the same bytes, another key others; every column stays a permutation
 * of the index rule's values; a column without ties keeps the index rule's values */
TEST(oinfo_ties_random_is_a_function_of_its_key) {
    int n = 3000, m = 3;
    double *pair = relu_pair(n, 0.6, 0, 9), *x = malloc((size_t)n * m * sizeof(double));
    rng_t r;
    rng_seed(&r, 10);
    for (int i = 0; i < n; i++) {
        x[i * m] = pair[2 * i];
        x[i * m + 1] = pair[2 * i + 1];
        x[i * m + 2] = rng_normal(&r);
    }
    oinfo_ties k1 = {OINFO_TIES_RANDOM, oinfo_tie_key(0, 100, 1)}, k2 = k1, k3 = {OINFO_TIES_RANDOM, oinfo_tie_key(0, 105, 1)};
    oinfo_layer A, B, C, I;
    gi_err e;
    CHECK(oinfo_layer_f64(x, n, m, &k1, &A, &e) == 0 && oinfo_layer_f64(x, n, m, &k2, &B, &e) == 0);
    CHECK(oinfo_layer_f64(x, n, m, &k3, &C, &e) == 0 && oinfo_layer_f64(x, n, m, NULL, &I, &e) == 0);
    size_t col = (size_t)n * sizeof(double);
    CHECK(memcmp(A.g, B.g, (size_t)m * col) == 0 && memcmp(A.r, B.r, (size_t)m * m * sizeof(double)) == 0);
    CHECK(memcmp(A.g, C.g, col) != 0 && memcmp(A.g + n, C.g + n, col) != 0);
    CHECK(memcmp(A.g, I.g, col) != 0);
    CHECK(memcmp(A.g + 2 * n, I.g + 2 * n, col) == 0 && memcmp(C.g + 2 * n, I.g + 2 * n, col) == 0);
    /* the keys of other steps, layers and seeds differ */
    CHECK(oinfo_tie_key(0, 100, 1) != oinfo_tie_key(0, 100, 2) && oinfo_tie_key(0, 100, 1) != oinfo_tie_key(1, 100, 1));
    /* the values of each column are the index rule's, reordered: sorted, the same bytes */
    for (int j = 0; j < m; j++) {
        double *a = malloc(col), *b = malloc(col);
        memcpy(a, A.g + (size_t)j * n, col);
        memcpy(b, I.g + (size_t)j * n, col);
        int sorted_equal = 1;
        for (int pass = 0; pass < 2; pass++) {
            double *v = pass ? b : a;
            for (int i = 1; i < n; i++) /* insertion sort: n is small and the columns mostly ordered by value */
                for (int k = i; k > 0 && v[k - 1] > v[k]; k--) { double t = v[k]; v[k] = v[k - 1]; v[k - 1] = t; }
        }
        sorted_equal = memcmp(a, b, col) == 0;
        CHECK(sorted_equal);
        free(a); free(b);
    }
    oinfo_layer_free(&A); oinfo_layer_free(&B); oinfo_layer_free(&C); oinfo_layer_free(&I);
    free(pair); free(x);
}

/* the whole pass: random's row is a function of the key, and the multiplet search runs on it */
TEST(oinfo_ties_measure_reproducible) {
    int n = 1200, m = 12;
    double *x = malloc((size_t)n * m * sizeof(double));
    rng_t r;
    rng_seed(&r, 12);
    for (int i = 0; i < n; i++) {
        double s = rng_normal(&r);
        for (int j = 0; j < m; j++) x[i * m + j] = fmax(0.0, s * (j % 3 - 1) + rng_normal(&r));
    }
    oinfo_params p = {.clusters = 4, .ties = {OINFO_TIES_RANDOM, 5}};
    oinfo_row a, b, c;
    gi_err e;
    CHECK(oinfo_measure_f64(x, n, m, &p, &a, NULL, &e) == 0 && oinfo_measure_f64(x, n, m, &p, &b, NULL, &e) == 0);
    p.ties.key = 6;
    CHECK(oinfo_measure_f64(x, n, m, &p, &c, NULL, &e) == 0);
    CHECK(a.omega_min == b.omega_min && a.omega_max == b.omega_max && a.size_min == b.size_min);
    CHECK(a.omega_max != c.omega_max);
    CHECK(isfinite(a.omega_min) && a.n_sets == 11 && a.n_live == m);
    free(x);
}
