/* commands.c — the one table of grokinfo's subcommands (in the style of git's commands[]): --help,
 * the unknown-command message and every command's usage message are printed from its rows, so
 * they cannot drift from one another. */
#include <string.h>
#include "cli/args.h"
#include "cli/cli.h"
#include "measure/mi.h"

/* The order is --help's. Synopses and help lines are kept under about 100 columns as printed. */
const cli_command cli_commands[] = {
    {.name = "train",
     .run = cmd_train,
     .synopsis = "train [--config FILE] [key.sub=value ...] [--out DIR] [--quiet]\n"
                 "train --resume RUN_DIR [train.optimization_steps=N] [train.threads=N] [--quiet]",
     .help = "train the configured MLP; writes DIR (default runs/NAME): config.yaml, metrics.csv,\n"
             "summary.json, ckpt/; with --resume, continues a killed or finished run from its\n"
             "RUN_DIR/ckpt/latest.bin"},
    {.name = "mi",
     .run = cmd_mi,
     /* the estimator names are mi.h's (estimator_from_name) */
     .synopsis = "mi --x X.npy|X.csv --y Y.npy|Y.csv [--estimator {estimators}] [--k K]\n"
                 "[--discrete-y] [--compress pca:M|pca-white:M|first:M] [--rescale|--no-rescale]\n"
                 "[--bias-correct] [--bootstrap B [--seed S]] [--json]",
     .help = "mutual information between two arrays (.npy or CSV, a sample per row), in nats, with its\n"
             "standard error; --bootstrap B adds a 95% percentile interval"},
    {.name = "infoplane",
     .run = cmd_infoplane,
     .synopsis = "infoplane RUN_DIR [mi.estimator=ksg mi.k=5 ...] [--steps S,S,...] [--quiet]",
     .help = "the information plane of a run again, from its per-evaluation checkpoints (or those of\n"
             "--steps), into RUN_DIR/mi-<estimator>.csv (never overwriting); with mi.noise_model=true\n"
             "the noise-model estimate, into RUN_DIR/mi-noise.csv"},
    {.name = "oinfo",
     .run = cmd_oinfo,
     .synopsis = "oinfo RUN_DIR [oinfo.clusters=10 ...] [--steps S,S,...] [--quiet]",
     .help = "the O-information of a run's hidden layers from its checkpoints into RUN_DIR/oinfo.csv\n"
             "(or oinfo-2.csv, ...)"},
    {.name = "sweep",
     .run = cmd_sweep,
     .synopsis = "sweep SWEEP.yaml [--out DIR] [-j N] [--shard i/n] [--quiet]",
     .help = "a grid of runs (base overrides x axes of values); finished points are skipped,\n"
             "interrupted ones resumed; also (built with MPI): mpirun -np N grokinfo sweep SWEEP.yaml"},
    {.name = "acts",
     .run = cmd_acts,
     .synopsis = "acts RUN_DIR --step S --layer L [--subset train|eval] --out A.npy",
     .help = "a layer's outputs at a checkpointed step, as evaluated in training, as float32 .npy"},
    {.name = "oinfo-npy",
     .run = cmd_oinfo_npy,
     .synopsis = "oinfo-npy --acts A.npy [--clusters K] [--greedy-max M] [--bias-correct]\n"
                 "[--ties index|random|average [--seed S --step N --layer L]] [--labels OUT.txt] [--json]",
     .help = "O-information of one activation array (samples x neurons): synergy and redundancy over\n"
             "the unions of its Ward clusters of neurons; --ties ranks equal values as oinfo.ties, random\n"
             "keyed as a run's layer L at step N with seed S (default 0, 0, 1)"},
    {.name = "plot",
     .run = cmd_plot,
     .synopsis = "plot RUN_DIR [--mi FILE] [--estimator NAME]",
     .help = "print the information-plane phases and draw RUN_DIR/figures/ (infoplane, accuracy,\n"
             "training; .png and .pdf) with gnuplot; MI from FILE (default RUN_DIR/mi.csv) if present"},
    {.name = "study",
     .run = cmd_study,
     .synopsis = "study STUDY.yaml [--out DIR] [-j N] [--quiet]",
     .help = "a sweep file plus seeds: N (default 5), run over its seeds as grokinfo sweep runs a grid\n"
             "(resumed when run again; DIR defaults to runs/NAME), then per group of seeds into\n"
             "DIR/study/GROUP/: phases.csv, validity.csv, consensus.csv (the phases seeds and\n"
             "estimators agree on), bands.csv, peak_vs_grokking.csv, bands_oinfo.csv and figures/"},
    {.name = "compare",
     .run = cmd_compare,
     .synopsis = "compare DIR... [--out OUT_DIR] [--runs NAME,NAME]",
     .help = "runs side by side: each DIR a run directory or a sweep's folder of them; prints and writes\n"
             "OUT_DIR/compare.csv (swept keys and summaries), compare_seeds.csv (mean, std, n over seeds)\n"
             "and OUT_DIR/figures/; OUT_DIR defaults to the first DIR if a sweep folder, else ."},
};
const size_t cli_n_commands = sizeof cli_commands / sizeof cli_commands[0];

