//! Import without surprises (issue 14), through the `dxplan` binary: old → new for every
//! changed field and no existing value overwritten unless accepted; an import undone as a
//! whole; new projects without a measure asked about; labels mapped to fields and kept in the
//! plan; another city's words read like Onojo's; rows not understood never reported as plain
//! success; the hierarchy read from codes; CSV in Shift_JIS and UTF-8 with a BOM.
//!
//! Workbooks are written here with rust_xlsxwriter from the Onojo seed (tests/common/legacy.rs);
//! every expected value comes from the seed or from the test's own edits, never from the
//! importer.

use crate::common;

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use common::legacy::*;
use common::*;
use rust_xlsxwriter::Workbook;
use serde_json::Value as Json;

fn s(v: &Json) -> &str {
    v.as_str().unwrap_or("")
}

/// One Onojo sheet (the seed's 「各種支払いのキャッシュレス化」 as Ⅰ-1-②), edited by `edit`.
fn one_sheet(path: &Path, edit: impl FnOnce(&mut SeedProject, &mut OnojoStyle)) {
    let seed = onojo_seed();
    let mut p = seed
        .iter()
        .find(|p| p.title == "各種支払いのキャッシュレス化")
        .unwrap()
        .clone();
    let mut st = OnojoStyle::from_seed(&p);
    edit(&mut p, &mut st);
    let mut wb = Workbook::new();
    write_onojo_sheet(wb.add_worksheet(), "Ⅰ-1-②", &p, &st, &Formats::new()).unwrap();
    wb.save(path).unwrap();
}

fn project_line<'a>(r: &'a Json, title: &str) -> &'a Json {
    report_sheets(r)
        .into_iter()
        .flat_map(|s| s["projects"].as_array().unwrap().iter())
        .find(|p| p["title"] == title)
        .unwrap_or_else(|| panic!("no project 「{title}」 in the report"))
}

fn field_view<'a>(line: &'a Json, field: &str) -> &'a Json {
    line["fields"]
        .as_array()
        .unwrap_or_else(|| panic!("no fields in {line}"))
        .iter()
        .find(|f| f["field"] == field)
        .unwrap_or_else(|| panic!("no change of {field} in {line}"))
}

const CASHLESS: &str = "各種支払いのキャッシュレス化";

/// The preview shows old → new for every changed field; the default applies only what fills
/// an empty value; `--accept-fields` and `--accept PROJECT` apply the rest.
#[test]
fn preview_lists_old_and_new_and_nothing_existing_is_overwritten_unless_accepted() {
    let dir = tempfile::tempdir().unwrap();
    let plan = new_plan(dir.path(), "p.dxplan", "2022-2025");
    let first = dir.path().join("first.xlsx");
    one_sheet(&first, |_, _| {});
    import(&plan, &[&first], &[]).expect_ok("first import");
    let before = dump(&plan);
    let p0 = project(&before, CASHLESS);
    // The seed: LCC 「－」, 6,000, 10,000, 4,000.
    assert_eq!(
        budgets(p0, 2022..=2025),
        vec![None, Some(6000), Some(10000), Some(4000)]
    );

    let second = dir.path().join("second.xlsx");
    one_sheet(&second, |p, st| {
        st.lcc = [
            Cell::Number(3000.0),
            Cell::Number(6000.0),
            Cell::Number(10000.0),
            Cell::Number(12000.0),
        ];
        p.summary = "キャッシュレス決済を全窓口に広げます。".into();
    });
    let snap = snapshot(&plan);
    let r = import(&plan, &[&second], &["--dry-run", "--json"])
        .expect_ok("dry run")
        .json();
    assert_unchanged(&snap, &plan, "dry run");
    let line = project_line(&r, CASHLESS);
    assert_eq!(line["outcome"], "matched");
    let b25 = field_view(line, "budget/2025/planned");
    assert_eq!(s(&b25["label"]), "2025年度 事業費（千円）");
    assert_eq!(
        (s(&b25["old"]), s(&b25["new"])),
        ("4,000千円", "12,000千円")
    );
    assert_eq!(
        (b25["kind"].clone(), b25["applied"].clone()),
        (Json::from("changed"), Json::from(false))
    );
    let b22 = field_view(line, "budget/2022/planned");
    assert_eq!((s(&b22["old"]), s(&b22["new"])), ("（なし）", "3,000千円"));
    assert_eq!(
        (b22["kind"].clone(), b22["applied"].clone()),
        (Json::from("added"), Json::from(true))
    );
    let summary = field_view(line, "texts.summary");
    assert_eq!(s(&summary["new"]), "キャッシュレス決済を全窓口に広げます。");
    assert_eq!(summary["applied"], false);
    assert_eq!(line["held"], 2);
    assert_eq!(r["summary"]["changes_held"], 2);

    // The text report says it in words people read.
    let text = import(&plan, &[&second], &["--dry-run"])
        .expect_ok("dry run, text")
        .stdout;
    assert!(
        text.contains("2025年度 事業費（千円）: 4,000千円 → 12,000千円　〔保留〕"),
        "{text}"
    );
    assert!(text.contains("保留 2 項目"), "{text}");

    // The default: the empty year is filled, nothing the plan had is changed.
    import(&plan, &[&second], &[]).expect_ok("default import");
    let d = dump(&plan);
    let p = project(&d, CASHLESS);
    assert_eq!(
        budgets(p, 2022..=2025),
        vec![Some(3000), Some(6000), Some(10000), Some(4000)]
    );
    assert_eq!(p["texts"]["summary"], p0["texts"]["summary"]);

    // One field accepted in every project: the budget, not the summary.
    import(&plan, &[&second], &["--accept-fields", "budget"]).expect_ok("--accept-fields budget");
    let d = dump(&plan);
    let p = project(&d, CASHLESS);
    assert_eq!(budget(p, 2025), Some(12000));
    assert_eq!(p["texts"]["summary"], p0["texts"]["summary"]);

    // The project accepted by its code: everything.
    let code = s(&p["code"]).to_string();
    assert_eq!(code, "Ⅰ-1-②", "the sheet's code places the project");
    let r = import(&plan, &[&second], &["--accept", &code, "--json"])
        .expect_ok("--accept CODE")
        .json();
    assert_eq!(project_line(&r, CASHLESS)["held"].as_u64().unwrap_or(0), 0);
    let d = dump(&plan);
    assert_eq!(
        project(&d, CASHLESS)["texts"]["summary"],
        "キャッシュレス決済を全窓口に広げます。"
    );

    // An unknown project or field is refused, naming it; nothing is written.
    let snap = snapshot(&plan);
    let bad = import(&plan, &[&second], &["--accept", "Ⅸ-9-⑨"]);
    assert_eq!(bad.code, Some(2));
    assert!(bad.stderr.contains("Ⅸ-9-⑨"), "{}", bad.stderr);
    let bad = import(&plan, &[&second], &["--accept-fields", "予算っぽいもの"]);
    assert_eq!(bad.code, Some(2));
    assert!(
        bad.stderr.contains("budget"),
        "lists the fields: {}",
        bad.stderr
    );
    assert_unchanged(&snap, &plan, "refused choices");
}

