#!/usr/bin/env bash
# `npm start`: install what is missing, build, then serve (migrations run on start).
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/ensure-install.sh
npm run build --silent
exec node server/dist/cli/index.js serve "$@"
