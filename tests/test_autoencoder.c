/* The X autoencoder: gradients of a network with mixed widths and activations against finite
 * differences; training shrinks the reconstruction error of data on a 2-D manifold well below
 * the best constant's; the file round-trips bit for bit, a corrupt one is refused, and the cache
 * trains once. */
#include <stdlib.h>
#include <unistd.h>
#include <zlib.h>
#include "run/ae_cache.h"
#include "util/rng.h"
#include "test.h"
#ifdef _OPENMP
#include <omp.h>
#endif

/* loss = ½ Σ out², so dlogits = out */
static double half_sq(mlp *m, mlp_acts *acts, const mlp_input *in) {
    mlp_forward(m, in, NULL, acts);
    double s = 0;
    const float *o = acts->a[m->n_layers - 1];
    for (int i = 0; i < in->rows * m->dims[m->n_layers]; i++) s += 0.5 * (double)o[i] * o[i];
    return s;
}

/* a gi_sink that keeps up to two lines */
typedef struct { char (*lines)[600]; int *n; } line_log;
static void keep_line(void *ctx, const char *line) {
    line_log *l = ctx;
    if (*l->n < 2) snprintf(l->lines[*l->n], 600, "%s", line);
    (*l->n)++;
}

TEST(ae_mixed_widths_and_activations_gradient) {
    enum { ROWS = 5 };
    int dims[5] = {7, 6, 3, 5, 7};
    activation acts[4] = {ACT_TANH, ACT_SIGMOID, ACT_GELU, ACT_IDENTITY};
    mlp m;
    CHECK(mlp_create_dims(&m, 4, dims, acts, 1) == 0);
    CHECK(m.act[3] == ACT_IDENTITY && m.act[1] == ACT_SIGMOID);
    rng_t r;
    rng_seed(&r, 5);
    mlp_init_torch(&m, &r, 1.5f);
    float x[ROWS * 7];
    for (int i = 0; i < ROWS * 7; i++) x[i] = (float)rng_normal(&r);
    mlp_input in = {.rows = ROWS, .dense = x};
    mlp_acts a;
    mlp_acts_create(&a, &m, ROWS);
    half_sq(&m, &a, &in);
    for (int i = 0; i < ROWS * 7; i++) a.dlogits[i] = a.a[3][i];
    memset(m.grads, 0, m.n_params * sizeof(float));
    mlp_backward(&m, &in, &a);
    float *g = malloc(m.n_params * sizeof(float));
    memcpy(g, m.grads, m.n_params * sizeof(float));
    const double h = 1e-2;
    for (size_t i = 0; i < m.n_params; i += 7) {
        float p0 = m.params[i];
        m.params[i] = p0 + (float)h;
        double lp = half_sq(&m, &a, &in);
        m.params[i] = p0 - (float)h;
        double lm = half_sq(&m, &a, &in);
        m.params[i] = p0;
        double fd = (lp - lm) / (2 * h);
        CHECK_CLOSE(g[i], fd, 2e-3, 2e-2);
    }
    free(g);
    mlp_acts_free(&a);
    mlp_free(&m);
}

/* rows = f(u, v) for (u, v) uniform: a 2-D manifold in 20 dimensions, half of it zeros (sparse) */
static float *manifold(int n, int d, uint64_t seed) {
    rng_t r;
    rng_seed(&r, seed);
    float *x = calloc((size_t)n * d, sizeof(float));
    for (int i = 0; i < n; i++) {
        double u = rng_uniform(&r), v = rng_uniform(&r);
        for (int j = 0; j < d / 2; j++) x[(size_t)i * d + j] = (float)(sin(3 * u + j) * v + 0.5 * cos(2 * v * j));
    }
    return x;
}

