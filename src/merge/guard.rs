//! Changes a department's answer may propose but not decide alone: they become conflicts for
//! the office (修正が重なった項目) instead of being applied.
//! - Removing or replacing the lead unit (主担当課) of a project the department only co-owns.
//! - Removing an indicator the office has changed since the export: the removal would take
//!   the office's newer work with it.

use crate::model::fields::FieldMap;
use crate::model::{OwnerRole, Project};

use super::scope::Scope;
use super::three_way::{Decision, FieldDecision};

/// Why the lead rule held an owners change.
pub const LEAD_NOTE: &str = "主担当課を外す・替える変更は、主担当課か DX 推進担当が決めます / only the lead unit or the DX office may remove or replace the lead unit";

/// An owners change that drops the lead unit of the base, sent by a department that does
/// not speak for that unit, becomes a conflict.
pub fn lead(
    d: FieldDecision,
    base: &Project,
    theirs: &Project,
    scope: &Scope,
) -> (FieldDecision, Option<&'static str>) {
    let Decision::Apply(v) = &d.decision else {
        return (d, None);
    };
    let Some(lead) = base.owners.iter().find(|o| o.role == OwnerRole::Lead) else {
        return (d, None);
    };
    let keeps_lead = theirs
        .owners
        .iter()
        .any(|o| o.unit_id == lead.unit_id && o.role == OwnerRole::Lead);
    if keeps_lead || scope.units.contains(&lead.unit_id) {
        return (d, None);
    }
    let base_v = serde_json::to_value(&base.owners).ok();
    let decision = Decision::Conflict {
        base: base_v.clone(),
        // Apply: the plan still has the base's owners.
        ours: base_v,
        theirs: v.clone(),
    };
    (
        FieldDecision {
            field: d.field,
            decision,
        },
        Some(LEAD_NOTE),
    )
}

/// Why an indicator removal was held.
pub const REMOVAL_NOTE: &str = "事務局が書き出し後に変更した指標の削除です。削除するかは DX 推進担当が決めます / the office changed this indicator since the export: it decides on the removal";

/// An indicator the department removed (`indicator/ID` to nothing) that the office changed
/// since the export (its definition or any of its values) is not removed: the removal is one
/// conflict on the indicator, and none of its values change meanwhile. Returns the decisions
/// and the fields so held.
pub fn removals(
    decisions: Vec<FieldDecision>,
    base: &FieldMap,
    ours: &FieldMap,
) -> (Vec<FieldDecision>, Vec<String>) {
    let removed: Vec<String> = decisions
        .iter()
        .filter(|d| d.field.starts_with("indicator/") && d.field.matches('/').count() == 1)
        .filter(|d| {
            matches!(
                &d.decision,
                Decision::Apply(None) | Decision::Conflict { theirs: None, .. }
            )
        })
        .map(|d| d.field.clone())
        .collect();
    let mut held = Vec::new();
    let mut out = decisions;
    for field in removed {
        let prefix = format!("{field}/");
        let under = |k: &String| *k == field || k.starts_with(&prefix);
        let changed = base
            .keys()
            .chain(ours.keys())
            .filter(|k| under(k))
            .any(|k| base.get(k) != ours.get(k));
        if !changed {
            continue;
        }
        out.retain(|d| !d.field.starts_with(&prefix));
        for d in out.iter_mut().filter(|d| d.field == field) {
            d.decision = Decision::Conflict {
                base: base.get(&field).cloned(),
                ours: ours.get(&field).cloned(),
                theirs: None,
            };
        }
        held.push(field);
    }
    (out, held)
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn map(pairs: &[(&str, serde_json::Value)]) -> FieldMap {
        pairs
            .iter()
            .map(|(k, v)| (k.to_string(), v.clone()))
            .collect()
    }

    #[test]
    fn a_removal_of_what_the_office_changed_is_held_whole() {
        let meta = json!({"kind": "KPI", "name": "n", "unit": null, "cumulative": false});
        let base = map(&[
            ("indicator/i", meta.clone()),
            ("indicator/i/2022/target", json!({"text": "1"})),
            ("indicator/i/2023/target", json!({"text": "2"})),
        ]);
        let ours = map(&[
            ("indicator/i", meta.clone()),
            ("indicator/i/2022/target", json!({"text": "1"})),
            ("indicator/i/2023/target", json!({"text": "3"})),
        ]);
        let theirs = map(&[]);
        let d = super::super::three_way::three_way(&base, &ours, &theirs);
        let (d, held) = removals(d, &base, &ours);
        assert_eq!(held, vec!["indicator/i".to_string()]);
        assert_eq!(d.len(), 1, "{d:?}");
        assert!(matches!(
            d[0].decision,
            Decision::Conflict { theirs: None, .. }
        ));
        // Unchanged centrally: removed with its values.
        let d = super::super::three_way::three_way(&base, &base, &theirs);
        let (d, held) = removals(d, &base, &base);
        assert!(held.is_empty());
        assert_eq!(d.len(), 3);
    }
}
