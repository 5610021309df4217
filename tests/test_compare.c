/* test_compare.c — seed groups: mean, sample standard deviation and counts per group. */
#include "test.h"
#include <math.h>
#include <stdlib.h>
#include "report/compare.h"

TEST(compare_mean_std_skips_missing) {
    double x[] = {1, NAN, 3, 5}, mean, std;
    int n;
    compare_mean_std(x, 4, &mean, &std, &n);
    CHECK(n == 3);
    CHECK_CLOSE(mean, 3, 0, 1e-15);
    CHECK_CLOSE(std, 2, 0, 1e-15); /* sample std of 1, 3, 5 */
    compare_mean_std(x, 1, &mean, &std, &n);
    CHECK(n == 1 && mean == 1 && isnan(std));
    compare_mean_std(x + 1, 1, &mean, &std, &n);
    CHECK(n == 0 && isnan(mean) && isnan(std));
}

/* a table as compare_build makes it: run, 2 swept keys (alpha, seed), status, 1 measure */
static void make_table(compare_table *t, const char *rows[][5], int n) {
    static const char *cols[] = {"run", "model.initialization_scale", "seed", "status", "grokking_step"};
    static const int numeric[] = {0, 1, 1, 0, 1};
    *t = (compare_table){.n_rows = n, .n_cols = 5, .n_keys = 2};
    t->col = malloc(5 * sizeof(char *));
    t->numeric = malloc(5 * sizeof(int));
    t->cell = malloc((size_t)n * sizeof(char **));
    for (int c = 0; c < 5; c++) t->col[c] = strdup(cols[c]), t->numeric[c] = numeric[c];
    for (int r = 0; r < n; r++) {
        t->cell[r] = malloc(5 * sizeof(char *));
        for (int c = 0; c < 5; c++) t->cell[r][c] = strdup(rows[r][c]);
    }
}

TEST(compare_seed_groups_mean_std_n) {
    const char *rows[][5] = {{"a1-s0", "1.0", "0", "finished", "100"}, {"a8-s0", "8.0", "0", "finished", ""},
                             {"a1-s1", "1.0", "1", "finished", "300"}, {"a8-s1", "8.0", "1", "finished", "1000"},
                             {"a1-s2", "1.0", "2", "finished", "200"}};
    compare_table t, g;
    make_table(&t, rows, 5);
    CHECK(compare_seed_groups(&t, &g) == 2);
    CHECK(g.n_keys == 1 && !strcmp(g.col[1], "model.initialization_scale") && !strcmp(g.col[2], "n"));
    int cm = compare_col(&g, "grokking_step_mean"), cs = compare_col(&g, "grokking_step_std"), cn = compare_col(&g, "grokking_step_n");
    CHECK(cm > 0 && cs == cm + 1 && cn == cm + 2);
    CHECK(compare_col(&g, "status_mean") < 0 && compare_col(&g, "seed") < 0);
    /* groups in order of first appearance: alpha 1 (3 runs), alpha 8 (2 runs, one never grokked) */
    CHECK(!strcmp(g.cell[0][1], "1.0") && compare_num(&g, 0, 2) == 3);
    CHECK_CLOSE(compare_num(&g, 0, cm), 200, 0, 1e-12);
    CHECK_CLOSE(compare_num(&g, 0, cs), 100, 0, 1e-9);
    CHECK(compare_num(&g, 0, cn) == 3);
    CHECK(!strcmp(g.cell[1][1], "8.0") && compare_num(&g, 1, 2) == 2);
    CHECK_CLOSE(compare_num(&g, 1, cm), 1000, 0, 0);
    CHECK(isnan(compare_num(&g, 1, cs)) && compare_num(&g, 1, cn) == 1);
    CHECK(!strcmp(g.cell[0][0], "initialization_scale=1.0"));
    compare_table_free(&g);
    compare_table_free(&t);
}

TEST(compare_no_groups_without_repeated_seeds) {
    const char *rows[][5] = {{"a", "1.0", "0", "finished", "1"}, {"b", "8.0", "1", "finished", "2"}};
    compare_table t, g;
    make_table(&t, rows, 2);
    CHECK(compare_seed_groups(&t, &g) == 0 && g.n_rows == 0 && g.n_cols == 0);
    compare_table_free(&t);
    /* seed not swept: no groups */
    const char *rows2[][5] = {{"a", "1.0", "0", "finished", "1"}, {"b", "1.0", "0", "finished", "2"}};
    make_table(&t, rows2, 2);
    t.n_keys = 1; /* only alpha is a key; "seed" is then a measure column */
    CHECK(compare_seed_groups(&t, &g) == 0);
    compare_table_free(&t);
}

TEST(compare_build_swept_keys_and_summary) {
    compare_run runs[2] = {0};
    gi_err e;
    for (int i = 0; i < 2; i++) {
        snprintf(runs[i].name, sizeof runs[i].name, "r%d", i);
        config_defaults(&runs[i].cfg);
        runs[i].has_summary = 1;
    }
    runs[1].cfg.model.initialization_scale = 2;
    runs[1].cfg.train.threads = 7; /* not a result-changing key: never swept */
    CHECK(json_parse("{\"status\": \"finished\", \"grokking_step\": 500, \"final_eval_acc\": 0.9, "
                     "\"oinfo\": {\"layers\": [{\"layer\": 1, \"synergy_peak_step\": 40, \"redundancy_peak_step\": 80}]}, "
                     "\"timing_seconds\": {\"total\": 3}}", "a", &runs[0].summary, &e) == 0);
    CHECK(json_parse("{\"status\": \"stopped\", \"grokking_step\": null}", "b", &runs[1].summary, &e) == 0);
    compare_table t;
    compare_build(runs, 2, &t);
    CHECK(t.n_keys == 1 && !strcmp(t.col[1], "model.initialization_scale") && t.numeric[1]);
    CHECK(!strcmp(t.cell[0][1], "8.0") && !strcmp(t.cell[1][1], "2.0"));
    int cg = compare_col(&t, "grokking_step"), cs = compare_col(&t, "oinfo_l1_synergy_peak_step");
    CHECK(cg > 0 && !strcmp(t.cell[0][cg], "500") && !strcmp(t.cell[1][cg], ""));
    CHECK(cs > 0 && !strcmp(t.cell[0][cs], "40") && !strcmp(t.cell[1][cs], ""));
    CHECK(!strcmp(t.cell[0][compare_col(&t, "oinfo_l1_redundancy_peak_step")], "80"));
    CHECK(!strcmp(t.cell[1][compare_col(&t, "status")], "stopped"));
    for (int c = 0; c < t.n_cols; c++) CHECK(!strstr(t.col[c], "timing") && !strstr(t.col[c], "threads") && !strstr(t.col[c], "seconds"));
    compare_table_free(&t);
    json_free(&runs[0].summary);
    json_free(&runs[1].summary);
}
