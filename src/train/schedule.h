/* schedule.h — which steps are evaluated. "seed": every step below n_first_steps_to_log, then
 * every freqLog steps (each before that step's update), plus the end: 130 evaluations for 100k
 * steps. "log": eval_points log-spaced steps from 0 to optimization_steps (duplicates merged). */
#ifndef GI_SCHEDULE_H
#define GI_SCHEDULE_H
#include <stdint.h>
#include "util/config.h"

typedef struct { int64_t n; int64_t *steps; } schedule;

void schedule_create(schedule *s, const gi_config *c);
void schedule_free(schedule *s);
int schedule_has(const schedule *s, int64_t step);
#endif
