//! Matching drafts to the plan and applying them to an in-memory copy of it. Nothing here
//! writes: `import_files` saves the touched items in one transaction afterwards.

use std::collections::{BTreeMap, BTreeSet, HashMap, HashSet};

use super::accept::{split, Accept};
use super::draft::Draft;
use super::report::{Note, Outcome, ProjectLine, Unplaced};
use crate::format::sheet::fields;
use crate::model::*;
use crate::parse::label::normalize_label;

/// The plan being imported into, with what the import added or changed.
pub struct Target {
    pub plan: Plan,
    pub new_units: Vec<OrgUnit>,
    pub new_policies: Vec<Policy>,
    pub new_measures: Vec<Measure>,
    pub touched: BTreeSet<Id>,
    /// Normalised title → project indexes, so matching stays linear in the number of sheets.
    by_title: HashMap<String, Vec<usize>>,
    measure_by_title: HashMap<String, usize>,
    unit_by_name: HashMap<String, Id>,
    /// Highest project position per measure, for appending new projects.
    last_position: HashMap<Id, u32>,
    /// Changes to values the plan has that are applied (`import::accept`).
    pub accept: Accept,
    /// Where a new project that names no measure goes.
    pub placement: Placement,
    /// New projects that name no measure and were given none: the import must ask.
    pub unplaced: Vec<Unplaced>,
    /// (measure, position) of every project, built when a code first asks for a position.
    taken: Option<std::collections::HashSet<(Id, u32)>>,
    /// Projects of the plan as they were before this import changed them (undo restores them).
    pub originals: HashMap<Id, Project>,
    /// What an import has written into its transaction already (`import::spill`).
    pub(super) spill: Spill,
}

/// What an import has written into its open transaction (`import::spill`).
#[derive(Debug, Default)]
pub struct Spill {
    /// Projects created (or brought back) since the last spill, by index in the plan.
    pub(super) fresh: Vec<usize>,
    /// Indexes of the plan's projects that are stubs now.
    pub(super) stubbed: HashSet<usize>,
    /// Projects this transaction has written.
    pub(super) written: HashSet<Id>,
    /// New units written.
    pub(super) units: HashSet<Id>,
    /// How many of the new policies and measures are written (they are only ever appended).
    pub(super) policies: usize,
    pub(super) measures: usize,
}

const UNCLASSIFIED: &str = "未分類";

/// Where a new project that names no measure goes.
#[derive(Debug, Clone, Default)]
pub enum Placement {
    /// Under 「未分類」, reported (a merge's proposals).
    #[default]
    Unclassified,
    /// Under the measure chosen for its title, else under `default`; with neither it is listed
    /// in `Target::unplaced` and the import asks.
    Chosen {
        default: Option<Id>,
        by_title: HashMap<String, Id>,
    },
}

impl Target {
    pub fn new(plan: Plan) -> Self {
        let mut by_title: HashMap<String, Vec<usize>> = HashMap::new();
        let mut last_position: HashMap<Id, u32> = HashMap::new();
        for (i, p) in plan.projects.iter().enumerate() {
            by_title
                .entry(normalize_label(&p.title))
                .or_default()
                .push(i);
            if let Some(m) = p.measure_ids.first() {
                let e = last_position.entry(m.clone()).or_default();
                *e = (*e).max(p.position);
            }
        }
        // First match wins, as a linear search would.
        let mut measure_by_title = HashMap::new();
        for (i, m) in plan.measures.iter().enumerate().rev() {
            measure_by_title.insert(normalize_label(&m.title), i);
        }
        let mut unit_by_name = HashMap::new();
        for u in plan.org_units.iter().rev() {
            unit_by_name.insert(normalize_label(&u.name), u.id.clone());
        }
        Target {
            plan,
            new_units: Vec::new(),
            new_policies: Vec::new(),
            new_measures: Vec::new(),
            touched: BTreeSet::new(),
            by_title,
            measure_by_title,
            unit_by_name,
            last_position,
            accept: Accept::default(),
            placement: Placement::default(),
            unplaced: Vec::new(),
            taken: None,
            originals: HashMap::new(),
            spill: Default::default(),
        }
    }

