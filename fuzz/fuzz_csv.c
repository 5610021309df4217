/* libFuzzer harness: the numeric CSV reader of `grokinfo mi` on arbitrary text (make fuzz). */
#include <stdint.h>
#include <stdio.h>
#include <unistd.h>
#include "util/npy.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t n) {
    char path[64];
    snprintf(path, sizeof path, "/tmp/grokinfo-fuzz-csv.%d.csv", (int)getpid());
    FILE *f = fopen(path, "wb");
    if (!f) return 0;
    fwrite(data, 1, n, f);
    fclose(f);
    num_matrix m;
    gi_err e;
    if (csv_read(path, &m, &e) == 0) matrix_free(&m);
    return 0;
}
