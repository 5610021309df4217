/* test_config.c — the option table, YAML loading, overrides, validation, writing, run names. */
#include "test.h"
#include "util/config.h"
#include <stddef.h>
#include <stdlib.h>

static void write_file(const char *path, const char *text) {
    FILE *f = fopen(path, "w");
    if (!f) { perror(path); exit(2); }
    fputs(text, f);
    fclose(f);
}

/* Loads `text` as a YAML file into c (starting from defaults); returns config_load_file's result. */
static int load_text(gi_config *c, const char *name, const char *text, gi_err *e) {
    char path[512];
    snprintf(path, sizeof path, "%s/%s", test_tmpdir(), name);
    write_file(path, text);
    config_defaults(c);
    return config_load_file(c, path, e);
}

/* Value fields equal, ignoring the unused-key bookkeeping. */
static int same_values(const gi_config *a, const gi_config *b) {
    return !memcmp(a, b, offsetof(gi_config, n_unused));
}

static int has_unused(const gi_config *c, const char *key) {
    for (int i = 0; i < c->n_unused; i++)
        if (!strcmp(c->unused[i], key)) return 1;
    return 0;
}

TEST(config_defaults_values) {
    gi_config c;
    gi_err e;
    config_defaults(&c);
    CHECK(c.seed == 0);
    CHECK(!strcmp(c.custom_run_name, ""));
    CHECK(!strcmp(c.project_name, "grokking-mnist-infoplane"));
    CHECK(!strcmp(c.download_directory, "./"));
    CHECK(c.train.freqLog == 1000 && c.train.n_first_steps_to_log == 30);
    CHECK(c.train.optimization_steps == 100000 && c.train.batch_size == 200);
    CHECK(c.train.test_batch_size == 400 && c.train.train_points == 1000);
    CHECK(!strcmp(c.train.loss_function, "MSE") && !strcmp(c.train.optimizer, "AdamW"));
    CHECK(c.train.weight_decay == 1e-2 && c.train.lr == 1e-3 && c.train.eps == 1e-8);
    CHECK(c.train.betas[0] == 0.9 && c.train.betas[1] == 0.999 && c.train.momentum == 0);
    CHECK(!strcmp(c.train.eval_schedule, "seed") && c.train.eval_points == 100 && c.train.threads == 0);
    CHECK(c.train.save_step_checkpoints == 1);
    CHECK(c.model.initialization_scale == 8.0 && c.model.width == 200 && c.model.depth == 3);
    CHECK(!strcmp(c.model.activation, "ReLU") && c.model.noise == 1 && c.model.output_bias == 1);
    CHECK(!strcmp(c.data.name, "mnist") && !strcmp(c.data.path, ""));
    CHECK(c.data.normalize_mean == 0.1307 && c.data.normalize_std == 0.3081);
    CHECK(c.mi.sigma == 1e-3 && c.mi.agn_relative_scale == 0 && !strcmp(c.mi.method, "KL"));
    CHECK(c.mi.n_jobs == 4 && c.mi.k_neighbours == 20 && c.mi.rescale == 1);
    CHECK(!strcmp(c.mi.compression, "pca") && c.mi.pca_whiten == 1 && c.mi.filter_mi_plots == 0);
    CHECK(c.mi.noise_redraws == 0); /* no redraws: mi.csv's redraw columns empty, no mi_redraws.csv */
    CHECK(c.ae.L_latent_dim == 4);
    CHECK(c.summary.train_acc == 0.99 && c.summary.eval_acc == 0.5);
    CHECK(c.n_unused == 0);
    CHECK(config_validate(&c, &e) == 0);
}

