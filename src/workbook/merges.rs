//! Merged regions of .xlsx sheets. calamine reads them with a second XML pass over the whole
//! sheet, which cost an import as much as the layout recognition; `<mergeCells>` follows
//! `<sheetData>`, so the census of the cells (`zip_check::census`), which streams every sheet
//! part before calamine reads it, keeps that element's bytes, and they are parsed here
//! (`merges_in`). A sheet whose part the census could not locate gets calamine's pass.

use std::collections::{BTreeMap, BinaryHeap, HashSet};
use std::path::Path;

use super::error::ReadError;
use super::limits::{grouped, too_large, MAX_MERGES_PER_SHEET};
use super::parts::{attr, elements};
use crate::grid::{a1, Merge};

/// A sheet's merged regions as the importer keeps them. More than `MAX_MERGES_PER_SHEET` is
/// refused; a region given twice is kept once (harmless). Overlapping regions are refused with
/// both named: Excel itself will not open such a file without repairing it (it drops the
/// regions), and which year a value merged across both belongs to cannot be told.
pub(crate) fn checked(
    path: &Path,
    sheet: &str,
    merges: Vec<Merge>,
) -> Result<Vec<Merge>, ReadError> {
    if merges.len() as u64 > MAX_MERGES_PER_SHEET {
        return Err(too_large(
            path,
            format!("シート「{sheet}」の結合セルの数"),
            format!("merged regions in sheet {sheet}"),
            format!("{} 個 / regions", grouped(MAX_MERGES_PER_SHEET)),
        ));
    }
    let mut seen = HashSet::with_capacity(merges.len());
    let merges: Vec<Merge> = merges
        .into_iter()
        .map(|m| Merge {
            first: (m.first.0.min(m.last.0), m.first.1.min(m.last.1)),
            last: (m.first.0.max(m.last.0), m.first.1.max(m.last.1)),
        })
        .filter(|m| seen.insert(*m))
        .collect();
    if let Some((a, b)) = first_overlap(&merges) {
        let name = |m: Merge| format!("{}:{}", a1(m.first.0, m.first.1), a1(m.last.0, m.last.1));
        return Err(ReadError::MergeOverlap {
            file: path.to_path_buf(),
            sheet: sheet.to_string(),
            first: name(a),
            second: name(b),
        });
    }
    Ok(merges)
}

/// Two regions that share a cell, the earlier in file order first. A sweep down the rows:
/// a region opens at its first row and closes after its last; regions open together share a
/// row, so (none overlapping yet) no column, and the open region starting nearest at or left
/// of a new region's last column is the only one that can overlap it. O(n log n).
fn first_overlap(merges: &[Merge]) -> Option<(Merge, Merge)> {
    let mut order: Vec<usize> = (0..merges.len()).collect();
    order.sort_unstable_by_key(|&i| merges[i].first);
    let mut open: BTreeMap<u32, usize> = BTreeMap::new();
    let mut closing: BinaryHeap<std::cmp::Reverse<(u32, u32)>> = BinaryHeap::new();
    for i in order {
        let m = merges[i];
        while let Some(&std::cmp::Reverse((last_row, first_col))) = closing.peek() {
            if last_row >= m.first.0 {
                break;
            }
            closing.pop();
            open.remove(&first_col);
        }
        if let Some((_, &j)) = open.range(..=m.last.1).next_back() {
            if merges[j].last.1 >= m.first.1 {
                return Some(if j < i {
                    (merges[j], m)
                } else {
                    (m, merges[j])
                });
            }
        }
        open.insert(m.first.1, i);
        closing.push(std::cmp::Reverse((m.last.0, m.first.1)));
    }
    None
}

/// The `<mergeCell ref>` regions of a worksheet part (or of the part's `<mergeCells>` element,
/// as the census keeps it), parsed from its `<mergeCells>` on; at most one more than
/// `MAX_MERGES_PER_SHEET` (which `checked` refuses).
pub(crate) fn merges_in(xml: &[u8]) -> Vec<Merge> {
    // The start tag `<mergeCells` or `<prefix:mergeCells`, not the word in a cell's text.
    let start = memchr::memmem::find_iter(xml, b"mergeCells").find_map(|at| {
        let lt = xml[..at].iter().rposition(|b| *b == b'<')?;
        let name = &xml[lt + 1..at];
        (name.is_empty()
            || (name.ends_with(b":")
                && name.iter().all(|b| b.is_ascii_alphanumeric() || *b == b':')))
        .then_some(lt)
    });
    let Some(start) = start else {
        return Vec::new();
    };
    let mut out = Vec::new();
    elements(&xml[start..], |e| {
        if e.local_name().as_ref() == "mergeCell" {
            if let Some(m) = attr(e, "ref").as_deref().and_then(parse_range) {
                out.push(m);
            }
        }
        (out.len() as u64) <= MAX_MERGES_PER_SHEET
    });
    out
}

