/* measurements.c — the table of a run's per-evaluation measurements (run/measurement.h). */
#include <string.h>
#include "run/measurement.h"

/* Each defined in its own file; a new measurement is one more line here and in the table. */
extern const measurement_type measurement_mi;       /* run/mi_run.c: mi.csv */
extern const measurement_type measurement_mi_check; /* run/mi_run.c: mi_check.csv */
extern const measurement_type measurement_mi_noise; /* run/mi_noise.c: mi_noise.csv */
extern const measurement_type measurement_oinfo;    /* run/oinfo_run.c: oinfo.csv */
extern const measurement_type measurement_oinfo_ties; /* run/oinfo_run.c: oinfo_ties.csv */

const measurement_type *const run_measurements[] = {&measurement_mi, &measurement_mi_check, &measurement_mi_noise,
                                                     &measurement_oinfo, &measurement_oinfo_ties};
const int run_n_measurements = (int)(sizeof run_measurements / sizeof *run_measurements);

const measurement_type *measurement_find(const char *name) {
    for (int i = 0; i < run_n_measurements; i++)
        if (strcmp(run_measurements[i]->name, name) == 0) return run_measurements[i];
    return NULL;
}
