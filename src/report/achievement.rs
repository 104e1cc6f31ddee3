//! KPI achievement (達成率 = 実績 ÷ 目標), one rule for the master workbook and the app.

use crate::model::{FiscalYear, Indicator, Value};

/// A value that can be computed with: a plain number, no denominator (「150手続／800手続」) and
/// no qualifier (「30%減」, whose ratio would read backwards).
pub fn plain_number(v: &Value) -> Option<f64> {
    (v.denominator.is_none() && v.qualifier.is_none())
        .then_some(v.number)
        .flatten()
}

/// actual ÷ target (1.0 = achieved), when both are plain numbers in the same unit and the
/// target is not 0.
pub fn achievement(target: &Value, actual: &Value) -> Option<f64> {
    let (t, a) = (plain_number(target)?, plain_number(actual)?);
    if t == 0.0 || (target.unit.is_some() && actual.unit.is_some() && target.unit != actual.unit) {
        return None;
    }
    Some(a / t)
}

/// The 達成率 of an indicator in one fiscal year (`achievement` of that year's target and actual).
pub fn achievement_in(indicator: &Indicator, fy: FiscalYear) -> Option<f64> {
    let v = indicator.values.iter().find(|v| v.fiscal_year == fy)?;
    achievement(v.target.as_ref()?, v.actual.as_ref()?)
}

/// The achievement of a set of indicators in one year: what the master workbook's グラフ and the
/// committee report chart.
#[derive(Debug, Clone, Copy, PartialEq, Default)]
pub struct RateSummary {
    /// Mean 達成率 (1.0 = achieved), None without any rate.
    pub average: Option<f64>,
    /// Share of the rates at or above 1.0 (目標を達成した指標の割合).
    pub share_achieved: Option<f64>,
    /// How many indicators had a rate.
    pub count: usize,
}

/// Mean, share achieved and count of a set of achievement rates.
pub fn summarize(rates: &[f64]) -> RateSummary {
    let count = rates.len();
    if count == 0 {
        return RateSummary::default();
    }
    let n = count as f64;
    RateSummary {
        average: Some(rates.iter().sum::<f64>() / n),
        share_achieved: Some(rates.iter().filter(|x| **x >= 1.0).count() as f64 / n),
        count,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::parse::value::parse_value;

    fn rate(t: &str, a: &str) -> Option<f64> {
        achievement(&parse_value(t).unwrap(), &parse_value(a).unwrap())
    }

    #[test]
    fn only_plain_numbers_in_one_unit() {
        assert_eq!(rate("40 手続", "30 手続"), Some(0.75));
        assert_eq!(rate("40 手続", "30 件"), None);
        assert_eq!(rate("30%減", "25%減"), None);
        assert_eq!(rate("150手続／800手続", "125手続"), None);
        assert_eq!(rate("0件", "3件"), None);
        assert_eq!(rate("試行実施（2施設）", "2施設"), None);
    }

    #[test]
    fn summary_of_rates() {
        assert_eq!(summarize(&[]), RateSummary::default());
        let s = summarize(&[0.5, 1.0, 1.5]);
        assert_eq!(s.average, Some(1.0));
        assert_eq!(s.share_achieved, Some(2.0 / 3.0));
        assert_eq!(s.count, 3);
    }
}
