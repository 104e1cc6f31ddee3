//! Where a keyed row of an exported project sheet is: the cell a person would type into.

#![allow(dead_code)]

use std::path::Path;

use dxplan::export::layout::RowKey;

use super::xlsx_edit::a1;

/// The cell of a row key (and fiscal year) on the sheet of project `pid` in a workbook:
/// (sheet name, A1). Text rows: the value cell right of the label.
pub fn cell_of(
    file: &Path,
    pid: &str,
    row: impl Fn(&RowKey) -> bool,
    fy: Option<i32>,
) -> (String, String) {
    let (sheet, r, _) = key_of(file, pid, &row);
    let wb = dxplan::workbook::open(file).unwrap();
    let g = wb.sheets.iter().find(|g| g.name == sheet).unwrap();
    let header = keys(g)
        .into_iter()
        .find(|(_, _, k)| *k == RowKey::Header)
        .unwrap()
        .0;
    let col = match fy {
        Some(fy) => {
            g.row(header)
                .find(|(_, c)| dxplan::parse::fiscal_year::parse_fiscal_year(&c.text) == Ok(fy))
                .unwrap()
                .0
        }
        None => 1,
    };
    (sheet, a1(r, col))
}

/// The hidden key cell itself of the first row matching `row`: (sheet, row, A1 of the key).
pub fn key_of(file: &Path, pid: &str, row: &dyn Fn(&RowKey) -> bool) -> (String, u32, String) {
    let wb = dxplan::workbook::open(file).unwrap();
    for g in &wb.sheets {
        let ks = keys(g);
        if !ks
            .iter()
            .any(|(_, _, k)| matches!(k, RowKey::Project { id } if id == pid))
        {
            continue;
        }
        let (r, c, _) = ks
            .into_iter()
            .find(|(_, _, k)| row(k))
            .unwrap_or_else(|| panic!("row not found on {}", g.name));
        return (g.name.clone(), r, a1(r, c));
    }
    panic!("no sheet for project {pid}");
}

fn keys(g: &dxplan::import::grid::Grid) -> Vec<(u32, u32, RowKey)> {
    g.cells
        .iter()
        .filter_map(|(&(r, c), cell)| {
            RowKey::from_cell(&cell.text)
                .and_then(Result::ok)
                .map(|k| (r, c, k))
        })
        .collect()
}
