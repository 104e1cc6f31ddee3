//! A project seen as a flat map of fields. This is the unit of the change log and of the
//! three-way merge: one text field, one indicator's target or actual in one fiscal year,
//! one budget cell, one schedule task.

use std::collections::BTreeMap;

use serde_json::{json, Value as Json};

use super::{
    BudgetYear, FiscalYear, Indicator, IndicatorKind, IndicatorValue, Progress, Project, Task,
    Value,
};

/// Field path → value (JSON). A field absent from the map has no value.
pub type FieldMap = BTreeMap<String, Json>;

/// The order of a project's indicators / schedule rows: a list of their ids.
pub const INDICATOR_ORDER: &str = "indicators.order";
pub(crate) const TASK_ORDER: &str = "schedule.order";

/// Whether a field is a row order (merged as a list, never a conflict).
pub fn is_order_field(field: &str) -> bool {
    field == INDICATOR_ORDER || field == TASK_ORDER
}

/// Sorts items by the ids of `order`; items it does not name keep their relative order after.
fn reorder<T>(items: &mut [T], order: &[String], id: impl Fn(&T) -> &str) {
    items.sort_by_key(|x| order.iter().position(|o| o == id(x)).unwrap_or(usize::MAX));
}

/// A project's fields by path, as the change log and the merge name them.
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
    // Row order is a field of its own, so deleting one row does not change every row after it.
    if !p.indicators.is_empty() {
        put(
            INDICATOR_ORDER.into(),
            json!(p.indicators.iter().map(|i| &i.id).collect::<Vec<_>>()),
        );
    }
    if !p.schedule.is_empty() {
        put(
            TASK_ORDER.into(),
            json!(p.schedule.iter().map(|t| &t.id).collect::<Vec<_>>()),
        );
    }
    for ind in &p.indicators {
        let base = format!("indicator/{}", ind.id);
        put(
            base.clone(),
            json!({"kind": ind.kind, "name": ind.name, "unit": ind.unit, "cumulative": ind.cumulative}),
        );
        for v in &ind.values {
            put(format!("{base}/{}/target", v.fiscal_year), json!(v.target));
            put(format!("{base}/{}/actual", v.fiscal_year), json!(v.actual));
        }
    }
    for t in &p.schedule {
        put(format!("task/{}", t.id), json!(t));
    }
    for b in &p.budget {
        put(
            format!("budget/{}/planned", b.fiscal_year),
            json!(b.planned_thousand_yen),
        );
        put(
            format!("budget/{}/general_revenue", b.fiscal_year),
            json!(b.general_revenue_thousand_yen),
        );
    }
    for pr in &p.progress {
        put(format!("progress/{}", pr.fiscal_year), json!(pr));
    }
    m
}

/// `project_fields(p).len()` without building the map: an import of a thousand new projects
/// counts their fields for the report and would otherwise serialise every value to JSON.
pub fn field_count(p: &Project) -> usize {
    // The 14 project-level fields always have a value (strings, lists, structs).
    let mut n = 14 + usize::from(!p.indicators.is_empty()) + usize::from(!p.schedule.is_empty());
    for ind in &p.indicators {
        n += 1 + ind
            .values
            .iter()
            .map(|v| usize::from(v.target.is_some()) + usize::from(v.actual.is_some()))
            .sum::<usize>();
    }
    n += p.schedule.len() + p.progress.len();
    n += p
        .budget
        .iter()
        .map(|b| {
            usize::from(b.planned_thousand_yen.is_some())
                + usize::from(b.general_revenue_thousand_yen.is_some())
        })
        .sum::<usize>();
    n
}

/// A field path or value that cannot be applied.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
#[error("項目「{field}」に値を設定できません / cannot set field {field}: {reason}")]
pub struct FieldError {
    /// The field path.
    pub field: String,
    /// Why.
    pub reason: String,
}

fn from_json<T: serde::de::DeserializeOwned>(
    field: &str,
    v: Option<&Json>,
) -> Result<Option<T>, FieldError> {
    v.map(|v| serde_json::from_value(v.clone()))
        .transpose()
        .map_err(|e| FieldError {
            field: field.to_string(),
            reason: e.to_string(),
        })
}

