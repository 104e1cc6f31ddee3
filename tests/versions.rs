//! The plan's yearly cycle through the `dxplan` binary on the sample plan: versions (版),
//! the 新旧対照表 after a department's answer, rolling over into the next period (in place and
//! into a new file), past years' actuals locked in department workbooks, and `check` on an
//! indicator whose definition changed between versions.

use crate::support;

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::Command;

use calamine::{Data, Reader, Xlsx as CalXlsx};
use dxplan::export::comparison::{BUDGET_SHEET, CHANGES_SHEET, NEW_HEADER, OLD_HEADER};
use dxplan::export::layout::{ProgressField, RowKey};
use dxplan::model::ProjectStatus;
use dxplan::store::{OpInfo, OpKind, Store};
use serde_json::Value as Json;
use support::sheet_cells::{cell_of, is_locked, is_protected};
use support::xlsx_edit::Xlsx;

fn dxplan(args: &[&str]) -> (bool, String, String) {
    let out = Command::new(env!("CARGO_BIN_EXE_dxplan"))
        .args(args)
        .output()
        .unwrap();
    (
        out.status.success(),
        String::from_utf8_lossy(&out.stdout).into(),
        String::from_utf8_lossy(&out.stderr).into(),
    )
}

fn ok(args: &[&str]) -> String {
    let (success, out, err) = dxplan(args);
    assert!(success, "dxplan {args:?} failed: {err}\n{out}");
    out
}

fn json(args: &[&str]) -> Json {
    serde_json::from_str(&ok(args)).unwrap()
}

fn s(p: &Path) -> &str {
    p.to_str().unwrap()
}

const DEPT: &str = "情報政策課";

struct World {
    dir: tempfile::TempDir,
    plan: PathBuf,
}

impl World {
    fn new() -> World {
        let dir = tempfile::tempdir().unwrap();
        let plan = dir.path().join("計画.dxplan");
        ok(&["sample", s(&plan)]);
        World { dir, plan }
    }

    fn path(&self, name: &str) -> PathBuf {
        self.dir.path().join(name)
    }

    fn dump(&self, plan: &Path) -> Json {
        json(&["dump", s(plan), "--compact"])
    }

    fn export(&self, plan: &Path, name: &str, extra: &[&str]) -> PathBuf {
        let f = self.path(name);
        let mut args = vec!["export", s(plan), "--department", DEPT, "-o", s(&f)];
        args.extend_from_slice(extra);
        ok(&args);
        f
    }
}

fn project<'a>(dump: &'a Json, title: &str) -> &'a Json {
    dump["projects"]
        .as_array()
        .unwrap()
        .iter()
        .find(|p| p["title"] == title)
        .unwrap_or_else(|| panic!("no project {title}"))
}

fn kpi_id(p: &Json) -> String {
    p["indicators"]
        .as_array()
        .unwrap()
        .iter()
        .find(|i| i["kind"] == "KPI")
        .unwrap()["id"]
        .as_str()
        .unwrap()
        .to_string()
}

/// Planned cost per policy id and fiscal year, summed from a dump by each project's primary
/// measure (independent of `report::totals`).
fn totals_of(dump: &Json) -> BTreeMap<(String, i64), i64> {
    let policy_of: BTreeMap<&str, &str> = dump["measures"]
        .as_array()
        .unwrap()
        .iter()
        .map(|m| (m["id"].as_str().unwrap(), m["policy_id"].as_str().unwrap()))
        .collect();
    let mut out = BTreeMap::new();
    for p in dump["projects"].as_array().unwrap() {
        let policy = policy_of[p["measure_ids"][0].as_str().unwrap()];
        for b in p["budget"].as_array().unwrap() {
            if let Some(v) = b["planned_thousand_yen"].as_i64() {
                *out.entry((policy.to_string(), b["fiscal_year"].as_i64().unwrap()))
                    .or_insert(0) += v;
            }
        }
    }
    out
}

fn cell_text(d: &Data) -> String {
    match d {
        Data::String(s) => s.clone(),
        Data::Float(f) => f.to_string(),
        Data::Int(i) => i.to_string(),
        Data::Empty => String::new(),
        other => other.to_string(),
    }
}

/// The titles of the department's answer: what the promoter changed.
const ONLINE: &str = "オンライン申請の拡充";
const ENDED: &str = "公共施設間ネットワークの更新";
const ADDED_TEXT: &str = "令和5年度からは対象手続を福祉分野へ広げる。";

