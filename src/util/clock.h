/* clock.h — wall-clock seconds for timings (monotonic: not moved by clock adjustments). */
#ifndef GI_CLOCK_H
#define GI_CLOCK_H
#include <time.h>

static inline double now_s(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return ts.tv_sec + ts.tv_nsec * 1e-9;
}
#endif
