use rusqlite::{params, OptionalExtension, Transaction};
use serde::Serialize;
use serde_json::Value as Json;

use super::codec::{dec, enc};
use super::error::{Result, StoreError};
use super::merge_log::ConflictStatus;
use super::op::OpInfo;
use super::read;
use crate::model::fields::{diff_fields, project_fields, FieldChange, FieldMap};
use crate::model::*;

/// A write transaction. Dropped without `commit`, it rolls back.
pub struct Writer<'c> {
    pub(super) tx: Transaction<'c>,
    op_id: i64,
}

pub(super) fn to_json<T: Serialize>(t: &T) -> Result<Json> {
    serde_json::to_value(t).map_err(|e| StoreError::Invalid(e.to_string()))
}

/// A column's JSON text, written straight from the value (no intermediate `Json`).
fn json_text<T: Serialize>(t: &T) -> Result<String> {
    serde_json::to_string(t).map_err(|e| StoreError::Invalid(e.to_string()))
}

impl<'c> Writer<'c> {
    pub(super) fn begin(tx: Transaction<'c>, op: &OpInfo) -> Result<Self> {
        let mut w = Writer { tx, op_id: 0 };
        w.begin_operation(op)?;
        Ok(w)
    }

    pub(super) fn commit(self) -> Result<()> {
        Ok(self.tx.commit()?)
    }

    /// Starts a further operation inside this transaction: a merge of several submissions
    /// logs each under its own source and department, and still commits all or nothing.
    pub fn begin_operation(&mut self, op: &OpInfo) -> Result<()> {
        self.tx.execute(
            "INSERT INTO operation (at, kind, source, department, summary) VALUES (?1, ?2, ?3, ?4, ?5)",
            params![chrono::Utc::now().to_rfc3339(), enc(&op.kind), op.source, op.department, op.summary],
        )?;
        self.op_id = self.tx.last_insert_rowid();
        Ok(())
    }

    /// This write's operation id.
    pub fn op_id(&self) -> i64 {
        self.op_id
    }

    pub(super) fn log(
        &self,
        project_id: Option<&str>,
        field: &str,
        old: Option<&Json>,
        new: Option<&Json>,
    ) -> Result<()> {
        self.tx
            .prepare_cached("INSERT INTO change_log (op_id, project_id, field, old_value, new_value) VALUES (?1, ?2, ?3, ?4, ?5)")?
            .execute(params![self.op_id, project_id, field, old.map(|v| v.to_string()), new.map(|v| v.to_string())])?;
        Ok(())
    }

    /// Logs a whole-row change of a plan-level item (plan, unit, policy, measure).
    fn log_row(&self, field: &str, old: Option<Json>, new: &Json) -> Result<bool> {
        if old.as_ref() == Some(new) {
            return Ok(false);
        }
        self.log(None, field, old.as_ref(), Some(new))?;
        Ok(true)
    }

    pub(crate) fn set_plan_info(&mut self, info: &PlanInfo) -> Result<()> {
        let old = read::load_plan_info(&self.tx)?;
        if old.id != info.id {
            return Err(StoreError::Invalid(
                "計画 ID は変更できません / the plan id cannot change".into(),
            ));
        }
        super::validate::plan_info(info).map_err(StoreError::Invalid)?;
        if self.log_row("plan", Some(to_json(&old)?), &to_json(info)?)? {
            self.tx.execute(
                "UPDATE plan SET title=?1, city=?2, version=?3, first_fy=?4, last_fy=?5, vision=?6",
                params![
                    info.title,
                    info.city,
                    info.version,
                    info.first_fy,
                    info.last_fy,
                    info.vision
                ],
            )?;
        }
        Ok(())
    }