    fn unit_id(&mut self, name: &str) -> Id {
        let key = normalize_label(name);
        if let Some(id) = self.unit_by_name.get(&key) {
            return id.clone();
        }
        // Drafts arrive cleaned (`import::names`); a unit is never created with an invisible
        // character, whoever calls.
        let name =
            crate::parse::label::strip_format_chars(name).unwrap_or_else(|| name.to_string());
        let u = OrgUnit {
            id: new_id(),
            name,
            parent_id: None,
            valid_from_fy: None,
            valid_to_fy: None,
        };
        self.unit_by_name.insert(key, u.id.clone());
        self.plan.org_units.push(u.clone());
        self.new_units.push(u.clone());
        u.id
    }

    /// The policy of a new measure: the one the sheet names by title, else the plan's policy
    /// of its code's number (「Ⅰ-1-①」 → the first), else a new one, titled by its code when no
    /// title is known; 「未分類」 only when neither is written, and said so.
    fn policy_for(&mut self, d: &Draft, guesses: &mut Vec<Note>) -> Id {
        match (&d.policy, d.policy_code) {
            (Some(title), code) => self.policy_id(title, code),
            (None, Some(code)) => {
                if let Some(p) = self.plan.policies.iter().find(|p| p.position == code) {
                    return p.id.clone();
                }
                let title = format!("基本方針{}", crate::model::codes::roman(code));
                guesses.push(Note {
                    at: d.at.clone(),
                    message: format!("基本方針の名前が書かれていないため、番号から「{title}」としました / policy titled by its code"),
                });
                self.policy_id(&title, Some(code))
            }
            (None, None) => {
                guesses.push(Note {
                    at: d.at.clone(),
                    message: format!("施策「{}」の基本方針が書かれていないため「{UNCLASSIFIED}」に入れました / no policy named: filed under {UNCLASSIFIED}", d.measure.as_deref().unwrap_or_default()),
                });
                self.policy_id(UNCLASSIFIED, None)
            }
        }
    }

    /// The policy of this title, created (at the position of its code when that is free) if
    /// the plan has none.
    fn policy_id(&mut self, title: &str, code: Option<u32>) -> Id {
        let key = normalize_label(title);
        if let Some(p) = self
            .plan
            .policies
            .iter()
            .find(|p| normalize_label(&p.title) == key)
        {
            return p.id.clone();
        }
        let position = match code {
            Some(c) if !self.plan.policies.iter().any(|p| p.position == c) => c,
            _ => {
                self.plan
                    .policies
                    .iter()
                    .map(|p| p.position)
                    .max()
                    .unwrap_or(0)
                    + 1
            }
        };
        let p = Policy {
            id: new_id(),
            position,
            title: title.to_string(),
            description: String::new(),
        };
        self.plan.policies.push(p.clone());
        self.new_policies.push(p.clone());
        p.id
    }

    fn find_measure(&self, title: &str) -> Option<&Measure> {
        self.measure_by_title
            .get(&normalize_label(title))
            .map(|i| &self.plan.measures[*i])
    }

