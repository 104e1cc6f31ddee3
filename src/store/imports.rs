//! Imports as a whole (`dxplan imports`, `dxplan undo-import`) and the plan's import profile:
//! the labels a person mapped to fields (`--map 'ラベル=field'`), so that the same city's next
//! workbook is read without asking again.

use rusqlite::{params, Connection, OptionalExtension};
use serde::Serialize;

use super::codec::json_col;
use super::error::{Result, StoreError};
use super::write::Writer;
use crate::model::Project;

/// What an import records about itself.
#[derive(Debug, Clone, Default)]
pub struct NewImport {
    pub files: Vec<String>,
    pub projects_new: usize,
    pub projects_matched: usize,
    pub changes: usize,
    pub changes_held: usize,
    pub rows_unread: usize,
}

/// An import recorded in the plan (what `undo-import` takes back).
#[derive(Debug, Clone, Serialize)]
pub struct ImportRecord {
    /// Its id.
    pub id: i64,
    /// The change-log operation that wrote it.
    pub op_id: i64,
    /// The files imported.
    pub files: Vec<String>,
    /// When (RFC 3339).
    pub imported_at: String,
    /// Projects it added.
    pub projects_new: i64,
    /// Projects it matched.
    pub projects_matched: i64,
    /// Fields it changed.
    pub changes: i64,
    /// Changes it held (not accepted).
    pub changes_held: i64,
    /// Labelled rows no field read.
    pub rows_unread: i64,
    /// Taken back since.
    pub undone: bool,
}

/// A label of the import profile.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct ImportLabel {
    /// `normalize_label` of the label, without a fiscal year.
    pub key: String,
    /// As first given.
    pub label: String,
    /// A field name of `model::fields::FIELD_NAMES`.
    pub field: String,
    /// The files of the import that added it.
    pub source: String,
}

const COLS: &str = "id, op_id, files, imported_at, projects_new, projects_matched, changes, changes_held, rows_unread, undone_op_id IS NOT NULL";

fn record_row(r: &rusqlite::Row<'_>) -> rusqlite::Result<(ImportRecord, String)> {
    Ok((
        ImportRecord {
            id: r.get(0)?,
            op_id: r.get(1)?,
            files: Vec::new(),
            imported_at: r.get(3)?,
            projects_new: r.get(4)?,
            projects_matched: r.get(5)?,
            changes: r.get(6)?,
            changes_held: r.get(7)?,
            rows_unread: r.get(8)?,
            undone: r.get(9)?,
        },
        r.get(2)?,
    ))
}

fn with_files((mut rec, files): (ImportRecord, String)) -> Result<ImportRecord> {
    rec.files = json_col(&files)?;
    Ok(rec)
}

pub fn imports(conn: &Connection) -> Result<Vec<ImportRecord>> {
    let mut st = conn.prepare(&format!("SELECT {COLS} FROM import_record ORDER BY id"))?;
    let rows = st.query_map([], record_row)?;
    rows.map(|r| with_files(r?)).collect()
}

pub fn import(conn: &Connection, id: i64) -> Result<Option<ImportRecord>> {
    conn.query_row(
        &format!("SELECT {COLS} FROM import_record WHERE id = ?1"),
        params![id],
        record_row,
    )
    .optional()?
    .map(with_files)
    .transpose()
}