    pub(crate) fn put_org_unit(&mut self, u: &OrgUnit) -> Result<()> {
        super::validate::unit_years(u.valid_from_fy, u.valid_to_fy, &u.name)
            .map_err(StoreError::Invalid)?;
        let old: Option<OrgUnit> = self
            .tx
            .query_row("SELECT id, name, parent_id, valid_from_fy, valid_to_fy FROM org_unit WHERE id = ?1", params![u.id], |r| {
                Ok(OrgUnit { id: r.get(0)?, name: r.get(1)?, parent_id: r.get(2)?, valid_from_fy: r.get(3)?, valid_to_fy: r.get(4)? })
            })
            .optional()?;
        if self.log_row(
            &format!("org_unit/{}", u.id),
            old.map(|o| to_json(&o)).transpose()?,
            &to_json(u)?,
        )? {
            self.tx.execute(
                "INSERT INTO org_unit (id, name, parent_id, valid_from_fy, valid_to_fy) VALUES (?1, ?2, ?3, ?4, ?5)
                 ON CONFLICT(id) DO UPDATE SET name=excluded.name, parent_id=excluded.parent_id,
                   valid_from_fy=excluded.valid_from_fy, valid_to_fy=excluded.valid_to_fy",
                params![u.id, u.name, u.parent_id, u.valid_from_fy, u.valid_to_fy],
            )?;
        }
        Ok(())
    }

    pub(crate) fn put_policy(&mut self, p: &Policy) -> Result<()> {
        let old: Option<Policy> = self
            .tx
            .query_row(
                "SELECT id, position, title, description FROM policy WHERE id = ?1",
                params![p.id],
                |r| {
                    Ok(Policy {
                        id: r.get(0)?,
                        position: r.get(1)?,
                        title: r.get(2)?,
                        description: r.get(3)?,
                    })
                },
            )
            .optional()?;
        if self.log_row(
            &format!("policy/{}", p.id),
            old.map(|o| to_json(&o)).transpose()?,
            &to_json(p)?,
        )? {
            self.tx.execute(
                "INSERT INTO policy (id, position, title, description) VALUES (?1, ?2, ?3, ?4)
                 ON CONFLICT(id) DO UPDATE SET position=excluded.position, title=excluded.title, description=excluded.description",
                params![p.id, p.position, p.title, p.description],
            )?;
        }
        Ok(())
    }

