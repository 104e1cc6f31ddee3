//! 部 review in the app (issue 15): a 部's workbook opened as a working copy takes in the
//! answers of the 課 under it (`Workspace::gather_answers`, the merge's own rules), previewed
//! first; the 部 then reviews and writes one submission like any department
//! (`submission::write_answer`). The answer files come from `pick_files`.

use tauri::State;

use crate::error::AppError;
use crate::files::{FileHandle, Purpose};
use crate::office::{merge_view, MergeReportDto};
use crate::state::AppState;

type R<T> = Result<T, AppError>;

/// The 課 whose answers the open working copy gathers (a 部's workbook); empty otherwise.
#[tauri::command]
#[specta::specta]
pub async fn review_members(state: State<'_, AppState>) -> R<Vec<String>> {
    state.with(|s| Ok(s.review_members()?))
}

fn gather(state: &AppState, files: &[FileHandle], dry_run: bool) -> R<MergeReportDto> {
    let paths = state.files.take_all(files, &[Purpose::Submission])?;
    state.with(|s| {
        let r = s.gather_answers(&paths, dry_run)?;
        Ok(merge_view(s, r))
    })
}

/// What taking these 課 answers into the 部's working copy would change (nothing written).
#[tauri::command]
#[specta::specta]
pub async fn gather_preview(
    state: State<'_, AppState>,
    files: Vec<FileHandle>,
) -> R<MergeReportDto> {
    gather(&state, &files, true)
}

/// Takes the 課 answers into the 部's working copy (one transaction).
#[tauri::command]
#[specta::specta]
pub async fn gather_apply(state: State<'_, AppState>, files: Vec<FileHandle>) -> R<MergeReportDto> {
    gather(&state, &files, false)
}
