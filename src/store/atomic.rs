//! A new plan file written whole or not at all: built beside its place under a temporary name
//! (what a crash left there is removed first), then renamed into place, so no reader ever
//! finds a half-written plan where it looks for one.

use std::path::{Path, PathBuf};

use super::{Store, StoreError};
use crate::model::PlanInfo;

impl Store {
    /// Creates the plan file `path` (which must not exist) with `info`, lets `fill` write into
    /// it, and renames it into place; on an error nothing is left at `path`.
    pub fn create_whole<E: From<StoreError>>(
        path: &Path,
        info: &PlanInfo,
        fill: impl FnOnce(&mut Store) -> Result<(), E>,
    ) -> Result<(), E> {
        if path.exists() {
            return Err(StoreError::AlreadyExists(path.to_path_buf()).into());
        }
        let io = |path: &Path, source| StoreError::Io {
            path: path.to_path_buf(),
            source,
        };
        if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
            std::fs::create_dir_all(dir).map_err(|e| io(dir, e))?;
        }
        let tmp = path.with_extension("dxplan-new");
        remove_plan_file(&tmp);
        {
            let mut store = Store::create(&tmp, info)?;
            fill(&mut store)?;
        }
        std::fs::rename(&tmp, path).map_err(|e| io(path, e))?;
        Ok(())
    }
}

/// Removes a plan file and its SQLite side files (`-wal`, `-shm`), whichever exist.
pub fn remove_plan_file(path: &Path) {
    let side = |suffix: &str| {
        let mut s = path.as_os_str().to_owned();
        s.push(suffix);
        PathBuf::from(s)
    };
    for p in [path.to_path_buf(), side("-wal"), side("-shm")] {
        let _ = std::fs::remove_file(p);
    }
}