/// A flat list of new projects that name no measure (事業名, 担当課, a cost column).
fn no_measure_list(path: &Path, rows: &[(&str, &str, f64)], cost_header: &str) {
    let mut wb = Workbook::new();
    let ws = wb.add_worksheet();
    ws.set_name("新規事業").unwrap();
    for (i, h) in ["事業名", "担当課", cost_header].iter().enumerate() {
        ws.write_string(0, i as u16, *h).unwrap();
    }
    for (k, (title, owner, cost)) in rows.iter().enumerate() {
        let r = 1 + k as u32;
        ws.write_string(r, 0, *title).unwrap();
        ws.write_string(r, 1, *owner).unwrap();
        ws.write_number(r, 2, *cost).unwrap();
    }
    wb.save(path).unwrap();
}

/// New projects without a measure are not filed under an invented 「未分類」: the import stops,
/// lists them and the measures they can go under; `--measure` places them.
#[test]
fn new_projects_without_a_measure_are_asked_about() {
    let dir = tempfile::tempdir().unwrap();
    let plan = sample_plan(dir.path(), "p.dxplan");
    let list = dir.path().join("新規.xlsx");
    no_measure_list(
        &list,
        &[
            ("窓口予約のオンライン化", "市民課", 1500.0),
            ("公用車の予約管理", "総務課", 300.0),
        ],
        "R6事業費（千円）",
    );
    let snap = snapshot(&plan);
    let r = import(&plan, &[&list], &[]);
    assert_eq!(
        r.code,
        Some(2),
        "stdout:\n{}\nstderr:\n{}",
        r.stdout,
        r.stderr
    );
    assert!(r.stderr.contains("--measure"), "{}", r.stderr);
    assert!(r.stdout.contains("窓口予約のオンライン化"), "{}", r.stdout);
    assert!(
        r.stdout.contains("Ⅰ-1 行政手続のオンライン化"),
        "the choices are listed with their codes:\n{}",
        r.stdout
    );
    let j = import(&plan, &[&list], &["--json"]);
    assert_eq!(j.code, Some(2));
    let q = &j.json()["questions"];
    assert_eq!(q["unplaced"].as_array().unwrap().len(), 2);
    assert!(q["measures"]
        .as_array()
        .unwrap()
        .iter()
        .any(|m| m["code"] == "Ⅱ-1"));
    assert_unchanged(&snap, &plan, "refused: no measure");
    assert!(
        !dump_text(&plan).contains("未分類"),
        "no 「未分類」 policy or measure was invented"
    );

    import(&plan, &[&list], &["--measure", "Ⅰ-1"]).expect_ok("--measure Ⅰ-1");
    let d = dump(&plan);
    for t in ["窓口予約のオンライン化", "公用車の予約管理"] {
        assert_eq!(
            measure_titles(&d, project(&d, t)),
            vec!["行政手続のオンライン化"]
        );
    }
    assert_eq!(budget(project(&d, "公用車の予約管理"), 2024), Some(300));

    // In an empty plan the measure is created where the person says.
    let empty = new_plan(dir.path(), "empty.dxplan", "2024-2027");
    let r = import(&empty, &[&list], &[]);
    assert_eq!(r.code, Some(2));
    import(&empty, &[&list], &["--measure", "業務改革/窓口の改善"])
        .expect_ok("--measure POLICY/MEASURE");
    let d = dump(&empty);
    let p = project(&d, "窓口予約のオンライン化");
    assert_eq!(measure_titles(&d, p), vec!["窓口の改善"]);
    assert_eq!(policy_title(&d, p), "業務改革");
}

