"""grokinfo.rundir: write a grokinfo run directory from Python (no torch, no library needed).

A run directory is what ``grokinfo train`` writes and what ``grokinfo plot RUN`` and
``grokinfo compare RUN...`` read (README, "What a run writes"). This module writes the part of it
that those two commands use, in the same format:

``config.yaml``
    grokinfo's configuration keys, nested by section (``train: lr: 0.001``). grokinfo's reader
    rejects a key it does not know and checks every value's type and bounds, so the keys are
    checked here against a copy of its table (``CONFIG_OPTIONS``, mirrored from
    src/util/config.c) and a bad one raises ValueError. Absent keys read back as grokinfo's
    defaults.
``metrics.csv``
    One row per evaluation: ``step,train_loss,train_acc,eval_loss,eval_acc,weight_norm`` (the
    columns ``grokinfo plot`` needs; the milestones come from the accuracies), then any other
    numeric columns (``weight_norm_l1..``, ``grad_norm_l1..``, ``dead_train_l1..``,
    ``dead_eval_l1..`` are drawn by the training figure; ``seconds`` last).
``mi.csv``
    ``step,subset,layer,ixl,ixl_err,ily,ily_err,estimator,dx,dl,h_y,flags,redraws,ixl_mean,
    ixl_sd,ily_mean,ily_sd,ixl_half,ily_half``: subset ``train`` or ``eval``, layer 1..64, MI in
    nats, ``flags`` the names of flags joined by ``+`` (empty: none); a failed estimate is an empty
    field, as grokinfo writes it.
``oinfo.csv``
    ``step,layer,omega_min,omega_max,size_min,size_max,tc_min,dtc_min,n_live,n_dead`` (then
    ``greedy_omega,greedy_size`` with a greedy search, and ``ties`` for a tie rule other than
    ``index``); steps increase within each layer.
``summary.json``
    ``status``, ``memorisation_step``, ``grokking_step`` (null when never reached), thresholds,
    ``final_*`` accuracies and losses, ``flags`` (mi.csv's flags counted per subset, layer and
    flag), ``oinfo`` (the smoothed synergy and redundancy peaks, computed as grokinfo does) and
    ``timing_seconds``. ``phases`` is not written: ``grokinfo plot RUN`` finds and prints them.

Every file is written whole to ``NAME.tmp.PID`` in the run directory, flushed, fsynced and renamed
into place (``os.replace``), as grokinfo does, so no reader ever sees half a file.

    w = RunWriter("runs/mine", config={"seed": 0, "train.lr": 1e-3})
    w.add_metrics(0, train_loss=2.3, train_acc=0.1, eval_loss=2.3, eval_acc=0.1, weight_norm=10.0)
    w.add_mi(0, "eval", 1, ixl=2.0, ixl_err=0.1, ily=0.5, ily_err=0.05, estimator="wkl", dx=4, dl=4, h_y=2.3)
    w.flush()
    w.close()
"""
import json
import math
import numbers
import os
import re
import struct

__all__ = [
    "RunWriter", "SUBSETS", "FLAG_NAMES", "MI_COLUMNS", "OINFO_COLUMNS", "METRICS_REQUIRED", "CONFIG_OPTIONS",
    "atomic_write", "config_yaml", "normalize_config", "format_flags", "parse_flags", "dpi_flags", "label_entropy",
    "read_csv", "milestones", "oinfo_peaks", "RUN_FILES",
]

SUBSETS = ("train", "eval")
# measure/flags.c's table, in bit order (bit i = FLAG_NAMES[i])
FLAG_NAMES = ("ily_negative", "ily_above_ceiling", "ixl_negative", "ixl_above_ln_n", "ixl_at_ceiling", "dpi_ixl",
              "dpi_ily", "half_drift")
MI_COLUMNS = ("step", "subset", "layer", "ixl", "ixl_err", "ily", "ily_err", "estimator", "dx", "dl", "h_y", "flags",
              "redraws", "ixl_mean", "ixl_sd", "ily_mean", "ily_sd", "ixl_half", "ily_half")
MI_TEXT_COLUMNS = ("subset", "estimator", "flags")  # util/run_layout.h RUN_MI_TEXT_COLUMNS
OINFO_COLUMNS = ("step", "layer", "omega_min", "omega_max", "size_min", "size_max", "tc_min", "dtc_min", "n_live",
                 "n_dead")
OINFO_GREEDY_COLUMNS = ("greedy_omega", "greedy_size")
OINFO_TIES = ("index", "random", "average")
METRICS_REQUIRED = ("step", "train_loss", "train_acc", "eval_loss", "eval_acc", "weight_norm")
# the files of a run directory this module writes (and removes first with overwrite=True)
RUN_FILES = ("config.yaml", "metrics.csv", "mi.csv", "oinfo.csv", "summary.json")
# files grokinfo itself may have left in a directory: overwrite=True removes them too, since a stale
# mi_check.csv would be drawn behind the new mi.csv
_STALE_FILES = ("mi_check.csv", "mi_redraws.csv", "mi_check_redraws.csv", "oinfo_ties.csv", "mi_noise.csv")
MAX_LAYER = 64  # report/table.c table_check_step_layer
OINFO_EMA_ALPHA = 0.1  # report/oinfo_report.h

