//! Opens a workbook of any supported format (.xlsx, .xlsm, .xls, .ods) by its content, not its
//! name, with caps against hostile files, and turns each worksheet into a `Grid`.

use std::fs::File;
use std::io::{BufReader, Read, Seek};
use std::path::Path;

use calamine::{Data, Ods, Reader, SheetType, SheetVisible, Xls, Xlsx};

use super::error::ImportError;
use super::grid::{Cell, Grid, Merge};

/// Uncompressed size a workbook may declare in all (zip bomb guard).
pub const MAX_UNCOMPRESSED: u64 = 512 * 1024 * 1024;
/// Compression ratio above which a large entry is taken for a bomb.
const MAX_RATIO: u64 = 200;
/// Non-empty cells per sheet.
pub const MAX_CELLS_PER_SHEET: usize = 2_000_000;
/// Cells of a dense grid (.xls/.ods are read densely by calamine).
const MAX_DENSE_CELLS: u64 = 20_000_000;
/// Sheets per workbook. dxplan's own master workbook has one sheet per project plus six, and
/// must come back in (the round trip of a plan of 10,000 projects); beyond this a workbook is
/// taken for hostile.
const MAX_SHEETS: usize = 20_000;
/// No plan sheet reaches this far; a cell beyond is a stray keystroke or a hostile file, and
/// its used range would make every reader of the sheet crawl.
pub const MAX_ROW: u32 = 100_000;
pub const MAX_COL: u32 = 1_000;

fn check_extent(path: &Path, sheet: &str, (row, col): (u32, u32)) -> Result<(), ImportError> {
    if row >= MAX_ROW || col >= MAX_COL {
        return Err(ImportError::TooLarge {
            file: path.to_path_buf(),
            what: format!(
                "シート「{sheet}」の使用範囲が {} まであります。不要なセルを削除してください / used range reaches {}",
                super::grid::a1(row, col),
                super::grid::a1(row, col)
            ),
        });
    }
    Ok(())
}

pub struct Workbook {
    pub sheets: Vec<Grid>,
    /// Sheets that were not worksheets (charts, macros), by name.
    pub non_worksheets: Vec<String>,
}

enum Kind {
    Zip,
    Cfb,
}

fn sniff(path: &Path) -> Result<Kind, ImportError> {
    let mut head = [0u8; 8];
    let mut f = File::open(path).map_err(|e| ImportError::io(path, e))?;
    let n = f.read(&mut head).map_err(|e| ImportError::io(path, e))?;
    match &head[..n] {
        [0x50, 0x4B, 0x03, 0x04, ..] => Ok(Kind::Zip),
        [0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1] => Ok(Kind::Cfb),
        _ => Err(ImportError::NotAWorkbook {
            file: path.to_path_buf(),
        }),
    }
}

/// Refuses zips that declare more than we are willing to inflate. Entry sizes can lie, but
/// the zip reader stops at the declared size, so the declaration is what bounds memory.
fn check_zip(path: &Path) -> Result<bool, ImportError> {
    let f = File::open(path).map_err(|e| ImportError::io(path, e))?;
    let mut zip = zip::ZipArchive::new(BufReader::new(f)).map_err(|e| ImportError::Corrupt {
        file: path.to_path_buf(),
        detail: e.to_string(),
    })?;
    let mut total: u64 = 0;
    let mut is_ods = false;
    for i in 0..zip.len() {
        let entry = zip.by_index_raw(i).map_err(|e| ImportError::Corrupt {
            file: path.to_path_buf(),
            detail: e.to_string(),
        })?;
        let (size, packed) = (entry.size(), entry.compressed_size().max(1));
        total = total.saturating_add(size);
        if total > MAX_UNCOMPRESSED || (size > 16 * 1024 * 1024 && size / packed > MAX_RATIO) {
            return Err(ImportError::TooLarge {
                file: path.to_path_buf(),
                what: format!(
                    "展開後のサイズ {} MB / uncompressed size",
                    total / (1024 * 1024)
                ),
            });
        }
        if entry.name().is_ok_and(|n| n == "mimetype") {
            is_ods = true;
        }
        let shared_strings = entry.name().is_ok_and(|n| n.ends_with("sharedStrings.xml"));
        drop(entry);
        if shared_strings {
            check_shared_strings(path, &mut zip, i, size)?;
        }
    }
    Ok(is_ods)
}

