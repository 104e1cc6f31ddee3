//! Caps on a zip container (.xlsx, .xlsm, .ods) checked before any reader inflates it: the
//! sizes its entries declare (in all, and as compression ratios, which is how a bomb of a few
//! kilobytes is told from a large honest workbook), the string count sharedStrings.xml declares,
//! and (.xlsx) a census of the cell elements of every sheet, streamed, so a workbook holding
//! millions of cells is refused before a single one is kept.

use std::fs::File;
use std::io::{BufReader, Read, Seek};
use std::path::Path;
use std::sync::atomic::{AtomicU64, Ordering};

use super::error::ImportError;
use super::limits::*;

fn corrupt(path: &Path, detail: impl Into<String>) -> ImportError {
    ImportError::Corrupt {
        file: path.to_path_buf(),
        detail: detail.into(),
    }
}

fn open(path: &Path) -> Result<zip::ZipArchive<BufReader<File>>, ImportError> {
    let f = File::open(path).map_err(|e| ImportError::io(path, e))?;
    zip::ZipArchive::new(BufReader::new(f)).map_err(|e| corrupt(path, e.to_string()))
}

/// Checks what the entries declare; true for an OpenDocument file (a `mimetype` entry).
/// Entry sizes can lie, but the zip reader stops at the declared size, so the declaration is
/// what bounds memory.
pub fn check(path: &Path) -> Result<bool, ImportError> {
    let mut zip = open(path)?;
    let (mut total, mut packed_total) = (0u64, 0u64);
    let mut is_ods = false;
    for i in 0..zip.len() {
        let entry = zip
            .by_index_raw(i)
            .map_err(|e| corrupt(path, e.to_string()))?;
        let (size, packed) = (entry.size(), entry.compressed_size().max(1));
        let name = entry.name().map(|n| n.into_owned()).unwrap_or_default();
        drop(entry);
        total = total.saturating_add(size);
        packed_total = packed_total.saturating_add(packed);
        if total > MAX_UNCOMPRESSED {
            return Err(too_large(
                path,
                format!("展開後のサイズ {} 以上", megabytes(total)),
                format!("inflates to {} or more", megabytes(total)),
                megabytes(MAX_UNCOMPRESSED),
            ));
        }
        if size > RATIO_FLOOR && size / packed > MAX_RATIO {
            return Err(too_large(
                path,
                format!("「{name}」の圧縮率 {}：1", grouped(size / packed)),
                format!("{name} is compressed {} : 1", grouped(size / packed)),
                format!("{MAX_RATIO}：1"),
            ));
        }
        if name == "mimetype" {
            is_ods = true;
        }
        if name.ends_with("sharedStrings.xml") {
            check_shared_strings(path, &mut zip, i, size)?;
        }
    }
    if total > TOTAL_RATIO_FLOOR && total / packed_total > MAX_TOTAL_RATIO {
        return Err(too_large(
            path,
            format!(
                "全体の圧縮率 {}：1（展開後 {}）",
                grouped(total / packed_total),
                megabytes(total)
            ),
            format!(
                "compressed {} : 1 in all ({} inflated)",
                grouped(total / packed_total),
                megabytes(total)
            ),
            format!("{MAX_TOTAL_RATIO}：1"),
        ));
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
    let mut head = Vec::new();
    zip.by_index(i)
        .map_err(|e| corrupt(path, e.to_string()))?
        .take(4096)
        .read_to_end(&mut head)
        .map_err(|e| corrupt(path, e.to_string()))?;
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
        Ok(n) if n > size / 5 + 1 => Err(corrupt(
            path,
            format!(
                "共有文字列の数 {n} が大きすぎます / sharedStrings.xml declares {n} strings in {size} bytes"
            ),
        )),
        _ => Ok(()),
    }
}

/// Counts the cell elements (`<c>`) and the values in them (`<v>`, `<is>`) of every sheet part
/// of an .xlsx, inflating each part once as a stream, two parts at a time; refuses more than
/// `MAX_CELL_ELEMENTS` elements or more values than `MAX_CELLS` (workbook) or
/// `MAX_CELLS_PER_SHEET` (one sheet) as soon as the count passes it. Costs about a second per
/// 250 MB of sheet XML (the master workbook of a 10,000-project plan: 1 s of a 45 s import).
pub fn census(path: &Path) -> Result<(), ImportError> {
    let parts = {
        let mut zip = open(path)?;
        match super::parts::sheet_parts(&mut zip) {
            Some(p) => p,
            // Parts not found where the workbook says: every part under a worksheets folder.
            None => (0..zip.len())
                .filter_map(|i| Some(zip.name_for_index(i)?.ok()?.into_owned()))
                .filter(|n| n.contains("worksheets/"))
                .map(|n| (n.clone(), n))
                .collect(),
        }
    };
    let elements = AtomicU64::new(0);
    let values = AtomicU64::new(0);
    let counted = crate::parallel::map_in_order(
        &parts,
        || open(path).ok(),
        |zip, (sheet, part)| -> Result<(), ImportError> {
            let Some(zip) = zip.as_mut() else {
                return Ok(());
            };
            // A part missing or unreadable here is calamine's to report.
            let Ok(entry) = zip.by_name(part) else {
                return Ok(());
            };
            count_part(path, sheet, entry, &elements, &values)
        },
    );
    counted.into_iter().collect()
}

