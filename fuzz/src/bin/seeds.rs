//! Writes the seed corpus of the fuzz targets from the test fixtures:
//! `cargo run --bin seeds -- CORPUS_DIR [XLSX_DIR]` (scripts/fuzz.sh does this). XLSX_DIR holds
//! the .xlsx sources of tests/common/legacy.rs (written by the ignored test
//! `import_layouts::write_fixture_sources`); the committed .xls/.ods/bad fixtures are read from
//! tests/fixtures/.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

use dxplan_fuzz::harness::*;

// The hostile structures of issue 12, as the tests build them.
#[path = "../../../tests/common/hostile.rs"]
mod hostile;

fn put(dir: &Path, name: &str, data: &[u8]) {
    std::fs::create_dir_all(dir).unwrap();
    std::fs::write(dir.join(name), data).unwrap();
}

fn write(path: &Path, bytes: &[u8]) {
    std::fs::write(path, bytes).unwrap();
}

/// Deterministic noise (xorshift), as tests/common's.
fn noise(n: usize, mut seed: u64) -> Vec<u8> {
    (0..n)
        .map(|_| {
            seed ^= seed << 13;
            seed ^= seed >> 7;
            seed ^= seed << 17;
            seed as u8
        })
        .collect()
}

/// Small forms of the structures that made a reader allocate gigabytes (issue 12), so the
/// fuzzer starts next to the bombs instead of having to find them: CFB containers with chains
/// that loop or nearly do, .ods tables of repeated cells whose counts it can raise, .xlsx parts
/// that inflate hundreds of times, sheets of many merged regions (overlapping or not), shared
/// strings cited by many cells. (name, bytes), each well under the fuzzer's length cap.
fn hostile_seeds() -> Vec<(String, Vec<u8>)> {
    let dir = tempfile::tempdir().unwrap();
    let mut out = Vec::new();
    let mut add = |name: &str, build: &dyn Fn(&Path)| {
        let f = dir.path().join(name);
        build(&f);
        out.push((name.to_string(), std::fs::read(&f).unwrap()));
    };
    for (name, build) in hostile::all() {
        if !name.contains("30_sheets")
            && !name.contains("stored")
            && !name.contains("400k")
            && !name.contains("shared_string")
        {
            add(name, &|f| build(f));
        }
    }
    // A valid one-sheet .xls in regular sectors, for the fuzzer to bend into loops itself.
    add("cfb_valid.xls", &|f| {
        let mut stream =
            hostile::biff_workbook(&[("取組", hostile::numbers(&[(0, 0), (3, 2)]))], &[]);
        stream.resize(5_000, 0);
        write(f, &hostile::cfb_file(&[("Workbook", &stream)]));
    });
    add("xls_shared_string_small.xls", &|f| {
        let long = "x".repeat(2_000);
        let cells = hostile::labels((0..100u16).flat_map(|r| (0..20u16).map(move |c| (r, c))), 0);
        let stream = hostile::biff_workbook(&[("取組", cells)], &[&long]);
        write(f, &hostile::cfb_file(&[("Workbook", &stream)]));
    });
    add("xlsx_3_sheets_of_a_million.xlsx", &|f| {
        let sheet = hostile::tiny_cells(1_000, 1_000);
        let sheets: Vec<(String, &str)> =
            (1..=3).map(|i| (format!("S{i}"), sheet.as_str())).collect();
        hostile::xlsx_at_level(f, &sheets, zip::CompressionMethod::Deflated, Some(9));
    });
    add("xlsx_tiny_cells.xlsx", &|f| {
        let sheet = hostile::tiny_cells(100, 100);
        hostile::xlsx(
            f,
            &[("S1".into(), sheet.as_str())],
            zip::CompressionMethod::Deflated,
        );
    });
    let overlapping: Vec<String> = (2..202)
        .flat_map(|r| {
            (0..10).map(move |k| format!("{}{r}:{}{}", hostile::col(k), hostile::col(k + 1), r + 1))
        })
        .collect();
    add("xlsx_overlapping_merges.xlsx", &|f| {
        let sheet = hostile::flat_list_with_merges(200, &overlapping);
        hostile::xlsx(
            f,
            &[("事業一覧".into(), sheet.as_str())],
            zip::CompressionMethod::Deflated,
        );
    });
    let disjoint: Vec<String> = (2..302)
        .flat_map(|r| {
            (0..9).map(move |k| {
                format!(
                    "{}{r}:{}{r}",
                    hostile::col(8 + 2 * k),
                    hostile::col(9 + 2 * k)
                )
            })
        })
        .collect();
    add("xlsx_many_merges.xlsx", &|f| {
        let sheet = hostile::flat_list_with_merges(300, &disjoint);
        hostile::xlsx(
            f,
            &[("事業一覧".into(), sheet.as_str())],
            zip::CompressionMethod::Deflated,
        );
    });
    out
}

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let corpus = PathBuf::from(args.first().expect("CORPUS_DIR"));
    let fixtures = Path::new(env!("CARGO_MANIFEST_DIR")).join("../tests/fixtures");
    let mut workbooks: Vec<PathBuf> = Vec::new();
    if let Some(x) = args.get(1) {
        workbooks.extend(
            inputs(Path::new(x))
                .into_iter()
                .filter(|p| p.extension().is_some_and(|e| e == "xlsx")),
        );
    }
    workbooks.extend(
        inputs(&fixtures.join("legacy"))
            .into_iter()
            .filter(|p| p.extension().is_some_and(|e| e == "xls" || e == "ods")),
    );
    workbooks.push(fixtures.join("bad/password.xlsx"));

    // import_workbook: .xls as they are (no CRCs to break); zips in the archive form; the
    // exported department workbook too.
    let imp = corpus.join("import_workbook");
    let mut texts: BTreeSet<String> = BTreeSet::new();
    let dept = department_workbook().to_vec();
    let mut all: Vec<(String, Vec<u8>)> = workbooks
        .iter()
        .map(|p| {
            (
                p.file_name().unwrap().to_string_lossy().into_owned(),
                std::fs::read(p).unwrap(),
            )
        })
        .collect();
    all.push(("department.xlsx".into(), dept));
    all.extend(hostile_seeds());
    for (name, bytes) in &all {
        if bytes.starts_with(b"PK") {
            let mut enc = vec![ENTRIES_TAG];
            enc.extend(encode_entries(&unzip(bytes)));
            // Large sheets make slow inputs; the fuzzer grows what it needs.
            if enc.len() <= 512 * 1024 {
                put(&imp, &format!("{name}.entries"), &enc);
            }
        }
        if bytes.len() <= 512 * 1024 {
            put(&imp, name, bytes);
        }
        let dir = tempfile::tempdir().unwrap();
        let f = dir.path().join(name);
        std::fs::write(&f, bytes).unwrap();
        if let Ok(wb) = dxplan::workbook::open(&f) {
            for g in &wb.sheets {
                for c in g.cells.values() {
                    if !c.text.is_empty() && c.text.len() < 200 {
                        texts.insert(c.text.clone());
                    }
                }
            }
        }
    }

    // parse_values: every distinct short cell text of the fixtures, and the forms of DOMAIN.md.
    for t in [
        "40 手続",
        "98,500 件",
        "72.5%",
        "30%減",
        "20,400時間/年",
        "150手続／800手続",
        "約500人",
        "1 業務 ※2",
        "▲1,000",
        "120万円",
        "4,000千円",
        "令和3（2021）年度",
        "R4～R7",
        "令和4～7年度",
        "2028年度～2030年度",
        "FY2022",
        "H30",
        "令和元年度",
        "２０２２年度",
        "2023年度（令和5年度）",
    ] {
        texts.insert(t.to_string());
    }
    let pv = corpus.join("parse_values");
    for (i, t) in texts.iter().enumerate().take(3000) {
        put(&pv, &format!("t{i:04}"), t.as_bytes());
    }

    // merge_tampered: the workbook untouched, and each part as the replacement of itself.
    let mt = corpus.join("merge_tampered");
    put(&mt, "untouched", &[0]);
    // A project sheet replaced by one of many tiny cells, and by one of overlapping merges.
    for (i, (name, _)) in department_entries().iter().enumerate() {
        if !name.starts_with("xl/worksheets/sheet") || name.ends_with("sheet1.xml") {
            continue;
        }
        let merges: Vec<String> = (2..502)
            .map(|r| format!("A{r}:{}{}", hostile::col(3), r + 1))
            .collect();
        for (tag, xml) in [
            ("tiny_cells", hostile::tiny_cells(300, 100)),
            ("merges", hostile::sheet_with_merges("", &merges)),
        ] {
            let mut v = vec![1, i as u8];
            v.extend(xml.as_bytes());
            put(&mt, &format!("hostile_{tag}"), &v);
        }
        break;
    }
    for (i, (name, data)) in department_entries().iter().enumerate() {
        let safe: String = name
            .chars()
            .map(|c| if c.is_ascii_alphanumeric() { c } else { '_' })
            .collect();
        let mut v = vec![1, i as u8];
        v.extend(data);
        put(&mt, &format!("replace_{safe}"), &v);
        put(
            &mt,
            &format!("patch_{safe}"),
            &[2, i as u8, 0, 0, 0, 0, b'<'],
        );
    }
    // register_check: the untouched hidden sheet and the forgeries of issue 12.
    let rc = corpus.join("register_check");
    for (name, data) in register_seeds() {
        put(&rc, &name, &data);
    }
    println!("seed corpus written to {}", corpus.display());
}
