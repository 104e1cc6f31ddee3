#!/usr/bin/env bash
# Checks exported workbooks as a user's office suite sees them (issue 4): LibreOffice headless
# opens the master workbook of the sample plan, recalculates every formula, and the budget total
# on 事業費集計 must be 1,240,400 千円 (大野城市 §2.4); the cached results are first overwritten
# with wrong numbers, so only a real recalculation passes. Both workbooks must also convert to
# PDF and ODS. Skipped (exit 0) when soffice is missing. Run by scripts/test.sh.
set -euo pipefail
cd "$(dirname "$0")/.."

if ! command -v soffice >/dev/null 2>&1; then
  echo "SKIP libreoffice: soffice がありません / soffice not installed"
  exit 0
fi

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
fail=0
pass() { echo "PASS libreoffice: $*"; }
failed() { echo "FAIL libreoffice: $*"; fail=1; }

cargo build --locked --quiet --bin dxplan
DXPLAN=target/debug/dxplan
"$DXPLAN" sample "$work/onojo.dxplan" >/dev/null
"$DXPLAN" export "$work/onojo.dxplan" -o "$work/master.xlsx" >/dev/null
"$DXPLAN" export "$work/onojo.dxplan" --department 情報政策課 -o "$work/dept.xlsx" >/dev/null

# A private profile that recalculates xlsx/ods formulas on load (LibreOffice's default is to
# trust the cached results).
mkdir -p "$work/profile/user"
cat > "$work/profile/user/registrymodifications.xcu" <<'XCU'
<?xml version="1.0" encoding="UTF-8"?>
<oor:items xmlns:oor="http://openoffice.org/2001/registry" xmlns:xs="http://www.w3.org/2001/XMLSchema" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">
<item oor:path="/org.openoffice.Office.Calc/Formula/Load"><prop oor:name="OOXMLRecalcMode" oor:op="fuse"><value>0</value></prop></item>
<item oor:path="/org.openoffice.Office.Calc/Formula/Load"><prop oor:name="ODFRecalcMode" oor:op="fuse"><value>0</value></prop></item>
</oor:items>
XCU
office() { timeout 300 soffice "-env:UserInstallation=file://$work/profile" --headless "$@" >"$work/soffice.log" 2>&1; }

# Poison the cached totals of 事業費集計 (sheet 2) so a viewer that does not recalculate fails.
poisoned="$work/poisoned.xlsx"
if command -v python3 >/dev/null 2>&1; then
  python3 - "$work/master.xlsx" "$poisoned" <<'PY'
import re, sys, zipfile
src, dst = sys.argv[1], sys.argv[2]
with zipfile.ZipFile(src) as zin, zipfile.ZipFile(dst, "w", zipfile.ZIP_DEFLATED) as zout:
    for item in zin.infolist():
        data = zin.read(item.filename)
        if item.filename == "xl/worksheets/sheet2.xml":
            data, n = re.subn(rb"(</f><v>)\d+(</v>)", rb"\g<1>1\g<2>", data)
            assert n > 0, "no cached formula results found"
        zout.writestr(item, data)
PY
  note="cached results overwritten first"
else
  cp "$work/master.xlsx" "$poisoned"
  note="python3 missing: cached results not overwritten"
fi

mkdir -p "$work/csv"
if office --convert-to 'csv:Text - txt - csv (StarCalc):44,34,76,1,,0,false,true,false,false,false,2' --outdir "$work/csv" "$poisoned"; then
  csv=$(ls "$work"/csv/*.csv 2>/dev/null | head -1)
  total=$(grep '^合計,' "$csv" | awk -F, '{print $(NF-1)}' || true)
  if [ "$total" = "1240400" ]; then
    pass "recalculated budget total on 事業費集計 = 1,240,400 千円 ($note)"
  else
    failed "recalculated budget total on 事業費集計 is '${total}', expected 1240400"
    cat "$csv"
  fi
else
  failed "csv conversion of the master workbook failed"; cat "$work/soffice.log"
fi

for wb in master dept; do
  for fmt in pdf ods; do
    if office --convert-to "$fmt" --outdir "$work/out" "$work/$wb.xlsx" && [ -s "$work/out/$wb.$fmt" ]; then
      pass "$wb.xlsx → $fmt ($(stat -c %s "$work/out/$wb.$fmt") bytes)"
    else
      failed "$wb.xlsx → $fmt"; cat "$work/soffice.log"
    fi
  done
done
exit "$fail"
