//! The plan as the office's own (issue 14): the first-start screen (who is using the app, which
//! plan to open), the 計画 menu (new, open, recent, 名前を付けて保存, 別の場所にコピー), and the
//! backups taken before every import and merge (`dxplan::backups`). Thin: the rules live in
//! `dxplan::structure` and `dxplan::backups`.

use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};
use specta::Type;
use tauri::State;

use crate::dto::PlanTree;
use crate::error::AppError;
use crate::files::{FileHandle, Files, PickedFile, Purpose};
use crate::state::{default_plan_path, AppState, Mode, Session, Settings};
use crate::{office, views};
use dxplan::workspace::write_sample;

type R<T> = Result<T, AppError>;

/// Backups kept per plan.
pub const BACKUPS_KEPT: usize = 20;
/// Plans listed under 「最近使った計画」.
const RECENT_KEPT: usize = 8;

/// Who uses the app on this computer: the DX office or a department's DX promoter.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Type)]
#[serde(rename_all = "snake_case")]
pub enum Role {
    /// 事務局（DX推進担当）.
    Office,
    /// 課の DX推進員.
    Department,
}

/// A plan opened before, as `prefs.json` keeps it (the path stays on the Rust side).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct RecentEntry {
    pub path: String,
    pub title: String,
    pub city: String,
    /// RFC 3339.
    pub opened_at: String,
}

/// A recent plan as the UI sees it: a read handle to open it with, and names to show.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Type)]
pub struct RecentPlan {
    pub file: PickedFile,
    pub title: String,
    pub city: String,
    /// RFC 3339.
    pub opened_at: String,
    /// False when the file is no longer there (moved, or a network drive not connected).
    pub exists: bool,
    /// The plan open now.
    pub current: bool,
}

/// `prefs.json` in the data folder: the role chosen on first start and the recent plans.
#[derive(Debug, Default, Serialize, Deserialize)]
pub struct Prefs {
    pub role: Option<Role>,
    #[serde(default)]
    pub recent: Vec<RecentEntry>,
    /// 記入者 and 連絡先 of the last answer written in 課モード.
    #[serde(default)]
    pub cover: Option<crate::dto::CoverForm>,
}

impl Prefs {
    pub fn load(dir: &Path) -> Prefs {
        std::fs::read(dir.join("prefs.json"))
            .ok()
            .and_then(|b| serde_json::from_slice(&b).ok())
            .unwrap_or_default()
    }

    pub fn save(&self, dir: &Path) -> R<()> {
        std::fs::create_dir_all(dir)?;
        let tmp = dir.join("prefs.json.tmp");
        std::fs::write(
            &tmp,
            serde_json::to_vec_pretty(self).map_err(AppError::internal)?,
        )?;
        std::fs::rename(tmp, dir.join("prefs.json"))?;
        Ok(())
    }

    fn remember(&mut self, s: &Session) {
        let path = s.path().display().to_string();
        self.recent.retain(|r| r.path != path);
        self.recent.insert(
            0,
            RecentEntry {
                path,
                title: s.info().title.clone(),
                city: s.info().city.clone(),
                opened_at: chrono::Local::now().to_rfc3339_opts(chrono::SecondsFormat::Secs, false),
            },
        );
        self.recent.truncate(RECENT_KEPT);
    }
}

/// What the app shows when it starts.
#[derive(Debug, Clone, Serialize, Deserialize, Type)]
pub struct Startup {
    /// The plan opened (the one worked on last); null: show the first-start screen.
    pub tree: Option<PlanTree>,
    pub role: Option<Role>,
    pub recent: Vec<RecentPlan>,
}

/// The recent list with read handles; `current` is the path of the plan open now.
fn recent(files: &Files, prefs: &Prefs, current: Option<&str>) -> R<Vec<RecentPlan>> {
    prefs
        .recent
        .iter()
        .map(|r| {
            Ok(RecentPlan {
                file: files.issue(PathBuf::from(&r.path), Purpose::Plan)?,
                title: r.title.clone(),
                city: r.city.clone(),
                opened_at: r.opened_at.clone(),
                exists: Path::new(&r.path).is_file(),
                current: current == Some(r.path.as_str()),
            })
        })
        .collect()
}

fn open_path(state: &AppState) -> Option<String> {
    state
        .slot()
        .as_ref()
        .map(|s| s.path().display().to_string())
}

/// Opens `path` as the office's plan: the session, the last plan and the recent list.
fn open_office(state: &AppState, path: &Path) -> R<PlanTree> {
    let session = Session::open_outline_first(path, Mode::Office)?;
    let tree = views::plan_tree(&session);
    let dir = state.data_dir()?;
    let mut prefs = Prefs::load(&dir);
    prefs.remember(&session);
    prefs.save(&dir)?;
    let mut settings = Settings::load(&dir);
    settings.last_plan = Some(path.to_path_buf());
    settings.department = None;
    settings.save(&dir)?;
    *state.slot() = Some(session);
    Ok(tree)
}

/// `--sample` on the command line (scripts/run.sh): open the bundled sample when no plan was
/// worked on yet, instead of the first-start screen.
fn sample_requested() -> bool {
    std::env::args().any(|a| a == "--sample")
}

