//! The master workbook for the DX office and the committee: 一覧 (overview), 事業費集計
//! (policy × fiscal year, totals as formulas that carry their computed values), ロードマップ,
//! KPI (target, actual, 達成率), グラフ (budget by year, KPI achievement), every project sheet,
//! and the hidden 「_dxplan」 sheet.
//!
//! The budget columns of 一覧 refer to the project sheets and 事業費集計 sums 一覧 per policy,
//! so a corrected project sheet flows through to the totals when Excel recalculates; every
//! formula is written with its result, for viewers that do not recalculate.

use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::path::Path;

use rust_xlsxwriter::{Chart, ChartType, Url, Workbook};

use super::project_sheet::{self, Cells, ProjectSheetInfo};
use super::safe::{formula_string, quote_sheet, SheetNames};
use super::style::{self, Styles};
use super::{code_of, stamp, write_meta_sheet, BuildError, ExportOptions, ExportSummary};
use crate::format::layout;
use crate::format::meta::{ExportKind, ExportMeta, ProjectRow, FORMAT_VERSION};
use crate::model::codes::{measure_code, policy_code};
use crate::model::{FiscalYear, Plan, Project};
use crate::parse::fiscal_year::{
    format_both, format_fiscal_year, format_wareki, format_wareki_short,
};
use crate::report::totals::{checked_sum, try_budget_by_policy, TotalOverflow};

use crate::format::summary::*;

fn col_name(c: u16) -> String {
    let a = crate::grid::a1(0, c as u32);
    a.trim_end_matches('1').to_string()
}

/// `$C$5`.
fn abs(r: u32, c: u16) -> String {
    format!("${}${}", col_name(c), r + 1)
}

fn num(v: f64) -> String {
    if v.fract() == 0.0 && v.abs() < 1e15 {
        format!("{}", v as i64)
    } else {
        format!("{v}")
    }
}

