/* consensus.c — segments clustered across seeds and estimators (see consensus.h). */
#include "study/consensus.h"
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include "util/err.h"

double study_log_step(int64_t step) { return step > 1 ? log10((double)step) : 0.0; }

double study_jaccard(double a0, double a1, double b0, double b1) {
    double inter = fmin(a1, b1) - fmax(a0, b0), uni = fmax(a1, b1) - fmin(a0, b0);
    if (uni <= 0) return a0 == b0 && a1 == b1 ? 1.0 : 0.0;
    return inter > 0 ? inter / uni : 0.0;
}

static int cmp_double(const void *a, const void *b) {
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

void study_quartiles(const double *x, int n, double q[3]) {
    if (n <= 0) { q[0] = q[1] = q[2] = NAN; return; }
    double *v = gi_malloc((size_t)n * sizeof(double));
    memcpy(v, x, (size_t)n * sizeof(double));
    qsort(v, (size_t)n, sizeof(double), cmp_double);
    static const double p[3] = {0.25, 0.5, 0.75};
    for (int k = 0; k < 3; k++) {
        double h = (n - 1) * p[k];
        int lo = (int)floor(h);
        int hi = lo + 1 < n ? lo + 1 : lo;
        q[k] = v[lo] + (h - lo) * (v[hi] - v[lo]);
    }
    free(v);
}

static int find(int *parent, int i) {
    while (parent[i] != i) i = parent[i] = parent[parent[i]];
    return i;
}

static int cmp_cluster(const void *a, const void *b) {
    const study_cluster *x = a, *y = b;
    if (x->start[1] != y->start[1]) return x->start[1] < y->start[1] ? -1 : 1;
    if (x->end[1] != y->end[1]) return x->end[1] < y->end[1] ? -1 : 1;
    return (x->kind > y->kind) - (x->kind < y->kind);
}

int study_cluster_segments(const study_segment *seg, int n, int seeds, int valid_estimators, study_cluster **out) {
    int *parent = gi_malloc((size_t)(n ? n : 1) * sizeof(int));
    for (int i = 0; i < n; i++) parent[i] = i;
    for (int i = 0; i < n; i++)
        for (int j = i + 1; j < n; j++)
            if (seg[i].kind == seg[j].kind && study_jaccard(seg[i].x0, seg[i].x1, seg[j].x0, seg[j].x1) >= STUDY_JACCARD_MIN) {
                int a = find(parent, i), b = find(parent, j);
                if (a != b) parent[a > b ? a : b] = a < b ? a : b;
            }
    int n_clusters = 0;
    for (int i = 0; i < n; i++) n_clusters += find(parent, i) == i;
    study_cluster *c = gi_calloc((size_t)(n_clusters ? n_clusters : 1), sizeof(study_cluster));
    double *x0 = gi_malloc((size_t)(n ? n : 1) * sizeof(double)), *x1 = gi_malloc((size_t)(n ? n : 1) * sizeof(double));
    char *seen = gi_calloc((size_t)(seeds > 0 ? seeds : 1), 1);
    for (int i = 0, k = 0; i < n; i++) {
        if (find(parent, i) != i) continue;
        study_cluster *cl = &c[k++];
        memset(seen, 0, (size_t)(seeds > 0 ? seeds : 1));
        cl->kind = seg[i].kind;
        for (int j = i; j < n; j++) {
            if (find(parent, j) != i) continue;
            x0[cl->n_segments] = seg[j].x0;
            x1[cl->n_segments] = seg[j].x1;
            cl->n_segments++;
            if (seg[j].seed >= 0 && seg[j].seed < seeds && !seen[seg[j].seed]) { seen[seg[j].seed] = 1; cl->n_seeds++; }
            if (seg[j].estimator >= 0 && seg[j].estimator < STUDY_MAX_ESTIMATORS) cl->estimators |= 1u << seg[j].estimator;
        }
        for (int b = 0; b < STUDY_MAX_ESTIMATORS; b++) cl->n_estimators += (cl->estimators >> b) & 1u;
        cl->seed_fraction = seeds > 0 ? (double)cl->n_seeds / seeds : NAN;
        cl->estimator_fraction = valid_estimators > 0 ? (double)cl->n_estimators / valid_estimators : NAN;
        study_quartiles(x0, cl->n_segments, cl->start);
        study_quartiles(x1, cl->n_segments, cl->end);
        cl->consensus = seeds > 0 && cl->n_seeds * STUDY_SEED_SHARE_DEN >= seeds * STUDY_SEED_SHARE_NUM &&
                        cl->n_estimators >= STUDY_MIN_ESTIMATORS;
    }
    qsort(c, (size_t)n_clusters, sizeof *c, cmp_cluster);
    free(parent); free(x0); free(x1); free(seen);
    *out = c;
    return n_clusters;
}
