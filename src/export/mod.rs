//! Excel export (issue 4): the department workbook (照会: a cover sheet and the sheets of the
//! projects one unit owns or co-owns, sent out, filled in and sent back) and the master
//! workbook (一覧, every project sheet, 事業費集計, ロードマップ, KPI, グラフ). Both carry the
//! hidden sheet 「_dxplan」 (see `meta`) from which `import::native` reads a returned workbook
//! back without loss.
//!
//! `export_department`, `export_master` and `export_submission` (in `registered`) are what the
//! CLI and the app call: they seal the hidden sheet with the plan's key and record the export in
//! the plan's register, without which no merge accepts it. `write_department` and
//! `write_master` only write a workbook (layout tests, benchmarks).
//!
//! A workbook is written to a temporary file in the target's directory and renamed into place,
//! so a failed export never leaves a half-written file.

mod book_parts;
pub mod comparison;
pub mod department;
pub(crate) mod destination;
pub(crate) mod master;
pub(crate) mod progress_sheet;
pub mod project_sheet;
pub(crate) mod registered;
pub(crate) mod safe;
mod sheet_parts;
mod streamed;
pub(crate) mod style;
pub(crate) mod via;

use std::collections::{HashMap, HashSet};
use std::io::Seek;
use std::path::{Path, PathBuf};

use rust_xlsxwriter::{Workbook, XlsxError};
use thiserror::Error;

pub use crate::model::codes::code_of;
use crate::model::{Id, Plan, Project};

/// dxplan's own format (`crate::format`), by the paths that name it here.
pub use crate::format::{layout, meta, seal};
pub use destination::check_destination;
pub use meta::{ExportKind, ExportMeta};
pub use registered::{export_department, export_master, export_submission};
pub use seal::MacKey;

/// Why an export failed. Messages are Japanese first, then English, and name the file.
#[derive(Debug, Error)]
pub enum ExportError {
    /// Writing the file failed.
    #[error("「{file}」を書き出せません / cannot write {file}: {source}")]
    Io {
        /// The file concerned.
        file: PathBuf,
        /// The underlying error.
        source: std::io::Error,
    },
    /// The workbook writer failed.
    #[error("「{file}」を書き出せません（Excel 形式） / cannot write workbook {file}: {source}")]
    Xlsx {
        /// The file concerned.
        file: PathBuf,
        /// The underlying error.
        source: XlsxError,
    },
    /// A text is longer than a cell holds.
    #[error("「{file}」: {at} の文字数が Excel のセルの上限（32,767 文字）を超えています。短くしてから書き出してください / text too long for one Excel cell at {at} in {file}")]
    TooLong {
        /// The file concerned.
        file: PathBuf,
        /// Where: sheet and cell (`Sheet!A1`).
        at: String,
    },
    /// A total does not fit.
    #[error("「{file}」を書き出せません: {source} / cannot write {file}: {source}")]
    Total {
        /// The file concerned.
        file: PathBuf,
        /// The underlying error.
        source: crate::report::totals::TotalOverflow,
    },
    /// The target must not be written (the plan itself, a folder).
    #[error("「{file}」には書き出せません（{why}）。別のファイル名を指定してください（何も書いていません） / refusing to write {file} ({why_en}); choose another file name (nothing written)")]
    UnsafeTarget {
        /// The file concerned.
        file: PathBuf,
        /// Why, in Japanese.
        why: String,
        /// Why, in English.
        why_en: String,
    },
    /// No such unit in the plan.
    #[error("組織が計画にありません / unit not in plan: {0}")]
    UnknownUnit(String),
    /// A submission needs the hidden sheet as received.
    #[error("「{file}」: 受け取ったブックの管理シートがないため提出用ファイルを書けません / cannot write {file}: the received workbook's hidden sheet was not read")]
    NotReceived {
        /// The file concerned.
        file: PathBuf,
    },
    /// The received workbook is of another plan.
    #[error("「{file}」: 別の計画のブックです（{found}） / cannot write {file}: it belongs to another plan ({found})")]
    OtherPlan {
        /// The file concerned.
        file: PathBuf,
        /// What was found instead.
        found: String,
    },
    /// An export id that is no UUID.
    #[error("書き出し ID の形式が正しくありません / malformed export id: {0}")]
    BadExportId(String),
    /// No random numbers for a key.
    #[error("乱数を得られません / no random source: {0}")]
    Random(String),
    /// The export could not be recorded in the plan.
    #[error("「{file}」: 書き出しを計画ファイルに記録できません（ファイルは書いていません） / cannot record the export of {file} in the plan (nothing written): {source}")]
    Register {
        /// The file concerned.
        file: PathBuf,
        /// The underlying error.
        source: crate::store::StoreError,
    },
    /// The hidden sheet could not be encoded.
    #[error("「{file}」: JSON に変換できません / cannot encode JSON for {file}: {source}")]
    Json {
        /// The file concerned.
        file: PathBuf,
        /// The underlying error.
        source: serde_json::Error,
    },
}

