/* study_analyse.c — a study's groups read back from their runs: phases, validity, consensus,
 * bands, the O-information peaks (the files are described in study.h). */
#include <dirent.h>
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "measure/mi.h"
#include "measure/regime.h"
#include "report/milestones.h"
#include "report/oinfo_report.h"
#include "report/phases.h"
#include "report/table.h"
#include "study/study.h"
#include "study/study_data.h"
#include "util/atomic_file.h"
#include "util/clock.h"
#include "util/config.h"
#include "util/json.h"
#include "util/run_layout.h"

/* The MI files of a group's runs, in the order their estimators are numbered: the run's own three,
 * then the re-measurements (`grokinfo infoplane RUN mi.estimator=...`: mi-<estimator>.csv, their
 * _redraws.csv files aside) that any run of the group has, by name. */
static const char *const run_mi_files[] = {RUN_MI, RUN_MI_CHECK, RUN_MI_NOISE};
#define N_RUN_MI_FILES ((int)(sizeof run_mi_files / sizeof *run_mi_files))
#define MAX_MI_FILES STUDY_MAX_ESTIMATORS
#define CHECK_FILE 1                 /* run_mi_files[CHECK_FILE]: the cross-check, whose I(L;Y) says the regime */
typedef struct { int n; char name[MAX_MI_FILES][64]; } mi_file_list;
static const char *const subset_order[2] = {"eval", "train"};

/* ---- one run ---- */

typedef struct {
    char subset[8];
    int layer, n, n_valid;
    int n_regime_out;                /* points unflagged and finite but outside the estimator's regime */
    int64_t *step;
    double *ixl, *ily;               /* ixl_mean / ily_mean where given, else ixl / ily */
    unsigned char *valid;
    int n_seg;
    phase_segment *seg;
} mi_curve;

typedef struct {
    int present;
    char estimator[32];
    int n_curves;
    mi_curve *curve;                 /* eval layers, then train layers, as phases_from_run */
} mi_file;

typedef struct { char name[64]; oinfo_report rep; } oinfo_file;

typedef struct {
    char dir[GI_PATH];
    long long seed;
    int finished;
    gi_config cfg;
    milestones ms;
    int64_t grokking;                /* summary.json's, -1: never */
    table metrics;
    mi_file mi[MAX_MI_FILES];        /* by the group's mi_file_list */
    int n_oinfo;
    oinfo_file *oinfo;
} study_run;

static void mi_file_free(mi_file *f) {
    for (int i = 0; i < f->n_curves; i++) {
        mi_curve *c = &f->curve[i];
        free(c->step); free(c->ixl); free(c->ily); free(c->valid); free(c->seg);
    }
    free(f->curve);
    memset(f, 0, sizeof *f);
}

static void run_free(study_run *r) {
    for (int k = 0; k < MAX_MI_FILES; k++) mi_file_free(&r->mi[k]);
    for (int k = 0; k < r->n_oinfo; k++) oinfo_report_free(&r->oinfo[k].rep);
    free(r->oinfo);
    if (r->finished) table_free(&r->metrics);
}

static int subset_index(const char *s) { return !strcmp(s, "eval") ? 0 : !strcmp(s, "train") ? 1 : -1; }

/* splits a CSV line in place at commas (no quoting in these files) */
static int split_fields(char *line, char **field, int max) {
    int n = 0;
    for (char *p = line;;) {
        char *comma = strchr(p, ',');
        if (comma) *comma = '\0';
        if (n < max) field[n] = p;
        n++;
        if (!comma) return n;
        p = comma + 1;
    }
}

#define MAX_FIELDS 64

/* The file phases_from_run reads when some points are outside their estimator's regime: the MI
 * file with "regime" in the empty flags of those rows (out[i] for the i-th data row, blank lines
 * skipped as table_read skips them), so that every invalid point is a missing value to the phase
 * rule. Written to dst only when some row changes (*changed). */
static int write_phase_input(const char *src, const char *dst, const unsigned char *out_row, int n_rows, int *changed,
                             gi_err *e) {
    *changed = 0;
    FILE *in = fopen(src, "r");
    if (!in) return gi_fail(e, "%s: cannot open (%s)", src, strerror(errno));
    char *line = NULL, *field[MAX_FIELDS];
    size_t cap = 0;
    int c_flags = -1, n_head = 0, rc = 0, row = -1;
    char *out = NULL;
    size_t out_len = 0, out_cap = 0;
    for (long lineno = 1; getline(&line, &cap, in) > 0; lineno++) {
        line[strcspn(line, "\r\n")] = '\0';
        if (!line[0]) continue;
        char orig[8192];
        snprintf(orig, sizeof orig, "%s", line);
        int nf = split_fields(line, field, MAX_FIELDS);
        if (nf > MAX_FIELDS) { rc = gi_fail(e, "%s:%ld: more than %d columns", src, lineno, MAX_FIELDS); break; }
        char rebuilt[8192];
        if (row < 0) {
            n_head = nf;
            for (int k = 0; k < nf; k++)
                if (!strcmp(field[k], "flags")) c_flags = k;
            snprintf(rebuilt, sizeof rebuilt, "%s", orig);
        } else if (nf != n_head || c_flags < 0 || row >= n_rows || !out_row[row] || field[c_flags][0]) {
            snprintf(rebuilt, sizeof rebuilt, "%s", orig); /* as it is (phases_from_run reports a bad row) */
        } else {
            field[c_flags] = "regime";
            *changed = 1;
            size_t len = 0;
            for (int k = 0; k < nf; k++)
                len += (size_t)snprintf(rebuilt + len, len < sizeof rebuilt ? sizeof rebuilt - len : 0, "%s%s", k ? "," : "", field[k]);
            if (len >= sizeof rebuilt) { rc = gi_fail(e, "%s:%ld: line too long", src, lineno); break; }
        }
        row++;
        size_t add = strlen(rebuilt) + 1;
        if (out_len + add + 1 > out_cap) {
            out_cap = 2 * (out_len + add + 1024);
            out = gi_realloc(out, out_cap);
        }
        memcpy(out + out_len, rebuilt, add - 1);
        out[out_len + add - 1] = '\n';
        out_len += add;
    }
    free(line);
    fclose(in);
    if (rc == 0 && *changed) rc = atomic_write(dst, out, out_len, e);
    free(out);
    return rc;
}

