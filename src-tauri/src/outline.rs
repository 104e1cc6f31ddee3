//! The plan's outline from the tree: policies, measures and projects added, renamed, deleted
//! and moved (`dxplan::structure`; a move renumbers, so display codes follow). Office only.

use tauri::State;

use crate::dto::PlanTree;
use crate::error::AppError;
use crate::state::{AppState, Session};
use crate::views;
use dxplan::workspace::OutlineItem as OutlineKind;

type R<T> = Result<T, AppError>;

/// Runs an outline change (the workspace refuses it outside the office's plan and reads the
/// plan again), then answers the tree (codes change).
fn change(state: &AppState, f: impl FnOnce(&mut Session) -> R<()>) -> R<PlanTree> {
    state.with(|s| {
        f(s)?;
        Ok(views::plan_tree(s))
    })
}

#[tauri::command]
#[specta::specta]
pub async fn add_policy(state: State<'_, AppState>, title: String) -> R<PlanTree> {
    change(&state, |s| Ok(s.add_policy(&title)?))
}

#[tauri::command]
#[specta::specta]
pub async fn add_measure(
    state: State<'_, AppState>,
    policy_id: String,
    title: String,
) -> R<PlanTree> {
    change(&state, |s| Ok(s.add_measure(&policy_id, &title)?))
}

#[tauri::command]
#[specta::specta]
pub async fn rename_outline_item(
    state: State<'_, AppState>,
    kind: OutlineKind,
    id: String,
    title: String,
) -> R<PlanTree> {
    change(&state, |s| Ok(s.rename_outline_item(kind, &id, &title)?))
}

/// Deletes a project (kept whole in the history), or an empty measure or policy.
#[tauri::command]
#[specta::specta]
pub async fn delete_outline_item(
    state: State<'_, AppState>,
    kind: OutlineKind,
    id: String,
) -> R<PlanTree> {
    change(&state, |s| Ok(s.delete_outline_item(kind, &id)?))
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
    change(&state, |s| Ok(s.move_outline_item(kind, &id, delta)?))
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
        Ok(s.move_measure_to_policy(&measure_id, &policy_id)?)
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
        Ok(s.move_projects_to_measure(&project_ids, &measure_id)?)
    })
}
