//! Use cases: one function per thing a person does with a plan, shared by the CLI and the app.
//!
//! The front ends only parse what they are given, call one of these, and present the result;
//! the rules (who may change what, a stale revision, which department a name means, how a
//! working copy is made) live here and nowhere else. Path-based functions serve the CLI, which
//! opens the plan for one command; [`Workspace`] is a plan kept open (the app), whose methods
//! apply the same functions and keep its in-memory copy of the plan current.

mod edit;
mod error;
mod exchange;
mod loading;
mod outline;
mod plan_file;
mod report;
mod rounds;
mod session;
mod versions;
mod working_copy;

pub use edit::Saved;
pub use error::{ErrorCode, WorkspaceError};
pub use exchange::{
    export_department, export_master, import, merge, resolve, undo_import, undo_merge, Department,
    DepartmentChoice, DepartmentExport,
};
pub use outline::OutlineItem;
pub use plan_file::{create_plan, plan_from_export, remove_plan_file, reset_sample, write_sample};
pub use report::{
    report_year, typeset_report, write_report, CommitteeError, ReportRequest, Typeset,
};
pub use rounds::RoundCandidate;
pub use session::{Mode, Workspace};
pub use versions::{same_version, NOW};
pub use working_copy::{checked_cover, open_department_workbook, received_workbook, WorkingCopy};

// What the use cases answer with, so a front end presents them without reaching into the
// modules below.
pub use crate::backups::BackupInfo;
pub use crate::committee::{ReportData, ReportSummary};
pub use crate::export::CoverAnswer;
pub use crate::export::ExportSummary;
pub use crate::import::preview::{ChangeKind as ImportChangeKind, FieldChangeView};
pub use crate::import::report::{ImportReport, Note as ImportNote, Outcome as ImportOutcome};
pub use crate::import::{AcceptChoice, ImportChoices, UndoImportReport};
pub use crate::merge::report::{show, MergeReport, RefusedLine, SubmissionStatus};
pub use crate::merge::{describe, Resolution, UndoReport};
pub use crate::store::merge_log::{ConflictRecord, SubmissionRecord};
pub use crate::store::ConflictStatus;
pub use crate::store::{HistoryEntry, NewVersion, OpKind, RoundRecord, VersionRecord};
pub use crate::store::{ImportLabel, ImportRecord};

/// 照会 rounds: what starting one takes and gives, and who has answered.
pub mod round {
    pub use crate::org::department::current_fiscal_year;
    pub use crate::report::progress::{ProgressCounts, ProgressRow};
    pub use crate::round::remind::Reminder;
    pub use crate::round::start::{RoundSpec, RoundWorkbook, StartedRound};
    pub use crate::round::status::{
        AnswerState, AnswerStatus, Contact, DepartmentStatus, RoundInfo, RoundStatus, Totals,
        ViaStatus,
    };
    pub use crate::round::{japanese_date, parse_deadline};
}

/// A use case's result.
pub type Result<T> = std::result::Result<T, WorkspaceError>;