/// The department's answer, edited as in Excel: a KPI actual, a budget cell, the 内容 text,
/// the last year's 課題 / 改善策.
fn answer(w: &World, base: &Json) -> PathBuf {
    let f = w.export(&w.plan, "回答.xlsx", &[]);
    let online = project(base, ONLINE);
    let id = online["id"].as_str().unwrap();
    let kpi = kpi_id(online);
    let mut x = Xlsx::open(&f);
    let (sh, c) = cell_of(
        &f,
        id,
        |k| matches!(k, RowKey::Actual { id } if *id == kpi),
        Some(2022),
    );
    x.set(&sh, &c, Some("45 手続"));
    let (sh, c) = cell_of(&f, id, |k| *k == RowKey::Planned, Some(2023));
    x.set_number(&sh, &c, 6500.0);
    let (sh, c) = cell_of(&f, id, |k| *k == RowKey::Summary, None);
    let summary = format!(
        "{}{ADDED_TEXT}",
        online["texts"]["summary"].as_str().unwrap()
    );
    x.set(&sh, &c, Some(&summary));
    let issues = RowKey::Progress {
        field: ProgressField::Issues,
    };
    let remedies = RowKey::Progress {
        field: ProgressField::Remedies,
    };
    let (sh, c) = cell_of(&f, id, |k| *k == issues, Some(2025));
    x.set(&sh, &c, Some("高齢者の利用が伸びない"));
    let (sh, c) = cell_of(&f, id, |k| *k == remedies, Some(2025));
    x.set(&sh, &c, Some("公民館での操作講座を開く"));
    x.save(&f);
    f
}

/// The office ends a project (状態 is the office's to set, in the app).
fn office_ends(plan: &Path, title: &str) {
    let mut store = Store::open(plan).unwrap();
    let mut p = store
        .load_plan()
        .unwrap()
        .projects
        .into_iter()
        .find(|p| p.title == title)
        .unwrap();
    p.status = ProjectStatus::Ended;
    store
        .write(OpInfo::new(OpKind::LocalEdit), |w| w.save_project(&p))
        .unwrap();
}

/// version 第1.0版 → the department's answer merged and a project ended → version 第1.1版.
/// Returns the dumps
/// taken right after each version was recorded.
fn two_versions(w: &World) -> (Json, Json) {
    ok(&[
        "version",
        s(&w.plan),
        "--label",
        "第1.0版",
        "--date",
        "2022-08-01",
    ]);
    let d10 = w.dump(&w.plan);
    let f = answer(w, &d10);
    ok(&["merge", s(&w.plan), s(&f)]);
    office_ends(&w.plan, ENDED);
    ok(&[
        "version",
        s(&w.plan),
        "--label",
        "第1.1版",
        "--note",
        "令和5年度 改訂",
    ]);
    let d11 = w.dump(&w.plan);
    (d10, d11)
}

#[test]
fn versions_are_kept_and_dumped_as_they_were() {
    let w = World::new();
    let (d10, d11) = two_versions(&w);
    assert_eq!(d10["plan"]["version"], "第1.0版");
    assert_eq!(d11["plan"]["version"], "第1.1版");
    assert_ne!(d10, d11);
    // The old version reads back exactly as the plan was dumped when it was recorded, by
    // its label in any width.
    assert_eq!(
        json(&["dump", s(&w.plan), "--version", "第1.0版", "--compact"]),
        d10
    );
    assert_eq!(json(&["dump", s(&w.plan), "--version", "第１.０版"]), d10);
    assert_eq!(json(&["dump", s(&w.plan), "--version", "第1.1版"]), d11);

    let list = json(&["versions", s(&w.plan), "--json"]);
    let labels: Vec<&str> = list
        .as_array()
        .unwrap()
        .iter()
        .map(|v| v["label"].as_str().unwrap())
        .collect();
    assert_eq!(labels, ["第1.0版", "第1.1版"]);
    assert_eq!(list[0]["issued_on"], "2022-08-01");
    assert_eq!(list[1]["note"], "令和5年度 改訂");
    assert_eq!(list[0]["projects"], 30);

    // A label is recorded once; an unknown one is an error naming the recorded ones.
    let (success, _, err) = dxplan(&["version", s(&w.plan), "--label", "第１.１版"]);
    assert!(!success && err.contains("既に記録されています"), "{err}");
    let (success, _, err) = dxplan(&["dump", s(&w.plan), "--version", "第9版"]);
    assert!(
        !success && err.contains("第9版") && err.contains("第1.0版、第1.1版"),
        "{err}"
    );
    // A refused version changed nothing, not even the plan's label.
    assert_eq!(w.dump(&w.plan), d11);
}

