/* test_phases.c — the information-plane phase rule (report/phases.h) at realistic noise: the
 * default run's standard errors (about 0.13 nats for I(X;L) and 0.085 for I(L;Y) on the
 * evaluation subset, 0.4–0.7 on the training subset), independent and AR(1)-correlated along the
 * curve, on both evaluation schedules (the seed's: 0..29, then every 1000 to 100000; and
 * train.eval_schedule=log: 100 log-spaced points, 89 once duplicates merge). */
#include <stdint.h>
#include <stdlib.h>
#include "test.h"
#include "report/phases.h"
#include "train/schedule.h"
#include "util/rng.h"

enum { MAXN = 256 };

/* the evaluation steps of a 100k-step run on the seed's schedule (log = 0) or the log one */
static int grid(int log, int64_t *step) {
    gi_config c;
    config_defaults(&c);
    if (log) snprintf(c.train.eval_schedule, sizeof c.train.eval_schedule, "log");
    schedule s;
    schedule_create(&s, &c);
    int n = (int)s.n;
    for (int i = 0; i < n && i < MAXN; i++) step[i] = s.steps[i];
    schedule_free(&s);
    return n;
}

/* Piecewise linear in x = log10(step): flat to 3.5, both fall to 3.85 (overfitting), flat to 4.15,
 * both rise to 4.45 (error minimisation), flat to 4.75, then I(X;L) falls while I(L;Y) holds
 * (compression) to 5: every regime holds at least 3 evaluations on either schedule, the change
 * points are 0.25–0.35 decade apart, and every change is at least 6 standard errors (0.13 and
 * 0.085 nats). */
static const double knot[] = {3.5, 3.85, 4.15, 4.45, 4.75, 5.0};
static void truth(double x, double *ixl, double *ily) {
    double u;
    if (x <= knot[0]) *ixl = 3.0, *ily = 1.6;
    else if (x <= knot[1]) u = (x - knot[0]) / (knot[1] - knot[0]), *ixl = 3.0 - 1.0 * u, *ily = 1.6 - 0.6 * u;
    else if (x <= knot[2]) *ixl = 2.0, *ily = 1.0;
    else if (x <= knot[3]) u = (x - knot[2]) / (knot[3] - knot[2]), *ixl = 2.0 + 1.2 * u, *ily = 1.0 + 0.8 * u;
    else if (x <= knot[4]) *ixl = 3.2, *ily = 1.8;
    else u = (x - knot[4]) / (knot[5] - knot[4]), *ixl = 3.2 - 1.0 * u, *ily = 1.8;
}

/* Heteroscedastic standard errors: base × (0.7 .. 1.3) varying smoothly along the curve. */
static void errors(int n, double base, double phase, double *se) {
    for (int i = 0; i < n; i++) se[i] = base * (1.0 + 0.3 * sin(phase + 6.0 * i / (double)n));
}

/* Gaussian noise of standard deviation se[i], independent (rho = 0) or AR(1) with coefficient rho
 * between consecutive evaluations (stationary, unit variance before scaling). */
static void add_noise(rng_t *r, int n, double rho, const double *se, double *y) {
    double a = rng_normal(r);
    for (int i = 0; i < n; i++) {
        if (i) a = rho * a + sqrt(1.0 - rho * rho) * rng_normal(r);
        y[i] += se[i] * a;
    }
}

/* the width of the gap between evaluations around x (log10 steps) */
static double gap_at(const int64_t *step, int n, double x) {
    for (int i = 1; i < n; i++)
        if (step[i - 1] > 0 && log10((double)step[i]) >= x) return log10((double)step[i]) - log10((double)step[i - 1]);
    return 0.0;
}

/* The six boundaries of the three expected phases: how many are found, i.e. a detected phase of
 * the right kind has that boundary within max(0.1 decade, the local gap); err[] receives each
 * boundary's error in decades from the nearest detected phase of its kind (NaN: none). */