pub fn profile(conn: &Connection) -> Result<Vec<ImportLabel>> {
    let mut st = conn
        .prepare("SELECT label_key, label, field, source FROM import_label ORDER BY label_key")?;
    let rows = st.query_map([], |r| {
        Ok(ImportLabel {
            key: r.get(0)?,
            label: r.get(1)?,
            field: r.get(2)?,
            source: r.get(3)?,
        })
    })?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

/// The projects an import changed, as they were before it.
pub fn before(conn: &Connection, import_id: i64) -> Result<Vec<Project>> {
    let mut st = conn.prepare(
        "SELECT project_json FROM import_before WHERE import_id = ?1 ORDER BY project_id",
    )?;
    let rows = st.query_map(params![import_id], |r| r.get::<_, String>(0))?;
    rows.map(|r| json_col(&r?)).collect()
}

fn label_json(l: &ImportLabel) -> serde_json::Value {
    serde_json::json!({"label": l.label, "field": l.field, "source": l.source})
}

impl Writer<'_> {
    /// Sets this operation's summary: an import writes as it reads and knows its counts last.
    pub fn set_op_summary(&mut self, summary: &str) -> Result<()> {
        self.tx.execute(
            "UPDATE operation SET summary = ?1 WHERE id = ?2",
            params![summary, self.op_id()],
        )?;
        Ok(())
    }

    /// Takes back a project this operation created (its rows and its log entries), so that a
    /// project written early and changed again by a later sheet is written and logged once,
    /// as created, like one written at the end.
    pub fn forget_created(&mut self, id: &str) -> Result<()> {
        self.tx.execute(
            "DELETE FROM change_log WHERE op_id = ?1 AND project_id = ?2",
            params![self.op_id(), id],
        )?;
        self.tx
            .execute("DELETE FROM project WHERE id = ?1", params![id])?;
        Ok(())
    }

    /// Records the import this transaction writes, with the projects it changed as they were;
    /// returns its id.
    pub fn record_import<'p>(
        &mut self,
        r: &NewImport,
        originals: impl IntoIterator<Item = &'p Project>,
    ) -> Result<i64> {
        let files =
            serde_json::to_string(&r.files).map_err(|e| StoreError::Invalid(e.to_string()))?;
        let n = |v: usize| i64::try_from(v).unwrap_or(i64::MAX);
        self.tx.execute(
            "INSERT INTO import_record (op_id, files, imported_at, projects_new, projects_matched, changes, changes_held, rows_unread)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
            params![
                self.op_id(),
                files,
                chrono::Utc::now().to_rfc3339(),
                n(r.projects_new),
                n(r.projects_matched),
                n(r.changes),
                n(r.changes_held),
                n(r.rows_unread)
            ],
        )?;
        let id = self.tx.last_insert_rowid();
        let mut st = self.tx.prepare_cached(
            "INSERT INTO import_before (import_id, project_id, project_json) VALUES (?1, ?2, ?3)",
        )?;
        for p in originals {
            let json = serde_json::to_string(p).map_err(|e| StoreError::Invalid(e.to_string()))?;
            st.execute(params![id, p.id, json])?;
        }
        Ok(id)
    }

    /// One recorded import.
    pub fn import_record(&self, id: i64) -> Result<Option<ImportRecord>> {
        import(&self.tx, id)
    }

    pub(crate) fn import_before(&self, id: i64) -> Result<Vec<Project>> {
        before(&self.tx, id)
    }

    pub(crate) fn mark_import_undone(&mut self, id: i64) -> Result<()> {
        self.tx.execute(
            "UPDATE import_record SET undone_op_id = ?2 WHERE id = ?1",
            params![id, self.op_id()],
        )?;
        Ok(())
    }

    fn import_label(&self, key: &str) -> Result<Option<ImportLabel>> {
        Ok(self
            .tx
            .query_row(
                "SELECT label_key, label, field, source FROM import_label WHERE label_key = ?1",
                params![key],
                |r| {
                    Ok(ImportLabel {
                        key: r.get(0)?,
                        label: r.get(1)?,
                        field: r.get(2)?,
                        source: r.get(3)?,
                    })
                },
            )
            .optional()?)
    }

    /// Maps a label to a field in the plan's import profile (logged, so undo takes it back).
    pub fn set_import_label(
        &mut self,
        key: &str,
        label: &str,
        field: &str,
        source: &str,
    ) -> Result<()> {
        let old = self.import_label(key)?;
        let new = ImportLabel {
            key: key.to_string(),
            label: label.to_string(),
            field: field.to_string(),
            source: source.to_string(),
        };
        self.tx.execute(
            "INSERT INTO import_label (label_key, label, field, source, op_id) VALUES (?1, ?2, ?3, ?4, ?5)
             ON CONFLICT(label_key) DO UPDATE SET label = excluded.label, field = excluded.field,
               source = excluded.source, op_id = excluded.op_id",
            params![key, label, field, source, self.op_id()],
        )?;
        self.log(
            None,
            &format!("import_label/{key}"),
            old.as_ref().map(label_json).as_ref(),
            Some(&label_json(&new)),
        )
    }

    /// Puts a profile label back as it was (`None`: removes it), logged.
    pub fn restore_import_label(
        &mut self,
        key: &str,
        was: Option<&serde_json::Value>,
    ) -> Result<()> {
        let text = |k: &str| {
            was.and_then(|v| v.get(k))
                .and_then(|v| v.as_str())
                .unwrap_or_default()
                .to_string()
        };
        match was {
            Some(_) => self.set_import_label(key, &text("label"), &text("field"), &text("source")),
            None => {
                let old = self.import_label(key)?;
                self.tx.execute(
                    "DELETE FROM import_label WHERE label_key = ?1",
                    params![key],
                )?;
                self.log(
                    None,
                    &format!("import_label/{key}"),
                    old.as_ref().map(label_json).as_ref(),
                    None,
                )
            }
        }
    }

    /// Deletes a policy, measure or unit an import created, when nothing refers to it any
    /// more; false (and nothing deleted) when something does. Logged with the whole row.
    pub fn delete_created(&mut self, kind: &str, id: &str) -> Result<bool> {
        let (table, refs): (&str, &[&str]) = match kind {
            "policy" => ("policy", &["SELECT 1 FROM measure WHERE policy_id = ?1"]),
            "measure" => (
                "measure",
                &["SELECT 1 FROM project_measure WHERE measure_id = ?1"],
            ),
            "org_unit" => (
                "org_unit",
                &[
                    "SELECT 1 FROM project_owner WHERE unit_id = ?1",
                    "SELECT 1 FROM org_unit WHERE parent_id = ?1",
                    "SELECT 1 FROM roster WHERE unit_id = ?1",
                    "SELECT 1 FROM unit_succession WHERE from_unit = ?1 OR to_unit = ?1",
                ],
            ),
            _ => return Ok(false),
        };
        for q in refs {
            if self.tx.prepare_cached(q)?.exists(params![id])? {
                return Ok(false);
            }
        }
        if !self
            .tx
            .prepare(&format!("SELECT 1 FROM {table} WHERE id = ?1"))?
            .exists(params![id])?
        {
            return Ok(true);
        }
        let field = format!("{kind}/{id}");
        let logged: Option<String> = self
            .tx
            .query_row(
                "SELECT new_value FROM change_log WHERE field = ?1 AND project_id IS NULL ORDER BY id DESC LIMIT 1",
                params![field],
                |r| r.get(0),
            )
            .optional()?
            .flatten();
        self.tx
            .execute(&format!("DELETE FROM {table} WHERE id = ?1"), params![id])?;
        let old_json = logged
            .as_deref()
            .map(json_col::<serde_json::Value>)
            .transpose()?;
        self.log(None, &field, old_json.as_ref(), None)?;
        Ok(true)
    }
}
