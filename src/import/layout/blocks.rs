//! Label-column layouts: one project per sheet (Onojo), several projects stacked on a sheet
//! (Fukuyama 別冊) and action sheets with a 工程表 of phase labels (Onomichi). A project block
//! starts at a title label (取組名, 事業名称, アクション…) and runs to the next one.

use std::collections::BTreeMap;

use super::cells::{
    bullets, clean_text, has_value_right_of, money_value, value_right_of, year_header, year_value,
};
use crate::grid::Grid;
use crate::import::draft::{split_owners, Draft, DraftIndicator, DraftTask};
use crate::import::labels::{numbered_row, Label, Vocabulary};
use crate::import::report::{Note, SheetReport};
use crate::model::{FiscalYear, Footnote, IndicatorKind, PriorityFlag};
use crate::parse::label::normalize_label;

#[derive(Clone, Copy, PartialEq)]
enum Mode {
    None,
    Schedule,
    /// Onojo: 評価指標（KPI） header, then an unlabelled row of targets.
    KpiValues,
    /// Fukuyama: 指標とスケジュール, a year header, then 目標 / 実績 rows.
    Indicator,
}

struct Ctx<'g> {
    grid: &'g Grid,
    label_col: u32,
    years: BTreeMap<u32, FiscalYear>,
    mode: Mode,
    policy: Option<String>,
    /// Headings in a row name one measure, or several when a project sits under more than one.
    measures: Vec<String>,
    last_was_measure_heading: bool,
    pending_tags: Vec<String>,
    /// Indicators named together in one 指標 cell, in their ①② order.
    indicator_group: Vec<usize>,
    /// Codes of the headings above (「Ⅰ-1 …」): the hierarchy when no heading names it.
    policy_code: Option<u32>,
    measure_code: Option<u32>,
    /// An unknown label heading a year table (「実施計画 | R4 | R5 …」): the rows under it are
    /// its rows, not understood either, until the next known label.
    unknown_section: Option<(String, String)>,
}

/// Headings above or between tables name the policy or measure of the projects below:
/// 「基本方針 I : …」, 「取組 1 : …」, 「1-1 行政手続のオンライン化」, 「○ニーズに合った…」.
fn heading(text: &str) -> Option<(bool, String)> {
    let t = clean_text(text);
    let n = normalize_label(&t);
    let after_sep = |s: &str| -> String {
        let s = s.trim_start_matches(|c: char| {
            c.is_ascii_digit() || "ⅠⅡⅢⅣⅤⅥⅦⅧⅨⅩIVX ".contains(c) || c.is_whitespace()
        });
        s.trim_start_matches([':', '：', ' ', '　', '.', '．'])
            .trim()
            .to_string()
    };
    if let Some(rest) = t.strip_prefix("基本方針") {
        let title = after_sep(rest.trim());
        return (!title.is_empty()).then_some((true, title));
    }
    if n.starts_with("取組") && n.chars().nth(2).is_some_and(|c| c.is_ascii_digit()) {
        let rest: String = t
            .chars()
            .skip_while(|c| *c != ':' && *c != '：')
            .skip(1)
            .collect();
        let title = rest.trim().to_string();
        return (!title.is_empty()).then_some((false, title));
    }
    // 「1 市民サービスの向上」: a numbered policy heading (a measure is 「1-1 …」).
    let lead: String = t
        .chars()
        .take_while(|c| c.is_ascii_digit() || ('０'..='９').contains(c))
        .collect();
    if !lead.is_empty() && t[lead.len()..].starts_with([' ', '　']) {
        let title = t[lead.len()..].trim().to_string();
        if title
            .chars()
            .next()
            .is_some_and(|c| !c.is_ascii_digit() && c != '-')
        {
            return Some((true, title));
        }
    }
    // 「2) 地域課題の解決へのアクション」 (Onomichi): a policy numbered with a bracket.
    if let Some(rest) = (!lead.is_empty())
        .then(|| t[lead.len()..].strip_prefix([')', '）']))
        .flatten()
    {
        let title = rest.trim();
        if title.chars().count() > 1 {
            return Some((true, title.to_string()));
        }
    }
    let digits_dash = n
        .chars()
        .take_while(|c| c.is_ascii_digit() || *c == '-')
        .collect::<String>();
    if digits_dash.contains('-')
        && digits_dash
            .chars()
            .next()
            .is_some_and(|c| c.is_ascii_digit())
    {
        let title = t
            .chars()
            .skip_while(|c| c.is_ascii_digit() || *c == '-' || *c == '－' || c.is_whitespace())
            .collect::<String>();
        let title = title.trim().to_string();
        return (!title.is_empty()).then_some((false, title));
    }
    if let Some(rest) = t
        .strip_prefix('○')
        .or_else(|| t.strip_prefix('◯'))
        .or_else(|| t.strip_prefix('■'))
    {
        let title = rest.trim().to_string();
        return (!title.is_empty()).then_some((false, title));
    }
    None
}

