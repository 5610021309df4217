/* oinfo_run.c — O-information rows of a run. */
#include "run/oinfo_run.h"
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include "util/clock.h"

void oinfo_run_create(oinfo_run *o, trainer *t) {
    memset(o, 0, sizeof *o);
    const gi_config *c = &t->cfg;
    o->params = (oinfo_params){c->oinfo.clusters, c->oinfo.greedy_max, c->oinfo.bias_correct};
    o->subset = strcmp(c->oinfo.subset, "eval") == 0 ? SUBSET_EVAL : SUBSET_TRAIN;
    o->every = c->oinfo.every;
    const mlp *m = &t->model;
    int n = t->sets[o->subset].n;
    for (int l = 0; l < m->n_layers - 1; l++)
        if (!t->capture[o->subset][l]) {
            o->own[l] = gi_malloc((size_t)n * m->dims[l + 1] * sizeof(float));
            t->capture[o->subset][l] = o->own[l];
        }
}

void oinfo_run_free(oinfo_run *o, trainer *t) {
    for (int l = 0; l < MLP_MAX_LAYERS; l++)
        if (o->own[l]) {
            if (t && t->capture[o->subset][l] == o->own[l]) t->capture[o->subset][l] = NULL;
            free(o->own[l]);
        }
    memset(o, 0, sizeof *o);
}

const char *oinfo_run_header(const oinfo_run *o) {
    return o->params.greedy_max > 0 ? OINFO_CSV_HEADER_GREEDY : OINFO_CSV_HEADER;
}

int oinfo_run_due(oinfo_run *o) { return o->evals_seen++ % o->every == 0; }

static void field(FILE *f, double v) {
    if (isfinite(v)) fprintf(f, ",%.10g", v);
    else fputc(',', f);
}

int oinfo_run_measure(oinfo_run *o, const trainer *t, FILE *csv, gi_err *e) {
    const mlp *m = &t->model;
    int n = t->sets[o->subset].n;
    double t0 = now_s();
    for (int l = 0; l < m->n_layers - 1; l++) {
        oinfo_row row;
        gi_err why;
        if (oinfo_measure_f32(t->capture[o->subset][l], n, m->dims[l + 1], &o->params, &row, NULL, &why))
            return gi_fail(e, "O-information, step %lld, layer %d: %s", (long long)t->step, l + 1, why.msg);
        fprintf(csv, "%lld,%d", (long long)t->step, l + 1);
        field(csv, row.omega_min);
        field(csv, row.omega_max);
        fprintf(csv, ",%d,%d", row.size_min, row.size_max);
        field(csv, row.tc_min);
        field(csv, row.dtc_min);
        fprintf(csv, ",%d,%d", row.n_live, row.n_dead);
        if (o->params.greedy_max > 0) {
            field(csv, row.greedy_omega);
            fprintf(csv, ",%d", row.greedy_size);
        }
        fputc('\n', csv);
    }
    o->seconds += now_s() - t0;
    return 0;
}
