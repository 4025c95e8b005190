#!/usr/bin/env bash
# `npm run bench [-- <name>… [--option…]]`: runs the benchmarks (default: all) and writes
# bench/results/*.md. Names come first; from the first argument starting with `--` on, the rest
# goes to every selected benchmark (e.g. `npm run bench -- gateway --seconds 5 --no-profile`).
# Each benchmark is bench/<name>/run.ts; add a line to BENCHES to wire a new one.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/ensure-install.sh
BENCHES=(download gateway)
selected=()
options=()
for arg in "$@"; do
  if ((${#options[@]})) || [[ "$arg" == --* ]]; then options+=("$arg"); else selected+=("$arg"); fi
done
((${#selected[@]})) || selected=("${BENCHES[@]}")
for name in "${selected[@]}"; do
  if [[ ! -f "bench/$name/run.ts" ]]; then echo "✗ unknown benchmark: $name (have: ${BENCHES[*]})" >&2; exit 2; fi
  # The download bench compares against aria2c and hf_transfer: install them first.
  if [[ "$name" == download ]]; then bash scripts/setup-bench.sh; fi
  echo "› bench $name"
  npx tsx "bench/$name/run.ts" ${options[@]+"${options[@]}"}
done
