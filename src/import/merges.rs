//! Merged regions of .xlsx sheets. calamine reads them with a second XML pass over the whole
//! sheet, which cost an import as much as the layout recognition; `<mergeCells>` follows
//! `<sheetData>`, so finding it in the inflated part and parsing only from there is enough.
//! A sheet whose part cannot be located this way gets calamine's pass.

use std::collections::HashMap;
use std::fs::File;
use std::io::{BufReader, Read};
use std::path::Path;

use quick_xml::events::Event;

use super::grid::Merge;
use super::workbook::MAX_UNCOMPRESSED;

pub struct MergeReader {
    zip: zip::ZipArchive<BufReader<File>>,
    /// Sheet name → zip entry of its part.
    parts: HashMap<String, String>,
}

impl MergeReader {
    /// None when the workbook's parts cannot be located; callers then use calamine.
    pub fn open(path: &Path) -> Option<MergeReader> {
        let mut zip = zip::ZipArchive::new(BufReader::new(File::open(path).ok()?)).ok()?;
        let root = read_part(&mut zip, "_rels/.rels")?;
        let workbook = relationships(&root)
            .into_iter()
            .find(|(_, ty, _)| ty.ends_with("/officeDocument"))
            .map(|(_, _, t)| t)?;
        let workbook = workbook.trim_start_matches('/').to_string();
        let dir = workbook
            .rfind('/')
            .map_or(String::new(), |i| workbook[..=i].to_string());
        let file = &workbook[dir.len()..];
        let rels = read_part(&mut zip, &format!("{dir}_rels/{file}.rels"))?;
        let targets: HashMap<String, String> = relationships(&rels)
            .into_iter()
            .map(|(id, _, t)| (id, t))
            .collect();
        let mut parts = HashMap::new();
        for (name, rid) in sheets(&read_part(&mut zip, &workbook)?) {
            let Some(target) = targets.get(&rid) else {
                continue;
            };
            let part = match target.strip_prefix('/') {
                Some(abs) => abs.to_string(),
                None => format!("{dir}{target}"),
            };
            parts.insert(name, part);
        }
        Some(MergeReader { zip, parts })
    }

    /// The merged regions of a sheet; None when its part is not where the workbook says.
    pub fn read(&mut self, sheet: &str) -> Option<Vec<Merge>> {
        let part = self.parts.get(sheet)?.clone();
        let xml = read_part(&mut self.zip, &part)?;
        Some(merges_in(&xml))
    }
}

fn read_part(zip: &mut zip::ZipArchive<BufReader<File>>, name: &str) -> Option<Vec<u8>> {
    let f = zip.by_name(name).ok()?;
    let mut out = Vec::with_capacity(f.size().min(MAX_UNCOMPRESSED) as usize);
    f.take(MAX_UNCOMPRESSED).read_to_end(&mut out).ok()?;
    Some(out)
}

fn attr(e: &quick_xml::events::BytesStart<'_>, local: &str) -> Option<String> {
    e.attributes()
        .with_checks(false)
        .flatten()
        .find(|a| a.key.local_name().as_ref() == local)
        .and_then(|a| {
            quick_xml::escape::unescape(&a.value)
                .ok()
                .map(|v| v.into_owned())
        })
}

/// Every start or empty element with its attributes.
fn elements(xml: &[u8], mut each: impl FnMut(&quick_xml::events::BytesStart<'_>)) {
    let mut reader = quick_xml::Reader::from_reader(xml);
    reader.config_mut().check_end_names = false;
    loop {
        match reader.read_event() {
            Ok(Event::Start(e)) | Ok(Event::Empty(e)) => each(&e),
            Ok(Event::Eof) | Err(_) => break,
            _ => {}
        }
    }
}

/// (Id, Type, Target) of each relationship of a .rels part.
fn relationships(xml: &[u8]) -> Vec<(String, String, String)> {
    let mut out = Vec::new();
    elements(xml, |e| {
        if e.local_name().as_ref() == "Relationship" {
            if let (Some(id), Some(ty), Some(target)) =
                (attr(e, "Id"), attr(e, "Type"), attr(e, "Target"))
            {
                out.push((id, ty, target));
            }
        }
    });
    out
}

/// (name, relationship id) of each sheet of workbook.xml.
fn sheets(xml: &[u8]) -> Vec<(String, String)> {
    let mut out = Vec::new();
    elements(xml, |e| {
        if e.local_name().as_ref() == "sheet" {
            if let (Some(name), Some(id)) = (attr(e, "name"), attr(e, "id")) {
                out.push((name, id));
            }
        }
    });
    out
}

/// The `<mergeCell ref>` regions of a worksheet part, parsed from its `<mergeCells>` on.
fn merges_in(xml: &[u8]) -> Vec<Merge> {
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
}