static int boundaries_found(const int64_t *step, int n, const phase_segment *seg, int k, double *err) {
    static const phase_kind want[3] = {PHASE_OVERFITTING, PHASE_ERROR_MINIMISATION, PHASE_COMPRESSION};
    const double truth_x[6] = {knot[0], knot[1], knot[2], knot[3], knot[4], knot[5]};
    int found = 0;
    for (int b = 0; b < 6; b++) {
        err[b] = NAN;
        for (int j = 0; j < k && j < 16; j++) {
            if (seg[j].kind != want[b / 2]) continue;
            double d = log10((double)(b % 2 ? seg[j].end : seg[j].start)) - truth_x[b];
            if (isnan(err[b]) || fabs(d) < fabs(err[b])) err[b] = d;
        }
        found += !isnan(err[b]) && fabs(err[b]) <= fmax(0.1, gap_at(step, n, truth_x[b])) + 1e-9;
    }
    return found;
}

static int cmp_abs(const void *a, const void *b) {
    double x = fabs(*(const double *)a), y = fabs(*(const double *)b);
    return (x > y) - (x < y);
}

/* Known change points at the real standard errors. Without noise every boundary is found. With
 * noise (200 curves per schedule and noise kind) the test holds the rule to what it measured
 * (printed): 72.5–90.5% of curves have all six boundaries within tolerance, 95–98% of the
 * boundaries are, the median error is 0.011–0.016 decade (52–81%, 88–96%, 0.011–0.018 before the
 * rule held its flat segments flat and tried plateaus at V's). Every boundary on every curve is out of
 * reach at this noise: an oracle told the true change points' number and the plateaus' flatness,
 * fitting only their places, misses on 4–7.5% of these curves (the next test); and about 5% of the 0.3-decade
 * plateaus between opposite moves are read as a V, noise taking the plateau's gain under the
 * knot penalty (README, "The phase rule"). */
TEST(phases_recover_known_change_points) {
    int64_t step[MAXN];
    double ixl[MAXN], ily[MAXN], sx[MAXN], sy[MAXN];
    phase_params p = phase_defaults();
    for (int log = 0; log <= 1; log++) {
        int n = grid(log, step);
        CHECK(log ? n == 89 : n == 130);
        for (int noise = 0; noise < 3; noise++) { /* none, independent, AR(1) rho 0.9 */
            int trials = noise ? 200 : 1, all = 0, found = 0, n_err = 0;
            double *errs = calloc((size_t)trials * 6, sizeof(double));
            rng_t r;
            rng_seed(&r, 1000 + 10 * log + noise);
            for (int t = 0; t < trials; t++) {
                errors(n, 0.13, t, sx);
                errors(n, 0.085, 2 * t, sy);
                for (int i = 0; i < n; i++) truth(step[i] ? log10((double)step[i]) : 0.0, &ixl[i], &ily[i]);
                if (noise) add_noise(&r, n, noise == 2 ? 0.9 : 0.0, sx, ixl), add_noise(&r, n, noise == 2 ? 0.9 : 0.0, sy, ily);
                phase_segment seg[16];
                gi_err e;
                double be[6];
                int k = phases_detect(step, ixl, sx, ily, sy, n, &p, seg, 16, &e), f = boundaries_found(step, n, seg, k, be);
                for (int b = 0; b < 6; b++)
                    if (!isnan(be[b])) errs[n_err++] = be[b];
                found += f;
                all += f == 6;
                if (!noise && f != 6)
                    for (int j = 0; j < k && j < 16; j++)
                        fprintf(stderr, "    %s %lld-%lld\n", phase_name(seg[j].kind), (long long)seg[j].start, (long long)seg[j].end);
            }
            qsort(errs, (size_t)n_err, sizeof(double), cmp_abs);
            double med = n_err ? fabs(errs[n_err / 2]) : INFINITY;
            fprintf(stderr, "  %s schedule, %s: %d%% of curves all right, %d%% of boundaries, median error %.4f decade\n",
                    log ? "log" : "seed", noise == 0 ? "no noise" : noise == 1 ? "independent noise" : "AR(1) noise",
                    100 * all / trials, 100 * found / (6 * trials), med);
            if (!noise) CHECK(all == 1);
            else {
                CHECK(all >= 0.65 * trials);
                CHECK(found >= 0.92 * 6 * trials);
                CHECK(med <= 0.02);
            }
            free(errs);
        }
    }
}

/* ---- an oracle for the known change points ---- */

/* The weighted least-squares χ² of both curves under the true topology with change points kx[0..4]
 * (the data end at x = 5): I(X;L) levels a0, a1, a2 on the flat segments and a3 at the end,
 * I(L;Y) levels b0, b1, b2 (it holds during compression); linear between, continuous. Points below
 * step 30 are left out, as the rule leaves them. */
