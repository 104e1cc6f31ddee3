//! The plan's outline changed from the app's tree: policies, measures and projects added,
//! renamed, deleted and moved (`structure`; a move renumbers, so display codes follow). The
//! office's plan only; the plan is read again after each change.

use super::{Result, Workspace};
use crate::store::Store;
use crate::structure::{self, StructureError};

pub use crate::structure::ItemKind as OutlineItem;

impl Workspace {
    /// Adds a 基本方針 at the end of the plan.
    pub fn add_policy(&mut self, title: &str) -> Result<()> {
        self.outline(|s| structure::add_policy(s, title).map(|_| ()))
    }

    /// Adds a 施策 at the end of a 基本方針.
    pub fn add_measure(&mut self, policy_id: &str, title: &str) -> Result<()> {
        self.outline(|s| structure::add_measure(s, policy_id, title).map(|_| ()))
    }

    /// Renames a 基本方針 or a 施策 (a project's title is edited on its sheet).
    pub fn rename_outline_item(&mut self, kind: OutlineItem, id: &str, title: &str) -> Result<()> {
        self.outline(|s| match kind {
            OutlineItem::Policy => structure::rename_policy(s, id, title),
            OutlineItem::Measure => structure::rename_measure(s, id, title),
            OutlineItem::Project => Err(StructureError::NotFound {
                what: "基本方針・施策",
                what_en: "policy or measure",
                id: id.to_string(),
            }),
        })
    }

    /// Deletes a project (kept whole in the history), or an empty measure or policy.
    pub fn delete_outline_item(&mut self, kind: OutlineItem, id: &str) -> Result<()> {
        self.outline(|s| match kind {
            OutlineItem::Policy => structure::delete_policy(s, id),
            OutlineItem::Measure => structure::delete_measure(s, id),
            OutlineItem::Project => structure::delete_project(s, id).map(|_| ()),
        })
    }

    /// Moves an item `delta` places among its siblings (−1 up, +1 down) and renumbers them.
    pub fn move_outline_item(&mut self, kind: OutlineItem, id: &str, delta: i32) -> Result<()> {
        self.outline(|s| structure::move_item(s, kind, id, delta))
    }

    /// Moves a 施策 (with its projects) to the end of another 基本方針.
    pub fn move_measure_to_policy(&mut self, measure_id: &str, policy_id: &str) -> Result<()> {
        self.outline(|s| structure::move_measure_to_policy(s, measure_id, policy_id))
    }

    /// Files projects under another 施策, after its projects, in the order given.
    pub fn move_projects_to_measure(
        &mut self,
        project_ids: &[String],
        measure_id: &str,
    ) -> Result<()> {
        self.outline(|s| {
            structure::move_projects_to_measure(s, project_ids, measure_id).map(|_| ())
        })
    }

    fn outline(
        &mut self,
        change: impl FnOnce(&mut Store) -> std::result::Result<(), StructureError>,
    ) -> Result<()> {
        self.office_only("基本方針・施策・事業の追加や削除、並べ替え")?;
        change(self.store_mut()?)?;
        self.reload()
    }
}
