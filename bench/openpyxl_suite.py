"""What a DX office scripts today with Python + openpyxl, for bench/suite.py (issue 7).

    python openpyxl_suite.py import OUT.sqlite LEGACY.xlsx...
        reads legacy one-sheet-per-project workbooks (labels in column B, values to the right)
        into projects, indicator values and budget rows of a SQLite file, in one transaction.
    python openpyxl_suite.py write CELLS.json OUT.xlsx
        writes the cells of dxplan's exported workbook (values only: no styles, merges,
        validation or protection), sheet by sheet.
    python openpyxl_suite.py merge MASTER.xlsx OUT.xlsx SUBMISSION.xlsx...
        folds every department workbook into the master workbook: each cell of a submission's
        sheet that differs from the master's sheet of the same name is copied over; the master
        is saved as OUT.xlsx. (No three-way merge, no conflicts, no history: the plain copy.)
    python openpyxl_suite.py dump MASTER.xlsx
        opens the master workbook and prints every cell as JSON (the office's "open the plan").

Each command runs as an office would script it (`load_workbook(path)`, `Workbook()`), or with
`--tuned` in openpyxl's fast modes (read_only for reading, write_only for writing), which few
scripts use but which bound what openpyxl can do.
"""
import json
import sqlite3
import sys

import openpyxl

YEAR_SUFFIX = "年度"


TUNED = False


def load(path):
    return openpyxl.load_workbook(path, read_only=True, data_only=True) if TUNED else openpyxl.load_workbook(path)


def cmd_import(out, *srcs):
    db = sqlite3.connect(out)
    db.execute("PRAGMA journal_mode=WAL")
    db.executescript(
        """
        CREATE TABLE IF NOT EXISTS project (id INTEGER PRIMARY KEY, sheet TEXT, title TEXT, owners TEXT,
            issue TEXT, purpose TEXT, summary TEXT, goal TEXT, effects TEXT);
        CREATE TABLE IF NOT EXISTS value (project INTEGER, kind TEXT, fiscal_year INTEGER, text TEXT);
        CREATE TABLE IF NOT EXISTS task (project INTEGER, name TEXT, fiscal_year INTEGER, phase TEXT);
        """
    )
    fields = {"取組名": "title", "担当課": "owners", "課題": "issue", "目的": "purpose", "内容": "summary",
              "目指す姿／目標": "goal", "期待される効果": "effects"}
    with db:
        for src in srcs:
            wb = load(src)
            for ws in wb.worksheets:
                rows = [r for r in ws.iter_rows(values_only=True)]
                p = {"sheet": ws.title}
                years = []
                values = []
                tasks = []
                mode = None
                for row in rows:
                    label = row[1] if len(row) > 1 else None
                    rest = list(row[2:])
                    if label in fields:
                        p[fields[label]] = rest[0] if rest else None
                        mode = None
                    elif label in ("スケジュール", "評価指標（KPI）"):
                        years = [int(str(v).replace(YEAR_SUFFIX, "")) for v in rest if v]
                        mode = "schedule" if label == "スケジュール" else "kpi"
                    elif label == "年度経費（LCC）（千円）":
                        values += [("budget", y, v) for y, v in zip(years, rest)]
                    elif label == "実績":
                        values += [("actual", y, v) for y, v in zip(years, rest)]
                    elif mode == "kpi" and not label:
                        values += [("target", y, v) for y, v in zip(years, rest)]
                    elif mode == "schedule" and label:
                        tasks += [(label, y, v) for y, v in zip(years, rest) if v]
                cur = db.execute(
                    "INSERT INTO project (sheet, title, owners, issue, purpose, summary, goal, effects) VALUES (?,?,?,?,?,?,?,?)",
                    (p["sheet"], p.get("title"), p.get("owners"), p.get("issue"), p.get("purpose"), p.get("summary"),
                     p.get("goal"), p.get("effects")),
                )
                pid = cur.lastrowid
                db.executemany("INSERT INTO value VALUES (?,?,?,?)", [(pid, k, y, None if v is None else str(v)) for k, y, v in values])
                db.executemany("INSERT INTO task VALUES (?,?,?,?)", [(pid, n, y, str(v)) for n, y, v in tasks])
    db.close()
    print(f"imported {len(srcs)} workbook(s)")


def cmd_write(src, out):
    with open(src, encoding="utf-8") as f:
        sheets = json.load(f)
    if TUNED:
        wb = openpyxl.Workbook(write_only=True)
        for s in sheets:
            ws = wb.create_sheet(title=s["name"])
            rows = {}
            for r, c, v in s["cells"]:
                rows.setdefault(r, {})[c] = v
            for r in range(max(rows) + 1 if rows else 0):
                cells = rows.get(r, {})
                ws.append([cells.get(c) for c in range(max(cells) + 1)] if cells else [])
        wb.save(out)
    else:
        wb = openpyxl.Workbook()
        wb.remove(wb.active)
        for s in sheets:
            ws = wb.create_sheet(title=s["name"])
            for r, c, v in s["cells"]:
                ws.cell(row=r + 1, column=c + 1, value=v)
        wb.save(out)
    print(f"wrote {len(sheets)} sheets")


def cmd_merge(master, out, subs):
    wb = openpyxl.load_workbook(master)
    changed = 0
    for path in subs:
        sub = load(path)
        for ws in sub.worksheets:
            if ws.title not in wb.sheetnames:
                continue
            target = wb[ws.title]
            for row in ws.iter_rows():
                for cell in row:
                    if cell.value is None or not hasattr(cell, "column"):
                        continue
                    t = target.cell(row=cell.row, column=cell.column)
                    if t.value != cell.value:
                        t.value = cell.value
                        changed += 1
        if TUNED:
            sub.close()
    wb.save(out)
    print(f"merged {len(subs)} submissions, {changed} cells changed")


def cmd_dump(src):
    wb = load(src)
    out = {}
    for ws in wb.worksheets:
        out[ws.title] = [[c for c in row] for row in ws.iter_rows(values_only=True)]
    json.dump(out, sys.stdout, ensure_ascii=False, default=str)


def main():
    global TUNED
    argv = sys.argv[1:]
    if argv and argv[0] == "--tuned":
        TUNED = True
        argv = argv[1:]
    cmd, args = argv[0], argv[1:]
    if cmd == "import":
        cmd_import(*args)
    elif cmd == "write":
        cmd_write(*args)
    elif cmd == "merge":
        cmd_merge(args[0], args[1], args[2:])
    elif cmd == "dump":
        cmd_dump(*args)
    else:
        raise SystemExit(f"unknown command {cmd}")


if __name__ == "__main__":
    main()
