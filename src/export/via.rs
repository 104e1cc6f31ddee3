//! The hidden sheet 「_dxplan_via」 of a 部's answer: the 課 answers its working copy gathered
//! (export id, 課, 記入者, 連絡先, save time, digest), so the office sees the chain 課 → 部 →
//! 事務局. It is not sealed (a working copy has no key): the office takes a line only for a
//! 課 workbook it issued in the same round to a unit under the 部 (`merge`), and the chain is a
//! record, never a permission.
//!
//! ```text
//! format | dxplan-via | 1
//! via    | <export id> | <unit id> | <課名> | <記入者> | <連絡先> | <連絡事項> | <saved at> | <digest>
//! ```

use rust_xlsxwriter::Workbook;

use super::safe::{utf16_len, MAX_CELL_CHARS};
use super::BuildError;
use crate::grid::Grid;
use crate::model::ids::is_valid_id;
use crate::store::ViaRecord;

pub const VIA_SHEET: &str = "_dxplan_via";
const MARKER: &str = "dxplan-via";

fn cut(s: &str) -> String {
    if utf16_len(s) <= MAX_CELL_CHARS {
        return s.to_string();
    }
    let mut out = String::new();
    for ch in s.chars() {
        if utf16_len(&out) + ch.len_utf16() > MAX_CELL_CHARS {
            break;
        }
        out.push(ch);
    }
    out
}

/// Adds the sheet (very hidden, protected) when `via` is not empty.
pub(crate) fn write_via_sheet(wb: &mut Workbook, via: &[ViaRecord]) -> Result<(), BuildError> {
    if via.is_empty() {
        return Ok(());
    }
    let ws = wb.add_worksheet();
    ws.set_name(VIA_SHEET)?;
    ws.write_string(0, 0, "format")?;
    ws.write_string(0, 1, MARKER)?;
    ws.write_string(0, 2, "1")?;
    for (i, v) in via.iter().enumerate() {
        let r = i as u32 + 1;
        let cells = [
            "via",
            v.export_id.as_str(),
            v.department_id.as_str(),
            v.department.as_str(),
            v.respondent.as_str(),
            v.contact.as_str(),
            v.remarks.as_str(),
            v.saved_at.as_deref().unwrap_or(""),
            v.digest.as_str(),
        ];
        for (c, text) in cells.iter().enumerate() {
            if !text.is_empty() {
                ws.write_string(r, c as u16, cut(text))?;
            }
        }
    }
    ws.protect();
    ws.set_very_hidden(true);
    Ok(())
}

pub fn is_via_sheet(g: &Grid) -> bool {
    g.text(0, 0) == "format" && g.text(0, 1) == MARKER
}

/// The lines of a workbook's 「_dxplan_via」 sheet; lines whose ids are not in dxplan's form
/// are left out (the office records only what it can check).
pub fn read_via(sheets: &[Grid]) -> Vec<ViaRecord> {
    let Some(g) = sheets.iter().find(|g| is_via_sheet(g)) else {
        return Vec::new();
    };
    g.used_rows()
        .into_iter()
        .filter(|&r| g.text(r, 0) == "via")
        .map(|r| ViaRecord {
            export_id: g.text(r, 1).to_string(),
            department_id: g.text(r, 2).to_string(),
            department: g.text(r, 3).to_string(),
            respondent: g.text(r, 4).to_string(),
            contact: g.text(r, 5).to_string(),
            remarks: g.text(r, 6).to_string(),
            saved_at: Some(g.text(r, 7).to_string()).filter(|s| !s.is_empty()),
            digest: g.text(r, 8).to_string(),
        })
        .filter(|v| is_valid_id(&v.export_id) && is_valid_id(&v.department_id))
        .collect()
}
