//! The caps every workbook reader works within, and the workbook-wide budget the readers of one
//! file draw from. Each cap is checked before the allocation it guards (a pre-scan of the
//! container, or inside the loop that copies cells), so a hostile file is refused with the file
//! and the cap named instead of exhausting memory. README.md lists them; keep both in step.
//!
//! Sized from dxplan's own largest legitimate input, the master workbook of a 10,000-project
//! plan: 10,005 sheets, 4.6 M cell elements of which 2.1 M hold a value, 88 MB of cell text,
//! 259 MB inflated from 45 MB (5.9 : 1, its most compressible part 46 : 1). Each cap leaves
//! about twice that.

use std::path::Path;
use std::sync::atomic::{AtomicU64, Ordering};

use super::error::ReadError;

const MIB: u64 = 1024 * 1024;

/// Bytes all parts of a zip (.xlsx, .ods) may inflate to.
pub const MAX_UNCOMPRESSED: u64 = 512 * MIB;
/// Compression ratio above which a part larger than `RATIO_FLOOR` is taken for a bomb.
pub const MAX_RATIO: u64 = 200;
pub const RATIO_FLOOR: u64 = MIB;
/// Compression ratio of the whole archive above which one inflating past `TOTAL_RATIO_FLOOR`
/// is taken for a bomb (many small parts, each under `RATIO_FLOOR`).
pub const MAX_TOTAL_RATIO: u64 = 100;
pub const TOTAL_RATIO_FLOOR: u64 = 32 * MIB;
/// Sheets per workbook. dxplan's own master workbook has one sheet per project plus six, and
/// must come back in (the round trip of a plan of 10,000 projects).
pub const MAX_SHEETS: usize = 20_000;
/// No plan sheet reaches this far; a cell beyond is a stray keystroke or a hostile file, and
/// its used range would make every reader of the sheet crawl.
pub const MAX_ROW: u32 = 100_000;
/// Columns read from a sheet at most.
pub const MAX_COL: u32 = 1_000;
/// Cells kept (a value, or a fill without one) per sheet and per workbook.
pub const MAX_CELLS_PER_SHEET: u64 = 2_000_000;
pub const MAX_CELLS: u64 = 4_000_000;
/// Cell elements (`<c>`) of all .xlsx sheets, empty ones included: what the reader walks.
pub const MAX_CELL_ELEMENTS: u64 = 10_000_000;
/// Bytes of cell text of a workbook, counted as often as a cell repeats it (a shared string
/// cited by a million cells is a million copies).
pub const MAX_TEXT_BYTES: u64 = 256 * MIB;
/// Cells of the rectangular grids calamine builds for .xls and .ods (every cell of each sheet's
/// used range, empty or not), all sheets together.
pub const MAX_DENSE_CELLS: u64 = 5_000_000;
/// Merged regions per sheet and per workbook.
pub const MAX_MERGES_PER_SHEET: u64 = 100_000;
pub const MAX_MERGES: u64 = 1_000_000;

/// 1234567 → 「1,234,567」.
pub fn grouped(n: u64) -> String {
    let s = n.to_string();
    let mut out = String::with_capacity(s.len() + s.len() / 3);
    for (i, ch) in s.chars().enumerate() {
        if i > 0 && (s.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(ch);
    }
    out
}

/// Bytes as 「512 MB」.
pub fn megabytes(n: u64) -> String {
    format!("{} MB", grouped(n / MIB))
}

/// The refusal of a file that passes a cap: what (Japanese, English) and the cap.
pub fn too_large(
    path: &Path,
    ja: impl Into<String>,
    en: impl Into<String>,
    limit: impl Into<String>,
) -> ReadError {
    ReadError::TooLarge {
        file: path.to_path_buf(),
        ja: ja.into(),
        en: en.into(),
        limit: limit.into(),
    }
}

/// The cells and text of one workbook, counted by every worker that reads a sheet of it.
pub struct Budget<'p> {
    path: &'p Path,
    cells: AtomicU64,
    text: AtomicU64,
    merges: AtomicU64,
}

impl<'p> Budget<'p> {
    pub fn new(path: &'p Path) -> Self {
        Budget {
            path,
            cells: AtomicU64::new(0),
            text: AtomicU64::new(0),
            merges: AtomicU64::new(0),
        }
    }

