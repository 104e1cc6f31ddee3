//! `dxplan import` refuses what it cannot read: exit 2, a message on stderr naming the file (and
//! the sheet where there is one), the plan unchanged byte for byte, and hostile files (a zip
//! bomb, an absurd used range) refused fast without allocating gigabytes.

use crate::common;

use std::io::Write;

use common::hostile;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::Duration;

use common::legacy::*;
use common::*;

/// A plan with content (the bundled sample: built without the importer).
fn plan_in(dir: &Path) -> PathBuf {
    sample_plan(dir, "onojo.dxplan")
}

fn file_name(f: &Path) -> String {
    f.file_name().unwrap().to_string_lossy().into_owned()
}

/// Runs `dxplan import PLAN FILES… extra`, expects exit 2 with every file of `named` (by file
/// name) and every string of `also` on stderr, and the plan unchanged.
fn assert_refused(
    plan: &Path,
    files: &[&Path],
    extra: &[&str],
    named: &[&Path],
    also: &[&str],
) -> Run {
    let before = snapshot(plan);
    let r = import(plan, files, extra);
    let what = format!(
        "import {:?} {extra:?}",
        files.iter().map(|f| file_name(f)).collect::<Vec<_>>()
    );
    assert_eq!(
        r.code,
        Some(2),
        "{what}: exit {:?}, want 2\n--- stderr\n{}\n--- stdout\n{}",
        r.code,
        r.stderr,
        tail(&r.stdout, 3000)
    );
    for f in named {
        assert!(
            r.stderr.contains(&file_name(f)),
            "{what}: stderr does not name {}:\n{}",
            file_name(f),
            r.stderr
        );
    }
    for s in also {
        assert!(
            r.stderr.contains(s),
            "{what}: stderr does not mention 「{s}」:\n{}",
            r.stderr
        );
    }
    assert_unchanged(&before, plan, &what);
    r
}

fn refused(plan: &Path, file: &Path) -> Run {
    assert_refused(plan, &[file], &[], &[file], &[])
}

/// The same command under a 1.5 GB address-space limit (`ulimit -v`) and a time limit: a reader
/// that inflates a bomb or allocates an absurd range aborts or times out instead of passing.
fn capped(args: &[&str]) -> Run {
    let mut cmd = Command::new("sh");
    cmd.arg("-c")
        .arg("ulimit -v 1500000 && exec \"$0\" \"$@\"")
        .arg(exe())
        .args(args);
    run_cmd(cmd, Duration::from_secs(60))
}

const FAST: Duration = Duration::from_secs(10);

#[test]
fn a_text_file_named_xlsx() {
    let dir = tempfile::tempdir().unwrap();
    let plan = plan_in(dir.path());
    let f = dir.path().join("事業一覧.xlsx");
    write(
        &f,
        "事業名,担当課\nオンライン申請の拡充,ICT推進課\n".as_bytes(),
    );
    refused(&plan, &f);
}

#[test]
fn a_text_file_named_xls_and_ods() {
    let dir = tempfile::tempdir().unwrap();
    let plan = plan_in(dir.path());
    for name in ["memo.xls", "memo.ods", "memo.xlsm"] {
        let f = dir.path().join(name);
        write(&f, b"<html><body>not a workbook</body></html>\n");
        refused(&plan, &f);
    }
}

#[test]
fn an_empty_file() {
    let dir = tempfile::tempdir().unwrap();
    let plan = plan_in(dir.path());
    let f = dir.path().join("空.xlsx");
    write(&f, b"");
    refused(&plan, &f);
}

#[test]
fn a_missing_file() {
    let dir = tempfile::tempdir().unwrap();
    let plan = plan_in(dir.path());
    let f = dir.path().join("ない.xlsx");
    refused(&plan, &f);
}

#[test]
fn a_truncated_xlsx() {
    let dir = tempfile::tempdir().unwrap();
    let plan = plan_in(dir.path());
    let full = dir.path().join("full.xlsx");
    onojo_legacy(&full);
    let bytes = std::fs::read(&full).unwrap();
    let f = dir.path().join("途中まで.xlsx");
    write(&f, &bytes[..bytes.len() / 2]);
    refused(&plan, &f);
}