TEST(config_seed_default_yaml) {
    gi_config c, d;
    gi_err e = {""};
    config_defaults(&c);
    CHECK(config_load_file(&c, "tests/data/seed_default.yaml", &e) == 0);
    if (e.msg[0]) fprintf(stderr, "  %s\n", e.msg);
    CHECK(c.seed == 0 && !strcmp(c.custom_run_name, ""));
    CHECK(!strcmp(c.project_name, "grokking-mnist-infoplane"));
    CHECK(c.train.freqLog == 1000 && c.train.train_points == 1000);
    CHECK(c.train.optimization_steps == 100000 && c.train.batch_size == 200 && c.train.test_batch_size == 400);
    CHECK(c.train.lr == 1e-3 && c.train.weight_decay == 1e-2);
    CHECK(!strcmp(c.train.loss_function, "MSE") && !strcmp(c.train.optimizer, "AdamW"));
    CHECK(c.mi.sigma == 1e-3 && c.mi.agn_relative_scale == 0);
    CHECK(c.model.initialization_scale == 8.0 && c.model.width == 200 && !strcmp(c.model.activation, "ReLU"));
    CHECK(!strcmp(c.ae.encoder_path, ".\\autoencoders\\X_encoder_4.pt"));
    CHECK(!strcmp(c.ae.decoder_path, ".\\autoencoders\\X_decoder_4.pt"));
    CHECK(!strcmp(c.mi.method, "KL") && c.mi.k_neighbours == 20 && !strcmp(c.mi.compression, "pca"));
    /* The seed's keys set grokinfo's defaults: only the unused paths differ. */
    config_defaults(&d);
    memcpy(d.ae.encoder_path, c.ae.encoder_path, sizeof d.ae.encoder_path);
    memcpy(d.ae.decoder_path, c.ae.decoder_path, sizeof d.ae.decoder_path);
    CHECK(same_values(&c, &d));
    const char *unused[] = {"download_directory", "ae.encoder_path", "ae.decoder_path",
                            "mi.entropy_estimator_params.functional_params.n_jobs", "mi.filter_mi_plots_flag"};
    for (size_t i = 0; i < sizeof unused / sizeof unused[0]; i++) CHECK(has_unused(&c, unused[i]));
    CHECK(c.n_unused == (int)(sizeof unused / sizeof unused[0]));
    CHECK(!has_unused(&c, "mi.sigma") && !has_unused(&c, "mi.agn_relative_scale"));
    CHECK(!has_unused(&c, "mi.compression") && !has_unused(&c, "mi.entropy_estimator_params.method"));
    CHECK(!has_unused(&c, "train.lr") && !has_unused(&c, "model.width") && !has_unused(&c, "seed"));
    /* Loading twice records each key once. */
    CHECK(config_load_file(&c, "tests/data/seed_default.yaml", &e) == 0);
    CHECK(c.n_unused == (int)(sizeof unused / sizeof unused[0]));
    CHECK(config_validate(&c, &e) == 0);
}

TEST(config_default_yaml_equals_defaults) {
    gi_config c, d;
    gi_err e = {""};
    config_defaults(&d);
    memset(&c, 0x5a, sizeof c);
    config_defaults(&c);
    c.train.lr = 42, c.model.width = 7; /* must be set back by the file */
    strcpy(c.model.activation, "Tanh");
    CHECK(config_load_file(&c, "configs/default.yaml", &e) == 0);
    if (e.msg[0]) fprintf(stderr, "  %s\n", e.msg);
    CHECK(same_values(&c, &d));
    CHECK(c.n_unused == 0);
}

