//! The project sheet's summary row is labelled 「概要」 like the field everywhere else; workbooks
//! already in the field say 「内容」. Both are read: by the hidden keys (merge) and by the
//! labels alone (values pasted into another workbook, imported).

use std::path::Path;

use crate::common::{self, dxplan, export_for_department, p};
use crate::support::cells::cell_of;
use crate::support::copy_values::copy_values;
use crate::support::xlsx_edit::{a1, Xlsx};
use dxplan::export::layout::RowKey;
use dxplan::store::Store;

/// Every summary label cell (「概要」 in column A… of a project sheet) renamed to 「内容」, as
/// a workbook exported before the rename reads. Returns how many were renamed.
fn relabel_as_old(file: &Path) -> usize {
    let wb = dxplan::workbook::open(file).unwrap();
    let mut x = Xlsx::open(file);
    let mut n = 0;
    for g in wb.sheets.iter().filter(|g| !g.hidden) {
        let at: Vec<(u32, u32)> = g
            .cells
            .iter()
            .filter(|(_, c)| c.text == "概要")
            .map(|(&rc, _)| rc)
            .collect();
        for (r, c) in at {
            x.set(&g.name, &a1(r, c), Some("内容"));
            n += 1;
        }
    }
    x.save(file);
    n
}

#[test]
fn the_summary_row_says_gaiyou_and_an_old_naiyou_workbook_still_merges() {
    let dir = tempfile::tempdir().unwrap();
    let plan = common::sample_plan(dir.path(), "plan.dxplan");
    let book = dir.path().join("情報政策課.xlsx");
    export_for_department(&plan, "情報政策課", &book);
    let wb = dxplan::workbook::open(&book).unwrap();
    let labels: Vec<&str> = wb
        .sheets
        .iter()
        .flat_map(|g| g.cells.values())
        .map(|c| c.text.as_str())
        .collect();
    assert!(labels.contains(&"概要"), "the new label");
    assert!(!labels.contains(&"内容"), "no row still labelled 内容");

    // The same workbook as one sent before the rename, answered with a new summary.
    let sample = Store::open_read_only(&plan).unwrap().load_plan().unwrap();
    let unit = sample
        .org_units
        .iter()
        .find(|u| u.name == "情報政策課")
        .unwrap();
    let pr = sample
        .projects
        .iter()
        .find(|q| q.owners[0].unit_id == unit.id)
        .unwrap();
    let old = dir.path().join("old.xlsx");
    std::fs::copy(&book, &old).unwrap();
    assert!(relabel_as_old(&old) >= 1);
    let (sheet, cell) = cell_of(&old, &pr.id, |k| *k == RowKey::Summary, None);
    let mut x = Xlsx::open(&old);
    x.set(&sheet, &cell, Some("旧様式のブックで直した概要"));
    x.save(&old);
    let out = dxplan(&["merge", p(&plan), p(&old)]).expect_ok("merge the old workbook");
    assert!(out.stdout.contains("反映"), "{}", out.stdout);
    let now = Store::open_read_only(&plan)
        .unwrap()
        .load_project(&pr.id)
        .unwrap()
        .unwrap();
    assert_eq!(now.texts.summary, "旧様式のブックで直した概要");
}

#[test]
fn an_old_naiyou_sheet_read_by_its_labels_keeps_every_summary() {
    let dir = tempfile::tempdir().unwrap();
    let plan = common::sample_plan(dir.path(), "sample.dxplan");
    let master = dir.path().join("master.xlsx");
    dxplan(&["export", p(&plan), "-o", p(&master)]).expect_ok("export master");
    let copy = dir.path().join("copy.xlsx");
    copy_values(&master, &copy);
    assert_eq!(
        relabel_as_old(&copy),
        30,
        "one summary row per project sheet"
    );
    let fresh = common::new_plan(dir.path(), "fresh.dxplan", "2022-2025");
    let rep = common::import_json(&fresh, &[&copy]);
    assert_eq!(rep["summary"]["projects_new"], 30, "{}", rep["summary"]);
    let src = Store::open_read_only(&plan).unwrap().load_plan().unwrap();
    let got = Store::open_read_only(&fresh).unwrap().load_plan().unwrap();
    for s in &src.projects {
        let g = got
            .projects
            .iter()
            .find(|g| g.title == s.title)
            .unwrap_or_else(|| panic!("{} imported", s.title));
        assert_eq!(g.texts.summary, s.texts.summary, "{}", s.title);
    }
}
