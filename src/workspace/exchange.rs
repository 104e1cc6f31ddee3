//! Workbooks in and out: export for a department (by name in a year, or by id) and the master
//! workbook; import of legacy sheets; merge of submissions, resolution of their conflicts, and
//! undoing a merge or an import. Each as a function on a plan file (the CLI) and as a method of
//! an open [`Workspace`] (the app), which adds the office-only rule and rereads the plan.

use std::path::{Path, PathBuf};

use super::{Result, Workspace, WorkspaceError};
use crate::export::{department_projects, ExportOptions, ExportSummary};
use crate::import::report::ImportReport;
use crate::import::{ImportChoices, ImportOptions, UndoImportReport};
use crate::merge::report::MergeReport;
use crate::merge::{MergeOptions, Resolution, UndoReport};
use crate::model::FiscalYear;
use crate::org::department::{cover_roster, current_fiscal_year, department_plan, unit_in_year};
use crate::store::{ImportLabel, ImportRecord, Store};

/// Which department a workbook is for.
#[derive(Debug, Clone, Copy)]
pub enum Department<'a> {
    /// By the unit's name valid in the workbook's year (the CLI's `--department 課名`).
    Name(&'a str),
    /// By the unit's id (a pick list).
    Id(&'a str),
}

/// How a department workbook is written.
#[derive(Debug, Clone, Default)]
pub struct DepartmentExport {
    /// The fiscal year whose unit names it speaks; this year when None.
    pub fiscal_year: Option<FiscalYear>,
    /// 提出期限 on the cover; a blank one is none.
    pub deadline: Option<String>,
    /// Past years' actuals editable despite the plan's setting (`--open-past-years`).
    pub open_past_years: bool,
}

/// A unit that owns projects, for a pick list.
#[derive(Debug, Clone, serde::Serialize, serde::Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct DepartmentChoice {
    /// The unit.
    pub unit_id: String,
    /// Its name.
    pub name: String,
    /// Projects it (or a unit below it) owns or co-owns: the sheets of its workbook.
    #[cfg_attr(feature = "specta", specta(type = u32))]
    pub projects: usize,
}

fn options(
    store: &Store,
    deadline: Option<String>,
    open_past_years: bool,
) -> Result<ExportOptions> {
    Ok(ExportOptions {
        deadline: deadline.filter(|d| !d.trim().is_empty()),
        locked_actuals_through: if open_past_years {
            None
        } else {
            store.settings()?.locked_actuals_through()
        },
        ..ExportOptions::default()
    })
}

/// `dxplan export --department`: the department's workbook (照会用), sealed and recorded in the
/// plan's register. Only the department's own projects are read (a plan may hold thousands).
pub fn export_department(
    plan: &Path,
    department: Department<'_>,
    how: &DepartmentExport,
    output: &Path,
) -> Result<ExportSummary> {
    // Before anything is read: `-o` naming the plan (or its -wal) would replace it.
    crate::export::check_destination(output, plan)?;
    // Writable: the export is recorded in the plan's register.
    department_workbook(&Store::open(plan)?, department, how, output)
}

fn department_workbook(
    store: &Store,
    department: Department<'_>,
    how: &DepartmentExport,
    output: &Path,
) -> Result<ExportSummary> {
    let fy = how.fiscal_year.unwrap_or_else(current_fiscal_year);
    let skeleton = store.load_plan_of_units(&[])?;
    let unit = match department {
        Department::Name(name) => unit_in_year(store, &skeleton, name, fy)?,
        Department::Id(id) => skeleton
            .unit(id)
            .cloned()
            .ok_or_else(|| crate::export::ExportError::UnknownUnit(id.to_string()))?,
    };
    let plan = department_plan(store, &skeleton, &unit, fy)?;
    let mut opts = options(store, how.deadline.clone(), how.open_past_years)?;
    opts.fiscal_year = Some(fy);
    opts.roster = cover_roster(store, &unit, fy)?;
    Ok(crate::export::export_department(
        store, &plan, &unit.id, output, &opts,
    )?)
}

