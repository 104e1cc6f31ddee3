//! One project sheet, section by section as `format::sheet` describes it: a label column, one column per fiscal
//! year, a 合計 column and the hidden key column. Labels and derived cells are locked, input
//! cells unlocked and validated; the sheet is protected without a password.

use rust_xlsxwriter::{
    DataValidation, DataValidationRule, Format, Formula, IgnoreError, ProtectionOptions, Workbook,
    Worksheet,
};

use super::safe::{utf16_len, MAX_CELL_CHARS};
use super::style::{self, Styles, LABEL_COL_WIDTH, MAX_ROW_PT, TOTAL_COL_WIDTH, YEAR_COL_WIDTH};
use super::BuildError;
use crate::format::layout::{self, label, ProgressField, RowKey};
use crate::format::sheet::fields::{self, Cell as FieldCell};
use crate::format::sheet::Section;
use crate::grid::a1;
use crate::model::codes::{measure_code, policy_code};
use crate::model::scale::ProgressScale;
use crate::model::{FiscalYear, Indicator, IndicatorKind, Plan, Project};
use crate::parse::fiscal_year::format_both;

/// Where things landed on a project sheet (the master's summary sheets refer to them).
#[derive(Debug, Clone)]
pub struct ProjectSheetInfo {
    /// Sheet name.
    pub name: String,
    /// Fiscal years of its columns.
    pub years: Vec<FiscalYear>,
    /// Row of 年度経費（LCC） (0-based).
    pub planned_row: u32,
    /// Print titles and area: header row, last row, last column (`sheet_parts`).
    pub(crate) print: (u32, u32, u16),
}

impl ProjectSheetInfo {
    /// The column of a fiscal year, if the sheet has one.
    pub fn year_col(&self, fy: FiscalYear) -> Option<u16> {
        self.years
            .iter()
            .position(|&y| y == fy)
            .map(|i| i as u16 + 1)
    }
}

/// The fiscal years a project sheet shows: the plan's, widened to every year the project uses,
/// so nothing falls off the sheet.
/// Empty keyed rows after a project's tasks and indicators, for additions made in Excel.
pub const SPARE_TASKS: usize = 2;
/// Blank indicator rows left for the department to fill in.
pub const SPARE_INDICATORS: usize = 1;

pub(crate) fn sheet_years(plan: &Plan, p: &Project) -> Vec<FiscalYear> {
    let mut lo = plan.info.first_fy;
    let mut hi = plan.info.last_fy.max(lo);
    let used = p
        .schedule
        .iter()
        .flat_map(|t| {
            [t.start_fy, t.end_fy]
                .into_iter()
                .chain(t.phases.keys().copied())
        })
        .chain(
            p.indicators
                .iter()
                .flat_map(|i| i.values.iter().map(|v| v.fiscal_year)),
        )
        .chain(p.budget.iter().map(|b| b.fiscal_year))
        .chain(p.progress.iter().map(|pr| pr.fiscal_year));
    for y in used {
        lo = lo.min(y);
        hi = hi.max(y);
    }
    (lo..=hi).collect()
}

/// Writes cells, checking Excel's limit on a cell's text so an over-long text is an error
/// naming the cell, never cut.
pub(crate) struct Cells<'a> {
    pub ws: &'a mut Worksheet,
    pub sheet: String,
}

