/* run_layout.c — the names a run directory derives: a step's checkpoint, a file's per-draw values. */
#include "util/run_layout.h"
#include <stdio.h>
#include <string.h>
#include "util/atomic_file.h"

int run_step_checkpoint(char *out, size_t n, const char *run_dir, int64_t step, gi_err *e) {
    char name[64];
    snprintf(name, sizeof name, RUN_CKPT_DIR "/" RUN_STEP_PREFIX "%07lld.bin", (long long)step);
    return path_join(out, n, run_dir, name, e);
}

int run_redraws_path(char *out, size_t n, const char *csv_path, gi_err *e) {
    size_t len = strlen(csv_path), stem = len >= 4 && strcmp(csv_path + len - 4, ".csv") == 0 ? len - 4 : len;
    int w = snprintf(out, n, "%.*s" RUN_REDRAWS_SUFFIX "%s", (int)stem, csv_path, csv_path + stem);
    if (w < 0 || (size_t)w >= n) return gi_fail(e, "path too long: %.*s" RUN_REDRAWS_SUFFIX "%s", (int)stem, csv_path, csv_path + stem);
    return 0;
}
