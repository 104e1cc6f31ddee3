//! Which changes an import applies to a project the plan already has. Filling what is empty
//! (a new indicator, a year's value not yet written, an empty text) is applied; changing or
//! clearing a value the plan has is held unless accepted, for all projects (`--accept all`), a
//! project (`--accept Ⅰ-1-①`), or a field (`--accept-fields budget`, `--accept Ⅰ-1-①:budget`).
//! The default never overwrites.

use std::collections::BTreeSet;

use crate::model::fields::{field_name_of, is_order_field, only_adds, FieldChange};

#[derive(Debug, Clone, Default, PartialEq)]
pub struct Accept {
    /// Every change is applied.
    pub all: bool,
    /// Every change of these projects (ids).
    pub projects: BTreeSet<String>,
    /// Changes of one field (a name of `model::fields::FIELD_NAMES`, or an exact field path)
    /// in every project (`None`) or in one (its id).
    pub fields: Vec<(Option<String>, String)>,
}

impl Accept {
    /// Whether a change to an existing value of `path` in project `project_id` is accepted.
    pub fn accepts(&self, project_id: &str, path: &str) -> bool {
        if self.all || self.projects.contains(project_id) {
            return true;
        }
        let name = field_name_of(path);
        self.fields
            .iter()
            .any(|(p, f)| p.as_deref().is_none_or(|p| p == project_id) && (f == path || f == name))
    }
}

/// Whether a change only adds to what the plan has (applied without being accepted). Row
/// orders follow the rows and are never held.
pub fn is_addition(c: &FieldChange) -> bool {
    is_order_field(&c.field) || only_adds(c.old.as_ref(), c.new.as_ref())
}

/// Splits the changes of one matched project into those applied and those held.
pub fn split(
    changes: Vec<FieldChange>,
    project_id: &str,
    accept: &Accept,
) -> (Vec<FieldChange>, Vec<FieldChange>) {
    changes
        .into_iter()
        .partition(|c| is_addition(c) || accept.accepts(project_id, &c.field))
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn change(
        field: &str,
        old: Option<serde_json::Value>,
        new: Option<serde_json::Value>,
    ) -> FieldChange {
        FieldChange {
            field: field.into(),
            old,
            new,
        }
    }

    #[test]
    fn only_additions_pass_by_default() {
        let none = Accept::default();
        let changes = vec![
            change("budget/2024/planned", Some(json!(4000)), Some(json!(12000))),
            change("budget/2025/planned", None, Some(json!(8000))),
            change("texts.summary", Some(json!("")), Some(json!("概要"))),
            change(
                "texts.goal",
                Some(json!("前の目標")),
                Some(json!("新しい目標")),
            ),
            change(
                "indicators.order",
                Some(json!(["a"])),
                Some(json!(["a", "b"])),
            ),
            change("tags", Some(json!(["x"])), Some(json!(["x", "y"]))),
            change(
                "indicator/a",
                Some(json!({"kind": "KPI", "name": "n", "unit": null, "cumulative": false})),
                Some(json!({"kind": "KPI", "name": "n", "unit": "件", "cumulative": false})),
            ),
            change(
                "indicator/a/2024/target",
                Some(json!({"text": "5件"})),
                None,
            ),
        ];
        let (applied, held) = split(changes.clone(), "p", &none);
        let names = |v: &[FieldChange]| v.iter().map(|c| c.field.clone()).collect::<Vec<_>>();
        assert_eq!(
            names(&applied),
            [
                "budget/2025/planned",
                "texts.summary",
                "indicators.order",
                "indicator/a"
            ]
        );
        assert_eq!(
            names(&held),
            [
                "budget/2024/planned",
                "texts.goal",
                "tags",
                "indicator/a/2024/target"
            ]
        );
        let budget = Accept {
            fields: vec![(None, "budget".into())],
            ..Accept::default()
        };
        assert_eq!(split(changes.clone(), "p", &budget).1.len(), 3);
        let other_project = Accept {
            fields: vec![(Some("q".into()), "budget".into())],
            ..Accept::default()
        };
        assert_eq!(split(changes.clone(), "p", &other_project).1.len(), 4);
        let project = Accept {
            projects: ["p".to_string()].into(),
            ..Accept::default()
        };
        assert!(split(changes, "p", &project).1.is_empty());
    }
}
