/* multiplets.c — which sets of neurons: Ward-cluster unions (Clauw et al. 2024) and a greedy
 * search; and the whole O-information pass on one layer (one oinfo.csv row). */
#include <cblas.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include "measure/oinfo.h"
#include "measure/ward.h"
#include "util/clock.h"

void dpotrf_(const char *uplo, const int *n, double *a, const int *lda, int *info);
void dtrtri_(const char *uplo, const char *diag, const int *n, double *a, const int *lda, int *info);

int oinfo_clusters(const oinfo_layer *L, int k, int *labels) {
    int m = L->n_live;
    if (m < 1) return 0;
    double *d = gi_malloc((size_t)m * m * sizeof(double));
    ward_merge *z = gi_malloc((size_t)m * sizeof *z);
    memcpy(d, L->dist, (size_t)m * m * sizeof(double));
    ward_linkage(d, m, z);
    int c = ward_maxclust(z, m, k, labels);
    free(d); free(z);
    return c;
}

/* the unions of r = 2..c clusters as bitmasks, r ascending, each r in itertools.combinations order */
static int union_masks(int c, unsigned *mask) {
    int n = 0, pick[32];
    for (int r = 2; r <= c; r++) {
        for (int i = 0; i < r; i++) pick[i] = i;
        for (;;) {
            unsigned m = 0;
            for (int i = 0; i < r; i++) m |= 1u << pick[i];
            mask[n++] = m;
            int i = r - 1;
            while (i >= 0 && pick[i] == c - r + i) i--;
            if (i < 0) break;
            pick[i]++;
            for (int j = i + 1; j < r; j++) pick[j] = pick[j - 1] + 1;
        }
    }
    return n;
}

/* The unions are the nodes of a tree: a union of clusters j1 < j2 < ... < jr extends its parent
 * (without jr) by one block B. With the neurons ordered by cluster, the parent's Cholesky factor L_P
 * and its inverse W_P = L_P⁻¹ are the leading blocks of the child's, so a child costs one block row:
 *   L_BP = R_BP L_P⁻ᵀ,  L_B = chol(R_BB − L_BP L_BPᵀ),  W_B = L_B⁻¹,  W_BP = −W_B L_BP W_P,
 *   log det R_S = log det R_P + 2 Σ log diag L_B,
 *   (R_S⁻¹)_jj = (R_P⁻¹)_jj + ‖column j of W_BP‖² (j in P), ‖column j of W_B‖² (j in B),
 * about |B||P|² flops instead of (2/3)|S|³ (six times fewer for ten clusters of 25). */
typedef struct {
    const double *r;
    const int *members, *start;
    int k, c;
    const double *bias;
    double *l, *w;      /* k x k, column-major: L and L⁻¹ of the current path */
    int *idx;           /* the neuron at each position of the path */
    double *inv;        /* (c + 1) x k: the diagonal of R⁻¹ at each depth of the path */
    double *logdet;     /* c + 1 */
    oinfo_terms *res;   /* by mask */
    int *size;
    char *ok;
} union_walk;