/// calamine reserves room for as many strings as `<sst uniqueCount="N">` declares before reading
/// one: a part of a few bytes declaring 4 billion strings would allocate 100 GB. Every string
/// takes at least 5 bytes of the part (`<si/>`), so a larger count is a lie.
fn check_shared_strings<R: Read + Seek>(
    path: &Path,
    zip: &mut zip::ZipArchive<R>,
    i: usize,
    size: u64,
) -> Result<(), ImportError> {
    let corrupt = |detail: String| ImportError::Corrupt {
        file: path.to_path_buf(),
        detail,
    };
    let mut head = Vec::new();
    zip.by_index(i)
        .map_err(|e| corrupt(e.to_string()))?
        .take(4096)
        .read_to_end(&mut head)
        .map_err(|e| corrupt(e.to_string()))?;
    let head = String::from_utf8_lossy(&head);
    let Some(at) = head.find("uniqueCount=") else {
        return Ok(());
    };
    let digits: String = head[at + 12..]
        .chars()
        .skip(1)
        .take_while(|c| c.is_ascii_digit())
        .collect();
    match digits.parse::<u64>() {
        Ok(n) if n > size / 5 + 1 => Err(corrupt(format!(
            "共有文字列の数 {n} が大きすぎます / sharedStrings.xml declares {n} strings in {size} bytes"
        ))),
        _ => Ok(()),
    }
}

/// Reads a workbook. The readers of .xls/.xlsx/.ods bytes (calamine and the style readers) can
/// panic on a damaged file (an index past the end of a record, found by fuzzing): such a panic is
/// caught here and reported as a corrupt workbook naming the file, never a crash of the app.
pub fn open(path: &Path) -> Result<Workbook, ImportError> {
    open_with(path, |_| ()).map(|(wb, _)| wb)
}

/// `open`, and `per_sheet` run on each worksheet by the worker that read it, while the sheet
/// is still in its cache (an import recognises the layout there). One result per sheet of
/// `Workbook::sheets`, in order.
pub fn open_with<X: Send>(
    path: &Path,
    per_sheet: impl Fn(&Grid) -> X + Sync,
) -> Result<(Workbook, Vec<X>), ImportError> {
    std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
        open_unguarded(path, &per_sheet)
    }))
    .unwrap_or_else(|panic| {
        let why = panic
            .downcast_ref::<&str>()
            .map(|s| s.to_string())
            .or_else(|| panic.downcast_ref::<String>().cloned())
            .unwrap_or_default();
        Err(ImportError::Corrupt {
            file: path.to_path_buf(),
            detail: format!("読み取り中に異常を検出しました / the reader failed: {why}"),
        })
    })
}

fn open_unguarded<X: Send>(
    path: &Path,
    per_sheet: &(impl Fn(&Grid) -> X + Sync),
) -> Result<(Workbook, Vec<X>), ImportError> {
    let dense = |wb: Workbook| {
        let extras = crate::parallel::map_in_order(&wb.sheets, || (), |_, g| per_sheet(g));
        (wb, extras)
    };
    match sniff(path)? {
        Kind::Zip => {
            if check_zip(path)? {
                let wb: Ods<_> = calamine::open_workbook(path)
                    .map_err(|e| ImportError::from_calamine(path, calamine::Error::Ods(e)))?;
                read_dense(path, wb).map(dense)
            } else {
                let wb: Xlsx<_> = calamine::open_workbook(path)
                    .map_err(|e| ImportError::from_calamine(path, calamine::Error::Xlsx(e)))?;
                read_xlsx(path, wb, per_sheet)
            }
        }
        Kind::Cfb => {
            // An encrypted .xlsx is a CFB container too; calamine's Xlsx reader names it.
            let file = BufReader::new(File::open(path).map_err(|e| ImportError::io(path, e))?);
            if let Err(calamine::XlsxError::Password) = Xlsx::new(file) {
                return Err(ImportError::Encrypted {
                    file: path.to_path_buf(),
                });
            }
            check_xls_extent(path)?;
            let wb: Xls<_> = calamine::open_workbook(path)
                .map_err(|e| ImportError::from_calamine(path, calamine::Error::Xls(e)))?;
            read_dense(path, wb).map(dense)
        }
    }
}

