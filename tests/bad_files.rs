//! Malformed and hostile files (issue 7): a corpus of workbooks, submissions and plan files that
//! `dxplan` must refuse (or read safely), each with a clear message naming the file, fast, within
//! a 1.5 GB address space, and leaving every file byte for byte as it was (hash before and after;
//! the plan also by its dump).
//!
//! The corpus is built into a temp dir by `build_corpus` (the committed hostile files of
//! tests/fixtures/bad/ are copied in), then `the_corpus` walks that directory: every file must
//! have an entry in `MANIFEST` (its command and expected outcome) and every entry a file.
//! Plan files that are read-only, on a read-only directory or mount, or locked by another
//! process have tests of their own below.

use crate::common;

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::Duration;

use common::hostile;
use common::legacy::*;
use common::*;
use sha2::{Digest, Sha256};

// ---------------------------------------------------------------------------------------------
// The manifest

#[derive(Clone, Copy, Debug, PartialEq)]
enum Cmd {
    /// `dxplan import PLAN FILE` (the plan is the sample).
    Import,
    /// `dxplan import PLAN FILE --dry-run`.
    ImportDry,
    /// `dxplan merge PLAN FILE` (the plan is the sample plan the submissions were exported from).
    Merge,
    /// The file is the plan: `dxplan dump FILE`, then `dxplan import FILE good.xlsx` (a write).
    Plan,
}

#[derive(Clone, Copy, Debug)]
enum Expect {
    /// Exit 2; stderr names the file and holds each keyword (any one of a `|`-separated list).
    Refused(&'static [&'static str]),
    /// Exit 0 (a dry run: the file is odd but readable).
    Read,
}

use Cmd::*;
use Expect::*;

/// Every file of the corpus: name, command, expected outcome.
const MANIFEST: &[(&str, Cmd, Expect)] = &[
    // Zips that are not (whole) workbooks
    (
        "truncated_half.xlsx",
        Import,
        Refused(&["壊れ|読めません|corrupt"]),
    ),
    (
        "truncated_tail.xlsx",
        Import,
        Refused(&["壊れ|読めません|corrupt"]),
    ),
    ("empty_zip.xlsx", Import, Refused(&[])),
    ("zip_not_a_workbook.xlsx", Import, Refused(&[])),
    ("no_workbook_part.xlsx", Import, Refused(&[])),
    ("garbage_sheet_xml.xlsx", Import, Refused(&[])),
    ("deflate_damaged.xlsx", Import, Refused(&[])),
    // Bombs and expansion
    ("zip_bomb.xlsx", Import, Refused(&["大きすぎ|too large"])),
    ("zip_bomb_lying.xlsx", Import, Refused(&[])),
    ("billion_laughs_shared_strings.xlsx", Import, Refused(&[])),
    ("billion_laughs_sheet.xlsx", Import, Refused(&[])),
    ("external_entity.xlsx", Import, Refused(&[])),
    (
        "huge_shared_string_count.xlsx",
        Import,
        Refused(&["sharedStrings"]),
    ),
    // Encryption and sheet types
    (
        "password.xlsx",
        Import,
        Refused(&["パスワード|password|暗号"]),
    ),
    (
        "chart_sheet_only.xlsx",
        Import,
        Refused(&["事業シート|project sheet"]),
    ),
    // Read sheet by sheet (dxplan's master workbook of a 10,000-project plan has as many), then
    // refused for holding no project.
    (
        "ten_thousand_empty_sheets.xlsx",
        Import,
        Refused(&["事業シートが 1 枚もありません|no project sheet"]),
    ),
    (
        "too_many_sheets.xlsx",
        Import,
        Refused(&["シート数|sheets"]),
    ),
    ("duplicate_sheet_names.xlsx", ImportDry, Read),
    // Dimensions
    (
        "absurd_used_range.xlsx",
        Import,
        Refused(&["使用範囲|used range"]),
    ),
    ("huge_dimension_tag.xlsx", ImportDry, Read),
    ("huge_merge.xlsx", ImportDry, Read),
    ("huge_row_number.xlsx", Import, Refused(&[])),
    ("huge_repeat.ods", Import, Refused(&[])),
    (
        "xls_far_cells.xls",
        Import,
        Refused(&["大きすぎ|too large"]),
    ),
    (
        "xls_huge_dimensions.xls",
        Import,
        Refused(&["大きすぎ|too large"]),
    ),
    // Encodings and formulas
    ("invalid_utf8_shared_strings.xlsx", Import, Refused(&[])),
    ("invalid_utf8_sheet.xlsx", Import, Refused(&[])),
    ("invalid_utf8_sheet_name.xlsx", Import, Refused(&[])),
    (
        "formulas_everywhere.xlsx",
        Import,
        Refused(&["様式|layout"]),
    ),
    ("deep_nesting.xlsx", Import, Refused(&[])),
    // Not workbooks at all
    (
        "empty.xlsx",
        Import,
        Refused(&["ブックではありません|not a workbook"]),
    ),
    (
        "csv_named.xlsx",
        Import,
        Refused(&["ブックではありません|not a workbook"]),
    ),
    (
        "html_named.xls",
        Import,
        Refused(&["ブックではありません|not a workbook"]),
    ),
    ("cfb_noise.xls", Import, Refused(&[])),
    // Issue 12: structures that made a reader allocate gigabytes (tests/common/hostile.rs; the
    // large ones, and the rest one by one, in tests/import_bad.rs)
    ("cfb_directory_loop.xls", Import, Refused(&["CFB"])),
    ("cfb_stream_loop.xls", Import, Refused(&["CFB"])),
    (
        "encrypted_cfb.xlsx",
        Import,
        Refused(&["パスワード|password"]),
    ),
    ("encrypted_directory_loop.xlsx", Import, Refused(&["CFB"])),
    ("xls_far_apart.xls", Import, Refused(&["5,000,000"])),
    ("ods_repeated_numbers.ods", Import, Refused(&["上限|limit"])),
    ("ods_repeated_strings.ods", Import, Refused(&["2,000,000"])),
    ("ods_spaces.ods", Import, Refused(&["256 MB"])),
    ("ods_far_apart.ods", Import, Refused(&["5,000,000"])),
    (
        "overlapping_merges.xlsx",
        Import,
        Refused(&["重なって|overlap"]),
    ),
    ("truncated.xls", Import, Refused(&[])),
    ("truncated.ods", Import, Refused(&[])),
    // Submissions that are not what merge takes
    (
        "master_as_submission.xlsx",
        Merge,
        Refused(&["全体版|master"]),
    ),
    (
        "legacy_as_submission.xlsx",
        Merge,
        Refused(&["dxplan import"]),
    ),
    ("tampered_meta.xlsx", Merge, Refused(&["_dxplan"])),
    (
        "other_plan_submission.xlsx",
        Merge,
        Refused(&["別の計画|another plan"]),
    ),
    // Plan files that are not (usable) plans
    (
        "text_file.dxplan",
        Plan,
        Refused(&["計画ファイルではありません|not a dxplan plan"]),
    ),
    (
        "empty.dxplan",
        Plan,
        Refused(&["計画ファイルではありません|not a dxplan plan"]),
    ),
    (
        "workbook_named.dxplan",
        Plan,
        Refused(&["計画ファイルではありません|not a dxplan plan"]),
    ),
    (
        "other_sqlite.dxplan",
        Plan,
        Refused(&["計画ファイルではありません|not a dxplan plan"]),
    ),
    (
        "newer_schema.dxplan",
        Plan,
        Refused(&["新しい版|newer dxplan"]),
    ),
    ("truncated_plan.dxplan", Plan, Refused(&[])),
];

