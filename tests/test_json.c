/* test_json.c — the flat JSON reader on summary.json's shapes. */
#include "test.h"
#include <math.h>
#include <stdlib.h>
#include "util/json.h"

TEST(json_summary_shapes) {
    const char *text =
        "{\n  \"status\": \"fin\\\"ished\",\n  \"memorisation_step\": 4000,\n  \"grokking_step\": null,\n"
        "  \"final_eval_acc\": 0.897222,\n  \"final_train_loss\": 2.58942843e-06,\n"
        "  \"oinfo\": {\"layers\": [\n {\"layer\": 1, \"synergy_peak_step\": 30}, {\"layer\": 2, \"synergy_peak_step\": null}]},\n"
        "  \"timing_seconds\": {\"total\": 1.5},\n  \"sparse_input\": true, \"empty\": {}, \"list\": []\n}\n";
    json_doc d;
    gi_err e = {{0}};
    CHECK(json_parse(text, "s.json", &d, &e) == 0);
    CHECK(strcmp(json_str(&d, "status"), "fin\"ished") == 0);
    CHECK_CLOSE(json_num(&d, "memorisation_step"), 4000, 0, 0);
    CHECK(isnan(json_num(&d, "grokking_step")) && json_get(&d, "grokking_step")->kind == JSON_NULL);
    CHECK_CLOSE(json_num(&d, "final_eval_acc"), 0.897222, 0, 1e-15);
    CHECK_CLOSE(json_num(&d, "final_train_loss"), 2.58942843e-06, 0, 1e-15);
    CHECK_CLOSE(json_num(&d, "oinfo.layers.0.synergy_peak_step"), 30, 0, 0);
    CHECK_CLOSE(json_num(&d, "oinfo.layers.1.layer"), 2, 0, 0);
    CHECK(isnan(json_num(&d, "oinfo.layers.1.synergy_peak_step")));
    CHECK_CLOSE(json_num(&d, "timing_seconds.total"), 1.5, 0, 0);
    CHECK(json_get(&d, "sparse_input")->kind == JSON_BOOL && json_get(&d, "sparse_input")->num == 1);
    CHECK(json_get(&d, "missing") == NULL && isnan(json_num(&d, "missing")) && json_str(&d, "final_eval_acc") == NULL);
    CHECK(d.n == 11);
    json_free(&d);
}

TEST(json_errors_name_the_line) {
    json_doc d;
    gi_err e = {{0}};
    CHECK(json_parse("{\n  \"a\": 1,\n  \"b\" 2\n}", "x.json", &d, &e) == -1);
    CHECK_STR_CONTAINS(e.msg, "x.json:3: expected ':' after a key");
    CHECK(json_parse("{\"a\": [1, 2}", "y.json", &d, &e) == -1);
    CHECK_STR_CONTAINS(e.msg, "y.json:1: expected ',' or ']'");
    CHECK(json_parse("{\"a\": 1} x", "z.json", &d, &e) == -1);
    CHECK_STR_CONTAINS(e.msg, "expected the end of the document");
    CHECK(json_parse("{\"a\": \"open", "w.json", &d, &e) == -1);
    CHECK_STR_CONTAINS(e.msg, "unterminated string");
    CHECK(json_read_file("/nonexistent/summary.json", &d, &e) == -1);
    CHECK_STR_CONTAINS(e.msg, "/nonexistent/summary.json: cannot open");
}

TEST(json_write_string_reads_back) {
    const char *s = "run \"a\\b\"\n\tend";
    char *text = NULL;
    size_t n = 0;
    FILE *f = open_memstream(&text, &n);
    fputs("{\"k\": ", f);
    json_write_string(f, s);
    fputs("}", f);
    fclose(f);
    CHECK(strstr(text, "\\u000a") && strstr(text, "\\\"a\\\\b\\\""));
    json_doc d;
    gi_err e;
    CHECK(json_parse(text, "t", &d, &e) == 0);
    const char *back = json_str(&d, "k");
    CHECK(back && !strcmp(back, s));
    json_free(&d);
    free(text);
}
