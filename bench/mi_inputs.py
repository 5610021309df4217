#!/usr/bin/env python3
"""Writes the bench's Gaussian pairs (the peer's own generator): mi_inputs.py PEERS_DIR OUT_DIR"""
import sys
import numpy as np
sys.path.insert(0, sys.argv[1])
import ksg_peer  # noqa: E402
for n in (1000, 10000, 100000):
    for d in (2, 4, 8):
        x, y = ksg_peer.gaussian_pair(n, d, d, 1.0, np.random.default_rng(n + d))
        np.save(f"{sys.argv[2]}/x_{n}_{d}.npy", x)
        np.save(f"{sys.argv[2]}/y_{n}_{d}.npy", y)
