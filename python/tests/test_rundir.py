"""grokinfo.rundir: a run directory written from Python is read by `grokinfo plot` and `grokinfo
compare` (the command line from GROKINFO_CLI, default ./grokinfo), reads back as written, is written
atomically, and bad input raises ValueError. Needs neither torch nor libgrokinfo.so."""
import importlib.util
import json
import math
import os
import re
import shutil
import subprocess
import sys

import pytest

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.dirname(os.path.dirname(HERE))


def _load_rundir():
    """grokinfo.rundir, also when the package's __init__ cannot load the library"""
    try:
        from grokinfo import rundir
        return rundir
    except (ImportError, OSError):
        path = os.path.join(HERE, "..", "grokinfo", "rundir.py")
        spec = importlib.util.spec_from_file_location("grokinfo_rundir_standalone", path)
        mod = importlib.util.module_from_spec(spec)
        sys.modules[spec.name] = mod
        spec.loader.exec_module(mod)
        return mod


rundir = _load_rundir()
CLI = os.environ.get("GROKINFO_CLI", "./grokinfo")


def cli(*args, check=True):
    if not (os.path.isfile(CLI) and os.access(CLI, os.X_OK)):
        pytest.skip(f"no grokinfo command line at {CLI} (set GROKINFO_CLI)")
    if not shutil.which("gnuplot") and args[0] in ("plot", "compare"):
        pytest.skip("gnuplot is not installed")
    p = subprocess.run([CLI, *args], capture_output=True, text=True, timeout=120)
    if check:
        assert p.returncode == 0, f"grokinfo {' '.join(args)} exited {p.returncode}:\n{p.stdout}\n{p.stderr}"
    return p


STEPS = [0, 1, 2, 3, 5, 10, 20, 30, 50, 100, 200, 300, 500, 1000, 2000, 3000, 5000]


