/* test_phases.c — Savitzky–Golay and the information-plane phases on the default evaluation grid
 * (steps 0..29, then every 1000 to 100000: 130 points). */
#include <stdint.h>
#include <stdlib.h>
#include "test.h"
#include "report/phases.h"
#include "report/savgol.h"
#include "util/rng.h"

static int default_grid(int64_t *step) {
    int n = 0;
    for (int s = 0; s < 30; s++) step[n++] = s;
    for (int s = 1000; s <= 100000; s += 1000) step[n++] = s;
    return n;
}

TEST(savgol_reproduces_its_order) {
    enum { N = 40 };
    double y[N], s[N], d[N];
    for (int i = 0; i < N; i++) y[i] = 2.0 - 0.5 * i + 0.03 * i * i - 0.001 * i * i * i;
    gi_err e;
    CHECK(savgol(y, N, 9, 3, 0, s, &e) == 0);
    CHECK(savgol(y, N, 9, 3, 1, d, &e) == 0);
    double worst = 0, worst_d = 0;
    for (int i = 0; i < N; i++) {
        worst = fmax(worst, fabs(s[i] - y[i]));
        worst_d = fmax(worst_d, fabs(d[i] - (-0.5 + 0.06 * i - 0.003 * i * i)));
    }
    CHECK_CLOSE(worst, 0, 1e-10, 0);
    CHECK_CLOSE(worst_d, 0, 1e-10, 0);
    /* one order lower does not reproduce a cubic (so the check above can fail) */
    CHECK(savgol(y, N, 9, 2, 0, s, &e) == 0);
    worst = 0;
    for (int i = 0; i < N; i++) worst = fmax(worst, fabs(s[i] - y[i]));
    CHECK(worst > 1e-3);
    /* the centred quadratic window-5 weights are the textbook (-3, 12, 17, 12, -3)/35 */
    double w[5];
    savgol_weights(5, 2, 0, 2, w);
    CHECK_CLOSE(w[0], -3.0 / 35, 1e-14, 0);
    CHECK_CLOSE(w[2], 17.0 / 35, 1e-14, 0);
    CHECK(savgol(y, N, 8, 2, 0, s, &e) == -1);
    CHECK_STR_CONTAINS(e.msg, "odd");
}

/* Both fall steadily over the evaluation points until 5000, both rise until 30000, a plateau, then
 * I(X;L) falls after 70000 while I(L;Y) holds; Gaussian noise of sigma from seed 7. */
static void synthetic(const int64_t *step, int n, double sigma, double *ixl, double *ily) {
    rng_t r;
    rng_seed(&r, 7);
    for (int i = 0; i < n; i++) {
        double s = (double)step[i], x, y;
        if (s <= 5000) {
            double u = i / 34.0; /* step 5000 is point 34 */
            x = 5.0 - u; y = 1.5 - 0.5 * u;
        } else if (s <= 30000) {
            double u = (s - 5000) / 25000;
            x = 4.0 + 2.0 * u; y = 1.0 + 1.2 * u;
        } else if (s <= 70000) {
            x = 6.0; y = 2.2;
        } else {
            x = 6.0 - (s - 70000) / 30000; y = 2.2;
        }
        ixl[i] = x + sigma * rng_normal(&r);
        ily[i] = y + sigma * rng_normal(&r);
    }
}

/* the stated tolerance: a boundary within 3 evaluation points (3000 steps) of the truth */
#define TOL_STEPS 3000

