#!/usr/bin/env bash
# `npm start`: install what is missing, build what changed since the last build, then serve
# (migrations run on start). `npm run build` rebuilds everything.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/ensure-install.sh
node scripts/build-if-stale.mjs
exec node server/dist/cli/index.js serve "$@"
