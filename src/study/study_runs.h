/* study_runs.h — a study's runs read back, the input of study_analyse.c (not part of the study's
 * API): each finished run's configuration, milestones, metrics, its MI files (curves, every
 * point's validity by flags and by the ground-truth regime, the phases by the run's own rule) and
 * its O-information reports. The validity rules are study.h's. */
#ifndef GI_STUDY_RUNS_H
#define GI_STUDY_RUNS_H
#include <stdint.h>
#include "report/milestones.h"
#include "report/oinfo_report.h"
#include "report/phases.h"
#include "report/table.h"
#include "study/study.h"
#include "util/atomic_file.h"
#include "util/config.h"
#include "util/err.h"

/* The MI files of a group's runs, in the order their estimators are numbered: the run's own three
 * (mi.csv, mi_check.csv, mi_noise.csv), then the re-measurements (`grokinfo infoplane RUN
 * mi.estimator=...`: mi-<estimator>.csv, their _redraws.csv files aside) that any run of the group
 * has, by name. */
#define MAX_MI_FILES STUDY_MAX_ESTIMATORS
typedef struct { int n; char name[MAX_MI_FILES][64]; } mi_file_list;

typedef struct {
    char subset[8];
    int layer, n, n_valid;
    int n_regime_out;                /* points unflagged and finite but outside the estimator's regime */
    int64_t *step;
    double *ixl, *ily;               /* ixl_mean / ily_mean where given, else ixl / ily */
    unsigned char *valid;
    int n_seg;
    phase_segment *seg;
} mi_curve;

typedef struct {
    int present;
    char estimator[32];
    int n_curves;
    mi_curve *curve;                 /* eval layers, then train layers, as phases_from_run */
} mi_file;

typedef struct { char name[64]; oinfo_report rep; } oinfo_file;

typedef struct {
    char dir[GI_PATH];
    long long seed;
    int finished;
    gi_config cfg;
    milestones ms;
    int64_t grokking;                /* summary.json's, -1: never */
    table metrics;
    mi_file mi[MAX_MI_FILES];        /* by the group's mi_file_list */
    int n_oinfo;
    oinfo_file *oinfo;
} study_run;

/* The subsets in curve order: "eval", "train". */
extern const char *const study_subset_order[2];

/* The group's MI files (above); more than MAX_MI_FILES is an error naming the run. */
int study_mi_files(const study_spec *s, const study_group *grp, const char *out_dir, mi_file_list *files, gi_err *e);
/* A run: finished (summary.json says so) and read, or left out with a note on log (r->finished =
 * 0). Its summary.json's timing_seconds are added to res's sums. */
int study_read_run(const study_spec *s, int point, const char *out_dir, const mi_file_list *files,
                   const gi_sink *log, study_result *res, study_run *r, gi_err *e);
void study_run_free(study_run *r);
/* A run's O-information files in order: oinfo.csv 1, oinfo_ties.csv 2, oinfo-N.csv N + 1; 0 for
 * any other name. */
int study_oinfo_number(const char *name);
#endif
