"""Calls release the GIL (ctypes.CDLL) and may run in several threads at once."""
import threading
import time

import numpy as np

import grokinfo
from conftest import gaussian_pair


def test_gil_released_during_a_call():
    # A Python thread keeps stamping the clock while another thread is inside one long C call.
    # With the GIL held by the call, no stamp could fall strictly inside it.
    x, y = gaussian_pair(1500, 3, 3, 1.0, seed=0)
    window = {}
    stamps = []
    done = threading.Event()

    def worker():
        t0 = time.perf_counter()
        r = grokinfo.mi(x, y, estimator="kde")  # O(N^2) bandwidth search: a long single call
        window["t"] = (t0, time.perf_counter(), r)
        done.set()

    th = threading.Thread(target=worker)
    th.start()
    while not done.is_set():
        stamps.append(time.perf_counter())
        time.sleep(0.001)
    th.join()
    t0, t1, r = window["t"]
    assert r.seconds > 0.05, f"the call was too short to tell ({r.seconds:.3f} s)"
    margin = 0.1 * (t1 - t0)
    inside = [s for s in stamps if t0 + margin < s < t1 - margin]
    assert len(inside) >= 5, f"{len(inside)} stamps inside a {t1 - t0:.3f} s call"


def test_threads_give_the_serial_results():
    pairs = [gaussian_pair(3000, 2, 2, 0.5 * i, seed=i) for i in range(4)]
    serial = [grokinfo.mi(x, y).mi for x, y in pairs]
    out = [None] * 4

    def work(i):
        grokinfo.set_threads(1)
        out[i] = grokinfo.mi(*pairs[i]).mi

    ths = [threading.Thread(target=work, args=(i,)) for i in range(4)]
    for t in ths:
        t.start()
    for t in ths:
        t.join(timeout=60)
    assert not any(t.is_alive() for t in ths), "deadlock"
    assert out == serial
