//! The shapes that cross the IPC boundary. The core crate never depends on tauri or specta, so
//! its model types are mirrored here with the same serde layout and converted explicitly both
//! ways (a compile error, not a silent drift, when the model changes). The TypeScript types in
//! `ui/src/bindings.ts` are generated from these by `cargo test -p dxplan-app` (see `bindings`).
//!
//! Numbers: fiscal years are `i32`; money (千円) and revisions stay `i64` in Rust and are typed
//! `number` in TypeScript (exact to 2^53; larger amounts are refused on the way in).

use std::collections::BTreeMap;

use dxplan::model as m;
use serde::{Deserialize, Serialize};
use specta::Type;
use specta_typescript::Number;

use crate::error::AppError;

// ---------------------------------------------------------------- model mirrors

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Type)]
pub struct ValueDto {
    pub text: String,
    pub number: Option<f64>,
    pub unit: Option<String>,
    pub denominator: Option<f64>,
    pub qualifier: Option<String>,
    pub markers: Vec<String>,
}

impl From<m::Value> for ValueDto {
    fn from(v: m::Value) -> Self {
        ValueDto {
            text: v.text,
            number: v.number,
            unit: v.unit,
            denominator: v.denominator,
            qualifier: v.qualifier,
            markers: v.markers,
        }
    }
}

impl From<ValueDto> for m::Value {
    fn from(v: ValueDto) -> Self {
        m::Value {
            text: v.text,
            number: v.number,
            unit: v.unit,
            denominator: v.denominator,
            qualifier: v.qualifier,
            markers: v.markers,
        }
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Type)]
pub struct PlanInfoDto {
    pub id: String,
    pub title: String,
    pub city: String,
    pub version: String,
    pub first_fy: i32,
    pub last_fy: i32,
    pub vision: String,
}

impl From<m::PlanInfo> for PlanInfoDto {
    fn from(i: m::PlanInfo) -> Self {
        PlanInfoDto {
            id: i.id,
            title: i.title,
            city: i.city,
            version: i.version,
            first_fy: i.first_fy,
            last_fy: i.last_fy,
            vision: i.vision,
        }
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Type)]
pub struct OrgUnitDto {
    pub id: String,
    pub name: String,
    pub parent_id: Option<String>,
    pub valid_from_fy: Option<i32>,
    pub valid_to_fy: Option<i32>,
}

impl From<m::OrgUnit> for OrgUnitDto {
    fn from(u: m::OrgUnit) -> Self {
        OrgUnitDto {
            id: u.id,
            name: u.name,
            parent_id: u.parent_id,
            valid_from_fy: u.valid_from_fy,
            valid_to_fy: u.valid_to_fy,
        }
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Type)]
pub struct PolicyDto {
    pub id: String,
    pub code: String,
    pub position: u32,
    pub title: String,
    pub description: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Type)]
pub struct MeasureDto {
    pub id: String,
    pub code: String,
    pub policy_id: String,
    pub position: u32,
    pub title: String,
    pub description: String,
    pub priority: PriorityDto,
}

/// 重点 flag: "none" | "重点" | "最重点" (the model's serde names).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Type)]
pub enum PriorityFlagDto {
    #[serde(rename = "none")]
    None,
    #[serde(rename = "重点")]
    Priority,
    #[serde(rename = "最重点")]
    TopPriority,
}

impl From<m::PriorityFlag> for PriorityFlagDto {
    fn from(f: m::PriorityFlag) -> Self {
        match f {
            m::PriorityFlag::None => PriorityFlagDto::None,
            m::PriorityFlag::Priority => PriorityFlagDto::Priority,
            m::PriorityFlag::TopPriority => PriorityFlagDto::TopPriority,
        }
    }
}

