"""The rest of the API: entropy, compression, the plane, the name tables, threads, loading."""
import os
import shutil
import subprocess
import sys

import numpy as np
import pytest

import grokinfo
from conftest import gaussian_pair

PKG = os.path.dirname(os.path.dirname(os.path.abspath(grokinfo.__file__)))


def test_versions():
    assert grokinfo.__version__.count(".") == 2
    assert grokinfo.library_version() == grokinfo.__version__
    assert os.path.exists(grokinfo.load_library())


def test_estimators_and_flags():
    est = grokinfo.estimators()
    for name in ("ksg", "kl", "wkl", "wkl-pooled", "kde", "gauss", "gcmi"):
        assert "arrays" in est[name], name
    assert "uses_k" in est["ksg"] and "terms" in est["ksg"] and "uses_k" not in est["gauss"]
    assert "entropy" in est["kl"]
    assert "whitens" in est["wkl"] and "whitens" not in est["ksg"]
    names = grokinfo.flag_names()
    assert len(names) == len(set(names)) >= 1 and all(isinstance(n, str) and n for n in names)
    assert list(grokinfo.flag_meanings()) == names


def test_entropy():
    rng = np.random.default_rng(0)
    x = rng.standard_normal((4000, 2)) * [1.0, 3.0]
    true = np.log(2 * np.pi * np.e) + np.log(3.0)  # 2-D Gaussian, det = 9
    for name in ("kl", "gauss"):
        h = grokinfo.entropy(x, estimator=name)
        assert abs(h.h - true) < 5 * h.stderr + 0.05, (name, h)
        assert (h.n, h.d) == (4000, 2)
    h = grokinfo.entropy(x, terms=True)
    assert abs(h.terms.mean() - h.h) < 1e-12 * abs(h.h)
    # MI from three kl entropies
    a, b = gaussian_pair(2000, 1, 1, 0.7, seed=4)
    parts = [grokinfo.entropy(v, estimator="kl").h for v in (a, b, np.hstack([a, b]))]
    assert abs(parts[0] + parts[1] - parts[2] - grokinfo.mi(a, b, estimator="kl").mi) < 1e-12


def test_pca_and_first_coords():
    rng = np.random.default_rng(1)
    x = rng.standard_normal((500, 5)) @ rng.standard_normal((5, 5))
    p = grokinfo.pca(x, 3)
    assert p.shape == (500, 3) and p.dtype == np.float64
    assert np.allclose(p.mean(axis=0), 0, atol=1e-10)
    ev = np.sort(np.linalg.eigvalsh(np.cov(x.T)))[::-1][:3]
    assert np.allclose(p.var(axis=0, ddof=1), ev, rtol=1e-8)
    w = grokinfo.pca(x, 3, whiten=True)
    assert np.allclose(w.var(axis=0, ddof=1), 1, rtol=1e-8)
    assert np.array_equal(grokinfo.first_coords(x, 2), x[:, :2])
    assert np.array_equal(grokinfo.pca(np.asfortranarray(x), 3), p)


def test_infoplane():
    rng = np.random.default_rng(2)
    n = 800
    labels = rng.integers(0, 4, n)
    xcode = rng.standard_normal((n, 4)) + labels[:, None]
    layer = np.tanh(xcode @ rng.standard_normal((4, 12)) + 0.1 * rng.standard_normal((n, 12)))
    # the same point from the pieces: the layer in single precision (as a run measures it) by
    # whitened PCA, then two MIs
    code = grokinfo.pca(layer.astype(np.float32), 4, whiten=True)
    for est in ("wkl", "ksg", "kl", "gauss"):
        p = grokinfo.infoplane(xcode, layer, labels, estimator=est)
        assert p.ixl_ok and p.ily_ok and not p.errors
        assert (p.n, p.dx, p.dl) == (n, 4, 4)
        assert p.ixl == grokinfo.mi(xcode, code, estimator=est).mi, est
        ily = grokinfo.mi(code, labels, estimator=est, discrete_y=True)
        assert p.ily == ily.mi and p.h_y == ily.h_y, est
    s = grokinfo.infoplane(xcode, layer, labels, sigma=1e-3, seed=3, compression="first_coords", dim=3)
    assert s.dl == 3 and s.ixl_ok
    assert s.ixl != grokinfo.infoplane(xcode, layer, labels, sigma=1e-3, seed=4, compression="first_coords", dim=3).ixl
    z = grokinfo.infoplane(xcode, layer, labels, estimator="noise", sigma=0.1)
    assert z.dl == 12 and z.ixl_ok and z.ily_ok
    with pytest.raises(ValueError, match="sigma"):
        grokinfo.infoplane(xcode, layer, labels, estimator="noise")
    with pytest.raises(ValueError, match="0..255"):
        grokinfo.infoplane(xcode, layer, labels + 300)


