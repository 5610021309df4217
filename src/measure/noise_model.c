/* noise_model.c — I(X;T) and I(T;Y) of the noisy layer T = μ_X + σZ, X uniform on N points, by
 * Monte Carlo and by pairwise-distance bounds.
 *
 * With p(t) = (1/N) Σ_j φ_σ(t − μ_j) and a draw t = μ_i + σz from component i (z ~ N(0, I)):
 *   ln φ_σ(t − μ_j) − ln φ_σ(t − μ_i) = −Δ_ij(z),   Δ_ij(z) = D_ij/(2σ²) + z·(μ_i − μ_j)/σ,
 * D_ij = ‖μ_i − μ_j‖² (the ‖z‖² terms cancel). Hence
 *   −ln p(t) = ln N − ln φ_σ(σz) − ℓ_i(z),   ℓ_i(z) = ln Σ_j e^{−Δ_ij(z)}   (Δ_ii = 0),
 * and as E[−ln φ_σ(σz)] = (d/2) ln(2πeσ²) exactly,
 *   I(X;T) = h(T) − (d/2) ln(2πeσ²) = ln N − E_{i,z}[ℓ_i(z)].
 * ℓ_i >= 0 (the self term is 1), and it is 0 for a component far from all others: the estimate
 * is exact, with no variance, where the components do not overlap; only overlaps are sampled.
 * The posterior is the same terms normalised,
 *   p(y | t) = Σ_{j: y_j = y} e^{−Δ_ij} / Σ_j e^{−Δ_ij},   I(T;Y) = H(Y) − E_{i,z}[H(p(· | t))]
 * (the posterior's entropy rather than −ln p(y_i | t): the same mean, less variance).
 * Every component gets `draws` z's, each used as +z and −z (antithetic: Δ is linear in z, so a
 * pair cancels the odd part of the variation); a pair's average is one sample, and the standard
 * error is the samples' sd / √(N·draws).
 *
 * Pruning. A term with Δ_ij > T = 40 + ln N is below e^{−40}/N of the self term, so all of them
 * together change a sum by less than e^{−40} ≈ 4e-18 of it: below double rounding. As
 * z·(μ_i − μ_j) >= −‖z‖√D_ij, Δ_ij > T once s = √D_ij/σ has s²/2 − ‖z‖s > T, i.e.
 * s > ρ(‖z‖) = ‖z‖ + √(‖z‖² + 2T). The draws are clipped to ‖z‖ <= Z = √d + 10 (a change of the
 * sampled law by less than e^{−50} ≈ 2e-22 in total variation, as P(‖z‖ >= √d + t) <= e^{−t²/2}:
 * in practice never), so that one radius, known before any draw, serves every component:
 *   near_pairs.c finds all j within σ·max(ρ(Z), √(8T)) of each i, exactly
 *   (√(8T)σ for the bounds' Bhattacharyya terms e^{−D/(8σ²)}), and the draws of component i,
 *   made only when it has such pairs, keep those within σ·ρ(its largest ‖z‖).
 * A component without pairs costs nothing beyond the search: ℓ = 0 and a certain posterior.
 *
 * Bounds (Kolchinsky & Tracey, Entropy 2017, "Estimating mixture entropy with pairwise
 * distances"): for equal weights and covariances σ²I, with the KL divergence D/(2σ²) and the
 * Bhattacharyya distance D/(8σ²) between components,
 *   ln N − mean_i ln Σ_j e^{−D_ij/(8σ²)}  <=  I(X;T)  <=  ln N − mean_i ln Σ_j e^{−D_ij/(2σ²)}.
 * For I(T;Y): Y is a function of X (every point has its label), so I(X;T) = I(T;Y) + I(X;T|Y);
 * given Y = y, T is the mixture of class y's N_y components, whose I(X;T | Y=y) has the same
 * bounds within the class. With H(Y) = ln N − Σ_y p_y ln N_y, the ln N's cancel into
 *   I(T;Y) <= H(Y) − mean_i [ln Σ_j e^{−D_ij/(2σ²)} − ln Σ_{j: y_j = y_i} e^{−D_ij/(8σ²)}],
 *   I(T;Y) >= H(Y) − mean_i [ln Σ_j e^{−D_ij/(8σ²)} − ln Σ_{j: y_j = y_i} e^{−D_ij/(2σ²)}],
 * clipped to [0, H(Y)]. Both are exact where no two components overlap, and loose where
 * components of one class overlap (the within-class gap enters twice). */
