#!/usr/bin/env bash
# Installs npm dependencies when node_modules is missing or older than the lock file.
# Idempotent: a second run with nothing changed does nothing.
set -euo pipefail
cd "$(dirname "$0")/.."
marker=node_modules/.package-lock.json
if [[ ! -f "$marker" || package-lock.json -nt "$marker" ]]; then
  echo "› installing npm dependencies (npm ci)…"
  if ! npm ci --no-audit --no-fund --loglevel=error; then
    # CI checks that the committed lock installs exactly: a refusal there is a bug to fix
    # (`node scripts/complete-lock.mjs` restores other platforms' optional packages npm pruned).
    if [[ "${CI:-}" == "true" ]]; then
      echo "✗ npm ci refused package-lock.json; run 'node scripts/complete-lock.mjs' and commit the lock" >&2
      exit 1
    fi
    echo "› npm ci refused the lock file; falling back to npm install"
    npm install --no-audit --no-fund --loglevel=error
  fi
fi
