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
mod header;
mod locate;
mod one;
pub(crate) mod order;
pub mod report;
mod resolve;
pub(crate) mod saved_at;
pub(crate) mod scope;
pub mod three_way;
mod undo;
pub(crate) mod verify;
pub(crate) mod words;

use std::path::{Path, PathBuf};

use sha2::{Digest, Sha256};
use thiserror::Error;

pub use resolve::{resolve, Resolution};
pub use undo::{undo_merge, UndoReport};
pub use verify::Refusal;

use crate::format::meta::{ExportKind, ExportMeta};
use crate::import::native::{read_native, NativeWorkbook};
use crate::import::ImportError;
use crate::model::fields::{project_fields, FieldError};
use crate::model::ids::shown;
use crate::model::Project;
use crate::store::{OpInfo, OpKind, Store, StoreError, SubmissionCover, ViaRecord};
use report::*;

/// Why a merge (or a resolve, an undo) failed: nothing was written.
#[derive(Debug, Error)]
pub enum MergeError {
    /// Reading the workbook.
    #[error(transparent)]
    Import(#[from] ImportError),
    /// The plan file.
    #[error(transparent)]
    Store(#[from] StoreError),
    /// A field value.
    #[error(transparent)]
    Field(#[from] FieldError),
    /// No hidden sheet: not a submission.
    #[error("「{0}」は dxplan が書き出した課の提出用ファイルではありません（管理シートがありません）。従来の様式や、値を別のブックに写したものなら dxplan import で取り込めます / not a dxplan department workbook (no hidden dxplan sheet; a legacy sheet or values copied into another workbook): use `dxplan import`")]
    NotASubmission(PathBuf),
    /// A master workbook.
    #[error("「{0}」は全体版（master）のブックです。統合できるのは課ごとの提出用ファイルだけです / {0} is a master workbook; only department workbooks can be merged")]
    NotADepartmentWorkbook(PathBuf),
    /// Exported from another plan.
    #[error("「{file}」{at}: 別の計画（{found}）から書き出されたファイルです。この提出ファイルは受け付けません（計画は変更していません） / {file} {at}: exported from another plan ({found}): refused, nothing was merged")]
    OtherPlan {
        /// The file concerned.
        file: PathBuf,
        /// Where: sheet and cell (`Sheet!A1`).
        at: String,
        /// What was found instead.
        found: String,
    },
    /// A submission this plan does not accept (`verify`, `scope`): nothing of any file merged.
    #[error("「{file}」{at}: {reason}。この提出ファイルは受け付けません（計画は変更していません） / {file} {at}: refused, nothing was merged")]
    Refused {
        /// The file concerned.
        file: PathBuf,
        /// Where: sheet and cell (`Sheet!A1`).
        at: String,
        /// Why it was refused.
        reason: Box<Refusal>,
    },
    /// Not possible as asked.
    #[error("{0}")]
    Invalid(String),
    /// No such conflict.
    #[error("修正が重なった項目 #{0} はありません。`dxplan conflicts PLAN --all` で一覧を確認してください / there is no conflict #{0}: see `dxplan conflicts PLAN --all`")]
    UnknownConflict(i64),
    /// The conflict is closed already.
    #[error("修正が重なった項目 #{id} は{detail_ja}。もう一度解決することはできません / conflict #{id} is already closed: {detail_en}")]
    ConflictClosed {
        /// The conflict.
        id: i64,
        /// 「解決済みです（「…」を採用）」.
        detail_ja: String,
        /// 「resolved, 「…」 taken」.
        detail_en: String,
    },
    /// No such merged submission.
    #[error("提出番号 {0} の統合の記録はありません。`dxplan submissions PLAN` で一覧を確認してください / there is no merged submission {0}: see `dxplan submissions PLAN`")]
    UnknownSubmission(i64),
}

/// How a merge runs.
#[derive(Debug, Clone, Copy, Default)]
pub struct MergeOptions {
    /// Only compare; write nothing.
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
    pub wb: crate::workbook::Workbook,
    pub digest: String,
    pub cover: SubmissionCover,
    /// A 部's answer: the 課 answers it says it gathered (checked when merged).
    pub via: Vec<ViaRecord>,
}

/// `merge_files` under either authority (a 部's working copy uses `Authority::Review`).
///
/// Bounded memory: the order needs only each workbook's header (`header`), so the workbooks
/// are then read whole one at a time in that order, each checked and applied before the next
/// is taken (one is read ahead on a thread of its own while the one before is applied). All of
/// it stays one transaction: a refused file still refuses them all.
pub fn merge_with(
    store: &mut Store,
    files: &[PathBuf],
    opts: MergeOptions,
    authority: Authority<'_>,
) -> Result<MergeReport, MergeError> {
    let files = files::expand(files)?;
    let mut heads = Vec::with_capacity(files.len());
    for file in &files {
        heads.push(header::Header::read(file)?);
    }
    let plan_id = store.plan_info()?.id;
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
        let order = match canonical_order(w, authority, &mut heads) {
            Ok(o) => o,
            Err(MergeError::Store(e)) => return Err(e),
            Err(e) => {
                refusal = Some(e);
                return Err(StoreError::Invalid(REFUSED.into()));
            }
        };
        let heads = &heads;
        // Workbooks are read ahead, one per core, each by one thread (`for_each_alone_in_order`),
        // and applied in order on this thread: at most one more than the cores are held.
        crate::parallel::for_each_alone_in_order(
            &order,
            |&i| read_submission(&heads[i].file),
            |k, read| {
                let i = order[k];
                let applied = read.and_then(|sub| {
                    let m = apply(w, &sub, &heads[i], &plan_id, key.as_ref(), authority, opts);
                    crate::parallel::drop_in_background(sub);
                    m
                });
                match applied {
                    Ok(m) => {
                        report.submissions.push(m);
                        Ok(())
                    }
                    Err(MergeError::Store(e)) => Err(e),
                    Err(e) => {
                        refusal = Some(e);
                        Err(StoreError::Invalid(REFUSED.into()))
                    }
                }
            },
        )?;
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

/// The indices of `heads` in the canonical order (`order::canonical`). The register sequence
/// is the one the check of each workbook will find for its export (an export the authority
/// does not know goes last, and is refused when it is reached). Answers to one export saved
/// at the same time are told apart by what they say, so those are read whole here.
fn canonical_order(
    w: &crate::store::Writer<'_>,
    authority: Authority<'_>,
    heads: &mut [header::Header],
) -> Result<Vec<usize>, MergeError> {
    let mut seqs = Vec::with_capacity(heads.len());
    for h in heads.iter() {
        seqs.push(match authority {
            Authority::Office => w.issued_export(&h.export_id)?.map(|e| e.seq),
            Authority::Review(received) => received
                .members
                .iter()
                .find(|m| m.export_id == h.export_id)
                .map(|m| m.seq),
        });
    }
    for i in 0..heads.len() {
        let tied = (0..heads.len()).any(|j| {
            j != i
                && seqs[j] == seqs[i]
                && heads[j].export_id == heads[i].export_id
                && heads[j].saved_at == heads[i].saved_at
        });
        if tied && heads[i].digest.is_none() {
            let whole = header::Header::whole(&heads[i].file)?;
            if whole.export_id != heads[i].export_id || whole.saved_at != heads[i].saved_at {
                return Err(changed(&heads[i].file));
            }
            heads[i] = whole;
        }
    }
    let mut order: Vec<usize> = (0..heads.len()).collect();
    order.sort_by(|&a, &b| {
        let placed = |k: usize| order::Placed {
            export_seq: seqs[k],
            export_id: &heads[k].export_id,
            saved_at: heads[k].saved_at.as_deref(),
            digest: heads[k].digest.as_deref().unwrap_or_default(),
        };
        order::canonical(&placed(a), &placed(b))
    });
    Ok(order)
}

fn changed(file: &Path) -> MergeError {
    MergeError::Invalid(format!(
        "「{}」は統合の途中で変更されました。何も統合していません。もう一度統合してください / {} changed while it was being merged: nothing was merged, merge again",
        file.display(),
        file.display()
    ))
}

/// One workbook read whole: checked (plan, seal, register, items) and applied.
fn apply(
    w: &mut crate::store::Writer<'_>,
    sub: &Submission,
    head: &header::Header,
    plan_id: &str,
    key: Option<&crate::format::seal::MacKey>,
    authority: Authority<'_>,
    opts: MergeOptions,
) -> Result<SubmissionMerge, MergeError> {
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
    if !head.matches(&meta.export_id, sub.cover.saved_at.as_deref(), &sub.digest) {
        return Err(changed(&sub.file));
    }
    let accepted = match (authority, key) {
        (Authority::Office, Some(key)) => verify::verify(w, key, &sub.file, &sub.native)?,
        (Authority::Review(received), _) => {
            verify::verify_member(w, received, &sub.file, &sub.native)?
        }
        (Authority::Office, None) => return Err(MergeError::Invalid(REFUSED.into())),
    };
    one::merge_one(w, sub, &accepted, authority, opts.dry_run)
}

const DRY_RUN: &str = "(dry run)";
const REFUSED: &str = "(refused)";

fn read_submission(file: &Path) -> Result<Submission, MergeError> {
    let wb = crate::workbook::open(file).map_err(ImportError::from)?;
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
