//! The committee report (推進本部・推進委員会への報告書, issue 17): an A4 PDF of the plan's budget
//! per 基本方針 and year (table and chart), KPI achievement (table and a chart per 基本方針), the
//! roadmap (推定 and 確定 told apart, the report year marked), progress per project, and one page
//! per project, with page numbers, a running header and tables whose header repeats on every
//! page.
//!
//! `data` gathers the figures from the plan through the core's own computations; the bundled
//! typst template (`template.typ`) lays them out, compiled in-process by typst as a library
//! (`world`), with the system's Japanese fonts or the bundled IPAexGothic (`fonts`). The data
//! reaches the template as a JSON file, so no text of the plan is ever read as markup.

pub mod data;
#[cfg(feature = "report-pdf")]
mod fonts;
#[cfg(feature = "report-pdf")]
mod world;

use std::path::{Path, PathBuf};

use thiserror::Error;

pub use data::{gather, ReportData, Scope};

use crate::model::FiscalYear;

/// Why a committee report could not be made.
#[derive(Debug, Error)]
pub enum CommitteeError {
    /// The year asked for is outside the plan period.
    #[error("{fy}年度は計画期間（{first}〜{last}年度）の外です。--fy に計画期間の年度を指定してください / FY{fy} is outside the plan period ({first}–{last}): give --fy a year of the period")]
    YearOutsidePeriod {
        /// The year asked for.
        fy: FiscalYear,
        /// The plan's first year.
        first: FiscalYear,
        /// The plan's last year.
        last: FiscalYear,
    },
    /// A total beyond what 千円 amounts can hold.
    #[error(transparent)]
    Total(#[from] crate::report::totals::TotalOverflow),
    /// The data could not be written as JSON for the template.
    #[error("報告書のデータを作れません / cannot encode the report's data: {0}")]
    Json(#[from] serde_json::Error),
    /// A fault of the template (a bug of dxplan, never of the plan's data).
    #[error("報告書を組版できません / cannot typeset the report: {0}")]
    Typeset(String),
    /// typst could not write the PDF.
    #[error("報告書の PDF を作れません / cannot write the report as PDF: {0}")]
    Pdf(String),
    /// The file could not be written.
    #[error("「{}」を書き出せません / cannot write {}: {source}", file.display(), file.display())]
    Io {
        /// The file.
        file: PathBuf,
        /// What the system said.
        source: std::io::Error,
    },
    /// The destination is refused (the plan file itself, an existing SQLite file).
    #[error(transparent)]
    Target(#[from] crate::export::ExportError),
    /// This build has no report (the feature `report-pdf` was off).
    #[error("この dxplan は報告書（PDF）の機能なしでビルドされています（cargo の feature「report-pdf」） / this dxplan was built without the committee report (cargo feature report-pdf)")]
    NotBuilt,
}

/// What was written.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct ReportSummary {
    /// Pages of the PDF.
    pub pages: usize,
    /// Projects it reports on.
    pub projects: usize,
    /// Size of the PDF in bytes.
    pub bytes: usize,
    /// The font families the report asked for, in order (the first found sets the text).
    pub fonts: Vec<String>,
}

/// The fonts to set a report in: the system's Japanese fonts and the bundled one (`true`), or
/// the bundled one alone.
#[cfg(feature = "report-pdf")]
pub fn font_families(system_fonts: bool) -> Vec<String> {
    fonts::FontSet::shared(system_fonts).families.clone()
}

/// No fonts without the report (the feature `report-pdf`).
#[cfg(not(feature = "report-pdf"))]
pub fn font_families(_system_fonts: bool) -> Vec<String> {
    Vec::new()
}

/// Whether the system's fonts are used. Debug builds (the tests) can set
/// `DXPLAN_REPORT_FONTS=bundled` to set a report in the bundled font alone.
pub fn system_fonts_wanted() -> bool {
    !(cfg!(debug_assertions) && std::env::var("DXPLAN_REPORT_FONTS").is_ok_and(|v| v == "bundled"))
}

/// Typesets `data` and returns the PDF and its page count.
pub fn render(data: &ReportData, system_fonts: bool) -> Result<(Vec<u8>, usize), CommitteeError> {
    let doc = typeset(data, system_fonts)?;
    Ok((doc.pdf()?, doc.pages()))
}

/// No report without the feature `report-pdf`.
#[cfg(not(feature = "report-pdf"))]
pub fn typeset(_data: &ReportData, _system_fonts: bool) -> Result<Typeset, CommitteeError> {
    Err(CommitteeError::NotBuilt)
}

/// A report typeset but not yet written: its pages as PDF, or one page as SVG (the app's
/// preview). Without the feature `report-pdf` there is none.
#[cfg(not(feature = "report-pdf"))]
pub enum Typeset {}

#[cfg(not(feature = "report-pdf"))]
impl Typeset {
    /// The number of pages.
    pub fn pages(&self) -> usize {
        match *self {}
    }
    /// Page `index` (from 0) as an SVG document.
    pub fn page_svg(&self, _index: usize) -> Option<String> {
        match *self {}
    }
    /// The whole report as PDF.
    pub fn pdf(&self) -> Result<Vec<u8>, CommitteeError> {
        match *self {}
    }
}

/// A report typeset but not yet written: its pages as PDF, or one page as SVG (the app's
/// preview).
#[cfg(feature = "report-pdf")]
pub struct Typeset {
    doc: typst::layout::PagedDocument,
    world: world::ReportWorld,
}

#[cfg(feature = "report-pdf")]
impl Typeset {
    /// The number of pages.
    pub fn pages(&self) -> usize {
        self.doc.pages.len()
    }

    /// Page `index` (from 0) as an SVG document: glyphs as paths, so it shows the same in any
    /// webview without the fonts.
    pub fn page_svg(&self, index: usize) -> Option<String> {
        self.doc.pages.get(index).map(typst_svg::svg)
    }

    /// The whole report as PDF.
    pub fn pdf(&self) -> Result<Vec<u8>, CommitteeError> {
        // Untagged: the structure tree of a tagged PDF took 90% of the file (58 MB for 1,000
        // projects, 185,000 elements); text stays selectable and searchable without it.
        let options = typst_pdf::PdfOptions {
            tagged: false,
            ..typst_pdf::PdfOptions::default()
        };
        typst_pdf::pdf(&self.doc, &options)
            .map_err(|e| CommitteeError::Pdf(describe(&self.world, &e)))
    }
}

#[cfg(feature = "report-pdf")]
fn describe(world: &world::ReportWorld, diags: &[typst::diag::SourceDiagnostic]) -> String {
    diags
        .iter()
        .map(|e| match world.position(e.span) {
            Some((line, col)) => format!("template.typ:{line}:{col}: {}", e.message),
            None => e.message.to_string(),
        })
        .collect::<Vec<_>>()
        .join("; ")
}

/// Typesets `data` (no PDF yet).
#[cfg(feature = "report-pdf")]
pub fn typeset(data: &ReportData, system_fonts: bool) -> Result<Typeset, CommitteeError> {
    use typst::layout::PagedDocument;
    let json = serde_json::to_vec(data)?;
    let fonts = fonts::FontSet::shared(system_fonts);
    let [y, m, d] = data.meta.date_ymd;
    let today = chrono::NaiveDate::from_ymd_opt(y as i32, m, d)
        .unwrap_or_else(|| chrono::Local::now().date_naive());
    let world = world::ReportWorld::new(json, fonts, today);
    let doc: PagedDocument = typst::compile(&world)
        .output
        .map_err(|e| CommitteeError::Typeset(describe(&world, &e)))?;
    Ok(Typeset { doc, world })
}

/// Typesets the report and writes it to `path` (see [`write_pdf`]).
pub fn write_report(
    data: &ReportData,
    system_fonts: bool,
    path: &Path,
) -> Result<ReportSummary, CommitteeError> {
    let (pdf, pages) = render(data, system_fonts)?;
    write_pdf(&pdf, path)?;
    Ok(ReportSummary {
        pages,
        projects: data.project_count,
        bytes: pdf.len(),
        fonts: data.fonts.clone(),
    })
}

/// Writes a report's PDF to `path`: a temporary file beside it, renamed into place, so a failed
/// write leaves no half-written file. An existing SQLite file is never replaced.
pub fn write_pdf(pdf: &[u8], path: &Path) -> Result<(), CommitteeError> {
    crate::export::destination::refuse_database(path)?;
    let io = |source| CommitteeError::Io {
        file: path.to_path_buf(),
        source,
    };
    let dir = match path.parent() {
        Some(d) if !d.as_os_str().is_empty() => d.to_path_buf(),
        _ => PathBuf::from("."),
    };
    let name = path
        .file_name()
        .map_or_else(|| "report.pdf".into(), |n| n.to_string_lossy().into_owned());
    let tmp = dir.join(format!(".{name}.{}.tmp", uuid::Uuid::new_v4().simple()));
    let result = (|| {
        use std::io::Write as _;
        let mut file = std::fs::File::create(&tmp).map_err(io)?;
        file.write_all(pdf).map_err(io)?;
        file.sync_all().map_err(io)?;
        drop(file);
        std::fs::rename(&tmp, path).map_err(io)
    })();
    if result.is_err() {
        let _ = std::fs::remove_file(&tmp);
    }
    result
}
