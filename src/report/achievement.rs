//! KPI achievement (達成率 = 実績 ÷ 目標), one rule for the master workbook and the app.

use crate::model::Value;

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
}
