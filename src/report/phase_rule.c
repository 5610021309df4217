/* phase_rule.c — the phase rule on one curve pair (report/phases.h): continuous piecewise-linear
 * fits in log10(step) with shared knots, then moves with hysteresis, then phases. */
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include "report/phases.h"

/* The weighted least-squares fit of one curve (weights w = 1/SE^2), continuous and linear between
 * the breakpoints kx (nb of them, increasing, the first and last at the ends of x), flat on the
 * segments j (between kx[j] and kx[j+1]) with flat[j] set (flat NULL: none): its chi^2, and the
 * fit's values at the breakpoints into c (nb; may be NULL). Normal equations on the hat basis, one
 * column per run of breakpoints joined by flat segments (a flat segment ties its two ends' values):
 * each column overlaps only its neighbours, so the system is tridiagonal. ws: 4 nb doubles and nb
 * ints of workspace. */
static double fit_direct(const double *x, const double *y, const double *w, int n, const double *kx, int nb,
                         const signed char *flat, double *c, double *ws) {
    double *d = ws, *o = ws + nb, *rhs = ws + 2 * nb, *v = ws + 3 * nb;
    int *g = (int *)(ws + 4 * nb), ng = 0;
    for (int j = 0; j < nb; j++) g[j] = j && flat && flat[j - 1] ? g[j - 1] : ng++;
    memset(ws, 0, (size_t)nb * 3 * sizeof(double));
    for (int i = 0, j = 0; i < n; i++) {
        while (j + 2 < nb && x[i] >= kx[j + 1]) j++;
        double u = (x[i] - kx[j]) / (kx[j + 1] - kx[j]), wu = w[i] * u, wv = w[i] - wu;
        int a = g[j], b = g[j + 1];
        if (a == b) d[a] += w[i], rhs[a] += w[i] * y[i];
        else d[a] += wv * (1 - u), d[b] += wu * u, o[a] += wu * (1 - u), rhs[a] += wv * y[i], rhs[b] += wu * y[i];
    }
    for (int j = 1; j < ng; j++) { /* Thomas algorithm on the symmetric tridiagonal system */
        double m = o[j - 1] / d[j - 1];
        d[j] -= m * o[j - 1];
        rhs[j] -= m * rhs[j - 1];
    }
    v[ng - 1] = rhs[ng - 1] / d[ng - 1];
    for (int j = ng - 2; j >= 0; j--) v[j] = (rhs[j] - o[j] * v[j + 1]) / d[j];
    double chi2 = 0;
    for (int i = 0, j = 0; i < n; i++) {
        while (j + 2 < nb && x[i] >= kx[j + 1]) j++;
        double u = (x[i] - kx[j]) / (kx[j + 1] - kx[j]), a = v[g[j]], r = y[i] - a - (v[g[j + 1]] - a) * u;
        chi2 += w[i] * r * r;
    }
    if (c)
        for (int j = 0; j < nb; j++) c[j] = v[g[j]];
    return chi2;
}

/* The two curves, their weights, the segments each is held flat on (NULL: none) and a workspace. */
typedef struct { int n; const double *x, *y[2]; double *w[2], *ws; const signed char *flat[2]; } fit_data;

static double fit_both(const fit_data *f, const double *kx, int nb) {
    return fit_direct(f->x, f->y[0], f->w[0], f->n, kx, nb, f->flat[0], NULL, f->ws) +
           fit_direct(f->x, f->y[1], f->w[1], f->n, kx, nb, f->flat[1], NULL, f->ws);
}

/* May a segment run from a to b: at least min_decades long, holding at least min_points
 * evaluations (both ends included)? */
static int segment_ok(const double *x, int n, double a, double b, const phase_params *p) {
    if (b - a < p->min_decades - 1e-12) return 0;
    int k = 0;
    for (int i = 0; i < n; i++) k += x[i] >= a - 1e-12 && x[i] <= b + 1e-12;
    return k >= p->min_points;
}

