"""Reading a run directory: its CSV files through grokinfo_table_read, summary.json, config.yaml."""
import json
import os
import re
from ctypes import byref, c_void_p

import numpy as np

from . import _lib

# Columns that hold text in a run's CSV files. The library types a column as numeric when every
# field parses as a number and an empty field as NaN, so a text column whose fields are all empty
# (mi.csv's flags when nothing is flagged) comes back numeric; these are turned back into "".
_TEXT_COLUMNS = frozenset({"flags", "subset", "estimator", "ties"})


def read_table(path):
    """A CSV with a header line as a NumPy record array: numeric columns float64 (empty fields
    NaN), text columns str. OSError when the file is missing, unreadable or corrupt."""
    L = _lib.lib()
    t = c_void_p()
    err = _lib.error()
    _lib.raise_for(L.grokinfo_table_read(os.fsencode(path), byref(t), byref(err)), err)
    try:
        rows, cols = L.grokinfo_table_rows(t), L.grokinfo_table_cols(t)
        names, arrays = [], []
        for c in range(cols):
            name = L.grokinfo_table_name(t, c).decode("utf-8", "replace")
            num = L.grokinfo_table_num(t, c)
            if num:
                a = np.ctypeslib.as_array(num, shape=(rows,)).copy() if rows else np.empty(0, dtype=np.float64)
                if name in _TEXT_COLUMNS and np.isnan(a).all():
                    a = np.array([""] * rows, dtype="U1")
            else:
                vals = [(L.grokinfo_table_text(t, c, r) or b"").decode("utf-8", "replace") for r in range(rows)]
                a = np.array(vals, dtype=str) if rows else np.empty(0, dtype="U1")
            names.append(name)
            arrays.append(a)
    finally:
        L.grokinfo_table_free(t)
    if len(set(names)) != len(names):
        dup = sorted({n for n in names if names.count(n) > 1})
        raise OSError(f"{path}: repeated column name(s) {', '.join(dup)}")
    if not names:
        return np.rec.array(np.empty(rows, dtype=[]))
    return np.rec.fromarrays(arrays, names=names)


def _run_files():
    L = _lib.lib()
    return [L.grokinfo_run_file_name(i).decode() for i in range(L.grokinfo_run_file_count())]


# ---- config.yaml: the resolved configuration, a simple subset of YAML ---------------------------

_KEY = re.compile(r"^( *)([A-Za-z_][A-Za-z0-9_.\-]*):(?: (.*))?$")


def _scalar(s):
    s = s.strip()
    if s in ("", "~", "null", "Null", "NULL"):
        return None
    if s in ("true", "True", "TRUE"):
        return True
    if s in ("false", "False", "FALSE"):
        return False
    if len(s) >= 2 and s[0] == s[-1] and s[0] in "'\"":
        body = s[1:-1]
        return body.replace("''", "'") if s[0] == "'" else json.loads(s)
    if s.startswith("[") and s.endswith("]"):
        inner = s[1:-1].strip()
        return [] if not inner else [_scalar(v) for v in inner.split(",")]
    if re.fullmatch(r"[-+]?\d+", s):
        return int(s)
    try:
        return float(s)
    except ValueError:
        pass
    if any(ch in s for ch in "{}[]&*!|>%@`#"):
        raise ValueError(s)
    return s


def parse_config(text):
    """config.yaml as nested dicts, or None when it uses YAML beyond nested 'key: scalar' lines
    and flow lists of scalars (then only the text is kept)."""
    root = {}
    stack = [(-1, root)]
    pending = None  # (indent, dict, key): a key with an empty value, maybe a mapping's start
    try:
        for raw in text.splitlines():
            line = raw.split(" #")[0].rstrip() if not raw.lstrip().startswith("#") else ""
            if not line.strip():
                continue
            m = _KEY.match(line)
            if not m:
                return None
            indent, key, val = len(m.group(1)), m.group(2), m.group(3)
            if pending is not None:
                p_indent, p_dict, p_key = pending
                pending = None
                if indent > p_indent:
                    p_dict[p_key] = {}
                    stack.append((p_indent, p_dict[p_key]))
            while stack[-1][0] >= indent:
                stack.pop()
            if len(stack) > 1 and indent <= stack[-1][0]:
                return None
            d = stack[-1][1]
            if val is None or not val.strip():
                d[key] = None
                pending = (indent, d, key)
            else:
                d[key] = _scalar(val)
    except ValueError:
        return None
    return root


