//! The workbook's own parts — `xl/workbook.xml`, `xl/_rels/workbook.xml.rels`,
//! `[Content_Types].xml` and `docProps/app.xml` — with the project sheets built apart
//! (`sheet_parts`) put in (issue 18).
//!
//! rust_xlsxwriter writes these parts for the sheets it holds: the summary sheets and, after
//! them, the hidden sheet 「_dxplan」. The project sheets go in at index `first`, between the
//! two; the sheets after them move by the number of project sheets (sheet id, relationship,
//! part name, the `localSheetId` of their defined names, the active tab). Each part is spliced
//! as rust_xlsxwriter writes it (attribute order, escaping, defined names sorted its way), so
//! the workbook is the one it would have written holding every sheet, without an empty
//! placeholder `Worksheet` per project sheet kept to the save and assembled on a thread each.
//!
//! Sheet `k` (1-based) is `rIdk` and `xl/worksheets/sheetk.xml` in what rust_xlsxwriter writes;
//! the splice checks that and refuses any other shape.

use rust_xlsxwriter::XlsxError;

/// A project sheet put into the workbook: its name and print settings (the defined names
/// `Print_Titles`, rows 1 to `header_row + 1`, and `Print_Area`, A1 to `last_row`/`last_col`).
#[derive(Debug, Clone)]
pub(crate) struct PlacedSheet {
    pub name: String,
    pub header_row: u32,
    pub last_row: u32,
    pub last_col: u16,
}

fn bad(what: &str) -> XlsxError {
    XlsxError::ParameterError(format!(
        "ブックの構成部品を組み立てられません / cannot assemble the workbook's parts: {what}"
    ))
}

/// An attribute's value as written (escaped), in an element's text.
fn attr<'a>(tag: &'a str, key: &str) -> Option<&'a str> {
    let pat = format!(" {key}=\"");
    let at = tag.find(&pat)? + pat.len();
    let len = tag[at..].find('"')?;
    Some(&tag[at..at + len])
}

/// Escapes an attribute value as rust_xlsxwriter does (`xmlwriter::escape_attributes`).
fn escape_attr(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '"' => out.push_str("&quot;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '\n' => out.push_str("&#xA;"),
            c => out.push(c),
        }
    }
    out
}

/// Escapes element text as rust_xlsxwriter does (`xmlwriter::escape_xml_data`; sheet names
/// hold no control characters, which it would write as `_xHHHH_`).
fn escape_data(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            c => out.push(c),
        }
    }
    out
}

fn unescape(s: &str) -> Result<String, XlsxError> {
    quick_xml::escape::unescape(s)
        .map(|c| c.into_owned())
        .map_err(|e| bad(&format!("{e}")))
}

/// The byte range of the text between `open` and the next `close` after it.
fn inner(xml: &str, open: &str, close: &str) -> Option<(usize, usize)> {
    let start = xml.find(open)? + open.len();
    let len = xml[start..].find(close)?;
    Some((start, start + len))
}

/// The elements of `text`, each from `start` to `end`, with nothing between them.
fn elements<'a>(mut text: &'a str, start: &str, end: &str) -> Result<Vec<&'a str>, XlsxError> {
    let mut out = Vec::new();
    while !text.is_empty() {
        if !text.starts_with(start) {
            return Err(bad(&format!("expected {start}")));
        }
        let len = text.find(end).ok_or_else(|| bad(&format!("no {end}")))? + end.len();
        out.push(&text[..len]);
        text = &text[len..];
    }
    Ok(out)
}

fn number(v: &str) -> Result<usize, XlsxError> {
    v.parse().map_err(|_| bad(&format!("not a number: {v}")))
}

/// Where a defined name's entry in `docProps/app.xml` comes from.
#[derive(Debug, Clone)]
pub(crate) enum AppName {
    /// The `k`-th named range rust_xlsxwriter listed.
    Listed(usize),
    /// A project sheet's, escaped.
    New(String),
}

