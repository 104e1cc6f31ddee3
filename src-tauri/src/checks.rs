//! 点検 (the plan's lints, `dxplan check`) for the screen: each finding with the field it is
//! about, so the screen can open the project at that cell.

use serde::{Deserialize, Serialize};
use specta::Type;
use tauri::State;

use crate::error::AppError;
use crate::state::AppState;

#[derive(Debug, Clone, Serialize, Deserialize, Type)]
pub struct CheckDto {
    pub project_id: String,
    pub project_code: String,
    pub project_title: String,
    /// `report::lints::LintKind` in snake_case.
    pub kind: String,
    /// Japanese.
    pub message: String,
    /// The field path (`budget/2024/planned`, `indicator/<id>/2025/target`, `owners`); empty
    /// when the finding is about the project as a whole.
    pub field: String,
}

#[tauri::command]
#[specta::specta]
pub async fn check_plan(state: State<'_, AppState>) -> Result<Vec<CheckDto>, AppError> {
    state.with(|s| {
        Ok(dxplan::report::lints::check(&s.plan)
            .into_iter()
            .map(|l| CheckDto {
                project_id: l.project_id,
                project_code: l.project_code,
                project_title: l.project_title,
                kind: serde_json::to_value(l.kind)
                    .ok()
                    .and_then(|v| v.as_str().map(str::to_string))
                    .unwrap_or_default(),
                message: crate::error::japanese_part(&l.message),
                field: l.field,
            })
            .collect())
    })
}
