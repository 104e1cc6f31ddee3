//! A flat list: one row per project under a header row, columns matched by name (事業名,
//! 担当課, 施策, and per-year columns such as 「R5目標」, 「2023年度実績」, 「令和5年度 事業費（千円）」).

use std::collections::BTreeMap;

use super::cells::{clean_text, money_value, year_value};
use crate::grid::Grid;
use crate::import::draft::{split_owners, Draft, DraftIndicator};
use crate::import::labels::{Label, Vocabulary};
use crate::import::report::{Note, SheetReport};
use crate::model::{FiscalYear, IndicatorKind};
use crate::parse::fiscal_year::split_fiscal_year_key;

#[derive(Debug, Clone, Copy, PartialEq)]
enum Col {
    Field(Label),
    Target(FiscalYear),
    Actual(FiscalYear),
    Budget(FiscalYear),
    GeneralRevenue(FiscalYear),
    IndicatorName,
}

fn column_of(vocab: &Vocabulary, key: &str) -> Option<Col> {
    match vocab.label(key) {
        Some(Label::Indicator | Label::KpiHeader) => return Some(Col::IndicatorName),
        // Budget, target and actual columns carry their year: read below.
        Some(Label::Budget | Label::GeneralRevenue | Label::Target | Label::Actual) | None => {}
        Some(l) => return Some(Col::Field(l)),
    }
    if key == "指標名" {
        return Some(Col::IndicatorName);
    }
    let (fy, rest) = split_fiscal_year_key(key)?;
    match vocab.label(rest) {
        Some(Label::Target) => Some(Col::Target(fy)),
        Some(Label::Actual) => Some(Col::Actual(fy)),
        Some(Label::Budget) => Some(Col::Budget(fy)),
        Some(Label::GeneralRevenue) => Some(Col::GeneralRevenue(fy)),
        Some(Label::Ignore) => Some(Col::Field(Label::Ignore)),
        _ => None,
    }
}

