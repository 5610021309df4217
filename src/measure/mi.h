/* mi.h — one entry point to every MI estimator, by name, for continuous Y and for labels.
 * The CLI (`grokinfo mi`) and the information plane both go through it. */
#ifndef GI_MI_H
#define GI_MI_H
#include "measure/estimators.h"

typedef enum { EST_KSG, EST_KL, EST_WKL, EST_KDE, EST_GAUSS, EST_GCMI } estimator_kind;

typedef struct {
    estimator_kind kind;
    int k;            /* neighbours (ksg, kl, wkl) */
    int rescale;      /* whitening (wkl, kde) */
    int bias_correct; /* gcmi */
} mi_estimator;

/* "ksg", "kl", "wkl", "kde", "gauss", "gcmi"; -1 for anything else */
int estimator_from_name(const char *name, estimator_kind *out);
const char *estimator_name(estimator_kind k);
/* Whether the estimator has per-point terms (for the bootstrap) and uses k. */
int estimator_per_point(estimator_kind k);
int estimator_uses_k(estimator_kind k);

/* I(X;Y), X n x dx and Y n x dy. */
int mi_estimate(const mi_estimator *est, const double *x, int dx, const double *y, int dy, int n, estimate *out,
                gi_err *e);

/* I(X;Y) for integer labels Y:
 *   kl, wkl, kde: H(X) − Σ_c p(c) H(X | Y=c) with that entropy estimator;
 *   gauss, gcmi:  the same with Gaussian entropies (gcmi: on the copula transform of X over all
 *                 points, as gcmi's gcmi_model_cd);
 *   ksg:          Ross (2014), the KSG analogue for a discrete variable, with max-norm:
 *                 d_i = distance to the k-th neighbour within i's class, m_i = points of any
 *                 class strictly closer than d_i (self included), N_c the class size:
 *                 I = ψ(N) + ψ(k) − ⟨ψ(N_c(i))⟩ − ⟨ψ(m_i)⟩ (sklearn's mutual_info_classif). */
int mi_estimate_classes(const mi_estimator *est, const double *x, int dx, const int *labels, int n, estimate *out,
                        gi_err *e);
#endif
