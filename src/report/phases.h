/* phases.h — phases of training in the information plane (I(X;L), I(L;Y)) of one layer.
 *
 * The seed's phases (Butakov et al.; Pqlet/Grokking-InformationPlane), named as the seed does:
 *   overfitting         both I(X;L) and I(L;Y) fall,
 *   error_minimisation  both rise,
 *   compression         I(X;L) falls while I(L;Y) holds (or rises).
 *
 * The rule, on one curve pair with a standard error per point (phase_params holds every constant;
 * the configuration's phases.* keys set them):
 *  1. Axis. x = log10(step); evaluations before min_step (30) are left out (the seed's schedule
 *     evaluates every step up to 29 and then every 1000: 1.5 empty decades, a regime of its own),
 *     and so are flagged points (missing values).
 *  2. Fit. Both curves are fitted by continuous piecewise-linear functions of x with shared
 *     knots, weighted by 1/SE^2. Knots are added at evaluations (forward selection) while one
 *     lowers the chi^2 of the two curves by more than penalty × ln n (penalty 1), each then moved
 *     to its best place off the grid, and removed (backward) while one costs less than that. Every
 *     segment spans at least min_decades (0.15) decade and holds at least min_points (3)
 *     evaluations. n is a few hundred at most: every fit is an O(n) tridiagonal solve.
 *  3. Moves, with hysteresis. Per curve, the fitted values at the knots are walked as a zigzag:
 *     a move starts only once the curve has risen (fallen) from its last turning value by more
 *     than max(min_change (0.1 nats), z (3) × sqrt(SE_a^2 + SE_b^2)), SE_a and SE_b the standard
 *     errors at the two ends, and ends only when it has come back by as much. The errors of the
 *     ends, not the fit's: real errors along a curve are autocorrelated, and the end points'
 *     errors bound a difference whatever the correlation. A move then loses, at either end, the
 *     knots still within max(min_change, z_flat (2) combined SE) of its turning value, while what
 *     remains is still a move: a plateau next to a move is flat, not part of it.
 *  4. The fit the reading asserts. A segment a curve reads as flat is held flat in that curve's
 *     fit unless that raises its chi^2 (knots held) by more than penalty × ln n / 3. Then, judged
 *     by chi^2 plus penalty × ln n / 3 per free parameter (a knot's place and its value in each
 *     curve, less one value per segment held flat — a knot free in both curves costs penalty ×
 *     ln n, as in step 2): knots between two segments read alike go while that lowers the score,
 *     and each V or peak (a curve turning straight from a move into the opposite one at one knot)
 *     is replaced by a plateau between two knots, flat in the curves that turn there, when one
 *     scores better — its ends searched every 0.01 decade on either side of that knot, with or
 *     without the knots beside it inside the same moves; until neither changes anything (at most
 *     4 rounds). Last, every knot moves to its best place under the flat segments; the phases'
 *     boundaries are these knots.
 *  5. Phases. The pair of directions of each segment names its phase (table above); neighbouring
 *     segments of one phase join. A phase runs between two knots (steps that need not be
 *     evaluated ones), or from the first or to the last evaluation.
 * The standard errors are the redraws' (the mean of R+1 noise draws, SE = sd / sqrt(R+1)) when the
 * file has them, else the estimator's own (ixl_err, ily_err), which include the sampling of the
 * data points — common to every checkpoint — and so make the rule conservative; either is floored
 * at min_change / z (a saturated estimate's error of 0 would otherwise weigh infinitely). */
#ifndef GI_PHASES_H
#define GI_PHASES_H
#include <stdint.h>
#include <stdio.h>
#include "report/milestones.h"
#include "util/config.h"
#include "util/err.h"

typedef enum { PHASE_NONE = 0, PHASE_OVERFITTING, PHASE_ERROR_MINIMISATION, PHASE_COMPRESSION, PHASE_KINDS } phase_kind;
/* "overfitting", "error_minimisation", "compression" ("none" for PHASE_NONE) */
const char *phase_name(phase_kind k);
/* A letter for figures: O, E, C. */
char phase_letter(phase_kind k);

typedef struct {
    int64_t min_step;        /* evaluations before this step are left out */
    double min_decades;      /* shortest segment, in log10(step) */
    int min_points;          /* fewest evaluations in a segment */
    double penalty;          /* per segment: penalty × ln n added to the chi^2 */
    double z, min_change;    /* a move: change > max(min_change, z × combined SE) */
    double z_flat;           /* a move's ends within z_flat × combined SE of its turning values are flat */
} phase_params;
phase_params phase_defaults(void);
/* The constants from the configuration (phases.*). */
phase_params phase_params_of(const gi_config *c);

typedef struct {
    phase_kind kind;
    int i0, i1;              /* first and last evaluation index (into the arrays given) */
    int64_t start, end;      /* their steps */
    double dixl, dily;       /* net changes over the phase (nats) */
} phase_segment;

/* Phases of one curve pair on n evaluation points (step increasing), se_* the points' standard
 * errors (>= 0; floored, see above). Writes at most max_seg segments in step order and returns how
 * many there are (which may exceed max_seg), or -1 (steps not increasing, a standard error negative
 * or not finite, a value not finite). Fewer than min_points evaluations at or after min_step: no phases (0). */
int phases_detect(const int64_t *step, const double *ixl, const double *se_ixl, const double *ily, const double *se_ily,
                  int n, const phase_params *p, phase_segment *seg, int max_seg, gi_err *e);


typedef struct {
    char subset[8];          /* "eval" or "train" */
    int layer;               /* 1..L */
    int n;
    int64_t *step;
    double *ixl, *ily;       /* nats: the redraws' means when the file has them, else the estimates */
    double *se_ixl, *se_ily; /* their standard errors (see the rule) */
    unsigned char *flagged;  /* the row's flags column is not empty (an impossible value): drawn
                                hollow, and missing to the phase rule */
    int n_flagged;
    int n_early;             /* unflagged points before min_step, left out */
    int from_redraws;        /* the standard errors come from noise redraws */
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

/* Reads mi_path (NULL: RUN_DIR/mi.csv; columns step,subset,layer,ixl,ixl_err,ily,ily_err at least,
 * and the redraws' ixl_mean,ixl_sd,ily_mean,ily_sd,redraws where they are not empty); the
 * milestones are the run's (report/milestones.h), kept to place the phases. estimator NULL takes
 * the estimator of the file's first row; rows of other estimators are ignored. Rows whose ixl or
 * ily is not finite are skipped; rows with flags (a "flags" column, measure/flags.h) are kept
 * in the curve, marked, and left out of the phase rule, and so are the rows the caller marks in
 * missing (NULL: none; one entry per data row of mi_path in the file's order, as table_read reads
 * it: the study's points outside their estimator's regime). */
int phases_from_run(const char *run_dir, const char *mi_path, const char *estimator, const milestones *ms,
                    const phase_params *p, const unsigned char *missing, phase_report *r, gi_err *e);
/* A few lines: the milestones, then one line per curve with its segments. */
void phases_print(FILE *f, const phase_report *r);
/* A JSON object (no trailing newline) to embed as the value of "phases" in summary.json;
 * indent is the number of spaces of the line holding the key. */
void phases_write_json(FILE *f, const phase_report *r, int indent);
void phases_free(phase_report *r);
#endif
