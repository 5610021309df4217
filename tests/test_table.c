/* test_table.c — CSV tables with a header: numbers, text columns, errors with file:line:column. */
#include <stdlib.h>
#include "test.h"
#include "report/table.h"

static void write_text(const char *path, const char *text) { test_write_bytes(path, text, strlen(text)); }

TEST(table_reads_numbers_and_text) {
    const char *p = test_tmp_path("t1.csv");
    write_text(p, "step,subset,ixl,estimator\r\n0,eval,1.5,ksg\r\n\r\n1000, train ,-2e-3,ksg\r\n2000,eval,,kl\r\n");
    table t;
    gi_err e = {""};
    CHECK(table_read(p, "subset,estimator,unused", &t, &e) == 0);
    CHECK(t.n_rows == 3 && t.n_cols == 4);
    const double *step = table_num(&t, "step", &e), *ixl = table_num(&t, "ixl", &e);
    char *const *sub = table_text(&t, "subset", &e);
    CHECK(step && ixl && sub);
    if (step && ixl && sub) {
        CHECK_CLOSE(step[1], 1000, 0, 0);
        CHECK_CLOSE(ixl[1], -2e-3, 0, 0);
        CHECK(isnan(ixl[2]));
        CHECK(strcmp(sub[1], "train") == 0);
        CHECK(t.line[1] == 4);
    }
    CHECK(table_num(&t, "subset", &e) == NULL);
    CHECK_STR_CONTAINS(e.msg, "holds text");
    table_free(&t);
}

TEST(table_errors_name_the_place) {
    gi_err e = {""};
    table t;
    CHECK(table_read(test_tmp_path("absent.csv"), NULL, &t, &e) == -1);
    CHECK_STR_CONTAINS(e.msg, "absent.csv: cannot open");
    const char *p = test_tmp_path("bad.csv");
    write_text(p, "step,subset,ixl\n0,eval,1\n1,eval,1.2x\n");
    CHECK(table_read(p, "subset", &t, &e) == -1);
    CHECK_STR_CONTAINS(e.msg, "bad.csv:3: column 3 'ixl': expected a number, got '1.2x'");
    write_text(p, "a,b\n1,2\n3\n");
    CHECK(table_read(p, NULL, &t, &e) == -1);
    CHECK_STR_CONTAINS(e.msg, "bad.csv:3: 1 fields, expected 2");
    write_text(p, "a,b\n1,2\n");
    CHECK(table_read(p, NULL, &t, &e) == 0);
    CHECK(table_num(&t, "c", &e) == NULL);
    CHECK_STR_CONTAINS(e.msg, "no column 'c' (columns: a,b)");
    table_free(&t);
    write_text(p, "");
    CHECK(table_read(p, NULL, &t, &e) == -1);
    CHECK_STR_CONTAINS(e.msg, "empty file");
}
