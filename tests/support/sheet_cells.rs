//! Finding cells of dxplan's own project sheets by their row keys (never by label or
//! position), and reading whether a cell is locked from the workbook's XML.

#![allow(dead_code)]

use std::path::Path;

use dxplan::export::layout::RowKey;

use super::xlsx_edit::{a1, Xlsx};

/// The cell of a row key (and fiscal year) on the sheet of project `pid`: (sheet, A1).
/// Without a year, the value cell right of the label (column B).
pub fn cell_of(
    file: &Path,
    pid: &str,
    row: impl Fn(&RowKey) -> bool,
    fy: Option<i32>,
) -> (String, String) {
    let wb = dxplan::workbook::open(file).unwrap();
    for g in &wb.sheets {
        let keys: Vec<(u32, RowKey)> = g
            .cells
            .iter()
            .filter_map(|(&(r, _), c)| {
                RowKey::from_cell(&c.text)
                    .and_then(Result::ok)
                    .map(|k| (r, k))
            })
            .collect();
        if !keys
            .iter()
            .any(|(_, k)| matches!(k, RowKey::Project { id } if id == pid))
        {
            continue;
        }
        let header = keys.iter().find(|(_, k)| *k == RowKey::Header).unwrap().0;
        let col = match fy {
            Some(fy) => {
                g.row(header)
                    .find(|(_, c)| dxplan::parse::fiscal_year::parse_fiscal_year(&c.text) == Ok(fy))
                    .unwrap_or_else(|| panic!("no column for {fy} on {}", g.name))
                    .0
            }
            None => 1,
        };
        let r = keys
            .iter()
            .find(|(_, k)| row(k))
            .unwrap_or_else(|| panic!("row not found on {}", g.name))
            .0;
        return (g.name.clone(), a1(r, col));
    }
    panic!("no sheet for project {pid}");
}

/// Whether a cell is locked, read from the XML: the cell's style (`s`) indexes `cellXfs`
/// in xl/styles.xml, where an unlocked format carries `<protection locked="0"/>`. A cell
/// not written has the default style, which is locked.
pub fn is_locked(x: &Xlsx, sheet: &str, cell: &str) -> bool {
    let xml = x.sheet_xml(sheet);
    let open = format!("<c r=\"{cell}\"");
    let Some(at) = xml.find(&open) else {
        return true;
    };
    let tag = &xml[at..at + xml[at..].find('>').unwrap()];
    let style: usize = tag
        .find(" s=\"")
        .map(|i| {
            let v = &tag[i + 4..];
            v[..v.find('"').unwrap()].parse().unwrap()
        })
        .unwrap_or(0);
    let styles = x.part("xl/styles.xml");
    let xfs = &styles[styles.find("<cellXfs").unwrap()..styles.find("</cellXfs>").unwrap()];
    let xf = xfs
        .split("<xf ")
        .nth(style + 1)
        .unwrap_or_else(|| panic!("no cellXfs entry {style}"));
    !xf.contains("locked=\"0\"")
}

/// Whether the sheet is protected (locked cells then cannot be edited).
pub fn is_protected(x: &Xlsx, sheet: &str) -> bool {
    x.sheet_xml(sheet).contains("<sheetProtection")
}
