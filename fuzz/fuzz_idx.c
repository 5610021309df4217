/* libFuzzer harness: the IDX parser (plain and gzip) on arbitrary bytes (make fuzz). */
#include <stdint.h>
#include "data/idx.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t n) {
    idx_array a;
    gi_err e;
    if (idx_parse(data, n, "fuzz.idx", &a, &e) == 0) idx_free(&a);
    return 0;
}