/* Knots j0..j1 in turn move to their best place between their neighbours (the others held), searched on
 * a grid of 0.02 decade within 0.2 of where it is and then one of 0.002 within 0.02, until none
 * moves (at most 4 rounds): forward selection places a knot where it
 * helps most given the earlier ones, and only at evaluations; the change need not be there. */
static void refine_knots(const fit_data *f, const phase_params *p, double *kx, int nb, int j0, int j1) {
    const double *x = f->x;
    int n = f->n;
    if (j0 < 1) j0 = 1;
    if (j1 > nb - 2) j1 = nb - 2;
    for (int pass = 0, moved = 1; moved && pass < 4; pass++) {
        moved = 0;
        for (int j = j0; j <= j1; j++) {
            double keep = kx[j], best = keep, best_chi2 = fit_both(f, kx, nb);
            for (int level = 0; level < 2; level++) {
                double h = level ? 0.002 : 0.02, c = best, lo = fmax(kx[j - 1], c - (level ? 0.02 : 0.2)),
                       hi = fmin(kx[j + 1], c + (level ? 0.02 : 0.2));
                for (double t = lo + h; t < hi; t += h) {
                    if (!segment_ok(x, n, kx[j - 1], t, p) || !segment_ok(x, n, t, kx[j + 1], p)) continue;
                    kx[j] = t;
                    double c2 = fit_both(f, kx, nb);
                    if (c2 < best_chi2 - 1e-9) best_chi2 = c2, best = t;
                }
                kx[j] = keep;
            }
            if (fabs(best - keep) > 1e-12) kx[j] = best, moved = 1;
        }
    }
}

/* The knots: forward selection at evaluations, each new knot kept while it lowers the chi^2 of
 * both curves by more than penalty × ln n, every knot then refined off the grid; then backward:
 * a knot whose removal costs less than penalty × ln n goes. kx[] receives the breakpoints (x[0],
 * the knots, x[n-1]) in order; returns their count. */
static int select_knots(const fit_data *f, const phase_params *p, double *kx) {
    const double *x = f->x;
    int n = f->n;
    int nb = 0;
    kx[nb++] = x[0];
    kx[nb++] = x[n - 1];
    double beta = p->penalty * log((double)n), chi2 = fit_both(f, kx, nb);
    for (;;) {
        int best = -1, at = 0;
        double best_chi2 = chi2 - beta;
        for (int t = 1; t < n - 1; t++) {
            int j = 1;
            while (kx[j] < x[t]) j++;
            if (kx[j] == x[t] || !segment_ok(x, n, kx[j - 1], x[t], p) || !segment_ok(x, n, x[t], kx[j], p)) continue;
            memmove(kx + j + 1, kx + j, (size_t)(nb - j) * sizeof(double));
            kx[j] = x[t];
            double c2 = fit_both(f, kx, nb + 1);
            memmove(kx + j, kx + j + 1, (size_t)(nb - j) * sizeof(double));
            if (c2 < best_chi2) best_chi2 = c2, best = t, at = j;
        }
        if (best < 0) break;
        memmove(kx + at + 1, kx + at, (size_t)(nb - at) * sizeof(double));
        kx[at] = x[best];
        nb++;
        chi2 = fit_both(f, kx, nb);
    }
    refine_knots(f, p, kx, nb, 1, nb - 2);
    chi2 = fit_both(f, kx, nb);
    /* backward: the knot whose removal (the others then refined) costs least, while that is
       under the penalty */
    double *tmp = gi_malloc((size_t)(nb + 1) * sizeof(double)), *best_kx = gi_malloc((size_t)(nb + 1) * sizeof(double));
    for (;;) {
        int worst = -1;
        double cheapest = beta;
        for (int j = 1; j + 1 < nb; j++) {
            memcpy(tmp, kx, (size_t)j * sizeof(double));
            memcpy(tmp + j, kx + j + 1, (size_t)(nb - j - 1) * sizeof(double));
            refine_knots(f, p, tmp, nb - 1, j - 1, j); /* its two neighbours */
            double cost = fit_both(f, tmp, nb - 1) - chi2;
            if (cost < cheapest) cheapest = cost, worst = j, memcpy(best_kx, tmp, (size_t)(nb - 1) * sizeof(double));
        }
        if (worst < 0) break;
        nb--;
        memcpy(kx, best_kx, (size_t)nb * sizeof(double));
        chi2 = fit_both(f, kx, nb);
    }
    free(tmp); free(best_kx);
    refine_knots(f, p, kx, nb, 1, nb - 2);
    return nb;
}

