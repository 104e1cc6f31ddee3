//! The plan file is the authority (issue 12): every export is in the plan's register and sealed
//! with its key; a merge takes only what the register says this plan sent, to the department it
//! was sent to, changing only projects that department owns now. Tried as an attacker would:
//! hidden sheets edited and every plain hash recomputed, ids made into paths, keys pointed at
//! other projects, dates in the future. Real plan files, real workbooks edited the way Excel
//! saves them, the real `dxplan` binary.

use crate::common;
use crate::support;

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use common::{assert_unchanged, dxplan, export_for_department, p, snapshot, Run};
use dxplan::export::layout::RowKey;
use dxplan::export::seal;
use dxplan::import::grid::Grid;
use dxplan::model::*;
use dxplan::store::{OpInfo, OpKind, Store};
use serde_json::Value as Json;
use support::cells::{cell_of, key_of};
use support::xlsx_edit::{a1, Xlsx};

const META: &str = "_dxplan";

struct World {
    dir: tempfile::TempDir,
    plan: PathBuf,
    sample: Plan,
}

/// A project owned by one unit only, with budget rows and an indicator, and that unit.
struct Dept {
    name: String,
    unit_id: String,
    project: Project,
}

impl World {
    fn new() -> World {
        let dir = tempfile::tempdir().unwrap();
        let plan = dir.path().join("central.dxplan");
        dxplan(&["sample", p(&plan)]).expect_ok("sample");
        let sample = Store::open(&plan).unwrap().load_plan().unwrap();
        World { dir, plan, sample }
    }

    fn path(&self, name: &str) -> PathBuf {
        self.dir.path().join(name)
    }

    /// Two departments, each with a project only it owns.
    fn departments(&self) -> (Dept, Dept) {
        let mut found: Vec<Dept> = Vec::new();
        for pr in &self.sample.projects {
            if pr.owners.len() != 1 || pr.budget.len() < 2 || pr.indicators.is_empty() {
                continue;
            }
            let unit = self.sample.unit(&pr.owners[0].unit_id).unwrap();
            if found.iter().any(|d| d.unit_id == unit.id) {
                continue;
            }
            found.push(Dept {
                name: unit.name.clone(),
                unit_id: unit.id.clone(),
                project: pr.clone(),
            });
            if found.len() == 2 {
                let b = found.pop().unwrap();
                let a = found.pop().unwrap();
                return (a, b);
            }
        }
        panic!("the sample has two departments with a project of their own");
    }

    fn export(&self, dept: &str, name: &str) -> PathBuf {
        export_for_department(&self.plan, dept, &self.path(name))
    }

    fn merge(&self, files: &[&Path]) -> Run {
        let mut args = vec!["merge", p(&self.plan)];
        args.extend(files.iter().map(|f| p(f)));
        args.push("--json");
        dxplan(&args)
    }

    fn project(&self, id: &str) -> Project {
        Store::open(&self.plan)
            .unwrap()
            .load_project(id)
            .unwrap()
            .unwrap()
    }

    fn office_edit(&self, id: &str, edit: impl FnOnce(&mut Project)) {
        let mut store = Store::open(&self.plan).unwrap();
        let mut pr = store.load_project(id).unwrap().unwrap();
        edit(&mut pr);
        store
            .write(OpInfo::new(OpKind::LocalEdit), |w| w.save_project(&pr))
            .unwrap();
    }
}

fn planned(pr: &Project, fy: i32) -> Option<i64> {
    pr.budget
        .iter()
        .find(|b| b.fiscal_year == fy)
        .and_then(|b| b.planned_thousand_yen)
}

/// Types a budget figure into the project's sheet, as a person does in Excel.
fn type_budget(file: &Path, pid: &str, fy: i32, v: f64) {
    let (sh, cell) = cell_of(file, pid, |k| *k == RowKey::Planned, Some(fy));
    let mut x = Xlsx::open(file);
    x.set_number(&sh, &cell, v);
    x.save(file);
}

fn meta_grid(file: &Path) -> Grid {
    dxplan::workbook::open(file)
        .unwrap()
        .sheets
        .into_iter()
        .find(|g| g.name == META)
        .unwrap()
}

fn row_keyed(g: &Grid, key: &str) -> Option<u32> {
    g.used_rows().into_iter().find(|&r| g.text(r, 0) == key)
}

/// What anyone can do after editing a hidden sheet: recompute every plain hash. The digest is
/// recomputed; the MAC cell gets a SHA-256 of what it covers (the key is not theirs to have).
fn reseal_plain(file: &Path) {
    let g = meta_grid(file);
    let digest_row = row_keyed(&g, "digest").unwrap();
    let mut x = Xlsx::open(file);
    if let Some(mr) = row_keyed(&g, "mac") {
        let fake = seal::digest(
            g.cells
                .iter()
                .filter(|((r, _), _)| *r != mr && *r != digest_row)
                .map(|(k, c)| (*k, c.text.as_str())),
        )
        .replace(seal::DIGEST_PREFIX, seal::MAC_PREFIX);
        x.set(META, &a1(mr, 1), Some(&fake));
        x.save(file);
    }
    let g = meta_grid(file);
    let digest = seal::digest(
        g.cells
            .iter()
            .filter(|((r, _), _)| *r != digest_row)
            .map(|(k, c)| (*k, c.text.as_str())),
    );
    let mut x = Xlsx::open(file);
    x.set(META, &a1(digest_row, 1), Some(&digest));
    x.save(file);
}

/// Changes cells of the hidden sheet (by row key and column), then recomputes the hashes.
fn forge(file: &Path, edits: &[(&str, u32, &str)]) {
    let g = meta_grid(file);
    let mut x = Xlsx::open(file);
    for (key, col, text) in edits {
        let r = row_keyed(&g, key).unwrap_or_else(|| panic!("no row {key}"));
        x.set(META, &a1(r, *col), Some(text));
    }
    x.save(file);
    reseal_plain(file);
}

