//! Fills and percentages of a .xls workbook (BIFF8 in a CFB container), read from the
//! `Workbook` stream record by record, never holding more than one record:
//!
//! * globals: FORMAT (0x041E, which number formats are percentages; built-ins 9 and 10 are
//!   「0%」 and 「0.00%」), XF (0x00E0, fill pattern `fls` and format `ifmt`), BOUNDSHEET8
//!   (0x0085, sheet names and the stream offsets of their BOF);
//! * each sheet, BOF to EOF (embedded chart substreams skipped): the cell records and their XF.
//!
//! An XF is filled when its fill pattern is not 0 (no fill), as calamine's `Fill::is_visible`
//! for .xlsx; a format is a percentage when its code contains 「%」, as for .xlsx. Encrypted
//! workbooks (FILEPASS) stop the reader; a truncated or malformed stream is `Corrupt`.

use std::collections::HashMap;
use std::io::Read;
use std::path::Path;

use super::{corrupt, CellStyles, Collector};
use crate::workbook::error::ReadError;

const BOF: u16 = 0x0809;
const EOF: u16 = 0x000A;
const FILEPASS: u16 = 0x002F;
const CONTINUE: u16 = 0x003C;
const FORMAT: u16 = 0x041E;
const XF: u16 = 0x00E0;
const BOUNDSHEET: u16 = 0x0085;
const LABELSST: u16 = 0x00FD;
const NUMBER: u16 = 0x0203;
const RK: u16 = 0x027E;
const MULRK: u16 = 0x00BD;
const BLANK: u16 = 0x0201;
const MULBLANK: u16 = 0x00BE;
const FORMULA: u16 = 0x0006;
const LABEL: u16 = 0x0204;
const BOOLERR: u16 = 0x0205;
const RSTRING: u16 = 0x00D6;
const BIFF8: u16 = 0x0600;

/// XF records kept: a cell's XF index is 16 bits.
const MAX_XFS: usize = 1 << 16;
/// Bytes of CONTINUE records kept after one FORMAT record.
const MAX_FORMAT_BYTES: usize = 64 * 1024;
/// Nested substreams (charts in a sheet): more is a hostile file.
const MAX_DEPTH: usize = 64;

/// Reads a `Workbook` stream (the workbook reader has taken it out of its CFB container).
pub fn read_stream<R: Read>(path: &Path, stream: R) -> Result<CellStyles, ReadError> {
    let mut records = Records {
        input: stream,
        pos: 0,
        data: Vec::new(),
    };
    let Some(globals) = read_globals(path, &mut records)? else {
        return Ok(CellStyles::new());
    };
    read_sheets(path, &mut records, &globals)
}

// ---------------------------------------------------------------------------------------------
// Records

struct Records<R> {
    input: R,
    /// Stream offset of the next record.
    pos: u64,
    /// The current record's data (at most 65,535 bytes, reused).
    data: Vec<u8>,
}

impl<R: Read> Records<R> {
    /// The next record's type and stream offset, its data in `self.data`; `None` at the end.
    fn next(&mut self, path: &Path) -> Result<Option<(u16, u64)>, ReadError> {
        let at = self.pos;
        let mut head = [0u8; 4];
        let n = read_full(&mut self.input, &mut head)
            .map_err(|e| corrupt(path, format!("Workbook stream at {at}: {e}")))?;
        if n == 0 {
            return Ok(None);
        }
        if n < 4 {
            return Err(corrupt(
                path,
                format!("Workbook stream truncated in a record header at {at}"),
            ));
        }
        let typ = u16::from_le_bytes([head[0], head[1]]);
        let len = usize::from(u16::from_le_bytes([head[2], head[3]]));
        self.data.resize(len, 0);
        let got = read_full(&mut self.input, &mut self.data)
            .map_err(|e| corrupt(path, format!("Workbook stream at {at}: {e}")))?;
        if got < len {
            return Err(corrupt(path, format!("Workbook stream truncated: record {typ:#06x} at {at} declares {len} bytes, {got} left")));
        }
        self.pos = at + 4 + len as u64;
        Ok(Some((typ, at)))
    }
}

/// Reads until `buf` is full or the input ends; the number of bytes read.
fn read_full<R: Read>(r: &mut R, buf: &mut [u8]) -> std::io::Result<usize> {
    let mut n = 0;
    while n < buf.len() {
        match r.read(&mut buf[n..]) {
            Ok(0) => break,
            Ok(k) => n += k,
            Err(e) if e.kind() == std::io::ErrorKind::Interrupted => {}
            Err(e) => return Err(e),
        }
    }
    Ok(n)
}

