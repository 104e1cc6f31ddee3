//! When a returned workbook was last saved, as the program that saved it wrote it: the
//! document properties of an .xlsx (docProps/core.xml `dcterms:modified`) or an .ods
//! (meta.xml `dc:date`). It orders one department's own answers to one export and dates an
//! answer for the round's status; it never decides between departments (that is the
//! register's order, `order`).

use std::io::Read;
use std::path::Path;

/// A properties part larger than this is not what an office suite writes: not read.
const MAX_PART: u64 = 1 << 20;

/// The save time in UTC (RFC 3339, seconds), or None when the file does not say or says
/// something unreadable. A time without an offset (LibreOffice's .ods) is taken as JST.
pub fn saved_at(file: &Path) -> Option<String> {
    let f = std::fs::File::open(file).ok()?;
    let mut zip = zip::ZipArchive::new(std::io::BufReader::new(f)).ok()?;
    for (part, tag) in [
        ("docProps/core.xml", "dcterms:modified"),
        ("meta.xml", "dc:date"),
    ] {
        let Ok(entry) = zip.by_name(part) else {
            continue;
        };
        if entry.size() > MAX_PART {
            return None;
        }
        let mut xml = String::new();
        entry.take(MAX_PART).read_to_string(&mut xml).ok()?;
        return element_text(&xml, tag).and_then(|t| parse_time(&t));
    }
    None
}

fn element_text(xml: &str, tag: &str) -> Option<String> {
    let open = format!("<{tag}");
    let start = xml.find(&open)?;
    let body = &xml[start + open.len()..];
    // `<dcterms:modified xsi:type="dcterms:W3CDTF">…`, not `<dcterms:modifiedX`.
    if !body.starts_with(['>', ' ', '\t', '\n', '\r']) {
        return None;
    }
    let body = &body[body.find('>')? + 1..];
    let end = body.find(&format!("</{tag}>"))?;
    Some(body[..end].trim().to_string())
}

/// RFC 3339 / W3CDTF with or without an offset and fraction, to UTC seconds.
pub fn parse_time(text: &str) -> Option<String> {
    use chrono::{DateTime, FixedOffset, NaiveDateTime, SecondsFormat, TimeZone, Utc};
    let utc = match DateTime::parse_from_rfc3339(text) {
        Ok(t) => t.with_timezone(&Utc),
        Err(_) => {
            let naive = NaiveDateTime::parse_from_str(text, "%Y-%m-%dT%H:%M:%S%.f").ok()?;
            let jst = FixedOffset::east_opt(9 * 3600)?;
            jst.from_local_datetime(&naive)
                .single()?
                .with_timezone(&Utc)
        }
    };
    Some(utc.to_rfc3339_opts(SecondsFormat::Secs, true))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn times_are_read_in_utc() {
        let core = r#"<cp:coreProperties><dcterms:created xsi:type="dcterms:W3CDTF">2027-01-01T00:00:00Z</dcterms:created><dcterms:modified xsi:type="dcterms:W3CDTF">2027-01-20T03:04:05Z</dcterms:modified></cp:coreProperties>"#;
        let t = element_text(core, "dcterms:modified").unwrap();
        assert_eq!(parse_time(&t).unwrap(), "2027-01-20T03:04:05Z");
        assert_eq!(
            parse_time("2027-01-20T12:04:05.123456789").unwrap(),
            "2027-01-20T03:04:05Z"
        );
        assert_eq!(
            parse_time("2027-01-20T12:04:05+09:00").unwrap(),
            "2027-01-20T03:04:05Z"
        );
        assert_eq!(parse_time("yesterday"), None);
        assert_eq!(element_text("<dc:datex>1</dc:datex>", "dc:date"), None);
    }
}