pub(crate) fn build(
    plan: &Plan,
    path: &Path,
    opts: &ExportOptions,
) -> Result<(super::Built, ExportSummary), BuildError> {
    let (at, export_id) = stamp(opts);
    let mut wb = Workbook::new();
    style::set_workbook_default(&mut wb)?;
    let st = Styles::new();
    let mut names = SheetNames::new();
    for n in [
        LIST_SHEET,
        BUDGET_SHEET,
        ROADMAP_SHEET,
        KPI_SHEET,
        CHART_SHEET,
        super::progress_sheet::PROGRESS_SHEET,
        crate::format::meta::META_SHEET,
    ] {
        names.reserve(n);
    }
    let codes: Vec<String> = plan.projects.iter().map(|p| code_of(plan, p)).collect();
    let sheet_names: Vec<String> = plan
        .projects
        .iter()
        .zip(&codes)
        .map(|(p, c)| names.unique(&format!("{c} {}", p.title)))
        .collect();

    // Summary sheets first in the tab order, filled once the project sheets are laid out.
    // 一覧, ロードマップ and KPI have a row per project, task or indicator: streamed too.
    let mut sheets = super::streamed::SheetSource::new(&mut wb, opts);
    for i in 0..6 {
        if [0, 2, 3].contains(&i) {
            sheets.add_sheet(&mut wb)?;
        } else {
            wb.add_worksheet();
        }
    }
    let items: Vec<(&Project, String, String)> = plan
        .projects
        .iter()
        .zip(&sheet_names)
        .zip(&codes)
        .map(|((p, n), c)| (p, n.clone(), c.clone()))
        .collect();
    // Thousands of project sheets are built apart and put in at the save (`sheet_parts`):
    // rust_xlsxwriter would hold every one of them until then.
    let (infos, parts) = if sheets.can_stream() && sheets.streams_projects(items.len()) {
        super::sheet_parts::register_formats(&mut wb, &st)?;
        let level = i64::from(opts.compression.unwrap_or(6));
        let (infos, parts) = super::sheet_parts::build(6, plan, &items, &st, opts, level)?;
        (infos, Some(parts))
    } else {
        let infos = project_sheet::add_all(&mut wb, &mut sheets, plan, &items, &st, opts)?;
        (infos, None)
    };

    let years = all_years(plan);
    let list_rows = write_list(&mut wb, plan, &codes, &infos, &years, &st)?;
    let budget = write_budget(&mut wb, plan, &years, &list_rows, &st)?;
    write_roadmap(&mut wb, plan, &codes, &years, &st)?;
    let kpi = write_kpi(&mut wb, plan, &codes, &years, &st)?;
    write_charts(&mut wb, plan, &years, &budget, &kpi, &st)?;
    super::progress_sheet::write(
        wb.worksheet_from_index(5)?,
        plan,
        &opts.progress_scale.clone().unwrap_or_default(),
        &st,
    )?;

    // The projects' rows are written from the plan (`more` below), not from copies in `meta`.
    let meta = ExportMeta {
        version: FORMAT_VERSION,
        export_id: export_id.clone(),
        kind: ExportKind::Master,
        exported_at: at.to_rfc3339(),
        department: None,
        plan: plan.info.clone(),
        org_units: plan.org_units.clone(),
        policies: plan.policies.clone(),
        measures: plan.measures.clone(),
        projects: Vec::new(),
        round: None,
        progress_scale: Some(opts.progress_scale.clone().unwrap_or_default()),
        members: Vec::new(),
        locked_actuals_through: opts.locked_actuals_through,
        sealed: None,
    };
    let rows = plan
        .projects
        .iter()
        .zip(&sheet_names)
        .map(|(p, sheet)| ProjectRow {
            id: &p.id,
            sheet,
            revision: opts.revisions.get(&p.id).copied(),
            project: p,
        });
    let mac = write_meta_sheet(&mut wb, &mut sheets, &meta, rows, opts)?;
    let mut sheets: Vec<String> = [
        LIST_SHEET,
        BUDGET_SHEET,
        ROADMAP_SHEET,
        KPI_SHEET,
        CHART_SHEET,
        super::progress_sheet::PROGRESS_SHEET,
    ]
    .iter()
    .map(|s| s.to_string())
    .collect();
    sheets.extend(sheet_names.iter().cloned());
    let summary = ExportSummary {
        path: path.to_path_buf(),
        kind: ExportKind::Master,
        export_id,
        projects: plan
            .projects
            .iter()
            .map(|p| p.id.clone())
            .zip(sheet_names)
            .collect(),
        sheets,
        mac,
    };
    Ok((super::Built { wb, parts }, summary))
}

/// The plan's years, widened to every year a budget, indicator or task uses.
fn all_years(plan: &Plan) -> Vec<FiscalYear> {
    let mut set: BTreeSet<FiscalYear> = plan.info.fiscal_years().into_iter().collect();
    for p in &plan.projects {
        set.extend(p.budget.iter().map(|b| b.fiscal_year));
        set.extend(
            p.indicators
                .iter()
                .flat_map(|i| i.values.iter().map(|v| v.fiscal_year)),
        );
        set.extend(p.schedule.iter().flat_map(|t| [t.start_fy, t.end_fy]));
    }
    match (set.first(), set.last()) {
        (Some(&a), Some(&b)) => (a..=b).collect(),
        _ => Vec::new(),
    }
}

fn finish_summary(
    ws: &mut rust_xlsxwriter::Worksheet,
    last_row: u32,
    last_col: u16,
    freeze: (u32, u16),
) -> Result<(), BuildError> {
    ws.set_landscape();
    ws.set_paper_size(9);
    ws.set_print_fit_to_pages(1, 0);
    ws.set_repeat_rows(0, freeze.0.saturating_sub(1))?;
    ws.set_print_area(0, 0, last_row.max(freeze.0), last_col)?;
    ws.set_freeze_panes(freeze.0, freeze.1)?;
    ws.set_margins(0.4, 0.4, 0.5, 0.5, 0.3, 0.3);
    ws.set_footer("&C&A　&P / &N");
    Ok(())
}

