//! Comparing two plans (two versions, or a version and now): the typed list of changes a
//! 新旧対照表 prints, the app shows and `compare --json` gives. Items come in plan order
//! (the plan, then each 基本方針, its 施策 and their 事業), removed ones where they stood;
//! every changed field has its old and new value as people read them.

pub mod marks;
pub(crate) mod render;

use std::collections::{BTreeMap, BTreeSet, HashMap};

use serde::{Deserialize, Serialize};

use crate::format::layout::{label, ProgressField};
use crate::model::codes::{measure_code, policy_code};
use crate::model::*;
use crate::report::dump::project_codes;
use crate::report::totals::budget_by_policy;

/// What kind of item a difference is about.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(rename_all = "snake_case")]
pub enum ItemKind {
    /// The plan itself (title, period, vision).
    Plan,
    /// A policy (基本方針).
    Policy,
    /// A measure (施策).
    Measure,
    /// A project (事業).
    Project,
}

impl ItemKind {
    /// The kind as the table names it.
    pub fn label(self) -> &'static str {
        match self {
            ItemKind::Plan => "計画",
            ItemKind::Policy => "基本方針",
            ItemKind::Measure => "施策",
            ItemKind::Project => "事業",
        }
    }
}

/// Whether something is new, gone, or there in both with another value.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(rename_all = "snake_case")]
pub enum Presence {
    /// Only in the later state.
    Added,
    /// Only in the earlier state.
    Removed,
    /// In both, with different values.
    Changed,
}

impl Presence {
    /// How a 新旧対照表 says it.
    pub fn label(self) -> &'static str {
        match self {
            Presence::Added => "追加",
            Presence::Removed => "削除",
            Presence::Changed => "変更",
        }
    }
}

/// Which value of an indicator year.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Side {
    /// The target (目標値).
    Target,
    /// The actual (実績値).
    Actual,
}

/// Which amount of a budget year.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum BudgetPart {
    /// 事業費 planned.
    Planned,
    /// Of which 一般財源.
    GeneralRevenue,
    /// The project's planned cost over all years.
    Total,
}

/// Which field changed. Ids, never names: names are what changes.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "field", rename_all = "snake_case")]
pub enum Field {
    /// Title.
    Title,
    /// Description.
    Description,
    /// Municipality.
    City,
    /// The plan's 版 label.
    VersionLabel,
    /// Plan period.
    Period,
    /// Vision.
    Vision,
    /// The display code (Ⅰ-1-①): the item moved or was renumbered.
    Code,
    /// The policy a measure is under.
    Policy,
    /// Status.
    Status,
    /// Owners.
    Owners,
    /// Measures a project is under.
    Measures,
    /// 課題.
    Issue,
    /// 目的.
    Purpose,
    /// 概要.
    Summary,
    /// 目指す姿.
    Goal,
    /// 効果.
    Effects,
    /// Priority.
    Priority,
    /// Tags.
    Tags,
    /// Footnotes.
    Footnotes,
    /// An indicator added or removed as a whole.
    Indicator {
        /// The indicator's id.
        indicator_id: String,
    },
    /// An indicator's name.
    IndicatorName {
        /// The indicator's id.
        indicator_id: String,
    },
    /// An indicator's unit.
    IndicatorUnit {
        /// The indicator's id.
        indicator_id: String,
    },
    /// KGI or KPI.
    IndicatorKind {
        /// The indicator's id.
        indicator_id: String,
    },
    /// Whether an indicator is cumulative.
    IndicatorCumulative {
        /// The indicator's id.
        indicator_id: String,
    },
    /// A target or actual of one year.
    IndicatorValue {
        /// The indicator's id.
        indicator_id: String,
        /// The fiscal year.
        fiscal_year: FiscalYear,
        /// Target or actual.
        side: Side,
    },
    /// A schedule task.
    Task {
        /// The task's id.
        task_id: String,
    },
    /// A budget amount (a year, or the total when None).
    Budget {
        /// The fiscal year.
        fiscal_year: Option<FiscalYear>,
        /// Which part.
        part: BudgetPart,
    },
    /// A progress field of one year.
    Progress {
        /// The fiscal year.
        fiscal_year: FiscalYear,
        /// Which part.
        part: ProgressField,
    },
}

