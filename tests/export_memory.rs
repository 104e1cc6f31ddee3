//! Streamed sheets (issue 18): the master and department workbooks whose sheets stream their
//! rows to temporary files are the same workbooks as those built in memory. A streamed sheet
//! silently drops a cell written to a row above the current one, so every sheet is compared
//! whole: values, formulas, resolved styles, merged regions, and the sheet's XML outside its
//! cells (widths, heights, validation, protection, print settings).

use std::collections::BTreeMap;
use std::io::Read;
use std::path::Path;

use calamine::{Reader, Xlsx};
use dxplan::export::seal::MacKey;
use dxplan::export::{write_department, write_master, ExportOptions, Streaming};
use dxplan::model::*;

fn options(key: &MacKey, in_memory: bool) -> ExportOptions {
    ExportOptions {
        export_id: Some("0193a0b2-0000-7000-8000-000000000001".into()),
        exported_at: chrono::DateTime::parse_from_rfc3339("2026-12-01T10:00:00+09:00").ok(),
        key: Some(key.clone()),
        deadline: Some("2027年1月31日".into()),
        streaming: if in_memory {
            Streaming::None
        } else {
            Streaming::All
        },
        ..ExportOptions::default()
    }
}

/// Each sheet's parts: (name, XML outside <sheetData>, row attributes).
fn sheet_xml(path: &Path) -> BTreeMap<String, (String, Vec<String>)> {
    let mut zip = zip::ZipArchive::new(std::fs::File::open(path).expect("open")).expect("zip");
    let mut out = BTreeMap::new();
    for i in 0..zip.len() {
        let mut f = zip.by_index(i).expect("entry");
        let name = f.name().map(|n| n.into_owned()).unwrap_or_default();
        if !name.starts_with("xl/worksheets/sheet") {
            continue;
        }
        let mut xml = String::new();
        f.read_to_string(&mut xml).expect("xml");
        let (head, rest) = xml.split_once("<sheetData").unwrap_or((&xml, ""));
        let (data, tail) = rest.split_once("</sheetData>").unwrap_or(("", rest));
        // Row attributes (r, height, custom height), not the cells (shared vs inline strings),
        // nor `spans` (an optional hint a streamed sheet cannot know when it writes the row).
        let rows: Vec<String> = data
            .split("<row ")
            .skip(1)
            .map(|r| {
                r.split('>')
                    .next()
                    .unwrap_or_default()
                    .split(' ')
                    .filter(|a| !a.starts_with("spans="))
                    .collect::<Vec<_>>()
                    .join(" ")
            })
            .collect();
        out.insert(name, (format!("{head}{tail}"), rows));
    }
    out
}

/// Values, formulas, styles and merged regions of every sheet, in a comparable form.
fn cells(path: &Path) -> BTreeMap<String, Vec<String>> {
    let mut wb: Xlsx<_> = calamine::open_workbook(path).expect("open");
    let mut out = BTreeMap::new();
    for name in wb.sheet_names() {
        let mut lines = Vec::new();
        let values = wb.worksheet_range(&name).expect("values");
        for (r, c, v) in values.used_cells() {
            lines.push(format!("v {r},{c} {v:?}"));
        }
        let formulas = wb.worksheet_formula(&name).expect("formulas");
        for (r, c, f) in formulas.used_cells() {
            lines.push(format!("f {r},{c} {f}"));
        }
        let styles = wb.worksheet_style(&name).expect("styles");
        for (r, c, s) in styles.cells() {
            lines.push(format!("s {r},{c} {s:?}"));
        }
        let mut merges: Vec<String> = wb
            .merge_cells_by_sheet_name(&name)
            .expect("merges")
            .iter()
            .map(|d| format!("m {:?}-{:?}", d.start, d.end))
            .collect();
        merges.sort();
        lines.extend(merges);
        out.insert(name, lines);
    }
    out
}

