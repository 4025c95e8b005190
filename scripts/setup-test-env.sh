#!/usr/bin/env bash
# Installs what the test suites need beyond npm, idempotently:
#  - Debian's chromium (driven by playwright-core; no browser download)
#  - Debian's postgresql (the test setup starts a throw-away cluster itself)
#  - the project's Python venv with the real engines (scripts/setup-python.sh)
set -euo pipefail
cd "$(dirname "$0")/.."
need=()
command -v chromium >/dev/null 2>&1 || need+=(chromium)
ls /usr/lib/postgresql/*/bin/postgres >/dev/null 2>&1 || need+=(postgresql)
command -v pg_createcluster >/dev/null 2>&1 || need+=(postgresql-common)
if ((${#need[@]})); then
  echo "› apt-get install ${need[*]}"
  SUDO=""; [[ $(id -u) -ne 0 ]] && SUDO="sudo"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${need[@]}" >/dev/null
fi
if [[ -x scripts/setup-python.sh ]]; then bash scripts/setup-python.sh; fi