/// An import is undone as a whole: the plan's dump is exactly what it was, the import is
/// listed as undone, and it cannot be undone twice.
#[test]
fn undo_import_restores_the_dump_exactly() {
    let dir = tempfile::tempdir().unwrap();
    let plan = sample_plan(dir.path(), "p.dxplan");
    let before = dump_text(&plan);
    // Onojo sheets the sample has (matched, with edits accepted), a new project under a new
    // measure and policy, new owner units, and a label mapped into the profile.
    let wb = dir.path().join("edits.xlsx");
    one_sheet(&wb, |p, st| {
        st.lcc[3] = Cell::Number(99000.0);
        st.owners = Some("会計課、出納室".into());
        p.summary = "書き換えた概要".into();
    });
    let list = dir.path().join("list.xlsx");
    no_measure_list(
        &list,
        &[("新しい実証事業", "スマートシティ推進室", 700.0)],
        "R6予定額",
    );
    let r = import(
        &plan,
        &[&wb, &list],
        &[
            "--accept",
            "all",
            "--measure",
            "新しい基本方針/新しい施策",
            "--map",
            "予定額=budget",
            "--json",
        ],
    )
    .expect_ok("import")
    .json();
    let id = r["import_id"].as_i64().expect("an import id");
    let after = dump_text(&plan);
    assert_ne!(after, before);
    assert!(after.contains("出納室") && after.contains("新しい施策") && after.contains("99000"));
    let profile = dxplan(&["import-profile", p(&plan), "--json"])
        .expect_ok("profile")
        .json();
    assert_eq!(profile[0]["field"], "budget");

    let list_json = dxplan(&["imports", p(&plan), "--json"])
        .expect_ok("imports")
        .json();
    let rec = list_json
        .as_array()
        .unwrap()
        .iter()
        .find(|x| x["id"] == id)
        .expect("listed");
    assert_eq!(rec["undone"], false);
    assert_eq!(rec["projects_new"], 1);

    let u = dxplan(&["undo-import", p(&plan), &id.to_string(), "--json"])
        .expect_ok("undo-import")
        .json();
    assert!(u["kept"].as_array().unwrap().is_empty(), "{u}");
    assert_eq!(dump_text(&plan), before, "the dump is exactly what it was");
    let profile = dxplan(&["import-profile", p(&plan), "--json"])
        .expect_ok("profile")
        .json();
    assert!(
        profile.as_array().unwrap().is_empty(),
        "the mapping is taken back: {profile}"
    );
    let list_json = dxplan(&["imports", p(&plan), "--json"])
        .expect_ok("imports")
        .json();
    assert_eq!(list_json[0]["undone"], true);
    let again = dxplan(&["undo-import", p(&plan), &id.to_string()]);
    assert_eq!(again.code, Some(2));
    assert!(again.stderr.contains(&id.to_string()), "{}", again.stderr);
}

/// A label mapped once is kept in the plan: the next workbook with it needs no `--map`.
#[test]
fn a_mapped_label_is_kept_as_the_plans_profile() {
    let dir = tempfile::tempdir().unwrap();
    let plan = sample_plan(dir.path(), "p.dxplan");
    let a = dir.path().join("a.xlsx");
    no_measure_list(
        &a,
        &[("窓口予約のオンライン化", "市民課", 1500.0)],
        "令和6年度 予定額",
    );
    // Not understood, in a year column: stopped, with the label and its cells named.
    let r = import(&plan, &[&a], &["--measure", "Ⅰ-1", "--json"]);
    assert_eq!(r.code, Some(2), "{}", r.stderr);
    let labels = &r.json()["questions"]["unknown_labels"];
    assert_eq!(labels[0]["label"], "予定額", "{labels}");
    assert_eq!(labels[0]["year_cells"], 1);
    import(
        &plan,
        &[&a],
        &["--measure", "Ⅰ-1", "--map", "予定額=budget"],
    )
    .expect_ok("--map");
    let d = dump(&plan);
    assert_eq!(
        budget(project(&d, "窓口予約のオンライン化"), 2024),
        Some(1500)
    );

    let b = dir.path().join("b.xlsx");
    no_measure_list(
        &b,
        &[("公用車の予約管理", "総務課", 300.0)],
        "令和6年度 予定額",
    );
    let r = import(&plan, &[&b], &["--measure", "Ⅰ-1", "--json"])
        .expect_ok("second import, no --map")
        .json();
    assert_eq!(r["summary"]["rows_unread"], 0, "{}", r["summary"]);
    assert_eq!(
        budget(project(&dump(&plan), "公用車の予約管理"), 2024),
        Some(300)
    );
    let profile = dxplan(&["import-profile", p(&plan)])
        .expect_ok("profile")
        .stdout;
    assert!(
        profile.contains("予定額") && profile.contains("budget"),
        "{profile}"
    );
}

/// The Onojo layout with another city's words on its rows.
fn other_words(st: &mut OnojoStyle, schedule: &str) {
    st.title_label = "事業名".into();
    st.summary_label = "取組内容".into();
    st.schedule_label = schedule.into();
    st.goal_label = "めざす姿".into();
    st.effects_label = "期待される成果".into();
    st.kgi_label = "成果指標".into();
    st.kpi_label = "活動指標".into();
    st.kpi_row_label = "目標値".into();
    st.actual_row = Some((
        "実績値".into(),
        [Cell::Blank, Cell::Blank, Cell::Blank, Cell::Blank],
    ));
    st.lcc_label = "予算額（千円）".into();
    st.owner_label = "所管課".into();
}

