//! Values as written in KPI and budget cells: 「40 手続」, 「98,500 件」, 「72.5%」, 「30%減」,
//! 「20,400時間/年」, 「150手続／800手続」, 「試行実施（2施設）」, 「1 業務 ※2」. The text is always kept;
//! number, unit, denominator and qualifier are read where they exist. Empty (blank, 「－」, 「-」,
//! 「—」, 「ー」) means "no value", which is not 0.

use thiserror::Error;
use unicode_normalization::UnicodeNormalization;

use crate::model::Value;

/// Texts that mean "no value" in the seeds' sheets.
const EMPTY_MARKS: [&str; 9] = ["-", "－", "—", "―", "ー", "‐", "–", "−", "ｰ"];

/// Whether a cell's text means "no value".
pub fn is_empty_mark(text: &str) -> bool {
    let t = text.trim();
    t.is_empty() || EMPTY_MARKS.contains(&t)
}

/// Words after a unit that change its meaning; longest first so 「削減」 wins over 「減」.
const QUALIFIERS: [&str; 12] = [
    "以上", "以下", "未満", "削減", "減少", "増加", "向上", "程度", "まで", "超", "減", "増",
];

/// Footnote markers inside a text: ※1, ※ 2, ※①, *1, ＊1. Returned normalised (「※1」).
pub fn find_markers(text: &str) -> Vec<String> {
    let chars: Vec<char> = text.nfkc().collect();
    let mut out = Vec::new();
    let mut i = 0;
    while i < chars.len() {
        if chars[i] == '※' || chars[i] == '*' {
            let mut j = i + 1;
            while j < chars.len() && chars[j] == ' ' {
                j += 1;
            }
            let start = j;
            while j < chars.len() && chars[j].is_ascii_digit() {
                j += 1;
            }
            if j > start {
                out.push(format!(
                    "{}{}",
                    chars[i],
                    chars[start..j].iter().collect::<String>()
                ));
                i = j;
                continue;
            }
        }
        i += 1;
    }
    out
}

/// The text with its footnote markers taken out, NFKC-normalised: for comparing what values say.
pub fn without_markers(text: &str) -> String {
    strip_markers(&text.nfkc().collect::<String>())
}