# ---- grokinfo's configuration keys (src/util/config.c's option table) ----------------------------
# name: (type, lo, hi, lo_open, hi_open, allowed). Types: int, float, bool, str, enum, pair (a list
# of two floats). Integer fields of C type int are bounded by its range too.
_I32 = (-2**31, 2**31 - 1)
_I64 = (-2**63, 2**63 - 1)
_INF = math.inf


def _opt(t, lo=-_INF, hi=_INF, lo_open=False, hi_open=False, allowed=None, nullable=False, c64=False):
    if t == "int":
        b = _I64 if c64 else _I32
        lo, hi = max(lo, b[0]), min(hi, b[1])
    return {"type": t, "lo": lo, "hi": hi, "lo_open": lo_open, "hi_open": hi_open, "allowed": allowed,
            "nullable": nullable}


CONFIG_OPTIONS = {
    "seed": _opt("int", c64=True),
    "custom_run_name": _opt("str", nullable=True),
    "project_name": _opt("str"),
    "download_directory": _opt("str"),
    "model.initialization_scale": _opt("float"),
    "model.width": _opt("int", 1),
    "model.depth": _opt("int", 1),
    "model.activation": _opt("enum", allowed=("ReLU", "Tanh", "Sigmoid", "GELU", "LeakyReLU", "Identity")),
    "model.noise": _opt("bool"),
    "model.output_bias": _opt("bool"),
    "model.zero_init_last": _opt("bool"),
    "train.freqLog": _opt("int", 1, c64=True),
    "train.n_first_steps_to_log": _opt("int", 0, c64=True),
    "train.optimization_steps": _opt("int", 0, c64=True),
    "train.batch_size": _opt("int", 0, c64=True),
    "train.test_batch_size": _opt("int", 1, c64=True),
    "train.train_points": _opt("int", 1, c64=True),
    "train.loss_function": _opt("enum", allowed=("MSE", "CrossEntropy")),
    "train.optimizer": _opt("enum", allowed=("AdamW", "Adam", "SGD")),
    "train.weight_decay": _opt("float", 0),
    "train.lr": _opt("float", 0, lo_open=True),
    "train.betas": _opt("pair", 0, 1, hi_open=True),
    "train.eps": _opt("float", 0, lo_open=True),
    "train.momentum": _opt("float", 0),
    "train.eval_schedule": _opt("enum", allowed=("seed", "log")),
    "train.eval_points": _opt("int", 2, c64=True),
    "train.threads": _opt("int", 0),
    "train.save_step_checkpoints": _opt("bool"),
    "train.fix_weight_norm": _opt("bool"),
    "train.first_layer": _opt("enum", allowed=("auto", "sparse", "dense")),
    "data.name": _opt("enum", allowed=("mnist", "modular")),
    "data.path": _opt("str"),
    "data.normalize_mean": _opt("float"),
    "data.normalize_std": _opt("float", 0, lo_open=True),
    "data.p": _opt("int", 2, 255),
    "data.op": _opt("enum", allowed=("add", "sub", "mul", "div")),
    "data.train_fraction": _opt("float", 0, 1, lo_open=True, hi_open=True),
    "mi.enabled": _opt("bool"),
    "mi.sigma": _opt("float", 0),
    "mi.agn_relative_scale": _opt("bool", allowed=(False,)),
    "mi.estimator": _opt("enum", allowed=("auto", "ksg", "kl", "wkl", "wkl-pooled", "kde", "gauss", "gcmi", "noise")),
    "mi.k": _opt("int", 0),
    "mi.entropy_estimator_params.method": _opt("enum", allowed=("KL", "KDE")),
    "mi.entropy_estimator_params.functional_params.n_jobs": _opt("int"),
    "mi.entropy_estimator_params.functional_params.k_neighbours": _opt("int", 1),
    "mi.entropy_estimator_params.rescale": _opt("bool"),
    "mi.compression": _opt("enum", allowed=("pca", "autoencoders", "autoencoder", "first_coords", "smi")),
    "mi.x_compression": _opt("enum", allowed=("autoencoder", "pca")),
    "mi.n_projections": _opt("int", 1),
    "mi.eval_points": _opt("int", 0),
    "mi.check": _opt("bool"),
    "mi.check_k": _opt("int", 1),
    "mi.standardize": _opt("bool"),
    "mi.noise_model": _opt("bool"),
    "mi.noise_sigma_rel": _opt("float", 0),
    "mi.noise_draws": _opt("int", 1),
    "mi.noise_redraws": _opt("int", 0),
    "mi.noise_redraws_from": _opt("int", 0, c64=True),
    "mi.pca.whiten_flag": _opt("bool"),
    "mi.filter_mi_plots_flag": _opt("bool"),
    "ae.L_latent_dim": _opt("int", 1),
    "ae.encoder_path": _opt("str"),
    "ae.decoder_path": _opt("str"),
    "ae.hidden": _opt("int", 1),
    "ae.epochs": _opt("int", 1),
    "ae.batch_size": _opt("int", 1),
    "ae.lr": _opt("float", 0, lo_open=True),
    "ae.latent_noise": _opt("float", 0),
    "oinfo.enabled": _opt("bool"),
    "oinfo.every": _opt("int", 1),
    "oinfo.subset": _opt("enum", allowed=("train", "eval")),
    "oinfo.clusters": _opt("int", 2, 16),
    "oinfo.greedy_max": _opt("int", 0),
    "oinfo.bias_correct": _opt("bool"),
    "oinfo.ties": _opt("enum", allowed=("index", "random", "average")),
    "oinfo.ties_check": _opt("enum", allowed=("none", "index", "random", "average")),
    "plot.enabled": _opt("bool"),
    "summary.train_acc": _opt("float", 0, 1),
    "summary.eval_acc": _opt("float", 0, 1),
    "phases.min_step": _opt("int", 1, c64=True),
    "phases.min_decades": _opt("float", 0),
    "phases.min_points": _opt("int", 2),
    "phases.penalty": _opt("float", 0),
    "phases.z": _opt("float", 0),
    "phases.min_change": _opt("float", 0),
    "phases.z_flat": _opt("float", 0),
}
_CONFIG_ORDER = {k: i for i, k in enumerate(CONFIG_OPTIONS)}
_DEFAULT_THRESHOLDS = {"summary.train_acc": 0.99, "summary.eval_acc": 0.5}


