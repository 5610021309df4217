/* test_consensus.c — study/consensus.h on hand-made segment lists: the Jaccard boundary, the
 * share of seeds and the number of estimators that make a consensus, quartiles on known numbers. */
#include <stdlib.h>
#include "test.h"
#include "study/consensus.h"

/* three phase kinds by number, whatever report/phases.h names them */
#define KIND_A ((phase_kind)1)
#define KIND_B ((phase_kind)2)
#define KIND_C ((phase_kind)3)

TEST(consensus_jaccard_in_log_step) {
    CHECK_CLOSE(study_jaccard(0, 1, 0, 0.49), 0.49, 1e-15, 0);
    CHECK_CLOSE(study_jaccard(0, 1, 0, 0.51), 0.51, 1e-15, 0);
    CHECK_CLOSE(study_jaccard(2, 4, 3, 5), 1.0 / 3, 1e-15, 0);
    CHECK(study_jaccard(0, 1, 2, 3) == 0);
    CHECK(study_jaccard(0, 1, 1, 2) == 0);   /* touching is no overlap */
    CHECK(study_jaccard(1, 2, 1, 2) == 1);
    CHECK(study_jaccard(3, 3, 3, 3) == 1);   /* a one-point segment matches itself only */
    CHECK(study_jaccard(3, 3, 2, 4) == 0);
    CHECK(study_log_step(0) == 0 && study_log_step(1) == 0);
    CHECK_CLOSE(study_log_step(1000), 3, 1e-15, 0);
}

TEST(consensus_quartiles_on_known_numbers) {
    double q[3];
    study_quartiles((double[]){5, 1, 4, 2, 3}, 5, q);
    CHECK(q[0] == 2 && q[1] == 3 && q[2] == 4);
    study_quartiles((double[]){4, 1, 3, 2}, 4, q);   /* numpy: 1.75, 2.5, 3.25 */
    CHECK_CLOSE(q[0], 1.75, 1e-15, 0);
    CHECK_CLOSE(q[1], 2.5, 1e-15, 0);
    CHECK_CLOSE(q[2], 3.25, 1e-15, 0);
    study_quartiles((double[]){7}, 1, q);
    CHECK(q[0] == 7 && q[1] == 7 && q[2] == 7);
    study_quartiles((double[]){10, 0}, 2, q);
    CHECK(q[0] == 2.5 && q[1] == 5 && q[2] == 7.5);
    study_quartiles(NULL, 0, q);
    CHECK(isnan(q[0]) && isnan(q[1]) && isnan(q[2]));
    double x[3] = {3, 1, 2};
    study_quartiles(x, 3, q);
    CHECK(x[0] == 3 && x[1] == 1 && x[2] == 2);   /* the input is left as it was */
}

/* the cluster of kind k whose median start is near x0, or NULL */
static const study_cluster *cluster_at(const study_cluster *c, int n, phase_kind k, double x0) {
    for (int i = 0; i < n; i++)
        if (c[i].kind == k && fabs(c[i].start[1] - x0) < 0.3) return &c[i];
    return NULL;
}

/* Five seeds, two estimators: a phase in 4 of 5 seeds (both estimators) is consensus, one in 3 of 5
 * is not, one in every seed but from one estimator only is not. */
TEST(consensus_needs_four_of_five_seeds_and_two_estimators) {
    study_segment s[64];
    int n = 0;
    for (int seed = 0; seed < 5; seed++)
        for (int est = 0; est < 2; est++) {
            double jitter = 0.01 * seed + 0.003 * est;
            if (seed < 4) s[n++] = (study_segment){seed, est, KIND_A, 1.0 + jitter, 3.0 + jitter};
            if (seed < 3) s[n++] = (study_segment){seed, est, KIND_B, 3.5 + jitter, 4.5 + jitter};
            if (est == 0) s[n++] = (study_segment){seed, est, KIND_C, 4.6 + jitter, 5.0 + jitter};
        }
    study_cluster *c;
    int nc = study_cluster_segments(s, n, 5, 2, &c);
    CHECK(nc == 3);
    const study_cluster *m = cluster_at(c, nc, KIND_A, 1.0), *f = cluster_at(c, nc, KIND_B, 3.5),
                        *k = cluster_at(c, nc, KIND_C, 4.6);
    CHECK(m && f && k);
    if (m && f && k) {
        CHECK(m->n_seeds == 4 && m->n_estimators == 2 && m->n_segments == 8 && m->consensus == 1);
        CHECK_CLOSE(m->seed_fraction, 0.8, 1e-15, 0);
        CHECK_CLOSE(m->estimator_fraction, 1.0, 1e-15, 0);
        CHECK(m->estimators == 3u);
        CHECK(f->n_seeds == 3 && f->n_estimators == 2 && f->consensus == 0);
        CHECK_CLOSE(f->seed_fraction, 0.6, 1e-15, 0);
        CHECK(k->n_seeds == 5 && k->n_estimators == 1 && k->consensus == 0);
        CHECK_CLOSE(k->estimator_fraction, 0.5, 1e-15, 0);
    }
    /* ordered by median start */
    for (int i = 1; i < nc; i++) CHECK(c[i - 1].start[1] <= c[i].start[1]);
    free(c);
    /* scaled to ten seeds: 8 of 10 is consensus, 7 of 10 is not */
    for (int have = 7; have <= 8; have++) {
        n = 0;
        for (int seed = 0; seed < have; seed++)
            for (int est = 0; est < 2; est++) s[n++] = (study_segment){seed, est, KIND_B, 2.0, 3.0};
        nc = study_cluster_segments(s, n, 10, 3, &c);
        CHECK(nc == 1);
        if (nc == 1) {
            CHECK(c[0].consensus == (have == 8));
            CHECK_CLOSE(c[0].estimator_fraction, 2.0 / 3, 1e-15, 0);
        }
        free(c);
    }
}

