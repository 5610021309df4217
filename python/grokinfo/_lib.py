"""Finding, loading and declaring libgrokinfo (ctypes; no compiler needed).

The shared library is looked for, in order:
  1. the path in the environment variable GROKINFO_LIB (a file, e.g. build/libgrokinfo.so);
  2. a copy inside this package (grokinfo/libgrokinfo.so.1, grokinfo/libgrokinfo.so, or any
     grokinfo/libgrokinfo.so.*), put there by `make python-lib` before `pip install ./python`.
It is loaded once, on the first call that needs it, and its grokinfo_api_version() must equal
API_VERSION below (the GROKINFO_API_VERSION of include/grokinfo.h this package mirrors).

ctypes.CDLL releases the GIL for the duration of every foreign call, so estimates running in
several Python threads run in parallel (the library keeps no state between calls).
"""
import ctypes
import glob
import os
import threading
from ctypes import (POINTER, Structure, c_char, c_char_p, c_double, c_int, c_int64, c_uint, c_uint32,
                    c_uint64, c_void_p)

API_VERSION = 1  # GROKINFO_API_VERSION of the header these declarations mirror
ENV_VAR = "GROKINFO_LIB"
ERRLEN = 512

# grokinfo_code
OK, E_ARG, E_ESTIMATE, E_IO = 0, 1, 2, 3

_HERE = os.path.dirname(os.path.abspath(__file__))


class Error(Structure):
    _fields_ = [("code", c_int), ("msg", c_char * ERRLEN)]


class MIOptions(Structure):
    _fields_ = [("estimator", c_char_p), ("k", c_int), ("rescale", c_int), ("standardize", c_int),
                ("bias_correct", c_int), ("compress", c_char_p), ("bootstrap", c_int), ("seed", c_uint64)]


class MIResult(Structure):
    _fields_ = [("mi", c_double), ("stderr_", c_double), ("ci_low", c_double), ("ci_high", c_double),
                ("n", c_int), ("dx", c_int), ("dy", c_int), ("k", c_int), ("rescale", c_int),
                ("flags", c_uint), ("h_y", c_double), ("ceiling", c_double), ("classes", c_int),
                ("seconds", c_double)]


class EntropyResult(Structure):
    _fields_ = [("h", c_double), ("stderr_", c_double), ("n", c_int), ("d", c_int), ("seconds", c_double)]


class OInfoOptions(Structure):
    _fields_ = [("clusters", c_int), ("greedy_max", c_int), ("bias_correct", c_int), ("ties", c_char_p),
                ("seed", c_uint64), ("step", c_int64), ("layer", c_int)]


class OInfoResult(Structure):
    _fields_ = [("synergy", c_double), ("redundancy", c_double),
                ("size_synergy", c_int), ("size_redundancy", c_int),
                ("tc_synergy", c_double), ("dtc_synergy", c_double),
                ("tc_redundancy", c_double), ("dtc_redundancy", c_double),
                ("clusters_synergy", c_uint32), ("clusters_redundancy", c_uint32),
                ("n", c_int), ("m", c_int), ("n_live", c_int), ("n_dead", c_int),
                ("n_clusters", c_int), ("n_sets", c_int), ("n_singular", c_int),
                ("greedy_omega", c_double), ("greedy_size", c_int),
                ("seconds_copula", c_double), ("seconds_ward", c_double), ("seconds_sets", c_double),
                ("seconds_greedy", c_double), ("seconds", c_double)]


class PlaneOptions(Structure):
    _fields_ = [("estimator", c_char_p), ("k", c_int), ("rescale", c_int), ("compression", c_char_p),
                ("dim", c_int), ("whiten", c_int), ("sigma", c_double), ("seed", c_uint64)]


class PlanePoint(Structure):
    _fields_ = [("ixl", c_double), ("ixl_err", c_double), ("ily", c_double), ("ily_err", c_double),
                ("ixl_ok", c_int), ("ily_ok", c_int), ("n", c_int), ("dx", c_int), ("dl", c_int),
                ("flags", c_uint), ("h_y", c_double), ("seconds", c_double)]


# Slack after every struct the library writes into: the header lets a later library add fields
# at the end of a struct without bumping the API version, and an older caller's struct would then
# be too small for what *_init or a result writes. The slack keeps such writes inside our memory.
_SLACK = 256


def new(struct_type):
    """A zeroed struct_type instance with _SLACK spare bytes after it (see above)."""
    buf = (c_char * (ctypes.sizeof(struct_type) + _SLACK))()
    s = struct_type.from_buffer(buf)
    s._slack_owner = buf  # keeps the buffer alive as long as the struct
    return s


_D = POINTER(c_double)
_I = POINTER(c_int)

