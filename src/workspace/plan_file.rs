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

impl super::Workspace {
    /// Copies the open plan file to `dest` (名前を付けて保存, a copy elsewhere): a consistent
    /// snapshot, never onto the open file itself.
    pub fn copy_to(&self, dest: &Path) -> Result<()> {
        Ok(crate::backups::copy_plan(self.store(), dest)?)
    }

    /// 「名前を付けて保存」: the plan copied to `dest`, where work goes on (the office's plan
    /// only: a department's working copy is remade from its workbook, never saved elsewhere).
    pub fn save_as(&self, dest: &Path) -> Result<()> {
        self.office_only("名前を付けて保存")?;
        self.copy_to(dest)
    }

    /// The plan file a backup may be put back over: the office's plan only.
    pub fn restorable_path(&self) -> Result<&Path> {
        self.office_only("バックアップからの復元")?;
        Ok(self.path())
    }

    /// Backs the plan file up under `root` before a change (`reason`), keeping the newest
    /// `keep` backups of this plan.
    pub fn back_up(
        &self,
        root: &Path,
        reason: &str,
        keep: usize,
    ) -> Result<crate::backups::BackupInfo> {
        Ok(crate::backups::take(self.store(), root, reason, keep)?)
    }
}
