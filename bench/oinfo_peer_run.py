#!/usr/bin/env python3
"""Runs the O-information peer (../shared/peers/oinfo_peer.py) as it is, and keeps what its one
printed line leaves out: every Omega at full precision and its cluster labels.
  oinfo_peer_run.py PEERS synthetic OUT.npy      saves the peer's --synthetic activations (seed 0)
  oinfo_peer_run.py PEERS run A.npy LABELS.txt   runs `oinfo_peer.py --acts A.npy`: prints its line,
                                                 then "full synergy=... redundancy=..." (repr); writes
                                                 its fcluster labels, one per neuron, 0 if dead
"""
import sys
import numpy as np

sys.path.insert(0, sys.argv[1])
import oinfo_peer  # noqa: E402

if sys.argv[2] == "synthetic":
    rng = np.random.default_rng(0)  # exactly the peer's --synthetic construction
    z = rng.standard_normal((3763, 12))
    acts = np.maximum(z @ rng.standard_normal((12, 250)) + 0.5 * rng.standard_normal((3763, 250)), 0)
    acts[:, :7] = 0.0
    np.save(sys.argv[3], acts)
elif sys.argv[2] == "run":
    omegas, labels = [], []
    peer_oinfo, peer_fcluster = oinfo_peer.oinfo, oinfo_peer.fcluster

    def oinfo(cov, idx):  # the peer's own, recorded
        om = peer_oinfo(cov, idx)
        omegas.append(om)
        return om

    def fcluster(*a, **k):
        lab = peer_fcluster(*a, **k)
        labels.append(lab)
        return lab

    oinfo_peer.oinfo, oinfo_peer.fcluster = oinfo, fcluster
    acts_path, labels_path = sys.argv[3], sys.argv[4]
    sys.argv = ["oinfo_peer.py", "--acts", acts_path]
    oinfo_peer.main()
    acts = np.load(acts_path)
    full = np.zeros(acts.shape[1], dtype=int)
    full[acts.std(axis=0) > 0] = labels[0]  # the peer's own test for a dead neuron
    np.savetxt(labels_path, full, fmt="%d")
    print(f"full synergy={min(omegas)!r} redundancy={max(omegas)!r}")