static double oracle_chi2(const double *x, const double *ixl, const double *sx, const double *ily, const double *sy, int n,
                          const double *kx) {
    double chi2 = 0;
    for (int c = 0; c < 2; c++) {
        int m = c ? 3 : 4; /* parameters */
        double A[4][4] = {{0}}, rhs[4] = {0}, sol[4];
        for (int pass = 0; pass < 2; pass++) {
            for (int i = 0; i < n; i++) {
                if (x[i] < log10(30.0)) continue;
                double basis[4] = {0}, xi = x[i], u;
                /* the value at x as a combination of the levels */
                if (xi <= kx[0]) basis[0] = 1;
                else if (xi <= kx[1]) u = (xi - kx[0]) / (kx[1] - kx[0]), basis[0] = 1 - u, basis[1] = u;
                else if (xi <= kx[2]) basis[1] = 1;
                else if (xi <= kx[3]) u = (xi - kx[2]) / (kx[3] - kx[2]), basis[1] = 1 - u, basis[2] = u;
                else if (xi <= kx[4]) basis[2] = 1;
                else if (c) basis[2] = 1;
                else u = (xi - kx[4]) / (5.0 - kx[4]), basis[2] = 1 - u, basis[3] = u;
                double y = c ? ily[i] : ixl[i], w = 1.0 / (c ? sy[i] * sy[i] : sx[i] * sx[i]);
                if (pass == 0) {
                    for (int a = 0; a < m; a++) {
                        rhs[a] += w * basis[a] * y;
                        for (int b = 0; b < m; b++) A[a][b] += w * basis[a] * basis[b];
                    }
                } else {
                    double f = 0;
                    for (int a = 0; a < m; a++) f += basis[a] * sol[a];
                    chi2 += w * (y - f) * (y - f);
                }
            }
            if (pass == 0) { /* Gaussian elimination on the m x m normal equations */
                for (int a = 0; a < m; a++)
                    for (int b = a + 1; b < m; b++) {
                        double q = A[b][a] / A[a][a];
                        for (int d = a; d < m; d++) A[b][d] -= q * A[a][d];
                        rhs[b] -= q * rhs[a];
                    }
                for (int a = m - 1; a >= 0; a--) {
                    double v = rhs[a];
                    for (int d = a + 1; d < m; d++) v -= A[a][d] * sol[d];
                    sol[a] = v / A[a][a];
                }
            }
        }
    }
    return chi2;
}

/* Every boundary on every noisy curve is out of any rule's reach at this noise and tolerance: an
 * oracle told the true topology and which segments are flat, fitting only the five change points'
 * places by maximum likelihood (coordinate descent from the true places, each within 0.3 decade
 * and between its neighbours, at 0.01 then 0.002 decade), on the same curves as
 * phases_recover_known_change_points (same seeds), still puts a change point outside max(0.1
 * decade, the local gap) on some curves of every noisy setting (measured: 4–8% of them). */
