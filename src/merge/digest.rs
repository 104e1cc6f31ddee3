//! What a submission says, as a digest independent of the file's bytes: the export id, then
//! each project's field map (`model::fields::project_fields`) as serde_json writes it.
//!
//! The bytes are those of `serde_json::to_vec(&project_fields(p))` (answers merged before are
//! recorded under them), but written without building the map: its entries are listed with
//! their keys, sorted the way the map sorts them, and written one by one. The objects among
//! the values (owners, tasks, indicator values, …) are written with their keys in the order a
//! `serde_json::Value` sorts them; the tests hold every one to the bytes of the map.

use serde::Serialize;
use sha2::{Digest, Sha256};

use crate::import::native::NativeWorkbook;
use crate::model::fields::{FieldPath, Money, ProjectField, Side, INDICATOR_ORDER, TASK_ORDER};
use crate::model::{Footnote, Indicator, Owner, Priority, Progress, Project, Task, Value};

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

/// A field's value, borrowed from the project.
enum Val<'p> {
    Str(&'p str),
    Strs(&'p [String]),
    Ids(Vec<&'p str>),
    Whole(u32),
    Amount(i64),
    Status(crate::model::ProjectStatus),
    Owners(&'p [Owner]),
    Footnotes(&'p [Footnote]),
    Priority(&'p Priority),
    Indicator(&'p Indicator),
    Value(&'p Value),
    Task(&'p Task),
    Progress(&'p Progress),
}

/// `serde_json::to_vec(&project_fields(p))`, written into `out`.
pub(crate) fn write_fields<'p>(p: &'p Project, out: &mut Vec<u8>) {
    let mut entries: Vec<(String, Val<'p>)> = Vec::with_capacity(32);
    let mut put = |k: String, v: Val<'p>| entries.push((k, v));
    for f in ProjectField::ALL {
        let v = match f {
            ProjectField::Title => Val::Str(&p.title),
            ProjectField::Status => Val::Status(p.status),
            ProjectField::Measures => Val::Strs(&p.measure_ids),
            ProjectField::Position => Val::Whole(p.position),
            ProjectField::Owners => Val::Owners(&p.owners),
            ProjectField::OwnersNote => Val::Str(&p.owners_note),
            ProjectField::Issue => Val::Str(&p.texts.issue),
            ProjectField::Purpose => Val::Str(&p.texts.purpose),
            ProjectField::Summary => Val::Str(&p.texts.summary),
            ProjectField::Goal => Val::Str(&p.texts.goal),
            ProjectField::Effects => Val::Strs(&p.texts.effects),
            ProjectField::Footnotes => Val::Footnotes(&p.footnotes),
            ProjectField::Priority => Val::Priority(&p.priority),
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
            Val::Indicator(ind),
        );
        for v in &ind.values {
            for (side, value) in [(Side::Target, &v.target), (Side::Actual, &v.actual)] {
                // No value, no entry (`project_fields` leaves nulls out).
                if let Some(value) = value {
                    put(
                        FieldPath::IndicatorValue(&ind.id, v.fiscal_year, side).to_string(),
                        Val::Value(value),
                    );
                }
            }
        }
    }
    for t in &p.schedule {
        put(FieldPath::Task(&t.id).to_string(), Val::Task(t));
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
            Val::Progress(pr),
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
            Val::Status(s) => write(out, s),
            Val::Owners(owners) => list(out, owners, |out, o| {
                Object::new(out)
                    .field("role", &o.role)
                    .field("unit_id", &o.unit_id);
            }),
            Val::Footnotes(notes) => list(out, notes, |out, n| {
                Object::new(out)
                    .field("field", &n.field)
                    .field("marker", &n.marker)
                    .field("text", &n.text);
            }),
            Val::Priority(pr) => {
                Object::new(out)
                    .field("flag", &pr.flag)
                    .field("importance", &pr.importance)
                    .field("urgency", &pr.urgency);
            }
            Val::Indicator(ind) => {
                Object::new(out)
                    .field("cumulative", &ind.cumulative)
                    .field("kind", &ind.kind)
                    .field("name", &ind.name)
                    .field("unit", &ind.unit);
            }
            Val::Value(v) => {
                let mut o = Object::new(out);
                o.field("denominator", &v.denominator);
                if !v.markers.is_empty() {
                    o.field("markers", &v.markers);
                }
                o.field("number", &v.number);
                if let Some(q) = &v.qualifier {
                    o.field("qualifier", q);
                }
                o.field("text", &v.text).field("unit", &v.unit);
            }
            Val::Task(t) => {
                // A map's keys are text in JSON, in the order of the text.
                let mut phases: Vec<(String, &String)> =
                    t.phases.iter().map(|(fy, p)| (fy.to_string(), p)).collect();
                phases.sort();
                let mut o = Object::new(out);
                o.field("confirmed", &t.confirmed)
                    .field("end_fy", &t.end_fy)
                    .field("id", &t.id)
                    .field("name", &t.name);
                o.key("phases");
                let mut ph = Object::new(o.out);
                for (fy, p) in &phases {
                    ph.field(fy, p);
                }
                drop(ph);
                o.field("start_fy", &t.start_fy);
            }
            Val::Progress(pr) => {
                Object::new(out)
                    .field("achievements", &pr.achievements)
                    .field("evaluation", &pr.evaluation)
                    .field("fiscal_year", &pr.fiscal_year)
                    .field("issues", &pr.issues)
                    .field("remedies", &pr.remedies)
                    .field("status", &pr.status);
            }
        }
    }
    out.push(b'}');
}

/// A JSON object written field by field (in the order given: the callers give them sorted, as
/// `serde_json::Value` holds them); closed when dropped.
struct Object<'o> {
    out: &'o mut Vec<u8>,
    first: bool,
}

impl<'o> Object<'o> {
    fn new(out: &'o mut Vec<u8>) -> Self {
        out.push(b'{');
        Object { out, first: true }
    }

    fn key(&mut self, k: &str) {
        if !std::mem::take(&mut self.first) {
            self.out.push(b',');
        }
        write(self.out, k);
        self.out.push(b':');
    }

    /// A field whose value holds no object (text, numbers, lists of text, unit enums): its
    /// bytes are the same written directly as through a `Value`.
    fn field(&mut self, k: &str, v: &(impl Serialize + ?Sized)) -> &mut Self {
        self.key(k);
        write(self.out, v);
        self
    }
}

impl Drop for Object<'_> {
    fn drop(&mut self) {
        self.out.push(b'}');
    }
}

/// A JSON list of objects.
fn list<T>(out: &mut Vec<u8>, items: &[T], item: impl Fn(&mut Vec<u8>, &T)) {
    out.push(b'[');
    for (i, x) in items.iter().enumerate() {
        if i > 0 {
            out.push(b',');
        }
        item(out, x);
    }
    out.push(b']');
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
        p.priority.urgency = Some(80);
        p.footnotes.push(crate::model::Footnote {
            marker: "※1".into(),
            field: "texts.summary".into(),
            text: "注 \"記\"".into(),
        });
        p.progress.push(crate::model::Progress {
            fiscal_year: 2025,
            status: "実施中".into(),
            achievements: "a".into(),
            issues: String::new(),
            remedies: "r".into(),
            evaluation: "B".into(),
        });
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
