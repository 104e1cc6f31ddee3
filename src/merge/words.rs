//! A merged field's values and changes in words, as the office reads them in a merge report
//! or the list of conflicts: unit names rather than ids, footnotes as their text, a task or an
//! indicator by what changed in it (years, phases, unit, 累計), never JSON.

use serde::de::DeserializeOwned;
use serde_json::Value as Json;

use crate::compare::render;
use crate::format::layout;
use crate::model::fields::FieldPath;
use crate::model::{
    Footnote, IndicatorKind, OrgUnit, Owner, Priority, Progress, ProjectStatus, Task, Value,
};

/// Said of an item (task, indicator) that is not there.
const NONE: &str = "（なし）";
const BLANK: &str = "（空欄）";

fn typed<T: DeserializeOwned>(v: &Json) -> Option<T> {
    serde_json::from_value(v.clone()).ok()
}

/// An indicator's own field (`indicator/ID`): kind, name, unit, 累計.
#[derive(serde::Deserialize, PartialEq)]
struct IndicatorMeta {
    kind: IndicatorKind,
    name: String,
    unit: Option<String>,
    cumulative: bool,
}

fn kind_of(field: &str) -> &str {
    match FieldPath::parse(field) {
        Ok(FieldPath::Indicator(_)) => "indicator",
        Ok(FieldPath::IndicatorValue(..)) => "value",
        Ok(FieldPath::Task(_)) => "task",
        Ok(FieldPath::Budget(..)) => "money",
        Ok(FieldPath::Progress(_)) => "progress",
        _ => field,
    }
}

fn unit_names(units: &[OrgUnit], owners: &[Owner]) -> String {
    layout::owners_text(units, owners, "")
}

fn progress(p: &Progress) -> String {
    [
        ("状況", &p.status),
        ("成果", &p.achievements),
        ("課題", &p.issues),
        ("改善策", &p.remedies),
        ("評価", &p.evaluation),
    ]
    .iter()
    .filter(|(_, v)| !v.is_empty())
    .map(|(k, v)| format!("{k}：{v}"))
    .collect::<Vec<_>>()
    .join("／")
}

fn or_blank(s: String) -> String {
    if s.is_empty() {
        BLANK.into()
    } else {
        s
    }
}

/// A field's value as a person reads it.
pub fn value_text(field: &str, v: Option<&Json>, units: &[OrgUnit]) -> String {
    let Some(v) = v else {
        return match kind_of(field) {
            "indicator" | "task" => NONE.into(),
            _ => BLANK.into(),
        };
    };
    let text = match kind_of(field) {
        "owners" => typed::<Vec<Owner>>(v).map(|o| unit_names(units, &o)),
        "footnotes" => typed::<Vec<Footnote>>(v).map(|f| render::footnotes(&f)),
        "task" => typed::<Task>(v).map(|t| render::task(&t)),
        "indicator" => typed::<IndicatorMeta>(v).map(|m| {
            let mut extra = Vec::new();
            if let Some(u) = m.unit.as_deref().filter(|u| !u.is_empty()) {
                extra.push(format!("単位：{u}"));
            }
            if m.cumulative {
                extra.push(layout::CUMULATIVE.to_string());
            }
            let name = format!("{}「{}」", m.kind.as_str(), m.name);
            if extra.is_empty() {
                name
            } else {
                format!("{name}（{}）", extra.join("、"))
            }
        }),
        "value" => typed::<Value>(v).map(|x| x.text),
        "money" => typed::<i64>(v).map(|n| render::money(Some(n))),
        "progress" => typed::<Progress>(v).map(|p| progress(&p)),
        "priority" => typed::<Priority>(v).map(|p| render::priority(&p)),
        "status" => typed::<ProjectStatus>(v).map(render::status),
        "texts.effects" => typed::<Vec<String>>(v).map(|e| render::effects(&e)),
        "tags" => typed::<Vec<String>>(v).map(|t| render::tags(&t)),
        _ if crate::model::fields::is_order_field(field) => Some("（並び順）".into()),
        _ => None,
    };
    or_blank(text.unwrap_or_else(|| match v {
        Json::String(s) => s.clone(),
        other => other.to_string(),
    }))
}

