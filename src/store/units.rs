//! Organisation units through the fiscal years. Every April units are renamed, merged and split
//! (`dxplan reorg`): the old unit rows stay (closed at the year before), new rows open, and
//! `unit_succession` records which unit carries which unit's work from which year. Owners move
//! to the new units in the same operation, each move logged, so the owners a project had in an
//! earlier year can be read back (`owners_at`).
//!
//! `successors` is the one question the rest of dxplan asks: "which units carry this unit's
//! work in that year?" A department workbook exported before a reorganisation names its old
//! unit; merging it asks for the units that carry that unit's work now.

use std::collections::{BTreeSet, HashSet};

use rusqlite::{params, Connection, OptionalExtension};
use serde::{Deserialize, Serialize};
use serde_json::json;

use super::codec::{dec, enc, json_col};
use super::error::{Result, StoreError};
use super::read::load_org_units;
use super::write::Writer;
use crate::model::{FiscalYear, Id, OrgUnit, Owner};

/// "Now" for `successors`: after every recorded reorganisation, where the plan's owners are.
pub const NOW: FiscalYear = FiscalYear::MAX;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ReorgKind {
    /// 名称変更: one unit, new name.
    Rename,
    /// 統合: several units become one (which may be one of them, continuing).
    Merge,
    /// 分割: one unit becomes several (one may keep the old name); each project is assigned.
    Split,
    /// 新設: a new unit with no predecessor.
    New,
    /// 廃止: a unit closes; whatever it owned is assigned elsewhere.
    Abolish,
}

impl ReorgKind {
    pub fn label(self) -> &'static str {
        match self {
            ReorgKind::Rename => "名称変更",
            ReorgKind::Merge => "統合",
            ReorgKind::Split => "分割",
            ReorgKind::New => "新設",
            ReorgKind::Abolish => "廃止",
        }
    }
}

/// One recorded reorganisation step.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ReorgRecord {
    pub id: i64,
    pub op_id: i64,
    pub fy: FiscalYear,
    pub kind: ReorgKind,
    /// Unit names as given.
    pub from: Vec<String>,
    pub to: Vec<String>,
}

/// From `fy`, `to_unit` carries (part of) `from_unit`'s work.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Succession {
    pub from_unit: Id,
    pub to_unit: Id,
    pub fy: FiscalYear,
}

pub fn reorgs(conn: &Connection) -> Result<Vec<ReorgRecord>> {
    let mut st = conn.prepare_cached(
        "SELECT id, op_id, fy, kind, from_names, to_names FROM reorg ORDER BY fy, id",
    )?;
    let mut rows = st.query([])?;
    let mut out = Vec::new();
    while let Some(r) = rows.next()? {
        let kind: String = r.get(3)?;
        let from: String = r.get(4)?;
        let to: String = r.get(5)?;
        out.push(ReorgRecord {
            id: r.get(0)?,
            op_id: r.get(1)?,
            fy: r.get(2)?,
            kind: dec(&kind)?,
            from: json_col(&from)?,
            to: json_col(&to)?,
        });
    }
    Ok(out)
}

pub fn successions(conn: &Connection) -> Result<Vec<Succession>> {
    let mut st = conn.prepare_cached(
        "SELECT s.from_unit, s.to_unit, r.fy FROM unit_succession s JOIN reorg r ON r.id = s.reorg_id
         ORDER BY r.fy, s.rowid",
    )?;
    let rows = st.query_map([], |r| {
        Ok(Succession {
            from_unit: r.get(0)?,
            to_unit: r.get(1)?,
            fy: r.get(2)?,
        })
    })?;
    Ok(rows.collect::<std::result::Result<_, _>>()?)
}

/// The units that carry `unit_id`'s work in fiscal year `fy` (`NOW`: after every recorded
/// reorganisation), following successions recorded up to that year, through several
/// reorganisations if need be: the unit itself while it is valid, its successors once it is
/// renamed, merged or split. Empty when the unit was abolished without a successor or did not
/// exist yet in `fy`. Sorted, without duplicates.
pub fn follow(
    unit_id: &str,
    fy: FiscalYear,
    units: &[OrgUnit],
    successions: &[Succession],
) -> Vec<Id> {
    let valid = |id: &str| units.iter().any(|u| u.id == id && u.valid_in(fy));
    let mut out: BTreeSet<Id> = BTreeSet::new();
    let mut seen: HashSet<&str> = HashSet::new();
    let mut todo: Vec<&str> = vec![unit_id];
    while let Some(u) = todo.pop() {
        if !seen.insert(u) {
            continue;
        }
        if valid(u) {
            out.insert(u.to_string());
        }
        todo.extend(
            successions
                .iter()
                .filter(|s| s.from_unit == u && s.fy <= fy)
                .map(|s| s.to_unit.as_str()),
        );
    }
    out.into_iter().collect()
}

