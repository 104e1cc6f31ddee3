//! Legacy workbooks as departments and DX offices keep them, written with rust_xlsxwriter from
//! the seeds (shared/seeds/, see shared/DOMAIN.md), one per layout of issue 3, each with the
//! irregularities real sheets have. Texts and values are the seeds' own; where a seed lost
//! something in its PDF conversion (schedule bars, 担当課 on Onojo sheets), the fixture supplies a
//! plausible value and says so.
//!
//! | fixture                 | seed | layout (issue 3)                     |
//! |-------------------------|------|--------------------------------------|
//! | `onojo_legacy.xlsx`     | 002  | 1 one project per sheet (7 sheets + 目次, 記入例, 集計) |
//! | `onojo_30.xlsx`         | 002  | 1, all 30 sheets of §2.3 (parsed from tests/fixtures/legacy/onojo_2_3.md) + 目次, 集計 |
//! | `fukuyama_bessatsu.xlsx`| 001  | 2 several projects stacked per sheet |
//! | `onomichi_koteihyo.xlsx`| 003  | 3 工程表 with phase labels per year   |
//! | `flat_list.xlsx`        | 002  | 4 a flat list, one row per project   |
//!
//! `.xls` and `.ods` versions of each are converted once by LibreOffice
//! (scripts/make-fixtures.sh) and committed under tests/fixtures/legacy/.

#![allow(dead_code)]

use std::path::{Path, PathBuf};

use rust_xlsxwriter::{Color, Format, FormatAlign, Formula, Workbook, Worksheet, XlsxError};

type R<T> = Result<T, XlsxError>;

pub const POLICY_1: &str = "市民の暮らしを豊かにするスマートシティの実現";
pub const POLICY_2: &str = "行政運営の高度化・効率化の推進";

// =============================================================================================
// The Onojo seed (002 §2.3), parsed from its converted markdown tables

#[derive(Clone, Debug)]
pub struct SeedTask {
    /// Task name as written (line breaks kept).
    pub name: String,
    /// Years R4..R7 that carry a mark (「→」) in the seed.
    pub marks: [bool; 4],
}

#[derive(Clone, Debug)]
pub struct SeedProject {
    /// 1 = 基本方針Ⅰ, 2 = 基本方針Ⅱ.
    pub policy: usize,
    /// 取組 number within the policy, as printed.
    pub measure_no: u32,
    pub measure: String,
    /// Circled number as printed (①…), not part of the title.
    pub number: String,
    pub title: String,
    pub summary: String,
    pub tasks: Vec<SeedTask>,
    pub goal_label: String,
    pub goal: String,
    /// The effects as a list without bullets (what the plan should hold).
    pub effects: Vec<String>,
    /// The 期待される効果 cell as written: one bullet per line.
    pub effects_cell: String,
    pub kgi_label: String,
    /// The whole 数値目標（KGI） cell, 「name：target」.
    pub kgi: String,
    pub kpi_label: String,
    /// KPI cells R4..R7 as written (「－」 for none).
    pub kpi: [String; 4],
    pub lcc_label: String,
    /// 年度経費（LCC）（千円） cells R4..R7 as written (「6,000」, 「－」, 「0※4」).
    pub lcc: [String; 4],
}

impl SeedProject {
    pub fn policy_title(&self) -> &'static str {
        if self.policy == 1 {
            POLICY_1
        } else {
            POLICY_2
        }
    }
}

pub fn onojo_seed_path() -> PathBuf {
    super::fixture("legacy/onojo_2_3.md")
}

/// Cleans one converted table cell: HTML emphasis and superscripts dropped (their text kept),
/// `<br>` and list items become line breaks.
fn clean_cell(s: &str) -> String {
    let mut s = s.replace("<b>", "").replace("</b>", "");
    s = s
        .replace(" <sup>", "")
        .replace("<sup>", "")
        .replace("</sup>", "");
    if s.contains("<li>") {
        let items: Vec<String> = s
            .split("<li>")
            .skip(1)
            .map(|it| it.split("</li>").next().unwrap_or("").trim().to_string())
            .filter(|it| !it.is_empty())
            .collect();
        s = items.join("\n");
    }
    s = s.replace("<br>", "\n");
    s.lines()
        .map(|l| l.trim())
        .collect::<Vec<_>>()
        .join("\n")
        .trim()
        .to_string()
}

pub fn is_dash(s: &str) -> bool {
    matches!(s.trim(), "" | "－" | "-" | "—" | "ー" | "―")
}

fn circled(c: char) -> bool {
    ('①'..='⑳').contains(&c)
}

/// The 30 個別施策 of the Onojo plan, in plan order.
pub fn onojo_seed() -> Vec<SeedProject> {
    let text =
        std::fs::read_to_string(onojo_seed_path()).expect("tests/fixtures/legacy/onojo_2_3.md");
    let mut out: Vec<SeedProject> = Vec::new();
    let mut policy = 0usize;
    let mut measure_no = 0u32;
    let mut measure = String::new();
    let mut cur: Option<SeedProject> = None;
    #[derive(PartialEq)]
    enum Mode {
        None,
        Schedule,
        KpiHeader,
    }
    let mut mode = Mode::None;
    let flush = |cur: &mut Option<SeedProject>, out: &mut Vec<SeedProject>| {
        if let Some(p) = cur.take() {
            out.push(p);
        }
    };
    for line in text.lines() {
        let t = line.trim();
        if !t.starts_with('|') {
            flush(&mut cur, &mut out);
            mode = Mode::None;
            if t.starts_with('#') && t.contains("基本方針") {
                policy = if t.contains('Ⅱ') { 2 } else { 1 };
            }
            if let Some(pos) = t.find("取組") {
                let rest = &t[pos + "取組".len()..];
                let rest = rest.trim_start();
                let digits: String = rest.chars().take_while(|c| c.is_ascii_digit()).collect();
                if !digits.is_empty() {
                    let after = rest[digits.len()..].trim_start();
                    if let Some(name) = after.strip_prefix(':').or_else(|| after.strip_prefix('：'))
                    {
                        measure_no = digits.parse().unwrap();
                        measure = name.trim().to_string();
                    }
                }
            }
            continue;
        }
        let cells: Vec<String> = t
            .trim_matches('|')
            .split('|')
            .map(|c| c.trim().to_string())
            .collect();
        if cells
            .iter()
            .all(|c| c.chars().all(|ch| ch == '-' || ch == ':'))
        {
            continue;
        }
        let label = clean_cell(&cells[0]);
        let val = |i: usize| cells.get(i).map(|c| clean_cell(c)).unwrap_or_default();
        if label == "取組名" {
            flush(&mut cur, &mut out);
            let full = val(1);
            let (number, title) = match full.chars().next() {
                Some(c) if circled(c) => (c.to_string(), full[c.len_utf8()..].trim().to_string()),
                _ => (String::new(), full.clone()),
            };
            assert!(policy > 0 && measure_no > 0, "heading before 取組名 {full}");
            cur = Some(SeedProject {
                policy,
                measure_no,
                measure: measure.clone(),
                number,
                title,
                summary: String::new(),
                tasks: Vec::new(),
                goal_label: String::new(),
                goal: String::new(),
                effects: Vec::new(),
                effects_cell: String::new(),
                kgi_label: String::new(),
                kgi: String::new(),
                kpi_label: String::new(),
                kpi: Default::default(),
                lcc_label: String::new(),
                lcc: Default::default(),
            });
            mode = Mode::None;
            continue;
        }
        let Some(p) = cur.as_mut() else { continue };
        if label.starts_with("目指す姿") {
            mode = Mode::None;
        }
        match label.as_str() {
            "内容" => p.summary = val(1),
            "スケジュール" => mode = Mode::Schedule,
            _ if mode == Mode::Schedule => {
                let marks = [1, 2, 3, 4].map(|i| val(i).contains('→'));
                p.tasks.push(SeedTask {
                    name: label.clone(),
                    marks,
                });
            }
            l if l.starts_with("目指す姿") => {
                p.goal_label = l.to_string();
                p.goal = val(1);
            }
            "期待される効果" => {
                p.effects_cell = val(1);
                p.effects = p
                    .effects_cell
                    .lines()
                    .map(|l| l.trim().trim_start_matches('・').trim().to_string())
                    .filter(|l| !l.is_empty())
                    .collect();
            }
            l if l.starts_with("数値目標") => {
                p.kgi_label = l.to_string();
                p.kgi = val(1);
            }
            l if l.starts_with("評価指標") => {
                p.kpi_label = l.to_string();
                mode = Mode::KpiHeader;
            }
            "" if mode == Mode::KpiHeader => {
                p.kpi = [val(1), val(2), val(3), val(4)];
                mode = Mode::None;
            }
            l if l.starts_with("年度経費") => {
                p.lcc_label = l.to_string();
                p.lcc = [val(1), val(2), val(3), val(4)];
            }
            _ => {}
        }
    }
    flush(&mut cur, &mut out);
    assert_eq!(out.len(), 30, "the Onojo seed has 30 個別施策");
    out
}

/// A budget cell of the seed as the plan should hold it: None for 「－」, else the number
/// (footnote markers such as 「※4」 dropped).
pub fn seed_budget(cell: &str) -> Option<i64> {
    if is_dash(cell) {
        return None;
    }
    let digits: String = cell
        .chars()
        .take_while(|c| c.is_ascii_digit() || *c == ',' || c.is_whitespace())
        .filter(|c| c.is_ascii_digit())
        .collect();
    Some(
        digits
            .parse()
            .unwrap_or_else(|_| panic!("budget cell {cell}")),
    )
}

