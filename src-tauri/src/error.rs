//! The one error type every command returns: a stable machine code and a Japanese message for
//! the person at the screen. Core errors already carry 「日本語 / English」 messages; the UI shows
//! the Japanese part and keeps the whole text in `detail` for a bug report.

use dxplan::workspace::ErrorCode;
use serde::{Deserialize, Serialize};
use specta::Type;

/// What the shell itself refuses, before any use case runs.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Type)]
#[serde(rename_all = "snake_case")]
pub enum ShellErrorCode {
    /// No plan is open.
    NoPlan,
    /// A file handle that was not issued, or not for this purpose (`files.rs`).
    InvalidHandle,
}

/// An error's code: the core's (`WorkspaceError::code`) or the shell's. In TypeScript a union
/// of string literals the screens switch on (`e.code === "stale"`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Type)]
#[serde(untagged)]
pub enum AppErrorCode {
    Core(ErrorCode),
    Shell(ShellErrorCode),
}

impl From<ErrorCode> for AppErrorCode {
    fn from(c: ErrorCode) -> Self {
        AppErrorCode::Core(c)
    }
}

impl From<ShellErrorCode> for AppErrorCode {
    fn from(c: ShellErrorCode) -> Self {
        AppErrorCode::Shell(c)
    }
}

impl PartialEq<ErrorCode> for AppErrorCode {
    fn eq(&self, other: &ErrorCode) -> bool {
        *self == AppErrorCode::Core(*other)
    }
}

impl PartialEq<ShellErrorCode> for AppErrorCode {
    fn eq(&self, other: &ShellErrorCode) -> bool {
        *self == AppErrorCode::Shell(*other)
    }
}

impl std::fmt::Display for AppErrorCode {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            AppErrorCode::Core(c) => c.fmt(f),
            AppErrorCode::Shell(ShellErrorCode::NoPlan) => f.write_str("no_plan"),
            AppErrorCode::Shell(ShellErrorCode::InvalidHandle) => f.write_str("invalid_handle"),
        }
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Type)]
pub struct AppError {
    /// Stable code (`AppErrorCode`).
    pub code: AppErrorCode,
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
    pub fn new(code: impl Into<AppErrorCode>, message: impl Into<String>) -> Self {
        let message = message.into();
        AppError {
            code: code.into(),
            detail: message.clone(),
            message,
        }
    }

    fn from_core(code: ErrorCode, full: String) -> Self {
        AppError {
            code: code.into(),
            message: japanese_part(&full),
            detail: full,
        }
    }

    pub fn invalid(message: impl Into<String>) -> Self {
        Self::new(ErrorCode::Invalid, message)
    }

    pub fn no_plan() -> Self {
        Self::new(ShellErrorCode::NoPlan, "計画ファイルが開かれていません。")
    }

    pub fn internal(what: impl std::fmt::Display) -> Self {
        Self::new(
            ErrorCode::Internal,
            format!("内部エラーが発生しました: {what}"),
        )
    }
}

impl From<dxplan::workspace::WorkspaceError> for AppError {
    fn from(e: dxplan::workspace::WorkspaceError) -> Self {
        Self::from_core(e.code(), e.to_string())
    }
}

impl From<std::io::Error> for AppError {
    fn from(e: std::io::Error) -> Self {
        Self::new(ErrorCode::Io, format!("ファイルを読み書きできません: {e}"))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::state::Mode;

    /// The UI receives today's wire strings: the core's codes and the shell's alike.
    #[test]
    fn codes_cross_as_plain_strings() {
        let stale =
            serde_json::to_value(AppError::from(dxplan::workspace::WorkspaceError::Stale)).unwrap();
        assert_eq!(stale["code"], "stale");
        assert_eq!(
            serde_json::to_value(AppError::no_plan()).unwrap()["code"],
            "no_plan"
        );
        let back: AppError = serde_json::from_value(stale).unwrap();
        assert_eq!(back.code, ErrorCode::Stale);
        assert_eq!(
            AppError::no_plan().to_string(),
            "[no_plan] 計画ファイルが開かれていません。"
        );
    }

    #[test]
    fn core_errors_keep_their_japanese_half() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("x.xlsx");
        std::fs::write(&path, "not a plan").unwrap();
        let e: AppError = dxplan::workspace::Workspace::open(&path, Mode::Office)
            .err()
            .expect("refused")
            .into();
        assert_eq!(e.code, ErrorCode::NotAPlan);
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