/// `follow` on the plan file: the units that carry `unit_id`'s work in `fy` (`NOW` for today's
/// owners).
pub fn successors(conn: &Connection, unit_id: &str, fy: FiscalYear) -> Result<Vec<Id>> {
    Ok(follow(
        unit_id,
        fy,
        &load_org_units(conn)?,
        &successions(conn)?,
    ))
}

/// The units whose projects a department `unit_id` answers for in `fy`: the units that carry
/// its work then (`successors`) and every unit below them valid in that year.
pub fn scope(conn: &Connection, unit_id: &str, fy: FiscalYear) -> Result<Vec<Id>> {
    let units = load_org_units(conn)?;
    let heads = follow(unit_id, fy, &units, &successions(conn)?);
    Ok(below(&units, &heads, fy))
}

/// `heads` and every unit below them (by parent) valid in `fy`.
pub fn below(units: &[OrgUnit], heads: &[Id], fy: FiscalYear) -> Vec<Id> {
    let mut set: BTreeSet<Id> = heads.iter().cloned().collect();
    loop {
        let before = set.len();
        for u in units {
            if u.valid_in(fy) && u.parent_id.as_ref().is_some_and(|p| set.contains(p)) {
                set.insert(u.id.clone());
            }
        }
        if set.len() == before {
            return set.into_iter().collect();
        }
    }
}

/// Whether a reorganisation took effect after `fy`.
pub fn reorg_after(conn: &Connection, fy: FiscalYear) -> Result<bool> {
    Ok(conn
        .prepare_cached("SELECT 1 FROM reorg WHERE fy > ?1")?
        .exists(params![fy])?)
}

/// The owners a project had in `fy`, when a reorganisation after `fy` moved them (None: the
/// owners it has now). Read from the change log of the first such reorganisation.
pub fn owners_at(
    conn: &Connection,
    project_id: &str,
    fy: FiscalYear,
) -> Result<Option<Vec<Owner>>> {
    let old: Option<Option<String>> = conn
        .prepare_cached(
            "SELECT c.old_value FROM change_log c
             WHERE c.project_id = ?1 AND c.field = 'owners'
               AND c.op_id IN (SELECT op_id FROM reorg WHERE fy > ?2)
             ORDER BY c.id LIMIT 1",
        )?
        .query_row(params![project_id, fy], |r| r.get(0))
        .optional()?;
    match old {
        None => Ok(None),
        Some(None) => Ok(Some(Vec::new())),
        Some(Some(text)) => Ok(Some(json_col(&text)?)),
    }
}

/// The units as they stood in `fy`: a unit moved under another parent by a later
/// reorganisation (the 課 of a renamed 部) is back under its parent of then. Validity years are
/// the units' own (they hold for every year).
pub fn units_at(conn: &Connection, fy: FiscalYear) -> Result<Vec<OrgUnit>> {
    let mut units = load_org_units(conn)?;
    if !reorg_after(conn, fy)? {
        return Ok(units);
    }
    let mut st = conn.prepare_cached(
        "SELECT c.field, c.old_value FROM change_log c
         WHERE c.project_id IS NULL AND c.field LIKE 'org_unit/%'
           AND c.op_id IN (SELECT op_id FROM reorg WHERE fy > ?1)
         ORDER BY c.id",
    )?;
    let rows = st.query_map(params![fy], |r| {
        Ok((r.get::<_, String>(0)?, r.get::<_, Option<String>>(1)?))
    })?;
    let mut seen: HashSet<String> = HashSet::new();
    for row in rows {
        let (field, old) = row?;
        let id = field.trim_start_matches("org_unit/").to_string();
        if !seen.insert(id.clone()) {
            continue;
        }
        if let Some(old) = old {
            let old: OrgUnit = json_col(&old)?;
            if let Some(u) = units.iter_mut().find(|u| u.id == id) {
                u.parent_id = old.parent_id;
            }
        }
    }
    Ok(units)
}