TEST(config_numbers) {
    gi_config c;
    gi_err e;
    config_defaults(&c);
    CHECK(config_override(&c, "train.freqLog=1_000", &e) == 0 && c.train.freqLog == 1000);
    CHECK(config_override(&c, "train.optimization_steps=1e5", &e) == 0 && c.train.optimization_steps == 100000);
    CHECK(config_override(&c, "seed=-3", &e) == 0 && c.seed == -3);
    CHECK(config_override(&c, "train.lr=.5", &e) == 0 && c.train.lr == 0.5);
    CHECK(config_override(&c, "train.lr=1_000.5", &e) == 0 && c.train.lr == 1000.5);
    CHECK(config_override(&c, "train.lr=3e-4", &e) == 0 && c.train.lr == 3e-4);
    CHECK(config_override(&c, "train.lr= 2e-4 ", &e) == 0 && c.train.lr == 2e-4);
    CHECK(config_override(&c, "model.initialization_scale=-2", &e) == 0 && c.model.initialization_scale == -2);
    CHECK(config_override(&c, "train.lr=inf", &e) == -1);
    CHECK_STR_CONTAINS(e.msg, "train.lr");
    CHECK(config_override(&c, "train.lr=nan", &e) == -1);
    CHECK_STR_CONTAINS(e.msg, "train.lr");
    CHECK(config_override(&c, "train.lr=1e999", &e) == -1);
    CHECK(c.train.lr == 2e-4); /* a failed set leaves the value alone */
    CHECK(config_override(&c, "model.width=1e10", &e) == -1);
    CHECK_STR_CONTAINS(e.msg, "model.width: expected an integer in [1, 2147483647]");
    CHECK(config_override(&c, "train.batch_size=1.5", &e) == -1);
    CHECK_STR_CONTAINS(e.msg, "train.batch_size: expected an integer, got '1.5'");
    CHECK(config_override(&c, "train.batch_size=abc", &e) == -1);
    CHECK_STR_CONTAINS(e.msg, "train.batch_size");
    CHECK(config_override(&c, "train.batch_size=-1", &e) == -1);
    CHECK_STR_CONTAINS(e.msg, "train.batch_size: expected an integer >= 0, got '-1'");
    CHECK(config_override(&c, "train.lr=-1", &e) == -1);
    CHECK_STR_CONTAINS(e.msg, "override: train.lr: expected a number > 0, got '-1'");
    CHECK(config_override(&c, "train.lr=0", &e) == -1);
    CHECK_STR_CONTAINS(e.msg, "train.lr");
    CHECK(config_override(&c, "summary.eval_acc=1.5", &e) == -1);
    CHECK_STR_CONTAINS(e.msg, "summary.eval_acc: expected a number in [0, 1]");
    CHECK(config_override(&c, "train.eval_points=1", &e) == -1);
    CHECK_STR_CONTAINS(e.msg, "train.eval_points");
}

TEST(config_override_errors) {
    gi_config c;
    gi_err e;
    config_defaults(&c);
    CHECK(config_override(&c, "model.widht=3", &e) == -1);
    CHECK_STR_CONTAINS(e.msg, "unknown config key 'model.widht' (did you mean 'model.width'?)");
    CHECK(config_override(&c, "lr=0.1", &e) == -1);
    CHECK_STR_CONTAINS(e.msg, "did you mean 'train.lr'?");
    CHECK(config_override(&c, "train.optimiser=SGD", &e) == -1);
    CHECK_STR_CONTAINS(e.msg, "'train.optimizer'");
    CHECK(config_override(&c, "model.activation=Relu6", &e) == -1);
    CHECK_STR_CONTAINS(e.msg,
                       "model.activation: 'Relu6' is not one of ReLU, Tanh, Sigmoid, GELU, LeakyReLU, Identity");
    CHECK(config_override(&c, "xyz", &e) == -1);
    CHECK_STR_CONTAINS(e.msg, "override 'xyz': expected key=value");
    CHECK(config_override(&c, "train=3", &e) == -1);
    CHECK_STR_CONTAINS(e.msg, "train: is a section");
    CHECK(config_override(&c, "mi.agn_relative_scale=true", &e) == -1);
    CHECK_STR_CONTAINS(e.msg, "mi.agn_relative_scale: only false is supported");
    CHECK(config_override(&c, "mi.agn_relative_scale=false", &e) == 0);
    CHECK(config_override(&c, "project_name=null", &e) == -1);
    CHECK_STR_CONTAINS(e.msg, "project_name");
    CHECK(config_override(&c, "mi.noise_redraws=-1", &e) == -1);
    CHECK_STR_CONTAINS(e.msg, "mi.noise_redraws: expected an integer in [0, 2147483647], got '-1'");
    CHECK(config_override(&c, "mi.noise_redraws=5", &e) == 0 && c.mi.noise_redraws == 5);
    CHECK(config_override(&c, "model.width=[1, 2]", &e) == -1);
    CHECK_STR_CONTAINS(e.msg, "model.width");
    CHECK(strchr(e.msg, '\n') == NULL);
    /* "+" and "++" prefixes (hydra) */
    CHECK(config_override(&c, "+model.width=64", &e) == 0 && c.model.width == 64);
    CHECK(config_override(&c, "++model.depth=5", &e) == 0 && c.model.depth == 5);
    CHECK(c.n_unused == 0);
    CHECK(config_override(&c, "mi.filter_mi_plots_flag=true", &e) == 0);
    CHECK(config_override(&c, "mi.filter_mi_plots_flag=false", &e) == 0);
    CHECK(c.n_unused == 1 && !strcmp(c.unused[0], "mi.filter_mi_plots_flag"));
}

