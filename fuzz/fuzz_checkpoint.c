/* libFuzzer harness: loading a checkpoint's parameters (magic, version, shape, size, CRC) from
 * arbitrary bytes into the default network (make fuzz). The CRC rejects almost everything; the
 * harness also tries the bytes with a valid CRC appended, to reach the shape and size checks. */
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include "fuzz_file.h"
#include "train/trainer.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t n) {
    static mlp m;
    static int ready;
    if (!ready) { mlp_create(&m, 784, 200, 3, 10, ACT_RELU, 1); ready = 1; }
    char path[64];
    for (int with_crc = 0; with_crc < 2; with_crc++) {
        if (fuzz_write_file(path, sizeof path, "ckpt", data, n, with_crc)) return 0;
        int64_t step;
        gi_err e;
        checkpoint_load_params(path, &m, &step, &e);
    }
    return 0;
}
