//! `dxplan undo-merge`: reverts one merged submission, field by field, wherever no later
//! change was made on top of it, and says where one was.

use serde::Serialize;

use super::MergeError;
use crate::model::fields::{project_fields, set_field};
use crate::store::{OpInfo, OpKind, Store, StoreError};

#[derive(Debug, Clone, Serialize)]
pub struct UndoReport {
    pub submission_id: i64,
    pub reverted: usize,
    /// Fields changed again after the merge: left as they are now.
    pub kept: Vec<KeptField>,
    pub conflicts_withdrawn: usize,
    pub proposals_removed: usize,
}

#[derive(Debug, Clone, Serialize)]
pub struct KeptField {
    pub project_id: String,
    pub field: String,
    pub reason: String,
}

pub fn undo_merge(store: &mut Store, submission_id: i64) -> Result<UndoReport, MergeError> {
    let sub = store
        .submission(submission_id)?
        .ok_or_else(|| StoreError::Missing {
            what: "提出 / submission",
            id: submission_id.to_string(),
        })?;
    if sub.undone {
        return Err(MergeError::Invalid(format!("提出番号 {submission_id} の統合は取り消し済みです / merge {submission_id} was already undone")));
    }
    let mut op =
        OpInfo::new(OpKind::Undo).source(format!("提出番号 {submission_id}: {}", sub.file));
    op.department = sub.department.clone();
    let report = store.write(op, |w| {
        let mut report = UndoReport { submission_id, reverted: 0, kept: Vec::new(), conflicts_withdrawn: 0, proposals_removed: 0 };
        let changes = w.changes_of_op(sub.op_id)?;
        // Changes of one project together, newest first, so each field returns to what it was.
        let mut by_project: Vec<(String, Vec<_>)> = Vec::new();
        for c in changes.into_iter().rev() {
            let Some(pid) = c.project_id.clone() else { continue };
            match by_project.iter_mut().find(|(p, _)| *p == pid) {
                Some((_, v)) => v.push(c),
                None => by_project.push((pid, vec![c])),
            }
        }
        for (pid, changes) in by_project {
            let Some(mut p) = w.load_project(&pid)? else {
                report.kept.push(KeptField { project_id: pid, field: String::new(), reason: "事業が削除されています / project deleted since".into() });
                continue;
            };
            if changes.iter().any(|c| c.field == "(created)") {
                // A proposal this merge added: removed unless someone has worked on it since.
                if w.project_changed_after(&pid, sub.op_id)? {
                    report.kept.push(KeptField { project_id: pid, field: "(created)".into(), reason: "提案された事業がその後編集されています / the proposal was edited since".into() });
                } else {
                    w.delete_project(&pid)?;
                    report.proposals_removed += 1;
                }
                continue;
            }
            let now = project_fields(&p);
            let mut changed = false;
            for c in changes {
                if now.get(&c.field) != c.new.as_ref() {
                    report.kept.push(KeptField {
                        project_id: pid.clone(),
                        field: c.field,
                        reason: "統合の後に変更されています（その変更を残します） / changed again after the merge (kept)".into(),
                    });
                    continue;
                }
                set_field(&mut p, &c.field, c.old.as_ref()).map_err(|e| StoreError::Invalid(e.to_string()))?;
                report.reverted += 1;
                changed = true;
            }
            if changed {
                w.save_project(&p)?;
            }
        }
        for c in w.conflicts(true)?.into_iter().filter(|c| c.submission_id == submission_id) {
            w.close_conflict(c.id, "withdrawn", None)?;
            report.conflicts_withdrawn += 1;
        }
        w.mark_submission_undone(submission_id)?;
        Ok(report)
    })?;
    Ok(report)
}