impl Cells<'_> {
    fn check(&self, r: u32, c: u16, s: &str) -> Result<(), BuildError> {
        // A string's UTF-16 length never exceeds its UTF-8 length: most need no count.
        if s.len() > MAX_CELL_CHARS && utf16_len(s) > MAX_CELL_CHARS {
            return Err(BuildError::TooLong(format!(
                "{}!{}",
                self.sheet,
                a1(r, c as u32)
            )));
        }
        Ok(())
    }

    /// Text, always as a string (never a formula, whatever it starts with).
    pub fn text(&mut self, r: u32, c: u16, s: &str, f: &Format) -> Result<(), BuildError> {
        self.check(r, c, s)?;
        if s.is_empty() {
            self.ws.write_blank(r, c, f)?;
        } else {
            self.ws.write_string_with_format(r, c, s, f)?;
        }
        Ok(())
    }

    /// Text across columns `c1..=c2` of one row.
    pub fn merged(
        &mut self,
        r: u32,
        c1: u16,
        c2: u16,
        s: &str,
        f: &Format,
    ) -> Result<(), BuildError> {
        if c1 == c2 {
            return self.text(r, c1, s, f);
        }
        self.check(r, c1, s)?;
        // merge_range writes the text as a string (never a formula) into the first cell.
        self.ws.merge_range(r, c1, r, c2, s, f)?;
        Ok(())
    }

    pub fn number(&mut self, r: u32, c: u16, n: f64, f: &Format) -> Result<(), BuildError> {
        self.ws.write_number_with_format(r, c, n, f)?;
        Ok(())
    }

    pub fn blank(&mut self, r: u32, c: u16, f: &Format) -> Result<(), BuildError> {
        self.ws.write_blank(r, c, f)?;
        Ok(())
    }

    pub fn formula(
        &mut self,
        r: u32,
        c: u16,
        formula: &str,
        result: String,
        f: &Format,
    ) -> Result<(), BuildError> {
        self.ws
            .write_formula_with_format(r, c, Formula::new(formula).set_result(result), f)?;
        Ok(())
    }

    /// A row key in the hidden column (unformatted: nobody sees it, and it is cheaper).
    pub fn key(&mut self, r: u32, c: u16, k: &RowKey, _f: &Format) -> Result<(), BuildError> {
        self.ws.write_string(r, c, k.to_cell())?;
        Ok(())
    }

    pub fn height(&mut self, r: u32, pt: f64) -> Result<(), BuildError> {
        self.ws.set_row_height(r, pt.min(MAX_ROW_PT))?;
        Ok(())
    }
}

fn list(choices: &[impl AsRef<str>], title: &str) -> Result<DataValidation, BuildError> {
    Ok(DataValidation::new()
        .allow_list_strings(choices)?
        .set_input_title(title)?
        .set_error_message(format!(
            "一覧から選んでください：{}",
            choices
                .iter()
                .map(AsRef::as_ref)
                .collect::<Vec<_>>()
                .join("、")
        ))?)
}