TEST(phases_every_boundary_is_out_of_reach_even_for_an_oracle) {
    int64_t step[MAXN];
    double x[MAXN], ixl[MAXN], ily[MAXN], sx[MAXN], sy[MAXN];
    for (int log = 0; log <= 1; log++) {
        int n = grid(log, step);
        for (int i = 0; i < n; i++) x[i] = step[i] ? log10((double)step[i]) : 0.0;
        for (int noise = 1; noise < 3; noise++) {
            int trials = 200, missed_curves = 0, found = 0;
            rng_t r;
            rng_seed(&r, 1000 + 10 * log + noise); /* the rule's test's curves */
            for (int t = 0; t < trials; t++) {
                errors(n, 0.13, t, sx);
                errors(n, 0.085, 2 * t, sy);
                for (int i = 0; i < n; i++) truth(x[i], &ixl[i], &ily[i]);
                add_noise(&r, n, noise == 2 ? 0.9 : 0.0, sx, ixl);
                add_noise(&r, n, noise == 2 ? 0.9 : 0.0, sy, ily);
                double kx[5] = {knot[0], knot[1], knot[2], knot[3], knot[4]};
                double best = oracle_chi2(x, ixl, sx, ily, sy, n, kx);
                for (int pass = 0, moved = 1; moved && pass < 8; pass++) {
                    moved = 0;
                    for (int j = 0; j < 5; j++) {
                        /* between its neighbours, within 0.3 decade: every 0.01, then every 0.002 around the best */
                        double lo = fmax(j ? kx[j - 1] : 2.0, kx[j] - 0.3), hi = fmin(j < 4 ? kx[j + 1] : 5.0, kx[j] + 0.3);
                        double keep = kx[j], at = keep;
                        for (int level = 0; level < 2; level++) {
                            double h = level ? 0.002 : 0.01, a = level ? fmax(lo, at - 0.01) : lo, b = level ? fmin(hi, at + 0.01) : hi;
                            for (double v = a + h; v < b - 1e-9; v += h) {
                                kx[j] = v;
                                double c2 = oracle_chi2(x, ixl, sx, ily, sy, n, kx);
                                if (c2 < best - 1e-9) best = c2, at = v;
                            }
                        }
                        kx[j] = at;
                        moved |= at != keep;
                    }
                }
                int ok = 0;
                for (int j = 0; j < 5; j++) ok += fabs(kx[j] - knot[j]) <= fmax(0.1, gap_at(step, n, knot[j])) + 1e-9;
                found += ok;
                missed_curves += ok < 5;
            }
            fprintf(stderr, "  oracle, %s schedule, %s: %.1f%% of curves miss a change point, %.1f%% of change points found\n",
                    log ? "log" : "seed", noise == 1 ? "independent noise" : "AR(1) noise", 100.0 * missed_curves / trials,
                    100.0 * found / (5 * trials));
            CHECK(missed_curves >= 1);
        }
    }
}

/* Flat curves: at most 5% of 1000 curves show any phase, with the noise at the stated standard
 * errors (the evaluation subset's; 250 curves at the training subset's), independent or
 * AR(1)-correlated, on both schedules; and the check can fail: noise three times the stated errors
 * puts phases on most curves. */
static double false_phase_rate(int log, double rho, double scale, double base_x, double base_y, int trials, uint64_t seed) {
    int64_t step[MAXN];
    double ixl[MAXN], ily[MAXN], sx[MAXN], sy[MAXN], tx[MAXN], ty[MAXN];
    int n = grid(log, step), hits = 0;
    phase_params p = phase_defaults();
    rng_t r;
    rng_seed(&r, seed);
    for (int t = 0; t < trials; t++) {
        errors(n, base_x, t, sx);
        errors(n, base_y, 3 * t, sy);
        for (int i = 0; i < n; i++) ixl[i] = 2.5, ily[i] = 1.2, tx[i] = scale * sx[i], ty[i] = scale * sy[i];
        add_noise(&r, n, rho, tx, ixl);
        add_noise(&r, n, rho, ty, ily);
        phase_segment seg[16];
        gi_err e;
        hits += phases_detect(step, ixl, sx, ily, sy, n, &p, seg, 16, &e) > 0;
    }
    return hits / (double)trials;
}

TEST(phases_flat_curves_rarely_have_phases) {
    for (int log = 0; log <= 1; log++)
        for (int corr = 0; corr <= 1; corr++)
            for (int sub = 0; sub <= 1; sub++) { /* evaluation subset's errors, training subset's */
                double rate = false_phase_rate(log, corr ? 0.9 : 0.0, 1.0, sub ? 0.55 : 0.13, sub ? 0.5 : 0.085,
                                               sub ? 250 : 1000, 77 + 4 * log + 2 * corr + sub);
                fprintf(stderr, "  flat, %s schedule, %s noise, %s errors: %.1f%% with a phase\n", log ? "log" : "seed",
                        corr ? "AR(1)" : "independent", sub ? "train" : "eval", 100 * rate);
                CHECK(rate <= 0.05);
            }
    double loud = false_phase_rate(0, 0.9, 3.0, 0.13, 0.085, 250, 5);
    fprintf(stderr, "  flat, noise 3x the stated errors: %.1f%% with a phase\n", 100 * loud);
    CHECK(loud > 0.2);
}

