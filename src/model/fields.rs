//! A project seen as a flat map of fields. This is the unit of the change log and of the
//! three-way merge: one text field, one indicator's target or actual in one fiscal year,
//! one budget cell, one schedule task.

use std::collections::BTreeMap;

use serde_json::{json, Value as Json};

use super::{
    BudgetYear, FiscalYear, Indicator, IndicatorKind, IndicatorValue, Progress, Project, Task,
    Value,
};

/// A field of the project itself, by the path the change log gives it (`title`,
/// `texts.summary`, …).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ProjectField {
    /// `title`.
    Title,
    /// `status`.
    Status,
    /// `measures`: the measures it sits under, primary first.
    Measures,
    /// `position` among the primary measure's projects.
    Position,
    /// `owners`.
    Owners,
    /// `owners_note` (「ほか」).
    OwnersNote,
    /// `texts.issue`.
    Issue,
    /// `texts.purpose`.
    Purpose,
    /// `texts.summary`.
    Summary,
    /// `texts.goal`.
    Goal,
    /// `texts.effects`.
    Effects,
    /// `footnotes`.
    Footnotes,
    /// `priority`.
    Priority,
    /// `tags`.
    Tags,
}

impl ProjectField {
    /// Every one, in the order of `project_fields`.
    pub const ALL: [ProjectField; 14] = [
        ProjectField::Title,
        ProjectField::Status,
        ProjectField::Measures,
        ProjectField::Position,
        ProjectField::Owners,
        ProjectField::OwnersNote,
        ProjectField::Issue,
        ProjectField::Purpose,
        ProjectField::Summary,
        ProjectField::Goal,
        ProjectField::Effects,
        ProjectField::Footnotes,
        ProjectField::Priority,
        ProjectField::Tags,
    ];

    /// Its path in the change log.
    pub fn path(self) -> &'static str {
        match self {
            ProjectField::Title => "title",
            ProjectField::Status => "status",
            ProjectField::Measures => "measures",
            ProjectField::Position => "position",
            ProjectField::Owners => "owners",
            ProjectField::OwnersNote => "owners_note",
            ProjectField::Issue => "texts.issue",
            ProjectField::Purpose => "texts.purpose",
            ProjectField::Summary => "texts.summary",
            ProjectField::Goal => "texts.goal",
            ProjectField::Effects => "texts.effects",
            ProjectField::Footnotes => "footnotes",
            ProjectField::Priority => "priority",
            ProjectField::Tags => "tags",
        }
    }

    /// The field a path names.
    pub fn from_path(path: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|f| f.path() == path)
    }

    /// Its name in [`FIELD_NAMES`] (`texts.summary` is 「summary」; the measures, the position
    /// and the status are all chosen as 「measure」).
    pub fn name(self) -> &'static str {
        match self {
            ProjectField::Title => "title",
            ProjectField::Measures | ProjectField::Position | ProjectField::Status => "measure",
            ProjectField::Owners | ProjectField::OwnersNote => "owners",
            ProjectField::Issue => "issue",
            ProjectField::Purpose => "purpose",
            ProjectField::Summary => "summary",
            ProjectField::Goal => "goal",
            ProjectField::Effects => "effects",
            ProjectField::Footnotes => "footnotes",
            ProjectField::Priority => "priority",
            ProjectField::Tags => "tags",
        }
    }

    /// The Japanese label people read (the one of [`FIELD_NAMES`], but for the three fields
    /// that share a name there).
    pub fn label(self) -> &'static str {
        match self {
            ProjectField::OwnersNote => "担当課（ほか等）",
            ProjectField::Position => "並び順",
            ProjectField::Status => "状態",
            other => label_of(other.name()),
        }
    }
}

/// An indicator's value of a year: 目標 or 実績.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Side {
    /// 目標 (`target`).
    Target,
    /// 実績 (`actual`).
    Actual,
}

impl Side {
    /// `target` or `actual`, as in the path and in [`FIELD_NAMES`].
    pub fn name(self) -> &'static str {
        match self {
            Side::Target => "target",
            Side::Actual => "actual",
        }
    }

    /// 目標 or 実績.
    pub fn label(self) -> &'static str {
        label_of(self.name())
    }
}

/// A budget year's amount: 事業費 or うち一般財源.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Money {
    /// 事業費 (`planned`).
    Planned,
    /// うち一般財源 (`general_revenue`).
    GeneralRevenue,
}

