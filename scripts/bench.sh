#!/usr/bin/env bash
# The benchmark suite (issue 7): import, export (department and master), merge of 50 department
# submissions and open + dump, on generated plans of 100, 1,000 and 10,000 projects, each against
# Python + openpyxl doing the same work; prints a table (median wall time, peak memory) and writes
# it to target/bench-suite/results.md (docs/performance.md records a run). Takes a while (about
# 75 minutes on 2 cores, most of it openpyxl at 10,000 projects); never part of scripts/test.sh.
#   SIZES="100 1000" RUNS=3 scripts/bench.sh    # a smaller run
#   PREP=0 scripts/bench.sh                     # time again on the inputs of the last run
#   SIZES=10000 OPS="import,export department" scripts/bench.sh   # some operations only
#   OPENPYXL=0 scripts/bench.sh                 # dxplan and the bare calamine pass only (minutes)
# Every operation is reported with its median wall time and peak memory (max RSS, as
# `/usr/bin/time -v` reports it), the reading ones beside a bare calamine pass over the same
# files (bench/calamine_read.rs); bench/chart.py draws time and memory against plan size.
set -euo pipefail
cd "$(dirname "$0")/.."
. scripts/setup.sh
ensure_core
SIZES=${SIZES:-"100 1000 10000"}
RUNS=${RUNS:-5}
WORK=target/bench-suite

# openpyxl in a venv under target/ (shared with scripts/bench_export.sh).
VENV=target/bench-venv
# python-calamine: the bare read issue 18 was measured with, timed beside the Rust one.
if [ ! -x "$VENV/bin/python" ] || ! "$VENV/bin/python" -c "import openpyxl, python_calamine" 2>/dev/null; then
  python3 -m venv --help >/dev/null 2>&1 || ensure_apt python3-venv
  python3 -m venv "$VENV"
  "$VENV/bin/pip" install --quiet openpyxl python-calamine
fi

echo "==> building dxplan and the bare calamine pass (release)"
cargo build --release --locked --quiet --bin dxplan --example calamine_read
if [ "${PREP:-1}" != 0 ]; then
  echo "==> preparing inputs (benches/suite.rs): $SIZES"
  mkdir -p "$WORK"
  # shellcheck disable=SC2086
  cargo bench --locked --quiet --bench suite -- prep "$WORK" $SIZES
fi
OPS_LIST=()
if [ -n "${OPS:-}" ]; then IFS=, read -r -a OPS_LIST <<< "$OPS"; fi
echo "==> timing (bench/suite.py)"
# shellcheck disable=SC2086
"$VENV/bin/python" bench/suite.py --dxplan target/release/dxplan --python "$VENV/bin/python" \
  --calamine target/release/examples/calamine_read --python-calamine ${OPENPYXL:+$([ "$OPENPYXL" = 0 ] && echo --no-openpyxl)} \
  --work "$WORK" --sizes $SIZES --runs "$RUNS" ${OPS:+--ops} "${OPS_LIST[@]}"
echo "==> chart of time and memory against plan size: $WORK/chart.svg (docs/performance.svg)"
python3 bench/chart.py "$WORK/results.json" "$WORK/chart.svg"