/// Errors while building, before the file name is attached.
#[derive(Debug)]
pub(crate) enum BuildError {
    Xlsx(XlsxError),
    TooLong(String),
    Json(serde_json::Error),
    Total(crate::report::totals::TotalOverflow),
    NotReceived,
    Random(String),
}

impl From<crate::report::totals::TotalOverflow> for BuildError {
    fn from(e: crate::report::totals::TotalOverflow) -> Self {
        BuildError::Total(e)
    }
}

impl From<XlsxError> for BuildError {
    fn from(e: XlsxError) -> Self {
        BuildError::Xlsx(e)
    }
}

impl From<serde_json::Error> for BuildError {
    fn from(e: serde_json::Error) -> Self {
        BuildError::Json(e)
    }
}

impl BuildError {
    fn with_file(self, file: &Path) -> ExportError {
        let file = file.to_path_buf();
        match self {
            BuildError::Xlsx(source) => ExportError::Xlsx { file, source },
            BuildError::TooLong(at) => ExportError::TooLong { file, at },
            BuildError::Json(source) => ExportError::Json { file, source },
            BuildError::Total(source) => ExportError::Total { file, source },
            BuildError::NotReceived => ExportError::NotReceived { file },
            BuildError::Random(e) => ExportError::Random(e),
        }
    }
}

/// How a workbook is written.
#[derive(Debug, Clone, Default)]
pub struct ExportOptions {
    /// Base revision of each project (`Store::project_revision`), recorded in the hidden sheet.
    pub revisions: HashMap<Id, i64>,
    /// 提出期限 shown on the cover (free text, e.g. 「2025年7月31日（木）」).
    pub deadline: Option<String>,
    /// Export id; a fresh UUID v4 when not given.
    pub export_id: Option<String>,
    /// Export time; now when not given.
    pub exported_at: Option<chrono::DateTime<chrono::FixedOffset>>,
    /// zip compression level 1–9 (default 6).
    pub compression: Option<u8>,
    /// For a department's submission written from its working copy: the hidden sheet keeps what
    /// the department received (export id, time, base revisions and values), so the office's
    /// merge compares the working copy's values against that base. It is copied verbatim
    /// (`ExportMeta::sealed`), MAC included.
    pub received: Option<meta::ExportMeta>,
    /// Actuals of fiscal years up to this one are written locked (read-only): past years
    /// after a rollover (`store::PlanSettings::locked_actuals_through`).
    pub locked_actuals_through: Option<crate::model::FiscalYear>,
    /// The fiscal year a department workbook is for (its unit names are that year's), shown on
    /// the cover.
    pub fiscal_year: Option<crate::model::FiscalYear>,
    /// DX推進員 printed on a department's cover: (unit name, person), the department's own first.
    pub roster: Vec<(String, crate::model::Promoter)>,
    /// The key the hidden sheet is sealed with: the plan's own (set by `registered`); a
    /// throwaway key when None, so the workbook can never be merged.
    pub key: Option<MacKey>,
    /// The round (照会) a department workbook is sent in: on its cover and in its hidden sheet,
    /// and recorded with the export.
    pub round: Option<meta::RoundRef>,
    /// For a 課's workbook in a round: the export id of the 部 workbook that gathers its answer.
    pub reviewed_in: Option<String>,
    /// For a 部's workbook in a round: the 課 workbooks whose answers it gathers.
    pub members: Vec<meta::MemberExport>,
    /// The choices of the progress drop-downs (状況, 評価); the default scale when None.
    pub progress_scale: Option<crate::model::scale::ProgressScale>,
    /// A 部's answer written from its working copy: the 課 answers it gathered, written to the
    /// hidden sheet 「_dxplan_via」 (see `via`).
    pub via: Vec<crate::store::ViaRecord>,
    /// Which sheets stream their rows to temporary files (`streamed`) rather than being held
    /// in memory until the save: the same workbook either way.
    pub streaming: Streaming,
    /// A department's submission written from its working copy (the app's 課モード): 記入者,
    /// 連絡先 and 事務局への連絡事項, filled into the cover's input cells (read back by the merge).
    pub cover_answer: Option<CoverAnswer>,
}

