//! April reorganisations through the `dxplan` binary on the sample plan (大野城市): a rename, a
//! merge, a split with and without --assign, the 旧組織／新組織／種別 table as .xlsx and as
//! Shift_JIS .csv, department exports by the names of their fiscal year, an answer exported
//! under the old name merged onto the new unit, history, and the DX推進員 roster on the cover.

use crate::common;
use crate::support;

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

use calamine::{Data, Reader};
use common::{assert_unchanged, dump, dxplan, p, sample_plan, snapshot};
use dxplan::export::layout::RowKey;
use serde_json::Value as Json;
use support::xlsx_edit::{a1, Xlsx};

const OLD: &str = "情報政策課";
const NEW: &str = "デジタル推進課";

/// Ids of the projects a unit (by name) owns or co-owns, from a dump.
fn owned_by(d: &Json, unit: &str) -> BTreeSet<String> {
    d["projects"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|p| p["owners"].as_array().unwrap().iter().any(|o| o == unit))
        .map(|p| p["id"].as_str().unwrap().to_string())
        .collect()
}

fn unit<'a>(d: &'a Json, name: &str) -> Vec<&'a Json> {
    d["org_units"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|u| u["name"] == name)
        .collect()
}

fn project<'a>(d: &'a Json, id: &str) -> &'a Json {
    d["projects"]
        .as_array()
        .unwrap()
        .iter()
        .find(|p| p["id"] == id)
        .unwrap()
}

fn export(plan: &Path, dept: &str, fy: Option<&str>, out: &Path) -> common::Run {
    let mut args = vec!["export", p(plan), "--department", dept, "-o", p(out)];
    if let Some(fy) = fy {
        args.extend(["--fy", fy]);
    }
    dxplan(&args)
}

/// What a department workbook holds: its department (name) and project ids, from the hidden sheet.
fn exported(file: &Path) -> (String, BTreeSet<String>) {
    let wb = dxplan::workbook::open(file).unwrap();
    let native = dxplan::import::native::read_native(file, &wb)
        .unwrap()
        .unwrap();
    (
        native.meta.department.unwrap().name,
        native.meta.projects.iter().map(|b| b.id.clone()).collect(),
    )
}

/// A sheet's cells as calamine reads them: (row, col) → text.
fn sheet_cells(file: &Path, sheet: &str) -> Vec<(u32, u32, String)> {
    let mut wb = calamine::open_workbook_auto(file).unwrap();
    let range = wb.worksheet_range(sheet).unwrap();
    let (r0, c0) = range.start().unwrap_or((0, 0));
    range
        .cells()
        .filter(|(_, _, v)| !matches!(v, Data::Empty))
        .map(|(r, c, v)| (r as u32 + r0, c as u32 + c0, v.to_string()))
        .collect()
}

/// The text right of a label in column A of a sheet.
fn beside(cells: &[(u32, u32, String)], label: &str) -> Option<String> {
    let row = cells.iter().find(|(_, c, t)| *c == 0 && t == label)?.0;
    cells
        .iter()
        .find(|(r, c, _)| *r == row && *c == 1)
        .map(|(_, _, t)| t.clone())
}

/// The sheet of project `pid` and the cell of a row key in fiscal year `fy` (or column B).
fn cell_of(
    file: &Path,
    pid: &str,
    row: impl Fn(&RowKey) -> bool,
    fy: Option<i32>,
) -> (String, String) {
    let wb = dxplan::workbook::open(file).unwrap();
    for g in &wb.sheets {
        let keys: Vec<(u32, RowKey)> = g
            .cells
            .iter()
            .filter_map(|(&(r, _), c)| {
                RowKey::from_cell(&c.text)
                    .and_then(Result::ok)
                    .map(|k| (r, k))
            })
            .collect();
        if !keys
            .iter()
            .any(|(_, k)| matches!(k, RowKey::Project { id } if id == pid))
        {
            continue;
        }
        let header = keys.iter().find(|(_, k)| *k == RowKey::Header).unwrap().0;
        let col = match fy {
            Some(fy) => {
                g.row(header)
                    .find(|(_, c)| dxplan::parse::fiscal_year::parse_fiscal_year(&c.text) == Ok(fy))
                    .unwrap()
                    .0
            }
            None => 1,
        };
        let r = keys.iter().find(|(_, k)| row(k)).unwrap().0;
        return (g.name.clone(), a1(r, col));
    }
    panic!("no sheet for project {pid}");
}

