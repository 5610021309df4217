#include "test.h"
#include "train/schedule.h"

TEST(schedule_seed_has_130_evaluations_for_100k_steps) {
    gi_config c;
    config_defaults(&c);
    schedule s;
    schedule_create(&s, &c);
    CHECK(s.n == 130);
    CHECK(schedule_has(&s, 0) && schedule_has(&s, 29) && !schedule_has(&s, 30) && schedule_has(&s, 1000));
    CHECK(schedule_has(&s, 99000) && schedule_has(&s, 100000) && !schedule_has(&s, 99999));
    schedule_free(&s);
    c.train.optimization_steps = 2500; /* the end is evaluated even off the grid */
    schedule_create(&s, &c);
    CHECK(s.n == 30 + 2 + 1);
    CHECK(schedule_has(&s, 2500));
    schedule_free(&s);
}

TEST(schedule_log_spaced) {
    gi_config c;
    config_defaults(&c);
    snprintf(c.train.eval_schedule, sizeof c.train.eval_schedule, "log");
    c.train.eval_points = 50;
    schedule s;
    schedule_create(&s, &c);
    CHECK(s.steps[0] == 0 && s.steps[s.n - 1] == 100000);
    CHECK(s.n > 30 && s.n <= 50);
    for (int64_t i = 1; i < s.n; i++) CHECK(s.steps[i] > s.steps[i - 1]);
    schedule_free(&s);
}