fn u16_at(d: &[u8], at: usize) -> Option<u16> {
    d.get(at..at + 2).map(|b| u16::from_le_bytes([b[0], b[1]]))
}

fn u32_at(d: &[u8], at: usize) -> Option<u32> {
    d.get(at..at + 4)
        .map(|b| u32::from_le_bytes([b[0], b[1], b[2], b[3]]))
}

fn short(path: &Path, what: &str, at: u64, len: usize) -> ReadError {
    corrupt(
        path,
        format!("{what} record at {at} too short ({len} bytes)"),
    )
}

// ---------------------------------------------------------------------------------------------
// Globals

struct Sheet {
    name: String,
    /// Stream offset of the sheet's BOF.
    pos: u64,
}

struct Globals {
    /// Per XF index: (filled, percent).
    xfs: Vec<(bool, bool)>,
    sheets: Vec<Sheet>,
}

/// A FORMAT record and the CONTINUE records after it.
#[derive(Default)]
struct PendingFormat {
    fragments: Vec<Vec<u8>>,
    len: usize,
}

/// The workbook globals, or `None` for a stream that is not BIFF8 (no styles then).
fn read_globals<R: Read>(
    path: &Path,
    records: &mut Records<R>,
) -> Result<Option<Globals>, ReadError> {
    match records.next(path)? {
        Some((BOF, at)) => {
            let version = u16_at(&records.data, 0)
                .ok_or_else(|| short(path, "BOF", at, records.data.len()))?;
            if version != BIFF8 {
                return Ok(None);
            }
        }
        Some((typ, at)) => {
            return Err(corrupt(
                path,
                format!("Workbook stream starts with record {typ:#06x} at {at}, not BOF"),
            ))
        }
        None => return Err(corrupt(path, "empty Workbook stream")),
    }
    let mut formats: HashMap<u16, bool> = HashMap::new();
    // (filled, ifmt) per XF.
    let mut xfs: Vec<(bool, u16)> = Vec::new();
    let mut sheets = Vec::new();
    let mut pending: Option<PendingFormat> = None;
    loop {
        let Some((typ, at)) = records.next(path)? else {
            return Err(corrupt(
                path,
                "Workbook stream truncated in the workbook globals (no EOF)",
            ));
        };
        let data = &records.data;
        if typ == CONTINUE {
            if let Some(p) = pending.as_mut() {
                if p.len + data.len() <= MAX_FORMAT_BYTES {
                    p.len += data.len();
                    p.fragments.push(data.clone());
                }
            }
            continue;
        }
        if let Some(p) = pending.take() {
            // A FORMAT too short to name its string is skipped, as calamine does.
            if let Some((ifmt, code)) = format_record(&p.fragments) {
                formats.insert(ifmt, code.contains('%'));
            }
        }
        match typ {
            FILEPASS => {
                return Err(ReadError::Encrypted {
                    file: path.to_path_buf(),
                })
            }
            FORMAT => {
                pending = Some(PendingFormat {
                    len: data.len(),
                    fragments: vec![data.clone()],
                })
            }
            XF => {
                // XF (MS-XLS 2.4.353), 20 bytes: ifnt, ifmt, flags, alignment (4), borders (4),
                // then a dword with icvTop:7 icvBottom:7 icvDiag:7 dgDiag:4 fHasXFExt:1 fls:6.
                if data.len() < 20 {
                    return Err(short(path, "XF", at, data.len()));
                }
                let ifmt = u16_at(data, 2).unwrap_or(0);
                let fls = u32_at(data, 14).unwrap_or(0) >> 26;
                if xfs.len() < MAX_XFS {
                    xfs.push((fls != 0, ifmt));
                }
            }
            BOUNDSHEET => {
                // BoundSheet8 (MS-XLS 2.4.28): lbPlyPos (4), hsState (1), dt (1), then a
                // ShortXLUnicodeString: cch (1), fHighByte (1), the characters.
                if data.len() < 8 {
                    return Err(short(path, "BOUNDSHEET", at, data.len()));
                }
                let pos = u64::from(u32_at(data, 0).unwrap_or(0));
                let (cch, high) = (usize::from(data[6]), data[7] & 1 != 0);
                let mut name = decode(&data[8..], cch, high);
                name.retain(|c| c != '\0');
                sheets.push(Sheet { name, pos });
            }
            EOF => break,
            _ => {}
        }
    }
    let percent = |ifmt: u16| {
        formats
            .get(&ifmt)
            .copied()
            .unwrap_or(matches!(ifmt, 9 | 10))
    };
    let xfs = xfs
        .into_iter()
        .map(|(filled, ifmt)| (filled, percent(ifmt)))
        .collect();
    Ok(Some(Globals { xfs, sheets }))
}