    pub(crate) fn put_measure(&mut self, m: &Measure) -> Result<()> {
        let old: Option<Json> = self
            .tx
            .query_row(
                "SELECT id, policy_id, position, title, description, priority_flag, urgency, importance FROM measure WHERE id = ?1",
                params![m.id],
                |r| {
                    let flag: String = r.get(5)?;
                    Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?, r.get(4)?, flag, r.get(6)?, r.get(7)?))
                },
            )
            .optional()?
            .map(|(id, policy_id, position, title, description, flag, urgency, importance): (String, String, u32, String, String, String, Option<u8>, Option<u8>)| {
                dec(&flag).and_then(|flag| to_json(&Measure { id, policy_id, position, title, description, priority: Priority { flag, urgency, importance } }))
            })
            .transpose()?;
        if self.log_row(&format!("measure/{}", m.id), old, &to_json(m)?)? {
            self.tx.execute(
                "INSERT INTO measure (id, policy_id, position, title, description, priority_flag, urgency, importance)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)
                 ON CONFLICT(id) DO UPDATE SET policy_id=excluded.policy_id, position=excluded.position, title=excluded.title,
                   description=excluded.description, priority_flag=excluded.priority_flag, urgency=excluded.urgency,
                   importance=excluded.importance",
                params![m.id, m.policy_id, m.position, m.title, m.description, enc(&m.priority.flag), m.priority.urgency, m.priority.importance],
            )?;
        }
        Ok(())
    }

    /// Saves a project: compares it field by field with what is stored, writes it if anything
    /// differs, logs each changed field, and bumps its revision. Returns the changes.
    pub fn save_project(&mut self, p: &Project) -> Result<Vec<FieldChange>> {
        self.save(p, true)
    }

    /// `save_project` for callers that need no list of changes (import, a merge's
    /// proposals): a new project is then written without turning its fields into JSON.
    pub fn put_project(&mut self, p: &Project) -> Result<()> {
        self.save(p, false).map(|_| ())
    }

    /// `save_project` of a project this transaction loaded as `old` (`old_fields` its
    /// `project_fields`) and has not written since: a merge has just loaded it to decide, so
    /// it is neither loaded nor mapped again.
    pub(crate) fn save_project_over(
        &mut self,
        old: &Project,
        old_fields: &FieldMap,
        p: &Project,
    ) -> Result<Vec<FieldChange>> {
        if old.id != p.id {
            return Err(StoreError::Invalid(format!(
                "事業 {} を {} として保存できません / project {} saved over {}",
                p.id, old.id, p.id, old.id
            )));
        }
        validate(p)?;
        self.save_changed(old, old_fields, p)
    }

    fn save(&mut self, p: &Project, report_new: bool) -> Result<Vec<FieldChange>> {
        validate(p)?;
        // Most saves of an import are new projects: one indexed lookup instead of a full load.
        if self.project_exists(&p.id)? {
            if let Some(old) = read::load_project(&self.tx, &p.id)? {
                return self.save_changed(&old, &project_fields(&old), p);
            }
        }
        let changes = if report_new {
            diff_fields(&FieldMap::new(), &project_fields(p))
        } else {
            Vec::new()
        };
        self.write_project_rows(p, None)?;
        // A new project is logged as one creation entry, not one entry per field.
        self.log(
            Some(&p.id),
            "(created)",
            None,
            Some(&Json::String(p.title.clone())),
        )?;
        Ok(changes)
    }

    /// Writes `p` over the stored `old` if a field differs, logging each changed field.
    fn save_changed(
        &mut self,
        old: &Project,
        old_fields: &FieldMap,
        p: &Project,
    ) -> Result<Vec<FieldChange>> {
        let changes = diff_fields(old_fields, &project_fields(p));
        if changes.is_empty() {
            return Ok(changes);
        }
        self.write_project_rows(p, Some(old))?;
        for c in &changes {
            self.log(Some(&p.id), &c.field, c.old.as_ref(), c.new.as_ref())?;
        }
        Ok(changes)
    }

    /// Deletes a project and everything it holds; the whole project is kept in the log.
    pub fn delete_project(&mut self, id: &str) -> Result<()> {
        let old = read::load_project(&self.tx, id)?.ok_or_else(|| StoreError::Missing {
            what: "事業 / project",
            id: id.into(),
        })?;
        self.tx
            .execute("DELETE FROM project WHERE id = ?1", params![id])?;
        self.log(Some(id), "(deleted)", Some(&to_json(&old)?), None)
    }

    /// Writes the project's row (bumping its revision when it existed) and, of its child
    /// tables, those whose rows differ from `old` (all of them for a new project): a merge
    /// mostly changes one budget cell or one indicator value.
    fn write_project_rows(&mut self, p: &Project, old: Option<&Project>) -> Result<()> {
        let tx = &self.tx;
        tx.prepare_cached(
            "INSERT INTO project (id, position, title, status, owners_note, issue, purpose, summary, goal, effects_json,
                                  priority_flag, urgency, importance, tags_json)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14)
             ON CONFLICT(id) DO UPDATE SET position=excluded.position, title=excluded.title, status=excluded.status,
               owners_note=excluded.owners_note, issue=excluded.issue, purpose=excluded.purpose, summary=excluded.summary,
               goal=excluded.goal, effects_json=excluded.effects_json, priority_flag=excluded.priority_flag,
               urgency=excluded.urgency, importance=excluded.importance, tags_json=excluded.tags_json,
               revision=revision + 1",
        )?
        .execute(params![
            p.id,
            p.position,
            p.title,
            enc(&p.status),
            p.owners_note,
            p.texts.issue,
            p.texts.purpose,
            p.texts.summary,
            p.texts.goal,
            json_text(&p.texts.effects)?,
            enc(&p.priority.flag),
            p.priority.urgency,
            p.priority.importance,
            json_text(&p.tags)?,
        ])?;
        for child in &CHILD_TABLES {
            if let Some(old) = old {
                if (child.same)(old, p) {
                    continue;
                }
                // An indicator's values go with it (ON DELETE CASCADE).
                tx.prepare_cached(&format!(
                    "DELETE FROM {} WHERE project_id = ?1",
                    child.table
                ))?
                .execute(params![p.id])?;
            }
            (child.insert)(tx, p)?;
        }
        Ok(())
    }
}

