/* api_table.c — a run directory's CSV files as named columns, and the names of a run's files
 * (include/grokinfo.h). A column is numeric when every field parses as a number (empty: NaN). */
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include "api/api.h"
#include "report/table.h"
#include "util/run_layout.h"

struct grokinfo_table {
    table t;        /* every column read as text */
    double **num;   /* num[c]: the column's numbers, or NULL when it holds text */
};

/* the field as a number: 1 and *v, or 0 for text ("" is NaN) */
static int as_number(const char *s, double *v) {
    if (!*s) { *v = NAN; return 1; }
    char *end;
    *v = strtod(s, &end);
    return *end == '\0';
}

int grokinfo_table_read(const char *path, grokinfo_table **out, grokinfo_error *err) {
    if (!out) return api_failf(err, GROKINFO_E_ARG, "table: NULL output");
    *out = NULL;
    if (!path) return api_failf(err, GROKINFO_E_ARG, "table: NULL path");
    grokinfo_table *g = gi_calloc(1, sizeof *g);
    gi_err e;
    if (table_read(path, TABLE_ALL_TEXT, &g->t, &e)) { free(g); return api_fail(err, GROKINFO_E_IO, &e); }
    g->num = gi_calloc((size_t)g->t.n_cols + 1, sizeof(double *));
    for (int c = 0; c < g->t.n_cols; c++) {
        double *v = gi_malloc(((size_t)g->t.n_rows + 1) * sizeof(double));
        int numeric = 1;
        for (int r = 0; r < g->t.n_rows && numeric; r++) numeric = as_number(g->t.text[c][r], &v[r]);
        if (numeric) g->num[c] = v;
        else free(v);
    }
    *out = g;
    return api_ok(err);
}

void grokinfo_table_free(grokinfo_table *g) {
    if (!g) return;
    for (int c = 0; c < g->t.n_cols; c++) free(g->num[c]);
    free(g->num);
    table_free(&g->t);
    free(g);
}

int grokinfo_table_rows(const grokinfo_table *g) { return g ? g->t.n_rows : 0; }
int grokinfo_table_cols(const grokinfo_table *g) { return g ? g->t.n_cols : 0; }

const char *grokinfo_table_name(const grokinfo_table *g, int c) {
    return g && c >= 0 && c < g->t.n_cols ? g->t.name[c] : NULL;
}

const double *grokinfo_table_num(const grokinfo_table *g, int c) {
    return g && c >= 0 && c < g->t.n_cols ? g->num[c] : NULL;
}

const char *grokinfo_table_text(const grokinfo_table *g, int c, int row) {
    if (!g || c < 0 || c >= g->t.n_cols || row < 0 || row >= g->t.n_rows) return NULL;
    return g->t.text[c][row];
}

/* a run directory's files that grokinfo_table_read and a JSON reader take, in the order a
 * reader lists them (run_layout.h names them) */
static const char *const run_files[] = {
    RUN_METRICS, RUN_MI, RUN_MI_CHECK, RUN_MI_NOISE, RUN_MI_REDRAWS, RUN_MI_CHECK_REDRAWS, RUN_OINFO, RUN_OINFO_TIES,
    RUN_SUMMARY, RUN_CONFIG,
};
#define N_RUN_FILES ((int)(sizeof run_files / sizeof run_files[0]))

int grokinfo_run_file_count(void) { return N_RUN_FILES; }
const char *grokinfo_run_file_name(int i) { return i >= 0 && i < N_RUN_FILES ? run_files[i] : NULL; }

int grokinfo_run_check(const char *dir, grokinfo_error *err) {
    if (!dir) return api_failf(err, GROKINFO_E_ARG, "run: NULL directory");
    struct stat st;
    if (stat(dir, &st) != 0) return api_failf(err, GROKINFO_E_IO, "%s: cannot open (%s)", dir, strerror(errno));
    if (!S_ISDIR(st.st_mode)) return api_failf(err, GROKINFO_E_IO, "%s: not a directory", dir);
    char path[4096];
    if (snprintf(path, sizeof path, "%s/%s", dir, RUN_CONFIG) >= (int)sizeof path)
        return api_failf(err, GROKINFO_E_ARG, "%s: path too long", dir);
    if (stat(path, &st) != 0)
        return api_failf(err, GROKINFO_E_IO, "%s: not a run directory (no %s: %s)", dir, RUN_CONFIG, strerror(errno));
    return api_ok(err);
}