#[test]
fn truncated_xls_and_ods() {
    let dir = tempfile::tempdir().unwrap();
    let plan = plan_in(dir.path());
    for ext in ["xls", "ods"] {
        let bytes = std::fs::read(fixture(&format!("legacy/onojo_legacy.{ext}")))
            .expect("committed fixture (scripts/make-fixtures.sh)");
        let f = dir.path().join(format!("途中まで.{ext}"));
        write(&f, &bytes[..bytes.len() / 2]);
        refused(&plan, &f);
    }
}

#[test]
fn a_corrupt_zip() {
    let dir = tempfile::tempdir().unwrap();
    let plan = plan_in(dir.path());
    let f = dir.path().join("壊れた.xlsx");
    let mut bytes = b"PK\x03\x04".to_vec();
    bytes.extend(noise(8192, 0x9E37_79B9_7F4A_7C15));
    write(&f, &bytes);
    refused(&plan, &f);
}

/// A well-formed zip whose sheet data is damaged (the central directory is fine, the deflate
/// stream of xl/worksheets/sheet1.xml is not).
#[test]
fn a_workbook_with_damaged_sheet_data() {
    let dir = tempfile::tempdir().unwrap();
    let plan = plan_in(dir.path());
    let good = dir.path().join("good.xlsx");
    small_onojo(&good);
    let mut bytes = std::fs::read(&good).unwrap();
    let (start, len) = {
        let mut z = zip::ZipArchive::new(std::io::Cursor::new(bytes.clone())).unwrap();
        let e = z.by_name("xl/worksheets/sheet1.xml").unwrap();
        (
            e.data_start().expect("data start") as usize,
            e.compressed_size() as usize,
        )
    };
    assert!(len > 64, "sheet data to damage");
    let junk = noise(len / 2, 42);
    bytes[start + len / 4..start + len / 4 + junk.len()].copy_from_slice(&junk);
    let f = dir.path().join("壊れたシート.xlsx");
    write(&f, &bytes);
    refused(&plan, &f);
}

/// A valid zip that is not a workbook (no [Content_Types].xml, no xl/workbook.xml).
#[test]
fn a_zip_that_is_not_a_workbook() {
    let dir = tempfile::tempdir().unwrap();
    let plan = plan_in(dir.path());
    let f = dir.path().join("資料一式.xlsx");
    let mut z = zip::ZipWriter::new(std::fs::File::create(&f).unwrap());
    let opts =
        zip::write::SimpleFileOptions::default().compression_method(zip::CompressionMethod::Stored);
    z.start_file("readme.txt", opts).unwrap();
    z.write_all("照会資料です。".as_bytes()).unwrap();
    z.finish().unwrap();
    refused(&plan, &f);
}

#[test]
fn a_password_protected_workbook() {
    let dir = tempfile::tempdir().unwrap();
    let plan = plan_in(dir.path());
    let f = fixture("bad/password.xlsx");
    assert!(f.exists(), "run scripts/make-fixtures.sh");
    let r = refused(&plan, &f);
    let e = r.stderr.to_lowercase();
    assert!(
        e.contains("パスワード") || e.contains("password") || e.contains("暗号"),
        "says the workbook is protected:\n{}",
        r.stderr
    );
}

/// The sheet XML of this workbook inflates to 1.1 GB (1 MB on disk). The import must refuse it
/// quickly, within a 1.5 GB address space.
#[test]
#[cfg(unix)]
fn a_zip_bomb_is_refused_fast() {
    let dir = tempfile::tempdir().unwrap();
    let plan = plan_in(dir.path());
    let f = fixture("bad/zip_bomb.xlsx");
    assert!(f.exists(), "run scripts/make-fixtures.sh");
    assert!(
        std::fs::metadata(&f).unwrap().len() < 4 * 1024 * 1024,
        "small on disk"
    );
    // Control: the cap does not break an ordinary run.
    capped(&["dump", p(&plan)]).expect_ok("dump under the memory cap");
    let before = snapshot(&plan);
    let r = capped(&["import", p(&plan), p(&f)]);
    assert!(!r.timed_out, "zip bomb: still running after 60 s");
    assert_eq!(
        r.code,
        Some(2),
        "zip bomb: exit {:?} (an abort means it tried to allocate); stderr:\n{}",
        r.code,
        r.stderr
    );
    assert!(
        r.elapsed < FAST,
        "zip bomb: refused after {:?}, not fast",
        r.elapsed
    );
    assert!(
        r.stderr.contains("zip_bomb.xlsx"),
        "names the file:\n{}",
        r.stderr
    );
    assert_unchanged(&before, &plan, "zip bomb");
}

