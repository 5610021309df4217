/* grokinfo.h — grokinfo's measurement layer as a C library (libgrokinfo.so / libgrokinfo.a).
 *
 * On plain row-major arrays: mutual information by estimator name (continuous or integer-label Y,
 * with its standard error, per-point terms, a bootstrap interval and the flags), entropies,
 * compression (PCA, first coordinates), the O-information of an activation matrix, one point of
 * the information plane; and reading a run directory's CSV files. The numbers are the ones
 * `grokinfo mi` and `grokinfo oinfo-npy` print for the same arrays (the command line is built on
 * these calls).
 *
 * Conventions
 *   - Every call that can fail returns 0 (GROKINFO_OK) or an error code, and fills *err (which
 *     may be NULL) with the code and the one-line message the command line prints. Nothing here
 *     prints, and nothing exits on bad input; running out of memory aborts the process (with a
 *     line on stderr), as the command line does.
 *   - Arrays are row-major doubles, n rows; labels are ints. NaN or Inf in an input is an error
 *     naming its row and column.
 *   - Calls keep no state between them and may run on several threads at once; each estimate
 *     uses OpenMP threads inside (grokinfo_set_threads). Loading the library sets OpenBLAS to one
 *     thread (as the command line runs it), so that its sums, and so the last bits of PCA,
 *     whitening and O-information, are the command line's; a program that sets OpenBLAS's threads
 *     again for its own work may see the last bits change.
 *   - Structs are allocated by the caller and filled by the library; the option structs are set
 *     up by their *_init call, then changed field by field. Any change to a struct's layout bumps
 *     GROKINFO_API_VERSION (check grokinfo_api_version() when loading the library at run time).
 * Build against the installed copy: cc prog.c $(pkg-config --cflags --libs grokinfo). */
#ifndef GROKINFO_H
#define GROKINFO_H
#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

#if defined(__GNUC__)
#define GROKINFO_API __attribute__((visibility("default")))
#else
#define GROKINFO_API
#endif

#define GROKINFO_API_VERSION 1 /* bumped when a call or struct changes incompatibly */

typedef enum {
    GROKINFO_OK = 0,
    GROKINFO_E_ARG = 1,      /* a bad argument: an unknown name, a size, a NULL, NaN/Inf in the data */
    GROKINFO_E_ESTIMATE = 2, /* the data are valid but the estimate failed (N <= k, zero distances, a singular covariance) */
    GROKINFO_E_IO = 3        /* a file: missing, unreadable or corrupt */
} grokinfo_code;

#define GROKINFO_ERRLEN 512
typedef struct {
    int code;                   /* a grokinfo_code */
    char msg[GROKINFO_ERRLEN];  /* one line, no newline */
} grokinfo_error;

/* "MAJOR.MINOR.PATCH" of the library. */
GROKINFO_API const char *grokinfo_version(void);
/* GROKINFO_API_VERSION of the library (compare with the header's when loading it at run time). */
GROKINFO_API int grokinfo_api_version(void);
/* The OpenMP threads the estimators use: n >= 1 sets them for the calling thread's later calls,
 * n <= 0 leaves them; returns the number in effect. */
GROKINFO_API int grokinfo_set_threads(int n);

/* ---- estimators -------------------------------------------------------------------------- */

/* What an estimator can do (grokinfo_estimator_caps). */
enum {
    GROKINFO_CAP_ARRAYS = 1 << 0,     /* estimates I(X;Y) from two arrays (grokinfo_mi); "noise" does not */
    GROKINFO_CAP_LABELS = 1 << 1,     /* estimates I(X;Y) for integer labels */
    GROKINFO_CAP_USES_K = 1 << 2,     /* reads k */
    GROKINFO_CAP_TERMS = 1 << 3,      /* gives per-point terms (and so a bootstrap) */
    GROKINFO_CAP_RESCALE = 1 << 4,    /* accepts rescale (whitening) */
    GROKINFO_CAP_WHITENS = 1 << 5,    /* whitens by default (rescale = -1) */
    GROKINFO_CAP_ENTROPY = 1 << 6,    /* has an entropy (grokinfo_entropy) */
    GROKINFO_CAP_STANDARDIZE = 1 << 7 /* accepts standardize (z-scored columns) */
};
/* The estimators, in the table's order: i = 0 .. grokinfo_estimator_count() - 1; NULL outside. */
GROKINFO_API int grokinfo_estimator_count(void);
GROKINFO_API const char *grokinfo_estimator_name(int i);
/* Its GROKINFO_CAP_* bits, or -1 for a name no estimator has. */
GROKINFO_API int grokinfo_estimator_caps(const char *name);

/* Flags: estimates no true mutual information can take (never clipped). Bit i of a flags word is
 * flag i, i = 0 .. grokinfo_flag_count() - 1, named as mi.csv's flags column spells it. */
GROKINFO_API int grokinfo_flag_count(void);
GROKINFO_API const char *grokinfo_flag_name(int i);    /* NULL outside the range */
GROKINFO_API const char *grokinfo_flag_meaning(int i); /* one line, for people */

