/* test_study.c — study files (seeds:, groups, one-line errors) and the analysis of a study's runs
 * on hand-written run directories: the redraws' means in place of the values, flagged points and
 * noise-model points at ln N invalid, validity per curve, bands on known numbers, the O-information
 * peak of each file against grokking, the same bytes on a second analysis. */
#include <dirent.h>
#include <stdlib.h>
#include <sys/stat.h>
#include "test.h"
#include "report/table.h"
#include "study/study.h"
#include "util/atomic_file.h"

static const char *write_text(const char *name, const char *text) {
    const char *p = test_tmp_path(name);
    test_write_bytes(p, text, strlen(text));
    return p;
}

TEST(study_file_seeds_and_groups) {
    study_spec s;
    gi_err e;
    const char *p = write_text("study1.yaml", "base:\n  train.optimization_steps: 10\nseeds: 3\n");
    CHECK(study_load(p, &s, &e) == 0);
    CHECK(s.sweep.n_points == 3 && s.n_groups == 1 && s.seed_axis == 0);
    if (s.n_groups == 1) {
        CHECK(!strcmp(s.group[0].name, "all") && s.group[0].n == 3);
        CHECK(s.group[0].point[2] == 2);
    }
    char dir[GI_PATH];
    CHECK(study_point_dir(&s, 1, "OUT", dir, sizeof dir, &e) == 0 && !strcmp(dir, "OUT/seed=1"));
    study_free(&s);
    /* another axis: a group per value, the seed varying fastest; seeds: defaults to 5 */
    p = write_text("study2.yaml", "axes:\n  train.weight_decay: [0.1, 2.0]\n");
    CHECK(study_load(p, &s, &e) == 0);
    CHECK(s.sweep.n_points == 10 && s.n_groups == 2 && s.seed_axis == 1);
    if (s.n_groups == 2) {
        CHECK(!strcmp(s.group[0].name, "weight_decay=0.1") && !strcmp(s.group[1].name, "weight_decay=2.0"));
        CHECK(s.group[1].n == 5 && s.group[1].point[0] == 5 && s.group[1].point[4] == 9);
    }
    CHECK(study_point_dir(&s, 6, "OUT", dir, sizeof dir, &e) == 0 && !strcmp(dir, "OUT/weight_decay=2.0,seed=1"));
    study_free(&s);
    /* an axis seed of the file's own is the seeds */
    p = write_text("study3.yaml", "axes:\n  seed: [3, 7]\n  model.width: [16, 32]\n");
    CHECK(study_load(p, &s, &e) == 0);
    CHECK(s.sweep.n_points == 4 && s.n_groups == 2 && s.seed_axis == 0);
    if (s.n_groups == 2) CHECK(!strcmp(s.group[0].name, "width=16") && s.group[0].n == 2 && s.group[0].point[1] == 2);
    study_free(&s);
}

