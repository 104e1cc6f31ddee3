//! A workbook's sheets applied to the plan as they are read (issue 18): while the cores read
//! the next sheets, the one read is matched, applied and, in an import that writes, written
//! (`spill`), so neither its cells nor its drafts are held.
//!
//! A sheet is applied on its own only when that gives what applying the whole workbook at
//! the end gives. From the first sheet that needs the others, every later sheet is held and
//! applied at the end, in order: one whose policy or measure is known only from the
//! workbook's tables of contents (`hierarchy`), and every sheet once one of dxplan's own has
//! been read (the workbook may be an export, matched by ids instead: `native`). A dxplan sheet
//! after drafts were applied means the import must be read again without streaming
//! (`applied_before_dxplan`): rare, and never a different result.

use std::path::Path;

use super::apply::Target;
use super::error::ImportError;
use super::layout::SheetRead;
use super::report::{self, FileReport};
use super::{hierarchy, labels};
use crate::grid::Grid;
use crate::store::Writer;

/// One workbook's sheets on their way into the plan.
pub(super) struct Sheets<'a, 'w> {
    pub target: &'a mut Target,
    file: &'a Path,
    w: &'a mut Writer<'w>,
    stream: bool,
    pub out: FileReport,
    unknown: Vec<String>,
    held: Vec<SheetRead>,
    applied: bool,
    dxplan: bool,
}

impl<'a, 'w> Sheets<'a, 'w> {
    /// `stream`: apply sheets as they come where that is the same; else hold them all.
    pub fn new(
        target: &'a mut Target,
        file: &'a Path,
        w: &'a mut Writer<'w>,
        stream: bool,
        out: FileReport,
    ) -> Self {
        Sheets {
            target,
            file,
            w,
            stream,
            out,
            unknown: Vec::new(),
            held: Vec::new(),
            applied: false,
            dxplan: false,
        }
    }

    /// Takes the next sheet as `read_sheet` read it: applies it now or holds it.
    pub fn take(&mut self, (read, dxplan): (SheetRead, bool)) -> Result<(), ImportError> {
        self.dxplan |= dxplan;
        // A refused cell is reported at the end, unless the workbook turns out to be dxplan's.
        if !self.stream
            || self.dxplan
            || !self.held.is_empty()
            || needs_titles(&read)
            || !read.report.refused_cells.is_empty()
        {
            self.held.push(read);
            return Ok(());
        }
        self.applied |= !read.drafts.is_empty();
        self.apply(read, None)
    }

    /// Whether drafts of this workbook were applied before a sheet of dxplan's own was read.
    pub fn applied_before_dxplan(&self) -> bool {
        self.applied && self.dxplan
    }

    /// Applies the sheets held, with the titles `sheets` give (the whole workbook, as read),
    /// then lists the sheets that are not worksheets and says whether the file had anything
    /// to read.
    pub fn finish(
        mut self,
        sheets: &[Grid],
        non_worksheets: &[String],
        strict: bool,
    ) -> Result<FileReport, ImportError> {
        let held = std::mem::take(&mut self.held);
        // What is refused is refused before anything held is applied, as before streaming.
        for read in &held {
            self.refuse(read)?;
        }
        if !held.is_empty() {
            let titles = hierarchy::titles(sheets);
            for read in held {
                self.apply(read, Some(&titles))?;
            }
        }
        let file = self.file;
        let mut out = self.out;
        for name in non_worksheets {
            let mut s = report::SheetReport::new(name);
            s.skipped = Some("ワークシートではありません（グラフ等） / not a worksheet".into());
            out.sheets.push(s);
        }
        let no_project = out.sheets.iter().all(|s| s.projects.is_empty());
        // One unknown sheet does not stop the others; it stops a file that has nothing else,
        // and every import when asked to be strict.
        if !self.unknown.is_empty() && (strict || no_project) {
            return Err(ImportError::UnknownLayout {
                file: file.to_path_buf(),
                sheets: self.unknown.join("」「"),
            });
        }
        if no_project {
            return Err(ImportError::NoKnownLayout {
                file: file.to_path_buf(),
                detail: "事業シートが 1 枚もありません / no project sheet".into(),
            });
        }
        Ok(out)
    }

    fn refuse(&self, read: &SheetRead) -> Result<(), ImportError> {
        match read.report.refused_cells.first() {
            Some(n) => Err(ImportError::BadCell {
                file: self.file.to_path_buf(),
                at: n.at.clone(),
                message: format!("{}（計画は変更していません / plan unchanged）", n.message),
            }),
            None => Ok(()),
        }
    }

    /// Applies one sheet's projects (completed from `titles` where they need it), then
    /// writes what they added when the import writes.
    fn apply(
        &mut self,
        read: SheetRead,
        titles: Option<&hierarchy::Titles>,
    ) -> Result<(), ImportError> {
        self.refuse(&read)?;
        if read.unknown {
            self.unknown.push(read.report.sheet.clone());
        }
        let mut sheet = read.report;
        sheet.unknown_layout = read.unknown;
        for d in &read.drafts {
            let mut d = std::borrow::Cow::Borrowed(d);
            if let Some(titles) = titles.filter(|_| draft_needs_titles(&d)) {
                hierarchy::complete(d.to_mut(), titles, &mut sheet.guesses);
            }
            self.target.restore_match(&d, self.w)?;
            let line = self.target.apply(&d, &mut sheet.guesses);
            sheet.fields += d.fields;
            sheet.projects.push(line);
        }
        self.target.spill(self.w)?;
        self.out.sheets.push(sheet);
        Ok(())
    }
}

fn draft_needs_titles(d: &super::draft::Draft) -> bool {
    d.policy_code.is_some() && (d.policy.is_none() || d.measure.is_none())
}

fn needs_titles(read: &SheetRead) -> bool {
    read.drafts.iter().any(draft_needs_titles)
}

/// dxplan's hidden sheet, or a project sheet it wrote (keyed cells).
fn is_dxplan_sheet(g: &Grid) -> bool {
    crate::format::meta::is_meta_sheet(g)
        || g.cells
            .values()
            .any(|c| c.text.starts_with(crate::format::layout::KEY_PREFIX))
}

/// A sheet's layout read, and whether it is one of dxplan's own: looked at once, by the worker
/// that read the sheet, for `keep_grid` and `Sheets::take` both.
pub(super) fn read_sheet(g: &Grid, vocab: &labels::Vocabulary) -> (SheetRead, bool) {
    (super::layout::read_sheet_with(g, vocab), is_dxplan_sheet(g))
}

/// Whether `keep` must leave a sheet's grid whole: a sheet with no project (a table of
/// contents the hierarchy reads), one of dxplan's own, or one the native reading looks at.
pub(super) fn keep_grid(g: &Grid, (read, dxplan): &(SheetRead, bool)) -> bool {
    *dxplan
        || read.drafts.is_empty()
        || labels::non_project_sheet(&g.name).is_some()
        || crate::export::via::is_via_sheet(g)
}