/// A child table of `project`: whether two states of a project have the same rows in it, and
/// how its rows are written.
struct ChildTable {
    table: &'static str,
    same: fn(&Project, &Project) -> bool,
    insert: fn(&Transaction<'_>, &Project) -> Result<()>,
}

const CHILD_TABLES: [ChildTable; 7] = [
    ChildTable {
        table: "project_measure",
        same: |a, b| a.measure_ids == b.measure_ids,
        insert: insert_measures,
    },
    ChildTable {
        table: "project_owner",
        same: |a, b| a.owners == b.owners,
        insert: insert_owners,
    },
    ChildTable {
        table: "footnote",
        same: |a, b| a.footnotes == b.footnotes,
        insert: insert_footnotes,
    },
    ChildTable {
        table: "indicator",
        same: |a, b| a.indicators == b.indicators,
        insert: insert_indicators,
    },
    ChildTable {
        table: "task",
        same: |a, b| a.schedule == b.schedule,
        insert: insert_tasks,
    },
    ChildTable {
        table: "budget",
        same: |a, b| a.budget == b.budget,
        insert: insert_budget,
    },
    ChildTable {
        table: "progress",
        same: |a, b| a.progress == b.progress,
        insert: insert_progress,
    },
];

fn insert_measures(tx: &Transaction<'_>, p: &Project) -> Result<()> {
    let mut st = tx.prepare_cached(
        "INSERT INTO project_measure (project_id, measure_id, ord) VALUES (?1, ?2, ?3)",
    )?;
    for (i, m) in p.measure_ids.iter().enumerate() {
        st.execute(params![p.id, m, i as i64])?;
    }
    Ok(())
}

fn insert_owners(tx: &Transaction<'_>, p: &Project) -> Result<()> {
    let mut st = tx.prepare_cached(
        "INSERT INTO project_owner (project_id, unit_id, role, ord) VALUES (?1, ?2, ?3, ?4)",
    )?;
    for (i, o) in p.owners.iter().enumerate() {
        st.execute(params![p.id, o.unit_id, enc(&o.role), i as i64])?;
    }
    Ok(())
}

fn insert_footnotes(tx: &Transaction<'_>, p: &Project) -> Result<()> {
    let mut st = tx.prepare_cached(
        "INSERT INTO footnote (project_id, ord, marker, field, text) VALUES (?1, ?2, ?3, ?4, ?5)",
    )?;
    for (i, f) in p.footnotes.iter().enumerate() {
        st.execute(params![p.id, i as i64, f.marker, f.field, f.text])?;
    }
    Ok(())
}

fn insert_indicators(tx: &Transaction<'_>, p: &Project) -> Result<()> {
    let mut ind = tx.prepare_cached(
        "INSERT INTO indicator (id, project_id, ord, kind, name, unit, cumulative) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
    )?;
    let mut val = tx.prepare_cached(
        "INSERT INTO indicator_value (indicator_id, fiscal_year, side, text, number, unit, denominator, qualifier, markers_json)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)",
    )?;
    for (i, x) in p.indicators.iter().enumerate() {
        ind.execute(params![
            x.id,
            p.id,
            i as i64,
            x.kind.as_str(),
            x.name,
            x.unit,
            x.cumulative
        ])?;
        for v in &x.values {
            for (side, value) in [("target", &v.target), ("actual", &v.actual)] {
                if let Some(value) = value {
                    val.execute(params![
                        x.id,
                        v.fiscal_year,
                        side,
                        value.text,
                        value.number,
                        value.unit,
                        value.denominator,
                        value.qualifier,
                        json_text(&value.markers)?
                    ])?;
                }
            }
        }
    }
    Ok(())
}

fn insert_tasks(tx: &Transaction<'_>, p: &Project) -> Result<()> {
    let mut st = tx.prepare_cached(
        "INSERT INTO task (id, project_id, ord, name, start_fy, end_fy, phases_json, confirmed) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
    )?;
    for (i, t) in p.schedule.iter().enumerate() {
        st.execute(params![
            t.id,
            p.id,
            i as i64,
            t.name,
            t.start_fy,
            t.end_fy,
            json_text(&t.phases)?,
            t.confirmed
        ])?;
    }
    Ok(())
}

fn insert_budget(tx: &Transaction<'_>, p: &Project) -> Result<()> {
    let mut st = tx.prepare_cached(
        "INSERT INTO budget (project_id, fiscal_year, planned, general_revenue) VALUES (?1, ?2, ?3, ?4)",
    )?;
    for b in &p.budget {
        st.execute(params![
            p.id,
            b.fiscal_year,
            b.planned_thousand_yen,
            b.general_revenue_thousand_yen
        ])?;
    }
    Ok(())
}

fn insert_progress(tx: &Transaction<'_>, p: &Project) -> Result<()> {
    let mut st = tx.prepare_cached(
        "INSERT INTO progress (project_id, fiscal_year, status, achievements, issues, remedies, evaluation)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
    )?;
    for g in &p.progress {
        st.execute(params![
            p.id,
            g.fiscal_year,
            g.status,
            g.achievements,
            g.issues,
            g.remedies,
            g.evaluation
        ])?;
    }
    Ok(())
}

/// Structural rules the schema cannot state; a violation is a bug in the caller or bad input.
fn validate(p: &Project) -> Result<()> {
    super::validate::project(p, true).map_err(StoreError::Invalid)
}

impl Writer<'_> {
    /// Writes the plan's header and every item of it.
    pub fn put_plan(&mut self, plan: &Plan) -> Result<()> {
        self.set_plan_info(&plan.info)?;
        self.put_contents(plan)
    }