fn is_arrow(text: &str) -> bool {
    let t = text.trim();
    !t.is_empty() && t.chars().all(|c| "→⇒➡―ー－-─━>＞・…. 　".contains(c))
}

fn footnote_of(text: &str) -> Option<Footnote> {
    let t = clean_text(text);
    let mut chars = t.chars();
    let sign = chars.next()?;
    if sign != '※' && sign != '*' && sign != '＊' {
        return None;
    }
    let rest: String = chars.collect();
    let digits: String = rest
        .chars()
        .take_while(|c| c.is_ascii_digit() || ('０'..='９').contains(c))
        .collect();
    if digits.is_empty() {
        return None;
    }
    let text = rest[digits.len()..]
        .trim_start_matches([' ', '　', ':', '：'])
        .trim()
        .to_string();
    let marker = crate::parse::value::find_markers(&format!("{sign}{digits}"))
        .into_iter()
        .next()?;
    Some(Footnote {
        marker,
        field: "summary".into(),
        text,
    })
}

pub fn read(
    grid: &Grid,
    vocab: &Vocabulary,
    report: &mut SheetReport,
) -> Option<(Vec<Draft>, &'static str)> {
    let titles: Vec<(u32, u32)> = grid
        .cells
        .iter()
        .filter(|(_, c)| vocab.label(c.key()) == Some(Label::Title))
        .map(|(k, _)| *k)
        .filter(|(r, c)| has_value_right_of(grid, *r, *c))
        .collect();
    let label_col = titles.iter().map(|t| t.1).min()?;
    let mut ctx = Ctx {
        grid,
        label_col,
        years: BTreeMap::new(),
        mode: Mode::None,
        policy: None,
        measures: Vec::new(),
        last_was_measure_heading: false,
        pending_tags: Vec::new(),
        indicator_group: Vec::new(),
        policy_code: None,
        measure_code: None,
        unknown_section: None,
    };
    let mut drafts: Vec<Draft> = Vec::new();
    let mut phases_seen = false;
    for row in grid.used_rows() {
        let non_empty: Vec<(u32, &crate::grid::Cell)> = grid
            .row(row)
            .filter(|(_, c)| !c.text.trim().is_empty())
            .collect();
        // The label is the first cell at or left of the label column that is not a bare row
        // number (Fukuyama numbers its projects in the column before the labels).
        let is_row_number = |c: &crate::grid::Cell| {
            c.key().len() <= 3
                && !c.key().is_empty()
                && c.key().chars().all(|ch| ch.is_ascii_digit())
        };
        let Some(&(first_col, first_cell)) = non_empty
            .iter()
            .find(|(c, cell)| *c <= label_col && !is_row_number(cell))
            .or_else(|| non_empty.iter().find(|(_, cell)| !is_row_number(cell)))
            .or(non_empty.first())
        else {
            continue;
        };
        let (label_text, label) = if first_col <= label_col {
            (first_cell.text.clone(), vocab.label(first_cell.key()))
        } else {
            (String::new(), None)
        };
        let heading_run = std::mem::take(&mut ctx.last_was_measure_heading);
        if let Some(years) = year_header(
            grid,
            row,
            label_col.max(if label.is_some() { first_col } else { 0 }),
        ) {
            if label.is_none()
                || matches!(
                    label,
                    Some(Label::Schedule | Label::KpiHeader | Label::Indicator)
                )
            {
                ctx.years = years;
            }
        }
        if label == Some(Label::Title) {
            let Some((col, title)) = value_right_of(grid, row, first_col) else {
                continue;
            };
            // 「Ⅰ-1-① オンライン申請の拡充」: the code is where the project sits, not its title.
            let (code, title) = match crate::import::hierarchy::parse_code(&title) {
                Some((c, rest)) if c.measure.is_some() && !rest.is_empty() => {
                    (Some(c), rest.to_string())
                }
                _ => (None, title),
            };
            let title = crate::import::draft::strip_numbering(&title);
            let mut d = Draft {
                at: grid.at(row, col),
                title,
                policy: ctx.policy.clone(),
                measure: ctx.measures.first().cloned(),
                extra_measures: ctx.measures.iter().skip(1).cloned().collect(),
                policy_code: code.map(|c| c.policy).or(ctx.policy_code),
                measure_code: code.and_then(|c| c.measure).or(ctx.measure_code),
                project_code: code.and_then(|c| c.project),
                ..Draft::default()
            };
            ctx.unknown_section = None;
            d.tags.append(&mut ctx.pending_tags);
            ctx.mode = Mode::None;
            drafts.push(d);
            continue;
        }
        // Rows before the first block (and between blocks) can only be headings and badges.
        let alone = non_empty.iter().filter(|(_, c)| !is_row_number(c)).count() == 1;
        if label.is_none() && alone && first_col <= label_col + 1 && !first_cell.key().is_empty() {
            // 「Ⅰ-1 行政手続のオンライン化」, 「Ⅱ 行政運営の…」: a heading by its code.
            if let Some((code, title)) = crate::import::hierarchy::parse_code(&first_cell.text)
                .filter(|(c, t)| c.project.is_none() && !t.is_empty())
            {
                ctx.policy_code = Some(code.policy);
                ctx.measure_code = code.measure;
                if code.measure.is_none() {
                    ctx.policy = Some(clean_text(title));
                    ctx.measures.clear();
                } else {
                    if !heading_run {
                        ctx.measures.clear();
                    }
                    ctx.measures.push(clean_text(title));
                    ctx.last_was_measure_heading = true;
                }
                continue;
            }
            if let Some((is_policy, title)) = heading(&first_cell.text) {
                if is_policy {
                    ctx.policy = Some(title);
                    ctx.measures.clear();
                    ctx.policy_code = None;
                    ctx.measure_code = None;
                } else {
                    ctx.measure_code = None;
                    if !heading_run {
                        ctx.measures.clear();
                    }
                    if !ctx.measures.contains(&title) {
                        ctx.measures.push(title);
                    }
                    ctx.last_was_measure_heading = true;
                }
                continue;
            }
        }
        if first_cell.key() == "重点取組事項" {
            // The badge stands above the action it marks (Onomichi), often between headings.
            ctx.pending_tags.push("重点取組事項".into());
            ctx.last_was_measure_heading = heading_run;
            continue;
        }
        let Some(d) = drafts.last_mut() else {
            if let Some(label) = label {
                let v = value_right_of(grid, row, first_col).map(|v| v.1);
                match label {
                    Label::Policy => ctx.policy = v,
                    Label::Measure => ctx.measures = v.into_iter().collect(),
                    _ => {}
                }
            }
            continue;
        };
        read_row(
            &mut ctx,
            d,
            row,
            first_col,
            &label_text,
            label,
            report,
            &mut phases_seen,
        );
    }
    let last = drafts.last_mut()?;
    last.tags.append(&mut ctx.pending_tags);
    let layout = if drafts.len() > 1 {
        "stacked"
    } else if phases_seen {
        "schedule"
    } else {
        "project_sheet"
    };
    Some((drafts, layout))
}

