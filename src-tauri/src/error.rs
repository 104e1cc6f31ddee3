//! The one error type every command returns: a stable machine code and a Japanese message for
//! the person at the screen. Core errors already carry 「日本語 / English」 messages; the UI shows
//! the Japanese part and keeps the whole text in `detail` for a bug report.

use serde::{Deserialize, Serialize};
use specta::Type;

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Type)]
pub struct AppError {
    /// Stable code: "no_plan", "not_found", "not_a_plan", "newer_schema", "io", "invalid",
    /// "stale", "read_only", "import", "export", "merge", "busy", "internal".
    pub code: String,
    /// Japanese, one or two sentences.
    pub message: String,
    /// The full original text (Japanese / English), for logs and support.
    pub detail: String,
}

impl std::fmt::Display for AppError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "[{}] {}", self.code, self.message)
    }
}

impl std::error::Error for AppError {}

/// The Japanese half of a core message 「日本語 / English」.
pub fn japanese_part(s: &str) -> String {
    match s.split_once(" / ") {
        Some((ja, _)) if !ja.trim().is_empty() => ja.trim().to_string(),
        _ => s.to_string(),
    }
}

impl AppError {
    pub fn new(code: &str, message: impl Into<String>) -> Self {
        let message = message.into();
        AppError {
            code: code.into(),
            detail: message.clone(),
            message,
        }
    }

    fn from_core(code: &str, full: String) -> Self {
        AppError {
            code: code.into(),
            message: japanese_part(&full),
            detail: full,
        }
    }

    pub fn invalid(message: impl Into<String>) -> Self {
        Self::new("invalid", message)
    }

    pub fn no_plan() -> Self {
        Self::new("no_plan", "計画ファイルが開かれていません。")
    }

    pub fn internal(what: impl std::fmt::Display) -> Self {
        Self::new("internal", format!("内部エラーが発生しました: {what}"))
    }
}

impl From<dxplan::workspace::WorkspaceError> for AppError {
    fn from(e: dxplan::workspace::WorkspaceError) -> Self {
        Self::from_core(e.code(), e.to_string())
    }
}

impl From<std::io::Error> for AppError {
    fn from(e: std::io::Error) -> Self {
        Self::new("io", format!("ファイルを読み書きできません: {e}"))
    }
}

// The app's plan-menu, outline and import commands call the store and the importer directly;
// their errors take the use-case layer's mapping.
impl From<dxplan::store::StoreError> for AppError {
    fn from(e: dxplan::store::StoreError) -> Self {
        dxplan::workspace::WorkspaceError::from(e).into()
    }
}

impl From<dxplan::import::ImportError> for AppError {
    fn from(e: dxplan::import::ImportError) -> Self {
        dxplan::workspace::WorkspaceError::from(e).into()
    }
}

impl From<dxplan::export::ExportError> for AppError {
    fn from(e: dxplan::export::ExportError) -> Self {
        dxplan::workspace::WorkspaceError::from(e).into()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::state::Mode;

    #[test]
    fn core_errors_keep_their_japanese_half() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("x.xlsx");
        std::fs::write(&path, "not a plan").unwrap();
        let e: AppError = dxplan::workspace::Workspace::open(&path, Mode::Office)
            .err()
            .expect("refused")
            .into();
        assert_eq!(e.code, "not_a_plan");
        assert!(
            e.message.starts_with(&format!(
                "「{}」は dxplan の計画ファイルではありません",
                path.display()
            )),
            "{}",
            e.message
        );
        assert!(!e.message.contains("not a dxplan"));
        assert!(e.detail.contains("not a dxplan"));
    }
}
