/* compare.c — finding the runs, the comparison table, the seed groups, CSV and printing. */
#include "report/compare.h"
#include <dirent.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include "util/atomic_file.h"
#include "util/run_layout.h"

static int has_config(const char *dir) {
    char p[GI_PATH];
    return path_join(p, sizeof p, dir, RUN_CONFIG, NULL) == 0 && path_is_file(p);
}

static int load_run(const char *dir, compare_run *r, gi_err *e) {
    char p[GI_PATH];
    *r = (compare_run){0};
    if (strlen(dir) >= sizeof r->dir) return gi_fail(e, "%s: path too long", dir);
    snprintf(r->dir, sizeof r->dir, "%s", dir);
    size_t len = strlen(r->dir);
    while (len > 1 && r->dir[len - 1] == '/') r->dir[--len] = 0;
    const char *slash = strrchr(r->dir, '/');
    snprintf(r->name, sizeof r->name, "%.255s", slash ? slash + 1 : r->dir);
    if (config_load_run(&r->cfg, r->dir, e) || path_join(p, sizeof p, r->dir, RUN_SUMMARY, e)) return -1;
    if (path_is_file(p)) {
        if (json_read_file(p, &r->summary, e)) return -1;
        r->has_summary = 1;
    }
    return 0;
}

static int by_name(const void *a, const void *b) { return strcmp(*(char *const *)a, *(char *const *)b); }

int compare_load(char *const *dirs, int n_dirs, compare_run **runs, int *n_runs, int *sweep_folder, gi_err *e) {
    int n = 0, cap = 16;
    compare_run *r = gi_malloc((size_t)cap * sizeof *r);
    *sweep_folder = 0;
    for (int d = 0; d < n_dirs; d++) {
        char *list[4096];
        int m = 0;
        if (!path_is_dir(dirs[d])) { compare_runs_free(r, n); return gi_fail(e, "%s: not a directory", dirs[d]); }
        if (has_config(dirs[d])) list[m++] = strdup(dirs[d]);
        else {
            DIR *dp = opendir(dirs[d]);
            if (!dp) { compare_runs_free(r, n); return gi_fail(e, "%s: cannot list", dirs[d]); }
            for (struct dirent *de; (de = readdir(dp)) && m < 4096;) {
                if (de->d_name[0] == '.') continue;
                char p[GI_PATH];
                if (path_join(p, sizeof p, dirs[d], de->d_name, NULL) == 0 && path_is_dir(p) && has_config(p))
                    list[m++] = strdup(p);
            }
            closedir(dp);
            if (m == 0) {
                compare_runs_free(r, n);
                return gi_fail(e, "%s: no run directories in it (a run directory has config.yaml and summary.json)", dirs[d]);
            }
            qsort(list, (size_t)m, sizeof list[0], by_name);
            if (d == 0) *sweep_folder = 1;
        }
        int failed = 0;
        for (int i = 0; i < m; i++) {
            if (!failed) {
                if (n == cap) r = gi_realloc(r, (size_t)(cap *= 2) * sizeof *r);
                if (load_run(list[i], &r[n], e)) { json_free(&r[n].summary); failed = 1; }
                else n++;
            }
            free(list[i]);
        }
        if (failed) { compare_runs_free(r, n); return -1; }
    }
    *runs = r;
    *n_runs = n;
    return 0;
}

void compare_runs_free(compare_run *runs, int n_runs) {
    for (int i = 0; i < n_runs; i++) json_free(&runs[i].summary);
    free(runs);
}

/* ---- the table ---- */

static const char *const not_swept[] = {"custom_run_name", "project_name", "download_directory", "train.threads",
                                        "mi.entropy_estimator_params.functional_params.n_jobs"};

static void add_col(compare_table *t, const char *name, int numeric) {
    t->col = gi_realloc(t->col, (size_t)(t->n_cols + 1) * sizeof *t->col);
    t->numeric = gi_realloc(t->numeric, (size_t)(t->n_cols + 1) * sizeof *t->numeric);
    t->col[t->n_cols] = strdup(name);
    t->numeric[t->n_cols] = numeric;
    t->n_cols++;
}

