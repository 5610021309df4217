/* libFuzzer harness: the named-column CSV reader behind `grokinfo plot`, `compare` and the phases
 * (metrics.csv, mi.csv, oinfo.csv) on arbitrary text, with two text columns, then the per-layer
 * row check on every row (make fuzz). */
#include <stdint.h>
#include <stdio.h>
#include <unistd.h>
#include "report/table.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t n) {
    char path[64];
    snprintf(path, sizeof path, "/tmp/grokinfo-fuzz-table.%d.csv", (int)getpid());
    FILE *f = fopen(path, "wb");
    if (!f) return 0;
    fwrite(data, 1, n, f);
    fclose(f);
    table t;
    gi_err e;
    if (table_read(path, "subset,estimator", &t, &e) == 0) {
        const double *step = table_num(&t, "step", &e), *layer = table_num(&t, "layer", &e);
        char *const *subset = table_text(&t, "subset", &e);
        if (step && layer)
            for (int i = 0; i < t.n_rows; i++) table_check_step_layer(&t, i, step, layer, &e);
        if (subset)
            for (int i = 0; i < t.n_rows; i++) (void)subset[i][0];
        table_free(&t);
    }
    return 0;
}
