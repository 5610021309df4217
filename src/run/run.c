/* run.c — one training run: open (or resume) its directory, then evaluate at the scheduled steps
 * and step until the last one, then finish (the measurements' reports, the figures, summary.json).
 * The measurements (mi.csv, oinfo.csv, ...) come from run/measurement.h's table. */
#include "run/run.h"
#include <dirent.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "report/plot.h"
#include "report/progress.h"
#include "report/summary.h"
#include "run/measurement.h"
#include "run/run_csv.h"
#include "train/schedule.h"
#include "train/trainer.h"
#include "util/atomic_file.h"
#include "util/clock.h"
#include "util/run_layout.h"

#define RUN_MAX_MEASUREMENTS 8

/* A measurement of this run: its state and its file's text, rewritten whole at each evaluation;
 * the same for its second file of values per noise draw, when it has one. */
typedef struct {
    const measurement_type *type;
    void *state;
    csv_text csv;
    char path[GI_PATH];
    int has_redraws;
    csv_text redraws;
    char redraws_path[GI_PATH];
} run_measurement;

typedef struct {
    const gi_config *cfg;
    const run_options *opt;
    char ckpt_dir[GI_PATH], latest[GI_PATH], metrics_path[GI_PATH];
    trainer t;
    int have_trainer;
    char header[4096];          /* metrics.csv's */
    csv_text csv;               /* metrics.csv */
    acc_history hist;           /* the evaluations so far (kept ones included on a resume) */
    run_measurement m[RUN_MAX_MEASUREMENTS];
    int n_m;
    schedule sched;
    progress prog;
    run_timing tm;
    double t_start, t0, seconds_offset;
    int64_t start_step;
    char status[GI_ERRLEN];     /* "finished", or why the loop stopped */
} run;

static void csv_append_row(csv_text *c, const metrics_row *r, int n_layers) {
    char *s = NULL;
    size_t n = 0;
    FILE *f = open_memstream(&s, &n);
    metrics_write_row(f, r, n_layers);
    fclose(f);
    csv_append(c, s, n);
    free(s);
}

/* A measurement's rows for this evaluation, appended to its CSV texts (kept even on failure). */
static int append_rows(run_measurement *m, trainer *t, gi_err *e) {
    char *rows = NULL, *draws = NULL;
    size_t n = 0, n_draws = 0;
    FILE *f = open_memstream(&rows, &n), *g = m->has_redraws ? open_memstream(&draws, &n_draws) : NULL;
    int rc = m->type->rows(m->state, t, f, g, e);
    fclose(f);
    csv_append(&m->csv, rows, n);
    free(rows);
    if (g) {
        fclose(g);
        csv_append(&m->redraws, draws, n_draws);
        free(draws);
    }
    return rc;
}

static int write_config(const gi_config *cfg, const char *dir, gi_err *e) {
    char path[GI_PATH];
    atomic_file af;
    if (path_join(path, sizeof path, dir, RUN_CONFIG, e) || atomic_open(&af, path, e)) return -1;
    config_write_yaml(cfg, af.f);
    return atomic_commit(&af, e);
}

/* A run killed while writing leaves NAME.tmp.PID files (never a half-written NAME): drop them. */
static void remove_stale_temporaries(const char *dir) {
    DIR *d = opendir(dir);
    if (!d) return;
    struct dirent *ent;
    char p[GI_PATH];
    while ((ent = readdir(d)) != NULL)
        if (strstr(ent->d_name, ".tmp.") && path_join(p, sizeof p, dir, ent->d_name, NULL) == 0) unlink(p);
    closedir(d);
}

/* The enabled measurements, set up on the trainer; on a resume, their rows below its step. */
static int open_measurements(run *r, gi_err *e) {
    measurement_env env = {.data_dir = r->opt->data_dir, .progress = r->opt->progress, .log = &r->opt->log};
    for (int i = 0; i < run_n_measurements; i++) {
        const measurement_type *type = run_measurements[i];
        if (!type->enabled(r->cfg)) continue;
        run_measurement *m = &r->m[r->n_m];
        *m = (run_measurement){.type = type};
        if (path_join(m->path, sizeof m->path, r->opt->run_dir, type->file, e)) return -1;
        if (!(m->state = type->create(&r->t, &env, e))) return -1;
        r->n_m++;
        const char *header = type->header(m->state);
        if (r->opt->resume) {
            if (csv_load_rows_below(&m->csv, m->path, header, r->t.step, e)) return -1;
        } else csv_append(&m->csv, header, strlen(header));
        const char *draws = type->redraws_header ? type->redraws_header(m->state) : NULL;
        if (!draws) continue;
        m->has_redraws = 1;
        if (run_redraws_path(m->redraws_path, sizeof m->redraws_path, m->path, e)) return -1;
        if (r->opt->resume) {
            if (csv_load_rows_below(&m->redraws, m->redraws_path, draws, r->t.step, e)) return -1;
        } else csv_append(&m->redraws, draws, strlen(draws));
    }
    return 0;
}