/// The hidden sheet as dxplan wrote it before exports carried a MAC (format 1: digest only).
fn to_format_1(file: &Path) {
    let g = meta_grid(file);
    let mr = row_keyed(&g, "mac").unwrap();
    let mut x = Xlsx::open(file);
    x.set(META, "C1", Some("1"));
    x.set(META, &a1(mr, 0), None);
    x.set(META, &a1(mr, 1), None);
    x.save(file);
    reseal_plain(file);
}

fn export_id_of(file: &Path) -> String {
    let g = meta_grid(file);
    g.text(row_keyed(&g, "export_id").unwrap(), 1).to_string()
}

/// A refused merge: exit 2, the file, sheet and cell named, no raw database message, and the
/// plan exactly as it was.
fn assert_refused(w: &World, files: &[&Path], cell: &str, words: &[&str]) -> String {
    let before = snapshot(&w.plan);
    let r = w.merge(files);
    assert_eq!(r.code, Some(2), "{}\n{}", r.stdout, r.stderr);
    let err = &r.stderr;
    let named = files.iter().any(|f| err.contains(p(f)));
    assert!(named, "the file is named: {err}");
    assert!(err.contains(cell), "the cell {cell} is named: {err}");
    for w in words {
        assert!(err.contains(w), "{w:?} in: {err}");
    }
    for raw in [
        "constraint failed",
        "UNIQUE",
        "FOREIGN KEY",
        "database error",
    ] {
        assert!(
            !err.contains(raw),
            "a raw database message reached the user: {err}"
        );
    }
    assert_unchanged(&before, &w.plan, "refused merge");
    err.clone()
}

#[test]
fn an_honest_submission_merges_and_exports_are_listed() {
    let w = World::new();
    let (a, b) = w.departments();
    let fy = w.sample.info.first_fy + 1;
    let fa = w.export(&a.name, "a.xlsx");
    let fb = w.export(&b.name, "b.xlsx");
    let master = w.path("master.xlsx");
    dxplan(&["export", p(&w.plan), "-o", p(&master)]).expect_ok("master");

    let list = dxplan(&["exports", p(&w.plan), "--json"])
        .expect_ok("exports")
        .json();
    let list = list.as_array().unwrap();
    assert_eq!(list.len(), 3);
    let seqs: Vec<i64> = list.iter().map(|e| e["seq"].as_i64().unwrap()).collect();
    assert!(seqs.windows(2).all(|s| s[0] < s[1]), "{seqs:?}");
    let kinds: Vec<&str> = list.iter().map(|e| e["kind"].as_str().unwrap()).collect();
    assert_eq!(kinds, ["department", "department", "master"]);
    assert_eq!(list[0]["export_id"], export_id_of(&fa).as_str());
    assert_eq!(list[0]["department_id"], a.unit_id.as_str());
    assert_eq!(list[1]["department"], b.name.as_str());
    assert!(list[2]["department_id"].is_null());
    assert_eq!(list[0]["dxplan_version"], env!("CARGO_PKG_VERSION"));
    // The projects and base revisions as the plan file has them, and the MAC the workbook carries.
    let store = Store::open(&w.plan).unwrap();
    let owned: Vec<&Project> = w
        .sample
        .projects
        .iter()
        .filter(|q| q.owners.iter().any(|o| o.unit_id == a.unit_id))
        .collect();
    let listed = list[0]["projects"].as_array().unwrap();
    assert_eq!(listed.len(), owned.len());
    for q in &owned {
        let e = listed.iter().find(|e| e["id"] == q.id.as_str()).unwrap();
        assert_eq!(
            e["revision"].as_i64(),
            store.project_revision(&q.id).unwrap()
        );
    }
    let g = meta_grid(&fa);
    assert_eq!(list[0]["mac"], g.text(row_keyed(&g, "mac").unwrap(), 1));
    assert_eq!(
        list[2]["projects"].as_array().unwrap().len(),
        w.sample.projects.len()
    );
    let text = dxplan(&["exports", p(&w.plan)]).expect_ok("exports").stdout;
    assert!(
        text.contains(&export_id_of(&fb)) && text.contains("3 件"),
        "{text}"
    );

    // The key never leaves the plan file: not in the register listing, not in the dump.
    let key: Vec<u8> = store
        .connection()
        .query_row("SELECT mac_key FROM plan_secret", [], |r| r.get(0))
        .unwrap();
    assert_eq!(key.len(), 32);
    let hex: String = key.iter().map(|b| format!("{b:02x}")).collect();
    let dump = common::dump_text(&w.plan);
    let listing = dxplan(&["exports", p(&w.plan), "--json"]).stdout;
    for out in [&dump, &listing] {
        assert!(!out.contains(&hex));
    }
    drop(store);

    type_budget(&fa, &a.project.id, fy, 4321.0);
    let r = w.merge(&[&fa]);
    assert!(r.ok(), "{}", r.stderr);
    assert_eq!(planned(&w.project(&a.project.id), fy), Some(4321));
    // Two plan files of the same plan (the sample's id is fixed) have different keys.
    let other = w.path("other-copy.dxplan");
    dxplan(&["sample", p(&other)]).expect_ok("second sample");
    let r = dxplan(&["merge", p(&other), p(&fa)]);
    assert_eq!(r.code, Some(2), "{}", r.stderr);
    assert!(r.stderr.contains(&format!("{META}!B2")), "{}", r.stderr);
}

