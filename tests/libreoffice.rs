//! A round trip that loses nothing (issue 15): department workbooks exported from one plan,
//! edited the way a person edits them, re-saved by LibreOffice 7.4 (`soffice --headless
//! --convert-to xlsx`) and committed under tests/fixtures/libreoffice/ together with the plan
//! they were exported from (each export is sealed with that plan's key and recorded in its
//! export register, so they merge into that plan only). Every test copies the plan to a temp
//! dir and runs the real `dxplan` binary. `scripts/make-lo-fixtures.sh` rebuilds the fixtures:
//! `write_lo_fixture_sources` below writes the plan and the edited workbooks, the script
//! re-saves them with LibreOffice.

use crate::common;
use crate::support;

use std::path::{Path, PathBuf};

use common::{dump, dxplan, export_for_department, p, project, task};
use dxplan::export::layout::RowKey;
use dxplan::model::{IndicatorKind, Project};
use dxplan::store::{OpInfo, OpKind, Store};
use serde_json::Value as Json;
use support::cells::cell_of;
use support::copy_values::copy_values;
use support::xlsx_edit::Xlsx;

/// The department of every fixture: it leads 書かない・待たない窓口の導入 and co-owns
/// オンライン申請の拡充 (led by 情報政策課) and 標準システム導入; its projects carry footnotes,
/// KGI/KPI (累計 among them) and budgets.
const DEPT: &str = "市民課";
const WINDOW: &str = "書かない・待たない窓口の導入";
const ONLINE: &str = "オンライン申請の拡充";
const STANDARD: &str = "標準システム導入";

fn fixture(name: &str) -> PathBuf {
    common::fixture(&format!("libreoffice/{name}"))
}

/// The fixtures' plan, copied to a temp dir (merges write to it).
struct World {
    dir: tempfile::TempDir,
    plan: PathBuf,
}

impl World {
    fn new() -> World {
        let dir = tempfile::tempdir().unwrap();
        let plan = dir.path().join("plan.dxplan");
        std::fs::copy(fixture("plan.dxplan"), &plan).unwrap();
        World { dir, plan }
    }

    fn dump(&self) -> Json {
        dump(&self.plan)
    }

    fn merge_json(&self, name: &str) -> Json {
        dxplan(&["merge", p(&self.plan), p(&fixture(name)), "--json"])
            .expect_ok("dxplan merge --json")
            .json()
    }

    fn project(&self, title: &str) -> Project {
        let d = self.dump();
        let id = project(&d, title)["id"].as_str().unwrap().to_string();
        Store::open(&self.plan)
            .unwrap()
            .load_project(&id)
            .unwrap()
            .unwrap()
    }
}

fn id_of(d: &Json, title: &str) -> String {
    project(d, title)["id"].as_str().unwrap().to_string()
}

fn indicator_id(d: &Json, title: &str, kind: &str) -> String {
    common::indicator(project(d, title), kind)["id"]
        .as_str()
        .unwrap()
        .to_string()
}

/// Every applied line of a merge report: (field, change in words).
fn applied(r: &Json) -> Vec<(String, String, Json)> {
    r["submissions"]
        .as_array()
        .unwrap()
        .iter()
        .flat_map(|s| s["projects"].as_array().unwrap().iter())
        .flat_map(|p| p["applied"].as_array().unwrap().iter())
        .map(|a| {
            (
                a["field"].as_str().unwrap().to_string(),
                a["change"].as_str().unwrap().to_string(),
                a["new"].clone(),
            )
        })
        .collect()
}

fn conflicts(r: &Json) -> Vec<Json> {
    r["submissions"]
        .as_array()
        .unwrap()
        .iter()
        .flat_map(|s| s["projects"].as_array().unwrap().iter())
        .flat_map(|p| p["conflicts"].as_array().unwrap().iter().cloned())
        .collect()
}

fn refused(r: &Json) -> Vec<Json> {
    r["submissions"]
        .as_array()
        .unwrap()
        .iter()
        .flat_map(|s| s["projects"].as_array().unwrap().iter())
        .flat_map(|p| p["refused"].as_array().unwrap().iter().cloned())
        .collect()
}

