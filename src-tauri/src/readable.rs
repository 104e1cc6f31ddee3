//! The change log as people read it (issue 14): field names and values in words, 千円 with
//! separators, tasks as 「2023〜2024年度」, never JSON or ids (`report::history_text`).

use serde::{Deserialize, Serialize};
use specta::Type;
use specta_typescript::Number;
use tauri::State;

use crate::error::AppError;
use crate::state::AppState;

#[derive(Debug, Clone, Serialize, Deserialize, Type)]
pub struct HistoryEntryView {
    #[specta(type = Number)]
    pub id: i64,
    #[specta(type = Number)]
    pub op_id: i64,
    pub at: String,
    pub kind: dxplan::workspace::OpKind,
    pub source: String,
    pub department: String,
    pub project_id: Option<String>,
    pub project_code: Option<String>,
    pub project_title: Option<String>,
    /// The field path (kept for links, never shown).
    pub field: String,
    /// 「2024年度 事業費（千円）」.
    pub label: String,
    pub old: String,
    pub new: String,
}

#[tauri::command]
#[specta::specta]
pub async fn history_view(
    state: State<'_, AppState>,
    project_id: Option<String>,
    limit: u32,
) -> Result<Vec<HistoryEntryView>, AppError> {
    state.with(|s| {
        let entries = s.history(project_id.as_deref())?;
        Ok(entries
            .into_iter()
            .take(limit as usize)
            .map(|e| {
                let project = e
                    .project_id
                    .as_deref()
                    .and_then(|id| s.plan().projects.iter().find(|p| p.id == id));
                let r = dxplan::report::history_text::readable(
                    s.plan(),
                    project,
                    &e.field,
                    e.old_value.as_ref(),
                    e.new_value.as_ref(),
                );
                // a deleted project: its title is in the entry that deleted it
                let deleted_title = (e.field == "(deleted)").then(|| r.old.clone());
                HistoryEntryView {
                    id: e.id,
                    op_id: e.op_id,
                    at: e.at,
                    kind: e.kind,
                    source: e.source,
                    department: e.department,
                    project_code: e
                        .project_id
                        .as_deref()
                        .map(|id| s.code(id))
                        .filter(|c| !c.is_empty()),
                    project_title: project.map(|p| p.title.clone()).or(deleted_title),
                    project_id: e.project_id,
                    field: e.field,
                    label: r.label,
                    old: r.old,
                    new: r.new,
                }
            })
            .collect())
    })
}