    /// The measure a new project goes under: the one the sheet names (created under its
    /// policy if new), else the one its code numbers (「Ⅰ-1-①」), else where `placement` puts
    /// it; `None` when the import must ask.
    fn measure_for(&mut self, d: &Draft, guesses: &mut Vec<Note>) -> Option<Id> {
        if let Some(m) = d.measure.as_deref().and_then(|t| self.find_measure(t)) {
            return Some(m.id.clone());
        }
        let title = match (&d.measure, d.measure_code) {
            (Some(t), _) => t.clone(),
            (None, Some(code)) if d.policy.is_some() || d.policy_code.is_some() => {
                let policy_id = self.policy_for(d, guesses);
                if let Some(m) = self
                    .plan
                    .measures
                    .iter()
                    .find(|m| m.policy_id == policy_id && m.position == code)
                {
                    return Some(m.id.clone());
                }
                let policy_pos = self
                    .plan
                    .policies
                    .iter()
                    .find(|p| p.id == policy_id)
                    .map_or(0, |p| p.position);
                let title = format!(
                    "施策{}",
                    crate::model::codes::measure_code(policy_pos, code)
                );
                guesses.push(Note {
                    at: d.at.clone(),
                    message: format!("施策の名前が書かれていないため、番号から「{title}」としました / measure titled by its code"),
                });
                title
            }
            (None, _) => match &self.placement {
                Placement::Unclassified => {
                    guesses.push(Note {
                        at: d.at.clone(),
                        message: format!("事業「{}」の施策が書かれていないため「{UNCLASSIFIED}」に入れました / no measure named: filed under {UNCLASSIFIED}", d.title),
                    });
                    UNCLASSIFIED.to_string()
                }
                Placement::Chosen { default, by_title } => {
                    return by_title
                        .get(&normalize_label(&d.title))
                        .or(default.as_ref())
                        .cloned();
                }
            },
        };
        if let Some(m) = self.find_measure(&title) {
            return Some(m.id.clone());
        }
        let policy_id = self.policy_for(d, guesses);
        let siblings = || {
            self.plan
                .measures
                .iter()
                .filter(|m| m.policy_id == policy_id)
        };
        let position = match d.measure_code {
            Some(c) if !siblings().any(|m| m.position == c) => c,
            _ => siblings().map(|m| m.position).max().unwrap_or(0) + 1,
        };
        let m = Measure {
            id: new_id(),
            policy_id,
            position,
            title,
            description: String::new(),
            priority: Priority::default(),
        };
        self.measure_by_title
            .insert(normalize_label(&m.title), self.plan.measures.len());
        self.plan.measures.push(m.clone());
        self.new_measures.push(m.clone());
        Some(m.id)
    }

    /// The measure titled `measure` (created under the policy titled `policy` when the plan
    /// has none): where the person importing puts new projects that name none.
    pub fn measure_named(&mut self, policy: &str, measure: &str) -> Id {
        let d = Draft {
            policy: Some(policy.to_string()),
            measure: Some(measure.to_string()),
            ..Draft::default()
        };
        // A draft naming its measure always gets one.
        self.measure_for(&d, &mut Vec::new()).unwrap_or_default()
    }

    /// Projects a draft could be: same title after normalisation, under the measure the sheet
    /// names when it names one the plan has.
    pub(super) fn candidates(&self, d: &Draft) -> Vec<usize> {
        let Some(same_title) = self.by_title.get(&normalize_label(&d.title)) else {
            return Vec::new();
        };
        let measure = d
            .measure
            .as_deref()
            .and_then(|t| self.find_measure(t))
            .map(|m| m.id.clone());
        same_title
            .iter()
            .copied()
            .filter(|i| {
                measure
                    .as_ref()
                    .is_none_or(|m| self.plan.projects[*i].measure_ids.contains(m))
            })
            .collect()
    }

    /// Writes what the import added or changed: new units, policies and measures, then the
    /// touched projects (with `status` when given: a merge files new sheets as proposals).
    /// What `spill` wrote already is not written again.
    pub fn save(
        &mut self,
        w: &mut crate::store::Writer<'_>,
        status: Option<ProjectStatus>,
    ) -> crate::store::Result<()> {
        // A unit named only in an owner cell whose change was held is not created.
        let used: std::collections::HashSet<&str> = self
            .plan
            .projects
            .iter()
            .filter(|p| self.touched.contains(&p.id))
            .flat_map(|p| p.owners.iter().map(|o| o.unit_id.as_str()))
            .collect();
        let units: Vec<OrgUnit> = self
            .new_units
            .iter()
            .filter(|u| {
                !self.spill.units.contains(&u.id)
                    && (used.contains(u.id.as_str())
                        || self
                            .new_units
                            .iter()
                            .any(|c| c.parent_id.as_deref() == Some(u.id.as_str())))
            })
            .cloned()
            .collect();
        w.put_org_units(&units)?;
        self.write_policies_and_measures(w)?;
        for (i, p) in self.plan.projects.iter().enumerate() {
            if !self.touched.contains(&p.id) || self.is_stub(i) {
                continue;
            }
            if self.spill.written.contains(&p.id) {
                w.forget_created(&p.id)?;
            }
            match status {
                Some(s) => w.put_project(&Project {
                    status: s,
                    ..p.clone()
                })?,
                None => w.put_project(p)?,
            };
        }
        Ok(())
    }

