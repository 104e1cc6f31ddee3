//! `dxplan undo-merge`: reverts one merged submission, field by field, wherever no later
//! change was made on top of it, and says where one was. A conflict of the submission that
//! the office resolved by taking the department's value (`resolve --take theirs`) is part of
//! the submission: that value is reverted too. A conflict resolved with a value the office
//! typed is the office's own work: kept, and said so.

use serde::Serialize;

use super::MergeError;
use crate::model::fields::{apply_fields, project_fields};
use crate::model::Project;
use crate::store::merge_log::{ConflictRecord, LoggedChange};
use crate::store::{ConflictStatus, OpInfo, OpKind, Store, StoreError, Writer};

/// What undoing a merge did.
#[derive(Debug, Clone, Serialize)]
pub struct UndoReport {
    /// The merged submission.
    pub submission_id: i64,
    /// Fields put back.
    pub reverted: usize,
    /// Conflicts resolved by taking the department's value, whose value was reverted too.
    pub resolutions_reverted: Vec<RevertedResolution>,
    /// Fields changed again after the merge (or resolved by the office's own value): left as
    /// they are now.
    pub kept: Vec<KeptField>,
    /// Open conflicts withdrawn.
    pub conflicts_withdrawn: usize,
    /// Proposed projects removed.
    pub proposals_removed: usize,
}

#[derive(Debug, Clone, Serialize)]
pub struct RevertedResolution {
    pub conflict_id: i64,
    pub project_id: String,
    pub project: String,
    pub field: String,
    /// The field in words (「KPI「…」 2023年度 実績」).
    pub label: String,
}

#[derive(Debug, Clone, Serialize)]
pub struct KeptField {
    pub project_id: String,
    /// The project's title (empty when it was deleted).
    pub project: String,
    pub field: String,
    pub label: String,
    pub reason: String,
}

const CHANGED_SINCE: &str =
    "統合の後に変更されています（その変更を残します） / changed again after the merge (kept)";

/// Reverts the logged `changes` of one operation (newest first), field by field where the
/// field still holds what the operation wrote; the others are listed in `kept`.
fn revert(
    w: &mut Writer<'_>,
    changes: Vec<LoggedChange>,
    kept: &mut Vec<KeptField>,
) -> crate::store::Result<usize> {
    let mut by_project: Vec<(String, Vec<LoggedChange>)> = Vec::new();
    for c in changes.into_iter().rev() {
        let Some(pid) = c.project_id.clone() else {
            continue;
        };
        match by_project.iter_mut().find(|(p, _)| *p == pid) {
            Some((_, v)) => v.push(c),
            None => by_project.push((pid, vec![c])),
        }
    }
    let mut reverted = 0;
    for (pid, changes) in by_project {
        let Some(mut p) = w.load_project(&pid)? else {
            kept.push(KeptField {
                project_id: pid,
                project: String::new(),
                field: String::new(),
                label: String::new(),
                reason: "事業が削除されています / project deleted since".into(),
            });
            continue;
        };
        let now = project_fields(&p);
        let mut back: Vec<(String, Option<serde_json::Value>)> = Vec::new();
        for c in changes {
            if now.get(&c.field) != c.new.as_ref() {
                kept.push(kept_field(&p, &c.field, CHANGED_SINCE));
                continue;
            }
            back.push((c.field, c.old));
        }
        if back.is_empty() {
            continue;
        }
        // An item before its values (a removed indicator comes back before its targets),
        // row orders last (`apply_fields`).
        back.sort_by(|a, b| a.0.cmp(&b.0));
        apply_fields(&mut p, back.iter().map(|(f, v)| (f.as_str(), v.as_ref())))
            .map_err(|e| StoreError::Invalid(e.to_string()))?;
        reverted += back.len();
        w.save_project(&p)?;
    }
    Ok(reverted)
}

fn kept_field(p: &Project, field: &str, reason: &str) -> KeptField {
    KeptField {
        project_id: p.id.clone(),
        project: p.title.clone(),
        field: field.to_string(),
        label: super::describe(field, p, p),
        reason: reason.to_string(),
    }
}