/// `cch` characters from `bytes`, one byte each or UTF-16LE; as many as there are.
fn decode(bytes: &[u8], cch: usize, high: bool) -> String {
    if high {
        let units: Vec<u16> = bytes
            .chunks_exact(2)
            .take(cch)
            .map(|b| u16::from_le_bytes([b[0], b[1]]))
            .collect();
        String::from_utf16_lossy(&units)
    } else {
        bytes.iter().take(cch).map(|&b| char::from(b)).collect()
    }
}

/// Format (MS-XLS 2.4.126): ifmt (2), then an XLUnicodeString: cch (2), fHighByte (1), the
/// characters, continued in CONTINUE records that each start with their own fHighByte.
fn format_record(fragments: &[Vec<u8>]) -> Option<(u16, String)> {
    let first = fragments.first()?;
    let ifmt = u16_at(first, 0)?;
    let mut left = usize::from(u16_at(first, 2)?);
    let mut high = *first.get(4)? & 1 != 0;
    let mut frag: &[u8] = &first[5..];
    let mut rest = fragments[1..].iter();
    let mut units: Vec<u16> = Vec::with_capacity(left.min(512));
    loop {
        while left > 0 {
            let unit = if high {
                let Some(b) = frag.get(..2) else { break };
                frag = &frag[2..];
                u16::from_le_bytes([b[0], b[1]])
            } else {
                let Some(&b) = frag.first() else { break };
                frag = &frag[1..];
                u16::from(b)
            };
            units.push(unit);
            left -= 1;
        }
        if left == 0 {
            break;
        }
        match rest.next() {
            Some(c) if !c.is_empty() => {
                high = c[0] & 1 != 0;
                frag = &c[1..];
            }
            // Truncated: what there is.
            _ => break,
        }
    }
    Some((ifmt, String::from_utf16_lossy(&units)))
}

// ---------------------------------------------------------------------------------------------
// Sheets

