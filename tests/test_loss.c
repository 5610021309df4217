/* Losses against hand-computed values. */
#include "nn/loss.h"
#include "test.h"

TEST(loss_mse_and_cross_entropy_by_hand) {
    float logits[2 * 3] = {0.5f, 0.0f, 1.0f,   /* label 2: (0.25 + 0 + 0) */
                           2.0f, -1.0f, 0.0f}; /* label 0: (1 + 1 + 0) */
    uint8_t y[2] = {2, 0};
    loss_stats s = loss_forward(LOSS_MSE, logits, y, 2, 3);
    CHECK_CLOSE(loss_mean(LOSS_MSE, s, 2, 3), 2.25 / 6.0, 1e-12, 0);
    CHECK(s.correct == 2);
    float g[6];
    loss_backward(LOSS_MSE, logits, y, 2, 3, g);
    CHECK_CLOSE(g[0], 2 * 0.5 / 6.0, 1e-7, 0);
    CHECK_CLOSE(g[2], 0.0, 1e-7, 0);
    CHECK_CLOSE(g[3], 2 * 1.0 / 6.0, 1e-7, 0);
    /* CE row 1: log(e^.5 + 1 + e) - 1 = 0.68027; row 2: log(e^2 + e^-1 + 1) - 2 = 0.1698 */
    s = loss_forward(LOSS_CROSS_ENTROPY, logits, y, 2, 3);
    double r1 = log(exp(0.5) + 1 + exp(1.0)) - 1.0, r2 = log(exp(2.0) + exp(-1.0) + 1) - 2.0;
    CHECK_CLOSE(loss_mean(LOSS_CROSS_ENTROPY, s, 2, 3), (r1 + r2) / 2, 1e-9, 1e-7); /* float exponentials */
    CHECK_CLOSE(r1, 0.68027, 1e-5, 0);
    loss_backward(LOSS_CROSS_ENTROPY, logits, y, 2, 3, g);
    double z1 = exp(0.5) + 1 + exp(1.0);
    CHECK_CLOSE(g[2], (exp(1.0) / z1 - 1) / 2, 1e-7, 0);
    CHECK_CLOSE(g[0], (exp(0.5) / z1) / 2, 1e-7, 0);
}
