#!/usr/bin/env bash
# Regenerates tests/fixtures/libreoffice/ (issue 15, a round trip that loses nothing), then
# commit what it writes:
#   plan.dxplan      the sample plan the workbooks were exported from (their exports are sealed
#                    with its key and recorded in its export register: they merge into it only)
#   unedited.xlsx    a department workbook (市民課) saved again with no edit
#   copied.xlsx      its values and cell colours pasted into a new workbook (no hidden sheet,
#                    no key column)
#   cleared.xlsx     a task and an indicator cleared as the cover says
#   owners.xlsx      担当課 with a unit of the plan and an unknown unit added
#   lead_removed.xlsx  a co-owner removing the lead unit
#   edited.xlsx      values typed: an actual, a task's years and phase, a unit and 累計, a
#                    footnote, a budget cell
# The sources are written by `write_lo_fixture_sources` (tests/libreoffice.rs), then every
# workbook is opened and saved again by LibreOffice Calc (headless), as a department using
# LibreOffice 7.4 returns it. Tests never need LibreOffice: they read these files.
set -euo pipefail
cd "$(dirname "$0")/.."
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

if ! command -v soffice >/dev/null; then
  echo "==> installing LibreOffice Calc (headless)"
  sudo_cmd=""; [ "$(id -u)" -eq 0 ] || sudo_cmd="sudo"
  $sudo_cmd apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo_cmd apt-get install -y -qq libreoffice-calc-nogui
fi
soffice --version

echo "==> writing the plan and the edited workbooks (tests/libreoffice.rs)"
DXPLAN_FIXTURE_OUT="$work/src" cargo test --quiet --test integration libreoffice::write_lo_fixture_sources \
  -- --ignored --exact >/dev/null

out=tests/fixtures/libreoffice
mkdir -p "$out"
echo "==> saving them again with LibreOffice"
for src in "$work"/src/*.xlsx; do
  name=$(basename "$src")
  soffice --headless "-env:UserInstallation=file://$work/lo" --convert-to xlsx \
    --outdir "$work/lo-out" "$src" >/dev/null 2>&1
  test -s "$work/lo-out/$name"
  cp "$work/lo-out/$name" "$out/$name"
done
# The plan as the exports left it (dxplan leaves no -wal/-shm once closed).
test ! -e "$work/src/plan.dxplan-wal"
cp "$work/src/plan.dxplan" "$out/plan.dxplan"
ls -l "$out"