static void alloc_cells(compare_table *t, int n_rows) {
    t->n_rows = n_rows;
    t->cell = gi_calloc((size_t)(n_rows ? n_rows : 1), sizeof *t->cell);
    for (int r = 0; r < n_rows; r++) t->cell[r] = gi_calloc((size_t)t->n_cols, sizeof(char *));
}

static void set_cell(compare_table *t, int r, int c, const char *s) {
    free(t->cell[r][c]);
    t->cell[r][c] = strdup(s ? s : "");
}

static void set_num(compare_table *t, int r, int c, double v) {
    char b[48] = "";
    if (isfinite(v)) snprintf(b, sizeof b, "%.10g", v);
    set_cell(t, r, c, b);
}

static int is_number(const char *s) {
    char *end;
    if (!*s) return 0;
    strtod(s, &end);
    return *end == 0;
}

/* the first start of a phase in the eval subset's curve of layer l, NaN if none */
static double phase_start(const json_doc *d, int layer, const char *phase) {
    char k[128];
    for (int i = 0;; i++) {
        snprintf(k, sizeof k, "phases.curves.%d.layer", i);
        double l = json_num(d, k);
        if (isnan(l)) return NAN;
        snprintf(k, sizeof k, "phases.curves.%d.subset", i);
        const char *s = json_str(d, k);
        if ((int)l != layer || !s || strcmp(s, "eval")) continue;
        for (int j = 0;; j++) {
            snprintf(k, sizeof k, "phases.curves.%d.segments.%d.phase", i, j);
            const char *p = json_str(d, k);
            if (!p) return NAN;
            if (strcmp(p, phase)) continue;
            snprintf(k, sizeof k, "phases.curves.%d.segments.%d.start", i, j);
            return json_num(d, k);
        }
    }
}

/* the oinfo layer entry of layer l, -1 if none */
static int oinfo_entry(const json_doc *d, int layer) {
    char k[96];
    for (int i = 0;; i++) {
        snprintf(k, sizeof k, "oinfo.layers.%d.layer", i);
        double l = json_num(d, k);
        if (isnan(l)) return -1;
        if ((int)l == layer) return i;
    }
}

static const char *const measures[] = {"memorisation_step", "grokking_step", "final_step", "final_train_acc",
                                       "final_eval_acc", "final_train_loss", "final_eval_loss"};
#define N_MEASURES (int)(sizeof measures / sizeof measures[0])

