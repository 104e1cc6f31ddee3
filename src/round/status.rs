//! `round status`: per department of a round — its workbook, its answers (when, by whom, with
//! what contact and message; changes applied, conflicts still open, fields refused), answered
//! through its 部, or still outstanding, late ones marked — the totals, and the round's
//! progress counted per 基本方針. Read-only; the app's 照会 screen shows the same.
//!
//! An answer's time is its workbook's save time (docProps) when the file says, else when it
//! was merged; dates are JST. An answer is late when its first version was saved after the
//! deadline; an outstanding department is late from the day after the deadline.

use chrono::NaiveDate;
use serde::Serialize;

use super::{jst_date, today, RoundError};
use crate::report::progress::{progress_counts, ProgressCounts};
use crate::store::merge_log::SubmissionRecord;
use crate::store::{RoundRecord, Store};

/// Whether a department has answered.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, serde::Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(rename_all = "snake_case")]
pub enum AnswerState {
    /// No answer merged yet.
    Outstanding,
    /// An answer to its workbook was merged.
    Answered,
    /// Its answer came in a 部's answer that gathered it (課 → 部 → 事務局).
    AnsweredVia,
}

impl AnswerState {
    /// The state as people read it.
    pub fn label(self) -> &'static str {
        match self {
            AnswerState::Outstanding => "未回答",
            AnswerState::Answered => "回答済み",
            AnswerState::AnsweredVia => "部で取りまとめ済み",
        }
    }
}

/// One merged answer of a department to its workbook of the round.
#[derive(Debug, Clone, Serialize)]
pub struct AnswerStatus {
    /// The merged submission.
    pub submission_id: i64,
    /// The answer file as merged.
    pub file: String,
    /// When it was answered: its save time, else when it was merged (RFC 3339).
    pub answered_at: String,
    /// When the file was last saved, if it says.
    pub saved_at: Option<String>,
    /// When it was merged.
    pub merged_at: String,
    /// 記入者: who answered.
    pub respondent: String,
    /// Contact of the person who answered.
    pub contact: String,
    /// 連絡事項: remarks sent with the answer.
    pub remarks: String,
    /// Changes applied.
    pub changes_applied: i64,
    /// Conflicts still open.
    pub conflicts_open: i64,
    /// Cells refused.
    pub fields_refused: i64,
    /// Past the deadline.
    pub late: bool,
    /// A 部's answer: the 課 it gathered.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub gathered: Vec<String>,
}

/// A 課's answer that reached the office inside its 部's answer.
#[derive(Debug, Clone, Serialize)]
pub struct ViaStatus {
    /// The 部.
    pub department: String,
    /// The 部 answer.
    pub submission_id: i64,
    /// 記入者: who answered.
    pub respondent: String,
    /// Contact of the person who answered.
    pub contact: String,
    /// 連絡事項: remarks sent with the answer.
    pub remarks: String,
    /// When the 課 saved its answer (as the 部's working copy recorded it).
    pub saved_at: Option<String>,
    /// When the office merged the 部's answer.
    pub merged_at: String,
}

/// Who to ask: the DX推進員 of the round's year (roster), else who answered last time.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Contact {
    /// The person's name.
    pub name: String,
    /// Contact of the person who answered.
    pub contact: String,
    /// "roster" or "answer".
    pub source: String,
}

/// One department of a round.
#[derive(Debug, Clone, Serialize)]
pub struct DepartmentStatus {
    /// The department's unit id.
    pub department_id: String,
    /// The department's name.
    pub department: String,
    /// Its 部, when it has one.
    pub parent: Option<String>,
    /// The export id of the workbook.
    pub export_id: String,
    /// The workbook as written (its path when exported).
    pub file: String,
    /// When its workbook was exported.
    pub exported_at: String,
    /// Projects in its workbook.
    pub projects: usize,
    /// A 課 whose answer a 部 gathers: that 部.
    pub reviewed_by: Option<String>,
    /// Outstanding, answered, or answered through its 部.
    pub state: AnswerState,
    /// When it first answered (its own save time; through a 部, the 課's).
    pub answered_at: Option<String>,
    /// Past the deadline.
    pub late: bool,
    /// Days after the deadline: of the first answer, or (outstanding) of `as_of`.
    pub days_late: Option<i64>,
    /// Its answers, in order.
    pub answers: Vec<AnswerStatus>,
    /// The 部 answer that carried it, if any.
    pub via: Option<ViaStatus>,
    /// Changes applied.
    pub changes_applied: i64,
    /// Conflicts still open.
    pub conflicts_open: i64,
    /// Cells refused.
    pub fields_refused: i64,
    /// Who to ask, if anyone is known.
    pub contact: Option<Contact>,
    /// Who answered its last answer (any round), for the 督促.
    pub last_respondent: Option<Contact>,
}