/// calamine's .xls reader builds every sheet as a dense grid (rows × columns of its cells, and
/// room for its DIMENSIONS record) when the workbook is opened, before any sheet can be refused:
/// an 8 KB file with two cells far apart asks for gigabytes (found by fuzzing). So the records
/// calamine reads are scanned first, the same way: the globals up to their EOF for the sheets'
/// offsets (BOUNDSHEET), then each sheet from its offset to its EOF.
fn check_xls_extent(path: &Path) -> Result<(), ImportError> {
    let f = File::open(path).map_err(|e| ImportError::io(path, e))?;
    // A container the `cfb` crate cannot read is refused here (the .xls style reader would
    // refuse it next anyway); calamine's own, laxer reader would build its grids first.
    let corrupt = |e: std::io::Error| ImportError::Corrupt {
        file: path.to_path_buf(),
        detail: format!("CFB: {e}"),
    };
    let mut cfb = cfb::CompoundFile::open(BufReader::new(f)).map_err(corrupt)?;
    // No workbook stream: calamine says so.
    let Ok(stream) = cfb
        .open_stream("/Workbook")
        .or_else(|_| cfb.open_stream("/Book"))
    else {
        return Ok(());
    };
    let mut bytes = Vec::new();
    stream
        .take(MAX_UNCOMPRESSED)
        .read_to_end(&mut bytes)
        .map_err(corrupt)?;
    let u16_at = |d: &[u8], i: usize| {
        d.get(i..i + 2)
            .map_or(0, |b| u16::from_le_bytes([b[0], b[1]]) as u64)
    };
    let u32_at = |d: &[u8], i: usize| {
        d.get(i..i + 4)
            .map_or(0, |b| u32::from_le_bytes([b[0], b[1], b[2], b[3]]) as u64)
    };
    let records = |at: usize| xls_records(&bytes, at);
    let offsets: Vec<usize> = records(0)
        .into_iter()
        .filter(|(t, d)| *t == 0x0085 && d.len() >= 4)
        .map(|(_, d)| u32_at(d, 0) as usize)
        .collect();
    let too_large = |what: String| ImportError::TooLarge {
        file: path.to_path_buf(),
        what,
    };
    for at in offsets {
        let (mut r0, mut r1, mut c0, mut c1) = (u64::MAX, 0u64, u64::MAX, 0u64);
        for (typ, d) in records(at) {
            let cols = match typ {
                // NUMBER, LABEL, RSTRING, BOOLERR, RK, LABELSST, FORMULA: row, column.
                0x0203 | 0x0204 | 0x00D6 | 0x0205 | 0x027E | 0x00FD | 0x0006 => {
                    (u16_at(d, 2), u16_at(d, 2))
                }
                // MULRK: row, first column, …, last column.
                0x00BD if d.len() >= 6 => (u16_at(d, 2), u16_at(d, d.len() - 2)),
                // DIMENSIONS: calamine reserves rows × columns of it.
                0x0200 => {
                    let (rf, rl, cf, cl) = if d.len() == 10 {
                        (u16_at(d, 0), u16_at(d, 2), u16_at(d, 4), u16_at(d, 6))
                    } else {
                        (u32_at(d, 0), u32_at(d, 4), u16_at(d, 8), u16_at(d, 10))
                    };
                    let cf = if cf > 0xFF || cl < cf { 0 } else { cf };
                    if rl == 0 || cl == 0 {
                        continue;
                    }
                    // As calamine counts them, in u32 (a first row after the last wraps around).
                    let span = |first: u64, last: u64| {
                        ((last as u32)
                            .wrapping_sub(1)
                            .wrapping_sub(first as u32)
                            .wrapping_add(1)) as u64
                    };
                    let cells = span(rf, rl).saturating_mul(span(cf, cl));
                    if cells > MAX_DENSE_CELLS {
                        return Err(too_large(format!("シートの範囲（DIMENSIONS）が {cells} セル / declared range of {cells} cells")));
                    }
                    continue;
                }
                _ => continue,
            };
            let row = u16_at(d, 0);
            (r0, r1, c0, c1) = (
                r0.min(row),
                r1.max(row),
                c0.min(cols.0.min(cols.1)),
                c1.max(cols.0.max(cols.1)),
            );
        }
        if r0 <= r1 && (r1 - r0 + 1).saturating_mul(c1 - c0 + 1) > MAX_DENSE_CELLS {
            return Err(too_large(format!(
                "シートの使用範囲が {} 行 × {} 列 / used range of {} rows × {} columns",
                r1 - r0 + 1,
                c1 - c0 + 1,
                r1 - r0 + 1,
                c1 - c0 + 1
            )));
        }
    }
    Ok(())
}

