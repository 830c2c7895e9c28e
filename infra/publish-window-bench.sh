#!/usr/bin/env bash
# Publishes window-bench (tools/Streaming.WindowBench: the ILGPU window test, no TorchSharp, no
# libtorch) self-contained and trimmed for linux-x64 into .artifacts/window-bench, checks that it is
# under 64 MiB (what travels to the GPU machine), and, with --baseline, measures the TorchSharp CPU
# figures of the same cases here into .artifacts/window-bench/baseline.tsv for the ratios.
# On the GPU machine (only the NVIDIA driver needed):
#   .artifacts/window-bench/window-bench --target cuda --baseline .artifacts/window-bench/baseline.tsv
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
OUT="$ROOT/.artifacts/window-bench"
LIMIT_MIB=64

rm -rf "$OUT"
dotnet publish "$ROOT/tools/Streaming.WindowBench/Streaming.WindowBench.csproj" -c Release -r linux-x64 --self-contained \
  -p:PublishTrimmed=true -p:DebugType=none -p:GenerateDocumentationFile=false -o "$OUT" --nologo -v quiet -clp:ErrorsOnly

if find "$OUT" -iname '*torch*' | grep -q .; then
  echo "publish-window-bench: TorchSharp or libtorch found in $OUT; the bench must not depend on it" >&2
  exit 1
fi
bytes=$(du -sb "$OUT" | cut -f1)
awk -v b="$bytes" -v o="$OUT" -v l="$LIMIT_MIB" 'BEGIN { printf "publish-window-bench: %s, %.1f MiB (limit %d MiB)\n", o, b / 1048576, l }'
if (( bytes >= LIMIT_MIB * 1048576 )); then
  echo "publish-window-bench: over the $LIMIT_MIB MiB a device run carries" >&2
  exit 1
fi

if [[ "${1:-}" == "--baseline" ]]; then
  dotnet build "$ROOT/tools/Control/Control.csproj" -c Release --nologo -v quiet -clp:ErrorsOnly
  dotnet "$ROOT/tools/Control/bin/Release/net10.0/control.dll" bench-backend --out "$OUT/baseline.tsv" "${@:2}"
fi
