/* PCA against a case worked by hand and against the definition (orthogonal, decreasing variance). */
#include <stdlib.h>
#include "measure/compress.h"
#include "test.h"
#include "util/rng.h"

TEST(compress_pca_recovers_known_axes) {
    /* x = 3·a·e1' + 1·b·e2' + 0.1·c·e3' in a rotated basis: variances 9, 1, 0.01 */
    const int n = 20000, d = 3;
    rng_t r;
    rng_seed(&r, 3);
    double *x = malloc((size_t)n * d * sizeof(double)), *out = malloc((size_t)n * 2 * sizeof(double));
    double s = 1 / sqrt(2.0);
    double basis[3][3] = {{s, s, 0}, {-s, s, 0}, {0, 0, 1}}; /* rows: the principal axes */
    for (int i = 0; i < n; i++) {
        double z[3] = {3 * rng_normal(&r), rng_normal(&r), 0.1 * rng_normal(&r)};
        for (int a = 0; a < d; a++) x[i * d + a] = 5.0 + z[0] * basis[0][a] + z[1] * basis[1][a] + z[2] * basis[2][a];
    }
    gi_err e;
    CHECK(pca_compress(x, n, d, 2, 0, out, &e) == 0);
    double v0 = 0, v1 = 0, c01 = 0;
    for (int i = 0; i < n; i++) { v0 += out[2 * i] * out[2 * i]; v1 += out[2 * i + 1] * out[2 * i + 1]; c01 += out[2 * i] * out[2 * i + 1]; }
    CHECK_CLOSE(v0 / (n - 1), 9.0, 0, 0.05);
    CHECK_CLOSE(v1 / (n - 1), 1.0, 0, 0.05);
    CHECK_CLOSE(c01 / (n - 1), 0.0, 1e-9, 0); /* exactly uncorrelated in-sample */
    /* the first component is ±(x − mean)·axis0; the sign rule makes the largest loading positive */
    double dot = 0, mean0 = 0, mean1 = 0;
    for (int i = 0; i < n; i++) { mean0 += x[i * d]; mean1 += x[i * d + 1]; }
    mean0 /= n; mean1 /= n;
    for (int i = 0; i < n; i++) dot += out[2 * i] * ((x[i * d] - mean0) * s + (x[i * d + 1] - mean1) * s);
    CHECK(dot > 0);
    CHECK(pca_compress(x, n, d, 2, 1, out, &e) == 0);
    v0 = v1 = 0;
    for (int i = 0; i < n; i++) { v0 += out[2 * i] * out[2 * i]; v1 += out[2 * i + 1] * out[2 * i + 1]; }
    CHECK_CLOSE(v0 / (n - 1), 1.0, 1e-9, 0);
    CHECK_CLOSE(v1 / (n - 1), 1.0, 1e-9, 0);
    CHECK(pca_compress(x, n, d, 4, 0, out, &e) == -1);
    CHECK_STR_CONTAINS(e.msg, "4 components");
    free(x); free(out);
}