#[test]
fn comparison_table_shows_new_and_old_and_the_totals_of_each_version() {
    let w = World::new();
    let (d10, d11) = two_versions(&w);
    let out = w.path("新旧対照表.xlsx");
    let cmp = json(&[
        "compare",
        s(&w.plan),
        "--from",
        "第1.0版",
        "--to",
        "第1.1版",
        "-o",
        s(&out),
        "--json",
    ]);
    assert_eq!(
        (cmp["from"].as_str(), cmp["to"].as_str()),
        (Some("第1.0版"), Some("第1.1版"))
    );

    // The JSON: the project's changes, with the values as people read them.
    let online = project(&d11, ONLINE);
    let code = online["code"].as_str().unwrap();
    let item = cmp["items"]
        .as_array()
        .unwrap()
        .iter()
        .find(|i| i["id"] == online["id"])
        .unwrap();
    assert_eq!(item["code"], code);
    let change = |f: &dyn Fn(&Json) -> bool| {
        item["changes"]
            .as_array()
            .unwrap()
            .iter()
            .find(|c| f(c))
            .cloned()
            .unwrap_or_else(|| panic!("change not found in {item}"))
    };
    let actual = change(&|c| c["field"] == "indicator_value" && c["side"] == "actual");
    assert_eq!(actual["fiscal_year"], 2022);
    assert_eq!(actual["new"], "45 手続");
    assert_eq!(actual["old"], Json::Null);
    assert_eq!(actual["presence"], "added");
    let budget = change(&|c| c["field"] == "budget" && c["fiscal_year"] == 2023);
    assert_eq!(
        (budget["old"].as_str(), budget["new"].as_str()),
        (Some("6,000千円"), Some("6,500千円"))
    );
    let ended = project(&d11, ENDED);
    let status = cmp["items"]
        .as_array()
        .unwrap()
        .iter()
        .find(|i| i["id"] == ended["id"])
        .unwrap()["changes"][0]
        .clone();
    assert_eq!(
        (status["old"].as_str(), status["new"].as_str()),
        (Some("実施中"), Some("終了"))
    );

    // The workbook, read back: the same values under 変更後（新） and 変更前（旧）.
    let mut wb: CalXlsx<_> = calamine::open_workbook(&out).unwrap();
    let sheet = wb.worksheet_range(CHANGES_SHEET).unwrap();
    let rows: Vec<Vec<String>> = sheet
        .rows()
        .map(|r| r.iter().map(cell_text).collect())
        .collect();
    let header = rows
        .iter()
        .position(|r| r.iter().any(|c| c == NEW_HEADER))
        .unwrap();
    let col = |name: &str| rows[header].iter().position(|c| c == name).unwrap();
    let (c_item, c_new, c_old, c_note) =
        (col("項目"), col(NEW_HEADER), col(OLD_HEADER), col("備考"));
    // 番号 spans the rows of its project (merged): carry it down.
    let mut current = String::new();
    let mut of_project: Vec<&Vec<String>> = Vec::new();
    for r in &rows[header + 1..] {
        if !r[0].is_empty() {
            current = r[0].clone();
        }
        if current == code {
            of_project.push(r);
        }
    }
    let row = |label: &[&str]| {
        *of_project
            .iter()
            .find(|r| label.iter().all(|l| r[c_item].contains(l)))
            .unwrap_or_else(|| panic!("no row {label:?} in {of_project:?}"))
    };
    let r = row(&["実績", "2022年度（令和4年度）"]);
    assert_eq!(
        (r[c_new].as_str(), r[c_old].as_str(), r[c_note].as_str()),
        ("45 手続", "", "追加")
    );
    let r = row(&["年度経費", "2023年度（令和5年度）"]);
    assert_eq!(
        (r[c_new].as_str(), r[c_old].as_str(), r[c_note].as_str()),
        ("6,500千円", "6,000千円", "変更")
    );
    let r = row(&["概要"]);
    assert!(r[c_new].ends_with(ADDED_TEXT) && !r[c_old].contains(ADDED_TEXT));

    // The changed part is marked: the added sentence is its own underlined bold run.
    let x = Xlsx::open(&out);
    let strings = x.part("xl/sharedStrings.xml");
    let si = strings
        .split("<si>")
        .find(|si| si.contains(ADDED_TEXT))
        .expect("the new 内容 is a shared string");
    let marked = si
        .split("<r>")
        .find(|run| run.contains(ADDED_TEXT))
        .unwrap();
    assert!(marked.contains("<u/>") && marked.contains("<b/>"), "{si}");
    assert!(
        si.split("<r>")
            .any(|run| !run.contains("<u/>") && run.contains("<t")),
        "{si}"
    );
    // Printed as councils read it: A4 landscape, header rows on every page, page numbers.
    let sheet_xml = x.sheet_xml(CHANGES_SHEET);
    assert!(
        sheet_xml.contains("orientation=\"landscape\"") && sheet_xml.contains("paperSize=\"9\"")
    );
    assert!(sheet_xml.contains("&amp;P") || sheet_xml.contains("&P"));
    assert!(x.part("xl/workbook.xml").contains("_xlnm.Print_Titles"));

    // Budget per 基本方針 and year, before and after, equal to the dumps of each version.
    let (t10, t11) = (
        totals_of(&json(&["dump", s(&w.plan), "--version", "第1.0版"])),
        totals_of(&json(&["dump", s(&w.plan), "--version", "第1.1版"])),
    );
    assert_eq!(t10, totals_of(&d10));
    assert_ne!(t10, t11);
    for row in cmp["budget"]["rows"].as_array().unwrap() {
        let pid = row["policy_id"].as_str().unwrap();
        for (side, totals) in [("old", &t10), ("new", &t11)] {
            for (fy, v) in row[side].as_object().unwrap() {
                let fy: i64 = fy.parse().unwrap();
                let want = totals.get(&(pid.to_string(), fy)).copied().unwrap_or(0);
                assert_eq!(v.as_i64().unwrap(), want, "{side} {pid} {fy}");
            }
        }
    }
    let bsheet = wb.worksheet_range(BUDGET_SHEET).unwrap();
    let brows: Vec<Vec<Data>> = bsheet.rows().map(|r| r.to_vec()).collect();
    let bheader = brows
        .iter()
        .position(|r| r.iter().any(|c| cell_text(c) == "区分"))
        .unwrap();
    let years: Vec<i64> = (2022..=2025).collect();
    let year_col = |fy: i64| {
        brows[bheader]
            .iter()
            .position(|c| cell_text(c).starts_with(&format!("{fy}年度")))
            .unwrap()
    };
    let mut policy_name = String::new();
    let mut checked = 0;
    for r in &brows[bheader + 1..] {
        if !cell_text(&r[0]).is_empty() {
            policy_name = cell_text(&r[0]);
        }
        let side = match cell_text(&r[1]).as_str() {
            NEW_HEADER => &t11,
            OLD_HEADER => &t10,
            _ => continue,
        };
        for &fy in &years {
            let got = match &r[year_col(fy)] {
                Data::Float(f) => *f as i64,
                other => panic!("not a number: {other:?}"),
            };
            let want: i64 = if policy_name == "合計" {
                side.iter()
                    .filter(|((_, y), _)| *y == fy)
                    .map(|(_, v)| v)
                    .sum()
            } else {
                let code = policy_name.split('　').next().unwrap();
                let pid = d11["policies"]
                    .as_array()
                    .unwrap()
                    .iter()
                    .find(|p| p["code"] == code)
                    .unwrap()["id"]
                    .as_str()
                    .unwrap()
                    .to_string();
                side.get(&(pid, fy)).copied().unwrap_or(0)
            };
            assert_eq!(got, want, "{policy_name} {fy}");
            checked += 1;
        }
    }
    assert_eq!(
        checked,
        3 * 2 * 4,
        "2 policies and the total, new and old, 4 years"
    );

    // `--to` defaults to the plan as it stands: nothing changed since 第1.1版.
    let now = json(&["compare", s(&w.plan), "--from", "第1.0版", "--json"]);
    assert_eq!(now["to"], "現在");
    assert_eq!(now["items"], cmp["items"]);
    let none = json(&["compare", s(&w.plan), "--from", "第1.1版", "--json"]);
    assert_eq!(none["items"], Json::Array(vec![]));
}

