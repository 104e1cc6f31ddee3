//! calamine's .xls reader builds every sheet of a workbook when it is opened, before any sheet
//! can be refused: a list of its cells (room reserved for as many as the DIMENSIONS record
//! declares), then a rectangular grid of its used range, and one of its formulas, with each
//! shared string copied into every cell that cites it. An 8 KB file with two cells far apart
//! asked for gigabytes (found by fuzzing). So the records calamine reads are scanned first, the
//! same way (the globals up to their EOF for the sheets' offsets and the shared strings, then
//! each sheet from its offset to its EOF), and what calamine would build is counted against the
//! caps of `limits`, for the whole workbook.

use std::path::Path;

use super::error::ReadError;
use super::limits::*;

const BOUNDSHEET: u16 = 0x0085;
const SST: u16 = 0x00FC;
const CONTINUE: u16 = 0x003C;
const DIMENSIONS: u16 = 0x0200;
const FORMULA: u16 = 0x0006;
const LABELSST: u16 = 0x00FD;
const MULRK: u16 = 0x00BD;

fn u16_at(d: &[u8], i: usize) -> u64 {
    d.get(i..i + 2)
        .map_or(0, |b| u64::from(u16::from_le_bytes([b[0], b[1]])))
}

fn u32_at(d: &[u8], i: usize) -> u64 {
    d.get(i..i + 4).map_or(0, |b| {
        u64::from(u32::from_le_bytes([b[0], b[1], b[2], b[3]]))
    })
}

/// The sheets' names and offsets, and the shared strings' lengths, from the globals.
struct Globals {
    sheets: Vec<(String, usize)>,
    sst: Vec<u64>,
}

fn globals(stream: &[u8]) -> Globals {
    let mut sheets = Vec::new();
    let mut sst: Vec<&[u8]> = Vec::new();
    let mut in_sst = false;
    for (typ, d) in records(stream, 0) {
        match typ {
            BOUNDSHEET if d.len() >= 4 => sheets.push((sheet_name(d), u32_at(d, 0) as usize)),
            SST => {
                sst = vec![d];
                in_sst = true;
                continue;
            }
            CONTINUE if in_sst => {
                sst.push(d);
                continue;
            }
            _ => {}
        }
        in_sst = false;
    }
    Globals {
        sheets,
        sst: sst_lengths(&sst),
    }
}

/// BoundSheet8: lbPlyPos (4), hsState, dt, then the name: cch (1), fHighByte (1), characters.
/// Only for messages: what can be read of it.
fn sheet_name(d: &[u8]) -> String {
    let (Some(&cch), Some(&flags)) = (d.get(6), d.get(7)) else {
        return String::new();
    };
    let chars = d.get(8..).unwrap_or_default();
    if flags & 1 != 0 {
        let units: Vec<u16> = chars
            .chunks_exact(2)
            .take(usize::from(cch))
            .map(|b| u16::from_le_bytes([b[0], b[1]]))
            .collect();
        String::from_utf16_lossy(&units)
    } else {
        chars
            .iter()
            .take(usize::from(cch))
            .map(|&b| char::from(b))
            .collect()
    }
}

