//! `round start`: one department workbook for every unit that owns or co-owns a project in
//! the round's fiscal year (or the units named), into one folder, each registered under the
//! round. A 部 that reviews its 課 gets a workbook covering them, exported after theirs: its
//! hidden sheet lists their export ids, registers and seals (`meta::MemberExport`), which is
//! what its working copy checks their answers against (`review`).

use std::path::{Path, PathBuf};

use serde::Serialize;

use super::names::workbook_names;
use super::{japanese_date, RoundError};
use crate::export::{check_destination, export_department, ExportOptions};
use crate::format::meta::{MemberExport, RoundRef};
use crate::model::{new_id, FiscalYear, OrgUnit, Plan};
use crate::org::department::{cover_roster, current_fiscal_year, department_plan, unit_in_year};
use crate::parse::label::normalize_label;
use crate::store::{units, NewRound, OpInfo, OpKind, RoundRecord, Store};

/// What a round asks, of whom, and where its workbooks go.
#[derive(Debug, Clone)]
pub struct RoundSpec {
    /// The round's title (照会名).
    pub title: String,
    /// 提出期限.
    pub deadline: chrono::NaiveDate,
    /// Default: this fiscal year.
    pub fiscal_year: Option<FiscalYear>,
    /// Units by name; empty: every unit that owns or co-owns a project that year.
    pub departments: Vec<String>,
    /// 部 that gather the answers of the 課 under them (部 review).
    pub reviewers: Vec<String>,
    /// The folder the workbooks go to.
    pub dir: PathBuf,
    /// Leave past years' actuals editable (like `export --open-past-years`).
    pub open_past_years: bool,
}

/// One workbook a round sent.
#[derive(Debug, Clone, Serialize)]
pub struct RoundWorkbook {
    /// The department's unit id.
    pub department_id: String,
    /// The department's name.
    pub department: String,
    /// Its 部, when it has one.
    pub parent: Option<String>,
    /// The workbook written.
    pub file: PathBuf,
    /// The export id of the workbook.
    pub export_id: String,
    /// Projects in it.
    pub projects: usize,
    /// A 課 whose answer a 部 gathers: that 部.
    pub reviewed_by: Option<String>,
    /// A 部 that gathers its 課's answers: those 課.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub gathers: Vec<String>,
}

/// A round started: its record and the workbooks written.
#[derive(Debug, Clone, Serialize)]
pub struct StartedRound {
    /// The round.
    pub round: RoundRecord,
    /// The workbooks written, one per department.
    pub workbooks: Vec<RoundWorkbook>,
}

/// The units that own or co-own a project in `fy` (as lead or co-owner, themselves), in the
/// plan's unit order: whom `start_round` asks when no department is named (the app lists them).
pub fn owning_units(store: &Store, fy: FiscalYear) -> Result<Vec<OrgUnit>, RoundError> {
    let plan = store.load_plan()?;
    let conn = store.connection();
    let moved = units::reorg_after(conn, fy)?;
    let then = units::units_at(conn, fy)?;
    let mut owners = std::collections::HashSet::new();
    for p in &plan.projects {
        let list = match moved {
            true => units::owners_at(conn, &p.id, fy)?.unwrap_or_else(|| p.owners.clone()),
            false => p.owners.clone(),
        };
        owners.extend(list.into_iter().map(|o| o.unit_id));
    }
    Ok(then
        .into_iter()
        .filter(|u| u.valid_in(fy) && owners.contains(&u.id))
        .collect())
}

fn parent_name(units: &[OrgUnit], u: &OrgUnit) -> Option<String> {
    let p = u.parent_id.as_ref()?;
    units.iter().find(|x| &x.id == p).map(|x| x.name.clone())
}

/// The reviewing unit a unit's answer goes through: the nearest listed unit above it.
fn reviewer_of<'a>(
    units: &[OrgUnit],
    u: &OrgUnit,
    reviewers: &'a [OrgUnit],
) -> Option<&'a OrgUnit> {
    let mut at = u.parent_id.clone();
    let mut steps = 0;
    while let Some(p) = at {
        if let Some(r) = reviewers.iter().find(|r| r.id == p) {
            return Some(r);
        }
        at = units
            .iter()
            .find(|x| x.id == p)
            .and_then(|x| x.parent_id.clone());
        steps += 1;
        if steps > units.len() {
            break;
        }
    }
    None
}

