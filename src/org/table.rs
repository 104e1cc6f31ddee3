//! The tables personnel sections and the DX office circulate (旧組織 / 新組織 / 種別, 課名 / 氏名 /
//! 連絡先, 事業 / 担当課), read from a workbook (.xlsx, .xlsm, .xls, .ods) or a .csv file (UTF-8
//! with or without BOM, or Shift_JIS / cp932 as Excel on Japanese Windows saves it). The table
//! is found by its header labels after NFKC and whitespace removal, wherever it starts.

use std::path::Path;

use super::OrgError;
use crate::grid::{Cell, Grid};
use crate::parse::label::normalize_label;

/// A column the caller wants, by the labels its header may carry.
pub struct Column {
    pub labels: &'static [&'static str],
    pub required: bool,
}

/// One data row: the wanted columns' texts (trimmed; empty when absent) and where each is.
#[derive(Debug, Clone)]
pub struct TableRow {
    pub cells: Vec<String>,
    pub refs: Vec<String>,
    /// `Sheet!A3` of the row's first cell, for messages.
    pub at: String,
}

#[derive(Debug, Clone)]
pub struct Table {
    pub rows: Vec<TableRow>,
}

/// Header rows are looked for this far down a sheet (titles and notes come first).
const HEADER_SEARCH_ROWS: usize = 50;

fn is_csv(path: &Path) -> bool {
    path.extension()
        .and_then(|e| e.to_str())
        .is_some_and(|e| e.eq_ignore_ascii_case("csv") || e.eq_ignore_ascii_case("txt"))
}

/// The text of a CSV file: UTF-8 (a BOM is dropped) or else Shift_JIS (cp932).
pub fn decode_text(path: &Path, bytes: &[u8]) -> Result<String, OrgError> {
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    if let Ok(s) = std::str::from_utf8(bytes) {
        return Ok(s.to_string());
    }
    encoding_rs::SHIFT_JIS
        .decode_without_bom_handling_and_without_replacement(bytes)
        .map(|s| s.into_owned())
        .ok_or_else(|| OrgError::Encoding {
            file: path.to_path_buf(),
        })
}

fn read_csv(path: &Path) -> Result<Grid, OrgError> {
    let bytes = std::fs::read(path).map_err(|source| OrgError::Io {
        file: path.to_path_buf(),
        source,
    })?;
    let text = decode_text(path, &bytes)?;
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .from_reader(text.as_bytes());
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let mut grid = Grid {
        name,
        ..Grid::default()
    };
    for (r, rec) in reader.records().enumerate() {
        let rec = rec.map_err(|e| OrgError::Csv {
            file: path.to_path_buf(),
            detail: e.to_string(),
        })?;
        for (c, field) in rec.iter().enumerate() {
            if !field.trim().is_empty() {
                grid.cells
                    .insert((r as u32, c as u32), Cell::new(field.to_string(), None));
            }
        }
    }
    Ok(grid)
}

fn grids(path: &Path) -> Result<Vec<Grid>, OrgError> {
    if is_csv(path) {
        return Ok(vec![read_csv(path)?]);
    }
    let wb = crate::workbook::open(path).map_err(crate::import::ImportError::from)?;
    Ok(wb.sheets.into_iter().filter(|g| !g.hidden).collect())
}

/// The header row of `columns` on a sheet: (row, column of each wanted column).
fn header(g: &Grid, columns: &[Column]) -> Option<(u32, Vec<Option<u32>>)> {
    for r in g.used_rows().into_iter().take(HEADER_SEARCH_ROWS) {
        let found: Vec<Option<u32>> = columns
            .iter()
            .map(|col| {
                g.row(r).find_map(|(c, cell)| {
                    col.labels
                        .iter()
                        .any(|l| normalize_label(l) == cell.key())
                        .then_some(c)
                })
            })
            .collect();
        if columns
            .iter()
            .zip(&found)
            .all(|(col, f)| !col.required || f.is_some())
        {
            return Some((r, found));
        }
    }
    None
}

/// Reads the first table of `path` that has every required column, by its header labels.
pub fn read_table(path: &Path, columns: &[Column]) -> Result<Table, OrgError> {
    for g in grids(path)? {
        let Some((head, cols)) = header(&g, columns) else {
            continue;
        };
        let mut rows = Vec::new();
        for r in g.used_rows().into_iter().filter(|&r| r > head) {
            let cells: Vec<String> = cols
                .iter()
                .map(|c| c.map_or(String::new(), |c| g.text(r, c).trim().to_string()))
                .collect();
            if cells.iter().all(String::is_empty) {
                continue;
            }
            let refs = cols.iter().map(|c| g.at(r, c.unwrap_or(0))).collect();
            let first = cols.iter().flatten().min().copied().unwrap_or(0);
            rows.push(TableRow {
                cells,
                refs,
                at: g.at(r, first),
            });
        }
        return Ok(Table { rows });
    }
    Err(OrgError::NoTable {
        file: path.to_path_buf(),
        labels: columns
            .iter()
            .filter(|c| c.required)
            .map(|c| c.labels.first().copied().unwrap_or_default())
            .collect::<Vec<_>>()
            .join("／"),
    })
}

/// Names in one cell or argument: 「市民課、税務課」, 「市民課,税務課」 (not on 「・」: units such
/// as 「福山中・高等学校」 hold one).
pub fn split_names(s: &str) -> Vec<String> {
    s.split([',', '、', '，', '､', '\n'])
        .map(str::trim)
        .filter(|n| !n.is_empty())
        .map(str::to_string)
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn csv_in_utf8_bom_and_shift_jis_reads_the_same() {
        let text = "旧組織,新組織,種別\n情報政策課,デジタル推進課,名称変更\n";
        let p = Path::new("t.csv");
        let (sjis, _, bad) = encoding_rs::SHIFT_JIS.encode(text);
        assert!(!bad);
        let mut bom = b"\xEF\xBB\xBF".to_vec();
        bom.extend_from_slice(text.as_bytes());
        for bytes in [text.as_bytes().to_vec(), bom, sjis.into_owned()] {
            assert_eq!(decode_text(p, &bytes).unwrap(), text);
        }
        assert!(matches!(
            decode_text(p, &[0x82, 0xA0, 0xFF, 0xFF, 0x80]),
            Err(OrgError::Encoding { .. })
        ));
    }

    #[test]
    fn names_split_on_japanese_and_ascii_separators() {
        assert_eq!(
            split_names("市民課、税務課，保険課, 健康課"),
            ["市民課", "税務課", "保険課", "健康課"]
        );
    }
}
