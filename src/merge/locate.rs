//! Where in a returned department workbook a field was read: 「Sheet!D14」, so each applied
//! change, conflict and refusal can be checked against the file.

use std::collections::HashMap;

use crate::format::layout::RowKey;
use crate::grid::Grid;
use crate::model::FiscalYear;
use crate::parse::fiscal_year::parse_fiscal_year;

pub struct Locator<'g> {
    grid: &'g Grid,
    /// The first row of each key.
    rows: HashMap<RowKey, u32>,
    years: HashMap<FiscalYear, u32>,
    first_value_col: u32,
}

impl<'g> Locator<'g> {
    pub fn new(grid: &'g Grid) -> Self {
        let mut rows = HashMap::new();
        let mut years = HashMap::new();
        for (&(r, _), cell) in &grid.cells {
            if let Some(Ok(k)) = RowKey::from_cell(&cell.text) {
                if k == RowKey::Header {
                    for (c, h) in grid.row(r) {
                        if let Ok(fy) = parse_fiscal_year(&h.text) {
                            years.insert(fy, c);
                        }
                    }
                }
                rows.entry(k).or_insert(r);
            }
        }
        let first_value_col = years.values().copied().min().unwrap_or(1);
        Locator {
            grid,
            rows,
            years,
            first_value_col,
        }
    }

    fn row_matching(&self, pred: impl Fn(&RowKey) -> bool) -> Option<u32> {
        self.grid
            .cells
            .iter()
            .find_map(|(&(r, _), c)| match RowKey::from_cell(&c.text) {
                Some(Ok(k)) if pred(&k) => Some(r),
                _ => None,
            })
    }

    /// The cell a field of `project_fields` was read from, or the sheet when it has no cell.
    pub fn at(&self, field: &str) -> String {
        let parts: Vec<&str> = field.split('/').collect();
        let year_col = |fy: &str| {
            fy.parse::<FiscalYear>()
                .ok()
                .and_then(|y| self.years.get(&y).copied())
        };
        let found: Option<(u32, u32)> = match parts.as_slice() {
            ["indicator", id, fy, side] => {
                let key = if *side == "target" {
                    RowKey::Target { id: id.to_string() }
                } else {
                    RowKey::Actual { id: id.to_string() }
                };
                self.rows.get(&key).copied().zip(year_col(fy))
            }
            ["indicator", id] => self
                .row_matching(|k| matches!(k, RowKey::Indicator { id: x, .. } if x == id))
                .map(|r| (r, self.first_value_col)),
            ["task", id] => self
                .rows
                .get(&RowKey::Task { id: id.to_string() })
                .map(|r| (*r, self.first_value_col)),
            ["budget", fy, side] => {
                let key = if *side == "planned" {
                    RowKey::Planned
                } else {
                    RowKey::General
                };
                self.rows.get(&key).copied().zip(year_col(fy))
            }
            ["progress", fy] => self
                .row_matching(|k| matches!(k, RowKey::Progress { .. }))
                .zip(year_col(fy)),
            [name] => {
                let key = match *name {
                    "title" => Some(RowKey::Title),
                    "owners" | "owners_note" => Some(RowKey::Owners),
                    "status" => Some(RowKey::Status),
                    "priority" => Some(RowKey::Flag),
                    "tags" => Some(RowKey::Tags),
                    "texts.issue" => Some(RowKey::Issue),
                    "texts.purpose" => Some(RowKey::Purpose),
                    "texts.summary" => Some(RowKey::Summary),
                    "texts.goal" => Some(RowKey::Goal),
                    "texts.effects" => Some(RowKey::Effects),
                    "footnotes" => Some(RowKey::FootnoteHeader),
                    _ => None,
                };
                key.and_then(|k| self.rows.get(&k).map(|r| (*r, self.first_value_col)))
            }
            _ => None,
        };
        match found {
            Some((r, c)) => self.grid.at(r, c),
            None => format!("{}!", self.grid.name),
        }
    }
}