def _nearest_key(key):
    """the known key nearest to an unknown one: its full name for a bare last part, else by edit distance"""
    for k in CONFIG_OPTIONS:
        if k.endswith("." + key):
            return k

    def dist(a, b):
        prev = list(range(len(b) + 1))
        for i, ca in enumerate(a, 1):
            cur = [i]
            for j, cb in enumerate(b, 1):
                cur.append(min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + (ca != cb)))
            prev = cur
        return prev[-1]

    return min(CONFIG_OPTIONS, key=lambda k: dist(key, k))


def _flatten(config, prefix=""):
    out = {}
    for k, v in config.items():
        if not isinstance(k, str) or not k:
            raise ValueError(f"config: keys must be non-empty strings, got {k!r}")
        name = prefix + k
        if isinstance(v, dict):
            if name in CONFIG_OPTIONS:
                raise ValueError(f"config: {name}: expected a value, got a mapping")
            out.update(_flatten(v, name + "."))
        else:
            if name in out:
                raise ValueError(f"config: {name} given twice")
            out[name] = v
    return out


def _check_number(name, x, o, what):
    lo_ok = x > o["lo"] if o["lo_open"] else x >= o["lo"]
    hi_ok = x < o["hi"] if o["hi_open"] else x <= o["hi"]
    if not (lo_ok and hi_ok):
        lo = ("(" if o["lo_open"] else "[") + (f"{o['lo']:g}" if math.isfinite(o["lo"]) else "-inf")
        hi = (f"{o['hi']:g}" if math.isfinite(o["hi"]) else "inf") + (")" if o["hi_open"] else "]")
        raise ValueError(f"config: {name}: expected {what} in {lo}, {hi}, got {x!r}")


def _config_value(name, v):
    """v checked against grokinfo's option `name`, in its canonical Python type"""
    o = CONFIG_OPTIONS[name]
    t = o["type"]
    if hasattr(v, "item") and not isinstance(v, (str, bytes)):  # numpy and torch scalars
        try:
            v = v.item()
        except (TypeError, ValueError):
            pass
    if t == "bool":
        if not isinstance(v, bool):
            raise ValueError(f"config: {name}: expected true or false, got {v!r}")
        if o["allowed"] is not None and v not in o["allowed"]:
            raise ValueError(f"config: {name}: only false is supported")
        return v
    if t == "int":
        if isinstance(v, bool) or not isinstance(v, numbers.Real) or not math.isfinite(v) or v != math.floor(v):
            raise ValueError(f"config: {name}: expected an integer, got {v!r}")
        v = int(v)
        _check_number(name, v, o, "an integer")
        return v
    if t == "float":
        if isinstance(v, bool) or not isinstance(v, numbers.Real) or not math.isfinite(v):
            raise ValueError(f"config: {name}: expected a finite number, got {v!r}")
        v = float(v)
        _check_number(name, v, o, "a number")
        return v
    if t == "pair":
        if isinstance(v, (str, bytes)) or not hasattr(v, "__len__") or len(v) != 2:
            raise ValueError(f"config: {name}: expected a list of 2 numbers, got {v!r}")
        out = []
        for x in v:
            if isinstance(x, bool) or not isinstance(x, numbers.Real) or not math.isfinite(x):
                raise ValueError(f"config: {name}: expected a list of 2 finite numbers, got {v!r}")
            _check_number(name, float(x), o, "numbers")
            out.append(float(x))
        return out
    if t == "enum":
        if not isinstance(v, str):
            raise ValueError(f"config: {name}: expected one of {', '.join(o['allowed'])}, got {v!r}")
        for a in o["allowed"]:
            if v == a:
                return a
        for a in o["allowed"]:
            if v.lower() == a.lower():
                return a
        raise ValueError(f"config: {name}: {v!r} is not one of {', '.join(o['allowed'])}")
    # str
    if v is None:
        if not o["nullable"]:
            raise ValueError(f"config: {name}: expected a string, got None")
        return None
    if not isinstance(v, str):
        raise ValueError(f"config: {name}: expected a string, got {v!r}")
    if any(ord(c) < 0x20 for c in v):
        raise ValueError(f"config: {name}: control characters are not allowed")
    if len(v.encode()) >= (1024 if name.endswith(("path", "directory")) else 256):
        raise ValueError(f"config: {name}: string too long ({len(v)} characters)")
    return v


