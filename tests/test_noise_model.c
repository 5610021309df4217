/* The noise-model estimator (measure/noise_model.h) against what is known without it: I(X;T) = 0
 * for identical components and ln N for far-apart ones, quadrature for two components in 1-D,
 * log det for a linear-Gaussian layer, H(Y) and 0 for I(T;Y) at its two ends, the
 * Kolchinsky–Tracey bounds around the Monte-Carlo value, and plain O(N²d) loops in double for
 * everything at once; then the same bits for 1 and 2 threads. Fixed seeds throughout.
 * Tolerances: the closed forms that hold exactly in floating point (a self term alone, all terms
 * equal) to 1e-12; Monte-Carlo values to 4 standard errors plus, for the linear-Gaussian layer,
 * the discrete-X correction's own size; the brute force to 1e-12 relative. */
#include <stdlib.h>
#include <string.h>
#include "measure/linalg.h"
#include "measure/mi.h"
#include "measure/noise_model.h"
#include "util/rng.h"
#include "test.h"
#ifdef _OPENMP
#include <omp.h>
#endif

/* The sanitizer build runs at -O1: the O(N²) cases shrink there. */
#if defined(__SANITIZE_ADDRESS__)
#define SIZE_SCALE 2
#else
#define SIZE_SCALE 1
#endif

static noise_result run(const double *mu, int n, int d, const int *labels, double sigma, int draws, uint64_t seed,
                        int *failures) {
    noise_options o = {.sigma = sigma, .draws = draws, .seed = seed};
    noise_result r;
    gi_err e = {{0}};
    int rc = noise_model(mu, n, d, labels, &o, &r, &e);
    if (rc) fprintf(stderr, "  noise_model: %s\n", e.msg);
    CHECK(rc == 0);
    return r;
}

static double label_entropy(const int *labels, int n, int classes) {
    double h = 0.0;
    for (int c = 0; c < classes; c++) {
        int m = 0;
        for (int i = 0; i < n; i++) m += labels[i] == c;
        if (m) h -= (double)m / n * log((double)m / n);
    }
    return h;
}

TEST(noise_identical_components_carry_nothing) {
    enum { N = 60, D = 3 };
    double mu[N * D];
    int labels[N];
    for (int i = 0; i < N; i++) {
        mu[i * D] = 0.3; mu[i * D + 1] = -1.0; mu[i * D + 2] = 2.0;
        labels[i] = i % 4 == 0 ? 2 : i % 3;
    }
    noise_result r = run(mu, N, D, labels, 1e-3, 4, 1, failures);
    CHECK_CLOSE(r.ixt.value, 0.0, 1e-12, 0);
    CHECK_CLOSE(r.ixt.stderr_, 0.0, 1e-12, 0);
    CHECK_CLOSE(r.kt.ixt_lo, 0.0, 1e-12, 0);
    CHECK_CLOSE(r.kt.ixt_hi, 0.0, 1e-12, 0);
    CHECK_CLOSE(r.ity.value, 0.0, 1e-12, 0);
    CHECK_CLOSE(r.kt.ity_lo, 0.0, 1e-12, 0);
    CHECK_CLOSE(r.h_y, label_entropy(labels, N, 3), 1e-14, 1e-14);
    CHECK(r.pairs == (long long)N * (N - 1));
    /* h(T) of one Gaussian */
    CHECK_CLOSE(r.h_t, 0.5 * D * log(2 * 3.141592653589793 * 2.718281828459045 * 1e-6), 1e-12, 1e-12);
}

/* n points uniform in [0, 1)^d: for n = 200 in 5-D the closest pair is ~0.05 apart, 500σ at σ = 1e-4 */
static void uniform_points(double *mu, int n, int d, uint64_t seed) {
    rng_t g;
    rng_seed(&g, seed);
    for (int i = 0; i < n * d; i++) mu[i] = rng_uniform(&g);
}

TEST(noise_far_apart_components_give_log_n_and_labels_h_y) {
    enum { N = 200, D = 5 };
    double *mu = malloc(N * D * sizeof(double));
    int labels[N];
    uniform_points(mu, N, D, 7);
    for (int i = 0; i < N; i++) labels[i] = i < 20 ? 0 : i < 80 ? 1 : 2;
    noise_result r = run(mu, N, D, labels, 1e-4, 4, 2, failures);
    CHECK(r.pairs == 0);
    CHECK_CLOSE(r.ixt.value, log(N), 1e-12, 0);
    CHECK(r.ixt.stderr_ == 0.0);
    CHECK_CLOSE(r.kt.ixt_lo, log(N), 1e-12, 0);
    CHECK_CLOSE(r.kt.ixt_hi, log(N), 1e-12, 0);
    double hy = label_entropy(labels, N, 3);
    CHECK_CLOSE(r.ity.value, hy, 1e-12, 0);
    CHECK_CLOSE(r.kt.ity_lo, hy, 1e-12, 0);
    CHECK_CLOSE(r.kt.ity_hi, hy, 1e-12, 0);
    free(mu);
}

