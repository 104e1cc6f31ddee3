//! Display codes (Ⅰ, Ⅰ-1, Ⅰ-1-①) derived from position. Printed numbers are often wrong
//! in source documents, so codes are never stored or used as keys. Every code the CLI, the
//! app, the exports and the reports show comes from here.

use std::collections::HashMap;

use super::{Id, Measure, Plan, PlanOutline, Policy, Project};

const ROMAN: [&str; 12] = ["Ⅰ", "Ⅱ", "Ⅲ", "Ⅳ", "Ⅴ", "Ⅵ", "Ⅶ", "Ⅷ", "Ⅸ", "Ⅹ", "Ⅺ", "Ⅻ"];

/// A roman numeral (Ⅰ, Ⅱ, …) of a policy position.
pub fn roman(n: u32) -> String {
    match n.checked_sub(1).and_then(|i| ROMAN.get(i as usize)) {
        Some(r) => (*r).to_string(),
        None => n.to_string(),
    }
}

/// ①…⑳ then ㉑…㊿, plain digits beyond.
pub fn circled(n: u32) -> String {
    let c = match n {
        1..=20 => char::from_u32(0x2460 + n - 1),
        21..=35 => char::from_u32(0x3251 + n - 21),
        36..=50 => char::from_u32(0x32B1 + n - 36),
        _ => None,
    };
    c.map(String::from).unwrap_or_else(|| n.to_string())
}

/// The display code of a policy (Ⅰ).
pub fn policy_code(policy_pos: u32) -> String {
    roman(policy_pos)
}

/// The display code of a measure (Ⅰ-1).
pub fn measure_code(policy_pos: u32, measure_pos: u32) -> String {
    format!("{}-{}", roman(policy_pos), measure_pos)
}

/// The display code of a project (Ⅰ-1-①).
pub fn project_code(policy_pos: u32, measure_pos: u32, project_pos: u32) -> String {
    format!(
        "{}-{}-{}",
        roman(policy_pos),
        measure_pos,
        circled(project_pos)
    )
}

/// The code of a project whose primary measure is at `at` (its policy's position and its
/// own); 「?-3」 when the plan has no such measure.
fn code_at(at: Option<(u32, u32)>, project_pos: u32) -> String {
    match at {
        Some((pp, mp)) => project_code(pp, mp, project_pos),
        None => format!("?-{project_pos}"),
    }
}

fn measure_positions<'a>(
    policies: &'a [Policy],
    measures: &'a [Measure],
) -> HashMap<&'a str, (u32, u32)> {
    let policy_pos: HashMap<&str, u32> = policies
        .iter()
        .map(|p| (p.id.as_str(), p.position))
        .collect();
    measures
        .iter()
        .map(|m| {
            let pp = policy_pos.get(m.policy_id.as_str()).copied().unwrap_or(0);
            (m.id.as_str(), (pp, m.position))
        })
        .collect()
}

/// The codes of projects given as (id, primary measure, position): a whole project or its
/// outline.
fn codes_of<'a>(
    policies: &'a [Policy],
    measures: &'a [Measure],
    projects: impl Iterator<Item = (&'a str, Option<&'a Id>, u32)>,
    with_outline: bool,
) -> HashMap<&'a str, String> {
    let at = measure_positions(policies, measures);
    let mut codes: HashMap<&str, String> = projects
        .map(|(id, primary, position)| {
            let m = primary.and_then(|m| at.get(m.as_str()));
            (id, code_at(m.copied(), position))
        })
        .collect();
    if with_outline {
        for p in policies {
            codes.insert(&p.id, policy_code(p.position));
        }
        for (id, (pp, mp)) in at {
            codes.insert(id, measure_code(pp, mp));
        }
    }
    codes
}

/// Display code of one project (Ⅰ-1-①), from the positions of its primary measure and policy.
pub fn code_of(plan: &Plan, p: &Project) -> String {
    let at = p
        .measure_ids
        .first()
        .and_then(|id| plan.measures.iter().find(|m| &m.id == id))
        .map(|m| {
            let pp = plan
                .policies
                .iter()
                .find(|x| x.id == m.policy_id)
                .map_or(0, |x| x.position);
            (pp, m.position)
        });
    code_at(at, p.position)
}

fn placed(plan: &Plan) -> impl Iterator<Item = (&str, Option<&Id>, u32)> {
    plan.projects
        .iter()
        .map(|p| (p.id.as_str(), p.measure_ids.first(), p.position))
}

/// Display code of every project, keyed by id.
pub fn project_codes(plan: &Plan) -> HashMap<&str, String> {
    codes_of(&plan.policies, &plan.measures, placed(plan), false)
}

/// Display code of every policy, measure and project, keyed by id.
pub fn plan_codes(plan: &Plan) -> HashMap<&str, String> {
    codes_of(&plan.policies, &plan.measures, placed(plan), true)
}

/// Display code of every policy, measure and project of an outline, keyed by id: the same as
/// `plan_codes` of the whole plan.
pub fn outline_codes(outline: &PlanOutline) -> HashMap<&str, String> {
    let placed = outline
        .projects
        .iter()
        .map(|p| (p.id.as_str(), p.measure_ids.first(), p.position));
    codes_of(&outline.policies, &outline.measures, placed, true)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_follow_position() {
        assert_eq!(project_code(1, 2, 3), "Ⅰ-2-③");
        assert_eq!(measure_code(2, 10), "Ⅱ-10");
        assert_eq!(circled(20), "⑳");
        assert_eq!(circled(21), "㉑");
        assert_eq!(circled(50), "㊿");
        assert_eq!(circled(51), "51");
        assert_eq!(roman(13), "13");
    }

    #[test]
    fn one_code_per_item_whichever_way_it_is_asked() {
        let mut plan = crate::sample::onojo().expect("sample");
        let all = plan_codes(&plan);
        let projects = project_codes(&plan);
        for p in &plan.projects {
            assert_eq!(all[p.id.as_str()], code_of(&plan, p));
            assert_eq!(projects[p.id.as_str()], code_of(&plan, p));
        }
        let m = &plan.measures[0];
        let pol = plan.policies.iter().find(|p| p.id == m.policy_id).unwrap();
        assert_eq!(all[m.id.as_str()], measure_code(pol.position, m.position));
        assert_eq!(all[pol.id.as_str()], policy_code(pol.position));
        // A project under no measure the plan knows.
        plan.projects[0].measure_ids = vec!["gone".into()];
        plan.projects[0].position = 3;
        assert_eq!(code_of(&plan, &plan.projects[0]), "?-3");
        assert_eq!(project_codes(&plan)[plan.projects[0].id.as_str()], "?-3");
    }
}
