/* cli.h — the subcommands; each parses its own arguments and returns the exit code. */
#ifndef GI_CLI_H
#define GI_CLI_H
int cmd_train(int argc, char **argv);
int cmd_mi(int argc, char **argv);
int cmd_plot(int argc, char **argv);
#endif
