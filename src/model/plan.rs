use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use super::{FiscalYear, Value};

/// A stable id (UUID text).
pub type Id = String;

/// A fresh stable id. UUIDv4: departments create items offline, so ids must not collide.
/// Time-ordered (UUID v7): ids created together sort together, so the plan file's indexes
/// grow at their end instead of at random pages, which makes a large import's inserts several
/// times cheaper. Ids stay opaque; older files keep their v4 ids. Their random bits come from
/// a thread-local generator seeded once from the OS (uuid's `fast-rng`), not from a system
/// call per id: an import mints thousands.
pub fn new_id() -> Id {
    uuid::Uuid::now_v7().to_string()
}

/// Plan-wide facts.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct PlanInfo {
    /// Stable id.
    pub id: Id,
    /// Title as written in the plan.
    pub title: String,
    /// The municipality.
    pub city: String,
    /// 版 label as written (「第1.2版」, 「令和4年8月」).
    pub version: String,
    /// First fiscal year of the plan.
    pub first_fy: FiscalYear,
    /// Last fiscal year of the plan.
    pub last_fy: FiscalYear,
    /// 目指す姿.
    pub vision: String,
}

impl PlanInfo {
    /// Every fiscal year of the plan, in order.
    pub fn fiscal_years(&self) -> Vec<FiscalYear> {
        (self.first_fy..=self.last_fy).collect()
    }
}

/// An organisation unit (部, 室, 課, or anything that owns projects such as 中央図書館).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct OrgUnit {
    /// Stable id.
    pub id: Id,
    /// Name.
    pub name: String,
    /// The unit above it (部 above 課).
    pub parent_id: Option<Id>,
    /// Units are reorganised every April: a unit is valid from/to these fiscal years.
    pub valid_from_fy: Option<FiscalYear>,
    /// Last fiscal year it exists; None: still.
    pub valid_to_fy: Option<FiscalYear>,
}

impl OrgUnit {
    /// Whether the unit exists in fiscal year `fy` (open ends: always was / still is).
    pub fn valid_in(&self, fy: FiscalYear) -> bool {
        self.valid_from_fy.is_none_or(|f| f <= fy) && self.valid_to_fy.is_none_or(|t| fy <= t)
    }
}

/// A unit's DX推進員 (デジタル化推進員) in one fiscal year.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Promoter {
    /// The person's name.
    pub name: String,
    /// 内線・メール・電話, as written.
    pub contact: String,
}

/// A unit and every unit below it (部 > 室 > 課), by the parent links of `units`.
pub fn unit_and_below(units: &[OrgUnit], unit_id: &str) -> std::collections::HashSet<Id> {
    let mut set = std::collections::HashSet::from([unit_id.to_string()]);
    loop {
        let before = set.len();
        for u in units {
            if u.parent_id.as_ref().is_some_and(|p| set.contains(p)) {
                set.insert(u.id.clone());
            }
        }
        if set.len() == before {
            return set;
        }
    }
}

/// 基本方針.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Policy {
    /// Stable id.
    pub id: Id,
    /// Position among its siblings (1-based).
    pub position: u32,
    /// Title as written in the plan.
    pub title: String,
    /// Description text.
    pub description: String,
}

/// 施策 / 取組 / 具体施策.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Measure {
    /// Stable id.
    pub id: Id,
    /// The policy's id.
    pub policy_id: Id,
    /// Position among its siblings (1-based).
    pub position: u32,
    /// Title as written in the plan.
    pub title: String,
    /// Description text.
    pub description: String,
    /// Priority (重点, 最重点) with urgency and importance.
    pub priority: Priority,
}

/// 重点 marks of a measure or project.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Default)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub enum PriorityFlag {
    /// No mark.
    #[default]
    #[serde(rename = "none")]
    None,
    /// 重点.
    #[serde(rename = "重点")]
    Priority,
    /// 最重点.
    #[serde(rename = "最重点")]
    TopPriority,
}

/// Priority of a measure or project.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Default)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct Priority {
    /// None, 重点 or 最重点.
    pub flag: PriorityFlag,
    /// 緊急度 0–100.
    pub urgency: Option<u8>,
    /// 重要度 0–100.
    pub importance: Option<u8>,
}

/// A project's status.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Default)]
#[serde(rename_all = "snake_case")]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub enum ProjectStatus {
    /// Running.
    #[default]
    Active,
    /// Added by a department's submission, awaiting the DX office.
    Proposed,
    /// Ended.
    Ended,
}

