"""The measurement calls: NumPy arrays in, small result objects out (include/grokinfo.h).

Every call converts its arrays to C-contiguous float64 (labels to int32), checks them on the
Python side (dimensions, matching rows, NaN/Inf, numeric dtypes) and calls the library through
ctypes, which releases the GIL while the C code runs: estimates in several Python threads run at
the same time. The numbers are the ones `grokinfo mi` and `grokinfo oinfo-npy` print for the same
arrays (both are built on the same calls).
"""
import numbers
import warnings
from ctypes import POINTER, byref, c_double, c_int

import numpy as np

from . import _lib

_INT_MAX = 2**31 - 1
_DP = POINTER(c_double)
_IP = POINTER(c_int)

CAP_NAMES = ("arrays", "labels", "uses_k", "terms", "rescale", "whitens", "entropy", "standardize")


# ---- argument checks and conversions -----------------------------------------------------------

def _matrix(a, name):
    """a as a C-contiguous float64 n x d array (1-D: n x 1), finite, or TypeError/ValueError."""
    arr = np.asarray(a)
    if arr.dtype.kind not in "fiub":
        raise TypeError(f"{name}: dtype {arr.dtype} is not numeric (float, integer or bool)")
    if arr.ndim == 1:
        arr = arr.reshape(-1, 1)
    elif arr.ndim != 2:
        raise ValueError(f"{name}: expected a 1-D or 2-D array, got {arr.ndim}-D (shape {arr.shape})")
    n, d = arr.shape
    if n < 1 or d < 1:
        raise ValueError(f"{name}: empty array (shape {arr.shape})")
    if n > _INT_MAX or d > _INT_MAX or n * d > 2**62:
        raise ValueError(f"{name}: too large (shape {arr.shape}; rows and columns must fit a C int)")
    arr = np.ascontiguousarray(arr, dtype=np.float64)
    if arr.dtype.kind == "f":
        finite = np.isfinite(arr)
        if not finite.all():
            i = int(np.flatnonzero(~finite.ravel())[0])
            r, c = divmod(i, d)
            raise ValueError(f"{name}: {arr.flat[i]!r} at row {r}, column {c}: NaN and Inf are not allowed")
    return arr


def _labels(y, name="y"):
    """y as C-contiguous int32 labels (1-D, or n x 1), or TypeError/ValueError."""
    arr = np.asarray(y)
    if arr.ndim == 2 and arr.shape[1] == 1:
        arr = arr[:, 0]
    if arr.ndim != 1:
        raise ValueError(f"{name}: labels must be one column (1-D or n x 1), got shape {arr.shape}")
    if arr.size == 0:
        raise ValueError(f"{name}: no labels")
    if arr.size > _INT_MAX:
        raise ValueError(f"{name}: too many labels ({arr.size})")
    if arr.dtype.kind == "f":
        if not np.isfinite(arr).all():
            raise ValueError(f"{name}: labels must be finite integers (found NaN or Inf)")
        if not (arr == np.round(arr)).all():
            raise ValueError(f"{name}: labels must be integers (found a non-integer float)")
    elif arr.dtype.kind not in "iub":
        raise TypeError(f"{name}: dtype {arr.dtype} is not an integer type for labels")
    if arr.dtype.kind != "b":
        lo, hi = arr.min(), arr.max()
        if lo < -2**31 or hi > _INT_MAX:
            bad = lo if lo < -2**31 else hi
            raise ValueError(f"{name}: label {bad} is outside the int32 range [-2147483648, 2147483647]")
    return np.ascontiguousarray(arr, dtype=np.int32)


def _int(v, name, lo=-2**31, hi=_INT_MAX):
    if isinstance(v, bool) or not isinstance(v, numbers.Integral):
        raise TypeError(f"{name}: expected an integer, got {type(v).__name__}")
    v = int(v)
    if not lo <= v <= hi:
        raise ValueError(f"{name}: {v} is outside [{lo}, {hi}]")
    return v


def _seed(v, name="seed", wrap_negative=False):
    """A uint64 seed; with wrap_negative, negative ones wrap modulo 2**64 (as oinfo-npy's --seed)."""
    v = _int(v, name, -2**63 if wrap_negative else 0, 2**64 - 1)
    return v & (2**64 - 1)


def _name(v, name, allow_none=False):
    if v is None and allow_none:
        return None
    if not isinstance(v, str):
        raise TypeError(f"{name}: expected a string, got {type(v).__name__}")
    return v.encode("utf-8")


