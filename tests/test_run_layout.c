/* test_run_layout.c — a run directory's names, the path join that refuses truncation, and
 * loading a run's configuration. */
#include <stdlib.h>
#include "test.h"
#include "util/atomic_file.h"
#include "util/config.h"
#include "util/run_layout.h"

TEST(path_join_refuses_truncation) {
    char out[16];
    gi_err e = {""};
    CHECK(path_join(out, sizeof out, "run", RUN_METRICS, &e) == 0 && strcmp(out, "run/metrics.csv") == 0);
    /* "runs/a/metrics.csv" is 18 bytes: one more than fits is an error naming both parts, never a cut path */
    CHECK(path_join(out, sizeof out, "runs/a", RUN_METRICS, &e) == -1);
    CHECK_STR_CONTAINS(e.msg, "path too long");
    CHECK_STR_CONTAINS(e.msg, "runs/a/metrics.csv");
    char exact[16];
    CHECK(path_join(exact, sizeof exact, "ab", "cdefghijklmn", &e) == 0 && strlen(exact) == 15);
    CHECK(path_join(exact, sizeof exact, "ab", "cdefghijklmno", &e) == -1);
}

TEST(run_step_checkpoint_is_zero_padded) {
    char out[GI_PATH];
    gi_err e = {""};
    CHECK(run_step_checkpoint(out, sizeof out, "R", 1234, &e) == 0 && strcmp(out, "R/ckpt/step_0001234.bin") == 0);
    CHECK(run_step_checkpoint(out, 12, "R", 1234, &e) == -1);
}

TEST(run_redraws_path_names_the_file_beside_each_csv) {
    char out[GI_PATH], small[16];
    gi_err e = {""};
    /* the run's own files, a re-measurement's, and a name without .csv */
    CHECK(run_redraws_path(out, sizeof out, "R/" RUN_MI, &e) == 0 && strcmp(out, "R/" RUN_MI_REDRAWS) == 0);
    CHECK(run_redraws_path(out, sizeof out, "R/" RUN_MI_CHECK, &e) == 0 && strcmp(out, "R/" RUN_MI_CHECK_REDRAWS) == 0);
    CHECK(strcmp(RUN_MI_REDRAWS, "mi_redraws.csv") == 0 && strcmp(RUN_MI_CHECK_REDRAWS, "mi_check_redraws.csv") == 0);
    CHECK(run_redraws_path(out, sizeof out, "runs/a.b/mi-wkl-2.csv", &e) == 0 && strcmp(out, "runs/a.b/mi-wkl-2_redraws.csv") == 0);
    CHECK(run_redraws_path(out, sizeof out, "x", &e) == 0 && strcmp(out, "x_redraws") == 0);
    /* "R/mi_redraws.csv" is 16 bytes: one more than fits is an error, never a cut name */
    CHECK(run_redraws_path(small, sizeof small, "R/" RUN_MI, &e) == -1);
    CHECK_STR_CONTAINS(e.msg, "path too long");
}

TEST(config_load_run_is_defaults_plus_the_runs_file) {
    const char *dir = test_tmp_path("layout_run");
    char cmd[1200], path[GI_PATH];
    snprintf(cmd, sizeof cmd, "mkdir -p %s", dir);
    CHECK(system(cmd) == 0);
    gi_err e = {""};
    CHECK(path_join(path, sizeof path, dir, RUN_CONFIG, &e) == 0);
    const char *text = "train:\n  optimization_steps: 77\n";
    test_write_bytes(path, text, strlen(text));
    gi_config c, d;
    config_defaults(&d);
    d.train.lr = 123.0; /* config_load_run starts from the defaults, not from what c held */
    c = d;
    CHECK(config_load_run(&c, dir, &e) == 0);
    CHECK(c.train.optimization_steps == 77);
    config_defaults(&d);
    CHECK(c.train.lr == d.train.lr);
    snprintf(cmd, sizeof cmd, "%s/none", dir);
    CHECK(config_load_run(&c, cmd, &e) == -1);
    CHECK_STR_CONTAINS(e.msg, "none/config.yaml: cannot open");
}