def normalize_config(config):
    """config (dotted keys {"train.lr": 1e-3} or nested {"train": {"lr": 1e-3}}) checked against
    grokinfo's option table: a dict of dotted keys in the table's order; ValueError naming the key
    on an unknown key or a bad value (grokinfo would refuse to read the file)"""
    if config is None:
        return {}
    if not isinstance(config, dict):
        raise ValueError(f"config: expected a dict of grokinfo config keys, got {type(config).__name__}")
    flat = _flatten(config)
    out = {}
    for k, v in flat.items():
        if k not in CONFIG_OPTIONS:
            if any(o.startswith(k + ".") for o in CONFIG_OPTIONS):
                raise ValueError(f"config: {k}: is a section, not a value")
            raise ValueError(f"config: unknown config key {k!r} (did you mean {_nearest_key(k)!r}?); grokinfo "
                             "refuses a config.yaml with keys it does not know: record other settings with "
                             "RunWriter.write_json")
        out[k] = _config_value(k, v)
    return dict(sorted(out.items(), key=lambda kv: _CONFIG_ORDER[kv[0]]))


def _yaml_scalar(v):
    if v is None:
        return "null"
    if isinstance(v, bool):
        return "true" if v else "false"
    if isinstance(v, int):
        return str(v)
    if isinstance(v, float):
        return repr(v)
    if isinstance(v, list):
        return "[" + ", ".join(_yaml_scalar(x) for x in v) + "]"
    return "'" + v.replace("'", "''") + "'"


def config_yaml(config, header=None):
    """the text of a config.yaml holding `config` (normalized first), nested by section"""
    flat = normalize_config(config)
    lines = []
    if header:
        lines += ["# " + h if h else "#" for h in header.splitlines()]
    prev = []
    for name, v in flat.items():
        parts = name.split(".")
        common = 0
        while common < len(parts) - 1 and common < len(prev) - 1 and parts[common] == prev[common]:
            common += 1
        if common == 0 and len(parts) > 1 and lines and lines[-1] != "":
            lines.append("")
        for d in range(common, len(parts) - 1):
            lines.append("  " * d + parts[d] + ":")
        lines.append("  " * (len(parts) - 1) + parts[-1] + ": " + _yaml_scalar(v))
        prev = parts
    return "\n".join(lines) + "\n"


# ---- files ----------------------------------------------------------------------------------------

def atomic_write(path, text):
    """text into path, atomically: NAME.tmp.PID beside it, fsynced, renamed into place"""
    path = os.fspath(path)
    tmp = f"{path}.tmp.{os.getpid()}"
    try:
        with open(tmp, "w", encoding="utf-8", newline="\n") as f:
            f.write(text)
            f.flush()
            os.fsync(f.fileno())
        os.replace(tmp, path)
    except BaseException:
        try:
            os.unlink(tmp)
        except FileNotFoundError:
            pass
        raise
    try:
        fd = os.open(os.path.dirname(os.path.abspath(path)), os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)


def _num_text(v):
    """a CSV field: ints as they are, floats round-tripping (repr), NaN/None empty"""
    if v is None:
        return ""
    if isinstance(v, int):
        return str(v)
    v = float(v)
    return "" if math.isnan(v) else repr(v)


def read_csv(path):
    """a CSV written here (or by grokinfo) as {column: list}: a column is numbers (int or float,
    empty fields NaN) when every field parses as one, else text; mi.csv's subset, estimator and
    flags and oinfo.csv's ties are always text"""
    with open(path, encoding="utf-8") as f:
        lines = [ln.rstrip("\r\n") for ln in f if ln.strip()]
    if not lines:
        raise ValueError(f"{path}: empty file, expected a header line")
    header = lines[0].split(",")
    raw = {h: [] for h in header}
    for i, ln in enumerate(lines[1:], 2):
        fields = ln.split(",")
        if len(fields) != len(header):
            raise ValueError(f"{path}:{i}: {len(fields)} fields, expected {len(header)} as in the header")
        for h, x in zip(header, fields):
            raw[h].append(x)

    def number(x):
        if x == "":
            return math.nan
        try:
            return int(x)
        except ValueError:
            return float(x)

    cols = {}
    for h, xs in raw.items():
        if h in MI_TEXT_COLUMNS or h == "ties":
            cols[h] = xs
            continue
        try:
            cols[h] = [number(x) for x in xs]
        except ValueError:
            cols[h] = xs
    return cols


# ---- values -----------------------------------------------------------------------------------------

def _as_scalar(v):
    if hasattr(v, "item") and not isinstance(v, (str, bytes)):  # numpy and torch scalars, 1-element arrays
        try:
            return v.item()
        except (TypeError, ValueError) as err:
            raise ValueError(f"expected a single number, got an array of shape {getattr(v, 'shape', '?')}") from err
    return v


def _step(v, what="step"):
    v = _as_scalar(v)
    if isinstance(v, bool) or not isinstance(v, numbers.Real) or not math.isfinite(v) or v != math.floor(v) or v < 0:
        raise ValueError(f"{what}: expected an integer >= 0, got {v!r}")
    return int(v)


def _int(v, what, lo=0, hi=None):
    v = _as_scalar(v)
    if isinstance(v, bool) or not isinstance(v, numbers.Real) or not math.isfinite(v) or v != math.floor(v):
        raise ValueError(f"{what}: expected an integer, got {v!r}")
    v = int(v)
    if v < lo or (hi is not None and v > hi):
        raise ValueError(f"{what}: expected an integer in [{lo}, {hi if hi is not None else 'inf'}], got {v}")
    return v


