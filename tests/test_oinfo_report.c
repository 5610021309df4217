/* test_oinfo_report.c — the O-information curves as the paper draws them (min–max, then EMA 0.1,
 * synergy = −Ω_min, step 0 left out), their peaks, the milestones, the JSON, and the errors. */
#include <stdlib.h>
#include <sys/stat.h>
#include "test.h"
#include "report/oinfo_report.h"

static void write_text(const char *path, const char *text) { test_write_bytes(path, text, strlen(text)); }

TEST(oinfo_ema_and_minmax_by_hand) {
    double x[4] = {1, 0, 0, 10}, s[4];
    oinfo_ema(x, 4, 0.1, s);
    CHECK_CLOSE(s[0], 1, 0, 0);            /* starts at the first value */
    CHECK_CLOSE(s[1], 0.9, 1e-15, 0);
    CHECK_CLOSE(s[2], 0.81, 1e-15, 0);
    CHECK_CLOSE(s[3], 1.729, 1e-15, 0);    /* 0.1·10 + 0.9·0.81 */
    double y[4] = {2, 4, 3, 6};
    oinfo_minmax(y, 4, y);                 /* in place */
    CHECK_CLOSE(y[0], 0, 0, 0);
    CHECK_CLOSE(y[1], 0.5, 1e-15, 0);
    CHECK_CLOSE(y[2], 0.25, 1e-15, 0);
    CHECK_CLOSE(y[3], 1, 1e-15, 0);
    double c[3] = {7, 7, 7};
    oinfo_minmax(c, 3, c);                 /* constant: zeros, as MinMaxScaler */
    CHECK(c[0] == 0 && c[1] == 0 && c[2] == 0);
    double t[5] = {1, 3, 2, 3, 0};
    CHECK(oinfo_argmax(t, 5) == 1);        /* the first of equal maxima */
    CHECK(oinfo_argmax(t, 0) == -1);
}

/* a Gaussian bump over 600 evaluation points: the EMA (lag (1 − α)/α = 9 points for a ramp) moves
 * the peak a few points later, never earlier, and not by more than the lag */
TEST(oinfo_peak_of_a_bump) {
    enum { N = 600 };
    double x[N], s[N];
    for (int i = 0; i < N; i++) x[i] = exp(-0.5 * (i - 300.0) * (i - 300.0) / (40.0 * 40.0));
    oinfo_minmax(x, N, s);
    oinfo_ema(s, N, OINFO_EMA_ALPHA, s);
    int k = oinfo_argmax(s, N);
    CHECK(k > 300 && k <= 309);
    /* the smoothed curve's peak is where it crosses the raw one (s[k] ≈ x[k]) */
    CHECK_CLOSE(s[k], x[k], 2e-3, 0);
}

static const char *make_run(const char *name, const char *oinfo, const char *metrics) {
    const char *dir = test_tmp_path(name);
    mkdir(dir, 0777);
    char p[600];
    if (oinfo) { snprintf(p, sizeof p, "%s/oinfo.csv", dir); write_text(p, oinfo); }
    if (metrics) { snprintf(p, sizeof p, "%s/metrics.csv", dir); write_text(p, metrics); }
    return dir;
}

static const char *METRICS = "step,train_loss,train_acc,eval_loss,eval_acc\n"
                             "0,1,0.1,1,0\n10,1,0.995,1,0.2\n20,1,1,1,0.6\n30,1,1,1,0.9\n";

TEST(oinfo_report_curves_by_hand) {
    /* layer 1: step 0 left out; −Ω_min = 1, 3, −1 → 0.5, 1, 0 → EMA 0.5, 0.55, 0.495 (peak at 20);
     * Ω_max = 2, 4, 3 → 0, 1, 0.5 → EMA 0, 0.1, 0.14 (peak at 30).
     * layer 2: an empty Ω row (fewer than two live clusters) is left out. */
    char dir[600];
    snprintf(dir, sizeof dir, "%s",
             make_run("oinfo_run", "step,layer,omega_min,omega_max,size_min,size_max,tc_min,dtc_min,n_live,n_dead\n"
                                   "0,1,-5,9,3,8,1,1,8,0\n0,2,-1,1,2,2,1,1,4,0\n"
                                   "10,1,-1,2,3,8,1,1,8,0\n10,2,,,0,0,,,1,3\n"
                                   "20,1,-3,4,5,8,1,1,8,0\n20,2,-2,3,2,4,1,1,4,0\n"
                                   "30,1,1,3,2,8,1,1,8,0\n30,2,-1,1,2,4,1,1,4,0\n",
                      METRICS));
    oinfo_report r;
    gi_err e = {""};
    CHECK(oinfo_report_read(dir, 0.99, 0.5, &r, &e) == 0);
    if (r.n_layers != 2) { CHECK(r.n_layers == 2); oinfo_report_free(&r); return; }
    const oinfo_layer_curve *c = &r.layer[0];
    CHECK(c->n == 3 && c->step[0] == 10);
    CHECK_CLOSE(c->synergy[0], 0.5, 1e-15, 0);
    CHECK_CLOSE(c->synergy[1], 0.55, 1e-15, 0);
    CHECK_CLOSE(c->synergy[2], 0.495, 1e-15, 0);
    CHECK_CLOSE(c->redundancy[1], 0.1, 1e-15, 0);
    CHECK_CLOSE(c->redundancy[2], 0.14, 1e-15, 0);
    CHECK(c->synergy_peak_step == 20 && c->redundancy_peak_step == 30);
    CHECK_CLOSE(c->omega_min_at_peak, -3, 0, 0);
    CHECK_CLOSE(c->size_smooth[1], 0.1 * 5 + 0.9 * 3, 1e-15, 0);
    CHECK(r.layer[1].n == 2 && r.layer[1].step[0] == 20);
    CHECK(r.memorisation_step == 10 && r.grokking_step == 20);
    /* the summary.json fragment */
    const char *jp = test_tmp_path("oinfo.json");
    FILE *f = fopen(jp, "w");
    oinfo_report_json_extra(f, &r);
    fclose(f);
    size_t n;
    char *json = (char *)test_read_bytes(jp, &n);
    json[n] = '\0';
    CHECK_STR_CONTAINS(json, "  \"oinfo\": {\n");
    CHECK_STR_CONTAINS(json, "\"grokking_step\": 20,");
    CHECK_STR_CONTAINS(json, "\"memorisation_step\": 10,");
    CHECK_STR_CONTAINS(json, "{\"layer\": 1, \"points\": 3, \"synergy_peak_step\": 20, \"redundancy_peak_step\": 30,");
    CHECK_STR_CONTAINS(json, "\n  },\n");
    free(json);
    /* the printed lines */
    f = fopen(jp, "w");
    oinfo_report_print(f, &r);
    fclose(f);
    json = (char *)test_read_bytes(jp, &n);
    json[n] = '\0';
    CHECK_STR_CONTAINS(json, "memorised (train_acc>=0.99) at 10, grokked (eval_acc>=0.5) at 20\n");
    CHECK_STR_CONTAINS(json, "layer 1: smoothed synergy peaks at 20 (at grokking), redundancy at 30 (10 after grokking)");
    CHECK(strstr(json, "ties") == NULL); /* a file without the column: the index rule, not named */
    free(json);
    CHECK(strcmp(r.ties, "index") == 0);
    oinfo_report_free(&r);
}