/// One changed field: what the table's row says.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Change {
    /// Which field.
    #[serde(flatten)]
    pub field: Field,
    /// How the table names the field (「内容」, 「KPI「…」 2023年度（令和5年度） 実績」).
    pub label: String,
    /// Added, removed or changed.
    pub presence: Presence,
    /// 変更前（旧）; None when the field had no value.
    pub old: Option<String>,
    /// 変更後（新）; None when the field has no value.
    pub new: Option<String>,
}

impl Change {
    /// The old and new text cut into kept and changed runs (the changed part is underlined).
    pub fn segments(&self) -> (Vec<marks::Segment>, Vec<marks::Segment>) {
        marks::segments(
            self.old.as_deref().unwrap_or(""),
            self.new.as_deref().unwrap_or(""),
        )
    }
}

/// The plan, a policy, a measure or a project, with what changed in it.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ItemDiff {
    /// What kind of item.
    pub kind: ItemKind,
    /// The item's id.
    pub id: String,
    /// Display code in the new plan, or the old one for a removed item.
    pub code: String,
    /// The old code when it differs.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub old_code: Option<String>,
    /// The new title, or the old one for a removed item.
    pub title: String,
    /// Added, removed or changed.
    pub presence: Presence,
    /// Its changed fields.
    pub changes: Vec<Change>,
}

/// Planned cost per 基本方針 and fiscal year, before and after (`report::totals`).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct BudgetRow {
    /// The policy's id.
    pub policy_id: String,
    /// Display code (Ⅰ, Ⅰ-1, Ⅰ-1-①).
    pub code: String,
    /// Title as written in the plan.
    pub title: String,
    /// None: the policy is not in that plan.
    pub old: Option<BTreeMap<FiscalYear, i64>>,
    /// Amounts per year in the later state; None: the policy is not there.
    pub new: Option<BTreeMap<FiscalYear, i64>>,
}

/// 事業費 per policy and year, before and after.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct BudgetComparison {
    /// Every fiscal year of either plan.
    pub fiscal_years: Vec<FiscalYear>,
    /// One row per policy.
    pub rows: Vec<BudgetRow>,
    /// Total per year before.
    pub old_total: BTreeMap<FiscalYear, i64>,
    /// Total per year after.
    pub new_total: BTreeMap<FiscalYear, i64>,
}

impl BudgetComparison {
    /// The sum of the amounts of all years.
    pub fn sum(amounts: &BTreeMap<FiscalYear, i64>) -> i64 {
        amounts.values().sum()
    }
}

/// Two states of a plan compared (新旧対照表).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Comparison {
    /// Labels of the two sides (「第1.0版」, 「現在」).
    pub from: String,
    /// Label of the later state (a version or 現在).
    pub to: String,
    /// Items that changed, in plan order; unchanged items are left out.
    pub items: Vec<ItemDiff>,
    /// 事業費 per policy, before and after.
    pub budget: BudgetComparison,
}

impl Comparison {
    /// How many items of a kind were added, removed or changed.
    pub fn count(&self, kind: ItemKind, presence: Presence) -> usize {
        self.items
            .iter()
            .filter(|i| i.kind == kind && i.presence == presence)
            .count()
    }
}

/// Compares `old` (labelled `from`) with `new` (labelled `to`).
pub fn compare(old: &Plan, new: &Plan, from: &str, to: &str) -> Comparison {
    let o = Index::new(old);
    let n = Index::new(new);
    let mut items = Vec::new();
    let plan_changes = plan_changes(&old.info, &new.info);
    if !plan_changes.is_empty() {
        items.push(ItemDiff {
            kind: ItemKind::Plan,
            id: new.info.id.clone(),
            code: String::new(),
            old_code: None,
            title: new.info.title.clone(),
            presence: Presence::Changed,
            changes: plan_changes,
        });
    }
    let policy_ids = interleave(
        old.policies.iter().map(|p| p.id.as_str()),
        new.policies.iter().map(|p| p.id.as_str()),
    );
    let mut seen: BTreeSet<&str> = BTreeSet::new();
    for pid in policy_ids {
        if let Some(d) = policy_diff(&o, &n, pid) {
            items.push(d);
        }
        let measure_ids = interleave(
            o.measures_of(pid).into_iter(),
            n.measures_of(pid).into_iter(),
        );
        for mid in measure_ids {
            seen.insert(mid);
            if let Some(d) = measure_diff(&o, &n, mid) {
                items.push(d);
            }
            let project_ids = interleave(
                o.projects_of(mid).into_iter(),
                n.projects_of(mid).into_iter(),
            );
            for id in project_ids {
                seen.insert(id);
                if let Some(d) = project_diff(&o, &n, id) {
                    items.push(d);
                }
            }
        }
    }
    // Items whose parent is in neither plan (a damaged plan) are still compared, last.
    let rest: Vec<&str> = interleave(
        old.measures.iter().map(|m| m.id.as_str()),
        new.measures.iter().map(|m| m.id.as_str()),
    )
    .into_iter()
    .filter(|id| !seen.contains(id))
    .collect();
    for id in rest {
        items.extend(measure_diff(&o, &n, id));
    }
    let rest: Vec<&str> = interleave(
        old.projects.iter().map(|p| p.id.as_str()),
        new.projects.iter().map(|p| p.id.as_str()),
    )
    .into_iter()
    .filter(|id| !seen.contains(id))
    .collect();
    for id in rest {
        items.extend(project_diff(&o, &n, id));
    }
    Comparison {
        from: from.to_string(),
        to: to.to_string(),
        items,
        budget: budget(&o, &n),
    }
}

