//! What a merge did, per submission and project, each line with the cell it came from.

use std::fmt;

use serde::Serialize;
use serde_json::Value as Json;

use crate::import::report::ProjectLine;

#[derive(Debug, Clone, Serialize)]
pub struct FieldLine {
    pub field: String,
    /// The field in words: 「指標「…」 2023年度 実績」.
    pub label: String,
    pub at: String,
    pub old: Option<Json>,
    pub new: Option<Json>,
    /// What changed, in words (`words::change_text`): unit names, footnote texts, a task's
    /// years and phases, an indicator's unit and 累計.
    pub change: String,
}

#[derive(Debug, Clone, Serialize)]
pub struct ConflictLine {
    pub field: String,
    pub label: String,
    pub at: String,
    pub base: Option<Json>,
    pub ours: Option<Json>,
    pub theirs: Option<Json>,
    /// The three values in words (`words::value_text`).
    pub base_text: String,
    pub ours_text: String,
    pub theirs_text: String,
    /// Why a change was made a conflict though the office had not changed the field (the
    /// lead unit removed by a co-owner, an indicator the office changed removed).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
    /// Id for `dxplan resolve` (None in a dry run).
    pub conflict_id: Option<i64>,
}

#[derive(Debug, Clone, Serialize)]
pub struct RefusedLine {
    pub field: String,
    pub label: String,
    pub at: String,
    pub reason: String,
}

#[derive(Debug, Clone, Serialize)]
pub struct ProjectMerge {
    pub project_id: String,
    pub title: String,
    pub sheet: String,
    pub applied: Vec<FieldLine>,
    pub conflicts: Vec<ConflictLine>,
    pub refused: Vec<RefusedLine>,
    /// Fields changed in both places to the same value (applied once, nothing to do).
    pub same: usize,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum SubmissionStatus {
    Merged,
    /// This exact submission was merged before: nothing changed.
    AlreadyMerged,
}

#[derive(Debug, Clone, Serialize)]
pub struct SubmissionMerge {
    pub file: String,
    pub export_id: String,
    pub exported_at: String,
    pub department: String,
    /// The units that carry the department's work now, when an April reorganisation renamed,
    /// merged or split it after the export (names); empty otherwise.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub carried_by: Vec<String>,
    pub status: SubmissionStatus,
    pub submission_id: Option<i64>,
    /// 記入者, 連絡先, 事務局への連絡事項 from the cover.
    pub respondent: String,
    pub contact: String,
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
    pub projects: Vec<ProjectMerge>,
    /// New project sheets the department added, imported as proposals (status proposed).
    pub proposals: Vec<ProjectLine>,
    /// Sheets that were neither dxplan sheets nor readable proposals.
    pub skipped_sheets: Vec<RefusedLine>,
}

#[derive(Debug, Clone, Default, Serialize)]
pub struct MergeSummary {
    pub submissions: usize,
    pub already_merged: usize,
    pub applied: usize,
    pub conflicts: usize,
    pub refused: usize,
    pub proposals: usize,
}

#[derive(Debug, Clone, Serialize)]
pub struct MergeReport {
    pub dry_run: bool,
    pub submissions: Vec<SubmissionMerge>,
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
                        .map(|i| format!("競合 #{i}"))
                        .unwrap_or_else(|| "競合".into());
                    writeln!(
                        f,
                        "    {id} {} {}: 元「{}」 本庁「{}」 課「{}」（本庁の値を維持）",
                        c.at, c.label, c.base_text, c.ours_text, c.theirs_text
                    )?;
                    if let Some(n) = &c.note {
                        writeln!(f, "      {n}")?;
                    }
                }
                for r in &p.refused {
                    writeln!(f, "    不採用 {} {}: {}", r.at, r.label, r.reason)?;
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
            "合計: 提出 {} 件（統合済み {}）/ 反映 {} 項目 / 競合 {} 件 / 不採用 {} 項目 / 新規提案 {} 件",
            s.submissions, s.already_merged, s.applied, s.conflicts, s.refused, s.proposals
        )
    }
}