fn kpi_id(d: &Json, pid: &str) -> String {
    project(d, pid)["indicators"]
        .as_array()
        .unwrap()
        .iter()
        .find(|i| i["kind"] == "KPI")
        .unwrap()["id"]
        .as_str()
        .unwrap()
        .to_string()
}

fn actual(d: &Json, pid: &str, ind: &str, fy: i64) -> Option<String> {
    project(d, pid)["indicators"]
        .as_array()
        .unwrap()
        .iter()
        .find(|i| i["id"] == ind)?["values"]
        .as_array()?
        .iter()
        .find(|v| v["fiscal_year"] == fy)?["actual"]["text"]
        .as_str()
        .map(str::to_string)
}

fn tmp() -> (tempfile::TempDir, PathBuf) {
    let dir = tempfile::tempdir().unwrap();
    let plan = sample_plan(dir.path(), "plan.dxplan");
    (dir, plan)
}

#[test]
fn a_rename_moves_the_sixteen_projects_and_an_answer_under_the_old_name_still_merges() {
    let (dir, plan) = tmp();
    let before = dump(&plan);
    let theirs = owned_by(&before, OLD);
    assert_eq!(
        theirs.len(),
        16,
        "the sample's 情報政策課 owns or co-owns 16 projects"
    );

    // 情報政策課 is sent its workbook before April, and answers it in Excel.
    let old_wb = dir.path().join("情報政策課.xlsx");
    export(&plan, OLD, None, &old_wb).expect_ok("export before the reorganisation");
    let pid = theirs.iter().next().unwrap().clone();
    let ind = kpi_id(&before, &pid);
    let (sheet, cell) = cell_of(
        &old_wb,
        &pid,
        |k| matches!(k, RowKey::Actual { id } if *id == ind),
        Some(2024),
    );
    let mut x = Xlsx::open(&old_wb);
    x.set(&sheet, &cell, Some("99 件"));
    x.save(&old_wb);

    let out = dxplan(&[
        "reorg",
        p(&plan),
        "--rename",
        &format!("{OLD}={NEW}"),
        "--fy",
        "2025",
    ])
    .expect_ok("reorg --rename");
    assert!(out.stdout.contains("16 件"), "{}", out.stdout);

    let after = dump(&plan);
    assert_eq!(
        owned_by(&after, NEW),
        theirs,
        "the new unit owns what the old one did"
    );
    assert!(owned_by(&after, OLD).is_empty());
    // The old unit row is kept, closed at 2024; the new one opens in 2025 under the same 部.
    let (old_u, new_u) = (unit(&after, OLD), unit(&after, NEW));
    assert_eq!((old_u.len(), new_u.len()), (1, 1));
    assert_eq!(old_u[0]["valid_to_fy"], 2024);
    assert_eq!(new_u[0]["valid_from_fy"], 2025);
    assert_eq!(old_u[0]["parent_id"], new_u[0]["parent_id"]);
    // Lead and co-owner roles are kept.
    for id in &theirs {
        let (b, a) = (project(&before, id), project(&after, id));
        let roles = |p: &Json| -> Vec<String> {
            p["owner_details"]
                .as_array()
                .unwrap()
                .iter()
                .map(|o| o["role"].to_string())
                .collect()
        };
        assert_eq!(roles(b), roles(a), "{}", a["title"]);
    }

    // The new name's workbook holds the same projects.
    let new_wb = dir.path().join("デジタル推進課.xlsx");
    export(&plan, NEW, Some("2025"), &new_wb).expect_ok("export under the new name");
    assert_eq!(exported(&new_wb), (NEW.to_string(), theirs.clone()));
    let cover = sheet_cells(&new_wb, "表紙");
    assert_eq!(beside(&cover, "担当課").as_deref(), Some(NEW));

    // The old name: refused for 2025 (pointing at the new name), accepted for 2024, where the
    // workbook speaks that year's names.
    let r = export(&plan, OLD, Some("2025"), &dir.path().join("x.xlsx"));
    assert_eq!(r.code, Some(2));
    assert!(
        r.stderr.contains(NEW) && r.stderr.contains("--fy 2024"),
        "{}",
        r.stderr
    );
    let past_wb = dir.path().join("情報政策課2024.xlsx");
    export(&plan, OLD, Some("2024"), &past_wb).expect_ok("export of 2024 under the old name");
    assert_eq!(exported(&past_wb), (OLD.to_string(), theirs.clone()));
    let (sheet, cell) = cell_of(&past_wb, &pid, |k| *k == RowKey::Owners, None);
    let owners = sheet_cells(&past_wb, &sheet);
    let (r, c) = (cell[1..].parse::<u32>().unwrap() - 1, 1);
    let text = &owners
        .iter()
        .find(|(rr, cc, _)| *rr == r && *cc == c)
        .unwrap()
        .2;
    assert!(text.contains(OLD) && !text.contains(NEW), "{text}");

    // The answer exported before April merges onto the project now owned by デジタル推進課.
    let m = dxplan(&["merge", p(&plan), p(&old_wb), "--json"]).expect_ok("merge the old answer");
    let report = m.json();
    assert_eq!(report["submissions"][0]["department"], OLD);
    assert_eq!(
        report["submissions"][0]["carried_by"],
        serde_json::json!([NEW])
    );
    let merged = dump(&plan);
    assert_eq!(actual(&merged, &pid, &ind, 2024).as_deref(), Some("99 件"));
    assert!(project(&merged, &pid)["owners"]
        .as_array()
        .unwrap()
        .iter()
        .any(|o| o == NEW));
    assert_eq!(
        owned_by(&merged, NEW),
        theirs,
        "the merge did not move owners back"
    );

    // History shows the reorganisation: the step and every owner move, from source "reorg".
    let h = dxplan(&["history", p(&plan), "--json"])
        .expect_ok("history")
        .json();
    let reorg: Vec<&Json> = h
        .as_array()
        .unwrap()
        .iter()
        .filter(|e| e["kind"] == "reorg")
        .collect();
    assert!(reorg.iter().all(|e| e["source"] == "reorg"));
    assert_eq!(reorg.iter().filter(|e| e["field"] == "owners").count(), 16);
    let step = reorg.iter().find(|e| e["field"] == "reorg").unwrap();
    assert_eq!(step["new_value"]["from"], serde_json::json!([OLD]));
    assert_eq!(step["new_value"]["to"], serde_json::json!([NEW]));
    assert_eq!(step["new_value"]["fy"], 2025);
    let text = dxplan(&["history", p(&plan)]).expect_ok("history").stdout;
    assert!(
        text.contains(&format!("owners: {OLD} → {NEW}")),
        "owners by name:\n{text}"
    );
}