static int run_open(run *r, const gi_config *cfg, const run_options *opt, gi_err *e) {
    memset(r, 0, sizeof *r);
    r->cfg = cfg;
    r->opt = opt;
    const char *dir = opt->run_dir;
    if (path_join(r->ckpt_dir, sizeof r->ckpt_dir, dir, RUN_CKPT_DIR, e) ||
        path_join(r->latest, sizeof r->latest, dir, RUN_LATEST, e) ||
        path_join(r->metrics_path, sizeof r->metrics_path, dir, RUN_METRICS, e))
        return -1;
    if (!opt->resume && path_exists(r->metrics_path))
        return gi_fail(e, "%s already holds a run: continue it with --resume %s, or choose another --out", dir, dir);
    if (opt->resume && !path_exists(r->latest))
        return gi_fail(e, "%s: no checkpoint to resume from (expected %s)", dir, r->latest);
    if (make_dirs(r->ckpt_dir, e)) return -1;
    r->t_start = now_s();
    if (trainer_create(&r->t, cfg, opt->data_dir, e)) return -1;
    r->have_trainer = 1;
    FILE *f = fmemopen(r->header, sizeof r->header, "w");
    metrics_header(f, r->t.model.n_layers);
    fclose(f);
    schedule_create(&r->sched, cfg);
    if (opt->resume && trainer_load(&r->t, r->latest, e)) return -1;
    if (open_measurements(r, e)) return -1;
    if (opt->resume) {
        if (csv_load_metrics(&r->csv, r->metrics_path, r->header, r->t.step, &r->hist, &r->seconds_offset, e)) return -1;
        remove_stale_temporaries(dir);
        remove_stale_temporaries(r->ckpt_dir);
    } else csv_append(&r->csv, r->header, strlen(r->header));
    /* on resume too: train.optimization_steps may have been extended */
    if (write_config(cfg, dir, e)) return -1;
    r->start_step = r->t.step;
    progress_start(&r->prog, opt->progress, r->start_step, cfg->train.optimization_steps);
    r->t0 = now_s();
    snprintf(r->status, sizeof r->status, "finished");
    return 0;
}

/* An evaluation: metrics, the measurements that are due, every file rewritten, the checkpoints.
 * 0, 1 when the run stops here (diverged: status says so), -1 on an error (nothing more is written). */
static int run_evaluate(run *r, gi_err *e) {
    trainer *t = &r->t;
    if (!trainer_params_finite(t)) {
        snprintf(r->status, sizeof r->status, "step %lld: parameters are not finite (diverged)", (long long)t->step);
        return 1;
    }
    metrics_row row;
    double t_eval = now_s();
    trainer_evaluate(t, &row);
    r->tm.evaluation += now_s() - t_eval;
    int64_t eval = r->hist.n; /* this evaluation's index in the run, counted from its first */
    for (int i = 0; i < r->n_m; i++) {
        run_measurement *m = &r->m[i];
        if ((!m->type->due || m->type->due(m->state, eval)) && append_rows(m, t, e)) return -1;
    }
    row.seconds = r->seconds_offset + (now_s() - r->t0);
    csv_append_row(&r->csv, &row, t->model.n_layers);
    history_push(&r->hist, row.step, row.acc[0], row.acc[1], row.loss[0], row.loss[1]);
    double t_io = now_s();
    for (int i = 0; i < r->n_m; i++) {
        const run_measurement *m = &r->m[i];
        if (atomic_write(m->path, m->csv.text, m->csv.len, e) ||
            (m->has_redraws && atomic_write(m->redraws_path, m->redraws.text, m->redraws.len, e)))
            return -1;
    }
    if (atomic_write(r->metrics_path, r->csv.text, r->csv.len, e) || trainer_save(t, r->latest, 1, e)) return -1;
    if (r->cfg->train.save_step_checkpoints) {
        char path[GI_PATH];
        if (run_step_checkpoint(path, sizeof path, r->opt->run_dir, t->step, e) || trainer_save(t, path, 0, e)) return -1;
    }
    r->tm.writing += now_s() - t_io;
    progress_eval(&r->prog, t->step, row.acc[0], row.acc[1]);
    return 0;
}

/* One optimisation step; 1 when the run stops here (status says why). */
static int run_step(run *r) {
    gi_err step_err;
    double t_step = now_s();
    int rc = trainer_step(&r->t, &step_err);
    r->tm.training += now_s() - t_step;
    if (rc) {
        snprintf(r->status, sizeof r->status, "%s", step_err.msg);
        return 1;
    }
    progress_step(&r->prog, r->t.step);
    return 0;
}

/* A finished run's reports: each measurement's (in table order), then the figures, which draw
 * the information plane's phases when it has them. A failure here is a warning: results stay. */