impl Money {
    /// Its name in [`FIELD_NAMES`]: 「budget」 or 「general_revenue」.
    pub fn name(self) -> &'static str {
        match self {
            Money::Planned => "budget",
            Money::GeneralRevenue => "general_revenue",
        }
    }

    /// 事業費（千円） or うち一般財源（千円）.
    pub fn label(self) -> &'static str {
        label_of(self.name())
    }
}

/// One field of [`project_fields`], typed: the change log's path (`texts.summary`,
/// `indicator/{id}/{fy}/target`, `budget/{fy}/planned`, …) parsed once, and written back by
/// `Display`. The ids borrow from the path.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum FieldPath<'a> {
    /// A field of the project itself.
    Project(ProjectField),
    /// The order of the indicators (`indicators.order`).
    IndicatorOrder,
    /// The order of the schedule's tasks (`schedule.order`).
    TaskOrder,
    /// An indicator's own fields: kind, name, unit, 累計 (`indicator/{id}`).
    Indicator(&'a str),
    /// An indicator's 目標 or 実績 in a year (`indicator/{id}/{fy}/target`).
    IndicatorValue(&'a str, FiscalYear, Side),
    /// A schedule task (`task/{id}`).
    Task(&'a str),
    /// A budget year's amount (`budget/{fy}/planned`, `budget/{fy}/general_revenue`).
    Budget(FiscalYear, Money),
    /// A year's progress (`progress/{fy}`).
    Progress(FiscalYear),
}

/// Why a path is no field of a project.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum BadPath {
    /// A year that is not a number.
    FiscalYear,
    /// No such field.
    Unknown,
}

impl BadPath {
    fn reason(self) -> &'static str {
        match self {
            BadPath::FiscalYear => "年度が不正 / bad fiscal year",
            BadPath::Unknown => "不明な項目 / unknown field",
        }
    }
}

impl<'a> FieldPath<'a> {
    /// The field a path names.
    pub fn parse(path: &'a str) -> Result<Self, BadPath> {
        if let Some(f) = ProjectField::from_path(path) {
            return Ok(FieldPath::Project(f));
        }
        match path {
            INDICATOR_ORDER => return Ok(FieldPath::IndicatorOrder),
            TASK_ORDER => return Ok(FieldPath::TaskOrder),
            _ => {}
        }
        let fy = |s: &str| s.parse::<FiscalYear>().map_err(|_| BadPath::FiscalYear);
        let parts: Vec<&'a str> = path.split('/').collect();
        Ok(match parts.as_slice() {
            ["indicator", id] => FieldPath::Indicator(id),
            ["indicator", id, y, "target"] => FieldPath::IndicatorValue(id, fy(y)?, Side::Target),
            ["indicator", id, y, "actual"] => FieldPath::IndicatorValue(id, fy(y)?, Side::Actual),
            ["task", id] => FieldPath::Task(id),
            ["budget", y, "planned"] => FieldPath::Budget(fy(y)?, Money::Planned),
            ["budget", y, "general_revenue"] => FieldPath::Budget(fy(y)?, Money::GeneralRevenue),
            ["progress", y] => FieldPath::Progress(fy(y)?),
            _ => return Err(BadPath::Unknown),
        })
    }

    /// Its name in [`FIELD_NAMES`] (「budget/2024/planned」 is 「budget」); row orders are not
    /// fields people choose (「」).
    pub fn name(&self) -> &'static str {
        match self {
            FieldPath::Project(f) => f.name(),
            FieldPath::IndicatorOrder | FieldPath::TaskOrder => "",
            FieldPath::Indicator(_) => "indicator",
            FieldPath::IndicatorValue(_, _, side) => side.name(),
            FieldPath::Task(_) => "schedule",
            FieldPath::Budget(_, money) => money.name(),
            FieldPath::Progress(_) => "progress",
        }
    }
}

