#include "run/run.h"
#include <dirent.h>
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "report/oinfo_report.h"
#include "report/phases.h"
#include "report/plot.h"
#include "report/progress.h"
#include "report/summary.h"
#include "run/oinfo_run.h"
#include "run/plane.h"
#include "run/run_csv.h"
#include "train/schedule.h"
#include "train/trainer.h"
#include "util/atomic_file.h"
#include "util/clock.h"

static void csv_append_row(csv_text *c, const metrics_row *r, int n_layers) {
    char *s = NULL;
    size_t n = 0;
    FILE *f = open_memstream(&s, &n);
    metrics_write_row(f, r, n_layers);
    fclose(f);
    csv_append(c, s, n);
    free(s);
}

/* A measurement's rows for this evaluation, appended to its CSV text (kept even on failure). */
typedef int (*rows_fn)(void *ctx, const trainer *t, FILE *f, gi_err *e);
static int measure_plane(void *ctx, const trainer *t, FILE *f, gi_err *e) { return plane_measure(ctx, t, f, e); }
static int measure_oinfo(void *ctx, const trainer *t, FILE *f, gi_err *e) { return oinfo_run_measure(ctx, t, f, e); }

static int append_rows(csv_text *c, rows_fn fn, void *ctx, const trainer *t, gi_err *e) {
    char *rows = NULL;
    size_t n = 0;
    FILE *f = open_memstream(&rows, &n);
    int rc = fn(ctx, t, f, e);
    fclose(f);
    csv_append(c, rows, n);
    free(rows);
    return rc;
}

static int write_config(const gi_config *cfg, const char *path, gi_err *e) {
    atomic_file af;
    if (atomic_open(&af, path, e)) return -1;
    config_write_yaml(cfg, af.f);
    return atomic_commit(&af, e);
}

/* A run killed while writing leaves NAME.tmp.PID files (never a half-written NAME): drop them. */
static void remove_stale_temporaries(const char *dir) {
    DIR *d = opendir(dir);
    if (!d) return;
    struct dirent *ent;
    char p[1400];
    while ((ent = readdir(d)) != NULL)
        if (strstr(ent->d_name, ".tmp.")) {
            snprintf(p, sizeof p, "%s/%s", dir, ent->d_name);
            unlink(p);
        }
    closedir(d);
}

/* summary.json's extra keys: the phases and the O-information, whichever the run has */
typedef struct { const phase_report *phases; const oinfo_report *oinfo; } summary_extras;

static void write_extras(FILE *f, void *ctx) {
    const summary_extras *x = ctx;
    if (x->phases) {
        fprintf(f, "  \"phases\": ");
        phases_write_json(f, x->phases, 2);
        fprintf(f, ",\n");
    }
    if (x->oinfo) oinfo_report_json_extra(f, (void *)x->oinfo);
}

