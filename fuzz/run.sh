#!/usr/bin/env bash
# fuzz/run.sh SECONDS JOBS NAME...: runs build-fuzz/fuzz_NAME for SECONDS each, JOBS at a time, from
# fuzz/corpus/NAME plus what earlier runs found (build-fuzz/corpus_NAME); prints one line per
# fuzzer and its log's path; a crash, leak or timeout leaves build-fuzz/NAME-crash-* (or
# NAME-leak-*, NAME-timeout-*) and fails the run.
set -u
[ $# -ge 3 ] || { echo "usage: fuzz/run.sh SECONDS JOBS NAME..." >&2; exit 2; }
secs=$1 jobs=$2; shift 2
cd "$(dirname "$0")/.."
one() {
    local f=$1 log=build-fuzz/fuzz_$1.log
    mkdir -p "build-fuzz/corpus_$f"
    build-fuzz/fuzz_$f -max_total_time="$secs" -max_len=65536 -timeout=10 -rss_limit_mb=2048 \
        -artifact_prefix="build-fuzz/$f-" -print_final_stats=1 "build-fuzz/corpus_$f" "fuzz/corpus/$f" >"$log" 2>&1
    local rc=$?
    local execs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log")
    local rss=$(sed -n 's/^stat::peak_rss_mb: *//p' "$log")
    if [ $rc -eq 0 ]; then echo "fuzz_$f: ${secs} s, ${execs:-?} inputs, peak ${rss:-?} MB, clean"
    else echo "fuzz_$f: FAILED (exit $rc): $(grep -m1 -E 'ERROR|SUMMARY|Test unit written' "$log") (log $log)"; fi
    return $rc
}
export -f one; export secs
printf '%s\n' "$@" | xargs -P "$jobs" -I{} bash -c 'one {}'
