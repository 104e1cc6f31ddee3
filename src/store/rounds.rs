//! 照会 rounds in the plan file (schema V6): the rounds, the register's round link, what each
//! merged answer's cover said and what it stated per field, the 課 answers a 部's answer
//! gathered, and the plan's progress scale (a plan setting).

use rusqlite::{params, Connection, OptionalExtension};
use serde::{Deserialize, Serialize};
use serde_json::Value as Json;

use super::codec::json_col;
use super::error::{Result, StoreError};
use crate::model::scale::ProgressScale;
use crate::model::FiscalYear;

/// One round (照会): a title, a 提出期限, the fiscal year it asks about.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct RoundRecord {
    /// The round's id.
    pub id: i64,
    /// The round's title.
    pub title: String,
    /// YYYY-MM-DD.
    pub deadline: String,
    /// The fiscal year it asks about.
    pub fiscal_year: FiscalYear,
    /// RFC 3339.
    pub started_at: String,
    /// The folder the workbooks were written to.
    pub dir: String,
    /// The change-log operation it belongs to.
    pub op_id: i64,
}

/// A round to record.
#[derive(Debug, Clone)]
pub struct NewRound {
    /// The round's title.
    pub title: String,
    /// 提出期限: when answers are due.
    pub deadline: chrono::NaiveDate,
    /// The fiscal year.
    pub fiscal_year: FiscalYear,
    /// Folder the workbooks were written to.
    pub dir: String,
}

/// An export's place in a round: recorded with the export (`register::register`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RoundLink {
    pub(crate) round_id: i64,
    /// For a 課 whose answer a 部 gathers: the export id of that 部's workbook.
    pub reviewed_in: Option<String>,
}

/// What an answer's cover said, when its workbook was saved, and how many of its fields were
/// refused.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct SubmissionCover {
    /// 記入者（所属・氏名）.
    pub respondent: String,
    /// 連絡先（内線・メール）.
    pub contact: String,
    /// 事務局への連絡事項.
    pub remarks: String,
    /// The workbook's save time (docProps), RFC 3339 in UTC, when the file says.
    pub saved_at: Option<String>,
    /// Cells refused.
    #[serde(default)]
    pub refused: i64,
}

/// A 課 answer that a 部's answer gathered: the link 課 → 部 in the chain to the office.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct ViaRecord {
    /// The 課 answer's export id.
    pub export_id: String,
    /// The department's unit id.
    pub department_id: String,
    /// The department's name.
    pub department: String,
    /// 記入者: who answered.
    pub respondent: String,
    /// Contact of the person who answered.
    pub contact: String,
    /// 連絡事項: remarks sent with the answer.
    pub remarks: String,
    /// When the file was last saved, if it says.
    pub saved_at: Option<String>,
    /// The digest of the 課 answer as merged into the 部's working copy (`merge::digest`).
    pub digest: String,
}

pub const STATUS_SCALE: &str = "progress_status_scale";
pub const EVALUATION_SCALE: &str = "progress_evaluation_scale";

const ROUND_COLS: &str = "id, title, deadline, fiscal_year, started_at, dir, op_id";

fn round_row(r: &rusqlite::Row<'_>) -> rusqlite::Result<RoundRecord> {
    Ok(RoundRecord {
        id: r.get(0)?,
        title: r.get(1)?,
        deadline: r.get(2)?,
        fiscal_year: r.get(3)?,
        started_at: r.get(4)?,
        dir: r.get(5)?,
        op_id: r.get(6)?,
    })
}

