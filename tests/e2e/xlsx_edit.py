#!/usr/bin/env python3
"""Edits one cell of an .xlsx the way a person does in Excel: the cell right of a label, on the
sheet whose cells contain a given text. Stdlib only (zipfile + regex on the sheet XML).

  python3 xlsx_edit.py IN.xlsx OUT.xlsx --sheet-with 'オンライン申請の拡充' --label 概要 --value 'new text'
"""
import argparse
import re
import sys
import zipfile
from xml.sax.saxutils import escape, unescape


def shared_strings(z):
    try:
        xml = z.read("xl/sharedStrings.xml").decode("utf-8")
    except KeyError:
        return []
    out = []
    for si in re.findall(r"<si>(.*?)</si>", xml, re.S):
        out.append(unescape("".join(re.findall(r"<t[^>]*>(.*?)</t>", si, re.S))))
    return out


def cell_text(cell_xml, sst):
    m = re.search(r"<v>(.*?)</v>", cell_xml, re.S)
    if 't="s"' in cell_xml and m:
        return sst[int(m.group(1))]
    m2 = re.search(r"<is>(.*?)</is>", cell_xml, re.S)
    if m2:
        return unescape("".join(re.findall(r"<t[^>]*>(.*?)</t>", m2.group(1), re.S)))
    return unescape(m.group(1)) if m else ""


CELL = re.compile(r'<c r="([A-Z]+)(\d+)"([^>]*?)(?:/>|>(.*?)</c>)', re.S)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("src")
    ap.add_argument("dst")
    ap.add_argument("--sheet-with", required=True)
    ap.add_argument("--label", required=True)
    ap.add_argument("--value", required=True)
    a = ap.parse_args()
    zin = zipfile.ZipFile(a.src)
    sst = shared_strings(zin)
    target = None
    for name in zin.namelist():
        if not re.match(r"xl/worksheets/sheet\d+\.xml$", name):
            continue
        xml = zin.read(name).decode("utf-8")
        texts = [cell_text(m.group(0), sst) for m in CELL.finditer(xml)]
        if any(a.sheet_with in t for t in texts) and a.label in texts:
            target = (name, xml)
            break
    if not target:
        sys.exit(f"no sheet with {a.sheet_with!r} and label {a.label!r}")
    name, xml = target
    cells = list(CELL.finditer(xml))
    label = next(m for m in cells if cell_text(m.group(0), sst) == a.label)
    row = label.group(2)
    after = [m for m in cells if m.group(2) == row and len(m.group(1)) >= len(label.group(1)) and m.group(1) > label.group(1)]
    if not after:
        sys.exit("no cell right of the label")
    c = after[0]
    attrs = re.sub(r'\s*t="[^"]*"', "", c.group(3))
    new = f'<c r="{c.group(1)}{row}"{attrs} t="inlineStr"><is><t xml:space="preserve">{escape(a.value)}</t></is></c>'
    xml = xml[: c.start()] + new + xml[c.end():]
    with zipfile.ZipFile(a.dst, "w", zipfile.ZIP_DEFLATED) as zout:
        for item in zin.infolist():
            data = xml.encode("utf-8") if item.filename == name else zin.read(item.filename)
            zout.writestr(item, data)
    print(f"{name}: {c.group(1)}{row} = {a.value}")


if __name__ == "__main__":
    main()
