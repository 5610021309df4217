/* run_layout.c — the one name a run directory gives a step's checkpoint. */
#include "util/run_layout.h"
#include <stdio.h>
#include "util/atomic_file.h"

int run_step_checkpoint(char *out, size_t n, const char *run_dir, int64_t step, gi_err *e) {
    char name[64];
    snprintf(name, sizeof name, RUN_CKPT_DIR "/" RUN_STEP_PREFIX "%07lld.bin", (long long)step);
    return path_join(out, n, run_dir, name, e);
}
