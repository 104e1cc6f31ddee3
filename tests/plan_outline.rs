//! The plan's outline (`Store::load_outline`, what the app's tree is made from before the
//! whole plan is loaded) read from real plan files: the same rows, in the same order, with the
//! same display codes, as the whole plan gives.

use std::path::Path;

use dxplan::model::codes::{outline_codes, plan_codes};
use dxplan::model::{BudgetYear, Owner, OwnerRole, Plan, PlanOutline};
use dxplan::store::{OpInfo, OpKind, Store};

fn write(path: &Path, plan: &Plan) {
    let mut store = Store::create(path, &plan.info).expect("create the plan");
    store
        .write(OpInfo::new(OpKind::Generate), |w| w.put_contents(plan))
        .expect("write the plan");
}

fn outline_and_whole(path: &Path) -> (PlanOutline, Plan) {
    let store = Store::open(path).expect("open");
    (
        store.load_outline().expect("outline"),
        store.load_plan().expect("plan"),
    )
}

#[test]
fn the_outline_of_a_generated_plan_is_what_its_whole_load_shows() {
    let dir = tempfile::tempdir().unwrap();
    let mut plan = dxplan::generate::generate(300, 17);
    // the cases a budget total and the owners can take
    plan.projects[0].budget.clear();
    for b in &mut plan.projects[1].budget {
        b.planned_thousand_yen = None;
    }
    plan.projects[2].budget = vec![
        BudgetYear {
            fiscal_year: 2024,
            planned_thousand_yen: None,
            general_revenue_thousand_yen: Some(5),
        },
        BudgetYear {
            fiscal_year: 2025,
            planned_thousand_yen: Some(-1_200),
            general_revenue_thousand_yen: None,
        },
        BudgetYear {
            fiscal_year: 2026,
            planned_thousand_yen: Some(3_000_000_000),
            general_revenue_thousand_yen: None,
        },
    ];
    let second = plan.measures[3].id.clone();
    plan.projects[3].measure_ids.push(second);
    let co = plan.org_units[4].id.clone();
    plan.projects[3].owners.push(Owner {
        unit_id: co,
        role: OwnerRole::Co,
    });
    plan.projects[4].owners.clear();
    plan.projects[5].tags = vec!["重点取組事項①".into(), "タグ".into()];
    let path = dir.path().join("generated.dxplan");
    write(&path, &plan);

    let (outline, whole) = outline_and_whole(&path);
    assert_eq!(outline.projects.len(), 300);
    assert_eq!(outline, PlanOutline::of(&whole));
    assert_eq!(outline_codes(&outline), plan_codes(&whole));
    let by_id = |id: &str| outline.projects.iter().find(|p| p.id == id).unwrap();
    assert_eq!(by_id(&plan.projects[0].id).budget_total, None);
    assert_eq!(by_id(&plan.projects[1].id).budget_total, None);
    assert_eq!(
        by_id(&plan.projects[2].id).budget_total,
        Some(2_999_998_800)
    );
    assert_eq!(
        by_id(&plan.projects[3].id).measure_ids,
        plan.projects[3].measure_ids
    );
    assert!(plan.projects[3].measure_ids.len() >= 2);
    assert_eq!(by_id(&plan.projects[3].id).owners, plan.projects[3].owners);
    assert!(plan.projects[3].owners.len() >= 2);
    assert!(by_id(&plan.projects[4].id).owners.is_empty());
}

#[test]
fn the_outline_of_the_sample_plan_is_what_its_whole_load_shows() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("sample.dxplan");
    dxplan::workspace::write_sample(&path).unwrap();
    let (outline, whole) = outline_and_whole(&path);
    assert_eq!(outline.projects.len(), 30);
    assert_eq!(outline, PlanOutline::of(&whole));
    assert_eq!(outline_codes(&outline), plan_codes(&whole));
}
