#!/usr/bin/env bash
# same_results.sh BASE AFTER — whether two run directories (the same command at two commits) hold
# the same results: config.yaml, mi.csv, oinfo.csv, every checkpoint byte for byte, metrics.csv
# but its last column (seconds), summary.json but its timings and paths, and the figures' gnuplot
# scripts with the run directories' names masked. Prints one line per file; exit 1 if any differs.
# Structural changes are checked with it: run e.g. `./grokinfo train --out A` at both commits.
set -u
b=${1:?usage: tools/same_results.sh BASE_RUN AFTER_RUN} a=${2:?usage: tools/same_results.sh BASE_RUN AFTER_RUN}
bad=0
same() { if "$@" >/dev/null 2>&1; then echo "same:    $label"; else echo "DIFFERS: $label"; bad=1; fi; }
for f in config.yaml mi.csv oinfo.csv ckpt/latest.bin; do
    [ -e "$b/$f" ] || [ -e "$a/$f" ] || continue
    label=$f same cmp "$b/$f" "$a/$f"
done
n=0 d=0
for c in "$b"/ckpt/step_*.bin; do
    [ -e "$c" ] || continue
    n=$((n + 1)); cmp -s "$c" "$a/ckpt/${c##*/}" || d=$((d + 1))
done
label="ckpt/step_*.bin ($n in BASE, $(ls "$a"/ckpt/step_*.bin 2>/dev/null | wc -l) in AFTER, $d differ)"
same test "$d" -eq 0 -a "$n" -eq "$(ls "$a"/ckpt/step_*.bin 2>/dev/null | wc -l)"
label="metrics.csv but seconds" same diff <(sed 's/,[^,]*$//' "$b/metrics.csv") <(sed 's/,[^,]*$//' "$a/metrics.csv")
mask() { sed -e "s#$2#RUN#g" -e "s#${2##*/}#RUN#g" "$1" | grep -v '"seconds"\|"steps_per_s"\|"timing_seconds"'; }
label="summary.json but timings" same diff <(mask "$b/summary.json" "$b") <(mask "$a/summary.json" "$a")
for g in "$b"/figures/*.gp; do
    [ -e "$g" ] || continue
    label="figures/${g##*/}"
    if diff <(mask "$g" "$b") <(mask "$a/figures/${g##*/}" "$a") >/tmp/same_results.$$; then echo "same:    $label"
    else echo "DIFFERS: $label"; sed 's/^/         /' /tmp/same_results.$$; bad=1; fi
done
rm -f /tmp/same_results.$$
exit $bad
