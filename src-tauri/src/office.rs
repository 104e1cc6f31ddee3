//! Export (issue 4), merge (issue 5) and department mode: views of what
//! `dxplan::workspace` answers. The rules (office only, the working copy) are the workspace's.

use std::path::{Path, PathBuf};

use dxplan::workspace::{
    show, ConflictStatus, ExportSummary, MergeReport, RefusedLine, Resolution, SubmissionStatus,
};
use serde::{Deserialize, Serialize};
use specta::Type;
use specta_typescript::Number;

use crate::error::AppError;
use crate::files::{Files, PickedFile, Purpose};
use crate::state::Session;

pub use dxplan::workspace::{DepartmentChoice, WorkingCopy};

// ---------------------------------------------------------------- export

#[derive(Debug, Clone, Serialize, Deserialize, Type)]
pub struct ExportResult {
    pub path: String,
    pub export_id: String,
    pub projects: u32,
    pub sheets: Vec<String>,
}

impl From<ExportSummary> for ExportResult {
    fn from(s: ExportSummary) -> Self {
        ExportResult {
            path: s.path.display().to_string(),
            export_id: s.export_id,
            projects: s.projects.len() as u32,
            sheets: s.sheets,
        }
    }
}

pub fn departments(s: &Session) -> Vec<DepartmentChoice> {
    s.departments()
}

pub fn export_department_workbook(
    s: &Session,
    unit_id: &str,
    path: &Path,
    deadline: Option<String>,
) -> Result<ExportResult, AppError> {
    Ok(s.export_department(unit_id, path, deadline)?.into())
}

pub fn export_master_workbook(s: &Session, path: &Path) -> Result<ExportResult, AppError> {
    Ok(s.export_master(path)?.into())
}

// ---------------------------------------------------------------- merge

/// A view of `merge::report::FieldLine`: the values as people read them (`show`), not JSON.
#[derive(Debug, Clone, Serialize, Deserialize, Type)]
pub struct FieldChangeDto {
    pub field: String,
    pub label: String,
    /// Sheet!A1 of the cell the change came from.
    pub at: String,
    pub old: String,
    pub new: String,
}

/// A view of a conflict, recorded or previewed alike: project code and title added, values as text.
#[derive(Debug, Clone, Serialize, Deserialize, Type)]
pub struct ConflictDto {
    /// Null in a preview (nothing recorded yet).
    #[specta(type = Option<Number>)]
    pub id: Option<i64>,
    pub project_id: String,
    pub project_code: String,
    pub project_title: String,
    pub department: String,
    pub field: String,
    pub label: String,
    pub at: String,
    /// What the department received (base), what the office has now (本庁), what the
    /// department sent (課), as people read them.
    pub base: String,
    pub ours: String,
    pub theirs: String,
    /// Open, or how it was closed.
    pub status: ConflictStatus,
    pub resolution: Option<String>,
}

#[derive(Debug, Clone, Serialize, Type)]
pub struct ProjectMergeDto {
    pub project_id: String,
    pub code: String,
    pub title: String,
    pub sheet: String,
    pub applied: Vec<FieldChangeDto>,
    pub conflicts: Vec<ConflictDto>,
    pub refused: Vec<RefusedLine>,
    pub same: u32,
}

#[derive(Debug, Clone, Serialize, Type)]
pub struct SubmissionMergeDto {
    /// The file as read (for display).
    pub file: String,
    /// The same file, to open in the merge inbox (filled by the command: `with_handles`).
    pub pick: Option<PickedFile>,
    pub export_id: String,
    pub exported_at: String,
    pub department: String,
    pub already_merged: bool,
    #[specta(type = Option<Number>)]
    pub submission_id: Option<i64>,
    pub projects: Vec<ProjectMergeDto>,
    /// New project sheets the department added: imported as proposals.
    pub proposals: Vec<String>,
    pub skipped_sheets: Vec<RefusedLine>,
}

/// A view, not `MergeReport`: display codes and file handles (`pick`) added, values as text.
#[derive(Debug, Clone, Serialize, Type)]
pub struct MergeReportDto {
    pub dry_run: bool,
    pub submissions: Vec<SubmissionMergeDto>,
    pub applied: u32,
    pub conflicts: u32,
    pub refused: u32,
    pub proposals: u32,
    pub already_merged: u32,
    /// The core's own text report (Japanese), as the CLI prints it.
    pub text: String,
}