/// Writes the project sheet, section by section (`format::sheet::Section`). `code` is the
/// display code (Ⅰ-1-①). Actuals of fiscal years up to `locked_actuals_through` are locked
/// (past years after a rollover, unless the office opened them). 状況 and 評価 are drop-downs
/// of the plan's `scale`.
#[allow(clippy::too_many_arguments)]
pub(crate) fn write(
    ws: &mut Worksheet,
    name: &str,
    plan: &Plan,
    p: &Project,
    code: &str,
    st: &Styles,
    locked_actuals_through: Option<FiscalYear>,
    scale: &ProgressScale,
) -> Result<ProjectSheetInfo, BuildError> {
    ws.set_name(name)?;
    let years = sheet_years(plan, p);
    let n = years.len() as u16;
    let c_total: u16 = 1 + n;
    let c_key: u16 = c_total + 1;

    ws.set_column_width(0, LABEL_COL_WIDTH)?;
    ws.set_column_range_width(1, n, YEAR_COL_WIDTH)?;
    ws.set_column_width(c_total, TOTAL_COL_WIDTH)?;
    ws.set_column_width(c_key, 10)?;
    ws.set_column_hidden(c_key)?;

    let mut s = SheetWriter {
        w: Cells {
            ws,
            sheet: name.to_string(),
        },
        plan,
        p,
        code,
        st,
        locked_actuals_through,
        scale,
        year_heads: years.iter().map(|fy| format_both(*fy)).collect(),
        years,
        n,
        c_total,
        c_key,
        wide_width: YEAR_COL_WIDTH * n as f64 + TOTAL_COL_WIDTH,
        value_width: YEAR_COL_WIDTH * (n as f64 - 1.0).max(0.0) + YEAR_COL_WIDTH,
        r: 0,
        header_row: 0,
        planned_row: 0,
    };
    for section in Section::ALL {
        match section {
            Section::Title => s.title()?,
            Section::Identification => s.identification()?,
            Section::Fields => s.fields()?,
            Section::Schedule => s.schedule()?,
            Section::Indicators => s.indicators()?,
            Section::Budget => s.budget()?,
            Section::Progress => s.progress()?,
            Section::Footnotes => s.footnotes()?,
        }
    }
    let last_row = s.r.saturating_sub(1);
    let (header_row, planned_row, years) = (s.header_row, s.planned_row, s.years);

    let ws = s.w.ws;
    super::streamed::end_after(ws, last_row)?;
    // Values such as 「80」 are text on purpose (kept exactly as written): no green triangles.
    ws.ignore_error_range(0, 0, last_row, c_total, IgnoreError::NumberStoredAsText)?;
    ws.protect_with_options(&ProtectionOptions {
        format_columns: true,
        format_rows: true,
        format_cells: true,
        ..ProtectionOptions::default()
    });
    ws.set_freeze_panes(header_row + 1, 1)?;
    ws.set_landscape();
    ws.set_paper_size(9);
    ws.set_print_fit_to_pages(1, 0);
    ws.set_repeat_rows(0, header_row)?;
    ws.set_print_area(0, 0, last_row, c_total)?;
    ws.set_margins(0.4, 0.4, 0.5, 0.5, 0.3, 0.3);
    ws.set_footer("&C&P / &N");
    Ok(ProjectSheetInfo {
        name: name.to_string(),
        years,
        planned_row,
        print: (header_row, last_row, c_total),
    })
}

/// One project sheet being written: its columns, and the row the next section starts at.
struct SheetWriter<'a, 'w> {
    w: Cells<'w>,
    plan: &'a Plan,
    p: &'a Project,
    code: &'a str,
    st: &'a Styles,
    locked_actuals_through: Option<FiscalYear>,
    scale: &'a ProgressScale,
    years: Vec<FiscalYear>,
    year_heads: Vec<String>,
    n: u16,
    c_total: u16,
    c_key: u16,
    /// Width of the value cells merged across the years and 合計.
    wide_width: f64,
    /// Width of an indicator's name and unit (the years, not 合計).
    value_width: f64,
    /// The next row.
    r: u32,
    header_row: u32,
    planned_row: u32,
}

impl SheetWriter<'_, '_> {
    /// The key of the current row.
    fn key(&mut self, k: &RowKey) -> Result<(), BuildError> {
        self.w.key(self.r, self.c_key, k, &self.st.key)
    }

    /// A header row: `first`, the fiscal years, `last` in the 合計 column, then its key.
    fn header(
        &mut self,
        first: &str,
        last: &str,
        f_first: &Format,
        k: &RowKey,
    ) -> Result<(), BuildError> {
        let (r, st) = (self.r, self.st);
        self.w.text(r, 0, first, f_first)?;
        for (i, h) in self.year_heads.iter().enumerate() {
            self.w.text(r, i as u16 + 1, h, &st.header)?;
        }
        self.w.text(r, self.c_total, last, &st.header)?;
        self.w.height(r, 36.0)?;
        self.key(k)?;
        self.r += 1;
        Ok(())
    }

    /// The header row opening a section (`Section::header`), `last` in its 合計 column.
    fn section_header(&mut self, section: Section, last: &str) -> Result<(), BuildError> {
        if let Some((k, lbl)) = section.header() {
            let st = self.st;
            self.header(lbl, last, &st.section, &k)?;
        }
        Ok(())
    }