/* ---- the regime of each point (measure/regime.h) ---- */

/* The I(L;Y) and H(Y) of each (subset, layer, step) of one MI file, sorted by key, to look up the
 * regime of another file's points (the cross-check's). */
typedef struct { int64_t key; double ily, h_y; } regime_point;
typedef struct { int n; regime_point *p; } regime_map;

static int64_t regime_key(int subset, int layer, int64_t step) { return (step * 64 + layer) * 2 + subset; }

static int cmp_regime(const void *a, const void *b) {
    int64_t x = ((const regime_point *)a)->key, y = ((const regime_point *)b)->key;
    return (x > y) - (x < y);
}

/* the regime of a row: the map's point with the same key if there is one, else the row's own */
static mi_regime regime_at(const regime_map *m, int64_t key, double own_ily, double own_h_y) {
    regime_point want = {.key = key};
    const regime_point *p = m && m->n ? bsearch(&want, m->p, (size_t)m->n, sizeof *m->p, cmp_regime) : NULL;
    return p ? mi_regime_of(p->ily, p->h_y) : mi_regime_of(own_ily, own_h_y);
}

/* The cross-check's map (mi_check.csv), empty when the run has none. */
static int read_regime_map(const study_run *r, regime_map *m, gi_err *e) {
    memset(m, 0, sizeof *m);
    char path[GI_PATH];
    if (path_join(path, sizeof path, r->dir, run_mi_files[CHECK_FILE], e)) return -1;
    if (!path_exists(path)) return 0;
    table t;
    if (table_read(path, RUN_MI_TEXT_COLUMNS, &t, e)) return -1;
    int rc = -1;
    const double *step = table_num(&t, "step", e), *layer = step ? table_num(&t, "layer", e) : NULL;
    const double *ily = layer ? table_num(&t, "ily", e) : NULL, *h_y = ily ? table_num(&t, "h_y", e) : NULL;
    char *const *subset = h_y ? table_text(&t, "subset", e) : NULL;
    if (!subset) goto done;
    const double *ily_mean = table_col(&t, "ily_mean") >= 0 ? table_num(&t, "ily_mean", e) : NULL;
    m->p = gi_malloc(((size_t)t.n_rows + 1) * sizeof *m->p);
    for (int i = 0; i < t.n_rows; i++) {
        int s = subset_index(subset[i]);
        if (s < 0) continue; /* read_mi_file reports it */
        m->p[m->n++] = (regime_point){regime_key(s, (int)layer[i], (int64_t)step[i]),
                                      ily_mean && !isnan(ily_mean[i]) ? ily_mean[i] : ily[i], h_y[i]};
    }
    qsort(m->p, (size_t)m->n, sizeof *m->p, cmp_regime);
    rc = 0;
done:
    table_free(&t);
    return rc;
}

typedef struct { double step; int row; } keyed_row;

static int cmp_keyed(const void *a, const void *b) {
    const keyed_row *x = a, *y = b;
    return (x->step > y->step) - (x->step < y->step);
}