void compare_build(const compare_run *runs, int n_runs, compare_table *t) {
    *t = (compare_table){0};
    add_col(t, "run", 0);
    int n_opt = config_n_options();
    int *swept = gi_calloc((size_t)n_opt, sizeof(int));
    char a[2 * CFG_PATH + 8], b[2 * CFG_PATH + 8];
    for (int o = 0; o < n_opt; o++) {
        int skip = 0;
        for (size_t k = 0; k < sizeof not_swept / sizeof not_swept[0]; k++) skip |= !strcmp(config_option_name(o), not_swept[k]);
        if (skip) continue;
        config_format_value(&runs[0].cfg, o, a, sizeof a);
        int numeric = is_number(a);
        for (int r = 1; r < n_runs; r++) {
            config_format_value(&runs[r].cfg, o, b, sizeof b);
            numeric &= is_number(b);
            if (strcmp(a, b)) swept[o] = 1;
        }
        if (swept[o]) add_col(t, config_option_name(o), numeric);
    }
    t->n_keys = t->n_cols - 1;
    add_col(t, "status", 0);
    for (int m = 0; m < N_MEASURES; m++) add_col(t, measures[m], 1);
    /* O-information peaks and phase starts, for the layers some run has */
    int max_oinfo = 0, max_phase = 0;
    for (int r = 0; r < n_runs; r++)
        for (int l = 1; l <= 16; l++) {
            if (oinfo_entry(&runs[r].summary, l) >= 0 && l > max_oinfo) max_oinfo = l;
            if ((!isnan(phase_start(&runs[r].summary, l, "error_minimisation")) || !isnan(phase_start(&runs[r].summary, l, "compression"))) &&
                l > max_phase)
                max_phase = l;
        }
    char name[96];
    for (int l = 1; l <= max_oinfo; l++) {
        snprintf(name, sizeof name, "oinfo_l%d_synergy_peak_step", l);
        add_col(t, name, 1);
        snprintf(name, sizeof name, "oinfo_l%d_redundancy_peak_step", l);
        add_col(t, name, 1);
    }
    for (int l = 1; l <= max_phase; l++) {
        snprintf(name, sizeof name, "phase_eval_l%d_error_minimisation_start", l);
        add_col(t, name, 1);
        snprintf(name, sizeof name, "phase_eval_l%d_compression_start", l);
        add_col(t, name, 1);
    }
    alloc_cells(t, n_runs);
    for (int r = 0; r < n_runs; r++) {
        const json_doc *d = &runs[r].summary;
        int c = 0;
        set_cell(t, r, c++, runs[r].name);
        for (int o = 0; o < n_opt; o++)
            if (swept[o]) {
                config_format_value(&runs[r].cfg, o, a, sizeof a);
                set_cell(t, r, c++, a);
            }
        const char *status = json_str(d, "status");
        set_cell(t, r, c++, runs[r].has_summary ? (status ? status : "") : "no summary.json");
        for (int m = 0; m < N_MEASURES; m++) set_num(t, r, c++, json_num(d, measures[m]));
        for (int l = 1; l <= max_oinfo; l++) {
            int i = oinfo_entry(d, l);
            char k[96];
            snprintf(k, sizeof k, "oinfo.layers.%d.synergy_peak_step", i);
            set_num(t, r, c++, i < 0 ? NAN : json_num(d, k));
            snprintf(k, sizeof k, "oinfo.layers.%d.redundancy_peak_step", i);
            set_num(t, r, c++, i < 0 ? NAN : json_num(d, k));
        }
        for (int l = 1; l <= max_phase; l++) {
            set_num(t, r, c++, phase_start(d, l, "error_minimisation"));
            set_num(t, r, c++, phase_start(d, l, "compression"));
        }
    }
    free(swept);
}

int compare_col(const compare_table *t, const char *name) {
    for (int c = 0; c < t->n_cols; c++)
        if (!strcmp(t->col[c], name)) return c;
    return -1;
}

double compare_num(const compare_table *t, int row, int col) {
    if (col < 0 || row < 0 || row >= t->n_rows) return NAN;
    const char *s = t->cell[row][col];
    return is_number(s) ? strtod(s, NULL) : NAN;
}

void compare_mean_std(const double *x, int n, double *mean, double *std, int *count) {
    double s = 0;
    int k = 0;
    for (int i = 0; i < n; i++)
        if (isfinite(x[i])) s += x[i], k++;
    *count = k;
    *mean = k ? s / k : NAN;
    double ss = 0;
    for (int i = 0; i < n; i++)
        if (isfinite(x[i])) ss += (x[i] - *mean) * (x[i] - *mean);
    *std = k > 1 ? sqrt(ss / (k - 1)) : NAN;
}

/* do rows a and b share every swept key but seed? */
static int same_group(const compare_table *t, int a, int b, int seed_col) {
    for (int c = 1; c <= t->n_keys; c++)
        if (c != seed_col && strcmp(t->cell[a][c], t->cell[b][c])) return 0;
    return 1;
}