/// A project sheet with one more cell at XFD1048576: a used range of 17 billion cells.
#[test]
#[cfg(unix)]
fn an_absurd_used_range_is_refused_fast() {
    let dir = tempfile::tempdir().unwrap();
    let plan = plan_in(dir.path());
    let f = dir.path().join("巨大範囲.xlsx");
    absurd_range(&f);
    capped(&["dump", p(&plan)]).expect_ok("dump under the memory cap");
    let before = snapshot(&plan);
    let r = capped(&["import", p(&plan), p(&f)]);
    assert!(!r.timed_out, "absurd range: still running after 60 s");
    assert_eq!(
        r.code,
        Some(2),
        "absurd range: exit {:?}; stderr:\n{}\nstdout:\n{}",
        r.code,
        r.stderr,
        tail(&r.stdout, 2000)
    );
    assert!(
        r.elapsed < FAST,
        "absurd range: refused after {:?}",
        r.elapsed
    );
    assert!(
        r.stderr.contains("巨大範囲.xlsx"),
        "names the file:\n{}",
        r.stderr
    );
    assert_unchanged(&before, &plan, "absurd range");
}

/// A workbook whose only sheet is in no known layout: the message names the file and the sheet.
#[test]
fn a_sheet_in_no_known_layout() {
    let dir = tempfile::tempdir().unwrap();
    let plan = plan_in(dir.path());
    let f = dir.path().join("会議室.xlsx");
    no_layout(&f);
    assert_refused(&plan, &[&f], &[], &[&f], &[NO_LAYOUT_SHEET]);
    assert_refused(&plan, &[&f], &["--json"], &[&f], &[NO_LAYOUT_SHEET]);
}

/// One transaction for all files: a bad file after a good one leaves the plan unchanged (the
/// good file's projects are not applied), in a real run and in a dry run.
#[test]
fn a_bad_file_among_good_ones_changes_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let plan = new_plan(dir.path(), "empty.dxplan", "2022-2025");
    let good = dir.path().join("onojo_legacy.xlsx");
    onojo_legacy(&good);
    let bad = dir.path().join("不正.xlsx");
    write(&bad, b"not a workbook");
    assert_refused(&plan, &[&good, &bad], &[], &[&bad], &[]);
    assert_eq!(
        projects(&dump(&plan)).len(),
        0,
        "nothing of onojo_legacy.xlsx applied"
    );
    assert_refused(
        &plan,
        &[&good, &bad],
        &["--dry-run", "--json"],
        &[&bad],
        &[],
    );
    let nolayout = dir.path().join("会議室.xlsx");
    no_layout(&nolayout);
    assert_refused(
        &plan,
        &[&good, &nolayout],
        &["--json"],
        &[&nolayout],
        &[NO_LAYOUT_SHEET],
    );
    assert_eq!(projects(&dump(&plan)).len(), 0);
}

/// A plan that is not a plan is not touched either.
#[test]
fn importing_into_a_file_that_is_not_a_plan() {
    let dir = tempfile::tempdir().unwrap();
    let good = dir.path().join("onojo_legacy.xlsx");
    onojo_legacy(&good);
    let not_plan = dir.path().join("メモ.dxplan");
    write(&not_plan, "これは計画ファイルではありません".as_bytes());
    let before = std::fs::read(&not_plan).unwrap();
    let r = import(&not_plan, &[&good], &[]);
    assert_eq!(r.code, Some(2), "stderr:\n{}", r.stderr);
    assert!(
        r.stderr.contains("メモ.dxplan"),
        "names the plan:\n{}",
        r.stderr
    );
    assert_eq!(std::fs::read(&not_plan).unwrap(), before);
}

