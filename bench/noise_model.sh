#!/usr/bin/env bash
# bench/noise_model.sh — the noise-model estimator (src/measure/noise_model.c) on the default run's
# evaluation subset: N = 9000 digits through a 784-200-200 ReLU network at its He initialisation,
# each width-200 layer with its labels, at σ = 1e-3 and at σ = 0.1 × the layer's RMS; one call
# (σ, the pair search, the draws, the bounds), best of REPS, at 2 threads and at 1.
# Target: <= 0.3 s per layer and subset at σ = 1e-3 on 2 cores. No peer.
set -uo pipefail
cd "$(dirname "$0")/.."
REPS=${BENCH_REPS:-5}
if [[ ! -f build/libgrokinfo.a ]]; then echo "noise bench: build/libgrokinfo.a missing (run make)"; exit 1; fi
if ! cc -std=c11 -O2 -march=native -fopenmp -Isrc bench/noise_model.c build/libgrokinfo.a -lopenblas -lz -lm \
        -o build/bench_noise_model 2>build/bench_noise_model.err; then
    echo "noise bench: cannot compile bench/noise_model.c: $(head -3 build/bench_noise_model.err)"; exit 1
fi
printf '%-22s %8s %12s %12s %10s %12s %10s %21s\n' case threads "best s" pairs sigma "I(X;T)" "I(T;Y)" "KT bounds of I(X;T)"
status=0
for t in 2 1; do
    if ! OMP_NUM_THREADS=$t build/bench_noise_model data/mnist "$REPS" >build/bench_noise_model.out; then
        echo "noise bench: build/bench_noise_model failed at $t thread(s)"; status=1; continue
    fi
    while read -r _ name _ s _ pairs _ sigma _ ixt _ _ _ ity _ _ _ lo hi; do
        printf '%-22s %8s %12s %12s %10s %12s %10s %10s %10s\n' "$name" "$t" "$s" "$pairs" "$sigma" "$ixt" "$ity" "$lo" "$hi"
        if [[ $t == 2 && $name == *sigma1e-3 ]] && awk -v s="$s" 'BEGIN { exit !(s > 0.3) }'; then
            echo "  $name: ${s}s at 2 threads is over the 0.3 s target"
        fi
    done <build/bench_noise_model.out
done
echo "  seconds: best of $REPS calls; target: <= 0.3 s per layer and subset at sigma = 1e-3, 2 threads"
exit $status
