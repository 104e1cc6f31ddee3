//! The project sheets of a large master workbook, written as finished zip parts before the
//! workbook itself (issue 18).
//!
//! rust_xlsxwriter keeps every worksheet until the workbook is saved: about 60 KB a sheet
//! even when its rows stream to a temporary file (row options, merged cells, validations, the
//! file's write buffer), and one temporary file per sheet costs about a millisecond to make.
//! Here the project sheets are built a batch at a time in a small workbook of their own, held
//! in memory (no temporary files), which is saved to a buffer; each sheet's XML is taken out
//! of it, its shared strings written inline (so it stands alone), and deflated into one
//! temporary zip. The master workbook holds only the summary sheets and the hidden sheet;
//! the save copies every part of it into the target, puts the project sheets' compressed
//! parts in between without inflating anything again, and writes the parts that name the
//! sheets (tab order, defined names, document properties) with them in (`book_parts`).
//!
//! Cell styles are indices into the workbook's table of formats: every workbook here gives
//! the formats of `Styles::all` their indices first, in that order, so the batches' indices
//! are the master's; the save checks that each batch's style table is the start of the
//! master's, and refuses the workbook otherwise.

use std::io::{Read, Seek, Write};

use rust_xlsxwriter::{Workbook, XlsxError};
use zip::write::SimpleFileOptions;

use super::book_parts::{self, PlacedSheet};
use super::project_sheet::{self, ProjectSheetInfo};
use super::style::{self, Styles};
use super::BuildError;
use crate::model::Project;

/// Project sheets built in one small workbook: enough that its fixed parts (styles, theme)
/// cost little per sheet, few enough that two batches in flight stay a few MB.
const BATCH: usize = 64;
/// Batches built ahead of the one being written out (what bounds the batches held).
const AHEAD: usize = 4;
/// Batches written between two hand-backs of freed pages (`give_back_freed`).
const TRIM_EVERY: usize = 8;

/// The project sheets' parts, compressed, in a temporary zip: entry `i` is project sheet `i`.
pub(crate) struct ProjectParts {
    zip: zip::ZipArchive<std::fs::File>,
    /// Index of the first project sheet among the workbook's worksheets: the sheets from
    /// there on in the saved workbook (the hidden sheet) come after the project sheets.
    first_sheet: usize,
    /// The project sheets' names and print settings, in order.
    sheets: Vec<PlacedSheet>,
    /// The style part of the batches (`xl/styles.xml`), all the same.
    styles: String,
    /// Deflate level of the parts written at the save.
    level: i64,
}

fn io_err(e: std::io::Error) -> BuildError {
    BuildError::Xlsx(XlsxError::IoError(e))
}

fn zip_err(e: zip::result::ZipError) -> BuildError {
    BuildError::Xlsx(XlsxError::ZipError(e))
}

/// Gives the formats of `st` their indices in `wb`, first and in order (through a scratch
/// constant-memory sheet, which registers formats in the workbook's own table).
pub(crate) fn register_formats(wb: &mut Workbook, st: &Styles) -> Result<(), XlsxError> {
    let mut scratch = wb.new_worksheet_with_constant_memory()?;
    for (c, f) in st.all().into_iter().enumerate() {
        scratch.write_blank(0, c as u16, f)?;
    }
    Ok(())
}

/// Builds the project sheets of `items` into a temporary zip, to go in at sheet index
/// `first_sheet` of the workbook at the save (`assemble`).
pub(crate) fn build(
    first_sheet: usize,
    plan: &crate::model::Plan,
    items: &[(&Project, String, String)],
    st: &Styles,
    opts: &super::ExportOptions,
    level: i64,
) -> Result<(Vec<ProjectSheetInfo>, ProjectParts), BuildError> {
    let scale = opts.progress_scale.clone().unwrap_or_default();
    let file = tempfile::tempfile_in(super::streamed::sheet_folder())
        .or_else(|_| tempfile::tempfile())
        .map_err(io_err)?;
    let mut out = zip::ZipWriter::new(std::io::BufWriter::new(file));
    let options = SimpleFileOptions::default()
        .compression_method(zip::CompressionMethod::Deflated)
        .compression_level(Some(level));
    let batches: Vec<&[(&Project, String, String)]> = items.chunks(BATCH).collect();
    let mut infos = Vec::with_capacity(items.len());
    let mut styles: Option<String> = None;
    // Built on the cores, written out in order as they come; at most `AHEAD` batches held.
    let mut written = 0;
    crate::parallel::for_each_in_order(
        &batches,
        AHEAD,
        |batch| build_batch(plan, batch, st, opts, &scale),
        |_, b| {
            let b = b?;
            match &styles {
                None => styles = Some(b.styles),
                Some(s) if *s == b.styles => {}
                Some(_) => return Err(styles_differ()),
            }
            for (xml, info) in b.sheets {
                out.start_file(format!("{}", infos.len()), options)
                    .map_err(zip_err)?;
                out.write_all(&xml).map_err(io_err)?;
                infos.push(info);
            }
            written += 1;
            if written % TRIM_EVERY == 0 {
                give_back_freed();
            }
            Ok(())
        },
    )?;
    give_back_freed();
    let file = out
        .finish()
        .map_err(zip_err)?
        .into_inner()
        .map_err(|e| io_err(e.into_error()))?;
    let zip = zip::ZipArchive::new(file).map_err(zip_err)?;
    let mut sheets = Vec::with_capacity(infos.len());
    for info in &infos {
        // What `Worksheet::set_name` would have refused.
        rust_xlsxwriter::check_sheet_name(&info.name)?;
        let (header_row, last_row, last_col) = info.print;
        sheets.push(PlacedSheet {
            name: info.name.clone(),
            header_row,
            last_row,
            last_col,
        });
    }
    Ok((
        infos,
        ProjectParts {
            zip,
            first_sheet,
            sheets,
            styles: styles.unwrap_or_default(),
            level,
        },
    ))
}

