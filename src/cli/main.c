/* grokinfo — train, measure and plot grokking. A thin layer over the library: main finds the
 * command's row in cli_commands (commands.c) and runs it. */
#include <cblas.h>
#ifdef __GLIBC__
#include <malloc.h>
#endif
#include <stdio.h>
#include <string.h>
#include "cli/args.h"
#include "cli/cli.h"

static int is_help(const char *a) { return strcmp(a, "-h") == 0 || strcmp(a, "--help") == 0 || strcmp(a, "help") == 0; }

static int unknown_command(const char *name) {
    char names[512];
    cli_command_names(names, sizeof names);
    fprintf(stderr, "grokinfo: unknown command '%s' (try: grokinfo --help); the commands: %s\n", name, names);
    return CLI_USAGE_ERROR;
}

/* `grokinfo COMMAND --help` and `grokinfo help COMMAND`: that command's usage and help, on stdout */
static int command_help(const char *name) {
    const cli_command *c = cli_find(name);
    if (!c) return unknown_command(name);
    cli_print_command_help(stdout, c);
    return 0;
}

int main(int argc, char **argv) {
    /* grokinfo's parallelism is its own (OpenMP); OpenBLAS's pool would compete for the cores */
    openblas_set_num_threads(1);
#ifdef __GLIBC__
    /* Large buffers from the heap, kept when freed: the next ones reuse pages already faulted in
     * instead of a fresh mmap each (page faults were a visible share of a KSG estimate at 1e4). */
    mallopt(M_MMAP_THRESHOLD, 64 << 20);
    mallopt(M_TRIM_THRESHOLD, 64 << 20);
#endif
    if (argc < 2) {
        cli_print_help(stderr);
        return CLI_USAGE_ERROR;
    }
    if (is_help(argv[1])) {
        if (argc == 3) return command_help(argv[2]);
        cli_print_help(stdout);
        return 0;
    }
    const cli_command *c = cli_find(argv[1]);
    if (!c) return unknown_command(argv[1]);
    if (argc == 3 && is_help(argv[2]) && strcmp(argv[2], "help") != 0) return command_help(argv[1]);
    return c->run(argc - 2, argv + 2);
}