    /// A label and a text merged across the years and 合計.
    fn wide(&mut self, lbl: &str, text: &str, f: &Format, k: &RowKey) -> Result<(), BuildError> {
        let (r, st) = (self.r, self.st);
        self.w.text(r, 0, lbl, &st.label)?;
        self.w.merged(r, 1, self.c_total, text, f)?;
        self.w.height(
            r,
            style::row_height(&[(text, self.wide_width), (lbl, LABEL_COL_WIDTH)]),
        )?;
        self.key(k)?;
        self.r += 1;
        Ok(())
    }

    /// The title row and the fiscal-year header.
    fn title(&mut self) -> Result<(), BuildError> {
        let title = format!("{}　{}", self.code, self.p.title);
        self.w
            .merged(self.r, 0, self.c_total, &title, &self.st.title)?;
        self.w.height(
            self.r,
            style::row_height(&[(&title, LABEL_COL_WIDTH + self.wide_width)]).max(24.0),
        )?;
        self.key(&RowKey::Project {
            id: self.p.id.clone(),
        })?;
        self.r += 1;
        self.header_row = self.r;
        let st = self.st;
        self.header(label::HEADER, label::TOTAL, &st.header, &RowKey::Header)
    }

    /// 事業コード, the policy and the measures (derived, locked).
    fn identification(&mut self) -> Result<(), BuildError> {
        let (plan, p, st) = (self.plan, self.p, self.st);
        let measure_of = |id: &str| plan.measures.iter().find(|m| m.id == id);
        let policy_of = |id: &str| plan.policies.iter().find(|x| x.id == id);
        let r = self.r;
        self.w.text(r, 0, label::CODE, &st.label)?;
        self.w
            .merged(r, 1, self.c_total, self.code, &st.locked_text)?;
        self.w.height(r, 20.0)?;
        self.key(&RowKey::Code {
            position: p.position,
        })?;
        self.r += 1;
        let mut rows = Vec::new();
        if let Some(pol) = p
            .measure_ids
            .first()
            .and_then(|m| measure_of(m))
            .and_then(|m| policy_of(&m.policy_id))
        {
            let t = format!("{}　{}", policy_code(pol.position), pol.title);
            rows.push((label::POLICY, t, RowKey::Policy { id: pol.id.clone() }));
        }
        for mid in &p.measure_ids {
            let t = match measure_of(mid) {
                Some(m) => {
                    let ppos = policy_of(&m.policy_id).map_or(0, |x| x.position);
                    format!("{}　{}", measure_code(ppos, m.position), m.title)
                }
                None => mid.clone(),
            };
            rows.push((label::MEASURE, t, RowKey::Measure { id: mid.clone() }));
        }
        for (lbl, t, k) in rows {
            let r = self.r;
            self.w.text(r, 0, lbl, &st.label)?;
            self.w.merged(r, 1, self.c_total, &t, &st.locked_text)?;
            self.w
                .height(r, style::row_height(&[(&t, self.wide_width)]))?;
            self.key(&k)?;
            self.r += 1;
        }
        Ok(())
    }

