//! `dxplan check` finds each kind of problem, on plans built to contain exactly it.

use dxplan::model::*;
use dxplan::parse::value::parse_value;
use dxplan::report::lints::{check, LintKind};

fn plan_with(edit: impl FnOnce(&mut Project)) -> Plan {
    let mut plan = dxplan::generate::generate(1, 3);
    edit(&mut plan.projects[0]);
    plan
}

fn kinds(plan: &Plan) -> Vec<LintKind> {
    check(plan).into_iter().map(|l| l.kind).collect()
}

#[test]
fn a_clean_generated_project_has_no_findings() {
    assert_eq!(kinds(&plan_with(|_| {})), vec![]);
}

#[test]
fn kgi_that_differs_from_the_last_kpi_target() {
    let plan = plan_with(|p| {
        let kgi = p
            .indicators
            .iter_mut()
            .find(|i| i.kind == IndicatorKind::KGI)
            .unwrap();
        // in the KGI's own unit (another unit is a finding of its own)
        let unit = kgi.unit.clone().unwrap_or_default();
        kgi.values[0].target = parse_value(&format!("999{unit}"));
    });
    let lints = check(&plan);
    assert_eq!(lints.len(), 1, "{lints:?}");
    assert_eq!(lints[0].kind, LintKind::KgiDiffersFromLastKpi);
    assert!(lints[0].message.contains("「999"));
    assert_eq!(lints[0].project_title, plan.projects[0].title);
    assert!(lints[0].project_code.starts_with('Ⅰ'));
}

#[test]
fn a_prose_kgi_matching_its_kpi_is_fine() {
    let plan = plan_with(|p| {
        for i in &mut p.indicators {
            // prose targets: the indicator has no unit of its own
            i.unit = None;
            for v in &mut i.values {
                v.target = parse_value("30%減");
                v.actual = None;
            }
        }
        p.indicators[0].values[0].target = parse_value("導入前と比べて30%減");
    });
    assert_eq!(kinds(&plan), vec![]);
}

#[test]
fn cumulative_series_that_falls() {
    let plan = plan_with(|p| {
        let kpi = p
            .indicators
            .iter_mut()
            .find(|i| i.kind == IndicatorKind::KPI)
            .unwrap();
        kpi.values[1].target = parse_value("1件");
    });
    assert!(kinds(&plan).contains(&LintKind::CumulativeFalls));
}

#[test]
fn negative_money_and_general_revenue_over_planned() {
    let plan = plan_with(|p| {
        p.budget[0].planned_thousand_yen = Some(-100);
        p.budget[1].planned_thousand_yen = Some(100);
        p.budget[1].general_revenue_thousand_yen = Some(200);
    });
    let k = kinds(&plan);
    assert!(k.contains(&LintKind::NegativeMoney));
    assert!(k.contains(&LintKind::GeneralRevenueExceedsPlanned));
}

#[test]
fn footnote_marker_without_a_note() {
    let plan = plan_with(|p| p.texts.summary.push_str("※3"));
    assert_eq!(kinds(&plan), vec![LintKind::FootnoteWithoutNote]);
    let plan = plan_with(|p| {
        p.texts.summary.push_str("※3");
        p.footnotes.push(Footnote {
            marker: "※3".into(),
            field: "summary".into(),
            text: "注".into(),
        });
    });
    assert_eq!(kinds(&plan), vec![]);
    let plan = plan_with(|p| p.indicators[1].values[0].target = parse_value("10 件 ※2"));
    assert!(kinds(&plan).contains(&LintKind::FootnoteWithoutNote));
}

#[test]
fn project_without_owner() {
    assert_eq!(
        kinds(&plan_with(|p| p.owners.clear())),
        vec![LintKind::NoOwner]
    );
}

#[test]
fn fiscal_years_outside_the_period() {
    let plan = plan_with(|p| {
        p.schedule[0].end_fy = 2031;
        p.budget.push(BudgetYear {
            fiscal_year: 2030,
            planned_thousand_yen: Some(1),
            general_revenue_thousand_yen: None,
        });
    });
    assert_eq!(
        kinds(&plan),
        vec![LintKind::OutsidePeriod, LintKind::OutsidePeriod]
    );
}

#[test]
fn a_footnote_marker_does_not_make_a_kgi_differ() {
    let plan = plan_with(|p| {
        for i in &mut p.indicators {
            for v in &mut i.values {
                v.target = parse_value("導入を決定した全窓口*2");
                v.actual = None;
            }
        }
        p.indicators[0].values[0].target = parse_value("導入を決定した全窓口");
        p.footnotes.push(Footnote {
            marker: "*2".into(),
            field: "kpi".into(),
            text: "注".into(),
        });
    });
    assert_eq!(kinds(&plan), vec![]);
}

#[test]
fn a_value_in_another_unit_than_its_indicator_is_flagged_at_its_cell() {
    let mut kpi_id = String::new();
    let plan = plan_with(|p| {
        let kpi = p
            .indicators
            .iter_mut()
            .find(|i| i.kind == IndicatorKind::KPI)
            .unwrap();
        kpi.unit = Some("人".into());
        for v in &mut kpi.values {
            v.target = parse_value("100人");
            v.actual = None;
        }
        kpi.values[0].actual = parse_value("12件");
        kpi_id = kpi.id.clone();
    });
    let lints: Vec<_> = check(&plan)
        .into_iter()
        .filter(|l| l.kind == LintKind::UnitMismatch)
        .collect();
    assert_eq!(lints.len(), 1, "{lints:?}");
    assert!(lints[0]
        .message
        .contains("「12件」の単位「件」が指標の単位「人」"));
    let fy = plan.projects[0]
        .indicators
        .iter()
        .find(|i| i.id == kpi_id)
        .unwrap()
        .values[0]
        .fiscal_year;
    assert_eq!(lints[0].field, format!("indicator/{kpi_id}/{fy}/actual"));
}
