//! One accepted submission merged: field by field against its base, where the base of a
//! department's corrected answer is what its earlier answer to the same export said, and the
//! base of a 部's answer includes the 課 answers it gathered that the office merged too.

use std::borrow::Cow;
use std::cell::OnceCell;
use std::collections::HashMap;
use std::path::Path;

use serde_json::Value as Json;

use super::carriers::{unit_names, Carriers};
use super::locate::Locator;
use super::report::*;
use super::three_way::{three_way, Decision};
use super::verify::{self, Accepted};
use super::{
    describe, guard, order, saved, scope, words, Authority, MergeError, Refusal, Submission,
};
use super::{StoreError, OFFICE_FIELDS};
use crate::import::apply::Target;
use crate::model::fields::{apply_fields, project_fields, FieldMap};
use crate::model::ids::shown;
use crate::model::{Owner, OwnerRole, Project, ProjectStatus};
use crate::store::merge_log::SubmissionRecord;
use crate::store::ConflictStatus;
use crate::store::{NewConflict, NewSubmission, OpInfo, OpKind, RegisterKind, ViaRecord, Writer};

/// The 課 answers a 部's answer says it gathered that the office can check: a department
/// workbook it issued to that unit, under the 部 now, in the same round. The names are the
/// register's.
fn checked_via(
    w: &Writer<'_>,
    sub: &Submission,
    accepted: &Accepted,
    scope: &scope::Scope,
    carriers: &mut Carriers,
) -> Result<Vec<ViaRecord>, MergeError> {
    let mut out = Vec::new();
    for v in &sub.via {
        let Some(e) = w.issued_export(&v.export_id)? else {
            continue;
        };
        if e.kind != RegisterKind::Department
            || e.department_id.as_deref() != Some(v.department_id.as_str())
        {
            continue;
        }
        let under = scope.units.contains(&v.department_id)
            || carriers
                .of(w, &v.department_id)?
                .iter()
                .any(|u| scope.units.contains(u));
        let round = w.round_of_export(&v.export_id)?.map(|l| l.round_id);
        if !under || (accepted.round_id.is_some() && round != accepted.round_id) {
            continue;
        }
        if out.iter().any(|x: &ViaRecord| x.export_id == v.export_id) {
            continue;
        }
        out.push(ViaRecord {
            department: e.department,
            ..v.clone()
        });
    }
    Ok(out)
}

/// Withdraws the conflicts earlier answers left open on a field stated anew.
fn withdraw(
    w: &mut Writer<'_>,
    earlier: &[&SubmissionRecord],
    project_id: &str,
    field: &str,
) -> Result<(), MergeError> {
    for s in earlier {
        for id in w.open_conflicts_on(s.id, project_id, field)? {
            w.close_conflict(id, ConflictStatus::Withdrawn, None)?;
        }
    }
    Ok(())
}

/// What an earlier answer stated on top of `base`: its recorded fields (a cleared one removes
/// the field).
fn overlay(
    w: &Writer<'_>,
    base: &mut FieldMap,
    stated_by: &SubmissionRecord,
    project_id: &str,
) -> Result<(), MergeError> {
    for (field, value) in w.answer_fields(stated_by.id, project_id)? {
        match value {
            Some(v) => {
                base.insert(field, v);
            }
            None => {
                base.remove(&field);
            }
        }
    }
    Ok(())
}

/// The plan's side of one returned sheet.
enum Side {
    /// The office deleted the project since the export.
    Deleted,
    /// The sheet came back as it was exported, with no earlier answer under it: the plan still
    /// has the project, and nothing was loaded or compared.
    Untouched,
    /// The project as the plan has it now, with the field maps of the export's base and of
    /// the sheet.
    Loaded {
        ours: Box<Project>,
        export_base: FieldMap,
        theirs_fields: FieldMap,
    },
}

