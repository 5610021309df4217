#include "report/table.h"
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static char *dup_str(const char *s, size_t n) {
    char *p = gi_malloc(n + 1);
    memcpy(p, s, n);
    p[n] = '\0';
    return p;
}

/* is name one of the comma-separated list's entries? ("*": every name is) */
static int in_list(const char *list, const char *name) {
    if (list && strcmp(list, TABLE_ALL_TEXT) == 0) return 1;
    size_t n = strlen(name);
    for (const char *p = list; p && *p;) {
        const char *comma = strchr(p, ',');
        size_t len = comma ? (size_t)(comma - p) : strlen(p);
        if (len == n && strncmp(p, name, n) == 0) return 1;
        if (!comma) break;
        p = comma + 1;
    }
    return 0;
}

/* splits line (modified in place) at commas into at most max fields, trimming spaces; returns the count */
static int split(char *line, char **field, int max) {
    int n = 0;
    char *p = line;
    for (;;) {
        char *comma = strchr(p, ',');
        if (comma) *comma = '\0';
        while (*p == ' ' || *p == '\t') p++;
        char *end = p + strlen(p);
        while (end > p && (end[-1] == ' ' || end[-1] == '\t')) *--end = '\0';
        if (n < max) field[n] = p;
        n++;
        if (!comma) return n;
        p = comma + 1;
    }
}

static void grow(table *t, int *cap) {
    *cap = *cap ? 2 * *cap : 256;
    for (int c = 0; c < t->n_cols; c++) {
        if (t->num[c]) t->num[c] = gi_realloc(t->num[c], (size_t)*cap * sizeof(double));
        else t->text[c] = gi_realloc(t->text[c], (size_t)*cap * sizeof(char *));
    }
    t->line = gi_realloc(t->line, (size_t)*cap * sizeof(long));
}

int table_read(const char *path, const char *text_cols, table *t, gi_err *e) {
    *t = (table){0};
    snprintf(t->path, sizeof t->path, "%s", path);
    FILE *f = fopen(path, "r");
    if (!f) return gi_fail(e, "%s: cannot open (%s)", path, strerror(errno));
    char *line = NULL;
    size_t line_cap = 0;
    ssize_t len;
    long lineno = 0;
    int cap = 0, rc = -1;
    char **field = NULL;
    while ((len = getline(&line, &line_cap, f)) >= 0) {
        lineno++;
        while (len > 0 && (line[len - 1] == '\n' || line[len - 1] == '\r')) line[--len] = '\0';
        if (len == 0) continue;
        if (!t->name) {
            int n = 1;
            for (const char *q = line; *q; q++) n += *q == ',';
            field = gi_malloc((size_t)n * sizeof(char *));
            split(line, field, n);
            t->n_cols = n;
            t->name = gi_calloc((size_t)n, sizeof(char *));
            t->num = gi_calloc((size_t)n, sizeof(double *));
            t->text = gi_calloc((size_t)n, sizeof(char **));
            for (int c = 0; c < n; c++) {
                if (!field[c][0]) { gi_fail(e, "%s:%ld: header column %d is empty", path, lineno, c + 1); goto done; }
                for (int d = 0; d < c; d++)
                    if (strcmp(t->name[d], field[c]) == 0) { gi_fail(e, "%s:%ld: column '%s' appears twice in the header", path, lineno, field[c]); goto done; }
                t->name[c] = dup_str(field[c], strlen(field[c]));
                if (in_list(text_cols, field[c])) t->text[c] = gi_malloc(sizeof(char *));
                else t->num[c] = gi_malloc(sizeof(double));
            }
            continue;
        }
        int n = split(line, field, t->n_cols);
        if (n != t->n_cols) { gi_fail(e, "%s:%ld: %d fields, expected %d as in the header", path, lineno, n, t->n_cols); goto done; }
        if (t->n_rows == cap) grow(t, &cap);
        for (int c = 0; c < n; c++) {
            if (t->text[c]) continue;
            double v = NAN;
            if (field[c][0]) {
                char *end;
                v = strtod(field[c], &end);
                if (*end) {
                    gi_fail(e, "%s:%ld: column %d '%s': expected a number, got '%s'", path, lineno, c + 1, t->name[c], field[c]);
                    goto done;
                }
            }
            t->num[c][t->n_rows] = v;
        }
        for (int c = 0; c < n; c++)
            if (t->text[c]) t->text[c][t->n_rows] = dup_str(field[c], strlen(field[c]));
        t->line[t->n_rows] = lineno;
        t->n_rows++;
    }
    if (ferror(f)) { gi_fail(e, "%s: read error", path); goto done; }
    if (!t->name) { gi_fail(e, "%s: empty file, expected a header line", path); goto done; }
    rc = 0;
done:
    free(line);
    free(field);
    fclose(f);
    if (rc) table_free(t);
    return rc;
}

int table_col(const table *t, const char *name) {
    for (int c = 0; c < t->n_cols; c++)
        if (strcmp(t->name[c], name) == 0) return c;
    return -1;
}

static int find(const table *t, const char *name, gi_err *e) {
    int c = table_col(t, name);
    if (c >= 0) return c;
    char cols[300] = "";
    size_t used = 0;
    for (int d = 0; d < t->n_cols && used < sizeof cols - 1; d++)
        used += (size_t)snprintf(cols + used, sizeof cols - used, "%s%s", d ? "," : "", t->name[d]);
    if (used >= sizeof cols - 1) strcpy(cols + sizeof cols - 5, "...");
    gi_fail(e, "%s: no column '%s' (columns: %s)", t->path, name, cols);
    return -1;
}

const double *table_num(const table *t, const char *name, gi_err *e) {
    int c = find(t, name, e);
    if (c < 0) return NULL;
    if (!t->num[c]) { gi_fail(e, "%s: column '%s' holds text, expected numbers", t->path, name); return NULL; }
    return t->num[c];
}

char *const *table_text(const table *t, const char *name, gi_err *e) {
    int c = find(t, name, e);
    if (c < 0) return NULL;
    if (!t->text[c]) { gi_fail(e, "%s: column '%s' was read as numbers, not text", t->path, name); return NULL; }
    return t->text[c];
}

void table_free(table *t) {
    for (int c = 0; c < t->n_cols; c++) {
        free(t->name ? t->name[c] : NULL);
        if (t->num) free(t->num[c]);
        if (t->text && t->text[c]) {
            for (int r = 0; r < t->n_rows; r++) free(t->text[c][r]);
            free(t->text[c]);
        }
    }
    free(t->name); free(t->num); free(t->text); free(t->line);
    *t = (table){0};
}

int table_check_step_layer(const table *t, int i, const double *step, const double *layer, gi_err *e) {
    if (!(layer[i] >= 1 && layer[i] <= 64 && layer[i] == floor(layer[i])))
        return gi_fail(e, "%s:%ld: layer %g, expected an integer 1..64", t->path, t->line[i], layer[i]);
    if (!(step[i] >= 0 && step[i] == floor(step[i])))
        return gi_fail(e, "%s:%ld: step %g, expected an integer >= 0", t->path, t->line[i], step[i]);
    return 0;
}