TEST(phases_recovers_known_change_points) {
    int64_t step[200];
    double ixl[200], ily[200];
    int n = default_grid(step);
    CHECK(n == 130);
    phase_params p = phase_defaults();
    for (int noisy = 0; noisy <= 1; noisy++) {
        synthetic(step, n, noisy ? 0.01 : 0.0, ixl, ily);
        phase_segment seg[16];
        gi_err e;
        int k = phases_detect(step, ixl, ily, n, &p, seg, 16, &e);
        for (int j = 0; j < k && j < 16; j++)
            if (k != 3) fprintf(stderr, "  noise %d: %s %lld-%lld\n", noisy, phase_name(seg[j].kind), (long long)seg[j].start, (long long)seg[j].end);
        CHECK(k == 3);
        if (k != 3) continue;
        CHECK(seg[0].kind == PHASE_MEMORISATION && seg[1].kind == PHASE_FITTING && seg[2].kind == PHASE_COMPRESSION);
        CHECK(seg[0].start <= 5);
        CHECK_CLOSE(seg[0].end, 5000, TOL_STEPS, 0);
        CHECK_CLOSE(seg[1].start, 5000, TOL_STEPS, 0);
        CHECK_CLOSE(seg[1].end, 30000, TOL_STEPS, 0);
        CHECK_CLOSE(seg[2].start, 70000, TOL_STEPS, 0);
        CHECK(seg[2].end == 100000);
    }
}

TEST(phases_flat_curve_has_none) {
    int64_t step[200];
    double ixl[200], ily[200];
    int n = default_grid(step);
    rng_t r;
    rng_seed(&r, 11);
    for (int i = 0; i < n; i++) { ixl[i] = 3.0 + 0.01 * rng_normal(&r); ily[i] = 1.0 + 0.01 * rng_normal(&r); }
    phase_params p = phase_defaults();
    phase_segment seg[16];
    gi_err e;
    int k = phases_detect(step, ixl, ily, n, &p, seg, 16, &e);
    for (int j = 0; j < k && j < 16; j++) fprintf(stderr, "  %s %lld-%lld\n", phase_name(seg[j].kind), (long long)seg[j].start, (long long)seg[j].end);
    CHECK(k == 0);
    for (int i = 0; i < n; i++) ixl[i] = ily[i] = 2.0;
    CHECK(phases_detect(step, ixl, ily, n, &p, seg, 16, &e) == 0);
    /* and a pure fall is one memorisation phase over the whole grid */
    for (int i = 0; i < n; i++) { ixl[i] = 3.0 - 0.01 * i; ily[i] = 1.0 - 0.002 * i; }
    CHECK(phases_detect(step, ixl, ily, n, &p, seg, 16, &e) == 1);
    CHECK(seg[0].kind == PHASE_MEMORISATION && seg[0].start == 0 && seg[0].end == 100000);
}

TEST(phases_short_blips_are_dropped) {
    int64_t step[60];
    double ixl[60], ily[60];
    for (int i = 0; i < 60; i++) { step[i] = 100 * i; ixl[i] = 1.0; ily[i] = 1.0; }
    /* both curves step up (by halves) at points 30 and 31; window 3, order 1 sees a 3-point rise */
    phase_params p = phase_defaults();
    p.window = 3; p.order = 1;
    for (int i = 30; i < 60; i++) ixl[i] = ily[i] = 1.0 + (i >= 31 ? 1.0 : 0.5);
    phase_segment seg[8];
    gi_err e;
    /* found with min_len 3, dropped with min_len 4 */
    CHECK(phases_detect(step, ixl, ily, 60, &p, seg, 8, &e) == 1);
    CHECK(seg[0].kind == PHASE_FITTING);
    p.min_len = 4;
    CHECK(phases_detect(step, ixl, ily, 60, &p, seg, 8, &e) == 0);
    step[5] = step[4];
    CHECK(phases_detect(step, ixl, ily, 60, &p, seg, 8, &e) == -1);
    CHECK_STR_CONTAINS(e.msg, "not increasing");
}

static void write_text(const char *path, const char *text) { test_write_bytes(path, text, strlen(text)); }

