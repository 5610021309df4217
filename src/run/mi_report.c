/* mi_report.c — a finished run's mi.csv-format file, counted and read for its phases. */
#include "run/mi_report.h"
#include <string.h>
#include "report/table.h"
#include "util/json.h"
#include "util/run_layout.h"

/* Counted from the file itself, so that a resumed run counts the rows of every process. */
static int count_flags(mi_report *r, gi_err *e) {
    table t;
    if (table_read(r->path, RUN_MI_TEXT_COLUMNS, &t, e)) return -1;
    const double *layer = table_num(&t, "layer", e);
    char *const *subset = layer ? table_text(&t, "subset", e) : NULL, *const *flags = subset ? table_text(&t, "flags", e) : NULL;
    for (int i = 0; flags && i < t.n_rows; i++) {
        int s = strcmp(subset[i], "eval") == 0, l = (int)layer[i];
        if (l < 1 || l > MLP_MAX_LAYERS) continue;
        unsigned f = mi_flags_parse(flags[i]);
        r->rows++;
        r->flagged_rows += f != 0;
        if (l > r->n_layers) r->n_layers = l;
        for (int k = 0; k < MI_FLAG_COUNT; k++) r->count[s][l - 1][k] += (f & MI_FLAG_BIT(k)) != 0;
    }
    table_free(&t);
    return flags ? 0 : -1;
}

int mi_report_read(mi_report *r, const char *run_dir, const char *file, const char *estimator, const milestones *ms,
                   const phase_params *pp, gi_err *e) {
    memset(r, 0, sizeof *r);
    snprintf(r->estimator, sizeof r->estimator, "%s", estimator);
    gi_err why;
    if (path_join(r->path, sizeof r->path, run_dir, file, e)) return -1;
    if (count_flags(r, &why)) return gi_fail(e, "%s: flags not counted: %s", file, why.msg);
    r->have_flags = 1;
    if (phases_from_run(run_dir, r->path, NULL, ms, pp, NULL, &r->phases, &why)) return gi_fail(e, "phases not found: %s", why.msg);
    r->have_phases = 1;
    return 0;
}

void mi_report_print(const mi_report *r, FILE *f) {
    if (r->have_flags) {
        fprintf(f, "flags (%s, %s): %d of %d rows", r->path, r->estimator, r->flagged_rows, r->rows);
        const char *sep = "; ";
        for (int k = 0; k < MI_FLAG_COUNT; k++) {
            int total = 0;
            for (int s = 0; s < 2; s++)
                for (int l = 0; l < r->n_layers; l++) total += r->count[s][l][k];
            if (total) fprintf(f, "%s%s %d", sep, mi_flag_get(k)->name, total), sep = ", ";
        }
        fputc('\n', f);
    }
    if (r->have_phases) phases_print(f, &r->phases);
}

/* "flags": {"file": ..., "estimator": ..., "rows": N, "flagged_rows": N,
 *           "train": {"1": {"ily_negative": 0, ...}, ...}, "eval": {...}}, its key at column a */
static void flags_json(FILE *f, const mi_report *r, int a) {
    fprintf(f, "%*s\"flags\": {\n%*s\"file\": ", a, "", a + 2, "");
    json_write_string(f, r->path);
    fprintf(f, ",\n%*s\"estimator\": \"%s\",\n%*s\"rows\": %d,\n%*s\"flagged_rows\": %d", a + 2, "", r->estimator, a + 2, "",
            r->rows, a + 2, "", r->flagged_rows);
    for (int s = 0; s < 2; s++) {
        fprintf(f, ",\n%*s\"%s\": {", a + 2, "", subset_name[s]);
        for (int l = 0; l < r->n_layers; l++) {
            fprintf(f, "%s\n%*s\"%d\": {", l ? "," : "", a + 4, "", l + 1);
            for (int k = 0; k < MI_FLAG_COUNT; k++)
                fprintf(f, "%s\"%s\": %d", k ? ", " : "", mi_flag_get(k)->name, r->count[s][l][k]);
            fputc('}', f);
        }
        fprintf(f, "\n%*s}", a + 2, "");
    }
    fprintf(f, "\n%*s}", a, "");
}

void mi_report_json(const mi_report *r, const char *key, FILE *f) {
    if (!r->have_flags && !r->have_phases) return;
    int a = key ? 4 : 2;
    if (key) fprintf(f, "  \"%s\": {\n", key);
    if (r->have_flags) {
        flags_json(f, r, a);
        fprintf(f, "%s\n", r->have_phases || !key ? "," : "");
    }
    if (r->have_phases) {
        fprintf(f, "%*s\"phases\": ", a, "");
        phases_write_json(f, &r->phases, a);
        fprintf(f, "%s\n", key ? "" : ",");
    }
    if (key) fprintf(f, "  },\n");
}

void mi_report_free(mi_report *r) {
    if (r->have_phases) phases_free(&r->phases);
    memset(r, 0, sizeof *r);
}