/// The 30 Onojo sheets with headings, 目次 and 集計, each sheet's style changed by `edit`.
fn onojo_workbook(path: &Path, toc: bool, edit: impl Fn(&mut OnojoStyle)) -> Vec<SeedProject> {
    let seed = onojo_seed();
    let f = Formats::new();
    let mut wb = Workbook::new();
    let mut counter: BTreeMap<(usize, u32), usize> = BTreeMap::new();
    let names: Vec<String> = seed
        .iter()
        .map(|p| {
            let k = counter.entry((p.policy, p.measure_no)).or_default();
            *k += 1;
            onojo_code(p, *k - 1)
        })
        .collect();
    if toc {
        let rows: Vec<(String, String, String)> = seed
            .iter()
            .zip(&names)
            .map(|(p, n)| (p.measure.clone(), p.title.clone(), n.clone()))
            .collect();
        write_toc(wb.add_worksheet(), &rows, &f).unwrap();
    }
    for (i, (p, name)) in seed.iter().zip(&names).enumerate() {
        let mut st = onojo_30_style(i, p);
        st.owners = Some(format!("{}課", ["情報政策", "市民", "総務"][i % 3]));
        edit(&mut st);
        write_onojo_sheet(wb.add_worksheet(), name, p, &st, &f).unwrap();
    }
    write_totals(wb.add_worksheet(), &f).unwrap();
    wb.save(path).unwrap();
    seed
}

/// Indicators, tasks and budget of every project: what the two workbooks must both give.
fn contents(d: &Json) -> BTreeMap<String, Json> {
    projects(d)
        .iter()
        .map(|p| {
            let inds: Vec<Json> = p["indicators"]
                .as_array()
                .unwrap()
                .iter()
                .map(|i| serde_json::json!([i["kind"], i["name"], i["unit"], i["values"]]))
                .collect();
            let tasks: Vec<Json> = tasks(p)
                .iter()
                .map(|t| serde_json::json!([t["task"], t["start_fy"], t["end_fy"], t["confirmed"]]))
                .collect();
            (
                s(&p["title"]).to_string(),
                serde_json::json!({
                    "indicators": inds,
                    "tasks": tasks,
                    "budget": p["budget"],
                    "owners": p["owners"],
                    "summary": p["texts"]["summary"],
                    "goal": p["texts"]["goal"],
                    "effects": p["texts"]["effects"],
                }),
            )
        })
        .collect()
}

/// A workbook in the Onojo layout whose rows carry another city's words (事業名, 取組内容,
/// 実施計画, めざす姿, 成果指標, 活動指標, 目標値, 実績値, 予算額, 所管課) gives the same
/// indicators, tasks and budget as the original labels, and reads every labelled row.
#[test]
fn another_citys_words_read_like_onojos() {
    let dir = tempfile::tempdir().unwrap();
    let orig = dir.path().join("onojo.xlsx");
    onojo_workbook(&orig, true, |_| {});
    let other = dir.path().join("other.xlsx");
    onojo_workbook(&other, true, |st| other_words(st, "実施計画"));
    let a = new_plan(dir.path(), "a.dxplan", "R4～R7");
    let b = new_plan(dir.path(), "b.dxplan", "R4～R7");
    import(&a, &[&orig], &[]).expect_ok("original words");
    let r = import(&b, &[&other], &["--json"])
        .expect_ok("another city's words")
        .json();
    assert_eq!(r["summary"]["projects_new"], 30);
    assert_eq!(
        r["summary"]["rows_unread"], 0,
        "every labelled row read: {}",
        r["questions"]
    );
    let (ca, cb) = (contents(&dump(&a)), contents(&dump(&b)));
    assert_eq!(ca.len(), 30);
    let tasks: usize = projects(&dump(&b)).iter().map(|p| tasks(p).len()).sum();
    assert_eq!(tasks, 89, "89 schedule tasks (DOMAIN.md)");
    let indicators: usize = projects(&dump(&b))
        .iter()
        .map(|p| p["indicators"].as_array().unwrap().len())
        .sum();
    assert_eq!(indicators, 60, "a KGI and a KPI on each of the 30 sheets");
    for (title, want) in &ca {
        assert_eq!(
            cb.get(title),
            Some(want),
            "「{title}」 reads the same under other words"
        );
    }
}