fn submission_id(r: &Json) -> String {
    r["submissions"][0]["submission_id"].to_string()
}

fn owner_names(d: &Json, title: &str) -> Vec<String> {
    common::owners(project(d, title))
}

fn count(hay: &str, needle: &str) -> usize {
    hay.matches(needle).count()
}

#[test]
fn libreoffice_keeps_the_hidden_sheet_readable_and_an_unedited_answer_changes_nothing() {
    let w = World::new();
    // LibreOffice saves the very hidden sheet as merely hidden.
    let wb = Xlsx::open(&fixture("unedited.xlsx")).part("xl/workbook.xml");
    let tag = wb
        .split("<sheet ")
        .find(|t| t.contains("name=\"_dxplan\""))
        .expect("the hidden sheet is still in the file");
    assert!(
        tag.contains("state=\"hidden\""),
        "LibreOffice 7.4 saves it hidden: {tag}"
    );
    let before = w.dump();
    let r = w.merge_json("unedited.xlsx");
    assert_eq!(r["summary"]["submissions"], 1);
    assert_eq!(r["summary"]["applied"], 0, "{r}");
    assert_eq!(r["summary"]["conflicts"], 0, "{r}");
    assert_eq!(r["summary"]["refused"], 0, "{r}");
    assert_eq!(w.dump(), before);

    // The cover asks not to touch it (a fresh export of the same plan).
    let out = w.dir.path().join("fresh.xlsx");
    export_for_department(&w.plan, DEPT, &out);
    let book = dxplan::workbook::open(&out).unwrap();
    let cover = book.sheets.iter().find(|g| g.name == "表紙").unwrap();
    let line = dxplan::export::department::HIDDEN_SHEET_LINE;
    assert!(line.contains("_dxplan") && line.contains("LibreOffice"));
    assert!(
        cover.cells.values().any(|c| c.text == line),
        "the cover carries the line about the hidden sheet"
    );
}

/// What a keyed read gives, compared field by field: footnotes, indicators and their values,
/// tasks, budget, owners.
fn same_content(a: &Json, b: &Json, what: &str) {
    let footnotes = |p: &Json| -> Vec<(String, String)> {
        p["footnotes"]
            .as_array()
            .unwrap()
            .iter()
            .map(|f| {
                (
                    f["marker"].as_str().unwrap().to_string(),
                    f["text"].as_str().unwrap().to_string(),
                )
            })
            .collect()
    };
    assert_eq!(footnotes(a), footnotes(b), "{what}: footnotes");
    let indicators = |p: &Json| -> Vec<Json> {
        p["indicators"]
            .as_array()
            .unwrap()
            .iter()
            .map(|i| {
                let mut i = i.clone();
                i.as_object_mut().unwrap().remove("id");
                i
            })
            .collect()
    };
    assert_eq!(indicators(a), indicators(b), "{what}: indicators");
    assert_eq!(a["budget"], b["budget"], "{what}: budget");
    assert_eq!(a["texts"], b["texts"], "{what}: texts");
    assert_eq!(a["owners"], b["owners"], "{what}: owners");
    let tasks = |p: &Json| -> Vec<Json> {
        p["schedule"]
            .as_array()
            .unwrap()
            .iter()
            .map(|t| {
                let mut t = t.clone();
                t.as_object_mut().unwrap().remove("id");
                t
            })
            .collect()
    };
    assert_eq!(tasks(a), tasks(b), "{what}: schedule");
}