/// Where 一覧 put things: first data row, rows, year columns, the policy id column.
struct ListRows {
    first: u32,
    last: u32,
    year_cols: Vec<(FiscalYear, u16)>,
    policy_col: u16,
}

fn write_list(
    wb: &mut Workbook,
    plan: &Plan,
    codes: &[String],
    infos: &[ProjectSheetInfo],
    years: &[FiscalYear],
    st: &Styles,
) -> Result<ListRows, BuildError> {
    let ws = wb.worksheet_from_index(0)?;
    ws.set_name(LIST_SHEET)?;
    let heads = LIST_HEADS;
    let widths = [12.0, 8.0, 28.0, 40.0, 24.0, 8.0, 8.0, 7.0, 7.0];
    for (c, w) in widths.iter().enumerate() {
        ws.set_column_width(c as u16, *w)?;
    }
    let c_year0 = heads.len() as u16;
    let c_total = c_year0 + years.len() as u16;
    let c_policy = c_total + 1;
    ws.set_column_range_width(c_year0, c_total, 14)?;
    ws.set_column_hidden(c_policy)?;
    let mut w = Cells {
        ws,
        sheet: LIST_SHEET.to_string(),
    };
    w.merged(
        0,
        0,
        c_total,
        &format!("{}　事業一覧", plan.info.title),
        &st.title,
    )?;
    w.height(0, 24.0)?;
    for (c, h) in heads.iter().enumerate() {
        w.text(1, c as u16, h, &st.header)?;
    }
    for (i, fy) in years.iter().enumerate() {
        w.text(
            1,
            c_year0 + i as u16,
            &format!(
                "{}\n（{}）\n事業費（千円）",
                format_fiscal_year(*fy),
                format_wareki(*fy)
            ),
            &st.header,
        )?;
    }
    w.text(1, c_total, "合計（千円）", &st.header)?;
    w.text(1, c_policy, "policy_id", &st.key)?;
    w.height(1, 48.0)?;
    let measure = |id: &str| plan.measures.iter().find(|m| m.id == id);
    let policy = |id: &str| plan.policies.iter().find(|p| p.id == id);
    let first = 2;
    let mut r = first;
    for ((p, code), info) in plan.projects.iter().zip(codes).zip(infos) {
        let m = p.measure_ids.first().and_then(|id| measure(id));
        let pol = m.and_then(|m| policy(&m.policy_id));
        w.text(r, 0, code, &st.cell)?;
        w.text(
            r,
            1,
            &pol.map(|x| policy_code(x.position)).unwrap_or_default(),
            &st.cell_center,
        )?;
        let mt = m
            .map(|m| {
                format!(
                    "{}　{}",
                    measure_code(pol.map_or(0, |x| x.position), m.position),
                    m.title
                )
            })
            .unwrap_or_default();
        w.text(r, 2, &mt, &st.cell_wrap)?;
        let url =
            Url::new(format!("internal:{}!A1", quote_sheet(&info.name))).set_text(p.title.clone());
        w.ws.write_url_with_format(r, 3, url, &st.link)?;
        let owners = layout::owners_text(&plan.org_units, &p.owners, &p.owners_note);
        w.text(r, 4, &owners, &st.cell_wrap)?;
        w.text(r, 5, layout::status_label(p.status), &st.cell_center)?;
        w.text(r, 6, layout::flag_label(p.priority.flag), &st.cell_center)?;
        match p.priority.urgency {
            Some(v) => w.number(r, 7, v as f64, &st.cell_center)?,
            None => w.blank(r, 7, &st.cell)?,
        }
        match p.priority.importance {
            Some(v) => w.number(r, 8, v as f64, &st.cell_center)?,
            None => w.blank(r, 8, &st.cell)?,
        }
        let mut sum = Some(0i64);
        for (i, fy) in years.iter().enumerate() {
            let c = c_year0 + i as u16;
            let v = p
                .budget
                .iter()
                .find(|b| b.fiscal_year == *fy)
                .and_then(|b| b.planned_thousand_yen)
                .unwrap_or(0);
            sum = sum.and_then(|s| s.checked_add(v));
            match info.year_col(*fy) {
                Some(pc) => {
                    let f = format!("={}!{}", quote_sheet(&info.name), abs(info.planned_row, pc));
                    w.formula(r, c, &f, v.to_string(), &st.money)?;
                }
                None => w.number(r, c, 0.0, &st.money)?,
            }
        }
        let f = format!(
            "=SUM({}:{})",
            crate::grid::a1(r, c_year0 as u32),
            crate::grid::a1(r, c_total as u32 - 1)
        );
        let sum = sum.ok_or_else(|| TotalOverflow {
            what: p.title.clone(),
        })?;
        w.formula(r, c_total, &f, sum.to_string(), &st.money_bold)?;
        w.text(
            r,
            c_policy,
            &pol.map(|x| x.id.clone()).unwrap_or_default(),
            &st.key,
        )?;
        let h = style::row_height(&[(&mt, 28.0), (&p.title, 40.0), (&owners, 24.0)]);
        w.height(r, h)?;
        r += 1;
    }
    let last = r.saturating_sub(1).max(first);
    let ws = w.ws;
    super::streamed::end_after(ws, last)?;
    ws.autofilter(1, 0, last, c_total)?;
    finish_summary(ws, last, c_total, (2, 4))?;
    ws.set_active(true);
    Ok(ListRows {
        first,
        last,
        year_cols: years
            .iter()
            .enumerate()
            .map(|(i, fy)| (*fy, c_year0 + i as u16))
            .collect(),
        policy_col: c_policy,
    })
}