#include "measure/noise_model.h"
#include <cblas.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include "measure/near_pairs.h"
#include "measure/special.h"
#include "util/rng.h"

#define TWO_PI_E 17.079468445347134 /* 2πe */
#define SAFE_EXPONENT 40.0 /* T − ln N: the pruned terms' total relative to a sum */
#define PROJ_BLOCK 128     /* candidates per dgemm */

/* Grows with the largest candidate list a thread has seen. */
typedef struct {
    int cap;
    int *js;                  /* cap: the pairs the draws keep */
    double *d2;               /* cap */
    double *proj;             /* draws x cap: z_r·(μ_i − μ_j) */
    double *w, *v;            /* cap each: exponents and terms */
    double *delta;            /* PROJ_BLOCK x d: μ_i − μ_j */
    double *z;                /* draws·d */
    float *zf;
    double *class_sum;        /* n_classes, zero between uses */
    int *touched;             /* cap + 1 */
} scratch;

typedef struct {
    const double *mu;
    int n, d, draws;
    double sigma, T; /* T: the exponent beyond which terms are pruned */
    uint64_t seed;
    const int *cls; /* class index 0..n_classes-1 of each row, or NULL */
    int n_classes;
    double *ell, *post;                /* n·draws samples (pair averages), zero where no pairs */
    double *kl, *bh, *kl_in, *bh_in;   /* n: ln Σ_j e^{−D/(2σ²)}, e^{−D/(8σ²)}, and within the class */
    scratch *sc;                       /* one per thread */
} model;

static double z_cap(int d) { return sqrt((double)d) + 10.0; }

/* σ·ρ(‖z‖) of the opening comment */
static double reach(double sigma, double znorm, double T) { return sigma * (znorm + sqrt(znorm * znorm + 2.0 * T)); }

void noise_draws(uint64_t seed, int i, int draws, int d, float *z) {
    size_t len = (size_t)draws * d;
    memset(z, 0, len * sizeof(float));
    noise_add(z, len, 1.0f, noise_key(seed, STREAM_NOISE_MODEL, 0, 0), (uint64_t)i * len);
    for (int r = 0; r < draws; r++) {
        float *zr = z + (size_t)r * d;
        double s = 0.0;
        for (int k = 0; k < d; k++) s += (double)zr[k] * zr[k];
        if (sqrt(s) <= z_cap(d)) continue;
        float shrink = (float)(z_cap(d) / sqrt(s));
        for (int k = 0; k < d; k++) zr[k] *= shrink;
    }
}

double noise_sigma(const double *mu, int n, int d, const noise_options *o) {
    if (!(o->sigma_rel > 0)) return o->sigma;
    double ss = 0.0;
    for (int k = 0; k < d; k++) {
        double m = 0.0, v = 0.0;
        for (int i = 0; i < n; i++) m += mu[(size_t)i * d + k];
        m /= n;
        for (int i = 0; i < n; i++) v += (mu[(size_t)i * d + k] - m) * (mu[(size_t)i * d + k] - m);
        ss += v;
    }
    return o->sigma_rel * sqrt(ss / ((double)n * d));
}

/* ---- one row's sums ---- */

static void scratch_reserve(scratch *s, const model *M, int m) {
    if (m <= s->cap) return;
    int cap = m > 2 * s->cap ? m : 2 * s->cap;
    s->js = gi_realloc(s->js, (size_t)cap * sizeof(int));
    s->d2 = gi_realloc(s->d2, (size_t)cap * sizeof(double));
    s->proj = gi_realloc(s->proj, ((size_t)cap * M->draws + 1) * sizeof(double));
    s->w = gi_realloc(s->w, (size_t)cap * sizeof(double));
    s->v = gi_realloc(s->v, (size_t)cap * sizeof(double));
    s->touched = gi_realloc(s->touched, (size_t)(cap + 1) * sizeof(int));
    s->cap = cap;
}