static void run_reports(run *r, measurement_end *end) {
    double t_plot = now_s();
    char gnuplot[1024];
    gi_err pe, we;
    int plot = r->cfg->plot.enabled, have_gnuplot = plot && plot_find_gnuplot(gnuplot, sizeof gnuplot, &pe) == 0;
    end->draw = have_gnuplot;
    for (int i = 0; i < r->n_m; i++)
        if (r->m[i].type->finish && r->m[i].type->finish(r->m[i].state, end, &we))
            gi_say(end->log, "grokinfo: warning: %s", we.msg);
    if (plot && !have_gnuplot) gi_say(end->log, "grokinfo: figures skipped: %s", pe.msg);
    else if (plot && plot_run(end->run_dir, end->phases, end->behind, &end->ms, &pe) < 0)
        gi_say(end->log, "grokinfo: warning: figures: %s", pe.msg);
    r->tm.plotting += now_s() - t_plot;
}

/* summary.json's keys from the measurements (summary_info.extra) */
static void measurements_json(FILE *f, void *ctx) {
    const run *r = ctx;
    for (int i = 0; i < r->n_m; i++)
        if (r->m[i].type->summary_json) r->m[i].type->summary_json(r->m[i].state, f);
}

static void print_end(const run *r, const summary_info *info, double elapsed, FILE *f) {
    const acc_history *h = &r->hist;
    int64_t last = h->n - 1;
    char mem[32] = "never", grok[32] = "never", timing[512];
    if (info->ms.memorisation >= 0) snprintf(mem, sizeof mem, "%lld", (long long)info->ms.memorisation);
    if (info->ms.grokking >= 0) snprintf(grok, sizeof grok, "%lld", (long long)info->ms.grokking);
    fprintf(f, "%s: %lld steps in %.1f s (%.0f steps/s); train_acc %.4f eval_acc %.4f; memorised (train_acc>=%g) at %s, "
               "grokked (eval_acc>=%g) at %s\n",
            r->opt->run_dir, (long long)r->t.step, elapsed, info->steps_per_s, h->train_acc[last], h->eval_acc[last],
            info->ms.train_threshold, mem, info->ms.eval_threshold, grok);
    for (int i = 0; i < r->n_m; i++)
        if (r->m[i].type->print) r->m[i].type->print(r->m[i].state, f);
    timing_format(&r->tm, timing, sizeof timing);
    fprintf(f, "time: %s\n", timing);
}

/* summary.json (also for a run that stopped early, which is then an error naming its last good
 * checkpoint); for a finished run first the reports and figures, then the printout. */
static int run_finish(run *r, gi_err *e) {
    double elapsed = now_s() - r->t0;
    progress_end(&r->prog);
    const gi_config *cfg = r->cfg;
    summary_info info = {
        .status = r->status,
        .steps = r->t.step,
        .seconds = elapsed,
        .steps_per_s = elapsed > 0 ? (double)(r->t.step - r->start_step) / elapsed : 0.0,
        .threads = cfg->train.threads,
        .sparse_input = r->t.use_sparse,
        .input_density = r->t.density,
        .ms = {.train_threshold = cfg->summary.train_acc, .eval_threshold = cfg->summary.eval_acc},
        .timing = &r->tm,
        .extra = measurements_json,
        .extra_ctx = r,
    };
#ifdef _OPENMP
    if (info.threads == 0) info.threads = (int)sysconf(_SC_NPROCESSORS_ONLN);
#endif
    for (int i = 0; i < r->n_m; i++) r->m[i].type->add_timing(r->m[i].state, &r->tm);
    history_milestones(&r->hist, &info.ms);
    int finished = strcmp(r->status, "finished") == 0;
    if (finished) {
        measurement_end end = {.run_dir = r->opt->run_dir, .ms = info.ms, .rule = phase_params_of(cfg), .log = &r->opt->log};
        run_reports(r, &end);
    }
    r->tm.total = now_s() - r->t_start;
    char path[GI_PATH];
    if (path_join(path, sizeof path, r->opt->run_dir, RUN_SUMMARY, e) || summary_write(path, &r->hist, &info, e)) return -1;
    if (!finished) {
        int64_t last_good = r->hist.n ? r->hist.step[r->hist.n - 1] : 0;
        return gi_fail(e, "%s; the last good checkpoint is %s (step %lld)", r->status, r->latest, (long long)last_good);
    }
    if (r->opt->report) print_end(r, &info, elapsed, r->opt->report);
    return 0;
}

static void run_close(run *r) {
    schedule_free(&r->sched);
    history_free(&r->hist);
    free(r->csv.text);
    for (int i = r->n_m - 1; i >= 0; i--) {
        r->m[i].type->destroy(r->m[i].state, r->have_trainer ? &r->t : NULL);
        free(r->m[i].csv.text);
        free(r->m[i].redraws.text);
    }
    if (r->have_trainer) trainer_free(&r->t);
}

int run_train(const gi_config *cfg, const run_options *opt, gi_err *e) {
    run *r = gi_malloc(sizeof *r);
    int rc = run_open(r, cfg, opt, e);
    for (const int64_t T = cfg->train.optimization_steps; rc == 0;) {
        if (schedule_has(&r->sched, r->t.step) && (rc = run_evaluate(r, e)) != 0) break;
        if (r->t.step >= T || (rc = run_step(r)) != 0) break;
    }
    if (rc >= 0) rc = run_finish(r, e);
    run_close(r);
    free(r);
    return rc;
}
