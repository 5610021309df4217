/* compare.h — runs side by side (`grokinfo compare`): one row per run with the config keys that
 * differ among the runs ("swept") and the run's summary.json, without timings; the seeds of
 * otherwise equal runs grouped into mean, standard deviation and count; figures across runs
 * (report/plot_compare.c).
 *
 * Swept keys come from the resolved configs (config.yaml read over the defaults), compared
 * option by option as text; the names and bookkeeping keys that cannot change a result are
 * left out: custom_run_name, project_name, download_directory, train.threads, mi...n_jobs.
 * Summary columns: status, memorisation_step, grokking_step, final_step, final_train_acc,
 * final_eval_acc, final_train_loss, final_eval_loss, then when some run has them
 * oinfo_lL_synergy_peak_step, oinfo_lL_redundancy_peak_step (summary.json "oinfo") and
 * phase_eval_lL_fitting_start, phase_eval_lL_compression_start (the first segment of that phase
 * in the eval subset's curve of layer L, summary.json "phases"). A null or absent value is an
 * empty cell. */
#ifndef GI_COMPARE_H
#define GI_COMPARE_H
#include <stdio.h>
#include "util/config.h"
#include "util/err.h"
#include "util/json.h"

typedef struct {
    char dir[1024], name[256];  /* the run directory and its last component */
    gi_config cfg;
    json_doc summary;           /* empty when the run has no summary.json yet */
    int has_summary;
} compare_run;

/* A table of text cells: column 0 is the run (or group) name, columns 1..n_keys the swept keys,
 * the rest measures; numeric[c] says whether column c's cells are numbers ("" is missing). */
typedef struct {
    int n_rows, n_cols, n_keys;
    char **col;
    int *numeric;
    char ***cell;               /* cell[row][col] */
} compare_table;

/* Each DIR is a run directory (has config.yaml) or a folder whose subfolders are (one level,
 * in name order). *sweep_folder says whether dirs[0] was such a folder. Errors: a DIR that is
 * neither ("DIR: no run directories (a run directory has config.yaml and summary.json)"), an
 * unreadable config.yaml or summary.json. */
int compare_load(char *const *dirs, int n_dirs, compare_run **runs, int *n_runs, int *sweep_folder, gi_err *e);
void compare_runs_free(compare_run *runs, int n_runs);

/* The comparison table, row r = runs[r]. */
void compare_build(const compare_run *runs, int n_runs, compare_table *t);
/* Groups the rows that share every swept key but "seed": columns are those keys, n, then
 * X_mean, X_std, X_n for each numeric measure X (std: the sample standard deviation, empty
 * below two values). Returns the number of groups, 0 (and an empty g) when seed is not swept
 * or no group has two runs. */
int compare_seed_groups(const compare_table *t, compare_table *g);
/* mean, sample standard deviation and count of the finite values of x; NaN when undefined */
void compare_mean_std(const double *x, int n, double *mean, double *std, int *count);

int compare_col(const compare_table *t, const char *name);
/* A cell as a number, NaN when empty or not numeric. */
double compare_num(const compare_table *t, int row, int col);
/* CSV (commas inside a value, as in a list, become ';'), written atomically. */
int compare_write_csv(const char *path, const compare_table *t, gi_err *e);
/* The table with aligned columns. */
void compare_print(FILE *f, const compare_table *t);
/* The seed groups compactly: keys, n, and "mean ± std (n)" per measure. */
void compare_print_groups(FILE *f, const compare_table *g);
void compare_table_free(compare_table *t);

/* Figures into out_dir/figures (PNG and PDF): grok_vs_alpha, eval_acc_heatmap, infoplane_overlay.
 * runs_sel: comma-separated run names for the overlay, NULL for every run with mi.csv (at most 8).
 * A figure whose axes do not vary is skipped with a note (notes[i], up to 8). Returns the number
 * of figures drawn, or -1. */
#define COMPARE_MAX_NOTES 8
typedef struct { int n; char msg[COMPARE_MAX_NOTES][256]; } compare_notes;
int plot_compare(const char *out_dir, const compare_run *runs, int n_runs, const compare_table *t, const char *runs_sel,
                 compare_notes *notes, gi_err *e);
#endif