class Run:
    """A run directory read at once. Attributes:
      path      the directory
      tables    {name: table} for every CSV of the run that exists (name: the file's name without
                .csv, e.g. metrics, mi, mi_check, oinfo, oinfo_ties, mi_redraws); each table is
                also an attribute (None for a known file the run does not have)
      summary   summary.json as a dict (None if absent)
      config    config.yaml as nested dicts (its text when it is not simple YAML)
      config_text  config.yaml's text
    Tables are NumPy record arrays (numeric columns float64, text columns str), or pandas
    DataFrames with as_frame=True. run["metrics"] works too."""

    def __init__(self, path, tables, known, summary, config, config_text):
        self.path = path
        self.tables = tables
        for name in known:
            setattr(self, name, tables.get(name))
        for name, t in tables.items():
            setattr(self, name, t)
        self.summary = summary
        self.config = config
        self.config_text = config_text

    def __getitem__(self, name):
        if name in self.tables:
            return self.tables[name]
        if name in ("summary", "config", "config_text", "path"):
            return getattr(self, name)
        raise KeyError(name)

    def __contains__(self, name):
        return name in self.tables or name in ("summary", "config", "config_text", "path")

    def keys(self):
        return list(self.tables) + ["summary", "config", "config_text", "path"]

    def __repr__(self):
        parts = [f"{k}: {len(v)} rows" for k, v in self.tables.items()]
        return f"Run({self.path!r}; {', '.join(parts) or 'no tables'})"


def _as_frame(rec):
    try:
        import pandas as pd
    except ImportError:
        raise ImportError("grokinfo.load_run(as_frame=True) needs pandas (Debian: apt-get install python3-pandas); "
                          "without it, load_run returns NumPy record arrays") from None
    return pd.DataFrame({name: rec[name] for name in rec.dtype.names})


def load_run(path, as_frame=False):
    """Reads a run directory (`grokinfo train --out DIR`): every CSV it has (metrics.csv, mi.csv,
    mi_check.csv, oinfo.csv, ... and any other *.csv at its top level, e.g. mi-ksg.csv written by
    `grokinfo infoplane`), summary.json and config.yaml. Returns a Run. OSError when path is not
    a run directory (no config.yaml) or a file is corrupt; ImportError for as_frame=True without
    pandas."""
    L = _lib.lib()
    path = os.fspath(path)
    if as_frame:
        _as_frame(np.rec.array(np.empty(0, dtype=[("x", float)])))  # fails early without pandas
    err = _lib.error()
    _lib.raise_for(L.grokinfo_run_check(os.fsencode(path), byref(err)), err)
    known_files = _run_files()
    csvs = [f for f in known_files if f.endswith(".csv")]
    extra = sorted(f for f in os.listdir(path) if f.endswith(".csv") and f not in csvs
                   and os.path.isfile(os.path.join(path, f)))
    known = [f[:-4].replace("-", "_") for f in csvs]
    tables = {}
    for f in csvs + extra:
        p = os.path.join(path, f)
        if os.path.isfile(p):
            rec = read_table(p)
            tables[f[:-4].replace("-", "_")] = _as_frame(rec) if as_frame else rec
    summary = None
    sp = os.path.join(path, "summary.json")
    if os.path.isfile(sp):
        with open(sp, encoding="utf-8") as fh:
            try:
                summary = json.load(fh)
            except ValueError as e:
                raise OSError(f"{sp}: not valid JSON: {e}") from None
    with open(os.path.join(path, "config.yaml"), encoding="utf-8") as fh:
        config_text = fh.read()
    config = parse_config(config_text)
    return Run(path, tables, known, summary, config if config is not None else config_text, config_text)