/* Σ v[0..m) in 8 interleaved partial sums: one fixed order (the same bits every time) that does
 * not wait on each addition, and vectorises. */
static double sum_of(const double *v, int m) {
    double p[8] = {0};
    int a = 0;
    for (; a + 8 <= m; a += 8)
        for (int k = 0; k < 8; k++) p[k] += v[a + k];
    for (int k = 0; a < m; a++, k++) p[k] += v[a];
    return ((p[0] + p[1]) + (p[2] + p[3])) + ((p[4] + p[5]) + (p[6] + p[7]));
}

/* The four log-sums of the bounds for row i (the self term, 1, is the "1p"). */
static void bound_sums(model *M, scratch *s, int i, const int *js, const double *d2, int m) {
    const double kl_scale = 0.5 / (M->sigma * M->sigma), bh_scale = 0.125 / (M->sigma * M->sigma);
    double *u = s->w, *v = s->v, u_in = 0.0, v_in = 0.0;
    for (int a = 0; a < m; a++) {
        u[a] = exp_nonpositive(-d2[a] * kl_scale);
        v[a] = exp_nonpositive(-d2[a] * bh_scale);
    }
    M->kl[i] = log1p(sum_of(u, m));
    M->bh[i] = log1p(sum_of(v, m));
    if (M->cls)
        for (int a = 0; a < m; a++)
            if (M->cls[js[a]] == M->cls[i]) { u_in += u[a]; v_in += v[a]; }
    M->kl_in[i] = log1p(u_in);
    M->bh_in[i] = log1p(v_in);
}

/* proj[r·cap + a] = z_r·(μ_i − μ_j_a), by dgemm over blocks of candidates (the differences
 * first, so that nothing cancels). */
static void projections(const model *M, scratch *s, int i, const int *js, int m) {
    const int d = M->d, R = M->draws;
    const double *mi = M->mu + (size_t)i * d;
    for (int a0 = 0; a0 < m; a0 += PROJ_BLOCK) {
        int mb = m - a0 < PROJ_BLOCK ? m - a0 : PROJ_BLOCK;
        for (int b = 0; b < mb; b++) {
            const double *mj = M->mu + (size_t)js[a0 + b] * d;
            double *db = s->delta + (size_t)b * d;
            for (int k = 0; k < d; k++) db[k] = mi[k] - mj[k];
        }
        cblas_dgemm(CblasRowMajor, CblasNoTrans, CblasTrans, R, mb, d, 1.0, s->z, d, s->delta, d, 0.0, s->proj + a0,
                    s->cap);
    }
}

/* The posterior's entropy for the terms t (self: the self term, t[a] for js[a]), normalised by the
 * sum of the class sums themselves (so that a single class gives exactly 0). */
static double posterior_entropy(const model *M, scratch *s, int i, const int *js, const double *t, int m,
                                double self) {
    int nt = 0;
    if (self > 0.0) { s->class_sum[M->cls[i]] = self; s->touched[nt++] = M->cls[i]; }
    for (int a = 0; a < m; a++) {
        if (!(t[a] > 0.0)) continue; /* (so that a class sum of 0 means a class not listed yet) */
        int y = M->cls[js[a]];
        if (s->class_sum[y] == 0.0) s->touched[nt++] = y;
        s->class_sum[y] += t[a];
    }
    double ent = 0.0, total = 0.0;
    for (int k = 0; k < nt; k++) total += s->class_sum[s->touched[k]];
    for (int k = 0; k < nt; k++) {
        double p = s->class_sum[s->touched[k]] / total;
        if (p > 0.0) ent -= p * log(p);
        s->class_sum[s->touched[k]] = 0.0;
    }
    return ent;
}

