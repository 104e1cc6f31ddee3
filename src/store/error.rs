use std::path::PathBuf;

use thiserror::Error;

/// Errors of the plan file. Messages are Japanese first, then English, because they reach
/// municipal staff in the app and administrators in logs.
#[derive(Debug, Error)]
pub enum StoreError {
    #[error("計画ファイルが見つかりません / plan file not found: {0}")]
    NotFound(PathBuf),
    #[error("計画ファイルが既にあります / plan file already exists: {0}")]
    AlreadyExists(PathBuf),
    #[error("「{0}」は dxplan の計画ファイルではありません（変更していません） / not a dxplan plan file (left unchanged): {0}")]
    NotAPlan(PathBuf),
    #[error("「{path}」は新しい版の dxplan で作られています（スキーマ {found} > {supported}）。dxplan を更新してください（変更していません） / {path} was written by a newer dxplan (schema {found} > {supported}); update dxplan (file left unchanged)")]
    NewerSchema {
        path: PathBuf,
        found: i64,
        supported: i64,
    },
    #[error("計画ファイルを読み書きできません / cannot access plan file {path}: {source}")]
    Io {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error("計画ファイルのスキーマを更新できません / schema migration failed: {0}")]
    Migration(#[from] rusqlite_migration::Error),
    #[error("計画ファイルのデータベースエラー / database error: {0}")]
    Sqlite(#[from] rusqlite::Error),
    #[error("{what} が見つかりません / {what} not found: {id}")]
    Missing { what: &'static str, id: String },
    #[error("計画ファイルの内容が不正です / invalid data in plan file: {0}")]
    Corrupt(String),
    #[error("不正な値です / invalid value: {0}")]
    Invalid(String),
}

impl StoreError {
    /// A UNIQUE, FOREIGN KEY or CHECK constraint refused a write: the data contradicts the
    /// plan. Its message names tables, not cells, so callers say what was refused instead.
    pub fn is_constraint(&self) -> bool {
        matches!(self, StoreError::Sqlite(e) if e.sqlite_error_code() == Some(rusqlite::ErrorCode::ConstraintViolation))
    }
}

pub type Result<T, E = StoreError> = std::result::Result<T, E>;