/// Checks what calamine would build from a BIFF `Workbook` (or `Book`) stream.
pub fn check(path: &Path, stream: &[u8]) -> Result<(), ReadError> {
    let g = globals(stream);
    if g.sheets.len() > MAX_SHEETS {
        return Err(sheets(path, g.sheets.len()));
    }
    let (mut dense, mut text, mut end) = (0u64, 0u64, 0usize);
    // In stream order: sheets lie one after the other, and offsets that make them overlap would
    // have calamine (and this scan) read the same records once per sheet.
    let mut order: Vec<&(String, usize)> = g.sheets.iter().collect();
    order.sort_by_key(|s| s.1);
    for (name, at) in order {
        if *at < end {
            return Err(ReadError::Corrupt {
                file: path.to_path_buf(),
                detail: format!(
                    "シート「{name}」が他のシートと重なっています / sheet {name} overlaps another in the Workbook stream"
                ),
            });
        }
        let mut values = Extent::default();
        let mut formulas = Extent::default();
        let mut listed = 0u64;
        let mut sheet = records(stream, *at);
        for (typ, d) in sheet.by_ref() {
            let (row, first, last) = match typ {
                // NUMBER, LABEL, RSTRING, BOOLERR, RK, LABELSST: row, column.
                0x0203 | 0x0204 | 0x00D6 | 0x0205 | 0x027E | LABELSST => {
                    (u16_at(d, 0), u16_at(d, 2), u16_at(d, 2))
                }
                // MULRK: row, first column, one RK (6 bytes) a column, last column.
                MULRK if d.len() >= 6 => (u16_at(d, 0), u16_at(d, 2), u16_at(d, d.len() - 2)),
                FORMULA => {
                    let pos = (u16_at(d, 0), u16_at(d, 2));
                    formulas.add(pos.0, pos.1, pos.1);
                    values.add(pos.0, pos.1, pos.1);
                    listed += 2;
                    continue;
                }
                DIMENSIONS => {
                    listed = listed.saturating_add(reserved(d));
                    continue;
                }
                _ => continue,
            };
            let (first, last) = (first.min(last), first.max(last));
            check_extent(
                path,
                name,
                (row as u32, first.min(u64::from(u32::MAX)) as u32),
            )?;
            check_extent(
                path,
                name,
                (row as u32, last.min(u64::from(u32::MAX)) as u32),
            )?;
            values.add(row, first, last);
            listed += if typ == MULRK {
                (d.len() as u64 - 6) / 6
            } else {
                1
            };
            if typ == LABELSST {
                text += g.sst.get(u32_at(d, 6) as usize).copied().unwrap_or(0);
                if text > MAX_TEXT_BYTES {
                    return Err(text_in_workbook(path, name));
                }
            }
        }
        end = at + sheet.read().max(1);
        dense = dense
            .saturating_add(listed)
            .saturating_add(values.cells())
            .saturating_add(formulas.cells());
        if dense > MAX_DENSE_CELLS {
            return Err(dense_cells(path, name, dense));
        }
    }
    Ok(())
}

/// The cells calamine reserves room for from a DIMENSIONS record, counted as it counts them
/// (in u32: a first row after the last wraps around).
fn reserved(d: &[u8]) -> u64 {
    let (rf, rl, cf, cl) = if d.len() == 10 {
        (u16_at(d, 0), u16_at(d, 2), u16_at(d, 4), u16_at(d, 6))
    } else {
        (u32_at(d, 0), u32_at(d, 4), u16_at(d, 8), u16_at(d, 10))
    };
    let cf = if cf > 0xFF || cl < cf { 0 } else { cf };
    if rl == 0 || cl == 0 {
        return 0;
    }
    let span = |first: u64, last: u64| {
        u64::from(
            (last as u32)
                .wrapping_sub(1)
                .wrapping_sub(first as u32)
                .wrapping_add(1),
        )
    };
    span(rf, rl).saturating_mul(span(cf, cl))
}

/// The bounding box of a set of cells.
#[derive(Default)]
struct Extent(Option<(u64, u64, u64, u64)>);

impl Extent {
    fn add(&mut self, row: u64, first: u64, last: u64) {
        self.0 = Some(match self.0 {
            None => (row, row, first, last),
            Some((r0, r1, c0, c1)) => (r0.min(row), r1.max(row), c0.min(first), c1.max(last)),
        });
    }

    fn cells(&self) -> u64 {
        self.0.map_or(0, |(r0, r1, c0, c1)| {
            (r1 - r0 + 1).saturating_mul(c1 - c0 + 1)
        })
    }
}

/// (type, data) of each BIFF record from `at` to the EOF record that closes its substream.
fn records(bytes: &[u8], at: usize) -> Records<'_> {
    Records {
        bytes,
        at,
        i: at,
        depth: 0,
        done: false,
    }
}

struct Records<'a> {
    bytes: &'a [u8],
    at: usize,
    i: usize,
    depth: usize,
    done: bool,
}

impl<'a> Records<'a> {
    /// Bytes of the stream read so far.
    fn read(&self) -> usize {
        self.i - self.at
    }
}

