//! `dxplan rollup PLAN [--indicator ID (--sum ID,ID,… | --clear)] [--json]`.

use std::process::ExitCode;

use serde::Serialize;

use super::{CliError, Command};
use crate::model::{common_unit, Indicator, IndicatorValue, Plan, Project};
use crate::store::{OpInfo, OpKind, Store};

/// A roll-up as listed: where it sits, its components, the sums and what was typed.
#[derive(Debug, Serialize)]
struct Listed {
    indicator_id: String,
    project_code: String,
    project_title: String,
    name: String,
    sum_of: Vec<Component>,
    computed: Vec<IndicatorValue>,
    typed: Vec<IndicatorValue>,
}

#[derive(Debug, Serialize)]
struct Component {
    indicator_id: String,
    project_code: String,
    name: String,
    unit: Option<String>,
}

fn find<'a>(plan: &'a Plan, id: &str) -> Option<(&'a Project, &'a Indicator)> {
    plan.projects
        .iter()
        .find_map(|p| p.indicators.iter().find(|i| i.id == id).map(|i| (p, i)))
}

fn listed(plan: &Plan) -> Vec<Listed> {
    let codes = crate::report::dump::project_codes(plan);
    let code = |p: &Project| codes.get(p.id.as_str()).cloned().unwrap_or_default();
    plan.rollups
        .iter()
        .filter_map(|r| {
            let (p, i) = find(plan, &r.indicator_id)?;
            Some(Listed {
                indicator_id: i.id.clone(),
                project_code: code(p),
                project_title: p.title.clone(),
                name: i.name.clone(),
                sum_of: r
                    .sum_of
                    .iter()
                    .map(|c| match find(plan, c) {
                        Some((cp, ci)) => Component {
                            indicator_id: c.clone(),
                            project_code: code(cp),
                            name: ci.name.clone(),
                            unit: ci.unit.clone().or_else(|| common_unit(&ci.values)),
                        },
                        None => Component {
                            indicator_id: c.clone(),
                            project_code: String::new(),
                            name: "（計画にない指標 / not in the plan）".into(),
                            unit: None,
                        },
                    })
                    .collect(),
                computed: r.computed.clone(),
                typed: i.values.clone(),
            })
        })
        .collect()
}

fn text(v: &Option<crate::model::Value>) -> &str {
    v.as_ref().map_or("－", |v| v.text.as_str())
}

fn print(l: &Listed) -> Result<(), CliError> {
    outln!(
        "{} 集計指標「{}」（{}） = {}",
        l.project_code,
        l.name,
        l.project_title,
        l.sum_of
            .iter()
            .map(|c| format!("{}「{}」", c.project_code, c.name))
            .collect::<Vec<_>>()
            .join(" + ")
    );
    for c in &l.computed {
        let typed = l.typed.iter().find(|t| t.fiscal_year == c.fiscal_year);
        outln!(
            "  {}年度 目標 {}（入力値 {}） 実績 {}（入力値 {}）",
            c.fiscal_year,
            text(&c.target),
            typed.map_or("－", |t| text(&t.target)),
            text(&c.actual),
            typed.map_or("－", |t| text(&t.actual)),
        );
    }
    Ok(())
}

pub fn run(cmd: Command) -> Result<ExitCode, CliError> {
    let Command::Rollup {
        plan,
        indicator,
        sum,
        clear,
        json,
    } = cmd
    else {
        return Ok(ExitCode::SUCCESS);
    };
    let mut store = if indicator.is_some() {
        Store::open(&plan)?
    } else {
        Store::open_read_only(&plan)?
    };
    if let Some(id) = indicator {
        if sum.is_empty() && !clear {
            return Err(crate::org::OrgError::Bad {
                at: format!("--indicator {id}"),
                message: "--sum ID,ID,… か --clear を指定してください / give --sum or --clear"
                    .into(),
            }
            .into());
        }
        let components: Vec<String> = sum
            .iter()
            .map(|s| s.trim().to_string())
            .filter(|s| !s.is_empty())
            .collect();
        let mut op = OpInfo::new(OpKind::Rollup).source("rollup");
        op.summary = format!("集計指標 {id}");
        store.write(op, |w| w.set_rollup(&id, &components))?;
        let loaded = store.load_plan()?;
        let shown: Vec<Listed> = listed(&loaded)
            .into_iter()
            .filter(|l| l.indicator_id == id)
            .collect();
        if json {
            serde_json::to_writer_pretty(std::io::stdout().lock(), &shown)?;
            outln!();
        } else if shown.is_empty() {
            outln!("集計の定義を外しました / roll-up removed: {id}");
        } else {
            for l in &shown {
                print(l)?;
                let units: Vec<&str> = l.sum_of.iter().filter_map(|c| c.unit.as_deref()).collect();
                if units.iter().any(|u| *u != units[0]) {
                    outln!(
                        "  注意: 構成指標の単位が一致しません（{}）。dxplan check で確認してください / components in different units",
                        units.join("、")
                    );
                }
            }
        }
        return Ok(ExitCode::SUCCESS);
    }
    let loaded = store.load_plan()?;
    let all = listed(&loaded);
    if json {
        serde_json::to_writer_pretty(std::io::stdout().lock(), &all)?;
        outln!();
    } else {
        for l in &all {
            print(l)?;
        }
        outln!("集計指標 {} 件 / {} roll-up(s)", all.len(), all.len());
    }
    Ok(ExitCode::SUCCESS)
}