/// Labelled rows with year columns that nothing reads stop the import (exit 2, nothing
/// written) and are counted per sheet; `--allow-skipped` imports without them and still says
/// so; `--map` reads them.
#[test]
fn rows_not_understood_are_never_plain_success() {
    let dir = tempfile::tempdir().unwrap();
    let wb = dir.path().join("other.xlsx");
    onojo_workbook(&wb, true, |st| other_words(st, "年次の取組予定"));
    let plan = new_plan(dir.path(), "p.dxplan", "R4～R7");
    let snap = snapshot(&plan);
    let r = import(&plan, &[&wb], &[]);
    assert_eq!(r.code, Some(2), "stdout:\n{}", tail(&r.stdout, 2000));
    assert!(
        r.stderr.contains("--allow-skipped") && r.stderr.contains("--map"),
        "{}",
        r.stderr
    );
    // Each sheet says how much of it was not understood: the label row and its task rows.
    let sheet = "Ⅰ-1-①";
    let seed = onojo_seed();
    let n_tasks = seed[0].tasks.len();
    let line = r
        .stdout
        .lines()
        .skip_while(|l| !l.contains(&format!("シート「{sheet}」")))
        .find(|l| l.contains("未読:"))
        .unwrap_or_else(|| panic!("no 未読 line for {sheet}:\n{}", r.stdout));
    assert!(
        line.contains(&format!("未読: {} 行", n_tasks + 1)),
        "{line} (the header and {n_tasks} task rows)"
    );
    assert_unchanged(&snap, &plan, "stopped before writing");

    let j = import(&plan, &[&wb], &["--json"]).json();
    let labels = j["questions"]["unknown_labels"].as_array().unwrap().clone();
    assert_eq!(labels[0]["label"], "年次の取組予定", "{labels:?}");
    assert_eq!(labels[0]["rows"].as_u64(), Some(30 + 89));
    assert!(labels[0]["year_cells"].as_u64().unwrap() > 0);

    let r = import(&plan, &[&wb], &["--allow-skipped", "--json"])
        .expect_ok("--allow-skipped")
        .json();
    assert_eq!(r["summary"]["rows_unread"].as_u64(), Some(30 + 89));
    let text = dxplan(&["dump", p(&plan)]).stdout;
    let d: Json = serde_json::from_str(&text).unwrap();
    assert_eq!(
        projects(&d).iter().map(|p| tasks(p).len()).sum::<usize>(),
        0
    );

    let plan2 = new_plan(dir.path(), "q.dxplan", "R4～R7");
    import(&plan2, &[&wb], &["--map", "年次の取組予定=schedule"]).expect_ok("--map schedule");
    let d = dump(&plan2);
    assert_eq!(
        projects(&d).iter().map(|p| tasks(p).len()).sum::<usize>(),
        89
    );
}

/// The 目次 of the workbook with the 基本方針 written as section rows above its table.
fn toc_with_policies(ws: &mut rust_xlsxwriter::Worksheet, seed: &[SeedProject], names: &[String]) {
    ws.set_name("目次").unwrap();
    ws.write_string(0, 0, "個別施策シート 目次").unwrap();
    for (i, h) in ["No.", "取組", "個別施策", "シート"].iter().enumerate() {
        ws.write_string(2, i as u16, *h).unwrap();
    }
    let mut r = 3;
    let mut policy = 0;
    for (k, (p, n)) in seed.iter().zip(names).enumerate() {
        if p.policy != policy {
            policy = p.policy;
            ws.write_string(
                r,
                0,
                format!("基本方針{}　{}", roman(p.policy), p.policy_title()),
            )
            .unwrap();
            r += 1;
        }
        ws.write_number(r, 0, (k + 1) as f64).unwrap();
        ws.write_string(r, 1, &p.measure).unwrap();
        ws.write_string(r, 2, &p.title).unwrap();
        ws.write_string(r, 3, n).unwrap();
        r += 1;
    }
}

fn budget_per_policy(d: &Json) -> BTreeMap<String, (usize, i64)> {
    let mut out: BTreeMap<String, (usize, i64)> = BTreeMap::new();
    for p in projects(d) {
        let e = out.entry(policy_title(d, p)).or_default();
        e.0 += 1;
        e.1 += (2022..=2025).filter_map(|fy| budget(p, fy)).sum::<i64>();
    }
    out
}