impl From<PriorityFlagDto> for m::PriorityFlag {
    fn from(f: PriorityFlagDto) -> Self {
        match f {
            PriorityFlagDto::None => m::PriorityFlag::None,
            PriorityFlagDto::Priority => m::PriorityFlag::Priority,
            PriorityFlagDto::TopPriority => m::PriorityFlag::TopPriority,
        }
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Type)]
pub struct PriorityDto {
    pub flag: PriorityFlagDto,
    /// 緊急度 0–100.
    pub urgency: Option<u8>,
    /// 重要度 0–100.
    pub importance: Option<u8>,
}

impl From<m::Priority> for PriorityDto {
    fn from(p: m::Priority) -> Self {
        PriorityDto {
            flag: p.flag.into(),
            urgency: p.urgency,
            importance: p.importance,
        }
    }
}

impl From<PriorityDto> for m::Priority {
    fn from(p: PriorityDto) -> Self {
        m::Priority {
            flag: p.flag.into(),
            urgency: p.urgency,
            importance: p.importance,
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Type)]
#[serde(rename_all = "snake_case")]
pub enum ProjectStatusDto {
    Active,
    Proposed,
    Ended,
}

impl From<m::ProjectStatus> for ProjectStatusDto {
    fn from(s: m::ProjectStatus) -> Self {
        match s {
            m::ProjectStatus::Active => ProjectStatusDto::Active,
            m::ProjectStatus::Proposed => ProjectStatusDto::Proposed,
            m::ProjectStatus::Ended => ProjectStatusDto::Ended,
        }
    }
}

impl From<ProjectStatusDto> for m::ProjectStatus {
    fn from(s: ProjectStatusDto) -> Self {
        match s {
            ProjectStatusDto::Active => m::ProjectStatus::Active,
            ProjectStatusDto::Proposed => m::ProjectStatus::Proposed,
            ProjectStatusDto::Ended => m::ProjectStatus::Ended,
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Type)]
#[serde(rename_all = "snake_case")]
pub enum OwnerRoleDto {
    Lead,
    Co,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Type)]
pub struct OwnerDto {
    pub unit_id: String,
    pub role: OwnerRoleDto,
}

impl From<m::Owner> for OwnerDto {
    fn from(o: m::Owner) -> Self {
        OwnerDto {
            unit_id: o.unit_id,
            role: match o.role {
                m::OwnerRole::Lead => OwnerRoleDto::Lead,
                m::OwnerRole::Co => OwnerRoleDto::Co,
            },
        }
    }
}

impl From<OwnerDto> for m::Owner {
    fn from(o: OwnerDto) -> Self {
        m::Owner {
            unit_id: o.unit_id,
            role: match o.role {
                OwnerRoleDto::Lead => m::OwnerRole::Lead,
                OwnerRoleDto::Co => m::OwnerRole::Co,
            },
        }
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Type)]
pub struct TextsDto {
    pub issue: String,
    pub purpose: String,
    pub summary: String,
    pub goal: String,
    pub effects: Vec<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Type)]
pub struct FootnoteDto {
    pub marker: String,
    pub field: String,
    pub text: String,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Type)]
pub enum IndicatorKindDto {
    KGI,
    KPI,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Type)]
pub struct IndicatorValueDto {
    pub fiscal_year: i32,
    pub target: Option<ValueDto>,
    pub actual: Option<ValueDto>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Type)]
pub struct IndicatorDto {
    pub id: String,
    pub kind: IndicatorKindDto,
    pub name: String,
    pub unit: Option<String>,
    pub cumulative: bool,
    pub values: Vec<IndicatorValueDto>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Type)]
pub struct TaskDto {
    pub id: String,
    pub name: String,
    pub start_fy: i32,
    pub end_fy: i32,
    /// Phase label per fiscal year (keys are fiscal years as strings in JSON).
    pub phases: BTreeMap<i32, String>,
    pub confirmed: bool,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Type)]
pub struct BudgetYearDto {
    pub fiscal_year: i32,
    /// 千円; null = 「－」 (no value), never the same as 0. (i64 in Rust; a JS number is exact to 2^53.)
    #[specta(type = Option<Number>)]
    pub planned_thousand_yen: Option<i64>,
    #[specta(type = Option<Number>)]
    pub general_revenue_thousand_yen: Option<i64>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Type)]