int compare_seed_groups(const compare_table *t, compare_table *g) {
    *g = (compare_table){0};
    int seed_col = compare_col(t, "seed");
    if (seed_col < 1 || seed_col > t->n_keys || t->n_rows == 0) return 0;
    int *group = gi_malloc((size_t)t->n_rows * sizeof(int)), *first = gi_malloc((size_t)t->n_rows * sizeof(int));
    int n_groups = 0, biggest = 0;
    for (int r = 0; r < t->n_rows; r++) {
        group[r] = -1;
        for (int k = 0; k < n_groups && group[r] < 0; k++)
            if (same_group(t, r, first[k], seed_col)) group[r] = k;
        if (group[r] < 0) first[n_groups] = r, group[r] = n_groups++;
    }
    for (int k = 0; k < n_groups; k++) {
        int m = 0;
        for (int r = 0; r < t->n_rows; r++) m += group[r] == k;
        if (m > biggest) biggest = m;
    }
    if (biggest < 2) { free(group); free(first); return 0; }
    add_col(g, "group", 0);
    for (int c = 1; c <= t->n_keys; c++)
        if (c != seed_col) add_col(g, t->col[c], t->numeric[c]);
    g->n_keys = g->n_cols - 1;
    add_col(g, "n", 1);
    char name[128];
    for (int c = t->n_keys + 1; c < t->n_cols; c++) {
        if (!t->numeric[c]) continue;
        snprintf(name, sizeof name, "%s_mean", t->col[c]);
        add_col(g, name, 1);
        snprintf(name, sizeof name, "%s_std", t->col[c]);
        add_col(g, name, 1);
        snprintf(name, sizeof name, "%s_n", t->col[c]);
        add_col(g, name, 1);
    }
    alloc_cells(g, n_groups);
    double *x = gi_malloc((size_t)t->n_rows * sizeof(double));
    for (int k = 0; k < n_groups; k++) {
        int gc = 0, m = 0;
        /* the group's name: its keys as key=value, or "all" when seed is the only swept key */
        char label[512] = "";
        for (int c = 1; c <= t->n_keys; c++) {
            if (c == seed_col) continue;
            const char *dot = strrchr(t->col[c], '.');
            size_t len = strlen(label);
            snprintf(label + len, sizeof label - len, "%s%s=%s", len ? " " : "", dot ? dot + 1 : t->col[c], t->cell[first[k]][c]);
        }
        set_cell(g, k, gc++, label[0] ? label : "all");
        for (int c = 1; c <= t->n_keys; c++)
            if (c != seed_col) set_cell(g, k, gc++, t->cell[first[k]][c]);
        for (int r = 0; r < t->n_rows; r++) m += group[r] == k;
        set_num(g, k, gc++, m);
        for (int c = t->n_keys + 1; c < t->n_cols; c++) {
            if (!t->numeric[c]) continue;
            int n = 0, count;
            double mean, std;
            for (int r = 0; r < t->n_rows; r++)
                if (group[r] == k) x[n++] = compare_num(t, r, c);
            compare_mean_std(x, n, &mean, &std, &count);
            set_num(g, k, gc++, mean);
            set_num(g, k, gc++, std);
            set_num(g, k, gc++, count);
        }
    }
    free(x); free(group); free(first);
    return n_groups;
}

int compare_write_csv(const char *path, const compare_table *t, gi_err *e) {
    atomic_file af;
    if (atomic_open(&af, path, e)) return -1;
    for (int r = -1; r < t->n_rows; r++)
        for (int c = 0; c < t->n_cols; c++) {
            const char *s = r < 0 ? t->col[c] : t->cell[r][c];
            if (c) fputc(',', af.f);
            for (; *s; s++) fputc(*s == ',' || *s == '\n' ? ';' : *s, af.f);
            if (c == t->n_cols - 1) fputc('\n', af.f);
        }
    return atomic_commit(&af, e);
}

/* columns on the screen: UTF-8 continuation bytes take none */
static int width(const char *s) {
    int w = 0;
    for (; *s; s++) w += ((unsigned char)*s & 0xC0) != 0x80;
    return w;
}

