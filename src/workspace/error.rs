//! Why a use case did not happen: the errors of the layers below, and the use cases' own
//! refusals. Each has a stable code (`code`) the app hands to its screens.

use std::path::PathBuf;

use serde::{Deserialize, Serialize};
use thiserror::Error;

use crate::backups::BackupError;
use crate::export::ExportError;
use crate::import::ImportError;
use crate::merge::MergeError;
use crate::org::OrgError;
use crate::store::StoreError;
use crate::structure::StructureError;

/// What kind of failure a use case had: a closed set the app's screens act on (`stale`:
/// reload; the rest: show the message). Serialised in snake_case (「not_found」), which the CLI's
/// JSON and the app's `AppError` carry.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(rename_all = "snake_case")]
pub enum ErrorCode {
    /// No such plan file, project, measure or unit.
    NotFound,
    /// The file to create is already there.
    Exists,
    /// The file is not a dxplan plan.
    NotAPlan,
    /// What was asked is not possible as given.
    Invalid,
    /// The plan file changed while it was read.
    Busy,
    /// The plan file was written by a newer dxplan.
    NewerSchema,
    /// A file could not be read or written.
    Io,
    /// The plan file's database failed.
    Database,
    /// A workbook could not be imported.
    Import,
    /// An import must ask something first (a new project without a measure, an unknown
    /// label): nothing was written.
    NeedsDecision,
    /// A workbook could not be written.
    Export,
    /// A submission could not be merged, resolved or undone.
    Merge,
    /// Not allowed in this mode (a department's working copy, or the office's plan).
    ReadOnly,
    /// The project changed since the edit began.
    Stale,
    /// The workbook is not a department workbook dxplan wrote.
    NotDepartment,
    /// A 照会 round (its folder, its dates, its names).
    Round,
    /// The committee report (報告書).
    Report,
    /// A fault of dxplan itself.
    Internal,
}

impl ErrorCode {
    /// The code as it is written (「not_found」).
    pub fn as_str(self) -> &'static str {
        use ErrorCode as C;
        match self {
            C::NotFound => "not_found",
            C::Exists => "exists",
            C::NotAPlan => "not_a_plan",
            C::Invalid => "invalid",
            C::Busy => "busy",
            C::NewerSchema => "newer_schema",
            C::Io => "io",
            C::Database => "database",
            C::Import => "import",
            C::NeedsDecision => "needs_decision",
            C::Export => "export",
            C::Merge => "merge",
            C::ReadOnly => "read_only",
            C::Stale => "stale",
            C::NotDepartment => "not_department",
            C::Round => "round",
            C::Report => "report",
            C::Internal => "internal",
        }
    }
}