/* The same underlying curve sampled on the two schedules gives the same phases. */
TEST(phases_same_on_both_schedules) {
    int64_t step[2][MAXN];
    double ixl[MAXN], ily[MAXN], sx[MAXN], sy[MAXN];
    phase_segment seg[2][16];
    int k[2], n[2];
    phase_params p = phase_defaults();
    for (int log = 0; log <= 1; log++) {
        n[log] = grid(log, step[log]);
        errors(n[log], 0.13, 0, sx);
        errors(n[log], 0.085, 1, sy);
        for (int i = 0; i < n[log]; i++) truth(step[log][i] ? log10((double)step[log][i]) : 0.0, &ixl[i], &ily[i]);
        gi_err e;
        k[log] = phases_detect(step[log], ixl, sx, ily, sy, n[log], &p, seg[log], 16, &e);
    }
    CHECK(k[0] == 3 && k[1] == 3);
    for (int j = 0; j < k[0] && j < k[1]; j++) {
        CHECK(seg[0][j].kind == seg[1][j].kind);
        double s0 = log10((double)seg[0][j].start), s1 = log10((double)seg[1][j].start);
        double e0 = log10((double)seg[0][j].end), e1 = log10((double)seg[1][j].end);
        CHECK(fabs(s0 - s1) <= fmax(0.1, fmax(gap_at(step[0], n[0], s0), gap_at(step[1], n[1], s1))) + 1e-9);
        CHECK(fabs(e0 - e1) <= fmax(0.1, fmax(gap_at(step[0], n[0], e0), gap_at(step[1], n[1], e1))) + 1e-9);
    }
}

/* Noise redraws of a real run give the same phases: each of the 6 draws of seed 0's evaluation
 * layers 1 and 2 (tests/data/redraws, from the MNIST study), with the draws' spread as its
 * standard error (floored by the rule), gives the phases of draw 0: the same kinds in the same
 * order, every boundary within max(0.1 decade, the local gap). */
TEST(phases_same_on_noise_redraws_of_a_real_run) {
    FILE *f = fopen("tests/data/redraws/seed0_eval.csv", "r");
    CHECK(f != NULL);
    if (!f) return;
    enum { D = 6, N = 128 };
    static int64_t step[2][D][N];
    static double ixl[2][D][N], ily[2][D][N], sx[2][D][N], sy[2][D][N];
    int n[2][D] = {{0}};
    char line[256];
    CHECK(fgets(line, sizeof line, f) != NULL);
    long long st;
    int layer, draw, flagged;
    double a, b, c, d;
    while (fscanf(f, "%lld,%d,%d,%lf,%lf,%lf,%lf,%d", &st, &layer, &draw, &a, &b, &c, &d, &flagged) == 8) {
        if (layer < 1 || layer > 2 || draw < 0 || draw >= D || flagged) continue;
        int l = layer - 1, k = n[l][draw]++;
        if (k >= N) { n[l][draw]--; continue; }
        step[l][draw][k] = st, ixl[l][draw][k] = a, ily[l][draw][k] = b, sx[l][draw][k] = c, sy[l][draw][k] = d;
    }
    fclose(f);
    phase_params p = phase_defaults();
    for (int l = 0; l < 2; l++) {
        phase_segment seg[D][16];
        int k[D];
        for (int r = 0; r < D; r++) {
            gi_err e;
            CHECK(n[l][r] > 50);
            k[r] = phases_detect(step[l][r], ixl[l][r], sx[l][r], ily[l][r], sy[l][r], n[l][r], &p, seg[r], 16, &e);
        }
        CHECK(k[0] >= 1); /* the check below compares something */
        for (int r = 1; r < D; r++) {
            int same = k[r] == k[0];
            for (int j = 0; same && j < k[0] && j < 16; j++) {
                double s0 = log10((double)seg[0][j].start), s1 = log10((double)seg[r][j].start);
                double e0 = log10((double)seg[0][j].end), e1 = log10((double)seg[r][j].end);
                same = seg[r][j].kind == seg[0][j].kind &&
                       fabs(s0 - s1) <= fmax(0.1, gap_at(step[l][0], n[l][0], fmin(s0, s1) + 1e-9)) + 1e-9 &&
                       fabs(e0 - e1) <= fmax(0.1, gap_at(step[l][0], n[l][0], fmin(e0, e1) + 1e-9)) + 1e-9;
            }
            if (!same)
                for (int q = 0; q <= r; q += r)
                    for (int j = 0; j < k[q] && j < 16; j++)
                        fprintf(stderr, "    layer %d draw %d: %s %lld-%lld\n", l + 1, q, phase_name(seg[q][j].kind),
                                (long long)seg[q][j].start, (long long)seg[q][j].end);
            CHECK(same);
        }
    }
}