/* One MI file of a run: its curves (values and validity), then its phases from phases_from_run. */
static int read_mi_file(study_run *r, int k, const char *file, const regime_map *regimes, const char *work_dir, gi_err *e) {
    mi_file *f = &r->mi[k];
    char path[GI_PATH];
    if (path_join(path, sizeof path, r->dir, file, e)) return -1;
    if (!path_exists(path)) return 0;
    table t;
    if (table_read(path, RUN_MI_TEXT_COLUMNS, &t, e)) return -1;
    int rc = -1;
    keyed_row *kr = NULL;
    unsigned char *out_row = NULL;
    const double *step = table_num(&t, "step", e), *layer = step ? table_num(&t, "layer", e) : NULL;
    const double *ixl = layer ? table_num(&t, "ixl", e) : NULL, *ily = ixl ? table_num(&t, "ily", e) : NULL;
    char *const *subset = ily ? table_text(&t, "subset", e) : NULL;
    if (!subset) goto done;
    const double *ixl_mean = table_col(&t, "ixl_mean") >= 0 ? table_num(&t, "ixl_mean", e) : NULL;
    const double *ily_mean = table_col(&t, "ily_mean") >= 0 ? table_num(&t, "ily_mean", e) : NULL;
    const double *h_y = table_col(&t, "h_y") >= 0 ? table_num(&t, "h_y", e) : NULL;
    char *const *est = table_col(&t, "estimator") >= 0 ? table_text(&t, "estimator", e) : NULL;
    char *const *flags = table_col(&t, "flags") >= 0 ? table_text(&t, "flags", e) : NULL;
    if (t.n_rows == 0) { gi_fail(e, "%s: no rows", path); goto done; }
    snprintf(f->estimator, sizeof f->estimator, "%s", est ? est[0] : file);
    estimator_kind kind;
    int judged = estimator_from_name(f->estimator, &kind) == 0; /* a name no row has: not judged */
    int n_layers = 0;
    for (int i = 0; i < t.n_rows; i++) {
        if (subset_index(subset[i]) < 0) { gi_fail(e, "%s:%ld: subset '%s', expected train or eval", path, t.line[i], subset[i]); goto done; }
        if (table_check_step_layer(&t, i, step, layer, e)) goto done;
        if ((!est || !strcmp(est[i], f->estimator)) && (int)layer[i] > n_layers) n_layers = (int)layer[i];
    }
    /* each row's values, and whether it is outside its estimator's regime */
    out_row = gi_calloc((size_t)t.n_rows + 1, 1);
    for (int i = 0; i < t.n_rows && judged; i++) {
        double x = ixl_mean && !isnan(ixl_mean[i]) ? ixl_mean[i] : ixl[i];
        double y = ily_mean && !isnan(ily_mean[i]) ? ily_mean[i] : ily[i];
        mi_regime reg = regime_at(regimes, regime_key(subset_index(subset[i]), (int)layer[i], (int64_t)step[i]), y,
                                  h_y ? h_y[i] : NAN);
        out_row[i] = !regime_valid_ixl(kind, reg, x) || !regime_valid_ily(kind, reg);
    }
    f->curve = gi_calloc((size_t)(2 * n_layers + 1), sizeof(mi_curve));
    kr = gi_malloc((size_t)t.n_rows * sizeof(keyed_row));
    for (int s = 0; s < 2; s++)
        for (int l = 1; l <= n_layers; l++) {
            int n = 0;
            for (int i = 0; i < t.n_rows; i++)
                if ((int)layer[i] == l && !strcmp(subset[i], subset_order[s]) && (!est || !strcmp(est[i], f->estimator)))
                    kr[n++] = (keyed_row){step[i], i};
            if (n == 0) continue;
            qsort(kr, (size_t)n, sizeof *kr, cmp_keyed);
            mi_curve *c = &f->curve[f->n_curves++];
            snprintf(c->subset, sizeof c->subset, "%s", subset_order[s]);
            c->layer = l;
            c->n = n;
            c->step = gi_malloc((size_t)n * sizeof(int64_t));
            c->ixl = gi_malloc((size_t)n * sizeof(double));
            c->ily = gi_malloc((size_t)n * sizeof(double));
            c->valid = gi_malloc((size_t)n);
            for (int j = 0; j < n; j++) {
                int i = kr[j].row;
                if (j && kr[j].step == kr[j - 1].step) {
                    gi_fail(e, "%s:%ld: step %.0f appears twice for subset %s layer %d", path, t.line[i], step[i], subset[i], l);
                    goto done;
                }
                c->step[j] = (int64_t)step[i];
                c->ixl[j] = ixl_mean && !isnan(ixl_mean[i]) ? ixl_mean[i] : ixl[i];
                c->ily[j] = ily_mean && !isnan(ily_mean[i]) ? ily_mean[i] : ily[i];
                int clean = (!flags || !flags[i][0]) && isfinite(c->ixl[j]) && isfinite(c->ily[j]);
                c->valid[j] = clean && !out_row[i];
                c->n_valid += c->valid[j];
                c->n_regime_out += clean && out_row[i];
            }
        }
    f->present = 1;
    /* the phases by the run's own rule (its phases.* keys), on the file as it is or, when some
     * points are outside the estimator's regime, with those flagged */
    char input[GI_PATH], name[128];
    int changed = 0;
    snprintf(name, sizeof name, ".phases-input.%ld.csv", (long)getpid());
    if (path_join(input, sizeof input, work_dir, name, e) || write_phase_input(path, input, out_row, t.n_rows, &changed, e))
        goto done;
    phase_report ph;
    phase_params rule = phase_params_of(&r->cfg);
    int prc = phases_from_run(r->dir, changed ? input : path, f->estimator, &r->ms, &rule, &ph, e);
    if (changed) unlink(input);
    if (prc) goto done;
    for (int i = 0; i < ph.n_curves; i++)
        for (int j = 0; j < f->n_curves; j++) {
            mi_curve *c = &f->curve[j];
            if (c->layer != ph.curve[i].layer || strcmp(c->subset, ph.curve[i].subset)) continue;
            c->n_seg = ph.curve[i].n_seg;
            c->seg = gi_malloc((size_t)(c->n_seg + 1) * sizeof(phase_segment));
            memcpy(c->seg, ph.curve[i].seg, (size_t)c->n_seg * sizeof(phase_segment));
        }
    phases_free(&ph);
    rc = 0;
done:
    free(kr);
    free(out_row);
    table_free(&t);
    return rc;
}

/* the run's O-information files: oinfo.csv, oinfo_ties.csv (oinfo.ties_check), then oinfo-N.csv by N */
static int oinfo_number(const char *name) {
    if (!strcmp(name, RUN_OINFO)) return 1;
    if (!strcmp(name, RUN_OINFO_TIES)) return 2;
    int n, used = 0;
    if (sscanf(name, "oinfo-%d.csv%n", &n, &used) == 1 && used == (int)strlen(name) && n >= 2) return n + 1;
    return 0;
}

static int cmp_oinfo_name(const void *a, const void *b) {
    int x = oinfo_number(((const oinfo_file *)a)->name), y = oinfo_number(((const oinfo_file *)b)->name);
    return (x > y) - (x < y);
}

static int read_oinfo_files(study_run *r, gi_err *e) {
    DIR *d = opendir(r->dir);
    if (!d) return gi_fail(e, "%s: cannot open (%s)", r->dir, strerror(errno));
    struct dirent *de;
    while ((de = readdir(d))) {
        if (!oinfo_number(de->d_name) || strlen(de->d_name) >= sizeof r->oinfo[0].name) continue;
        r->oinfo = gi_realloc(r->oinfo, (size_t)(r->n_oinfo + 1) * sizeof *r->oinfo);
        memset(&r->oinfo[r->n_oinfo], 0, sizeof *r->oinfo);
        snprintf(r->oinfo[r->n_oinfo++].name, sizeof r->oinfo[0].name, "%.63s", de->d_name);
    }
    closedir(d);
    qsort(r->oinfo, (size_t)r->n_oinfo, sizeof *r->oinfo, cmp_oinfo_name);
    for (int k = 0; k < r->n_oinfo; k++) {
        char path[GI_PATH];
        if (path_join(path, sizeof path, r->dir, r->oinfo[k].name, e) ||
            oinfo_report_read_file(r->dir, path, r->cfg.summary.train_acc, r->cfg.summary.eval_acc, &r->oinfo[k].rep, e)) {
            for (int j = 0; j < k; j++) oinfo_report_free(&r->oinfo[j].rep);
            r->n_oinfo = 0;
            return -1;
        }
    }
    return 0;
}

