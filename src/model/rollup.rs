//! Roll-up indicators: an indicator defined as the sum of others. A program's KPI is often the
//! sum of its component projects' KPIs (Fukuyama 1-②: 17,800人 = 配食 8,000 + 緊急通報 4,600 +
//! ふれあい収集 1,200 + 情報発信 4,000, every year); the link is stored, the values are computed
//! whenever the plan is read, and `check` compares them with what was typed.

use std::collections::{BTreeSet, HashMap, HashSet};

use serde::{Deserialize, Serialize};

use super::{FiscalYear, Id, IndicatorValue, Value};

/// A roll-up indicator: the sum of others.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Rollup {
    /// The indicator that holds the sum.
    pub indicator_id: Id,
    /// The components, in order.
    pub sum_of: Vec<Id>,
    /// The sums per fiscal year, computed when the plan is read (never stored). A year's target
    /// or actual is absent where a component has no number there, the components' units or
    /// qualifiers differ, or the links form a cycle.
    #[serde(default)]
    pub computed: Vec<IndicatorValue>,
}

/// Indicators that sit on a cycle of roll-up links (directly or through other roll-ups).
pub fn in_cycle(links: &[(Id, Vec<Id>)]) -> HashSet<Id> {
    let graph: HashMap<&str, &[Id]> = links
        .iter()
        .map(|(i, c)| (i.as_str(), c.as_slice()))
        .collect();
    let mut out = HashSet::new();
    for (start, _) in links {
        // Depth-first from each roll-up: a cycle through `start` comes back to it.
        let mut stack: Vec<&str> = graph
            .get(start.as_str())
            .into_iter()
            .flat_map(|c| c.iter().map(String::as_str))
            .collect();
        let mut seen: HashSet<&str> = HashSet::new();
        while let Some(n) = stack.pop() {
            if n == start {
                out.insert(start.clone());
                break;
            }
            if seen.insert(n) {
                stack.extend(
                    graph
                        .get(n)
                        .into_iter()
                        .flat_map(|c| c.iter().map(String::as_str)),
                );
            }
        }
    }
    out
}

/// Computes every roll-up from its components' values (`typed`: indicator id → its values as
/// stored). A component that is itself a roll-up contributes its computed values.
pub fn compute(links: &[(Id, Vec<Id>)], typed: &HashMap<Id, Vec<IndicatorValue>>) -> Vec<Rollup> {
    let cyclic = in_cycle(links);
    let graph: HashMap<&str, &[Id]> = links
        .iter()
        .map(|(i, c)| (i.as_str(), c.as_slice()))
        .collect();
    let mut done: HashMap<Id, Vec<IndicatorValue>> = HashMap::new();
    fn values_of(
        id: &str,
        graph: &HashMap<&str, &[Id]>,
        cyclic: &HashSet<Id>,
        typed: &HashMap<Id, Vec<IndicatorValue>>,
        done: &mut HashMap<Id, Vec<IndicatorValue>>,
    ) -> Vec<IndicatorValue> {
        let Some(parts) = graph.get(id) else {
            return typed.get(id).cloned().unwrap_or_default();
        };
        if cyclic.contains(id) {
            return Vec::new();
        }
        if let Some(v) = done.get(id) {
            return v.clone();
        }
        let series: Vec<Vec<IndicatorValue>> = parts
            .iter()
            .map(|p| values_of(p, graph, cyclic, typed, done))
            .collect();
        let v = sum_series(&series);
        done.insert(id.to_string(), v.clone());
        v
    }
    links
        .iter()
        .map(|(id, parts)| Rollup {
            indicator_id: id.clone(),
            sum_of: parts.clone(),
            computed: values_of(id, &graph, &cyclic, typed, &mut done),
        })
        .collect()
}

/// The sum of several series, year by year and side by side.
pub fn sum_series(series: &[Vec<IndicatorValue>]) -> Vec<IndicatorValue> {
    let years: BTreeSet<FiscalYear> = series
        .iter()
        .flat_map(|s| s.iter().map(|v| v.fiscal_year))
        .collect();
    fn at(s: &[IndicatorValue], fy: FiscalYear, actual: bool) -> Option<&Value> {
        s.iter().find(|v| v.fiscal_year == fy).and_then(|v| {
            if actual {
                v.actual.as_ref()
            } else {
                v.target.as_ref()
            }
        })
    }
    years
        .into_iter()
        .filter_map(|fy| {
            let target = sum_values(&series.iter().map(|s| at(s, fy, false)).collect::<Vec<_>>());
            let actual = sum_values(&series.iter().map(|s| at(s, fy, true)).collect::<Vec<_>>());
            (target.is_some() || actual.is_some()).then_some(IndicatorValue {
                fiscal_year: fy,
                target,
                actual,
            })
        })
        .collect()
}