pub(super) fn merge_one(
    w: &mut Writer<'_>,
    sub: &Submission,
    accepted: &Accepted,
    authority: Authority<'_>,
    dry_run: bool,
) -> Result<SubmissionMerge, MergeError> {
    let file = sub.file.as_path();
    let meta = &sub.native.meta;
    let dept_id = accepted.department_id.clone();
    let dept_name = accepted.department.clone();
    let this = order::Answer {
        department_id: &dept_id,
        export_seq: accepted.export_seq,
        export_id: &meta.export_id,
        saved_at: sub.cover.saved_at.as_deref(),
    };
    let units = w.org_units()?;
    let scope = scope::department_scope(w, &units, &dept_id)?;
    // The units that carry the department's work now: its own unit, or the units an April
    // reorganisation since the export renamed, merged or split it into.
    let mut carriers = Carriers::default();
    let carried_by = carriers.of(w, &dept_id)?.to_vec();
    let renamed = !carried_by.is_empty() && carried_by != [dept_id.clone()];
    let via = match authority {
        Authority::Office => checked_via(w, sub, accepted, &scope, &mut carriers)?,
        Authority::Review(_) => Vec::new(),
    };
    let mut out = SubmissionMerge {
        file: file.display().to_string(),
        export_id: meta.export_id.clone(),
        exported_at: accepted.exported_at.clone(),
        department: dept_name.clone(),
        carried_by: if renamed {
            unit_names(w, &carried_by)?
        } else {
            Vec::new()
        },
        status: SubmissionStatus::Merged,
        submission_id: None,
        respondent: sub.cover.respondent.clone(),
        contact: sub.cover.contact.clone(),
        remarks: sub.cover.remarks.clone(),
        saved_at: sub.cover.saved_at.clone(),
        via: via.iter().map(|v| v.department.clone()).collect(),
        superseded_by: None,
        projects: Vec::new(),
        proposals: Vec::new(),
        skipped_sheets: Vec::new(),
    };
    let earlier: Vec<SubmissionRecord> =
        w.submissions()?.into_iter().filter(|s| !s.undone).collect();
    if earlier
        .iter()
        .any(|s| s.export_id == meta.export_id && s.digest == sub.digest)
    {
        out.status = SubmissionStatus::AlreadyMerged;
        return Ok(out);
    }
    // The department's own answers to this export: the last one it saved (else merged) is what
    // it said so far; one saved after this one makes this one an older version.
    let prior = earlier
        .iter()
        .filter(|s| s.export_id == meta.export_id)
        .max_by_key(|s| (s.saved_at.is_some(), s.saved_at.clone(), s.id));
    let later_saved = earlier
        .iter()
        .find(|s| order::saved_later(this, s))
        .map(|s| s.id);
    out.superseded_by = later_saved;
    // The 課 answers a 部's answer gathered, as the office merged them (same contents).
    let gathered: Vec<&SubmissionRecord> = via
        .iter()
        .filter_map(|v| {
            earlier
                .iter()
                .filter(|s| s.export_id == v.export_id && s.digest == v.digest)
                .max_by_key(|s| s.id)
        })
        .collect();

    let mut op = OpInfo::new(OpKind::Merge).source(file.display().to_string());
    op.department = if via.is_empty() {
        dept_name.clone()
    } else {
        // The chain as history shows it: 課 → 部.
        let names: Vec<&str> = via.iter().map(|v| v.department.as_str()).collect();
        format!("{} → {dept_name}", names.join("・"))
    };
    op.summary = match accepted.export_seq {
        Some(seq) => format!("書き出し {}（#{seq}）", meta.export_id),
        None => format!("書き出し {}", meta.export_id),
    };
    if renamed {
        op.summary
            .push_str(&format!(" 現在の担当: {}", out.carried_by.join("、")));
    }
    if let Some(p) = prior {
        op.summary.push_str(&format!(
            " 提出番号 {} の訂正 / corrects submission {}",
            p.id, p.id
        ));
    }
    w.begin_operation(&op)?;
    let sub_id = w.record_submission(&NewSubmission {
        export_id: meta.export_id.clone(),
        digest: sub.digest.clone(),
        department_id: dept_id.clone(),
        department: dept_name,
        exported_at: accepted.exported_at.clone(),
        file: file.display().to_string(),
    })?;
    w.record_via(sub_id, &via)?;
    out.submission_id = (!dry_run).then_some(sub_id);
    let sheet_of: HashMap<&str, &str> = sub
        .native
        .sheets
        .iter()
        .map(|(id, s)| (id.as_str(), s.as_str()))
        .collect();
    let grids: HashMap<&str, &crate::grid::Grid> =
        sub.wb.sheets.iter().map(|g| (g.name.as_str(), g)).collect();
    let mut refused_count = 0i64;
    // Past years' actuals locked in this workbook (sealed in its hidden sheet) stay the plan's,
    // whatever an unprotected copy says; an export the office opened carries no lock.
    let locked_through = meta.locked_actuals_through;
    for theirs in &sub.native.plan.projects {
        let Some(base) = meta.projects.iter().find(|b| b.id == theirs.id) else {
            continue;
        };
        let sheet = sheet_of
            .get(theirs.id.as_str())
            .copied()
            .unwrap_or_default();
        // Built only when a field of this sheet is reported (most sheets come back unchanged):
        // it reads every key cell of the sheet.
        let locator = OnceCell::new();
        let at = |field: &str| {
            locator
                .get_or_init(|| grids.get(sheet).map(|g| Locator::new(g)))
                .as_ref()
                .map_or_else(|| format!("{sheet}!A1"), |l| l.at(field))
        };
        let mut pm = ProjectMerge {
            project_id: theirs.id.clone(),
            title: theirs.title.clone(),
            sheet: sheet.to_string(),
            applied: Vec::new(),
            conflicts: Vec::new(),
            refused: Vec::new(),
            same: 0,
        };
        // 担当課 as typed, read against every unit of the plan (the workbook knows only the
        // department's): a unit the plan does not have is reported, never created or kept.
        // Only a sheet whose 担当課 cell changed needs its own copy of the project.
        let theirs: Cow<'_, Project> = match sub
            .native
            .owner_cells
            .iter()
            .find(|c| c.project_id == theirs.id)
        {
            None => Cow::Borrowed(theirs),
            Some(cell) => {
                let mut theirs = theirs.clone();
                let read = cell.read(&units);
                theirs.owners = read.owners;
                theirs.owners_note = read.note;
                for name in read.unknown {
                    pm.refused.push(RefusedLine {
                        field: "owners".into(),
                        label: "担当課".into(),
                        at: cell.at.clone(),
                        reason: format!("「{name}」はこの計画の組織にないため、担当課に加えていません。組織を登録してから提出し直すか、DX 推進担当が入力してください / 「{name}」 is not a unit of this plan: not added"),
                    });
                }
                Cow::Owned(theirs)
            }
        };
        let theirs: &Project = &theirs;
        // A sheet that came back as it was exported, with no earlier answer under it (most
        // sheets): nothing to record or decide, only whether the plan still has the project.
        let untouched = theirs == &base.project && gathered.is_empty() && prior.is_none();
        let side = if untouched {
            if w.project_exists(&theirs.id)? {
                Side::Untouched
            } else {
                Side::Deleted
            }
        } else {
            let export_base = project_fields(&base.project);
            let theirs_fields = project_fields(theirs);
            // What this answer states: every field it has otherwise than its base.
            for k in export_base.keys().chain(theirs_fields.keys()) {
                let t = theirs_fields.get(k);
                if t != export_base.get(k) {
                    w.record_answer_field(sub_id, &theirs.id, k, t)?;
                }
            }
            match w.load_project(&theirs.id)? {
                Some(ours) => Side::Loaded {
                    ours: Box::new(ours),
                    export_base,
                    theirs_fields,
                },
                None => Side::Deleted,
            }
        };
        let (ours, export_base, theirs_fields) = match side {
            Side::Deleted => {
                pm.refused.push(RefusedLine {
                    field: String::new(),
                    label: "事業".into(),
                    at: format!("{sheet}!A1"),
                    reason:
                        "事務局の計画から削除された事業です / the project was deleted centrally"
                            .into(),
                });
                refused_count += 1;
                out.projects.push(pm);
                continue;
            }
            Side::Untouched => {
                refused_count += pm.refused.len() as i64;
                out.projects.push(pm);
                continue;
            }
            Side::Loaded {
                ours,
                export_base,
                theirs_fields,
            } => (*ours, export_base, theirs_fields),
        };
        // The base this answer is compared against: the export's, then what the gathered 課
        // answers said, then what this department said before.
        let mut base_now = export_base.clone();
        for g in &gathered {
            overlay(w, &mut base_now, g, &theirs.id)?;
        }
        if let Some(p) = prior {
            overlay(w, &mut base_now, p, &theirs.id)?;
        }
        let ours_fields = project_fields(&ours);
        // Back to the export's base where the office has its own value: the department
        // withdrew its change, the office's stands.
        let (withdrawn, decisions): (Vec<_>, Vec<_>) =
            three_way(&base_now, &ours_fields, &theirs_fields)
                .into_iter()
                .partition(|d| {
                    matches!(d.decision, Decision::Conflict { .. })
                        && theirs_fields.get(&d.field) == export_base.get(&d.field)
                });
        let (decisions, held) = guard::removals(decisions, &base_now, &ours_fields);
        // Only the department that owns the project now may change it.
        if let Some(first) = decisions.first() {
            if !scope.covers(&ours) {
                return Err(verify::refused(
                    file,
                    at(&first.field),
                    Refusal::OutOfScope {
                        project: shown(&ours.title),
                    },
                ));
            }
        }
        // What this department (or a 課 a 部 gathered) left open on a field it states again
        // is superseded by what it states now (unless a later version of it was merged).
        let earlier_word: Vec<&SubmissionRecord> = match later_saved {
            Some(_) => Vec::new(),
            None => prior.into_iter().chain(gathered.iter().copied()).collect(),
        };
        for d in &withdrawn {
            withdraw(w, &earlier_word, &theirs.id, &d.field)?;
        }
        let mut changes: Vec<(String, Option<Json>)> = Vec::new();
        for d in decisions {
            let (d, note) = if d.field == "owners" {
                guard::lead(d, &base.project, theirs, &scope)
            } else {
                let held = held.contains(&d.field);
                (d, held.then_some(guard::REMOVAL_NOTE))
            };
            let label = describe(&d.field, &ours, theirs);
            let field_at = at(&d.field);
            let refuse = |reason: String| RefusedLine {
                field: d.field.clone(),
                label: label.clone(),
                at: field_at.clone(),
                reason,
            };
            if OFFICE_FIELDS.contains(&d.field.as_str()) && !matches!(d.decision, Decision::Same) {
                pm.refused.push(refuse(
                    "施策・並び順・状態は事務局が決めます / set by the DX office only".into(),
                ));
                continue;
            }
            if let Some(fy) = closed_actual_year(&d.field, locked_through) {
                if !matches!(d.decision, Decision::Same) {
                    pm.refused.push(refuse(format!("{fy}年度の実績は確定済みです（年度更新で締め切り）。修正は DX 推進担当が行います / actuals of FY{fy} are closed (rolled over): set by the DX office only")));
                    continue;
                }
            }
            if !matches!(d.decision, Decision::Same) {
                // A version of this answer saved later was merged already.
                if let Some(later) = later_saved {
                    pm.refused.push(refuse(format!("同じ課が後から保存した回答（提出番号 {later}）を統合済みです / a version of this answer saved later (submission {later}) was merged already")));
                    continue;
                }
                // Newer work from the same department is not undone by an older submission.
                if let Some(last) = w.last_merge_of_field(&theirs.id, &d.field)? {
                    let same = carriers.same_department(w, &last.department_id, &dept_id)?;
                    if order::superseded_by(this, &last, same) {
                        pm.refused.push(refuse(format!("より新しい書き出しへの提出（提出番号 {}）で更新済みです / superseded by an answer to a newer export", last.id)));
                        continue;
                    }
                }
            }
            withdraw(w, &earlier_word, &theirs.id, &d.field)?;
            match d.decision {
                Decision::Apply(v) => {
                    if d.field == "owners" {
                        if let Some(o) = theirs
                            .owners
                            .iter()
                            .find(|o| !scope.is_known_unit(&o.unit_id))
                        {
                            return Err(verify::refused(
                                file,
                                field_at,
                                Refusal::UnknownUnit {
                                    id: shown(&o.unit_id),
                                },
                            ));
                        }
                    }
                    pm.applied.push(FieldLine {
                        change: words::change_text(
                            &d.field,
                            ours_fields.get(&d.field),
                            v.as_ref(),
                            &units,
                        ),
                        field: d.field.clone(),
                        label,
                        at: field_at,
                        old: ours_fields.get(&d.field).cloned(),
                        new: v.clone(),
                    });
                    changes.push((d.field, v));
                }
                Decision::Same => pm.same += 1,
                Decision::Conflict {
                    base,
                    ours: o,
                    theirs: t,
                } => {
                    let c = NewConflict {
                        project_id: theirs.id.clone(),
                        field: d.field.clone(),
                        at: field_at.clone(),
                        base: base.clone(),
                        ours: o.clone(),
                        theirs: t.clone(),
                    };
                    let id = w.add_conflict(sub_id, &c)?;
                    let text = |v: &Option<Json>| words::value_text(&d.field, v.as_ref(), &units);
                    pm.conflicts.push(ConflictLine {
                        base_text: text(&base),
                        ours_text: text(&o),
                        theirs_text: text(&t),
                        note: note.map(str::to_string),
                        field: d.field,
                        label,
                        at: field_at,
                        base,
                        ours: o,
                        theirs: t,
                        conflict_id: (!dry_run).then_some(id),
                    });
                }
            }
        }
        refused_count += pm.refused.len() as i64;
        if !changes.is_empty() {
            let mut merged = ours.clone();
            apply_fields(
                &mut merged,
                changes.iter().map(|(k, v)| (k.as_str(), v.as_ref())),
            )
            .map_err(|e| StoreError::Invalid(e.to_string()))?;
            // `ours` was loaded above and nothing since wrote this project: saved over it
            // without loading it again.
            saved(
                w.save_project_over(&ours, &ours_fields, &merged),
                file,
                &format!("{sheet}!A1"),
            )?;
        }
        out.projects.push(pm);
    }
    match authority {
        Authority::Office => proposals(w, sub, &dept_id, &mut out)?,
        // A 部's answer cannot carry a 課's new project sheet under the 部 workbook's keys:
        // the 課 sends it to the office itself, or the 部 adds it to its own answer.
        Authority::Review(_) => {
            for g in proposal_sheets(sub) {
                if !crate::import::layout::read_sheet(g).drafts.is_empty() {
                    out.skipped_sheets.push(RefusedLine {
                        field: String::new(),
                        label: "シート".into(),
                        at: format!("{}!", g.name),
                        reason: "新しい事業の提案は部の取りまとめでは取り込みません。事務局へ直接送るか、部の回答に新しいシートとして加えてください / a new project sheet is not taken into a 部's review: send it to the office, or add it to the 部's answer".into(),
                    });
                }
            }
        }
    }
    let mut cover = sub.cover.clone();
    cover.refused = refused_count;
    w.record_cover(sub_id, &cover)?;
    Ok(out)
}

