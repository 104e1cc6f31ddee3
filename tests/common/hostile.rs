//! Hostile workbooks of issue 12, each built here, small on disk, from the structure that made
//! dxplan allocate gigabytes before it could refuse them: CFB containers whose sector chains
//! loop, .ods tables of repeated cells, .xlsx sheets of millions of tiny cells, hundreds of
//! thousands of merged regions, shared strings cited a million times. Used by
//! tests/import_bad.rs (one test per case), tests/bad_files.rs (the corpus) and the ignored
//! test that writes them out for scripts/hostile.sh (time and peak memory of the release build).

#![allow(dead_code)]

use std::io::{Cursor, Write};
use std::path::Path;

use super::{noise, write};

// ---------------------------------------------------------------------------------------------
// CFB containers

/// A CFB file (version 3, 512-byte sectors) holding `streams`, written by the cfb crate.
pub fn cfb_file(streams: &[(&str, &[u8])]) -> Vec<u8> {
    let mut c =
        cfb::CompoundFile::create_with_version(cfb::Version::V3, Cursor::new(Vec::new())).unwrap();
    for (name, data) in streams {
        let mut s = c.create_stream(format!("/{name}")).unwrap();
        s.write_all(data).unwrap();
        s.flush().unwrap();
    }
    c.flush().unwrap();
    c.into_inner().into_inner()
}

fn u32_at(b: &[u8], i: usize) -> u32 {
    u32::from_le_bytes([b[i], b[i + 1], b[i + 2], b[i + 3]])
}

/// Sets the FAT entry of `sector` (the sector that follows it in its chain). The FAT of these
/// small files is one sector, the first the header's DIFAT lists.
pub fn set_fat(bytes: &mut [u8], sector: u32, next: u32) {
    let fat = u32_at(bytes, 76) as usize;
    let at = 512 + fat * 512 + 4 * sector as usize;
    bytes[at..at + 4].copy_from_slice(&next.to_le_bytes());
}

/// The FAT entry of `sector`.
pub fn fat(bytes: &[u8], sector: u32) -> u32 {
    let fat = u32_at(bytes, 76) as usize;
    u32_at(bytes, 512 + fat * 512 + 4 * sector as usize)
}

/// The first sector of the directory chain (header offset 48).
pub fn first_dir_sector(bytes: &[u8]) -> u32 {
    u32_at(bytes, 48)
}

/// The first sector of stream `name`, from its directory entry (the directory of these small
/// files is one sector of four 128-byte entries: UTF-16 name, …, start sector at 116).
pub fn stream_start(bytes: &[u8], name: &str) -> u32 {
    let dir = 512 + 512 * first_dir_sector(bytes) as usize;
    let want: Vec<u8> = name.encode_utf16().flat_map(u16::to_le_bytes).collect();
    (0..4)
        .map(|k| dir + 128 * k)
        .find(|&e| bytes[e..e + want.len()] == want[..])
        .map(|e| u32_at(bytes, e + 116))
        .expect("stream in the directory")
}

/// A one-sheet .xls with its Workbook stream padded to `len` bytes (past 4,096 it lies in
/// regular sectors, not the mini stream).
fn small_xls(len: usize) -> Vec<u8> {
    let mut stream = biff_workbook(&[("取組", numbers(&[(0, 0)]))], &[]);
    stream.resize(len, 0);
    cfb_file(&[("Workbook", &stream)])
}

/// A .xls of 5.6 KB whose directory chain loops on itself: calamine's CFB reader (reached
/// through the encrypted-.xlsx check) followed it until the process died at 4–8 GB.
pub fn cfb_directory_loop(path: &Path) {
    let mut bytes = small_xls(4_600);
    let dir = first_dir_sector(&bytes);
    set_fat(&mut bytes, dir, dir);
    write(path, &bytes);
}

/// A .xls whose Workbook stream chain turns back from its last sector to its first.
pub fn cfb_stream_loop(path: &Path) {
    let mut bytes = small_xls(6_000);
    let first = stream_start(&bytes, "Workbook");
    let mut last = first;
    while fat(&bytes, last) < 0xFFFF_FFFA {
        last = fat(&bytes, last);
    }
    assert_ne!(last, first, "a chain of several sectors");
    set_fat(&mut bytes, last, first);
    write(path, &bytes);
}

