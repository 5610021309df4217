/* measurement.h — a per-evaluation measurement of a training run, as the run sees it: its file in
 * the run directory and that file's header, when it is due, its rows, its share of the timing,
 * what it adds at the end of a finished run (a printout, keys of summary.json, figures) and the
 * name `grokinfo infoplane|oinfo` gives a re-measurement. The training loop (run/run.c) and the
 * re-measuring of a run's checkpoints (run/remeasure.c) know measurements only through this.
 *
 * Today: the information plane (mi.csv, run/plane.c) and the O-information (oinfo.csv,
 * run/oinfo_run.c). Adding one is a new file that defines a `measurement_type` and one row in
 * run/measurements.c; resuming (the rows below the checkpoint's step read back), the atomic
 * rewrite at every evaluation and the summary's layout come with it. */
#ifndef GI_MEASUREMENT_H
#define GI_MEASUREMENT_H
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include "report/milestones.h"
#include "report/phases.h"
#include "report/summary.h"
#include "train/trainer.h"
#include "util/err.h"

/* What a measurement is given when it is set up. */
typedef struct {
    const char *data_dir;  /* the embedded digits' folder (the autoencoder cache sits beside it) */
    int progress;          /* say what set-up did (through log) */
    const gi_sink *log;    /* warnings and notes */
} measurement_env;

/* The end of a finished run, shared by its measurements in table order. */
typedef struct {
    const char *run_dir;
    milestones ms;                /* the run's, by report/milestones.h's rule */
    phase_params rule;            /* the phase rule's constants (phases.*) */
    int draw;                     /* figures wanted (plot.enabled) and gnuplot found */
    const phase_report *phases;   /* set by the information plane: the run's figures draw them */
    const phase_report *behind;   /* set by its cross-check: drawn in grey behind them */
    const gi_sink *log;
} measurement_end;

typedef struct {
    const char *name;   /* "mi", "oinfo": in messages */
    const char *file;   /* in the run directory: RUN_MI, RUN_OINFO */
    int (*enabled)(const gi_config *c);
    /* Its state, set up on the trainer (which it may ask to capture layer outputs); NULL on error. */
    void *(*create)(trainer *t, const measurement_env *env, gi_err *e);
    void (*destroy)(void *m, trainer *t);
    const char *(*header)(const void *m);   /* the file's first line, with its '\n' */
    /* Whether the run's eval-th evaluation (0 = its first) is measured; NULL: every one. A
     * re-measurement from checkpoints measures every checkpoint. */
    int (*due)(const void *m, int64_t eval);
    /* Optional: the header of a second file beside the first, in long format (the information
     * plane's values per noise draw, mi.noise_redraws), or NULL when this configuration writes
     * none. Its name is the first file's through run_redraws_path (mi.csv -> mi_redraws.csv); the
     * run rewrites it, trims it on a resume and re-measures it as it does the first. */
    const char *(*redraws_header)(const void *m);
    /* After trainer_evaluate(t): this evaluation's rows, and those of the second file into
     * redraws (NULL when there is none). The trainer's training state must not change (a
     * measurement may run forward passes of its own, as the noise model and the redraws do). */
    int (*rows)(void *m, trainer *t, FILE *csv, FILE *redraws, gi_err *e);
    void (*add_timing)(const void *m, run_timing *tm);
    /* A finished run, with its file complete: read back what the end reports (optional; a
     * failure is a warning, and the results stay). */
    int (*finish)(void *m, measurement_end *end, gi_err *e);
    void (*print)(const void *m, FILE *f);           /* after the run's one-line summary (optional) */
    void (*summary_json)(const void *m, FILE *f);    /* `  "key": value,` lines of summary.json (optional) */
    /* The base of a re-measurement's file name ("mi-ksg" for mi-ksg.csv, mi-ksg-2.csv, ...). */
    void (*remeasure_base)(const void *m, char *out, size_t n);
} measurement_type;

/* Every measurement a run can have (run/measurements.c), in the order they measure, finish and
 * write their keys into summary.json. */
extern const measurement_type *const run_measurements[];
extern const int run_n_measurements;
/* The one named `name`, or NULL. */
const measurement_type *measurement_find(const char *name);
#endif