#[test]
fn forged_hidden_sheets_are_refused_even_with_every_hash_recomputed() {
    let w = World::new();
    let (a, b) = w.departments();
    let fy = w.sample.info.first_fy + 1;
    let fresh = |name: &str| {
        let f = w.export(&a.name, name);
        type_budget(&f, &a.project.id, fy, 999.0);
        f
    };
    let b_unit = w.sample.unit(&b.unit_id).unwrap().clone();

    // Relabelled: the department's name changed.
    let f = fresh("relabelled.xlsx");
    forge(&f, &[("department", 2, &b.name)]);
    assert_refused(&w, &[&f], &format!("{META}!B"), &["MAC"]);

    // Replayed under another department: its unit id and name.
    let f = fresh("replayed.xlsx");
    forge(
        &f,
        &[
            ("department", 1, &b_unit.id),
            ("department", 2, &b_unit.name),
        ],
    );
    assert_refused(&w, &[&f], &format!("{META}!B"), &["MAC"]);

    // An export id this plan never issued.
    let f = fresh("unknown.xlsx");
    let made_up = uuid::Uuid::new_v4().to_string();
    forge(&f, &[("export_id", 1, &made_up)]);
    let err = assert_refused(&w, &[&f], &format!("{META}!B2"), &[&made_up]);
    assert!(err.contains("register") || err.contains("記録"), "{err}");

    // A base value changed (the department pretends the office had another figure).
    let f = fresh("base.xlsx");
    let g = meta_grid(&f);
    let (&(r, c), cell) = g
        .cells
        .iter()
        .find(|(_, c)| c.text.contains("\"title\""))
        .unwrap();
    let changed = cell.text.replacen("\"title\":\"", "\"title\":\"改", 1);
    let mut x = Xlsx::open(&f);
    x.set(META, &a1(r, c), Some(&changed));
    x.save(&f);
    reseal_plain(&f);
    assert_refused(&w, &[&f], &format!("{META}!B"), &["MAC"]);

    // A future export time, to outrank later answers: the seal breaks.
    let f = fresh("future.xlsx");
    forge(&f, &[("exported_at", 1, "9999-12-31T23:59:59+09:00")]);
    assert_refused(&w, &[&f], &format!("{META}!B"), &["MAC"]);

    // Written back in the old digest-only format to get around the MAC.
    let f = fresh("downgraded.xlsx");
    to_format_1(&f);
    assert_refused(&w, &[&f], &format!("{META}!B"), &["MAC"]);

    // One bad file refuses the whole merge, honest files with it included.
    let honest = fresh("honest.xlsx");
    let f = fresh("bad.xlsx");
    forge(&f, &[("department", 2, "偽の課")]);
    assert_refused(&w, &[&honest, &f], &format!("{META}!B"), &[]);
    // Alone, the honest one merges.
    assert!(w.merge(&[&honest]).ok());
    assert_eq!(planned(&w.project(&a.project.id), fy), Some(999));
}

#[test]
fn ids_that_are_paths_or_point_elsewhere_are_refused_naming_the_cell() {
    let w = World::new();
    let (a, b) = w.departments();
    let fy = w.sample.info.first_fy + 1;
    for (i, bad) in ["../../x", "/etc/dxplan-x", "C:\\Windows\\x", "..\\..\\x"]
        .iter()
        .enumerate()
    {
        let f = w.export(&a.name, &format!("path{i}.xlsx"));
        forge(&f, &[("export_id", 1, bad)]);
        let err = assert_refused(&w, &[&f], &format!("{META}!B2"), &["ID"]);
        assert!(err.contains(bad), "{err}");
        // Nor does it make a plan of it.
        let newplan = w.path(&format!("new{i}.dxplan"));
        let r = dxplan(&["import", p(&newplan), p(&f)]);
        assert_eq!(r.code, Some(2), "{}", r.stderr);
        assert!(!newplan.exists());
    }

    // An indicator key of A's project pointing at B's indicator.
    let f = w.export(&a.name, "foreign-indicator.xlsx");
    type_budget(&f, &a.project.id, fy, 777.0);
    let theirs = &b.project.indicators[0].id;
    let (sheet, _, key_cell) = key_of(&f, &a.project.id, &|k| {
        matches!(k, RowKey::Indicator { .. })
    });
    let wb = dxplan::workbook::open(&f).unwrap();
    let g = wb.sheets.iter().find(|g| g.name == sheet).unwrap();
    let (r, c) = support_rc(&key_cell);
    let RowKey::Indicator { id, kind } = RowKey::from_cell(g.text(r, c)).unwrap().unwrap() else {
        unreachable!()
    };
    let mut x = Xlsx::open(&f);
    // Every row of that indicator (name, unit, targets, actuals) now claims B's indicator.
    for ((rr, cc), cell) in &g.cells {
        if let Some(Ok(k)) = RowKey::from_cell(&cell.text) {
            let moved = match k {
                RowKey::Indicator { id: ref x, .. } if *x == id => Some(RowKey::Indicator {
                    id: theirs.clone(),
                    kind,
                }),
                RowKey::Unit { id: ref x } if *x == id => Some(RowKey::Unit { id: theirs.clone() }),
                RowKey::Target { id: ref x } if *x == id => {
                    Some(RowKey::Target { id: theirs.clone() })
                }
                RowKey::Actual { id: ref x } if *x == id => {
                    Some(RowKey::Actual { id: theirs.clone() })
                }
                _ => None,
            };
            if let Some(m) = moved {
                x.set(&sheet, &a1(*rr, *cc), Some(&m.to_cell()));
            }
        }
    }
    x.save(&f);
    let err = assert_refused(&w, &[&f], &format!("{sheet}!{key_cell}"), &[&b.project.id]);
    assert!(err.contains("指標") && err.contains("indicator"), "{err}");
    // `import` of the same file into its own plan: refused the same way, never with the
    // database's "UNIQUE constraint failed: indicator.id".
    let before = snapshot(&w.plan);
    let r = dxplan(&["import", p(&w.plan), p(&f)]);
    assert_eq!(r.code, Some(2), "{}", r.stderr);
    assert!(
        r.stderr.contains(&format!("{sheet}!{key_cell}")) && !r.stderr.contains("constraint"),
        "{}",
        r.stderr
    );
    assert_unchanged(
        &before,
        &w.plan,
        "import of a workbook with a foreign indicator key",
    );

    // The same indicator twice in one workbook.
    let f = w.export(&a.name, "twice.xlsx");
    let known = |x: &str| a.project.indicators.iter().any(|i| i.id == x);
    let (sheet, _, spare) = key_of(
        &f,
        &a.project.id,
        &|k| matches!(k, RowKey::Indicator { id, .. } if !known(id)),
    );
    let mut x = Xlsx::open(&f);
    x.set(
        &sheet,
        &spare,
        Some(
            &RowKey::Indicator {
                id: a.project.indicators[0].id.clone(),
                kind: a.project.indicators[0].kind,
            }
            .to_cell(),
        ),
    );
    // Named, so the spare block is not left out as empty.
    let (_, name_cell) = cell_of(
        &f,
        &a.project.id,
        |k| matches!(k, RowKey::Indicator { id, .. } if !known(id)),
        None,
    );
    x.set(&sheet, &name_cell, Some("写した指標"));
    x.save(&f);
    assert_refused(&w, &[&f], &format!("{sheet}!{spare}"), &["2 か所"]);

    // A task key that is not an id at all.
    let f = w.export(&a.name, "task.xlsx");
    let (sheet, _, task_key) = key_of(&f, &a.project.id, &|k| matches!(k, RowKey::Task { .. }));
    let mut x = Xlsx::open(&f);
    x.set(
        &sheet,
        &task_key,
        Some(
            &RowKey::Task {
                id: "../../task".into(),
            }
            .to_cell(),
        ),
    );
    x.save(&f);
    assert_refused(&w, &[&f], &format!("{sheet}!{task_key}"), &["../../task"]);
}