/// What an encrypted .xlsx is: a CFB container with `EncryptionInfo` and `EncryptedPackage`.
pub fn encrypted_xlsx(path: &Path) {
    let info = [4u8, 0, 4, 0, 0x40, 0, 0, 0];
    write(
        path,
        &cfb_file(&[
            ("EncryptionInfo", &info[..]),
            ("EncryptedPackage", &noise(9_000, 12)),
        ]),
    );
}

/// The same, with its directory chain looping too.
pub fn encrypted_xlsx_directory_loop(path: &Path) {
    let info = [4u8, 0, 4, 0, 0x40, 0, 0, 0];
    let mut bytes = cfb_file(&[
        ("EncryptionInfo", &info[..]),
        ("EncryptedPackage", &noise(5_000, 13)),
    ]);
    let dir = first_dir_sector(&bytes);
    set_fat(&mut bytes, dir, dir);
    write(path, &bytes);
}

// ---------------------------------------------------------------------------------------------
// BIFF8 workbooks (.xls)

fn rec(typ: u16, data: &[u8]) -> Vec<u8> {
    let mut v = typ.to_le_bytes().to_vec();
    v.extend((data.len() as u16).to_le_bytes());
    v.extend(data);
    v
}

fn bof(dt: u16) -> Vec<u8> {
    let mut d = 0x0600u16.to_le_bytes().to_vec();
    d.extend(dt.to_le_bytes());
    d.extend([0u8; 12]);
    rec(0x0809, &d)
}

/// NUMBER records (value 1) at the given (row, col).
pub fn numbers(cells: &[(u16, u16)]) -> Vec<Vec<u8>> {
    cells
        .iter()
        .map(|&(r, c)| {
            let mut d = Vec::new();
            for v in [r, c, 0] {
                d.extend(v.to_le_bytes());
            }
            d.extend(1f64.to_le_bytes());
            rec(0x0203, &d)
        })
        .collect()
}

/// LABELSST records citing shared string `isst` at every (row, col).
pub fn labels(cells: impl Iterator<Item = (u16, u16)>, isst: u32) -> Vec<Vec<u8>> {
    cells
        .map(|(r, c)| {
            let mut d = Vec::new();
            for v in [r, c, 0] {
                d.extend(v.to_le_bytes());
            }
            d.extend(isst.to_le_bytes());
            rec(0x00FD, &d)
        })
        .collect()
}

/// A BIFF8 Workbook stream: sheets (name, cell records) and the shared strings (8-bit, each
/// within one record).
pub fn biff_workbook(sheets: &[(&str, Vec<Vec<u8>>)], sst: &[&str]) -> Vec<u8> {
    let mut globals = bof(0x0005);
    if !sst.is_empty() {
        let mut d = (sst.len() as u32).to_le_bytes().to_vec();
        d.extend((sst.len() as u32).to_le_bytes());
        for s in sst {
            d.extend((s.len() as u16).to_le_bytes());
            d.push(0);
            d.extend(s.as_bytes());
        }
        globals.extend(rec(0x00FC, &d));
    }
    let boundsheet = |pos: u32, name: &str| {
        let units: Vec<u16> = name.encode_utf16().collect();
        let mut d = pos.to_le_bytes().to_vec();
        d.extend([0, 0, units.len() as u8, 1]);
        for u in units {
            d.extend(u.to_le_bytes());
        }
        rec(0x0085, &d)
    };
    let bs_len: usize = sheets.iter().map(|(n, _)| boundsheet(0, n).len()).sum();
    let mut pos = (globals.len() + bs_len + 4) as u32;
    let mut body = Vec::new();
    for (name, cells) in sheets {
        globals.extend(boundsheet(pos, name));
        let mut sheet = bof(0x0010);
        sheet.extend(cells.iter().flatten());
        sheet.extend(rec(0x000A, &[]));
        pos += sheet.len() as u32;
        body.extend(sheet);
    }
    globals.extend(rec(0x000A, &[]));
    globals.extend(body);
    globals
}

/// A .xls of 300,000 cells each citing one shared string of 8,000 characters: calamine copies
/// the string into every cell when it opens the file (2.4 GB).
pub fn xls_shared_string_bomb(path: &Path) {
    let long = "x".repeat(8_000);
    let cells = labels(
        (0..3_000u16).flat_map(|r| (0..100u16).map(move |c| (r, c))),
        0,
    );
    let stream = biff_workbook(&[("取組", cells)], &[&long]);
    write(path, &cfb_file(&[("Workbook", &stream)]));
}