// ---------------------------------------------------------------------------------------------
// Building the corpus

type Entries = Vec<(String, Vec<u8>)>;

fn unzip(path: &Path) -> Entries {
    use std::io::Read;
    let mut z = zip::ZipArchive::new(std::fs::File::open(path).unwrap()).unwrap();
    (0..z.len())
        .map(|i| {
            let mut f = z.by_index(i).unwrap();
            let mut buf = Vec::new();
            f.read_to_end(&mut buf).unwrap();
            (f.name().unwrap().to_string(), buf)
        })
        .collect()
}

fn zip_to(path: &Path, entries: &[(String, Vec<u8>)]) {
    let mut z = zip::ZipWriter::new(std::fs::File::create(path).unwrap());
    let opts = zip::write::SimpleFileOptions::default()
        .compression_method(zip::CompressionMethod::Deflated);
    for (name, data) in entries {
        z.start_file(name.as_str(), opts).unwrap();
        z.write_all(data).unwrap();
    }
    z.finish().unwrap();
}

fn text_of(e: &Entries, name: &str) -> String {
    String::from_utf8(
        e.iter()
            .find(|(n, _)| n == name)
            .unwrap_or_else(|| panic!("no {name}"))
            .1
            .clone(),
    )
    .unwrap()
}

fn put(e: &mut Entries, name: &str, data: Vec<u8>) {
    match e.iter_mut().find(|(n, _)| n == name) {
        Some(x) => x.1 = data,
        None => e.push((name.to_string(), data)),
    }
}

/// A good one-sheet legacy workbook (Onojo layout), edited part by part.
fn edited(src: &Path, out: &Path, f: impl FnOnce(&mut Entries)) {
    let mut e = unzip(src);
    f(&mut e);
    zip_to(out, &e);
}

const SHEET1: &str = "xl/worksheets/sheet1.xml";
const MAIN_NS: &str = "http://schemas.openxmlformats.org/spreadsheetml/2006/main";
const REL_NS: &str = "http://schemas.openxmlformats.org/officeDocument/2006/relationships";

