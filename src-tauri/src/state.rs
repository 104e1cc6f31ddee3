//! The open plan. One session at a time, behind a mutex: `Mutex<Option<Session>>`. Reads are
//! served from an in-memory copy of the plan that is refreshed after every write, so the tree
//! and the dashboard never wait on SQLite, and the plan file stays the source of truth.

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::{Mutex, MutexGuard};

use dxplan::model::codes::{measure_code, policy_code};
use dxplan::model::{Plan, Project};
use dxplan::store::{OpInfo, OpKind, Store};

use crate::error::AppError;

/// Who is editing: the DX office (everything) or one department (its own projects only).
#[derive(Debug, Clone, PartialEq)]
pub enum Mode {
    Office,
    Department {
        unit_id: String,
        unit_name: String,
        /// The department workbook this working copy came from.
        workbook: PathBuf,
        export_id: String,
    },
}

pub struct Session {
    pub store: Store,
    pub plan: Plan,
    pub mode: Mode,
    /// Display code of every project, policy and measure, keyed by id.
    pub codes: HashMap<String, String>,
}

impl Session {
    pub fn open(path: &Path, mode: Mode) -> Result<Session, AppError> {
        let store = Store::open(path)?;
        let plan = store.load_plan()?;
        let mut s = Session {
            store,
            plan,
            mode,
            codes: HashMap::new(),
        };
        s.recode();
        Ok(s)
    }

    /// Reloads the whole plan from the file (after an import or a merge).
    pub fn reload(&mut self) -> Result<(), AppError> {
        self.plan = self.store.load_plan()?;
        self.recode();
        Ok(())
    }

    pub fn recode(&mut self) {
        let mut codes: HashMap<String, String> = dxplan::report::dump::project_codes(&self.plan)
            .into_iter()
            .map(|(k, v)| (k.to_string(), v))
            .collect();
        let policy_pos: HashMap<&str, u32> = self
            .plan
            .policies
            .iter()
            .map(|p| (p.id.as_str(), p.position))
            .collect();
        for p in &self.plan.policies {
            codes.insert(p.id.clone(), policy_code(p.position));
        }
        for m in &self.plan.measures {
            codes.insert(
                m.id.clone(),
                measure_code(
                    policy_pos.get(m.policy_id.as_str()).copied().unwrap_or(0),
                    m.position,
                ),
            );
        }
        self.codes = codes;
    }

    pub fn code(&self, id: &str) -> String {
        self.codes.get(id).cloned().unwrap_or_default()
    }

    pub fn project(&self, id: &str) -> Result<&Project, AppError> {
        self.plan
            .projects
            .iter()
            .find(|p| p.id == id)
            .ok_or_else(|| AppError::new("not_found", format!("事業が見つかりません（ID {id}）。")))
    }

    /// Whether this session may change the project (department mode: only its own).
    pub fn editable(&self, p: &Project) -> bool {
        match &self.mode {
            Mode::Office => true,
            Mode::Department { unit_id, .. } => p.owners.iter().any(|o| &o.unit_id == unit_id),
        }
    }

    /// Replaces the cached copy of one project by what the file now holds. True when its place
    /// in the tree (measures, position) changed, so display codes were recomputed.
    pub fn refresh_project(&mut self, id: &str) -> Result<bool, AppError> {
        let fresh = self.store.load_project(id)?;
        let idx = self.plan.projects.iter().position(|p| p.id == id);
        let structural = match (&fresh, idx) {
            (Some(f), Some(i)) => {
                let old = &self.plan.projects[i];
                old.measure_ids != f.measure_ids || old.position != f.position
            }
            _ => true,
        };
        match (fresh, idx) {
            (Some(f), Some(i)) => self.plan.projects[i] = f,
            (Some(f), None) => self.plan.projects.push(f),
            (None, Some(i)) => {
                self.plan.projects.remove(i);
            }
            (None, None) => {}
        }
        if structural {
            self.plan.sort_canonical();
            self.recode();
        }
        Ok(structural)
    }
}

#[derive(Default)]
pub struct AppState {
    session: Mutex<Option<Session>>,
    /// The OS app-data folder (or DXPLAN_DATA_DIR in debug builds), set at startup.
    pub data_dir: Mutex<Option<PathBuf>>,
}

impl AppState {
    /// The session slot. A panic elsewhere never poisons the app for good: the data behind the
    /// lock is a cache of the plan file, so we keep going with it.
    pub fn slot(&self) -> MutexGuard<'_, Option<Session>> {
        self.session.lock().unwrap_or_else(|p| p.into_inner())
    }

    pub fn with<T>(
        &self,
        f: impl FnOnce(&mut Session) -> Result<T, AppError>,
    ) -> Result<T, AppError> {
        let mut slot = self.slot();
        let s = slot.as_mut().ok_or_else(AppError::no_plan)?;
        f(s)
    }

    pub fn data_dir(&self) -> Result<PathBuf, AppError> {
        self.data_dir
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .clone()
            .ok_or_else(|| AppError::internal("アプリのデータフォルダが未設定です"))
    }
}

/// Writes the bundled sample plan (大野城市) to `path`, atomically: built beside it under a
/// temporary name, then renamed, so a crash never leaves a half-written plan where the app
/// looks for one.
pub fn write_sample(path: &Path) -> Result<(), AppError> {
    let sample = dxplan::sample::onojo()
        .map_err(|e| AppError::internal(format!("同梱サンプルを読めません: {e}")))?;
    if let Some(dir) = path.parent() {
        std::fs::create_dir_all(dir)?;
    }
    let tmp = path.with_extension("dxplan-tmp");
    for p in [tmp.clone(), sidecar(&tmp, "-wal"), sidecar(&tmp, "-shm")] {
        let _ = std::fs::remove_file(p);
    }
    {
        let mut store = Store::create(&tmp, &sample.info)?;
        store.write(
            OpInfo::new(OpKind::Sample).source("assets/sample/onojo.toml"),
            |w| w.put_contents(&sample),
        )?;
    }
    std::fs::rename(&tmp, path)?;
    Ok(())
}

fn sidecar(p: &Path, suffix: &str) -> PathBuf {
    let mut s = p.as_os_str().to_owned();
    s.push(suffix);
    PathBuf::from(s)
}

/// Remembers the last plan opened, in `settings.json` of the data folder.
#[derive(Debug, Default, serde::Serialize, serde::Deserialize)]
pub struct Settings {
    pub last_plan: Option<PathBuf>,
    /// Export id of the department working copy open last (department mode), if any.
    #[serde(default)]
    pub department: Option<String>,
}

impl Settings {
    pub fn load(dir: &Path) -> Settings {
        std::fs::read(dir.join("settings.json"))
            .ok()
            .and_then(|b| serde_json::from_slice(&b).ok())
            .unwrap_or_default()
    }

    pub fn save(&self, dir: &Path) -> Result<(), AppError> {
        std::fs::create_dir_all(dir)?;
        let tmp = dir.join("settings.json.tmp");
        std::fs::write(
            &tmp,
            serde_json::to_vec_pretty(self).map_err(AppError::internal)?,
        )?;
        std::fs::rename(tmp, dir.join("settings.json"))?;
        Ok(())
    }
}

/// The sample plan's place in the data folder.
pub fn default_plan_path(dir: &Path) -> PathBuf {
    dir.join("onojo-sample.dxplan")
}