/// What a KPI cell should read as: (number, unit) where the cell starts with a number; unit
/// None when the rest is not a plain unit (「1\n(試行)」). A qualifier 「減」 and footnote markers
/// are not part of the unit.
pub fn seed_value(cell: &str) -> Option<(Option<f64>, Option<String>)> {
    if is_dash(cell) {
        return None;
    }
    let numtxt: String = cell
        .chars()
        .take_while(|c| c.is_ascii_digit() || *c == ',' || *c == '.')
        .collect();
    if numtxt.is_empty() {
        return Some((None, None));
    }
    let number: f64 = numtxt.replace(',', "").parse().unwrap();
    let mut rest = cell[numtxt.len()..].trim().to_string();
    for m in ["※1", "※2", "※3", "※4", "*1", "*2", "*3"] {
        rest = rest.replace(m, "");
    }
    let rest = rest.trim().trim_end_matches('減').trim().to_string();
    let plain = !rest.is_empty()
        && !rest
            .chars()
            .any(|c| c.is_whitespace() || "()（）".contains(c));
    Some((Some(number), if plain { Some(rest) } else { None }))
}

// =============================================================================================
// Writing one Onojo project sheet

#[derive(Clone, Debug)]
pub enum Cell {
    Text(String),
    Number(f64),
    /// A number formatted as a percentage (0.2 shown as 20%).
    Percent(f64),
    /// A formula with its cached result.
    Formula(String, f64),
    Blank,
}

pub fn t(s: &str) -> Cell {
    Cell::Text(s.to_string())
}

#[derive(Clone, Debug)]
pub struct OnojoStyle {
    /// Column of the label column (0 = A, 1 = B).
    pub col0: u16,
    /// Title rows above the table (基本方針 line, 「取組 1 : …」 line).
    pub title_rows: Vec<String>,
    pub blank_after_title: bool,
    pub schedule_years: [String; 4],
    pub kpi_years: [String; 4],
    /// Bars as 「→」 instead of filled cells.
    pub arrows: bool,
    /// Bar years per task (overrides the seed's marks).
    pub bars: Vec<[bool; 4]>,
    pub kpi: [Cell; 4],
    pub lcc: [Cell; 4],
    pub owners: Option<String>,
    pub hidden_blank_row_after_first_task: bool,
    pub blank_row_before_goal: bool,
    pub goal_label: String,
    pub kgi_label: String,
    pub kpi_label: String,
    pub lcc_label: String,
    pub effects_cell: String,
    /// Lines written below the table (footnotes).
    pub notes: Vec<String>,
    /// The 取組名 cell, 「① オンライン申請の拡充」.
    pub title_cell: String,
    /// The labels 取組名 and 内容 as written (「取 組 名」, 「内　容」 on some sheets).
    pub title_label: String,
    pub summary_label: String,
    /// Labels another city writes for the same rows (issue 14): スケジュール, 期待される効果,
    /// 担当課, the KPI values row (unlabelled in Onojo's sheets), and an 実績 row under it.
    pub schedule_label: String,
    pub effects_label: String,
    pub owner_label: String,
    pub kpi_row_label: String,
    pub actual_row: Option<(String, [Cell; 4])>,
}

/// Bars of a seed task: its marks, or every year when the conversion lost them.
pub fn default_bars(task: &SeedTask) -> [bool; 4] {
    if task.marks.iter().any(|m| *m) {
        task.marks
    } else {
        [true; 4]
    }
}

pub fn roman(policy: usize) -> &'static str {
    if policy == 1 {
        "Ⅰ"
    } else {
        "Ⅱ"
    }
}

impl OnojoStyle {
    /// The seed as printed: labels, values and bars as the seed has them, table in column A.
    pub fn from_seed(p: &SeedProject) -> OnojoStyle {
        let years = ["R4", "R5", "R6", "R7"].map(String::from);
        OnojoStyle {
            col0: 0,
            title_rows: vec![
                format!("基本方針{}：{}", roman(p.policy), p.policy_title()),
                format!("取組{}：{}", p.measure_no, p.measure),
            ],
            blank_after_title: false,
            schedule_years: years.clone(),
            kpi_years: years,
            arrows: false,
            bars: p.tasks.iter().map(default_bars).collect(),
            kpi: p.kpi.clone().map(Cell::Text),
            lcc: p.lcc.clone().map(|c| match seed_budget(&c) {
                Some(n) if !c.contains('※') => Cell::Number(n as f64),
                _ => Cell::Text(c),
            }),
            owners: None,
            hidden_blank_row_after_first_task: false,
            blank_row_before_goal: false,
            goal_label: p.goal_label.clone(),
            kgi_label: p.kgi_label.clone(),
            kpi_label: p.kpi_label.clone(),
            lcc_label: p.lcc_label.clone(),
            effects_cell: p.effects_cell.clone(),
            notes: Vec::new(),
            title_cell: format!("{} {}", p.number, p.title),
            title_label: "取組名".into(),
            summary_label: "内容".into(),
            schedule_label: "スケジュール".into(),
            effects_label: "期待される効果".into(),
            owner_label: "担当課".into(),
            kpi_row_label: String::new(),
            actual_row: None,
        }
    }
}

/// Where things landed on a written sheet (1-based rows), for assertions on `Sheet!A1` refs.
#[derive(Clone, Debug)]
pub struct SheetOut {
    pub sheet: String,
    /// Row of the 取組名 cell.
    pub title_row: u32,
    /// (task name, row) of every task row.
    pub task_rows: Vec<(String, u32)>,
    /// Task rows whose bar is drawn with arrows.
    pub arrow_rows: Vec<(String, u32)>,
}

pub struct Formats {
    pub wrap: Format,
    pub label: Format,
    pub fill: Format,
    pub title: Format,
    pub percent: Format,
    pub badge: Format,
    pub header: Format,
}

impl Formats {
    pub fn new() -> Formats {
        Formats {
            wrap: Format::new().set_text_wrap().set_align(FormatAlign::Top),
            label: Format::new()
                .set_background_color(Color::RGB(0xDDEBF7))
                .set_bold(),
            fill: Format::new().set_background_color(Color::RGB(0x5B9BD5)),
            title: Format::new().set_bold().set_font_size(14),
            percent: Format::new().set_num_format("0%"),
            badge: Format::new()
                .set_background_color(Color::RGB(0xC00000))
                .set_font_color(Color::White)
                .set_bold(),
            header: Format::new().set_bold().set_align(FormatAlign::Center),
        }
    }
}

fn write_cell(ws: &mut Worksheet, row: u32, col: u16, c: &Cell, f: &Formats) -> R<()> {
    match c {
        Cell::Text(s) if s.contains('\n') => {
            ws.write_string_with_format(row, col, s, &f.wrap)?;
        }
        Cell::Text(s) => {
            ws.write_string(row, col, s)?;
        }
        Cell::Number(n) => {
            ws.write_number(row, col, *n)?;
        }
        Cell::Percent(n) => {
            ws.write_number_with_format(row, col, *n, &f.percent)?;
        }
        Cell::Formula(formula, result) => {
            ws.write_formula(
                row,
                col,
                Formula::new(formula).set_result(format_result(*result)),
            )?;
        }
        Cell::Blank => {}
    }
    Ok(())
}

fn format_result(n: f64) -> String {
    if n.fract() == 0.0 {
        format!("{}", n as i64)
    } else {
        format!("{n}")
    }
}

/// A label row whose value is merged across the four year columns.
fn merged_row(
    ws: &mut Worksheet,
    row: u32,
    col0: u16,
    label: &str,
    value: &str,
    f: &Formats,
) -> R<()> {
    ws.write_string_with_format(row, col0, label, &f.label)?;
    ws.merge_range(row, col0 + 1, row, col0 + 4, value, &f.wrap)?;
    Ok(())
}

