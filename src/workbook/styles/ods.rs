//! Fills and percentages of a .ods workbook, streamed from `styles.xml` (common cell styles) and
//! `content.xml` (automatic cell styles, then the tables).
//!
//! A cell's style is its `table:style-name`, else its row's `table:default-cell-style-name`,
//! else its column's, else the default cell style; a style is filled when the nearest style up
//! its parent chain that sets `fo:background-color` sets a colour (not 「transparent」). A cell is
//! a percentage when `office:value-type="percentage"`.
//!
//! LibreOffice writes the rest of a sheet as huge repeats (1,048,576 rows, 16,384 columns).
//! Repeats are never expanded: a row keeps only its filled or percentage column segments, and
//! those are recorded for each repeated row within `MAX_ROW`. Blank cells whose repeat runs past
//! `MAX_COL`, or blank rows whose repeat runs past `MAX_ROW`, are the formatting of the rest of
//! the sheet (a whole formatted row or column), not bars, and are not recorded.
//!
//! The same pass over `content.xml` takes the census of what calamine would build from it
//! (`Census`), and runs before calamine opens the file: calamine reads every table when it
//! opens a .ods, copying a repeated cell once per repeat into a rectangular grid of each sheet's
//! used range, so an 805-byte file of repeated value cells took 5 GB before it could be refused.

use std::collections::HashMap;
use std::fs::File;
use std::io::{BufReader, Read};
use std::path::Path;

use quick_xml::events::{BytesStart, Event};
use quick_xml::Reader;

use super::{corrupt, CellStyles, Collector, Segment};
use crate::workbook::error::ReadError;
use crate::workbook::limits::{self, MAX_COL, MAX_ROW};

/// Bytes one XML event may take (a start tag with its attributes, or a text): bounds the
/// parser's buffer whatever the entry declares.
const MAX_EVENT_BYTES: u64 = 64 * 1024 * 1024;
/// Parent chains longer than this are cycles or hostile.
const MAX_STYLE_DEPTH: usize = 32;

pub fn read(path: &Path) -> Result<CellStyles, ReadError> {
    let f = File::open(path).map_err(|e| ReadError::io(path, e))?;
    let mut zip =
        zip::ZipArchive::new(BufReader::new(f)).map_err(|e| corrupt(path, e.to_string()))?;
    let mut styles = Styles::default();
    match zip.by_name("styles.xml") {
        Ok(entry) => parse(path, entry, &mut styles, None)?,
        Err(zip::result::ZipError::FileNotFound) => {}
        Err(e) => return Err(corrupt(path, format!("styles.xml: {e}"))),
    }
    let entry = zip
        .by_name("content.xml")
        .map_err(|e| corrupt(path, format!("content.xml: {e}")))?;
    let mut out = Collector::new(path);
    parse(path, entry, &mut styles, Some(&mut out))?;
    Ok(out.finish())
}

/// Reads `content.xml` (and optionally `styles.xml` first) from memory: the parser the file
/// reader uses, for tests.
#[cfg(test)]
pub(crate) fn read_xml(
    path: &Path,
    styles_xml: Option<&[u8]>,
    content_xml: &[u8],
) -> Result<CellStyles, ReadError> {
    let mut styles = Styles::default();
    if let Some(s) = styles_xml {
        parse(path, s, &mut styles, None)?;
    }
    let mut out = Collector::new(path);
    parse(path, content_xml, &mut styles, Some(&mut out))?;
    Ok(out.finish())
}

// ---------------------------------------------------------------------------------------------
// Styles

#[derive(Debug, Default)]
struct StyleDef {
    parent: Option<String>,
    /// `Some(true)` for a colour, `Some(false)` for 「transparent」, `None` when not set.
    background: Option<bool>,
}

#[derive(Debug, Default)]
struct Styles {
    defs: HashMap<String, StyleDef>,
    /// `style:default-style style:family="table-cell"`.
    default_background: Option<bool>,
    cache: HashMap<String, bool>,
}

impl Styles {
    fn define(&mut self, name: String, def: StyleDef) {
        self.cache.clear();
        self.defs.insert(name, def);
    }

