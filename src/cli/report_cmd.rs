//! `dxplan report PLAN -o 報告書.pdf [--fy 年度] [--version 版] [--department 課名]`: the
//! committee report (`committee`). Reads the plan only: the plan file is opened read-only.

use std::path::Path;

use super::CliError;
use crate::committee::{self, Scope};
use crate::export::{check_destination, department_subset};
use crate::model::FiscalYear;
use crate::org::department::{current_fiscal_year, department_plan, unit_in_year};
use crate::store::Store;

pub fn run(
    plan_path: &Path,
    fy: Option<FiscalYear>,
    version: Option<&str>,
    department: Option<&str>,
    output: &Path,
) -> Result<(), CliError> {
    // Before anything is read: `-o` naming the plan (or its -wal) would replace it.
    check_destination(output, plan_path)?;
    let store = Store::open_read_only(plan_path)?;
    let mut plan = match version {
        Some(v) => store.load_version(v)?,
        None => store.load_plan()?,
    };
    // This year, or the nearest year of the period (a plan that ended, or not begun).
    let fy = fy.unwrap_or_else(|| {
        current_fiscal_year().clamp(
            plan.info.first_fy,
            plan.info.last_fy.max(plan.info.first_fy),
        )
    });
    let mut unit_name = None;
    if let Some(name) = department {
        let unit = unit_in_year(&store, &plan, name, fy)?;
        // The projects the unit owned in that year, with that year's owners (as its workbook);
        // a recorded version is taken as it was recorded.
        if version.is_none() {
            let skeleton = store.load_plan_of_units(&[])?;
            plan = department_plan(&store, &skeleton, &unit, fy)?;
        }
        plan = department_subset(&plan, &unit.id);
        unit_name = Some(unit.name);
    }
    let scale = store.progress_scale()?;
    let system_fonts = committee::system_fonts_wanted();
    let scope = Scope {
        fiscal_year: fy,
        version,
        department: unit_name.as_deref(),
        date: chrono::Local::now().date_naive(),
        scale: &scale,
        fonts: committee::font_families(system_fonts),
    };
    let data = committee::gather(&plan, &scope)?;
    let summary = committee::write_report(&data, system_fonts, output)?;
    outln!(
        "書き出しました / written: {} （{} ページ、事業 {} 件、{}年度）",
        output.display(),
        summary.pages,
        summary.projects,
        fy
    );
    Ok(())
}
