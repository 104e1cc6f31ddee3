//! The `dxplan` binary as a user runs it.

use std::path::Path;
use std::process::{Command, Output};

fn dxplan(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_dxplan"))
        .args(args)
        .output()
        .expect("run dxplan")
}

fn stdout(o: &Output) -> String {
    String::from_utf8_lossy(&o.stdout).into_owned()
}

fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

fn p(path: &Path) -> &str {
    path.to_str().unwrap()
}

#[test]
fn new_then_dump_gives_the_documented_shape() {
    let dir = tempfile::tempdir().unwrap();
    let plan = dir.path().join("city.dxplan");
    let o = dxplan(&[
        "new",
        p(&plan),
        "--title",
        "テスト市DX推進計画",
        "--years",
        "令和4年度～令和7年度",
    ]);
    assert!(o.status.success(), "{}", stderr(&o));
    let o = dxplan(&["dump", p(&plan)]);
    assert!(o.status.success(), "{}", stderr(&o));
    let j: serde_json::Value = serde_json::from_str(&stdout(&o)).unwrap();
    assert_eq!(j["plan"]["title"], "テスト市DX推進計画");
    assert_eq!(
        j["plan"]["fiscal_years"],
        serde_json::json!([2022, 2023, 2024, 2025])
    );
    assert!(j["plan"]["id"].as_str().unwrap().len() >= 32);
    for k in ["org_units", "policies", "measures", "projects"] {
        assert_eq!(j[k], serde_json::json!([]), "{k}");
    }
}

#[test]
fn sample_dump_has_every_documented_project_field() {
    let dir = tempfile::tempdir().unwrap();
    let plan = dir.path().join("onojo.dxplan");
    let o = dxplan(&["sample", p(&plan)]);
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(
        stdout(&o).contains("1,240,400"),
        "summary prints the grand total: {}",
        stdout(&o)
    );
    let j: serde_json::Value = serde_json::from_str(&stdout(&dxplan(&["dump", p(&plan)]))).unwrap();
    let projects = j["projects"].as_array().unwrap();
    assert_eq!(projects.len(), 30);
    let first = &projects[0];
    assert_eq!(first["code"], "Ⅰ-1-①");
    for k in [
        "id",
        "code",
        "title",
        "measure_ids",
        "owners",
        "texts",
        "indicators",
        "schedule",
        "budget",
    ] {
        assert!(!first[k].is_null(), "missing {k}");
    }
    let kpi = first["indicators"]
        .as_array()
        .unwrap()
        .iter()
        .find(|i| i["kind"] == "KPI")
        .unwrap();
    let v = &kpi["values"][0];
    assert_eq!(v["fiscal_year"], 2022);
    assert_eq!(v["target"]["number"], 40.0);
    assert_eq!(v["target"]["unit"], "手続");
    assert_eq!(v["target"]["text"], "40 手続");
    assert!(v["actual"].is_null());
    let task = &first["schedule"][0];
    for k in ["task", "start_fy", "end_fy", "confirmed"] {
        assert!(!task[k].is_null(), "task missing {k}");
    }
    let b = &first["budget"][0];
    assert_eq!(b["fiscal_year"], 2022);
    assert_eq!(b["planned_thousand_yen"], 6000);
    assert!(b.get("general_revenue_thousand_yen").is_some());
    assert!(first["owners"][0].is_string());
}

#[test]
fn summary_prints_budget_totals_per_policy_and_year() {
    let dir = tempfile::tempdir().unwrap();
    let plan = dir.path().join("onojo.dxplan");
    assert!(dxplan(&["sample", p(&plan)]).status.success());
    let out = stdout(&dxplan(&["summary", p(&plan)]));
    for figure in [
        "19,100",
        "170,100",
        "222,100",
        "215,100",
        "626,400",
        "29,000",
        "450,000",
        "614,000",
        "1,240,400",
    ] {
        assert!(out.contains(figure), "summary lacks {figure}:\n{out}");
    }
    assert!(out.contains("事業 30"), "{out}");
    // Whole titles, and every line of the table as wide as the others on a terminal (a
    // full-width character takes two columns).
    let d: serde_json::Value = serde_json::from_str(&stdout(&dxplan(&["dump", p(&plan)]))).unwrap();
    for policy in d["policies"].as_array().unwrap() {
        let title = policy["title"].as_str().unwrap();
        assert!(out.contains(title), "summary cuts {title}:\n{out}");
    }
    use unicode_width::UnicodeWidthStr;
    let table: Vec<&str> = out
        .lines()
        .skip_while(|l| !l.contains("事業費"))
        .skip(1)
        .collect();
    assert_eq!(table.len(), 4, "{out}");
    let widths: Vec<usize> = table.iter().map(|l| l.width()).collect();
    assert!(widths.iter().all(|w| *w == widths[0]), "{widths:?}\n{out}");
}

#[test]
fn check_names_the_project_of_each_finding() {
    let dir = tempfile::tempdir().unwrap();
    let plan = dir.path().join("onojo.dxplan");
    assert!(dxplan(&["sample", p(&plan)]).status.success());
    let o = dxplan(&["check", p(&plan), "--json"]);
    let lints: serde_json::Value = serde_json::from_str(&stdout(&o)).unwrap();
    for l in lints.as_array().unwrap() {
        assert!(
            l["project_code"].as_str().unwrap().starts_with('Ⅰ')
                || l["project_code"].as_str().unwrap().starts_with('Ⅱ')
        );
    }
    assert_eq!(
        o.status.code(),
        Some(if lints.as_array().unwrap().is_empty() {
            0
        } else {
            1
        })
    );
}

#[test]
fn errors_are_bilingual_with_a_nonzero_exit() {
    let dir = tempfile::tempdir().unwrap();
    let text = dir.path().join("memo.dxplan");
    std::fs::write(&text, "メモ").unwrap();
    let o = dxplan(&["dump", p(&text)]);
    assert_eq!(o.status.code(), Some(2));
    let e = stderr(&o);
    assert!(
        e.contains("計画ファイルではありません") && e.contains("not a dxplan plan file"),
        "{e}"
    );
    assert!(e.contains("memo.dxplan"), "names the file: {e}");

    let o = dxplan(&[
        "new",
        p(&dir.path().join("x.dxplan")),
        "--title",
        "t",
        "--years",
        "いつか",
    ]);
    assert_eq!(o.status.code(), Some(2));
    assert!(!dir.path().join("x.dxplan").exists());

    let o = dxplan(&["sample", p(&text)]);
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("already exists"));
    assert_eq!(std::fs::read_to_string(&text).unwrap(), "メモ");
}
