/* table.h — a CSV with a header line, read into named columns.
 * Numeric columns are doubles (an empty field is NaN); the columns named in text_cols (a
 * comma-separated list, e.g. "subset,estimator") are kept as strings. Comma separated, CRLF
 * accepted, blank lines skipped, no quoting. Errors name the file, line and column. */
#ifndef GI_TABLE_H
#define GI_TABLE_H
#include "util/err.h"

#define TABLE_ALL_TEXT "*"

typedef struct {
    char path[512];
    int n_cols, n_rows;
    char **name;     /* n_cols header names */
    double **num;    /* num[c][row], NULL for a text column */
    char ***text;    /* text[c][row], NULL for a numeric column */
    long *line;      /* line[row]: the row's line number in the file, for messages */
} table;

/* text_cols may be NULL (every column numeric) or TABLE_ALL_TEXT (every column text). A text column absent from the file is not an
 * error: asking for it with table_text is. */
int table_read(const char *path, const char *text_cols, table *t, gi_err *e);
/* Column index, or -1. */
int table_col(const table *t, const char *name);
/* The column's values, or NULL after "PATH: no column 'name' (columns: ...)". */
const double *table_num(const table *t, const char *name, gi_err *e);
char *const *table_text(const table *t, const char *name, gi_err *e);
void table_free(table *t);
/* Row i of a per-layer measurement file (mi.csv, oinfo.csv): its step an integer >= 0 and its
 * layer an integer 1..64, or an error naming the file and line. */
int table_check_step_layer(const table *t, int i, const double *step, const double *layer, gi_err *e);
#endif