#[test]
fn the_first_foreign_item_in_sheet_order_is_refused_when_the_plan_is_asked_once() {
    // The merge asks the plan where all of an answer's indicators and tasks belong at once
    // (issue 18), not item by item: the refusal is still the first foreign key in the
    // workbook's order, in the same words, and nothing is merged.
    let w = World::new();
    let (a, b) = w.departments();
    let (home, task) = w
        .sample
        .projects
        .iter()
        .filter(|p| p.id != a.project.id)
        .find_map(|p| p.schedule.first().map(|t| (p.id.clone(), t.id.clone())))
        .expect("a task of another project");
    let f = w.export(&a.name, "foreign-items.xlsx");
    let (sheet, _, task_key) = key_of(&f, &a.project.id, &|k| matches!(k, RowKey::Task { .. }));
    let ours = a.project.indicators[0].id.clone();
    let theirs = b.project.indicators[0].id.clone();
    let mut x = Xlsx::open(&f);
    // A task row claiming another project's task, and below it every row of an indicator
    // claiming B's indicator.
    x.set(
        &sheet,
        &task_key,
        Some(&RowKey::Task { id: task.clone() }.to_cell()),
    );
    rekey_indicator(&f, &sheet, &mut x, &ours, &theirs);
    x.save(&f);
    let err = assert_refused(
        &w,
        &[&f],
        &format!("{sheet}!{task_key}"),
        &[
            &format!("この工程の ID は別の事業（{home}）のものです"),
            &format!("this task id belongs to another project ({home}): {task}"),
        ],
    );
    assert!(!err.contains(&theirs), "only the first problem: {err}");

    // The indicator alone is refused at its own key, naming B's project.
    let f = w.export(&a.name, "foreign-indicator-only.xlsx");
    let (sheet, _, ind_key) = key_of(
        &f,
        &a.project.id,
        &|k| matches!(k, RowKey::Indicator { id, .. } if *id == ours),
    );
    let mut x = Xlsx::open(&f);
    rekey_indicator(&f, &sheet, &mut x, &ours, &theirs);
    x.save(&f);
    assert_refused(
        &w,
        &[&f],
        &format!("{sheet}!{ind_key}"),
        &[&format!(
            "この指標の ID は別の事業（{}）のものです / this indicator id belongs to another project ({}): {theirs}",
            b.project.id, b.project.id
        )],
    );
}

/// Every row of indicator `from` on `sheet` (name, unit, targets, actuals) keyed as `to`.
fn rekey_indicator(f: &Path, sheet: &str, x: &mut Xlsx, from: &str, to: &str) {
    let wb = dxplan::workbook::open(f).unwrap();
    let g = wb.sheets.iter().find(|g| g.name == sheet).unwrap();
    let to = to.to_string();
    for ((r, c), cell) in &g.cells {
        let moved = match RowKey::from_cell(&cell.text) {
            Some(Ok(RowKey::Indicator { id, kind })) if id == from => RowKey::Indicator {
                id: to.clone(),
                kind,
            },
            Some(Ok(RowKey::Unit { id })) if id == from => RowKey::Unit { id: to.clone() },
            Some(Ok(RowKey::Target { id })) if id == from => RowKey::Target { id: to.clone() },
            Some(Ok(RowKey::Actual { id })) if id == from => RowKey::Actual { id: to.clone() },
            _ => continue,
        };
        x.set(sheet, &a1(*r, *c), Some(&moved.to_cell()));
    }
}