#[test]
fn values_copied_without_the_hidden_sheet_and_key_column_import_without_loss() {
    let w = World::new();
    let copy = fixture("copied.xlsx");
    // merge takes only what the office sent out, and says what to do instead.
    let r = dxplan(&["merge", p(&w.plan), p(&copy)]);
    assert_eq!(r.code, Some(2));
    assert!(r.stderr.contains("dxplan import"), "{}", r.stderr);

    // Imported into the plan it came from: every project matched, nothing changed (no
    // footnote blanked, no KPI or budget row skipped).
    let before = common::dump_text(&w.plan);
    let rep = common::import_json(&w.plan, &[&copy]);
    assert_eq!(rep["summary"]["projects_matched"], 3, "{rep}");
    assert_eq!(rep["summary"]["changes"], 0, "{rep}");
    assert_eq!(common::dump_text(&w.plan), before);
    for s in common::report_sheets(&rep)
        .into_iter()
        .filter(|s| s["skipped"].is_null())
    {
        assert_eq!(s["layout"], "dxplan_labels", "{s}");
        assert!(s["indicators"].as_u64().unwrap() >= 2, "{s}");
        assert!(s["budget_cells"].as_u64().unwrap() >= 4, "{s}");
    }

    // Into a new plan: the same footnotes, indicators, tasks, budget and owners.
    let fresh = common::new_plan(w.dir.path(), "fresh.dxplan", "2022-2025");
    common::import_json(&fresh, &[&copy]);
    let (src, got) = (w.dump(), dump(&fresh));
    assert_eq!(common::projects(&got).len(), 3);
    for title in [WINDOW, ONLINE, STANDARD] {
        same_content(project(&got, title), project(&src, title), title);
    }
    // Footnotes were there to lose: 2 and 4.
    assert_eq!(
        project(&got, WINDOW)["footnotes"].as_array().unwrap().len(),
        2
    );
    assert_eq!(
        project(&got, STANDARD)["footnotes"]
            .as_array()
            .unwrap()
            .len(),
        4
    );
}

#[test]
fn a_master_workbook_copied_into_a_fresh_workbook_keeps_its_totals() {
    // Built here, without LibreOffice: the values of the sample's master workbook pasted into
    // a new workbook (no hidden sheet, no key column, summary sheets as values).
    let dir = tempfile::tempdir().unwrap();
    let plan = common::sample_plan(dir.path(), "sample.dxplan");
    let master = dir.path().join("master.xlsx");
    dxplan(&["export", p(&plan), "-o", p(&master)]).expect_ok("export master");
    let copy = dir.path().join("copy.xlsx");
    copy_values(&master, &copy);
    let fresh = common::new_plan(dir.path(), "fresh.dxplan", "2022-2025");
    let rep = common::import_json(&fresh, &[&copy]);
    assert_eq!(rep["summary"]["projects_new"], 30, "{}", rep["summary"]);
    let (src, got) = (dump(&plan), dump(&fresh));
    let total = |d: &Json| -> i64 {
        common::projects(d)
            .iter()
            .flat_map(|p| p["budget"].as_array().unwrap().iter())
            .filter_map(|b| b["planned_thousand_yen"].as_i64())
            .sum()
    };
    // 大野城市 §2.4: 1,240,400 千円.
    assert_eq!(total(&got), total(&src));
    assert_eq!(total(&got), 1_240_400);
    let summary = dxplan(&["summary", p(&fresh)]).expect_ok("summary").stdout;
    assert!(summary.contains("1,240,400"), "{summary}");
    for s in common::projects(&src) {
        let title = s["title"].as_str().unwrap();
        same_content(project(&got, title), s, title);
    }
}

