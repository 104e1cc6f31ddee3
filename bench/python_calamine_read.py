"""The yardstick issue 18 was measured with: a bare python-calamine read of workbooks (every
sheet's cells as Python values, one workbook at a time), nothing of dxplan. Run by bench/suite.py
beside the Rust pass (bench/calamine_read.rs).

    python python_calamine_read.py FILE.xlsx …
"""
import sys

from python_calamine import CalamineWorkbook

cells = sheets = 0
for path in sys.argv[1:]:
    wb = CalamineWorkbook.from_path(path)
    for name in wb.sheet_names:
        rows = wb.get_sheet_by_name(name).to_python()
        cells += sum(1 for row in rows for v in row if v != "")
        sheets += 1
print(f"{len(sys.argv) - 1} files, {sheets} sheets, {cells} cells")
