/* cli.h — the subcommands; each parses its own arguments and returns the exit code. */
#ifndef GI_CLI_H
#define GI_CLI_H
#include <stddef.h>
#include <stdio.h>
#include "util/err.h"
int cmd_train(int argc, char **argv);
int cmd_mi(int argc, char **argv);
int cmd_plot(int argc, char **argv);
int cmd_infoplane(int argc, char **argv);
int cmd_oinfo(int argc, char **argv);
int cmd_acts(int argc, char **argv);
int cmd_sweep(int argc, char **argv);
int cmd_oinfo_npy(int argc, char **argv);
int cmd_compare(int argc, char **argv);
/* The embedded digits' folder: ./data/mnist, else data/mnist beside the executable. */
void cli_default_data_dir(char *out, size_t n);
/* The library's messages (warnings, notes, a sweep's progress), a line each on f (flushed). */
gi_sink cli_sink(FILE *f);
/* OpenMP's threads for the whole process, set once by a command before it works: train.threads
 * (0 = every core). OpenBLAS keeps one thread (main.c): the parallelism is grokinfo's own. */
void cli_use_threads(int threads);
#endif