def _short_float32(x):
    """the shortest decimal that is the same float32 as x (a float32 value held in a double), so that
    a float32 accuracy of 0.14 is written 0.14, not 0.14000000059604645"""
    want = struct.pack("<f", x)
    for p in range(1, 10):
        y = float(f"{x:.{p}g}")
        if struct.pack("<f", y) == want:
            return y
    return x


def _float(v, what, nan_ok=True, lo=None, hi=None):
    """a finite float, or NaN (None too) where nan_ok; ValueError otherwise. A float32 scalar
    (NumPy or torch) becomes the shortest decimal of the same float32."""
    f32 = str(getattr(v, "dtype", "")) in ("float32", "torch.float32")
    v = _as_scalar(v)
    if f32 and isinstance(v, float) and math.isfinite(v):
        v = _short_float32(v)
    if v is None:
        v = math.nan
    if isinstance(v, bool) or not isinstance(v, numbers.Real):
        raise ValueError(f"{what}: expected a number, got {v!r}")
    v = float(v)
    if math.isnan(v):
        if not nan_ok:
            raise ValueError(f"{what}: NaN is not allowed here")
        return v
    if math.isinf(v):
        raise ValueError(f"{what}: {v} is not allowed (a value must be finite, or NaN for a missing one)")
    if (lo is not None and v < lo) or (hi is not None and v > hi):
        raise ValueError(f"{what}: {v!r} outside [{lo if lo is not None else '-inf'}, {hi if hi is not None else 'inf'}]")
    return v


def _text(v, what):
    if not isinstance(v, str) or not v or re.search(r"[\s,\"']", v):
        raise ValueError(f"{what}: expected a non-empty word without spaces, commas or quotes, got {v!r}")
    return v


def format_flags(flags):
    """flags as mi.csv writes them: names in grokinfo's order joined by '+' ('' for none). flags: None,
    '' , an int of flag bits, 'a+b', or an iterable of names; ValueError on an unknown name"""
    flags = _as_scalar(flags)
    if flags is None or flags == "":
        return ""
    if isinstance(flags, bool):
        raise ValueError(f"flags: expected flag names or bits, got {flags!r}")
    if isinstance(flags, numbers.Integral):
        bits = int(flags)
        if bits < 0 or bits >> len(FLAG_NAMES):
            raise ValueError(f"flags: bits {bits:#x} outside the {len(FLAG_NAMES)} known flags")
        return "+".join(n for i, n in enumerate(FLAG_NAMES) if bits >> i & 1)
    names = flags.split("+") if isinstance(flags, str) else list(flags)
    for n in names:
        if n not in FLAG_NAMES:
            raise ValueError(f"flags: unknown flag {n!r} (known: {', '.join(FLAG_NAMES)})")
    return "+".join(n for n in FLAG_NAMES if n in names)


def parse_flags(text):
    """the set of flag names in mi.csv's flags field"""
    return set(format_flags(text).split("+")) - {""}


def dpi_flags(prev, cur):
    """grokinfo's data-processing flags of layer `cur` after layer `prev` (each a dict with ixl,
    ixl_err, ily, ily_err; NaN never flags): dpi_ixl when I(X;L) rises by more than 2 combined
    standard errors, dpi_ily alike (measure/flags.c mi_flags_dpi)"""
    out = set()

    def up(a, sa, b, sb):
        d, tol = b - a, 2.0 * math.hypot(sb, sa)
        return all(math.isfinite(x) for x in (a, sa, b, sb)) and d > tol

    if up(prev["ixl"], prev["ixl_err"], cur["ixl"], cur["ixl_err"]):
        out.add("dpi_ixl")
    if up(prev["ily"], prev["ily_err"], cur["ily"], cur["ily_err"]):
        out.add("dpi_ily")
    return out


def label_entropy(labels):
    """H(Y) = -sum p ln p of the labels' empirical distribution, in nats (mi.csv's h_y)"""
    counts = {}
    n = 0
    for y in labels:
        y = _as_scalar(y)
        counts[y] = counts.get(y, 0) + 1
        n += 1
    if n == 0:
        raise ValueError("labels: empty")
    return -sum(c / n * math.log(c / n) for c in counts.values())


def milestones(steps, train_acc, eval_acc, train_threshold=0.99, eval_threshold=0.5):
    """(memorisation, grokking): the first step whose train (eval) accuracy reaches its threshold, or
    None (report/milestones.c)"""
    mem = next((s for s, a in zip(steps, train_acc) if a >= train_threshold), None)
    grok = next((s for s, a in zip(steps, eval_acc) if a >= eval_threshold), None)
    return mem, grok


def _ema(x, alpha):
    out, s = [], None
    for v in x:
        s = v if s is None else alpha * v + (1 - alpha) * s
        out.append(s)
    return out


def _minmax(x):
    if not x:
        return []
    lo, hi = min(x), max(x)
    r = hi - lo
    return [(v - lo) / r if r > 0 else 0.0 for v in x]


def _argmax(x):
    k = -1
    for i, v in enumerate(x):
        if k < 0 or v > x[k]:
            k = i
    return k