#[test]
fn a_task_or_indicator_cleared_as_the_cover_says_is_removed_and_undone() {
    let w = World::new();
    let before = w.dump();
    let kgi = indicator_id(&before, WINDOW, "KGI");
    let tid = task(project(&before, WINDOW), "システム導入")["id"]
        .as_str()
        .unwrap()
        .to_string();
    // Cleared with the Delete key: the text is gone, the bar's colour is still there.
    let file = fixture("cleared.xlsx");
    let (sheet, row, _) = support::cells::key_of(
        &file,
        &id_of(&before, WINDOW),
        &|k: &RowKey| matches!(k, RowKey::Task { id } if *id == tid),
    );
    let book = dxplan::workbook::open(&file).unwrap();
    let g = book.sheets.iter().find(|g| g.name == sheet).unwrap();
    assert!(g.text(row, 0).is_empty());
    assert!(
        (1..=4).any(|c| g.filled(row, c)),
        "a year cell keeps its colour"
    );
    let r = w.merge_json("cleared.xlsx");
    let lines = applied(&r);
    let removed = |field: &str| {
        lines
            .iter()
            .find(|(f, _, _)| f == field)
            .unwrap_or_else(|| panic!("no applied line for {field}: {lines:?}"))
    };
    let (_, change, new) = removed(&format!("task/{tid}"));
    assert!(new.is_null() && change.contains("削除"), "{change}");
    let (_, change, new) = removed(&format!("indicator/{kgi}"));
    assert!(new.is_null() && change.contains("削除"), "{change}");
    assert_eq!(r["summary"]["conflicts"], 0);

    let after = w.dump();
    let pr = project(&after, WINDOW);
    assert!(
        common::indicators(pr, "KGI").is_empty(),
        "{}",
        pr["indicators"]
    );
    assert!(pr["indicators"]
        .as_array()
        .unwrap()
        .iter()
        .all(|i| !i["name"].as_str().unwrap().is_empty()));
    assert!(pr["schedule"]
        .as_array()
        .unwrap()
        .iter()
        .all(|t| t["id"] != tid.as_str()));

    // The text report says so too.
    let w2 = World::new();
    let text = dxplan(&["merge", p(&w2.plan), p(&fixture("cleared.xlsx"))])
        .expect_ok("merge")
        .stdout;
    assert!(text.contains("工程「システム導入」: 削除"), "{text}");

    // undo-merge brings both back, in their places.
    dxplan(&["undo-merge", p(&w.plan), &submission_id(&r)]).expect_ok("undo-merge");
    assert_eq!(w.dump(), before);
}

#[test]
fn removing_an_indicator_the_office_changed_is_a_conflict_for_the_office() {
    let w = World::new();
    let d = w.dump();
    let id = id_of(&d, WINDOW);
    let kgi = indicator_id(&d, WINDOW, "KGI");
    // The office set the KGI's 2025 target after the export; the department cleared the KGI.
    office_edit(&w.plan, &id, |p| {
        let i = p.indicators.iter_mut().find(|i| i.id == kgi).unwrap();
        i.values = vec![dxplan::model::IndicatorValue {
            fiscal_year: 2025,
            target: dxplan::parse::value::parse_value("5 窓口"),
            actual: None,
        }];
    });
    let office = w.dump();
    let r = w.merge_json("cleared.xlsx");
    let c = conflicts(&r);
    assert_eq!(c.len(), 1, "{r}");
    assert_eq!(c[0]["field"], format!("indicator/{kgi}").as_str());
    assert_eq!(c[0]["theirs_text"], "（なし）");
    assert!(
        c[0]["note"].as_str().unwrap().contains("事務局"),
        "{}",
        c[0]
    );
    // Nothing of the KGI changed; the cleared task was still removed.
    let after = w.dump();
    assert_eq!(
        common::indicator(project(&after, WINDOW), "KGI"),
        common::indicator(project(&office, WINDOW), "KGI")
    );
    assert!(applied(&r)
        .iter()
        .all(|(f, _, _)| !f.starts_with(&format!("indicator/{kgi}"))));
    // Taking the department's answer removes it, values and all.
    dxplan(&[
        "resolve",
        p(&w.plan),
        &c[0]["conflict_id"].to_string(),
        "--take",
        "theirs",
    ])
    .expect_ok("resolve");
    assert!(common::indicators(project(&w.dump(), WINDOW), "KGI").is_empty());
}

