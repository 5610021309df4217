#!/usr/bin/env bash
# bench/run.sh — `make bench`: sgemm ceiling, grokinfo training speed, PyTorch peer, ratios.
# Prints a table and writes build/bench.json. Exits non-zero only if ./grokinfo itself fails to run.
# Env knobs: BENCH_STEPS (5000), BENCH_REPS (grokinfo runs per config, 3), PEERS (../shared/peers).
set -euo pipefail
cd "$(dirname "$0")/.."
STEPS=${BENCH_STEPS:-5000}; REPS=${BENCH_REPS:-3}; PEERS=${PEERS:-../shared/peers}
FLOP_PER_STEP=0.176   # GFLOP per training step (784-200-200-10, batch 200, fwd+bwd)
mkdir -p build; TMP=$(mktemp -d); trap 'rm -rf "$TMP"' EXIT
declare -A V           # every figure; "" = not measured (null in JSON)
status=0
echo "== grokinfo bench  $(date -u +%FT%TZ)  $(nproc) cores  $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs)"
# Printed, never changed: grokinfo and the peer run with whatever the machine sets.
echo "OPENBLAS_CORETYPE=${OPENBLAS_CORETYPE-<unset>}  OPENBLAS_L2_SIZE=${OPENBLAS_L2_SIZE-<unset>}  OPENBLAS_NUM_THREADS=${OPENBLAS_NUM_THREADS-<unset>}  OMP_NUM_THREADS=${OMP_NUM_THREADS-<unset>}"
read -r LOAD1 _ </proc/loadavg; V[loadavg_1min_at_start]=$LOAD1
echo "load average (1 min) at start: $LOAD1$(awk "BEGIN { exit !($LOAD1 > 0.5) }" && echo '  WARNING: machine busy, figures will be low')"
kv() { awk -v k="$1" '$1 == k { $1 = ""; sub(/^ /, ""); print; exit }' "$2"; }
calc() { awk "BEGIN { printf \"%.${2:-1}f\", $1 }"; }   # calc EXPR [decimals]

# 1. sgemm ceiling (OPENBLAS_NUM_THREADS=1 and 2).
if cc -O2 -march=native bench/sgemm.c -lopenblas -o build/bench_sgemm 2>"$TMP/cc.err"; then
  for t in 1 2; do
    if OPENBLAS_NUM_THREADS=$t build/bench_sgemm >"$TMP/sg$t" 2>/dev/null; then
      V[sgemm_2048_t$t]=$(kv gflops_2048x2048x2048 "$TMP/sg$t"); V[sgemm_200x784x200_t$t]=$(kv gflops_200x784x200 "$TMP/sg$t")
      V[openblas_core]=$(kv core "$TMP/sg$t"); V[openblas_config]=$(kv config "$TMP/sg$t")
      echo "  sgemm T=$t: 2048^3 ${V[sgemm_2048_t$t]}, 200x784x200 ${V[sgemm_200x784x200_t$t]} GFLOP/s"
    else echo "sgemm: build/bench_sgemm failed at $t thread(s)"; fi
  done
else echo "sgemm: cannot compile bench/sgemm.c: $(head -3 "$TMP/cc.err")"; fi

# 2. grokinfo, whole process: wall time and peak RSS, best of $REPS per config.
grok() {  # grok NAME [extra key=value...]
  local name=$1 r e m u k; shift
  for ((r = 1; r <= REPS; r++)); do
    rm -rf "$TMP/run"
    if ! /usr/bin/time -f '%e %M %U %S' -o "$TMP/time" ./grokinfo train train.optimization_steps="$STEPS" \
        train.n_first_steps_to_log=0 train.freqLog="$STEPS" train.save_step_checkpoints=false "$@" \
        --out "$TMP/run" >"$TMP/grok.log" 2>&1; then
      echo "grokinfo FAILED ($name, ${*:-default threads}): last lines of its output:"; tail -n 15 "$TMP/grok.log" | sed 's/^/    /'
      status=1; return 0
    fi
    read -r e m u k <"$TMP/time"; echo "  grokinfo $name run $r: ${e}s wall, cores busy $(calc "($u + $k) / $e" 2)"
    if [[ -z ${V[grok_${name}_s]:-} ]] || awk "BEGIN { exit !($e < ${V[grok_${name}_s]}) }"; then
      V[grok_${name}_s]=$e; V[grok_${name}_rss_mb]=$(calc "$m / 1024" 0); V[grok_${name}_cores]=$(calc "($u + $k) / $e" 2)
    fi
  done
  V[grok_${name}_sps]=$(calc "$STEPS / ${V[grok_${name}_s]}")
}
if [[ -x ./grokinfo ]]; then grok t2; grok t1 train.threads=1
else echo "grokinfo: ./grokinfo not built yet (run 'make'): training speed skipped"; fi

# 3. PyTorch peer. `python3` on PATH may be a pyenv build without torch; Debian's is /usr/bin/python3.
PY=""
for p in python3 /usr/bin/python3; do "$p" -c 'import torch' 2>/dev/null && { PY=$p; break; }; done
if [[ -z $PY && $(id -u) == 0 ]] && command -v apt-get >/dev/null; then
  echo "peer: installing python3-torch (apt-get)..."
  apt-get install -y -qq python3-torch python3-numpy python3-scipy >"$TMP/apt.log" 2>&1 ||
    { apt-get update -qq >/dev/null 2>&1 && apt-get install -y -qq python3-torch python3-numpy python3-scipy >"$TMP/apt.log" 2>&1; } || true
  /usr/bin/python3 -c 'import torch' 2>/dev/null && PY=/usr/bin/python3