/// The same bomb with headers that lie: local and central directory entries of the sheet declare
/// 4 KB while its deflate stream still inflates to 1.1 GB. A size cap that trusts declarations
/// passes it; the reader must still stop at the declared size (or the cap) and fail fast.
#[test]
#[cfg(unix)]
fn a_zip_bomb_that_lies_about_its_size_is_refused_fast() {
    let dir = tempfile::tempdir().unwrap();
    let plan = plan_in(dir.path());
    let mut bytes =
        std::fs::read(fixture("bad/zip_bomb.xlsx")).expect("run scripts/make-fixtures.sh");
    let name = b"xl/worksheets/sheet1.xml";
    let u16_at = |b: &[u8], i: usize| u16::from_le_bytes([b[i], b[i + 1]]) as usize;
    let mut patched = 0;
    let mut i = 0;
    while i + 46 < bytes.len() {
        let sig = &bytes[i..i + 4];
        if sig == b"PK\x03\x04"
            && u16_at(&bytes, i + 26) == name.len()
            && &bytes[i + 30..i + 30 + name.len()] == name
        {
            bytes[i + 22..i + 26].copy_from_slice(&4096u32.to_le_bytes());
            patched += 1;
        } else if sig == b"PK\x01\x02"
            && u16_at(&bytes, i + 28) == name.len()
            && &bytes[i + 46..i + 46 + name.len()] == name
        {
            bytes[i + 24..i + 28].copy_from_slice(&4096u32.to_le_bytes());
            patched += 1;
        }
        i += 1;
    }
    assert_eq!(patched, 2, "local and central headers of the sheet found");
    let f = dir.path().join("lying_bomb.xlsx");
    write(&f, &bytes);
    let before = snapshot(&plan);
    let r = capped(&["import", p(&plan), p(&f)]);
    assert!(!r.timed_out, "lying zip bomb: still running after 60 s");
    assert_eq!(
        r.code,
        Some(2),
        "lying zip bomb: exit {:?} (an abort means it tried to allocate); stderr:\n{}",
        r.code,
        r.stderr
    );
    assert!(
        r.elapsed < FAST,
        "lying zip bomb: refused after {:?}, not fast",
        r.elapsed
    );
    assert!(
        r.stderr.contains("lying_bomb.xlsx"),
        "names the file:\n{}",
        r.stderr
    );
    assert_unchanged(&before, &plan, "lying zip bomb");
}

// ---------------------------------------------------------------------------------------------
// Hostile input of issue 12: each file is built here (tests/common/hostile.rs), small on disk;
// each was read until it allocated gigabytes. Now each is refused before that allocation, under
// the 1.5 GB address-space cap of `capped`, with the file and the cap (or the broken structure)
// named, and the plan left as it was. Time and peak memory of the release build: scripts/hostile.sh.

/// Builds `name` with `build`, imports it under the memory cap and expects a refusal naming the
/// file and mentioning each of `also` (any one of a `|`-separated list).
#[cfg(unix)]
fn hostile_refused(name: &str, build: fn(&Path), also: &[&str]) -> Run {
    let dir = tempfile::tempdir().unwrap();
    let plan = plan_in(dir.path());
    let f = dir.path().join(name);
    build(&f);
    let before = snapshot(&plan);
    let r = capped(&["import", p(&plan), p(&f)]);
    assert!(!r.timed_out, "{name}: still running after 60 s");
    assert_eq!(
        r.code,
        Some(2),
        "{name}: exit {:?} (an abort means it tried to allocate); stderr:\n{}",
        r.code,
        r.stderr
    );
    assert!(
        r.stderr.contains(name),
        "{name}: names the file:\n{}",
        r.stderr
    );
    for k in also {
        assert!(
            k.split('|').any(|k| r.stderr.contains(k)),
            "{name}: stderr mentions none of 「{k}」:\n{}",
            r.stderr
        );
    }
    assert!(
        !r.stderr.contains("panicked"),
        "{name}: a panic:\n{}",
        r.stderr
    );
    assert_unchanged(&before, &plan, name);
    r
}

#[test]
#[cfg(unix)]
fn a_cfb_directory_chain_that_loops() {
    let f = tempfile::tempdir().unwrap();
    hostile::cfb_directory_loop(&f.path().join("x.xls"));
    assert!(std::fs::metadata(f.path().join("x.xls")).unwrap().len() < 8 * 1024);
    hostile_refused(
        "ループ.xls",
        hostile::cfb_directory_loop,
        &["CFB", "Directory chain|duplicate"],
    );
}