impl<'a> Iterator for Records<'a> {
    type Item = (u16, &'a [u8]);

    fn next(&mut self) -> Option<(u16, &'a [u8])> {
        if self.done {
            return None;
        }
        let head = self.bytes.get(self.i..self.i + 4)?;
        let (typ, len) = (
            u16::from_le_bytes([head[0], head[1]]),
            usize::from(u16::from_le_bytes([head[2], head[3]])),
        );
        let data = self.bytes.get(self.i + 4..self.i + 4 + len)?;
        match typ {
            0x0809 if self.i != self.at => self.depth += 1,
            0x000A if self.depth == 0 => self.done = true,
            0x000A => self.depth -= 1,
            _ => {}
        }
        self.i += 4 + len;
        Some((typ, data))
    }
}

/// The most UTF-8 bytes each shared string can take, in order, from the SST record and its
/// CONTINUE records (MS-XLS 2.4.265): per string cch (2), flags (1: fHighByte 0x01, fExtSt 0x04,
/// fRichSt 0x08), cRun (2) when rich, cbExtRst (4) when extended, the characters, 4 bytes a
/// run, the extension. Characters cut by a record end go on after a fresh flags byte. What
/// cannot be read ends the list (calamine refuses the stream then).
fn sst_lengths(fragments: &[&[u8]]) -> Vec<u64> {
    let mut out = Vec::new();
    if fragments.first().is_none_or(|f| f.len() < 8) {
        return out;
    }
    let mut cur = Cursor {
        frags: fragments,
        f: 0,
        at: 8,
    };
    while cur.more() {
        let Some(n) = cur.string() else { break };
        out.push(n);
    }
    out
}

struct Cursor<'a> {
    frags: &'a [&'a [u8]],
    f: usize,
    at: usize,
}

