//! Caps on a zip container (.xlsx, .xlsm, .ods) checked before any reader inflates it: the
//! sizes its entries declare (in all, and as compression ratios, which is how a bomb of a few
//! kilobytes is told from a large honest workbook), the string count sharedStrings.xml declares,
//! and (.xlsx) a census of the cell elements of every sheet, streamed, so a workbook holding
//! millions of cells is refused before a single one is kept.

use std::collections::HashMap;
use std::fs::File;
use std::io::{BufReader, Read, Seek};
use std::path::Path;
use std::sync::atomic::{AtomicU64, Ordering};

use super::error::ReadError;
use super::limits::*;
use crate::grid::Merge;

fn corrupt(path: &Path, detail: impl Into<String>) -> ReadError {
    ReadError::Corrupt {
        file: path.to_path_buf(),
        detail: detail.into(),
    }
}

fn open(path: &Path) -> Result<zip::ZipArchive<BufReader<File>>, ReadError> {
    let f = File::open(path).map_err(|e| ReadError::io(path, e))?;
    zip::ZipArchive::new(BufReader::new(f)).map_err(|e| corrupt(path, e.to_string()))
}

/// Checks what the entries declare; true for an OpenDocument file (a `mimetype` entry).
/// Entry sizes can lie, but the zip reader stops at the declared size, so the declaration is
/// what bounds memory.
pub fn check(path: &Path) -> Result<bool, ReadError> {
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
) -> Result<(), ReadError> {
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

/// The merged regions the census found, by sheet name (only sheets whose part it located
/// through the workbook's relationships and read to its end).
pub(crate) type SheetMerges = HashMap<String, Vec<Merge>>;

/// Counts the cell elements (`<c>`) and the values in them (`<v>`, `<is>`) of every sheet part
/// of an .xlsx, inflating each part once as a stream, two parts at a time; refuses more than
/// `MAX_CELL_ELEMENTS` elements or more values than `MAX_CELLS` (workbook) or
/// `MAX_CELLS_PER_SHEET` (one sheet) as soon as the count passes it. The same pass keeps each
/// sheet's `<mergeCells>` element, so the merged regions cost no pass of their own (issue 18).
/// Costs about a second per 250 MB of sheet XML (the master workbook of a 10,000-project plan:
/// 1 s of a 45 s import).
pub fn census(path: &Path) -> Result<SheetMerges, ReadError> {
    let (parts, located) = {
        let mut zip = open(path)?;
        match super::parts::sheet_parts(&mut zip) {
            Some(p) => (p, true),
            // Parts not found where the workbook says: every part under a worksheets folder.
            None => (
                (0..zip.len())
                    .filter_map(|i| Some(zip.name_for_index(i)?.ok()?.into_owned()))
                    .filter(|n| n.contains("worksheets/"))
                    .map(|n| (n.clone(), n))
                    .collect(),
                false,
            ),
        }
    };
    let elements = AtomicU64::new(0);
    let values = AtomicU64::new(0);
    let counted = crate::parallel::map_in_order(
        &parts,
        || (open(path).ok(), vec![0u8; CHUNK]),
        |(zip, buf), (sheet, part)| -> Result<Option<Vec<Merge>>, ReadError> {
            let Some(zip) = zip.as_mut() else {
                return Ok(None);
            };
            // A part missing or unreadable here is calamine's to report.
            let Ok(entry) = zip.by_name(part) else {
                return Ok(None);
            };
            let tail = count_part(path, sheet, entry, &elements, &values, buf)?;
            Ok(tail.map(|xml| super::merges::merges_in(&xml)))
        },
    );
    let mut merges = SheetMerges::new();
    for ((sheet, _), found) in parts.into_iter().zip(counted) {
        if let (true, Some(found)) = (located, found?) {
            merges.insert(sheet, found);
        }
    }
    Ok(merges)
}

/// Bytes inflated at a time.
const CHUNK: usize = 256 * 1024;

/// Counts one part (see `census`); returns its `<mergeCells>` element from its start tag to its
/// end tag (empty when it has none), or None when the part could not be read to its end.
fn count_part(
    path: &Path,
    sheet: &str,
    mut input: impl Read,
    elements: &AtomicU64,
    values: &AtomicU64,
    buf: &mut [u8],
) -> Result<Option<Vec<u8>>, ReadError> {
    // Bytes of a tag cut by the end of the last chunk.
    let mut carry = 0usize;
    let mut sheet_values = 0u64;
    let mut merges = Merges::Before(Vec::new());
    loop {
        let n = match input.read(&mut buf[carry..]) {
            Ok(0) => break,
            Ok(n) => n,
            // Damaged deflate data: calamine reports it.
            Err(_) => return Ok(None),
        };
        let end = carry + n;
        let (mut e, mut v) = (0u64, 0u64);
        let mut i = 0;
        // Where this chunk's bytes of `<mergeCells>` start, while inside it.
        let mut kept_from = 0;
        let mut cut = end;
        while let Some(k) = memchr::memchr(b'<', &buf[i..end]) {
            let at = i + k;
            match tag(&buf[at + 1..end]) {
                Tag::Cut if end - at < 64 => {
                    cut = at;
                    break;
                }
                Tag::Cell => e += 1,
                Tag::Value => v += 1,
                Tag::Merges => {
                    if let Merges::Before(_) = merges {
                        merges = Merges::Inside(Vec::new());
                        kept_from = at;
                    }
                }
                Tag::MergesEnd => {
                    if let Merges::Inside(kept) = &mut merges {
                        kept.extend_from_slice(&buf[kept_from..at]);
                        merges = Merges::After(std::mem::take(kept));
                    }
                }
                _ => {}
            }
            i = at + 1;
        }
        if let Merges::Inside(kept) = &mut merges {
            kept.extend_from_slice(&buf[kept_from..cut]);
        }
        if cut < end {
            buf.copy_within(cut..end, 0);
            carry = end - cut;
        } else {
            carry = 0;
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
    Ok(Some(match merges {
        Merges::Before(none) => none,
        Merges::Inside(kept) | Merges::After(kept) => kept,
    }))
}

/// The `<mergeCells>` element of a part, as the census passes it: not yet seen; being kept
/// (no end tag yet: a part cut short, or `<mergeCells/>`, is kept to its end); kept whole.
enum Merges {
    Before(Vec<u8>),
    Inside(Vec<u8>),
    After(Vec<u8>),
}

enum Tag {
    Cell,
    Value,
    /// `<mergeCells`, and its end tag.
    Merges,
    MergesEnd,
    Other,
    /// The name runs to the end of the buffer.
    Cut,
}

/// The element a tag opens or closes, by its local name (`<c `, `<x:c>`, `<v>`, `<is>`,
/// `<mergeCells>`, `</x:mergeCells>`).
fn tag(after_lt: &[u8]) -> Tag {
    let (closing, name) = match after_lt.split_first() {
        Some((b'/', rest)) => (true, rest),
        _ => (false, after_lt),
    };
    let Some(len) = name
        .iter()
        .position(|b| matches!(b, b' ' | b'\t' | b'\r' | b'\n' | b'>' | b'/'))
    else {
        return Tag::Cut;
    };
    let name = &name[..len];
    let local = match memchr::memrchr(b':', name) {
        Some(c) => &name[c + 1..],
        None => name,
    };
    match (closing, local) {
        (false, b"c") => Tag::Cell,
        (false, b"v" | b"is") => Tag::Value,
        (false, b"mergeCells") => Tag::Merges,
        (true, b"mergeCells") => Tag::MergesEnd,
        _ => Tag::Other,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn counts(xml: &[u8], chunk: usize) -> (u64, u64, Vec<u8>) {
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
        let mut buf = vec![0u8; CHUNK];
        let tail = count_part(
            Path::new("x.xlsx"),
            "S",
            Chunks(xml, chunk),
            &e,
            &v,
            &mut buf,
        )
        .unwrap()
        .unwrap();
        (e.into_inner(), v.into_inner(), tail)
    }

    #[test]
    fn cells_and_values_are_counted_across_chunk_ends() {
        let xml = br#"<worksheet><sheetData><row r="1"><c r="A1" s="1"/><c r="B1"><v>1</v></c><x:c r="C1" t="inlineStr"><x:is><x:t>cell</x:t></x:is></x:c><c><f>A1</f></c><cols/><col/><vv/></row></sheetData></worksheet>"#;
        for chunk in [1, 2, 3, 5, 7, 64, 4096] {
            assert_eq!(counts(xml, chunk), (4, 2, Vec::new()), "chunk {chunk}");
        }
    }

    #[test]
    fn the_merge_cells_element_is_kept_across_chunk_ends() {
        let merges =
            br#"<x:mergeCells count="2"><x:mergeCell ref="B2:D3"/><mergeCell ref="$A$10"/>"#;
        let mut xml = br#"<worksheet><sheetData><row r="1"><c r="A1" t="inlineStr"><is><t>mergeCells</t></is></c></row></sheetData>"#.to_vec();
        xml.extend_from_slice(merges);
        xml.extend_from_slice(br#"</x:mergeCells><pageMargins/><c/></worksheet>"#);
        for chunk in [1, 2, 3, 5, 7, 64, 4096] {
            assert_eq!(
                counts(&xml, chunk),
                (2, 1, merges.to_vec()),
                "chunk {chunk}"
            );
        }
        // Without an end tag (a part cut short), kept to the end.
        let open = br#"<sheetData/><mergeCells><mergeCell ref="A1:B1"/>"#;
        assert_eq!(counts(open, 3).2, open[12..].to_vec());
        let found = crate::workbook::merges::merges_in(&counts(&xml, 5).2);
        assert_eq!(found.len(), 2);
    }

    #[test]
    fn the_census_finds_each_sheets_merged_regions() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("m.xlsx");
        let mut book = rust_xlsxwriter::Workbook::new();
        let plain = rust_xlsxwriter::Format::new();
        let a = book.add_worksheet().set_name("甲").unwrap();
        a.merge_range(1, 1, 2, 3, "mergeCells", &plain).unwrap();
        a.merge_range(9, 0, 9, 4, "", &plain).unwrap();
        let b = book.add_worksheet().set_name("乙").unwrap();
        b.write(0, 0, "no merges").unwrap();
        book.save(&path).unwrap();
        let found = census(&path).unwrap();
        let m = |first, last| Merge { first, last };
        assert_eq!(
            found.get("甲"),
            Some(&vec![m((1, 1), (2, 3)), m((9, 0), (9, 4))])
        );
        assert_eq!(found.get("乙"), Some(&vec![]));
    }
}
