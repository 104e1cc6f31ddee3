//! The project sheet's writer and reader cannot drift apart: a project with every field set,
//! each to a value of its own, written to a real .xlsx and read back (`import::native`), has
//! every field path of `model::fields::project_fields` unchanged, and no field is left off.

use std::collections::BTreeMap;
use std::collections::BTreeSet;

use dxplan::export::{write_master, ExportOptions};
use dxplan::import::native::read_native;
use dxplan::model::fields::{project_fields, FieldPath, ProjectField};
use dxplan::model::*;
use dxplan::parse::value::parse_value;
use dxplan::workbook;

fn value(text: &str) -> Option<Value> {
    parse_value(text)
}

/// The sample plan, its first project given a value of its own in every field: two owners
/// and a note, a status and priority no default has, tags, texts, effects, a footnote, a KGI
/// and a KPI with units and values, tasks with phases, a budget and every progress text.
fn full_project(plan: &mut Plan) -> Project {
    let first = plan.info.first_fy;
    let units: Vec<Id> = plan
        .org_units
        .iter()
        .take(2)
        .map(|u| u.id.clone())
        .collect();
    let p = &mut plan.projects[0];
    p.title = "全項目の事業".into();
    p.status = ProjectStatus::Ended;
    p.owners = vec![
        Owner {
            unit_id: units[0].clone(),
            role: OwnerRole::Lead,
        },
        Owner {
            unit_id: units[1].clone(),
            role: OwnerRole::Co,
        },
    ];
    p.owners_note = "ほか".into();
    p.priority = Priority {
        flag: PriorityFlag::TopPriority,
        urgency: Some(37),
        importance: Some(81),
    };
    p.tags = vec!["タグ一".into(), "タグ二".into()];
    p.texts = Texts {
        issue: "課題の文".into(),
        purpose: "目的の文".into(),
        summary: "概要の文\n二行目".into(),
        goal: "目指す姿の文".into(),
        effects: vec!["効果一".into(), "効果二".into()],
    };
    p.footnotes = vec![Footnote {
        marker: "※1".into(),
        field: "summary".into(),
        text: "注記の文".into(),
    }];
    p.indicators = vec![
        Indicator {
            id: new_id(),
            kind: IndicatorKind::KGI,
            name: "KGI の名".into(),
            unit: Some("件".into()),
            cumulative: true,
            values: vec![IndicatorValue {
                fiscal_year: first,
                target: value("10件"),
                actual: value("8件"),
            }],
        },
        Indicator {
            id: new_id(),
            kind: IndicatorKind::KPI,
            name: "KPI の名".into(),
            unit: Some("%".into()),
            cumulative: false,
            values: vec![
                IndicatorValue {
                    fiscal_year: first,
                    target: value("50%"),
                    actual: None,
                },
                IndicatorValue {
                    fiscal_year: first + 1,
                    target: value("70%"),
                    actual: value("65%"),
                },
            ],
        },
    ];
    p.schedule = vec![
        Task {
            id: new_id(),
            name: "検討".into(),
            start_fy: first,
            end_fy: first + 1,
            phases: BTreeMap::from([(first, "調査".into())]),
            confirmed: true,
        },
        Task {
            id: new_id(),
            name: "運用".into(),
            start_fy: first + 2,
            end_fy: first + 2,
            phases: BTreeMap::new(),
            confirmed: false,
        },
    ];
    p.budget = vec![
        BudgetYear {
            fiscal_year: first,
            planned_thousand_yen: Some(1200),
            general_revenue_thousand_yen: Some(300),
        },
        BudgetYear {
            fiscal_year: first + 1,
            planned_thousand_yen: Some(0),
            general_revenue_thousand_yen: None,
        },
    ];
    p.progress = vec![Progress {
        fiscal_year: first,
        status: "順調".into(),
        achievements: "実績の文".into(),
        issues: "進捗課題の文".into(),
        remedies: "改善策の文".into(),
        evaluation: "A".into(),
    }];
    p.clone()
}

/// The kind of a field path (its variant), for counting kinds.
fn kind(path: &str) -> String {
    let fp = FieldPath::parse(path).expect("a path of project_fields parses");
    format!("{:?}", std::mem::discriminant(&fp))
}

#[test]
fn every_field_of_a_project_survives_its_sheet() {
    let mut plan = dxplan::sample::onojo().expect("sample plan");
    let want = full_project(&mut plan);
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("master.xlsx");
    write_master(&plan, &path, &ExportOptions::default()).expect("export master");
    let wb = workbook::open(&path).unwrap();
    let native = read_native(&path, &wb).unwrap().expect("a dxplan workbook");
    let got = native
        .plan
        .projects
        .iter()
        .find(|p| p.id == want.id)
        .expect("the project read back");

    let (want_fields, got_fields) = (project_fields(&want), project_fields(got));
    // Every field of the project is set (a field added to the model and not here fails).
    for f in ProjectField::ALL {
        let v = &want_fields[f.path()];
        let unset = v.as_str() == Some("")
            || v.as_array().is_some_and(Vec::is_empty)
            || *v == serde_json::to_value(ProjectStatus::default()).unwrap()
            || *v == serde_json::to_value(Priority::default()).unwrap();
        assert!(!unset, "{} is not set: {v}", f.path());
    }
    // Every kind of field path is in the project (a project field, both orders, an
    // indicator, its values, a task, a budget year, a year's progress) …
    let kinds: BTreeSet<String> = want_fields.keys().map(|k| kind(k)).collect();
    assert_eq!(kinds.len(), 8, "{:?}", want_fields.keys());
    // … and every path reads back as written.
    for (path, v) in &want_fields {
        assert_eq!(got_fields.get(path), Some(v), "{path}");
    }
    assert_eq!(
        got_fields.keys().collect::<Vec<_>>(),
        want_fields.keys().collect::<Vec<_>>()
    );
}