pub(crate) fn merge_view(s: &Session, r: MergeReport) -> MergeReportDto {
    let text = r.to_string();
    let sum = &r.summary;
    MergeReportDto {
        dry_run: r.dry_run,
        applied: sum.applied as u32,
        conflicts: sum.conflicts as u32,
        refused: sum.refused as u32,
        proposals: sum.proposals as u32,
        already_merged: sum.already_merged as u32,
        text,
        submissions: r
            .submissions
            .into_iter()
            .map(|sub| SubmissionMergeDto {
                already_merged: sub.status == SubmissionStatus::AlreadyMerged,
                submission_id: sub.submission_id,
                proposals: sub
                    .proposals
                    .iter()
                    .map(|p| format!("{} 「{}」", p.at, p.title))
                    .collect(),
                skipped_sheets: sub.skipped_sheets.clone(),
                projects: sub
                    .projects
                    .into_iter()
                    .map(|p| ProjectMergeDto {
                        code: s.code(&p.project_id),
                        applied: p
                            .applied
                            .iter()
                            .map(|f| FieldChangeDto {
                                field: f.field.clone(),
                                label: f.label.clone(),
                                at: f.at.clone(),
                                old: show(&f.old),
                                new: show(&f.new),
                            })
                            .collect(),
                        conflicts: p
                            .conflicts
                            .iter()
                            .map(|c| ConflictDto {
                                id: c.conflict_id,
                                project_id: p.project_id.clone(),
                                project_code: s.code(&p.project_id),
                                project_title: p.title.clone(),
                                department: sub.department.clone(),
                                field: c.field.clone(),
                                label: c.label.clone(),
                                at: c.at.clone(),
                                base: show(&c.base),
                                ours: show(&c.ours),
                                theirs: show(&c.theirs),
                                status: ConflictStatus::Open,
                                resolution: None,
                            })
                            .collect(),
                        refused: p.refused.clone(),
                        same: p.same as u32,
                        project_id: p.project_id,
                        title: p.title,
                        sheet: p.sheet,
                    })
                    .collect(),
                file: sub.file,
                pick: None,
                export_id: sub.export_id,
                exported_at: sub.exported_at,
                department: sub.department,
            })
            .collect(),
    }
}

pub fn merge(
    s: &mut Session,
    files: &[PathBuf],
    dry_run: bool,
) -> Result<MergeReportDto, AppError> {
    let r = s.merge(files, dry_run)?;
    Ok(merge_view(s, r))
}

/// Each submission read (one of a folder's too) with a read handle, so the inbox can open it.
pub fn with_handles(files: &Files, mut r: MergeReportDto) -> Result<MergeReportDto, AppError> {
    for sub in &mut r.submissions {
        sub.pick = Some(files.issue(PathBuf::from(&sub.file), Purpose::Submission)?);
    }
    Ok(r)
}

pub fn conflicts(s: &Session, only_open: bool) -> Result<Vec<ConflictDto>, AppError> {
    Ok(s.conflicts(only_open)?
        .into_iter()
        .map(|c| {
            let project = s.plan().projects.iter().find(|p| p.id == c.project_id);
            ConflictDto {
                id: Some(c.id),
                project_code: s.code(&c.project_id),
                project_title: project.map(|p| p.title.clone()).unwrap_or_default(),
                label: project
                    .map(|p| dxplan::workspace::describe(&c.field, p, p))
                    .unwrap_or_else(|| c.field.clone()),
                project_id: c.project_id,
                department: c.department,
                field: c.field,
                at: c.at,
                base: show(&c.base),
                ours: show(&c.ours),
                theirs: show(&c.theirs),
                status: c.status,
                resolution: c.resolution.map(|v| show(&Some(v))),
            }
        })
        .collect())
}

#[derive(Debug, Clone, Copy, Serialize, Deserialize, Type)]
#[serde(rename_all = "snake_case")]
pub enum Take {
    /// Keep the office's value (本庁).
    Ours,
    /// Take the department's value (課).
    Theirs,
    /// A value typed by the person.
    Value,
}

pub fn resolve(
    s: &mut Session,
    id: i64,
    take: Take,
    value: Option<String>,
) -> Result<(), AppError> {
    let how = match take {
        Take::Ours => Resolution::Ours,
        Take::Theirs => Resolution::Theirs,
        Take::Value => Resolution::Value(value.unwrap_or_default()),
    };
    Ok(s.resolve(id, how)?)
}

#[derive(Debug, Clone, Serialize, Deserialize, Type)]
pub struct SubmissionDto {
    #[specta(type = Number)]
    pub id: i64,
    pub department: String,
    pub file: String,
    pub export_id: String,
    pub exported_at: String,
    pub merged_at: String,
    pub undone: bool,
    /// Conflicts of this submission still open.
    pub open_conflicts: u32,
}

pub fn submissions(s: &Session) -> Result<Vec<SubmissionDto>, AppError> {
    let open = s.conflicts(true)?;
    let mut out: Vec<SubmissionDto> = s
        .submissions()?
        .into_iter()
        .map(|r| SubmissionDto {
            open_conflicts: open.iter().filter(|c| c.submission_id == r.id).count() as u32,
            id: r.id,
            department: r.department,
            file: r.file,
            export_id: r.export_id,
            exported_at: r.exported_at,
            merged_at: r.merged_at,
            undone: r.undone,
        })
        .collect();
    out.sort_by_key(|s| std::cmp::Reverse(s.id));
    Ok(out)
}

