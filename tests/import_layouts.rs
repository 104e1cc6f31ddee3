//! `dxplan import` on realistic legacy workbooks, one per layout of issue 3, in .xlsx (written
//! at test time by tests/common/legacy.rs) and in .xls and .ods (the same workbooks converted by
//! LibreOffice, committed under tests/fixtures/legacy/ by scripts/make-fixtures.sh).
//!
//! Every assertion is on the imported plan (`dxplan dump`) or on the `--json` report, with the
//! expected values taken from the seeds (shared/seeds/), not from the importer.

use crate::common;

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

use common::legacy::*;
use common::*;
use serde_json::Value as Json;

/// The workbook to import: the .xlsx written into `dir`, or its committed .xls/.ods version.
fn input(xlsx: &Path, ext: &str) -> PathBuf {
    if ext == "xlsx" {
        return xlsx.to_path_buf();
    }
    let stem = xlsx.file_stem().unwrap().to_str().unwrap();
    let path = fixture(&format!("legacy/{stem}.{ext}"));
    assert!(
        path.exists(),
        "{} is missing: run scripts/make-fixtures.sh (LibreOffice) and commit its output",
        path.display()
    );
    path
}

fn s(v: &Json) -> &str {
    v.as_str().unwrap_or("")
}

fn assert_task(t: &Json, start: i64, end: Option<i64>, what: &str) {
    assert_eq!(
        t["start_fy"].as_i64(),
        Some(start),
        "{what}: start_fy in {t}"
    );
    match end {
        Some(e) => assert_eq!(t["end_fy"].as_i64(), Some(e), "{what}: end_fy in {t}"),
        None => {
            let e = t["end_fy"]
                .as_i64()
                .unwrap_or_else(|| panic!("{what}: end_fy missing in {t}"));
            assert!(e >= start, "{what}: end_fy {e} before start {start}");
        }
    }
}

fn no_unit_is_hoka(d: &Json) {
    let names = unit_names(d);
    for n in &names {
        assert!(
            !n.contains("ほか"),
            "「ほか」 became (part of) a unit name: {n:?} in {names:?}"
        );
        assert!(!n.trim().is_empty(), "an empty unit name in {names:?}");
    }
    let set: BTreeSet<&String> = names.iter().collect();
    assert_eq!(set.len(), names.len(), "duplicate unit names: {names:?}");
}

fn has_focus_badge(p: &Json) -> bool {
    let tagged = p["tags"]
        .as_array()
        .is_some_and(|t| t.iter().any(|x| s(x).contains("重点取組事項")));
    let flagged = matches!(s(&p["priority"]["flag"]), "重点" | "最重点");
    tagged || flagged
}

/// A guess of the report lies on `sheet` row `row`.
fn guessed(r: &Json, sheet: &str, row: u32) -> bool {
    guesses(r)
        .iter()
        .any(|(sh, rw, _)| sh == sheet && *rw == row)
}

fn summary(r: &Json, key: &str) -> i64 {
    r["summary"][key]
        .as_i64()
        .unwrap_or_else(|| panic!("summary.{key} missing in {}", r["summary"]))
}

/// The report's totals agree with its sheets.
fn check_summary_consistency(r: &Json) {
    let sheets = report_sheets(r);
    let count = |outcome: &str| {
        sheets
            .iter()
            .flat_map(|s| s["projects"].as_array().cloned().unwrap_or_default())
            .filter(|p| p["outcome"] == outcome)
            .count() as i64
    };
    assert_eq!(
        summary(r, "projects_new"),
        count("new"),
        "summary.projects_new vs sheets"
    );
    assert_eq!(
        summary(r, "projects_matched"),
        count("matched"),
        "summary.projects_matched vs sheets"
    );
    assert_eq!(
        summary(r, "projects_ambiguous"),
        count("ambiguous"),
        "summary.projects_ambiguous vs sheets"
    );
    let skipped = sheets.iter().filter(|s| !s["skipped"].is_null()).count() as i64;
    assert_eq!(
        summary(r, "sheets_skipped"),
        skipped,
        "summary.sheets_skipped vs sheets"
    );
    let g: usize = sheets
        .iter()
        .map(|s| s["guesses"].as_array().map_or(0, |a| a.len()))
        .sum();
    assert_eq!(summary(r, "guesses"), g as i64, "summary.guesses vs sheets");
    let c: usize = sheets
        .iter()
        .map(|s| s["skipped_cells"].as_array().map_or(0, |a| a.len()))
        .sum();
    assert_eq!(
        summary(r, "cells_skipped"),
        c as i64,
        "summary.cells_skipped vs sheets"
    );
    for sh in &sheets {
        if let Some(ps) = sh["projects"].as_array() {
            for p in ps {
                let (sheet, _) = split_ref(s(&p["at"]));
                assert_eq!(
                    sheet,
                    s(&sh["sheet"]),
                    "a project's `at` names its own sheet: {p}"
                );
            }
        }
    }
}

/// Non-project sheets: listed, layout null, a reason, no project.
fn check_skipped_sheet(r: &Json, sheet: &str) {
    let sh = report_sheet(r, sheet);
    assert!(
        sh["layout"].is_null(),
        "「{sheet}」 is not a project sheet, layout must be null: {sh}"
    );
    assert!(
        !s(&sh["skipped"]).trim().is_empty(),
        "「{sheet}」 must say why it was skipped: {sh}"
    );
    assert!(
        sh["projects"].as_array().is_none_or(|p| p.is_empty()),
        "「{sheet}」 produced projects: {sh}"
    );
}

/// The project a sheet of the report produced (exactly one), checked against the dump.
fn check_project_sheet<'a>(
    r: &'a Json,
    d: &Json,
    sheet: &str,
    layout: &str,
    title: &str,
    outcome: &str,
) -> &'a Json {
    let sh = report_sheet(r, sheet);
    assert_eq!(sh["layout"], layout, "layout of 「{sheet}」: {sh}");
    assert!(sh["skipped"].is_null(), "「{sheet}」 was skipped: {sh}");
    let ps = sh["projects"]
        .as_array()
        .unwrap_or_else(|| panic!("「{sheet}」 has no projects list: {sh}"));
    assert_eq!(ps.len(), 1, "「{sheet}」 holds one project: {sh}");
    let pr = &ps[0];
    assert_eq!(pr["title"], title, "project title read from 「{sheet}」");
    assert_eq!(pr["outcome"], outcome, "outcome of 「{sheet}」");
    assert_eq!(
        pr["project_id"],
        project(d, title)["id"],
        "report's project_id is the plan's id for 「{title}」"
    );
    sh
}

// =============================================================================================
// Layout 1, Onojo: onojo_legacy (seven sheets with irregularities + 目次, 記入例, 集計)

