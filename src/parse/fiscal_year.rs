//! Fiscal years in every notation the seeds use: 2022年度, ２０２２年度, 令和4年度, 令和 4 年度,
//! 令和元年度, R4, H30, 平成30年度, FY2022, 令和3（2021）年度, and ranges (2028年度～2030年度,
//! R4～R7, 令和4～7年度). A fiscal year is named by the calendar year it starts in.

use thiserror::Error;

use super::label::normalize_label;
use crate::model::FiscalYear;

/// Why a fiscal year cannot be read.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum FyError {
    /// Not a fiscal year.
    #[error("年度として読めません / not a fiscal year: 「{0}」")]
    Unrecognised(String),
    /// Out of range.
    #[error("年度が範囲外です / fiscal year out of range: 「{0}」")]
    OutOfRange(String),
    /// A range that ends before it starts.
    #[error("年度の範囲が逆です / fiscal year range runs backwards: 「{0}」")]
    Backwards(String),
}

/// The years dxplan accepts; anything else is a typo (「20222年度」) rather than a plan year.
pub const MIN_FY: FiscalYear = 1900;
/// The last fiscal year accepted.
pub const MAX_FY: FiscalYear = 2200;

struct Era {
    names: &'static [&'static str],
    /// Calendar year of the era's year 0: 令和1 = 2019.
    base: i32,
    last: i32,
    kanji: &'static str,
    letter: char,
}

// Newest first; 令和 is also the era used for formatting.
const ERAS: [Era; 3] = [
    Era {
        names: &["令和", "r"],
        base: 2018,
        last: 99,
        kanji: "令和",
        letter: 'R',
    },
    Era {
        names: &["平成", "h"],
        base: 1988,
        last: 31,
        kanji: "平成",
        letter: 'H',
    },
    Era {
        names: &["昭和", "s"],
        base: 1925,
        last: 64,
        kanji: "昭和",
        letter: 'S',
    },
];

fn digits(s: &str) -> (&str, &str) {
    let end = s.find(|c: char| !c.is_ascii_digit()).unwrap_or(s.len());
    s.split_at(end)
}

fn strip_suffix_year(s: &str) -> &str {
    s.strip_prefix("年度")
        .or_else(|| s.strip_prefix("年"))
        .unwrap_or(s)
}

/// A year read at the start of a string: the year, what follows it, and the era's base year
/// when it was written in 和暦.
type Scanned<'a> = (FiscalYear, &'a str, Option<i32>);

/// Reads one fiscal year at the start of a normalised string (see `normalize_label`).
/// `era_base` lets a bare number continue a 和暦 range (令和4～7年度).
fn scan(s: &str, era_base: Option<i32>) -> Result<Option<Scanned<'_>>, FyError> {
    let s = s.strip_prefix("fy").unwrap_or(s);
    for era in &ERAS {
        for name in era.names {
            let Some(rest) = s.strip_prefix(name) else {
                continue;
            };
            let (n, rest) = match rest.strip_prefix('元') {
                Some(r) => (1, r),
                None => {
                    let (d, r) = digits(rest);
                    if d.is_empty() || d.len() > 2 {
                        continue;
                    }
                    (
                        d.parse::<i32>()
                            .map_err(|_| FyError::Unrecognised(s.into()))?,
                        r,
                    )
                }
            };
            if n < 1 || n > era.last {
                return Err(FyError::OutOfRange(s.into()));
            }
            let year = era.base + n;
            // 令和3（2021）年度: the 西暦 in brackets must agree.
            let rest = match bracketed_number(rest) {
                Some((w, after)) if w == year => after,
                Some(_) => return Err(FyError::Unrecognised(s.into())),
                None => rest,
            };
            return Ok(Some((year, strip_suffix_year(rest), Some(era.base))));
        }
    }
    let (d, rest) = digits(s);
    let year = match (d.len(), era_base) {
        (4, _) => d
            .parse::<i32>()
            .map_err(|_| FyError::Unrecognised(s.into()))?,
        (1 | 2, Some(base)) => {
            base + d
                .parse::<i32>()
                .map_err(|_| FyError::Unrecognised(s.into()))?
        }
        (0, _) => return Ok(None),
        _ => return Err(FyError::OutOfRange(s.into())),
    };
    if !(MIN_FY..=MAX_FY).contains(&year) {
        return Err(FyError::OutOfRange(s.into()));
    }
    let rest = strip_suffix_year(rest);
    // 2023年度（令和5年度）: a 和暦 in brackets that names the same year is part of the header.
    let rest = match rest
        .strip_prefix('(')
        .and_then(|r| scan(r, None).ok().flatten())
    {
        Some((w, after, _)) if w == year => after.strip_prefix(')').unwrap_or(rest),
        _ => rest,
    };
    Ok(Some((year, rest, era_base)))
}

