//! What the person importing decides: which changes to existing values are accepted, where new
//! projects that name no measure go, how labels no field reads are read (kept in the plan as
//! its import profile), whether an unknown sheet stops the import, and whether rows not
//! understood may be left out. The CLI's flags and the wizard's screens both fill one
//! `ImportChoices`; what is still undecided comes back as `report::Questions`.

use std::collections::HashMap;

use super::accept::Accept;
use super::apply::{Placement, Target};
use super::error::ImportError;
use super::labels::Vocabulary;
use super::report::{FileReport, MeasureChoice, Questions, UnknownLabel};
use crate::model::codes::{measure_code, project_code};
use crate::model::fields::{field_name, FIELD_NAMES};
use crate::model::{Id, Plan};
use crate::parse::label::normalize_label;

/// Changes to existing values to apply, as given: projects and fields by name, code or id.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct AcceptChoice {
    /// `--accept all`: every change.
    pub all: bool,
    /// `--accept Ⅰ-1-①` (a code, an id or a title): every change of these projects.
    pub projects: Vec<String>,
    /// `--accept-fields budget` (None) and `--accept Ⅰ-1-①:budget` (Some): one field, by its
    /// name in `FIELD_NAMES` or its exact path (`budget/2024/planned`).
    pub fields: Vec<(Option<String>, String)>,
}

/// What the person decided for an import (the wizard's or the CLI's choices).
#[derive(Debug, Clone, Default, PartialEq)]
pub struct ImportChoices {
    /// Which changes to existing values to apply.
    pub accept: AcceptChoice,
    /// Where new projects that name no measure go: a measure's code (Ⅰ-1), id or title, or
    /// 「基本方針/施策」 to create one.
    pub measure: Option<String>,
    /// The same, for one project (its title as read) — the wizard's per-project choice.
    pub measure_for: Vec<(String, String)>,
    /// Labels to read as fields (label, field name): kept in the plan's import profile.
    pub maps: Vec<(String, String)>,
    /// An unknown sheet stops the import (otherwise it is skipped and reported).
    pub strict: bool,
    /// Write even though labelled rows with year columns were not understood.
    pub allow_skipped: bool,
}

/// 「予算額=budget」 → (予算額, budget).
pub fn parse_map(given: &str) -> Result<(String, String), ImportError> {
    let (label, field) = given
        .rsplit_once(['=', '＝'])
        .ok_or_else(|| ImportError::BadMap {
            given: given.to_string(),
        })?;
    let (label, field) = (label.trim(), field.trim());
    if label.is_empty() || field.is_empty() {
        return Err(ImportError::BadMap {
            given: given.to_string(),
        });
    }
    Ok((label.to_string(), field.to_string()))
}

fn field_list(pick: impl Fn(&crate::model::fields::FieldName) -> bool) -> String {
    FIELD_NAMES
        .iter()
        .filter(|f| pick(f))
        .map(|f| format!("{}（{}）", f.name, f.label))
        .collect::<Vec<_>>()
        .join(", ")
}

/// The key a label is mapped under: its `normalize_label` form without a fiscal year, so
/// 「R5予定額」 maps every year's 「予定額」 column.
pub fn label_key(label: &str) -> String {
    let key = normalize_label(label);
    match crate::parse::fiscal_year::split_fiscal_year_key(&key) {
        Some((_, rest)) if !rest.is_empty() => rest.to_string(),
        _ => key,
    }
}

/// The mappings of this import, checked: (key, label as given, field name).
pub fn checked_maps(
    maps: &[(String, String)],
) -> Result<Vec<(String, String, String)>, ImportError> {
    maps.iter()
        .map(|(label, field)| {
            let f = field_name(field).filter(|f| f.mappable).ok_or_else(|| {
                ImportError::UnknownField {
                    given: field.clone(),
                    fields: field_list(|f| f.mappable),
                }
            })?;
            Ok((
                label_key(label),
                label.trim().to_string(),
                f.name.to_string(),
            ))
        })
        .collect()
}