/// (row, col) of an A1 address.
fn support_rc(cell: &str) -> (u32, u32) {
    let letters: String = cell
        .chars()
        .take_while(|c| c.is_ascii_uppercase())
        .collect();
    let col = letters
        .chars()
        .fold(0, |n, c| n * 26 + (c as u32 - 'A' as u32 + 1))
        - 1;
    let row: u32 = cell[letters.len()..].parse().unwrap();
    (row - 1, col)
}

#[test]
fn a_foreign_project_sheet_is_refused() {
    let w = World::new();
    let (a, b) = w.departments();
    // A's workbook with one sheet re-keyed to B's project (a sheet copied in from B's file, say).
    let f = w.export(&a.name, "foreign.xlsx");
    let (sheet, _, key) = key_of(&f, &a.project.id, &|k| matches!(k, RowKey::Project { .. }));
    let mut x = Xlsx::open(&f);
    x.set(
        &sheet,
        &key,
        Some(
            &RowKey::Project {
                id: b.project.id.clone(),
            }
            .to_cell(),
        ),
    );
    x.save(&f);
    assert_refused(&w, &[&f], &format!("{sheet}!{key}"), &[&b.project.id]);

    // …and the hidden sheet changed to match, every hash recomputed: the seal breaks.
    let f = w.export(&a.name, "foreign2.xlsx");
    let (sheet, _, key) = key_of(&f, &a.project.id, &|k| matches!(k, RowKey::Project { .. }));
    let mut x = Xlsx::open(&f);
    x.set(
        &sheet,
        &key,
        Some(
            &RowKey::Project {
                id: b.project.id.clone(),
            }
            .to_cell(),
        ),
    );
    x.save(&f);
    let g = meta_grid(&f);
    let r = g
        .used_rows()
        .into_iter()
        .find(|&r| g.text(r, 0) == "project" && g.text(r, 1) == a.project.id)
        .unwrap();
    let json: String = g
        .row(r)
        .filter(|(c, _)| *c >= 4)
        .map(|(_, c)| c.text.clone())
        .collect();
    let mut x = Xlsx::open(&f);
    x.set(META, &a1(r, 1), Some(&b.project.id));
    let body = json.replace(&a.project.id, &b.project.id);
    x.set(META, &a1(r, 4), Some(&body));
    for (c, _) in g.row(r).filter(|(c, _)| *c > 4) {
        x.set(META, &a1(r, c), None);
    }
    x.save(&f);
    reseal_plain(&f);
    assert_refused(&w, &[&f], &format!("{META}!B"), &["MAC"]);
}

#[test]
fn a_project_whose_ownership_moved_away_after_export_is_refused() {
    let w = World::new();
    let (a, b) = w.departments();
    let fy = w.sample.info.first_fy + 1;
    let f = w.export(&a.name, "a.xlsx");
    // April: the office gives A's project to B.
    w.office_edit(&a.project.id, |q| {
        q.owners = vec![Owner {
            unit_id: b.unit_id.clone(),
            role: OwnerRole::Lead,
        }]
    });
    let (sheet, cell) = cell_of(&f, &a.project.id, |k| *k == RowKey::Planned, Some(fy));
    type_budget(&f, &a.project.id, fy, 5555.0);
    let err = assert_refused(&w, &[&f], &format!("{sheet}!{cell}"), &[]);
    assert!(err.contains(&a.project.title), "{err}");
    assert!(err.contains("担当") && err.contains("owned"), "{err}");

    // A's answer that leaves that project alone and changes one A still owns is taken.
    let still: Vec<&Project> = w
        .sample
        .projects
        .iter()
        .filter(|q| q.id != a.project.id && q.owners.iter().any(|o| o.unit_id == a.unit_id))
        .filter(|q| !q.budget.is_empty())
        .collect();
    if let Some(q) = still.first() {
        let g = w.export(&a.name, "a2.xlsx");
        let fy = q.budget[0].fiscal_year;
        type_budget(&g, &q.id, fy, 6666.0);
        let r = w.merge(&[&g]);
        assert!(r.ok(), "{}", r.stderr);
        assert_eq!(planned(&w.project(&q.id), fy), Some(6666));
    }
}

#[test]
fn a_submission_of_another_plan_is_refused_by_merge_and_by_import() {
    let w = World::new();
    let other = w.path("other.dxplan");
    dxplan(&["generate", p(&other), "--projects", "12"]).expect_ok("generate");
    let dump = common::dump(&other);
    let unit = dump["org_units"]
        .as_array()
        .unwrap()
        .iter()
        .find_map(|u| {
            let name = u["name"].as_str().unwrap();
            let f = w.path("from-other.xlsx");
            dxplan(&["export", p(&other), "--department", name, "-o", p(&f)])
                .ok()
                .then_some(f)
        })
        .unwrap();
    assert_refused(&w, &[&unit], &format!("{META}!B"), &["別の計画"]);

    // import: into the existing plan, refused; into a new plan file, that plan is created.
    let before = snapshot(&w.plan);
    let r = dxplan(&["import", p(&w.plan), p(&unit)]);
    assert_eq!(r.code, Some(2), "{}", r.stderr);
    assert!(
        r.stderr.contains(p(&unit)) && r.stderr.contains("別の計画"),
        "{}",
        r.stderr
    );
    assert_unchanged(&before, &w.plan, "import of another plan's export");
    let fresh = w.path("as-new.dxplan");
    dxplan(&["import", p(&fresh), p(&unit)]).expect_ok("import into a new plan file");
    assert_eq!(common::dump(&fresh)["plan"]["id"], dump["plan"]["id"]);
}