#[test]
fn rollover_into_a_new_file_carries_what_goes_on() {
    let w = World::new();
    let (_, d11) = two_versions(&w);
    let next = w.path("第2期計画.dxplan");
    ok(&[
        "rollover",
        s(&w.plan),
        "--years",
        "2026-2030",
        "--label",
        "第2.0版",
        "-o",
        s(&next),
    ]);
    // The old plan is left as it was.
    assert_eq!(w.dump(&w.plan), d11);
    let d = w.dump(&next);
    assert_eq!(d["plan"]["version"], "第2.0版");
    assert_eq!(
        d["plan"]["fiscal_years"],
        serde_json::json!([2026, 2027, 2028, 2029, 2030])
    );
    assert_ne!(d["plan"]["id"], d11["plan"]["id"]);
    let ids = |d: &Json, pred: &dyn Fn(&Json) -> bool| -> Vec<String> {
        d["projects"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|p| pred(p))
            .map(|p| p["id"].as_str().unwrap().to_string())
            .collect()
    };
    let going_on = ids(&d11, &|p| p["status"] != "ended");
    let ended = ids(&d11, &|p| p["status"] == "ended");
    assert_eq!(ended.len(), 1);
    assert_eq!(ids(&d, &|_| true), going_on);
    // Indicators carried, their targets for the new years empty; no cost, no task yet.
    let online = project(&d, ONLINE);
    let old_online = project(&d11, ONLINE);
    assert_eq!(
        online["indicators"].as_array().unwrap().len(),
        old_online["indicators"].as_array().unwrap().len()
    );
    for i in online["indicators"].as_array().unwrap() {
        assert_eq!(i["values"], Json::Array(vec![]), "{i}");
    }
    assert_eq!(
        online["indicators"][1]["name"],
        old_online["indicators"][1]["name"]
    );
    // Last year's 課題 / 改善策 start the first new year's progress.
    let progress = online["progress"].as_array().unwrap();
    assert_eq!(progress.len(), 1);
    assert_eq!(progress[0]["fiscal_year"], 2026);
    assert_eq!(progress[0]["issues"], "高齢者の利用が伸びない");
    assert_eq!(progress[0]["remedies"], "公民館での操作講座を開く");
    // Numbering closes the gap the ended project left: its measure's projects are ①, ②, … again.
    let ended_code = project(&d11, ENDED)["code"].as_str().unwrap().to_string();
    let prefix = &ended_code[..ended_code.rfind('-').unwrap() + 1];
    let mut codes: Vec<String> = d["projects"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p["code"].as_str().unwrap().to_string())
        .filter(|c| c.starts_with(prefix))
        .collect();
    codes.sort();
    let want: Vec<String> = (1..=codes.len() as u32)
        .map(|n| format!("{prefix}{}", dxplan::model::codes::circled(n)))
        .collect();
    assert_eq!(codes, want);
    // The new file is a plan with its first version recorded.
    let v = json(&["versions", s(&next), "--json"]);
    assert_eq!(v[0]["label"], "第2.0版");
    ok(&["summary", s(&next)]);
    // An existing target is never overwritten.
    let (success, _, err) = dxplan(&[
        "rollover",
        s(&w.plan),
        "--years",
        "2026-2030",
        "--label",
        "第2.1版",
        "-o",
        s(&next),
    ]);
    assert!(!success && err.contains("既にあります"), "{err}");
}