pub struct ProgressDto {
    pub fiscal_year: i32,
    pub status: String,
    pub achievements: String,
    pub issues: String,
    pub remedies: String,
    pub evaluation: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Type)]
pub struct ProjectDto {
    pub id: String,
    pub measure_ids: Vec<String>,
    pub position: u32,
    pub title: String,
    pub status: ProjectStatusDto,
    pub owners: Vec<OwnerDto>,
    pub owners_note: String,
    pub texts: TextsDto,
    pub footnotes: Vec<FootnoteDto>,
    pub indicators: Vec<IndicatorDto>,
    pub schedule: Vec<TaskDto>,
    pub budget: Vec<BudgetYearDto>,
    pub priority: PriorityDto,
    pub tags: Vec<String>,
    pub progress: Vec<ProgressDto>,
}

/// Largest money a JS number holds exactly.
const MAX_MONEY: i64 = 9_007_199_254_740_991;

fn money_in(v: Option<i64>, what: &str) -> Result<Option<i64>, AppError> {
    match v {
        Some(x) if x.abs() > MAX_MONEY => Err(AppError::invalid(format!(
            "{what}の金額が大きすぎます（{x} 千円）"
        ))),
        v => Ok(v),
    }
}

impl From<m::Project> for ProjectDto {
    fn from(p: m::Project) -> Self {
        ProjectDto {
            id: p.id,
            measure_ids: p.measure_ids,
            position: p.position,
            title: p.title,
            status: p.status.into(),
            owners: p.owners.into_iter().map(Into::into).collect(),
            owners_note: p.owners_note,
            texts: TextsDto {
                issue: p.texts.issue,
                purpose: p.texts.purpose,
                summary: p.texts.summary,
                goal: p.texts.goal,
                effects: p.texts.effects,
            },
            footnotes: p
                .footnotes
                .into_iter()
                .map(|f| FootnoteDto {
                    marker: f.marker,
                    field: f.field,
                    text: f.text,
                })
                .collect(),
            indicators: p
                .indicators
                .into_iter()
                .map(|i| IndicatorDto {
                    id: i.id,
                    kind: match i.kind {
                        m::IndicatorKind::KGI => IndicatorKindDto::KGI,
                        m::IndicatorKind::KPI => IndicatorKindDto::KPI,
                    },
                    name: i.name,
                    unit: i.unit,
                    cumulative: i.cumulative,
                    values: i
                        .values
                        .into_iter()
                        .map(|v| IndicatorValueDto {
                            fiscal_year: v.fiscal_year,
                            target: v.target.map(Into::into),
                            actual: v.actual.map(Into::into),
                        })
                        .collect(),
                })
                .collect(),
            schedule: p
                .schedule
                .into_iter()
                .map(|t| TaskDto {
                    id: t.id,
                    name: t.name,
                    start_fy: t.start_fy,
                    end_fy: t.end_fy,
                    phases: t.phases,
                    confirmed: t.confirmed,
                })
                .collect(),
            budget: p
                .budget
                .into_iter()
                .map(|b| BudgetYearDto {
                    fiscal_year: b.fiscal_year,
                    planned_thousand_yen: b.planned_thousand_yen,
                    general_revenue_thousand_yen: b.general_revenue_thousand_yen,
                })
                .collect(),
            priority: p.priority.into(),
            tags: p.tags,
            progress: p
                .progress
                .into_iter()
                .map(|r| ProgressDto {
                    fiscal_year: r.fiscal_year,
                    status: r.status,
                    achievements: r.achievements,
                    issues: r.issues,
                    remedies: r.remedies,
                    evaluation: r.evaluation,
                })
                .collect(),
        }
    }
}

impl TryFrom<ProjectDto> for m::Project {
    type Error = AppError;

