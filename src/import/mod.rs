//! Import of legacy Excel sheets (.xlsx, .xlsm, .xls, .ods) and CSV lists into a plan.
//!
//! An import applies each sheet to the plan as it is read (`sheets`): new projects, what fills
//! empty fields, and the changes to existing values that were accepted (`accept`); the rest is
//! held and shown old → new (`preview`). It all happens in one transaction, into which each
//! sheet's new projects are written as they are applied (`spill`), so memory stays flat in the
//! number of sheets. What a person must decide (`choices::questions`: where new projects
//! without a measure go, labels not understood), an error, or an import that changed nothing
//! rolls it back whole; otherwise it is committed and recorded, so that `undo_import` can take
//! it back whole.

pub(crate) mod error;

/// The worksheet grid every workbook is read into (now `crate::grid`), by its old path.
pub use crate::grid;
pub use error::ImportError;
pub(crate) mod accept;
pub(crate) mod apply;
pub(crate) mod choices;
pub(crate) mod draft;
pub(crate) mod hierarchy;
pub(crate) mod labels;
pub(crate) mod layout;
pub(crate) mod names;
pub mod native;
pub mod preview;
pub mod report;
pub(crate) mod sheets;
pub(crate) mod spill;
pub(crate) mod undo;

pub use choices::{AcceptChoice, ImportChoices};
pub use undo::{undo_import, UndoImportReport};

use std::path::{Path, PathBuf};

use crate::store::{OpInfo, OpKind, Store};
use apply::Target;
use report::{FileReport, ImportReport};

/// The page cache while an import writes (KiB): its memory stays flat in the sheets
/// (`Store::with_cache`).
const IMPORT_CACHE_KIB: i64 = 8_192;

/// How an import runs.
#[derive(Debug, Clone, Copy, Default)]
pub struct ImportOptions {
    /// Report what would change and write nothing.
    pub dry_run: bool,
}

/// Imports workbooks into the plan in one transaction, with the default choices: no existing
/// value is changed, and an import that must ask something stops (`ImportError::NeedsDecision`).
pub fn import_files(
    store: &mut Store,
    files: &[PathBuf],
    opts: ImportOptions,
) -> Result<ImportReport, ImportError> {
    import_with(store, files, opts, &ImportChoices::default())
}

/// What an import would do, kept nowhere (written into a transaction that is rolled back): the
/// wizard's preview, with its questions.
pub fn preview(
    store: &mut Store,
    files: &[PathBuf],
    choices: &ImportChoices,
) -> Result<ImportReport, ImportError> {
    import_with(store, files, ImportOptions { dry_run: true }, choices)
}

/// Imports workbooks into the plan in one transaction: every file is read and matched, and
/// each sheet applied as it is read and written into the open transaction (`sheets`,
/// `spill`), so memory stays flat in the number of sheets; any error, or anything `choices`
/// leaves undecided, rolls it all back and leaves the plan exactly as it was.
pub fn import_with(
    store: &mut Store,
    files: &[PathBuf],
    opts: ImportOptions,
    choices: &ImportChoices,
) -> Result<ImportReport, ImportError> {
    match attempt(store, files, opts, choices, true)? {
        Some(report) => Ok(report),
        // A dxplan export whose first sheets read as legacy ones: read again, whole.
        None => attempt(store, files, opts, choices, false)?.ok_or_else(|| {
            ImportError::Store(crate::store::StoreError::Invalid(
                "取り込みをやり直せませんでした / the import could not be read again".into(),
            ))
        }),
    }
}

