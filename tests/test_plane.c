/* The information plane's settings from the configuration: the seed's keys map onto grokinfo's
 * (method KL -> wkl, k_neighbours -> k, rescale, compression), and grokinfo's own keys win. */
#include <stdlib.h>
#include "run/plane.h"
#include "test.h"

TEST(plane_options_from_the_seed_keys_and_ours) {
    gi_config c;
    gi_err e;
    infoplane_options o;
    config_defaults(&c);
    CHECK(plane_options(&c, &o, &e) == 0);
    CHECK(o.est.kind == EST_WKL && o.est.k == 20 && o.est.rescale == 1);
    CHECK(o.compression == LAYER_PCA && o.dim == 4 && o.whiten == 1 && o.n_projections == 1000);
    CHECK(config_override(&c, "mi.entropy_estimator_params.method=KDE", &e) == 0);
    CHECK(config_override(&c, "mi.entropy_estimator_params.functional_params.k_neighbours=7", &e) == 0);
    CHECK(config_override(&c, "mi.compression=first_coords", &e) == 0);
    CHECK(config_override(&c, "ae.L_latent_dim=3", &e) == 0);
    CHECK(plane_options(&c, &o, &e) == 0);
    CHECK(o.est.kind == EST_KDE && o.est.k == 7 && o.compression == LAYER_FIRST_COORDS && o.dim == 3);
    CHECK(config_override(&c, "mi.estimator=ksg", &e) == 0 && config_override(&c, "mi.k=5", &e) == 0);
    CHECK(config_override(&c, "mi.compression=smi", &e) == 0);
    CHECK(config_override(&c, "mi.entropy_estimator_params.rescale=false", &e) == 0);
    CHECK(plane_options(&c, &o, &e) == 0);
    CHECK(o.est.kind == EST_KSG && o.est.k == 5 && o.est.rescale == 0 && o.compression == LAYER_SLICED);
    CHECK(config_override(&c, "mi.compression=autoencoders", &e) == 0); /* the seed's spelling: layers by pca */
    CHECK(plane_options(&c, &o, &e) == 0 && o.compression == LAYER_PCA);
    CHECK(config_override(&c, "mi.estimator=wkl", &e) == 0 && config_override(&c, "mi.entropy_estimator_params.rescale=true", &e) == 0);
    CHECK(plane_options(&c, &o, &e) == 0 && o.est.rescale == 1);
    CHECK(config_override(&c, "mi.estimator=ksg", &e) == 0);
    CHECK(plane_options(&c, &o, &e) == 0 && o.est.rescale == 0); /* whitening applies to wkl and kde only */
    CHECK(config_override(&c, "mi.estimator=nope", &e) != 0);
    CHECK_STR_CONTAINS(e.msg, "mi.estimator");
    /* a struct set by hand, past config_set: the same message, from the estimator table */
    snprintf(c.mi.estimator, sizeof c.mi.estimator, "nope");
    CHECK(plane_options(&c, &o, &e) != 0);
    CHECK_STR_CONTAINS(e.msg, "mi.estimator: 'nope' is not one of auto, ksg, kl, wkl, wkl-pooled, kde, gauss, gcmi, noise");
}

/* A plane's rows of one evaluation as text (mi.csv's rows and mi_redraws.csv's). */
static void measure_text(plane *p, trainer *t, char **rows, char **draws, int *failures) {
    size_t n = 0, nd = 0;
    FILE *f = open_memstream(rows, &n), *g = open_memstream(draws, &nd);
    gi_err e = {""};
    CHECK(plane_measure(p, t, f, g, &e) == 0);
    if (e.msg[0]) fprintf(stderr, "  %s\n", e.msg);
    fclose(f);
    fclose(g);
}

/* the i-th comma-separated field of a line (0-based) as a number, NaN when empty */
static double field(const char *line, int i) {
    for (; i > 0 && line; i--) line = strchr(line, ',') ? strchr(line, ',') + 1 : NULL;
    if (!line || *line == ',' || *line == '\n' || !*line) return NAN;
    return strtod(line, NULL);
}

/* mi.noise_redraws on the modular task (no data files; the layer noise switched on): the seed's
 * columns are what a plane without redraws writes, on the same captured layers, which the redraws
 * leave as they were (a second plane reads them after); the redraws are reproducible, they move
 * every estimate a little (sd > 0), mi_redraws.csv holds draw 0 (the original) and draws 1..R, whose
 * mean and sd are mi.csv's; and the half-subset estimates are there. */