TEST(config_enums_and_strings) {
    gi_config c;
    gi_err e;
    config_defaults(&c);
    CHECK(config_override(&c, "model.activation=relu", &e) == 0 && !strcmp(c.model.activation, "ReLU"));
    CHECK(config_override(&c, "model.activation=tanh", &e) == 0 && !strcmp(c.model.activation, "Tanh"));
    CHECK(config_override(&c, "train.loss_function=mse", &e) == 0 && !strcmp(c.train.loss_function, "MSE"));
    CHECK(config_override(&c, "train.loss_function=crossentropy", &e) == 0 &&
          !strcmp(c.train.loss_function, "CrossEntropy"));
    CHECK(config_override(&c, "train.optimizer=adamw", &e) == 0 && !strcmp(c.train.optimizer, "AdamW"));
    CHECK(config_override(&c, "train.optimizer='SGD'", &e) == 0 && !strcmp(c.train.optimizer, "SGD"));
    CHECK(config_override(&c, "data.name=cifar", &e) == -1);
    CHECK_STR_CONTAINS(e.msg, "data.name");
    CHECK(config_override(&c, "custom_run_name=\"my run\"", &e) == 0 && !strcmp(c.custom_run_name, "my run"));
    CHECK(config_override(&c, "custom_run_name='it''s'", &e) == 0 && !strcmp(c.custom_run_name, "it's"));
    CHECK(config_override(&c, "custom_run_name='null'", &e) == 0 && !strcmp(c.custom_run_name, "null"));
    CHECK(config_override(&c, "custom_run_name=~", &e) == 0 && !strcmp(c.custom_run_name, ""));
    CHECK(config_override(&c, "custom_run_name=x", &e) == 0);
    CHECK(config_override(&c, "custom_run_name=", &e) == 0 && !strcmp(c.custom_run_name, ""));
    CHECK(config_override(&c, "data.path=/tmp/a b", &e) == 0 && !strcmp(c.data.path, "/tmp/a b"));
}

TEST(config_bools) {
    gi_config c;
    gi_err e;
    const char *yes[] = {"true", "True", "TRUE", "yes", "on", "1"}, *no[] = {"false", "False", "no", "off", "0"};
    config_defaults(&c);
    for (int i = 0; i < 6; i++) {
        char arg[64];
        c.model.noise = 0;
        snprintf(arg, sizeof arg, "model.noise=%s", yes[i]);
        CHECK(config_override(&c, arg, &e) == 0 && c.model.noise == 1);
    }
    for (int i = 0; i < 5; i++) {
        char arg[64];
        c.model.noise = 1;
        snprintf(arg, sizeof arg, "model.noise=%s", no[i]);
        CHECK(config_override(&c, arg, &e) == 0 && c.model.noise == 0);
    }
    CHECK(config_override(&c, "model.noise=maybe", &e) == -1);
    CHECK_STR_CONTAINS(e.msg, "model.noise: expected true or false, got 'maybe'");
    CHECK(config_override(&c, "model.output_bias=2", &e) == -1);
    CHECK_STR_CONTAINS(e.msg, "model.output_bias");
}

