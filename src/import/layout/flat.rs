//! A flat list: one row per project under a header row, columns matched by name (事業名,
//! 担当課, 施策, and per-year columns such as 「R5目標」, 「2023年度実績」, 「令和5年度 事業費（千円）」).

use std::collections::BTreeMap;

use super::cells::{clean_text, money_value, year_value};
use crate::import::draft::{split_owners, Draft, DraftIndicator};
use crate::import::grid::Grid;
use crate::import::labels::{label_of_key, Label};
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

fn column_of(key: &str) -> Option<Col> {
    match label_of_key(key) {
        Some(Label::Indicator | Label::KpiHeader) => return Some(Col::IndicatorName),
        // Budget, target and actual columns carry their year: read below.
        Some(Label::Budget | Label::GeneralRevenue | Label::Target | Label::Actual) | None => {}
        Some(l) => return Some(Col::Field(l)),
    }
    if key == "指標名" {
        return Some(Col::IndicatorName);
    }
    let (fy, rest) = split_fiscal_year_key(key)?;
    match label_of_key(rest) {
        Some(Label::Target) => Some(Col::Target(fy)),
        Some(Label::Actual) => Some(Col::Actual(fy)),
        Some(Label::Budget) => Some(Col::Budget(fy)),
        Some(Label::GeneralRevenue) => Some(Col::GeneralRevenue(fy)),
        _ => None,
    }
}

pub fn read(grid: &Grid, report: &mut SheetReport) -> Option<Vec<Draft>> {
    // The header: a row with a title column and at least one other known column.
    let (header_row, cols) = grid.used_rows().into_iter().take(30).find_map(|row| {
        let cols: BTreeMap<u32, Col> = grid
            .row(row)
            .filter_map(|(c, cell)| column_of(cell.key()).map(|k| (c, k)))
            .collect();
        let has_title = cols.values().any(|k| *k == Col::Field(Label::Title));
        (has_title && cols.len() >= 2).then_some((row, cols))
    })?;
    for (col, cell) in grid.row(header_row) {
        if !cols.contains_key(&col) && !cell.text.trim().is_empty() {
            report.skipped_cells.push(Note {
                at: grid.at(header_row, col),
                message: format!(
                    "見出し「{}」の列は読み込みません / column not recognised",
                    clean_text(&cell.text)
                ),
            });
        }
    }
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
                    let slot = match l {
                        Label::Issue => &mut d.issue,
                        Label::Purpose => &mut d.purpose,
                        Label::Summary => &mut d.summary,
                        _ => &mut d.goal,
                    };
                    *slot = Some(text);
                }
                Col::Field(Label::Effects) => d.effects = Some(super::cells::bullets(&text)),
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