fn check_onojo_legacy(ext: &str) {
    let dir = tempfile::tempdir().unwrap();
    let info = onojo_legacy(&dir.path().join("onojo_legacy.xlsx"));
    let file = input(&info.path, ext);
    let plan = new_plan(dir.path(), "onojo.dxplan", "2022-2025");
    let r = import_json(&plan, &[&file]);
    let d = dump(&plan);

    let mut secs = Sections::default();
    secs.run("report", || {
        assert_eq!(r["dry_run"], false);
        let files = r["files"].as_array().expect("files");
        assert_eq!(files.len(), 1);
        assert!(
            s(&files[0]["file"]).contains("onojo_legacy"),
            "file name in report: {}",
            files[0]["file"]
        );
        let listed: Vec<&str> = report_sheets(&r).iter().map(|sh| s(&sh["sheet"])).collect();
        for name in &info.all_sheets {
            assert_eq!(
                listed.iter().filter(|l| *l == name).count(),
                1,
                "sheet 「{name}」 listed once in the report: {listed:?}"
            );
        }
        for name in &info.not_projects {
            check_skipped_sheet(&r, name);
        }
        for (sheet, title) in info.sheets.iter().zip(ONOJO_LEGACY_TITLES) {
            let sh = check_project_sheet(&r, &d, &sheet.sheet, "project_sheet", title, "new");
            let (at_sheet, at_row) = split_ref(s(&sh["projects"][0]["at"]));
            assert_eq!(at_sheet, sheet.sheet);
            assert!(
                at_row <= sheet.title_row,
                "「{}」: project `at` {} is below the 取組名 row {}",
                sheet.sheet,
                sh["projects"][0]["at"],
                sheet.title_row
            );
            assert_eq!(
                sh["tasks"].as_i64(),
                Some(sheet.task_rows.len() as i64),
                "「{}」: tasks read",
                sheet.sheet
            );
            assert!(
                sh["indicators"].as_i64().unwrap_or(0) >= 2,
                "「{}」: KGI and KPI read: {sh}",
                sheet.sheet
            );
            let bc = sh["budget_cells"].as_i64().unwrap_or(-1);
            assert!(
                (3..=4).contains(&bc),
                "「{}」: budget cells read: {bc}",
                sheet.sheet
            );
        }
        assert_eq!(
            report_sheet(&r, "Ⅰ-1-①")["budget_cells"],
            4,
            "four costs on Ⅰ-1-① (number, text, formula, number)"
        );
        assert_eq!(summary(&r, "projects_new"), 7);
        assert_eq!(summary(&r, "projects_matched"), 0);
        assert_eq!(summary(&r, "projects_ambiguous"), 0);
        assert_eq!(summary(&r, "sheets_skipped"), 3, "目次, 記入例, 集計");
        check_summary_consistency(&r);
    });
    secs.run("arrow bars are guesses at their rows", || {
        let mut arrows = 0;
        for sheet in &info.sheets {
            for (task, row) in &sheet.arrow_rows {
                arrows += 1;
                assert!(
                    guessed(&r, &sheet.sheet, *row),
                    "no guess reported at {}!row {row} (arrow bar of 「{task}」); guesses: {:?}",
                    sheet.sheet,
                    guesses(&r)
                );
            }
        }
        assert_eq!(arrows, 5);
        assert!(summary(&r, "guesses") >= 5);
    });
    secs.run("plan structure", || {
        let mut got = titles(&d);
        got.sort();
        let mut want: Vec<String> = ONOJO_LEGACY_TITLES.iter().map(|t| t.to_string()).collect();
        want.sort();
        assert_eq!(
            got, want,
            "projects imported (記入例, 目次 and 集計 are not projects)"
        );
        let pol: Vec<&str> = d["policies"]
            .as_array()
            .unwrap()
            .iter()
            .map(|p| s(&p["title"]))
            .collect();
        assert_eq!(pol.len(), 2, "two 基本方針: {pol:?}");
        let measures: BTreeSet<&str> = d["measures"]
            .as_array()
            .unwrap()
            .iter()
            .map(|m| s(&m["title"]))
            .collect();
        let want_measures: BTreeSet<&str> = [
            "行政手続のオンライン化",
            "地域のデジタル化",
            "窓口のデジタル化",
            "先端技術による業務効率化",
            "情報システムの標準化・共通化",
        ]
        .into_iter()
        .collect();
        assert_eq!(
            measures, want_measures,
            "measures from the 「取組 n : …」 title rows"
        );
        assert_eq!(
            d["measures"].as_array().unwrap().len(),
            5,
            "one measure per 取組, shared by its sheets"
        );
        for (title, measure, policy) in [
            ("オンライン申請の拡充", "行政手続のオンライン化", POLICY_1),
            (
                "各種支払いのキャッシュレス化",
                "行政手続のオンライン化",
                POLICY_1,
            ),
            (
                "公共施設予約システムの更新",
                "行政手続のオンライン化",
                POLICY_1,
            ),
            ("デジタル・デバイド対策", "地域のデジタル化", POLICY_1),
            ("書かない・待たない窓口の導入", "窓口のデジタル化", POLICY_1),
            ("AI・RPAの利活用拡大", "先端技術による業務効率化", POLICY_2),
            ("標準システム導入", "情報システムの標準化・共通化", POLICY_2),
        ] {
            let p = project(&d, title);
            assert_eq!(
                measure_titles(&d, p),
                vec![measure.to_string()],
                "measure of 「{title}」"
            );
            assert!(
                policy_title(&d, p).contains(policy),
                "policy of 「{title}」: {}",
                policy_title(&d, p)
            );
        }
    });
    secs.run("Ⅰ-1-① オンライン申請の拡充", || {
        let p = project(&d, "オンライン申請の拡充");
        assert_eq!(
            text(p, "summary"),
            "令和3（2021）年度から開始したオンライン申請について、証明書等の発行手続申請のみならず、行政手続全般のオンライン化を進めます。"
        );
        assert_eq!(text(p, "goal"), "押印が不要で対面によらず事務を行うことができる手続の原則オンライン化");
        assert_eq!(effects(p), vec!["市役所に来庁しなくても行政手続が可能になる。", "感染症対策として人と人との接触機会を減らす。"]);
        let kgi = indicator(p, "KGI");
        assert_eq!(kgi["name"], "オンライン申請できる手続数（累計）", "KGI name from 「name：target」");
        let kgi_v = kgi["values"].as_array().unwrap().iter().find_map(|v| Some(&v["target"]).filter(|t| !t.is_null())).expect("KGI target");
        assert_value(Some(kgi_v), Some(112.0), Some("手続"), None, "KGI オンライン申請");
        let kpi = indicator(p, "KPI");
        for (fy, n) in [(2022, 40.0), (2023, 64.0), (2024, 88.0), (2025, 112.0)] {
            assert_value(target(kpi, fy), Some(n), Some("手続"), None, &format!("KPI オンライン申請 {fy}"));
            assert!(actual(kpi, fy).is_none(), "no actuals on a plan sheet");
        }
        assert_eq!(s(&target(kpi, 2022).unwrap()["text"]), "40 手続", "text kept as written");
        assert_eq!(budgets(p, 2022..=2025), vec![Some(6000); 4], "LCC: number, text 「6,000」, formula (cached 6000), number");
        assert_eq!(tasks(p).len(), 2, "the hidden blank row does not end the task list");
        assert_task(task(p, "子育て関連や水道関連など市民生活に密接に関係のある手続をオンライン化"), 2022, Some(2025), "filled R4–R7");
        assert_task(task(p, "押印が不要となった手続のオンライン化"), 2022, Some(2023), "filled R4–R5");
        assert_eq!(owners(p), vec!["ICT推進課", "市民課"], "owners from 「ICT推進課、市民課ほか」");
        assert!(s(&p["owners_note"]).contains("ほか"), "「ほか」 kept as a note: {}", p["owners_note"]);
    });
    secs.run(
        "Ⅰ-1-② 各種支払いのキャッシュレス化 (column B, Ｒ５, percent cell, 「－」)",
        || {
            let p = project(&d, "各種支払いのキャッシュレス化");
            assert_eq!(
                text(p, "goal"),
                "多様な決済手段による市民サービスの向上",
                "「目指す姿／目標」 matched"
            );
            let kgi = indicator(p, "KGI");
            assert_eq!(
                kgi["name"], "キャッシュレス決済による支払い比率",
                "「数値目標 (KGI)」 matched"
            );
            let kpi = indicator(p, "KPI");
            assert!(
                target(kpi, 2022).is_none(),
                "「－」 is no value, not 0: {:?}",
                target(kpi, 2022)
            );
            assert_value(
                target(kpi, 2023),
                Some(5.0),
                Some("%"),
                None,
                "KPI 2023 under 「Ｒ５」",
            );
            assert_value(
                target(kpi, 2024),
                Some(20.0),
                Some("%"),
                None,
                "KPI 2024 (0.2 formatted as 0%)",
            );
            assert_value(target(kpi, 2025), Some(40.0), Some("%"), None, "KPI 2025");
            assert_eq!(
                budgets(p, 2022..=2025),
                vec![None, Some(6000), Some(10000), Some(4000)],
                "「－」 → null; text 「4,000」 → 4000"
            );
            assert_eq!(tasks(p).len(), 3);
            assert_task(task(p, "対象の検討"), 2022, Some(2022), "filled R4");
            assert_task(task(p, "構築・導入作業"), 2023, Some(2023), "filled R5");
            assert_task(task(p, "運用"), 2024, Some(2025), "filled R6–R7");
            assert!(
                owners(p).is_empty(),
                "no 担当課 row, no owners: {:?}",
                owners(p)
            );
        },
    );
    secs.run(
        "Ⅰ-1-③ 公共施設予約システムの更新 (arrows; no 基本方針 line)",
        || {
            let p = project(&d, "公共施設予約システムの更新");
            assert_eq!(
                p["measure_ids"][0],
                project(&d, "オンライン申請の拡充")["measure_ids"][0],
                "same 取組 as Ⅰ-1-①"
            );
            let kpi = indicator(p, "KPI");
            for (fy, n) in [
                (2022, 98500.0),
                (2023, 98600.0),
                (2024, 98700.0),
                (2025, 98800.0),
            ] {
                assert_value(
                    target(kpi, fy),
                    Some(n),
                    Some("件"),
                    None,
                    &format!("KPI 施設予約 {fy} (「評価指標 (KPI)」)"),
                );
            }
            assert_eq!(
                budgets(p, 2022..=2025),
                vec![None, Some(9000), Some(4000), Some(4000)],
                "「年度経費 (LCC) (千円)」"
            );
            for (name, start) in [
                ("システム仕様の検討", 2022),
                ("システム更新", 2023),
                ("運用", 2024),
            ] {
                let t = task(p, name);
                assert_task(t, start, None, name);
                assert_eq!(
                    t["confirmed"], false,
                    "「{name}」: an arrow's years are a guess"
                );
                assert!(
                    t["end_fy"].as_i64().unwrap() <= 2025,
                    "「{name}」 ends inside the plan: {t}"
                );
            }
        },
    );
    secs.run(
        "Ⅰ-3-③ デジタル・デバイド対策 (令和 headers, zeros)",
        || {
            let p = project(&d, "デジタル・デバイド対策");
            assert_eq!(
                text(p, "summary"),
                "デジタルへの理解やスキルが十分でない方に対して、スキル向上のサポートを行います。",
                "「内　容」 matched"
            );
            assert_eq!(
                budgets(p, 2022..=2025),
                vec![Some(0); 4],
                "0 is 0, not null"
            );
            let kpi = indicator(p, "KPI");
            for (fy, n) in [(2022, 72.5), (2023, 75.0), (2024, 77.5), (2025, 80.0)] {
                assert_value(
                    target(kpi, fy),
                    Some(n),
                    Some("%"),
                    None,
                    &format!("KPI デバイド {fy}"),
                );
            }
            assert_task(
                task(p, "スマートフォン講座などのサポートを実施"),
                2022,
                Some(2025),
                "「令和 5 年度」 style header",
            );
            assert_eq!(
                effects(p),
                vec![
                    "デジタルに関する知識の習得",
                    "市が提供するサービスを利用できる技術の習得"
                ],
                "effects without bullets, one per line"
            );
        },
    );
    secs.run(
        "Ⅰ-6-① 書かない・待たない窓口の導入 (「—」, line break, text values with *2)",
        || {
            let p = project(&d, "書かない・待たない窓口の導入");
            let kpi = indicator(p, "KPI");
            assert!(target(kpi, 2022).is_none(), "「—」 is no value");
            let v = target(kpi, 2023).expect("KPI 2023 「1\\n(試行)」");
            assert_eq!(num(v), Some(1.0), "「1\\n(試行)」 reads 1: {v}");
            assert!(s(&v["text"]).contains("試行"), "text kept: {v}");
            let v = target(kpi, 2024).expect("KPI 2024");
            assert!(
                v["number"].is_null(),
                "「導入を決定した全窓口*2」 has no number: {v}"
            );
            assert!(
                s(&v["text"]).starts_with("導入を決定した全窓口"),
                "text kept: {v}"
            );
            assert_eq!(
                budgets(p, 2022..=2025),
                vec![None, Some(4000), Some(4000), Some(4000)]
            );
            assert_eq!(tasks(p).len(), 3);
        },
    );
    secs.run(
        "Ⅱ-1-① AI・RPAの利活用拡大 (arrows, 令和 headers, owners 「, 」)",
        || {
            let p = project(&d, "AI・RPAの利活用拡大");
            let kpi = indicator(p, "KPI");
            for fy in 2022..=2025 {
                let v = target(kpi, fy);
                assert_value(v, Some(30.0), Some("%"), None, &format!("KPI 30%減 {fy}"));
                assert_eq!(v.unwrap()["qualifier"], "減", "「30%減」: qualifier 減");
            }
            assert_eq!(budgets(p, 2022..=2025), vec![Some(4000); 4]);
            assert_eq!(tasks(p).len(), 2);
            let t = task(p, "AI-OCR・RPA の導入業務拡大");
            assert_task(t, 2022, Some(2025), "「→」 in every year");
            assert_eq!(t["confirmed"], false);
            let t = task(p, "職員研修・サポートの実施");
            assert_task(t, 2022, None, "「→」 in R4 only");
            assert_eq!(t["confirmed"], false);
            assert_eq!(
                owners(p),
                vec!["デジタル推進課", "総務課"],
                "owners from 「デジタル推進課, 総務課」"
            );
        },
    );
    secs.run(
        "Ⅱ-2-① 標準システム導入 (footnote markers in values and costs)",
        || {
            let p = project(&d, "標準システム導入");
            let kpi = indicator(p, "KPI");
            assert_value(
                target(kpi, 2022),
                Some(1.0),
                Some("業務"),
                None,
                "「1 業務※2」",
            );
            assert_value(
                target(kpi, 2025),
                Some(20.0),
                Some("業務"),
                None,
                "「20 業務※3」",
            );
            assert_eq!(
                budgets(p, 2022..=2025),
                vec![Some(0), Some(0), Some(0), Some(427000)],
                "「0※4」, 「427,000※4」 typed as text"
            );
            assert_eq!(tasks(p).len(), 4);
            assert_task(task(p, "庁内体制の整備"), 2022, Some(2022), "filled R4");
            assert_task(task(p, "運用"), 2025, Some(2025), "filled R7");
        },
    );
    secs.run("Units", || {
        let units = unit_names(&d);
        for u in ["ICT推進課", "市民課", "デジタル推進課", "総務課"] {
            assert!(units.iter().any(|n| n == u), "unit {u} created: {units:?}");
        }
        assert_eq!(
            units.len(),
            4,
            "exactly the units named on the sheets: {units:?}"
        );
        no_unit_is_hoka(&d);
    });
    secs.finish();
}

