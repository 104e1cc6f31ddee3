//! The plan of a `Workspace`, whole or still loading. `Workspace::open_outline_first` reads the
//! outline (what the tree shows) and leaves the whole plan to a thread of its own, on a
//! read-only connection of its own, in one read transaction. Whatever needs the whole plan
//! waits for that thread (`PlanSlot::wait`); every write does (`Workspace::store_mut`), so no
//! write can happen while the load reads: the loaded plan is never older than the file as
//! this workspace wrote it.

use std::sync::mpsc::Receiver;
use std::sync::{Mutex, OnceLock};
use std::thread::JoinHandle;

use crate::model::{Measure, OrgUnit, Plan, PlanInfo, PlanOutline, Policy};
use crate::store::{self, Store};

/// The load running on its thread, and how to stop it.
struct Background {
    thread: JoinHandle<store::Result<Plan>>,
    interrupt: rusqlite::InterruptHandle,
}

impl Background {
    /// Starts reading the whole plan on a connection of its own (once `gate` opens, when
    /// given: tests hold the load back to act while it is pending).
    fn start(store: &Store, gate: Option<Receiver<()>>) -> store::Result<Background> {
        let mut reader = store.reader()?;
        let interrupt = reader.interrupt_handle();
        let thread = std::thread::Builder::new()
            .name("dxplan-load-plan".into())
            .spawn(move || {
                behind_the_window();
                if let Some(gate) = gate {
                    let _ = gate.recv();
                }
                reader.load_plan_snapshot()
            })
            .map_err(|source| store::StoreError::Io {
                path: store.path().to_path_buf(),
                source,
            })?;
        Ok(Background { thread, interrupt })
    }

    /// Waits for the load; None when it failed (or panicked).
    fn join(self) -> Option<Plan> {
        self.thread.join().ok().and_then(Result::ok)
    }

    /// Stops the load and waits for its thread (it holds a connection to the file). An
    /// interrupt stops the statement running, if one is: repeated until the thread ends.
    fn cancel(self) {
        while !self.thread.is_finished() {
            self.interrupt.interrupt();
            std::thread::sleep(std::time::Duration::from_millis(1));
        }
        let _ = self.thread.join();
    }
}

/// The load runs while the window's web view starts, which the user waits for and it does not:
/// on Linux (where the nice value is the thread's) its thread yields to it on a busy machine
/// (nice +10). A command that needs the whole plan before it is loaded waits for it at that
/// priority (on an idle machine it makes no difference). Elsewhere the thread keeps the
/// process's priority.
fn behind_the_window() {
    #[cfg(target_os = "linux")]
    // SAFETY: setpriority reads its three integer arguments only; who = 0 is this thread.
    unsafe {
        let _ = libc::setpriority(libc::PRIO_PROCESS, 0, 10);
    }
}

/// The whole plan once loaded; the outline until then.
pub(super) struct PlanSlot {
    whole: OnceLock<Plan>,
    background: Mutex<Option<Background>>,
    /// Read at open when the whole plan was left to the background; None otherwise.
    outline: Option<PlanOutline>,
    /// What `Workspace::plan` shows if the whole plan cannot be read: the plan-wide facts,
    /// units, policies and measures, no project (`ready` gives the error).
    skeleton: Plan,
}

/// `plan` without its projects and roll-ups.
fn skeleton(info: &PlanInfo, units: &[OrgUnit], policies: &[Policy], measures: &[Measure]) -> Plan {
    Plan {
        info: info.clone(),
        org_units: units.to_vec(),
        policies: policies.to_vec(),
        measures: measures.to_vec(),
        projects: Vec::new(),
        rollups: Vec::new(),
    }
}

impl PlanSlot {
    /// A slot holding the whole plan.
    pub(super) fn whole(plan: Plan) -> PlanSlot {
        PlanSlot {
            skeleton: skeleton(&plan.info, &plan.org_units, &plan.policies, &plan.measures),
            whole: OnceLock::from(plan),
            background: Mutex::new(None),
            outline: None,
        }
    }