impl std::fmt::Display for FieldPath<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            FieldPath::Project(p) => f.write_str(p.path()),
            FieldPath::IndicatorOrder => f.write_str(INDICATOR_ORDER),
            FieldPath::TaskOrder => f.write_str(TASK_ORDER),
            FieldPath::Indicator(id) => write!(f, "indicator/{id}"),
            FieldPath::IndicatorValue(id, fy, side) => {
                write!(f, "indicator/{id}/{fy}/{}", side.name())
            }
            FieldPath::Task(id) => write!(f, "task/{id}"),
            FieldPath::Budget(fy, Money::Planned) => write!(f, "budget/{fy}/planned"),
            FieldPath::Budget(fy, Money::GeneralRevenue) => {
                write!(f, "budget/{fy}/general_revenue")
            }
            FieldPath::Progress(fy) => write!(f, "progress/{fy}"),
        }
    }
}

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
    for f in ProjectField::ALL {
        let v = match f {
            ProjectField::Title => json!(p.title),
            ProjectField::Status => json!(p.status),
            ProjectField::Measures => json!(p.measure_ids),
            ProjectField::Position => json!(p.position),
            ProjectField::Owners => json!(p.owners),
            ProjectField::OwnersNote => json!(p.owners_note),
            ProjectField::Issue => json!(p.texts.issue),
            ProjectField::Purpose => json!(p.texts.purpose),
            ProjectField::Summary => json!(p.texts.summary),
            ProjectField::Goal => json!(p.texts.goal),
            ProjectField::Effects => json!(p.texts.effects),
            ProjectField::Footnotes => json!(p.footnotes),
            ProjectField::Priority => json!(p.priority),
            ProjectField::Tags => json!(p.tags),
        };
        put(f.path().into(), v);
    }
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
        put(
            FieldPath::Indicator(&ind.id).to_string(),
            json!({"kind": ind.kind, "name": ind.name, "unit": ind.unit, "cumulative": ind.cumulative}),
        );
        for v in &ind.values {
            let at = |side| FieldPath::IndicatorValue(&ind.id, v.fiscal_year, side).to_string();
            put(at(Side::Target), json!(v.target));
            put(at(Side::Actual), json!(v.actual));
        }
    }
    for t in &p.schedule {
        put(FieldPath::Task(&t.id).to_string(), json!(t));
    }
    for b in &p.budget {
        put(
            FieldPath::Budget(b.fiscal_year, Money::Planned).to_string(),
            json!(b.planned_thousand_yen),
        );
        put(
            FieldPath::Budget(b.fiscal_year, Money::GeneralRevenue).to_string(),
            json!(b.general_revenue_thousand_yen),
        );
    }
    for pr in &p.progress {
        put(FieldPath::Progress(pr.fiscal_year).to_string(), json!(pr));
    }
    m
}

