//! `dxplan dump`: the whole plan as JSON (format documented in docs/plan-json.md).
//! A separate shape from the model: it adds derived codes and owner names for readers,
//! and stays stable while the model grows.

use std::collections::{BTreeMap, HashMap};

use serde::{Deserialize, Serialize};

use crate::model::codes::{measure_code, policy_code};
use crate::model::*;

/// The whole plan as JSON (docs/plan-json.md).
#[derive(Debug, Serialize, Deserialize, PartialEq)]
pub struct Dump {
    /// Format name and version.
    pub format: String,
    /// Plan-wide facts.
    pub plan: DumpPlan,
    /// Organisation units.
    pub org_units: Vec<DumpUnit>,
    /// Policies (基本方針).
    pub policies: Vec<DumpPolicy>,
    /// Measures (施策).
    pub measures: Vec<DumpMeasure>,
    /// Projects (事業).
    pub projects: Vec<DumpProject>,
}

/// Plan-wide facts of the dump.
#[derive(Debug, Serialize, Deserialize, PartialEq)]
pub struct DumpPlan {
    /// Stable id.
    pub id: String,
    /// Title as written in the plan.
    pub title: String,
    /// The municipality.
    pub city: String,
    /// The plan's version label (第1.0版).
    pub version: String,
    /// The fiscal years, in order.
    pub fiscal_years: Vec<FiscalYear>,
    /// The plan's vision.
    pub vision: String,
}

/// A unit of the dump.
#[derive(Debug, Serialize, Deserialize, PartialEq)]
pub struct DumpUnit {
    /// Stable id.
    pub id: String,
    /// Name.
    pub name: String,
    /// The unit above it (部 above 課).
    pub parent_id: Option<String>,
    /// First fiscal year it exists; None: always.
    pub valid_from_fy: Option<FiscalYear>,
    /// Last fiscal year it exists; None: still.
    pub valid_to_fy: Option<FiscalYear>,
}

/// A policy of the dump.
#[derive(Debug, Serialize, Deserialize, PartialEq)]
pub struct DumpPolicy {
    /// Stable id.
    pub id: String,
    /// Display code (Ⅰ, Ⅰ-1, Ⅰ-1-①).
    pub code: String,
    /// Title as written in the plan.
    pub title: String,
    /// Description text.
    pub description: String,
}

/// A measure of the dump.
#[derive(Debug, Serialize, Deserialize, PartialEq)]
pub struct DumpMeasure {
    /// Stable id.
    pub id: String,
    /// Display code (Ⅰ, Ⅰ-1, Ⅰ-1-①).
    pub code: String,
    /// The policy's id.
    pub policy_id: String,
    /// Title as written in the plan.
    pub title: String,
    /// Description text.
    pub description: String,
    /// Priority (重点, 最重点) with urgency and importance.
    pub priority: Priority,
}

/// An owner of the dump.
#[derive(Debug, Serialize, Deserialize, PartialEq)]
pub struct DumpOwner {
    /// The unit's id.
    pub unit_id: String,
    /// The unit's name.
    pub name: String,
    /// Lead (主担当) or co-owner.
    pub role: OwnerRole,
}

/// An indicator of the dump.
#[derive(Debug, Serialize, Deserialize, PartialEq)]
pub struct DumpIndicator {
    /// Stable id.
    pub id: String,
    /// Kind.
    pub kind: IndicatorKind,
    /// Name.
    pub name: String,
    /// Unit of measurement (件, %, 人).
    pub unit: Option<String>,
    /// Values add up over the years (累計).
    pub cumulative: bool,
    /// Target and actual per fiscal year.
    pub values: Vec<IndicatorValue>,
    /// When the indicator is the sum of others: its components and the computed sums (`values`
    /// keeps what was typed; `check` compares the two).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub rollup: Option<DumpRollup>,
}

/// A roll-up of the dump.
#[derive(Debug, Serialize, Deserialize, PartialEq)]
pub struct DumpRollup {
    /// Indicators it sums.
    pub sum_of: Vec<String>,
    /// Its computed values.
    pub computed: Vec<IndicatorValue>,
}

/// A task of the dump.
#[derive(Debug, Serialize, Deserialize, PartialEq)]
pub struct DumpTask {
    /// Stable id.
    pub id: String,
    /// Task name.
    pub task: String,
    /// First fiscal year of the task.
    pub start_fy: FiscalYear,
    /// Last fiscal year of the task.
    pub end_fy: FiscalYear,
    /// Settled (solid bar) rather than tentative.
    pub confirmed: bool,
    /// Phase text per fiscal year.
    pub phases: BTreeMap<FiscalYear, String>,
}

