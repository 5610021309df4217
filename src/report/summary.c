#include "report/summary.h"
#include <stdio.h>
#include <stdlib.h>
#include "util/atomic_file.h"
#include "util/json.h"

void history_push(acc_history *h, int64_t step, double train_acc, double eval_acc, double train_loss, double eval_loss) {
    if (h->n == h->cap) {
        h->cap = h->cap ? 2 * h->cap : 256;
        h->step = gi_realloc(h->step, (size_t)h->cap * sizeof(int64_t));
        h->train_acc = gi_realloc(h->train_acc, (size_t)h->cap * sizeof(double));
        h->eval_acc = gi_realloc(h->eval_acc, (size_t)h->cap * sizeof(double));
        h->train_loss = gi_realloc(h->train_loss, (size_t)h->cap * sizeof(double));
        h->eval_loss = gi_realloc(h->eval_loss, (size_t)h->cap * sizeof(double));
    }
    h->step[h->n] = step;
    h->train_acc[h->n] = train_acc;
    h->eval_acc[h->n] = eval_acc;
    h->train_loss[h->n] = train_loss;
    h->eval_loss[h->n] = eval_loss;
    h->n++;
}

void history_free(acc_history *h) {
    free(h->step); free(h->train_acc); free(h->eval_acc); free(h->train_loss); free(h->eval_loss);
    *h = (acc_history){0};
}

void history_milestones(const acc_history *h, milestones *m) {
    int64_t i = milestone_index(h->train_acc, h->n, m->train_threshold), j = milestone_index(h->eval_acc, h->n, m->eval_threshold);
    m->memorisation = i >= 0 ? h->step[i] : -1;
    m->grokking = j >= 0 ? h->step[j] : -1;
}

static void json_step(FILE *f, const char *key, int64_t v) {
    if (v < 0) fprintf(f, "  \"%s\": null,\n", key);
    else fprintf(f, "  \"%s\": %lld,\n", key, (long long)v);
}

int summary_write(const char *path, const acc_history *h, const summary_info *s, gi_err *e) {
    atomic_file af;
    if (atomic_open(&af, path, e)) return -1;
    FILE *f = af.f;
    int64_t last = h->n - 1;
    fprintf(f, "{\n  \"status\": ");
    json_write_string(f, s->status);
    fprintf(f, ",\n");
    json_step(f, "memorisation_step", s->ms.memorisation);
    json_step(f, "grokking_step", s->ms.grokking);
    fprintf(f, "  \"memorisation_threshold\": %g,\n  \"grokking_threshold\": %g,\n", s->ms.train_threshold, s->ms.eval_threshold);
    if (last >= 0)
        fprintf(f, "  \"final_step\": %lld,\n  \"final_train_acc\": %.6g,\n  \"final_eval_acc\": %.6g,\n"
                   "  \"final_train_loss\": %.9g,\n  \"final_eval_loss\": %.9g,\n",
                (long long)h->step[last], h->train_acc[last], h->eval_acc[last], h->train_loss[last], h->eval_loss[last]);
    if (s->extra) s->extra(f, s->extra_ctx);
    if (s->timing) {
        const run_timing *t = s->timing;
        fprintf(f, "  \"timing_seconds\": {\"training_steps\": %.3f, \"evaluation_passes\": %.3f, \"x_compression\": %.3f, "
                   "\"layer_compression\": %.3f, \"estimation\": %.3f, \"cross_check\": %.3f, \"noise_redraws\": %.3f, "
                   "\"noise_model\": %.3f, \"oinfo\": %.3f, "
                   "\"writing\": %.3f, \"plotting\": %.3f, \"total\": %.3f},\n",
                t->training, t->evaluation, t->x_compression, t->layer_compression, t->estimation, t->cross_check,
                t->noise_redraws, t->noise_model, t->oinfo, t->writing, t->plotting, t->total);
    }
    fprintf(f, "  \"steps\": %lld,\n  \"seconds\": %.3f,\n  \"steps_per_s\": %.1f,\n  \"threads\": %d,\n"
               "  \"sparse_input\": %s,\n  \"input_density\": %.4f\n}\n",
            (long long)s->steps, s->seconds, s->steps_per_s, s->threads, s->sparse_input ? "true" : "false",
            s->input_density);
    return atomic_commit(&af, e);
}

void timing_format(const run_timing *t, char *out, size_t n) {
    snprintf(out, n,
             "training steps %.1f s, evaluation passes %.1f s, X compression %.1f s, layer compression %.1f s, "
             "MI estimation %.1f s, cross-check %.1f s, noise redraws %.1f s, noise model %.1f s, O-information %.1f s, "
             "writing %.1f s, plotting %.1f s; total %.1f s",
             t->training, t->evaluation, t->x_compression, t->layer_compression, t->estimation, t->cross_check,
             t->noise_redraws, t->noise_model,
             t->oinfo, t->writing,
             t->plotting, t->total);
}