def test_infoplane_failure_is_nan_with_warning():
    n = 60
    labels = np.arange(n) % 3
    xcode = np.repeat(np.arange(10.0), 6)[:, None]  # each point 6 times: kl's 5th neighbour at 0
    layer = xcode * [1.0, 2.0]
    with pytest.warns(RuntimeWarning, match="duplicate"):
        p = grokinfo.infoplane(xcode, layer, labels, estimator="kl", compression="first_coords", dim=1)
    assert not p.ixl_ok and np.isnan(p.ixl) and np.isnan(p.ixl_err)
    assert len(p.errors) == 1 and "duplicate" in p.errors[0]


def test_threads_setting():
    before = grokinfo.set_threads()
    assert before >= 1
    assert grokinfo.set_threads(1) == 1
    assert grokinfo.set_threads(0) == 1
    grokinfo.set_threads(before)


def test_results_repr_and_eq():
    x, y = gaussian_pair(500, 1, 1, 0.5, seed=1)
    r = grokinfo.mi(x, y, bootstrap=20, seed=1)
    s = repr(r)
    assert s.startswith("MIResult(") and "mi=" in s and "interval=(" in s
    assert float(r) == r.mi
    assert r == grokinfo.mi(x, y, bootstrap=20, seed=1)
    assert r != grokinfo.mi(x, y, bootstrap=20, seed=2)
    assert set(r.as_dict()) >= {"mi", "stderr", "interval", "n", "dx", "dy", "flags", "terms", "h_y", "ceiling",
                                "seconds"}
    assert "OInfoResult(" in repr(grokinfo.oinfo(np.random.default_rng(0).standard_normal((100, 6)), clusters=3))


def test_lists_accepted():
    assert grokinfo.mi([0.1, 0.5, 0.2, 0.9, 0.3, 0.7, 0.4, 0.8], [1, 5, 2, 9, 3, 7, 4, 8], k=2).n == 8


def _python(code, env):
    e = {k: v for k, v in os.environ.items() if k != "GROKINFO_LIB"}
    e.update(env)
    return subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=e, timeout=60)


def _bare_package(tmp_path):
    """A copy of the package's .py files alone (no library inside)."""
    dst = tmp_path / "pkg" / "grokinfo"
    dst.mkdir(parents=True)
    for f in os.listdir(os.path.join(PKG, "grokinfo")):
        if f.endswith(".py"):
            shutil.copy(os.path.join(PKG, "grokinfo", f), dst / f)
    return dst


def test_library_not_found(tmp_path):
    dst = _bare_package(tmp_path)
    code = "import grokinfo\ntry:\n    grokinfo.mi([1.0, 2, 3, 4, 5, 6, 7], [1.0, 2, 3, 4, 5, 6, 8])\nexcept OSError as e:\n    print(e)\n"
    p = _python(code, {"PYTHONPATH": str(dst.parent)})
    assert p.returncode == 0, p.stderr
    assert "GROKINFO_LIB" in p.stdout and str(dst) in p.stdout, p.stdout
    p = _python(code, {"PYTHONPATH": str(dst.parent), "GROKINFO_LIB": str(tmp_path / "nope.so")})
    assert "nope.so" in p.stdout and "GROKINFO_LIB" in p.stdout, p.stdout
    p = _python("import grokinfo; print(grokinfo.__version__)", {"PYTHONPATH": str(dst.parent)})
    assert p.stdout.strip() == grokinfo.__version__  # importing needs no library


def test_library_inside_package(tmp_path):
    dst = _bare_package(tmp_path)
    shutil.copy(os.path.realpath(grokinfo.load_library()), dst / "libgrokinfo.so.1")
    p = _python("import grokinfo; print(grokinfo.load_library()); print(grokinfo.mi([1.0, 2, 3, 4, 5, 6, 7],"
                " [1.0, 2, 3, 4, 5, 6, 8], k=2).n)", {"PYTHONPATH": str(dst.parent)})
    assert p.returncode == 0, p.stderr
    assert p.stdout.split() == [str(dst / "libgrokinfo.so.1"), "7"]


def test_api_version_checked(tmp_path):
    code = ("import grokinfo, grokinfo._lib as L\nL.API_VERSION = 99\ntry:\n    grokinfo.load_library()\n"
            "except OSError as e:\n    print(e)\n")
    p = _python(code, {"PYTHONPATH": PKG, "GROKINFO_LIB": os.path.abspath(grokinfo.load_library())})
    assert "API version" in p.stdout and "99" in p.stdout, p.stdout + p.stderr
