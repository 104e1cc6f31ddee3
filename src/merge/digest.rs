//! What a submission says, as a digest independent of the file's bytes: the export id, then
//! each project's field map (`model::fields::project_fields`) as serde_json writes it.
//!
//! The bytes are those of `serde_json::to_vec(&project_fields(p))` (answers merged before are
//! recorded under them), but written without building the map: its entries are listed with
//! their keys, sorted the way the map sorts them, and written one by one. Plain values are
//! written as they are; the structured ones (owners, tasks, indicator values, …) go through
//! `serde_json::Value`, whose objects sort their keys, as the map's values did.

use serde::Serialize;
use serde_json::Value as Json;
use sha2::{Digest, Sha256};

use crate::import::native::NativeWorkbook;
use crate::model::fields::{FieldPath, Money, ProjectField, Side, INDICATOR_ORDER, TASK_ORDER};
use crate::model::Project;

/// The digest of a submission (`merge::digest`).
pub(crate) fn digest(sub: &NativeWorkbook) -> String {
    let mut h = Sha256::new();
    h.update(sub.meta.export_id.as_bytes());
    let mut buf = Vec::new();
    for p in &sub.plan.projects {
        buf.clear();
        write_fields(p, &mut buf);
        h.update(&buf);
    }
    format!("{:x}", h.finalize())
}

