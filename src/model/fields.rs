//! A project seen as a flat map of fields. This is the unit of the change log and of the
//! three-way merge: one text field, one indicator's target or actual in one fiscal year,
//! one budget cell, one schedule task.

use std::collections::BTreeMap;

use serde_json::{json, Value as Json};

use super::Project;

/// Field path → value (JSON). A field absent from the map has no value.
pub type FieldMap = BTreeMap<String, Json>;

pub fn project_fields(p: &Project) -> FieldMap {
    let mut m = FieldMap::new();
    let mut put = |k: String, v: Json| {
        if !v.is_null() {
            m.insert(k, v);
        }
    };
    put("title".into(), json!(p.title));
    put("status".into(), json!(p.status));
    put("measures".into(), json!(p.measure_ids));
    put("position".into(), json!(p.position));
    put("owners".into(), json!(p.owners));
    put("owners_note".into(), json!(p.owners_note));
    put("texts.issue".into(), json!(p.texts.issue));
    put("texts.purpose".into(), json!(p.texts.purpose));
    put("texts.summary".into(), json!(p.texts.summary));
    put("texts.goal".into(), json!(p.texts.goal));
    put("texts.effects".into(), json!(p.texts.effects));
    put("footnotes".into(), json!(p.footnotes));
    put("priority".into(), json!(p.priority));
    put("tags".into(), json!(p.tags));
    for (i, ind) in p.indicators.iter().enumerate() {
        let base = format!("indicator/{}", ind.id);
        put(
            base.clone(),
            json!({"order": i, "kind": ind.kind, "name": ind.name, "unit": ind.unit, "cumulative": ind.cumulative}),
        );
        for v in &ind.values {
            put(format!("{base}/{}/target", v.fiscal_year), json!(v.target));
            put(format!("{base}/{}/actual", v.fiscal_year), json!(v.actual));
        }
    }
    for (i, t) in p.schedule.iter().enumerate() {
        let mut tj = json!(t);
        tj["order"] = json!(i);
        put(format!("task/{}", t.id), tj);
    }
    for b in &p.budget {
        put(format!("budget/{}/planned", b.fiscal_year), json!(b.planned_thousand_yen));
        put(format!("budget/{}/general_revenue", b.fiscal_year), json!(b.general_revenue_thousand_yen));
    }
    for pr in &p.progress {
        put(format!("progress/{}", pr.fiscal_year), json!(pr));
    }
    m
}

/// One field that differs between two versions of a project.
#[derive(Debug, Clone, PartialEq)]
pub struct FieldChange {
    pub field: String,
    pub old: Option<Json>,
    pub new: Option<Json>,
}

pub fn diff_fields(old: &FieldMap, new: &FieldMap) -> Vec<FieldChange> {
    let mut out = Vec::new();
    for (k, nv) in new {
        match old.get(k) {
            Some(ov) if ov == nv => {}
            ov => out.push(FieldChange { field: k.clone(), old: ov.cloned(), new: Some(nv.clone()) }),
        }
    }
    for (k, ov) in old {
        if !new.contains_key(k) {
            out.push(FieldChange { field: k.clone(), old: Some(ov.clone()), new: None });
        }
    }
    out.sort_by(|a, b| a.field.cmp(&b.field));
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::*;

    #[test]
    fn clearing_a_value_is_a_change_to_empty() {
        let mut p = Project::new("m", "t");
        p.budget.push(BudgetYear { fiscal_year: 2023, planned_thousand_yen: Some(0), general_revenue_thousand_yen: None });
        let before = project_fields(&p);
        p.budget[0].planned_thousand_yen = None;
        let changes = diff_fields(&before, &project_fields(&p));
        assert_eq!(changes.len(), 1);
        assert_eq!(changes[0].field, "budget/2023/planned");
        assert_eq!(changes[0].old, Some(json!(0)));
        assert_eq!(changes[0].new, None);
    }

    #[test]
    fn unchanged_project_has_no_diff() {
        let p = Project::new("m", "t");
        assert!(diff_fields(&project_fields(&p), &project_fields(&p)).is_empty());
    }
}