#[test]
fn onojo_sheets_xlsx() {
    check_onojo_legacy("xlsx");
}

#[test]
fn onojo_sheets_xls() {
    check_onojo_legacy("xls");
}

#[test]
fn onojo_sheets_ods() {
    check_onojo_legacy("ods");
}

// =============================================================================================
// Layout 1 at scale: all 30 Onojo sheets; DOMAIN.md's checkable facts

const TOTALS_1: [i64; 4] = [19_100, 170_100, 222_100, 215_100];
const TOTALS_2: [i64; 4] = [29_000, 108_000, 27_000, 450_000];

fn check_onojo_30(ext: &str) {
    let dir = tempfile::tempdir().unwrap();
    let xlsx = dir.path().join("onojo_30.xlsx");
    let sheets = onojo_30(&xlsx);
    let file = input(&xlsx, ext);
    let plan = new_plan(dir.path(), "onojo30.dxplan", "R4～R7");
    let r = import_json(&plan, &[&file]);
    let d = dump(&plan);

    check_skipped_sheet(&r, "目次");
    check_skipped_sheet(&r, "集計");
    assert_eq!(summary(&r, "projects_new"), 30);
    assert_eq!(summary(&r, "sheets_skipped"), 2);
    check_summary_consistency(&r);

    assert_eq!(
        projects(&d).len(),
        30,
        "30 project sheets: {:?}",
        titles(&d)
    );
    let all_tasks: usize = projects(&d).iter().map(|p| tasks(p).len()).sum();
    assert_eq!(all_tasks, 89, "89 schedule tasks");
    assert_eq!(d["policies"].as_array().unwrap().len(), 2);
    assert_eq!(
        d["measures"].as_array().unwrap().len(),
        13,
        "7 取組 under Ⅰ, 6 under Ⅱ"
    );

    // Every sheet against its seed table, then §2.4; all mismatches at once.
    let mut bad: Vec<String> = Vec::new();
    for sh in &sheets {
        let sp = &sh.seed;
        let found: Vec<&Json> = projects(&d)
            .iter()
            .filter(|p| p["title"] == sp.title.as_str())
            .collect();
        if found.len() != 1 {
            bad.push(format!(
                "{}: {} projects titled 「{}」",
                sh.out.sheet,
                found.len(),
                sp.title
            ));
            continue;
        }
        let p = found[0];
        let at = &sh.out.sheet;
        if measure_titles(&d, p) != vec![sp.measure.clone()] {
            bad.push(format!(
                "{at}: measure {:?}, want 「{}」",
                measure_titles(&d, p),
                sp.measure
            ));
        }
        if !policy_title(&d, p).contains(sp.policy_title()) {
            bad.push(format!("{at}: policy 「{}」", policy_title(&d, p)));
        }
        if p["texts"]["summary"] != sp.summary.as_str() {
            bad.push(format!("{at}: summary {}", p["texts"]["summary"]));
        }
        if p["texts"]["goal"] != sp.goal.as_str() {
            bad.push(format!("{at}: goal {}", p["texts"]["goal"]));
        }
        if effects(p) != sp.effects {
            bad.push(format!(
                "{at}: effects {:?}, want {:?}",
                effects(p),
                sp.effects
            ));
        }
        for (i, fy) in (2022..=2025).enumerate() {
            let want = seed_budget(&sp.lcc[i]);
            if budget(p, fy) != want {
                bad.push(format!(
                    "{at}: budget {fy} {:?}, want {want:?} (cell 「{}」)",
                    budget(p, fy),
                    sp.lcc[i]
                ));
            }
        }
        let kpis = indicators(p, "KPI");
        if kpis.len() != 1 {
            bad.push(format!("{at}: {} KPIs", kpis.len()));
        } else {
            for (i, fy) in (2022..=2025).enumerate() {
                let cell = &sp.kpi[i];
                let got = target(kpis[0], fy);
                match (seed_value(cell), got) {
                    (None, None) => {}
                    (None, Some(v)) => {
                        bad.push(format!("{at}: KPI {fy} 「{cell}」 must be null, got {v}"))
                    }
                    (Some(_), None) => bad.push(format!("{at}: KPI {fy} 「{cell}」 missing")),
                    (Some((n, u)), Some(v)) => {
                        if num(v) != n {
                            bad.push(format!(
                                "{at}: KPI {fy} 「{cell}」 number {:?}, want {n:?}",
                                num(v)
                            ));
                        }
                        if let Some(u) = u {
                            if v["unit"] != u.as_str() {
                                bad.push(format!(
                                    "{at}: KPI {fy} 「{cell}」 unit {}, want {u}",
                                    v["unit"]
                                ));
                            }
                        }
                    }
                }
            }
        }
        if indicators(p, "KGI").len() != 1 {
            bad.push(format!("{at}: {} KGIs", indicators(p, "KGI").len()));
        }
        if tasks(p).len() != sp.tasks.len() {
            bad.push(format!(
                "{at}: {} tasks, want {}",
                tasks(p).len(),
                sp.tasks.len()
            ));
        }
        for (k, st) in sp.tasks.iter().enumerate() {
            let want = squash(&st.name);
            let Some(t) = tasks(p).iter().find(|t| squash(s(&t["task"])) == want) else {
                bad.push(format!("{at}: no task 「{}」", st.name));
                continue;
            };
            let (start, end) = expected_task_years(sh.style.bars[k], sh.style.arrows);
            if t["start_fy"].as_i64() != Some(start) {
                bad.push(format!(
                    "{at}: task 「{}」 start {}, want {start}",
                    st.name, t["start_fy"]
                ));
            }
            if let Some(e) = end {
                if t["end_fy"].as_i64() != Some(e) {
                    bad.push(format!(
                        "{at}: task 「{}」 end {}, want {e}",
                        st.name, t["end_fy"]
                    ));
                }
            }
            if sh.style.arrows && t["confirmed"] != false {
                bad.push(format!(
                    "{at}: task 「{}」 drawn with arrows must be confirmed=false",
                    st.name
                ));
            }
            if sh.style.arrows && !guessed(&r, &sh.out.sheet, sh.out.task_rows[k].1) {
                bad.push(format!(
                    "{at}: no guess reported at row {} (arrows of 「{}」)",
                    sh.out.task_rows[k].1, st.name
                ));
            }
        }
    }
    // §2.4: LCC per 基本方針 and year.
    let mut per_policy: BTreeMap<usize, [i64; 4]> = BTreeMap::new();
    let mut count: BTreeMap<usize, usize> = BTreeMap::new();
    for p in projects(&d) {
        let pol = policy_title(&d, p);
        let k = if pol.contains(POLICY_1) {
            1
        } else if pol.contains(POLICY_2) {
            2
        } else {
            panic!("unknown policy {pol}")
        };
        *count.entry(k).or_default() += 1;
        let e = per_policy.entry(k).or_default();
        for (i, fy) in (2022..=2025).enumerate() {
            e[i] += budget(p, fy).unwrap_or(0);
        }
    }
    if count.get(&1) != Some(&16) || count.get(&2) != Some(&14) {
        bad.push(format!("projects per 基本方針 {count:?}, want 16 and 14"));
    }
    if per_policy.get(&1) != Some(&TOTALS_1) {
        bad.push(format!(
            "基本方針Ⅰ LCC R4..R7 {:?}, want {TOTALS_1:?} (DOMAIN.md / §2.4)",
            per_policy.get(&1)
        ));
    }
    if per_policy.get(&2) != Some(&TOTALS_2) {
        bad.push(format!(
            "基本方針Ⅱ LCC R4..R7 {:?}, want {TOTALS_2:?} (DOMAIN.md / §2.4)",
            per_policy.get(&2)
        ));
    }
    let grand: i64 = per_policy.values().flat_map(|v| v.iter()).sum();
    if grand != 1_240_400 {
        bad.push(format!("LCC total {grand}, want 1,240,400"));
    }

    assert!(
        bad.is_empty(),
        "{} mismatches against the seed:\n{}",
        bad.len(),
        bad.join("\n")
    );
}

