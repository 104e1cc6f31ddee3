//! `dxplan export PLAN [--department 課名 [--fy 年度]] [--deadline 期限] [--open-past-years] -o FILE.xlsx`
//! and `dxplan exports PLAN [--json]` (the export register).

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
    // Writable: the export is recorded in the plan's register.
    let store = Store::open(plan_path)?;
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
            opts.fiscal_year = Some(fy);
            opts.roster = cover_roster(&store, &unit, fy)?;
            export_department(&store, &plan, &unit.id, output, &opts)?
        }
        None => {
            let plan = store.load_plan()?;
            export_master(&store, &plan, output, &opts)?
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

/// `dxplan exports PLAN [--json]`: what the plan sent out (and, in a working copy, wrote back).
pub fn list(plan_path: &Path, json: bool) -> Result<(), CliError> {
    let exports = Store::open_read_only(plan_path)?.exports()?;
    if json {
        return super::output::json(&exports, false);
    }
    for e in &exports {
        let kind = match e.kind {
            crate::store::RegisterKind::Department => "課別 / department",
            crate::store::RegisterKind::Master => "全体 / master",
            crate::store::RegisterKind::Submission => "提出 / submission",
        };
        let projects = e
            .projects
            .as_ref()
            .map_or_else(|| "不明 / unknown".to_string(), |p| p.len().to_string());
        outln!(
            "#{} {} {} {} 事業 {} 件 書出し {} dxplan {}{}",
            e.seq,
            kind,
            e.export_id,
            if e.department.is_empty() {
                "-"
            } else {
                &e.department
            },
            projects,
            e.exported_at,
            if e.dxplan_version.is_empty() {
                "?"
            } else {
                &e.dxplan_version
            },
            if e.recovered {
                "（旧版の書き出し、提出記録から復元 / older export, recovered from the submissions log）"
            } else {
                ""
            }
        );
    }
    outln!("{} 件 / {} export(s)", exports.len(), exports.len());
    Ok(())
}
