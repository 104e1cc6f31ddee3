use std::path::Path;
use std::process::ExitCode;
use unicode_width::UnicodeWidthStr;

use super::{output, CliError, Command};
use crate::model::Plan;
use crate::parse::fiscal_year::{format_wareki_short, parse_fiscal_year_range};
use crate::report::totals::{try_budget_by_policy, BudgetTotals};
use crate::report::{dump::into_dump, lints::check};
use crate::store::{OpInfo, OpKind, Store};
use crate::workspace;

type Result<T> = std::result::Result<T, CliError>;

pub fn run(cmd: Command) -> Result<ExitCode> {
    match cmd {
        Command::New {
            plan,
            title,
            years,
            city,
            version,
        } => {
            let years = parse_fiscal_year_range(&years)?;
            let info = workspace::create_plan(&plan, title, city, version, years)?;
            outln!(
                "作成しました / created: {} ({}–{})",
                plan.display(),
                info.first_fy,
                info.last_fy
            );
        }
        Command::Dump {
            plan,
            compact,
            version,
        } => {
            let d = into_dump(super::version_cmd::plan_of(&plan, version.as_deref())?);
            output::json(&d, compact)?;
            // The process ends here: freeing a large plan piece by piece would cost a fifth
            // of the command's time (issue 18).
            std::mem::forget(d);
        }
        Command::Check { plan, json } => {
            let store = Store::open_read_only(&plan)?;
            let current = store.load_plan()?;
            let mut lints = check(&current);
            lints.extend(definition_lints(&store, &current)?);
            if json {
                output::json(&lints, false)?;
            } else {
                for l in &lints {
                    outln!("{} {}: {}", l.project_code, l.project_title, l.message);
                }
                outln!("{} 件の指摘 / {} finding(s)", lints.len(), lints.len());
            }
            if !lints.is_empty() {
                return Ok(ExitCode::from(1));
            }
        }
        Command::Sample { plan } => {
            let sample = workspace::write_sample(&plan)?;
            print_summary(&sample)?;
        }
        Command::Summary { plan } => {
            let store = Store::open_read_only(&plan)?;
            print_summary(&store.load_plan()?).map_err(|e| match e {
                CliError::Totals { source, .. } => CliError::Totals {
                    plan: plan.clone(),
                    source,
                },
                e => e,
            })?
        }
        Command::History {
            plan,
            project,
            json,
        } => {
            let store = Store::open_read_only(&plan)?;
            let entries = store.history(project.as_deref())?;
            if json {
                output::json(&entries, false)?;
            } else {
                let units = store.load_plan_of_units(&[])?.org_units;
                for e in &entries {
                    // Owners by unit name (a reorganisation moves them between units).
                    let show = |v: &Option<serde_json::Value>| match v {
                        None => "（なし）".to_string(),
                        Some(v) if e.field == "owners" => owner_names(&units, v),
                        Some(v) => v.to_string(),
                    };
                    outln!(
                        "{} [{}{}{}] {} {}: {} → {}",
                        e.at,
                        e.kind.as_str(),
                        if e.source.is_empty() {
                            String::new()
                        } else {
                            format!(" {}", e.source)
                        },
                        if e.department.is_empty() {
                            String::new()
                        } else {
                            format!(" {}", e.department)
                        },
                        e.project_id.as_deref().unwrap_or("-"),
                        e.field,
                        show(&e.old_value),
                        show(&e.new_value)
                    );
                }
            }
        }
        cmd @ (Command::Version { .. }
        | Command::Versions { .. }
        | Command::Compare { .. }
        | Command::Rollover { .. }
        | Command::Settings { .. }) => super::version_cmd::run(cmd)?,
        cmd @ (Command::Merge { .. }
        | Command::Conflicts { .. }
        | Command::Resolve { .. }
        | Command::UndoMerge { .. }
        | Command::Submissions { .. }) => return super::merge_cmd::run(cmd),
        cmd @ (Command::Import { .. }
        | Command::Imports { .. }
        | Command::UndoImport { .. }
        | Command::ImportProfile { .. }) => return super::import_cmd::run(cmd),
        Command::Export {
            plan,
            department,
            deadline,
            open_past_years,
            fy,
            output,
        } => super::export_cmd::run(
            &plan,
            department.as_deref(),
            deadline,
            open_past_years,
            fy,
            &output,
        )?,
        Command::Report {
            plan,
            fy,
            version,
            department,
            output,
        } => super::report_cmd::run(
            &plan,
            fy,
            version.as_deref(),
            department.as_deref(),
            &output,
        )?,
        cmd @ (Command::Reorg { .. } | Command::Roster { .. }) => return super::org_cmd::run(cmd),
        cmd @ Command::Rollup { .. } => return super::rollup_cmd::run(cmd),
        cmd @ (Command::Round { .. } | Command::Rounds { .. } | Command::Scale { .. }) => {
            return super::round_cmd::run(cmd)
        }
        Command::Exports { plan, json } => super::export_cmd::list(&plan, json)?,
        Command::Generate {
            plan,
            projects,
            seed,
        } => {
            let g = crate::generate::generate(projects, seed);
            write_generated(
                &plan,
                &g,
                OpKind::Generate,
                &format!("generate --projects {projects} --seed {seed}"),
            )?;
            outln!(
                "作成しました / created: {} ({projects} 事業)",
                plan.display()
            );
        }
    }
    Ok(ExitCode::SUCCESS)
}