pub fn start_round(
    store: &mut Store,
    plan_path: &Path,
    spec: &RoundSpec,
) -> Result<StartedRound, RoundError> {
    let title = spec.title.trim().to_string();
    if title.is_empty() {
        return Err(RoundError::Invalid(
            "照会の名前（--title）が空です / the round needs a title".into(),
        ));
    }
    if let Some(r) = store
        .rounds()?
        .into_iter()
        .find(|r| normalize_label(&r.title) == normalize_label(&title))
    {
        return Err(RoundError::Invalid(format!(
            "照会「{}」はすでにあります（#{}）。別の名前にしてください（何も書き出していません） / a round of this title exists (#{}); choose another title (nothing written)",
            r.title, r.id, r.id
        )));
    }
    let fy = spec.fiscal_year.unwrap_or_else(current_fiscal_year);
    let skeleton = store.load_plan_of_units(&[])?;
    let then = units::units_at(store.connection(), fy)?;
    let mut departments: Vec<OrgUnit> = if spec.departments.is_empty() {
        owning_units(store, fy)?
    } else {
        let mut v: Vec<OrgUnit> = Vec::new();
        for name in &spec.departments {
            let u = unit_in_year(store, &skeleton, name, fy)?;
            if !v.iter().any(|x| x.id == u.id) {
                v.push(u);
            }
        }
        v
    };
    let mut reviewers: Vec<OrgUnit> = Vec::new();
    for name in &spec.reviewers {
        let u = unit_in_year(store, &skeleton, name, fy)?;
        if !reviewers.iter().any(|x| x.id == u.id) {
            reviewers.push(u);
        }
    }
    // Each department is exported once: a reviewing 部 that owns projects itself is its
    // reviewing workbook.
    departments.retain(|d| !reviewers.iter().any(|r| r.id == d.id));
    let gathered: Vec<Option<&OrgUnit>> = departments
        .iter()
        .map(|d| reviewer_of(&then, d, &reviewers))
        .collect();
    for r in &reviewers {
        if !gathered.iter().any(|g| g.is_some_and(|g| g.id == r.id)) {
            return Err(RoundError::Invalid(format!(
                "「{}」の下に照会する課がありません（--review） / no department under {} to gather (--review)",
                r.name, r.name
            )));
        }
    }
    let all: Vec<&OrgUnit> = departments.iter().chain(reviewers.iter()).collect();
    if all.is_empty() {
        return Err(RoundError::Invalid(format!(
            "{fy}年度に事業を担当する課がありません / no unit owns a project in FY{fy}"
        )));
    }
    let labels: Vec<(String, Option<String>)> = all
        .iter()
        .map(|u| (u.name.clone(), parent_name(&then, u)))
        .collect();
    let names = workbook_names(&spec.dir, &title, &labels).map_err(|_| {
        RoundError::Invalid(format!(
            "フォルダー「{}」のパスが長すぎてファイル名を付けられません。短いパスのフォルダーを指定してください / the folder path {} is too long for the workbooks' names",
            spec.dir.display(),
            spec.dir.display()
        ))
    })?;
    let files: Vec<PathBuf> = names.iter().map(|n| spec.dir.join(n)).collect();
    std::fs::create_dir_all(&spec.dir).map_err(|source| RoundError::Io {
        file: spec.dir.clone(),
        source,
    })?;
    for f in &files {
        check_destination(f, plan_path)?;
    }

    let new = NewRound {
        title: title.clone(),
        deadline: spec.deadline,
        fiscal_year: fy,
        dir: spec.dir.display().to_string(),
    };
    let mut op = OpInfo::new(OpKind::Round).source(spec.dir.display().to_string());
    op.summary = title.clone();
    let round_id = store.write(op, |w| w.create_round(&new))?;
    let round = super::find_round(store, Some(&round_id.to_string()))?;
    let round_ref = RoundRef {
        id: round.id,
        title: round.title.clone(),
        deadline: round.deadline.clone(),
        fiscal_year: fy,
    };
    let locked_actuals_through = if spec.open_past_years {
        None
    } else {
        store.settings()?.locked_actuals_through()
    };
    let base = ExportOptions {
        deadline: Some(japanese_date(spec.deadline)),
        locked_actuals_through,
        fiscal_year: Some(fy),
        round: Some(round_ref),
        progress_scale: Some(store.progress_scale()?),
        ..ExportOptions::default()
    };
    // The 部 workbooks' export ids are chosen first: their 課 are registered as gathered there.
    let reviewer_ids: Vec<String> = reviewers.iter().map(|_| new_id()).collect();
    let mut out = Vec::new();
    let mut members: Vec<Vec<MemberExport>> = vec![Vec::new(); reviewers.len()];
    for (i, unit) in all.iter().enumerate() {
        let r_index = i.checked_sub(departments.len());
        let (reviewed_in, reviewed_by) = match gathered.get(i).copied().flatten() {
            Some(r) => {
                let k = reviewers.iter().position(|x| x.id == r.id).unwrap_or(0);
                (Some(reviewer_ids[k].clone()), Some(r.name.clone()))
            }
            None => (None, None),
        };
        let plan: Plan = department_plan(store, &skeleton, unit, fy)?;
        let opts = ExportOptions {
            roster: cover_roster(store, unit, fy)?,
            reviewed_in,
            export_id: r_index.map(|k| reviewer_ids[k].clone()),
            members: r_index.map(|k| members[k].clone()).unwrap_or_default(),
            ..base.clone()
        };
        let summary = export_department(store, &plan, &unit.id, &files[i], &opts)?;
        if let Some(k) = gathered
            .get(i)
            .copied()
            .flatten()
            .and_then(|r| reviewers.iter().position(|x| x.id == r.id))
        {
            let seq = store
                .issued_export(&summary.export_id)?
                .map_or(0, |e| e.seq);
            members[k].push(MemberExport {
                export_id: summary.export_id.clone(),
                unit_id: unit.id.clone(),
                name: unit.name.clone(),
                seq,
                mac: summary.mac.clone(),
            });
        }
        out.push(RoundWorkbook {
            department_id: unit.id.clone(),
            department: unit.name.clone(),
            parent: parent_name(&then, unit),
            file: files[i].clone(),
            export_id: summary.export_id,
            projects: summary.projects.len(),
            reviewed_by,
            gathers: r_index
                .map(|k| members[k].iter().map(|m| m.name.clone()).collect())
                .unwrap_or_default(),
        });
    }
    Ok(StartedRound {
        round,
        workbooks: out,
    })
}