/// Where 事業費集計 put its rows (for the chart).
struct BudgetRows {
    first: u32,
    total_row: u32,
}

fn write_budget(
    wb: &mut Workbook,
    plan: &Plan,
    years: &[FiscalYear],
    list: &ListRows,
    st: &Styles,
) -> Result<BudgetRows, BuildError> {
    let totals = try_budget_by_policy(plan)?;
    let ws = wb.worksheet_from_index(1)?;
    ws.set_name(BUDGET_SHEET)?;
    let n = years.len() as u16;
    let c_total = n + 1;
    let c_id = c_total + 1;
    ws.set_column_width(0, 52)?;
    ws.set_column_range_width(1, c_total, 20)?;
    ws.set_column_hidden(c_id)?;
    let mut w = Cells {
        ws,
        sheet: BUDGET_SHEET.to_string(),
    };
    w.merged(0, 0, c_total, BUDGET_TITLE, &st.title)?;
    w.height(0, 24.0)?;
    w.text(1, 0, "基本方針", &st.header)?;
    for (i, fy) in years.iter().enumerate() {
        w.text(1, i as u16 + 1, &format_both(*fy), &st.header)?;
    }
    w.text(1, c_total, "合計", &st.header)?;
    w.height(1, 36.0)?;
    let first = 2;
    let mut r = first;
    let list_range = |c: u16| {
        format!(
            "{}!{}:{}",
            quote_sheet(LIST_SHEET),
            abs(list.first, c),
            abs(list.last, c)
        )
    };
    for (pid, title, amounts) in &totals.rows {
        let pos = plan
            .policies
            .iter()
            .find(|p| &p.id == pid)
            .map_or(0, |p| p.position);
        let label = format!("{}　{}", policy_code(pos), title);
        w.text(r, 0, &label, &st.cell_wrap)?;
        for (i, fy) in years.iter().enumerate() {
            let c = i as u16 + 1;
            let v = amounts.get(fy).copied().unwrap_or(0);
            let lc = list
                .year_cols
                .iter()
                .find(|(y, _)| y == fy)
                .map(|(_, c)| *c)
                .unwrap_or(0);
            let f = format!(
                "=SUMIF({},{},{})",
                list_range(list.policy_col),
                abs(r, c_id),
                list_range(lc)
            );
            w.formula(r, c, &f, v.to_string(), &st.money)?;
        }
        let sum = checked_sum(years.iter().map(|fy| amounts.get(fy).copied().unwrap_or(0)))
            .ok_or_else(|| TotalOverflow {
                what: title.clone(),
            })?;
        w.formula(
            r,
            c_total,
            &format!(
                "=SUM({}:{})",
                crate::grid::a1(r, 1),
                crate::grid::a1(r, n as u32)
            ),
            sum.to_string(),
            &st.money_bold,
        )?;
        w.text(r, c_id, pid, &st.key)?;
        w.height(r, style::row_height(&[(&label, 52.0)]))?;
        r += 1;
    }
    let last = r.saturating_sub(1).max(first);
    let total_row = r;
    w.text(r, 0, "合計", &st.label)?;
    w.height(r, 20.0)?;
    let mut grand = Some(0i64);
    for (i, fy) in years.iter().enumerate() {
        let c = i as u16 + 1;
        let v = year_sum(&totals, *fy)?;
        grand = grand.and_then(|g| g.checked_add(v));
        let f = format!(
            "=SUM({}:{})",
            crate::grid::a1(first, c as u32),
            crate::grid::a1(last, c as u32)
        );
        w.formula(r, c, &f, v.to_string(), &st.money_bold)?;
    }
    let f = format!(
        "=SUM({}:{})",
        crate::grid::a1(r, 1),
        crate::grid::a1(r, n as u32)
    );
    let grand = grand.ok_or_else(|| TotalOverflow {
        what: "合計 / grand total".into(),
    })?;
    w.formula(r, c_total, &f, grand.to_string(), &st.money_bold)?;
    let note = "※ 各事業の主たる施策の基本方針で集計。値は「一覧」から（一覧は各事業シートの年度経費を参照）。";
    w.merged(r + 2, 0, c_total, note, &st.note)?;
    finish_summary(w.ws, r + 2, c_total, (2, 1))?;
    Ok(BudgetRows { first, total_row })
}

