//! A worksheet as every part that reads or names cells sees it: sparse cells (text as
//! displayed, number when numeric, whether the cell is filled), merged regions, and `Sheet!A1`
//! references. The workbook reader (`workbook`) fills it; import, merge and export
//! (the hidden sheet read back, cell references) use it. It builds on nothing of the crate
//! but label normalisation.

use std::collections::BTreeMap;

mod merge_index;

/// One cell of a sheet: its text and, when numeric, its number.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Cell {
    /// What a person sees in the cell (cached formula results included).
    pub text: String,
    /// The number, when the cell holds one.
    pub number: Option<f64>,
    /// A solid background fill: how legacy schedules draw bars.
    pub filled: bool,
    /// `key()`, computed on first use: layouts look at labels, headings and years, not at
    /// most values.
    pub(crate) key: std::sync::OnceLock<String>,
}

impl Cell {
    /// A cell of this text and number.
    pub fn new(text: String, number: Option<f64>) -> Self {
        Cell {
            text,
            number,
            filled: false,
            key: std::sync::OnceLock::new(),
        }
    }

    /// The text in `normalize_label` form, for label and year matching; empty for long
    /// texts, which are never labels.
    pub fn key(&self) -> &str {
        self.key.get_or_init(|| {
            if self.text.len() <= MAX_KEY_LEN {
                crate::parse::label::normalize_label(&self.text)
            } else {
                String::new()
            }
        })
    }
}

/// Longer texts are prose, not labels, years or headings.
pub const MAX_KEY_LEN: usize = 160;

/// A merged region, inclusive, 0-based (row, col).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Merge {
    /// First (row, column), 0-based.
    pub first: (u32, u32),
    /// Last (row, column), 0-based.
    pub last: (u32, u32),
}

/// One sheet as a grid of cells, merged ranges included.
#[derive(Debug, Clone, Default)]
pub struct Grid {
    /// Name.
    pub name: String,
    /// Hidden sheet.
    pub hidden: bool,
    /// Row-major: (row, col) → cell. Only non-empty or filled cells are kept.
    pub cells: BTreeMap<(u32, u32), Cell>,
    /// Merged regions in file order, indexed for `merge_of`.
    pub merges: merge_index::Merges,
}

/// `A1` notation for a 0-based (row, col).
pub fn a1(row: u32, col: u32) -> String {
    let mut c = col + 1;
    let mut letters = Vec::new();
    while c > 0 {
        let rem = (c - 1) % 26;
        letters.push(b'A' + rem as u8);
        c = (c - 1) / 26;
    }
    letters.reverse();
    format!("{}{}", String::from_utf8_lossy(&letters), row + 1)
}

impl Grid {
    /// The text of a cell; empty when none.
    pub fn text(&self, row: u32, col: u32) -> &str {
        self.cells.get(&(row, col)).map_or("", |c| c.text.as_str())
    }

    /// A cell, if the sheet has one there.
    pub fn cell(&self, row: u32, col: u32) -> Option<&Cell> {
        self.cells.get(&(row, col))
    }

    /// Whether a cell has a visible background fill, value or not.
    pub fn filled(&self, row: u32, col: u32) -> bool {
        self.cells.get(&(row, col)).is_some_and(|c| c.filled)
    }

    /// `'Sheet name'!B7`.
    pub fn at(&self, row: u32, col: u32) -> String {
        format!("{}!{}", self.name, a1(row, col))
    }

    /// The merged region a cell belongs to, if any.
    pub fn merge_of(&self, row: u32, col: u32) -> Option<Merge> {
        self.merges.find(row, col)
    }

    /// Rows that hold anything, in order.
    pub fn used_rows(&self) -> Vec<u32> {
        let mut rows: Vec<u32> = self.cells.keys().map(|k| k.0).collect();
        rows.dedup();
        rows
    }

    /// The non-empty cells of one row, in column order.
    pub fn row(&self, row: u32) -> impl Iterator<Item = (u32, &Cell)> {
        self.cells
            .range((row, 0)..=(row, u32::MAX))
            .map(|(k, c)| (k.1, c))
    }

    /// The last column that holds a cell.
    pub fn last_col(&self) -> u32 {
        self.cells.keys().map(|k| k.1).max().unwrap_or(0)
    }
}

#[cfg(test)]
mod tests {
    use super::a1;

    #[test]
    fn a1_names() {
        assert_eq!(a1(0, 0), "A1");
        assert_eq!(a1(6, 1), "B7");
        assert_eq!(a1(0, 25), "Z1");
        assert_eq!(a1(0, 26), "AA1");
        assert_eq!(a1(1_048_575, 16_383), "XFD1048576");
    }
}