/// One reading of the files: `None` (nothing kept) when a file must be read without
/// streaming (`sheets::Sheets::applied_before_dxplan`).
fn attempt(
    store: &mut Store,
    files: &[PathBuf],
    opts: ImportOptions,
    choices: &ImportChoices,
    stream: bool,
) -> Result<Option<ImportReport>, ImportError> {
    let maps = choices::checked_maps(&choices.maps)?;
    let profile = store.import_profile()?;
    let vocab = choices::vocabulary(
        &profile
            .iter()
            .map(|l| (l.key.clone(), l.field.clone()))
            .collect::<Vec<_>>(),
        &maps,
    );
    let mut target = Target::new(store.load_plan()?);
    choices::prepare(&mut target, choices)?;
    let new_maps: Vec<&(String, String, String)> = maps
        .iter()
        .filter(|(k, _, f)| !profile.iter().any(|l| &l.key == k && &l.field == f))
        .collect();
    let names: Vec<String> = files.iter().map(|f| f.display().to_string()).collect();
    let source = names.join(", ");
    let op = OpInfo::new(OpKind::Import).source(source.clone());
    let stored = |e: crate::store::StoreError| match e {
        e if e.is_constraint() => ImportError::Contradicts {
            files: source.clone(),
        },
        e => e.into(),
    };
    let written = store.with_cache(IMPORT_CACHE_KIB, |store| {
        // A dry run (the wizard's preview) takes the same path and is always rolled back: its
        // report is the import's, and its memory stays as flat in the sheets.
        store.write_maybe(op, |w| {
            let read = read_files(&mut target, files, &vocab, choices, opts.dry_run, w, stream)?;
            let Some(mut report) = read else {
                return Ok((None, false));
            };
            if opts.dry_run {
                return Ok((Some(report), false));
            }
            if !report.questions.blocking.is_empty() {
                return Err(ImportError::NeedsDecision(Box::new(report)));
            }
            if target.touched.is_empty() && target.new_units.is_empty() && new_maps.is_empty() {
                return Ok((Some(report), false));
            }
            let s = &report.summary;
            w.set_op_summary(&format!(
                "新規 {} 件 / 一致 {} 件 / 変更 {} 項目 / 保留 {} 項目",
                s.projects_new, s.projects_matched, s.changes, s.changes_held
            ))?;
            let record = crate::store::imports::NewImport {
                files: names.clone(),
                projects_new: s.projects_new,
                projects_matched: s.projects_matched,
                changes: s.changes,
                changes_held: s.changes_held,
                rows_unread: s.rows_unread,
            };
            target.save(w, None).map_err(stored)?;
            for (key, label, field) in &new_maps {
                w.set_import_label(key, label, field, &source)?;
            }
            report.import_id = Some(w.record_import(&record, target.originals.values())?);
            Ok((Some(report), true))
        })
    })?;
    crate::parallel::drop_in_background(target);
    written.map_err(|e| match e {
        ImportError::Store(e) => stored(e),
        e => e,
    })
}

/// Reads and applies every file, then sums up and asks what must be asked; with a writer,
/// each sheet's new projects are written as they are applied. `None` as `attempt`.
fn read_files(
    target: &mut Target,
    files: &[PathBuf],
    vocab: &labels::Vocabulary,
    choices: &ImportChoices,
    dry_run: bool,
    w: &mut crate::store::Writer<'_>,
    stream: bool,
) -> Result<Option<ImportReport>, ImportError> {
    let mut report = ImportReport {
        dry_run,
        files: Vec::new(),
        summary: Default::default(),
        questions: Default::default(),
        import_id: None,
    };
    for file in files {
        let before = target.unplaced.len();
        let Some(read) = import_file(target, file, vocab, choices.strict, w, stream)? else {
            return Ok(None);
        };
        report.files.push(read);
        for u in &mut target.unplaced[before..] {
            u.file = file.display().to_string();
        }
    }
    report.summarise();
    report.questions = choices::questions(target, &report.files, choices);
    Ok(Some(report))
}

/// The plan a dxplan workbook was exported from, to create a new plan file from it.
pub fn exported_plan_info(file: &Path) -> Result<Option<crate::model::PlanInfo>, ImportError> {
    let wb = crate::workbook::open(file)?;
    Ok(native::read_native(file, &wb)?.map(|n| n.meta.plan))
}

/// A new plan file at `path` (which must not exist) of the plan `info`, filled with what
/// `workbook` (an export of that plan) carries, written whole or not at all: a department's
/// working copy.
pub fn new_plan_from_workbook(
    path: &Path,
    info: &crate::model::PlanInfo,
    workbook: &Path,
) -> Result<(), ImportError> {
    Store::create_whole(path, info, |store| {
        import_files(
            store,
            &[workbook.to_path_buf()],
            ImportOptions { dry_run: false },
        )
        .map(|_| ())
    })
}

/// A dxplan export goes only into its own plan (a new plan file is created as that plan), and
/// its indicators and tasks only where the plan has them.
fn check_native(
    target: &Target,
    file: &Path,
    n: &native::NativeWorkbook,
) -> Result<(), ImportError> {
    if n.meta.plan.id != target.plan.info.id {
        return Err(ImportError::OtherPlan {
            file: file.to_path_buf(),
            at: n
                .meta
                .sealed
                .as_ref()
                .map_or_else(String::new, |s| s.at.plan.clone()),
            found: format!(
                "{}: {}",
                crate::model::ids::shown(&n.meta.plan.title),
                n.meta.plan.id
            ),
        });
    }
    let mut homes: std::collections::HashMap<(native::ItemKind, &str), &str> =
        std::collections::HashMap::new();
    for p in &target.plan.projects {
        for i in &p.indicators {
            homes.insert((native::ItemKind::Indicator, &i.id), &p.id);
        }
        for t in &p.schedule {
            homes.insert((native::ItemKind::Task, &t.id), &p.id);
        }
    }
    let problem = n
        .check_items(|k, id| {
            Ok::<_, std::convert::Infallible>(homes.get(&(k, id)).map(|h| h.to_string()))
        })
        .unwrap_or_else(|e| match e {});
    if let Some(p) = problem {
        return Err(ImportError::BadCell {
            file: file.to_path_buf(),
            at: p.at().to_string(),
            message: p.to_string(),
        });
    }
    // Measures a sheet names must be the export's or the plan's.
    for p in &n.plan.projects {
        for m in &p.measure_ids {
            let known = n.plan.measures.iter().any(|x| &x.id == m)
                || target.plan.measures.iter().any(|x| &x.id == m);
            if !known {
                let sheet = n
                    .sheets
                    .iter()
                    .find(|(id, _)| id == &p.id)
                    .map_or("", |(_, s)| s.as_str());
                return Err(ImportError::BadCell {
                    file: file.to_path_buf(),
                    at: format!("{sheet}!"),
                    message: format!(
                        "計画にない施策です / a measure the plan does not have: {}",
                        crate::model::ids::shown(m)
                    ),
                });
            }
        }
    }
    Ok(())
}

