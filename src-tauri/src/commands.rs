//! Tauri commands: thin wrappers that lock the session, call the core (through `views`), and
//! map every error to `AppError`. All are `async` so none runs on the window's main thread.

use std::path::PathBuf;

use tauri::{AppHandle, State};

use crate::dto::*;
use crate::error::AppError;
use crate::files::{FileHandle, PickedFile, Purpose};
use crate::office;
use crate::state::{default_plan_path, AppState, Mode, Session, Settings};
use crate::views;
use crate::{debug_env, pick};
use dxplan::workspace::{reset_sample as write_fresh_sample, write_sample};

type R<T> = Result<T, AppError>;

fn open_into(state: &AppState, path: &std::path::Path, mode: Mode) -> R<PlanTree> {
    let session = Session::open_outline_first(path, mode)?;
    let tree = views::plan_tree(&session);
    *state.slot() = Some(session);
    Ok(tree)
}

/// Opens the plan the app worked on last; on first start (no plan in the app-data folder),
/// writes the bundled sample plan (大野城市) there and opens it.
#[tauri::command]
#[specta::specta]
pub async fn start(state: State<'_, AppState>) -> R<PlanTree> {
    if let Some(s) = state.slot().as_ref() {
        return Ok(views::plan_tree(s));
    }
    let dir = state.data_dir()?;
    let mut settings = Settings::load(&dir);
    if let Some(wc) = settings
        .department
        .as_deref()
        .and_then(|id| office::read_working_copy(&dir.join("department"), id))
    {
        if wc.plan.exists() {
            if let Ok(tree) = open_into(&state, &wc.plan, wc.mode()) {
                return Ok(tree);
            }
        }
    }
    if let Some(last) = settings.last_plan.clone().filter(|p| p.exists()) {
        if let Ok(tree) = open_into(&state, &last, Mode::Office) {
            return Ok(tree);
        }
    }
    let path = default_plan_path(&dir);
    if !path.exists() {
        write_sample(&path)?;
    }
    let tree = open_into(&state, &path, Mode::Office)?;
    settings.last_plan = Some(path);
    settings.save(&dir)?;
    Ok(tree)
}

/// Opens another plan file (.dxplan) as the office's plan.
#[tauri::command]
#[specta::specta]
pub async fn open_plan(state: State<'_, AppState>, file: FileHandle) -> R<PlanTree> {
    let path = state.files.take(&file, Purpose::Plan)?;
    let tree = open_into(&state, &path, Mode::Office)?;
    let dir = state.data_dir()?;
    let mut settings = Settings::load(&dir);
    settings.last_plan = Some(path);
    settings.save(&dir)?;
    Ok(tree)
}

/// Replaces the app's sample plan by a fresh copy of the bundled one and opens it.
#[tauri::command]
#[specta::specta]
pub async fn reset_sample(state: State<'_, AppState>) -> R<PlanTree> {
    let dir = state.data_dir()?;
    let path = default_plan_path(&dir);
    *state.slot() = None;
    write_fresh_sample(&path)?;
    let tree = open_into(&state, &path, Mode::Office)?;
    let mut settings = Settings::load(&dir);
    settings.last_plan = Some(path);
    settings.save(&dir)?;
    Ok(tree)
}

#[tauri::command]
#[specta::specta]
pub async fn plan_tree(state: State<'_, AppState>) -> R<PlanTree> {
    state.with_outline(|s| Ok(views::plan_tree(s)))
}

#[tauri::command]
#[specta::specta]
pub async fn get_project(state: State<'_, AppState>, id: String) -> R<ProjectSheet> {
    state.with_outline(|s| views::project_sheet(s, &id))
}

/// Saves a whole project sheet as one transaction. `expected_revision` is the revision the
/// edit was made on; a newer one in the file is refused ("stale").
#[tauri::command]
#[specta::specta]
pub async fn save_project(
    state: State<'_, AppState>,
    project: dxplan::model::Project,
    expected_revision: i32,
) -> R<SaveResult> {
    state.with(|s| views::save_project(s, project, i64::from(expected_revision)))
}

#[tauri::command]
#[specta::specta]
pub async fn create_project(
    state: State<'_, AppState>,
    measure_id: String,
    title: String,
) -> R<ProjectSheet> {
    state.with(|s| views::create_project(s, &measure_id, &title))
}

#[tauri::command]
#[specta::specta]
pub async fn add_org_unit(state: State<'_, AppState>, name: String) -> R<dxplan::model::OrgUnit> {
    state.with(|s| views::add_org_unit(s, &name))
}

/// Reads a typed value the way the importer does (number, unit, denominator, qualifier,
/// footnote markers); null for 「－」, 「-」, blank … (no value, not 0).
#[tauri::command]
#[specta::specta]
pub async fn parse_value(text: String) -> R<Option<dxplan::model::Value>> {
    Ok(dxplan::parse::value::parse_value(&text))
}

