/* estimators.h — entropy and mutual-information estimators, in nats.
 * Every estimate comes with an error bar: the standard deviation of the per-point terms / √N
 * (for an MI from entropies, the sum of its terms' errors, as the seed's library does).
 * Inputs are row-major doubles, N rows. Failures (N <= k, zero neighbour distances, a singular
 * covariance) are one-line errors, never an inf or nan passed off as an estimate. */
#ifndef GI_ESTIMATORS_H
#define GI_ESTIMATORS_H
#include <stdint.h>
#include "util/err.h"

/* value and error; when the caller sets terms (n doubles) before the call, the per-point
 * estimators (kl, wkl, kde, ksg and the MIs built on them) fill it with the per-point
 * contributions whose mean is the value (for the bootstrap). */
typedef struct { double value, stderr_; double *terms; } estimate;

/* Kozachenko–Leonenko: H = ψ(N) − ψ(k) + log V_d + d·mean_i log r_ik (Euclidean, self excluded). */
int entropy_kl(const double *x, int n, int d, int k, estimate *out, gi_err *e);
/* Gaussian: H = ½ log det(2πe C), C the sample covariance (N − 1). */
int entropy_gauss(const double *x, int n, int d, estimate *out, gi_err *e);

/* I(X;Y) = H(X) + H(Y) − H(X,Y) with the kl entropy. */
int mi_kl(const double *x, int dx, const double *y, int dy, int n, int k, estimate *out, gi_err *e);
/* I(X;Y) for integer labels: H(X) − Σ_c p(c) H(X | Y=c), each class on its own points (kl). */
int mi_kl_classes(const double *x, int dx, const int *labels, int n, int k, estimate *out, gi_err *e);
/* KSG algorithm 1: max-norm, ε_i the k-th joint neighbour, strict marginal counts;
 * I = ψ(k) + ψ(N) − ⟨ψ(n_x + 1) + ψ(n_y + 1)⟩. */
int mi_ksg(const double *x, int dx, const double *y, int dy, int n, int k, estimate *out, gi_err *e);
/* KSG's largest value at N points and k neighbours, reached on a deterministic channel (Y = X
 * without ties: every n_x = n_y = k − 1): ψ(N) − ψ(k). Any true I above it reads as this. */
double mi_ksg_ceiling(int n, int k);
/* A copy of x (n x d, caller frees) with every column z-scored: mean 0, sample sd (N − 1) 1; a
 * constant column is only centred (it has no scale, and adds no distance). */
double *zscore_copy(const double *x, int n, int d);
/* Gaussian MI from log-determinants of the sample covariances; its error from the asymptotics of
 * min(dx, dy) canonical pairs sharing the MI equally. */
double gauss_mi_stderr(double mi, int m, int n);
int mi_gauss(const double *x, int dx, const double *y, int dy, int n, estimate *out, gi_err *e);

/* An entropy estimator with its settings behind params, for the MIs built from entropies. */
typedef int (*entropy_fn)(const double *x, int n, int d, const void *params, estimate *out, gi_err *e);
/* I(X;Y) = H(X) + H(Y) − H(X,Y) with one entropy estimator: value and per-point terms (when
 * out->terms is set) are h_x + h_y − h_xy, the error the sum of the three errors. The order
 * matters only to an estimator with state in params (kde fits its bandwidth on the joint and
 * reuses it) and to which error is reported when more than one entropy fails. */
typedef enum { MARGINALS_FIRST, JOINT_FIRST } entropy_order;
int mi_from_entropies(entropy_fn entropy, const void *params, entropy_order order, const double *x, int dx,
                      const double *y, int dy, int n, estimate *out, gi_err *e);
/* I(X;Y) = H(X) − Σ_c p(c) H(X | Y=c) for integer labels, with any entropy estimator. */
int mi_classes(const double *x, int dx, const int *labels, int n, entropy_fn entropy, const void *params,
               estimate *out, gi_err *e);

/* The rows grouped by label, labels ascending: order[start[g] .. start[g+1]) are group g's row
 * indices, ascending; returns the number of groups. order holds n, start n + 1. */