impl std::fmt::Display for ErrorCode {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

/// Why a use case failed. Messages are Japanese first (the part the app shows), then English
/// where a log or the CLI needs it.
#[derive(Debug, Error)]
pub enum WorkspaceError {
    /// The plan file.
    #[error(transparent)]
    Store(#[from] StoreError),
    /// Reading a workbook or applying it.
    #[error(transparent)]
    Import(#[from] ImportError),
    /// Merging a submission, resolving, undoing.
    #[error(transparent)]
    Merge(#[from] MergeError),
    /// Writing a workbook.
    #[error(transparent)]
    Export(#[from] ExportError),
    /// A department's name in a year.
    #[error(transparent)]
    Org(#[from] OrgError),
    /// A file beside the plan (a working copy, its note).
    #[error("「{}」を読み書きできません / cannot access {}: {source}", file.display(), file.display())]
    Io {
        /// The file.
        file: PathBuf,
        /// Why.
        source: std::io::Error,
    },
    /// The bundled sample could not be read (a build without its source).
    #[error("同梱サンプルを読めません / cannot read the bundled sample: {0}")]
    Sample(String),
    /// No such project, measure or unit in the plan.
    #[error("{0}")]
    NotFound(String),
    /// Not allowed in this mode (a department's working copy, or the office's plan).
    #[error("{0}")]
    ReadOnly(String),
    /// What was asked is not possible as given.
    #[error("{0}")]
    Invalid(String),
    /// The project changed since the edit began.
    #[error("この事業は別の操作で更新されています。画面を読み込み直してから、もう一度編集してください。")]
    Stale,
    /// The workbook is not a department workbook dxplan wrote.
    #[error("{0}")]
    NotDepartmentWorkbook(String),
    /// A 照会 round (its folder, its dates, its names).
    #[error("{0}")]
    Round(String),
    /// The committee report (報告書): its year, typesetting, its PDF.
    #[error(transparent)]
    Report(#[from] crate::committee::CommitteeError),
    /// A change of the outline (`structure`): a title missing, an item not found or not empty.
    #[error(transparent)]
    Structure(#[from] crate::structure::StructureError),
    /// A copy or a backup of the plan file (`backups`).
    #[error(transparent)]
    Backup(#[from] crate::backups::BackupError),
    /// A note that could not be encoded.
    #[error("JSON に変換できません / cannot encode JSON: {0}")]
    Json(#[from] serde_json::Error),
}

impl WorkspaceError {
    /// A stable code for screens and scripts (`ErrorCode`).
    pub fn code(&self) -> ErrorCode {
        use ErrorCode as C;
        match self {
            WorkspaceError::Store(e) => store_code(e),
            WorkspaceError::Import(ImportError::Store(e)) => store_code(e),
            WorkspaceError::Import(ImportError::NeedsDecision(_)) => C::NeedsDecision,
            WorkspaceError::Import(_) => C::Import,
            WorkspaceError::Merge(MergeError::Store(e)) => store_code(e),
            WorkspaceError::Merge(MergeError::Import(ImportError::Store(e))) => store_code(e),
            WorkspaceError::Merge(MergeError::Import(_)) => C::Import,
            WorkspaceError::Merge(_) => C::Merge,
            WorkspaceError::Export(_) => C::Export,
            WorkspaceError::Org(OrgError::Store(e)) => store_code(e),
            WorkspaceError::Org(_) => C::Invalid,
            WorkspaceError::Io { .. } => C::Io,
            WorkspaceError::Sample(_) | WorkspaceError::Json(_) => C::Internal,
            WorkspaceError::Round(_) => C::Round,
            WorkspaceError::NotFound(_) => C::NotFound,
            WorkspaceError::ReadOnly(_) => C::ReadOnly,
            WorkspaceError::Invalid(_) => C::Invalid,
            WorkspaceError::Stale => C::Stale,
            WorkspaceError::NotDepartmentWorkbook(_) => C::NotDepartment,
            WorkspaceError::Report(e) => report_code(e),
            WorkspaceError::Structure(StructureError::Store(e)) => store_code(e),
            WorkspaceError::Structure(StructureError::NotFound { .. }) => C::NotFound,
            WorkspaceError::Structure(_) => C::Invalid,
            WorkspaceError::Backup(BackupError::Store(e)) => store_code(e),
            WorkspaceError::Backup(_) => C::Io,
        }
    }

    /// The questions an import stopped on before writing anything (`ErrorCode::NeedsDecision`),
    /// each 「日本語 / English」.
    pub fn blocking(&self) -> Option<&[String]> {
        match self {
            WorkspaceError::Import(ImportError::NeedsDecision(r)) => Some(&r.questions.blocking),
            _ => None,
        }
    }

    /// The error of the plan file underneath, if that is what failed.
    pub fn store_error(&self) -> Option<&StoreError> {
        match self {
            WorkspaceError::Store(e)
            | WorkspaceError::Import(ImportError::Store(e))
            | WorkspaceError::Merge(MergeError::Store(e))
            | WorkspaceError::Merge(MergeError::Import(ImportError::Store(e)))
            | WorkspaceError::Org(OrgError::Store(e))
            | WorkspaceError::Structure(StructureError::Store(e))
            | WorkspaceError::Backup(BackupError::Store(e)) => Some(e),
            _ => None,
        }
    }

    pub(crate) fn io(file: &std::path::Path, source: std::io::Error) -> Self {
        WorkspaceError::Io {
            file: file.to_path_buf(),
            source,
        }
    }
}

fn report_code(e: &crate::committee::CommitteeError) -> ErrorCode {
    use crate::committee::CommitteeError as E;
    match e {
        E::YearOutsidePeriod { .. } => ErrorCode::Invalid,
        E::Io { .. } => ErrorCode::Io,
        E::Target(_) => ErrorCode::Export,
        E::Total(_) | E::Json(_) | E::Typeset(_) | E::Pdf(_) | E::NotBuilt => ErrorCode::Report,
    }
}

fn store_code(e: &StoreError) -> ErrorCode {
    use ErrorCode as C;
    use StoreError as E;
    match e {
        E::NotFound(_) | E::Missing { .. } => C::NotFound,
        E::AlreadyExists(_) => C::Exists,
        E::NotAPlan(_) | E::NotRegularFile(_) | E::ForeignSchema { .. } => C::NotAPlan,
        E::InvalidData { .. } | E::OldSchemaUnreadable { .. } => C::Invalid,
        E::ChangedWhileReading(_) => C::Busy,
        E::NewerSchema { .. } => C::NewerSchema,
        E::Io { .. } => C::Io,
        E::Invalid(_) => C::Invalid,
        E::Migration(_) | E::Sqlite(_) | E::Corrupt(_) => C::Database,
    }
}

#[cfg(test)]
mod tests {
    use super::ErrorCode as C;

    /// `as_str` writes each code as serde does (the app's JSON and the CLI's text agree).
    #[test]
    fn codes_are_written_as_serialised() {
        for c in [
            C::NotFound,
            C::Exists,
            C::NotAPlan,
            C::Invalid,
            C::Busy,
            C::NewerSchema,
            C::Io,
            C::Database,
            C::Import,
            C::NeedsDecision,
            C::Export,
            C::Merge,
            C::ReadOnly,
            C::Stale,
            C::NotDepartment,
            C::Round,
            C::Report,
            C::Internal,
        ] {
            assert_eq!(
                serde_json::to_value(c).unwrap(),
                serde_json::Value::String(c.as_str().into())
            );
        }
    }
}