#[test]
fn onojo_30_sheets_reproduce_the_plan_totals_xlsx() {
    check_onojo_30("xlsx");
}

#[test]
fn onojo_30_sheets_reproduce_the_plan_totals_xls() {
    check_onojo_30("xls");
}

#[test]
fn onojo_30_sheets_reproduce_the_plan_totals_ods() {
    check_onojo_30("ods");
}

// =============================================================================================
// Layout 2, Fukuyama 別冊: projects stacked on a sheet

fn check_fukuyama(ext: &str) {
    let dir = tempfile::tempdir().unwrap();
    let xlsx = dir.path().join("fukuyama_bessatsu.xlsx");
    let names = fukuyama_bessatsu(&xlsx);
    let file = input(&xlsx, ext);
    let plan = new_plan(dir.path(), "fukuyama.dxplan", "2021-2024");
    let r = import_json(&plan, &[&file]);
    let d = dump(&plan);

    let mut secs = Sections::default();
    secs.run("report", || {
        check_skipped_sheet(&r, "目次");
        for sheet in &names[1..] {
            let sh = report_sheet(&r, sheet);
            assert_eq!(sh["layout"], "stacked", "layout of 「{sheet}」: {sh}");
            let ps = sh["projects"].as_array().expect("projects");
            assert_eq!(ps.len(), 2, "「{sheet}」 stacks two projects: {sh}");
            for pr in ps {
                assert_eq!(pr["outcome"], "new");
                assert_eq!(pr["project_id"], project(&d, s(&pr["title"]))["id"]);
            }
        }
        assert_eq!(summary(&r, "projects_new"), 6);
        assert_eq!(summary(&r, "sheets_skipped"), 1);
        check_summary_consistency(&r);
    });
    secs.run("projects, measures and policy", || {
        let mut got = titles(&d);
        got.sort();
        let mut want: Vec<String> = FUKUYAMA_TITLES.iter().map(|t| t.to_string()).collect();
        want.sort();
        assert_eq!(got, want);
        let m: Vec<&str> = d["measures"]
            .as_array()
            .unwrap()
            .iter()
            .map(|m| s(&m["title"]))
            .collect();
        assert_eq!(
            m.iter().filter(|t| **t == "行政手続のオンライン化").count(),
            1,
            "the repeated page heading is one measure: {m:?}"
        );
        assert_eq!(
            m.iter().filter(|t| **t == "窓口のスマート化").count(),
            1,
            "「1-2窓口のスマート化」: {m:?}"
        );
        assert_eq!(m.len(), 2, "{m:?}");
        for t in FUKUYAMA_TITLES {
            let p = project(&d, t);
            assert!(
                policy_title(&d, p).contains("市民サービスの向上"),
                "policy of 「{t}」: {}",
                policy_title(&d, p)
            );
        }
        for t in &FUKUYAMA_TITLES[..4] {
            assert_eq!(
                measure_titles(&d, project(&d, t)),
                vec!["行政手続のオンライン化"],
                "「{t}」"
            );
        }
        for t in &FUKUYAMA_TITLES[4..] {
            assert_eq!(
                measure_titles(&d, project(&d, t)),
                vec!["窓口のスマート化"],
                "「{t}」"
            );
        }
    });
    secs.run("1 オンライン手続の拡大", || {
        let p = project(&d, "オンライン手続の拡大");
        assert_eq!(
            text(p, "issue"),
            "多様な市民ニーズへの対応や行政事務の高速化の必要性、今後の職員数減少を見据えた、新たな手続の仕組みが必要。"
        );
        assert_eq!(text(p, "purpose"), "多様な生活スタイルに対応した行政手続を提供します。");
        assert_eq!(
            text(p, "summary"),
            "市役所へ行かなくても、いつでもどこでもオンラインで各種申請や届出、郵送請求が可能な「電子申請システム」等の手続を拡大します。"
        );
        assert_eq!(owners(p), vec!["ICT推進課"]);
        assert!(s(&p["owners_note"]).contains("ほか"), "「ICT推進課ほか」: note {}", p["owners_note"]);
        let ind = p["indicators"].as_array().unwrap();
        assert_eq!(ind.len(), 1, "one indicator: {}", p["indicators"]);
        let ind = &ind[0];
        assert_eq!(ind["name"], "オンライン化数（対象：原本添付や聞き取り等が不要な約800手続）");
        for (fy, n) in [(2021, 150.0), (2022, 400.0), (2023, 600.0), (2024, 800.0)] {
            assert_value(target(ind, fy), Some(n), Some("手続"), Some(800.0), &format!("目標 {fy} 「{n}手続／800手続」"));
        }
        assert_eq!(s(&target(ind, 2021).unwrap()["text"]), "150手続／800手続", "text kept as written");
        assert_value(actual(ind, 2021), Some(125.0), Some("手続"), None, "実績 2021");
        assert_value(actual(ind, 2022), Some(411.0), Some("手続"), None, "実績 2022");
        assert!(actual(ind, 2023).is_none(), "実績 2023 「-」 is no value");
        assert!(actual(ind, 2024).is_none(), "実績 2024 「-」 is no value");
    });
    secs.run(
        "2 マイナンバーカードの普及促進 (目標/実績 labels in column A)",
        || {
            let p = project(&d, "マイナンバーカードの普及促進");
            assert_eq!(owners(p), vec!["ICT推進課", "市民課"]);
            assert!(!s(&p["owners_note"]).contains("ほか"));
            let ind = &p["indicators"][0];
            assert_eq!(ind["name"], "マイナンバーカード交付率");
            assert_value(target(ind, 2021), Some(40.0), Some("%"), None, "目標 2021");
            assert_value(target(ind, 2022), Some(100.0), Some("%"), None, "目標 2022");
            assert!(
                target(ind, 2023).is_none() && target(ind, 2024).is_none(),
                "blank targets are no value"
            );
            assert_value(actual(ind, 2021), Some(36.3), Some("%"), None, "実績 2021");
            assert_value(actual(ind, 2022), Some(72.1), Some("%"), None, "実績 2022");
        },
    );
    secs.run(
        "3 問合せ自動応答サービス (令和 year headers)",
        || {
            let p = project(
                &d,
                "問合せ自動応答サービス（正式名：福山市AI案内サービス）の分野拡大",
            );
            let ind = &p["indicators"][0];
            for (fy, n) in [(2021, 13.0), (2022, 20.0), (2023, 25.0), (2024, 30.0)] {
                assert_value(
                    target(ind, fy),
                    Some(n),
                    Some("分野"),
                    None,
                    &format!("目標 {fy} under 令和 header"),
                );
            }
            assert_value(
                actual(ind, 2022),
                Some(21.0),
                Some("分野"),
                None,
                "実績 2022",
            );
        },
    );
    secs.run(
        "4 交流館等の貸館利用におけるスマート化 (text targets; 「２０２３年度」)",
        || {
            let p = project(&d, "交流館等の貸館利用におけるスマート化");
            assert_eq!(
                owners(p),
                vec!["ICT推進課", "まちづくり推進課", "教育総務課"]
            );
            assert!(s(&p["owners_note"]).contains("ほか"));
            let ind = &p["indicators"][0];
            let v = target(ind, 2021).expect("目標 2021");
            assert_eq!(v["text"], "試行実施（2施設）");
            assert!(
                v["number"].is_null(),
                "a text-only value has number null: {v}"
            );
            assert_value(
                target(ind, 2023),
                Some(14.0),
                Some("施設"),
                None,
                "目標 2023 under 「２０２３年度」",
            );
            assert!(
                target(ind, 2024).unwrap()["number"].is_null(),
                "「運用状況を踏まえ拡大」"
            );
            assert_value(
                actual(ind, 2021),
                Some(2.0),
                Some("施設"),
                None,
                "実績 2021",
            );
            assert_value(
                actual(ind, 2022),
                Some(7.0),
                Some("施設"),
                None,
                "実績 2022",
            );
        },
    );
    secs.run(
        "1-2 ①: 「ICT推進課，市民課ほか」 (full-width comma)",
        || {
            let p = project(&d, "窓口予約システムの導入");
            assert_eq!(owners(p), vec!["ICT推進課", "市民課"]);
            assert!(s(&p["owners_note"]).contains("ほか"));
            let p = project(&d, "子育て支援アプリの機能拡充");
            assert_eq!(owners(p), vec!["ネウボラ推進課"]);
            let ind = &p["indicators"][0];
            assert!(target(ind, 2021).is_none(), "「-」");
            assert_value(target(ind, 2022), Some(40.0), Some("%"), None, "目標 2022");

            let mut units = unit_names(&d);
            units.sort();
            assert_eq!(
                units,
                vec![
                    "ICT推進課",
                    "まちづくり推進課",
                    "ネウボラ推進課",
                    "市民課",
                    "教育総務課"
                ]
            );
            no_unit_is_hoka(&d);
        },
    );
    secs.finish();
}