#[test]
fn reorg_given_twice_changes_nothing_and_a_conflicting_one_is_refused() {
    let (_dir, plan) = tmp();
    let rename = format!("{OLD}={NEW}");
    // A dry run reports the moves and writes nothing.
    let snap = snapshot(&plan);
    let dry = dxplan(&[
        "reorg",
        p(&plan),
        "--rename",
        &rename,
        "--fy",
        "R7",
        "--dry-run",
        "--json",
    ])
    .expect_ok("dry run")
    .json();
    assert_eq!(dry["dry_run"], true);
    assert_eq!(dry["moved"].as_array().unwrap().len(), 16);
    assert_unchanged(&snap, &plan, "a dry run");
    dxplan(&["reorg", p(&plan), "--rename", &rename, "--fy", "R7"]).expect_ok("first");
    let snap = snapshot(&plan);
    let again =
        dxplan(&["reorg", p(&plan), "--rename", &rename, "--fy", "2025"]).expect_ok("again");
    assert!(again.stdout.contains("already applied"), "{}", again.stdout);
    assert_unchanged(&snap, &plan, "the same reorganisation given again");

    // The old unit was reorganised already: another rename of it is refused, naming why.
    let r = dxplan(&[
        "reorg",
        p(&plan),
        "--rename",
        &format!("{OLD}=情報戦略課"),
        "--fy",
        "2025",
    ]);
    assert_eq!(r.code, Some(2));
    assert!(
        r.stderr.contains("既に改組") && r.stderr.contains(NEW),
        "{}",
        r.stderr
    );
    // A name in use, an unknown unit, and a unit opened this year are refused too.
    for (arg, want) in [
        ("市民課=税務課", "既にあります"),
        ("存在しない課=新しい課", "計画にない組織"),
        (&format!("{NEW}=別の課") as &str, "新設された組織"),
    ] {
        let r = dxplan(&["reorg", p(&plan), "--rename", arg, "--fy", "2025"]);
        assert_eq!(r.code, Some(2), "{arg}");
        assert!(r.stderr.contains(want), "{arg}: {}", r.stderr);
    }
    assert_unchanged(&snap, &plan, "refused reorganisations");
    let listed = dxplan(&["reorg", p(&plan), "--json"])
        .expect_ok("list")
        .json();
    assert_eq!(listed.as_array().unwrap().len(), 1);
}

