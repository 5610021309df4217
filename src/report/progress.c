#include "report/progress.h"
#include <stdio.h>
#include <unistd.h>
#include "util/clock.h"

void progress_start(progress *p, int enabled, int64_t start, int64_t total) {
    *p = (progress){.enabled = enabled, .tty = isatty(STDERR_FILENO), .start = start, .total = total,
                    .last_step = start, .train_acc = -1, .eval_acc = -1};
    p->t0 = p->last_draw = p->last_line = now_s();
}

static void draw(progress *p, int64_t step, int newline) {
    double t = now_s(), el = t - p->t0;
    double rate = el > 0 ? (step - p->start) / el : 0;
    double eta = rate > 0 ? (p->total - step) / rate : 0;
    int width = 30, filled = p->total ? (int)(width * (double)step / p->total) : width;
    if (p->tty && !newline) {
        fprintf(stderr, "\r[");
        for (int i = 0; i < width; i++) fputc(i < filled ? '#' : '.', stderr);
        fprintf(stderr, "] %lld/%lld %.0f steps/s ETA %.0fs train %.3f eval %.3f ", (long long)step,
                (long long)p->total, rate, eta, p->train_acc, p->eval_acc);
    } else {
        fprintf(stderr, "step %lld/%lld  %.0f steps/s  ETA %.0fs  train_acc %.4f  eval_acc %.4f\n", (long long)step,
                (long long)p->total, rate, eta, p->train_acc, p->eval_acc);
    }
    fflush(stderr);
    p->last_draw = t;
}

void progress_step(progress *p, int64_t step) {
    p->last_step = step;
    if (!p->enabled || !p->tty || (step & 63)) return;
    if (now_s() - p->last_draw > 0.2) draw(p, step, 0);
}

void progress_eval(progress *p, int64_t step, double train_acc, double eval_acc) {
    p->train_acc = train_acc;
    p->eval_acc = eval_acc;
    if (!p->enabled) return;
    double t = now_s();
    if (p->tty) { if (t - p->last_draw > 0.2) draw(p, step, 0); }
    else if (t - p->last_line > 10.0 || step == p->total) { draw(p, step, 1); p->last_line = t; }
}

void progress_item(progress *p, const char *name, int64_t step, int64_t i, const char *what) {
    if (!p->enabled) return;
    double t = now_s();
    if (p->tty) {
        fprintf(stderr, "\r%s: step %lld (%lld/%lld %s, %.0f s)", name, (long long)step, (long long)i, (long long)p->total,
                what, t - p->t0);
    } else if (t - p->last_line > 10.0 || i == p->total) {
        fprintf(stderr, "%s: step %lld (%lld/%lld %s, %.0f s)\n", name, (long long)step, (long long)i, (long long)p->total,
                what, t - p->t0);
        p->last_line = t;
    }
    fflush(stderr);
}

void progress_end(progress *p) {
    if (p->enabled && p->tty) fprintf(stderr, "\n");
}
