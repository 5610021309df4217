"""grokinfo.torch: the information plane and O-information of a PyTorch model while it trains,
written as a grokinfo run directory (``grokinfo plot OUT``, ``grokinfo compare OUT OTHER``).

    import grokinfo.torch
    mon = grokinfo.torch.Monitor(model, {"fc1": model.fc1, "fc2": model.fc2},
                                 probe={"train": (x_tr, y_tr), "eval": (x_ev, y_ev)}, out_dir="runs/mine",
                                 steps=grokinfo.torch.log_steps(5000, 60), oinfo=dict(clusters=10),
                                 config={"train.lr": 1e-3, "train.weight_decay": 1e-2, "seed": 0})
    for step in range(5001):
        if mon.due(step):
            mon.step(step, train_loss=..., train_acc=..., eval_loss=..., eval_acc=...)
        ...  # one optimisation step
    mon.close()

At each scheduled step the monitor runs the model on the fixed probe set(s) (eval mode, no
gradients, on a fork of torch's random generators: every module's train/eval mode and the
training's random stream are as they were), captures each monitored module's
output with a forward hook, flattens it to n x width (after the module's transform, if given),
and measures per module ("layer" 1, 2, ... in the order given) and probe subset:

- I(X;L) and I(L;Y) with grokinfo.infoplane: X's code is the PCA of the flattened probe inputs to
  `dim` dimensions, whitened (as grokinfo's mi.x_compression=pca), or the given x_code; the layer
  gets Gaussian noise of `sigma` (the seed's network's noise; 0: none) and is compressed to `dim`
  dimensions (`compression`); Y is the probe labels.
- with `oinfo`, the O-information of the layer's outputs (no noise) with grokinfo.oinfo:
  synergy and redundancy over the unions of Ward clusters of its units.

Rows go to OUT/mi.csv and OUT/oinfo.csv, the metrics given to step() (plus the weight norm, the
monitored modules' parameter norms and their dead units, computed here) to OUT/metrics.csv, the
configuration to OUT/config.yaml (grokinfo keys only: the measurement's settings and `config`),
what grokinfo's format has no place for (module names and shapes, probe sizes, the schedule) to
OUT/monitor.json, and at close() OUT/summary.json. Every file is rewritten atomically after each
measurement, so a killed training leaves a directory grokinfo can plot.

torch is imported when a Monitor is made, not when this module is imported.
"""
import math
import time
import warnings

import numpy as np

from . import rundir

__all__ = ["Monitor", "log_steps", "seed_steps", "every_steps"]


def _torch():
    try:
        import torch
    except ImportError as err:  # pragma: no cover - depends on the machine
        raise ImportError("grokinfo.torch needs PyTorch (Debian: apt-get install python3-torch)") from err
    return torch


# ---- schedules ---------------------------------------------------------------------------------

def log_steps(total, points=100):
    """grokinfo's train.eval_schedule=log: `points` steps log-spaced from 0 to `total` (rounded,
    repeats dropped), and `total` (train/schedule.c)"""
    total, points = int(total), int(points)
    if total < 0 or points < 2:
        raise ValueError(f"log_steps: need total >= 0 and points >= 2, got {total}, {points}")
    out = []
    for i in range(points):
        st = min(total, int(round(math.exp(math.log(total + 1.0) * i / (points - 1)) - 1.0)))
        if not out or out[-1] != st:
            out.append(st)
    if out[-1] != total:
        out.append(total)
    return out


def seed_steps(total, first=30, every=1000):
    """the seed's schedule (grokinfo's default): every step below `first`, then every `every`
    steps, and `total`"""
    total, first, every = int(total), int(first), int(every)
    if total < 0 or first < 0 or every < 1:
        raise ValueError(f"seed_steps: need total >= 0, first >= 0, every >= 1, got {total}, {first}, {every}")
    out = sorted(set(range(min(first, total))) | set(range(0, total + 1, every)) | {total})
    return out


