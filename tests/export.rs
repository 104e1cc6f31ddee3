//! Excel export (issue 4) checked as a user would: real files in a temp dir, opened again with
//! calamine (through `workbook::open`), and read back with `import::native`.

use std::collections::HashSet;
use std::io::Read;
use std::path::{Path, PathBuf};

use dxplan::export::{
    department_projects, department_subset, write_department, write_master, ExportOptions,
};
use dxplan::import::grid::Grid;
use dxplan::import::native::read_native;
use dxplan::import::ImportError;
use dxplan::model::*;
use dxplan::parse::fiscal_year::format_both;
use dxplan::workbook::{self, Workbook};

fn sample() -> Plan {
    dxplan::sample::onojo().expect("sample plan")
}

fn unit_id(plan: &Plan, name: &str) -> String {
    plan.org_units
        .iter()
        .find(|u| u.name == name)
        .unwrap_or_else(|| panic!("unit {name}"))
        .id
        .clone()
}

fn master(plan: &Plan, dir: &Path) -> PathBuf {
    let path = dir.join("master.xlsx");
    write_master(plan, &path, &ExportOptions::default()).expect("export master");
    path
}

fn sheet<'a>(wb: &'a Workbook, name: &str) -> &'a Grid {
    wb.sheets
        .iter()
        .find(|g| g.name == name)
        .unwrap_or_else(|| panic!("sheet {name}"))
}

/// The texts of column A of a sheet.
fn labels(g: &Grid) -> Vec<String> {
    g.used_rows()
        .into_iter()
        .map(|r| g.text(r, 0).to_string())
        .collect()
}

fn zip_entry(path: &Path, name: &str) -> String {
    let f = std::fs::File::open(path).unwrap();
    let mut z = zip::ZipArchive::new(f).unwrap();
    let mut s = String::new();
    z.by_name(name)
        .unwrap_or_else(|_| panic!("{name}"))
        .read_to_string(&mut s)
        .unwrap();
    s
}

fn zip_names(path: &Path) -> Vec<String> {
    let f = std::fs::File::open(path).unwrap();
    let z = zip::ZipArchive::new(f).unwrap();
    z.file_names()
        .filter_map(|n| n.ok().map(|n| n.into_owned()))
        .collect()
}

fn assert_same_plan(read: &Plan, want: &Plan) {
    assert_eq!(read.info, want.info);
    assert_eq!(read.org_units, want.org_units);
    assert_eq!(read.policies, want.policies);
    assert_eq!(read.measures, want.measures);
    assert_eq!(read.projects.len(), want.projects.len());
    for (a, b) in read.projects.iter().zip(&want.projects) {
        assert_eq!(a, b, "project {} differs", b.title);
    }
    assert_eq!(read, want);
    assert_eq!(
        serde_json::to_string(&dxplan::report::dump::dump(read)).unwrap(),
        serde_json::to_string(&dxplan::report::dump::dump(want)).unwrap()
    );
}

#[test]
fn department_workbook_holds_exactly_the_units_projects() {
    let plan = sample();
    let dir = tempfile::tempdir().unwrap();
    let mut checked = 0;
    for unit in &plan.org_units {
        let owned: Vec<&Project> = plan
            .projects
            .iter()
            .filter(|p| p.owners.iter().any(|o| o.unit_id == unit.id))
            .collect();
        let has_children = plan
            .org_units
            .iter()
            .any(|u| u.parent_id.as_ref() == Some(&unit.id));
        if owned.is_empty() || has_children {
            continue;
        }
        let path = dir.path().join(format!("{}.xlsx", unit.name));
        let summary = write_department(&plan, &unit.id, &path, &ExportOptions::default()).unwrap();
        let wb = workbook::open(&path).unwrap();
        let visible: Vec<&Grid> = wb.sheets.iter().filter(|g| !g.hidden).collect();
        assert_eq!(visible[0].name, "表紙");
        assert_eq!(visible.len(), owned.len() + 1, "{}", unit.name);
        let ids: HashSet<&str> = summary.projects.iter().map(|(id, _)| id.as_str()).collect();
        let want: HashSet<&str> = owned.iter().map(|p| p.id.as_str()).collect();
        assert_eq!(ids, want, "{}", unit.name);
        // Every owned project's title heads one sheet (lead and co-owner alike).
        for p in &owned {
            assert!(
                visible.iter().any(|g| g.text(0, 0).ends_with(&p.title)),
                "{} in {}",
                p.title,
                unit.name
            );
        }
        let cover = visible[0];
        assert!(cover.cells.values().any(|c| c.text == unit.name));
        assert!(cover.cells.values().any(|c| c.text == "提出期限"));
        checked += 1;
    }
    assert!(checked >= 5, "only {checked} units checked");
    // Co-ownership counts: some unit's workbook holds a project it only co-owns.
    assert!(plan
        .projects
        .iter()
        .any(|p| p.owners.iter().any(|o| o.role == OwnerRole::Co)));
}