#[allow(clippy::too_many_arguments)]
fn read_row(
    ctx: &mut Ctx,
    d: &mut Draft,
    row: u32,
    first_col: u32,
    label_text: &str,
    label: Option<Label>,
    report: &mut SheetReport,
    phases_seen: &mut bool,
) {
    let grid = ctx.grid;
    let value = || value_right_of(grid, row, first_col).map(|v| v.1);
    let has_years = |c: &Ctx| !c.years.is_empty();
    if label.is_some() {
        ctx.unknown_section = None;
    }
    match label {
        Some(Label::Ignore) => ctx.mode = Mode::None,
        Some(l @ (Label::Issue | Label::Purpose | Label::Summary | Label::Goal)) => {
            ctx.mode = Mode::None;
            let v = value().unwrap_or_default();
            d.fields += 1;
            if let Some(field) = l.text_field() {
                d.set_text(field, v);
            }
        }
        Some(Label::Policy) => d.policy = value(),
        Some(Label::Measure) => d.measure = value(),
        Some(Label::Owner) => {
            ctx.mode = Mode::None;
            let (units, note) = split_owners(&value().unwrap_or_default());
            d.owners = Some(units);
            d.owners_note = Some(note);
            d.fields += 1;
        }
        Some(Label::Effects) => {
            ctx.mode = Mode::None;
            d.effects = Some(value().map(|v| bullets(&v)).unwrap_or_default());
            d.fields += 1;
        }
        Some(Label::Kgi) => {
            ctx.mode = Mode::None;
            let text = value().unwrap_or_default();
            let (name, target) = match split_name_target(&text) {
                Some((n, t)) => (n.trim().to_string(), Some(t.trim().to_string())),
                // 「成果指標 | 窓口の満足度」 then 目標 / 実績 rows by year: a name only.
                None if followed_by_years(grid, row, ctx.label_col) => (text.clone(), None),
                None => (String::new(), Some(text.clone())),
            };
            let mut ind = DraftIndicator::new(
                IndicatorKind::KGI,
                if name.is_empty() {
                    "数値目標".to_string()
                } else {
                    name
                },
            );
            ind.final_value = target.map(|t| crate::parse::value::parse_value(&t));
            if ind.final_value.is_none() {
                ctx.mode = Mode::Indicator;
                ctx.indicator_group = vec![d.indicators.len()];
            }
            d.indicators.push(ind);
            report.indicators += 1;
        }
        Some(Label::KpiHeader) => {
            ctx.mode = Mode::KpiValues;
            let name = value().filter(|v| crate::parse::fiscal_year::parse_fiscal_year(v).is_err());
            let name = name
                .or_else(|| {
                    d.indicators
                        .iter()
                        .rev()
                        .find(|i| i.kind == IndicatorKind::KGI)
                        .map(|i| i.name.clone())
                })
                .unwrap_or_else(|| "評価指標".into());
            d.indicators
                .push(DraftIndicator::new(IndicatorKind::KPI, name));
            report.indicators += 1;
        }
        Some(Label::Indicator) => {
            ctx.mode = Mode::Indicator;
            let text = value().unwrap_or_else(|| "指標".into());
            // 「①…\n②…」: one cell naming two indicators, whose rows are 目標① / 実績② ….
            let names: Vec<String> = text
                .lines()
                .map(str::trim)
                .filter(|l| !l.is_empty())
                .map(str::to_string)
                .collect();
            let numbered = names.len() > 1
                && names
                    .iter()
                    .all(|n| n.starts_with(|c: char| ('\u{2460}'..='\u{2473}').contains(&c)));
            ctx.indicator_group.clear();
            for name in if numbered { names } else { vec![text] } {
                let name = if numbered {
                    name.chars().skip(1).collect::<String>().trim().to_string()
                } else {
                    name
                };
                ctx.indicator_group.push(d.indicators.len());
                d.indicators
                    .push(DraftIndicator::new(IndicatorKind::KPI, name));
                report.indicators += 1;
            }
        }
        Some(l @ (Label::Target | Label::Actual)) => {
            if !has_years(ctx) {
                report.skipped_cells.push(Note { at: grid.at(row, first_col), message: "年度の見出しがない目標・実績の行 / target or actual row without a year header".into() });
                unread_row(ctx, row, first_col, label_text, report);
                return;
            }
            let numbered = numbered_row(&normalize_label(label_text))
                .and_then(|(_, n)| ctx.indicator_group.get(n - 1).copied())
                .or_else(|| {
                    // Rows under one named indicator (a KGI named without a final target).
                    (ctx.mode == Mode::Indicator && ctx.indicator_group.len() == 1)
                        .then(|| ctx.indicator_group[0])
                        .filter(|i| d.indicators[*i].kind == IndicatorKind::KGI)
                });
            if numbered.is_none() && !d.indicators.iter().any(|i| i.kind == IndicatorKind::KPI) {
                d.indicators
                    .push(DraftIndicator::new(IndicatorKind::KPI, "指標"));
                report.indicators += 1;
            }
            let years = ctx.years.clone();
            let ind = match numbered {
                Some(i) => &mut d.indicators[i],
                None => match d
                    .indicators
                    .iter_mut()
                    .rev()
                    .find(|i| i.kind == IndicatorKind::KPI)
                {
                    Some(i) => i,
                    None => return,
                },
            };
            for (col, fy) in &years {
                let v = year_value(grid, row, *col, &years, &mut report.guesses);
                ind.set(*fy, l == Label::Target, v);
            }
        }
        Some(Label::Schedule) => ctx.mode = Mode::Schedule,
        Some(l @ (Label::Budget | Label::GeneralRevenue)) => {
            ctx.mode = Mode::None;
            if !has_years(ctx) {
                report.skipped_cells.push(Note {
                    at: grid.at(row, first_col),
                    message: "年度の見出しがない事業費の行 / budget row without a year header"
                        .into(),
                });
                unread_row(ctx, row, first_col, label_text, report);
                return;
            }
            for (col, fy) in ctx.years.clone() {
                match money_value(grid, row, col) {
                    Ok(v) => {
                        let slot = if l == Label::Budget {
                            &mut d.budget
                        } else {
                            &mut d.general_revenue
                        };
                        slot.insert(fy, v);
                        report.budget_cells += 1;
                        d.budget_markers.extend(
                            crate::parse::value::find_markers(grid.text(row, col))
                                .into_iter()
                                .map(|m| (m, fy)),
                        );
                    }
                    Err(e) => report.money_problem(e),
                }
            }
        }
        Some(Label::Priority) => {
            let v = normalize_label(&value().unwrap_or_default());
            d.priority = Some(if v.contains("最重点") {
                PriorityFlag::TopPriority
            } else if v.is_empty() || v == "-" {
                PriorityFlag::None
            } else {
                PriorityFlag::Priority
            });
        }
        Some(Label::Tags) => {
            d.tags.extend(
                value()
                    .unwrap_or_default()
                    .split(['、', ',', '，'])
                    .map(|s| s.trim().to_string())
                    .filter(|s| !s.is_empty()),
            );
        }
        Some(Label::Footnotes) => {
            for (_, c) in grid.row(row).filter(|(c, _)| *c > first_col) {
                if let Some(f) = footnote_of(&c.text) {
                    d.footnotes.push(f);
                }
            }
        }
        Some(Label::Title) => {}
        None => unlabelled(ctx, d, row, first_col, label_text, report, phases_seen),
    }
}

