//! The plan file: one SQLite database per plan (`.dxplan`). Schema versioned with
//! migrations, foreign keys on, WAL, every write one transaction with its changes logged.

mod atomic;
mod codec;
mod error;
pub(crate) mod imports;
mod key;
pub(crate) mod location;
pub(crate) mod merge_log;
mod op;
mod open;
mod read;
pub(crate) mod register;
pub(crate) mod rollups;
mod rollups_write;
pub(crate) mod roster;
pub(crate) mod rounds;
mod rounds_write;
pub mod schema;
pub(crate) mod snapshot;
pub(crate) mod units;
mod validate;
mod verify;
pub(crate) mod versions;
mod write;

pub use atomic::remove_plan_file;
pub use error::{Result, StoreError};
pub use imports::{ImportLabel, ImportRecord};
pub use key::MacKey;
pub use location::Location;
pub use merge_log::ConflictStatus;
pub use op::{OpInfo, OpKind};
pub use open::Access;
pub use read::ItemKind;
pub use register::{ExportRecord, NewExport, RegisterKind, RegisteredProject};
pub use rounds::{NewRound, RoundLink, RoundRecord, SubmissionCover, ViaRecord};
pub use versions::{NewVersion, PlanSettings, VersionRecord};
pub use write::{NewConflict, NewSubmission, Writer};

use std::path::{Path, PathBuf};

use rusqlite::Connection;

use crate::model::{Plan, PlanInfo, Project};

/// An open plan file.
pub struct Store {
    conn: Connection,
    path: PathBuf,
    /// Set when the file was opened `immutable` to read: checked after every read.
    guard: Option<open::ReadGuard>,
    location: Location,
}

/// Errors about the data read name the plan file: a value that cannot be converted, or one
/// that breaks the plan's rules (`validate`).
fn name_file(path: &Path, e: StoreError) -> StoreError {
    use rusqlite::Error as E;
    match e {
        StoreError::Corrupt(detail) => StoreError::InvalidData {
            path: path.to_path_buf(),
            detail,
        },
        StoreError::Sqlite(
            e @ (E::FromSqlConversionFailure(..)
            | E::IntegralValueOutOfRange(..)
            | E::InvalidColumnType(..)),
        ) => StoreError::InvalidData {
            path: path.to_path_buf(),
            detail: e.to_string(),
        },
        e => e,
    }
}

impl Store {
    /// Creates a new plan file; refuses to overwrite an existing file.
    pub fn create(path: &Path, info: &PlanInfo) -> Result<Store> {
        Store::create_on(path, info, location::detect(path))
    }

    /// `create`, in the journal mode of `location` (WAL only on a local disk).
    pub fn create_on(path: &Path, info: &PlanInfo, location: Location) -> Result<Store> {
        let conn = open::create(path, info, location)?;
        Ok(Store {
            conn,
            path: path.to_path_buf(),
            guard: None,
            location,
        })
    }

    /// Opens an existing plan file to read and write, migrating an older schema. A file that
    /// is not a plan, a plan from a newer dxplan, or one whose schema is not dxplan's is
    /// refused without being modified.
    pub fn open(path: &Path) -> Result<Store> {
        Store::open_with(path, Access::Write)
    }

    /// Opens an existing plan file read-only: never migrated, never written (an older plan is
    /// read through a migrated copy in memory). Refuses what `open` refuses.
    pub fn open_read_only(path: &Path) -> Result<Store> {
        Store::open_with(path, Access::Read)
    }

    pub(crate) fn open_with(path: &Path, access: Access) -> Result<Store> {
        Store::open_on(path, access, location::detect(path))
    }

    /// Opens a plan known to be at `location`: on a network share it is written with a
    /// rollback journal and exclusive locking, never WAL (`store::open`).
    pub fn open_on(path: &Path, access: Access, location: Location) -> Result<Store> {
        let o = open::open(path, access, location).map_err(|e| name_file(path, e))?;
        Ok(Store {
            conn: o.conn,
            path: path.to_path_buf(),
            guard: o.guard,
            location,
        })
    }

    /// Where the plan file was found to be (local disk or network share).
    pub fn location(&self) -> Location {
        self.location
    }

    /// Runs a read; its errors name the file, and what was read from a file opened
    /// `immutable` is refused if another process changed the file meanwhile.
    fn read<T>(&self, f: impl FnOnce(&Connection) -> Result<T>) -> Result<T> {
        let out = f(&self.conn).map_err(|e| name_file(&self.path, e));
        if let Some(g) = &self.guard {
            g.check(&self.path)?;
        }
        out
    }

    /// The plan file.
    pub fn path(&self) -> &Path {
        &self.path
    }

