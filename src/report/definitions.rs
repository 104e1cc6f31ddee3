//! Indicators whose definition changed from one recorded version to the next: another name,
//! another unit (Fukuyama counts facilities instead of a 参加率 after 2022) or another
//! denominator (148 → 216 施設). Their series is not comparable across the change, so `check`
//! lists each with both versions.

use std::collections::HashMap;

use serde::Serialize;

use super::finding::{Lint, LintKind};
use crate::model::fields::FieldPath;
use crate::model::*;
use crate::parse::label::normalize_label;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum DefinitionPart {
    Name,
    Unit,
    Denominator,
}

impl DefinitionPart {
    pub fn label(self) -> &'static str {
        match self {
            DefinitionPart::Name => "指標名",
            DefinitionPart::Unit => "単位",
            DefinitionPart::Denominator => "分母",
        }
    }
}

/// One indicator's definition, before and after.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct DefinitionChange {
    pub project_id: String,
    pub project_code: String,
    pub project_title: String,
    pub indicator_id: String,
    pub kind: IndicatorKind,
    /// The indicator's name in the later version.
    pub indicator: String,
    pub part: DefinitionPart,
    pub from_version: String,
    pub from: String,
    pub to_version: String,
    pub to: String,
}

/// The unit an indicator is measured in: as stated, else the one most of its values use.
fn unit(i: &Indicator) -> Option<String> {
    i.unit
        .clone()
        .filter(|u| !u.trim().is_empty())
        .or_else(|| common_unit(&i.values))
}

/// The denominator of the latest year that states one (targets before actuals).
fn denominator(i: &Indicator) -> Option<f64> {
    i.values.iter().rev().find_map(|v| {
        v.target
            .as_ref()
            .and_then(|t| t.denominator)
            .or_else(|| v.actual.as_ref().and_then(|a| a.denominator))
    })
}

fn number(n: f64) -> String {
    if n.fract() == 0.0 && n.abs() < 1e15 {
        format!("{}", n as i64)
    } else {
        n.to_string()
    }
}

/// Definition changes between each state and the next: `states` are (label, plan), oldest
/// first (the recorded versions, then the plan as it stands if it differs).
pub fn definition_changes(states: &[(&str, &Plan)]) -> Vec<DefinitionChange> {
    let mut out = Vec::new();
    for w in states.windows(2) {
        let ((from_version, old), (to_version, new)) = (w[0], w[1]);
        let before: HashMap<&str, &Indicator> = old
            .projects
            .iter()
            .flat_map(|p| p.indicators.iter().map(|i| (i.id.as_str(), i)))
            .collect();
        let codes = super::dump::project_codes(new);
        for p in &new.projects {
            for i in &p.indicators {
                let Some(was) = before.get(i.id.as_str()) else {
                    continue;
                };
                let mut push = |part: DefinitionPart, from: String, to: String| {
                    out.push(DefinitionChange {
                        project_id: p.id.clone(),
                        project_code: codes.get(p.id.as_str()).cloned().unwrap_or_default(),
                        project_title: p.title.clone(),
                        indicator_id: i.id.clone(),
                        kind: i.kind,
                        indicator: i.name.clone(),
                        part,
                        from_version: from_version.to_string(),
                        from,
                        to_version: to_version.to_string(),
                        to,
                    })
                };
                if normalize_label(&was.name) != normalize_label(&i.name) {
                    push(DefinitionPart::Name, was.name.clone(), i.name.clone());
                }
                // A unit or denominator that appears where none was known is not a change.
                if let (Some(a), Some(b)) = (unit(was), unit(i)) {
                    if normalize_label(&a) != normalize_label(&b) {
                        push(DefinitionPart::Unit, a, b);
                    }
                }
                if let (Some(a), Some(b)) = (denominator(was), denominator(i)) {
                    if a != b {
                        push(DefinitionPart::Denominator, number(a), number(b));
                    }
                }
            }
        }
    }
    out
}

/// The changes as `check` findings.
pub fn lints(changes: &[DefinitionChange]) -> Vec<Lint> {
    changes
        .iter()
        .map(|c| Lint {
            project_id: c.project_id.clone(),
            project_code: c.project_code.clone(),
            project_title: c.project_title.clone(),
            kind: LintKind::IndicatorDefinitionChanged,
            field: FieldPath::Indicator(&c.indicator_id).to_string(),
            message: format!(
                "{}「{}」の{}が版の間で変わりました：{}「{}」→ {}「{}」。年度をまたぐ比較に注意してください / indicator {} changed between versions: {} {} → {} {}",
                c.kind.as_str(),
                c.indicator,
                c.part.label(),
                c.from_version,
                c.from,
                c.to_version,
                c.to,
                match c.part {
                    DefinitionPart::Name => "name",
                    DefinitionPart::Unit => "unit",
                    DefinitionPart::Denominator => "denominator",
                },
                c.from_version,
                c.from,
                c.to_version,
                c.to,
            ),
        })
        .collect()
}
