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

    pub fn read_only(title: &str) -> Self {
        Self::new(
            "read_only",
            format!("事業「{title}」はこの課の担当ではないため編集できません。"),
        )
    }

    pub fn internal(what: impl std::fmt::Display) -> Self {
        Self::new("internal", format!("内部エラーが発生しました: {what}"))
    }
}

impl From<dxplan::store::StoreError> for AppError {
    fn from(e: dxplan::store::StoreError) -> Self {
        use dxplan::store::StoreError as E;
        let code = match &e {
            E::NotFound(_) | E::Missing { .. } => "not_found",
            E::AlreadyExists(_) => "exists",
            E::NotAPlan(_) | E::NotRegularFile(_) | E::ForeignSchema { .. } => "not_a_plan",
            E::InvalidData { .. } | E::OldSchemaUnreadable { .. } => "invalid",
            E::ChangedWhileReading(_) => "busy",
            E::NewerSchema { .. } => "newer_schema",
            E::Io { .. } => "io",
            E::Invalid(_) => "invalid",
            E::Migration(_) | E::Sqlite(_) | E::Corrupt(_) => "database",
        };
        Self::from_core(code, e.to_string())
    }
}

impl From<dxplan::import::ImportError> for AppError {
    fn from(e: dxplan::import::ImportError) -> Self {
        match e {
            dxplan::import::ImportError::Store(s) => s.into(),
            other => Self::from_core("import", other.to_string()),
        }
    }
}

impl From<std::io::Error> for AppError {
    fn from(e: std::io::Error) -> Self {
        Self::new("io", format!("ファイルを読み書きできません: {e}"))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn core_errors_keep_their_japanese_half() {
        let e: AppError = dxplan::store::StoreError::NotAPlan("/tmp/x.xlsx".into()).into();
        assert_eq!(e.code, "not_a_plan");
        assert!(
            e.message
                .starts_with("「/tmp/x.xlsx」は dxplan の計画ファイルではありません"),
            "{}",
            e.message
        );
        assert!(!e.message.contains("not a dxplan"));
        assert!(e.detail.contains("not a dxplan"));
    }
}
