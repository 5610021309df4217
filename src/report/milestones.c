/* milestones.c — the first evaluated step where an accuracy reaches its threshold. */
#include "report/milestones.h"
#include "report/table.h"
#include "util/atomic_file.h"
#include "util/run_layout.h"

int64_t milestone_index(const double *acc, int64_t n, double threshold) {
    for (int64_t i = 0; i < n; i++)
        if (acc[i] >= threshold) return i;
    return -1;
}

void milestones_find(milestones *m, const double *step, const double *train_acc, const double *eval_acc, int64_t n) {
    int64_t i = milestone_index(train_acc, n, m->train_threshold), j = milestone_index(eval_acc, n, m->eval_threshold);
    m->memorisation = i >= 0 ? (int64_t)step[i] : -1;
    m->grokking = j >= 0 ? (int64_t)step[j] : -1;
}

int milestones_read(milestones *m, const char *run_dir, gi_err *e) {
    char path[GI_PATH];
    if (path_join(path, sizeof path, run_dir, RUN_METRICS, e)) return -1;
    table t;
    if (table_read(path, NULL, &t, e)) return -1;
    const double *step = table_num(&t, "step", e), *tr = step ? table_num(&t, "train_acc", e) : NULL;
    const double *ev = tr ? table_num(&t, "eval_acc", e) : NULL;
    if (ev) milestones_find(m, step, tr, ev, t.n_rows);
    table_free(&t);
    return ev ? 0 : -1;
}
