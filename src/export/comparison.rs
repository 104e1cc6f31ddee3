//! The 新旧対照表 workbook: the changes of `compare::Comparison` as a council reads them on
//! paper (A4 landscape, the header repeated on every page, page numbers), the changed
//! characters underlined in bold, additions and deletions said in words, and the budget per
//! 基本方針 and year before and after.

use std::path::Path;

use rust_xlsxwriter::{Format, FormatUnderline, Workbook, Worksheet};

use super::safe::{utf16_len, MAX_CELL_CHARS};
use super::style::{self, Styles, MAX_ROW_PT};
use super::{save_atomic, BuildError, ExportError, ExportOptions};
use crate::compare::marks::Segment;
use crate::compare::{render, BudgetComparison, Change, Comparison, ItemDiff, ItemKind, Presence};
use crate::grid::a1;

/// Sheet name of the changes.
pub const CHANGES_SHEET: &str = "新旧対照表";
/// Sheet name of the budget per policy.
pub const BUDGET_SHEET: &str = "事業費（基本方針別）";
/// Column header of the new text.
pub const NEW_HEADER: &str = "変更後（新）";
/// Column header of the old text.
pub const OLD_HEADER: &str = "変更前（旧）";

/// Column widths of the changes sheet: 番号, 名称, 項目, 新, 旧, 備考.
const WIDTHS: [f64; 6] = [11.0, 24.0, 24.0, 52.0, 52.0, 9.0];
const C_NEW: u16 = 3;
const C_OLD: u16 = 4;
const C_NOTE: u16 = 5;

/// Writes the comparison as an .xlsx (temporary file renamed into place).
pub fn export_comparison(
    cmp: &Comparison,
    plan_title: &str,
    path: &Path,
) -> Result<(), ExportError> {
    let wb = build(cmp, plan_title).map_err(|e| e.with_file(path))?;
    save_atomic(&mut wb.into(), path, &ExportOptions::default())
}

struct Formats {
    st: Styles,
    /// Plain and marked runs of a rich string (fonts must be named in each run).
    run: Format,
    run_marked: Format,
    /// The cell a value sits in.
    value: Format,
    money_marked: Format,
}

impl Formats {
    fn new() -> Formats {
        let st = Styles::new();
        Formats {
            run: style::base(),
            run_marked: style::base()
                .set_bold()
                .set_underline(FormatUnderline::Single),
            value: st.cell_wrap.clone(),
            money_marked: st
                .money
                .clone()
                .set_bold()
                .set_underline(FormatUnderline::Single),
            st,
        }
    }
}

fn build(cmp: &Comparison, plan_title: &str) -> Result<Workbook, BuildError> {
    let mut wb = Workbook::new();
    style::set_workbook_default(&mut wb)?;
    let f = Formats::new();
    let ws = wb.add_worksheet();
    write_changes(ws, cmp, plan_title, &f)?;
    let ws = wb.add_worksheet();
    write_budget(ws, &cmp.budget, cmp, plan_title, &f)?;
    Ok(wb)
}

fn check(sheet: &str, r: u32, c: u16, s: &str) -> Result<(), BuildError> {
    if s.len() > MAX_CELL_CHARS && utf16_len(s) > MAX_CELL_CHARS {
        return Err(BuildError::TooLong(format!("{sheet}!{}", a1(r, c as u32))));
    }
    Ok(())
}

/// `&` is a code in headers and footers.
fn header_text(s: &str) -> String {
    s.replace('&', "&&")
}

fn print_setup(ws: &mut Worksheet, plan_title: &str, header_row: u32) -> Result<(), BuildError> {
    ws.set_landscape();
    ws.set_paper_size(9);
    ws.set_print_fit_to_pages(1, 0);
    ws.set_repeat_rows(header_row, header_row)?;
    ws.set_margins(0.4, 0.4, 0.6, 0.6, 0.3, 0.3);
    ws.set_header(format!("&L{}　新旧対照表&R&A", header_text(plan_title)));
    ws.set_footer("&C&P / &N");
    ws.set_freeze_panes(header_row + 1, 0)?;
    Ok(())
}

/// One side of a change: plain text, or the changed runs marked.
fn write_side(
    ws: &mut Worksheet,
    r: u32,
    c: u16,
    segments: &[Segment],
    f: &Formats,
) -> Result<(), BuildError> {
    let text: String = segments.iter().map(|s| s.text.as_str()).collect();
    check(CHANGES_SHEET, r, c, &text)?;
    match segments {
        [] => {
            ws.write_blank(r, c, &f.value)?;
        }
        [only] if !only.changed => {
            ws.write_string_with_format(r, c, &only.text, &f.value)?;
        }
        _ => {
            let runs: Vec<(&Format, &str)> = segments
                .iter()
                .map(|s| {
                    (
                        if s.changed { &f.run_marked } else { &f.run },
                        s.text.as_str(),
                    )
                })
                .collect();
            ws.write_rich_string_with_format(r, c, &runs, &f.value)?;
        }
    }
    Ok(())
}

