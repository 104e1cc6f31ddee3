//! The order of a department's answers. An answer is placed by the register sequence of the
//! export it answers (the office's own counter, never a date written in the workbook), then by
//! the order in which answers were merged (the merge log). An answer to an older export of the
//! same department does not overwrite a field that an answer to a newer export already set;
//! answers to the same export are taken in the order they are merged.
//!
//! Issue 15 will refine this (a department's own later answer supersedes its earlier values
//! without a conflict; several answers in one command taken in the order the department saved
//! them): that is a change here, given the submission record and the answer being merged.

use crate::store::merge_log::SubmissionRecord;

/// An answer being merged: its department and the register sequence of its export.
#[derive(Debug, Clone, Copy)]
pub struct Answer<'a> {
    pub department_id: &'a str,
    pub export_seq: i64,
}

/// Whether `last`, the merged answer that last set a field, is newer than `this` answer of the
/// same department, so `this` must not overwrite it. `same_department`: `last` came from this
/// department, or from a unit whose work the same unit carries now (an April reorganisation
/// between the two exports, `merge::carriers`).
pub fn superseded_by(this: Answer<'_>, last: &SubmissionRecord, same_department: bool) -> bool {
    (same_department || last.department_id == this.department_id)
        && last.export_seq.is_some_and(|seq| seq > this.export_seq)
}