#[test]
fn fukuyama_stacked_xlsx() {
    check_fukuyama("xlsx");
}

#[test]
fn fukuyama_stacked_xls() {
    check_fukuyama("xls");
}

#[test]
fn fukuyama_stacked_ods() {
    check_fukuyama("ods");
}

/// 001 窓口予約システムの導入 has two indicators (目標①/実績①, 目標②/実績②) under one
/// 指標とスケジュール cell naming both.
#[test]
fn fukuyama_two_indicators_on_one_project() {
    let dir = tempfile::tempdir().unwrap();
    let xlsx = dir.path().join("fukuyama_bessatsu.xlsx");
    fukuyama_bessatsu(&xlsx);
    let plan = new_plan(dir.path(), "fukuyama.dxplan", "2021-2024");
    import_json(&plan, &[&xlsx]);
    let d = dump(&plan);
    let p = project(&d, "窓口予約システムの導入");
    let ind = p["indicators"].as_array().unwrap();
    assert_eq!(ind.len(), 2, "two indicators: {}", p["indicators"]);
    let one = ind
        .iter()
        .find(|i| s(&i["name"]).contains("15分以上"))
        .expect("indicator ① by name");
    let two = ind
        .iter()
        .find(|i| s(&i["name"]).contains("LINE利用率"))
        .expect("indicator ② by name");
    assert!(
        !s(&one["name"]).contains("LINE"),
        "names split: {}",
        one["name"]
    );
    assert!(
        target(one, 2021).unwrap()["number"].is_null(),
        "「予約システムの導入…」 is text"
    );
    assert_value(
        target(one, 2022),
        Some(5.0),
        Some("業務"),
        None,
        "目標① 2022",
    );
    assert_value(
        target(one, 2023),
        Some(10.0),
        Some("業務"),
        None,
        "目標① 2023",
    );
    assert_value(
        target(one, 2024),
        Some(30.0),
        Some("業務"),
        None,
        "目標① 2024",
    );
    assert_value(
        actual(one, 2021),
        Some(1.0),
        Some("業務"),
        None,
        "実績① 2021",
    );
    assert_value(
        actual(one, 2022),
        Some(5.0),
        Some("業務"),
        None,
        "実績① 2022",
    );
    assert!(target(two, 2021).is_none() && target(two, 2022).is_none());
    assert_value(target(two, 2023), Some(40.0), Some("%"), None, "目標② 2023");
    assert_value(target(two, 2024), Some(60.0), Some("%"), None, "目標② 2024");
    assert!(
        (2021..=2024).all(|fy| actual(two, fy).is_none()),
        "実績② all 「-」"
    );
}

// =============================================================================================
// Layout 3, Onomichi 工程表: phase labels per year

fn task_with_phase<'a>(p: &'a Json, fy: i64, label: &str) -> &'a Json {
    let want = squash(label);
    let found: Vec<&Json> = tasks(p)
        .iter()
        .filter(|t| phases(t).iter().any(|(y, l)| *y == fy && *l == want))
        .collect();
    assert!(
        found.len() == 1,
        "「{}」: expected one task with phase {fy} 「{label}」, tasks: {}",
        p["title"],
        p["schedule"]
    );
    found[0]
}

