#!/usr/bin/env python3
"""Golden files for tests/test_oinfo.c and tests/test_ward.c, from the peer's own functions.
Made with (from the repository root, Debian's python3 with numpy 1.24 and scipy 1.10):
    /usr/bin/python3 tests/data/oinfo/make_golden.py ../shared/peers tests/data/oinfo
Cases (activations, samples x neurons):
  synthetic  the peer's --synthetic array (seed 0), its first 500 samples and 60 neurons (7 dead)
  sparse     ReLU units of which some fire on a handful of samples and some are exact copies or
             monotone transforms of others: zero and tied distances, where tie-breaking shows
  tiny       5 points in 4 dimensions clustered directly (no copula): SciPy's maxclust gives
             fewer clusters than points when there are fewer points than clusters
For each: CASE.npy, CASE_labels.txt (fcluster's labels, 0 for a dead neuron) and, except tiny,
CASE.txt: synergy, redundancy, size_min, size_max (the peer's loop, all digits).
"""
import itertools, math, sys
import numpy as np

sys.path.insert(0, sys.argv[1])
import oinfo_peer  # noqa: E402
from scipy.cluster.hierarchy import fcluster, linkage  # noqa: E402

out = sys.argv[2]


def peer(acts, name):
    np.save(f"{out}/{name}.npy", acts)
    keep = acts.std(axis=0) > 0
    g, dead = oinfo_peer.copula(acts)
    cov = g.T @ g / (g.shape[0] - 1)
    lab = fcluster(linkage(g.T, method="ward"), 10, criterion="maxclust")
    labels = np.zeros(acts.shape[1], dtype=int)
    labels[keep] = lab
    np.savetxt(f"{out}/{name}_labels.txt", labels, fmt="%d")
    groups = [np.flatnonzero(lab == c) for c in np.unique(lab)]
    best, worst = (math.inf, 0), (-math.inf, 0)
    for r in range(2, len(groups) + 1):  # the peer's main loop, sizes of both extremes kept
        for combo in itertools.combinations(groups, r):
            idx = np.concatenate(combo)
            om = oinfo_peer.oinfo(cov, idx)
            if om < best[0]: best = (om, len(idx))
            if om > worst[0]: worst = (om, len(idx))
    with open(f"{out}/{name}.txt", "w") as f:
        f.write(f"synergy {best[0]!r}\nredundancy {worst[0]!r}\nsize_min {best[1]}\nsize_max {worst[1]}\n"
                f"dead {dead}\nclusters {len(groups)}\n")


rng = np.random.default_rng(0)  # the peer's --synthetic construction
z = rng.standard_normal((3763, 12))
acts = np.maximum(z @ rng.standard_normal((12, 250)) + 0.5 * rng.standard_normal((3763, 250)), 0)
acts[:, :7] = 0.0
peer(acts[:500, :60].copy(), "synthetic")

rng = np.random.default_rng(1)
n = 400
z = rng.standard_normal((n, 6))
a = np.maximum(z @ rng.standard_normal((6, 40)) + 0.7 * rng.standard_normal((n, 40)), 0)
a[:, 30:34] = np.maximum(rng.standard_normal((n, 4)) - 2.6, 0)  # rare firing: long runs of zeros
a[:, 34] = a[:, 3]                 # an exact copy
a[:, 35] = 2.0 * a[:, 3] + 1.0     # a monotone transform: the same copula vector
a[:, 36] = a[:, 30] ** 3           # of a rare one
a[:, 37] = 0.0                     # dead
a[:, 38] = 5.0                     # dead, not zero
a[:, 39] = a[:, 7]
peer(a, "sparse")

rng = np.random.default_rng(1)
for m in [2, 3, 5, 11, 12]:
    x = rng.standard_normal((m, 4))
    if m == 5:
        np.save(f"{out}/tiny.npy", x)
        np.savetxt(f"{out}/tiny_labels.txt", fcluster(linkage(x, "ward"), 10, "maxclust"), fmt="%d")