fn unlabelled(
    ctx: &mut Ctx,
    d: &mut Draft,
    row: u32,
    first_col: u32,
    label_text: &str,
    report: &mut SheetReport,
    phases_seen: &mut bool,
) {
    let grid = ctx.grid;
    let first_text = grid.text(row, first_col);
    if let Some(mut f) = footnote_of(first_text) {
        // 「※1」 alone in its cell, the note beside it (dxplan's own layout, many tables).
        if f.text.is_empty() {
            if let Some((_, t)) = value_right_of(grid, row, first_col) {
                f.text = t;
            }
        }
        d.footnotes.push(f);
        return;
    }
    let year_cells = ctx
        .years
        .keys()
        .any(|c| !grid.text(row, *c).trim().is_empty() || grid.filled(row, *c));
    match ctx.mode {
        _ if year_header(grid, row, ctx.label_col).is_some() => {
            // 「実施計画 | R4 | R5 …」: a year table under a label no field reads.
            if !label_text.trim().is_empty() {
                ctx.unknown_section = Some((clean_text(label_text), grid.at(row, first_col)));
                ctx.mode = Mode::None;
                let (label, at) = ctx.unknown_section.clone().unwrap_or_default();
                report.unread_entry(&label, at, false).rows += 1;
            }
        }
        Mode::KpiValues if label_text.trim().is_empty() && year_cells => {
            let years = ctx.years.clone();
            if let Some(ind) = d
                .indicators
                .iter_mut()
                .rev()
                .find(|i| i.kind == IndicatorKind::KPI)
            {
                for (col, fy) in &years {
                    let v = year_value(grid, row, *col, &years, &mut report.guesses);
                    ind.set(*fy, true, v);
                }
            }
            ctx.mode = Mode::None;
        }
        Mode::Schedule => {
            if let Some(task) = read_task(ctx, row, label_text, report, phases_seen) {
                d.tasks.push(task);
                report.tasks += 1;
            }
        }
        _ => {
            for (col, cell) in grid.row(row).filter(|(_, c)| !c.text.trim().is_empty()) {
                report.skipped_cells.push(Note {
                    at: grid.at(row, col),
                    message: format!(
                        "どの項目にも当たらないセル / cell outside any known field: 「{}」",
                        short(&cell.text)
                    ),
                });
            }
            unread_row(ctx, row, first_col, label_text, report);
        }
    }
}

