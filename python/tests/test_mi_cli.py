"""grokinfo.mi equals `grokinfo mi --json` bit for bit on the same arrays."""
import numpy as np
import pytest

import grokinfo
from conftest import gaussian_pair


def cli_args(kw):
    a = []
    if "estimator" in kw: a += ["--estimator", kw["estimator"]]
    if "k" in kw: a += ["--k", kw["k"]]
    if kw.get("discrete_y"): a += ["--discrete-y"]
    if kw.get("compress"): a += ["--compress", kw["compress"]]
    if kw.get("bootstrap"): a += ["--bootstrap", kw["bootstrap"]]
    if "seed" in kw: a += ["--seed", kw["seed"]]
    if kw.get("rescale") is True: a += ["--rescale"]
    if kw.get("rescale") is False: a += ["--no-rescale"]
    if kw.get("bias_correct"): a += ["--bias-correct"]
    return a


def compare(cli, tmp_path, x, y, **kw):
    """Both results, the Python one from x, y as given, the CLI's from C-order copies saved as .npy."""
    xp, yp = tmp_path / "x.npy", tmp_path / "y.npy"
    np.save(xp, np.ascontiguousarray(x))  # the CLI refuses fortran_order arrays
    np.save(yp, np.ascontiguousarray(y))
    r = grokinfo.mi(x, y, **kw)
    j = cli("mi", "--x", xp, "--y", yp, "--json", *cli_args(kw))
    assert r.mi == j["mi"], (r.mi, j["mi"])
    assert r.stderr == j["stderr"], (r.stderr, j["stderr"])
    assert (r.n, r.dx, r.dy, r.k, r.rescale) == (j["n"], j["dx"], j["dy"], j["k"], j["rescale"])
    assert r.flags == j["flags"]
    assert (r.mi < 0) == j["negative"]
    if kw.get("bootstrap"):
        assert r.interval == (j["ci_low"], j["ci_high"])
        assert r.interval[0] <= r.interval[1]
    else:
        assert r.interval is None and "ci_low" not in j
    if kw.get("discrete_y"):
        assert (r.h_y, r.ceiling) == (j["h_y"], j["ceiling"])
    else:
        assert r.h_y is None and r.ceiling is None
    return r, j


def needs(estimator, cap):
    caps = grokinfo.estimators().get(estimator)
    if caps is None or cap not in caps:
        pytest.skip(f"{estimator} has no {cap}")


X, Y = gaussian_pair(1500, 2, 2, 1.0, seed=1)
X1, Y1 = X[:, 0].copy(), Y[:, 0].copy()
X5, Y4 = gaussian_pair(1500, 5, 4, 1.5, seed=2)

CONTINUOUS = [
    ("ksg", dict(estimator="ksg")),
    ("ksg-k3", dict(estimator="ksg", k=3)),
    ("kl", dict(estimator="kl")),
    ("kl-k8", dict(estimator="kl", k=8)),
    ("wkl", dict(estimator="wkl")),
    ("wkl-norescale", dict(estimator="wkl", rescale=False)),
    ("wkl-pooled", dict(estimator="wkl-pooled")),
    ("gauss", dict(estimator="gauss")),
    ("gcmi", dict(estimator="gcmi")),
    ("gcmi-bias", dict(estimator="gcmi", bias_correct=True)),
    ("ksg-boot", dict(estimator="ksg", bootstrap=200, seed=7)),
    ("kl-boot", dict(estimator="kl", bootstrap=50, seed=3)),
    ("wkl-boot", dict(estimator="wkl", bootstrap=30, seed=0)),
]


@pytest.mark.parametrize("kw", [c[1] for c in CONTINUOUS], ids=[c[0] for c in CONTINUOUS])
def test_continuous(cli, tmp_path, kw):
    compare(cli, tmp_path, X, Y, **kw)


def test_kde(cli, tmp_path):
    compare(cli, tmp_path, X[:300], Y[:300], estimator="kde")
    compare(cli, tmp_path, X1[:300], Y1[:300], estimator="kde", rescale=False)


def test_one_dimensional_inputs(cli, tmp_path):
    r, _ = compare(cli, tmp_path, X1, Y1)
    assert (r.dx, r.dy) == (1, 1)
    compare(cli, tmp_path, X1, Y1, estimator="kl")


def test_float32(cli, tmp_path):
    x, y = X.astype(np.float32), Y.astype(np.float32)
    compare(cli, tmp_path, x, y)
    r, _ = compare(cli, tmp_path, x, y, estimator="wkl")
    assert r.mi != grokinfo.mi(X, Y, estimator="wkl").mi  # the float32 values were used, not the originals