/* I(X;T) of (N(0, 1) + N(δ, 1))/2 by Simpson's rule on [−14, δ + 14] (tails below e^-98). */
static double pair_mi_quadrature(double delta) {
    const double a = -14.0, b = delta + 14.0, c = 1.0 / sqrt(2 * 3.141592653589793);
    const int m = 40000; /* even */
    const double h = (b - a) / m;
    double s = 0.0;
    for (int k = 0; k <= m; k++) {
        double t = a + k * h;
        double p = 0.5 * c * (exp(-0.5 * t * t) + exp(-0.5 * (t - delta) * (t - delta)));
        double f = p > 0 ? -p * log(p) : 0.0;
        s += f * (k == 0 || k == m ? 1 : k % 2 ? 4 : 2);
    }
    return s * h / 3 - 0.5 * log(2 * 3.141592653589793 * 2.718281828459045);
}

TEST(noise_two_components_in_1d_match_quadrature) {
    const double deltas[] = {0.5, 1.5, 3.0, 6.0};
    for (int c = 0; c < 4; c++) {
        double delta = deltas[c], sigma = 1e-3, mu[2] = {0.25, 0.25 + delta * sigma};
        double ref = pair_mi_quadrature(delta);
        noise_result r = run(mu, 2, 1, NULL, sigma, 20000, 3, failures);
        CHECK(r.ixt.stderr_ < 2e-3);
        CHECK_CLOSE(r.ixt.value, ref, 4 * r.ixt.stderr_ + 1e-9, 0);
        /* the bounds in closed form, and around the truth */
        CHECK_CLOSE(r.kt.ixt_hi, log(2) - log1p(exp(-delta * delta / 2)), 1e-13, 1e-13);
        CHECK_CLOSE(r.kt.ixt_lo, log(2) - log1p(exp(-delta * delta / 8)), 1e-13, 1e-13);
        CHECK(r.kt.ixt_lo <= ref && ref <= r.kt.ixt_hi);
        /* σ in its own units: the same draws give the same value at σ = 1 (to rounding) */
        double unit[2] = {0.0, delta};
        noise_result u = run(unit, 2, 1, NULL, 1.0, 20000, 3, failures);
        CHECK_CLOSE(u.ixt.value, r.ixt.value, 1e-12, 1e-9);
        /* relative σ: the RMS per coordinate about the mean of {0, δ} is δ/2 */
        noise_options rel = {.sigma_rel = 2.0 / delta, .draws = 20000, .seed = 3};
        noise_result v;
        gi_err e;
        CHECK(noise_model(unit, 2, 1, NULL, &rel, &v, &e) == 0);
        CHECK_CLOSE(v.sigma, 1.0, 1e-15, 0);
        CHECK_CLOSE(v.ixt.value, u.ixt.value, 1e-12, 1e-12);
    }
}

/* 6 clusters of 50, centres 0.1 (100σ) apart, points N(centre, σ²) within: the clusters separate
 * and each one's components overlap, so the bounds differ by about half a nat. */
static void clustered(double *mu, int *labels, int n, int d, double sigma, uint64_t seed) {
    rng_t g;
    rng_seed(&g, seed);
    for (int i = 0; i < n; i++) {
        int c = i % 6;
        for (int k = 0; k < d; k++) mu[i * d + k] = (k == c % d ? 0.1 * (1 + c / d) : 0.0) + sigma * rng_normal(&g);
        labels[i] = (int)rng_below(&g, 3);
    }
}