def oinfo_peaks(rows, alpha=OINFO_EMA_ALPHA):
    """per layer 1..max layer of oinfo.csv rows (dicts with step, layer, omega_min, omega_max, in file
    order): points, synergy_peak_step, redundancy_peak_step and Ω at each, computed as grokinfo
    does (report/oinfo_report.c): step 0 and empty Ω left out, synergy = -omega_min and redundancy
    = omega_max min-max normalised over the run, then EMA-smoothed (alpha 0.1), each peak the
    first maximum; None without points"""
    n_layers = max((r["layer"] for r in rows), default=0)
    out = []
    for layer in range(1, n_layers + 1):
        pts = [r for r in rows if r["layer"] == layer and r["step"] != 0 and math.isfinite(r["omega_min"])
               and math.isfinite(r["omega_max"])]
        syn = _ema(_minmax([-r["omega_min"] for r in pts]), alpha)
        red = _ema(_minmax([r["omega_max"] for r in pts]), alpha)
        ks, kr = _argmax(syn), _argmax(red)
        out.append({"layer": layer, "points": len(pts),
                    "synergy_peak_step": pts[ks]["step"] if ks >= 0 else None,
                    "redundancy_peak_step": pts[kr]["step"] if kr >= 0 else None,
                    "omega_min_at_synergy_peak": pts[ks]["omega_min"] if ks >= 0 else None,
                    "omega_max_at_redundancy_peak": pts[kr]["omega_max"] if kr >= 0 else None})
    return out


def _json_clean(v):
    """NaN and Inf as null (JSON has neither), numpy scalars as numbers"""
    if isinstance(v, dict):
        return {str(k): _json_clean(x) for k, x in v.items()}
    if isinstance(v, (list, tuple)):
        return [_json_clean(x) for x in v]
    if hasattr(v, "item") and not isinstance(v, (str, bytes)):
        try:
            v = v.item()
        except (TypeError, ValueError):
            v = v.tolist()
            return _json_clean(v)
    if isinstance(v, float) and not math.isfinite(v):
        return None
    return v


_COLUMN_NAME = re.compile(r"^[A-Za-z_][A-Za-z0-9_.]*$")