/// Every round, oldest first.
pub fn rounds(conn: &Connection) -> Result<Vec<RoundRecord>> {
    let mut st = conn.prepare(&format!("SELECT {ROUND_COLS} FROM round ORDER BY id"))?;
    let rows = st.query_map([], round_row)?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

/// The round an export was sent in, with the 部 workbook that gathers its answer.
pub fn round_of_export(conn: &Connection, export_id: &str) -> Result<Option<RoundLink>> {
    Ok(conn
        .prepare_cached("SELECT round_id, reviewed_in FROM round_export WHERE export_id = ?1")?
        .query_row(params![export_id], |r| {
            Ok(RoundLink {
                round_id: r.get(0)?,
                reviewed_in: r.get(1)?,
            })
        })
        .optional()?)
}

pub(super) fn link(conn: &Connection, export_id: &str, l: &RoundLink) -> Result<()> {
    conn.execute(
        "INSERT INTO round_export (export_id, round_id, reviewed_in) VALUES (?1, ?2, ?3)",
        params![export_id, l.round_id, l.reviewed_in],
    )?;
    Ok(())
}

/// What an answer stated for the fields of a project that differ from its base.
pub fn answer_fields(
    conn: &Connection,
    submission_id: i64,
    project_id: &str,
) -> Result<Vec<(String, Option<Json>)>> {
    let mut st = conn.prepare_cached(
        "SELECT field, value FROM answer_field WHERE submission_id = ?1 AND project_id = ?2",
    )?;
    let mut rows = st.query(params![submission_id, project_id])?;
    let mut out = Vec::new();
    while let Some(r) = rows.next()? {
        let v: Option<String> = r.get(1)?;
        out.push((r.get(0)?, v.as_deref().map(json_col).transpose()?));
    }
    Ok(out)
}

fn via_row(r: &rusqlite::Row<'_>) -> rusqlite::Result<(i64, ViaRecord)> {
    Ok((
        r.get(0)?,
        ViaRecord {
            export_id: r.get(1)?,
            department_id: r.get(2)?,
            department: r.get(3)?,
            respondent: r.get(4)?,
            contact: r.get(5)?,
            remarks: r.get(6)?,
            saved_at: r.get(7)?,
            digest: r.get(8)?,
        },
    ))
}

pub(super) const VIA_COLS: &str =
    "submission_id, export_id, department_id, department, respondent, contact, remarks, saved_at, digest";

/// Every (submission id, gathered 課 answer), in order.
pub fn all_via(conn: &Connection) -> Result<Vec<(i64, ViaRecord)>> {
    let mut st = conn.prepare_cached(&format!(
        "SELECT {VIA_COLS} FROM submission_via ORDER BY submission_id, ord"
    ))?;
    let rows = st.query_map([], via_row)?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

/// The changes a merge operation applied (its change-log lines).
pub fn applied_count(conn: &Connection, op_id: i64) -> Result<i64> {
    Ok(conn
        .prepare_cached("SELECT COUNT(*) FROM change_log WHERE op_id = ?1")?
        .query_row(params![op_id], |r| r.get(0))?)
}

/// Conflicts of a submission still open.
pub fn open_conflicts(conn: &Connection, submission_id: i64) -> Result<i64> {
    Ok(conn
        .prepare_cached(
            "SELECT COUNT(*) FROM conflict WHERE submission_id = ?1 AND status = 'open'",
        )?
        .query_row(params![submission_id], |r| r.get(0))?)
}

/// Open conflicts of a submission on one field of a project (ids).
pub fn open_conflicts_on(
    conn: &Connection,
    submission_id: i64,
    project_id: &str,
    field: &str,
) -> Result<Vec<i64>> {
    let mut st = conn.prepare_cached(
        "SELECT id FROM conflict WHERE submission_id = ?1 AND project_id = ?2 AND field = ?3 AND status = 'open'",
    )?;
    let rows = st.query_map(params![submission_id, project_id, field], |r| r.get(0))?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

/// The plan's progress scale (the default until `scale` sets one).
pub fn progress_scale(conn: &Connection) -> Result<ProgressScale> {
    let mut scale = ProgressScale::default();
    for (key, into) in [
        (STATUS_SCALE, &mut scale.status),
        (EVALUATION_SCALE, &mut scale.evaluation),
    ] {
        if let Some(v) = super::versions::setting(conn, key)? {
            *into = serde_json::from_str(&v).map_err(|e| {
                StoreError::Corrupt(format!(
                    "{key}: 進捗の尺度が読めません / unreadable progress scale: {e}"
                ))
            })?;
        }
    }
    Ok(scale)
}
