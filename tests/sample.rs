//! The bundled sample (大野城市) against the checkable facts of shared/DOMAIN.md.

use dxplan::report::totals::budget_by_policy;
use dxplan::store::{OpInfo, OpKind, Store};

#[test]
fn sample_reproduces_the_onojo_counts_and_budget_table() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("onojo.dxplan");
    let sample = dxplan::sample::onojo().unwrap();
    let mut s = Store::create(&path, &sample.info).unwrap();
    s.write(OpInfo::new(OpKind::Sample), |w| w.put_contents(&sample))
        .unwrap();
    // Read back from disk: the figures must survive the store, not only the parser.
    let plan = Store::open(&path).unwrap().load_plan().unwrap();

    assert_eq!(plan.info.fiscal_years(), vec![2022, 2023, 2024, 2025]);
    assert_eq!(plan.policies.len(), 2);
    assert_eq!(plan.projects.len(), 30);
    let per_policy: Vec<usize> = plan
        .policies
        .iter()
        .map(|pol| {
            let measures: Vec<&str> = plan
                .measures
                .iter()
                .filter(|m| m.policy_id == pol.id)
                .map(|m| m.id.as_str())
                .collect();
            plan.projects
                .iter()
                .filter(|p| measures.contains(&p.measure_ids[0].as_str()))
                .count()
        })
        .collect();
    assert_eq!(per_policy, vec![16, 14]);
    assert_eq!(
        plan.projects
            .iter()
            .map(|p| p.schedule.len())
            .sum::<usize>(),
        89
    );

    let totals = budget_by_policy(&plan);
    let row = |i: usize| -> Vec<i64> { totals.rows[i].2.values().copied().collect() };
    assert_eq!(row(0), vec![19_100, 170_100, 222_100, 215_100]);
    assert_eq!(row(1), vec![29_000, 108_000, 27_000, 450_000]);
    assert_eq!(totals.grand_total(), 1_240_400);
    assert_eq!(totals.year_total(2025), 215_100 + 450_000);
}

#[test]
fn sample_keeps_values_as_written_and_parsed() {
    let plan = dxplan::sample::onojo().unwrap();
    let p = plan
        .projects
        .iter()
        .find(|p| p.title == "オンライン申請の拡充")
        .unwrap();
    let kpi = p
        .indicators
        .iter()
        .find(|i| i.kind == dxplan::model::IndicatorKind::KPI)
        .unwrap();
    let t: Vec<(i32, f64)> = kpi
        .values
        .iter()
        .map(|v| (v.fiscal_year, v.target.as_ref().unwrap().number.unwrap()))
        .collect();
    assert_eq!(
        t,
        vec![(2022, 40.0), (2023, 64.0), (2024, 88.0), (2025, 112.0)]
    );
    assert_eq!(kpi.unit.as_deref(), Some("手続"));
    assert_eq!(kpi.values[0].target.as_ref().unwrap().text, "40 手続");

    // 「－」 is "no value", never 0; a written 0 stays 0.
    let cashless = plan
        .projects
        .iter()
        .find(|p| p.title == "各種支払いのキャッシュレス化")
        .unwrap();
    assert_eq!(cashless.budget[0].planned_thousand_yen, None);
    let divide = plan
        .projects
        .iter()
        .find(|p| p.title == "デジタル・デバイド対策")
        .unwrap();
    assert_eq!(divide.budget[0].planned_thousand_yen, Some(0));
}

#[test]
fn every_sample_project_has_an_owner_unit() {
    let plan = dxplan::sample::onojo().unwrap();
    for p in &plan.projects {
        assert!(!p.owners.is_empty(), "{} has no owner", p.title);
        for o in &p.owners {
            assert!(plan.unit(&o.unit_id).is_some());
        }
    }
}