#[test]
fn a_unit_added_to_the_owners_is_a_co_owner_and_an_unknown_one_is_reported() {
    let w = World::new();
    let before = w.dump();
    let r = w.merge_json("owners.xlsx");
    let after = w.dump();
    assert_eq!(
        owner_names(&after, WINDOW),
        ["市民課", "情報政策課", "防災安全課"]
    );
    assert_eq!(project(&after, WINDOW)["owners_note"], "");
    // The unknown unit is reported, never created.
    let refused = refused(&r);
    assert!(
        refused
            .iter()
            .any(|x| x["field"] == "owners" && x["reason"].as_str().unwrap().contains("未来創造課")),
        "{refused:?}"
    );
    assert_eq!(common::unit_names(&after), common::unit_names(&before));
    // The report names the units.
    let lines = applied(&r);
    let (_, change, _) = lines.iter().find(|(f, _, _)| f == "owners").unwrap();
    assert_eq!(
        change,
        "「市民課、情報政策課」→「市民課、情報政策課、防災安全課」"
    );

    // `import` of the same workbook reads 担当課 the same way (changes to an existing project's
    // values are opt-in since issue 14: --accept all).
    let w = World::new();
    let rep = common::import(
        &w.plan,
        &[&fixture("owners.xlsx")],
        &["--json", "--accept", "all"],
    )
    .expect_ok("dxplan import --accept all")
    .json();
    let after = w.dump();
    assert_eq!(
        owner_names(&after, WINDOW),
        ["市民課", "情報政策課", "防災安全課"]
    );
    assert_eq!(project(&after, WINDOW)["owners_note"], "");
    assert_eq!(common::unit_names(&after), common::unit_names(&before));
    let skipped: Vec<&Json> = common::report_sheets(&rep)
        .into_iter()
        .flat_map(|s| s["skipped_cells"].as_array().unwrap().iter())
        .collect();
    assert!(
        skipped
            .iter()
            .any(|n| n["message"].as_str().unwrap().contains("未来創造課")),
        "{rep}"
    );
}

#[test]
fn a_co_owner_removing_the_lead_is_a_conflict_for_the_office() {
    let w = World::new();
    let before = w.dump();
    let r = w.merge_json("lead_removed.xlsx");
    let c = conflicts(&r);
    assert_eq!(c.len(), 1, "{r}");
    assert_eq!(c[0]["field"], "owners");
    assert!(
        c[0]["note"].as_str().unwrap().contains("主担当課"),
        "{}",
        c[0]
    );
    assert_eq!(c[0]["ours_text"], "情報政策課、市民課");
    assert_eq!(c[0]["theirs_text"], "市民課");
    assert_eq!(
        owner_names(&w.dump(), ONLINE),
        owner_names(&before, ONLINE),
        "nothing applied"
    );
    let listed = dxplan(&["conflicts", p(&w.plan)])
        .expect_ok("conflicts")
        .stdout;
    assert!(
        listed.contains("事務局「情報政策課、市民課」 課「市民課」"),
        "{listed}"
    );
    // The office decides.
    let id = c[0]["conflict_id"].to_string();
    dxplan(&["resolve", p(&w.plan), &id, "--take", "theirs"]).expect_ok("resolve");
    assert_eq!(owner_names(&w.dump(), ONLINE), ["市民課"]);
}

/// The office's own edit of the central plan, as dxplan's editor makes it.
fn office_edit(plan: &Path, id: &str, edit: impl FnOnce(&mut Project)) {
    let mut store = Store::open(plan).unwrap();
    let mut pr = store.load_project(id).unwrap().unwrap();
    edit(&mut pr);
    store
        .write(OpInfo::new(OpKind::LocalEdit), |w| w.save_project(&pr))
        .unwrap();
}

/// The KPI's actual of `fy`, typed.
fn set_actual(p: &mut Project, fy: i32, text: &str) {
    let kpi = p
        .indicators
        .iter_mut()
        .find(|i| i.kind == IndicatorKind::KPI)
        .unwrap();
    let v = dxplan::parse::value::parse_value(text);
    match kpi.values.iter_mut().find(|v| v.fiscal_year == fy) {
        Some(x) => x.actual = v,
        None => {
            let at = kpi.values.partition_point(|v| v.fiscal_year < fy);
            kpi.values.insert(
                at,
                dxplan::model::IndicatorValue {
                    fiscal_year: fy,
                    target: None,
                    actual: v,
                },
            )
        }
    }
}

fn actual_text(p: &Project, kind: IndicatorKind, fy: i32) -> Option<String> {
    p.indicators
        .iter()
        .find(|i| i.kind == kind)
        .and_then(|i| i.values.iter().find(|v| v.fiscal_year == fy))
        .and_then(|v| v.actual.as_ref())
        .map(|v| v.text.clone())
}