static phase_kind kind_of(const signed char dir[2]) {
    if (dir[0] < 0 && dir[1] < 0) return PHASE_OVERFITTING;
    if (dir[0] > 0 && dir[1] > 0) return PHASE_ERROR_MINIMISATION;
    if (dir[0] < 0) return PHASE_COMPRESSION;
    return PHASE_NONE;
}

/* The standard error at x: that of the nearest evaluation. */
static double se_at(const double *x, const double *se, int n, double at) {
    int best = 0;
    for (int i = 1; i < n; i++)
        if (fabs(x[i] - at) < fabs(x[best] - at)) best = i;
    return se[best];
}

/* Directions of the segments between breakpoints for one curve, from the fit's values c at the
 * nb breakpoints kx, with hysteresis: the turning points of a zigzag whose every move exceeds
 * max(min_change, z × the combined SE of its two ends) — a move must be that large to start, and
 * to end it the curve must come back by as much. Each move then loses, at either end, the
 * breakpoints still within max(min_change, z_flat combined SE) of the turning value, as long as
 * what remains is still a move: the plateau before or after it is flat, not part of the move, and
 * trimming never undoes a move the zigzag found. */
static void segment_dirs(const double *x, const double *se, int n, const double *kx, const double *c, int nb,
                         const phase_params *p, signed char *dir) {
    double *s = gi_malloc((size_t)nb * sizeof(double));
    int *pivot = gi_malloc((size_t)(nb + 1) * sizeof(int)), np = 0;
    for (int j = 0; j < nb; j++) s[j] = se_at(x, se, n, kx[j]);
#define MOVE(a, b) (fabs(c[b] - c[a]) > fmax(p->min_change, p->z * hypot(s[a], s[b])))
    int trend = 0, hi = 0, lo = 0;
    for (int j = 1; j < nb; j++) {
        if (trend == 0) {
            if (c[j] > c[lo] && MOVE(lo, j)) pivot[np++] = lo, trend = 1, hi = j;
            else if (c[j] < c[hi] && MOVE(hi, j)) pivot[np++] = hi, trend = -1, lo = j;
            else {
                if (c[j] > c[hi]) hi = j;
                if (c[j] < c[lo]) lo = j;
            }
        } else if (trend > 0) {
            if (c[j] >= c[hi]) hi = j;
            else if (MOVE(hi, j)) pivot[np++] = hi, trend = -1, lo = j;
        } else {
            if (c[j] <= c[lo]) lo = j;
            else if (MOVE(lo, j)) pivot[np++] = lo, trend = 1, hi = j;
        }
    }
    if (trend) pivot[np++] = trend > 0 ? hi : lo;
#define FLAT(a, b) (fabs(c[b] - c[a]) <= fmax(p->min_change, p->z_flat * hypot(s[a], s[b])))
    memset(dir, 0, (size_t)(nb - 1));
    for (int i = 0; i + 1 < np; i++) {
        int a = pivot[i], b = pivot[i + 1], sg = c[b] > c[a] ? 1 : -1;
        while (a + 1 < b && FLAT(pivot[i], a + 1) && MOVE(a + 1, b)) a++;
        while (b - 1 > a && FLAT(pivot[i + 1], b - 1) && MOVE(a, b - 1)) b--;
        for (int j = a; j < b; j++) dir[j] = (signed char)sg;
    }
#undef MOVE
#undef FLAT
    free(s); free(pivot);
}