/// A project of the dump.
#[derive(Debug, Serialize, Deserialize, PartialEq)]
pub struct DumpProject {
    /// Stable id.
    pub id: String,
    /// Display code (Ⅰ, Ⅰ-1, Ⅰ-1-①).
    pub code: String,
    /// Title as written in the plan.
    pub title: String,
    /// Status.
    pub status: ProjectStatus,
    /// Measures it belongs to, its home first.
    pub measure_ids: Vec<String>,
    /// Unit names, lead first.
    pub owners: Vec<String>,
    /// Owners with their unit names and roles.
    pub owner_details: Vec<DumpOwner>,
    /// Owners text not understood as units.
    pub owners_note: String,
    /// The texts (課題, 目的, 概要, 目指す姿, 効果).
    pub texts: Texts,
    /// Footnotes (注記) with their markers.
    pub footnotes: Vec<Footnote>,
    /// KGI and KPI indicators.
    pub indicators: Vec<DumpIndicator>,
    /// Schedule tasks (工程).
    pub schedule: Vec<DumpTask>,
    /// Budget per fiscal year (千円).
    pub budget: Vec<BudgetYear>,
    /// Priority (重点, 最重点) with urgency and importance.
    pub priority: Priority,
    /// Tags.
    pub tags: Vec<String>,
    /// Progress per fiscal year.
    pub progress: Vec<Progress>,
}

pub(crate) const FORMAT: &str = "dxplan-dump/1";

pub use crate::model::codes::project_codes;

/// The dump of a plan.
pub fn dump(plan: &Plan) -> Dump {
    into_dump(plan.clone())
}

/// `dump`, taking the plan apart instead of copying it (the CLI's `dump` of a large plan).
pub fn into_dump(mut plan: Plan) -> Dump {
    let codes: HashMap<String, String> = project_codes(&plan)
        .into_iter()
        .map(|(id, code)| (id.to_string(), code))
        .collect();
    let projects = std::mem::take(&mut plan.projects);
    let plan = &plan;
    let unit_names: HashMap<&str, &str> = plan
        .org_units
        .iter()
        .map(|u| (u.id.as_str(), u.name.as_str()))
        .collect();
    let policy_pos: HashMap<&str, u32> = plan
        .policies
        .iter()
        .map(|p| (p.id.as_str(), p.position))
        .collect();
    let name = |id: &str| {
        unit_names
            .get(id)
            .map(|s| s.to_string())
            .unwrap_or_else(|| format!("?{id}"))
    };
    Dump {
        format: FORMAT.into(),
        plan: DumpPlan {
            id: plan.info.id.clone(),
            title: plan.info.title.clone(),
            city: plan.info.city.clone(),
            version: plan.info.version.clone(),
            fiscal_years: plan.info.fiscal_years(),
            vision: plan.info.vision.clone(),
        },
        org_units: plan
            .org_units
            .iter()
            .map(|u| DumpUnit {
                id: u.id.clone(),
                name: u.name.clone(),
                parent_id: u.parent_id.clone(),
                valid_from_fy: u.valid_from_fy,
                valid_to_fy: u.valid_to_fy,
            })
            .collect(),
        policies: plan
            .policies
            .iter()
            .map(|p| DumpPolicy {
                id: p.id.clone(),
                code: policy_code(p.position),
                title: p.title.clone(),
                description: p.description.clone(),
            })
            .collect(),
        measures: plan
            .measures
            .iter()
            .map(|m| DumpMeasure {
                id: m.id.clone(),
                code: measure_code(
                    policy_pos.get(m.policy_id.as_str()).copied().unwrap_or(0),
                    m.position,
                ),
                policy_id: m.policy_id.clone(),
                title: m.title.clone(),
                description: m.description.clone(),
                priority: m.priority.clone(),
            })
            .collect(),
        projects: projects
            .into_iter()
            .map(|p| DumpProject {
                code: codes.get(p.id.as_str()).cloned().unwrap_or_default(),
                owners: p.owners.iter().map(|o| name(&o.unit_id)).collect(),
                owner_details: p
                    .owners
                    .into_iter()
                    .map(|o| DumpOwner {
                        name: name(&o.unit_id),
                        unit_id: o.unit_id,
                        role: o.role,
                    })
                    .collect(),
                indicators: p
                    .indicators
                    .into_iter()
                    .map(|i| DumpIndicator {
                        rollup: plan.rollup_of(&i.id).map(|r| DumpRollup {
                            sum_of: r.sum_of.clone(),
                            computed: r.computed.clone(),
                        }),
                        id: i.id,
                        kind: i.kind,
                        name: i.name,
                        unit: i.unit,
                        cumulative: i.cumulative,
                        values: i.values,
                    })
                    .collect(),
                schedule: p
                    .schedule
                    .into_iter()
                    .map(|t| DumpTask {
                        id: t.id,
                        task: t.name,
                        start_fy: t.start_fy,
                        end_fy: t.end_fy,
                        confirmed: t.confirmed,
                        phases: t.phases,
                    })
                    .collect(),
                id: p.id,
                title: p.title,
                status: p.status,
                measure_ids: p.measure_ids,
                owners_note: p.owners_note,
                texts: p.texts,
                footnotes: p.footnotes,
                budget: p.budget,
                priority: p.priority,
                tags: p.tags,
                progress: p.progress,
            })
            .collect(),
    }
}