/// What changed from `old` to `new`, in words: 「年度 2022年度 → 2022〜2023年度、段階 …」 for a
/// task, 「単位「業務」→「システム」、累計 → なし」 for an indicator, the changed notes for
/// footnotes, 「「old」→「new」」 otherwise.
pub fn change_text(
    field: &str,
    old: Option<&Json>,
    new: Option<&Json>,
    units: &[OrgUnit],
) -> String {
    let plain = || {
        format!(
            "「{}」→「{}」",
            value_text(field, old, units),
            value_text(field, new, units)
        )
    };
    match (kind_of(field), old, new) {
        ("task" | "indicator", Some(_), None) => "削除 / removed".into(),
        ("task" | "indicator", None, Some(n)) => {
            format!("追加 / added: {}", value_text(field, Some(n), units))
        }
        ("task", Some(o), Some(n)) => match (typed::<Task>(o), typed::<Task>(n)) {
            (Some(o), Some(n)) => task_change(&o, &n),
            _ => plain(),
        },
        ("indicator", Some(o), Some(n)) => {
            match (typed::<IndicatorMeta>(o), typed::<IndicatorMeta>(n)) {
                (Some(o), Some(n)) => indicator_change(&o, &n),
                _ => plain(),
            }
        }
        (f, o, n) if crate::model::fields::is_order_field(f) => {
            let ids = |v: Option<&Json>| v.and_then(typed::<Vec<String>>).unwrap_or_default();
            let (o, n) = (ids(o), ids(n));
            let kept_o: Vec<&String> = o.iter().filter(|x| n.contains(x)).collect();
            let kept_n: Vec<&String> = n.iter().filter(|x| o.contains(x)).collect();
            if kept_o == kept_n {
                "行の追加・削除による / rows added or removed".into()
            } else {
                "並び順を変更 / reordered".into()
            }
        }
        ("footnotes", o, n) => {
            let list = |v: Option<&Json>| v.and_then(typed::<Vec<Footnote>>).unwrap_or_default();
            footnote_change(&list(o), &list(n))
        }
        _ => plain(),
    }
}

fn joined(parts: Vec<String>) -> String {
    if parts.is_empty() {
        "変更なし".into()
    } else {
        parts.join("、")
    }
}

fn task_change(o: &Task, n: &Task) -> String {
    let mut parts = Vec::new();
    if o.name != n.name {
        parts.push(format!("工程名「{}」→「{}」", o.name, n.name));
    }
    if (o.start_fy, o.end_fy) != (n.start_fy, n.end_fy) {
        parts.push(format!(
            "年度 {} → {}",
            render::years(o.start_fy, o.end_fy),
            render::years(n.start_fy, n.end_fy)
        ));
    }
    let years: std::collections::BTreeSet<_> = o.phases.keys().chain(n.phases.keys()).collect();
    for fy in years {
        let (a, b) = (o.phases.get(fy), n.phases.get(fy));
        if a != b {
            parts.push(format!(
                "{fy}年度の段階「{}」→「{}」",
                a.map_or("", String::as_str),
                b.map_or("", String::as_str)
            ));
        }
    }
    if o.confirmed != n.confirmed {
        parts.push(format!(
            "確度 {} → {}",
            layout::confirmed_label(o.confirmed),
            layout::confirmed_label(n.confirmed)
        ));
    }
    joined(parts)
}

fn indicator_change(o: &IndicatorMeta, n: &IndicatorMeta) -> String {
    let mut parts = Vec::new();
    if o.kind != n.kind {
        parts.push(format!("区分 {} → {}", o.kind.as_str(), n.kind.as_str()));
    }
    if o.name != n.name {
        parts.push(format!("指標名「{}」→「{}」", o.name, n.name));
    }
    if o.unit != n.unit {
        parts.push(format!(
            "単位「{}」→「{}」",
            o.unit.as_deref().unwrap_or(""),
            n.unit.as_deref().unwrap_or("")
        ));
    }
    if o.cumulative != n.cumulative {
        let c = |b: bool| if b { "あり" } else { "なし" };
        parts.push(format!("累計 {} → {}", c(o.cumulative), c(n.cumulative)));
    }
    joined(parts)
}