    /// The fields the department edits, as `format::sheet::fields::FIELDS` describes them.
    fn fields(&mut self) -> Result<(), BuildError> {
        let (plan, p, st) = (self.plan, self.p, self.st);
        let mut after_score = false;
        for (i, row) in fields::FIELDS.iter().enumerate() {
            let r = self.r;
            match &row.cell {
                FieldCell::Plain { get, .. } => {
                    self.wide(row.label, get(p), &st.input_text, &row.key)?
                }
                FieldCell::Text { show, .. } => self.wide(
                    row.label,
                    &show(p, &plan.org_units),
                    &st.input_text,
                    &row.key,
                )?,
                FieldCell::Score { get, .. } => {
                    // One validation over a run of score rows.
                    if !after_score {
                        let run = fields::FIELDS[i..]
                            .iter()
                            .take_while(|f| matches!(f.cell, FieldCell::Score { .. }))
                            .count() as u32;
                        let score = DataValidation::new()
                            .allow_whole_number(DataValidationRule::Between(0, 100))
                            .set_input_title("0～100")?
                            .set_error_message(
                                "0 から 100 までの整数を入力してください / a whole number from 0 to 100",
                            )?;
                        self.w
                            .ws
                            .add_data_validation(r, 1, r + run - 1, 1, &score)?;
                    }
                    self.w.text(r, 0, row.label, &st.label)?;
                    self.w
                        .ws
                        .merge_range(r, 1, r, self.c_total, "", &st.input_int)?;
                    if let Some(v) = get(p) {
                        self.w.number(r, 1, v as f64, &st.input_int)?;
                    }
                    self.w.height(r, 20.0)?;
                    self.key(&row.key)?;
                    self.r += 1;
                }
            }
            after_score = matches!(row.cell, FieldCell::Score { .. });
            if let Some((choices, title)) = row.choices {
                self.w
                    .ws
                    .add_data_validation(r, 1, r, 1, &list(choices, title)?)?;
            }
        }
        Ok(())
    }

    /// The schedule's tasks, then spare keyed rows for tasks added in Excel.
    fn schedule(&mut self) -> Result<(), BuildError> {
        let (p, st) = (self.p, self.st);
        self.section_header(Section::Schedule, label::CONFIRMED_HEADER)?;
        let c_total = self.c_total;
        let confirmed_list = list(&[layout::CONFIRMED, layout::INFERRED], "年度の確度")?
            .set_input_message("確定：年度が決まっている / 推定：見込み")?;
        self.w.ws.add_data_validation(
            self.r,
            c_total,
            self.r + (p.schedule.len() + SPARE_TASKS) as u32 - 1,
            c_total,
            &confirmed_list,
        )?;
        for t in &p.schedule {
            let r = self.r;
            self.w.text(r, 0, &t.name, &st.input_text)?;
            let mut cells: Vec<(&str, f64)> = vec![(t.name.as_str(), LABEL_COL_WIDTH)];
            for (i, fy) in self.years.iter().enumerate() {
                let c = i as u16 + 1;
                let phase = t.phases.get(fy).map(String::as_str).unwrap_or("");
                let in_task = (t.start_fy..=t.end_fy).contains(fy);
                self.w.text(
                    r,
                    c,
                    phase,
                    if in_task || !phase.is_empty() {
                        &st.bar
                    } else {
                        &st.input_center
                    },
                )?;
                cells.push((phase, YEAR_COL_WIDTH));
            }
            self.w.text(
                r,
                c_total,
                layout::confirmed_label(t.confirmed),
                &st.input_center,
            )?;
            self.w.height(r, style::row_height(&cells))?;
            self.key(&RowKey::Task { id: t.id.clone() })?;
            self.r += 1;
        }
        // Spare rows, keyed in advance, so a department can add a task in Excel (the protected
        // sheet cannot insert rows). Left empty, they read back as nothing.
        for _ in 0..SPARE_TASKS {
            let r = self.r;
            self.w.text(r, 0, "", &st.input_text)?;
            for i in 0..self.years.len() {
                self.w.text(r, i as u16 + 1, "", &st.input_center)?;
            }
            self.w.text(r, c_total, "", &st.input_center)?;
            self.key(&RowKey::Task {
                id: crate::model::new_id(),
            })?;
            self.r += 1;
        }
        Ok(())
    }