/// 「B2:D3」 or 「B2」 as a region, 0-based.
fn parse_range(r: &str) -> Option<Merge> {
    let (a, b) = r.split_once(':').unwrap_or((r, r));
    let (first, last) = (parse_cell(a)?, parse_cell(b)?);
    Some(Merge {
        first: (first.0.min(last.0), first.1.min(last.1)),
        last: (first.0.max(last.0), first.1.max(last.1)),
    })
}

fn parse_cell(s: &str) -> Option<(u32, u32)> {
    let s = s.trim().replace('$', "");
    let split = s.find(|c: char| c.is_ascii_digit())?;
    let (letters, digits) = s.split_at(split);
    if letters.is_empty() || letters.len() > 3 || !letters.bytes().all(|b| b.is_ascii_alphabetic())
    {
        return None;
    }
    let col = letters.bytes().fold(0u32, |n, b| {
        n * 26 + u32::from(b.to_ascii_uppercase() - b'A' + 1)
    }) - 1;
    let row: u32 = digits.parse().ok()?;
    Some((row.checked_sub(1)?, col))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn merges_are_read_from_the_tail_of_the_part() {
        let xml = br#"<worksheet><sheetData><row r="1"><c r="A1" t="inlineStr"><is><t>mergeCells</t></is></c></row></sheetData>
            <x:mergeCells count="2"><x:mergeCell ref="B2:D3"/><mergeCell ref="$A$10"/></x:mergeCells><pageMargins/></worksheet>"#;
        // The text 「mergeCells」 in a cell comes first: the scan starts there and still finds
        // only real elements.
        assert_eq!(
            merges_in(xml),
            vec![
                Merge {
                    first: (1, 1),
                    last: (2, 3)
                },
                Merge {
                    first: (9, 0),
                    last: (9, 0)
                }
            ]
        );
        assert_eq!(merges_in(b"<worksheet><sheetData/></worksheet>"), vec![]);
        assert_eq!(
            parse_range("AA1:AB2"),
            Some(Merge {
                first: (0, 26),
                last: (1, 27)
            })
        );
        assert_eq!(parse_range("A0"), None);
        assert_eq!(parse_range("1A"), None);
    }

    fn m(r: &str) -> Merge {
        parse_range(r).unwrap()
    }

    fn check(list: &[&str]) -> Result<Vec<Merge>, ReadError> {
        checked(
            Path::new("x.xlsx"),
            "S",
            list.iter().map(|r| m(r)).collect(),
        )
    }

    #[test]
    fn overlapping_regions_are_refused_naming_both() {
        // Side by side, stacked, touching corners: no overlap.
        let ok = [
            "A1:B2", "C1:D2", "A3:D3", "E1:E1", "F2:G9", "E2:E9", "A4:A4",
        ];
        assert_eq!(check(&ok).unwrap().len(), ok.len());
        // The same region twice is kept once.
        assert_eq!(check(&["B2:C3", "B2:C3", "D4"]).unwrap().len(), 2);
        for (list, first, second) in [
            (vec!["A1:C3", "C3:E5"], "A1:C3", "C3:E5"),
            (vec!["B1:B9", "A5:C5"], "B1:B9", "A5:C5"),
            (vec!["A5:C5", "B1:B9"], "A5:C5", "B1:B9"),
            // Contained, and found among many open regions.
            (
                vec!["A1:A3", "C1:C3", "E1:Z50", "K10:L11"],
                "E1:Z50",
                "K10:L11",
            ),
            (vec!["D1:D1", "A1:J1", "X9"], "D1:D1", "A1:J1"),
        ] {
            match check(&list) {
                Err(ReadError::MergeOverlap {
                    file,
                    sheet,
                    first: a,
                    second: b,
                }) => {
                    assert_eq!((file.as_path(), sheet.as_str()), (Path::new("x.xlsx"), "S"));
                    assert_eq!((a.as_str(), b.as_str()), (first, second), "{list:?}");
                }
                other => panic!("{list:?}: {other:?}"),
            }
        }
    }

    #[test]
    fn overlaps_among_many_regions_are_found_fast() {
        // 400,000 regions, each row's pairs disjoint, then one that spans two rows' pairs.
        let mut list: Vec<Merge> = (0..40_000)
            .flat_map(|r| {
                (0..10).map(move |k| Merge {
                    first: (r, 2 * k),
                    last: (r, 2 * k + 1),
                })
            })
            .collect();
        assert_eq!(first_overlap(&list), None);
        list.push(m("D30000:D30001"));
        assert_eq!(
            first_overlap(&list),
            Some((m("C30000:D30000"), m("D30000:D30001")))
        );
        list.truncate(MAX_MERGES_PER_SHEET as usize);
        assert_eq!(
            checked(Path::new("x.xlsx"), "S", list).unwrap().len(),
            MAX_MERGES_PER_SHEET as usize
        );
        let too_many = vec![m("A1"); MAX_MERGES_PER_SHEET as usize + 1];
        let e = checked(Path::new("x.xlsx"), "S", too_many)
            .unwrap_err()
            .to_string();
        assert!(e.contains("100,000") && e.contains("x.xlsx"), "{e}");
    }
}