/* One draw t = μ_i + sign·σz_r (proj_r: z_r's projections): ℓ = ln Σ_j e^{−Δ_ij} into *ell, the
 * posterior's entropy into *h. The exponents are shifted by their smallest, m0 <= 0, so that the
 * largest term is 1 (no overflow however close t comes to other components). */
static void one_sample(const model *M, scratch *s, int i, const int *js, const double *d2, int m,
                       const double *proj_r, double sign, double *ell, double *h) {
    const double half_inv_var = 0.5 / (M->sigma * M->sigma), step = sign / M->sigma;
    double *w = s->w, m0 = 0.0;
    for (int a = 0; a < m; a++) {
        w[a] = d2[a] * half_inv_var + step * proj_r[a];
        m0 = w[a] < m0 ? w[a] : m0;
    }
    for (int a = 0; a < m; a++) w[a] = exp_nonpositive(m0 - w[a]);
    double self = exp(m0), total = self + sum_of(w, m);
    *ell = log(total) - m0;
    *h = M->cls ? posterior_entropy(M, s, i, js, w, m, self) : 0.0;
}

/* The draws of component i, and the pairs they need (into s->js, s->d2); returns how many. */
static int draw_and_keep(const model *M, scratch *s, int i, const int *js, const double *d2, int m) {
    const int R = M->draws, d = M->d;
    noise_draws(M->seed, i, R, d, s->zf);
    double zmax = 0.0;
    for (int r = 0; r < R; r++) {
        double q = 0.0;
        for (int k = 0; k < d; k++) {
            s->z[(size_t)r * d + k] = s->zf[(size_t)r * d + k];
            q += s->z[(size_t)r * d + k] * s->z[(size_t)r * d + k];
        }
        if (q > zmax) zmax = q;
    }
    double rho = reach(M->sigma, sqrt(zmax), M->T), rho2 = rho * rho;
    int kept = 0;
    for (int a = 0; a < m; a++)
        if (d2[a] <= rho2) { s->js[kept] = js[a]; s->d2[kept] = d2[a]; kept++; }
    return kept;
}

static void sample_row(model *M, scratch *s, int i, const int *all_js, const double *all_d2, int all_m) {
    const int R = M->draws;
    int m = draw_and_keep(M, s, i, all_js, all_d2, all_m);
    const int *js = s->js;
    const double *d2 = s->d2;
    projections(M, s, i, js, m);
    for (int r = 0; r < R; r++) {
        double lp, lm, hp, hm;
        one_sample(M, s, i, js, d2, m, s->proj + (size_t)r * s->cap, 1.0, &lp, &hp);
        one_sample(M, s, i, js, d2, m, s->proj + (size_t)r * s->cap, -1.0, &lm, &hm);
        M->ell[(size_t)i * R + r] = 0.5 * (lp + lm);
        M->post[(size_t)i * R + r] = 0.5 * (hp + hm);
    }
}

/* near_visit_fn: everything row i needs from its pairs. Rows without pairs keep their zeros. */
static void visit_row(void *ctx, int thread, int i, const int *js, const double *d2, int m) {
    model *M = ctx;
    scratch *s = &M->sc[thread];
    scratch_reserve(s, M, m);
    bound_sums(M, s, i, js, d2, m);
    if (M->draws > 0 && m > 0) sample_row(M, s, i, js, d2, m);
}

/* ---- the whole layer ---- */

/* The one search radius of the opening comment. */
static double search_radius(const model *M) {
    double bh = M->sigma * sqrt(8.0 * M->T), mc = M->draws > 0 ? reach(M->sigma, z_cap(M->d), M->T) : 0.0;
    return bh > mc ? bh : mc;
}

/* Class indices 0..C-1 into cls; returns C and H(Y) into *h_y. */
static int classes_of(const int *labels, int n, int *cls, double *h_y) {
    int *order = gi_malloc((size_t)n * sizeof(int)), *start = gi_malloc((size_t)(n + 1) * sizeof(int));
    int groups = label_groups(labels, n, order, start);
    double h = 0.0;
    for (int g = 0; g < groups; g++) {
        double p = (double)(start[g + 1] - start[g]) / n;
        h -= p * log(p);
        for (int k = start[g]; k < start[g + 1]; k++) cls[order[k]] = g;
    }
    *h_y = h;
    free(order);
    free(start);
    return groups;
}

