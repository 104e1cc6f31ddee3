use std::collections::HashMap;

use rusqlite::{params, Connection, OptionalExtension, Row};
use serde::Serialize;

use super::codec::{dec, json_col, value_from_row};
use super::error::{Result, StoreError};
use super::op::OpKind;
use crate::model::*;

pub fn load_plan_info(conn: &Connection) -> Result<PlanInfo> {
    conn.query_row(
        "SELECT id, title, city, version, first_fy, last_fy, vision FROM plan",
        [],
        |r| {
            Ok(PlanInfo {
                id: r.get(0)?,
                title: r.get(1)?,
                city: r.get(2)?,
                version: r.get(3)?,
                first_fy: r.get(4)?,
                last_fy: r.get(5)?,
                vision: r.get(6)?,
            })
        },
    )
    .optional()?
    .ok_or_else(|| StoreError::Corrupt("計画の行がありません / no plan row".into()))
    .and_then(|info| {
        super::validate::plan_info(&info).map_err(StoreError::Corrupt)?;
        Ok(info)
    })
}

/// Items of a project that have ids of their own.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ItemKind {
    /// An indicator.
    Indicator,
    /// A schedule task.
    Task,
}

/// The project an indicator or task belongs to, if the plan has it.
pub fn item_home(conn: &Connection, kind: ItemKind, id: &str) -> Result<Option<String>> {
    let sql = match kind {
        ItemKind::Indicator => "SELECT project_id FROM indicator WHERE id = ?1",
        ItemKind::Task => "SELECT project_id FROM task WHERE id = ?1",
    };
    Ok(conn
        .prepare_cached(sql)?
        .query_row(params![id], |r| r.get(0))
        .optional()?)
}

pub(crate) fn load_org_units(conn: &Connection) -> Result<Vec<OrgUnit>> {
    let mut st = conn.prepare(
        "SELECT id, name, parent_id, valid_from_fy, valid_to_fy FROM org_unit ORDER BY rowid",
    )?;
    let rows = st.query_map([], |r| {
        Ok(OrgUnit {
            id: r.get(0)?,
            name: r.get(1)?,
            parent_id: r.get(2)?,
            valid_from_fy: r.get(3)?,
            valid_to_fy: r.get(4)?,
        })
    })?;
    let units: Vec<OrgUnit> = rows.collect::<Result<_, _>>()?;
    for u in &units {
        super::validate::unit_years(u.valid_from_fy, u.valid_to_fy, &u.name)
            .map_err(StoreError::Corrupt)?;
    }
    Ok(units)
}

fn load_policies(conn: &Connection) -> Result<Vec<Policy>> {
    let mut st = conn
        .prepare("SELECT id, position, title, description FROM policy ORDER BY position, rowid")?;
    let rows = st.query_map([], |r| {
        Ok(Policy {
            id: r.get(0)?,
            position: r.get(1)?,
            title: r.get(2)?,
            description: r.get(3)?,
        })
    })?;
    Ok(rows.collect::<Result<_, _>>()?)
}

fn load_measures(conn: &Connection) -> Result<Vec<Measure>> {
    let mut st = conn.prepare(
        "SELECT m.id, m.policy_id, m.position, m.title, m.description, m.priority_flag, m.urgency, m.importance
         FROM measure m JOIN policy p ON p.id = m.policy_id ORDER BY p.position, m.position, m.rowid",
    )?;
    let mut rows = st.query([])?;
    let mut out = Vec::new();
    while let Some(r) = rows.next()? {
        let flag: String = r.get(5)?;
        out.push(Measure {
            id: r.get(0)?,
            policy_id: r.get(1)?,
            position: r.get(2)?,
            title: r.get(3)?,
            description: r.get(4)?,
            priority: Priority {
                flag: dec(&flag)?,
                urgency: r.get(6)?,
                importance: r.get(7)?,
            },
        });
    }
    Ok(out)
}