fn check_onomichi(ext: &str) {
    let dir = tempfile::tempdir().unwrap();
    let xlsx = dir.path().join("onomichi_koteihyo.xlsx");
    let out = onomichi_koteihyo(&xlsx);
    let file = input(&xlsx, ext);
    let plan = new_plan(dir.path(), "onomichi.dxplan", "R4～R9");
    let r = import_json(&plan, &[&file]);
    let d = dump(&plan);

    let mut secs = Sections::default();
    secs.run("report", || {
        check_skipped_sheet(&r, "目次");
        for o in &out {
            let sh = check_project_sheet(&r, &d, o.sheet, "schedule", o.title, "new");
            assert_eq!(
                sh["tasks"].as_i64(),
                Some(o.task_rows.len() as i64),
                "tasks of 「{}」",
                o.sheet
            );
        }
        assert_eq!(summary(&r, "projects_new"), 5);
        check_summary_consistency(&r);
        let maas = out.iter().find(|o| o.sheet == "2-⑤").unwrap();
        assert!(
            guessed(&r, "2-⑤", maas.task_rows[0]),
            "the 「→」 after 実装検討 is a guess at 2-⑤ row {}: {:?}",
            maas.task_rows[0],
            guesses(&r)
        );
    });
    secs.run("projects and measures", || {
        assert_eq!(projects(&d).len(), 5, "{:?}", titles(&d));
        let mt: Vec<&str> = d["measures"]
            .as_array()
            .unwrap()
            .iter()
            .map(|m| s(&m["title"]))
            .collect();
        let set: BTreeSet<&str> = mt.iter().copied().collect();
        let want: BTreeSet<&str> = [
            "ニーズに合った多様な情報提供",
            "マイナンバーカードの普及・活用",
            "データ連携基盤の活用推進",
            "産官学の連携強化",
            "BPRの実施とAI・RPAの活用",
        ]
        .into_iter()
        .collect();
        assert_eq!(
            set, want,
            "measures from the 「○…」 headings, without the ○"
        );
        assert_eq!(
            mt.len(),
            5,
            "産官学 appears on two sheets but is one measure: {mt:?}"
        );
    });
    secs.run("1-⑤ リモート相談 (printed アクション⑥)", || {
        let p = project(&d, "リモートによる遠隔地からの相談対応");
        assert!(text(p, "issue").starts_with("支所等において市民からの問い合わせが専門的な内容のため"), "現状と課題 → issue");
        assert!(text(p, "issue").ends_with("運用方法について検討が必要である。"));
        assert_eq!(
            text(p, "summary"),
            "市民が市役所本庁に出向くことなく、最寄りの支所等で本庁の担当者とオンラインで会話できるよう、Web会議システムよりも容易に接続できる遠隔でのコミュニケーションシステムを構築する。"
        );
        assert_eq!(measure_titles(&d, p), vec!["ニーズに合った多様な情報提供"]);
        assert!(!has_focus_badge(p), "no 重点取組事項 badge on 1-⑤");
        assert_eq!(tasks(p).len(), 2);
        let t = task_with_phase(p, 2022, "検討");
        assert_eq!(
            phases(t),
            vec![
                (2022, "検討".into()),
                (2024, "構築・導入".into()),
                (2025, squash("運用、利用拡大検討\n(庁内のWeb会議システムとしての利用など)"))
            ],
            "phase labels where each phase starts"
        );
        assert_task(t, 2022, Some(2027), "bar filled R4–R9");
        let t = task_with_phase(p, 2022, "相談システム運用方法検討、実証");
        assert_eq!(phases(t), vec![(2022, squash("相談システム運用方法検討、実証")), (2024, squash("サービス導入、遠隔相談窓口の運用"))]);
        assert_task(t, 2022, Some(2026), "bar filled R4–R8");
    });
    secs.run(
        "1-⑥ マイナンバー (badge; phases as text only; 令和 headers)",
        || {
            let p = project(&d, "マイナンバーカード取得促進と活用拡大の取組");
            assert!(
                has_focus_badge(p),
                "「重点取組事項」 badge recorded (tag or priority): tags {} priority {}",
                p["tags"],
                p["priority"]
            );
            assert_eq!(
                measure_titles(&d, p),
                vec!["マイナンバーカードの普及・活用"]
            );
            assert_eq!(tasks(p).len(), 1);
            let t = &tasks(p)[0];
            assert_eq!(
                phases(t),
                vec![
                    (
                        2022,
                        squash("広報紙やホームページによる啓発、出張申請受付での申請支援")
                    ),
                    (
                        2025,
                        squash("マイナンバーカード利活用の推進（電子申請の拡大など）")
                    )
                ]
            );
            assert_task(t, 2022, None, "phases from R4");
            assert!(t["end_fy"].as_i64().unwrap() >= 2025);
        },
    );
    secs.run(
        "2-④ データ利活用 (two measures; a named task row)",
        || {
            let p = project(&d, "地域におけるデータ利活用の推進（ビッグデータの活用）");
            assert_eq!(
                measure_titles(&d, p),
                vec!["データ連携基盤の活用推進", "産官学の連携強化"],
                "one project under two 具体施策, first heading first"
            );
            assert_eq!(tasks(p).len(), 2);
            assert_task(
                task_with_phase(p, 2022, "オープンデータの拡充検討"),
                2022,
                Some(2027),
                "filled R4–R9",
            );
            let t = task(p, "データ活用のための環境整備検討");
            assert_task(t, 2023, Some(2027), "filled R5–R9");
            assert!(
                phases(t).is_empty(),
                "no phase labels on a bar without text: {t}"
            );
        },
    );
    secs.run("2-⑤ MaaS (phases then arrows)", || {
        let p = project(&d, "交通手段をシームレスにつなぐMaaSの取組");
        assert_eq!(
            measure_titles(&d, p),
            vec!["産官学の連携強化"],
            "the second heading of 2-④ (one measure, checked above)"
        );
        assert_eq!(tasks(p).len(), 1);
        let t = &tasks(p)[0];
        assert_eq!(
            phases(t),
            vec![
                (2022, "計画策定".into()),
                (2023, squash("実証実験\n検証、分析")),
                (2024, "実装検討".into())
            ]
        );
        assert_task(t, 2022, Some(2027), "arrows through R9 (「Ｒ７」 header)");
        assert_eq!(t["confirmed"], false, "years from arrows are a guess");
    });
    secs.run("4-④ AI・RPA (badge; named task from R6)", || {
        let p = project(&d, "AI・RPAを活用した業務の自動化の推進");
        assert!(has_focus_badge(p));
        assert_eq!(measure_titles(&d, p), vec!["BPRの実施とAI・RPAの活用"]);
        assert_task(task_with_phase(p, 2022, "事例研究・研修実施・対象業務の洗い出し・利活用"), 2022, Some(2027), "filled R4–R9");
        assert_task(
            task(p, "「自治体情報システムの標準化・共通化」、「自治体行政手続のオンライン化」に伴うAI・RPAの利活用"),
            2024,
            Some(2027),
            "filled R6–R9",
        );
        assert!(!has_focus_badge(project(&d, "地域におけるデータ利活用の推進（ビッグデータの活用）")));
    });
    secs.finish();
}

#[test]
fn onomichi_schedule_xlsx() {
    check_onomichi("xlsx");
}

#[test]
fn onomichi_schedule_xls() {
    check_onomichi("xls");
}

#[test]
fn onomichi_schedule_ods() {
    check_onomichi("ods");
}

// =============================================================================================
// Layout 4, a flat list

fn the_indicator(p: &Json) -> &Json {
    let ind = p["indicators"].as_array().unwrap();
    assert_eq!(
        ind.len(),
        1,
        "「{}」: one indicator from the 目標/実績 columns: {}",
        p["title"],
        p["indicators"]
    );
    &ind[0]
}

fn check_flat(ext: &str) {
    let dir = tempfile::tempdir().unwrap();
    let xlsx = dir.path().join("flat_list.xlsx");
    flat_list(&xlsx);
    let file = input(&xlsx, ext);
    let plan = new_plan(dir.path(), "flat.dxplan", "2022-2025");
    let r = import_json(&plan, &[&file]);
    let d = dump(&plan);

    let mut secs = Sections::default();
    secs.run("report and measures", || {
        let sh = report_sheet(&r, FLAT_SHEET);
        assert_eq!(sh["layout"], "flat", "{sh}");
        for row in flat_rows() {
            let pr = sh["projects"]
                .as_array()
                .unwrap()
                .iter()
                .find(|p| p["title"] == row.title)
                .unwrap_or_else(|| panic!("report lacks 「{}」: {sh}", row.title));
            assert_eq!(pr["outcome"], "new");
            let (sheet, _) = split_ref(s(&pr["at"]));
            assert_eq!(sheet, FLAT_SHEET);
            let p = project(&d, row.title);
            assert_eq!(
                measure_titles(&d, p),
                vec![row.measure.to_string()],
                "施策 of 「{}」",
                row.title
            );
        }
        let m: BTreeSet<&str> = d["measures"]
            .as_array()
            .unwrap()
            .iter()
            .map(|m| s(&m["title"]))
            .collect();
        assert_eq!(
            m,
            [
                "行政手続のオンライン化",
                "地域のデジタル化",
                "産業のデジタル化",
                "庁内ネットワークの高度化・強靱化"
            ]
            .into_iter()
            .collect()
        );
    });
    secs.run("オンライン申請の拡充", || {
        let p = project(&d, "オンライン申請の拡充");
        assert_eq!(owners(p), vec!["情報政策課", "市民課"]);
        assert!(s(&p["owners_note"]).contains("ほか"));
        let ind = the_indicator(p);
        assert_value(
            target(ind, 2023),
            Some(64.0),
            Some("手続"),
            None,
            "「R5目標」",
        );
        assert_value(
            target(ind, 2024),
            Some(88.0),
            Some("手続"),
            None,
            "「R6 目標」",
        );
        assert!(actual(ind, 2023).is_none(), "blank 実績");
        assert_eq!(
            budgets(p, 2022..=2025),
            vec![None, Some(6000), Some(6000), None],
            "「令和5年度 事業費（千円）」, 「令和６年度　事業費（千円）」"
        );
    });
    secs.run("各種支払いのキャッシュレス化", || {
        let p = project(&d, "各種支払いのキャッシュレス化");
        assert_eq!(
            owners(p),
            vec!["会計課", "情報政策課"],
            "「会計課，情報政策課」"
        );
        let ind = the_indicator(p);
        assert_value(target(ind, 2023), Some(5.0), Some("%"), None, "R5目標");
        assert_value(target(ind, 2024), Some(20.0), Some("%"), None, "R6目標");
        assert!(
            actual(ind, 2023).is_none(),
            "「－」 under 「2023年度実績」 is no value, not 0"
        );
        assert!(
            actual(ind, 2024).is_none(),
            "「－」 under 「２０２４年度実績」 is no value, not 0"
        );
        assert_eq!(budget(p, 2023), Some(6000), "cost typed as text 「6,000」");
        assert_eq!(budget(p, 2024), Some(10000));
    });
    secs.run("ICTを活用した子どもの見守り", || {
        let p = project(&d, "ICTを活用した子どもの見守り");
        assert_eq!(
            owners(p),
            vec!["子育て支援課", "学校教育課"],
            "「子育て支援課, 学校教育課」"
        );
        assert_value(
            target(the_indicator(p), 2024),
            Some(75.0),
            Some("%"),
            None,
            "R6目標",
        );
        assert_eq!(budget(p, 2024), Some(8000));
    });
    secs.run("キャッシュレス化の推進", || {
        let p = project(&d, "キャッシュレス化の推進");
        assert!(target(the_indicator(p), 2023).is_none(), "「-」 target");
        assert_eq!(budget(p, 2023), Some(0), "0 is 0");
        assert_eq!(budget(p, 2024), Some(59000));
    });
    secs.run("庁内ネットワークの無線化", || {
        let p = project(&d, "庁内ネットワークの無線化");
        assert!(target(the_indicator(p), 2023).is_none(), "「－」 target");
        assert_value(
            target(the_indicator(p), 2024),
            Some(100.0),
            Some("%"),
            None,
            "R6目標",
        );
        assert_eq!(budgets(p, 2023..=2024), vec![Some(24000), Some(0)]);
    });
    secs.run("units", || {
        let units = unit_names(&d);
        for u in [
            "情報政策課",
            "市民課",
            "会計課",
            "地域創造課",
            "子育て支援課",
            "学校教育課",
            "市民図書館",
            "産業振興課",
        ] {
            assert!(units.iter().any(|n| n == u), "unit {u}: {units:?}");
        }
        assert_eq!(units.len(), 8, "{units:?}");
        no_unit_is_hoka(&d);
    });
    secs.finish();
}

