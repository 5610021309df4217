#!/usr/bin/env bash
# Installs grokinfo's build and data dependencies from Debian's packages (as root, or through sudo).
# Commands already on PATH (say, a Node.js install that bundles npm) are taken as they are.
set -euo pipefail
missing=()
for cmd in gcc make npm; do command -v "$cmd" >/dev/null 2>&1 || missing+=("$cmd"); done
for lib in libopenblas-dev zlib1g-dev libyaml-dev; do dpkg -s "$lib" >/dev/null 2>&1 || missing+=("$lib"); done
command -v gnuplot >/dev/null 2>&1 || missing+=(gnuplot-nox)   # grokinfo plot
command -v pkg-config >/dev/null 2>&1 || missing+=(pkg-config)  # the C example against the installed library
# the Python package and its tests (Debian's own interpreter, /usr/bin/python3)
for pkg in python3-numpy python3-pytest python3-venv python3-pip python3-setuptools; do
    dpkg -s "$pkg" >/dev/null 2>&1 || missing+=("$pkg")
done
command -v mpicc >/dev/null 2>&1 || missing+=(openmpi-bin libopenmpi-dev)   # mpirun grokinfo sweep
# make fuzz / fuzz-smoke (CI runs it): clang with the libFuzzer runtime
echo 'int LLVMFuzzerTestOneInput(const char *d, unsigned long n) { return 0; }' |
    clang -fsanitize=fuzzer -x c - -o /dev/null >/dev/null 2>&1 || missing+=(clang libclang-rt-dev)
if [ ${#missing[@]} -eq 0 ]; then echo "install-deps: all present"; exit 0; fi
SUDO=; [ "$(id -u)" -ne 0 ] && SUDO=sudo
echo "install-deps: installing ${missing[*]}"
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq
$SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
