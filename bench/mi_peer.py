#!/usr/bin/env python3
"""Runs ../shared/peers/ksg_peer.py's estimators on .npy inputs and prints the full-precision value
and the time of the estimate alone: `value seconds`. Usage: mi_peer.py PEERS_DIR X.npy Y.npy ESTIMATOR K"""
import sys, time
import numpy as np
sys.path.insert(0, sys.argv[1])
import ksg_peer  # noqa: E402
x, y = np.load(sys.argv[2]), np.load(sys.argv[3])
est, k = sys.argv[4], int(sys.argv[5])
f = {"ksg": ksg_peer.ksg, "kl": ksg_peer.kl_mi}[est]
t = time.perf_counter()
v = f(x, y, k)
print(repr(float(v)), time.perf_counter() - t)