/// The vocabulary of an import: the plan's profile, then this import's mappings over it.
pub fn vocabulary(profile: &[(String, String)], maps: &[(String, String, String)]) -> Vocabulary {
    Vocabulary::with_fields(
        profile
            .iter()
            .map(|(k, f)| (k.as_str(), f.as_str()))
            .chain(maps.iter().map(|(k, _, f)| (k.as_str(), f.as_str()))),
    )
}

/// Display code of every project and measure of a plan.
fn codes(plan: &Plan) -> (HashMap<&str, String>, HashMap<&str, String>) {
    let policy_pos: HashMap<&str, u32> = plan
        .policies
        .iter()
        .map(|p| (p.id.as_str(), p.position))
        .collect();
    let measures: HashMap<&str, (u32, u32)> = plan
        .measures
        .iter()
        .map(|m| {
            (
                m.id.as_str(),
                (
                    policy_pos.get(m.policy_id.as_str()).copied().unwrap_or(0),
                    m.position,
                ),
            )
        })
        .collect();
    let projects = plan
        .projects
        .iter()
        .filter_map(|p| {
            let (pp, mp) = measures.get(p.measure_ids.first()?.as_str())?;
            Some((p.id.as_str(), project_code(*pp, *mp, p.position)))
        })
        .collect();
    let measure_codes = measures
        .iter()
        .map(|(id, (pp, mp))| (*id, measure_code(*pp, *mp)))
        .collect();
    (projects, measure_codes)
}

/// The id of the one item whose id, code or title is `given`.
fn find_one<'a>(
    given: &str,
    items: impl Iterator<Item = (&'a str, String, &'a str)> + Clone,
) -> Result<Option<&'a str>, Vec<&'a str>> {
    let key = normalize_label(given);
    if let Some((id, _, _)) = items.clone().find(|(id, _, _)| *id == given) {
        return Ok(Some(id));
    }
    if let Some((id, _, _)) = items
        .clone()
        .find(|(_, code, _)| normalize_label(code) == key)
    {
        return Ok(Some(id));
    }
    let by_title: Vec<&str> = items
        .filter(|(_, _, title)| normalize_label(title) == key)
        .map(|(id, _, _)| id)
        .collect();
    match by_title.as_slice() {
        [] => Ok(None),
        [one] => Ok(Some(one)),
        many => Err(many.to_vec()),
    }
}

/// `--accept`, resolved against the plan.
pub fn resolve_accept(plan: &Plan, a: &AcceptChoice) -> Result<Accept, ImportError> {
    let (project_codes, _) = codes(plan);
    let items = || {
        plan.projects.iter().map(|p| {
            (
                p.id.as_str(),
                project_codes
                    .get(p.id.as_str())
                    .cloned()
                    .unwrap_or_default(),
                p.title.as_str(),
            )
        })
    };
    let project = |given: &str| -> Result<String, ImportError> {
        match find_one(given, items()) {
            Ok(Some(id)) => Ok(id.to_string()),
            Ok(None) | Err(_) => Err(ImportError::UnknownChoice {
                what: "事業",
                what_en: "project",
                given: given.to_string(),
                choices: "事業コード（Ⅰ-1-①）、事業の ID、または一つに決まる取組名 / a project code (Ⅰ-1-①), id, or a title naming one project".into(),
            }),
        }
    };
    let field = |given: &str| -> Result<String, ImportError> {
        if given.contains('/') || given.contains('.') {
            return Ok(given.to_string());
        }
        field_name(given)
            .filter(|f| f.acceptable)
            .map(|f| f.name.to_string())
            .ok_or_else(|| ImportError::UnknownField {
                given: given.to_string(),
                fields: field_list(|f| f.acceptable),
            })
    };
    let mut out = Accept {
        all: a.all,
        ..Accept::default()
    };
    for p in &a.projects {
        out.projects.insert(project(p)?);
    }
    for (p, f) in &a.fields {
        let p = p.as_deref().map(project).transpose()?;
        out.fields.push((p, field(f)?));
    }
    Ok(out)
}