/// Counts a row no field read against its label (or the unknown label heading its table):
/// its value cells, and of them those in year columns. A lone text (a note under the table)
/// is no labelled row.
fn unread_row(ctx: &Ctx, row: u32, first_col: u32, label_text: &str, report: &mut SheetReport) {
    let grid = ctx.grid;
    // Bars drawn as filled cells hold no value but are the row's content.
    let values: Vec<u32> = grid
        .row(row)
        .filter(|(c, cell)| *c > first_col && (!cell.text.trim().is_empty() || cell.filled))
        .map(|(c, _)| c)
        .collect();
    let (label, at) = match &ctx.unknown_section {
        Some(s) => s.clone(),
        None if !label_text.trim().is_empty() && !values.is_empty() => {
            (clean_text(label_text), grid.at(row, first_col))
        }
        None => return,
    };
    let year_cells = values.iter().filter(|c| ctx.years.contains_key(c)).count();
    let u = report.unread_entry(&label, at, false);
    u.rows += 1;
    u.cells += values.len();
    u.year_cells += year_cells;
}

/// 「数値目標：導入前と比べて30%減」: the name and the final target, split at the first colon
/// outside brackets (「オンライン化数（対象：約800手続）」 is one name).
fn split_name_target(text: &str) -> Option<(&str, &str)> {
    let mut depth = 0i32;
    for (i, c) in text.char_indices() {
        match c {
            '(' | '（' | '「' | '[' | '［' | '【' => depth += 1,
            ')' | '）' | '」' | ']' | '］' | '】' => depth -= 1,
            ':' | '：' if depth == 0 => {
                let (name, rest) = (&text[..i], &text[i + c.len_utf8()..]);
                return (!rest.trim().is_empty()).then_some((name, rest));
            }
            _ => {}
        }
    }
    None
}

