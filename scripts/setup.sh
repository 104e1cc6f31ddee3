#!/usr/bin/env bash
# Installs what dxplan needs on a Debian machine, skipping what is already there.
# Sourced by run.sh and test.sh; safe to run again.
set -euo pipefail

SUDO=""
if [ "$(id -u)" -ne 0 ]; then SUDO="sudo"; fi

# apt packages, installed only when missing (apt-get update once, only if needed).
ensure_apt() {
  local missing=()
  for p in "$@"; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
  done
  if [ ${#missing[@]} -gt 0 ]; then
    echo "==> apt-get install ${missing[*]}"
    $SUDO apt-get update -qq
    DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}"
  fi
}

ensure_rust() {
  if ! command -v cargo >/dev/null 2>&1; then
    [ -f "$HOME/.cargo/env" ] && . "$HOME/.cargo/env"
  fi
  if ! command -v cargo >/dev/null 2>&1; then
    echo "cargo が見つかりません。rustup で Rust (1.80 以降) を入れてください / cargo not found: install Rust 1.80+ with rustup" >&2
    exit 1
  fi
}

ensure_core() {
  ensure_rust
  # gcc builds the bundled SQLite; pkg-config for -sys crates.
  ensure_apt build-essential pkg-config
}