#[test]
fn a_newer_answer_of_the_new_unit_is_not_undone_by_an_older_one_under_the_old_name() {
    let (dir, plan) = tmp();
    let d = dump(&plan);
    let pid = owned_by(&d, OLD).into_iter().next().unwrap();
    let ind = kpi_id(&d, &pid);
    let old_wb = dir.path().join("old.xlsx");
    export(&plan, OLD, None, &old_wb).expect_ok("old export");
    dxplan(&[
        "reorg",
        p(&plan),
        "--rename",
        &format!("{OLD}={NEW}"),
        "--fy",
        "2025",
    ])
    .expect_ok("reorg");
    let new_wb = dir.path().join("new.xlsx");
    export(&plan, NEW, Some("2025"), &new_wb).expect_ok("new export");
    for (file, value) in [(&old_wb, "10 件"), (&new_wb, "20 件")] {
        let (sheet, cell) = cell_of(
            file,
            &pid,
            |k| matches!(k, RowKey::Actual { id } if *id == ind),
            Some(2023),
        );
        let mut x = Xlsx::open(file);
        x.set(&sheet, &cell, Some(value));
        x.save(file);
    }
    dxplan(&["merge", p(&plan), p(&new_wb)]).expect_ok("the newer answer");
    let m = dxplan(&["merge", p(&plan), p(&old_wb), "--json"])
        .expect_ok("the older answer")
        .json();
    // One department across the rename: the older answer is refused, not a conflict.
    let refused = &m["submissions"][0]["projects"]
        .as_array()
        .unwrap()
        .iter()
        .find(|x| x["project_id"] == pid.as_str())
        .unwrap()["refused"];
    assert_eq!(refused.as_array().unwrap().len(), 1, "{refused}");
    assert!(refused[0]["reason"]
        .as_str()
        .unwrap()
        .contains("superseded"));
    assert_eq!(
        actual(&dump(&plan), &pid, &ind, 2023).as_deref(),
        Some("20 件")
    );
}

/// Titles and codes of projects, for --assign tables.
fn code_title(d: &Json, id: &str) -> (String, String) {
    let p = project(d, id);
    (
        p["code"].as_str().unwrap().into(),
        p["title"].as_str().unwrap().into(),
    )
}