/// Sets one field of `project_fields` on the project (None: the field has no value). The
/// inverse of `project_fields`, one field at a time: merges, conflict resolution and undo
/// change a project field by field.
pub fn set_field(p: &mut Project, field: &str, v: Option<&Json>) -> Result<(), FieldError> {
    let err = |reason: &str| FieldError {
        field: field.to_string(),
        reason: reason.to_string(),
    };
    macro_rules! plain {
        ($slot:expr) => {{
            $slot = from_json(field, v)?.unwrap_or_default();
            return Ok(());
        }};
    }
    match field {
        INDICATOR_ORDER => {
            let order: Vec<String> = from_json(field, v)?.unwrap_or_default();
            reorder(&mut p.indicators, &order, |i| &i.id);
            return Ok(());
        }
        TASK_ORDER => {
            let order: Vec<String> = from_json(field, v)?.unwrap_or_default();
            reorder(&mut p.schedule, &order, |t| &t.id);
            return Ok(());
        }
        "title" => plain!(p.title),
        "status" => plain!(p.status),
        "measures" => plain!(p.measure_ids),
        "position" => plain!(p.position),
        "owners" => plain!(p.owners),
        "owners_note" => plain!(p.owners_note),
        "texts.issue" => plain!(p.texts.issue),
        "texts.purpose" => plain!(p.texts.purpose),
        "texts.summary" => plain!(p.texts.summary),
        "texts.goal" => plain!(p.texts.goal),
        "texts.effects" => plain!(p.texts.effects),
        "footnotes" => plain!(p.footnotes),
        "priority" => plain!(p.priority),
        "tags" => plain!(p.tags),
        _ => {}
    }
    let parts: Vec<&str> = field.split('/').collect();
    match parts.as_slice() {
        ["indicator", id] => {
            #[derive(serde::Deserialize)]
            struct Meta {
                kind: IndicatorKind,
                name: String,
                unit: Option<String>,
                cumulative: bool,
            }
            let pos = p.indicators.iter().position(|i| i.id == *id);
            match (from_json::<Meta>(field, v)?, pos) {
                (None, Some(i)) => {
                    p.indicators.remove(i);
                }
                (None, None) => {}
                (Some(m), pos) => {
                    let i = match pos {
                        Some(i) => i,
                        None => {
                            p.indicators.push(Indicator {
                                id: id.to_string(),
                                kind: m.kind,
                                name: String::new(),
                                unit: None,
                                cumulative: false,
                                values: Vec::new(),
                            });
                            p.indicators.len() - 1
                        }
                    };
                    let ind = &mut p.indicators[i];
                    ind.kind = m.kind;
                    ind.name = m.name;
                    ind.unit = m.unit;
                    ind.cumulative = m.cumulative;
                }
            }
        }
        ["indicator", id, fy, side @ ("target" | "actual")] => {
            let fy: FiscalYear = fy
                .parse()
                .map_err(|_| err("年度が不正 / bad fiscal year"))?;
            let value: Option<Value> = from_json(field, v)?;
            let ind = match p.indicators.iter_mut().find(|i| i.id == *id) {
                Some(i) => i,
                None if value.is_none() => return Ok(()),
                None => return Err(err("指標がありません / no such indicator")),
            };
            let pos = match ind.values.binary_search_by_key(&fy, |x| x.fiscal_year) {
                Ok(i) => i,
                Err(i) => {
                    ind.values.insert(
                        i,
                        IndicatorValue {
                            fiscal_year: fy,
                            target: None,
                            actual: None,
                        },
                    );
                    i
                }
            };
            let slot = &mut ind.values[pos];
            if *side == "target" {
                slot.target = value;
            } else {
                slot.actual = value;
            }
            if slot.target.is_none() && slot.actual.is_none() {
                ind.values.remove(pos);
            }
        }
        ["task", id] => {
            let pos = p.schedule.iter().position(|t| t.id == *id);
            match (from_json::<Task>(field, v)?, pos) {
                (Some(t), Some(i)) => p.schedule[i] = t,
                (Some(t), None) => p.schedule.push(t),
                (None, Some(i)) => {
                    p.schedule.remove(i);
                }
                (None, None) => {}
            }
        }
        ["budget", fy, side @ ("planned" | "general_revenue")] => {
            let fy: FiscalYear = fy
                .parse()
                .map_err(|_| err("年度が不正 / bad fiscal year"))?;
            let value: Option<i64> = from_json(field, v)?;
            let pos = match p.budget.binary_search_by_key(&fy, |b| b.fiscal_year) {
                Ok(i) => i,
                Err(i) => {
                    p.budget.insert(
                        i,
                        BudgetYear {
                            fiscal_year: fy,
                            planned_thousand_yen: None,
                            general_revenue_thousand_yen: None,
                        },
                    );
                    i
                }
            };
            if *side == "planned" {
                p.budget[pos].planned_thousand_yen = value;
            } else {
                p.budget[pos].general_revenue_thousand_yen = value;
            }
        }
        ["progress", fy] => {
            let fy: FiscalYear = fy
                .parse()
                .map_err(|_| err("年度が不正 / bad fiscal year"))?;
            let value: Option<Progress> = from_json(field, v)?;
            match (
                p.progress.binary_search_by_key(&fy, |g| g.fiscal_year),
                value,
            ) {
                (Ok(i), Some(g)) => p.progress[i] = g,
                (Ok(i), None) => {
                    p.progress.remove(i);
                }
                (Err(i), Some(g)) => p.progress.insert(i, g),
                (Err(_), None) => {}
            }
        }
        _ => return Err(err("不明な項目 / unknown field")),
    }
    Ok(())
}

