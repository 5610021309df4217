/* flags.c — the range checks behind an estimate's flags (measure/flags.h). */
#include "measure/flags.h"
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "measure/special.h"

static const mi_flag_info flag_table[] = {
    [MI_FLAG_ILY_NEGATIVE] = {"ily_negative", "I(L;Y) below 0"},
    [MI_FLAG_ILY_ABOVE_CEILING] = {"ily_above_ceiling", "I(L;Y) above the estimator's ceiling for labels, the labels' entropy"},
    [MI_FLAG_IXL_NEGATIVE] = {"ixl_negative", "I(X;L) below 0"},
    [MI_FLAG_IXL_ABOVE_LN_N] = {"ixl_above_ln_n", "I(X;L) above ln N"},
    [MI_FLAG_IXL_AT_CEILING] = {"ixl_at_ceiling", "I(X;L) at the estimator's own ceiling (ksg: within 0.3 nats of its value on "
                                                  "a deterministic channel; noise: within 0.1 of ln N)"},
    [MI_FLAG_DPI_IXL] = {"dpi_ixl", "I(X;L) above the previous layer's (data-processing inequality)"},
    [MI_FLAG_DPI_ILY] = {"dpi_ily", "I(L;Y) above the previous layer's (data-processing inequality)"},
    [MI_FLAG_HALF_DRIFT] = {"half_drift", "I(X;L) or I(L;Y) on a fixed half of the points differs from the full estimate by "
                                          "more than max(0.1, 3 sqrt(SE^2 + 3 sd^2)), sd over noise redraws: a bias that "
                                          "depends on N"},
};
_Static_assert(sizeof flag_table / sizeof flag_table[0] == MI_FLAG_COUNT, "a row per mi_flag");

const mi_flag_info *mi_flag_get(mi_flag f) { return &flag_table[f]; }

void label_stats_of(const int *labels, int n, label_stats *out) {
    int *order = gi_malloc((size_t)(n > 0 ? n : 1) * sizeof(int)), *start = gi_malloc((size_t)(n + 1) * sizeof(int));
    int groups = n > 0 ? label_groups(labels, n, order, start) : 0;
    double h = 0.0, sum_psi = 0.0;
    for (int g = 0; g < groups; g++) {
        int nc = start[g + 1] - start[g];
        double p = (double)nc / n;
        h -= p * log(p);
        sum_psi += p * digamma(nc);
    }
    *out = (label_stats){n, groups, h, n > 0 ? digamma(n) - sum_psi : 0.0};
    free(order);
    free(start);
}

double mi_label_ceiling(const mi_estimator *est, const label_stats *ls) {
    return est->kind == EST_KSG ? ls->ross_ceiling : ls->entropy;
}

double mi_label_tolerance(double stderr_, const label_stats *ls) {
    double finite_n = ls->n > 0 ? (ls->classes - 1) / (2.0 * ls->n) : 0.0;
    return fmax(2.0 * stderr_, finite_n);
}

unsigned mi_flags_label(const mi_estimator *est, double ily, double stderr_, const label_stats *ls) {
    double tol = mi_label_tolerance(stderr_, ls);
    unsigned f = 0;
    if (ily < -tol) f |= MI_FLAG_BIT(MI_FLAG_ILY_NEGATIVE);
    if (ily > mi_label_ceiling(est, ls) + tol) f |= MI_FLAG_BIT(MI_FLAG_ILY_ABOVE_CEILING);
    return f;
}

unsigned mi_flags_pair(const mi_estimator *est, double ixl, double stderr_, int n) {
    unsigned f = 0;
    if (ixl < -2.0 * stderr_) f |= MI_FLAG_BIT(MI_FLAG_IXL_NEGATIVE);
    if (ixl > log((double)n) + 2.0 * stderr_) f |= MI_FLAG_BIT(MI_FLAG_IXL_ABOVE_LN_N);
    if (est->kind == EST_KSG && ixl > mi_ksg_ceiling(n, est->k) - 0.3) f |= MI_FLAG_BIT(MI_FLAG_IXL_AT_CEILING);
    /* the noise model saturates at ln N when no two points' layers come within a few σ */
    if (est->kind == EST_NOISE && ixl > log((double)n) - 0.1) f |= MI_FLAG_BIT(MI_FLAG_IXL_AT_CEILING);
    return f;
}

unsigned mi_flags_dpi(double ixl_prev, double ixl_prev_se, double ixl, double ixl_se, double ily_prev,
                      double ily_prev_se, double ily, double ily_se) {
    unsigned f = 0;
    if (ixl - ixl_prev > 2.0 * hypot(ixl_se, ixl_prev_se)) f |= MI_FLAG_BIT(MI_FLAG_DPI_IXL);
    if (ily - ily_prev > 2.0 * hypot(ily_se, ily_prev_se)) f |= MI_FLAG_BIT(MI_FLAG_DPI_ILY);
    return f;
}

double mi_half_tolerance(double se, double sd) { return fmax(0.1, 3.0 * sqrt(se * se + 3.0 * sd * sd)); }

/* (NaN compares false: a pair with a missing value is never flagged) */
static int half_drifts(double full, double se, double sd, double half) {
    return isfinite(full) && isfinite(se) && isfinite(sd) && isfinite(half) && fabs(half - full) > mi_half_tolerance(se, sd);
}

unsigned mi_flags_half(double ixl, double ixl_se, double ixl_sd, double ixl_half, double ily, double ily_se, double ily_sd,
                       double ily_half) {
    int drift = half_drifts(ixl, ixl_se, ixl_sd, ixl_half) || half_drifts(ily, ily_se, ily_sd, ily_half);
    return drift ? MI_FLAG_BIT(MI_FLAG_HALF_DRIFT) : 0;
}

const char *mi_flags_format(unsigned flags, char *out, size_t n) {
    size_t len = 0;
    if (n) out[0] = '\0';
    for (int i = 0; i < MI_FLAG_COUNT; i++)
        if (flags & MI_FLAG_BIT(i)) {
            int w = snprintf(out + len, len < n ? n - len : 0, "%s%s", len ? "+" : "", flag_table[i].name);
            if (w > 0) len += (size_t)w;
        }
    return out;
}

unsigned mi_flags_parse(const char *text) {
    unsigned f = 0;
    for (const char *p = text; p && *p;) {
        size_t len = strcspn(p, "+");
        for (int i = 0; i < MI_FLAG_COUNT; i++)
            if (strlen(flag_table[i].name) == len && strncmp(p, flag_table[i].name, len) == 0) f |= MI_FLAG_BIT(i);
        p += len + (p[len] == '+');
    }
    return f;
}