pub fn read(grid: &Grid, vocab: &Vocabulary, report: &mut SheetReport) -> Option<Vec<Draft>> {
    // The header: a row with a title column and at least one other known column.
    let (header_row, cols) = grid.used_rows().into_iter().take(30).find_map(|row| {
        // Most rows are no header: a header has a title column (only a cell whose label is
        // the title makes one) and another cell, checked before every cell's column is read.
        let mut cells = grid.row(row);
        let has_title = || {
            grid.row(row)
                .any(|(_, cell)| vocab.label(cell.key()) == Some(Label::Title))
        };
        if cells.nth(1).is_none() || !has_title() {
            return None;
        }
        let cols: BTreeMap<u32, Col> = grid
            .row(row)
            .filter_map(|(c, cell)| column_of(vocab, cell.key()).map(|k| (c, k)))
            .collect();
        let has_title = cols.values().any(|k| *k == Col::Field(Label::Title));
        let known = cols
            .values()
            .filter(|k| **k != Col::Field(Label::Ignore))
            .count();
        (has_title && known >= 2).then_some((row, cols))
    })?;
    let mut unknown = Vec::new();
    for (col, cell) in grid.row(header_row) {
        if !cols.contains_key(&col) && !cell.text.trim().is_empty() {
            report.skipped_cells.push(Note {
                at: grid.at(header_row, col),
                message: format!(
                    "見出し「{}」の列は読み込みません / column not recognised",
                    clean_text(&cell.text)
                ),
            });
            unknown.push((col, cell.text.clone()));
        }
    }
    unread_columns(grid, header_row, &unknown, report);
    let target_years: BTreeMap<u32, FiscalYear> = cols
        .iter()
        .filter_map(|(c, k)| match k {
            Col::Target(y) | Col::Actual(y) => Some((*c, *y)),
            _ => None,
        })
        .collect();
    let mut drafts = Vec::new();
    for row in grid.used_rows().into_iter().filter(|r| *r > header_row) {
        let Some((title_col, _)) = cols.iter().find(|(_, k)| **k == Col::Field(Label::Title))
        else {
            break;
        };
        let title = clean_text(grid.text(row, *title_col));
        if ["合計", "小計", "計", "総計", "合 計"]
            .contains(&crate::parse::label::normalize_label(&title).as_str())
        {
            report.skipped_cells.push(Note {
                at: grid.at(row, *title_col),
                message: "合計の行は事業ではありません / a totals row is not a project".into(),
            });
            continue;
        }
        if title.is_empty() {
            for (col, cell) in grid.row(row).filter(|(_, c)| !c.text.trim().is_empty()) {
                report.skipped_cells.push(Note {
                    at: grid.at(row, col),
                    message: format!(
                        "事業名のない行 / row without a project name: 「{}」",
                        clean_text(&cell.text)
                    ),
                });
            }
            continue;
        }
        let mut d = Draft {
            at: grid.at(row, *title_col),
            title: crate::import::draft::strip_numbering(&title),
            ..Draft::default()
        };
        let mut ind: Option<DraftIndicator> = None;
        for (col, kind) in &cols {
            let text = clean_text(grid.text(row, *col));
            match *kind {
                Col::Field(Label::Title) => {}
                Col::Field(Label::Owner) => {
                    let (units, note) = split_owners(&text);
                    d.owners = Some(units);
                    d.owners_note = Some(note);
                    d.fields += 1;
                }
                Col::Field(Label::Policy) => d.policy = Some(text).filter(|t| !t.is_empty()),
                Col::Field(Label::Measure) => d.measure = Some(text).filter(|t| !t.is_empty()),
                Col::Field(l @ (Label::Issue | Label::Purpose | Label::Summary | Label::Goal)) => {
                    d.fields += 1;
                    if let Some(field) = l.text_field() {
                        d.set_text(field, text);
                    }
                }
                Col::Field(Label::Effects) => d.effects = Some(super::cells::bullets(&text)),
                Col::Field(Label::Tags) => d.tags.extend(
                    text.split(['、', ',', '，'])
                        .map(|s| s.trim().to_string())
                        .filter(|s| !s.is_empty()),
                ),
                Col::Field(_) => {}
                Col::IndicatorName => {
                    ind.get_or_insert_with(|| DraftIndicator::new(IndicatorKind::KPI, ""))
                        .name = text;
                }
                Col::Target(fy) | Col::Actual(fy) => {
                    let v = year_value(grid, row, *col, &target_years, &mut report.guesses);
                    ind.get_or_insert_with(|| DraftIndicator::new(IndicatorKind::KPI, ""))
                        .set(fy, matches!(kind, Col::Target(_)), v);
                }
                Col::Budget(fy) | Col::GeneralRevenue(fy) => match money_value(grid, row, *col) {
                    Ok(v) => {
                        let slot = if matches!(kind, Col::Budget(_)) {
                            &mut d.budget
                        } else {
                            &mut d.general_revenue
                        };
                        slot.insert(fy, v);
                        report.budget_cells += 1;
                        d.budget_markers.extend(
                            crate::parse::value::find_markers(grid.text(row, *col))
                                .into_iter()
                                .map(|m| (m, fy)),
                        );
                    }
                    Err(e) => report.money_problem(e),
                },
            }
        }
        if let Some(mut i) = ind {
            if i.name.is_empty() {
                i.name = "評価指標".into();
            }
            i.cumulative = i.name.contains("累計");
            d.indicators.push(i);
            report.indicators += 1;
        }
        drafts.push(d);
    }
    Some(drafts)
}

/// Counts the unknown columns' values against their headings, in one pass over the rows:
/// 「R5予定額」 counts as 「予定額」 with its cells in a year column, so one mapping reads every
/// year's column.
fn unread_columns(
    grid: &Grid,
    header_row: u32,
    unknown: &[(u32, String)],
    report: &mut SheetReport,
) {
    if unknown.is_empty() {
        return;
    }
    let mut cells: BTreeMap<u32, usize> = unknown.iter().map(|(c, _)| (*c, 0)).collect();
    for ((_, c), cell) in grid.cells.range((header_row + 1, 0)..) {
        if let Some(n) = cells.get_mut(c) {
            *n += usize::from(!cell.text.trim().is_empty());
        }
    }
    for (col, heading) in unknown {
        let key = crate::parse::label::normalize_label(heading);
        let yearly = split_fiscal_year_key(&key).is_some();
        let label = match crate::parse::fiscal_year::split_fiscal_year(heading) {
            Some((_, rest)) if !rest.trim().is_empty() => rest.trim().to_string(),
            _ => clean_text(heading),
        };
        let n = cells.get(col).copied().unwrap_or(0);
        let u = report.unread_entry(&label, grid.at(header_row, *col), true);
        u.rows = 1;
        u.cells += n;
        if yearly {
            u.year_cells += n;
        }
    }
}
