//! Export (issue 4), merge (issue 5) and department mode: thin glue over `dxplan::export`,
//! `dxplan::merge` and `dxplan::import`. Views are built here from the core's reports.

use std::path::{Path, PathBuf};

use dxplan::export::{
    department_projects, export_department, export_master, ExportError, ExportOptions,
    ExportSummary,
};
use dxplan::merge::report::{show, MergeReport, SubmissionStatus};
use dxplan::merge::{MergeError, MergeOptions, Resolution};
use dxplan::store::Store;
use serde::{Deserialize, Serialize};
use specta::Type;
use specta_typescript::Number;

use crate::error::AppError;
use crate::state::{Mode, Session};

impl From<ExportError> for AppError {
    fn from(e: ExportError) -> Self {
        let full = e.to_string();
        AppError {
            code: "export".into(),
            message: crate::error::japanese_part(&full),
            detail: full,
        }
    }
}

impl From<MergeError> for AppError {
    fn from(e: MergeError) -> Self {
        match e {
            MergeError::Store(s) => s.into(),
            MergeError::Import(i) => i.into(),
            other => {
                let full = other.to_string();
                AppError {
                    code: "merge".into(),
                    message: crate::error::japanese_part(&full),
                    detail: full,
                }
            }
        }
    }
}

// ---------------------------------------------------------------- export

#[derive(Debug, Clone, Serialize, Deserialize, Type)]
pub struct DepartmentChoice {
    pub unit_id: String,
    pub name: String,
    /// Projects the unit (or a unit below it) owns or co-owns: the sheets of its workbook.
    pub projects: u32,
}

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
    let mut out: Vec<DepartmentChoice> = s
        .plan
        .org_units
        .iter()
        .map(|u| DepartmentChoice {
            unit_id: u.id.clone(),
            name: u.name.clone(),
            projects: department_projects(&s.plan, &u.id).len() as u32,
        })
        .filter(|d| d.projects > 0)
        .collect();
    out.sort_by(|a, b| a.name.cmp(&b.name));
    out
}

/// The base revisions are read from the plan file by the export itself.
fn options(deadline: Option<String>) -> ExportOptions {
    ExportOptions {
        deadline: deadline.filter(|d| !d.trim().is_empty()),
        ..ExportOptions::default()
    }
}

fn office_only(s: &Session, what: &str) -> Result<(), AppError> {
    match s.mode {
        Mode::Office => Ok(()),
        Mode::Department { .. } => Err(AppError::new(
            "read_only",
            format!("{what}は本庁（DX推進担当）の計画でのみ行えます。"),
        )),
    }
}

pub fn export_department_workbook(
    s: &Session,
    unit_id: &str,
    path: &Path,
    deadline: Option<String>,
) -> Result<ExportResult, AppError> {
    office_only(s, "課別ブックの書き出し")?;
    if department_projects(&s.plan, unit_id).is_empty() {
        return Err(AppError::invalid("この課が担当する事業はありません。"));
    }
    Ok(export_department(&s.store, &s.plan, unit_id, path, &options(deadline))?.into())
}

pub fn export_master_workbook(s: &Session, path: &Path) -> Result<ExportResult, AppError> {
    Ok(export_master(&s.store, &s.plan, path, &options(None))?.into())
}

// ---------------------------------------------------------------- merge

#[derive(Debug, Clone, Serialize, Deserialize, Type)]
pub struct FieldChangeDto {
    pub field: String,
    pub label: String,
    /// Sheet!A1 of the cell the change came from.
    pub at: String,
    pub old: String,
    pub new: String,
}

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
    /// "open" or "resolved".
    pub status: String,
    pub resolution: Option<String>,
}

#[derive(Debug, Clone, Serialize, Deserialize, Type)]
pub struct RefusedDto {
    pub label: String,
    pub at: String,
    pub reason: String,
}

#[derive(Debug, Clone, Serialize, Deserialize, Type)]
pub struct ProjectMergeDto {
    pub project_id: String,
    pub code: String,
    pub title: String,
    pub sheet: String,
    pub applied: Vec<FieldChangeDto>,
    pub conflicts: Vec<ConflictDto>,
    pub refused: Vec<RefusedDto>,
    pub same: u32,
}

#[derive(Debug, Clone, Serialize, Deserialize, Type)]
pub struct SubmissionMergeDto {
    pub file: String,
    pub export_id: String,
    pub exported_at: String,
    pub department: String,
    pub already_merged: bool,
    #[specta(type = Option<Number>)]
    pub submission_id: Option<i64>,
    pub projects: Vec<ProjectMergeDto>,
    /// New project sheets the department added: imported as proposals.
    pub proposals: Vec<String>,
    pub skipped_sheets: Vec<RefusedDto>,
}