/// A .xls with two cells 65,000 rows and 250 columns apart: calamine builds the grid between
/// them (16 million cells) when it opens the file.
pub fn xls_far_apart(path: &Path) {
    let stream = biff_workbook(&[("取組", numbers(&[(0, 0), (65_000, 250)]))], &[]);
    write(path, &cfb_file(&[("Workbook", &stream)]));
}

// ---------------------------------------------------------------------------------------------
// OpenDocument spreadsheets (.ods)

/// A .ods whose content.xml body is `tables`.
pub fn ods(path: &Path, tables: &str) {
    let content = format!(
        r#"<?xml version="1.0" encoding="UTF-8"?><office:document-content xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0" xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" office:version="1.2"><office:body><office:spreadsheet>{tables}</office:spreadsheet></office:body></office:document-content>"#
    );
    let manifest = r#"<?xml version="1.0" encoding="UTF-8"?><manifest:manifest xmlns:manifest="urn:oasis:names:tc:opendocument:xmlns:manifest:1.0" manifest:version="1.2"><manifest:file-entry manifest:full-path="/" manifest:media-type="application/vnd.oasis.opendocument.spreadsheet"/><manifest:file-entry manifest:full-path="content.xml" manifest:media-type="text/xml"/></manifest:manifest>"#;
    let mut z = zip::ZipWriter::new(std::fs::File::create(path).unwrap());
    let stored =
        zip::write::SimpleFileOptions::default().compression_method(zip::CompressionMethod::Stored);
    let deflated = zip::write::SimpleFileOptions::default()
        .compression_method(zip::CompressionMethod::Deflated);
    z.start_file("mimetype", stored).unwrap();
    z.write_all(b"application/vnd.oasis.opendocument.spreadsheet")
        .unwrap();
    z.start_file("META-INF/manifest.xml", deflated).unwrap();
    z.write_all(manifest.as_bytes()).unwrap();
    z.start_file("content.xml", deflated).unwrap();
    z.write_all(content.as_bytes()).unwrap();
    z.finish().unwrap();
}

/// About 800 bytes: one row of number cells repeated across all 16,384 columns, the row
/// repeated 6,000 times: calamine builds 98 million cells (5 GB) before anything can refuse it.
pub fn ods_repeated_numbers(path: &Path) {
    ods(
        path,
        r#"<table:table table:name="取組"><table:table-row table:number-rows-repeated="6000"><table:table-cell office:value-type="float" office:value="1" table:number-columns-repeated="16384"/></table:table-row></table:table>"#,
    );
}

/// About 810 bytes: text cells within the used-range caps (999 columns × 99,999 rows), each a
/// copy of the same paragraph: 100 million strings.
pub fn ods_repeated_strings(path: &Path) {
    ods(
        path,
        r#"<table:table table:name="取組"><table:table-row table:number-rows-repeated="99999"><table:table-cell office:value-type="string" table:number-columns-repeated="999"><text:p>取組名</text:p></table:table-cell></table:table-row></table:table>"#,
    );
}

/// One cell whose text is two billion spaces (`<text:s text:c>`), which calamine writes out.
pub fn ods_spaces(path: &Path) {
    ods(
        path,
        r#"<table:table table:name="取組"><table:table-row><table:table-cell office:value-type="string"><text:p>取組名<text:s text:c="2000000000"/></text:p></table:table-cell></table:table-row></table:table>"#,
    );
}

/// Two cells at opposite corners of the used-range caps: calamine fills the 100 million cells
/// between them.
pub fn ods_far_apart(path: &Path) {
    ods(
        path,
        r#"<table:table table:name="取組"><table:table-row><table:table-cell office:value-type="float" office:value="1"/></table:table-row><table:table-row table:number-rows-repeated="99997"><table:table-cell/></table:table-row><table:table-row><table:table-cell table:number-columns-repeated="998"/><table:table-cell office:value-type="float" office:value="1"/></table:table-row></table:table>"#,
    );
}

// ---------------------------------------------------------------------------------------------
// Office Open XML workbooks (.xlsx)

const MAIN_NS: &str = "http://schemas.openxmlformats.org/spreadsheetml/2006/main";
const REL_NS: &str = "http://schemas.openxmlformats.org/officeDocument/2006/relationships";

/// A minimal .xlsx of worksheets (name, sheet XML); every sheet part is written once per
/// distinct XML and copied (compressed bytes and all) for the sheets that repeat it.
pub fn xlsx(path: &Path, sheets: &[(String, &str)], method: zip::CompressionMethod) {
    xlsx_at_level(path, sheets, method, None)
}

