#!/usr/bin/env python3
"""A one-layer transformer grokking (a + b) mod p, measured by grokinfo.torch.Monitor.

Nanda et al. 2023 ("Progress measures for grokking via mechanistic interpretability") style, made
small enough for a CPU: the sequence a, b, '=' (tokens 0..p-1 and p), token and position
embeddings, one attention layer (causal, no LayerNorm), one ReLU MLP, the unembedding read at the
'=' position; full-batch AdamW with weight decay 1 on a fraction of the p^2 pairs, cross-entropy.
(Only the '=' position's output is read, so its query and its MLP are the only ones computed: the
same network, a third of the work.)

Monitored at log-spaced steps, on the training pairs and on the held-out ones:
  layer 1  the attention output at '=' (d_model)
  layer 2  the MLP's neurons at '=' (d_mlp ReLU units)
  layer 3  the MLP's output at '=' (d_model)
with Y the answer (a + b) mod p and X's code (cos, sin)(2 pi a / p), (cos, sin)(2 pi b / p): four
numbers that determine the pair. I(X;L), I(L;Y) per layer (wkl, k = 5, each layer compressed to
4 whitened PCA dimensions after noise of 1e-3), and the O-information of layers 1 and 2 on the
training pairs (10 Ward clusters of units, as grokinfo's modular runs):

    GROKINFO_LIB=build/libgrokinfo.so PYTHONPATH=python /usr/bin/python3 examples/torch_modular_transformer.py --out runs/torch-modular
    ./grokinfo plot runs/torch-modular

With the defaults (p = 53, half the 2809 pairs training, d_model 64, 4 heads, 256 MLP neurons,
AdamW lr 3e-3 weight decay 1, 3000 full-batch steps) it memorises (train_acc >= 0.98) at step 113
and groks (eval_acc >= 0.98) at 689, in 42-46 s (three runs, machine shared).
"""
import argparse
import math
import os
import subprocess
import sys
import time

import torch

import grokinfo
import grokinfo.torch


class Attention(torch.nn.Module):
    """multi-head attention of the last position over all (causal: it sees every earlier one);
    returns the '=' position's output, batch x d_model"""

    def __init__(self, d_model, n_heads):
        super().__init__()
        self.h, self.dh = n_heads, d_model // n_heads
        self.q = torch.nn.Linear(d_model, d_model, bias=False)
        self.kv = torch.nn.Linear(d_model, 2 * d_model, bias=False)
        self.o = torch.nn.Linear(d_model, d_model, bias=False)

    def forward(self, resid):  # resid: batch x seq x d_model
        n, t, d = resid.shape
        q = self.q(resid[:, -1]).view(n, self.h, 1, self.dh)
        k, v = self.kv(resid).view(n, t, 2, self.h, self.dh).permute(2, 0, 3, 1, 4)
        att = torch.softmax(q @ k.transpose(-1, -2) / math.sqrt(self.dh), dim=-1)  # n x h x 1 x t
        return self.o((att @ v).reshape(n, d))


class MLP(torch.nn.Module):
    def __init__(self, d_model, d_mlp):
        super().__init__()
        self.fc_in, self.act, self.fc_out = torch.nn.Linear(d_model, d_mlp), torch.nn.ReLU(), torch.nn.Linear(d_mlp, d_model)

    def forward(self, x):
        return self.fc_out(self.act(self.fc_in(x)))


