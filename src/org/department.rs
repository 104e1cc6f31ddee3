//! A department's workbook in a given fiscal year: the unit of that name valid then, the
//! projects it owned then (found where their work went since, with that year's owners), and
//! its DX推進員 for the cover. The CLI's `export --department` and the app use these.

use std::collections::BTreeSet;

use super::OrgError;
use crate::export::{department_projects, unit_and_descendants};
use crate::model::{FiscalYear, OrgUnit, Plan, Promoter};
use crate::parse::label::normalize_label;
use crate::store::{roster, units, Store};

/// The fiscal year of today's date (April–March): a department workbook's default year.
pub fn current_fiscal_year() -> FiscalYear {
    use chrono::Datelike;
    let today = chrono::Local::now().date_naive();
    if today.month() >= 4 {
        today.year()
    } else {
        today.year() - 1
    }
}

/// The unit of that name valid in `fy` (`skeleton`: the plan's units, e.g.
/// `Store::load_plan_of_units(&[])`). An old name asked for after a reorganisation, or a new
/// one before it, is refused with the name and year to use instead.
pub fn unit_in_year(
    store: &Store,
    skeleton: &Plan,
    name: &str,
    fy: FiscalYear,
) -> Result<OrgUnit, OrgError> {
    let wanted = normalize_label(name);
    let same: Vec<&OrgUnit> = skeleton
        .org_units
        .iter()
        .filter(|u| normalize_label(&u.name) == wanted)
        .collect();
    let valid: Vec<&&OrgUnit> = same.iter().filter(|u| u.valid_in(fy)).collect();
    if let [u] = valid.as_slice() {
        return Ok((**u).clone());
    }
    let at = format!("--department {name} --fy {fy}");
    if valid.is_empty() && !same.is_empty() {
        if let Some(u) = same
            .iter()
            .rev()
            .find(|u| u.valid_to_fy.is_some_and(|t| t < fy))
        {
            let to = u.valid_to_fy.unwrap_or(fy);
            let now: Vec<String> = store
                .successors(&u.id, fy)?
                .iter()
                .filter_map(|id| skeleton.unit(id).map(|x| x.name.clone()))
                .collect();
            return Err(OrgError::Bad {
                at,
                message: format!(
                    "「{name}」は {to} 年度までの組織です（{} 年度からは {}）。{to} 年度以前の書き出しは --fy {to} を、{fy} 年度は新しい組織名を指定してください / {name} exists until FY{to}; use --fy {to} for earlier years, or the new name",
                    to + 1,
                    if now.is_empty() { "廃止".to_string() } else { now.join("、") }
                ),
            });
        }
        if let Some(from) = same.iter().filter_map(|u| u.valid_from_fy).min() {
            return Err(OrgError::Bad {
                at,
                message: format!(
                    "「{name}」は {from} 年度からの組織です。--fy {from} 以降を指定してください / {name} exists from FY{from}"
                ),
            });
        }
    }
    // Unknown, or several units of one name in that year: list the names that can be used.
    let plan = store.load_plan()?;
    let mut names: Vec<String> = plan
        .org_units
        .iter()
        .filter(|u| u.valid_in(fy) && !department_projects(&plan, &u.id).is_empty())
        .map(|u| u.name.clone())
        .collect();
    names.dedup();
    let name = if valid.is_empty() {
        name.to_string()
    } else {
        format!("{name}（同名の組織が複数 / ambiguous）")
    };
    Err(OrgError::UnknownDepartment {
        name,
        valid: names.join("、"),
    })
}

/// The plan a department's workbook is made from: the projects the unit (or a unit below it)
/// owned in `fy`. For a year before a reorganisation they are found where their work went
/// since, and carry the owners they had then, so the workbook speaks that year's names.
pub fn department_plan(
    store: &Store,
    skeleton: &Plan,
    unit: &OrgUnit,
    fy: FiscalYear,
) -> Result<Plan, OrgError> {
    let conn = store.connection();
    if !units::reorg_after(conn, fy)? {
        let scope: Vec<String> = unit_and_descendants(skeleton, &unit.id)
            .into_iter()
            .collect();
        return Ok(store.load_plan_of_units(&scope)?);
    }
    // The units below it then (a 部 renamed since had its 課 then).
    let then = Plan {
        org_units: units::units_at(conn, fy)?,
        ..skeleton.clone()
    };
    let scope: Vec<String> = unit_and_descendants(&then, &unit.id).into_iter().collect();
    let mut now = BTreeSet::new();
    for u in &scope {
        now.extend(store.unit_scope(u, units::NOW)?);
    }
    now.extend(scope.iter().cloned());
    let mut plan = store.load_plan_of_units(&now.into_iter().collect::<Vec<_>>())?;
    plan.org_units = then.org_units;
    for p in &mut plan.projects {
        if let Some(owners) = units::owners_at(conn, &p.id, fy)? {
            p.owners = owners;
        }
    }
    plan.projects
        .retain(|p| p.owners.iter().any(|o| scope.contains(&o.unit_id)));
    Ok(plan)
}

/// The DX推進員 of the unit and the units below it in `fy`, for the cover: (unit name, person),
/// the unit's own people first.
pub fn cover_roster(
    store: &Store,
    unit: &OrgUnit,
    fy: FiscalYear,
) -> Result<Vec<(String, Promoter)>, OrgError> {
    let conn = store.connection();
    let then = units::units_at(conn, fy)?;
    let mut out = Vec::new();
    for u in units::below(&then, std::slice::from_ref(&unit.id), fy) {
        let name = then
            .iter()
            .find(|x| x.id == u)
            .map_or(String::new(), |x| x.name.clone());
        for p in roster::people(conn, &u, fy)? {
            out.push((name.clone(), p));
        }
    }
    out.sort_by_key(|(u, _)| *u != unit.name);
    Ok(out)
}
