//! Sheets whose rows go to a temporary file as they are written (rust_xlsxwriter's
//! constant-memory worksheets), so an export does not hold every sheet of a 10,000-project
//! plan in memory until it is saved (issue 18). Rows must then be written in order: a cell
//! written to a row above the current one would be dropped, so every sheet built here writes
//! top to bottom (`tests/export_memory.rs` compares each sheet with its in-memory build).
//!
//! Each such sheet keeps its temporary file open until the workbook is saved. The soft limit
//! of open files is raised to the hard limit once (Unix; as Go programs do by default), and
//! sheets beyond what the limit leaves room for are built in memory as before.

use rust_xlsxwriter::{Workbook, Worksheet, XlsxError};

use super::style::Styles;
use super::{ExportError, ExportOptions, Streaming};

/// Open files left for everything else: the plan, SQLite's journal, the workbook being
/// written, the app's own.
const RESERVED: u64 = 256;

/// Project sheets are streamed from this many on (`Streaming::Auto`; a master workbook's are
/// built apart instead, `sheet_parts`): below it a workbook is
/// held in memory as before (a 1,000-project master workbook peaks at about 170 MB), and the
/// temporary files would cost more time than they save memory.
pub const PROJECT_SHEETS_FROM: usize = 2_000;

/// Hands out sheets: streamed while the open-file limit allows, in memory after that (or
/// always, with `Streaming::None`).
pub(crate) struct SheetSource {
    left: u64,
    streaming: Streaming,
}

/// The folder of the sheets' temporary files: a folder of dxplan's own in the OS temp folder.
/// Its files have no name (unlinked as soon as they are made), so it stays empty; creating
/// files straight in a busy temp folder can cost a millisecond each (seen: 2 ms on a Linux
/// /tmp, against 0.1 ms in a folder of its own), which 10,000 sheets would feel.
pub(crate) fn sheet_folder() -> std::path::PathBuf {
    let dir = std::env::temp_dir().join("dxplan-sheets");
    match std::fs::create_dir_all(&dir) {
        Ok(()) => dir,
        Err(_) => std::env::temp_dir(),
    }
}

impl SheetSource {
    /// Streams sheets into `wb` as `opts.streaming` says.
    pub fn new(wb: &mut Workbook, opts: &ExportOptions) -> SheetSource {
        let mut left = if opts.streaming == Streaming::None {
            0
        } else {
            open_file_limit().saturating_sub(RESERVED)
        };
        // A temp folder that cannot be written: every sheet in memory, as before.
        if left > 0 && wb.set_tempdir(sheet_folder()).is_err() {
            left = 0;
        }
        SheetSource {
            left,
            streaming: opts.streaming,
        }
    }

    /// Whether sheets can be streamed at all (a temp folder, open files to spare).
    pub fn can_stream(&self) -> bool {
        self.left > 0
    }

    /// Whether `n` project sheets are streamed.
    pub fn streams_projects(&self, n: usize) -> bool {
        match self.streaming {
            Streaming::All => true,
            Streaming::Auto => n >= PROJECT_SHEETS_FROM,
            Streaming::None => false,
        }
    }

    /// Gives every format of `st` its index in the workbook before streamed sheets are written
    /// on several threads: rust_xlsxwriter 0.102 hands out an unseen format's index after
    /// dropping its read lock and taking the write lock, so two sheets meeting the same new
    /// format at once could register it twice and shift the indices of the formats after it
    /// (cells showing another cell's format; seen under load). Formats already known are only
    /// read.
    pub fn register_formats(&mut self, wb: &mut Workbook, st: &Styles) -> Result<(), XlsxError> {
        if self.left == 0 {
            return Ok(());
        }
        // A scratch sheet of the workbook's, never added to it (its temporary file goes with it).
        let mut scratch = wb.new_worksheet_with_constant_memory()?;
        for (c, f) in st.all().into_iter().enumerate() {
            scratch.write_blank(0, c as u16, f)?;
        }
        Ok(())
    }

    /// A sheet to fill and push with `Workbook::push_worksheet`; streamed if `stream`.
    pub fn new_sheet(&mut self, wb: &mut Workbook, stream: bool) -> Result<Worksheet, XlsxError> {
        if stream && self.left > 0 {
            self.left -= 1;
            wb.new_worksheet_with_constant_memory()
        } else {
            Ok(Worksheet::new())
        }
    }

    /// A sheet added to the workbook (in tab order), filled later through
    /// `Workbook::worksheet_from_index`.
    pub fn add_sheet<'a>(&mut self, wb: &'a mut Workbook) -> Result<&'a mut Worksheet, XlsxError> {
        if self.left > 0 {
            self.left -= 1;
            wb.add_worksheet_with_constant_memory()
        } else {
            Ok(wb.add_worksheet())
        }
    }
}

/// Ends a sheet after its last row: a blank cell (default format, invisible) in the row after
/// `last_row`. A streamed sheet whose last row has a height of its own writes that row twice
/// (rust_xlsxwriter 0.102 `flush_last_row`: a second, empty `<row>` with the same number, which
/// Excel may take for damage); a row after it with a cell but no height flushes it once.
/// Written in memory-built sheets too, so both ways give the same workbook.
pub(crate) fn end_after(ws: &mut Worksheet, last_row: u32) -> Result<(), XlsxError> {
    ws.write_blank(last_row + 1, 0, &super::style::base())?;
    Ok(())
}

/// Runs an export step that writes streamed sheets. rust_xlsxwriter 0.102 panics when it
/// cannot write a sheet's temporary file (a full disk, a file-size limit): that becomes an
/// error naming the workbook, and nothing is left at its path.
pub(crate) fn guarded<T>(
    path: &std::path::Path,
    step: impl FnOnce() -> Result<T, ExportError>,
) -> Result<T, ExportError> {
    std::panic::catch_unwind(std::panic::AssertUnwindSafe(step)).unwrap_or_else(|panic| {
        let why = crate::parallel::panic_message(panic.as_ref());
        Err(ExportError::Io {
            file: path.to_path_buf(),
            source: std::io::Error::other(format!(
                "一時ファイルに書き込めません / cannot write a temporary file: {why}"
            )),
        })
    })
}

#[cfg(unix)]
fn open_file_limit() -> u64 {
    static LIMIT: std::sync::OnceLock<u64> = std::sync::OnceLock::new();
    *LIMIT.get_or_init(|| {
        let mut r = libc::rlimit {
            rlim_cur: 0,
            rlim_max: 0,
        };
        // SAFETY: getrlimit/setrlimit only read and write the struct passed.
        unsafe {
            if libc::getrlimit(libc::RLIMIT_NOFILE, &mut r) != 0 {
                return 0;
            }
            // macOS refuses a soft limit above OPEN_MAX (10,240) even when the hard one is
            // unlimited.
            for want in [r.rlim_max, 10_240] {
                if want <= r.rlim_cur {
                    break;
                }
                let raised = libc::rlimit {
                    rlim_cur: want,
                    rlim_max: r.rlim_max,
                };
                if libc::setrlimit(libc::RLIMIT_NOFILE, &raised) == 0 {
                    r.rlim_cur = want;
                    break;
                }
            }
        }
        #[allow(clippy::unnecessary_cast)] // rlim_t is not u64 everywhere
        let limit = r.rlim_cur as u64;
        limit
    })
}

/// Windows has no small per-process limit on open files.
#[cfg(windows)]
fn open_file_limit() -> u64 {
    u64::MAX
}

#[cfg(not(any(unix, windows)))]
fn open_file_limit() -> u64 {
    0
}
