//! Where the worksheets of an .xlsx are: the workbook part named by the package's relationships,
//! and each sheet's part named by the workbook's. Read by the merged-region reader and by the
//! cell census of `zip_check`.

use std::io::{Read, Seek};

use quick_xml::events::Event;

use super::limits::MAX_UNCOMPRESSED;

/// (sheet name, zip entry of its part) of each sheet, in workbook order; None when the
/// workbook part or its relationships cannot be read.
pub fn sheet_parts<R: Read + Seek>(zip: &mut zip::ZipArchive<R>) -> Option<Vec<(String, String)>> {
    let root = read_part(zip, "_rels/.rels")?;
    let workbook = relationships(&root)
        .into_iter()
        .find(|(_, ty, _)| ty.ends_with("/officeDocument"))
        .map(|(_, _, t)| t)?;
    let workbook = workbook.trim_start_matches('/').to_string();
    let dir = workbook
        .rfind('/')
        .map_or(String::new(), |i| workbook[..=i].to_string());
    let file = &workbook[dir.len()..];
    let rels = read_part(zip, &format!("{dir}_rels/{file}.rels"))?;
    let targets: std::collections::HashMap<String, String> = relationships(&rels)
        .into_iter()
        .map(|(id, _, t)| (id, t))
        .collect();
    let mut parts = Vec::new();
    for (name, rid) in sheets(&read_part(zip, &workbook)?) {
        let Some(target) = targets.get(&rid) else {
            continue;
        };
        let part = match target.strip_prefix('/') {
            Some(abs) => abs.to_string(),
            None => format!("{dir}{target}"),
        };
        parts.push((name, part));
    }
    Some(parts)
}

/// A whole part, within `MAX_UNCOMPRESSED` (the zip check has bounded every part before).
pub fn read_part<R: Read + Seek>(zip: &mut zip::ZipArchive<R>, name: &str) -> Option<Vec<u8>> {
    let f = zip.by_name(name).ok()?;
    let mut out = Vec::with_capacity(f.size().min(MAX_UNCOMPRESSED) as usize);
    f.take(MAX_UNCOMPRESSED).read_to_end(&mut out).ok()?;
    Some(out)
}

pub fn attr(e: &quick_xml::events::BytesStart<'_>, local: &str) -> Option<String> {
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
pub fn elements(xml: &[u8], mut each: impl FnMut(&quick_xml::events::BytesStart<'_>) -> bool) {
    let mut reader = quick_xml::Reader::from_reader(xml);
    reader.config_mut().check_end_names = false;
    loop {
        match reader.read_event() {
            Ok(Event::Start(e)) | Ok(Event::Empty(e)) if !each(&e) => break,
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
        true
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
        true
    });
    out
}
