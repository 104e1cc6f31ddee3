//! Writing rounds, submission covers and answers: the writer's side of `rounds`.

use rusqlite::params;
use serde_json::Value as Json;

use super::error::{Result, StoreError};
use super::rounds::{
    answer_fields, open_conflicts_on, progress_scale, round_of_export, rounds, NewRound, RoundLink,
    RoundRecord, SubmissionCover, ViaRecord, EVALUATION_SCALE, STATUS_SCALE, VIA_COLS,
};
use super::write::Writer;
use crate::model::scale::ProgressScale;

impl Writer<'_> {
    /// Records a round; returns its id.
    pub fn create_round(&mut self, r: &NewRound) -> Result<i64> {
        self.tx.execute(
            "INSERT INTO round (title, deadline, fiscal_year, started_at, dir, op_id) VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
            params![
                r.title,
                r.deadline.format("%Y-%m-%d").to_string(),
                r.fiscal_year,
                chrono::Local::now().fixed_offset().to_rfc3339(),
                r.dir,
                self.op_id()
            ],
        )?;
        let id = self.tx.last_insert_rowid();
        self.log(
            None,
            &format!("round/{id}"),
            None,
            Some(&Json::String(r.title.clone())),
        )?;
        Ok(id)
    }

    /// Rounds, in order.
    pub fn rounds(&self) -> Result<Vec<RoundRecord>> {
        rounds(&self.tx)
    }

    /// The round an export was sent in.
    pub fn round_of_export(&self, export_id: &str) -> Result<Option<RoundLink>> {
        round_of_export(&self.tx, export_id)
    }

    pub(crate) fn record_cover(&mut self, submission_id: i64, c: &SubmissionCover) -> Result<()> {
        self.tx.execute(
            "INSERT INTO submission_cover (submission_id, respondent, contact, remarks, saved_at, refused)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6)
             ON CONFLICT(submission_id) DO UPDATE SET refused = excluded.refused",
            params![submission_id, c.respondent, c.contact, c.remarks, c.saved_at, c.refused],
        )?;
        Ok(())
    }

    /// What an answer stated for one field of a project (differing from its base).
    pub fn record_answer_field(
        &mut self,
        submission_id: i64,
        project_id: &str,
        field: &str,
        value: Option<&Json>,
    ) -> Result<()> {
        self.tx
            .prepare_cached(
                "INSERT OR REPLACE INTO answer_field (submission_id, project_id, field, value) VALUES (?1, ?2, ?3, ?4)",
            )?
            .execute(params![submission_id, project_id, field, value.map(|v| v.to_string())])?;
        Ok(())
    }

    pub(crate) fn answer_fields(
        &self,
        submission_id: i64,
        project_id: &str,
    ) -> Result<Vec<(String, Option<Json>)>> {
        answer_fields(&self.tx, submission_id, project_id)
    }

    pub(crate) fn record_via(&mut self, submission_id: i64, via: &[ViaRecord]) -> Result<()> {
        for (i, v) in via.iter().enumerate() {
            self.tx.execute(
                &format!("INSERT INTO submission_via ({VIA_COLS}, ord) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)"),
                params![submission_id, v.export_id, v.department_id, v.department, v.respondent, v.contact, v.remarks, v.saved_at, v.digest, i as i64],
            )?;
        }
        Ok(())
    }

    pub(crate) fn open_conflicts_on(
        &self,
        submission_id: i64,
        project_id: &str,
        field: &str,
    ) -> Result<Vec<i64>> {
        open_conflicts_on(&self.tx, submission_id, project_id, field)
    }

    /// Sets the plan's progress scale (a plan setting, logged); the default removes it.
    pub fn set_progress_scale(&mut self, scale: &ProgressScale) -> Result<()> {
        scale.check().map_err(StoreError::Invalid)?;
        let default = ProgressScale::default();
        let enc = |v: &Vec<String>| {
            serde_json::to_string(v).map_err(|e| StoreError::Invalid(e.to_string()))
        };
        let status = (scale.status != default.status)
            .then(|| enc(&scale.status))
            .transpose()?;
        let evaluation = (scale.evaluation != default.evaluation)
            .then(|| enc(&scale.evaluation))
            .transpose()?;
        self.set_setting(STATUS_SCALE, status.as_deref())?;
        self.set_setting(EVALUATION_SCALE, evaluation.as_deref())
    }

    /// The choices of the progress drop-downs.
    pub fn progress_scale(&self) -> Result<ProgressScale> {
        progress_scale(&self.tx)
    }
}