impl Writer<'_> {
    /// Records one reorganisation step and its successions (`pairs`: from unit, to unit).
    /// Logged as a plan-level entry `reorg` so `history` shows it with the owner moves.
    pub fn record_reorg(
        &mut self,
        fy: FiscalYear,
        kind: ReorgKind,
        from: &[String],
        to: &[String],
        pairs: &[(Id, Id)],
    ) -> Result<i64> {
        let text =
            |v: &[String]| serde_json::to_string(v).map_err(|e| StoreError::Invalid(e.to_string()));
        self.tx.execute(
            "INSERT INTO reorg (op_id, fy, kind, from_names, to_names) VALUES (?1, ?2, ?3, ?4, ?5)",
            params![self.op_id(), fy, enc(&kind), text(from)?, text(to)?],
        )?;
        let id = self.tx.last_insert_rowid();
        let mut st = self.tx.prepare_cached(
            "INSERT INTO unit_succession (reorg_id, from_unit, to_unit) VALUES (?1, ?2, ?3)",
        )?;
        for (a, b) in pairs {
            st.execute(params![id, a, b])?;
        }
        drop(st);
        self.log(
            None,
            "reorg",
            None,
            Some(&json!({ "fy": fy, "kind": kind, "label": kind.label(), "from": from, "to": to })),
        )?;
        Ok(id)
    }

    /// Replaces a project's owners (a reorganisation moving them), bumping its revision and
    /// logging the field `owners` exactly as `save_project` would; nothing else of the project
    /// is rewritten.
    pub fn set_owners(&mut self, project_id: &str, old: &[Owner], new: &[Owner]) -> Result<()> {
        if old == new {
            return Ok(());
        }
        self.tx
            .prepare_cached("DELETE FROM project_owner WHERE project_id = ?1")?
            .execute(params![project_id])?;
        let mut st = self.tx.prepare_cached(
            "INSERT INTO project_owner (project_id, unit_id, role, ord) VALUES (?1, ?2, ?3, ?4)",
        )?;
        for (i, o) in new.iter().enumerate() {
            st.execute(params![project_id, o.unit_id, enc(&o.role), i as i64])?;
        }
        drop(st);
        self.tx
            .prepare_cached("UPDATE project SET revision = revision + 1 WHERE id = ?1")?
            .execute(params![project_id])?;
        self.log(
            Some(project_id),
            "owners",
            Some(&json!(old)),
            Some(&json!(new)),
        )
    }

    pub(crate) fn reorgs(&self) -> Result<Vec<ReorgRecord>> {
        reorgs(&self.tx)
    }

    pub(crate) fn load_units(&self) -> Result<Vec<OrgUnit>> {
        load_org_units(&self.tx)
    }

    /// `successors`, seen from inside this transaction.
    pub fn successors(&self, unit_id: &str, fy: FiscalYear) -> Result<Vec<Id>> {
        successors(&self.tx, unit_id, fy)
    }

    /// `scope`, seen from inside this transaction: the units whose projects a department
    /// answers for in `fy` (`NOW` at merge time).
    pub fn unit_scope(&self, unit_id: &str, fy: FiscalYear) -> Result<Vec<Id>> {
        scope(&self.tx, unit_id, fy)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn unit(id: &str, from: Option<i32>, to: Option<i32>) -> OrgUnit {
        OrgUnit {
            id: id.into(),
            name: id.into(),
            parent_id: None,
            valid_from_fy: from,
            valid_to_fy: to,
        }
    }

    fn s(a: &str, b: &str, fy: i32) -> Succession {
        Succession {
            from_unit: a.into(),
            to_unit: b.into(),
            fy,
        }
    }

    #[test]
    fn successors_follow_renames_merges_and_splits_by_year() {
        // A renamed to B in 2025; B and C merged into D in 2027; E split into E (continuing)
        // and F in 2025; G abolished in 2026.
        let units = [
            unit("A", None, Some(2024)),
            unit("B", Some(2025), Some(2026)),
            unit("C", None, Some(2026)),
            unit("D", Some(2027), None),
            unit("E", None, None),
            unit("F", Some(2025), None),
            unit("G", None, Some(2025)),
        ];
        let succ = [
            s("A", "B", 2025),
            s("B", "D", 2027),
            s("C", "D", 2027),
            s("E", "F", 2025),
        ];
        assert_eq!(follow("A", 2024, &units, &succ), ["A"]);
        assert_eq!(follow("A", 2025, &units, &succ), ["B"]);
        assert_eq!(follow("A", 2027, &units, &succ), ["D"]);
        assert_eq!(follow("A", NOW, &units, &succ), ["D"]);
        assert_eq!(follow("C", 2026, &units, &succ), ["C"]);
        assert_eq!(follow("E", 2024, &units, &succ), ["E"]);
        assert_eq!(follow("E", NOW, &units, &succ), ["E", "F"]);
        assert!(follow("G", NOW, &units, &succ).is_empty());
        assert!(follow("F", 2024, &units, &succ).is_empty());
    }
}