/* A model the reading asserts: nb breakpoints kx, and per curve each segment's direction and
 * whether the fit holds it flat (capacity n + 2 each). */
typedef struct { int nb; double *kx; signed char *dir[2], *flat[2]; } model;

static model model_new(size_t cap) {
    return (model){0, gi_malloc(cap * sizeof(double)), {gi_malloc(cap), gi_malloc(cap)}, {gi_malloc(cap), gi_malloc(cap)}};
}
static void model_free(model *m) { free(m->kx); free(m->dir[0]); free(m->dir[1]); free(m->flat[0]); free(m->flat[1]); }
static void model_copy(model *to, const model *from) {
    to->nb = from->nb;
    memcpy(to->kx, from->kx, (size_t)from->nb * sizeof(double));
    for (int k = 0; k < 2; k++) memcpy(to->dir[k], from->dir[k], (size_t)from->nb), memcpy(to->flat[k], from->flat[k], (size_t)from->nb);
}
static double model_chi2(fit_data *f, const model *m) {
    f->flat[0] = m->flat[0], f->flat[1] = m->flat[1];
    return fit_both(f, m->kx, m->nb);
}
/* The chi^2 plus beta / 3 per free parameter: a knot's place, and its value in each curve, less
 * one value per segment held flat (its ends share one). A knot free in both curves costs beta, as
 * in the selection; a plateau between two knots where one was, flat in both curves, costs beta / 3. */
static double model_score(fit_data *f, const model *m, double beta) {
    int free_params = m->nb - 2 + 2 * m->nb;
    for (int k = 0; k < 2; k++)
        for (int j = 0; j + 1 < m->nb; j++) free_params -= m->flat[k][j] != 0;
    return model_chi2(f, m) + beta / 3 * free_params;
}
static void model_refine(fit_data *f, const phase_params *p, model *m, int j0, int j1) {
    f->flat[0] = m->flat[0], f->flat[1] = m->flat[1];
    refine_knots(f, p, m->kx, m->nb, j0, j1);
}

/* Knot j of m (its two segments read alike in both curves) removed into t, the merged segment flat
 * in a curve where both were (all = 1) or either was (all = 0). */
static void model_drop(model *t, const model *m, int j, int all) {
    t->nb = m->nb - 1;
    memcpy(t->kx, m->kx, (size_t)j * sizeof(double));
    memcpy(t->kx + j, m->kx + j + 1, (size_t)(m->nb - j - 1) * sizeof(double));
    for (int k = 0; k < 2; k++) {
        memcpy(t->dir[k], m->dir[k], (size_t)j);
        memcpy(t->dir[k] + j, m->dir[k] + j + 1, (size_t)(m->nb - j - 2));
        memcpy(t->flat[k], m->flat[k], (size_t)j);
        memcpy(t->flat[k] + j, m->flat[k] + j + 1, (size_t)(m->nb - j - 2));
        t->flat[k][j - 1] = all ? m->flat[k][j - 1] && m->flat[k][j] : m->flat[k][j - 1] || m->flat[k][j];
    }
}

/* Do the segments on either side of knot j read alike in both curves? */
static int same_reading(const model *m, int j) {
    return j >= 1 && j + 1 < m->nb && m->dir[0][j - 1] == m->dir[0][j] && m->dir[1][j - 1] == m->dir[1][j];
}

/* Backward elimination under the reading: the knot between two segments read alike whose removal
 * (the merged segment flat where both were, or where either was; its neighbours refined) lowers
 * the score most goes, while one lowers it. Returns 1 if any went. */
static int model_eliminate(fit_data *f, const phase_params *p, model *m, model *t, model *best, double beta) {
    int any = 0;
    for (;;) {
        double score = model_score(f, m, beta), cheapest = 0;
        int found = 0;
        for (int j = 1; j + 1 < m->nb; j++) {
            if (!same_reading(m, j)) continue;
            for (int all = 0; all <= 1; all++) {
                model_drop(t, m, j, all);
                model_refine(f, p, t, j - 1, j);
                double cost = model_score(f, t, beta) - score;
                if (cost < cheapest) cheapest = cost, found = 1, model_copy(best, t);
            }
        }
        if (!found) return any;
        model_copy(m, best);
        any = 1;
    }
}

