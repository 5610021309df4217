/* oinfo.c — a layer's copula correlation, and Ω, TC, DTC, S-information of one set of neurons.
 *
 * With Gaussian entropies H(A) = ½(|A| log 2πe + log det R_A) on a unit-diagonal R, the 2πe terms
 * cancel in Ω (the coefficient of each neuron is (k−2) + 1 − (k−1) = 0), H(j) = 0, and Cramer's rule
 * gives det R_{S∖j} = det R_S · (R_S⁻¹)_jj. Hence, k = |S|,
 *   Σ_j H(S∖j) = ½ [k log det R_S + Σ_j log (R_S⁻¹)_jj]
 *   Ω   = ½ [(k−2) − k] log det R_S − ½ Σ_j log (R_S⁻¹)_jj = −log det R_S − ½ Σ_j log (R_S⁻¹)_jj
 *   TC  = −½ log det R_S
 *   DTC = (1−k) H(S) + Σ_j H(S∖j) = ½ log det R_S + ½ Σ_j log (R_S⁻¹)_jj
 *   S   = TC + DTC = ½ Σ_j log (R_S⁻¹)_jj.
 * One Cholesky R_S = L Lᵀ gives both: log det R_S = 2 Σ log L_jj, and R_S⁻¹ = L⁻ᵀ L⁻¹, so
 * (R_S⁻¹)_jj is the squared norm of column j of L⁻¹. */
#include "measure/oinfo.h"
#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include "measure/linalg.h"
#include "measure/special.h"
#include "measure/ward.h"
#include "util/rng.h"

void dpotrf_(const char *uplo, const int *n, double *a, const int *lda, int *info);
void dtrtri_(const char *uplo, const char *diag, const int *n, double *a, const int *lda, int *info);

/* doubles as unsigned keys in the same order (−0 and +0 made equal before) */
static uint64_t order_key(double v) {
    uint64_t b;
    if (v == 0.0) v = 0.0;
    memcpy(&b, &v, sizeof b);
    return (b >> 63) ? ~b : b | 0x8000000000000000ull;
}

static const char *const tie_names[OINFO_TIES_COUNT] = {
    [OINFO_TIES_INDEX] = "index", [OINFO_TIES_RANDOM] = "random", [OINFO_TIES_AVERAGE] = "average"};
_Static_assert(OINFO_TIES_COUNT == 3, "a tie rule without its name");

const char *oinfo_tie_name(oinfo_tie_rule r) { return r >= 0 && r < OINFO_TIES_COUNT ? tie_names[r] : NULL; }

int oinfo_tie_from_name(const char *s, oinfo_tie_rule *out) {
    for (int r = 0; r < OINFO_TIES_COUNT; r++)
        if (strcmp(s, tie_names[r]) == 0) { *out = (oinfo_tie_rule)r; return 0; }
    return -1;
}

uint64_t oinfo_tie_key(uint64_t seed, int64_t step, int layer) {
    return noise_key(seed, STREAM_OINFO_TIES, (uint64_t)step, (uint64_t)layer);
}

/* One neuron's column through the copula: g[i] = table[rank of v[i]] (table: Φ⁻¹((r + 1)/(n + 1)),
 * less their mean table_mean). A stable LSD radix sort (8-bit digits) of the keys carries the sample
 * indices, which start in order, so equal values come out in sample order: the index rule. Digits
 * that are the same in every key are skipped (ReLU outputs share most high bytes). The other rules
 * then walk the runs of equal keys in the sorted order: random shuffles each run's indices (the
 * column's own stream, drawn only when it has a tie, so a column without one costs nothing and
 * gets the index rule's values exactly); average gives the whole run the Φ⁻¹ of its mid-rank. */
