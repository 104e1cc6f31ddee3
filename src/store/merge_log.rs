//! Submissions merged into the plan and the conflicts they left open.

use std::collections::hash_map::Entry;
use std::collections::{HashMap, HashSet};

use rusqlite::{params, Connection, OptionalExtension};
use serde::{Deserialize, Serialize};
use serde_json::Value as Json;

use super::codec::{dec, enc, json_col};
use super::error::Result;
use super::read::ItemKind;
use super::rounds::{all_via, ViaRecord};
use super::Writer;

/// Where a conflict stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(rename_all = "snake_case")]
pub enum ConflictStatus {
    /// Waiting for the office's decision.
    Open,
    /// Decided (`resolve`).
    Resolved,
    /// Withdrawn: a later answer of the same department replaced it, or its merge was undone.
    Withdrawn,
}

impl ConflictStatus {
    /// The word the plan file stores.
    pub fn as_str(self) -> String {
        enc(&self)
    }
}

/// A merged submission as the plan records it.
#[derive(Debug, Clone, Serialize)]
pub struct SubmissionRecord {
    /// Stable id.
    pub id: i64,
    /// The export id of the workbook.
    pub export_id: String,
    /// SHA-256 digest of the file.
    pub digest: String,
    /// The department's unit id.
    pub department_id: String,
    /// The department's name.
    pub department: String,
    /// When the workbook was exported (RFC 3339).
    pub exported_at: String,
    /// The file concerned.
    pub file: String,
    /// The change-log operation it belongs to.
    pub op_id: i64,
    /// When it was merged.
    pub merged_at: String,
    /// Undone since.
    pub undone: bool,
    /// Register sequence of the export it answers: the order of a department's answers.
    pub export_seq: Option<i64>,
    /// 記入者, 連絡先, 事務局への連絡事項 from the workbook's cover (empty when not given, or
    /// merged before dxplan kept them).
    pub respondent: String,
    /// Contact of the person who answered.
    pub contact: String,
    /// 連絡事項: remarks sent with the answer.
    pub remarks: String,
    /// The workbook's save time (docProps, RFC 3339 UTC), when the file says.
    pub saved_at: Option<String>,
    /// Fields of the answer that were refused (set by the office, superseded).
    pub refused_fields: i64,
    /// A 部's answer: the 課 answers it gathered (課 → 部 → 事務局).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub via: Vec<ViaRecord>,
}

/// A conflict as the plan records it.
#[derive(Debug, Clone, Serialize)]
pub struct ConflictRecord {
    /// Stable id.
    pub id: i64,
    /// The merged submission.
    pub submission_id: i64,
    /// The department's name.
    pub department: String,
    /// The project's id.
    pub project_id: String,
    /// The field path (`texts.summary`, `indicator/{id}/{fy}/target`, …).
    pub field: String,
    /// Where: sheet and cell (`Sheet!A1`).
    pub at: String,
    /// The value the department received (base).
    pub base: Option<Json>,
    /// The office's value (本庁).
    pub ours: Option<Json>,
    /// The department's value (課).
    pub theirs: Option<Json>,
    /// Open, or how it was closed.
    pub status: ConflictStatus,
    /// The value the conflict was closed with.
    pub resolution: Option<Json>,
    /// The operation that closed it (`resolve`, or the undo that withdrew it).
    #[serde(skip)]
    pub closed_op_id: Option<i64>,
}

const SUBMISSION_COLS: &str =
    "id, export_id, digest, department_id, department, exported_at, file, op_id, merged_at, undone_op_id IS NOT NULL,
     (SELECT r.seq FROM export_register r WHERE r.export_id = submission.export_id AND r.kind != 'submission'),
     COALESCE(c.respondent, ''), COALESCE(c.contact, ''), COALESCE(c.remarks, ''), c.saved_at, COALESCE(c.refused, 0)";

/// The submission table with each answer's cover.
const SUBMISSION_FROM: &str =
    "submission LEFT JOIN submission_cover c ON c.submission_id = submission.id";

