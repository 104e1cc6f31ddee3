//! 照会 rounds (issue 15) in the app: start a round (every department's workbook into one
//! folder), the round's status per department, the 督促 list and its drafts. Views of what
//! `dxplan::workspace`'s round methods answer; merging a folder of answers is the merge inbox's
//! own `merge_preview` / `merge_apply` given the folder.

use std::path::{Path, PathBuf};

use dxplan::workspace::round::{
    current_fiscal_year, japanese_date, parse_deadline, AnswerState, Reminder, RoundSpec,
    RoundStatus, Totals,
};
use dxplan::workspace::{RoundCandidate, RoundRecord};
use serde::{Deserialize, Serialize};
use specta::Type;
use specta_typescript::Number;
use tauri::{AppHandle, State};

use crate::dto::{FiscalYearLabel, FolderPurpose};
use crate::error::AppError;
use crate::files::{FileHandle, PickedFile, Purpose};
use crate::state::{AppState, Session};
use crate::versions_cmd::iso_date;
use crate::views::fy_label;

type R<T> = Result<T, AppError>;

fn count(n: impl TryInto<u32>) -> u32 {
    n.try_into().unwrap_or(u32::MAX)
}

// ---------------------------------------------------------------- rounds

/// A view of `RoundRecord`: the deadline worded (「2027年1月31日（日）」), the year with 和暦.
#[derive(Debug, Clone, Serialize, Deserialize, Type)]
pub struct RoundDto {
    #[specta(type = Number)]
    pub id: i64,
    pub title: String,
    /// YYYY-MM-DD.
    pub deadline: String,
    /// 「2027年1月31日（日）」.
    pub deadline_label: String,
    pub fiscal_year: FiscalYearLabel,
    /// RFC 3339.
    pub started_at: String,
    /// The folder the workbooks were written to.
    pub dir: String,
}

fn round_dto(r: &RoundRecord) -> RoundDto {
    RoundDto {
        id: r.id,
        title: r.title.clone(),
        deadline_label: parse_deadline(&r.deadline)
            .map(japanese_date)
            .unwrap_or_else(|_| r.deadline.clone()),
        deadline: r.deadline.clone(),
        fiscal_year: fy_label(r.fiscal_year),
        started_at: r.started_at.clone(),
        dir: r.dir.clone(),
    }
}

/// The plan's rounds, oldest first.
#[tauri::command]
#[specta::specta]
pub async fn rounds(state: State<'_, AppState>) -> R<Vec<RoundDto>> {
    state.with(|s| Ok(s.rounds()?.iter().map(round_dto).collect()))
}

#[derive(Debug, Clone, Serialize, Deserialize, Type)]
pub struct RoundCandidates {
    pub fiscal_year: FiscalYearLabel,
    /// This fiscal year (April to March), for the form's default.
    pub this_year: i32,
    /// The units that own or co-own a project in that year: whom a round asks by default.
    pub departments: Vec<RoundCandidate>,
}

/// Whom a round of `fiscal_year` (default: this year) would ask, with that year's unit names.
#[tauri::command]
#[specta::specta]
pub async fn round_candidates(
    state: State<'_, AppState>,
    fiscal_year: Option<i32>,
) -> R<RoundCandidates> {
    state.with(|s| {
        let this_year = current_fiscal_year();
        let fy = fiscal_year.unwrap_or(this_year);
        Ok(RoundCandidates {
            fiscal_year: fy_label(fy),
            this_year,
            departments: s.round_candidates(fy)?,
        })
    })
}

#[derive(Debug, Clone, Serialize, Deserialize, Type)]
pub struct StartRoundRequest {
    pub title: String,
    /// YYYY-MM-DD.
    pub deadline: String,
    pub fiscal_year: i32,
    /// Unit names; empty: every unit owning a project that year.
    pub departments: Vec<String>,
    /// 部 that gather their 課's answers (部 review); usually empty.
    pub reviewers: Vec<String>,
    /// The folder the workbooks go to (created when missing): a handle from
    /// `pick_folder("round_output")`.
    pub dir: FileHandle,
}

#[derive(Debug, Clone, Serialize, Deserialize, Type)]
pub struct RoundWorkbookDto {
    pub department: String,
    pub parent: Option<String>,
    pub file: String,
    pub projects: u32,
    pub reviewed_by: Option<String>,
}