/// One plan, looked up by id.
struct Index<'a> {
    plan: &'a Plan,
    policies: HashMap<&'a str, &'a Policy>,
    measures: HashMap<&'a str, &'a Measure>,
    projects: HashMap<&'a str, &'a Project>,
    project_codes: HashMap<&'a str, String>,
    unit_names: HashMap<&'a str, &'a str>,
    /// Measure ids per policy, in plan order.
    measures_by_policy: HashMap<&'a str, Vec<&'a str>>,
    /// Project ids per primary measure, by position.
    projects_by_measure: HashMap<&'a str, Vec<&'a str>>,
}

impl<'a> Index<'a> {
    fn new(plan: &'a Plan) -> Index<'a> {
        let mut measures_by_policy: HashMap<&str, Vec<&str>> = HashMap::new();
        for m in &plan.measures {
            measures_by_policy
                .entry(m.policy_id.as_str())
                .or_default()
                .push(m.id.as_str());
        }
        let mut by_measure: HashMap<&str, Vec<&Project>> = HashMap::new();
        for p in &plan.projects {
            if let Some(m) = p.measure_ids.first() {
                by_measure.entry(m.as_str()).or_default().push(p);
            }
        }
        let projects_by_measure = by_measure
            .into_iter()
            .map(|(m, mut ps)| {
                ps.sort_by_key(|p| p.position);
                (m, ps.into_iter().map(|p| p.id.as_str()).collect())
            })
            .collect();
        Index {
            plan,
            policies: plan.policies.iter().map(|p| (p.id.as_str(), p)).collect(),
            measures: plan.measures.iter().map(|m| (m.id.as_str(), m)).collect(),
            projects: plan.projects.iter().map(|p| (p.id.as_str(), p)).collect(),
            project_codes: project_codes(plan),
            unit_names: plan
                .org_units
                .iter()
                .map(|u| (u.id.as_str(), u.name.as_str()))
                .collect(),
            measures_by_policy,
            projects_by_measure,
        }
    }

    fn measures_of(&self, policy_id: &str) -> Vec<&'a str> {
        self.measures_by_policy
            .get(policy_id)
            .cloned()
            .unwrap_or_default()
    }

    fn projects_of(&self, measure_id: &str) -> Vec<&'a str> {
        self.projects_by_measure
            .get(measure_id)
            .cloned()
            .unwrap_or_default()
    }

    fn policy_code(&self, id: &str) -> String {
        self.policies
            .get(id)
            .map_or_else(String::new, |p| policy_code(p.position))
    }

    fn measure_code(&self, m: &Measure) -> String {
        let pp = self
            .policies
            .get(m.policy_id.as_str())
            .map_or(0, |p| p.position);
        measure_code(pp, m.position)
    }

    fn measure_label(&self, id: &str) -> String {
        match self.measures.get(id) {
            Some(m) => format!("{}　{}", self.measure_code(m), m.title),
            None => id.to_string(),
        }
    }
}

