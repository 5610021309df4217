/* test_fuzz_regressions.c — every input that once crashed, hung or leaked under `make fuzz`,
 * kept in tests/data/fuzz/ as the bytes its parser read, named PARSER-what.ext. Each must now be
 * refused with a message naming its file (and, in the sanitizer suite, without a leak). */
#include "test.h"
#include <dirent.h>
#include <stdlib.h>
#include "data/idx.h"
#include "nn/autoencoder.h"
#include "report/table.h"
#include "sweep/sweep.h"
#include "run/run_csv.h"
#include "train/trainer.h"
#include "util/config.h"
#include "util/json.h"
#include "util/npy.h"

/* 0 if the parser accepted the file (and freed what it made), -1 if it refused it */
static int parse_as(const char *parser, const char *path, gi_err *e) {
    size_t n;
    unsigned char *bytes = test_read_bytes(path, &n);
    int rc = -2;
    if (!strcmp(parser, "npy")) {
        num_matrix m;
        if ((rc = npy_parse(bytes, n, path, &m, e)) == 0) matrix_free(&m);
    } else if (!strcmp(parser, "idx")) {
        idx_array a;
        if ((rc = idx_parse(bytes, n, path, &a, e)) == 0) idx_free(&a);
    } else if (!strcmp(parser, "json")) {
        char *text = malloc(n + 1);
        memcpy(text, bytes, n);
        text[n] = 0;
        json_doc d;
        if ((rc = json_parse(text, path, &d, e)) == 0) json_free(&d);
        free(text);
    } else if (!strcmp(parser, "csv")) {
        num_matrix m;
        if ((rc = csv_read(path, &m, e)) == 0) matrix_free(&m);
    } else if (!strcmp(parser, "table")) {
        table t;
        if ((rc = table_read(path, "subset,estimator", &t, e)) == 0) table_free(&t);
    } else if (!strcmp(parser, "config")) {
        gi_config c;
        config_defaults(&c);
        rc = config_load_file(&c, path, e);
        if (rc == 0) rc = config_validate(&c, e);
    } else if (!strcmp(parser, "sweep")) {
        sweep_spec s;
        if ((rc = sweep_load(path, &s, e)) == 0) sweep_free(&s);
    } else if (!strcmp(parser, "resume_csv")) { /* as fuzz/fuzz_resume_csv.c: only a bad header is refused */
        csv_text c = {0};
        acc_history h = {0};
        double seconds = 0;
        rc = csv_load_metrics(&c, path, "step,train_loss,train_acc,eval_loss,eval_acc,seconds\n", 1000, &h, &seconds, e);
        free(c.text);
        history_free(&h);
    } else if (!strcmp(parser, "ae") || !strcmp(parser, "autoencoder")) {
        autoencoder ae;
        if ((rc = ae_load(&ae, path, e)) == 0) ae_free(&ae);
    } else if (!strcmp(parser, "checkpoint")) {
        mlp m;
        int64_t step;
        mlp_create(&m, 784, 200, 3, 10, ACT_RELU, 1);
        rc = checkpoint_load_params(path, &m, &step, e);
        mlp_free(&m);
    }
    free(bytes);
    return rc;
}

TEST(fuzz_found_inputs_are_refused_cleanly) {
    const char *dir = "tests/data/fuzz";
    DIR *d = opendir(dir);
    CHECK(d != NULL);
    if (!d) return;
    int seen = 0;
    for (struct dirent *ent; (ent = readdir(d));) {
        if (ent->d_name[0] == '.' || !strcmp(ent->d_name, "README")) continue;
        char parser[256], path[512];
        snprintf(parser, sizeof parser, "%s", ent->d_name);
        char *dash = strchr(parser, '-');
        if (dash) *dash = 0;
        snprintf(path, sizeof path, "%s/%s", dir, ent->d_name);
        gi_err e = {{0}};
        int rc = parse_as(parser, path, &e);
        if (rc != -1) fprintf(stderr, "  %s: %s\n", path, rc == -2 ? "no parser by that name" : "accepted");
        CHECK(rc == -1);
        CHECK_STR_CONTAINS(e.msg, path);
        seen++;
    }
    closedir(d);
    CHECK(seen >= 1);
}
