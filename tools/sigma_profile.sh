#!/usr/bin/env bash
# sigma_profile.sh RUN_DIR [GROKINFO] — the noise-model estimate against σ at three checkpoints of a
# run (its first, its grokking step from summary.json, its last): I(X;T) and I(T;Y) of every layer
# on both subsets, for σ absolute (mi.sigma) and relative to each layer's RMS (mi.noise_sigma_rel),
# each point `grokinfo infoplane RUN mi.noise_model=true ... --steps A,B,C`. Writes
# RUN/figures/sigma_profile.csv (kind,param, then mi_noise.csv's columns) and
# RUN/figures/sigma_profile_{relative,absolute}.png (gnuplot). About two minutes on the default run.
set -euo pipefail
run=${1:?usage: tools/sigma_profile.sh RUN_DIR [GROKINFO]}
bin=${2:-./grokinfo}
steps=$(ls "$run"/ckpt/step_*.bin | sed 's/.*step_0*\([0-9][0-9]*\)\.bin/\1/; s/^$/0/' | sort -n)
first=$(head -1 <<<"$steps") last=$(tail -1 <<<"$steps")
grok=$(sed -n 's/^  "grokking_step": \([0-9]*\),$/\1/p' "$run/summary.json")
[ -n "$grok" ] || grok=$last
mkdir -p "$run/figures"
out="$run/figures/sigma_profile.csv"
rm -f "$out"
measure() { # kind param overrides...
    local kind=$1 param=$2; shift 2
    local file
    file=$("$bin" infoplane "$run" mi.noise_model=true "$@" --steps "$first,$grok,$last" -q)
    [ -s "$out" ] || sed -n '1s/^/kind,param,/p' "$file" >"$out"
    sed -n "2,\$s/^/$kind,$param,/p" "$file" >>"$out"
    rm -f "$file"
}
for r in 0.01 0.03 0.1 0.2 0.3; do measure relative "$r" mi.noise_sigma_rel="$r"; done
for s in 0.001 0.01 0.03 0.1 0.3; do measure absolute "$s" mi.sigma="$s" mi.noise_sigma_rel=0; done
# each series (kind, step, subset, layer) contiguous and by σ, so that gnuplot draws it as one line
{ head -1 "$out"; tail -n +2 "$out" | sort -t, -k1,1 -k3,3n -k4,4 -k5,5n -k2,2g; } >"$out.tmp" && mv "$out.tmp" "$out"
echo "$out: $(($(wc -l <"$out") - 1)) rows (steps $first, $grok (grokking), $last)"
command -v gnuplot >/dev/null || { echo "gnuplot not found: no figures"; exit 0; }
for kind in relative absolute; do
    xlabel="σ relative to the layer's RMS"; [ "$kind" = absolute ] && xlabel="σ (absolute; the seed's is 1e-3)"
    gnuplot <<EOF
set terminal pngcairo size 1500,820 font "sans,11"
set output "$run/figures/sigma_profile_$kind.png"
set datafile separator ","
set logscale x
set key center left font ",9" samplen 2
set multiplot layout 2,3 title "noise-model estimate against σ ($kind), eval subset solid, train dashed" font ",13"
colour(l) = l == 1 ? 0x1f77b4 : l == 2 ? 0xd62728 : 0x2ca02c
do for [row = 1:2] {
  do for [st in "$first $grok $last"] {
    set title sprintf("step %s%s", st, st eq "$grok" ? " (grokking)" : st eq "$first" ? " (first)" : " (last)")
    set xlabel "$xlabel"
    set ylabel row == 1 ? "I(X;T) [nats]" : "I(T;Y) [nats]"
    if (row == 2 && st eq "$first") { set key } else { unset key }
    col = row == 1 ? 6 : 8
    plot for [l = 1:3] "$out" using (strcol(1) eq "$kind" && strcol(3) eq st && strcol(4) eq "eval" && \$5 == l ? \$2 : NaN):col \
           with linespoints lw 2 pt 7 lc rgb colour(l) title sprintf("layer %d, eval", l), \
         for [l = 1:3] "$out" using (strcol(1) eq "$kind" && strcol(3) eq st && strcol(4) eq "train" && \$5 == l ? \$2 : NaN):col \
           with linespoints lw 2 dt 2 pt 6 lc rgb colour(l) title sprintf("layer %d, train", l)
  }
}
unset multiplot
EOF
    echo "$run/figures/sigma_profile_$kind.png"
done