/// Ids of both lists in the new list's order, each removed id right after the id that came
/// before it in the old list (or first).
fn interleave<'a>(
    old: impl Iterator<Item = &'a str>,
    new: impl Iterator<Item = &'a str>,
) -> Vec<&'a str> {
    let new: Vec<&str> = new.collect();
    let in_new: BTreeSet<&str> = new.iter().copied().collect();
    let mut after: HashMap<Option<&str>, Vec<&str>> = HashMap::new();
    let mut anchor: Option<&str> = None;
    for id in old {
        if in_new.contains(id) {
            anchor = Some(id);
        } else {
            after.entry(anchor).or_default().push(id);
        }
    }
    let mut out: Vec<&str> = after.remove(&None).unwrap_or_default();
    for id in new {
        out.push(id);
        out.extend(after.remove(&Some(id)).unwrap_or_default());
    }
    out
}

/// Collects changes: nothing when both sides read the same.
struct Changes(Vec<Change>);

impl Changes {
    fn field(
        &mut self,
        field: Field,
        label: impl Into<String>,
        old: Option<String>,
        new: Option<String>,
    ) {
        let old = old.filter(|s| !s.is_empty());
        let new = new.filter(|s| !s.is_empty());
        let presence = match (&old, &new) {
            (None, None) => return,
            (Some(a), Some(b)) if a == b => return,
            (None, Some(_)) => Presence::Added,
            (Some(_), None) => Presence::Removed,
            (Some(_), Some(_)) => Presence::Changed,
        };
        self.0.push(Change {
            field,
            label: label.into(),
            presence,
            old,
            new,
        });
    }

    fn text(&mut self, field: Field, label: &str, old: Option<&str>, new: Option<&str>) {
        self.field(
            field,
            label,
            old.map(str::to_string),
            new.map(str::to_string),
        );
    }
}

fn plan_changes(old: &PlanInfo, new: &PlanInfo) -> Vec<Change> {
    let mut c = Changes(Vec::new());
    c.text(Field::Title, "計画名", Some(&old.title), Some(&new.title));
    c.text(Field::City, "団体名", Some(&old.city), Some(&new.city));
    c.text(
        Field::VersionLabel,
        "版",
        Some(&old.version),
        Some(&new.version),
    );
    c.field(
        Field::Period,
        "計画期間",
        Some(render::period(old.first_fy, old.last_fy)),
        Some(render::period(new.first_fy, new.last_fy)),
    );
    c.text(
        Field::Vision,
        "目指す姿",
        Some(&old.vision),
        Some(&new.vision),
    );
    c.0
}

fn presence<T>(old: Option<T>, new: Option<T>) -> Option<Presence> {
    match (old, new) {
        (None, None) => None,
        (None, Some(_)) => Some(Presence::Added),
        (Some(_), None) => Some(Presence::Removed),
        (Some(_), Some(_)) => Some(Presence::Changed),
    }
}

/// An item diff, or None when the item is in both plans and nothing changed.
fn item(
    kind: ItemKind,
    id: &str,
    presence: Presence,
    (old_code, new_code): (Option<String>, Option<String>),
    title: String,
    changes: Vec<Change>,
) -> Option<ItemDiff> {
    if presence == Presence::Changed && changes.is_empty() {
        return None;
    }
    let code = new_code
        .clone()
        .or_else(|| old_code.clone())
        .unwrap_or_default();
    Some(ItemDiff {
        kind,
        id: id.to_string(),
        old_code: old_code.filter(|c| new_code.is_some() && *c != code),
        code,
        title,
        presence,
        changes,
    })
}

fn policy_diff(o: &Index<'_>, n: &Index<'_>, id: &str) -> Option<ItemDiff> {
    let (a, b) = (o.policies.get(id).copied(), n.policies.get(id).copied());
    let presence = presence(a, b)?;
    let mut c = Changes(Vec::new());
    let (oc, nc) = (a.map(|_| o.policy_code(id)), b.map(|_| n.policy_code(id)));
    if presence == Presence::Changed {
        c.field(Field::Code, "番号", oc.clone(), nc.clone());
    }
    c.text(
        Field::Title,
        "基本方針",
        a.map(|p| p.title.as_str()),
        b.map(|p| p.title.as_str()),
    );
    c.text(
        Field::Description,
        "説明",
        a.map(|p| p.description.as_str()),
        b.map(|p| p.description.as_str()),
    );
    let title = b.or(a).map(|p| p.title.clone()).unwrap_or_default();
    item(ItemKind::Policy, id, presence, (oc, nc), title, c.0)
}

