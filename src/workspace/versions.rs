//! Versions (版) of an open plan: recording one, opening one read-only, and the 新旧対照表 of
//! two versions or of a version and the plan as it stands.

use std::path::{Path, PathBuf};

use super::{Mode, Result, Workspace, WorkspaceError};
use crate::compare::{compare, Comparison};
use crate::model::Plan;
use crate::parse::label::normalize_label;
use crate::store::{NewVersion, OpInfo, OpKind, Store, VersionRecord};

/// The label of the plan as it stands, as a side of a comparison.
pub const NOW: &str = "現在";

impl Workspace {
    /// Recorded versions, oldest first.
    pub fn versions(&self) -> Result<Vec<VersionRecord>> {
        Ok(self.store().versions()?)
    }

    /// Records the plan as it stands as a version (the office's plan only), which becomes the
    /// plan's 版 label.
    pub fn record_version(&mut self, v: &NewVersion) -> Result<VersionRecord> {
        if self.mode != Mode::Office {
            return Err(WorkspaceError::ReadOnly(
                "版の記録は事務局（DX推進担当）の計画でのみ行えます。".into(),
            ));
        }
        let rec = self
            .store_mut()?
            .write(OpInfo::new(OpKind::Version).source(v.label.clone()), |w| {
                w.record_version(v)
            })?;
        self.reload()?;
        Ok(rec)
    }

    /// Opens version `label` of the plan at `path` read-only, as a workspace of its own. Returns
    /// it with the label as recorded.
    pub fn open_version(path: &Path, label: &str) -> Result<(Workspace, String)> {
        let store = Store::open_read_only(path)?;
        let record = store
            .version(label)?
            .ok_or_else(|| unknown_version(label))?;
        let plan = store.load_version(&record.label)?;
        Ok((
            Workspace::with_plan(store, plan, Mode::Office),
            record.label,
        ))
    }

    /// 新旧対照表: version `from` against `to` (a version, or None for the plan as it stands).
    /// Returns it with the title of the newer side.
    pub fn compare_versions(&self, from: &str, to: Option<&str>) -> Result<(Comparison, String)> {
        let (old, from) = side(self.store(), Some(from))?;
        let (new, to) = side(self.store(), to)?;
        Ok((compare(&old, &new, &from, &to), new.info.title.clone()))
    }

    /// Writes a 新旧対照表 workbook (A4 landscape) to `out`.
    pub fn export_comparison(&self, cmp: &Comparison, title: &str, out: &Path) -> Result<PathBuf> {
        crate::export::check_destination(out, self.path())?;
        crate::export::comparison::export_comparison(cmp, title, out)?;
        Ok(out.to_path_buf())
    }
}

/// Whether two version labels name the same version (full- and half-width alike).
pub fn same_version(a: &str, b: &str) -> bool {
    normalize_label(a) == normalize_label(b)
}

fn unknown_version(label: &str) -> WorkspaceError {
    WorkspaceError::NotFound(format!("版「{label}」は記録されていません。"))
}

/// A side of the comparison: a version, or the plan as it stands (`NOW`).
fn side(store: &Store, label: Option<&str>) -> Result<(Plan, String)> {
    match label.map(str::trim).filter(|l| !l.is_empty() && *l != NOW) {
        Some(l) => {
            let rec = store.version(l)?.ok_or_else(|| unknown_version(l))?;
            Ok((store.load_version(&rec.label)?, rec.label))
        }
        None => Ok((store.load_plan()?, NOW.to_string())),
    }
}
