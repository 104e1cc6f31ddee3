//! The workbook reader, one floor below import, merge and export: opens a workbook of any
//! supported format (.xlsx, .xlsm, .xls, .ods) by its content, not its name, with caps against
//! hostile files, and turns each worksheet into a `grid::Grid` (cells as displayed, fills,
//! merged regions); a CSV file into one sheet (`read_csv`). The per-format parts are private:
//! the container checks (`zip_check`, `cfb_check`, `xls_scan`), the caps (`limits`), the
//! styles of .xls and .ods (`styles`), the merged regions of .xlsx (`merges`).

mod cfb_check;
mod csv;
mod error;
mod limits;
mod merges;
mod parts;
mod styles;
mod xls_scan;
mod zip_check;

use std::fs::File;
use std::io::{BufReader, Read, Seek};
use std::path::Path;

use calamine::{Data, Ods, Reader, SheetType, SheetVisible, Xls, Xlsx};

use crate::grid::{Cell, Grid, Merge};
use cfb_check::Contents;
// The merge header pass finds the hidden sheet's part without opening the workbook.
pub(crate) use csv::{is_csv, read as read_csv};
pub use error::ReadError;
use limits::Budget;
pub use limits::{MAX_CELLS_PER_SHEET, MAX_COL, MAX_ROW, MAX_UNCOMPRESSED};
pub(crate) use parts::sheet_parts;
use styles::CellStyles;

/// What the entries of a zip container declare, checked against the caps before anything is
/// inflated (sizes, compression ratios, the shared-string count); true for an OpenDocument
/// file. A reader that looks into a few cells of an .xlsx first (merge's header pass) calls
/// it before calamine opens the file.
pub(crate) fn check_zip(path: &Path) -> Result<bool, ReadError> {
    zip_check::check(path)
}

/// A workbook read: its sheets as grids.
pub struct Workbook {
    /// Sheets, in order.
    pub sheets: Vec<Grid>,
    /// Sheets that were not worksheets (charts, macros), by name.
    pub non_worksheets: Vec<String>,
}

enum Kind {
    Zip,
    Cfb,
}

fn sniff(path: &Path) -> Result<Kind, ReadError> {
    let mut head = [0u8; 8];
    let mut f = File::open(path).map_err(|e| ReadError::io(path, e))?;
    let n = f.read(&mut head).map_err(|e| ReadError::io(path, e))?;
    match &head[..n] {
        [0x50, 0x4B, 0x03, 0x04, ..] => Ok(Kind::Zip),
        [0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1] => Ok(Kind::Cfb),
        _ => Err(ReadError::NotAWorkbook {
            file: path.to_path_buf(),
        }),
    }
}

/// Reads a workbook. The readers of .xls/.xlsx/.ods bytes (calamine and the style readers) can
/// panic on a damaged file (an index past the end of a record, found by fuzzing): such a panic is
/// caught here and reported as a corrupt workbook naming the file, never a crash of the app.
pub fn open(path: &Path) -> Result<Workbook, ReadError> {
    open_with(path, |_| (), |_, _| true).map(|(wb, _)| wb)
}

/// `open`, and `per_sheet` run on each worksheet by the worker that read it, while the sheet
/// is still in its cache (an import recognises the layout there). One result per sheet of
/// `Workbook::sheets`, in order. A sheet `keep` declines (its result says all that is needed
/// of it) is emptied there and then: only its name and visibility stay, so a workbook of
/// thousands of sheets is not held whole (issue 18).
pub fn open_with<X: Send>(
    path: &Path,
    per_sheet: impl Fn(&Grid) -> X + Sync,
    keep: impl Fn(&Grid, &X) -> bool + Sync,
) -> Result<(Workbook, Vec<X>), ReadError> {
    let mut extras = Vec::new();
    let wb = open_each(path, per_sheet, keep, |x| {
        extras.push(x);
        Ok::<_, ReadError>(())
    })?;
    Ok((wb, extras))
}

