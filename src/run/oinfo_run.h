/* oinfo_run.h — O-information of a training run's hidden layers (Clauw et al. 2024): at every
 * `oinfo.every`-th evaluation, each hidden layer's post-activation outputs over the chosen subset
 * (the training set, as the paper) go through the multiplet search (measure/oinfo.h), one row of
 * oinfo.csv per layer:
 *   step,layer,omega_min,omega_max,size_min,size_max,tc_min,dtc_min,n_live,n_dead
 * and, with oinfo.greedy_max > 0, greedy_omega,greedy_size (the greedy search's set), and with
 * oinfo.ties other than index, last, ties (its name on every row: a re-measurement's file says how
 * it was made; the default's columns stay those of older files)
 * (empty Ω fields when a layer has fewer than two live clusters). */
#ifndef GI_OINFO_RUN_H
#define GI_OINFO_RUN_H
#include <stdio.h>
#include "measure/oinfo.h"
#include "train/trainer.h"

#define OINFO_CSV_HEADER "step,layer,omega_min,omega_max,size_min,size_max,tc_min,dtc_min,n_live,n_dead\n"
#define OINFO_CSV_HEADER_GREEDY \
    "step,layer,omega_min,omega_max,size_min,size_max,tc_min,dtc_min,n_live,n_dead,greedy_omega,greedy_size\n"

typedef struct {
    oinfo_params params;      /* params.ties.key is set per layer and step: oinfo_tie_key(seed, step, layer) */
    uint64_t seed;
    char header[256];
    int subset, every;
    float *own[MLP_MAX_LAYERS]; /* capture buffers this module allocated (others are shared) */
    double seconds;
} oinfo_run;

/* Sets the trainer's capture of the subset's hidden layers (sharing buffers already set); ties
 * NULL: oinfo.ties, else that rule's name (oinfo.ties_check). */
void oinfo_run_create(oinfo_run *o, trainer *t, const char *ties);
void oinfo_run_free(oinfo_run *o, trainer *t);
/* The CSV header for these settings. */
const char *oinfo_run_header(const oinfo_run *o);
/* After trainer_evaluate(t): its rows into csv (measured at every `every`-th evaluation). */
int oinfo_run_measure(oinfo_run *o, const trainer *t, FILE *csv, gi_err *e);
#endif
