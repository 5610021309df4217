/* bench/sgemm.c — cblas_sgemm throughput on this machine, the ceiling grokinfo is compared to.
 * Shape convention: row-major C[M,N] = A[M,K] · B[N,K]ᵀ (a Linear layer's forward, weights [out,in]).
 * Shapes: 2048³, and 200x784x200 (batch 200 through the first 784->200 layer).
 * Each shape: warm up, then REPS repetitions, each calling sgemm until >= 0.5 s have elapsed; best rate.
 * Threads come from OPENBLAS_NUM_THREADS (run.sh runs this once per thread count).
 * Output, one "key value" per line (parsed by bench/run.sh):
 *   core <openblas core>, config <openblas config>, threads <n>, gflops_<M>x<K>x<N> <best GFLOP/s>
 * Build: cc -O2 -march=native bench/sgemm.c -lopenblas -o build/bench_sgemm */
#define _POSIX_C_SOURCE 200809L
#include <cblas.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

enum { REPS = 5 };
static const double MIN_REP_S = 0.5;

static double now(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + 1e-9 * (double)ts.tv_nsec;
}

static void run(const float *A, const float *B, float *C, int M, int K, int N, long iters) {
    for (long i = 0; i < iters; i++)
        cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasTrans, M, N, K, 1.0f, A, K, B, K, 0.0f, C, N);
}

static void bench(int M, int K, int N) {
    size_t na = (size_t)M * K, nb = (size_t)N * K, nc = (size_t)M * N;
    float *A = malloc(na * sizeof *A), *B = malloc(nb * sizeof *B), *C = malloc(nc * sizeof *C);
    if (!A || !B || !C) { fprintf(stderr, "sgemm: out of memory\n"); exit(1); }
    unsigned s = 12345u;  /* deterministic values in [-1, 1) */
    for (size_t i = 0; i < na; i++) { s = s * 1664525u + 1013904223u; A[i] = (float)(s >> 8) / 8388608.0f - 1.0f; }
    for (size_t i = 0; i < nb; i++) { s = s * 1664525u + 1013904223u; B[i] = (float)(s >> 8) / 8388608.0f - 1.0f; }
    run(A, B, C, M, K, N, 3);  /* warm up: thread pool, page faults, caches */
    double best = 0.0;           /* each rep calls sgemm until >= MIN_REP_S has elapsed */
    long iters = 0;
    for (int r = 0; r < REPS; r++) {
        long n = 0;
        double t0 = now(), t;
        do { run(A, B, C, M, K, N, 1); n++; t = now() - t0; } while (t < MIN_REP_S);
        double g = 2.0 * M * K * N * (double)n / t * 1e-9;
        if (g > best) { best = g; iters = n; }
    }
    double gflops = best;
    printf("gflops_%dx%dx%d %.1f\n", M, K, N, gflops);
    fprintf(stderr, "sgemm %dx%dx%d: best rep %ld calls, C[0]=%g\n", M, K, N, iters, (double)C[0]);
    free(A); free(B); free(C);
}

int main(void) {
    printf("core %s\nconfig %s\nthreads %d\n", openblas_get_corename(), openblas_get_config(),
           openblas_get_num_threads());
    fflush(stdout);
    bench(2048, 2048, 2048);
    bench(200, 784, 200);
    return 0;
}
