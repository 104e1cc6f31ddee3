//! Inputs of the benchmark suite (issue 7; scripts/bench.sh runs it, bench/suite.py times it).
//!
//! `cargo bench --bench suite -- prep WORK N…` writes, for each plan size N, into WORK/nN/:
//! - `plan.dxplan`: a generated plan of N projects whose owners are spread over 50 units (lead:
//!   project i → unit i mod 50; every 6th project also has a co-owner), so 50 department
//!   submissions hold about N/50 + N/300 projects each (about 23 at N = 1,000);
//! - `empty.dxplan`: an empty plan of the same period (what the import writes into);
//! - `legacy.xlsx`: the plan as a legacy one-sheet-per-project workbook (as benches/import.rs);
//!   above 2,000 projects `legacy-1.xlsx`, `legacy-2.xlsx`, … of 2,000 sheets each, imported
//!   together in one `dxplan import` (as several offices' workbooks would be);
//! - `master.xlsx`: `dxplan export` of the plan (what the openpyxl scripts read and write);
//! - `dept/dNN.xlsx`: the 50 department workbooks, each edited the way a person edits in Excel
//!   (tests/support/xlsx_edit.rs): for up to 5 of its projects the 内容 text, a KPI actual and a
//!   planned budget cell; after the export the office changes the budget of each department's
//!   first project centrally, so the merge applies changes and records conflicts;
//! - `master_cells.json`, `dept_cells.json`: the cells of master.xlsx and dept/d01.xlsx, which the
//!   openpyxl scripts write (values only: no styles, merges or validation);
//! - up to 1,000 projects, issue 18's merge: `plan12.dxplan`, the same plan with its owners spread
//!   over 12 units, and `answers/dKK-J.xlsx`, 50 answers to those 12 departments' exports (each
//!   department answering four or five times, each answer edited differently and saved at a time
//!   of its own, as a department sends a corrected workbook again): about 4,800 project sheets.
//!
//! Without `prep` (as `cargo test --benches` or `cargo check --benches` build it) it does nothing.

#[path = "support/plans.rs"]
mod plans;
#[path = "../tests/support/xlsx_edit.rs"]
mod xlsx_edit;

use std::path::Path;

use dxplan::export::{department_projects, export_department, export_master, ExportOptions};
use dxplan::model::*;
use dxplan::store::{OpInfo, OpKind, Store};
use plans::{edit_submission, spread_owners, write_legacy};

const DEPARTMENTS: usize = 50;
/// Project sheets per legacy workbook.
const LEGACY_SHEETS: usize = 2_000;
/// Issue 18's merge: 50 answers of 12 departments (the first two answer five times, the rest four).
const ANSWERING: usize = 12;

/// (sheet, cells) of a workbook, for the openpyxl writer, read with calamine directly (values
/// as they are, no layout recognition).
fn cells_json(path: &Path, out: &Path) {
    use calamine::{Data, Reader};
    let mut wb: calamine::Xlsx<_> = calamine::open_workbook(path).expect("open exported workbook");
    let mut data = Vec::new();
    for name in wb.sheet_names() {
        let range = wb.worksheet_range(&name).expect("sheet");
        let (r0, c0) = range.start().unwrap_or((0, 0));
        let cells: Vec<serde_json::Value> = range
            .used_cells()
            .filter_map(|(r, c, v)| {
                let (r, c) = (r0 as usize + r, c0 as usize + c);
                match v {
                    Data::Empty => None,
                    Data::String(s) if s.is_empty() => None,
                    Data::Float(f) => Some(serde_json::json!([r, c, f])),
                    Data::Int(i) => Some(serde_json::json!([r, c, i])),
                    other => Some(serde_json::json!([r, c, other.to_string()])),
                }
            })
            .collect();
        data.push(serde_json::json!({"name": name, "cells": cells}));
    }
    std::fs::write(out, serde_json::to_vec(&data).expect("json")).expect("write json");
}

