//! The hierarchy written only in codes. Many workbooks name the 基本方針 nowhere on a project
//! sheet: the sheet is called 「Ⅰ-1-①」, or a heading says 「Ⅰ-1 行政手続のオンライン化」, and the
//! titles are in a 目次 or 集計 sheet. A code gives the policy (Ⅰ), the measure (1) and the
//! project (①); titles come from those sheets when they have them.

use std::collections::BTreeMap;

use super::draft::Draft;
use super::labels::non_project_sheet;
use super::report::Note;
use crate::grid::Grid;
use crate::parse::label::{normalize_label, strip_format_chars};

/// A display code: 基本方針 number, then optionally 施策 and 事業 numbers.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Code {
    pub policy: u32,
    pub measure: Option<u32>,
    pub project: Option<u32>,
}

const HYPHENS: &[char] = &['-', '－', '‐', '‑', '−', '–', '—', '―', 'ｰ'];
const SEPARATORS: &[char] = &[' ', '　', ':', '：', '.', '．', '、', '\t', '\n'];

/// The value of a roman numeral at the start of `s` and its length in bytes: one character
/// Ⅰ…Ⅻ (ⅰ…ⅻ), or I, V, X in ASCII or full width.
fn roman_prefix(s: &str) -> Option<(u32, usize)> {
    let first = s.chars().next()?;
    if let Some(n) = ('Ⅰ'..='Ⅻ')
        .position(|c| c == first)
        .or_else(|| ('ⅰ'..='ⅻ').position(|c| c == first))
    {
        return Some((n as u32 + 1, first.len_utf8()));
    }
    let ascii = |c: char| match c {
        'I' | 'Ｉ' => Some('I'),
        'V' | 'Ｖ' => Some('V'),
        'X' | 'Ｘ' => Some('X'),
        _ => None,
    };
    let mut letters = String::new();
    let mut len = 0;
    for c in s.chars() {
        match ascii(c) {
            Some(a) => {
                letters.push(a);
                len += c.len_utf8();
            }
            None => break,
        }
    }
    const NUMERALS: [&str; 12] = [
        "I", "II", "III", "IV", "V", "VI", "VII", "VIII", "IX", "X", "XI", "XII",
    ];
    let n = NUMERALS.iter().position(|r| *r == letters)? as u32 + 1;
    Some((n, len))
}

/// A number at the start of `s` (ASCII or full-width digits, or one circled number ①…⑳) and
/// its length in bytes.
fn number_prefix(s: &str) -> Option<(u32, usize)> {
    let first = s.chars().next()?;
    if ('①'..='⑳').contains(&first) {
        return Some((first as u32 - '①' as u32 + 1, first.len_utf8()));
    }
    let mut n: u32 = 0;
    let mut len = 0;
    for c in s.chars() {
        let d = match c {
            '0'..='9' => c as u32 - '0' as u32,
            '０'..='９' => c as u32 - '０' as u32,
            _ => break,
        };
        n = n.checked_mul(10)?.checked_add(d)?;
        len += c.len_utf8();
    }
    (len > 0 && n > 0).then_some((n, len))
}

/// A code at the start of a text and the text after it: 「Ⅰ-1-① オンライン申請」 →
/// (Ⅰ, 1, 1) and 「オンライン申請」. The code must end the text or be followed by a separator,
/// so 「ICT推進課」 is no code. A policy alone (「Ⅰ」, 「II」) must be a roman numeral; a code of
/// digits only needs three parts (「1-2-3」), since 「1-1」 is a measure heading of its own kind.
pub fn parse_code(text: &str) -> Option<(Code, &str)> {
    let t = text.trim_start();
    let (policy, mut at, roman) = match roman_prefix(t) {
        Some((n, len)) => (n, len, true),
        None => {
            let (n, len) = number_prefix(t)?;
            (n, len, false)
        }
    };
    let mut parts = Vec::new();
    while parts.len() < 2 {
        let rest = &t[at..];
        let Some(h) = rest.chars().next().filter(|c| HYPHENS.contains(c)) else {
            break;
        };
        let Some((n, len)) = number_prefix(&rest[h.len_utf8()..]) else {
            break;
        };
        parts.push(n);
        at += h.len_utf8() + len;
    }
    let rest = &t[at..];
    if !(rest.is_empty() || rest.starts_with(SEPARATORS)) {
        return None;
    }
    if !roman && parts.len() < 2 {
        return None;
    }
    let code = Code {
        policy,
        measure: parts.first().copied(),
        project: parts.get(1).copied(),
    };
    Some((code, rest.trim_start_matches(SEPARATORS).trim()))
}