/// `project_fields(p).len()` without building the map: an import of a thousand new projects
/// counts their fields for the report and would otherwise serialise every value to JSON.
pub fn field_count(p: &Project) -> usize {
    // The project-level fields always have a value (strings, lists, structs).
    let mut n = ProjectField::ALL.len()
        + usize::from(!p.indicators.is_empty())
        + usize::from(!p.schedule.is_empty());
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
        }};
    }
    match FieldPath::parse(field).map_err(|e| err(e.reason()))? {
        FieldPath::IndicatorOrder => {
            let order: Vec<String> = from_json(field, v)?.unwrap_or_default();
            reorder(&mut p.indicators, &order, |i| &i.id);
        }
        FieldPath::TaskOrder => {
            let order: Vec<String> = from_json(field, v)?.unwrap_or_default();
            reorder(&mut p.schedule, &order, |t| &t.id);
        }
        FieldPath::Project(f) => match f {
            ProjectField::Title => plain!(p.title),
            ProjectField::Status => plain!(p.status),
            ProjectField::Measures => plain!(p.measure_ids),
            ProjectField::Position => plain!(p.position),
            ProjectField::Owners => plain!(p.owners),
            ProjectField::OwnersNote => plain!(p.owners_note),
            ProjectField::Issue => plain!(p.texts.issue),
            ProjectField::Purpose => plain!(p.texts.purpose),
            ProjectField::Summary => plain!(p.texts.summary),
            ProjectField::Goal => plain!(p.texts.goal),
            ProjectField::Effects => plain!(p.texts.effects),
            ProjectField::Footnotes => plain!(p.footnotes),
            ProjectField::Priority => plain!(p.priority),
            ProjectField::Tags => plain!(p.tags),
        },
        FieldPath::Indicator(id) => {
            #[derive(serde::Deserialize)]
            struct Meta {
                kind: IndicatorKind,
                name: String,
                unit: Option<String>,
                cumulative: bool,
            }
            let pos = p.indicators.iter().position(|i| i.id == id);
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
        FieldPath::IndicatorValue(id, fy, side) => {
            let value: Option<Value> = from_json(field, v)?;
            let ind = match p.indicators.iter_mut().find(|i| i.id == id) {
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
            if side == Side::Target {
                slot.target = value;
            } else {
                slot.actual = value;
            }
            if slot.target.is_none() && slot.actual.is_none() {
                ind.values.remove(pos);
            }
        }
        FieldPath::Task(id) => {
            let pos = p.schedule.iter().position(|t| t.id == id);
            match (from_json::<Task>(field, v)?, pos) {
                (Some(t), Some(i)) => p.schedule[i] = t,
                (Some(t), None) => p.schedule.push(t),
                (None, Some(i)) => {
                    p.schedule.remove(i);
                }
                (None, None) => {}
            }
        }
        FieldPath::Budget(fy, money) => {
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
            if money == Money::Planned {
                p.budget[pos].planned_thousand_yen = value;
            } else {
                p.budget[pos].general_revenue_thousand_yen = value;
            }
        }
        FieldPath::Progress(fy) => {
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

/// The label of a name of [`FIELD_NAMES`] (the name itself when it is none).
fn label_of(name: &'static str) -> &'static str {
    FIELD_NAMES
        .iter()
        .find(|f| f.name == name)
        .map_or(name, |f| f.label)
}

/// The name in `FIELD_NAMES` of a field path of `project_fields` (「budget/2024/planned」 is
/// 「budget」); row orders are not fields people choose (「」).
pub fn field_name_of(path: &str) -> &'static str {
    FieldPath::parse(path).map_or("", |f| f.name())
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
    fn every_field_path_parses_and_writes_back_the_same() {
        // Every path `project_fields` writes is a `FieldPath` that prints as itself.
        let mut plan = crate::generate::generate(20, 5);
        plan.projects[0].progress.push(Progress {
            fiscal_year: 2024,
            status: "実施中".into(),
            achievements: String::new(),
            issues: String::new(),
            remedies: String::new(),
            evaluation: String::new(),
        });
        let maps: Vec<FieldMap> = plan.projects.iter().map(project_fields).collect();
        let mut kinds = std::collections::HashSet::new();
        for fields in &maps {
            for path in fields.keys() {
                let f = FieldPath::parse(path).unwrap_or_else(|e| panic!("{path}: {e:?}"));
                assert_eq!(&f.to_string(), path);
                kinds.insert(std::mem::discriminant(&f));
            }
        }
        assert_eq!(kinds.len(), 8, "every kind of path seen");
        let f = FieldPath::parse("indicator/i1/2024/actual").unwrap();
        assert_eq!(f, FieldPath::IndicatorValue("i1", 2024, Side::Actual));
        assert_eq!(f.name(), "actual");
        assert_eq!(
            FieldPath::parse("budget/2024/general_revenue").unwrap(),
            FieldPath::Budget(2024, Money::GeneralRevenue)
        );
        assert_eq!(
            FieldPath::parse("progress/R6"),
            Err(BadPath::FiscalYear),
            "a year is a number"
        );
        assert_eq!(FieldPath::parse("budget/2024/other"), Err(BadPath::Unknown));
        assert_eq!(FieldPath::parse("plan"), Err(BadPath::Unknown));
    }

    #[test]
    fn labels_come_from_the_one_table() {
        for f in ProjectField::ALL {
            assert!(!f.label().is_empty() && f.label() != f.name(), "{f:?}");
            assert_eq!(FieldPath::parse(f.path()), Ok(FieldPath::Project(f)));
        }
        assert_eq!(ProjectField::Title.label(), "取組名");
        assert_eq!(ProjectField::Footnotes.label(), "注記");
        assert_eq!(Side::Target.label(), "目標");
        assert_eq!(Money::GeneralRevenue.label(), "うち一般財源（千円）");
        assert_eq!(field_name_of("indicator/x/2024/target"), "target");
        assert_eq!(field_name_of(INDICATOR_ORDER), "");
        let err = set_field(&mut Project::new("m", "t"), "budget/二〇二四/planned", None);
        assert!(err.unwrap_err().reason.contains("bad fiscal year"));
    }

    #[test]
    fn unchanged_project_has_no_diff() {
        let p = Project::new("m", "t");
        assert!(diff_fields(&project_fields(&p), &project_fields(&p)).is_empty());
    }
}
