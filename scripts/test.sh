#!/usr/bin/env bash
# `npm test`: install what the tests need (idempotent), build, lint, typecheck, run every suite.
# The two slow installs (llama-server build, engines venv) start in the background and overlap
# build, lint, typecheck and the suites that do not need them; the suites that read
# .venv/engines.json run last, once every install that writes it has finished. Arguments
# (`npm test -- <filter>`) run one vitest pass after every install instead.
# Ends with a time per step, the suites' own summary and one closing line.
set -euo pipefail
cd "$(dirname "$0")/.."
mkdir -p test-results
export MLXM_SETUP_BACKGROUND=test-results/setup
steps=()
timed() { # timed <label> <command...>: runs it, keeps its seconds for the table at the end
  local label=$1 t0=$SECONDS rc=0
  shift
  echo "› $label"
  "$@" || rc=$?
  steps+=("$(printf '%6d s  %s' $((SECONDS - t0)) "$label")")
  return $rc
}
start=$SECONDS
# The test environment first: the background installs then also overlap npm ci.
timed "test environment (apt, core venv; slow installs started)" bash scripts/setup-test-env.sh
timed "npm install" bash scripts/ensure-install.sh
timed build npm run build --silent
timed lint npm run lint --silent
timed typecheck npm run typecheck --silent

status=0
rm -f test-results/summary*.json
run_vitest() { # run_vitest <summary file> <vitest arguments...>
  MLX_MANAGER_TEST_SUMMARY_FILE=$1 npx vitest run --reporter=default --reporter=./scripts/test-summary/reporter.mjs "${@:2}"
}
if (($#)); then
  timed "wait for the background installs" bash scripts/setup-wait.sh || status=$?
  timed tests run_vitest test-results/summary-1.json "$@" || status=$?
else
  # Suites that read .venv/engines.json need the background installs' entries: they run last.
  # They read it through server/test/real-engines/setup.ts (readEnginesJson, requireEnginesDoc).
  mapfile -t late < <(grep -rlE 'engines\.json|readEnginesJson|requireEnginesDoc' server/test --include='*.test.ts' | sort)
  excludes=()
  for f in "${late[@]}"; do excludes+=(--exclude "**/${f#server/}"); done
  timed "tests (all but the ${#late[@]} files that read engines.json)" run_vitest test-results/summary-1.json "${excludes[@]}" || status=$?
  timed "wait for the background installs" bash scripts/setup-wait.sh || status=$?
  if ((${#late[@]})); then
    timed "tests (the files that read engines.json)" run_vitest test-results/summary-2.json --project server "${late[@]}" || status=$?
  fi
fi
echo
echo "Time per step ($((SECONDS - start)) s in all):"
printf '  %s\n' "${steps[@]}"
# One summary for both passes: failures, blocked suites and unexplained skips by name, a timing
# table, then the closing line.
node scripts/test-summary.mjs test-results/summary-1.json test-results/summary-2.json || status=$?
exit $status
