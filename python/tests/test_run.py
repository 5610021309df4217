"""load_run on a tiny real run made by the command line."""
import csv
import math
import shutil
import subprocess
import sys

import numpy as np
import pytest

import grokinfo
from conftest import CLI

TINY = ["train.threads=1", "train.train_points=200", "train.batch_size=100", "model.width=32", "train.freqLog=50",
        "train.n_first_steps_to_log=3", "train.optimization_steps=100", "mi.enabled=true", "mi.x_compression=pca",
        "mi.k=5", "mi.eval_points=1000", "oinfo.enabled=true", "plot.enabled=false", "--quiet"]


@pytest.fixture(scope="module")
def run_dir(tmp_path_factory):
    if not CLI:
        pytest.skip("GROKINFO_CLI is not set (the path of ./grokinfo)")
    d = tmp_path_factory.mktemp("runs") / "tiny"
    p = subprocess.run([CLI, "train", *TINY, "--out", str(d)], capture_output=True, text=True, timeout=300)
    assert p.returncode == 0, p.stderr
    return d


def cells(path):
    with open(path, newline="") as f:
        rows = list(csv.reader(f))
    return rows[0], rows[1:]


def test_tables_equal_the_files(run_dir):
    run = grokinfo.load_run(run_dir)
    for name in ("metrics", "mi", "mi_check", "oinfo"):
        t = getattr(run, name)
        assert isinstance(t, np.recarray), name
        header, rows = cells(run_dir / f"{name}.csv")
        assert list(t.dtype.names) == header
        assert len(t) == len(rows)
        for c, col in enumerate(header):
            for r, row in enumerate(rows):
                v = t[col][r]
                if t.dtype[col].kind == "f":
                    want = float(row[c]) if row[c] != "" else math.nan
                    assert v == want or (math.isnan(v) and math.isnan(want)), (name, col, r, v, row[c])
                else:
                    assert isinstance(v, str) and v == row[c], (name, col, r)
    assert run.metrics.step[0] == 0 and run.metrics.step[-1] == 100
    assert run.mi.subset.dtype.kind == "U" and set(run.mi.subset) <= {"train", "eval"}
    assert run.mi["flags"].dtype.kind == "U"  # text even when nothing is flagged (.flags is ndarray's)
    assert run.tables.keys() >= {"metrics", "mi", "mi_check", "oinfo"}
    assert run["metrics"] is run.metrics
    assert run.oinfo_ties is None  # a known file this run does not have
    assert "metrics" in repr(run)


def test_summary_and_config(run_dir):
    run = grokinfo.load_run(str(run_dir))
    assert run.summary["final_step"] == 100
    assert isinstance(run.config, dict)
    assert run.config["train"]["optimization_steps"] == 100
    assert run.config["model"]["width"] == 32
    assert run.config["mi"]["enabled"] is True
    assert run.config["train"]["betas"] == [0.9, 0.999]
    assert run.config["train"]["eps"] == 1e-8
    assert run.config["mi"]["entropy_estimator_params"]["functional_params"]["k_neighbours"] == 20
    assert run.config_text == (run_dir / "config.yaml").read_text()


def test_as_frame(run_dir, monkeypatch):
    try:
        import pandas  # noqa: F401
    except ImportError:
        pandas = None
    if pandas is not None:
        run = grokinfo.load_run(run_dir, as_frame=True)
        assert list(run.metrics.columns) == list(grokinfo.load_run(run_dir).metrics.dtype.names)
        assert run.mi["subset"].iloc[0] in ("train", "eval")
    monkeypatch.setitem(sys.modules, "pandas", None)  # as if pandas were not installed
    with pytest.raises(ImportError, match="pandas"):
        grokinfo.load_run(run_dir, as_frame=True)


def test_corrupt_csv(run_dir, tmp_path):
    bad = tmp_path / "bad"
    shutil.copytree(run_dir, bad, ignore=shutil.ignore_patterns("ckpt"))
    text = (bad / "metrics.csv").read_text().splitlines()
    text[2] = text[2].rsplit(",", 3)[0]  # a row cut short
    (bad / "metrics.csv").write_text("\n".join(text) + "\n")
    with pytest.raises(OSError, match="metrics.csv"):
        grokinfo.load_run(bad)


def test_oinfo_rows_remeasured(run_dir, cli, tmp_path):
    # one oinfo.csv row against the same checkpoint's activations through grokinfo.oinfo
    run = grokinfo.load_run(run_dir)
    row = run.oinfo[(run.oinfo.step == 100) & (run.oinfo.layer == 1)]
    if len(row) != 1:
        pytest.skip("no oinfo row at step 100, layer 1")
    p = subprocess.run([CLI, "acts", str(run_dir), "--step", "100", "--layer", "1", "--subset", "train", "--out",
                        str(tmp_path / "a.npy")], capture_output=True, text=True, timeout=60)
    assert p.returncode == 0, p.stderr
    r = grokinfo.oinfo(np.load(tmp_path / "a.npy"), clusters=int(run.config["oinfo"]["clusters"]))
    # oinfo.csv keeps 10 significant digits
    assert float(f"{r.synergy:.10g}") == row.omega_min[0] and r.size_synergy == row.size_min[0]