/// `open_with`, each sheet's result handed to `sink` on the calling thread, in sheet order, as
/// soon as it is read (an .xlsx is read ahead on the cores meanwhile, a few sheets at most):
/// an import applies a sheet while the next are read, and holds no results. The first error,
/// the reader's or the sink's, stops the reading.
pub fn open_each<X: Send, E: From<ReadError>>(
    path: &Path,
    per_sheet: impl Fn(&Grid) -> X + Sync,
    keep: impl Fn(&Grid, &X) -> bool + Sync,
    mut sink: impl FnMut(X) -> Result<(), E>,
) -> Result<Workbook, E> {
    let per_sheet = |g: &mut Grid| {
        let x = per_sheet(g);
        if !keep(g, &x) {
            g.cells = Default::default();
            g.merges = Default::default();
        }
        x
    };
    std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
        open_unguarded(path, &per_sheet, &mut sink)
    }))
    .unwrap_or_else(|panic| {
        let why = crate::parallel::panic_message(panic.as_ref());
        Err(ReadError::Corrupt {
            file: path.to_path_buf(),
            detail: format!("読み取り中に異常を検出しました / the reader failed: {why}"),
        }
        .into())
    })
}

/// Every container is checked before calamine reads it: a zip by what its entries declare
/// (`zip_check`), then a .ods by the census of its tables and an .xlsx by the census of its
/// cells (which also keeps each sheet's merged regions: calamine inflates each sheet part once
/// more, nothing else does); a CFB file through the `cfb` crate (`cfb_check`) and its workbook stream record by
/// record (`xls_scan`). calamine then reads within the caps, and the copy into grids counts
/// every cell against the workbook's budget.
fn open_unguarded<X: Send, E: From<ReadError>>(
    path: &Path,
    per_sheet: &(impl Fn(&mut Grid) -> X + Sync),
    sink: &mut impl FnMut(X) -> Result<(), E>,
) -> Result<Workbook, E> {
    let budget = Budget::new(path);
    // Read whole (.ods, .xls), then handed over in order.
    let mut dense = |wb: Result<Workbook, ReadError>| -> Result<Workbook, E> {
        let wb = wb?;
        let Workbook {
            sheets,
            non_worksheets,
        } = wb;
        let sheets: Vec<std::sync::Mutex<Grid>> =
            sheets.into_iter().map(std::sync::Mutex::new).collect();
        let extras = crate::parallel::map_in_order(
            &sheets,
            || (),
            |_, g| match g.lock() {
                Ok(mut g) => per_sheet(&mut g),
                Err(poisoned) => per_sheet(&mut poisoned.into_inner()),
            },
        );
        let sheets: Vec<Grid> = sheets
            .into_iter()
            .map(|g| g.into_inner().unwrap_or_else(|p| p.into_inner()))
            .collect();
        for x in extras {
            sink(x)?;
        }
        Ok(Workbook {
            sheets,
            non_worksheets,
        })
    };
    match sniff(path)? {
        Kind::Zip => {
            if zip_check::check(path)? {
                // Fills and percentages, and the census of the tables, before calamine reads them.
                let styles = styles::ods::read(path)?;
                let wb: Ods<_> = calamine::open_workbook(path)
                    .map_err(|e| ReadError::from_calamine(path, calamine::Error::Ods(e)))?;
                dense(read_dense(path, wb, styles, &budget))
            } else {
                // The census of the cells, which keeps each sheet's merged regions.
                let merges = zip_check::census(path)?;
                let wb: Xlsx<_> = calamine::open_workbook(path)
                    .map_err(|e| ReadError::from_calamine(path, calamine::Error::Xlsx(e)))?;
                read_xlsx(path, wb, &merges, &budget, per_sheet, sink)
            }
        }
        Kind::Cfb => match cfb_check::read(path)? {
            Contents::Encrypted => Err(ReadError::Encrypted {
                file: path.to_path_buf(),
            }
            .into()),
            Contents::Workbook { name, stream } => {
                xls_scan::check(path, &stream)?;
                let styles = styles::xls::read_stream(path, stream.as_slice())?;
                let container = cfb_check::container(path, name, &stream)?;
                drop(stream);
                let wb = Xls::new(container)
                    .map_err(|e| ReadError::from_calamine(path, calamine::Error::Xls(e)))?;
                dense(read_dense(path, wb, styles, &budget))
            }
        },
    }
}

