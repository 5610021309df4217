/* sweep.h — a grid of runs from a sweep file:
 *
 *   config: configs/modular.yaml          # optional base config file
 *   base:                                  # overrides for every point (nested or dotted keys)
 *     train.optimization_steps: 20000
 *   axes:                                  # the grid: every combination, first axis slowest
 *     model.initialization_scale: [1, 4, 8]
 *     train.weight_decay: [0, 1e-2, 1e-1]
 *     train.lr: {log: [1e-4, 1e-2, 3]}     # 3 values log-spaced from 1e-4 to 1e-2 (also linear:)
 *
 * Each point is an ordinary run directory OUT/<name>, named from its values
 * (initialization_scale=8,weight_decay=1e-2), its output in OUT/<name>/train.log. Points are
 * claimed with an flock on OUT/.sweep/<name>.lock (beside each point's resolved
 * OUT/.sweep/<name>.yaml), so any number of workers — local processes, MPI ranks, shards on other
 * machines sharing OUT — can run one sweep together; a finished point (summary.json says
 * "finished") is skipped, an interrupted one resumed from its checkpoint. */
#ifndef GI_SWEEP_H
#define GI_SWEEP_H
#include <stddef.h>
#include "util/config.h"
#include "util/err.h"

#define SWEEP_MAX_AXES 8
#define SWEEP_STATE_DIR ".sweep" /* OUT/.sweep/<name>.yaml and <name>.lock */

typedef struct {
    char key[96];
    int n;
    char **values;   /* as config_set text */
} sweep_axis;

typedef struct {
    char path[CFG_PATH];
    char config[CFG_PATH];   /* "" = grokinfo's defaults */
    int n_base;
    char **base_key, **base_value;
    int n_axes;
    sweep_axis axes[SWEEP_MAX_AXES];
    int n_points;
} sweep_spec;

int sweep_load(const char *path, sweep_spec *s, gi_err *e);
void sweep_free(sweep_spec *s);
/* Point i's configuration (defaults, config file, base, its axis values) and its name. */
int sweep_point(const sweep_spec *s, int i, gi_config *c, char *name, size_t n, gi_err *e);
/* Point i's value index on every axis (idx[a] for axis a; the first axis varies slowest). */
void sweep_point_index(const sweep_spec *s, int i, int *idx);
/* Point i's name as sweep_point gives it, with axis skip_axis left out (-1: none): the name of
 * the group of points that differ only on that axis ("" when it is the only axis). */
void sweep_point_name(const sweep_spec *s, int i, int skip_axis, char *name, size_t n);

/* sweep_load in three steps, for a file format built on the sweep file (grokinfo study's):
 * sweep_parse reads the file, accepting besides config, base and axes the top-level scalar keys
 * named in extra[] (their text and line into the entries, value "" when absent; any other key is
 * an error naming them); sweep_add_axis appends an axis of the given values (as config_set text);
 * sweep_check counts the points and checks every point's configuration, as sweep_load does.
 * sweep_parse and sweep_check free s on an error. */
typedef struct { const char *key; char value[64]; size_t line; } sweep_extra_key;
int sweep_parse(const char *path, sweep_spec *s, sweep_extra_key *extra, int n_extra, gi_err *e);
int sweep_add_axis(sweep_spec *s, const char *key, int n, char *const *values, gi_err *e);
int sweep_check(sweep_spec *s, gi_err *e);

typedef struct {
    const char *out_dir;
    const char *self_exe;   /* the grokinfo binary that runs each point (`train`) */
    int jobs;               /* concurrent points in this process */
    int shard, n_shards;    /* run points i with i % n_shards == shard */
    gi_sink log;            /* a line per point started, finished, failed or skipped (NULL fn: quiet) */
} sweep_options;

typedef struct { int done, skipped, failed; } sweep_counts;

/* Runs this worker's share of the points and returns when every one of them is finished (points
 * that other workers hold are waited for, then run if their holder died); counts what happened. Each point runs as a child
 * process `grokinfo train` with its output in OUT/<name>/train.log; with jobs > 1 (or under MPI,
 * see the caller) each with train.threads=1. */
int sweep_run(const sweep_spec *s, const sweep_options *o, int threads_per_point, sweep_counts *counts, gi_err *e);
#endif
