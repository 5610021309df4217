/* test_commands.c — the subcommands' table: it agrees with cli.h, and --help and every usage
 * message are printed from its rows. */
#include <stdlib.h>
#include "test.h"
#include "cli/cli.h"

/* what f(stream) prints, through a temporary file */
static void capture_stream(void (*f)(FILE *, const void *), const void *arg, char *out, size_t n) {
    FILE *tmp = tmpfile();
    f(tmp, arg);
    rewind(tmp);
    size_t len = fread(out, 1, n - 1, tmp);
    out[len] = '\0';
    fclose(tmp);
}

TEST(cli_table_rows_are_complete_and_distinct) {
    CHECK(cli_n_commands >= 9);
    for (size_t i = 0; i < cli_n_commands; i++) {
        const cli_command *c = &cli_commands[i];
        CHECK(c->name && c->run && c->synopsis && c->help && c->help[0]);
        if (!c->name || !c->synopsis) continue;
        /* the synopsis's first line is a form of the command */
        size_t n = strlen(c->name);
        CHECK(strncmp(c->synopsis, c->name, n) == 0 && (c->synopsis[n] == ' ' || c->synopsis[n] == '\0'));
        CHECK(cli_find(c->name) == c);
        for (size_t j = 0; j < i; j++) CHECK(strcmp(cli_commands[j].name, c->name) != 0);
    }
    CHECK(cli_find("frobnicate") == NULL);
    CHECK(cli_find("") == NULL);
}

/* Every `int cmd_NAME(int argc, char **argv);` in cli.h has a row (NAME with '-' for '_'), and
 * every row a declaration: the table and cli.h cannot part. */
TEST(cli_table_agrees_with_cli_h) {
    size_t len;
    char *h = (char *)test_read_bytes("src/cli/cli.h", &len);
    h[len] = '\0';
    size_t declared = 0;
    const char *sig = "(int argc, char **argv);";
    for (char *p = strstr(h, "\nint cmd_"); p; p = strstr(p + 1, "\nint cmd_")) {
        char name[64];
        size_t n = strcspn(p + 9, "(");
        if (n >= sizeof name || strncmp(p + 9 + n, sig, strlen(sig)) != 0) continue;
        memcpy(name, p + 9, n);
        name[n] = '\0';
        for (char *q = name; *q; q++)
            if (*q == '_') *q = '-';
        declared++;
        if (!cli_find(name)) {
            fprintf(stderr, "  cli.h declares cmd_%.*s but no row is named '%s'\n", (int)n, p + 9, name);
            (*failures)++;
        }
    }
    free(h);
    CHECK(declared >= 9);
    CHECK(declared == cli_n_commands);
}

static void print_help(FILE *f, const void *unused) { cli_print_help(f); }
static void print_command_help(FILE *f, const void *c) { cli_print_command_help(f, c); }

TEST(cli_help_prints_every_row) {
    char out[16384], want[256];
    capture_stream(print_help, NULL, out, sizeof out);
    CHECK_STR_CONTAINS(out, "usage: grokinfo COMMAND [options]");
    for (size_t i = 0; i < cli_n_commands; i++) {
        snprintf(want, sizeof want, "\n  %s ", cli_commands[i].name);
        CHECK_STR_CONTAINS(out, want);
        const char *last = strrchr(cli_commands[i].help, '\n'); /* the help's last line, indented */
        snprintf(want, sizeof want, "        %s\n", last ? last + 1 : cli_commands[i].help);
        CHECK_STR_CONTAINS(out, want);
    }
    /* a continuation lines up under the options; a second form starts the line again */
    CHECK_STR_CONTAINS(out, "  mi --x X.npy|X.csv --y Y.npy|Y.csv [--estimator ksg|kl|wkl|wkl-pooled|kde|gauss|gcmi] [--k K]\n"
                            "     [--discrete-y] ");
    CHECK_STR_CONTAINS(out, "\n  train --resume RUN_DIR ");
    CHECK_STR_CONTAINS(out, "\n        train the configured MLP;");
    CHECK_STR_CONTAINS(out, "\n\nThe defaults are the seed's (configs/default.yaml)");
    /* printed lines stay readable in a terminal */
    for (const char *line = out; *line; line += strcspn(line, "\n") + (line[strcspn(line, "\n")] != '\0'))
        CHECK(strcspn(line, "\n") <= 100);
}

TEST(cli_usage_comes_from_the_row) {
    char out[4096];
    capture_stream(print_command_help, cli_find("mi"), out, sizeof out);
    CHECK(strncmp(out, "usage: grokinfo mi --x X.npy|X.csv --y Y.npy|Y.csv [--estimator ksg|kl|wkl|wkl-pooled|kde|gauss|gcmi]", 101) == 0);
    CHECK_STR_CONTAINS(out, "[--k K]\n                   [--discrete-y] [--compress ");
    CHECK_STR_CONTAINS(out, "\n                   [--bias-correct] [--bootstrap B [--seed S]] [--json]\n\n    mutual information");
    capture_stream(print_command_help, cli_find("train"), out, sizeof out);
    CHECK_STR_CONTAINS(out, "usage: grokinfo train [--config FILE]");
    CHECK_STR_CONTAINS(out, "\n   or: grokinfo train --resume RUN_DIR ");
    char names[512];
    cli_command_names(names, sizeof names);
    CHECK(strncmp(names, "train, mi, infoplane, ", 22) == 0);
    CHECK_STR_CONTAINS(names, ", compare");
    cli_command_names(names, 8); /* cut short, still a string */
    CHECK(strlen(names) == 7);
}
