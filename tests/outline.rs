//! The office's outline moves (`dxplan::structure`): a 施策 to another 基本方針 and several
//! projects at once to another 施策, renumbered so display codes follow, each one logged write.

use std::path::Path;

use crate::common::{dxplan, p};
use dxplan::model::Plan;
use dxplan::store::Store;
use dxplan::structure::{move_measure_to_policy, move_projects_to_measure, StructureError};
use dxplan::workspace::{Mode, Workspace};

fn sample(dir: &Path) -> Store {
    let plan = dir.join("plan.dxplan");
    dxplan(&["sample", p(&plan)]).expect_ok("sample");
    Store::open(&plan).unwrap()
}

/// Positions of a policy's measures, in order: 1…n without gaps.
fn measure_positions(plan: &Plan, policy_id: &str) -> Vec<u32> {
    let mut v: Vec<u32> = plan
        .measures
        .iter()
        .filter(|m| m.policy_id == policy_id)
        .map(|m| m.position)
        .collect();
    v.sort_unstable();
    v
}

fn project_positions(plan: &Plan, measure_id: &str) -> Vec<u32> {
    let mut v: Vec<u32> = plan
        .projects
        .iter()
        .filter(|q| q.measure_ids.first().map(String::as_str) == Some(measure_id))
        .map(|q| q.position)
        .collect();
    v.sort_unstable();
    v
}

#[test]
fn a_measure_moves_to_another_policy_with_its_projects_and_both_renumber() {
    let dir = tempfile::tempdir().unwrap();
    let mut store = sample(dir.path());
    let before = store.load_plan().unwrap();
    let (one, two) = (&before.policies[0], &before.policies[1]);
    let mut firsts: Vec<_> = before
        .measures
        .iter()
        .filter(|m| m.policy_id == one.id)
        .collect();
    firsts.sort_by_key(|m| m.position);
    assert!(firsts.len() >= 2, "the sample's Ⅰ has several measures");
    let moved = firsts[0].clone();
    let projects: Vec<String> = before
        .projects
        .iter()
        .filter(|q| q.measure_ids.first() == Some(&moved.id))
        .map(|q| q.id.clone())
        .collect();
    let in_two = before
        .measures
        .iter()
        .filter(|m| m.policy_id == two.id)
        .count() as u32;

    move_measure_to_policy(&mut store, &moved.id, &two.id).unwrap();
    let after = store.load_plan().unwrap();
    let m = after.measures.iter().find(|m| m.id == moved.id).unwrap();
    assert_eq!(m.policy_id, two.id);
    assert_eq!(m.position, in_two + 1, "after the last of Ⅱ");
    // its code is now Ⅱ-n, its projects' Ⅱ-n-①…; Ⅰ's measures are 1…n again
    let ws = Workspace::open(store.path(), Mode::Office).unwrap();
    assert_eq!(ws.code(&moved.id), format!("Ⅱ-{}", in_two + 1));
    if let Some(first) = projects.first() {
        assert!(ws.code(first).starts_with(&format!("Ⅱ-{}-", in_two + 1)));
    }
    assert_eq!(
        measure_positions(&after, &one.id),
        (1..firsts.len() as u32).collect::<Vec<_>>()
    );
    assert_eq!(
        measure_positions(&after, &two.id),
        (1..=in_two + 1).collect::<Vec<_>>()
    );
    // its projects went with it
    for id in &projects {
        let q = after.projects.iter().find(|q| &q.id == id).unwrap();
        assert_eq!(q.measure_ids[0], moved.id);
    }
    // logged as one edit, and a move to where it is changes nothing
    let h = store.history(None).unwrap();
    assert!(
        h.iter().any(|e| e
            .new_value
            .as_ref()
            .is_some_and(|v| v.to_string().contains(&two.id))),
        "the move is in the change log"
    );
    let n = h.len();
    move_measure_to_policy(&mut store, &moved.id, &two.id).unwrap();
    assert_eq!(store.history(None).unwrap().len(), n);
    // unknown ids are refused, naming what
    assert!(matches!(
        move_measure_to_policy(&mut store, "nope", &two.id),
        Err(StructureError::NotFound { .. })
    ));
    assert!(matches!(
        move_measure_to_policy(&mut store, &moved.id, "nope"),
        Err(StructureError::NotFound { .. })
    ));
}

#[test]
fn several_projects_move_to_another_measure_in_the_order_given_and_both_renumber() {
    let dir = tempfile::tempdir().unwrap();
    let mut store = sample(dir.path());
    let before = store.load_plan().unwrap();
    let mut ms = before.measures.clone();
    ms.sort_by_key(|m| (m.policy_id.clone(), m.position));
    // a source measure with at least three projects, another as the target
    let source = ms
        .iter()
        .find(|m| project_positions(&before, &m.id).len() >= 3)
        .expect("a measure with three projects")
        .clone();
    let target = ms.iter().find(|m| m.id != source.id).unwrap().clone();
    let mut under: Vec<_> = before
        .projects
        .iter()
        .filter(|q| q.measure_ids.first() == Some(&source.id))
        .collect();
    under.sort_by_key(|q| q.position);
    let n_source = under.len() as u32;
    let n_target = project_positions(&before, &target.id).len() as u32;
    // the third and the first, in that order (and the first again: once)
    let pick = vec![
        under[2].id.clone(),
        under[0].id.clone(),
        under[0].id.clone(),
    ];

    let n = move_projects_to_measure(&mut store, &pick, &target.id).unwrap();
    assert_eq!(n, 2);
    let after = store.load_plan().unwrap();
    let pos = |id: &str| {
        let q = after.projects.iter().find(|q| q.id == id).unwrap();
        (q.measure_ids[0].clone(), q.position)
    };
    assert_eq!(pos(&pick[0]), (target.id.clone(), n_target + 1));
    assert_eq!(pos(&pick[1]), (target.id.clone(), n_target + 2));
    assert_eq!(
        project_positions(&after, &source.id),
        (1..=n_source - 2).collect::<Vec<_>>(),
        "the source renumbered without gaps"
    );
    assert_eq!(
        project_positions(&after, &target.id),
        (1..=n_target + 2).collect::<Vec<_>>()
    );
    // the second one, untouched otherwise, is now first in the source
    assert_eq!(pos(&under[1].id), (source.id.clone(), 1));
    // history names the moved projects' measure change
    let h = store.history(Some(&pick[0])).unwrap();
    assert!(
        h.iter().any(|e| e.kind == dxplan::store::OpKind::LocalEdit),
        "{h:?}"
    );
    // moving them where they are is nothing; an unknown project or measure is refused
    assert_eq!(
        move_projects_to_measure(&mut store, &pick, &target.id).unwrap(),
        0
    );
    assert!(matches!(
        move_projects_to_measure(&mut store, &["nope".to_string()], &target.id),
        Err(StructureError::NotFound { .. })
    ));
    assert!(matches!(
        move_projects_to_measure(&mut store, &pick, "nope"),
        Err(StructureError::NotFound { .. })
    ));
}
