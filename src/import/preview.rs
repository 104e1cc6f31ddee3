//! Old → new of every changed field of a matched project, as people read it (千円 with
//! separators, tasks as 「2023〜2024年度」, unit names, never JSON or ids), with whether the
//! import applies it or holds it until accepted.

use serde::{Deserialize, Serialize};
use serde_json::Value as Json;

use crate::compare::render;
use crate::model::fields::{field_name_of, is_empty_value, FieldChange, FieldPath};
use crate::model::*;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(rename_all = "snake_case")]
/// How an import changes a field of a matched project.
pub enum ChangeKind {
    /// The plan had no value: filled (applied without being accepted).
    Added,
    /// A value the plan has, replaced.
    Changed,
    /// A value the plan has, cleared (the sheet says 「－」).
    Cleared,
}

/// One field of a matched project that the import would change, as the preview shows it.
#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct FieldChangeView {
    /// The field's path (`budget/2024/planned`): what `--accept PROJECT:FIELD` and the wizard
    /// accept one by one.
    pub field: String,
    /// Its name in `model::fields::FIELD_NAMES` (`budget`): what `--accept-fields` accepts.
    pub name: &'static str,
    /// 「2024年度 事業費（千円）」.
    pub label: String,
    /// The plan's value as people read it.
    pub old: String,
    /// The workbook's value as people read it.
    pub new: String,
    /// Added, changed or cleared.
    pub kind: ChangeKind,
    /// Whether the import applies it (accepted, or filling an empty field).
    pub applied: bool,
}

/// What a field's value reads as; no value is 「（なし）」.
pub(crate) fn value_text(path: &str, v: Option<&Json>, plan: &Plan) -> String {
    if is_empty_value(v) && !matches!(v, Some(Json::Number(_))) {
        return "（なし）".into();
    }
    let Some(v) = v else {
        return "（なし）".into();
    };
    let de = |v: &Json| -> Option<String> {
        let parts: Vec<&str> = path.split('/').collect();
        Some(match parts.as_slice() {
            ["indicator", _, _, _] => serde_json::from_value::<Value>(v.clone()).ok()?.text,
            ["indicator", _] => {
                let name = v.get("name")?.as_str()?.to_string();
                let unit = v.get("unit").and_then(Json::as_str).map(str::to_string);
                let cumulative = v.get("cumulative").and_then(Json::as_bool).unwrap_or(false);
                render::indicator_definition(&Indicator {
                    id: String::new(),
                    kind: serde_json::from_value(v.get("kind")?.clone()).ok()?,
                    name,
                    unit,
                    cumulative,
                    values: Vec::new(),
                })
            }
            ["task", _] => render::task(&serde_json::from_value::<Task>(v.clone()).ok()?),
            ["budget", _, _] => render::money(v.as_i64()),
            ["progress", _] => {
                let g: Progress = serde_json::from_value(v.clone()).ok()?;
                [g.status, g.achievements, g.issues, g.remedies, g.evaluation]
                    .into_iter()
                    .filter(|s| !s.is_empty())
                    .collect::<Vec<_>>()
                    .join("／")
            }
            _ => match path {
                "owners" => {
                    let owners: Vec<Owner> = serde_json::from_value(v.clone()).ok()?;
                    render::owners(
                        &plan.org_units,
                        &Project {
                            owners,
                            ..Project::new("", "")
                        },
                    )
                }
                "measures" => {
                    let ids: Vec<String> = serde_json::from_value(v.clone()).ok()?;
                    ids.iter()
                        .map(|id| {
                            plan.measures
                                .iter()
                                .find(|m| &m.id == id)
                                .map_or_else(|| id.clone(), |m| m.title.clone())
                        })
                        .collect::<Vec<_>>()
                        .join("、")
                }
                "texts.effects" => {
                    render::effects(&serde_json::from_value::<Vec<String>>(v.clone()).ok()?)
                }
                "tags" => render::tags(&serde_json::from_value::<Vec<String>>(v.clone()).ok()?),
                "footnotes" => {
                    render::footnotes(&serde_json::from_value::<Vec<Footnote>>(v.clone()).ok()?)
                }
                "priority" => render::priority(&serde_json::from_value(v.clone()).ok()?),
                "status" => render::status(serde_json::from_value(v.clone()).ok()?),
                _ => match v {
                    Json::String(s) => s.clone(),
                    other => other.to_string(),
                },
            },
        })
    };
    de(v).unwrap_or_else(|| v.to_string())
}

