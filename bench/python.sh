#!/usr/bin/env bash
# bench/python.sh — the Python package (python/grokinfo over build/libgrokinfo.so) beside
# scikit-learn's mutual_info_regression and the SciPy peers (../shared/peers/ksg_peer.py,
# oinfo_peer.py) on the same arrays: KSG at N = 1e4 and 1e5 (1-D X and Y), O-information on the
# peer's synthetic activations (3763 x 250), the per-call overhead at N = 50 (bench/python_bench.py).
# Env knobs: NS (10000,100000), REPS (3), PEER_REPS (3), ACTS (3763,250), OINFO_PEER_REPS (1),
# CALLS (1000), PEERS (../shared/peers). Quick look: NS=2000 ACTS=400,30 CALLS=100 bash bench/python.sh
set -uo pipefail
cd "$(dirname "$0")/.."
PEERS=${PEERS:-../shared/peers}
PY=/usr/bin/python3  # Debian's, with python3-numpy, python3-scipy, python3-sklearn
if ! $PY -c 'import numpy, scipy, sklearn' 2>/dev/null && [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
    echo "python bench: installing python3-numpy python3-scipy python3-sklearn (apt-get)..."
    apt-get install -y -qq python3-numpy python3-scipy python3-sklearn >/dev/null 2>&1 ||
        { apt-get update -qq >/dev/null 2>&1 && apt-get install -y -qq python3-numpy python3-scipy python3-sklearn >/dev/null 2>&1; } || true
fi
if ! $PY -c 'import numpy' 2>/dev/null; then echo "python bench: skipped ($PY lacks numpy)"; exit 0; fi
[ -e build/libgrokinfo.so ] || make -s lib >/dev/null || exit 1
read -r LOAD1 _ </proc/loadavg
echo "load average (1 min) at start: $LOAD1$(awk "BEGIN { exit !($LOAD1 > 0.5) }" && echo '  WARNING: machine busy, figures will be low')"
GROKINFO_LIB=$(realpath build/libgrokinfo.so) PYTHONPATH=python PYTHONDONTWRITEBYTECODE=1 $PY bench/python_bench.py "$PEERS" \
    --ns "${NS:-10000,100000}" --reps "${REPS:-3}" --peer-reps "${PEER_REPS:-3}" --acts "${ACTS:-3763,250}" \
    --oinfo-peer-reps "${OINFO_PEER_REPS:-1}" --calls "${CALLS:-1000}"