    /// Writes every item of `plan` but its header.
    pub fn put_contents(&mut self, plan: &Plan) -> Result<()> {
        self.put_org_units(&plan.org_units)?;
        for p in &plan.policies {
            self.put_policy(p)?;
        }
        for m in &plan.measures {
            self.put_measure(m)?;
        }
        for p in &plan.projects {
            self.save_project(p)?;
        }
        for r in &plan.rollups {
            self.set_rollup(&r.indicator_id, &r.sum_of)?;
        }
        Ok(())
    }

    /// Writes units, each after the unit it names as parent.
    pub fn put_org_units(&mut self, units: &[OrgUnit]) -> Result<()> {
        let mut pending: Vec<&OrgUnit> = units.iter().collect();
        let mut done: std::collections::HashSet<&str> = std::collections::HashSet::new();
        while !pending.is_empty() {
            let before = pending.len();
            let mut rest = Vec::new();
            for u in pending {
                let parent_ready = match u.parent_id.as_deref() {
                    None => true,
                    Some(p) => done.contains(p) || self.unit_exists(p)?,
                };
                if parent_ready {
                    self.put_org_unit(u)?;
                    done.insert(u.id.as_str());
                } else {
                    rest.push(u);
                }
            }
            if rest.len() == before {
                return Err(StoreError::Invalid("組織の親子関係が循環しているか親がありません / org unit parents form a cycle or are missing".into()));
            }
            pending = rest;
        }
        Ok(())
    }

    fn unit_exists(&self, id: &str) -> Result<bool> {
        Ok(self
            .tx
            .query_row("SELECT 1 FROM org_unit WHERE id = ?1", params![id], |_| {
                Ok(())
            })
            .optional()?
            .is_some())
    }
}

/// What a merge records about the submission it merged.
#[derive(Debug, Clone)]
pub struct NewSubmission {
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
}

/// A conflict a merge leaves for a person to resolve.
#[derive(Debug, Clone)]
pub struct NewConflict {
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
}

