//! Budget totals per policy and fiscal year (the table every DX plan prints, e.g. Onojo §2.4).
//! Every sum is checked: amounts are bounded per cell (`parse::value::MAX_THOUSAND_YEN`), but a
//! total that would not fit is an error, never a wrapped (negative) number.

use std::collections::{BTreeMap, HashMap};

use thiserror::Error;

use crate::model::{FiscalYear, Plan};

#[derive(Debug, Clone, PartialEq, Eq, Error)]
#[error(
    "事業費の合計が大きすぎて計算できません（{what}） / budget total too large to compute ({what})"
)]
/// A total too large to hold.
pub struct TotalOverflow {
    /// Which total.
    pub what: String,
}

/// Sum of amounts in 千円, None when it does not fit in `i64`.
pub fn checked_sum(amounts: impl IntoIterator<Item = i64>) -> Option<i64> {
    amounts.into_iter().try_fold(0i64, i64::checked_add)
}

/// `checked_sum`, saturated for a display that must show something (never wraps negative).
fn saturating_sum(amounts: impl IntoIterator<Item = i64>) -> i64 {
    amounts.into_iter().fold(0i64, i64::saturating_add)
}

/// 事業費 per policy and year.
#[derive(Debug, Clone, PartialEq)]
pub struct BudgetTotals {
    /// The fiscal years, in order.
    pub fiscal_years: Vec<FiscalYear>,
    /// (policy id, policy title, amount per fiscal year in 千円), in plan order.
    pub rows: Vec<(String, String, BTreeMap<FiscalYear, i64>)>,
}

impl BudgetTotals {
    pub(crate) fn checked_row_total(amounts: &BTreeMap<FiscalYear, i64>) -> Option<i64> {
        checked_sum(amounts.values().copied())
    }

    pub(crate) fn checked_year_total(&self, fy: FiscalYear) -> Option<i64> {
        checked_sum(self.rows.iter().filter_map(|(_, _, a)| a.get(&fy).copied()))
    }

    pub(crate) fn checked_grand_total(&self) -> Option<i64> {
        self.rows
            .iter()
            .map(|(_, _, a)| Self::checked_row_total(a))
            .try_fold(0i64, |acc, r| acc.checked_add(r?))
    }

    /// Every total of the table, checked: what a report prints.
    pub fn check(&self) -> Result<(), TotalOverflow> {
        let bad = |what: String| TotalOverflow { what };
        for (_, title, a) in &self.rows {
            Self::checked_row_total(a).ok_or_else(|| bad(title.clone()))?;
        }
        for fy in &self.fiscal_years {
            self.checked_year_total(*fy)
                .ok_or_else(|| bad(format!("{fy}年度")))?;
        }
        self.checked_grand_total()
            .ok_or_else(|| bad("合計 / grand total".into()))?;
        Ok(())
    }

    /// Saturating (never negative from overflow); `checked_row_total` says whether it is exact.
    pub fn row_total(amounts: &BTreeMap<FiscalYear, i64>) -> i64 {
        saturating_sum(amounts.values().copied())
    }

    /// Saturating; see `checked_year_total`.
    pub fn year_total(&self, fy: FiscalYear) -> i64 {
        saturating_sum(self.rows.iter().filter_map(|(_, _, a)| a.get(&fy).copied()))
    }

    /// Saturating; see `checked_grand_total`.
    pub fn grand_total(&self) -> i64 {
        saturating_sum(self.rows.iter().map(|(_, _, a)| Self::row_total(a)))
    }
}

/// Sums planned budget per policy of each project's primary measure. 「－」 counts as nothing.
/// A cell of the table that would overflow is an error.
pub fn try_budget_by_policy(plan: &Plan) -> Result<BudgetTotals, TotalOverflow> {
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
                let (_, title, amounts) = &mut rows[*row];
                let cell = amounts.entry(b.fiscal_year).or_insert(0);
                *cell = cell.checked_add(v).ok_or_else(|| TotalOverflow {
                    what: format!("{title} {}年度", b.fiscal_year),
                })?;
            }
        }
    }
    let totals = BudgetTotals { fiscal_years, rows };
    totals.check()?;
    Ok(totals)
}

/// `try_budget_by_policy` for a view that must show a table: a sum that would overflow is
/// saturated (shown as the largest amount), never wrapped to a negative one.
pub fn budget_by_policy(plan: &Plan) -> BudgetTotals {
    try_budget_by_policy(plan).unwrap_or_else(|_| {
        let mut plan_sat = BudgetTotals {
            fiscal_years: plan.info.fiscal_years(),
            rows: Vec::new(),
        };
        let policy_of: HashMap<&str, &str> = plan
            .measures
            .iter()
            .map(|m| (m.id.as_str(), m.policy_id.as_str()))
            .collect();
        for pol in &plan.policies {
            let mut amounts: BTreeMap<FiscalYear, i64> =
                plan_sat.fiscal_years.iter().map(|&fy| (fy, 0)).collect();
            for p in plan.projects.iter().filter(|p| {
                p.measure_ids
                    .first()
                    .and_then(|m| policy_of.get(m.as_str()))
                    == Some(&pol.id.as_str())
            }) {
                for b in &p.budget {
                    if let Some(v) = b.planned_thousand_yen {
                        let cell = amounts.entry(b.fiscal_year).or_insert(0);
                        *cell = cell.saturating_add(v);
                    }
                }
            }
            plan_sat
                .rows
                .push((pol.id.clone(), pol.title.clone(), amounts));
        }
        plan_sat
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sums_are_checked_not_wrapped() {
        assert_eq!(checked_sum([1, 2, 3]), Some(6));
        assert_eq!(
            checked_sum(std::iter::repeat_n(9_000_000_000_000_000, 1100)),
            None
        );
        assert_eq!(
            saturating_sum(std::iter::repeat_n(9_000_000_000_000_000, 1100)),
            i64::MAX
        );
        let t = BudgetTotals {
            fiscal_years: vec![2025],
            rows: vec![
                ("a".into(), "A".into(), BTreeMap::from([(2025, i64::MAX)])),
                ("b".into(), "B".into(), BTreeMap::from([(2025, 1)])),
            ],
        };
        assert!(t.check().is_err());
        assert_eq!(t.checked_year_total(2025), None);
        assert_eq!(t.year_total(2025), i64::MAX);
        assert!(t.grand_total() > 0);
    }
}
