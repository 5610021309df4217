/* study_runs.c — a study's runs read back: MI files with their points' validity and phases,
 * O-information reports, milestones and timings (study/study_runs.h). */
#include <dirent.h>
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "measure/mi.h"
#include "measure/regime.h"
#include "study/study_runs.h"
#include "util/json.h"
#include "util/run_layout.h"

static const char *const run_mi_files[] = {RUN_MI, RUN_MI_CHECK, RUN_MI_NOISE};
#define N_RUN_MI_FILES ((int)(sizeof run_mi_files / sizeof *run_mi_files))
#define CHECK_FILE 1                 /* run_mi_files[CHECK_FILE]: the cross-check, whose I(L;Y) says the regime */
const char *const study_subset_order[2] = {"eval", "train"};

static void mi_file_free(mi_file *f) {
    for (int i = 0; i < f->n_curves; i++) {
        mi_curve *c = &f->curve[i];
        free(c->step); free(c->ixl); free(c->ily); free(c->valid); free(c->seg);
    }
    free(f->curve);
    memset(f, 0, sizeof *f);
}

void study_run_free(study_run *r) {
    for (int k = 0; k < MAX_MI_FILES; k++) mi_file_free(&r->mi[k]);
    for (int k = 0; k < r->n_oinfo; k++) oinfo_report_free(&r->oinfo[k].rep);
    free(r->oinfo);
    if (r->finished) table_free(&r->metrics);
}

static int subset_index(const char *s) { return !strcmp(s, "eval") ? 0 : !strcmp(s, "train") ? 1 : -1; }

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
static int read_mi_file(study_run *r, int k, const char *file, const regime_map *regimes, gi_err *e) {
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
                if ((int)layer[i] == l && !strcmp(subset[i], study_subset_order[s]) && (!est || !strcmp(est[i], f->estimator)))
                    kr[n++] = (keyed_row){step[i], i};
            if (n == 0) continue;
            qsort(kr, (size_t)n, sizeof *kr, cmp_keyed);
            mi_curve *c = &f->curve[f->n_curves++];
            snprintf(c->subset, sizeof c->subset, "%s", study_subset_order[s]);
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
    /* the phases by the run's own rule (its phases.* keys), the points outside the estimator's
     * regime missing as the flagged ones are (out_row is by the file's rows, as phases_from_run
     * reads them) */
    phase_report ph;
    phase_params rule = phase_params_of(&r->cfg);
    if (phases_from_run(r->dir, path, f->estimator, &r->ms, &rule, out_row, &ph, e)) goto done;
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
int study_oinfo_number(const char *name) {
    if (!strcmp(name, RUN_OINFO)) return 1;
    if (!strcmp(name, RUN_OINFO_TIES)) return 2;
    int n, used = 0;
    if (sscanf(name, "oinfo-%d.csv%n", &n, &used) == 1 && used == (int)strlen(name) && n >= 2) return n + 1;
    return 0;
}

static int cmp_oinfo_name(const void *a, const void *b) {
    int x = study_oinfo_number(((const oinfo_file *)a)->name), y = study_oinfo_number(((const oinfo_file *)b)->name);
    return (x > y) - (x < y);
}

static int read_oinfo_files(study_run *r, gi_err *e) {
    DIR *d = opendir(r->dir);
    if (!d) return gi_fail(e, "%s: cannot open (%s)", r->dir, strerror(errno));
    struct dirent *de;
    while ((de = readdir(d))) {
        if (!study_oinfo_number(de->d_name) || strlen(de->d_name) >= sizeof r->oinfo[0].name) continue;
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

int study_read_run(const study_spec *s, int point, const char *out_dir, const mi_file_list *files,
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
    for (int k = 0; k < files->n && rc == 0; k++) rc = read_mi_file(r, k, files->name[k], &regimes, e);
    free(regimes.p);
    return rc ? rc : read_oinfo_files(r, e);
}

static int cmp_name(const void *a, const void *b) { return strcmp((const char *)a, (const char *)b); }

int study_mi_files(const study_spec *s, const study_group *grp, const char *out_dir, mi_file_list *files, gi_err *e) {
    memset(files, 0, sizeof *files);
    for (int k = 0; k < N_RUN_MI_FILES; k++) snprintf(files->name[files->n++], sizeof files->name[0], "%s", run_mi_files[k]);
    for (int i = 0; i < grp->n; i++) {
        char dir[GI_PATH];
        if (study_point_dir(s, grp->point[i], out_dir, dir, sizeof dir, e)) return -1;
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
