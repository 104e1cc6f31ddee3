//! The plan's outline from the tree: policies, measures and projects added, renamed, deleted
//! and moved (`dxplan::structure`; a move renumbers, so display codes follow). Office only.

use serde::{Deserialize, Serialize};
use specta::Type;
use tauri::State;

use crate::dto::PlanTree;
use crate::error::AppError;
use crate::state::{AppState, Mode, Session};
use crate::views;

type R<T> = Result<T, AppError>;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Type)]
#[serde(rename_all = "snake_case")]
pub enum OutlineKind {
    Policy,
    Measure,
    Project,
}

pub(crate) fn structure_err(e: dxplan::structure::StructureError) -> AppError {
    use dxplan::structure::StructureError as E;
    match e {
        E::Store(s) => s.into(),
        E::NotFound { .. } => {
            AppError::new("not_found", crate::error::japanese_part(&e.to_string()))
        }
        other => AppError::invalid(crate::error::japanese_part(&other.to_string())),
    }
}

/// Runs an outline change on the office's plan, then reloads it (codes change).
fn change(
    state: &AppState,
    f: impl FnOnce(&mut Session) -> Result<(), dxplan::structure::StructureError>,
) -> R<PlanTree> {
    state.with(|s| {
        if s.mode != Mode::Office {
            return Err(AppError::new(
                "read_only",
                "基本方針・施策・事業の追加や削除、並べ替えは事務局（DX推進担当）の計画で行います。",
            ));
        }
        f(s).map_err(structure_err)?;
        s.reload()?;
        Ok(views::plan_tree(s))
    })
}

#[tauri::command]
#[specta::specta]
pub async fn add_policy(state: State<'_, AppState>, title: String) -> R<PlanTree> {
    change(&state, |s| {
        dxplan::structure::add_policy(&mut s.store, &title).map(|_| ())
    })
}

#[tauri::command]
#[specta::specta]
pub async fn add_measure(
    state: State<'_, AppState>,
    policy_id: String,
    title: String,
) -> R<PlanTree> {
    change(&state, |s| {
        dxplan::structure::add_measure(&mut s.store, &policy_id, &title).map(|_| ())
    })
}

#[tauri::command]
#[specta::specta]
pub async fn rename_outline_item(
    state: State<'_, AppState>,
    kind: OutlineKind,
    id: String,
    title: String,
) -> R<PlanTree> {
    change(&state, |s| match kind {
        OutlineKind::Policy => dxplan::structure::rename_policy(&mut s.store, &id, &title),
        OutlineKind::Measure => dxplan::structure::rename_measure(&mut s.store, &id, &title),
        OutlineKind::Project => Err(dxplan::structure::StructureError::NotFound {
            what: "基本方針・施策",
            what_en: "policy or measure",
            id: id.clone(),
        }),
    })
}

/// Deletes a project (kept whole in the history), or an empty measure or policy.
#[tauri::command]
#[specta::specta]
pub async fn delete_outline_item(
    state: State<'_, AppState>,
    kind: OutlineKind,
    id: String,
) -> R<PlanTree> {
    change(&state, |s| match kind {
        OutlineKind::Policy => dxplan::structure::delete_policy(&mut s.store, &id),
        OutlineKind::Measure => dxplan::structure::delete_measure(&mut s.store, &id),
        OutlineKind::Project => dxplan::structure::delete_project(&mut s.store, &id).map(|_| ()),
    })
}

/// Moves an item `delta` places among its siblings (−1 up, +1 down) and renumbers them.
#[tauri::command]
#[specta::specta]
pub async fn move_outline_item(
    state: State<'_, AppState>,
    kind: OutlineKind,
    id: String,
    delta: i32,
) -> R<PlanTree> {
    let kind = match kind {
        OutlineKind::Policy => dxplan::structure::ItemKind::Policy,
        OutlineKind::Measure => dxplan::structure::ItemKind::Measure,
        OutlineKind::Project => dxplan::structure::ItemKind::Project,
    };
    change(&state, |s| {
        dxplan::structure::move_item(&mut s.store, kind, &id, delta)
    })
}

/// Moves a 施策 (with its projects) to the end of another 基本方針; codes follow.
#[tauri::command]
#[specta::specta]
pub async fn move_measure_to_policy(
    state: State<'_, AppState>,
    measure_id: String,
    policy_id: String,
) -> R<PlanTree> {
    change(&state, |s| {
        dxplan::structure::move_measure_to_policy(&mut s.store, &measure_id, &policy_id)
    })
}

/// Files the selected projects under another 施策, after its projects, in the order given.
#[tauri::command]
#[specta::specta]
pub async fn move_projects_to_measure(
    state: State<'_, AppState>,
    project_ids: Vec<String>,
    measure_id: String,
) -> R<PlanTree> {
    change(&state, |s| {
        dxplan::structure::move_projects_to_measure(&mut s.store, &project_ids, &measure_id)
            .map(|_| ())
    })
}