/// No heading names the 基本方針: the sheet names' codes (Ⅰ-1-①) place the projects, the
/// 目次 gives the titles, and the budget per 基本方針 is the plan's (DOMAIN.md: Ⅰ 16 projects
/// 626,400, Ⅱ 14 projects 614,000, total 1,240,400 千円).
#[test]
fn the_hierarchy_written_only_in_codes_reproduces_the_budget_per_policy() {
    let dir = tempfile::tempdir().unwrap();
    let seed = onojo_seed();
    let mut counter: BTreeMap<(usize, u32), usize> = BTreeMap::new();
    let names: Vec<String> = seed
        .iter()
        .map(|p| {
            let k = counter.entry((p.policy, p.measure_no)).or_default();
            *k += 1;
            onojo_code(p, *k - 1)
        })
        .collect();
    // Sheets named by their codes, or named otherwise with the code in a heading above the
    // table (「Ⅰ-1 行政手続のオンライン化」).
    let write =
        |path: &Path, policies_in_toc: bool, code_in_heading: bool, measure_heading: bool| {
            let f = Formats::new();
            let mut wb = Workbook::new();
            let names: Vec<String> = if code_in_heading {
                (1..=seed.len()).map(|k| format!("個別施策{k}")).collect()
            } else {
                names.clone()
            };
            if policies_in_toc {
                toc_with_policies(wb.add_worksheet(), &seed, &names);
            } else {
                let rows: Vec<(String, String, String)> = seed
                    .iter()
                    .zip(&names)
                    .map(|(p, n)| (p.measure.clone(), p.title.clone(), n.clone()))
                    .collect();
                write_toc(wb.add_worksheet(), &rows, &f).unwrap();
            }
            for (i, (p, name)) in seed.iter().zip(&names).enumerate() {
                let mut st = onojo_30_style(i, p);
                st.title_rows = if code_in_heading {
                    vec![format!(
                        "{}-{} {}",
                        roman(p.policy),
                        p.measure_no,
                        p.measure
                    )]
                } else if measure_heading {
                    vec![format!("取組{}：{}", p.measure_no, p.measure)]
                } else {
                    Vec::new()
                };
                st.blank_after_title = false;
                write_onojo_sheet(wb.add_worksheet(), name, p, &st, &f).unwrap();
            }
            write_totals(wb.add_worksheet(), &f).unwrap();
            wb.save(path).unwrap();
        };

    let with_titles = dir.path().join("codes_titles.xlsx");
    write(&with_titles, true, false, false);
    let plan = new_plan(dir.path(), "a.dxplan", "R4～R7");
    import(&plan, &[&with_titles], &[]).expect_ok("import");
    let d = dump(&plan);
    assert!(!dump_text(&plan).contains("未分類"));
    let per = budget_per_policy(&d);
    assert_eq!(per.get(POLICY_1), Some(&(16, 626_400)), "{per:?}");
    assert_eq!(per.get(POLICY_2), Some(&(14, 614_000)), "{per:?}");
    assert_eq!(per.values().map(|v| v.1).sum::<i64>(), 1_240_400);
    let codes: Vec<&str> = d["policies"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| s(&p["code"]))
        .collect();
    assert_eq!(codes, ["Ⅰ", "Ⅱ"]);
    assert_eq!(d["measures"].as_array().unwrap().len(), 13);
    for (p, name) in seed.iter().zip(&names) {
        let got = project(&d, &p.title);
        assert_eq!(measure_titles(&d, got), vec![p.measure.clone()], "{name}");
        assert_eq!(
            s(&got["code"]),
            name.as_str(),
            "the code of the sheet is the project's"
        );
    }
    // `summary` totals the same per policy.
    let out = dxplan(&["summary", p(&plan)]).expect_ok("summary").stdout;
    assert!(out.contains("626,400") && out.contains("614,000"), "{out}");

    // Without titles anywhere, the policies are named by their codes; the totals hold.
    let bare = dir.path().join("codes_only.xlsx");
    write(&bare, false, false, false);
    let plan = new_plan(dir.path(), "b.dxplan", "R4～R7");
    import(&plan, &[&bare], &[]).expect_ok("import");
    let per = budget_per_policy(&dump(&plan));
    assert_eq!(per.get("基本方針Ⅰ"), Some(&(16, 626_400)), "{per:?}");
    assert_eq!(per.get("基本方針Ⅱ"), Some(&(14, 614_000)), "{per:?}");

    // The code in a heading above each table, the sheets named otherwise.
    let headed = dir.path().join("codes_in_headings.xlsx");
    write(&headed, true, true, false);
    let plan = new_plan(dir.path(), "c.dxplan", "R4～R7");
    import(&plan, &[&headed], &[]).expect_ok("import");
    let d = dump(&plan);
    let per = budget_per_policy(&d);
    assert_eq!(per.get(POLICY_1), Some(&(16, 626_400)), "{per:?}");
    assert_eq!(per.get(POLICY_2), Some(&(14, 614_000)), "{per:?}");
    for p in &seed {
        assert_eq!(
            measure_titles(&d, project(&d, &p.title)),
            vec![p.measure.clone()]
        );
    }

    // Headings name the 取組 but not the 基本方針 (all 30 under one 「未分類」 before): the
    // sheet names' codes give the policy.
    let measures_only = dir.path().join("measure_headings.xlsx");
    write(&measures_only, true, false, true);
    let plan = new_plan(dir.path(), "d.dxplan", "R4～R7");
    import(&plan, &[&measures_only], &[]).expect_ok("import");
    let per = budget_per_policy(&dump(&plan));
    assert_eq!(per.get(POLICY_1), Some(&(16, 626_400)), "{per:?}");
    assert_eq!(per.get(POLICY_2), Some(&(14, 614_000)), "{per:?}");
}

/// The 財務会計 budget list as CSV: the same list in Shift_JIS and in UTF-8 with a BOM
/// imports the same, and the report names the encoding.
#[test]
fn csv_in_shift_jis_and_utf8_with_bom() {
    let dir = tempfile::tempdir().unwrap();
    let text = "事業名,担当課,施策,R5目標,令和5年度 事業費（千円）,令和6年度 事業費（千円）\r\n\
                オンライン申請の拡充,情報政策課、市民課ほか,行政手続のオンライン化,64 手続,\"6,000\",6000\r\n\
                電子図書館サービスの提供,市民図書館,地域のデジタル化,500人,3000,－\r\n";
    let (sjis, _, bad) = encoding_rs::SHIFT_JIS.encode(text);
    assert!(!bad);
    let sjis_path = dir.path().join("予算一覧_sjis.csv");
    write(&sjis_path, &sjis);
    let bom_path = dir.path().join("予算一覧_utf8.csv");
    let mut bom = b"\xEF\xBB\xBF".to_vec();
    bom.extend_from_slice(text.as_bytes());
    write(&bom_path, &bom);

    let mut dumps = Vec::new();
    for (path, enc) in [(&sjis_path, "Shift_JIS"), (&bom_path, "BOM")] {
        let plan = new_plan(dir.path(), &format!("{enc}.dxplan"), "2022-2025");
        let r = import(&plan, &[path], &["--json"])
            .expect_ok("csv import")
            .json();
        assert!(
            s(&r["files"][0]["encoding"]).contains(enc),
            "{}",
            r["files"][0]
        );
        assert_eq!(r["summary"]["projects_new"], 2);
        let text = import(&plan, &[path], &["--dry-run"])
            .expect_ok("text")
            .stdout;
        assert!(text.contains("文字コード") && text.contains(enc), "{text}");
        let d = dump(&plan);
        let p = project(&d, "オンライン申請の拡充");
        assert_eq!(budgets(p, 2023..=2024), vec![Some(6000), Some(6000)]);
        assert_eq!(owners(p), vec!["情報政策課", "市民課"]);
        let i = indicator(p, "KPI");
        assert_value(target(i, 2023), Some(64.0), Some("手続"), None, "R5目標");
        assert_eq!(budget(project(&d, "電子図書館サービスの提供"), 2024), None);
        dumps.push(contents(&d));
    }
    assert_eq!(dumps[0], dumps[1], "Shift_JIS and UTF-8 read the same");
}