fn write_roadmap(
    wb: &mut Workbook,
    plan: &Plan,
    codes: &[String],
    years: &[FiscalYear],
    st: &Styles,
) -> Result<(), BuildError> {
    let ws = wb.worksheet_from_index(2)?;
    ws.set_name(ROADMAP_SHEET)?;
    let c_year0: u16 = 3;
    let c_conf = c_year0 + years.len() as u16;
    ws.set_column_width(0, 12)?;
    ws.set_column_width(1, 32)?;
    ws.set_column_width(2, 40)?;
    ws.set_column_range_width(c_year0, c_conf - 1, 14)?;
    ws.set_column_width(c_conf, 8)?;
    let mut w = Cells {
        ws,
        sheet: ROADMAP_SHEET.to_string(),
    };
    w.merged(
        0,
        0,
        c_conf,
        &format!("{}　ロードマップ（工程表）", plan.info.title),
        &st.title,
    )?;
    w.height(0, 24.0)?;
    for (c, h) in ROADMAP_HEADS.iter().enumerate() {
        w.text(1, c as u16, h, &st.header)?;
    }
    for (i, fy) in years.iter().enumerate() {
        w.text(
            1,
            c_year0 + i as u16,
            &format!("{}\n（{}）", format_fiscal_year(*fy), format_wareki(*fy)),
            &st.header,
        )?;
    }
    w.text(1, c_conf, "確度", &st.header)?;
    w.height(1, 36.0)?;
    let mut r = 2;
    for (p, code) in plan.projects.iter().zip(codes) {
        for (k, t) in p.schedule.iter().enumerate() {
            let (c0, title) = if k == 0 {
                (code.as_str(), p.title.as_str())
            } else {
                ("", "")
            };
            w.text(r, 0, c0, &st.cell)?;
            w.text(r, 1, title, &st.cell_wrap)?;
            w.text(r, 2, &t.name, &st.cell_wrap)?;
            let mut cells = vec![(title, 32.0), (t.name.as_str(), 40.0)];
            for (i, fy) in years.iter().enumerate() {
                let phase = t.phases.get(fy).map(String::as_str).unwrap_or("");
                let on = (t.start_fy..=t.end_fy).contains(fy) || !phase.is_empty();
                w.text(
                    r,
                    c_year0 + i as u16,
                    phase,
                    if on { &st.bar_display } else { &st.cell },
                )?;
                cells.push((phase, 14.0));
            }
            w.text(
                r,
                c_conf,
                layout::confirmed_label(t.confirmed),
                &st.cell_center,
            )?;
            w.height(r, style::row_height(&cells))?;
            r += 1;
        }
    }
    let last = r.saturating_sub(1);
    w.merged(r + 1, 0, c_conf, "※ 色付きのセルが実施年度。セル内の文字は工程名。確度「推定」は年度が見込み（資料の矢印などから読み取ったもの）。", &st.note)?;
    super::streamed::end_after(w.ws, r + 1)?;
    finish_summary(w.ws, (r + 1).max(last), c_conf, (2, 3))?;
    Ok(())
}