fn marked_all(text: Option<&str>) -> Vec<Segment> {
    text.filter(|t| !t.is_empty())
        .map(|t| {
            vec![Segment {
                text: t.to_string(),
                changed: true,
            }]
        })
        .unwrap_or_default()
}

fn write_changes(
    ws: &mut Worksheet,
    cmp: &Comparison,
    plan_title: &str,
    f: &Formats,
) -> Result<(), BuildError> {
    ws.set_name(CHANGES_SHEET)?;
    for (c, w) in WIDTHS.iter().enumerate() {
        ws.set_column_width(c as u16, *w)?;
    }
    let st = &f.st;
    let last_col = WIDTHS.len() as u16 - 1;
    let title = format!("{plan_title}　新旧対照表");
    ws.merge_range(0, 0, 0, last_col, &title, &st.title)?;
    ws.set_row_height(0, 24.0)?;
    let sides = format!("{NEW_HEADER}：{}　　{OLD_HEADER}：{}", cmp.to, cmp.from);
    ws.merge_range(1, 0, 1, last_col, &sides, &st.subtitle)?;
    let counts = summary_line(cmp);
    ws.merge_range(2, 0, 2, last_col, &counts, &st.note)?;
    ws.set_row_height(2, style::row_height(&[(&counts, WIDTHS.iter().sum())]))?;
    let header_row = 3;
    for (c, h) in ["番号", "名称", "項目", NEW_HEADER, OLD_HEADER, "備考"]
        .iter()
        .enumerate()
    {
        ws.write_string_with_format(header_row, c as u16, *h, &st.header)?;
    }
    ws.set_row_height(header_row, 22.0)?;
    let mut r = header_row + 1;
    if cmp.items.is_empty() {
        ws.merge_range(r, 0, r, last_col, "変更はありません / no changes", &st.cell)?;
        r += 1;
    }
    for item in &cmp.items {
        r = write_item(ws, r, item, f)?;
    }
    ws.set_print_area(0, 0, r.saturating_sub(1), last_col)?;
    print_setup(ws, plan_title, header_row)
}

fn summary_line(cmp: &Comparison) -> String {
    let mut parts = Vec::new();
    for kind in [ItemKind::Policy, ItemKind::Measure, ItemKind::Project] {
        let counts: Vec<String> = [Presence::Added, Presence::Removed, Presence::Changed]
            .iter()
            .filter_map(|p| {
                let n = cmp.count(kind, *p);
                (n > 0).then(|| format!("{} {n} 件", p.label()))
            })
            .collect();
        if !counts.is_empty() {
            parts.push(format!("{}：{}", kind.label(), counts.join("・")));
        }
    }
    if parts.is_empty() {
        "変更はありません".to_string()
    } else {
        parts.join("　")
    }
}

/// Rows of one item: for an added or removed item a first row saying so, then one row per
/// changed field; 番号 and 名称 span them all.
fn write_item(
    ws: &mut Worksheet,
    r0: u32,
    item: &ItemDiff,
    f: &Formats,
) -> Result<u32, BuildError> {
    let st = &f.st;
    let mut r = r0;
    let mut heights: Vec<f64> = Vec::new();
    let code = match &item.old_code {
        Some(old) => format!("{}\n（旧 {old}）", item.code),
        None => item.code.clone(),
    };
    let name = if item.kind == ItemKind::Plan {
        "計画全体".to_string()
    } else {
        item.title.clone()
    };
    if item.presence != Presence::Changed {
        let what = format!("{}の{}", item.kind.label(), item.presence.label());
        ws.write_string_with_format(r, 2, item.kind.label(), &st.cell_wrap)?;
        let (new, old) = match item.presence {
            Presence::Added => (marked_all(Some(&item.title)), Vec::new()),
            _ => (Vec::new(), marked_all(Some(&item.title))),
        };
        write_side(ws, r, C_NEW, &new, f)?;
        write_side(ws, r, C_OLD, &old, f)?;
        ws.write_string_with_format(r, C_NOTE, &what, &st.cell_wrap)?;
        heights.push(style::row_height(&[
            (&item.title, WIDTHS[3]),
            (&what, WIDTHS[5]),
        ]));
        r += 1;
    }
    for c in &item.changes {
        heights.push(write_change(ws, r, c, f)?);
        r += 1;
    }
    let last = r.max(r0 + 1) - 1;
    for (col, text) in [(0u16, code.as_str()), (1, name.as_str())] {
        check(CHANGES_SHEET, r0, col, text)?;
        if last > r0 {
            ws.merge_range(r0, col, last, col, text, &st.cell_wrap)?;
        } else {
            ws.write_string_with_format(r0, col, text, &st.cell_wrap)?;
        }
    }
    // A short block whose name is long: its last row grows until the rows hold the name.
    let need = style::row_height(&[(&name, WIDTHS[1]), (&code, WIDTHS[0])]);
    let have: f64 = heights.iter().sum();
    if let Some(h) = heights.last_mut() {
        *h += (need - have).max(0.0);
    }
    for (i, h) in heights.iter().enumerate() {
        ws.set_row_height(r0 + i as u32, h.min(MAX_ROW_PT))?;
    }
    Ok(r.max(r0 + 1))
}