static double mean_of(const double *v, int n) {
    double s = 0.0;
    for (int i = 0; i < n; i++) s += v[i];
    return s / n;
}

static void clip(double *v, double lo, double hi) {
    if (*v < lo) *v = lo;
    if (*v > hi) *v = hi;
}

/* The estimates and bounds from the rows' sums (serial, in row order: the same bits for any
 * number of threads). */
static void summarise(const model *M, double h_y, noise_result *out) {
    const int n = M->n;
    const double ln_n = log((double)n), nan = NAN;
    out->kt.ixt_lo = ln_n - mean_of(M->bh, n);
    out->kt.ixt_hi = ln_n - mean_of(M->kl, n);
    out->kt.ity_lo = out->kt.ity_hi = nan;
    if (M->cls) {
        double lo = 0.0, hi = 0.0;
        for (int i = 0; i < n; i++) { lo += M->bh[i] - M->kl_in[i]; hi += M->kl[i] - M->bh_in[i]; }
        out->kt.ity_lo = h_y - lo / n;
        out->kt.ity_hi = h_y - hi / n;
        clip(&out->kt.ity_lo, 0.0, h_y);
        clip(&out->kt.ity_hi, 0.0, h_y);
    }
    out->ixt = out->ity = (estimate){nan, nan, NULL};
    out->h_t = nan;
    if (M->draws < 1) return;
    size_t samples = (size_t)n * M->draws;
    for (size_t k = 0; k < samples; k++) { M->ell[k] = -M->ell[k]; M->post[k] = -M->post[k]; }
    estimate_from_terms(&out->ixt, M->ell, (int)samples, ln_n);
    out->h_t = out->ixt.value + 0.5 * M->d * log(TWO_PI_E * M->sigma * M->sigma);
    if (M->cls) estimate_from_terms(&out->ity, M->post, (int)samples, h_y);
}

static int check_inputs(const double *mu, int n, int d, const noise_options *o, gi_err *e) {
    if (n < 2) return gi_fail(e, "noise: N = %d points: need at least 2", n);
    if (d < 1) return gi_fail(e, "noise: the layer has no columns");
    if (o->draws < 0) return gi_fail(e, "noise: draws must be >= 0 (got %d)", o->draws);
    if ((double)n * o->draws > 2e9) return gi_fail(e, "noise: N x draws = %.0f samples is too many", (double)n * o->draws);
    for (size_t k = 0; k < (size_t)n * d; k++)
        if (!isfinite(mu[k])) return gi_fail(e, "noise: the layer has a non-finite value (row %zu)", k / d);
    if (o->sigma_rel < 0 || !isfinite(o->sigma_rel)) return gi_fail(e, "noise: sigma_rel must be >= 0 (got %g)", o->sigma_rel);
    return 0;
}

static int check_sigma(const noise_options *o, double sigma, gi_err *e) {
    if (sigma > 0 && isfinite(sigma)) return 0;
    if (o->sigma_rel > 0) return gi_fail(e, "noise: σ = sigma_rel × RMS = %g: the layer is constant", sigma);
    return gi_fail(e, "noise: σ must be > 0 and finite (got %g)", sigma);
}

