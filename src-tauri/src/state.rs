//! The app's state: the open plan (a `dxplan::workspace::Workspace`, one at a time, behind a
//! mutex), the app-data folder, the settings remembered there, and the files picked.

use std::path::{Path, PathBuf};
use std::sync::{Mutex, MutexGuard};

pub use dxplan::workspace::{Mode, Workspace as Session};

use crate::error::AppError;

#[derive(Default)]
pub struct AppState {
    session: Mutex<Option<Session>>,
    /// The OS app-data folder (or DXPLAN_DATA_DIR in debug builds), set at startup.
    pub data_dir: Mutex<Option<PathBuf>>,
    /// The files picked (and listed) in this run, behind the handles the UI holds.
    pub files: crate::files::Files,
}

impl AppState {
    /// The session slot. A panic elsewhere never poisons the app for good: the data behind the
    /// lock is a cache of the plan file, so we keep going with it.
    pub fn slot(&self) -> MutexGuard<'_, Option<Session>> {
        self.session.lock().unwrap_or_else(|p| p.into_inner())
    }

    /// Runs `f` on the open plan, once the whole plan is loaded (opened outline first, it
    /// loads on a thread of its own: this waits for it, and answers its error if it failed).
    pub fn with<T>(
        &self,
        f: impl FnOnce(&mut Session) -> Result<T, AppError>,
    ) -> Result<T, AppError> {
        let mut slot = self.slot();
        let s = slot.as_mut().ok_or_else(AppError::no_plan)?;
        s.ready()?;
        f(s)
    }

    /// Runs `f` on the open plan without waiting for the whole plan: what reads only the
    /// outline (the tree) or one project (`Session::project_now`).
    pub fn with_outline<T>(
        &self,
        f: impl FnOnce(&Session) -> Result<T, AppError>,
    ) -> Result<T, AppError> {
        let slot = self.slot();
        let s = slot.as_ref().ok_or_else(AppError::no_plan)?;
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

/// The bundled sample plan written in `dir` and opened as the office's: the tests' plan.
#[cfg(test)]
pub(crate) fn sample_session(dir: &Path) -> Session {
    let path = dir.join("office.dxplan");
    dxplan::workspace::write_sample(&path).expect("write the sample plan");
    Session::open(&path, Mode::Office).expect("open the sample plan")
}