/// Opens what the app worked on last (a department working copy, else the office's plan);
/// on first start (nothing remembered) the UI shows the first-start screen.
#[tauri::command]
#[specta::specta]
pub async fn startup(state: State<'_, AppState>, opening: State<'_, Opening>) -> R<Startup> {
    let began = crate::since_start_ms();
    let mut early = opening.0.lock().unwrap_or_else(|p| p.into_inner());
    let out = match early.take() {
        Some(ready) => Ok(ready),
        None => open_last(&state),
    };
    crate::bench_note("startup (open the plan, make the tree)", began);
    out
}

/// Held while the plan worked on last is opened (`open_early`, `startup`), so that it is
/// opened once; holds what the early open found, for `startup` to answer with.
#[derive(Default)]
pub struct Opening(std::sync::Mutex<Option<Startup>>);

/// Opens the plan worked on last as the process starts, while the window's web view starts
/// (about a second), so that `startup` finds it open. A failure is left to `startup`, which
/// tries again and answers with it.
pub fn open_early(state: &AppState, opening: &Opening) {
    let began = crate::since_start_ms();
    let mut early = opening.0.lock().unwrap_or_else(|p| p.into_inner());
    if state.slot().is_some() {
        return;
    }
    if let Ok(ready) = open_last(state) {
        *early = Some(ready);
    }
    crate::bench_note("plan opened early", began);
}

fn open_last(state: &AppState) -> R<Startup> {
    let dir = state.data_dir()?;
    let prefs = Prefs::load(&dir);
    let done = |tree: PlanTree, prefs: &Prefs| {
        let recent = recent(&state.files, prefs, Some(&tree.session.path))?;
        Ok(Startup {
            tree: Some(tree),
            role: prefs.role,
            recent,
        })
    };
    if let Some(s) = state.slot().as_ref() {
        return done(views::plan_tree(s), &prefs);
    }
    let settings = Settings::load(&dir);
    if let Some(wc) = settings
        .department
        .as_deref()
        .and_then(|id| office::read_working_copy(&dir.join("department"), id))
        .filter(|wc| wc.plan.exists())
    {
        if let Ok(session) = Session::open_outline_first(&wc.plan, wc.mode()) {
            let tree = views::plan_tree(&session);
            *state.slot() = Some(session);
            return done(tree, &prefs);
        }
    }
    if let Some(last) = settings.last_plan.clone().filter(|p| p.exists()) {
        if let Ok(tree) = open_office(state, &last) {
            return done(tree, &Prefs::load(&dir));
        }
    }
    if sample_requested() {
        let tree = open_sample_in(state)?;
        return done(tree, &Prefs::load(&dir));
    }
    Ok(Startup {
        tree: None,
        role: prefs.role,
        recent: recent(&state.files, &prefs, None)?,
    })
}

#[tauri::command]
#[specta::specta]
pub async fn set_role(state: State<'_, AppState>, role: Role) -> R<()> {
    let dir = state.data_dir()?;
    let mut prefs = Prefs::load(&dir);
    prefs.role = Some(role);
    prefs.save(&dir)
}

#[tauri::command]
#[specta::specta]
pub async fn recent_plans(state: State<'_, AppState>) -> R<Vec<RecentPlan>> {
    let prefs = Prefs::load(&state.data_dir()?);
    recent(&state.files, &prefs, open_path(&state).as_deref())
}

/// Takes a plan off the recent list (a file that is gone).
#[tauri::command]
#[specta::specta]
pub async fn forget_recent(state: State<'_, AppState>, file: FileHandle) -> R<Vec<RecentPlan>> {
    let path = state
        .files
        .take(&file, Purpose::Plan)?
        .display()
        .to_string();
    let dir = state.data_dir()?;
    let mut prefs = Prefs::load(&dir);
    prefs.recent.retain(|r| r.path != path);
    prefs.save(&dir)?;
    recent(&state.files, &prefs, open_path(&state).as_deref())
}

fn open_sample_in(state: &AppState) -> R<PlanTree> {
    let dir = state.data_dir()?;
    let path = default_plan_path(&dir);
    if !path.exists() {
        write_sample(&path)?;
    }
    open_office(state, &path)
}

/// 「サンプルで試す」: the bundled 大野城市 plan, in the data folder (its own file, never mixed
/// with the office's plan).
#[tauri::command]
#[specta::specta]
pub async fn open_sample(state: State<'_, AppState>) -> R<PlanTree> {
    *state.slot() = None;
    open_sample_in(&state)
}

/// 「計画ファイルを開く」 and the recent list: a .dxplan file as the office's plan.
#[tauri::command]
#[specta::specta]
pub async fn open_plan_file(state: State<'_, AppState>, file: FileHandle) -> R<PlanTree> {
    let path = state.files.take(&file, Purpose::Plan)?;
    if !path.is_file() {
        return Err(AppError::new(
            dxplan::workspace::ErrorCode::NotFound,
            format!(
                "計画ファイル「{}」が見つかりません。移動したか、共有フォルダに接続されていない可能性があります。",
                path.display()
            ),
        ));
    }
    // A file that is not a plan is refused before the open plan is let go.
    let session = Session::open(&path, Mode::Office)?;
    drop(session);
    *state.slot() = None;
    open_office(&state, &path)
}

