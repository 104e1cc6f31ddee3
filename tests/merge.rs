//! Merging department submissions: three departments and the office editing at once, the
//! submissions edited the way a person edits in Excel (cells typed over, cleared, sheets
//! renamed), repeated and out-of-order merges, a tampered hidden sheet, conflicts resolved,
//! a merge undone. Real plan files and real workbooks, driven through the `dxplan` binary.

use crate::support;

use std::path::{Path, PathBuf};
use std::process::Command;

use dxplan::export::layout::RowKey;
use dxplan::model::*;
use dxplan::store::{OpInfo, OpKind, Store};
use serde_json::Value as Json;
use support::cells::cell_of;
use support::xlsx_edit::{a1, Xlsx};

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
    assert!(success, "dxplan {args:?} failed: {err}");
    out
}

fn json(args: &[&str]) -> Json {
    serde_json::from_str(&ok(args)).unwrap()
}

fn s(p: &Path) -> &str {
    p.to_str().unwrap()
}

struct World {
    dir: tempfile::TempDir,
    plan: PathBuf,
    sample: Plan,
}

impl World {
    fn new() -> World {
        let dir = tempfile::tempdir().unwrap();
        let plan = dir.path().join("central.dxplan");
        ok(&["sample", s(&plan)]);
        let sample = Store::open(&plan).unwrap().load_plan().unwrap();
        World { dir, plan, sample }
    }

    fn path(&self, name: &str) -> PathBuf {
        self.dir.path().join(name)
    }

    fn export(&self, dept: &str, name: &str) -> PathBuf {
        let f = self.path(name);
        ok(&["export", s(&self.plan), "--department", dept, "-o", s(&f)]);
        f
    }

    fn unit(&self, name: &str) -> String {
        self.sample
            .org_units
            .iter()
            .find(|u| u.name == name)
            .unwrap()
            .id
            .clone()
    }

    fn project(&self, id: &str) -> Project {
        Store::open(&self.plan)
            .unwrap()
            .load_project(id)
            .unwrap()
            .unwrap()
    }

    fn dump(&self) -> Json {
        json(&["dump", s(&self.plan), "--compact"])
    }

    /// The office edits the central plan directly (a local edit in dxplan).
    fn office_edit(&self, id: &str, edit: impl FnOnce(&mut Project)) {
        let mut store = Store::open(&self.plan).unwrap();
        let mut p = store.load_project(id).unwrap().unwrap();
        edit(&mut p);
        store
            .write(OpInfo::new(OpKind::LocalEdit), |w| w.save_project(&p))
            .unwrap();
    }
}

fn kpi(p: &Project) -> &Indicator {
    p.indicators
        .iter()
        .find(|i| i.kind == IndicatorKind::KPI)
        .unwrap()
}

fn value_at(i: &Indicator, fy: i32, target: bool) -> Option<String> {
    i.values
        .iter()
        .find(|v| v.fiscal_year == fy)
        .and_then(|v| {
            if target {
                v.target.clone()
            } else {
                v.actual.clone()
            }
        })
        .map(|v| v.text)
}

fn planned(p: &Project, fy: i32) -> Option<i64> {
    p.budget
        .iter()
        .find(|b| b.fiscal_year == fy)
        .and_then(|b| b.planned_thousand_yen)
}

/// Projects a unit owns (lead or co-owner) in the plan.
fn owned<'a>(plan: &'a Plan, unit: &str) -> Vec<&'a Project> {
    plan.projects
        .iter()
        .filter(|p| p.owners.iter().any(|o| o.unit_id == unit))
        .collect()
}