/// Where the KPI sheet put its 達成率 columns.
struct KpiRows {
    first: u32,
    last: u32,
    rate_cols: Vec<(FiscalYear, u16)>,
    /// Per year: (average achievement, share ≥ 100%, count) as computed here.
    stats: BTreeMap<FiscalYear, (Option<f64>, Option<f64>, usize)>,
}

fn write_kpi(
    wb: &mut Workbook,
    plan: &Plan,
    codes: &[String],
    years: &[FiscalYear],
    st: &Styles,
) -> Result<KpiRows, BuildError> {
    let ws = wb.worksheet_from_index(3)?;
    ws.set_name(KPI_SHEET)?;
    let heads = KPI_HEADS;
    for (c, wd) in [12.0, 28.0, 6.0, 36.0, 8.0].iter().enumerate() {
        ws.set_column_width(c as u16, *wd)?;
    }
    let c0 = heads.len() as u16;
    let last_col = c0 + 3 * years.len() as u16 - 1;
    ws.set_column_range_width(c0, last_col, 11)?;
    let mut w = Cells {
        ws,
        sheet: KPI_SHEET.to_string(),
    };
    w.merged(
        0,
        0,
        last_col,
        &format!("{}　指標（KGI・KPI）の目標・実績・達成率", plan.info.title),
        &st.title,
    )?;
    w.height(0, 24.0)?;
    for (c, h) in heads.iter().enumerate() {
        w.ws.merge_range(1, c as u16, 2, c as u16, h, &st.header)?;
    }
    // Row by row: the sheet is streamed (`streamed`).
    for (i, fy) in years.iter().enumerate() {
        let c = c0 + 3 * i as u16;
        w.merged(1, c, c + 2, &format_both(*fy), &st.header)?;
    }
    let mut rate_cols = Vec::new();
    for (i, fy) in years.iter().enumerate() {
        let c = c0 + 3 * i as u16;
        w.text(2, c, "目標", &st.header)?;
        w.text(2, c + 1, "実績", &st.header)?;
        w.text(2, c + 2, "達成率", &st.header)?;
        rate_cols.push((*fy, c + 2));
    }
    let first = 3;
    let mut r = first;
    let mut rates: HashMap<FiscalYear, Vec<f64>> = HashMap::new();
    for (p, code) in plan.projects.iter().zip(codes) {
        for ind in &p.indicators {
            w.text(r, 0, code, &st.cell)?;
            w.text(r, 1, &p.title, &st.cell_wrap)?;
            w.text(r, 2, ind.kind.as_str(), &st.cell_center)?;
            w.text(r, 3, &ind.name, &st.cell_wrap)?;
            w.text(r, 4, ind.unit.as_deref().unwrap_or(""), &st.cell_center)?;
            let mut cells = vec![(p.title.as_str(), 28.0), (ind.name.as_str(), 36.0)];
            for (i, fy) in years.iter().enumerate() {
                let c = c0 + 3 * i as u16;
                let v = ind.values.iter().find(|v| v.fiscal_year == *fy);
                for (k, val) in [
                    v.and_then(|v| v.target.as_ref()),
                    v.and_then(|v| v.actual.as_ref()),
                ]
                .into_iter()
                .enumerate()
                {
                    match val {
                        Some(val) => match crate::report::achievement::plain_number(val) {
                            Some(x) => {
                                w.number(r, c + k as u16, x, &st.number)?;
                            }
                            None => {
                                w.text(r, c + k as u16, &val.text, &st.cell_wrap)?;
                                cells.push((val.text.as_str(), 11.0));
                            }
                        },
                        None => w.blank(r, c + k as u16, &st.cell)?,
                    }
                }
                let rate = match (
                    v.and_then(|v| v.target.as_ref()),
                    v.and_then(|v| v.actual.as_ref()),
                ) {
                    (Some(t), Some(a)) => crate::report::achievement::achievement(t, a),
                    _ => None,
                };
                if let Some(x) = rate {
                    rates.entry(*fy).or_default().push(x);
                }
                // A formula only where it has a value: a cached empty result would show as 0%
                // in viewers that do not recalculate.
                match rate {
                    Some(x) => {
                        let (tc, ac) = (
                            crate::grid::a1(r, c as u32),
                            crate::grid::a1(r, c as u32 + 1),
                        );
                        let f = format!("=IF(AND(ISNUMBER({tc}),ISNUMBER({ac})),IF({tc}=0,\"\",{ac}/{tc}),\"\")");
                        w.formula(r, c + 2, &f, num(x), &st.percent)?;
                    }
                    None => w.blank(r, c + 2, &st.percent)?,
                }
            }
            w.height(r, style::row_height(&cells))?;
            r += 1;
        }
    }
    let last = r.saturating_sub(1).max(first);
    let note = "※ 達成率＝実績÷目標（目標・実績がともに数値の年度のみ）。「30%減」や「150手続／800手続」のような値は文字のまま載せ、達成率は計算しません。";
    w.merged(r + 1, 0, last_col, note, &st.note)?;
    w.height(r + 1, style::row_height(&[(note, 90.0)]))?;
    super::streamed::end_after(w.ws, r + 1)?;
    finish_summary(w.ws, r + 1, last_col, (3, 2))?;
    let stats = years
        .iter()
        .map(|fy| {
            let s =
                crate::report::achievement::summarize(rates.get(fy).map_or(&[][..], Vec::as_slice));
            (*fy, (s.average, s.share_achieved, s.count))
        })
        .collect();
    Ok(KpiRows {
        first,
        last,
        rate_cols,
        stats,
    })
}