/* Evaluations before phases.min_step are left out unless asked for; a jump between two
 * evaluations is a phase of its own when it is significant. */
TEST(phases_early_steps_and_jumps) {
    int64_t step[MAXN];
    double ixl[MAXN], ily[MAXN], sx[MAXN], sy[MAXN];
    int n = grid(0, step);
    for (int i = 0; i < n; i++) {
        ixl[i] = step[i] < 30 ? 4.0 - 0.1 * (double)step[i] : 1.0; /* falls over 0..29, then flat */
        ily[i] = step[i] < 30 ? 2.0 - 0.03 * (double)step[i] : 1.1;
        sx[i] = sy[i] = 0.1;
    }
    phase_params p = phase_defaults();
    phase_segment seg[16];
    gi_err e;
    CHECK(phases_detect(step, ixl, sx, ily, sy, n, &p, seg, 16, &e) == 0);
    p.min_step = 1;
    int k = phases_detect(step, ixl, sx, ily, sy, n, &p, seg, 16, &e), over = 0;
    for (int j = 0; j < k && j < 16; j++) over |= seg[j].kind == PHASE_OVERFITTING && seg[j].end >= 29;
    CHECK(k >= 1 && seg[0].start < 30 && over);
    /* a step up of both curves between 50000 and 51000: the fit is continuous, so the jump is a
       ramp of at least min_decades around it, read as error minimisation */
    p = phase_defaults();
    for (int i = 0; i < n; i++) ixl[i] = step[i] > 50000 ? 3.0 : 2.0, ily[i] = step[i] > 50000 ? 1.8 : 1.0;
    k = phases_detect(step, ixl, sx, ily, sy, n, &p, seg, 16, &e);
    CHECK(k == 1);
    if (k == 1)
        CHECK(seg[0].kind == PHASE_ERROR_MINIMISATION && seg[0].start <= 50000 && seg[0].end >= 51000 &&
              log10((double)seg[0].end / (double)seg[0].start) <= p.min_decades + 0.02);
    /* I(L;Y) jumping by 0.35 nats, under 3 combined SE (0.42; the continuous fit of a jump
       overshoots it by about 10%): only I(X;L)'s rise is a move, which names no phase */
    for (int i = 0; i < n; i++) ily[i] = step[i] > 50000 ? 1.35 : 1.0;
    k = phases_detect(step, ixl, sx, ily, sy, n, &p, seg, 16, &e);
    CHECK(k == 0);
    /* and at 0.5 nats it is one */
    for (int i = 0; i < n; i++) ily[i] = step[i] > 50000 ? 1.5 : 1.0;
    k = phases_detect(step, ixl, sx, ily, sy, n, &p, seg, 16, &e);
    CHECK(k == 1 && seg[0].kind == PHASE_ERROR_MINIMISATION);
    /* errors */
    sx[7] = -0.1;
    CHECK(phases_detect(step, ixl, sx, ily, sy, n, &p, seg, 16, &e) == -1);
    CHECK_STR_CONTAINS(e.msg, "standard error");
    sx[7] = 0.1;
    step[40] = step[39];
    CHECK(phases_detect(step, ixl, sx, ily, sy, n, &p, seg, 16, &e) == -1);
    CHECK_STR_CONTAINS(e.msg, "not increasing");
}

static void write_text(const char *path, const char *text) { test_write_bytes(path, text, strlen(text)); }