static void copula_column(const double *v, int n, const double *table, double table_mean, oinfo_tie_rule rule,
                          uint64_t column_key, uint64_t *key, int *idx, uint64_t *key2, int *idx2, double *g) {
    for (int i = 0; i < n; i++) { key[i] = order_key(v[i]); idx[i] = i; }
    int passes = 0;
    for (int shift = 0; shift < 64; shift += 8) {
        int count[257] = {0};
        uint64_t *k1 = passes % 2 ? key2 : key, *k2 = passes % 2 ? key : key2;
        int *i1 = passes % 2 ? idx2 : idx, *i2 = passes % 2 ? idx : idx2;
        for (int i = 0; i < n; i++) count[((k1[i] >> shift) & 255) + 1]++;
        if (count[((k1[0] >> shift) & 255) + 1] == n) continue;
        for (int b = 0; b < 256; b++) count[b + 1] += count[b];
        for (int i = 0; i < n; i++) {
            int p = count[(k1[i] >> shift) & 255]++;
            k2[p] = k1[i]; i2[p] = i1[i];
        }
        passes++;
    }
    const uint64_t *sorted_key = passes % 2 ? key2 : key;
    int *sorted = passes % 2 ? idx2 : idx;
    if (rule == OINFO_TIES_INDEX) {
        for (int r = 0; r < n; r++) g[sorted[r]] = table[r];
        return;
    }
    rng_t rng;
    int tied = 0;
    double sum = 0.0;
    for (int s = 0, end; s < n; s = end) {
        for (end = s + 1; end < n && sorted_key[end] == sorted_key[s]; end++) {}
        if (rule == OINFO_TIES_RANDOM) {
            if (end - s > 1) {
                if (!tied) { rng_seed(&rng, column_key); tied = 1; }
                rng_shuffle_int(&rng, sorted + s, end - s);
            }
            for (int r = s; r < end; r++) g[sorted[r]] = table[r];
        } else {
            double q = end - s > 1 ? normal_quantile(((s + end - 1) / 2.0 + 1.0) / (n + 1.0)) - table_mean : table[s];
            for (int r = s; r < end; r++) g[sorted[r]] = q;
            sum += q * (end - s);
            tied |= end - s > 1;
        }
    }
    /* a tied run at one value moves the column's mean off the table's 0 (without one, the column
     * is the index rule's to the bit) */
    if (rule == OINFO_TIES_AVERAGE && tied)
        for (int i = 0; i < n; i++) g[i] -= sum / n;
}

static int layer_from(const double *acts_d, const float *acts_f, int n, int m, const oinfo_ties *ties, oinfo_layer *L,
                      gi_err *e) {
    memset(L, 0, sizeof *L);
    if (n < 3) return gi_fail(e, "oinfo: %d samples: need at least 3", n);
    if (m < 1) return gi_fail(e, "oinfo: no neurons");
    L->n = n;
    /* neuron-major copy (tiles of 64 x 64, so neither side is read with a long stride) */
    double *cols = gi_malloc((size_t)m * n * sizeof(double));
    for (int i0 = 0; i0 < n; i0 += 64)
        for (int a0 = 0; a0 < m; a0 += 64)
            for (int i = i0; i < i0 + 64 && i < n; i++)
                for (int a = a0; a < a0 + 64 && a < m; a++)
                    cols[(size_t)a * n + i] = acts_d ? acts_d[(size_t)i * m + a] : acts_f[(size_t)i * m + a];
    L->live = gi_malloc((size_t)m * sizeof(int));
    for (int a = 0; a < m; a++) {
        const double *v = cols + (size_t)a * n;
        int constant = 1;
        for (int i = 0; i < n; i++) {
            if (!isfinite(v[i])) {
                gi_fail(e, "oinfo: activation of neuron %d at sample %d is %s", a, i, isnan(v[i]) ? "NaN" : "Inf");
                free(cols); oinfo_layer_free(L);
                return -1;
            }
            constant &= v[i] == v[0];
        }
        if (constant) L->n_dead++;
        else L->live[L->n_live++] = a;
    }
    int k = L->n_live;
    /* every live neuron gets a permutation of the same n values: one table for all */
    double *table = gi_malloc((size_t)n * sizeof(double)), mean = 0.0;
    for (int r = 0; r < n; r++) { table[r] = normal_quantile((r + 1.0) / (n + 1.0)); mean += table[r]; }
    mean /= n;
    for (int r = 0; r < n; r++) table[r] -= mean;
    oinfo_tie_rule rule = ties ? ties->rule : OINFO_TIES_INDEX;
    L->g = gi_malloc((size_t)k * n * sizeof(double) + 1);
    #pragma omp parallel if ((double)k * n > 1e5)
    {
        uint64_t *key = gi_malloc((size_t)n * 2 * sizeof(uint64_t));
        int *idx = gi_malloc((size_t)n * 2 * sizeof(int));
        #pragma omp for schedule(dynamic, 4)
        for (int j = 0; j < k; j++)
            copula_column(cols + (size_t)L->live[j] * n, n, table, mean, rule,
                          ties ? noise_key(ties->key, (uint64_t)L->live[j], 0, 0) : 0, key, idx, key + n, idx + n,
                          L->g + (size_t)j * n);
        free(key); free(idx);
    }
    free(table); free(cols);
    /* Ward needs the Euclidean distances anyway, and they give the correlation too:
     * C_ij = (‖g_i‖² + ‖g_j‖² − d_ij²)/2, one O(k² n) pass instead of two */
    L->dist = gi_malloc((size_t)k * k * sizeof(double) + 1);
    L->r = gi_malloc((size_t)k * k * sizeof(double) + 1);
    ward_distances(L->g, k, n, L->dist);
    double *sq = gi_malloc((size_t)k * sizeof(double) + 1);
    for (int i = 0; i < k; i++) {
        const double *gi = L->g + (size_t)i * n;
        double s = 0.0;
        for (int t = 0; t < n; t++) s += gi[t] * gi[t];
        sq[i] = s;
    }
    for (int i = 0; i < k; i++) {
        L->r[(size_t)i * k + i] = 1.0;
        for (int j = i + 1; j < k; j++) {
            double d = L->dist[(size_t)i * k + j];
            L->r[(size_t)i * k + j] = L->r[(size_t)j * k + i] = (sq[i] + sq[j] - d * d) / (2.0 * sqrt(sq[i] * sq[j]));
        }
    }
    free(sq);
    return 0;
}

