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

# LibreOffice headless (no GUI): scripts/check_libreoffice.sh opens exported workbooks with it.
ensure_office() {
  ensure_apt libreoffice-calc-nogui
}

ensure_core() {
  ensure_rust
  # gcc builds the bundled SQLite; pkg-config for -sys crates.
  ensure_apt build-essential pkg-config
}

# Node.js 20.19+ for the UI (Vite 7, Vitest 4). The machine image ships it; Debian's own
# nodejs package is older, so it is only a fallback.
ensure_node() {
  if ! command -v node >/dev/null 2>&1; then
    ensure_apt nodejs npm
  fi
  local major
  major=$(node -p 'process.versions.node.split(".")[0]' 2>/dev/null || echo 0)
  if [ "$major" -lt 20 ]; then
    echo "Node.js 20 以降が必要です（現在 $(node --version 2>/dev/null || echo なし)） / Node.js 20+ is required" >&2
    exit 1
  fi
}

# The desktop app (issue 6): WebKitGTK and GTK for Tauri, the WebDriver pieces and Xvfb for the
# end-to-end tests, Japanese fonts for the UI, the UI's npm packages, and tauri-driver.
ensure_app() {
  ensure_core
  ensure_apt libwebkit2gtk-4.1-dev libgtk-3-dev libsoup-3.0-dev libjavascriptcoregtk-4.1-dev \
    librsvg2-dev libxdo-dev libssl-dev webkit2gtk-driver xvfb xauth fonts-noto-cjk
  ensure_node
  if [ ! -d ui/node_modules ] || [ ui/package-lock.json -nt ui/node_modules/.package-lock.json ]; then
    echo "==> npm ci (ui/)"
    (cd ui && npm ci --no-audit --no-fund --loglevel=error)
  fi
  if ! command -v tauri-driver >/dev/null 2>&1 && [ ! -x "$HOME/.cargo/bin/tauri-driver" ]; then
    echo "==> cargo install tauri-driver"
    cargo install tauri-driver --version '^2' --locked --quiet
  fi
}

# Builds the UI (type check + bundle into ui/dist) and the desktop app (profile `desktop`: debug
# assertions on for the test hooks, fast to compile). Prints the binary's path.
build_app() {
  (cd ui && npm run --silent build >/dev/null)
  cargo build --locked --quiet -p dxplan-app --profile desktop
  echo "target/desktop/dxplan-app"
}