static void print_aligned(FILE *f, int n_rows, int n_cols, char **head, const char *(*cell)(const void *, int, int),
                          const void *ctx) {
    int *w = gi_calloc((size_t)n_cols, sizeof(int));
    for (int c = 0; c < n_cols; c++) {
        w[c] = width(head[c]);
        for (int r = 0; r < n_rows; r++)
            if (width(cell(ctx, r, c)) > w[c]) w[c] = width(cell(ctx, r, c));
    }
    for (int r = -1; r < n_rows; r++) {
        for (int c = 0; c < n_cols; c++) {
            const char *s = r < 0 ? head[c] : cell(ctx, r, c);
            fprintf(f, "%s%s", c ? "  " : "", s);
            if (c < n_cols - 1) fprintf(f, "%*s", w[c] - width(s), "");
        }
        fputc('\n', f);
    }
    free(w);
}

static const char *table_cell(const void *ctx, int r, int c) {
    const char *s = ((const compare_table *)ctx)->cell[r][c];
    return *s ? s : "-";
}

void compare_print(FILE *f, const compare_table *t) { print_aligned(f, t->n_rows, t->n_cols, t->col, table_cell, t); }

/* the compact groups: keys, n, then one "mean ± std (n)" per measure */
typedef struct { const compare_table *g; int n_measures; char ***txt; } group_view;

static const char *group_cell(const void *ctx, int r, int c) {
    const group_view *v = ctx;
    int fixed = v->g->n_keys + 2;
    c++; /* the group's label (column 0) repeats its keys: not printed */
    if (c < fixed) return table_cell(v->g, r, c);
    return v->txt[r][c - fixed];
}

void compare_print_groups(FILE *f, const compare_table *g) {
    int fixed = g->n_keys + 2, nm = (g->n_cols - fixed) / 3;
    group_view v = {g, nm, gi_calloc((size_t)(g->n_rows ? g->n_rows : 1), sizeof(char **))};
    char **head = gi_malloc((size_t)(fixed + nm) * sizeof(char *));
    for (int c = 1; c < fixed; c++) head[c - 1] = g->col[c];
    for (int m = 0; m < nm; m++) {
        head[fixed - 1 + m] = strdup(g->col[fixed + 3 * m]);
        head[fixed - 1 + m][strlen(head[fixed - 1 + m]) - 5] = 0; /* drop "_mean" */
    }
    for (int r = 0; r < g->n_rows; r++) {
        v.txt[r] = gi_malloc((size_t)(nm ? nm : 1) * sizeof(char *));
        for (int m = 0; m < nm; m++) {
            double mean = compare_num(g, r, fixed + 3 * m), std = compare_num(g, r, fixed + 3 * m + 1);
            int n = (int)compare_num(g, r, fixed + 3 * m + 2);
            char b[96];
            if (n == 0) snprintf(b, sizeof b, "- (0)");
            else if (isnan(std)) snprintf(b, sizeof b, "%.4g (%d)", mean, n);
            else snprintf(b, sizeof b, "%.4g ± %.2g (%d)", mean, std, n);
            v.txt[r][m] = strdup(b);
        }
    }
    print_aligned(f, g->n_rows, fixed - 1 + nm, head, group_cell, &v);
    for (int r = 0; r < g->n_rows; r++) {
        for (int m = 0; m < nm; m++) free(v.txt[r][m]);
        free(v.txt[r]);
    }
    for (int m = 0; m < nm; m++) free(head[fixed - 1 + m]);
    free(head);
    free(v.txt);
}

void compare_table_free(compare_table *t) {
    for (int r = 0; r < t->n_rows; r++) {
        for (int c = 0; c < t->n_cols; c++) free(t->cell[r][c]);
        free(t->cell[r]);
    }
    free(t->cell);
    for (int c = 0; c < t->n_cols; c++) free(t->col[c]);
    free(t->col);
    free(t->numeric);
    *t = (compare_table){0};
}