/// How a unit owns a project.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub enum OwnerRole {
    /// 主担当.
    Lead,
    /// A co-owner.
    Co,
}

/// A unit that owns a project.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct Owner {
    /// The unit's id.
    pub unit_id: Id,
    /// Lead (主担当) or co-owner.
    pub role: OwnerRole,
}

/// The free-text fields of a project sheet.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Default)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct Texts {
    /// 課題 / 現状と課題.
    pub issue: String,
    /// 目的.
    pub purpose: String,
    /// 概要 / 内容.
    pub summary: String,
    /// 目指す姿 / 目標.
    pub goal: String,
    /// 期待される効果 (a list).
    pub effects: Vec<String>,
}

/// A footnote (※1, *1) anchored to a field of the project.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct Footnote {
    /// Marker (※1, *).
    pub marker: String,
    /// Which field the marker belongs to: "summary", "budget", "kpi", "indicator:<id>", …
    pub field: String,
    /// Text as written.
    pub text: String,
}

/// KGI (goal) or KPI (performance).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, PartialOrd, Ord, Hash)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub enum IndicatorKind {
    /// Key goal indicator.
    KGI,
    /// Key performance indicator.
    KPI,
}

impl IndicatorKind {
    /// "KGI" or "KPI".
    pub fn as_str(self) -> &'static str {
        match self {
            IndicatorKind::KGI => "KGI",
            IndicatorKind::KPI => "KPI",
        }
    }
}

/// An indicator's values of one fiscal year.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct IndicatorValue {
    /// The fiscal year.
    pub fiscal_year: FiscalYear,
    /// None means "no value" (blank or 「－」), which is not 0.
    pub target: Option<Value>,
    /// Actual (実績).
    pub actual: Option<Value>,
}

/// The unit most of an indicator's values are written in (ties: the first in sort order).
pub fn common_unit(values: &[IndicatorValue]) -> Option<String> {
    let mut counts: BTreeMap<&str, usize> = BTreeMap::new();
    for v in values.iter().flat_map(|v| [&v.target, &v.actual]).flatten() {
        if let Some(u) = &v.unit {
            *counts.entry(u.as_str()).or_default() += 1;
        }
    }
    counts
        .into_iter()
        .max_by(|a, b| a.1.cmp(&b.1).then(b.0.cmp(a.0)))
        .map(|(u, _)| u.to_string())
}

/// A KGI or KPI of a project.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct Indicator {
    /// Stable id.
    pub id: Id,
    /// Kind.
    pub kind: IndicatorKind,
    /// Name.
    pub name: String,
    /// The unit the indicator is measured in, when one is stated or all values agree.
    pub unit: Option<String>,
    /// 累計: values should never fall from one year to the next.
    pub cumulative: bool,
    /// Sorted by fiscal year, at most one entry per year.
    pub values: Vec<IndicatorValue>,
}

/// A schedule task (工程).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct Task {
    /// Stable id.
    pub id: Id,
    /// Name.
    pub name: String,
    /// First fiscal year of the task.
    pub start_fy: FiscalYear,
    /// Last fiscal year of the task.
    pub end_fy: FiscalYear,
    /// Phase label per year (工程表: 「検討」「構築」「運用」).
    #[serde(default)]
    pub phases: BTreeMap<FiscalYear, String>,
    /// False when the years were inferred (a legacy bar or arrow read by guess).
    pub confirmed: bool,
}

/// Planned cost of one fiscal year in 千円 (LCC). None = 「－」, which is not 0.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct BudgetYear {
    /// The fiscal year.
    pub fiscal_year: FiscalYear,
    /// Planned amount (千円).
    #[cfg_attr(feature = "specta", specta(type = Option<f64>))]
    pub planned_thousand_yen: Option<i64>,
    /// うち一般財源.
    #[cfg_attr(feature = "specta", specta(type = Option<f64>))]
    pub general_revenue_thousand_yen: Option<i64>,
}

/// Progress of a project in one fiscal year.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct Progress {
    /// The fiscal year.
    pub fiscal_year: FiscalYear,
    /// 状況.
    pub status: String,
    /// 取組実績.
    pub achievements: String,
    /// 課題.
    pub issues: String,
    /// 改善策.
    pub remedies: String,
    /// 評価.
    pub evaluation: String,
}

