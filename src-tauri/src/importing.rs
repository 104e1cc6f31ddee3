//! The import wizard over the core's import (issue 14): a preview with old → new for every
//! changed field of a matched project, changes to existing values accepted per project or per
//! field, unknown labels mapped to fields, new projects without a measure placed, then the
//! import (after a backup of the plan) recorded so that it can be undone as a whole. Thin: the
//! choices are `dxplan::workspace::ImportChoices`, the rules are the core's.

use std::path::PathBuf;

use serde::{Deserialize, Serialize};
use specta::Type;
use specta_typescript::Number;
use tauri::ipc::Channel;
use tauri::State;

use crate::dto::{PlanTree, ProgressEvent};
use crate::error::AppError;
use crate::files::{FileHandle, Purpose};
use crate::plans::{backup_before, BackupDto};
use crate::state::AppState;
use crate::views;
use dxplan::workspace::{FieldChangeView, ImportNote, ImportOutcome as Outcome, ImportReport};

type R<T> = Result<T, AppError>;

fn u(n: usize) -> u32 {
    u32::try_from(n).unwrap_or(u32::MAX)
}

// ---------------------------------------------------------------- choices

/// One field of one project (`field`: a path such as `budget/2024/planned`, or a field name).
#[derive(Debug, Clone, Serialize, Deserialize, Type)]
pub struct AcceptFieldDto {
    /// A project id; null: this field of every project.
    pub project_id: Option<String>,
    pub field: String,
}

#[derive(Debug, Clone, Serialize, Deserialize, Type)]
pub struct PlaceDto {
    /// The new project's title as read.
    pub title: String,
    /// A measure id, or 「基本方針/施策」 to create one.
    pub measure: String,
}

#[derive(Debug, Clone, Serialize, Deserialize, Type)]
pub struct MapDto {
    pub label: String,
    /// A field name of `model::fields::FIELD_NAMES` (「ignore」: not read, on purpose).
    pub field: String,
}

/// What the person decided in the wizard.
#[derive(Debug, Clone, Default, Serialize, Deserialize, Type)]
pub struct ImportChoicesDto {
    pub accept_all: bool,
    /// Project ids whose every change is accepted.
    pub accept_projects: Vec<String>,
    pub accept_fields: Vec<AcceptFieldDto>,
    /// Where every new project without a measure goes (a measure id), unless placed one by one.
    pub measure: Option<String>,
    pub place: Vec<PlaceDto>,
    pub maps: Vec<MapDto>,
    pub allow_skipped: bool,
}

impl From<ImportChoicesDto> for dxplan::workspace::ImportChoices {
    fn from(c: ImportChoicesDto) -> Self {
        dxplan::workspace::ImportChoices {
            accept: dxplan::workspace::AcceptChoice {
                all: c.accept_all,
                projects: c.accept_projects,
                fields: c
                    .accept_fields
                    .into_iter()
                    .map(|f| (f.project_id, f.field))
                    .collect(),
            },
            measure: c.measure.filter(|m| !m.trim().is_empty()),
            measure_for: c.place.into_iter().map(|p| (p.title, p.measure)).collect(),
            maps: c.maps.into_iter().map(|m| (m.label, m.field)).collect(),
            strict: false,
            allow_skipped: c.allow_skipped,
        }
    }
}

// ---------------------------------------------------------------- the report

#[derive(Debug, Clone, Serialize, Deserialize, Type)]
pub struct NoteView {
    pub at: String,
    pub message: String,
}

#[derive(Debug, Clone, Serialize, Type)]
pub struct ProjectLineView {
    pub at: String,
    pub title: String,
    pub project_id: String,
    pub outcome: Outcome,
    pub changes: u32,
    pub held: u32,
    pub fields: Vec<FieldChangeView>,
}

#[derive(Debug, Clone, Serialize, Deserialize, Type)]
pub struct UnreadView {
    pub label: String,
    pub at: String,
    pub rows: u32,
    pub cells: u32,
    pub year_cells: u32,
    pub column: bool,
}

/// A view of `import::report::SheetReport`: notes in Japanese only, its internal index left out.
#[derive(Debug, Clone, Serialize, Type)]
pub struct SheetView {
    pub sheet: String,
    pub layout: Option<String>,
    pub skipped: Option<String>,
    pub unknown_layout: bool,
    pub projects: Vec<ProjectLineView>,
    pub fields: u32,
    pub indicators: u32,
    pub tasks: u32,
    pub budget_cells: u32,
    pub guesses: Vec<NoteView>,
    pub skipped_cells: Vec<NoteView>,
    pub unread: Vec<UnreadView>,
}

