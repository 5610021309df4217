/* The estimator table (measure/mi.h): every row is named and has the entry points its flags
 * promise, and the flags say what the functions do (k read or not, whitening or not, z-scoring or
 * not, per-point terms that average to the estimate); names are unique and found again by name;
 * the lists built from it are the ones the CLI prints; and config.c's allowed values for
 * mi.estimator (util cannot include measure, so they are written out there) are "auto" and the
 * table's names, in order. */
#include <stdlib.h>
#include "measure/mi.h"
#include "util/config.h"
#include "util/rng.h"
#include "test.h"

TEST(estimator_rows_named_with_entry_points_for_their_flags) {
    for (int k = 0; k < EST_COUNT; k++) {
        const estimator_traits *t = estimator_get((estimator_kind)k);
        CHECK(t->name && t->name[0] && strcspn(t->name, "|, ") == strlen(t->name));
        if (!t->name) { fprintf(stderr, "  row %d has no name\n", k); continue; }
        CHECK(t->mi || t->layer);                            /* something to call */
        CHECK(!t->mi_classes || t->handles_labels);          /* a label MI is announced */
        CHECK(!t->handles_labels || t->mi_classes || t->layer); /* and an announced one exists */
        CHECK(!t->whitens_by_default || t->rescale_allowed);
        CHECK(!t->layer || !t->mi_classes);                  /* a layer row takes its labels there */
    }
}

TEST(estimator_names_unique_and_found_again) {
    for (int a = 0; a < EST_COUNT; a++) {
        const char *name = estimator_name((estimator_kind)a);
        estimator_kind k;
        CHECK(estimator_from_name(name, &k) == 0 && k == (estimator_kind)a);
        CHECK(estimator_get(k) == estimator_get((estimator_kind)a) && estimator_get(k)->name == name);
        for (int b = a + 1; b < EST_COUNT; b++) CHECK(strcmp(name, estimator_name((estimator_kind)b)) != 0);
    }
    estimator_kind k;
    CHECK(estimator_from_name("KSG", &k) != 0 && estimator_from_name("", &k) != 0 && estimator_from_name("auto", &k) != 0);
}

static int rescalable(const estimator_traits *t) { return t->rescale_allowed; }

TEST(estimator_lists_for_the_cli) {
    char buf[128];
    /* the usage line of `grokinfo mi` and of main.c's command list */
    CHECK(strcmp(estimator_names(buf, sizeof buf, "|", NULL, estimator_on_arrays), "ksg|kl|wkl|wkl-pooled|kde|gauss|gcmi") == 0);
    CHECK(strcmp(estimator_names(buf, sizeof buf, ", ", " and ", rescalable), "wkl, wkl-pooled and kde") == 0);
    CHECK(strcmp(estimator_names(buf, sizeof buf, ", ", NULL, NULL), "ksg, kl, wkl, wkl-pooled, kde, gauss, gcmi, noise") == 0);
    /* truncated to the buffer, still a string */
    CHECK(strcmp(estimator_names(buf, 6, "|", NULL, NULL), "ksg|k") == 0);
}

TEST(estimator_config_allows_auto_and_the_table) {
    gi_config c;
    gi_err e;
    config_defaults(&c);
    for (int k = 0; k < EST_COUNT; k++) {
        const char *name = estimator_name((estimator_kind)k);
        CHECK(config_set(&c, "mi.estimator", name, NULL, &e) == 0 && strcmp(c.mi.estimator, name) == 0);
    }
    /* the refusal lists every value config allows: exactly auto, then the table's rows in order */
    char names[128], want[256];
    snprintf(want, sizeof want, "mi.estimator: '?' is not one of auto, %s",
             estimator_names(names, sizeof names, ", ", NULL, NULL));
    CHECK(config_set(&c, "mi.estimator", "?", NULL, &e) != 0);
    if (strcmp(e.msg, want) != 0) fprintf(stderr, "  config says \"%s\"\n  the table \"%s\"\n", e.msg, want);
    CHECK(strcmp(e.msg, want) == 0);
}

/* x two correlated columns on different scales (whitening changes the neighbours), y one column */
static void correlated_sample(int n, double *x, double *y, int *labels) {
    rng_t r;
    rng_seed(&r, 11);
    for (int i = 0; i < n; i++) {
        double a = rng_normal(&r);
        x[2 * i] = a;
        x[2 * i + 1] = 10.0 * a + 3.0 * rng_normal(&r);
        y[i] = a + 0.5 * rng_normal(&r);
        labels[i] = a > 0.4 ? 2 : a > -0.4;
    }
}

static double mean_of(const double *t, int n) {
    double s = 0;
    for (int i = 0; i < n; i++) s += t[i];
    return s / n;
}

/* The flags against what the functions do: k read (N > k required) or ignored, whitening and z-scoring done or
 * ignored, and the per-point terms (for the MI and the label MI) averaging to the estimate. */
TEST(estimator_flags_match_what_the_functions_do) {
    const int n = 300;
    double *x = malloc(n * 2 * sizeof(double)), *y = malloc(n * sizeof(double)), *terms = malloc(n * sizeof(double));
    int *labels = malloc(n * sizeof(int));
    correlated_sample(n, x, y, labels);
    for (int k = 0; k < EST_COUNT; k++) {
        const estimator_traits *t = estimator_get((estimator_kind)k);
        if (!t->mi) continue; /* a layer row is checked where its data are */
        gi_err e;
        mi_estimator base = {.kind = (estimator_kind)k, .k = 3}, all_k = base, whitened = base, zscored = base;
        all_k.k = n; /* (wkl in few dimensions uses the nearest neighbour alone: k shows in N > k) */
        whitened.rescale = 1;
        zscored.standardize = 1;
        estimate a = {0}, b = {0}, c = {0}, z = {0};
        CHECK(mi_estimate(&base, x, 2, y, 1, n, &a, &e) == 0);
        int rc = mi_estimate(&all_k, x, 2, y, 1, n, &b, &e);
        CHECK(t->uses_k ? rc != 0 : rc == 0 && a.value == b.value && a.stderr_ == b.stderr_);
        CHECK(mi_estimate(&whitened, x, 2, y, 1, n, &c, &e) == 0);
        CHECK(t->rescale_allowed ? a.value != c.value : a.value == c.value && a.stderr_ == c.stderr_);
        CHECK(mi_estimate(&zscored, x, 2, y, 1, n, &z, &e) == 0); /* x's columns: scales 1 and 10 */
        CHECK(t->standardize_allowed ? a.value != z.value : a.value == z.value && a.stderr_ == z.stderr_);
        if (t->entropy) {
            estimate h = {0};
            CHECK(t->entropy(x, n, 2, &base, &h, &e) == 0 && isfinite(h.value));
        }
        if (t->per_point) {
            estimate p = {0, 0, terms};
            CHECK(mi_estimate(&base, x, 2, y, 1, n, &p, &e) == 0 && p.value == a.value);
            CHECK_CLOSE(mean_of(terms, n), p.value, 1e-10, 1e-10);
        }
        if (t->handles_labels) {
            estimate l = {0, 0, t->per_point ? terms : NULL};
            CHECK(mi_estimate_classes(&base, x, 2, labels, n, &l, &e) == 0 && isfinite(l.value));
            if (t->per_point) CHECK_CLOSE(mean_of(terms, n), l.value, 1e-10, 1e-10);
        }
    }
    free(x); free(y); free(terms); free(labels);
}
