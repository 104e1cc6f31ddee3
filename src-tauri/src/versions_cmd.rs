//! 版 and 新旧対照表 (issue 16): record a named version, list them, open one read-only, compare
//! two (or one with the plan as it stands) and write the comparison workbook. Views of what
//! `dxplan::workspace` answers (`Workspace::{record_version, versions, open_version,
//! compare_versions, export_comparison}`).
//!
//! A version opened read-only is a `Session` of its own (the version's plan over a read-only
//! connection to the same file), kept in `VersionCache` beside the office's session: the
//! office's plan is never replaced by an old one, and nothing here can write.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::sync::{Mutex, MutexGuard};

use dxplan::compare::marks::Segment;
use dxplan::compare::{BudgetComparison, Comparison, ItemKind, Presence};
use dxplan::model::FiscalYear;
use dxplan::workspace::{same_version, NewVersion, VersionRecord};
use serde::{Deserialize, Serialize};
use specta::Type;
use specta_typescript::Number;
use tauri::State;

use crate::dto::{FiscalYearLabel, PlanTree, ProjectSheet};
use crate::error::AppError;
use crate::files::{FileHandle, Purpose};
use crate::rollups_view::project_rollups;
use crate::state::{AppState, Session};
use crate::views;

type R<T> = Result<T, AppError>;

/// How the plan as it stands is named in a comparison (as `dxplan compare` says it).
pub use dxplan::workspace::NOW;

// ---------------------------------------------------------------- versions

#[derive(Debug, Clone, Serialize, Deserialize, Type)]
pub struct VersionDto {
    pub label: String,
    /// 発行日 (YYYY-MM-DD) when given.
    pub issued_on: Option<String>,
    pub note: String,
    /// When it was recorded (RFC 3339).
    pub recorded_at: String,
    pub projects: u32,
    /// Bytes the copy takes in the plan file.
    #[specta(type = Number)]
    pub stored_size: i64,
    /// The plan's 版 label is this one (the last version recorded, nothing relabelled since).
    pub current: bool,
}

fn version_dto(v: VersionRecord, current_label: &str) -> VersionDto {
    VersionDto {
        current: v.label == current_label,
        label: v.label,
        issued_on: v.issued_on,
        note: v.note,
        recorded_at: v.recorded_at,
        projects: u32::try_from(v.projects).unwrap_or(u32::MAX),
        stored_size: v.stored_size,
    }
}

/// Recorded versions, oldest first.
#[tauri::command]
#[specta::specta]
pub async fn versions(state: State<'_, AppState>) -> R<Vec<VersionDto>> {
    state.with(|s| {
        let label = s.info().version.clone();
        Ok(s.versions()?
            .into_iter()
            .map(|v| version_dto(v, &label))
            .collect())
    })
}

#[derive(Debug, Clone, Serialize, Deserialize, Type)]
pub struct RecordedVersion {
    pub version: VersionDto,
    /// The plan with its new 版 label.
    pub tree: PlanTree,
}

/// 「2023-06-01」 (the UI sends ISO dates).
pub fn iso_date(text: &str, what: &str) -> R<chrono::NaiveDate> {
    chrono::NaiveDate::parse_from_str(text.trim(), "%Y-%m-%d").map_err(|_| {
        AppError::invalid(format!(
            "{what}「{text}」が読めません。2023-06-01 や 2023年6月1日 のように入力してください。"
        ))
    })
}

/// Records the plan as it stands as version `label` (and makes it the plan's 版 label).
pub fn record(
    s: &mut Session,
    label: &str,
    issued_on: Option<&str>,
    note: &str,
) -> R<RecordedVersion> {
    let issued_on = issued_on
        .filter(|d| !d.trim().is_empty())
        .map(|d| iso_date(d, "発行日"))
        .transpose()?;
    let v = NewVersion {
        label: label.trim().to_string(),
        issued_on,
        note: note.trim().to_string(),
    };
    let rec = s.record_version(&v)?;
    Ok(RecordedVersion {
        version: version_dto(rec, &s.info().version),
        tree: views::plan_tree(s),
    })
}

