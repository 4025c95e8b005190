#!/usr/bin/env bash
# Waits for the installs scripts/setup-test-env.sh started in the background
# (MLXM_SETUP_BACKGROUND=<folder>), prints how long each took and how long we waited, and exits
# non-zero — after printing the end of its log — when one failed or reported a failure ("✗"):
# a failed install is recorded in .venv/engines.json and the suites name it, but the run must
# not look green. Gives up after MLXM_SETUP_WAIT_SECONDS (default 3600).
set -euo pipefail
dir=${MLXM_SETUP_BACKGROUND:?set MLXM_SETUP_BACKGROUND to the folder setup-test-env.sh logged to}
limit=${MLXM_SETUP_WAIT_SECONDS:-3600}
status=0
for log in "$dir"/*.log; do
  [[ -e "$log" ]] || continue
  step=$(basename "$log" .log)
  t0=$SECONDS
  while [[ ! -f "$dir/$step.done" ]] && ((SECONDS - t0 < limit)); do sleep 2; done
  if [[ ! -f "$dir/$step.done" ]]; then
    echo "✗ $step: still running after ${limit}s of waiting (log: $log)" >&2
    tail -n 20 "$log" >&2
    status=1
    continue
  fi
  read -r rc seconds <"$dir/$step.done"
  echo "› $step: ${seconds} s in the background (waited $((SECONDS - t0)) s for it)"
  if [[ "$rc" != 0 ]] || grep -q '^✗' "$log"; then
    echo "✗ $step failed (exit $rc); the end of $log:" >&2
    tail -n 30 "$log" | sed 's/^/    /' >&2
    status=1
  fi
done
exit $status
