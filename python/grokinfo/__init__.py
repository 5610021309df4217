"""grokinfo: information-theoretic measurements of neural-network training, from Python.

A thin ctypes layer over libgrokinfo (include/grokinfo.h): the numbers are those of the command
line (`grokinfo mi`, `grokinfo oinfo-npy`) on the same arrays, bit for bit.

    >>> import numpy as np, grokinfo
    >>> rng = np.random.default_rng(0)
    >>> x = rng.standard_normal(10000); y = x + rng.standard_normal(10000)
    >>> grokinfo.mi(x, y)                       # KSG, k = 5, in nats
    >>> grokinfo.mi(x, labels, discrete_y=True, estimator="kl")
    >>> grokinfo.oinfo(acts)                    # synergy / redundancy of an activation matrix
    >>> run = grokinfo.load_run("runs/default") # metrics, mi, mi_check, oinfo, summary, config

The library is found through $GROKINFO_LIB (a path to libgrokinfo.so) or a copy inside this
package (`make python-lib`), and loaded on the first call (load_library() to do it now).
Calls release the GIL while the C code runs, so threads can run estimates in parallel; each
estimate also uses OpenMP threads of its own (set_threads).

Errors: ValueError for bad arguments and failed estimates (with the library's one-line message),
TypeError for non-numeric input, OSError for files (and a library that cannot be found or loaded).
"""
from ._api import (EntropyResult, MIResult, OInfoResult, PlanePoint, entropy, estimators, first_coords,
                   flag_meanings, flag_names, infoplane, library_version, mi, oinfo, pca, set_threads)
from ._run import Run, load_run, read_table
from . import _lib

__version__ = "0.16.0"

__all__ = ["mi", "entropy", "oinfo", "infoplane", "pca", "first_coords", "estimators", "flag_names",
           "flag_meanings", "set_threads", "load_run", "read_table", "Run", "MIResult", "EntropyResult",
           "OInfoResult", "PlanePoint", "library_version", "library_path", "load_library", "__version__"]


def load_library():
    """Finds and loads libgrokinfo now (it is otherwise loaded on the first call); returns its
    path. OSError when it cannot be found, loaded, or has another API version."""
    return _lib.path()


library_path = load_library