#[tauri::command]
#[specta::specta]
pub async fn record_version(
    state: State<'_, AppState>,
    cache: State<'_, VersionCache>,
    label: String,
    issued_on: Option<String>,
    note: String,
) -> R<RecordedVersion> {
    let r = state.with(|s| record(s, &label, issued_on.as_deref(), &note))?;
    cache.clear();
    Ok(r)
}

// ---------------------------------------------------------------- a version, read-only

/// The version open read-only, if any.
#[derive(Default)]
pub struct VersionCache {
    slot: Mutex<Option<VersionView>>,
}

pub struct VersionView {
    pub plan_path: PathBuf,
    pub label: String,
    pub session: Session,
}

impl VersionCache {
    fn lock(&self) -> MutexGuard<'_, Option<VersionView>> {
        self.slot.lock().unwrap_or_else(|p| p.into_inner())
    }

    fn clear(&self) {
        *self.lock() = None;
    }
}

/// Opens version `label` of the plan at `path` as a read-only session.
pub fn open_version(path: &Path, label: &str) -> R<VersionView> {
    let (session, label) = Session::open_version(path, label)?;
    Ok(VersionView {
        plan_path: path.to_path_buf(),
        label,
        session,
    })
}

/// Runs `f` on the version `label` of the office's plan, opening it when another (or none) is.
fn with_version<T>(
    state: &AppState,
    cache: &VersionCache,
    label: &str,
    f: impl FnOnce(&VersionView) -> R<T>,
) -> R<T> {
    let path = state.with(|s| Ok(s.path().to_path_buf()))?;
    let mut slot = cache.lock();
    let fresh = match slot.as_ref() {
        Some(v) => v.plan_path != path || !same_version(&v.label, label),
        None => true,
    };
    if fresh {
        *slot = Some(open_version(&path, label)?);
    }
    let view = slot
        .as_ref()
        .ok_or_else(|| AppError::internal("版を開けません"))?;
    f(view)
}

/// The plan tree of a version: every row read-only.
pub fn version_tree_of(v: &VersionView) -> PlanTree {
    let mut tree = views::plan_tree(&v.session);
    tree.rows.editable.fill(false);
    tree
}

/// One project sheet of a version: read-only, revision 0 (there is nothing to save it to).
pub fn version_sheet_of(v: &VersionView, id: &str) -> R<ProjectSheet> {
    let s = &v.session;
    let p = s.project(id).map_err(|_| {
        AppError::new(
            dxplan::workspace::ErrorCode::NotFound,
            format!("この事業は{}にはありません。", v.label),
        )
    })?;
    Ok(ProjectSheet {
        project: p.clone(),
        code: s.code(id),
        revision: 0,
        editable: false,
        rollups: project_rollups(s, p)?,
    })
}

/// The plan as it was at version `label`, read-only (its tree; the sheets with
/// `version_project`).
#[tauri::command]
#[specta::specta]
pub async fn version_tree(
    state: State<'_, AppState>,
    cache: State<'_, VersionCache>,
    label: String,
) -> R<PlanTree> {
    with_version(&state, &cache, &label, |v| Ok(version_tree_of(v)))
}

#[tauri::command]
#[specta::specta]
pub async fn version_project(
    state: State<'_, AppState>,
    cache: State<'_, VersionCache>,
    label: String,
    id: String,
) -> R<ProjectSheet> {
    with_version(&state, &cache, &label, |v| version_sheet_of(v, &id))
}

/// Closes the version open read-only (frees its copy of the plan).
#[tauri::command]
#[specta::specta]
pub async fn close_version(cache: State<'_, VersionCache>) -> R<()> {
    cache.clear();
    Ok(())
}

// ---------------------------------------------------------------- 新旧対照表

/// A view of `compare::Change`: the field's name flattened and both sides' changed runs computed.
#[derive(Debug, Clone, Serialize, Deserialize, Type)]
pub struct ChangeDto {
    /// What changed, as `compare --json` names it (「indicator_value」, 「summary」 …).
    pub field: String,
    pub label: String,
    pub presence: Presence,
    /// 変更前（旧）; null when the field had no value.
    pub old: Option<String>,
    /// 変更後（新）; null when it has none.
    pub new: Option<String>,
    pub old_segments: Vec<Segment>,
    pub new_segments: Vec<Segment>,
}