fn import_file(
    target: &mut Target,
    file: &Path,
    vocab: &labels::Vocabulary,
    strict: bool,
    w: &mut crate::store::Writer<'_>,
    stream: bool,
) -> Result<Option<FileReport>, ImportError> {
    let out = FileReport {
        file: file.display().to_string(),
        encoding: None,
        sheets: Vec::new(),
    };
    if crate::workbook::is_csv(file) {
        let (grid, encoding) = crate::workbook::read_csv(file)?;
        let mut sheets = sheets::Sheets::new(target, file, w, false, out);
        sheets.out.encoding = Some(encoding.name().to_string());
        sheets.take(sheets::read_sheet(&grid, vocab))?;
        return sheets
            .finish(std::slice::from_ref(&grid), &[], strict)
            .map(Some);
    }
    // Layouts are recognised as the sheets are read, and a legacy sheet's projects applied
    // as soon as it is (`sheets`): its cells and drafts are let go there and then, so memory
    // stays flat in the number of sheets. Sheets dxplan wrote, and those the hierarchy or
    // the native reading look at, are kept whole.
    let mut sheets = sheets::Sheets::new(target, file, w, stream, out);
    let wb = crate::workbook::open_each(
        file,
        |g| sheets::read_sheet(g, vocab),
        sheets::keep_grid,
        |read| sheets.take(read),
    )?;
    // A workbook dxplan exported carries ids: its projects are matched by them.
    if let Some(n) = native::read_native(file, &wb)? {
        if sheets.applied_before_dxplan() {
            return Ok(None);
        }
        let target = sheets.target;
        let mut out = sheets.out;
        check_native(target, file, &n)?;
        let sheet_of: std::collections::HashMap<&str, &str> = n
            .sheets
            .iter()
            .map(|(id, s)| (id.as_str(), s.as_str()))
            .collect();
        let mut by_sheet: Vec<report::SheetReport> = Vec::new();
        for p in &n.plan.projects {
            let sheet = sheet_of.get(p.id.as_str()).copied().unwrap_or_default();
            let mut s = report::SheetReport::new(sheet);
            // 担当課 as typed, against every unit of the plan: an unknown unit is reported,
            // never created or kept as note text.
            let mut p = p.clone();
            if let Some(cell) = n.owner_cells.iter().find(|c| c.project_id == p.id) {
                let plan_units = &target.plan.org_units;
                let mut units = plan_units.clone();
                units.extend(
                    n.plan
                        .org_units
                        .iter()
                        .filter(|u| !plan_units.iter().any(|x| x.id == u.id))
                        .cloned(),
                );
                let read = cell.read(&units);
                p.owners = read.owners;
                p.owners_note = read.note;
                for name in read.unknown {
                    s.skipped_cells.push(report::Note {
                        at: cell.at.clone(),
                        message: format!("「{name}」はこの計画の組織にないため、担当課に加えていません / not a unit of this plan: not added"),
                    });
                }
            }
            let p = &p;
            let mut line = target.put_native(p, &n.plan);
            line.at = format!("{sheet}!A1");
            s.layout = Some("dxplan");
            s.indicators = p.indicators.len();
            s.tasks = p.schedule.len();
            s.budget_cells = p.budget.len();
            s.projects.push(line);
            by_sheet.push(s);
        }
        for w in &n.warnings {
            if let Some(s) = by_sheet.first_mut() {
                s.guesses.push(report::Note {
                    at: String::new(),
                    message: w.clone(),
                });
            }
        }
        out.sheets = by_sheet;
        return Ok(Some(out));
    }
    let out = sheets.finish(&wb.sheets, &wb.non_worksheets, strict);
    crate::parallel::drop_in_background(wb);
    out.map(Some)
}