/// One `<definedName>` of the spliced workbook and its sort key.
struct DefinedName {
    sort: (String, String),
    xml: String,
    app: Option<AppName>,
}

/// rust_xlsxwriter's sort key of a defined name (`DefinedName::set_sort_name`): the kind for
/// the built-in names, else the name lowercased without apostrophes; then the range.
fn sort_name(name: &str) -> String {
    match name {
        "_xlnm.Print_Area" => "print_area{}".into(),
        "_xlnm._FilterDatabase" => "_filterdatabase{}".into(),
        "_xlnm.Print_Titles" => "print_titles".into(),
        n => n.replace('\'', "").to_lowercase(),
    }
}

/// The workbook part with the project sheets in, and the order of the named ranges that
/// `docProps/app.xml` lists.
pub(crate) struct Workbook {
    pub xml: String,
    pub app_names: Vec<AppName>,
    /// Sheets rust_xlsxwriter wrote, and which of them `docProps/app.xml` lists (all but the
    /// very hidden).
    pub listed: Vec<bool>,
}

/// Splices `sheets` into rust_xlsxwriter's `xl/workbook.xml` at sheet index `first`.
pub(crate) fn workbook(
    xml: &str,
    first: usize,
    sheets: &[PlacedSheet],
) -> Result<Workbook, XlsxError> {
    let n = sheets.len();
    let (s0, s1) = inner(xml, "<sheets>", "</sheets>").ok_or_else(|| bad("no <sheets>"))?;
    let old = elements(&xml[s0..s1], "<sheet ", "/>")?;
    if first > old.len() {
        return Err(bad("fewer sheets than expected"));
    }
    let mut out = String::with_capacity(xml.len() + n * 220);
    // Up to the sheets, with the active and first tab moved if they are after the insertion.
    let mut head = xml[..s0].to_string();
    for key in ["activeTab", "firstSheet"] {
        if let Some(v) = attr(&head, key) {
            let k = number(v)?;
            if k >= first {
                let from = format!(" {key}=\"{v}\"");
                head = head.replacen(&from, &format!(" {key}=\"{}\"", k + n), 1);
            }
        }
    }
    out.push_str(&head);
    let mut listed = Vec::with_capacity(old.len());
    for (i, e) in old.iter().enumerate() {
        let id = (i + 1).to_string();
        if attr(e, "sheetId") != Some(&id) || attr(e, "r:id") != Some(&format!("rId{id}")) {
            return Err(bad("sheet ids not in order"));
        }
        listed.push(attr(e, "state") != Some("veryHidden"));
    }
    for e in &old[..first] {
        out.push_str(e);
    }
    for (j, s) in sheets.iter().enumerate() {
        let k = first + 1 + j;
        out.push_str(&format!(
            "<sheet name=\"{}\" sheetId=\"{k}\" r:id=\"rId{k}\"/>",
            escape_attr(&s.name)
        ));
    }
    for (i, e) in old.iter().enumerate().skip(first) {
        let (k, moved) = (i + 1, i + 1 + n);
        let e = e
            .replacen(
                &format!(" sheetId=\"{k}\""),
                &format!(" sheetId=\"{moved}\""),
                1,
            )
            .replacen(
                &format!(" r:id=\"rId{k}\""),
                &format!(" r:id=\"rId{moved}\""),
                1,
            );
        out.push_str(&e);
    }
    let rest = &xml[s1..];
    // The defined names: rust_xlsxwriter's, moved, and two per project sheet, sorted.
    let (names, tail) = match inner(rest, "<definedNames>", "</definedNames>") {
        Some((d0, d1)) => (
            defined_names(&rest[d0..d1], first, n)?,
            (
                &rest[..d0 - "<definedNames>".len()],
                &rest[d1 + "</definedNames>".len()..],
            ),
        ),
        None => {
            // None yet: they go where rust_xlsxwriter puts them, before <calcPr>.
            let at = rest.find("<calcPr").ok_or_else(|| bad("no <calcPr>"))?;
            (Vec::new(), (&rest[..at], &rest[at..]))
        }
    };
    let mut names = names;
    for (j, s) in sheets.iter().enumerate() {
        names.extend(project_names(s, first + j));
    }
    names.sort_by(|a, b| a.sort.cmp(&b.sort));
    out.push_str(tail.0);
    if !names.is_empty() {
        out.push_str("<definedNames>");
        for d in &names {
            out.push_str(&d.xml);
        }
        out.push_str("</definedNames>");
    }
    out.push_str(tail.1);
    Ok(Workbook {
        xml: out,
        app_names: names.into_iter().filter_map(|d| d.app).collect(),
        listed,
    })
}