fn measure_diff(o: &Index<'_>, n: &Index<'_>, id: &str) -> Option<ItemDiff> {
    let (a, b) = (o.measures.get(id).copied(), n.measures.get(id).copied());
    let presence = presence(a, b)?;
    let (oc, nc) = (a.map(|m| o.measure_code(m)), b.map(|m| n.measure_code(m)));
    let mut c = Changes(Vec::new());
    if presence == Presence::Changed {
        c.field(Field::Code, "番号", oc.clone(), nc.clone());
    }
    c.text(
        Field::Title,
        "施策",
        a.map(|m| m.title.as_str()),
        b.map(|m| m.title.as_str()),
    );
    c.text(
        Field::Description,
        "説明",
        a.map(|m| m.description.as_str()),
        b.map(|m| m.description.as_str()),
    );
    c.field(
        Field::Priority,
        "重点・優先度",
        a.map(|m| render::priority(&m.priority)),
        b.map(|m| render::priority(&m.priority)),
    );
    let title = b.or(a).map(|m| m.title.clone()).unwrap_or_default();
    item(ItemKind::Measure, id, presence, (oc, nc), title, c.0)
}

fn project_diff(o: &Index<'_>, n: &Index<'_>, id: &str) -> Option<ItemDiff> {
    let (a, b) = (o.projects.get(id).copied(), n.projects.get(id).copied());
    let presence = presence(a, b)?;
    let (oc, nc) = (
        a.map(|_| o.project_codes.get(id).cloned().unwrap_or_default()),
        b.map(|_| n.project_codes.get(id).cloned().unwrap_or_default()),
    );
    // Most projects of a revision are untouched: equal values render equal, so skip them.
    if a == b && oc == nc && owner_names(o, a) == owner_names(n, b) {
        return None;
    }
    let mut c = Changes(Vec::new());
    if presence == Presence::Changed {
        c.field(Field::Code, "番号", oc.clone(), nc.clone());
    }
    project_fields(&mut c, (o, a), (n, b));
    let title = b.or(a).map(|p| p.title.clone()).unwrap_or_default();
    item(ItemKind::Project, id, presence, (oc, nc), title, c.0)
}

/// Every field of a project, old against new; a side that is None contributes nothing, so
/// an added project lists all it holds and a removed one all it held.
fn project_fields(
    c: &mut Changes,
    (o, a): (&Index<'_>, Option<&Project>),
    (n, b): (&Index<'_>, Option<&Project>),
) {
    let s = |p: Option<&Project>, f: fn(&Project) -> &str| p.map(|p| f(p).to_string());
    c.field(
        Field::Title,
        label::TITLE,
        s(a, |p| &p.title),
        s(b, |p| &p.title),
    );
    c.field(
        Field::Status,
        label::STATUS,
        a.map(|p| render::status(p.status)),
        b.map(|p| render::status(p.status)),
    );
    // Membership, by id: a renamed measure is shown once, at the measure.
    if a.map(|p| &p.measure_ids) != b.map(|p| &p.measure_ids) {
        c.field(
            Field::Measures,
            label::MEASURE,
            a.map(|p| measures_text(o, p)),
            b.map(|p| measures_text(n, p)),
        );
    }
    c.field(
        Field::Owners,
        label::OWNERS,
        a.map(|p| render::owners(&o.plan.org_units, p)),
        b.map(|p| render::owners(&n.plan.org_units, p)),
    );
    c.field(
        Field::Issue,
        label::ISSUE,
        s(a, |p| &p.texts.issue),
        s(b, |p| &p.texts.issue),
    );
    c.field(
        Field::Purpose,
        label::PURPOSE,
        s(a, |p| &p.texts.purpose),
        s(b, |p| &p.texts.purpose),
    );
    c.field(
        Field::Summary,
        label::SUMMARY,
        s(a, |p| &p.texts.summary),
        s(b, |p| &p.texts.summary),
    );
    c.field(
        Field::Goal,
        label::GOAL,
        s(a, |p| &p.texts.goal),
        s(b, |p| &p.texts.goal),
    );
    c.field(
        Field::Effects,
        label::EFFECTS,
        a.map(|p| render::effects(&p.texts.effects)),
        b.map(|p| render::effects(&p.texts.effects)),
    );
    c.field(
        Field::Priority,
        "重点・優先度",
        a.map(|p| render::priority(&p.priority)),
        b.map(|p| render::priority(&p.priority)),
    );
    c.field(
        Field::Tags,
        "タグ",
        a.map(|p| render::tags(&p.tags)),
        b.map(|p| render::tags(&p.tags)),
    );
    tasks(c, a, b);
    indicators(c, a, b);
    budget_cells(c, a, b);
    progress(c, a, b);
    c.field(
        Field::Footnotes,
        "注記",
        a.map(|p| render::footnotes(&p.footnotes)),
        b.map(|p| render::footnotes(&p.footnotes)),
    );
}

/// The names of a project's owners (a unit renamed between the versions changes them).
fn owner_names<'a>(ix: &Index<'a>, p: Option<&Project>) -> Vec<Option<&'a str>> {
    p.map_or_else(Vec::new, |p| {
        p.owners
            .iter()
            .map(|o| ix.unit_names.get(o.unit_id.as_str()).copied())
            .collect()
    })
}

