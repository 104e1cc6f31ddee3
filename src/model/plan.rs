use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use super::{FiscalYear, Value};

pub type Id = String;

/// A fresh stable id. UUIDv4: departments create items offline, so ids must not collide.
/// Time-ordered (UUID v7): ids created together sort together, so the plan file's indexes
/// grow at their end instead of at random pages, which makes a large import's inserts several
/// times cheaper. Ids stay opaque; older files keep their v4 ids.
pub fn new_id() -> Id {
    uuid::Uuid::now_v7().to_string()
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PlanInfo {
    pub id: Id,
    pub title: String,
    pub city: String,
    /// 版 label as written (「第1.2版」, 「令和4年8月」).
    pub version: String,
    pub first_fy: FiscalYear,
    pub last_fy: FiscalYear,
    /// 目指す姿.
    pub vision: String,
}

impl PlanInfo {
    pub fn fiscal_years(&self) -> Vec<FiscalYear> {
        (self.first_fy..=self.last_fy).collect()
    }
}

/// An organisation unit (部, 室, 課, or anything that owns projects such as 中央図書館).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct OrgUnit {
    pub id: Id,
    pub name: String,
    pub parent_id: Option<Id>,
    /// Units are reorganised every April: a unit is valid from/to these fiscal years.
    pub valid_from_fy: Option<FiscalYear>,
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
    pub id: Id,
    pub position: u32,
    pub title: String,
    pub description: String,
}

/// 施策 / 取組 / 具体施策.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Measure {
    pub id: Id,
    pub policy_id: Id,
    pub position: u32,
    pub title: String,
    pub description: String,
    pub priority: Priority,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Default)]
pub enum PriorityFlag {
    #[default]
    #[serde(rename = "none")]
    None,
    #[serde(rename = "重点")]
    Priority,
    #[serde(rename = "最重点")]
    TopPriority,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Default)]
pub struct Priority {
    pub flag: PriorityFlag,
    /// 緊急度 0–100.
    pub urgency: Option<u8>,
    /// 重要度 0–100.
    pub importance: Option<u8>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Default)]
#[serde(rename_all = "snake_case")]
pub enum ProjectStatus {
    #[default]
    Active,
    /// Added by a department's submission, awaiting the DX office.
    Proposed,
    Ended,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum OwnerRole {
    Lead,
    Co,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Owner {
    pub unit_id: Id,
    pub role: OwnerRole,
}

/// The free-text fields of a project sheet.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Default)]
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
pub struct Footnote {
    pub marker: String,
    /// Which field the marker belongs to: "summary", "budget", "kpi", "indicator:<id>", …
    pub field: String,
    pub text: String,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, PartialOrd, Ord, Hash)]
pub enum IndicatorKind {
    KGI,
    KPI,
}

impl IndicatorKind {
    pub fn as_str(self) -> &'static str {
        match self {
            IndicatorKind::KGI => "KGI",
            IndicatorKind::KPI => "KPI",
        }
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct IndicatorValue {
    pub fiscal_year: FiscalYear,
    /// None means "no value" (blank or 「－」), which is not 0.
    pub target: Option<Value>,
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

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Indicator {
    pub id: Id,
    pub kind: IndicatorKind,
    pub name: String,
    /// The unit the indicator is measured in, when one is stated or all values agree.
    pub unit: Option<String>,
    /// 累計: values should never fall from one year to the next.
    pub cumulative: bool,
    /// Sorted by fiscal year, at most one entry per year.
    pub values: Vec<IndicatorValue>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Task {
    pub id: Id,
    pub name: String,
    pub start_fy: FiscalYear,
    pub end_fy: FiscalYear,
    /// Phase label per year (工程表: 「検討」「構築」「運用」).
    #[serde(default)]
    pub phases: BTreeMap<FiscalYear, String>,
    /// False when the years were inferred (a legacy bar or arrow read by guess).
    pub confirmed: bool,
}

/// Planned cost of one fiscal year in 千円 (LCC). None = 「－」, which is not 0.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct BudgetYear {
    pub fiscal_year: FiscalYear,
    pub planned_thousand_yen: Option<i64>,
    /// うち一般財源.
    pub general_revenue_thousand_yen: Option<i64>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Progress {
    pub fiscal_year: FiscalYear,
    pub status: String,
    pub achievements: String,
    pub issues: String,
    pub remedies: String,
    pub evaluation: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Project {
    pub id: Id,
    /// Primary measure first; a project can sit under several measures.
    pub measure_ids: Vec<Id>,
    /// Position among the projects of its primary measure (1-based).
    pub position: u32,
    pub title: String,
    pub status: ProjectStatus,
    /// Lead first, then co-owners.
    pub owners: Vec<Owner>,
    /// What the owner cell said beyond the units, e.g. 「ほか」.
    pub owners_note: String,
    pub texts: Texts,
    pub footnotes: Vec<Footnote>,
    pub indicators: Vec<Indicator>,
    pub schedule: Vec<Task>,
    /// Sorted by fiscal year.
    pub budget: Vec<BudgetYear>,
    pub priority: Priority,
    /// National 自治体DX推進計画 focus areas (重点取組事項①…, あわせて取り組むべき事項①…) and other tags.
    pub tags: Vec<String>,
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
    pub info: PlanInfo,
    pub org_units: Vec<OrgUnit>,
    pub policies: Vec<Policy>,
    pub measures: Vec<Measure>,
    pub projects: Vec<Project>,
    /// Indicators defined as the sum of others, with their computed values.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub rollups: Vec<super::Rollup>,
}

impl Plan {
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
        use std::collections::HashMap;
        self.policies.sort_by_key(|p| p.position);
        let policy_pos: HashMap<&str, u32> = self
            .policies
            .iter()
            .map(|p| (p.id.as_str(), p.position))
            .collect();
        self.measures.sort_by_key(|m| {
            (
                policy_pos
                    .get(m.policy_id.as_str())
                    .copied()
                    .unwrap_or(u32::MAX),
                m.position,
            )
        });
        let rank: HashMap<&str, usize> = self
            .measures
            .iter()
            .enumerate()
            .map(|(i, m)| (m.id.as_str(), i))
            .collect();
        self.projects.sort_by_cached_key(|p| {
            let r = p
                .measure_ids
                .first()
                .and_then(|m| rank.get(m.as_str()))
                .copied()
                .unwrap_or(usize::MAX);
            (r, p.position, p.title.clone())
        });
    }
}