impl Writer<'_> {
    /// Records the submission this transaction merges; returns its id.
    pub fn record_submission(&mut self, s: &NewSubmission) -> Result<i64> {
        self.tx.execute(
            "INSERT INTO submission (export_id, digest, department_id, department, exported_at, file, op_id, merged_at)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
            params![s.export_id, s.digest, s.department_id, s.department, s.exported_at, s.file, self.op_id, chrono::Utc::now().to_rfc3339()],
        )?;
        Ok(self.tx.last_insert_rowid())
    }

    pub(crate) fn add_conflict(&mut self, submission_id: i64, c: &NewConflict) -> Result<i64> {
        let enc = |v: &Option<Json>| v.as_ref().map(|v| v.to_string());
        self.tx.prepare_cached(
            "INSERT INTO conflict (submission_id, project_id, field, at, base_value, ours_value, theirs_value) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
        )?.execute(
            params![submission_id, c.project_id, c.field, c.at, enc(&c.base), enc(&c.ours), enc(&c.theirs)],
        )?;
        Ok(self.tx.last_insert_rowid())
    }

    /// Closes a conflict with the value that now stands (`status`: resolved or withdrawn).
    pub fn close_conflict(
        &mut self,
        id: i64,
        status: ConflictStatus,
        resolution: Option<&Json>,
    ) -> Result<()> {
        let n = self.tx.execute(
            "UPDATE conflict SET status = ?2, resolution = ?3, resolved_op_id = ?4 WHERE id = ?1 AND status = 'open'",
            params![id, status.as_str(), resolution.map(|v| v.to_string()), self.op_id],
        )?;
        if n == 0 {
            return Err(StoreError::Missing {
                what: "未解決の修正が重なった項目 / open conflict",
                id: id.to_string(),
            });
        }
        Ok(())
    }

    pub(crate) fn mark_submission_undone(&mut self, id: i64) -> Result<()> {
        self.tx.execute(
            "UPDATE submission SET undone_op_id = ?2 WHERE id = ?1",
            params![id, self.op_id],
        )?;
        Ok(())
    }

    /// The merge that last wrote a field, seen from inside this transaction.
    pub fn last_merge_of_field(
        &self,
        project_id: &str,
        field: &str,
    ) -> Result<Option<super::merge_log::SubmissionRecord>> {
        super::merge_log::last_merge_of_field(&self.tx, project_id, field)
    }

    /// Whether the plan has the project, as written so far.
    pub fn project_exists(&self, id: &str) -> Result<bool> {
        Ok(self
            .tx
            .prepare_cached("SELECT 1 FROM project WHERE id = ?1")?
            .exists(params![id])?)
    }

    /// One project, as written so far.
    pub fn load_project(&self, id: &str) -> Result<Option<Project>> {
        read::load_project(&self.tx, id)
    }

    /// Whether any operation after `op_id` changed the project.
    pub fn project_changed_after(&self, project_id: &str, op_id: i64) -> Result<bool> {
        Ok(self
            .tx
            .prepare_cached("SELECT 1 FROM change_log WHERE project_id = ?1 AND op_id > ?2")?
            .exists(params![project_id, op_id])?)
    }

    /// The whole plan, as written so far.
    pub fn load_plan(&self) -> Result<Plan> {
        read::load_plan(&self.tx)
    }

    /// The organisation units as the plan has them now.
    pub fn org_units(&self) -> Result<Vec<OrgUnit>> {
        read::load_org_units(&self.tx)
    }

    /// The project an indicator or task belongs to, seen from inside this transaction.
    pub fn item_home(&self, kind: read::ItemKind, id: &str) -> Result<Option<String>> {
        read::item_home(&self.tx, kind, id)
    }

    /// The export this plan issued under `export_id`, if it did.
    pub fn issued_export(&self, export_id: &str) -> Result<Option<super::ExportRecord>> {
        super::register::issued(&self.tx, export_id)
    }

    /// Merged submissions.
    pub fn submissions(&self) -> Result<Vec<super::merge_log::SubmissionRecord>> {
        super::merge_log::submissions(&self.tx)
    }

    /// One merged submission.
    pub fn submission(&self, id: i64) -> Result<Option<super::merge_log::SubmissionRecord>> {
        super::merge_log::submission(&self.tx, id)
    }

    /// Conflicts (open only, or all).
    pub fn conflicts(&self, only_open: bool) -> Result<Vec<super::merge_log::ConflictRecord>> {
        super::merge_log::conflicts(&self.tx, only_open)
    }

    pub(crate) fn changes_of_op(&self, op_id: i64) -> Result<Vec<super::merge_log::LoggedChange>> {
        super::merge_log::changes_of_op(&self.tx, op_id)
    }
}

