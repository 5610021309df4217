/* The modular-arithmetic task: every pair once, two-hot inputs, labels by each operation
 * (division through the modular inverse), and the errors. */
#include <stdlib.h>
#include "data/modular.h"
#include "test.h"

TEST(modular_pairs_labels_and_two_hot) {
    const char *ops[4] = {"add", "sub", "mul", "div"};
    const int p = 7;
    for (int k = 0; k < 4; k++) {
        dataset d;
        gi_err e;
        CHECK(dataset_make_modular(p, ops[k], &d, &e) == 0);
        CHECK(d.dim == 2 * p && d.n_classes == p && d.n == (k == 3 ? p * (p - 1) : p * p));
        int bad = 0;
        for (int i = 0; i < d.n; i++) {
            int a = -1, b = -1, ones = 0;
            for (int j = 0; j < 2 * p; j++) {
                float v = d.x[(size_t)i * d.dim + j];
                if (v == 1.0f) { ones++; if (j < p) a = j; else b = j - p; }
                else if (v != 0.0f) bad++;
            }
            if (ones != 2 || a < 0 || b < 0) { bad++; continue; }
            int y = d.y[i];
            if (k == 0) bad += y != (a + b) % p;
            if (k == 1) bad += (y + b) % p != a;
            if (k == 2) bad += y != a * b % p;
            if (k == 3) bad += b == 0 || (y * b) % p != a; /* y = a / b  <=>  y·b = a */
            if (k < 3) bad += i != a * p + b;               /* a-major order */
        }
        CHECK(bad == 0);
        dataset_free(&d);
    }
    dataset d;
    gi_err e;
    CHECK(dataset_make_modular(8, "div", &d, &e) != 0);
    CHECK_STR_CONTAINS(e.msg, "prime");
    CHECK(dataset_make_modular(97, "pow", &d, &e) != 0);
    CHECK_STR_CONTAINS(e.msg, "data.op");
    CHECK(dataset_make_modular(300, "add", &d, &e) != 0);
    CHECK_STR_CONTAINS(e.msg, "data.p");
}
