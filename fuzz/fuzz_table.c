/* libFuzzer harness: the named-column CSV reader behind `grokinfo plot`, `compare` and the phases
 * (metrics.csv, mi.csv, oinfo.csv) on arbitrary text, with two text columns, then the per-layer
 * row check on every row (make fuzz). */
#include <stdint.h>
#include <stdio.h>
#include "fuzz_file.h"
#include "report/table.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t n) {
    char path[64];
    if (fuzz_write_file(path, sizeof path, "table", data, n, 0)) return 0;
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