#[test]
fn three_departments_and_the_office_at_once() {
    let w = World::new();
    // A co-owned project and its two departments, and a third department.
    let shared = w
        .sample
        .projects
        .iter()
        .find(|p| p.owners.len() >= 2)
        .unwrap()
        .clone();
    let name = |id: &str| {
        w.sample
            .org_units
            .iter()
            .find(|u| u.id == id)
            .unwrap()
            .name
            .clone()
    };
    let (a, b) = (
        name(&shared.owners[0].unit_id),
        name(&shared.owners[1].unit_id),
    );
    let c = w
        .sample
        .org_units
        .iter()
        .map(|u| u.name.clone())
        .find(|n| {
            *n != a
                && *n != b
                && !owned(&w.sample, &w.unit(n)).is_empty()
                && owned(&w.sample, &w.unit(n))
                    .iter()
                    .all(|p| p.owners.len() == 1)
        })
        .unwrap();
    let fa = w.export(&a, "a.xlsx");
    let fb = w.export(&b, "b.xlsx");
    let fc = w.export(&c, "c.xlsx");
    let a_only = owned(&w.sample, &w.unit(&a))
        .into_iter()
        .find(|p| p.id != shared.id && p.indicators.iter().any(|i| i.kind == IndicatorKind::KPI))
        .unwrap()
        .clone();
    let c_proj = owned(&w.sample, &w.unit(&c))[0].clone();
    let fy0 = w.sample.info.first_fy;

    // The office, meanwhile: budget of the shared project's 2nd year, and the goal of A's project.
    w.office_edit(&shared.id, |p| {
        p.budget[1].planned_thousand_yen = Some(77_000)
    });
    w.office_edit(&a_only.id, |p| p.texts.goal = "本庁が直した目標".into());

    // A, in Excel: a KPI actual typed, a budget cell cleared, the shared budget changed too.
    let kpi_a = kpi(&a_only).id.clone();
    let mut x = Xlsx::open(&fa);
    let (sh, cell) = cell_of(
        &fa,
        &a_only.id,
        |k| matches!(k, RowKey::Actual { id } if *id == kpi_a),
        Some(fy0),
    );
    x.set(&sh, &cell, Some("41 手続"));
    let (sh, cell) = cell_of(&fa, &a_only.id, |k| *k == RowKey::Planned, Some(fy0 + 3));
    x.set(&sh, &cell, None);
    let (sh, cell) = cell_of(&fa, &shared.id, |k| *k == RowKey::Planned, Some(fy0 + 1));
    x.set_number(&sh, &cell, 88_000.0);
    x.save(&fa);

    // B edits the shared project's summary; C renames its sheet and changes a text.
    let mut x = Xlsx::open(&fb);
    let (sh, cell) = cell_of(&fb, &shared.id, |k| *k == RowKey::Summary, None);
    x.set(&sh, &cell, Some("課Bが書き直した内容"));
    x.save(&fb);
    let mut x = Xlsx::open(&fc);
    let (sh, cell) = cell_of(&fc, &c_proj.id, |k| *k == RowKey::Purpose, None);
    x.set(&sh, &cell, Some("課Cの目的"));
    x.rename(&sh, "名前を変えたシート");
    x.save(&fc);

    let before = w.dump();
    let dry = json(&[
        "merge",
        s(&w.plan),
        s(&fa),
        s(&fb),
        s(&fc),
        "--dry-run",
        "--json",
    ]);
    assert_eq!(w.dump(), before, "a dry run writes nothing");
    let report = json(&["merge", s(&w.plan), s(&fa), s(&fb), s(&fc), "--json"]);
    assert_eq!(
        dry["summary"], report["summary"],
        "dry run reports the same"
    );

    // Changed only in a submission: applied. Cleared: empty, not 0. Changed centrally only: kept.
    let p = w.project(&a_only.id);
    assert_eq!(value_at(kpi(&p), fy0, false).as_deref(), Some("41 手続"));
    assert_eq!(planned(&p, fy0 + 3), None);
    assert_eq!(p.texts.goal, "本庁が直した目標");
    let shared_now = w.project(&shared.id);
    assert_eq!(shared_now.texts.summary, "課Bが書き直した内容");
    assert_eq!(
        w.project(&c_proj.id).texts.purpose,
        "課Cの目的",
        "a renamed sheet is matched by its hidden id"
    );
    // Changed in both differently: ours kept, one conflict with base / ours / theirs and its cell.
    assert_eq!(planned(&shared_now, fy0 + 1), Some(77_000));
    let conflicts = json(&["conflicts", s(&w.plan), "--json"]);
    let list = conflicts.as_array().unwrap();
    assert_eq!(list.len(), 1, "{conflicts:#}");
    let conflict = &list[0];
    assert_eq!(conflict["field"], format!("budget/{}/planned", fy0 + 1));
    assert_eq!(
        conflict["base"],
        serde_json::json!(planned(&shared, fy0 + 1))
    );
    assert_eq!(conflict["ours"], 77_000);
    assert_eq!(conflict["theirs"], 88_000);
    assert!(conflict["at"].as_str().unwrap().contains('!'));
    // The report names the cell each change came from.
    let applied: Vec<&Json> = report["submissions"]
        .as_array()
        .unwrap()
        .iter()
        .flat_map(|s| s["projects"].as_array().unwrap())
        .flat_map(|p| p["applied"].as_array().unwrap())
        .collect();
    assert_eq!(applied.len(), 4, "{report:#}");
    assert!(
        applied.iter().all(|a| a["at"]
            .as_str()
            .unwrap()
            .chars()
            .last()
            .unwrap()
            .is_ascii_digit()),
        "{applied:?}"
    );

    // Merging the same submissions again changes nothing.
    let after = w.dump();
    let again = json(&["merge", s(&w.plan), s(&fa), s(&fb), s(&fc), "--json"]);
    assert_eq!(again["summary"]["already_merged"], 3);
    assert_eq!(w.dump(), after);
    assert_eq!(
        json(&["conflicts", s(&w.plan), "--json"])
            .as_array()
            .unwrap()
            .len(),
        1
    );

    // Resolve: take the department's value.
    let id = conflict["id"].as_i64().unwrap().to_string();
    ok(&["resolve", s(&w.plan), &id, "--take", "theirs"]);
    assert_eq!(planned(&w.project(&shared.id), fy0 + 1), Some(88_000));
    assert!(json(&["conflicts", s(&w.plan), "--json"])
        .as_array()
        .unwrap()
        .is_empty());

    // History names the source and the department.
    let hist = json(&["history", s(&w.plan), "--project", &a_only.id, "--json"]);
    let merged = hist
        .as_array()
        .unwrap()
        .iter()
        .find(|e| e["kind"] == "merge")
        .unwrap();
    assert_eq!(merged["department"], a.as_str());
    assert!(merged["source"].as_str().unwrap().contains("a.xlsx"));
}