#[derive(Debug, Clone, Serialize, Deserialize, Type)]
pub struct ItemDiffDto {
    pub kind: ItemKind,
    pub id: String,
    pub code: String,
    pub old_code: Option<String>,
    pub title: String,
    pub presence: Presence,
    pub changes: Vec<ChangeDto>,
}

/// Planned cost (千円) per fiscal year, in the order of `CompareBudget::fiscal_years`;
/// null where the plan has no such policy.
#[derive(Debug, Clone, Serialize, Deserialize, Type)]
pub struct CompareBudgetRow {
    pub code: String,
    pub title: String,
    #[specta(type = Option<Vec<Number>>)]
    pub old: Option<Vec<i64>>,
    #[specta(type = Option<Vec<Number>>)]
    pub new: Option<Vec<i64>>,
    #[specta(type = Option<Number>)]
    pub old_sum: Option<i64>,
    #[specta(type = Option<Number>)]
    pub new_sum: Option<i64>,
}

#[derive(Debug, Clone, Serialize, Deserialize, Type)]
pub struct CompareBudget {
    pub fiscal_years: Vec<FiscalYearLabel>,
    pub rows: Vec<CompareBudgetRow>,
    pub total: CompareBudgetRow,
}

/// A view of `Comparison`: budgets aligned on the years' columns, 事業 counts for the heading.
#[derive(Debug, Clone, Serialize, Deserialize, Type)]
pub struct ComparisonDto {
    /// 「第1.0版」; `to` is 「現在」 for the plan as it stands.
    pub from: String,
    pub to: String,
    pub items: Vec<ItemDiffDto>,
    pub budget: CompareBudget,
    /// Items added, removed and changed (事業 only), for the heading.
    pub projects_added: u32,
    pub projects_removed: u32,
    pub projects_changed: u32,
}

fn field_name(c: &dxplan::compare::Change) -> String {
    serde_json::to_value(&c.field)
        .ok()
        .and_then(|v| v.get("field").and_then(|f| f.as_str()).map(str::to_string))
        .unwrap_or_default()
}

fn amounts(years: &[FiscalYear], m: &BTreeMap<FiscalYear, i64>) -> Vec<i64> {
    years
        .iter()
        .map(|fy| m.get(fy).copied().unwrap_or(0))
        .collect()
}

fn budget_dto(b: &BudgetComparison) -> CompareBudget {
    let years = &b.fiscal_years;
    let row = |code: String,
               title: String,
               old: Option<&BTreeMap<FiscalYear, i64>>,
               new: Option<&BTreeMap<FiscalYear, i64>>| CompareBudgetRow {
        code,
        title,
        old: old.map(|m| amounts(years, m)),
        new: new.map(|m| amounts(years, m)),
        old_sum: old.map(BudgetComparison::sum),
        new_sum: new.map(BudgetComparison::sum),
    };
    CompareBudget {
        fiscal_years: years.iter().map(|fy| views::fy_label(*fy)).collect(),
        rows: b
            .rows
            .iter()
            .map(|r| {
                row(
                    r.code.clone(),
                    r.title.clone(),
                    r.old.as_ref(),
                    r.new.as_ref(),
                )
            })
            .collect(),
        total: row(
            String::new(),
            "合計".into(),
            Some(&b.old_total),
            Some(&b.new_total),
        ),
    }
}

pub fn comparison_dto(c: &Comparison) -> ComparisonDto {
    ComparisonDto {
        from: c.from.clone(),
        to: c.to.clone(),
        projects_added: c.count(ItemKind::Project, Presence::Added) as u32,
        projects_removed: c.count(ItemKind::Project, Presence::Removed) as u32,
        projects_changed: c.count(ItemKind::Project, Presence::Changed) as u32,
        items: c
            .items
            .iter()
            .map(|i| ItemDiffDto {
                kind: i.kind,
                id: i.id.clone(),
                code: i.code.clone(),
                old_code: i.old_code.clone(),
                title: i.title.clone(),
                presence: i.presence,
                changes: i
                    .changes
                    .iter()
                    .map(|ch| {
                        let (old_segments, new_segments) = ch.segments();
                        ChangeDto {
                            field: field_name(ch),
                            label: ch.label.clone(),
                            presence: ch.presence,
                            old: ch.old.clone(),
                            new: ch.new.clone(),
                            old_segments,
                            new_segments,
                        }
                    })
                    .collect(),
            })
            .collect(),
        budget: budget_dto(&c.budget),
    }
}