/* The V at knot j of m as a plateau in t: knot j becomes a < b, the segment between flat (direction
 * 0) in each curve that does not carry one move straight through; with dl (dr) the knot before
 * (after) it, inside the same move, removed too. a is searched every 0.01 decade back from knot j
 * to the knot before, b forward to the knot after, then the knots around refined. Returns the
 * chi^2, or INFINITY when no plateau fits between the neighbours. */
static double model_plateau(fit_data *f, const phase_params *p, const model *m, int j, int dl, int dr, model *t) {
    const double *x = f->x;
    int n = f->n, nb = m->nb, L = j - 1 - dl, R = j + 1 + dr; /* the knots kept either side */
    t->nb = nb + 1 - dl - dr;
    memcpy(t->kx, m->kx, (size_t)(L + 1) * sizeof(double));
    memcpy(t->kx + L + 3, m->kx + R, (size_t)(nb - R) * sizeof(double));
    for (int k = 0; k < 2; k++) {
        memcpy(t->dir[k], m->dir[k], (size_t)L), memcpy(t->flat[k], m->flat[k], (size_t)L);
        int through = m->dir[k][j - 1] && m->dir[k][j - 1] == m->dir[k][j];
        t->dir[k][L] = m->dir[k][j - 1], t->flat[k][L] = m->flat[k][j - 1] && (!dl || m->flat[k][j - 2]);
        t->flat[k][L + 1] = !through, t->dir[k][L + 1] = through ? m->dir[k][j] : 0;
        t->dir[k][L + 2] = m->dir[k][j], t->flat[k][L + 2] = m->flat[k][j] && (!dr || m->flat[k][j + 1]);
        memcpy(t->dir[k] + L + 3, m->dir[k] + R, (size_t)(nb - 1 - R)), memcpy(t->flat[k] + L + 3, m->flat[k] + R, (size_t)(nb - 1 - R));
    }
    f->flat[0] = t->flat[0], f->flat[1] = t->flat[1];
    double best = INFINITY, ba = 0, bb = 0, lo = m->kx[L], hi = m->kx[R];
    for (double a = m->kx[j]; a > lo; a -= 0.01) {
        if (!segment_ok(x, n, lo, a, p)) continue;
        for (double b = m->kx[j]; b < hi; b += 0.01) {
            if (!segment_ok(x, n, a, b, p) || !segment_ok(x, n, b, hi, p)) continue;
            t->kx[L + 1] = a, t->kx[L + 2] = b;
            double c2 = fit_both(f, t->kx, t->nb);
            if (c2 < best) best = c2, ba = a, bb = b;
        }
    }
    if (!isfinite(best)) return INFINITY;
    t->kx[L + 1] = ba, t->kx[L + 2] = bb;
    model_refine(f, p, t, L, L + 3);
    return model_chi2(f, t);
}

/* Each V or peak (a curve turning straight from a move into the opposite one at knot j) against
 * plateaus in its place, with or without the knots beside it inside the same moves, by the score:
 * the best replaces the V when it scores better. Returns 1 if any did. */
static int model_plateaus(fit_data *f, const phase_params *p, model *m, model *t, model *best, model *v, double beta,
                          size_t cap) {
    int any = 0;
    for (int j = 1; j + 1 < m->nb; j++) {
        int turns = 0;
        for (int k = 0; k < 2; k++) turns |= m->dir[k][j - 1] * m->dir[k][j] < 0;
        if (!turns || m->nb + 1 > (int)cap) continue;
        model_copy(v, m); /* the V, its knots refined under the flat segments */
        model_refine(f, p, v, j - 1, j + 1);
        double score = model_score(f, v, beta), best_score = score;
        int best_shift = 0;
        for (int dl = 0; dl <= 1; dl++)
            for (int dr = 0; dr <= 1; dr++) {
                if ((dl && !same_reading(m, j - 1)) || (dr && !same_reading(m, j + 1))) continue;
                double c2 = model_plateau(f, p, m, j, dl, dr, t);
                if (isfinite(c2)) c2 = model_score(f, t, beta);
                if (c2 < best_score - 1e-9) best_score = c2, best_shift = 1 - dl, model_copy(best, t);
            }
        if (best_score < score - 1e-9) {
            model_copy(m, best);
            j += best_shift; /* past the plateau */
            any = 1;
        }
    }
    return any;
}