int oinfo_layer_f32(const float *acts, int n, int m, const oinfo_ties *ties, oinfo_layer *L, gi_err *e) {
    return layer_from(NULL, acts, n, m, ties, L, e);
}
int oinfo_layer_f64(const double *acts, int n, int m, const oinfo_ties *ties, oinfo_layer *L, gi_err *e) {
    return layer_from(acts, NULL, n, m, ties, L, e);
}

void oinfo_layer_free(oinfo_layer *L) {
    free(L->live); free(L->g); free(L->r); free(L->dist);
    memset(L, 0, sizeof *L);
}

void oinfo_bias_table(int n, int dmax, double *c) {
    double half = (log(2.0) - log(n - 1.0)) / 2.0, psi = 0.0;
    c[0] = 0.0;
    for (int d = 1; d <= dmax; d++) {
        psi += digamma((n - d) / 2.0) / 2.0;
        c[d] = d * half + psi;
    }
}

void oinfo_terms_from(double logdet, double sum_log_inv, int k, const double *c, oinfo_terms *t) {
    t->tc = -0.5 * logdet;
    t->dtc = 0.5 * logdet + 0.5 * sum_log_inv;
    if (c) { /* every entropy of dimension d loses c[d] */
        t->tc -= k * c[1] - c[k];
        t->dtc -= (1 - k) * c[k] + k * c[k - 1];
    }
    t->omega = t->tc - t->dtc;
    t->sinfo = t->tc + t->dtc;
}

int oinfo_set(const double *r, int ld, const int *idx, int k, const double *bias, double *w, oinfo_terms *out) {
    for (int a = 0; a < k; a++) {
        const double *row = r + (size_t)idx[a] * ld;
        for (int b = a; b < k; b++) w[(size_t)a * k + b] = row[idx[b]];
    }
    /* row-major upper = column-major lower: LAPACK sees the lower triangle, column j at w + j*k */
    int info;
    dpotrf_("L", &k, w, &k, &info);
    if (info != 0) return -1;
    double logdet = 0.0;
    for (int j = 0; j < k; j++) logdet += log(w[(size_t)j * k + j]);
    logdet *= 2.0;
    dtrtri_("L", "N", &k, w, &k, &info);
    if (info != 0) return -1;
    double sum_log_inv = 0.0;
    for (int j = 0; j < k; j++) {
        const double *col = w + (size_t)j * k;
        double s = 0.0;
        for (int i = j; i < k; i++) s += col[i] * col[i];
        sum_log_inv += log(s);
    }
    oinfo_terms_from(logdet, sum_log_inv, k, bias, out);
    return 0;
}

/* H of the subset idx[0..k) without position skip (−1: none), bias-corrected */
static int entropy_of(const double *r, int ld, const int *idx, int k, int skip, const double *bias, double *h) {
    int d = k - (skip >= 0);
    if (d == 0) { *h = 0.0; return 0; }
    double *a = gi_malloc((size_t)d * d * sizeof(double)), logdet;
    for (int p = 0, i = 0; p < k; p++) {
        if (p == skip) continue;
        for (int q = 0, j = 0; q < k; q++) {
            if (q == skip) continue;
            a[i * d + j++] = r[(size_t)idx[p] * ld + idx[q]];
        }
        i++;
    }
    int rc = spd_logdet(a, d, &logdet);
    free(a);
    if (rc) return -1;
    *h = 0.5 * (d * log(2.0 * 3.14159265358979323846 * 2.718281828459045235) + logdet) - (bias ? bias[d] : 0.0);
    return 0;
}

int oinfo_set_entropies(const double *r, int ld, const int *idx, int k, const double *bias, oinfo_terms *out) {
    double hs, hj, hmj, sum_single = 0.0, sum_minus = 0.0;
    if (entropy_of(r, ld, idx, k, -1, bias, &hs)) return -1;
    for (int j = 0; j < k; j++) {
        if (entropy_of(r, ld, idx + j, 1, -1, bias, &hj) || entropy_of(r, ld, idx, k, j, bias, &hmj)) return -1;
        sum_single += hj;
        sum_minus += hmj;
    }
    out->omega = (k - 2) * hs + sum_single - sum_minus;
    out->tc = sum_single - hs;
    out->dtc = hs - (k * hs - sum_minus);
    out->sinfo = out->tc + out->dtc;
    return 0;
}