#[derive(Debug, Clone, Serialize, Type)]
pub struct FileView {
    pub file: String,
    /// CSV: the encoding it was read in (「Shift_JIS」, 「UTF-8（BOM付き）」).
    pub encoding: Option<String>,
    pub sheets: Vec<SheetView>,
}

#[derive(Debug, Clone, Serialize, Deserialize, Type)]
pub struct UnplacedView {
    pub title: String,
    pub at: String,
    pub file: String,
}

#[derive(Debug, Clone, Serialize, Deserialize, Type)]
pub struct MeasureChoiceView {
    pub id: String,
    pub code: String,
    pub title: String,
    pub policy: String,
}

#[derive(Debug, Clone, Serialize, Deserialize, Type)]
pub struct UnknownLabelView {
    pub label: String,
    pub rows: u32,
    pub cells: u32,
    pub year_cells: u32,
    pub at: Vec<String>,
}

#[derive(Debug, Clone, Serialize, Deserialize, Type)]
pub struct FieldChoiceView {
    pub name: String,
    pub label: String,
}

#[derive(Debug, Clone, Serialize, Deserialize, Type)]
pub struct QuestionsView {
    pub unplaced: Vec<UnplacedView>,
    pub measures: Vec<MeasureChoiceView>,
    pub unknown_labels: Vec<UnknownLabelView>,
    /// The fields a label can be read as.
    pub fields: Vec<FieldChoiceView>,
    pub unknown_sheets: Vec<String>,
    /// Why the import would stop before writing (Japanese); empty: it can be imported.
    pub blocking: Vec<String>,
}

#[derive(Debug, Clone, Serialize, Deserialize, Type)]
pub struct SummaryView {
    pub projects_new: u32,
    pub projects_matched: u32,
    pub projects_ambiguous: u32,
    pub sheets_skipped: u32,
    pub guesses: u32,
    pub cells_skipped: u32,
    pub changes: u32,
    pub changes_held: u32,
    pub rows_unread: u32,
    pub cells_unread: u32,
}

/// A view, not `ImportReport`: messages cut to their Japanese half, counts as `u32`, the backup taken.
#[derive(Debug, Clone, Serialize, Type)]
pub struct ImportView {
    pub dry_run: bool,
    pub files: Vec<FileView>,
    pub summary: SummaryView,
    pub questions: QuestionsView,
    /// The import as recorded (undo with `undo_import`); null for a preview.
    #[specta(type = Option<Number>)]
    pub import_id: Option<i64>,
    /// The backup taken before the import wrote (null for a preview).
    pub backup: Option<BackupDto>,
}

fn notes(v: &[ImportNote]) -> Vec<NoteView> {
    v.iter()
        .map(|n| NoteView {
            at: n.at.clone(),
            message: crate::error::japanese_part(&n.message),
        })
        .collect()
}