#[test]
fn a_department_of_a_department_includes_its_units() {
    let plan = sample();
    let parent = plan
        .org_units
        .iter()
        .find(|u| {
            plan.org_units
                .iter()
                .any(|c| c.parent_id.as_ref() == Some(&u.id))
        })
        .unwrap();
    let children: Vec<&str> = plan
        .org_units
        .iter()
        .filter(|u| u.parent_id.as_ref() == Some(&parent.id))
        .map(|u| u.id.as_str())
        .collect();
    let got = department_projects(&plan, &parent.id);
    for p in &plan.projects {
        let owned_below = p
            .owners
            .iter()
            .any(|o| o.unit_id == parent.id || children.contains(&o.unit_id.as_str()));
        assert_eq!(got.iter().any(|x| x.id == p.id), owned_below, "{}", p.title);
    }
}

#[test]
fn project_sheets_have_the_familiar_rows() {
    let plan = sample();
    let dir = tempfile::tempdir().unwrap();
    let path = master(&plan, dir.path());
    let wb = workbook::open(&path).unwrap();
    let native = read_native(&path, &wb).unwrap().unwrap();
    for (id, name) in &native.sheets {
        let p = plan.projects.iter().find(|p| &p.id == id).unwrap();
        let g = sheet(&wb, name);
        // Header: 2023年度（令和5年度）.
        let header: Vec<&str> = g.row(1).map(|(_, c)| c.text.as_str()).collect();
        assert!(header.contains(&"2023年度（令和5年度）"), "{header:?}");
        assert_eq!(header[1], format_both(2022));
        let l = labels(g);
        let count = |s: &str| l.iter().filter(|x| x.as_str() == s).count();
        // Every indicator, and the spare block for one added in Excel.
        let spare = dxplan::export::project_sheet::SPARE_INDICATORS;
        assert_eq!(count("目標"), p.indicators.len() + spare, "{}", p.title);
        assert_eq!(count("実績"), p.indicators.len() + spare, "{}", p.title);
        assert_eq!(
            l.iter().filter(|x| x.starts_with("追加する指標")).count(),
            spare
        );
        for s in [
            "取組名",
            "担当課",
            "課題",
            "目的",
            "概要",
            "目指す姿／目標",
            "期待される効果",
            "スケジュール",
            "年度経費（LCC）（千円）",
            "うち一般財源（千円）",
        ] {
            assert_eq!(count(s), 1, "{s} in {}", p.title);
        }
        assert_eq!(count("施策"), p.measure_ids.len());
        for kind in ["KGI", "KPI"] {
            let n = p
                .indicators
                .iter()
                .filter(|i| i.kind.as_str() == kind)
                .count();
            assert_eq!(l.iter().filter(|x| x.starts_with(kind)).count(), n);
        }
        // Effects as bullets, one per line.
        if !p.texts.effects.is_empty() {
            let r = g
                .used_rows()
                .into_iter()
                .find(|&r| g.text(r, 0) == "期待される効果")
                .unwrap();
            assert_eq!(g.text(r, 1).lines().count(), p.texts.effects.len());
            assert!(g.text(r, 1).lines().all(|l| l.starts_with('・')));
        }
        // Budget: numbers (not text), None left blank.
        let r = g
            .used_rows()
            .into_iter()
            .find(|&r| g.text(r, 0) == "年度経費（LCC）（千円）")
            .unwrap();
        for b in &p.budget {
            let c = 1 + (b.fiscal_year - plan.info.first_fy) as u32;
            match b.planned_thousand_yen {
                Some(v) => assert_eq!(g.cell(r, c).and_then(|c| c.number), Some(v as f64)),
                None => assert_eq!(g.text(r, c), ""),
            }
        }
        // Footnotes under the table.
        for f in &p.footnotes {
            assert!(
                g.used_rows()
                    .into_iter()
                    .any(|r| g.text(r, 0) == f.marker && g.text(r, 1) == f.text),
                "{}",
                f.marker
            );
        }
    }
    // A one-year project still shows every plan year; schedule phases show in their cells.
    assert!(native.sheets.len() == 30);
}