#[test]
fn undoing_an_answer_after_resolve_theirs_reverts_the_departments_value() {
    let w = World::new();
    let d = w.dump();
    let id = id_of(&d, WINDOW);
    // The office typed 2022's actual centrally after the export; the department typed another.
    office_edit(&w.plan, &id, |p| set_actual(p, 2022, "2 窓口"));
    let office = w.dump();
    let r = w.merge_json("edited.xlsx");
    let kpi = indicator_id(&d, WINDOW, "KPI");
    let field = format!("indicator/{kpi}/2022/actual");
    let c = conflicts(&r)
        .into_iter()
        .find(|c| c["field"] == field.as_str())
        .unwrap_or_else(|| panic!("no conflict on {field}: {r}"));
    assert_eq!(c["ours_text"], "2 窓口");
    assert_eq!(c["theirs_text"], "1 窓口");
    let cid = c["conflict_id"].to_string();
    dxplan(&["resolve", p(&w.plan), &cid, "--take", "theirs"]).expect_ok("resolve");
    assert_eq!(
        actual_text(&w.project(WINDOW), IndicatorKind::KPI, 2022).as_deref(),
        Some("1 窓口")
    );

    let out = dxplan(&["undo-merge", p(&w.plan), &submission_id(&r), "--json"])
        .expect_ok("undo-merge")
        .json();
    assert_eq!(
        out["resolutions_reverted"][0]["conflict_id"].to_string(),
        cid,
        "{out}"
    );
    assert_eq!(
        actual_text(&w.project(WINDOW), IndicatorKind::KPI, 2022).as_deref(),
        Some("2 窓口"),
        "the department's value is gone with its answer"
    );
    // Everything else the answer applied is reverted too: the plan is the office's again.
    assert_eq!(w.dump(), office);
}

#[test]
fn undo_says_what_it_kept_when_the_office_typed_the_resolution() {
    let w = World::new();
    let id = id_of(&w.dump(), WINDOW);
    office_edit(&w.plan, &id, |p| set_actual(p, 2022, "2 窓口"));
    let r = w.merge_json("edited.xlsx");
    let c = conflicts(&r);
    let cid = c[0]["conflict_id"].to_string();
    dxplan(&["resolve", p(&w.plan), &cid, "--value", "3 窓口"]).expect_ok("resolve");
    let out = dxplan(&["undo-merge", p(&w.plan), &submission_id(&r), "--json"])
        .expect_ok("undo-merge")
        .json();
    assert_eq!(out["resolutions_reverted"], serde_json::json!([]));
    let kept = out["kept"].as_array().unwrap();
    assert!(
        kept.iter().any(|k| k["field"] == c[0]["field"]
            && k["reason"]
                .as_str()
                .unwrap()
                .contains("入力した値「3 窓口」")),
        "{out}"
    );
    assert_eq!(
        actual_text(&w.project(WINDOW), IndicatorKind::KPI, 2022).as_deref(),
        Some("3 窓口")
    );
}

#[test]
fn report_lines_say_what_changed_in_words() {
    let w = World::new();
    let d = w.dump();
    let r = w.merge_json("edited.xlsx");
    let lines = applied(&r);
    let line = |field: &str| -> String {
        lines
            .iter()
            .find(|(f, _, _)| f == field)
            .unwrap_or_else(|| panic!("no applied line for {field}: {lines:?}"))
            .1
            .clone()
    };
    let tid = task(project(&d, STANDARD), "庁内体制の整備")["id"]
        .as_str()
        .unwrap()
        .to_string();
    let t = line(&format!("task/{tid}"));
    assert!(t.contains("年度 2022年度 → 2022〜2023年度"), "{t}");
    assert!(t.contains("2022年度の段階「」→「検討」"), "{t}");
    let kpi = indicator_id(&d, STANDARD, "KPI");
    let i = line(&format!("indicator/{kpi}"));
    assert!(i.contains("単位「業務」→「システム」"), "{i}");
    assert!(i.contains("累計 あり → なし"), "{i}");
    let f = line("footnotes");
    assert!(f.starts_with("※1「標準システムは"), "{f}");
    assert!(f.contains("→「LibreOffice で直した注記」"), "{f}");
    let b = line("budget/2023/planned");
    assert!(b.contains("千円"), "{b}");
    // No line shows an id or JSON.
    let ids: Vec<String> = d["org_units"]
        .as_array()
        .unwrap()
        .iter()
        .map(|u| u["id"].as_str().unwrap().to_string())
        .chain([kpi.clone(), tid.clone()])
        .collect();
    for (field, change, _) in &lines {
        assert!(!change.contains('{'), "{field}: {change}");
        assert!(
            ids.iter().all(|id| !change.contains(id.as_str())),
            "{field}: {change}"
        );
    }
    // The text report prints those words.
    let w2 = World::new();
    let text = dxplan(&["merge", p(&w2.plan), p(&fixture("edited.xlsx"))])
        .expect_ok("merge")
        .stdout;
    assert!(text.contains(&t) && text.contains(&i), "{text}");
}

