/* oinfo.h — O-information of sets of neurons (Rosas et al. 2019) from a layer's activations, with
 * Gaussian-copula entropies, in nats; and the multiplet search of Clauw et al. 2024 (Ward clusters
 * of neurons, all unions of 2..K of them, synergy = min Ω, redundancy = max Ω).
 *
 *   Ω(S)   = (|S| − 2) H(S) + Σ_j [H(j) − H(S∖j)]   (> 0 redundancy, < 0 synergy)
 *   TC(S)  = Σ_j H(j) − H(S)          DTC(S) = H(S) − Σ_j [H(S) − H(S∖j)]
 *   Ω = TC − DTC,  S-information = TC + DTC. */
#ifndef GI_OINFO_H
#define GI_OINFO_H
#include <stddef.h>
#include <stdint.h>
#include "util/err.h"

/* How equal values of a neuron are ranked before the copula transform (oinfo.ties). ReLU outputs
 * are exactly 0 on many samples; ranked by sample index, two neurons that are 0 on the same
 * samples get the same order there, a correlation that comes from the rule, not the network.
 *   index    by sample index: the peer's stable argsort (the paper's numpy argsort leaves them
 *            in the order its unstable quicksort happens to); the default
 *   random   in the order of a random permutation, drawn per neuron from the key: every column
 *            stays a permutation of the same Φ⁻¹ values, as with index
 *   average  all at their mid-rank, Φ⁻¹((mid + 1)/(n + 1)), then each column demeaned (scipy's
 *            rankdata default); deterministic, but a tied run becomes one value */
typedef enum { OINFO_TIES_INDEX, OINFO_TIES_RANDOM, OINFO_TIES_AVERAGE, OINFO_TIES_COUNT } oinfo_tie_rule;
typedef struct {
    oinfo_tie_rule rule;
    uint64_t key;  /* random: neuron column a's permutation is drawn from noise_key(key, a, 0, 0) */
} oinfo_ties;
/* "index", "random", "average" (oinfo.ties's values, in this order); NULL out of range. */
const char *oinfo_tie_name(oinfo_tie_rule r);
/* 0 and *out for one of those names, else -1. */
int oinfo_tie_from_name(const char *s, oinfo_tie_rule *out);
/* The random rule's key of one layer at one step: noise_key(seed, STREAM_OINFO_TIES, step, layer). */
uint64_t oinfo_tie_key(uint64_t seed, int64_t step, int layer);

/* One layer after the copula transform (neurons constant over the samples are dead and dropped). */
typedef struct {
    int n, n_live, n_dead;  /* samples; live and dead neurons */
    int *live;              /* n_live: each live neuron's column in the activations */
    double *g;              /* n_live x n: live neuron i's copula-transformed, demeaned values at g + i*n */
    double *r;              /* n_live x n_live: their correlation (covariance normalised to unit diagonal) */
    double *dist;           /* n_live x n_live: Euclidean distances between the g's (for Ward) */
} oinfo_layer;

/* acts: n samples x m neurons, row-major. Ranks 0-based with ties by the rule (NULL: by sample
 * index), Φ⁻¹((rank + 1)/(n + 1)), demeaned. Errors on NaN/Inf or n < 3. */
int oinfo_layer_f32(const float *acts, int n, int m, const oinfo_ties *ties, oinfo_layer *L, gi_err *e);
int oinfo_layer_f64(const double *acts, int n, int m, const oinfo_ties *ties, oinfo_layer *L, gi_err *e);
void oinfo_layer_free(oinfo_layer *L);

typedef struct { double omega, tc, dtc, sinfo; } oinfo_terms;

/* hoi's Gaussian entropy bias for n samples: c[d] = d(ln 2 − ln(n−1))/2 + Σ_{i=1..d} ψ((n−i)/2)/2,
 * d = 0..dmax (dmax < n), to be subtracted from each entropy of dimension d. */