fn footnote_change(o: &[Footnote], n: &[Footnote]) -> String {
    let mut parts = Vec::new();
    for f in n {
        match o.iter().find(|x| x.marker == f.marker) {
            None => parts.push(format!("{}「{}」を追加", f.marker, f.text)),
            Some(x) if x.text != f.text => {
                parts.push(format!("{}「{}」→「{}」", f.marker, x.text, f.text))
            }
            Some(_) => {}
        }
    }
    for f in o {
        if !n.iter().any(|x| x.marker == f.marker) {
            parts.push(format!("{}「{}」を削除", f.marker, f.text));
        }
    }
    if parts.is_empty() && o != n {
        parts.push("注記の対象・順序".into());
    }
    joined(parts)
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn tasks_and_indicators_say_what_changed() {
        let t = |s: i32, e: i32, phases: Json, c: bool| json!({"id": "t", "name": "庁内体制の整備", "start_fy": s, "end_fy": e, "phases": phases, "confirmed": c});
        let old = t(2022, 2022, json!({}), false);
        let new = t(2022, 2023, json!({"2023": "構築"}), true);
        assert_eq!(
            change_text("task/t", Some(&old), Some(&new), &[]),
            "年度 2022年度 → 2022〜2023年度、2023年度の段階「」→「構築」、確度 推定 → 確定"
        );
        assert_eq!(
            change_text("task/t", Some(&old), None, &[]),
            "削除 / removed"
        );
        let i = |unit: &str, c: bool| json!({"kind": "KPI", "name": "移行した業務数", "unit": unit, "cumulative": c});
        assert_eq!(
            change_text(
                "indicator/i",
                Some(&i("業務", true)),
                Some(&i("システム", false)),
                &[]
            ),
            "単位「業務」→「システム」、累計 あり → なし"
        );
    }

    #[test]
    fn owners_and_footnotes_read_as_text() {
        let units = vec![
            OrgUnit {
                id: "a".into(),
                name: "情報政策課".into(),
                parent_id: None,
                valid_from_fy: None,
                valid_to_fy: None,
            },
            OrgUnit {
                id: "b".into(),
                name: "防災安全課".into(),
                parent_id: None,
                valid_from_fy: None,
                valid_to_fy: None,
            },
        ];
        let o = json!([{"unit_id": "a", "role": "lead"}]);
        let n = json!([{"unit_id": "a", "role": "lead"}, {"unit_id": "b", "role": "co"}]);
        assert_eq!(
            change_text("owners", Some(&o), Some(&n), &units),
            "「情報政策課」→「情報政策課、防災安全課」"
        );
        let f = |t: &str| json!([{"marker": "※1", "field": "summary", "text": t}]);
        assert_eq!(
            change_text("footnotes", Some(&f("旧")), Some(&f("新")), &units),
            "※1「旧」→「新」"
        );
        assert_eq!(value_text("footnotes", Some(&f("説明")), &units), "※1 説明");
        assert_eq!(
            value_text("budget/2023/planned", Some(&json!(6000)), &units),
            "6,000千円"
        );
        assert_eq!(value_text("task/x", None, &units), "（なし）");
        let order = |ids: &[&str]| json!(ids);
        assert_eq!(
            change_text(
                "schedule.order",
                Some(&order(&["a", "b", "c"])),
                Some(&order(&["a", "c"])),
                &units
            ),
            "行の追加・削除による / rows added or removed"
        );
        assert_eq!(
            change_text(
                "schedule.order",
                Some(&order(&["a", "b"])),
                Some(&order(&["b", "a", "x"])),
                &units
            ),
            "並び順を変更 / reordered"
        );
    }
}