def test_integer_inputs(cli, tmp_path):
    rng = np.random.default_rng(5)
    x = rng.integers(-10**6, 10**6, size=(1000, 2))
    y = (x // 3 + rng.integers(0, 10**5, size=(1000, 2))).astype(np.int32)
    compare(cli, tmp_path, x, y)
    compare(cli, tmp_path, x, y, estimator="gauss")
    compare(cli, tmp_path, x.astype(np.int16) // 64, y // 2**20, estimator="ksg")  # many ties


def test_fortran_order_and_strides(cli, tmp_path):
    xf, yf = np.asfortranarray(X5), np.asfortranarray(Y4)
    assert not xf.flags.c_contiguous
    r, _ = compare(cli, tmp_path, xf, yf)
    assert r.mi == grokinfo.mi(X5, Y4).mi
    compare(cli, tmp_path, X5[::2, ::2], Y4[::2, 1:], estimator="kl")  # strided views
    compare(cli, tmp_path, X.astype(">f8"), Y.astype(">f4"))  # big-endian


@pytest.mark.parametrize("compress", ["pca:2", "pca-white:2", "first:3", "pca:8"])
def test_compress(cli, tmp_path, compress):
    r, _ = compare(cli, tmp_path, X5, Y4, compress=compress)
    m = int(compress.split(":")[1])
    assert (r.dx, r.dy) == (min(5, m), min(4, m))


def test_compress_matches_pca(cli, tmp_path):
    r = grokinfo.mi(X5, Y4, compress="pca-white:2")
    assert r.mi == grokinfo.mi(grokinfo.pca(X5, 2, whiten=True), grokinfo.pca(Y4, 2, whiten=True)).mi
    r = grokinfo.mi(X5, Y4, compress="first:3", estimator="kl")
    assert r.mi == grokinfo.mi(grokinfo.first_coords(X5, 3), grokinfo.first_coords(Y4, 3), estimator="kl").mi


def test_flags_at_ceiling(cli, tmp_path):
    r, j = compare(cli, tmp_path, X1, X1.copy())  # a deterministic channel: KSG at its ceiling
    assert r.flags, "expected a flag for a KSG estimate at its ceiling"
    assert set(r.flags) <= set(grokinfo.flag_names())
    assert r.flag_bits == sum(1 << grokinfo.flag_names().index(f) for f in r.flags)


rng = np.random.default_rng(11)
LAB = rng.integers(0, 4, size=1200)
XL = rng.standard_normal((1200, 2)) + np.stack([LAB, LAB % 2], axis=1) * 1.5

LABELS = ["ksg", "kl", "wkl", "wkl-pooled", "gauss", "gcmi"]


@pytest.mark.parametrize("estimator", LABELS)
def test_labels(cli, tmp_path, estimator):
    needs(estimator, "labels")
    r, _ = compare(cli, tmp_path, XL, LAB, estimator=estimator, discrete_y=True)
    assert r.classes == 4 and r.dy == 1


def test_labels_kde(cli, tmp_path):
    needs("kde", "labels")
    compare(cli, tmp_path, XL[:300], LAB[:300], estimator="kde", discrete_y=True)


def test_label_dtypes(cli, tmp_path):
    base, _ = compare(cli, tmp_path, XL, LAB.astype(np.int64), discrete_y=True)
    for lab in (LAB.astype(np.uint8), LAB.astype(np.int8) - 2, LAB.astype(np.int32) * 1000 - 7, LAB[:, None]):
        r, _ = compare(cli, tmp_path, XL, lab, discrete_y=True)
        assert r.mi == base.mi  # labels are only compared
    assert grokinfo.mi(XL, LAB.astype(np.float64), discrete_y=True).mi == base.mi  # integral floats


def test_labels_bootstrap_and_float32(cli, tmp_path):
    compare(cli, tmp_path, XL.astype(np.float32), LAB, discrete_y=True, bootstrap=100, seed=42)
    compare(cli, tmp_path, np.asfortranarray(XL), LAB, discrete_y=True, estimator="kl", bootstrap=20, seed=1)


def test_terms():
    r = grokinfo.mi(X, Y, terms=True)
    assert r.terms.shape == (1500,) and r.terms.dtype == np.float64
    assert abs(r.terms.mean() - r.mi) <= 1e-12 * max(1.0, abs(r.mi))
    assert abs(r.terms.std(ddof=0) / np.sqrt(1500) - r.stderr) <= 1e-2 * r.stderr  # sd / sqrt(N), either ddof
    r = grokinfo.mi(XL, LAB, discrete_y=True, estimator="kl", terms=True)
    assert abs(r.terms.mean() - r.mi) <= 1e-12 * max(1.0, abs(r.mi))
    assert grokinfo.mi(X, Y).terms is None


def test_terms_need_the_cap():
    for name, caps in grokinfo.estimators().items():
        if "arrays" in caps and "terms" not in caps:
            with pytest.raises(ValueError):
                grokinfo.mi(X, Y, estimator=name, terms=True)
            with pytest.raises(ValueError):
                grokinfo.mi(X, Y, estimator=name, bootstrap=10)


def test_standardize():
    # ksg with standardize: every column z-scored first, so the scale of a column does not matter
    needs("ksg", "standardize")
    a = grokinfo.mi(X, Y, standardize=True).mi
    scaled = X * np.array([1000.0, 0.001])
    b = grokinfo.mi(scaled, Y, standardize=True).mi
    assert abs(a - b) < 1e-3
    assert grokinfo.mi(scaled, Y).mi != b


def test_compress_wide(cli, tmp_path):
    # 64 columns: large enough for OpenBLAS to split the covariance and projection over threads
    # if it were allowed to (the library's numbers then differ from the command line's in the last
    # bits; grokinfo pins OpenBLAS to one thread as the command does)
    rng = np.random.default_rng(8)
    x = rng.standard_normal((3000, 64)) @ rng.standard_normal((64, 64))
    y = x[:, :8] + rng.standard_normal((3000, 8))
    compare(cli, tmp_path, x, y, estimator="wkl", compress="pca:6")
    compare(cli, tmp_path, x, y, estimator="kl", compress="pca-white:3")
