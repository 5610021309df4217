/* cli.c — what the commands share: where the digits are, how the library's messages are shown,
 * and the process's thread count. */
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#ifdef _OPENMP
#include <omp.h>
#endif
#include "cli/cli.h"
#include "util/atomic_file.h"

/* The embedded digits: ./data/mnist, else data/mnist beside the executable. */
void cli_default_data_dir(char *out, size_t n) {
    snprintf(out, n, "data/mnist");
    if (path_is_dir(out)) return;
    char exe[900];
    ssize_t len = readlink("/proc/self/exe", exe, sizeof exe - 1);
    if (len <= 0) return;
    exe[len] = '\0';
    char *slash = strrchr(exe, '/');
    if (!slash) return;
    *slash = '\0';
    char alt[1000];
    snprintf(alt, sizeof alt, "%s/data/mnist", exe);
    if (path_is_dir(alt)) snprintf(out, n, "%s", alt);
}

static void print_line(void *ctx, const char *line) {
    fprintf(ctx, "%s\n", line);
    fflush(ctx);
}

gi_sink cli_sink(FILE *f) { return (gi_sink){print_line, f}; }

void cli_use_threads(int threads) {
#ifdef _OPENMP
    omp_set_num_threads(threads > 0 ? threads : omp_get_num_procs());
#else
    (void)threads;
#endif
}