#[test]
fn a_merge_and_a_split_with_assignments_and_the_split_refused_without_them() {
    let (dir, plan) = tmp();
    let d = dump(&plan);
    let citizens: BTreeSet<String> = owned_by(&d, "市民課")
        .union(&owned_by(&d, "税務課"))
        .cloned()
        .collect();
    let safety: Vec<String> = owned_by(&d, "防災安全課").into_iter().collect();
    assert!(safety.len() >= 3 && !citizens.is_empty());

    // A split without --assign is refused and lists every project that needs a new owner.
    let snap = snapshot(&plan);
    let split = "防災安全課=危機管理課,消防防災課";
    let r = dxplan(&[
        "reorg",
        p(&plan),
        "--fy",
        "2025",
        "--merge",
        "市民課,税務課=市民窓口課",
        "--split",
        split,
    ]);
    assert_eq!(r.code, Some(2));
    for id in &safety {
        let (code, title) = code_title(&d, id);
        assert!(
            r.stderr.contains(&format!("{code} {title}")),
            "{code} {title} not listed:\n{}",
            r.stderr
        );
    }
    assert_unchanged(
        &snap,
        &plan,
        "a split without --assign (with a merge in the same call)",
    );

    // The assignment (UTF-8 CSV with BOM, codes and titles): the first project to both units.
    let assign = dir.path().join("assign.csv");
    let mut text = String::from("\u{feff}事業コード,新組織\n");
    let mut want: Vec<(String, Vec<&str>)> = Vec::new();
    for (k, id) in safety.iter().enumerate() {
        let (code, title) = code_title(&d, id);
        let (key, units): (String, Vec<&str>) = match k {
            0 => (code, vec!["危機管理課", "消防防災課"]),
            1 => (title, vec!["消防防災課"]),
            _ => (code, vec!["危機管理課"]),
        };
        text.push_str(&format!("{key},\"{}\"\n", units.join("、")));
        want.push((id.clone(), units));
    }
    std::fs::write(&assign, text).unwrap();

    // An assignment to a unit that is not one of the split's is refused with its cell.
    let wrong = dir.path().join("wrong.csv");
    let (code0, _) = code_title(&d, &safety[0]);
    std::fs::write(&wrong, format!("事業コード,新組織\n{code0},市民課\n")).unwrap();
    let r = dxplan(&[
        "reorg",
        p(&plan),
        "--fy",
        "2025",
        "--split",
        split,
        "--assign",
        p(&wrong),
    ]);
    assert_eq!(r.code, Some(2));
    assert!(
        r.stderr.contains("wrong.csv")
            && r.stderr.contains("B2")
            && r.stderr.contains("危機管理課"),
        "{}",
        r.stderr
    );
    assert_unchanged(&snap, &plan, "a wrong assignment");

    dxplan(&[
        "reorg",
        p(&plan),
        "--fy",
        "2025",
        "--merge",
        "市民課,税務課=市民窓口課",
        "--split",
        split,
        "--assign",
        p(&assign),
    ])
    .expect_ok("merge and split with --assign");
    let after = dump(&plan);
    assert_eq!(owned_by(&after, "市民窓口課"), citizens);
    assert!(owned_by(&after, "市民課").is_empty() && owned_by(&after, "税務課").is_empty());
    for (id, units) in &want {
        let owners: Vec<&str> = project(&after, id)["owners"]
            .as_array()
            .unwrap()
            .iter()
            .map(|o| o.as_str().unwrap())
            .collect();
        assert!(!owners.contains(&"防災安全課"), "{owners:?}");
        for u in units {
            assert!(owners.contains(u), "{id}: {owners:?} lacks {u}");
        }
        // The old owner's role goes to the first unit assigned.
        let before_role = project(&d, id)["owner_details"]
            .as_array()
            .unwrap()
            .iter()
            .find(|o| o["name"] == "防災安全課")
            .unwrap()["role"]
            .clone();
        let after_role = project(&after, id)["owner_details"]
            .as_array()
            .unwrap()
            .iter()
            .find(|o| o["name"] == units[0])
            .unwrap()["role"]
            .clone();
        assert_eq!(before_role, after_role);
    }
    for u in ["市民課", "税務課", "防災安全課"] {
        assert_eq!(unit(&after, u)[0]["valid_to_fy"], 2024, "{u}");
    }
    for u in ["市民窓口課", "危機管理課", "消防防災課"] {
        assert_eq!(unit(&after, u)[0]["valid_from_fy"], 2025, "{u}");
    }
    // The 2024 workbook of a merged unit still holds its own projects only, under its old name.
    let f = dir.path().join("税務課2024.xlsx");
    export(&plan, "税務課", Some("2024"), &f).expect_ok("past export of a merged unit");
    assert_eq!(exported(&f), ("税務課".to_string(), owned_by(&d, "税務課")));
}

/// The same reorganisation as a table: a title row, headings written with spaces and
/// full-width forms, a merge on two rows, an unchanged unit listed.
const TABLE: [[&str; 3]; 5] = [
    ["旧 組 織", "新組織", "種別"],
    ["情報政策課", "デジタル推進課", "名称変更"],
    ["市民課", "市民窓口課", "統合"],
    ["税務課", "市民窓口課", "統合"],
    ["人事課", "人事課", "変更なし"],
];

/// Units (name, from, to) and owners (name, owner).
type Shape = (Vec<(String, Json, Json)>, Vec<(String, Json)>);

/// Units (name, from, to) and owners by name: what a reorganisation leaves, ids aside.
fn shape(d: &Json) -> Shape {
    let mut units: Vec<(String, Json, Json)> = d["org_units"]
        .as_array()
        .unwrap()
        .iter()
        .map(|u| {
            (
                u["name"].as_str().unwrap().to_string(),
                u["valid_from_fy"].clone(),
                u["valid_to_fy"].clone(),
            )
        })
        .collect();
    units.sort_by(|a, b| a.0.cmp(&b.0));
    let owners = d["projects"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| (p["id"].as_str().unwrap().to_string(), p["owners"].clone()))
        .collect();
    (units, owners)
}

