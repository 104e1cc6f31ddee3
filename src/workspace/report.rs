//! The committee report (報告書, `committee`): which plan, year and projects it is made of — the
//! plan as it stands or a recorded version, one department's projects in the report year — for
//! `dxplan report` (a plan path) and the app's 報告書 screen (an open plan). The plan is only
//! read.

use std::path::{Path, PathBuf};

use super::{Result, Workspace};
use crate::committee::{self, ReportData, ReportSummary, Scope};
use crate::export::{check_destination, department_subset};
use crate::model::{FiscalYear, Plan};
use crate::org::department::{current_fiscal_year, department_plan, unit_in_year};
use crate::store::Store;

pub use crate::committee::{CommitteeError, Typeset};

/// What a report is made of.
#[derive(Debug, Clone, Default)]
pub struct ReportRequest {
    /// The report year; None: this fiscal year, or the nearest year of the plan period.
    pub fiscal_year: Option<FiscalYear>,
    /// A recorded version (版) instead of the plan as it stands.
    pub version: Option<String>,
    /// Only the projects this unit (or a unit below it) owns in the report year.
    pub department: Option<String>,
}

/// The report year `request` asks for, or this fiscal year kept within the plan's period (a plan
/// that ended, or has not begun, reports on its nearest year).
pub fn report_year(plan: &Plan, request: &ReportRequest) -> FiscalYear {
    request.fiscal_year.unwrap_or_else(|| {
        current_fiscal_year().clamp(
            plan.info.first_fy,
            plan.info.last_fy.max(plan.info.first_fy),
        )
    })
}

/// Gathers the report's figures. `current` is the plan as it stands when the caller has it
/// loaded already (the app), read from the store otherwise.
fn gather(store: &Store, current: Option<&Plan>, request: &ReportRequest) -> Result<ReportData> {
    let version = request.version.as_deref().filter(|v| !v.trim().is_empty());
    let loaded;
    let mut plan: &Plan = match (version, current) {
        (None, Some(p)) => p,
        (Some(v), _) => {
            loaded = store.load_version(v)?;
            &loaded
        }
        (None, None) => {
            loaded = store.load_plan()?;
            &loaded
        }
    };
    let fy = report_year(plan, request);
    let mut unit_name = None;
    let subset;
    if let Some(name) = request
        .department
        .as_deref()
        .filter(|d| !d.trim().is_empty())
    {
        let unit = unit_in_year(store, plan, name, fy)?;
        // The projects the unit owned in that year, with that year's owners (as its workbook);
        // a recorded version is taken as it was recorded.
        subset = if version.is_none() {
            let skeleton = store.load_plan_of_units(&[])?;
            department_subset(&department_plan(store, &skeleton, &unit, fy)?, &unit.id)
        } else {
            department_subset(plan, &unit.id)
        };
        plan = &subset;
        unit_name = Some(unit.name);
    }
    let scale = store.progress_scale()?;
    let scope = Scope {
        fiscal_year: fy,
        version,
        department: unit_name.as_deref(),
        date: chrono::Local::now().date_naive(),
        scale: &scale,
        fonts: committee::font_families(committee::system_fonts_wanted()),
    };
    Ok(committee::gather(plan, &scope)?)
}

/// `dxplan report`: the report of the plan at `plan_path` (opened read-only) written to
/// `output` as PDF. Returns what was written and the report year.
pub fn write_report(
    plan_path: &Path,
    request: &ReportRequest,
    output: &Path,
) -> Result<(ReportSummary, FiscalYear)> {
    // Before anything is read: `-o` naming the plan (or its -wal) would replace it.
    check_destination(output, plan_path)?;
    let store = Store::open_read_only(plan_path)?;
    let data = gather(&store, None, request)?;
    let fy = data.years[data.report_year].fy;
    let summary = committee::write_report(&data, committee::system_fonts_wanted(), output)?;
    Ok((summary, fy))
}

impl Workspace {
    /// The committee report's figures for the open plan (or one of its versions).
    pub fn report_data(&self, request: &ReportRequest) -> Result<ReportData> {
        gather(self.store(), Some(self.plan()), request)
    }

    /// Writes a typeset report's PDF to `output` (never over the plan, its -wal or any SQLite
    /// file). Returns the path written.
    pub fn write_report_pdf(&self, pdf: &[u8], output: &Path) -> Result<PathBuf> {
        check_destination(output, self.path())?;
        committee::write_pdf(pdf, output)?;
        Ok(output.to_path_buf())
    }
}

/// Typesets a report gathered by [`Workspace::report_data`] (no lock on the plan is needed: the
/// data is a copy).
pub fn typeset_report(data: &ReportData) -> Result<Typeset> {
    Ok(committee::typeset(data, committee::system_fonts_wanted())?)
}