/// Sheets of a submission that are neither dxplan's (keyed, hidden) nor the cover: where a
/// department may have written a new project in the familiar layout.
fn proposal_sheets(sub: &Submission) -> impl Iterator<Item = &crate::grid::Grid> {
    let known: Vec<&str> = sub.native.sheets.iter().map(|(_, s)| s.as_str()).collect();
    sub.wb.sheets.iter().filter(move |g| {
        !known.contains(&g.name.as_str())
            && !crate::format::meta::is_meta_sheet(g)
            && !crate::export::via::is_via_sheet(g)
            && !g.hidden
    })
}

/// New project sheets a department added in Excel (no dxplan key): read like legacy sheets
/// and imported as proposals under the measure they name.
/// A proposal is filed under the submitting department (its lead owner); units the sheet names
/// as owners are kept as written in the owners note for the office to assign, never created.
fn proposals(
    w: &mut Writer<'_>,
    sub: &Submission,
    dept_id: &str,
    out: &mut SubmissionMerge,
) -> Result<(), MergeError> {
    let file: &Path = &sub.file;
    let mut target: Option<Target> = None;
    for g in proposal_sheets(sub) {
        let read = crate::import::layout::read_sheet(g);
        if read.drafts.is_empty() {
            if read.unknown {
                out.skipped_sheets.push(RefusedLine {
                    field: String::new(),
                    label: "シート".into(),
                    at: format!("{}!", g.name),
                    reason: "既知の様式ではありません / no known layout".into(),
                });
            }
            continue;
        }
        let t = match &mut target {
            Some(t) => t,
            None => target.insert(Target::new(w.load_plan()?)),
        };
        for d in &read.drafts {
            let mut notes = Vec::new();
            let written = d.owners.as_ref().map(|names| names.join("、"));
            let d = crate::import::draft::Draft {
                owners: None,
                owners_note: match (written, &d.owners_note) {
                    (Some(w), Some(n)) => Some(format!("{w}{n}")),
                    (Some(w), None) => Some(w),
                    (None, n) => n.clone(),
                },
                ..d.clone()
            };
            match t.propose(&d, &mut notes) {
                Some(line) => {
                    if let Some(p) = t.plan.projects.iter_mut().find(|p| p.id == line.project_id) {
                        p.owners = vec![Owner {
                            unit_id: dept_id.to_string(),
                            role: OwnerRole::Lead,
                        }];
                    }
                    out.proposals.push(line)
                }
                None => out.skipped_sheets.push(RefusedLine {
                    field: String::new(),
                    label: format!("事業「{}」", d.title),
                    at: d.at.clone(),
                    reason: "同名の事業が計画にあります。既存の事業はその事業のシートで更新してください / a project of this name exists: edit its own sheet".into(),
                }),
            }
        }
    }
    match target {
        Some(mut t) => {
            let at = out
                .proposals
                .first()
                .map_or_else(String::new, |l| l.at.clone());
            saved(t.save(w, Some(ProjectStatus::Proposed)), file, &at)
        }
        None => Ok(()),
    }
}

/// The fiscal year of an indicator's actual (`indicator/{id}/{fy}/actual`) when that year is
/// closed.
fn closed_actual_year(field: &str, locked_through: Option<i32>) -> Option<i32> {
    let last = locked_through?;
    let parts: Vec<&str> = field.split('/').collect();
    match parts.as_slice() {
        ["indicator", _, fy, "actual"] => fy.parse::<i32>().ok().filter(|fy| *fy <= last),
        _ => None,
    }
}
