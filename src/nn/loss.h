/* loss.h — losses on logits [rows, C] against integer labels, and their gradients.
 * MSE is torch's MSELoss against one-hot targets: the mean over all rows*C elements.
 * Cross-entropy is the mean over rows of -log softmax(logits)[label]. */
#ifndef GI_LOSS_H
#define GI_LOSS_H
#include <stdint.h>

typedef enum { LOSS_MSE, LOSS_CROSS_ENTROPY } loss_kind;
int loss_from_name(const char *name, loss_kind *out); /* "MSE", "CrossEntropy" */

/* Sum over rows of the per-row loss (in double), and the number of correct argmax predictions.
 * For the mean: MSE divides by rows*C, cross-entropy by rows (see loss_mean). */
typedef struct { double sum; int correct; } loss_stats;
loss_stats loss_forward(loss_kind kind, const float *logits, const uint8_t *labels, int rows, int C);
double loss_mean(loss_kind kind, loss_stats s, int rows, int C);

/* dlogits = d(mean loss)/d(logits) for a batch of `rows` (the training step's loss). */
void loss_backward(loss_kind kind, const float *logits, const uint8_t *labels, int rows, int C,
                   float *dlogits);
#endif
