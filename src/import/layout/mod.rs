//! Layout recognition: which of the known legacy layouts a sheet is in, by its labels,
//! wherever the table starts on the sheet.

mod blocks;
mod cells;
mod flat;
pub(crate) mod own;

use super::draft::Draft;
use super::labels::{non_project_sheet, Vocabulary};
use super::report::SheetReport;
use crate::grid::Grid;

/// What one sheet yielded.
pub struct SheetRead {
    pub drafts: Vec<Draft>,
    pub report: SheetReport,
    /// True when the sheet is in no known layout and is not a known non-project sheet.
    pub unknown: bool,
}

/// The layout name of dxplan's own project sheet read by its labels (`own`).
pub const OWN_LAYOUT: &str = "dxplan_labels";

/// `read_sheet_with` the built-in vocabulary.
pub fn read_sheet(grid: &Grid) -> SheetRead {
    read_sheet_with(grid, &Vocabulary::default())
}

/// Reads one sheet, its labels through `vocab` (the built-in words and the plan's profile).
pub fn read_sheet_with(grid: &Grid, vocab: &Vocabulary) -> SheetRead {
    let mut read = read_layout(grid, vocab);
    // A label with nothing under or beside it lost nothing.
    read.report.drop_empty_unread();
    read
}

fn read_layout(grid: &Grid, vocab: &Vocabulary) -> SheetRead {
    let mut report = SheetReport::new(&grid.name);
    let skip = |mut report: SheetReport, why: String, unknown: bool| SheetRead {
        drafts: Vec::new(),
        report: {
            report.skipped = Some(why);
            report
        },
        unknown,
    };
    if let Some(what) = non_project_sheet(&grid.name) {
        return skip(
            report,
            format!("事業シートではありません（{what}） / not a project sheet"),
            false,
        );
    }
    if grid.hidden {
        return skip(report, "非表示のシート / hidden sheet".into(), false);
    }
    // A keyed dxplan sheet is read by its keys (`import::native`), never by its labels.
    if super::native::project_key(grid).is_some() {
        return skip(
            report,
            "dxplan の事業シート（ID で読みます） / a keyed dxplan project sheet".into(),
            false,
        );
    }
    if grid.cells.values().all(|c| c.text.trim().is_empty()) {
        return skip(report, "空のシート / empty sheet".into(), false);
    }
    if let Some(what) = own::master_summary(grid) {
        return skip(
            report,
            format!("dxplan の全体ブックの集計シート（{what}）。内容は各事業のシートから読みます / summary sheet of a dxplan master workbook: read from the project sheets"),
            false,
        );
    }
    // dxplan's own layout first: its labels would otherwise half-match the legacy ones.
    if let Some(mut drafts) = own::read(grid, &mut report) {
        if drafts.is_empty() {
            return skip(
                report,
                "dxplan の事業シートですが取組名がありません / a dxplan project sheet without a title".into(),
                false,
            );
        }
        super::names::clean_drafts(grid, &mut drafts, &mut report);
        report.layout = Some(OWN_LAYOUT);
        return SheetRead {
            drafts,
            report,
            unknown: false,
        };
    }
    if let Some(mut drafts) = flat::read(grid, vocab, &mut report) {
        super::names::clean_drafts(grid, &mut drafts, &mut report);
        report.layout = Some("flat");
        return SheetRead {
            drafts,
            report,
            unknown: false,
        };
    }
    if let Some((mut drafts, layout)) = blocks::read(grid, vocab, &mut report) {
        super::names::clean_drafts(grid, &mut drafts, &mut report);
        code_of_sheet(grid, &mut drafts);
        report.layout = Some(layout);
        return SheetRead {
            drafts,
            report,
            unknown: false,
        };
    }
    skip(
        report,
        "既知の様式ではありません / no known layout".into(),
        true,
    )
}

/// A sheet named by its code (「Ⅰ-1-①」, 「Ⅱ-2」) places its projects when nothing on the sheet
/// does: policy and measure numbers, and the project's own number on a one-project sheet.
fn code_of_sheet(grid: &Grid, drafts: &mut [super::draft::Draft]) {
    let Some((code, _)) = super::hierarchy::parse_code(&grid.name) else {
        return;
    };
    let single = drafts.len() == 1;
    for d in drafts {
        if d.policy_code.is_none() {
            d.policy_code = Some(code.policy);
            d.measure_code = d.measure_code.or(code.measure);
        }
        if single && d.project_code.is_none() && code.measure == d.measure_code {
            d.project_code = code.project;
        }
    }
}