/// rust_xlsxwriter's defined names, each sheet-local one at index `first` or after moved by
/// `n`; each with its entry in `docProps/app.xml` (in order: all but the autofilters'
/// and the global names of no sheet).
fn defined_names(text: &str, first: usize, n: usize) -> Result<Vec<DefinedName>, XlsxError> {
    let mut out = Vec::new();
    let mut listed = 0;
    for e in elements(text, "<definedName ", "</definedName>")? {
        let name = attr(e, "name").ok_or_else(|| bad("a defined name without a name"))?;
        let gt = e.find('>').ok_or_else(|| bad("<definedName"))?;
        let range = &e[gt + 1..e.len() - "</definedName>".len()];
        let range = unescape(range)?;
        let mut xml = e.to_string();
        let local = attr(e, "localSheetId");
        if let Some(v) = local {
            let k = number(v)?;
            if k >= first {
                xml = xml.replacen(
                    &format!(" localSheetId=\"{v}\""),
                    &format!(" localSheetId=\"{}\"", k + n),
                    1,
                );
            }
        }
        let app = if name == "_xlnm._FilterDatabase" {
            false
        } else {
            local.is_some() || range.contains('!')
        };
        let app = app.then(|| {
            listed += 1;
            AppName::Listed(listed - 1)
        });
        out.push(DefinedName {
            sort: (sort_name(&unescape(name)?), range),
            xml,
            app,
        });
    }
    Ok(out)
}

/// A project sheet's print titles and print area, as rust_xlsxwriter writes them.
fn project_names(s: &PlacedSheet, index: usize) -> [DefinedName; 2] {
    let quoted = rust_xlsxwriter::quote_sheet_name(&s.name);
    let titles = format!("{quoted}!$1:${}", s.header_row + 1);
    let area = format!(
        "{quoted}!{}",
        rust_xlsxwriter::cell_range_absolute(0, 0, s.last_row, s.last_col)
    );
    let one = |kind: &str, range: String, app: &str| DefinedName {
        xml: format!(
            "<definedName name=\"_xlnm.{kind}\" localSheetId=\"{index}\">{}</definedName>",
            escape_data(&range)
        ),
        sort: (sort_name(&format!("_xlnm.{kind}")), range),
        app: Some(AppName::New(escape_data(&format!("{quoted}!{app}")))),
    };
    [
        one("Print_Area", area, "Print_Area"),
        one("Print_Titles", titles, "Print_Titles"),
    ]
}

