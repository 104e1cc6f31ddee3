//! A CSV file as the city's other systems write it (財務会計's budget list, a list saved from
//! Excel): Shift_JIS (cp932) as Excel on Japanese Windows saves 「CSV（コンマ区切り）」, UTF-8 with
//! or without a BOM (「CSV UTF-8」), or UTF-16 with a BOM and tabs (「Unicode テキスト」). Read
//! into one sheet named after the file, within the same limits as a workbook's sheet.

use std::io::Read;
use std::path::Path;

use super::error::ReadError;
use super::limits;
use crate::grid::{Cell, Grid};

/// Whether a file is imported as CSV: by its name (.csv, .tsv, .txt), never a workbook.
pub fn is_csv(path: &Path) -> bool {
    path.extension().and_then(|e| e.to_str()).is_some_and(|e| {
        ["csv", "tsv", "txt"]
            .iter()
            .any(|x| e.eq_ignore_ascii_case(x))
    })
}

/// The encodings a CSV file is read in, as the report names them.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Encoding {
    Utf8Bom,
    Utf8,
    ShiftJis,
    Utf16Le,
    Utf16Be,
}

impl Encoding {
    pub fn name(self) -> &'static str {
        match self {
            Encoding::Utf8Bom => "UTF-8（BOM付き） / UTF-8 with BOM",
            Encoding::Utf8 => "UTF-8",
            Encoding::ShiftJis => "Shift_JIS（cp932） / Shift_JIS (cp932)",
            Encoding::Utf16Le => "UTF-16LE（BOM付き） / UTF-16LE with BOM",
            Encoding::Utf16Be => "UTF-16BE（BOM付き） / UTF-16BE with BOM",
        }
    }
}

/// The text of a CSV file and the encoding it was written in: a BOM says it; else UTF-8 when
/// the bytes are valid UTF-8 (plain ASCII is), else Shift_JIS (cp932: WHATWG Shift_JIS, with
/// NEC and IBM extensions), refused if it is not that either.
pub fn decode(path: &Path, bytes: &[u8]) -> Result<(String, Encoding), ReadError> {
    let bad = || ReadError::Encoding {
        file: path.to_path_buf(),
    };
    if let Some(rest) = bytes.strip_prefix(b"\xEF\xBB\xBF") {
        let s = std::str::from_utf8(rest).map_err(|_| bad())?;
        return Ok((s.to_string(), Encoding::Utf8Bom));
    }
    for (bom, enc, which) in [
        (&b"\xFF\xFE"[..], encoding_rs::UTF_16LE, Encoding::Utf16Le),
        (&b"\xFE\xFF"[..], encoding_rs::UTF_16BE, Encoding::Utf16Be),
    ] {
        if let Some(rest) = bytes.strip_prefix(bom) {
            let s = enc
                .decode_without_bom_handling_and_without_replacement(rest)
                .ok_or_else(bad)?;
            return Ok((s.into_owned(), which));
        }
    }
    if let Ok(s) = std::str::from_utf8(bytes) {
        return Ok((s.to_string(), Encoding::Utf8));
    }
    encoding_rs::SHIFT_JIS
        .decode_without_bom_handling_and_without_replacement(bytes)
        .map(|s| (s.into_owned(), Encoding::ShiftJis))
        .ok_or_else(bad)
}

/// Tab-separated when the first line has more tabs than commas (Excel's 「Unicode テキスト」).
fn delimiter(text: &str) -> u8 {
    let first = text.lines().next().unwrap_or("");
    if first.matches('\t').count() > first.matches(',').count() {
        b'\t'
    } else {
        b','
    }
}

/// Reads a CSV file into a sheet named after the file (its stem), refusing one past the
/// limits of a workbook's sheet before the text is kept.
pub fn read(path: &Path) -> Result<(Grid, Encoding), ReadError> {
    let file = std::fs::File::open(path).map_err(|e| ReadError::io(path, e))?;
    let mut bytes = Vec::new();
    // One byte more than the cap tells a file past it without reading all of it.
    file.take(limits::MAX_TEXT_BYTES + 1)
        .read_to_end(&mut bytes)
        .map_err(|e| ReadError::io(path, e))?;
    if bytes.len() as u64 > limits::MAX_TEXT_BYTES {
        return Err(limits::too_large(
            path,
            "CSV ファイルの大きさ",
            "size of the CSV file",
            limits::megabytes(limits::MAX_TEXT_BYTES),
        ));
    }
    let (text, encoding) = decode(path, &bytes)?;
    drop(bytes);
    let name = path
        .file_stem()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let mut grid = Grid {
        name: name.clone(),
        ..Grid::default()
    };
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .delimiter(delimiter(&text))
        .from_reader(text.as_bytes());
    let mut kept: u64 = 0;
    for (r, rec) in reader.records().enumerate() {
        let rec = rec.map_err(|e| ReadError::Csv {
            file: path.to_path_buf(),
            detail: e.to_string(),
        })?;
        for (c, field) in rec.iter().enumerate() {
            if field.trim().is_empty() {
                continue;
            }
            let pos = (
                u32::try_from(r).unwrap_or(u32::MAX),
                u32::try_from(c).unwrap_or(u32::MAX),
            );
            limits::check_extent(path, &name, pos)?;
            kept += 1;
            if kept > limits::MAX_CELLS_PER_SHEET {
                return Err(limits::cells_in_sheet(path, &name));
            }
            grid.cells.insert(pos, Cell::new(field.to_string(), None));
        }
    }
    Ok((grid, encoding))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn encodings_are_told_apart() {
        let text = "事業名,担当課\nオンライン申請,情報政策課\n";
        let p = Path::new("一覧.csv");
        let (sjis, _, bad) = encoding_rs::SHIFT_JIS.encode(text);
        assert!(!bad);
        assert_eq!(
            decode(p, &sjis).unwrap(),
            (text.to_string(), Encoding::ShiftJis)
        );
        let mut bom = b"\xEF\xBB\xBF".to_vec();
        bom.extend_from_slice(text.as_bytes());
        assert_eq!(
            decode(p, &bom).unwrap(),
            (text.to_string(), Encoding::Utf8Bom)
        );
        assert_eq!(
            decode(p, text.as_bytes()).unwrap(),
            (text.to_string(), Encoding::Utf8)
        );
        let mut utf16 = b"\xFF\xFE".to_vec();
        utf16.extend(text.encode_utf16().flat_map(|u| u.to_le_bytes()));
        assert_eq!(
            decode(p, &utf16).unwrap(),
            (text.to_string(), Encoding::Utf16Le)
        );
        // Neither UTF-8 nor Shift_JIS: refused, naming the file.
        let e = decode(p, b"\x82\xa0\xff\xff").unwrap_err().to_string();
        assert!(e.contains("一覧.csv"), "{e}");
    }

    #[test]
    fn tabs_or_commas() {
        assert_eq!(delimiter("事業名\t担当課\na,b\tc"), b'\t');
        assert_eq!(delimiter("事業名,担当課\n"), b',');
    }
}