/// `dxplan export` without a department: the master workbook (全体版).
pub fn export_master(
    plan: &Path,
    deadline: Option<String>,
    open_past_years: bool,
    output: &Path,
) -> Result<ExportSummary> {
    crate::export::check_destination(output, plan)?;
    let store = Store::open(plan)?;
    master_workbook(&store, deadline, open_past_years, output)
}

fn master_workbook(
    store: &Store,
    deadline: Option<String>,
    open_past_years: bool,
    output: &Path,
) -> Result<ExportSummary> {
    let plan = store.load_plan()?;
    let opts = options(store, deadline, open_past_years)?;
    Ok(crate::export::export_master(store, &plan, output, &opts)?)
}

/// `dxplan import`: legacy sheets (or dxplan's own workbooks) into the plan, in one
/// transaction, or only read and compared (`dry_run`). A workbook dxplan exported makes a new
/// plan file of its plan when `plan` does not exist yet.
pub fn import(
    plan: &Path,
    files: &[PathBuf],
    dry_run: bool,
    choices: &ImportChoices,
) -> Result<ImportReport> {
    if !dry_run {
        if let Some(first) = files.first() {
            super::plan_from_export(plan, first)?;
        }
    }
    let mut store = Store::open(plan)?;
    Ok(crate::import::import_with(
        &mut store,
        files,
        ImportOptions { dry_run },
        choices,
    )?)
}

/// `dxplan undo-import`: takes one import back as a whole.
pub fn undo_import(plan: &Path, import_id: i64) -> Result<UndoImportReport> {
    Ok(crate::import::undo_import(
        &mut Store::open(plan)?,
        import_id,
    )?)
}

/// `dxplan merge`: departments' submissions into the plan, conflicts recorded, the office's
/// values kept; or only compared (`dry_run`).
pub fn merge(plan: &Path, files: &[PathBuf], dry_run: bool) -> Result<MergeReport> {
    let mut store = Store::open(plan)?;
    Ok(crate::merge::merge_files(
        &mut store,
        files,
        MergeOptions { dry_run },
    )?)
}

/// `dxplan resolve`: closes a conflict. Returns the value that now stands, as people read it.
pub fn resolve(plan: &Path, conflict_id: i64, how: Resolution) -> Result<String> {
    let mut store = Store::open(plan)?;
    let field = store
        .conflicts(true)?
        .into_iter()
        .find(|c| c.id == conflict_id)
        .map(|c| c.field)
        .unwrap_or_default();
    let v = crate::merge::resolve(&mut store, conflict_id, how)?;
    let units = store.load_plan()?.org_units;
    Ok(crate::merge::words::value_text(&field, v.as_ref(), &units))
}

/// `dxplan undo-merge`: reverts one merged submission where later changes do not depend on it.
pub fn undo_merge(plan: &Path, submission_id: i64) -> Result<UndoReport> {
    Ok(crate::merge::undo_merge(
        &mut Store::open(plan)?,
        submission_id,
    )?)
}

impl Workspace {
    /// Units that own projects (directly or through a unit below them), by name.
    pub fn departments(&self) -> Vec<DepartmentChoice> {
        let mut out: Vec<DepartmentChoice> = self
            .plan()
            .org_units
            .iter()
            .map(|u| DepartmentChoice {
                unit_id: u.id.clone(),
                name: u.name.clone(),
                projects: department_projects(self.plan(), &u.id).len(),
            })
            .filter(|d| d.projects > 0)
            .collect();
        out.sort_by(|a, b| a.name.cmp(&b.name));
        out
    }