    /// The whole plan.
    pub fn load_plan(&self) -> Result<Plan> {
        self.read(read::load_plan)
    }

    /// The plan's outline: what the app's tree shows, without the projects' sheets (a tenth
    /// of the whole plan's reading at 10,000 projects).
    pub fn load_outline(&self) -> Result<crate::model::PlanOutline> {
        self.read(read::load_outline)
    }

    /// The roll-up indicators (definitions and computed values).
    pub(crate) fn rollups(&self) -> Result<Vec<crate::model::Rollup>> {
        self.read(rollups::load)
    }

    /// A second connection to the plan this store has open, to read it on another thread
    /// while this one writes: read-only, never `immutable` (the WAL of this store's
    /// connection must be read too), never migrated (this store migrated it).
    pub(crate) fn reader(&self) -> Result<Store> {
        let conn = open::reader(&self.path).map_err(|e| name_file(&self.path, e))?;
        Ok(Store {
            conn,
            path: self.path.clone(),
            guard: None,
            location: self.location,
        })
    }

    /// Stops what this store's connection is reading (from another thread): the read fails.
    pub(crate) fn interrupt_handle(&self) -> rusqlite::InterruptHandle {
        self.conn.get_interrupt_handle()
    }

    /// The whole plan, read in one read transaction: one state of the file even while
    /// another connection writes.
    pub(crate) fn load_plan_snapshot(&mut self) -> Result<Plan> {
        let path = self.path.clone();
        let tx = self.conn.transaction()?;
        let plan = read::load_plan(&tx).map_err(|e| name_file(&path, e))?;
        tx.finish()?;
        Ok(plan)
    }

    /// The plan with only the projects one of `units` owns or co-owns.
    pub fn load_plan_of_units(&self, units: &[String]) -> Result<Plan> {
        self.read(|c| read::load_plan_of_units(c, units))
    }

    /// Revision of every project, by id.
    pub fn project_revisions(&self) -> Result<std::collections::HashMap<String, i64>> {
        self.read(read::project_revisions)
    }

    pub(crate) fn plan_info(&self) -> Result<PlanInfo> {
        self.read(read::load_plan_info)
    }

    /// One project, if the plan has it.
    pub fn load_project(&self, id: &str) -> Result<Option<Project>> {
        self.read(|c| read::load_project(c, id))
    }

    /// The revision of a project (bumped on every saved change).
    pub fn project_revision(&self, id: &str) -> Result<Option<i64>> {
        self.read(|c| read::project_revision(c, id))
    }