    /// Counts one kept cell of `sheet` holding `text_len` bytes; refuses past `MAX_CELLS` or
    /// `MAX_TEXT_BYTES`. `in_sheet` is the sheet's count, this cell included.
    pub fn cell(&self, sheet: &str, in_sheet: u64, text_len: usize) -> Result<(), ReadError> {
        if in_sheet > MAX_CELLS_PER_SHEET {
            return Err(cells_in_sheet(self.path, sheet));
        }
        if self.cells.fetch_add(1, Ordering::Relaxed) >= MAX_CELLS {
            return Err(cells_in_workbook(self.path, sheet));
        }
        if text_len > 0
            && self.text.fetch_add(text_len as u64, Ordering::Relaxed) + text_len as u64
                > MAX_TEXT_BYTES
        {
            return Err(text_in_workbook(self.path, sheet));
        }
        Ok(())
    }

    /// Counts the merged regions of `sheet`; refuses past `MAX_MERGES`.
    pub fn merges(&self, sheet: &str, n: usize) -> Result<(), ReadError> {
        if self.merges.fetch_add(n as u64, Ordering::Relaxed) + n as u64 > MAX_MERGES {
            return Err(too_large(
                self.path,
                format!("ブック全体の結合セルの数（シート「{sheet}」まで）"),
                format!("merged regions in the workbook (up to sheet {sheet})"),
                format!("{} 個 / regions", grouped(MAX_MERGES)),
            ));
        }
        Ok(())
    }
}

/// Cells and bytes of text a sheet's tally holds before adding them to the workbook's budget.
const TALLY_CELLS: u64 = 1024;
const TALLY_TEXT: u64 = 1024 * 1024;

/// One sheet's share of the budget, counted by the worker reading it and added to the
/// workbook's every `TALLY_CELLS` cells or `TALLY_TEXT` bytes and when the sheet ends (`flush`):
/// two workers adding every cell to the same counters spent as long on them as on reading the
/// cell. The workbook's caps may be passed by that much before the refusal; the sheet's cap is
/// checked at every cell.
pub struct SheetTally<'b, 'p> {
    budget: &'b Budget<'p>,
    sheet: &'b str,
    cells: u64,
    text: u64,
}

impl<'p> Budget<'p> {
    /// A tally for the cells of `sheet`.
    pub fn sheet<'b>(&'b self, sheet: &'b str) -> SheetTally<'b, 'p> {
        SheetTally {
            budget: self,
            sheet,
            cells: 0,
            text: 0,
        }
    }
}

impl SheetTally<'_, '_> {
    /// Counts one kept cell holding `text_len` bytes; `in_sheet` is the sheet's count, this
    /// cell included. Refuses past `MAX_CELLS_PER_SHEET` here, past `MAX_CELLS` or
    /// `MAX_TEXT_BYTES` when the tally is added to the workbook's.
    pub fn cell(&mut self, in_sheet: u64, text_len: usize) -> Result<(), ReadError> {
        if in_sheet > MAX_CELLS_PER_SHEET {
            return Err(cells_in_sheet(self.budget.path, self.sheet));
        }
        self.cells += 1;
        self.text += text_len as u64;
        if self.cells >= TALLY_CELLS || self.text >= TALLY_TEXT {
            self.flush()?;
        }
        Ok(())
    }

    /// Adds what the tally holds to the workbook's budget.
    pub fn flush(&mut self) -> Result<(), ReadError> {
        let (cells, text) = (
            std::mem::take(&mut self.cells),
            std::mem::take(&mut self.text),
        );
        let b = self.budget;
        if cells > 0 && b.cells.fetch_add(cells, Ordering::Relaxed) + cells > MAX_CELLS {
            return Err(cells_in_workbook(b.path, self.sheet));
        }
        if text > 0 && b.text.fetch_add(text, Ordering::Relaxed) + text > MAX_TEXT_BYTES {
            return Err(text_in_workbook(b.path, self.sheet));
        }
        Ok(())
    }
}

pub fn cells_in_sheet(path: &Path, sheet: &str) -> ReadError {
    too_large(
        path,
        format!("シート「{sheet}」のセル数"),
        format!("cells in sheet {sheet}"),
        format!("{} セル / cells", grouped(MAX_CELLS_PER_SHEET)),
    )
}

pub fn cells_in_workbook(path: &Path, sheet: &str) -> ReadError {
    too_large(
        path,
        format!("ブック全体のセル数（シート「{sheet}」まで）"),
        format!("cells in the workbook (up to sheet {sheet})"),
        format!("{} セル / cells", grouped(MAX_CELLS)),
    )
}

