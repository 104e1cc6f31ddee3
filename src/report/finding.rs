//! What a lint finds, shared by the lints of a plan (`lints`), of its roll-ups
//! (`rollup_check`) and of its indicator definitions across versions (`definitions`).

use serde::Serialize;

/// What a lint found.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum LintKind {
    /// A KGI differs from the last KPI.
    KgiDiffersFromLastKpi,
    /// A cumulative indicator falls.
    CumulativeFalls,
    /// A negative amount.
    NegativeMoney,
    /// 一般財源 over 事業費.
    GeneralRevenueExceedsPlanned,
    /// A marker without its footnote.
    FootnoteWithoutNote,
    /// No owner.
    NoOwner,
    /// A year outside the plan period.
    OutsidePeriod,
    /// An indicator's name, unit or denominator changed between versions (`report::definitions`).
    IndicatorDefinitionChanged,
    /// A roll-up indicator's typed value differs from the sum of its components.
    RollupDisagrees,
    /// Roll-up links that come back to where they started.
    RollupCycle,
    /// A roll-up and its components (or the components among themselves) in different units.
    RollupUnitMismatch,
    /// A roll-up names a component indicator that is no longer in the plan.
    RollupMissingComponent,
    /// A value written in another unit than its indicator's (「12件」 in a 人 indicator): its
    /// achievement rate is missing or wrong.
    UnitMismatch,
}

/// One finding.
#[derive(Debug, Clone, Serialize)]
pub struct Lint {
    /// The project's id.
    pub project_id: String,
    /// The project's display code.
    pub project_code: String,
    /// The project's title.
    pub project_title: String,
    /// What was found.
    pub kind: LintKind,
    /// Japanese, then English.
    pub message: String,
    /// The field it is about (`model::fields` path: `budget/2024/planned`,
    /// `indicator/<id>/2025/target`, `owners` …), so a screen can go to that cell.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub field: String,
}