fn measures_text(ix: &Index<'_>, p: &Project) -> String {
    p.measure_ids
        .iter()
        .map(|m| ix.measure_label(m))
        .collect::<Vec<_>>()
        .join("\n")
}

/// Ids of two lists of rows in the new order, removed ones where they stood.
fn row_ids<'a, T>(a: &'a [T], b: &'a [T], id: impl Fn(&'a T) -> &'a str) -> Vec<&'a str> {
    interleave(a.iter().map(&id), b.iter().map(&id))
}

fn tasks(c: &mut Changes, a: Option<&Project>, b: Option<&Project>) {
    let none: &[Task] = &[];
    let (ta, tb) = (
        a.map_or(none, |p| &p.schedule),
        b.map_or(none, |p| &p.schedule),
    );
    for id in row_ids(ta, tb, |t| t.id.as_str()) {
        let (x, y) = (
            ta.iter().find(|t| t.id == id),
            tb.iter().find(|t| t.id == id),
        );
        let name = y.or(x).map(|t| t.name.as_str()).unwrap_or_default();
        c.field(
            Field::Task {
                task_id: id.to_string(),
            },
            format!("{}「{name}」", label::SCHEDULE),
            x.map(render::task),
            y.map(render::task),
        );
    }
}

fn indicators(c: &mut Changes, a: Option<&Project>, b: Option<&Project>) {
    let none: &[Indicator] = &[];
    let (ia, ib) = (
        a.map_or(none, |p| &p.indicators),
        b.map_or(none, |p| &p.indicators),
    );
    for id in row_ids(ia, ib, |i| i.id.as_str()) {
        let iid = || id.to_string();
        match (
            ia.iter().find(|i| i.id == id),
            ib.iter().find(|i| i.id == id),
        ) {
            (Some(x), Some(y)) => {
                let name = render::indicator_name(y);
                c.field(
                    Field::IndicatorKind {
                        indicator_id: iid(),
                    },
                    format!("{name} 種別"),
                    Some(x.kind.as_str().into()),
                    Some(y.kind.as_str().into()),
                );
                c.field(
                    Field::IndicatorName {
                        indicator_id: iid(),
                    },
                    format!("{} 指標名", y.kind.as_str()),
                    Some(x.name.clone()),
                    Some(y.name.clone()),
                );
                c.field(
                    Field::IndicatorUnit {
                        indicator_id: iid(),
                    },
                    format!("{name} {}", label::UNIT),
                    x.unit.clone(),
                    y.unit.clone(),
                );
                c.field(
                    Field::IndicatorCumulative {
                        indicator_id: iid(),
                    },
                    format!("{name} 累計"),
                    Some(
                        if x.cumulative {
                            "累計"
                        } else {
                            "累計でない"
                        }
                        .into(),
                    ),
                    Some(
                        if y.cumulative {
                            "累計"
                        } else {
                            "累計でない"
                        }
                        .into(),
                    ),
                );
                let years: BTreeSet<FiscalYear> = x
                    .values
                    .iter()
                    .chain(&y.values)
                    .map(|v| v.fiscal_year)
                    .collect();
                let at = |i: &Indicator, fy: FiscalYear, side: Side| {
                    i.values
                        .iter()
                        .find(|v| v.fiscal_year == fy)
                        .and_then(|v| match side {
                            Side::Target => v.target.as_ref(),
                            Side::Actual => v.actual.as_ref(),
                        })
                        .map(|v| v.text.clone())
                };
                for fy in years {
                    for (side, lbl) in
                        [(Side::Target, label::TARGET), (Side::Actual, label::ACTUAL)]
                    {
                        c.field(
                            Field::IndicatorValue {
                                indicator_id: iid(),
                                fiscal_year: fy,
                                side,
                            },
                            format!("{name} {} {lbl}", render::year(fy)),
                            at(x, fy, side),
                            at(y, fy, side),
                        );
                    }
                }
            }
            (x, y) => {
                let Some(any) = y.or(x) else { continue };
                c.field(
                    Field::Indicator {
                        indicator_id: iid(),
                    },
                    render::indicator_name(any),
                    x.map(render::indicator),
                    y.map(render::indicator),
                );
            }
        }
    }
}