#[test]
fn rows_and_sheets_added_in_excel_are_added() {
    let w = World::new();
    let p = w
        .sample
        .projects
        .iter()
        .find(|p| p.owners.len() == 1)
        .unwrap()
        .clone();
    let dept = w
        .sample
        .org_units
        .iter()
        .find(|u| u.id == p.owners[0].unit_id)
        .unwrap()
        .name
        .clone();
    let fy0 = w.sample.info.first_fy;
    let f = w.export(&dept, "d.xlsx");
    let mut x = Xlsx::open(&f);
    // A task typed into a spare schedule row, an indicator into the spare indicator block.
    let known_task = |id: &str| p.schedule.iter().any(|t| t.id == id);
    let (sh, name_cell) = cell_of(
        &f,
        &p.id,
        |k| matches!(k, RowKey::Task { id } if !known_task(id)),
        None,
    );
    x.set(&sh, &name_cell.replace('B', "A"), Some("追加した工程"));
    let (_, year_cell) = cell_of(
        &f,
        &p.id,
        |k| matches!(k, RowKey::Task { id } if !known_task(id)),
        Some(fy0 + 1),
    );
    x.set(&sh, &year_cell, Some("構築"));
    let known_ind = |id: &str| p.indicators.iter().any(|i| i.id == id);
    let spare_id = {
        let wb = dxplan::workbook::open(&f).unwrap();
        wb.sheets
            .iter()
            .flat_map(|g| g.cells.values())
            .find_map(|c| match RowKey::from_cell(&c.text) {
                Some(Ok(RowKey::Indicator { id, .. })) if !known_ind(&id) => Some(id),
                _ => None,
            })
            .unwrap()
    };
    let (_, ind_name) = cell_of(
        &f,
        &p.id,
        |k| matches!(k, RowKey::Indicator { id, .. } if *id == spare_id),
        None,
    );
    x.set(&sh, &ind_name, Some("追加した指標（件）"));
    let (_, target) = cell_of(
        &f,
        &p.id,
        |k| matches!(k, RowKey::Target { id } if *id == spare_id),
        Some(fy0 + 2),
    );
    x.set(&sh, &target, Some("10 件"));
    // A new project on a sheet of its own, in the familiar layout, naming its measure.
    let measure = w.sample.measures[0].title.clone();
    x.add_sheet(
        "新しい事業",
        &[
            ("B2", "施策"),
            ("C2", &measure),
            ("B3", "取組名"),
            ("C3", "課が提案する新しい取組"),
            ("B4", "内容"),
            ("C4", "提案の内容"),
        ],
    );
    x.save(&f);

    let report = json(&["merge", s(&w.plan), s(&f), "--json"]);
    assert_eq!(report["summary"]["conflicts"], 0, "{report:#}");
    let now = w.project(&p.id);
    assert_eq!(now.schedule.len(), p.schedule.len() + 1);
    let added = now.schedule.last().unwrap();
    assert_eq!(
        (added.name.as_str(), added.start_fy, added.end_fy),
        ("追加した工程", fy0 + 1, fy0 + 1)
    );
    let ind = now
        .indicators
        .iter()
        .find(|i| i.name == "追加した指標（件）")
        .unwrap();
    assert_eq!(value_at(ind, fy0 + 2, true).as_deref(), Some("10 件"));
    assert_eq!(report["summary"]["proposals"], 1);
    let plan = Store::open(&w.plan).unwrap().load_plan().unwrap();
    let proposal = plan
        .projects
        .iter()
        .find(|q| q.title == "課が提案する新しい取組")
        .unwrap();
    assert_eq!(proposal.status, ProjectStatus::Proposed);
    assert_eq!(proposal.measure_ids, vec![w.sample.measures[0].id.clone()]);
    // Merged again: nothing added twice.
    ok(&["merge", s(&w.plan), s(&f)]);
    let again = Store::open(&w.plan).unwrap().load_plan().unwrap();
    assert_eq!(again.projects.len(), plan.projects.len());
    assert_eq!(w.project(&p.id).schedule.len(), p.schedule.len() + 1);
}