#[test]
fn resolve_and_undo_on_unknown_or_closed_ids_say_so_once_in_both_languages() {
    let w = World::new();
    let r = w.merge_json("lead_removed.xlsx");
    let cid = conflicts(&r)[0]["conflict_id"].to_string();

    let e = dxplan(&["resolve", p(&w.plan), "999", "--take", "theirs"]);
    assert_eq!(e.code, Some(2));
    assert_eq!(
        count(&e.stderr, "修正が重なった項目 #999 はありません"),
        1,
        "{}",
        e.stderr
    );
    assert_eq!(count(&e.stderr, "no conflict #999"), 1, "{}", e.stderr);
    assert_eq!(
        count(&e.stderr, "999"),
        2,
        "said once per language: {}",
        e.stderr
    );

    dxplan(&["resolve", p(&w.plan), &cid, "--take", "ours"]).expect_ok("resolve");
    let e = dxplan(&["resolve", p(&w.plan), &cid, "--take", "theirs"]);
    assert_eq!(e.code, Some(2));
    assert_eq!(count(&e.stderr, "解決済み"), 1, "{}", e.stderr);
    assert_eq!(count(&e.stderr, "already closed"), 1, "{}", e.stderr);
    assert!(
        e.stderr.contains("情報政策課、市民課"),
        "what was taken: {}",
        e.stderr
    );

    let e = dxplan(&["undo-merge", p(&w.plan), "999"]);
    assert_eq!(e.code, Some(2));
    assert_eq!(count(&e.stderr, "提出番号 999"), 1, "{}", e.stderr);
    assert_eq!(
        count(&e.stderr, "no merged submission 999"),
        1,
        "{}",
        e.stderr
    );
}

// ---------------------------------------------------------------------------------------------
// The fixtures' sources (scripts/make-lo-fixtures.sh)

/// The row (0-based) of the first key matching `row` on project `pid`'s sheet, and its sheet.
fn row_of(file: &Path, pid: &str, row: impl Fn(&RowKey) -> bool) -> (String, u32) {
    let (sheet, r, _) = support::cells::key_of(file, pid, &row);
    (sheet, r)
}

fn a1(r: u32, c: u32) -> String {
    support::xlsx_edit::a1(r, c)
}

/// Clears a whole row of a project sheet from the label column to the 合計 column (`cols`
/// value columns) as the Delete key does: the contents go, the bar colours stay.
fn clear_row(x: &mut Xlsx, sheet: &str, r: u32, cols: u32) {
    for c in 0..=cols + 1 {
        x.set(sheet, &a1(r, c), None);
    }
}

