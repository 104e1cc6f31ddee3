#!/usr/bin/env python3
"""Writes tests/e2e/fixtures/onojo_new_project.xlsx: a small legacy Onojo-style workbook (one
project per sheet, label column + fiscal-year columns, a 目次 sheet to skip, a schedule bar drawn
with arrows so the importer must guess) for the import-wizard e2e test. Stdlib only; the file is
committed, this script documents how it was made. Run: python3 tests/e2e/make_fixtures.py
"""
import os
import zipfile
from xml.sax.saxutils import escape

HERE = os.path.dirname(os.path.abspath(__file__))


def col(c):
    s = ""
    c += 1
    while c:
        c, r = divmod(c - 1, 26)
        s = chr(65 + r) + s
    return s


def sheet_xml(rows, fills=()):
    out = ['<?xml version="1.0" encoding="UTF-8" standalone="yes"?>',
           '<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>']
    for r, row in enumerate(rows):
        out.append(f'<row r="{r + 1}">')
        for c, v in enumerate(row):
            ref = f"{col(c)}{r + 1}"
            style = ' s="1"' if (r, c) in fills else ""
            if v is None or v == "":
                if style:
                    out.append(f'<c r="{ref}"{style}/>')
                continue
            if isinstance(v, (int, float)):
                out.append(f'<c r="{ref}"{style}><v>{v}</v></c>')
            else:
                out.append(f'<c r="{ref}" t="inlineStr"{style}><is><t xml:space="preserve">{escape(v)}</t></is></c>')
        out.append("</row>")
    out.append("</sheetData></worksheet>")
    return "".join(out)


def workbook(path, sheets):
    names = [n for n, _ in sheets]
    ct = ['<?xml version="1.0" encoding="UTF-8" standalone="yes"?>',
          '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">',
          '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>',
          '<Default Extension="xml" ContentType="application/xml"/>',
          '<Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>',
          '<Override PartName="/xl/styles.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.styles+xml"/>']
    for i in range(len(sheets)):
        ct.append(f'<Override PartName="/xl/worksheets/sheet{i + 1}.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>')
    ct.append("</Types>")
    wb = ['<?xml version="1.0" encoding="UTF-8" standalone="yes"?>',
          '<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheets>']
    rels = ['<?xml version="1.0" encoding="UTF-8" standalone="yes"?>',
            '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">']
    for i, n in enumerate(names):
        wb.append(f'<sheet name="{escape(n)}" sheetId="{i + 1}" r:id="rId{i + 1}"/>')
        rels.append(f'<Relationship Id="rId{i + 1}" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet{i + 1}.xml"/>')
    rels.append(f'<Relationship Id="rId{len(names) + 1}" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/styles" Target="styles.xml"/>')
    wb.append("</sheets></workbook>")
    rels.append("</Relationships>")
    styles = ('<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
              '<styleSheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
              '<fonts count="1"><font><sz val="11"/><name val="Calibri"/></font></fonts>'
              '<fills count="3"><fill><patternFill patternType="none"/></fill><fill><patternFill patternType="gray125"/></fill>'
              '<fill><patternFill patternType="solid"><fgColor rgb="FF5B9BD5"/><bgColor indexed="64"/></patternFill></fill></fills>'
              '<borders count="1"><border><left/><right/><top/><bottom/><diagonal/></border></borders>'
              '<cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/></cellStyleXfs>'
              '<cellXfs count="2"><xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0"/>'
              '<xf numFmtId="0" fontId="0" fillId="2" borderId="0" xfId="0" applyFill="1"/></cellXfs>'
              '</styleSheet>')
    root_rels = ('<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
                 '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
                 '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/>'
                 '</Relationships>')
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z:
        # fixed timestamps: the file is byte-identical on every run
        def put(name, data):
            zi = zipfile.ZipInfo(name, date_time=(2025, 4, 1, 0, 0, 0))
            zi.compress_type = zipfile.ZIP_DEFLATED
            z.writestr(zi, data)
        put("[Content_Types].xml", "".join(ct))
        put("_rels/.rels", root_rels)
        put("xl/workbook.xml", "".join(wb))
        put("xl/_rels/workbook.xml.rels", "".join(rels))
        put("xl/styles.xml", styles)
        for i, (_, xml) in enumerate(sheets):
            put(f"xl/worksheets/sheet{i + 1}.xml", xml)


def main():
    years = ["R4", "R5", "R6", "R7"]
    rows = [
        ["基本方針Ⅰ　市民の暮らしを豊かにするスマートシティの実現"],
        ["取組１　行政手続のオンライン化"],
        [],
        ["取組名", "④ 電子契約システムの導入"],
        ["担当課", "契約検査課、情報政策課ほか"],
        ["内容", "契約事務に電子契約を導入し、事業者の来庁と押印を不要にします。"],
        ["スケジュール", *years],
        ["電子契約システムの選定・導入", "", "", "", ""],
        ["運用・対象契約の拡大", "", "→", "→", "→"],
        ["目指す姿/目標", "契約事務のペーパーレス化"],
        ["期待される効果", "・事業者の来庁が不要になる。\n・印紙代が不要になる。"],
        ["数値目標（KGI）", "電子契約の利用率 50%"],
        ["評価指標（KPI）", *years],
        ["", "－", "10%", "30%", "50%"],
        ["年度経費（LCC）（千円）", "－", "3,000", 1200, 1200],
    ]
    fills = {(7, 2), (7, 3)}  # the selection task: bar drawn as filled cells R5–R6
    toc = [["大野城市DX推進計画 個別施策シート 目次"], [], ["No.", "個別施策", "シート"], [1, "電子契約システムの導入", "Ⅰ-1-④"]]
    os.makedirs(os.path.join(HERE, "fixtures"), exist_ok=True)
    out = os.path.join(HERE, "fixtures", "onojo_new_project.xlsx")
    workbook(out, [("目次", sheet_xml(toc)), ("Ⅰ-1-④", sheet_xml(rows, fills))])
    print("wrote", out)

    # An update of a project the sample has (Ⅰ-1-② 各種支払いのキャッシュレス化): two budget
    # years changed (held until accepted, shown old → new) and its summary under a label no
    # field reads (「取組の中身」), which the wizard maps to 概要.
    update = [
        ["基本方針Ⅰ　市民の暮らしを豊かにするスマートシティの実現"],
        ["取組１　行政手続のオンライン化"],
        [],
        ["取組名", "② 各種支払いのキャッシュレス化"],
        ["取組の中身", "窓口の手数料に加え、施設使用料もキャッシュレス決済に対応します。"],
        ["スケジュール", *years],
        ["年度経費（LCC）（千円）", "－", "6,000", "8,000", "12,000"],
    ]
    out = os.path.join(HERE, "fixtures", "onojo_update.xlsx")
    workbook(out, [("Ⅰ-1-②", sheet_xml(update))])
    print("wrote", out)


if __name__ == "__main__":
    main()
