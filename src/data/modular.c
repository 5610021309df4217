/* modular.c — (a ∘ b) mod p as a labelled dataset. */
#include "data/modular.h"
#include <stdlib.h>
#include <string.h>

static int is_prime(int p) {
    if (p < 2) return 0;
    for (int d = 2; d * d <= p; d++)
        if (p % d == 0) return 0;
    return 1;
}

/* b⁻¹ mod p by Fermat (p prime) */
static int inverse_mod(int b, int p) {
    long long r = 1, x = b % p;
    for (int k = p - 2; k > 0; k >>= 1) {
        if (k & 1) r = r * x % p;
        x = x * x % p;
    }
    return (int)r;
}

int dataset_make_modular(int p, const char *op, dataset *out, gi_err *e) {
    memset(out, 0, sizeof *out);
    int kind = !strcmp(op, "add") ? 0 : !strcmp(op, "sub") ? 1 : !strcmp(op, "mul") ? 2 : !strcmp(op, "div") ? 3 : -1;
    if (kind < 0) return gi_fail(e, "data.op: '%s' is not one of add, sub, mul, div", op);
    if (p < 2 || p > 255) return gi_fail(e, "data.p: expected 2..255 (labels are bytes), got %d", p);
    if (kind == 3 && !is_prime(p)) return gi_fail(e, "data.p: division mod %d needs a prime modulus", p);
    int n = kind == 3 ? p * (p - 1) : p * p;
    out->n = n;
    out->dim = 2 * p;
    out->n_classes = p;
    out->x = gi_calloc((size_t)n * out->dim, sizeof(float));
    out->y = gi_malloc((size_t)n);
    int i = 0;
    for (int a = 0; a < p; a++)
        for (int b = 0; b < p; b++) {
            if (kind == 3 && b == 0) continue;
            int c = kind == 0 ? (a + b) % p
                  : kind == 1 ? ((a - b) % p + p) % p
                  : kind == 2 ? (int)((long long)a * b % p)
                              : (int)((long long)a * inverse_mod(b, p) % p);
            out->x[(size_t)i * out->dim + a] = 1.0f;
            out->x[(size_t)i * out->dim + p + b] = 1.0f;
            out->y[i++] = (uint8_t)c;
        }
    return 0;
}
