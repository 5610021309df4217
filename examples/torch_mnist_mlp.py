#!/usr/bin/env python3
"""The seed's MNIST MLP in PyTorch, its information plane measured by grokinfo.torch.Monitor.

The Omnigrok setup that `grokinfo train` runs natively: 1000 training digits drawn with the seed
from the 10,000 of data/mnist/npm10k-* (the other 9000 evaluate), 784-200-200-10 ReLU with
Gaussian noise of 1e-3 after each layer (training and evaluation, as the seed's network), every
parameter x8 at init, AdamW lr 1e-3 weight decay 1e-2, MSE on one-hot labels, batch 200. At
log-spaced steps the monitor measures each layer's I(X;L) and I(L;Y) on the 1000 training digits
and 1000 of the evaluation ones (X: the whitened 4-dimensional PCA of the pixels, each layer
compressed to 4 dimensions, the seed's `wkl` estimator with k = 5) and writes a grokinfo run
directory:

    GROKINFO_LIB=build/libgrokinfo.so PYTHONPATH=python /usr/bin/python3 examples/torch_mnist_mlp.py --out runs/torch-mnist
    ./grokinfo plot runs/torch-mnist                       # phases and figures/
    ./grokinfo compare runs/torch-mnist runs/mnist-a8.0-wd0.01-lr0.001-s0   # beside the C run

The default 15000 steps memorise (train_acc >= 0.99) at step 3797 and end at eval accuracy 0.19
(55 s on one free core, 2 min with both cores busy); --steps 30000 also groks, as grokinfo's own
run does near 24000: eval accuracy 0.49 at step 24308 and 0.69 at 30000 (1 min 43 s).
"""
import argparse
import os
import subprocess
import sys
import time

import numpy as np
import torch

import grokinfo
import grokinfo.torch


def read_idx(path):
    """an IDX file of unsigned bytes (src/data/idx.c's format) as a NumPy array"""
    with open(path, "rb") as f:
        buf = f.read()
    if len(buf) < 4 or buf[0] != 0 or buf[1] != 0 or buf[2] != 0x08:
        raise ValueError(f"{path}: not an IDX file of unsigned bytes (magic {buf[:4].hex()})")
    ndim = buf[3]
    dims = [int.from_bytes(buf[4 + 4 * i:8 + 4 * i], "big") for i in range(ndim)]
    data = np.frombuffer(buf, dtype=np.uint8, offset=4 + 4 * ndim)
    if data.size != int(np.prod(dims)):
        raise ValueError(f"{path}: {data.size} bytes of data, expected {int(np.prod(dims))} for dimensions {dims}")
    return data.reshape(dims)


class Noise(torch.nn.Module):
    """the seed's Gaussian noise after a layer, in training and evaluation"""

    def __init__(self, sigma):
        super().__init__()
        self.sigma = sigma

    def forward(self, x):
        return x + self.sigma * torch.randn_like(x)