/// What a department writes on the cover of its answer.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct CoverAnswer {
    /// 記入者.
    pub respondent: String,
    /// 連絡先.
    pub contact: String,
    /// 事務局への連絡事項.
    pub remarks: String,
}

/// Which sheets of an export are streamed (`ExportOptions::streaming`).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum Streaming {
    /// The summary sheets and the hidden sheet always; project sheets when there are
    /// `streamed::PROJECT_SHEETS_FROM` or more (a temporary file costs time to make, about a
    /// millisecond each on a busy ext4 disk; memory matters only for thousands of sheets).
    #[default]
    Auto,
    /// Every sheet that can be.
    All,
    /// None: every sheet in memory until the save, as before issue 18.
    None,
}

/// What an export wrote.
#[derive(Debug, Clone)]
pub struct ExportSummary {
    /// The workbook written.
    pub path: PathBuf,
    /// Department, master or submission.
    pub kind: ExportKind,
    /// Its export id.
    pub export_id: String,
    /// (project id, sheet name) in sheet order.
    pub projects: Vec<(Id, String)>,
    /// Sheet names, in order.
    pub sheets: Vec<String>,
    /// The MAC that seals the hidden sheet.
    pub mac: String,
}

/// The unit and every unit below it (部 > 室 > 課).
pub fn unit_and_descendants(plan: &Plan, unit_id: &str) -> HashSet<Id> {
    crate::model::unit_and_below(&plan.org_units, unit_id)
}

/// The projects a unit (or a unit below it) owns as lead or co-owner, in plan order.
pub fn department_projects<'a>(plan: &'a Plan, unit_id: &str) -> Vec<&'a Project> {
    let units = unit_and_descendants(plan, unit_id);
    plan.projects
        .iter()
        .filter(|p| p.owners.iter().any(|o| units.contains(&o.unit_id)))
        .collect()
}

/// What a department workbook carries of the plan: its projects and the plan-level items they
/// reference (measures, their policies, owner units and their parents, the department itself),
/// in plan order. `import::native` reads a department workbook back as exactly this.
pub fn department_subset(plan: &Plan, unit_id: &str) -> Plan {
    let projects: Vec<Project> = department_projects(plan, unit_id)
        .into_iter()
        .cloned()
        .collect();
    let measure_ids: HashSet<&str> = projects
        .iter()
        .flat_map(|p| p.measure_ids.iter().map(String::as_str))
        .collect();
    let measures: Vec<_> = plan
        .measures
        .iter()
        .filter(|m| measure_ids.contains(m.id.as_str()))
        .cloned()
        .collect();
    let policy_ids: HashSet<&str> = measures.iter().map(|m| m.policy_id.as_str()).collect();
    let policies = plan
        .policies
        .iter()
        .filter(|p| policy_ids.contains(p.id.as_str()))
        .cloned()
        .collect();
    let mut unit_ids: HashSet<String> = projects
        .iter()
        .flat_map(|p| p.owners.iter().map(|o| o.unit_id.clone()))
        .collect();
    unit_ids.insert(unit_id.to_string());
    loop {
        let parents: Vec<String> = plan
            .org_units
            .iter()
            .filter(|u| unit_ids.contains(&u.id))
            .filter_map(|u| u.parent_id.clone())
            .filter(|p| !unit_ids.contains(p))
            .collect();
        if parents.is_empty() {
            break;
        }
        unit_ids.extend(parents);
    }
    let org_units = plan
        .org_units
        .iter()
        .filter(|u| unit_ids.contains(&u.id))
        .cloned()
        .collect();
    let indicators: HashSet<&str> = projects
        .iter()
        .flat_map(|p| p.indicators.iter().map(|i| i.id.as_str()))
        .collect();
    let rollups = plan
        .rollups
        .iter()
        .filter(|r| indicators.contains(r.indicator_id.as_str()))
        .cloned()
        .collect();
    Plan {
        info: plan.info.clone(),
        org_units,
        policies,
        measures,
        projects,
        rollups,
    }
}