#[test]
fn flat_list_xlsx() {
    check_flat("xlsx");
}

#[test]
fn flat_list_xls() {
    check_flat("xls");
}

#[test]
fn flat_list_ods() {
    check_flat("ods");
}

/// The 「合計」 row under a flat list (after a blank row) is a total, not a project.
#[test]
fn flat_total_row_is_not_a_project() {
    let dir = tempfile::tempdir().unwrap();
    let xlsx = dir.path().join("flat_list.xlsx");
    flat_list(&xlsx);
    let plan = new_plan(dir.path(), "flat.dxplan", "2022-2025");
    let r = import_json(&plan, &[&xlsx]);
    let d = dump(&plan);
    assert!(
        !titles(&d).iter().any(|t| t.contains("合計")),
        "「合計」 imported as a project: {:?}",
        titles(&d)
    );
    assert_eq!(projects(&d).len(), 7, "{:?}", titles(&d));
    assert_eq!(summary(&r, "projects_new"), 7);
}

// =============================================================================================
// Behaviour of the command

/// `--dry-run` writes nothing, and reports what a real run then does.
#[test]
fn dry_run_writes_nothing_and_reports_the_same_as_a_real_run() {
    let dir = tempfile::tempdir().unwrap();
    let info = onojo_legacy(&dir.path().join("onojo_legacy.xlsx"));
    let plan = new_plan(dir.path(), "onojo.dxplan", "2022-2025");
    let before = snapshot(&plan);
    let dry = import(&plan, &[&info.path], &["--dry-run", "--json"])
        .expect_ok("import --dry-run")
        .json();
    assert_eq!(dry["dry_run"], true);
    assert_unchanged(&before, &plan, "after --dry-run");
    assert_eq!(projects(&dump(&plan)).len(), 0);
    let real = import_json(&plan, &[&info.path]);
    assert_eq!(real["dry_run"], false);
    assert_eq!(
        comparable_report(&dry),
        comparable_report(&real),
        "a dry run reports what the real run does"
    );
    assert_eq!(projects(&dump(&plan)).len(), 7);

    // A dry run over a plan that already has the projects: all matched, still nothing written.
    let before = snapshot(&plan);
    let dry = import(&plan, &[&info.path], &["--dry-run", "--json"])
        .expect_ok("second --dry-run")
        .json();
    assert_eq!(summary(&dry, "projects_matched"), 7);
    assert_unchanged(&before, &plan, "after a second --dry-run");
}

/// Importing the same workbook again matches every project and changes nothing.
#[test]
fn reimport_matches_every_project_and_changes_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let info = onojo_legacy(&dir.path().join("onojo_legacy.xlsx"));
    let plan = new_plan(dir.path(), "onojo.dxplan", "2022-2025");
    import_json(&plan, &[&info.path]);
    let first = dump(&plan);
    let r = import_json(&plan, &[&info.path]);
    assert_eq!(summary(&r, "projects_new"), 0);
    assert_eq!(summary(&r, "projects_matched"), 7);
    assert_eq!(summary(&r, "projects_ambiguous"), 0);
    for (sheet, title) in info.sheets.iter().zip(ONOJO_LEGACY_TITLES) {
        check_project_sheet(&r, &first, &sheet.sheet, "project_sheet", title, "matched");
    }
    let second = dump(&plan);
    assert_eq!(
        first["projects"], second["projects"],
        "projects unchanged by a second import"
    );
    assert_eq!(first["measures"], second["measures"]);
    assert_eq!(first["policies"], second["policies"]);
    assert_eq!(first["org_units"], second["org_units"]);
}

/// The .ods (converted by LibreOffice) of a workbook already imported as .xlsx matches the
/// same projects.
#[test]
fn ods_of_an_imported_xlsx_matches_its_projects() {
    let dir = tempfile::tempdir().unwrap();
    let info = onojo_legacy(&dir.path().join("onojo_legacy.xlsx"));
    let plan = new_plan(dir.path(), "onojo.dxplan", "2022-2025");
    import_json(&plan, &[&info.path]);
    let first = dump(&plan);
    for ext in ["ods", "xls"] {
        let r = import_json(&plan, &[&input(&info.path, ext)]);
        assert_eq!(summary(&r, "projects_new"), 0, "{ext}");
        assert_eq!(summary(&r, "projects_matched"), 7, "{ext}");
        let second = dump(&plan);
        assert_eq!(titles(&first), titles(&second), "{ext}");
        let ids = |d: &Json| {
            projects(d)
                .iter()
                .map(|p| p["id"].clone())
                .collect::<Vec<_>>()
        };
        assert_eq!(ids(&first), ids(&second), "{ext}: same project ids");
    }
}

/// The text report names skipped sheets and every guess by `Sheet!A1`, and ends with a
/// summary line.
#[test]
fn text_report_names_skips_and_guesses_and_ends_with_a_summary() {
    let dir = tempfile::tempdir().unwrap();
    let info = onojo_legacy(&dir.path().join("onojo_legacy.xlsx"));
    let plan = new_plan(dir.path(), "onojo.dxplan", "2022-2025");
    let out = import(&plan, &[&info.path], &[])
        .expect_ok("import (text)")
        .stdout;
    let lines: Vec<&str> = out.lines().filter(|l| !l.trim().is_empty()).collect();
    let last = lines.last().expect("a report");
    assert!(
        last.contains('7'),
        "the summary line counts the 7 new projects: {last:?}"
    );
    for sheet in ["目次", "記入例", "集計"] {
        assert!(
            out.contains(sheet),
            "skipped sheet 「{sheet}」 named:\n{out}"
        );
    }
    let sheet = info.sheet("Ⅱ-1-①");
    for (task, row) in &sheet.arrow_rows {
        let hit = lines.iter().any(|l| {
            l.contains("Ⅱ-1-①")
                && l.match_indices(&row.to_string()).any(|(i, _)| {
                    let before = l[..i].chars().last();
                    let after = l[i + row.to_string().len()..].chars().next();
                    before.is_some_and(|c| c.is_ascii_uppercase())
                        && !after.is_some_and(|c| c.is_ascii_digit())
                })
        });
        assert!(
            hit,
            "the guess for 「{task}」 is shown with its cell (Ⅱ-1-①!?{row}):\n{out}"
        );
    }
    assert_eq!(projects(&dump(&plan)).len(), 7);
}