pub fn view(r: &ImportReport) -> ImportView {
    let s = &r.summary;
    let q = &r.questions;
    ImportView {
        dry_run: r.dry_run,
        import_id: r.import_id,
        backup: None,
        summary: SummaryView {
            projects_new: u(s.projects_new),
            projects_matched: u(s.projects_matched),
            projects_ambiguous: u(s.projects_ambiguous),
            sheets_skipped: u(s.sheets_skipped),
            guesses: u(s.guesses),
            cells_skipped: u(s.cells_skipped),
            changes: u(s.changes),
            changes_held: u(s.changes_held),
            rows_unread: u(s.rows_unread),
            cells_unread: u(s.cells_unread),
        },
        questions: QuestionsView {
            unplaced: q
                .unplaced
                .iter()
                .map(|x| UnplacedView {
                    title: x.title.clone(),
                    at: x.at.clone(),
                    file: x.file.clone(),
                })
                .collect(),
            measures: q
                .measures
                .iter()
                .map(|m| MeasureChoiceView {
                    id: m.id.clone(),
                    code: m.code.clone(),
                    title: m.title.clone(),
                    policy: m.policy.clone(),
                })
                .collect(),
            unknown_labels: q
                .unknown_labels
                .iter()
                .map(|l| UnknownLabelView {
                    label: l.label.clone(),
                    rows: u(l.rows),
                    cells: u(l.cells),
                    year_cells: u(l.year_cells),
                    at: l.at.clone(),
                })
                .collect(),
            fields: dxplan::model::fields::FIELD_NAMES
                .iter()
                .filter(|f| f.mappable)
                .map(|f| FieldChoiceView {
                    name: f.name.into(),
                    label: f.label.into(),
                })
                .collect(),
            unknown_sheets: q.unknown_sheets.clone(),
            blocking: q
                .blocking
                .iter()
                .map(|b| crate::error::japanese_part(b))
                .collect(),
        },
        files: r
            .files
            .iter()
            .map(|f| FileView {
                file: f.file.clone(),
                encoding: f.encoding.clone(),
                sheets: f
                    .sheets
                    .iter()
                    .map(|s| SheetView {
                        sheet: s.sheet.clone(),
                        layout: s.layout.map(str::to_string),
                        skipped: s.skipped.as_deref().map(crate::error::japanese_part),
                        unknown_layout: s.unknown_layout,
                        projects: s
                            .projects
                            .iter()
                            .map(|p| ProjectLineView {
                                at: p.at.clone(),
                                title: p.title.clone(),
                                project_id: p.project_id.clone(),
                                outcome: p.outcome,
                                changes: u(p.changes),
                                held: u(p.held),
                                fields: p.fields.clone(),
                            })
                            .collect(),
                        fields: u(s.fields),
                        indicators: u(s.indicators),
                        tasks: u(s.tasks),
                        budget_cells: u(s.budget_cells),
                        guesses: notes(&s.guesses),
                        skipped_cells: notes(&s.skipped_cells),
                        unread: s
                            .unread
                            .iter()
                            .map(|x| UnreadView {
                                label: x.label.clone(),
                                at: x.at.clone(),
                                rows: u(x.rows),
                                cells: u(x.cells),
                                year_cells: u(x.year_cells),
                                column: x.column,
                            })
                            .collect(),
                    })
                    .collect(),
            })
            .collect(),
    }
}

// ---------------------------------------------------------------- commands

fn files_of(state: &AppState, handles: &[FileHandle]) -> R<Vec<PathBuf>> {
    if handles.is_empty() {
        return Err(AppError::invalid("取り込むファイルを選んでください。"));
    }
    state.files.take_all(handles, &[Purpose::Import])
}

fn progress(ch: &Channel<ProgressEvent>, done: u32, total: u32, label: String) {
    let _ = ch.send(ProgressEvent { done, total, label });
}

/// Step 2 of the wizard: what the import would do with these choices (nothing is written).
#[tauri::command]
#[specta::specta]
pub async fn import_check(
    state: State<'_, AppState>,
    files: Vec<FileHandle>,
    choices: ImportChoicesDto,
    channel: Channel<ProgressEvent>,
) -> R<ImportView> {
    let files = files_of(&state, &files)?;
    let total = files.len() as u32;
    progress(
        &channel,
        0,
        total,
        format!("読み込みと照合中…（{total} ファイル）"),
    );
    let choices: dxplan::workspace::ImportChoices = choices.into();
    let r = state.with(|s| Ok(s.import(&files, true, &choices)?))?;
    progress(
        &channel,
        total,
        total,
        "読み込みと照合が終わりました".into(),
    );
    Ok(view(&r))
}

#[derive(Debug, Clone, Serialize, Type)]
pub struct ImportDone {
    pub report: ImportView,
    pub tree: PlanTree,
}

/// Step 3: the import, in one transaction, after a backup of the plan. Refused (nothing
/// written) while a question is unanswered.
#[tauri::command]
#[specta::specta]
pub async fn import_run(
    state: State<'_, AppState>,
    files: Vec<FileHandle>,
    choices: ImportChoicesDto,
    channel: Channel<ProgressEvent>,
) -> R<ImportDone> {
    let files = files_of(&state, &files)?;
    let total = files.len() as u32;
    progress(
        &channel,
        0,
        total,
        format!("計画への反映中…（{total} ファイル）"),
    );
    let choices: dxplan::workspace::ImportChoices = choices.into();
    let done = state.with(|s| {
        let backup = backup_before(&state, s, "取り込み")?;
        let r = s
            .import(&files, false, &choices)
            .map_err(|e| match e.blocking() {
                Some(questions) => AppError::new(
                    dxplan::workspace::ErrorCode::NeedsDecision,
                    format!(
                        "取り込む前に決めることがあります（計画は変更していません）: {}",
                        questions
                            .iter()
                            .map(|b| crate::error::japanese_part(b))
                            .collect::<Vec<_>>()
                            .join(" ／ ")
                    ),
                ),
                None => e.into(),
            })?;
        let mut report = view(&r);
        report.backup = Some(backup);
        Ok(ImportDone {
            report,
            tree: views::plan_tree(s),
        })
    })?;
    progress(&channel, total, total, "計画への反映が終わりました".into());
    Ok(done)
}

