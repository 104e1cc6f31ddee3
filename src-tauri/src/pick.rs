//! Native file dialogs, called from Rust (the web side gets no dialog permission at all). What
//! they answer is kept in `files::Files`; the UI gets handles.
//!
//! Debug builds only: `DXPLAN_TEST_PICK` answers the dialog instead of a person, because
//! WebDriver cannot drive native dialogs.
//! - `DXPLAN_TEST_PICK=/path/answers.pick`: the file is read each time a dialog would open;
//!   each non-empty line is one picked path; a missing or empty file means "cancelled".
//! - `DXPLAN_TEST_PICK=/some/file.xlsx` (any other value): that path is always picked
//!   (several paths joined by the OS path-list separator, `:` on Linux, for multi-select).
//!
//! Release builds ignore the variable (`debug_env` is compiled to `None`).

use std::path::PathBuf;

use tauri::AppHandle;
use tauri_plugin_dialog::DialogExt;

use crate::debug_env;
use crate::dto::PickPurpose;
use crate::error::AppError;

pub(crate) fn test_answer() -> Option<Vec<PathBuf>> {
    let v = debug_env("DXPLAN_TEST_PICK")?;
    let p = PathBuf::from(&v);
    if p.extension().is_some_and(|e| e == "pick") {
        let text = std::fs::read_to_string(&p).unwrap_or_default();
        return Some(
            text.lines()
                .map(str::trim)
                .filter(|l| !l.is_empty())
                .map(PathBuf::from)
                .collect(),
        );
    }
    Some(std::env::split_paths(&v).collect())
}

fn title(purpose: PickPurpose) -> &'static str {
    match purpose {
        PickPurpose::Import => "取り込む Excel ファイルを選択",
        PickPurpose::Submission => "統合する提出ファイルを選択",
        PickPurpose::DepartmentWorkbook => "課の作業用ブックを選択",
        PickPurpose::Plan => "計画ファイルを開く",
        PickPurpose::SaveWorkbook => "書き出し先を指定",
        PickPurpose::SavePlan => "計画ファイルの保存先を指定",
        PickPurpose::SaveReport => "報告書（PDF）の保存先を指定",
    }
}

fn filters(purpose: PickPurpose) -> (&'static str, &'static [&'static str]) {
    match purpose {
        PickPurpose::Import => (
            "Excel / ODS ブック・CSV",
            &["xlsx", "xlsm", "xls", "ods", "csv"],
        ),
        PickPurpose::Plan | PickPurpose::SavePlan => ("dxplan 計画ファイル", &["dxplan"]),
        PickPurpose::SaveReport => ("PDF", &["pdf"]),
        PickPurpose::Submission | PickPurpose::DepartmentWorkbook | PickPurpose::SaveWorkbook => {
            ("Excel ブック", &["xlsx"])
        }
    }
}

/// The files picked in an "open" dialog (none when cancelled). The caller keeps them behind
/// handles (`files::Files`); paths never go to the web side.
pub fn open(app: &AppHandle, purpose: PickPurpose) -> Result<Vec<PathBuf>, AppError> {
    if let Some(answer) = test_answer() {
        return Ok(answer);
    }
    let (name, ext) = filters(purpose);
    let b = app
        .dialog()
        .file()
        .set_title(title(purpose))
        .add_filter(name, ext);
    let multi = matches!(purpose, PickPurpose::Import | PickPurpose::Submission);
    let picked = if multi {
        b.blocking_pick_files()
    } else {
        b.blocking_pick_file().map(|f| vec![f])
    };
    let mut out = Vec::new();
    for f in picked.unwrap_or_default() {
        let p = f.into_path().map_err(|e| {
            AppError::new(
                dxplan::workspace::ErrorCode::Io,
                format!("選択したファイルのパスを読めません: {e}"),
            )
        })?;
        out.push(p);
    }
    Ok(out)
}

/// Where to write, from a "save as" dialog (`None` when cancelled).
pub fn save(
    app: &AppHandle,
    purpose: PickPurpose,
    default_name: &str,
) -> Result<Option<PathBuf>, AppError> {
    if let Some(answer) = test_answer() {
        return Ok(answer.into_iter().next());
    }
    let (name, ext) = filters(purpose);
    let picked = app
        .dialog()
        .file()
        .set_title(title(purpose))
        .add_filter(name, ext)
        .set_file_name(default_name)
        .blocking_save_file();
    match picked {
        None => Ok(None),
        Some(f) => {
            let mut p = f.into_path().map_err(|e| {
                AppError::new(
                    dxplan::workspace::ErrorCode::Io,
                    format!("保存先のパスを読めません: {e}"),
                )
            })?;
            if p.extension().is_none() {
                p.set_extension(ext[0]);
            }
            Ok(Some(p))
        }
    }
}