/* The fit the reading asserts (report/phases.h, step 4). Each segment a curve's reading calls flat
 * (direction 0) is held flat in that curve, unless holding it so (the knots held) raises the
 * curve's chi^2 by more than what a free parameter costs, penalty × ln n / 3: then it is a slope
 * too small to be a move, and stays free. Then, in turn until neither changes anything (at most 4
 * rounds): knots between two segments read alike go (model_eliminate), and each V or peak is tried
 * as a plateau (model_plateaus), both judged by model_score, the criterion the knots were chosen by
 * with the flat segments' saved parameters counted. Last, every knot moves to its best place under
 * the flat segments. kx and dir[] (capacity n + 2) are updated; f->flat[] receives the flat
 * segments (allocated); returns the new count of breakpoints. */
static int settle(fit_data *f, const phase_params *p, double *kx, int nb, signed char *dir[2]) {
    const double *x = f->x;
    int n = f->n;
    double beta = p->penalty * log((double)n);
    size_t cap = (size_t)n + 2;
    model m = model_new(cap), t = model_new(cap), best = model_new(cap), v = model_new(cap);
    m.nb = nb;
    memcpy(m.kx, kx, (size_t)nb * sizeof(double));
    for (int k = 0; k < 2; k++) {
        memcpy(m.dir[k], dir[k], (size_t)(nb - 1));
        memset(m.flat[k], 0, cap);
        double free_chi2 = fit_direct(x, f->y[k], f->w[k], n, kx, nb, NULL, NULL, f->ws);
        for (int j = 0; j + 1 < nb; j++) {
            if (dir[k][j]) continue;
            m.flat[k][j] = 1;
            double c2 = fit_direct(x, f->y[k], f->w[k], n, kx, nb, m.flat[k], NULL, f->ws);
            m.flat[k][j] = c2 - free_chi2 <= beta / 3;
        }
    }
    for (int round = 0; round < 4; round++) {
        int changed = model_eliminate(f, p, &m, &t, &best, beta);
        changed |= model_plateaus(f, p, &m, &t, &best, &v, beta, cap);
        if (!changed) break;
    }
    model_refine(f, p, &m, 1, m.nb - 2);
    memcpy(kx, m.kx, (size_t)m.nb * sizeof(double));
    signed char *flat[2] = {gi_malloc(cap), gi_malloc(cap)};
    for (int k = 0; k < 2; k++) memcpy(dir[k], m.dir[k], (size_t)m.nb), memcpy(flat[k], m.flat[k], (size_t)m.nb);
    f->flat[0] = flat[0], f->flat[1] = flat[1];
    nb = m.nb;
    model_free(&m); model_free(&t); model_free(&best); model_free(&v);
    return nb;
}

