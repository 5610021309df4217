/* optim.h — optimisers with PyTorch's semantics, one flat loop over all parameters.
 * AdamW: p -= lr*wd*p (decoupled), then Adam's update with bias correction.
 * Adam: g += wd*p (L2 in the gradient), then Adam's update.
 * SGD: g += wd*p; with momentum mu: buf = mu*buf + g; p -= lr*buf. */
#ifndef GI_OPTIM_H
#define GI_OPTIM_H
#include <stddef.h>
#include <stdint.h>

typedef enum { OPT_ADAMW, OPT_ADAM, OPT_SGD } optim_kind;
int optim_from_name(const char *name, optim_kind *out); /* "AdamW", "Adam", "SGD" */

typedef struct {
    optim_kind kind;
    double lr, weight_decay, beta1, beta2, eps, momentum;
    int64_t t;      /* updates done so far */
    size_t n;
    float *m, *v;   /* first and second moments (SGD: m is the momentum buffer); one allocation */
} optim;

void optim_create(optim *o, optim_kind kind, size_t n_params, double lr, double weight_decay,
                  double beta1, double beta2, double eps, double momentum);
void optim_free(optim *o);
/* One update of params from grads (grads are read, not changed). */
void optim_step(optim *o, float *params, const float *grads);
#endif
