//! Views built from the open plan for the screens. Pure functions of a `Session`, so they are
//! tested without a window. No domain rule lives here: edits are `dxplan::workspace`'s, totals
//! come from `report::totals`, codes from the workspace, year labels from `parse::fiscal_year`.

use std::collections::HashMap;
use std::time::Instant;

use dxplan::model::{self as m, Project, ProjectOutline};
use dxplan::parse::fiscal_year::{format_both, format_fiscal_year, format_wareki};

use crate::dto::*;
use crate::error::AppError;
use crate::state::{Mode, Session};

pub fn fy_label(fy: i32) -> FiscalYearLabel {
    FiscalYearLabel {
        fy,
        seireki: format_fiscal_year(fy),
        wareki: format_wareki(fy),
        both: format_both(fy),
    }
}

pub fn session_info(s: &Session) -> SessionInfo {
    session_info_of(s, &s.plan_outline().info)
}

fn session_info_of(s: &Session, info: &m::PlanInfo) -> SessionInfo {
    SessionInfo {
        path: s.path().display().to_string(),
        mode: match s.mode() {
            Mode::Office => ModeDto::Office,
            Mode::Department {
                unit_id,
                unit_name,
                workbook,
                export_id,
            } => ModeDto::Department {
                unit_id: unit_id.clone(),
                unit_name: unit_name.clone(),
                workbook: workbook.display().to_string(),
                export_id: export_id.clone(),
            },
        },
        info: info.clone(),
        fiscal_years: info.fiscal_years().into_iter().map(fy_label).collect(),
    }
}

/// What a tree row names by id: units (owners) and the policy of each measure.
pub struct RowNames<'a> {
    units: HashMap<&'a str, &'a str>,
    policy_of: HashMap<&'a str, &'a str>,
}

impl<'a> RowNames<'a> {
    pub fn new(units: &'a [m::OrgUnit], measures: &'a [m::Measure]) -> RowNames<'a> {
        RowNames {
            units: units
                .iter()
                .map(|u| (u.id.as_str(), u.name.as_str()))
                .collect(),
            policy_of: measures
                .iter()
                .map(|m| (m.id.as_str(), m.policy_id.as_str()))
                .collect(),
        }
    }
}

/// A project's row in the tree.
pub fn project_row(s: &Session, names: &RowNames<'_>, p: &ProjectOutline) -> ProjectRow {
    let unit_name = |id: &str| {
        names
            .units
            .get(id)
            .map_or_else(|| "（不明な課）".to_string(), |n| n.to_string())
    };
    let policy_id = p
        .measure_ids
        .first()
        .and_then(|mid| names.policy_of.get(mid.as_str()))
        .map(|p| p.to_string())
        .unwrap_or_default();
    ProjectRow {
        id: p.id.clone(),
        code: s.code(&p.id),
        title: p.title.clone(),
        measure_ids: p.measure_ids.clone(),
        policy_id,
        owner_ids: p.owners.iter().map(|o| o.unit_id.clone()).collect(),
        owners: p.owners.iter().map(|o| unit_name(&o.unit_id)).collect(),
        flag: p.flag,
        status: p.status,
        tags: p.tags.clone(),
        budget_total: p.budget_total,
        editable: s.may_edit(&p.owners),
    }
}

/// The plan tree, from the plan's outline: it does not wait for the whole plan to load.
pub fn plan_tree(s: &Session) -> PlanTree {
    let outline = s.plan_outline();
    PlanTree {
        session: session_info_of(s, &outline.info),
        units: outline.org_units.clone(),
        policies: outline
            .policies
            .iter()
            .map(|p| PolicyDto {
                id: p.id.clone(),
                code: s.code(&p.id),
                position: p.position,
                title: p.title.clone(),
                description: p.description.clone(),
            })
            .collect(),
        measures: outline
            .measures
            .iter()
            .map(|mm| MeasureDto {
                id: mm.id.clone(),
                code: s.code(&mm.id),
                policy_id: mm.policy_id.clone(),
                position: mm.position,
                title: mm.title.clone(),
                description: mm.description.clone(),
                priority: mm.priority.clone(),
            })
            .collect(),
        rows: crate::tree_rows::pack(s, &outline.projects),
    }
}

