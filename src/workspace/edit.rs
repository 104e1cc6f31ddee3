//! Edits made on the screen: a project saved as a whole, a new project, a new unit. Each is one
//! transaction of the change log.

use super::{Mode, Result, Workspace, WorkspaceError};
use crate::model::{new_id, OrgUnit, Project};
use crate::store::{OpInfo, OpKind};

/// What a saved edit changed.
#[derive(Debug, Clone)]
pub struct Saved {
    /// The field paths written (`texts.summary`, `indicator/{id}/{fy}/target`, …).
    pub changed: Vec<String>,
    /// The project moved in the tree (measures, position): display codes were recomputed.
    pub structural: bool,
}

impl Workspace {
    /// Saves one project as one transaction (a local edit). Refused when the file's revision is
    /// no longer `expected_revision` (someone else saved since), and in a department's working
    /// copy for a project the department does not own, or one it would no longer own.
    pub fn save_project(&mut self, project: Project, expected_revision: i64) -> Result<Saved> {
        let current = self.project(&project.id)?;
        if !self.editable(current) {
            return Err(WorkspaceError::ReadOnly(format!(
                "事業「{}」はこの課の担当ではないため編集できません。",
                current.title
            )));
        }
        // the edited project must stay this department's (a 部: its own or its 課's)
        if !self.editable(&project) {
            return Err(WorkspaceError::Invalid(
                "自課を担当から外すことはできません（提出できなくなります）。".into(),
            ));
        }
        if self.revision(&project.id)? != expected_revision {
            return Err(WorkspaceError::Stale);
        }
        let mut op = OpInfo::new(OpKind::LocalEdit).source("dxplan-app");
        if let Mode::Department { unit_name, .. } = &self.mode {
            op.department = unit_name.clone();
        }
        op.summary = format!("事業「{}」を編集", project.title);
        let changes = self.store_mut()?.write(op, |w| w.save_project(&project))?;
        let structural = self.refresh_project(&project.id)?;
        Ok(Saved {
            changed: changes.into_iter().map(|c| c.field).collect(),
            structural,
        })
    }

    /// A new, empty project at the end of a measure (the office's plan only). Returns its id.
    pub fn create_project(&mut self, measure_id: &str, title: &str) -> Result<String> {
        if self.mode != Mode::Office {
            return Err(WorkspaceError::ReadOnly(
                "事業の追加は 事務局（DX推進担当）の計画でのみ行えます。".into(),
            ));
        }
        if !self.plan().measures.iter().any(|m| m.id == measure_id) {
            return Err(WorkspaceError::NotFound("施策が見つかりません。".into()));
        }
        let title = title.trim();
        if title.is_empty() {
            return Err(WorkspaceError::Invalid("事業名を入力してください。".into()));
        }
        let mut p = Project::new(measure_id, title);
        p.position = self
            .plan()
            .projects
            .iter()
            .filter(|q| q.measure_ids.first().map(String::as_str) == Some(measure_id))
            .map(|q| q.position)
            .max()
            .unwrap_or(0)
            + 1;
        let mut op = OpInfo::new(OpKind::LocalEdit).source("dxplan-app");
        op.summary = format!("事業「{title}」を追加");
        self.store_mut()?
            .write(op, |w| w.save_project(&p).map(|_| ()))?;
        self.refresh_project(&p.id)?;
        Ok(p.id)
    }

    /// Makes an indicator the roll-up (sum) of others, in one transaction.
    pub fn set_rollup(&mut self, indicator_id: &str, components: &[String]) -> Result<()> {
        self.office_only("集計指標の設定")?;
        self.store_mut()?
            .write(OpInfo::new(OpKind::Rollup).source("dxplan-app"), |w| {
                w.set_rollup(indicator_id, components)
            })?;
        self.reload()
    }

    /// A new organisation unit (for owners not yet in the plan); the unit of that name when
    /// there is one.
    pub fn add_org_unit(&mut self, name: &str) -> Result<OrgUnit> {
        let name = name.trim();
        if name.is_empty() {
            return Err(WorkspaceError::Invalid("課名を入力してください。".into()));
        }
        if let Some(u) = self.plan().org_units.iter().find(|u| u.name == name) {
            return Ok(u.clone());
        }
        let u = OrgUnit {
            id: new_id(),
            name: name.to_string(),
            parent_id: None,
            valid_from_fy: None,
            valid_to_fy: None,
        };
        let mut op = OpInfo::new(OpKind::LocalEdit).source("dxplan-app");
        op.summary = format!("組織「{name}」を追加");
        self.store_mut()?.write(op, |w| w.put_org_unit(&u))?;
        self.plan_mut()?.org_units.push(u.clone());
        Ok(u)
    }
}