#[test]
fn rollover_in_place_extends_the_period_and_locks_past_actuals() {
    let w = World::new();
    let (_, d11) = two_versions(&w);
    ok(&[
        "rollover",
        s(&w.plan),
        "--years",
        "R8～R12",
        "--label",
        "第2.0版",
    ]);
    let d = w.dump(&w.plan);
    assert_eq!(d["plan"]["version"], "第2.0版");
    assert_eq!(
        d["plan"]["fiscal_years"].as_array().unwrap().len(),
        9,
        "2022–2030"
    );
    // Every project stays (ended ones too: it is the same plan), with its history.
    assert_eq!(d["projects"], d11["projects"]);
    let labels: Vec<String> = json(&["versions", s(&w.plan), "--json"])
        .as_array()
        .unwrap()
        .iter()
        .map(|v| v["label"].as_str().unwrap().to_string())
        .collect();
    // The plan was 第1.1版 unchanged: no extra version before the rollover.
    assert_eq!(labels, ["第1.0版", "第1.1版", "第2.0版"]);
    let cmp = json(&[
        "compare",
        s(&w.plan),
        "--from",
        "第1.1版",
        "--to",
        "第2.0版",
        "--json",
    ]);
    let period = cmp["items"][0]["changes"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["field"] == "period")
        .unwrap()
        .clone();
    assert_eq!(period["new"], "2022〜2030年度（令和4年度〜令和12年度）");

    // A department workbook now: actuals up to 2025 locked, the new years open.
    let online = project(&d, ONLINE);
    let id = online["id"].as_str().unwrap();
    let kpi = kpi_id(online);
    let actual = |f: &Path, fy: i32| {
        cell_of(
            f,
            id,
            |k| matches!(k, RowKey::Actual { id } if *id == kpi),
            Some(fy),
        )
    };
    let target = |f: &Path, fy: i32| {
        cell_of(
            f,
            id,
            |k| matches!(k, RowKey::Target { id } if *id == kpi),
            Some(fy),
        )
    };
    let f = w.export(&w.plan, "締め後.xlsx", &[]);
    let x = Xlsx::open(&f);
    for fy in [2022, 2025] {
        let (sh, c) = actual(&f, fy);
        assert!(is_protected(&x, &sh));
        assert!(
            is_locked(&x, &sh, &c),
            "actual {fy} at {sh}!{c} should be locked"
        );
        let (sh, c) = target(&f, fy);
        assert!(!is_locked(&x, &sh, &c), "target {fy} stays editable");
    }
    let (sh, c) = actual(&f, 2026);
    assert!(
        !is_locked(&x, &sh, &c),
        "the new years' actuals are editable"
    );
    // The locked workbook still goes round: an actual of a new year typed and merged. A closed
    // year's actual typed over (the sheet's protection lifted, as anyone can) is refused and
    // the plan keeps its value.
    let (past_sh, past_c) = actual(&f, 2024);
    let past_before = indicator_value(&d, ONLINE, &kpi, 2024);
    let mut edit = Xlsx::open(&f);
    edit.set(&sh, &c, Some("130 手続"));
    edit.set(&past_sh, &past_c, Some("999"));
    edit.save(&f);
    let report = json(&["merge", s(&w.plan), s(&f), "--json"]);
    let refused: Vec<Json> = report["submissions"]
        .as_array()
        .unwrap()
        .iter()
        .flat_map(|s| s["projects"].as_array().unwrap().iter())
        .flat_map(|p| p["refused"].as_array().unwrap().iter().cloned())
        .collect();
    assert!(
        refused.iter().any(|r| r["field"]
            .as_str()
            .is_some_and(|f| f.ends_with("/2024/actual"))
            && r["reason"].as_str().unwrap().contains("確定済み")),
        "{report}"
    );
    let merged = w.dump(&w.plan);
    assert_eq!(indicator_value(&merged, ONLINE, &kpi, 2024), past_before);
    let v2026 = project(&merged, ONLINE)["indicators"]
        .as_array()
        .unwrap()
        .iter()
        .find(|i| i["id"] == kpi.as_str())
        .unwrap()["values"]
        .as_array()
        .unwrap()
        .iter()
        .find(|v| v["fiscal_year"] == 2026)
        .unwrap()["actual"]["text"]
        .clone();
    assert_eq!(v2026, "130 手続");
    // The office opens them for one export, or for the plan.
    let f = w.export(&w.plan, "開く.xlsx", &["--open-past-years"]);
    let (sh, c) = actual(&f, 2024);
    assert!(!is_locked(&Xlsx::open(&f), &sh, &c));
    ok(&["settings", s(&w.plan), "--open-past-years", "on"]);
    let f = w.export(&w.plan, "設定で開く.xlsx", &[]);
    let (sh, c) = actual(&f, 2024);
    assert!(!is_locked(&Xlsx::open(&f), &sh, &c));
    ok(&["settings", s(&w.plan), "--open-past-years", "off"]);
    let f = w.export(&w.plan, "再び締める.xlsx", &[]);
    let (sh, c) = actual(&f, 2024);
    assert!(is_locked(&Xlsx::open(&f), &sh, &c));
    // A plan never rolled over locks nothing.
    let fresh = World::new();
    let f = fresh.export(&fresh.plan, "通常.xlsx", &[]);
    let d0 = fresh.dump(&fresh.plan);
    let p0 = project(&d0, ONLINE);
    let k0 = kpi_id(p0);
    let (sh, c) = cell_of(
        &f,
        p0["id"].as_str().unwrap(),
        |k| matches!(k, RowKey::Actual { id } if *id == k0),
        Some(2022),
    );
    assert!(!is_locked(&Xlsx::open(&f), &sh, &c));
}