/* the path of depth `depth` (d positions) extended by cluster j; -1 if not positive definite */
static int extend(union_walk *u, int depth, int d, int j) {
    int k = u->k, nb = u->start[j + 1] - u->start[j], info;
    double *l = u->l, *w = u->w, *lb = l + (size_t)d * k + d, *wb = w + (size_t)d * k + d;
    for (int i = 0; i < nb; i++) u->idx[d + i] = u->members[u->start[j] + i];
    const int *idx = u->idx;
    for (int col = 0; col < d; col++) {
        const double *rc = u->r + (size_t)idx[col] * k;
        for (int i = 0; i < nb; i++) l[(size_t)col * k + d + i] = rc[idx[d + i]];
    }
    for (int a = 0; a < nb; a++) {
        const double *ra = u->r + (size_t)idx[d + a] * k;
        for (int b = a; b < nb; b++) lb[(size_t)a * k + b] = ra[idx[d + b]];
    }
    if (d > 0) {
        cblas_dtrsm(CblasColMajor, CblasRight, CblasLower, CblasTrans, CblasNonUnit, nb, d, 1.0, l, k, l + d, k);
        cblas_dsyrk(CblasColMajor, CblasLower, CblasNoTrans, nb, d, -1.0, l + d, k, 1.0, lb, k);
    }
    dpotrf_("L", &nb, lb, &k, &info);
    if (info != 0) return -1;
    double logdet = u->logdet[depth];
    for (int a = 0; a < nb; a++) logdet += 2.0 * log(lb[(size_t)a * k + a]);
    u->logdet[depth + 1] = logdet;
    for (int a = 0; a < nb; a++) memcpy(wb + (size_t)a * k + a, lb + (size_t)a * k + a, (size_t)(nb - a) * sizeof(double));
    dtrtri_("L", "N", &nb, wb, &k, &info);
    if (info != 0) return -1;
    const double *inv_p = u->inv + (size_t)depth * k;
    double *inv_c = u->inv + (size_t)(depth + 1) * k;
    if (d > 0) {
        for (int col = 0; col < d; col++) memcpy(w + (size_t)col * k + d, l + (size_t)col * k + d, (size_t)nb * sizeof(double));
        cblas_dtrmm(CblasColMajor, CblasRight, CblasLower, CblasNoTrans, CblasNonUnit, nb, d, 1.0, w, k, w + d, k);
        cblas_dtrmm(CblasColMajor, CblasLeft, CblasLower, CblasNoTrans, CblasNonUnit, nb, d, -1.0, wb, k, w + d, k);
        for (int col = 0; col < d; col++) {
            const double *y = w + (size_t)col * k + d;
            double s = inv_p[col];
            for (int i = 0; i < nb; i++) s += y[i] * y[i];
            inv_c[col] = s;
        }
    }
    for (int a = 0; a < nb; a++) {
        const double *y = wb + (size_t)a * k;
        double s = 0.0;
        for (int i = a; i < nb; i++) s += y[i] * y[i];
        inv_c[d + a] = s;
    }
    return 0;
}

static void record(union_walk *u, unsigned mask, int depth, int d) {
    const double *inv = u->inv + (size_t)depth * u->k;
    double sum_log_inv = 0.0;
    for (int j = 0; j < d; j++) sum_log_inv += log(inv[j]);
    oinfo_terms_from(u->logdet[depth], sum_log_inv, d, u->bias, &u->res[mask]);
    u->size[mask] = d;
    u->ok[mask] = 1;
}

/* every union extending mask (depth clusters, d neurons, last cluster `last`) by later clusters;
 * a union that is not positive definite leaves its whole subtree out (its supersets are not either) */
static void walk(union_walk *u, unsigned mask, int depth, int d, int last) {
    for (int j = last + 1; j < u->c; j++) {
        int nb = u->start[j + 1] - u->start[j];
        if (extend(u, depth, d, j)) continue;
        record(u, mask | 1u << j, depth + 1, d + nb);
        walk(u, mask | 1u << j, depth + 1, d + nb, j);
    }
}