#[derive(Debug, Clone, Serialize, Deserialize, Type)]
pub struct NewPlanForm {
    /// Where the plan goes: a handle from the save dialog (`pick_save_path("save_plan")`).
    pub file: FileHandle,
    pub title: String,
    pub city: String,
    /// 「2024-2027」, 「R6～R9」 …
    pub period: String,
    pub version: String,
}

/// 「新しい計画」: an empty plan file where the save dialog said, opened.
#[tauri::command]
#[specta::specta]
pub async fn new_plan(state: State<'_, AppState>, form: NewPlanForm) -> R<PlanTree> {
    // Left usable while the form is refused (a period not read …); spent once the plan is made.
    let path = state.files.peek(&form.file, Purpose::SavePlan)?;
    if path.exists() {
        return Err(AppError::new(
            dxplan::workspace::ErrorCode::Exists,
            format!(
                "「{}」はすでにあります。別の名前を指定してください（既存の計画は「計画ファイルを開く」から開きます）。",
                path.display()
            ),
        ));
    }
    if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
        std::fs::create_dir_all(dir)?;
    }
    let store = dxplan::structure::new_plan(
        &path,
        &dxplan::structure::NewPlan {
            title: form.title,
            city: form.city,
            period: form.period,
            version: form.version,
        },
    )
    .map_err(dxplan::workspace::WorkspaceError::from)?;
    drop(store);
    state.files.spend(&form.file);
    *state.slot() = None;
    open_office(&state, &path)
}

fn backup_err(e: dxplan::backups::BackupError) -> AppError {
    dxplan::workspace::WorkspaceError::from(e).into()
}

/// 「名前を付けて保存」: the plan copied where the save dialog said, which becomes the plan
/// worked on.
#[tauri::command]
#[specta::specta]
pub async fn save_plan_as(state: State<'_, AppState>, file: FileHandle) -> R<PlanTree> {
    let path = state.files.take(&file, Purpose::SavePlan)?;
    state.with(|s| Ok(s.save_as(&path)?))?;
    *state.slot() = None;
    open_office(&state, &path)
}

/// 「別の場所にコピー」: the plan copied where the save dialog said; work goes on in the plan as
/// it is. Answers the copy's path, for display.
#[tauri::command]
#[specta::specta]
pub async fn copy_plan_to(state: State<'_, AppState>, file: FileHandle) -> R<String> {
    let path = state.files.take(&file, Purpose::SavePlan)?;
    state.with(|s| Ok(s.copy_to(&path)?))?;
    Ok(path.display().to_string())
}

#[derive(Debug, Clone, Serialize, Deserialize, Type)]
pub struct BackupDto {
    /// A read handle to restore it with.
    pub file: FileHandle,
    pub taken_at: String,
    pub reason: String,
    pub plan_title: String,
    #[specta(type = specta_typescript::Number)]
    pub bytes: u64,
}

fn backup_dto(files: &Files, b: dxplan::workspace::BackupInfo) -> R<BackupDto> {
    Ok(BackupDto {
        file: files.issue(b.path, Purpose::Backup)?.handle,
        taken_at: b.taken_at,
        reason: b.reason,
        plan_title: b.plan_title,
        bytes: b.bytes,
    })
}

fn backup_root(state: &AppState) -> R<PathBuf> {
    Ok(state.data_dir()?.join("backups"))
}

/// A backup of the open plan before `reason` (「取り込み」「統合」…): called by the import and
/// merge commands before they write.
pub fn backup_before(state: &AppState, s: &Session, reason: &str) -> R<BackupDto> {
    let root = backup_root(state)?;
    let b = s.back_up(&root, reason, BACKUPS_KEPT)?;
    backup_dto(&state.files, b)
}

/// The open plan's backups, newest first.
#[tauri::command]
#[specta::specta]
pub async fn backups(state: State<'_, AppState>) -> R<Vec<BackupDto>> {
    let root = backup_root(&state)?;
    let id = state.with(|s| Ok(s.info().id.clone()))?;
    dxplan::backups::list(&root, &id)
        .into_iter()
        .map(|b| backup_dto(&state.files, b))
        .collect()
}

/// Puts a backup back as the open plan (the plan as it stood is backed up first).
#[tauri::command]
#[specta::specta]
pub async fn restore_backup(state: State<'_, AppState>, file: FileHandle) -> R<PlanTree> {
    let backup = state.files.take(&file, Purpose::Backup)?;
    let root = backup_root(&state)?;
    let plan = state.with(|s| Ok(s.restorable_path()?.to_path_buf()))?;
    // The plan file is closed while it is written (a network share locks it exclusively).
    *state.slot() = None;
    let restored =
        dxplan::backups::restore(&backup, &plan, &root, BACKUPS_KEPT).map_err(backup_err);
    let tree = open_office(&state, &plan)?;
    restored?;
    Ok(tree)
}