#[test]
#[cfg(unix)]
fn a_cfb_stream_chain_that_loops() {
    hostile_refused(
        "stream_loop.xls",
        hostile::cfb_stream_loop,
        &["CFB", "duplicate|twice"],
    );
}

/// An encrypted .xlsx is a CFB container: told from its directory, never opened by calamine.
#[test]
#[cfg(unix)]
fn an_encrypted_xlsx_is_told_from_its_directory() {
    hostile_refused(
        "暗号化.xlsx",
        hostile::encrypted_xlsx,
        &["パスワード", "password-protected"],
    );
    // With a looping directory it is refused as damaged, before anything follows the loop.
    hostile_refused(
        "暗号化_ループ.xlsx",
        hostile::encrypted_xlsx_directory_loop,
        &["CFB"],
    );
}

#[test]
#[cfg(unix)]
fn xls_shared_strings_cited_by_every_cell() {
    hostile_refused(
        "共有文字列.xls",
        hostile::xls_shared_string_bomb,
        &["256 MB", "cell text"],
    );
}

#[test]
#[cfg(unix)]
fn xls_cells_far_apart() {
    hostile_refused(
        "離れたセル.xls",
        hostile::xls_far_apart,
        &["5,000,000", "used ranges"],
    );
}

/// The two .ods of issue 12, 805 and 810 bytes: repeated number cells across every column
/// (refused at the used-range cap) and repeated text cells within it (refused at the cell cap).
#[test]
#[cfg(unix)]
fn ods_of_repeated_cells() {
    let dir = tempfile::tempdir().unwrap();
    for build in [hostile::ods_repeated_numbers, hostile::ods_repeated_strings] {
        let f = dir.path().join("x.ods");
        build(&f);
        assert!(std::fs::metadata(&f).unwrap().len() < 1024, "under 1 KB");
    }
    hostile_refused(
        "繰り返し数値.ods",
        hostile::ods_repeated_numbers,
        &["100,000 行 × 1,000 列", "used range"],
    );
    hostile_refused(
        "繰り返し文字列.ods",
        hostile::ods_repeated_strings,
        &["2,000,000", "cells in sheet 取組"],
    );
}

#[test]
#[cfg(unix)]
fn ods_cell_of_two_billion_spaces() {
    hostile_refused("空白.ods", hostile::ods_spaces, &["256 MB", "cell text"]);
}

#[test]
#[cfg(unix)]
fn ods_cells_far_apart() {
    hostile_refused(
        "離れたセル.ods",
        hostile::ods_far_apart,
        &["5,000,000", "used ranges"],
    );
}

/// Issue 12's 954 KB workbook of 30 sheets × 1,000,000 cells: refused by the compression
/// ratio of its parts, before a part is inflated.
#[test]
#[cfg(unix)]
fn thirty_sheets_of_a_million_cells() {
    let dir = tempfile::tempdir().unwrap();
    let f = dir.path().join("x.xlsx");
    hostile::xlsx_30_sheets_of_a_million(&f);
    assert!(
        std::fs::metadata(&f).unwrap().len() < 2 * 1024 * 1024,
        "small on disk"
    );
    hostile_refused(
        "30シート.xlsx",
        hostile::xlsx_30_sheets_of_a_million,
        &["200：1", "compressed"],
    );
    // Compressed less, each part stays under the cap for one part; the whole does not.
    hostile_refused(
        "30シート_標準.xlsx",
        hostile::xlsx_30_sheets_default_level,
        &["100：1", "in all"],
    );
}

/// Millions of cells stored without compression (no ratio to see): refused by the census of
/// the cells, before calamine reads one.
#[test]
#[cfg(unix)]
fn millions_of_stored_cells() {
    hostile_refused(
        "無圧縮.xlsx",
        hostile::xlsx_stored_cells,
        &["4,000,000", "cells in the workbook"],
    );
}

#[test]
#[cfg(unix)]
fn four_hundred_thousand_merged_regions() {
    hostile_refused(
        "結合40万.xlsx",
        hostile::xlsx_400k_merges,
        &["100,000", "merged regions in sheet 事業一覧"],
    );
}

