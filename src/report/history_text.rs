//! A change-log entry as people read it: the field's name (「2024年度 事業費（千円）」,
//! 「KPI「オンライン手続数」 2023年度 実績」) and its old and new values (千円 with separators,
//! tasks as 「2023〜2024年度」, progress as text, unit names), never JSON, `schedule.order` or
//! ids. The history screen shows these.

use serde_json::Value as Json;

use crate::model::fields::{INDICATOR_ORDER, TASK_ORDER};
use crate::model::{Plan, Project};

#[derive(Debug, Clone, PartialEq, serde::Serialize)]
/// One change of the history as people read it: 千円 with separators, years, text.
pub struct ReadableChange {
    /// The field's name (「2024年度 事業費（千円）」).
    pub label: String,
    /// The value before.
    pub old: String,
    /// The value after.
    pub new: String,
}

const NONE: &str = "（なし）";

fn title_in(v: Option<&Json>) -> Option<String> {
    v?.get("title")?.as_str().map(str::to_string)
}

fn name_in(v: Option<&Json>) -> Option<String> {
    v?.get("name")?.as_str().map(str::to_string)
}

/// The names of the rows an order field lists (ids the project no longer has are counted).
fn order_text(ids: Option<&Json>, name: impl Fn(&str) -> Option<String>) -> String {
    let Some(ids) = ids.and_then(Json::as_array) else {
        return NONE.into();
    };
    let mut gone = 0;
    let mut names: Vec<String> = Vec::new();
    for id in ids.iter().filter_map(Json::as_str) {
        match name(id) {
            Some(n) => names.push(format!("「{n}」")),
            None => gone += 1,
        }
    }
    if gone > 0 {
        names.push(format!("ほか {gone} 行"));
    }
    names.join(" → ")
}

/// One entry of the log. `project` is the project as it is now (None for plan-level entries
/// and for a project deleted since): indicator and task names are taken from it.
pub fn readable(
    plan: &Plan,
    project: Option<&Project>,
    field: &str,
    old: Option<&Json>,
    new: Option<&Json>,
) -> ReadableChange {
    let plain = |label: &str, old: String, new: String| ReadableChange {
        label: label.to_string(),
        old,
        new,
    };
    let text = |v: Option<&Json>| match v {
        None | Some(Json::Null) => NONE.to_string(),
        Some(Json::String(s)) => s.clone(),
        Some(other) => other.to_string(),
    };
    match field {
        "(created)" => return plain("事業を追加", NONE.into(), text(new)),
        "(deleted)" => {
            return plain(
                "事業を削除",
                title_in(old).unwrap_or_else(|| "（事業）".into()),
                NONE.into(),
            )
        }
        "plan" => {
            let describe = |v: Option<&Json>| {
                let Some(v) = v else {
                    return NONE.to_string();
                };
                let s = |k: &str| v.get(k).and_then(Json::as_str).unwrap_or("").to_string();
                let fy = |k: &str| v.get(k).and_then(Json::as_i64).unwrap_or(0) as i32;
                [
                    s("title"),
                    s("city"),
                    s("version"),
                    crate::compare::render::period(fy("first_fy"), fy("last_fy")),
                ]
                .into_iter()
                .filter(|x| !x.is_empty())
                .collect::<Vec<_>>()
                .join("　")
            };
            return plain("計画の基本情報", describe(old), describe(new));
        }
        _ => {}
    }
    if let Some(kind) = field.split('/').next() {
        let named = |v: Option<&Json>| title_in(v).or_else(|| name_in(v));
        let label = match kind {
            "policy" => Some("基本方針"),
            "measure" => Some("施策"),
            "org_unit" => Some("組織"),
            "import_label" => Some("見出しの読み替え"),
            _ => None,
        };
        if let Some(label) = label {
            let show = |v: Option<&Json>| {
                if v.is_none() {
                    return NONE.to_string();
                }
                match kind {
                    "import_label" => {
                        let l = v.and_then(|v| v.get("label")).and_then(Json::as_str);
                        let f = v.and_then(|v| v.get("field")).and_then(Json::as_str);
                        match (l, f) {
                            (Some(l), Some(f)) => format!("「{l}」→ {}", field_label(f)),
                            _ => text(v),
                        }
                    }
                    _ => named(v).unwrap_or_else(|| text(v)),
                }
            };
            return plain(label, show(old), show(new));
        }
    }
    let empty = Project::new("", "");
    let p = project.unwrap_or(&empty);
    if field == INDICATOR_ORDER || field == TASK_ORDER {
        let indicators = field == INDICATOR_ORDER;
        let name = |id: &str| {
            if indicators {
                p.indicators
                    .iter()
                    .find(|i| i.id == id)
                    .map(|i| i.name.clone())
            } else {
                p.schedule
                    .iter()
                    .find(|t| t.id == id)
                    .map(|t| t.name.clone())
            }
        };
        return plain(
            if indicators {
                "指標の並び順"
            } else {
                "工程の並び順"
            },
            order_text(old, name),
            order_text(new, name),
        );
    }
    // An indicator or task deleted since: its name is in the value the log kept.
    let mut label = crate::import::preview::label(field, p, p);
    if label == "指標" || label == "工程" {
        if let Some(n) = name_in(old).or_else(|| name_in(new)) {
            label = format!("{label}「{n}」");
        }
    }
    ReadableChange {
        label,
        old: crate::import::preview::value_text(field, old, plan),
        new: crate::import::preview::value_text(field, new, plan),
    }
}

fn field_label(name: &str) -> String {
    crate::model::fields::field_name(name).map_or_else(|| name.to_string(), |f| f.label.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn values_read_as_people_write_them() {
        let plan = crate::sample::onojo().expect("sample");
        let p = &plan.projects[0];
        let r = readable(
            &plan,
            Some(p),
            "budget/2024/planned",
            Some(&json!(4000)),
            Some(&json!(12000)),
        );
        assert_eq!(
            (r.label.as_str(), r.old.as_str(), r.new.as_str()),
            ("2024年度 事業費（千円）", "4,000千円", "12,000千円")
        );
        let t = &p.schedule[0];
        let r = readable(
            &plan,
            Some(p),
            &format!("task/{}", t.id),
            None,
            Some(&serde_json::to_value(t).unwrap()),
        );
        assert!(r.label.contains(&t.name), "{r:?}");
        assert!(r.new.contains("年度") && !r.new.contains('{'), "{r:?}");
        let ids: Vec<&str> = p.schedule.iter().map(|t| t.id.as_str()).collect();
        let r = readable(&plan, Some(p), TASK_ORDER, None, Some(&json!(ids)));
        assert_eq!(r.label, "工程の並び順");
        assert!(!r.new.contains('-') || r.new.contains('「'), "{r:?}");
        let r = readable(
            &plan,
            None,
            "(deleted)",
            Some(&json!({"title": "電子申請"})),
            None,
        );
        assert_eq!(
            (r.label.as_str(), r.old.as_str()),
            ("事業を削除", "電子申請")
        );
        let r = readable(
            &plan,
            None,
            "policy/x",
            None,
            Some(&json!({"id": "x", "title": "行政のDX", "position": 1})),
        );
        assert_eq!((r.label.as_str(), r.new.as_str()), ("基本方針", "行政のDX"));
    }
}