/// `xl/_rels/workbook.xml.rels` with `n` more worksheets after the last: worksheet `k` is
/// `rIdk`, the other relationships (theme, styles, shared strings) after them.
pub(crate) fn relationships(xml: &str, n: usize) -> Result<String, XlsxError> {
    const OPEN: &str = "<Relationships";
    let start = xml.find(OPEN).ok_or_else(|| bad("no <Relationships>"))?;
    let gt = start
        + xml[start..]
            .find('>')
            .ok_or_else(|| bad("<Relationships"))?
        + 1;
    let end = xml
        .rfind("</Relationships>")
        .ok_or_else(|| bad("no </Relationships>"))?;
    let rels = elements(&xml[gt..end], "<Relationship ", "/>")?;
    const WORKSHEET: &str =
        "http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet";
    let sheets = rels
        .iter()
        .take_while(|e| attr(e, "Type") == Some(WORKSHEET))
        .count();
    let mut out = String::with_capacity(xml.len() + n * 160);
    out.push_str(&xml[..gt]);
    for (i, e) in rels.iter().enumerate() {
        let k = i + 1;
        if attr(e, "Id") != Some(&format!("rId{k}")) {
            return Err(bad("relationship ids not in order"));
        }
        if i < sheets {
            if attr(e, "Target") != Some(&format!("worksheets/sheet{k}.xml")) {
                return Err(bad("worksheet parts not in order"));
            }
            continue;
        }
        if attr(e, "Type") == Some(WORKSHEET) {
            return Err(bad("worksheets not first"));
        }
    }
    for k in 1..=sheets + n {
        out.push_str(&format!(
            "<Relationship Id=\"rId{k}\" Type=\"{WORKSHEET}\" Target=\"worksheets/sheet{k}.xml\"/>"
        ));
    }
    for (i, e) in rels.iter().enumerate().skip(sheets) {
        let k = i + 1;
        out.push_str(&e.replacen(
            &format!(" Id=\"rId{k}\""),
            &format!(" Id=\"rId{}\"", k + n),
            1,
        ));
    }
    out.push_str(&xml[end..]);
    Ok(out)
}

/// `[Content_Types].xml` with the parts of `n` more worksheets after those of the `sheets`
/// there are.
pub(crate) fn content_types(xml: &str, sheets: usize, n: usize) -> Result<String, XlsxError> {
    let last = format!("<Override PartName=\"/xl/worksheets/sheet{sheets}.xml\"");
    let at = xml
        .find(&last)
        .ok_or_else(|| bad("no content type of the last sheet"))?;
    let len = xml[at..].find("/>").ok_or_else(|| bad("<Override"))? + 2;
    let element = &xml[at..at + len];
    let content_type = attr(element, "ContentType").ok_or_else(|| bad("no ContentType"))?;
    let mut out = String::with_capacity(xml.len() + n * 140);
    out.push_str(&xml[..at + len]);
    for k in sheets + 1..=sheets + n {
        out.push_str(&format!(
            "<Override PartName=\"/xl/worksheets/sheet{k}.xml\" ContentType=\"{content_type}\"/>"
        ));
    }
    out.push_str(&xml[at + len..]);
    Ok(out)
}

/// The count of a heading pair of `docProps/app.xml` (`Worksheets`, `Named Ranges`), and where
/// it is written.
fn heading_count(xml: &str, key: &str) -> Option<(usize, usize, usize)> {
    let at = xml.find(&format!("<vt:lpstr>{key}</vt:lpstr>"))?;
    let (s, e) = inner(&xml[at..], "<vt:i4>", "</vt:i4>")?;
    let v = xml[at + s..at + e].parse().ok()?;
    Some((v, at + s, at + e))
}

