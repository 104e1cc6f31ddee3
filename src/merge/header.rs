//! What the canonical order of answers (`order`) needs from a returned workbook, read before
//! any workbook is read whole: the export it answers (the first rows of the hidden sheet) and
//! when it was saved (the document properties). A merge of a folder reads these for every
//! file first, then reads, checks and applies the workbooks one at a time in that order, so
//! memory does not grow with the number of answers.
//!
//! Only what orders the answers is taken from here; everything is read again, whole, and
//! checked when the workbook is applied (`Header::matches`). A workbook this quick reading does
//! not recognise (an .ods, a sheet of another shape) is read whole here, as before.

use std::io::{BufReader, Read};
use std::path::{Path, PathBuf};

use quick_xml::events::Event;

use super::{read_submission, MergeError};
use crate::format::meta::{FORMAT_MARKER, META_SHEET};

/// An answer's place in the canonical order, as far as its workbook says.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Header {
    pub file: PathBuf,
    pub export_id: String,
    /// `saved_at::saved_at`.
    pub saved_at: Option<String>,
    /// What the submission says (`merge::digest`): taken only when two answers to the same
    /// export were saved at the same time (the last key of the order), by reading them whole.
    pub digest: Option<String>,
}

impl Header {
    /// Reads the header of `file` (the quick way when it can).
    pub fn read(file: &Path) -> Result<Header, MergeError> {
        match quick(file) {
            Some(export_id) => Ok(Header {
                file: file.to_path_buf(),
                export_id,
                saved_at: super::saved_at::saved_at(file),
                digest: None,
            }),
            None => Header::whole(file),
        }
    }

    /// The header of a workbook read whole (with its digest).
    pub fn whole(file: &Path) -> Result<Header, MergeError> {
        let sub = read_submission(file)?;
        Ok(Header {
            file: file.to_path_buf(),
            export_id: sub.native.meta.export_id.clone(),
            saved_at: sub.cover.saved_at.clone(),
            digest: Some(sub.digest.clone()),
        })
    }

    /// Whether the workbook read whole when it is applied is the one that was ordered: the
    /// file may have been replaced in between (a department saving its answer again).
    pub fn matches(&self, export_id: &str, saved_at: Option<&str>, digest: &str) -> bool {
        self.export_id == export_id
            && self.saved_at.as_deref() == saved_at
            && self.digest.as_deref().is_none_or(|d| d == digest)
    }
}

/// The export id of a department workbook dxplan wrote (or Excel saved), from the first three
/// rows of its hidden sheet: `format`, `export_id`, `kind`. None for anything else, which is
/// then read whole (and refused or accepted there, with the usual messages).
fn quick(file: &Path) -> Option<String> {
    // Declared sizes and the shared-string count first, as before any read (`zip_check`).
    match crate::workbook::check_zip(file) {
        Ok(false) => {}
        _ => return None,
    }
    first_rows(file)
}

/// The first three rows of the hidden sheet, read from its part as a stream: the sheet's part
/// through the workbook's relationships, the few cells of columns A and B, and, when those are
/// shared strings (a workbook Excel saved), the shared-string part up to the last one needed.
/// Nothing else of the workbook (styles, every shared string, the other sheets) is read here:
/// that is for the whole reading. Any shape not expected gives None: the whole reading decides.
fn first_rows(file: &Path) -> Option<String> {
    let mut zip = zip::ZipArchive::new(BufReader::new(std::fs::File::open(file).ok()?)).ok()?;
    let part = crate::workbook::sheet_parts(&mut zip)?
        .into_iter()
        .find(|(name, _)| name == META_SHEET)?
        .1;
    let cells = first_cells(zip.by_name(&part).ok()?)?;
    let wanted = cells.iter().flatten().filter_map(|c| match c {
        Some(Text::Shared(i)) => Some(*i),
        _ => None,
    });
    let shared = match wanted.max() {
        Some(last) => shared_strings(zip.by_name("xl/sharedStrings.xml").ok()?, last)?,
        None => Vec::new(),
    };
    let at = |r: usize, c: usize| match &cells[r][c] {
        Some(Text::Inline(s)) => s.as_str(),
        Some(Text::Shared(i)) => shared.get(*i).map_or("", String::as_str),
        None => "",
    };
    let ours = at(0, 0) == "format"
        && at(0, 1) == FORMAT_MARKER
        && at(1, 0) == "export_id"
        && at(2, 0) == "kind"
        && at(2, 1) == crate::format::meta::ExportKind::Department.as_str();
    (ours && !at(1, 1).is_empty()).then(|| at(1, 1).to_string())
}