#[test]
fn rollover_in_place_records_unrecorded_work_first() {
    let w = World::new();
    ok(&["version", s(&w.plan), "--label", "第1.0版"]);
    // The department's answer after 第1.0版, never recorded as a version.
    let d10 = w.dump(&w.plan);
    let f = answer(&w, &d10);
    ok(&["merge", s(&w.plan), s(&f)]);
    let before = w.dump(&w.plan);
    let out = ok(&[
        "rollover",
        s(&w.plan),
        "--years",
        "2026-2030",
        "--label",
        "第2.0版",
    ]);
    assert!(out.contains("第2.0版 繰越前"), "{out}");
    let labels: Vec<String> = json(&["versions", s(&w.plan), "--json"])
        .as_array()
        .unwrap()
        .iter()
        .map(|v| v["label"].as_str().unwrap().to_string())
        .collect();
    assert_eq!(labels, ["第1.0版", "第2.0版 繰越前", "第2.0版"]);
    // The recorded state is the plan before the rollover (its label was still 第1.0版).
    assert_eq!(
        json(&["dump", s(&w.plan), "--version", "第2.0版 繰越前"]),
        before
    );
    // A period that does not reach further is refused and changes nothing.
    let now = w.dump(&w.plan);
    let (success, _, err) = dxplan(&[
        "rollover",
        s(&w.plan),
        "--years",
        "2024-2026",
        "--label",
        "第3.0版",
    ]);
    assert!(!success && err.contains("2030"), "{err}");
    assert_eq!(w.dump(&w.plan), now);
}