/// What may differ between two exports of the same plan: the spare rows' fresh keys (UUID v7,
/// made at each export) and the numbering of custom number formats (`numFmtId`, assigned in
/// the order the formats are first used; the format itself is compared).
fn normalise(line: &str) -> String {
    let mut out = String::with_capacity(line.len());
    let b = line.as_bytes();
    let is_uuid_v7 = |s: &[u8]| {
        s.len() >= 36
            && s[..36].iter().enumerate().all(|(i, c)| match i {
                8 | 13 | 18 | 23 => *c == b'-',
                14 => *c == b'7',
                _ => c.is_ascii_hexdigit(),
            })
    };
    let mut i = 0;
    while i < b.len() {
        if is_uuid_v7(&b[i..]) {
            out.push_str("UUID");
            i += 36;
        } else if b[i..].starts_with(b"format_id: Some(") {
            out.push_str("format_id: Some(N)");
            i += "format_id: Some(".len();
            while i < b.len() && b[i] != b')' {
                i += 1;
            }
            i += 1;
        } else {
            let ch = line[i..].chars().next().unwrap_or_default();
            out.push(ch);
            i += ch.len_utf8();
        }
    }
    out
}

fn assert_same(a: &Path, b: &Path) {
    let (ca, cb) = (cells(a), cells(b));
    if let Ok(d) = std::env::var("DXPLAN_DEBUG_DIR") {
        let dump = |c: &BTreeMap<String, Vec<String>>| {
            c.iter()
                .flat_map(|(n, l)| l.iter().map(move |x| format!("{n}\t{x}")))
                .collect::<Vec<_>>()
                .join("\n")
        };
        let _ = std::fs::write(format!("{d}/a.txt"), dump(&ca));
        let _ = std::fs::write(format!("{d}/b.txt"), dump(&cb));
    }
    assert_eq!(
        ca.keys().collect::<Vec<_>>(),
        cb.keys().collect::<Vec<_>>(),
        "sheets"
    );
    for (name, la) in &ca {
        let lb = &cb[name];
        for (x, y) in la.iter().zip(lb) {
            assert_eq!(normalise(x), normalise(y), "sheet {name}");
        }
        assert_eq!(la.len(), lb.len(), "sheet {name}: number of cells");
    }
    let (xa, xb) = (sheet_xml(a), sheet_xml(b));
    assert_eq!(xa.len(), xb.len());
    // Excel repairs a sheet whose rows are not in strictly ascending order (or repeat one).
    for (part, (_, rows)) in xa.iter().chain(&xb) {
        let numbers: Vec<u32> = rows
            .iter()
            .filter_map(|r| r.strip_prefix("r=\"")?.split('"').next()?.parse().ok())
            .collect();
        assert_eq!(numbers.len(), rows.len(), "{part}: row numbers");
        assert!(
            numbers.windows(2).all(|w| w[0] < w[1]),
            "{part}: rows in order, each once: {numbers:?}"
        );
    }
    for (part, (outside, rows)) in &xa {
        let (o, r) = &xb[part];
        assert_eq!(
            normalise(outside),
            normalise(o),
            "{part}: the sheet outside its cells"
        );
        for (x, y) in rows.iter().zip(r) {
            assert_eq!(x, y, "{part}: row");
        }
        assert_eq!(
            rows.len(),
            r.len(),
            "{part}: rows ({:?} / {:?})",
            rows.last(),
            r.last()
        );
    }
}

fn sample() -> Plan {
    dxplan::sample::onojo().expect("sample plan")
}

#[test]
fn a_streamed_master_workbook_is_the_one_built_in_memory() {
    let dir = tempfile::tempdir().expect("tmp");
    let plan = sample();
    let key = MacKey::generate().expect("key");
    let (a, b) = (dir.path().join("a.xlsx"), dir.path().join("b.xlsx"));
    write_master(&plan, &a, &options(&key, false)).expect("streamed");
    write_master(&plan, &b, &options(&key, true)).expect("in memory");
    assert_same(&a, &b);
}

#[test]
fn a_streamed_department_workbook_is_the_one_built_in_memory() {
    let dir = tempfile::tempdir().expect("tmp");
    let plan = sample();
    let key = MacKey::generate().expect("key");
    // The department with the most projects.
    let unit = plan
        .org_units
        .iter()
        .max_by_key(|u| dxplan::export::department_projects(&plan, &u.id).len())
        .expect("a unit");
    let (a, b) = (dir.path().join("a.xlsx"), dir.path().join("b.xlsx"));
    write_department(&plan, &unit.id, &a, &options(&key, false)).expect("streamed");
    write_department(&plan, &unit.id, &b, &options(&key, true)).expect("in memory");
    assert_same(&a, &b);
}

