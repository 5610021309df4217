/* libFuzzer harness: the sweep-file reader (config, base, axes with lists and log/linear ranges)
 * on arbitrary text, then every point's configuration and name, at most 64 of them (make fuzz). */
#include <stdint.h>
#include <stdio.h>
#include <unistd.h>
#include "sweep/sweep.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t n) {
    char path[64];
    snprintf(path, sizeof path, "/tmp/grokinfo-fuzz-sweep.%d.yaml", (int)getpid());
    FILE *f = fopen(path, "wb");
    if (!f) return 0;
    fwrite(data, 1, n, f);
    fclose(f);
    sweep_spec s;
    gi_err e;
    if (sweep_load(path, &s, &e) == 0) {
        gi_config c;
        char name[512];
        for (int i = 0; i < s.n_points && i < 64; i++) sweep_point(&s, i, &c, name, sizeof name, &e);
        sweep_free(&s);
    }
    return 0;
}