#[derive(Debug, Clone, Serialize, Deserialize, Type)]
pub struct StartedRoundDto {
    pub round: RoundDto,
    pub workbooks: Vec<RoundWorkbookDto>,
}

/// Starts the round `req` asks for, its workbooks written into `dir` (the folder behind
/// `req.dir`).
pub fn start_round_in(s: &mut Session, req: &StartRoundRequest, dir: &Path) -> R<StartedRoundDto> {
    let spec = RoundSpec {
        title: req.title.trim().to_string(),
        deadline: iso_date(&req.deadline, "提出期限")?,
        fiscal_year: Some(req.fiscal_year),
        departments: req.departments.clone(),
        reviewers: req.reviewers.clone(),
        dir: dir.to_path_buf(),
        open_past_years: false,
    };
    let started = s.start_round(&spec)?;
    Ok(StartedRoundDto {
        round: round_dto(&started.round),
        workbooks: started
            .workbooks
            .iter()
            .map(|w| RoundWorkbookDto {
                department: w.department.clone(),
                parent: w.parent.clone(),
                file: w.file.display().to_string(),
                projects: count(w.projects),
                reviewed_by: w.reviewed_by.clone(),
            })
            .collect(),
    })
}

/// Starts a round: writes every department's workbook into `dir`, registered under the round.
#[tauri::command]
#[specta::specta]
pub async fn start_round(
    state: State<'_, AppState>,
    request: StartRoundRequest,
) -> R<StartedRoundDto> {
    let dir = state.files.take(&request.dir, Purpose::RoundOutput)?;
    state.with(|s| start_round_in(s, &request, &dir))
}

// ---------------------------------------------------------------- status

/// A view of a department's answer: with a read handle (`pick`) instead of only a path.
#[derive(Debug, Clone, Serialize, Deserialize, Type)]
pub struct AnswerDto {
    #[specta(type = Number)]
    pub submission_id: i64,
    /// The answer file as merged (its path then).
    pub file: String,
    /// The same file, to open in the merge inbox (filled by `round_status`).
    pub pick: Option<PickedFile>,
    /// Its save time, else when it was merged (RFC 3339).
    pub answered_at: String,
    pub merged_at: String,
    /// The cover: 記入者, 連絡先, 事務局への連絡事項.
    pub respondent: String,
    pub contact: String,
    pub remarks: String,
    pub changes_applied: u32,
    pub conflicts_open: u32,
    pub fields_refused: u32,
    pub late: bool,
    /// A 部's answer: the 課 it gathered.
    pub gathered: Vec<String>,
}

#[derive(Debug, Clone, Serialize, Deserialize, Type)]
pub struct ViaDto {
    /// The 部 whose answer carried it.
    pub department: String,
    pub respondent: String,
    pub contact: String,
    pub remarks: String,
}

#[derive(Debug, Clone, Serialize, Deserialize, Type)]
pub struct ContactDto {
    pub name: String,
    pub contact: String,
    /// 「名簿」 (DX推進員 of the round's year) or 「前回の回答」.
    pub source: String,
}

/// A view of `DepartmentStatus`: its state's label, contacts worded, answers with handles.
#[derive(Debug, Clone, Serialize, Deserialize, Type)]
pub struct DepartmentStatusDto {
    pub department_id: String,
    pub department: String,
    pub parent: Option<String>,
    pub export_id: String,
    /// The workbook it was sent.
    pub file: String,
    pub projects: u32,
    pub reviewed_by: Option<String>,
    pub state: AnswerState,
    /// 「未回答」「回答済み」「部で取りまとめ済み」.
    pub state_label: String,
    pub answered_at: Option<String>,
    pub late: bool,
    pub days_late: Option<i32>,
    pub answers: Vec<AnswerDto>,
    pub via: Option<ViaDto>,
    pub changes_applied: u32,
    pub conflicts_open: u32,
    pub fields_refused: u32,
    /// Whom to ask.
    pub contact: Option<ContactDto>,
}

#[derive(Debug, Clone, Serialize, Type)]
pub struct RoundStatusDto {
    pub round: RoundDto,
    /// The day counted on (YYYY-MM-DD, JST).
    pub as_of: String,
    /// Days from `as_of` to the deadline (negative: past it).
    pub days_to_deadline: i32,
    pub departments: Vec<DepartmentStatusDto>,
    pub totals: Totals,
}