class MLP(torch.nn.Module):
    def __init__(self, widths=(784, 200, 200, 10), sigma=1e-3, scale=8.0):
        super().__init__()
        self.l1, self.l2, self.l3 = (torch.nn.Linear(a, b) for a, b in zip(widths, widths[1:]))
        self.noise = Noise(sigma)
        with torch.no_grad():
            for p in self.parameters():
                p.mul_(scale)

    def forward(self, x):
        a = self.noise(torch.relu(self.l1(x)))
        b = self.noise(torch.relu(self.l2(a)))
        return self.noise(self.l3(b))


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--out", required=True, help="the run directory to write")
    ap.add_argument("--steps", type=int, default=15000, help="optimisation steps (default 15000)")
    ap.add_argument("--evals", type=int, default=50, help="log-spaced evaluations (default 50)")
    ap.add_argument("--eval-probe", type=int, default=1000, help="evaluation digits the plane measures (default 1000)")
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--data", default="data/mnist", help="the folder of npm10k-*-idx*-ubyte (default data/mnist)")
    ap.add_argument("--threads", type=int, default=1, help="torch and grokinfo threads (default 1)")
    ap.add_argument("--overwrite", action="store_true", help="replace a run already in --out")
    ap.add_argument("--plot", action="store_true", help="run `grokinfo plot OUT` at the end ($GROKINFO_CLI or ./grokinfo)")
    args = ap.parse_args()
    t_start = time.perf_counter()
    torch.set_num_threads(args.threads)
    grokinfo.set_threads(args.threads)

    images = read_idx(os.path.join(args.data, "npm10k-images-idx3-ubyte")).reshape(-1, 784)
    labels = read_idx(os.path.join(args.data, "npm10k-labels-idx1-ubyte")).astype(np.int64)
    x_all = torch.tensor((images / 255.0 - 0.1307) / 0.3081, dtype=torch.float32)
    y_all = torch.tensor(labels)
    rng = np.random.default_rng(args.seed)
    order = rng.permutation(len(x_all))
    tr, ev = order[:1000], order[1000:]
    x_tr, y_tr, x_ev, y_ev = x_all[tr], y_all[tr], x_all[ev], y_all[ev]
    probe_ev = rng.choice(len(ev), size=min(args.eval_probe, len(ev)), replace=False)

    torch.manual_seed(args.seed)
    net = MLP()
    opt = torch.optim.AdamW(net.parameters(), lr=1e-3, weight_decay=1e-2)
    eye = torch.eye(10)
    config = {"seed": args.seed, "data.name": "mnist", "model.width": 200, "model.depth": 3,
              "model.activation": "ReLU", "model.initialization_scale": 8.0, "model.noise": True,
              "train.optimizer": "AdamW", "train.lr": 1e-3, "train.weight_decay": 1e-2, "train.loss_function": "MSE",
              "train.batch_size": 200, "train.train_points": 1000, "train.optimization_steps": args.steps,
              "train.eval_schedule": "log", "train.eval_points": args.evals, "train.threads": args.threads,
              "mi.eval_points": len(probe_ev)}
    # the layers as the seed measures them: each hidden layer's ReLU output and the logits; the
    # monitor adds the network's noise (sigma 1e-3) itself, so the hooks read the Linear outputs
    mon = grokinfo.torch.Monitor(
        net, {"l1": (net.l1, torch.relu), "l2": (net.l2, torch.relu), "l3": net.l3},
        probe={"train": (x_tr, y_tr), "eval": (x_ev[probe_ev], y_ev[probe_ev])}, out_dir=args.out,
        steps=grokinfo.torch.log_steps(args.steps, args.evals), sigma=1e-3, estimator="wkl", k=5, dim=4,
        chain=True, seed=args.seed, config=config, overwrite=args.overwrite)

    def evaluate():
        with torch.no_grad():
            out = {}
            for name, x, y in (("train", x_tr, y_tr), ("eval", x_ev, y_ev)):
                o = net(x)
                out[name + "_loss"] = float(((o - eye[y]) ** 2).mean())
                out[name + "_acc"] = float((o.argmax(1) == y).float().mean())
        # the gradient norm of each layer over the whole training subset, as grokinfo's metrics.csv
        net.zero_grad()
        ((net(x_tr) - eye[y_tr]) ** 2).mean().backward()
        for i, layer in enumerate((net.l1, net.l2, net.l3), 1):
            out[f"grad_norm_l{i}"] = float(torch.sqrt(sum((p.grad.double() ** 2).sum() for p in layer.parameters())))
        net.zero_grad()
        return out

    perm, pos = torch.randperm(1000), 0
    t_train = 0.0
    for step in range(args.steps + 1):
        if mon.due(step):
            m = mon.step(step, **evaluate())["metrics"]
            print(f"step {step:6d}  train_acc {m['train_acc']:.4f}  eval_acc {m['eval_acc']:.4f}  "
                  f"weight_norm {m['weight_norm']:.2f}  {time.perf_counter() - t_start:6.1f} s", flush=True)
        if step == args.steps:
            break
        t = time.perf_counter()
        if pos + 200 > 1000:
            perm, pos = torch.randperm(1000), 0
        b = perm[pos:pos + 200]
        pos += 200
        opt.zero_grad()
        ((net(x_tr[b]) - eye[y_tr[b]]) ** 2).mean().backward()
        opt.step()
        t_train += time.perf_counter() - t
    s = mon.close()
    total = time.perf_counter() - t_start
    tm = s["timing_seconds"]
    at = lambda key, what: f"{what} at {s[key]}" if s.get(key) is not None else f"not {what}"
    print(f"{args.out}: {args.steps} steps; {at('memorisation_step', 'memorised')}, {at('grokking_step', 'grokked')}; "
          f"final train_acc {s['final_train_acc']:.4f} eval_acc {s['final_eval_acc']:.4f}")
    print(f"time: total {total:.1f} s (training steps {t_train:.1f} s, monitor {tm['monitor']:.1f} s: forward passes "
          f"{tm['evaluation_passes']:.1f}, X compression {tm['x_compression']:.1f}, MI {tm['estimation']:.1f}, "
          f"writing {tm['writing']:.1f}); draw it with: ./grokinfo plot {args.out}")
    if args.plot:
        cli = os.environ.get("GROKINFO_CLI", "./grokinfo")
        sys.exit(subprocess.call([cli, "plot", args.out]))


if __name__ == "__main__":
    main()