/// The measures of the plan, in plan order, as choices.
pub fn measure_choices(plan: &Plan) -> Vec<MeasureChoice> {
    let (_, measure_codes) = codes(plan);
    let mut plan_order: Vec<&crate::model::Measure> = plan.measures.iter().collect();
    let policy_pos = |id: &str| {
        plan.policies
            .iter()
            .find(|p| p.id == id)
            .map_or(u32::MAX, |p| p.position)
    };
    plan_order.sort_by_key(|m| (policy_pos(&m.policy_id), m.position));
    plan_order
        .into_iter()
        .map(|m| MeasureChoice {
            id: m.id.clone(),
            code: measure_codes
                .get(m.id.as_str())
                .cloned()
                .unwrap_or_default(),
            title: m.title.clone(),
            policy: plan
                .policies
                .iter()
                .find(|p| p.id == m.policy_id)
                .map_or_else(String::new, |p| p.title.clone()),
        })
        .collect()
}

/// A measure as given (`--measure`): its code, id or title; 「基本方針/施策」 creates it (and its
/// policy) when the plan has no measure of that title.
fn resolve_measure(target: &mut Target, given: &str) -> Result<Id, ImportError> {
    let choices = measure_choices(&target.plan);
    let found = find_one(
        given,
        choices
            .iter()
            .map(|m| (m.id.as_str(), m.code.clone(), m.title.as_str())),
    );
    if let Ok(Some(id)) = found {
        return Ok(id.to_string());
    }
    if let Some((policy, measure)) = given.split_once(['/', '／']) {
        let (policy, measure) = (policy.trim(), measure.trim());
        if !policy.is_empty() && !measure.is_empty() {
            return Ok(target.measure_named(policy, measure));
        }
    }
    Err(ImportError::UnknownChoice {
        what: "施策",
        what_en: "measure",
        given: given.to_string(),
        choices: if choices.is_empty() {
            "（計画に施策がありません。'基本方針名/施策名' で作れます） / (the plan has no measure: 'POLICY/MEASURE' creates one)".into()
        } else {
            choices
                .iter()
                .map(|m| format!("{} {}", m.code, m.title))
                .collect::<Vec<_>>()
                .join("、")
        },
    })
}

/// Sets up the target of an import from the choices.
pub fn prepare(target: &mut Target, c: &ImportChoices) -> Result<(), ImportError> {
    target.accept = resolve_accept(&target.plan, &c.accept)?;
    let default = c
        .measure
        .as_deref()
        .map(|m| resolve_measure(target, m))
        .transpose()?;
    let mut by_title = HashMap::new();
    for (title, m) in &c.measure_for {
        by_title.insert(normalize_label(title), resolve_measure(target, m)?);
    }
    target.placement = Placement::Chosen { default, by_title };
    Ok(())
}