void oinfo_cluster_unions(const oinfo_layer *L, const int *labels, int n_clusters, int bias_correct, oinfo_row *out) {
    int k = L->n_live, c = n_clusters;
    out->omega_min = out->omega_max = out->tc_min = out->dtc_min = out->tc_max = out->dtc_max = NAN;
    out->mask_min = out->mask_max = 0;
    out->size_min = out->size_max = out->n_sets = out->n_singular = 0;
    if (c < 2) return;
    if (c > 20) c = 20; /* 2^20 unions would never finish anyway */
    /* members of each cluster in ascending order, clusters in label order (as the peer's groups) */
    int *members = gi_malloc((size_t)k * sizeof(int)), *start = gi_calloc((size_t)c + 1, sizeof(int));
    for (int i = 0; i < k; i++) if (labels[i] <= c) start[labels[i]]++;
    for (int j = 0; j < c; j++) start[j + 1] += start[j];
    int *fill = gi_malloc((size_t)c * sizeof(int));
    memcpy(fill, start, (size_t)c * sizeof(int));
    for (int i = 0; i < k; i++) if (labels[i] <= c) members[fill[labels[i] - 1]++] = i;
    free(fill);
    size_t n_masks = (size_t)1 << c;
    oinfo_terms *res = gi_malloc(n_masks * sizeof *res);
    int *size = gi_calloc(n_masks, sizeof(int));
    char *ok = gi_calloc(n_masks, 1);
    double *bias = NULL;
    if (bias_correct) { /* sets of n − 1 or more neurons are singular anyway */
        int dmax = k < L->n - 2 ? k : L->n - 2;
        bias = gi_calloc((size_t)(k + 1), sizeof(double));
        oinfo_bias_table(L->n, dmax, bias);
    }
    /* one task per pair of clusters, its subtree below it; the largest come first */
    int n_pairs = c * (c - 1) / 2;
    #pragma omp parallel
    {
        union_walk u = {L->r, members, start, k, c, bias, gi_calloc((size_t)k * k + 1, sizeof(double)),
                        gi_calloc((size_t)k * k + 1, sizeof(double)), gi_malloc((size_t)k * sizeof(int) + 1),
                        gi_calloc((size_t)(c + 1) * k + 1, sizeof(double)), gi_calloc((size_t)c + 1, sizeof(double)),
                        res, size, ok};
        #pragma omp for schedule(dynamic, 1)
        for (int p = 0; p < n_pairs; p++) {
            int a = 0, rem = p;
            while (rem >= c - 1 - a) { rem -= c - 1 - a; a++; }
            int b = a + 1 + rem, na = start[a + 1] - start[a], nb = start[b + 1] - start[b];
            if (extend(&u, 0, 0, a) || extend(&u, 1, na, b)) continue;
            unsigned mask = 1u << a | 1u << b;
            record(&u, mask, 2, na + nb);
            walk(&u, mask, 2, na + nb, b);
        }
        free(u.l); free(u.w); free(u.idx); free(u.inv); free(u.logdet);
    }
    /* in the peer's order (r = 2..c, itertools.combinations), so the first of equal values wins */
    int n_sets = (int)(n_masks - 1 - (size_t)c);
    unsigned *order = gi_malloc((size_t)n_sets * sizeof(unsigned));
    union_masks(c, order);
    int best = -1, worst = -1;
    for (int s = 0; s < n_sets; s++) {
        unsigned m = order[s];
        if (!ok[m]) { out->n_singular++; continue; }
        if (best < 0 || res[m].omega < res[best].omega) best = (int)m;
        if (worst < 0 || res[m].omega > res[worst].omega) worst = (int)m;
    }
    out->n_sets = n_sets;
    if (best >= 0) {
        out->omega_min = res[best].omega; out->size_min = size[best];
        out->tc_min = res[best].tc; out->dtc_min = res[best].dtc;
        out->omega_max = res[worst].omega; out->size_max = size[worst];
        out->tc_max = res[worst].tc; out->dtc_max = res[worst].dtc;
        out->mask_min = (unsigned)best; out->mask_max = (unsigned)worst;
    }
    free(members); free(start); free(order); free(res); free(size); free(ok); free(bias);
}

/* v = inv r_c over the set, and the Schur complement s = 1 − r_cᵀ v */
static double schur(const double *r, int ld, const int *set, int k, const double *inv, int c, double *v) {
    const double *rc = r + (size_t)c * ld;
    double s = 1.0;
    for (int i = 0; i < k; i++) {
        double a = 0.0;
        for (int j = 0; j < k; j++) a += inv[i * k + j] * rc[set[j]];
        v[i] = a;
        s -= rc[set[i]] * a;
    }
    return s;
}