/// 「基本方針Ⅰ：市民の暮らし…」 or 「Ⅰ 市民の暮らし…」: a policy's number and title.
fn policy_title(text: &str) -> Option<(u32, String)> {
    let t = text.trim();
    let rest = t
        .strip_prefix("基本方針")
        .or_else(|| t.strip_prefix("基本目標"))
        .map(|r| r.trim_start_matches(SEPARATORS));
    let (code, title) = parse_code(rest.unwrap_or(t))?;
    if code.measure.is_some() {
        return None;
    }
    // A bare 「Ⅰ …」 must be a roman numeral of its own (parse_code checked) followed by a title.
    (!title.is_empty()).then(|| (code.policy, title.to_string()))
}

/// 「取組1：行政手続のオンライン化」: a measure numbered within its policy.
fn numbered_measure(text: &str) -> Option<(u32, String)> {
    let t = text.trim();
    let rest = ["取組", "施策"]
        .iter()
        .find_map(|p| t.strip_prefix(p))?
        .trim_start();
    let (n, len) = number_prefix(rest)?;
    let title = rest[len..].trim_start_matches(SEPARATORS).trim();
    (!title.is_empty()).then(|| (n, title.to_string()))
}

/// Titles found in a workbook's 目次 and 集計 sheets, by code.
#[derive(Debug, Default)]
pub struct Titles {
    pub policies: BTreeMap<u32, String>,
    pub measures: BTreeMap<(u32, u32), String>,
}

fn clean(s: &str) -> String {
    let s = s.trim();
    strip_format_chars(s).unwrap_or_else(|| s.to_string())
}

/// Reads the titles of the 目次 and 集計 sheets: headings 「基本方針Ⅰ …」, 「Ⅰ-1 …」, 「取組1：…」
/// (numbered under the policy above), and tables whose rows carry a code (or a sheet's name)
/// with a 基本方針 or 取組 / 施策 column.
pub fn titles(sheets: &[Grid]) -> Titles {
    let mut out = Titles::default();
    let sheet_codes: BTreeMap<String, Code> = sheets
        .iter()
        .filter_map(|g| Some((normalize_label(&g.name), parse_code(&g.name)?.0)))
        .collect();
    for g in sheets
        .iter()
        .filter(|g| matches!(non_project_sheet(&g.name), Some("目次" | "集計表")))
    {
        let mut policy: Option<u32> = None;
        let mut columns: Option<(Option<u32>, Option<u32>)> = None;
        for row in g.used_rows() {
            let cells: Vec<(u32, &str)> = g
                .row(row)
                .map(|(c, cell)| (c, cell.text.trim()))
                .filter(|(_, t)| !t.is_empty())
                .collect();
            // A header row names the columns of the table below.
            let col_of = |words: &[&str]| {
                cells
                    .iter()
                    .find(|(_, t)| words.contains(&normalize_label(t).as_str()))
                    .map(|(c, _)| *c)
            };
            let (pc, mc) = (
                col_of(&["基本方針", "方針", "基本目標"]),
                col_of(&["取組", "施策", "施策名", "取組名(施策)", "具体施策"]),
            );
            if pc.is_some() || mc.is_some() {
                columns = Some((pc, mc));
                continue;
            }
            let row_code = cells.iter().find_map(|(_, t)| {
                parse_code(t)
                    .map(|(c, _)| c)
                    .filter(|c| c.measure.is_some())
                    .or_else(|| sheet_codes.get(&normalize_label(t)).copied())
            });
            if let (Some((pc, mc)), Some(code)) = (columns, row_code) {
                let text = |col: Option<u32>| {
                    col.map(|c| g.text(row, c).trim().to_string())
                        .filter(|t| !t.is_empty())
                };
                let mut used = false;
                if let Some(t) = text(pc) {
                    used = true;
                    let t = policy_title(&t).map_or(t, |(_, title)| title);
                    out.policies.entry(code.policy).or_insert_with(|| clean(&t));
                }
                if let (Some(t), Some(m)) = (text(mc), code.measure) {
                    used = true;
                    let t = parse_code(&t)
                        .map(|(_, rest)| rest.to_string())
                        .filter(|r| !r.is_empty())
                        .or_else(|| numbered_measure(&t).map(|(_, title)| title))
                        .unwrap_or(t);
                    out.measures
                        .entry((code.policy, m))
                        .or_insert_with(|| clean(&t));
                }
                if used {
                    continue;
                }
            }
            for (_, t) in &cells {
                if let Some((n, title)) = policy_title(t) {
                    policy = Some(n);
                    out.policies.entry(n).or_insert_with(|| clean(&title));
                } else if let Some((code, title)) = parse_code(t) {
                    if let (Some(m), true) = (code.measure, code.project.is_none()) {
                        if !title.is_empty() {
                            out.measures
                                .entry((code.policy, m))
                                .or_insert_with(|| clean(title));
                        }
                    }
                } else if let (Some((m, title)), Some(p)) = (numbered_measure(t), policy) {
                    out.measures.entry((p, m)).or_insert_with(|| clean(&title));
                }
            }
        }
    }
    out
}