int phases_detect(const int64_t *step, const double *ixl, const double *se_ixl, const double *ily, const double *se_ily,
                  int n, const phase_params *p, phase_segment *seg, int max_seg, gi_err *e) {
    if (p->min_points < 2) return gi_fail(e, "phases: min_points %d must be >= 2", p->min_points);
    for (int i = 0; i < n; i++) {
        if (i && step[i] <= step[i - 1])
            return gi_fail(e, "phases: steps not increasing (%lld after %lld)", (long long)step[i], (long long)step[i - 1]);
        if (!isfinite(ixl[i]) || !isfinite(ily[i]))
            return gi_fail(e, "phases: a value at step %lld is not finite", (long long)step[i]);
        if (!(se_ixl[i] >= 0) || !(se_ily[i] >= 0) || !isfinite(se_ixl[i]) || !isfinite(se_ily[i]))
            return gi_fail(e, "phases: the standard error at step %lld is negative or not finite", (long long)step[i]);
    }
    int first = 0;
    while (first < n && step[first] < p->min_step) first++;
    int m = n - first;
    double *x = gi_malloc((size_t)(m ? m : 1) * sizeof(double));
    for (int i = 0; i < m; i++) x[i] = log10((double)step[first + i]);
    if (m < p->min_points || m < 2 || !segment_ok(x, m, x[0], x[m - 1], p)) { free(x); return 0; }
    /* standard errors floored at min_change / z: no estimate is trusted beyond that, and a smaller
       one would not change what counts as a move (min_change decides there) */
    size_t cap = (size_t)m + 2;
    double *buf = gi_malloc(cap * 12 * sizeof(double)), *kx = buf, *c[2] = {buf + cap, buf + 2 * cap};
    double *se[2] = {buf + 3 * cap, buf + 4 * cap}, floor_se = p->z > 0 ? p->min_change / p->z : p->min_change;
    fit_data f = {m, x, {ixl + first, ily + first}, {buf + 5 * cap, buf + 6 * cap}, buf + 7 * cap, {NULL, NULL}};
    for (int i = 0; i < m; i++) se[0][i] = fmax(se_ixl[first + i], floor_se), se[1][i] = fmax(se_ily[first + i], floor_se);
    if (!(floor_se > 0))
        for (int k = 0; k < 2; k++)
            for (int i = 0; i < m; i++) se[k][i] = fmax(se[k][i], 1e-12);
    for (int k = 0; k < 2; k++)
        for (int i = 0; i < m; i++) f.w[k][i] = 1.0 / (se[k][i] * se[k][i]);
    int nb = select_knots(&f, p, kx);
    signed char *dir[2] = {gi_malloc(cap), gi_malloc(cap)};
    for (int k = 0; k < 2; k++) {
        fit_direct(x, f.y[k], f.w[k], m, kx, nb, NULL, c[k], f.ws);
        segment_dirs(x, se[k], m, kx, c[k], nb, p, dir[k]);
    }
    int moves = 0; /* no move in either curve: no phase, and nothing for settle() to place */
    for (int k = 0; k < 2; k++)
        for (int j = 0; j + 1 < nb; j++) moves |= dir[k][j] != 0;
    if (moves) nb = settle(&f, p, kx, nb, dir);
    for (int k = 0; k < 2; k++) fit_direct(x, f.y[k], f.w[k], m, kx, nb, f.flat[k], c[k], f.ws);
    int nseg = nb - 1;
    /* neighbouring segments of one phase join; a phase runs between its breakpoints */
    int count = 0;
    for (int j = 0; j < nseg;) {
        phase_kind kind = kind_of((signed char[2]){dir[0][j], dir[1][j]});
        int k = j + 1;
        while (k < nseg && kind_of((signed char[2]){dir[0][k], dir[1][k]}) == kind) k++;
        if (kind != PHASE_NONE && count++ < max_seg) {
            phase_segment *g = &seg[count - 1];
            *g = (phase_segment){.kind = kind, .dixl = c[0][k] - c[0][j], .dily = c[1][k] - c[1][j]};
            g->start = j == 0 ? step[first] : (int64_t)llround(pow(10.0, kx[j]));
            g->end = k == nseg ? step[n - 1] : (int64_t)llround(pow(10.0, kx[k]));
            g->i0 = first, g->i1 = n - 1; /* the evaluations inside [start, end] */
            while (g->i0 < n - 1 && step[g->i0] < g->start) g->i0++;
            while (g->i1 > first && step[g->i1] > g->end) g->i1--;
        }
        j = k;
    }
    free(x); free(buf); free(dir[0]); free(dir[1]); free((void *)f.flat[0]); free((void *)f.flat[1]);
    return count;
}
