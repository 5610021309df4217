#!/usr/bin/env bash
# bench/sweep.sh — a sweep's throughput: the same 4 points (MNIST defaults, 3000 steps, MI on) run as
# `grokinfo sweep -j 2` (two points at a time, 1 thread each) and as `-j 1` (one after another,
# 2 threads each); prints runs per hour of both and their ratio, and the bound on that ratio set by
# one point's own speed-up from a second thread (the better one run uses two cores, the lower it is).
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
# each point's own time (summary.json's timing total) in both sweeps: with a perfect schedule the
# ratio is 2 x (sum at 2 threads) / (sum at 1 thread, two running at once)
total() { sed -n 's/.*"total": \([0-9.]*\).*/\1/p' "$1/summary.json" | tail -1; }
sum1=0 sum2=0
for d in "$TMP"/par/*/; do
    n=$(basename "$d")
    sum1=$(awk -v s="$sum1" -v t="$(total "$d")" 'BEGIN { print s + t }')
    sum2=$(awk -v s="$sum2" -v t="$(total "$TMP/seq/$n")" 'BEGIN { print s + t }')
done
awk -v a="$t0" -v b="$t1" -v c="$t2" -v s1="$sum1" -v s2="$sum2" -v same=$same 'BEGIN {
    par = b - a; seq = c - b
    printf "sweep of 4 points (3000 steps, MI on): -j 2 x 1 thread %.1f s (%.0f runs/h); -j 1 x 2 threads %.1f s (%.0f runs/h)\n", par, 4 * 3600 / par, seq, 4 * 3600 / seq
    printf "parallel sweep / one after another: %.2fx (target 1.6x); same results both ways: %s\n", seq / par, same
    printf "the points themselves: %.1f s at 1 thread (two at once), %.1f s at 2 threads, a %.2fx speed-up from the second thread;\n", s1, s2, s1 / s2
    printf "  so a parallel sweep can gain at most 2 x %.1f / %.1f = %.2fx over running them one after another\n", s2, s1, 2 * s2 / s1 }'