/// 「KPI「オンライン手続数」 2024年度 目標」, 「2024年度 事業費（千円）」, 「概要」.
pub(crate) fn label(path: &str, before: &Project, after: &Project) -> String {
    let indicator = |id: &str| {
        before
            .indicators
            .iter()
            .chain(&after.indicators)
            .find(|i| i.id == id)
            .map_or_else(|| "指標".to_string(), render::indicator_name)
    };
    match FieldPath::parse(path) {
        Ok(FieldPath::IndicatorValue(id, fy, side)) => {
            format!("{} {fy}年度 {}", indicator(id), side.label())
        }
        Ok(FieldPath::Indicator(id)) => indicator(id),
        Ok(FieldPath::Task(id)) => before
            .schedule
            .iter()
            .chain(&after.schedule)
            .find(|t| t.id == id)
            .map_or_else(|| "工程".to_string(), |t| format!("工程「{}」", t.name)),
        Ok(FieldPath::Budget(fy, money)) => format!("{fy}年度 {}", money.label()),
        Ok(FieldPath::Progress(fy)) => format!("{fy}年度 進捗"),
        Ok(FieldPath::Project(f)) => f.label().to_string(),
        Ok(FieldPath::IndicatorOrder | FieldPath::TaskOrder) | Err(_) => path.to_string(),
    }
}

/// The views of a project's changes (row orders left out: they follow the rows).
pub fn views(
    plan: &Plan,
    before: &Project,
    after: &Project,
    applied: &[FieldChange],
    held: &[FieldChange],
) -> Vec<FieldChangeView> {
    let mut out: Vec<FieldChangeView> = applied
        .iter()
        .map(|c| (c, true))
        .chain(held.iter().map(|c| (c, false)))
        .filter(|(c, _)| !crate::model::fields::is_order_field(&c.field))
        .map(|(c, applied)| FieldChangeView {
            field: c.field.clone(),
            name: field_name_of(&c.field),
            label: label(&c.field, before, after),
            old: value_text(&c.field, c.old.as_ref(), plan),
            new: value_text(&c.field, c.new.as_ref(), plan),
            kind: if is_empty_value(c.old.as_ref()) {
                ChangeKind::Added
            } else if is_empty_value(c.new.as_ref()) {
                ChangeKind::Cleared
            } else {
                ChangeKind::Changed
            },
            applied,
        })
        .collect();
    out.sort_by(|a, b| a.field.cmp(&b.field));
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn values_read_as_people_write_them() {
        let plan = crate::sample::onojo().expect("sample");
        let p = &plan.projects[0];
        let changes = [
            FieldChange {
                field: "budget/2024/planned".into(),
                old: Some(json!(4000)),
                new: Some(json!(12000)),
            },
            FieldChange {
                field: "texts.summary".into(),
                old: Some(json!("")),
                new: Some(json!("新しい概要")),
            },
        ];
        let v = views(&plan, p, p, &changes[1..], &changes[..1]);
        assert_eq!(v[0].label, "2024年度 事業費（千円）");
        assert_eq!(
            (v[0].old.as_str(), v[0].new.as_str()),
            ("4,000千円", "12,000千円")
        );
        assert_eq!((v[0].kind, v[0].applied), (ChangeKind::Changed, false));
        assert_eq!(v[1].label, "概要");
        assert_eq!(
            (v[1].old.as_str(), v[1].new.as_str()),
            ("（なし）", "新しい概要")
        );
        assert_eq!((v[1].kind, v[1].applied), (ChangeKind::Added, true));
    }
}
