//! What a merge did, per submission and project, each line with the cell it came from.

use std::fmt;

use serde::Serialize;
use serde_json::Value as Json;

use crate::import::report::ProjectLine;

/// A change applied (or that would be).
#[derive(Debug, Clone, Serialize)]
pub struct FieldLine {
    /// The field path (`texts.summary`, `indicator/{id}/{fy}/target`, …).
    pub field: String,
    /// The field in words: 「指標「…」 2023年度 実績」.
    pub label: String,
    /// Where: sheet and cell (`Sheet!A1`).
    pub at: String,
    /// The value before.
    pub old: Option<Json>,
    /// The value after.
    pub new: Option<Json>,
    /// What changed, in words (`words::change_text`): unit names, footnote texts, a task's
    /// years and phases, an indicator's unit and 累計.
    pub change: String,
}

/// A conflict recorded (or that would be).
#[derive(Debug, Clone, Serialize)]
pub struct ConflictLine {
    /// The field path (`texts.summary`, `indicator/{id}/{fy}/target`, …).
    pub field: String,
    /// The field as people name it.
    pub label: String,
    /// Where: sheet and cell (`Sheet!A1`).
    pub at: String,
    /// The value the department received (base).
    pub base: Option<Json>,
    /// The office's value (本庁).
    pub ours: Option<Json>,
    /// The department's value (課).
    pub theirs: Option<Json>,
    /// The three values in words (`words::value_text`).
    pub base_text: String,
    /// The office's value as people read it.
    pub ours_text: String,
    /// The department's value as people read it.
    pub theirs_text: String,
    /// Why a change was made a conflict though the office had not changed the field (the
    /// lead unit removed by a co-owner, an indicator the office changed removed).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
    /// Id for `dxplan resolve` (None in a dry run).
    pub conflict_id: Option<i64>,
}

/// A cell refused, with why.
#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct RefusedLine {
    /// The field path (`texts.summary`, `indicator/{id}/{fy}/target`, …).
    pub field: String,
    /// The field as people name it.
    pub label: String,
    /// Where: sheet and cell (`Sheet!A1`).
    pub at: String,
    /// Why, in words.
    pub reason: String,
}

/// What merging one project sheet did.
#[derive(Debug, Clone, Serialize)]
pub struct ProjectMerge {
    /// The project's id.
    pub project_id: String,
    /// Title as written in the plan.
    pub title: String,
    /// Its sheet.
    pub sheet: String,
    /// Changes applied.
    pub applied: Vec<FieldLine>,
    /// Conflicts recorded.
    pub conflicts: Vec<ConflictLine>,
    /// What was refused, with why.
    pub refused: Vec<RefusedLine>,
    /// Fields changed in both places to the same value (applied once, nothing to do).
    pub same: usize,
}

/// What happened to a submission.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum SubmissionStatus {
    /// Merged now.
    Merged,
    /// This exact submission was merged before: nothing changed.
    AlreadyMerged,
}

/// What merging one submission did.
#[derive(Debug, Clone, Serialize)]
pub struct SubmissionMerge {
    /// The file concerned.
    pub file: String,
    /// The export id of the workbook.
    pub export_id: String,
    /// When the workbook was exported (RFC 3339).
    pub exported_at: String,
    /// The department's name.
    pub department: String,
    /// The units that carry the department's work now, when an April reorganisation renamed,
    /// merged or split it after the export (names); empty otherwise.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub carried_by: Vec<String>,
    /// Merged now, or before.
    pub status: SubmissionStatus,
    /// The merged submission.
    pub submission_id: Option<i64>,
    /// 記入者, 連絡先, 事務局への連絡事項 from the cover.
    pub respondent: String,
    /// Contact of the person who answered.
    pub contact: String,
    /// 連絡事項: remarks sent with the answer.
    pub remarks: String,
    /// The workbook's save time (docProps, RFC 3339 UTC), when the file says.
    pub saved_at: Option<String>,
    /// A 部's answer: the 課 whose answers it gathered (checked against the register).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub via: Vec<String>,
    /// A version of this answer saved later was merged already (its submission id): this one
    /// changed nothing.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub superseded_by: Option<i64>,
    /// Its project sheets.
    pub projects: Vec<ProjectMerge>,
    /// New project sheets the department added, imported as proposals (status proposed).
    pub proposals: Vec<ProjectLine>,
    /// Sheets that were neither dxplan sheets nor readable proposals.
    pub skipped_sheets: Vec<RefusedLine>,
}

/// Counts of a merge.
#[derive(Debug, Clone, Default, Serialize)]
pub struct MergeSummary {
    /// Submissions read.
    pub submissions: usize,
    /// Submissions merged before.
    pub already_merged: usize,
    /// Fields applied.
    pub applied: usize,
    /// Conflicts recorded.
    pub conflicts: usize,
    /// Cells refused.
    pub refused: usize,
    /// New projects proposed.
    pub proposals: usize,
}

