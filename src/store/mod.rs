//! The plan file: one SQLite database per plan (`.dxplan`). Schema versioned with
//! migrations, foreign keys on, WAL, every write one transaction with its changes logged.

mod error;
pub mod merge_log;
mod open;
mod read;
pub mod register;
pub mod schema;
mod write;

pub use error::{Result, StoreError};
pub use read::ItemKind;
pub use register::{ExportRecord, NewExport, RegisterKind, RegisteredProject};
pub use write::{NewConflict, NewSubmission, OpInfo, OpKind, Writer};

use std::path::{Path, PathBuf};

use rusqlite::Connection;

use crate::model::{Plan, PlanInfo, Project};

pub struct Store {
    conn: Connection,
    path: PathBuf,
}

impl Store {
    /// Creates a new plan file; refuses to overwrite an existing file.
    pub fn create(path: &Path, info: &PlanInfo) -> Result<Store> {
        let conn = open::create(path, info)?;
        Ok(Store {
            conn,
            path: path.to_path_buf(),
        })
    }

    /// Opens an existing plan file, migrating an older schema. A file that is not a plan,
    /// or a plan from a newer dxplan, is refused without being modified.
    pub fn open(path: &Path) -> Result<Store> {
        let conn = open::open(path)?;
        Ok(Store {
            conn,
            path: path.to_path_buf(),
        })
    }

    pub fn path(&self) -> &Path {
        &self.path
    }

    pub fn load_plan(&self) -> Result<Plan> {
        read::load_plan(&self.conn)
    }

    /// The plan with only the projects one of `units` owns or co-owns.
    pub fn load_plan_of_units(&self, units: &[String]) -> Result<Plan> {
        read::load_plan_of_units(&self.conn, units)
    }

    /// Revision of every project, by id.
    pub fn project_revisions(&self) -> Result<std::collections::HashMap<String, i64>> {
        read::project_revisions(&self.conn)
    }

    pub fn plan_info(&self) -> Result<PlanInfo> {
        read::load_plan_info(&self.conn)
    }

    pub fn load_project(&self, id: &str) -> Result<Option<Project>> {
        read::load_project(&self.conn, id)
    }

    /// The revision of a project (bumped on every saved change).
    pub fn project_revision(&self, id: &str) -> Result<Option<i64>> {
        read::project_revision(&self.conn, id)
    }

    /// Runs `f` in one transaction: either everything it wrote is committed with its
    /// change log, or (on error, or if the process dies) nothing is.
    pub fn write<T>(
        &mut self,
        op: OpInfo,
        f: impl FnOnce(&mut Writer<'_>) -> Result<T>,
    ) -> Result<T> {
        let tx = self.conn.transaction()?;
        let mut w = Writer::begin(tx, &op)?;
        let out = f(&mut w)?;
        w.commit()?;
        Ok(out)
    }

    /// The change log, newest first, optionally for one project.
    pub fn history(&self, project_id: Option<&str>) -> Result<Vec<read::HistoryEntry>> {
        read::history(&self.conn, project_id)
    }

    pub fn submissions(&self) -> Result<Vec<merge_log::SubmissionRecord>> {
        merge_log::submissions(&self.conn)
    }

    pub fn submission(&self, id: i64) -> Result<Option<merge_log::SubmissionRecord>> {
        merge_log::submission(&self.conn, id)
    }

    /// Conflicts, oldest first; only the open ones when `only_open`.
    pub fn conflicts(&self, only_open: bool) -> Result<Vec<merge_log::ConflictRecord>> {
        merge_log::conflicts(&self.conn, only_open)
    }

    pub fn last_merge_of_field(
        &self,
        project_id: &str,
        field: &str,
    ) -> Result<Option<merge_log::SubmissionRecord>> {
        merge_log::last_merge_of_field(&self.conn, project_id, field)
    }

    /// The export register, oldest first (`dxplan exports`).
    pub fn exports(&self) -> Result<Vec<ExportRecord>> {
        register::exports(&self.conn)
    }

    /// The export this plan issued under `export_id`, if it did.
    pub fn issued_export(&self, export_id: &str) -> Result<Option<ExportRecord>> {
        register::issued(&self.conn, export_id)
    }

    /// Records an export in the register; returns its sequence number. One statement: it is
    /// recorded whole or not at all.
    pub fn register_export(&self, e: &NewExport) -> Result<i64> {
        register::register(&self.conn, e)
    }

    /// The plan's secret key: seals its exports, never leaves the plan file.
    pub(crate) fn mac_key(&self) -> Result<crate::export::MacKey> {
        register::mac_key(&self.conn)
    }

    /// Raw access for integrity checks in tests and tools.
    pub fn connection(&self) -> &Connection {
        &self.conn
    }
}

pub use read::HistoryEntry;
