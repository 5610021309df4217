/* api_plane.c — one point of the information plane on given arrays (include/grokinfo.h): the
 * layer (single precision, as a run measures it) with the training noise added, compressed, then
 * I(X;L) against X's code and I(L;Y) against the labels, as measure/infoplane.h; or, for the
 * noise-model estimator, the whole noiseless layer with its σ (measure/noise_model.h). */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "api/api.h"
#include "measure/flags.h"
#include "measure/infoplane.h"
#include "measure/mi.h"
#include "util/clock.h"
#include "util/rng.h"

void grokinfo_plane_options_init(grokinfo_plane_options *o) {
    memset(o, 0, sizeof *o);
    o->estimator = "wkl";
    o->k = 5;
    o->rescale = -1;
    o->compression = "pca";
    o->dim = 4;
    o->whiten = 1;
}

static int handles_labels(const estimator_traits *t) { return t->handles_labels; }

static void set_flags(const mi_estimator *est, const int *labels, int n, grokinfo_plane_point *out) {
    label_stats ls;
    label_stats_of(labels, n, &ls);
    out->h_y = ls.entropy;
    if (out->ixl_ok) out->flags |= mi_flags_pair(est, out->ixl, out->ixl_err, n);
    if (out->ily_ok) out->flags |= mi_flags_label(est, out->ily, out->ily_err, &ls);
}

static int noise_point(const mi_estimator *est, const double *layer, int width, const int *labels, int n,
                       const grokinfo_plane_options *o, grokinfo_plane_point *out, grokinfo_error *err) {
    layer_noise ln = {.sigma = o->sigma, .sigma_rel = 0.0, .key = o->seed};
    layer_mi r;
    gi_err why;
    if (estimator_get(est->kind)->layer(est, layer, width, labels, n, &ln, &r, &why)) {
        out->ixl = out->ily = NAN;
        api_fail(err, GROKINFO_OK, &why);
        return GROKINFO_OK;
    }
    out->ixl = r.ixl.value; out->ixl_err = r.ixl.stderr_;
    out->ily = r.ily.value; out->ily_err = r.ily.stderr_;
    out->ixl_ok = isfinite(out->ixl);
    out->ily_ok = isfinite(out->ily);
    out->dl = width;
    set_flags(est, labels, n, out);
    return api_ok(err);
}

int grokinfo_plane(const double *x_code, int n, int dx, const double *layer, int width, const int *labels,
                   const grokinfo_plane_options *o, grokinfo_plane_point *out, grokinfo_error *err) {
    if (!o || !out) return api_failf(err, GROKINFO_E_ARG, "infoplane: NULL options or result");
    memset(out, 0, sizeof *out);
    out->ixl = out->ixl_err = out->ily = out->ily_err = out->h_y = NAN;
    const char *name = o->estimator ? o->estimator : "wkl";
    mi_estimator est;
    int rc = api_estimator(name, o->k, o->rescale, handles_labels, &est, err);
    if (rc) return rc;
    const estimator_traits *t = estimator_get(est.kind);
    if (!(o->sigma >= 0.0) || !isfinite(o->sigma)) return api_failf(err, GROKINFO_E_ARG, "sigma: %g is not a finite σ >= 0", o->sigma);
    if ((rc = api_check_array(layer, n, width, "layer", err))) return rc;
    if (!labels) return api_failf(err, GROKINFO_E_ARG, "labels: NULL array");
    out->n = n;
    double t0 = now_s();
    if (t->layer) {
        if (!(o->sigma > 0.0)) return api_failf(err, GROKINFO_E_ARG, "estimator '%s' needs the noise: sigma > 0", name);
        rc = noise_point(&est, layer, width, labels, n, o, out, err);
        out->seconds = now_s() - t0;
        return rc;
    }
    if ((rc = api_check_array(x_code, n, dx, "x_code", err))) return rc;
    layer_compression comp;
    const char *cname = o->compression ? o->compression : "pca";
    if (strcmp(cname, "pca") == 0) comp = LAYER_PCA;
    else if (strcmp(cname, "first_coords") == 0) comp = LAYER_FIRST_COORDS;
    else return api_failf(err, GROKINFO_E_ARG, "compression: '%s' is not one of pca, first_coords", cname);
    if (o->dim < 1) return api_failf(err, GROKINFO_E_ARG, "dim: %d is not >= 1", o->dim);
    uint8_t *y8 = gi_malloc((size_t)n);
    for (int i = 0; i < n; i++) {
        if (labels[i] < 0 || labels[i] > 255) {
            free(y8);
            return api_failf(err, GROKINFO_E_ARG, "labels: %d at row %d (the plane takes labels 0..255)", labels[i], i);
        }
        y8[i] = (uint8_t)labels[i];
    }
    infoplane_options io = {.est = est, .compression = comp, .dim = o->dim, .whiten = o->whiten != 0};
    infoplane_subset s;
    gi_err why;
    if (infoplane_subset_create(&s, &io, x_code, dx, y8, n, o->seed, &why)) {
        free(y8);
        return api_fail(err, GROKINFO_E_ARG, &why);
    }
    free(y8);
    float *l = gi_malloc((size_t)n * width * sizeof(float));
    for (size_t i = 0; i < (size_t)n * width; i++) l[i] = (float)layer[i];
    if (o->sigma > 0.0) noise_add(l, (size_t)n * width, (float)o->sigma, noise_key(o->seed, STREAM_EVAL_NOISE, 0, 0), 0);
    infoplane_point p;
    why.msg[0] = '\0';
    rc = infoplane_measure(&s, l, width, 0, &p, &why);
    free(l);
    infoplane_subset_free(&s);
    if (rc) return api_fail(err, GROKINFO_E_ARG, &why);
    out->ixl_ok = p.ok_ixl;
    out->ily_ok = p.ok_ily;
    out->ixl = p.ok_ixl ? p.ixl : NAN;
    out->ixl_err = p.ok_ixl ? p.ixl_err : NAN;
    out->ily = p.ok_ily ? p.ily : NAN;
    out->ily_err = p.ok_ily ? p.ily_err : NAN;
    out->dx = p.dx;
    out->dl = p.dl;
    set_flags(&est, labels, n, out);
    out->seconds = now_s() - t0;
    api_ok(err);
    if (err && (!p.ok_ixl || !p.ok_ily)) snprintf(err->msg, sizeof err->msg, "%s", why.msg);
    return GROKINFO_OK;
}