    /// Runs `f` in one transaction: either everything it wrote is committed with its
    /// change log, or (on error, or if the process dies) nothing is.
    pub fn write<T>(
        &mut self,
        op: OpInfo,
        f: impl FnOnce(&mut Writer<'_>) -> Result<T>,
    ) -> Result<T> {
        let path = self.path.clone();
        self.write_maybe(op, |w| {
            f(w).map(|out| (out, true)).map_err(|e| name_file(&path, e))
        })
    }

    /// Runs `f` with this connection's page cache at `kib` KiB, then puts it back: an import
    /// of thousands of sheets writes as it reads, and a small cache lets its pages go to the
    /// WAL as they fill (measured no slower: the ids are time-ordered, so rows are appended)
    /// instead of holding the whole new plan in memory until the commit.
    pub fn with_cache<T>(&mut self, kib: i64, f: impl FnOnce(&mut Self) -> T) -> Result<T> {
        self.conn.pragma_update(None, "cache_size", -kib)?;
        let out = f(self);
        self.conn
            .pragma_update(None, "cache_size", -open::CACHE_KIB)?;
        Ok(out)
    }

    /// `write` for work that decides as it goes whether to keep what it wrote, with its own
    /// error type: `f` returns what it made and whether to commit; an error, or `false` (an
    /// import that changed nothing), rolls everything back.
    pub fn write_maybe<T, E: From<StoreError>>(
        &mut self,
        op: OpInfo,
        f: impl FnOnce(&mut Writer<'_>) -> std::result::Result<(T, bool), E>,
    ) -> std::result::Result<T, E> {
        let tx = self.conn.transaction().map_err(StoreError::from)?;
        let mut w = Writer::begin(tx, &op)?;
        let (out, keep) = f(&mut w)?;
        if keep {
            w.commit().map_err(|e| name_file(&self.path, e))?;
        } // else dropping the transaction rolls it back
        Ok(out)
    }

    /// The change log, newest first, optionally for one project.
    pub fn history(&self, project_id: Option<&str>) -> Result<Vec<read::HistoryEntry>> {
        self.read(|c| read::history(c, project_id))
    }

    /// Merged submissions, in order.
    pub fn submissions(&self) -> Result<Vec<merge_log::SubmissionRecord>> {
        self.read(merge_log::submissions)
    }

    /// One merged submission.
    pub fn submission(&self, id: i64) -> Result<Option<merge_log::SubmissionRecord>> {
        self.read(|c| merge_log::submission(c, id))
    }

    /// Conflicts, oldest first; only the open ones when `only_open`.
    pub fn conflicts(&self, only_open: bool) -> Result<Vec<merge_log::ConflictRecord>> {
        self.read(|c| merge_log::conflicts(c, only_open))
    }

    /// The last merge that set a field of a project.
    pub fn last_merge_of_field(
        &self,
        project_id: &str,
        field: &str,
    ) -> Result<Option<merge_log::SubmissionRecord>> {
        self.read(|c| merge_log::last_merge_of_field(c, project_id, field))
    }

    /// Recorded versions (版), oldest first.
    pub fn versions(&self) -> Result<Vec<VersionRecord>> {
        self.read(versions::versions)
    }

    /// The version a label names (「第１.０版」 names 「第1.0版」).
    pub fn version(&self, label: &str) -> Result<Option<VersionRecord>> {
        self.read(|c| versions::find(c, label))
    }

    /// The plan as it was when version `label` was recorded: a `Plan` to read, compare, dump
    /// or export; it is not the plan file and writing it back is the caller's decision.
    pub fn load_version(&self, label: &str) -> Result<Plan> {
        self.read(|c| versions::load(c, label))
    }

    /// The plan's settings.
    pub fn settings(&self) -> Result<PlanSettings> {
        self.read(versions::settings)
    }

    /// The units that carry `unit_id`'s work in `fy` (`units::NOW`: today's owners), through
    /// every April reorganisation recorded up to then (see `units::successors`).
    pub fn successors(&self, unit_id: &str, fy: crate::model::FiscalYear) -> Result<Vec<String>> {
        self.read(|c| units::successors(c, unit_id, fy))
    }

    /// The units a department `unit_id` answers for in `fy`: its successors then and every unit
    /// below them (see `units::scope`).
    pub fn unit_scope(&self, unit_id: &str, fy: crate::model::FiscalYear) -> Result<Vec<String>> {
        self.read(|c| units::scope(c, unit_id, fy))
    }

    pub(crate) fn reorgs(&self) -> Result<Vec<units::ReorgRecord>> {
        self.read(units::reorgs)
    }

    /// The DX推進員 roster, of a year or all.
    pub fn roster(&self, fy: Option<crate::model::FiscalYear>) -> Result<Vec<roster::RosterEntry>> {
        self.read(|c| roster::roster(c, fy))
    }

    /// 照会 rounds, oldest first.
    pub fn rounds(&self) -> Result<Vec<RoundRecord>> {
        self.read(rounds::rounds)
    }

    /// The department workbooks of a round, each with the 部 workbook gathering its answer.
    pub fn round_exports(&self, round_id: i64) -> Result<Vec<(ExportRecord, Option<String>)>> {
        self.read(|c| register::round_exports(c, round_id))
    }

    /// The round an export was sent in.
    pub fn round_of_export(&self, export_id: &str) -> Result<Option<RoundLink>> {
        self.read(|c| rounds::round_of_export(c, export_id))
    }

    /// The changes a merge operation applied.
    pub fn applied_count(&self, op_id: i64) -> Result<i64> {
        self.read(|c| rounds::applied_count(c, op_id))
    }

    /// Conflicts of a submission still open.
    pub fn open_conflicts(&self, submission_id: i64) -> Result<i64> {
        self.read(|c| rounds::open_conflicts(c, submission_id))
    }

    /// The plan's progress scale (状況 and 評価 choices).
    pub fn progress_scale(&self) -> Result<crate::model::scale::ProgressScale> {
        self.read(rounds::progress_scale)
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
    pub(crate) fn mac_key(&self) -> Result<MacKey> {
        register::mac_key(&self.conn)
    }

    /// Imports recorded in the plan, oldest first (`dxplan imports`).
    pub fn imports(&self) -> Result<Vec<imports::ImportRecord>> {
        self.read(imports::imports)
    }

    /// One recorded import.
    pub fn import_record(&self, id: i64) -> Result<Option<imports::ImportRecord>> {
        self.read(|c| imports::import(c, id))
    }

    /// The labels this plan reads as fields (`dxplan import --map`), by key.
    pub fn import_profile(&self) -> Result<Vec<imports::ImportLabel>> {
        self.read(imports::profile)
    }

    /// Raw access for integrity checks in tests and tools.
    pub fn connection(&self) -> &Connection {
        &self.conn
    }
}

pub use read::HistoryEntry;
