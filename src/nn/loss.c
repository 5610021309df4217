#include "loss.h"
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

/* log Σ exp(v) computed stably in double */
static double logsumexp(const float *v, int C) {
    double mx = v[0], s = 0.0;
    for (int c = 1; c < C; c++) if (v[c] > mx) mx = v[c];
    for (int c = 0; c < C; c++) s += exp((double)v[c] - mx);
    return mx + log(s);
}

loss_stats loss_forward(loss_kind kind, const float *logits, const uint8_t *labels, int rows, int C) {
    loss_stats st = {0.0, 0};
    for (int r = 0; r < rows; r++) {
        const float *o = logits + (size_t)r * C;
        int y = labels[r];
        st.correct += argmax(o, C) == y;
        if (kind == LOSS_MSE) {
            for (int c = 0; c < C; c++) {
                double d = (double)o[c] - (c == y ? 1.0 : 0.0);
                st.sum += d * d;
            }
        } else {
            st.sum += logsumexp(o, C) - (double)o[y];
        }
    }
    return st;
}

double loss_mean(loss_kind kind, loss_stats s, int rows, int C) {
    return kind == LOSS_MSE ? s.sum / ((double)rows * C) : s.sum / rows;
}

void loss_backward(loss_kind kind, const float *logits, const uint8_t *labels, int rows, int C,
                   float *dlogits) {
    for (int r = 0; r < rows; r++) {
        const float *o = logits + (size_t)r * C;
        float *g = dlogits + (size_t)r * C;
        int y = labels[r];
        if (kind == LOSS_MSE) {
            float scale = 2.0f / ((float)rows * C);
            for (int c = 0; c < C; c++) g[c] = scale * (o[c] - (c == y ? 1.0f : 0.0f));
        } else {
            double lse = logsumexp(o, C);
            for (int c = 0; c < C; c++)
                g[c] = (float)((exp((double)o[c] - lse) - (c == y ? 1.0 : 0.0)) / rows);
        }
    }
}