/// Whether the next row is a year header with nothing in the label column (the name row of an
/// indicator table: the years, then 目標 / 実績 rows), not another labelled row.
fn followed_by_years(grid: &Grid, row: u32, label_col: u32) -> bool {
    let Some(next) = grid.cells.range((row + 1, 0)..).next().map(|(k, _)| k.0) else {
        return false;
    };
    let unlabelled = grid
        .row(next)
        .all(|(c, cell)| c > label_col || cell.text.trim().is_empty());
    unlabelled && year_header(grid, next, label_col).is_some()
}

fn short(s: &str) -> String {
    let t: String = s.chars().take(30).collect();
    if s.chars().count() > 30 {
        format!("{t}…")
    } else {
        t
    }
}

/// A schedule row: bars as filled cells (explicit), 「→」 (position guessed) or phase labels
/// in the year where a phase starts (the phase runs until the next one or the period's end).
fn read_task(
    ctx: &Ctx,
    row: u32,
    label_text: &str,
    report: &mut SheetReport,
    phases_seen: &mut bool,
) -> Option<DraftTask> {
    let grid = ctx.grid;
    let (first_fy, last_fy) = (*ctx.years.values().min()?, *ctx.years.values().max()?);
    let mut filled = Vec::new();
    let mut arrows = Vec::new();
    let mut phases = BTreeMap::new();
    for (col, fy) in &ctx.years {
        let text = clean_text(grid.text(row, *col));
        let merged_years: Vec<FiscalYear> = grid
            .merge_of(row, *col)
            .filter(|m| m.first.1 == *col)
            .map(|m| {
                ctx.years
                    .iter()
                    .filter(|(c, _)| (m.first.1..=m.last.1).contains(c))
                    .map(|(_, y)| *y)
                    .collect()
            })
            .unwrap_or_default();
        if grid.filled(row, *col) {
            filled.push(*fy);
        }
        if is_arrow(&text) {
            arrows.extend(if merged_years.is_empty() {
                vec![*fy]
            } else {
                merged_years
            });
        } else if !text.is_empty() {
            phases.insert(*fy, text);
            filled.extend(merged_years);
        }
    }
    let name = clean_text(label_text);
    if name.is_empty() && phases.is_empty() && filled.is_empty() && arrows.is_empty() {
        return None;
    }
    let name = if name.is_empty() {
        phases.values().cloned().collect::<Vec<_>>().join(" → ")
    } else {
        name
    };
    if !phases.is_empty() {
        *phases_seen = true;
    }
    let at = grid.at(row, ctx.label_col);
    let guess = |report: &mut SheetReport, msg: String| {
        report.guesses.push(Note {
            at: at.clone(),
            message: msg,
        })
    };
    let marks: Vec<FiscalYear> = filled
        .iter()
        .chain(arrows.iter())
        .chain(phases.keys())
        .copied()
        .collect();
    let (start, end, confirmed) = if !filled.is_empty() {
        (
            *marks.iter().min()?,
            *marks.iter().max()?,
            arrows.is_empty(),
        )
    } else if !phases.is_empty() {
        let start = *marks.iter().min()?;
        guess(report, format!("工程「{name}」: 最後の段階が計画期間の終わり（{last_fy}年度）まで続くものとしました / last phase assumed to run to the end of the period"));
        (start, last_fy, false)
    } else if !arrows.is_empty() {
        let (s, e) = (*arrows.iter().min()?, *arrows.iter().max()?);
        guess(report, format!("工程「{name}」: 矢印の位置から {s}〜{e}年度と推定しました / years inferred from arrows"));
        (s, e, false)
    } else {
        guess(report, format!("工程「{name}」: 年度の記入がないため計画期間全体（{first_fy}〜{last_fy}年度）としました / no years marked, whole period assumed"));
        (first_fy, last_fy, false)
    };
    Some(DraftTask {
        name,
        start_fy: start,
        end_fy: end,
        phases,
        confirmed,
        years_unseen: false,
        unmarked: false,
    })
}

#[cfg(test)]
mod tests {
    use super::split_name_target;

    #[test]
    fn a_kgi_cell_splits_at_a_colon_outside_brackets() {
        assert_eq!(
            split_name_target("AI・RPA導入による業務時間削減率：導入前と比べて30%減"),
            Some(("AI・RPA導入による業務時間削減率", "導入前と比べて30%減"))
        );
        assert_eq!(
            split_name_target("オンライン化数（対象：原本添付や聞き取り等が不要な約800手続）"),
            None
        );
        assert_eq!(split_name_target("窓口の満足度："), None);
        assert_eq!(
            split_name_target("手続数: 800手続"),
            Some(("手続数", " 800手続"))
        );
    }
}