fn budget_cells(c: &mut Changes, a: Option<&Project>, b: Option<&Project>) {
    let none: &[BudgetYear] = &[];
    let (ba, bb) = (a.map_or(none, |p| &p.budget), b.map_or(none, |p| &p.budget));
    let years: BTreeSet<FiscalYear> = ba.iter().chain(bb).map(|x| x.fiscal_year).collect();
    let at = |rows: &[BudgetYear], fy: FiscalYear, general: bool| {
        rows.iter().find(|x| x.fiscal_year == fy).and_then(|x| {
            if general {
                x.general_revenue_thousand_yen
            } else {
                x.planned_thousand_yen
            }
        })
    };
    // A side with no project shows nothing; a project with no cost in a year shows 「－」.
    let shown = |p: Option<&Project>, v: Option<i64>| p.map(|_| render::money(v));
    for &fy in &years {
        for (part, lbl, general) in [
            (BudgetPart::Planned, "年度経費（LCC）", false),
            (BudgetPart::GeneralRevenue, "うち一般財源", true),
        ] {
            let (x, y) = (at(ba, fy, general), at(bb, fy, general));
            if x == y && a.is_some() && b.is_some() {
                continue;
            }
            if x.is_none() && y.is_none() {
                continue;
            }
            c.field(
                Field::Budget {
                    fiscal_year: Some(fy),
                    part,
                },
                format!("{lbl} {}", render::year(fy)),
                shown(a, x),
                shown(b, y),
            );
        }
    }
    let total = |rows: &[BudgetYear]| {
        let v: Vec<i64> = rows.iter().filter_map(|x| x.planned_thousand_yen).collect();
        (!v.is_empty()).then(|| v.iter().sum::<i64>())
    };
    let (x, y) = (total(ba), total(bb));
    if x != y {
        c.field(
            Field::Budget {
                fiscal_year: None,
                part: BudgetPart::Total,
            },
            "年度経費（LCC）合計",
            a.map(|_| render::money(x)),
            b.map(|_| render::money(y)),
        );
    }
}

fn progress(c: &mut Changes, a: Option<&Project>, b: Option<&Project>) {
    let none: &[Progress] = &[];
    let (pa, pb) = (
        a.map_or(none, |p| &p.progress),
        b.map_or(none, |p| &p.progress),
    );
    let years: BTreeSet<FiscalYear> = pa.iter().chain(pb).map(|x| x.fiscal_year).collect();
    for fy in years {
        let (x, y) = (
            pa.iter().find(|g| g.fiscal_year == fy),
            pb.iter().find(|g| g.fiscal_year == fy),
        );
        for part in ProgressField::ALL {
            let get = |g: &Progress| {
                match part {
                    ProgressField::Status => &g.status,
                    ProgressField::Achievements => &g.achievements,
                    ProgressField::Issues => &g.issues,
                    ProgressField::Remedies => &g.remedies,
                    ProgressField::Evaluation => &g.evaluation,
                }
                .clone()
            };
            c.field(
                Field::Progress {
                    fiscal_year: fy,
                    part,
                },
                format!("{} {}", part.label(), render::year(fy)),
                x.map(get),
                y.map(get),
            );
        }
    }
}

