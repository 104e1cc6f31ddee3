#!/usr/bin/env bash
# Run dxplan on the bundled sample plan. Until the desktop app lands, this builds the CLI,
# writes the sample plan and prints its summary.
set -euo pipefail
cd "$(dirname "$0")/.."
. scripts/setup.sh
ensure_core

cargo build --quiet --bin dxplan
DXPLAN=target/debug/dxplan
PLAN="${DXPLAN_PLAN:-target/sample/onojo.dxplan}"
mkdir -p "$(dirname "$PLAN")"
rm -f "$PLAN" "$PLAN-wal" "$PLAN-shm"
"$DXPLAN" sample "$PLAN"
echo
echo "計画ファイル / plan file: $PLAN"
echo "点検 / check:"
"$DXPLAN" check "$PLAN" || true