TEST(phases_from_run_reads_metrics_and_mi) {
    char dir[600];
    snprintf(dir, sizeof dir, "%s", test_tmp_path("run_phases"));
    char cmd[1600];
    snprintf(cmd, sizeof cmd, "mkdir -p %s", dir);
    CHECK(system(cmd) == 0);
    char path[1400];
    snprintf(path, sizeof path, "%s/metrics.csv", dir);
    write_text(path, "step,train_loss,train_acc,eval_loss,eval_acc\n0,1,0.1,1,0.1\n1000,1,0.995,1,0.2\n2000,1,1,1,0.6\n");
    int64_t step[MAXN];
    double ixl[MAXN], ily[MAXN];
    int n = grid(0, step);
    for (int i = 0; i < n; i++) truth(step[i] ? log10((double)step[i]) : 0.0, &ixl[i], &ily[i]);
    snprintf(path, sizeof path, "%s/mi.csv", dir);
    FILE *f = fopen(path, "w");
    fprintf(f, "step,subset,layer,ixl,ixl_err,ily,ily_err,estimator,dx,dl\n");
    for (int i = n - 1; i >= 0; i--) /* any row order */
        for (int l = 1; l <= 2; l++) {
            fprintf(f, "%lld,eval,%d,%.9g,0.01,%.9g,0.01,ksg,784,200\n", (long long)step[i], l, ixl[i], ily[i]);
            fprintf(f, "%lld,train,%d,%.9g,0.01,%.9g,0.01,ksg,784,200\n", (long long)step[i], l, ixl[i], 1.0);
            fprintf(f, "%lld,train,%d,0,0,0,0,kl,784,200\n", (long long)step[i], l);
        }
    fclose(f);
    phase_report r;
    gi_err e = {""};
    milestones ms = {.train_threshold = 0.99, .eval_threshold = 0.5};
    CHECK(milestones_read(&ms, dir, &e) == 0);
    CHECK(phases_from_run(dir, NULL, NULL, &ms, NULL, NULL, &r, &e) == 0);
    if (e.msg[0]) fprintf(stderr, "  %s\n", e.msg);
    CHECK(r.memorisation_step == 1000 && r.grokking_step == 2000);
    CHECK(r.n_curves == 4 && r.n_layers == 2);
    CHECK(strcmp(r.estimator, "ksg") == 0);
    if (r.n_curves == 4) {
        CHECK(strcmp(r.curve[0].subset, "eval") == 0 && r.curve[1].layer == 2 && strcmp(r.curve[2].subset, "train") == 0);
        CHECK(r.curve[0].n == 130 && r.curve[0].step[0] == 0 && r.curve[0].step[129] == 100000);
        CHECK(r.curve[0].n_seg == 3);
        for (int j = 0; r.curve[0].n_seg != 3 && j < r.curve[0].n_seg; j++)
            fprintf(stderr, "    %s %lld-%lld\n", phase_name(r.curve[0].seg[j].kind), (long long)r.curve[0].seg[j].start,
                    (long long)r.curve[0].seg[j].end);
        /* train: I(L;Y) constant, so only compression where I(X;L) falls */
        for (int j = 0; j < r.curve[2].n_seg; j++) CHECK(r.curve[2].seg[j].kind == PHASE_COMPRESSION);
    }
    snprintf(path, sizeof path, "%s/phases.json", dir);
    f = fopen(path, "w");
    fprintf(f, "{\"phases\": ");
    phases_write_json(f, &r, 0);
    fprintf(f, "}\n");
    fclose(f);
    size_t len;
    char *json = (char *)test_read_bytes(path, &len);
    json[len] = '\0';
    CHECK_STR_CONTAINS(json, "\"phase\": \"compression\", \"start\": ");
    CHECK_STR_CONTAINS(json, "\"grokking_step\": 2000");
    /* the JSON is well formed as far as python says */
    snprintf(cmd, sizeof cmd, "python3 -c 'import json,sys; json.load(open(sys.argv[1]))' %s 2>/dev/null || ! command -v python3 >/dev/null", path);
    CHECK(system(cmd) == 0);
    free(json);
    phases_free(&r);
    /* given milestones win over metrics.csv; an unknown estimator and a bad subset are errors */
    CHECK(phases_from_run(dir, NULL, "kl", &(milestones){.memorisation = 7, .grokking = -1}, NULL, NULL, &r, &e) == 0);
    CHECK(r.memorisation_step == 7 && r.grokking_step == -1 && r.n_curves == 2);
    phases_free(&r);
    CHECK(phases_from_run(dir, NULL, "wkl", &(milestones){.memorisation = 7, .grokking = -1}, NULL, NULL, &r, &e) == -1);
    CHECK_STR_CONTAINS(e.msg, "no rows with estimator 'wkl'");
    write_text(path, "step,subset,layer,ixl,ixl_err,ily,ily_err\n0,eval,1,1,1,1,1\n0,test,1,1,1,1,1\n");
    CHECK(phases_from_run(dir, path, NULL, &(milestones){.memorisation = 1, .grokking = 1}, NULL, NULL, &r, &e) == -1);
    CHECK_STR_CONTAINS(e.msg, "phases.json:3: subset 'test', expected train or eval");
    write_text(path, "step,subset,layer,ily\n0,eval,1,1\n");
    CHECK(phases_from_run(dir, path, NULL, &(milestones){.memorisation = 1, .grokking = 1}, NULL, NULL, &r, &e) == -1);
    CHECK_STR_CONTAINS(e.msg, "no column 'ixl'");
}

