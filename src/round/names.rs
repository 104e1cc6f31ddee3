//! File names of a round's workbooks, 「<照会>_<課名>.xlsx」, valid on Windows: none of
//! `\ / : * ? " < > |` or control characters, no trailing dot or space, no reserved device
//! name (CON, NUL, COM1 …), unique without regard to case, and a whole path short enough for
//! old tools (`MAX_PATH_UNITS` UTF-16 units; Windows' limit is 260).

use std::path::Path;

use unicode_normalization::UnicodeNormalization;

/// A path longer than this (UTF-16 units) is shortened: Explorer, older Office and zip tools
/// fail at 260.
pub const MAX_PATH_UNITS: usize = 240;
/// One path component.
const MAX_NAME_UNITS: usize = 255;
const EXTENSION: &str = ".xlsx";
/// The shortest a part of a name is cut to before giving up.
const MIN_PART: usize = 4;

const RESERVED: [&str; 22] = [
    "CON", "PRN", "AUX", "NUL", "COM1", "COM2", "COM3", "COM4", "COM5", "COM6", "COM7", "COM8",
    "COM9", "LPT1", "LPT2", "LPT3", "LPT4", "LPT5", "LPT6", "LPT7", "LPT8", "LPT9",
];

fn units(s: &str) -> usize {
    s.encode_utf16().count()
}

/// `part` without the characters Windows refuses in a file name, trimmed of spaces and of
/// trailing dots.
pub fn windows_safe(part: &str) -> String {
    let kept: String = part
        .chars()
        .filter(|c| !matches!(c, '\\' | '/' | ':' | '*' | '?' | '"' | '<' | '>' | '|'))
        .filter(|c| !c.is_control())
        .collect();
    kept.trim()
        .trim_end_matches(['.', ' ', '\u{3000}'])
        .trim()
        .to_string()
}

/// Whether Windows takes the name for a device (「CON」, 「nul.xlsx」, 「COM1.txt」).
pub fn is_reserved(name: &str) -> bool {
    let stem = name.split('.').next().unwrap_or(name).trim_end();
    RESERVED.iter().any(|r| r.eq_ignore_ascii_case(stem))
}

/// How Windows compares names: without regard to case (and width, to be safe).
fn fold(name: &str) -> String {
    name.nfkc().collect::<String>().to_lowercase()
}

fn cut(s: &str, max_units: usize) -> String {
    let mut out = String::new();
    for ch in s.chars() {
        if units(&out) + ch.len_utf16() > max_units {
            break;
        }
        out.push(ch);
    }
    windows_safe(&out)
}

/// Why names cannot be made.
#[derive(Debug, Clone, PartialEq)]
pub struct TooLong {
    pub dir_units: usize,
}

/// One file name per department, in the order given: (department name, parent name). A name
/// that two departments would share gets the parent (「総務課（教育部）」), then a number.
pub fn workbook_names(
    dir: &Path,
    round: &str,
    departments: &[(String, Option<String>)],
) -> Result<Vec<String>, TooLong> {
    let dir_units = units(&dir.to_string_lossy()) + 1;
    let budget = MAX_PATH_UNITS
        .saturating_sub(dir_units)
        .min(MAX_NAME_UNITS)
        .saturating_sub(units(EXTENSION));
    let round = match windows_safe(round) {
        r if r.is_empty() => "照会".to_string(),
        r => r,
    };
    let mut parts: Vec<String> = departments
        .iter()
        .map(|(name, _)| match windows_safe(name) {
            n if n.is_empty() => "課".to_string(),
            n => n,
        })
        .collect();
    let clash = |parts: &[String], i: usize| {
        parts
            .iter()
            .enumerate()
            .any(|(j, p)| j != i && fold(p) == fold(&parts[i]))
    };
    let with_parent: Vec<bool> = (0..parts.len()).map(|i| clash(&parts, i)).collect();
    for (i, add) in with_parent.into_iter().enumerate() {
        if let (true, Some(parent)) = (add, &departments[i].1) {
            parts[i] = format!("{}（{}）", parts[i], windows_safe(parent));
        }
    }
    let mut names = Vec::with_capacity(parts.len());
    let mut taken: Vec<String> = Vec::new();
    for part in parts {
        let mut n = 1;
        loop {
            let part = if n == 1 {
                part.clone()
            } else {
                format!("{part}({n})")
            };
            let name = fit(&round, &part, budget).ok_or(TooLong { dir_units })?;
            let name = if is_reserved(&name) {
                format!("_{name}")
            } else {
                name
            };
            if !taken.contains(&fold(&name)) {
                taken.push(fold(&name));
                names.push(format!("{name}{EXTENSION}"));
                break;
            }
            n += 1;
        }
    }
    Ok(names)
}

/// 「<round>_<part>」 within `budget` UTF-16 units: the round's title is shortened first,
/// then the department's name.
fn fit(round: &str, part: &str, budget: usize) -> Option<String> {
    let need = |r: &str, p: &str| units(r) + 1 + units(p);
    if need(round, part) <= budget {
        return Some(format!("{round}_{part}"));
    }
    let room_for_round = budget.checked_sub(1 + units(part))?;
    if room_for_round >= MIN_PART {
        return Some(format!("{}_{part}", cut(round, room_for_round)));
    }
    let round = cut(round, MIN_PART);
    let room_for_part = budget.checked_sub(1 + units(&round))?;
    (room_for_part >= MIN_PART).then(|| format!("{round}_{}", cut(part, room_for_part)))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn names(dir: &str, round: &str, d: &[(&str, Option<&str>)]) -> Vec<String> {
        let d: Vec<(String, Option<String>)> = d
            .iter()
            .map(|(n, p)| (n.to_string(), p.map(str::to_string)))
            .collect();
        workbook_names(Path::new(dir), round, &d).unwrap()
    }

    #[test]
    fn names_are_valid_on_windows() {
        assert_eq!(
            names(
                "/x",
                "令和7年度 第2回 進捗照会",
                &[("人事課", None), ("A/B:課?.", None)]
            ),
            [
                "令和7年度 第2回 進捗照会_人事課.xlsx",
                "令和7年度 第2回 進捗照会_AB課.xlsx"
            ]
        );
        assert!(is_reserved("CON"));
        assert!(is_reserved("nul.xlsx"));
        assert!(!is_reserved("CON_人事課.xlsx"));
        assert_eq!(windows_safe("  照会<1>.. "), "照会1");
        // Same name under two 部: the parent tells them apart; then a number.
        assert_eq!(
            names(
                "/x",
                "R",
                &[
                    ("総務課", Some("教育部")),
                    ("総務課", Some("総務部")),
                    ("SOMU", None),
                    ("somu", None)
                ]
            ),
            [
                "R_総務課（教育部）.xlsx",
                "R_総務課（総務部）.xlsx",
                "R_SOMU.xlsx",
                "R_somu(2).xlsx"
            ]
        );
    }

    #[test]
    fn long_paths_are_shortened_round_title_first() {
        let dir = format!("/{}", "d".repeat(180));
        let n = names(&dir, &"照".repeat(80), &[("健康福祉部福祉政策課", None)]);
        let full = format!("{dir}/{}", n[0]);
        assert!(units(&full) <= MAX_PATH_UNITS, "{}", units(&full));
        assert!(n[0].ends_with("_健康福祉部福祉政策課.xlsx"), "{}", n[0]);
        let deep = format!("/{}", "d".repeat(236));
        let d = vec![("課".to_string(), None)];
        assert!(workbook_names(Path::new(&deep), "R", &d).is_err());
    }
}
