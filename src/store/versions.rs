//! Named versions (版) kept inside the plan file, and plan settings.

use rusqlite::{params, Connection, OptionalExtension};
use serde::Serialize;

use super::error::{Result, StoreError};
use super::snapshot;
use crate::model::{FiscalYear, Plan};
use crate::parse::label::normalize_label;

/// One recorded version, without its copy of the plan.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct VersionRecord {
    /// Its id.
    pub id: i64,
    /// As written (「第1.1版」).
    pub label: String,
    /// Date it is issued as (YYYY-MM-DD), when given.
    pub issued_on: Option<String>,
    /// Free note.
    pub note: String,
    /// When it was recorded (RFC 3339, UTC).
    pub recorded_at: String,
    /// The change-log operation that recorded it.
    pub op_id: i64,
    /// Projects in the kept copy.
    pub projects: i64,
    /// Size of the plan's JSON, and of the copy kept in the file.
    pub raw_size: i64,
    /// Bytes stored for the kept copy.
    pub stored_size: i64,
}

/// What `version` records besides the plan.
#[derive(Debug, Clone, Default)]
pub struct NewVersion {
    /// Version label (第1.1版).
    pub label: String,
    /// Date of issue.
    pub issued_on: Option<chrono::NaiveDate>,
    /// Free note.
    pub note: String,
}

const COLUMNS: &str =
    "id, label, issued_on, note, recorded_at, op_id, projects, raw_size, length(snapshot)";

fn record(r: &rusqlite::Row<'_>) -> rusqlite::Result<VersionRecord> {
    Ok(VersionRecord {
        id: r.get(0)?,
        label: r.get(1)?,
        issued_on: r.get(2)?,
        note: r.get(3)?,
        recorded_at: r.get(4)?,
        op_id: r.get(5)?,
        projects: r.get(6)?,
        raw_size: r.get(7)?,
        stored_size: r.get(8)?,
    })
}

/// Every version, oldest first.
pub fn versions(conn: &Connection) -> Result<Vec<VersionRecord>> {
    let mut st = conn.prepare(&format!("SELECT {COLUMNS} FROM plan_version ORDER BY id"))?;
    let rows = st.query_map([], record)?;
    Ok(rows.collect::<Result<_, _>>()?)
}

/// The version a label names (compared after NFKC and whitespace removal).
pub fn find(conn: &Connection, label: &str) -> Result<Option<VersionRecord>> {
    Ok(conn
        .query_row(
            &format!("SELECT {COLUMNS} FROM plan_version WHERE label_key = ?1"),
            params![normalize_label(label)],
            record,
        )
        .optional()?)
}

/// The plan as it was when the version was recorded.
pub fn load(conn: &Connection, label: &str) -> Result<Plan> {
    let (label, encoding, bytes, digest): (String, String, Vec<u8>, String) = conn
        .query_row(
            "SELECT label, encoding, snapshot, digest FROM plan_version WHERE label_key = ?1",
            params![normalize_label(label)],
            |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?)),
        )
        .optional()?
        .ok_or_else(|| unknown(conn, label))?;
    snapshot::decode(&label, &encoding, &bytes, &digest)
}

fn unknown(conn: &Connection, label: &str) -> StoreError {
    let known = versions(conn)
        .map(|v| {
            v.iter()
                .map(|v| v.label.as_str())
                .collect::<Vec<_>>()
                .join("、")
        })
        .unwrap_or_default();
    StoreError::Missing {
        what: "版 / version",
        id: if known.is_empty() {
            format!("{label}（記録された版はありません / no version recorded）")
        } else {
            format!("{label}（記録された版 / recorded: {known}）")
        },
    }
}

/// A label a new version may take: not empty, not taken.
pub fn check_label(conn: &Connection, label: &str) -> Result<()> {
    if label.trim().is_empty() {
        return Err(StoreError::Invalid(
            "版の名前が空です / the version label is empty".into(),
        ));
    }
    if let Some(old) = find(conn, label)? {
        return Err(StoreError::Invalid(format!(
            "版「{}」は既に記録されています（{}） / version {} is already recorded",
            old.label, old.recorded_at, old.label
        )));
    }
    Ok(())
}

/// Stores a copy of `plan` as version `v`, recorded by operation `op_id`.
pub fn insert(conn: &Connection, v: &NewVersion, plan: &Plan, op_id: i64) -> Result<i64> {
    let label = v.label.trim();
    check_label(conn, label)?;
    let snap = snapshot::encode(plan)?;
    conn.execute(
        "INSERT INTO plan_version (label, label_key, issued_on, note, recorded_at, op_id, projects, encoding, raw_size, digest, snapshot)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11)",
        params![
            label,
            normalize_label(label),
            v.issued_on.map(|d| d.format("%Y-%m-%d").to_string()),
            v.note,
            chrono::Utc::now().to_rfc3339(),
            op_id,
            plan.projects.len() as i64,
            snapshot::ENCODING,
            snap.raw_size as i64,
            snap.digest,
            snap.bytes
        ],
    )?;
    Ok(conn.last_insert_rowid())
}

/// Plan settings the office chooses; absent keys have their default.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize)]
pub struct PlanSettings {
    /// Actuals of fiscal years up to this one are read-only in department workbooks (set by
    /// `rollover`: the years of the previous period).
    pub closed_through_fy: Option<FiscalYear>,
    /// The office opened past years' actuals again (an actuals round after a rollover).
    pub open_past_years: bool,
}

impl PlanSettings {
    /// The last fiscal year whose actuals department workbooks lock, if any.
    pub fn locked_actuals_through(&self) -> Option<FiscalYear> {
        self.closed_through_fy.filter(|_| !self.open_past_years)
    }
}

pub const CLOSED_THROUGH_FY: &str = "closed_through_fy";
pub const OPEN_PAST_YEARS: &str = "open_past_years";

pub fn setting(conn: &Connection, key: &str) -> Result<Option<String>> {
    Ok(conn
        .query_row(
            "SELECT value FROM plan_setting WHERE key = ?1",
            params![key],
            |r| r.get(0),
        )
        .optional()?)
}

pub fn settings(conn: &Connection) -> Result<PlanSettings> {
    let closed_through_fy = setting(conn, CLOSED_THROUGH_FY)?
        .map(|v| {
            v.parse::<FiscalYear>().map_err(|_| {
                StoreError::Corrupt(format!(
                    "{CLOSED_THROUGH_FY} = {v}: 年度ではありません / not a fiscal year"
                ))
            })
        })
        .transpose()?;
    let open_past_years = setting(conn, OPEN_PAST_YEARS)?.is_some_and(|v| v == "true");
    Ok(PlanSettings {
        closed_through_fy,
        open_past_years,
    })
}
