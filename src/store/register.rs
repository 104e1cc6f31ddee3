//! The export register: every workbook this plan file sent out (department, master) and, in a
//! department's working copy, every submission it wrote; and the plan's secret key that seals
//! them (`export::seal`). A merge accepts only what the register says this plan issued, and
//! orders a department's answers by the register's sequence, never by a date in a workbook.

use rusqlite::{params, Connection, OptionalExtension, Transaction};
use rusqlite_migration::{HookError, HookResult};
use serde::{Deserialize, Serialize};

use super::codec::{dec, enc, json_col};
use super::error::{Result, StoreError};
use super::rounds::{link, RoundLink};
use super::MacKey;
use crate::model::ids::is_valid_id;
use crate::model::Id;

/// What an export was.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum RegisterKind {
    /// A department workbook (照会) the office sent.
    Department,
    /// The master workbook.
    Master,
    /// A department's answer written from its working copy (recorded in the working copy).
    Submission,
}

/// A project as an export carried it: the base revision the department received.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RegisteredProject {
    /// The project's id.
    pub id: Id,
    /// Revision of the project when exported.
    pub revision: Option<i64>,
}

/// An export to record.
#[derive(Debug, Clone)]
pub struct NewExport {
    /// The export id of the workbook.
    pub export_id: String,
    /// Department, master or submission.
    pub kind: RegisterKind,
    pub(crate) plan_id: Id,
    /// The department's unit id.
    pub department_id: Option<Id>,
    /// The department's name.
    pub department: String,
    /// Projects (事業).
    pub projects: Vec<RegisteredProject>,
    /// None for a submission of an export made before MACs.
    pub mac: Option<String>,
    /// When the workbook was exported (RFC 3339).
    pub exported_at: String,
    /// The file concerned.
    pub file: String,
    /// The round (照会) the export was sent in, if any.
    pub round: Option<RoundLink>,
}

/// One entry of the register. Never holds the key.
#[derive(Debug, Clone, Serialize)]
pub struct ExportRecord {
    /// Increases with every entry, never reused: the order of exports.
    pub seq: i64,
    /// The export id of the workbook.
    pub export_id: String,
    /// Department, master or submission.
    pub kind: RegisterKind,
    pub(crate) plan_id: Id,
    /// The department's unit id.
    pub department_id: Option<Id>,
    /// The department's name.
    pub department: String,
    /// None when not known (an export recovered from the submissions log on migration).
    pub projects: Option<Vec<RegisteredProject>>,
    /// None when not known (exported before exports carried a MAC).
    pub mac: Option<String>,
    /// When the workbook was exported (RFC 3339).
    pub exported_at: String,
    /// The dxplan version that wrote it.
    pub dxplan_version: String,
    /// The file concerned.
    pub file: String,
    /// Recovered from the submissions log when the plan file was upgraded.
    pub recovered: bool,
}

/// Runs after `schema::V3`: the plan's key, and the exports older dxplan sent that the submissions log
/// proves (their export id, department and claimed time; the projects they carried and any MAC
/// are not known).
pub fn v3_hook(tx: &Transaction) -> HookResult {
    let key = MacKey::generate().map_err(|e| HookError::Hook(e.to_string()))?;
    tx.execute(
        "INSERT INTO plan_secret (id, mac_key) VALUES (1, ?1)",
        params![key.bytes().as_slice()],
    )?;
    let plan_id: Option<String> = tx
        .query_row("SELECT id FROM plan", [], |r| r.get(0))
        .optional()?;
    let Some(plan_id) = plan_id else {
        // A plan being created: no submissions yet.
        return Ok(());
    };
    let mut st = tx.prepare(
        "SELECT export_id, department_id, department, exported_at FROM submission
         WHERE id IN (SELECT MIN(id) FROM submission GROUP BY export_id) ORDER BY id",
    )?;
    let seen: Vec<(String, String, String, String)> = st
        .query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?)))?
        .collect::<rusqlite::Result<_>>()?;
    for (export_id, dept_id, dept, at) in seen {
        // An id not in dxplan's form could only come from a forged file: not an export.
        if !is_valid_id(&export_id) || !is_valid_id(&dept_id) {
            continue;
        }
        tx.execute(
            "INSERT INTO export_register (export_id, kind, plan_id, department_id, department, exported_at, recovered)
             VALUES (?1, 'department', ?2, ?3, ?4, ?5, 1)",
            params![export_id, plan_id, dept_id, dept, at],
        )?;
    }
    Ok(())
}

