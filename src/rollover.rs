//! Rolling a plan over at the end of its period: either the period is extended in place (a new
//! version), or the next plan starts in a new file with the projects that go on.
//!
//! What the next plan carries of a project: everything but the ended ones; their indicators
//! (targets for the new years left empty, to be set), the schedule and costs that fall in the
//! new period, and the last reported year's 課題 / 改善策 as the starting point of the first new
//! year's progress (Fukushima's 実行計画編 carries them from year to year). Ids stay the same,
//! so a project can be followed from one plan to the next; the plan itself gets a new id.

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use serde::Serialize;
use thiserror::Error;

use crate::model::*;
use crate::store::versions::CLOSED_THROUGH_FY;
use crate::store::{NewVersion, OpInfo, OpKind, Store, StoreError};

#[derive(Debug, Error)]
pub enum RolloverError {
    #[error(transparent)]
    Store(#[from] StoreError),
    #[error("新しい計画期間 {first}〜{last}年度 は今の計画期間（〜{current_last}年度）の後まで続きません / the new period {first}–{last} does not reach beyond the current one (to {current_last})")]
    NotLater {
        first: FiscalYear,
        last: FiscalYear,
        current_last: FiscalYear,
    },
    #[error("「{0}」は既にあります。別の名前を指定してください（何も書き込んでいません） / {0} already exists: choose another name (nothing was written)")]
    Exists(PathBuf),
    #[error("「{file}」を作れません / cannot write {file}: {source}")]
    Io {
        file: PathBuf,
        source: std::io::Error,
    },
}

/// What a rollover did, for the report and the app.
#[derive(Debug, Clone, Default, Serialize)]
pub struct RolloverReport {
    pub first_fy: FiscalYear,
    pub last_fy: FiscalYear,
    pub label: String,
    /// Projects in the new plan (with -o) or in the plan (in place).
    pub projects: usize,
    /// Ended projects left in the old plan (with -o): (code, title).
    pub left_behind: Vec<(String, String)>,
    /// Projects whose first new year starts with last year's 課題 / 改善策.
    pub progress_carried: usize,
    /// The version recorded before the period was extended, if one had to be.
    pub recorded_before: Option<String>,
    /// Actuals of years up to this one are locked in department workbooks.
    pub closed_through_fy: FiscalYear,
    /// The new file (with -o).
    pub file: Option<PathBuf>,
}

/// The next plan: `old`'s structure and every project that has not ended, over `first..=last`.
pub fn next_plan(
    old: &Plan,
    first: FiscalYear,
    last: FiscalYear,
    label: &str,
) -> (Plan, RolloverReport) {
    let codes = crate::report::dump::project_codes(old);
    let in_period = |fy: FiscalYear| (first..=last).contains(&fy);
    // Values of years the old plan already covered stay; the new years start empty.
    let kept = |fy: FiscalYear| in_period(fy) && fy <= old.info.last_fy;
    let first_new = first.max(old.info.last_fy + 1);
    let mut report = RolloverReport {
        first_fy: first,
        last_fy: last,
        label: label.to_string(),
        closed_through_fy: old.info.last_fy,
        ..RolloverReport::default()
    };
    let mut next_position: HashMap<&str, u32> = HashMap::new();
    let mut projects = Vec::new();
    for p in &old.projects {
        if p.status == ProjectStatus::Ended {
            let code = codes.get(p.id.as_str()).cloned().unwrap_or_default();
            report.left_behind.push((code, p.title.clone()));
            continue;
        }
        let mut q = p.clone();
        // Ended projects leave gaps: number the rest again within their measure.
        if let Some(m) = p.measure_ids.first() {
            let n = next_position.entry(m.as_str()).or_insert(0);
            *n += 1;
            q.position = *n;
        }
        for i in &mut q.indicators {
            i.values.retain(|v| kept(v.fiscal_year));
        }
        q.budget.retain(|b| kept(b.fiscal_year));
        q.schedule
            .retain(|t| t.end_fy >= first && t.start_fy <= last);
        for t in &mut q.schedule {
            t.start_fy = t.start_fy.max(first);
            t.end_fy = t.end_fy.min(last);
            t.phases.retain(|fy, _| in_period(*fy));
        }
        q.progress.retain(|g| kept(g.fiscal_year));
        if carry_progress(p, &mut q, old.info.last_fy, first_new, last) {
            report.progress_carried += 1;
        }
        projects.push(q);
    }
    report.projects = projects.len();
    // Roll-up links go on where the roll-up indicator goes on, over the components that do.
    let carried: std::collections::HashSet<&str> = projects
        .iter()
        .flat_map(|p| p.indicators.iter().map(|i| i.id.as_str()))
        .collect();
    let rollups = old
        .rollups
        .iter()
        .filter(|r| carried.contains(r.indicator_id.as_str()))
        .map(|r| crate::model::Rollup {
            sum_of: r
                .sum_of
                .iter()
                .filter(|c| carried.contains(c.as_str()))
                .cloned()
                .collect(),
            ..r.clone()
        })
        .filter(|r| !r.sum_of.is_empty())
        .collect();
    let plan = Plan {
        info: PlanInfo {
            id: new_id(),
            version: label.to_string(),
            first_fy: first,
            last_fy: last,
            ..old.info.clone()
        },
        org_units: old.org_units.clone(),
        policies: old.policies.clone(),
        measures: old.measures.clone(),
        projects,
        rollups,
    };
    (plan, report)
}

/// Seeds the first new year's progress of `q` with the 課題 / 改善策 of the last year `p`
/// reported (up to `old_last`). Returns whether anything was carried.
fn carry_progress(
    p: &Project,
    q: &mut Project,
    old_last: FiscalYear,
    first_new: FiscalYear,
    last: FiscalYear,
) -> bool {
    if first_new > last {
        return false;
    }
    let Some(from) = p
        .progress
        .iter()
        .filter(|g| g.fiscal_year <= old_last)
        .max_by_key(|g| g.fiscal_year)
    else {
        return false;
    };
    if from.issues.trim().is_empty() && from.remedies.trim().is_empty() {
        return false;
    }
    let at = match q.progress.iter().position(|g| g.fiscal_year == first_new) {
        Some(i) => i,
        None => {
            let i = q.progress.partition_point(|g| g.fiscal_year < first_new);
            q.progress.insert(
                i,
                Progress {
                    fiscal_year: first_new,
                    status: String::new(),
                    achievements: String::new(),
                    issues: String::new(),
                    remedies: String::new(),
                    evaluation: String::new(),
                },
            );
            i
        }
    };
    let g = &mut q.progress[at];
    let mut carried = false;
    // Never over what the new year already says.
    if g.issues.is_empty() && !from.issues.is_empty() {
        g.issues = from.issues.clone();
        carried = true;
    }
    if g.remedies.is_empty() && !from.remedies.is_empty() {
        g.remedies = from.remedies.clone();
        carried = true;
    }
    carried
}

/// Label of the version recorded before an in-place rollover, when the plan's current state
/// is not a recorded version yet: its own label if free, else 「第2.0版 繰越前」.
fn label_before(store: &Store, info: &PlanInfo, new_label: &str) -> crate::store::Result<String> {
    let current = info.version.trim();
    let same = |a: &str, b: &str| {
        crate::parse::label::normalize_label(a) == crate::parse::label::normalize_label(b)
    };
    if !current.is_empty() && !same(current, new_label) && store.version(current)?.is_none() {
        return Ok(current.to_string());
    }
    let base = format!("{new_label} 繰越前");
    let mut label = base.clone();
    let mut n = 2;
    while store.version(&label)?.is_some() {
        label = format!("{base}（{n}）");
        n += 1;
    }
    Ok(label)
}

/// Whether the plan as it stands is the last recorded version (its label aside).
fn is_recorded(store: &Store, plan: &Plan) -> crate::store::Result<bool> {
    let Some(last) = store.versions()?.pop() else {
        return Ok(false);
    };
    let mut was = store.load_version(&last.label)?;
    was.info.version = plan.info.version.clone();
    Ok(&was == plan)
}

/// Extends the plan's period to `last` in place: records the plan as it stands (unless it is
/// already the last version), sets the period and the label, closes the past years' actuals,
/// and records the extended plan as version `label`. One transaction.
pub fn extend_in_place(
    store: &mut Store,
    first: FiscalYear,
    last: FiscalYear,
    version: &NewVersion,
) -> Result<RolloverReport, RolloverError> {
    let plan = store.load_plan()?;
    let info = &plan.info;
    if last <= info.last_fy {
        return Err(RolloverError::NotLater {
            first,
            last,
            current_last: info.last_fy,
        });
    }
    crate::store::versions::check_label(store.connection(), &version.label)?;
    let before = if is_recorded(store, &plan)? {
        None
    } else {
        Some(label_before(store, info, &version.label)?)
    };
    let extended = PlanInfo {
        first_fy: info.first_fy.min(first),
        last_fy: last,
        version: version.label.trim().to_string(),
        ..info.clone()
    };
    let closed = info.last_fy;
    let source = format!("rollover --years {first}-{last} --label {}", version.label);
    store.write(OpInfo::new(OpKind::Rollover).source(source), |w| {
        if let Some(label) = &before {
            w.record_version_as_is(&NewVersion {
                label: label.clone(),
                issued_on: None,
                note: format!(
                    "{} への繰越の前に記録 / recorded before rolling over to {}",
                    version.label, version.label
                ),
            })?;
        }
        w.set_plan_info(&extended)?;
        w.set_setting(CLOSED_THROUGH_FY, Some(&closed.to_string()))?;
        w.record_version(version)?;
        Ok(())
    })?;
    Ok(RolloverReport {
        first_fy: extended.first_fy,
        last_fy: extended.last_fy,
        label: extended.version.clone(),
        projects: plan.projects.len(),
        recorded_before: before,
        closed_through_fy: closed,
        ..RolloverReport::default()
    })
}

/// Starts the next plan in a new file `out` (refused if it exists): the old plan is left as
/// it is. The new file is written beside `out` under a temporary name and renamed into place
/// when complete, so a failed rollover leaves no half-made plan.
pub fn start_next(
    store: &Store,
    first: FiscalYear,
    last: FiscalYear,
    version: &NewVersion,
    out: &Path,
) -> Result<RolloverReport, RolloverError> {
    if out.exists() {
        return Err(RolloverError::Exists(out.to_path_buf()));
    }
    let old = store.load_plan()?;
    if last <= old.info.last_fy {
        return Err(RolloverError::NotLater {
            first,
            last,
            current_last: old.info.last_fy,
        });
    }
    let (next, mut report) = next_plan(&old, first, last, version.label.trim());
    let name = out
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| "next.dxplan".into());
    let tmp = out.with_file_name(format!(".{name}.{}.tmp", uuid::Uuid::new_v4().simple()));
    let result = (|| -> Result<(), RolloverError> {
        let mut new_store = Store::create(&tmp, &next.info)?;
        let source = format!("rollover: {}", store.path().display());
        new_store.write(OpInfo::new(OpKind::Rollover).source(source), |w| {
            w.put_contents(&next)?;
            w.set_setting(
                CLOSED_THROUGH_FY,
                Some(&report.closed_through_fy.to_string()),
            )?;
            w.record_version(version)?;
            Ok(())
        })?;
        drop(new_store);
        // Checked again: another process may have made `out` meanwhile.
        if out.exists() {
            return Err(RolloverError::Exists(out.to_path_buf()));
        }
        std::fs::rename(&tmp, out).map_err(|source| RolloverError::Io {
            file: out.to_path_buf(),
            source,
        })
    })();
    if result.is_err() {
        for suffix in ["", "-wal", "-shm"] {
            let mut p = tmp.clone().into_os_string();
            p.push(suffix);
            let _ = std::fs::remove_file(PathBuf::from(p));
        }
    }
    result?;
    report.file = Some(out.to_path_buf());
    Ok(report)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn progress(fy: FiscalYear, issues: &str, remedies: &str) -> Progress {
        Progress {
            fiscal_year: fy,
            status: "順調".into(),
            achievements: String::new(),
            issues: issues.into(),
            remedies: remedies.into(),
            evaluation: String::new(),
        }
    }

    #[test]
    fn last_reported_issues_start_the_first_new_year() {
        let mut p = Project::new("m", "事業");
        p.progress = vec![
            progress(2024, "古い課題", ""),
            progress(2025, "人員不足", "外部委託"),
        ];
        let mut q = p.clone();
        q.progress.clear();
        assert!(carry_progress(&p, &mut q, 2025, 2026, 2030));
        assert_eq!(q.progress.len(), 1);
        assert_eq!(
            (
                q.progress[0].fiscal_year,
                q.progress[0].issues.as_str(),
                q.progress[0].remedies.as_str()
            ),
            (2026, "人員不足", "外部委託")
        );
        assert_eq!(q.progress[0].status, "");
    }
}
