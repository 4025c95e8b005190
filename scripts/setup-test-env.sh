#!/usr/bin/env bash
# Installs what the test suites need beyond npm, idempotently:
#  - Debian's chromium (driven by playwright-core; no browser download)
#  - Debian's postgresql (the test setup starts a throw-away cluster itself)
#  - the project's Python venv with the real engines (scripts/setup-python.sh)
#  - llama-server, built once per machine into a cache (scripts/setup-llama-server.sh; needs
#    cmake, g++, ninja-build)
#  - mlx-openai-server and vllm-mlx in the engines venv, cached (scripts/setup-engines-venv.sh)
# The last two may run in the background (MLXM_SETUP_BACKGROUND below).
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
# The two slow installs are independent of each other and of build/lint/typecheck.
# With MLXM_SETUP_BACKGROUND=<folder> (scripts/test.sh sets it) they start in the background,
# each logging to <folder>/<step>.log and writing "<exit code> <seconds>" to <folder>/<step>.done;
# scripts/setup-wait.sh waits for them and reports. Without it they run here, one after the other.
# Either way they are timed, so a slow run shows which install took the time (both are cache hits
# after the first run).
steps=(setup-llama-server setup-engines-venv)
if [[ -n "${MLXM_SETUP_BACKGROUND:-}" ]]; then
  mkdir -p "$MLXM_SETUP_BACKGROUND"
  lower=(nice -n 10)
  if command -v ionice >/dev/null 2>&1; then lower=(ionice -c 2 -n 7 "${lower[@]}"); fi
  for step in "${steps[@]}"; do
    rm -f "$MLXM_SETUP_BACKGROUND/$step".{log,done}
    # Lower CPU and disk priority: the suites running meanwhile have timeouts, the installs do not.
    (
      t0=$SECONDS rc=0
      "${lower[@]}" bash "scripts/$step.sh" >"$MLXM_SETUP_BACKGROUND/$step.log" 2>&1 </dev/null || rc=$?
      echo "$rc $((SECONDS - t0))" >"$MLXM_SETUP_BACKGROUND/$step.done"
    ) >/dev/null 2>&1 &
    echo "› $step: started in the background (log: $MLXM_SETUP_BACKGROUND/$step.log)"
  done
  exit 0
fi
for step in "${steps[@]}"; do
  t0=$SECONDS
  bash "scripts/$step.sh"
  echo "› $step: $((SECONDS - t0)) s"
done