/// One sheet in no known layout does not stop the others: it is skipped and listed;
/// `--strict` stops the import at it.
#[test]
fn an_unknown_sheet_does_not_stop_the_others() {
    let dir = tempfile::tempdir().unwrap();
    let path: PathBuf = dir.path().join("mixed.xlsx");
    let seed = onojo_seed();
    let p0 = seed.iter().find(|p| p.title == CASHLESS).unwrap();
    let mut wb = Workbook::new();
    write_onojo_sheet(
        wb.add_worksheet(),
        "Ⅰ-1-②",
        p0,
        &OnojoStyle::from_seed(p0),
        &Formats::new(),
    )
    .unwrap();
    let ws = wb.add_worksheet();
    ws.set_name(NO_LAYOUT_SHEET).unwrap();
    for (i, h) in ["日付", "会議室", "予約者"].iter().enumerate() {
        ws.write_string(0, i as u16, *h).unwrap();
        ws.write_string(1, i as u16, "x").unwrap();
    }
    wb.save(&path).unwrap();
    let plan = new_plan(dir.path(), "p.dxplan", "2022-2025");
    let snap = snapshot(&plan);
    let strict = import(&plan, &[&path], &["--strict"]);
    assert_eq!(strict.code, Some(2));
    assert!(strict.stderr.contains(NO_LAYOUT_SHEET), "{}", strict.stderr);
    assert_unchanged(&snap, &plan, "--strict");
    let r = import(&plan, &[&path], &["--json"])
        .expect_ok("mixed workbook")
        .json();
    assert_eq!(r["summary"]["projects_new"], 1);
    let skipped = report_sheet(&r, NO_LAYOUT_SHEET);
    assert_eq!(skipped["unknown_layout"], true);
    assert!(s(&r["questions"]["unknown_sheets"][0]).contains(NO_LAYOUT_SHEET));
    assert_eq!(titles(&dump(&plan)), vec![CASHLESS.to_string()]);
}

/// Writes this file's workbooks for a look by hand or with another build:
/// `DXPLAN_FIXTURE_OUT=dir cargo test --test integration import_ux:: -- --ignored`.
#[test]
#[ignore]
fn write_issue14_fixtures() {
    let out = PathBuf::from(std::env::var("DXPLAN_FIXTURE_OUT").expect("DXPLAN_FIXTURE_OUT=dir"));
    std::fs::create_dir_all(&out).unwrap();
    onojo_workbook(&out.join("onojo_30_other_words.xlsx"), true, |st| {
        other_words(st, "実施計画")
    });
    onojo_workbook(&out.join("onojo_30_unknown_schedule.xlsx"), true, |st| {
        other_words(st, "年次の取組予定")
    });
    onojo_workbook(
        &out.join("onojo_30_measure_headings_only.xlsx"),
        true,
        |st| {
            st.title_rows.retain(|r| !r.starts_with("基本方針"));
        },
    );
}