    /// Takes a project as a dxplan workbook holds it, matched by its id: the sheet's version
    /// replaces the plan's, or is added; the plan-level items it names come along.
    pub fn put_native(&mut self, p: &Project, items: &Plan) -> ProjectLine {
        for u in &items.org_units {
            if !self.plan.org_units.iter().any(|x| x.id == u.id) {
                self.unit_by_name
                    .entry(normalize_label(&u.name))
                    .or_insert_with(|| u.id.clone());
                self.plan.org_units.push(u.clone());
                self.new_units.push(u.clone());
            }
        }
        for pol in &items.policies {
            if !self.plan.policies.iter().any(|x| x.id == pol.id) {
                self.plan.policies.push(pol.clone());
                self.new_policies.push(pol.clone());
            }
        }
        for m in &items.measures {
            if !self.plan.measures.iter().any(|x| x.id == m.id) {
                self.measure_by_title
                    .entry(normalize_label(&m.title))
                    .or_insert(self.plan.measures.len());
                self.plan.measures.push(m.clone());
                self.new_measures.push(m.clone());
            }
        }
        let mut held = (0, Vec::new());
        let (outcome, changes) = match self.plan.projects.iter().position(|x| x.id == p.id) {
            Some(i) => {
                let (changes, n, views) = self.take_changes(i, p);
                held = (n, views);
                (Outcome::Matched, changes)
            }
            None => {
                self.by_title
                    .entry(normalize_label(&p.title))
                    .or_default()
                    .push(self.plan.projects.len());
                self.plan.projects.push(p.clone());
                (Outcome::New, crate::model::fields::field_count(p))
            }
        };
        if changes > 0 || outcome == Outcome::New {
            self.touched.insert(p.id.clone());
        }
        ProjectLine {
            at: String::new(),
            title: p.title.clone(),
            project_id: p.id.clone(),
            outcome,
            changes,
            held: held.0,
            fields: held.1,
        }
    }

    /// Adds a draft as a new project only (a department's proposal); `None` when a project of
    /// that name already exists, which a proposal must not overwrite.
    pub fn propose(&mut self, d: &Draft, guesses: &mut Vec<Note>) -> Option<ProjectLine> {
        if !self.candidates(d).is_empty() {
            return None;
        }
        Some(self.apply(d, guesses))
    }

