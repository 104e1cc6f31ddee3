//! The files a merge takes: workbooks named one by one, or every answer in a folder (the
//! shared folder answers were saved to, a round's folder). Excel's lock files (「~$…」), hidden
//! files and our own temporary files are passed by; folders are not searched below.

use std::path::{Path, PathBuf};

use super::MergeError;

/// Extensions of workbooks a department may answer in.
pub const ANSWER_EXTENSIONS: [&str; 3] = ["xlsx", "xlsm", "ods"];

fn is_answer(path: &Path) -> bool {
    let Some(name) = path.file_name().and_then(|n| n.to_str()) else {
        return false;
    };
    if name.starts_with("~$") || name.starts_with('.') {
        return false;
    }
    path.extension()
        .and_then(|e| e.to_str())
        .is_some_and(|e| ANSWER_EXTENSIONS.iter().any(|x| x.eq_ignore_ascii_case(e)))
        && path.is_file()
}

/// The answer workbooks in `dir`, by name.
pub fn answers_in(dir: &Path) -> Result<Vec<PathBuf>, MergeError> {
    let io = |e: std::io::Error| {
        MergeError::Invalid(format!(
            "フォルダー「{}」を読めません / cannot read the folder {}: {e}",
            dir.display(),
            dir.display()
        ))
    };
    let mut out = Vec::new();
    for entry in std::fs::read_dir(dir).map_err(io)? {
        let path = entry.map_err(io)?.path();
        if is_answer(&path) {
            out.push(path);
        }
    }
    out.sort();
    Ok(out)
}

/// Files as given, each folder replaced by the answers in it. A folder without any answer is
/// an error naming it; a file named twice is taken once.
pub fn expand(paths: &[PathBuf]) -> Result<Vec<PathBuf>, MergeError> {
    let mut out: Vec<PathBuf> = Vec::new();
    for p in paths {
        let found = if p.is_dir() {
            let found = answers_in(p)?;
            if found.is_empty() {
                return Err(MergeError::Invalid(format!(
                    "フォルダー「{}」に回答のファイル（.xlsx .xlsm .ods）がありません / no answer workbook (.xlsx .xlsm .ods) in the folder {}",
                    p.display(),
                    p.display()
                )));
            }
            found
        } else {
            vec![p.clone()]
        };
        for f in found {
            if !out.contains(&f) {
                out.push(f);
            }
        }
    }
    Ok(out)
}