def synthetic_run(path, seed=0, subsets=("train", "eval"), oinfo=True, config=None):
    """a small run with plausible curves: memorises at step 50, groks at 500"""
    cfg = {"seed": seed, "train.lr": 1e-3, "train.weight_decay": 1e-2, "mi.estimator": "wkl", "mi.k": 5,
           "ae.L_latent_dim": 4, "oinfo.enabled": oinfo}
    cfg.update(config or {})
    w = rundir.RunWriter(path, cfg, config_header="synthetic run of test_rundir.py")
    written = {"metrics": [], "mi": [], "oinfo": []}
    for i, s in enumerate(STEPS):
        ta, ea = min(1.0, 0.1 + i / 8), min(0.9, 0.1 + max(0, i - 8) / 8)
        m = dict(train_loss=1 / (i + 1), train_acc=ta, eval_loss=1 / (i + 1) + 0.5, eval_acc=ea,
                 weight_norm=10 - 0.1 * i, weight_norm_l1=5.0 + seed, weight_norm_l2=4.0, dead_train_l1=i,
                 dead_eval_l1=i // 2, seconds=0.1 * i)
        w.add_metrics(s, **m)
        written["metrics"].append({"step": s, **m})
        for sub in subsets:
            for layer in (1, 2):
                r = dict(step=s, subset=sub, layer=layer, ixl=3 - 0.1 * i + 0.01 * math.sin(7 * i + layer) + 0.1 * seed,
                         ixl_err=0.1, ily=0.5 + 0.1 * i / layer, ily_err=0.05, estimator="wkl", dx=4, dl=4,
                         h_y=math.log(10), flags="ixl_negative" if i == 3 else "")
                w.add_mi(**r)
                written["mi"].append(r)
        if oinfo:
            for layer in (1, 2):
                r = dict(step=s, layer=layer, omega_min=-1 - math.sin(i / 3 + layer), omega_max=5 + math.cos(i / 4),
                         size_min=10, size_max=20, tc_min=3.0, dtc_min=4.0, n_live=50, n_dead=0)
                w.add_oinfo(**r)
                written["oinfo"].append(r)
        w.flush()
    written["summary"] = w.close(timing={"total": 1.5})
    return written


def no_temp_files(path):
    return [f for f in os.listdir(path) if ".tmp." in f]


def test_plot_and_compare(tmp_path):
    a, b = str(tmp_path / "run-a"), str(tmp_path / "run-b")
    wa = synthetic_run(a, seed=0)
    synthetic_run(b, seed=1)
    p = cli("plot", a)
    for name in ("infoplane", "accuracy", "training", "oinfo", "oinfo_plane"):
        assert os.path.getsize(os.path.join(a, "figures", name + ".png")) > 1000, name
    # grokinfo's own reading of the files agrees with the summary written here
    s = wa["summary"]
    assert s["memorisation_step"] == 50 and s["grokking_step"] == 500
    assert f"memorised at {s['memorisation_step']}, grokked at {s['grokking_step']}" in p.stdout
    for layer in s["oinfo"]["layers"]:
        want = (f"layer {layer['layer']}: smoothed synergy peaks at {layer['synergy_peak_step']}"
                f" ({abs(layer['synergy_peak_step'] - 500)} before grokking), redundancy at "
                f"{layer['redundancy_peak_step']}")
        assert want in p.stdout, (want, p.stdout)
    out = str(tmp_path / "cmp")
    p = cli("compare", a, b, "--out", out)
    assert "2 runs, 1 swept key" in p.stdout, p.stdout
    table = rundir.read_csv(os.path.join(out, "compare.csv"))
    assert table["seed"] == [0, 1] and table["memorisation_step"] == [50, 50] and table["grokking_step"] == [500, 500]
    assert table["oinfo_l2_synergy_peak_step"][0] == s["oinfo"]["layers"][1]["synergy_peak_step"]
    assert os.path.getsize(os.path.join(out, "figures", "infoplane_overlay.png")) > 1000
    assert not no_temp_files(a) and not no_temp_files(b)


def test_read_back(tmp_path):
    d = str(tmp_path / "run")
    w = synthetic_run(d)
    mi = rundir.read_csv(os.path.join(d, "mi.csv"))
    assert list(mi) == list(rundir.MI_COLUMNS)
    assert len(mi["step"]) == len(w["mi"])
    for i, r in enumerate(w["mi"]):
        for k, v in r.items():
            assert mi[k][i] == v, (i, k, mi[k][i], v)
        assert mi["redraws"][i] == 0 and math.isnan(mi["ixl_mean"][i])
    met = rundir.read_csv(os.path.join(d, "metrics.csv"))
    assert list(met)[:6] == list(rundir.METRICS_REQUIRED) and list(met)[-1] == "seconds"
    for i, r in enumerate(w["metrics"]):
        for k, v in r.items():
            assert met[k][i] == v, (i, k)
    oi = rundir.read_csv(os.path.join(d, "oinfo.csv"))
    assert list(oi) == list(rundir.OINFO_COLUMNS)
    for i, r in enumerate(w["oinfo"]):
        for k, v in r.items():
            assert oi[k][i] == v, (i, k)
    with open(os.path.join(d, "summary.json")) as f:
        assert json.load(f) == w["summary"]
    s = w["summary"]
    assert s["final_step"] == 5000 and s["final_eval_acc"] == 0.9 and s["timing_seconds"] == {"total": 1.5}
    assert s["flags"]["rows"] == len(w["mi"]) and s["flags"]["flagged_rows"] == 4
    assert s["flags"]["eval"]["2"]["ixl_negative"] == 1 and s["flags"]["eval"]["2"]["dpi_ixl"] == 0
    with open(os.path.join(d, "config.yaml")) as f:
        text = f.read()
    assert text == ("# synthetic run of test_rundir.py\nseed: 0\n\ntrain:\n  weight_decay: 0.01\n  lr: 0.001\n\n"
                    "mi:\n  estimator: 'wkl'\n  k: 5\n\nae:\n  L_latent_dim: 4\n\noinfo:\n  enabled: true\n")


def test_config_nested_keys_and_thresholds(tmp_path):
    """nested sections, pairs, null, quoted strings; grokinfo reads them and uses the thresholds"""
    d = str(tmp_path / "run")
    synthetic_run(d, oinfo=False, config={
        "summary": {"train_acc": 0.5, "eval_acc": 0.3}, "train.betas": [0.9, 0.98], "custom_run_name": None,
        "project_name": "it's mine", "mi": {"entropy_estimator_params": {"functional_params": {"k_neighbours": 7}}},
        "model.activation": "relu"})
    with open(os.path.join(d, "config.yaml")) as f:
        text = f.read()
    assert "custom_run_name: null\nproject_name: 'it''s mine'\n" in text
    assert "  betas: [0.9, 0.98]\n" in text and "  activation: 'ReLU'\n" in text
    assert "    functional_params:\n      k_neighbours: 7\n" in text
    with open(os.path.join(d, "summary.json")) as f:
        s = json.load(f)
    assert (s["memorisation_step"], s["grokking_step"]) == (5, 200)
    p = cli("plot", d)
    assert "memorised at 5, grokked at 200" in p.stdout


def test_one_subset_eval(tmp_path):
    """an mi.csv of the eval subset only (one probe set, the monitor's default name for it)"""
    d = str(tmp_path / "run")
    synthetic_run(d, subsets=("eval",), oinfo=False)
    cli("plot", d)
    assert os.path.getsize(os.path.join(d, "figures", "infoplane.png")) > 1000


def test_one_subset_train(tmp_path):
    """an mi.csv of the train subset only is as legitimate"""
    d = str(tmp_path / "run")
    synthetic_run(d, subsets=("train",), oinfo=False)
    p = cli("plot", d, check=False)  # (the empty eval row is drawn with its ranges given: src/report/plot.c)
    assert p.returncode == 0, p.stderr
    assert os.path.getsize(os.path.join(d, "figures", "infoplane.png")) > 1000


def test_atomic_writes(tmp_path, monkeypatch):
    d = str(tmp_path / "run")
    w = rundir.RunWriter(d, {"seed": 3})
    w.add_metrics(0, train_loss=1.0, train_acc=0.1, eval_loss=1.0, eval_acc=0.1, weight_norm=2.0)
    w.flush()
    path = os.path.join(d, "metrics.csv")
    with open(path) as f:
        before = f.read()
    w.add_metrics(1, train_loss=0.5, train_acc=0.2, eval_loss=0.9, eval_acc=0.1, weight_norm=2.0)

    def failing_replace(src, dst):
        raise OSError("disk full (simulated)")

    monkeypatch.setattr(rundir.os, "replace", failing_replace)
    with pytest.raises(OSError, match="simulated"):
        w.flush()
    monkeypatch.undo()
    with open(path) as f:
        assert f.read() == before, "a failed write must leave the old file whole"
    assert not no_temp_files(d)
    w.flush()
    assert rundir.read_csv(path)["step"] == [0, 1]
    w.close()
    assert sorted(os.listdir(d)) == ["config.yaml", "metrics.csv", "summary.json"]
    with pytest.raises(ValueError, match="closed"):
        w.add_metrics(2, train_loss=0.5, train_acc=0.2, eval_loss=0.9, eval_acc=0.1, weight_norm=2.0)


def test_existing_directory(tmp_path):
    d = str(tmp_path / "run")
    synthetic_run(d)
    with pytest.raises(FileExistsError, match="overwrite=True"):
        rundir.RunWriter(d)
    w = rundir.RunWriter(d, {"seed": 1}, overwrite=True)
    assert sorted(f for f in os.listdir(d) if os.path.isfile(os.path.join(d, f))) == ["config.yaml"]
    w.close()


def _metrics(**kw):
    m = dict(train_loss=1.0, train_acc=0.5, eval_loss=1.0, eval_acc=0.5, weight_norm=1.0)
    m.update(kw)
    return m


def _mi(**kw):
    r = dict(step=0, subset="eval", layer=1, ixl=1.0, ixl_err=0.1, ily=0.5, ily_err=0.1, estimator="wkl", dx=4,
             dl=4, h_y=2.3)
    r.update(kw)
    return r


def _oinfo(**kw):
    r = dict(step=1, layer=1, omega_min=-1.0, omega_max=2.0, size_min=3, size_max=5, tc_min=1.0, dtc_min=2.0,
             n_live=10, n_dead=0)
    r.update(kw)
    return r


@pytest.mark.parametrize("call, message", [
    (lambda w: w.add_metrics(float("nan"), **_metrics()), r"step: expected an integer >= 0"),
    (lambda w: w.add_metrics(-1, **_metrics()), r"step: expected an integer >= 0"),
    (lambda w: w.add_metrics(0, **_metrics(train_acc=95.0)), r"train_acc: 95.0 outside \[0.0, 1.0\]"),
    (lambda w: w.add_metrics(0, **_metrics(eval_loss=float("inf"))), r"eval_loss: inf is not allowed"),
    (lambda w: w.add_metrics(0, **_metrics(weight_norm=[1.0, 2.0])), r"weight_norm: expected a number"),
    (lambda w: w.add_metrics(0, train_loss=1.0, train_acc=0.5), r"missing eval_loss, eval_acc, weight_norm"),
    (lambda w: w.add_metrics(0, **_metrics(**{"bad,name": 1.0})), r"column name 'bad,name'"),
    (lambda w: w.add_mi(**_mi(subset="test")), r"subset 'test': grokinfo's mi.csv knows only train and eval"),
    (lambda w: w.add_mi(**_mi(layer=0)), r"layer: expected an integer in \[1, 64\]"),
    (lambda w: w.add_mi(**_mi(layer=65)), r"layer: expected an integer in \[1, 64\]"),
    (lambda w: w.add_mi(**_mi(h_y=float("nan"))), r"h_y: NaN is not allowed here"),
    (lambda w: w.add_mi(**_mi(ixl=float("-inf"))), r"ixl: -inf is not allowed"),
    (lambda w: w.add_mi(**_mi(ixl_err=-0.1)), r"ixl_err: -0.1 outside \[0.0, inf\]"),
    (lambda w: w.add_mi(**_mi(flags="ixl_negative+bogus")), r"unknown flag 'bogus'"),
    (lambda w: w.add_mi(**_mi(flags=1 << 9)), r"outside the 8 known flags"),
    (lambda w: w.add_mi(**_mi(estimator="w kl")), r"estimator: expected a non-empty word"),
    (lambda w: w.add_mi(**_mi(dx=0)), r"dx: expected an integer in \[1, inf\]"),
    (lambda w: w.add_mi_rows([_mi(), _mi()]), r"step 0, subset eval, layer 1 already written"),
    (lambda w: w.add_oinfo(**_oinfo(omega_min=float("inf"))), r"omega_min: inf is not allowed"),
    (lambda w: w.add_oinfo(**_oinfo(ties="sometimes")), r"ties 'sometimes' is not one of index, random, average"),
    (lambda w: w.add_oinfo(**_oinfo(size_min=2.5)), r"size_min: expected an integer"),
    (lambda w: w.close(status=""), r"status must be a one-line string"),
    (lambda w: w.write_json("mi.csv", {}), r"not one of grokinfo's files"),
])
def test_bad_input(tmp_path, call, message):
    w = rundir.RunWriter(str(tmp_path / "run"))
    with pytest.raises(ValueError, match=message):
        call(w)
    assert not w._mi and not w._metrics and not w._oinfo, "a rejected call keeps nothing"


def test_bad_sequences(tmp_path):
    w = rundir.RunWriter(str(tmp_path / "run"))
    w.add_metrics(5, **_metrics(extra=1.0))
    with pytest.raises(ValueError, match=r"step 5 does not follow step 5"):
        w.add_metrics(5, **_metrics())
    with pytest.raises(ValueError, match=r"column\(s\) other not in the first row's"):
        w.add_metrics(6, **_metrics(other=1.0))
    w.add_metrics(6, **_metrics())  # leaving `extra` out is fine: an empty field
    w.add_mi(**_mi())
    with pytest.raises(ValueError, match=r"already written"):
        w.add_mi(**_mi(ixl=2.0))
    w.add_oinfo(**_oinfo(step=2))
    with pytest.raises(ValueError, match=r"does not follow step 2 of this layer"):
        w.add_oinfo(**_oinfo(step=2))
    with pytest.raises(ValueError, match=r"one file, one rule"):
        w.add_oinfo(**_oinfo(step=3, ties="random"))
    with pytest.raises(ValueError, match=r"greedy columns given, unlike the first row"):
        w.add_oinfo(**_oinfo(step=3, greedy_omega=-1.0, greedy_size=4))
    w.flush()
    met = rundir.read_csv(os.path.join(w.path, "metrics.csv"))
    assert met["step"] == [5, 6] and met["extra"][0] == 1.0 and math.isnan(met["extra"][1])


@pytest.mark.parametrize("config, message", [
    ({"train.weight_decy": 1e-3}, r"unknown config key 'train.weight_decy' \(did you mean 'train.weight_decay'\?\)"),
    ({"lr": 1e-3}, r"did you mean 'train.lr'"),
    ({"train": 3}, r"train: is a section, not a value"),
    ({"train.lr": 0.0}, r"train.lr: expected a number in \(0, inf\]"),
    ({"train.lr": float("nan")}, r"train.lr: expected a finite number"),
    ({"model.width": 2.5}, r"model.width: expected an integer"),
    ({"model.activation": "Swish"}, r"'Swish' is not one of ReLU, Tanh"),
    ({"mi.enabled": "yes"}, r"mi.enabled: expected true or false"),
    ({"train.betas": [0.9]}, r"train.betas: expected a list of 2 numbers"),
    ({"train.betas": [0.9, 1.0]}, r"train.betas: expected numbers in \[0, 1\)"),
    ({"oinfo.clusters": 20}, r"oinfo.clusters: expected an integer in \[2, 16\]"),
    ({"data.p": 300}, r"data.p: expected an integer in \[2, 255\]"),
    ({"mi.agn_relative_scale": True}, r"only false is supported"),
    ({"project_name": "a\nb"}, r"control characters"),
    (["seed"], r"expected a dict"),
])
def test_bad_config(tmp_path, config, message):
    with pytest.raises(ValueError, match=message):
        rundir.RunWriter(str(tmp_path / "run"), config)
    assert not os.path.exists(tmp_path / "run" / "config.yaml")


def test_config_table_matches_grokinfo():
    """CONFIG_OPTIONS mirrors src/util/config.c's table: the same keys in the same order, types"""
    src = os.path.join(REPO, "src", "util", "config.c")
    if not os.path.exists(src):
        pytest.skip("no src/util/config.c beside the tests")
    with open(src) as f:
        text = f.read()
    body = text[text.index("static const option options[] = {"):text.index("#define N_OPTIONS")]
    entries = re.findall(r'\{"([^"]+)",\s*(T_\w+),', body)
    kinds = {"T_INT": "int", "T_DBL": "float", "T_BOOL": "bool", "T_STR": "str", "T_ENUM": "enum", "T_DBL2": "pair"}
    assert [(k, kinds[t]) for k, t in entries] == [(k, o["type"]) for k, o in rundir.CONFIG_OPTIONS.items()]
    for name, allowed in re.findall(r'\{"([^"]+)",\s*T_ENUM,[^}]*"([^"]+)"\}', body):
        assert tuple(allowed.split("|")) == rundir.CONFIG_OPTIONS[name]["allowed"], name


def test_flags_and_helpers():
    assert rundir.format_flags(0b101) == "ily_negative+ixl_negative"
    assert rundir.format_flags(["dpi_ily", "ily_negative"]) == "ily_negative+dpi_ily"
    assert rundir.format_flags("") == "" and rundir.format_flags(None) == ""
    assert rundir.parse_flags("ixl_negative+dpi_ixl") == {"ixl_negative", "dpi_ixl"}
    prev = {"ixl": 2.0, "ixl_err": 0.1, "ily": 1.0, "ily_err": 0.1}
    assert rundir.dpi_flags(prev, {"ixl": 2.5, "ixl_err": 0.1, "ily": 1.2, "ily_err": 0.1}) == {"dpi_ixl"}
    assert rundir.dpi_flags(prev, {"ixl": float("nan"), "ixl_err": 0.1, "ily": 1.0, "ily_err": 0.1}) == set()
    assert rundir.label_entropy([0, 1, 0, 1]) == pytest.approx(math.log(2))
    assert rundir.milestones([0, 1, 2], [0.5, float("nan"), 1.0], [0.1, 0.2, 0.3]) == (2, None)