TEST(config_betas) {
    gi_config c;
    gi_err e;
    config_defaults(&c);
    CHECK(config_override(&c, "train.betas=[0.9,0.98]", &e) == 0);
    CHECK(c.train.betas[0] == 0.9 && c.train.betas[1] == 0.98);
    CHECK(config_override(&c, "train.betas=[0.5]", &e) == -1);
    CHECK_STR_CONTAINS(e.msg, "train.betas: expected a list of 2 numbers in [0, 1)");
    CHECK(config_override(&c, "train.betas=[0.5, 0.6, 0.7]", &e) == -1);
    CHECK_STR_CONTAINS(e.msg, "train.betas");
    CHECK(config_override(&c, "train.betas=[0.5, 1]", &e) == -1);
    CHECK_STR_CONTAINS(e.msg, "train.betas");
    CHECK(config_override(&c, "train.betas=0.9", &e) == -1);
    CHECK_STR_CONTAINS(e.msg, "train.betas");
    CHECK(c.train.betas[0] == 0.9 && c.train.betas[1] == 0.98);

    CHECK(load_text(&c, "flow.yaml", "train:\n  betas: [0.8, 0.95]\n", &e) == 0);
    CHECK(c.train.betas[0] == 0.8 && c.train.betas[1] == 0.95);
    CHECK(load_text(&c, "block.yaml", "train:\n  betas:\n    - 0.7\n    - 0.9_9\n", &e) == 0);
    CHECK(c.train.betas[0] == 0.7 && c.train.betas[1] == 0.99);
    CHECK(load_text(&c, "short.yaml", "train:\n  lr: 1e-3\n  betas: [0.8]\n", &e) == -1);
    CHECK_STR_CONTAINS(e.msg, ":3: train.betas: expected a list of 2 numbers");
}

TEST(config_file_errors) {
    gi_config c;
    gi_err e;
    char path[512];
    config_defaults(&c);
    CHECK(config_load_file(&c, "no/such/config.yaml", &e) == -1);
    CHECK_STR_CONTAINS(e.msg, "no/such/config.yaml: cannot open (No such file or directory)");

    CHECK(load_text(&c, "syntax.yaml", "train:\n  lr: 1e-3\n  bad: [1, 2\nmodel:\n  width: 3\n", &e) == -1);
    snprintf(path, sizeof path, "%s/syntax.yaml:", test_tmpdir());
    CHECK_STR_CONTAINS(e.msg, path);
    CHECK_STR_CONTAINS(e.msg, "YAML syntax error");
    CHECK(load_text(&c, "indent.yaml", "train:\n  lr: 1e-3\n bad: 3\n", &e) == -1);
    CHECK_STR_CONTAINS(e.msg, "indent.yaml:3: YAML syntax error: ");

    CHECK(load_text(&c, "badlr.yaml", "# comment\ntrain:\n  freqLog: 10\n\n  lr: -1\n", &e) == -1);
    snprintf(path, sizeof path, "%s/badlr.yaml:5: train.lr: expected a number > 0, got '-1'", test_tmpdir());
    CHECK_STR_CONTAINS(e.msg, path);
    CHECK(load_text(&c, "typo.yaml", "model:\n  widht: 3\n", &e) == -1);
    CHECK_STR_CONTAINS(e.msg, "typo.yaml:2: unknown config key 'model.widht' (did you mean 'model.width'?)");
    CHECK(load_text(&c, "map.yaml", "model:\n  width:\n    a: 1\n", &e) == -1);
    CHECK_STR_CONTAINS(e.msg, "model.width: expected a value, got a mapping");
    CHECK(load_text(&c, "scalar.yaml", "model: 3\n", &e) == -1);
    CHECK_STR_CONTAINS(e.msg, "scalar.yaml:1: model: is a section");
    CHECK(load_text(&c, "agn.yaml", "mi:\n  agn_relative_scale: True\n", &e) == -1);
    CHECK_STR_CONTAINS(e.msg, "agn.yaml:2: mi.agn_relative_scale: only false is supported");
    CHECK(load_text(&c, "top.yaml", "- 1\n- 2\n", &e) == -1);
    CHECK_STR_CONTAINS(e.msg, "top.yaml:1:");

    CHECK(load_text(&c, "empty.yaml", "", &e) == 0);
    CHECK(load_text(&c, "comments.yaml", "# nothing\n\n", &e) == 0);
    CHECK(load_text(&c, "emptysec.yaml", "ae:\nseed: 5\n", &e) == 0 && c.seed == 5);
    CHECK(load_text(&c, "quoted.yaml", "custom_run_name: 'null'\nproject_name: \"a: b # c\"\n", &e) == 0);
    CHECK(!strcmp(c.custom_run_name, "null") && !strcmp(c.project_name, "a: b # c"));
    CHECK(load_text(&c, "null.yaml", "custom_run_name: ~\nproject_name: null\n", &e) == -1);
    CHECK_STR_CONTAINS(e.msg, "null.yaml:2: project_name: expected a string, got null");
    CHECK(!strcmp(c.custom_run_name, ""));
}