/// Writes one Onojo 個別施策 sheet (layout 1) and says where its rows are.
pub fn write_onojo_sheet(
    ws: &mut Worksheet,
    name: &str,
    p: &SeedProject,
    st: &OnojoStyle,
    f: &Formats,
) -> R<SheetOut> {
    ws.set_name(name)?;
    let c0 = st.col0;
    if c0 > 0 {
        ws.set_column_width(0, 2)?;
    }
    ws.set_column_width(c0, 28)?;
    for i in 1..=4 {
        ws.set_column_width(c0 + i, 16)?;
    }
    let mut r: u32 = 0;
    for (i, line) in st.title_rows.iter().enumerate() {
        if i == 0 {
            ws.merge_range(r, c0, r, c0 + 4, line, &f.title)?;
        } else {
            ws.write_string_with_format(r, c0, line, &f.title)?;
        }
        r += 1;
    }
    if st.blank_after_title {
        r += 1;
    }
    let title_row = r + 1;
    merged_row(ws, r, c0, &st.title_label, &st.title_cell, f)?;
    r += 1;
    if let Some(o) = &st.owners {
        merged_row(ws, r, c0, &st.owner_label, o, f)?;
        r += 1;
    }
    merged_row(ws, r, c0, &st.summary_label, &p.summary, f)?;
    r += 1;
    ws.write_string_with_format(r, c0, &st.schedule_label, &f.label)?;
    for (i, y) in st.schedule_years.iter().enumerate() {
        ws.write_string_with_format(r, c0 + 1 + i as u16, y, &f.header)?;
    }
    r += 1;
    let mut task_rows = Vec::new();
    let mut arrow_rows = Vec::new();
    for (k, task) in p.tasks.iter().enumerate() {
        let bars = st
            .bars
            .get(k)
            .copied()
            .unwrap_or_else(|| default_bars(task));
        if task.name.contains('\n') {
            ws.write_string_with_format(r, c0, &task.name, &f.wrap)?;
        } else {
            ws.write_string(r, c0, &task.name)?;
        }
        for (i, on) in bars.iter().enumerate() {
            if *on {
                let col = c0 + 1 + i as u16;
                if st.arrows {
                    ws.write_string(r, col, "→")?;
                } else {
                    ws.write_blank(r, col, &f.fill)?;
                }
            }
        }
        task_rows.push((task.name.clone(), r + 1));
        if st.arrows {
            arrow_rows.push((task.name.clone(), r + 1));
        }
        r += 1;
        if k == 0 && st.hidden_blank_row_after_first_task {
            ws.set_row_hidden(r)?;
            r += 1;
        }
    }
    if st.blank_row_before_goal {
        r += 1;
    }
    merged_row(ws, r, c0, &st.goal_label, &p.goal, f)?;
    r += 1;
    merged_row(ws, r, c0, &st.effects_label, &st.effects_cell, f)?;
    ws.set_row_height(r, 15.0 * st.effects_cell.lines().count().max(1) as f64)?;
    r += 1;
    merged_row(ws, r, c0, &st.kgi_label, &p.kgi, f)?;
    r += 1;
    ws.write_string_with_format(r, c0, &st.kpi_label, &f.label)?;
    for (i, y) in st.kpi_years.iter().enumerate() {
        ws.write_string_with_format(r, c0 + 1 + i as u16, y, &f.header)?;
    }
    r += 1;
    if !st.kpi_row_label.is_empty() {
        ws.write_string_with_format(r, c0, &st.kpi_row_label, &f.label)?;
    }
    for (i, c) in st.kpi.iter().enumerate() {
        write_cell(ws, r, c0 + 1 + i as u16, c, f)?;
    }
    r += 1;
    if let Some((label, cells)) = &st.actual_row {
        ws.write_string_with_format(r, c0, label, &f.label)?;
        for (i, c) in cells.iter().enumerate() {
            write_cell(ws, r, c0 + 1 + i as u16, c, f)?;
        }
        r += 1;
    }
    ws.write_string_with_format(r, c0, &st.lcc_label, &f.label)?;
    for (i, c) in st.lcc.iter().enumerate() {
        write_cell(ws, r, c0 + 1 + i as u16, c, f)?;
    }
    r += 1;
    if !st.notes.is_empty() {
        r += 1;
        for n in &st.notes {
            ws.write_string(r, c0, n)?;
            r += 1;
        }
    }
    Ok(SheetOut {
        sheet: name.to_string(),
        title_row,
        task_rows,
        arrow_rows,
    })
}

fn seed_by_title<'a>(seed: &'a [SeedProject], title: &str) -> &'a SeedProject {
    seed.iter()
        .find(|p| p.title == title)
        .unwrap_or_else(|| panic!("seed has no 「{title}」"))
}

/// Sheet name of the i-th project of a measure: 「Ⅰ-1-①」.
pub fn onojo_code(p: &SeedProject, k: usize) -> String {
    let circ = char::from_u32('①' as u32 + k as u32).unwrap();
    format!("{}-{}-{}", roman(p.policy), p.measure_no, circ)
}

/// The 目次 of an Onojo workbook: a list of the sheets (titles of projects, not projects).
pub fn write_toc(ws: &mut Worksheet, rows: &[(String, String, String)], f: &Formats) -> R<()> {
    ws.set_name("目次")?;
    ws.write_string_with_format(0, 0, "大野城市DX推進計画 個別施策シート 目次", &f.title)?;
    for (i, h) in ["No.", "取組", "個別施策", "シート"].iter().enumerate() {
        ws.write_string_with_format(2, i as u16, *h, &f.label)?;
    }
    for (k, (measure, title, sheet)) in rows.iter().enumerate() {
        let r = 3 + k as u32;
        ws.write_number(r, 0, (k + 1) as f64)?;
        ws.write_string(r, 1, measure)?;
        ws.write_string(r, 2, title)?;
        ws.write_string(r, 3, sheet)?;
    }
    ws.set_column_width(1, 30)?;
    ws.set_column_width(2, 40)?;
    Ok(())
}

/// 集計: §2.4 図表 2-4-1 (経費 and うち一般財源 per 基本方針 and year), with formulas for 計.
pub fn write_totals(ws: &mut Worksheet, f: &Formats) -> R<()> {
    ws.set_name("集計")?;
    ws.write_string_with_format(0, 0, "2.4 取組に係る経費（計画値）", &f.title)?;
    ws.write_string(1, 9, "単位（千円）")?;
    let years = ["R4", "R5", "R6", "R7", "計"];
    for (i, y) in years.iter().enumerate() {
        let c = 1 + 2 * i as u16;
        ws.merge_range(2, c, 2, c + 1, y, &f.header)?;
        ws.write_string(3, c, "経費")?;
        ws.write_string_with_format(3, c + 1, "うち\n一般財源", &f.wrap)?;
    }
    let rows: [(&str, [f64; 8]); 2] = [
        (
            "基本方針Ⅰ",
            [
                19100.0, 2100.0, 170100.0, 107100.0, 222100.0, 152100.0, 215100.0, 157100.0,
            ],
        ),
        (
            "基本方針Ⅱ",
            [
                29000.0, 4000.0, 108000.0, 106000.0, 27000.0, 26000.0, 450000.0, 343000.0,
            ],
        ),
    ];
    for (k, (name, vals)) in rows.iter().enumerate() {
        let r = 4 + k as u32;
        ws.write_string(r, 0, *name)?;
        for (i, v) in vals.iter().enumerate() {
            ws.write_number(r, 1 + i as u16, *v)?;
        }
        let sum_cost = vals[0] + vals[2] + vals[4] + vals[6];
        let sum_gen = vals[1] + vals[3] + vals[5] + vals[7];
        let rr = r + 1;
        ws.write_formula(
            r,
            9,
            Formula::new(format!("=B{rr}+D{rr}+F{rr}+H{rr}")).set_result(format_result(sum_cost)),
        )?;
        ws.write_formula(
            r,
            10,
            Formula::new(format!("=C{rr}+E{rr}+G{rr}+I{rr}")).set_result(format_result(sum_gen)),
        )?;
    }
    ws.write_string(6, 0, "計")?;
    let totals = [
        48100.0, 6100.0, 278100.0, 213100.0, 249100.0, 178100.0, 665100.0, 500100.0, 1240400.0,
        897400.0,
    ];
    for (i, v) in totals.iter().enumerate() {
        let col = (b'B' + i as u8) as char;
        ws.write_formula(
            6,
            1 + i as u16,
            Formula::new(format!("=SUM({col}5:{col}6)")).set_result(format_result(*v)),
        )?;
    }
    Ok(())
}

/// 記入例: the 「ページの見方」 example page of the plan (002 §2.3), a complete sheet in the
/// project layout that is NOT a project. Its 取組名 is the same as the real Ⅱ-1-①.
fn write_example(ws: &mut Worksheet, f: &Formats) -> R<()> {
    let p = SeedProject {
        policy: 2,
        measure_no: 1,
        measure: "先端技術による業務効率化".into(),
        number: "①".into(),
        title: "AI・RPAの利活用拡大".into(),
        summary: "令和3（2021）年度に導入したAI・RPAの利活用を拡大し、更なる業務の効率化を図ります。".into(),
        tasks: vec![
            SeedTask {
                name: "AI-OCR・RPAの導入業務拡大".into(),
                marks: [true, false, false, false],
            },
            SeedTask {
                name: "職員研修・サポートの実施".into(),
                marks: [true, false, false, false],
            },
        ],
        goal_label: "目指す姿／目標".into(),
        goal: "「人がやらなければならないこと、コンピュータでもできること」を選別し、業務効率化に努める。".into(),
        effects: vec![],
        effects_cell: "・業務時間の削減など職員の負担軽減\n・削減した時間を職員が本来行うべき業務に転換".into(),
        kgi_label: "数値目標（KGI）".into(),
        kgi: "AI・RPA導入による業務時間削減率：導入前と比べて30%減".into(),
        kpi_label: "評価指標（KPI）".into(),
        kpi: ["30%減", "30%減", "30%減", "30%減"].map(String::from),
        lcc_label: "年度経費（LCC）（千円）".into(),
        lcc: ["4,000", "4,000", "4,000", "4,000"].map(String::from),
    };
    let mut st = OnojoStyle::from_seed(&p);
    st.title_rows = vec![
        "【記入例】ページの見方".into(),
        "取組1：先端技術による業務効率化".into(),
    ];
    st.arrows = true;
    st.notes = vec![
        "個別施策の目指す姿（目標）と、施策を実施することにより期待される効果".into(),
        "年度経費（LCC）… 検討・構築から運用までに想定される投資コスト（計画値）をトータルで見える化するもの".into(),
        "※金額は実施計画において精査し決定する".into(),
        "数値目標（KGI）… 取組における最終的な到達目標を示すもので、計画期間全体における個別施策の達成度を測る指標".into(),
        "評価指標（KPI）… 数値目標の達成に向けて到達すべき中間的な目標を示すもので、計画期間の途中段階における個別施策の達成度を測る指標".into(),
    ];
    write_onojo_sheet(ws, "記入例", &p, &st, f)?;
    Ok(())
}

// =============================================================================================
// Fixture 1: onojo_legacy.xlsx — seven Onojo sheets, each with its own irregularities

pub struct OnojoLegacy {
    pub path: PathBuf,
    /// Project sheets in workbook order.
    pub sheets: Vec<SheetOut>,
    /// Sheets that are not projects.
    pub not_projects: Vec<String>,
    /// Every sheet name in workbook order.
    pub all_sheets: Vec<String>,
}

