#!/usr/bin/env bash
# Installs npm dependencies when node_modules is missing or older than the lock file.
# Idempotent: a second run with nothing changed does nothing.
set -euo pipefail
cd "$(dirname "$0")/.."
marker=node_modules/.package-lock.json
if [[ ! -f "$marker" || package-lock.json -nt "$marker" ]]; then
  echo "› installing npm dependencies (npm ci)…"
  if ! npm ci --no-audit --no-fund --loglevel=error; then
    # npm sometimes prunes other platforms' optional packages from the lock file, which makes
    # `npm ci` refuse it; a plain install from the same lock still pins every version.
    echo "› npm ci refused the lock file; falling back to npm install"
    npm install --no-audit --no-fund --loglevel=error
  fi
fi
