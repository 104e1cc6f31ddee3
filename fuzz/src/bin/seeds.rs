//! Writes the seed corpus of the fuzz targets from the test fixtures:
//! `cargo run --bin seeds -- CORPUS_DIR [XLSX_DIR]` (scripts/fuzz.sh does this). XLSX_DIR holds
//! the .xlsx sources of tests/common/legacy.rs (written by the ignored test
//! `import_layouts::write_fixture_sources`); the committed .xls/.ods/bad fixtures are read from
//! tests/fixtures/.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

use dxplan_fuzz::harness::*;

fn put(dir: &Path, name: &str, data: &[u8]) {
    std::fs::create_dir_all(dir).unwrap();
    std::fs::write(dir.join(name), data).unwrap();
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
        if let Ok(wb) = dxplan::import::workbook::open(&f) {
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
