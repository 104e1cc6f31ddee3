//! Why a use case did not happen: the errors of the layers below, and the use cases' own
//! refusals. Each has a stable code (`code`) the app hands to its screens.

use std::path::PathBuf;

use thiserror::Error;

use crate::export::ExportError;
use crate::import::ImportError;
use crate::merge::MergeError;
use crate::org::OrgError;
use crate::store::StoreError;

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
    /// A note that could not be encoded.
    #[error("JSON に変換できません / cannot encode JSON: {0}")]
    Json(#[from] serde_json::Error),
}

impl WorkspaceError {
    /// A stable code for screens and scripts: "not_found", "exists", "not_a_plan", "invalid",
    /// "busy", "newer_schema", "io", "database", "import", "export", "merge", "read_only",
    /// "stale", "not_department", "round", "report", "internal".
    pub fn code(&self) -> &'static str {
        match self {
            WorkspaceError::Store(e) => store_code(e),
            WorkspaceError::Import(ImportError::Store(e)) => store_code(e),
            WorkspaceError::Import(_) => "import",
            WorkspaceError::Merge(MergeError::Store(e)) => store_code(e),
            WorkspaceError::Merge(MergeError::Import(ImportError::Store(e))) => store_code(e),
            WorkspaceError::Merge(MergeError::Import(_)) => "import",
            WorkspaceError::Merge(_) => "merge",
            WorkspaceError::Export(_) => "export",
            WorkspaceError::Org(OrgError::Store(e)) => store_code(e),
            WorkspaceError::Org(_) => "invalid",
            WorkspaceError::Io { .. } => "io",
            WorkspaceError::Sample(_) | WorkspaceError::Json(_) => "internal",
            WorkspaceError::Round(_) => "round",
            WorkspaceError::NotFound(_) => "not_found",
            WorkspaceError::ReadOnly(_) => "read_only",
            WorkspaceError::Invalid(_) => "invalid",
            WorkspaceError::Stale => "stale",
            WorkspaceError::NotDepartmentWorkbook(_) => "not_department",
            WorkspaceError::Report(e) => report_code(e),
        }
    }

    /// The error of the plan file underneath, if that is what failed.
    pub fn store_error(&self) -> Option<&StoreError> {
        match self {
            WorkspaceError::Store(e)
            | WorkspaceError::Import(ImportError::Store(e))
            | WorkspaceError::Merge(MergeError::Store(e))
            | WorkspaceError::Merge(MergeError::Import(ImportError::Store(e)))
            | WorkspaceError::Org(OrgError::Store(e)) => Some(e),
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

fn report_code(e: &crate::committee::CommitteeError) -> &'static str {
    use crate::committee::CommitteeError as E;
    match e {
        E::YearOutsidePeriod { .. } => "invalid",
        E::Io { .. } => "io",
        E::Target(_) => "export",
        E::Total(_) | E::Json(_) | E::Typeset(_) | E::Pdf(_) | E::NotBuilt => "report",
    }
}

fn store_code(e: &StoreError) -> &'static str {
    use StoreError as E;
    match e {
        E::NotFound(_) | E::Missing { .. } => "not_found",
        E::AlreadyExists(_) => "exists",
        E::NotAPlan(_) | E::NotRegularFile(_) | E::ForeignSchema { .. } => "not_a_plan",
        E::InvalidData { .. } | E::OldSchemaUnreadable { .. } => "invalid",
        E::ChangedWhileReading(_) => "busy",
        E::NewerSchema { .. } => "newer_schema",
        E::Io { .. } => "io",
        E::Invalid(_) => "invalid",
        E::Migration(_) | E::Sqlite(_) | E::Corrupt(_) => "database",
    }
}
