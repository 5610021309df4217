#include "nn/optim.h"
#include <float.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include "util/err.h"
#ifdef _OPENMP
#include <omp.h>
#endif
#ifdef __AVX512F__
#include <immintrin.h>
#endif

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
    #pragma omp parallel
    {
#ifdef _OPENMP
        size_t t = (size_t)omp_get_thread_num(), nt = (size_t)omp_get_num_threads();
#else
        size_t t = 0, nt = 1;
#endif
        /* thread blocks of whole 16-float vectors */
        size_t nv = n / 16, lo = 16 * (nv * t / nt), hi = t + 1 == nt ? n : 16 * (nv * (t + 1) / nt), i = lo;
#ifdef __AVX512F__
        /* sqrt and division are the bottleneck of this loop: approximate reciprocal square root
         * and reciprocal (14 bits) refined by one Newton step each, about 1e-7 relative error */
        const __m512 vb1 = _mm512_set1_ps(b1), vb2 = _mm512_set1_ps(b2), vdecay = _mm512_set1_ps(decay);
        const __m512 vl2 = _mm512_set1_ps(l2), v1b1 = _mm512_set1_ps(1.0f - b1), v1b2 = _mm512_set1_ps(1.0f - b2);
        const __m512 vstep = _mm512_set1_ps(step_size), vbc2 = _mm512_set1_ps(inv_sqrt_bc2), veps = _mm512_set1_ps(eps);
        const __m512 vmin_normal = _mm512_set1_ps(FLT_MIN);
        const __m512 half = _mm512_set1_ps(0.5f), three_halves = _mm512_set1_ps(1.5f), two = _mm512_set1_ps(2.0f);
        for (; i + 16 <= hi; i += 16) {
            __m512 p = _mm512_loadu_ps(params + i), g = _mm512_loadu_ps(grads + i);
            g = _mm512_fmadd_ps(vl2, p, g);
            __m512 mi = _mm512_fmadd_ps(vb1, _mm512_loadu_ps(m + i), _mm512_mul_ps(v1b1, g));
            __m512 vi = _mm512_fmadd_ps(vb2, _mm512_loadu_ps(v + i), _mm512_mul_ps(_mm512_mul_ps(v1b2, g), g));
            _mm512_storeu_ps(m + i, mi);
            _mm512_storeu_ps(v + i, vi);
            __m512 y = _mm512_rsqrt14_ps(vi);
            y = _mm512_mul_ps(y, _mm512_fnmadd_ps(_mm512_mul_ps(half, vi), _mm512_mul_ps(y, y), three_halves));
            /* rsqrt14 of a subnormal v is inf: there sqrt(v) < 1.1e-19 is negligible beside eps, so take 0 */
            __m512 sq = _mm512_maskz_mul_ps(_mm512_cmp_ps_mask(vi, vmin_normal, _CMP_GE_OQ), vi, y);
            __m512 d = _mm512_fmadd_ps(sq, vbc2, veps);
            __m512 r = _mm512_rcp14_ps(d);
            r = _mm512_mul_ps(r, _mm512_fnmadd_ps(d, r, two));
            p = _mm512_fnmadd_ps(_mm512_mul_ps(vstep, mi), r, _mm512_mul_ps(p, vdecay));
            _mm512_storeu_ps(params + i, p);
        }
#endif
        for (; i < hi; i++) {
            float p = params[i] * decay;
            float g = grads[i] + l2 * params[i];
            m[i] = b1 * m[i] + (1.0f - b1) * g;
            v[i] = b2 * v[i] + (1.0f - b2) * g * g;
            params[i] = p - step_size * m[i] / (sqrtf(v[i]) * inv_sqrt_bc2 + eps);
        }
    }
}