TEST(study_file_errors_are_one_line) {
    static const struct { const char *text, *want; } cases[] = {
        {"base:\n  train.optimization_steps: 10\nseeds: 0\n", "study_bad.yaml:3: seeds: expected an integer from 1 to 1000, got '0'"},
        {"seeds: two\n", "seeds: expected an integer from 1 to 1000, got 'two'"},
        {"seeds: 1001\n", "got '1001'"},
        {"seeds: [1, 2]\n", "'seeds': expected config: FILE, base: {key: value}, axes: {key: [values]}, seeds: VALUE"},
        {"sedes: 3\n", "study_bad.yaml:1: 'sedes': expected config: FILE, base: {key: value}, axes: {key: [values]}, seeds: VALUE"},
        {"seeds: 2\naxes:\n  seed: [0, 1]\n", "seeds: and an axis seed"},
        {"seeds: 2\naxes:\n  model.widht: [8]\n", "unknown config key 'model.widht' (did you mean 'model.width'?)"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
        const char *p = write_text("study_bad.yaml", cases[i].text);
        study_spec s;
        gi_err e = {{0}};
        CHECK(study_load(p, &s, &e) == -1);
        CHECK_STR_CONTAINS(e.msg, cases[i].want);
        CHECK(strchr(e.msg, '\n') == NULL);
    }
}

/* ---- a study of two hand-written runs ---- */

static const int64_t grid[] = {0, 1, 2, 3, 4, 100, 200, 300, 400, 500, 600, 700, 800, 900, 1000};
#define N_GRID ((int)(sizeof grid / sizeof *grid))

static void write_run(const study_spec *s, int point, const char *out, int seed, int *failures) {
    char dir[GI_PATH - 64], path[GI_PATH];
    gi_err e;
    gi_config c;
    char name[256];
    CHECK(sweep_point(&s->sweep, point, &c, name, sizeof name, &e) == 0);
    CHECK(study_point_dir(s, point, out, dir, sizeof dir, &e) == 0);
    CHECK(make_dirs(dir, &e) == 0);
    snprintf(path, sizeof path, "%s/config.yaml", dir);
    FILE *f = fopen(path, "w");
    config_write_yaml(&c, f);
    fclose(f);
    snprintf(path, sizeof path, "%s/summary.json", dir);
    f = fopen(path, "w");
    fprintf(f, "{\n  \"status\": \"finished\",\n  \"grokking_step\": 500,\n  \"timing_seconds\": {\"training_steps\": 1.5, \"noise_model\": 0.25, \"total\": 2.0}\n}\n");
    fclose(f);
    snprintf(path, sizeof path, "%s/metrics.csv", dir);
    f = fopen(path, "w");
    fprintf(f, "step,train_loss,train_acc,eval_loss,eval_acc,seconds\n");
    for (int i = 0; i < N_GRID; i++)
        fprintf(f, "%lld,1,%g,1,%g,0.%d\n", (long long)grid[i], i < 5 ? 0.1 : 1.0, grid[i] >= 500 ? 0.6 + 0.1 * seed : 0.1, i);
    fclose(f);
    /* mi.csv with the redraws' columns: the means are the values (ixl itself is 100, a decoy);
     * eval layer 1 flagged at 3 of the 15 points, train layer 1 at 8 (so not valid there) */
    snprintf(path, sizeof path, "%s/mi.csv", dir);
    f = fopen(path, "w");
    fprintf(f, "step,subset,layer,ixl,ixl_err,ily,ily_err,estimator,dx,dl,h_y,flags,redraws,ixl_mean,ixl_sd,ily_mean,ily_sd,ixl_half,ily_half\n");
    for (int i = 0; i < N_GRID; i++)
        for (int sub = 0; sub < 2; sub++) {
            int bad = sub == 0 ? (i == 2 || i == 7 || i == 11) : i >= 7;
            double ixl = 2.0 + seed + grid[i] / 1000.0, ily = 1.0 + 0.5 * seed + grid[i] / 2000.0;
            fprintf(f, "%lld,%s,1,100,0.1,100,0.1,wkl,4,4,2.3,%s,5,%.9g,0.01,%.9g,0.01,0.02,0.02\n", (long long)grid[i],
                    sub ? "train" : "eval", bad ? "ixl_negative" : "", ixl, ily);
        }
    fclose(f);
    /* the noise model: train at ln 200 - 0.05, flagged at its ceiling as the run flags it; eval below */
    snprintf(path, sizeof path, "%s/mi_noise.csv", dir);
    f = fopen(path, "w");
    fprintf(f, "step,subset,layer,ixl,ixl_err,ily,ily_err,estimator,dx,dl,h_y,flags,sigma,ixl_lo,ixl_hi,ily_lo,ily_hi\n");
    for (int i = 0; i < N_GRID; i++) {
        fprintf(f, "%lld,eval,1,%.9g,0.01,1.5,0.01,noise,0,32,2.3,,0.001,3,3,1.5,1.5\n", (long long)grid[i], 3.0 + 0.001 * grid[i]);
        fprintf(f, "%lld,train,1,%.9g,0.01,2.2,0.01,noise,0,32,2.3,ixl_at_ceiling,0.001,5,5,2.2,2.2\n", (long long)grid[i],
                log(200.0) - 0.05);
    }
    fclose(f);
    /* O-information: a synergy spike (Ω_min = -1) at 300 in oinfo.csv, at 800 in oinfo-2.csv */
    for (int k = 0; k < 2; k++) {
        snprintf(path, sizeof path, k ? "%s/oinfo-2.csv" : "%s/oinfo.csv", dir);
        f = fopen(path, "w");
        fprintf(f, "step,layer,omega_min,omega_max,size_min,size_max,tc_min,dtc_min,n_live,n_dead\n");
        for (int i = 0; i < N_GRID; i++)
            fprintf(f, "%lld,1,%g,%g,3,5,0.1,0.1,32,0\n", (long long)grid[i], grid[i] == (k ? 800 : 300) ? -1.0 : 0.0,
                    0.1 * i);
        fclose(f);
    }
}

static char *slurp(const char *dir, const char *name) {
    char path[2 * GI_PATH];
    snprintf(path, sizeof path, "%s/%s", dir, name);
    size_t n;
    unsigned char *b = test_read_bytes(path, &n);
    b[n] = 0;
    return (char *)b;
}

/* the value of column col in the first row of a table whose text columns match */
static double band_value(const table *t, const char *quantity, const char *estimator, const char *subset, double step, const char *col) {
    int cq = table_col(t, "quantity"), ce = table_col(t, "estimator"), cs = table_col(t, "subset"), cst = table_col(t, "step");
    int cv = table_col(t, col);
    for (int r = 0; r < t->n_rows; r++)
        if (!strcmp(t->text[cq][r], quantity) && !strcmp(t->text[ce][r], estimator) && !strcmp(t->text[cs][r], subset) &&
            t->num[cst][r] == step)
            return t->num[cv][r];
    return NAN;
}

TEST(study_analysis_of_hand_written_runs) {
    const char *p = write_text("study_runs.yaml", "base:\n  train.train_points: 200\n  mi.eval_points: 400\nseeds: 2\n");
    study_spec s;
    gi_err e;
    CHECK(study_load(p, &s, &e) == 0);
    const char *out = test_tmp_path("study_out");
    for (int i = 0; i < 2; i++) write_run(&s, i, out, i, failures);
    char mi0[GI_PATH + 64];
    snprintf(mi0, sizeof mi0, "%s/seed=0", out);
    char *before = slurp(mi0, "mi_noise.csv");
    study_result r;
    gi_sink quiet = {0};
    int rc = study_analyse(&s, out, 0, &quiet, &r, &e);
    CHECK(rc == 0);
    if (rc) { fprintf(stderr, "  %s\n", e.msg); study_free(&s); return; }
    CHECK(r.n_groups == 1 && r.group[0].finished == 2 && r.group[0].n_estimators == 2);
    CHECK(!strcmp(r.group[0].estimator[0], "wkl") && !strcmp(r.group[0].estimator[1], "noise"));
    CHECK(r.timed_runs == 2 && r.n_timing == 3 && !strcmp(r.timing_key[1], "noise_model"));
    CHECK_CLOSE(r.timing_sum[0], 3.0, 1e-12, 0);
    const char *dir = r.group[0].dir;
    /* the run's own file is untouched and no scratch file is left */
    char *after = slurp(mi0, "mi_noise.csv");
    CHECK(!strcmp(before, after));
    free(before);
    free(after);
    DIR *d = opendir(dir);
    struct dirent *de;
    int scratch = 0;
    while (d && (de = readdir(d))) scratch += strstr(de->d_name, "phases-input") != NULL;
    if (d) closedir(d);
    CHECK(scratch == 0);
    /* validity: wkl 12/15 on eval (valid), 7/15 on train (not); noise valid on eval, at ln N on train */
    char *v = slurp(dir, "validity.csv");
    CHECK_STR_CONTAINS(v, "seed,estimator,subset,layer,points,valid_points,valid,outside_regime\n"
                          "0,wkl,eval,1,15,12,1,0\n0,wkl,train,1,15,7,0,0\n0,noise,eval,1,15,15,1,0\n0,noise,train,1,15,0,0,0\n"
                          "1,wkl,eval,1,15,12,1,0\n");
    free(v);
    /* bands: the means, the valid values only */
    char path[GI_PATH + 64];
    snprintf(path, sizeof path, "%s/bands.csv", dir);
    table t;
    CHECK(table_read(path, "quantity,estimator,subset", &t, &e) == 0);
    CHECK_CLOSE(band_value(&t, "ixl", "wkl", "eval", 100, "median"), 2.6, 1e-9, 0);   /* 2.1 and 3.1 */
    CHECK_CLOSE(band_value(&t, "ixl", "wkl", "eval", 100, "q25"), 2.35, 1e-9, 0);
    CHECK_CLOSE(band_value(&t, "ixl", "wkl", "eval", 100, "q75"), 2.85, 1e-9, 0);
    CHECK_CLOSE(band_value(&t, "ily", "wkl", "eval", 1000, "median"), 1.75, 1e-9, 0); /* 1.5 and 2.0 */
    CHECK(band_value(&t, "ixl", "wkl", "eval", 2, "seeds") == 0);                  /* flagged in both */
    CHECK(isnan(band_value(&t, "ixl", "wkl", "eval", 2, "median")));
    CHECK(band_value(&t, "ixl", "noise", "train", 100, "seeds") == 0);
    CHECK_CLOSE(band_value(&t, "acc", "", "eval", 500, "median"), 0.65, 1e-12, 0);
    CHECK(band_value(&t, "acc", "", "eval", 500, "seeds") == 2);
    table_free(&t);
    /* O-information: one row per run, file and layer; the peak before grokking (500) in oinfo.csv only */
    char *pk = slurp(dir, "peak_vs_grokking.csv");
    CHECK(!strcmp(pk, "seed,file,layer,peak_step,grokking_step,peak_before_grokking\n"
                      "0,oinfo.csv,1,300,500,1\n0,oinfo-2.csv,1,800,500,0\n1,oinfo.csv,1,300,500,1\n1,oinfo-2.csv,1,800,500,0\n"));
    free(pk);
    char *bo = slurp(dir, "bands_oinfo.csv");
    CHECK_STR_CONTAINS(bo, "quantity,file,layer,step,seeds,median,q25,q75\nsynergy,oinfo.csv,1,1,2,0,0,0\n");
    CHECK_STR_CONTAINS(bo, "synergy,oinfo-2.csv,1,800,2,0.1,0.1,0.1\n");
    free(bo);
    char *ph = slurp(dir, "phases.csv"), *cs = slurp(dir, "consensus.csv");
    static const char ph_head[] = "seed,estimator,subset,layer,phase,start,end\n",
                      cs_head[] = "subset,layer,phase,segments,seeds,seed_fraction,estimators,estimator_fraction,estimator_names,";
    CHECK(!strncmp(ph, ph_head, sizeof ph_head - 1));
    CHECK(!strncmp(cs, cs_head, sizeof cs_head - 1));
    /* a second analysis writes the same bytes */
    static const char *const files[] = {"phases.csv", "validity.csv", "consensus.csv", "bands.csv", "peak_vs_grokking.csv", "bands_oinfo.csv"};
    char *first[6];
    for (int i = 0; i < 6; i++) first[i] = slurp(dir, files[i]);
    study_result r2;
    CHECK(study_analyse(&s, out, 0, &quiet, &r2, &e) == 0);
    for (int i = 0; i < 6; i++) {
        char *again = slurp(dir, files[i]);
        if (strcmp(first[i], again)) { fprintf(stderr, "  %s differs on a second analysis\n", files[i]); (*failures)++; }
        free(again);
        free(first[i]);
    }
    free(ph);
    free(cs);
    study_result_free(&r2);
    study_result_free(&r);
    /* a run that has not finished is left out with a note */
    snprintf(path, sizeof path, "%s/seed=1/summary.json", out);
    test_write_bytes(path, "{\"status\": \"diverged\"}\n", 23);
    CHECK(study_analyse(&s, out, 0, &quiet, &r, &e) == 0);
    CHECK(r.group[0].finished == 1);
    study_result_free(&r);
    /* a broken MI file is an error naming the file and line */
    snprintf(path, sizeof path, "%s/seed=0/mi.csv", out);
    static const char broken[] = "step,subset,layer,ixl,ily,estimator\n0,eval,1,1,1,wkl\n0,test,1,1,1,wkl\n";
    test_write_bytes(path, broken, sizeof broken - 1);
    CHECK(study_analyse(&s, out, 0, &quiet, &r, &e) == -1);
    CHECK_STR_CONTAINS(e.msg, "seed=0/mi.csv:3: subset 'test', expected train or eval");
    study_result_free(&r);
    study_free(&s);
}

/* The regime (measure/regime.h): a cross-check whose I(L;Y) is within 0.1 of H(Y) from step 500
 * on (collapsed) and 1.0 before (graded), its own I(X;L) 0.3 below step 100 and 1.5 from 100 to
 * 400. wkl is not valid on collapsed points, ksg not on graded ones above 0.5 nats, the noise model
 * is not judged; points outside are missing to the phase rule. */
TEST(study_points_outside_their_regime) {
    const char *p = write_text("study_regime.yaml", "base:\n  train.train_points: 200\n  mi.eval_points: 400\nseeds: 2\n");
    study_spec s;
    gi_err e;
    CHECK(study_load(p, &s, &e) == 0);
    const char *out = test_tmp_path("study_regime_out");
    for (int i = 0; i < 2; i++) {
        write_run(&s, i, out, i, failures);
        char path[GI_PATH + 64];
        snprintf(path, sizeof path, "%s/seed=%d/mi_check.csv", out, i);
        FILE *f = fopen(path, "w");
        fprintf(f, "step,subset,layer,ixl,ixl_err,ily,ily_err,estimator,dx,dl,h_y,flags\n");
        for (int j = 0; j < N_GRID; j++)
            for (int sub = 0; sub < 2; sub++)
                fprintf(f, "%lld,%s,1,%g,0.1,%g,0.1,ksg,4,4,2.3,\n", (long long)grid[j], sub ? "train" : "eval",
                        grid[j] < 100 ? 0.3 : grid[j] < 500 ? 1.5 : 2.0, grid[j] >= 500 ? 2.25 : 1.0);
        fclose(f);
    }
    /* a re-measurement of seed 0 (mi-kl.csv: kl trusted on graded points up to 0.5 nats, not on
     * collapsed ones) is a fourth estimator; its _redraws.csv is not an MI file */
    char path[GI_PATH + 64];
    snprintf(path, sizeof path, "%s/seed=0/mi-kl.csv", out);
    FILE *f = fopen(path, "w");
    fprintf(f, "step,subset,layer,ixl,ixl_err,ily,ily_err,estimator,dx,dl,h_y,flags\n");
    for (int j = 0; j < N_GRID; j++) fprintf(f, "%lld,eval,1,0.4,0.1,1,0.1,kl,4,4,2.3,\n", (long long)grid[j]);
    fclose(f);
    snprintf(path, sizeof path, "%s/seed=0/mi-kl_redraws.csv", out);
    test_write_bytes(path, "step\n", 5);
    study_result r;
    gi_sink quiet = {0};
    int rc = study_analyse(&s, out, 0, &quiet, &r, &e);
    CHECK(rc == 0);
    if (rc) { fprintf(stderr, "  %s\n", e.msg); study_free(&s); return; }
    CHECK(r.n_groups == 1 && r.group[0].n_estimators == 4 && !strcmp(r.group[0].estimator[3], "kl"));
    /* wkl eval: 3 flagged (2, 300, 700), 5 more from 500 on outside (700 is flagged already), so
     * 7 of 15 valid: not valid on the curve; ksg: 100..400 outside on both subsets */
    char *v = slurp(r.group[0].dir, "validity.csv");
    CHECK_STR_CONTAINS(v, "seed,estimator,subset,layer,points,valid_points,valid,outside_regime\n"
                          "0,wkl,eval,1,15,7,0,5\n0,wkl,train,1,15,7,0,0\n0,ksg,eval,1,15,11,1,4\n0,ksg,train,1,15,11,1,4\n"
                          "0,noise,eval,1,15,15,1,0\n0,noise,train,1,15,0,0,0\n0,kl,eval,1,15,9,1,6\n");
    free(v);
    /* the phase rule saw wkl's eval curve end at 400 */
    snprintf(path, sizeof path, "%s/phases.csv", r.group[0].dir);
    table t;
    CHECK(table_read(path, "estimator,subset,layer,phase", &t, &e) == 0);
    for (int i = 0; i < t.n_rows; i++)
        if (!strcmp(t.text[1][i], "wkl") && !strcmp(t.text[2][i], "eval")) CHECK(t.num[6][i] <= 400);
    table_free(&t);
    study_result_free(&r);
    study_free(&s);
}

/* the study files shipped in configs/ load: every point's configuration is checked */
TEST(study_files_in_configs_load) {
    study_spec s;
    gi_err e;
    int rc = study_load("configs/study-mnist.yaml", &s, &e);
    CHECK(rc == 0);
    if (rc) fprintf(stderr, "  %s\n", e.msg);
    else {
        CHECK(s.sweep.n_points == 5 && s.n_groups == 1 && !strcmp(s.group[0].name, "all"));
        gi_config c;
        char name[256];
        CHECK(sweep_point(&s.sweep, 4, &c, name, sizeof name, &e) == 0 && c.seed == 4 && c.mi.check && c.mi.noise_model &&
              c.train.optimization_steps == 100000 && !strcmp(name, "seed=4"));
        study_free(&s);
    }
    rc = study_load("configs/study-modular.yaml", &s, &e);
    CHECK(rc == 0);
    if (rc) fprintf(stderr, "  %s\n", e.msg);
    else {
        CHECK(s.sweep.n_points == 10 && s.n_groups == 2 && !strcmp(s.group[1].name, "weight_decay=2.0"));
        gi_config c;
        char name[256];
        CHECK(sweep_point(&s.sweep, 7, &c, name, sizeof name, &e) == 0 && c.seed == 2 && c.train.weight_decay == 2.0 &&
              !strcmp(c.data.name, "modular") && c.oinfo.enabled);
        study_free(&s);
    }
}
