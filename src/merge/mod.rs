//! Merging department submissions (workbooks from `export --department`, edited in dxplan,
//! Excel or LibreOffice) back into the central plan: three-way per field against the base
//! values the workbook carries, one transaction for all files, every conflict recorded.
//!
//! The same rules merge a 課's answers into a 部's working copy (`Authority::Review`, the
//! 部 review of a round): there the 部 workbook the copy was made from says which 課 workbooks
//! it gathers.

mod carriers;
pub mod files;
mod guard;
mod locate;
mod one;
pub mod order;
pub mod report;
mod resolve;
pub mod saved_at;
pub mod scope;
pub mod three_way;
mod undo;
pub mod verify;
pub mod words;

use std::path::{Path, PathBuf};

use sha2::{Digest, Sha256};
use thiserror::Error;

pub use resolve::{resolve, Resolution};
pub use undo::{undo_merge, UndoReport};
pub use verify::Refusal;

use crate::export::meta::{ExportKind, ExportMeta};
use crate::import::native::{read_native, NativeWorkbook};
use crate::import::ImportError;
use crate::model::fields::{project_fields, FieldError};
use crate::model::ids::shown;
use crate::model::Project;
use crate::store::{OpInfo, OpKind, Store, StoreError, SubmissionCover, ViaRecord};
use report::*;

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

/// Whose word decides which submissions are accepted.
#[derive(Debug, Clone, Copy)]
pub enum Authority<'a> {
    /// The office's plan: its export register and its key.
    Office,
    /// A 部's working copy: the 部 workbook it was made from (its hidden sheet as received)
    /// lists the 課 workbooks of the round whose answers it gathers.
    Review(&'a ExportMeta),
}

/// Fields that belong to the office: a department's sheet cannot move its project.
const OFFICE_FIELDS: [&str; 3] = ["measures", "position", "status"];

/// Merges submissions into the office's plan, all in one transaction. Folders among `files`
/// stand for every answer in them. The answers are applied in the canonical order (`order`),
/// whatever order they are given in. A submission the plan does not accept (see `verify` and
/// `scope`) refuses the whole merge: the plan is left as it was.
pub fn merge_files(
    store: &mut Store,
    files: &[PathBuf],
    opts: MergeOptions,
) -> Result<MergeReport, MergeError> {
    merge_with(store, files, opts, Authority::Office)
}

/// A submission as read: the file, what it says, and what was derived from it once.
pub(crate) struct Submission {
    pub file: PathBuf,
    pub native: NativeWorkbook,
    pub wb: crate::import::workbook::Workbook,
    pub digest: String,
    pub cover: SubmissionCover,
    /// A 部's answer: the 課 answers it says it gathered (checked when merged).
    pub via: Vec<ViaRecord>,
}

/// `merge_files` under either authority (a 部's working copy uses `Authority::Review`).
pub fn merge_with(
    store: &mut Store,
    files: &[PathBuf],
    opts: MergeOptions,
    authority: Authority<'_>,
) -> Result<MergeReport, MergeError> {
    let files = files::expand(files)?;
    let mut subs = Vec::new();
    for file in &files {
        match read_submission(file) {
            Ok(s) => subs.push(s),
            Err(e) => return Err(e),
        }
    }
    let plan_id = store.plan_info()?.id;
    for sub in &subs {
        let meta = &sub.native.meta;
        if meta.plan.id != plan_id {
            return Err(MergeError::OtherPlan {
                file: sub.file.clone(),
                at: meta
                    .sealed
                    .as_ref()
                    .map_or_else(String::new, |s| s.at.plan.clone()),
                found: format!("{}: {}", shown(&meta.plan.title), meta.plan.id),
            });
        }
    }
    let key = match authority {
        Authority::Office => Some(store.mac_key()?),
        Authority::Review(_) => None,
    };
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
        // Every file is checked before any is applied; then they go in the canonical order.
        let mut accepted = Vec::new();
        for (i, sub) in subs.iter().enumerate() {
            let a = match (authority, &key) {
                (Authority::Office, Some(key)) => verify::verify(w, key, &sub.file, &sub.native),
                (Authority::Review(received), _) => {
                    verify::verify_member(w, received, &sub.file, &sub.native)
                }
                (Authority::Office, None) => Err(MergeError::Invalid(REFUSED.into())),
            };
            match a {
                Ok(a) => accepted.push((i, a)),
                Err(MergeError::Store(e)) => return Err(e),
                Err(e) => {
                    refusal = Some(e);
                    return Err(StoreError::Invalid(REFUSED.into()));
                }
            }
        }
        accepted.sort_by(|(i, a), (j, b)| {
            let placed = |k: usize, a: &verify::Accepted| order::Placed {
                export_seq: a.export_seq,
                export_id: &subs[k].native.meta.export_id,
                saved_at: subs[k].cover.saved_at.as_deref(),
                digest: &subs[k].digest,
            };
            order::canonical(&placed(*i, a), &placed(*j, b))
        });
        for (i, a) in &accepted {
            match one::merge_one(w, &subs[*i], a, authority, opts.dry_run) {
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

fn read_submission(file: &Path) -> Result<Submission, MergeError> {
    let wb = crate::import::workbook::open(file)?;
    let native =
        read_native(file, &wb)?.ok_or_else(|| MergeError::NotASubmission(file.to_path_buf()))?;
    if native.meta.kind != ExportKind::Department || native.meta.department.is_none() {
        return Err(MergeError::NotADepartmentWorkbook(file.to_path_buf()));
    }
    let field = |k: &str| {
        native
            .cover
            .iter()
            .find(|(f, _)| f == k)
            .map(|(_, v)| v.trim().to_string())
            .unwrap_or_default()
    };
    let cover = SubmissionCover {
        respondent: field("respondent"),
        contact: field("contact"),
        remarks: field("remarks"),
        saved_at: saved_at::saved_at(file),
        refused: 0,
    };
    Ok(Submission {
        file: file.to_path_buf(),
        digest: digest(&native),
        via: crate::export::via::read_via(&wb.sheets),
        cover,
        native,
        wb,
    })
}

/// What the submission says, independent of the file's bytes: the same edits saved again by
/// Excel are the same submission.
pub fn digest(sub: &NativeWorkbook) -> String {
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
            "texts.summary" => "概要",
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
