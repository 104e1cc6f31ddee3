#!/usr/bin/env bash
# Every test of dxplan. CI runs exactly this (.ci/run).
set -euo pipefail
cd "$(dirname "$0")/.."
. scripts/setup.sh
ensure_core

start=$(date +%s)
log=$(mktemp)
trap 'rm -f "$log"' EXIT

echo "==> cargo test (core crate: unit, integration and CLI tests)"
set +e
cargo test --locked 2>&1 | tee "$log"
status=${PIPESTATUS[0]}
set -e
passed=$(grep -Eo "[0-9]+ passed" "$log" | awk '{s+=$1} END {print s+0}')
failed=$(grep -Eo "[0-9]+ failed" "$log" | awk '{s+=$1} END {print s+0}')

if [ "$status" -eq 0 ]; then
  echo "==> benches compile"
  cargo check --locked --quiet --benches || status=$?
fi

echo "==> $(( $(date +%s) - start )) s"
echo "tests: ${passed} passed, ${failed} failed"
exit "$status"