impl OnojoLegacy {
    pub fn sheet(&self, name: &str) -> &SheetOut {
        self.sheets
            .iter()
            .find(|s| s.sheet == name)
            .unwrap_or_else(|| panic!("fixture has no sheet {name}"))
    }
}

pub const ONOJO_LEGACY_TITLES: [&str; 7] = [
    "オンライン申請の拡充",
    "各種支払いのキャッシュレス化",
    "公共施設予約システムの更新",
    "デジタル・デバイド対策",
    "書かない・待たない窓口の導入",
    "AI・RPAの利活用拡大",
    "標準システム導入",
];

/// Writes onojo_legacy.xlsx. Sheets: 目次, 記入例, Ⅰ-1-①, Ⅰ-1-②, Ⅰ-1-③, Ⅰ-3-③, Ⅰ-6-①, Ⅱ-1-①,
/// Ⅱ-2-①, 集計. Irregularities per sheet:
/// - Ⅰ-1-① オンライン申請の拡充: 基本方針 line + 「取組 1 : 行政手続のオンライン化」 + blank row
///   above the table; 担当課 row 「ICT推進課、市民課ほか」; bars as filled cells (R4–R7, R4–R5);
///   a hidden blank row between the two tasks; LCC as number 6000, text 「6,000」,
///   formula =SUM(2000,4000) with cached 6000, number 6000; 「目指す姿/目標」.
/// - Ⅰ-1-② 各種支払いのキャッシュレス化: table starts in column B; 「目指す姿／目標」,
///   「数値目標 (KGI)」; KPI header 「Ｒ５」 full width; KPI 「－」, 「5%」, 0.2 formatted 0%, 「40%」;
///   LCC 「－」, 6000, 10000, text 「4,000」; filled bars R4, R5, R6–R7; blank row before 目指す姿.
/// - Ⅰ-1-③ 公共施設予約システムの更新: only the 取組 title row (no 基本方針 line); 「→」 bars in
///   R4, R5, R6 (one arrow each: end years are a guess); half-width labels 「数値目標 (KGI)」,
///   「評価指標 (KPI)」, 「年度経費 (LCC) (千円)」; KPI 「98,500 件」….
/// - Ⅰ-3-③ デジタル・デバイド対策: column B; labels 「取 組 名」, 「内　容」 (spaced); schedule
///   header 「令和4年度」「令和 5 年度」…; effects without bullets; LCC 0, 0, 0, 0 (zero, not "no value").
/// - Ⅰ-6-① 書かない・待たない窓口の導入: KPI 「—」, 「1\n(試行)」, 「導入を決定した全窓口*2」 ×2;
///   LCC 「—」, 4000 ×3; footnote lines ※1 ※2 below the table.
/// - Ⅱ-1-① AI・RPAの利活用拡大: 基本方針Ⅱ line; schedule header 「令和4年度」…; 「→」 in every
///   year for the first task, in R4 only for the second; 担当課 「デジタル推進課, 総務課」.
/// - Ⅱ-2-① 標準システム導入: column B; KPI 「1 業務※2」… 「20 業務※3」; LCC as text with
///   footnote markers 「0※4」 ×3, 「427,000※4」; footnotes ※1–※4 below the table.
pub fn onojo_legacy(path: &Path) -> OnojoLegacy {
    let seed = onojo_seed();
    let f = Formats::new();
    let mut wb = Workbook::new();
    let mut sheets = Vec::new();
    let toc: Vec<(String, String, String)> = [
        ("行政手続のオンライン化", "オンライン申請の拡充", "Ⅰ-1-①"),
        (
            "行政手続のオンライン化",
            "各種支払いのキャッシュレス化",
            "Ⅰ-1-②",
        ),
        (
            "行政手続のオンライン化",
            "公共施設予約システムの更新",
            "Ⅰ-1-③",
        ),
        ("地域のデジタル化", "デジタル・デバイド対策", "Ⅰ-3-③"),
        ("窓口のデジタル化", "書かない・待たない窓口の導入", "Ⅰ-6-①"),
        ("先端技術による業務効率化", "AI・RPAの利活用拡大", "Ⅱ-1-①"),
        ("情報システムの標準化・共通化", "標準システム導入", "Ⅱ-2-①"),
    ]
    .iter()
    .map(|(a, b, c)| (a.to_string(), b.to_string(), c.to_string()))
    .collect();
    write_toc(wb.add_worksheet(), &toc, &f).unwrap();
    write_example(wb.add_worksheet(), &f).unwrap();

    let pol1 = format!("基本方針Ⅰ {POLICY_1}");
    let pol1b = format!("基本方針Ⅰ：{POLICY_1}");
    let pol2 = format!("基本方針Ⅱ：{POLICY_2}");
    let reiwa = ["令和4年度", "令和5年度", "令和6年度", "令和7年度"].map(String::from);

    // Ⅰ-1-① オンライン申請の拡充
    let p = seed_by_title(&seed, "オンライン申請の拡充");
    let mut st = OnojoStyle::from_seed(p);
    st.title_rows = vec![pol1.clone(), "取組 1 : 行政手続のオンライン化".into()];
    st.blank_after_title = true;
    st.owners = Some("ICT推進課、市民課ほか".into());
    st.bars = vec![[true, true, true, true], [true, true, false, false]];
    st.hidden_blank_row_after_first_task = true;
    st.lcc = [
        Cell::Number(6000.0),
        t("6,000"),
        Cell::Formula("=SUM(2000,4000)".into(), 6000.0),
        Cell::Number(6000.0),
    ];
    sheets.push(write_onojo_sheet(wb.add_worksheet(), "Ⅰ-1-①", p, &st, &f).unwrap());

    // Ⅰ-1-② 各種支払いのキャッシュレス化
    let p = seed_by_title(&seed, "各種支払いのキャッシュレス化");
    let mut st = OnojoStyle::from_seed(p);
    st.col0 = 1;
    st.title_rows = vec![pol1b.clone(), "取組 1 : 行政手続のオンライン化".into()];
    st.goal_label = "目指す姿／目標".into();
    st.kgi_label = "数値目標 (KGI)".into();
    st.kpi_years = ["R4", "Ｒ５", "R6", "R7"].map(String::from);
    st.kpi = [t("－"), t("5%"), Cell::Percent(0.2), t("40%")];
    st.lcc = [
        t("－"),
        Cell::Number(6000.0),
        Cell::Number(10000.0),
        t("4,000"),
    ];
    st.bars = vec![
        [true, false, false, false],
        [false, true, false, false],
        [false, false, true, true],
    ];
    st.blank_row_before_goal = true;
    sheets.push(write_onojo_sheet(wb.add_worksheet(), "Ⅰ-1-②", p, &st, &f).unwrap());

    // Ⅰ-1-③ 公共施設予約システムの更新
    let p = seed_by_title(&seed, "公共施設予約システムの更新");
    let mut st = OnojoStyle::from_seed(p);
    st.title_rows = vec!["取組 1 : 行政手続のオンライン化".into()];
    st.arrows = true;
    sheets.push(write_onojo_sheet(wb.add_worksheet(), "Ⅰ-1-③", p, &st, &f).unwrap());

    // Ⅰ-3-③ デジタル・デバイド対策
    let p = seed_by_title(&seed, "デジタル・デバイド対策");
    let mut st = OnojoStyle::from_seed(p);
    st.col0 = 1;
    st.title_rows = vec![pol1.clone(), "取組3：地域のデジタル化".into()];
    st.schedule_years = ["令和4年度", "令和 5 年度", "令和6年度", "令和7年度"].map(String::from);
    st.lcc = [
        Cell::Number(0.0),
        Cell::Number(0.0),
        Cell::Number(0.0),
        Cell::Number(0.0),
    ];
    st.title_label = "取 組 名".into();
    st.summary_label = "内　容".into();
    sheets.push(write_onojo_sheet(wb.add_worksheet(), "Ⅰ-3-③", p, &st, &f).unwrap());

    // Ⅰ-6-① 書かない・待たない窓口の導入
    let p = seed_by_title(&seed, "書かない・待たない窓口の導入");
    let mut st = OnojoStyle::from_seed(p);
    st.title_rows = vec![pol1b.clone(), "取組6：窓口のデジタル化".into()];
    st.bars = vec![
        [true, false, false, false],
        [false, true, false, false],
        [false, false, true, true],
    ];
    st.kpi = [
        t("—"),
        t("1\n(試行)"),
        t("導入を決定した全窓口*2"),
        t("導入を決定した全窓口*2"),
    ];
    st.notes = vec![
        "※1 2022年6月に閣議決定された「デジタル社会の実現に向けた重点計画」に基づき、令和4年度中に全国一律でマイナポータルなどによる転出・転入予約サービスが開始されるため、本市においても適切に対応する。".into(),
        "※2 令和5年度中に試行を行い、その結果を受け、翌年度より導入する窓口を拡充していく。".into(),
    ];
    sheets.push(write_onojo_sheet(wb.add_worksheet(), "Ⅰ-6-①", p, &st, &f).unwrap());

    // Ⅱ-1-① AI・RPAの利活用拡大
    let p0 = seed_by_title(&seed, "AI・RPA の利活用拡大");
    let mut p = p0.clone();
    p.title = "AI・RPAの利活用拡大".into();
    let mut st = OnojoStyle::from_seed(&p);
    st.title_rows = vec![pol2.clone(), "取組1：先端技術による業務効率化".into()];
    st.schedule_years = reiwa.clone();
    st.arrows = true;
    st.bars = vec![[true, true, true, true], [true, false, false, false]];
    st.owners = Some("デジタル推進課, 総務課".into());
    sheets.push(write_onojo_sheet(wb.add_worksheet(), "Ⅱ-1-①", &p, &st, &f).unwrap());

    // Ⅱ-2-① 標準システム導入
    let p = seed_by_title(&seed, "標準システム導入");
    let mut st = OnojoStyle::from_seed(p);
    st.col0 = 1;
    st.title_rows = vec![pol2.clone(), "取組 2 : 情報システムの標準化・共通化".into()];
    st.bars = vec![
        [true, false, false, false],
        [false, true, false, false],
        [false, false, true, false],
        [false, false, false, true],
    ];
    st.notes = vec![
        "※ 1 標準システムは以下の 20 業務が対象となっており、令和 7（2025）年度までに導入することが義務付けられている（地方公共団体情報システムの標準化に関する法律）。".into(),
        "※ 2 国民健康保険については、令和 3（2021）年度に更新した基幹システムにおいて、標準化対応システムを導入した。ここで示す「1 業務」とは「国民健康保険」のこと。".into(),
        "※ 3 令和 7（2025）年度に 20 業務すべてを標準システムへ移行完了する。".into(),
        "※ 4 年度経費（LCC）は、標準システムへ移行するために必要な導入経費を計上しており、現在の基幹システムの運用に係る経費は計上していない。".into(),
    ];
    sheets.push(write_onojo_sheet(wb.add_worksheet(), "Ⅱ-2-①", p, &st, &f).unwrap());

    write_totals(wb.add_worksheet(), &f).unwrap();
    wb.save(path).expect("write onojo_legacy.xlsx");
    let mut all_sheets = vec!["目次".to_string(), "記入例".to_string()];
    all_sheets.extend(sheets.iter().map(|s| s.sheet.clone()));
    all_sheets.push("集計".into());
    OnojoLegacy {
        path: path.to_path_buf(),
        sheets,
        not_projects: vec!["目次".into(), "記入例".into(), "集計".into()],
        all_sheets,
    }
}