    /// Applies one draft: matched (one candidate), new (none) or ambiguous (several: nothing
    /// applied). Returns the report line.
    pub fn apply(&mut self, d: &Draft, guesses: &mut Vec<Note>) -> ProjectLine {
        let found = self.candidates(d);
        let (index, outcome) = match found.as_slice() {
            [i] => (*i, Outcome::Matched),
            [] => {
                let measure_id = self.measure_for(d, guesses);
                let mut p =
                    Project::new(measure_id.as_deref().unwrap_or_default(), d.title.clone());
                if measure_id.is_none() {
                    p.measure_ids.clear();
                    self.unplaced.push(Unplaced {
                        title: d.title.clone(),
                        at: d.at.clone(),
                        file: String::new(),
                    });
                }
                for extra in &d.extra_measures {
                    let more = Draft {
                        measure: Some(extra.clone()),
                        ..d.clone()
                    };
                    if let Some(id) = self.measure_for(&more, guesses) {
                        if !p.measure_ids.contains(&id) {
                            p.measure_ids.push(id);
                        }
                    }
                }
                p.position = self.position_for(measure_id.unwrap_or_default(), d.project_code);
                self.by_title
                    .entry(normalize_label(&p.title))
                    .or_default()
                    .push(self.plan.projects.len());
                self.plan.projects.push(p);
                self.spill.fresh.push(self.plan.projects.len() - 1);
                (self.plan.projects.len() - 1, Outcome::New)
            }
            many => {
                guesses.push(Note {
                    at: d.at.clone(),
                    message: format!("事業「{}」に一致する事業が {} 件あるため取り込みません / ambiguous match, not applied", d.title, many.len()),
                });
                return ProjectLine {
                    at: d.at.clone(),
                    title: d.title.clone(),
                    project_id: String::new(),
                    outcome: Outcome::Ambiguous,
                    changes: 0,
                    held: 0,
                    fields: Vec::new(),
                };
            }
        };
        let owners = d.owners.as_ref().map(|names| {
            names
                .iter()
                .enumerate()
                .map(|(i, n)| Owner {
                    unit_id: self.unit_id(n),
                    role: if i == 0 {
                        OwnerRole::Lead
                    } else {
                        OwnerRole::Co
                    },
                })
                .collect::<Vec<_>>()
        });
        let last_fy = self.plan.info.last_fy;
        let (changes, held, fields) = if outcome == Outcome::New {
            let p = &mut self.plan.projects[index];
            merge_draft(p, d, owners, last_fy);
            (crate::model::fields::field_count(p), 0, Vec::new())
        } else {
            let mut merged = self.plan.projects[index].clone();
            merge_draft(&mut merged, d, owners, last_fy);
            self.take_changes(index, &merged)
        };
        let p = &self.plan.projects[index];
        if changes > 0 || outcome == Outcome::New {
            self.touched.insert(p.id.clone());
        }
        ProjectLine {
            at: d.at.clone(),
            title: d.title.clone(),
            project_id: p.id.clone(),
            outcome,
            changes,
            held,
            fields,
        }
    }

    /// Position of a new project under its measure: the number of its code (「Ⅰ-1-③」 → 3)
    /// when no project there has it, else after the last.
    fn position_for(&mut self, measure_id: Id, code: Option<u32>) -> u32 {
        let plan = &self.plan;
        let taken = self.taken.get_or_insert_with(|| {
            plan.projects
                .iter()
                .filter_map(|p| Some((p.measure_ids.first()?.clone(), p.position)))
                .collect()
        });
        let position = match code {
            Some(c)
                if c > 0 && !measure_id.is_empty() && !taken.contains(&(measure_id.clone(), c)) =>
            {
                c
            }
            _ => self.last_position.get(&measure_id).copied().unwrap_or(0) + 1,
        };
        taken.insert((measure_id.clone(), position));
        let last = self.last_position.entry(measure_id).or_default();
        *last = (*last).max(position);
        position
    }
}

fn set_text(slot: &mut String, v: &Option<String>) {
    if let Some(v) = v {
        slot.clone_from(v);
    }
}

