#!/usr/bin/env bash
# End-to-end tests of the CLI (the only tests that read the embedded digits).
# usage: tests/e2e.sh GROKINFO_BINARY
set -u
bin=$(realpath "$1")
tmp=$(mktemp -d /tmp/grokinfo-e2e.XXXXXX)
trap 'rm -rf "$tmp"' EXIT
passed=0 failed=0
ok()   { echo "ok   $1"; passed=$((passed + 1)); }
fail() { echo "FAIL $1: $2"; failed=$((failed + 1)); }

echo "e2e: $passed passed, $failed failed"
[ "$failed" -eq 0 ]