/// Totals of a round.
#[derive(Debug, Clone, Default, Serialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct Totals {
    /// Departments asked.
    #[cfg_attr(feature = "specta", specta(type = u32))]
    pub departments: usize,
    /// Departments that answered.
    #[cfg_attr(feature = "specta", specta(type = u32))]
    pub answered: usize,
    /// Departments answered for by their 部.
    #[cfg_attr(feature = "specta", specta(type = u32))]
    pub answered_via: usize,
    /// Departments still to answer.
    #[cfg_attr(feature = "specta", specta(type = u32))]
    pub outstanding: usize,
    /// Past the deadline.
    #[cfg_attr(feature = "specta", specta(type = u32))]
    pub late: usize,
    /// Changes applied.
    #[cfg_attr(feature = "specta", specta(type = i32))]
    pub changes_applied: i64,
    /// Conflicts still open.
    #[cfg_attr(feature = "specta", specta(type = i32))]
    pub conflicts_open: i64,
    /// Cells refused.
    #[cfg_attr(feature = "specta", specta(type = i32))]
    pub fields_refused: i64,
}

/// A round as of a day.
#[derive(Debug, Clone, Serialize)]
pub struct RoundInfo {
    /// The round.
    #[serde(flatten)]
    pub round: RoundRecord,
    /// The day the status is counted on (YYYY-MM-DD, JST).
    pub as_of: String,
    /// Days from `as_of` to the deadline (negative: past it).
    pub days_to_deadline: i64,
}

/// Who has answered a round, as of a day.
#[derive(Debug, Clone, Serialize)]
pub struct RoundStatus {
    /// The round and the day counted on.
    pub round: RoundInfo,
    /// Departments asked.
    pub departments: Vec<DepartmentStatus>,
    /// Totals over the departments.
    pub totals: Totals,
    /// Projects per 状況 and 評価 of the round's fiscal year, per 基本方針.
    pub progress: ProgressCounts,
}

fn answered_at(s: &SubmissionRecord) -> String {
    s.saved_at.clone().unwrap_or_else(|| s.merged_at.clone())
}

fn days_after(day: Option<NaiveDate>, deadline: NaiveDate) -> Option<i64> {
    let d = (day? - deadline).num_days();
    (d > 0).then_some(d)
}

