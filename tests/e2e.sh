#!/usr/bin/env bash
# End-to-end tests of the CLI (the only tests that read the embedded digits).
# usage: tests/e2e.sh GROKINFO_BINARY
set -u
bin=$(realpath "$1")
tmp=$(mktemp -d /tmp/grokinfo-e2e.XXXXXX)
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
# metrics without the seconds column (the last one)
strip_seconds() { sed 's/,[^,]*$//' "$1"; }
small="train.threads=1 train.train_points=200 train.batch_size=100 model.width=64 train.freqLog=50 train.n_first_steps_to_log=3 mi.enabled=false plot.enabled=false --quiet"
# the information plane on, X by PCA (the autoencoder has its own test below)
withmi="mi.enabled=true mi.x_compression=pca mi.k=5 mi.eval_points=1000"  # k = 5: about 20 points per class here

# --- a short run on the embedded digits memorises
if "$bin" train $small model.initialization_scale=1 train.lr=3e-3 train.optimization_steps=400 train.freqLog=100 --out "$tmp/mem" >"$tmp/mem.out" 2>&1; then
    acc=$(sed -n 's/.*"final_train_acc": \([0-9.]*\).*/\1/p' "$tmp/mem/summary.json")
    if [ "$acc" = "1" ]; then ok memorises; else fail memorises "final_train_acc $acc"; fi
    head -1 "$tmp/mem/metrics.csv" | grep -q '^step,train_loss,train_acc,eval_loss,eval_acc,weight_norm,' &&
        ok metrics_columns || fail metrics_columns "$(head -1 "$tmp/mem/metrics.csv")"
    for f in config.yaml metrics.csv summary.json ckpt/latest.bin ckpt/step_0000000.bin ckpt/step_0000400.bin; do
        [ -s "$tmp/mem/$f" ] || fail run_dir_files "missing $f"
    done
    ok run_dir_files
    grep -q "memorised" "$tmp/mem.out" && ok one_line_summary || fail one_line_summary "$(cat "$tmp/mem.out")"
else
    fail memorises "$(tail -2 "$tmp/mem.out")"
fi

# --- the default init: weight norms as PyTorch's (93.7 global; 65.3 / 65.6 / 14.9 per layer)
if "$bin" train train.threads=1 train.optimization_steps=0 --out "$tmp/init" --quiet >/dev/null 2>&1; then
    awk -F, 'NR==1 { for (i = 1; i <= NF; i++) col[$i] = i }
             NR==2 { split("weight_norm=93.7 weight_norm_l1=65.3 weight_norm_l2=65.6 weight_norm_l3=14.9", w, " ")
                     for (k in w) { split(w[k], kv, "="); v = $(col[kv[1]])
                                    if (v - kv[2] > 0.01 * kv[2] || kv[2] - v > 0.01 * kv[2]) { print "  " kv[1] " = " v; bad = 1 } }
                     exit bad }' "$tmp/init/metrics.csv" && ok init_weight_norms || fail init_weight_norms "see above"
else fail init_weight_norms "run failed"; fi

# --- resume after a stop ends bit-identical to an uninterrupted run
"$bin" train $small $withmi plot.enabled=true train.optimization_steps=300 --out "$tmp/full" >/dev/null 2>&1
"$bin" train $small $withmi train.optimization_steps=120 --out "$tmp/part" >/dev/null 2>&1
"$bin" train --resume "$tmp/part" train.optimization_steps=300 --quiet >/dev/null 2>&1
if cmp -s "$tmp/full/ckpt/latest.bin" "$tmp/part/ckpt/latest.bin" && cmp -s "$tmp/full/mi.csv" "$tmp/part/mi.csv" &&
   cmp -s "$tmp/full/mi_check.csv" "$tmp/part/mi_check.csv" && [ -s "$tmp/full/mi_check.csv" ] &&
   diff <(strip_seconds "$tmp/full/metrics.csv") <(strip_seconds "$tmp/part/metrics.csv") >/dev/null; then
    ok resume_bit_identical
else fail resume_bit_identical "checkpoint or metrics differ"; fi
grep -q "optimization_steps: 300" "$tmp/part/config.yaml" && ok resume_records_extension ||
    fail resume_records_extension "config.yaml does not record the extended optimization_steps"

# --- SIGKILL five times, each at a delay drawn from a fixed seed after the running process has
# written a checkpoint of its own, and resumed each time: still bit-identical
# kill_resume DIR SEED TRAIN_ARGS...: that, for `train TRAIN_ARGS --out DIR`; sets kills and resumes
kill_resume() {
    local dir=$1 i ino delay pid ck="$1/ckpt/latest.bin"
    RANDOM=$2   # (drawn in this shell: call it directly, a $(...) subshell would reseed it)
    shift 2
    rm -rf "$dir"
    "$bin" train "$@" --out "$dir" >/dev/null 2>&1 &
    pid=$!
    kills=0 resumes=0
    for i in 1 2 3 4 5; do
        # every checkpoint is a new file renamed into place: a new inode
        ino=$(stat -c %i "$ck" 2>/dev/null)
        while kill -0 $pid 2>/dev/null && [ "$(stat -c %i "$ck" 2>/dev/null)" = "$ino" ]; do sleep 0.005; done
        printf -v delay '0.%03d' $((RANDOM % 100))
        sleep "$delay"; kill -9 $pid 2>/dev/null && kills=$((kills + 1)); wait $pid 2>/dev/null
        "$bin" train --resume "$dir" --quiet >/dev/null 2>&1 & pid=$!; resumes=$((resumes + 1))
    done
    wait $pid
}
kill_resume "$tmp/killed" 20261124 $small $withmi train.optimization_steps=300
ls "$tmp/killed" "$tmp/killed/ckpt" | grep -q '\.tmp\.' && fail no_partial_files "temporary file left: $(ls "$tmp/killed")"
if cmp -s "$tmp/full/ckpt/latest.bin" "$tmp/killed/ckpt/latest.bin" && cmp -s "$tmp/full/mi.csv" "$tmp/killed/mi.csv" &&
   cmp -s "$tmp/full/mi_check.csv" "$tmp/killed/mi_check.csv" &&
   diff <(strip_seconds "$tmp/full/metrics.csv") <(strip_seconds "$tmp/killed/metrics.csv") >/dev/null; then
    [ $kills -ge 3 ] && ok kill_resume_bit_identical ||
        fail kill_resume_bit_identical "only $kills of 5 SIGKILLs landed before the run ended (want 3 or more)"
else fail kill_resume_bit_identical "checkpoint or metrics differ after $kills SIGKILLs and $resumes resumes"; fi

# --- the information plane: every evaluation x 2 subsets x 3 layers, finite, and measured again
# from the checkpoints with the same numbers exactly; another estimator goes to its own file
rows=$(($(grep -c . "$tmp/full/metrics.csv") - 1))
if [ "$(($(grep -c . "$tmp/full/mi.csv") - 1))" -eq $((rows * 6)) ] &&
   awk -F, 'NR > 1 && ($4 == "" || $6 == "" || $4 != $4 + 0) { bad = 1 } END { exit bad }' "$tmp/full/mi.csv"; then
    ok mi_csv_complete
else fail mi_csv_complete "expected $((rows * 6)) complete rows in mi.csv"; fi
# the end of training: phases and timing in summary.json, the three figures drawn
if grep -q '"phases": {' "$tmp/full/summary.json" && grep -q '"timing_seconds": {' "$tmp/full/summary.json" &&
   [ -s "$tmp/full/figures/infoplane.png" ] && [ -s "$tmp/full/figures/accuracy.pdf" ] && [ -s "$tmp/full/figures/training.png" ]; then
    ok train_ends_with_phases_and_figures
else fail train_ends_with_phases_and_figures "summary.json or figures/ incomplete: $(ls "$tmp/full/figures" 2>&1 | tr '\n' ' ')"; fi
out=$("$bin" infoplane "$tmp/full" -q 2>&1)
[ "$out" = "$tmp/full/mi-wkl.csv" ] && cmp -s "$tmp/full/mi.csv" "$tmp/full/mi-wkl.csv" && ok infoplane_reproduces_training ||
    fail infoplane_reproduces_training "$out"