fn write_charts(
    wb: &mut Workbook,
    plan: &Plan,
    years: &[FiscalYear],
    budget: &BudgetRows,
    kpi: &KpiRows,
    st: &Styles,
) -> Result<(), BuildError> {
    let totals = try_budget_by_policy(plan)?;
    let n = years.len() as u16;
    let mut budget_chart = Chart::new(ChartType::ColumnStacked);
    for r in budget.first..budget.first + totals.rows.len() as u32 {
        budget_chart
            .add_series()
            .set_name((BUDGET_SHEET, r, 0))
            .set_categories((CHART_SHEET, 2, 0, 1 + n as u32, 0))
            .set_values((BUDGET_SHEET, r, 1, r, n))
            .set_gap(60);
    }
    budget_chart.title().set_name("年度別の事業費（千円）");
    budget_chart.y_axis().set_num_format("#,##0");
    budget_chart
        .legend()
        .set_position(rust_xlsxwriter::ChartLegendPosition::Bottom);

    let ws = wb.worksheet_from_index(4)?;
    ws.set_name(CHART_SHEET)?;
    ws.set_column_width(0, 22)?;
    ws.set_column_range_width(1, 4, 18)?;
    let mut w = Cells {
        ws,
        sheet: CHART_SHEET.to_string(),
    };
    w.merged(0, 0, 4, "グラフ：年度別の事業費と指標の達成状況", &st.title)?;
    w.height(0, 24.0)?;
    for (c, h) in CHART_HEADS.iter().enumerate() {
        w.text(1, c as u16, h, &st.header)?;
    }
    w.height(1, 36.0)?;
    for (i, fy) in years.iter().enumerate() {
        let r = 2 + i as u32;
        w.text(
            r,
            0,
            &format!("{}年度（{}）", fy, format_wareki_short(*fy)),
            &st.cell,
        )?;
        let bc = i as u16 + 1;
        let total = year_sum(&totals, *fy)?;
        w.formula(
            r,
            1,
            &format!(
                "={}!{}",
                quote_sheet(BUDGET_SHEET),
                abs(budget.total_row, bc)
            ),
            total.to_string(),
            &st.money,
        )?;
        let rc = kpi
            .rate_cols
            .iter()
            .find(|(y, _)| y == fy)
            .map(|(_, c)| *c)
            .unwrap_or(0);
        let range = format!(
            "{}!{}:{}",
            quote_sheet(KPI_SHEET),
            abs(kpi.first, rc),
            abs(kpi.last, rc)
        );
        let (avg, share, count) = kpi.stats.get(fy).copied().unwrap_or((None, None, 0));
        match (avg, share) {
            (Some(avg), Some(share)) => {
                w.formula(
                    r,
                    2,
                    &format!("=IFERROR(AVERAGE({range}),\"\")"),
                    num(avg),
                    &st.percent,
                )?;
                w.formula(
                    r,
                    3,
                    &format!(
                        "=IFERROR(COUNTIF({range},{})/COUNT({range}),\"\")",
                        formula_string(">=1")
                    ),
                    num(share),
                    &st.percent,
                )?;
            }
            _ => {
                w.blank(r, 2, &st.percent)?;
                w.blank(r, 3, &st.percent)?;
            }
        }
        w.formula(
            r,
            4,
            &format!("=COUNT({range})"),
            count.to_string(),
            &st.cell_center,
        )?;
    }
    let last = 1 + years.len() as u32;
    let mut kpi_chart = Chart::new(ChartType::Column);
    for (c, name) in [(2u16, "平均達成率"), (3u16, "目標を達成した指標の割合")] {
        kpi_chart
            .add_series()
            .set_name(name)
            .set_categories((CHART_SHEET, 2, 0, last, 0))
            .set_values((CHART_SHEET, 2, c, last, c));
    }
    kpi_chart.title().set_name("指標の達成状況（年度別）");
    kpi_chart.y_axis().set_num_format("0%");
    kpi_chart
        .legend()
        .set_position(rust_xlsxwriter::ChartLegendPosition::Bottom);
    let chart_row = last + 2;
    let ws = w.ws;
    if !totals.rows.is_empty() {
        ws.insert_chart(chart_row, 0, &budget_chart)?;
    }
    ws.insert_chart(chart_row, 3, &kpi_chart)?;
    finish_summary(ws, chart_row + 16, 8, (2, 1))?;
    Ok(())
}

/// A fiscal year's total over the policies, checked.
fn year_sum(
    totals: &crate::report::totals::BudgetTotals,
    fy: FiscalYear,
) -> Result<i64, TotalOverflow> {
    checked_sum(
        totals
            .rows
            .iter()
            .map(|(_, _, a)| a.get(&fy).copied().unwrap_or(0)),
    )
    .ok_or_else(|| TotalOverflow {
        what: format!("{fy}年度"),
    })
}