def _rescale(v):
    if v is None:
        return -1
    if isinstance(v, (bool, np.bool_)) or v in (0, 1):
        return int(bool(v))
    raise ValueError(f"rescale: expected None (the estimator's default), True or False, got {v!r}")


def _dp(a):
    return a.ctypes.data_as(_DP) if a is not None else None


def _ip(a):
    return a.ctypes.data_as(_IP) if a is not None else None


def _flag_list(bits):
    L = _lib.lib()
    return [L.grokinfo_flag_name(i).decode() for i in range(L.grokinfo_flag_count()) if bits >> i & 1]


def _nan_to_none(v):
    return None if v != v else v


# ---- results -----------------------------------------------------------------------------------

class _Result:
    """A plain record: attributes, a short repr, as_dict()."""
    _repr_fields = ()

    def __init__(self, **kw):
        self.__dict__.update(kw)

    def as_dict(self):
        return dict(self.__dict__)

    def __eq__(self, other):
        if type(other) is not type(self):
            return NotImplemented
        a, b = self.__dict__, other.__dict__
        if a.keys() != b.keys():
            return False
        for key in a:
            if key.startswith("seconds") or key == "timings":
                continue
            u, v = a[key], b[key]
            if isinstance(u, np.ndarray) or isinstance(v, np.ndarray):
                if not (isinstance(u, np.ndarray) and isinstance(v, np.ndarray) and np.array_equal(u, v, equal_nan=True)):
                    return False
            elif u != v and not (u != u and v != v):
                return False
        return True

    __hash__ = None

    def __repr__(self):
        parts = []
        for f in self._repr_fields:
            v = getattr(self, f)
            if isinstance(v, float):
                v = f"{v:.6g}"
            elif isinstance(v, np.ndarray):
                v = f"<{v.size} values>"
            elif isinstance(v, tuple):
                v = "(" + ", ".join(f"{x:.6g}" for x in v) + ")"
            else:
                v = repr(v)
            parts.append(f"{f}={v}")
        return f"{type(self).__name__}({', '.join(parts)})"


class MIResult(_Result):
    """I(X;Y) in nats: mi, stderr (sd of the per-point terms / sqrt(N), or the estimator's own),
    interval ((lo, hi) 95% bootstrap percentile interval, or None), n, dx, dy (the sizes the
    estimator saw, after compression; dy = 1 for labels), k (0 for an estimator without
    neighbours), rescale, flags (names of the range flags raised), flag_bits, h_y, ceiling and
    classes (labels only, else None), terms (per-point terms, or None), seconds, estimator."""
    _repr_fields = ("estimator", "mi", "stderr", "interval", "n", "dx", "dy", "k", "flags")

    def __float__(self):
        return float(self.mi)


class EntropyResult(_Result):
    """H(X) in nats: h, stderr, n, d, terms (or None), seconds, estimator."""
    _repr_fields = ("estimator", "h", "stderr", "n", "d")

    def __float__(self):
        return float(self.h)


class OInfoResult(_Result):
    """O-information of an activation matrix (nats): synergy (min Omega over the unions of Ward
    clusters) and redundancy (max Omega), synergy_set / redundancy_set (the neurons, columns of acts,
    of each set), size_synergy, size_redundancy, tc / dtc (of the synergy set), tc_redundancy /
    dtc_redundancy, cluster_of (each neuron's cluster 1..n_clusters, 0 if dead), clusters_synergy /
    clusters_redundancy (bit c-1 for cluster c), greedy_omega and greedy_set (None without
    greedy_max), n, m, n_live, n_dead, n_clusters, n_sets, n_singular, seconds, timings."""
    _repr_fields = ("synergy", "redundancy", "size_synergy", "size_redundancy", "n", "m", "n_live", "n_clusters",
                    "n_sets")


class PlanePoint(_Result):
    """One point of the information plane: ixl, ixl_err (I(X;L)), ily, ily_err (I(L;Y)), NaN for a
    failed estimate (then named in errors), ixl_ok, ily_ok, flags (names), flag_bits, n, dx, dl,
    h_y, seconds, errors (list of messages)."""
    _repr_fields = ("ixl", "ixl_err", "ily", "ily_err", "n", "dx", "dl", "flags", "errors")


# ---- calls -------------------------------------------------------------------------------------

