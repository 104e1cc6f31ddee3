#!/usr/bin/env bash
# Fuzzing (issue 7): cargo-fuzz targets in fuzz/ (a workspace of its own; `cargo test` never
# builds it). Installs cargo-fuzz if missing, writes the seed corpus from the test fixtures, then
# runs each target for SECS seconds (default 300):
#   scripts/fuzz.sh                        # all four targets
#   SECS=60 scripts/fuzz.sh parse_values   # one target, one minute
# Targets: import_workbook (bytes → workbook → layouts → dry-run import), parse_values (value,
# money, fiscal-year and label parsers), merge_tampered (a real department workbook with bytes or
# parts tampered, merged into a copy of the sample plan), register_check (the hidden sheet of that
# workbook forged as an attacker would, every plain hash recomputed: a forgery merged is a crash).
# A crash is written to
# fuzz/artifacts/TARGET/; fix it, then copy the input to tests/fixtures/fuzz/TARGET/ so
# tests/fuzz_regressions.rs replays it in every `cargo test`.
# Only stable Rust is needed: RUSTC_BOOTSTRAP=1 lets it take cargo-fuzz's nightly flags
# (-Zsanitizer=address). Builds go to target/fuzz, apart from the normal builds.
set -euo pipefail
cd "$(dirname "$0")/.."
. scripts/setup.sh
ensure_core
command -v cargo-fuzz >/dev/null 2>&1 || cargo install cargo-fuzz --locked
export RUSTC_BOOTSTRAP=1
export CARGO_TARGET_DIR="$PWD/target/fuzz"
SECS=${SECS:-300}
TARGETS=${*:-import_workbook parse_values merge_tampered register_check}

echo "==> seed corpus (fuzz/corpus/) from the test fixtures"
fx=$(mktemp -d)
trap 'rm -rf "$fx"' EXIT
DXPLAN_FIXTURE_OUT="$fx" env -u CARGO_TARGET_DIR cargo test --quiet --test integration import_layouts::write_fixture_sources -- --ignored --exact >/dev/null
(cd fuzz && cargo run --quiet --bin seeds -- corpus "$fx")

status=0
for t in $TARGETS; do
  echo "==> fuzzing $t for ${SECS}s"
  (cd fuzz && DXPLAN_FUZZ_QUIET=1 cargo fuzz run -O "$t" "corpus/$t" -- \
    -max_total_time="$SECS" -timeout=20 -rss_limit_mb=3072 -max_len=400000 -print_final_stats=1) || status=$?
done
ls fuzz/artifacts/*/ 2>/dev/null || true
exit "$status"
