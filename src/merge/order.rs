//! The order of a department's answers. An answer is placed by the register sequence of the
//! export it answers (the office's own counter, never a date written in the workbook): an
//! answer to an older export of the same department does not overwrite a field that an answer
//! to a newer export already set.
//!
//! Answers to the same export are one department's own: a corrected answer sent later is
//! normal. They are placed by the time the workbook was saved (`saved_at`, docProps), which may
//! order a department's own answers and nothing else: the later-saved answer supersedes the
//! earlier one's values without a conflict (its base is what the earlier answer said, see
//! `merge`), and an answer saved before one already merged changes nothing. Within one merge
//! command all answers are applied in `canonical` order, so the order of the files on the
//! command line (or in a folder) never changes the result.

use std::cmp::Ordering;

use crate::store::merge_log::SubmissionRecord;

/// An answer being merged: its department, the export it answers and when it was saved.
#[derive(Debug, Clone, Copy)]
pub struct Answer<'a> {
    pub department_id: &'a str,
    /// None only in a working copy, which has no register of the office's exports.
    pub export_seq: Option<i64>,
    pub export_id: &'a str,
    /// RFC 3339 UTC (`saved_at::saved_at`).
    pub saved_at: Option<&'a str>,
}

/// Whether `last`, the merged answer that last set a field, is newer than `this` answer of the
/// same department, so `this` must not overwrite it. `same_department`: `last` came from this
/// department, or from a unit whose work the same unit carries now (an April reorganisation
/// between the two exports, `merge::carriers`).
pub fn superseded_by(this: Answer<'_>, last: &SubmissionRecord, same_department: bool) -> bool {
    (same_department || last.department_id == this.department_id)
        && matches!((last.export_seq, this.export_seq), (Some(l), Some(t)) if l > t)
}

/// Whether `earlier`, an answer already merged, answers the same export and was saved after
/// `this`: then `this` is an older version of the department's answer.
pub fn saved_later(this: Answer<'_>, earlier: &SubmissionRecord) -> bool {
    earlier.export_id == this.export_id
        && matches!((earlier.saved_at.as_deref(), this.saved_at), (Some(e), Some(t)) if e > t)
}

/// Where an answer goes in one merge: by the register sequence of its export (exports of
/// different departments never trade places by a date in a file), then by export id, then,
/// for one export, by save time, then by content.
#[derive(Debug, Clone, Copy)]
pub struct Placed<'a> {
    pub export_seq: Option<i64>,
    pub export_id: &'a str,
    pub saved_at: Option<&'a str>,
    pub digest: &'a str,
}

pub fn canonical(a: &Placed<'_>, b: &Placed<'_>) -> Ordering {
    let seq = |p: &Placed<'_>| p.export_seq.unwrap_or(i64::MAX);
    seq(a)
        .cmp(&seq(b))
        .then_with(|| a.export_id.cmp(b.export_id))
        .then_with(|| a.saved_at.cmp(&b.saved_at))
        .then_with(|| a.digest.cmp(b.digest))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_department_is_ordered_by_export_then_save_time() {
        let p = |seq, id, saved, digest| Placed {
            export_seq: Some(seq),
            export_id: id,
            saved_at: saved,
            digest,
        };
        let mut v = [
            p(2, "b", Some("2027-01-02T00:00:00Z"), "x"),
            p(1, "a", Some("2027-01-03T00:00:00Z"), "y"),
            p(1, "a", Some("2027-01-01T00:00:00Z"), "z"),
            p(1, "a", None, "w"),
        ];
        v.sort_by(canonical);
        let order: Vec<&str> = v.iter().map(|p| p.digest).collect();
        assert_eq!(order, ["w", "z", "y", "x"]);
    }
}