/// Displayed text of a numeric cell: integers without a decimal point, percentages as 「72.5%」.
fn number_text(n: f64, percent: bool) -> String {
    let v = if percent { n * 100.0 } else { n };
    // Round away binary noise (0.725 * 100 = 72.49999…).
    let v = (v * 1e9).round() / 1e9;
    let s = if v.fract() == 0.0 && v.abs() < 1e15 {
        format!("{}", v as i64)
    } else {
        format!("{v}")
    };
    if percent {
        format!("{s}%")
    } else {
        s
    }
}

fn cell_from(data: Data, percent: bool) -> Option<Cell> {
    let (text, number) = match data {
        Data::Empty => return None,
        Data::String(s) => (s, None),
        Data::Int(i) => (i.to_string(), Some(i as f64)),
        Data::Float(f) => (
            number_text(f, percent),
            Some(if percent { f * 100.0 } else { f }),
        ),
        Data::Bool(b) => (if b { "TRUE" } else { "FALSE" }.to_string(), None),
        Data::DateTime(d) => (
            d.as_datetime()
                .map(|d| d.date().to_string())
                .unwrap_or_else(|| d.to_string()),
            None,
        ),
        Data::DateTimeIso(s) | Data::DurationIso(s) => (s, None),
        Data::Error(e) => (format!("#{e:?}"), None),
    };
    Some(Cell::new(text, number))
}

fn read_xlsx<X: Send, E: From<ReadError>>(
    path: &Path,
    wb: Xlsx<BufReader<File>>,
    merges: &zip_check::SheetMerges,
    budget: &Budget<'_>,
    per_sheet: &(impl Fn(&mut Grid) -> X + Sync),
    sink: &mut impl FnMut(X) -> Result<(), E>,
) -> Result<Workbook, E> {
    let metas = wb.sheets_metadata().to_vec();
    if metas.len() > limits::MAX_SHEETS {
        return Err(limits::sheets(path, metas.len()).into());
    }
    let (worksheets, others): (Vec<_>, Vec<_>) = metas
        .into_iter()
        .partition(|m| m.typ == SheetType::WorkSheet);
    // The first worker takes the workbook already open; the others open their own.
    let first = std::sync::Mutex::new(Some(wb));
    let open = || -> Result<Xlsx<BufReader<File>>, Option<ReadError>> {
        match first.lock().ok().and_then(|mut f| f.take()) {
            Some(wb) => Ok(wb),
            None => calamine::open_workbook(path)
                .map_err(|e| Some(ReadError::from_calamine(path, calamine::Error::Xlsx(e)))),
        }
    };
    let mut sheets = Vec::with_capacity(worksheets.len());
    crate::parallel::for_each_in_order_with(
        &worksheets,
        READ_AHEAD,
        open,
        |wb, meta| {
            let mut grid = match wb {
                Ok(wb) => read_xlsx_sheet(path, wb, merges.get(&meta.name), meta, budget)?,
                // Reported once; the worker's other sheets fail with it.
                Err(e) => {
                    return Err(e.take().unwrap_or_else(|| ReadError::Corrupt {
                        file: path.to_path_buf(),
                        detail: "ブックを開き直せません / could not open the workbook again".into(),
                    }))
                }
            };
            let extra = per_sheet(&mut grid);
            Ok((grid, extra))
        },
        |_, read| {
            let (grid, extra) = read?;
            sink(extra)?;
            sheets.push(grid);
            Ok::<_, E>(())
        },
    )?;
    Ok(Workbook {
        sheets,
        non_worksheets: others.into_iter().map(|m| m.name).collect(),
    })
}

/// Sheets read ahead of the one being handed over: enough to keep the cores busy while it is
/// applied, few enough that the results held stay small.
const READ_AHEAD: usize = 16;