/// SQL filter for one project or all of them. Two statement texts rather than
/// `?1 IS NULL OR …` so SQLite can use the project indexes.
fn filtered(sql: &str, col: &str, which: Which<'_>) -> String {
    let cond = match which {
        Which::All => String::new(),
        Which::One(_) => format!("WHERE {col} = ?1"),
        Which::Wanted => format!("WHERE {col} IN (SELECT id FROM temp.{WANTED})"),
    };
    sql.replace("{where}", &cond)
}

/// The projects `load_projects` loads: all, one, or those listed in the temp table `WANTED`.
#[derive(Clone, Copy)]
enum Which<'a> {
    All,
    One(&'a str),
    Wanted,
}

const WANTED: &str = "dxplan_wanted_projects";

fn query<T>(
    conn: &Connection,
    sql: &str,
    which: Which<'_>,
    mut f: impl FnMut(&Row<'_>) -> Result<T>,
) -> Result<Vec<T>> {
    // Cached: loading projects one by one (a merge's) runs the same few statements hundreds
    // of times, and preparing them cost more than running them.
    let mut st = conn.prepare_cached(sql)?;
    let mut rows = match which {
        Which::One(id) => st.query(params![id])?,
        _ => st.query([])?,
    };
    let mut out = Vec::new();
    while let Some(r) = rows.next()? {
        out.push(f(r)?);
    }
    Ok(out)
}

/// Loads projects (all, or the one with `one`), in no particular order.
fn load_projects(conn: &Connection, which: Which<'_>) -> Result<Vec<Project>> {
    let mut projects: Vec<Project> = query(
        conn,
        &filtered(
            "SELECT id, position, title, status, owners_note, issue, purpose, summary, goal, effects_json,
                    priority_flag, urgency, importance, tags_json FROM project {where} ORDER BY rowid",
            "id",
            which,
        ),
        which,
        |r| {
            let status: String = r.get(3)?;
            let effects: String = r.get(9)?;
            let flag: String = r.get(10)?;
            let tags: String = r.get(13)?;
            let mut p = Project::new("", r.get::<_, String>(2)?);
            p.measure_ids.clear();
            p.id = r.get(0)?;
            p.position = r.get(1)?;
            p.status = dec(&status)?;
            p.owners_note = r.get(4)?;
            p.texts = Texts { issue: r.get(5)?, purpose: r.get(6)?, summary: r.get(7)?, goal: r.get(8)?, effects: json_col(&effects)? };
            p.priority = Priority { flag: dec(&flag)?, urgency: r.get(11)?, importance: r.get(12)? };
            p.tags = json_col(&tags)?;
            Ok(p)
        },
    )?;
    let slots = Slots::of(projects.iter().map(|p| p.id.as_str()));

    for (pid, mid) in query(
        conn,
        &filtered(
            "SELECT project_id, measure_id FROM project_measure {where} ORDER BY project_id, ord",
            "project_id",
            which,
        ),
        which,
        |r| Ok((r.get::<_, String>(0)?, r.get::<_, String>(1)?)),
    )? {
        projects[slots.get(&pid)?].measure_ids.push(mid);
    }
    for (pid, owner) in query(
        conn,
        &filtered(
            "SELECT project_id, unit_id, role FROM project_owner {where} ORDER BY project_id, ord",
            "project_id",
            which,
        ),
        which,
        |r| {
            let role: String = r.get(2)?;
            Ok((
                r.get::<_, String>(0)?,
                Owner {
                    unit_id: r.get(1)?,
                    role: dec(&role)?,
                },
            ))
        },
    )? {
        projects[slots.get(&pid)?].owners.push(owner);
    }
    for (pid, f) in query(
        conn,
        &filtered(
            "SELECT project_id, marker, field, text FROM footnote {where} ORDER BY project_id, ord",
            "project_id",
            which,
        ),
        which,
        |r| {
            Ok((
                r.get::<_, String>(0)?,
                Footnote {
                    marker: r.get(1)?,
                    field: r.get(2)?,
                    text: r.get(3)?,
                },
            ))
        },
    )? {
        projects[slots.get(&pid)?].footnotes.push(f);
    }
    let mut ind_slot: HashMap<String, (usize, usize)> = HashMap::new();
    for (pid, ind) in query(
        conn,
        &filtered(
            "SELECT project_id, id, kind, name, unit, cumulative FROM indicator {where} ORDER BY project_id, ord",
            "project_id",
            which,
        ),
        which,
        |r| {
            let kind: String = r.get(2)?;
            Ok((
                r.get::<_, String>(0)?,
                Indicator { id: r.get(1)?, kind: dec(&kind)?, name: r.get(3)?, unit: r.get(4)?, cumulative: r.get(5)?, values: Vec::new() },
            ))
        },
    )? {
        let pi = slots.get(&pid)?;
        ind_slot.insert(ind.id.clone(), (pi, projects[pi].indicators.len()));
        projects[pi].indicators.push(ind);
    }
    let value_sql = match which {
        Which::All => "SELECT indicator_id, fiscal_year, side, text, number, unit, denominator, qualifier, markers_json
         FROM indicator_value ORDER BY indicator_id, fiscal_year"
            .to_string(),
        _ => filtered(
            "SELECT v.indicator_id, v.fiscal_year, v.side, v.text, v.number, v.unit, v.denominator, v.qualifier, v.markers_json
             FROM indicator_value v JOIN indicator i ON i.id = v.indicator_id {where}
             ORDER BY v.indicator_id, v.fiscal_year",
            "i.project_id",
            which,
        ),
    };
    for (iid, fy, side, value) in query(conn, &value_sql, which, |r| {
        Ok((
            r.get::<_, String>(0)?,
            r.get::<_, FiscalYear>(1)?,
            r.get::<_, String>(2)?,
            value_from_row(r, 3)?,
        ))
    })? {
        let (pi, ii) = *ind_slot
            .get(&iid)
            .ok_or_else(|| StoreError::Corrupt(format!("orphan value of indicator {iid}")))?;
        let values = &mut projects[pi].indicators[ii].values;
        if values.last().map(|v| v.fiscal_year) != Some(fy) {
            values.push(IndicatorValue {
                fiscal_year: fy,
                target: None,
                actual: None,
            });
        }
        if let Some(last) = values.last_mut() {
            match side.as_str() {
                "target" => last.target = Some(value),
                _ => last.actual = Some(value),
            }
        }
    }
    for (pid, t) in query(
        conn,
        &filtered(
            "SELECT project_id, id, name, start_fy, end_fy, phases_json, confirmed FROM task {where} ORDER BY project_id, ord",
            "project_id",
            which,
        ),
        which,
        |r| {
            let phases: String = r.get(5)?;
            Ok((
                r.get::<_, String>(0)?,
                Task { id: r.get(1)?, name: r.get(2)?, start_fy: r.get(3)?, end_fy: r.get(4)?, phases: json_col(&phases)?, confirmed: r.get(6)? },
            ))
        },
    )? {
        projects[slots.get(&pid)?].schedule.push(t);
    }
    for (pid, b) in query(
        conn,
        &filtered(
            "SELECT project_id, fiscal_year, planned, general_revenue FROM budget {where} ORDER BY project_id, fiscal_year",
            "project_id",
            which,
        ),
        which,
        |r| {
            Ok((
                r.get::<_, String>(0)?,
                BudgetYear { fiscal_year: r.get(1)?, planned_thousand_yen: r.get(2)?, general_revenue_thousand_yen: r.get(3)? },
            ))
        },
    )? {
        projects[slots.get(&pid)?].budget.push(b);
    }
    for (pid, p) in query(
        conn,
        &filtered(
            "SELECT project_id, fiscal_year, status, achievements, issues, remedies, evaluation FROM progress {where}
             ORDER BY project_id, fiscal_year",
            "project_id",
            which,
        ),
        which,
        |r| {
            Ok((
                r.get::<_, String>(0)?,
                Progress {
                    fiscal_year: r.get(1)?,
                    status: r.get(2)?,
                    achievements: r.get(3)?,
                    issues: r.get(4)?,
                    remedies: r.get(5)?,
                    evaluation: r.get(6)?,
                },
            ))
        },
    )? {
        projects[slots.get(&pid)?].progress.push(p);
    }
    for p in &projects {
        super::validate::project(p, false).map_err(StoreError::Corrupt)?;
    }
    Ok(projects)
}

pub fn load_project(conn: &Connection, id: &str) -> Result<Option<Project>> {
    Ok(load_projects(conn, Which::One(id))?.into_iter().next())
}

pub fn project_revision(conn: &Connection, id: &str) -> Result<Option<i64>> {
    Ok(conn
        .prepare_cached("SELECT revision FROM project WHERE id = ?1")?
        .query_row(params![id], |r| r.get(0))
        .optional()?)
}

/// Revision of every project, by id.
pub fn project_revisions(conn: &Connection) -> Result<std::collections::HashMap<String, i64>> {
    let mut st = conn.prepare("SELECT id, revision FROM project")?;
    let rows = st.query_map([], |r| Ok((r.get(0)?, r.get(1)?)))?;
    Ok(rows.collect::<std::result::Result<_, _>>()?)
}

/// The plan with only the projects one of `units` owns or co-owns: what a department's
/// workbook needs, without reading every project of a large plan.
pub fn load_plan_of_units(conn: &Connection, units: &[String]) -> Result<Plan> {
    let mut plan = Plan {
        info: load_plan_info(conn)?,
        org_units: load_org_units(conn)?,
        policies: load_policies(conn)?,
        measures: load_measures(conn)?,
        projects: Vec::new(),
        rollups: super::rollups::load(conn)?,
    };
    let mut ids = std::collections::BTreeSet::new();
    let mut st = conn.prepare("SELECT project_id FROM project_owner WHERE unit_id = ?1")?;
    for u in units {
        for id in st.query_map([u], |r| r.get::<_, String>(0))? {
            ids.insert(id?);
        }
    }
    // Loaded together, the way the whole plan is, through a temp table of their ids (the
    // temp schema is the connection's own: nothing is written to the plan file).
    conn.execute_batch(&format!("CREATE TEMP TABLE IF NOT EXISTS {WANTED} (id TEXT PRIMARY KEY); DELETE FROM temp.{WANTED};"))?;
    let mut put = conn.prepare_cached(&format!(
        "INSERT OR IGNORE INTO temp.{WANTED} (id) VALUES (?1)"
    ))?;
    for id in &ids {
        put.execute(params![id])?;
    }
    let loaded = load_projects(conn, Which::Wanted);
    conn.execute_batch(&format!("DELETE FROM temp.{WANTED};"))?;
    plan.projects = loaded?;
    plan.sort_canonical();
    Ok(plan)
}

pub fn load_plan(conn: &Connection) -> Result<Plan> {
    let info = load_plan_info(conn)?;
    let org_units = load_org_units(conn)?;
    let policies = load_policies(conn)?;
    let measures = load_measures(conn)?;
    let projects = load_projects(conn, Which::All)?;
    let rollups = super::rollups::load(conn)?;
    let mut plan = Plan {
        info,
        org_units,
        policies,
        measures,
        projects,
        rollups,
    };
    plan.sort_canonical();
    Ok(plan)
}

/// The plan's outline: plan-wide facts, units, policies, measures and every project's outline
/// row, reading only the columns the tree shows (no texts, indicators, schedule or progress;
/// the budget summed by SQLite). Not validated as `load_plan` is: the whole plan's load does.
pub fn load_outline(conn: &Connection) -> Result<PlanOutline> {
    let mut projects: Vec<ProjectOutline> = query(
        conn,
        "SELECT id, position, title, status, priority_flag, tags_json FROM project ORDER BY rowid",
        Which::All,
        |r| {
            let status: String = r.get(3)?;
            let flag: String = r.get(4)?;
            let tags: String = r.get(5)?;
            Ok(ProjectOutline {
                id: r.get(0)?,
                measure_ids: Vec::new(),
                position: r.get(1)?,
                title: r.get(2)?,
                status: dec(&status)?,
                owners: Vec::new(),
                flag: dec(&flag)?,
                tags: json_col(&tags)?,
                budget_total: None,
            })
        },
    )?;
    let slots = Slots::of(projects.iter().map(|p| p.id.as_str()));
    let pairs = "SELECT project_id, measure_id FROM project_measure ORDER BY project_id, ord";
    for (pid, mid) in query(conn, pairs, Which::All, |r| {
        Ok((r.get::<_, String>(0)?, r.get::<_, String>(1)?))
    })? {
        projects[slots.get(&pid)?].measure_ids.push(mid);
    }
    let owners = "SELECT project_id, unit_id, role FROM project_owner ORDER BY project_id, ord";
    for (pid, owner) in query(conn, owners, Which::All, |r| {
        let role: String = r.get(2)?;
        let owner = Owner {
            unit_id: r.get(1)?,
            role: dec(&role)?,
        };
        Ok((r.get::<_, String>(0)?, owner))
    })? {
        projects[slots.get(&pid)?].owners.push(owner);
    }
    let budget = "SELECT project_id, SUM(planned) FROM budget WHERE planned IS NOT NULL
                  GROUP BY project_id";
    for (pid, total) in query(conn, budget, Which::All, |r| {
        Ok((r.get::<_, String>(0)?, r.get::<_, i64>(1)?))
    })? {
        projects[slots.get(&pid)?].budget_total = Some(total);
    }
    let mut outline = PlanOutline {
        info: load_plan_info(conn)?,
        org_units: load_org_units(conn)?,
        policies: load_policies(conn)?,
        measures: load_measures(conn)?,
        projects,
    };
    outline.sort_canonical();
    Ok(outline)
}

/// One row of the change log with its operation.
#[derive(Debug, Clone, Serialize)]
pub struct HistoryEntry {
    /// Its id.
    pub id: i64,
    /// The change-log operation it belongs to.
    pub op_id: i64,
    /// When (RFC 3339).
    pub at: String,
    /// What kind of operation.
    pub kind: OpKind,
    /// What it came from (a file, the app).
    pub source: String,
    /// The department's name.
    pub department: String,
    /// The project's id.
    pub project_id: Option<String>,
    /// The field path (`texts.summary`, `indicator/{id}/{fy}/target`, …).
    pub field: String,
    /// Value before.
    pub old_value: Option<serde_json::Value>,
    /// Value after.
    pub new_value: Option<serde_json::Value>,
}

pub fn history(conn: &Connection, project_id: Option<&str>) -> Result<Vec<HistoryEntry>> {
    let sql = filtered(
        "SELECT c.id, c.op_id, o.at, o.kind, o.source, o.department, c.project_id, c.field, c.old_value, c.new_value
         FROM change_log c JOIN operation o ON o.id = c.op_id {where} ORDER BY c.id DESC",
        "c.project_id",
        project_id.map_or(Which::All, Which::One),
    );
    query(conn, &sql, project_id.map_or(Which::All, Which::One), |r| {
        let old: Option<String> = r.get(8)?;
        let new: Option<String> = r.get(9)?;
        Ok(HistoryEntry {
            id: r.get(0)?,
            op_id: r.get(1)?,
            at: r.get(2)?,
            kind: dec(&r.get::<_, String>(3)?)?,
            source: r.get(4)?,
            department: r.get(5)?,
            project_id: r.get(6)?,
            field: r.get(7)?,
            old_value: old.as_deref().map(json_col).transpose()?,
            new_value: new.as_deref().map(json_col).transpose()?,
        })
    })
}

/// Each project's index by its id, to put a child row on its project.
struct Slots(HashMap<String, usize>);

impl Slots {
    fn of<'a>(ids: impl Iterator<Item = &'a str>) -> Slots {
        Slots(ids.enumerate().map(|(i, id)| (id.to_owned(), i)).collect())
    }

    /// The project's index; a child row without its project is a corrupt file.
    fn get(&self, id: &str) -> Result<usize> {
        self.0
            .get(id)
            .copied()
            .ok_or_else(|| StoreError::Corrupt(format!("orphan row for project {id}")))
    }
}