static const char defaults_note[] =
    "The defaults are the seed's (configs/default.yaml): Omnigrok MNIST, 784-200-200-10 ReLU,\n"
    "init scale 8, AdamW lr 1e-3 wd 1e-2, MSE, batch 200, 1000 training points, 100k steps.\n";

const cli_command *cli_find(const char *name) {
    for (size_t i = 0; i < cli_n_commands; i++)
        if (strcmp(cli_commands[i].name, name) == 0) return &cli_commands[i];
    return NULL;
}

/* a synopsis line that starts with the name (and a space, or ends there) is a form of its own */
static int starts_form(const cli_command *c, const char *line, size_t len) {
    size_t n = strlen(c->name);
    return len >= n && strncmp(line, c->name, n) == 0 && (len == n || line[n] == ' ');
}

/* A synopsis line with {estimators} spelled out from the estimator table (measure/mi.h). */
static void expand(const char *line, size_t len, char *out, size_t n) {
    static const char token[] = "{estimators}";
    char copy[512], names[256];
    snprintf(copy, sizeof copy, "%.*s", (int)len, line);
    const char *at = strstr(copy, token);
    if (!at) { snprintf(out, n, "%s", copy); return; }
    estimator_names(names, sizeof names, "|", NULL, estimator_on_arrays);
    snprintf(out, n, "%.*s%s%s", (int)(at - copy), copy, names, at + sizeof token - 1);
}

/* The synopsis, a line at a time: a form after first_prefix (the first) or next_prefix, a
 * continuation under the options, i.e. after as many spaces as the prefix and "NAME ". */
static void print_synopsis(FILE *f, const cli_command *c, const char *first_prefix, const char *next_prefix) {
    int under_options = (int)(strlen(first_prefix) + strlen(c->name) + 1);
    const char *line = c->synopsis;
    char text[512];
    for (int first = 1; *line; first = 0) {
        size_t len = strcspn(line, "\n");
        expand(line, len, text, sizeof text);
        if (first || starts_form(c, line, len)) fprintf(f, "%s%s\n", first ? first_prefix : next_prefix, text);
        else fprintf(f, "%*s%s\n", under_options, "", text);
        line += len + (line[len] == '\n');
    }
}

/* the help text, every line indented by indent spaces */
static void print_help_text(FILE *f, const char *help, int indent) {
    for (const char *line = help; *line;) {
        size_t len = strcspn(line, "\n");
        fprintf(f, "%*s%.*s\n", indent, "", (int)len, line);
        line += len + (line[len] == '\n');
    }
}

void cli_print_help(FILE *f) {
    fprintf(f, "usage: grokinfo COMMAND [options]   (grokinfo COMMAND --help: one command's usage)\n\ncommands:\n");
    for (size_t i = 0; i < cli_n_commands; i++) {
        print_synopsis(f, &cli_commands[i], "  ", "  ");
        print_help_text(f, cli_commands[i].help, 8);
    }
    fprintf(f, "\n%s", defaults_note);
}

/* git's shape: "usage: grokinfo FORM", further forms "   or: grokinfo FORM" */
static void print_usage(FILE *f, const cli_command *c) { print_synopsis(f, c, "usage: grokinfo ", "   or: grokinfo "); }

void cli_print_command_help(FILE *f, const cli_command *c) {
    print_usage(f, c);
    fprintf(f, "\n");
    print_help_text(f, c->help, 4);
}

int cli_usage(const char *name) {
    const cli_command *c = cli_find(name);
    if (c) print_usage(stderr, c);
    else fprintf(stderr, "grokinfo: no command '%s' in the table (see grokinfo --help)\n", name); /* a caller's typo */
    return CLI_USAGE_ERROR;
}

void cli_command_names(char *out, size_t n) {
    size_t used = 0;
    if (n) out[0] = '\0';
    for (size_t i = 0; i < cli_n_commands && used < n; i++) {
        int w = snprintf(out + used, n - used, "%s%s", i ? ", " : "", cli_commands[i].name);
        if (w < 0) break;
        used += (size_t)w;
    }
}
