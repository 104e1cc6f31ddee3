//! 照会 rounds from an open plan: whom a round would ask, starting one (every department's
//! workbook at once), who has answered, and the 督促 list.

use std::path::{Path, PathBuf};

use chrono::NaiveDate;

use super::{Result, Workspace, WorkspaceError};
use crate::model::FiscalYear;
use crate::report::progress::{progress_counts, ProgressCounts};
use crate::round::remind::{self, Reminder};
use crate::round::start::{self, RoundSpec, StartedRound};
use crate::round::status::RoundStatus;
use crate::round::{find_round, RoundError};
use crate::store::RoundRecord;

/// A unit a round would ask, with that year's names.
#[derive(Debug, Clone, serde::Serialize, serde::Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct RoundCandidate {
    /// The unit.
    pub unit_id: String,
    /// Its name that year.
    pub name: String,
    /// Its 部 that year, when it has one.
    pub parent: Option<String>,
}

impl From<RoundError> for WorkspaceError {
    fn from(e: RoundError) -> Self {
        match e {
            RoundError::Store(s) => s.into(),
            RoundError::Import(i) => i.into(),
            RoundError::Export(x) => x.into(),
            RoundError::Merge(m) => m.into(),
            other => WorkspaceError::Round(other.to_string()),
        }
    }
}

impl Workspace {
    /// The plan's rounds, oldest first.
    pub fn rounds(&self) -> Result<Vec<RoundRecord>> {
        Ok(self.store().rounds()?)
    }

    /// The units that own or co-own a project in `fy`: whom a round of that year asks.
    pub fn round_candidates(&self, fy: FiscalYear) -> Result<Vec<RoundCandidate>> {
        let units = start::owning_units(self.store(), fy)?;
        let all = crate::store::units::units_at(self.store().connection(), fy)?;
        Ok(units
            .into_iter()
            .map(|u| RoundCandidate {
                parent: u
                    .parent_id
                    .as_ref()
                    .and_then(|p| all.iter().find(|x| &x.id == p))
                    .map(|x| x.name.clone()),
                unit_id: u.id,
                name: u.name,
            })
            .collect())
    }

    /// Starts a round (the office's plan only): every department's workbook written into the
    /// spec's folder, registered under the round.
    pub fn start_round(&mut self, spec: &RoundSpec) -> Result<StartedRound> {
        self.office_only("照会の開始")?;
        if spec.dir.as_os_str().is_empty() {
            return Err(WorkspaceError::Invalid(
                "書き出し先のフォルダーを選んでください。".into(),
            ));
        }
        let plan_path = self.path().to_path_buf();
        Ok(start::start_round(self.store_mut()?, &plan_path, spec)?)
    }

    /// Who has answered a round (by id or title; the latest when None), counted on `as_of`
    /// (today when None).
    pub fn round_status(
        &self,
        round: Option<&str>,
        as_of: Option<NaiveDate>,
    ) -> Result<RoundStatus> {
        let r = find_round(self.store(), round)?;
        Ok(crate::round::status::round_status(self.store(), &r, as_of)?)
    }

    /// The 督促 list of a round: every department still to answer, with a draft message.
    pub fn round_reminders(&self, status: &RoundStatus) -> Result<Vec<Reminder>> {
        Ok(remind::reminders(status)?)
    }

    /// Writes the 督促 list as .xlsx or .csv (by the extension of `out`).
    pub fn write_round_reminders(&self, status: &RoundStatus, out: &Path) -> Result<PathBuf> {
        crate::export::check_destination(out, self.path())?;
        let lines = remind::reminders(status)?;
        remind::write_reminders(&lines, &status.round.round.title, out)?;
        Ok(out.to_path_buf())
    }

    /// Projects per 状況 and 評価 of `fy`, per 基本方針, on the plan's scale: the round's
    /// summary (`round status`, the master workbook's 「進捗集計」), for the dashboard. In a
    /// working copy, the projects it carries.
    pub fn progress_counts(&self, fy: FiscalYear) -> Result<ProgressCounts> {
        Ok(progress_counts(
            self.plan(),
            fy,
            &self.store().progress_scale()?,
        ))
    }
}