fn contact_dto(c: &dxplan::workspace::round::Contact) -> ContactDto {
    ContactDto {
        name: c.name.clone(),
        contact: c.contact.clone(),
        source: if c.source == "roster" {
            "名簿"
        } else {
            "前回の回答"
        }
        .into(),
    }
}

pub fn status_dto(st: &RoundStatus) -> RoundStatusDto {
    RoundStatusDto {
        round: round_dto(&st.round.round),
        as_of: st.round.as_of.clone(),
        days_to_deadline: i32::try_from(st.round.days_to_deadline).unwrap_or(0),
        totals: st.totals.clone(),
        departments: st
            .departments
            .iter()
            .map(|d| DepartmentStatusDto {
                department_id: d.department_id.clone(),
                department: d.department.clone(),
                parent: d.parent.clone(),
                export_id: d.export_id.clone(),
                file: d.file.clone(),
                projects: count(d.projects),
                reviewed_by: d.reviewed_by.clone(),
                state: d.state,
                state_label: d.state.label().into(),
                answered_at: d.answered_at.clone(),
                late: d.late,
                days_late: d.days_late.map(|n| i32::try_from(n).unwrap_or(i32::MAX)),
                answers: d
                    .answers
                    .iter()
                    .map(|a| AnswerDto {
                        submission_id: a.submission_id,
                        file: a.file.clone(),
                        pick: None,
                        answered_at: a.answered_at.clone(),
                        merged_at: a.merged_at.clone(),
                        respondent: a.respondent.clone(),
                        contact: a.contact.clone(),
                        remarks: a.remarks.clone(),
                        changes_applied: count(a.changes_applied),
                        conflicts_open: count(a.conflicts_open),
                        fields_refused: count(a.fields_refused),
                        late: a.late,
                        gathered: a.gathered.clone(),
                    })
                    .collect(),
                via: d.via.as_ref().map(|v| ViaDto {
                    department: v.department.clone(),
                    respondent: v.respondent.clone(),
                    contact: v.contact.clone(),
                    remarks: v.remarks.clone(),
                }),
                changes_applied: count(d.changes_applied),
                conflicts_open: count(d.conflicts_open),
                fields_refused: count(d.fields_refused),
                contact: d.contact.as_ref().map(contact_dto),
            })
            .collect(),
    }
}

fn which(round_id: Option<i32>) -> Option<String> {
    round_id.map(|id| id.to_string())
}

fn status_of(s: &Session, round_id: Option<i32>, as_of: Option<&str>) -> R<RoundStatus> {
    let as_of = as_of
        .filter(|d| !d.trim().is_empty())
        .map(|d| iso_date(d, "基準日"))
        .transpose()?;
    Ok(s.round_status(which(round_id).as_deref(), as_of)?)
}

/// Who has answered round `round_id` (default: the latest), counted on `as_of` (default today).
#[tauri::command]
#[specta::specta]
pub async fn round_status(
    state: State<'_, AppState>,
    round_id: Option<i32>,
    as_of: Option<String>,
) -> R<RoundStatusDto> {
    let mut st = state.with(|s| Ok(status_dto(&status_of(s, round_id, as_of.as_deref())?)))?;
    for a in st.departments.iter_mut().flat_map(|d| d.answers.iter_mut()) {
        a.pick = Some(
            state
                .files
                .issue(PathBuf::from(&a.file), Purpose::Submission)?,
        );
    }
    Ok(st)
}

// ---------------------------------------------------------------- 督促

/// The 督促 list of a round: every department still to answer, latest first, with a draft.
#[tauri::command]
#[specta::specta]
pub async fn round_reminders(
    state: State<'_, AppState>,
    round_id: Option<i32>,
    as_of: Option<String>,
) -> R<Vec<Reminder>> {
    state.with(|s| {
        let st = status_of(s, round_id, as_of.as_deref())?;
        Ok(s.round_reminders(&st)?)
    })
}

/// Writes the 督促 list as .xlsx or .csv (by the extension of the file the save dialog named);
/// answers its path, for display.
#[tauri::command]
#[specta::specta]
pub async fn write_round_reminders(
    state: State<'_, AppState>,
    round_id: Option<i32>,
    as_of: Option<String>,
    file: FileHandle,
) -> R<String> {
    let path = state.files.take(&file, Purpose::SaveWorkbook)?;
    state.with(|s| {
        let st = status_of(s, round_id, as_of.as_deref())?;
        let out = s.write_round_reminders(&st, &path)?;
        Ok(out.display().to_string())
    })
}

