//! Every input the fuzzers (fuzz/, issue 7) found a crash with, replayed through the same
//! harness (fuzz/src/harness.rs) without cargo-fuzz: tests/fixtures/fuzz/<target>/<input>.
//! Each must now run to the end: dxplan returns a result or an error naming the file, and after a
//! merge the plan file still opens and passes `PRAGMA integrity_check`. A few seed inputs per
//! target (the untouched department workbook, a replaced part) run too, so the harness itself
//! stays in working order.

#[path = "../fuzz/src/harness.rs"]
mod harness;

use std::path::Path;

fn replay(target: &str) -> usize {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/fuzz")
        .join(target);
    let inputs = harness::inputs(&dir);
    for input in &inputs {
        let data = std::fs::read(input).unwrap();
        eprintln!("{target}: {}", input.display());
        harness::run(target, &data);
    }
    inputs.len()
}

#[test]
fn import_workbook_crashes_stay_fixed() {
    replay("import_workbook");
    // The harness reads a workbook in both forms.
    let dept = harness::department_workbook().to_vec();
    harness::import_workbook(&dept);
    let mut entries = vec![harness::ENTRIES_TAG];
    entries.extend(harness::encode_entries(harness::department_entries()));
    harness::import_workbook(&entries);
}

#[test]
fn parse_values_crashes_stay_fixed() {
    replay("parse_values");
    for t in [
        "40 手続",
        "令和3（2021）年度",
        "R4～R7",
        "▲1,000",
        "\u{0}\u{ffff}※",
    ] {
        harness::parse_values(t.as_bytes());
    }
}

#[test]
fn merge_tampered_crashes_stay_fixed() {
    replay("merge_tampered");
    harness::merge_tampered(&[0]);
    harness::merge_tampered(&[1, 3, b'<', b'x']);
    harness::merge_tampered(&[3, 0, 10, 0, 0, 0, 0xFF, 0xFE]);
}

#[test]
fn register_check_crashes_stay_fixed_and_forgeries_are_refused() {
    replay("register_check");
    // The seeds: the untouched sheet merges, every forgery is refused (the harness panics on a
    // forgery accepted).
    for (name, data) in harness::register_seeds() {
        let accepted = harness::register_merge(&data);
        assert_eq!(accepted, name == "untouched_0", "{name}");
    }
}