// =============================================================================================
// Fixture 2: onojo_30.xlsx — every sheet of the plan

pub struct Onojo30Sheet {
    pub out: SheetOut,
    pub seed: SeedProject,
    pub style: OnojoStyle,
}

/// The style of the i-th sheet of the 30-sheet workbook: the seed's own labels (which already
/// mix （KGI）/(KGI) and ／//), with the table in column B on every third sheet, arrows on odd
/// sheets and filled cells on even ones, LCC typed as text on every fourth, 令和 headers on every
/// fifth and 「－」 left blank on every sixth.
pub fn onojo_30_style(i: usize, p: &SeedProject) -> OnojoStyle {
    let mut st = OnojoStyle::from_seed(p);
    st.col0 = if i % 3 == 1 { 1 } else { 0 };
    st.arrows = i % 2 == 1;
    if i % 5 == 2 {
        st.schedule_years = ["令和4年度", "令和5年度", "令和6年度", "令和7年度"].map(String::from);
        st.kpi_years = ["令和4年度", "令和5年度", "令和6年度", "令和7年度"].map(String::from);
    }
    if i % 4 == 3 {
        st.lcc = p.lcc.clone().map(Cell::Text);
    }
    if i % 6 == 5 {
        st.lcc = st.lcc.clone().map(|c| match c {
            Cell::Text(s) if is_dash(&s) => Cell::Blank,
            other => other,
        });
        st.kpi = st.kpi.clone().map(|c| match c {
            Cell::Text(s) if is_dash(&s) => Cell::Blank,
            other => other,
        });
    }
    if i.is_multiple_of(7) {
        st.blank_after_title = true;
    }
    st
}

/// Expected years of a task on a written sheet: (start, end) where end is None when the bar is
/// a single arrow, whose end year the importer can only guess.
pub fn expected_task_years(bars: [bool; 4], arrows: bool) -> (i64, Option<i64>) {
    let first = bars.iter().position(|b| *b).expect("every task has a bar") as i64;
    let last = bars.iter().rposition(|b| *b).unwrap() as i64;
    let n = bars.iter().filter(|b| **b).count();
    if arrows && n == 1 {
        (2022 + first, None)
    } else {
        (2022 + first, Some(2022 + last))
    }
}

pub fn onojo_30(path: &Path) -> Vec<Onojo30Sheet> {
    let seed = onojo_seed();
    let f = Formats::new();
    let mut wb = Workbook::new();
    let mut names = Vec::new();
    let mut counter: std::collections::HashMap<(usize, u32), usize> = Default::default();
    for p in &seed {
        let k = counter.entry((p.policy, p.measure_no)).or_default();
        names.push(onojo_code(p, *k));
        *k += 1;
    }
    let toc: Vec<(String, String, String)> = seed
        .iter()
        .zip(&names)
        .map(|(p, n)| (p.measure.clone(), p.title.clone(), n.clone()))
        .collect();
    write_toc(wb.add_worksheet(), &toc, &f).unwrap();
    let mut out = Vec::new();
    for (i, (p, name)) in seed.iter().zip(&names).enumerate() {
        let st = onojo_30_style(i, p);
        let o = write_onojo_sheet(wb.add_worksheet(), name, p, &st, &f).unwrap();
        out.push(Onojo30Sheet {
            out: o,
            seed: p.clone(),
            style: st,
        });
    }
    write_totals(wb.add_worksheet(), &f).unwrap();
    wb.save(path).expect("write onojo_30.xlsx");
    out
}

// =============================================================================================
// Fixture 3: fukuyama_bessatsu.xlsx — 001 別冊 個別事業, several projects stacked per sheet

pub struct FukuBlock {
    pub no: &'static str,
    pub title: &'static str,
    pub issue: &'static str,
    pub purpose: &'static str,
    pub summary: &'static str,
    pub owners: &'static str,
    pub indicator: &'static str,
    pub years: [&'static str; 4],
    /// (label, values 2021..2024) rows under the year header: 目標, 実績 (or 目標①, 実績①, …).
    pub rows: Vec<(&'static str, [&'static str; 4])>,
    /// The number cell merged down the block.
    pub number_merged: bool,
    /// 目標/実績 labels in column A merged A:B instead of column B.
    pub label_in_a: bool,
}

pub fn fukuyama_blocks() -> Vec<(&'static str, Vec<&'static str>, Vec<FukuBlock>)> {
    let y = ["2021年度", "2022年度", "2023年度", "2024年度"];
    vec![
        (
            "市民サービスの向上①",
            vec!["1 市民サービスの向上", "1-1 行政手続のオンライン化"],
            vec![
                FukuBlock {
                    no: "1",
                    title: "オンライン手続の拡大",
                    issue: "多様な市民ニーズへの対応や行政事務の高速化の必要性、今後の職員数減少を見据えた、新たな手続の仕組みが必要。",
                    purpose: "多様な生活スタイルに対応した行政手続を提供します。",
                    summary: "市役所へ行かなくても、いつでもどこでもオンラインで各種申請や届出、郵送請求が可能な「電子申請システム」等の手続を拡大します。",
                    owners: "ICT推進課ほか",
                    indicator: "オンライン化数（対象：原本添付や聞き取り等が不要な約800手続）",
                    years: y,
                    rows: vec![
                        ("目標", ["150手続／800手続", "400手続／800手続", "600手続／800手続", "800手続／800手続"]),
                        ("実績", ["125手続", "411手続", "-", "-"]),
                    ],
                    number_merged: true,
                    label_in_a: false,
                },
                FukuBlock {
                    no: "2",
                    title: "マイナンバーカードの普及促進",
                    issue: "市民の誰もがデジタル化の恩恵を享受するため、本人確認の前提となるマイナンバーカードの普及促進が急務。",
                    purpose: "オンラインで本人確認が可能なマイナンバーカードを普及させることで、デジタル社会の基盤を整えます。",
                    summary: "企業への出張受付等の取得支援を行うとともに、コンビニ交付サービス、健康保険証利用等の利用シーンの周知及び利活用策の検討を行います。",
                    owners: "ICT推進課、市民課",
                    indicator: "マイナンバーカード交付率",
                    years: y,
                    rows: vec![("目標", ["40%", "100%", "", ""]), ("実績", ["36.3%", "72.1%", "-", "-"])],
                    number_merged: false,
                    label_in_a: true,
                },
            ],
        ),
        (
            "市民サービスの向上②",
            // The page header repeats the measure: one measure, not two.
            vec!["1 市民サービスの向上", "1-1 行政手続のオンライン化"],
            vec![
                FukuBlock {
                    no: "3",
                    title: "問合せ自動応答サービス（正式名：福山市AI案内サービス）の分野拡大",
                    issue: "機械的に回答できる単純な問合せ業務は24時間365日対応する必要がある。",
                    purpose: "多様化した生活スタイルに合わせ、いつでもどこでも問合せを可能にします。",
                    summary: "メッセージアプリのような感覚で問合せ可能な「福山市AI案内サービス」について、回答分野を拡大します。",
                    owners: "ICT推進課ほか",
                    indicator: "問合せ可能分野数（1問1答となる全ての分野）",
                    years: ["令和3年度", "令和4年度", "令和5年度", "令和6年度"],
                    rows: vec![("目標", ["13分野", "20分野", "25分野", "30分野"]), ("実績", ["13分野", "21分野", "-", "-"])],
                    number_merged: true,
                    label_in_a: false,
                },
                FukuBlock {
                    no: "4",
                    title: "交流館等の貸館利用におけるスマート化",
                    issue: "利用者の利便性向上と災害時等の緊急時の対応が必要。",
                    purpose: "デジタル技術を活用し利用者の利便性向上と災害時等の緊急時における施設解錠のスマート化を図ります。",
                    summary: "交流館等において、貸室申請や鍵の受渡しにかかる利用者の負担軽減と併せ、緊急時の施設解錠を可能とするため、オンライン化やスマートロックを導入し、対象施設を拡大します。",
                    owners: "ICT推進課、まちづくり推進課、教育総務課ほか",
                    indicator: "導入施設数（交流館、学校体育館）",
                    years: ["2021年度", "2022年度", "２０２３年度", "2024年度"],
                    rows: vec![
                        ("目標", ["試行実施（2施設）", "試行の拡大（7施設）", "14施設", "運用状況を踏まえ拡大"]),
                        ("実績", ["2施設", "7施設", "-", "-"]),
                    ],
                    number_merged: false,
                    label_in_a: false,
                },
            ],
        ),
        (
            "市民サービスの向上⑥",
            vec!["1 市民サービスの向上", "1-2窓口のスマート化"],
            vec![
                FukuBlock {
                    no: "1",
                    title: "窓口予約システムの導入",
                    issue: "窓口の混雑を緩和し、市民サービスを向上するため、多様な手続方法の提供が必要。",
                    purpose: "市民が24時間365日いつでも予約ができる仕組みを導入し、待ち時間や手続にかかる時間を減らします。",
                    summary: "マイナンバーカード交付予約システムの導入効果を検証する中で、他業務へも拡大します。",
                    owners: "ICT推進課，市民課ほか",
                    indicator: "①窓口において15分以上の待ち時間が発生する業務について導入（対象：30業務）\n②LINE利用率（%）",
                    years: y,
                    rows: vec![
                        ("目標①", ["予約システムの導入\n(マイナンバーカード交付予約)", "5業務", "10業務", "30業務"]),
                        ("実績①", ["1業務", "5業務", "-", "-"]),
                        ("目標②", ["-", "-", "40%", "60%"]),
                        ("実績②", ["-", "-", "-", "-"]),
                    ],
                    number_merged: true,
                    label_in_a: false,
                },
                FukuBlock {
                    no: "2",
                    title: "子育て支援アプリの機能拡充",
                    issue: "子育て世帯のニーズに合った、柔軟な休日保育の受付の環境整備が必要。",
                    purpose: "休日保育の予約をアプリから可能にすることで、サービスの利便性向上を図ります。",
                    summary: "子育て支援アプリに休日保育の予約機能を拡充し、電話の受付時間の制約を受けることなく休日保育の利用を可能にします。",
                    owners: "ネウボラ推進課",
                    indicator: "アプリからの申込率",
                    years: y,
                    rows: vec![("目標", ["-", "40%", "終了", ""]), ("実績", ["-", "市LINE公式アカウントの\n予約機能を活用(24%)", "", ""])],
                    number_merged: false,
                    label_in_a: false,
                },
            ],
        ),
    ]
}

