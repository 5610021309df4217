#!/usr/bin/env python3
"""The Python package against the Python peers, on the same arrays (bench/python.sh runs it).

  KSG (k = 5, 1-D X and Y, a Gaussian pair with I = 1 nat): grokinfo.mi against scikit-learn's
  mutual_info_regression (n_neighbors=5; it standardises X, adds 1e-10-scale noise, so its value
  differs slightly) and the SciPy peer (PEERS/ksg_peer.py's ksg, the same algorithm);
  O-information: grokinfo.oinfo against PEERS/oinfo_peer.py run as it is (its own timer);
  the call overhead: grokinfo.mi at N = 50 over many calls, wall time per call against the
  library's own seconds of the estimate.
Times are wall seconds of the call from Python (arrays already in memory), best of --reps.
usage: python_bench.py PEERS_DIR [--ns 10000,100000] [--reps 3] [--peer-reps 3] [--acts N,M] [--calls 1000]
"""
import argparse
import contextlib
import io
import re
import sys
import time

import numpy as np

import grokinfo


def best(reps, f):
    """(best wall seconds, last value) of reps calls of f()."""
    t_best, v = float("inf"), None
    for _ in range(reps):
        t = time.perf_counter()
        v = f()
        t_best = min(t_best, time.perf_counter() - t)
    return t_best, v


def pair(n, seed=0, mi=1.0):
    rng = np.random.default_rng(seed)
    rho = np.sqrt(1 - np.exp(-2 * mi))
    x = rng.standard_normal(n)
    y = rho * x + np.sqrt(1 - rho * rho) * rng.standard_normal(n)
    return x, y


def main():
    p = argparse.ArgumentParser()
    p.add_argument("peers")
    p.add_argument("--ns", default="10000,100000")
    p.add_argument("--reps", type=int, default=3)
    p.add_argument("--peer-reps", type=int, default=3)
    p.add_argument("--acts", default="3763,250", help="N,M of the O-information activations (the peer's synthetic)")
    p.add_argument("--oinfo-peer-reps", type=int, default=1)
    p.add_argument("--calls", type=int, default=1000)
    a = p.parse_args()
    sys.path.insert(0, a.peers)
    try:
        import ksg_peer
    except ImportError as e:
        ksg_peer = None
        print(f"SciPy peer skipped: {e}")
    try:
        from sklearn.feature_selection import mutual_info_regression
    except ImportError:
        mutual_info_regression = None
        print("scikit-learn skipped: not installed (Debian: apt-get install python3-sklearn)")

    print(f"grokinfo {grokinfo.__version__} ({grokinfo.load_library()}), {grokinfo.set_threads()} OpenMP threads; "
          f"numpy {np.__version__}; best of {a.reps} (peers: {a.peer_reps})")
    print(f"{'N':>8} {'who':<22} {'seconds':>10} {'vs grokinfo':>12} {'mi':>22}")
    for n in (int(v) for v in a.ns.split(",")):
        x, y = pair(n)
        tg, r = best(a.reps, lambda: grokinfo.mi(x, y, estimator="ksg", k=5))
        print(f"{n:>8} {'grokinfo.mi':<22} {tg:>10.4f} {'1.0x':>12} {r.mi:>22.15f}")
        print(f"{n:>8} {'  (library seconds)':<22} {r.seconds:>10.4f}")
        if ksg_peer is not None:
            x2, y2 = x[:, None], y[:, None]
            tp, v = best(a.peer_reps, lambda: ksg_peer.ksg(x2, y2, 5))
            print(f"{n:>8} {'scipy peer ksg':<22} {tp:>10.4f} {tp / tg:>11.1f}x {float(v):>22.15f}"
                  f"   rel diff {abs(float(v) - r.mi) / abs(r.mi):.1e}")
        if mutual_info_regression is not None:
            x2 = x[:, None]
            ts, v = best(a.peer_reps, lambda: mutual_info_regression(x2, y, n_neighbors=5, random_state=0)[0])
            print(f"{n:>8} {'sklearn mi_regression':<22} {ts:>10.4f} {ts / tg:>11.1f}x {float(v):>22.15f}")

    # O-information: the peer's own synthetic construction at N x M
    N, M = (int(v) for v in a.acts.split(","))
    rng = np.random.default_rng(0)
    z = rng.standard_normal((N, 12))
    acts = np.maximum(z @ rng.standard_normal((12, M)) + 0.5 * rng.standard_normal((N, M)), 0)
    acts[:, :7] = 0.0
    tg, r = best(a.reps, lambda: grokinfo.oinfo(acts))
    print(f"oinfo {N}x{M}: grokinfo.oinfo {tg:.4f} s (library {r.seconds:.4f} s), synergy {r.synergy:.15f}, "
          f"redundancy {r.redundancy:.15f}, size {r.size_synergy}")
    try:
        import oinfo_peer
    except ImportError as e:
        print(f"O-information peer skipped: {e}")
    else:
        import os
        import tempfile
        omegas = []
        peer_oinfo = oinfo_peer.oinfo

        def recorded(cov, idx):  # the peer's own Omega, kept at full precision (as bench/oinfo_peer_run.py)
            om = peer_oinfo(cov, idx)
            omegas.append(om)
            return om

        oinfo_peer.oinfo = recorded
        with tempfile.TemporaryDirectory() as d:
            path = os.path.join(d, "acts.npy")
            np.save(path, acts)
            tp = float("inf")
            for _ in range(a.oinfo_peer_reps):
                omegas.clear()
                out = io.StringIO()
                argv, sys.argv = sys.argv, ["oinfo_peer.py", "--acts", path]
                try:
                    with contextlib.redirect_stdout(out):
                        oinfo_peer.main()
                finally:
                    sys.argv = argv
                line = out.getvalue().strip()
                tp = min(tp, float(re.search(r"seconds=([0-9.]+)", line).group(1)))
        syn, red = min(omegas), max(omegas)
        print(f"oinfo peer: {line}")
        print(f"oinfo {N}x{M}: peer {tp:.3f} s (its own timer, best of {a.oinfo_peer_reps}) = {tp / tg:.0f}x "
              f"grokinfo.oinfo; relative difference synergy {abs(syn - r.synergy) / abs(syn):.1e}, "
              f"redundancy {abs(red - r.redundancy) / abs(red):.1e}")

    # call overhead at N = 50
    x, y = pair(50, seed=1)
    grokinfo.mi(x, y)
    lib_s = 0.0
    t = time.perf_counter()
    for _ in range(a.calls):
        lib_s += grokinfo.mi(x, y).seconds
    wall = (time.perf_counter() - t) / a.calls
    print(f"call overhead (KSG, N = 50, {a.calls} calls): {wall * 1e6:.1f} us per call from Python, "
          f"{lib_s / a.calls * 1e6:.1f} us of it the estimate, {(wall - lib_s / a.calls) * 1e6:.1f} us the rest")


if __name__ == "__main__":
    main()