/// A plan file as an older dxplan left it (schema 2: no register, no key), with the answers it
/// had merged to the given exports.
fn make_old(plan: &Path, answered: &[(&str, &str, &str, &str)]) {
    common::downgrade_schema(plan, 2);
    let c = rusqlite::Connection::open(plan).unwrap();
    c.execute(
        "INSERT INTO operation (at, kind, source) VALUES ('2024-07-01T00:00:00Z', 'merge', 'old')",
        [],
    )
    .unwrap();
    let op = c.last_insert_rowid();
    for (export_id, dept_id, dept, at) in answered {
        c.execute(
            "INSERT INTO submission (export_id, digest, department_id, department, exported_at, file, op_id, merged_at)
             VALUES (?1, 'old', ?2, ?3, ?4, 'old.xlsx', ?5, '2024-07-01T00:00:00Z')",
            rusqlite::params![export_id, dept_id, dept, at, op],
        )
        .unwrap();
    }
}

#[test]
fn old_format_exports_merge_when_the_submissions_log_knows_them_and_dates_never_order() {
    let w = World::new();
    let (a, b) = w.departments();
    let fy = a.project.budget[0].fiscal_year;
    let e1 = w.export(&a.name, "e1.xlsx");
    let e2 = w.export(&a.name, "e2.xlsx");
    let never = w.export(&a.name, "never-answered.xlsx");
    let eb = w.export(&b.name, "eb.xlsx");
    let claimed = |f: &Path| {
        let g = meta_grid(f);
        g.text(row_keyed(&g, "exported_at").unwrap(), 1).to_string()
    };
    // Before the upgrade the plan had merged answers to e1, e2 (A) and eb (B), in that order.
    make_old(
        &w.plan,
        &[
            (&export_id_of(&e1), &a.unit_id, &a.name, &claimed(&e1)),
            (&export_id_of(&e2), &a.unit_id, &a.name, &claimed(&e2)),
            (&export_id_of(&eb), &b.unit_id, &b.name, &claimed(&eb)),
        ],
    );
    for f in [&e1, &e2, &never, &eb] {
        to_format_1(f);
    }
    // Opening the plan upgrades it: the register knows those three, and only them.
    let list = dxplan(&["exports", p(&w.plan), "--json"])
        .expect_ok("exports")
        .json();
    let list = list.as_array().unwrap();
    assert_eq!(list.len(), 3);
    assert!(list
        .iter()
        .all(|e| e["recovered"] == true && e["projects"].is_null() && e["mac"].is_null()));
    assert_eq!(list[0]["export_id"], export_id_of(&e1).as_str());
    assert_eq!(list[1]["export_id"], export_id_of(&e2).as_str());

    // e1 claims to have been exported in 9999; its digest is recomputed (format 1 has no MAC).
    let (fa, fb) = (
        a.project.budget[0].fiscal_year,
        a.project.budget[1].fiscal_year,
    );
    type_budget(&e1, &a.project.id, fa, 1111.0);
    forge(&e1, &[("exported_at", 1, "9999-12-31T23:59:59+09:00")]);
    let r = w.merge(&[&e1]);
    assert!(r.ok(), "a known old-format export merges: {}", r.stderr);
    assert_eq!(planned(&w.project(&a.project.id), fa), Some(1111));
    // The honest answer to the later export e2 is not "superseded" by that date: its other
    // change is applied, and where both changed the same cell a person decides (a conflict).
    type_budget(&e2, &a.project.id, fa, 2222.0);
    type_budget(&e2, &a.project.id, fb, 2200.0);
    let r = w.merge(&[&e2]);
    assert!(r.ok(), "{}", r.stderr);
    let report = r.json();
    assert_eq!(report["summary"]["refused"], 0, "{report:#}");
    assert_eq!(report["summary"]["conflicts"], 1, "{report:#}");
    assert_eq!(planned(&w.project(&a.project.id), fb), Some(2200));
    // A second answer to e1 does not undo what the answer to e2 set, whatever date it claims:
    // order is the register's.
    type_budget(&e1, &a.project.id, fb, 3333.0);
    forge(&e1, &[]);
    let r = w.merge(&[&e1]);
    assert!(r.ok(), "{}", r.stderr);
    assert_eq!(r.json()["summary"]["refused"], 1);
    assert_eq!(planned(&w.project(&a.project.id), fb), Some(2200));

    // An old-format export the log never saw: refused.
    type_budget(&never, &a.project.id, fy, 4444.0);
    assert_refused(&w, &[&never], &format!("{META}!B2"), &[]);
    // A known old export relabelled to another department: refused.
    let f = w.path("e2-relabelled.xlsx");
    std::fs::copy(&e2, &f).unwrap();
    forge(
        &f,
        &[("department", 1, &b.unit_id), ("department", 2, &b.name)],
    );
    assert_refused(&w, &[&f], &format!("{META}!B"), &[]);
    // B's old export: no project set is known for it, but its project has since gone to A, so
    // B's change to it is refused.
    let fb = w.path("eb-edited.xlsx");
    std::fs::copy(&eb, &fb).unwrap();
    let (sheet, cell) = cell_of(&fb, &b.project.id, |k| *k == RowKey::Planned, Some(fy));
    w.office_edit(&b.project.id, |q| {
        q.owners = vec![Owner {
            unit_id: a.unit_id.clone(),
            role: OwnerRole::Lead,
        }]
    });
    type_budget(&fb, &b.project.id, fy, 8888.0);
    assert_refused(&w, &[&fb], &format!("{sheet}!{cell}"), &[&b.project.title]);

    // New exports after the upgrade are sealed and registered after the recovered ones.
    let e3 = w.export(&a.name, "e3.xlsx");
    let list = dxplan(&["exports", p(&w.plan), "--json"]).json();
    let last = list.as_array().unwrap().last().unwrap().clone();
    assert_eq!(last["export_id"], export_id_of(&e3).as_str());
    assert_eq!(last["recovered"], false);
    assert!(last["seq"].as_i64().unwrap() > 3);
}

