//! `dxplan export PLAN [--department 課名 [--fy 年度]] [--deadline 期限] [--open-past-years] -o FILE.xlsx`.

use std::path::Path;

use super::CliError;
use crate::export::{export_department, export_master, ExportOptions};
use crate::model::FiscalYear;
use crate::org::department::{cover_roster, current_fiscal_year, department_plan, unit_in_year};
use crate::store::Store;

pub fn run(
    plan_path: &Path,
    department: Option<&str>,
    deadline: Option<String>,
    open_past_years: bool,
    fy: Option<FiscalYear>,
    output: &Path,
) -> Result<(), CliError> {
    // Before anything is read: `-o` naming the plan (or its -wal) would replace it.
    crate::export::check_destination(output, plan_path)?;
    let store = Store::open_read_only(plan_path)?;
    let locked_actuals_through = if open_past_years {
        None
    } else {
        store.settings()?.locked_actuals_through()
    };
    let mut opts = ExportOptions {
        deadline,
        locked_actuals_through,
        ..ExportOptions::default()
    };
    let summary = match department {
        Some(name) => {
            let fy = fy.unwrap_or_else(current_fiscal_year);
            // A department's workbook needs its own projects only: on a plan of thousands of
            // projects, reading them all would take most of the export's time.
            let skeleton = store.load_plan_of_units(&[])?;
            let unit = unit_in_year(&store, &skeleton, name, fy)?;
            let plan = department_plan(&store, &skeleton, &unit, fy)?;
            // One query for all: each read of a plan opened to read is checked against changes
            // by other programs, which is cheap once and not per project.
            let mut all = store.project_revisions()?;
            for p in &plan.projects {
                opts.revisions
                    .extend(all.remove(&p.id).map(|r| (p.id.clone(), r)));
            }
            opts.fiscal_year = Some(fy);
            opts.roster = cover_roster(&store, &unit, fy)?;
            export_department(&plan, &unit.id, output, &opts)?
        }
        None => {
            let plan = store.load_plan()?;
            opts.revisions.extend(store.project_revisions()?);
            export_master(&plan, output, &opts)?
        }
    };
    outln!(
        "書き出しました / exported: {} （事業 {} 件、シート {} 枚、書き出し ID {}）",
        output.display(),
        summary.projects.len(),
        summary.sheets.len(),
        summary.export_id
    );
    Ok(())
}