fn prep(work: &Path, n: usize) {
    let dir = work.join(format!("n{n}"));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(dir.join("dept")).expect("mkdir");
    let plan = spread_owners(dxplan::generate::generate(n, 7), DEPARTMENTS);
    let plan_path = dir.join("plan.dxplan");
    let mut store = Store::create(&plan_path, &plan.info).expect("create plan");
    store
        .write(OpInfo::new(OpKind::Generate).source("bench suite"), |w| {
            w.put_contents(&plan)
        })
        .expect("write plan");
    let mut info = plan.info.clone();
    info.id = new_id();
    drop(Store::create(&dir.join("empty.dxplan"), &info).expect("create empty plan"));
    // A larger plan is imported from several workbooks, in one `dxplan import` (one transaction).
    if plan.projects.len() <= LEGACY_SHEETS {
        write_legacy(&plan, &dir.join("legacy.xlsx"));
    } else {
        for (k, chunk) in plan.projects.chunks(LEGACY_SHEETS).enumerate() {
            let part = Plan {
                projects: chunk.to_vec(),
                ..plan.clone()
            };
            write_legacy(&part, &dir.join(format!("legacy-{}.xlsx", k + 1)));
        }
    }

    let plan = store.load_plan().expect("load");
    let mut opts = ExportOptions::default();
    for p in &plan.projects {
        if let Some(r) = store.project_revision(&p.id).expect("revision") {
            opts.revisions.insert(p.id.clone(), r);
        }
    }
    export_master(&store, &plan, &dir.join("master.xlsx"), &opts).expect("export master");
    cells_json(&dir.join("master.xlsx"), &dir.join("master_cells.json"));

    let fy0 = plan.info.first_fy;
    let mut edits = 0;
    let mut central: Vec<String> = Vec::new();
    for (k, unit) in plan.org_units.iter().enumerate() {
        let file = dir.join(format!("dept/d{:02}.xlsx", k + 1));
        export_department(&store, &plan, &unit.id, &file, &opts).expect("export department");
        edits += edit_submission(&plan, unit, &file, 5, k);
        let projects = department_projects(&plan, &unit.id);
        if k == 0 {
            cells_json(&file, &dir.join("dept_cells.json"));
        }
        if let Some(p) = projects.first() {
            central.push(p.id.clone());
        }
    }
    // The office, meanwhile, changes the budget the departments also change: conflicts.
    central.sort();
    central.dedup();
    store
        .write(OpInfo::new(OpKind::LocalEdit), |w| {
            for id in &central {
                let mut p = w.load_project(id)?.expect("project");
                if let Some(b) = p.budget.iter_mut().find(|b| b.fiscal_year == fy0 + 3) {
                    b.planned_thousand_yen = Some(99_000);
                }
                w.save_project(&p)?;
            }
            Ok(())
        })
        .expect("central edits");
    drop(store);
    let per: Vec<usize> = plan
        .org_units
        .iter()
        .map(|u| department_projects(&plan, &u.id).len())
        .collect();
    println!(
        "n{n}: {} projects, 50 submissions of {}–{} projects ({} in all), {edits} cells edited, {} central edits",
        plan.projects.len(),
        per.iter().min().unwrap_or(&0),
        per.iter().max().unwrap_or(&0),
        per.iter().sum::<usize>(),
        central.len()
    );
}

/// Issue 18's merge input: 12 departments of the plan, each answering its export four or five
/// times (50 workbooks), into WORK/nN/answers/ beside `plan12.dxplan`.
fn prep_answers(dir: &Path, n: usize) {
    let plan = spread_owners(dxplan::generate::generate(n, 7), ANSWERING);
    let plan_path = dir.join("plan12.dxplan");
    let mut store = Store::create(&plan_path, &plan.info).expect("create plan");
    store
        .write(OpInfo::new(OpKind::Generate).source("bench suite"), |w| {
            w.put_contents(&plan)
        })
        .expect("write plan");
    let plan = store.load_plan().expect("load");
    let mut opts = ExportOptions::default();
    for p in &plan.projects {
        if let Some(r) = store.project_revision(&p.id).expect("revision") {
            opts.revisions.insert(p.id.clone(), r);
        }
    }
    std::fs::create_dir_all(dir.join("answers")).expect("mkdir");
    let (mut files, mut sheets) = (0, 0);
    for (k, unit) in plan.org_units.iter().enumerate() {
        let export = dir.join(format!("answers/d{:02}-export.xlsx", k + 1));
        export_department(&store, &plan, &unit.id, &export, &opts).expect("export department");
        let times = if k < 2 { 5 } else { 4 };
        for j in 1..=times {
            let file = dir.join(format!("answers/d{:02}-{j}.xlsx", k + 1));
            std::fs::copy(&export, &file).expect("copy export");
            edit_submission(&plan, unit, &file, 5, k * 7 + j);
            let mut x = xlsx_edit::Xlsx::open(&file);
            x.set_saved_at(&format!("2027-01-{:02}T{:02}:00:00Z", 10 + j, k + 1));
            x.save(&file);
            files += 1;
            sheets += department_projects(&plan, &unit.id).len();
        }
        std::fs::remove_file(&export).expect("remove export");
    }
    println!("n{n}: issue 18's merge: {files} answers of {ANSWERING} departments, {sheets} project sheets");
}

fn main() {
    let args: Vec<String> = std::env::args()
        .skip(1)
        .filter(|a| a != "--bench")
        .collect();
    if args.first().map(String::as_str) != Some("prep") {
        return;
    }
    let work = Path::new(args.get(1).expect("prep WORK N…"));
    for n in &args[2..] {
        let n = n.parse().expect("a plan size");
        prep(work, n);
        if n <= 1_000 {
            prep_answers(&work.join(format!("n{n}")), n);
        }
    }
}
