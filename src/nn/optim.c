#include "optim.h"
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include "util/err.h"

int optim_from_name(const char *name, optim_kind *out) {
    if (strcmp(name, "AdamW") == 0) { *out = OPT_ADAMW; return 0; }
    if (strcmp(name, "Adam") == 0) { *out = OPT_ADAM; return 0; }
    if (strcmp(name, "SGD") == 0) { *out = OPT_SGD; return 0; }
    return -1;
}

void optim_create(optim *o, optim_kind kind, size_t n_params, double lr, double weight_decay,
                  double beta1, double beta2, double eps, double momentum) {
    memset(o, 0, sizeof *o);
    o->kind = kind; o->lr = lr; o->weight_decay = weight_decay;
    o->beta1 = beta1; o->beta2 = beta2; o->eps = eps; o->momentum = momentum;
    o->n = n_params;
    float *mem = gi_calloc(2 * n_params, sizeof(float));
    o->m = mem;
    o->v = mem + n_params;
}

void optim_free(optim *o) {
    free(o->m);
    memset(o, 0, sizeof *o);
}

void optim_step(optim *o, float *params, const float *grads) {
    o->t++;
    const size_t n = o->n;
    float *m = o->m, *v = o->v;
    if (o->kind == OPT_SGD) {
        const float lr = (float)o->lr, wd = (float)o->weight_decay, mu = (float)o->momentum;
        #pragma omp parallel for simd schedule(static)
        for (size_t i = 0; i < n; i++) {
            float g = grads[i] + wd * params[i];
            if (mu != 0.0f) { m[i] = (o->t == 1) ? g : mu * m[i] + g; g = m[i]; }
            params[i] -= lr * g;
        }
        return;
    }
    /* as torch: step_size = lr / (1 - b1^t); denom = sqrt(v) / sqrt(1 - b2^t) + eps */
    const double bc1 = 1.0 - pow(o->beta1, (double)o->t), bc2 = 1.0 - pow(o->beta2, (double)o->t);
    const float step_size = (float)(o->lr / bc1), inv_sqrt_bc2 = (float)(1.0 / sqrt(bc2));
    const float b1 = (float)o->beta1, b2 = (float)o->beta2, eps = (float)o->eps;
    const float decay = o->kind == OPT_ADAMW ? (float)(1.0 - o->lr * o->weight_decay) : 1.0f;
    const float l2 = o->kind == OPT_ADAM ? (float)o->weight_decay : 0.0f;
    #pragma omp parallel for simd schedule(static)
    for (size_t i = 0; i < n; i++) {
        float p = params[i] * decay;
        float g = grads[i] + l2 * params[i];
        m[i] = b1 * m[i] + (1.0f - b1) * g;
        v[i] = b2 * v[i] + (1.0f - b2) * g * g;
        params[i] = p - step_size * m[i] / (sqrtf(v[i]) * inv_sqrt_bc2 + eps);
    }
}