/// The plan as its workbooks show it: a roll-up indicator's values are the computed sums (its
/// cells are locked and marked 「自動集計」), and so are the base values the hidden sheet
/// records, so a returned workbook reads them back unchanged.
pub fn rollups_shown(plan: &Plan) -> std::borrow::Cow<'_, Plan> {
    if plan.rollups.is_empty() {
        return std::borrow::Cow::Borrowed(plan);
    }
    let mut shown = plan.clone();
    show_rollups(&mut shown);
    std::borrow::Cow::Owned(shown)
}

/// Puts each roll-up indicator's computed values in place of its own (`rollups_shown`, in
/// place: a department's subset is shown without a copy of the whole plan).
pub(crate) fn show_rollups(plan: &mut Plan) {
    let Plan {
        rollups, projects, ..
    } = plan;
    if rollups.is_empty() {
        return;
    }
    let computed: HashMap<&str, &Vec<crate::model::IndicatorValue>> = rollups
        .iter()
        .map(|r| (r.indicator_id.as_str(), &r.computed))
        .collect();
    for p in projects {
        for i in &mut p.indicators {
            if let Some(v) = computed.get(i.id.as_str()) {
                i.values = (*v).clone();
            }
        }
    }
}

/// Builds the department workbook of `unit_id` (its projects as lead or co-owner), not saved.
pub(crate) fn build_department(
    plan: &Plan,
    unit_id: &str,
    path: &Path,
    opts: &ExportOptions,
) -> Result<(Workbook, ExportSummary), ExportError> {
    // Roll-ups are shown on the department's subset (`department::build`), not on a copy of
    // the whole plan.
    let unit = plan
        .unit(unit_id)
        .ok_or_else(|| ExportError::UnknownUnit(unit_id.to_string()))?;
    streamed::guarded(path, || {
        department::build(plan, unit, path, opts).map_err(|e| e.with_file(path))
    })
}

/// Writes the department workbook of `unit_id` without recording it anywhere: unless
/// `opts.key` is the plan's key and the export is registered, no merge accepts it
/// (`export_department` does both).
pub fn write_department(
    plan: &Plan,
    unit_id: &str,
    path: &Path,
    opts: &ExportOptions,
) -> Result<ExportSummary, ExportError> {
    let (wb, summary) = build_department(plan, unit_id, path, opts)?;
    save(wb, path, opts)?;
    Ok(summary)
}

/// Writes the master workbook of the whole plan without recording it (`export_master` does).
pub fn write_master(
    plan: &Plan,
    path: &Path,
    opts: &ExportOptions,
) -> Result<ExportSummary, ExportError> {
    let (wb, summary) = build_master(plan, path, opts)?;
    save(wb, path, opts)?;
    Ok(summary)
}

/// Builds the master workbook, not saved.
pub(crate) fn build_master(
    plan: &Plan,
    path: &Path,
    opts: &ExportOptions,
) -> Result<(Built, ExportSummary), ExportError> {
    let plan = rollups_shown(plan);
    streamed::guarded(path, || {
        master::build(&plan, path, opts).map_err(|e| e.with_file(path))
    })
}