#[test]
fn the_personnel_table_as_xlsx_and_as_shift_jis_csv_reorganises_like_the_flags() {
    let dir = tempfile::tempdir().unwrap();
    // The flags.
    let by_flags = sample_plan(dir.path(), "flags.dxplan");
    dxplan(&[
        "reorg",
        p(&by_flags),
        "--fy",
        "2025",
        "--rename",
        "情報政策課=デジタル推進課",
        "--merge",
        "市民課,税務課=市民窓口課",
    ])
    .expect_ok("flags");
    let want = shape(&dump(&by_flags));

    // .xlsx, the table below a title.
    let xlsx = dir.path().join("組織改正.xlsx");
    let mut wb = rust_xlsxwriter::Workbook::new();
    let ws = wb.add_worksheet();
    ws.write_string(0, 0, "令和7年4月1日付 組織改正 新旧対照表")
        .unwrap();
    for (r, row) in TABLE.iter().enumerate() {
        for (c, t) in row.iter().enumerate() {
            ws.write_string(r as u32 + 2, c as u16 + 1, *t).unwrap();
        }
    }
    wb.save(&xlsx).unwrap();
    let by_xlsx = sample_plan(dir.path(), "xlsx.dxplan");
    dxplan(&["reorg", p(&by_xlsx), "--fy", "2025", p(&xlsx)]).expect_ok("xlsx table");
    assert_eq!(shape(&dump(&by_xlsx)), want);

    // .csv in Shift_JIS (as Excel saves it on Japanese Windows), 種別 left blank: read from
    // the shape of the rows.
    let csv = dir.path().join("組織改正.csv");
    let mut text = String::new();
    for (i, row) in TABLE.iter().enumerate() {
        let kind = if i == 0 { row[2] } else { "" };
        text.push_str(&format!("{},{},{}\r\n", row[0], row[1], kind));
    }
    let (sjis, _, unmappable) = encoding_rs::SHIFT_JIS.encode(&text);
    assert!(!unmappable);
    assert!(
        std::str::from_utf8(&sjis).is_err(),
        "the file really is Shift_JIS"
    );
    std::fs::write(&csv, &sjis).unwrap();
    let by_csv = sample_plan(dir.path(), "csv.dxplan");
    dxplan(&["reorg", p(&by_csv), "--fy", "2025", p(&csv)]).expect_ok("Shift_JIS csv table");
    assert_eq!(shape(&dump(&by_csv)), want);

    // Given again, the table changes nothing; a table without the headings is refused.
    let snap = snapshot(&by_csv);
    dxplan(&["reorg", p(&by_csv), "--fy", "2025", p(&csv)]).expect_ok("again");
    assert_unchanged(&snap, &by_csv, "the table given again");
    let plain = dir.path().join("plain.csv");
    std::fs::write(&plain, "課,人\n情報政策課,山田\n").unwrap();
    let r = dxplan(&["reorg", p(&by_csv), "--fy", "2025", p(&plain)]);
    assert_eq!(r.code, Some(2));
    assert!(
        r.stderr.contains("旧組織") && r.stderr.contains("plain.csv"),
        "{}",
        r.stderr
    );
}