    fn try_from(p: ProjectDto) -> Result<Self, AppError> {
        let budget = p
            .budget
            .into_iter()
            .map(|b| {
                Ok(m::BudgetYear {
                    fiscal_year: b.fiscal_year,
                    planned_thousand_yen: money_in(b.planned_thousand_yen, "事業費")?,
                    general_revenue_thousand_yen: money_in(
                        b.general_revenue_thousand_yen,
                        "うち一般財源",
                    )?,
                })
            })
            .collect::<Result<Vec<_>, AppError>>()?;
        Ok(m::Project {
            id: p.id,
            measure_ids: p.measure_ids,
            position: p.position,
            title: p.title,
            status: p.status.into(),
            owners: p.owners.into_iter().map(Into::into).collect(),
            owners_note: p.owners_note,
            texts: m::Texts {
                issue: p.texts.issue,
                purpose: p.texts.purpose,
                summary: p.texts.summary,
                goal: p.texts.goal,
                effects: p.texts.effects,
            },
            footnotes: p
                .footnotes
                .into_iter()
                .map(|f| m::Footnote {
                    marker: f.marker,
                    field: f.field,
                    text: f.text,
                })
                .collect(),
            indicators: p
                .indicators
                .into_iter()
                .map(|i| m::Indicator {
                    id: i.id,
                    kind: match i.kind {
                        IndicatorKindDto::KGI => m::IndicatorKind::KGI,
                        IndicatorKindDto::KPI => m::IndicatorKind::KPI,
                    },
                    name: i.name,
                    unit: i.unit,
                    cumulative: i.cumulative,
                    values: i
                        .values
                        .into_iter()
                        .map(|v| m::IndicatorValue {
                            fiscal_year: v.fiscal_year,
                            target: v.target.map(Into::into),
                            actual: v.actual.map(Into::into),
                        })
                        .collect(),
                })
                .collect(),
            schedule: p
                .schedule
                .into_iter()
                .map(|t| m::Task {
                    id: t.id,
                    name: t.name,
                    start_fy: t.start_fy,
                    end_fy: t.end_fy,
                    phases: t.phases,
                    confirmed: t.confirmed,
                })
                .collect(),
            budget,
            priority: p.priority.into(),
            tags: p.tags,
            progress: p
                .progress
                .into_iter()
                .map(|r| m::Progress {
                    fiscal_year: r.fiscal_year,
                    status: r.status,
                    achievements: r.achievements,
                    issues: r.issues,
                    remedies: r.remedies,
                    evaluation: r.evaluation,
                })
                .collect(),
        })
    }
}

// ---------------------------------------------------------------- views

/// 西暦 and 和暦 labels of one fiscal year, from the core's formatters.
#[derive(Debug, Clone, Serialize, Deserialize, Type)]
pub struct FiscalYearLabel {
    pub fy: i32,
    /// 「2023年度」
    pub seireki: String,
    /// 「令和5年度」
    pub wareki: String,
    /// 「2023年度（令和5年度）」
    pub both: String,
}

/// Which plan is open and in what mode.
#[derive(Debug, Clone, Serialize, Deserialize, Type)]
pub struct SessionInfo {
    pub path: String,
    pub mode: ModeDto,
    pub info: PlanInfoDto,
    pub fiscal_years: Vec<FiscalYearLabel>,
}

#[derive(Debug, Clone, Serialize, Deserialize, Type)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum ModeDto {
    /// The DX office's plan: everything editable.
    Office,
    /// A department's working copy of a department workbook: only its projects are editable.
    Department {
        unit_id: String,
        unit_name: String,
        workbook: String,
        export_id: String,
    },
}

/// One project row of the plan tree (enough to filter, search and draw the row).
#[derive(Debug, Clone, Serialize, Deserialize, Type)]
pub struct ProjectRow {
    pub id: String,
    pub code: String,
    pub title: String,
    pub measure_ids: Vec<String>,
    pub policy_id: String,
    /// Unit ids, lead first.
    pub owner_ids: Vec<String>,
    /// Unit names, lead first.
    pub owners: Vec<String>,
    pub flag: PriorityFlagDto,
    pub status: ProjectStatusDto,
    pub tags: Vec<String>,
    /// Planned budget over all years in 千円 (null when no year has a value).
    #[specta(type = Option<Number>)]
    pub budget_total: Option<i64>,
    pub editable: bool,
}

