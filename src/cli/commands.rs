use std::io::Write;
use std::path::Path;
use std::process::ExitCode;

use super::{CliError, Command};
use crate::model::{new_id, Plan, PlanInfo};
use crate::parse::fiscal_year::{format_wareki_short, parse_fiscal_year_range};
use crate::report::{dump::dump, lints::check, totals::budget_by_policy};
use crate::store::{OpInfo, OpKind, Store};

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
            let (first_fy, last_fy) = parse_fiscal_year_range(&years)?;
            let info = PlanInfo {
                id: new_id(),
                title,
                city,
                version,
                first_fy,
                last_fy,
                vision: String::new(),
            };
            Store::create(&plan, &info)?;
            println!(
                "作成しました / created: {} ({first_fy}–{last_fy})",
                plan.display()
            );
        }
        Command::Dump { plan, compact } => {
            let d = dump(&Store::open(&plan)?.load_plan()?);
            let mut out = std::io::stdout().lock();
            if compact {
                serde_json::to_writer(&mut out, &d)?;
            } else {
                serde_json::to_writer_pretty(&mut out, &d)?;
            }
            writeln!(out)?;
        }
        Command::Check { plan, json } => {
            let lints = check(&Store::open(&plan)?.load_plan()?);
            if json {
                println!("{}", serde_json::to_string_pretty(&lints)?);
            } else {
                for l in &lints {
                    println!("{} {}: {}", l.project_code, l.project_title, l.message);
                }
                println!("{} 件の指摘 / {} finding(s)", lints.len(), lints.len());
            }
            if !lints.is_empty() {
                return Ok(ExitCode::from(1));
            }
        }
        Command::Sample { plan } => {
            let sample = crate::sample::onojo()?;
            let mut store = Store::create(&plan, &sample.info)?;
            store.write(
                OpInfo::new(OpKind::Sample).source("assets/sample/onojo.toml"),
                |w| w.put_contents(&sample),
            )?;
            print_summary(&sample);
        }
        Command::Summary { plan } => print_summary(&Store::open(&plan)?.load_plan()?),
        Command::History {
            plan,
            project,
            json,
        } => {
            let entries = Store::open(&plan)?.history(project.as_deref())?;
            if json {
                println!("{}", serde_json::to_string_pretty(&entries)?);
            } else {
                for e in &entries {
                    let show = |v: &Option<serde_json::Value>| {
                        v.as_ref().map_or("（なし）".to_string(), |v| v.to_string())
                    };
                    println!(
                        "{} [{}{}{}] {} {}: {} → {}",
                        e.at,
                        e.kind,
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
        cmd @ (Command::Merge { .. }
        | Command::Conflicts { .. }
        | Command::Resolve { .. }
        | Command::UndoMerge { .. }
        | Command::Submissions { .. }) => return super::merge_cmd::run(cmd),
        Command::Import {
            plan,
            files,
            dry_run,
            json,
        } => {
            // A workbook dxplan exported can become a new plan file (same plan, same ids).
            if !plan.exists() && !dry_run {
                if let Some(info) = files
                    .first()
                    .map(|f| crate::import::exported_plan_info(f))
                    .transpose()?
                    .flatten()
                {
                    Store::create(&plan, &info)?;
                }
            }
            let mut store = Store::open(&plan)?;
            let report = crate::import::import_files(
                &mut store,
                &files,
                crate::import::ImportOptions { dry_run },
            )?;
            if json {
                serde_json::to_writer_pretty(std::io::stdout().lock(), &report)?;
                println!();
            } else {
                println!("{report}");
            }
        }
        Command::Export {
            plan,
            department,
            deadline,
            output,
        } => super::export_cmd::run(&plan, department.as_deref(), deadline, &output)?,
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
            println!(
                "作成しました / created: {} ({projects} 事業)",
                plan.display()
            );
        }
    }
    Ok(ExitCode::SUCCESS)
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

fn thousands(n: i64) -> String {
    let s = n.unsigned_abs().to_string();
    let mut out = String::new();
    for (i, c) in s.chars().enumerate() {
        if i > 0 && (s.len() - i) % 3 == 0 {
            out.push(',');
        }
        out.push(c);
    }
    if n < 0 {
        format!("-{out}")
    } else {
        out
    }
}

fn print_summary(plan: &Plan) {
    let tasks: usize = plan.projects.iter().map(|p| p.schedule.len()).sum();
    let indicators: usize = plan.projects.iter().map(|p| p.indicators.len()).sum();
    println!(
        "{}（{}）{}",
        plan.info.title, plan.info.city, plan.info.version
    );
    println!(
        "計画期間 / period: {}年度（{}）〜{}年度（{}）",
        plan.info.first_fy,
        format_wareki_short(plan.info.first_fy),
        plan.info.last_fy,
        format_wareki_short(plan.info.last_fy)
    );
    println!(
        "基本方針 {} / 施策 {} / 事業 {} / 指標 {} / 工程 {} / 組織 {}",
        plan.policies.len(),
        plan.measures.len(),
        plan.projects.len(),
        indicators,
        tasks,
        plan.org_units.len()
    );
    let totals = budget_by_policy(plan);
    println!("事業費（千円） / budget (thousand yen)");
    let header: Vec<String> = totals
        .fiscal_years
        .iter()
        .map(|fy| format!("{fy}年度"))
        .collect();
    println!(
        "  {:<24} {} {:>12}",
        "基本方針",
        header
            .iter()
            .map(|h| format!("{h:>12}"))
            .collect::<String>(),
        "合計"
    );
    for (_, title, amounts) in &totals.rows {
        let cells: String = totals
            .fiscal_years
            .iter()
            .map(|fy| format!("{:>14}", thousands(amounts[fy])))
            .collect();
        println!(
            "  {:<24} {cells} {:>14}",
            title.chars().take(12).collect::<String>(),
            thousands(super::super::report::totals::BudgetTotals::row_total(
                amounts
            ))
        );
    }
    let cells: String = totals
        .fiscal_years
        .iter()
        .map(|fy| format!("{:>14}", thousands(totals.year_total(*fy))))
        .collect();
    println!(
        "  {:<24} {cells} {:>14}",
        "合計",
        thousands(totals.grand_total())
    );
}