/// (type, data) of each BIFF record from `at` to the EOF record that closes its substream.
fn xls_records(bytes: &[u8], at: usize) -> Vec<(u16, &[u8])> {
    let mut out = Vec::new();
    let (mut i, mut depth) = (at, 0usize);
    while let Some(head) = bytes.get(i..i + 4) {
        let (typ, len) = (
            u16::from_le_bytes([head[0], head[1]]),
            u16::from_le_bytes([head[2], head[3]]) as usize,
        );
        let Some(data) = bytes.get(i + 4..i + 4 + len) else {
            break;
        };
        out.push((typ, data));
        match typ {
            0x0809 if i != at => depth += 1,
            0x000A if depth == 0 => break,
            0x000A => depth -= 1,
            _ => {}
        }
        i += 4 + len;
    }
    out
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

fn too_many_cells(path: &Path, sheet: &str) -> ImportError {
    ImportError::TooLarge {
        file: path.to_path_buf(),
        what: format!("シート「{sheet}」のセル数 / cells in sheet {sheet}"),
    }
}

fn read_xlsx<X: Send>(
    path: &Path,
    wb: Xlsx<BufReader<File>>,
    per_sheet: &(impl Fn(&Grid) -> X + Sync),
) -> Result<(Workbook, Vec<X>), ImportError> {
    let metas = wb.sheets_metadata().to_vec();
    if metas.len() > MAX_SHEETS {
        return Err(ImportError::TooLarge {
            file: path.to_path_buf(),
            what: format!("シート数 {} / sheets", metas.len()),
        });
    }
    let (worksheets, others): (Vec<_>, Vec<_>) = metas
        .into_iter()
        .partition(|m| m.typ == SheetType::WorkSheet);
    // The first worker takes the workbook already open; the others open their own.
    let first = std::sync::Mutex::new(Some(wb));
    let open = || -> Result<Xlsx<BufReader<File>>, Option<ImportError>> {
        match first.lock().ok().and_then(|mut f| f.take()) {
            Some(wb) => Ok(wb),
            None => calamine::open_workbook(path)
                .map_err(|e| Some(ImportError::from_calamine(path, calamine::Error::Xlsx(e)))),
        }
    };
    let init = || (open(), super::merges::MergeReader::open(path));
    let read = crate::parallel::map_in_order(&worksheets, init, |(wb, merges), meta| {
        let grid = match wb {
            Ok(wb) => read_xlsx_sheet(path, wb, merges.as_mut(), meta)?,
            // Reported once; the worker's other sheets fail with it.
            Err(e) => {
                return Err(e.take().unwrap_or_else(|| ImportError::Corrupt {
                    file: path.to_path_buf(),
                    detail: "ブックを開き直せません / could not open the workbook again".into(),
                }))
            }
        };
        let extra = per_sheet(&grid);
        Ok((grid, extra))
    });
    let (sheets, extras) = read
        .into_iter()
        .collect::<Result<Vec<_>, _>>()?
        .into_iter()
        .unzip();
    Ok((
        Workbook {
            sheets,
            non_worksheets: others.into_iter().map(|m| m.name).collect(),
        },
        extras,
    ))
}

fn read_xlsx_sheet<RS: Read + Seek>(
    path: &Path,
    wb: &mut Xlsx<RS>,
    merges: Option<&mut super::merges::MergeReader>,
    meta: &calamine::Sheet,
) -> Result<Grid, ImportError> {
    let err = |e| ImportError::from_calamine(path, calamine::Error::Xlsx(e));
    let mut grid = Grid {
        name: meta.name.clone(),
        hidden: meta.visible != SheetVisible::Visible,
        ..Grid::default()
    };
    {
        // One pass over the sheet for values and style ids; a blank cell with a visible
        // fill is kept, because legacy schedules draw their bars that way.
        let mut reader = wb.worksheet_cells_reader(&meta.name).map_err(err)?;
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
            check_extent(path, &meta.name, cell.get_position())?;
            grid.cells.insert(cell.get_position(), c);
            if grid.cells.len() > MAX_CELLS_PER_SHEET {
                return Err(too_many_cells(path, &meta.name));
            }
        }
    }
    match merges.and_then(|m| m.read(&meta.name)) {
        Some(found) => grid.merges = found,
        None => {
            if let Ok(merges) = wb.merge_cells_by_sheet_name(&meta.name) {
                grid.merges = merges
                    .into_iter()
                    .map(|d| Merge {
                        first: d.start,
                        last: d.end,
                    })
                    .collect();
            }
        }
    }
    Ok(grid)
}