/// The comparison of `from` with `to` (None: the plan as it stands), and the new side's title.
pub fn comparison(s: &Session, from: &str, to: Option<&str>) -> R<(Comparison, String)> {
    Ok(s.compare_versions(from, to)?)
}

/// 新旧対照表: version `from` against `to` (a version, or null for the plan as it stands).
#[tauri::command]
#[specta::specta]
pub async fn compare_versions(
    state: State<'_, AppState>,
    from: String,
    to: Option<String>,
) -> R<ComparisonDto> {
    state.with(|s| Ok(comparison_dto(&comparison(s, &from, to.as_deref())?.0)))
}

/// Writes the 新旧対照表 workbook (A4 landscape) where the save dialog said; answers its path,
/// for display.
#[tauri::command]
#[specta::specta]
pub async fn export_comparison(
    state: State<'_, AppState>,
    from: String,
    to: Option<String>,
    file: FileHandle,
) -> R<String> {
    let path = state.files.take(&file, Purpose::SaveWorkbook)?;
    state.with(|s| {
        let (cmp, title) = comparison(s, &from, to.as_deref())?;
        let out = s.export_comparison(&cmp, &title, &path)?;
        Ok(out.display().to_string())
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::state::sample_session as sample;

    #[test]
    fn a_recorded_version_opens_read_only_and_compares_with_now() {
        let dir = tempfile::tempdir().unwrap();
        let mut s = sample(dir.path());
        let r = record(&mut s, "第１.０版", Some("2023-06-01"), "当初版").unwrap();
        assert_eq!(r.version.label, "第１.０版");
        assert!(r.version.current);
        assert_eq!(r.tree.session.info.version, "第１.０版");
        assert_eq!(r.version.issued_on.as_deref(), Some("2023-06-01"));

        // an edit after the version
        let mut p = s.plan().projects[0].clone();
        let id = p.id.clone();
        let old_summary = p.texts.summary.clone();
        p.texts.summary = "版の後で直した内容".into();
        let revision = s.revision(&id).unwrap();
        s.save_project(p, revision).unwrap();

        // the version, by its half-width label too, still has the old text and is read-only
        let v = open_version(s.path(), "第1.0版").unwrap();
        let tree = version_tree_of(&v);
        assert_eq!(tree.rows.id.len(), 30);
        assert!(tree.rows.editable.iter().all(|e| !e));
        let sheet = version_sheet_of(&v, &id).unwrap();
        assert!(!sheet.editable);
        assert_eq!(sheet.project.texts.summary, old_summary);

        // the comparison with now: the change as 旧 / 新, budgets equal
        let cmp = comparison_dto(&comparison(&s, "第1.0版", None).unwrap().0);
        assert_eq!((cmp.from.as_str(), cmp.to.as_str()), ("第１.０版", NOW));
        assert_eq!(cmp.projects_changed, 1);
        let ch = cmp
            .items
            .iter()
            .flat_map(|i| &i.changes)
            .find(|c| c.field == "summary")
            .expect("the summary change");
        assert_eq!(ch.old.as_deref(), Some(old_summary.as_str()));
        assert_eq!(ch.new.as_deref(), Some("版の後で直した内容"));
        assert!(ch.new_segments.iter().any(|x| x.changed));
        assert_eq!(cmp.budget.total.old_sum, cmp.budget.total.new_sum);
        assert_eq!(cmp.budget.total.new_sum, Some(1_240_400));

        // the workbook
        let out = dir.path().join("新旧対照表.xlsx");
        let (c, title) = comparison(&s, "第1.0版", None).unwrap();
        s.export_comparison(&c, &title, &out).unwrap();
        assert!(out.metadata().unwrap().len() > 0);

        // an unknown version is said so
        assert_eq!(
            open_version(s.path(), "第9版").err().unwrap().code,
            dxplan::workspace::ErrorCode::NotFound
        );
        // a label is recorded once
        assert!(record(&mut s, "第1.0版", None, "").is_err());
    }
}