/// Several workbooks in one command, one transaction, one report.
#[test]
fn several_files_in_one_import() {
    let dir = tempfile::tempdir().unwrap();
    let info = onojo_legacy(&dir.path().join("onojo_legacy.xlsx"));
    let om = dir.path().join("onomichi_koteihyo.xlsx");
    onomichi_koteihyo(&om);
    let plan = new_plan(dir.path(), "both.dxplan", "2022-2027");
    let r = import_json(&plan, &[&info.path, &om]);
    let files = r["files"].as_array().unwrap();
    assert_eq!(files.len(), 2);
    assert!(
        s(&files[0]["file"]).contains("onojo_legacy")
            && s(&files[1]["file"]).contains("onomichi_koteihyo"),
        "files in order"
    );
    assert_eq!(summary(&r, "projects_new"), 12);
    check_summary_consistency(&r);
    assert_eq!(projects(&dump(&plan)).len(), 12);
}

/// A macro-enabled workbook (.xlsm) reads like .xlsx.
#[test]
fn xlsm_is_read() {
    let dir = tempfile::tempdir().unwrap();
    let info = onojo_legacy(&dir.path().join("onojo_legacy.xlsx"));
    let xlsm = dir.path().join("大野城市_個別施策.xlsm");
    std::fs::copy(&info.path, &xlsm).unwrap();
    let plan = new_plan(dir.path(), "onojo.dxplan", "2022-2025");
    let r = import_json(&plan, &[&xlsm]);
    assert_eq!(summary(&r, "projects_new"), 7);
    assert!(s(&r["files"][0]["file"]).contains("大野城市_個別施策.xlsm"));
}

/// The fixtures' own invariants (no importer involved): the seed transcription reproduces
/// DOMAIN.md's facts, so a failure above is the importer's.
#[test]
fn fixtures_reproduce_the_seed_facts() {
    let seed = onojo_seed();
    assert_eq!(seed.len(), 30);
    assert_eq!(seed.iter().filter(|p| p.policy == 1).count(), 16);
    assert_eq!(seed.iter().map(|p| p.tasks.len()).sum::<usize>(), 89);
    for (k, want) in [(1, TOTALS_1), (2, TOTALS_2)] {
        let mut got = [0i64; 4];
        for p in seed.iter().filter(|p| p.policy == k) {
            for (i, c) in p.lcc.iter().enumerate() {
                got[i] += seed_budget(c).unwrap_or(0);
            }
        }
        assert_eq!(got, want, "基本方針 {k}");
    }
    let measures: BTreeSet<(usize, u32)> = seed.iter().map(|p| (p.policy, p.measure_no)).collect();
    assert_eq!(measures.len(), 13);
    let dir = tempfile::tempdir().unwrap();
    for path in write_all(dir.path()) {
        assert!(
            std::fs::metadata(&path).unwrap().len() > 1000,
            "{} written",
            path.display()
        );
    }
}

/// Writes the .xlsx sources of the committed .xls/.ods fixtures (scripts/make-fixtures.sh).
#[test]
#[ignore]
fn write_fixture_sources() {
    let out = std::env::var("DXPLAN_FIXTURE_OUT").expect("DXPLAN_FIXTURE_OUT=dir");
    std::fs::create_dir_all(&out).unwrap();
    for p in write_all(Path::new(&out)) {
        println!("{}", p.display());
    }
}

/// The committed .xls/.ods hold what tests/common/legacy.rs writes today (read with calamine,
/// independently of the importer). When this fails, run scripts/make-fixtures.sh.
#[test]
fn committed_conversions_match_their_sources() {
    use calamine::{open_workbook_auto, Data, Reader};
    fn cells(path: &Path) -> BTreeMap<String, Vec<(u32, u32, String)>> {
        let mut wb = open_workbook_auto(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
        let mut out = BTreeMap::new();
        for name in wb.sheet_names() {
            let range = wb.worksheet_range(&name).unwrap();
            let (r0, c0) = range.start().unwrap_or((0, 0));
            let mut v = Vec::new();
            for (r, c, d) in range.used_cells() {
                let text = match d {
                    Data::Empty => continue,
                    Data::String(s) => s.clone(),
                    Data::Float(f) => format!("{f}"),
                    Data::Int(i) => format!("{i}"),
                    other => format!("{other:?}"),
                };
                if text.is_empty() {
                    continue;
                }
                v.push((r0 + r as u32, c0 + c as u32, text));
            }
            out.insert(name, v);
        }
        out
    }
    let dir = tempfile::tempdir().unwrap();
    let mut stale = Vec::new();
    for src in write_all(dir.path()) {
        let stem = src.file_stem().unwrap().to_str().unwrap().to_string();
        if stem == "small_onojo" {
            continue;
        }
        let want = cells(&src);
        for ext in ["xls", "ods"] {
            let got = cells(&input(&src, ext));
            if got.keys().collect::<Vec<_>>() != want.keys().collect::<Vec<_>>() {
                stale.push(format!(
                    "{stem}.{ext}: sheets {:?}, want {:?}",
                    got.keys(),
                    want.keys()
                ));
                continue;
            }
            for (sheet, cells) in &want {
                if &got[sheet] != cells {
                    let diff: Vec<_> = cells
                        .iter()
                        .filter(|c| !got[sheet].contains(c))
                        .take(3)
                        .collect();
                    stale.push(format!("{stem}.{ext} 「{sheet}」 differs, e.g. {diff:?}"));
                }
            }
        }
    }
    assert!(
        stale.is_empty(),
        "committed fixtures are stale, run scripts/make-fixtures.sh:\n{}",
        stale.join("\n")
    );
}

/// Two projects of the plan fit a sheet equally (same measure, same title): the match is
/// reported as ambiguous and not applied.
#[test]
fn an_ambiguous_match_is_reported_and_not_applied() {
    use dxplan::model::new_id;
    use dxplan::store::{OpInfo, OpKind, Store};
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("dup.dxplan");
    let mut plan = dxplan::sample::onojo().expect("bundled sample");
    let orig = plan
        .projects
        .iter()
        .find(|p| p.title == "オンライン申請の拡充")
        .expect("sample has オンライン申請の拡充")
        .clone();
    let mut dup = orig.clone();
    dup.id = new_id();
    for i in &mut dup.indicators {
        i.id = new_id();
    }
    for t in &mut dup.schedule {
        t.id = new_id();
    }
    dup.position = plan
        .projects
        .iter()
        .filter(|p| p.measure_ids.first() == orig.measure_ids.first())
        .map(|p| p.position)
        .max()
        .unwrap()
        + 1;
    dup.texts.summary = "（重複して登録された事業）".into();
    plan.projects.push(dup);
    {
        let mut s = Store::create(&path, &plan.info).unwrap();
        s.write(OpInfo::new(OpKind::Sample), |w| w.put_contents(&plan))
            .unwrap();
    }
    let twins = |d: &Json| {
        projects(d)
            .iter()
            .filter(|p| p["title"] == "オンライン申請の拡充")
            .cloned()
            .collect::<Vec<_>>()
    };
    let before = twins(&dump(&path));
    assert_eq!(before.len(), 2);

    let xlsx = dir.path().join("onojo_legacy.xlsx");
    onojo_legacy(&xlsx);
    let r = import_json(&path, &[&xlsx]);
    let sh = report_sheet(&r, "Ⅰ-1-①");
    assert_eq!(sh["projects"][0]["outcome"], "ambiguous", "{sh}");
    assert!(summary(&r, "projects_ambiguous") >= 1);
    check_summary_consistency(&r);
    assert_eq!(
        twins(&dump(&path)),
        before,
        "an ambiguous match is not applied to either project"
    );
}

/// The workbook reader takes merged regions from each sheet's `<mergeCells>`, kept by the census
/// of its cells; it must find exactly what calamine's full XML pass finds, on workbooks with
/// merges in every sheet.
#[test]
fn merged_regions_match_calamines_reading() {
    use calamine::Reader;
    let dir = tempfile::tempdir().unwrap();
    let files = [
        dir.path().join("onojo_legacy.xlsx"),
        dir.path().join("onojo_30.xlsx"),
        dir.path().join("fukuyama_bessatsu.xlsx"),
    ];
    onojo_legacy(&files[0]);
    onojo_30(&files[1]);
    fukuyama_bessatsu(&files[2]);
    let mut merged = 0;
    for f in &files {
        let read = dxplan::workbook::open(f).unwrap();
        let mut wb: calamine::Xlsx<_> = calamine::open_workbook(f).unwrap();
        assert_eq!(read.sheets.len(), wb.sheet_names().len());
        for sheet in &read.sheets {
            let theirs: Vec<_> = wb
                .merge_cells_by_sheet_name(&sheet.name)
                .unwrap()
                .into_iter()
                .map(|d| (d.start, d.end))
                .collect();
            let ours: Vec<_> = sheet.merges.iter().map(|m| (m.first, m.last)).collect();
            assert_eq!(ours, theirs, "{}: {}", f.display(), sheet.name);
            merged += ours.len();
        }
    }
    assert!(
        merged > 100,
        "the fixtures have merges to compare: {merged}"
    );
}