TEST(config_validate_errors) {
    gi_config c;
    gi_err e;
    config_defaults(&c);
    CHECK(config_override(&c, "train.batch_size=2000", &e) == 0);
    CHECK(config_validate(&c, &e) == -1);
    CHECK_STR_CONTAINS(e.msg, "train.batch_size");
    CHECK_STR_CONTAINS(e.msg, "train.train_points");
    CHECK(config_override(&c, "train.batch_size=0", &e) == 0);
    CHECK(config_validate(&c, &e) == 0);
    c.model.depth = 0;
    CHECK(config_validate(&c, &e) == -1);
    CHECK_STR_CONTAINS(e.msg, "model.depth");
    config_defaults(&c);
    strcpy(c.data.name, "cifar10");
    CHECK(config_validate(&c, &e) == -1);
    CHECK_STR_CONTAINS(e.msg, "data.name");
    config_defaults(&c);
    c.train.lr = -1;
    CHECK(config_validate(&c, &e) == -1);
    CHECK_STR_CONTAINS(e.msg, "train.lr");
    config_defaults(&c);
    c.train.betas[1] = 1.0;
    CHECK(config_validate(&c, &e) == -1);
    CHECK_STR_CONTAINS(e.msg, "train.betas");
    config_defaults(&c);
    strcpy(c.model.activation, "relu"); /* not canonical */
    CHECK(config_validate(&c, &e) == -1);
    CHECK_STR_CONTAINS(e.msg, "model.activation");
    config_defaults(&c); /* k = k_neighbours = 20 */
    CHECK(config_override(&c, "mi.eval_points=20", &e) == 0);
    CHECK(config_validate(&c, &e) == -1);
    CHECK_STR_CONTAINS(e.msg, "mi.eval_points: 20 rows, but the estimator needs more than k = 20");
    CHECK(config_override(&c, "mi.eval_points=21", &e) == 0 && config_validate(&c, &e) == 0);
    CHECK(config_override(&c, "mi.enabled=false", &e) == 0 && config_override(&c, "mi.eval_points=3", &e) == 0);
    CHECK(config_validate(&c, &e) == 0);
}