/// Writes what the sheet says into the project; what it does not say is left as it was.
fn merge_draft(p: &mut Project, d: &Draft, owners: Option<Vec<Owner>>, last_fy: FiscalYear) {
    if let Some(o) = owners {
        p.owners = o;
    }
    set_text(&mut p.owners_note, &d.owners_note);
    for (field, text) in &d.texts {
        if let Some(slot) = fields::plain_text(p, *field) {
            slot.clone_from(text);
        }
    }
    if let Some(e) = &d.effects {
        p.texts.effects.clone_from(e);
    }
    if let Some(flag) = d.priority {
        p.priority.flag = flag;
    }
    if let Some(s) = d.status {
        p.status = s;
    }
    if let Some(u) = d.urgency {
        p.priority.urgency = u;
    }
    if let Some(i) = d.importance {
        p.priority.importance = i;
    }
    if let Some(all) = &d.all_tags {
        p.tags.clone_from(all);
    }
    for t in &d.tags {
        if !p.tags.contains(t) {
            p.tags.push(t.clone());
        }
    }
    for f in &d.footnotes {
        match p
            .footnotes
            .iter_mut()
            .find(|x| normalize_label(&x.marker) == normalize_label(&f.marker))
        {
            // A marker read without its note says nothing about the note.
            Some(x) if !f.text.trim().is_empty() => x.text.clone_from(&f.text),
            Some(_) => {}
            None => p.footnotes.push(f.clone()),
        }
    }
    for (fy, g) in &d.progress {
        let empty = [
            &g.status,
            &g.achievements,
            &g.issues,
            &g.remedies,
            &g.evaluation,
        ]
        .iter()
        .all(|s| s.is_empty());
        match p.progress.binary_search_by_key(fy, |x| x.fiscal_year) {
            Ok(i) => p.progress[i] = g.clone(),
            Err(i) if !empty => p.progress.insert(i, g.clone()),
            Err(_) => {}
        }
    }
    // A marker in a budget cell anchors its note (read under the table) to that cell.
    for (marker, fy) in &d.budget_markers {
        let key = normalize_label(marker);
        match p
            .footnotes
            .iter_mut()
            .find(|f| normalize_label(&f.marker) == key)
        {
            Some(f) => f.field = format!("budget/{fy}"),
            None => p.footnotes.push(Footnote {
                marker: marker.clone(),
                field: format!("budget/{fy}"),
                text: String::new(),
            }),
        }
    }
    for di in &d.indicators {
        let key = normalize_label(&di.name);
        let idx = match p
            .indicators
            .iter()
            .position(|i| i.kind == di.kind && normalize_label(&i.name) == key)
        {
            Some(i) => i,
            None => {
                p.indicators.push(Indicator {
                    id: new_id(),
                    kind: di.kind,
                    name: di.name.clone(),
                    unit: None,
                    cumulative: di.cumulative,
                    values: Vec::new(),
                });
                p.indicators.len() - 1
            }
        };
        let ind = &mut p.indicators[idx];
        let mut by_year: BTreeMap<FiscalYear, IndicatorValue> =
            ind.values.drain(..).map(|v| (v.fiscal_year, v)).collect();
        let mut put =
            |fy: FiscalYear, target: &Option<Option<Value>>, actual: &Option<Option<Value>>| {
                let e = by_year.entry(fy).or_insert(IndicatorValue {
                    fiscal_year: fy,
                    target: None,
                    actual: None,
                });
                // The same text keeps the value as it stands (its parsed parts included).
                let same = |a: &Option<Value>, b: &Option<Value>| {
                    a.as_ref().map(|v| v.text.as_str()) == b.as_ref().map(|v| v.text.as_str())
                };
                if let Some(t) = target.as_ref().filter(|t| !same(t, &e.target)) {
                    e.target.clone_from(t);
                }
                if let Some(a) = actual.as_ref().filter(|a| !same(a, &e.actual)) {
                    e.actual.clone_from(a);
                }
            };
        if let Some(v) = &di.final_value {
            put(last_fy, &Some(v.clone()), &None);
        }
        for (fy, (t, a)) in &di.values {
            put(*fy, t, a);
        }
        ind.values = by_year
            .into_values()
            .filter(|v| v.target.is_some() || v.actual.is_some())
            .collect();
        ind.unit = match &di.unit {
            Some(u) => u.clone(),
            None => crate::model::common_unit(&ind.values).or(ind.unit.take()),
        };
        match di.cumulative_cell {
            Some(c) => ind.cumulative = c,
            None => ind.cumulative |= di.cumulative,
        }
    }
    for dt in &d.tasks {
        let key = normalize_label(&dt.name);
        let task = Task {
            id: new_id(),
            name: dt.name.clone(),
            start_fy: dt.start_fy,
            end_fy: dt.end_fy,
            phases: dt.phases.clone(),
            confirmed: dt.confirmed,
        };
        match p
            .schedule
            .iter_mut()
            .find(|t| normalize_label(&t.name) == key)
        {
            Some(t) => {
                // Years that could not be seen: the plan's stand when what was read fits them.
                let (start_fy, end_fy) = if dt.unmarked
                    || dt.years_unseen && t.start_fy <= dt.start_fy && dt.end_fy <= t.end_fy
                {
                    (t.start_fy, t.end_fy)
                } else {
                    (task.start_fy, task.end_fy)
                };
                *t = Task {
                    id: t.id.clone(),
                    start_fy,
                    end_fy,
                    ..task
                }
            }
            None => p.schedule.push(task),
        }
    }
    let mut budget: BTreeMap<FiscalYear, BudgetYear> =
        p.budget.drain(..).map(|b| (b.fiscal_year, b)).collect();
    for (fy, v) in &d.budget {
        budget
            .entry(*fy)
            .or_insert(BudgetYear {
                fiscal_year: *fy,
                planned_thousand_yen: None,
                general_revenue_thousand_yen: None,
            })
            .planned_thousand_yen = *v;
    }
    for (fy, v) in &d.general_revenue {
        budget
            .entry(*fy)
            .or_insert(BudgetYear {
                fiscal_year: *fy,
                planned_thousand_yen: None,
                general_revenue_thousand_yen: None,
            })
            .general_revenue_thousand_yen = *v;
    }
    p.budget = budget.into_values().collect();
}

