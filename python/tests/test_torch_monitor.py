"""grokinfo.torch.Monitor on a tiny MLP: what it writes is what grokinfo.infoplane and
grokinfo.oinfo give on the captured outputs, `grokinfo plot` and `grokinfo compare` read it, the
model's modes and training are left alone, and bad set-ups raise ValueError. Needs torch and
libgrokinfo.so (GROKINFO_LIB); the command line from GROKINFO_CLI (default ./grokinfo)."""
import copy
import json
import math
import os
import shutil
import subprocess

import numpy as np
import pytest

torch = pytest.importorskip("torch", reason="grokinfo.torch needs PyTorch (Debian: python3-torch)")
import grokinfo  # noqa: E402
import grokinfo.torch as gt  # noqa: E402
from grokinfo import rundir  # noqa: E402

try:
    grokinfo.load_library()
except OSError as err:  # pragma: no cover - depends on the build
    pytest.skip(f"libgrokinfo not found ({err}); set GROKINFO_LIB=build/libgrokinfo.so", allow_module_level=True)

CLI = os.environ.get("GROKINFO_CLI", "./grokinfo")
STEPS = [0, 1, 2, 5, 10, 20, 40]
N = 100


def cli(*args):
    if not (os.path.isfile(CLI) and os.access(CLI, os.X_OK)):
        pytest.skip(f"no grokinfo command line at {CLI} (set GROKINFO_CLI)")
    if not shutil.which("gnuplot"):
        pytest.skip("gnuplot is not installed")
    p = subprocess.run([CLI, *args], capture_output=True, text=True, timeout=120)
    assert p.returncode == 0, f"grokinfo {' '.join(args)} exited {p.returncode}:\n{p.stdout}\n{p.stderr}"
    return p


def data(seed=0):
    g = torch.Generator().manual_seed(seed)
    x = torch.randn(3 * N, 20, generator=g)
    y = (x[:, 0] > 0).long() + (x[:, 1] > 0.5).long()
    return x, y


class Noise(torch.nn.Module):
    """Gaussian noise in training and evaluation, from torch's global generator (as the seed's network)"""

    def forward(self, x):
        return x + 1e-3 * torch.randn_like(x)


def mlp(seed=0, noise=False):
    torch.manual_seed(seed)
    extra = [Noise()] if noise else []
    return torch.nn.Sequential(torch.nn.Linear(20, 16), torch.nn.ReLU(), torch.nn.Linear(16, 16), torch.nn.ReLU(),
                               torch.nn.Linear(16, 3), *extra)


def train(model, x, y, mon=None, steps=40):
    """full-batch AdamW on the first N rows; metrics on the train and eval probes at mon's steps"""
    opt = torch.optim.AdamW(model.parameters(), lr=1e-2, weight_decay=1e-2)
    f = torch.nn.functional
    for step in range(steps + 1):
        if mon is not None and mon.due(step):
            with torch.no_grad(), torch.random.fork_rng(devices=[]):  # the test's own metrics draw no training noise
                o, e = model(x[:N]), model(x[N:2 * N])
            mon.step(step, train_loss=f.cross_entropy(o, y[:N]), train_acc=(o.argmax(1) == y[:N]).float().mean(),
                     eval_loss=f.cross_entropy(e, y[N:2 * N]), eval_acc=(e.argmax(1) == y[N:2 * N]).float().mean())
        if step == steps:
            break
        opt.zero_grad()
        f.cross_entropy(model(x[:N]), y[:N]).backward()
        opt.step()


def monitored_run(out, seed=0, **kw):
    x, y = data()
    model = mlp(seed)
    args = dict(probe={"train": (x[:N], y[:N]), "eval": (x[N:2 * N], y[N:2 * N])}, steps=STEPS, chain=True,
                oinfo=dict(clusters=4), seed=seed, config={"train.lr": 1e-2, "train.weight_decay": 1e-2})
    args.update(kw)
    mon = gt.Monitor(model, [model[1], model[3], model[4]], out_dir=out, **args)
    train(model, x, y, mon)
    mon.close()
    return mon, model