/// Indicators whose definition changed between recorded versions, and since the last one.
fn definition_lints(store: &Store, current: &Plan) -> Result<Vec<crate::report::lints::Lint>> {
    use crate::report::definitions::{definition_changes, lints};
    let versions = store.versions()?;
    if versions.is_empty() {
        return Ok(Vec::new());
    }
    let plans: Vec<(String, Plan)> = versions
        .iter()
        .map(|v| Ok((v.label.clone(), store.load_version(&v.label)?)))
        .collect::<Result<_>>()?;
    let mut states: Vec<(&str, &Plan)> = plans.iter().map(|(l, p)| (l.as_str(), p)).collect();
    states.push((super::version_cmd::NOW, current));
    Ok(lints(&definition_changes(&states)))
}

/// Creates the plan file (or opens it, adding to it), then writes every item in one
/// transaction: a reader sees all of it or none, even if the process is killed halfway.
fn write_generated(path: &Path, plan: &Plan, kind: OpKind, source: &str) -> Result<()> {
    let mut store = if path.exists() {
        Store::open(path)?
    } else {
        Store::create(path, &plan.info)?
    };
    store.write(OpInfo::new(kind).source(source), |w| w.put_contents(plan))?;
    Ok(())
}

/// 「デジタル推進課、市民課」 for an owners value of the change log (unit ids, lead first).
fn owner_names(units: &[crate::model::OrgUnit], v: &serde_json::Value) -> String {
    match serde_json::from_value::<Vec<crate::model::Owner>>(v.clone()) {
        Ok(owners) => owners
            .iter()
            .map(|o| {
                units
                    .iter()
                    .find(|u| u.id == o.unit_id)
                    .map_or_else(|| o.unit_id.clone(), |u| u.name.clone())
            })
            .collect::<Vec<_>>()
            .join("、"),
        Err(_) => v.to_string(),
    }
}

/// 千円 as everywhere else: 「1,240,400」, a negative 「▲1,000」 (`compare::render::grouped`).
fn thousands(n: i64) -> String {
    crate::compare::render::grouped(n)
}

/// Counts and the budget table; every total checked (`CliError::Totals` names no file: the
/// caller adds it).
fn print_summary(plan: &Plan) -> Result<()> {
    let tasks: usize = plan.projects.iter().map(|p| p.schedule.len()).sum();
    let indicators: usize = plan.projects.iter().map(|p| p.indicators.len()).sum();
    outln!(
        "{}（{}）{}",
        plan.info.title,
        plan.info.city,
        plan.info.version
    );
    outln!(
        "計画期間 / period: {}年度（{}）〜{}年度（{}）",
        plan.info.first_fy,
        format_wareki_short(plan.info.first_fy),
        plan.info.last_fy,
        format_wareki_short(plan.info.last_fy)
    );
    outln!(
        "基本方針 {} / 施策 {} / 事業 {} / 指標 {} / 工程 {} / 組織 {}",
        plan.policies.len(),
        plan.measures.len(),
        plan.projects.len(),
        indicators,
        tasks,
        plan.org_units.len()
    );
    let overflow = |source| CliError::Totals {
        plan: Default::default(),
        source,
    };
    let totals = try_budget_by_policy(plan).map_err(overflow)?;
    outln!("事業費（千円） / budget (thousand yen)");
    // Whole titles, columns aligned by display width: a full-width character takes two.
    let code_of = |id: &str| {
        plan.policies
            .iter()
            .find(|p| p.id == id)
            .map(|p| crate::model::codes::policy_code(p.position))
            .unwrap_or_default()
    };
    let labels: Vec<String> = totals
        .rows
        .iter()
        .map(|(id, title, _)| format!("{} {title}", code_of(id)).trim().to_string())
        .collect();
    let width = labels
        .iter()
        .map(|l| l.width())
        .chain(["基本方針".width(), "合計".width()])
        .max()
        .unwrap_or(0);
    let money: Vec<String> = totals
        .rows
        .iter()
        .flat_map(|(_, _, a)| a.values().map(|v| thousands(*v)))
        .chain([thousands(totals.grand_total())])
        .collect();
    let col = money
        .iter()
        .map(|m| m.width())
        .chain(["2022年度".width()])
        .max()
        .unwrap_or(0)
        + 2;
    let row = |label: &str, cells: Vec<String>, total: String| {
        let mut line = format!("  {}", pad_right(label, width));
        for c in cells.iter().chain([&total]) {
            line.push_str(&pad_left(c, col));
        }
        line
    };
    outln!(
        "{}",
        row(
            "基本方針",
            totals
                .fiscal_years
                .iter()
                .map(|fy| format!("{fy}年度"))
                .collect(),
            "合計".into()
        )
    );
    for ((_, _, amounts), label) in totals.rows.iter().zip(&labels) {
        let cells = totals
            .fiscal_years
            .iter()
            .map(|fy| thousands(amounts.get(fy).copied().unwrap_or(0)))
            .collect();
        outln!(
            "{}",
            row(label, cells, thousands(BudgetTotals::row_total(amounts)))
        );
    }
    let cells = totals
        .fiscal_years
        .iter()
        .map(|fy| thousands(totals.year_total(*fy)))
        .collect();
    outln!("{}", row("合計", cells, thousands(totals.grand_total())));
    Ok(())
}

fn pad_right(s: &str, width: usize) -> String {
    format!("{s}{}", " ".repeat(width.saturating_sub(s.width())))
}

fn pad_left(s: &str, width: usize) -> String {
    format!("{}{s}", " ".repeat(width.saturating_sub(s.width())))
}