pub const FUKUYAMA_TITLES: [&str; 6] = [
    "オンライン手続の拡大",
    "マイナンバーカードの普及促進",
    "問合せ自動応答サービス（正式名：福山市AI案内サービス）の分野拡大",
    "交流館等の貸館利用におけるスマート化",
    "窓口予約システムの導入",
    "子育て支援アプリの機能拡充",
];

/// Writes fukuyama_bessatsu.xlsx: 目次 + three sheets (one per printed page), each with a
/// title row, the 基本方針 and 施策 heading rows, then stacked 個別事業 blocks: number in A,
/// labels in B, values in C..F (merged), a fiscal-year header row and 目標 / 実績 rows.
pub fn fukuyama_bessatsu(path: &Path) -> Vec<String> {
    let f = Formats::new();
    let mut wb = Workbook::new();
    {
        let ws = wb.add_worksheet();
        ws.set_name("目次").unwrap();
        ws.write_string_with_format(
            0,
            0,
            "行政版デジタル化実行計画【第1.2版】 個別事業一覧",
            &f.title,
        )
        .unwrap();
        for (i, h) in ["基本方針", "施策", "", "個別事業"].iter().enumerate() {
            ws.write_string_with_format(2, i as u16, *h, &f.label)
                .unwrap();
        }
        let rows = [
            (
                "1 市民サービスの向上",
                "1-1 行政手続のオンライン化",
                "1",
                "オンライン手続の拡大",
            ),
            ("", "", "2", "マイナンバーカードの普及促進"),
            ("", "", "3", "問合せ自動応答サービスの分野拡大"),
            ("", "", "4", "交流館等の貸館利用におけるスマート化"),
            ("", "1-2 窓口のスマート化", "1", "窓口予約システムの導入"),
            ("", "", "2", "子育て支援アプリの機能拡充"),
        ];
        for (k, (a, b, c, d)) in rows.iter().enumerate() {
            let r = 3 + k as u32;
            ws.write_string(r, 0, *a).unwrap();
            ws.write_string(r, 1, *b).unwrap();
            ws.write_string(r, 2, *c).unwrap();
            ws.write_string(r, 3, *d).unwrap();
        }
    }
    let mut names = vec!["目次".to_string()];
    for (sheet, headings, blocks) in fukuyama_blocks() {
        let ws = wb.add_worksheet();
        ws.set_name(sheet).unwrap();
        names.push(sheet.to_string());
        ws.set_column_width(0, 5).unwrap();
        ws.set_column_width(1, 18).unwrap();
        for c in 2..=5 {
            ws.set_column_width(c, 20).unwrap();
        }
        ws.merge_range(
            0,
            0,
            0,
            5,
            "福山市 行政版デジタル化実行計画【第1.2版】（別冊） 個別事業",
            &f.title,
        )
        .unwrap();
        let mut r = 1u32;
        for h in &headings {
            ws.write_string_with_format(r, 0, *h, &f.title).unwrap();
            r += 1;
        }
        r += 1; // blank row
        for b in &blocks {
            let top = r;
            for (label, value) in [
                ("事業名称", b.title),
                ("課題", b.issue),
                ("目的", b.purpose),
                ("概要", b.summary),
                ("担当課", b.owners),
                ("指標とスケジュール", b.indicator),
            ] {
                ws.write_string_with_format(r, 1, label, &f.label).unwrap();
                ws.merge_range(r, 2, r, 5, value, &f.wrap).unwrap();
                r += 1;
            }
            for (i, y) in b.years.iter().enumerate() {
                ws.write_string_with_format(r, 2 + i as u16, *y, &f.header)
                    .unwrap();
            }
            r += 1;
            for (label, vals) in &b.rows {
                if b.label_in_a {
                    ws.merge_range(r, 0, r, 1, label, &f.label).unwrap();
                } else {
                    ws.write_string_with_format(r, 1, *label, &f.label).unwrap();
                }
                for (i, v) in vals.iter().enumerate() {
                    if v.is_empty() {
                        continue;
                    }
                    if v.contains('\n') {
                        ws.write_string_with_format(r, 2 + i as u16, *v, &f.wrap)
                            .unwrap();
                    } else {
                        ws.write_string(r, 2 + i as u16, *v).unwrap();
                    }
                }
                r += 1;
            }
            if b.number_merged {
                ws.merge_range(top, 0, r - 1, 0, b.no, &f.header).unwrap();
            } else {
                ws.write_string(top, 0, b.no).unwrap();
            }
            r += 1; // blank row between projects
        }
    }
    wb.save(path).expect("write fukuyama_bessatsu.xlsx");
    names
}

// =============================================================================================
// Fixture 4: onomichi_koteihyo.xlsx — 003 アクションプラン, 工程表 R4…R9 with phase labels