#[test]
fn a_master_workbook_built_in_batches_is_the_one_built_in_memory() {
    // Enough project sheets for several batches of `sheet_parts` (64 each), their parts
    // copied into the workbook at the save.
    let dir = tempfile::tempdir().expect("tmp");
    let plan = dxplan::generate::generate(200, 3);
    let key = MacKey::generate().expect("key");
    let (a, b) = (dir.path().join("a.xlsx"), dir.path().join("b.xlsx"));
    write_master(&plan, &a, &options(&key, false)).expect("in batches");
    write_master(&plan, &b, &options(&key, true)).expect("in memory");
    assert_same(&a, &b);
}

/// A part of an .xlsx file, as text.
fn part(path: &Path, name: &str) -> String {
    let mut zip = zip::ZipArchive::new(std::fs::File::open(path).expect("open")).expect("zip");
    let mut s = String::new();
    zip.by_name(name)
        .expect(name)
        .read_to_string(&mut s)
        .expect("text");
    s
}

#[test]
fn the_parts_naming_the_sheets_are_written_as_rust_xlsxwriter_writes_them() {
    // A master workbook built in batches has its workbook part, relationships, content types
    // and document properties written by `sheet_parts`/`book_parts` (no placeholder sheets):
    // they must be, byte for byte, those rust_xlsxwriter writes holding every sheet. Titles
    // with characters to escape or quote: apostrophe, ampersand, angle brackets, quotes.
    let dir = tempfile::tempdir().expect("tmp");
    let mut plan = dxplan::generate::generate(150, 5);
    for (p, t) in plan.projects.iter_mut().zip([
        "O'Brien & <株>の\"窓口\"",
        "'先頭の引用符",
        "A1",
        "R1C1",
        "Print_Area",
    ]) {
        p.title = t.into();
    }
    let key = MacKey::generate().expect("key");
    let (a, b) = (dir.path().join("a.xlsx"), dir.path().join("b.xlsx"));
    let summary = write_master(&plan, &a, &options(&key, false)).expect("in batches");
    write_master(&plan, &b, &options(&key, true)).expect("in memory");
    if let Ok(d) = std::env::var("DXPLAN_DEBUG_DIR") {
        // For a look in an office suite (LibreOffice headless).
        let _ = std::fs::copy(&a, format!("{d}/batches.xlsx"));
    }
    for name in [
        "xl/workbook.xml",
        "xl/_rels/workbook.xml.rels",
        "[Content_Types].xml",
        "docProps/app.xml",
    ] {
        assert_eq!(part(&a, name), part(&b, name), "{name}");
    }
    // Read back: the tab order, the hidden sheet last and very hidden, the print names of
    // each project sheet on its own sheet.
    let mut wb: Xlsx<_> = calamine::open_workbook(&a).expect("open");
    let mut expected = summary.sheets.clone();
    expected.push("_dxplan".into());
    assert_eq!(wb.sheet_names(), expected);
    let meta = wb.sheets_metadata().last().expect("sheets").clone();
    assert_eq!(meta.name, "_dxplan");
    assert_eq!(meta.visible, calamine::SheetVisible::VeryHidden);
    let first = &summary.projects[0].1;
    let quoted = format!("'{}'", first.replace('\'', "''"));
    let names = wb.defined_names().to_vec();
    assert!(
        names
            .iter()
            .any(|(n, f)| n == "_xlnm.Print_Titles" && *f == format!("{quoted}!$1:$2")),
        "{first}: {names:?}"
    );
    assert!(names
        .iter()
        .any(|(n, f)| n == "_xlnm.Print_Area" && f.starts_with(&format!("{quoted}!$A$1:"))));
    assert!(wb.worksheet_range(first).is_ok());
    assert!(!wb
        .worksheet_range("_dxplan")
        .expect("hidden sheet")
        .is_empty());
}
