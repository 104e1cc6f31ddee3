//! A plan kept open: the plan file, an in-memory copy of the plan refreshed after every write
//! (so reads never wait on SQLite; the file stays the source of truth), who is editing, and
//! the display code of every item. The app opens a plan outline first (`open_outline_first`):
//! the tree is made from the outline while the whole plan loads on a thread (`loading`).

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use super::loading::PlanSlot;
use super::Result;
use crate::model::codes::{outline_codes, plan_codes};
use crate::model::{Owner, Plan, PlanOutline, Project};
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
    /// The open plan file: written only through the use cases (no front end reaches the
    /// store), and only once the whole plan is loaded (`store_mut`).
    store: Store,
    /// The plan as loaded (kept in step with every write), or its outline while it loads.
    plan: PlanSlot,
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

    /// Opens a plan file (migrating an older one) and reads its outline, what the plan tree
    /// shows; the whole plan is read on a thread of its own meanwhile. Whatever needs it waits
    /// for it (`ready`); so does every write. A plan on a network share is read whole at once
    /// (its connection holds the file's lock: no second connection could read it).
    pub fn open_outline_first(path: &Path, mode: Mode) -> Result<Workspace> {
        Workspace::open_gated(path, mode, None)
    }

    /// `open_outline_first`, the background load waiting for `gate` when given (tests).
    pub(super) fn open_gated(
        path: &Path,
        mode: Mode,
        gate: Option<std::sync::mpsc::Receiver<()>>,
    ) -> Result<Workspace> {
        let store = Store::open(path)?;
        if store.location() == crate::store::Location::Network {
            let plan = store.load_plan()?;
            return Ok(Workspace::with_plan(store, plan, mode));
        }
        let outline = store.load_outline()?;
        let codes = outline_codes(&outline)
            .into_iter()
            .map(|(k, v)| (k.to_string(), v))
            .collect();
        let plan = PlanSlot::loading(&store, outline, gate)?;
        Ok(Workspace {
            store,
            plan,
            mode,
            codes,
        })
    }

    pub(super) fn with_plan(store: Store, plan: Plan, mode: Mode) -> Workspace {
        let mut w = Workspace {
            store,
            plan: PlanSlot::whole(plan),
            mode,
            codes: HashMap::new(),
        };
        w.recode();
        w
    }

    /// The whole plan as the file holds it, waiting for it if it is still loading; the
    /// loading's error, if any.
    pub fn ready(&self) -> Result<&Plan> {
        Ok(self.plan.wait(&self.store)?)
    }

    /// Whether the whole plan is loaded (`ready` would not wait).
    pub fn is_loaded(&self) -> bool {
        self.plan.get().is_some()
    }

    /// The plan as the file holds it, waiting for it if it is still loading. Should its
    /// loading fail, a plan without projects (call `ready` first to get the error).
    pub fn plan(&self) -> &Plan {
        self.ready().unwrap_or_else(|_| self.plan.skeleton())
    }

    /// The plan-wide facts (title, city, period), without waiting for the whole plan.
    pub fn info(&self) -> &crate::model::PlanInfo {
        match (self.plan.get(), self.plan.outline()) {
            (None, Some(outline)) => &outline.info,
            _ => &self.plan().info,
        }
    }

    /// The plan's outline (what the tree shows), without waiting for the whole plan.
    pub fn plan_outline(&self) -> std::borrow::Cow<'_, PlanOutline> {
        match (self.plan.get(), self.plan.outline()) {
            (None, Some(outline)) => std::borrow::Cow::Borrowed(outline),
            _ => std::borrow::Cow::Owned(PlanOutline::of(self.plan())),
        }
    }

    /// One project as the file holds it: from the whole plan when it is loaded, else read
    /// alone from the file (the project sheet while the plan loads).
    pub fn project_now(&self, id: &str) -> Result<std::borrow::Cow<'_, Project>> {
        if self.plan.get().is_some() {
            return Ok(std::borrow::Cow::Borrowed(self.project(id)?));
        }
        self.store
            .load_project(id)?
            .map(std::borrow::Cow::Owned)
            .ok_or_else(|| not_found(id))
    }

    /// Roll-up definitions of the plan, without waiting for the whole plan when it is loading.
    pub fn rollup_definitions(&self) -> Result<Vec<crate::model::Rollup>> {
        match self.plan.get() {
            Some(plan) => Ok(plan.rollups.clone()),
            None => Ok(self.store.rollups()?),
        }
    }

    /// The store to read.
    pub(super) fn store(&self) -> &Store {
        &self.store
    }

    /// The store to write: once the whole plan is loaded, so that no write happens while it
    /// is read, and the plan kept here can follow the write.
    pub(super) fn store_mut(&mut self) -> Result<&mut Store> {
        self.ready()?;
        Ok(&mut self.store)
    }

    /// The whole plan to change (after a write), loaded first if need be.
    pub(super) fn plan_mut(&mut self) -> Result<&mut Plan> {
        self.ready()?;
        self.plan
            .get_mut()
            .ok_or_else(|| super::WorkspaceError::NotFound("計画を読み込めませんでした。".into()))
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
        self.ready()?
            .projects
            .iter()
            .find(|p| p.id == id)
            .ok_or_else(|| not_found(id))
    }

    /// Whether this workspace may change the project: a department only its own, as the
    /// office's merge allows (`merge::scope`): owned or co-owned by its unit or a unit below it
    /// (a 部 reviewing its 課's projects).
    pub fn editable(&self, p: &Project) -> bool {
        self.may_edit(&p.owners)
    }

    /// Whether this workspace may change a project of these owners (see `editable`).
    pub fn may_edit(&self, owners: &[Owner]) -> bool {
        match &self.mode {
            Mode::Office => true,
            Mode::Department { unit_id, .. } => owners
                .iter()
                .any(|o| &o.unit_id == unit_id || self.is_below(&o.unit_id, unit_id)),
        }
    }

    /// Whether unit `id` sits below unit `top` (部 > 室 > 課) in the plan's organisation.
    fn is_below(&self, id: &str, top: &str) -> bool {
        let mut at = id;
        // a chain longer than the plan's units is a loop: stop
        let units = match self.plan.outline() {
            Some(outline) => &outline.org_units,
            None => &self.plan().org_units,
        };
        for _ in 0..=units.len() {
            let Some(parent) = units
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
        let plan = self.store.load_plan()?;
        self.plan.replace(plan);
        self.recode();
        Ok(())
    }

    fn recode(&mut self) {
        self.codes = plan_codes(self.plan())
            .into_iter()
            .map(|(k, v)| (k.to_string(), v))
            .collect();
    }

    /// Replaces the cached copy of one project by what the file now holds. True when its place
    /// in the tree (measures, position) changed, so display codes were recomputed.
    pub(super) fn refresh_project(&mut self, id: &str) -> Result<bool> {
        let fresh = self.store.load_project(id)?;
        let plan = self.plan_mut()?;
        let idx = plan.projects.iter().position(|p| p.id == id);
        let structural = match (&fresh, idx) {
            (Some(f), Some(i)) => {
                let old = &plan.projects[i];
                old.measure_ids != f.measure_ids || old.position != f.position
            }
            _ => true,
        };
        match (fresh, idx) {
            (Some(f), Some(i)) => plan.projects[i] = f,
            (Some(f), None) => plan.projects.push(f),
            (None, Some(i)) => {
                plan.projects.remove(i);
            }
            (None, None) => {}
        }
        if structural {
            plan.sort_canonical();
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

fn not_found(id: &str) -> super::WorkspaceError {
    super::WorkspaceError::NotFound(format!("事業が見つかりません（ID {id}）。"))
}