def test_tiny_mlp_plot_and_compare(tmp_path):
    a, b = str(tmp_path / "mon-s0"), str(tmp_path / "mon-s1")
    mon, _ = monitored_run(a, seed=0)
    monitored_run(b, seed=1)
    mi = rundir.read_csv(os.path.join(a, "mi.csv"))
    assert list(mi) == list(rundir.MI_COLUMNS)
    assert len(mi["step"]) == len(STEPS) * 2 * 3
    assert sorted(set(mi["step"])) == STEPS and set(mi["subset"]) == {"train", "eval"} and set(mi["layer"]) == {1, 2, 3}
    assert all(math.isfinite(v) for v in mi["ixl"] + mi["ily"])
    assert set(mi["dl"]) == {4, 3}  # the 3 logits stay 3-dimensional
    oi = rundir.read_csv(os.path.join(a, "oinfo.csv"))
    assert len(oi["step"]) == len(STEPS) * 3 and set(oi["size_min"]) <= set(range(17))
    met = rundir.read_csv(os.path.join(a, "metrics.csv"))
    assert met["step"] == STEPS and list(met)[:6] == list(rundir.METRICS_REQUIRED)
    assert "dead_train_l2" in met and "dead_eval_l3" in met and "weight_norm_l1" not in met  # ReLUs have no weights
    with open(os.path.join(a, "summary.json")) as f:
        s = json.load(f)
    assert s["status"] == "finished" and s["final_step"] == 40 and s["measurements"] == len(STEPS)
    assert s["flags"]["rows"] == len(mi["step"]) and len(s["oinfo"]["layers"]) == 3
    with open(os.path.join(a, "monitor.json")) as f:
        meta = json.load(f)
    assert [l["width"] for l in meta["layers"]] == [16, 16, 3] and meta["probe"]["eval"]["rows"] == N
    p = cli("plot", a)
    assert "O-information" in p.stdout
    for name in ("infoplane", "accuracy", "training", "oinfo", "oinfo_plane"):
        assert os.path.getsize(os.path.join(a, "figures", name + ".png")) > 1000, name
    out = str(tmp_path / "cmp")
    p = cli("compare", a, b, "--out", out)
    assert "2 runs, 1 swept key" in p.stdout and os.path.exists(os.path.join(out, "figures", "infoplane_overlay.png"))
    run = grokinfo.load_run(a)  # the package's own reader agrees
    assert len(run.mi) == len(mi["step"]) and run.summary["final_step"] == 40


def test_rows_are_the_library_calls(tmp_path):
    """mi.csv and oinfo.csv hold grokinfo.infoplane and grokinfo.oinfo of the captured outputs"""
    x, y = data()
    model = mlp()
    mon = gt.Monitor(model, {"h1": model[1], "h2": model[3]}, probe={"eval": (x[N:2 * N], y[N:2 * N])},
                     out_dir=str(tmp_path / "run"), steps=[0], oinfo=True, seed=7, sigma=0.01)
    res = mon.step(0, train_loss=1.0, train_acc=0.5, eval_loss=1.0, eval_acc=0.5)
    acts = mon.capture("eval")
    ref = model[3](model[2](model[1](model[0](x[N:2 * N])))).detach().double().numpy()
    assert np.array_equal(acts["h2"], ref)
    code = grokinfo.pca(x[N:2 * N].double().numpy(), 4, whiten=True)
    for row, name in zip(res["mi"], ("h1", "h2")):
        pt = grokinfo.infoplane(code, acts[name], y[N:2 * N].numpy(), sigma=0.01, seed=gt._mix(7, 0, 1, row["layer"]))
        assert (row["ixl"], row["ixl_err"], row["ily"], row["ily_err"]) == (pt.ixl, pt.ixl_err, pt.ily, pt.ily_err)
        assert row["h_y"] == pytest.approx(pt.h_y, rel=1e-12)
    for row, name in zip(res["oinfo"], ("h1", "h2")):
        o = grokinfo.oinfo(acts[name], clusters=10, seed=7, step=0, layer=row["layer"])
        assert (row["omega_min"], row["omega_max"], row["size_min"]) == (o.synergy, o.redundancy, o.size_synergy)
    assert rundir.FLAG_NAMES == tuple(grokinfo.flag_names())
    mon.close()


def test_modes_and_training_untouched(tmp_path):
    """the monitor restores every module's mode and never changes the training trajectory, even of a
    network that draws noise from torch's generator in its forward pass"""
    x, y = data()
    plain = mlp(noise=True)
    watched = copy.deepcopy(plain)
    watched.train()
    watched[3].eval()  # a submodule deliberately in eval mode stays so
    mon = gt.Monitor(watched, [watched[1], watched[3]], probe={"train": (x[:N], y[:N])}, out_dir=str(tmp_path / "r"),
                     steps=5)
    torch.manual_seed(1)
    train(plain, x, y)
    torch.manual_seed(1)
    train(watched, x, y, mon)
    mon.close()
    assert watched.training and watched[1].training and not watched[3].training
    for p, q in zip(plain.parameters(), watched.parameters()):
        assert torch.equal(p, q)
    assert rundir.read_csv(os.path.join(mon.out_dir, "metrics.csv"))["step"] == [0, 5, 10, 15, 20, 25, 30, 35, 40]


def test_one_probe_transform_and_batches(tmp_path):
    """probe_x/probe_y (the eval subset), Linear modules with a transform, the probe in chunks"""
    x, y = data()
    model = mlp()
    out = str(tmp_path / "one")
    mon = gt.Monitor(model, {"fc1": (model[0], torch.relu), "fc2": (model[2], torch.relu), "out": model[4]},
                     x[N:2 * N], y[N:2 * N], out, steps=gt.log_steps(40, 8), batch_size=30, chain=True)
    train(model, x, y, mon)
    s = mon.close()
    met = rundir.read_csv(os.path.join(out, "metrics.csv"))
    assert met["step"] == gt.log_steps(40, 8) and "weight_norm_l3" in met and "dead_train_l1" not in met
    assert met["weight_norm_l1"][0] == pytest.approx(math.sqrt(sum(float((p.double() ** 2).sum())
                                                                 for p in mlp()[0].parameters())))
    assert set(rundir.read_csv(os.path.join(out, "mi.csv"))["subset"]) == {"eval"}
    assert s["grokking_step"] is not None
    cli("plot", out)