#[derive(Debug, Clone, Serialize, Deserialize, Type)]
pub struct UndoMergeResult {
    pub reverted: u32,
    /// Fields changed again after the merge, left as they are: 「事業: 項目（理由）」.
    pub kept: Vec<String>,
    pub conflicts_withdrawn: u32,
    pub proposals_removed: u32,
}

pub fn undo_merge(s: &mut Session, submission_id: i64) -> Result<UndoMergeResult, AppError> {
    let r = s.undo_merge(submission_id)?;
    Ok(UndoMergeResult {
        reverted: r.reverted as u32,
        kept: r
            .kept
            .iter()
            .map(|k| {
                let title = s
                    .plan()
                    .projects
                    .iter()
                    .find(|p| p.id == k.project_id)
                    .map(|p| p.title.clone())
                    .unwrap_or_default();
                format!(
                    "{} {title}: {}（{}）",
                    s.code(&k.project_id),
                    k.field,
                    k.reason
                )
            })
            .collect(),
        conflicts_withdrawn: r.conflicts_withdrawn as u32,
        proposals_removed: r.proposals_removed as u32,
    })
}

// ---------------------------------------------------------------- department mode

/// Opens a department workbook as a local working copy in `dir` (one per export).
pub fn open_department_workbook(dir: &Path, workbook: &Path) -> Result<WorkingCopy, AppError> {
    Ok(dxplan::workspace::open_department_workbook(dir, workbook)?)
}

pub fn read_working_copy(dir: &Path, export_id: &str) -> Option<WorkingCopy> {
    WorkingCopy::read(dir, export_id)
}

/// Writes the submission of a department working copy (`Workspace::write_submission`).
pub fn write_submission(s: &Session, path: &Path) -> Result<ExportResult, AppError> {
    Ok(s.write_submission(path, None)?.into())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::state::{sample_session as sample, Mode};

    #[test]
    fn export_open_as_working_copy_and_merge_back_unchanged() {
        let dir = tempfile::tempdir().unwrap();
        let mut s = sample(dir.path());
        let choices = departments(&s);
        let d = choices
            .iter()
            .find(|d| d.name == "市民課")
            .expect("市民課 owns projects");
        let wb = dir.path().join("市民課.xlsx");
        let r =
            export_department_workbook(&s, &d.unit_id, &wb, Some("2025年7月31日".into())).unwrap();
        assert_eq!(r.projects as usize, d.projects);

        // department mode: a working copy holding exactly the department's projects, all editable
        let wc = open_department_workbook(&dir.path().join("department"), &wb).unwrap();
        assert_eq!(wc.unit_name, "市民課");
        let local = Session::open(&wc.plan, wc.mode()).unwrap();
        assert_eq!(local.plan().projects.len(), d.projects);
        assert!(local.plan().projects.iter().all(|p| local.editable(p)));
        // an edit in the working copy, written as the submission, merges as that one change
        let mut local = local;
        let mut p = local.plan().projects[0].clone();
        p.texts.summary = "課の作業用コピーで直した内容".into();
        let revision = local.revision(&p.id).unwrap();
        local.save_project(p, revision).unwrap();
        let submission = dir.path().join("提出.xlsx");
        write_submission(&local, &submission).unwrap();
        let sub_paths = vec![submission.clone()];
        let pre_sub = merge(&mut s, &sub_paths, true).unwrap();
        assert_eq!((pre_sub.applied, pre_sub.conflicts), (1, 0));
        // reopening finds the same working copy
        assert_eq!(
            open_department_workbook(&dir.path().join("department"), &wb)
                .unwrap()
                .plan,
            wc.plan
        );

        // the unchanged workbook merges with nothing to apply and no conflict
        let paths = vec![wb.clone()];
        let pre = merge(&mut s, &paths, true).unwrap();
        assert!(pre.dry_run);
        assert_eq!((pre.applied, pre.conflicts), (0, 0));
        let done = merge(&mut s, &paths, false).unwrap();
        assert_eq!(done.conflicts, 0);
        assert_eq!(submissions(&s).unwrap().len(), 1);
        assert!(conflicts(&s, true).unwrap().is_empty());

        // the master workbook too
        let m = export_master_workbook(&s, &dir.path().join("全体.xlsx")).unwrap();
        assert_eq!(m.projects, 30);
    }

    #[test]
    fn department_sessions_cannot_merge_or_export_department_workbooks() {
        let dir = tempfile::tempdir().unwrap();
        let path = sample(dir.path()).path().to_path_buf();
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
        assert_eq!(
            merge(&mut s, &[PathBuf::from("a.xlsx")], true)
                .unwrap_err()
                .code,
            dxplan::workspace::ErrorCode::ReadOnly
        );
        assert_eq!(
            export_department_workbook(&s, "u", &dir.path().join("a.xlsx"), None)
                .unwrap_err()
                .code,
            dxplan::workspace::ErrorCode::ReadOnly
        );
    }
}
