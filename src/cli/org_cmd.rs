//! `dxplan reorg` and `dxplan roster`.

use std::process::ExitCode;

use super::{CliError, Command};
use crate::org::reorg::{self, Assignments, ReorgReport, ReorgStep};
use crate::org::{roster, OrgError};
use crate::store::Store;

fn print_json<T: serde::Serialize>(v: &T) -> Result<(), CliError> {
    serde_json::to_writer_pretty(std::io::stdout().lock(), v)?;
    outln!();
    Ok(())
}

fn need_fy(
    fy: Option<crate::model::FiscalYear>,
    what: &str,
) -> Result<crate::model::FiscalYear, CliError> {
    fy.ok_or_else(|| {
        OrgError::Bad {
            at: what.to_string(),
            message: "--fy 年度 を指定してください（例：--fy 2025、--fy R7） / give the fiscal year with --fy".into(),
        }
        .into()
    })
}

pub fn run(cmd: Command) -> Result<ExitCode, CliError> {
    match cmd {
        Command::Reorg {
            plan,
            table,
            fy,
            rename,
            merge,
            split,
            new_unit,
            abolish,
            assign,
            dry_run,
            json,
        } => {
            // New units first (a split or abolition may assign to them), then in kind order.
            let mut steps: Vec<ReorgStep> = Vec::new();
            if let Some(t) = &table {
                steps.extend(reorg::steps_from_table(t)?);
            }
            for a in &new_unit {
                steps.push(reorg::new_arg(a)?);
            }
            for a in &rename {
                steps.push(reorg::rename_arg(a)?);
            }
            for a in &merge {
                steps.push(reorg::merge_arg(a)?);
            }
            for a in &split {
                steps.push(reorg::split_arg(a)?);
            }
            for a in &abolish {
                steps.push(reorg::abolish_arg(a)?);
            }
            // Listing reads; only steps write (and migrate).
            let mut store = if steps.is_empty() {
                Store::open_read_only(&plan)?
            } else {
                Store::open(&plan)?
            };
            if steps.is_empty() {
                let records = store.reorgs()?;
                if json {
                    print_json(&records)?;
                } else if records.is_empty() {
                    outln!("組織改正の記録はありません / no reorganisation recorded");
                } else {
                    for r in &records {
                        outln!(
                            "{}年度 {}: {} → {}",
                            r.fy,
                            r.kind.label(),
                            dash(&r.from),
                            dash(&r.to)
                        );
                    }
                }
                return Ok(ExitCode::SUCCESS);
            }
            let fy = need_fy(fy, "dxplan reorg")?;
            let assign = assign.as_deref().map(Assignments::read).transpose()?;
            let report = reorg::apply(&mut store, fy, &steps, assign.as_ref(), dry_run)?;
            if json {
                print_json(&report)?;
            } else {
                print_reorg(&report)?;
            }
        }
        Command::Roster {
            plan,
            table,
            fy,
            set,
            json,
        } => {
            let mut inputs = Vec::new();
            if let Some(t) = &table {
                inputs.extend(roster::from_table(t)?);
            }
            for a in &set {
                inputs.push(roster::set_arg(a)?);
            }
            let mut store = if inputs.is_empty() {
                Store::open_read_only(&plan)?
            } else {
                Store::open(&plan)?
            };
            if !inputs.is_empty() {
                let fy = need_fy(fy, "dxplan roster")?;
                let source = table
                    .as_ref()
                    .map_or_else(|| "roster --set".to_string(), |t| t.display().to_string());
                let changes = roster::set(&mut store, fy, &inputs, &source)?;
                if json {
                    print_json(&changes)?;
                } else {
                    for c in &changes {
                        outln!(
                            "{fy}年度 {}: {}{}",
                            c.unit,
                            people(&c.people),
                            if c.changed {
                                ""
                            } else {
                                "（変更なし / unchanged）"
                            }
                        );
                    }
                }
                return Ok(ExitCode::SUCCESS);
            }
            let entries = store.roster(fy)?;
            if json {
                print_json(&entries)?;
            } else {
                let units = store.load_plan_of_units(&[])?.org_units;
                for e in &entries {
                    let name = units
                        .iter()
                        .find(|u| u.id == e.unit_id)
                        .map_or(e.unit_id.as_str(), |u| u.name.as_str());
                    outln!("{}年度 {name}: {}", e.fiscal_year, people(&e.people));
                }
                outln!("{} 件 / {} unit-year(s)", entries.len(), entries.len());
            }
        }
        _ => {}
    }
    Ok(ExitCode::SUCCESS)
}

fn dash(names: &[String]) -> String {
    if names.is_empty() {
        "－".into()
    } else {
        names.join("、")
    }
}

fn people(p: &[crate::model::Promoter]) -> String {
    if p.is_empty() {
        return "（なし / none）".into();
    }
    p.iter()
        .map(|x| {
            if x.contact.is_empty() {
                x.name.clone()
            } else {
                format!("{} <{}>", x.name, x.contact)
            }
        })
        .collect::<Vec<_>>()
        .join("; ")
}

fn print_reorg(r: &ReorgReport) -> Result<(), CliError> {
    outln!(
        "{}年度 組織改正{} / reorganisation from FY{}",
        r.fiscal_year,
        if r.dry_run {
            "（試行・未保存）"
        } else {
            ""
        },
        r.fiscal_year
    );
    for s in &r.steps {
        outln!(
            "  {}: {} → {}{}",
            s.step.kind.label(),
            dash(&s.step.from),
            dash(&s.step.to),
            if s.already_applied {
                "（適用済み / already applied）"
            } else {
                ""
            }
        );
    }
    if !r.changed() {
        outln!("変更はありません（すべて適用済み） / nothing to do: already applied");
        return Ok(());
    }
    if !r.opened.is_empty() {
        outln!(
            "新しい組織 / opened from FY{}: {}",
            r.fiscal_year,
            r.opened.join("、")
        );
    }
    if !r.closed.is_empty() {
        outln!(
            "{}年度末までの組織 / closed after FY{}: {}",
            r.fiscal_year - 1,
            r.fiscal_year - 1,
            r.closed.join("、")
        );
    }
    for (c, p) in &r.reparented {
        outln!("所属の変更 / parent: {c} → {p}");
    }
    outln!("担当課の変更 / owners moved: {} 件", r.moved.len());
    for m in &r.moved {
        outln!(
            "  {} {}: {} → {}",
            m.code,
            m.title,
            m.from.join("、"),
            m.to.join("、")
        );
    }
    for u in &r.unused_assignments {
        outln!("使われなかった割当 / unused assignment: {u}");
    }
    Ok(())
}