#[derive(Debug, Clone, Serialize, Deserialize, Type)]
pub struct ImportRecordView {
    #[specta(type = Number)]
    pub id: i64,
    pub files: Vec<String>,
    pub imported_at: String,
    #[specta(type = Number)]
    pub projects_new: i64,
    #[specta(type = Number)]
    pub projects_matched: i64,
    #[specta(type = Number)]
    pub changes: i64,
    #[specta(type = Number)]
    pub changes_held: i64,
    pub undone: bool,
}

/// The imports recorded in the plan, newest first.
#[tauri::command]
#[specta::specta]
pub async fn imports(state: State<'_, AppState>) -> R<Vec<ImportRecordView>> {
    state.with(|s| {
        let mut list: Vec<ImportRecordView> = s
            .imports()?
            .into_iter()
            .map(|r| ImportRecordView {
                id: r.id,
                files: r.files,
                imported_at: r.imported_at,
                projects_new: r.projects_new,
                projects_matched: r.projects_matched,
                changes: r.changes,
                changes_held: r.changes_held,
                undone: r.undone,
            })
            .collect();
        list.sort_by_key(|r| std::cmp::Reverse(r.id));
        Ok(list)
    })
}

#[derive(Debug, Clone, Serialize, Deserialize, Type)]
pub struct UndoImportView {
    pub projects_removed: u32,
    pub projects_restored: u32,
    pub fields_reverted: u32,
    pub items_removed: u32,
    pub labels_removed: u32,
    /// Changed since the import, left as it is: 「Ⅰ-1-① 取組名: 項目（理由）」.
    pub kept: Vec<String>,
    pub tree: PlanTree,
}

/// Takes one import back as a whole (after a backup of the plan).
#[tauri::command]
#[specta::specta]
pub async fn undo_import(state: State<'_, AppState>, import_id: i32) -> R<UndoImportView> {
    state.with(|s| {
        backup_before(&state, s, "取り込みの取り消し")?;
        let r = s.undo_import(i64::from(import_id))?;
        let kept = r
            .kept
            .iter()
            .map(|k| {
                let project = s.plan().projects.iter().find(|p| p.id == k.project_id);
                let label = project.map_or_else(
                    || k.field.clone(),
                    |p| {
                        dxplan::report::history_text::readable(
                            s.plan(),
                            Some(p),
                            &k.field,
                            None,
                            None,
                        )
                        .label
                    },
                );
                format!(
                    "{} {}: {label}（{}）",
                    s.code(&k.project_id),
                    project.map(|p| p.title.as_str()).unwrap_or(""),
                    crate::error::japanese_part(&k.reason)
                )
            })
            .collect();
        Ok(UndoImportView {
            projects_removed: u(r.projects_removed),
            projects_restored: u(r.projects_restored),
            fields_reverted: u(r.fields_reverted),
            items_removed: u(r.items_removed),
            labels_removed: u(r.labels_removed),
            kept,
            tree: views::plan_tree(s),
        })
    })
}

#[derive(Debug, Clone, Serialize, Deserialize, Type)]
pub struct ImportLabelView {
    pub label: String,
    pub field: String,
    pub field_label: String,
    pub source: String,
}

/// The plan's import profile: labels mapped to fields in earlier imports.
#[tauri::command]
#[specta::specta]
pub async fn import_profile(state: State<'_, AppState>) -> R<Vec<ImportLabelView>> {
    state.with(|s| {
        Ok(s.import_profile()?
            .into_iter()
            .map(|l| ImportLabelView {
                field_label: dxplan::model::fields::field_name(&l.field)
                    .map_or_else(|| l.field.clone(), |f| f.label.to_string()),
                label: l.label,
                field: l.field,
                source: l.source,
            })
            .collect())
    })
}
