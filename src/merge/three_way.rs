//! The three-way rule, per field (a text field, one indicator's target or actual in one
//! fiscal year, one budget cell, one schedule task): base is what the department received,
//! ours is the central plan now, theirs is the submission.

use std::collections::BTreeSet;

use serde_json::Value as Json;

use crate::model::fields::{is_order_field, FieldMap};

/// What a three-way comparison of one field decided.
#[derive(Debug, Clone, PartialEq)]
pub enum Decision {
    /// Changed only in the submission: take theirs (None: the department cleared it).
    Apply(Option<Json>),
    /// Changed in both to the same value: nothing to do, counted once.
    Same,
    /// Changed in both differently: keep ours, show base / ours / theirs to a person.
    Conflict {
        /// The value the department received (base).
        base: Option<Json>,
        /// The office's value (本庁).
        ours: Option<Json>,
        /// The department's value (課).
        theirs: Option<Json>,
    },
}

/// The decision for one field.
#[derive(Debug, Clone, PartialEq)]
pub struct FieldDecision {
    /// The field path (`texts.summary`, `indicator/{id}/{fy}/target`, …).
    pub field: String,
    /// What the three-way comparison decided.
    pub decision: Decision,
}

/// The fields the submission changed, each with what to do. Fields the submission left as
/// they were (changed centrally or not at all) are absent: ours stands.
pub fn three_way(base: &FieldMap, ours: &FieldMap, theirs: &FieldMap) -> Vec<FieldDecision> {
    let keys: BTreeSet<&String> = base.keys().chain(theirs.keys()).collect();
    let mut out = Vec::new();
    for k in keys {
        let (b, o, t) = (base.get(k), ours.get(k), theirs.get(k));
        if t == b {
            continue;
        }
        let decision = if o == b {
            Decision::Apply(t.cloned())
        } else if o == t {
            Decision::Same
        } else if is_order_field(k) {
            // Both changed the rows: ours' order, less the rows they removed, plus their new
            // rows after the row they follow. Rows are never lost to an order conflict.
            match merge_order(b, o, t) {
                m if Some(&m) == o => continue,
                m => Decision::Apply(Some(m)),
            }
        } else {
            Decision::Conflict {
                base: b.cloned(),
                ours: o.cloned(),
                theirs: t.cloned(),
            }
        };
        out.push(FieldDecision {
            field: k.clone(),
            decision,
        });
    }
    out
}

fn ids(v: Option<&Json>) -> Vec<String> {
    v.and_then(|v| serde_json::from_value(v.clone()).ok())
        .unwrap_or_default()
}

fn merge_order(base: Option<&Json>, ours: Option<&Json>, theirs: Option<&Json>) -> Json {
    let (b, t) = (ids(base), ids(theirs));
    let mut out: Vec<String> = ids(ours)
        .into_iter()
        .filter(|id| !b.contains(id) || t.contains(id))
        .collect();
    for (i, id) in t.iter().enumerate() {
        if b.contains(id) || out.contains(id) {
            continue;
        }
        let at = t[..i]
            .iter()
            .rev()
            .find_map(|prev| out.iter().position(|x| x == prev))
            .map_or(0, |p| p + 1);
        out.insert(at, id.clone());
    }
    serde_json::json!(out)
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn map(pairs: &[(&str, Json)]) -> FieldMap {
        pairs
            .iter()
            .map(|(k, v)| (k.to_string(), v.clone()))
            .collect()
    }

    #[test]
    fn the_four_cases_and_clearing() {
        let base = map(&[
            ("a", json!(1)),
            ("b", json!(1)),
            ("c", json!(1)),
            ("d", json!(1)),
            ("e", json!(1)),
        ]);
        let ours = map(&[
            ("a", json!(1)),
            ("b", json!(2)),
            ("c", json!(3)),
            ("d", json!(4)),
            ("e", json!(1)),
        ]);
        let theirs = map(&[
            ("a", json!(9)),
            ("b", json!(1)),
            ("c", json!(3)),
            ("d", json!(5)),
        ]);
        let d = three_way(&base, &ours, &theirs);
        assert_eq!(
            d,
            vec![
                FieldDecision {
                    field: "a".into(),
                    decision: Decision::Apply(Some(json!(9)))
                },
                FieldDecision {
                    field: "c".into(),
                    decision: Decision::Same
                },
                FieldDecision {
                    field: "d".into(),
                    decision: Decision::Conflict {
                        base: Some(json!(1)),
                        ours: Some(json!(4)),
                        theirs: Some(json!(5))
                    }
                },
                // A cell the department cleared is a change to "empty".
                FieldDecision {
                    field: "e".into(),
                    decision: Decision::Apply(None)
                },
            ]
        );
    }

    #[test]
    fn row_orders_merge_without_conflict() {
        let base = map(&[("schedule.order", json!(["a", "b", "c"]))]);
        let ours = map(&[("schedule.order", json!(["c", "a", "b"]))]);
        let theirs = map(&[("schedule.order", json!(["a", "x", "b"]))]);
        assert_eq!(
            three_way(&base, &ours, &theirs),
            vec![FieldDecision {
                field: "schedule.order".into(),
                decision: Decision::Apply(Some(json!(["a", "x", "b"])))
            }]
        );
    }

    #[test]
    fn a_row_added_in_the_sheet_is_added() {
        let base = map(&[]);
        let theirs = map(&[("task/new", json!({"name": "x"}))]);
        assert_eq!(
            three_way(&base, &base, &theirs),
            vec![FieldDecision {
                field: "task/new".into(),
                decision: Decision::Apply(Some(json!({"name": "x"})))
            }]
        );
    }
}