    /// A slot holding `outline`, the whole plan being read from `store`'s file on a thread.
    pub(super) fn loading(
        store: &Store,
        outline: PlanOutline,
        gate: Option<Receiver<()>>,
    ) -> store::Result<PlanSlot> {
        let background = Background::start(store, gate)?;
        Ok(PlanSlot {
            skeleton: skeleton(
                &outline.info,
                &outline.org_units,
                &outline.policies,
                &outline.measures,
            ),
            whole: OnceLock::new(),
            background: Mutex::new(Some(background)),
            outline: Some(outline),
        })
    }

    /// The whole plan if it is loaded, without waiting.
    pub(super) fn get(&self) -> Option<&Plan> {
        self.whole.get()
    }

    /// The outline read at open, while the whole plan is not loaded.
    pub(super) fn outline(&self) -> Option<&PlanOutline> {
        match self.whole.get() {
            Some(_) => None,
            None => self.outline.as_ref(),
        }
    }

    /// The whole plan, waiting for the background load. If that load failed, the plan is
    /// read again on `store`'s own connection, whose error is the answer if it fails too.
    pub(super) fn wait(&self, store: &Store) -> store::Result<&Plan> {
        if let Some(plan) = self.whole.get() {
            return Ok(plan);
        }
        let mut background = self.background.lock().unwrap_or_else(|p| p.into_inner());
        if self.whole.get().is_none() {
            let plan = match background.take().and_then(Background::join) {
                Some(plan) => plan,
                None => store.load_plan()?,
            };
            let _ = self.whole.set(plan);
        }
        drop(background);
        self.whole
            .get()
            .ok_or_else(|| store::StoreError::Corrupt("計画を読み込めませんでした".into()))
    }

    /// What to show when the whole plan cannot be read (see `skeleton`).
    pub(super) fn skeleton(&self) -> &Plan {
        &self.skeleton
    }

    /// The whole plan to change, once `wait` has loaded it (the outline is let go then).
    pub(super) fn get_mut(&mut self) -> Option<&mut Plan> {
        let plan = self.whole.get_mut()?;
        self.outline = None;
        Some(plan)
    }

    /// Replaces the plan by one read again from the file (a pending load is stopped).
    pub(super) fn replace(&mut self, plan: Plan) {
        self.stop();
        self.skeleton = skeleton(&plan.info, &plan.org_units, &plan.policies, &plan.measures);
        self.whole = OnceLock::from(plan);
        self.outline = None;
    }

    fn stop(&mut self) {
        let background = self
            .background
            .get_mut()
            .unwrap_or_else(|p| p.into_inner())
            .take();
        if let Some(b) = background {
            b.cancel();
        }
    }
}

impl Drop for PlanSlot {
    fn drop(&mut self) {
        self.stop();
    }
}

#[cfg(test)]
mod tests {
    use std::path::{Path, PathBuf};
    use std::sync::mpsc::channel;

    use super::super::{Mode, Workspace};
    use crate::model::PlanOutline;
    use crate::store::{OpInfo, OpKind, Store};

    fn generated(dir: &Path, projects: usize) -> PathBuf {
        let plan = crate::generate::generate(projects, 23);
        let path = dir.join("generated.dxplan");
        let mut store = Store::create(&path, &plan.info).unwrap();
        store
            .write(OpInfo::new(OpKind::Generate), |w| w.put_contents(&plan))
            .unwrap();
        path
    }