int label_groups(const int *labels, int n, int *order, int *start);
/* out (m x d) = the rows rows[0..m) of x (n x d) */
void gather_rows(const double *x, int d, const int *rows, int m, double *out);

/* value = mean(t) + shift, error = sd(t)/√N; copies t + shift into out->terms when set. */
void estimate_from_terms(estimate *out, const double *t, int n, double shift);

/* k >= 1 and N > k, or an error prefixed with `what` */
int knn_check_sizes(int n, int k, const char *what, gi_err *e);

/* The whitened copy of x (*xw, caller frees) and ½ log det C, or an error naming `who`. */
int whiten_for(const double *x, int n, int d, const char *who, double **xw, double *half_logdet, gi_err *e);

/* [x | y] side by side: n x (dx + dy), caller frees. */
double *hstack(const double *x, int dx, const double *y, int dy, int n);

/* The seed library's "KL" (mutinfo, Information-v3; Berrett, Samworth & Yuan 2019 weights):
 * H = Σ_j w_j [log(N−1) − ψ(j) + log V_d + d·mean_i log r_ij], j = 1..k; w = e_1 for d <= 4,
 * else the minimum-norm least-squares weights (rcond 1e-6). With rescale, the data are whitened
 * by the symmetric C^{-1/2} and ½ log det C is added (each entropy term with its own C). */
int wkl_weights(int k, int d, double *w);
int entropy_wkl(const double *x, int n, int d, int k, int rescale, estimate *out, gi_err *e);
int mi_wkl(const double *x, int dx, const double *y, int dy, int n, int k, int rescale, estimate *out, gi_err *e);
int mi_wkl_classes(const double *x, int dx, const int *labels, int n, int k, int rescale, estimate *out, gi_err *e);
/* wkl with pooled whitening ("wkl-pooled"): with rescale, X is whitened by C_X^{-1/2}, Y by
 * C_Y^{-1/2} and the joint by the block-diagonal diag(C_X^{-1/2}, C_Y^{-1/2}); for labels, X and
 * every class of it by the one C_X^{-1/2} of all points. The ½ log det terms then cancel, so the
 * MI is the unwhitened wkl MI of the whitened copies; a class's own covariance (anisotropic
 * within-class scatter) can no longer push I(X;Y) above H(Y). Without rescale: mi_wkl's. */
int mi_wkl_pooled(const double *x, int dx, const double *y, int dy, int n, int k, int rescale, estimate *out,
                  gi_err *e);
int mi_wkl_pooled_classes(const double *x, int dx, const int *labels, int n, int k, int rescale, estimate *out,
                          gi_err *e);

/* Gaussian-copula MI (Ince et al. 2017): each column to ranks (0-based, ties by sample index),
 * u = (r + 1)/(N + 1), g = Φ⁻¹(u), demeaned; then the Gaussian MI of the g's. With bias_correct,
 * each entropy gets H −= d(ln 2 − ln(N−1))/2 + Σ_{i=1..d} ψ((N−i)/2)/2 (as hoi and gcmi do). */
void copula_transform(const double *x, int n, int d, double *g);
int entropy_gauss_bc(const double *x, int n, int d, int bias_correct, estimate *out, gi_err *e);
int mi_gcmi(const double *x, int dx, const double *y, int dy, int n, int bias_correct, estimate *out, gi_err *e);

/* Gaussian-kernel entropy: leave-one-out densities, bandwidth h by leave-one-out maximum
 * likelihood (golden-section search on log h over the seed's Silverman-based bracket) unless
 * *bandwidth > 0 is given; the bandwidth used is returned in *bandwidth. With rescale, whitened
 * as wkl. O(N²), parallel. */
int entropy_kde(const double *x, int n, int d, int rescale, double *bandwidth, estimate *out, gi_err *e);
/* As the seed: the bandwidth is fitted on the joint (X, Y) and reused for X and for Y. */
int mi_kde(const double *x, int dx, const double *y, int dy, int n, int rescale, estimate *out, gi_err *e);
#endif