/// Writes one change; returns the height its row needs.
fn write_change(ws: &mut Worksheet, r: u32, c: &Change, f: &Formats) -> Result<f64, BuildError> {
    let st = &f.st;
    check(CHANGES_SHEET, r, 2, &c.label)?;
    ws.write_string_with_format(r, 2, &c.label, &st.cell_wrap)?;
    let (old, new) = match c.presence {
        Presence::Changed => c.segments(),
        Presence::Added => (Vec::new(), marked_all(c.new.as_deref())),
        Presence::Removed => (marked_all(c.old.as_deref()), Vec::new()),
    };
    write_side(ws, r, C_NEW, &new, f)?;
    write_side(ws, r, C_OLD, &old, f)?;
    ws.write_string_with_format(r, C_NOTE, c.presence.label(), &st.cell_center)?;
    Ok(style::row_height(&[
        (&c.label, WIDTHS[2]),
        (c.new.as_deref().unwrap_or(""), WIDTHS[3]),
        (c.old.as_deref().unwrap_or(""), WIDTHS[4]),
    ]))
}

fn write_budget(
    ws: &mut Worksheet,
    b: &BudgetComparison,
    cmp: &Comparison,
    plan_title: &str,
    f: &Formats,
) -> Result<(), BuildError> {
    let st = &f.st;
    ws.set_name(BUDGET_SHEET)?;
    let n = b.fiscal_years.len() as u16;
    let c_total = 2 + n;
    ws.set_column_width(0, 34.0)?;
    ws.set_column_width(1, 14.0)?;
    ws.set_column_range_width(2, c_total, 16.0)?;
    ws.merge_range(
        0,
        0,
        0,
        c_total,
        "基本方針別 事業費（年度経費・LCC）",
        &st.title,
    )?;
    ws.set_row_height(0, 24.0)?;
    let sides = format!(
        "{NEW_HEADER}：{}　　{OLD_HEADER}：{}　　（単位：千円）",
        cmp.to, cmp.from
    );
    ws.merge_range(1, 0, 1, c_total, &sides, &st.subtitle)?;
    let header_row = 3;
    ws.write_string_with_format(header_row, 0, "基本方針", &st.header)?;
    ws.write_string_with_format(header_row, 1, "区分", &st.header)?;
    for (i, fy) in b.fiscal_years.iter().enumerate() {
        ws.write_string_with_format(header_row, 2 + i as u16, render::year(*fy), &st.header)?;
    }
    ws.write_string_with_format(header_row, c_total, "合計", &st.header)?;
    ws.set_row_height(header_row, 36.0)?;
    let mut r = header_row + 1;
    let rows = b
        .rows
        .iter()
        .map(|row| {
            (
                format!("{}　{}", row.code, row.title),
                row.old.as_ref(),
                row.new.as_ref(),
            )
        })
        .chain(std::iter::once((
            "合計".to_string(),
            Some(&b.old_total),
            Some(&b.new_total),
        )));
    for (name, old, new) in rows {
        check(BUDGET_SHEET, r, 0, &name)?;
        ws.merge_range(r, 0, r + 2, 0, &name, &st.cell_wrap)?;
        let lines: [(&str, Option<Vec<Option<i64>>>); 3] = [
            (
                NEW_HEADER,
                new.map(|m| b.fiscal_years.iter().map(|fy| m.get(fy).copied()).collect()),
            ),
            (
                OLD_HEADER,
                old.map(|m| b.fiscal_years.iter().map(|fy| m.get(fy).copied()).collect()),
            ),
            (
                "増減",
                Some(
                    b.fiscal_years
                        .iter()
                        .map(|fy| {
                            let v = |m: Option<&std::collections::BTreeMap<i32, i64>>| {
                                m.and_then(|m| m.get(fy)).copied().unwrap_or(0)
                            };
                            Some(v(new) - v(old))
                        })
                        .collect(),
                ),
            ),
        ];
        for (k, (what, values)) in lines.iter().enumerate() {
            ws.write_string_with_format(r, 1, *what, &st.cell_center)?;
            match values {
                None => {
                    for c in 2..=c_total {
                        ws.write_string_with_format(r, c, "－", &st.cell_center)?;
                    }
                }
                Some(values) => {
                    for (i, v) in values.iter().enumerate() {
                        let differs =
                            k == 0 && old.and_then(|m| m.get(&b.fiscal_years[i])).copied() != *v;
                        let fmt = if differs { &f.money_marked } else { &st.money };
                        match v {
                            Some(v) => {
                                ws.write_number_with_format(r, 2 + i as u16, *v as f64, fmt)?
                            }
                            None => {
                                ws.write_string_with_format(r, 2 + i as u16, "－", &st.cell_center)?
                            }
                        };
                    }
                    let sum: i64 = values.iter().flatten().sum();
                    ws.write_number_with_format(r, c_total, sum as f64, &st.money_bold)?;
                }
            }
            r += 1;
        }
    }
    ws.set_print_area(0, 0, r.saturating_sub(1), c_total)?;
    print_setup(ws, plan_title, header_row)
}
