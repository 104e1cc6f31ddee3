//! 部 review: a 部 (e.g. 総務部) gathers the answers of the 課 under it before the office.
//!
//! Design. In a round with `--review 総務部`, each 課 under 総務部 gets its own workbook (the
//! office's export, registered and sealed as usual) and 総務部 gets one covering all of them,
//! exported after theirs: its hidden sheet, sealed by the office, lists each 課 workbook's
//! export id, department, register sequence and MAC (`MemberExport`). The 部 opens its
//! workbook as a working copy (a plan file of its own, like a department's), merges the 課
//! answers it receives into it under the merge's own rules (`Authority::Review`: an answer is
//! accepted when its hidden sheet carries one of the listed export ids with the listed
//! department and MAC, in the same round; a 課 changes only its own projects), reviews, and
//! writes one answer (`write_answer`): the office's hidden sheet of the 部 workbook verbatim,
//! the working copy's values, and a sheet 「_dxplan_via」 naming the 課 answers it gathered.
//!
//! The 課 answers carry the office's export ids of the 課 workbooks, never the 部's: the same
//! file can go to the 部 or straight to the office. The office merges the 部's answer against
//! the 部 workbook's base; where it merged a gathered 課 answer itself too, that answer's
//! statements are the base (no conflict with what the 部 passed on), and the chain
//! 課 → 部 → 事務局 is recorded with the submission (`history`, `submissions`, `round status`).
//! The working copy cannot check a MAC (it has no key); what a 課 answer brings in is the 部's
//! answer at the office, checked there against the register and the 部's scope.

use std::path::{Path, PathBuf};

use super::RoundError;
use crate::export::{export_submission, ExportOptions, ExportSummary};
use crate::format::meta::ExportMeta;
use crate::merge::report::MergeReport;
use crate::merge::{merge_with, Authority, MergeOptions};
use crate::store::Store;

/// The hidden sheet of a workbook as received (what a working copy answers).
pub fn received_meta(workbook: &Path) -> Result<ExportMeta, RoundError> {
    let wb = crate::workbook::open(workbook).map_err(crate::import::ImportError::from)?;
    let native = crate::import::native::read_native(workbook, &wb)?
        .ok_or_else(|| crate::merge::MergeError::NotASubmission(workbook.to_path_buf()))?;
    if native.meta.department.is_none() {
        return Err(
            crate::merge::MergeError::NotADepartmentWorkbook(workbook.to_path_buf()).into(),
        );
    }
    Ok(native.meta)
}

/// Opens the working copy `copy` of a received workbook, creating it from the workbook on first
/// use (the plan items and projects it carries, by id). Returns the workbook's hidden sheet.
pub fn open_working_copy(workbook: &Path, copy: &Path) -> Result<(Store, ExportMeta), RoundError> {
    let meta = received_meta(workbook)?;
    if !copy.exists() {
        crate::import::new_plan_from_workbook(copy, &meta.plan, workbook)?;
    }
    let store = Store::open(copy)?;
    if store.plan_info()?.id != meta.plan.id {
        return Err(RoundError::Invalid(format!(
            "作業用コピー「{}」は別の計画のものです / the working copy {} belongs to another plan",
            copy.display(),
            copy.display()
        )));
    }
    Ok((store, meta))
}

/// Merges the answers of the 課 a 部's workbook gathers into the 部's working copy.
pub fn merge_answers(
    store: &mut Store,
    received: &ExportMeta,
    files: &[PathBuf],
    opts: MergeOptions,
) -> Result<MergeReport, RoundError> {
    if received.members.is_empty() {
        return Err(RoundError::Invalid(format!(
            "「{}」のブックは課の回答を取りまとめるブックではありません（照会で --review に指定した部のブックだけが取りまとめます） / this workbook gathers no 課 answers (only a 部's workbook of a round started with --review does)",
            received.department.as_ref().map_or("", |d| d.name.as_str())
        )));
    }
    Ok(merge_with(store, files, opts, Authority::Review(received))?)
}

/// Writes the working copy's answer: the received hidden sheet verbatim, the copy's values, and
/// (for a 部) the 課 answers it gathered.
pub fn write_answer(
    store: &Store,
    received: &ExportMeta,
    path: &Path,
) -> Result<ExportSummary, RoundError> {
    let plan = store.load_plan()?;
    Ok(export_submission(
        store,
        &plan,
        received,
        path,
        &ExportOptions::default(),
    )?)
}
