#!/usr/bin/env bash
# Every test of dxplan. CI runs exactly this (.ci/run).
set -euo pipefail
cd "$(dirname "$0")/.."
. scripts/setup.sh
ensure_core
# poppler-utils: tests/report.rs reads the committee report's PDF back (pdftotext, pdffonts, pdfinfo).
ensure_apt poppler-utils
# LibreOffice headless: tests/export.rs re-saves exports with it, check_libreoffice.sh recalculates.
ensure_office || echo "LibreOffice を入れられませんでした / could not install LibreOffice (its checks are skipped)"

# A one-off build: incremental caches would only take disk (CI's is small).
export CARGO_INCREMENTAL=0

start=$(date +%s)
log=$(mktemp)
trap 'rm -f "$log"' EXIT

# The style gate, before any test: rustfmt.toml's layout and clippy without warnings (missing_docs
# included) on the core crate; app_tests below does the same for the desktop shell. A failure is
# reported here and again at the end, and the tests still run.
style_status=0
style_failed() {
  echo "!!! スタイル検査の失敗: $1 / style gate failed: $1" >&2
  echo "    直すには / to fix: $2" >&2
  style_status=1
}
ensure_lint_tools() {
  if command -v rustup >/dev/null 2>&1; then
    cargo fmt --version >/dev/null 2>&1 || rustup component add rustfmt
    cargo clippy --version >/dev/null 2>&1 || rustup component add clippy
  fi
}
ensure_lint_tools
echo "==> style: cargo fmt --all --check"
cargo fmt --all --check || style_failed "cargo fmt" "cargo fmt --all"
echo "==> style: cargo clippy (core crate, every target, -D warnings)"
cargo clippy --locked --all-targets -- -D warnings \
  || style_failed "cargo clippy (core)" "cargo clippy --all-targets, then fix each warning"

echo "==> cargo test (core crate: unit, integration and CLI tests)"
set +e
cargo test --locked 2>&1 | tee "$log"
status=${PIPESTATUS[0]}
set -e
passed=$(grep -Eo "[0-9]+ passed" "$log" | awk '{s+=$1} END {print s+0}')
failed=$(grep -Eo "[0-9]+ failed" "$log" | awk '{s+=$1} END {print s+0}')

if [ "$status" -eq 0 ]; then
  echo "==> LibreOffice: exported workbooks open, recalculate and convert"
  bash scripts/check_libreoffice.sh || status=$?
fi

if [ "$status" -eq 0 ]; then
  echo "==> benches compile"
  cargo check --locked --quiet --benches || status=$?
fi

# The desktop app (issue 6): UI unit tests, the shell's Rust tests, end-to-end tests of the real
# app in its real webview (tauri-driver + WebKitWebDriver under Xvfb). Each runner's summary is
# printed and added to the totals.
app_tests() {
  ensure_app
  set +e  # run every runner and count, even when one fails
  local vlog
  vlog=$(mktemp)
  echo "==> Vitest (ui/): formatting, undo/redo, IME, filters, virtual list"
  (cd ui && npx vitest run 2>&1) | tee "$vlog"
  local v_status=${PIPESTATUS[0]}
  local vp vf
  vp=$(sed 's/\x1b\[[0-9;]*m//g' "$vlog" | grep -E "^ +Tests " | grep -Eo "[0-9]+ passed" | grep -Eo "[0-9]+" || echo 0)
  vf=$(sed 's/\x1b\[[0-9;]*m//g' "$vlog" | grep -E "^ +Tests " | grep -Eo "[0-9]+ failed" | grep -Eo "[0-9]+" || echo 0)
  echo "vitest: ${vp:-0} passed, ${vf:-0} failed"
  passed=$((passed + ${vp:-0})); failed=$((failed + ${vf:-0}))
  [ "$v_status" -eq 0 ] || status=1

  echo "==> UI build (tsc + vite) and desktop shell tests (bindings up to date, commands)"
  (cd ui && npm run --silent build) || status=1
  echo "==> style: cargo clippy (desktop shell, every target, -D warnings)"
  cargo clippy --locked -p dxplan-app --profile desktop --all-targets -- -D warnings \
    || style_failed "cargo clippy (dxplan-app)" "cargo clippy -p dxplan-app --profile desktop --all-targets"
  cargo test --locked -p dxplan-app --profile desktop 2>&1 | tee "$vlog"
  [ "${PIPESTATUS[0]}" -eq 0 ] || status=1
  passed=$((passed + $(grep -Eo "[0-9]+ passed" "$vlog" | awk '{s+=$1} END {print s+0}')))
  failed=$((failed + $(grep -Eo "[0-9]+ failed" "$vlog" | awk '{s+=$1} END {print s+0}')))

  echo "==> end-to-end tests of the app (tauri-driver, WebKitWebDriver, Xvfb)"
  cargo build --locked --quiet -p dxplan-app --profile desktop || status=1
  DXPLAN_APP="$PWD/target/desktop/dxplan-app" node --test --test-concurrency=1 tests/e2e/ 2>&1 | tee "$vlog"
  [ "${PIPESTATUS[0]}" -eq 0 ] || status=1
  local ep ef
  ep=$(grep -E "^# pass " "$vlog" | awk '{print $3}'); ef=$(grep -E "^# fail " "$vlog" | awk '{print $3}')
  echo "e2e: ${ep:-0} passed, ${ef:-0} failed (screenshots of failures: target/e2e-artifacts/)"
  passed=$((passed + ${ep:-0})); failed=$((failed + ${ef:-0}))
  rm -f "$vlog"
  set -e
}
app_tests

echo "==> $(( $(date +%s) - start )) s"
if [ "$style_status" -ne 0 ]; then
  echo "!!! スタイル検査に失敗しました（上の !!! を参照） / the style gate failed (see !!! above)" >&2
  status=1
fi
echo "tests: ${passed} passed, ${failed} failed"
exit "$status"