fn submission_row(r: &rusqlite::Row<'_>) -> rusqlite::Result<SubmissionRecord> {
    Ok(SubmissionRecord {
        id: r.get(0)?,
        export_id: r.get(1)?,
        digest: r.get(2)?,
        department_id: r.get(3)?,
        department: r.get(4)?,
        exported_at: r.get(5)?,
        file: r.get(6)?,
        op_id: r.get(7)?,
        merged_at: r.get(8)?,
        undone: r.get(9)?,
        export_seq: r.get(10)?,
        respondent: r.get(11)?,
        contact: r.get(12)?,
        remarks: r.get(13)?,
        saved_at: r.get(14)?,
        refused_fields: r.get(15)?,
        via: Vec::new(),
    })
}

fn with_via(conn: &Connection, mut subs: Vec<SubmissionRecord>) -> Result<Vec<SubmissionRecord>> {
    for (id, v) in all_via(conn)? {
        if let Some(s) = subs.iter_mut().find(|s| s.id == id) {
            s.via.push(v);
        }
    }
    Ok(subs)
}

pub fn submissions(conn: &Connection) -> Result<Vec<SubmissionRecord>> {
    let mut st = conn.prepare_cached(&format!(
        "SELECT {SUBMISSION_COLS} FROM {SUBMISSION_FROM} ORDER BY id"
    ))?;
    let rows = st.query_map([], submission_row)?;
    with_via(conn, rows.collect::<Result<_, _>>()?)
}

pub fn submission(conn: &Connection, id: i64) -> Result<Option<SubmissionRecord>> {
    let found = conn
        .query_row(
            &format!("SELECT {SUBMISSION_COLS} FROM {SUBMISSION_FROM} WHERE id = ?1"),
            params![id],
            submission_row,
        )
        .optional()?;
    Ok(with_via(conn, found.into_iter().collect())?.pop())
}

fn opt_json(s: Option<String>) -> Result<Option<Json>> {
    s.as_deref().map(json_col).transpose()
}

pub fn conflicts(conn: &Connection, only_open: bool) -> Result<Vec<ConflictRecord>> {
    let sql = format!(
        "SELECT c.id, c.submission_id, s.department, c.project_id, c.field, c.at, c.base_value, c.ours_value, c.theirs_value,
                c.status, c.resolution, c.resolved_op_id
         FROM conflict c JOIN submission s ON s.id = c.submission_id {} ORDER BY c.id",
        if only_open { "WHERE c.status = 'open'" } else { "" }
    );
    let mut st = conn.prepare(&sql)?;
    let mut rows = st.query([])?;
    let mut out = Vec::new();
    while let Some(r) = rows.next()? {
        out.push(ConflictRecord {
            id: r.get(0)?,
            submission_id: r.get(1)?,
            department: r.get(2)?,
            project_id: r.get(3)?,
            field: r.get(4)?,
            at: r.get(5)?,
            base: opt_json(r.get(6)?)?,
            ours: opt_json(r.get(7)?)?,
            theirs: opt_json(r.get(8)?)?,
            status: dec(&r.get::<_, String>(9)?)?,
            resolution: opt_json(r.get(10)?)?,
            closed_op_id: r.get(11)?,
        });
    }
    Ok(out)
}

/// The merge (submission) that last wrote a field of a project, if the last write was a merge.
pub fn last_merge_of_field(
    conn: &Connection,
    project_id: &str,
    field: &str,
) -> Result<Option<SubmissionRecord>> {
    // Asked for every field a merge applies: both statements cached.
    let last_op: Option<i64> = conn
        .prepare_cached(
            "SELECT op_id FROM change_log WHERE project_id = ?1 AND field = ?2 ORDER BY id DESC LIMIT 1",
        )?
        .query_row(params![project_id, field], |r| r.get(0))
        .optional()?;
    let Some(op) = last_op else { return Ok(None) };
    Ok(conn
        .prepare_cached(&format!("SELECT {SUBMISSION_COLS} FROM {SUBMISSION_FROM} WHERE op_id = ?1 AND undone_op_id IS NULL"))?
        .query_row(params![op], submission_row)
        .optional()?)
}

/// One logged field change.
#[derive(Debug, Clone)]
pub struct LoggedChange {
    pub project_id: Option<String>,
    pub field: String,
    pub old: Option<Json>,
    pub new: Option<Json>,
}