/* oinfo.ties other than index adds a last text column, ties: read, printed and in the JSON */
TEST(oinfo_report_reads_the_ties_column) {
    const char *head = "step,layer,omega_min,omega_max,size_min,size_max,tc_min,dtc_min,n_live,n_dead,ties\n";
    char text[512], dir[600];
    snprintf(text, sizeof text, "%s0,1,-5,9,3,8,1,1,8,0,random\n10,1,-1,2,3,8,1,1,8,0,random\n20,1,,,0,0,,,1,7,random\n",
             head);
    snprintf(dir, sizeof dir, "%s", make_run("oinfo_ties", text, METRICS));
    oinfo_report r;
    gi_err e = {""};
    CHECK(oinfo_report_read(dir, 0.99, 0.5, &r, &e) == 0);
    if (e.msg[0]) fprintf(stderr, "  %s\n", e.msg);
    CHECK(strcmp(r.ties, "random") == 0 && r.n_layers == 1 && r.layer[0].n == 1);
    const char *jp = test_tmp_path("oinfo_ties.json");
    FILE *f = fopen(jp, "w");
    oinfo_report_print(f, &r);
    oinfo_report_json_extra(f, &r);
    fclose(f);
    size_t n;
    char *out = (char *)test_read_bytes(jp, &n);
    out[n] = '\0';
    CHECK_STR_CONTAINS(out, "oinfo_ties/oinfo.csv, ties random): memorised");
    CHECK_STR_CONTAINS(out, "\"ties\": \"random\",\n");
    free(out);
    oinfo_report_free(&r);
    /* one file, one rule */
    snprintf(text, sizeof text, "%s10,1,-1,2,3,8,1,1,8,0,random\n20,1,-1,2,3,8,1,1,8,0,index\n", head);
    snprintf(dir, sizeof dir, "%s", make_run("oinfo_ties_mixed", text, METRICS));
    CHECK(oinfo_report_read(dir, 0.99, 0.5, &r, &e) == -1);
    CHECK_STR_CONTAINS(e.msg, "oinfo.csv:3: ties 'index', but the first row's is 'random'");
}

TEST(oinfo_report_errors_name_file_and_column) {
    oinfo_report r;
    gi_err e = {""};
    const char *dir = make_run("oinfo_none", NULL, METRICS);
    CHECK(oinfo_report_read(dir, 0.99, 0.5, &r, &e) == -1);
    CHECK_STR_CONTAINS(e.msg, "oinfo_none/oinfo.csv: cannot open");
    dir = make_run("oinfo_nocol", "step,layer,omega_min,size_min,n_live\n5,1,-1,3,8\n", METRICS);
    CHECK(oinfo_report_read(dir, 0.99, 0.5, &r, &e) == -1);
    CHECK_STR_CONTAINS(e.msg, "oinfo_nocol/oinfo.csv: no column 'omega_max'");
    CHECK(strchr(e.msg, '\n') == NULL);
    dir = make_run("oinfo_nometrics", "step,layer,omega_min,omega_max,size_min,n_live\n5,1,-1,2,3,8\n", NULL);
    CHECK(oinfo_report_read(dir, 0.99, 0.5, &r, &e) == -1);
    CHECK_STR_CONTAINS(e.msg, "oinfo_nometrics/metrics.csv: cannot open");
    dir = make_run("oinfo_order", "step,layer,omega_min,omega_max,size_min,n_live\n5,1,-1,2,3,8\n5,1,-1,2,3,8\n", METRICS);
    CHECK(oinfo_report_read(dir, 0.99, 0.5, &r, &e) == -1);
    CHECK_STR_CONTAINS(e.msg, "oinfo.csv:3: step 5 of layer 1 does not follow step 5");
    dir = make_run("oinfo_layer", "step,layer,omega_min,omega_max,size_min,n_live\n5,0,-1,2,3,8\n", METRICS);
    CHECK(oinfo_report_read(dir, 0.99, 0.5, &r, &e) == -1);
    CHECK_STR_CONTAINS(e.msg, "oinfo.csv:2: layer 0, expected an integer 1..64");
}
