#!/usr/bin/env bash
# tests/valgrind.sh BINARY: short runs under valgrind's memcheck (invalid accesses, uninitialised
# values, definite and indirect leaks): a training with the information plane, the modular task
# with O-information, the k-NN estimator on files, and a refused configuration. One thread
# each (valgrind serialises threads anyway). Ends with "valgrind: N clean, N with errors".
set -u
bin=$(realpath "$1")
tmp=$(mktemp -d /tmp/grokinfo-vg.XXXXXX)
trap 'rm -rf "$tmp"' EXIT
export OMP_NUM_THREADS=1 OPENBLAS_NUM_THREADS=1
clean=0 dirty=0
vg() {
    local name=$1 want_rc=$2; shift 2
    valgrind -q --error-exitcode=99 --leak-check=full --show-leak-kinds=definite,indirect \
        --errors-for-leak-kinds=definite,indirect --log-file="$tmp/$name.vg" "$bin" "$@" >"$tmp/$name.out" 2>&1
    local rc=$?
    if [ $rc -eq 99 ] || [ -s "$tmp/$name.vg" ] || [ $rc -ne "$want_rc" ]; then
        echo "FAIL valgrind_$name (exit $rc, expected $want_rc)"; head -40 "$tmp/$name.vg"; tail -3 "$tmp/$name.out"
        dirty=$((dirty + 1))
    else echo "ok   valgrind_$name"; clean=$((clean + 1)); fi
}
small="train.threads=1 train.train_points=200 train.batch_size=100 model.width=64 train.freqLog=50 train.n_first_steps_to_log=2 plot.enabled=false --quiet"
vg train_mnist 0 train $small train.optimization_steps=60 mi.enabled=false --out "$tmp/mnist"
vg resume 0 train --resume "$tmp/mnist" train.optimization_steps=100 --quiet
# the information plane (X by PCA, 200 evaluation rows) and O-information on the small modular task
vg modular_mi_oinfo 0 train --config configs/modular.yaml data.p=23 train.optimization_steps=40 train.freqLog=20 \
    train.threads=1 mi.enabled=true mi.x_compression=pca mi.k=5 mi.eval_points=200 plot.enabled=false --quiet --out "$tmp/mod"
vg mi_ksg 0 mi --x tests/data/mi/g2x2_x.npy --y tests/data/mi/g2x2_y.npy --estimator ksg --k 5
vg bad_key 2 train model.widht=3 --out "$tmp/bad"
echo "valgrind: $clean clean, $dirty with errors"
[ $dirty -eq 0 ]