/* Adds the run's summary.json timing_seconds to the study's sums. */
static void add_timing(study_result *res, const json_doc *d) {
    static const char prefix[] = "timing_seconds.";
    int any = 0;
    for (int i = 0; i < d->n; i++) {
        const json_leaf *lf = &d->leaf[i];
        if (strncmp(lf->key, prefix, sizeof prefix - 1) || lf->kind != JSON_NUM) continue;
        const char *key = lf->key + sizeof prefix - 1;
        int k = 0;
        while (k < res->n_timing && strcmp(res->timing_key[k], key)) k++;
        if (k == res->n_timing) {
            if (k == STUDY_MAX_TIMING) continue;
            snprintf(res->timing_key[k], sizeof res->timing_key[k], "%s", key);
            res->n_timing++;
        }
        res->timing_sum[k] += lf->num;
        any = 1;
    }
    res->timed_runs += any;
}

/* A run: finished (summary.json says so) and read, or left out with a note (r->finished = 0). */
static int read_run(const study_spec *s, int point, const char *out_dir, const char *work_dir, const mi_file_list *files,
                    const gi_sink *log, study_result *res, study_run *r, gi_err *e) {
    memset(r, 0, sizeof *r);
    r->grokking = -1;
    char path[GI_PATH];
    if (study_point_dir(s, point, out_dir, r->dir, sizeof r->dir, e) || path_join(path, sizeof path, r->dir, RUN_SUMMARY, e)) return -1;
    json_doc d;
    if (!path_exists(path)) { gi_say(log, "note: %s: no summary.json (not run or not finished): left out", r->dir); return 0; }
    if (json_read_file(path, &d, e)) return -1;
    const char *status = json_str(&d, "status");
    if (!status || strcmp(status, "finished")) {
        gi_say(log, "note: %s: %s, not finished: left out", r->dir, status ? status : "no status");
        json_free(&d);
        return 0;
    }
    double g = json_num(&d, "grokking_step");
    int has_grokking = json_get(&d, "grokking_step") != NULL; /* null: never grokked */
    r->grokking = isnan(g) ? -1 : (int64_t)g;
    add_timing(res, &d);
    json_free(&d);
    if (config_load_run(&r->cfg, r->dir, e)) return -1;
    r->seed = (long long)r->cfg.seed;
    r->ms = (milestones){.train_threshold = r->cfg.summary.train_acc, .eval_threshold = r->cfg.summary.eval_acc};
    if (milestones_read(&r->ms, r->dir, e)) return -1;
    if (!has_grokking) r->grokking = r->ms.grokking; /* a summary.json without milestones: by the same rule */
    if (path_join(path, sizeof path, r->dir, RUN_METRICS, e) || table_read(path, NULL, &r->metrics, e)) return -1;
    r->finished = 1;
    if (!table_num(&r->metrics, "step", e) || !table_num(&r->metrics, "train_acc", e) || !table_num(&r->metrics, "eval_acc", e))
        return -1;
    regime_map regimes;
    if (read_regime_map(r, &regimes, e)) return -1;
    int rc = 0;
    for (int k = 0; k < files->n && rc == 0; k++) rc = read_mi_file(r, k, files->name[k], &regimes, work_dir, e);
    free(regimes.p);
    return rc ? rc : read_oinfo_files(r, e);
}

/* ---- numbers and CSV fields ---- */

static void put_num(FILE *f, double v) {
    if (isfinite(v)) fprintf(f, ",%.9g", v);
    else fputc(',', f);
}

/* a log10 step as a step, rounded */
static void put_step_of(FILE *f, double x) {
    if (isfinite(x)) fprintf(f, ",%.0f", floor(pow(10.0, x) + 0.5));
    else fputc(',', f);
}

static void band_free(study_band *b) {
    free(b->step); free(b->q); free(b->seeds);
    memset(b, 0, sizeof *b);
}

/* whether step is among the n sorted steps */
static int has_step(const int64_t *steps, int n, int64_t step) {
    int lo = 0, hi = n - 1;
    while (lo <= hi) {
        int mid = (lo + hi) / 2;
        if (steps[mid] == step) return 1;
        if (steps[mid] < step) lo = mid + 1; else hi = mid - 1;
    }
    return 0;
}

/* The band of m series (steps sorted, values, validity NULL = all valid): the steps every series
 * has, the quartiles of the valid values there. */
static void make_band(int m, const int64_t *const *steps, const int *n, const double *const *v, const unsigned char *const *ok,
                      study_band *b) {
    memset(b, 0, sizeof *b);
    if (m == 0) return;
    b->step = gi_malloc((size_t)(n[0] + 1) * sizeof(int64_t));
    b->q = gi_malloc((size_t)(3 * n[0] + 3) * sizeof(double));
    b->seeds = gi_malloc((size_t)(n[0] + 1) * sizeof(int));
    double *vals = gi_malloc((size_t)m * sizeof(double));
    int *at = gi_calloc((size_t)m, sizeof(int));
    for (int i = 0; i < n[0]; i++) {
        int64_t st = steps[0][i];
        int common = 1;
        for (int j = 1; j < m && common; j++) common = has_step(steps[j], n[j], st);
        if (!common) continue;
        int k = 0;
        for (int j = 0; j < m; j++) {
            while (at[j] < n[j] && steps[j][at[j]] < st) at[j]++;
            int p = at[j];
            if (p < n[j] && steps[j][p] == st && (!ok || !ok[j] || ok[j][p]) && isfinite(v[j][p])) vals[k++] = v[j][p];
        }
        b->step[b->n] = st;
        b->seeds[b->n] = k;
        study_quartiles(vals, k, &b->q[3 * b->n]);
        b->n++;
    }
    free(vals);
    free(at);
}