out=$("$bin" infoplane "$tmp/full" -q 2>&1)
[ "$out" = "$tmp/full/mi-wkl-2.csv" ] && ok infoplane_never_overwrites || fail infoplane_never_overwrites "$out"
# a run directory named as a sweep's or study's point (".../seed=0") is a path, not an override
ln -s "$tmp/full" "$tmp/seed=0"
out=$("$bin" infoplane "$tmp/seed=0" mi.k=7 --steps 0 -q 2>&1)
[ "$out" = "$tmp/seed=0/mi-wkl-3.csv" ] && ok infoplane_run_dir_with_equals || fail infoplane_run_dir_with_equals "$out"
# --- the noise-model estimate (mi.noise_model): mi_noise.csv in [0, ln N] and [0, H(Y)] (its own
# ceilings), between its Kolchinsky-Tracey bounds, resumed to the same bytes, and measured again
# from the checkpoints by `infoplane mi.noise_model=true` (relative σ, so that the mixture overlaps)
nz="$small $withmi mi.noise_model=true mi.noise_sigma_rel=0.3 mi.check=false"
"$bin" train $nz train.optimization_steps=300 --out "$tmp/nz" >/dev/null 2>&1
"$bin" train $nz train.optimization_steps=120 --out "$tmp/nzpart" >/dev/null 2>&1
"$bin" train --resume "$tmp/nzpart" train.optimization_steps=300 --quiet >/dev/null 2>&1
if head -1 "$tmp/nz/mi_noise.csv" 2>/dev/null | grep -q ',h_y,flags,sigma,ixl_lo,ixl_hi,ily_lo,ily_hi$' &&
   awk -F, 'NR > 1 { n = ($2 == "train") ? 200 : 1000; tol = 4 * $5 + 1e-7  # (%.9g in the file)
                     if ($4 < -tol || $4 > log(n) + tol || $6 < -4 * $7 - 1e-7 || $6 > $11 + 4 * $7 + 1e-7) bad++
                     if ($4 < $14 - tol || $4 > $15 + tol) bad++; rows++ } END { exit bad > 0 || rows != 54 }' "$tmp/nz/mi_noise.csv"
then ok noise_model_in_range_and_bounds; else fail noise_model_in_range_and_bounds "$(head -3 "$tmp/nz/mi_noise.csv")"; fi
cmp -s "$tmp/nz/mi_noise.csv" "$tmp/nzpart/mi_noise.csv" && ok noise_model_resume_identical || fail noise_model_resume_identical "differs"
out=$("$bin" infoplane "$tmp/nz" mi.noise_model=true -q 2>&1)
[ "$out" = "$tmp/nz/mi-noise.csv" ] && cmp -s "$tmp/nz/mi_noise.csv" "$out" && ok noise_model_from_checkpoints ||
    fail noise_model_from_checkpoints "$out"
out=$("$bin" infoplane "$tmp/nz" mi.noise_model=true --steps 0,300 -q 2>&1)
[ "$(cut -d, -f1 "$out" 2>/dev/null | sort -u | tr '\n' ' ')" = "0 300 step " ] && ok infoplane_steps_picks_checkpoints ||
    fail infoplane_steps_picks_checkpoints "$out: $(cut -d, -f1 "$out" 2>/dev/null | sort -u | tr '\n' ' ')"
expect_error infoplane_steps_missing "--steps: no checkpoint of step 7" "$bin" infoplane "$tmp/nz" --steps 0,7 -q
expect_error infoplane_steps_bad_number "--steps: expected an integer" "$bin" infoplane "$tmp/nz" --steps 0,x -q
expect_error noise_model_needs_a_scale "mi.noise_model: needs a noise scale" "$bin" train $small $withmi mi.noise_model=true mi.sigma=0 --out "$tmp/nz4"
expect_error noise_not_on_compressed_layers "works on whole layers" "$bin" train $small $withmi mi.estimator=noise --out "$tmp/nz3"
[ ! -e "$tmp/nz3" ] && ok noise_refused_before_the_run_dir || fail noise_refused_before_the_run_dir "made $tmp/nz3"
# --- flags: summary.json's counts per subset, layer and kind equal an independent count of mi.csv's
# flags column (awk), and flagged rows are drawn hollow
awk -F, 'NR == 1 { for (i = 1; i <= NF; i++) c[$i] = i; next }
         { n = split($(c["flags"]), f, "+"); for (k = 1; k <= n; k++) cnt[$(c["subset"]) "," $(c["layer"]) "," f[k]]++
           if ($(c["layer"]) > L) L = $(c["layer"]) }
         END { K = split("ily_negative ily_above_ceiling ixl_negative ixl_above_ln_n ixl_at_ceiling dpi_ixl dpi_ily half_drift", kind, " ")
               split("train eval", sub_, " ")
               for (s = 1; s <= 2; s++) for (l = 1; l <= L; l++) {
                   line = "\"" l "\": {"
                   for (k = 1; k <= K; k++) line = line (k > 1 ? ", " : "") "\"" kind[k] "\": " cnt[sub_[s] "," l "," kind[k]] + 0
                   print line "}" } }' "$tmp/full/mi.csv" >"$tmp/flags.want"
sed -n '/^  "flags": {/,/^  },/p' "$tmp/full/summary.json" | sed -n 's/^ *\("[0-9]*": {.*}\),*$/\1/p' >"$tmp/flags.got"
if [ -s "$tmp/flags.want" ] && diff "$tmp/flags.want" "$tmp/flags.got" >/dev/null &&
   head -1 "$tmp/full/mi.csv" | grep -q ',estimator,dx,dl,h_y,flags,redraws,ixl_mean,ixl_sd,ily_mean,ily_sd,ixl_half,ily_half$'; then
    ok flags_counted_as_mi_csv_says
else fail flags_counted_as_mi_csv_says "$(diff "$tmp/flags.want" "$tmp/flags.got" | head -5)"; fi
# the cross-check stays in its range: no flag but the data-processing ones on either subset
if [ -s "$tmp/full/mi_check.csv" ] && awk -F, 'NR == 1 { for (i = 1; i <= NF; i++) c[$i] = i; next }
        { n = split($(c["flags"]), f, "+"); for (k = 1; k <= n; k++) if (f[k] !~ /^dpi_/) bad++ } END { exit bad > 0 }' \
        "$tmp/full/mi_check.csv"; then ok cross_check_in_range
else fail cross_check_in_range "$(grep -v ',$' "$tmp/full/mi_check.csv" | head -3)"; fi
grep -q 'using 3:($5 > 0 ? $4 : NaN):2 with points pt 6' "$tmp/full/figures/infoplane.gp" && ok flags_drawn_hollow ||
    fail flags_drawn_hollow "no hollow points in infoplane.gp"
# grokinfo mi: a label MI above the labels' entropy is flagged (text and JSON), the Ross estimator's is not
out=$("$bin" mi --x tests/data/flags/aniso_l.npy --y tests/data/flags/aniso_y.npy --estimator wkl --k 20 --discrete-y --json)
json_ok=$(grep -c '"h_y": 2.302585092994045[0-9]*, "ceiling": 2.302585092994045[0-9]*, "flags": \["ily_above_ceiling"\]' <<<"$out")
text=$("$bin" mi --x tests/data/flags/aniso_l.npy --y tests/data/flags/aniso_y.npy --estimator wkl --k 20 --discrete-y)
ross=$("$bin" mi --x tests/data/flags/aniso_l.npy --y tests/data/flags/aniso_y.npy --estimator ksg --discrete-y --json)
if [ "$json_ok" = 1 ] && grep -q '\[flagged: ily_above_ceiling: ' <<<"$text" && grep -q '"flags": \[\]' <<<"$ross"; then
    ok mi_flags_label_above_entropy
else fail mi_flags_label_above_entropy "$out | $text | $ross"; fi
# the cross-check's file is what `infoplane` writes with its settings
out=$("$bin" infoplane "$tmp/full" mi.estimator=ksg mi.k=5 mi.standardize=true -q 2>&1)
[ "$out" = "$tmp/full/mi-ksg.csv" ] && cmp -s "$tmp/full/mi_check.csv" "$out" && ok infoplane_reproduces_the_cross_check ||
    fail infoplane_reproduces_the_cross_check "$out"