/* Ω of the set whose inverse correlation is inv (k x k), log det logdet, with neuron c added:
 * v = inv r_c and s = 1 − r_cᵀ v (the Schur complement) give the new log det (+ log s) and the
 * new inverse diagonal (inv_jj + v_j²/s, and 1/s). NAN if s <= 0. */
static double omega_with(const double *r, int ld, const int *set, int k, const double *inv, double logdet, int c,
                         double *v) {
    double s = schur(r, ld, set, k, inv, c, v);
    if (!(s > 1e-12)) return NAN;
    double sum_log_inv = -log(s);
    for (int j = 0; j < k; j++) sum_log_inv += log(inv[j * k + j] + v[j] * v[j] / s);
    return -(logdet + log(s)) - 0.5 * sum_log_inv;
}

double oinfo_greedy(const oinfo_layer *L, int max_size, int bias_correct, int *set_out, int *size_out) {
    int k = L->n_live;
    const double *r = L->r;
    *size_out = 0;
    if (max_size > k) max_size = k;
    if (max_size > L->n - 2) max_size = L->n - 2; /* the bias table needs d < n − 1 */
    if (max_size < 3) return NAN;
    /* the best triplet: Ω = ½ log(det R / Π(1 − r²)), det R = 1 − a² − b² − c² + 2abc; serial, as is
     * the growth below: a few milliseconds, less than a parallel region costs on a busy machine */
    double best = INFINITY;
    int bi = -1, bj = -1, bl = -1;
    for (int i = 0; i < k; i++)
        for (int j = i + 1; j < k; j++) {
            double a = r[(size_t)i * k + j], ra = 1.0 - a * a;
            for (int l = j + 1; l < k; l++) {
                double b = r[(size_t)i * k + l], c = r[(size_t)j * k + l];
                double det = ra - b * b - c * c + 2.0 * a * b * c;
                double q = det / (ra * (1.0 - b * b) * (1.0 - c * c));
                if (q < best) { best = q; bi = i; bj = j; bl = l; }
            }
        }
    if (bi < 0 || !(best > 0)) return NAN;
    double *bias = NULL;
    if (bias_correct) { bias = gi_malloc((size_t)(max_size + 1) * sizeof(double)); oinfo_bias_table(L->n, max_size, bias); }
    /* the Ω-lowering growth: bias corrections depend on the size, so compare corrected values */
    int n = 3, *set = gi_malloc((size_t)max_size * sizeof(int));
    set[0] = bi; set[1] = bj; set[2] = bl;
    double *inv = gi_malloc((size_t)max_size * max_size * sizeof(double)), *work = gi_malloc((size_t)9 * sizeof(double));
    double *v = gi_malloc((size_t)max_size * sizeof(double)), *tmp = gi_malloc((size_t)max_size * max_size * sizeof(double));
    oinfo_terms t;
    oinfo_set(r, k, set, 3, NULL, work, &t);
    double logdet = -2.0 * t.tc;
    /* the explicit inverse of the triplet, by cofactors */
    {
        double a = r[(size_t)bi * k + bj], b = r[(size_t)bi * k + bl], c = r[(size_t)bj * k + bl];
        double det = exp(logdet);
        double m[9] = {1 - c * c, b * c - a, a * c - b, b * c - a, 1 - b * b, a * b - c, a * c - b, a * b - c, 1 - a * a};
        for (int i = 0; i < 9; i++) inv[i] = m[i] / det;
    }
    double omega = t.omega;
    double cur = bias ? omega - ((n - 2) * bias[n] + n * bias[1] - n * bias[n - 1]) : omega;
    char *in = gi_calloc((size_t)k, 1);
    in[bi] = in[bj] = in[bl] = 1;
    while (n < max_size) {
        double best_om = INFINITY;
        int best_c = -1;
        for (int c = 0; c < k; c++) {
            if (in[c]) continue;
            double om = omega_with(r, k, set, n, inv, logdet, c, v);
            if (om < best_om) { best_om = om; best_c = c; }
        }
        if (best_c < 0) break;
        int m = n + 1;
        double corrected = bias ? best_om - ((m - 2) * bias[m] + m * bias[1] - m * bias[m - 1]) : best_om;
        if (!(corrected < cur)) break;
        /* grow the inverse: [[inv + v vᵀ/s, −v/s], [−vᵀ/s, 1/s]] */
        double s = schur(r, k, set, n, inv, best_c, v);
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < n; j++) tmp[i * m + j] = inv[i * n + j] + v[i] * v[j] / s;
            tmp[i * m + n] = tmp[n * m + i] = -v[i] / s;
        }
        tmp[n * m + n] = 1.0 / s;
        memcpy(inv, tmp, (size_t)m * m * sizeof(double));
        logdet += log(s);
        set[n] = best_c; in[best_c] = 1; n = m;
        cur = corrected;
    }
    if (set_out) memcpy(set_out, set, (size_t)n * sizeof(int));
    *size_out = n;
    free(set); free(inv); free(work); free(v); free(tmp); free(in); free(bias);
    return cur;
}

