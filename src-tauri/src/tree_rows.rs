//! The plan tree's project rows packed for the wire (`dto::TreeRows`). The UI unpacks them
//! (`ui/src/lib/tree.ts`) into the `ProjectRow`s that `views::project_row` makes, looking the
//! policy and the owners' names up as it does.

use std::collections::HashMap;

use dxplan::model::ProjectOutline;

use crate::dto::TreeRows;
use crate::state::Session;

/// Numbers each string the rows name, once, in the order first named.
#[derive(Default)]
struct Names<'a> {
    index: HashMap<&'a str, u32>,
    names: Vec<String>,
}

impl<'a> Names<'a> {
    fn of(&mut self, name: &'a str) -> u32 {
        let next = self.names.len() as u32;
        let i = *self.index.entry(name).or_insert(next);
        if i == next {
            self.names.push(name.to_string());
        }
        i
    }
}

/// The rows of `projects` (in tree order), as the session shows them: codes, editable.
pub fn pack(s: &Session, projects: &[ProjectOutline]) -> TreeRows {
    let n = projects.len();
    let mut names = Names::default();
    let mut rows = TreeRows {
        names: Vec::new(),
        id: Vec::with_capacity(n),
        code: Vec::with_capacity(n),
        title: Vec::with_capacity(n),
        measures: Vec::with_capacity(n),
        owners: Vec::with_capacity(n),
        flag: Vec::with_capacity(n),
        status: Vec::with_capacity(n),
        tags: Vec::with_capacity(n),
        budget_total: Vec::with_capacity(n),
        editable: Vec::with_capacity(n),
    };
    for p in projects {
        rows.id.push(p.id.clone());
        rows.code.push(s.code(&p.id));
        rows.title.push(p.title.clone());
        rows.measures
            .push(p.measure_ids.iter().map(|m| names.of(m)).collect());
        rows.owners
            .push(p.owners.iter().map(|o| names.of(&o.unit_id)).collect());
        rows.flag.push(p.flag);
        rows.status.push(p.status);
        rows.tags.push(p.tags.iter().map(|t| names.of(t)).collect());
        rows.budget_total.push(p.budget_total);
        rows.editable.push(s.may_edit(&p.owners));
    }
    rows.names = names.names;
    rows
}

#[cfg(test)]
mod tests {
    use std::collections::HashMap;

    use crate::dto::{PlanTree, ProjectRow};
    use crate::state::{Mode, Session};
    use crate::views::{plan_tree, project_row, RowNames};

    /// The rows as the UI unpacks them (`ui/src/lib/tree.ts`, `unpackTree`).
    fn unpack(t: &PlanTree) -> Vec<ProjectRow> {
        let r = &t.rows;
        let unit: HashMap<&str, &str> = t
            .units
            .iter()
            .map(|u| (u.id.as_str(), u.name.as_str()))
            .collect();
        let policy: HashMap<&str, &str> = t
            .measures
            .iter()
            .map(|m| (m.id.as_str(), m.policy_id.as_str()))
            .collect();
        let name = |i: &u32| r.names[*i as usize].clone();
        (0..r.id.len())
            .map(|i| {
                let measure_ids: Vec<String> = r.measures[i].iter().map(name).collect();
                let owner_ids: Vec<String> = r.owners[i].iter().map(name).collect();
                ProjectRow {
                    id: r.id[i].clone(),
                    code: r.code[i].clone(),
                    title: r.title[i].clone(),
                    policy_id: measure_ids
                        .first()
                        .and_then(|m| policy.get(m.as_str()))
                        .map(|p| p.to_string())
                        .unwrap_or_default(),
                    owners: owner_ids
                        .iter()
                        .map(|o| unit.get(o.as_str()).unwrap_or(&"（不明な課）").to_string())
                        .collect(),
                    measure_ids,
                    owner_ids,
                    flag: r.flag[i],
                    status: r.status[i],
                    tags: r.tags[i].iter().map(name).collect(),
                    budget_total: r.budget_total[i],
                    editable: r.editable[i],
                }
            })
            .collect()
    }

    fn json<T: serde::Serialize>(v: &T) -> serde_json::Value {
        serde_json::to_value(v).unwrap()
    }

    /// Unpacked, the tree's rows are the rows `project_row` makes of each project, in the
    /// office's plan and in a department's (where only its own projects are editable).
    #[test]
    fn the_packed_rows_unpack_to_the_rows_of_every_project() {
        let dir = tempfile::tempdir().unwrap();
        let mut s = crate::state::sample_session(dir.path());
        let path = s.path().to_path_buf();
        // a co-owner and a second measure, so indexes are shared between rows and roles
        let mut p = s.plan().projects[3].clone();
        let other = s.plan().projects[0].owners[0].unit_id.clone();
        if p.owners[0].unit_id != other {
            p.owners.push(dxplan::model::Owner {
                unit_id: other.clone(),
                role: dxplan::model::OwnerRole::Co,
            });
        }
        let second = s.plan().measures.last().unwrap().id.clone();
        p.measure_ids.push(second);
        p.tags.push("自治体DX".into());
        let sheet = crate::views::project_sheet(&s, &p.id).unwrap();
        crate::views::save_project(&mut s, p, sheet.revision).unwrap();
        drop(s);
        let department = Mode::Department {
            unit_id: other,
            unit_name: "x".into(),
            workbook: "w.xlsx".into(),
            export_id: "e".into(),
        };
        for mode in [Mode::Office, department] {
            let s = Session::open(&path, mode).unwrap();
            let tree = plan_tree(&s);
            let plan = s.plan();
            let names = RowNames::new(&plan.org_units, &plan.measures);
            let rows: Vec<ProjectRow> = s
                .plan_outline()
                .projects
                .iter()
                .map(|p| project_row(&s, &names, p))
                .collect();
            assert_eq!(rows.len(), 30);
            assert_eq!(json(&unpack(&tree)), json(&rows));
            assert!(rows
                .iter()
                .any(|r| r.owner_ids.len() > 1 && r.measure_ids.len() > 1));
            let shared = tree.rows.names.len();
            assert!(
                shared
                    < rows
                        .iter()
                        .map(|r| r.owner_ids.len() + r.measure_ids.len())
                        .sum()
            );
        }
    }

    /// The tree's JSON, packed and as one object per row (figures for docs/perf-scale.md, no
    /// target): `DXPLAN_TREE_PLAN=generated-10000.dxplan cargo test -p dxplan-app --profile
    /// desktop tree_sizes -- --ignored --nocapture`.
    #[test]
    #[ignore]
    fn tree_sizes() {
        let Ok(path) = std::env::var("DXPLAN_TREE_PLAN") else {
            return;
        };
        let s = Session::open_outline_first(std::path::Path::new(&path), Mode::Office).unwrap();
        let t0 = std::time::Instant::now();
        let tree = plan_tree(&s);
        let t1 = std::time::Instant::now();
        let packed = serde_json::to_vec(&tree).unwrap();
        let t2 = std::time::Instant::now();
        let rows = unpack(&tree);
        let t3 = std::time::Instant::now();
        let objects = serde_json::to_vec(&rows).unwrap();
        let t4 = std::time::Instant::now();
        println!(
            "{} projects: packed tree {} bytes (made in {:?}, JSON in {:?}); rows as objects {} bytes (JSON in {:?})",
            rows.len(),
            packed.len(),
            t1 - t0,
            t2 - t1,
            objects.len(),
            t4 - t3
        );
    }
}
