//! 課モード's answer with its cover (issue 14): 記入者, 連絡先 and 事務局への連絡事項 written
//! into the submission's cover (read back by the office's merge), remembered for the next
//! answer; and the office's list of merged submissions with what their covers said.

use serde::{Deserialize, Serialize};
use specta::Type;
use specta_typescript::Number;
use tauri::State;

use crate::dto::CoverForm;
use crate::error::AppError;
use crate::files::{FileHandle, Purpose};
use crate::office::ExportResult;
use crate::plans::Prefs;
use crate::state::AppState;

type R<T> = Result<T, AppError>;

/// 記入者 and 連絡先 of the last answer written on this computer (連絡事項 is per answer).
#[tauri::command]
#[specta::specta]
pub async fn last_cover(state: State<'_, AppState>) -> R<CoverForm> {
    Ok(Prefs::load(&state.data_dir()?).cover.unwrap_or_default())
}

/// Department mode: writes the submission where the save dialog said, with the cover filled
/// in.
#[tauri::command]
#[specta::specta]
pub async fn write_answer(
    state: State<'_, AppState>,
    file: FileHandle,
    cover: CoverForm,
) -> R<ExportResult> {
    // Checked before the handle is taken: a refused cover keeps the save dialog's choice.
    let answer =
        dxplan::workspace::checked_cover(&cover.respondent, &cover.contact, &cover.remarks)?;
    let path = state.files.take(&file, Purpose::SaveWorkbook)?;
    let cover = CoverForm {
        respondent: answer.respondent.clone(),
        contact: answer.contact.clone(),
        remarks: String::new(),
    };
    // The workspace refuses it outside a department's working copy.
    let result =
        state.with(|s| Ok(ExportResult::from(s.write_submission(&path, Some(answer))?)))?;
    let dir = state.data_dir()?;
    let mut prefs = Prefs::load(&dir);
    prefs.cover = Some(cover);
    prefs.save(&dir)?;
    Ok(result)
}

#[derive(Debug, Clone, Serialize, Deserialize, Type)]
pub struct SubmissionView {
    #[specta(type = Number)]
    pub id: i64,
    pub department: String,
    pub file: String,
    pub exported_at: String,
    pub merged_at: String,
    pub undone: bool,
    pub open_conflicts: u32,
    pub respondent: String,
    pub contact: String,
    pub remarks: String,
}

/// Merged submissions, newest first, with their covers.
#[tauri::command]
#[specta::specta]
pub async fn submissions_view(state: State<'_, AppState>) -> R<Vec<SubmissionView>> {
    state.with(|s| {
        let open = s.conflicts(true)?;
        let mut out: Vec<SubmissionView> = s
            .submissions()?
            .into_iter()
            .map(|r| SubmissionView {
                open_conflicts: open.iter().filter(|c| c.submission_id == r.id).count() as u32,
                id: r.id,
                department: r.department,
                file: r.file,
                exported_at: r.exported_at,
                merged_at: r.merged_at,
                undone: r.undone,
                respondent: r.respondent,
                contact: r.contact,
                remarks: r.remarks,
            })
            .collect();
        out.sort_by_key(|r| std::cmp::Reverse(r.id));
        Ok(out)
    })
}