pub fn mac_key(conn: &Connection) -> Result<MacKey> {
    let bytes: Option<Vec<u8>> = conn
        .query_row("SELECT mac_key FROM plan_secret WHERE id = 1", [], |r| {
            r.get(0)
        })
        .optional()?;
    let bytes = bytes
        .ok_or_else(|| StoreError::Corrupt("計画の鍵がありません / the plan has no key".into()))?;
    let arr: [u8; 32] = bytes.as_slice().try_into().map_err(|_| {
        StoreError::Corrupt("計画の鍵の長さが不正です / the plan key has a wrong length".into())
    })?;
    Ok(MacKey::from_bytes(arr))
}

/// Records an export (and its round link) whole or not at all; returns its sequence number.
pub fn register(conn: &Connection, e: &NewExport) -> Result<i64> {
    conn.execute_batch("SAVEPOINT register_export")?;
    match register_rows(conn, e) {
        Ok(seq) => {
            conn.execute_batch("RELEASE register_export")?;
            Ok(seq)
        }
        Err(err) => {
            let _ = conn.execute_batch("ROLLBACK TO register_export; RELEASE register_export");
            Err(err)
        }
    }
}

fn register_rows(conn: &Connection, e: &NewExport) -> Result<i64> {
    let projects =
        serde_json::to_string(&e.projects).map_err(|x| StoreError::Invalid(x.to_string()))?;
    conn.execute(
        "INSERT INTO export_register (export_id, kind, plan_id, department_id, department, projects_json, mac, exported_at, dxplan_version, file)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)",
        params![
            e.export_id,
            enc(&e.kind),
            e.plan_id,
            e.department_id,
            e.department,
            projects,
            e.mac,
            e.exported_at,
            env!("CARGO_PKG_VERSION"),
            e.file
        ],
    )?;
    let seq = conn.last_insert_rowid();
    if let Some(l) = &e.round {
        link(conn, &e.export_id, l)?;
    }
    Ok(seq)
}

const COLS: &str = "seq, export_id, kind, plan_id, department_id, department, projects_json, mac, exported_at, dxplan_version, file, recovered";

fn record(r: &rusqlite::Row<'_>) -> rusqlite::Result<(ExportRecord, String, Option<String>)> {
    Ok((
        ExportRecord {
            seq: r.get(0)?,
            export_id: r.get(1)?,
            kind: RegisterKind::Department,
            plan_id: r.get(3)?,
            department_id: r.get(4)?,
            department: r.get(5)?,
            projects: None,
            mac: r.get(7)?,
            exported_at: r.get(8)?,
            dxplan_version: r.get(9)?,
            file: r.get(10)?,
            recovered: r.get(11)?,
        },
        r.get(2)?,
        r.get(6)?,
    ))
}

fn finish(
    (mut rec, kind, projects): (ExportRecord, String, Option<String>),
) -> Result<ExportRecord> {
    rec.kind = dec(&kind)?;
    rec.projects = projects.as_deref().map(json_col).transpose()?;
    Ok(rec)
}

/// The whole register, oldest first.
pub fn exports(conn: &Connection) -> Result<Vec<ExportRecord>> {
    let mut st = conn.prepare(&format!("SELECT {COLS} FROM export_register ORDER BY seq"))?;
    let rows = st.query_map([], record)?;
    rows.map(|r| finish(r?)).collect()
}

/// The export this plan issued under `export_id` (a department or master workbook).
pub fn issued(conn: &Connection, export_id: &str) -> Result<Option<ExportRecord>> {
    conn.prepare_cached(&format!(
        "SELECT {COLS} FROM export_register WHERE export_id = ?1 AND kind != 'submission'"
    ))?
    .query_row(params![export_id], record)
    .optional()?
    .map(finish)
    .transpose()
}

/// The department workbooks of a round, in the order they were registered, each with the
/// export id of the 部 workbook that gathers its answer (if any).
pub fn round_exports(
    conn: &Connection,
    round_id: i64,
) -> Result<Vec<(ExportRecord, Option<String>)>> {
    let ids: Vec<(String, Option<String>)> = conn
        .prepare(
            "SELECT x.export_id, x.reviewed_in FROM round_export x
             JOIN export_register r ON r.export_id = x.export_id AND r.kind = 'department'
             WHERE x.round_id = ?1 ORDER BY r.seq",
        )?
        .query_map(params![round_id], |r| Ok((r.get(0)?, r.get(1)?)))?
        .collect::<rusqlite::Result<_>>()?;
    let mut out = Vec::with_capacity(ids.len());
    for (id, reviewed_in) in ids {
        if let Some(rec) = issued(conn, &id)? {
            out.push((rec, reviewed_in));
        }
    }
    Ok(out)
}