rm -f "$tmp/full/mi-ksg.csv"
out=$("$bin" infoplane "$tmp/full" mi.estimator=ksg mi.k=5 -q 2>&1)
[ "$out" = "$tmp/full/mi-ksg.csv" ] && grep -q ',ksg,4,4,[0-9.]*,[a-z_+]*,0,,,,,,$' "$tmp/full/mi-ksg.csv" && ok infoplane_other_estimator ||
    fail infoplane_other_estimator "$out"
expect_error infoplane_model_key "only mi.*" "$bin" infoplane "$tmp/full" model.width=3
expect_error infoplane_no_run "config.yaml" "$bin" infoplane "$tmp/nothing-here"

# --- mi.noise_redraws: the plane again on 2 fresh draws of the evaluation noise and once on a
# fixed half of the rows. Two runs give the same bytes; the seed's columns, the flags but
# half_drift, the checkpoints and the metrics are those of a run without redraws (whose rows end
# in redraws 0 and six empty fields, with no file per draw); every row has sd > 0 and its half's
# estimates; the files per draw hold R + 1 draws a row; a killed run resumes to the same bytes;
# `infoplane` gives both files again, and with mi.noise_redraws=2 measures a run made without them
rd="$small $withmi mi.k=3 train.optimization_steps=300 mi.noise_redraws_from=0"  # (k = 3: the half of 200 training rows has ~10 a class)
"$bin" train $rd mi.noise_redraws=2 plot.enabled=true --out "$tmp/rd" >"$tmp/rd.out" 2>&1
"$bin" train $rd mi.noise_redraws=2 --out "$tmp/rd2" >/dev/null 2>&1
"$bin" train $rd --out "$tmp/rd0" >/dev/null 2>&1
same=1
for f in mi.csv mi_redraws.csv mi_check.csv mi_check_redraws.csv; do cmp -s "$tmp/rd/$f" "$tmp/rd2/$f" && [ -s "$tmp/rd/$f" ] || same=0; done
[ $same = 1 ] && ok noise_redraws_reproducible || fail noise_redraws_reproducible "two runs differ or a file is missing"
same=1
for f in mi.csv mi_check.csv; do
    diff <(cut -d, -f1-11 "$tmp/rd/$f") <(cut -d, -f1-11 "$tmp/rd0/$f") >/dev/null &&
        diff <(cut -d, -f12 "$tmp/rd/$f" | sed 's/+*half_drift//; s/^+//') <(cut -d, -f12 "$tmp/rd0/$f") >/dev/null &&
        awk -F, 'NR > 1 && $0 !~ /,0,,,,,,$/ { bad = 1 } END { exit bad }' "$tmp/rd0/$f" || same=0
done
if [ $same = 1 ] && [ ! -e "$tmp/rd0/mi_redraws.csv" ] && cmp -s "$tmp/rd/ckpt/latest.bin" "$tmp/rd0/ckpt/latest.bin" &&
   diff <(strip_seconds "$tmp/rd/metrics.csv") <(strip_seconds "$tmp/rd0/metrics.csv") >/dev/null; then
    ok noise_redraws_leave_the_seed_columns
else fail noise_redraws_leave_the_seed_columns "seed columns, checkpoint or metrics differ from a run without redraws"; fi
if awk -F, 'FNR == 1 { for (i = 1; i <= NF; i++) c[$i] = i; next }
            { rows++; if ($(c["redraws"]) != 2 || !($(c["ixl_sd"]) > 0) || !($(c["ily_sd"]) > 0) || $(c["ixl_half"]) == "" ||
                          $(c["ily_half"]) == "") bad++ }
            END { exit bad > 0 || rows == 0 }' "$tmp/rd/mi.csv" "$tmp/rd/mi_check.csv" &&
   [ "$(head -1 "$tmp/rd/mi_redraws.csv")" = "step,subset,layer,draw,ixl,ily" ] &&
   [ $(($(grep -c . "$tmp/rd/mi_redraws.csv") - 1)) -eq $((3 * ($(grep -c . "$tmp/rd/mi.csv") - 1))) ] &&
   ! grep -q 'not estimated' "$tmp/rd.out"; then
    ok noise_redraws_spread_and_half
else fail noise_redraws_spread_and_half "$(head -3 "$tmp/rd/mi.csv"; grep 'not estimated' "$tmp/rd.out" | head -2)"; fi
grep -q '"noise_redraws": [0-9.]*,' "$tmp/rd/summary.json" && grep -q ', noise redraws [0-9.]* s,' "$tmp/rd.out" &&
    [ -s "$tmp/rd/figures/mi_steps.png" ] && grep -q 'with xyerrorbars' "$tmp/rd/figures/infoplane.gp" &&
    [ ! -e "$tmp/full/figures/mi_steps.gp" ] && ! grep -q xyerrorbars "$tmp/full/figures/infoplane.gp" &&
    ok noise_redraws_timed_and_drawn || fail noise_redraws_timed_and_drawn "timing, mi_steps or the crosses missing"
kill_resume "$tmp/rdkilled" 20261207 $rd mi.noise_redraws=2
same=1
for f in mi.csv mi_redraws.csv mi_check.csv mi_check_redraws.csv ckpt/latest.bin; do cmp -s "$tmp/rd/$f" "$tmp/rdkilled/$f" || same=0; done
if [ $same = 1 ]; then
    [ $kills -ge 3 ] && ok noise_redraws_kill_resume_bit_identical ||
        fail noise_redraws_kill_resume_bit_identical "only $kills of 5 SIGKILLs landed before the run ended (want 3 or more)"
else fail noise_redraws_kill_resume_bit_identical "files differ after $kills SIGKILLs and $resumes resumes"; fi
out=$("$bin" infoplane "$tmp/rd" -q 2>&1)
[ "$out" = "$tmp/rd/mi-wkl.csv" ] && cmp -s "$tmp/rd/mi.csv" "$out" && cmp -s "$tmp/rd/mi_redraws.csv" "$tmp/rd/mi-wkl_redraws.csv" &&
    ok noise_redraws_from_checkpoints || fail noise_redraws_from_checkpoints "$out"
out=$("$bin" infoplane "$tmp/rd0" mi.noise_redraws=2 -q 2>&1)
[ "$out" = "$tmp/rd0/mi-wkl.csv" ] && cmp -s "$tmp/rd/mi.csv" "$out" && cmp -s "$tmp/rd/mi_redraws.csv" "$tmp/rd0/mi-wkl_redraws.csv" &&
    ok noise_redraws_remeasure_a_run_without || fail noise_redraws_remeasure_a_run_without "$out"
# from mi.noise_redraws_from on only (steps 0, 1, 2 and 50 here; 100 and later have them)
out=$("$bin" infoplane "$tmp/rd0" mi.noise_redraws=2 mi.noise_redraws_from=100 -q 2>&1)
awk -F, 'FNR == 1 { next } ($1 < 100) != ($0 ~ /,0,,,,,,$/) { bad = 1 } $1 >= 100 && $0 !~ /,2,[^,]+,[^,]+,[^,]+,[^,]+,[^,]+,[^,]+$/ { bad = 1 }
         END { exit bad || NR < 10 }' "$out" && ok noise_redraws_from_a_step || fail noise_redraws_from_a_step "$out: $(head -3 "$out")"
expect_error noise_redraws_negative "mi.noise_redraws: expected an integer in [0, 2147483647], got '-1'" \
    "$bin" train $small mi.noise_redraws=-1 --out "$tmp/rdbad"

# --- the autoencoder is trained once, cached under data/, and loaded by the next run
aeflags="$small mi.enabled=true mi.k=5 ae.epochs=1 ae.hidden=32 seed=4242 train.optimization_steps=10"
rm -f data/ae-mnist-4242-*
"$bin" train $aeflags --out "$tmp/ae1" >/dev/null 2>&1
inode=$(stat -c %i data/ae-mnist-4242-*.bin 2>/dev/null)
"$bin" train $aeflags --out "$tmp/ae2" >/dev/null 2>&1
if [ -n "$inode" ] && [ "$inode" = "$(stat -c %i data/ae-mnist-4242-*.bin)" ] && cmp -s "$tmp/ae1/mi.csv" "$tmp/ae2/mi.csv"; then
    ok autoencoder_cached
