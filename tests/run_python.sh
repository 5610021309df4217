#!/usr/bin/env bash
# tests/run_python.sh [pytest args...] — the Python package's tests (python/tests) against the
# library and the command line built here: GROKINFO_LIB=build/libgrokinfo.so, GROKINFO_CLI=./grokinfo,
# PYTHONPATH=python, Debian's /usr/bin/python3. Skips (exit 0, one line) when that Python lacks
# numpy or pytest; fails when the library or the command is not built.
set -uo pipefail
cd "$(dirname "$0")/.."
PY=${PYTHON:-/usr/bin/python3}
if ! "$PY" -c 'import numpy, pytest' 2>/dev/null; then
    echo "python tests skipped: $PY lacks numpy or pytest (Debian: apt-get install python3-numpy python3-pytest)"
    exit 0
fi
LIB=${GROKINFO_LIB:-build/libgrokinfo.so}
[ -e "$LIB" ] || { echo "python tests: $LIB not built (make)"; exit 1; }
[ -x ./grokinfo ] || { echo "python tests: ./grokinfo not built (make)"; exit 1; }
GROKINFO_LIB=$(realpath "$LIB") GROKINFO_CLI=$(realpath ./grokinfo) PYTHONPATH=python${PYTHONPATH:+:$PYTHONPATH} \
    PYTHONDONTWRITEBYTECODE=1 "$PY" -m pytest -q -p no:cacheprovider python/tests "$@"
