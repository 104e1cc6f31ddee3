//! Names and keys read from a sheet lose their invisible format characters (zero-width spaces,
//! bidi overrides, BOM …): 「情報政策課」 + U+200B would otherwise become a second unit that
//! looks exactly like the first. Each removal is reported with its cell. Free text (課題, 概要,
//! values …) keeps what was typed.

use super::draft::Draft;
use super::report::{Note, SheetReport};
use crate::grid::Grid;
use crate::parse::label::{format_chars_listed, is_format_char, strip_format_chars};

/// Finds the cell a name was read from: the first whose text holds it as written. Only cells
/// that hold a format character can, and they are listed once per sheet; the search has a budget
/// so that a hostile sheet of a million such cells and thousands of names stays linear.
struct Cells<'g> {
    grid: &'g Grid,
    marked: Option<Vec<((u32, u32), &'g str)>>,
    budget: usize,
}

/// Cell texts compared, at most, per sheet.
const SEARCH_BUDGET: usize = 1_000_000;

impl<'g> Cells<'g> {
    fn new(grid: &'g Grid) -> Self {
        Cells {
            grid,
            marked: None,
            budget: SEARCH_BUDGET,
        }
    }

    fn at(&mut self, raw: &str, fallback: &str) -> String {
        let grid = self.grid;
        let marked = self.marked.get_or_insert_with(|| {
            grid.cells
                .iter()
                .filter(|(_, c)| c.text.chars().any(is_format_char))
                .map(|(k, c)| (*k, c.text.as_str()))
                .collect()
        });
        let take = marked.len().min(self.budget);
        self.budget -= take;
        marked[..take]
            .iter()
            .find(|(_, text)| text.contains(raw))
            .map(|((r, c), _)| grid.at(*r, *c))
            .unwrap_or_else(|| fallback.to_string())
    }
}

fn clean(
    cells: &mut Cells<'_>,
    name: &mut String,
    what: &str,
    fallback: &str,
    notes: &mut Vec<Note>,
) {
    let Some(stripped) = strip_format_chars(name) else {
        return;
    };
    notes.push(Note {
        at: cells.at(name, fallback),
        message: format!(
            "{what}「{stripped}」から見えない文字（{}）を取り除きました / removed invisible format characters from a {what_en}",
            format_chars_listed(name),
            what_en = english(what),
        ),
    });
    *name = stripped;
}

fn english(what: &str) -> &'static str {
    match what {
        "事業名" => "project title",
        "基本方針" => "policy title",
        "施策" => "measure title",
        "担当課" => "unit name",
        "指標名" => "indicator name",
        _ => "task name",
    }
}

/// Cleans every name and key of the drafts of one sheet, noting each in the sheet's report.
pub fn clean_drafts(grid: &Grid, drafts: &mut [Draft], report: &mut SheetReport) {
    let notes = &mut report.cleaned_names;
    let mut cells = Cells::new(grid);
    for d in drafts {
        let at = d.at.clone();
        clean(&mut cells, &mut d.title, "事業名", &at, notes);
        for m in d.policy.iter_mut() {
            clean(&mut cells, m, "基本方針", &at, notes);
        }
        for m in d.measure.iter_mut().chain(d.extra_measures.iter_mut()) {
            clean(&mut cells, m, "施策", &at, notes);
        }
        if let Some(units) = &mut d.owners {
            for u in units.iter_mut() {
                clean(&mut cells, u, "担当課", &at, notes);
            }
            // Two names that differed only by an invisible character are one unit.
            let mut seen = Vec::new();
            units.retain(|u| {
                let fresh = !u.is_empty() && !seen.contains(u);
                seen.push(u.clone());
                fresh
            });
        }
        for i in &mut d.indicators {
            clean(&mut cells, &mut i.name, "指標名", &at, notes);
        }
        for t in &mut d.tasks {
            clean(&mut cells, &mut t.name, "工程名", &at, notes);
        }
    }
}