/// Returns the pages freed by a round's batches to the system. glibc's allocator keeps them,
/// spread over the arenas of the threads that built the batches, and the next round's
/// allocations do not fill them all: a 10,000-project export held about 100 MB more.
pub(crate) fn give_back_freed() {
    #[cfg(all(target_os = "linux", target_env = "gnu"))]
    // SAFETY: malloc_trim only releases free memory of the allocator's own.
    unsafe {
        libc::malloc_trim(0);
    }
}

fn styles_differ() -> BuildError {
    BuildError::Xlsx(XlsxError::ParameterError(
        "project sheets: the style table differs from the workbook's".into(),
    ))
}

struct Batch {
    sheets: Vec<(Vec<u8>, ProjectSheetInfo)>,
    styles: String,
}

/// One batch of project sheets in a workbook of its own, saved to memory; each sheet's XML
/// with its strings inline.
fn build_batch(
    plan: &crate::model::Plan,
    batch: &[(&Project, String, String)],
    st: &Styles,
    opts: &super::ExportOptions,
    scale: &crate::model::scale::ProgressScale,
) -> Result<Batch, BuildError> {
    let mut wb = Workbook::new();
    style::set_workbook_default(&mut wb)?;
    wb.set_tempdir(super::streamed::sheet_folder())?;
    register_formats(&mut wb, st)?;
    // The first sheet of a workbook is its selected tab; a project sheet must not be.
    wb.add_worksheet().set_name("_")?;
    let mut infos = Vec::with_capacity(batch.len());
    for (p, name, code) in batch {
        let ws = wb.add_worksheet();
        ws.set_default_format(&style::base(), style::DEFAULT_ROW_PX, style::DEFAULT_COL_PX)?;
        infos.push(project_sheet::write(
            ws,
            name,
            plan,
            p,
            code,
            st,
            opts.locked_actuals_through,
            scale,
        )?);
    }
    // Compressed once here, inflated at once below: the fastest level.
    wb.set_zip_compression_level(1);
    let buf = wb.save_to_buffer()?;
    drop(wb);
    let mut zip = zip::ZipArchive::new(std::io::Cursor::new(buf)).map_err(zip_err)?;
    let sst = read_part(&mut zip, "xl/sharedStrings.xml")?.unwrap_or_default();
    let strings = shared_strings(&sst)?;
    let styles = read_part(&mut zip, "xl/styles.xml")?.unwrap_or_default();
    let mut sheets = Vec::with_capacity(infos.len());
    for (i, info) in infos.into_iter().enumerate() {
        // Sheet 1 is the placeholder tab.
        let xml = read_part(&mut zip, &format!("xl/worksheets/sheet{}.xml", i + 2))?
            .ok_or_else(|| missing(&info.name))?;
        sheets.push((inline_strings(&xml, &strings)?.into_bytes(), info));
    }
    Ok(Batch { sheets, styles })
}

fn missing(what: &str) -> BuildError {
    BuildError::Xlsx(XlsxError::ParameterError(format!(
        "project sheets: a part is missing ({what})"
    )))
}

fn read_part<R: Read + Seek>(
    zip: &mut zip::ZipArchive<R>,
    name: &str,
) -> Result<Option<String>, BuildError> {
    let mut f = match zip.by_name(name) {
        Ok(f) => f,
        Err(zip::result::ZipError::FileNotFound) => return Ok(None),
        Err(e) => return Err(zip_err(e)),
    };
    let mut s = String::with_capacity(f.size() as usize);
    f.read_to_string(&mut s).map_err(io_err)?;
    Ok(Some(s))
}