/// The sum of values written as numbers in one unit (「8,000人」 + 「4,600人」 → 「12,600人」),
/// or None when one is missing, is not a number, or carries another unit or a qualifier
/// (「30%減」 does not add up).
pub fn sum_values(parts: &[Option<&Value>]) -> Option<Value> {
    let first = (*parts.first()?)?;
    let mut number = 0.0;
    let mut denominator = Some(0.0);
    let mut decimals = 0;
    for p in parts {
        let v = (*p)?;
        let n = v.number?;
        if v.unit != first.unit || v.qualifier.is_some() {
            return None;
        }
        number += n;
        denominator = denominator.zip(v.denominator).map(|(a, b)| a + b);
        decimals = decimals.max(decimals_of(n));
    }
    let unit = first.unit.clone().unwrap_or_default();
    let text = match denominator {
        Some(d) => format!(
            "{}{unit}／{}{unit}",
            format_number(number, decimals),
            format_number(d, 0)
        ),
        None => format!("{}{unit}", format_number(number, decimals)),
    };
    crate::parse::value::parse_value(&text)
}

/// Digits after the point of a number as it is shortest written (at most 6).
fn decimals_of(n: f64) -> usize {
    let s = format!("{n}");
    s.split_once('.').map_or(0, |(_, f)| f.len().min(6))
}

/// 「17,800」, 「72.5」: thousands separated, as the plans write them.
pub fn format_number(n: f64, decimals: usize) -> String {
    let s = format!("{:.*}", decimals, n.abs());
    let (int, frac) = match s.split_once('.') {
        Some((i, f)) => (i.to_string(), Some(f.to_string())),
        None => (s.clone(), None),
    };
    let mut out = String::new();
    for (i, c) in int.chars().enumerate() {
        if i > 0 && (int.len() - i) % 3 == 0 {
            out.push(',');
        }
        out.push(c);
    }
    if let Some(f) = frac {
        out.push('.');
        out.push_str(&f);
    }
    if n < 0.0 && out.chars().any(|c| c != '0' && c != ',' && c != '.') {
        out.insert(0, '-');
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::parse::value::parse_value;

    fn series(values: &[(FiscalYear, &str)]) -> Vec<IndicatorValue> {
        values
            .iter()
            .map(|(fy, t)| IndicatorValue {
                fiscal_year: *fy,
                target: parse_value(t),
                actual: None,
            })
            .collect()
    }

    #[test]
    fn fukuyama_program_kpi_is_the_sum_of_its_components() {
        let parts = [
            series(&[(2025, "8,000人"), (2026, "8,000人")]),
            series(&[(2025, "4,600人"), (2026, "4,600人")]),
            series(&[(2025, "1,200人"), (2026, "1,200人")]),
            series(&[(2025, "4,000人"), (2026, "4,000人")]),
        ];
        let sum = sum_series(&parts);
        assert_eq!(sum.len(), 2);
        let t = sum[0].target.as_ref().unwrap();
        assert_eq!(t.text, "17,800人");
        assert_eq!(t.number, Some(17_800.0));
        assert_eq!(t.unit.as_deref(), Some("人"));
        assert!(sum[0].actual.is_none());
    }

    #[test]
    fn missing_parts_other_units_and_qualifiers_do_not_add_up() {
        let a = parse_value("10件");
        let b = parse_value("5人");
        let c = parse_value("30%減");
        assert_eq!(sum_values(&[a.as_ref(), None]), None);
        assert_eq!(sum_values(&[a.as_ref(), b.as_ref()]), None);
        assert_eq!(sum_values(&[c.as_ref(), c.as_ref()]), None);
        let d = parse_value("試行実施");
        assert_eq!(sum_values(&[d.as_ref(), a.as_ref()]), None);
        let x = parse_value("0.25%");
        let y = parse_value("1.5%");
        assert_eq!(sum_values(&[x.as_ref(), y.as_ref()]).unwrap().text, "1.75%");
        let p = parse_value("150手続／800手続");
        let q = parse_value("20手続／100手続");
        let s = sum_values(&[p.as_ref(), q.as_ref()]).unwrap();
        assert_eq!((s.number, s.denominator), (Some(170.0), Some(900.0)));
    }

    #[test]
    fn roll_ups_of_roll_ups_and_cycles() {
        let typed: HashMap<Id, Vec<IndicatorValue>> = [
            ("a".to_string(), series(&[(2025, "1件")])),
            ("b".to_string(), series(&[(2025, "2件")])),
            ("c".to_string(), series(&[(2025, "4件")])),
        ]
        .into_iter()
        .collect();
        let links = vec![
            ("ab".to_string(), vec!["a".to_string(), "b".to_string()]),
            ("abc".to_string(), vec!["ab".to_string(), "c".to_string()]),
            ("x".to_string(), vec!["y".to_string()]),
            ("y".to_string(), vec!["x".to_string(), "a".to_string()]),
        ];
        let r = compute(&links, &typed);
        let text = |i: usize| {
            r[i].computed
                .first()
                .and_then(|v| v.target.clone())
                .map(|v| v.text)
        };
        assert_eq!(text(0).as_deref(), Some("3件"));
        assert_eq!(text(1).as_deref(), Some("7件"));
        assert!(r[2].computed.is_empty() && r[3].computed.is_empty());
        let cyc = in_cycle(&links);
        assert!(cyc.contains("x") && cyc.contains("y") && !cyc.contains("abc"));
    }

    #[test]
    fn numbers_are_written_as_plans_write_them() {
        assert_eq!(format_number(17_800.0, 0), "17,800");
        assert_eq!(format_number(1_234_567.5, 1), "1,234,567.5");
        assert_eq!(format_number(-1_000.0, 0), "-1,000");
        assert_eq!(format_number(999.0, 0), "999");
    }
}
