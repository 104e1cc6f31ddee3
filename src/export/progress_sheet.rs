//! The master workbook's 「進捗集計」: per fiscal year with progress written, projects per
//! 状況 and 評価 of the plan's scale, per 基本方針 (`report::progress`).

use rust_xlsxwriter::Worksheet;

use super::project_sheet::Cells;
use super::style::Styles;
use super::BuildError;
use crate::model::scale::ProgressScale;
use crate::model::Plan;
use crate::parse::fiscal_year::format_both;
use crate::report::progress::{progress_counts, years_with_progress, ProgressRow};

pub const PROGRESS_SHEET: &str = "進捗集計";

pub(crate) fn write(
    ws: &mut Worksheet,
    plan: &Plan,
    scale: &ProgressScale,
    st: &Styles,
) -> Result<(), BuildError> {
    ws.set_name(PROGRESS_SHEET)?;
    let heads: Vec<String> = scale
        .status
        .iter()
        .cloned()
        .chain(["その他".to_string(), "未記入".to_string()])
        .chain(scale.evaluation.iter().map(|e| format!("評価 {e}")))
        .chain(["事業数".to_string()])
        .collect();
    let last = heads.len() as u16 + 1;
    ws.set_column_width(0, 8)?;
    ws.set_column_width(1, 40)?;
    ws.set_column_range_width(2, last, 10)?;
    let mut w = Cells {
        ws,
        sheet: PROGRESS_SHEET.to_string(),
    };
    w.merged(
        0,
        0,
        last,
        &format!("{}　進捗の集計（基本方針ごとの事業数）", plan.info.title),
        &st.title,
    )?;
    w.height(0, 24.0)?;
    let mut r = 2;
    let years = years_with_progress(plan);
    if years.is_empty() {
        w.merged(r, 0, last, "進捗の記入はまだありません。", &st.note)?;
        return Ok(());
    }
    for fy in years {
        let counts = progress_counts(plan, fy, scale);
        w.merged(r, 0, last, &format_both(fy), &st.subtitle)?;
        r += 1;
        w.text(r, 0, "コード", &st.header)?;
        w.text(r, 1, "基本方針", &st.header)?;
        for (i, h) in heads.iter().enumerate() {
            w.text(r, i as u16 + 2, h, &st.header)?;
        }
        w.height(r, 30.0)?;
        r += 1;
        for row in counts.rows.iter().chain(std::iter::once(&counts.total)) {
            write_row(&mut w, r, row, st)?;
            r += 1;
        }
        r += 1;
    }
    Ok(())
}

fn write_row(w: &mut Cells<'_>, r: u32, row: &ProgressRow, st: &Styles) -> Result<(), BuildError> {
    w.text(r, 0, &row.code, &st.cell_center)?;
    w.text(r, 1, &row.title, &st.cell_wrap)?;
    let values = row
        .status
        .iter()
        .chain([&row.other_status, &row.no_status])
        .chain(row.evaluation.iter())
        .chain([&row.projects]);
    for (i, n) in values.enumerate() {
        w.number(r, i as u16 + 2, *n as f64, &st.number)?;
    }
    Ok(())
}
