//! `dxplan undo-import`: takes one import back as a whole. Projects it created are removed, the
//! projects it changed get back what they were (whole, when nothing changed them since; else
//! field by field, keeping later changes, which it lists), then the policies, measures and units
//! it created are removed once nothing refers to them, and the labels it added to the import
//! profile are taken out. One transaction.

use std::collections::HashMap;

use serde::Serialize;

use super::error::ImportError;
use crate::model::fields::{project_fields, set_field};
use crate::store::{OpInfo, OpKind, Store, StoreError};

/// What undoing an import did.
#[derive(Debug, Clone, Serialize)]
pub struct UndoImportReport {
    /// The import undone.
    pub import_id: i64,
    /// Projects the import created, removed again.
    pub projects_removed: usize,
    /// Projects the import changed, put back.
    pub projects_restored: usize,
    /// Fields put back to their values before the import.
    pub fields_reverted: usize,
    /// Indicators and tasks the import added, removed again.
    pub items_removed: usize,
    /// Labels the import added to the profile, removed again.
    pub labels_removed: usize,
    /// What later work depends on: left as it is now.
    pub kept: Vec<KeptItem>,
}

#[derive(Debug, Clone, Serialize)]
pub struct KeptItem {
    pub project_id: String,
    pub field: String,
    pub reason: String,
}

/// Takes one import back as a whole, where later changes do not depend on it.
pub fn undo_import(store: &mut Store, import_id: i64) -> Result<UndoImportReport, ImportError> {
    let rec = store
        .import_record(import_id)?
        .ok_or_else(|| StoreError::Missing {
            what: "取り込み / import",
            id: import_id.to_string(),
        })?;
    if rec.undone {
        return Err(StoreError::Invalid(format!(
            "取込番号 {import_id} は取り消し済みです / import {import_id} was already undone"
        ))
        .into());
    }
    let op =
        OpInfo::new(OpKind::Undo).source(format!("取込番号 {import_id}: {}", rec.files.join(", ")));
    let report = store.write(op, |w| {
        let mut r = UndoImportReport {
            import_id,
            projects_removed: 0,
            projects_restored: 0,
            fields_reverted: 0,
            items_removed: 0,
            labels_removed: 0,
            kept: Vec::new(),
        };
        let changes = w.changes_of_op(rec.op_id)?;
        let before: HashMap<String, crate::model::Project> = w
            .import_before(import_id)?
            .into_iter()
            .map(|p| (p.id.clone(), p))
            .collect();
        // Each project's changes together, newest first, so each field returns to what it was.
        let mut by_project: Vec<(String, Vec<_>)> = Vec::new();
        let mut plan_items = Vec::new();
        for c in changes.into_iter().rev() {
            let Some(pid) = c.project_id.clone() else {
                plan_items.push(c);
                continue;
            };
            match by_project.iter_mut().find(|(p, _)| *p == pid) {
                Some((_, v)) => v.push(c),
                None => by_project.push((pid, vec![c])),
            }
        }
        for (pid, changes) in by_project {
            let later = w.project_changed_after(&pid, rec.op_id)?;
            let Some(mut p) = w.load_project(&pid)? else {
                r.kept.push(KeptItem {
                    project_id: pid,
                    field: String::new(),
                    reason: "事業がその後削除されています / the project was deleted since".into(),
                });
                continue;
            };
            if changes.iter().any(|c| c.field == "(created)") {
                if later {
                    r.kept.push(KeptItem {
                        project_id: pid,
                        field: "(created)".into(),
                        reason: "取り込んだ事業がその後編集されています（残します） / the imported project was edited since (kept)".into(),
                    });
                } else {
                    w.delete_project(&pid)?;
                    r.projects_removed += 1;
                }
                continue;
            }
            if let (false, Some(was)) = (later, before.get(&pid)) {
                r.fields_reverted += changes.len();
                w.save_project(was)?;
                r.projects_restored += 1;
                continue;
            }
            let now = project_fields(&p);
            let mut changed = false;
            for c in changes {
                if now.get(&c.field) != c.new.as_ref() {
                    r.kept.push(KeptItem {
                        project_id: pid.clone(),
                        field: c.field,
                        reason: "取り込みの後に変更されています（その変更を残します） / changed again after the import (kept)".into(),
                    });
                    continue;
                }
                set_field(&mut p, &c.field, c.old.as_ref())
                    .map_err(|e| StoreError::Invalid(e.to_string()))?;
                r.fields_reverted += 1;
                changed = true;
            }
            if changed {
                w.save_project(&p)?;
                r.projects_restored += 1;
            }
        }
        // Measures before policies, units after both: each goes once nothing refers to it.
        let rank = |f: &str| match f.split('/').next() {
            Some("measure") => 0,
            Some("policy") => 1,
            Some("org_unit") => 2,
            _ => 3,
        };
        plan_items.sort_by_key(|c| rank(&c.field));
        for c in plan_items {
            let Some((kind, id)) = c.field.split_once('/') else {
                continue;
            };
            match kind {
                "import_label" => {
                    w.restore_import_label(id, c.old.as_ref())?;
                    r.labels_removed += 1;
                }
                "policy" | "measure" | "org_unit" if c.old.is_none() => {
                    if w.delete_created(kind, id)? {
                        r.items_removed += 1;
                    } else {
                        r.kept.push(KeptItem {
                            project_id: String::new(),
                            field: c.field.clone(),
                            reason: "その後ほかの事業や組織から使われています（残します） / used by other items since (kept)".into(),
                        });
                    }
                }
                _ => {}
            }
        }
        w.mark_import_undone(import_id)?;
        Ok(r)
    })?;
    Ok(report)
}
