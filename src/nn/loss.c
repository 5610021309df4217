#include "nn/loss.h"
#include <math.h>
#include <string.h>

int loss_from_name(const char *name, loss_kind *out) {
    if (strcmp(name, "MSE") == 0) { *out = LOSS_MSE; return 0; }
    if (strcmp(name, "CrossEntropy") == 0) { *out = LOSS_CROSS_ENTROPY; return 0; }
    return -1;
}

static int argmax(const float *v, int C) {
    int best = 0; /* first maximum, as torch.argmax */
    for (int c = 1; c < C; c++) if (v[c] > v[best]) best = c;
    return best;
}

/* Σ exp(v - max v) with float exponentials (each exact to an ulp or so: the terms are in
 * (0, 1]) summed in double; *mx gets max v. Full-batch cross-entropy spends its time here. */
static double sum_exp_shifted(const float *v, int C, float *mx) {
    float m = v[0];
    for (int c = 1; c < C; c++) m = v[c] > m ? v[c] : m;
    double s = 0.0;
    for (int c = 0; c < C; c++) s += expf(v[c] - m);
    *mx = m;
    return s;
}

/* Rows in parallel, each row's loss into row_loss; the sum is then taken in row order so that
 * the result does not depend on the thread count. */
loss_stats loss_forward(loss_kind kind, const float *logits, const uint8_t *labels, int rows, int C) {
    loss_stats st = {0.0, 0};
    enum { BLOCK = 256 };
    double block_sum[BLOCK];
    int block_correct[BLOCK];
    for (int r0 = 0; r0 < rows; r0 += BLOCK) {
        int n = rows - r0 < BLOCK ? rows - r0 : BLOCK;
        #pragma omp parallel for schedule(static) if (n * C > 4096)
        for (int i = 0; i < n; i++) {
            const float *o = logits + (size_t)(r0 + i) * C;
            int y = labels[r0 + i];
            block_correct[i] = argmax(o, C) == y;
            double l = 0.0;
            if (kind == LOSS_MSE) {
                for (int c = 0; c < C; c++) {
                    double d = (double)o[c] - (c == y ? 1.0 : 0.0);
                    l += d * d;
                }
            } else {
                float mx;
                double s = sum_exp_shifted(o, C, &mx);
                l = (double)mx + log(s) - (double)o[y];
            }
            block_sum[i] = l;
        }
        for (int i = 0; i < n; i++) { st.sum += block_sum[i]; st.correct += block_correct[i]; }
    }
    return st;
}

double loss_mean(loss_kind kind, loss_stats s, int rows, int C) {
    return kind == LOSS_MSE ? s.sum / ((double)rows * C) : s.sum / rows;
}

void loss_backward(loss_kind kind, const float *logits, const uint8_t *labels, int rows, int C,
                   float *dlogits) {
    #pragma omp parallel for schedule(static) if (rows * C > 4096)
    for (int r = 0; r < rows; r++) {
        const float *o = logits + (size_t)r * C;
        float *g = dlogits + (size_t)r * C;
        int y = labels[r];
        if (kind == LOSS_MSE) {
            float scale = 2.0f / ((float)rows * C);
            for (int c = 0; c < C; c++) g[c] = scale * (o[c] - (c == y ? 1.0f : 0.0f));
        } else {
            float mx, inv_rows = 1.0f / (float)rows;
            double s = sum_exp_shifted(o, C, &mx);
            float inv_s = (float)(1.0 / s);
            for (int c = 0; c < C; c++) g[c] = expf(o[c] - mx) * inv_s * inv_rows;
            g[y] -= inv_rows;
        }
    }
}