/// A text cell of the first rows: its text, or its index among the shared strings.
#[derive(Debug, PartialEq)]
enum Text {
    Inline(String),
    Shared(usize),
}

/// The text cells of A1:B3 of a sheet part. None when a cell or row has no reference (a
/// writer that leaves them out) or the XML cannot be read.
fn first_cells(part: impl Read) -> Option<[[Option<Text>; 2]; 3]> {
    let mut reader = quick_xml::Reader::from_reader(BufReader::new(part));
    let mut buf = Vec::new();
    let mut out: [[Option<Text>; 2]; 3] = Default::default();
    // The cell being read: (row, column, type), and the escaped text of its value.
    let mut cell: Option<(usize, usize, String)> = None;
    let mut text: Option<String> = None;
    let mut in_phonetic = false;
    loop {
        match reader.read_event_into(&mut buf).ok()? {
            Event::Start(e) if e.local_name().as_ref() == "row" => {
                let r: usize = attr(&e, "r")?.parse().ok()?;
                if r > 3 {
                    break;
                }
            }
            Event::Start(e) if e.local_name().as_ref() == "c" => {
                let (r, c) = cell_ref(&attr(&e, "r")?)?;
                let ty = attr(&e, "t").unwrap_or_default();
                if r > 2 {
                    break;
                }
                cell = Some((r, c, ty));
                text = None;
            }
            Event::Start(e) if e.local_name().as_ref() == "rPh" => in_phonetic = true,
            Event::End(e) if e.local_name().as_ref() == "rPh" => in_phonetic = false,
            Event::Start(e)
                if cell.is_some()
                    && !in_phonetic
                    && matches!(e.local_name().as_ref(), "v" | "t") =>
            {
                text.get_or_insert_with(String::new);
            }
            Event::Text(t) if cell.is_some() && !in_phonetic => {
                if let Some(s) = text.as_mut() {
                    s.push_str(&t);
                }
            }
            Event::GeneralRef(g) if cell.is_some() && !in_phonetic => {
                if let Some(s) = text.as_mut() {
                    s.push('&');
                    s.push_str(&g);
                    s.push(';');
                }
            }
            Event::End(e) if e.local_name().as_ref() == "c" => {
                let (r, c, ty) = cell.take()?;
                let value = match text.take() {
                    Some(t) => Some(unescaped(t)?),
                    None => None,
                };
                if c < 2 {
                    out[r][c] = match (ty.as_str(), value) {
                        ("s", Some(v)) => Some(Text::Shared(v.trim().parse().ok()?)),
                        ("str" | "inlineStr", Some(v)) => Some(Text::Inline(v)),
                        _ => None,
                    };
                }
            }
            Event::End(e) if e.local_name().as_ref() == "sheetData" => break,
            Event::Eof => break,
            _ => {}
        }
        buf.clear();
    }
    Some(out)
}

/// The shared strings up to index `last`, read as a stream (the rest of the part is not).
fn shared_strings(part: impl Read, last: usize) -> Option<Vec<String>> {
    let mut reader = quick_xml::Reader::from_reader(BufReader::new(part));
    let mut buf = Vec::new();
    let mut out = Vec::new();
    let mut text: Option<String> = None;
    let (mut in_t, mut in_phonetic) = (false, false);
    while out.len() <= last {
        match reader.read_event_into(&mut buf).ok()? {
            Event::Start(e) => match e.local_name().as_ref() {
                "si" => text = Some(String::new()),
                "t" => in_t = true,
                "rPh" => in_phonetic = true,
                _ => {}
            },
            Event::Empty(e) if e.local_name().as_ref() == "si" => out.push(String::new()),
            Event::End(e) => match e.local_name().as_ref() {
                "si" => out.push(unescaped(text.take()?)?),
                "t" => in_t = false,
                "rPh" => in_phonetic = false,
                _ => {}
            },
            Event::Text(t) if in_t && !in_phonetic => text.as_mut()?.push_str(&t),
            Event::GeneralRef(g) if in_t && !in_phonetic => {
                let s = text.as_mut()?;
                s.push('&');
                s.push_str(&g);
                s.push(';');
            }
            Event::Eof => return None,
            _ => {}
        }
        buf.clear();
    }
    Some(out)
}

fn attr(e: &quick_xml::events::BytesStart<'_>, local: &str) -> Option<String> {
    let a = e
        .attributes()
        .flatten()
        .find(|a| a.key.local_name().as_ref() == local)?;
    Some(a.value.into_owned())
}