/// A project's sheet. While the whole plan loads, the project is read alone from the file.
pub fn project_sheet(s: &Session, id: &str) -> Result<ProjectSheet, AppError> {
    let p = s.project_now(id)?;
    let revision = s.revision(id)?;
    Ok(ProjectSheet {
        code: s.code(id),
        revision,
        editable: s.editable(&p),
        rollups: crate::rollups_view::project_rollups(s, &p)?,
        project: p.into_owned(),
    })
}

/// Saves one project as one transaction (a local edit): the workspace refuses a stale
/// revision and, in department mode, any project the department does not own.
pub fn save_project(
    s: &mut Session,
    project: Project,
    expected_revision: i64,
) -> Result<SaveResult, AppError> {
    let t0 = Instant::now();
    let id = project.id.clone();
    check_money(&project)?;
    let saved = s.save_project(project, expected_revision)?;
    Ok(SaveResult {
        sheet: project_sheet(s, &id)?,
        row: project_row(
            s,
            &RowNames::new(&s.plan().org_units, &s.plan().measures),
            &ProjectOutline::of(s.project(&id)?),
        ),
        structural: saved.structural,
        changed: saved.changed,
        elapsed_ms: t0.elapsed().as_secs_f64() * 1000.0,
    })
}

/// A new, empty project under a measure (office mode only).
pub fn create_project(
    s: &mut Session,
    measure_id: &str,
    title: &str,
) -> Result<ProjectSheet, AppError> {
    let id = s.create_project(measure_id, title)?;
    project_sheet(s, &id)
}

/// A new organisation unit (for owners not yet in the plan).
pub fn add_org_unit(s: &mut Session, name: &str) -> Result<m::OrgUnit, AppError> {
    Ok(s.add_org_unit(name)?)
}

fn compact(v: Option<serde_json::Value>) -> Option<String> {
    v.map(|v| match v {
        serde_json::Value::String(s) => s,
        other => other.to_string(),
    })
}

pub fn history(
    s: &Session,
    project_id: Option<&str>,
    limit: usize,
) -> Result<Vec<HistoryRow>, AppError> {
    let entries = s.history(project_id)?;
    Ok(entries
        .into_iter()
        .take(limit)
        .map(|e| {
            let title = e
                .project_id
                .as_deref()
                .and_then(|id| s.plan().projects.iter().find(|p| p.id == id))
                .map(|p| p.title.clone());
            HistoryRow {
                id: e.id,
                op_id: e.op_id,
                at: e.at,
                kind: e.kind,
                source: e.source,
                department: e.department,
                project_code: e
                    .project_id
                    .as_deref()
                    .map(|id| s.code(id))
                    .filter(|c| !c.is_empty()),
                project_title: title,
                project_id: e.project_id,
                field: e.field,
                old_value: compact(e.old_value),
                new_value: compact(e.new_value),
            }
        })
        .collect())
}

/// The core's 達成率 as a percentage with one decimal.
fn achievement(target: Option<&m::Value>, actual: Option<&m::Value>) -> Option<f64> {
    dxplan::report::achievement::achievement(target?, actual?).map(|r| (r * 1000.0).round() / 10.0)
}

fn progress_row(s: &Session, r: &dxplan::workspace::round::ProgressRow) -> ProgressRowDto {
    let n = |x: usize| u32::try_from(x).unwrap_or(u32::MAX);
    ProgressRowDto {
        policy_id: r.policy_id.clone(),
        code: r
            .policy_id
            .as_deref()
            .map(|id| s.code(id))
            .unwrap_or_default(),
        title: r.title.clone(),
        status: r.status.iter().map(|&x| n(x)).collect(),
        other_status: n(r.other_status),
        no_status: n(r.no_status),
        projects: n(r.projects),
    }
}

/// Projects per 状況 per 基本方針 for each year of the plan period.
fn progress_tables(s: &Session) -> Result<Vec<ProgressTable>, AppError> {
    s.plan()
        .info
        .fiscal_years()
        .into_iter()
        .map(|fy| {
            let c = s.progress_counts(fy)?;
            Ok(ProgressTable {
                fiscal_year: fy_label(fy),
                statuses: c.scale.status.clone(),
                rows: c.rows.iter().map(|r| progress_row(s, r)).collect(),
                total: progress_row(s, &c.total),
            })
        })
        .collect()
}