class RunWriter:
    """A grokinfo run directory, written from Python.

    path: the directory (created). config: grokinfo config keys (dotted or nested; see
    normalize_config), written to config.yaml at once. overwrite: an existing run's files are
    removed first; without it, a directory that already holds one raises FileExistsError.
    config_header: comment lines at the top of config.yaml.

    add_metrics, add_mi, add_oinfo check their values and keep the rows (a call that raises
    ValueError keeps nothing of itself); flush() rewrites the CSVs that have rows, atomically;
    close() flushes and writes summary.json. Rows are kept in memory: a run of thousands of
    evaluations rewrites a few hundred kilobytes per flush."""

    def __init__(self, path, config=None, *, overwrite=False, config_header=None):
        self.path = os.fspath(path)
        self.config = normalize_config(config)
        os.makedirs(self.path, exist_ok=True)
        present = [f for f in RUN_FILES + _STALE_FILES if os.path.exists(os.path.join(self.path, f))]
        if present and not overwrite:
            raise FileExistsError(f"{self.path}: already holds a run ({', '.join(present)}); pass overwrite=True to "
                                  "replace it, or choose another directory")
        for f in present:
            os.unlink(os.path.join(self.path, f))
        self._metrics_cols = None
        self._metrics = []
        self._mi = []
        self._mi_keys = set()
        self._oinfo = []
        self._oinfo_last = {}
        self._oinfo_greedy = None
        self._oinfo_ties = None
        self._dirty = set()
        self.closed = False
        atomic_write(self.file("config.yaml"), config_yaml(self.config, config_header))

    def file(self, name):
        return os.path.join(self.path, name)

    # ---- metrics.csv ----
    def add_metrics(self, step, **values):
        """one evaluation's row of metrics.csv. Every row has train_loss, train_acc, eval_loss,
        eval_acc and weight_norm (NaN where unknown: a column of NaN only is drawn as nothing, and
        grokinfo plot fails on a panel with nothing to draw). The first row fixes the columns:
        METRICS_REQUIRED, then its other keys in their order (names of letters, digits, '_' and
        '.'), `seconds` last; a later row may leave one of those out (empty) but not add one.
        Values: numbers, NaN or None (empty), never infinite; accuracies (*_acc) within [0, 1];
        steps strictly increase."""
        self._open()
        step = _step(step)
        if self._metrics and step <= self._metrics[-1]["step"]:
            raise ValueError(f"metrics: step {step} does not follow step {self._metrics[-1]['step']} (steps must "
                             "strictly increase)")
        if "step" in values:
            raise ValueError("metrics: step is the first argument, not a keyword")
        missing = [k for k in METRICS_REQUIRED[1:] if k not in values]
        if missing:
            raise ValueError(f"metrics, step {step}: missing {', '.join(missing)}: grokinfo plot draws "
                             f"{', '.join(METRICS_REQUIRED[1:])} (pass NaN for a value you do not have)")
        row = {"step": step}
        for k, v in values.items():
            if not _COLUMN_NAME.match(k):
                raise ValueError(f"metrics: column name {k!r}: use letters, digits, '_' and '.'")
            acc = k.endswith("_acc")
            x = _float(v, f"metrics, step {step}, {k}", lo=0.0 if acc else None, hi=1.0 if acc else None)
            v = _as_scalar(v)
            row[k] = int(v) if isinstance(v, numbers.Integral) and not isinstance(v, bool) else x  # counts stay ints
        if self._metrics_cols is None:
            cols = list(METRICS_REQUIRED) + [k for k in values if k not in METRICS_REQUIRED and k != "seconds"]
            if "seconds" in values:
                cols.append("seconds")
        else:
            cols = self._metrics_cols
            extra = [k for k in values if k not in cols]
            if extra:
                raise ValueError(f"metrics, step {step}: column(s) {', '.join(extra)} not in the first row's "
                                 f"({', '.join(cols)}); metrics.csv has one header")
        self._metrics_cols = cols
        self._metrics.append(row)
        self._dirty.add("metrics.csv")
        return row

    # ---- mi.csv ----
    def mi_row(self, step, subset, layer, ixl, ixl_err, ily, ily_err, *, estimator, dx, dl, h_y, flags="",
               redraws=0, ixl_mean=None, ixl_sd=None, ily_mean=None, ily_sd=None, ixl_half=None, ily_half=None):
        """one mi.csv row checked (not added): a dict of its columns"""
        step = _step(step)
        if subset not in SUBSETS:
            raise ValueError(f"mi: subset {subset!r}: grokinfo's mi.csv knows only {' and '.join(SUBSETS)} "
                             "(grokinfo plot refuses any other)")
        where = f"mi, step {step}, {subset}"
        layer = _int(layer, f"{where}: layer", 1, MAX_LAYER)
        where += f" layer {layer}"
        r = {"step": step, "subset": subset, "layer": layer}
        for k, v in (("ixl", ixl), ("ily", ily), ("ixl_mean", ixl_mean), ("ily_mean", ily_mean),
                     ("ixl_half", ixl_half), ("ily_half", ily_half)):
            r[k] = _float(v, f"{where}: {k}")
        for k, v in (("ixl_err", ixl_err), ("ily_err", ily_err), ("ixl_sd", ixl_sd), ("ily_sd", ily_sd)):
            r[k] = _float(v, f"{where}: {k}", lo=0.0)
        r["estimator"] = _text(estimator, f"{where}: estimator")
        r["dx"] = _int(dx, f"{where}: dx", 1)
        r["dl"] = _int(dl, f"{where}: dl", 1)
        r["h_y"] = _float(h_y, f"{where}: h_y", nan_ok=False, lo=0.0)
        r["flags"] = format_flags(flags)
        r["redraws"] = _int(redraws, f"{where}: redraws", 0)
        return r

    def add_mi(self, step, subset, layer, ixl, ixl_err, ily, ily_err, **kw):
        """one row of mi.csv (see mi_row's arguments); ValueError on a repeated (step, subset, layer)"""
        return self.add_mi_rows([self.mi_row(step, subset, layer, ixl, ixl_err, ily, ily_err, **kw)])[0]

    def add_mi_rows(self, rows):
        """rows from mi_row (or dicts of its arguments), all checked before any is added"""
        self._open()
        checked, keys = [], set()
        for r in rows:
            r = self.mi_row(**r)
            key = (r["step"], r["subset"], r["layer"])
            if key in self._mi_keys or key in keys:
                raise ValueError(f"mi: step {key[0]}, subset {key[1]}, layer {key[2]} already written (grokinfo plot "
                                 "refuses a step that appears twice)")
            keys.add(key)
            checked.append({c: r[c] for c in MI_COLUMNS})
        self._mi.extend(checked)
        self._mi_keys |= keys
        if checked:
            self._dirty.add("mi.csv")
        return checked

    # ---- oinfo.csv ----
    def add_oinfo(self, step, layer, omega_min, omega_max, size_min, size_max, tc_min, dtc_min, n_live, n_dead,
                  greedy_omega=None, greedy_size=None, ties="index"):
        """one row of oinfo.csv: Ω of the synergy set (omega_min) and of the redundancy set
        (omega_max), NaN when the layer has fewer than two live clusters; steps increase within a
        layer; the first row decides whether the greedy columns are there (greedy_size given) and
        the tie rule (one per file)"""
        self._open()
        step = _step(step)
        where = f"oinfo, step {step}"
        layer = _int(layer, f"{where}: layer", 1, MAX_LAYER)
        where += f" layer {layer}"
        last = self._oinfo_last.get(layer)
        if last is not None and step <= last:
            raise ValueError(f"{where}: does not follow step {last} of this layer (steps must increase)")
        if ties not in OINFO_TIES:
            raise ValueError(f"{where}: ties {ties!r} is not one of {', '.join(OINFO_TIES)}")
        if self._oinfo_ties is not None and ties != self._oinfo_ties:
            raise ValueError(f"{where}: ties {ties!r}, but the file's rule is {self._oinfo_ties!r} (one file, one rule)")
        greedy = greedy_size is not None
        if self._oinfo_greedy is not None and greedy != self._oinfo_greedy:
            raise ValueError(f"{where}: greedy columns {'given' if greedy else 'missing'}, unlike the first row")
        r = {"step": step, "layer": layer,
             "omega_min": _float(omega_min, f"{where}: omega_min"), "omega_max": _float(omega_max, f"{where}: omega_max"),
             "size_min": _int(size_min, f"{where}: size_min"), "size_max": _int(size_max, f"{where}: size_max"),
             "tc_min": _float(tc_min, f"{where}: tc_min"), "dtc_min": _float(dtc_min, f"{where}: dtc_min"),
             "n_live": _int(n_live, f"{where}: n_live"), "n_dead": _int(n_dead, f"{where}: n_dead")}
        if greedy:
            r["greedy_omega"] = _float(greedy_omega, f"{where}: greedy_omega")
            r["greedy_size"] = _int(greedy_size, f"{where}: greedy_size")
        self._oinfo_ties, self._oinfo_greedy = ties, greedy
        self._oinfo_last[layer] = step
        self._oinfo.append(r)
        self._dirty.add("oinfo.csv")
        return r

    # ---- writing ----
    def _open(self):
        if self.closed:
            raise ValueError(f"{self.path}: the run is closed")

    def _metrics_text(self):
        cols = self._metrics_cols
        lines = [",".join(cols)]
        for r in self._metrics:
            lines.append(",".join(_num_text(r.get(c)) for c in cols))
        return "\n".join(lines) + "\n"

    def _mi_text(self):
        lines = [",".join(MI_COLUMNS)]
        for r in self._mi:
            lines.append(",".join(r[c] if c in MI_TEXT_COLUMNS else _num_text(r[c]) for c in MI_COLUMNS))
        return "\n".join(lines) + "\n"

    def _oinfo_text(self):
        cols = list(OINFO_COLUMNS) + (list(OINFO_GREEDY_COLUMNS) if self._oinfo_greedy else [])
        ties = self._oinfo_ties not in (None, "index")
        lines = [",".join(cols + (["ties"] if ties else []))]
        for r in self._oinfo:
            lines.append(",".join([_num_text(r[c]) for c in cols] + ([self._oinfo_ties] if ties else [])))
        return "\n".join(lines) + "\n"

    def flush(self):
        """rewrites the files whose rows changed since the last flush (each atomically)"""
        for name, text in (("metrics.csv", self._metrics_text), ("mi.csv", self._mi_text),
                           ("oinfo.csv", self._oinfo_text)):
            if name in self._dirty:
                atomic_write(self.file(name), text())
        self._dirty.clear()

    def write_json(self, name, obj):
        """an extra JSON file in the run directory (NaN as null), atomically; grokinfo ignores it"""
        if os.path.basename(name) != name or name in RUN_FILES:
            raise ValueError(f"write_json: {name!r} must be a plain file name, not one of grokinfo's files")
        atomic_write(self.file(name), json.dumps(_json_clean(obj), indent=2, allow_nan=False) + "\n")

    def summary(self, status="finished", timing=None, extra=None):
        """summary.json's content for the rows so far (see the module's docstring)"""
        thr_t = self.config.get("summary.train_acc", _DEFAULT_THRESHOLDS["summary.train_acc"])
        thr_e = self.config.get("summary.eval_acc", _DEFAULT_THRESHOLDS["summary.eval_acc"])
        m = self._metrics
        steps = [r["step"] for r in m]
        mem, grok = milestones(steps, [r.get("train_acc", math.nan) for r in m],
                               [r.get("eval_acc", math.nan) for r in m], thr_t, thr_e)
        s = {"status": status, "memorisation_step": mem, "grokking_step": grok, "memorisation_threshold": thr_t,
             "grokking_threshold": thr_e}
        if m:
            last = m[-1]
            s["final_step"] = last["step"]
            for k in ("train_acc", "eval_acc", "train_loss", "eval_loss"):
                s["final_" + k] = last.get(k, math.nan)
        if self._mi:
            n_layers = max(r["layer"] for r in self._mi)
            counts = {sub: {str(l): {f: 0 for f in FLAG_NAMES} for l in range(1, n_layers + 1)} for sub in SUBSETS}
            flagged = 0
            for r in self._mi:
                names = parse_flags(r["flags"])
                flagged += bool(names)
                for f in names:
                    counts[r["subset"]][str(r["layer"])][f] += 1
            ests = sorted({r["estimator"] for r in self._mi})
            s["flags"] = {"file": self.file("mi.csv"), "estimator": self._mi[0]["estimator"] if len(ests) == 1
                          else "+".join(ests), "rows": len(self._mi), "flagged_rows": flagged, **counts}
        if self._oinfo:
            s["oinfo"] = {"oinfo_csv": self.file("oinfo.csv"), "ties": self._oinfo_ties or "index",
                          "curves": "synergy = -omega_min, redundancy = omega_max; step 0 left out, min-max "
                                    "normalised over the run, then EMA-smoothed",
                          "ema_alpha": OINFO_EMA_ALPHA, "memorisation_threshold": thr_t, "grokking_threshold": thr_e,
                          "memorisation_step": mem, "grokking_step": grok, "layers": oinfo_peaks(self._oinfo)}
        if timing:
            s["timing_seconds"] = {k: _float(v, f"timing {k}", nan_ok=False) for k, v in timing.items()}
        if extra:
            clash = set(extra) & set(s)
            if clash:
                raise ValueError(f"summary: extra keys {', '.join(sorted(clash))} are summary.json's own")
            s.update(extra)
        return _json_clean(s)

    def close(self, status="finished", timing=None, extra=None):
        """flushes the rows and writes summary.json; returns its content. status: "finished", or why
        the run stopped (grokinfo compare prints it)"""
        if not isinstance(status, str) or not status or "\n" in status:
            raise ValueError(f"close: status must be a one-line string, got {status!r}")
        s = self.summary(status, timing, extra)
        self.flush()
        atomic_write(self.file("summary.json"), json.dumps(s, indent=2, allow_nan=False) + "\n")
        self.closed = True
        return s
