/* study_data.h — one group's analysis in memory, as study_analyse.c builds it for the CSV files
 * and study_plot.c draws it (not part of the study's API). */
#ifndef GI_STUDY_DATA_H
#define GI_STUDY_DATA_H
#include <stdint.h>
#include "study/study.h"

/* Quartiles across seeds against step: q[3 i + 0..2] = q25, median, q75 at step[i] (NaN when no
 * seed has a value there), seeds[i] = how many have one. */
typedef struct {
    int n;
    int64_t *step;
    double *q;
    int *seeds;
} study_band;

typedef struct { char subset[8]; int layer; } study_curve_key;

typedef struct {
    const study_group_result *res;   /* name, directory, estimators, consensus rows */
    int n_keys;                      /* curves: eval layers 1..L, then train layers 1..L */
    study_curve_key *key;
    study_band *ixl, *ily;           /* [e * n_keys + k] for estimator e */
    study_band acc[2];               /* train_acc, eval_acc */
    int n_oinfo_files, n_oinfo_layers;
    char (*oinfo_file)[64];          /* oinfo.csv, oinfo-2.csv, ... */
    study_band *syn, *red;           /* [f * n_oinfo_layers + (layer - 1)] */
    int n_grok;                      /* the finished seeds' grokking steps (-1: never) */
    int64_t *grok;
} study_group_data;

/* The group's figures into res->dir/figures/: infoplane (with MI), accuracy, oinfo (with
 * O-information). Returns how many were drawn, or -1. */
int study_plot_group(const study_group_data *g, gi_err *e);
#endif
