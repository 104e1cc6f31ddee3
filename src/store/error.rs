use std::path::PathBuf;

use thiserror::Error;

/// Errors of the plan file. Messages are Japanese first, then English, because they reach
/// municipal staff in the app and administrators in logs.
#[derive(Debug, Error)]
pub enum StoreError {
    /// No such file.
    #[error("計画ファイルが見つかりません / plan file not found: {0}")]
    NotFound(PathBuf),
    /// The file exists.
    #[error("計画ファイルが既にあります / plan file already exists: {0}")]
    AlreadyExists(PathBuf),
    /// Not a plan file.
    #[error("「{0}」は dxplan の計画ファイルではありません（変更していません） / not a dxplan plan file (left unchanged): {0}")]
    NotAPlan(PathBuf),
    /// Written by a newer dxplan.
    #[error("「{path}」は新しい版の dxplan で作られています（スキーマ {found} > {supported}）。dxplan を更新してください（変更していません） / {path} was written by a newer dxplan (schema {found} > {supported}); update dxplan (file left unchanged)")]
    NewerSchema {
        /// The plan file.
        path: PathBuf,
        /// Its schema.
        found: i64,
        /// The newest schema this dxplan reads.
        supported: i64,
    },
    /// An I/O error.
    #[error("計画ファイルを読み書きできません / cannot access plan file {path}: {source}")]
    Io {
        /// The plan file.
        path: PathBuf,
        /// The underlying error.
        source: std::io::Error,
    },
    /// A migration failed.
    #[error("計画ファイルのスキーマを更新できません / schema migration failed: {0}")]
    Migration(#[from] rusqlite_migration::Error),
    /// SQLite failed.
    #[error("計画ファイルのデータベースエラー / database error: {0}")]
    Sqlite(#[from] rusqlite::Error),
    /// A referenced item is missing.
    #[error("{what} が見つかりません / {what} not found: {id}")]
    Missing {
        /// What it is (Japanese).
        what: &'static str,
        /// Stable id.
        id: String,
    },
    /// Found while reading, before the file is known; `Store` replaces it by `InvalidData`.
    #[error("計画ファイルの内容が不正です / invalid data in plan file: {0}")]
    Corrupt(String),
    /// Data that breaks the plan rules.
    #[error("計画ファイル「{path}」の内容が不正です / invalid data in plan file {path} (変更していません / left unchanged): {detail}")]
    InvalidData {
        /// The plan file.
        path: PathBuf,
        /// What was found.
        detail: String,
    },
    /// Not a regular file.
    #[error("「{0}」は通常のファイルではありません（フォルダー、パイプ、デバイスなど）。計画ファイルを指定してください / {0} is not a regular file (a folder, pipe or device): name a plan file")]
    NotRegularFile(PathBuf),
    /// Schema objects dxplan did not make.
    #[error("計画ファイル「{path}」に dxplan が作らない構造があります（{detail}）。安全のため開きません（変更していません） / the plan file {path} holds schema objects dxplan did not create ({detail}); refused for safety (left unchanged)")]
    ForeignSchema {
        /// The plan file.
        path: PathBuf,
        /// What was found.
        detail: String,
    },
    /// Changed by another program while read.
    #[error("計画ファイル「{0}」は読み取り中に他のプログラムに変更されました。もう一度実行してください / the plan file {0} was changed by another program while it was read; run the command again")]
    ChangedWhileReading(PathBuf),
    /// An old schema that cannot be read without a migration.
    #[error("計画ファイル「{path}」は古い版（スキーマ {found}）で、読み取り専用では開けません: {detail}。書き込みのできる場所で一度開くと更新されます / the plan file {path} has an older schema ({found}) and cannot be read without updating it: {detail}; open it once where it can be written to update it")]
    OldSchemaUnreadable {
        /// The plan file.
        path: PathBuf,
        /// Its schema.
        found: i64,
        /// What was found.
        detail: String,
    },
    /// An invalid value.
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

/// A result of the plan file.
pub type Result<T, E = StoreError> = std::result::Result<T, E>;
