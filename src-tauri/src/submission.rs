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
use crate::state::{AppState, Mode};

type R<T> = Result<T, AppError>;

fn check_lengths(c: &CoverForm) -> R<()> {
    for (key, label, v) in [
        ("respondent", "記入者", &c.respondent),
        ("contact", "連絡先", &c.contact),
        ("remarks", "連絡事項", &c.remarks),
    ] {
        if let Some(max) = dxplan::export::department::cover_max_chars(key) {
            let n = v.chars().count();
            if n > max as usize {
                return Err(AppError::invalid(format!(
                    "{label}は {max} 文字以内で入力してください（{n} 文字）。"
                )));
            }
        }
    }
    Ok(())
}

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
    let cover = CoverForm {
        respondent: cover.respondent.trim().to_string(),
        contact: cover.contact.trim().to_string(),
        remarks: cover.remarks.trim().to_string(),
    };
    check_lengths(&cover)?;
    if cover.respondent.is_empty() {
        return Err(AppError::invalid(
            "記入者（所属・氏名）を入力してください。事務局が問い合わせるときに使います。",
        ));
    }
    let path = state.files.take(&file, Purpose::SaveWorkbook)?;
    let result = state.with(|s| {
        let Mode::Department { workbook, .. } = &s.mode else {
            return Err(AppError::new(
                "read_only",
                "提出用ファイルは課モード（課別ブックを開いた作業用コピー）で書き出します。",
            ));
        };
        // The base is what the department received: read again from that workbook.
        let wb = dxplan::workbook::open(workbook).map_err(dxplan::import::ImportError::from)?;
        let received = dxplan::import::native::read_native(workbook, &wb)?
            .ok_or_else(|| {
                AppError::new(
                    "not_department",
                    "受け取った課別ブックが見つからないか、dxplan の課別ブックではありません。",
                )
            })?
            .meta;
        let opts = dxplan::export::ExportOptions {
            cover_answer: Some(dxplan::export::CoverAnswer {
                respondent: cover.respondent.clone(),
                contact: cover.contact.clone(),
                remarks: cover.remarks.clone(),
            }),
            ..Default::default()
        };
        Ok(ExportResult::from(dxplan::export::export_submission(
            &s.store, &s.plan, &received, &path, &opts,
        )?))
    })?;
    let dir = state.data_dir()?;
    let mut prefs = Prefs::load(&dir);
    prefs.cover = Some(CoverForm {
        remarks: String::new(),
        ..cover
    });
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
        let open = s.store.conflicts(true)?;
        let mut out: Vec<SubmissionView> = s
            .store
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