TEST(ae_training_reconstructs_a_manifold_and_round_trips) {
    const int n = 2000, d = 20;
    float *x = manifold(n, d, 9);
    /* the best constant under L1 is the median; the mean is close enough for a yardstick */
    double mean_l1 = 0;
    for (int j = 0; j < d; j++) {
        double mu = 0;
        for (int i = 0; i < n; i++) mu += x[i * d + j];
        mu /= n;
        for (int i = 0; i < n; i++) mean_l1 += fabs(x[i * d + j] - mu);
    }
    mean_l1 /= (double)n * d;
    ae_options o = {.hidden = 32, .latent = 2, .epochs = 200, .batch = 64, .lr = 3e-3, .latent_noise = 0.01f, .seed = 4};
    autoencoder ae;
    double loss;
    gi_err e;
    CHECK(ae_train(&ae, x, n, d, &o, &loss, &e) == 0);
    double l1 = ae_reconstruction_l1(&ae, x, n);
    CHECK(l1 < 0.35 * mean_l1); /* seen: 0.26 */
    double *code = malloc((size_t)n * 2 * sizeof(double)), *code2 = malloc((size_t)n * 2 * sizeof(double));
    ae_encode(&ae, x, n, code);
    int in_unit = 1;
    for (int i = 0; i < n * 2; i++) in_unit &= code[i] > 0 && code[i] < 1;
    CHECK(in_unit); /* the sigmoid code */
    const char *path = test_tmp_path("ae.bin");
    CHECK(ae_save(&ae, path, &e) == 0);
    autoencoder back;
    CHECK(ae_load(&back, path, &e) == 0);
    ae_encode(&back, x, n, code2);
    CHECK(memcmp(code, code2, (size_t)n * 2 * sizeof(double)) == 0);
    ae_free(&back);
    /* one flipped byte in the parameters: refused by name */
    size_t len;
    unsigned char *bytes = test_read_bytes(path, &len);
    bytes[len / 2] ^= 0x40;
    test_write_bytes(path, bytes, len);
    CHECK(ae_load(&back, path, &e) != 0);
    CHECK_STR_CONTAINS(e.msg, "CRC");
    CHECK_STR_CONTAINS(e.msg, "ae.bin");
    free(bytes);
    /* the cache: trains when the file is corrupt, then loads what it saved */
    int trained = -1;
    autoencoder c1, c2;
    o.epochs = 2;
    char said[2][600] = {"", ""};
    int n_said = 0;
    gi_sink keep = {keep_line, &(line_log){said, &n_said}};
    CHECK(ae_cached(&c1, path, x, n, d, &o, &trained, &keep, &e) == 0 && trained == 1);
    CHECK(n_said == 1); /* the corrupt cache is reported through the caller's sink, once */
    CHECK_STR_CONTAINS(said[0], "CRC");
    CHECK_STR_CONTAINS(said[0], "training it again");
    CHECK(ae_cached(&c2, path, x, n, d, &o, &trained, &keep, &e) == 0 && trained == 0);
    CHECK(n_said == 1);
    CHECK(memcmp(c1.net.params, c2.net.params, c1.net.n_params * sizeof(float)) == 0);
    ae_free(&c1); ae_free(&c2); ae_free(&ae);
    free(code); free(code2); free(x);
}

TEST(ae_codes_do_not_depend_on_the_thread_count) {
    /* the information plane's numbers must be the same bits on 1 and 2 threads */
    const int n = 2500, d = 784; /* MNIST's shapes: OpenBLAS picks its kernels by size */
    float *x = manifold(n, d, 3);
    ae_options o = {.hidden = 256, .latent = 4, .epochs = 2, .batch = 100, .lr = 1e-3, .latent_noise = 0.1f, .seed = 1};
    autoencoder ae;
    double loss;
    gi_err e;
#ifdef _OPENMP
    omp_set_num_threads(2);
#endif
    CHECK(ae_train(&ae, x, n, d, &o, &loss, &e) == 0);
    double *c1 = malloc((size_t)n * 4 * sizeof(double)), *c2 = malloc((size_t)n * 4 * sizeof(double));
#ifdef _OPENMP
    int was = omp_get_max_threads();
    omp_set_num_threads(1);
    ae_encode(&ae, x, n, c1);
    omp_set_num_threads(2);
    ae_encode(&ae, x, n, c2);
    omp_set_num_threads(was);
    CHECK(memcmp(c1, c2, (size_t)n * 4 * sizeof(double)) == 0);
    /* and its training */
    autoencoder one;
    omp_set_num_threads(1);
    CHECK(ae_train(&one, x, n, d, &o, &loss, &e) == 0);
    omp_set_num_threads(was);
    CHECK(memcmp(one.net.params, ae.net.params, ae.net.n_params * sizeof(float)) == 0);
    ae_free(&one);
#endif
    ae_free(&ae);
    free(c1); free(c2); free(x);
}

/* A file whose header claims a huge shape (with a valid CRC) is refused by its size, before any
 * allocation of that shape: fuzz/fuzz_autoencoder.c reaches this. */
TEST(ae_load_checks_the_size_before_allocating) {
    uint8_t b[32 + 4] = "GRKAENC\x1a";
    uint32_t version = 1, d = 1u << 20, hidden = 1u << 16, latent = 1u << 10;
    uint64_t n_params = 2ull * d * hidden + 2ull * hidden * latent + 2ull * hidden + latent + d;
    memcpy(b + 8, &version, 4); memcpy(b + 12, &d, 4); memcpy(b + 16, &hidden, 4); memcpy(b + 20, &latent, 4);
    memcpy(b + 24, &n_params, 8);
    uint32_t crc = (uint32_t)crc32(0L, b, 32);
    memcpy(b + 32, &crc, 4);
    const char *path = test_tmp_path("ae_huge.bin");
    test_write_bytes(path, b, sizeof b);
    autoencoder ae;
    gi_err e = {{0}};
    CHECK(ae_load(&ae, path, &e) == -1);
    CHECK_STR_CONTAINS(e.msg, "ae_huge.bin: autoencoder size does not match its shape");
}
