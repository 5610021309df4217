/* cli.h — the subcommands. Each parses its own arguments (argv after its name) and returns the exit
 * code; its row in cli_commands (commands.c) gives its name, synopsis and help, which --help, the
 * unknown-command message and its own usage message all print. A new command: cmd_x.c, its
 * declaration here and its row there (tests/test_commands.c checks that the two lists agree). */
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
int cmd_study(int argc, char **argv);

typedef struct {
    const char *name;                  /* as typed: "oinfo-npy" */
    int (*run)(int argc, char **argv); /* argv after the name; returns the exit code */
    /* The usage, without "grokinfo ": a line that starts with the name is a form of the command,
     * any other line continues the form above it (printed under its options). */
    const char *synopsis;
    const char *help; /* what it does, a few short lines */
} cli_command;

extern const cli_command cli_commands[];
extern const size_t cli_n_commands;

/* The row named name, or NULL. */
const cli_command *cli_find(const char *name);
/* `grokinfo --help`: every row's synopsis and help, then the defaults. */
void cli_print_help(FILE *f);
/* `grokinfo NAME --help`: the row's usage lines, then its help. */
void cli_print_command_help(FILE *f, const cli_command *c);
/* A usage error of command name: its usage lines on stderr; returns 2 (the exit code). */
int cli_usage(const char *name);
/* The command names, comma-separated, into out (for the unknown-command message). */
void cli_command_names(char *out, size_t n);

/* The embedded digits' folder: ./data/mnist, else data/mnist beside the executable. */
void cli_default_data_dir(char *out, size_t n);
/* The library's messages (warnings, notes, a sweep's progress), a line each on f (flushed). */
gi_sink cli_sink(FILE *f);
/* OpenMP's threads for the whole process, set once by a command before it works: train.threads
 * (0 = every core). OpenBLAS keeps one thread (main.c): the parallelism is grokinfo's own. */
void cli_use_threads(int threads);
#endif
