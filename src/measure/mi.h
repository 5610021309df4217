/* mi.h — every MI estimator as one row of a table (estimator_traits, indexed by estimator_kind):
 * its name, what it can do, and its entry points. Everything that names or picks an estimator
 * reads the table: the lookup by name, `grokinfo mi` (its usage, its checks of --rescale and
 * --bootstrap), the information plane's options, and the unit test that holds config.c's list
 * of mi.estimator values (util cannot include measure) to it.
 *
 * Adding an estimator: a kind below (before EST_COUNT), its row in mi.c, and its name in
 * mi.estimator's allowed values in util/config.c, in table order (the test says when they
 * differ). A row that estimates from two arrays sets .mi (and .mi_classes for labels). A row
 * that needs the whole uncompressed layer, the training noise σ and the labels (the
 * Gaussian-mixture noise model, "noise") sets .layer and leaves .mi and .mi_classes NULL:
 * mi_estimate refuses it by name, `grokinfo mi` does not list it (estimator_on_arrays), and
 * infoplane_measure is to call .layer on the noiseless layer before compressing it, with σ
 * (mi.sigma) and a key for its random draws added to infoplane_options. */
#ifndef GI_MI_H
#define GI_MI_H
#include <stddef.h>
#include <stdint.h>
#include "measure/estimators.h"

typedef enum { EST_KSG, EST_KL, EST_WKL, EST_WKL_POOLED, EST_KDE, EST_GAUSS, EST_GCMI, EST_NOISE, EST_COUNT } estimator_kind;

typedef struct {
    estimator_kind kind;
    int k;            /* neighbours (rows with uses_k) */
    int rescale;      /* whitening (rows with rescale_allowed) */
    int bias_correct; /* gcmi */
    int standardize;  /* z-score every column of X and Y first (rows with standardize_allowed) */
    int draws;        /* noise: Monte-Carlo draws per component (0: NOISE_DEFAULT_DRAWS) */
} mi_estimator;

/* I(X;Y), X n x dx and Y n x dy. */
typedef int (*estimator_mi_fn)(const mi_estimator *est, const double *x, int dx, const double *y, int dy, int n,
                               estimate *out, gi_err *e);
/* I(X;Y) for integer labels Y. */
typedef int (*estimator_classes_fn)(const mi_estimator *est, const double *x, int dx, const int *labels, int n,
                                    estimate *out, gi_err *e);
/* I(X;L) and I(L;Y) from a whole layer's noiseless outputs (n x width, not compressed), the
 * noise the network adds to them, and the labels (NULL: I(L;Y) is NAN). The noise is σ absolute,
 * or sigma_rel > 0 times the layer's RMS per coordinate; key seeds the estimator's own random
 * draws (one key per step, layer and subset, as smi's). Out: both estimates (value ± error) and,
 * where the estimator has them, deterministic bounds on each (NAN otherwise; noise:
 * Kolchinsky–Tracey). Two structs rather than more arguments: the table's rows share one
 * signature, and a later whole-layer estimator adds fields, not parameters. */
typedef struct { double sigma, sigma_rel; uint64_t key; } layer_noise;
typedef struct { estimate ixl, ily; double ixl_lo, ixl_hi, ily_lo, ily_hi; } layer_mi;
typedef int (*estimator_layer_fn)(const mi_estimator *est, const double *layer, int width, const int *labels, int n,
                                  const layer_noise *noise, layer_mi *out, gi_err *e);

typedef struct {
    const char *name;         /* as the CLI and mi.estimator spell it */
    int uses_k;               /* reads est->k */
    int per_point;            /* fills estimate.terms (what the bootstrap resamples) */
    int rescale_allowed;      /* whitens each entropy's data when est->rescale is set */
    int standardize_allowed;  /* z-scores the columns of X and Y when est->standardize is set */
    int whitens_by_default;   /* `grokinfo mi` whitens unless --no-rescale */
    int handles_labels;       /* gives I(X;Y) for integer labels (.mi_classes or .layer) */
    estimator_mi_fn mi;       /* NULL: the row estimates from a whole layer only */
    entropy_fn entropy;       /* H(X) with params = the mi_estimator; NULL when there is none (ksg) */
    estimator_classes_fn mi_classes;
    estimator_layer_fn layer; /* NULL for every estimator on two arrays */
} estimator_traits;

/* The row of kind k (0 <= k < EST_COUNT). */
const estimator_traits *estimator_get(estimator_kind k);
/* Exact, case-sensitive lookup: 0 and *out, or -1 for a name no row has. */
int estimator_from_name(const char *name, estimator_kind *out);
const char *estimator_name(estimator_kind k);

/* Selects rows for estimator_names. */
typedef int (*estimator_filter)(const estimator_traits *t);
/* The rows on two arrays, the ones `grokinfo mi` can run. */
int estimator_on_arrays(const estimator_traits *t);
/* The names of the rows that keep accepts (every row when keep is NULL), in table order, joined
 * by sep, the last two by last_sep (NULL: sep), into buf (truncated to size); returns buf.
 * ("|", NULL) gives the usage's ksg|kl|wkl|wkl-pooled|kde|gauss|gcmi; (", ", " and ") gives
 * "wkl, wkl-pooled and kde". */
const char *estimator_names(char *buf, size_t size, const char *sep, const char *last_sep, estimator_filter keep);

/* I(X;Y), X n x dx and Y n x dy. ksg with est->standardize z-scores every column of X and of Y
 * first, so that the estimate (and its ceiling on a near-deterministic channel, mi_ksg_ceiling)
 * does not depend on their scales: with max-norm, the larger-scaled side alone sets the joint
 * neighbour's radius and the other side's count grows with the ratio of the scales. */
int mi_estimate(const mi_estimator *est, const double *x, int dx, const double *y, int dy, int n, estimate *out,
                gi_err *e);

/* I(X;Y) for integer labels Y:
 *   kl, wkl, kde: H(X) − Σ_c p(c) H(X | Y=c) with that entropy estimator;
 *   wkl-pooled:   the same with wkl, X and every class whitened by the covariance of all X;
 *   gauss, gcmi:  the same with Gaussian entropies (gcmi: on the copula transform of X over all
 *                 points, as gcmi's gcmi_model_cd);
 *   ksg:          Ross (2014), the KSG analogue for a discrete variable, with max-norm:
 *                 d_i = distance to the k-th neighbour within i's class, m_i = points of any
 *                 class strictly closer than d_i (self included), N_c the class size:
 *                 I = ψ(N) + ψ(k) − ⟨ψ(N_c(i))⟩ − ⟨ψ(m_i)⟩ (sklearn's mutual_info_classif);
 *                 with est->standardize, on X's z-scored columns. */
int mi_estimate_classes(const mi_estimator *est, const double *x, int dx, const int *labels, int n, estimate *out,
                        gi_err *e);
#endif