static int measure(const double *ad, const float *af, int n, int m, const oinfo_params *p, oinfo_row *out,
                   int *labels_out, int *greedy_out, gi_err *e) {
    memset(out, 0, sizeof *out);
    double t0 = now_s();
    oinfo_layer L;
    if ((ad ? oinfo_layer_f64(ad, n, m, &p->ties, &L, e) : oinfo_layer_f32(af, n, m, &p->ties, &L, e))) return -1;
    out->n_live = L.n_live; out->n_dead = L.n_dead;
    double t1 = now_s();
    int *labels = gi_malloc((size_t)L.n_live * sizeof(int) + 1);
    out->n_clusters = oinfo_clusters(&L, p->clusters, labels);
    double t2 = now_s();
    oinfo_cluster_unions(&L, labels, out->n_clusters, p->bias_correct, out);
    double t3 = now_s();
    out->greedy_omega = NAN;
    int *greedy_live = greedy_out && p->greedy_max > 0 ? gi_malloc((size_t)p->greedy_max * sizeof(int)) : NULL;
    if (p->greedy_max > 0) out->greedy_omega = oinfo_greedy(&L, p->greedy_max, p->bias_correct, greedy_live, &out->greedy_size);
    if (greedy_live)
        for (int i = 0; i < out->greedy_size; i++) greedy_out[i] = L.live[greedy_live[i]];
    free(greedy_live);
    double t4 = now_s();
    out->seconds_copula = t1 - t0; out->seconds_ward = t2 - t1; out->seconds_sets = t3 - t2; out->seconds_greedy = t4 - t3;
    if (labels_out) {
        memset(labels_out, 0, (size_t)m * sizeof(int));
        for (int i = 0; i < L.n_live; i++) labels_out[L.live[i]] = labels[i];
    }
    free(labels);
    oinfo_layer_free(&L);
    return 0;
}

int oinfo_measure_f32(const float *acts, int n, int m, const oinfo_params *p, oinfo_row *out, int *labels, gi_err *e) {
    return measure(NULL, acts, n, m, p, out, labels, NULL, e);
}
int oinfo_measure_f64(const double *acts, int n, int m, const oinfo_params *p, oinfo_row *out, int *labels, gi_err *e) {
    return measure(acts, NULL, n, m, p, out, labels, NULL, e);
}
int oinfo_measure_sets_f64(const double *acts, int n, int m, const oinfo_params *p, oinfo_row *out, int *labels,
                           int *greedy_set, gi_err *e) {
    return measure(acts, NULL, n, m, p, out, labels, greedy_set, e);
}