TEST(phases_from_run_reads_metrics_and_mi) {
    char dir[600];
    snprintf(dir, sizeof dir, "%s", test_tmp_path("run_phases"));
    char cmd[1600];
    snprintf(cmd, sizeof cmd, "mkdir -p %s", dir);
    CHECK(system(cmd) == 0);
    char path[1400];
    snprintf(path, sizeof path, "%s/metrics.csv", dir);
    write_text(path, "step,train_loss,train_acc,eval_loss,eval_acc\n0,1,0.1,1,0.1\n1000,1,0.995,1,0.2\n2000,1,1,1,0.6\n");
    int64_t step[200];
    double ixl[200], ily[200];
    int n = default_grid(step);
    synthetic(step, n, 0.0, ixl, ily);
    snprintf(path, sizeof path, "%s/mi.csv", dir);
    FILE *f = fopen(path, "w");
    fprintf(f, "step,subset,layer,ixl,ixl_err,ily,ily_err,estimator,dx,dl\n");
    for (int i = n - 1; i >= 0; i--) /* any row order */
        for (int l = 1; l <= 2; l++) {
            fprintf(f, "%lld,eval,%d,%.9g,0.01,%.9g,0.01,ksg,784,200\n", (long long)step[i], l, ixl[i], ily[i]);
            fprintf(f, "%lld,train,%d,%.9g,0.01,%.9g,0.01,ksg,784,200\n", (long long)step[i], l, ixl[i], 1.0);
            fprintf(f, "%lld,train,%d,0,0,0,0,kl,784,200\n", (long long)step[i], l);
        }
    fclose(f);
    phase_report r;
    gi_err e = {""};
    milestones ms = {.train_threshold = 0.99, .eval_threshold = 0.5};
    CHECK(milestones_read(&ms, dir, &e) == 0);
    CHECK(phases_from_run(dir, NULL, NULL, &ms, NULL, &r, &e) == 0);
    if (e.msg[0]) fprintf(stderr, "  %s\n", e.msg);
    CHECK(r.memorisation_step == 1000 && r.grokking_step == 2000);
    CHECK(r.n_curves == 4 && r.n_layers == 2);
    CHECK(strcmp(r.estimator, "ksg") == 0);
    if (r.n_curves == 4) {
        CHECK(strcmp(r.curve[0].subset, "eval") == 0 && r.curve[1].layer == 2 && strcmp(r.curve[2].subset, "train") == 0);
        CHECK(r.curve[0].n == 130 && r.curve[0].step[0] == 0 && r.curve[0].step[129] == 100000);
        CHECK(r.curve[0].n_seg == 3);
        /* train: I(L;Y) constant, so only compression where I(X;L) falls */
        for (int j = 0; j < r.curve[2].n_seg; j++) CHECK(r.curve[2].seg[j].kind == PHASE_COMPRESSION);
    }
    snprintf(path, sizeof path, "%s/phases.json", dir);
    f = fopen(path, "w");
    fprintf(f, "{\"phases\": ");
    phases_write_json(f, &r, 0);
    fprintf(f, "}\n");
    fclose(f);
    size_t len;
    char *json = (char *)test_read_bytes(path, &len);
    json[len] = '\0';
    CHECK_STR_CONTAINS(json, "\"phase\": \"compression\", \"start\": ");
    CHECK_STR_CONTAINS(json, "\"grokking_step\": 2000");
    /* the JSON is well formed as far as python says */
    snprintf(cmd, sizeof cmd, "python3 -c 'import json,sys; json.load(open(sys.argv[1]))' %s 2>/dev/null || ! command -v python3 >/dev/null", path);
    CHECK(system(cmd) == 0);
    free(json);
    phases_free(&r);
    /* given milestones win over metrics.csv; an unknown estimator and a bad subset are errors */
    CHECK(phases_from_run(dir, NULL, "kl", &(milestones){.memorisation = 7, .grokking = -1}, NULL, &r, &e) == 0);
    CHECK(r.memorisation_step == 7 && r.grokking_step == -1 && r.n_curves == 2);
    phases_free(&r);
    CHECK(phases_from_run(dir, NULL, "wkl", &(milestones){.memorisation = 7, .grokking = -1}, NULL, &r, &e) == -1);
    CHECK_STR_CONTAINS(e.msg, "no rows with estimator 'wkl'");
    write_text(path, "step,subset,layer,ixl,ily\n0,eval,1,1,1\n0,test,1,1,1\n");
    CHECK(phases_from_run(dir, path, NULL, &(milestones){.memorisation = 1, .grokking = 1}, NULL, &r, &e) == -1);
    CHECK_STR_CONTAINS(e.msg, "phases.json:3: subset 'test', expected train or eval");
    write_text(path, "step,subset,layer,ily\n0,eval,1,1\n");
    CHECK(phases_from_run(dir, path, NULL, &(milestones){.memorisation = 1, .grokking = 1}, NULL, &r, &e) == -1);
    CHECK_STR_CONTAINS(e.msg, "no column 'ixl'");
}