/// `xlsx` with a deflate level (9: as small as the format allows).
pub fn xlsx_at_level(
    path: &Path,
    sheets: &[(String, &str)],
    method: zip::CompressionMethod,
    level: Option<i64>,
) {
    let mut types = String::from(
        r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>"#,
    );
    let mut wb = format!(
        r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?><workbook xmlns="{MAIN_NS}" xmlns:r="{REL_NS}"><sheets>"#
    );
    let mut rels = String::from(
        r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">"#,
    );
    for (i, (name, _)) in sheets.iter().enumerate() {
        let n = i + 1;
        types.push_str(&format!(r#"<Override PartName="/xl/worksheets/sheet{n}.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>"#));
        wb.push_str(&format!(
            r#"<sheet name="{name}" sheetId="{n}" r:id="rId{n}"/>"#
        ));
        rels.push_str(&format!(
            r#"<Relationship Id="rId{n}" Type="{REL_NS}/worksheet" Target="worksheets/sheet{n}.xml"/>"#
        ));
    }
    types.push_str("</Types>");
    wb.push_str("</sheets></workbook>");
    rels.push_str("</Relationships>");
    let opts = zip::write::SimpleFileOptions::default()
        .compression_method(method)
        .compression_level(level)
        .large_file(false);
    let mut z = zip::ZipWriter::new(Cursor::new(Vec::new()));
    for (name, data) in [
        ("[Content_Types].xml", types),
        (
            "_rels/.rels",
            format!(
                r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="{REL_NS}/officeDocument" Target="xl/workbook.xml"/></Relationships>"#
            ),
        ),
        ("xl/workbook.xml", wb),
        ("xl/_rels/workbook.xml.rels", rels),
    ] {
        z.start_file(name, opts).unwrap();
        z.write_all(data.as_bytes()).unwrap();
    }
    let mut written: Vec<(&str, String)> = Vec::new();
    for (i, (_, xml)) in sheets.iter().enumerate() {
        let part = format!("xl/worksheets/sheet{}.xml", i + 1);
        match written.iter().find(|(x, _)| x == xml) {
            Some((_, first)) => z.deep_copy_file(first, &part).unwrap(),
            None => {
                z.start_file(part.as_str(), opts).unwrap();
                z.write_all(xml.as_bytes()).unwrap();
                written.push((xml, part));
            }
        }
    }
    write(path, &z.finish().unwrap().into_inner());
}

/// A worksheet of `rows` × `cols` cells holding 1, without cell references (as little XML a
/// cell as the format allows).
pub fn tiny_cells(rows: usize, cols: usize) -> String {
    let row = format!("<row>{}</row>", "<c><v>1</v></c>".repeat(cols));
    format!(
        r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?><worksheet xmlns="{MAIN_NS}"><sheetData>{}</sheetData></worksheet>"#,
        row.repeat(rows)
    )
}

/// 30 sheets × 1,000,000 cells in under 1 MB (each part inflates 500 : 1 or more): read whole,
/// it took 6.8 GB and 32 s.
pub fn xlsx_30_sheets_of_a_million(path: &Path) {
    let sheet = tiny_cells(1_000, 1_000);
    let sheets: Vec<(String, &str)> = (1..=30)
        .map(|i| (format!("S{i}"), sheet.as_str()))
        .collect();
    xlsx_at_level(path, &sheets, zip::CompressionMethod::Deflated, Some(9));
}

/// The same at the default deflate level: 2.5 MB, each part 180 : 1, under the cap for one
/// part; the whole inflates 180 : 1 to 450 MB.
pub fn xlsx_30_sheets_default_level(path: &Path) {
    let sheet = tiny_cells(1_000, 1_000);
    let sheets: Vec<(String, &str)> = (1..=30)
        .map(|i| (format!("S{i}"), sheet.as_str()))
        .collect();
    xlsx(path, &sheets, zip::CompressionMethod::Deflated);
}

/// 4.2 million cells in 3 stored (uncompressed) parts: no compression ratio to see, only the
/// count of cells.
pub fn xlsx_stored_cells(path: &Path) {
    let sheet = tiny_cells(1_400, 1_000);
    let sheets: Vec<(String, &str)> = (1..=3).map(|i| (format!("S{i}"), sheet.as_str())).collect();
    xlsx(path, &sheets, zip::CompressionMethod::Stored);
}

/// A sheet with `merges` appended after its data.
pub fn sheet_with_merges(cells: &str, merges: &[String]) -> String {
    let list: String = merges
        .iter()
        .map(|r| format!(r#"<mergeCell ref="{r}"/>"#))
        .collect();
    format!(
        r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?><worksheet xmlns="{MAIN_NS}"><sheetData>{cells}</sheetData><mergeCells count="{}">{list}</mergeCells></worksheet>"#,
        merges.len()
    )
}

/// A flat list (one project a row: 事業名, 担当課, and 目標 / 実績 by year) of `rows` projects,
/// as inline strings, with `merges` after it.
pub fn flat_list_with_merges(rows: usize, merges: &[String]) -> String {
    let cell = |r: usize, c: usize, t: &str| {
        format!(
            r#"<c r="{}{r}" t="inlineStr"><is><t>{t}</t></is></c>"#,
            col(c)
        )
    };
    let mut xml = String::from(r#"<row r="1">"#);
    for (c, h) in [
        "事業名",
        "担当課",
        "R5目標",
        "2023年度実績",
        "R6目標",
        "2024年度実績",
    ]
    .iter()
    .enumerate()
    {
        xml.push_str(&cell(1, c, h));
    }
    xml.push_str("</row>");
    for r in 2..rows + 2 {
        xml.push_str(&format!(r#"<row r="{r}">"#));
        xml.push_str(&cell(r, 0, &format!("事業{r}")));
        xml.push_str(&cell(r, 1, "情報政策課"));
        for c in 2..6 {
            xml.push_str(&cell(r, c, &format!("{} 件", r + c)));
        }
        xml.push_str("</row>");
    }
    sheet_with_merges(&xml, merges)
}

/// 400,000 overlapping merged regions over a flat list of 40,000 rows (each region two rows
/// tall, ten a row, each overlapping the next): the layout recognition looked each value cell
/// up among all of them (106 s).
pub fn xlsx_400k_merges(path: &Path) {
    let merges: Vec<String> = (2..40_002)
        .flat_map(|r| (0..10).map(move |k| format!("{}{r}:{}{}", col(k), col(k + 1), r + 1)))
        .collect();
    let sheet = flat_list_with_merges(40_000, &merges);
    xlsx(
        path,
        &[("事業一覧".into(), sheet.as_str())],
        zip::CompressionMethod::Deflated,
    );
}

/// Not hostile: a flat list of 40,000 rows with 99,000 merged regions that do not overlap
/// (beside the table, two cells each), within the caps: it imports, the regions indexed.
pub fn xlsx_99k_merges(path: &Path) {
    let merges: Vec<String> = (2..11_002)
        .flat_map(|r| (0..9).map(move |k| format!("{}{r}:{}{r}", col(8 + 2 * k), col(9 + 2 * k))))
        .collect();
    let sheet = flat_list_with_merges(40_000, &merges);
    xlsx(
        path,
        &[("事業一覧".into(), sheet.as_str())],
        zip::CompressionMethod::Deflated,
    );
}

/// Column letters of a 0-based column.
pub fn col(c: usize) -> String {
    let mut c = c + 1;
    let mut out = Vec::new();
    while c > 0 {
        out.push(b'A' + ((c - 1) % 26) as u8);
        c = (c - 1) / 26;
    }
    out.reverse();
    String::from_utf8(out).unwrap()
}

/// Writes one hostile file.
pub type Build = fn(&Path);

/// Every hostile file of this module, by file name, for the corpus and for measuring.
pub fn all() -> Vec<(&'static str, Build)> {
    vec![
        ("cfb_directory_loop.xls", cfb_directory_loop),
        ("cfb_stream_loop.xls", cfb_stream_loop),
        ("encrypted.xlsx", encrypted_xlsx),
        (
            "encrypted_directory_loop.xlsx",
            encrypted_xlsx_directory_loop,
        ),
        ("xls_shared_string_bomb.xls", xls_shared_string_bomb),
        ("xls_far_apart.xls", xls_far_apart),
        ("ods_repeated_numbers.ods", ods_repeated_numbers),
        ("ods_repeated_strings.ods", ods_repeated_strings),
        ("ods_spaces.ods", ods_spaces),
        ("ods_far_apart.ods", ods_far_apart),
        (
            "xlsx_30_sheets_of_a_million.xlsx",
            xlsx_30_sheets_of_a_million,
        ),
        (
            "xlsx_30_sheets_default_level.xlsx",
            xlsx_30_sheets_default_level,
        ),
        ("xlsx_stored_cells.xlsx", xlsx_stored_cells),
        ("xlsx_400k_merges.xlsx", xlsx_400k_merges),
    ]
}
