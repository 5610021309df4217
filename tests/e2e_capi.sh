#!/usr/bin/env bash
# End-to-end tests of the C library: `make install PREFIX=...` puts the header, both libraries and
# grokinfo.pc in place; the README's C example (examples/mi_example.c) compiles against the
# installed copy with pkg-config, dynamically and statically, and prints KSG's estimate near the
# closed form; the shared library exports the API's calls and nothing else. The install uses the
# default build, so under the sanitizer half (a binary other than ./grokinfo) it is skipped.
# usage: tests/e2e_capi.sh GROKINFO_BINARY
set -u
passed=0 failed=0
ok()   { echo "ok   e2e_$1"; passed=$((passed + 1)); }
fail() { echo "FAIL e2e_$1: $2"; failed=$((failed + 1)); }
if [ "$1" != ./grokinfo ]; then
    echo "skip e2e_capi: the install is of the default build (./grokinfo), not $1"
    echo "e2e: 0 passed, 0 failed"; exit 0
fi
tmp=$(mktemp -d /tmp/grokinfo-e2e-capi.XXXXXX)
trap 'rm -rf "$tmp"' EXIT
prefix=$tmp/prefix
if make -s install PREFIX="$prefix" >"$tmp/install.log" 2>&1; then ok capi_install
else fail capi_install "$(tail -3 "$tmp/install.log")"; fi
for f in bin/grokinfo include/grokinfo.h lib/libgrokinfo.so.1 lib/libgrokinfo.so lib/libgrokinfo.a lib/pkgconfig/grokinfo.pc; do
    [ -e "$prefix/$f" ] || fail capi_installed_files "no $f"
done
[ -L "$prefix/lib/libgrokinfo.so" ] && ok capi_installed_files || fail capi_installed_files "libgrokinfo.so is not a link"
export PKG_CONFIG_PATH=$prefix/lib/pkgconfig
# the example, as the README compiles it, then run; KSG at N = 5000 within 0.05 of −½ ln(1 − 0.81)
check_run() { # NAME BINARY
    local out
    out=$("$2" 2>&1) || { fail "$1" "exited non-zero: $out"; return; }
    awk -v want=0.830366 '{ if ($1 == "ksg:" && ($4 - want < 0.05 && want - $4 < 0.05) && $0 ~ /closed form 0.8304/) ok = 1 }
                          END { exit !ok }' <<<"$out" && ok "$1" || fail "$1" "$out"
}
if cc examples/mi_example.c $(pkg-config --cflags --libs grokinfo) -lm -Wl,-rpath,"$prefix/lib" -o "$tmp/ex" 2>"$tmp/cc.log"
then check_run capi_example_shared "$tmp/ex"; else fail capi_example_shared "$(head -3 "$tmp/cc.log")"; fi
if cc -static-libgcc examples/mi_example.c -I"$prefix/include" "$prefix/lib/libgrokinfo.a" \
      $(pkg-config --static --libs-only-other --libs-only-l grokinfo | sed 's/-lgrokinfo//') -lm -o "$tmp/ex_static" 2>"$tmp/cc2.log"
then check_run capi_example_static "$tmp/ex_static"; else fail capi_example_static "$(head -3 "$tmp/cc2.log")"; fi
# the shared library's dynamic symbols: the header's calls only
extra=$(nm -D --defined-only "$prefix/lib/libgrokinfo.so.1" | awk '$2 == "T" && $3 !~ /^grokinfo_/ { print $3 }' | head -5)
api=$(nm -D --defined-only "$prefix/lib/libgrokinfo.so.1" | awk '$2 == "T" && $3 ~ /^grokinfo_/' | wc -l)
declared=$(grep -c '^GROKINFO_API ' include/grokinfo.h)
[ -z "$extra" ] && [ "$api" -eq "$declared" ] && ok capi_exports || fail capi_exports "extra: $extra; $api exported, $declared declared"
echo "e2e: $passed passed, $failed failed"
[ "$failed" -eq 0 ]