/// A project (事業).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct Project {
    /// Stable id.
    pub id: Id,
    /// Primary measure first; a project can sit under several measures.
    pub measure_ids: Vec<Id>,
    /// Position among the projects of its primary measure (1-based).
    pub position: u32,
    /// 事業名.
    pub title: String,
    /// Status.
    pub status: ProjectStatus,
    /// Lead first, then co-owners.
    pub owners: Vec<Owner>,
    /// What the owner cell said beyond the units, e.g. 「ほか」.
    pub owners_note: String,
    /// The texts (課題, 目的, 概要, 目指す姿, 効果).
    pub texts: Texts,
    /// Footnotes (注記) with their markers.
    pub footnotes: Vec<Footnote>,
    /// KGI and KPI indicators.
    pub indicators: Vec<Indicator>,
    /// Schedule tasks (工程).
    pub schedule: Vec<Task>,
    /// Sorted by fiscal year.
    pub budget: Vec<BudgetYear>,
    /// Priority (重点, 最重点) with urgency and importance.
    pub priority: Priority,
    /// National 自治体DX推進計画 focus areas (重点取組事項①…, あわせて取り組むべき事項①…) and other tags.
    pub tags: Vec<String>,
    /// Progress per fiscal year.
    pub progress: Vec<Progress>,
}

impl Project {
    /// An empty project under `measure_id`.
    pub fn new(measure_id: &str, title: impl Into<String>) -> Self {
        Project {
            id: new_id(),
            measure_ids: vec![measure_id.to_string()],
            position: 0,
            title: title.into(),
            status: ProjectStatus::Active,
            owners: Vec::new(),
            owners_note: String::new(),
            texts: Texts::default(),
            footnotes: Vec::new(),
            indicators: Vec::new(),
            schedule: Vec::new(),
            budget: Vec::new(),
            priority: Priority::default(),
            tags: Vec::new(),
            progress: Vec::new(),
        }
    }
}

/// A whole plan in memory.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Plan {
    /// Plan-wide facts: title, city, period.
    pub info: PlanInfo,
    /// Organisation units.
    pub org_units: Vec<OrgUnit>,
    /// Policies (基本方針).
    pub policies: Vec<Policy>,
    /// Measures (施策).
    pub measures: Vec<Measure>,
    /// Projects (事業).
    pub projects: Vec<Project>,
    /// Indicators defined as the sum of others, with their computed values.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub rollups: Vec<super::Rollup>,
}

impl Plan {
    /// A unit of the plan by id.
    pub fn unit(&self, id: &str) -> Option<&OrgUnit> {
        self.org_units.iter().find(|u| u.id == id)
    }

    /// The roll-up definition of an indicator, when it is the sum of others.
    pub fn rollup_of(&self, indicator_id: &str) -> Option<&super::Rollup> {
        self.rollups.iter().find(|r| r.indicator_id == indicator_id)
    }

    /// Puts measures and projects in plan order: policy, then measure, then position within
    /// the primary measure. The store loads plans in this order, so builders use it too.
    pub fn sort_canonical(&mut self) {
        let rank = measure_rank(&mut self.policies, &mut self.measures);
        self.projects.sort_by_cached_key(|p| {
            project_rank(&rank, p.measure_ids.first(), p.position, &p.title)
        });
    }
}

/// Sorts policies by position and measures by their policy's position and theirs; gives each
/// measure's rank in that order, by id.
pub(crate) fn measure_rank(
    policies: &mut [Policy],
    measures: &mut [Measure],
) -> std::collections::HashMap<Id, usize> {
    use std::collections::HashMap;
    policies.sort_by_key(|p| p.position);
    let policy_pos: HashMap<&str, u32> = policies
        .iter()
        .map(|p| (p.id.as_str(), p.position))
        .collect();
    measures.sort_by_key(|m| {
        (
            policy_pos
                .get(m.policy_id.as_str())
                .copied()
                .unwrap_or(u32::MAX),
            m.position,
        )
    });
    measures
        .iter()
        .enumerate()
        .map(|(i, m)| (m.id.clone(), i))
        .collect()
}

/// A project's sort key in plan order: its primary measure's rank, its position, its title.
pub(crate) fn project_rank(
    rank: &std::collections::HashMap<Id, usize>,
    primary: Option<&Id>,
    position: u32,
    title: &str,
) -> (usize, u32, String) {
    let r = primary
        .and_then(|m| rank.get(m.as_str()))
        .copied()
        .unwrap_or(usize::MAX);
    (r, position, title.to_string())
}