impl Cursor<'_> {
    fn more(&mut self) -> bool {
        while let Some(fr) = self.frags.get(self.f) {
            if self.at < fr.len() {
                return true;
            }
            self.f += 1;
            self.at = 0;
        }
        false
    }

    fn byte(&mut self) -> Option<u8> {
        if !self.more() {
            return None;
        }
        let b = self.frags[self.f][self.at];
        self.at += 1;
        Some(b)
    }

    fn skip(&mut self, mut n: u64) -> Option<()> {
        while n > 0 {
            if !self.more() {
                return None;
            }
            let left = (self.frags[self.f].len() - self.at) as u64;
            let k = left.min(n);
            self.at += k as usize;
            n -= k;
        }
        Some(())
    }

    fn string(&mut self) -> Option<u64> {
        let cch = u64::from(u16::from_le_bytes([self.byte()?, self.byte()?]));
        let flags = self.byte()?;
        let runs = if flags & 0x08 != 0 {
            u64::from(u16::from_le_bytes([self.byte()?, self.byte()?]))
        } else {
            0
        };
        let ext = if flags & 0x04 != 0 {
            u64::from(u32::from_le_bytes([
                self.byte()?,
                self.byte()?,
                self.byte()?,
                self.byte()?,
            ]))
        } else {
            0
        };
        let (mut left, mut high, mut bytes) = (cch, flags & 1 != 0, 0u64);
        while left > 0 {
            let width = if high { 2 } else { 1 };
            let room = self
                .frags
                .get(self.f)
                .map_or(0, |fr| (fr.len() - self.at) as u64 / width);
            let k = room.min(left);
            self.at += (k * width) as usize;
            left -= k;
            bytes += k * if high { 3 } else { 2 };
            if left > 0 {
                // Continued in the next record, which starts with its own fHighByte.
                self.f += 1;
                self.at = 0;
                high = self.byte()? & 1 != 0;
            }
        }
        self.skip(runs * 4 + ext)?;
        Some(bytes)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn string(s: &str, high: bool) -> Vec<u8> {
        let mut v = (s.chars().count() as u16).to_le_bytes().to_vec();
        v.push(u8::from(high));
        if high {
            for u in s.encode_utf16() {
                v.extend(u.to_le_bytes());
            }
        } else {
            v.extend(s.bytes());
        }
        v
    }

    #[test]
    fn shared_string_lengths_across_continue_records() {
        let mut sst = vec![0u8; 8];
        sst.extend(string("abc", false));
        sst.extend(string("情報政策", true));
        // A rich string: 2 runs after the characters.
        sst.extend([2, 0, 0x08, 2, 0, b'x', b'y', 1, 2, 3, 4, 5, 6, 7, 8]);
        // 「目標値」 cut after one character: the CONTINUE starts with fHighByte again.
        let cut = string("目標値", true);
        sst.extend(&cut[..5]);
        let mut cont = vec![1u8];
        cont.extend(&cut[5..]);
        cont.extend(string("", false));
        assert_eq!(sst_lengths(&[&sst, &cont]), vec![6, 12, 4, 9, 0]);
        // Cut short: what was read.
        assert_eq!(sst_lengths(&[&sst[..14]]), vec![6]);
        assert_eq!(sst_lengths(&[&sst[..13]]), Vec::<u64>::new());
        assert_eq!(sst_lengths(&[&[0u8; 4]]), Vec::<u64>::new());
    }

    fn rec(typ: u16, data: &[u8]) -> Vec<u8> {
        let mut v = typ.to_le_bytes().to_vec();
        v.extend((data.len() as u16).to_le_bytes());
        v.extend(data);
        v
    }

    /// Globals naming `offsets.len()` sheets at the given offsets (from the start of the sheet
    /// bodies), then the bodies, each BOF, NUMBER cells at `cells`, EOF.
    fn stream(offsets: &[usize], bodies: &[&[(u16, u16)]]) -> Vec<u8> {
        let bof = |dt: u16| {
            rec(
                0x0809,
                &[&[0, 6][..], &dt.to_le_bytes()[..], &[0; 12]].concat(),
            )
        };
        let mut body = Vec::new();
        let mut starts = Vec::new();
        for cells in bodies {
            starts.push(body.len());
            body.extend(bof(0x10));
            for &(r, c) in *cells {
                let mut d = [r.to_le_bytes(), c.to_le_bytes(), [0, 0]].concat();
                d.extend(1f64.to_le_bytes());
                body.extend(rec(0x0203, &d));
            }
            body.extend(rec(0x000A, &[]));
        }
        let sheet = |pos: u32| {
            rec(
                BOUNDSHEET,
                &[&pos.to_le_bytes()[..], &[0, 0, 1, 0, b'S']].concat(),
            )
        };
        let head = bof(0x05).len() + offsets.len() * sheet(0).len() + 4;
        let mut out = bof(0x05);
        for &k in offsets {
            out.extend(sheet((head + starts[k]) as u32));
        }
        out.extend(rec(0x000A, &[]));
        out.extend(body);
        out
    }

    #[test]
    fn what_calamine_would_build_is_counted_for_the_whole_workbook() {
        let p = Path::new("x.xls");
        assert!(check(p, &stream(&[0, 1], &[&[(0, 0), (9, 9)], &[(3, 3)]])).is_ok());
        // Two cells far apart: the grid between them.
        let e = check(p, &stream(&[0], &[&[(0, 0), (60_000, 200)]])).unwrap_err();
        assert!(e.to_string().contains("5,000,000"), "{e}");
        // Far apart in the columns, beyond the used-range cap.
        let e = check(p, &stream(&[0], &[&[(0, 1_000)]])).unwrap_err();
        assert!(e.to_string().contains("ALM1"), "{e}");
        // Sheets of 3 million cells' grids each: the second passes the workbook's cap.
        let big: &[(u16, u16)] = &[(0, 0), (29_999, 99)];
        assert!(check(p, &stream(&[0], &[big])).is_ok());
        let e = check(p, &stream(&[0, 1], &[big, big])).unwrap_err();
        assert!(matches!(e, ReadError::TooLarge { .. }), "{e}");
        // Two sheets at one offset: read twice by calamine; refused as damaged.
        let e = check(p, &stream(&[0, 0], &[&[(0, 0)]])).unwrap_err();
        assert!(matches!(e, ReadError::Corrupt { .. }), "{e}");
    }
}