typedef struct {
    const char *estimator; /* "ksg", "kl", "wkl", "wkl-pooled", "kde", "gauss", "gcmi" (default "ksg") */
    int k;                 /* neighbours, for the estimators that use them (default 5) */
    int rescale;           /* whiten: -1 the estimator's default (as `grokinfo mi`), 0 no, 1 yes */
    int standardize;       /* ksg: z-score every column of X and Y first (default 0) */
    int bias_correct;      /* gcmi: the Gaussian entropies' bias correction (default 0) */
    const char *compress;  /* NULL, or "pca:M", "pca-white:M", "first:M": applied to X (and to a
                              continuous Y) when it has more than M columns, as `grokinfo mi --compress` */
    int bootstrap;         /* 0, or B >= 2 replicates of the per-point terms' mean (percentile 95% interval) */
    uint64_t seed;         /* the bootstrap's draws */
} grokinfo_mi_options;
GROKINFO_API void grokinfo_mi_options_init(grokinfo_mi_options *o);
/* The options alone, before any data (as grokinfo_mi checks them): 0, or GROKINFO_E_ARG. terms:
 * per-point terms will be asked for. */
GROKINFO_API int grokinfo_mi_check(const grokinfo_mi_options *o, int terms, grokinfo_error *err);

typedef struct {
    double mi, stderr_;        /* nats; stderr_: sd of the per-point terms / √N (or the estimator's own) */
    double ci_low, ci_high;    /* the bootstrap interval; NaN without one */
    int n, dx, dy;             /* the sizes the estimator saw (after compression; dy = 1 for labels) */
    int k, rescale;            /* the settings used (k = 0 for an estimator without neighbours) */
    unsigned flags;            /* GROKINFO flag bits (grokinfo_flag_name) */
    double h_y, ceiling;       /* labels: H(Y) of the labels and the estimator's most possible I; else NaN */
    int classes;               /* labels: the number of classes; else 0 */
    double seconds;            /* the estimate's wall time (compression and bootstrap excluded) */
} grokinfo_mi_result;

/* I(X;Y): x is n x dx, y n x dy. terms: NULL, or n doubles to receive the per-point terms (an
 * estimator without GROKINFO_CAP_TERMS is then an error); the mean of the terms is the value. */
GROKINFO_API int grokinfo_mi(const double *x, int n, int dx, const double *y, int dy, const grokinfo_mi_options *o,
                             grokinfo_mi_result *out, double *terms, grokinfo_error *err);
/* I(X;Y) for integer labels y (n of them, any ints: they are only compared). */
GROKINFO_API int grokinfo_mi_labels(const double *x, int n, int dx, const int *labels, const grokinfo_mi_options *o,
                                    grokinfo_mi_result *out, double *terms, grokinfo_error *err);

typedef struct {
    double h, stderr_;  /* nats (differential entropy) */
    int n, d;
    double seconds;
} grokinfo_entropy_result;
/* H(X), x n x d, with an estimator that has GROKINFO_CAP_ENTROPY (o: its estimator, k and
 * rescale; compress applies as in grokinfo_mi; bootstrap, seed and standardize are ignored).
 * terms as in grokinfo_mi. */
GROKINFO_API int grokinfo_entropy(const double *x, int n, int d, const grokinfo_mi_options *o,
                                  grokinfo_entropy_result *out, double *terms, grokinfo_error *err);

/* ---- compression ------------------------------------------------------------------------- */

/* out (n x m) = (x − mean)·V_m, the m leading eigenvectors of the sample covariance, each signed so
 * that its largest |loading| is positive; whiten divides component j by √λ_j. 1 <= m <= d. */
GROKINFO_API int grokinfo_pca(const double *x, int n, int d, int m, int whiten, double *out, grokinfo_error *err);
/* out (n x m) = the first m columns of x. 1 <= m <= d. */
GROKINFO_API int grokinfo_first_coords(const double *x, int n, int d, int m, double *out, grokinfo_error *err);

/* ---- O-information ----------------------------------------------------------------------- */

typedef struct {
    int clusters;       /* K Ward clusters of the neurons; every union of 2..K of them is searched (1..20, default 10) */
    int greedy_max;     /* > 0: also the greedy synergy search up to this many neurons (default 0) */
    int bias_correct;   /* hoi's Gaussian bias correction of every entropy (default 0) */
    const char *ties;   /* how equal values are ranked: "index" (default), "random", "average" */
    uint64_t seed;      /* random ties: the key is (seed, step, layer), as a run's oinfo.csv and `oinfo-npy --seed` */
    int64_t step;
    int layer;          /* >= 1 (default 1) */
} grokinfo_oinfo_options;
GROKINFO_API void grokinfo_oinfo_options_init(grokinfo_oinfo_options *o);