    /// Whether cells of style `name` (or of no style: `None`) have a visible fill.
    fn filled(&mut self, name: Option<&str>) -> bool {
        let default = self.default_background.unwrap_or(false);
        let Some(name) = name else { return default };
        if let Some(&b) = self.cache.get(name) {
            return b;
        }
        let mut cur = self.defs.get(name);
        let mut result = default;
        for _ in 0..MAX_STYLE_DEPTH {
            let Some(def) = cur else { break };
            if let Some(b) = def.background {
                result = b;
                break;
            }
            cur = def.parent.as_deref().and_then(|p| self.defs.get(p));
        }
        // Only names that exist are cached, so the cache stays as small as the definitions.
        if self.defs.contains_key(name) {
            self.cache.insert(name.to_string(), result);
        }
        result
    }
}

fn visible(color: &str) -> bool {
    let c = color.trim();
    !c.is_empty() && !c.eq_ignore_ascii_case("transparent")
}

// ---------------------------------------------------------------------------------------------
// Tables

/// A run of columns `[first, last)` (clipped to `MAX_COL`) and whether their default is filled.
#[derive(Debug)]
struct ColRun {
    first: u32,
    last: u32,
    filled: bool,
}

#[derive(Debug)]
struct Row {
    repeat: u64,
    /// The row's default cell style, resolved.
    default: Option<bool>,
    col: u64,
    has_value: bool,
    segments: Vec<Segment>,
}

#[derive(Debug, Default)]
struct Table {
    columns: Vec<ColRun>,
    next_col: u64,
    row: u64,
    current: Option<Row>,
}

impl Table {
    fn column(&mut self, repeat: u64, filled: bool) {
        let first = self.next_col;
        self.next_col = first.saturating_add(repeat);
        let (first, last) = (clip(first, MAX_COL), clip(self.next_col, MAX_COL));
        if first >= last {
            return;
        }
        match self.columns.last_mut() {
            Some(r) if r.last == first && r.filled == filled => r.last = last,
            _ => self.columns.push(ColRun {
                first,
                last,
                filled,
            }),
        }
    }
}

/// Fill of columns `[first, last)` from the column defaults `columns`, as segments.
fn column_segments(
    columns: &[ColRun],
    first: u32,
    last: u32,
    default: bool,
    percent: bool,
    out: &mut Vec<Segment>,
) {
    let mut c = first;
    for run in columns {
        if run.last <= c {
            continue;
        }
        if c >= last {
            break;
        }
        if run.first > c {
            let end = run.first.min(last);
            push_segment(
                out,
                Segment {
                    first: c,
                    last: end,
                    filled: default,
                    percent,
                },
            );
            c = end;
            if c >= last {
                break;
            }
        }
        let end = run.last.min(last);
        push_segment(
            out,
            Segment {
                first: c,
                last: end,
                filled: run.filled,
                percent,
            },
        );
        c = end;
    }
    if c < last {
        push_segment(
            out,
            Segment {
                first: c,
                last,
                filled: default,
                percent,
            },
        );
    }
}

fn clip(v: u64, cap: u32) -> u32 {
    v.min(u64::from(cap)) as u32
}

fn push_segment(out: &mut Vec<Segment>, s: Segment) {
    if s.first >= s.last || !(s.filled || s.percent) {
        return;
    }
    match out.last_mut() {
        Some(p) if p.last == s.first && p.filled == s.filled && p.percent == s.percent => {
            p.last = s.last
        }
        _ => out.push(s),
    }
}

// ---------------------------------------------------------------------------------------------
// The streaming parser

/// Counts the bytes read since the last event, and refuses to read on past `MAX_EVENT_BYTES`.
struct Metered<R> {
    inner: R,
    since_event: u64,
    tripped: bool,
}

impl<R: Read> Read for Metered<R> {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        if self.since_event > MAX_EVENT_BYTES {
            self.tripped = true;
            return Err(std::io::Error::other("XML element or text too large"));
        }
        let n = self.inner.read(buf)?;
        self.since_event += n as u64;
        Ok(n)
    }
}

#[derive(Default)]
struct Attrs {
    name: Option<String>,
    family: Option<String>,
    parent: Option<String>,
    default_cell_style: Option<String>,
    style: Option<String>,
    background: Option<String>,
    rows_repeated: Option<u64>,
    cols_repeated: Option<u64>,
    value_type: Option<String>,
    /// A value or formula attribute: calamine keeps the cell.
    valued: bool,
    /// Bytes of the value and formula attributes, copied into each repeat of the cell.
    value_text: u64,
    /// `text:c` of a `text:s` (that many spaces).
    spaces: Option<u64>,
}