/// The status of `round` on `as_of` (default: today in JST).
pub fn round_status(
    store: &Store,
    round: &RoundRecord,
    as_of: Option<NaiveDate>,
) -> Result<RoundStatus, RoundError> {
    let deadline = super::parse_deadline(&round.deadline)?;
    let as_of = as_of.unwrap_or_else(today);
    let exports = store.round_exports(round.id)?;
    let subs = store.submissions()?;
    let skeleton = store.load_plan_of_units(&[])?;
    let roster = store.roster(Some(round.fiscal_year))?;
    let mut out = Vec::new();
    let mut totals = Totals::default();
    for (e, reviewed_in) in &exports {
        let dept_id = e.department_id.clone().unwrap_or_default();
        let unit = skeleton.unit(&dept_id);
        let parent = unit
            .and_then(|u| u.parent_id.as_deref())
            .and_then(|p| skeleton.unit(p))
            .map(|u| u.name.clone());
        let reviewed_by = reviewed_in
            .as_deref()
            .and_then(|id| exports.iter().find(|(x, _)| x.export_id == id))
            .map(|(x, _)| x.department.clone());
        let mut answers = Vec::new();
        for s in subs
            .iter()
            .filter(|s| s.export_id == e.export_id && !s.undone)
        {
            let at = answered_at(s);
            answers.push(AnswerStatus {
                submission_id: s.id,
                file: s.file.clone(),
                late: days_after(jst_date(&at), deadline).is_some(),
                answered_at: at,
                saved_at: s.saved_at.clone(),
                merged_at: s.merged_at.clone(),
                respondent: s.respondent.clone(),
                contact: s.contact.clone(),
                remarks: s.remarks.clone(),
                changes_applied: store.applied_count(s.op_id)?,
                conflicts_open: store.open_conflicts(s.id)?,
                fields_refused: s.refused_fields,
                gathered: s.via.iter().map(|v| v.department.clone()).collect(),
            });
        }
        let via = subs
            .iter()
            .filter(|s| !s.undone)
            .find_map(|s| {
                s.via
                    .iter()
                    .find(|v| v.export_id == e.export_id)
                    .map(|v| (s, v))
            })
            .map(|(s, v)| ViaStatus {
                department: s.department.clone(),
                submission_id: s.id,
                respondent: v.respondent.clone(),
                contact: v.contact.clone(),
                remarks: v.remarks.clone(),
                saved_at: v.saved_at.clone(),
                merged_at: s.merged_at.clone(),
            });
        let (state, first) = match (answers.first(), &via) {
            (Some(a), _) => (AnswerState::Answered, Some(a.answered_at.clone())),
            (None, Some(v)) => (
                AnswerState::AnsweredVia,
                Some(v.saved_at.clone().unwrap_or_else(|| v.merged_at.clone())),
            ),
            (None, None) => (AnswerState::Outstanding, None),
        };
        let days_late = match &first {
            Some(at) => days_after(jst_date(at), deadline),
            None => days_after(Some(as_of), deadline),
        };
        let contact = roster
            .iter()
            .find(|r| r.unit_id == dept_id)
            .and_then(|r| r.people.first())
            .map(|p| Contact {
                name: p.name.clone(),
                contact: p.contact.clone(),
                source: "roster".into(),
            });
        let last_respondent = subs
            .iter()
            .rev()
            .filter(|s| {
                s.department_id == dept_id
                    && !s.undone
                    && !(s.respondent.is_empty() && s.contact.is_empty())
            })
            .map(|s| Contact {
                name: s.respondent.clone(),
                contact: s.contact.clone(),
                source: "answer".into(),
            })
            .next();
        let d = DepartmentStatus {
            department_id: dept_id,
            department: e.department.clone(),
            parent,
            export_id: e.export_id.clone(),
            file: e.file.clone(),
            exported_at: e.exported_at.clone(),
            projects: e.projects.as_ref().map_or(0, Vec::len),
            reviewed_by,
            state,
            answered_at: first,
            late: days_late.is_some(),
            days_late,
            changes_applied: answers.iter().map(|a| a.changes_applied).sum(),
            conflicts_open: answers.iter().map(|a| a.conflicts_open).sum(),
            fields_refused: answers.iter().map(|a| a.fields_refused).sum(),
            answers,
            via,
            contact: contact.or_else(|| last_respondent.clone()),
            last_respondent,
        };
        totals.departments += 1;
        match d.state {
            AnswerState::Outstanding => totals.outstanding += 1,
            AnswerState::Answered => totals.answered += 1,
            AnswerState::AnsweredVia => totals.answered_via += 1,
        }
        totals.late += d.late as usize;
        totals.changes_applied += d.changes_applied;
        totals.conflicts_open += d.conflicts_open;
        totals.fields_refused += d.fields_refused;
        out.push(d);
    }
    let plan = store.load_plan()?;
    let progress = progress_counts(&plan, round.fiscal_year, &store.progress_scale()?);
    Ok(RoundStatus {
        round: RoundInfo {
            round: round.clone(),
            as_of: as_of.format("%Y-%m-%d").to_string(),
            days_to_deadline: (deadline - as_of).num_days(),
        },
        departments: out,
        totals,
        progress,
    })
}
