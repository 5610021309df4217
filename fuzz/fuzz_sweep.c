/* libFuzzer harness: the sweep-file reader (config, base, axes with lists and log/linear ranges)
 * on arbitrary text, then every point's configuration and name, at most 64 of them (make fuzz). */
#include <stdint.h>
#include <stdio.h>
#include "fuzz_file.h"
#include "sweep/sweep.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t n) {
    char path[64];
    if (fuzz_write_file(path, sizeof path, "sweep", data, n, 0)) return 0;
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