/// A department's answer written from its working copy (department mode of the app): the
/// working copy is a plan file of its own, without the office's key; the answer carries the
/// office's hidden sheet verbatim and is recorded in the working copy's register.
#[test]
fn a_submission_written_from_a_working_copy_carries_the_office_seal_verbatim() {
    let w = World::new();
    let (a, _) = w.departments();
    let fy = w.sample.info.first_fy + 1;
    let received = w.export(&a.name, "received.xlsx");

    // The department's laptop: a new plan file from the workbook.
    let copy = w.path("working.dxplan");
    let wb = dxplan::workbook::open(&received).unwrap();
    let native = dxplan::import::native::read_native(&received, &wb)
        .unwrap()
        .unwrap();
    let mut local = Store::create(&copy, &native.meta.plan).unwrap();
    dxplan::import::import_files(
        &mut local,
        std::slice::from_ref(&received),
        dxplan::import::ImportOptions { dry_run: false },
    )
    .unwrap();
    let mut pr = local.load_project(&a.project.id).unwrap().unwrap();
    pr.budget
        .iter_mut()
        .find(|b| b.fiscal_year == fy)
        .unwrap()
        .planned_thousand_yen = Some(2468);
    local
        .write(OpInfo::new(OpKind::LocalEdit), |wr| wr.save_project(&pr))
        .unwrap();
    let plan = local.load_plan().unwrap();
    let answer = w.path("answer.xlsx");
    dxplan::export::export_submission(
        &local,
        &plan,
        &native.meta,
        &answer,
        &dxplan::export::ExportOptions::default(),
    )
    .unwrap();

    // The hidden sheet is the one received, cell for cell.
    let cells = |f: &Path| -> BTreeMap<(u32, u32), String> {
        meta_grid(f)
            .cells
            .into_iter()
            .filter(|(_, c)| !c.text.is_empty())
            .map(|(k, c)| (k, c.text))
            .collect()
    };
    assert_eq!(cells(&answer), cells(&received));
    // Recorded in the working copy's own register, as a submission.
    let reg = local.exports().unwrap();
    assert_eq!(reg.len(), 1);
    assert_eq!(reg[0].kind, dxplan::store::RegisterKind::Submission);
    assert_eq!(reg[0].export_id, native.meta.export_id);
    assert_eq!(reg[0].department_id.as_deref(), Some(a.unit_id.as_str()));
    assert_eq!(
        reg[0].mac.as_deref(),
        native.meta.sealed.as_ref().unwrap().mac_text()
    );
    drop(local);

    let r = w.merge(&[&answer]);
    assert!(r.ok(), "{}", r.stderr);
    assert_eq!(planned(&w.project(&a.project.id), fy), Some(2468));
    // The working copy cannot issue exports of the office's plan: its key is its own.
    let from_copy = w.path("from-copy.xlsx");
    export_for_department(&copy, &a.name, &from_copy);
    type_budget(&from_copy, &a.project.id, fy, 1357.0);
    assert_refused(&w, &[&from_copy], &format!("{META}!B2"), &[]);
}

/// Proposals (new sheets in the familiar layout) still come in, filed under the department that
/// sent them, whatever owner they name.
#[test]
fn a_proposal_is_filed_under_the_sending_department() {
    let w = World::new();
    let (a, b) = w.departments();
    let f = w.export(&a.name, "a.xlsx");
    let measure = w.sample.measures[0].title.clone();
    let mut x = Xlsx::open(&f);
    x.add_sheet(
        "新しい事業",
        &[
            ("B2", "施策"),
            ("C2", &measure),
            ("B3", "取組名"),
            ("C3", "課が提案する取組"),
            ("B4", "担当課"),
            ("C4", &format!("{}、架空課", b.name)),
            ("B5", "内容"),
            ("C5", "提案の内容"),
        ],
    );
    x.save(&f);
    let r = w.merge(&[&f]);
    assert!(r.ok(), "{}", r.stderr);
    let plan = Store::open(&w.plan).unwrap().load_plan().unwrap();
    let prop = plan
        .projects
        .iter()
        .find(|q| q.title == "課が提案する取組")
        .unwrap();
    assert_eq!(prop.status, ProjectStatus::Proposed);
    assert_eq!(
        prop.owners,
        vec![Owner {
            unit_id: a.unit_id.clone(),
            role: OwnerRole::Lead
        }]
    );
    assert!(prop.owners_note.contains(&b.name) && prop.owners_note.contains("架空課"));
    // No unit was made up from the sheet.
    assert_eq!(plan.org_units.len(), w.sample.org_units.len());
    let _: Json = r.json();
}

/// Every file below `root`, relative, sorted.
fn files_below(root: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    let mut stack = vec![root.to_path_buf()];
    while let Some(d) = stack.pop() {
        for e in std::fs::read_dir(&d).unwrap().flatten() {
            let path = e.path();
            if path.is_dir() {
                stack.push(path);
            } else {
                out.push(path.strip_prefix(root).unwrap().to_path_buf());
            }
        }
    }
    out.sort();
    out
}