fn strip_markers(normalised: &str) -> String {
    let mut s = normalised.to_string();
    for m in find_markers(normalised) {
        if let Some(pos) =
            s.find(&m[..m.len() - m.trim_start_matches(|c: char| !c.is_ascii_digit()).len()])
        {
            // Remove the marker sign, any spaces, then its digits.
            let after = &s[pos..];
            let sign_len = after.chars().next().map_or(0, char::len_utf8);
            let rest = after[sign_len..].trim_start_matches(' ');
            let digits_len =
                rest.len() - rest.trim_start_matches(|c: char| c.is_ascii_digit()).len();
            let end = s.len() - rest.len() + digits_len;
            s.replace_range(pos..end, " ");
        }
    }
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// A leading number: sign, digits with thousands commas, decimals. Returns it and the rest.
fn leading_number(s: &str) -> Option<(f64, &str)> {
    let (neg, body) = match s.chars().next()? {
        '-' | '▲' | '△' => (true, &s[s.chars().next()?.len_utf8()..]),
        '+' => (false, &s[1..]),
        _ => (false, s),
    };
    let mut end = 0;
    let mut seen_dot = false;
    let bytes = body.as_bytes();
    while end < bytes.len() {
        let b = bytes[end];
        let digit_follows = bytes.get(end + 1).is_some_and(u8::is_ascii_digit);
        if b.is_ascii_digit() || (b == b',' && end > 0 && digit_follows) {
            end += 1;
        } else if b == b'.' && !seen_dot && end > 0 && digit_follows {
            seen_dot = true;
            end += 1;
        } else {
            break;
        }
    }
    if end == 0 {
        return None;
    }
    let n: f64 = body[..end].replace(',', "").parse().ok()?;
    Some((if neg { -n } else { n }, &body[end..]))
}

/// A unit is short and holds no digits; anything else is prose.
fn unit_of(s: &str) -> Option<Option<String>> {
    let u = s.trim();
    if u.is_empty() {
        return Some(None);
    }
    if u.chars().count() > 12
        || u.chars()
            .any(|c| c.is_ascii_digit() || c == '(' || c == ')')
    {
        return None;
    }
    Some(Some(u.to_string()))
}

/// Reads a cell as written. `None` for the empties; otherwise a `Value` whose text is the
/// input trimmed, with number, unit, denominator and qualifier where the text has them.
pub fn parse_value(text: &str) -> Option<Value> {
    let raw = text.trim();
    if is_empty_mark(raw) {
        return None;
    }
    let mut v = Value::text_only(raw);
    let normalised: String = raw.nfkc().collect();
    v.markers = find_markers(&normalised);
    let body = strip_markers(&normalised);
    let (about, body) = match body.strip_prefix('約') {
        Some(b) => (true, b.trim_start()),
        None => (false, body.as_str()),
    };
    let Some((number, rest)) = leading_number(body) else {
        return Some(v);
    };
    let (rest, denominator) = match rest.split_once('/') {
        Some((unit_part, den)) => match leading_number(den.trim()) {
            Some((d, den_unit)) => {
                let (a, b) = (unit_part.trim(), den_unit.trim());
                // 「150手続／800手続」: both sides in one unit (or the unit written once).
                if !(a == b || a.is_empty() || b.is_empty()) {
                    return Some(v);
                }
                (if a.is_empty() { b } else { a }, Some(d))
            }
            None => (rest, None), // 「20,400時間/年」: the slash belongs to the unit.
        },
        None => (rest, None),
    };
    let rest = rest.trim();
    // 「1 (試行)」: a remark in brackets after the value qualifies it.
    let (rest, remark) = match rest
        .strip_suffix(')')
        .and_then(|r| r.rfind('(').map(|i| (&r[..i], &rest[i..])))
    {
        Some((before, remark)) if !before.contains('(') => {
            (before.trim(), Some(remark.to_string()))
        }
        _ => (rest, None),
    };
    let (unit_part, qualifier) = match QUALIFIERS.iter().find(|q| rest.ends_with(**q)) {
        Some(q) => (&rest[..rest.len() - q.len()], Some(q.to_string())),
        None => (rest, remark.clone()),
    };
    let qualifier = match (qualifier, remark) {
        (Some(q), Some(r)) if q != r => Some(format!("{q}{r}")),
        (q, _) => q,
    };
    let Some(unit) = unit_of(unit_part) else {
        return Some(v);
    };
    v.number = Some(number);
    v.unit = unit;
    v.denominator = denominator;
    v.qualifier = match (about, qualifier) {
        (true, Some(q)) => Some(format!("約…{q}")),
        (true, None) => Some("約".into()),
        (false, q) => q,
    };
    Some(v)
}

/// The largest amount one budget cell may hold, in 千円: 10¹² 千円 = 1,000兆円, about nine times
/// Japan's whole national budget (一般会計 ≈ 115兆円), where a city's largest project is
/// about 10⁸ 千円. Anything above is a typo or hostile. At this ceiling, sums stay exact in
/// `i64` for over nine million cells, and in `f64` (Excel's cached values) for nine thousand.
pub const MAX_THOUSAND_YEN: i64 = 1_000_000_000_000;

/// Why a budget cell cannot be read.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum MoneyError {
    /// Not an amount.
    #[error("金額（千円）として読めません / not an amount in 千円: 「{0}」")]
    NotAnAmount(String),
    /// A fraction of 千円.
    #[error("千円未満の端数があります / amount has a fraction of 千円: 「{0}」")]
    Fraction(String),
    /// Too large.
    #[error("金額が上限（1,000,000,000,000 千円 = 1,000兆円）を超えています / amount above the limit of 10^12 thousand yen: 「{0}」")]
    TooLarge(String),
}