void oinfo_bias_table(int n, int dmax, double *c);
/* Ω, TC, DTC and S-information of the set idx[0..k) (k >= 1) of the unit-diagonal correlation r
 * (leading dimension ld), from one Cholesky; bias (NULL for none) an oinfo_bias_table up to k.
 * work holds k*k doubles. -1 if r restricted to the set is not positive definite. */
int oinfo_set(const double *r, int ld, const int *idx, int k, const double *bias, double *work, oinfo_terms *out);
/* The terms from log det R_S and Σ_j log (R_S⁻¹)_jj of a set of k neurons (bias as above). */
void oinfo_terms_from(double logdet, double sum_log_inv, int k, const double *bias, oinfo_terms *out);
/* The same from the definition, with k + 2 log-determinants (slow; for the tests). */
int oinfo_set_entropies(const double *r, int ld, const int *idx, int k, const double *bias, oinfo_terms *out);

typedef struct {
    int clusters;      /* K: Ward clusters; all unions of 2..K of them are searched (1013 for 10) */
    int greedy_max;    /* > 0: also the greedy search up to this many neurons */
    int bias_correct;  /* hoi's Gaussian bias correction of every entropy */
    oinfo_ties ties;   /* the ranking of equal values (zero: by sample index) */
} oinfo_params;

/* One oinfo.csv row (step and layer are the caller's), with what the search saw. Ω is NaN and
 * the sizes 0 when there are fewer than two clusters. */
typedef struct {
    double omega_min, omega_max;  /* synergy and redundancy: min and max Ω over the cluster unions */
    int size_min, size_max;       /* the sizes of those sets */
    double tc_min, dtc_min;       /* TC and DTC of the minimising set */
    double tc_max, dtc_max;       /* and of the maximising one */
    unsigned mask_min, mask_max;  /* the clusters of each set: bit c − 1 for cluster c (0: none) */
    int n_live, n_dead;
    int n_clusters, n_sets;       /* clusters found, unions searched */
    int n_singular;               /* unions left out: their correlation was not positive definite */
    double greedy_omega;          /* greedy search (greedy_max > 0): its Ω and size, else NaN, 0 */
    int greedy_size;
    double seconds_copula, seconds_ward, seconds_sets, seconds_greedy;
} oinfo_row;

/* Ward clusters of the live neurons (their copula vectors, Euclidean), cut as SciPy's
 * fcluster(linkage(G, 'ward'), K, 'maxclust'): labels[n_live] in 1..count, count returned. */
int oinfo_clusters(const oinfo_layer *L, int k, int *labels);
/* All unions of 2..n_clusters clusters, in SciPy/itertools order (first minimum and maximum win
 * ties): fills the Ω fields, n_sets and n_singular of out. OpenMP over the unions. */
void oinfo_cluster_unions(const oinfo_layer *L, const int *labels, int n_clusters, int bias_correct, oinfo_row *out);
/* Greedy synergy: starts from the triplet of least Ω (all triplets: for three unit-variance
 * Gaussians Ω = ½ log(det R / Π(1 − r²)), so no logarithm per triplet), then adds the neuron that
 * lowers Ω most, while one does and the set is below max_size. set (max_size entries, may be NULL)
 * gets the live indices; Ω returned, size in *size (NaN, 0 with fewer than 3 live neurons). */
double oinfo_greedy(const oinfo_layer *L, int max_size, int bias_correct, int *set, int *size);

/* The whole pass on one layer: acts n x m (row-major) -> the row. labels (m entries, may be
 * NULL) gets each neuron's cluster, 0 for a dead one. */
int oinfo_measure_f32(const float *acts, int n, int m, const oinfo_params *p, oinfo_row *out, int *labels, gi_err *e);
int oinfo_measure_f64(const double *acts, int n, int m, const oinfo_params *p, oinfo_row *out, int *labels, gi_err *e);
/* The same, and the greedy set's neurons (columns of acts; greedy_set holds greedy_max ints, may
 * be NULL), in the order the search added them. */
int oinfo_measure_sets_f64(const double *acts, int n, int m, const oinfo_params *p, oinfo_row *out, int *labels,
                           int *greedy_set, gi_err *e);
#endif