fn read_sheets<R: Read>(
    path: &Path,
    records: &mut Records<R>,
    g: &Globals,
) -> Result<CellStyles, ReadError> {
    let mut out = Collector::new(path);
    let mut assigned = vec![false; g.sheets.len()];
    let mut left = g.sheets.len();
    let mut depth = 0usize;
    let style = |ixfe: u16| {
        g.xfs
            .get(usize::from(ixfe))
            .copied()
            .unwrap_or((false, false))
    };
    while left > 0 || depth > 0 {
        let Some((typ, at)) = records.next(path)? else {
            if depth > 0 {
                return Err(corrupt(
                    path,
                    "Workbook stream truncated inside a sheet (no EOF)",
                ));
            }
            let missing = g
                .sheets
                .iter()
                .zip(&assigned)
                .find(|(_, a)| !**a)
                .map_or("", |(s, _)| s.name.as_str());
            return Err(corrupt(
                path,
                format!("Workbook stream truncated: sheet 「{missing}」 missing"),
            ));
        };
        if depth == 0 {
            if typ != BOF {
                continue;
            }
            // The sheet whose BOUNDSHEET points here, else the next one not yet seen.
            let i = g
                .sheets
                .iter()
                .enumerate()
                .position(|(i, s)| !assigned[i] && s.pos == at)
                .or_else(|| assigned.iter().position(|a| !a));
            if let Some(i) = i {
                assigned[i] = true;
                left -= 1;
                out.begin_sheet(g.sheets[i].name.clone());
            }
            depth = 1;
            continue;
        }
        match typ {
            BOF => {
                depth += 1;
                if depth > MAX_DEPTH {
                    return Err(corrupt(path, format!("substreams nested too deep at {at}")));
                }
            }
            EOF => {
                depth -= 1;
                if depth == 0 {
                    out.end_sheet();
                }
            }
            _ if depth > 1 => {}
            LABELSST | NUMBER | RK | BLANK | FORMULA | LABEL | BOOLERR | RSTRING => {
                let d = &records.data;
                let (Some(row), Some(col), Some(ixfe)) = (u16_at(d, 0), u16_at(d, 2), u16_at(d, 4))
                else {
                    return Err(short(path, &format!("cell {typ:#06x}"), at, d.len()));
                };
                let (filled, percent) = style(ixfe);
                let numeric = matches!(typ, NUMBER | RK | FORMULA);
                out.cell((u32::from(row), u32::from(col)), filled, percent && numeric)?;
            }
            MULRK | MULBLANK => {
                // rw (2), colFirst (2), then per cell an ixfe (2) and for MULRK an RK (4), then colLast (2).
                let d = &records.data;
                let size = if typ == MULRK { 6 } else { 2 };
                let (Some(row), Some(first)) = (u16_at(d, 0), u16_at(d, 2)) else {
                    return Err(short(path, &format!("cell {typ:#06x}"), at, d.len()));
                };
                let cells = d
                    .get(4..d.len().saturating_sub(2))
                    .unwrap_or_default()
                    .chunks_exact(size);
                if d.len() < 6 || !cells.remainder().is_empty() {
                    return Err(corrupt(
                        path,
                        format!(
                            "record {typ:#06x} at {at} has a bad length ({} bytes)",
                            d.len()
                        ),
                    ));
                }
                for (i, cell) in cells.enumerate() {
                    let ixfe = u16::from_le_bytes([cell[0], cell[1]]);
                    let (filled, percent) = style(ixfe);
                    let col = u32::from(first) + i as u32;
                    out.cell((u32::from(row), col), filled, percent && typ == MULRK)?;
                }
            }
            _ => {}
        }
    }
    Ok(out.finish())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rec(typ: u16, data: &[u8]) -> Vec<u8> {
        let mut v = typ.to_le_bytes().to_vec();
        v.extend((data.len() as u16).to_le_bytes());
        v.extend(data);
        v
    }

    fn bof(dt: u16) -> Vec<u8> {
        let mut d = BIFF8.to_le_bytes().to_vec();
        d.extend(dt.to_le_bytes());
        d.extend([0u8; 12]);
        rec(BOF, &d)
    }

    fn xf(ifmt: u16, fls: u32) -> Vec<u8> {
        let mut d = vec![0u8; 20];
        d[2..4].copy_from_slice(&ifmt.to_le_bytes());
        d[14..18].copy_from_slice(&(fls << 26).to_le_bytes());
        rec(XF, &d)
    }

    fn boundsheet(pos: u32, name: &str) -> Vec<u8> {
        let units: Vec<u16> = name.encode_utf16().collect();
        let mut d = pos.to_le_bytes().to_vec();
        d.extend([0, 0, units.len() as u8, 1]);
        for u in units {
            d.extend(u.to_le_bytes());
        }
        rec(BOUNDSHEET, &d)
    }

    fn cell(typ: u16, row: u16, col: u16, ixfe: u16, extra: usize) -> Vec<u8> {
        let mut d = Vec::new();
        for v in [row, col, ixfe] {
            d.extend(v.to_le_bytes());
        }
        d.extend(vec![0u8; extra]);
        rec(typ, &d)
    }

    /// A workbook with XFs 0 (plain), 1 (filled), 2 (built-in 0%), 3 (custom 「0.0%」 split by a
    /// CONTINUE), 4 (filled, 「#,##0」) and the sheets 「工程表」 and 「集計」.
    fn workbook(sheet1: &[Vec<u8>]) -> Vec<u8> {
        let mut globals = bof(0x0005);
        // 「0.0%」 as ifmt 165: 「0.」 in the record, 「0%」 in a CONTINUE with fHighByte = 1.
        globals.extend(rec(FORMAT, &[165, 0, 4, 0, 0, b'0', b'.']));
        globals.extend(rec(CONTINUE, &[1, b'0', 0, b'%', 0]));
        globals.extend(rec(
            FORMAT,
            &[166, 0, 5, 0, 0, b'#', b',', b'#', b'#', b'0'],
        ));
        for (ifmt, fls) in [(0, 0), (0, 1), (9, 0), (165, 0), (166, 18)] {
            globals.extend(xf(ifmt, fls));
        }
        let names = ["工程表", "集計"];
        let bs_len: usize = names.iter().map(|n| boundsheet(0, n).len()).sum();
        let sheets_start = (globals.len() + bs_len + 4) as u32;
        let mut body = bof(0x0010);
        body.extend(sheet1.iter().flatten());
        body.extend(rec(EOF, &[]));
        let second = sheets_start + body.len() as u32;
        body.extend(bof(0x0010));
        body.extend(cell(BLANK, 0, 0, 1, 0));
        body.extend(rec(EOF, &[]));
        globals.extend(boundsheet(sheets_start, names[0]));
        globals.extend(boundsheet(second, names[1]));
        globals.extend(rec(EOF, &[]));
        globals.extend(body);
        globals
    }

    fn sorted(s: &CellStyles, sheet: &str) -> Vec<((u32, u32), (bool, bool))> {
        let mut v: Vec<_> = s
            .get(sheet)
            .map(|m| m.iter().map(|(k, v)| (*k, *v)).collect())
            .unwrap_or_default();
        v.sort();
        v
    }

    fn sheet1() -> Vec<Vec<u8>> {
        let mut mulblank = Vec::new();
        for v in [4u16, 1, 1, 0, 1, 3] {
            mulblank.extend(v.to_le_bytes());
        }
        let mut mulrk = Vec::new();
        for v in [5u16, 0] {
            mulrk.extend(v.to_le_bytes());
        }
        for ixfe in [2u16, 0, 3] {
            mulrk.extend(ixfe.to_le_bytes());
            mulrk.extend([0u8; 4]);
        }
        mulrk.extend(2u16.to_le_bytes());
        let mut chart = bof(0x0020);
        chart.extend(cell(BLANK, 9, 9, 1, 0));
        chart.extend(rec(EOF, &[]));
        vec![
            cell(LABELSST, 0, 0, 0, 4),
            cell(BLANK, 1, 1, 1, 0),
            cell(NUMBER, 2, 0, 2, 8),
            cell(RK, 2, 1, 4, 4),
            cell(LABEL, 2, 2, 2, 3),
            cell(FORMULA, 3, 0, 3, 14),
            rec(MULBLANK, &mulblank),
            rec(MULRK, &mulrk),
            chart,
            cell(BLANK, 6, 0, 999, 0),
        ]
    }

    #[test]
    fn fills_and_percentages_by_cell() {
        let s = read_stream(Path::new("t.xls"), workbook(&sheet1()).as_slice()).unwrap();
        assert_eq!(
            sorted(&s, "工程表"),
            vec![
                ((1, 1), (true, false)),
                ((2, 0), (false, true)),
                ((2, 1), (true, false)),
                ((3, 0), (false, true)),
                ((4, 1), (true, false)),
                ((4, 3), (true, false)),
                ((5, 0), (false, true)),
                ((5, 2), (false, true)),
            ]
        );
        assert_eq!(sorted(&s, "集計"), vec![((0, 0), (true, false))]);
    }

    #[test]
    fn truncated_or_malformed_streams_are_errors() {
        let wb = workbook(&sheet1());
        // Every truncation of the stream is an error naming the file, never a panic.
        for cut in 0..wb.len() {
            match read_stream(Path::new("t.xls"), &wb[..cut]) {
                Err(ReadError::Corrupt { file, .. }) => assert_eq!(file, Path::new("t.xls")),
                Err(e) => panic!("cut at {cut}: {e}"),
                Ok(_) => panic!("cut at {cut} of {} read as whole", wb.len()),
            }
        }
        for bad in [
            rec(RK, &[0, 0, 0, 0]),
            rec(MULBLANK, &[0, 0, 0, 0, 1, 0, 0]),
            rec(MULRK, &[0, 0]),
        ] {
            let e = read_stream(Path::new("t.xls"), workbook(&[bad]).as_slice()).unwrap_err();
            assert!(matches!(e, ReadError::Corrupt { .. }), "{e}");
        }
        let mut short_xf = bof(0x0005);
        short_xf.extend(rec(XF, &[0; 12]));
        assert!(matches!(
            read_stream(Path::new("t.xls"), short_xf.as_slice()),
            Err(ReadError::Corrupt { .. })
        ));
        let mut enc = bof(0x0005);
        enc.extend(rec(FILEPASS, &[1, 0, 1, 0]));
        assert!(matches!(
            read_stream(Path::new("t.xls"), enc.as_slice()),
            Err(ReadError::Encrypted { .. })
        ));
        // Not BIFF8 (BIFF5 BOF): no styles, no error.
        let biff5 = rec(BOF, &[0, 5, 5, 0, 0, 0, 0, 0]);
        assert!(read_stream(Path::new("t.xls"), biff5.as_slice())
            .unwrap()
            .is_empty());
    }
}