#[test]
fn check_lists_an_indicator_whose_unit_changed_between_versions() {
    let w = World::new();
    ok(&["version", s(&w.plan), "--label", "第1.0版"]);
    let kinds = |plan: &Path| -> Vec<Json> {
        let (_, out, _) = dxplan(&["check", s(plan), "--json"]);
        serde_json::from_str::<Json>(&out)
            .unwrap()
            .as_array()
            .unwrap()
            .iter()
            .filter(|l| l["kind"] == "indicator_definition_changed")
            .cloned()
            .collect()
    };
    assert!(kinds(&w.plan).is_empty());
    // The department switches a rate (%) to a count of people, as Fukuyama did after 2022.
    let d = w.dump(&w.plan);
    let p = project(&d, "デジタル・デバイド対策");
    let id = p["id"].as_str().unwrap();
    let kpi = kpi_id(p);
    let f = w.export(&w.plan, "単位変更.xlsx", &[]);
    let mut x = Xlsx::open(&f);
    let (sh, c) = cell_of(
        &f,
        id,
        |k| matches!(k, RowKey::Unit { id } if *id == kpi),
        None,
    );
    x.set(&sh, &c, Some("人"));
    x.save(&f);
    ok(&["merge", s(&w.plan), s(&f)]);
    // Already listed against the last version, then between the two recorded versions.
    let now = kinds(&w.plan);
    assert_eq!(now.len(), 1, "{now:?}");
    assert!(now[0]["message"].as_str().unwrap().contains("現在「人」"));
    ok(&["version", s(&w.plan), "--label", "第1.1版"]);
    let found = kinds(&w.plan);
    assert_eq!(found.len(), 1, "{found:?}");
    let l = &found[0];
    assert_eq!(l["project_code"], p["code"]);
    let msg = l["message"].as_str().unwrap();
    assert!(
        msg.contains("単位") && msg.contains("第1.0版「%」") && msg.contains("第1.1版「人」"),
        "{msg}"
    );
    let (success, out, _) = dxplan(&["check", s(&w.plan)]);
    assert!(!success && out.contains("第1.0版「%」"));
}

/// One indicator's actual in one fiscal year, as dumped.
fn indicator_value(dump: &Json, title: &str, kpi: &str, fy: i32) -> Json {
    project(dump, title)["indicators"]
        .as_array()
        .unwrap()
        .iter()
        .find(|i| i["id"] == kpi)
        .unwrap()["values"]
        .as_array()
        .unwrap()
        .iter()
        .find(|v| v["fiscal_year"] == fy)
        .map_or(Json::Null, |v| v["actual"].clone())
}