fn bracketed_number(s: &str) -> Option<(i32, &str)> {
    let r = s.strip_prefix('(')?;
    let (d, r) = digits(r);
    let r = r.strip_prefix(')')?;
    Some((d.parse().ok()?, r))
}

/// One fiscal year, the whole text.
pub fn parse_fiscal_year(text: &str) -> Result<FiscalYear, FyError> {
    // The longest form, 「2023年度（令和5年度）」 with spaces, is far below this.
    if text.len() > 64 {
        return Err(FyError::Unrecognised(text.chars().take(20).collect()));
    }
    match scan(&normalize_label(text), None)? {
        Some((y, "", _)) => Ok(y),
        _ => Err(FyError::Unrecognised(text.trim().to_string())),
    }
}

/// `parse_fiscal_year` of a text already in `normalize_label` form (the importer keeps that
/// form of every cell, so sheets are normalised once).
pub fn fiscal_year_of_key(key: &str) -> Option<FiscalYear> {
    match scan(key, None) {
        Ok(Some((y, "", _))) => Some(y),
        _ => None,
    }
}

/// `split_fiscal_year` of a text already in `normalize_label` form.
pub fn split_fiscal_year_key(key: &str) -> Option<(FiscalYear, &str)> {
    match scan(key, None) {
        Ok(Some((y, rest, _))) => Some((y, rest)),
        _ => None,
    }
}

/// A fiscal year at the start of a header such as 「R5目標」, 「2023年度実績」 or
/// 「令和5年度 事業費（千円）」, and the rest of the header (normalised, see `normalize_label`).
pub fn split_fiscal_year(text: &str) -> Option<(FiscalYear, String)> {
    if text.len() > 160 {
        return None;
    }
    split_fiscal_year_key(&normalize_label(text)).map(|(y, rest)| (y, rest.to_string()))
}

const RANGE_SEPARATORS: [&str; 7] = ["~", "〜", "-", "−", "–", "—", "から"];

/// A period such as 2022-2025, R4～R7, 令和4年度～令和7年度, 令和4～7年度; a single year is a
/// period of one year.
pub fn parse_fiscal_year_range(text: &str) -> Result<(FiscalYear, FiscalYear), FyError> {
    let n = normalize_label(text);
    let bad = || FyError::Unrecognised(text.trim().to_string());
    let (first, rest, era) = scan(&n, None)?.ok_or_else(bad)?;
    if rest.is_empty() {
        return Ok((first, first));
    }
    let rest = RANGE_SEPARATORS
        .iter()
        .find_map(|sep| rest.strip_prefix(sep))
        .ok_or_else(bad)?;
    let (last, tail, _) = scan(rest, era)?.ok_or_else(bad)?;
    if !(tail.is_empty() || tail == "度") {
        return Err(bad());
    }
    if last < first {
        return Err(FyError::Backwards(text.trim().to_string()));
    }
    Ok((first, last))
}

/// 「2022年度」.
pub fn format_fiscal_year(fy: FiscalYear) -> String {
    format!("{fy}年度")
}

fn era_of(fy: FiscalYear) -> Option<(&'static Era, i32)> {
    ERAS.iter()
        .find(|e| fy > e.base)
        .map(|e| (e, fy - e.base))
        .filter(|(e, n)| *n <= e.last || e.base == ERAS[0].base)
}

/// 「令和4年度」, 「令和元年度」 (FY2019 is named 令和元年度 by convention, though it began in 平成31年).
pub fn format_wareki(fy: FiscalYear) -> String {
    match era_of(fy) {
        Some((e, 1)) => format!("{}元年度", e.kanji),
        Some((e, n)) => format!("{}{n}年度", e.kanji),
        None => format_fiscal_year(fy),
    }
}

