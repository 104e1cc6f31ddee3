//! Property: for random edit sets by the office (ours) and a department (theirs) on one
//! project, the three-way merge keeps every non-conflicting edit, records each conflict once,
//! and changes no field that no one changed.

use dxplan::merge::three_way::{three_way, Decision};
use dxplan::model::fields::{apply_fields, project_fields, FieldMap};
use proptest::prelude::*;
use serde_json::{json, Value as Json};

#[derive(Debug, Clone, Copy)]
enum Edit {
    Keep,
    Change(u8),
    Clear,
}

fn edit_strategy() -> impl Strategy<Value = Edit> {
    prop_oneof![4 => Just(Edit::Keep), 3 => (0u8..3).prop_map(Edit::Change), 1 => Just(Edit::Clear)]
}

/// A new value of the same shape as `v`, distinct per `tag`.
fn changed(field: &str, v: &Json, tag: u8) -> Json {
    match v {
        Json::String(s) => json!(format!("{s}／変更{tag}")),
        Json::Number(n) => json!(n.as_i64().unwrap_or(0) + 1 + tag as i64),
        Json::Object(o) if field.starts_with("task/") => {
            let mut o = o.clone();
            o.insert("name".into(), json!(format!("工程{tag}")));
            Json::Object(o)
        }
        Json::Object(o) if o.contains_key("text") => json!(dxplan::parse::value::parse_value(
            &format!("{}件", 100 + tag as u32)
        )),
        Json::Object(o) => {
            let mut o = o.clone();
            o.insert("name".into(), json!(format!("指標{tag}")));
            Json::Object(o)
        }
        other => other.clone(),
    }
}

/// Fields a department can edit in its sheet (owners and structure are the office's).
fn editable(k: &str) -> bool {
    k.starts_with("texts.") && k != "texts.effects"
        || k == "title"
        || k.starts_with("budget/")
        || k.starts_with("indicator/")
        || k.starts_with("task/")
}

fn edited(base: &FieldMap, edits: &[(String, Edit)]) -> Vec<(String, Option<Json>)> {
    edits
        .iter()
        .filter_map(|(k, e)| match e {
            Edit::Keep => None,
            Edit::Change(t) => Some((k.clone(), Some(changed(k, &base[k], *t)))),
            Edit::Clear => Some((k.clone(), None)),
        })
        // Clearing an indicator row clears its values too; keep the property about fields.
        .filter(|(k, v)| v.is_some() || k.matches('/').count() != 1 || !k.starts_with("indicator/"))
        .collect()
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(200))]
    #[test]
    fn merge_keeps_every_edit_and_records_each_conflict_once(
        seed in 0u64..50,
        ours_edits in prop::collection::vec(edit_strategy(), 64),
        theirs_edits in prop::collection::vec(edit_strategy(), 64),
    ) {
        let plan = dxplan::generate::generate(2, seed);
        let base_p = plan.projects[0].clone();
        let base = project_fields(&base_p);
        let keys: Vec<String> = base.keys().filter(|k| editable(k)).cloned().collect();
        let pick = |edits: &[Edit]| -> Vec<(String, Edit)> { keys.iter().cloned().zip(edits.iter().copied()).collect() };
        let ours_changes = edited(&base, &pick(&ours_edits));
        let theirs_changes = edited(&base, &pick(&theirs_edits));
        let mut ours_p = base_p.clone();
        apply_fields(&mut ours_p, ours_changes.iter().map(|(k, v)| (k.as_str(), v.as_ref()))).unwrap();
        let mut theirs_p = base_p.clone();
        apply_fields(&mut theirs_p, theirs_changes.iter().map(|(k, v)| (k.as_str(), v.as_ref()))).unwrap();
        let (ours, theirs) = (project_fields(&ours_p), project_fields(&theirs_p));

        let decisions = three_way(&base, &ours, &theirs);
        let mut merged_p = ours_p.clone();
        let applies: Vec<(String, Option<Json>)> = decisions
            .iter()
            .filter_map(|d| match &d.decision { Decision::Apply(v) => Some((d.field.clone(), v.clone())), _ => None })
            .collect();
        apply_fields(&mut merged_p, applies.iter().map(|(k, v)| (k.as_str(), v.as_ref()))).unwrap();
        let merged = project_fields(&merged_p);

        let all: std::collections::BTreeSet<&String> = base.keys().chain(ours.keys()).chain(theirs.keys()).collect();
        for k in all {
            // Row order follows the rows that stand (a deleted row kept by a conflict stays
            // listed); it is merged as a list, never a conflict: checked below.
            if dxplan::model::fields::is_order_field(k) {
                let order_conflict = decisions.iter().any(|d| &d.field == k && matches!(d.decision, Decision::Conflict { .. }));
                prop_assert!(!order_conflict, "row order never conflicts");
                continue;
            }
            let (b, o, t, m) = (base.get(k), ours.get(k), theirs.get(k), merged.get(k));
            let conflicts = decisions.iter().filter(|d| &d.field == k && matches!(d.decision, Decision::Conflict { .. })).count();
            match (o != b, t != b) {
                (false, false) => prop_assert_eq!(m, b, "{} changed though no one changed it", k),
                (true, false) => prop_assert_eq!(m, o, "{}: the office's edit kept", k),
                (false, true) => prop_assert_eq!(m, t, "{}: the department's edit applied", k),
                (true, true) if o == t => { prop_assert_eq!(m, o); prop_assert_eq!(conflicts, 0); }
                (true, true) => { prop_assert_eq!(m, o, "{}: a conflict keeps ours", k); prop_assert_eq!(conflicts, 1, "{}: recorded once", k); }
            }
            if !(o != b && t != b && o != t) {
                prop_assert_eq!(conflicts, 0);
            }
        }
        let order: Vec<String> = serde_json::from_value(merged.get("schedule.order").cloned().unwrap_or(json!([]))).unwrap();
        prop_assert_eq!(order, merged_p.schedule.iter().map(|t| t.id.clone()).collect::<Vec<_>>());
    }
}
