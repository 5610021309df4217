/* progress.h — progress on stderr: a bar redrawn in place on a terminal, plain lines otherwise. */
#ifndef GI_PROGRESS_H
#define GI_PROGRESS_H
#include <stdint.h>

typedef struct {
    int enabled, tty;
    int64_t start, total, last_step;
    double t0, last_draw, last_line;
    double train_acc, eval_acc;
} progress;

void progress_start(progress *p, int enabled, int64_t start, int64_t total);
void progress_step(progress *p, int64_t step);
void progress_eval(progress *p, int64_t step, double train_acc, double eval_acc);
/* The i-th of `total` items (what: "checkpoints") done, `name` at `step`: redrawn in place on a
 * terminal, else a plain line every 10 s and at the last one. */
void progress_item(progress *p, const char *name, int64_t step, int64_t i, const char *what);
void progress_end(progress *p);
#endif
