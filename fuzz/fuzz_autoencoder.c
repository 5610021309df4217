/* libFuzzer harness: loading a cached autoencoder (magic, version, shape, size, CRC) from
 * arbitrary bytes (make fuzz). As for checkpoints, the bytes are also tried with a valid CRC
 * appended, to reach the shape and size checks behind it. */
#include <stdint.h>
#include <stdio.h>
#include "fuzz_file.h"
#include "nn/autoencoder.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t n) {
    char path[64];
    for (int with_crc = 0; with_crc < 2; with_crc++) {
        if (fuzz_write_file(path, sizeof path, "ae", data, n, with_crc)) return 0;
        autoencoder ae;
        gi_err e;
        if (ae_load(&ae, path, &e) == 0) ae_free(&ae);
    }
    return 0;
}
