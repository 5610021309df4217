#!/usr/bin/env python3
"""Makes the golden files of the MI estimator tests (run by hand; CI has no SciPy):
    cd tests/data/mi && /usr/bin/python3 make_golden.py ../../../../shared/peers
Inputs are small .npy files drawn here with fixed seeds; outputs are the peers' values
(../shared/peers/ksg_peer.py: SciPy's cKDTree) printed with repr, one `name estimator k value` a line."""
import sys
import numpy as np

sys.path.insert(0, sys.argv[1] if len(sys.argv) > 1 else "../../../../shared/peers")
import ksg_peer  # noqa: E402


def pair(n, dx, dy, mi, seed):
    return ksg_peer.gaussian_pair(n, dx, dy, mi, np.random.default_rng(seed))


lines = []
for name, n, dx, dy, mi, seed in [("g1x1", 2000, 1, 1, 0.7, 1), ("g2x2", 2000, 2, 2, 1.0, 2),
                                  ("g4x4", 2000, 4, 4, 1.5, 3), ("g8x8", 2000, 8, 8, 2.0, 4)]:
    x, y = pair(n, dx, dy, mi, seed)
    np.save(f"{name}_x.npy", x)
    np.save(f"{name}_y.npy", y)
    for k in (1, 5, 20):
        lines.append(f"{name} ksg {k} {ksg_peer.ksg(x, y, k)!r}")
        lines.append(f"{name} kl-mi {k} {ksg_peer.kl_mi(x, y, k)!r}")
rng = np.random.default_rng(5)
for name, n, d in [("cls2", 1500, 2), ("cls4", 1500, 4)]:
    labels = rng.integers(0, 10, n)
    x = rng.standard_normal((n, d)) + labels[:, None] * 0.3
    np.save(f"{name}_x.npy", x)
    np.save(f"{name}_labels.npy", labels)
    for k in (1, 5):
        lines.append(f"{name} kl-cls {k} {ksg_peer.kl_cls(x, labels, k)!r}")
open("golden_peer.txt", "w").write("\n".join(lines) + "\n")
print("\n".join(lines))