def _mi_options(estimator, k, rescale, standardize, bias_correct, compress, bootstrap, seed):
    L = _lib.lib()
    o = _lib.new(_lib.MIOptions)
    L.grokinfo_mi_options_init(byref(o))
    keep = (_name(estimator, "estimator"), _name(compress, "compress", allow_none=True))
    o.estimator = keep[0]
    o.compress = keep[1]
    o.k = _int(k, "k")
    o.rescale = _rescale(rescale)
    o.standardize = int(bool(standardize))
    o.bias_correct = int(bool(bias_correct))
    o.bootstrap = _int(bootstrap, "bootstrap")
    o.seed = _seed(seed)
    return o, keep


def mi(x, y, estimator="ksg", k=5, discrete_y=False, compress=None, bootstrap=0, seed=0, rescale=None,
       standardize=False, bias_correct=False, terms=False):
    """Mutual information I(X;Y) in nats, as `grokinfo mi` computes it.

    x, y: array-likes of n rows (1-D: one column), float or integer of any byte order and memory
    layout (converted to C-contiguous float64). With discrete_y, y holds integer labels (1-D or
    n x 1; integral floats accepted; converted to int32, out-of-range values refused).
    estimator: "ksg" (default), "kl", "wkl", "wkl-pooled", "kde", "gauss", "gcmi" (estimators()).
    k: neighbours for the estimators that use them. compress: None, or "pca:M", "pca-white:M",
    "first:M", applied to x (and to a continuous y) when it has more than M columns.
    bootstrap: 0, or B >= 2 replicates of the mean of the per-point terms (95% percentile
    interval, drawn from seed). rescale: None for the estimator's default, True/False to whiten
    or not. standardize (ksg): z-score every column first. bias_correct (gcmi).
    terms: also return the per-point terms (their mean is the value).

    Returns an MIResult. Raises ValueError for bad arguments and failed estimates (the library's
    one-line message), TypeError for non-numeric input. Releases the GIL while it runs.
    """
    L = _lib.lib()
    xa = _matrix(x, "x")
    n, dx = xa.shape
    if discrete_y:
        ya = _labels(y, "y")
        if ya.shape[0] != n:
            raise ValueError(f"x has {n} rows but y has {ya.shape[0]}: the samples must pair up")
    else:
        ya = _matrix(y, "y")
        if ya.shape[0] != n:
            raise ValueError(f"x has {n} rows but y has {ya.shape[0]}: the samples must pair up")
    o, keep = _mi_options(estimator, k, rescale, standardize, bias_correct, compress, bootstrap, seed)
    t = np.empty(n, dtype=np.float64) if terms else None
    res = _lib.new(_lib.MIResult)
    err = _lib.error()
    if discrete_y:
        rc = L.grokinfo_mi_labels(_dp(xa), n, dx, _ip(ya), byref(o), byref(res), _dp(t), byref(err))
    else:
        rc = L.grokinfo_mi(_dp(xa), n, dx, _dp(ya), ya.shape[1], byref(o), byref(res), _dp(t), byref(err))
    _lib.raise_for(rc, err)
    del keep
    interval = None if res.ci_low != res.ci_low else (res.ci_low, res.ci_high)
    return MIResult(estimator=estimator, mi=res.mi, stderr=res.stderr_, interval=interval, n=res.n, dx=res.dx,
                    dy=res.dy, k=res.k, rescale=bool(res.rescale), flags=_flag_list(res.flags),
                    flag_bits=int(res.flags), h_y=_nan_to_none(res.h_y) if discrete_y else None,
                    ceiling=_nan_to_none(res.ceiling) if discrete_y else None,
                    classes=res.classes if discrete_y else None, terms=t, seconds=res.seconds)


def entropy(x, estimator="kl", k=5, rescale=None, compress=None, terms=False):
    """Differential entropy H(X) in nats with an estimator that has one ("kl", "wkl", "kde",
    "gauss", ...: see estimators()); k, rescale and compress as in mi(); terms: also return the
    per-point terms. Returns an EntropyResult. Releases the GIL while it runs."""
    L = _lib.lib()
    xa = _matrix(x, "x")
    n, d = xa.shape
    o, keep = _mi_options(estimator, k, rescale, False, False, compress, 0, 0)
    t = np.empty(n, dtype=np.float64) if terms else None
    res = _lib.new(_lib.EntropyResult)
    err = _lib.error()
    rc = L.grokinfo_entropy(_dp(xa), n, d, byref(o), byref(res), _dp(t), byref(err))
    _lib.raise_for(rc, err)
    del keep
    return EntropyResult(estimator=estimator, h=res.h, stderr=res.stderr_, n=res.n, d=res.d, terms=t,
                         seconds=res.seconds)


