#!/usr/bin/env bash
# bench/sweep.sh — a sweep's throughput: the same 4 points (MNIST defaults, 3000 steps, MI on) run as
# `grokinfo sweep -j 2` (two points at a time, 1 thread each) and as `-j 1` (one after another,
# 2 threads each); prints runs per hour of both and their ratio.
set -uo pipefail
cd "$(dirname "$0")/.."
[ -x ./grokinfo ] || make -s grokinfo >/dev/null || exit 1
TMP=$(mktemp -d); trap 'rm -rf "$TMP"' EXIT
cat >"$TMP/bench.yaml" <<'YAML'
base:
  train.optimization_steps: 3000
  plot.enabled: false
axes:
  model.initialization_scale: [4, 8]
  train.weight_decay: [1e-2, 1e-1]
YAML
./grokinfo sweep "$TMP/bench.yaml" --out "$TMP/warm" -j 2 --quiet >/dev/null 2>&1 # the autoencoder's cache, page cache
t0=$(date +%s.%N); ./grokinfo sweep "$TMP/bench.yaml" --out "$TMP/par" -j 2 --quiet >/dev/null || exit 1; t1=$(date +%s.%N)
./grokinfo sweep "$TMP/bench.yaml" --out "$TMP/seq" -j 1 --quiet >/dev/null || exit 1; t2=$(date +%s.%N)
same=yes
for d in "$TMP"/par/*/; do
    n=$(basename "$d")
    cmp -s <(sed 's/,[^,]*$//' "$d/metrics.csv") <(sed 's/,[^,]*$//' "$TMP/seq/$n/metrics.csv") &&
        cmp -s "$d/mi.csv" "$TMP/seq/$n/mi.csv" || same=no
done
awk -v a="$t0" -v b="$t1" -v c="$t2" -v same=$same 'BEGIN {
    par = b - a; seq = c - b
    printf "sweep of 4 points (3000 steps, MI on): -j 2 x 1 thread %.1f s (%.0f runs/h); -j 1 x 2 threads %.1f s (%.0f runs/h)\n", par, 4 * 3600 / par, seq, 4 * 3600 / seq
    printf "parallel sweep / one after another: %.2fx (target 1.6x); same results both ways: %s\n", seq / par, same }'
