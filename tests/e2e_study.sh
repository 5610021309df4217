#!/usr/bin/env bash
# End-to-end tests of `grokinfo study` on a tiny study (tests/data/study/tiny.yaml: 2 seeds of a
# 1500-step MNIST run with the seed's estimator, the cross-check, the noise model and
# O-information): its files and their headers, the same bytes when run again and after a kill,
# one-line errors for bad study files.
# usage: tests/e2e_study.sh GROKINFO_BINARY
set -u
bin=$(realpath "$1")
tmp=$(mktemp -d /tmp/grokinfo-e2e-study.XXXXXX)
trap 'rm -rf "$tmp"' EXIT
passed=0 failed=0
ok()   { echo "ok   e2e_$1"; passed=$((passed + 1)); }
fail() { echo "FAIL e2e_$1: $2"; failed=$((failed + 1)); }
# expect_error NAME "substring" command...: exits non-zero with a one-line message containing substring
expect_error() {
    local name=$1 want=$2; shift 2
    local out rc
    out=$("$@" 2>&1 >/dev/null); rc=$?
    if [ $rc -eq 0 ]; then fail "$name" "exited 0"; return; fi
    if ! grep -qF -- "$want" <<<"$out"; then fail "$name" "message '$out' lacks '$want'"; return; fi
    if [ "$(grep -c . <<<"$out")" -ne 1 ]; then fail "$name" "not one line: $out"; return; fi
    ok "$name"
}
study=tests/data/study/tiny.yaml
g=study/all
# every analysis file with its header line
headers="phases.csv:seed,estimator,subset,layer,phase,start,end
validity.csv:seed,estimator,subset,layer,points,valid_points,valid,outside_regime
consensus.csv:subset,layer,phase,segments,seeds,seed_fraction,estimators,estimator_fraction,estimator_names,start_log10_median,start_log10_iqr,start_log10_q25,start_log10_q75,end_log10_median,end_log10_iqr,end_log10_q25,end_log10_q75,start_step,start_step_q25,start_step_q75,end_step,end_step_q25,end_step_q75,consensus
bands.csv:quantity,estimator,subset,layer,step,seeds,median,q25,q75
peak_vs_grokking.csv:seed,file,layer,peak_step,grokking_step,peak_before_grokking
bands_oinfo.csv:quantity,file,layer,step,seeds,median,q25,q75"
# the files that must come out the same: the analysis, the figures' data, scripts and PNGs (the
# PDFs hold their creation date)
outputs() { (cd "$1/$g" && ls *.csv figures/*.dat figures/*.gp figures/*.png 2>/dev/null); }
same_outputs() {
    local a=$1 b=$2 f
    [ -n "$(outputs "$a")" ] || return 1
    [ "$(outputs "$a")" = "$(outputs "$b")" ] || return 1
    for f in $(outputs "$a"); do cmp -s "$a/$g/$f" "$b/$g/$f" || { echo "  $f differs"; return 1; }; done
}

# --- a tiny study: every file with its header, the figures, the consensus table and the timing
t0=$(date +%s.%N)
if "$bin" study $study --out "$tmp/a" -j 2 >"$tmp/a.out" 2>&1; then
    t1=$(date +%s.%N)
    echo "  (the tiny study took $(awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%.1f", b - a }') s)"
    bad=""
    while IFS=: read -r file head; do
        [ "$(head -1 "$tmp/a/$g/$file" 2>/dev/null)" = "$head" ] || bad="$bad $file"
    done <<<"$headers"
    [ -z "$bad" ] && ok study_files_and_headers || fail study_files_and_headers "missing or wrong header:$bad"
    # both seeds' three estimators on every curve; peaks one per run and hidden layer
    [ "$(awk -F, 'NR > 1' "$tmp/a/$g/validity.csv" | wc -l)" -eq 36 ] && [ "$(awk -F, 'NR > 1' "$tmp/a/$g/peak_vs_grokking.csv" | wc -l)" -eq 4 ] &&
        awk -F, 'NR > 1 && $1 == "ixl" { e[$2] = 1 } END { exit !(("wkl" in e) && ("ksg" in e) && ("noise" in e)) }' "$tmp/a/$g/bands.csv" &&
        ok study_rows || fail study_rows "validity, peaks or bands lack rows"
    if command -v gnuplot >/dev/null; then
        for fig in infoplane accuracy oinfo; do [ -s "$tmp/a/$g/figures/$fig.png" ] || bad="$bad $fig"; done
        [ -z "$bad" ] && ok study_figures || fail study_figures "missing:$bad"
    else echo "skip e2e_study_figures (no gnuplot)"; fi
    grep -q '^consensus phases' "$tmp/a.out" && grep -q '^time: runs (2, summed from their summary.json): training steps' "$tmp/a.out" &&
        grep -q 'this command: sweep .* analysis .* figures' "$tmp/a.out" && ok study_prints_table_and_timing ||
        fail study_prints_table_and_timing "$(tail -3 "$tmp/a.out")"
else
    fail study_files_and_headers "$(tail -2 "$tmp/a.out")"
fi

# --- the same command again: nothing to run, the analysis byte for byte the same
mkdir -p "$tmp/a0" && cp -r "$tmp/a/study" "$tmp/a0/"
out=$("$bin" study $study --out "$tmp/a" -j 2 --quiet 2>&1)
grep -q '^0 run, 2 already done, 0 failed$' <<<"$out" && same_outputs "$tmp/a0" "$tmp/a" && ok study_rerun_same_bytes ||
    fail study_rerun_same_bytes "$(head -2 <<<"$out")"

# --- killed once its runs have checkpoints, then the same command: it resumes (the killed
#     study's children finish their points) and ends with the uninterrupted study's files
"$bin" study $study --out "$tmp/k" -j 2 --quiet >/dev/null 2>&1 & pid=$!
for _ in $(seq 1 600); do
    ls "$tmp"/k/*/ckpt/latest.bin >/dev/null 2>&1 && break
    kill -0 $pid 2>/dev/null || break
    sleep 0.02
done
kill -9 $pid 2>/dev/null && killed=1 || killed=0
wait $pid 2>/dev/null
"$bin" study $study --out "$tmp/k" -j 2 --quiet >"$tmp/k.out" 2>&1
if [ $killed -eq 1 ] && same_outputs "$tmp/a" "$tmp/k"; then ok study_killed_and_rerun_same_bytes
else fail study_killed_and_rerun_same_bytes "killed=$killed; $(tail -1 "$tmp/k.out")"; fi

# --- bad study files: one line each
printf 'base:\n  train.optimization_steps: 10\nseeds: 0\n' >"$tmp/zero.yaml"
expect_error study_zero_seeds "zero.yaml:3: seeds: expected an integer from 1 to 1000, got '0'" "$bin" study "$tmp/zero.yaml" --out "$tmp/x"
printf 'seeds: 2\nsedes: 3\n' >"$tmp/key.yaml"
expect_error study_unknown_key "key.yaml:2: 'sedes': expected config: FILE, base: {key: value}, axes: {key: [values]}, seeds: VALUE" \
    "$bin" study "$tmp/key.yaml" --out "$tmp/x"
printf 'seeds: 2\naxes:\n  model.widht: [8]\n' >"$tmp/cfg.yaml"
expect_error study_unknown_config_key "unknown config key 'model.widht' (did you mean 'model.width'?)" "$bin" study "$tmp/cfg.yaml" --out "$tmp/x"
expect_error study_missing_file "nope.yaml: cannot open" "$bin" study "$tmp/nope.yaml"
expect_error study_bad_jobs "grokinfo study: -j: expected an integer >= 1, got '0'" "$bin" study $study -j 0
[ ! -e "$tmp/x" ] && ok study_bad_input_writes_nothing || fail study_bad_input_writes_nothing "$(ls "$tmp/x")"

echo "e2e: $passed passed, $failed failed"
[ "$failed" -eq 0 ]
