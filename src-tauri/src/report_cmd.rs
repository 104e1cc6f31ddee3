//! 報告書 (issue 17): the committee report of the open plan, typeset in-process, previewed page by
//! page as SVG, saved as PDF. Views of `dxplan::workspace` (`Workspace::report_data`,
//! `typeset_report`, `Workspace::write_report_pdf`); the figures are the core's.
//!
//! The figures are gathered under the plan's lock (a copy, quickly); typesetting runs on a
//! blocking thread without it, so the other screens stay usable meanwhile. The last typeset
//! report is kept in `ReportCache` under a number: its pages and its PDF are taken from there,
//! and a page asked for by an older number is refused (the options changed since).

use std::path::Path;
use std::sync::atomic::{AtomicU32, Ordering};
use std::sync::{Arc, Mutex, MutexGuard};
use std::time::Instant;

use dxplan::model::FiscalYear;
use dxplan::workspace::{typeset_report, ReportRequest, Typeset};
use serde::{Deserialize, Serialize};
use specta::Type;
use tauri::ipc::Channel;
use tauri::State;

use crate::dto::{FiscalYearLabel, ProgressEvent};
use crate::error::AppError;
use crate::files::{FileHandle, Purpose};
use crate::state::{AppState, Session};
use crate::views;

type R<T> = Result<T, AppError>;

/// The report typeset last.
#[derive(Default)]
pub struct ReportCache {
    next: AtomicU32,
    slot: Mutex<Option<Cached>>,
}

struct Cached {
    id: u32,
    doc: Arc<Typeset>,
}

impl ReportCache {
    fn lock(&self) -> MutexGuard<'_, Option<Cached>> {
        self.slot.lock().unwrap_or_else(|p| p.into_inner())
    }

    fn get(&self, id: u32) -> R<Arc<Typeset>> {
        match self.lock().as_ref() {
            Some(c) if c.id == id => Ok(c.doc.clone()),
            _ => Err(AppError::new(
                dxplan::workspace::ErrorCode::Stale,
                "報告書は作り直されています。表示中の報告書で操作してください。",
            )),
        }
    }
}

/// A typeset report, as the 報告書 screen shows it.
#[derive(Debug, Clone, Serialize, Deserialize, Type)]
pub struct ReportPreview {
    /// Names this typeset report for `report_page` and `save_report`.
    pub id: u32,
    pub pages: u32,
    pub projects: u32,
    /// The report year.
    pub fiscal_year: FiscalYearLabel,
    /// 版 printed on the cover.
    pub version: String,
    /// The unit the report is limited to.
    pub department: Option<String>,
    /// A file name to offer when saving: 「大野城市DX推進計画_報告書_2024年度.pdf」.
    pub file_name: String,
    /// Milliseconds to gather and typeset (shown, and a figure for the docs).
    pub millis: u32,
}

fn progress(ch: &Channel<ProgressEvent>, done: u32, label: String) {
    let _ = ch.send(ProgressEvent {
        done,
        total: 2,
        label,
    });
}