fn count_part(
    path: &Path,
    sheet: &str,
    mut input: impl Read,
    elements: &AtomicU64,
    values: &AtomicU64,
) -> Result<(), ImportError> {
    let mut buf = vec![0u8; 256 * 1024];
    // Bytes of a tag cut by the end of the last chunk.
    let mut carry = 0usize;
    let mut sheet_values = 0u64;
    loop {
        let n = match input.read(&mut buf[carry..]) {
            Ok(0) => break,
            Ok(n) => n,
            // Damaged deflate data: calamine reports it.
            Err(_) => return Ok(()),
        };
        let end = carry + n;
        let (mut e, mut v) = (0u64, 0u64);
        let mut i = 0;
        carry = 0;
        while let Some(k) = memchr::memchr(b'<', &buf[i..end]) {
            let at = i + k;
            match tag(&buf[at + 1..end]) {
                Tag::Cut if end - at < 64 => {
                    buf.copy_within(at..end, 0);
                    carry = end - at;
                    break;
                }
                Tag::Cell => e += 1,
                Tag::Value => v += 1,
                _ => {}
            }
            i = at + 1;
        }
        sheet_values += v;
        if sheet_values > MAX_CELLS_PER_SHEET {
            return Err(cells_in_sheet(path, sheet));
        }
        if elements.fetch_add(e, Ordering::Relaxed) + e > MAX_CELL_ELEMENTS {
            return Err(too_large(
                path,
                format!("ブック全体のセル要素 <c> の数（シート「{sheet}」まで）"),
                format!("cell elements <c> in the workbook (up to sheet {sheet})"),
                format!("{} 個 / elements", grouped(MAX_CELL_ELEMENTS)),
            ));
        }
        if values.fetch_add(v, Ordering::Relaxed) + v > MAX_CELLS {
            return Err(cells_in_workbook(path, sheet));
        }
    }
    Ok(())
}

enum Tag {
    Cell,
    Value,
    Other,
    /// The name runs to the end of the buffer.
    Cut,
}

/// The element a tag opens, by its local name (`<c `, `<x:c>`, `<v>`, `<is>`).
fn tag(after_lt: &[u8]) -> Tag {
    let Some(len) = after_lt
        .iter()
        .position(|b| matches!(b, b' ' | b'\t' | b'\r' | b'\n' | b'>' | b'/'))
    else {
        return Tag::Cut;
    };
    let name = &after_lt[..len];
    let local = match memchr::memrchr(b':', name) {
        Some(c) => &name[c + 1..],
        None => name,
    };
    match local {
        b"c" => Tag::Cell,
        b"v" | b"is" => Tag::Value,
        _ => Tag::Other,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn counts(xml: &[u8], chunk: usize) -> (u64, u64) {
        /// Hands out `chunk` bytes a read, so tags are cut at every place.
        struct Chunks<'a>(&'a [u8], usize);
        impl Read for Chunks<'_> {
            fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
                let n = self.0.len().min(self.1).min(buf.len());
                buf[..n].copy_from_slice(&self.0[..n]);
                self.0 = &self.0[n..];
                Ok(n)
            }
        }
        let (e, v) = (AtomicU64::new(0), AtomicU64::new(0));
        count_part(Path::new("x.xlsx"), "S", Chunks(xml, chunk), &e, &v).unwrap();
        (e.into_inner(), v.into_inner())
    }

    #[test]
    fn cells_and_values_are_counted_across_chunk_ends() {
        let xml = br#"<worksheet><sheetData><row r="1"><c r="A1" s="1"/><c r="B1"><v>1</v></c><x:c r="C1" t="inlineStr"><x:is><x:t>cell</x:t></x:is></x:c><c><f>A1</f></c><cols/><col/><vv/></row></sheetData></worksheet>"#;
        for chunk in [1, 2, 3, 5, 7, 64, 4096] {
            assert_eq!(counts(xml, chunk), (4, 2), "chunk {chunk}");
        }
    }
}