TEST(consensus_jaccard_boundary_splits_clusters) {
    /* [2, 3] against [2, 2.49] (Jaccard 0.49): two clusters; against [2, 2.51] (0.51): one */
    study_segment a[2] = {{0, 0, KIND_B, 2.0, 3.0}, {1, 1, KIND_B, 2.0, 2.49}};
    study_segment b[2] = {{0, 0, KIND_B, 2.0, 3.0}, {1, 1, KIND_B, 2.0, 2.51}};
    study_cluster *c;
    int nc = study_cluster_segments(a, 2, 2, 2, &c);
    CHECK(nc == 2);
    free(c);
    nc = study_cluster_segments(b, 2, 2, 2, &c);
    CHECK(nc == 1);
    if (nc == 1) CHECK(c[0].n_seeds == 2 && c[0].n_estimators == 2 && c[0].consensus == 1);
    free(c);
    /* the same interval of another kind never matches */
    study_segment d[2] = {{0, 0, KIND_B, 2.0, 3.0}, {1, 1, KIND_C, 2.0, 3.0}};
    nc = study_cluster_segments(d, 2, 2, 2, &c);
    CHECK(nc == 2);
    free(c);
    /* single linkage: a chain of matches is one cluster, whatever the order of the segments */
    study_segment e1[3] = {{0, 0, KIND_B, 0.0, 1.0}, {1, 0, KIND_B, 2.0, 3.0}, {2, 0, KIND_B, 0.9, 2.1}};
    study_segment e2[3] = {e1[1], e1[2], e1[0]};
    study_cluster *c1, *c2;
    int n1 = study_cluster_segments(e1, 3, 3, 1, &c1), n2 = study_cluster_segments(e2, 3, 3, 1, &c2);
    CHECK(n1 == 3 && n2 == 3);  /* 0.9-2.1 overlaps each of the others by 0.1 of 2.1: no match */
    for (int i = 0; i < n1 && i < n2; i++) CHECK(c1[i].start[1] == c2[i].start[1] && c1[i].n_segments == c2[i].n_segments);
    free(c1);
    free(c2);
    /* 0-1 ~ 0.3-1.3 (0.54) ~ 0.6-1.6 (0.54), while 0-1 and 0.6-1.6 (0.25) do not match: one cluster */
    study_segment g1[3] = {{0, 0, KIND_B, 0.0, 1.0}, {1, 0, KIND_B, 0.3, 1.3}, {2, 0, KIND_B, 0.6, 1.6}};
    study_segment g2[3] = {g1[2], g1[0], g1[1]};
    n1 = study_cluster_segments(g1, 3, 3, 1, &c1);
    n2 = study_cluster_segments(g2, 3, 3, 1, &c2);
    CHECK(n1 == 1 && n2 == 1);
    if (n1 == 1 && n2 == 1) CHECK(c1[0].n_segments == 3 && c2[0].n_segments == 3 && c1[0].start[1] == c2[0].start[1]);
    free(c1);
    free(c2);
}

TEST(consensus_start_and_end_quartiles) {
    study_segment s[5];
    for (int i = 0; i < 5; i++) s[i] = (study_segment){i, i % 2, KIND_C, 3.0 + 0.1 * i, 4.0 + 0.05 * i};
    study_cluster *c;
    int nc = study_cluster_segments(s, 5, 5, 2, &c);
    CHECK(nc == 1);
    if (nc == 1) {
        CHECK_CLOSE(c[0].start[0], 3.1, 1e-12, 0);
        CHECK_CLOSE(c[0].start[1], 3.2, 1e-12, 0);
        CHECK_CLOSE(c[0].start[2], 3.3, 1e-12, 0);
        CHECK_CLOSE(c[0].end[1], 4.1, 1e-12, 0);
        CHECK_CLOSE(c[0].end[2] - c[0].end[0], 0.1, 1e-12, 0);
        CHECK(c[0].n_seeds == 5 && c[0].consensus == 1);
    }
    free(c);
    nc = study_cluster_segments(NULL, 0, 5, 2, &c);
    CHECK(nc == 0);
    free(c);
}
