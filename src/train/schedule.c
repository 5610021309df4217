#include "train/schedule.h"
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include "util/err.h"

static int cmp_i64(const void *a, const void *b) {
    int64_t x = *(const int64_t *)a, y = *(const int64_t *)b;
    return (x > y) - (x < y);
}

void schedule_create(schedule *s, const gi_config *c) {
    int64_t T = c->train.optimization_steps;
    if (strcmp(c->train.eval_schedule, "log") == 0) {
        int64_t P = c->train.eval_points;
        s->steps = gi_malloc((size_t)(P + 1) * sizeof(int64_t));
        s->n = 0;
        for (int64_t i = 0; i < P; i++) {
            /* steps + 1 log-spaced from 1 to T + 1 */
            double v = exp(log((double)T + 1.0) * (double)i / (double)(P - 1)) - 1.0;
            int64_t st = (int64_t)llround(v);
            if (st > T) st = T;
            if (s->n == 0 || s->steps[s->n - 1] != st) s->steps[s->n++] = st;
        }
        if (s->steps[s->n - 1] != T) s->steps[s->n++] = T;
        return;
    }
    int64_t first = c->train.n_first_steps_to_log < T ? c->train.n_first_steps_to_log : T;
    int64_t cap = first + T / c->train.freqLog + 2;
    s->steps = gi_malloc((size_t)cap * sizeof(int64_t));
    s->n = 0;
    for (int64_t st = 0; st < first; st++) s->steps[s->n++] = st;
    for (int64_t st = 0; st <= T; st += c->train.freqLog)
        if (st >= first) s->steps[s->n++] = st;
    if (s->n == 0 || s->steps[s->n - 1] != T) s->steps[s->n++] = T;
    qsort(s->steps, (size_t)s->n, sizeof(int64_t), cmp_i64);
}

void schedule_free(schedule *s) {
    free(s->steps);
    s->steps = NULL;
    s->n = 0;
}

int schedule_has(const schedule *s, int64_t step) {
    return bsearch(&step, s->steps, (size_t)s->n, sizeof(int64_t), cmp_i64) != NULL;
}