pub struct OnomichiRow {
    /// Task label in the label column (blank in most of the seed's rows).
    pub label: &'static str,
    /// Phase label per year R4..R9 (blank where no phase starts).
    pub phases: [&'static str; 6],
    /// Years drawn as a filled bar.
    pub fill: [bool; 6],
}

pub struct OnomichiAction {
    pub sheet: &'static str,
    pub policy: &'static str,
    pub measures: Vec<&'static str>,
    pub badge: bool,
    pub number: &'static str,
    pub title: &'static str,
    pub issue: &'static str,
    pub summary: &'static str,
    pub years: [&'static str; 6],
    pub rows: Vec<OnomichiRow>,
}

const R4_R9: [&str; 6] = ["R4", "R5", "R6", "R7", "R8", "R9"];

pub fn onomichi_actions() -> Vec<OnomichiAction> {
    const ALL: [bool; 6] = [true; 6];
    const NONE: [bool; 6] = [false; 6];
    vec![
        OnomichiAction {
            sheet: "1-⑤",
            policy: "1) 市民サービスの利便性向上へのアクション",
            measures: vec!["○ニーズに合った多様な情報提供"],
            badge: false,
            // Printed 「アクション⑥」 where ⑤ is meant (DOMAIN.md): numbers are not keys.
            number: "アクション⑥",
            title: "リモートによる遠隔地からの相談対応",
            issue: "支所等において市民からの問い合わせが専門的な内容のため対応が難しい場合や、担当部署が別の施設にある場合に、電話で担当者に繋ぎ説明をしているが、内容によっては直接本庁に出向いてもらうといった現状がある。相談業務について、対面形式のみでの開催となっており、会場が遠く利用できない人もいる。また、会場によっては相談件数が少なく空き時間が発生することもあり、効率化を進めたい。プライバシーに配慮した端末設置場所や、導入する部署の選定等、運用方法について検討が必要である。",
            summary: "市民が市役所本庁に出向くことなく、最寄りの支所等で本庁の担当者とオンラインで会話できるよう、Web会議システムよりも容易に接続できる遠隔でのコミュニケーションシステムを構築する。",
            years: R4_R9,
            rows: vec![
                OnomichiRow { label: "", phases: ["検討", "", "構築・導入", "運用、利用拡大検討\n(庁内のWeb会議システムとしての利用など)", "", ""], fill: ALL },
                OnomichiRow {
                    label: "",
                    phases: ["相談システム運用方法検討、実証", "", "サービス導入、遠隔相談窓口の運用", "", "", ""],
                    fill: [true, true, true, true, true, false],
                },
            ],
        },
        OnomichiAction {
            sheet: "1-⑥",
            policy: "1) 市民サービスの利便性向上へのアクション",
            measures: vec!["○マイナンバーカードの普及・活用"],
            badge: true,
            number: "アクション⑥",
            title: "マイナンバーカード取得促進と活用拡大の取組",
            issue: "国は、令和3年10月20日から健康保険証としての本格運用開始、令和6年度には運転免許証との一体化を予定するなど、マイナンバーカードの普及拡大に向けた取組を進めている。本市のマイナンバーカード交付率は63.7%、申請率は71.2%（令和5年1月末時点）で、いずれも国の平均を上回っている。今後は、高齢などの理由でカードの取得が難しい人への申請支援をするとともに、カードの利便性の周知に努め、さらなる普及促進を行っていく必要がある。",
            summary: "マイナンバーカードは、オンラインで確実な本人確認及び電子署名を行うことができ、今後のデジタル社会の基盤になるものである。国は、令和4年度末にはほぼ全国民にマイナンバーカードが行き渡ることを目指しており、市においても、広報紙やホームページによる啓発、行政手続のオンライン化、諸証明のコンビニ交付サービス等マイナンバーカードの利用機会を創出し、マイナンバーカードの普及促進を行っていく。",
            years: ["令和4年度", "令和5年度", "令和6年度", "令和7年度", "令和8年度", "令和9年度"],
            rows: vec![OnomichiRow {
                label: "",
                phases: ["広報紙やホームページによる啓発、出張申請受付での申請支援", "", "", "マイナンバーカード利活用の推進（電子申請の拡大など）", "", ""],
                fill: NONE,
            }],
        },
        OnomichiAction {
            sheet: "2-④",
            policy: "2) 地域課題の解決へのアクション",
            measures: vec!["○データ連携基盤の活用推進", "○産官学の連携強化"],
            badge: false,
            number: "アクション④",
            title: "地域におけるデータ利活用の推進（ビッグデータの活用）",
            issue: "本市におけるオープンデータの公開状況については、国の「推奨データセット」に示された地域・年齢別データのみにとどまっている。公開するデータを増やすとともに、広くデータが活用されるためにポータルサイトの活用やデータ連携基盤の構築など、市民が使いやすく、分かりやすいデータを提供する方法や環境整備を検討していく必要がある。",
            summary: "行政の保有する情報を機械判読に適したデータ形式で公開することにより、民間における公共データの利活用推進・市民との協働により、新たな産業の創出や市民生活の利便性向上を目指す。また、データを政策立案、評価に活用し、効率的、効果的なサービス提供につなげる。",
            years: R4_R9,
            rows: vec![
                OnomichiRow { label: "", phases: ["オープンデータの拡充検討", "", "", "", "", ""], fill: ALL },
                OnomichiRow { label: "データ活用のための環境整備検討", phases: ["", "", "", "", "", ""], fill: [false, true, true, true, true, true] },
            ],
        },
        OnomichiAction {
            sheet: "2-⑤",
            policy: "2) 地域課題の解決へのアクション",
            measures: vec!["○産官学の連携強化"],
            badge: false,
            number: "アクション⑥",
            title: "交通手段をシームレスにつなぐMaaSの取組",
            issue: "地域公共交通は、路線廃止や減便などにより、高齢者等の移動手段としての利便性が低下しており、利用者数も減少傾向である。 また、交通事業者においては、運転手等の担い手不足が深刻化している。",
            summary: "御調町の予約型乗合タクシー（平成30年10月～運行）に、MaaSを活用した運行管理システムを導入し、サービス向上・利用者増加を図り、社会実装につなげる。",
            years: ["R4", "R5", "R6", "Ｒ７", "R8", "R9"],
            rows: vec![OnomichiRow { label: "", phases: ["計画策定", "実証実験\n検証、分析", "実装検討", "→", "→", "→"], fill: NONE }],
        },
        OnomichiAction {
            sheet: "4-④",
            policy: "4) 行政運営の効率化・デジタル化、スマート市役所の実現へのアクション",
            measures: vec!["○BPRの実施とAI・RPAの活用"],
            badge: true,
            number: "アクション④",
            title: "AI・RPAを活用した業務の自動化の推進",
            issue: "作業時間の短縮や職員負担の軽減を実現するBPR（業務プロセス改革）に基づく解決策として、AIやRPA等の更なる活用を推進する。また、「自治体行政手続のオンライン化」を進める上においても、必要に応じAIやRPA等を活用し事務の効率化を図る。RPA導入効果の周知を職員に対して行うとともにシナリオ作成支援や研修等を実施し、定型的な事務作業の自動化を推進する。",
            summary: "業務の効率化・自動化を図るため、AIやRPA等の更なる活用を推進する。",
            years: R4_R9,
            rows: vec![
                OnomichiRow { label: "", phases: ["事例研究・研修実施・対象業務の洗い出し・利活用", "", "", "", "", ""], fill: ALL },
                OnomichiRow {
                    label: "「自治体情報システムの標準化・共通化」、「自治体行政手続のオンライン化」に伴うAI・RPAの利活用",
                    phases: ["", "", "", "", "", ""],
                    fill: [false, false, true, true, true, true],
                },
            ],
        },
    ]
}

pub struct OnomichiSheetOut {
    pub sheet: &'static str,
    pub title: &'static str,
    /// 1-based rows of the task rows.
    pub task_rows: Vec<u32>,
}

/// Writes onomichi_koteihyo.xlsx: 目次 + one sheet per アクション: policy line, measure heading
/// rows 「○…」 (two on 2-④), an optional 「重点取組事項」 badge (a filled cell), the アクション row,
/// 現状と課題, 概要 (merged B:G), 工程表 header R4…R9 and task rows with a phase label where a
/// phase starts; bars as filled cells on some rows, text only or 「→」 on others.
pub fn onomichi_koteihyo(path: &Path) -> Vec<OnomichiSheetOut> {
    let f = Formats::new();
    let mut wb = Workbook::new();
    {
        let ws = wb.add_worksheet();
        ws.set_name("目次").unwrap();
        ws.write_string_with_format(
            0,
            0,
            "尾道市DX推進計画 第3章 アクションプラン 目次",
            &f.title,
        )
        .unwrap();
        for (k, a) in onomichi_actions().iter().enumerate() {
            ws.write_string(2 + k as u32, 0, a.sheet).unwrap();
            ws.write_string(2 + k as u32, 1, a.title).unwrap();
        }
    }
    let mut out = Vec::new();
    for a in onomichi_actions() {
        let ws = wb.add_worksheet();
        ws.set_name(a.sheet).unwrap();
        ws.set_column_width(0, 16).unwrap();
        for c in 1..=6 {
            ws.set_column_width(c, 18).unwrap();
        }
        let mut r = 0u32;
        ws.write_string_with_format(r, 0, a.policy, &f.title)
            .unwrap();
        r += 2;
        for m in &a.measures {
            ws.merge_range(r, 0, r, 6, m, &f.title).unwrap();
            r += 1;
        }
        if a.badge {
            ws.write_string_with_format(r, 0, "重点取組事項", &f.badge)
                .unwrap();
            r += 1;
        }
        ws.write_string_with_format(r, 0, a.number, &f.label)
            .unwrap();
        ws.merge_range(r, 1, r, 6, a.title, &f.wrap).unwrap();
        r += 1;
        if !a.issue.is_empty() {
            ws.write_string_with_format(r, 0, "現状と課題", &f.label)
                .unwrap();
            ws.merge_range(r, 1, r, 6, a.issue, &f.wrap).unwrap();
            r += 1;
        }
        if !a.summary.is_empty() {
            ws.write_string_with_format(r, 0, "概要", &f.label).unwrap();
            ws.merge_range(r, 1, r, 6, a.summary, &f.wrap).unwrap();
            r += 1;
        }
        ws.write_string_with_format(r, 0, "工程表", &f.label)
            .unwrap();
        for (i, y) in a.years.iter().enumerate() {
            ws.write_string_with_format(r, 1 + i as u16, *y, &f.header)
                .unwrap();
        }
        r += 1;
        let mut rows = Vec::new();
        let fill_wrap = Format::new()
            .set_background_color(Color::RGB(0x5B9BD5))
            .set_text_wrap();
        for row in &a.rows {
            if !row.label.is_empty() {
                ws.write_string_with_format(r, 0, row.label, &f.wrap)
                    .unwrap();
            }
            for i in 0..6 {
                let col = 1 + i as u16;
                let text = row.phases[i];
                match (text.is_empty(), row.fill[i]) {
                    (true, true) => {
                        ws.write_blank(r, col, &f.fill).unwrap();
                    }
                    (false, true) => {
                        ws.write_string_with_format(r, col, text, &fill_wrap)
                            .unwrap();
                    }
                    (false, false) => {
                        ws.write_string_with_format(r, col, text, &f.wrap).unwrap();
                    }
                    (true, false) => {}
                }
            }
            rows.push(r + 1);
            r += 1;
        }
        out.push(OnomichiSheetOut {
            sheet: a.sheet,
            title: a.title,
            task_rows: rows,
        });
    }
    wb.save(path).expect("write onomichi_koteihyo.xlsx");
    out
}

// =============================================================================================
// Fixture 5: flat_list.xlsx — a DX office's 照会 list, one row per project

pub struct FlatRow {
    pub title: &'static str,
    pub owners: &'static str,
    pub measure: &'static str,
    pub target_2023: Cell,
    pub actual_2023: Cell,
    pub budget_2023: Cell,
    pub target_2024: Cell,
    pub actual_2024: Cell,
    pub budget_2024: Cell,
    pub note: &'static str,
}

pub fn flat_rows() -> Vec<FlatRow> {
    use Cell::*;
    vec![
        FlatRow {
            title: "オンライン申請の拡充",
            owners: "情報政策課、市民課ほか",
            measure: "行政手続のオンライン化",
            target_2023: t("64 手続"),
            actual_2023: Blank,
            budget_2023: Number(6000.0),
            target_2024: t("88 手続"),
            actual_2024: Blank,
            budget_2024: Number(6000.0),
            note: "",
        },
        FlatRow {
            title: "各種支払いのキャッシュレス化",
            owners: "会計課，情報政策課",
            measure: "行政手続のオンライン化",
            target_2023: t("5%"),
            actual_2023: t("－"),
            budget_2023: t("6,000"),
            target_2024: t("20%"),
            actual_2024: t("－"),
            budget_2024: Number(10000.0),
            note: "R4は対象の検討のみ",
        },
        FlatRow {
            title: "公共施設予約システムの更新",
            owners: "地域創造課",
            measure: "行政手続のオンライン化",
            target_2023: t("98,600 件"),
            actual_2023: Blank,
            budget_2023: Number(9000.0),
            target_2024: t("98,700 件"),
            actual_2024: Blank,
            budget_2024: Number(4000.0),
            note: "",
        },
        FlatRow {
            title: "ICTを活用した子どもの見守り",
            owners: "子育て支援課, 学校教育課",
            measure: "地域のデジタル化",
            target_2023: t("70%"),
            actual_2023: Blank,
            budget_2023: Number(32000.0),
            target_2024: t("75%"),
            actual_2024: Blank,
            budget_2024: Number(8000.0),
            note: "",
        },
        FlatRow {
            title: "電子図書館サービスの提供",
            owners: "市民図書館",
            measure: "地域のデジタル化",
            target_2023: t("500人"),
            actual_2023: Blank,
            budget_2023: Number(3000.0),
            target_2024: t("600人"),
            actual_2024: Blank,
            budget_2024: Number(5000.0),
            note: "",
        },
        FlatRow {
            title: "キャッシュレス化の推進",
            owners: "産業振興課",
            measure: "産業のデジタル化",
            target_2023: t("-"),
            actual_2023: t("-"),
            budget_2023: Number(0.0),
            target_2024: t("35%"),
            actual_2024: Blank,
            budget_2024: Number(59000.0),
            note: "",
        },
        FlatRow {
            title: "庁内ネットワークの無線化",
            owners: "情報政策課",
            measure: "庁内ネットワークの高度化・強靱化",
            target_2023: t("－"),
            actual_2023: Blank,
            budget_2023: Number(24000.0),
            target_2024: t("100%"),
            actual_2024: Blank,
            budget_2024: Number(0.0),
            note: "",
        },
    ]
}

pub const FLAT_SHEET: &str = "事業一覧";

/// Writes flat_list.xlsx: one sheet 「事業一覧」 with two title rows and a blank row above the
/// header row (No., 事業名, 担当課, 施策, 「R5目標」, 「2023年度実績」, 「令和5年度 事業費（千円）」,
/// 「R6 目標」, 「２０２４年度実績」, 「令和６年度　事業費（千円）」, 備考), the 備考 column hidden, one
/// cost typed as text 「6,000」, and a blank row then a 「合計」 row of formulas (not a project).
pub fn flat_list(path: &Path) {
    let f = Formats::new();
    let mut wb = Workbook::new();
    let ws = wb.add_worksheet();
    ws.set_name(FLAT_SHEET).unwrap();
    ws.merge_range(
        0,
        0,
        0,
        10,
        "令和5年度 DX推進計画 事業一覧（進捗照会）",
        &f.title,
    )
    .unwrap();
    ws.write_string(
        1,
        0,
        "※ 各課で網掛けのセルに入力し、6月30日までに回答してください。",
    )
    .unwrap();
    let headers = [
        "No.",
        "事業名",
        "担当課",
        "施策",
        "R5目標",
        "2023年度実績",
        "令和5年度 事業費（千円）",
        "R6 目標",
        "２０２４年度実績",
        "令和６年度　事業費（千円）",
        "備考",
    ];
    for (i, h) in headers.iter().enumerate() {
        ws.write_string_with_format(3, i as u16, *h, &f.label)
            .unwrap();
    }
    ws.set_column_width(1, 30).unwrap();
    ws.set_column_width(2, 24).unwrap();
    ws.set_column_width(3, 24).unwrap();
    ws.set_column_hidden(10).unwrap();
    let rows = flat_rows();
    let mut r = 4u32;
    for (k, row) in rows.iter().enumerate() {
        ws.write_number(r, 0, (k + 1) as f64).unwrap();
        ws.write_string(r, 1, row.title).unwrap();
        ws.write_string(r, 2, row.owners).unwrap();
        ws.write_string(r, 3, row.measure).unwrap();
        for (i, c) in [
            &row.target_2023,
            &row.actual_2023,
            &row.budget_2023,
            &row.target_2024,
            &row.actual_2024,
            &row.budget_2024,
        ]
        .iter()
        .enumerate()
        {
            write_cell(ws, r, 4 + i as u16, c, &f).unwrap();
        }
        if !row.note.is_empty() {
            ws.write_string(r, 10, row.note).unwrap();
        }
        r += 1;
    }
    let last = r; // 1-based row of the last project
    r += 1; // blank row
    ws.write_string(r, 1, "合計").unwrap();
    // Excel's SUM skips the cost typed as text, so the cached total is what Excel showed.
    ws.write_formula(
        r,
        6,
        Formula::new(format!("=SUM(G5:G{last})")).set_result("74000"),
    )
    .unwrap();
    ws.write_formula(
        r,
        9,
        Formula::new(format!("=SUM(J5:J{last})")).set_result("92000"),
    )
    .unwrap();
    wb.save(path).expect("write flat_list.xlsx");
}

// =============================================================================================
// Inputs that must be refused

/// A workbook whose only sheet is in no known layout (a meeting-room booking list).
pub const NO_LAYOUT_SHEET: &str = "会議室予約";

pub fn no_layout(path: &Path) {
    let mut wb = Workbook::new();
    let ws = wb.add_worksheet();
    ws.set_name(NO_LAYOUT_SHEET).unwrap();
    ws.write_string(0, 0, "会議室予約一覧（4月）").unwrap();
    for (i, h) in ["日付", "会議室", "予約者", "人数"].iter().enumerate() {
        ws.write_string(2, i as u16, *h).unwrap();
    }
    let rows = [
        ("4月3日", "第1会議室", "情報政策課", 8.0),
        ("4月4日", "第2会議室", "人事課", 12.0),
        ("4月7日", "大会議室", "市民課", 40.0),
    ];
    for (k, (d, room, who, n)) in rows.iter().enumerate() {
        let r = 3 + k as u32;
        ws.write_string(r, 0, *d).unwrap();
        ws.write_string(r, 1, *room).unwrap();
        ws.write_string(r, 2, *who).unwrap();
        ws.write_number(r, 3, *n).unwrap();
    }
    wb.save(path).unwrap();
}

/// A valid Onojo project sheet whose used range is absurd: one more cell at XFD1048576.
pub fn absurd_range(path: &Path) {
    let seed = onojo_seed();
    let f = Formats::new();
    let mut wb = Workbook::new();
    let p = seed_by_title(&seed, "オンライン申請の拡充");
    let ws = wb.add_worksheet();
    write_onojo_sheet(ws, "Ⅰ-1-①", p, &OnojoStyle::from_seed(p), &f).unwrap();
    ws.write_string(1_048_575, 16_383, "x").unwrap();
    wb.save(path).unwrap();
}

/// A one-sheet Onojo workbook (the base of the bad inputs derived from a real file).
pub fn small_onojo(path: &Path) {
    let seed = onojo_seed();
    let f = Formats::new();
    let mut wb = Workbook::new();
    let p = seed_by_title(&seed, "各種支払いのキャッシュレス化");
    write_onojo_sheet(
        wb.add_worksheet(),
        "Ⅰ-1-②",
        p,
        &OnojoStyle::from_seed(p),
        &f,
    )
    .unwrap();
    wb.save(path).unwrap();
}

/// Writes every .xlsx fixture into `dir` (what scripts/make-fixtures.sh converts).
pub fn write_all(dir: &Path) -> Vec<PathBuf> {
    let names = [
        "onojo_legacy.xlsx",
        "onojo_30.xlsx",
        "fukuyama_bessatsu.xlsx",
        "onomichi_koteihyo.xlsx",
        "flat_list.xlsx",
        "small_onojo.xlsx",
    ];
    let paths: Vec<PathBuf> = names.iter().map(|n| dir.join(n)).collect();
    onojo_legacy(&paths[0]);
    onojo_30(&paths[1]);
    fukuyama_bessatsu(&paths[2]);
    onomichi_koteihyo(&paths[3]);
    flat_list(&paths[4]);
    small_onojo(&paths[5]);
    paths
}