fn read_xlsx_sheet<RS: Read + Seek>(
    path: &Path,
    wb: &mut Xlsx<RS>,
    merges: Option<&Vec<Merge>>,
    meta: &calamine::Sheet,
    budget: &Budget<'_>,
) -> Result<Grid, ReadError> {
    let err = |e| ReadError::from_calamine(path, calamine::Error::Xlsx(e));
    let mut grid = Grid {
        name: meta.name.clone(),
        hidden: meta.visible != SheetVisible::Visible,
        ..Grid::default()
    };
    {
        // One pass over the sheet for values and style ids; a blank cell with a visible
        // fill is kept, because legacy schedules draw their bars that way.
        let mut reader = wb.worksheet_cells_reader(&meta.name).map_err(err)?;
        let mut tally = budget.sheet(&meta.name);
        let palette: Vec<(bool, bool)> = reader
            .styles()
            .iter()
            .map(|s| {
                let filled = s.fill.as_ref().is_some_and(|f| f.is_visible());
                let percent = s
                    .number_format
                    .as_ref()
                    .is_some_and(|f| f.format_code.contains('%'));
                (filled, percent)
            })
            .collect();
        while let Some((cell, style_id)) = reader.next_cell_with_style_id().map_err(err)? {
            let (filled, percent) = palette.get(style_id).copied().unwrap_or((false, false));
            let data: Data = cell.get_value().clone().into();
            let c = match cell_from(data, percent) {
                Some(mut c) => {
                    c.filled = filled;
                    c
                }
                None if filled => Cell {
                    filled: true,
                    ..Cell::default()
                },
                None => continue,
            };
            limits::check_extent(path, &meta.name, cell.get_position())?;
            tally.cell(grid.cells.len() as u64 + 1, c.text.len())?;
            grid.cells.insert(cell.get_position(), c);
        }
        tally.flush()?;
    }
    let found = match merges {
        Some(found) => found.clone(),
        None => wb
            .merge_cells_by_sheet_name(&meta.name)
            .map(|merges| {
                merges
                    .into_iter()
                    .map(|d| Merge {
                        first: d.start,
                        last: d.end,
                    })
                    .collect()
            })
            .unwrap_or_default(),
    };
    budget.merges(&meta.name, found.len())?;
    grid.merges = merges::checked(path, &meta.name, found)?.into();
    Ok(grid)
}

/// The grids of a .xls or .ods workbook from calamine's dense ranges, sheet by sheet, with the
/// fills and percentages its style reader found. calamine has built every range already, within
/// the caps the census of the container checked.
fn read_dense<R: Reader<RS>, RS: Read + Seek>(
    path: &Path,
    mut wb: R,
    mut styles: CellStyles,
    budget: &Budget<'_>,
) -> Result<Workbook, ReadError>
where
    calamine::Error: From<R::Error>,
{
    let metas = wb.sheets_metadata().to_vec();
    if metas.len() > limits::MAX_SHEETS {
        return Err(limits::sheets(path, metas.len()));
    }
    let mut out = Workbook {
        sheets: Vec::new(),
        non_worksheets: Vec::new(),
    };
    for meta in metas {
        if meta.typ != SheetType::WorkSheet {
            out.non_worksheets.push(meta.name.clone());
            continue;
        }
        let range = wb
            .worksheet_range(&meta.name)
            .map_err(|e| ReadError::from_calamine(path, e.into()))?;
        let mut grid = Grid {
            name: meta.name.clone(),
            hidden: meta.visible != SheetVisible::Visible,
            ..Grid::default()
        };
        let mut sheet_styles = styles.remove(&meta.name).unwrap_or_default();
        let start = range.start().unwrap_or((0, 0));
        for (r, c, data) in range.used_cells() {
            let pos = (start.0 + r as u32, start.1 + c as u32);
            let (filled, percent) = sheet_styles.remove(&pos).unwrap_or((false, false));
            // calamine gives whole numbers of .xls as integers; a percentage is shown as .xlsx
            // shows it (1 → 「100%」).
            let as_float;
            let data = match data {
                Data::Int(i) if percent => {
                    as_float = Data::Float(*i as f64);
                    &as_float
                }
                d => d,
            };
            if let Some(mut cell) = cell_from(data.clone(), percent) {
                cell.filled = filled;
                limits::check_extent(path, &meta.name, pos)?;
                budget.cell(&meta.name, grid.cells.len() as u64 + 1, cell.text.len())?;
                grid.cells.insert(pos, cell);
            }
        }
        drop(range);
        // Filled cells without a value: the bars of legacy schedules. The style readers keep
        // only positions within MAX_ROW/MAX_COL.
        for (pos, (filled, _)) in sheet_styles {
            if filled && !grid.cells.contains_key(&pos) {
                budget.cell(&meta.name, grid.cells.len() as u64 + 1, 0)?;
                grid.cells.insert(
                    pos,
                    Cell {
                        filled: true,
                        ..Cell::default()
                    },
                );
            }
        }
        out.sheets.push(grid);
    }
    Ok(out)
}
