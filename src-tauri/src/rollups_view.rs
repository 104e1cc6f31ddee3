//! Roll-up indicators (an indicator defined as the sum of others) as the project sheet shows
//! them: computed, read-only, with their components named. The sums are recomputed from the
//! session's copy of the plan (`model::compute_rollups`), so a component edited a moment ago
//! is already in the 合計 without reloading the whole plan.

use std::collections::HashMap;

pub use crate::dto::RollupDto;
use crate::error::AppError;
use crate::state::Session;
use dxplan::model::{compute_rollups as compute, Id, IndicatorValue, Plan, Project};

fn component_label(s: &Session, plan: &Plan, id: &str) -> String {
    plan.projects
        .iter()
        .find_map(|p| {
            p.indicators
                .iter()
                .find(|i| i.id == id)
                .map(|i| format!("{} {}：{}", s.code(&p.id), p.title, i.name))
        })
        .unwrap_or_else(|| "（計画にない指標）".into())
}

/// The roll-ups among `project`'s indicators, summed from the plan as the session holds it.
/// Only a project with a roll-up waits for the whole plan (its components are elsewhere).
pub fn project_rollups(s: &Session, project: &Project) -> Result<Vec<RollupDto>, AppError> {
    let mine = |id: &str| project.indicators.iter().any(|i| i.id == id);
    if !s
        .rollup_definitions()?
        .iter()
        .any(|r| mine(&r.indicator_id))
    {
        return Ok(Vec::new());
    }
    let plan = s.ready()?;
    let links: Vec<(Id, Vec<Id>)> = plan
        .rollups
        .iter()
        .map(|r| (r.indicator_id.clone(), r.sum_of.clone()))
        .collect();
    let wanted: std::collections::HashSet<&str> = links
        .iter()
        .flat_map(|(_, parts)| parts.iter().map(String::as_str))
        .collect();
    let typed: HashMap<Id, Vec<IndicatorValue>> = plan
        .projects
        .iter()
        .flat_map(|p| p.indicators.iter())
        .filter(|i| wanted.contains(i.id.as_str()))
        .map(|i| (i.id.clone(), i.values.clone()))
        .collect();
    Ok(compute(&links, &typed)
        .into_iter()
        .filter(|r| mine(&r.indicator_id))
        .map(|r| RollupDto {
            parts: r
                .sum_of
                .iter()
                .map(|c| component_label(s, plan, c))
                .collect(),
            computed: r.computed,
            indicator_id: r.indicator_id,
        })
        .collect())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::state::Mode;
    use dxplan::parse::value::parse_value;
    use dxplan::workspace::write_sample;

    fn set_target(s: &mut Session, project: &str, fy: i32, text: &str) -> String {
        let mut p = s.project(project).unwrap().clone();
        let ind = &mut p.indicators[0];
        ind.values = vec![IndicatorValue {
            fiscal_year: fy,
            target: parse_value(text),
            actual: None,
        }];
        let id = ind.id.clone();
        let revision = s.revision(project).unwrap();
        s.save_project(p, revision).unwrap();
        id
    }

    #[test]
    fn a_rollup_is_summed_from_the_session_and_follows_a_component_edit() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("office.dxplan");
        write_sample(&path).unwrap();
        let mut s = Session::open(&path, Mode::Office).unwrap();
        let with_kpi: Vec<String> = s
            .plan()
            .projects
            .iter()
            .filter(|p| !p.indicators.is_empty())
            .take(3)
            .map(|p| p.id.clone())
            .collect();
        let (a, b, c) = (&with_kpi[0], &with_kpi[1], &with_kpi[2]);
        let ia = set_target(&mut s, a, 2024, "100人");
        let ib = set_target(&mut s, b, 2024, "50人");
        let sum_id = s.project(c).unwrap().indicators[0].id.clone();
        assert!(project_rollups(&s, s.project(c).unwrap())
            .unwrap()
            .is_empty());

        s.set_rollup(&sum_id, &[ia.clone(), ib.clone()]).unwrap();
        let r = project_rollups(&s, s.project(c).unwrap()).unwrap();
        assert_eq!(r.len(), 1);
        assert_eq!(r[0].indicator_id, sum_id);
        assert_eq!(r[0].parts.len(), 2);
        assert!(r[0].parts[0].starts_with(&s.code(a)), "{:?}", r[0].parts);
        let target = |r: &[RollupDto]| {
            r[0].computed
                .iter()
                .find(|v| v.fiscal_year == 2024)
                .and_then(|v| v.target.as_ref())
                .map(|v| v.text.clone())
        };
        assert_eq!(target(&r).as_deref(), Some("150人"));
        // the components' own sheets are not roll-ups
        assert!(project_rollups(&s, s.project(a).unwrap())
            .unwrap()
            .is_empty());

        // a component edited in the app (cache refreshed, plan not reloaded): the sum follows
        set_target(&mut s, a, 2024, "120人");
        let r = project_rollups(&s, s.project(c).unwrap()).unwrap();
        assert_eq!(target(&r).as_deref(), Some("170人"));
        // and the sheet carries it
        let sheet = crate::views::project_sheet(&s, c).unwrap();
        assert_eq!(sheet.rollups.len(), 1);
    }
}
