//! `dxplan export PLAN [--department 課名] [--deadline 期限] [--open-past-years] -o FILE.xlsx`.

use std::path::Path;

use super::CliError;
use crate::export::{
    department_projects, export_department, export_master, unit_and_descendants, ExportOptions,
};
use crate::store::Store;

pub fn run(
    plan_path: &Path,
    department: Option<&str>,
    deadline: Option<String>,
    open_past_years: bool,
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
            // A department's workbook needs its own projects only: on a plan of thousands of
            // projects, reading them all would take most of the export's time.
            let skeleton = store.load_plan_of_units(&[])?;
            let wanted = crate::parse::label::normalize_label(name);
            let matches: Vec<_> = skeleton
                .org_units
                .iter()
                .filter(|u| crate::parse::label::normalize_label(&u.name) == wanted)
                .collect();
            let unit = match matches.as_slice() {
                [u] => *u,
                _ => {
                    let plan = store.load_plan()?;
                    let mut valid: Vec<String> = plan
                        .org_units
                        .iter()
                        .filter(|u| !department_projects(&plan, &u.id).is_empty())
                        .map(|u| u.name.clone())
                        .collect();
                    valid.dedup();
                    let name = if matches.is_empty() {
                        name.to_string()
                    } else {
                        format!("{name}（同名の組織が複数 / ambiguous）")
                    };
                    return Err(CliError::UnknownDepartment {
                        name,
                        valid: valid.join("、"),
                    });
                }
            };
            let units: Vec<String> = unit_and_descendants(&skeleton, &unit.id)
                .into_iter()
                .collect();
            let plan = store.load_plan_of_units(&units)?;
            // One query for all: each read of a plan opened to read is checked against changes
            // by other programs, which is cheap once and not per project.
            let mut all = store.project_revisions()?;
            for p in &plan.projects {
                opts.revisions
                    .extend(all.remove(&p.id).map(|r| (p.id.clone(), r)));
            }
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