impl Writer<'_> {
    /// Records the plan as it now stands as version `v`, after setting the plan's version
    /// label to it (logged like any change): the copy says 「第1.1版」 on its cover.
    pub fn record_version(
        &mut self,
        v: &super::versions::NewVersion,
    ) -> Result<super::versions::VersionRecord> {
        let label = v.label.trim();
        // Refused before the label is set: a taken or empty label changes nothing.
        super::versions::check_label(&self.tx, label)?;
        let mut info = read::load_plan_info(&self.tx)?;
        if info.version != label {
            info.version = label.to_string();
            self.set_plan_info(&info)?;
        }
        self.insert_version(v)
    }

    /// Records the plan as it stands as version `v` without touching the plan's label (the
    /// state kept before a rollover).
    pub fn record_version_as_is(
        &mut self,
        v: &super::versions::NewVersion,
    ) -> Result<super::versions::VersionRecord> {
        self.insert_version(v)
    }

    fn insert_version(
        &mut self,
        v: &super::versions::NewVersion,
    ) -> Result<super::versions::VersionRecord> {
        let label = v.label.trim();
        let plan = read::load_plan(&self.tx)?;
        let id = super::versions::insert(&self.tx, v, &plan, self.op_id)?;
        self.log(
            None,
            "(version)",
            None,
            Some(&Json::String(label.to_string())),
        )?;
        super::versions::versions(&self.tx)?
            .into_iter()
            .find(|r| r.id == id)
            .ok_or_else(|| StoreError::Missing {
                what: "版 / version",
                id: label.to_string(),
            })
    }

    /// Sets a plan setting (logged with its old value); `None` removes it.
    pub fn set_setting(&mut self, key: &str, value: Option<&str>) -> Result<()> {
        let old = super::versions::setting(&self.tx, key)?;
        if old.as_deref() == value {
            return Ok(());
        }
        match value {
            Some(v) => self.tx.execute(
                "INSERT INTO plan_setting (key, value) VALUES (?1, ?2)
                 ON CONFLICT(key) DO UPDATE SET value = excluded.value",
                params![key, v],
            )?,
            None => self
                .tx
                .execute("DELETE FROM plan_setting WHERE key = ?1", params![key])?,
        };
        let j = |v: Option<&str>| v.map(|v| Json::String(v.to_string()));
        self.log(
            None,
            &format!("setting/{key}"),
            j(old.as_deref()).as_ref(),
            j(value).as_ref(),
        )
    }

    /// The plan's settings.
    pub fn settings(&self) -> Result<super::versions::PlanSettings> {
        super::versions::settings(&self.tx)
    }
}

#[cfg(test)]
mod tests {
    use std::collections::BTreeMap;

    use super::CHILD_TABLES;
    use crate::model::fields::project_fields;
    use crate::model::{Footnote, Progress, Project};
    use crate::store::{OpInfo, OpKind, Store};