/// An import writes each sheet's new projects as it goes (issue 18: memory flat in the sheets).
/// A later sheet of a project created by an earlier one is applied to it as if all were in
/// memory: the report is the preview's, the project is created once (one history entry), a
/// value the first sheet set is held, an empty one filled, and undo restores the dump.
#[test]
fn a_second_sheet_of_a_new_project_is_applied_to_the_project_already_written() {
    let dir = tempfile::tempdir().unwrap();
    let plan = new_plan(dir.path(), "empty.dxplan", "2022-2025");
    let before = dump_text(&plan);
    let seed = onojo_seed();
    let first = seed.iter().find(|p| p.title == CASHLESS).unwrap();
    let other = seed.iter().find(|p| p.title != CASHLESS).unwrap();
    let wb_path = dir.path().join("twice.xlsx");
    let mut wb = Workbook::new();
    let f = Formats::new();
    let mut a = first.clone();
    a.summary = String::new();
    write_onojo_sheet(
        wb.add_worksheet(),
        "一枚目",
        &a,
        &OnojoStyle::from_seed(&a),
        &f,
    )
    .unwrap();
    write_onojo_sheet(
        wb.add_worksheet(),
        "別の事業",
        other,
        &OnojoStyle::from_seed(other),
        &f,
    )
    .unwrap();
    let mut b = first.clone();
    b.summary = "二枚目で書いた概要".into();
    b.goal = "二枚目で書き換えた目指す姿".into();
    write_onojo_sheet(
        wb.add_worksheet(),
        "二枚目",
        &b,
        &OnojoStyle::from_seed(&b),
        &f,
    )
    .unwrap();
    wb.save(&wb_path).unwrap();

    let preview = import(&plan, &[&wb_path], &["--dry-run", "--json"])
        .expect_ok("preview")
        .json();
    let r = import(&plan, &[&wb_path], &["--json"])
        .expect_ok("import")
        .json();
    // Each run mints its own ids: the lines are compared without them.
    let lines = |r: &Json| {
        report_sheets(r)
            .into_iter()
            .flat_map(|s| s["projects"].as_array().unwrap().clone())
            .map(|mut l| {
                l["project_id"] = Json::Null;
                l
            })
            .collect::<Vec<_>>()
    };
    assert_eq!(
        lines(&r),
        lines(&preview),
        "the import reports what its preview said"
    );
    assert_eq!(r["summary"], preview["summary"]);
    assert_eq!(r["summary"]["projects_new"], 2, "{}", r["summary"]);
    assert_eq!(r["summary"]["projects_matched"], 1, "{}", r["summary"]);
    let second = report_sheets(&r)
        .into_iter()
        .flat_map(|s| s["projects"].as_array().unwrap())
        .find(|l| l["outcome"] == "matched")
        .expect("the second sheet matched the first");
    assert_eq!(second["at"], "二枚目!B3");
    assert_eq!(field_view(second, "texts.goal")["applied"], false);
    assert_eq!(field_view(second, "texts.summary")["applied"], true);

    let d = dump(&plan);
    let proj = project(&d, CASHLESS);
    assert_eq!(
        proj["texts"]["summary"], "二枚目で書いた概要",
        "an empty value is filled"
    );
    assert_eq!(
        proj["texts"]["goal"],
        first.goal.as_str(),
        "a value set is held"
    );
    let id = s(&proj["id"]).to_string();
    let history = dxplan(&["history", p(&plan), "--project", &id, "--json"])
        .expect_ok("history")
        .json();
    let fields: Vec<&str> = history
        .as_array()
        .unwrap()
        .iter()
        .map(|e| s(&e["field"]))
        .collect();
    assert_eq!(fields, vec!["(created)"], "created once: {history}");

    let import_id = r["import_id"].as_i64().expect("an import id").to_string();
    dxplan(&["undo-import", p(&plan), &import_id]).expect_ok("undo-import");
    assert_eq!(dump_text(&plan), before, "undo takes the whole import back");
}

/// An import that must ask is rolled back whole, though the sheets read before the question
/// arose were already written into its transaction.
#[test]
fn an_import_that_must_ask_takes_back_what_it_had_written() {
    let dir = tempfile::tempdir().unwrap();
    let plan = new_plan(dir.path(), "empty.dxplan", "2022-2025");
    let sheet = dir.path().join("sheet.xlsx");
    one_sheet(&sheet, |_, _| {});
    let list = dir.path().join("list.xlsx");
    no_measure_list(
        &list,
        &[("窓口予約のオンライン化", "市民課", 1500.0)],
        "R6事業費（千円）",
    );
    let snap = snapshot(&plan);
    let r = import(&plan, &[&sheet, &list], &["--json"]);
    assert_eq!(
        r.code,
        Some(2),
        "stdout:\n{}\nstderr:\n{}",
        r.stdout,
        r.stderr
    );
    let j = r.json();
    assert_eq!(j["summary"]["projects_new"], 2, "{}", j["summary"]);
    assert_eq!(j["questions"]["unplaced"].as_array().unwrap().len(), 1);
    assert_unchanged(&snap, &plan, "an import that asks");
    assert!(dxplan(&["history", p(&plan), "--json"])
        .expect_ok("history")
        .json()
        .as_array()
        .unwrap()
        .is_empty());
}

/// A dxplan export is matched by its ids even when a sheet added before its project sheets
/// reads as a legacy list: that list is not applied, though sheets are applied as they are
/// read (the import reads such a workbook again, whole).
#[test]
fn a_list_added_before_an_exports_sheets_is_not_applied() {
    let dir = tempfile::tempdir().unwrap();
    let plan = sample_plan(dir.path(), "p.dxplan");
    let export = dir.path().join("dept.xlsx");
    export_for_department(&plan, "情報政策課", &export);
    let plain = import(&plan, &[&export], &["--dry-run", "--json"])
        .expect_ok("the export as it was")
        .json();
    let added = dir.path().join("dept-added.xlsx");
    let mut x = crate::support::xlsx_edit::Xlsx::open(&export);
    x.add_sheet_first(
        "追加",
        &[
            ("A1", "事業名"),
            ("B1", "担当課"),
            ("C1", "R6事業費（千円）"),
            ("A2", "手で足した事業"),
            ("B2", "情報政策課"),
            ("C2", "100"),
        ],
    );
    x.save(&added);
    let r = import(&plan, &[&added], &["--json"])
        .expect_ok("the export with a list added first")
        .json();
    assert_eq!(r["summary"], plain["summary"]);
    assert!(r["summary"]["projects_matched"].as_u64().unwrap() > 0);
    assert!(!dump_text(&plan).contains("手で足した事業"));
}