else fail autoencoder_cached "not trained once and then loaded"; fi
# mi.eval_points: the same training rows, other evaluation rows, the same cached autoencoder
"$bin" train $aeflags mi.eval_points=500 --out "$tmp/ae3" >/dev/null 2>&1
if [ -n "$inode" ] && [ "$inode" = "$(stat -c %i data/ae-mnist-4242-*.bin)" ] && [ -s "$tmp/ae3/mi.csv" ] &&
   diff <(grep ',train,' "$tmp/ae1/mi.csv") <(grep ',train,' "$tmp/ae3/mi.csv") >/dev/null &&
   ! diff <(grep ',eval,' "$tmp/ae1/mi.csv") <(grep ',eval,' "$tmp/ae3/mi.csv") >/dev/null; then
    ok mi_eval_points
else fail mi_eval_points "training rows changed, evaluation rows did not, or the autoencoder was trained again"; fi
expect_error mi_eval_points_too_many "mi.eval_points: 20000, but the evaluation set has 9800 rows" "$bin" train $aeflags mi.eval_points=20000 --out "$tmp/ae4"
expect_error mi_eval_points_below_k "mi.eval_points: 5 rows, but the estimator needs more than k = 5" "$bin" train $aeflags mi.eval_points=5 --out "$tmp/ae5"
rm -f data/ae-mnist-4242-*

# --- the modular task (configs/modular.yaml, a small modulus): memorises within 300 steps; with
# train.fix_weight_norm the global weight norm stays at its initial value
mod="--config configs/modular.yaml data.p=23 train.freqLog=50 oinfo.enabled=false plot.enabled=false train.threads=1 --quiet"
"$bin" train $mod train.optimization_steps=300 --out "$tmp/mod" >/dev/null 2>&1
awk -F, 'NR > 1 { last = $3 } END { exit !(last >= 0.98) }' "$tmp/mod/metrics.csv" 2>/dev/null && ok modular_memorises ||
    fail modular_memorises "train_acc below 0.98 after 300 steps"
"$bin" train $mod train.optimization_steps=100 train.weight_decay=0 model.initialization_scale=8 train.fix_weight_norm=true \
    model.zero_init_last=true --out "$tmp/modnorm" >/dev/null 2>&1
awk -F, 'NR == 1 { for (i = 1; i <= NF; i++) if ($i == "weight_norm") c = i }
         NR == 2 { w0 = $c } NR > 2 { d = $c - w0; if (d < 0) d = -d; if (d > 1e-5 * w0) bad = 1 }
         END { exit bad || !w0 }' "$tmp/modnorm/metrics.csv" 2>/dev/null && ok fixed_weight_norm ||
    fail fixed_weight_norm "weight_norm moved"
expect_error modular_with_path "data.path" "$bin" train $mod data.path=/tmp --out "$tmp/x5"

# --- O-information in training: a row per evaluation and hidden layer, resumed to the same bytes,
# and measured again from the checkpoints with the same numbers
modoi="--config configs/modular.yaml data.p=23 train.freqLog=20 plot.enabled=false train.threads=1 --quiet"
"$bin" train $modoi train.optimization_steps=200 --out "$tmp/oi" >/dev/null 2>&1
"$bin" train $modoi train.optimization_steps=80 --out "$tmp/oipart" >/dev/null 2>&1
"$bin" train --resume "$tmp/oipart" train.optimization_steps=200 --quiet >/dev/null 2>&1
if [ "$(grep -c . "$tmp/oi/oinfo.csv" 2>/dev/null)" -eq 12 ] &&
   awk -F, 'NR > 1 && ($3 == "" || $3 + 0 > $4 + 0 || $9 + $10 != 250) { bad = 1 } END { exit bad }' "$tmp/oi/oinfo.csv"; then
    ok oinfo_csv_rows
else fail oinfo_csv_rows "expected 11 rows with omega_min <= omega_max and 250 neurons"; fi
cmp -s "$tmp/oi/oinfo.csv" "$tmp/oipart/oinfo.csv" && ok oinfo_resume_identical || fail oinfo_resume_identical "oinfo.csv differs after resume"
out=$("$bin" oinfo "$tmp/oi" -q 2>&1)
[ "$out" = "$tmp/oi/oinfo-2.csv" ] && cmp -s "$tmp/oi/oinfo.csv" "$tmp/oi/oinfo-2.csv" && ok oinfo_from_checkpoints ||
    fail oinfo_from_checkpoints "$out"
expect_error oinfo_model_key "only oinfo.*" "$bin" oinfo "$tmp/oi" mi.k=3
out=$("$bin" oinfo "$tmp/oi" oinfo.greedy_max=12 -q 2>&1)
if head -1 "$out" 2>/dev/null | grep -q ',greedy_omega,greedy_size$' &&
   awk -F, 'NR > 1 && ($11 == "" || $12 < 3 || $12 > 12) { bad = 1 } END { exit bad }' "$out"; then
    ok oinfo_greedy_columns
else fail oinfo_greedy_columns "$out"; fi
# oinfo.ties: explicit index is the default's bytes; random says so in a last column, keeps the
# other columns' meaning (same steps, layers, live and dead neurons), is the same bytes again, and
# is what a run trained with it writes (its key is the seed, step and layer, not the process);
# oinfo-npy on the same layer with the same key gives the same synergy
out=$("$bin" oinfo "$tmp/oi" oinfo.ties=index -q 2>&1)
cmp -s "$tmp/oi/oinfo.csv" "$out" && ok oinfo_ties_index_default || fail oinfo_ties_index_default "$out"
rnd=$("$bin" oinfo "$tmp/oi" oinfo.ties=random -q 2>&1)
rnd2=$("$bin" oinfo "$tmp/oi" oinfo.ties=random -q 2>&1)
if head -1 "$rnd" 2>/dev/null | grep -q ',n_live,n_dead,ties$' &&
   awk -F, 'NR > 1 && ($11 != "random" || NF != 11) { bad = 1 } END { exit bad }' "$rnd" &&
   diff <(cut -d, -f1,2,9,10 "$tmp/oi/oinfo.csv") <(cut -d, -f1,2,9,10 "$rnd") >/dev/null &&
   ! diff <(cut -d, -f4 "$tmp/oi/oinfo.csv") <(cut -d, -f4 "$rnd") >/dev/null && cmp -s "$rnd" "$rnd2"; then
    ok oinfo_ties_random_column
else fail oinfo_ties_random_column "$rnd $rnd2"; fi
"$bin" train $modoi train.optimization_steps=200 oinfo.ties=random --out "$tmp/oir" >/dev/null 2>&1
if grep -q '^  ties: random$' "$tmp/oir/config.yaml" 2>/dev/null && cmp -s "$tmp/oir/oinfo.csv" "$rnd" &&
   grep -q '"ties": "random",' "$tmp/oir/summary.json"; then
    ok oinfo_ties_random_in_training
else fail oinfo_ties_random_in_training "config.yaml, oinfo.csv or summary.json of $tmp/oir"; fi
"$bin" acts "$tmp/oi" --step 100 --layer 1 --out "$tmp/oi100.npy" 2>/dev/null
got=$("$bin" oinfo-npy --acts "$tmp/oi100.npy" --ties random --seed 0 --step 100 --layer 1 --json 2>&1 |
      sed -n 's/.*"synergy": \([^,]*\),.*/\1/p' | awk '{ printf "%.10g", $1 }')
want=$(awk -F, '$1 == 100 && $2 == 1 { print $3 }' "$rnd")
[ -n "$want" ] && [ "$got" = "$want" ] && ok oinfo_npy_ties_key || fail oinfo_npy_ties_key "oinfo-npy '$got', oinfo.csv '$want'"
# oinfo.ties_check=random: the run's oinfo.csv as before, and oinfo_ties.csv the random rule's rows (the same bytes
# as oinfo.ties=random in training)
"$bin" train $modoi train.optimization_steps=200 oinfo.ties_check=random --out "$tmp/oic" >/dev/null 2>&1
if cmp -s "$tmp/oic/oinfo_ties.csv" "$tmp/oir/oinfo.csv" && cmp -s "$tmp/oic/oinfo.csv" "$tmp/oi/oinfo.csv" 2>/dev/null; then
    ok oinfo_ties_check