impl Attrs {
    fn rows(&self) -> u64 {
        self.rows_repeated.unwrap_or(1)
    }

    fn cols(&self) -> u64 {
        self.cols_repeated.unwrap_or(1)
    }
}

fn attrs(path: &Path, e: &BytesStart<'_>) -> Result<Attrs, ReadError> {
    let mut a = Attrs::default();
    for attr in e.attributes().with_checks(false) {
        let attr = attr.map_err(|err| corrupt(path, format!("content.xml: {err}")))?;
        let value = || -> Result<String, ReadError> {
            quick_xml::escape::unescape(&attr.value)
                .map(|v| v.into_owned())
                .map_err(|err| corrupt(path, format!("content.xml: {err}")))
        };
        let count = || -> Result<u64, ReadError> {
            attr.value.trim().parse::<u64>().map_err(|_| {
                corrupt(
                    path,
                    format!("content.xml: bad repeat count {:?}", attr.value),
                )
            })
        };
        match attr.key.as_ref() {
            "style:name" | "table:name" => a.name = Some(value()?),
            "style:family" => a.family = Some(value()?),
            "style:parent-style-name" => a.parent = Some(value()?),
            "table:default-cell-style-name" => a.default_cell_style = Some(value()?),
            "table:style-name" => a.style = Some(value()?),
            "fo:background-color" => a.background = Some(value()?),
            "office:value-type" => {
                a.valued |= attr.value.as_ref() == "string";
                a.value_type = Some(value()?)
            }
            "office:value"
            | "office:string-value"
            | "office:date-value"
            | "office:time-value"
            | "office:boolean-value"
            | "table:formula" => {
                a.valued = true;
                a.value_text += attr.value.len() as u64;
            }
            "table:number-rows-repeated" => a.rows_repeated = Some(count()?),
            "table:number-columns-repeated" => a.cols_repeated = Some(count()?),
            "text:c" => a.spaces = Some(count()?),
            _ => {}
        }
    }
    Ok(a)
}

/// Where the parser is, outside of the element-by-element state.
#[derive(Debug, Default)]
struct State {
    /// The `style:style` being read: its name (only table-cell styles) and definition.
    style: Option<(String, StyleDef)>,
    /// Inside `style:default-style style:family="table-cell"`.
    in_default_style: bool,
    table: Option<Table>,
    /// Depth inside a cell's content, which is skipped (paragraphs, annotations).
    skip: usize,
    /// What calamine would build from the tables (content.xml only).
    census: Option<Census>,
}

fn parse<R: Read>(
    path: &Path,
    input: R,
    styles: &mut Styles,
    mut out: Option<&mut Collector<'_>>,
) -> Result<(), ReadError> {
    let mut reader = Reader::from_reader(BufReader::new(Metered {
        inner: input,
        since_event: 0,
        tripped: false,
    }));
    {
        let config = reader.config_mut();
        config.check_end_names = false;
        config.check_comments = false;
        config.expand_empty_elements = true;
        config.trim_text(false);
    }
    let mut buf = Vec::with_capacity(4096);
    let mut st = State {
        census: out.as_ref().map(|_| Census::default()),
        ..State::default()
    };
    loop {
        buf.clear();
        let event = match reader.read_event_into(&mut buf) {
            Ok(e) => e,
            Err(err) => {
                if reader.get_ref().get_ref().tripped {
                    return Err(limits::too_large(
                        path,
                        "content.xml の要素またはテキスト",
                        "an XML element or text of content.xml",
                        limits::megabytes(MAX_EVENT_BYTES),
                    ));
                }
                return Err(corrupt(
                    path,
                    format!("content.xml at byte {}: {err}", reader.buffer_position()),
                ));
            }
        };
        reader.get_mut().get_mut().since_event = 0;
        if st.skip > 0 {
            let census = st.census.as_mut();
            match event {
                Event::Start(e) => {
                    st.skip += 1;
                    // calamine writes 「text:c」 spaces for a `text:s`.
                    if let Some(c) = census.filter(|_| e.name().as_ref() == "text:s") {
                        c.content(attrs(path, &e)?.spaces.unwrap_or(1));
                    }
                }
                Event::End(_) => {
                    st.skip -= 1;
                    if let (0, Some(c)) = (st.skip, census) {
                        c.end_cell(path)?;
                    }
                }
                Event::Text(t) => {
                    if let Some(c) = census {
                        c.content(t.len() as u64);
                    }
                }
                Event::GeneralRef(_) => {
                    if let Some(c) = census {
                        c.content(1);
                    }
                }
                Event::Eof => return Err(corrupt(path, "content.xml ends inside a cell")),
                _ => {}
            }
            continue;
        }
        match event {
            Event::Start(e) => start(path, &e, styles, &mut st, out.as_deref_mut())?,
            Event::End(e) => end(path, e.name().as_ref(), styles, &mut st, out.as_deref_mut())?,
            Event::Eof => break,
            _ => {}
        }
    }
    if st.table.is_some() {
        return Err(corrupt(path, "content.xml ends inside a table"));
    }
    Ok(())
}