def every_steps(every):
    """a schedule: steps 0, every, 2 every, ..."""
    every = int(every)
    if every < 1:
        raise ValueError(f"every_steps: every must be >= 1, got {every}")
    return lambda s: s % every == 0


class _Schedule:
    """`steps` as Monitor takes it: None (steps 0-9, then 10 per decade: round(10^(j/10))), an int
    N (every N-th step from 0), an iterable of steps, or a callable step -> bool"""

    def __init__(self, steps):
        self.spec = steps
        if steps is None:
            self.fn, self.text = self._default, "steps 0-9, then 10 per decade (round(10^(j/10)))"
        elif isinstance(steps, bool):
            raise ValueError(f"steps: expected None, an int, steps or a callable, got {steps!r}")
        elif isinstance(steps, (int, np.integer)):
            if steps < 1:
                raise ValueError(f"steps: every N steps needs N >= 1, got {steps}")
            n = int(steps)
            self.fn, self.text = (lambda s: s % n == 0), f"every {n} steps from 0"
        elif callable(steps):
            self.fn, self.text = steps, f"callable {getattr(steps, '__name__', repr(steps))}"
        else:
            try:
                st = sorted({rundir._step(s, "steps") for s in steps})
            except TypeError as err:
                raise ValueError(f"steps: expected None, an int, an iterable of steps or a callable, got {steps!r}") from err
            if not st:
                raise ValueError("steps: empty schedule")
            self.set = frozenset(st)
            self.fn = self.set.__contains__
            self.text = f"{len(st)} steps from {st[0]} to {st[-1]}"
            self.list = st

    @staticmethod
    def _default(s):
        if s < 10:
            return True
        j = round(10 * math.log10(s))
        return any(int(round(10 ** (i / 10))) == s for i in (j - 1, j, j + 1))

    def __call__(self, step):
        return bool(self.fn(step))


def _mix(*parts):
    """a 64-bit key of integers (splitmix64 steps), for the noise seed of one measurement"""
    h = 0x9E3779B97F4A7C15
    for p in parts:
        z = (h ^ (int(p) & 0xFFFFFFFFFFFFFFFF)) + 0x9E3779B97F4A7C15 & 0xFFFFFFFFFFFFFFFF
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9 & 0xFFFFFFFFFFFFFFFF
        z = (z ^ (z >> 27)) * 0x94D049BB133111EB & 0xFFFFFFFFFFFFFFFF
        h = z ^ (z >> 31)
    return h


def _numpy(a, what):
    """a tensor or array-like as a NumPy array (on the CPU)"""
    torch = _torch()
    if isinstance(a, torch.Tensor):
        return a.detach().cpu().numpy()
    return np.asarray(a)


def _labels(y, n, what):
    y = _numpy(y, what)
    if y.ndim == 2 and y.shape[1] == 1:
        y = y[:, 0]
    if y.ndim != 1:
        raise ValueError(f"{what}: labels must be 1-D class indices, got shape {tuple(y.shape)} (one-hot? pass "
                         "y.argmax(1))")
    if y.shape[0] != n:
        raise ValueError(f"{what}: {y.shape[0]} labels for {n} inputs: the rows must pair up")
    if y.dtype.kind == "f":
        if not np.isfinite(y).all() or not (y == np.round(y)).all():
            raise ValueError(f"{what}: labels must be integers (class indices)")
    elif y.dtype.kind not in "iub":
        raise ValueError(f"{what}: labels must be integers (class indices), got dtype {y.dtype}")
    return np.ascontiguousarray(y, dtype=np.int64)