/// The inner XML of each `<si>` of a shared-strings part, in order (rust_xlsxwriter writes a
/// plain string as `<si><t>…</t></si>`, which is also what an inline string holds in `<is>`).
fn shared_strings(sst: &str) -> Result<Vec<&str>, BuildError> {
    let mut out = Vec::new();
    let mut rest = sst;
    while let Some(start) = rest.find("<si>") {
        let after = &rest[start + 4..];
        let end = after.find("</si>").ok_or_else(|| missing("</si>"))?;
        out.push(&after[..end]);
        rest = &after[end + 5..];
    }
    Ok(out)
}

/// Rewrites each shared-string cell, `<c r="B2" s="5" t="s"><v>12</v></c>`, as an inline
/// string, `<c r="B2" s="5" t="inlineStr"><is><t>…</t></is></c>`. The marker cannot occur in
/// a sheet's text or formulas: rust_xlsxwriter escapes `>` in them.
fn inline_strings(xml: &str, strings: &[&str]) -> Result<String, BuildError> {
    const MARK: &str = " t=\"s\"><v>";
    let mut out = String::with_capacity(xml.len() + xml.len() / 2);
    let mut rest = xml;
    while let Some(at) = rest.find(MARK) {
        out.push_str(&rest[..at]);
        let after = &rest[at + MARK.len()..];
        let end = after.find("</v>").ok_or_else(|| missing("</v>"))?;
        let idx: usize = after[..end].parse().map_err(|_| missing("string index"))?;
        let s = strings.get(idx).ok_or_else(|| missing("shared string"))?;
        out.push_str(" t=\"inlineStr\"><is>");
        out.push_str(s);
        out.push_str("</is>");
        rest = &after[end + 4..];
    }
    out.push_str(rest);
    Ok(out)
}

/// The elements of one section of a style part (`<cellXfs count="3">…</cellXfs>`), empty
/// when it has none.
fn section<'a>(styles: &'a str, tag: &str) -> &'a str {
    let open = format!("<{tag} ");
    let close = format!("</{tag}>");
    let Some(start) = styles.find(&open) else {
        return "";
    };
    let body = &styles[start..];
    let Some(gt) = body.find('>') else {
        return "";
    };
    if body[..gt].ends_with('/') {
        return "";
    }
    let body = &body[gt + 1..];
    match body.find(&close) {
        Some(end) => &body[..end],
        None => "",
    }
}

/// Whether cells styled by the batches' style table look the same under the workbook's:
/// every section of theirs is the start of the workbook's.
fn styles_fit(batch: &str, workbook: &str) -> bool {
    [
        "numFmts",
        "fonts",
        "fills",
        "borders",
        "cellXfs",
        "cellStyles",
        "dxfs",
    ]
    .iter()
    .all(|tag| section(workbook, tag).starts_with(section(batch, tag)))
}

fn read_text<R: Read + Seek>(
    zip: &mut zip::ZipArchive<R>,
    name: &str,
) -> Result<String, XlsxError> {
    let mut s = String::new();
    zip.by_name(name)?.read_to_string(&mut s)?;
    Ok(s)
}

/// The number `k` of a worksheet's part or of its relationships, `xl/worksheets/sheetk.xml`
/// or `xl/worksheets/_rels/sheetk.xml.rels`, with the text around it.
fn sheet_part(name: &str) -> Option<(&'static str, usize, &'static str)> {
    for (pre, suf) in [
        ("xl/worksheets/sheet", ".xml"),
        ("xl/worksheets/_rels/sheet", ".xml.rels"),
    ] {
        if let Some(k) = name
            .strip_prefix(pre)
            .and_then(|s| s.strip_suffix(suf))
            .and_then(|s| s.parse::<usize>().ok())
        {
            return Some((pre, k, suf));
        }
    }
    None
}

