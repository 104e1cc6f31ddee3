//! `check` on roll-up indicators: a typed value that disagrees with the sum of the components,
//! links that form a cycle, units that differ, components that are gone.

use std::collections::{HashMap, HashSet};

use super::finding::{Lint, LintKind};
use crate::model::fields::FieldPath;
use crate::model::rollup::in_cycle;
use crate::model::*;

/// The unit an indicator is in: the stated one, else the one most of its values carry.
fn unit_of(i: &Indicator) -> Option<String> {
    i.unit.clone().or_else(|| common_unit(&i.values))
}

pub fn check(plan: &Plan, codes: &HashMap<&str, String>, out: &mut Vec<Lint>) {
    if plan.rollups.is_empty() {
        return;
    }
    let home: HashMap<&str, (&Project, &Indicator)> = plan
        .projects
        .iter()
        .flat_map(|p| p.indicators.iter().map(move |i| (i.id.as_str(), (p, i))))
        .collect();
    let links: Vec<(Id, Vec<Id>)> = plan
        .rollups
        .iter()
        .map(|r| (r.indicator_id.clone(), r.sum_of.clone()))
        .collect();
    let cyclic: HashSet<Id> = in_cycle(&links);
    let name = |id: &str| {
        home.get(id)
            .map_or_else(|| id.to_string(), |(_, i)| format!("「{}」", i.name))
    };
    for r in &plan.rollups {
        let Some(&(p, ind)) = home.get(r.indicator_id.as_str()) else {
            continue;
        };
        let mut push = |kind: LintKind, message: String| {
            out.push(Lint {
                project_id: p.id.clone(),
                project_code: codes.get(p.id.as_str()).cloned().unwrap_or_default(),
                project_title: p.title.clone(),
                kind,
                message,
                field: FieldPath::Indicator(&ind.id).to_string(),
            })
        };
        for c in r.sum_of.iter().filter(|c| !home.contains_key(c.as_str())) {
            push(
                LintKind::RollupMissingComponent,
                format!(
                    "集計指標「{}」の構成指標 {c} が計画にありません / component indicator {c} of roll-up is not in the plan",
                    ind.name
                ),
            );
        }
        if cyclic.contains(&r.indicator_id) {
            push(
                LintKind::RollupCycle,
                format!(
                    "集計指標「{}」の合計が循環しています（構成指標 {} をたどるとこの指標に戻ります） / roll-up links form a cycle",
                    ind.name,
                    r.sum_of.iter().map(|c| name(c)).collect::<Vec<_>>().join("・")
                ),
            );
            continue;
        }
        let own = unit_of(ind);
        let parts: Vec<(String, Option<String>)> = r
            .sum_of
            .iter()
            .filter_map(|c| home.get(c.as_str()))
            .map(|(_, i)| (i.name.clone(), unit_of(i)))
            .collect();
        let mut units: Vec<(&str, &str)> = parts
            .iter()
            .filter_map(|(n, u)| u.as_deref().map(|u| (n.as_str(), u)))
            .collect();
        if let Some(u) = own.as_deref() {
            units.insert(0, (ind.name.as_str(), u));
        }
        if units.iter().any(|(_, u)| *u != units[0].1) {
            push(
                LintKind::RollupUnitMismatch,
                format!(
                    "集計指標「{}」と構成指標の単位が一致しません（{}） / roll-up and components in different units",
                    ind.name,
                    units
                        .iter()
                        .map(|(n, u)| format!("「{n}」{u}"))
                        .collect::<Vec<_>>()
                        .join("、")
                ),
            );
        }
        for v in &ind.values {
            let sum = r.computed.iter().find(|c| c.fiscal_year == v.fiscal_year);
            for (typed, computed, side) in [
                (&v.target, sum.and_then(|s| s.target.as_ref()), "目標"),
                (&v.actual, sum.and_then(|s| s.actual.as_ref()), "実績"),
            ] {
                let (Some(t), Some(c)) = (typed, computed) else {
                    continue;
                };
                let agrees = match (t.number, c.number) {
                    (Some(a), Some(b)) => (a - b).abs() < 1e-9 && t.unit == c.unit,
                    _ => false,
                };
                if !agrees {
                    push(
                        LintKind::RollupDisagrees,
                        format!(
                            "集計指標「{}」の {}年度 {side}「{}」が構成指標の合計「{}」と異なります / typed value differs from the sum of the components",
                            ind.name, v.fiscal_year, t.text, c.text
                        ),
                    );
                }
            }
        }
    }
}
