#!/usr/bin/env bash
# End-to-end tests of the Python package as a user installs it (the README's command): the
# shared library copied into the package (make python-lib), a venv of Debian's /usr/bin/python3
# with its system packages, `pip install --no-index --no-build-isolation ./python` (offline), then
# the installed package, with no GROKINFO_LIB, gives the command line's numbers; an example's run
# directory (examples/, with torch when Debian's python3-torch is there) is drawn by `grokinfo plot`.
# Skipped (one line) without python3-venv/pip/numpy, and under the sanitizer half.
# usage: tests/e2e_python.sh GROKINFO_BINARY
set -u
passed=0 failed=0
ok()   { echo "ok   e2e_$1"; passed=$((passed + 1)); }
fail() { echo "FAIL e2e_$1: $2"; failed=$((failed + 1)); }
skip() { echo "skip e2e_python: $1"; echo "e2e: $passed passed, $failed failed"; exit 0; }
[ "$1" = ./grokinfo ] || skip "the package is built from the default build (./grokinfo), not $1"
PY=/usr/bin/python3
$PY -c 'import numpy, venv, ensurepip' 2>/dev/null || $PY -m pip --version >/dev/null 2>&1 ||
    skip "$PY lacks numpy, venv or pip (Debian: python3-numpy python3-venv python3-pip)"
bin=$(realpath "$1")
tmp=$(mktemp -d /tmp/grokinfo-e2e-python.XXXXXX)
trap 'rm -rf "$tmp"' EXIT
# the README's install command
if make -s python-lib >"$tmp/lib.log" 2>&1 && $PY -m venv --system-site-packages "$tmp/V" >"$tmp/venv.log" 2>&1 &&
   "$tmp/V/bin/pip" install -q --no-index --no-build-isolation ./python >"$tmp/pip.log" 2>&1; then ok python_install
else fail python_install "$(tail -3 "$tmp/lib.log" "$tmp/venv.log" "$tmp/pip.log" 2>/dev/null | tr '\n' ' ')"; fi
# the installed copy, from elsewhere, without GROKINFO_LIB: the command line's numbers
cat >"$tmp/check.py" <<'PY'
import json, subprocess, sys
import numpy as np
import grokinfo
rng = np.random.default_rng(3)
x = rng.standard_normal((3000, 2)); y = x[:, :1] + 0.5 * rng.standard_normal((3000, 1))
np.save("x.npy", x); np.save("y.npy", y)
r = grokinfo.mi(x, y, estimator="wkl", bootstrap=50, seed=4)
cli = json.loads(subprocess.run([sys.argv[1], "mi", "--x", "x.npy", "--y", "y.npy", "--estimator", "wkl",
                                 "--bootstrap", "50", "--seed", "4", "--json"], capture_output=True, check=True, text=True).stdout)
assert "site-packages" in grokinfo.__file__, grokinfo.__file__
assert (r.mi, r.stderr, r.interval) == (cli["mi"], cli["stderr"], (cli["ci_low"], cli["ci_high"])), (r, cli)
print("same", r.mi)
PY
out=$(cd "$tmp" && env -u GROKINFO_LIB -u PYTHONPATH "$tmp/V/bin/python" check.py "$bin" 2>&1)
[[ $out == same* ]] && ok python_installed_equals_cli || fail python_installed_equals_cli "$out"
# the transformer example, short, through the installed package; its run directory drawn by plot
if "$tmp/V/bin/python" -c 'import torch' 2>/dev/null; then
    if (cd "$tmp" && env -u GROKINFO_LIB -u PYTHONPATH "$tmp/V/bin/python" "$OLDPWD/examples/torch_modular_transformer.py" \
            --out "$tmp/tm" --p 23 --steps 200 --evals 12 >"$tmp/tm.log" 2>&1) &&
       "$bin" plot "$tmp/tm" >"$tmp/plot.log" 2>&1 && [ -s "$tmp/tm/figures/infoplane.png" ] && [ -s "$tmp/tm/figures/oinfo.png" ]
    then ok python_example_transformer_plots
    else fail python_example_transformer_plots "$(tail -3 "$tmp/tm.log" "$tmp/plot.log" 2>/dev/null | tr '\n' ' ')"; fi
else echo "skip e2e_python_example_transformer_plots: no torch for $PY (Debian: python3-torch)"; fi
echo "e2e: $passed passed, $failed failed"
[ "$failed" -eq 0 ]