/// Copies the saved workbook `saved` (the summary sheets and the hidden sheet) into `out`
/// with the project sheets of `parts` put in at their index: their parts copied compressed,
/// the parts of the sheets after them renamed, and the workbook's parts that name its sheets
/// written again with them in (`book_parts`).
pub(crate) fn assemble<R: Read + Seek, W: Write + Seek>(
    saved: R,
    parts: &mut ProjectParts,
    out: W,
) -> Result<W, XlsxError> {
    let mut saved = zip::ZipArchive::new(saved)?;
    let workbook_styles = read_text(&mut saved, "xl/styles.xml")?;
    if !styles_fit(&parts.styles, &workbook_styles) {
        return Err(XlsxError::ParameterError(
            "project sheets: the style table differs from the workbook's".into(),
        ));
    }
    let n = parts.zip.len();
    if n != parts.sheets.len() {
        return Err(XlsxError::ParameterError(format!(
            "project sheets: {n} parts for {} sheets",
            parts.sheets.len()
        )));
    }
    let first = parts.first_sheet;
    let mut book = book_parts::workbook(
        &read_text(&mut saved, "xl/workbook.xml")?,
        first,
        &parts.sheets,
    )?;
    let saved_sheets = book.listed.len();
    let options = SimpleFileOptions::default()
        .compression_method(zip::CompressionMethod::Deflated)
        .compression_level(Some(parts.level));
    let mut out = zip::ZipWriter::new(out);
    let mut placed = false;
    // The parts written again, each made when its turn comes and dropped once written (the
    // workbook part and the document properties of 10,000 sheets are several MB each).
    let mut rewritten = 0;
    for i in 0..saved.len() {
        let name = saved.by_index_raw(i)?.name()?.into_owned();
        let text = match name.as_str() {
            "xl/workbook.xml" => Some(std::mem::take(&mut book.xml)),
            "xl/_rels/workbook.xml.rels" => Some(book_parts::relationships(
                &read_text(&mut saved, &name)?,
                n,
            )?),
            "[Content_Types].xml" => {
                let xml = read_text(&mut saved, &name)?;
                Some(book_parts::content_types(&xml, saved_sheets, n)?)
            }
            "docProps/app.xml" => {
                let xml = read_text(&mut saved, &name)?;
                Some(book_parts::app(&xml, first, &parts.sheets, &book)?)
            }
            _ => None,
        };
        if let Some(text) = text {
            out.start_file(name, options)?;
            out.write_all(text.as_bytes())?;
            rewritten += 1;
            continue;
        }
        match sheet_part(&name) {
            Some((pre, k, suf)) if k > first => {
                if !placed {
                    // The project sheets' parts, where rust_xlsxwriter would have written them.
                    for j in 0..n {
                        let to = format!("xl/worksheets/sheet{}.xml", first + 1 + j);
                        out.raw_copy_file_rename(parts.zip.by_index_raw(j)?, to)?;
                    }
                    placed = true;
                }
                let entry = saved.by_index_raw(i)?;
                out.raw_copy_file_rename(entry, format!("{pre}{}{suf}", k + n))?;
            }
            _ => out.raw_copy_file(saved.by_index_raw(i)?)?,
        }
    }
    if !placed {
        // No sheet after them: the project sheets are the last.
        for j in 0..n {
            let to = format!("xl/worksheets/sheet{}.xml", first + 1 + j);
            out.raw_copy_file_rename(parts.zip.by_index_raw(j)?, to)?;
        }
    }
    if rewritten != 4 {
        return Err(XlsxError::ParameterError(
            "project sheets: a part of the workbook is missing".into(),
        ));
    }
    Ok(out.finish()?)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shared_strings_become_inline() {
        let sst = r#"<?xml version="1.0"?><sst count="2" uniqueCount="2"><si><t>a&amp;b</t></si><si><t xml:space="preserve"> x</t></si></sst>"#;
        let strings = shared_strings(sst).expect("sst");
        let xml = r#"<row r="1"><c r="A1" s="3" t="s"><v>1</v></c><c r="B1" t="s"><v>0</v></c><c r="C1"><f>"t"&amp;"s"</f><v>ts</v></c></row>"#;
        assert_eq!(
            inline_strings(xml, &strings).expect("inline"),
            r#"<row r="1"><c r="A1" s="3" t="inlineStr"><is><t xml:space="preserve"> x</t></is></c><c r="B1" t="inlineStr"><is><t>a&amp;b</t></is></c><c r="C1"><f>"t"&amp;"s"</f><v>ts</v></c></row>"#
        );
        assert!(inline_strings(r#"<c r="A1" t="s"><v>5</v></c>"#, &strings).is_err());
    }

    #[test]
    fn style_tables_fit_when_one_starts_the_other() {
        let wb = r#"<fonts count="2"><font><sz val="11"/></font><font><b/></font></fonts><cellXfs count="2"><xf a="0"/><xf a="1"/></cellXfs>"#;
        let batch = r#"<fonts count="1"><font><sz val="11"/></font></fonts><cellXfs count="1"><xf a="0"/></cellXfs>"#;
        assert!(styles_fit(batch, wb));
        assert!(!styles_fit(wb, batch));
        let other =
            r#"<fonts count="1"><font><b/></font></fonts><cellXfs count="1"><xf a="0"/></cellXfs>"#;
        assert!(!styles_fit(other, wb));
    }
}