/* The model's arrays and each thread's scratch (labels may be NULL: no classes). */
static void model_alloc(model *M, const int *labels, double *h_y) {
    const int n = M->n, d = M->d;
    M->cls = NULL;
    if (labels) {
        int *cls = gi_malloc((size_t)n * sizeof(int));
        M->n_classes = classes_of(labels, n, cls, h_y);
        M->cls = cls;
    }
    size_t samples = (size_t)n * M->draws + 1;
    M->ell = gi_calloc(samples, sizeof(double));
    M->post = gi_calloc(samples, sizeof(double));
    M->kl = gi_malloc((size_t)n * sizeof(double));
    M->bh = gi_malloc((size_t)n * sizeof(double));
    M->kl_in = gi_malloc((size_t)n * sizeof(double));
    M->bh_in = gi_malloc((size_t)n * sizeof(double));
    M->sc = gi_calloc((size_t)near_pairs_threads(), sizeof(scratch));
    for (int t = 0; t < near_pairs_threads(); t++) {
        M->sc[t].z = gi_malloc(((size_t)M->draws * d + 1) * sizeof(double));
        M->sc[t].zf = gi_malloc(((size_t)M->draws * d + 1) * sizeof(float));
        M->sc[t].delta = gi_malloc((size_t)PROJ_BLOCK * d * sizeof(double));
        M->sc[t].class_sum = gi_calloc((size_t)M->n_classes + 1, sizeof(double));
    }
}

static void model_free(model *M) {
    for (int t = 0; t < near_pairs_threads(); t++) {
        scratch *s = &M->sc[t];
        free(s->js); free(s->d2); free(s->proj); free(s->w); free(s->v); free(s->delta); free(s->z); free(s->zf);
        free(s->class_sum); free(s->touched);
    }
    free(M->sc); free(M->ell); free(M->post); free(M->kl); free(M->bh); free(M->kl_in); free(M->bh_in);
    free((int *)M->cls);
}

int noise_model(const double *mu, int n, int d, const int *labels, const noise_options *o, noise_result *out,
                gi_err *e) {
    memset(out, 0, sizeof *out);
    if (check_inputs(mu, n, d, o, e)) return -1;
    double sigma = noise_sigma(mu, n, d, o), h_y = NAN;
    if (check_sigma(o, sigma, e)) return -1;
    model M = {.mu = mu, .n = n, .d = d, .draws = o->draws, .sigma = sigma, .seed = o->seed,
               .T = SAFE_EXPONENT + log((double)n)};
    model_alloc(&M, labels, &h_y);
    out->pairs = near_pairs_visit(mu, n, d, search_radius(&M), visit_row, &M);
    out->sigma = sigma;
    out->h_y = h_y;
    summarise(&M, h_y, out);
    model_free(&M);
    return 0;
}

/* ---- the pieces ---- */

int noise_mixture_entropy(const double *mu, int n, int d, double sigma, int draws, uint64_t seed, estimate *out,
                          gi_err *e) {
    noise_options o = {.sigma = sigma, .draws = draws, .seed = seed};
    noise_result r;
    if (draws < 1) return gi_fail(e, "noise: the mixture entropy needs draws >= 1");
    if (noise_model(mu, n, d, NULL, &o, &r, e)) return -1;
    *out = (estimate){r.h_t, r.ixt.stderr_, NULL};
    return 0;
}

int noise_mi_xt(const double *mu, int n, int d, const noise_options *o, estimate *out, gi_err *e) {
    noise_result r;
    if (o->draws < 1) return gi_fail(e, "noise: I(X;T) by Monte Carlo needs draws >= 1");
    if (noise_model(mu, n, d, NULL, o, &r, e)) return -1;
    *out = r.ixt;
    return 0;
}

int noise_mi_ty(const double *mu, int n, int d, const int *labels, const noise_options *o, estimate *out, gi_err *e) {
    noise_result r;
    if (o->draws < 1) return gi_fail(e, "noise: I(T;Y) by Monte Carlo needs draws >= 1");
    if (!labels) return gi_fail(e, "noise: I(T;Y) needs the labels");
    if (noise_model(mu, n, d, labels, o, &r, e)) return -1;
    *out = r.ity;
    return 0;
}

int noise_kt_bounds(const double *mu, int n, int d, const int *labels, const noise_options *o, noise_bounds *out,
                    gi_err *e) {
    noise_options bounds_only = *o;
    bounds_only.draws = 0;
    noise_result r;
    if (noise_model(mu, n, d, labels, &bounds_only, &r, e)) return -1;
    *out = r.kt;
    return 0;
}