#[derive(Debug, Clone, Serialize, Deserialize, Type)]
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

fn merge_view(s: &Session, r: MergeReport) -> MergeReportDto {
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
                skipped_sheets: sub
                    .skipped_sheets
                    .iter()
                    .map(|x| RefusedDto {
                        label: x.label.clone(),
                        at: x.at.clone(),
                        reason: x.reason.clone(),
                    })
                    .collect(),
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
                                status: "open".into(),
                                resolution: None,
                            })
                            .collect(),
                        refused: p
                            .refused
                            .iter()
                            .map(|x| RefusedDto {
                                label: x.label.clone(),
                                at: x.at.clone(),
                                reason: x.reason.clone(),
                            })
                            .collect(),
                        same: p.same as u32,
                        project_id: p.project_id,
                        title: p.title,
                        sheet: p.sheet,
                    })
                    .collect(),
                file: sub.file,
                export_id: sub.export_id,
                exported_at: sub.exported_at,
                department: sub.department,
            })
            .collect(),
    }
}

pub fn merge(s: &mut Session, paths: &[String], dry_run: bool) -> Result<MergeReportDto, AppError> {
    office_only(s, "提出ファイルの統合")?;
    if paths.is_empty() {
        return Err(AppError::invalid("統合する提出ファイルを選んでください。"));
    }
    let files: Vec<PathBuf> = paths.iter().map(PathBuf::from).collect();
    let r = dxplan::merge::merge_files(&mut s.store, &files, MergeOptions { dry_run })?;
    if !dry_run {
        s.reload()?;
    }
    Ok(merge_view(s, r))
}

