//! Reading values out of cells the way every layout needs them.

use std::collections::BTreeMap;

use crate::grid::Grid;
use crate::import::report::{Note, SheetReport};
use crate::model::{FiscalYear, Value};
use crate::parse::fiscal_year::fiscal_year_of_key;
use crate::parse::value::{money_from_number, parse_money, parse_value, MoneyError};

/// Column → fiscal year of a header row, when at least two cells right of `from_col` are all
/// fiscal years (「R4」, 「2023年度」, 「令和 5 年度」, 「Ｒ５」).
pub fn year_header(grid: &Grid, row: u32, from_col: u32) -> Option<BTreeMap<u32, FiscalYear>> {
    let mut years = BTreeMap::new();
    for (col, cell) in grid.row(row) {
        if col <= from_col || cell.text.trim().is_empty() {
            continue;
        }
        years.insert(col, fiscal_year_of_key(cell.key())?);
    }
    (years.len() >= 2).then_some(years)
}

/// The text of a label row's value: the first non-empty cell right of `col`.
pub fn value_right_of(grid: &Grid, row: u32, col: u32) -> Option<(u32, String)> {
    grid.row(row)
        .find(|(c, cell)| *c > col && !cell.text.trim().is_empty())
        .map(|(c, cell)| (c, clean_text(&cell.text)))
}

/// Whether a label row has a value: `value_right_of` without copying it out.
pub fn has_value_right_of(grid: &Grid, row: u32, col: u32) -> bool {
    grid.row(row)
        .any(|(c, cell)| c > col && !cell.text.trim().is_empty())
}

/// Trims a text cell and unifies line endings; inner line breaks are kept.
pub fn clean_text(s: &str) -> String {
    // Called on most cells of a sheet: one copy when there is no carriage return to unify.
    if !s.contains('\r') {
        return s.trim().to_string();
    }
    s.replace("\r\n", "\n")
        .replace('\r', "\n")
        .trim()
        .to_string()
}

/// A value cell in a year column. A value merged across later year columns is kept in its
/// first year, and the merge is reported so nobody thinks the other years were read.
pub fn year_value(
    grid: &Grid,
    row: u32,
    col: u32,
    years: &BTreeMap<u32, FiscalYear>,
    guesses: &mut Vec<Note>,
) -> Option<Value> {
    let text = grid.text(row, col);
    let v = parse_value(&clean_text(text));
    if v.is_some() {
        if let Some(m) = grid.merge_of(row, col) {
            let covered: Vec<FiscalYear> = years
                .iter()
                .filter(|(c, _)| (m.first.1..=m.last.1).contains(c))
                .map(|(_, y)| *y)
                .collect();
            if covered.len() > 1 {
                guesses.push(Note {
                    at: grid.at(row, col),
                    message: format!(
                        "{}〜{}年度にまたがる結合セルの値を {}年度の値としました / merged value kept in its first year",
                        covered[0],
                        covered[covered.len() - 1],
                        covered[0]
                    ),
                });
            }
        }
    }
    v
}

/// Why a money cell was not taken: skipped (reported, the import goes on) or refused (an
/// amount above `MAX_THOUSAND_YEN`: the whole import stops, naming the cell).
#[derive(Debug)]
pub enum MoneyCellError {
    Skip(Note),
    Refuse(Note),
}

impl SheetReport {
    pub(crate) fn money_problem(&mut self, e: MoneyCellError) {
        match e {
            MoneyCellError::Skip(n) => self.skipped_cells.push(n),
            MoneyCellError::Refuse(n) => self.refused_cells.push(n),
        }
    }
}

/// A money cell in 千円.
pub fn money_value(grid: &Grid, row: u32, col: u32) -> Result<Option<i64>, MoneyCellError> {
    let cell = grid.cell(row, col);
    let text = cell.map_or("", |c| c.text.as_str());
    let note = |e: MoneyError| Note {
        at: grid.at(row, col),
        message: e.to_string(),
    };
    let refuse_or_skip = |e: MoneyError| match e {
        MoneyError::TooLarge(_) => MoneyCellError::Refuse(note(e)),
        e => MoneyCellError::Skip(note(e)),
    };
    if let Some(n) = cell.and_then(|c| c.number) {
        match money_from_number(n, text) {
            Ok(v) => return Ok(Some(v)),
            Err(e @ MoneyError::TooLarge(_)) => return Err(refuse_or_skip(e)),
            // A fraction or an odd number: the text may still read (「1,500.0」).
            Err(_) => {}
        }
    }
    parse_money(text)
        .map(|m| m.map(|m| m.thousand_yen))
        .map_err(refuse_or_skip)
}

/// Bullets of a list cell (期待される効果), one per line, bullet marks removed.
pub fn bullets(text: &str) -> Vec<String> {
    text.lines()
        .map(|l| {
            l.trim()
                .trim_start_matches(['・', '●', '○', '◯', '•', '-', '－', '■', '□', '◆', '◇'])
                .trim()
        })
        .filter(|l| !l.is_empty())
        .map(str::to_string)
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn clean_text_trims_and_unifies_line_endings() {
        assert_eq!(clean_text("  申請の電子化\n"), "申請の電子化");
        assert_eq!(
            clean_text("一行目\r\n二行目\r三行目\r\n"),
            "一行目\n二行目\n三行目"
        );
        assert_eq!(clean_text("\u{3000}全角空白\u{3000}"), "全角空白");
        assert_eq!(clean_text(" \r\n "), "");
    }

    #[test]
    fn a_value_right_of_a_label_is_found_without_copying() {
        let mut grid = Grid::default();
        grid.cells
            .insert((0, 0), crate::grid::Cell::new("取組名".into(), None));
        grid.cells
            .insert((0, 1), crate::grid::Cell::new("  ".into(), None));
        grid.cells
            .insert((0, 2), crate::grid::Cell::new(" 窓口DX \r\n".into(), None));
        grid.cells
            .insert((1, 0), crate::grid::Cell::new("概要".into(), None));
        assert!(has_value_right_of(&grid, 0, 0));
        assert_eq!(value_right_of(&grid, 0, 0), Some((2, "窓口DX".into())));
        assert!(!has_value_right_of(&grid, 0, 2));
        assert!(!has_value_right_of(&grid, 1, 0));
        assert_eq!(value_right_of(&grid, 1, 0), None);
    }
}
