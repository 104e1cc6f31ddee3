//! `dxplan report PLAN -o 報告書.pdf [--fy 年度] [--version 版] [--department 課名]`: the
//! committee report (`workspace::write_report`). Reads the plan only: the plan file is opened
//! read-only.

use std::path::Path;

use super::CliError;
use crate::model::FiscalYear;
use crate::workspace::{self, ReportRequest};

pub fn run(
    plan_path: &Path,
    fy: Option<FiscalYear>,
    version: Option<&str>,
    department: Option<&str>,
    output: &Path,
) -> Result<(), CliError> {
    let request = ReportRequest {
        fiscal_year: fy,
        version: version.map(str::to_string),
        department: department.map(str::to_string),
    };
    let (summary, fy) = workspace::write_report(plan_path, &request, output)?;
    outln!(
        "書き出しました / written: {} （{} ページ、事業 {} 件、{}年度）",
        output.display(),
        summary.pages,
        summary.projects,
        fy
    );
    Ok(())
}
