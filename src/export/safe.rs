//! What keeps an exported workbook valid and harmless: sheet names Excel accepts (and that
//! are unique), sheet references in formulas, and the length limit of one cell.

use std::collections::HashSet;

/// Excel's limit on one cell's text, in UTF-16 code units.
pub const MAX_CELL_CHARS: usize = 32_767;
/// Excel's limit on a sheet name.
pub const MAX_SHEET_NAME: usize = 31;

pub fn utf16_len(s: &str) -> usize {
    s.chars().map(char::len_utf16).sum()
}

/// Whether a text would be taken for a formula if typed into a cell. Such text is always
/// written with `write_string`, so it stays text; this is for tests and callers that want to
/// know.
#[cfg(test)]
pub(crate) fn looks_like_formula(s: &str) -> bool {
    matches!(
        s.chars().next(),
        Some('=' | '+' | '-' | '@' | '＝' | '＋' | '－' | '＠')
    )
}

/// A sheet name Excel accepts: the forbidden characters `[]:*?/\` replaced by their
/// full-width forms, control characters dropped, no leading or trailing apostrophe, not
/// empty, not 「History」, at most 31 characters.
pub fn sanitize_sheet_name(name: &str) -> String {
    let mut s: String = name
        .chars()
        .filter(|c| !c.is_control())
        .map(|c| match c {
            '[' => '［',
            ']' => '］',
            ':' => '：',
            '*' => '＊',
            '?' => '？',
            '/' => '／',
            '\\' => '＼',
            c => c,
        })
        .collect();
    s = s.trim().to_string();
    if s.starts_with('\'') {
        s.replace_range(..1, "’");
    }
    s = truncate_utf16(&s, MAX_SHEET_NAME);
    if s.ends_with('\'') {
        s.pop();
        s.push('’');
    }
    let s = s.trim_end().to_string();
    if s.is_empty() {
        return "シート".to_string();
    }
    if s.eq_ignore_ascii_case("history") {
        return format!("{s}_");
    }
    s
}

fn truncate_utf16(s: &str, max: usize) -> String {
    let mut out = String::new();
    let mut n = 0;
    for c in s.chars() {
        n += c.len_utf16();
        if n > max {
            break;
        }
        out.push(c);
    }
    out
}

/// Hands out sheet names that are valid and unique in one workbook (Excel compares them
/// without regard to case).
#[derive(Debug, Default)]
pub struct SheetNames {
    taken: HashSet<String>,
}

fn fold(s: &str) -> String {
    s.chars().flat_map(char::to_lowercase).collect()
}

impl SheetNames {
    pub fn new() -> Self {
        Self::default()
    }

    /// Reserves a fixed name (表紙, 一覧, …) so no project sheet takes it.
    pub fn reserve(&mut self, name: &str) {
        self.taken.insert(fold(name));
    }

    pub fn unique(&mut self, wanted: &str) -> String {
        let base = sanitize_sheet_name(wanted);
        if self.taken.insert(fold(&base)) {
            return base;
        }
        for n in 2.. {
            let suffix = format!("({n})");
            let room = MAX_SHEET_NAME - suffix.len();
            let candidate = format!("{}{suffix}", truncate_utf16(&base, room).trim_end());
            if self.taken.insert(fold(&candidate)) {
                return candidate;
            }
        }
        unreachable!()
    }
}

/// `'Sheet name'` for a formula: always quoted, apostrophes doubled.
pub fn quote_sheet(name: &str) -> String {
    format!("'{}'", name.replace('\'', "''"))
}

/// A string literal for a formula: `"…"` with quotes doubled.
pub fn formula_string(s: &str) -> String {
    format!("\"{}\"", s.replace('"', "\"\""))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_are_valid_and_unique() {
        assert_eq!(
            sanitize_sheet_name("a/b:c*d?e[f]g\\h"),
            "a／b：c＊d？e［f］g＼h"
        );
        assert_eq!(sanitize_sheet_name("'quoted'"), "’quoted’");
        assert_eq!(sanitize_sheet_name(""), "シート");
        assert_eq!(sanitize_sheet_name("History"), "History_");
        let long = "あ".repeat(40);
        assert_eq!(sanitize_sheet_name(&long).chars().count(), 31);
        let mut names = SheetNames::new();
        names.reserve("一覧");
        assert_eq!(names.unique("一覧"), "一覧(2)");
        let a = names.unique(&long);
        let b = names.unique(&long);
        assert_ne!(a, b);
        assert!(b.chars().count() <= 31 && b.ends_with("(2)"));
        assert_eq!(names.unique("Sheet"), "Sheet");
        assert_eq!(names.unique("SHEET"), "SHEET(2)");
        assert_eq!(quote_sheet("O'Neil"), "'O''Neil'");
        assert!(
            looks_like_formula("=1+1") && looks_like_formula("@SUM") && !looks_like_formula("1+1")
        );
    }
}