#[test]
fn out_of_order_submissions_do_not_undo_newer_work() {
    let w = World::new();
    let p = w
        .sample
        .projects
        .iter()
        .find(|p| p.owners.len() == 1)
        .unwrap()
        .clone();
    let dept = w
        .sample
        .org_units
        .iter()
        .find(|u| u.id == p.owners[0].unit_id)
        .unwrap()
        .name
        .clone();
    let fy = w.sample.info.first_fy + 1;
    let old = w.export(&dept, "old.xlsx");
    std::thread::sleep(std::time::Duration::from_millis(20));
    let new = w.export(&dept, "new.xlsx");
    for (f, v) in [(&old, 1_111.0), (&new, 2_222.0)] {
        let mut x = Xlsx::open(f);
        let (sh, cell) = cell_of(f, &p.id, |k| *k == RowKey::Planned, Some(fy));
        x.set_number(&sh, &cell, v);
        x.save(f);
    }
    ok(&["merge", s(&w.plan), s(&new)]);
    let report = json(&["merge", s(&w.plan), s(&old), "--json"]);
    assert_eq!(
        planned(&w.project(&p.id), fy),
        Some(2_222),
        "the older submission does not win"
    );
    assert_eq!(report["summary"]["refused"], 1);
    assert_eq!(report["summary"]["conflicts"], 0);
}