/// A minimal .xlsx written part by part: `sheets` are (name, relationship type, part, XML).
fn minimal_xlsx(
    path: &Path,
    sheets: &[(String, &str, String, String)],
    extra: &[(&str, &str, String)],
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
    let mut parts: Entries = Vec::new();
    for (i, (name, kind, part, xml)) in sheets.iter().enumerate() {
        let ct = if *kind == "chartsheet" {
            "chartsheet"
        } else {
            "worksheet"
        };
        types.push_str(&format!(r#"<Override PartName="/xl/{part}" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.{ct}+xml"/>"#));
        wb.push_str(&format!(
            r#"<sheet name="{name}" sheetId="{}" r:id="rId{}"/>"#,
            i + 1,
            i + 1
        ));
        rels.push_str(&format!(
            r#"<Relationship Id="rId{}" Type="{REL_NS}/{kind}" Target="{part}"/>"#,
            i + 1
        ));
        parts.push((format!("xl/{part}"), xml.clone().into_bytes()));
    }
    for (i, (kind, part, xml)) in extra.iter().enumerate() {
        rels.push_str(&format!(
            r#"<Relationship Id="rIdX{i}" Type="{REL_NS}/{kind}" Target="{part}"/>"#
        ));
        if *kind == "sharedStrings" {
            types.push_str(&format!(r#"<Override PartName="/xl/{part}" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"/>"#));
        }
        parts.push((format!("xl/{part}"), xml.clone().into_bytes()));
    }
    types.push_str("</Types>");
    wb.push_str("</sheets></workbook>");
    rels.push_str("</Relationships>");
    let mut e: Entries = vec![
        ("[Content_Types].xml".into(), types.into_bytes()),
        ("_rels/.rels".into(), format!(r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="{REL_NS}/officeDocument" Target="xl/workbook.xml"/></Relationships>"#).into_bytes()),
        ("xl/workbook.xml".into(), wb.into_bytes()),
        ("xl/_rels/workbook.xml.rels".into(), rels.into_bytes()),
    ];
    e.extend(parts);
    zip_to(path, &e);
}

fn sheet_xml(body: &str) -> String {
    format!(
        r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?><worksheet xmlns="{MAIN_NS}" xmlns:r="{REL_NS}"><sheetData>{body}</sheetData></worksheet>"#
    )
}

const LAUGHS: &str = r#"<!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol1 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;"><!ENTITY lol2 "&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;"><!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;"><!ENTITY lol4 "&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;"><!ENTITY lol5 "&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;"><!ENTITY lol6 "&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;"><!ENTITY lol7 "&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;"><!ENTITY lol8 "&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;"><!ENTITY lol9 "&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;">]>"#;

/// Puts a DOCTYPE after the XML declaration of a part.
fn with_doctype(xml: &str, doctype: &str) -> String {
    match xml.find("?>") {
        Some(i) => format!("{}{doctype}{}", &xml[..i + 2], &xml[i + 2..]),
        None => format!("{doctype}{xml}"),
    }
}

/// Adds a row with an inline-string cell at the end of sheet1's data.
fn add_inline_row(xml: &str, row: u32, text: &str) -> String {
    xml.replacen("</sheetData>", &format!(r#"<row r="{row}"><c r="A{row}" t="inlineStr"><is><t>{text}</t></is></c></row></sheetData>"#), 1)
}

/// A copy of a .xls with one record of a worksheet substream changed by `patch` (the first it
/// accepts), patched in place in the file's bytes so that calamine's own CFB reader reads it.
fn xls_patched(src: &Path, out: &Path, patch: impl Fn(u16, &mut [u8]) -> bool) {
    use std::io::Read;
    let file = std::fs::read(src).unwrap();
    let mut stream = Vec::new();
    cfb::open(src)
        .unwrap()
        .open_stream("/Workbook")
        .unwrap()
        .read_to_end(&mut stream)
        .unwrap();
    let (mut i, mut globals_done) = (0, false);
    while i + 4 <= stream.len() {
        let typ = u16::from_le_bytes([stream[i], stream[i + 1]]);
        let len = u16::from_le_bytes([stream[i + 2], stream[i + 3]]) as usize;
        let record = &stream[i..i + 4 + len];
        if typ == 0x000A {
            globals_done = true;
        } else if globals_done {
            let mut changed = record.to_vec();
            // The record must lie whole and once in the file (not split across sectors).
            let at: Vec<usize> = file
                .windows(record.len())
                .enumerate()
                .filter(|(_, w)| *w == record)
                .map(|(k, _)| k)
                .collect();
            if at.len() == 1 && patch(typ, &mut changed[4..]) {
                let mut bytes = file.clone();
                bytes[at[0]..at[0] + changed.len()].copy_from_slice(&changed);
                write(out, &bytes);
                return;
            }
        }
        i += 4 + len;
    }
    panic!("no record to patch in {}", src.display());
}

/// The lying zip bomb of tests/import_bad.rs: local and central headers of the sheet declare
/// 4 KB while its deflate stream inflates to 1.1 GB.
fn lying_bomb(src: &Path, out: &Path) {
    let mut bytes = std::fs::read(src).unwrap();
    let name = b"xl/worksheets/sheet1.xml";
    let u16_at = |b: &[u8], i: usize| u16::from_le_bytes([b[i], b[i + 1]]) as usize;
    let mut i = 0;
    while i + 46 < bytes.len() {
        let sig = &bytes[i..i + 4];
        if sig == b"PK\x03\x04"
            && u16_at(&bytes, i + 26) == name.len()
            && &bytes[i + 30..i + 30 + name.len()] == name
        {
            bytes[i + 22..i + 26].copy_from_slice(&4096u32.to_le_bytes());
        } else if sig == b"PK\x01\x02"
            && u16_at(&bytes, i + 28) == name.len()
            && &bytes[i + 46..i + 46 + name.len()] == name
        {
            bytes[i + 24..i + 28].copy_from_slice(&4096u32.to_le_bytes());
        }
        i += 1;
    }
    write(out, &bytes);
}

/// Plans and workbooks the corpus cases use.
struct World {
    dir: tempfile::TempDir,
    /// The sample plan (its bytes are copied for every case).
    plan: PathBuf,
    /// A good legacy workbook (for writes into plan files).
    good: PathBuf,
}

fn world() -> World {
    let dir = tempfile::tempdir().unwrap();
    let plan = sample_plan(dir.path(), "sample.dxplan");
    let good = dir.path().join("good.xlsx");
    small_onojo(&good);
    World { dir, plan, good }
}

fn build_corpus(w: &World, out: &Path) {
    std::fs::create_dir_all(out).unwrap();
    let o = |n: &str| out.join(n);
    let good = &w.good;
    let good_bytes = std::fs::read(good).unwrap();

    write(
        &o("truncated_half.xlsx"),
        &good_bytes[..good_bytes.len() / 2],
    );
    write(
        &o("truncated_tail.xlsx"),
        &good_bytes[..good_bytes.len() - 30],
    );
    zip_to(&o("empty_zip.xlsx"), &[]);
    zip_to(
        &o("zip_not_a_workbook.xlsx"),
        &[("readme.txt".into(), "照会資料です。".as_bytes().to_vec())],
    );
    edited(good, &o("no_workbook_part.xlsx"), |e| {
        e.retain(|(n, _)| n != "xl/workbook.xml")
    });
    edited(good, &o("garbage_sheet_xml.xlsx"), |e| {
        put(e, SHEET1, b"<<<<not xml at all &&&".to_vec())
    });
    {
        // The central directory is fine, the deflate stream of the sheet is not.
        let mut bytes = good_bytes.clone();
        let mut z = zip::ZipArchive::new(std::io::Cursor::new(bytes.clone())).unwrap();
        let e = z.by_name(SHEET1).unwrap();
        let (start, len) = (
            e.data_start().unwrap() as usize,
            e.compressed_size() as usize,
        );
        drop(e);
        let junk = noise(len / 2, 42);
        bytes[start + len / 4..start + len / 4 + junk.len()].copy_from_slice(&junk);
        write(&o("deflate_damaged.xlsx"), &bytes);
    }

    let bomb = fixture("bad/zip_bomb.xlsx");
    std::fs::copy(&bomb, o("zip_bomb.xlsx")).unwrap();
    lying_bomb(&bomb, &o("zip_bomb_lying.xlsx"));
    edited(good, &o("billion_laughs_shared_strings.xlsx"), |e| {
        let sst = text_of(e, "xl/sharedStrings.xml");
        let sst = with_doctype(&sst, LAUGHS).replacen("<t>", "<t>&lol9;", 1);
        put(e, "xl/sharedStrings.xml", sst.into_bytes());
    });
    edited(good, &o("billion_laughs_sheet.xlsx"), |e| {
        let s = add_inline_row(&with_doctype(&text_of(e, SHEET1), LAUGHS), 900, "&lol9;");
        put(e, SHEET1, s.into_bytes());
    });
    edited(good, &o("external_entity.xlsx"), |e| {
        let doctype = r#"<!DOCTYPE x [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>"#;
        let s = add_inline_row(&with_doctype(&text_of(e, SHEET1), doctype), 900, "&xxe;");
        put(e, SHEET1, s.into_bytes());
    });
    edited(good, &o("huge_shared_string_count.xlsx"), |e| {
        let sst = text_of(e, "xl/sharedStrings.xml");
        let i = sst.find("<sst ").unwrap();
        let j = i + sst[i..].find('>').unwrap();
        let head = format!(r#"<sst xmlns="{MAIN_NS}" count="4294967295" uniqueCount="4294967295""#);
        put(
            e,
            "xl/sharedStrings.xml",
            format!("{}{head}{}", &sst[..i], &sst[j..]).into_bytes(),
        );
    });

    std::fs::copy(fixture("bad/password.xlsx"), o("password.xlsx")).unwrap();
    minimal_xlsx(
        &o("chart_sheet_only.xlsx"),
        &[(
            "グラフ".into(),
            "chartsheet",
            "chartsheets/sheet1.xml".into(),
            format!(
                r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?><chartsheet xmlns="{MAIN_NS}" xmlns:r="{REL_NS}"><sheetViews><sheetView workbookViewId="0"/></sheetViews></chartsheet>"#
            ),
        )],
        &[],
    );
    let empties: Vec<(String, &str, String, String)> = (1..=10_000)
        .map(|i| {
            (
                format!("S{i}"),
                "worksheet",
                format!("worksheets/sheet{i}.xml"),
                sheet_xml(""),
            )
        })
        .collect();
    minimal_xlsx(&o("ten_thousand_empty_sheets.xlsx"), &empties, &[]);
    let too_many: Vec<(String, &str, String, String)> = (1..=20_001)
        .map(|i| {
            (
                format!("S{i}"),
                "worksheet",
                format!("worksheets/sheet{i}.xml"),
                sheet_xml(""),
            )
        })
        .collect();
    minimal_xlsx(&o("too_many_sheets.xlsx"), &too_many, &[]);
    edited(good, &o("duplicate_sheet_names.xlsx"), |e| {
        // A second sheet entry of the same name pointing at the same part.
        let wb = text_of(e, "xl/workbook.xml");
        let i = wb.find("<sheet ").unwrap();
        let j = i + wb[i..].find("/>").unwrap() + 2;
        let dup = wb[i..j].replace("sheetId=\"1\"", "sheetId=\"2\"");
        put(
            e,
            "xl/workbook.xml",
            format!("{}{dup}{}", &wb[..j], &wb[j..]).into_bytes(),
        );
    });

    absurd_range(&o("absurd_used_range.xlsx"));
    edited(good, &o("huge_dimension_tag.xlsx"), |e| {
        let s = text_of(e, SHEET1);
        let i = s.find("<dimension ").unwrap();
        let j = i + s[i..].find("/>").unwrap() + 2;
        put(
            e,
            SHEET1,
            format!(r#"{}<dimension ref="A1:XFD1048576"/>{}"#, &s[..i], &s[j..]).into_bytes(),
        );
    });
    edited(good, &o("huge_merge.xlsx"), |e| {
        let s = text_of(e, SHEET1);
        let s = if s.contains("<mergeCells") {
            s.replacen(
                "</mergeCells>",
                r#"<mergeCell ref="A2000:XFD1048576"/></mergeCells>"#,
                1,
            )
        } else {
            s.replacen("</sheetData>", r#"</sheetData><mergeCells count="1"><mergeCell ref="A2000:XFD1048576"/></mergeCells>"#, 1)
        };
        put(e, SHEET1, s.into_bytes());
    });
    minimal_xlsx(
        &o("huge_row_number.xlsx"),
        &[(
            "取組".into(),
            "worksheet",
            "worksheets/sheet1.xml".into(),
            sheet_xml(
                r#"<row r="4294967295"><c r="A4294967295" t="inlineStr"><is><t>取組名</t></is></c><c r="ZZZZZZ4294967295" t="inlineStr"><is><t>x</t></is></c></row>"#,
            ),
        )],
        &[],
    );
    hostile::ods(
        &o("huge_repeat.ods"),
        r#"<table:table table:name="取組"><table:table-column table:number-columns-repeated="16384"/><table:table-row table:number-rows-repeated="1048575"><table:table-cell table:number-columns-repeated="16384"/></table:table-row><table:table-row><table:table-cell office:value-type="string"><text:p>取組名</text:p></table:table-cell><table:table-cell table:number-columns-repeated="16383" office:value-type="string"><text:p>x</text:p></table:table-cell></table:table-row></table:table>"#,
    );

    edited(good, &o("invalid_utf8_shared_strings.xlsx"), |e| {
        let mut sst = e
            .iter()
            .find(|(n, _)| n == "xl/sharedStrings.xml")
            .unwrap()
            .1
            .clone();
        let i = sst.windows(3).position(|w| w == b"<t>").unwrap() + 3;
        sst.splice(i..i, [0xFF, 0xFE, 0xC0, 0x80]);
        put(e, "xl/sharedStrings.xml", sst);
    });
    edited(good, &o("invalid_utf8_sheet.xlsx"), |e| {
        let s = add_inline_row(&text_of(e, SHEET1), 900, "BAD");
        let mut b = s.into_bytes();
        let i = b.windows(3).position(|w| w == b"BAD").unwrap();
        b.splice(i..i + 3, [0xE3, 0x81, 0xFF, 0xC3]);
        put(e, SHEET1, b);
    });
    edited(good, &o("invalid_utf8_sheet_name.xlsx"), |e| {
        let mut b = e
            .iter()
            .find(|(n, _)| n == "xl/workbook.xml")
            .unwrap()
            .1
            .clone();
        let i = b.windows(6).position(|w| w == b"name=\"").unwrap() + 6;
        b.splice(i..i, [0xFF, 0xFF, 0xE3, 0x81]);
        put(e, "xl/workbook.xml", b);
    });
    {
        // Every cell a formula, none with a cached value (a workbook saved by a tool that does
        // not calculate): nothing to read.
        let mut body = String::new();
        for r in 1..=60 {
            body.push_str(&format!(r#"<row r="{r}">"#));
            for c in ['A', 'B', 'C', 'D', 'E', 'F', 'G'] {
                body.push_str(&format!(r#"<c r="{c}{r}"><f>IF(ROW()&gt;1,INDIRECT("{c}"&amp;(ROW()-1)),"取組名")&amp;RAND()</f></c>"#));
            }
            body.push_str("</row>");
        }
        minimal_xlsx(
            &o("formulas_everywhere.xlsx"),
            &[(
                "取組1".into(),
                "worksheet",
                "worksheets/sheet1.xml".into(),
                sheet_xml(&body),
            )],
            &[],
        );
    }
    {
        let depth = 200_000;
        let body = format!(
            r#"<row r="1"><c r="A1" t="inlineStr"><is><t>取組名</t></is></c></row>{}{}"#,
            "<x>".repeat(depth),
            "</x>".repeat(depth)
        );
        minimal_xlsx(
            &o("deep_nesting.xlsx"),
            &[(
                "取組".into(),
                "worksheet",
                "worksheets/sheet1.xml".into(),
                sheet_xml(&body),
            )],
            &[],
        );
    }

    // .xls whose cell records or DIMENSIONS ask calamine for a grid of billions of cells.
    xls_patched(
        &fixture("legacy/onojo_legacy.xls"),
        &o("xls_far_cells.xls"),
        |typ, data| {
            if typ == 0x00FD {
                data[0..2].copy_from_slice(&65_000u16.to_le_bytes());
                data[2..4].copy_from_slice(&60_000u16.to_le_bytes());
                return true;
            }
            false
        },
    );
    xls_patched(
        &fixture("legacy/onojo_legacy.xls"),
        &o("xls_huge_dimensions.xls"),
        |typ, data| {
            if typ == 0x0200 && data.len() >= 14 {
                data[4..8].copy_from_slice(&0x7FFF_FFFFu32.to_le_bytes());
                data[10..12].copy_from_slice(&0x00FFu16.to_le_bytes());
                return true;
            }
            false
        },
    );

    write(&o("empty.xlsx"), b"");
    write(
        &o("csv_named.xlsx"),
        "事業名,担当課\nオンライン申請の拡充,ICT推進課\n".as_bytes(),
    );
    write(
        &o("html_named.xls"),
        b"<html><body><table><tr><td>not a workbook</td></tr></table></body></html>\n",
    );
    let mut cfb = vec![0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1];
    cfb.extend(noise(8192, 7));
    write(&o("cfb_noise.xls"), &cfb);
    for ext in ["xls", "ods"] {
        let b = std::fs::read(fixture(&format!("legacy/onojo_legacy.{ext}"))).unwrap();
        write(&o(&format!("truncated.{ext}")), &b[..b.len() / 2]);
    }
    hostile::cfb_directory_loop(&o("cfb_directory_loop.xls"));
    hostile::cfb_stream_loop(&o("cfb_stream_loop.xls"));
    hostile::encrypted_xlsx(&o("encrypted_cfb.xlsx"));
    hostile::encrypted_xlsx_directory_loop(&o("encrypted_directory_loop.xlsx"));
    hostile::xls_far_apart(&o("xls_far_apart.xls"));
    hostile::ods_repeated_numbers(&o("ods_repeated_numbers.ods"));
    hostile::ods_repeated_strings(&o("ods_repeated_strings.ods"));
    hostile::ods_spaces(&o("ods_spaces.ods"));
    hostile::ods_far_apart(&o("ods_far_apart.ods"));
    edited(good, &o("overlapping_merges.xlsx"), |e| {
        let s = text_of(e, SHEET1);
        let two = r#"<mergeCell ref="X1:Z3"/><mergeCell ref="Y3:AA4"/>"#;
        let s = if s.contains("</mergeCells>") {
            s.replacen("</mergeCells>", &format!("{two}</mergeCells>"), 1)
        } else {
            s.replacen(
                "</sheetData>",
                &format!("</sheetData><mergeCells>{two}</mergeCells>"),
                1,
            )
        };
        put(e, SHEET1, s.into_bytes());
    });

    // Submissions: exports of the sample plan (the plan every merge case runs against).
    let units = dump(&w.plan)["org_units"]
        .as_array()
        .unwrap()
        .iter()
        .map(|u| u["name"].as_str().unwrap().to_string())
        .collect::<Vec<_>>();
    units
        .iter()
        .find(|u| {
            dxplan(&[
                "export",
                p(&w.plan),
                "--department",
                u,
                "-o",
                p(&o("tampered_meta.xlsx")),
            ])
            .ok()
        })
        .expect("a department to export");
    edited(&o("tampered_meta.xlsx"), &o("tampered_meta.xlsx"), |e| {
        // The hidden sheet 「_dxplan」 ends with its digest: flip a hex digit of it. Its cells
        // are inline strings (a streamed sheet, issue 18), in the part that names the format.
        let part = e
            .iter()
            .find(|(n, b)| {
                n.starts_with("xl/worksheets/sheet")
                    && String::from_utf8_lossy(b).contains("dxplan-export")
            })
            .map(|(n, _)| n.clone())
            .expect("the hidden sheet's part");
        let xml = text_of(e, &part);
        let i = xml.rfind("</t>").unwrap();
        let mut b = xml.into_bytes();
        b[i - 1] = if b[i - 1] == b'0' { b'1' } else { b'0' };
        put(e, &part, b);
    });
    dxplan(&[
        "export",
        p(&w.plan),
        "-o",
        p(&o("master_as_submission.xlsx")),
    ])
    .expect_ok("export master");
    std::fs::copy(good, o("legacy_as_submission.xlsx")).unwrap();
    {
        // A department workbook of another plan (a generated one: the sample's plan id is fixed).
        let other = w.dir.path().join("other.dxplan");
        if !other.exists() {
            dxplan(&["generate", p(&other), "--projects", "12"]).expect_ok("another plan");
        }
        dxplan(&[
            "export",
            p(&other),
            "--department",
            "デジタル推進課",
            "-o",
            p(&o("other_plan_submission.xlsx")),
        ])
        .expect_ok("export other");
    }

    // Plan files.
    write(
        &o("text_file.dxplan"),
        "これは計画ファイルではありません。\nメモ\n".as_bytes(),
    );
    write(&o("empty.dxplan"), b"");
    std::fs::copy(good, o("workbook_named.dxplan")).unwrap();
    {
        let c = rusqlite::Connection::open(o("other_sqlite.dxplan")).unwrap();
        c.execute_batch("CREATE TABLE t (x); INSERT INTO t VALUES (1);")
            .unwrap();
    }
    std::fs::copy(&w.plan, o("newer_schema.dxplan")).unwrap();
    {
        let c = rusqlite::Connection::open(o("newer_schema.dxplan")).unwrap();
        c.pragma_update(None, "user_version", 99).unwrap();
    }
    let plan_bytes = std::fs::read(&w.plan).unwrap();
    write(
        &o("truncated_plan.dxplan"),
        &plan_bytes[..plan_bytes.len() / 3],
    );
}

// ---------------------------------------------------------------------------------------------
// Running a case

fn sha(path: &Path) -> Option<String> {
    std::fs::read(path)
        .ok()
        .map(|b| format!("{:x}", Sha256::digest(&b)))
}

/// The same command under a 1.5 GB address-space limit and a time limit.
fn capped(args: &[&str]) -> Run {
    let mut cmd = Command::new("sh");
    cmd.arg("-c")
        .arg("ulimit -v 1500000 && exec \"$0\" \"$@\"")
        .arg(exe())
        .args(args);
    run_cmd(cmd, Duration::from_secs(60))
}

fn check_refused(r: &Run, what: &str, names: &str, keywords: &[&str]) {
    assert!(!r.timed_out, "{what}: still running after 60 s");
    assert_eq!(
        r.code,
        Some(2),
        "{what}: exit {:?} (an abort means it tried to allocate)\n--- stderr\n{}\n--- stdout\n{}",
        r.code,
        r.stderr,
        tail(&r.stdout, 2000)
    );
    assert!(
        r.stderr.contains(names),
        "{what}: stderr does not name {names}:\n{}",
        r.stderr
    );
    for k in keywords {
        assert!(
            k.split('|').any(|k| r.stderr.contains(k)),
            "{what}: stderr mentions none of 「{k}」:\n{}",
            r.stderr
        );
    }
    assert!(
        !r.stderr.contains("panicked"),
        "{what}: a panic:\n{}",
        r.stderr
    );
}

fn run_case(w: &World, corpus: &Path, name: &str, cmd: Cmd, expect: Expect) {
    let file = corpus.join(name);
    let work = tempfile::tempdir().unwrap();
    let plan = work.path().join("plan.dxplan");
    std::fs::copy(&w.plan, &plan).unwrap();
    let file_hash = sha(&file);
    let what = format!("{name} ({cmd:?})");
    // A guard against a hang or a bomb that is only slowed down, not a speed target (a debug
    // build on a loaded 2-core CI took 20 s for 10,000 empty sheets; the run is killed at 60 s).
    let limit = Duration::from_secs(45);
    match cmd {
        Import | ImportDry | Merge => {
            let before = snapshot(&plan);
            let mut args = vec![
                if cmd == Merge { "merge" } else { "import" },
                p(&plan),
                p(&file),
            ];
            if cmd == ImportDry {
                args.push("--dry-run");
            }
            let r = capped(&args);
            eprintln!(
                "{what}: exit {:?} in {:?}: {}",
                r.code,
                r.elapsed,
                r.stderr.trim()
            );
            match expect {
                Refused(k) => check_refused(&r, &what, name, k),
                Read => {
                    assert!(r.ok(), "{what}: exit {:?}\n{}", r.code, r.stderr);
                    assert!(
                        !r.stdout.contains("root:x:0"),
                        "{what}: an external entity was read"
                    );
                }
            }
            assert!(r.elapsed < limit, "{what}: took {:?}", r.elapsed);
            assert_unchanged(&before, &plan, &what);
        }
        Plan => {
            // Read, then a write: both refused, the file untouched.
            for args in [vec!["dump", p(&file)], vec!["import", p(&file), p(&w.good)]] {
                let r = capped(&args);
                eprintln!("{what} {}: exit {:?}: {}", args[0], r.code, r.stderr.trim());
                match expect {
                    Refused(k) => check_refused(&r, &format!("{what} {}", args[0]), name, k),
                    Read => assert!(r.ok(), "{what}: {}", r.stderr),
                }
                assert!(r.elapsed < limit, "{what}: took {:?}", r.elapsed);
                assert_eq!(
                    sha(&file),
                    file_hash,
                    "{what} {}: the plan file changed",
                    args[0]
                );
            }
        }
    }
    assert_eq!(sha(&file), file_hash, "{what}: the input file changed");
}

/// Walks the corpus: every file has an expected outcome, every expectation a file.
#[test]
fn the_corpus() {
    let w = world();
    let corpus = w.dir.path().join("corpus");
    build_corpus(&w, &corpus);
    let files: Vec<String> = inputs(&corpus);
    let names: Vec<&str> = MANIFEST.iter().map(|m| m.0).collect();
    for f in &files {
        assert!(
            names.contains(&f.as_str()),
            "corpus file {f} has no entry in MANIFEST"
        );
    }
    for n in &names {
        assert!(
            files.iter().any(|f| f == n),
            "MANIFEST names {n}, which the corpus does not hold"
        );
    }
    assert!(files.len() >= 30, "{} files", files.len());
    // Independent cases on two threads (CI has two cores); every failure is reported.
    let failed = std::sync::Mutex::new(Vec::new());
    let next = std::sync::atomic::AtomicUsize::new(0);
    std::thread::scope(|s| {
        for _ in 0..2 {
            s.spawn(|| loop {
                let i = next.fetch_add(1, std::sync::atomic::Ordering::SeqCst);
                let Some(&(name, cmd, expect)) = MANIFEST.get(i) else {
                    break;
                };
                if std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
                    run_case(&w, &corpus, name, cmd, expect)
                }))
                .is_err()
                {
                    failed.lock().unwrap().push(name);
                }
            });
        }
    });
    let failed = failed.into_inner().unwrap();
    assert!(
        failed.is_empty(),
        "{} case(s) failed (messages above): {failed:?}",
        failed.len()
    );
}

fn inputs(dir: &Path) -> Vec<String> {
    let mut v: Vec<String> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    v.sort();
    v
}

// ---------------------------------------------------------------------------------------------
// Plan files that cannot be written: read-only, on a read-only folder or drive, locked

#[cfg(unix)]
mod access {
    use super::*;
    use std::os::unix::fs::PermissionsExt;
    use std::os::unix::process::CommandExt;

    const NOBODY: u32 = 65534;

    fn is_root() -> bool {
        // The owner of a file this process just made.
        let f = tempfile::NamedTempFile::new().unwrap();
        std::os::unix::fs::MetadataExt::uid(&f.as_file().metadata().unwrap()) == 0
    }

    fn chown(path: &Path, uid: u32) {
        std::os::unix::fs::chown(path, Some(uid), Some(uid)).unwrap();
    }

    fn chmod(path: &Path, mode: u32) {
        std::fs::set_permissions(path, std::fs::Permissions::from_mode(mode)).unwrap();
    }

    /// Runs dxplan as an ordinary user: root ignores file permissions, a person at a desk does
    /// not. When the tests run as root the command runs as `nobody`.
    fn as_user(args: &[&str]) -> Run {
        let mut cmd = Command::new(exe());
        cmd.args(args);
        if is_root() {
            cmd.uid(NOBODY).gid(NOBODY);
        }
        run_cmd(cmd, Duration::from_secs(60))
    }

    /// A directory an ordinary user can reach, holding a copy of the sample plan and a workbook.
    fn setup() -> (tempfile::TempDir, PathBuf, PathBuf, PathBuf) {
        let w = world();
        let top = tempfile::tempdir().unwrap();
        chmod(top.path(), 0o755);
        let dir = top.path().join("課の共有");
        std::fs::create_dir(&dir).unwrap();
        let plan = dir.join("計画.dxplan");
        std::fs::copy(&w.plan, &plan).unwrap();
        let good = top.path().join("good.xlsx");
        std::fs::copy(&w.good, &good).unwrap();
        chmod(&good, 0o644);
        if is_root() {
            chown(&dir, NOBODY);
            chown(&plan, NOBODY);
        }
        (top, dir, plan, good)
    }

    fn refused_write(plan: &Path, good: &Path, what: &str) {
        let hash = sha(plan);
        // Accepting every change, so that the import has something to write.
        let r = as_user(&["import", p(plan), p(good), "--accept", "all"]);
        check_refused(
            &r,
            what,
            "計画.dxplan",
            &["読み取り専用|書き込めません|read-only|開けません|cannot open|cannot access"],
        );
        assert_eq!(sha(plan), hash, "{what}: the plan file changed");
    }

    /// chmod 444 on the plan: reading works, a write is refused with a clear message.
    #[test]
    fn a_read_only_plan_file() {
        let (_top, _dir, plan, good) = setup();
        chmod(&plan, 0o444);
        let before = sha(&plan);
        let r = as_user(&["dump", p(&plan)]);
        assert!(r.ok(), "a read-only plan can be read: {}", r.stderr);
        refused_write(&plan, &good, "read-only plan file");
        assert_eq!(sha(&plan), before);
    }

    /// The plan's folder is read-only (a shared folder the user may only read): SQLite cannot
    /// create the -wal and -shm files beside the plan.
    #[test]
    fn a_plan_in_a_read_only_folder() {
        let (_top, dir, plan, good) = setup();
        chmod(&dir, 0o555);
        let before = sha(&plan);
        let r = as_user(&["dump", p(&plan)]);
        if !r.ok() {
            check_refused(&r, "dump in a read-only folder", "計画.dxplan", &[]);
        }
        refused_write(&plan, &good, "plan in a read-only folder");
        assert_eq!(sha(&plan), before);
        let left: Vec<_> = std::fs::read_dir(&dir)
            .unwrap()
            .map(|e| e.unwrap().file_name())
            .collect();
        assert_eq!(
            left.len(),
            1,
            "files appeared in the read-only folder: {left:?}"
        );
        chmod(&dir, 0o755);
    }

    /// A read-only mount (a write-protected USB stick, a read-only share): refused for root too.
    #[test]
    fn a_plan_on_a_read_only_drive() {
        if !is_root() {
            eprintln!("not root: cannot mount; the read-only file and folder tests cover this");
            return;
        }
        let w = world();
        let mnt = w.dir.path().join("usb");
        std::fs::create_dir(&mnt).unwrap();
        let mounted = Command::new("mount")
            .args(["-t", "tmpfs", "-o", "size=8m", "tmpfs", p(&mnt)])
            .stderr(std::process::Stdio::null())
            .status()
            .is_ok_and(|s| s.success());
        if !mounted {
            eprintln!("mount not permitted here; skipped");
            return;
        }
        struct Unmount(PathBuf);
        impl Drop for Unmount {
            fn drop(&mut self) {
                let _ = Command::new("umount").arg("-l").arg(&self.0).status();
            }
        }
        let _guard = Unmount(mnt.clone());
        let plan = mnt.join("計画.dxplan");
        std::fs::copy(&w.plan, &plan).unwrap();
        assert!(Command::new("mount")
            .args(["-o", "remount,ro", p(&mnt)])
            .status()
            .unwrap()
            .success());
        let before = sha(&plan);
        let r = dxplan(&["import", p(&plan), p(&w.good)]);
        check_refused(
            &r,
            "plan on a read-only drive",
            "計画.dxplan",
            &["読み取り専用|書き込めません|read-only|開けません|cannot open|cannot access"],
        );
        assert_eq!(sha(&plan), before);
    }

    /// Another process holds a write transaction on the plan: a write waits 5 s (busy_timeout),
    /// then is refused saying the plan is in use; a read goes on meanwhile (WAL); the plan is
    /// untouched.
    #[test]
    fn a_plan_locked_by_another_process() {
        let w = world();
        let work = tempfile::tempdir().unwrap();
        let plan = work.path().join("計画.dxplan");
        std::fs::copy(&w.plan, &plan).unwrap();
        let before = snapshot(&plan);
        let holder = rusqlite::Connection::open(&plan).unwrap();
        holder
            .execute_batch("BEGIN IMMEDIATE; UPDATE plan SET title = title || '（編集中）';")
            .unwrap();
        let r = dxplan(&["dump", p(&plan), "--compact"]);
        assert!(r.ok(), "a read while another process writes: {}", r.stderr);
        let r = dxplan(&["import", p(&plan), p(&w.good), "--accept", "all"]);
        check_refused(&r, "locked plan", "計画.dxplan", &["使用中|in use"]);
        assert!(
            r.elapsed >= Duration::from_secs(4),
            "gave up after {:?} instead of waiting",
            r.elapsed
        );
        holder.execute_batch("ROLLBACK").unwrap();
        drop(holder);
        assert_unchanged(&before, &plan, "locked plan");
    }

    /// An exclusive lock (another program opened the plan in exclusive mode): even a read waits,
    /// then says the plan is in use.
    #[test]
    fn a_plan_locked_exclusively() {
        let w = world();
        let work = tempfile::tempdir().unwrap();
        let plan = work.path().join("計画.dxplan");
        std::fs::copy(&w.plan, &plan).unwrap();
        let hash = sha(&plan);
        let holder = rusqlite::Connection::open(&plan).unwrap();
        holder
            .execute_batch(
                "PRAGMA locking_mode = EXCLUSIVE; BEGIN EXCLUSIVE; UPDATE plan SET title = title;",
            )
            .unwrap();
        let r = dxplan(&["dump", p(&plan)]);
        check_refused(
            &r,
            "exclusively locked plan",
            "計画.dxplan",
            &["使用中|in use"],
        );
        holder.execute_batch("ROLLBACK").unwrap();
        drop(holder);
        assert_eq!(sha(&plan), hash);
        dxplan(&["dump", p(&plan)]).expect_ok("dump after the lock is gone");
    }
}