#[derive(Debug, Clone, Serialize, Deserialize, Type)]
pub struct PlanTree {
    pub session: SessionInfo,
    pub units: Vec<OrgUnitDto>,
    pub policies: Vec<PolicyDto>,
    pub measures: Vec<MeasureDto>,
    pub projects: Vec<ProjectRow>,
}

#[derive(Debug, Clone, Serialize, Deserialize, Type)]
pub struct ProjectSheet {
    pub project: ProjectDto,
    pub code: String,
    /// Bumped by every saved change; pass it back to `save_project`.
    #[specta(type = Number)]
    pub revision: i64,
    pub editable: bool,
    /// The project's roll-up indicators (sums of others): computed, shown read-only as 合計.
    pub rollups: Vec<RollupDto>,
}

#[derive(Debug, Clone, Serialize, Deserialize, Type)]
pub struct SaveResult {
    pub sheet: ProjectSheet,
    /// The project's row in the plan tree, updated.
    pub row: ProjectRow,
    /// The project moved in the tree (measure or position): codes changed, reload the tree.
    pub structural: bool,
    /// Field paths that changed (empty when nothing did).
    pub changed: Vec<String>,
    /// Time spent in the shell and the plan file, in milliseconds.
    pub elapsed_ms: f64,
}

#[derive(Debug, Clone, Serialize, Deserialize, Type)]
pub struct HistoryRow {
    #[specta(type = Number)]
    pub id: i64,
    #[specta(type = Number)]
    pub op_id: i64,
    pub at: String,
    pub kind: String,
    pub source: String,
    pub department: String,
    pub project_id: Option<String>,
    pub project_code: Option<String>,
    pub project_title: Option<String>,
    pub field: String,
    /// Old and new values as compact JSON text (null = no value).
    pub old_value: Option<String>,
    pub new_value: Option<String>,
}

// ---------------------------------------------------------------- dashboard

#[derive(Debug, Clone, Serialize, Deserialize, Type)]
pub struct BudgetRowDto {
    pub policy_id: String,
    pub code: String,
    pub title: String,
    /// Aligned with `BudgetTable::fiscal_years`, 千円.
    #[specta(type = Vec<Number>)]
    pub amounts: Vec<i64>,
    #[specta(type = Number)]
    pub total: i64,
}

/// `report::totals::budget_by_policy`, as is.
#[derive(Debug, Clone, Serialize, Deserialize, Type)]
pub struct BudgetTable {
    pub fiscal_years: Vec<FiscalYearLabel>,
    pub rows: Vec<BudgetRowDto>,
    #[specta(type = Vec<Number>)]
    pub year_totals: Vec<i64>,
    #[specta(type = Number)]
    pub grand_total: i64,
}

#[derive(Debug, Clone, Serialize, Deserialize, Type)]
pub struct KpiCell {
    pub fiscal_year: i32,
    pub target: Option<String>,
    pub actual: Option<String>,
    /// actual ÷ target (numbers in the same unit), as a percentage; null when not computable.
    pub rate: Option<f64>,
}

#[derive(Debug, Clone, Serialize, Deserialize, Type)]
pub struct KpiRow {
    pub project_id: String,
    pub code: String,
    pub project_title: String,
    pub indicator: String,
    pub kind: IndicatorKindDto,
    pub cells: Vec<KpiCell>,
}

#[derive(Debug, Clone, Serialize, Deserialize, Type)]
pub struct RoadmapRow {
    pub project_id: String,
    pub code: String,
    pub project_title: String,
    pub task: String,
    pub start_fy: i32,
    pub end_fy: i32,
    pub confirmed: bool,
    pub phases: BTreeMap<i32, String>,
}

#[derive(Debug, Clone, Serialize, Deserialize, Type)]
pub struct Dashboard {
    pub budget: BudgetTable,
    pub kpis: Vec<KpiRow>,
    pub roadmap: Vec<RoadmapRow>,
    /// Projects per 状況 per 基本方針, one table per year of the plan period.
    pub progress: Vec<ProgressTable>,
}