static void put_band_rows(FILE *f, const char *quantity, const char *estimator, const char *subset, int layer, const study_band *b) {
    for (int i = 0; i < b->n; i++) {
        fprintf(f, "%s,%s,%s,", quantity, estimator, subset);
        if (layer > 0) fprintf(f, "%d", layer);
        fprintf(f, ",%lld,%d", (long long)b->step[i], b->seeds[i]);
        put_num(f, b->q[3 * i + 1]);
        put_num(f, b->q[3 * i]);
        put_num(f, b->q[3 * i + 2]);
        fputc('\n', f);
    }
}

/* ---- a group ---- */

typedef struct {
    const study_spec *spec;
    const char *out_dir;
    const gi_sink *log;
    int figures;
} analyse_ctx;

/* the curve of (subset, layer) in an MI file, or NULL */
static const mi_curve *curve_of(const mi_file *f, const char *subset, int layer) {
    for (int i = 0; f->present && i < f->n_curves; i++)
        if (f->curve[i].layer == layer && !strcmp(f->curve[i].subset, subset)) return &f->curve[i];
    return NULL;
}

static int curve_valid(const mi_curve *c) { return c && c->n > 0 && 2 * c->n_valid >= c->n; }

static int open_csv(atomic_file *af, const char *dir, const char *name, const char *header, gi_err *e) {
    char path[GI_PATH];
    if (path_join(path, sizeof path, dir, name, e) || atomic_open(af, path, e)) return -1;
    fputs(header, af->f);
    return 0;
}

static int cmp_name(const void *a, const void *b) { return strcmp((const char *)a, (const char *)b); }

/* The group's MI files: the run's own three, then every mi-*.csv (not *_redraws.csv) that one of
 * its runs has, sorted by name; more than the study can number is an error naming the run. */
static int group_mi_files(const analyse_ctx *ctx, const study_group *grp, mi_file_list *files, gi_err *e) {
    memset(files, 0, sizeof *files);
    for (int k = 0; k < N_RUN_MI_FILES; k++) snprintf(files->name[files->n++], sizeof files->name[0], "%s", run_mi_files[k]);
    for (int i = 0; i < grp->n; i++) {
        char dir[GI_PATH];
        if (study_point_dir(ctx->spec, grp->point[i], ctx->out_dir, dir, sizeof dir, e)) return -1;
        DIR *d = opendir(dir);
        if (!d) continue; /* not run: read_run says so */
        struct dirent *de;
        while ((de = readdir(d))) {
            const char *nm = de->d_name;
            size_t len = strlen(nm), sfx = strlen(RUN_REDRAWS_SUFFIX ".csv");
            if (strncmp(nm, "mi-", 3) || len < 8 || strcmp(nm + len - 4, ".csv") || len >= sizeof files->name[0]) continue;
            if (len > sfx && !strcmp(nm + len - sfx, RUN_REDRAWS_SUFFIX ".csv")) continue;
            int seen = 0;
            for (int k = 0; k < files->n && !seen; k++) seen = !strcmp(files->name[k], nm);
            if (seen) continue;
            if (files->n == MAX_MI_FILES) {
                closedir(d);
                return gi_fail(e, "%s: %s is one MI file more than a study compares (%d)", dir, nm, MAX_MI_FILES);
            }
            snprintf(files->name[files->n++], sizeof files->name[0], "%s", nm);
        }
        closedir(d);
    }
    qsort(files->name[N_RUN_MI_FILES], (size_t)(files->n - N_RUN_MI_FILES), sizeof files->name[0], cmp_name);
    return 0;
}