fi
if [[ -z $PY ]]; then echo "peer skipped: python3-torch not available"
elif [[ ! -f $PEERS/torch_train_speed.py ]]; then echo "peer skipped: $PEERS/torch_train_speed.py not found"
else
  # OPENBLAS_CORETYPE/L2_SIZE passed through as is. T=2: torch's OpenMP pool + OpenBLAS's own pthread
  # pool oversubscribe 2 cores (measured 3-7x slower), hence OPENBLAS_NUM_THREADS=1 there.
  for t in 1 2; do
    envs=(); [[ $t == 2 ]] && envs=(OPENBLAS_NUM_THREADS=1)
    if env "${envs[@]}" "$PY" "$PEERS/torch_train_speed.py" "$STEPS" "$t" >"$TMP/peer$t" 2>&1; then
      V[peer_t${t}_sps]=$(grep -o 'steps_per_s=[0-9.]*' "$TMP/peer$t" | cut -d= -f2)
      V[torch_version]=$(awk '/^torch / { print $2; exit }' "$TMP/peer$t")
      echo "  peer T=$t: ${V[peer_t${t}_sps]} steps/s"
    else echo "peer T=$t failed: $(tail -n 2 "$TMP/peer$t" | tr '\n' ' ')"; fi
  done
  V[peer_best_sps]=$(printf '%s\n' "${V[peer_t1_sps]:-}" "${V[peer_t2_sps]:-}" | sort -gr | head -1)
fi

# 4. Ratios and the table.
for n in t2 t1; do
  sps=${V[grok_${n}_sps]:-}; [[ -n $sps ]] || continue
  V[grok_${n}_gflops]=$(calc "$sps * $FLOP_PER_STEP")
  [[ -n ${V[peer_best_sps]:-} ]] && V[grok_${n}_vs_peer]=$(calc "$sps / ${V[peer_best_sps]}" 2)
  for s in 2048 200x784x200; do for t in 1 2; do
    g=${V[sgemm_${s}_t$t]:-}; [[ -n $g ]] && V[grok_${n}_frac_sgemm_${s}_t$t]=$(calc "${V[grok_${n}_gflops]} / $g" 3)
  done; done
done
v() { printf '%s' "${V[$1]:-n/a}"; }
row() { printf '  %-40s %12s %12s\n' "$@"; }
echo "OpenBLAS core: $(v openblas_core)   ($(v openblas_config))"
row "" "1 thread" "2 threads"
row "sgemm 2048^3 GFLOP/s" "$(v sgemm_2048_t1)" "$(v sgemm_2048_t2)"
row "sgemm 200x784x200 (A.B^T) GFLOP/s" "$(v sgemm_200x784x200_t1)" "$(v sgemm_200x784x200_t2)"
row "grokinfo steps/s (best of $REPS, ${STEPS} steps)" "$(v grok_t1_sps)" "$(v grok_t2_sps)"
row "grokinfo cores busy (CPU time / wall)" "$(v grok_t1_cores)" "$(v grok_t2_cores)"
row "grokinfo peak RSS MB" "$(v grok_t1_rss_mb)" "$(v grok_t2_rss_mb)"
row "grokinfo GFLOP/s (x$FLOP_PER_STEP/step)" "$(v grok_t1_gflops)" "$(v grok_t2_gflops)"
row "  / sgemm 2048^3, same threads" "$(v grok_t1_frac_sgemm_2048_t1)" "$(v grok_t2_frac_sgemm_2048_t2)"
row "  / sgemm 200x784x200, same threads" "$(v grok_t1_frac_sgemm_200x784x200_t1)" "$(v grok_t2_frac_sgemm_200x784x200_t2)"
row "torch $(v torch_version) peer steps/s" "$(v peer_t1_sps)" "$(v peer_t2_sps)"
row "grokinfo / peer best ($(v peer_best_sps))" "$(v grok_t1_vs_peer)" "$(v grok_t2_vs_peer)"
echo "  target: grokinfo (2 threads) >= 2.5x the peer's best steps/s, stretch 3x"

# build/bench.json, atomically.
{ echo "{"; first=1
  for k in $(printf '%s\n' "${!V[@]}" | sort); do
    val=${V[$k]}
    if [[ -z $val ]]; then val=null
    elif ! [[ $val =~ ^-?[0-9]+(\.[0-9]+)?$ ]]; then val="\"${val//\"/\\\"}\""; fi
    ((first)) || echo ","; first=0; printf '  "%s": %s' "$k" "$val"
  done
  printf ',\n  "steps": %s,\n  "reps": %s,\n  "grokinfo_ok": %s,\n  "openblas_coretype": "%s"\n}\n' \
    "$STEPS" "$REPS" "$([[ $status == 0 ]] && echo true || echo false)" "${OPENBLAS_CORETYPE:-}"
} >build/bench.json.tmp && mv build/bench.json.tmp build/bench.json
echo "wrote build/bench.json (bench took ${SECONDS}s)"
echo; echo "== Sweeps: two points at a time against one after another"; bash bench/sweep.sh || status=1
echo; echo "== O-information: one checkpoint against the NumPy/SciPy peer"; bash bench/oinfo.sh || status=1
echo; echo "== Noise-model estimator: one layer and subset (N = 9000, width 200)"; bash bench/noise_model.sh || status=1
echo; echo "== MI estimators: KSG against the SciPy peer"; bash bench/mi.sh
echo; echo "== From Python: grokinfo.mi and grokinfo.oinfo against scikit-learn and the SciPy peers"; bash bench/python.sh || status=1
exit $status