/* Flagged rows are missing values to the phase rule: a clean synthetic curve gives the same
 * segments with wild flagged points added between its rows, while the same points unflagged
 * change them; the curve keeps the flagged points, marked, for the figures. */
TEST(phases_treat_flagged_rows_as_missing) {
    char dir[600];
    snprintf(dir, sizeof dir, "%s", test_tmp_path("run_flags"));
    char cmd[1600], path[1400];
    snprintf(cmd, sizeof cmd, "mkdir -p %s", dir);
    CHECK(system(cmd) == 0);
    int64_t step[200];
    double ixl[200], ily[200];
    int n = default_grid(step);
    synthetic(step, n, 0.0, ixl, ily);
    phase_report r[3];
    milestones ms = {.memorisation = -1, .grokking = -1};
    for (int variant = 0; variant < 3; variant++) { /* clean, spikes flagged, spikes unflagged */
        snprintf(path, sizeof path, "%s/mi-%d.csv", dir, variant);
        FILE *f = fopen(path, "w");
        fprintf(f, "step,subset,layer,ixl,ixl_err,ily,ily_err,estimator,dx,dl,h_y,flags\n");
        for (int i = 0; i < n; i++) {
            fprintf(f, "%lld,eval,1,%.9g,0.01,%.9g,0.01,wkl,4,4,2.3,\n", (long long)step[i], ixl[i], ily[i]);
            if (variant && step[i] >= 40000 && step[i] <= 60000 && step[i] % 2000 == 0)
                fprintf(f, "%lld,eval,1,-7,0.4,4.3,0.3,wkl,4,4,2.3,%s\n", (long long)step[i] + 500,
                        variant == 1 ? "ixl_negative+ily_above_ceiling" : "");
        }
        fclose(f);
        gi_err e = {""};
        CHECK(phases_from_run(dir, path, NULL, &ms, NULL, &r[variant], &e) == 0);
    }
    const phase_curve *clean = &r[0].curve[0], *flagged = &r[1].curve[0], *wild = &r[2].curve[0];
    CHECK(flagged->n == clean->n + 11 && flagged->n_flagged == 11 && clean->n_flagged == 0 && wild->n_flagged == 0);
    int same = clean->n_seg == flagged->n_seg, differs = clean->n_seg != wild->n_seg;
    for (int j = 0; same && j < clean->n_seg; j++)
        same = clean->seg[j].kind == flagged->seg[j].kind && clean->seg[j].start == flagged->seg[j].start &&
               clean->seg[j].end == flagged->seg[j].end;
    for (int j = 0; !differs && j < clean->n_seg; j++)
        differs = clean->seg[j].kind != wild->seg[j].kind || clean->seg[j].start != wild->seg[j].start ||
                  clean->seg[j].end != wild->seg[j].end;
    CHECK(clean->n_seg > 0 && same);
    CHECK(differs); /* so the check above can fail */
    for (int v = 0; v < 3; v++) phases_free(&r[v]);
}
