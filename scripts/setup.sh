#!/usr/bin/env bash
# Installs what dxplan needs on a Debian machine, skipping what is already there.
# Sourced by run.sh and test.sh; safe to run again.
set -euo pipefail

SUDO=""
if [ "$(id -u)" -ne 0 ]; then SUDO="sudo"; fi

# The Rust the desktop app needs (tauri 2.12); the core crate builds with it too.
RUST_MIN=1.90
# Vite 7 needs Node.js 20.19 or later; Debian 12's own nodejs is 18.
NODE_MIN=20.19

# True when version $1 >= $2 (dotted numbers).
version_ge() {
  [ "$(printf '%s\n%s\n' "$2" "$1" | sort -V | head -n1)" = "$2" ]
}

# apt packages, installed only when missing (apt-get update once, only if needed).
ensure_apt() {
  local missing=()
  for p in "$@"; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
  done
  if [ ${#missing[@]} -gt 0 ]; then
    if [ -n "$SUDO" ] && ! command -v sudo >/dev/null 2>&1; then
      echo "Debian パッケージを入れるには root か sudo が必要です: ${missing[*]} / installing Debian packages needs root or sudo: ${missing[*]}" >&2
      exit 1
    fi
    echo "==> apt-get install ${missing[*]}（初回は数分かかります / a few minutes the first time）"
    $SUDO apt-get update -qq
    DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}"
  fi
}

ensure_rust() {
  if ! command -v cargo >/dev/null 2>&1; then
    [ -f "$HOME/.cargo/env" ] && . "$HOME/.cargo/env"
  fi
  if ! command -v cargo >/dev/null 2>&1; then
    echo "cargo が見つかりません。rustup で Rust ($RUST_MIN 以降) を入れてください / cargo not found: install Rust $RUST_MIN+ with rustup (https://rustup.rs)" >&2
    exit 1
  fi
  local have
  have=$(rustc --version | awk '{print $2}')
  if ! version_ge "$have" "$RUST_MIN"; then
    if command -v rustup >/dev/null 2>&1; then
      echo "==> rustup update stable (Rust $have < $RUST_MIN)"
      rustup update stable
    else
      echo "Rust $RUST_MIN 以降が必要です（現在 $have） / Rust $RUST_MIN+ is required (found $have)" >&2
      exit 1
    fi
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

# Node.js 20.19+ for the UI (Vite 7, Vitest). When the machine's node is older (Debian 12 ships
# 18), a Node.js 22 is installed from the npm registry into ~/.local/share/dxplan-node (no root
# needed) and put first on PATH for this script.
ensure_node() {
  local local_node="$HOME/.local/share/dxplan-node"
  if [ -x "$local_node/node_modules/.bin/node" ]; then
    export PATH="$local_node/node_modules/.bin:$PATH"
  fi
  if ! command -v npm >/dev/null 2>&1; then
    ensure_apt nodejs npm
  fi
  local have
  have=$(node -p 'process.versions.node' 2>/dev/null || echo 0)
  if ! version_ge "$have" "$NODE_MIN"; then
    echo "==> Node.js $have < $NODE_MIN: Node.js 22 を npm から $local_node に入れます / installing Node.js 22 from npm into $local_node"
    mkdir -p "$local_node"
    npm install --no-audit --no-fund --loglevel=error --prefix "$local_node" node@22
    export PATH="$local_node/node_modules/.bin:$PATH"
    have=$(node -p 'process.versions.node' 2>/dev/null || echo 0)
    if ! version_ge "$have" "$NODE_MIN"; then
      echo "Node.js $NODE_MIN 以降が必要です（現在 $have） / Node.js $NODE_MIN+ is required (found $have)" >&2
      exit 1
    fi
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
    echo "==> cargo install tauri-driver（約 1〜3 分 / about 1–3 minutes）"
    cargo install tauri-driver --version '^2' --locked
  fi
}

# Builds the UI (type check + bundle into ui/dist) and the desktop app (profile `desktop`: debug
# assertions on for the test hooks, fast to compile). Prints the binary's path.
build_app() {
  (cd ui && npm run --silent build >/dev/null) >&2
  # Progress on stderr: a cold build takes about 5 minutes on 2 cores.
  cargo build --locked -p dxplan-app --profile desktop >&2
  echo "target/desktop/dxplan-app"
}
