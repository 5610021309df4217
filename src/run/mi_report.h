/* mi_report.h — the end of a finished run for a file in mi.csv's format (mi.csv, mi_check.csv,
 * mi_noise.csv): its flags counted per subset, layer and kind, from the file itself so that a
 * resumed run counts the rows of every process, and its phases; printed, and written into
 * summary.json at the top or under a key. */
#ifndef GI_MI_REPORT_H
#define GI_MI_REPORT_H
#include <stdio.h>
#include "measure/flags.h"
#include "report/milestones.h"
#include "report/phases.h"
#include "train/trainer.h"
#include "util/atomic_file.h"

typedef struct {
    char path[GI_PATH];
    char estimator[32];
    int rows, flagged_rows, n_layers;
    int count[2][MLP_MAX_LAYERS][MI_FLAG_COUNT]; /* [train, eval][layer][flag] */
    int have_flags, have_phases;
    phase_report phases;
} mi_report;

/* Reads RUN_DIR/file; its phases by the rule's constants pp (NULL: the defaults); a failure is
 * one line (the run keeps its results). */
int mi_report_read(mi_report *r, const char *run_dir, const char *file, const char *estimator, const milestones *ms,
                   const phase_params *pp, gi_err *e);
/* "flags (PATH, est): N of M rows; kind n, ...", then the phases */
void mi_report_print(const mi_report *r, FILE *f);
/* "flags" and "phases" at the top of summary.json (key NULL), or under "key": {...} */
void mi_report_json(const mi_report *r, const char *key, FILE *f);
void mi_report_free(mi_report *r);
#endif