class Transformer(torch.nn.Module):
    def __init__(self, p, d_model=64, n_heads=4, d_mlp=256):
        super().__init__()
        self.embed = torch.nn.Embedding(p + 1, d_model)
        torch.nn.init.normal_(self.embed.weight, std=1 / math.sqrt(d_model))  # small, as Nanda et al.'s
        self.pos = torch.nn.Parameter(torch.randn(3, d_model) / math.sqrt(d_model))
        self.attn = Attention(d_model, n_heads)
        self.mlp = MLP(d_model, d_mlp)
        self.unembed = torch.nn.Linear(d_model, p, bias=False)

    def forward(self, tokens):  # tokens: batch x 3
        resid = self.embed(tokens) + self.pos
        x = resid[:, -1] + self.attn(resid)
        x = x + self.mlp(x)
        return self.unembed(x)


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--out", required=True, help="the run directory to write")
    ap.add_argument("--p", type=int, default=53, help="the modulus (default 53)")
    ap.add_argument("--train-fraction", type=float, default=0.5, help="pairs that train (default 0.5)")
    ap.add_argument("--steps", type=int, default=3000, help="full-batch optimisation steps (default 3000)")
    ap.add_argument("--lr", type=float, default=3e-3)
    ap.add_argument("--weight-decay", type=float, default=1.0)
    ap.add_argument("--evals", type=int, default=50, help="log-spaced evaluations (default 50)")
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--threads", type=int, default=1, help="torch and grokinfo threads (default 1)")
    ap.add_argument("--overwrite", action="store_true", help="replace a run already in --out")
    ap.add_argument("--plot", action="store_true", help="run `grokinfo plot OUT` at the end ($GROKINFO_CLI or ./grokinfo)")
    args = ap.parse_args()
    t_start = time.perf_counter()
    torch.set_num_threads(args.threads)
    grokinfo.set_threads(args.threads)
    p = args.p

    a = torch.arange(p).repeat_interleave(p)
    b = torch.arange(p).repeat(p)
    tokens = torch.stack([a, b, torch.full_like(a, p)], 1)
    answer = (a + b) % p
    g = torch.Generator().manual_seed(args.seed)
    perm = torch.randperm(p * p, generator=g)
    n_train = int(round(args.train_fraction * p * p))
    tr, ev = perm[:n_train], perm[n_train:]
    # X's code: four numbers that determine the pair (a bijection of (a, b) for any p)
    ang = 2 * math.pi / p
    code = torch.stack([torch.cos(ang * a), torch.sin(ang * a), torch.cos(ang * b), torch.sin(ang * b)], 1).double()

    torch.manual_seed(args.seed)
    net = Transformer(p)
    opt = torch.optim.AdamW(net.parameters(), lr=args.lr, betas=(0.9, 0.98), weight_decay=args.weight_decay)
    config = {"seed": args.seed, "data.name": "modular", "data.op": "add", "data.train_fraction": args.train_fraction,
              "train.optimizer": "AdamW", "train.lr": args.lr, "train.weight_decay": args.weight_decay,
              "train.betas": [0.9, 0.98], "train.loss_function": "CrossEntropy", "train.batch_size": 0,
              "train.optimization_steps": args.steps, "train.eval_schedule": "log", "train.eval_points": args.evals,
              "train.threads": args.threads, "summary.train_acc": 0.98, "summary.eval_acc": 0.98}
    if 2 <= p <= 255:
        config["data.p"] = p
    mon = grokinfo.torch.Monitor(
        net, {"attn": net.attn, "mlp_neurons": net.mlp.act, "mlp_out": net.mlp},
        probe={"train": (tokens[tr], answer[tr]), "eval": (tokens[ev], answer[ev])}, out_dir=args.out,
        x_code={"train": code[tr].numpy(), "eval": code[ev].numpy()},
        steps=grokinfo.torch.log_steps(args.steps, args.evals), sigma=1e-3, estimator="wkl", k=5, dim=4,
        oinfo=dict(clusters=10, modules=["attn", "mlp_neurons"]), seed=args.seed, config=config,
        overwrite=args.overwrite)

    ce = torch.nn.functional.cross_entropy
    t_train = 0.0
    for step in range(args.steps + 1):
        if mon.due(step):
            with torch.no_grad():
                out = net(tokens)
            m = {}
            for name, idx in (("train", tr), ("eval", ev)):
                m[name + "_loss"] = float(ce(out[idx], answer[idx]))
                m[name + "_acc"] = float((out[idx].argmax(1) == answer[idx]).float().mean())
            # the gradient norm over the training pairs of the weights that make each monitored layer
            opt.zero_grad()
            ce(net(tokens[tr]), answer[tr]).backward()
            for i, part in enumerate((net.attn, net.mlp.fc_in, net.mlp.fc_out), 1):
                m[f"grad_norm_l{i}"] = float(torch.sqrt(sum((q.grad.double() ** 2).sum() for q in part.parameters())))
            opt.zero_grad()
            row = mon.step(step, **m)["metrics"]
            print(f"step {step:5d}  train_acc {row['train_acc']:.4f}  eval_acc {row['eval_acc']:.4f}  "
                  f"train_loss {row['train_loss']:.3g}  weight_norm {row['weight_norm']:.2f}  "
                  f"{time.perf_counter() - t_start:6.1f} s", flush=True)
        if step == args.steps:
            break
        t = time.perf_counter()
        opt.zero_grad()
        ce(net(tokens[tr]), answer[tr]).backward()
        opt.step()
        t_train += time.perf_counter() - t
    s = mon.close()
    total = time.perf_counter() - t_start
    tm = s["timing_seconds"]
    print(f"{args.out}: p = {p}, {len(tr)} training pairs, {args.steps} steps; memorised (train_acc>=0.98) at "
          f"{s['memorisation_step']}, grokked (eval_acc>=0.98) at {s['grokking_step']}; final train_acc "
          f"{s['final_train_acc']:.4f} eval_acc {s['final_eval_acc']:.4f}")
    for layer in s.get("oinfo", {}).get("layers", []):
        print(f"  O-information, layer {layer['layer']}: smoothed synergy peaks at {layer['synergy_peak_step']}, "
              f"redundancy at {layer['redundancy_peak_step']}")
    print(f"time: total {total:.1f} s (training steps {t_train:.1f} s, monitor {tm['monitor']:.1f} s: forward passes "
          f"{tm['evaluation_passes']:.1f}, MI {tm['estimation']:.1f}, O-information {tm['oinfo']:.1f}, writing "
          f"{tm['writing']:.1f}); draw it with: ./grokinfo plot {args.out}")
    if args.plot:
        cli = os.environ.get("GROKINFO_CLI", "./grokinfo")
        sys.exit(subprocess.call([cli, "plot", args.out]))


if __name__ == "__main__":
    main()