/// What is still to decide after reading every file, and whether it stops the import.
pub fn questions(target: &Target, files: &[FileReport], c: &ImportChoices) -> Questions {
    let mut q = Questions {
        unplaced: target.unplaced.clone(),
        ..Questions::default()
    };
    let mut labels: Vec<UnknownLabel> = Vec::new();
    let mut index: HashMap<String, usize> = HashMap::new();
    for f in files {
        for s in &f.sheets {
            if s.unknown_layout {
                q.unknown_sheets
                    .push(format!("「{}」: {}", f.file, s.sheet));
            }
            for u in &s.unread {
                let i = *index.entry(u.key.clone()).or_insert(labels.len());
                let e = match labels.get_mut(i) {
                    Some(e) => e,
                    None => {
                        labels.push(UnknownLabel {
                            label: u.label.clone(),
                            key: u.key.clone(),
                            rows: 0,
                            cells: 0,
                            year_cells: 0,
                            at: Vec::new(),
                        });
                        labels.last_mut().expect("just pushed")
                    }
                };
                e.rows += u.rows;
                e.cells += u.cells;
                e.year_cells += u.year_cells;
                if e.at.len() < 10 {
                    e.at.push(u.at.clone());
                }
            }
        }
    }
    labels.sort_by(|a, b| b.year_cells.cmp(&a.year_cells).then(b.cells.cmp(&a.cells)));
    if !q.unplaced.is_empty() {
        q.measures = measure_choices(&target.plan);
        q.blocking.push(format!(
            "施策が書かれていない新しい事業が {} 件あります。--measure で入れ先の施策を指定してください / {} new project(s) name no measure: choose where they go with --measure",
            q.unplaced.len(),
            q.unplaced.len()
        ));
    }
    let unread_years: (usize, usize) = labels
        .iter()
        .filter(|l| l.year_cells > 0)
        .fold((0, 0), |(r, c), l| (r + l.rows, c + l.cells));
    if unread_years.0 > 0 && !c.allow_skipped {
        q.blocking.push(format!(
            "年度の列に値のある行のうち {} 行（{} セル）を読めませんでした。--map 'ラベル=項目' で読み方を指定するか、--allow-skipped で読まずに取り込んでください / {} labelled row(s) with year columns ({} cells) were not understood: map their labels with --map, or import without them with --allow-skipped",
            unread_years.0, unread_years.1, unread_years.0, unread_years.1
        ));
    }
    if !labels.is_empty() {
        q.fields = FIELD_NAMES.iter().filter(|f| f.mappable).copied().collect();
    }
    q.unknown_labels = labels;
    q
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn maps_name_a_label_and_a_field() {
        assert_eq!(
            parse_map("予算額=budget").unwrap(),
            ("予算額".to_string(), "budget".to_string())
        );
        assert_eq!(
            parse_map(" 実施計画 ＝ schedule ").unwrap(),
            ("実施計画".to_string(), "schedule".to_string())
        );
        assert!(parse_map("予算額").is_err());
        assert!(parse_map("=budget").is_err());
        let m = checked_maps(&[("R5 予定額".into(), "事業費（千円）".into())]).unwrap();
        assert_eq!(
            m,
            vec![("予定額".into(), "R5 予定額".into(), "budget".into())]
        );
        let e = checked_maps(&[("x".into(), "nothing".into())])
            .unwrap_err()
            .to_string();
        assert!(e.contains("nothing") && e.contains("budget"), "{e}");
        // Progress is accepted by name but no sheet label reads as it.
        assert!(checked_maps(&[("x".into(), "progress".into())]).is_err());
    }

    #[test]
    fn accept_names_projects_by_code_id_or_title() {
        let plan = crate::sample::onojo().expect("sample");
        let (codes, _) = codes(&plan);
        let p = &plan.projects[0];
        let code = codes[p.id.as_str()].clone();
        for given in [code.as_str(), p.id.as_str(), p.title.as_str()] {
            let a = resolve_accept(
                &plan,
                &AcceptChoice {
                    projects: vec![given.to_string()],
                    fields: vec![(Some(given.to_string()), "事業費（千円）".into())],
                    ..AcceptChoice::default()
                },
            )
            .unwrap();
            assert!(a.projects.contains(&p.id), "{given}");
            assert_eq!(a.fields, vec![(Some(p.id.clone()), "budget".to_string())]);
        }
        let e = resolve_accept(
            &plan,
            &AcceptChoice {
                projects: vec!["Ⅸ-9-⑨".into()],
                ..AcceptChoice::default()
            },
        )
        .unwrap_err();
        assert!(e.to_string().contains("Ⅸ-9-⑨"));
    }
}
