//! Two facts about cells that calamine exposes for .xlsx but not for .xls and .ods, read
//! straight from the file: whether a cell has a visible background fill (legacy schedules draw
//! their bars as filled blank cells) and whether a number is formatted as a percentage (0.2
//! shown as 「20%」). `workbook::read_dense` merges them into the cells calamine reads; the
//! workbook reader calls `ods::read` with the file and `xls::read_stream` with the Workbook
//! stream it has checked.
//!
//! Only cells that are filled or percentages are recorded, never expanded repeats of empty
//! cells, and never beyond the caps of `limits` (`MAX_ROW`, `MAX_COL`, `MAX_STYLED_CELLS`).

use std::collections::HashMap;
use std::path::Path;

use super::error::ReadError;
use super::limits::{self, MAX_CELLS_PER_SHEET, MAX_COL, MAX_ROW};

pub(crate) mod ods;
pub(crate) mod xls;

/// Per cell (row, col), 0-based: (filled, percent).
pub type SheetStyles = HashMap<(u32, u32), (bool, bool)>;
/// Per sheet name, as calamine names the sheet.
pub type CellStyles = HashMap<String, SheetStyles>;

/// Filled or percentage cells recorded for a whole workbook. A plan workbook has a few thousand;
/// more is a hostile file or a sheet formatted to the edge, which the cell cap refuses anyway.
pub const MAX_STYLED_CELLS: usize = MAX_CELLS_PER_SHEET as usize;

pub(crate) fn corrupt(path: &Path, detail: impl Into<String>) -> ReadError {
    ReadError::Corrupt {
        file: path.to_path_buf(),
        detail: detail.into(),
    }
}

/// Collects the styles of one sheet after another, within the caps.
pub(crate) struct Collector<'p> {
    path: &'p Path,
    done: CellStyles,
    done_len: usize,
    sheet: Option<(String, SheetStyles)>,
}

impl<'p> Collector<'p> {
    pub fn new(path: &'p Path) -> Self {
        Collector {
            path,
            done: CellStyles::new(),
            done_len: 0,
            sheet: None,
        }
    }

    pub fn begin_sheet(&mut self, name: String) {
        self.end_sheet();
        self.sheet = Some((name, SheetStyles::new()));
    }

    pub fn end_sheet(&mut self) {
        if let Some((name, cells)) = self.sheet.take() {
            if cells.is_empty() {
                return;
            }
            // The same name twice (a malformed file): the later sheet's cells win, like calamine's.
            self.done_len += cells.len();
            if let Some(old) = self.done.insert(name, cells) {
                self.done_len -= old.len();
            }
        }
    }

    fn len(&self) -> usize {
        self.done_len + self.sheet.as_ref().map_or(0, |s| s.1.len())
    }

    fn too_many(&self) -> ReadError {
        let sheet = self.sheet.as_ref().map_or("", |s| s.0.as_str());
        limits::too_large(
            self.path,
            format!("シート「{sheet}」までの塗りつぶし・書式付きセル数"),
            format!("filled or formatted cells up to sheet {sheet}"),
            format!("{} セル / cells", limits::grouped(MAX_STYLED_CELLS as u64)),
        )
    }

    /// Records one cell; cells beyond `MAX_ROW`/`MAX_COL` are left to the value reader's extent
    /// check, and a cell that is neither filled nor a percentage is not recorded.
    pub fn cell(&mut self, pos: (u32, u32), filled: bool, percent: bool) -> Result<(), ReadError> {
        if !(filled || percent) || pos.0 >= MAX_ROW || pos.1 >= MAX_COL {
            return Ok(());
        }
        if self.len() >= MAX_STYLED_CELLS {
            return Err(self.too_many());
        }
        if let Some((_, cells)) = self.sheet.as_mut() {
            cells.insert(pos, (filled, percent));
        }
        Ok(())
    }

    /// Records the same column segments `[first, last)` on every row of `rows`, after checking
    /// that they fit the cap. Rows and columns must already be within `MAX_ROW`/`MAX_COL`.
    pub fn block(
        &mut self,
        rows: std::ops::Range<u32>,
        segments: &[Segment],
    ) -> Result<(), ReadError> {
        let width: u64 = segments
            .iter()
            .filter(|s| s.filled || s.percent)
            .map(|s| u64::from(s.last - s.first))
            .sum();
        let n = u64::from(rows.end.saturating_sub(rows.start)).saturating_mul(width);
        if n == 0 {
            return Ok(());
        }
        if (self.len() as u64).saturating_add(n) > MAX_STYLED_CELLS as u64 {
            return Err(self.too_many());
        }
        let Some((_, cells)) = self.sheet.as_mut() else {
            return Ok(());
        };
        for row in rows {
            for s in segments.iter().filter(|s| s.filled || s.percent) {
                for col in s.first..s.last {
                    cells.insert((row, col), (s.filled, s.percent));
                }
            }
        }
        Ok(())
    }

    pub fn finish(mut self) -> CellStyles {
        self.end_sheet();
        self.done
    }
}

/// Columns `[first, last)` of a row that share a fill and a percentage.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Segment {
    pub first: u32,
    pub last: u32,
    pub filled: bool,
    pub percent: bool,
}
