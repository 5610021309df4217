/* api_oinfo.c — the O-information pass on one activation matrix (include/grokinfo.h);
 * `grokinfo oinfo-npy` is this call and a printer. */
#include <math.h>
#include <string.h>
#include "api/api.h"
#include "measure/oinfo.h"
#include "util/clock.h"

void grokinfo_oinfo_options_init(grokinfo_oinfo_options *o) {
    memset(o, 0, sizeof *o);
    o->clusters = 10;
    o->ties = "index";
    o->layer = 1;
}

int grokinfo_oinfo(const double *acts, int n, int m, const grokinfo_oinfo_options *o, grokinfo_oinfo_result *out,
                   int *cluster_of, int *greedy_set, grokinfo_error *err) {
    if (!o || !out) return api_failf(err, GROKINFO_E_ARG, "oinfo: NULL options or result");
    memset(out, 0, sizeof *out);
    out->synergy = out->redundancy = out->greedy_omega = NAN;
    oinfo_params p = {.clusters = o->clusters, .greedy_max = o->greedy_max, .bias_correct = o->bias_correct != 0};
    if (o->clusters < 1 || o->clusters > 20)
        return api_failf(err, GROKINFO_E_ARG, "--clusters: %d is not in 1..20 (all 2^K unions are searched)", o->clusters);
    if (o->greedy_max < 0) return api_failf(err, GROKINFO_E_ARG, "--greedy-max: %d is negative", o->greedy_max);
    if (o->layer < 1) return api_failf(err, GROKINFO_E_ARG, "--layer: %d is not >= 1", o->layer);
    if (o->step < 0) return api_failf(err, GROKINFO_E_ARG, "--step: %lld is negative", (long long)o->step);
    const char *ties = o->ties ? o->ties : "index";
    if (oinfo_tie_from_name(ties, &p.ties.rule))
        return api_failf(err, GROKINFO_E_ARG, "--ties: expected one of %s, %s, %s, got '%s'", oinfo_tie_name(OINFO_TIES_INDEX),
                         oinfo_tie_name(OINFO_TIES_RANDOM), oinfo_tie_name(OINFO_TIES_AVERAGE), ties);
    p.ties.key = oinfo_tie_key(o->seed, o->step, o->layer);
    int rc = api_check_array(acts, n, m, "acts", err);
    if (rc) return rc;
    oinfo_row r;
    gi_err e;
    double t0 = now_s();
    if (oinfo_measure_sets_f64(acts, n, m, &p, &r, cluster_of, greedy_set, &e)) return api_fail(err, GROKINFO_E_ESTIMATE, &e);
    out->seconds = now_s() - t0;
    out->synergy = r.omega_min;
    out->redundancy = r.omega_max;
    out->size_synergy = r.size_min;
    out->size_redundancy = r.size_max;
    out->tc_synergy = r.tc_min;
    out->dtc_synergy = r.dtc_min;
    out->tc_redundancy = r.tc_max;
    out->dtc_redundancy = r.dtc_max;
    out->clusters_synergy = r.mask_min;
    out->clusters_redundancy = r.mask_max;
    out->n = n;
    out->m = m;
    out->n_live = r.n_live;
    out->n_dead = r.n_dead;
    out->n_clusters = r.n_clusters;
    out->n_sets = r.n_sets;
    out->n_singular = r.n_singular;
    out->greedy_omega = r.greedy_omega;
    out->greedy_size = r.greedy_size;
    out->seconds_copula = r.seconds_copula;
    out->seconds_ward = r.seconds_ward;
    out->seconds_sets = r.seconds_sets;
    out->seconds_greedy = r.seconds_greedy;
    return api_ok(err);
}