static int analyse_group(const analyse_ctx *ctx, const study_group *grp, study_result *res, study_group_result *gr, gi_err *e) {
    snprintf(gr->name, sizeof gr->name, "%s", grp->name);
    gr->seeds = grp->n;
    char base[GI_PATH];
    if (path_join(base, sizeof base, ctx->out_dir, STUDY_DIR, e) || path_join(gr->dir, sizeof gr->dir, base, grp->name, e) ||
        make_dirs(gr->dir, e))
        return -1;
    study_run *all = gi_calloc((size_t)grp->n, sizeof(study_run));
    study_run **run = gi_calloc((size_t)grp->n, sizeof(study_run *));   /* the finished ones */
    study_group_data gd = {.res = gr};
    int rc = -1, n = 0, est_file[STUDY_MAX_ESTIMATORS];
    mi_file_list files;
    if (group_mi_files(ctx, grp, &files, e)) goto done;
    for (int i = 0; i < grp->n; i++) {
        if (read_run(ctx->spec, grp->point[i], ctx->out_dir, gr->dir, &files, ctx->log, res, &all[i], e)) goto done;
        if (all[i].finished) run[n++] = &all[i];
    }
    gr->finished = n;
    /* the estimators: the MI files some run has, named by the estimator column of the first run
     * that has the file, with "(file)" added to a name that two files share */
    char raw[STUDY_MAX_ESTIMATORS][32];
    for (int k = 0; k < files.n; k++)
        for (int i = 0; i < n; i++)
            if (run[i]->mi[k].present) {
                est_file[gr->n_estimators] = k;
                snprintf(raw[gr->n_estimators++], sizeof raw[0], "%s", run[i]->mi[k].estimator);
                break;
            }
    for (int a = 0; a < gr->n_estimators; a++) {
        int shared = 0;
        for (int b = 0; b < gr->n_estimators; b++) shared |= a != b && !strcmp(raw[a], raw[b]);
        const char *file = files.name[est_file[a]];
        if (shared) snprintf(gr->estimator[a], sizeof gr->estimator[a], "%s(%.*s)", raw[a], (int)strcspn(file, "."), file);
        else snprintf(gr->estimator[a], sizeof gr->estimator[a], "%s", raw[a]);
    }
    /* the curves: eval layers, then train layers, up to the deepest any file has */
    int max_layer = 0;
    for (int i = 0; i < n; i++)
        for (int a = 0; a < gr->n_estimators; a++) {
            const mi_file *f = &run[i]->mi[est_file[a]];
            for (int c = 0; f->present && c < f->n_curves; c++)
                if (f->curve[c].layer > max_layer) max_layer = f->curve[c].layer;
        }
    gd.key = gi_calloc((size_t)(2 * max_layer + 1), sizeof(study_curve_key));
    for (int s = 0; s < 2; s++)
        for (int l = 1; l <= max_layer; l++) {
            int any = 0;
            for (int i = 0; i < n && !any; i++)
                for (int a = 0; a < gr->n_estimators && !any; a++) any = curve_of(&run[i]->mi[est_file[a]], subset_order[s], l) != NULL;
            if (!any) continue;
            snprintf(gd.key[gd.n_keys].subset, sizeof gd.key[0].subset, "%s", subset_order[s]);
            gd.key[gd.n_keys++].layer = l;
        }

    /* phases.csv and validity.csv */
    atomic_file af;
    if (open_csv(&af, gr->dir, "phases.csv", "seed,estimator,subset,layer,phase,start,end\n", e)) goto done;
    for (int i = 0; i < n; i++)
        for (int a = 0; a < gr->n_estimators; a++)
            for (int k = 0; k < gd.n_keys; k++) {
                const mi_curve *c = curve_of(&run[i]->mi[est_file[a]], gd.key[k].subset, gd.key[k].layer);
                for (int j = 0; c && j < c->n_seg; j++)
                    fprintf(af.f, "%lld,%s,%s,%d,%s,%lld,%lld\n", run[i]->seed, gr->estimator[a], c->subset, c->layer,
                            phase_name(c->seg[j].kind), (long long)c->seg[j].start, (long long)c->seg[j].end);
            }
    if (atomic_commit(&af, e)) goto done;
    if (open_csv(&af, gr->dir, "validity.csv", "seed,estimator,subset,layer,points,valid_points,valid,outside_regime\n", e))
        goto done;
    for (int i = 0; i < n; i++)
        for (int a = 0; a < gr->n_estimators; a++)
            for (int k = 0; k < gd.n_keys; k++) {
                const mi_curve *c = curve_of(&run[i]->mi[est_file[a]], gd.key[k].subset, gd.key[k].layer);
                if (c)
                    fprintf(af.f, "%lld,%s,%s,%d,%d,%d,%d,%d\n", run[i]->seed, gr->estimator[a], c->subset, c->layer, c->n,
                            c->n_valid, curve_valid(c), c->n_regime_out);
            }
    if (atomic_commit(&af, e)) goto done;

    /* consensus.csv: per curve, the clusters of the valid pairs' segments */
    if (open_csv(&af, gr->dir, "consensus.csv",
                 "subset,layer,phase,segments,seeds,seed_fraction,estimators,estimator_fraction,estimator_names,"
                 "start_log10_median,start_log10_iqr,start_log10_q25,start_log10_q75,end_log10_median,end_log10_iqr,"
                 "end_log10_q25,end_log10_q75,start_step,start_step_q25,start_step_q75,end_step,end_step_q25,end_step_q75,"
                 "consensus\n",
                 e))
        goto done;
    for (int k = 0; k < gd.n_keys; k++) {
        int n_seg = 0, valid_est = 0;
        for (int a = 0; a < gr->n_estimators; a++) {
            int any = 0;
            for (int i = 0; i < n; i++) {
                const mi_curve *c = curve_of(&run[i]->mi[est_file[a]], gd.key[k].subset, gd.key[k].layer);
                if (curve_valid(c)) { any = 1; n_seg += c->n_seg; }
            }
            valid_est += any;
        }
        study_segment *seg = gi_malloc((size_t)(n_seg + 1) * sizeof *seg);
        n_seg = 0;
        for (int i = 0; i < n; i++)
            for (int a = 0; a < gr->n_estimators; a++) {
                const mi_curve *c = curve_of(&run[i]->mi[est_file[a]], gd.key[k].subset, gd.key[k].layer);
                if (!curve_valid(c)) continue;
                for (int j = 0; j < c->n_seg; j++)
                    seg[n_seg++] = (study_segment){i, a, c->seg[j].kind, study_log_step(c->seg[j].start), study_log_step(c->seg[j].end)};
            }
        study_cluster *cl;
        int n_cl = study_cluster_segments(seg, n_seg, n, valid_est, &cl);
        free(seg);
        gr->row = gi_realloc(gr->row, (size_t)(gr->n_rows + n_cl + 1) * sizeof *gr->row);
        for (int j = 0; j < n_cl; j++) {
            study_consensus_row *row = &gr->row[gr->n_rows++];
            memset(row, 0, sizeof *row);
            snprintf(row->subset, sizeof row->subset, "%s", gd.key[k].subset);
            row->layer = gd.key[k].layer;
            row->c = cl[j];
            for (int a = 0; a < gr->n_estimators; a++)
                if (cl[j].estimators >> a & 1u)
                    snprintf(row->estimators + strlen(row->estimators), sizeof row->estimators - strlen(row->estimators), "%s%s",
                             row->estimators[0] ? "+" : "", gr->estimator[a]);
            const study_cluster *c = &cl[j];
            fprintf(af.f, "%s,%d,%s,%d,%d", row->subset, row->layer, phase_name(c->kind), c->n_segments, c->n_seeds);
            put_num(af.f, c->seed_fraction);
            fprintf(af.f, ",%d", c->n_estimators);
            put_num(af.f, c->estimator_fraction);
            fprintf(af.f, ",%s", row->estimators);
            const double *q[2] = {c->start, c->end};
            for (int b = 0; b < 2; b++) {
                put_num(af.f, q[b][1]);
                put_num(af.f, q[b][2] - q[b][0]);
                put_num(af.f, q[b][0]);
                put_num(af.f, q[b][2]);
            }
            for (int b = 0; b < 2; b++) { put_step_of(af.f, q[b][1]); put_step_of(af.f, q[b][0]); put_step_of(af.f, q[b][2]); }
            fprintf(af.f, ",%d\n", c->consensus);
        }
        free(cl);
    }
    if (atomic_commit(&af, e)) goto done;

    /* bands.csv: accuracy, then I(X;L) and I(L;Y) per estimator and curve */
    {
        const int64_t **steps = gi_calloc((size_t)n + 1, sizeof *steps);
        const double **v = gi_calloc((size_t)n + 1, sizeof *v);
        const unsigned char **ok = gi_calloc((size_t)n + 1, sizeof *ok);
        int *len = gi_calloc((size_t)n + 1, sizeof *len);
        int64_t **acc_steps = gi_calloc((size_t)n + 1, sizeof *acc_steps);
        static const char *const acc_col[2] = {"train_acc", "eval_acc"};
        for (int i = 0; i < n; i++) {
            const table *t = &run[i]->metrics;
            const double *st = t->num[table_col(t, "step")];
            acc_steps[i] = gi_malloc((size_t)(t->n_rows + 1) * sizeof(int64_t));
            for (int r = 0; r < t->n_rows; r++) acc_steps[i][r] = (int64_t)st[r];
            steps[i] = acc_steps[i];
            len[i] = t->n_rows;
        }
        for (int s = 0; s < 2; s++) {
            for (int i = 0; i < n; i++) v[i] = run[i]->metrics.num[table_col(&run[i]->metrics, acc_col[s])];
            make_band(n, steps, len, v, NULL, &gd.acc[s]);
        }
        for (int i = 0; i < n; i++) free(acc_steps[i]);
        free(acc_steps);
        gd.ixl = gi_calloc((size_t)(gr->n_estimators * gd.n_keys + 1), sizeof(study_band));
        gd.ily = gi_calloc((size_t)(gr->n_estimators * gd.n_keys + 1), sizeof(study_band));
        for (int a = 0; a < gr->n_estimators; a++)
            for (int k = 0; k < gd.n_keys; k++) {
                int m = 0;
                const mi_curve **cs = gi_malloc((size_t)(n + 1) * sizeof *cs);
                for (int i = 0; i < n; i++) {
                    const mi_curve *c = curve_of(&run[i]->mi[est_file[a]], gd.key[k].subset, gd.key[k].layer);
                    if (c) cs[m++] = c;
                }
                for (int j = 0; j < m; j++) { steps[j] = cs[j]->step; len[j] = cs[j]->n; ok[j] = cs[j]->valid; v[j] = cs[j]->ixl; }
                make_band(m, steps, len, v, ok, &gd.ixl[a * gd.n_keys + k]);
                for (int j = 0; j < m; j++) v[j] = cs[j]->ily;
                make_band(m, steps, len, v, ok, &gd.ily[a * gd.n_keys + k]);
                free(cs);
            }
        free(steps); free(v); free(ok); free(len);
    }
    if (open_csv(&af, gr->dir, "bands.csv", "quantity,estimator,subset,layer,step,seeds,median,q25,q75\n", e)) goto done;
    put_band_rows(af.f, "acc", "", "train", 0, &gd.acc[0]);
    put_band_rows(af.f, "acc", "", "eval", 0, &gd.acc[1]);
    for (int q = 0; q < 2; q++)
        for (int a = 0; a < gr->n_estimators; a++)
            for (int k = 0; k < gd.n_keys; k++)
                put_band_rows(af.f, q ? "ily" : "ixl", gr->estimator[a], gd.key[k].subset, gd.key[k].layer,
                              q ? &gd.ily[a * gd.n_keys + k] : &gd.ixl[a * gd.n_keys + k]);
    if (atomic_commit(&af, e)) goto done;

    /* O-information: peak_vs_grokking.csv and bands_oinfo.csv */
    gd.grok = gi_malloc((size_t)(n + 1) * sizeof(int64_t));
    for (int i = 0; i < n; i++) gd.grok[gd.n_grok++] = run[i]->grokking;
    if (open_csv(&af, gr->dir, "peak_vs_grokking.csv", "seed,file,layer,peak_step,grokking_step,peak_before_grokking\n", e)) goto done;
    for (int i = 0; i < n; i++)
        for (int f = 0; f < run[i]->n_oinfo; f++) {
            const oinfo_report *o = &run[i]->oinfo[f].rep;
            for (int l = 0; l < o->n_layers; l++) {
                int64_t peak = o->layer[l].synergy_peak_step, g = run[i]->grokking;
                fprintf(af.f, "%lld,%s,%d,", run[i]->seed, run[i]->oinfo[f].name, o->layer[l].layer);
                if (peak >= 0) fprintf(af.f, "%lld", (long long)peak);
                fputc(',', af.f);
                if (g >= 0) fprintf(af.f, "%lld", (long long)g);
                fputc(',', af.f);
                if (peak >= 0 && g >= 0) fprintf(af.f, "%d", peak < g);
                fputc('\n', af.f);
            }
            /* the file names of the group, in order of their numbers */
            int known = 0;
            for (int j = 0; j < gd.n_oinfo_files && !known; j++) known = !strcmp(gd.oinfo_file[j], run[i]->oinfo[f].name);
            if (!known) {
                gd.oinfo_file = gi_realloc(gd.oinfo_file, (size_t)(gd.n_oinfo_files + 1) * sizeof *gd.oinfo_file);
                snprintf(gd.oinfo_file[gd.n_oinfo_files++], sizeof gd.oinfo_file[0], "%s", run[i]->oinfo[f].name);
            }
            if (o->n_layers > gd.n_oinfo_layers) gd.n_oinfo_layers = o->n_layers;
        }
    if (atomic_commit(&af, e)) goto done;
    qsort(gd.oinfo_file, (size_t)gd.n_oinfo_files, sizeof *gd.oinfo_file, cmp_oinfo_name);
    gd.syn = gi_calloc((size_t)(gd.n_oinfo_files * gd.n_oinfo_layers + 1), sizeof(study_band));
    gd.red = gi_calloc((size_t)(gd.n_oinfo_files * gd.n_oinfo_layers + 1), sizeof(study_band));
    {
        const int64_t **steps = gi_calloc((size_t)n + 1, sizeof *steps);
        const double **sv = gi_calloc((size_t)n + 1, sizeof *sv), **rv = gi_calloc((size_t)n + 1, sizeof *rv);
        int *len = gi_calloc((size_t)n + 1, sizeof *len);
        for (int f = 0; f < gd.n_oinfo_files; f++)
            for (int l = 1; l <= gd.n_oinfo_layers; l++) {
                int m = 0;
                for (int i = 0; i < n; i++)
                    for (int k = 0; k < run[i]->n_oinfo; k++) {
                        const oinfo_report *o = &run[i]->oinfo[k].rep;
                        if (strcmp(run[i]->oinfo[k].name, gd.oinfo_file[f]) || l > o->n_layers || o->layer[l - 1].n == 0) continue;
                        steps[m] = o->layer[l - 1].step;
                        len[m] = o->layer[l - 1].n;
                        sv[m] = o->layer[l - 1].synergy;
                        rv[m++] = o->layer[l - 1].redundancy;
                    }
                make_band(m, steps, len, sv, NULL, &gd.syn[f * gd.n_oinfo_layers + l - 1]);
                make_band(m, steps, len, rv, NULL, &gd.red[f * gd.n_oinfo_layers + l - 1]);
            }
        free(steps); free(sv); free(rv); free(len);
    }
    if (open_csv(&af, gr->dir, "bands_oinfo.csv", "quantity,file,layer,step,seeds,median,q25,q75\n", e)) goto done;
    for (int q = 0; q < 2; q++)
        for (int f = 0; f < gd.n_oinfo_files; f++)
            for (int l = 1; l <= gd.n_oinfo_layers; l++) {
                const study_band *b = q ? &gd.red[f * gd.n_oinfo_layers + l - 1] : &gd.syn[f * gd.n_oinfo_layers + l - 1];
                for (int i = 0; i < b->n; i++) {
                    fprintf(af.f, "%s,%s,%d,%lld,%d", q ? "redundancy" : "synergy", gd.oinfo_file[f], l, (long long)b->step[i], b->seeds[i]);
                    put_num(af.f, b->q[3 * i + 1]);
                    put_num(af.f, b->q[3 * i]);
                    put_num(af.f, b->q[3 * i + 2]);
                    fputc('\n', af.f);
                }
            }
    if (atomic_commit(&af, e)) goto done;

    double t0 = now_s();
    if (ctx->figures && n > 0) {
        gi_err pe;
        int drawn = study_plot_group(&gd, &pe);
        if (drawn < 0) snprintf(gr->figure_note, sizeof gr->figure_note, "%.250s", pe.msg);
        else gr->n_figures = drawn;
    }
    res->seconds_figures += now_s() - t0;
    rc = 0;
done:
    for (int i = 0; i < grp->n; i++) run_free(&all[i]);
    free(all);
    free(run);
    for (int j = 0; gd.ixl && j < gr->n_estimators * gd.n_keys; j++) { band_free(&gd.ixl[j]); band_free(&gd.ily[j]); }
    for (int j = 0; gd.syn && j < gd.n_oinfo_files * gd.n_oinfo_layers; j++) { band_free(&gd.syn[j]); band_free(&gd.red[j]); }
    band_free(&gd.acc[0]);
    band_free(&gd.acc[1]);
    free(gd.ixl); free(gd.ily); free(gd.syn); free(gd.red); free(gd.key); free(gd.oinfo_file); free(gd.grok);
    return rc;
}