    /// Each indicator's block (name, unit, targets, actuals), then a spare block.
    fn indicators(&mut self) -> Result<(), BuildError> {
        let (plan, p, st) = (self.plan, self.p, self.st);
        let c_total = self.c_total;
        self.section_header(Section::Indicators, layout::CUMULATIVE)?;
        let cumulative_list = list(&[layout::CUMULATIVE, "－"], "累計")?
            .set_input_message("値が年々積み上がる指標は「累計」")?;
        let r0 = self.r;
        let cells: Vec<String> = (0..(p.indicators.len() + SPARE_INDICATORS) as u32)
            .map(|i| a1(r0 + 4 * i, c_total as u32))
            .collect();
        self.w.ws.add_data_validation(
            r0,
            c_total,
            r0,
            c_total,
            &cumulative_list.set_multi_range(cells.join(" ")),
        )?;
        // A spare indicator block (keyed in advance, like the spare tasks) after the real ones.
        let spare: Vec<Indicator> = (0..SPARE_INDICATORS)
            .map(|_| Indicator {
                id: crate::model::new_id(),
                kind: IndicatorKind::KPI,
                name: String::new(),
                unit: None,
                cumulative: false,
                values: Vec::new(),
            })
            .collect();
        let locked_actual = st
            .locked_blank
            .clone()
            .set_num_format("@")
            .set_align(rust_xlsxwriter::FormatAlign::Center)
            .set_text_wrap();
        let last_locked = self.locked_actuals_through;
        let is_locked = |fy: FiscalYear| last_locked.is_some_and(|last| fy <= last);
        for ind in p.indicators.iter().chain(spare.iter()) {
            let is_spare = ind.name.is_empty() && !p.indicators.iter().any(|x| x.id == ind.id);
            let kind = if is_spare {
                label::SPARE_INDICATOR
            } else if ind.kind == IndicatorKind::KGI {
                label::KGI_NAME
            } else {
                label::KPI_NAME
            };
            let r = self.r;
            self.w.text(r, 0, kind, &st.section)?;
            self.w
                .merged(r, 1, c_total - 1, &ind.name, &st.input_text)?;
            self.w.text(
                r,
                c_total,
                if ind.cumulative {
                    layout::CUMULATIVE
                } else {
                    ""
                },
                &st.input_center,
            )?;
            self.w
                .height(r, style::row_height(&[(&ind.name, self.value_width)]))?;
            self.key(&RowKey::Indicator {
                id: ind.id.clone(),
                kind: ind.kind,
            })?;
            self.r += 1;
            let r = self.r;
            let unit = ind.unit.as_deref().unwrap_or("");
            self.w.text(r, 0, label::UNIT, &st.label)?;
            self.w.merged(r, 1, c_total - 1, unit, &st.input_text)?;
            self.w.blank(r, c_total, &st.locked_blank)?;
            self.w
                .height(r, style::row_height(&[(unit, self.value_width)]))?;
            self.key(&RowKey::Unit { id: ind.id.clone() })?;
            self.r += 1;
            // A roll-up's values are the sums of its components: locked, marked 「自動集計」.
            let rollup = plan.rollup_of(&ind.id).is_some();
            let value_format = if rollup {
                &st.computed
            } else {
                &st.input_center
            };
            for (lbl, key, actual) in [
                (label::TARGET, RowKey::Target { id: ind.id.clone() }, false),
                (label::ACTUAL, RowKey::Actual { id: ind.id.clone() }, true),
            ] {
                let r = self.r;
                self.w.text(r, 0, lbl, &st.label)?;
                let mut cells = Vec::new();
                for (i, fy) in self.years.iter().enumerate() {
                    let v = ind
                        .values
                        .iter()
                        .find(|v| v.fiscal_year == *fy)
                        .and_then(|v| {
                            if actual {
                                v.actual.as_ref()
                            } else {
                                v.target.as_ref()
                            }
                        });
                    let text = v.map_or("", |v| v.text.as_str());
                    let f = if rollup {
                        value_format
                    } else if actual && is_locked(*fy) {
                        &locked_actual
                    } else {
                        value_format
                    };
                    self.w.text(r, i as u16 + 1, text, f)?;
                    cells.push((text, YEAR_COL_WIDTH));
                }
                if rollup {
                    self.w.text(r, c_total, layout::ROLLUP_MARK, &st.computed)?;
                } else {
                    self.w.blank(r, c_total, &st.locked_blank)?;
                }
                self.w.height(r, style::row_height(&cells))?;
                self.key(&key)?;
                self.r += 1;
            }
        }
        Ok(())
    }

