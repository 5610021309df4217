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
passed=${up:-0} failed=${uf:-0}
# a runner that crashed before its summary line counts as a failure
[ "$unit_rc" -ne 0 ] && [ "${uf:-0}" -eq 0 ] && failed=$((failed + 1))
# the end-to-end scripts, each ending with "e2e: N passed, N failed"
for script in tests/e2e.sh tests/e2e_study.sh tests/e2e_capi.sh; do
    bash "$script" "$bin" | tee "$out"
    e2e_rc=${PIPESTATUS[0]}
    ep=$(sed -n 's/^e2e: \([0-9]*\) passed, \([0-9]*\) failed$/\1/p' "$out")
    ef=$(sed -n 's/^e2e: \([0-9]*\) passed, \([0-9]*\) failed$/\2/p' "$out")
    passed=$(( passed + ${ep:-0} ))
    failed=$(( failed + ${ef:-0} ))
    [ "$e2e_rc" -ne 0 ] && [ "${ef:-0}" -eq 0 ] && failed=$((failed + 1))
done
# the Python package's tests (tests/run_python.sh), on the default build only: the sanitizer build's
# library cannot be loaded into an interpreter that was not started under ASan
if [ "$bin" = ./grokinfo ]; then
    bash tests/run_python.sh | tee "$out"
    py_rc=${PIPESTATUS[0]}
    pp=$(grep -oE '[0-9]+ passed' "$out" | tail -1 | grep -oE '[0-9]+')
    pf=$(grep -oE '[0-9]+ (failed|error)' "$out" | awk '{s += $1} END {print s + 0}')
    passed=$(( passed + ${pp:-0} ))
    failed=$(( failed + ${pf:-0} ))
    [ "$py_rc" -ne 0 ] && [ "${pf:-0}" -eq 0 ] && failed=$((failed + 1))
fi
rm -f "$out"
echo "total: $passed passed, $failed failed"
[ "$failed" -eq 0 ]
