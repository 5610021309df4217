#!/usr/bin/env bash
# Runs the unit tests, then the end-to-end tests; ends with one "N passed, N failed" line.
# usage: tests/run_all.sh TEST_RUNNER GROKINFO_BINARY
set -u
runner=$1 bin=$2
out=$(mktemp)
"$runner" | tee "$out"
unit_rc=${PIPESTATUS[0]}
up=$(sed -n 's/^unit: \([0-9]*\) passed, \([0-9]*\) failed$/\1/p' "$out")
uf=$(sed -n 's/^unit: \([0-9]*\) passed, \([0-9]*\) failed$/\2/p' "$out")
bash tests/e2e.sh "$bin" | tee "$out"
e2e_rc=${PIPESTATUS[0]}
ep=$(sed -n 's/^e2e: \([0-9]*\) passed, \([0-9]*\) failed$/\1/p' "$out")
ef=$(sed -n 's/^e2e: \([0-9]*\) passed, \([0-9]*\) failed$/\2/p' "$out")
rm -f "$out"
passed=$(( ${up:-0} + ${ep:-0} ))
failed=$(( ${uf:-0} + ${ef:-0} ))
# a runner that crashed before its summary line counts as a failure
[ "$unit_rc" -ne 0 ] && [ "${uf:-0}" -eq 0 ] && failed=$((failed + 1))
[ "$e2e_rc" -ne 0 ] && [ "${ef:-0}" -eq 0 ] && failed=$((failed + 1))
echo "total: $passed passed, $failed failed"
[ "$failed" -eq 0 ]