/// Sets several fields at once; row orders last, so rows the batch adds take their place.
pub fn apply_fields<'a>(
    p: &mut Project,
    changes: impl IntoIterator<Item = (&'a str, Option<&'a Json>)>,
) -> Result<(), FieldError> {
    let mut orders = Vec::new();
    for (field, v) in changes {
        if is_order_field(field) {
            orders.push((field, v));
        } else {
            set_field(p, field, v)?;
        }
    }
    for (field, v) in orders {
        set_field(p, field, v)?;
    }
    Ok(())
}

/// A field as people name it: in `dxplan import --map 'ラベル=field'` and `--accept-fields`,
/// and in the import wizard's choices. One table, so every screen and command uses one name and
/// one label per field.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
pub struct FieldName {
    /// The field path.
    pub name: &'static str,
    /// The label people read (the master workbook's row label).
    pub label: &'static str,
    pub(crate) en: &'static str,
    /// A sheet's label or column can be read as this field (`--map`).
    pub mappable: bool,
    /// Changes to this field can be accepted by name (`--accept-fields`).
    pub acceptable: bool,
}

const fn field(
    name: &'static str,
    label: &'static str,
    en: &'static str,
    mappable: bool,
    acceptable: bool,
) -> FieldName {
    FieldName {
        name,
        label,
        en,
        mappable,
        acceptable,
    }
}

/// Every field a label can be mapped to, with its Japanese label.
pub const FIELD_NAMES: &[FieldName] = &[
    field("title", "取組名", "project title", true, true),
    field("policy", "基本方針", "policy", true, false),
    field("measure", "施策", "measure", true, true),
    field("owners", "担当課", "owner units", true, true),
    field("issue", "課題", "issue", true, true),
    field("purpose", "目的", "purpose", true, true),
    field("summary", "概要", "summary", true, true),
    field("goal", "目指す姿／目標", "goal", true, true),
    field("effects", "期待される効果", "expected effects", true, true),
    field("kgi", "数値目標（KGI）", "final target (KGI)", true, false),
    field(
        "kpi",
        "評価指標（KPI）",
        "yearly indicator (KPI)",
        true,
        false,
    ),
    field("indicator", "指標", "indicator (name, unit)", true, true),
    field("target", "目標", "target per year", true, true),
    field("actual", "実績", "actual per year", true, true),
    field("schedule", "スケジュール", "schedule tasks", true, true),
    field(
        "budget",
        "事業費（千円）",
        "planned cost (千円)",
        true,
        true,
    ),
    field(
        "general_revenue",
        "うち一般財源（千円）",
        "of which general revenue (千円)",
        true,
        true,
    ),
    field("priority", "重点", "priority", true, true),
    field("tags", "タグ", "tags", true, true),
    field("footnotes", "注記", "footnotes", true, true),
    field("progress", "進捗", "progress", false, true),
    field("ignore", "（読まない）", "(not read)", true, false),
];

/// The entry of `FIELD_NAMES` a name (or a Japanese label) names.
pub fn field_name(name: &str) -> Option<&'static FieldName> {
    let key = crate::parse::label::normalize_label(name);
    FIELD_NAMES.iter().find(|f| {
        f.name == key
            || crate::parse::label::normalize_label(f.label) == key
            || (f.name == "general_revenue" && key == "general-revenue")
    })
}

/// The name in `FIELD_NAMES` of a field path of `project_fields` (「budget/2024/planned」 is
/// 「budget」); row orders are not fields people choose (「」).
pub fn field_name_of(path: &str) -> &'static str {
    let parts: Vec<&str> = path.split('/').collect();
    match parts.as_slice() {
        ["indicator", _, _, "target"] => "target",
        ["indicator", _, _, "actual"] => "actual",
        ["indicator", _] => "indicator",
        ["task", _] => "schedule",
        ["budget", _, "planned"] => "budget",
        ["budget", _, _] => "general_revenue",
        ["progress", _] => "progress",
        _ => match path {
            "title" => "title",
            "measures" | "position" | "status" => "measure",
            "owners" | "owners_note" => "owners",
            "texts.issue" => "issue",
            "texts.purpose" => "purpose",
            "texts.summary" => "summary",
            "texts.goal" => "goal",
            "texts.effects" => "effects",
            "priority" => "priority",
            "tags" => "tags",
            "footnotes" => "footnotes",
            _ => "",
        },
    }
}