pub fn conflicts(s: &Session, only_open: bool) -> Result<Vec<ConflictDto>, AppError> {
    Ok(s.store
        .conflicts(only_open)?
        .into_iter()
        .map(|c| {
            let project = s.plan.projects.iter().find(|p| p.id == c.project_id);
            ConflictDto {
                id: Some(c.id),
                project_code: s.code(&c.project_id),
                project_title: project.map(|p| p.title.clone()).unwrap_or_default(),
                label: project
                    .map(|p| dxplan::merge::describe(&c.field, p, p))
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
    office_only(s, "競合の解決")?;
    let how = match take {
        Take::Ours => Resolution::Ours,
        Take::Theirs => Resolution::Theirs,
        Take::Value => Resolution::Value(value.unwrap_or_default()),
    };
    dxplan::merge::resolve(&mut s.store, id, how)?;
    s.reload()
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
    let open = s.store.conflicts(true)?;
    let mut out: Vec<SubmissionDto> = s
        .store
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
    out.sort_by(|a, b| b.id.cmp(&a.id));
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
    office_only(s, "統合の取り消し")?;
    let r = dxplan::merge::undo_merge(&mut s.store, submission_id)?;
    s.reload()?;
    Ok(UndoMergeResult {
        reverted: r.reverted as u32,
        kept: r
            .kept
            .iter()
            .map(|k| {
                let title = s
                    .plan
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

/// What a department working copy remembers about the workbook it came from (stored beside
/// the working copy as `<export id>.json`).
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct WorkingCopy {
    pub plan: PathBuf,
    pub workbook: PathBuf,
    pub unit_id: String,
    pub unit_name: String,
    pub export_id: String,
}

impl WorkingCopy {
    pub fn mode(&self) -> Mode {
        Mode::Department {
            unit_id: self.unit_id.clone(),
            unit_name: self.unit_name.clone(),
            workbook: self.workbook.clone(),
            export_id: self.export_id.clone(),
        }
    }
}

/// Opens a department workbook as a local working copy in `dir` (one per export): created from
/// the workbook on first open (the plan items and projects it carries, by id), reopened after.
pub fn open_department_workbook(dir: &Path, workbook: &Path) -> Result<WorkingCopy, AppError> {
    let wb = dxplan::import::workbook::open(workbook)?;
    let native = dxplan::import::native::read_native(workbook, &wb)?.ok_or_else(|| {
        AppError::new("not_department", "このファイルは dxplan が書き出した課別ブックではありません。従来の様式は「Excel取込」から取り込んでください。")
    })?;
    let meta = native.meta;
    let dept = meta.department.clone().ok_or_else(|| {
        AppError::new(
            "not_department",
            "このブックは全体版です。課モードで開けるのは課別ブックだけです。",
        )
    })?;
    std::fs::create_dir_all(dir)?;
    let plan_path = dir.join(format!("{}.dxplan", meta.export_id));
    let wc = WorkingCopy {
        plan: plan_path.clone(),
        workbook: workbook.to_path_buf(),
        unit_id: dept.unit_id,
        unit_name: dept.name,
        export_id: meta.export_id.clone(),
    };
    if !plan_path.exists() {
        let tmp = dir.join(format!("{}.dxplan-new", meta.export_id));
        for suffix in ["", "-wal", "-shm"] {
            let mut p = tmp.as_os_str().to_owned();
            p.push(suffix);
            let _ = std::fs::remove_file(PathBuf::from(p));
        }
        {
            let mut store = Store::create(&tmp, &meta.plan)?;
            dxplan::import::import_files(
                &mut store,
                &[workbook.to_path_buf()],
                dxplan::import::ImportOptions { dry_run: false },
            )?;
        }
        std::fs::rename(&tmp, &plan_path)?;
    }
    std::fs::write(
        dir.join(format!("{}.json", meta.export_id)),
        serde_json::to_vec_pretty(&wc).map_err(AppError::internal)?,
    )?;
    Ok(wc)
}

pub fn read_working_copy(dir: &Path, export_id: &str) -> Option<WorkingCopy> {
    std::fs::read(dir.join(format!("{export_id}.json")))
        .ok()
        .and_then(|b| serde_json::from_slice(&b).ok())
}

/// Writes the submission of a department working copy: the working copy's values on the visible
/// sheets, the hidden sheet as received (the office's export id, base and MAC, verbatim),
/// recorded in the working copy's own register (`dxplan::export::export_submission`).
pub fn write_submission(s: &Session, path: &Path) -> Result<ExportResult, AppError> {
    match &s.mode {
        Mode::Office => Err(AppError::new(
            "read_only",
            "提出用ファイルは課モード（課別ブックを開いた作業用コピー）で書き出します。",
        )),
        Mode::Department { workbook, .. } => {
            // The base is what the department received: read it again from that workbook.
            let wb = dxplan::import::workbook::open(workbook)?;
            let received = dxplan::import::native::read_native(workbook, &wb)?
                .ok_or_else(|| {
                    AppError::new(
                        "not_department",
                        "受け取った課別ブックが見つからないか、dxplan の課別ブックではありません。",
                    )
                })?
                .meta;
            Ok(dxplan::export::export_submission(
                &s.store,
                &s.plan,
                &received,
                path,
                &Default::default(),
            )?
            .into())
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::state::write_sample;

    fn sample(dir: &Path) -> Session {
        let path = dir.join("office.dxplan");
        write_sample(&path).unwrap();
        Session::open(&path, Mode::Office).unwrap()
    }

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
        assert_eq!(r.projects, d.projects);

        // department mode: a working copy holding exactly the department's projects, all editable
        let wc = open_department_workbook(&dir.path().join("department"), &wb).unwrap();
        assert_eq!(wc.unit_name, "市民課");
        let local = Session::open(&wc.plan, wc.mode()).unwrap();
        assert_eq!(local.plan.projects.len() as u32, d.projects);
        assert!(local.plan.projects.iter().all(|p| local.editable(p)));
        // an edit in the working copy, written as the submission, merges as that one change
        let mut local = local;
        let edited = local.plan.projects[0].clone();
        let mut p = edited.clone();
        p.texts.summary = "課の作業用コピーで直した内容".into();
        local
            .store
            .write(
                dxplan::store::OpInfo::new(dxplan::store::OpKind::LocalEdit),
                |w| w.save_project(&p),
            )
            .unwrap();
        local.plan = local.store.load_plan().unwrap();
        let submission = dir.path().join("提出.xlsx");
        write_submission(&local, &submission).unwrap();
        let sub_paths = vec![submission.display().to_string()];
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
        let paths = vec![wb.display().to_string()];
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
        let mut s = sample(dir.path());
        s.mode = Mode::Department {
            unit_id: "u".into(),
            unit_name: "x".into(),
            workbook: "w".into(),
            export_id: "e".into(),
        };
        assert_eq!(
            merge(&mut s, &["a.xlsx".into()], true).unwrap_err().code,
            "read_only"
        );
        assert_eq!(
            export_department_workbook(&s, "u", &dir.path().join("a.xlsx"), None)
                .unwrap_err()
                .code,
            "read_only"
        );
    }
}
