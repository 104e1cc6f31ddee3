"""openpyxl writing the same cells as dxplan's master workbook (see benches/export.rs).

Usage: python openpyxl_master.py CELLS.json OUT.xlsx
Prints "seconds <s>": values only, as the plain rust_xlsxwriter baseline writes them; then
"styled_seconds <s>": the same cells with what dxplan also does per cell (font, thin border,
wrap, locked/unlocked, number format), the merged ranges and sheet protection, i.e. closer to
the same job. The JSON load is not timed.
"""
import json
import sys
import time

import openpyxl
from openpyxl.styles import Alignment, Border, Font, Protection, Side


def plain(sheets, out):
    wb = openpyxl.Workbook()
    wb.remove(wb.active)
    for s in sheets:
        ws = wb.create_sheet(title=s["name"])
        for r, c, v in s["cells"]:
            ws.cell(row=r + 1, column=c + 1, value=v)
    wb.save(out)


def styled(sheets, out):
    font = Font(name="ＭＳ Ｐゴシック", size=11, charset=128)
    thin = Side(style="thin", color="8EA9C1")
    border = Border(left=thin, right=thin, top=thin, bottom=thin)
    wrap = Alignment(wrap_text=True, vertical="top")
    unlocked = Protection(locked=False)
    wb = openpyxl.Workbook()
    wb.remove(wb.active)
    for s in sheets:
        ws = wb.create_sheet(title=s["name"])
        for r, c, v in s["cells"]:
            cell = ws.cell(row=r + 1, column=c + 1, value=v)
            cell.font = font
            cell.border = border
            cell.alignment = wrap
            if isinstance(v, (int, float)):
                cell.number_format = "#,##0"
                cell.protection = unlocked
        for r1, c1, r2, c2 in s.get("merges", []):
            ws.merge_cells(start_row=r1 + 1, start_column=c1 + 1, end_row=r2 + 1, end_column=c2 + 1)
        ws.protection.sheet = True
        ws.page_setup.orientation = "landscape"
        ws.page_setup.paperSize = ws.PAPERSIZE_A4
        ws.page_setup.fitToWidth = 1
    wb.save(out)


def main():
    src, out = sys.argv[1], sys.argv[2]
    with open(src, encoding="utf-8") as f:
        sheets = json.load(f)
    n = sum(len(s["cells"]) for s in sheets)
    print(f"openpyxl {openpyxl.__version__}: {len(sheets)} sheets, {n} cells")
    start = time.perf_counter()
    plain(sheets, out)
    print(f"seconds {time.perf_counter() - start:.3f}")
    start = time.perf_counter()
    styled(sheets, out)
    print(f"styled_seconds {time.perf_counter() - start:.3f}")


if __name__ == "__main__":
    main()