#[test]
#[ignore = "writes the sources of tests/fixtures/libreoffice (scripts/make-lo-fixtures.sh)"]
fn write_lo_fixture_sources() {
    let out = PathBuf::from(
        std::env::var("DXPLAN_FIXTURE_OUT").expect("DXPLAN_FIXTURE_OUT: where to write"),
    );
    std::fs::create_dir_all(&out).unwrap();
    let plan = out.join("plan.dxplan");
    let _ = std::fs::remove_file(&plan);
    dxplan(&["sample", p(&plan)]).expect_ok("sample");
    let d = dump(&plan);
    let export = |name: &str| -> PathBuf {
        let f = out.join(format!("{name}.xlsx"));
        export_for_department(&plan, DEPT, &f);
        f
    };
    let (window, online, standard) = (id_of(&d, WINDOW), id_of(&d, ONLINE), id_of(&d, STANDARD));
    let years = 4; // 2022–2025: value columns B–E, 合計 F.

    // Exported and saved again, nothing typed.
    export("unedited");

    // Its values (and cell colours) pasted into a new workbook.
    let tmp = tempfile::tempdir().unwrap();
    let src = tmp.path().join("src.xlsx");
    export_for_department(&plan, DEPT, &src);
    copy_values(&src, &out.join("copied.xlsx"));

    // A task and an indicator cleared as the cover says.
    let f = export("cleared");
    let mut x = Xlsx::open(&f);
    let tid = task(project(&d, WINDOW), "システム導入")["id"]
        .as_str()
        .unwrap()
        .to_string();
    let (sheet, r) = row_of(
        &f,
        &window,
        |k| matches!(k, RowKey::Task { id } if *id == tid),
    );
    clear_row(&mut x, &sheet, r, years);
    let kgi = indicator_id(&d, WINDOW, "KGI");
    for key in [
        (|id: &str, k: &RowKey| matches!(k, RowKey::Indicator { id: x, .. } if x == id))
            as fn(&str, &RowKey) -> bool,
        |id, k| matches!(k, RowKey::Unit { id: x } if x == id),
        |id, k| matches!(k, RowKey::Target { id: x } if x == id),
        |id, k| matches!(k, RowKey::Actual { id: x } if x == id),
    ] {
        let (sheet, r) = row_of(&f, &window, |k| key(&kgi, k));
        for c in 1..=years + 1 {
            x.set(&sheet, &a1(r, c), None);
        }
    }
    x.save(&f);

    // 担当課: a unit of the plan added (not a unit of this department's workbook), and one
    // the plan does not have.
    let f = export("owners");
    let mut x = Xlsx::open(&f);
    let (sheet, cell) = cell_of(&f, &window, |k| *k == RowKey::Owners, None);
    x.set(
        &sheet,
        &cell,
        Some("市民課、情報政策課、防災安全課、未来創造課"),
    );
    x.save(&f);

    // A co-owner removes the lead.
    let f = export("lead_removed");
    let mut x = Xlsx::open(&f);
    let (sheet, cell) = cell_of(&f, &online, |k| *k == RowKey::Owners, None);
    x.set(&sheet, &cell, Some("市民課"));
    x.save(&f);

    // Typed as a person types: an actual, a task's years and phase, an indicator's unit and
    // 累計, a footnote, a budget cell.
    let f = export("edited");
    let mut x = Xlsx::open(&f);
    let kpi = indicator_id(&d, WINDOW, "KPI");
    let (sheet, cell) = cell_of(
        &f,
        &window,
        |k| matches!(k, RowKey::Actual { id } if *id == kpi),
        Some(2022),
    );
    x.set(&sheet, &cell, Some("1 窓口"));
    let (sheet, cell) = cell_of(&f, &window, |k| *k == RowKey::Planned, Some(2023));
    x.set_number(&sheet, &cell, 5000.0);
    let tid = task(project(&d, STANDARD), "庁内体制の整備")["id"]
        .as_str()
        .unwrap()
        .to_string();
    let (sheet, r) = row_of(
        &f,
        &standard,
        |k| matches!(k, RowKey::Task { id } if *id == tid),
    );
    x.set(&sheet, &a1(r, 1), Some("検討"));
    x.set(&sheet, &a1(r, 2), Some("●"));
    let kpi = indicator_id(&d, STANDARD, "KPI");
    let (sheet, r) = row_of(
        &f,
        &standard,
        |k| matches!(k, RowKey::Unit { id } if *id == kpi),
    );
    x.set(&sheet, &a1(r, 1), Some("システム"));
    let (sheet, r) = row_of(
        &f,
        &standard,
        |k| matches!(k, RowKey::Indicator { id, .. } if *id == kpi),
    );
    x.set(&sheet, &a1(r, years + 1), None);
    let (sheet, r) = row_of(&f, &standard, |k| matches!(k, RowKey::Footnote { .. }));
    x.set(&sheet, &a1(r, 1), Some("LibreOffice で直した注記"));
    x.save(&f);
}
