/* run_csv.c — a run's CSV outputs in memory, and reading them back for a resume. */
#include "run/run_csv.h"
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void csv_append(csv_text *c, const char *s, size_t n) {
    c->text = gi_realloc(c->text, c->len + n + 1);
    memcpy(c->text + c->len, s, n);
    c->len += n;
    c->text[c->len] = '\0';
}

int csv_load_metrics(csv_text *c, const char *path, const char *header, int64_t keep_below,
                     acc_history *h, double *seconds_offset, gi_err *e) {
    FILE *f = fopen(path, "r");
    if (!f) return gi_fail(e, "%s: cannot open (%s)", path, strerror(errno));
    char *line = NULL;
    size_t cap = 0;
    ssize_t len = getline(&line, &cap, f);
    if (len <= 0 || strcmp(line, header) != 0) {
        free(line); fclose(f);
        return gi_fail(e, "%s: header does not match this run's columns", path);
    }
    csv_append(c, line, (size_t)len);
    while ((len = getline(&line, &cap, f)) > 0) {
        if (line[len - 1] != '\n') break; /* a line cut by a kill */
        long long step;
        double tl, ta, el, ea;
        if (sscanf(line, "%lld,%lf,%lf,%lf,%lf", &step, &tl, &ta, &el, &ea) != 5) break;
        if (step >= keep_below) break;
        csv_append(c, line, (size_t)len);
        history_push(h, step, ta, ea, tl, el);
        const char *last = strrchr(line, ',');
        if (last) *seconds_offset = atof(last + 1);
    }
    free(line);
    fclose(f);
    return 0;
}

int csv_load_rows_below(csv_text *c, const char *path, const char *header, int64_t keep_below, gi_err *e) {
    FILE *f = fopen(path, "r");
    csv_append(c, header, strlen(header));
    if (!f) return 0;
    char *line = NULL;
    size_t cap = 0;
    ssize_t len = getline(&line, &cap, f);
    if (len > 0 && strcmp(line, header) != 0) {
        free(line); fclose(f);
        return gi_fail(e, "%s: header does not match this run's columns", path);
    }
    while ((len = getline(&line, &cap, f)) > 0) {
        if (line[len - 1] != '\n') break;
        char *end;
        long long step = strtoll(line, &end, 10);
        if (end == line || *end != ',' || step >= keep_below) break;
        csv_append(c, line, (size_t)len);
    }
    free(line);
    fclose(f);
    return 0;
}
