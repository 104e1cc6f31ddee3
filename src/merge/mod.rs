//! Merging department submissions (workbooks from `export --department`, edited in dxplan,
//! Excel or LibreOffice) back into the central plan: three-way per field against the base
//! values the workbook carries, one transaction for all files, every conflict recorded.

mod carriers;
mod guard;
mod locate;
pub mod order;
pub mod report;
mod resolve;
pub mod scope;
pub mod three_way;
mod undo;
pub mod verify;
pub mod words;

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use sha2::{Digest, Sha256};
use thiserror::Error;

pub use resolve::{resolve, Resolution};
pub use undo::{undo_merge, UndoReport};
pub use verify::Refusal;

use crate::export::meta::ExportKind;
use crate::export::seal::MacKey;
use crate::import::apply::Target;
use crate::import::native::{read_native, NativeWorkbook};
use crate::import::ImportError;
use crate::model::fields::{apply_fields, project_fields, FieldError};
use crate::model::ids::shown;
use crate::model::{Owner, OwnerRole, Project, ProjectStatus};
use crate::store::{NewConflict, NewSubmission, OpInfo, OpKind, Store, StoreError};
use carriers::{unit_names, Carriers};
use locate::Locator;
use report::*;
use three_way::{three_way, Decision};

#[derive(Debug, Error)]
pub enum MergeError {
    #[error(transparent)]
    Import(#[from] ImportError),
    #[error(transparent)]
    Store(#[from] StoreError),
    #[error(transparent)]
    Field(#[from] FieldError),
    #[error("「{0}」は dxplan が書き出した課の提出用ファイルではありません（管理シートがありません）。従来の様式や、値を別のブックに写したものなら dxplan import で取り込めます / not a dxplan department workbook (no hidden dxplan sheet; a legacy sheet or values copied into another workbook): use `dxplan import`")]
    NotASubmission(PathBuf),
    #[error("「{0}」は全体版（master）のブックです。統合できるのは課ごとの提出用ファイルだけです / {0} is a master workbook; only department workbooks can be merged")]
    NotADepartmentWorkbook(PathBuf),
    #[error("「{file}」{at}: 別の計画（{found}）から書き出されたファイルです。この提出ファイルは受け付けません（計画は変更していません） / {file} {at}: exported from another plan ({found}): refused, nothing was merged")]
    OtherPlan {
        file: PathBuf,
        at: String,
        found: String,
    },
    /// A submission this plan does not accept (`verify`, `scope`): nothing of any file merged.
    #[error("「{file}」{at}: {reason}。この提出ファイルは受け付けません（計画は変更していません） / {file} {at}: refused, nothing was merged")]
    Refused {
        file: PathBuf,
        at: String,
        reason: Box<Refusal>,
    },
    #[error("{0}")]
    Invalid(String),
    #[error("競合 #{0} はありません。`dxplan conflicts PLAN --all` で一覧を確認してください / there is no conflict #{0}: see `dxplan conflicts PLAN --all`")]
    UnknownConflict(i64),
    #[error("競合 #{id} は{detail_ja}。もう一度解決することはできません / conflict #{id} is already closed: {detail_en}")]
    ConflictClosed {
        id: i64,
        /// 「解決済みです（「…」を採用）」.
        detail_ja: String,
        /// 「resolved, 「…」 taken」.
        detail_en: String,
    },
    #[error("提出番号 {0} の統合の記録はありません。`dxplan submissions PLAN` で一覧を確認してください / there is no merged submission {0}: see `dxplan submissions PLAN`")]
    UnknownSubmission(i64),
}

#[derive(Debug, Clone, Copy, Default)]
pub struct MergeOptions {
    pub dry_run: bool,
}

/// Fields that belong to the office: a department's sheet cannot move its project.
const OFFICE_FIELDS: [&str; 3] = ["measures", "position", "status"];

/// Merges submissions in the order given, all in one transaction. A submission the plan does
/// not accept (see `verify` and `scope`) refuses the whole merge.
pub fn merge_files(
    store: &mut Store,
    files: &[PathBuf],
    opts: MergeOptions,
) -> Result<MergeReport, MergeError> {
    let mut subs = Vec::new();
    for file in files {
        subs.push(read_submission(file)?);
    }
    let plan_id = store.plan_info()?.id;
    for (file, sub, _) in &subs {
        if sub.meta.plan.id != plan_id {
            return Err(MergeError::OtherPlan {
                file: file.clone(),
                at: sub
                    .meta
                    .sealed
                    .as_ref()
                    .map_or_else(String::new, |s| s.at.plan.clone()),
                found: format!("{}: {}", shown(&sub.meta.plan.title), sub.meta.plan.id),
            });
        }
    }
    let key = store.mac_key()?;
    let mut report = MergeReport {
        dry_run: opts.dry_run,
        submissions: Vec::new(),
        summary: MergeSummary::default(),
    };
    // Each submission is then logged as an operation of its own, inside the one transaction.
    let op = OpInfo::new(OpKind::Merge).source(
        files
            .iter()
            .map(|f| f.display().to_string())
            .collect::<Vec<_>>()
            .join(", "),
    );
    let mut refusal: Option<MergeError> = None;
    // One transaction; a dry run rolls it back after the report is made.
    let result = store.write(op, |w| {
        for (file, sub, wb) in &subs {
            match merge_one(w, &key, file, sub, wb, opts.dry_run) {
                Ok(m) => report.submissions.push(m),
                Err(MergeError::Store(e)) => return Err(e),
                Err(e) => {
                    refusal = Some(e);
                    return Err(StoreError::Invalid(REFUSED.into()));
                }
            }
        }
        if opts.dry_run {
            return Err(StoreError::Invalid(DRY_RUN.into()));
        }
        Ok(())
    });
    if let Some(e) = refusal {
        return Err(e);
    }
    match result {
        Ok(()) => {}
        Err(StoreError::Invalid(m)) if m == DRY_RUN && opts.dry_run => {}
        Err(e) => return Err(e.into()),
    }
    report.summarise();
    Ok(report)
}

const DRY_RUN: &str = "(dry run)";
const REFUSED: &str = "(refused)";

type Submission = (PathBuf, NativeWorkbook, crate::import::workbook::Workbook);

fn read_submission(file: &Path) -> Result<Submission, MergeError> {
    let wb = crate::import::workbook::open(file)?;
    let native =
        read_native(file, &wb)?.ok_or_else(|| MergeError::NotASubmission(file.to_path_buf()))?;
    if native.meta.kind != ExportKind::Department || native.meta.department.is_none() {
        return Err(MergeError::NotADepartmentWorkbook(file.to_path_buf()));
    }
    Ok((file.to_path_buf(), native, wb))
}

/// What the submission says, independent of the file's bytes: the same edits saved again by
/// Excel are the same submission.
fn digest(sub: &NativeWorkbook) -> String {
    let mut h = Sha256::new();
    h.update(sub.meta.export_id.as_bytes());
    for p in &sub.plan.projects {
        h.update(serde_json::to_vec(&project_fields(p)).unwrap_or_default());
    }
    format!("{:x}", h.finalize())
}

/// A write the database refused on a constraint: the submission contradicts the plan. Said
/// with the file and cell, never with SQLite's own message.
fn saved<T>(r: crate::store::Result<T>, file: &Path, at: &str) -> Result<T, MergeError> {
    r.map_err(|e| {
        if e.is_constraint() {
            verify::refused(file, at, Refusal::Constraint)
        } else {
            e.into()
        }
    })
}

fn merge_one(
    w: &mut crate::store::Writer<'_>,
    key: &MacKey,
    file: &Path,
    sub: &NativeWorkbook,
    wb: &crate::import::workbook::Workbook,
    dry_run: bool,
) -> Result<SubmissionMerge, MergeError> {
    let meta = &sub.meta;
    // The register's word, not the workbook's: which export, which department, in what order.
    let export = verify::verify(w, key, file, sub)?;
    let dept_id = export.department_id.clone().unwrap_or_default();
    let dept_name = if export.department.is_empty() {
        meta.department
            .as_ref()
            .map(|d| d.name.clone())
            .unwrap_or_default()
    } else {
        export.department.clone()
    };
    let this = order::Answer {
        department_id: &dept_id,
        export_seq: export.seq,
    };
    let scope = scope::department_scope(w, &dept_id)?;
    let digest = digest(sub);
    // The units that carry the department's work now: its own unit, or the units an April
    // reorganisation since the export renamed, merged or split it into.
    let mut carriers = Carriers::default();
    let carried_by = carriers.of(w, &dept_id)?.to_vec();
    let renamed = !carried_by.is_empty() && carried_by != [dept_id.clone()];
    let mut out = SubmissionMerge {
        file: file.display().to_string(),
        export_id: meta.export_id.clone(),
        exported_at: export.exported_at.clone(),
        department: dept_name.clone(),
        carried_by: if renamed {
            unit_names(w, &carried_by)?
        } else {
            Vec::new()
        },
        status: SubmissionStatus::Merged,
        submission_id: None,
        projects: Vec::new(),
        proposals: Vec::new(),
        skipped_sheets: Vec::new(),
    };
    let earlier = w.submissions()?;
    if earlier
        .iter()
        .any(|s| s.export_id == meta.export_id && s.digest == digest && !s.undone)
    {
        out.status = SubmissionStatus::AlreadyMerged;
        return Ok(out);
    }
    let mut op = OpInfo::new(OpKind::Merge).source(file.display().to_string());
    op.department = dept_name.clone();
    op.summary = format!("書き出し {}（#{}）", meta.export_id, export.seq);
    if renamed {
        op.summary
            .push_str(&format!(" 現在の担当: {}", out.carried_by.join("、")));
    }
    w.begin_operation(&op)?;
    let sub_id = w.record_submission(&NewSubmission {
        export_id: meta.export_id.clone(),
        digest,
        department_id: dept_id.clone(),
        department: dept_name,
        exported_at: export.exported_at.clone(),
        file: file.display().to_string(),
    })?;
    out.submission_id = (!dry_run).then_some(sub_id);
    let sheet_of: HashMap<&str, &str> = sub
        .sheets
        .iter()
        .map(|(id, s)| (id.as_str(), s.as_str()))
        .collect();
    let grids: HashMap<&str, &crate::import::grid::Grid> =
        wb.sheets.iter().map(|g| (g.name.as_str(), g)).collect();
    let units = w.org_units()?;
    for theirs in &sub.plan.projects {
        let Some(base) = meta.projects.iter().find(|b| b.id == theirs.id) else {
            continue;
        };
        let sheet = sheet_of
            .get(theirs.id.as_str())
            .copied()
            .unwrap_or_default();
        let locator = grids.get(sheet).map(|g| Locator::new(g));
        let at = |field: &str| {
            locator
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
        let Some(ours) = w.load_project(&theirs.id)? else {
            pm.refused.push(RefusedLine {
                field: String::new(),
                label: "事業".into(),
                at: format!("{sheet}!A1"),
                reason: "本庁の計画から削除された事業です / the project was deleted centrally"
                    .into(),
            });
            out.projects.push(pm);
            continue;
        };
        // 担当課 as typed, read against every unit of the plan (the workbook knows only the
        // department's): a unit the plan does not have is reported, never created or kept.
        let mut theirs = theirs.clone();
        if let Some(cell) = sub.owner_cells.iter().find(|c| c.project_id == theirs.id) {
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
        }
        let theirs = &theirs;
        let base_fields = project_fields(&base.project);
        let ours_fields = project_fields(&ours);
        let decisions = three_way(&base_fields, &ours_fields, &project_fields(theirs));
        let (decisions, held) = guard::removals(decisions, &base_fields, &ours_fields);
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
        let mut changes: Vec<(String, Option<serde_json::Value>)> = Vec::new();
        for d in decisions {
            let (d, note) = if d.field == "owners" {
                guard::lead(d, &base.project, theirs, &scope)
            } else {
                let held = held.contains(&d.field);
                (d, held.then_some(guard::REMOVAL_NOTE))
            };
            let label = describe(&d.field, &ours, theirs);
            let field_at = at(&d.field);
            if OFFICE_FIELDS.contains(&d.field.as_str()) && !matches!(d.decision, Decision::Same) {
                pm.refused.push(RefusedLine {
                    field: d.field,
                    label,
                    at: field_at,
                    reason: "施策・並び順・状態は本庁が決めます / set by the DX office only".into(),
                });
                continue;
            }
            // Newer work from the same department is not undone by an older submission.
            if !matches!(d.decision, Decision::Same) {
                if let Some(last) = w.last_merge_of_field(&theirs.id, &d.field)? {
                    let same = carriers.same_department(w, &last.department_id, &dept_id)?;
                    if order::superseded_by(this, &last, same) {
                        pm.refused.push(RefusedLine {
                            field: d.field,
                            label,
                            at: field_at,
                            reason: format!("より新しい書き出しへの提出（提出番号 {}）で更新済みです / superseded by an answer to a newer export", last.id),
                        });
                        continue;
                    }
                }
            }
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
                    let old = ours_fields.get(&d.field).cloned();
                    pm.applied.push(FieldLine {
                        change: words::change_text(&d.field, old.as_ref(), v.as_ref(), &units),
                        field: d.field.clone(),
                        label,
                        at: field_at,
                        old,
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
                    let text = |v: &Option<serde_json::Value>| {
                        words::value_text(&d.field, v.as_ref(), &units)
                    };
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
        if !changes.is_empty() {
            let mut merged = ours.clone();
            apply_fields(
                &mut merged,
                changes.iter().map(|(k, v)| (k.as_str(), v.as_ref())),
            )
            .map_err(|e| StoreError::Invalid(e.to_string()))?;
            saved(w.save_project(&merged), file, &format!("{sheet}!A1"))?;
        }
        out.projects.push(pm);
    }
    proposals(w, file, sub, wb, &dept_id, &mut out)?;
    Ok(out)
}

/// New project sheets a department added in Excel (no dxplan key): read like legacy sheets
/// and imported as proposals under the measure they name.
/// A proposal is filed under the submitting department (its lead owner); units the sheet names
/// as owners are kept as written in the owners note for the office to assign, never created.
fn proposals(
    w: &mut crate::store::Writer<'_>,
    file: &Path,
    sub: &NativeWorkbook,
    wb: &crate::import::workbook::Workbook,
    dept_id: &str,
    out: &mut SubmissionMerge,
) -> Result<(), MergeError> {
    let known: Vec<&str> = sub.sheets.iter().map(|(_, s)| s.as_str()).collect();
    let mut target: Option<Target> = None;
    for g in wb.sheets.iter().filter(|g| {
        !known.contains(&g.name.as_str()) && !crate::export::meta::is_meta_sheet(g) && !g.hidden
    }) {
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
        Some(t) => {
            let at = out
                .proposals
                .first()
                .map_or_else(String::new, |l| l.at.clone());
            saved(t.save(w, Some(ProjectStatus::Proposed)), file, &at)
        }
        None => Ok(()),
    }
}

/// A field in words, for reports and the conflict screen.
pub fn describe(field: &str, ours: &Project, theirs: &Project) -> String {
    let parts: Vec<&str> = field.split('/').collect();
    let ind_name = |id: &str| {
        ours.indicators
            .iter()
            .chain(theirs.indicators.iter())
            .find(|i| i.id == id)
            .map(|i| format!("{}「{}」", i.kind.as_str(), i.name))
            .unwrap_or_else(|| "指標".into())
    };
    match parts.as_slice() {
        ["indicator", id, fy, side] => format!(
            "{} {fy}年度 {}",
            ind_name(id),
            if *side == "target" {
                "目標"
            } else {
                "実績"
            }
        ),
        ["indicator", id] => ind_name(id),
        ["task", id] => ours
            .schedule
            .iter()
            .chain(theirs.schedule.iter())
            .find(|t| t.id == *id)
            .map(|t| format!("工程「{}」", t.name))
            .unwrap_or_else(|| "工程".into()),
        ["budget", fy, "planned"] => format!("{fy}年度 事業費（千円）"),
        ["budget", fy, _] => format!("{fy}年度 うち一般財源（千円）"),
        ["progress", fy] => format!("{fy}年度 進捗"),
        _ => match field {
            "title" => "取組名",
            "owners" => "担当課",
            "owners_note" => "担当課（ほか等）",
            "status" => "状態",
            "measures" => "施策",
            "position" => "並び順",
            "priority" => "重点・緊急度・重要度",
            "tags" => "タグ",
            "texts.issue" => "課題",
            "texts.purpose" => "目的",
            "texts.summary" => "内容",
            "texts.goal" => "目指す姿／目標",
            "texts.effects" => "期待される効果",
            "footnotes" => "注記",
            crate::model::fields::INDICATOR_ORDER => "指標の並び順",
            crate::model::fields::TASK_ORDER => "工程の並び順",
            other => other,
        }
        .to_string(),
    }
}
