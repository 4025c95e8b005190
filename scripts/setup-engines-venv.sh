#!/usr/bin/env bash
# Builds the engines venv: mlx-openai-server and vllm-mlx on Linux CPU, beside (not inside) the
# core venv, because both pin mlx-lm<0.32. Every package comes from python/engines/requirements.txt,
# a complete pinned list installed with --no-deps, so pip never resolves: their GPU, audio, image
# and UI requirements (torchvision, mflux, mlx-whisper, mlx-vlm, gradio, mlx-cuda) stay out, and
# mlx keeps its CPU backend. outlines imports torch, so PyPI's torch comes along with the CUDA
# runtime wheels it loads at import (it runs on CPU; ~3.5 GB to download, ~5 GB on disk). The venv
# lives in a cache outside the checkout keyed by the inputs' hash (a rerun takes a second), is
# linked into .venv/bin and recorded in .venv/engines.json (docs/decisions/0001-*.md). uv installs
# the list (pinned below, fetched once into the cache); pip is the fallback.
# MLXM_SKIP_ENGINES_VENV=1 skips it (the engines are then reported as not installed).
set -euo pipefail
cd "$(dirname "$0")/.."

REQ=python/engines/requirements.txt
VENV=.venv
ENGINES=("mlx-openai-server:mlx-openai-server:launch" "vllm-mlx:vllm-mlx:serve")
log() { echo "› engines venv: $*"; }

if [[ ! -x "$VENV/bin/python" ]]; then
  echo "✗ engines venv: run scripts/setup-python.sh first (no $VENV)" >&2
  exit 1
fi
record_missing() {
  local spec kind script
  for spec in "${ENGINES[@]}"; do
    IFS=: read -r kind script _ <<<"$spec"
    rm -f "$VENV/bin/$script"
    "$VENV/bin/python" python/record_engine.py "$VENV/engines.json" "$kind" --missing "$1"
  done
}
if [[ "${MLXM_SKIP_ENGINES_VENV:-}" == 1 ]]; then
  log "skipped (MLXM_SKIP_ENGINES_VENV=1)"
  record_missing "skipped: MLXM_SKIP_ENGINES_VENV=1 when scripts/setup-engines-venv.sh ran"
  exit 0
fi
PY=${PYTHON:-python3}
key=$({ cat "$REQ" scripts/setup-engines-venv.sh; "$PY" --version; uname -sm; } | sha256sum | cut -c1-12)
CACHE_ROOT=${MLXM_CACHE_DIR:-${XDG_CACHE_HOME:-$HOME/.cache}/mlx-manager}
DEST="$CACHE_ROOT/engines-venv/$key"

mkdir -p "$CACHE_ROOT/engines-venv"
exec 7>"$CACHE_ROOT/engines-venv/.lock"
if command -v flock >/dev/null 2>&1; then flock 7; fi

# uv itself (a PyPI wheel holding one binary), kept in the cache beside the venvs.
UV_VERSION=0.13.9
install_with_uv() {
  local dir="$CACHE_ROOT/uv-$UV_VERSION"
  if [[ ! -x "$dir/bin/uv" ]]; then
    "$PY" -m pip --disable-pip-version-check --no-input install -q --target "$dir.tmp" "uv==$UV_VERSION" </dev/null || return 1
    rm -rf "$dir" && mv "$dir.tmp" "$dir" || return 1
  fi
  # copy: the uv cache may sit on another file system than the venv.
  UV_LINK_MODE=copy "$dir/bin/uv" pip install -q --no-deps --python "$DEST/bin/python" -r "$REQ" </dev/null
}

# Each step says `|| return 1`: set -e does not apply inside a function called from `if !`.
build() {
  local start=$SECONDS spec script sub old
  rm -rf "$DEST"
  log "creating $DEST"
  "$PY" -m venv "$DEST" || return 1
  local pip=("$DEST/bin/python" -m pip --disable-pip-version-check --no-input)
  log "installing $REQ with --no-deps (~3.5 GB to download: torch and its CUDA runtime)"
  # uv downloads the wheels in parallel and unpacks them several times faster than pip; pip
  # stays the fallback (same list, same --no-deps, so the same packages either way).
  if ! install_with_uv; then
    log "uv was not usable; installing with pip instead, into a new venv"
    rm -rf "$DEST" && "$PY" -m venv "$DEST" || return 1
    "${pip[@]}" install -q --upgrade pip </dev/null || return 1
    "${pip[@]}" install -q --no-deps -r "$REQ" </dev/null || return 1
  fi
  log "checking the CPU backend and both command lines"
  "$DEST/bin/python" -c 'import mlx.core as mx; assert str(mx.default_device()).startswith("Device(cpu"), mx.default_device(); mx.eval(mx.ones(2) + 1)' || return 1
  if "${pip[@]}" list 2>/dev/null | grep -qiE '^mlx-cuda'; then
    echo "✗ engines venv: a CUDA package got in (it would replace mlx's CPU backend)" >&2
    return 1
  fi
  for spec in "${ENGINES[@]}"; do
    IFS=: read -r _ script sub <<<"$spec"
    timeout 300 "$DEST/bin/$script" "$sub" --help >/dev/null </dev/null || { echo "✗ engines venv: '$script $sub --help' fails" >&2; return 1; }
  done
  echo "$((SECONDS - start))" >"$DEST/.complete"
  log "built in $((SECONDS - start))s ($(du -sh "$DEST" | cut -f1))"
  # Older builds (other inputs) are dead weight: several GB each.
  for old in "$CACHE_ROOT"/engines-venv/*/; do
    [[ "${old%/}" == "$DEST" ]] || rm -rf "${old%/}"
  done
}

if [[ -f "$DEST/.complete" ]]; then
  log "cached ($DEST)"
elif ! build; then
  # Not fatal for the test setup: engines.json says why, and the real-engine suite reports it.
  record_missing "the engines venv install failed (scripts/setup-engines-venv.sh)"
  echo "✗ engines venv: install failed; recorded as not installed" >&2
  exit 0
fi

for spec in "${ENGINES[@]}"; do
  IFS=: read -r kind script _ <<<"$spec"
  ln -sfn "$DEST/bin/$script" "$VENV/bin/$script"
  version=$("$DEST/bin/python" -c 'import importlib.metadata as m, sys; print(m.version(sys.argv[1]))' "$kind")
  "$VENV/bin/python" python/record_engine.py "$VENV/engines.json" "$kind" "$version" "$VENV/bin/$script" "venv=$DEST"
  log "$kind $version linked as $VENV/bin/$script"
done