TEST(noise_monte_carlo_between_the_bounds) {
    enum { N = 300, D = 4 };
    double *mu = malloc(N * D * sizeof(double));
    int labels[N];
    clustered(mu, labels, N, D, 1e-3, 5);
    noise_result r = run(mu, N, D, labels, 1e-3, 16, 4, failures);
    CHECK(r.kt.ixt_hi - r.kt.ixt_lo > 0.3);
    CHECK(r.kt.ixt_lo - 4 * r.ixt.stderr_ <= r.ixt.value && r.ixt.value <= r.kt.ixt_hi + 4 * r.ixt.stderr_);
    CHECK(r.kt.ixt_lo > log(6) - 1e-9 && r.kt.ixt_hi < log(N)); /* the clusters, and the overlaps */
    CHECK(r.kt.ity_hi - r.kt.ity_lo > 0.05);
    CHECK(r.kt.ity_lo - 4 * r.ity.stderr_ <= r.ity.value && r.ity.value <= r.kt.ity_hi + 4 * r.ity.stderr_);
    CHECK(0.0 <= r.kt.ity_lo && r.kt.ity_hi <= r.h_y);
    free(mu);
}

/* μ_j = W x_j with x_j ~ N(0, I_k): for the continuous X, I(X;T) = ½ log det(I + W C Wᵀ/σ²) with C
 * the x's covariance (the sample's, so that the drawn sample's second moments are the reference's).
 * X is the N points, not the Gaussian: for centres drawn from p_c, E[I_N] = I_c − E KL(p_N ‖ p_c),
 * and E KL ≈ χ²/2 = (∫ E[φ_σ(t − μ)²]/p_c(t) dt − 1)/(2N) = (e^{2 I_c} − 1)/(2N) for Gaussians
 * (per eigenvalue λ of W C Wᵀ the integral is 1 + λ/σ²). The cases have I_c ≈ 0.8 nats, far below
 * ln N ≈ 8, with N = 6000 and 3000, where the correction is below 1e-3: it is subtracted, and its
 * size added to the tolerance (the second-order terms are smaller still). */
static void linear_gaussian_case(const double *w, int d, int k, int n, int *failures) {
    rng_t g;
    rng_seed(&g, 100 + d);
    double *x = malloc((size_t)n * k * sizeof(double)), *mu = malloc((size_t)n * d * sizeof(double));
    for (int i = 0; i < n * k; i++) x[i] = rng_normal(&g);
    for (int i = 0; i < n; i++)
        for (int a = 0; a < d; a++) {
            double s = 0.0;
            for (int b = 0; b < k; b++) s += w[a * k + b] * x[i * k + b];
            mu[i * d + a] = s;
        }
    double cov[9], m[9], logdet; /* d <= 3 */
    covariance(mu, n, d, NULL, cov);
    for (int a = 0; a < d * d; a++) m[a] = cov[a] + (a % (d + 1) == 0); /* I + WCWᵀ/σ², σ = 1 */
    CHECK(spd_logdet(m, d, &logdet) == 0);
    double ic = 0.5 * logdet, correction = (exp(2 * ic) - 1) / (2.0 * n);
    noise_result r = run(mu, n, d, NULL, 1.0, 4, 6, failures);
    CHECK(r.ixt.stderr_ < 0.01);
    CHECK_CLOSE(r.ixt.value, ic - correction, 4 * r.ixt.stderr_ + correction, 0);
    CHECK(r.kt.ixt_lo <= ic && ic <= r.kt.ixt_hi);
    free(x);
    free(mu);
}

TEST(noise_linear_gaussian_layer_log_det) {
    const double w1[1] = {2.0};                             /* I_c ≈ ½ ln 5 = 0.80 */
    const double w3[6] = {1.0, 0.5, -0.3, 0.8, 0.2, -0.6}; /* 3 x 2: rank 2 in 3-D, I_c ≈ 0.78 */
    linear_gaussian_case(w1, 1, 1, 6000 / SIZE_SCALE, failures);
    linear_gaussian_case(w3, 3, 2, 3000 / SIZE_SCALE, failures);
}

/* Classes 0.5 apart (500σ) with overlapping components inside: the posterior is certain. Then
 * every position holds one point of each class: the posterior is the prior everywhere. */
