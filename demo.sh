#!/usr/bin/env bash
# The main job: the whole pipeline end to end on embedded Kafka (librdkafka mock cluster) and Redis.
# Installs what is missing, builds, trains the two demo models once (cached in .artifacts/), runs the demo.
# Extra arguments go to `control demo` (for example --report report.json).
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
cd "$ROOT"
infra/install-deps.sh
dotnet build Streaming.sln -c Release --nologo -v quiet -clp:ErrorsOnly
exec dotnet tools/Control/bin/Release/net10.0/control.dll demo "$@"