fn start(
    path: &Path,
    e: &BytesStart<'_>,
    styles: &mut Styles,
    st: &mut State,
    out: Option<&mut Collector<'_>>,
) -> Result<(), ReadError> {
    let name = e.name();
    let name = name.as_ref();
    if let Some(table) = st.table.as_mut() {
        match name {
            "table:table-column" => {
                let a = attrs(path, e)?;
                let filled = styles.filled(a.default_cell_style.as_deref());
                table.column(a.cols(), filled);
            }
            "table:table-row" => {
                let a = attrs(path, e)?;
                if let Some(c) = st.census.as_mut() {
                    c.row(table.row, a.rows());
                }
                let default = a
                    .default_cell_style
                    .as_deref()
                    .map(|s| styles.filled(Some(s)));
                table.current = Some(Row {
                    repeat: a.rows(),
                    default,
                    col: 0,
                    has_value: false,
                    segments: Vec::new(),
                });
            }
            "table:table-cell" | "table:covered-table-cell" => {
                st.skip = 1;
                let Some(row) = table.current.as_mut() else {
                    return Ok(());
                };
                let a = attrs(path, e)?;
                let n = a.cols();
                let first = row.col;
                row.col = first.saturating_add(n);
                if let Some(c) = st.census.as_mut() {
                    c.cell(first, n, &a);
                }
                let has_value = a.value_type.is_some();
                row.has_value |= has_value;
                let percent = a.value_type.as_deref() == Some("percentage");
                if first >= u64::from(MAX_COL) || (!has_value && row.col > u64::from(MAX_COL)) {
                    // Beyond the cap, or blank formatting of the rest of the row.
                    return Ok(());
                }
                let (first, last) = (first as u32, clip(row.col, MAX_COL));
                match (a.style.as_deref(), row.default) {
                    (Some(s), _) => {
                        let filled = styles.filled(Some(s));
                        push_segment(
                            &mut row.segments,
                            Segment {
                                first,
                                last,
                                filled,
                                percent,
                            },
                        );
                    }
                    (None, Some(filled)) => push_segment(
                        &mut row.segments,
                        Segment {
                            first,
                            last,
                            filled,
                            percent,
                        },
                    ),
                    (None, None) => {
                        let default = styles.filled(None);
                        column_segments(
                            &table.columns,
                            first,
                            last,
                            default,
                            percent,
                            &mut row.segments,
                        );
                    }
                }
            }
            // Column and row groups, header rows and columns are transparent; anything else
            // inside a table (forms, shapes, sources) holds no cells.
            _ => {}
        }
        return Ok(());
    }
    match name {
        "style:style" => {
            let a = attrs(path, e)?;
            st.style = match (a.family.as_deref(), a.name) {
                (Some("table-cell"), Some(n)) => Some((
                    n,
                    StyleDef {
                        parent: a.parent,
                        background: None,
                    },
                )),
                _ => None,
            };
        }
        "style:default-style" => {
            st.in_default_style = attrs(path, e)?.family.as_deref() == Some("table-cell");
        }
        "style:table-cell-properties" => {
            let a = attrs(path, e)?;
            if let Some(bg) = a.background {
                if let Some((_, def)) = st.style.as_mut() {
                    def.background = Some(visible(&bg));
                } else if st.in_default_style {
                    styles.default_background = Some(visible(&bg));
                    styles.cache.clear();
                }
            }
        }
        "table:table" => {
            if let Some(out) = out {
                let a = attrs(path, e)?;
                let name = a.name.unwrap_or_default();
                if let Some(c) = st.census.as_mut() {
                    c.table(path, &name)?;
                }
                out.begin_sheet(name);
                st.table = Some(Table::default());
            }
        }
        _ => {}
    }
    Ok(())
}