# name: (restype, argtypes)
_SIGNATURES = {
    "grokinfo_version": (c_char_p, []),
    "grokinfo_api_version": (c_int, []),
    "grokinfo_set_threads": (c_int, [c_int]),
    "grokinfo_estimator_count": (c_int, []),
    "grokinfo_estimator_name": (c_char_p, [c_int]),
    "grokinfo_estimator_caps": (c_int, [c_char_p]),
    "grokinfo_flag_count": (c_int, []),
    "grokinfo_flag_name": (c_char_p, [c_int]),
    "grokinfo_flag_meaning": (c_char_p, [c_int]),
    "grokinfo_mi_options_init": (None, [POINTER(MIOptions)]),
    "grokinfo_mi_check": (c_int, [POINTER(MIOptions), c_int, POINTER(Error)]),
    "grokinfo_mi": (c_int, [_D, c_int, c_int, _D, c_int, POINTER(MIOptions), POINTER(MIResult), _D,
                            POINTER(Error)]),
    "grokinfo_mi_labels": (c_int, [_D, c_int, c_int, _I, POINTER(MIOptions), POINTER(MIResult), _D,
                                   POINTER(Error)]),
    "grokinfo_entropy": (c_int, [_D, c_int, c_int, POINTER(MIOptions), POINTER(EntropyResult), _D,
                                 POINTER(Error)]),
    "grokinfo_pca": (c_int, [_D, c_int, c_int, c_int, c_int, _D, POINTER(Error)]),
    "grokinfo_first_coords": (c_int, [_D, c_int, c_int, c_int, _D, POINTER(Error)]),
    "grokinfo_oinfo_options_init": (None, [POINTER(OInfoOptions)]),
    "grokinfo_oinfo": (c_int, [_D, c_int, c_int, POINTER(OInfoOptions), POINTER(OInfoResult), _I, _I,
                               POINTER(Error)]),
    "grokinfo_plane_options_init": (None, [POINTER(PlaneOptions)]),
    "grokinfo_plane": (c_int, [_D, c_int, c_int, _D, c_int, _I, POINTER(PlaneOptions), POINTER(PlanePoint),
                               POINTER(Error)]),
    "grokinfo_table_read": (c_int, [c_char_p, POINTER(c_void_p), POINTER(Error)]),
    "grokinfo_table_free": (None, [c_void_p]),
    "grokinfo_table_rows": (c_int, [c_void_p]),
    "grokinfo_table_cols": (c_int, [c_void_p]),
    "grokinfo_table_name": (c_char_p, [c_void_p, c_int]),
    "grokinfo_table_num": (_D, [c_void_p, c_int]),
    "grokinfo_table_text": (c_char_p, [c_void_p, c_int, c_int]),
    "grokinfo_run_file_count": (c_int, []),
    "grokinfo_run_file_name": (c_char_p, [c_int]),
    "grokinfo_run_check": (c_int, [c_char_p, POINTER(Error)]),
}


def candidates():
    """The places looked in, in order: [(description, path or None)]."""
    out = [("$" + ENV_VAR, os.environ.get(ENV_VAR) or None)]
    inside = [os.path.join(_HERE, n) for n in ("libgrokinfo.so.1", "libgrokinfo.so")]
    inside += sorted(set(glob.glob(os.path.join(_HERE, "libgrokinfo.so.*"))) - set(inside))
    found = [p for p in inside if os.path.exists(p)]
    out.append(("the package", found[0] if found else None))
    return out


def _find():
    env = os.environ.get(ENV_VAR)
    if env:
        if not os.path.isfile(env):
            raise OSError(f"grokinfo: {ENV_VAR}={env} is not a file (it should be the path of libgrokinfo.so)")
        return env
    for _, path in candidates()[1:]:
        if path:
            return path
    raise OSError(f"grokinfo: libgrokinfo.so not found: set {ENV_VAR} to its path (e.g. build/libgrokinfo.so "
                  f"after make), or copy it into {_HERE} (make python-lib) and reinstall")


def _declare(lib):
    for name, (res, args) in _SIGNATURES.items():
        try:
            f = getattr(lib, name)
        except AttributeError:
            raise OSError(f"grokinfo: {lib._name} has no {name}: not a libgrokinfo of API version {API_VERSION}")
        f.restype = res
        f.argtypes = args


_lock = threading.Lock()
_lib = None
_path = None


def lib():
    """The loaded library (loaded and checked on the first call)."""
    global _lib, _path
    if _lib is not None:
        return _lib
    with _lock:
        if _lib is None:
            path = _find()
            try:
                handle = ctypes.CDLL(os.path.abspath(path))
            except OSError as e:
                raise OSError(f"grokinfo: cannot load {path}: {e}") from None
            try:
                v = handle.grokinfo_api_version
            except AttributeError:
                raise OSError(f"grokinfo: {path} is not libgrokinfo (no grokinfo_api_version)") from None
            v.restype, v.argtypes = c_int, []
            got = v()
            if got != API_VERSION:
                raise OSError(f"grokinfo: {path} has API version {got} but this package needs {API_VERSION}: "
                              f"rebuild the library or the package from the same source")
            _declare(handle)  # (loading it set OpenBLAS to one thread, as the command line runs: include/grokinfo.h)
            _path = path
            _lib = handle
    return _lib


def path():
    """The path the library was loaded from (loading it if needed)."""
    lib()
    return _path


def error():
    return new(Error)


def raise_for(code, err, what=None):
    """Raises the exception for a grokinfo_code: E_ARG, E_ESTIMATE -> ValueError, E_IO -> OSError."""
    if code == OK:
        return
    msg = err.msg.decode("utf-8", "replace") or f"failed with code {code}"
    if what:
        msg = f"{what}: {msg}"
    if code == E_IO:
        raise OSError(msg)
    if code in (E_ARG, E_ESTIMATE):
        raise ValueError(msg)
    raise RuntimeError(f"grokinfo: unexpected error code {code}: {msg}")
