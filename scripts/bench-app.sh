#!/usr/bin/env bash
# Bench of the desktop app (issue 6) under Xvfb: cold start to an interactive plan tree (sample
# plan and a generated 10,000-project plan) and edit-saved latency (p50/p90/p99). Builds the
# release app by default; `bench-app.sh --desktop` uses the faster-to-build `desktop` profile
# (unoptimised dependencies, so its figures are pessimistic). Each start prints where its time
# went (the shell's DXPLAN_TIMING lines and the page's own times). BENCH_RUNS, BENCH_RUNS_10K
# and BENCH_EDITS (0: the cold starts only) set the counts (tests/e2e/bench.mjs).
set -euo pipefail
cd "$(dirname "$0")/.."
. scripts/setup.sh
ensure_app
(cd ui && npm run --silent build >/dev/null)
PROFILE=release
[ "${1:-}" = "--desktop" ] && PROFILE=desktop
echo "==> cargo build --profile $PROFILE (dxplan-app, dxplan CLI)"
cargo build --locked --quiet -p dxplan-app --profile "$PROFILE"
cargo build --locked --quiet --bin dxplan --profile "$PROFILE"
DXPLAN_APP="$PWD/target/$PROFILE/dxplan-app" DXPLAN_CLI="$PWD/target/$PROFILE/dxplan" node tests/e2e/bench.mjs
