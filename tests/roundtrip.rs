//! Export then import gives the same plan: `dxplan dump` equal, ids included (issue 4), on
//! the sample and on generated plans, through the real binary and real files.

use std::path::Path;
use std::process::Command;

fn run(args: &[&str]) -> String {
    let out = Command::new(env!("CARGO_BIN_EXE_dxplan"))
        .args(args)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "dxplan {args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).unwrap()
}

fn s(p: &Path) -> &str {
    p.to_str().unwrap()
}

fn round_trip(make: &[&str], dir: &Path) {
    let plan = dir.join("a.dxplan");
    let mut args: Vec<&str> = make.to_vec();
    args.insert(1, s(&plan));
    run(&args);
    let xlsx = dir.join("master.xlsx");
    run(&["export", s(&plan), "-o", s(&xlsx)]);
    let copy = dir.join("b.dxplan");
    let report: serde_json::Value =
        serde_json::from_str(&run(&["import", s(&copy), s(&xlsx), "--json"])).unwrap();
    assert_eq!(report["summary"]["projects_matched"], 0);
    assert_eq!(
        run(&["dump", s(&copy)]),
        run(&["dump", s(&plan)]),
        "{make:?}"
    );
    // Imported back into the plan it came from, the workbook matches everything, changes nothing.
    let report: serde_json::Value =
        serde_json::from_str(&run(&["import", s(&plan), s(&xlsx), "--json"])).unwrap();
    assert_eq!(report["summary"]["projects_new"], 0);
    assert_eq!(report["summary"]["changes"], 0);
}

#[test]
fn the_sample_survives_export_and_import() {
    round_trip(&["sample"], tempfile::tempdir().unwrap().path());
}

#[test]
fn generated_plans_survive_export_and_import() {
    for seed in ["3", "8"] {
        round_trip(
            &["generate", "--projects", "120", "--seed", seed],
            tempfile::tempdir().unwrap().path(),
        );
    }
}
