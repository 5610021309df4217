/* libFuzzer harness: the .npy parser on arbitrary bytes (make fuzz). */
#include <stdint.h>
#include <stdlib.h>
#include "util/npy.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t n) {
    num_matrix m;
    gi_err e;
    if (npy_parse(data, n, "fuzz.npy", &m, &e) == 0) matrix_free(&m);
    return 0;
}
