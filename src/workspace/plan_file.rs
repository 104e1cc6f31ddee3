//! Plan files as a whole: a new empty plan, the bundled sample, a plan made from a workbook
//! dxplan exported, and the removal of a plan with its SQLite side files.

use std::path::{Path, PathBuf};

use super::{Result, WorkspaceError};
use crate::model::{new_id, FiscalYear, Plan, PlanInfo};
use crate::store::{OpInfo, OpKind, Store, StoreError};

/// `dxplan new`: an empty plan file for the years `first_fy`–`last_fy`; refuses an existing file.
pub fn create_plan(
    path: &Path,
    title: String,
    city: String,
    version: String,
    (first_fy, last_fy): (FiscalYear, FiscalYear),
) -> Result<PlanInfo> {
    let info = PlanInfo {
        id: new_id(),
        title,
        city,
        version,
        first_fy,
        last_fy,
        vision: String::new(),
    };
    Store::create(path, &info)?;
    Ok(info)
}

/// Writes the bundled sample plan (大野城市) to `path`, a new file: built beside it under a
/// temporary name, then renamed, so a crash never leaves a half-written plan where the app
/// looks for one. Returns the plan written.
pub fn write_sample(path: &Path) -> Result<Plan> {
    if path.exists() {
        return Err(StoreError::AlreadyExists(path.to_path_buf()).into());
    }
    let sample = crate::sample::onojo().map_err(|e| WorkspaceError::Sample(e.to_string()))?;
    build_then_rename(path, "dxplan-tmp", |tmp| {
        let mut store = Store::create(tmp, &sample.info)?;
        store.write(
            OpInfo::new(OpKind::Sample).source("assets/sample/onojo.toml"),
            |w| w.put_contents(&sample),
        )?;
        Ok(())
    })?;
    Ok(sample)
}

/// Replaces the plan at `path` by a fresh copy of the bundled sample.
pub fn reset_sample(path: &Path) -> Result<Plan> {
    remove_plan_file(path);
    write_sample(path)
}

/// Removes a plan file and its SQLite side files (`-wal`, `-shm`), whichever exist.
pub fn remove_plan_file(path: &Path) {
    for p in with_side_files(path) {
        let _ = std::fs::remove_file(p);
    }
}

/// A workbook dxplan exported becomes a new plan file (same plan, same ids) when `plan` does not
/// exist yet; the import that follows fills it. True when the plan file was created.
pub fn plan_from_export(plan: &Path, workbook: &Path) -> Result<bool> {
    if plan.exists() || crate::import::csv_file::is_csv(workbook) {
        return Ok(false);
    }
    match crate::import::exported_plan_info(workbook)? {
        Some(info) => {
            Store::create(plan, &info)?;
            Ok(true)
        }
        None => Ok(false),
    }
}

/// A new plan file at `path`, filled with what `workbook` (an export of `info`'s plan) carries:
/// built under a temporary name, then renamed into place.
pub(crate) fn plan_of_workbook(path: &Path, info: &PlanInfo, workbook: &Path) -> Result<()> {
    build_then_rename(path, "dxplan-new", |tmp| {
        let mut store = Store::create(tmp, info)?;
        crate::import::import_files(
            &mut store,
            &[workbook.to_path_buf()],
            crate::import::ImportOptions { dry_run: false },
        )?;
        Ok(())
    })
}

/// Builds a plan file under `path` with the extension `tmp_ext` (removing what a crash left
/// there), then renames it to `path`.
fn build_then_rename(
    path: &Path,
    tmp_ext: &str,
    build: impl FnOnce(&Path) -> Result<()>,
) -> Result<()> {
    if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
        std::fs::create_dir_all(dir).map_err(|e| WorkspaceError::io(dir, e))?;
    }
    let tmp = path.with_extension(tmp_ext);
    remove_plan_file(&tmp);
    build(&tmp)?;
    std::fs::rename(&tmp, path).map_err(|e| WorkspaceError::io(path, e))
}

fn with_side_files(path: &Path) -> [PathBuf; 3] {
    let side = |suffix: &str| {
        let mut s = path.as_os_str().to_owned();
        s.push(suffix);
        PathBuf::from(s)
    };
    [path.to_path_buf(), side("-wal"), side("-shm")]
}