TEST(noise_labels_far_apart_give_h_y_and_coinciding_give_zero) {
    enum { N = 60, D = 2 };
    double mu[N * D];
    int labels[N];
    rng_t g;
    rng_seed(&g, 9);
    for (int i = 0; i < N; i++) {
        labels[i] = i < 10 ? 0 : i < 30 ? 1 : 2;
        mu[i * D] = 0.5 * labels[i] + 1e-3 * rng_normal(&g);
        mu[i * D + 1] = 1e-3 * rng_normal(&g);
    }
    noise_result r = run(mu, N, D, labels, 1e-3, 8, 10, failures);
    double hy = label_entropy(labels, N, 3);
    CHECK(r.pairs > 0 && r.ixt.value < log(N) - 0.1);
    CHECK_CLOSE(r.ity.value, hy, 1e-12, 0);
    CHECK(r.ity.stderr_ == 0.0);
    for (int i = 0; i < N; i++) {
        labels[i] = i % 3;
        int p = i / 3; /* 20 positions, each with all three classes */
        mu[i * D] = 1e-3 * sin(p);
        mu[i * D + 1] = 1e-3 * cos(1.7 * p);
    }
    r = run(mu, N, D, labels, 1e-3, 8, 10, failures);
    CHECK_CLOSE(r.h_y, log(3), 1e-14, 1e-14);
    CHECK_CLOSE(r.ity.value, 0.0, 1e-12, 0);
    CHECK(r.kt.ity_lo == 0.0 && r.kt.ity_hi >= 0.0);
}

/* ---- the brute force: every pair, every term, plain loops in double ---- */

typedef struct { double ixt, ixt_se, ity, ity_se, lo, hi, ity_lo, ity_hi; } reference;

static double sd_over_root_n(const double *t, int n, double *mean) {
    double s = 0.0, s2 = 0.0;
    for (int i = 0; i < n; i++) s += t[i];
    *mean = s / n;
    for (int i = 0; i < n; i++) s2 += (t[i] - *mean) * (t[i] - *mean);
    return sqrt(s2 / n) / sqrt((double)n);
}

static void brute_sample(const double *mu, const int *labels, int classes, int n, int d, double sigma, int i,
                         const float *z, double sign, double *ell, double *h) {
    double *w = malloc(n * sizeof(double)), big = -INFINITY, total = 0.0, cs[16] = {0};
    for (int j = 0; j < n; j++) {
        double dist = 0.0, proj = 0.0;
        for (int k = 0; k < d; k++) {
            double u = mu[i * d + k] - mu[j * d + k];
            dist += u * u;
            proj += z[k] * u;
        }
        w[j] = -dist / (2 * sigma * sigma) - sign * proj / sigma;
        if (w[j] > big) big = w[j];
    }
    for (int j = 0; j < n; j++) { double t = exp(w[j] - big); total += t; cs[labels[j]] += t; }
    *ell = big + log(total);
    *h = 0.0;
    for (int c = 0; c < classes; c++) if (cs[c] > 0) *h -= cs[c] / total * log(cs[c] / total);
    free(w);
}

static reference brute_force(const double *mu, const int *labels, int classes, int n, int d, double sigma, int draws,
                             uint64_t seed) {
    reference ref;
    double *ell = malloc((size_t)n * draws * sizeof(double)), *hp = malloc((size_t)n * draws * sizeof(double));
    float *z = malloc((size_t)draws * d * sizeof(float));
    double hy = label_entropy(labels, n, classes), kl = 0, bh = 0, lo_y = 0, hi_y = 0;
    for (int i = 0; i < n; i++) {
        noise_draws(seed, i, draws, d, z);
        for (int r = 0; r < draws; r++) {
            double l1, l2, h1, h2;
            brute_sample(mu, labels, classes, n, d, sigma, i, z + r * d, 1.0, &l1, &h1);
            brute_sample(mu, labels, classes, n, d, sigma, i, z + r * d, -1.0, &l2, &h2);
            ell[i * draws + r] = log(n) - 0.5 * (l1 + l2);
            hp[i * draws + r] = hy - 0.5 * (h1 + h2);
        }
        double a = 0, b = 0, a_in = 0, b_in = 0;
        for (int j = 0; j < n; j++) {
            double dist = 0.0;
            for (int k = 0; k < d; k++) dist += (mu[i * d + k] - mu[j * d + k]) * (mu[i * d + k] - mu[j * d + k]);
            double u = exp(-dist / (2 * sigma * sigma)), v = exp(-dist / (8 * sigma * sigma));
            a += u; b += v;
            if (labels[j] == labels[i]) { a_in += u; b_in += v; }
        }
        kl += log(a); bh += log(b);
        lo_y += log(b) - log(a_in); hi_y += log(a) - log(b_in);
    }
    ref.ixt_se = sd_over_root_n(ell, n * draws, &ref.ixt);
    ref.ity_se = sd_over_root_n(hp, n * draws, &ref.ity);
    ref.lo = log(n) - bh / n;
    ref.hi = log(n) - kl / n;
    ref.ity_lo = fmax(0.0, fmin(hy, hy - lo_y / n));
    ref.ity_hi = fmax(0.0, fmin(hy, hy - hi_y / n));
    free(ell); free(hp); free(z);
    return ref;
}