/// `B3` → (2, 1), zero-based.
fn cell_ref(r: &str) -> Option<(usize, usize)> {
    let split = r.find(|c: char| c.is_ascii_digit())?;
    let (letters, digits) = r.split_at(split);
    if letters.is_empty() || letters.len() > 3 || !letters.bytes().all(|b| b.is_ascii_uppercase()) {
        return None;
    }
    let col = letters
        .bytes()
        .fold(0usize, |n, b| n * 26 + usize::from(b - b'A' + 1));
    let row: usize = digits.parse().ok()?;
    Some((row.checked_sub(1)?, col - 1))
}

fn unescaped(raw: String) -> Option<String> {
    let text = quick_xml::escape::unescape(&raw).ok()?.into_owned();
    // XML 1.0 line ends, as calamine reads them.
    Some(text.replace("\r\n", "\n"))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::export::{write_department, write_master, ExportOptions};

    fn options() -> ExportOptions {
        ExportOptions {
            export_id: Some("0193a0b2-0000-7000-8000-0000000000aa".into()),
            ..ExportOptions::default()
        }
    }

    #[test]
    fn a_department_workbook_is_placed_by_its_first_rows_alone() {
        let dir = tempfile::tempdir().expect("tmp");
        let plan = crate::sample::onojo().expect("sample");
        let file = dir.path().join("課.xlsx");
        write_department(&plan, &plan.org_units[0].id, &file, &options()).expect("export");
        let head = Header::read(&file).expect("header");
        assert_eq!(head.export_id, "0193a0b2-0000-7000-8000-0000000000aa");
        // Read quickly: no digest, which only a whole reading gives.
        assert_eq!(head.digest, None);
        let whole = Header::whole(&file).expect("whole");
        assert_eq!(whole.export_id, head.export_id);
        assert_eq!(whole.saved_at, head.saved_at);
        let digest = whole.digest.clone().expect("digest");
        assert!(head.matches(&whole.export_id, whole.saved_at.as_deref(), &digest));
        // The same file saved again later is not the one that was placed.
        assert!(!head.matches(&whole.export_id, Some("2099-01-01T00:00:00Z"), &digest));
        assert!(!whole.matches(&whole.export_id, whole.saved_at.as_deref(), "other"));
    }

    #[test]
    fn a_master_workbook_is_read_whole_and_refused_as_before() {
        let dir = tempfile::tempdir().expect("tmp");
        let plan = crate::sample::onojo().expect("sample");
        let file = dir.path().join("全体.xlsx");
        write_master(&plan, &file, &options()).expect("export");
        assert!(matches!(
            Header::read(&file),
            Err(MergeError::NotADepartmentWorkbook(_))
        ));
    }

    #[test]
    fn the_first_rows_are_read_as_excel_saves_them() {
        let sheet = br#"<worksheet><sheetData>
            <row r="1"><c r="A1" t="s"><v>0</v></c><c r="B1" t="s"><v>1</v></c><c r="C1" t="s"><v>7</v></c></row>
            <row r="2"><c r="A2" t="str"><f>X</f><v>export_id</v></c><c r="B2" t="inlineStr"><is><t>id&amp;1</t></is></c></row>
            <row r="3"><c r="A3" s="2"/><c r="A3" t="s"><v>2</v></c><c r="B3"><v>5</v></c></row>
            <row r="4"><c r="A4" t="s"><v>99</v></c></row></sheetData></worksheet>"#;
        let cells = first_cells(&sheet[..]).expect("cells");
        assert_eq!(cells[0][0], Some(Text::Shared(0)));
        assert_eq!(cells[0][1], Some(Text::Shared(1)));
        assert_eq!(cells[1][0], Some(Text::Inline("export_id".into())));
        assert_eq!(cells[1][1], Some(Text::Inline("id&1".into())));
        assert_eq!(cells[2][0], Some(Text::Shared(2)));
        // A number is not text.
        assert_eq!(cells[2][1], None);
        // Rich text is joined, its reading (rPh) left out; only the strings needed are read.
        let shared = br#"<sst><si><t>format</t></si><si><r><t>dx</t></r><r><t>plan</t></r><rPh><t>furigana</t></rPh></si><si/><si><t>kind</t></si><si><t>unused"#;
        let strings = shared_strings(&shared[..], 3).expect("strings");
        assert_eq!(strings, ["format", "dxplan", "", "kind"]);
        // A cell without its reference: left to the whole reading.
        assert!(first_cells(
            &br#"<sheetData><row r="1"><c t="s"><v>0</v></c></row></sheetData>"#[..]
        )
        .is_none());
    }
}