else fail oinfo_ties_check "$tmp/oic: oinfo_ties.csv or oinfo.csv differ"; fi
expect_error oinfo_ties_bad "oinfo.ties: 'sideways' is not one of index, random, average" "$bin" oinfo "$tmp/oi" oinfo.ties=sideways
expect_error train_ties_bad "oinfo.ties: 'sideways' is not one of index, random, average" "$bin" train $modoi oinfo.ties=sideways --out "$tmp/x6"
expect_error oinfo_npy_bad_ties "grokinfo oinfo-npy: --ties: expected one of index, random, average, got 'sideways'" "$bin" oinfo-npy --acts "$tmp/oi100.npy" --ties sideways

# --- sweeps: every point a run directory; a second invocation redoes nothing; a sweep killed and
# restarted ends with the same results as an uninterrupted one; shards split the points; the MPI
# mode (when built with it) gives the same table
sw=tests/data/sweep/tiny.yaml
"$bin" sweep $sw --out "$tmp/sw" -j 2 --quiet >/dev/null 2>&1
n_fin=$(grep -l '"status": "finished"' "$tmp"/sw/*/summary.json 2>/dev/null | wc -l)
[ "$n_fin" -eq 8 ] && ok sweep_runs_every_point || fail sweep_runs_every_point "$n_fin of 8 points finished"
# (a long summary.json, as runs with phases write, must still read as finished)
first=$(ls -d "$tmp"/sw/*/ | head -1)
pad=$(head -c 9000 /dev/zero | tr '\0' x)
sed -i "2a \\  \"padding\": \"$pad\"," "$first/summary.json"
out=$("$bin" sweep $sw --out "$tmp/sw" -j 2 --quiet 2>&1)
[ "$out" = "0 run, 8 already done, 0 failed" ] && ok sweep_skips_finished || fail sweep_skips_finished "$out"
# the results of a point: its metrics without the timing column
results() { for d in "$1"/*/; do echo "$(basename "$d")"; strip_seconds "$d/metrics.csv"; done; }
"$bin" sweep $sw --out "$tmp/swk" -j 2 --quiet >/dev/null 2>&1 & pid=$!
sleep 1.5; kill -9 $pid 2>/dev/null; wait $pid 2>/dev/null
# the killed sweep's children go on with their points and keep their locks: the restart waits for them
"$bin" sweep $sw --out "$tmp/swk" -j 2 --quiet >/dev/null 2>&1
if diff <(results "$tmp/sw") <(results "$tmp/swk") >/dev/null; then ok sweep_killed_and_restarted
else fail sweep_killed_and_restarted "results differ from the uninterrupted sweep"; fi
"$bin" sweep $sw --out "$tmp/sws" --shard 0/2 -j 1 --quiet >/dev/null 2>&1
n0=$(ls -d "$tmp"/sws/*/ 2>/dev/null | wc -l)
"$bin" sweep $sw --out "$tmp/sws" --shard 1/2 -j 1 --quiet >/dev/null 2>&1
n1=$(ls -d "$tmp"/sws/*/ 2>/dev/null | wc -l)
[ "$n0" -eq 4 ] && [ "$n1" -eq 8 ] && diff <(results "$tmp/sw") <(results "$tmp/sws") >/dev/null && ok sweep_shards ||
    fail sweep_shards "shard 0/2 ran $n0 points, then $n1 in all"
if command -v mpirun >/dev/null && "$bin" --help | grep -q mpirun && ldd "$bin" | grep -q libmpi; then
    mpirun --allow-run-as-root --oversubscribe -np 2 "$bin" sweep $sw --out "$tmp/swm" --quiet >/dev/null 2>&1
    diff <(results "$tmp/sw") <(results "$tmp/swm") >/dev/null && ok sweep_mpi_same_results ||
        fail sweep_mpi_same_results "mpirun -np 2 results differ from the local sweep"
else echo "skip e2e_sweep_mpi_same_results (built without MPI)"; fi
expect_error sweep_bad_key "model.widht" "$bin" sweep tests/data/sweep/bad_key.yaml --out "$tmp/swb"
expect_error sweep_missing_file "nope.yaml" "$bin" sweep "$tmp/nope.yaml"

# --- a full disk (simulated: a file size limit, SIGXFSZ ignored): one clear line naming the file,
# the last good checkpoint kept, and a later resume ends as an uninterrupted run
"$bin" train $small train.optimization_steps=120 --out "$tmp/disk" >/dev/null 2>&1
cp "$tmp/disk/ckpt/latest.bin" "$tmp/disk_latest_before.bin"
out=$(bash -c 'ulimit -f 300; trap "" XFSZ; exec "$0" train --resume "$1" train.optimization_steps=300 --quiet' "$bin" "$tmp/disk" 2>&1 >/dev/null)
rc=$?
if [ $rc -ne 0 ] && grep -q "latest.bin: write failed (File too large); the previous file is kept" <<<"$out" &&
   [ "$(grep -c . <<<"$out")" -eq 1 ] && cmp -s "$tmp/disk/ckpt/latest.bin" "$tmp/disk_latest_before.bin"; then
    ok full_disk_keeps_checkpoint
else fail full_disk_keeps_checkpoint "rc=$rc: $out"; fi
"$bin" train --resume "$tmp/disk" train.optimization_steps=300 --quiet >/dev/null 2>&1
cmp -s "$tmp/full/ckpt/latest.bin" "$tmp/disk/ckpt/latest.bin" && ok full_disk_then_resume || fail full_disk_then_resume "final checkpoint differs"

# --- the same seed and thread count give the same bits
"$bin" train $small train.optimization_steps=300 --out "$tmp/again" >/dev/null 2>&1
cmp -s "$tmp/full/ckpt/latest.bin" "$tmp/again/ckpt/latest.bin" && ok deterministic || fail deterministic "two runs differ"

# --- and do not depend on the thread count (rows and columns are split, sums are not)
"$bin" train $small train.threads=2 train.optimization_steps=300 --out "$tmp/two" >/dev/null 2>&1
cmp -s "$tmp/full/ckpt/latest.bin" "$tmp/two/ckpt/latest.bin" && ok thread_count_independent ||
    fail thread_count_independent "1 and 2 threads differ"

# --- evaluating (its own noise stream) never changes the training trajectory
"$bin" train $small train.optimization_steps=300 train.freqLog=7 train.n_first_steps_to_log=20 --out "$tmp/evals" >/dev/null 2>&1
cmp -s "$tmp/full/ckpt/latest.bin" "$tmp/evals/ckpt/latest.bin" && ok evaluation_does_not_perturb_training ||
    fail evaluation_does_not_perturb_training "final checkpoints differ with another evaluation schedule"

# --- the dense and the sparse first layer compute the same network (up to rounding)
"$bin" train $small train.optimization_steps=50 train.first_layer=dense --out "$tmp/dense" >/dev/null 2>&1
"$bin" train $small train.optimization_steps=50 train.first_layer=sparse --out "$tmp/sparse" >/dev/null 2>&1
paste -d, <(sed -n 2,100p "$tmp/dense/metrics.csv" | cut -d, -f2,4,6) <(sed -n 2,100p "$tmp/sparse/metrics.csv" | cut -d, -f2,4,6) |
    awk -F, '{ for (i = 1; i <= 3; i++) { a = $i; b = $(i + 3); d = a - b; if (d < 0) d = -d
               if (d > 1e-4 + 1e-4 * (b < 0 ? -b : b)) { print "  row " NR ": " a " vs " b; bad = 1 } } }
             END { exit bad }' && ok sparse_equals_dense || fail sparse_equals_dense "losses or weight norms differ"

# --- divergence stops with the step and the last good checkpoint
expect_error diverges "last good checkpoint" "$bin" train $small train.optimization_steps=200 train.lr=1e12 --out "$tmp/div"

# --- bad input gets one clear line
expect_error unknown_key "did you mean 'model.width'" "$bin" train model.widht=3 --out "$tmp/x1"
expect_error bad_enum "model.activation" "$bin" train model.activation=Relu6 --out "$tmp/x2"
expect_error bad_number "train.lr" "$bin" train train.lr=-1 --out "$tmp/x3"
expect_error missing_config "nope.yaml" "$bin" train --config "$tmp/nope.yaml"
# a copy of the binary away from the repository finds no embedded digits
mkdir -p "$tmp/elsewhere"; cp "$bin" "$tmp/elsewhere/grokinfo"
expect_error no_data "make data" bash -c "cd '$tmp/elsewhere' && ./grokinfo train --out x4 --quiet"
touch "$tmp/regular"
expect_error unwritable_out "not a directory" "$bin" train train.threads=1 train.optimization_steps=1 --out "$tmp/regular/run" --quiet
"$bin" train $small train.optimization_steps=5 --out "$tmp/twice" >/dev/null 2>&1
expect_error existing_run "--resume" "$bin" train $small train.optimization_steps=5 --out "$tmp/twice"
expect_error resume_nothing "no checkpoint" "$bin" train --resume "$tmp/nothing"
mkdir -p "$tmp/corrupt/ckpt"; cp "$tmp/twice/config.yaml" "$tmp/twice/metrics.csv" "$tmp/corrupt/"
head -c 1000 "$tmp/twice/ckpt/latest.bin" > "$tmp/corrupt/ckpt/latest.bin"
expect_error corrupt_checkpoint "latest.bin" "$bin" train --resume "$tmp/corrupt"

# --- grokinfo mi on files
d=tests/data/mi
out=$("$bin" mi --x $d/g2x2_x.npy --y $d/g2x2_y.npy --estimator ksg --k 5 --json 2>&1)
grep -q '"estimator": "ksg", "mi": 1.01247' <<<"$out" && grep -q '"stderr"' <<<"$out" && grep -q '"seconds"' <<<"$out" &&
    ok mi_json || fail mi_json "$out"
expect_error mi_rows_mismatch "rows" "$bin" mi --x $d/g2x2_x.npy --y $d/cls2_labels.npy
printf '1,2\n3,nan\n5,6\n' > "$tmp/nan.csv"
expect_error mi_nan "NaN" "$bin" mi --x "$tmp/nan.csv" --y "$tmp/nan.csv"
printf '\x93NUMPYgarbage' > "$tmp/bad.npy"
expect_error mi_bad_npy "bad.npy" "$bin" mi --x "$tmp/bad.npy" --y $d/g2x2_y.npy
# a .npy holding a NaN: NPY 1.0, '<f8', shape (3, 1), values 1, NaN, 3
{ printf '\x93NUMPY\x01\x00\x76\x00'; printf '%-117s\n' "{'descr': '<f8', 'fortran_order': False, 'shape': (3, 1), }"
  printf '\0\0\0\0\0\0\xf0\x3f\0\0\0\0\0\0\xf8\x7f\0\0\0\0\0\0\x08\x40'; } > "$tmp/nan.npy"
expect_error mi_nan_npy "nan.npy: value NaN at row 1, column 0" "$bin" mi --x "$tmp/nan.npy" --y "$tmp/nan.npy" --k 1
expect_error oinfo_npy_nan "nan.npy: value NaN at row 1, column 0" "$bin" oinfo-npy --acts "$tmp/nan.npy"
printf '1\n2\n3\n' > "$tmp/three.csv"
expect_error mi_n_le_k "need N > k" "$bin" mi --x "$tmp/three.csv" --y "$tmp/three.csv" --k 5
printf '1,0\n2,0\n3,0\n4,0\n5,0\n6,0\n7,0\n' > "$tmp/const.csv"
expect_error mi_constant_column "singular" "$bin" mi --x "$tmp/const.csv" --y "$tmp/const.csv" --estimator wkl --k 2
printf '1\n1\n1\n2\n2\n2\n' > "$tmp/dup.csv"
expect_error mi_duplicates "distance 0" "$bin" mi --x "$tmp/dup.csv" --y "$tmp/dup.csv" --estimator kl --k 2
out=$("$bin" mi --x $d/g8x8_x.npy --y $d/g8x8_y.npy --compress pca:2 --json 2>&1)
grep -q '"dx": 2, "dy": 2' <<<"$out" && ok mi_compress || fail mi_compress "$out"
expect_error mi_bad_compress "--compress" "$bin" mi --x $d/g8x8_x.npy --y $d/g8x8_y.npy --compress pca:x
b1=$("$bin" mi --x $d/g2x2_x.npy --y $d/g2x2_y.npy --bootstrap 400 --seed 3 --json 2>&1)
b2=$("$bin" mi --x $d/g2x2_x.npy --y $d/g2x2_y.npy --bootstrap 400 --seed 3 --json 2>&1)
awk -v s="$b1" 'BEGIN { match(s, /"mi": [^,]*/); v = substr(s, RSTART + 6, RLENGTH - 6) + 0
    match(s, /"ci_low": [^,]*/); lo = substr(s, RSTART + 10, RLENGTH - 10) + 0
    match(s, /"ci_high": [^,]*/); hi = substr(s, RSTART + 11, RLENGTH - 11) + 0
    match(s, /"stderr": [^,]*/); se = substr(s, RSTART + 10, RLENGTH - 10) + 0
    w = hi - lo; exit !(lo < v && v < hi && w > 2.5 * se && w < 5.5 * se) }' &&
    [ "$(sed 's/"seconds.*//' <<<"$b1")" = "$(sed 's/"seconds.*//' <<<"$b2")" ] && ok mi_bootstrap || fail mi_bootstrap "$b1"
expect_error mi_bootstrap_gauss "per-point" "$bin" mi --x $d/g2x2_x.npy --y $d/g2x2_y.npy --estimator gauss --bootstrap 10
expect_error mi_bad_estimator "not one of" "$bin" mi --x "$tmp/dup.csv" --y "$tmp/dup.csv" --estimator foo

# --- grokinfo plot on a small synthetic run (tests/data/plot, made by its make.py)
cp -r tests/data/plot "$tmp/plot"
if out=$("$bin" plot "$tmp/plot" 2>&1); then
    missing=""
    for f in infoplane accuracy training; do for x in png pdf; do [ -s "$tmp/plot/figures/$f.$x" ] || missing="$missing $f.$x"; done; done
    [ -z "$missing" ] && ok plot_six_figures || fail plot_six_figures "missing or empty:$missing"
    # the synthetic curves: a small fall (I(L;Y) by 0.06 nats, under phases.min_change: compression), both rise, a
    # plateau, then I(X;L) falls: the steps 0..9 left out
    grep -q "eval  layer 1: compression 1000-3[0-9]*; error_minimisation 3[0-9]*-1[0-9]* ([0-9]* after memorisation); compression 2[0-9]*-30000" <<<"$out" &&
        grep -q "steps before phases.min_step left out" <<<"$out" && ok plot_prints_phases ||
        fail plot_prints_phases "$out"
    [ -s "$tmp/plot/figures/infoplane.gp" ] && [ -s "$tmp/plot/figures/mi.dat" ] && ! ls "$tmp/plot/figures" | grep -q '\.tmp\.' &&
        ok plot_keeps_scripts || fail plot_keeps_scripts "$(ls "$tmp/plot/figures")"
else fail plot_six_figures "$out"; fi
mkdir -p "$tmp/plot_nomi"; cp tests/data/plot/metrics.csv "$tmp/plot_nomi/"
out=$("$bin" plot "$tmp/plot_nomi" 2>&1)
[ -s "$tmp/plot_nomi/figures/training.png" ] && [ -s "$tmp/plot_nomi/figures/accuracy.pdf" ] &&
    [ ! -e "$tmp/plot_nomi/figures/infoplane.png" ] && grep -q "no .*mi.csv" <<<"$out" && ok plot_without_mi || fail plot_without_mi "$out"
expect_error plot_no_run_dir "no such run directory" "$bin" plot "$tmp/nope"
sed 's/,ily,/,ilx,/' tests/data/plot/mi.csv > "$tmp/plot_nomi/bad_mi.csv"
expect_error plot_missing_column "no column 'ily'" "$bin" plot "$tmp/plot_nomi" --mi "$tmp/plot_nomi/bad_mi.csv"
expect_error plot_mi_absent "absent.csv: cannot open" "$bin" plot "$tmp/plot_nomi" --mi "$tmp/absent.csv"
mkdir -p "$tmp/plot_bad"; sed '5s/^3,[^,]*,/3,oops,/' tests/data/plot/metrics.csv > "$tmp/plot_bad/metrics.csv"
expect_error plot_bad_number "metrics.csv:5: column 2 'train_loss': expected a number" "$bin" plot "$tmp/plot_bad"
expect_error plot_no_gnuplot "gnuplot not found" env PATH=/nonexistent "$bin" plot "$tmp/plot_nomi"

# --- one milestone rule: with the run's own thresholds (not the defaults 0.99 / 0.5), summary.json,
# the phases and O-information printouts and every figure name the same memorisation and grokking
# steps, at the end of training (with and without MI) and again from `grokinfo plot`
thr="summary.train_acc=0.9 summary.eval_acc=0.795"
msrun="$small $thr model.initialization_scale=1 train.lr=3e-3 oinfo.enabled=true plot.enabled=true train.optimization_steps=400 train.freqLog=25"
"$bin" train $msrun $withmi --out "$tmp/ms" >"$tmp/ms.out" 2>&1
"$bin" train $msrun --out "$tmp/msnomi" >"$tmp/msnomi.out" 2>&1
first_step() { awk -F, -v c="$2" -v t="$3" 'NR > 1 && $c >= t { print $1; exit }' "$1"; }
M=$(first_step "$tmp/ms/metrics.csv" 3 0.9) G=$(first_step "$tmp/ms/metrics.csv" 5 0.795)
M0=$(first_step "$tmp/ms/metrics.csv" 3 0.99) G0=$(first_step "$tmp/ms/metrics.csv" 5 0.5)
milestones_agree() { # $1: the run, $2: its printout
    { [ ! -e "$1/mi.csv" ] || grep -q "^phases (.*): memorised at $M, grokked at $G\$" <<<"$2"; } &&
    grep -q "\"memorisation_step\": $M,\$" "$1/summary.json" && grep -q "\"grokking_step\": $G,\$" "$1/summary.json" &&
    grep -q "^O-information (.*): memorised (train_acc>=0.9) at $M, grokked (eval_acc>=0.795) at $G\$" <<<"$2" &&
    grep -q "^set label \"grokking\" at $G, graph" "$1/figures/accuracy.gp" &&
    grep -q "title \"memorisation (step $M)\"" "$1/figures/oinfo.gp" && grep -q "title \"grokking (step $G)\"" "$1/figures/oinfo.gp" &&
    grep -q "\"memorisation ($M)\" at" "$1/figures/oinfo_plane.gp" && grep -q "\"grokking ($G)\" at" "$1/figures/oinfo_plane.gp"
}
if [ -n "$M" ] && [ -n "$G" ] && [ "$M $G" != "$M0 $G0" ] &&
   diff <(strip_seconds "$tmp/ms/metrics.csv") <(strip_seconds "$tmp/msnomi/metrics.csv") >/dev/null; then
    for r in ms msnomi; do
        milestones_agree "$tmp/$r" "$(cat "$tmp/$r.out")" && ok "milestones_one_rule_in_training_$r" ||
            fail "milestones_one_rule_in_training_$r" "want memorisation $M, grokking $G (defaults: $M0, $G0): $(cat "$tmp/$r.out")"
        rm -rf "$tmp/$r/figures"
        out=$("$bin" plot "$tmp/$r" 2>&1)
        milestones_agree "$tmp/$r" "$out" && ok "milestones_one_rule_in_plot_$r" || fail "milestones_one_rule_in_plot_$r" "want $M, $G: $out"
    done
else fail milestones_one_rule "the runs differ or the thresholds do not move the milestones ($M $G vs $M0 $G0)"; fi

# --- O-information figures on a small synthetic run with two hidden layers (tests/data/oinfo_plot, made by its make.py)
cp -r tests/data/oinfo_plot "$tmp/oplot"
if out=$("$bin" plot "$tmp/oplot" 2>&1); then
    missing=""
    for f in oinfo oinfo_plane; do for x in png pdf; do [ -s "$tmp/oplot/figures/$f.$x" ] || missing="$missing $f.$x"; done; done
    [ -z "$missing" ] && [ -s "$tmp/oplot/figures/oinfo.dat" ] && ok plot_oinfo_figures || fail plot_oinfo_figures "missing or empty:$missing"
    grep -q "layer 2: smoothed synergy peaks at 270 (120 after grokking), redundancy at 5" <<<"$out" &&
        grep -q "memorised (train_acc>=0.99) at 40, grokked (eval_acc>=0.5) at 150" <<<"$out" && ok plot_oinfo_peaks ||
        fail plot_oinfo_peaks "$out"
else fail plot_oinfo_figures "$out"; fi
mkdir -p "$tmp/oplot_bad"; cp tests/data/oinfo_plot/metrics.csv "$tmp/oplot_bad/"
sed '1s/,omega_max,/,omega_maximum,/' tests/data/oinfo_plot/oinfo.csv > "$tmp/oplot_bad/oinfo.csv"
expect_error plot_oinfo_missing_column "oinfo.csv: no column 'omega_max'" "$bin" plot "$tmp/oplot_bad"

# --- compare: a tiny sweep-like folder (alpha in {1, 8} x seed in {0, 1}, and weight decay 0.1 at seed 0)
sw="$tmp/sweep"
tiny="train.threads=1 train.train_points=200 train.batch_size=100 model.width=32 train.optimization_steps=60 train.freqLog=20 mi.enabled=false plot.enabled=false --quiet"
for a in 1 8; do
    for s in 0 1; do "$bin" train $tiny model.initialization_scale=$a seed=$s --out "$sw/a$a-s$s" >/dev/null 2>&1; done
    "$bin" train $tiny model.initialization_scale=$a train.weight_decay=0.1 --out "$sw/a$a-wd0.1" >/dev/null 2>&1
done
cp tests/data/plot/mi.csv "$sw/a1-s0/"; cp tests/data/plot/mi.csv "$sw/a8-s0/"
if out=$("$bin" compare "$sw" --runs a1-s0,a8-s0 2>&1); then
    head -1 "$sw/compare.csv" | grep -q '^run,seed,model.initialization_scale,train.weight_decay,status,memorisation_step,grokking_step,final_step,final_train_acc,final_eval_acc,final_train_loss,final_eval_loss$' &&
        ok compare_columns || fail compare_columns "$(head -1 "$sw/compare.csv")"
    [ "$(wc -l <"$sw/compare.csv")" -eq 7 ] && grep -q '^a1-s1,1,1.0,0.01,finished,' "$sw/compare.csv" &&
        grep -q '^a8-wd0.1,0,8.0,0.1,finished,' "$sw/compare.csv" && ok compare_rows || fail compare_rows "$(cat "$sw/compare.csv")"
    # the seed groups: 4 groups; alpha 1, wd 0.01 has n = 2 and the mean of its two runs' final_eval_acc
    want=$(awk -F, '$1 == "a1-s0" || $1 == "a1-s1" { s += $10 } END { printf "%.6f", s / 2 }' "$sw/compare.csv")
    got=$(awk -F, 'NR == 1 { for (i = 1; i <= NF; i++) c[$i] = i; next }
                   $(c["model.initialization_scale"]) == "1.0" && $(c["train.weight_decay"]) == "0.01" {
                       printf "%d %.6f %d", $(c["n"]), $(c["final_eval_acc_mean"]), $(c["final_eval_acc_n"]) }' "$sw/compare_seeds.csv")
    [ "$(wc -l <"$sw/compare_seeds.csv")" -eq 5 ] && head -1 "$sw/compare_seeds.csv" | grep -q '^group,model.initialization_scale,train.weight_decay,n,memorisation_step_mean,memorisation_step_std,memorisation_step_n,' &&
        [ "$got" = "2 $want 2" ] && grep -q "seeds grouped" <<<"$out" && ok compare_seed_groups ||
        fail compare_seed_groups "got '$got', want '2 $want 2': $(cat "$sw/compare_seeds.csv")"
    missing=""
    for f in grok_vs_alpha eval_acc_heatmap infoplane_overlay; do for x in png pdf; do [ -s "$sw/figures/$f.$x" ] || missing="$missing $f.$x"; done; done
    [ -z "$missing" ] && grep -q "3 figures in $sw/figures/" <<<"$out" && ok compare_figures || fail compare_figures "missing:$missing; $out"
    grep -q timing "$sw/compare.csv" && fail compare_no_timings "timing columns in compare.csv" || ok compare_no_timings
else fail compare_columns "$out"; fi
# two run directories, only the seed differs: figures skipped with notes, the table in --out
if out=$("$bin" compare "$sw/a1-s0" "$sw/a1-s1" --out "$tmp/cmp2" 2>&1); then
    head -1 "$tmp/cmp2/compare.csv" | grep -q '^run,seed,status,' && grep -q "grok_vs_alpha skipped" <<<"$out" &&
        grep -q "eval_acc_heatmap skipped" <<<"$out" && ok compare_skips_figures || fail compare_skips_figures "$out"
else fail compare_skips_figures "$out"; fi
mkdir -p "$tmp/noruns/empty"
expect_error compare_no_runs "noruns: no run directories in it" "$bin" compare "$tmp/noruns"
expect_error compare_unknown_run "--runs: no run named 'zz'" "$bin" compare "$sw" --runs a1-s0,zz

# --- the commands: one table (src/cli/commands.c) gives --help, the unknown-command message and
# each command's usage; cli.h declares the same commands (cmd_oinfo_npy is oinfo-npy)
cmds=$(sed -n 's/^int cmd_\([a-z_]*\)(int argc, char \*\*argv);$/\1/p' src/cli/cli.h | tr _ -)
help=$("$bin" --help)
expect_error unknown_command "grokinfo: unknown command 'frobnicate' (try: grokinfo --help)" "$bin" frobnicate
unknown=$("$bin" frobnicate 2>&1)
missing=""
for c in $cmds; do
    grep -q "^  $c\( \|\$\)" <<<"$help" && grep -q "[ ,]$c\(,\|\$\)" <<<"$unknown" || missing="$missing $c"
done
[ "$(wc -w <<<"$cmds")" -ge 9 ] && [ -z "$missing" ] && grep -q "^The defaults are the seed's" <<<"$help" &&
    ok help_lists_every_command || fail help_lists_every_command "not in --help or the unknown-command message:$missing"
out=$("$bin" 2>&1 >/dev/null)
[ $? -eq 2 ] && [ "$out" = "$help" ] && ok no_command_prints_help_to_stderr || fail no_command_prints_help_to_stderr "$out"
# every command's usage (a usage error; COMMAND --help) is its synopsis in --help, line for line
strip_usage() { sed -n '/^usage: grokinfo /,$p' | sed 's/^usage: grokinfo //; s/^   or: grokinfo //; s/^ *//'; }
bad=""
for c in $cmds; do
    if [ "$c" = train ]; then usage=$("$bin" train --no-such-option 2>&1 >/dev/null)  # (train alone trains)
    else usage=$("$bin" "$c" 2>&1 >/dev/null); fi
    rc=$?
    u=$(strip_usage <<<"$usage")
    h=$(grep -m1 -A$(($(grep -c . <<<"$u") - 1)) "^  $c\( \|\$\)" <<<"$help" | sed 's/^ *//')
    own=$("$bin" "$c" --help | sed '/^$/,$d' | strip_usage)
    [ $rc -eq 2 ] && [ -n "$u" ] && [ "$u" = "$h" ] && [ "$u" = "$own" ] &&
        [ "$("$bin" help "$c")" = "$("$bin" "$c" --help)" ] || bad="$bad $c"
done
[ -z "$bad" ] && ok usage_is_the_table_synopsis || fail usage_is_the_table_synopsis "usage and --help differ for:$bad"
"$bin" mi 2>&1 >/dev/null | grep -q '^usage: grokinfo mi --x X.npy|X.csv --y Y.npy|Y.csv \[--estimator ' &&
    ok mi_usage || fail mi_usage "$("$bin" mi 2>&1)"

# --- a number given to a flag: parsed whole, within bounds, one line naming the command and the flag
expect_error acts_bad_layer "grokinfo acts: --layer: expected an integer >= 1, got 'x'" "$bin" acts "$tmp/full" --step 5 --layer x --out "$tmp/a.npy"
expect_error acts_bad_step "grokinfo acts: --step: expected an integer >= 0, got '5k'" "$bin" acts "$tmp/full" --step 5k --layer 1 --out "$tmp/a.npy"
expect_error acts_bad_subset "grokinfo acts: --subset: expected train or eval, got 'test'" "$bin" acts "$tmp/full" --step 5 --subset test --out "$tmp/a.npy"
expect_error mi_bad_k "grokinfo mi: --k: expected an integer from 1 to 1000000, got '0'" "$bin" mi --x $d/g2x2_x.npy --y $d/g2x2_y.npy --k 0
expect_error mi_bad_bootstrap "grokinfo mi: --bootstrap: expected an integer from 2 to 1000000, got '10x'" "$bin" mi --x $d/g2x2_x.npy --y $d/g2x2_y.npy --bootstrap 10x
expect_error mi_bad_seed "grokinfo mi: --seed: expected an integer >= 0, got '-1'" "$bin" mi --x $d/g2x2_x.npy --y $d/g2x2_y.npy --bootstrap 10 --seed -1
expect_error sweep_bad_jobs "grokinfo sweep: -j: expected an integer >= 1, got 'two'" "$bin" sweep tests/data/sweep/tiny.yaml --out "$tmp/swx" -j two
expect_error sweep_bad_jobs_joined "grokinfo sweep: -j: expected an integer >= 1, got '0'" "$bin" sweep tests/data/sweep/tiny.yaml --out "$tmp/swx" -j0
expect_error sweep_bad_shard "grokinfo sweep: --shard: expected i/n with 0 <= i < n, got '2/2'" "$bin" sweep tests/data/sweep/tiny.yaml --out "$tmp/swx" --shard 2/2
expect_error sweep_shard_trailing "--shard: expected i/n with 0 <= i < n, got '0/2x'" "$bin" sweep tests/data/sweep/tiny.yaml --out "$tmp/swx" --shard 0/2x
expect_error oinfo_npy_bad_clusters "grokinfo oinfo-npy: --clusters: expected an integer from 1 to 20, got '30'" "$bin" oinfo-npy --acts "$tmp/nan.npy" --clusters 30
expect_error oinfo_npy_bad_greedy "grokinfo oinfo-npy: --greedy-max: expected an integer >= 0, got 'many'" "$bin" oinfo-npy --acts "$tmp/nan.npy" --greedy-max many

# --- make layers: the real tree passes; a planted wrong-way include (measure -> run) and a relative
#     path each fail, naming the file and the rule
layers_src=src
if out=$(bash tools/check_layers.sh "$layers_src" 2>&1); then ok layers_tree_passes
else fail layers_tree_passes "$out"; fi
cp -r "$layers_src" "$tmp/layers"
sed -i '1a #include "run/run.h"' "$tmp/layers/measure/knn.c"
out=$(bash tools/check_layers.sh "$tmp/layers" 2>&1)
if [ $? -ne 0 ] && grep -q 'measure/knn.c:2 includes "run/run.h": measure may include only util' <<<"$out"; then
    ok layers_wrong_way_fails
else fail layers_wrong_way_fails "$out"; fi
sed -i '2d; 1a #include "../util/err.h"' "$tmp/layers/measure/knn.c"
echo '#include "data/dataset.h"' >>"$tmp/layers/nn/sparse.h"
out=$(bash tools/check_layers.sh "$tmp/layers" 2>&1)
if [ $? -ne 0 ] && grep -q 'knn.c:2 includes "../util/err.h": name the folder' <<<"$out" &&
   grep -q 'nn/sparse.h:[0-9]* includes "data/dataset.h": nn may include only util' <<<"$out"; then
    ok layers_relative_and_nn_data_fail
else fail layers_relative_and_nn_data_fail "$out"; fi

echo "e2e: $passed passed, $failed failed"
[ "$failed" -eq 0 ]