/* 50 clusters of 10 in 50-D, centres ~1000σ apart; within each, spreads from 0.5σ to ~60σ, across
 * the pruning radii (~10σ for the KL terms, ~20σ for the Bhattacharyya and Monte-Carlo ones). */
static void mixed_scales(double *mu, int *labels, int n, int d, double sigma, double offset) {
    rng_t g;
    rng_seed(&g, 21);
    const double spread[5] = {0.05, 0.3, 1.0, 3.0, 6.0};
    double *centre = malloc(d * sizeof(double));
    for (int i = 0; i < n; i++) {
        if (i % 10 == 0)
            for (int k = 0; k < d; k++) centre[k] = rng_normal(&g);
        double s = spread[(i / 10) % 5] * sigma;
        for (int k = 0; k < d; k++) mu[i * d + k] = offset + centre[k] + s * rng_normal(&g);
        labels[i] = (int)rng_below(&g, 4);
    }
    free(centre);
}

static void check_against_brute_force(const double *mu, const int *labels, int n, int d, double sigma, int *failures) {
    const int draws = 3;
    noise_result r = run(mu, n, d, labels, sigma, draws, 77, failures);
    reference ref = brute_force(mu, labels, 4, n, d, sigma, draws, 77);
    CHECK(r.pairs > 0 && r.pairs < (long long)n * (n - 1) / 4); /* pruned, but not empty */
    CHECK_CLOSE(r.ixt.value, ref.ixt, 1e-13, 1e-12);
    CHECK_CLOSE(r.ixt.stderr_, ref.ixt_se, 1e-13, 1e-9);
    CHECK_CLOSE(r.ity.value, ref.ity, 1e-13, 1e-12);
    CHECK_CLOSE(r.ity.stderr_, ref.ity_se, 1e-13, 1e-9);
    CHECK_CLOSE(r.kt.ixt_lo, ref.lo, 1e-13, 1e-12);
    CHECK_CLOSE(r.kt.ixt_hi, ref.hi, 1e-13, 1e-12);
    CHECK_CLOSE(r.kt.ity_lo, ref.ity_lo, 1e-13, 1e-12);
    CHECK_CLOSE(r.kt.ity_hi, ref.ity_hi, 1e-13, 1e-12);
}

/* n points uniform in a cube of side 6σ·n^(1/d), labels in 4 classes: in 1-D, where ‖z‖ = |z·u|
 * and the pruning radius is tight, neighbours sit at every distance from 0 to beyond it. */
static void uniform_cube(double *mu, int *labels, int n, int d, double sigma) {
    rng_t g;
    rng_seed(&g, 33);
    double side = 6.0 * sigma * pow(n, 1.0 / d);
    for (int i = 0; i < n; i++) {
        for (int k = 0; k < d; k++) mu[i * d + k] = side * rng_uniform(&g);
        labels[i] = (int)rng_below(&g, 4);
    }
}

TEST(noise_fast_path_equals_brute_force) {
    const int n = 500 / SIZE_SCALE, d = 50;
    double *mu = malloc((size_t)n * d * sizeof(double));
    int *labels = malloc(n * sizeof(int));
    mixed_scales(mu, labels, n, d, 0.01, 0.0);
    check_against_brute_force(mu, labels, n, d, 0.01, failures);
    /* far from the origin (the float pass must centre), and at another scale */
    mixed_scales(mu, labels, n, d, 1e-5, 300.0);
    check_against_brute_force(mu, labels, n, d, 1e-5, failures);
    uniform_cube(mu, labels, n, 1, 1e-3);
    check_against_brute_force(mu, labels, n, 1, 1e-3, failures);
    uniform_cube(mu, labels, n, 2, 1e-3);
    check_against_brute_force(mu, labels, n, 2, 1e-3, failures);
    free(mu);
    free(labels);
}

static int same_bits(const noise_result *a, const noise_result *b) {
    const double x[] = {a->sigma, a->ixt.value, a->ixt.stderr_, a->ity.value, a->ity.stderr_, a->h_t, a->h_y,
                        a->kt.ixt_lo, a->kt.ixt_hi, a->kt.ity_lo, a->kt.ity_hi};
    const double y[] = {b->sigma, b->ixt.value, b->ixt.stderr_, b->ity.value, b->ity.stderr_, b->h_t, b->h_y,
                        b->kt.ixt_lo, b->kt.ixt_hi, b->kt.ity_lo, b->kt.ity_hi};
    return memcmp(x, y, sizeof x) == 0 && a->pairs == b->pairs;
}

