//! `dxplan export PLAN [--department 課名] [--deadline 期限] -o FILE.xlsx` and
//! `dxplan exports PLAN [--json]` (the export register).

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
    output: &Path,
) -> Result<(), CliError> {
    let store = Store::open(plan_path)?;
    let opts = ExportOptions {
        deadline,
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
            export_department(&store, &plan, &unit.id, output, &opts)?
        }
        None => export_master(&store, &store.load_plan()?, output, &opts)?,
    };
    println!(
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
    let exports = Store::open(plan_path)?.exports()?;
    if json {
        serde_json::to_writer_pretty(std::io::stdout().lock(), &exports)?;
        println!();
        return Ok(());
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
        println!(
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
    println!("{} 件 / {} export(s)", exports.len(), exports.len());
    Ok(())
}