def pca(x, m, whiten=False):
    """(x - mean) V_m: the m leading principal components (n x m), each eigenvector signed so that
    its largest |loading| is positive; whiten divides component j by sqrt(lambda_j)."""
    L = _lib.lib()
    xa = _matrix(x, "x")
    n, d = xa.shape
    m = _int(m, "m")
    if not 1 <= m <= d:
        raise ValueError(f"pca: m = {m} components of {d} columns (1..{d})")
    out = np.empty((n, m), dtype=np.float64)
    err = _lib.error()
    _lib.raise_for(L.grokinfo_pca(_dp(xa), n, d, m, int(bool(whiten)), _dp(out), byref(err)), err)
    return out


def first_coords(x, m):
    """The first m columns of x, as float64 (n x m)."""
    L = _lib.lib()
    xa = _matrix(x, "x")
    n, d = xa.shape
    m = _int(m, "m")
    if not 1 <= m <= d:
        raise ValueError(f"first_coords: m = {m} of {d} columns (1..{d})")
    out = np.empty((n, m), dtype=np.float64)
    err = _lib.error()
    _lib.raise_for(L.grokinfo_first_coords(_dp(xa), n, d, m, _dp(out), byref(err)), err)
    return out


def oinfo(acts, clusters=10, greedy_max=0, bias_correct=False, ties="index", seed=0, step=0, layer=1):
    """O-information of an activation matrix (n samples x m neurons), as `grokinfo oinfo-npy`:
    each neuron's Gaussian-copula transform (ties ranked by "index", "random" or "average"; random
    keyed by (seed, step, layer) as a run's oinfo.csv), dead neurons dropped, Ward clusters of the
    neurons, Omega of every union of 2..clusters of them; synergy = min, redundancy = max.
    greedy_max > 0 adds the greedy synergy search. Returns an OInfoResult. Releases the GIL."""
    L = _lib.lib()
    a = np.asarray(acts)
    if a.ndim != 2:
        raise ValueError(f"acts: expected a 2-D array (samples x neurons), got {a.ndim}-D (shape {a.shape})")
    a = _matrix(a, "acts")
    n, m = a.shape
    o = _lib.new(_lib.OInfoOptions)
    L.grokinfo_oinfo_options_init(byref(o))
    keep = _name(ties, "ties")
    o.clusters = _int(clusters, "clusters")
    o.greedy_max = _int(greedy_max, "greedy_max", 0)
    o.bias_correct = int(bool(bias_correct))
    o.ties = keep
    o.seed = _seed(seed, wrap_negative=True)
    o.step = _int(step, "step", 0, 2**63 - 1)
    o.layer = _int(layer, "layer", 1)
    cluster_of = np.zeros(m, dtype=np.int32)
    greedy = np.zeros(o.greedy_max, dtype=np.int32) if o.greedy_max > 0 else None
    res = _lib.new(_lib.OInfoResult)
    err = _lib.error()
    rc = L.grokinfo_oinfo(_dp(a), n, m, byref(o), byref(res), _ip(cluster_of), _ip(greedy), byref(err))
    _lib.raise_for(rc, err)
    del keep

    def members(mask):
        table = np.array([False] + [bool(mask >> (c - 1) & 1) for c in range(1, res.n_clusters + 1)])
        c = np.clip(cluster_of, 0, res.n_clusters)
        return np.flatnonzero(table[c])

    greedy_on = greedy is not None
    return OInfoResult(
        synergy=res.synergy, redundancy=res.redundancy,
        synergy_set=members(res.clusters_synergy), redundancy_set=members(res.clusters_redundancy),
        size_synergy=res.size_synergy, size_redundancy=res.size_redundancy,
        tc=res.tc_synergy, dtc=res.dtc_synergy, tc_redundancy=res.tc_redundancy, dtc_redundancy=res.dtc_redundancy,
        clusters_synergy=int(res.clusters_synergy), clusters_redundancy=int(res.clusters_redundancy),
        cluster_of=cluster_of,
        greedy_omega=res.greedy_omega if greedy_on else None,
        greedy_set=greedy[:res.greedy_size].copy() if greedy_on else None,
        n=res.n, m=res.m, n_live=res.n_live, n_dead=res.n_dead, n_clusters=res.n_clusters, n_sets=res.n_sets,
        n_singular=res.n_singular, seconds=res.seconds,
        timings={"copula": res.seconds_copula, "ward": res.seconds_ward, "sets": res.seconds_sets,
                 "greedy": res.seconds_greedy})


