/* run_csv.h — a run's CSV outputs (metrics.csv, mi.csv, oinfo.csv) held in memory as text and
 * rewritten whole at every evaluation; on a resume, read back up to the checkpoint's step. A line
 * cut short by a kill, or one that does not parse, ends what is kept. */
#ifndef GI_RUN_CSV_H
#define GI_RUN_CSV_H
#include <stddef.h>
#include <stdint.h>
#include "report/summary.h"
#include "util/err.h"

typedef struct { char *text; size_t len; } csv_text;

void csv_append(csv_text *c, const char *s, size_t n);
/* metrics.csv: the header (which must equal `header`) and the rows with step < keep_below; refills
 * the accuracy history and sets *seconds_offset to the last kept row's seconds. */
int csv_load_metrics(csv_text *c, const char *path, const char *header, int64_t keep_below, acc_history *h,
                     double *seconds_offset, gi_err *e);
/* mi.csv, oinfo.csv: the header and the rows whose first field (the step) is below keep_below. A
 * missing file is fine (the run had not measured yet); a different header is not. */
int csv_load_rows_below(csv_text *c, const char *path, const char *header, int64_t keep_below, gi_err *e);
#endif