/// Whether a field's value is "nothing written": absent, null, 「」, an empty list or object,
/// or a priority with no flag and no scores.
pub fn is_empty_value(v: Option<&Json>) -> bool {
    match v {
        None | Some(Json::Null) => true,
        Some(Json::String(s)) => s.trim().is_empty(),
        Some(Json::Array(a)) => a.is_empty(),
        Some(Json::Object(o)) => o
            .iter()
            .all(|(k, v)| is_empty_value(Some(v)) || (k == "flag" && v.as_str() == Some("none"))),
        Some(_) => false,
    }
}

/// Whether `new` only adds to `old`: nothing written before is changed or removed (an empty
/// value filled, or an object's empty members: an indicator's unit). A list that had items is
/// a value of its own: changing it is no addition.
pub fn only_adds(old: Option<&Json>, new: Option<&Json>) -> bool {
    if is_empty_value(old) {
        return true;
    }
    match (old, new) {
        (Some(Json::Object(a)), Some(Json::Object(b))) => a.iter().all(|(k, v)| {
            is_empty_value(Some(v))
                || (k == "flag" && v.as_str() == Some("none"))
                || b.get(k) == Some(v)
        }),
        (a, b) => a == b,
    }
}

/// One field that differs between two versions of a project.
#[derive(Debug, Clone, PartialEq)]
pub struct FieldChange {
    /// The field path (`texts.summary`, `indicator/{id}/{fy}/target`, …).
    pub field: String,
    /// The value before.
    pub old: Option<Json>,
    /// The value after.
    pub new: Option<Json>,
}

pub(crate) fn diff_fields(old: &FieldMap, new: &FieldMap) -> Vec<FieldChange> {
    let mut out = Vec::new();
    for (k, nv) in new {
        match old.get(k) {
            Some(ov) if ov == nv => {}
            ov => out.push(FieldChange {
                field: k.clone(),
                old: ov.cloned(),
                new: Some(nv.clone()),
            }),
        }
    }
    for (k, ov) in old {
        if !new.contains_key(k) {
            out.push(FieldChange {
                field: k.clone(),
                old: Some(ov.clone()),
                new: None,
            });
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
        p.budget.push(BudgetYear {
            fiscal_year: 2023,
            planned_thousand_yen: Some(0),
            general_revenue_thousand_yen: None,
        });
        let before = project_fields(&p);
        p.budget[0].planned_thousand_yen = None;
        let changes = diff_fields(&before, &project_fields(&p));
        assert_eq!(changes.len(), 1);
        assert_eq!(changes[0].field, "budget/2023/planned");
        assert_eq!(changes[0].old, Some(json!(0)));
        assert_eq!(changes[0].new, None);
    }

    #[test]
    fn field_count_counts_project_fields() {
        let mut plans = [
            crate::generate::generate(50, 9),
            crate::sample::onojo().expect("sample"),
        ];
        let mut bare = Project::new("m", "");
        bare.budget.push(BudgetYear {
            fiscal_year: 2024,
            planned_thousand_yen: None,
            general_revenue_thousand_yen: Some(3),
        });
        plans[0].projects.push(bare);
        for p in plans.iter().flat_map(|pl| &pl.projects) {
            assert_eq!(field_count(p), project_fields(p).len(), "{}", p.title);
        }
    }

    #[test]
    fn set_field_inverts_project_fields() {
        // Every field of a rich project, set one by one on an empty one, rebuilds it.
        let plan = crate::generate::generate(20, 5);
        for p in &plan.projects {
            let fields = project_fields(p);
            let mut q = Project::new("x", "");
            q.id = p.id.clone();
            q.measure_ids.clear();
            apply_fields(&mut q, fields.iter().map(|(k, v)| (k.as_str(), Some(v)))).unwrap();
            assert_eq!(project_fields(&q), fields);
            // Same order of rows, not only the same rows (a budget year with no value at all
            // is no field, so the structs themselves may differ there).
            assert_eq!(q.indicators, p.indicators);
            assert_eq!(q.schedule, p.schedule);
            // And clearing every field empties it again.
            for k in fields.keys() {
                set_field(&mut q, k, None).unwrap();
            }
            assert!(q.indicators.is_empty() && q.schedule.is_empty());
            assert!(
                project_fields(&q).keys().all(|k| !k.starts_with("budget/")),
                "{:?}",
                project_fields(&q)
            );
        }
    }

    #[test]
    fn unchanged_project_has_no_diff() {
        let p = Project::new("m", "t");
        assert!(diff_fields(&project_fields(&p), &project_fields(&p)).is_empty());
    }
}
