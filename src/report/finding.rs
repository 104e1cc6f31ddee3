//! What a lint finds, shared by the lints of a plan (`lints`), of its roll-ups
//! (`rollup_check`) and of its indicator definitions across versions (`definitions`).

use serde::{Deserialize, Serialize};

/// What a lint found.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
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

impl LintKind {
    /// Every kind.
    pub const ALL: [LintKind; 13] = [
        LintKind::KgiDiffersFromLastKpi,
        LintKind::CumulativeFalls,
        LintKind::NegativeMoney,
        LintKind::GeneralRevenueExceedsPlanned,
        LintKind::FootnoteWithoutNote,
        LintKind::NoOwner,
        LintKind::OutsidePeriod,
        LintKind::IndicatorDefinitionChanged,
        LintKind::RollupDisagrees,
        LintKind::RollupCycle,
        LintKind::RollupUnitMismatch,
        LintKind::RollupMissingComponent,
        LintKind::UnitMismatch,
    ];

    /// What the 点検 screen calls it.
    pub fn label(self) -> &'static str {
        match self {
            LintKind::KgiDiffersFromLastKpi => "KGI と最終年度の KPI 目標の不一致",
            LintKind::CumulativeFalls => "累計の指標が減少",
            LintKind::NegativeMoney => "負の金額",
            LintKind::GeneralRevenueExceedsPlanned => "一般財源が事業費を超過",
            LintKind::FootnoteWithoutNote => "注記の本文がない",
            LintKind::NoOwner => "担当課がない",
            LintKind::OutsidePeriod => "計画期間の外の年度",
            LintKind::IndicatorDefinitionChanged => "指標の定義が版の間で変更",
            LintKind::RollupDisagrees => "集計指標と構成指標の合計の不一致",
            LintKind::RollupCycle => "集計指標の循環",
            LintKind::RollupUnitMismatch => "集計指標の単位の不一致",
            LintKind::RollupMissingComponent => "集計指標の構成指標がない",
            LintKind::UnitMismatch => "指標と違う単位の値",
        }
    }
}

/// One finding.
#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
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