#[test]
fn the_roster_is_kept_per_year_and_printed_on_the_department_cover() {
    let (dir, plan) = tmp();
    dxplan(&[
        "reorg",
        p(&plan),
        "--rename",
        &format!("{OLD}={NEW}"),
        "--fy",
        "2025",
    ])
    .expect_ok("reorg");
    dxplan(&[
        "roster",
        p(&plan),
        "--fy",
        "2024",
        "--set",
        &format!("{OLD}=佐藤 花子 <内線2001>"),
    ])
    .expect_ok("2024");
    dxplan(&[
        "roster",
        p(&plan),
        "--fy",
        "2025",
        "--set",
        &format!("{NEW}=山田 太郎 <内線1234 yamada@city.example.jp>; 鈴木 一郎"),
    ])
    .expect_ok("2025");
    // A table (課名 / 氏名 / 連絡先) in UTF-8 for another unit.
    let t = dir.path().join("名簿.csv");
    std::fs::write(&t, "課名,氏名,連絡先\n市民課,高橋 次郎,内線3001\n").unwrap();
    dxplan(&["roster", p(&plan), "--fy", "2025", p(&t)]).expect_ok("table");
    // The old name is not a unit of 2025.
    let r = dxplan(&[
        "roster",
        p(&plan),
        "--fy",
        "2025",
        "--set",
        &format!("{OLD}=誰か"),
    ]);
    assert_eq!(r.code, Some(2));
    assert!(
        r.stderr.contains(OLD) && r.stderr.contains("2025"),
        "{}",
        r.stderr
    );

    let listed = dxplan(&["roster", p(&plan), "--fy", "2025", "--json"])
        .expect_ok("list")
        .json();
    let names: Vec<&str> = listed
        .as_array()
        .unwrap()
        .iter()
        .flat_map(|e| {
            e["people"]
                .as_array()
                .unwrap()
                .iter()
                .map(|x| x["name"].as_str().unwrap())
        })
        .collect();
    assert_eq!(
        names.into_iter().collect::<BTreeSet<_>>(),
        BTreeSet::from(["高橋 次郎", "山田 太郎", "鈴木 一郎"])
    );

    let wb = dir.path().join("cover.xlsx");
    export(&plan, NEW, Some("2025"), &wb).expect_ok("export 2025");
    let cover = sheet_cells(&wb, "表紙");
    let people = beside(&cover, "DX推進員").unwrap();
    assert!(
        people.contains("山田 太郎（内線1234 yamada@city.example.jp）"),
        "{people}"
    );
    assert!(
        people.contains("鈴木 一郎") && !people.contains("佐藤"),
        "{people}"
    );
    assert!(beside(&cover, "年度").unwrap().starts_with("2025年度"));
    // Last year's workbook under the old name prints last year's promoter.
    let past = dir.path().join("cover2024.xlsx");
    export(&plan, OLD, Some("2024"), &past).expect_ok("export 2024");
    let people = beside(&sheet_cells(&past, "表紙"), "DX推進員").unwrap();
    assert!(
        people.contains("佐藤 花子（内線2001）") && !people.contains("山田"),
        "{people}"
    );
}

#[test]
fn a_renamed_department_keeps_its_units_and_an_abolished_unit_needs_assignments() {
    let (dir, plan) = tmp();
    let d = dump(&plan);
    let before = dir.path().join("部.xlsx");
    export(&plan, "企画政策部", None, &before).expect_ok("部 before");
    let (_, dept_projects) = exported(&before);
    assert!(dept_projects.len() > 16, "the 部 answers for its 課");
    let industry = owned_by(&d, "産業振興課");
    assert!(!industry.is_empty());

    // Abolishing a unit that owns projects needs their new owner.
    let snap = snapshot(&plan);
    let steps = [
        "reorg",
        p(&plan),
        "--fy",
        "2025",
        "--rename",
        "企画政策部=総合政策部",
        "--new",
        "DX推進室",
        "--abolish",
        "産業振興課",
    ];
    let r = dxplan(&steps);
    assert_eq!(r.code, Some(2));
    for id in &industry {
        let (code, title) = code_title(&d, id);
        assert!(
            r.stderr.contains(&format!("{code} {title}")),
            "{}",
            r.stderr
        );
    }
    assert_unchanged(&snap, &plan, "an abolition without --assign");

    // The new unit (opened in the same call) takes them.
    let assign = dir.path().join("assign.csv");
    let rows: String = industry
        .iter()
        .map(|id| format!("{},DX推進室\n", code_title(&d, id).1))
        .collect();
    std::fs::write(&assign, format!("取組名,新組織\n{rows}")).unwrap();
    let mut with_assign = steps.to_vec();
    with_assign.extend(["--assign", p(&assign)]);
    dxplan(&with_assign).expect_ok("with --assign");
    let after = dump(&plan);
    assert_eq!(owned_by(&after, "DX推進室"), industry);
    assert_eq!(unit(&after, "産業振興課")[0]["valid_to_fy"], 2024);

    // The 課 of the renamed 部 are under the new 部 now, and were under the old one in 2024.
    let new_dept = unit(&after, "総合政策部")[0]["id"].clone();
    for c in ["経営戦略課", OLD, "秘書広報課"] {
        assert_eq!(unit(&after, c)[0]["parent_id"], new_dept, "{c}");
    }
    let now = dir.path().join("総合政策部.xlsx");
    export(&plan, "総合政策部", Some("2025"), &now).expect_ok("new 部");
    assert_eq!(
        exported(&now),
        ("総合政策部".to_string(), dept_projects.clone())
    );
    let then = dir.path().join("企画政策部2024.xlsx");
    export(&plan, "企画政策部", Some("2024"), &then).expect_ok("old 部, 2024");
    assert_eq!(exported(&then), ("企画政策部".to_string(), dept_projects));
}
