//! `dxplan export PLAN [--department 課名 [--fy 年度]] [--deadline 期限] [--open-past-years] -o FILE.xlsx`
//! and `dxplan exports PLAN [--json]` (the export register).

use std::path::Path;

use super::CliError;
use crate::model::FiscalYear;
use crate::store::Store;
use crate::workspace::{self, Department, DepartmentExport};

pub fn run(
    plan_path: &Path,
    department: Option<&str>,
    deadline: Option<String>,
    open_past_years: bool,
    fy: Option<FiscalYear>,
    output: &Path,
) -> Result<(), CliError> {
    let summary = match department {
        Some(name) => workspace::export_department(
            plan_path,
            Department::Name(name),
            &DepartmentExport {
                fiscal_year: fy,
                deadline,
                open_past_years,
            },
            output,
        )?,
        None => workspace::export_master(plan_path, deadline, open_past_years, output)?,
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
