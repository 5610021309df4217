#!/usr/bin/env python3
"""The peer's (../shared/peers/oinfo_peer.py) own functions, for what its one printed line leaves out.
  oinfo_peer_labels.py PEERS synthetic OUT.npy [N n]  the peer's --synthetic activations (seed 0),
                                                       optionally only the first N rows, n columns
  oinfo_peer_labels.py PEERS labels A.npy OUT.txt     its cluster label of every neuron (0 if dead),
                                                       one per line, as fcluster numbers them
"""
import sys
import numpy as np

sys.path.insert(0, sys.argv[1])
import oinfo_peer  # noqa: E402
from scipy.cluster.hierarchy import fcluster, linkage  # noqa: E402

if sys.argv[2] == "synthetic":
    rng = np.random.default_rng(0)  # exactly the peer's --synthetic construction
    z = rng.standard_normal((3763, 12))
    acts = np.maximum(z @ rng.standard_normal((12, 250)) + 0.5 * rng.standard_normal((3763, 250)), 0)
    acts[:, :7] = 0.0
    if len(sys.argv) > 5:
        acts = acts[: int(sys.argv[4]), : int(sys.argv[5])]
    np.save(sys.argv[3], acts)
elif sys.argv[2] == "labels":
    acts = np.load(sys.argv[3]).astype(np.float64)
    keep = acts.std(axis=0) > 0
    g, dead = oinfo_peer.copula(acts)
    labels = np.zeros(acts.shape[1], dtype=int)
    labels[keep] = fcluster(linkage(g.T, method="ward"), 10, criterion="maxclust")
    np.savetxt(sys.argv[4], labels, fmt="%d")
