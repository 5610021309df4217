/* libFuzzer harness: reading a run's metrics.csv and mi.csv back for a resume (run/run_csv.h)
 * on arbitrary text, with a fixed header and keep_below from the input's last byte (make fuzz). */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include "fuzz_file.h"
#include "run/plane.h"
#include "run/run_csv.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t n) {
    static const char metrics_header[] = "step,train_loss,train_acc,eval_loss,eval_acc,seconds\n";
    char path[64];
    if (fuzz_write_file(path, sizeof path, "resume", data, n, 0)) return 0;
    int64_t keep_below = n ? data[n - 1] * 10 : 0;
    gi_err e;
    csv_text c = {0};
    acc_history h = {0};
    double seconds = 0;
    csv_load_metrics(&c, path, metrics_header, keep_below, &h, &seconds, &e);
    free(c.text);
    history_free(&h);
    csv_text m = {0};
    csv_load_rows_below(&m, path, PLANE_CSV_HEADER, keep_below, &e);
    free(m.text);
    return 0;
}
