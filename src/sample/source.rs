//! A plan written as TOML by hand (see assets/sample/onojo.toml for the format).
//! Values are kept as written (「40 手続」, 「－」) and parsed like imported cells.

use std::collections::{BTreeMap, HashMap};

use serde::Deserialize;
use thiserror::Error;
use uuid::Uuid;

use crate::model::*;
use crate::parse::fiscal_year::parse_fiscal_year;
use crate::parse::value::{parse_money, parse_value};

#[derive(Debug, Error)]
pub enum SourceError {
    #[error("計画ソースの TOML が読めません / invalid plan source TOML: {0}")]
    Toml(#[from] toml::de::Error),
    #[error("計画ソースの「{at}」: {message}")]
    Invalid { at: String, message: String },
}

#[derive(Deserialize)]
struct Src {
    plan: SrcPlan,
    #[serde(default)]
    org_units: Vec<SrcUnit>,
    policies: Vec<SrcPolicy>,
    measures: Vec<SrcMeasure>,
    projects: Vec<SrcProject>,
}

#[derive(Deserialize)]
struct SrcPlan {
    title: String,
    #[serde(default)]
    city: String,
    #[serde(default)]
    version: String,
    first_fy: FiscalYear,
    last_fy: FiscalYear,
    #[serde(default)]
    vision: String,
}

#[derive(Deserialize)]
struct SrcUnit {
    name: String,
    parent: Option<String>,
}

#[derive(Deserialize)]
struct SrcPolicy {
    key: String,
    title: String,
    #[serde(default)]
    description: String,
}

#[derive(Deserialize)]
struct SrcMeasure {
    key: String,
    policy: String,
    title: String,
    #[serde(default)]
    description: String,
    urgency: Option<u8>,
    importance: Option<u8>,
    priority: Option<PriorityFlag>,
}

#[derive(Deserialize)]
struct SrcIndicatorGoal {
    name: String,
    target: String,
    #[serde(default)]
    cumulative: bool,
}

#[derive(Deserialize)]
struct SrcKpi {
    name: String,
    #[serde(default)]
    cumulative: bool,
    #[serde(default)]
    targets: BTreeMap<String, String>,
    #[serde(default)]
    actuals: BTreeMap<String, String>,
}

#[derive(Deserialize)]
struct SrcTask {
    task: String,
    start_fy: FiscalYear,
    end_fy: FiscalYear,
    #[serde(default)]
    confirmed: bool,
    #[serde(default)]
    phases: BTreeMap<String, String>,
}

#[derive(Deserialize)]
struct SrcFootnote {
    marker: String,
    field: String,
    text: String,
}

#[derive(Deserialize)]
struct SrcProject {
    key: String,
    measures: Vec<String>,
    title: String,
    #[serde(default)]
    owners: Vec<String>,
    #[serde(default)]
    owners_note: String,
    #[serde(default)]
    issue: String,
    #[serde(default)]
    purpose: String,
    #[serde(default)]
    summary: String,
    #[serde(default)]
    goal: String,
    #[serde(default)]
    effects: Vec<String>,
    #[serde(default)]
    tags: Vec<String>,
    #[serde(default)]
    budget: BTreeMap<String, String>,
    kgi: Option<SrcIndicatorGoal>,
    #[serde(default)]
    kpis: Vec<SrcKpi>,
    #[serde(default)]
    schedule: Vec<SrcTask>,
    #[serde(default)]
    footnotes: Vec<SrcFootnote>,
}

fn invalid(at: &str, message: impl Into<String>) -> SourceError {
    SourceError::Invalid {
        at: at.to_string(),
        message: message.into(),
    }
}

fn fy(at: &str, s: &str) -> Result<FiscalYear, SourceError> {
    parse_fiscal_year(s).map_err(|e| invalid(at, e.to_string()))
}

pub fn parse_plan_source(text: &str) -> Result<Plan, SourceError> {
    let src: Src = toml::from_str(text)?;
    let ns = Uuid::new_v5(
        &Uuid::NAMESPACE_OID,
        format!("dxplan/{}/{}", src.plan.city, src.plan.title).as_bytes(),
    );
    let id =
        |kind: &str, key: &str| Uuid::new_v5(&ns, format!("{kind}/{key}").as_bytes()).to_string();

    let info = PlanInfo {
        id: ns.to_string(),
        title: src.plan.title,
        city: src.plan.city,
        version: src.plan.version,
        first_fy: src.plan.first_fy,
        last_fy: src.plan.last_fy,
        vision: src.plan.vision,
    };
    let org_units = src
        .org_units
        .iter()
        .map(|u| OrgUnit {
            id: id("unit", &u.name),
            name: u.name.clone(),
            parent_id: u.parent.as_ref().map(|p| id("unit", p)),
            valid_from_fy: None,
            valid_to_fy: None,
        })
        .collect::<Vec<_>>();
    for u in &src.org_units {
        if let Some(p) = &u.parent {
            if !src.org_units.iter().any(|x| &x.name == p) {
                return Err(invalid(
                    &u.name,
                    format!("親組織「{p}」がありません / unknown parent unit"),
                ));
            }
        }
    }
    let policies: Vec<Policy> = src
        .policies
        .iter()
        .enumerate()
        .map(|(i, p)| Policy {
            id: id("policy", &p.key),
            position: i as u32 + 1,
            title: p.title.clone(),
            description: p.description.clone(),
        })
        .collect();
    let mut per_policy: HashMap<&str, u32> = HashMap::new();
    let mut measures = Vec::new();
    for m in &src.measures {
        if !src.policies.iter().any(|p| p.key == m.policy) {
            return Err(invalid(
                &m.key,
                format!("基本方針「{}」がありません / unknown policy", m.policy),
            ));
        }
        let n = per_policy.entry(m.policy.as_str()).or_default();
        *n += 1;
        measures.push(Measure {
            id: id("measure", &m.key),
            policy_id: id("policy", &m.policy),
            position: *n,
            title: m.title.clone(),
            description: m.description.clone(),
            priority: Priority {
                flag: m.priority.unwrap_or_default(),
                urgency: m.urgency,
                importance: m.importance,
            },
        });
    }

    let mut per_measure: HashMap<&str, u32> = HashMap::new();
    let mut projects = Vec::new();
    for sp in &src.projects {
        let at = sp.key.as_str();
        let primary = sp
            .measures
            .first()
            .ok_or_else(|| invalid(at, "施策がありません / no measure"))?;
        for m in &sp.measures {
            if !src.measures.iter().any(|x| &x.key == m) {
                return Err(invalid(
                    at,
                    format!("施策「{m}」がありません / unknown measure"),
                ));
            }
        }
        let n = per_measure.entry(primary.as_str()).or_default();
        *n += 1;
        let mut p = Project::new(&id("measure", primary), sp.title.clone());
        p.id = id("project", &sp.key);
        p.measure_ids = sp.measures.iter().map(|m| id("measure", m)).collect();
        p.position = *n;
        for (i, o) in sp.owners.iter().enumerate() {
            if !src.org_units.iter().any(|u| &u.name == o) {
                return Err(invalid(
                    at,
                    format!("担当課「{o}」が org_units にありません / unknown owner unit"),
                ));
            }
            p.owners.push(Owner {
                unit_id: id("unit", o),
                role: if i == 0 {
                    OwnerRole::Lead
                } else {
                    OwnerRole::Co
                },
            });
        }
        p.owners_note = sp.owners_note.clone();
        p.texts = Texts {
            issue: sp.issue.clone(),
            purpose: sp.purpose.clone(),
            summary: sp.summary.clone(),
            goal: sp.goal.clone(),
            effects: sp.effects.clone(),
        };
        p.tags = sp.tags.clone();
        if let Some(kgi) = &sp.kgi {
            let values = vec![IndicatorValue {
                fiscal_year: info.last_fy,
                target: parse_value(&kgi.target),
                actual: None,
            }];
            p.indicators.push(Indicator {
                id: id("indicator", &format!("{}/kgi", sp.key)),
                kind: IndicatorKind::KGI,
                name: kgi.name.clone(),
                unit: crate::model::common_unit(&values),
                cumulative: kgi.cumulative,
                values,
            });
        }
        for (k, kpi) in sp.kpis.iter().enumerate() {
            let mut by_year: BTreeMap<FiscalYear, IndicatorValue> = BTreeMap::new();
            for (side, cells) in [(true, &kpi.targets), (false, &kpi.actuals)] {
                for (y, text) in cells {
                    let y = fy(at, y)?;
                    let e = by_year.entry(y).or_insert(IndicatorValue {
                        fiscal_year: y,
                        target: None,
                        actual: None,
                    });
                    if side {
                        e.target = parse_value(text);
                    } else {
                        e.actual = parse_value(text);
                    }
                }
            }
            let values: Vec<IndicatorValue> = by_year
                .into_values()
                .filter(|v| v.target.is_some() || v.actual.is_some())
                .collect();
            p.indicators.push(Indicator {
                id: id("indicator", &format!("{}/kpi{}", sp.key, k + 1)),
                kind: IndicatorKind::KPI,
                name: kpi.name.clone(),
                unit: crate::model::common_unit(&values),
                cumulative: kpi.cumulative,
                values,
            });
        }
        for (t_i, t) in sp.schedule.iter().enumerate() {
            let mut phases = BTreeMap::new();
            for (y, label) in &t.phases {
                phases.insert(fy(at, y)?, label.clone());
            }
            p.schedule.push(Task {
                id: id("task", &format!("{}/{}", sp.key, t_i + 1)),
                name: t.task.clone(),
                start_fy: t.start_fy,
                end_fy: t.end_fy,
                phases,
                confirmed: t.confirmed,
            });
        }
        let mut budget = BTreeMap::new();
        for (y, text) in &sp.budget {
            let money = parse_money(text).map_err(|e| invalid(at, e.to_string()))?;
            budget.insert(fy(at, y)?, money.map(|m| m.thousand_yen));
        }
        p.budget = budget
            .into_iter()
            .map(|(fiscal_year, planned)| BudgetYear {
                fiscal_year,
                planned_thousand_yen: planned,
                general_revenue_thousand_yen: None,
            })
            .collect();
        p.footnotes = sp
            .footnotes
            .iter()
            .map(|f| Footnote {
                marker: f.marker.clone(),
                field: f.field.clone(),
                text: f.text.clone(),
            })
            .collect();
        projects.push(p);
    }
    let mut plan = Plan {
        info,
        org_units,
        policies,
        measures,
        projects,
        rollups: Vec::new(),
    };
    plan.sort_canonical();
    Ok(plan)
}
