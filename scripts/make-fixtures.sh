#!/usr/bin/env bash
# Regenerates the committed import fixtures (run it after changing tests/common/legacy.rs, then
# commit what it writes):
#   tests/fixtures/legacy/*.xls, *.ods  the legacy workbooks of tests/common/legacy.rs, converted
#                                       from the .xlsx that the tests write, by LibreOffice
#   tests/fixtures/bad/password.xlsx    an encrypted workbook (msoffcrypto-tool, password 「dxplan」)
#   tests/fixtures/bad/zip_bomb.xlsx    a workbook whose sheet XML inflates to 1.1 GB (about 1 MB on disk)
# The bad inputs do not depend on legacy.rs and are only rewritten when missing or with FORCE_BAD=1.
# Tests never need LibreOffice or Python: they read these files.
set -euo pipefail
cd "$(dirname "$0")/.."
root=$(pwd)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

if ! command -v soffice >/dev/null; then
  echo "==> installing LibreOffice Calc (headless)"
  sudo_cmd=""; [ "$(id -u)" -eq 0 ] || sudo_cmd="sudo"
  $sudo_cmd apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo_cmd apt-get install -y -qq libreoffice-calc-nogui
fi

echo "==> writing the .xlsx sources (tests/common/legacy.rs)"
DXPLAN_FIXTURE_OUT="$work/xlsx" cargo test --quiet --test integration import_layouts::write_fixture_sources -- --ignored --exact >/dev/null

mkdir -p tests/fixtures/legacy tests/fixtures/bad
echo "==> converting with LibreOffice"
for name in onojo_legacy onojo_30 fukuyama_bessatsu onomichi_koteihyo flat_list; do
  src="$work/xlsx/$name.xlsx"
  soffice --headless "-env:UserInstallation=file://$work/lo" --convert-to 'xls:MS Excel 97' --outdir tests/fixtures/legacy "$src" >/dev/null 2>&1
  soffice --headless "-env:UserInstallation=file://$work/lo" --convert-to ods --outdir tests/fixtures/legacy "$src" >/dev/null 2>&1
  test -s "tests/fixtures/legacy/$name.xls" && test -s "tests/fixtures/legacy/$name.ods"
done

if [ -s tests/fixtures/bad/password.xlsx ] && [ -s tests/fixtures/bad/zip_bomb.xlsx ] && [ "${FORCE_BAD:-0}" != 1 ]; then
  echo "==> bad inputs present (FORCE_BAD=1 to rewrite them)"
  ls -l tests/fixtures/legacy tests/fixtures/bad
  exit 0
fi
echo "==> bad inputs (Python venv with msoffcrypto-tool)"
python3 -m venv "$work/venv"
"$work/venv/bin/pip" install -q msoffcrypto-tool
"$work/venv/bin/python" - "$work/xlsx/small_onojo.xlsx" "$root/tests/fixtures/bad" <<'PY'
import sys, zipfile
from msoffcrypto.format.ooxml import OOXMLFile
src, out = sys.argv[1], sys.argv[2]

# An encrypted workbook (Excel's 「パスワードを使用して暗号化」): a CFB container, not a zip.
with open(src, "rb") as f, open(f"{out}/password.xlsx", "wb") as o:
    OOXMLFile(f).encrypt("dxplan", o)

# A zip bomb: a real workbook whose sheet XML is padded with 1.1 GB of blanks between elements
# (valid XML, so only a cap on the uncompressed size stops a reader), deflated to about 1 MB.
PAD = 1_100 * 1024 * 1024
with zipfile.ZipFile(src) as z, zipfile.ZipFile(f"{out}/zip_bomb.xlsx", "w", zipfile.ZIP_DEFLATED, compresslevel=9) as b:
    for info in z.infolist():
        data = z.read(info.filename)
        if info.filename != "xl/worksheets/sheet1.xml":
            b.writestr(info.filename, data)
            continue
        head, tail = data.split(b"<sheetData>", 1)
        zi = zipfile.ZipInfo(info.filename, date_time=info.date_time)
        zi.compress_type = zipfile.ZIP_DEFLATED
        with b.open(zi, "w", force_zip64=False) as w:
            w.write(head + b"<sheetData>")
            chunk = b" " * (16 * 1024 * 1024)
            left = PAD
            while left > 0:
                n = min(left, len(chunk))
                w.write(chunk[:n])
                left -= n
            w.write(tail)
PY
ls -l tests/fixtures/legacy tests/fixtures/bad