fn end(
    path: &Path,
    name: &str,
    styles: &mut Styles,
    st: &mut State,
    out: Option<&mut Collector<'_>>,
) -> Result<(), ReadError> {
    match name {
        "style:style" => {
            if let Some((n, def)) = st.style.take() {
                styles.define(n, def);
            }
        }
        "style:default-style" => st.in_default_style = false,
        "table:table-row" => {
            let Some(table) = st.table.as_mut() else {
                return Ok(());
            };
            let Some(row) = table.current.take() else {
                return Ok(());
            };
            if let Some(c) = st.census.as_mut() {
                c.end_row(path)?;
            }
            let first = table.row;
            table.row = first.saturating_add(row.repeat);
            if row.segments.is_empty() || first >= u64::from(MAX_ROW) {
                return Ok(());
            }
            if !row.has_value && table.row > u64::from(MAX_ROW) {
                // Blank rows formatted down to the end of the sheet.
                return Ok(());
            }
            if let Some(out) = out {
                out.block(first as u32..clip(table.row, MAX_ROW), &row.segments)?;
            }
        }
        "table:table" => {
            if let (Some(_), Some(out)) = (st.table.take(), out) {
                out.end_sheet();
            }
            if let Some(c) = st.census.as_mut() {
                c.end_table(path)?;
            }
        }
        _ => {}
    }
    Ok(())
}

// ---------------------------------------------------------------------------------------------
// The census of what calamine would build

/// What calamine builds when it opens a .ods, counted as the tables stream by: per row element
/// the cells up to its last valued one (repeats expanded along the row, as calamine stores
/// them), per sheet the grid of its used range (rows repeated), and for the workbook the valued
/// cells and their text, each repeat counted. Refused at the first count past its cap of
/// `limits`, or at a valued cell beyond `MAX_ROW`/`MAX_COL` (which the value reader refuses).
#[derive(Debug, Default)]
struct Census {
    sheets: usize,
    sheet: String,
    /// Valued cells, repeats expanded: this sheet's and the workbook's.
    sheet_cells: u64,
    cells: u64,
    text: u64,
    /// Grid cells of the finished sheets and cells stored for the finished rows.
    dense: u64,
    /// The current row element: first row, rows it stands for, cells stored for it.
    row: (u64, u64, u64),
    /// Used range of the current sheet: first and last row, first and last column.
    extent: Option<(u64, u64, u64, u64)>,
    /// The valued cell whose content is being skipped: columns, and its text so far.
    pending: Option<(u64, u64)>,
}

impl Census {
    fn table(&mut self, path: &Path, name: &str) -> Result<(), ReadError> {
        self.sheets += 1;
        if self.sheets > limits::MAX_SHEETS {
            return Err(limits::sheets(path, self.sheets));
        }
        self.sheet = name.to_string();
        self.sheet_cells = 0;
        self.extent = None;
        Ok(())
    }

    fn row(&mut self, first: u64, repeat: u64) {
        self.row = (first, repeat, 0);
    }

    /// A cell of `n` columns from column `first` of the current row.
    fn cell(&mut self, first: u64, n: u64, a: &Attrs) {
        self.pending = None;
        if !a.valued || n == 0 {
            return;
        }
        let (row, rows, _) = self.row;
        let last = (
            first.saturating_add(n - 1),
            row.saturating_add(rows.max(1) - 1),
        );
        self.extent = Some(match self.extent {
            None => (row, last.1, first, last.0),
            Some((r0, r1, c0, c1)) => (r0.min(row), r1.max(last.1), c0.min(first), c1.max(last.0)),
        });
        self.row.2 = self.row.2.max(first.saturating_add(n).min(16_384));
        self.pending = Some((n, a.value_text));
    }

    fn content(&mut self, bytes: u64) {
        if let Some(p) = self.pending.as_mut() {
            p.1 = p.1.saturating_add(bytes);
        }
    }