/// 「R4」.
pub fn format_wareki_short(fy: FiscalYear) -> String {
    match era_of(fy) {
        Some((e, n)) => format!("{}{n}", e.letter),
        None => fy.to_string(),
    }
}

/// 「2023年度（令和5年度）」: the header form of exported sheets.
pub fn format_both(fy: FiscalYear) -> String {
    format!("{}（{}）", format_fiscal_year(fy), format_wareki(fy))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_form_of_domain_md() {
        for (text, fy) in [
            ("2022年度", 2022),
            ("２０２２年度", 2022),
            ("令和4年度", 2022),
            ("令和 4 年度", 2022),
            ("令和　7年度", 2025),
            ("令和元年度", 2019),
            ("R4", 2022),
            ("r4", 2022),
            ("Ｒ４", 2022),
            ("H30", 2018),
            ("平成30年度", 2018),
            ("平成元年度", 1989),
            ("FY2022", 2022),
            ("FY 2022", 2022),
            ("2022", 2022),
            ("令和3（2021）年度", 2021),
            ("2023年度（令和5年度）", 2023),
            ("S64", 1989),
        ] {
            assert_eq!(parse_fiscal_year(text), Ok(fy), "{text}");
        }
    }

    #[test]
    fn not_fiscal_years() {
        for text in [
            "",
            "年度",
            "R",
            "令和年度",
            "22年度",
            "20222年度",
            "令和4年度実績",
            "目標",
            "R100",
            "H32",
            "令和3（2020）年度",
        ] {
            assert!(parse_fiscal_year(text).is_err(), "{text}");
        }
        assert!(matches!(
            parse_fiscal_year("2500年度"),
            Err(FyError::OutOfRange(_))
        ));
    }

    #[test]
    fn ranges() {
        for (text, range) in [
            ("2028年度～2030年度", (2028, 2030)),
            ("2022-2025", (2022, 2025)),
            ("R4～R7", (2022, 2025)),
            ("R4~R9", (2022, 2027)),
            ("令和4年度～令和7年度", (2022, 2025)),
            ("令和4～7年度", (2022, 2025)),
            ("平成30年度〜令和2年度", (2018, 2020)),
            ("2025年度から2030年度", (2025, 2030)),
            ("2024年度", (2024, 2024)),
        ] {
            assert_eq!(parse_fiscal_year_range(text), Ok(range), "{text}");
        }
        assert!(matches!(
            parse_fiscal_year_range("2025-2022"),
            Err(FyError::Backwards(_))
        ));
        assert!(parse_fiscal_year_range("2022～").is_err());
        assert!(parse_fiscal_year_range("2022～2025年度まで").is_err());
    }

    #[test]
    fn headers_with_a_year_in_front() {
        assert_eq!(split_fiscal_year("R5目標"), Some((2023, "目標".into())));
        assert_eq!(
            split_fiscal_year("2023年度実績"),
            Some((2023, "実績".into()))
        );
        assert_eq!(
            split_fiscal_year("令和5年度 事業費（千円）"),
            Some((2023, "事業費(千円)".into()))
        );
        assert_eq!(
            split_fiscal_year("2023年度\n（令和5年度）"),
            Some((2023, "".into()))
        );
        assert_eq!(split_fiscal_year("事業名"), None);
    }

    #[test]
    fn formats_round_trip() {
        assert_eq!(format_fiscal_year(2022), "2022年度");
        assert_eq!(format_wareki(2022), "令和4年度");
        assert_eq!(format_wareki(2019), "令和元年度");
        assert_eq!(format_wareki(2018), "平成30年度");
        assert_eq!(format_wareki_short(2022), "R4");
        assert_eq!(format_both(2023), "2023年度（令和5年度）");
        for fy in 1990..=2100 {
            assert_eq!(parse_fiscal_year(&format_fiscal_year(fy)), Ok(fy));
            assert_eq!(
                parse_fiscal_year(&format_wareki(fy)),
                Ok(fy),
                "{}",
                format_wareki(fy)
            );
            assert_eq!(parse_fiscal_year(&format_wareki_short(fy)), Ok(fy));
            assert_eq!(parse_fiscal_year(&format_both(fy)), Ok(fy));
        }
    }
}