/// What a merge did (or would do).
#[derive(Debug, Clone, Serialize)]
pub struct MergeReport {
    /// A preview: nothing was written.
    pub dry_run: bool,
    /// One per submission.
    pub submissions: Vec<SubmissionMerge>,
    /// Counts.
    pub summary: MergeSummary,
}

impl MergeReport {
    pub(crate) fn summarise(&mut self) {
        let mut s = MergeSummary {
            submissions: self.submissions.len(),
            ..Default::default()
        };
        for sub in &self.submissions {
            s.already_merged += (sub.status == SubmissionStatus::AlreadyMerged) as usize;
            s.proposals += sub.proposals.len();
            for p in &sub.projects {
                s.applied += p.applied.len();
                s.conflicts += p.conflicts.len();
                s.refused += p.refused.len();
            }
        }
        self.summary = s;
    }
}

/// A field value as a person reads it.
pub fn show(v: &Option<Json>) -> String {
    match v {
        None => "（空欄）".into(),
        Some(Json::String(s)) => s.clone(),
        Some(Json::Object(o)) if o.contains_key("text") => o
            .get("text")
            .and_then(Json::as_str)
            .unwrap_or_default()
            .to_string(),
        Some(Json::Object(o)) if o.contains_key("name") => o
            .get("name")
            .and_then(Json::as_str)
            .unwrap_or_default()
            .to_string(),
        Some(other) => other.to_string(),
    }
}

/// Who answered (the cover), the 課 a 部's answer gathered, and a superseded version.
fn write_answer_lines(f: &mut fmt::Formatter<'_>, sub: &SubmissionMerge) -> fmt::Result {
    if !sub.respondent.is_empty() || !sub.contact.is_empty() {
        writeln!(f, "  記入者 {}　連絡先 {}", sub.respondent, sub.contact)?;
    }
    if !sub.remarks.is_empty() {
        writeln!(f, "  連絡事項: {}", sub.remarks.replace('\n', " "))?;
    }
    if !sub.via.is_empty() {
        writeln!(
            f,
            "  取りまとめ / gathered: {} → {} → 事務局",
            sub.via.join("・"),
            sub.department
        )?;
    }
    if let Some(id) = sub.superseded_by {
        writeln!(f, "  後から保存された回答（提出番号 {id}）を統合済みのため、この回答の変更は反映しません / a later-saved version (submission {id}) was merged already")?;
    }
    Ok(())
}

impl fmt::Display for MergeReport {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.dry_run {
            writeln!(
                f,
                "【試行】計画ファイルは変更していません / dry run: nothing written"
            )?;
        }
        for sub in &self.submissions {
            let department = if sub.carried_by.is_empty() {
                sub.department.clone()
            } else {
                format!("{} → 現在 {}", sub.department, sub.carried_by.join("、"))
            };
            write!(
                f,
                "■ {}（{department}、書出し {}）",
                sub.file, sub.exported_at
            )?;
            match (sub.status, sub.submission_id) {
                (SubmissionStatus::AlreadyMerged, _) => writeln!(
                    f,
                    ": 統合済みの提出です。変更はありません / already merged, nothing changed"
                )?,
                (_, Some(id)) => writeln!(f, " 提出番号 {id}")?,
                _ => writeln!(f)?,
            }
            write_answer_lines(f, sub)?;
            for p in &sub.projects {
                if p.applied.is_empty() && p.conflicts.is_empty() && p.refused.is_empty() {
                    continue;
                }
                writeln!(f, "  事業「{}」（シート「{}」）", p.title, p.sheet)?;
                for a in &p.applied {
                    writeln!(f, "    反映 {} {}: {}", a.at, a.label, a.change)?;
                }
                for c in &p.conflicts {
                    let id = c
                        .conflict_id
                        .map(|i| format!("修正が重なった項目 #{i}"))
                        .unwrap_or_else(|| "修正が重なった項目".into());
                    writeln!(
                        f,
                        "    {id} {} {}: 元「{}」 事務局「{}」 課「{}」（事務局の値を維持）",
                        c.at, c.label, c.base_text, c.ours_text, c.theirs_text
                    )?;
                    if let Some(n) = &c.note {
                        writeln!(f, "      {n}")?;
                    }
                }
                for r in &p.refused {
                    writeln!(
                        f,
                        "    反映できなかった項目 {} {}: {}",
                        r.at, r.label, r.reason
                    )?;
                }
            }
            for p in &sub.proposals {
                writeln!(f, "  新規提案 {} 「{}」", p.at, p.title)?;
            }
            for s in &sub.skipped_sheets {
                writeln!(f, "  スキップ {}: {}", s.at, s.reason)?;
            }
        }
        let s = &self.summary;
        write!(
            f,
            "合計: 提出 {} 件（統合済み {}）/ 反映 {} 項目 / 修正が重なった項目 {} 件 / 反映できなかった項目 {} 件 / 新規提案 {} 件",
            s.submissions, s.already_merged, s.applied, s.conflicts, s.refused, s.proposals
        )
    }
}