class Monitor:
    """Measures a PyTorch model's layers during training into a grokinfo run directory.

    model: the torch.nn.Module being trained. modules: what to measure, as a dict name -> module
    or name -> (module, transform), or a list of modules or (name, module[, transform]) tuples
    (names then come from model.named_modules()). A module's output is its forward's return value
    (the first element of a tuple), passed through transform if given (e.g. ``lambda t: t[:, -1]``
    for one sequence position, ``torch.relu`` for a Linear's activation), then flattened to
    n x width; the first dimension must be the batch.

    probe: {"train": (x, y), "eval": (x, y)} (either or both), or probe_x, probe_y for one set,
    named `subset` ("eval" by default). x: the inputs as the model takes them (a tensor or array;
    moved to the model's device); y: 1-D integer class labels. The probe sets are fixed for the
    whole run. batch_size: probe rows per forward pass (None: all at once). forward: a function
    (model, x) -> output, for models not called as model(x).

    out_dir: the run directory (overwrite=True to replace a run already there). steps: when step()
    measures: None (steps 0-9, then 10 per decade), an int N (every N steps), a list of steps
    (log_steps(T, P) for grokinfo's log schedule, seed_steps(T) for the seed's), or a callable.

    sigma: the Gaussian noise added to each layer before its compression (grokinfo's mi.sigma,
    1e-3 as the seed's network; 0 for none). estimator, k: I(X;L) and I(L;Y)'s estimator ("wkl",
    the seed's, k = 5). dim: X's code and each layer are compressed to this many dimensions (4).
    compression: the layers' "pca" or "first_coords"; whiten: pca whitened (True). x_code: X's
    code, an n x d array per subset (an array for one subset, or a dict subset -> array), instead
    of the PCA of the flattened inputs. chain: the modules form a Markov chain (each one's output
    a function of the previous one's, as an MLP's layers): adds grokinfo's data-processing
    flags dpi_ixl and dpi_ily. oinfo: False, True, or a dict with clusters (10), greedy_max (0),
    bias_correct (False), ties ("index"), subset (the probe set measured: "train" if there is one,
    as grokinfo), every (every N-th measurement, 1) and modules (the names to measure; all by
    default). seed: the noise draws and the random tie rule. config: grokinfo config keys
    recorded in config.yaml (e.g. {"train.lr": 1e-3, "train.weight_decay": 1e-2, "seed": 0});
    the measurement's own keys are set here and a contradicting value raises ValueError.
    """

    def __init__(self, model, modules, probe_x=None, probe_y=None, out_dir=None, *, probe=None, subset="eval",
                 steps=None, sigma=1e-3, estimator="wkl", k=5, dim=4, compression="pca", whiten=True, x_code=None,
                 chain=False, oinfo=False, seed=0, config=None, batch_size=None, forward=None, overwrite=False):
        torch = _torch()
        import grokinfo  # the package's ctypes layer (loaded on its first call)
        self._gi = grokinfo
        self._t0 = time.perf_counter()
        self.timing = {"evaluation_passes": 0.0, "x_compression": 0.0, "estimation": 0.0, "oinfo": 0.0,
                       "writing": 0.0}
        if not isinstance(model, torch.nn.Module):
            raise ValueError(f"model: expected a torch.nn.Module, got {type(model).__name__}")
        if out_dir is None:
            raise ValueError("out_dir: the run directory to write is required")
        self.model = model
        self.forward = forward if forward is not None else (lambda m, x: m(x))
        if batch_size is not None and (isinstance(batch_size, bool) or int(batch_size) < 1):
            raise ValueError(f"batch_size: expected None or an integer >= 1, got {batch_size!r}")
        self.batch_size = None if batch_size is None else int(batch_size)
        self.layers = self._resolve_modules(modules)
        self.schedule = _Schedule(steps)
        self.sigma = rundir._float(sigma, "sigma", nan_ok=False, lo=0.0)
        self.estimator, self.compression = estimator, compression
        if compression not in ("pca", "first_coords"):
            raise ValueError(f"compression: {compression!r} is not one of pca, first_coords")
        self.k, self.dim = rundir._int(k, "k", 1), rundir._int(dim, "dim", 1)
        self.whiten, self.chain = bool(whiten), bool(chain)
        self.seed = rundir._int(seed, "seed", -2**63, 2**63 - 1)

        # the probe sets, train before eval as grokinfo writes them
        if probe is not None:
            if probe_x is not None or probe_y is not None:
                raise ValueError("give either probe={...} or probe_x, probe_y, not both")
            if not isinstance(probe, dict) or not probe:
                raise ValueError("probe: expected a dict {'train': (x, y), 'eval': (x, y)} (either or both)")
            sets = dict(probe)
        else:
            if probe_x is None or probe_y is None:
                raise ValueError("probe_x and probe_y (or probe={...}) are required")
            sets = {subset: (probe_x, probe_y)}
        for name in sets:
            if name not in rundir.SUBSETS:
                raise ValueError(f"probe subset {name!r}: grokinfo's mi.csv knows only train and eval")
        self.probe = {}
        for name in rundir.SUBSETS:
            if name not in sets:
                continue
            pair = sets[name]
            if not isinstance(pair, (tuple, list)) or len(pair) != 2:
                raise ValueError(f"probe[{name!r}]: expected (x, y)")
            x, y = pair
            x = x if isinstance(x, torch.Tensor) else torch.as_tensor(np.asarray(x))
            if x.ndim < 1 or x.shape[0] < 2:
                raise ValueError(f"probe[{name!r}]: x must have a batch dimension of at least 2 rows, got shape "
                                 f"{tuple(x.shape)}")
            self.probe[name] = (x, _labels(y, x.shape[0], f"probe[{name!r}] y"))
        self.h_y = {}
        for name, (_, y) in self.probe.items():
            p = np.unique(y, return_counts=True)[1] / len(y)
            self.h_y[name] = float(-(p * np.log(p)).sum())  # mi.csv's h_y: the labels' entropy, nats
        if self.k >= min(x.shape[0] for x, _ in self.probe.values()):
            raise ValueError(f"k = {self.k} needs more probe rows than that")

        # O-information settings
        self.oinfo = None
        if oinfo:
            o = {} if oinfo is True else dict(oinfo)
            unknown = set(o) - {"clusters", "greedy_max", "bias_correct", "ties", "subset", "every", "modules"}
            if unknown:
                raise ValueError(f"oinfo: unknown setting(s) {', '.join(sorted(unknown))} (known: clusters, "
                                 "greedy_max, bias_correct, ties, subset, every, modules)")
            sub = o.get("subset", "train" if "train" in self.probe else next(iter(self.probe)))
            if sub not in self.probe:
                raise ValueError(f"oinfo subset {sub!r}: no such probe set (have {', '.join(self.probe)})")
            names = [l["name"] for l in self.layers]
            mods = list(o.get("modules", names))
            for m in mods:
                if m not in names:
                    raise ValueError(f"oinfo modules: {m!r} is not a monitored module ({', '.join(names)})")
            ties = o.get("ties", "index")
            if ties not in rundir.OINFO_TIES:
                raise ValueError(f"oinfo ties: {ties!r} is not one of {', '.join(rundir.OINFO_TIES)}")
            self.oinfo = {"clusters": rundir._int(o.get("clusters", 10), "oinfo clusters", 1, 20),
                          "greedy_max": rundir._int(o.get("greedy_max", 0), "oinfo greedy_max", 0),
                          "bias_correct": bool(o.get("bias_correct", False)), "ties": ties, "subset": sub,
                          "every": rundir._int(o.get("every", 1), "oinfo every", 1),
                          "layers": [i + 1 for i, n in enumerate(names) if n in mods]}

        # config.yaml: the measurement's keys, then the caller's (which may not contradict them)
        own = {"seed": self.seed, "mi.enabled": True, "mi.sigma": self.sigma, "mi.k": self.k,
               "mi.compression": compression, "mi.pca.whiten_flag": self.whiten, "mi.check": False,
               "ae.L_latent_dim": self.dim, "oinfo.enabled": self.oinfo is not None}
        if estimator in rundir.CONFIG_OPTIONS["mi.estimator"]["allowed"]:
            own["mi.estimator"] = estimator
        if x_code is None:
            own["mi.x_compression"] = "pca"
        if self.oinfo:
            own.update({"oinfo.greedy_max": self.oinfo["greedy_max"], "oinfo.bias_correct": self.oinfo["bias_correct"],
                        "oinfo.ties": self.oinfo["ties"], "oinfo.subset": self.oinfo["subset"],
                        "oinfo.every": self.oinfo["every"]})
            if 2 <= self.oinfo["clusters"] <= 16:  # grokinfo's config.yaml takes 2..16 (monitor.json has it anyway)
                own["oinfo.clusters"] = self.oinfo["clusters"]
        own = rundir.normalize_config(own)
        theirs = rundir.normalize_config(config)
        for key, v in theirs.items():
            if key in own and own[key] != v:
                raise ValueError(f"config[{key!r}] = {v!r} contradicts the monitor's {own[key]!r} (set it through "
                                 "the Monitor's own argument)")
        merged = {**own, **theirs}
        self.writer = rundir.RunWriter(out_dir, merged, overwrite=overwrite, config_header=(
            "written by grokinfo.torch.Monitor: grokinfo keys only (absent keys read as grokinfo's defaults and\n"
            "do not describe this model); the modules, probe sets and schedule are in monitor.json"))
        self.out_dir = self.writer.path

        # X's code per probe set, computed once
        t = time.perf_counter()
        self.x_code = {}
        given = x_code if isinstance(x_code, dict) or x_code is None else {next(iter(self.probe)): x_code}
        if x_code is not None and not isinstance(x_code, dict) and len(self.probe) > 1:
            raise ValueError("x_code: with two probe sets, give a dict {'train': ..., 'eval': ...}")
        for name, (x, _) in self.probe.items():
            if given is not None:
                if name not in given:
                    raise ValueError(f"x_code: no array for probe set {name!r}")
                code = np.asarray(_numpy(given[name], "x_code"), dtype=np.float64)
                if code.ndim == 1:
                    code = code[:, None]
                if code.ndim != 2 or code.shape[0] != x.shape[0]:
                    raise ValueError(f"x_code[{name!r}]: expected {x.shape[0]} rows x d, got shape {code.shape}")
            else:
                if not (x.is_floating_point() or x.is_complex()):
                    warnings.warn(f"probe[{name!r}]: the inputs are integers ({x.dtype}), e.g. token ids: X's code is "
                                  "then the PCA of those numbers; give x_code (an encoding that determines each "
                                  "input) for a meaningful I(X;L)", UserWarning, stacklevel=2)
                flat = _numpy(x, "probe x").reshape(x.shape[0], -1).astype(np.float64)
                code = self._gi.pca(flat, min(self.dim, flat.shape[1]), whiten=True)
            self.x_code[name] = np.ascontiguousarray(code)
        self.timing["x_compression"] += time.perf_counter() - t
        self.x_source = ("given" if x_code is not None else
                         f"pca of the flattened probe inputs to {self.dim} dimensions, whitened")
        self.n_measured = 0
        self.last_step = None
        self.closed = False
        self._write_meta()

    # ---- set-up ----
    def _resolve_modules(self, modules):
        torch = _torch()
        names_of = {id(m): n for n, m in self.model.named_modules()}
        items = []
        if isinstance(modules, dict):
            for name, v in modules.items():
                mod, fn = (v[0], v[1]) if isinstance(v, (tuple, list)) else (v, None)
                items.append((name, mod, fn))
        elif isinstance(modules, (list, tuple)):
            for i, v in enumerate(modules):
                if isinstance(v, (tuple, list)):
                    if len(v) not in (2, 3) or not isinstance(v[0], str):
                        raise ValueError(f"modules[{i}]: expected a module or (name, module[, transform])")
                    items.append((v[0], v[1], v[2] if len(v) == 3 else None))
                else:
                    items.append((names_of.get(id(v)) or f"layer{i + 1}", v, None))
        else:
            raise ValueError("modules: expected a dict name -> module (or (module, transform)) or a list of modules")
        if not items:
            raise ValueError("modules: nothing to monitor")
        if len(items) > rundir.MAX_LAYER:
            raise ValueError(f"modules: at most {rundir.MAX_LAYER} (grokinfo's layers are 1..{rundir.MAX_LAYER})")
        out, seen = [], set()
        for i, (name, mod, fn) in enumerate(items):
            if not isinstance(name, str) or not name:
                raise ValueError(f"modules: name {name!r} must be a non-empty string")
            if name in seen:
                raise ValueError(f"modules: name {name!r} given twice")
            seen.add(name)
            if not isinstance(mod, torch.nn.Module):
                raise ValueError(f"modules[{name!r}]: expected a torch.nn.Module, got {type(mod).__name__}")
            if id(mod) not in names_of:
                raise ValueError(f"modules[{name!r}]: not a submodule of the model")
            if fn is not None and not callable(fn):
                raise ValueError(f"modules[{name!r}]: the transform must be callable")
            out.append({"layer": i + 1, "name": name, "module": mod, "transform": fn,
                        "path": names_of[id(mod)], "width": None})
        return out

    def _write_meta(self):
        import grokinfo
        torch = _torch()
        meta = {
            "writer": "grokinfo.torch.Monitor", "grokinfo_python": getattr(grokinfo, "__version__", None),
            "torch": torch.__version__,
            "layers": [{"layer": l["layer"], "name": l["name"], "module_path": l["path"],
                        "module": type(l["module"]).__name__, "transform": None if l["transform"] is None else
                        getattr(l["transform"], "__name__", repr(l["transform"])), "width": l["width"]}
                       for l in self.layers],
            "probe": {n: {"rows": int(x.shape[0]), "input_shape": list(x.shape[1:]), "classes": int(len(np.unique(y)))}
                      for n, (x, y) in self.probe.items()},
            "x_code": {"source": self.x_source, "dims": {n: int(c.shape[1]) for n, c in self.x_code.items()}},
            "schedule": self.schedule.text, "sigma": self.sigma, "estimator": self.estimator, "k": self.k,
            "dim": self.dim, "compression": self.compression, "whiten": self.whiten, "chain": self.chain,
            "oinfo": self.oinfo, "seed": self.seed, "measurements": self.n_measured, "last_step": self.last_step,
        }
        self.writer.write_json("monitor.json", meta)

    # ---- capture ----
    def _device(self):
        for p in self.model.parameters():
            return p.device
        for b in self.model.buffers():
            return b.device
        return None

    def capture(self, subset):
        """{name: n x width float64 array} of the monitored modules' outputs on a probe set (eval
        mode, no gradients; the modules' modes restored)"""
        torch = _torch()
        x, _ = self.probe[subset]
        n = x.shape[0]
        dev = self._device()
        got = {l["name"]: [] for l in self.layers}
        calls = {l["name"]: 0 for l in self.layers}

        def make_hook(layer):
            def hook(module, inputs, output):
                t = output[0] if isinstance(output, (tuple, list)) else output
                if not isinstance(t, torch.Tensor):
                    raise ValueError(f"module {layer['name']!r}: its output is a {type(t).__name__}, not a tensor "
                                     "(give a transform that returns one)")
                if layer["transform"] is not None:
                    t = layer["transform"](t)
                calls[layer["name"]] += 1
                got[layer["name"]].append(t.detach().reshape(t.shape[0], -1).to("cpu", torch.float64)
                                          if t.ndim >= 1 else t.detach().reshape(1, 1))
            return hook

        handles = [l["module"].register_forward_hook(make_hook(l)) for l in self.layers]
        modes = [(m, m.training) for m in self.model.modules()]
        bs = self.batch_size or n
        # the random draws of a forward pass (a network's own noise) come from a fork of torch's
        # generators, so that measuring never changes the training's random stream
        cuda = [dev.index if dev.index is not None else torch.cuda.current_device()] if (
            dev is not None and dev.type == "cuda") else []
        try:
            self.model.eval()
            with torch.no_grad(), torch.random.fork_rng(devices=cuda):
                for i in range(0, n, bs):
                    chunk = x[i:i + bs]
                    if dev is not None:
                        chunk = chunk.to(dev)
                    before = dict(calls)
                    self.forward(self.model, chunk)
                    for l in self.layers:
                        ran = calls[l["name"]] - before[l["name"]]
                        if ran != 1:
                            raise ValueError(f"module {l['name']!r} ran {ran} times in one forward pass; monitor a "
                                             "module that runs once per pass")
        finally:
            for h in handles:
                h.remove()
            for m, mode in modes:
                m.training = mode
        out = {}
        for l in self.layers:
            a = torch.cat(got[l["name"]], 0).numpy()
            if a.shape[0] != n:
                raise ValueError(f"module {l['name']!r}: {a.shape[0]} output rows for {n} probe inputs: its output's "
                                 "first dimension must be the batch (give a transform, e.g. lambda t: t.transpose(0, 1))")
            if not np.isfinite(a).all():
                raise ValueError(f"module {l['name']!r}: its output holds NaN or Inf on the {subset} probe set "
                                 "(has the training diverged?)")
            out[l["name"]] = np.ascontiguousarray(a)
        return out

    # ---- the loop ----
    def due(self, step):
        """does step(step) measure? (compute the metrics only then)"""
        return (self.last_step is None or step > self.last_step) and self.schedule(rundir._step(step))

    def step(self, step, force=False, **metrics):
        """At a scheduled step (or any step with force=True): measures the probe sets and writes a
        row of metrics.csv (the metrics given: train_loss, train_acc, eval_loss, eval_acc, as
        numbers or 0-d tensors, NaN for one you do not have; any other numeric columns too), the
        rows of mi.csv (and oinfo.csv), atomically. Returns {"mi": rows, "oinfo": rows,
        "metrics": row}, or None when the step is not measured. Steps must increase."""
        if self.closed:
            raise ValueError(f"{self.out_dir}: the monitor is closed")
        step = rundir._step(step)
        if self.last_step is not None and step <= self.last_step:
            raise ValueError(f"step {step} does not follow the last measured step {self.last_step}")
        if not (force or self.schedule(step)):
            return None
        torch = _torch()
        t = time.perf_counter()
        acts = {s: self.capture(s) for s in self.probe}
        self.timing["evaluation_passes"] += time.perf_counter() - t
        if self.n_measured == 0:
            for l in self.layers:
                l["width"] = int(next(iter(acts.values()))[l["name"]].shape[1])

        # metrics.csv: the caller's values, then what the monitor knows
        row = dict(metrics)
        with torch.no_grad():
            sq = [float((p.detach().double() ** 2).sum()) for p in self.model.parameters()]
            row.setdefault("weight_norm", math.sqrt(sum(sq)))
            norms = []
            for l in self.layers:
                ps = list(l["module"].parameters())
                norms.append(math.sqrt(sum(float((p.detach().double() ** 2).sum()) for p in ps)) if ps else None)
        if all(v is not None for v in norms):
            for l, v in zip(self.layers, norms):
                row.setdefault(f"weight_norm_l{l['layer']}", v)
        for s in rundir.SUBSETS:
            for l in self.layers:
                if s in acts:
                    row.setdefault(f"dead_{s}_l{l['layer']}", int((acts[s][l["name"]] == 0).all(axis=0).sum()))
        row["seconds"] = round(time.perf_counter() - self._t0, 3)

        # mi.csv
        t = time.perf_counter()
        mi_rows = []
        for si, s in enumerate(rundir.SUBSETS):
            if s not in acts:
                continue
            _, y = self.probe[s]
            prev = None
            for l in self.layers:
                pt = self._gi.infoplane(self.x_code[s], acts[s][l["name"]], y, estimator=self.estimator, k=self.k,
                                        compression=self.compression, dim=self.dim, whiten=self.whiten,
                                        sigma=self.sigma, seed=_mix(self.seed, step, si, l["layer"]))
                cur = {"ixl": pt.ixl, "ixl_err": pt.ixl_err, "ily": pt.ily, "ily_err": pt.ily_err}
                flags = set(pt.flags)
                if self.chain and prev is not None:
                    flags |= rundir.dpi_flags(prev, cur)
                prev = cur
                mi_rows.append(self.writer.mi_row(step, s, l["layer"], pt.ixl, pt.ixl_err, pt.ily, pt.ily_err,
                                                  estimator=self.estimator, dx=pt.dx or self.x_code[s].shape[1],
                                                  dl=pt.dl or min(self.dim, l["width"]), h_y=self.h_y[s],
                                                  flags=sorted(flags)))
        self.timing["estimation"] += time.perf_counter() - t

        # oinfo.csv
        oi_rows = []
        if self.oinfo and self.n_measured % self.oinfo["every"] == 0:
            t = time.perf_counter()
            o = self.oinfo
            for layer in o["layers"]:
                name = self.layers[layer - 1]["name"]
                r = self._gi.oinfo(acts[o["subset"]][name], clusters=o["clusters"], greedy_max=o["greedy_max"],
                                   bias_correct=o["bias_correct"], ties=o["ties"], seed=self.seed & (2**64 - 1),
                                   step=step, layer=layer)
                oi_rows.append(dict(step=step, layer=layer, omega_min=r.synergy, omega_max=r.redundancy,
                                    size_min=r.size_synergy, size_max=r.size_redundancy, tc_min=r.tc, dtc_min=r.dtc,
                                    n_live=r.n_live, n_dead=r.n_dead,
                                    greedy_omega=r.greedy_omega if o["greedy_max"] > 0 else None,
                                    greedy_size=len(r.greedy_set) if o["greedy_max"] > 0 else None, ties=o["ties"]))
            self.timing["oinfo"] += time.perf_counter() - t

        t = time.perf_counter()
        written = self.writer.add_metrics(step, **row)
        self.writer.add_mi_rows(mi_rows)
        for r in oi_rows:
            self.writer.add_oinfo(**r)
        self.writer.flush()
        self.n_measured += 1
        self.last_step = step
        if self.n_measured == 1:
            self._write_meta()
        self.timing["writing"] += time.perf_counter() - t
        return {"metrics": written, "mi": mi_rows, "oinfo": oi_rows}

    def close(self, status="finished"):
        """summary.json (milestones, final values, flag counts, O-information peaks, timing) and
        monitor.json's last state; returns the summary. Closing twice is harmless."""
        if self.closed:
            return self.summary
        total = time.perf_counter() - self._t0
        timing = dict(self.timing)
        timing["monitor"] = sum(self.timing.values())
        timing["training_steps"] = max(0.0, total - timing["monitor"])
        timing["total"] = total
        self._write_meta()
        self.summary = self.writer.close(status, timing=timing,
                                         extra={"steps": self.last_step, "seconds": round(total, 3),
                                                "measurements": self.n_measured, "writer": "grokinfo.torch.Monitor"})
        self.closed = True
        return self.summary

    def __enter__(self):
        return self

    def __exit__(self, kind, value, tb):
        if not self.closed:
            self.close("finished" if kind is None else f"stopped: {kind.__name__}: {value}".replace("\n", " ")[:400])
        return False
