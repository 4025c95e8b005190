#!/usr/bin/env bash
# Installs what the test suites need beyond npm, idempotently:
#  - Debian's chromium (driven by playwright-core; no browser download)
#  - Debian's postgresql (the test setup starts a throw-away cluster itself)
#  - the project's Python venv with the real engines (scripts/setup-python.sh)
#  - llama-server, built once per machine into a cache (scripts/setup-llama-server.sh; needs
#    cmake, g++, ninja-build)
#  - mlx-openai-server and vllm-mlx in the engines venv, cached (scripts/setup-engines-venv.sh)
set -euo pipefail
cd "$(dirname "$0")/.."
need=()
command -v chromium >/dev/null 2>&1 || need+=(chromium)
ls /usr/lib/postgresql/*/bin/postgres >/dev/null 2>&1 || need+=(postgresql)
command -v pg_createcluster >/dev/null 2>&1 || need+=(postgresql-common)
command -v cmake >/dev/null 2>&1 || need+=(cmake)
command -v g++ >/dev/null 2>&1 || need+=(g++)
command -v ninja >/dev/null 2>&1 || need+=(ninja-build)
if ((${#need[@]})); then
  echo "› apt-get install ${need[*]}"
  SUDO=""; [[ $(id -u) -ne 0 ]] && SUDO="sudo"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${need[@]}" >/dev/null
fi
if [[ -x scripts/setup-python.sh ]]; then bash scripts/setup-python.sh; fi
# Timed, so a slow CI run shows which install took the time (both are cache hits after the first run).
for step in setup-llama-server setup-engines-venv; do
  t0=$SECONDS
  bash "scripts/$step.sh"
  echo "› $step: $((SECONDS - t0)) s"
done