/// `docProps/app.xml` with the project sheets' names (after the `first` sheets of the
/// workbook, of those it lists) and their named ranges (in the order of `wb.app_names`).
pub(crate) fn app(
    xml: &str,
    first: usize,
    sheets: &[PlacedSheet],
    wb: &Workbook,
) -> Result<String, XlsxError> {
    let n = sheets.len();
    let (worksheets, w0, w1) =
        heading_count(xml, "Worksheets").ok_or_else(|| bad("no Worksheets in app.xml"))?;
    let (named, r0, r1) =
        heading_count(xml, "Named Ranges").ok_or_else(|| bad("no Named Ranges in app.xml"))?;
    if worksheets != wb.listed.iter().filter(|l| **l).count() || w1 > r0 {
        return Err(bad("app.xml lists other sheets"));
    }
    let listed_new = wb
        .app_names
        .iter()
        .filter(|a| matches!(a, AppName::New(_)))
        .count();
    const OPEN: &str = "<TitlesOfParts><vt:vector size=\"";
    let t = xml.find(OPEN).ok_or_else(|| bad("no <TitlesOfParts>"))?;
    let gt = t + xml[t..].find('>').ok_or_else(|| bad("<TitlesOfParts"))? + 1;
    let gt = gt + xml[gt..].find('>').ok_or_else(|| bad("<vt:vector"))? + 1;
    let end = gt
        + xml[gt..]
            .find("</vt:vector></TitlesOfParts>")
            .ok_or_else(|| bad("no </TitlesOfParts>"))?;
    let parts = elements(&xml[gt..end], "<vt:lpstr>", "</vt:lpstr>")?;
    if parts.len() != worksheets + named || wb.app_names.len() - listed_new != named || r1 > t {
        return Err(bad("app.xml lists other names"));
    }
    let (names, ranges) = parts.split_at(worksheets);
    let before = wb.listed[..first].iter().filter(|l| **l).count();
    let mut out = String::with_capacity(xml.len() + n * 200);
    out.push_str(&xml[..w0]);
    out.push_str(&(worksheets + n).to_string());
    out.push_str(&xml[w1..r0]);
    out.push_str(&(named + listed_new).to_string());
    out.push_str(&xml[r1..t]);
    out.push_str(&format!(
        "{OPEN}{}\" baseType=\"lpstr\">",
        parts.len() + n + listed_new
    ));
    for p in &names[..before] {
        out.push_str(p);
    }
    for s in sheets {
        out.push_str(&format!("<vt:lpstr>{}</vt:lpstr>", escape_data(&s.name)));
    }
    for p in &names[before..] {
        out.push_str(p);
    }
    for a in &wb.app_names {
        match a {
            AppName::Listed(k) => out.push_str(ranges[*k]),
            AppName::New(s) => out.push_str(&format!("<vt:lpstr>{s}</vt:lpstr>")),
        }
    }
    out.push_str(&xml[end..]);
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn placed(name: &str) -> PlacedSheet {
        PlacedSheet {
            name: name.into(),
            header_row: 1,
            last_row: 9,
            last_col: 3,
        }
    }

    #[test]
    fn sheets_after_the_insertion_move_with_their_names_and_tab() {
        let xml = concat!(
            r#"<workbook><bookViews><workbookView xWindow="240" activeTab="2"/></bookViews>"#,
            r#"<sheets><sheet name="A" sheetId="1" r:id="rId1"/><sheet name="B" sheetId="2" r:id="rId2"/>"#,
            r#"<sheet name="H" sheetId="3" state="veryHidden" r:id="rId3"/></sheets>"#,
            r#"<definedNames><definedName name="_xlnm.Print_Titles" localSheetId="2">H!$1:$1</definedName>"#,
            r#"<definedName name="_xlnm._FilterDatabase" localSheetId="0" hidden="1">A!$A$1:$B$2</definedName></definedNames>"#,
            r#"<calcPr calcId="124519"/></workbook>"#
        );
        let sheets = [placed("x&y"), placed("O'B")];
        let wb = workbook(xml, 2, &sheets).expect("spliced");
        assert!(wb.xml.contains(r#"activeTab="4""#), "{}", wb.xml);
        assert!(wb.xml.contains(concat!(
            r#"<sheet name="B" sheetId="2" r:id="rId2"/><sheet name="x&amp;y" sheetId="3" r:id="rId3"/>"#,
            r#"<sheet name="O'B" sheetId="4" r:id="rId4"/><sheet name="H" sheetId="5" state="veryHidden" r:id="rId5"/>"#
        )));
        assert!(wb.xml.contains(concat!(
            r#"<definedNames><definedName name="_xlnm._FilterDatabase" localSheetId="0" hidden="1">A!$A$1:$B$2</definedName>"#,
            r#"<definedName name="_xlnm.Print_Area" localSheetId="3">'O''B'!$A$1:$D$10</definedName>"#,
            r#"<definedName name="_xlnm.Print_Area" localSheetId="2">'x&amp;y'!$A$1:$D$10</definedName>"#,
            r#"<definedName name="_xlnm.Print_Titles" localSheetId="3">'O''B'!$1:$2</definedName>"#,
            r#"<definedName name="_xlnm.Print_Titles" localSheetId="2">'x&amp;y'!$1:$2</definedName>"#,
            r#"<definedName name="_xlnm.Print_Titles" localSheetId="4">H!$1:$1</definedName></definedNames>"#
        )), "{}", wb.xml);
        assert_eq!(wb.listed, [true, true, false]);

        let app = concat!(
            r#"<Properties><HeadingPairs><vt:vector size="4" baseType="variant"><vt:variant><vt:lpstr>Worksheets</vt:lpstr></vt:variant>"#,
            r#"<vt:variant><vt:i4>2</vt:i4></vt:variant><vt:variant><vt:lpstr>Named Ranges</vt:lpstr></vt:variant><vt:variant><vt:i4>1</vt:i4></vt:variant></vt:vector></HeadingPairs>"#,
            r#"<TitlesOfParts><vt:vector size="3" baseType="lpstr"><vt:lpstr>A</vt:lpstr><vt:lpstr>B</vt:lpstr><vt:lpstr>H!Print_Titles</vt:lpstr></vt:vector></TitlesOfParts></Properties>"#
        );
        let app = super::app(app, 2, &sheets, &wb).expect("app");
        assert!(app.contains("<vt:i4>4</vt:i4>") && app.contains("<vt:i4>5</vt:i4>"));
        assert!(app.contains(concat!(
            r#"<vt:vector size="9" baseType="lpstr"><vt:lpstr>A</vt:lpstr><vt:lpstr>B</vt:lpstr><vt:lpstr>x&amp;y</vt:lpstr><vt:lpstr>O'B</vt:lpstr>"#,
            r#"<vt:lpstr>'O''B'!Print_Area</vt:lpstr><vt:lpstr>'x&amp;y'!Print_Area</vt:lpstr><vt:lpstr>'O''B'!Print_Titles</vt:lpstr>"#,
            r#"<vt:lpstr>'x&amp;y'!Print_Titles</vt:lpstr><vt:lpstr>H!Print_Titles</vt:lpstr></vt:vector>"#
        )), "{app}");
    }

    #[test]
    fn relationships_and_content_types_list_every_sheet() {
        const WS: &str =
            "http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet";
        let rels = format!(
            r#"<Relationships xmlns="x"><Relationship Id="rId1" Type="{WS}" Target="worksheets/sheet1.xml"/><Relationship Id="rId2" Type="t/styles" Target="styles.xml"/></Relationships>"#
        );
        let out = relationships(&rels, 2).expect("rels");
        assert!(out.contains(r#"Id="rId3" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet3.xml"/><Relationship Id="rId4" Type="t/styles""#), "{out}");
        let bad = rels.replace("sheet1.xml", "sheet9.xml");
        assert!(relationships(&bad, 2).is_err());
        let ct = r#"<Types><Override PartName="/xl/worksheets/sheet1.xml" ContentType="w"/><Override PartName="/xl/styles.xml" ContentType="s"/></Types>"#;
        assert_eq!(
            content_types(ct, 1, 1).expect("types"),
            r#"<Types><Override PartName="/xl/worksheets/sheet1.xml" ContentType="w"/><Override PartName="/xl/worksheets/sheet2.xml" ContentType="w"/><Override PartName="/xl/styles.xml" ContentType="s"/></Types>"#
        );
    }
}