/* Flagged rows are missing values to the phase rule: a clean synthetic curve gives the same
 * segments with wild flagged points added between its rows, while the same points unflagged
 * change them, unless the caller marks them missing; the curve keeps the flagged points, marked,
 * for the figures. */
TEST(phases_treat_flagged_rows_as_missing) {
    char dir[600];
    snprintf(dir, sizeof dir, "%s", test_tmp_path("run_flags"));
    char cmd[1600], path[1400];
    snprintf(cmd, sizeof cmd, "mkdir -p %s", dir);
    CHECK(system(cmd) == 0);
    int64_t step[MAXN];
    double ixl[MAXN], ily[MAXN];
    int n = grid(0, step);
    for (int i = 0; i < n; i++) truth(step[i] ? log10((double)step[i]) : 0.0, &ixl[i], &ily[i]);
    phase_report r[3];
    milestones ms = {.memorisation = -1, .grokking = -1};
    for (int variant = 0; variant < 3; variant++) { /* clean, spikes flagged, spikes unflagged */
        snprintf(path, sizeof path, "%s/mi-%d.csv", dir, variant);
        FILE *f = fopen(path, "w");
        fprintf(f, "step,subset,layer,ixl,ixl_err,ily,ily_err,estimator,dx,dl,h_y,flags\n");
        for (int i = 0; i < n; i++) {
            fprintf(f, "%lld,eval,1,%.9g,0.01,%.9g,0.01,wkl,4,4,2.3,\n", (long long)step[i], ixl[i], ily[i]);
            if (variant && step[i] >= 40000 && step[i] <= 60000 && step[i] % 2000 == 0)
                fprintf(f, "%lld,eval,1,-7,0.01,4.3,0.01,wkl,4,4,2.3,%s\n", (long long)step[i] + 500,
                        variant == 1 ? "ixl_negative+ily_above_ceiling" : "");
        }
        fclose(f);
        gi_err e = {""};
        CHECK(phases_from_run(dir, path, NULL, &ms, NULL, NULL, &r[variant], &e) == 0);
    }
    const phase_curve *clean = &r[0].curve[0], *flagged = &r[1].curve[0], *wild = &r[2].curve[0];
    CHECK(flagged->n == clean->n + 11 && flagged->n_flagged == 11 && clean->n_flagged == 0 && wild->n_flagged == 0);
    int same = clean->n_seg == flagged->n_seg, differs = clean->n_seg != wild->n_seg;
    for (int j = 0; same && j < clean->n_seg; j++)
        same = clean->seg[j].kind == flagged->seg[j].kind && clean->seg[j].start == flagged->seg[j].start &&
               clean->seg[j].end == flagged->seg[j].end;
    for (int j = 0; !differs && j < clean->n_seg; j++)
        differs = clean->seg[j].kind != wild->seg[j].kind || clean->seg[j].start != wild->seg[j].start ||
                  clean->seg[j].end != wild->seg[j].end;
    CHECK(clean->n_seg > 0 && same);
    CHECK(differs); /* so the check above can fail */
    /* the caller's mask (the study's points outside their regime) does what the flags do: the
     * unflagged spikes' rows marked missing give the clean curve's segments again */
    unsigned char missing[2 * MAXN] = {0};
    int row = 0;
    for (int i = 0; i < n; i++) {
        row++;
        if (step[i] >= 40000 && step[i] <= 60000 && step[i] % 2000 == 0) missing[row++] = 1;
    }
    phase_report masked;
    gi_err e = {""};
    CHECK(phases_from_run(dir, path, NULL, &(milestones){.memorisation = -1, .grokking = -1}, NULL, missing, &masked, &e) == 0);
    const phase_curve *mc = &masked.curve[0];
    int same_masked = mc->n_flagged == 11 && mc->n_seg == clean->n_seg;
    for (int j = 0; same_masked && j < clean->n_seg; j++)
        same_masked = clean->seg[j].kind == mc->seg[j].kind && clean->seg[j].start == mc->seg[j].start &&
                      clean->seg[j].end == mc->seg[j].end;
    CHECK(same_masked);
    phases_free(&masked);
    for (int v = 0; v < 3; v++) phases_free(&r[v]);
}