/// Fills what the drafts of a workbook do not say from their codes: the policy's title (or,
/// with none known, the code itself, which `apply` matches to the plan's policy of that
/// number) and the measure's title. Each filled title is noted.
pub fn complete(d: &mut Draft, titles: &Titles, notes: &mut Vec<Note>) {
    let Some(p) = d.policy_code else { return };
    if d.policy.is_none() {
        if let Some(t) = titles.policies.get(&p) {
            d.policy = Some(t.clone());
            notes.push(Note {
                at: d.at.clone(),
                message: format!(
                    "基本方針を番号 {} と目次・集計の「{t}」から読みました / policy read from its code and the table of contents",
                    crate::model::codes::roman(p)
                ),
            });
        }
    }
    if d.measure.is_none() {
        if let Some(t) = d.measure_code.and_then(|m| titles.measures.get(&(p, m))) {
            d.measure = Some(t.clone());
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn code(p: u32, m: Option<u32>, k: Option<u32>) -> Code {
        Code {
            policy: p,
            measure: m,
            project: k,
        }
    }

    #[test]
    fn codes_in_sheet_names_and_headings() {
        assert_eq!(parse_code("Ⅰ-1-①"), Some((code(1, Some(1), Some(1)), "")));
        assert_eq!(
            parse_code("Ⅱ-2-③ 標準システム導入"),
            Some((code(2, Some(2), Some(3)), "標準システム導入"))
        );
        assert_eq!(
            parse_code("Ⅰ-1 行政手続のオンライン化"),
            Some((code(1, Some(1), None), "行政手続のオンライン化"))
        );
        assert_eq!(parse_code("II－3"), Some((code(2, Some(3), None), "")));
        assert_eq!(
            parse_code("Ⅳ：人材育成"),
            Some((code(4, None, None), "人材育成"))
        );
        assert_eq!(parse_code("1-2-3"), Some((code(1, Some(2), Some(3)), "")));
        // Not codes: a word starting with I, a measure heading of digits, a title.
        assert_eq!(parse_code("ICT推進課"), None);
        assert_eq!(parse_code("1-1 行政手続"), None);
        assert_eq!(parse_code("2-④"), None);
        assert_eq!(parse_code("オンライン申請"), None);
        assert_eq!(parse_code("IVR導入"), None);
    }

    #[test]
    fn policy_and_measure_titles() {
        assert_eq!(
            policy_title("基本方針Ⅰ：市民の暮らし"),
            Some((1, "市民の暮らし".into()))
        );
        assert_eq!(
            policy_title("基本方針Ⅱ 行政運営"),
            Some((2, "行政運営".into()))
        );
        assert_eq!(policy_title("基本方針Ⅰ"), None);
        assert_eq!(policy_title("Ⅰ-1 手続"), None);
        assert_eq!(
            numbered_measure("取組 1 : 行政手続のオンライン化"),
            Some((1, "行政手続のオンライン化".into()))
        );
    }

    #[test]
    fn titles_from_a_table_of_contents() {
        use crate::grid::Cell;
        let mut g = Grid {
            name: "目次".into(),
            ..Grid::default()
        };
        let mut put = |r: u32, c: u32, t: &str| {
            g.cells.insert((r, c), Cell::new(t.into(), None));
        };
        put(0, 0, "基本方針Ⅰ　市民の暮らしを豊かに");
        put(1, 0, "No.");
        put(1, 1, "取組");
        put(1, 2, "個別施策");
        put(1, 3, "シート");
        put(2, 1, "行政手続のオンライン化");
        put(2, 2, "オンライン申請の拡充");
        put(2, 3, "Ⅰ-1-①");
        put(3, 0, "基本方針Ⅱ：行政運営の高度化");
        put(4, 0, "Ⅱ-2 情報システムの標準化");
        let t = titles(&[g]);
        assert_eq!(
            t.policies.get(&1).map(String::as_str),
            Some("市民の暮らしを豊かに")
        );
        assert_eq!(
            t.policies.get(&2).map(String::as_str),
            Some("行政運営の高度化")
        );
        assert_eq!(
            t.measures.get(&(1, 1)).map(String::as_str),
            Some("行政手続のオンライン化")
        );
        assert_eq!(
            t.measures.get(&(2, 2)).map(String::as_str),
            Some("情報システムの標準化")
        );
    }
}