/// A workbook ready to save: rust_xlsxwriter's, and the project sheets built apart from it
/// (`sheet_parts`; a large master workbook).
pub(crate) struct Built {
    pub wb: Workbook,
    pub parts: Option<sheet_parts::ProjectParts>,
}

impl From<Workbook> for Built {
    fn from(wb: Workbook) -> Self {
        Built { wb, parts: None }
    }
}

pub(crate) fn save(
    built: impl Into<Built>,
    path: &Path,
    opts: &ExportOptions,
) -> Result<(), ExportError> {
    let mut built = built.into();
    save_atomic(&mut built, path, opts)?;
    crate::parallel::drop_in_background(built.wb);
    Ok(())
}

/// Saves next to the target, flushes, then renames over it: the target is either the old file
/// or the complete new one. An existing SQLite file (a plan) is never replaced.
fn save_atomic(built: &mut Built, path: &Path, opts: &ExportOptions) -> Result<(), ExportError> {
    let Built { wb, parts } = built;
    destination::refuse_database(path)?;
    let io = |source| ExportError::Io {
        file: path.to_path_buf(),
        source,
    };
    if let Some(level) = opts.compression {
        wb.set_zip_compression_level(level);
    }
    let dir = match path.parent() {
        Some(d) if !d.as_os_str().is_empty() => d.to_path_buf(),
        _ => PathBuf::from("."),
    };
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| "export.xlsx".into());
    remove_stale_temps(&dir, &name);
    let tmp = dir.join(format!(".{name}.{}.tmp", uuid::Uuid::new_v4().simple()));
    let result = (|| {
        let file = std::fs::File::create(&tmp).map_err(io)?;
        let mut buf = std::io::BufWriter::new(file);
        let xlsx = |source| match source {
            XlsxError::IoError(e) => io(e),
            source => ExportError::Xlsx {
                file: path.to_path_buf(),
                source,
            },
        };
        streamed::guarded(path, || match parts {
            None => wb.save_to_writer(&mut buf).map_err(xlsx),
            Some(parts) => {
                // The workbook without its project sheets, then its parts copied to the
                // target with the project sheets' own put in (`sheet_parts`).
                let staged = tempfile::tempfile_in(streamed::sheet_folder())
                    .or_else(|_| tempfile::tempfile())
                    .map_err(io)?;
                let mut staged = std::io::BufWriter::new(staged);
                wb.save_to_writer(&mut staged).map_err(xlsx)?;
                let mut staged = staged.into_inner().map_err(|e| io(e.into_error()))?;
                staged.seek(std::io::SeekFrom::Start(0)).map_err(io)?;
                sheet_parts::assemble(std::io::BufReader::new(staged), parts, &mut buf)
                    .map_err(xlsx)?;
                Ok(())
            }
        })?;
        let file = buf.into_inner().map_err(|e| io(e.into_error()))?;
        file.sync_all().map_err(io)?;
        drop(file);
        std::fs::rename(&tmp, path).map_err(io)
    })();
    if result.is_err() {
        let _ = std::fs::remove_file(&tmp);
    }
    result
}

/// An export killed mid-write (power cut, task manager) leaves its hidden temp file beside the
/// target. The next export to the same target removes those older than any export takes;
/// a younger one may be another process's export in progress.
fn remove_stale_temps(dir: &Path, name: &str) {
    const STALE: std::time::Duration = std::time::Duration::from_secs(15 * 60);
    let prefix = format!(".{name}.");
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    for e in entries.flatten() {
        let file = e.file_name().to_string_lossy().into_owned();
        let stale = e
            .metadata()
            .ok()
            .and_then(|m| m.modified().ok())
            .and_then(|t| t.elapsed().ok())
            .is_some_and(|age| age > STALE);
        if file.starts_with(&prefix) && file.ends_with(".tmp") && stale {
            let _ = std::fs::remove_file(e.path());
        }
    }
}

