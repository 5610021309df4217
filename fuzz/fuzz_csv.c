/* libFuzzer harness: the numeric CSV reader of `grokinfo mi` on arbitrary text (make fuzz). */
#include <stdint.h>
#include <stdio.h>
#include "fuzz_file.h"
#include "util/npy.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t n) {
    char path[64];
    if (fuzz_write_file(path, sizeof path, "csv", data, n, 0)) return 0;
    num_matrix m;
    gi_err e;
    if (csv_read(path, &m, &e) == 0) matrix_free(&m);
    return 0;
}
