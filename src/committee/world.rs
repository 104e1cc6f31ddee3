//! The smallest typst `World` the report needs: one main source (the bundled template), one
//! file (the report's data as JSON), the report's fonts, and the report's date as today. No
//! package, no file of the machine is ever read by the document.

use std::sync::Arc;

use typst::diag::{FileError, FileResult};
use typst::foundations::{Bytes, Datetime};
use typst::syntax::{FileId, Source, VirtualPath};
use typst::text::{Font, FontBook};
use typst::utils::LazyHash;
use typst::{Library, LibraryExt, World};

use super::fonts::FontSet;

/// The template, compiled into the binary.
const TEMPLATE: &str = include_str!("template.typ");
/// Where the template finds its data (`json("/data.json")`).
pub const DATA_PATH: &str = "/data.json";

/// The template; debug builds read `DXPLAN_REPORT_TEMPLATE` instead when it names a file, so
/// the layout can be worked on without rebuilding.
fn template() -> String {
    if cfg!(debug_assertions) {
        if let Some(text) =
            std::env::var_os("DXPLAN_REPORT_TEMPLATE").and_then(|p| std::fs::read_to_string(p).ok())
        {
            return text;
        }
    }
    TEMPLATE.to_string()
}

pub struct ReportWorld {
    library: LazyHash<Library>,
    fonts: Arc<FontSet>,
    main: Source,
    data_id: FileId,
    data: Bytes,
    today: Option<Datetime>,
}

impl ReportWorld {
    pub fn new(data_json: Vec<u8>, fonts: Arc<FontSet>, today: chrono::NaiveDate) -> Self {
        use chrono::Datelike;
        let main = FileId::new(None, VirtualPath::new("/main.typ"));
        ReportWorld {
            library: LazyHash::new(Library::default()),
            fonts,
            main: Source::new(main, template()),
            data_id: FileId::new(None, VirtualPath::new(DATA_PATH)),
            data: Bytes::new(data_json),
            today: u8::try_from(today.month())
                .ok()
                .zip(u8::try_from(today.day()).ok())
                .and_then(|(m, d)| Datetime::from_ymd(today.year(), m, d)),
        }
    }

    /// Line and column of a diagnostic in the template, for an error message.
    pub fn position(&self, span: typst::syntax::Span) -> Option<(usize, usize)> {
        if span.id() != Some(self.main.id()) {
            return None;
        }
        let range = self.main.range(span)?;
        let lines = self.main.lines();
        Some((
            lines.byte_to_line(range.start)? + 1,
            lines.byte_to_column(range.start)? + 1,
        ))
    }
}

impl World for ReportWorld {
    fn library(&self) -> &LazyHash<Library> {
        &self.library
    }

    fn book(&self) -> &LazyHash<FontBook> {
        &self.fonts.book
    }

    fn main(&self) -> FileId {
        self.main.id()
    }

    fn source(&self, id: FileId) -> FileResult<Source> {
        if id == self.main.id() {
            Ok(self.main.clone())
        } else {
            Err(FileError::NotFound(id.vpath().as_rootless_path().into()))
        }
    }

    fn file(&self, id: FileId) -> FileResult<Bytes> {
        if id == self.data_id {
            Ok(self.data.clone())
        } else {
            Err(FileError::NotFound(id.vpath().as_rootless_path().into()))
        }
    }

    fn font(&self, index: usize) -> Option<Font> {
        self.fonts.font(index)
    }

    fn today(&self, _offset: Option<i64>) -> Option<Datetime> {
        self.today
    }
}