/// What the office did with a resolved conflict of the submission: the changes of its
/// resolution when it took the department's value, `Err(reason)` when it typed its own.
fn resolution(
    w: &Writer<'_>,
    c: &ConflictRecord,
) -> crate::store::Result<Option<Result<Vec<LoggedChange>, String>>> {
    let Some(op) = c
        .closed_op_id
        .filter(|_| c.status == ConflictStatus::Resolved)
    else {
        return Ok(None);
    };
    let changes: Vec<LoggedChange> = w
        .changes_of_op(op)?
        .into_iter()
        .filter(|x| x.project_id.as_deref() == Some(c.project_id.as_str()))
        .collect();
    let Some(set) = changes.iter().find(|x| x.field == c.field) else {
        // Resolved with the value that already stood (the office's): nothing to revert.
        return Ok(None);
    };
    if set.new == c.theirs {
        return Ok(Some(Ok(changes)));
    }
    if set.new == c.ours {
        return Ok(None);
    }
    let typed = super::words::value_text(&c.field, set.new.as_ref(), &w.org_units()?);
    Ok(Some(Err(format!("DX 推進担当が入力した値「{typed}」で解決した修正が重なった項目です。その値を残します / resolved with a value the office typed: kept"))))
}

/// Reverts one merged submission where later changes do not depend on it.
pub fn undo_merge(store: &mut Store, submission_id: i64) -> Result<UndoReport, MergeError> {
    let sub = store
        .submission(submission_id)?
        .ok_or(MergeError::UnknownSubmission(submission_id))?;
    if sub.undone {
        return Err(MergeError::Invalid(format!("提出番号 {submission_id} の統合は取り消し済みです / merge {submission_id} was already undone")));
    }
    let mut op =
        OpInfo::new(OpKind::Undo).source(format!("提出番号 {submission_id}: {}", sub.file));
    op.department = sub.department.clone();
    let report = store.write(op, |w| {
        let mut report = UndoReport {
            submission_id,
            reverted: 0,
            resolutions_reverted: Vec::new(),
            kept: Vec::new(),
            conflicts_withdrawn: 0,
            proposals_removed: 0,
        };
        let conflicts: Vec<ConflictRecord> = w
            .conflicts(false)?
            .into_iter()
            .filter(|c| c.submission_id == submission_id)
            .collect();
        // Resolutions came after the merge: reverted first, newest first.
        let mut resolved: Vec<(&ConflictRecord, Result<Vec<LoggedChange>, String>)> = Vec::new();
        for c in &conflicts {
            if let Some(r) = resolution(w, c)? {
                resolved.push((c, r));
            }
        }
        resolved.sort_by_key(|(c, _)| std::cmp::Reverse(c.closed_op_id));
        for (c, r) in resolved {
            let p = w.load_project(&c.project_id)?;
            match (r, p) {
                (Ok(changes), Some(p)) => {
                    let before = report.kept.len();
                    report.reverted += revert(w, changes, &mut report.kept)?;
                    if report.kept.len() == before {
                        report.resolutions_reverted.push(RevertedResolution {
                            conflict_id: c.id,
                            project_id: p.id.clone(),
                            project: p.title.clone(),
                            field: c.field.clone(),
                            label: super::describe(&c.field, &p, &p),
                        });
                    }
                }
                (Err(reason), Some(p)) => report.kept.push(kept_field(&p, &c.field, &reason)),
                (_, None) => {}
            }
        }
        let changes = w.changes_of_op(sub.op_id)?;
        let mut fields = Vec::new();
        for c in changes {
            let Some(pid) = c.project_id.clone() else {
                continue;
            };
            if c.field != "(created)" {
                fields.push(c);
                continue;
            }
            // A proposal this merge added: removed unless someone has worked on it since.
            let title = w.load_project(&pid)?.map(|p| p.title).unwrap_or_default();
            if w.project_changed_after(&pid, sub.op_id)? {
                report.kept.push(KeptField {
                    project_id: pid,
                    project: title,
                    field: "(created)".into(),
                    label: "提案された事業".into(),
                    reason:
                        "提案された事業がその後編集されています / the proposal was edited since"
                            .into(),
                });
            } else {
                w.delete_project(&pid)?;
                report.proposals_removed += 1;
            }
        }
        report.reverted += revert(w, fields, &mut report.kept)?;
        for c in conflicts
            .iter()
            .filter(|c| c.status == ConflictStatus::Open)
        {
            w.close_conflict(c.id, ConflictStatus::Withdrawn, None)?;
            report.conflicts_withdrawn += 1;
        }
        w.mark_submission_undone(submission_id)?;
        Ok(report)
    })?;
    Ok(report)
}