impl Target {
    /// Applies to the plan's project `index` what `merged` adds and what `accept` accepts,
    /// and holds the rest (`import::accept`). Returns the number of fields changed, the number
    /// held, and old → new of each.
    pub(super) fn take_changes(
        &mut self,
        index: usize,
        merged: &Project,
    ) -> (usize, usize, Vec<super::preview::FieldChangeView>) {
        use crate::model::fields::{apply_fields, diff_fields, project_fields};
        let before = &self.plan.projects[index];
        let changes = diff_fields(&project_fields(before), &project_fields(merged));
        let (applied, held) = split(changes, &before.id, &self.accept);
        let views = super::preview::views(&self.plan, before, merged, &applied, &held);
        if !applied.is_empty() && !self.originals.contains_key(&before.id) {
            self.originals.insert(before.id.clone(), before.clone());
        }
        if held.is_empty() {
            self.plan.projects[index] = merged.clone();
            return (applied.len(), 0, views);
        }
        let mut p = before.clone();
        match apply_fields(
            &mut p,
            applied.iter().map(|c| (c.field.as_str(), c.new.as_ref())),
        ) {
            Ok(()) => {
                self.plan.projects[index] = p;
                (applied.len(), held.len(), views)
            }
            // A value this build wrote cannot fail to set; if one did, nothing is applied.
            Err(_) => (
                0,
                applied.len() + held.len(),
                views
                    .into_iter()
                    .map(|v| super::preview::FieldChangeView {
                        applied: false,
                        ..v
                    })
                    .collect(),
            ),
        }
    }
}

impl Target {
    /// New policies and measures not written yet, in the order they were made.
    pub(super) fn write_policies_and_measures(
        &mut self,
        w: &mut crate::store::Writer<'_>,
    ) -> crate::store::Result<()> {
        for p in &self.new_policies[self.spill.policies..] {
            w.put_policy(p)?;
        }
        self.spill.policies = self.new_policies.len();
        for m in &self.new_measures[self.spill.measures..] {
            w.put_measure(m)?;
        }
        self.spill.measures = self.new_measures.len();
        Ok(())
    }

    /// Whether a project is written and only its stub is held.
    pub(super) fn is_stub(&self, index: usize) -> bool {
        self.spill.stubbed.contains(&index)
    }
}