/// Export time and id from the options (or now / a fresh UUID).
fn stamp(opts: &ExportOptions) -> (chrono::DateTime<chrono::FixedOffset>, String) {
    let at = opts
        .exported_at
        .unwrap_or_else(|| chrono::Local::now().fixed_offset());
    let id = opts
        .export_id
        .clone()
        .unwrap_or_else(|| uuid::Uuid::new_v4().to_string());
    (at, id)
}

/// 「2025年6月1日」.
pub fn japanese_date(at: &chrono::DateTime<chrono::FixedOffset>) -> String {
    use chrono::Datelike;
    format!("{}年{}月{}日", at.year(), at.month(), at.day())
}

/// Adds the hidden sheet 「_dxplan」 sealed with `opts.key` (MAC, then digest, last): every
/// cell a string. Very hidden, so it is not offered under Unhide in Excel. The rows of `more`
/// (projects borrowed from the plan) follow those of `meta.projects`; rows are written as they
/// are made, so the sheet's JSON is never held whole. Returns the MAC.
pub(crate) fn write_meta_sheet<'a>(
    wb: &mut Workbook,
    sheets: &mut streamed::SheetSource,
    meta: &ExportMeta,
    more: impl Iterator<Item = meta::ProjectRow<'a>>,
    opts: &ExportOptions,
) -> Result<String, BuildError> {
    let key = match &opts.key {
        Some(k) => k.clone(),
        None => MacKey::generate().map_err(|e| BuildError::Random(e.to_string()))?,
    };
    let ws = meta_sheet(wb, sheets)?;
    meta::write_sealed(meta, more, &key, |r, row| {
        row.iter()
            .enumerate()
            .try_for_each(|(c, text)| put_meta_cell(ws, (r, c as u32), text))
    })
}

/// Adds the hidden sheet of a submission: the cells of the hidden sheet the department
/// received, verbatim (its export id, base and MAC are the office's). Returns the MAC.
pub(crate) fn copy_meta_sheet(
    wb: &mut Workbook,
    sheets: &mut streamed::SheetSource,
    received: &ExportMeta,
) -> Result<String, BuildError> {
    let sealed = received.sealed.as_ref().ok_or(BuildError::NotReceived)?;
    let ws = meta_sheet(wb, sheets)?;
    for (at, text) in &sealed.cells {
        put_meta_cell(ws, *at, text)?;
    }
    Ok(sealed.mac_text().unwrap_or_default().to_string())
}

/// The hidden sheet, added to `wb`; its cells go in row order (a streamed sheet drops a row
/// written late).
fn meta_sheet<'a>(
    wb: &'a mut Workbook,
    sheets: &mut streamed::SheetSource,
) -> Result<&'a mut rust_xlsxwriter::Worksheet, BuildError> {
    let ws = sheets.add_sheet(wb)?;
    ws.set_name(meta::META_SHEET)?;
    ws.protect();
    ws.set_very_hidden(true);
    Ok(ws)
}

fn put_meta_cell(
    ws: &mut rust_xlsxwriter::Worksheet,
    (r, c): (u32, u32),
    text: &str,
) -> Result<(), BuildError> {
    if text.is_empty() {
        return Ok(());
    }
    if safe::utf16_len(text) > safe::MAX_CELL_CHARS {
        return Err(BuildError::TooLong(format!(
            "{}!{}",
            meta::META_SHEET,
            crate::grid::a1(r, c)
        )));
    }
    let col = u16::try_from(c).map_err(|_| {
        BuildError::TooLong(format!("{}!{}", meta::META_SHEET, crate::grid::a1(r, c)))
    })?;
    ws.write_string(r, col, text)?;
    Ok(())
}

/// Base values of the projects written, for the hidden sheet.
pub(crate) fn base_projects(
    projects: &[(&Project, String)],
    opts: &ExportOptions,
) -> Vec<meta::BaseProject> {
    projects
        .iter()
        .map(|(p, sheet)| meta::BaseProject {
            id: p.id.clone(),
            sheet: sheet.clone(),
            revision: opts.revisions.get(&p.id).copied(),
            project: (*p).clone(),
        })
        .collect()
}