/// One 基本方針 (or the total) of `ProgressTable`.
#[derive(Debug, Clone, Serialize, Deserialize, Type)]
pub struct ProgressRowDto {
    pub policy_id: Option<String>,
    pub code: String,
    pub title: String,
    /// Projects per status, aligned with `ProgressTable::statuses`.
    pub status: Vec<u32>,
    /// A status written that is not on the plan's scale.
    pub other_status: u32,
    /// No status written for the year.
    pub no_status: u32,
    pub projects: u32,
}

/// Projects per 状況 of a fiscal year per 基本方針, on the plan's scale: the round summary's
/// counts (`Workspace::progress_counts`, as in `round status` and the master workbook).
#[derive(Debug, Clone, Serialize, Deserialize, Type)]
pub struct ProgressTable {
    pub fiscal_year: FiscalYearLabel,
    /// The plan's status scale, in order (順調, 概ね順調, 遅れ, 未着手, 完了 by default).
    pub statuses: Vec<String>,
    pub rows: Vec<ProgressRowDto>,
    pub total: ProgressRowDto,
}

// ---------------------------------------------------------------- import

#[derive(Debug, Clone, Serialize, Deserialize, Type)]
pub struct NoteDto {
    pub at: String,
    pub message: String,
}

#[derive(Debug, Clone, Serialize, Deserialize, Type)]
#[serde(rename_all = "snake_case")]
pub enum OutcomeDto {
    New,
    Matched,
    Ambiguous,
}

#[derive(Debug, Clone, Serialize, Deserialize, Type)]
pub struct ImportProjectLine {
    pub at: String,
    pub title: String,
    pub project_id: String,
    pub outcome: OutcomeDto,
    pub changes: u32,
}

#[derive(Debug, Clone, Serialize, Deserialize, Type)]
pub struct ImportSheet {
    pub sheet: String,
    pub layout: Option<String>,
    pub skipped: Option<String>,
    pub projects: Vec<ImportProjectLine>,
    pub fields: u32,
    pub indicators: u32,
    pub tasks: u32,
    pub budget_cells: u32,
    pub guesses: Vec<NoteDto>,
    pub skipped_cells: Vec<NoteDto>,
}

#[derive(Debug, Clone, Serialize, Deserialize, Type)]
pub struct ImportFile {
    pub file: String,
    pub sheets: Vec<ImportSheet>,
}

#[derive(Debug, Clone, Serialize, Deserialize, Type)]
pub struct ImportSummary {
    pub projects_new: u32,
    pub projects_matched: u32,
    pub projects_ambiguous: u32,
    pub sheets_skipped: u32,
    pub guesses: u32,
    pub cells_skipped: u32,
    pub changes: u32,
}

#[derive(Debug, Clone, Serialize, Deserialize, Type)]
pub struct ImportReportDto {
    pub dry_run: bool,
    pub files: Vec<ImportFile>,
    pub summary: ImportSummary,
    /// The core's own text report (Japanese), as the CLI prints it.
    pub text: String,
}

fn u(n: usize) -> u32 {
    u32::try_from(n).unwrap_or(u32::MAX)
}

fn notes(v: Vec<dxplan::workspace::ImportNote>) -> Vec<NoteDto> {
    v.into_iter()
        .map(|n| NoteDto {
            at: n.at,
            message: n.message,
        })
        .collect()
}

