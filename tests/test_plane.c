/* The information plane's settings from the configuration: the seed's keys map onto grokinfo's
 * (method KL -> wkl, k_neighbours -> k, rescale, compression), and grokinfo's own keys win. */
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