int run_train(const gi_config *cfg, const run_options *opt, gi_err *e) {
    char path[1200], ckpt_dir[1100], latest[1200], metrics_path[1200], mi_path[1200], oinfo_path[1200], cache_dir[1000];
    const char *dir = opt->run_dir;
    snprintf(ckpt_dir, sizeof ckpt_dir, "%s/ckpt", dir);
    snprintf(latest, sizeof latest, "%s/latest.bin", ckpt_dir);
    snprintf(metrics_path, sizeof metrics_path, "%s/metrics.csv", dir);
    snprintf(mi_path, sizeof mi_path, "%s/mi.csv", dir);
    snprintf(oinfo_path, sizeof oinfo_path, "%s/oinfo.csv", dir);
    if (!opt->resume && path_exists(metrics_path))
        return gi_fail(e, "%s already holds a run: continue it with --resume %s, or choose another --out", dir, dir);
    if (opt->resume && !path_exists(latest))
        return gi_fail(e, "%s: no checkpoint to resume from (expected %s)", dir, latest);
    if (make_dirs(ckpt_dir, e)) return -1;

    double t_start = now_s();
    trainer t;
    if (trainer_create(&t, cfg, opt->data_dir, e)) return -1;
    int L = t.model.n_layers, rc = -1;
    char header[4096];
    {
        FILE *f = fmemopen(header, sizeof header, "w");
        metrics_header(f, L);
        fclose(f);
    }
    csv_text csv = {0}, mi_csv = {0}, oinfo_csv = {0};
    acc_history hist = {0};
    plane pl = {0};
    oinfo_run oi = {0};
    int with_mi = cfg->mi.enabled, with_oinfo = cfg->oinfo.enabled;
    run_timing tm = {0};
    double seconds_offset = 0.0;
    schedule sched;
    schedule_create(&sched, cfg);
    progress prog;

    if (with_mi) {
        double t_x = now_s();
        plane_cache_dir(opt->data_dir, cache_dir, sizeof cache_dir);
        if (plane_create(&pl, &t, cache_dir, e)) { with_mi = 0; goto done; }
        tm.x_compression = now_s() - t_x;
        if (opt->progress)
            fprintf(stderr, "X compressed to %d dimensions (%s%s) in %.1f s\n", pl.sub[0].dx,
                    pl.opt.compression == LAYER_SLICED ? "none: sliced MI" : cfg->mi.x_compression,
                    pl.ae_path[0] ? (pl.ae_trained ? ", trained and cached" : ", from the cache") : "", tm.x_compression);
    }
    if (with_oinfo) oinfo_run_create(&oi, &t);
    if (opt->resume) {
        if (trainer_load(&t, latest, e)) goto done;
        if (csv_load_metrics(&csv, metrics_path, header, t.step, &hist, &seconds_offset, e)) goto done;
        if (with_mi && csv_load_rows_below(&mi_csv, mi_path, PLANE_CSV_HEADER, t.step, e)) goto done;
        if (with_oinfo && csv_load_rows_below(&oinfo_csv, oinfo_path, oinfo_run_header(&oi), t.step, e)) goto done;
        oi.evals_seen = (int)hist.n; /* every `every`-th evaluation counts from the run's first */
        remove_stale_temporaries(dir);
        remove_stale_temporaries(ckpt_dir);
    } else {
        csv_append(&csv, header, strlen(header));
        if (with_mi) csv_append(&mi_csv, PLANE_CSV_HEADER, strlen(PLANE_CSV_HEADER));
        if (with_oinfo) csv_append(&oinfo_csv, oinfo_run_header(&oi), strlen(oinfo_run_header(&oi)));
    }
    /* on resume too: train.optimization_steps may have been extended */
    snprintf(path, sizeof path, "%s/config.yaml", dir);
    if (write_config(cfg, path, e)) goto done;

    const int64_t T = cfg->train.optimization_steps, start_step = t.step;
    progress_start(&prog, opt->progress, start_step, T);
    double t0 = now_s();
    char status[GI_ERRLEN] = "finished";
    for (;;) {
        if (schedule_has(&sched, t.step)) {
            if (!trainer_params_finite(&t)) {
                snprintf(status, sizeof status, "step %lld: parameters are not finite (diverged)", (long long)t.step);
                break;
            }
            metrics_row row;
            double t_eval = now_s();
            trainer_evaluate(&t, &row);
            tm.evaluation += now_s() - t_eval;
            if (with_mi && append_rows(&mi_csv, measure_plane, &pl, &t, e)) goto done;
            if (with_oinfo && oinfo_run_due(&oi) && append_rows(&oinfo_csv, measure_oinfo, &oi, &t, e)) goto done;
            row.seconds = seconds_offset + (now_s() - t0);
            csv_append_row(&csv, &row, L);
            history_push(&hist, row.step, row.acc[0], row.acc[1], row.loss[0], row.loss[1]);
            double t_io = now_s();
            if (with_mi && atomic_write(mi_path, mi_csv.text, mi_csv.len, e)) goto done;
            if (with_oinfo && atomic_write(oinfo_path, oinfo_csv.text, oinfo_csv.len, e)) goto done;
            if (atomic_write(metrics_path, csv.text, csv.len, e)) goto done;
            if (trainer_save(&t, latest, 1, e)) goto done;
            if (cfg->train.save_step_checkpoints) {
                snprintf(path, sizeof path, "%s/step_%07lld.bin", ckpt_dir, (long long)t.step);
                if (trainer_save(&t, path, 0, e)) goto done;
            }
            tm.writing += now_s() - t_io;
            progress_eval(&prog, t.step, row.acc[0], row.acc[1]);
        }
        if (t.step >= T) break;
        gi_err step_err;
        double t_step = now_s();
        int step_rc = trainer_step(&t, &step_err);
        tm.training += now_s() - t_step;
        if (step_rc) {
            snprintf(status, sizeof status, "%s", step_err.msg);
            break;
        }
        progress_step(&prog, t.step);
    }
    double elapsed = now_s() - t0;
    progress_end(&prog);
    summary_info info = {
        .status = status,
        .steps = t.step,
        .seconds = elapsed,
        .steps_per_s = elapsed > 0 ? (double)(t.step - start_step) / elapsed : 0.0,
        .threads = cfg->train.threads,
        .sparse_input = t.use_sparse,
        .input_density = t.density,
        .ms = {.train_threshold = cfg->summary.train_acc, .eval_threshold = cfg->summary.eval_acc},
        .timing = &tm,
    };
    tm.layer_compression = pl.seconds_compress;
    tm.estimation = pl.seconds_estimate;
    tm.oinfo = oi.seconds;
#ifdef _OPENMP
    if (info.threads == 0) info.threads = (int)sysconf(_SC_NPROCESSORS_ONLN);
#endif
    int finished = strcmp(status, "finished") == 0;
    history_milestones(&hist, &info.ms);
    int64_t mem = info.ms.memorisation, grok = info.ms.grokking;
    /* the phases and the figures: a failure here is reported, and the results stay */
    phase_report ph;
    oinfo_report orep;
    int have_phases = 0, have_oinfo = 0;
    summary_extras extras = {NULL, NULL};
    if (finished && with_mi) {
        gi_err pe;
        if (phases_from_run(dir, NULL, NULL, &info.ms, NULL, &ph, &pe) == 0) {
            have_phases = 1;
            extras.phases = &ph;
        } else fprintf(stderr, "grokinfo: warning: phases not found: %s\n", pe.msg);
    }
    if (finished && cfg->plot.enabled) {
        double t_plot = now_s();
        char gnuplot[1024];
        gi_err pe;
        if (plot_find_gnuplot(gnuplot, sizeof gnuplot, &pe)) fprintf(stderr, "grokinfo: figures skipped: %s\n", pe.msg);
        else if (plot_run(dir, have_phases ? &ph : NULL, &info.ms, &pe) < 0) fprintf(stderr, "grokinfo: warning: figures: %s\n", pe.msg);
        tm.plotting = now_s() - t_plot;
    }
    if (finished && with_oinfo) {
        double t_plot = now_s();
        gi_err oe, pe = {{0}};
        int drawn = 0;
        char gnuplot[1024];
        int draw = cfg->plot.enabled && plot_find_gnuplot(gnuplot, sizeof gnuplot, &oe) == 0;
        if (oinfo_report_finish(dir, cfg->summary.train_acc, cfg->summary.eval_acc, draw, &orep, &drawn, &pe, &oe) == 0) {
            have_oinfo = 1;
            extras.oinfo = &orep;
            if (draw && !drawn) fprintf(stderr, "grokinfo: warning: O-information figures: %s\n", pe.msg);
        } else fprintf(stderr, "grokinfo: warning: O-information summary: %s\n", oe.msg);
        tm.plotting += now_s() - t_plot;
    }
    if (have_phases || have_oinfo) {
        info.extra = write_extras;
        info.extra_ctx = &extras;
    }
    tm.total = now_s() - t_start;
    snprintf(path, sizeof path, "%s/summary.json", dir);
    int src = summary_write(path, &hist, &info, e);
    if (src == 0 && !finished) {
        int64_t last_good = hist.n ? hist.step[hist.n - 1] : 0;
        gi_fail(e, "%s; the last good checkpoint is %s (step %lld)", status, latest, (long long)last_good);
    }
    if (src == 0 && finished) {
        int64_t last = hist.n - 1;
        char mem_s[32] = "never", grok_s[32] = "never";
        if (mem >= 0) snprintf(mem_s, sizeof mem_s, "%lld", (long long)mem);
        if (grok >= 0) snprintf(grok_s, sizeof grok_s, "%lld", (long long)grok);
        printf("%s: %lld steps in %.1f s (%.0f steps/s); train_acc %.4f eval_acc %.4f; memorised (train_acc>=%g) at %s, "
               "grokked (eval_acc>=%g) at %s\n",
               dir, (long long)t.step, elapsed, info.steps_per_s, hist.train_acc[last], hist.eval_acc[last],
               cfg->summary.train_acc, mem_s, cfg->summary.eval_acc, grok_s);
        if (have_phases) phases_print(stdout, &ph);
        if (have_oinfo) oinfo_report_print(stdout, &orep);
        char timing[512];
        timing_format(&tm, timing, sizeof timing);
        printf("time: %s\n", timing);
        rc = 0;
    }
    if (have_phases) phases_free(&ph);
    if (have_oinfo) oinfo_report_free(&orep);
done:
    schedule_free(&sched);
    history_free(&hist);
    free(csv.text);
    free(mi_csv.text);
    free(oinfo_csv.text);
    oinfo_run_free(&oi, &t);
    plane_free(&pl, &t);
    trainer_free(&t);
    return rc;
}