/// Reads a budget cell in 千円 (「4,000」, 「▲1,000」, 「120万円」); null for the empties.
#[tauri::command]
#[specta::specta]
pub async fn parse_money(text: String) -> R<Option<i32>> {
    dxplan::parse::value::parse_money(&text)
        .map_err(|e| AppError::invalid(crate::error::japanese_part(&e.to_string())))?
        .map(|m| {
            i32::try_from(m.thousand_yen).map_err(|_| AppError::invalid("金額が大きすぎます。"))
        })
        .transpose()
}

#[tauri::command]
#[specta::specta]
pub async fn history(
    state: State<'_, AppState>,
    project_id: Option<String>,
    limit: u32,
) -> R<Vec<HistoryRow>> {
    state.with(|s| views::history(s, project_id.as_deref(), limit as usize))
}

#[tauri::command]
#[specta::specta]
pub async fn dashboard(state: State<'_, AppState>) -> R<Dashboard> {
    state.with(|s| views::dashboard(s))
}

/// Native "open file(s)" dialog for a purpose (not a save one); empty when cancelled. The
/// UI gets a handle and the names to show for each file, never its path.
#[tauri::command]
#[specta::specta]
pub async fn pick_files(
    app: AppHandle,
    state: State<'_, AppState>,
    purpose: PickPurpose,
) -> R<Vec<PickedFile>> {
    let purpose_of = Purpose::from(purpose);
    if purpose_of.writes() {
        return Err(AppError::invalid(
            "保存先は「保存先を指定」の画面で選んでください。",
        ));
    }
    pick::open(&app, purpose)?
        .into_iter()
        .map(|p| state.files.issue(p, purpose_of))
        .collect()
}

/// Native "save as" dialog (a save purpose only); null when cancelled. A handle to write once.
#[tauri::command]
#[specta::specta]
pub async fn pick_save_path(
    app: AppHandle,
    state: State<'_, AppState>,
    purpose: PickPurpose,
    default_name: String,
) -> R<Option<PickedFile>> {
    let purpose_of = Purpose::from(purpose);
    if !purpose_of.writes() {
        return Err(AppError::invalid(
            "開くファイルは「ファイルを選択」の画面で選んでください。",
        ));
    }
    pick::save(&app, purpose, &default_name)?
        .map(|p| state.files.issue(p, purpose_of))
        .transpose()
}

/// The UI calls this once the plan tree is interactive. With DXPLAN_BENCH set, the shell
/// prints how long that took since the process started (read by scripts/bench-app.sh); with
/// DXPLAN_EXIT_WHEN_READY set, the app then exits (run.sh without a display, the bench).
#[tauri::command]
#[specta::specta]
pub async fn ui_ready(app: AppHandle, detail: String) -> R<()> {
    if std::env::var_os("DXPLAN_BENCH").is_some() {
        use std::io::Write;
        println!("DXPLAN_READY {:.1} ms {detail}", crate::since_start_ms());
        let _ = std::io::stdout().flush();
    }
    // scripts/run.sh on a machine without a display, and the cold-start bench
    if std::env::var_os("DXPLAN_EXIT_WHEN_READY").is_some() {
        app.exit(0);
    }
    Ok(())
}

/// Debug builds: whether the test hooks (DXPLAN_TEST_PICK, DXPLAN_DATA_DIR) are active.
#[tauri::command]
#[specta::specta]
pub async fn app_info(state: State<'_, AppState>) -> R<AppInfo> {
    Ok(AppInfo {
        version: env!("CARGO_PKG_VERSION").into(),
        debug: cfg!(debug_assertions),
        data_dir: state.data_dir()?.display().to_string(),
        test_pick: debug_env("DXPLAN_TEST_PICK").is_some(),
    })
}

#[derive(Debug, Clone, serde::Serialize, serde::Deserialize, specta::Type)]
pub struct AppInfo {
    pub version: String,
    pub debug: bool,
    pub data_dir: String,
    pub test_pick: bool,
}

// ---------------------------------------------------------------- export, merge, department mode

/// Units that own projects (directly or through a unit below them), for the export picker.
#[tauri::command]
#[specta::specta]
pub async fn departments(state: State<'_, AppState>) -> R<Vec<office::DepartmentChoice>> {
    state.with(|s| Ok(office::departments(s)))
}

/// Writes the department workbook (照会用) of one unit where the save dialog said.
#[tauri::command]
#[specta::specta]
pub async fn export_department(
    state: State<'_, AppState>,
    unit_id: String,
    file: FileHandle,
    deadline: Option<String>,
) -> R<office::ExportResult> {
    let path = state.files.take(&file, Purpose::SaveWorkbook)?;
    state.with(|s| office::export_department_workbook(s, &unit_id, &path, deadline))
}