    fn end_cell(&mut self, path: &Path) -> Result<(), ReadError> {
        let Some((n, text)) = self.pending.take() else {
            return Ok(());
        };
        if let Some((_, r1, _, c1)) = self.extent {
            if r1 >= u64::from(MAX_ROW) || c1 >= u64::from(MAX_COL) {
                let at = (
                    r1.min(u64::from(u32::MAX)) as u32,
                    c1.min(u64::from(u32::MAX)) as u32,
                );
                return Err(limits::used_range(path, &self.sheet, at));
            }
        }
        let copies = n.saturating_mul(self.row.1);
        self.sheet_cells = self.sheet_cells.saturating_add(copies);
        self.cells = self.cells.saturating_add(copies);
        self.text = self.text.saturating_add(text.saturating_mul(copies));
        if self.sheet_cells > limits::MAX_CELLS_PER_SHEET {
            return Err(limits::cells_in_sheet(path, &self.sheet));
        }
        if self.cells > limits::MAX_CELLS {
            return Err(limits::cells_in_workbook(path, &self.sheet));
        }
        if self.text > limits::MAX_TEXT_BYTES {
            return Err(limits::text_in_workbook(path, &self.sheet));
        }
        Ok(())
    }

    fn end_row(&mut self, path: &Path) -> Result<(), ReadError> {
        self.dense = self.dense.saturating_add(self.row.2);
        self.row.2 = 0;
        self.check_dense(path)
    }

    fn end_table(&mut self, path: &Path) -> Result<(), ReadError> {
        let grid = self.extent.take().map_or(0, |(r0, r1, c0, c1)| {
            (r1 - r0 + 1).saturating_mul(c1 - c0 + 1)
        });
        self.dense = self.dense.saturating_add(grid);
        self.check_dense(path)
    }