    /// 事業費 and うち一般財源 per year, each summed in 合計.
    fn budget(&mut self) -> Result<(), BuildError> {
        let (p, st, n) = (self.p, self.st, self.n);
        self.section_header(Section::Budget, label::TOTAL)?;
        let money = DataValidation::new()
            .allow_whole_number(DataValidationRule::GreaterThanOrEqualTo(0))
            .set_input_title("千円")?
            .set_input_message("千円単位の整数。計上なしは空欄、0 円は 0")?
            .set_error_message(
                "千円単位の 0 以上の整数を入力してください / a whole number of thousand yen",
            )?;
        self.planned_row = self.r;
        self.w
            .ws
            .add_data_validation(self.r, 1, self.r + 1, n, &money)?;
        for (lbl, key, general) in [
            (label::PLANNED, RowKey::Planned, false),
            (label::GENERAL, RowKey::General, true),
        ] {
            let r = self.r;
            self.w.text(r, 0, lbl, &st.label)?;
            let mut sum = Some(0i64);
            for (i, fy) in self.years.iter().enumerate() {
                let c = i as u16 + 1;
                let b = p.budget.iter().find(|b| b.fiscal_year == *fy);
                match b.and_then(|b| {
                    if general {
                        b.general_revenue_thousand_yen
                    } else {
                        b.planned_thousand_yen
                    }
                }) {
                    Some(v) => {
                        sum = sum.and_then(|s| s.checked_add(v));
                        self.w.number(r, c, v as f64, &st.input_money)?;
                    }
                    None => self.w.blank(r, c, &st.input_money)?,
                }
            }
            let f = format!("=SUM({}:{})", a1(r, 1), a1(r, n as u32));
            let sum = sum.ok_or_else(|| crate::report::totals::TotalOverflow {
                what: format!("{} {lbl}", p.title),
            })?;
            self.w
                .formula(r, self.c_total, &f, sum.to_string(), &st.total_money)?;
            self.w
                .height(r, style::row_height(&[(lbl, LABEL_COL_WIDTH)]))?;
            self.key(&key)?;
            self.r += 1;
        }
        Ok(())
    }

    /// The progress rows per year, then last year's 課題 and 改善策 for reference.
    fn progress(&mut self) -> Result<(), BuildError> {
        let (p, st, n) = (self.p, self.st, self.n);
        self.section_header(Section::Progress, "")?;
        let progress_lists = [
            (ProgressField::Status, list(&self.scale.status, "状況")?),
            (
                ProgressField::Evaluation,
                list(&self.scale.evaluation, "評価")?,
            ),
        ];
        for field in ProgressField::ALL {
            let r = self.r;
            if let Some((_, v)) = progress_lists.iter().find(|(f, _)| *f == field) {
                self.w.ws.add_data_validation(r, 1, r, n, v)?;
            }
            self.w.text(r, 0, field.label(), &st.label)?;
            let mut cells = Vec::new();
            for (i, fy) in self.years.iter().enumerate() {
                let text = p
                    .progress
                    .iter()
                    .find(|x| x.fiscal_year == *fy)
                    .map_or("", |x| field.of(x));
                self.w.text(r, i as u16 + 1, text, &st.input_text)?;
                cells.push((text, YEAR_COL_WIDTH));
            }
            self.w.blank(r, self.c_total, &st.locked_blank)?;
            self.w.height(r, style::row_height(&cells))?;
            self.key(&RowKey::Progress { field })?;
            self.r += 1;
        }
        // Last year's 課題 and 改善策 beside each year's, locked: what was carried over. No key:
        // a returned workbook's reader passes them by.
        for (lbl, issues) in [
            (label::PREVIOUS_ISSUES, true),
            (label::PREVIOUS_REMEDIES, false),
        ] {
            let r = self.r;
            self.w.text(r, 0, lbl, &st.label)?;
            let mut cells = Vec::new();
            for (i, fy) in self.years.iter().enumerate() {
                let text = p
                    .progress
                    .iter()
                    .find(|x| x.fiscal_year == *fy - 1)
                    .map_or("", |x| if issues { &x.issues } else { &x.remedies });
                self.w.text(r, i as u16 + 1, text, &st.locked_text)?;
                cells.push((text, YEAR_COL_WIDTH));
            }
            self.w.blank(r, self.c_total, &st.locked_blank)?;
            self.w.height(r, style::row_height(&cells))?;
            self.r += 1;
        }
        Ok(())
    }