pub fn dashboard(s: &Session) -> Result<Dashboard, AppError> {
    let plan = s.plan();
    let totals = dxplan::report::totals::budget_by_policy(plan);
    let budget = BudgetTable {
        fiscal_years: totals.fiscal_years.iter().map(|&fy| fy_label(fy)).collect(),
        rows: totals
            .rows
            .iter()
            .map(|(id, title, amounts)| BudgetRowDto {
                policy_id: id.clone(),
                code: s.code(id),
                title: title.clone(),
                amounts: totals
                    .fiscal_years
                    .iter()
                    .map(|fy| amounts.get(fy).copied().unwrap_or(0))
                    .collect(),
                total: dxplan::report::totals::BudgetTotals::row_total(amounts),
            })
            .collect(),
        year_totals: totals
            .fiscal_years
            .iter()
            .map(|&fy| totals.year_total(fy))
            .collect(),
        grand_total: totals.grand_total(),
    };
    let years = plan.info.fiscal_years();
    let mut kpis = Vec::new();
    let mut roadmap = Vec::new();
    for p in &plan.projects {
        let code = s.code(&p.id);
        for i in &p.indicators {
            kpis.push(KpiRow {
                project_id: p.id.clone(),
                code: code.clone(),
                project_title: p.title.clone(),
                indicator: i.name.clone(),
                kind: i.kind,
                cells: years
                    .iter()
                    .map(|&fy| {
                        let v = i.values.iter().find(|v| v.fiscal_year == fy);
                        let t = v.and_then(|v| v.target.as_ref());
                        let a = v.and_then(|v| v.actual.as_ref());
                        KpiCell {
                            fiscal_year: fy,
                            target: t.map(|x| x.text.clone()),
                            actual: a.map(|x| x.text.clone()),
                            rate: achievement(t, a),
                        }
                    })
                    .collect(),
            });
        }
        for t in &p.schedule {
            roadmap.push(RoadmapRow {
                project_id: p.id.clone(),
                code: code.clone(),
                project_title: p.title.clone(),
                task: t.name.clone(),
                start_fy: t.start_fy,
                end_fy: t.end_fy,
                confirmed: t.confirmed,
                phases: t.phases.clone(),
            });
        }
    }
    Ok(Dashboard {
        budget,
        kpis,
        roadmap,
        progress: progress_tables(s)?,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::state::sample_session;
    use crate::state::Session;

    #[test]
    fn dashboard_totals_are_the_sample_totals() {
        let dir = tempfile::tempdir().unwrap();
        let s = sample_session(dir.path());
        let d = dashboard(&s).unwrap();
        assert_eq!(d.budget.grand_total, 1_240_400);
        assert_eq!(d.budget.rows[0].total, 626_400);
        assert_eq!(d.budget.rows[1].total, 614_000);
        assert_eq!(
            d.budget.rows[0].amounts,
            vec![19_100, 170_100, 222_100, 215_100]
        );
        assert_eq!(d.budget.fiscal_years[1].both, "2023年度（令和5年度）");
        assert_eq!(d.roadmap.len(), 89);
        // 進捗状況: one table per year of the period, on the default scale, every policy a row
        assert_eq!(d.progress.len(), 4);
        let t = &d.progress[2];
        assert_eq!(t.fiscal_year.fy, 2024);
        assert_eq!(t.statuses, ["順調", "概ね順調", "遅れ", "未着手", "完了"]);
        assert_eq!(t.rows.len(), 2);
        assert_eq!(t.rows[0].code, "Ⅰ");
        let counted: u32 = t.rows.iter().map(|r| r.projects).sum();
        assert_eq!(counted, t.total.projects);
        let r = &t.total;
        assert_eq!(
            r.status.iter().sum::<u32>() + r.other_status + r.no_status,
            r.projects
        );
    }

    #[test]
    fn tree_has_every_project_with_codes() {
        let dir = tempfile::tempdir().unwrap();
        let s = sample_session(dir.path());
        let t = plan_tree(&s);
        assert_eq!(t.rows.id.len(), 30);
        assert_eq!(t.policies[0].code, "Ⅰ");
        assert!(t.rows.code[0].starts_with("Ⅰ-1-"));
        assert!(t.rows.editable.iter().all(|e| *e));
    }

    /// The tree made from the outline (the plan still loading) is the tree of the whole plan,
    /// in the office's plan and in a department's, and so is a project sheet read alone.
    #[test]
    fn the_tree_and_a_sheet_while_the_plan_loads_are_those_of_the_whole_plan() {
        let dir = tempfile::tempdir().unwrap();
        let s = sample_session(dir.path());
        let path = s.path().to_path_buf();
        let unit = s.plan().projects[0].owners[0].unit_id.clone();
        drop(s);
        let department = Mode::Department {
            unit_id: unit,
            unit_name: "x".into(),
            workbook: "w.xlsx".into(),
            export_id: "e".into(),
        };
        for mode in [Mode::Office, department] {
            let whole = Session::open(&path, mode.clone()).unwrap();
            let quick = Session::open_outline_first(&path, mode).unwrap();
            let json = |v: &dyn erased::Json| v.json();
            assert_eq!(json(&plan_tree(&quick)), json(&plan_tree(&whole)));
            for p in &whole.plan().projects {
                assert_eq!(
                    json(&project_sheet(&quick, &p.id).unwrap()),
                    json(&project_sheet(&whole, &p.id).unwrap())
                );
            }
            assert!(quick.ready().is_ok());
            assert_eq!(json(&plan_tree(&quick)), json(&plan_tree(&whole)));
        }
    }

    mod erased {
        pub trait Json {
            fn json(&self) -> serde_json::Value;
        }
        impl<T: serde::Serialize> Json for T {
            fn json(&self) -> serde_json::Value {
                serde_json::to_value(self).unwrap()
            }
        }
    }

    #[test]
    fn save_is_one_logged_transaction_and_stale_revisions_are_refused() {
        let dir = tempfile::tempdir().unwrap();
        let mut s = sample_session(dir.path());
        let id = s.plan().projects[0].id.clone();
        let sheet = project_sheet(&s, &id).unwrap();
        let mut p = sheet.project.clone();
        p.texts.summary = "変更後の概要".into();
        let r = save_project(&mut s, p.clone(), sheet.revision).unwrap();
        assert_eq!(r.changed, vec!["texts.summary".to_string()]);
        assert_eq!(r.sheet.revision, sheet.revision + 1);
        let h = history(&s, Some(&id), 10).unwrap();
        assert_eq!(h[0].field, "texts.summary");
        assert_eq!(h[0].kind, dxplan::workspace::OpKind::LocalEdit);
        // the old revision is stale now
        p.texts.summary = "別の変更".into();
        let e = save_project(&mut s, p, sheet.revision).unwrap_err();
        assert_eq!(e.code, dxplan::workspace::ErrorCode::Stale);
        // reopening the file shows the saved edit
        drop(s);
        let s = Session::open(&dir.path().join("office.dxplan"), Mode::Office).unwrap();
        assert_eq!(s.project(&id).unwrap().texts.summary, "変更後の概要");
    }

    #[test]
    fn department_mode_edits_only_its_own_projects() {
        let dir = tempfile::tempdir().unwrap();
        let s = sample_session(dir.path());
        let unit = s.plan().projects[0].owners[0].unit_id.clone();
        let path = s.path().to_path_buf();
        drop(s);
        let mut s = Session::open(
            &path,
            Mode::Department {
                unit_id: unit.clone(),
                unit_name: "x".into(),
                workbook: "w.xlsx".into(),
                export_id: "e".into(),
            },
        )
        .unwrap();
        let other = s
            .plan()
            .projects
            .iter()
            .find(|p| !p.owners.iter().any(|o| o.unit_id == unit))
            .unwrap()
            .id
            .clone();
        let sheet = project_sheet(&s, &other).unwrap();
        assert!(!sheet.editable);
        let e = save_project(&mut s, sheet.project, sheet.revision).unwrap_err();
        assert_eq!(e.code, dxplan::workspace::ErrorCode::ReadOnly);
    }
}
