//! A plan kept open: the plan file, an in-memory copy of the plan refreshed after every write
//! (so reads never wait on SQLite; the file stays the source of truth), who is editing, and
//! the display code of every item.

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use super::Result;
use crate::model::codes::plan_codes;
use crate::model::{Plan, Project};
use crate::store::merge_log::{ConflictRecord, SubmissionRecord};
use crate::store::{HistoryEntry, Store};

/// Who is editing: the DX office (everything) or one department (its own projects only).
#[derive(Debug, Clone, PartialEq)]
pub enum Mode {
    /// The DX office's plan.
    Office,
    /// A department's working copy of the workbook it received.
    Department {
        /// The department's unit.
        unit_id: String,
        /// Its name, as the workbook says.
        unit_name: String,
        /// The department workbook this working copy came from.
        workbook: PathBuf,
        /// That workbook's export id.
        export_id: String,
    },
}

/// An open plan: see the module's description.
pub struct Workspace {
    /// The open plan file: written only through the use cases (`pub(super)`: no front end
    /// reaches the store).
    pub(super) store: Store,
    /// The plan as loaded (kept in step with every write).
    pub(super) plan: Plan,
    /// Whose plan this is: the office's, or a department's working copy.
    pub(super) mode: Mode,
    /// Display code of every project, policy and measure, keyed by id.
    codes: HashMap<String, String>,
}

impl Workspace {
    /// Opens a plan file (migrating an older one) and reads the whole plan.
    pub fn open(path: &Path, mode: Mode) -> Result<Workspace> {
        let store = Store::open(path)?;
        let plan = store.load_plan()?;
        Ok(Workspace::with_plan(store, plan, mode))
    }

    pub(super) fn with_plan(store: Store, plan: Plan, mode: Mode) -> Workspace {
        let mut w = Workspace {
            store,
            plan,
            mode,
            codes: HashMap::new(),
        };
        w.recode();
        w
    }

    /// The plan as the file holds it.
    pub fn plan(&self) -> &Plan {
        &self.plan
    }

    /// Who is editing.
    pub fn mode(&self) -> &Mode {
        &self.mode
    }

    /// The plan file.
    pub fn path(&self) -> &Path {
        self.store.path()
    }

    /// The display code (Ⅰ, Ⅰ-1, Ⅰ-1-①) of a policy, measure or project; empty when unknown.
    pub fn code(&self, id: &str) -> String {
        self.codes.get(id).cloned().unwrap_or_default()
    }

    /// A project of the plan.
    pub fn project(&self, id: &str) -> Result<&Project> {
        self.plan
            .projects
            .iter()
            .find(|p| p.id == id)
            .ok_or_else(|| {
                super::WorkspaceError::NotFound(format!("事業が見つかりません（ID {id}）。"))
            })
    }

    /// Whether this workspace may change the project: a department only its own, as the
    /// office's merge allows (`merge::scope`): owned or co-owned by its unit or a unit below it
    /// (a 部 reviewing its 課's projects).
    pub fn editable(&self, p: &Project) -> bool {
        match &self.mode {
            Mode::Office => true,
            Mode::Department { unit_id, .. } => p
                .owners
                .iter()
                .any(|o| &o.unit_id == unit_id || self.is_below(&o.unit_id, unit_id)),
        }
    }

    /// Whether unit `id` sits below unit `top` (部 > 室 > 課) in the plan's organisation.
    fn is_below(&self, id: &str, top: &str) -> bool {
        let mut at = id;
        // a chain longer than the plan's units is a loop: stop
        for _ in 0..=self.plan.org_units.len() {
            let Some(parent) = self
                .plan
                .org_units
                .iter()
                .find(|u| u.id == at)
                .and_then(|u| u.parent_id.as_deref())
            else {
                return false;
            };
            if parent == top {
                return true;
            }
            at = parent;
        }
        false
    }

    /// The project's revision in the file (0 when it was never written): what an edit is made on.
    pub fn revision(&self, project_id: &str) -> Result<i64> {
        Ok(self.store.project_revision(project_id)?.unwrap_or(0))
    }

    /// The change log, newest first; of one project when given.
    pub fn history(&self, project_id: Option<&str>) -> Result<Vec<HistoryEntry>> {
        Ok(self.store.history(project_id)?)
    }

    /// Conflicts of merged submissions (the open ones only, or all).
    pub fn conflicts(&self, only_open: bool) -> Result<Vec<ConflictRecord>> {
        Ok(self.store.conflicts(only_open)?)
    }

    /// Merged submissions, in the order they were merged.
    pub fn submissions(&self) -> Result<Vec<SubmissionRecord>> {
        Ok(self.store.submissions()?)
    }

    /// Reads the whole plan again from the file (after an import or a merge).
    pub fn reload(&mut self) -> Result<()> {
        self.plan = self.store.load_plan()?;
        self.recode();
        Ok(())
    }

    fn recode(&mut self) {
        self.codes = plan_codes(&self.plan)
            .into_iter()
            .map(|(k, v)| (k.to_string(), v))
            .collect();
    }

    /// Replaces the cached copy of one project by what the file now holds. True when its place
    /// in the tree (measures, position) changed, so display codes were recomputed.
    pub(super) fn refresh_project(&mut self, id: &str) -> Result<bool> {
        let fresh = self.store.load_project(id)?;
        let idx = self.plan.projects.iter().position(|p| p.id == id);
        let structural = match (&fresh, idx) {
            (Some(f), Some(i)) => {
                let old = &self.plan.projects[i];
                old.measure_ids != f.measure_ids || old.position != f.position
            }
            _ => true,
        };
        match (fresh, idx) {
            (Some(f), Some(i)) => self.plan.projects[i] = f,
            (Some(f), None) => self.plan.projects.push(f),
            (None, Some(i)) => {
                self.plan.projects.remove(i);
            }
            (None, None) => {}
        }
        if structural {
            self.plan.sort_canonical();
            self.recode();
        }
        Ok(structural)
    }

    /// Refuses what only the office's plan may do.
    pub(super) fn office_only(&self, what: &str) -> Result<()> {
        match self.mode {
            Mode::Office => Ok(()),
            Mode::Department { .. } => Err(super::WorkspaceError::ReadOnly(format!(
                "{what}は事務局（DX推進担当）の計画でのみ行えます。"
            ))),
        }
    }
}