fn budget(o: &Index<'_>, n: &Index<'_>) -> BudgetComparison {
    let (to, tn) = (budget_by_policy(o.plan), budget_by_policy(n.plan));
    let years: BTreeSet<FiscalYear> = to
        .fiscal_years
        .iter()
        .chain(&tn.fiscal_years)
        .copied()
        .chain(
            to.rows
                .iter()
                .chain(&tn.rows)
                .flat_map(|r| r.2.keys().copied()),
        )
        .collect();
    let filled = |m: &BTreeMap<FiscalYear, i64>| -> BTreeMap<FiscalYear, i64> {
        years
            .iter()
            .map(|fy| (*fy, m.get(fy).copied().unwrap_or(0)))
            .collect()
    };
    let row_of = |t: &crate::report::totals::BudgetTotals, id: &str| {
        t.rows.iter().find(|r| r.0 == id).map(|r| filled(&r.2))
    };
    let ids = interleave(
        to.rows.iter().map(|r| r.0.as_str()),
        tn.rows.iter().map(|r| r.0.as_str()),
    );
    let rows = ids
        .into_iter()
        .map(|id| {
            let title = n
                .policies
                .get(id)
                .or_else(|| o.policies.get(id))
                .map(|p| p.title.clone())
                .unwrap_or_default();
            let code = if n.policies.contains_key(id) {
                n.policy_code(id)
            } else {
                o.policy_code(id)
            };
            BudgetRow {
                policy_id: id.to_string(),
                code,
                title,
                old: row_of(&to, id),
                new: row_of(&tn, id),
            }
        })
        .collect();
    let total = |t: &crate::report::totals::BudgetTotals| -> BTreeMap<FiscalYear, i64> {
        years
            .iter()
            .map(|fy| (*fy, t.rows.iter().filter_map(|r| r.2.get(fy)).sum()))
            .collect()
    };
    BudgetComparison {
        fiscal_years: years.iter().copied().collect(),
        rows,
        old_total: total(&to),
        new_total: total(&tn),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sample() -> Plan {
        crate::sample::onojo().expect("sample")
    }

    #[test]
    fn typed_changes_in_plan_order() {
        let old = sample();
        let mut new = old.clone();
        // A project removed from the middle of Ⅰ-1, a measure renamed, a KPI's name changed,
        // an indicator added to the last project.
        let gone = new.projects.remove(1);
        new.measures[1].title.push_str("（改）");
        let kpi = new.projects[0]
            .indicators
            .iter_mut()
            .find(|i| i.kind == IndicatorKind::KPI)
            .expect("kpi");
        kpi.name = "オンライン申請できる手続数".into();
        let kpi_id = kpi.id.clone();
        let last = new.projects.last_mut().expect("projects");
        last.indicators.push(Indicator {
            id: "new-indicator".into(),
            kind: IndicatorKind::KPI,
            name: "参加施設数".into(),
            unit: Some("施設".into()),
            cumulative: false,
            values: vec![],
        });
        let last_id = last.id.clone();
        let cmp = compare(&old, &new, "第1.0版", "第1.1版");
        let kinds: Vec<(ItemKind, Presence)> =
            cmp.items.iter().map(|i| (i.kind, i.presence)).collect();
        assert_eq!(
            kinds,
            [
                (ItemKind::Project, Presence::Changed),
                (ItemKind::Project, Presence::Removed),
                (ItemKind::Measure, Presence::Changed),
                (ItemKind::Project, Presence::Changed),
            ]
        );
        assert_eq!(cmp.items[1].id, gone.id);
        assert_eq!(cmp.items[1].code, "Ⅰ-1-②");
        let name = &cmp.items[0].changes[0];
        assert_eq!(
            name.field,
            Field::IndicatorName {
                indicator_id: kpi_id
            }
        );
        assert_eq!(name.new.as_deref(), Some("オンライン申請できる手続数"));
        let added = &cmp.items[3];
        assert_eq!(added.id, last_id);
        assert_eq!(added.changes[0].presence, Presence::Added);
        assert_eq!(added.changes[0].label, "KPI「参加施設数」");
        assert_eq!(
            added.changes[0].new.as_deref(),
            Some("参加施設数（単位：施設）")
        );
        // The removed project's cost leaves the budget of its policy.
        let before: i64 = gone
            .budget
            .iter()
            .filter_map(|b| b.planned_thousand_yen)
            .sum();
        let row = &cmp.budget.rows[0];
        let (o, n) = (
            row.old.as_ref().expect("old"),
            row.new.as_ref().expect("new"),
        );
        assert_eq!(BudgetComparison::sum(o) - BudgetComparison::sum(n), before);
        assert_eq!(compare(&old, &old, "a", "a").items, vec![]);
    }

    #[test]
    fn removed_ids_stay_where_they_stood() {
        let got = interleave(
            ["a", "b", "c", "d"].into_iter(),
            ["x", "a", "c", "e"].into_iter(),
        );
        assert_eq!(got, ["x", "a", "b", "c", "d", "e"]);
        let got = interleave(["a", "b"].into_iter(), ["b"].into_iter());
        assert_eq!(got, ["a", "b"]);
    }
}
