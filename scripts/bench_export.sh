#!/usr/bin/env bash
# Export bench (issue 4): dxplan's master workbook of a 1,000-project plan vs plain
# rust_xlsxwriter and openpyxl writing the same cells. openpyxl goes into a venv under target/.
set -euo pipefail
cd "$(dirname "$0")/.."
. scripts/setup.sh
ensure_core
VENV=target/bench-venv
if [ ! -x "$VENV/bin/python" ] || ! "$VENV/bin/python" -c "import openpyxl" 2>/dev/null; then
  python3 -m venv --help >/dev/null 2>&1 || ensure_apt python3-venv
  python3 -m venv "$VENV"
  "$VENV/bin/pip" install --quiet openpyxl
fi
DXPLAN_OPENPYXL_PYTHON="$PWD/$VENV/bin/python" cargo bench --bench export