/// The app's working copies (課モード) are named from the SHA-256 of the export id: a workbook
/// whose id is made into a path (`../`, `\`, `:`, NUL, 5,000 characters) is refused before any
/// file is named from it, and an id handed to `WorkingCopy::read` (the app's settings) never
/// reaches a path either.
#[test]
fn working_copies_are_named_from_a_hash_never_from_the_export_id() {
    use dxplan::workspace::{open_department_workbook, WorkingCopy};
    let w = World::new();
    let (a, _) = w.departments();
    // Deep enough that `../../x` still lands inside the temp dir, where we can look.
    let dir = w.path("data/app/department");
    let received = w.export(&a.name, "received.xlsx");
    let id = export_id_of(&received);
    let wc = open_department_workbook(&dir, &received).unwrap();
    let stem = WorkingCopy::file_stem(&id);
    assert_eq!(stem.len(), 64);
    assert!(stem.bytes().all(|b| b.is_ascii_hexdigit()));
    assert_eq!(wc.plan, dir.join(format!("{stem}.dxplan")));
    assert_eq!(
        files_below(&dir),
        vec![
            PathBuf::from(format!("{stem}.dxplan")),
            PathBuf::from(format!("{stem}.json"))
        ]
    );
    assert!(files_below(&dir)
        .iter()
        .all(|f| !f.display().to_string().contains(&id)));
    // Read back by its id, as the app does at start.
    let again = WorkingCopy::read(&dir, &id).unwrap();
    assert_eq!(again.plan, wc.plan);
    assert_eq!(again.export_id, id);

    let long = "x".repeat(5000);
    let hostile = [
        "../../x",
        "..\\..\\x",
        "/tmp/dxplan-x",
        "C:x",
        "a:b",
        "nul\0byte",
        long.as_str(),
    ];
    let before = files_below(w.dir.path());
    for (i, bad) in hostile.iter().enumerate() {
        let stem = WorkingCopy::file_stem(bad);
        assert_eq!(stem.len(), 64, "{bad:?}");
        assert!(stem.bytes().all(|b| b.is_ascii_hexdigit()), "{bad:?}");
        // A workbook claiming that id is refused, and nothing is written anywhere.
        let f = w.path(&format!("hostile{i}.xlsx"));
        std::fs::copy(&received, &f).unwrap();
        forge(&f, &[("export_id", 1, bad)]);
        let listed = files_below(w.dir.path());
        assert!(open_department_workbook(&dir, &f).is_err(), "{bad:?}");
        assert_eq!(files_below(w.dir.path()), listed, "{bad:?}");
        std::fs::remove_file(&f).unwrap();
    }
    assert_eq!(files_below(w.dir.path()), before);

    // A note planted where the id joined into a path would point (`data/x.json`) is never read.
    let planted = w.path("data/x.json");
    let mut fake = wc.clone();
    fake.export_id = "../../x".into();
    std::fs::write(&planted, serde_json::to_vec(&fake).unwrap()).unwrap();
    for bad in hostile {
        assert!(WorkingCopy::read(&dir, bad).is_none(), "{bad:?}");
    }
    assert!(planted.exists());
}

/// A working copy made before the files were named from a hash (`<export id>.dxplan` and
/// `.json`) is found under its old name, renamed, and opened with the department's edits.
#[test]
fn a_working_copy_under_its_old_name_is_renamed_and_keeps_its_edits() {
    use dxplan::workspace::{open_department_workbook, WorkingCopy};
    let w = World::new();
    let (a, _) = w.departments();
    let fy = w.sample.info.first_fy + 1;
    let dir = w.path("department");
    let received = w.export(&a.name, "received.xlsx");
    let id = export_id_of(&received);
    let stem = WorkingCopy::file_stem(&id);

    // Puts the working copy back the way older versions named it, with an edit in it.
    let make_old = |budget: i64| {
        let wc = open_department_workbook(&dir, &received).unwrap();
        let mut store = Store::open(&wc.plan).unwrap();
        let mut pr = store.load_project(&a.project.id).unwrap().unwrap();
        pr.budget
            .iter_mut()
            .find(|b| b.fiscal_year == fy)
            .unwrap()
            .planned_thousand_yen = Some(budget);
        store
            .write(OpInfo::new(OpKind::LocalEdit), |wr| wr.save_project(&pr))
            .unwrap();
        drop(store);
        let old_plan = dir.join(format!("{id}.dxplan"));
        std::fs::rename(&wc.plan, &old_plan).unwrap();
        let mut old = wc.clone();
        old.plan = old_plan;
        std::fs::remove_file(dir.join(format!("{stem}.json"))).unwrap();
        std::fs::write(
            dir.join(format!("{id}.json")),
            serde_json::to_vec_pretty(&old).unwrap(),
        )
        .unwrap();
        assert_eq!(
            files_below(&dir),
            vec![
                PathBuf::from(format!("{id}.dxplan")),
                PathBuf::from(format!("{id}.json"))
            ]
        );
    };
    let renamed = || {
        assert_eq!(
            files_below(&dir),
            vec![
                PathBuf::from(format!("{stem}.dxplan")),
                PathBuf::from(format!("{stem}.json"))
            ]
        );
    };
    let budget_in = |plan: &Path| {
        let pr = Store::open(plan)
            .unwrap()
            .load_project(&a.project.id)
            .unwrap()
            .unwrap();
        planned(&pr, fy)
    };

    // The app starting in 課モード: the working copy remembered by its export id.
    make_old(1357);
    let wc = WorkingCopy::read(&dir, &id).expect("the old working copy is found");
    renamed();
    assert_eq!(wc.plan, dir.join(format!("{stem}.dxplan")));
    assert_eq!(wc.export_id, id);
    assert_eq!(budget_in(&wc.plan), Some(1357));
    let note: Json =
        serde_json::from_slice(&std::fs::read(dir.join(format!("{stem}.json"))).unwrap()).unwrap();
    assert_eq!(note["plan"], wc.plan.display().to_string().as_str());

    // The department opening the workbook again: the old copy is renamed, not made anew.
    make_old(2468);
    let wc = open_department_workbook(&dir, &received).unwrap();
    renamed();
    assert_eq!(budget_in(&wc.plan), Some(2468));
}
