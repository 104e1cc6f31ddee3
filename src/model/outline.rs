//! The plan's outline: what the app's tree shows of each project (no sheet), read before the
//! whole plan so that a large plan's tree appears at once (`store::Store::load_outline`).

use serde::{Deserialize, Serialize};

use super::plan::{measure_rank, project_rank};
use super::{Id, Measure, OrgUnit, Owner, PlanInfo, Policy, PriorityFlag, Project, ProjectStatus};

/// A project as the tree shows it: its place, title, owners, marks and planned budget total.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ProjectOutline {
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
    /// 重点 mark.
    pub flag: PriorityFlag,
    /// National focus areas and other tags.
    pub tags: Vec<String>,
    /// Sum of the planned budget (千円) over the years that have one; None when none has.
    pub budget_total: Option<i64>,
}

impl ProjectOutline {
    /// The outline of a whole project.
    pub fn of(p: &Project) -> ProjectOutline {
        let planned = p.budget.iter().filter_map(|b| b.planned_thousand_yen);
        ProjectOutline {
            id: p.id.clone(),
            measure_ids: p.measure_ids.clone(),
            position: p.position,
            title: p.title.clone(),
            status: p.status,
            owners: p.owners.clone(),
            flag: p.priority.flag,
            tags: p.tags.clone(),
            budget_total: planned.fold(None, |sum, x| Some(sum.unwrap_or(0) + x)),
        }
    }
}

/// The plan without its projects' sheets: plan-wide facts, units, policies, measures and each
/// project's outline, in plan order (as `Plan::sort_canonical`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PlanOutline {
    /// Plan-wide facts: title, city, period.
    pub info: PlanInfo,
    /// Organisation units.
    pub org_units: Vec<OrgUnit>,
    /// Policies (基本方針).
    pub policies: Vec<Policy>,
    /// Measures (施策).
    pub measures: Vec<Measure>,
    /// Projects (事業), as the tree shows them.
    pub projects: Vec<ProjectOutline>,
}

impl PlanOutline {
    /// The outline of a whole plan.
    pub fn of(plan: &super::Plan) -> PlanOutline {
        PlanOutline {
            info: plan.info.clone(),
            org_units: plan.org_units.clone(),
            policies: plan.policies.clone(),
            measures: plan.measures.clone(),
            projects: plan.projects.iter().map(ProjectOutline::of).collect(),
        }
    }

    /// Puts policies, measures and projects in plan order, the order `Plan::sort_canonical`
    /// gives the whole plan.
    pub fn sort_canonical(&mut self) {
        let rank = measure_rank(&mut self.policies, &mut self.measures);
        self.projects.sort_by_cached_key(|p| {
            project_rank(&rank, p.measure_ids.first(), p.position, &p.title)
        });
    }
}
