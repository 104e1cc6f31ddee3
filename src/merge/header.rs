//! What the canonical order of answers (`order`) needs from a returned workbook, read before
//! any workbook is read whole: the export it answers (the first rows of the hidden sheet) and
//! when it was saved (the document properties). A merge of a folder reads these for every
//! file first, then reads, checks and applies the workbooks one at a time in that order, so
//! memory does not grow with the number of answers.
//!
//! Only what orders the answers is taken from here; everything is read again, whole, and
//! checked when the workbook is applied (`Header::matches`). A workbook this quick reading does
//! not recognise (an .ods, a sheet of another shape) is read whole here, as before.

use std::io::BufReader;
use std::path::{Path, PathBuf};

use calamine::{DataRef, Xlsx};

use super::{read_submission, MergeError};
use crate::format::meta::{FORMAT_MARKER, META_SHEET};

/// An answer's place in the canonical order, as far as its workbook says.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Header {
    pub file: PathBuf,
    pub export_id: String,
    /// `saved_at::saved_at`.
    pub saved_at: Option<String>,
    /// What the submission says (`merge::digest`): taken only when two answers to the same
    /// export were saved at the same time (the last key of the order), by reading them whole.
    pub digest: Option<String>,
}

impl Header {
    /// Reads the header of `file` (the quick way when it can).
    pub fn read(file: &Path) -> Result<Header, MergeError> {
        match quick(file) {
            Some(export_id) => Ok(Header {
                file: file.to_path_buf(),
                export_id,
                saved_at: super::saved_at::saved_at(file),
                digest: None,
            }),
            None => Header::whole(file),
        }
    }

    /// The header of a workbook read whole (with its digest).
    pub fn whole(file: &Path) -> Result<Header, MergeError> {
        let sub = read_submission(file)?;
        Ok(Header {
            file: file.to_path_buf(),
            export_id: sub.native.meta.export_id.clone(),
            saved_at: sub.cover.saved_at.clone(),
            digest: Some(sub.digest.clone()),
        })
    }

    /// Whether the workbook read whole when it is applied is the one that was ordered: the
    /// file may have been replaced in between (a department saving its answer again).
    pub fn matches(&self, export_id: &str, saved_at: Option<&str>, digest: &str) -> bool {
        self.export_id == export_id
            && self.saved_at.as_deref() == saved_at
            && self.digest.as_deref().is_none_or(|d| d == digest)
    }
}

/// The export id of a department workbook dxplan wrote (or Excel saved), from the first three
/// rows of its hidden sheet: `format`, `export_id`, `kind`. None for anything else, which is
/// then read whole (and refused or accepted there, with the usual messages).
fn quick(file: &Path) -> Option<String> {
    // Declared sizes and the shared-string count first, as before any read (`zip_check`).
    match crate::workbook::check_zip(file) {
        Ok(false) => {}
        _ => return None,
    }
    // calamine can panic on a damaged file: then the whole read says why.
    std::panic::catch_unwind(|| first_rows(file)).ok().flatten()
}

fn first_rows(file: &Path) -> Option<String> {
    let mut wb: Xlsx<BufReader<std::fs::File>> = calamine::open_workbook(file).ok()?;
    let mut cells = wb.worksheet_cells_reader(META_SHEET).ok()?;
    let mut text: [[Option<String>; 2]; 3] = Default::default();
    while let Ok(Some(cell)) = cells.next_cell() {
        let (r, c) = cell.get_position();
        if r > 2 {
            break;
        }
        if c < 2 {
            if let DataRef::SharedString(s) = cell.get_value() {
                text[r as usize][c as usize] = Some(s.to_string());
            } else if let DataRef::String(s) = cell.get_value() {
                text[r as usize][c as usize] = Some(s.clone());
            }
        }
    }
    let at = |r: usize, c: usize| text[r][c].as_deref().unwrap_or_default();
    let ours = at(0, 0) == "format"
        && at(0, 1) == FORMAT_MARKER
        && at(1, 0) == "export_id"
        && at(2, 0) == "kind"
        && at(2, 1) == crate::format::meta::ExportKind::Department.as_str();
    (ours && !at(1, 1).is_empty()).then(|| at(1, 1).to_string())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::export::{write_department, write_master, ExportOptions};

    fn options() -> ExportOptions {
        ExportOptions {
            export_id: Some("0193a0b2-0000-7000-8000-0000000000aa".into()),
            ..ExportOptions::default()
        }
    }

    #[test]
    fn a_department_workbook_is_placed_by_its_first_rows_alone() {
        let dir = tempfile::tempdir().expect("tmp");
        let plan = crate::sample::onojo().expect("sample");
        let file = dir.path().join("課.xlsx");
        write_department(&plan, &plan.org_units[0].id, &file, &options()).expect("export");
        let head = Header::read(&file).expect("header");
        assert_eq!(head.export_id, "0193a0b2-0000-7000-8000-0000000000aa");
        // Read quickly: no digest, which only a whole reading gives.
        assert_eq!(head.digest, None);
        let whole = Header::whole(&file).expect("whole");
        assert_eq!(whole.export_id, head.export_id);
        assert_eq!(whole.saved_at, head.saved_at);
        let digest = whole.digest.clone().expect("digest");
        assert!(head.matches(&whole.export_id, whole.saved_at.as_deref(), &digest));
        // The same file saved again later is not the one that was placed.
        assert!(!head.matches(&whole.export_id, Some("2099-01-01T00:00:00Z"), &digest));
        assert!(!whole.matches(&whole.export_id, whole.saved_at.as_deref(), "other"));
    }

    #[test]
    fn a_master_workbook_is_read_whole_and_refused_as_before() {
        let dir = tempfile::tempdir().expect("tmp");
        let plan = crate::sample::onojo().expect("sample");
        let file = dir.path().join("全体.xlsx");
        write_master(&plan, &file, &options()).expect("export");
        assert!(matches!(
            Header::read(&file),
            Err(MergeError::NotADepartmentWorkbook(_))
        ));
    }
}
