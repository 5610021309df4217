/* phases.h — phases of training in the information plane (I(X;L), I(L;Y)) of one layer.
 *
 * The seed's reading (Butakov/Pqlet, Grokking-InformationPlane), at each evaluation point:
 *   memorisation  both I(X;L) and I(L;Y) falling (overfitting),
 *   fitting       both rising (empirical error minimisation),
 *   compression   I(X;L) falling while I(L;Y) holds or rises.
 *
 * The rule. Each curve is smoothed with Savitzky–Golay (window 9, order 2) over the evaluation
 * INDEX, not over the step or log step: the default grid (steps 0..29, then every 1000) is as
 * uneven in log step as in step (1.5 decades between 29 and 1000, 0.004 decades between the last
 * two points), so no fixed window in either holds a steady number of points, while the index
 * window always holds 9. A curve rises or falls where its smoothed derivative per evaluation
 * point exceeds a tolerance: the larger of rel_tol (0.002) × the smoothed curve's range and
 * z (3) × the derivative's noise at that point, sigma × |derivative weights| (larger within
 * window/2 of the ends, where the fit extrapolates), sigma estimated from the residuals about the
 * smooth curve (1.4826 × their median absolute deviation). The sign of a derivative does not depend on
 * the x used, so the index only shapes the smoothing. Runs of one label shorter than min_len (3)
 * evaluation points between two runs of the same phase join them; other runs shorter than
 * min_len are dropped. A segment runs from its first to its last labelled evaluation step. */
#ifndef GI_PHASES_H
#define GI_PHASES_H
#include <stdint.h>
#include <stdio.h>
#include "report/milestones.h"
#include "util/err.h"

typedef enum { PHASE_NONE = 0, PHASE_MEMORISATION, PHASE_FITTING, PHASE_COMPRESSION } phase_kind;
const char *phase_name(phase_kind k);

typedef struct { int window, order, min_len; double rel_tol, z; } phase_params;
phase_params phase_defaults(void);

typedef struct {
    phase_kind kind;
    int i0, i1;              /* first and last evaluation index */
    int64_t start, end;      /* their steps */
} phase_segment;

/* Phases of one curve pair on n evaluation points (step increasing). Writes at most max_seg
 * segments in step order and returns how many there are (which may exceed max_seg), or -1.
 * Fewer points than the window: the window shrinks to the largest odd n; with n <= order + 1
 * there are no phases (0). */
int phases_detect(const int64_t *step, const double *ixl, const double *ily, int n, const phase_params *p,
                  phase_segment *seg, int max_seg, gi_err *e);


typedef struct {
    char subset[8];          /* "eval" or "train" */
    int layer;               /* 1..L */
    int n;
    int64_t *step;
    double *ixl, *ily;       /* nats */
    unsigned char *flagged;  /* the row's flags column is not empty (an impossible value): drawn
                                hollow, and missing to the phase rule */
    int n_flagged;
    int n_seg;
    phase_segment *seg;
} phase_curve;

typedef struct {
    char mi_path[1024], estimator[32];
    int64_t memorisation_step, grokking_step;  /* -1: never reached */
    phase_params params;
    int n_layers, n_curves;
    phase_curve *curve;      /* eval layers 1..L, then train layers 1..L (a subset may be absent) */
} phase_report;

/* Reads mi_path (NULL: RUN_DIR/mi.csv; columns step,subset,layer,ixl,ily,estimator at least); the
 * milestones are the run's (report/milestones.h), kept to place the phases. estimator NULL takes
 * the estimator of the file's first row; rows of other estimators are ignored. Rows whose ixl or
 * ily is not finite are skipped; rows with flags (a "flags" column, measure/flags.h) are kept
 * in the curve, marked, and left out of the phase rule. */
int phases_from_run(const char *run_dir, const char *mi_path, const char *estimator, const milestones *ms,
                    const phase_params *p, phase_report *r, gi_err *e);
/* A few lines: the milestones, then one line per curve with its segments. */
void phases_print(FILE *f, const phase_report *r);
/* A JSON object (no trailing newline) to embed as the value of "phases" in summary.json;
 * indent is the number of spaces of the line holding the key. */
void phases_write_json(FILE *f, const phase_report *r, int indent);
void phases_free(phase_report *r);
#endif
