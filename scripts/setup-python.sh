#!/usr/bin/env bash
# Creates the project's Python venv (.venv/) with the real engines and the official Hugging Face
# tooling that the test suites drive: mlx[cpu] + mlx-lm (mlx_lm.server), huggingface_hub,
# transformers (no torch), safetensors, numpy, gguf. Then tries the optional engines
# (python/requirements-optional.txt) without ever failing on them, and records what is there in
# .venv/engines.json. Idempotent: a stamp holding a hash of the inputs makes a rerun instant.
set -euo pipefail
cd "$(dirname "$0")/.."

VENV=.venv
REQ=python/requirements.txt
CONS=python/constraints.txt
OPT=python/requirements-optional.txt
STAMP="$VENV/.setup-stamp"
log() { echo "› python: $*"; }
# One setup at a time per checkout (test runs may start it together): lock this script's file.
if command -v flock >/dev/null 2>&1; then
  exec 9<scripts/setup-python.sh
  flock 9
fi

PY=${PYTHON:-python3}
if ! "$PY" -c 'import sys; sys.exit(0 if (3, 10) <= sys.version_info[:2] < (3, 14) else 1)' 2>/dev/null; then
  echo "✗ python: need Python 3.10–3.13 as '$PY' (set PYTHON=...)" >&2
  exit 1
fi

inputs_hash() {
  { cat "$REQ" "$CONS" "$OPT" scripts/setup-python.sh python/*.py; "$PY" --version; uname -sm; } |
    sha256sum | cut -d' ' -f1
}
want=$(inputs_hash)
if [[ -x "$VENV/bin/python" && -f "$STAMP" && "$(cat "$STAMP")" == "$want" && -f "$VENV/engines.json" ]]; then
  log "venv up to date ($VENV, engines in $VENV/engines.json)"
  exit 0
fi

start=$SECONDS
rm -f "$STAMP"
if [[ -e "$VENV" ]] && ! "$VENV/bin/python" -c '' 2>/dev/null; then
  log "removing broken $VENV (its Python is gone or changed)"
  rm -rf "$VENV"
fi
if [[ ! -x "$VENV/bin/python" ]]; then
  log "creating $VENV"
  "$PY" -m venv "$VENV"
fi
VPY="$VENV/bin/python"
PIP=("$VPY" -m pip --disable-pip-version-check --no-input)
log "upgrading pip"
"${PIP[@]}" install -q --upgrade pip
log "installing core packages ($REQ)"
"${PIP[@]}" install -q -r "$REQ" -c "$CONS"
log "checking imports"
"$VPY" -c 'import mlx.core as mx, mlx_lm, transformers, huggingface_hub, safetensors, numpy, gguf; mx.eval(mx.ones(2) + 1)'

# Optional engines: refuse those that declare torch themselves (dry run, no deps), then resolve
# with the core pins held and refuse plans that bring torch/CUDA; install the rest and require
# the console script to answer --help.
reasons=()
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
ARGV_VENV="$VENV/argv-check"
# Only the core's own pins hold during resolution (extras dropped): the full freeze in $CONS
# would refuse any engine that needs another version of some small transitive package.
sed 's/\[[^]]*\]//' "$REQ" >"$tmp/core-pins.txt"
while read -r req script help_args; do
  [[ -z "$req" || "$req" == \#* ]] && continue
  name=${req%%[=<>~!]*}
  log "trying optional engine $req"
  read -r -a help <<<"$help_args"
  if "${PIP[@]}" install -q --dry-run --no-deps --report "$tmp/$name.direct.json" "$req" >/dev/null 2>&1 </dev/null &&
    ! why=$("$VPY" python/install_plan.py "$tmp/$name.direct.json" </dev/null); then
    :
  elif ! "${PIP[@]}" install --dry-run --report "$tmp/$name.json" "$req" -c "$tmp/core-pins.txt" >"$tmp/$name.log" 2>&1 </dev/null; then
    why="it conflicts with the pinned core: $(grep -A3 'conflict is caused by' "$tmp/$name.log" | grep -m1 'depends on' | sed 's/^ *//' || echo 'pip found no solution')"
  elif ! why=$("$VPY" python/install_plan.py "$tmp/$name.json" </dev/null); then
    :
  elif ! "${PIP[@]}" install -q "$req" -c "$tmp/core-pins.txt" >"$tmp/$name.log" 2>&1 </dev/null; then
    why="pip install failed: $(tail -n1 "$tmp/$name.log")"
  elif ! timeout 120 "$VENV/bin/$script" "${help[@]}" >"$tmp/$name.help" 2>&1 </dev/null; then
    why="installed but '$script ${help[*]}' fails: $(tail -n1 "$tmp/$name.help")"
  else
    log "  $name installed"
    continue
  fi
  log "  $name skipped: $why"
  reasons+=("$name=$why")
  # Argv-check copy: the package alone (--no-deps) in a side venv that sees the core packages.
  if [[ ! -x "$ARGV_VENV/bin/python" ]]; then
    "$PY" -m venv "$ARGV_VENV"
    "$VPY" -c 'import site; print(site.getsitepackages()[0])' \
      >"$("$ARGV_VENV/bin/python" -c 'import site; print(site.getsitepackages()[0])')/_core_venv.pth"
  fi
  if "$ARGV_VENV/bin/python" -m pip --disable-pip-version-check -q install --no-deps "$req" >"$tmp/$name.argv.log" 2>&1 </dev/null &&
    timeout 120 "$ARGV_VENV/bin/$script" "${help[@]}" >"$tmp/$name.argv.help" 2>&1 </dev/null; then
    log "  $name: argv-check copy in $ARGV_VENV ('$script ${help[*]}' works)"
  else
    log "  $name: no argv-check copy either ($(tail -n1 "$tmp/$name.argv.help" 2>/dev/null || tail -n1 "$tmp/$name.argv.log"))"
    "$ARGV_VENV/bin/python" -m pip --disable-pip-version-check -q uninstall -y "$name" >/dev/null 2>&1 </dev/null || true
  fi
done <"$OPT"

"$VPY" python/write_engines_json.py "$VENV/engines.json" "${reasons[@]}"
log "engines: $("$VPY" -c 'import json; d = json.load(open(".venv/engines.json")); print(", ".join(k + ("@" + v["version"] if v["installed"] else " (no)") for k, v in d["engines"].items()))')"
echo "$want" >"$STAMP"
log "done in $((SECONDS - start))s"