// ---------------------------------------------------------------- folders

/// Native "choose a folder" dialog; null when cancelled. The UI gets a handle for the folder
/// (to write a round into, or to merge the answers in it) and its names. (Debug builds:
/// `DXPLAN_TEST_PICK` answers it, as for files.)
#[tauri::command]
#[specta::specta]
pub async fn pick_folder(
    app: AppHandle,
    state: State<'_, AppState>,
    purpose: FolderPurpose,
) -> R<Option<PickedFile>> {
    let picked = pick_folder_path(&app, purpose)?;
    picked
        .map(|p| state.files.issue(p, Purpose::from(purpose)))
        .transpose()
}

fn pick_folder_path(app: &AppHandle, purpose: FolderPurpose) -> R<Option<PathBuf>> {
    if let Some(answer) = crate::pick::test_answer() {
        return Ok(answer.into_iter().next());
    }
    use tauri_plugin_dialog::DialogExt;
    let title = match purpose {
        FolderPurpose::RoundOutput => "照会のブックを書き出すフォルダーを選択",
        FolderPurpose::Answers => "回答が入ったフォルダーを選択",
    };
    match app.dialog().file().set_title(title).blocking_pick_folder() {
        None => Ok(None),
        Some(f) => f.into_path().map(Some).map_err(|e| {
            AppError::new(
                dxplan::workspace::ErrorCode::Io,
                format!("選択したフォルダーのパスを読めません: {e}"),
            )
        }),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::state::Mode;
    use dxplan::workspace::write_sample;

    fn handle(dir: &Path) -> FileHandle {
        crate::files::Files::default()
            .issue(dir.to_path_buf(), Purpose::RoundOutput)
            .unwrap()
            .handle
    }

    #[test]
    fn a_round_over_the_sample_lists_every_owning_department_as_outstanding() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("office.dxplan");
        write_sample(&path).unwrap();
        let mut s = Session::open(&path, Mode::Office).unwrap();
        let fy = s.info().last_fy;
        let candidates: Vec<String> = s
            .round_candidates(fy)
            .unwrap()
            .into_iter()
            .map(|u| u.name)
            .collect();
        assert!(candidates.len() > 3, "{candidates:?}");
        let out = dir.path().join("照会");
        let started = start_round_in(
            &mut s,
            &StartRoundRequest {
                title: "令和7年度 第1回 進捗照会".into(),
                deadline: "2026-01-30".into(),
                fiscal_year: fy,
                departments: vec![],
                reviewers: vec![],
                dir: handle(&out),
            },
            &out,
        )
        .unwrap();
        assert_eq!(started.workbooks.len(), candidates.len());
        assert!(started
            .workbooks
            .iter()
            .all(|w| Path::new(&w.file).exists()));
        assert_eq!(started.round.deadline_label, "2026年1月30日（金）");

        let st =
            status_dto(&status_of(&s, Some(started.round.id as i32), Some("2026-02-02")).unwrap());
        assert_eq!(st.days_to_deadline, -3);
        assert_eq!(st.totals.outstanding as usize, candidates.len());
        assert!(st
            .departments
            .iter()
            .all(|d| d.state == AnswerState::Outstanding && d.days_late == Some(3)));
        // a second round of the same title is refused, nothing written
        let again = start_round_in(
            &mut s,
            &StartRoundRequest {
                title: "令和7年度 第1回 進捗照会".into(),
                deadline: "2026-01-30".into(),
                fiscal_year: fy,
                departments: vec![],
                reviewers: vec![],
                dir: handle(&dir.path().join("again")),
            },
            &dir.path().join("again"),
        );
        assert_eq!(again.unwrap_err().code, dxplan::workspace::ErrorCode::Round);
        // a department session cannot start one
        drop(s);
        let mut s = Session::open(
            &path,
            Mode::Department {
                unit_id: "u".into(),
                unit_name: "x".into(),
                workbook: "w".into(),
                export_id: "e".into(),
            },
        )
        .unwrap();
        let refused = start_round_in(
            &mut s,
            &StartRoundRequest {
                title: "別の照会".into(),
                deadline: "2026-01-30".into(),
                fiscal_year: fy,
                departments: vec![],
                reviewers: vec![],
                dir: handle(&dir.path().join("x")),
            },
            &dir.path().join("x"),
        );
        assert_eq!(
            refused.unwrap_err().code,
            dxplan::workspace::ErrorCode::ReadOnly
        );
    }
}