fn read_dense<R: Reader<RS>, RS: Read + Seek>(
    path: &Path,
    mut wb: R,
) -> Result<Workbook, ImportError>
where
    calamine::Error: From<R::Error>,
{
    let metas = wb.sheets_metadata().to_vec();
    if metas.len() > MAX_SHEETS {
        return Err(ImportError::TooLarge {
            file: path.to_path_buf(),
            what: format!("シート数 {} / sheets", metas.len()),
        });
    }
    // calamine reads neither fills nor number formats of .xls/.ods; they come from the file.
    let mut styles = super::styles::read(path)?;
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
            .map_err(|e| ImportError::from_calamine(path, e.into()))?;
        let (h, w) = range.get_size();
        if (h as u64) * (w as u64) > MAX_DENSE_CELLS {
            return Err(too_many_cells(path, &meta.name));
        }
        let mut grid = Grid {
            name: meta.name.clone(),
            hidden: meta.visible != SheetVisible::Visible,
            ..Grid::default()
        };
        let mut sheet_styles = styles.remove(&meta.name).unwrap_or_default();
        for (r, c, data) in range.used_cells() {
            let start = range.start().unwrap_or((0, 0));
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
                check_extent(path, &meta.name, pos)?;
                grid.cells.insert(pos, cell);
            }
        }
        // Filled cells without a value: the bars of legacy schedules. The style readers keep
        // only positions within MAX_ROW/MAX_COL.
        for (pos, (filled, _)) in sheet_styles {
            if filled {
                grid.cells.entry(pos).or_insert_with(|| Cell {
                    filled: true,
                    ..Cell::default()
                });
            }
        }
        if grid.cells.len() > MAX_CELLS_PER_SHEET {
            return Err(too_many_cells(path, &meta.name));
        }
        out.sheets.push(grid);
    }
    Ok(out)
}