impl From<dxplan::workspace::ImportReport> for ImportReportDto {
    fn from(r: dxplan::workspace::ImportReport) -> Self {
        use dxplan::workspace::ImportOutcome as Outcome;
        let text = r.to_string();
        let s = r.summary;
        ImportReportDto {
            dry_run: r.dry_run,
            text,
            summary: ImportSummary {
                projects_new: u(s.projects_new),
                projects_matched: u(s.projects_matched),
                projects_ambiguous: u(s.projects_ambiguous),
                sheets_skipped: u(s.sheets_skipped),
                guesses: u(s.guesses),
                cells_skipped: u(s.cells_skipped),
                changes: u(s.changes),
            },
            files: r
                .files
                .into_iter()
                .map(|f| ImportFile {
                    file: f.file,
                    sheets: f
                        .sheets
                        .into_iter()
                        .map(|s| ImportSheet {
                            sheet: s.sheet,
                            layout: s.layout.map(str::to_string),
                            skipped: s.skipped,
                            projects: s
                                .projects
                                .into_iter()
                                .map(|p| ImportProjectLine {
                                    at: p.at,
                                    title: p.title,
                                    project_id: p.project_id,
                                    outcome: match p.outcome {
                                        Outcome::New => OutcomeDto::New,
                                        Outcome::Matched => OutcomeDto::Matched,
                                        Outcome::Ambiguous => OutcomeDto::Ambiguous,
                                    },
                                    changes: u(p.changes),
                                })
                                .collect(),
                            fields: u(s.fields),
                            indicators: u(s.indicators),
                            tasks: u(s.tasks),
                            budget_cells: u(s.budget_cells),
                            guesses: notes(s.guesses),
                            skipped_cells: notes(s.skipped_cells),
                        })
                        .collect(),
                })
                .collect(),
        }
    }
}

/// Progress of long work, streamed to the UI over a channel.
#[derive(Debug, Clone, Serialize, Deserialize, Type)]
pub struct ProgressEvent {
    /// 0-based step done so far and the number of steps.
    pub done: u32,
    pub total: u32,
    /// What is being done now (Japanese).
    pub label: String,
}

/// What a file dialog is for: decides its title and filters.
#[derive(Debug, Clone, Copy, Serialize, Deserialize, Type)]
#[serde(rename_all = "snake_case")]
pub enum PickPurpose {
    /// Legacy workbooks to import (.xlsx, .xlsm, .xls, .ods).
    Import,
    /// Department submissions to merge (.xlsx).
    Submission,
    /// A department workbook to work on (.xlsx).
    DepartmentWorkbook,
    /// A plan file (.dxplan).
    Plan,
    /// Where to write an exported workbook (.xlsx).
    SaveWorkbook,
    /// Where to write a plan file (.dxplan): a new plan, 名前を付けて保存, a copy.
    SavePlan,
}

/// A roll-up indicator as the project sheet shows it (built by `rollups_view`).
#[derive(Debug, Clone, Serialize, Deserialize, Type)]
pub struct RollupDto {
    /// The roll-up indicator (one of the project's indicators).
    pub indicator_id: String,
    /// Its components as people read them: 「Ⅰ-1-② 電子申請の拡充：申請件数」.
    pub parts: Vec<String>,
    /// The sums per fiscal year (a year is absent where a component has no number there or
    /// the units differ).
    pub computed: Vec<IndicatorValueDto>,
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The mirror keeps everything: model → DTO → model is the identity, and the DTO's JSON is
    /// the model's JSON (same serde layout), on every project of the sample plan.
    #[test]
    fn project_round_trips_through_the_dto() {
        let plan = dxplan::sample::onojo().expect("sample");
        for p in &plan.projects {
            let dto = ProjectDto::from(p.clone());
            let back = m::Project::try_from(dto.clone()).expect("back");
            assert_eq!(&back, p);
            // Same serde layout: the model reads what the UI sends.
            let from_dto: m::Project =
                serde_json::from_value(serde_json::to_value(&dto).unwrap()).unwrap();
            assert_eq!(&from_dto, p);
        }
    }

    #[test]
    fn money_beyond_js_precision_is_refused() {
        let plan = dxplan::sample::onojo().expect("sample");
        let mut dto = ProjectDto::from(plan.projects[0].clone());
        dto.budget[0].planned_thousand_yen = Some(MAX_MONEY + 1);
        let err = m::Project::try_from(dto).unwrap_err();
        assert_eq!(err.code, "invalid");
    }
}
