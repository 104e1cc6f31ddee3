//! Plan files as a whole: a new empty plan, the bundled sample, a plan made from a workbook
//! dxplan exported, and the removal of a plan with its SQLite side files.

use std::path::Path;

use super::{Result, WorkspaceError};
use crate::model::{new_id, FiscalYear, Plan, PlanInfo};
use crate::store::{OpInfo, OpKind, Store};

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

/// Writes the bundled sample plan (大野城市) to `path`, a new file, whole or not at all (a
/// crash never leaves a half-written plan where the app looks for one). Returns the plan.
pub fn write_sample(path: &Path) -> Result<Plan> {
    let sample = crate::sample::onojo().map_err(|e| WorkspaceError::Sample(e.to_string()))?;
    Store::create_whole(path, &sample.info, |store| {
        store.write(
            OpInfo::new(OpKind::Sample).source("assets/sample/onojo.toml"),
            |w| w.put_contents(&sample),
        )?;
        Ok::<(), WorkspaceError>(())
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
    crate::store::remove_plan_file(path)
}

/// A workbook dxplan exported becomes a new plan file (same plan, same ids) when `plan` does not
/// exist yet; the import that follows fills it. True when the plan file was created.
pub fn plan_from_export(plan: &Path, workbook: &Path) -> Result<bool> {
    if plan.exists() || crate::workbook::is_csv(workbook) {
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
