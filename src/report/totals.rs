//! Budget totals per policy and fiscal year (the table every DX plan prints, e.g. Onojo §2.4).

use std::collections::{BTreeMap, HashMap};

use crate::model::{FiscalYear, Plan};

#[derive(Debug, Clone, PartialEq)]
pub struct BudgetTotals {
    pub fiscal_years: Vec<FiscalYear>,
    /// (policy id, policy title, amount per fiscal year in 千円), in plan order.
    pub rows: Vec<(String, String, BTreeMap<FiscalYear, i64>)>,
}

impl BudgetTotals {
    pub fn row_total(amounts: &BTreeMap<FiscalYear, i64>) -> i64 {
        amounts.values().sum()
    }

    pub fn year_total(&self, fy: FiscalYear) -> i64 {
        self.rows.iter().filter_map(|(_, _, a)| a.get(&fy)).sum()
    }

    pub fn grand_total(&self) -> i64 {
        self.rows.iter().map(|(_, _, a)| Self::row_total(a)).sum()
    }
}

/// Sums planned budget per policy of each project's primary measure. 「－」 counts as nothing.
pub fn budget_by_policy(plan: &Plan) -> BudgetTotals {
    let policy_of: HashMap<&str, &str> = plan
        .measures
        .iter()
        .map(|m| (m.id.as_str(), m.policy_id.as_str()))
        .collect();
    let fiscal_years = plan.info.fiscal_years();
    let mut rows: Vec<(String, String, BTreeMap<FiscalYear, i64>)> = plan
        .policies
        .iter()
        .map(|p| {
            (
                p.id.clone(),
                p.title.clone(),
                fiscal_years.iter().map(|&fy| (fy, 0)).collect(),
            )
        })
        .collect();
    let row_of: HashMap<String, usize> = rows
        .iter()
        .enumerate()
        .map(|(i, r)| (r.0.clone(), i))
        .collect();
    for p in &plan.projects {
        let Some(row) = p
            .measure_ids
            .first()
            .and_then(|m| policy_of.get(m.as_str()))
            .and_then(|pid| row_of.get(*pid))
        else {
            continue;
        };
        for b in &p.budget {
            if let Some(v) = b.planned_thousand_yen {
                *rows[*row].2.entry(b.fiscal_year).or_insert(0) += v;
            }
        }
    }
    BudgetTotals { fiscal_years, rows }
}