typedef struct {
    double synergy, redundancy;      /* min and max Ω over the cluster unions (nats; NaN with < 2 clusters) */
    int size_synergy, size_redundancy;
    double tc_synergy, dtc_synergy;  /* TC and DTC of the synergy set */
    double tc_redundancy, dtc_redundancy;
    uint32_t clusters_synergy;       /* the clusters in each set: bit c − 1 for cluster c */
    uint32_t clusters_redundancy;
    int n, m, n_live, n_dead;        /* samples, neurons, live and dead (constant) neurons */
    int n_clusters, n_sets, n_singular;
    double greedy_omega;             /* greedy_max > 0: its Ω and size; else NaN and 0 */
    int greedy_size;
    double seconds_copula, seconds_ward, seconds_sets, seconds_greedy, seconds;
} grokinfo_oinfo_result;

/* acts: n samples x m neurons. cluster_of: NULL or m ints, each neuron's cluster 1..n_clusters
 * (0 for a dead one): the synergy set is the neurons whose cluster's bit is in clusters_synergy.
 * greedy_set: NULL or greedy_max ints, the greedy set's neurons (columns of acts). */
GROKINFO_API int grokinfo_oinfo(const double *acts, int n, int m, const grokinfo_oinfo_options *o,
                                grokinfo_oinfo_result *out, int *cluster_of, int *greedy_set, grokinfo_error *err);

/* ---- the information plane --------------------------------------------------------------- */

typedef struct {
    const char *estimator;   /* any row of the table, "noise" included (default "wkl", the seed's) */
    int k;                   /* default 5 */
    int rescale;             /* -1 the estimator's default, 0, 1 */
    const char *compression; /* the layer's: "pca" (default), "first_coords" */
    int dim;                 /* the layer compressed to min(dim, width) dimensions (default 4) */
    int whiten;              /* pca: whitened components (default 1, the seed's) */
    double sigma;            /* > 0: Gaussian noise of this σ is added to the layer before it is compressed
                                (as the seed's network does), drawn from seed; "noise" needs it and
                                takes the layer as the noiseless means (default 0) */
    uint64_t seed;
} grokinfo_plane_options;
GROKINFO_API void grokinfo_plane_options_init(grokinfo_plane_options *o);

typedef struct {
    double ixl, ixl_err;     /* I(X;L) (NaN when it failed: ixl_ok = 0) */
    double ily, ily_err;     /* I(L;Y) */
    int ixl_ok, ily_ok;
    int n, dx, dl;           /* the dimensions the estimator saw */
    unsigned flags;          /* range flags of both (no data-processing flags: one layer) */
    double h_y;
    double seconds;
} grokinfo_plane_point;

/* One point: X's code x_code (n x dx, already compressed, e.g. by grokinfo_pca), the layer's
 * outputs (n x width, same rows), the labels (n, each 0..255, as a run's). The layer is taken in
 * single precision, as a run measures it, before the noise and the compression. With the "noise"
 * estimator the layer is the noiseless means, x_code is not read (dx may be 0) and dx = 0 in the
 * point. A failed estimate is reported in *_ok and in err's message with code GROKINFO_OK; the
 * call fails only on bad arguments. */
GROKINFO_API int grokinfo_plane(const double *x_code, int n, int dx, const double *layer, int width, const int *labels,
                                const grokinfo_plane_options *o, grokinfo_plane_point *out, grokinfo_error *err);

/* ---- run directories --------------------------------------------------------------------- */

/* A CSV with a header line, read into named columns: a column is numeric when every field parses
 * as a number (empty: NaN), else text; every column's fields are also there as text (a column
 * whose fields are all empty, e.g. mi.csv's flags when nothing is flagged, reads as numeric NaN:
 * take it as text when that is what it holds). */
typedef struct grokinfo_table grokinfo_table;
GROKINFO_API int grokinfo_table_read(const char *path, grokinfo_table **out, grokinfo_error *err);
GROKINFO_API void grokinfo_table_free(grokinfo_table *t);
GROKINFO_API int grokinfo_table_rows(const grokinfo_table *t);
GROKINFO_API int grokinfo_table_cols(const grokinfo_table *t);
GROKINFO_API const char *grokinfo_table_name(const grokinfo_table *t, int col); /* NULL outside */
/* A numeric column's n_rows values, or NULL for a text column (or outside). */
GROKINFO_API const double *grokinfo_table_num(const grokinfo_table *t, int col);
/* The field in row as it is written in the file, for any column (NULL outside). */
GROKINFO_API const char *grokinfo_table_text(const grokinfo_table *t, int col, int row);

/* The files of a run directory, by what they hold: i = 0 .. grokinfo_run_file_count() - 1 gives
 * the file name ("metrics.csv", "mi.csv", "oinfo.csv", "summary.json", ...). */
GROKINFO_API int grokinfo_run_file_count(void);
GROKINFO_API const char *grokinfo_run_file_name(int i);
/* 0 when dir is a run directory (it has config.yaml), else GROKINFO_E_IO naming what is missing. */
GROKINFO_API int grokinfo_run_check(const char *dir, grokinfo_error *err);

#ifdef __cplusplus
}
#endif
#endif