    /// The department workbook of one unit (the office's plan only), as `export_department`.
    pub fn export_department(
        &self,
        unit_id: &str,
        output: &Path,
        deadline: Option<String>,
    ) -> Result<ExportSummary> {
        self.office_only("課別ブックの書き出し")?;
        if department_projects(self.plan(), unit_id).is_empty() {
            return Err(WorkspaceError::Invalid(
                "この課が担当する事業はありません。".into(),
            ));
        }
        crate::export::check_destination(output, self.path())?;
        let how = DepartmentExport {
            deadline,
            ..DepartmentExport::default()
        };
        department_workbook(self.store(), Department::Id(unit_id), &how, output)
    }

    /// The master workbook, as `export_master`.
    pub fn export_master(&self, output: &Path) -> Result<ExportSummary> {
        crate::export::check_destination(output, self.path())?;
        master_workbook(self.store(), None, false, output)
    }

    /// Import (the office's plan only), as `import`: with the person's choices (accepted
    /// changes, mapped labels, placed projects), or only read and compared (`dry_run`). The
    /// plan is read again after a real import; one that must ask something first writes
    /// nothing (`WorkspaceError::blocking`).
    pub fn import(
        &mut self,
        files: &[PathBuf],
        dry_run: bool,
        choices: &ImportChoices,
    ) -> Result<ImportReport> {
        if files.is_empty() {
            return Err(WorkspaceError::Invalid(
                "取り込むファイルを選んでください。".into(),
            ));
        }
        self.not_in_working_copy()?;
        let r = crate::import::import_with(
            self.store_mut()?,
            files,
            ImportOptions { dry_run },
            choices,
        )?;
        if !dry_run {
            self.reload()?;
        }
        Ok(r)
    }

    fn not_in_working_copy(&self) -> Result<()> {
        match self.mode {
            super::Mode::Office => Ok(()),
            super::Mode::Department { .. } => Err(WorkspaceError::ReadOnly(
                "課の作業用コピーには取り込みできません。事務局（DX推進担当）の計画を開いてください。"
                    .into(),
            )),
        }
    }

    /// Takes one import back as a whole (the office's plan only); the plan is read again.
    pub fn undo_import(&mut self, import_id: i64) -> Result<UndoImportReport> {
        self.office_only("取り込みの取り消し")?;
        let r = crate::import::undo_import(self.store_mut()?, import_id)?;
        self.reload()?;
        Ok(r)
    }

    /// The imports recorded in the plan, oldest first.
    pub fn imports(&self) -> Result<Vec<ImportRecord>> {
        Ok(self.store().imports()?)
    }

    /// The plan's import profile: labels mapped to fields in earlier imports.
    pub fn import_profile(&self) -> Result<Vec<ImportLabel>> {
        Ok(self.store().import_profile()?)
    }

    /// Merge (the office's plan only), as `merge`; the plan is read again after a real merge.
    pub fn merge(&mut self, files: &[PathBuf], dry_run: bool) -> Result<MergeReport> {
        self.office_only("提出ファイルの統合")?;
        if files.is_empty() {
            return Err(WorkspaceError::Invalid(
                "統合する提出ファイルを選んでください。".into(),
            ));
        }
        let r = crate::merge::merge_files(self.store_mut()?, files, MergeOptions { dry_run })?;
        if !dry_run {
            self.reload()?;
        }
        Ok(r)
    }

    /// Closes a conflict: the office's plan, or a 部's working copy that gathered its 課's
    /// answers (the conflicts of that gathering are the 部's to decide).
    pub fn resolve(&mut self, conflict_id: i64, how: Resolution) -> Result<()> {
        let reviewing = self.review_members().is_ok_and(|m| !m.is_empty());
        if !reviewing {
            self.office_only("修正が重なった項目の解決")?;
        }
        crate::merge::resolve(self.store_mut()?, conflict_id, how)?;
        self.reload()
    }

    /// Reverts one merged submission (the office's plan only).
    pub fn undo_merge(&mut self, submission_id: i64) -> Result<UndoReport> {
        self.office_only("統合の取り消し")?;
        let r = crate::merge::undo_merge(self.store_mut()?, submission_id)?;
        self.reload()?;
        Ok(r)
    }
}
