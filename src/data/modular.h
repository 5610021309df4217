/* modular.h — the algorithmic task of the grokking papers (Power et al. 2022; Clauw et al. 2024):
 * c = a ∘ b (mod p) for every pair (a, b), input the two-hot vector one_hot(a) ‖ one_hot(b) of
 * size 2p, label c in [0, p). ∘ is add, sub, mul, or div (a · b⁻¹, pairs with b = 0 left out;
 * p must then be prime). */
#ifndef GI_MODULAR_H
#define GI_MODULAR_H
#include "data/dataset.h"

/* All pairs in the order a-major (row a*p + b, as torch's repeat_interleave/repeat). */
int dataset_make_modular(int p, const char *op, dataset *out, gi_err *e);
#endif