TEST(config_run_names) {
    gi_config c;
    gi_err e;
    char name[256];
    config_defaults(&c);
    CHECK(config_run_name(&c, name, sizeof name, &e) == 0);
    CHECK(!strcmp(name, "mnist-a8.0-wd0.01-lr0.001-s0"));
    CHECK(config_override(&c, "train.weight_decay=1e-5", &e) == 0);
    CHECK(config_override(&c, "train.lr=1e16", &e) == 0);
    CHECK(config_override(&c, "seed=12", &e) == 0);
    CHECK(config_run_name(&c, name, sizeof name, &e) == 0);
    CHECK(!strcmp(name, "mnist-a8.0-wd1e-05-lr1e+16-s12"));
    CHECK(config_override(&c, "train.weight_decay=0.0001", &e) == 0);
    CHECK(config_override(&c, "train.lr=1000000000000000", &e) == 0);
    CHECK(config_override(&c, "model.initialization_scale=0.1307", &e) == 0);
    CHECK(config_run_name(&c, name, sizeof name, &e) == 0);
    CHECK(!strcmp(name, "mnist-a0.1307-wd0.0001-lr1000000000000000.0-s12"));

    config_defaults(&c);
    CHECK(config_override(&c, "custom_run_name=scale_${model.initialization_scale}-seed_${seed}", &e) == 0);
    CHECK(config_run_name(&c, name, sizeof name, &e) == 0);
    CHECK(!strcmp(name, "scale_8.0-seed_0"));
    CHECK(config_override(&c, "model.initialization_scale=0.5", &e) == 0);
    CHECK(config_run_name(&c, name, sizeof name, &e) == 0);
    CHECK(!strcmp(name, "scale_0.5-seed_0"));
    CHECK(config_override(&c, "custom_run_name=a/${model.activation} ${model.noise}_${train.freqLog}", &e) == 0);
    CHECK(config_run_name(&c, name, sizeof name, &e) == 0);
    CHECK(!strcmp(name, "a_ReLU_True_1000"));
    CHECK(config_override(&c, "custom_run_name=x${model.widht}", &e) == 0);
    CHECK(config_run_name(&c, name, sizeof name, &e) == -1);
    CHECK_STR_CONTAINS(e.msg, "model.widht");
    CHECK(config_override(&c, "custom_run_name=x${seed", &e) == 0);
    CHECK(config_run_name(&c, name, sizeof name, &e) == -1);
    CHECK_STR_CONTAINS(e.msg, "custom_run_name");
    CHECK(config_override(&c, "custom_run_name=abcdefghij", &e) == 0);
    CHECK(config_run_name(&c, name, 5, &e) == -1);
}

TEST(config_write_roundtrip) {
    gi_config a, b;
    gi_err e = {""};
    char path[512];
    config_defaults(&a);
    const char *changes[] = {"seed=123456789012", "custom_run_name=run: #1 'x' ${seed}", "project_name=yes",
                             "download_directory=.\\dl", "model.initialization_scale=0.1", "model.width=17",
                             "model.activation=GELU", "model.noise=false", "train.lr=3.0000000000000001e-4",
                             "train.betas=[0.123456789, 0.1]", "train.weight_decay=0", "train.eps=1e-300",
                             "data.path=/data/mnist dir", "data.normalize_mean=-0.25", "mi.sigma=0.1",
                             "summary.eval_acc=1", "ae.encoder_path=123", "train.eval_schedule=log"};
    for (size_t i = 0; i < sizeof changes / sizeof changes[0]; i++) CHECK(config_override(&a, changes[i], &e) == 0);
    if (e.msg[0]) fprintf(stderr, "  %s\n", e.msg);
    a.train.lr = 0.1 + 0.2; /* not the shortest decimal of anything short */
    snprintf(path, sizeof path, "%s/resolved.yaml", test_tmpdir());
    FILE *f = fopen(path, "w");
    CHECK(f && config_write_yaml(&a, f) == 0);
    if (f) fclose(f);
    config_defaults(&b);
    CHECK(config_override(&b, "model.width=999", &e) == 0);
    CHECK(config_override(&b, "custom_run_name=other", &e) == 0);
    CHECK(config_override(&b, "train.betas=[0.5, 0.5]", &e) == 0);
    CHECK(config_load_file(&b, path, &e) == 0);
    if (e.msg[0]) fprintf(stderr, "  %s\n", e.msg);
    CHECK(same_values(&a, &b));
    CHECK(a.train.lr == b.train.lr && !strcmp(a.custom_run_name, b.custom_run_name));
    CHECK(config_hash(&a) == config_hash(&b));

    /* Defaults round-trip too (null run name, empty paths), and the hash depends on values. */
    config_defaults(&a);
    f = fopen(path, "w");
    CHECK(f && config_write_yaml(&a, f) == 0);
    if (f) fclose(f);
    config_defaults(&b); /* (keys grokinfo does not use are written only when not at their default) */
    CHECK(config_load_file(&b, path, &e) == 0);
    CHECK(same_values(&a, &b) && b.n_unused == 0);
    CHECK(config_hash(&a) == config_hash(&b));
    b.train.lr = 2e-3;
    CHECK(config_hash(&a) != config_hash(&b));
}
