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
best_of() { # best_of REPS CMD...: "value seconds" of the fastest run (CMD prints "value seconds")
    local reps=$1 best="" line; shift
    for ((r = 0; r < reps; r++)); do
        line=$("$@") || return 1
        if [ -z "$best" ] || awk -v a="${line#* }" -v b="${best#* }" 'BEGIN { exit !(a < b) }'; then best=$line; fi
    done
    echo "$best"
}
grokinfo_ksg() {
    local g; g=$(./grokinfo mi --x "$1" --y "$2" --estimator ksg --k 5 --json) || return 1
    echo "$(sed 's/.*"mi": \([^,]*\),.*/\1/' <<<"$g") $(sed 's/.*"seconds": \([^}]*\)}.*/\1/' <<<"$g")"
}
# Best of 3 for grokinfo everywhere and for the peer up to N = 1e4 (one run at 1e5, where it takes
# minutes): on a shared 2-core machine a single run of a two-thread program can be several times slower.
for n in ${NS:-1000 10000 100000}; do  # NS="1000 10000" for a quick look
    for d in 2 4 8; do
        read -r gv gs < <(best_of 3 grokinfo_ksg "$TMP/x_${n}_$d.npy" "$TMP/y_${n}_$d.npy")
        read -r pv ps < <(best_of $((n <= 10000 ? 3 : 1)) $PY bench/mi_peer.py "$PEERS" "$TMP/x_${n}_$d.npy" "$TMP/y_${n}_$d.npy" ksg 5)
        awk -v n=$n -v d="$d+$d" -v gs="$gs" -v ps="$ps" -v gv="$gv" -v pv="$pv" 'BEGIN {
            rd = (gv - pv) / (pv < 0 ? -pv : pv); if (rd < 0) rd = -rd
            printf "%-8d %-5s %12.4f %12.4f %8.1fx %22.15f %22.15f %9.1e\n", n, d, gs, ps, ps / gs, gv, pv, rd }'
    done
done
