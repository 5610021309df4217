/* libFuzzer harness: loading a cached autoencoder (magic, version, shape, size, CRC) from
 * arbitrary bytes (make fuzz). As for checkpoints, the bytes are also tried with a valid CRC
 * appended, to reach the shape and size checks behind it. */
#include <stdint.h>
#include <stdio.h>
#include <unistd.h>
#include <zlib.h>
#include "measure/autoencoder.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t n) {
    char path[64];
    snprintf(path, sizeof path, "/tmp/grokinfo-fuzz-ae.%d.bin", (int)getpid());
    for (int with_crc = 0; with_crc < 2; with_crc++) {
        FILE *f = fopen(path, "wb");
        if (!f) return 0;
        fwrite(data, 1, n, f);
        if (with_crc) {
            uint32_t crc = (uint32_t)crc32(0L, data, (uInt)n);
            fwrite(&crc, 4, 1, f);
        }
        fclose(f);
        autoencoder ae;
        gi_err e;
        if (ae_load(&ae, path, &e) == 0) ae_free(&ae);
    }
    return 0;
}