/// Typesets the committee report of the open plan: year (None: this fiscal year within the
/// period), a recorded version, one department's projects. Pages with `report_page`.
#[tauri::command]
#[specta::specta]
pub async fn report_preview(
    state: State<'_, AppState>,
    cache: State<'_, ReportCache>,
    fiscal_year: Option<FiscalYear>,
    version: Option<String>,
    department: Option<String>,
    channel: Channel<ProgressEvent>,
) -> R<ReportPreview> {
    let started = Instant::now();
    let request = ReportRequest {
        fiscal_year,
        version: version.filter(|v| !v.trim().is_empty()),
        department: department.filter(|d| !d.trim().is_empty()),
    };
    progress(&channel, 0, "計画から数字を集めています…".into());
    let data = state.with(|s| Ok(s.report_data(&request)?))?;
    progress(
        &channel,
        1,
        format!(
            "組版しています…（事業 {} 件、指標 {} 件）",
            data.project_count, data.indicator_count
        ),
    );
    let fy = data.years.get(data.report_year).map_or(0, |y| y.fy);
    let file_name = format!(
        "{}_報告書_{fy}年度{}.pdf",
        data.meta.title,
        data.meta
            .department
            .as_deref()
            .map(|d| format!("_{d}"))
            .unwrap_or_default()
    );
    let (version, department, projects) = (
        data.meta.version.clone(),
        data.meta.department.clone(),
        data.project_count,
    );
    let doc =
        tauri::async_runtime::spawn_blocking(move || typeset_report(&data).map_err(AppError::from))
            .await
            .map_err(AppError::internal)??;
    let id = cache.next.fetch_add(1, Ordering::Relaxed) + 1;
    let pages = doc.pages();
    *cache.lock() = Some(Cached {
        id,
        doc: Arc::new(doc),
    });
    progress(&channel, 2, format!("{pages} ページを組版しました"));
    Ok(ReportPreview {
        id,
        pages: u32::try_from(pages).unwrap_or(u32::MAX),
        projects: u32::try_from(projects).unwrap_or(u32::MAX),
        fiscal_year: views::fy_label(fy),
        version,
        department,
        file_name: safe_file_name(&file_name),
        millis: u32::try_from(started.elapsed().as_millis()).unwrap_or(u32::MAX),
    })
}

/// A name the save dialog accepts on every system (no path separators or reserved marks).
fn safe_file_name(name: &str) -> String {
    name.chars()
        .map(|c| match c {
            '/' | '\\' | ':' | '*' | '?' | '"' | '<' | '>' | '|' => '_',
            c if c.is_control() => '_',
            c => c,
        })
        .collect()
}

/// Page `index` (from 0) of report `id` as SVG (glyphs as paths: it looks the same in every
/// webview, without the fonts).
#[tauri::command]
#[specta::specta]
pub async fn report_page(cache: State<'_, ReportCache>, id: u32, index: u32) -> R<String> {
    let doc = cache.get(id)?;
    tauri::async_runtime::spawn_blocking(move || doc.page_svg(index as usize))
        .await
        .map_err(AppError::internal)?
        .ok_or_else(|| {
            AppError::new(
                dxplan::workspace::ErrorCode::NotFound,
                format!("{} ページ目はありません。", index + 1),
            )
        })
}

/// What 「PDFを保存」 wrote.
#[derive(Debug, Clone, Serialize, Deserialize, Type)]
pub struct SavedReport {
    pub path: String,
    pub pages: u32,
    /// The PDF's size in bytes.
    pub bytes: u32,
}

/// Writes report `id` as PDF to the file picked with `pick_save_path` (purpose `save_report`).
#[tauri::command]
#[specta::specta]
pub async fn save_report(
    state: State<'_, AppState>,
    cache: State<'_, ReportCache>,
    id: u32,
    file: FileHandle,
) -> R<SavedReport> {
    let path = state.files.take(&file, Purpose::SaveReport)?;
    let doc = cache.get(id)?;
    let pages = doc.pages();
    let pdf = tauri::async_runtime::spawn_blocking(move || doc.pdf())
        .await
        .map_err(AppError::internal)?
        .map_err(dxplan::workspace::WorkspaceError::from)?;
    let path = state.with(|s| write_pdf(s, &pdf, &path))?;
    Ok(SavedReport {
        path,
        pages: u32::try_from(pages).unwrap_or(u32::MAX),
        bytes: u32::try_from(pdf.len()).unwrap_or(u32::MAX),
    })
}

/// The one place a report touches a file: the PDF written to `path` (never over the plan).
pub fn write_pdf(s: &Session, pdf: &[u8], path: &Path) -> R<String> {
    let out = s.write_report_pdf(pdf, path)?;
    Ok(out.display().to_string())
}