    fn check_dense(&self, path: &Path) -> Result<(), ReadError> {
        if self.dense > limits::MAX_DENSE_CELLS {
            return Err(limits::dense_cells(path, &self.sheet, self.dense));
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const NS: &str = r#"xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" xmlns:style="urn:oasis:names:tc:opendocument:xmlns:style:1.0" xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0" xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" xmlns:fo="urn:oasis:names:tc:opendocument:xmlns:xsl-fo-compatible:1.0""#;

    fn content(styles: &str, tables: &str) -> String {
        format!(
            r#"<?xml version="1.0" encoding="UTF-8"?><office:document-content {NS}><office:automatic-styles>{styles}</office:automatic-styles><office:body><office:spreadsheet>{tables}</office:spreadsheet></office:body></office:document-content>"#
        )
    }

    fn read(styles_xml: Option<&str>, content_xml: &str) -> CellStyles {
        read_xml(
            Path::new("t.ods"),
            styles_xml.map(str::as_bytes),
            content_xml.as_bytes(),
        )
        .unwrap()
    }

    fn sorted(s: &CellStyles, sheet: &str) -> Vec<((u32, u32), (bool, bool))> {
        let mut v: Vec<_> = s
            .get(sheet)
            .map(|m| m.iter().map(|(k, v)| (*k, *v)).collect())
            .unwrap_or_default();
        v.sort();
        v
    }

    const FILL: &str = r##"<style:style style:name="ce1" style:family="table-cell" style:parent-style-name="Default"><style:table-cell-properties fo:background-color="#5b9bd5"/></style:style>
        <style:style style:name="ce2" style:family="table-cell"><style:table-cell-properties fo:background-color="transparent"/></style:style>
        <style:style style:name="ce3" style:family="table-cell" style:parent-style-name="Bar"/>
        <style:style style:name="ce4" style:family="table-cell" style:parent-style-name="Bar"><style:table-cell-properties fo:background-color="transparent"/></style:style>"##;

    #[test]
    fn repeats_give_positions_without_expanding_the_rest_of_the_sheet() {
        let xml = content(
            FILL,
            r#"<table:table table:name="工程表">
                 <table:table-column table:number-columns-repeated="16384" table:default-cell-style-name="Default"/>
                 <table:table-row table:number-rows-repeated="2"><table:table-cell table:number-columns-repeated="16384"/></table:table-row>
                 <table:table-row>
                   <table:table-cell office:value-type="string"><text:p>R4</text:p></table:table-cell>
                   <table:table-cell table:style-name="ce1" table:number-columns-repeated="3"/>
                   <table:table-cell table:style-name="ce2"/>
                   <table:table-cell table:style-name="ce1" office:value-type="percentage" office:value="0.2"><text:p>20%</text:p></table:table-cell>
                   <table:table-cell office:value-type="percentage" office:value="0.5"/>
                   <table:table-cell table:number-columns-repeated="16377"/>
                 </table:table-row>
                 <table:table-row table:number-rows-repeated="2">
                   <table:table-cell table:number-columns-repeated="2"/>
                   <table:table-cell table:style-name="ce1"/>
                   <table:table-cell table:style-name="ce1" table:number-columns-repeated="16381"/>
                 </table:table-row>
                 <table:table-row table:number-rows-repeated="1048571"><table:table-cell table:style-name="ce1" table:number-columns-repeated="16384"/></table:table-row>
               </table:table>
               <table:table table:name="empty"><table:table-row table:number-rows-repeated="1048576"><table:table-cell table:number-columns-repeated="16384"/></table:table-row></table:table>"#,
        );
        let s = read(None, &xml);
        assert_eq!(
            sorted(&s, "工程表"),
            vec![
                ((2, 1), (true, false)),
                ((2, 2), (true, false)),
                ((2, 3), (true, false)),
                ((2, 5), (true, true)),
                ((2, 6), (false, true)),
                ((3, 2), (true, false)),
                ((4, 2), (true, false)),
            ]
        );
        assert!(!s.contains_key("empty"));
    }

    #[test]
    fn parent_styles_column_and_row_defaults() {
        let common = format!(
            r##"<office:document-styles {NS}><office:styles>
                 <style:default-style style:family="table-cell"><style:table-cell-properties fo:background-color="transparent"/></style:default-style>
                 <style:style style:name="Default" style:family="table-cell"/>
                 <style:style style:name="Bar" style:family="table-cell" style:parent-style-name="Default"><style:table-cell-properties fo:background-color="#ff0000"/></style:style>
               </office:styles></office:document-styles>"##
        );
        let xml = content(
            FILL,
            r#"<table:table table:name="S">
                 <table:table-header-columns><table:table-column table:default-cell-style-name="Default"/></table:table-header-columns>
                 <table:table-column table:number-columns-repeated="2" table:default-cell-style-name="ce3"/>
                 <table:table-column table:number-columns-repeated="1021" table:default-cell-style-name="Default"/>
                 <table:table-row-group><table:table-row>
                   <table:table-cell table:style-name="ce3"/>
                   <table:table-cell table:style-name="ce4"/>
                   <table:table-cell table:number-columns-repeated="4"/>
                 </table:table-row></table:table-row-group>
                 <table:table-row table:default-cell-style-name="ce1"><table:table-cell/><table:table-cell table:style-name="Default"/><table:table-cell/></table:table-row>
                 <table:table-row><table:covered-table-cell table:number-columns-repeated="2"/><table:covered-table-cell table:style-name="Bar"/></table:table-row>
               </table:table>"#,
        );
        let s = read(Some(&common), &xml);
        assert_eq!(
            sorted(&s, "S"),
            vec![
                ((0, 0), (true, false)), // ce3 → parent Bar (styles.xml)
                ((0, 2), (true, false)), // column default ce3
                ((1, 0), (true, false)), // row default ce1
                ((1, 2), (true, false)),
                ((2, 1), (true, false)), // covered cell in a ce3 column
                ((2, 2), (true, false)), // covered cell with its own style
            ]
        );
        // Without styles.xml, Bar is unknown: ce3 falls back to the default (no fill).
        let s = read(None, &xml);
        assert_eq!(
            sorted(&s, "S"),
            vec![((1, 0), (true, false)), ((1, 2), (true, false))]
        );
    }

    #[test]
    fn caps_and_bad_input() {
        // A filled block inside the caps but over the cell budget is refused, not expanded.
        let xml = content(
            FILL,
            r#"<table:table table:name="S"><table:table-row table:number-rows-repeated="99999"><table:table-cell table:style-name="ce1" table:number-columns-repeated="999" office:value-type="float" office:value="1"/></table:table-row></table:table>"#,
        );
        let e = read_xml(Path::new("t.ods"), None, xml.as_bytes()).unwrap_err();
        assert!(matches!(e, ReadError::TooLarge { .. }), "{e}");
        for bad in [
            content(
                FILL,
                r#"<table:table table:name="S"><table:table-row><table:table-cell table:number-columns-repeated="x"/></table:table-row></table:table>"#,
            ),
            content(
                FILL,
                r#"<table:table table:name="S"><table:table-row><table:table-cell>"#,
            ),
            "<office:document-content><a b=\"1></office:document-content>".to_string(),
        ] {
            let e = read_xml(Path::new("t.ods"), None, bad.as_bytes()).unwrap_err();
            assert!(
                matches!(e, ReadError::Corrupt { ref file, .. } if file == Path::new("t.ods")),
                "{e}"
            );
        }
    }
}