#[test]
fn a_tampered_or_missing_hidden_sheet_is_refused_and_changes_nothing() {
    let w = World::new();
    let dept = w
        .sample
        .org_units
        .iter()
        .find(|u| !owned(&w.sample, &u.id).is_empty())
        .unwrap()
        .name
        .clone();
    let f = w.export(&dept, "d.xlsx");
    // Someone unhides the dxplan sheet and edits a base value in it.
    let wb = dxplan::workbook::open(&f).unwrap();
    let hidden = wb
        .sheets
        .iter()
        .find(|g| dxplan::export::meta::is_meta_sheet(g))
        .unwrap();
    let (&(r, c), cell) = hidden
        .cells
        .iter()
        .find(|(_, c)| c.text.contains("\"title\""))
        .unwrap();
    let mut x = Xlsx::open(&f);
    x.set(
        &hidden.name,
        &a1(r, c),
        Some(&cell.text.replacen("\"title\":\"", "\"title\":\"改ざん", 1)),
    );
    x.save(&f);
    let before = w.dump();
    let (success, _, err) = dxplan(&["merge", s(&w.plan), s(&f)]);
    assert!(!success);
    assert!(err.contains("d.xlsx"), "{err}");
    assert_eq!(w.dump(), before);

    // A legacy workbook with no hidden sheet at all: refused, pointing at import.
    let legacy = w.path("legacy.xlsx");
    let mut wb = rust_xlsxwriter::Workbook::new();
    wb.add_worksheet().write(0, 0, "取組名").unwrap();
    wb.save(&legacy).unwrap();
    let (success, _, err) = dxplan(&["merge", s(&w.plan), s(&legacy)]);
    assert!(!success);
    assert!(err.contains("import"), "{err}");
    assert_eq!(w.dump(), before);
}

#[test]
fn undo_merge_reverts_where_nothing_depends_on_it() {
    let w = World::new();
    let p = w
        .sample
        .projects
        .iter()
        .find(|p| p.owners.len() == 1 && p.budget.len() >= 3)
        .unwrap()
        .clone();
    let dept = w
        .sample
        .org_units
        .iter()
        .find(|u| u.id == p.owners[0].unit_id)
        .unwrap()
        .name
        .clone();
    let fy0 = w.sample.info.first_fy;
    let f = w.export(&dept, "d.xlsx");
    let mut x = Xlsx::open(&f);
    for (fy, v) in [(fy0, 10.0), (fy0 + 1, 20.0)] {
        let (sh, cell) = cell_of(&f, &p.id, |k| *k == RowKey::Planned, Some(fy));
        x.set_number(&sh, &cell, v);
    }
    x.save(&f);
    let r = json(&["merge", s(&w.plan), s(&f), "--json"]);
    let sub = r["submissions"][0]["submission_id"]
        .as_i64()
        .unwrap()
        .to_string();
    // The office changes one of the merged cells again afterwards.
    w.office_edit(&p.id, |q| q.budget[1].planned_thousand_yen = Some(30));
    let undo = json(&["undo-merge", s(&w.plan), &sub, "--json"]);
    assert_eq!(undo["reverted"], 1);
    assert_eq!(undo["kept"].as_array().unwrap().len(), 1);
    let now = w.project(&p.id);
    assert_eq!(planned(&now, fy0), planned(&p, fy0), "reverted");
    assert_eq!(planned(&now, fy0 + 1), Some(30), "later work kept");
    // Undone once only.
    assert!(!dxplan(&["undo-merge", s(&w.plan), &sub]).0);
}
