#!/usr/bin/env bash
# bench/mi.sh — KSG (k = 5) through grokinfo mi beside the SciPy peer (../shared/peers/ksg_peer.py) on
# the same Gaussian pairs: both times (the estimate alone), both values, their relative difference.
set -uo pipefail
cd "$(dirname "$0")/.."
PEERS=${PEERS:-../shared/peers}
PY=python3
python3 -c 'import scipy' 2>/dev/null || PY=/usr/bin/python3
if ! $PY -c 'import scipy, numpy' 2>/dev/null; then
    apt-get install -y -qq python3-scipy python3-numpy >/dev/null 2>&1 || true
    PY=/usr/bin/python3
fi
if ! $PY -c 'import scipy, numpy' 2>/dev/null; then echo "mi bench: peer skipped (python3-scipy not available)"; exit 0; fi
TMP=$(mktemp -d); trap 'rm -rf "$TMP"' EXIT
$PY bench/mi_inputs.py "$PEERS" "$TMP"
printf '%-8s %-5s %12s %12s %9s %22s %22s %9s\n' N dims "grokinfo s" "peer s" ratio "grokinfo mi" "peer mi" "rel diff"
for n in 1000 10000 100000; do
    for d in 2 4 8; do
        g=$(./grokinfo mi --x "$TMP/x_${n}_$d.npy" --y "$TMP/y_${n}_$d.npy" --estimator ksg --k 5 --json)
        gv=$(sed 's/.*"mi": \([^,]*\),.*/\1/' <<<"$g"); gs=$(sed 's/.*"seconds": \([^}]*\)}.*/\1/' <<<"$g")
        read -r pv ps < <($PY bench/mi_peer.py "$PEERS" "$TMP/x_${n}_$d.npy" "$TMP/y_${n}_$d.npy" ksg 5)
        awk -v n=$n -v d="$d+$d" -v gs="$gs" -v ps="$ps" -v gv="$gv" -v pv="$pv" 'BEGIN {
            rd = (gv - pv) / (pv < 0 ? -pv : pv); if (rd < 0) rd = -rd
            printf "%-8d %-5s %12.4f %12.4f %8.1fx %22.15f %22.15f %9.1e\n", n, d, gs, ps, ps / gs, gv, pv, rd }'
    done
done
