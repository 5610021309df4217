"""Shared fixtures. Run from the repository root:
    GROKINFO_LIB=build/libgrokinfo.so GROKINFO_CLI=./grokinfo PYTHONPATH=python /usr/bin/python3 -m pytest -q python/tests
(tests/run_python.sh does exactly that). Tests that compare with the command line are skipped
when GROKINFO_CLI is not set."""
import json
import os
import re
import subprocess

import numpy as np
import pytest

import grokinfo

CLI = os.environ.get("GROKINFO_CLI")


def _json(text):
    # %.17g prints NaN and Inf as nan / inf, which JSON does not have
    text = re.sub(r"(?<=[:\[,] )-?nan\b", "NaN", text)
    text = re.sub(r"(?<=[:\[,] )(-?)inf\b", r"\1Infinity", text)
    return json.loads(text)


def run_cli(*args, ok=True):
    """Runs the command line; ok: returns its --json output parsed, else (returncode, stderr)."""
    if not CLI:
        pytest.skip("GROKINFO_CLI is not set (the path of ./grokinfo)")
    p = subprocess.run([CLI, *map(str, args)], capture_output=True, text=True, timeout=120)
    if not ok:
        return p.returncode, p.stderr
    if p.returncode != 0:
        raise AssertionError(f"{CLI} {' '.join(map(str, args))} failed ({p.returncode}): {p.stderr.strip()}")
    return _json(p.stdout)


@pytest.fixture(scope="session")
def cli():
    if not CLI:
        pytest.skip("GROKINFO_CLI is not set (the path of ./grokinfo)")
    if not os.access(CLI, os.X_OK):
        pytest.fail(f"GROKINFO_CLI={CLI} is not an executable")
    return run_cli


@pytest.fixture(scope="session", autouse=True)
def library():
    """The library must load: every test needs it (the reason is printed when it does not)."""
    try:
        return grokinfo.load_library()
    except OSError as e:
        pytest.exit(f"grokinfo tests: {e}", returncode=1)


def gaussian_pair(n, dx, dy, mi, seed):
    """A Gaussian pair with I(X;Y) = mi nats split over min(dx, dy) coordinate pairs."""
    rng = np.random.default_rng(seed)
    m = min(dx, dy)
    rho = np.sqrt(1 - np.exp(-2 * mi / m))
    x = rng.standard_normal((n, dx))
    y = rng.standard_normal((n, dy))
    y[:, :m] = rho * x[:, :m] + np.sqrt(1 - rho * rho) * y[:, :m]
    return x, y


def relu_acts(n, m, seed, dead=3, rank=6):
    """ReLU activations of a noisy low-rank mixture with `dead` constant columns."""
    rng = np.random.default_rng(seed)
    z = rng.standard_normal((n, rank))
    a = np.maximum(z @ rng.standard_normal((rank, m)) + 0.5 * rng.standard_normal((n, m)), 0)
    a[:, :dead] = 0.0
    return a