TEST(plane_noise_redraws_spread_and_half_leave_the_seed_columns) {
    gi_config c;
    gi_err e = {""};
    config_defaults(&c);
    CHECK(config_load_file(&c, "configs/modular.yaml", &e) == 0);
    const char *set[] = {"data.p=31", "model.width=16", "model.noise=true", "mi.enabled=true", "mi.x_compression=pca",
                         "mi.estimator=ksg", "mi.k=3", "oinfo.enabled=false"};
    for (size_t i = 0; i < sizeof set / sizeof *set; i++) CHECK(config_override(&c, set[i], &e) == 0);
    trainer t;
    if (trainer_create(&t, &c, "data/mnist", &e)) { CHECK(!"trainer_create"); fprintf(stderr, "  %s\n", e.msg); return; }
    for (int i = 0; i < 3; i++) CHECK(trainer_step(&t, &e) == 0);
    const int R = 3, L = t.model.n_layers;
    plane with[2], without;
    t.cfg.mi.noise_redraws = R;
    t.cfg.mi.noise_redraws_from = 0; /* (measured at step 3, before the default's 30) */
    CHECK(plane_create(&with[0], &t, NULL, ".", NULL, &e) == 0 && plane_create(&with[1], &t, NULL, ".", NULL, &e) == 0);
    t.cfg.mi.noise_redraws = 0;
    CHECK(plane_create(&without, &t, NULL, ".", NULL, &e) == 0);
    CHECK(with[0].half[SUBSET_TRAIN].n == t.sets[SUBSET_TRAIN].n / 2 && with[0].half[SUBSET_EVAL].n == t.sets[SUBSET_EVAL].n / 2);
    metrics_row row;
    trainer_evaluate(&t, &row);
    char *rows[3], *draws[3];
    measure_text(&with[0], &t, &rows[0], &draws[0], failures);
    measure_text(&without, &t, &rows[2], &draws[2], failures);
    measure_text(&with[1], &t, &rows[1], &draws[1], failures);
    CHECK(strcmp(rows[0], rows[1]) == 0 && strcmp(draws[0], draws[1]) == 0); /* reproducible */
    CHECK(draws[2][0] == '\0');                                             /* no redraws, no values per draw */
    int n_rows = 0, n_draws = 0;
    const char *a = rows[0], *b = rows[2], *d = draws[0];
    for (; *a && *b; a = strchr(a, '\n') + 1, b = strchr(b, '\n') + 1, n_rows++) {
        /* the first 11 columns equal; the flags the same but for half_drift; then 0 and six empty fields */
        const char *a12 = a, *b12 = b;
        for (int k = 0; k < 11; k++) a12 = strchr(a12, ',') + 1, b12 = strchr(b12, ',') + 1;
        CHECK(a12 - a == b12 - b && strncmp(a, b, (size_t)(a12 - a)) == 0);
        unsigned fa = 0, fb = 0;
        char flags[256];
        snprintf(flags, sizeof flags, "%.*s", (int)strcspn(a12, ","), a12);
        fa = mi_flags_parse(flags);
        snprintf(flags, sizeof flags, "%.*s", (int)strcspn(b12, ","), b12);
        fb = mi_flags_parse(flags);
        CHECK((fa & ~MI_FLAG_BIT(MI_FLAG_HALF_DRIFT)) == fb);
        CHECK(strncmp(b12 + strcspn(b12, ","), ",0,,,,,,\n", 9) == 0);
        CHECK(field(a, 12) == R);
        double ixl_mean = field(a, 13), ixl_sd = field(a, 14), ily_mean = field(a, 15), ily_sd = field(a, 16);
        CHECK(ixl_sd > 0 && ily_sd > 0 && ixl_sd < 0.2 && ily_sd < 0.2);
        CHECK(isfinite(field(a, 17)) && isfinite(field(a, 18)));
        /* its R + 1 draws in mi_redraws.csv: draw 0 the row's own estimate, the mean and sd theirs */
        double v[2][8], sum[2] = {0, 0};
        for (int r = 0; r <= R; r++, d = strchr(d, '\n') + 1, n_draws++) {
            CHECK(strncmp(d, a, strcspn(a, ",") + 1) == 0 && field(d, 3) == r && field(d, 2) == field(a, 2));
            v[0][r] = field(d, 4), v[1][r] = field(d, 5);
            sum[0] += v[0][r], sum[1] += v[1][r];
        }
        CHECK(v[0][0] == field(a, 3) && v[1][0] == field(a, 5));
        CHECK_CLOSE(ixl_mean, sum[0] / (R + 1), 1e-8, 1e-8);
        CHECK_CLOSE(ily_mean, sum[1] / (R + 1), 1e-8, 1e-8);
        double ss = 0;
        for (int r = 0; r <= R; r++) ss += (v[0][r] - sum[0] / (R + 1)) * (v[0][r] - sum[0] / (R + 1));
        CHECK_CLOSE(ixl_sd, sqrt(ss / R), 1e-7, 1e-6);
    }
    CHECK(n_rows == 2 * L && n_draws == 2 * L * (R + 1) && !*a && !*b && !*d);
    for (int i = 0; i < 3; i++) { free(rows[i]); free(draws[i]); }
    plane_free(&with[1], &t);
    plane_free(&without, &t);
    plane_free(&with[0], &t);
    trainer_free(&t);
}