/// Frees the typeset report (the 報告書 screen was left, or another plan opened).
#[tauri::command]
#[specta::specta]
pub async fn close_report(cache: State<'_, ReportCache>) -> R<()> {
    *cache.lock() = None;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::state::Mode;
    use dxplan::workspace::write_sample;

    #[test]
    fn the_sample_report_typesets_shows_a_page_and_saves_a_pdf() {
        let dir = tempfile::tempdir().unwrap();
        let plan = dir.path().join("office.dxplan");
        write_sample(&plan).unwrap();
        let s = Session::open(&plan, Mode::Office).unwrap();
        let data = s
            .report_data(&ReportRequest {
                fiscal_year: Some(2024),
                ..ReportRequest::default()
            })
            .unwrap();
        assert_eq!(data.years[data.report_year].fy, 2024);
        assert_eq!(data.budget.grand_total, "1,240,400");
        let doc = typeset_report(&data).unwrap();
        assert!(doc.pages() > 30, "{} pages", doc.pages());
        let svg = doc.page_svg(0).unwrap();
        assert!(svg.starts_with("<svg"), "{}", &svg[..40.min(svg.len())]);
        assert!(doc.page_svg(doc.pages()).is_none());

        let pdf = doc.pdf().unwrap();
        let out = dir.path().join("報告書.pdf");
        write_pdf(&s, &pdf, &out).unwrap();
        assert!(std::fs::read(&out).unwrap().starts_with(b"%PDF"));
        // never over the plan itself
        let e = write_pdf(&s, &pdf, &plan).unwrap_err();
        assert_eq!(e.code, dxplan::workspace::ErrorCode::Export);
        assert!(Session::open(&plan, Mode::Office).is_ok());

        // a year outside the period is said so
        let e: AppError = s
            .report_data(&ReportRequest {
                fiscal_year: Some(2030),
                ..ReportRequest::default()
            })
            .err()
            .unwrap()
            .into();
        assert_eq!(e.code, dxplan::workspace::ErrorCode::Invalid);
    }

    /// How long the app's build (the `desktop` profile: dependencies unoptimised) takes to
    /// typeset, to draw every page as SVG and to write the PDF (figures for docs/report.md, no
    /// target): `cargo test -p dxplan-app --profile desktop report_timings -- --ignored --nocapture`.
    #[test]
    #[ignore]
    fn report_timings() {
        use dxplan::committee::{font_families, gather, Scope};
        let t = Instant::now();
        let fonts = font_families(true);
        println!("fonts read in {:?}", t.elapsed());
        // the default 状況・評価 scale (its type is not public: inferred from Scope)
        let scale = Default::default();
        for (name, plan, fy) in [
            ("sample", dxplan::sample::onojo().unwrap(), 2024),
            (
                "1,000 projects",
                dxplan::generate::generate(1_000, 42),
                2025,
            ),
        ] {
            let scope = Scope {
                fiscal_year: fy,
                version: None,
                department: None,
                date: chrono::Local::now().date_naive(),
                scale: &scale,
                fonts: fonts.clone(),
            };
            let t0 = Instant::now();
            let data = gather(&plan, &scope).unwrap();
            let t1 = Instant::now();
            let doc = typeset_report(&data).unwrap();
            let t2 = Instant::now();
            let svg: usize = (0..doc.pages())
                .map(|i| doc.page_svg(i).unwrap().len())
                .sum();
            let t3 = Instant::now();
            let pdf = doc.pdf().unwrap();
            let t4 = Instant::now();
            println!(
                "{name}: {} pages; gather {:?}, typeset {:?}, every page as SVG {:?} ({} KB), PDF {:?} ({} KB)",
                doc.pages(),
                t1 - t0,
                t2 - t1,
                t3 - t2,
                svg / 1024,
                t4 - t3,
                pdf.len() / 1024
            );
        }
    }

    #[test]
    fn file_names_lose_separators() {
        assert_eq!(safe_file_name("a/b:c?.pdf"), "a_b_c_.pdf");
    }
}
