//! What a person gets who selects the sheets of a workbook and pastes their values and cell
//! colours into a new workbook: every visible sheet, its texts and numbers (formulas as their
//! results) and its filled cells, nothing of the hidden sheet or the hidden key column.

#![allow(dead_code)]

use std::path::Path;

use rust_xlsxwriter::{Color, Format, FormatPattern, Workbook};

pub fn copy_values(src: &Path, dst: &Path) {
    let wb = dxplan::workbook::open(src).unwrap();
    let mut out = Workbook::new();
    let fill = Format::new()
        .set_pattern(FormatPattern::Solid)
        .set_background_color(Color::RGB(0xBDD7EE));
    let plain = Format::new();
    for g in wb.sheets.iter().filter(|g| !g.hidden) {
        let ws = out.add_worksheet();
        ws.set_name(&g.name).unwrap();
        for (&(r, c), cell) in &g.cells {
            if cell.text.starts_with(dxplan::export::layout::KEY_PREFIX) {
                continue;
            }
            let f = if cell.filled { &fill } else { &plain };
            let c = c as u16;
            match cell.number {
                // A number shown as itself stays a number (amounts, the 合計 results).
                Some(n) if cell.text.parse::<f64>() == Ok(n) => {
                    ws.write_number_with_format(r, c, n, f).unwrap();
                }
                _ if cell.text.is_empty() => {
                    ws.write_blank(r, c, f).unwrap();
                }
                _ => {
                    ws.write_string_with_format(r, c, &cell.text, f).unwrap();
                }
            }
        }
    }
    out.save(dst).unwrap();
}