def test_schedules():
    assert gt.log_steps(100, 5) == [0, 2, 9, 31, 100]
    assert gt.seed_steps(3500, first=3, every=1000) == [0, 1, 2, 1000, 2000, 3000, 3500]
    default = gt._Schedule(None)
    assert [s for s in range(120) if default(s)] == list(range(11)) + [13, 16, 20, 25, 32, 40, 50, 63, 79, 100]
    assert gt._Schedule(25)(50) and not gt._Schedule(25)(51)
    assert gt._Schedule([3, 1])(3) and not gt._Schedule([3, 1])(2)
    with pytest.raises(ValueError, match="steps: expected an integer >= 0"):
        gt._Schedule([1, -2])


def bad(tmp_path, **kw):
    x, y = data()
    model = mlp()
    args = dict(model=model, modules=[model[1]], probe={"train": (x[:N], y[:N])}, out_dir=str(tmp_path / "bad"))
    args.update(kw)
    return gt.Monitor(**args)


@pytest.mark.parametrize("kw, message", [
    (dict(probe={"test": (torch.zeros(10, 20), torch.zeros(10))}), r"probe subset 'test': grokinfo's mi.csv knows "
                                                                    r"only train and eval"),
    (dict(probe={"train": (torch.zeros(10, 20), torch.zeros(10, 3))}), r"labels must be 1-D class indices.*argmax"),
    (dict(probe={"train": (torch.zeros(10, 20), torch.zeros(9))}), r"9 labels for 10 inputs"),
    (dict(modules=[torch.nn.Linear(2, 2)]), r"not a submodule of the model"),
    (dict(config={"mi.k": 3}), r"config\['mi.k'\] = 3 contradicts the monitor's 5"),
    (dict(config={"train.learning_rate": 1.0}), r"unknown config key 'train.learning_rate'"),
    (dict(oinfo=dict(clusters=4, colour="red")), r"oinfo: unknown setting\(s\) colour"),
    (dict(oinfo=dict(modules=["nope"])), r"oinfo modules: 'nope' is not a monitored module"),
    (dict(sigma=-1.0), r"sigma: -1.0 outside"),
    (dict(compression="smi"), r"compression: 'smi' is not one of pca, first_coords"),
    (dict(steps=0), r"every N steps needs N >= 1"),
])
def test_bad_setup(tmp_path, kw, message):
    with pytest.raises(ValueError, match=message):
        bad(tmp_path, **kw)


def test_bad_capture(tmp_path):
    x, y = data()
    model = mlp()
    mon = bad(tmp_path, model=model, modules={"t": (model[1], lambda t: t.t())})  # batch not first
    with pytest.raises(ValueError, match=r"16 output rows for 100 probe inputs"):
        mon.step(0, train_loss=1.0, train_acc=0.5, eval_loss=1.0, eval_acc=0.5)
    twice = torch.nn.ReLU()
    model2 = torch.nn.Sequential(torch.nn.Linear(20, 8), twice, torch.nn.Linear(8, 8), twice)
    mon = bad(tmp_path, model=model2, modules=[twice], overwrite=True)
    with pytest.raises(ValueError, match=r"ran 2 times in one forward pass"):
        mon.step(0, train_loss=1.0, train_acc=0.5, eval_loss=1.0, eval_acc=0.5)
    assert model2.training, "the modes are restored after a failed capture too"


def test_token_inputs(tmp_path):
    """integer inputs (token ids) warn that X's code should be given; with x_code it is used as given"""
    g = torch.Generator().manual_seed(0)
    tokens = torch.randint(0, 10, (60, 3), generator=g)
    y = tokens.sum(1) % 3
    model = torch.nn.Sequential(torch.nn.Embedding(10, 4), torch.nn.Flatten(), torch.nn.Linear(12, 8))
    with pytest.warns(UserWarning, match="give x_code"):
        mon = gt.Monitor(model, [model[2]], tokens, y, str(tmp_path / "a"), steps=[0])
    mon.close()
    code = np.random.default_rng(0).standard_normal((60, 4))
    mon = gt.Monitor(model, [model[2]], tokens, y, str(tmp_path / "b"), steps=[0], x_code=code)
    row = mon.step(0, train_loss=1.0, train_acc=0.5, eval_loss=1.0, eval_acc=0.5)["mi"][0]
    mon.close()
    assert row["subset"] == "eval" and row["dx"] == 4 and np.array_equal(mon.x_code["eval"], code)