int study_analyse(const study_spec *s, const char *out_dir, int figures, const gi_sink *log, study_result *r, gi_err *e) {
    memset(r, 0, sizeof *r);
    double t0 = now_s();
    analyse_ctx ctx = {s, out_dir, log, figures};
    r->group = gi_calloc((size_t)s->n_groups, sizeof *r->group);
    for (int g = 0; g < s->n_groups; g++) {
        r->n_groups = g + 1;
        if (analyse_group(&ctx, &s->group[g], r, &r->group[g], e)) return -1;
    }
    r->seconds_analysis = now_s() - t0 - r->seconds_figures;
    return 0;
}

void study_result_free(study_result *r) {
    for (int g = 0; g < r->n_groups; g++) free(r->group[g].row);
    free(r->group);
    memset(r, 0, sizeof *r);
}

/* "4000 [3000-5000]": the median step and the IQR's ends */
static void format_span(const double q[3], char *out, size_t n) {
    snprintf(out, n, "%.0f [%.0f-%.0f]", floor(pow(10.0, q[1]) + 0.5), floor(pow(10.0, q[0]) + 0.5), floor(pow(10.0, q[2]) + 0.5));
}

void study_print_consensus(FILE *f, const study_result *r) {
    for (int g = 0; g < r->n_groups; g++) {
        const study_group_result *gr = &r->group[g];
        fprintf(f, "%s: %d of %d seeds finished; estimators", gr->name, gr->finished, gr->seeds);
        for (int a = 0; a < gr->n_estimators; a++) fprintf(f, "%s %s", a ? "," : "", gr->estimator[a]);
        if (gr->n_estimators == 0) fprintf(f, " none (no MI files)");
        fprintf(f, "\n");
        if (gr->n_rows == 0) { fprintf(f, "  no phase clusters\n"); continue; }
        fprintf(f, "  %-6s %5s  %-20s %6s  %-24s %-26s %-26s %s\n", "subset", "layer", "phase", "seeds", "estimators",
                "start step: median [IQR]", "end step: median [IQR]", "consensus");
        for (int i = 0; i < gr->n_rows; i++) {
            const study_consensus_row *row = &gr->row[i];
            char seeds[32], est[64], start[64], end[64];
            snprintf(seeds, sizeof seeds, "%d/%d", row->c.n_seeds, gr->finished);
            snprintf(est, sizeof est, "%d %.50s", row->c.n_estimators, row->estimators);
            format_span(row->c.start, start, sizeof start);
            format_span(row->c.end, end, sizeof end);
            fprintf(f, "  %-6s %5d  %-20s %6s  %-24s %-26s %-26s %s\n", row->subset, row->layer, phase_name(row->c.kind), seeds, est, start,
                    end, row->c.consensus ? "yes" : "no");
        }
    }
}