/// Two merged regions that share cells: refused, both named with the sheet.
#[test]
fn overlapping_merged_regions() {
    let dir = tempfile::tempdir().unwrap();
    let plan = plan_in(dir.path());
    let f = dir.path().join("重なり.xlsx");
    let cells = r#"<row r="1"><c r="A1" t="inlineStr"><is><t>取組名</t></is></c></row>"#;
    let sheet = hostile::sheet_with_merges(cells, &["B2:D3".into(), "C3:E4".into()]);
    hostile::xlsx(
        &f,
        &[("取組".into(), &sheet)],
        zip::CompressionMethod::Deflated,
    );
    assert_refused(
        &plan,
        &[&f],
        &[],
        &[&f],
        &["B2:D3", "C3:E4", "取組", "重なっています", "overlap"],
    );
}

/// The index of merged regions gives the reading a walk over them gave: a project sheet with
/// 90,000 more (non-overlapping) regions below its table imports exactly as without them.
#[test]
fn many_merged_regions_that_do_not_overlap_are_read() {
    use std::io::Read;
    let dir = tempfile::tempdir().unwrap();
    let plan = plan_in(dir.path());
    let good = dir.path().join("good.xlsx");
    small_onojo(&good);
    let many = dir.path().join("結合9万.xlsx");
    {
        let mut z = zip::ZipArchive::new(std::fs::File::open(&good).unwrap()).unwrap();
        let mut w = zip::ZipWriter::new(std::fs::File::create(&many).unwrap());
        let opts = zip::write::SimpleFileOptions::default()
            .compression_method(zip::CompressionMethod::Deflated);
        for i in 0..z.len() {
            let mut e = z.by_index(i).unwrap();
            let name = e.name().unwrap().to_string();
            let mut data = String::new();
            e.read_to_string(&mut data).unwrap();
            if name == "xl/worksheets/sheet1.xml" {
                let extra: String = (2_000..12_000)
                    .flat_map(|r| {
                        (0..9).map(move |k| {
                            let (a, b) = (hostile::col(2 * k), hostile::col(2 * k + 1));
                            format!(r#"<mergeCell ref="{a}{r}:{b}{r}"/>"#)
                        })
                    })
                    .collect();
                data = if data.contains("</mergeCells>") {
                    data.replacen("</mergeCells>", &format!("{extra}</mergeCells>"), 1)
                } else {
                    data.replacen(
                        "</sheetData>",
                        &format!("</sheetData><mergeCells>{extra}</mergeCells>"),
                        1,
                    )
                };
            }
            w.start_file(name, opts).unwrap();
            w.write_all(data.as_bytes()).unwrap();
        }
        w.finish().unwrap();
    }
    let dry = |f: &Path| {
        let r = import(&plan, &[f], &["--dry-run", "--json"]).expect_ok("dry run");
        comparable_report(&r.json())
    };
    let (base, with) = (dry(&good), dry(&many));
    assert_eq!(with["summary"], base["summary"]);
    assert_eq!(with["files"][0]["sheets"], base["files"][0]["sheets"]);
    let fields = base["summary"]["changes"].as_u64().unwrap_or(0)
        + base["summary"]["projects_new"].as_u64().unwrap_or(0)
        + base["summary"]["projects_matched"].as_u64().unwrap_or(0);
    assert!(fields > 0, "the workbook is read: {}", base["summary"]);
}

/// Writes every hostile file of tests/common/hostile.rs to $DXPLAN_HOSTILE_OUT, for
/// scripts/hostile.sh to time the release build on them.
#[test]
#[ignore]
fn write_hostile_inputs() {
    let out =
        std::path::PathBuf::from(std::env::var("DXPLAN_HOSTILE_OUT").expect("DXPLAN_HOSTILE_OUT"));
    std::fs::create_dir_all(&out).unwrap();
    for (name, build) in hostile::all() {
        build(&out.join(name));
    }
    hostile::xlsx_99k_merges(&out.join("not_hostile_99k_merges.xlsx"));
    let overlap = hostile::sheet_with_merges(
        r#"<row r="1"><c r="A1" t="inlineStr"><is><t>取組名</t></is></c></row>"#,
        &["B2:D3".into(), "C3:E4".into()],
    );
    hostile::xlsx(
        &out.join("xlsx_overlapping_merges.xlsx"),
        &[("取組".into(), &overlap)],
        zip::CompressionMethod::Deflated,
    );
}
