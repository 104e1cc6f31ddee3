//! `dxplan dump`: the whole plan as JSON (format documented in docs/plan-json.md).
//! A separate shape from the model: it adds derived codes and owner names for readers,
//! and stays stable while the model grows.

use std::collections::{BTreeMap, HashMap};

use serde::{Deserialize, Serialize};

use crate::model::codes::{measure_code, policy_code, project_code};
use crate::model::*;

#[derive(Debug, Serialize, Deserialize, PartialEq)]
pub struct Dump {
    pub format: String,
    pub plan: DumpPlan,
    pub org_units: Vec<DumpUnit>,
    pub policies: Vec<DumpPolicy>,
    pub measures: Vec<DumpMeasure>,
    pub projects: Vec<DumpProject>,
}

#[derive(Debug, Serialize, Deserialize, PartialEq)]
pub struct DumpPlan {
    pub id: String,
    pub title: String,
    pub city: String,
    pub version: String,
    pub fiscal_years: Vec<FiscalYear>,
    pub vision: String,
}

#[derive(Debug, Serialize, Deserialize, PartialEq)]
pub struct DumpUnit {
    pub id: String,
    pub name: String,
    pub parent_id: Option<String>,
    pub valid_from_fy: Option<FiscalYear>,
    pub valid_to_fy: Option<FiscalYear>,
}

#[derive(Debug, Serialize, Deserialize, PartialEq)]
pub struct DumpPolicy {
    pub id: String,
    pub code: String,
    pub title: String,
    pub description: String,
}

#[derive(Debug, Serialize, Deserialize, PartialEq)]
pub struct DumpMeasure {
    pub id: String,
    pub code: String,
    pub policy_id: String,
    pub title: String,
    pub description: String,
    pub priority: Priority,
}

#[derive(Debug, Serialize, Deserialize, PartialEq)]
pub struct DumpOwner {
    pub unit_id: String,
    pub name: String,
    pub role: OwnerRole,
}

#[derive(Debug, Serialize, Deserialize, PartialEq)]
pub struct DumpIndicator {
    pub id: String,
    pub kind: IndicatorKind,
    pub name: String,
    pub unit: Option<String>,
    pub cumulative: bool,
    pub values: Vec<IndicatorValue>,
    /// When the indicator is the sum of others: its components and the computed sums (`values`
    /// keeps what was typed; `check` compares the two).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub rollup: Option<DumpRollup>,
}

#[derive(Debug, Serialize, Deserialize, PartialEq)]
pub struct DumpRollup {
    pub sum_of: Vec<String>,
    pub computed: Vec<IndicatorValue>,
}

#[derive(Debug, Serialize, Deserialize, PartialEq)]
pub struct DumpTask {
    pub id: String,
    pub task: String,
    pub start_fy: FiscalYear,
    pub end_fy: FiscalYear,
    pub confirmed: bool,
    pub phases: BTreeMap<FiscalYear, String>,
}

#[derive(Debug, Serialize, Deserialize, PartialEq)]
pub struct DumpProject {
    pub id: String,
    pub code: String,
    pub title: String,
    pub status: ProjectStatus,
    pub measure_ids: Vec<String>,
    /// Unit names, lead first.
    pub owners: Vec<String>,
    pub owner_details: Vec<DumpOwner>,
    pub owners_note: String,
    pub texts: Texts,
    pub footnotes: Vec<Footnote>,
    pub indicators: Vec<DumpIndicator>,
    pub schedule: Vec<DumpTask>,
    pub budget: Vec<BudgetYear>,
    pub priority: Priority,
    pub tags: Vec<String>,
    pub progress: Vec<Progress>,
}

pub const FORMAT: &str = "dxplan-dump/1";

/// Display code of every project, keyed by id.
pub fn project_codes(plan: &Plan) -> HashMap<&str, String> {
    let policy_pos: HashMap<&str, u32> = plan
        .policies
        .iter()
        .map(|p| (p.id.as_str(), p.position))
        .collect();
    let measure_pos: HashMap<&str, (u32, u32)> = plan
        .measures
        .iter()
        .map(|m| {
            (
                m.id.as_str(),
                (
                    policy_pos.get(m.policy_id.as_str()).copied().unwrap_or(0),
                    m.position,
                ),
            )
        })
        .collect();
    plan.projects
        .iter()
        .map(|p| {
            let code = match p
                .measure_ids
                .first()
                .and_then(|m| measure_pos.get(m.as_str()))
            {
                Some(&(pp, mp)) => project_code(pp, mp, p.position),
                None => format!("?-{}", p.position),
            };
            (p.id.as_str(), code)
        })
        .collect()
}

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
