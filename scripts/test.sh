#!/usr/bin/env bash
# `npm test`: install what the tests need (idempotent), build, lint, typecheck, run every suite.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/ensure-install.sh
bash scripts/setup-test-env.sh
echo "› build"; npm run build --silent
echo "› lint"; npm run lint --silent
echo "› typecheck"; npm run typecheck --silent
mkdir -p test-results
echo "› tests"
status=0
rm -f test-results/summary.json
npx vitest run --reporter=default --reporter=./scripts/test-summary/reporter.mjs "$@" || status=$?
# Failures, blocked suites and unexplained skips by name, a timing table, then the closing line.
node scripts/test-summary.mjs test-results/summary.json || status=$?
exit $status