    /// The rowids of a project's rows in each child table (an indicator's values under
    /// `indicator_value`): a table written again gets new ones.
    fn rowids(store: &Store, id: &str) -> BTreeMap<&'static str, Vec<i64>> {
        let c = store.connection();
        let ids = |sql: &str| -> Vec<i64> {
            let mut st = c.prepare(sql).unwrap();
            let rows = st.query_map([id], |r| r.get(0)).unwrap();
            rows.collect::<Result<_, _>>().unwrap()
        };
        let mut out = BTreeMap::new();
        for t in &CHILD_TABLES {
            out.insert(
                t.table,
                ids(&format!(
                    "SELECT rowid FROM {} WHERE project_id = ?1 ORDER BY rowid",
                    t.table
                )),
            );
        }
        out.insert(
            "indicator_value",
            ids(
                "SELECT v.rowid FROM indicator_value v JOIN indicator i ON i.id = v.indicator_id
                 WHERE i.project_id = ?1 ORDER BY v.rowid",
            ),
        );
        out
    }

    /// A plan file of three generated projects, and the first. Every table holds rows of a
    /// later project too, so rows written again get rowids they did not have.
    fn plan_file(dir: &std::path::Path) -> (std::path::PathBuf, Project) {
        let mut plan = crate::generate::generate(3, 7);
        for p in &mut plan.projects {
            p.footnotes.push(Footnote {
                marker: "※1".into(),
                field: "texts.summary".into(),
                text: "注".into(),
            });
            p.progress.push(Progress {
                fiscal_year: plan.info.first_fy,
                status: "実施中".into(),
                achievements: String::new(),
                issues: String::new(),
                remedies: String::new(),
                evaluation: String::new(),
            });
        }
        let path = dir.join("plan.dxplan");
        let mut store = Store::create(&path, &plan.info).unwrap();
        store
            .write(OpInfo::new(OpKind::Generate), |w| w.put_contents(&plan))
            .unwrap();
        let p = store.load_project(&plan.projects[0].id).unwrap().unwrap();
        assert!(p.budget.len() > 1 && p.schedule.len() > 1 && !p.indicators.is_empty());
        (path, p)
    }

    /// Which child tables' rows a save wrote again, and the project read back from the file.
    fn changed_tables(
        path: &std::path::Path,
        save: impl FnOnce(&mut super::Writer<'_>) -> super::Result<()>,
        id: &str,
    ) -> (Vec<&'static str>, Project) {
        let mut store = Store::open(path).unwrap();
        let before = rowids(&store, id);
        store.write(OpInfo::new(OpKind::LocalEdit), save).unwrap();
        drop(store);
        let store = Store::open(path).unwrap();
        let after = rowids(&store, id);
        let changed = before
            .iter()
            .filter(|(t, ids)| after.get(*t) != Some(*ids))
            .map(|(t, _)| *t)
            .collect();
        (changed, store.load_project(id).unwrap().unwrap())
    }

    #[test]
    fn a_merge_save_over_the_loaded_project_writes_only_the_changed_table() {
        let dir = tempfile::tempdir().unwrap();
        let (path, old) = plan_file(dir.path());
        let mut new = old.clone();
        new.budget[1].planned_thousand_yen = Some(123_456);
        let (changed, back) = changed_tables(
            &path,
            |w| {
                let loaded = w.load_project(&old.id)?.unwrap();
                w.save_project_over(&loaded, &project_fields(&loaded), &new)
                    .map(|_| ())
            },
            &old.id,
        );
        assert_eq!(changed, ["budget"]);
        assert_eq!(back, new);
        let store = Store::open(&path).unwrap();
        let logged: Vec<String> = store
            .history(Some(&old.id))
            .unwrap()
            .into_iter()
            .filter(|h| h.kind == OpKind::LocalEdit)
            .map(|h| h.field)
            .collect();
        let fy = new.budget[1].fiscal_year;
        assert_eq!(logged, [format!("budget/{fy}/planned")]);
        assert_eq!(
            store.project_revision(&old.id).unwrap(),
            Some(2),
            "a saved change bumps the revision"
        );
    }

    #[test]
    fn a_removed_row_rewrites_its_table_and_an_indicator_value_its_indicators() {
        let dir = tempfile::tempdir().unwrap();
        let (path, old) = plan_file(dir.path());
        let mut new = old.clone();
        new.schedule.pop();
        new.footnotes.clear();
        new.indicators[0].values.pop().unwrap();
        let (changed, back) = changed_tables(&path, |w| w.save_project(&new).map(|_| ()), &old.id);
        assert_eq!(
            changed,
            ["footnote", "indicator", "indicator_value", "task"]
        );
        assert_eq!(back, new);
    }

    #[test]
    fn an_unchanged_project_is_not_written() {
        let dir = tempfile::tempdir().unwrap();
        let (path, old) = plan_file(dir.path());
        let (changed, back) = changed_tables(&path, |w| w.save_project(&old).map(|_| ()), &old.id);
        assert!(changed.is_empty());
        assert_eq!(back, old);
        let store = Store::open(&path).unwrap();
        assert_eq!(store.project_revision(&old.id).unwrap(), Some(1));
    }

    #[test]
    fn saving_over_another_project_is_refused() {
        let dir = tempfile::tempdir().unwrap();
        let (path, old) = plan_file(dir.path());
        let mut store = Store::open(&path).unwrap();
        let mut other = old.clone();
        other.id = "another".into();
        let r = store.write(OpInfo::new(OpKind::LocalEdit), |w| {
            w.save_project_over(&old, &project_fields(&old), &other)
        });
        assert!(r.is_err());
    }
}