def infoplane(x_code, layer, labels, estimator="wkl", k=5, compression="pca", dim=4, whiten=True, sigma=0.0, seed=0,
              rescale=None):
    """One point of the information plane: I(X;L) and I(L;Y) of a layer's outputs (n x width),
    with X's code x_code (n x dx, already compressed, e.g. by pca()) and the labels (n, 0..255).
    The layer is taken in single precision (as a run measures it), Gaussian noise of sigma (> 0)
    drawn from seed is added, and it is compressed to min(dim, width) dimensions ("pca", whitened
    by default, or "first_coords"); estimator "noise" takes the whole noiseless layer and needs
    sigma > 0. A failed estimate is NaN, its message in the result's errors and a RuntimeWarning.
    Returns a PlanePoint. Releases the GIL."""
    L = _lib.lib()
    xa = _matrix(x_code, "x_code")
    la = _matrix(layer, "layer")
    ya = _labels(labels, "labels")
    n = xa.shape[0]
    if la.shape[0] != n or ya.shape[0] != n:
        raise ValueError(f"x_code has {n} rows, layer {la.shape[0]} and labels {ya.shape[0]}: the samples must pair up")
    o = _lib.new(_lib.PlaneOptions)
    L.grokinfo_plane_options_init(byref(o))
    keep = (_name(estimator, "estimator"), _name(compression, "compression"))
    o.estimator, o.compression = keep
    o.k = _int(k, "k")
    o.rescale = _rescale(rescale)
    o.dim = _int(dim, "dim")
    o.whiten = int(bool(whiten))
    sigma = float(sigma)
    if not sigma == sigma or sigma < 0 or sigma == float("inf"):
        raise ValueError(f"sigma: {sigma} is not a finite number >= 0")
    o.sigma = sigma
    o.seed = _seed(seed)
    res = _lib.new(_lib.PlanePoint)
    err = _lib.error()
    rc = L.grokinfo_plane(_dp(xa), n, xa.shape[1], _dp(la), la.shape[1], _ip(ya), byref(o), byref(res), byref(err))
    _lib.raise_for(rc, err)
    del keep
    msg = err.msg.decode("utf-8", "replace")
    errors = [msg] if msg and not (res.ixl_ok and res.ily_ok) else []
    nan = float("nan")
    if errors:
        warnings.warn(f"grokinfo.infoplane: {msg}", RuntimeWarning, stacklevel=2)
    return PlanePoint(ixl=res.ixl if res.ixl_ok else nan, ixl_err=res.ixl_err if res.ixl_ok else nan,
                      ily=res.ily if res.ily_ok else nan, ily_err=res.ily_err if res.ily_ok else nan,
                      ixl_ok=bool(res.ixl_ok), ily_ok=bool(res.ily_ok), flags=_flag_list(res.flags),
                      flag_bits=int(res.flags), n=res.n, dx=res.dx, dl=res.dl, h_y=res.h_y, seconds=res.seconds,
                      errors=errors)


# ---- tables of names ---------------------------------------------------------------------------

def estimators():
    """{name: frozenset of capability names}, in the library's table order. Capabilities:
    arrays (grokinfo.mi on two arrays), labels (discrete_y), uses_k, terms (per-point terms and so a
    bootstrap), rescale, whitens (by default), entropy (grokinfo.entropy), standardize."""
    L = _lib.lib()
    out = {}
    for i in range(L.grokinfo_estimator_count()):
        name = L.grokinfo_estimator_name(i).decode()
        caps = L.grokinfo_estimator_caps(name.encode())
        out[name] = frozenset(c for b, c in enumerate(CAP_NAMES) if caps >> b & 1)
    return out


def flag_names():
    """The range flags' names, bit i = flag i (as mi.csv's flags column spells them)."""
    L = _lib.lib()
    return [L.grokinfo_flag_name(i).decode() for i in range(L.grokinfo_flag_count())]


def flag_meanings():
    """{flag name: one-line meaning}."""
    L = _lib.lib()
    return {L.grokinfo_flag_name(i).decode(): L.grokinfo_flag_meaning(i).decode() for i in range(L.grokinfo_flag_count())}


def set_threads(n=0):
    """OpenMP threads for this Python thread's later estimates (n >= 1), or just the number in
    effect (n <= 0); returns the number in effect. Like OpenMP itself, the setting belongs to the
    calling (OS) thread: set it in each thread that runs estimates."""
    return int(_lib.lib().grokinfo_set_threads(_int(n, "n")))


def library_version():
    """The loaded library's "MAJOR.MINOR.PATCH"."""
    return _lib.lib().grokinfo_version().decode()