/// Writes the master workbook (全体版) where the save dialog said.
#[tauri::command]
#[specta::specta]
pub async fn export_master(
    state: State<'_, AppState>,
    file: FileHandle,
) -> R<office::ExportResult> {
    let path = state.files.take(&file, Purpose::SaveWorkbook)?;
    state.with(|s| office::export_master_workbook(s, &path))
}

/// What the merge reads: answers picked one by one, or folders of them.
const MERGED: [Purpose; 2] = [Purpose::Submission, Purpose::Answers];

/// Merge inbox: what merging these submissions would do (nothing is written).
#[tauri::command]
#[specta::specta]
pub async fn merge_preview(
    state: State<'_, AppState>,
    files: Vec<FileHandle>,
) -> R<office::MergeReportDto> {
    let paths = state.files.take_all(&files, &MERGED)?;
    let r = state.with(|s| office::merge(s, &paths, true))?;
    office::with_handles(&state.files, r)
}

/// Merges the submissions in one transaction; conflicts are recorded, ours kept.
#[tauri::command]
#[specta::specta]
pub async fn merge_apply(
    state: State<'_, AppState>,
    files: Vec<FileHandle>,
) -> R<office::MergeReportDto> {
    let paths = state.files.take_all(&files, &MERGED)?;
    let r = state.with(|s| {
        crate::plans::backup_before(&state, s, "統合")?;
        office::merge(s, &paths, false)
    })?;
    office::with_handles(&state.files, r)
}

#[tauri::command]
#[specta::specta]
pub async fn conflicts(state: State<'_, AppState>, only_open: bool) -> R<Vec<office::ConflictDto>> {
    state.with(|s| office::conflicts(s, only_open))
}

/// Closes a conflict: take 本庁 (ours), 課 (theirs), or a typed value.
#[tauri::command]
#[specta::specta]
pub async fn resolve_conflict(
    state: State<'_, AppState>,
    id: i32,
    take: office::Take,
    value: Option<String>,
) -> R<PlanTree> {
    state.with(|s| {
        office::resolve(s, i64::from(id), take, value)?;
        Ok(views::plan_tree(s))
    })
}

#[tauri::command]
#[specta::specta]
pub async fn submissions(state: State<'_, AppState>) -> R<Vec<office::SubmissionDto>> {
    state.with(|s| office::submissions(s))
}

/// Reverts one merged submission where later changes do not depend on it.
#[tauri::command]
#[specta::specta]
pub async fn undo_merge(
    state: State<'_, AppState>,
    submission_id: i32,
) -> R<office::UndoMergeResult> {
    state.with(|s| {
        crate::plans::backup_before(&state, s, "統合の取り消し")?;
        office::undo_merge(s, i64::from(submission_id))
    })
}

fn working_copies(state: &AppState) -> R<PathBuf> {
    Ok(state.data_dir()?.join("department"))
}

/// Department mode: opens a department workbook as a local working copy (only that
/// department's projects are editable).
#[tauri::command]
#[specta::specta]
pub async fn open_department_workbook(state: State<'_, AppState>, file: FileHandle) -> R<PlanTree> {
    let workbook = state.files.take(&file, Purpose::DepartmentWorkbook)?;
    let dir = working_copies(&state)?;
    let wc = office::open_department_workbook(&dir, &workbook)?;
    let tree = open_into(&state, &wc.plan, wc.mode())?;
    let data = state.data_dir()?;
    let mut settings = Settings::load(&data);
    settings.department = Some(wc.export_id.clone());
    settings.save(&data)?;
    Ok(tree)
}

/// Leaves department mode: back to the office's plan.
#[tauri::command]
#[specta::specta]
pub async fn leave_department_mode(state: State<'_, AppState>) -> R<PlanTree> {
    let data = state.data_dir()?;
    let mut settings = Settings::load(&data);
    settings.department = None;
    settings.save(&data)?;
    *state.slot() = None;
    let path = settings
        .last_plan
        .clone()
        .filter(|p| p.exists())
        .unwrap_or_else(|| default_plan_path(&data));
    if !path.exists() {
        write_sample(&path)?;
    }
    open_into(&state, &path, Mode::Office)
}

/// Department mode: writes the submission (提出用ファイル) where the save dialog said: the
/// working copy's values with the office's export id and base values untouched.
#[tauri::command]
#[specta::specta]
pub async fn write_submission(
    state: State<'_, AppState>,
    file: FileHandle,
) -> R<office::ExportResult> {
    let path = state.files.take(&file, Purpose::SaveWorkbook)?;
    state.with(|s| office::write_submission(s, &path))
}
