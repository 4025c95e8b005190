#!/usr/bin/env bash
# What `npm run bench download` needs beyond the test setup: Debian's aria2 (aria2c, a
# multi-connection downloader) and a small venv (.venv/bench) with huggingface_hub + hf_transfer
# from python/bench/requirements.txt. Idempotent: a stamp of the requirements skips the venv.
set -euo pipefail
cd "$(dirname "$0")/.."
log() { echo "› bench setup: $*"; }
if ! command -v aria2c >/dev/null 2>&1; then
  log "apt-get install aria2"
  SUDO=""; [[ $(id -u) -ne 0 ]] && SUDO="sudo"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends aria2 >/dev/null
fi
VENV=.venv/bench
REQ=python/bench/requirements.txt
want=$({ cat "$REQ"; python3 --version; } | sha256sum | cut -d' ' -f1)
if [[ -x "$VENV/bin/python" && "$(cat "$VENV/.stamp" 2>/dev/null)" == "$want" ]]; then
  log "venv up to date ($VENV)"
  exit 0
fi
rm -rf "$VENV"
python3 -m venv "$VENV"
"$VENV/bin/python" -m pip --disable-pip-version-check --no-input install -q -r "$REQ" </dev/null
"$VENV/bin/python" -c 'import hf_transfer, huggingface_hub; print("huggingface_hub", huggingface_hub.__version__)'
echo "$want" >"$VENV/.stamp"