#[test]
fn sheets_are_protected_and_meta_is_very_hidden() {
    let plan = sample();
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("dept.xlsx");
    let unit = unit_id(&plan, "情報政策課");
    write_department(
        &plan,
        &unit,
        &path,
        &ExportOptions {
            deadline: Some("2025年7月31日".into()),
            ..Default::default()
        },
    )
    .unwrap();
    let wbxml = zip_entry(&path, "xl/workbook.xml");
    assert!(
        wbxml.contains(r#"name="_dxplan""#) && wbxml.contains(r#"state="veryHidden""#),
        "{wbxml}"
    );
    let sheets: Vec<String> = zip_names(&path)
        .into_iter()
        .filter(|n| n.starts_with("xl/worksheets/sheet"))
        .collect();
    assert!(sheets.len() >= 3);
    for s in &sheets {
        let xml = zip_entry(&path, s);
        assert!(xml.contains("<sheetProtection"), "{s} not protected");
        assert!(!xml.contains("password"), "{s} has a password");
    }
    // A project sheet: A4 landscape, fit to one page wide, validations on inputs.
    let xml = zip_entry(&path, "xl/worksheets/sheet2.xml");
    assert!(
        xml.contains(r#"paperSize="9""#) && xml.contains(r#"orientation="landscape""#),
        "page setup"
    );
    assert!(
        xml.contains(r#"fitToWidth="1""#) || xml.contains("fitToPage"),
        "fit to width"
    );
    assert!(
        xml.contains("<dataValidation")
            && xml.contains(r#"type="whole""#)
            && xml.contains(r#"type="list""#)
    );
    // Input cells are unlocked, labels locked: the styles carry both.
    let styles = zip_entry(&path, "xl/styles.xml");
    assert!(styles.contains(r#"<protection locked="0"/>"#));
    let wb = workbook::open(&path).unwrap();
    let cover = sheet(&wb, "表紙");
    assert!(cover.cells.values().any(|c| c.text == "2025年7月31日"));
}

fn tricky_plan() -> Plan {
    let mut plan = sample();
    let p = &mut plan.projects[0];
    p.title = "=HYPERLINK(\"http://example.com\",\"click\")".into();
    p.texts.issue = "+1+1".into();
    p.texts.purpose = "-SUM(A1:A2)".into();
    p.texts.summary = "@SUM(1,2)\r\n次の行\n  字下げ  ".into();
    p.texts.goal = "_x0041_ と <tag> & \"quote\" 'apos'".into();
    p.texts.effects = vec!["=1+2".into(), "・中黒で始まる".into(), String::new()];
    p.tags = vec!["a、b".into(), "c".into()];
    p.owners_note = "、ほか".into();
    p.footnotes.push(Footnote {
        marker: "=※9".into(),
        field: "budget".into(),
        text: "-注".into(),
    });
    if let Some(v) = p.indicators[0].values.first_mut() {
        v.actual = Some(Value::text_only("=A1"));
        v.target = Some(Value {
            text: "0".into(),
            number: Some(0.0),
            unit: None,
            denominator: None,
            qualifier: None,
            markers: vec![],
        });
    }
    let (start, end) = (p.schedule[0].start_fy, p.schedule[0].end_fy);
    p.schedule[0].phases.insert(start, "@検討".into());
    if end != start {
        p.schedule[0].phases.insert(end, String::new());
    }
    p.budget[0].planned_thousand_yen = Some(0);
    p.budget[0].general_revenue_thousand_yen = None;
    p.progress.push(Progress {
        fiscal_year: 2023,
        status: "=進捗".into(),
        achievements: String::new(),
        issues: "+課題".into(),
        remedies: String::new(),
        evaluation: "A".into(),
    });
    p.progress.push(Progress {
        fiscal_year: 2024,
        status: String::new(),
        achievements: String::new(),
        issues: String::new(),
        remedies: String::new(),
        evaluation: String::new(),
    });
    // Names that need sanitising, and clashing names.
    plan.projects[1].title = "a/b:c*d?e[f]g\\h".into();
    plan.projects[2].title = "同じ名前の長い長い長い長い長い長い長い長い取組".into();
    plan.projects[3].title = "同じ名前の長い長い長い長い長い長い長い長い取組".into();
    // Same measure and position too (a numbering mistake): the same code, so the same name.
    plan.projects[3].measure_ids = plan.projects[2].measure_ids.clone();
    plan.projects[3].position = plan.projects[2].position;
    plan.projects[4].title = "'quoted'".into();
    plan.projects[5].title = "一覧".into();
    plan
}

#[test]
fn formula_like_text_stays_text() {
    let plan = tricky_plan();
    let dir = tempfile::tempdir().unwrap();
    let path = master(&plan, dir.path());
    // calamine sees no formula on project sheets but the SUM totals.
    use calamine::Reader;
    let mut x: calamine::Xlsx<_> = calamine::open_workbook(&path).unwrap();
    let names = x.sheet_names().to_vec();
    let first = names
        .iter()
        .find(|n| n.starts_with("Ⅰ-1-①"))
        .unwrap()
        .clone();
    let formulas = x.worksheet_formula(&first).unwrap();
    for (_, _, f) in formulas.used_cells() {
        assert!(f.starts_with("SUM("), "unexpected formula {f}");
    }
    let wb = workbook::open(&path).unwrap();
    let g = sheet(&wb, &first);
    for s in [
        "+1+1",
        "-SUM(A1:A2)",
        "=HYPERLINK(\"http://example.com\",\"click\")",
    ] {
        assert!(
            g.cells.values().any(|c| c.text == s && c.number.is_none()),
            "{s}"
        );
    }
}

#[test]
fn sheet_names_are_valid_and_unique() {
    let plan = tricky_plan();
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("m.xlsx");
    let summary = write_master(&plan, &path, &ExportOptions::default()).unwrap();
    let mut seen = HashSet::new();
    for name in &summary.sheets {
        assert!(name.chars().count() <= 31, "{name}");
        assert!(
            !name.contains(['[', ']', ':', '*', '?', '/', '\\']),
            "{name}"
        );
        assert!(!name.starts_with('\'') && !name.ends_with('\''), "{name}");
        assert!(seen.insert(name.to_lowercase()), "duplicate {name}");
    }
    assert!(summary
        .sheets
        .iter()
        .any(|n| n.contains("a／b：c＊d？e［f］g＼h")));
    assert!(summary.sheets.iter().any(|n| n.ends_with("(2)")));
    assert_eq!(
        summary
            .sheets
            .iter()
            .filter(|n| n.as_str() == "一覧")
            .count(),
        1
    );
    // And they open: calamine lists the same names.
    let wb = workbook::open(&path).unwrap();
    for name in &summary.sheets {
        assert!(wb.sheets.iter().any(|g| &g.name == name), "{name}");
    }
}

#[test]
fn tricky_texts_round_trip() {
    let plan = tricky_plan();
    let dir = tempfile::tempdir().unwrap();
    let path = master(&plan, dir.path());
    let wb = workbook::open(&path).unwrap();
    let native = read_native(&path, &wb).unwrap().unwrap();
    assert_same_plan(&native.plan, &plan);
}

#[test]
fn master_totals_equal_the_budget_report() {
    let plan = sample();
    let dir = tempfile::tempdir().unwrap();
    let path = master(&plan, dir.path());
    let wb = workbook::open(&path).unwrap();
    let g = sheet(&wb, "事業費集計");
    let totals = dxplan::report::totals::budget_by_policy(&plan);
    let years: Vec<(u32, FiscalYear)> = g
        .row(1)
        .filter_map(|(c, cell)| {
            dxplan::parse::fiscal_year::parse_fiscal_year(&cell.text)
                .ok()
                .map(|y| (c, y))
        })
        .collect();
    assert_eq!(
        years.iter().map(|(_, y)| *y).collect::<Vec<_>>(),
        totals.fiscal_years
    );
    let total_col = years.last().unwrap().0 + 1;
    for (i, (_, title, amounts)) in totals.rows.iter().enumerate() {
        let r = 2 + i as u32;
        assert!(g.text(r, 0).ends_with(title.as_str()));
        for (c, fy) in &years {
            assert_eq!(
                g.cell(r, *c).and_then(|c| c.number),
                Some(amounts[fy] as f64),
                "{title} {fy}"
            );
        }
        assert_eq!(
            g.cell(r, total_col).and_then(|c| c.number),
            Some(dxplan::report::totals::BudgetTotals::row_total(amounts) as f64)
        );
    }
    let r = 2 + totals.rows.len() as u32;
    assert_eq!(g.text(r, 0), "合計");
    for (c, fy) in &years {
        assert_eq!(
            g.cell(r, *c).and_then(|c| c.number),
            Some(totals.year_total(*fy) as f64)
        );
    }
    assert_eq!(
        g.cell(r, total_col).and_then(|c| c.number),
        Some(1_240_400.0)
    );
    assert_eq!(totals.grand_total(), 1_240_400);
    // The totals are formulas (recalculated by Excel), carrying these values.
    let xml = zip_entry(&path, "xl/worksheets/sheet2.xml");
    assert!(
        xml.contains("<f>SUMIF(") && xml.contains("<v>1240400</v>"),
        "formulas with results"
    );
    // The other summary sheets are there, with charts.
    for s in ["一覧", "ロードマップ", "KPI", "グラフ"] {
        sheet(&wb, s);
    }
    assert!(
        zip_names(&path)
            .iter()
            .filter(|n| n.starts_with("xl/charts/chart"))
            .count()
            >= 2
    );
    let list = sheet(&wb, "一覧");
    assert_eq!(list.used_rows().len(), 2 + plan.projects.len());
    let roadmap = sheet(&wb, "ロードマップ");
    let tasks: usize = plan.projects.iter().map(|p| p.schedule.len()).sum();
    assert_eq!(tasks, 89);
    assert!(roadmap.used_rows().len() >= 2 + tasks);
    let kpi = sheet(&wb, "KPI");
    assert!(kpi.cells.values().any(|c| c.text == "達成率"));
}

#[test]
fn sample_round_trips_through_master_and_department_workbooks() {
    let plan = sample();
    let dir = tempfile::tempdir().unwrap();
    let path = master(&plan, dir.path());
    let wb = workbook::open(&path).unwrap();
    let native = read_native(&path, &wb).unwrap().unwrap();
    assert_eq!(native.meta.kind, dxplan::export::ExportKind::Master);
    assert!(native.warnings.is_empty(), "{:?}", native.warnings);
    assert_same_plan(&native.plan, &plan);
    for (base, p) in native.meta.projects.iter().zip(&plan.projects) {
        assert_eq!(&base.project, p);
    }
    for unit in &plan.org_units {
        if department_projects(&plan, &unit.id).is_empty() {
            continue;
        }
        let path = dir.path().join(format!("d-{}.xlsx", unit.name));
        let mut opts = ExportOptions::default();
        for (i, p) in plan.projects.iter().enumerate() {
            opts.revisions.insert(p.id.clone(), i as i64 + 1);
        }
        let summary = write_department(&plan, &unit.id, &path, &opts).unwrap();
        let wb = workbook::open(&path).unwrap();
        let native = read_native(&path, &wb).unwrap().unwrap();
        assert_eq!(native.meta.export_id, summary.export_id);
        assert_eq!(native.meta.department.as_ref().unwrap().unit_id, unit.id);
        assert_eq!(native.meta.department.as_ref().unwrap().name, unit.name);
        for b in &native.meta.projects {
            assert_eq!(
                Some(b.revision.unwrap()),
                opts.revisions.get(&b.id).copied()
            );
        }
        assert_same_plan(&native.plan, &department_subset(&plan, &unit.id));
        assert!(native.cover.iter().any(|(k, _)| k == "deadline"));
    }
}

#[test]
fn generated_plans_round_trip() {
    for seed in [7u64, 42] {
        let plan = dxplan::generate::generate(200, seed);
        let dir = tempfile::tempdir().unwrap();
        let path = master(&plan, dir.path());
        let wb = workbook::open(&path).unwrap();
        let native = read_native(&path, &wb).unwrap().unwrap();
        assert_same_plan(&native.plan, &plan);
        let unit = &plan.org_units[seed as usize % plan.org_units.len()];
        let path = dir.path().join("dept.xlsx");
        write_department(&plan, &unit.id, &path, &ExportOptions::default()).unwrap();
        let wb = workbook::open(&path).unwrap();
        let native = read_native(&path, &wb).unwrap().unwrap();
        let want = department_subset(&plan, &unit.id);
        assert!(!want.projects.is_empty());
        assert_same_plan(&native.plan, &want);
    }
}

/// Writes the department workbook of 情報政策課 and opens it again.
fn dept_workbook(plan: &Plan, dir: &Path) -> (PathBuf, Workbook) {
    let path = dir.join("dept.xlsx");
    write_department(
        plan,
        &unit_id(plan, "情報政策課"),
        &path,
        &ExportOptions::default(),
    )
    .unwrap();
    let wb = workbook::open(&path).unwrap();
    (path, wb)
}

fn row_of(g: &Grid, label: &str) -> u32 {
    g.used_rows()
        .into_iter()
        .find(|&r| g.text(r, 0) == label)
        .unwrap_or_else(|| panic!("row {label}"))
}

fn set_text(g: &mut Grid, r: u32, c: u32, text: &str) {
    let cell = g.cells.entry((r, c)).or_default();
    cell.text = text.into();
    cell.number = None;
}

#[test]
fn edits_on_the_visible_sheets_are_what_is_read() {
    let plan = sample();
    let dir = tempfile::tempdir().unwrap();
    let (path, mut wb) = dept_workbook(&plan, dir.path());
    let idx = wb
        .sheets
        .iter()
        .position(|g| !g.hidden && g.name != "表紙")
        .unwrap();
    let g = &mut wb.sheets[idx];
    let title_row = row_of(g, "取組名");
    set_text(g, title_row, 1, "新しい取組名");
    let actual = row_of(g, "実績");
    set_text(g, actual, 2, "125 手続");
    let budget = row_of(g, "年度経費（LCC）（千円）");
    g.cells.remove(&(budget, 1));
    let cell = g.cells.entry((budget, 2)).or_default();
    cell.text = "7000".into();
    cell.number = Some(7000.0);
    let status = row_of(g, "状態");
    set_text(g, status, 1, "終了");
    let effects = row_of(g, "期待される効果");
    set_text(g, effects, 1, "・一つ目\n・二つ目\n\n三つ目");
    // Rename and reorder: sheets are found by id.
    g.name = "名前を変えたシート".into();
    let moved = wb.sheets.remove(idx);
    wb.sheets.push(moved);
    let native = read_native(&path, &wb).unwrap().unwrap();
    let before = &department_subset(&plan, &unit_id(&plan, "情報政策課")).projects[0];
    let after = native
        .plan
        .projects
        .iter()
        .find(|p| p.id == before.id)
        .unwrap();
    assert_eq!(after.title, "新しい取組名");
    assert_eq!(after.status, ProjectStatus::Ended);
    assert_eq!(after.texts.effects, vec!["一つ目", "二つ目", "三つ目"]);
    let v = after.indicators[0]
        .values
        .iter()
        .find(|v| v.fiscal_year == 2023)
        .unwrap()
        .actual
        .clone()
        .unwrap();
    assert_eq!(
        (v.text.as_str(), v.number, v.unit.as_deref()),
        ("125 手続", Some(125.0), Some("手続"))
    );
    assert_eq!(
        after
            .budget
            .iter()
            .find(|b| b.fiscal_year == 2022)
            .unwrap()
            .planned_thousand_yen,
        None
    );
    assert_eq!(
        after
            .budget
            .iter()
            .find(|b| b.fiscal_year == 2023)
            .unwrap()
            .planned_thousand_yen,
        Some(7000)
    );
    assert_eq!(
        native
            .sheets
            .iter()
            .find(|(id, _)| id == &before.id)
            .unwrap()
            .1,
        "名前を変えたシート"
    );
    // The base is untouched: what the department received.
    assert_eq!(
        &native
            .meta
            .projects
            .iter()
            .find(|b| b.id == before.id)
            .unwrap()
            .project,
        before
    );
}

#[test]
fn schedule_cells_are_read_by_colour_and_text() {
    let plan = sample();
    let dir = tempfile::tempdir().unwrap();
    let (path, mut wb) = dept_workbook(&plan, dir.path());
    let idx = wb
        .sheets
        .iter()
        .position(|g| !g.hidden && g.name != "表紙")
        .unwrap();
    let g = &mut wb.sheets[idx];
    let r = row_of(g, "スケジュール") + 1;
    // Clear every year, then mark 2024 with a phase and 2025 with a bullet.
    for c in 1..=4 {
        g.cells.remove(&(r, c));
    }
    set_text(g, r, 3, "構築");
    set_text(g, r, 4, "●");
    set_text(g, r, 5, "確定");
    let native = read_native(&path, &wb).unwrap().unwrap();
    let id = &department_subset(&plan, &unit_id(&plan, "情報政策課")).projects[0].schedule[0].id;
    let t = native.plan.projects[0]
        .schedule
        .iter()
        .find(|t| &t.id == id)
        .unwrap();
    assert_eq!((t.start_fy, t.end_fy, t.confirmed), (2024, 2025, true));
    assert_eq!(t.phases.get(&2024).map(String::as_str), Some("構築"));
    assert_eq!(t.phases.len(), 1);
}

#[test]
fn unreadable_cells_are_errors_naming_the_cell() {
    let plan = sample();
    let dir = tempfile::tempdir().unwrap();
    let (path, mut wb) = dept_workbook(&plan, dir.path());
    let idx = wb
        .sheets
        .iter()
        .position(|g| !g.hidden && g.name != "表紙")
        .unwrap();
    let name = wb.sheets[idx].name.clone();
    let g = &mut wb.sheets[idx];
    let budget = row_of(g, "年度経費（LCC）（千円）");
    set_text(g, budget, 2, "たくさん");
    let status = row_of(g, "状態");
    set_text(g, status, 1, "たぶん");
    let urgency = row_of(g, "緊急度（0～100）");
    set_text(g, urgency, 1, "150");
    let err = read_native(&path, &wb).unwrap_err();
    let ImportError::NativeCells { file, cells } = &err else {
        panic!("{err}")
    };
    assert_eq!(file, &path);
    let at: Vec<&str> = cells.iter().map(|(a, _)| a.as_str()).collect();
    assert!(
        at.contains(&format!("{name}!C{}", budget + 1).as_str()),
        "{at:?}"
    );
    assert!(
        at.contains(&format!("{name}!B{}", status + 1).as_str()),
        "{at:?}"
    );
    assert!(
        at.contains(&format!("{name}!B{}", urgency + 1).as_str()),
        "{at:?}"
    );
    let msg = err.to_string();
    assert!(msg.contains("dept.xlsx") && msg.contains(&name), "{msg}");
}

#[test]
fn a_changed_or_missing_hidden_sheet_is_refused() {
    let plan = sample();
    let dir = tempfile::tempdir().unwrap();
    let (path, wb) = dept_workbook(&plan, dir.path());
    // Tampered: one character of the base values.
    let mut tampered = workbook::open(&path).unwrap();
    let meta = tampered
        .sheets
        .iter_mut()
        .find(|g| g.name == "_dxplan")
        .unwrap();
    let cell = meta
        .cells
        .values_mut()
        .find(|c| c.text.contains("\"title\""))
        .unwrap();
    cell.text = cell.text.replacen("\"title\":\"", "\"title\":\"X", 1);
    let err = read_native(&path, &tampered).unwrap_err();
    assert!(matches!(err, ImportError::NativeMeta { .. }), "{err}");
    assert!(err.to_string().contains("dept.xlsx"));
    // Missing.
    let mut missing = wb;
    missing.sheets.retain(|g| g.name != "_dxplan");
    let err = read_native(&path, &missing).unwrap_err();
    assert!(matches!(err, ImportError::NativeMeta { .. }), "{err}");
    // A copied project sheet is refused too.
    let mut copied = workbook::open(&path).unwrap();
    let dup = copied
        .sheets
        .iter()
        .find(|g| !g.hidden && g.name != "表紙")
        .unwrap()
        .clone();
    copied.sheets.push(Grid {
        name: "コピー".into(),
        ..dup
    });
    assert!(matches!(
        read_native(&path, &copied).unwrap_err(),
        ImportError::NativeCells { .. }
    ));
}

#[test]
fn a_workbook_dxplan_did_not_write_is_not_native() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("legacy.xlsx");
    let mut wb = rust_xlsxwriter::Workbook::new();
    wb.add_worksheet().write_string(0, 0, "取組名").unwrap();
    wb.save(&path).unwrap();
    let wb = workbook::open(&path).unwrap();
    assert!(read_native(&path, &wb).unwrap().is_none());
}

#[test]
fn a_failed_export_leaves_no_file_and_a_good_one_replaces_the_old() {
    let plan = sample();
    let dir = tempfile::tempdir().unwrap();
    // Over-long text: refused, naming the cell, and nothing left behind.
    let mut long = plan.clone();
    long.projects[0].texts.summary = "あ".repeat(40_000);
    let path = dir.path().join("out.xlsx");
    let err = write_master(&long, &path, &ExportOptions::default()).unwrap_err();
    assert!(
        err.to_string().contains("out.xlsx") && err.to_string().contains("32,767"),
        "{err}"
    );
    assert!(
        std::fs::read_dir(dir.path()).unwrap().next().is_none(),
        "files left behind"
    );
    // Unwritable directory.
    let err = write_master(
        &plan,
        &dir.path().join("no/such/dir/x.xlsx"),
        &ExportOptions::default(),
    )
    .unwrap_err();
    assert!(err.to_string().contains("x.xlsx"), "{err}");
    // Replace an existing file atomically.
    std::fs::write(&path, b"old").unwrap();
    write_master(&plan, &path, &ExportOptions::default()).unwrap();
    assert!(workbook::open(&path).is_ok());
    assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 1);
    // Unknown unit.
    assert!(write_department(&plan, "no-such-unit", &path, &ExportOptions::default()).is_err());
}

#[test]
fn cli_exports_department_and_master() {
    use std::process::Command;
    let dir = tempfile::tempdir().unwrap();
    let plan = dir.path().join("onojo.dxplan");
    let bin = env!("CARGO_BIN_EXE_dxplan");
    let run = |args: &[&str]| Command::new(bin).args(args).output().unwrap();
    assert!(run(&["sample", plan.to_str().unwrap()]).status.success());
    let out = dir.path().join("情報政策課.xlsx");
    let o = run(&[
        "export",
        plan.to_str().unwrap(),
        "--department",
        "情報政策課",
        "-o",
        out.to_str().unwrap(),
    ]);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let wb = workbook::open(&out).unwrap();
    let native = read_native(&out, &wb).unwrap().unwrap();
    assert!(native.meta.projects.iter().all(|b| b.revision.is_some()));
    let o = run(&[
        "export",
        plan.to_str().unwrap(),
        "--department",
        "存在しない課",
        "-o",
        out.to_str().unwrap(),
    ]);
    assert_eq!(o.status.code(), Some(2));
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(
        err.contains("存在しない課") && err.contains("情報政策課"),
        "{err}"
    );
    let m = dir.path().join("master.xlsx");
    let o = run(&["export", plan.to_str().unwrap(), "-o", m.to_str().unwrap()]);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let wb = workbook::open(&m).unwrap();
    let native = read_native(&m, &wb).unwrap().unwrap();
    assert_eq!(native.plan.projects.len(), 30);
}

/// Saved again by LibreOffice (as a department would), as .xlsx and as .ods: still read back
/// as the same plan. Skipped when soffice is not installed (scripts/test.sh installs it).
#[test]
fn libreoffice_resaved_workbooks_read_back() {
    use std::process::Command;
    if Command::new("soffice").arg("--version").output().is_err() {
        eprintln!("soffice not installed: skipped");
        return;
    }
    let plan = sample();
    let dir = tempfile::tempdir().unwrap();
    let unit = unit_id(&plan, "情報政策課");
    let src = dir.path().join("dept.xlsx");
    write_department(&plan, &unit, &src, &ExportOptions::default()).unwrap();
    let profile = format!(
        "-env:UserInstallation=file://{}",
        dir.path().join("profile").display()
    );
    for (fmt, ext) in [("xlsx:Calc MS Excel 2007 XML", "xlsx"), ("ods", "ods")] {
        let out = dir.path().join(ext);
        let o = Command::new("soffice")
            .args([
                profile.as_str(),
                "--headless",
                "--convert-to",
                fmt,
                "--outdir",
                out.to_str().unwrap(),
                src.to_str().unwrap(),
            ])
            .output()
            .unwrap();
        let resaved = out.join(format!("dept.{ext}"));
        assert!(resaved.exists(), "{}", String::from_utf8_lossy(&o.stderr));
        let wb = workbook::open(&resaved).unwrap();
        let native = read_native(&resaved, &wb)
            .unwrap_or_else(|e| panic!("{ext}: {e}"))
            .unwrap();
        assert_same_plan(&native.plan, &department_subset(&plan, &unit));
        if ext == "ods" {
            // No cell colours in what the reader sees of .ods: task years kept, and said so.
            assert!(
                native.warnings.iter().all(|w| w.contains("工程")),
                "{:?}",
                native.warnings
            );
        }
    }
}

/// A temp file an interrupted export left beside the target is removed by the next export to
/// that target once it is old; a recent one (another export in progress) is left alone.
#[test]
fn an_interrupted_exports_old_temp_file_is_cleaned_up() {
    let dir = tempfile::tempdir().unwrap();
    let target = dir.path().join("計画.xlsx");
    let old = dir.path().join(".計画.xlsx.0123abcd.tmp");
    let recent = dir.path().join(".計画.xlsx.4567ef01.tmp");
    let other = dir.path().join(".別の計画.xlsx.89ab.tmp");
    for f in [&old, &recent, &other] {
        std::fs::write(f, b"PK partial").unwrap();
    }
    let hour_ago = std::time::SystemTime::now() - std::time::Duration::from_secs(3600);
    for f in [&old, &other] {
        std::fs::File::options()
            .write(true)
            .open(f)
            .unwrap()
            .set_modified(hour_ago)
            .unwrap();
    }
    write_master(&sample(), &target, &ExportOptions::default()).unwrap();
    assert!(target.exists());
    assert!(
        !old.exists(),
        "the stale temp file of this target is removed"
    );
    assert!(recent.exists(), "a recent one may be an export in progress");
    assert!(other.exists(), "another target's file is not touched");
}
