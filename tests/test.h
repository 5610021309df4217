/* test.h — a tiny test harness. TEST(name) { ... } registers itself at load time;
 * the runner (tests/main.c) runs every test (or those whose name contains argv[1])
 * and ends with "unit: N passed, N failed". Float checks use |a-b| <= atol + rtol*|ref|. */
#ifndef GI_TEST_H
#define GI_TEST_H
#include <math.h>
#include <stdio.h>
#include <string.h>

typedef void (*test_fn)(int *failures);
void test_register(const char *name, const char *file, test_fn fn);

#define TEST(name)                                                                 \
    static void name(int *failures);                                               \
    __attribute__((constructor)) static void register_##name(void) {               \
        test_register(#name, __FILE__, name);                                      \
    }                                                                              \
    static void name(int *failures)

#define CHECK(cond)                                                                \
    do {                                                                           \
        if (!(cond)) {                                                             \
            fprintf(stderr, "  %s:%d: CHECK failed: %s\n", __FILE__, __LINE__, #cond); \
            (*failures)++;                                                         \
        }                                                                          \
    } while (0)

/* |a - ref| <= atol + rtol*|ref|; prints both values and the excess on failure. */
#define CHECK_CLOSE(a, ref, atol, rtol)                                            \
    do {                                                                           \
        double a_ = (double)(a), r_ = (double)(ref);                               \
        double tol_ = (atol) + (rtol) * fabs(r_);                                  \
        if (!(fabs(a_ - r_) <= tol_)) {                                            \
            fprintf(stderr, "  %s:%d: %s = %.10g, expected %s = %.10g (|diff| %.3g > tol %.3g)\n", \
                    __FILE__, __LINE__, #a, a_, #ref, r_, fabs(a_ - r_), tol_);    \
            (*failures)++;                                                         \
        }                                                                          \
    } while (0)

#define CHECK_STR_CONTAINS(hay, needle)                                            \
    do {                                                                           \
        const char *h_ = (hay), *n_ = (needle);                                    \
        if (!h_ || !strstr(h_, n_)) {                                              \
            fprintf(stderr, "  %s:%d: \"%s\" does not contain \"%s\"\n", __FILE__, __LINE__, h_ ? h_ : "(null)", n_); \
            (*failures)++;                                                         \
        }                                                                          \
    } while (0)

/* A scratch directory unique to this test process: tests/tmp.PID/name */
const char *test_tmpdir(void);
/* test_tmpdir()/name (four rotating buffers: up to four paths alive at once) */
const char *test_tmp_path(const char *name);
/* writes n bytes to path, aborting the run if it cannot */
void test_write_bytes(const char *path, const void *data, size_t n);
/* the whole file (caller frees), its size in *n; aborts the run if it cannot be read */
unsigned char *test_read_bytes(const char *path, size_t *n);
#endif