TEST(noise_same_bits_for_1_and_2_threads) {
#ifdef _OPENMP
    const int n = 1200 / SIZE_SCALE, d = 20;
    double *mu = malloc((size_t)n * d * sizeof(double));
    int *labels = malloc(n * sizeof(int));
    mixed_scales(mu, labels, n, d, 0.01, 0.0);
    int was = omp_get_max_threads();
    omp_set_num_threads(1);
    noise_result one = run(mu, n, d, labels, 0.01, 4, 5, failures);
    omp_set_num_threads(2);
    noise_result two = run(mu, n, d, labels, 0.01, 4, 5, failures);
    omp_set_num_threads(was);
    CHECK(one.pairs > 0);
    CHECK(same_bits(&one, &two));
    free(mu);
    free(labels);
#endif
}

/* The table's row: the same numbers through .layer, and refused on two arrays. */
TEST(noise_row_of_the_estimator_table) {
    enum { N = 300, D = 4 };
    double *mu = malloc(N * D * sizeof(double));
    int labels[N];
    clustered(mu, labels, N, D, 1e-3, 5);
    estimator_kind k;
    CHECK(estimator_from_name("noise", &k) == 0);
    const estimator_traits *t = estimator_get(k);
    CHECK(t->layer && !t->mi && !t->mi_classes && t->handles_labels && !estimator_on_arrays(t));
    mi_estimator est = {.kind = k};
    layer_noise noise = {.sigma = 1e-3, .key = 4};
    layer_mi out;
    gi_err e;
    CHECK(t->layer(&est, mu, D, labels, N, &noise, &out, &e) == 0);
    noise_result r = run(mu, N, D, labels, 1e-3, NOISE_DEFAULT_DRAWS, 4, failures);
    CHECK(out.ixl.value == r.ixt.value && out.ily.value == r.ity.value && out.ixl.stderr_ == r.ixt.stderr_);
    CHECK(out.ixl_lo == r.kt.ixt_lo && out.ixl_hi == r.kt.ixt_hi && out.ily_lo == r.kt.ity_lo && out.ily_hi == r.kt.ity_hi);
    estimate a;
    CHECK(mi_estimate(&est, mu, D, mu, D, N, &a, &e) != 0);
    CHECK_STR_CONTAINS(e.msg, "noise: estimates from a whole layer");
    free(mu);
}

TEST(noise_pieces_agree_and_bad_inputs_fail) {
    enum { N = 300, D = 4 };
    double *mu = malloc(N * D * sizeof(double));
    int labels[N];
    clustered(mu, labels, N, D, 1e-3, 5);
    noise_options o = {.sigma = 1e-3, .draws = 6, .seed = 8};
    noise_result r;
    gi_err e;
    CHECK(noise_model(mu, N, D, labels, &o, &r, &e) == 0);
    estimate h, ixt, ity;
    noise_bounds b;
    CHECK(noise_mixture_entropy(mu, N, D, 1e-3, 6, 8, &h, &e) == 0 && h.value == r.h_t);
    CHECK(noise_mi_xt(mu, N, D, &o, &ixt, &e) == 0 && ixt.value == r.ixt.value);
    CHECK(noise_mi_ty(mu, N, D, labels, &o, &ity, &e) == 0 && ity.value == r.ity.value);
    CHECK(noise_kt_bounds(mu, N, D, labels, &o, &b, &e) == 0 && memcmp(&b, &r.kt, sizeof b) == 0);
    CHECK(noise_model(mu, 1, D, NULL, &o, &r, &e) != 0);
    CHECK_STR_CONTAINS(e.msg, "need at least 2");
    noise_options zero = o;
    zero.sigma = 0.0;
    CHECK(noise_model(mu, N, D, NULL, &zero, &r, &e) != 0);
    CHECK_STR_CONTAINS(e.msg, "σ must be > 0");
    mu[7] = NAN;
    CHECK(noise_model(mu, N, D, NULL, &o, &r, &e) != 0);
    CHECK_STR_CONTAINS(e.msg, "non-finite value (row 1)");
    for (int i = 0; i < N * D; i++) mu[i] = 1.5;
    noise_options rel = {.sigma_rel = 0.1, .draws = 2};
    CHECK(noise_model(mu, N, D, NULL, &rel, &r, &e) != 0);
    CHECK_STR_CONTAINS(e.msg, "the layer is constant");
    free(mu);
}