    #[test]
    fn edits_made_while_the_plan_loads_wait_for_it_and_are_all_kept() {
        let dir = tempfile::tempdir().unwrap();
        let path = generated(dir.path(), 200);
        let (open_gate, gate) = channel();
        let mut ws = Workspace::open_gated(&path, Mode::Office, Some(gate)).unwrap();
        // the load has not begun: the tree and a project sheet come from the file
        assert!(!ws.is_loaded());
        let outline = ws.plan_outline().into_owned();
        assert_eq!(outline.projects.len(), 200);
        let id = outline.projects[7].id.clone();
        let mut p = ws.project_now(&id).unwrap().into_owned();
        assert!(!ws.is_loaded());
        let rev = ws.revision(&id).unwrap();

        // the edit waits for the load, which begins a moment later
        let opener = std::thread::spawn(move || {
            std::thread::sleep(std::time::Duration::from_millis(50));
            open_gate.send(()).unwrap();
        });
        p.texts.summary = "読み込み中に直した概要".into();
        let saved = ws.save_project(p.clone(), rev).unwrap();
        opener.join().unwrap();
        assert_eq!(saved.changed, vec!["texts.summary".to_string()]);
        assert!(ws.is_loaded());
        assert_eq!(ws.plan().projects.len(), 200);
        assert_eq!(ws.project(&id).unwrap(), &p);
        assert_eq!(ws.revision(&id).unwrap(), rev + 1);
        let measure = outline.measures[0].id.clone();
        let added = ws.create_project(&measure, "読み込み後に追加").unwrap();
        assert_eq!(ws.plan().projects.len(), 201);
        // the tree now comes from the whole plan, edits included
        let tree = ws.plan_outline().into_owned();
        assert!(tree.projects.iter().any(|q| q.id == added));
        drop(ws);

        // the file holds both, and the plan kept in memory was the file's
        let again = Workspace::open(&path, Mode::Office).unwrap();
        assert_eq!(again.project(&id).unwrap().texts.summary, p.texts.summary);
        assert!(again.project(&added).is_ok());
        assert_eq!(PlanOutline::of(again.plan()), tree);
    }

    #[test]
    fn the_tree_while_loading_is_the_tree_once_loaded() {
        let dir = tempfile::tempdir().unwrap();
        let path = generated(dir.path(), 120);
        let (open_gate, gate) = channel();
        let ws = Workspace::open_gated(&path, Mode::Office, Some(gate)).unwrap();
        let before = ws.plan_outline().into_owned();
        let codes: Vec<String> = before.projects.iter().map(|p| ws.code(&p.id)).collect();
        assert!(!ws.is_loaded());
        open_gate.send(()).unwrap();
        let whole = ws.ready().unwrap().clone();
        assert_eq!(PlanOutline::of(&whole), before);
        assert_eq!(whole, Store::open(&path).unwrap().load_plan().unwrap());
        let after: Vec<String> = whole.projects.iter().map(|p| ws.code(&p.id)).collect();
        assert_eq!(codes, after);
    }

    #[test]
    fn a_plan_whose_sheets_cannot_be_read_shows_its_tree_and_refuses_edits() {
        let dir = tempfile::tempdir().unwrap();
        let path = generated(dir.path(), 30);
        let store = Store::open(&path).unwrap();
        let broken = store
            .connection()
            .execute(
                "UPDATE task SET phases_json = 'not json' WHERE rowid = (SELECT MIN(rowid) FROM task)",
                [],
            )
            .unwrap();
        assert_eq!(broken, 1);
        drop(store);
        assert!(Workspace::open(&path, Mode::Office).is_err());

        let mut ws = Workspace::open_outline_first(&path, Mode::Office).unwrap();
        assert_eq!(ws.plan_outline().projects.len(), 30);
        let err = ws.ready().map(|_| ()).unwrap_err();
        assert_eq!(err.code(), super::super::ErrorCode::Invalid);
        // nothing is written on a plan that could not be read whole
        let id = ws.plan_outline().projects[0].id.clone();
        let p = ws.project_now(&id).map(|p| p.into_owned());
        if let Ok(p) = p {
            assert!(ws.save_project(p, 0).is_err());
        }
        assert!(ws.add_org_unit("新しい課").is_err());
        assert!(ws.plan().projects.is_empty());
        assert_eq!(ws.plan().info, ws.plan_outline().info);
    }

    #[test]
    fn a_workspace_closed_while_its_plan_loads_lets_the_file_go() {
        let dir = tempfile::tempdir().unwrap();
        let path = generated(dir.path(), 300);
        let ws = Workspace::open_outline_first(&path, Mode::Office).unwrap();
        drop(ws);
        crate::store::remove_plan_file(&path);
        assert!(!path.exists());
    }
}