/// A cell's numeric value as 千円: a whole number within ±`MAX_THOUSAND_YEN`. `text` is what the
/// cell shows, for the message.
pub fn money_from_number(n: f64, text: &str) -> Result<i64, MoneyError> {
    if !n.is_finite() {
        return Err(MoneyError::NotAnAmount(text.to_string()));
    }
    if n.abs() > MAX_THOUSAND_YEN as f64 {
        return Err(MoneyError::TooLarge(text.to_string()));
    }
    if n.fract() != 0.0 {
        return Err(MoneyError::Fraction(text.to_string()));
    }
    Ok(n as i64)
}

/// An amount in 千円.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Money {
    /// Amount in thousand yen (千円).
    pub thousand_yen: i64,
}

/// A budget cell in 千円: 「4,000」, 「0」, 「▲1,000」 (negative), 「4,000千円」, 「120万円」.
/// `Ok(None)` for the empties; a text that is not an amount is an error, never 0.
pub fn parse_money(text: &str) -> Result<Option<Money>, MoneyError> {
    let raw = text.trim();
    if is_empty_mark(raw) {
        return Ok(None);
    }
    // 「427,000※4」: the marker points at a note under the table; the amount is the number.
    let normalised: String = strip_markers(&raw.nfkc().collect::<String>())
        .chars()
        .filter(|c| !c.is_whitespace())
        .collect();
    let bad = || MoneyError::NotAnAmount(raw.to_string());
    let (n, unit) = leading_number(&normalised).ok_or_else(bad)?;
    let scale = match unit {
        "" | "千円" => 1.0,
        "円" => 0.001,
        "万円" => 10.0,
        "百万円" => 1_000.0,
        "億円" => 100_000.0,
        _ => return Err(bad()),
    };
    let v = n * scale;
    if !v.is_finite() {
        return Err(bad());
    }
    if v.abs() > MAX_THOUSAND_YEN as f64 {
        return Err(MoneyError::TooLarge(raw.to_string()));
    }
    if v.fract().abs() > 1e-9 {
        return Err(MoneyError::Fraction(raw.to_string()));
    }
    Ok(Some(Money {
        thousand_yen: v.round() as i64,
    }))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parts(t: &str) -> (Option<f64>, Option<String>, Option<f64>, Option<String>) {
        let v = parse_value(t).unwrap();
        assert_eq!(v.text, t.trim());
        (v.number, v.unit, v.denominator, v.qualifier)
    }

    fn s(x: &str) -> Option<String> {
        Some(x.to_string())
    }

    #[test]
    fn every_form_of_domain_md() {
        assert_eq!(parts("40 手続"), (Some(40.0), s("手続"), None, None));
        assert_eq!(parts("98,500 件"), (Some(98500.0), s("件"), None, None));
        assert_eq!(parts("72.5%"), (Some(72.5), s("%"), None, None));
        assert_eq!(parts("30%減"), (Some(30.0), s("%"), None, s("減")));
        assert_eq!(
            parts("20,400時間/年"),
            (Some(20400.0), s("時間/年"), None, None)
        );
        assert_eq!(
            parts("150手続／800手続"),
            (Some(150.0), s("手続"), Some(800.0), None)
        );
        assert_eq!(parts("試行実施（2施設）"), (None, None, None, None));
        assert_eq!(parts("導入を決定した全窓口"), (None, None, None, None));
        assert_eq!(parts("導入前と比べて30%減"), (None, None, None, None));
        assert_eq!(parts("１２０ 件"), (Some(120.0), s("件"), None, None));
        assert_eq!(parts("５０％"), (Some(50.0), s("%"), None, None));
        assert_eq!(parts("100"), (Some(100.0), None, None, None));
        assert_eq!(parts("0件"), (Some(0.0), s("件"), None, None));
        assert_eq!(parts("10件以上"), (Some(10.0), s("件"), None, s("以上")));
        assert_eq!(parts("約500人"), (Some(500.0), s("人"), None, s("約")));
        assert_eq!(parts("2025年度末までに100%"), (None, None, None, None));
        assert_eq!(parts("1\n(試行)"), (Some(1.0), None, None, s("(試行)")));
        assert_eq!(
            parts("14施設（予定）"),
            (Some(14.0), s("施設"), None, s("(予定)"))
        );
    }

    #[test]
    fn markers_are_kept_and_do_not_spoil_the_number() {
        let v = parse_value("1 業務 ※2").unwrap();
        assert_eq!((v.number, v.unit.as_deref()), (Some(1.0), Some("業務")));
        assert_eq!(v.markers, vec!["※2"]);
        assert_eq!(v.text, "1 業務 ※2");
        let v = parse_value("50％＊1").unwrap();
        assert_eq!(
            (v.number, v.unit.as_deref(), v.markers.clone()),
            (Some(50.0), Some("%"), vec!["*1".to_string()])
        );
        assert_eq!(
            find_markers("内容※1と※ 3、注*2。※印"),
            vec!["※1", "※3", "*2"]
        );
    }

    #[test]
    fn empties_are_not_zero() {
        for t in ["", "  ", "－", "-", "—", "ー", "―", " － "] {
            assert_eq!(parse_value(t), None, "{t:?}");
            assert_eq!(parse_money(t), Ok(None), "{t:?}");
        }
        assert_eq!(parse_value("0").unwrap().number, Some(0.0));
        assert_eq!(parse_money("0"), Ok(Some(Money { thousand_yen: 0 })));
    }

    #[test]
    fn money() {
        let m = |t: &str| parse_money(t).map(|m| m.map(|m| m.thousand_yen));
        assert_eq!(m("4,000"), Ok(Some(4000)));
        assert_eq!(m("１００，０００"), Ok(Some(100_000)));
        assert_eq!(m("▲1,000"), Ok(Some(-1000)));
        assert_eq!(m("-500"), Ok(Some(-500)));
        assert_eq!(m("4,000千円"), Ok(Some(4000)));
        assert_eq!(m("120万円"), Ok(Some(1200)));
        assert_eq!(m("1,500,000円"), Ok(Some(1500)));
        assert!(matches!(m("1,500.5"), Err(MoneyError::Fraction(_))));
        assert!(matches!(m("未定"), Err(MoneyError::NotAnAmount(_))));
        assert!(matches!(m("4,000ドル"), Err(MoneyError::NotAnAmount(_))));
        assert_eq!(m("427,000※4"), Ok(Some(427_000)));
        assert_eq!(m("0 ※1"), Ok(Some(0)));
        assert_eq!(m("1,000,000,000,000"), Ok(Some(MAX_THOUSAND_YEN)));
        assert_eq!(m("▲1,000,000,000,000"), Ok(Some(-MAX_THOUSAND_YEN)));
        assert!(matches!(
            m("1,000,000,000,001"),
            Err(MoneyError::TooLarge(_))
        ));
        assert!(matches!(
            m("9,000,000,000,000,000"),
            Err(MoneyError::TooLarge(_))
        ));
        assert_eq!(m("10,000,000億円"), Ok(Some(MAX_THOUSAND_YEN)));
        assert!(matches!(m("10,000,001億円"), Err(MoneyError::TooLarge(_))));
        assert!(matches!(
            m(&"9".repeat(400)),
            Err(MoneyError::NotAnAmount(_) | MoneyError::TooLarge(_))
        ));
        assert_eq!(money_from_number(4000.0, "4,000"), Ok(4000));
        assert!(matches!(
            money_from_number(9e15, "9e15"),
            Err(MoneyError::TooLarge(_))
        ));
        assert!(matches!(
            money_from_number(f64::NAN, "?"),
            Err(MoneyError::NotAnAmount(_))
        ));
        assert!(matches!(
            money_from_number(1.5, "1.5"),
            Err(MoneyError::Fraction(_))
        ));
    }
}