pub fn text_in_workbook(path: &Path, sheet: &str) -> ReadError {
    too_large(
        path,
        format!("ブック全体のセルの文字列（シート「{sheet}」まで）"),
        format!("cell text in the workbook (up to sheet {sheet})"),
        megabytes(MAX_TEXT_BYTES),
    )
}

pub fn sheets(path: &Path, n: usize) -> ReadError {
    too_large(
        path,
        format!("シート数 {}", grouped(n as u64)),
        format!("{} sheets", grouped(n as u64)),
        format!("{} 枚 / sheets", grouped(MAX_SHEETS as u64)),
    )
}

pub fn dense_cells(path: &Path, sheet: &str, n: u64) -> ReadError {
    too_large(
        path,
        format!(
            "使用範囲のセル数の合計 {}（シート「{sheet}」まで）",
            grouped(n)
        ),
        format!(
            "{} cells in the used ranges (up to sheet {sheet})",
            grouped(n)
        ),
        format!("{} セル / cells", grouped(MAX_DENSE_CELLS)),
    )
}

pub fn used_range(path: &Path, sheet: &str, (row, col): (u32, u32)) -> ReadError {
    let at = crate::grid::a1(row, col);
    too_large(
        path,
        format!("シート「{sheet}」の使用範囲が {at} まであります。不要なセルを削除してください"),
        format!("the used range of sheet {sheet} reaches {at}"),
        format!(
            "{} 行 × {} 列 / rows × columns",
            grouped(MAX_ROW as u64),
            grouped(MAX_COL as u64)
        ),
    )
}

/// Refuses a cell at or beyond `MAX_ROW`/`MAX_COL`.
pub fn check_extent(path: &Path, sheet: &str, pos: (u32, u32)) -> Result<(), ReadError> {
    if pos.0 >= MAX_ROW || pos.1 >= MAX_COL {
        return Err(used_range(path, sheet, pos));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_are_grouped() {
        assert_eq!(grouped(0), "0");
        assert_eq!(grouped(999), "999");
        assert_eq!(grouped(1000), "1,000");
        assert_eq!(grouped(4_000_000), "4,000,000");
        assert_eq!(megabytes(512 * MIB), "512 MB");
    }

    #[test]
    fn the_budget_is_shared_and_names_the_cap() {
        let b = Budget::new(Path::new("x.xlsx"));
        assert!(b.cell("S", 1, 10).is_ok());
        let e = b
            .cell("S", MAX_CELLS_PER_SHEET + 1, 0)
            .unwrap_err()
            .to_string();
        assert!(e.contains("x.xlsx") && e.contains("2,000,000"), "{e}");
        let e = b
            .cell("S", 2, (MAX_TEXT_BYTES) as usize)
            .unwrap_err()
            .to_string();
        assert!(e.contains("256 MB") && e.contains("cell text"), "{e}");
        b.cells.store(MAX_CELLS, Ordering::Relaxed);
        let e = b.cell("T", 1, 0).unwrap_err().to_string();
        assert!(e.contains("4,000,000") && e.contains("T"), "{e}");
    }

    #[test]
    fn a_sheets_tally_reaches_the_workbooks_caps() {
        let b = Budget::new(Path::new("x.xlsx"));
        let mut t = b.sheet("S");
        let e = t.cell(MAX_CELLS_PER_SHEET + 1, 0).unwrap_err().to_string();
        assert!(e.contains("x.xlsx") && e.contains("2,000,000"), "{e}");
        b.cells.store(MAX_CELLS - 10, Ordering::Relaxed);
        let mut t = b.sheet("T");
        for i in 1..=10 {
            t.cell(i, 1).unwrap();
        }
        t.flush().unwrap();
        assert_eq!(b.cells.load(Ordering::Relaxed), MAX_CELLS);
        let mut t = b.sheet("U");
        t.cell(1, 0).unwrap();
        let e = t.flush().unwrap_err().to_string();
        assert!(e.contains("4,000,000") && e.contains("U"), "{e}");
        // A large text is added at once; the rest at the sheet's end at the latest.
        let b = Budget::new(Path::new("x.xlsx"));
        let mut t = b.sheet("V");
        t.cell(1, MAX_TEXT_BYTES as usize - 1).unwrap();
        assert_eq!(b.text.load(Ordering::Relaxed), MAX_TEXT_BYTES - 1);
        t.cell(2, 2).unwrap();
        let e = t.flush().unwrap_err().to_string();
        assert!(e.contains("256 MB") && e.contains("V"), "{e}");
    }
}
