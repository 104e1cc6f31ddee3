//! 点検 (the plan's lints, `dxplan check`) for the screen: each finding (the core's `Lint`)
//! with the field it is about, so the screen can open the project at that cell.

use dxplan::report::lints::Lint;
use tauri::State;

use crate::error::AppError;
use crate::state::AppState;

#[tauri::command]
#[specta::specta]
pub async fn check_plan(state: State<'_, AppState>) -> Result<Vec<Lint>, AppError> {
    state.with(|s| {
        Ok(dxplan::report::lints::check(s.plan())
            .into_iter()
            .map(|l| Lint {
                message: crate::error::japanese_part(&l.message),
                ..l
            })
            .collect())
    })
}