    /// Footnotes under the table, after a blank row.
    fn footnotes(&mut self) -> Result<(), BuildError> {
        let (p, st, c_total) = (self.p, self.st, self.c_total);
        self.r += 1;
        let r = self.r;
        self.w.text(r, 0, label::FOOTNOTES, &st.section)?;
        self.w
            .merged(r, 1, c_total, "記号（※1 など）と説明", &st.section)?;
        self.w.height(r, 20.0)?;
        self.key(&RowKey::FootnoteHeader)?;
        self.r += 1;
        for f in &p.footnotes {
            let r = self.r;
            self.w.text(r, 0, &f.marker, &st.input_center)?;
            self.w.merged(r, 1, c_total, &f.text, &st.input_text)?;
            self.w.height(
                r,
                style::row_height(&[(&f.text, self.wide_width), (&f.marker, LABEL_COL_WIDTH)]),
            )?;
            self.key(&RowKey::Footnote {
                field: f.field.clone(),
            })?;
            self.r += 1;
        }
        Ok(())
    }
}

/// Builds the project sheets, on as many threads as there are cores (each sheet is
/// independent), and adds them to the workbook in order. Their rows stream to temporary files
/// as they are written (`streamed`), so memory does not grow with the number of sheets.
pub(crate) fn add_all(
    wb: &mut Workbook,
    sheets: &mut super::streamed::SheetSource,
    plan: &Plan,
    items: &[(&Project, String, String)],
    st: &Styles,
    opts: &super::ExportOptions,
) -> Result<Vec<ProjectSheetInfo>, BuildError> {
    let scale = opts.progress_scale.clone().unwrap_or_default();
    let stream = sheets.streams_projects(items.len());
    if stream {
        sheets.register_formats(wb, st)?;
    }
    let mut slots = Vec::with_capacity(items.len());
    for item in items {
        slots.push((
            item,
            std::sync::Mutex::new(Some(sheets.new_sheet(wb, stream)?)),
        ));
    }
    let one = |(item, slot): &(
        &(&Project, String, String),
        std::sync::Mutex<Option<Worksheet>>,
    )|
     -> Result<(Worksheet, ProjectSheetInfo), BuildError> {
        let (p, name, code) = item;
        let mut ws = slot
            .lock()
            .ok()
            .and_then(|mut s| s.take())
            .unwrap_or_default();
        ws.set_default_format(&style::base(), style::DEFAULT_ROW_PX, style::DEFAULT_COL_PX)?;
        let info = write(
            &mut ws,
            name,
            plan,
            p,
            code,
            st,
            opts.locked_actuals_through,
            &scale,
        )?;
        Ok((ws, info))
    };
    let built = crate::parallel::map_in_order(&slots, || (), |_, slot| one(slot));
    let mut infos = Vec::with_capacity(items.len());
    for b in built {
        let (ws, info) = b?;
        wb.push_worksheet(ws);
        infos.push(info);
    }
    Ok(infos)
}
