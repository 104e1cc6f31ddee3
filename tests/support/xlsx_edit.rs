//! Edits a saved .xlsx the way a person does in Excel: a cell typed over, a cell cleared, a
//! sheet renamed, a sheet added; everything else in the file (styles, protection, the hidden
//! dxplan sheet) stays byte for byte.

#![allow(dead_code)]

use std::collections::BTreeMap;
use std::io::{Read, Write};
use std::path::Path;

pub struct Xlsx {
    entries: Vec<(String, Vec<u8>)>,
}

fn col_of(r: &str) -> u32 {
    r.chars()
        .take_while(|c| c.is_ascii_uppercase())
        .fold(0, |n, c| n * 26 + (c as u32 - 'A' as u32 + 1))
}

fn row_of(r: &str) -> u32 {
    r.trim_start_matches(|c: char| c.is_ascii_uppercase())
        .parse()
        .unwrap()
}

pub fn a1(row: u32, col: u32) -> String {
    let mut c = col + 1;
    let mut s = Vec::new();
    while c > 0 {
        s.push(b'A' + ((c - 1) % 26) as u8);
        c = (c - 1) / 26;
    }
    s.reverse();
    format!("{}{}", String::from_utf8(s).unwrap(), row + 1)
}

fn esc(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

impl Xlsx {
    pub fn open(path: &Path) -> Xlsx {
        let mut zip = zip::ZipArchive::new(std::fs::File::open(path).unwrap()).unwrap();
        let mut entries = Vec::new();
        for i in 0..zip.len() {
            let mut f = zip.by_index(i).unwrap();
            let mut buf = Vec::new();
            f.read_to_end(&mut buf).unwrap();
            entries.push((f.name().unwrap().to_string(), buf));
        }
        Xlsx { entries }
    }

    pub fn save(&self, path: &Path) {
        let mut zip = zip::ZipWriter::new(std::fs::File::create(path).unwrap());
        let opts = zip::write::SimpleFileOptions::default()
            .compression_method(zip::CompressionMethod::Deflated);
        for (name, data) in &self.entries {
            zip.start_file(name.as_str(), opts).unwrap();
            zip.write_all(data).unwrap();
        }
        zip.finish().unwrap();
    }

    fn text(&self, name: &str) -> String {
        String::from_utf8(
            self.entries
                .iter()
                .find(|(n, _)| n == name)
                .unwrap_or_else(|| panic!("no {name}"))
                .1
                .clone(),
        )
        .unwrap()
    }

    fn put(&mut self, name: &str, text: String) {
        match self.entries.iter_mut().find(|(n, _)| n == name) {
            Some(e) => e.1 = text.into_bytes(),
            None => self.entries.push((name.to_string(), text.into_bytes())),
        }
    }

    /// Sheet name → worksheet part (xl/worksheets/sheetN.xml).
    fn sheet_parts(&self) -> BTreeMap<String, String> {
        let wb = self.text("xl/workbook.xml");
        let rels = self.text("xl/_rels/workbook.xml.rels");
        let attr = |tag: &str, a: &str| -> Option<String> {
            let tag = format!(" {tag}");
            let i = tag.find(&format!(" {a}=\""))? + a.len() + 3;
            Some(tag[i..i + tag[i..].find('"')?].to_string())
        };
        let mut out = BTreeMap::new();
        for tag in wb.split("<sheet ").skip(1) {
            let tag = &tag[..tag.find("/>").unwrap()];
            let (name, rid) = (attr(tag, "name").unwrap(), attr(tag, "r:id").unwrap());
            let rel = rels
                .split("<Relationship ")
                .find(|r| r.contains(&format!("Id=\"{rid}\"")))
                .unwrap();
            let target = attr(rel, "Target").unwrap();
            let target = target.trim_start_matches("/xl/").to_string();
            out.insert(name.replace("&amp;", "&"), format!("xl/{target}"));
        }
        out
    }

    /// The XML of a part (xl/styles.xml, xl/workbook.xml, …).
    pub fn part(&self, name: &str) -> String {
        self.text(name)
    }

    /// The worksheet XML of a sheet, by sheet name.
    pub fn sheet_xml(&self, sheet: &str) -> String {
        let part = self
            .sheet_parts()
            .get(sheet)
            .unwrap_or_else(|| panic!("no sheet {sheet}"))
            .clone();
        self.text(&part)
    }

    pub fn sheet_names(&self) -> Vec<String> {
        self.sheet_parts().into_keys().collect()
    }

    /// Types `value` into a cell (as text), or clears it with `None`.
    pub fn set(&mut self, sheet: &str, cell: &str, value: Option<&str>) {
        let body = value.map(|v| format!("<is><t xml:space=\"preserve\">{}</t></is>", esc(v)));
        self.write_cell(
            sheet,
            cell,
            body.as_deref(),
            value.is_some().then_some("inlineStr"),
        );
    }

    /// Types a number into a cell.
    pub fn set_number(&mut self, sheet: &str, cell: &str, n: f64) {
        self.write_cell(sheet, cell, Some(&format!("<v>{n}</v>")), None);
    }

    fn write_cell(&mut self, sheet: &str, cell: &str, body: Option<&str>, t: Option<&str>) {
        let part = self
            .sheet_parts()
            .get(sheet)
            .unwrap_or_else(|| panic!("no sheet {sheet}"))
            .clone();
        let mut xml = self.text(&part);
        let style = |old: &str| {
            old.find(" s=\"")
                .map(|i| old[i..i + 4 + old[i + 4..].find('"').unwrap() + 1].to_string())
                .unwrap_or_default()
        };
        let make = |s: &str| match body {
            Some(b) => format!(
                "<c r=\"{cell}\"{s}{}>{b}</c>",
                t.map(|t| format!(" t=\"{t}\"")).unwrap_or_default()
            ),
            None => format!("<c r=\"{cell}\"{s}/>"),
        };
        let open = format!("<c r=\"{cell}\"");
        if let Some(start) = xml.find(&open) {
            let rest = &xml[start..];
            let head_end = rest.find('>').unwrap();
            let end = if rest[..head_end].ends_with('/') {
                head_end + 1
            } else {
                rest.find("</c>").unwrap() + 4
            };
            let s = style(&rest[..head_end]);
            xml.replace_range(start..start + end, &make(&s));
        } else {
            let (r, c) = (row_of(cell), col_of(cell));
            let row_open = format!("<row r=\"{r}\"");
            let new_cell = make("");
            if let Some(rs) = xml.find(&row_open) {
                let row_end = rs
                    + xml[rs..]
                        .find("</row>")
                        .unwrap_or_else(|| xml[rs..].find("/>").unwrap());
                let row_xml = &xml[rs..row_end];
                // Before the first cell of a later column, else at the row's end.
                let mut at = row_end;
                for (i, _) in row_xml.match_indices("<c r=\"") {
                    let r0 = &row_xml[i + 6..];
                    if col_of(&r0[..r0.find('"').unwrap()]) > c {
                        at = rs + i;
                        break;
                    }
                }
                if xml[rs..].find('>').map(|i| xml[rs..rs + i].ends_with('/')) == Some(true) {
                    let head = rs + xml[rs..].find("/>").unwrap();
                    xml.replace_range(head..head + 2, &format!(">{new_cell}</row>"));
                } else {
                    xml.insert_str(at, &new_cell);
                }
            } else {
                let mut at = xml.find("</sheetData>").unwrap();
                for (i, _) in xml.match_indices("<row r=\"") {
                    let r0 = &xml[i + 8..];
                    if r0[..r0.find('"').unwrap()].parse::<u32>().unwrap() > r {
                        at = i;
                        break;
                    }
                }
                xml.insert_str(at, &format!("<row r=\"{r}\">{new_cell}</row>"));
            }
        }
        self.put(&part, xml);
    }

    /// Sets the save time Excel writes on every save (docProps/core.xml `dcterms:modified`,
    /// e.g. 「2027-01-20T09:00:00Z」).
    pub fn set_saved_at(&mut self, at: &str) {
        let core = self.text("docProps/core.xml");
        let open = "<dcterms:modified";
        let start = core.find(open).expect("dcterms:modified");
        let body = start + core[start..].find('>').unwrap() + 1;
        let end = body + core[body..].find("</dcterms:modified>").unwrap();
        let mut core = core.clone();
        core.replace_range(body..end, at);
        self.put("docProps/core.xml", core);
    }

    /// Renames a sheet (as Excel does: defined names follow).
    pub fn rename(&mut self, from: &str, to: &str) {
        let wb = self.text("xl/workbook.xml");
        let wb = wb.replace(
            &format!("name=\"{}\"", esc(from)),
            &format!("name=\"{}\"", esc(to)),
        );
        let wb = wb
            .replace(&format!("'{}'!", esc(from)), &format!("'{}'!", esc(to)))
            .replace(&format!(">{}!", esc(from)), &format!(">'{}'!", esc(to)));
        self.put("xl/workbook.xml", wb);
        let app = self
            .entries
            .iter()
            .position(|(n, _)| n == "docProps/app.xml");
        if let Some(i) = app {
            let t = String::from_utf8(self.entries[i].1.clone())
                .unwrap()
                .replace(&format!(">{}<", esc(from)), &format!(">{}<", esc(to)));
            self.entries[i].1 = t.into_bytes();
        }
    }

    /// `add_sheet`, the new sheet put before the others.
    pub fn add_sheet_first(&mut self, name: &str, cells: &[(&str, &str)]) {
        self.add_sheet(name, cells);
        let wb = self.text("xl/workbook.xml");
        let (Some(open), Some(end)) = (wb.find("<sheets>"), wb.find("</sheets>")) else {
            panic!("no <sheets> in workbook.xml");
        };
        let last = wb[..end].rfind("<sheet ").expect("the added sheet");
        let moved = format!(
            "{}<sheets>{}{}{}",
            &wb[..open],
            &wb[last..end],
            &wb[open + "<sheets>".len()..last],
            &wb[end..]
        );
        self.put("xl/workbook.xml", moved);
    }

    /// Adds a worksheet with text cells, as a person adds a sheet and types into it.
    pub fn add_sheet(&mut self, name: &str, cells: &[(&str, &str)]) {
        let n = self
            .entries
            .iter()
            .filter(|(e, _)| e.starts_with("xl/worksheets/sheet"))
            .count()
            + 100;
        let part = format!("xl/worksheets/sheet{n}.xml");
        let mut rows: BTreeMap<u32, Vec<(u32, &str, &str)>> = BTreeMap::new();
        for (cell, text) in cells {
            rows.entry(row_of(cell))
                .or_default()
                .push((col_of(cell), cell, text));
        }
        let mut xml = String::from(
            r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?><worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>"#,
        );
        for (r, mut cs) in rows {
            cs.sort();
            xml.push_str(&format!("<row r=\"{r}\">"));
            for (_, cell, text) in cs {
                xml.push_str(&format!(
                    "<c r=\"{cell}\" t=\"inlineStr\"><is><t>{}</t></is></c>",
                    esc(text)
                ));
            }
            xml.push_str("</row>");
        }
        xml.push_str("</sheetData></worksheet>");
        self.put(&part, xml);
        let rid = format!("rIdAdded{n}");
        let rels = self.text("xl/_rels/workbook.xml.rels").replace(
            "</Relationships>",
            &format!(r#"<Relationship Id="{rid}" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet{n}.xml"/></Relationships>"#),
        );
        self.put("xl/_rels/workbook.xml.rels", rels);
        let wb = self.text("xl/workbook.xml").replace(
            "</sheets>",
            &format!(
                r#"<sheet name="{}" sheetId="{n}" r:id="{rid}"/></sheets>"#,
                esc(name)
            ),
        );
        self.put("xl/workbook.xml", wb);
        let ct = self.text("[Content_Types].xml").replace(
            "</Types>",
            &format!(r#"<Override PartName="/{part}" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/></Types>"#),
        );
        self.put("[Content_Types].xml", ct);
    }
}
