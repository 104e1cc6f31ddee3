//! Progress (進捗) of a fiscal year counted per 基本方針: how many projects are 順調, 遅れ …
//! on the plan's scale (`model::scale`), for a round's status, the master workbook's
//! 「進捗集計」 sheet and the dashboard. A project counts under the policy of its primary
//! measure (as the budget totals do); proposals are not counted.

use std::collections::HashMap;

use serde::Serialize;

use crate::model::codes::policy_code;
use crate::model::scale::ProgressScale;
use crate::model::{FiscalYear, Id, Plan, ProjectStatus};

/// One row: a 基本方針 (or the total).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct ProgressRow {
    /// None for the total row and for projects under no policy.
    pub policy_id: Option<Id>,
    /// 「Ⅰ」; empty for the total.
    pub code: String,
    /// The policy's title, 「合計」 or 「（基本方針なし）」.
    pub title: String,
    /// Projects per status of the scale, in the scale's order.
    pub status: Vec<usize>,
    /// A status written that is not on the scale.
    pub other_status: usize,
    /// No status written for the year.
    pub no_status: usize,
    /// Projects per evaluation of the scale, in the scale's order.
    pub evaluation: Vec<usize>,
    /// An evaluation written that is not on the scale.
    pub other_evaluation: usize,
    /// No evaluation written for the year.
    pub no_evaluation: usize,
    /// Projects counted (proposals are not).
    pub projects: usize,
}

/// Projects per 状況 and 評価 of one fiscal year, per 基本方針 and in total.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ProgressCounts {
    /// The year counted.
    pub fiscal_year: FiscalYear,
    /// The plan's scale the counts are aligned with.
    pub scale: ProgressScale,
    /// Per policy in plan order; a row 「（基本方針なし）」 last when some project has none.
    pub rows: Vec<ProgressRow>,
    /// Every counted project.
    pub total: ProgressRow,
}

fn add(row: &mut ProgressRow, scale: &ProgressScale, status: &str, evaluation: &str) {
    row.projects += 1;
    match (status.trim().is_empty(), scale.status_index(status)) {
        (true, _) => row.no_status += 1,
        (false, Some(i)) => row.status[i] += 1,
        (false, None) => row.other_status += 1,
    }
    let n = crate::parse::label::normalize_label(evaluation);
    let at = scale
        .evaluation
        .iter()
        .position(|e| crate::parse::label::normalize_label(e) == n);
    match (evaluation.trim().is_empty(), at) {
        (true, _) => row.no_evaluation += 1,
        (false, Some(i)) => row.evaluation[i] += 1,
        (false, None) => row.other_evaluation += 1,
    }
}

/// The counts of `fy` per policy.
pub fn progress_counts(plan: &Plan, fy: FiscalYear, scale: &ProgressScale) -> ProgressCounts {
    let empty = |policy_id: Option<Id>, code: String, title: String| ProgressRow {
        policy_id,
        code,
        title,
        status: vec![0; scale.status.len()],
        evaluation: vec![0; scale.evaluation.len()],
        ..ProgressRow::default()
    };
    let mut rows: Vec<ProgressRow> = plan
        .policies
        .iter()
        .map(|p| empty(Some(p.id.clone()), policy_code(p.position), p.title.clone()))
        .collect();
    let row_of: HashMap<&str, usize> = plan
        .policies
        .iter()
        .enumerate()
        .map(|(i, p)| (p.id.as_str(), i))
        .collect();
    let policy_of: HashMap<&str, &str> = plan
        .measures
        .iter()
        .map(|m| (m.id.as_str(), m.policy_id.as_str()))
        .collect();
    let mut none = empty(None, String::new(), "（基本方針なし）".into());
    let mut total = empty(None, String::new(), "合計".into());
    for p in plan
        .projects
        .iter()
        .filter(|p| p.status != ProjectStatus::Proposed)
    {
        let (status, evaluation) = p
            .progress
            .iter()
            .find(|g| g.fiscal_year == fy)
            .map_or(("", ""), |g| (g.status.as_str(), g.evaluation.as_str()));
        let row = p
            .measure_ids
            .first()
            .and_then(|m| policy_of.get(m.as_str()))
            .and_then(|pid| row_of.get(pid));
        match row {
            Some(&i) => add(&mut rows[i], scale, status, evaluation),
            None => add(&mut none, scale, status, evaluation),
        }
        add(&mut total, scale, status, evaluation);
    }
    if none.projects > 0 {
        rows.push(none);
    }
    ProgressCounts {
        fiscal_year: fy,
        scale: scale.clone(),
        rows,
        total,
    }
}

/// The fiscal years of the plan period in which some project has a progress status or
/// evaluation written.
pub fn years_with_progress(plan: &Plan) -> Vec<FiscalYear> {
    let mut years: Vec<FiscalYear> = plan
        .projects
        .iter()
        .flat_map(|p| p.progress.iter())
        .filter(|g| !g.status.trim().is_empty() || !g.evaluation.trim().is_empty())
        .map(|g| g.fiscal_year)
        .collect();
    years.sort_unstable();
    years.dedup();
    years
}