/// The changes one operation made, in the order it made them.
pub fn changes_of_op(conn: &Connection, op_id: i64) -> Result<Vec<LoggedChange>> {
    let mut st = conn.prepare("SELECT project_id, field, old_value, new_value FROM change_log WHERE op_id = ?1 ORDER BY id")?;
    let mut rows = st.query(params![op_id])?;
    let mut out = Vec::new();
    while let Some(r) = rows.next()? {
        out.push(LoggedChange {
            project_id: r.get(0)?,
            field: r.get(1)?,
            old: opt_json(r.get(2)?)?,
            new: opt_json(r.get(3)?)?,
        });
    }
    Ok(out)
}

/// The project the plan has each of `items` under (`None`: the plan has no such item), in
/// their order. An item is given with the project it claims: the plan's indicators and tasks
/// of each project claimed are read once (one query a project, where `read::item_home` asked
/// once an item), and only an item not among them is looked up by its id.
pub(crate) fn item_homes(
    conn: &Connection,
    items: &[(ItemKind, &str, &str)],
) -> Result<Vec<Option<String>>> {
    let mut under: HashMap<(ItemKind, &str), HashSet<String>> = HashMap::new();
    let mut out = Vec::with_capacity(items.len());
    for &(kind, id, project) in items {
        let ids = match under.entry((kind, project)) {
            Entry::Occupied(e) => e.into_mut(),
            Entry::Vacant(e) => e.insert(items_of(conn, kind, project)?),
        };
        // Ids are unique in their table: one the project has is nowhere else.
        out.push(if ids.contains(id) {
            Some(project.to_string())
        } else {
            super::read::item_home(conn, kind, id)?
        });
    }
    Ok(out)
}

/// The ids of a project's indicators or tasks in the plan.
fn items_of(conn: &Connection, kind: ItemKind, project: &str) -> Result<HashSet<String>> {
    let sql = match kind {
        ItemKind::Indicator => "SELECT id FROM indicator WHERE project_id = ?1",
        ItemKind::Task => "SELECT id FROM task WHERE project_id = ?1",
    };
    let mut st = conn.prepare_cached(sql)?;
    let rows = st.query_map([project], |r| r.get(0))?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

impl Writer<'_> {
    /// `item_homes` in the merge's transaction.
    pub(crate) fn item_homes(
        &self,
        items: &[(ItemKind, &str, &str)],
    ) -> Result<Vec<Option<String>>> {
        item_homes(&self.tx, items)
    }
}

#[cfg(test)]
mod tests {
    use super::{item_homes, ItemKind};
    use crate::store::{OpInfo, OpKind, Store};

    #[test]
    fn item_homes_answer_each_item_as_one_query_each_did() {
        let dir = tempfile::tempdir().unwrap();
        let plan = crate::generate::generate(3, 7);
        let path = dir.path().join("plan.dxplan");
        let mut store = Store::create(&path, &plan.info).unwrap();
        store
            .write(OpInfo::new(OpKind::Generate), |w| w.put_contents(&plan))
            .unwrap();
        let (a, b) = (&plan.projects[0], &plan.projects[1]);
        let (ind, task) = (a.indicators[0].id.as_str(), b.schedule[0].id.as_str());
        let (pa, pb) = (a.id.as_str(), b.id.as_str());
        let asked = [
            // Where it belongs, and claimed by another project (or by none the plan has).
            (ItemKind::Task, task, pb),
            (ItemKind::Indicator, ind, pb),
            (ItemKind::Indicator, "no-such-indicator", pa),
            // An indicator's id asked as a task: the plan has no such task.
            (ItemKind::Task, ind, pa),
            (ItemKind::Indicator, ind, pa),
            (
                ItemKind::Indicator,
                "\"quoted\\\", \u{3042}",
                "no-such-project",
            ),
            (
                ItemKind::Task,
                b.schedule.last().unwrap().id.as_str(),
                "no-such-project",
            ),
        ];
        let conn = store.connection();
        let at_once = item_homes(conn, &asked).unwrap();
        let one_by_one: Vec<Option<String>> = asked
            .iter()
            .map(|&(k, id, _)| super::super::read::item_home(conn, k, id).unwrap())
            .collect();
        assert_eq!(at_once, one_by_one);
        let (a, b) = (Some(a.id.clone()), Some(b.id.clone()));
        assert_eq!(
            at_once,
            [b.clone(), a.clone(), None, None, a, None, b],
            "{asked:?}"
        );
        assert!(item_homes(conn, &[]).unwrap().is_empty());
    }
}