/// A field's value, borrowed from the project where it needs no conversion.
enum Val<'p> {
    Str(&'p str),
    Strs(&'p [String]),
    Ids(Vec<&'p str>),
    Whole(u32),
    Amount(i64),
    Json(Json),
}

/// `serde_json::to_vec(&project_fields(p))`, written into `out`.
pub(crate) fn write_fields<'p>(p: &'p Project, out: &mut Vec<u8>) {
    let mut entries: Vec<(String, Val<'p>)> = Vec::with_capacity(32);
    let mut put = |k: String, v: Val<'p>| entries.push((k, v));
    // Null values have no entry (`project_fields` leaves them out).
    let json = |v: Json| (!v.is_null()).then_some(Val::Json(v));
    for f in ProjectField::ALL {
        let v = match f {
            ProjectField::Title => Val::Str(&p.title),
            ProjectField::Status => Val::Json(serde_json::json!(p.status)),
            ProjectField::Measures => Val::Strs(&p.measure_ids),
            ProjectField::Position => Val::Whole(p.position),
            ProjectField::Owners => Val::Json(serde_json::json!(p.owners)),
            ProjectField::OwnersNote => Val::Str(&p.owners_note),
            ProjectField::Issue => Val::Str(&p.texts.issue),
            ProjectField::Purpose => Val::Str(&p.texts.purpose),
            ProjectField::Summary => Val::Str(&p.texts.summary),
            ProjectField::Goal => Val::Str(&p.texts.goal),
            ProjectField::Effects => Val::Strs(&p.texts.effects),
            ProjectField::Footnotes => Val::Json(serde_json::json!(p.footnotes)),
            ProjectField::Priority => Val::Json(serde_json::json!(p.priority)),
            ProjectField::Tags => Val::Strs(&p.tags),
        };
        put(f.path().to_string(), v);
    }
    if !p.indicators.is_empty() {
        put(
            INDICATOR_ORDER.to_string(),
            Val::Ids(p.indicators.iter().map(|i| i.id.as_str()).collect()),
        );
    }
    if !p.schedule.is_empty() {
        put(
            TASK_ORDER.to_string(),
            Val::Ids(p.schedule.iter().map(|t| t.id.as_str()).collect()),
        );
    }
    for ind in &p.indicators {
        put(
            FieldPath::Indicator(&ind.id).to_string(),
            Val::Json(
                serde_json::json!({"kind": ind.kind, "name": ind.name, "unit": ind.unit, "cumulative": ind.cumulative}),
            ),
        );
        for v in &ind.values {
            for (side, value) in [(Side::Target, &v.target), (Side::Actual, &v.actual)] {
                if let Some(value) = json(serde_json::json!(value)) {
                    put(
                        FieldPath::IndicatorValue(&ind.id, v.fiscal_year, side).to_string(),
                        value,
                    );
                }
            }
        }
    }
    for t in &p.schedule {
        put(
            FieldPath::Task(&t.id).to_string(),
            Val::Json(serde_json::json!(t)),
        );
    }
    for b in &p.budget {
        for (money, amount) in [
            (Money::Planned, b.planned_thousand_yen),
            (Money::GeneralRevenue, b.general_revenue_thousand_yen),
        ] {
            if let Some(a) = amount {
                put(
                    FieldPath::Budget(b.fiscal_year, money).to_string(),
                    Val::Amount(a),
                );
            }
        }
    }
    for pr in &p.progress {
        put(
            FieldPath::Progress(pr.fiscal_year).to_string(),
            Val::Json(serde_json::json!(pr)),
        );
    }
    // The map's order; a key given twice keeps its last value there.
    entries.sort_by(|a, b| a.0.cmp(&b.0));
    entries.dedup_by(|later, earlier| {
        let same = later.0 == earlier.0;
        if same {
            std::mem::swap(later, earlier);
        }
        same
    });
    out.push(b'{');
    for (i, (k, v)) in entries.iter().enumerate() {
        if i > 0 {
            out.push(b',');
        }
        write(out, k);
        out.push(b':');
        match v {
            Val::Str(s) => write(out, s),
            Val::Strs(s) => write(out, s),
            Val::Ids(s) => write(out, s),
            Val::Whole(n) => write(out, n),
            Val::Amount(n) => write(out, n),
            Val::Json(j) => write(out, j),
        }
    }
    out.push(b'}');
}

/// serde_json's bytes of `v` (into a `Vec`, which cannot fail to be written).
fn write(out: &mut Vec<u8>, v: &(impl Serialize + ?Sized)) {
    let _ = serde_json::to_writer(&mut *out, v);
}

#[cfg(test)]
mod tests {
    use super::write_fields;
    use crate::model::fields::project_fields;
    use crate::model::{BudgetYear, IndicatorValue, Project, Value};

    /// The digest's definition as merges before this writer computed it.
    fn as_the_map_wrote_it(p: &Project) -> Vec<u8> {
        serde_json::to_vec(&project_fields(p)).unwrap()
    }

    fn written(p: &Project) -> Vec<u8> {
        let mut out = Vec::new();
        write_fields(p, &mut out);
        out
    }

    #[test]
    fn every_project_is_written_as_its_field_map() {
        let mut plans = vec![crate::generate::generate(40, 3)];
        plans.extend(crate::sample::onojo());
        for plan in &plans {
            for p in &plan.projects {
                assert_eq!(
                    String::from_utf8(written(p)).unwrap(),
                    String::from_utf8(as_the_map_wrote_it(p)).unwrap(),
                    "{}",
                    p.title
                );
            }
        }
    }

    #[test]
    fn odd_projects_are_written_as_their_field_map() {
        let mut p = crate::generate::generate(1, 9).projects.remove(0);
        assert!(!p.indicators.is_empty() && !p.schedule.is_empty() && !p.budget.is_empty());
        // Text a JSON string escapes, numbers JSON has no word for, a value with every part.
        p.title = "「\"引用\"」\\ \n\t\u{1}".into();
        p.owners_note = String::new();
        p.texts.effects = vec!["効果 \"1\"".into(), String::new()];
        p.tags = Vec::new();
        let odd = Value {
            text: "30%減 ※2".into(),
            number: Some(f64::NAN),
            unit: Some("%".into()),
            denominator: Some(f64::INFINITY),
            qualifier: Some("減".into()),
            markers: vec!["※2".into()],
        };
        p.indicators[0].values = vec![
            IndicatorValue {
                fiscal_year: 2024,
                target: Some(odd.clone()),
                actual: None,
            },
            IndicatorValue {
                fiscal_year: 999,
                target: None,
                actual: Some(Value {
                    number: Some(-0.0),
                    denominator: Some(1e300),
                    ..odd
                }),
            },
        ];
        p.indicators[0].unit = None;
        // Fiscal years whose order as text is not their order as numbers.
        let task = &mut p.schedule[0];
        task.phases = [
            (999, "検討".to_string()),
            (1000, "構築".to_string()),
            (-1, String::new()),
        ]
        .into_iter()
        .collect();
        p.budget.push(BudgetYear {
            fiscal_year: 10000,
            planned_thousand_yen: None,
            general_revenue_thousand_yen: Some(-5),
        });
        // The same indicator id twice (a copied block, refused later): the map keeps the last.
        let mut twice = p.indicators[0].clone();
        twice.name = "写し".into();
        twice.values.truncate(1);
        p.indicators.push(twice);
        assert_eq!(
            String::from_utf8(written(&p)).unwrap(),
            String::from_utf8(as_the_map_wrote_it(&p)).unwrap()
        );
        let empty = Project::new("m", "");
        assert_eq!(written(&empty), as_the_map_wrote_it(&empty));
    }
}
