//! dxplan's own project sheet (`export::project_sheet`) read by its labels, like any legacy
//! layout: a copy that lost the hidden sheet and the key column (values pasted into another
//! workbook, a master workbook saved without its hidden sheet) reads field by field as the
//! keyed read (`import::native`) would. A row the sheet has is read, blank cells as blank; a
//! row it does not have leaves the plan's value alone, and a cell that cannot be read is
//! reported and left alone, never taken for empty.

use std::collections::BTreeMap;

use super::cells::money_value;
use crate::format::layout::{self, label, ProgressField, RowKey};
use crate::format::sheet::fields::{self, Cell, FieldRow};
use crate::format::sheet::Section;
use crate::format::summary as master;
use crate::grid::Grid;
use crate::import::draft::{split_owners, Draft, DraftIndicator, DraftTask};
use crate::import::report::{Note, SheetReport};
use crate::model::{FiscalYear, Footnote, IndicatorKind, Progress};
use crate::parse::fiscal_year::fiscal_year_of_key;
use crate::parse::label::normalize_label;
use crate::parse::value::{is_empty_mark, parse_value};

/// Rows within which the fiscal-year header must be (the title is above it).
const HEADER_WITHIN: u32 = 40;

/// The table: label column, year columns and the 合計 column of its header row.
struct Table<'g> {
    g: &'g Grid,
    label_col: u32,
    header_row: u32,
    years: Vec<(u32, FiscalYear)>,
    total_col: u32,
}

/// 「項目」, then only fiscal years, then 「合計」: the header row of a dxplan project sheet.
fn table(g: &Grid) -> Option<Table<'_>> {
    for (&(r, c), cell) in &g.cells {
        if r > HEADER_WITHIN {
            break;
        }
        if !is(cell.key(), label::HEADER) {
            continue;
        }
        let mut years = Vec::new();
        let mut total_col = None;
        for (cc, h) in g.row(r).filter(|(cc, h)| *cc > c && !h.key().is_empty()) {
            if is(h.key(), label::TOTAL) {
                total_col = Some(cc);
                break;
            }
            match fiscal_year_of_key(h.key()) {
                Some(fy) => years.push((cc, fy)),
                None => break,
            }
        }
        let Some(total_col) = total_col.filter(|_| !years.is_empty()) else {
            continue;
        };
        // A project sheet names its project: 「取組名」 in the same column below.
        let has_title = g
            .cells
            .range((r + 1, c)..)
            .any(|(&(_, cc), x)| cc == c && is(x.key(), label::TITLE));
        if has_title {
            return Some(Table {
                g,
                label_col: c,
                header_row: r,
                years,
                total_col,
            });
        }
    }
    None
}

/// A sheet of dxplan's master workbook made from the project sheets (一覧, 事業費集計,
/// ロードマップ, KPI, グラフ): what it says comes from the project sheets, so it is skipped.
pub fn master_summary(g: &Grid) -> Option<&'static str> {
    let starts = |r: u32, heads: &[&str]| {
        let keys: Vec<&str> = g
            .row(r)
            .filter(|(_, c)| !c.key().is_empty())
            .map(|(_, c)| c.key())
            .take(heads.len())
            .collect();
        keys.len() == heads.len()
            && keys
                .iter()
                .zip(heads)
                .all(|(k, h)| *k == normalize_label(h))
    };
    let title = normalize_label(g.text(0, 0));
    for r in 0..3 {
        if starts(r, &master::LIST_HEADS) {
            return Some(master::LIST_SHEET);
        }
        if starts(r, &master::ROADMAP_HEADS) {
            return Some(master::ROADMAP_SHEET);
        }
        if starts(r, &master::KPI_HEADS) {
            return Some(master::KPI_SHEET);
        }
        if starts(r, &master::CHART_HEADS) {
            return Some(master::CHART_SHEET);
        }
    }
    (title == normalize_label(master::BUDGET_TITLE)).then_some(master::BUDGET_SHEET)
}

/// 「Ⅰ-1　行政手続のオンライン化」 → 「行政手続のオンライン化」: the code is derived, the title
/// names the measure (or policy).
fn strip_code(text: &str) -> String {
    let t = text.trim();
    match t.split_once(['　', ' ']) {
        Some((code, rest))
            if !code.is_empty()
                && code.chars().all(|c| {
                    c.is_ascii_alphanumeric()
                        || "-－ⅠⅡⅢⅣⅤⅥⅦⅧⅨⅩⅪⅫ".contains(c)
                        || ('\u{2460}'..='\u{32BF}').contains(&c)
                }) =>
        {
            rest.trim().to_string()
        }
        _ => t.to_string(),
    }
}

/// `None` when the sheet is not a dxplan project sheet; the project it holds otherwise (none
/// when it names no project, which is reported).
pub fn read(g: &Grid, report: &mut SheetReport) -> Option<Vec<Draft>> {
    let t = table(g)?;
    let d = t.read(report);
    Some(d.into_iter().collect())
}

/// The labels of dxplan's project sheet (`format::layout::label`, the field rows, the
/// section headers, the progress rows) as
/// `normalize_label` makes them, computed once: every row of a sheet is compared with them.
static KEYS: std::sync::LazyLock<std::collections::HashMap<&'static str, String>> =
    std::sync::LazyLock::new(|| {
        let mut labels = vec![
            label::HEADER,
            label::TOTAL,
            label::CODE,
            label::POLICY,
            label::MEASURE,
            label::UNIT,
            label::TARGET,
            label::ACTUAL,
            label::PLANNED,
            label::GENERAL,
            label::KGI_NAME,
            label::KPI_NAME,
            label::SPARE_INDICATOR,
        ];
        for row in fields::FIELDS {
            labels.push(row.label);
            labels.extend(row.old_labels);
        }
        labels.extend(
            Section::ALL
                .iter()
                .filter_map(|s| s.header())
                .map(|(_, l)| l),
        );
        labels.extend(ProgressField::ALL.iter().map(|f| f.label()));
        labels
            .into_iter()
            .map(|l| (l, normalize_label(l)))
            .collect()
    });

fn is(key: &str, lbl: &'static str) -> bool {
    match KEYS.get(lbl) {
        Some(k) => key == k,
        None => key == normalize_label(lbl),
    }
}

impl Table<'_> {
    fn skip(&self, report: &mut SheetReport, r: u32, c: u32, why: &str) {
        report.skipped_cells.push(Note {
            at: self.g.at(r, c),
            message: why.to_string(),
        });
    }

    /// The value of a text row: the cell right of the label (merged across the years).
    fn text(&self, r: u32) -> String {
        self.g.text(r, self.label_col + 1).replace("\r\n", "\n")
    }

    fn score(&self, r: u32, report: &mut SheetReport) -> Option<Option<u8>> {
        let c = self.label_col + 1;
        let cell = self.g.cell(r, c);
        let text = cell.map_or("", |x| x.text.as_str());
        if is_empty_mark(text) {
            return Some(None);
        }
        let n = cell
            .and_then(|x| x.number)
            .or_else(|| normalize_label(text).parse::<f64>().ok());
        match n {
            Some(n) if n.fract() == 0.0 && (0.0..=100.0).contains(&n) => Some(Some(n as u8)),
            _ => {
                self.skip(report, r, c, &format!("0～100 の整数ではありません（読み飛ばし） / not a whole number from 0 to 100: 「{text}」"));
                None
            }
        }
    }

    /// A row of the project's fields (`format::sheet::fields`), into the draft's slot for it.
    fn field(&self, d: &mut Draft, r: u32, row: &FieldRow, v: String, report: &mut SheetReport) {
        let lc = self.label_col;
        match row.key {
            RowKey::Title => d.title = v.trim().to_string(),
            RowKey::Owners => {
                let (units, note) = split_owners(&v);
                d.owners = Some(units);
                d.owners_note = Some(note);
                d.fields += 1;
            }
            RowKey::Status => match layout::parse_status(&v) {
                Some(s) => d.status = Some(s),
                None if v.trim().is_empty() => {}
                None => self.skip(report, r, lc + 1, &format!("状態は「{}」のいずれかです（読み飛ばし） / unknown status: 「{v}」", layout::STATUS_CHOICES.join("」「"))),
            },
            RowKey::Flag => match layout::parse_flag(&v) {
                Some(f) => d.priority = Some(f),
                None => self.skip(report, r, lc + 1, &format!("重点は「重点」「最重点」か空欄です（読み飛ばし） / unknown priority flag: 「{v}」")),
            },
            RowKey::Urgency => d.urgency = self.score(r, report),
            RowKey::Importance => d.importance = self.score(r, report),
            RowKey::Tags => d.all_tags = Some(layout::parse_tags(&v)),
            RowKey::Effects => {
                d.effects = Some(layout::parse_effects(&v));
                d.fields += 1;
            }
            _ => match (&row.cell, row.fields) {
                (Cell::Plain { .. }, [field]) => {
                    d.set_text(*field, v);
                    d.fields += 1;
                }
                // A field the drafts of other cities' layouts have no slot for.
                _ => self.skip(
                    report,
                    r,
                    lc,
                    "キーのない写しからは読めない項目です（読み飛ばし） / a field read only with its keys",
                ),
            },
        }
    }

    fn read(&self, report: &mut SheetReport) -> Option<Draft> {
        let g = self.g;
        let lc = self.label_col;
        let fills_known = g.cells.values().any(|c| c.filled);
        let mut d = Draft::default();
        let mut measures: Vec<String> = Vec::new();
        let mut section = Section::Fields;
        let mut title_row = None;
        for r in g.used_rows().into_iter().filter(|r| *r > self.header_row) {
            let key = g.cell(r, lc).map_or("", |c| c.key());
            let next = Section::ALL
                .into_iter()
                .find(|s| s.header().is_some_and(|(_, l)| is(key, l)));
            if let Some(s) = next {
                section = s;
                continue;
            }
            match section {
                Section::Title | Section::Identification | Section::Fields => {
                    let v = self.text(r);
                    let row = fields::FIELDS
                        .iter()
                        .find(|f| is(key, f.label) || f.old_labels.iter().any(|l| is(key, l)));
                    if is(key, label::CODE) {
                    } else if is(key, label::POLICY) {
                        d.policy = Some(strip_code(&v)).filter(|s| !s.is_empty());
                    } else if is(key, label::MEASURE) {
                        let m = strip_code(&v);
                        if !m.is_empty() && !measures.contains(&m) {
                            measures.push(m);
                        }
                    } else if let Some(row) = row {
                        if row.key == RowKey::Title {
                            title_row = Some(r);
                        }
                        self.field(&mut d, r, row, v, report);
                    } else if !key.is_empty() {
                        self.skip(
                            report,
                            r,
                            lc,
                            "どの項目にも当たらない行 / row outside any known field",
                        );
                    }
                }
                Section::Schedule => {
                    if let Some(task) = self.task(r, fills_known, report) {
                        d.tasks.push(task);
                        report.tasks += 1;
                    }
                }
                Section::Indicators => {
                    let kind = if is(key, label::KGI_NAME) {
                        Some(IndicatorKind::KGI)
                    } else if is(key, label::KPI_NAME) || is(key, label::SPARE_INDICATOR) {
                        Some(IndicatorKind::KPI)
                    } else {
                        None
                    };
                    if let Some(kind) = kind {
                        let name = self.text(r);
                        let mut ind = DraftIndicator::new(kind, name.trim());
                        let ct = g.text(r, self.total_col).trim().to_string();
                        ind.cumulative_cell = match ct.as_str() {
                            layout::CUMULATIVE => Some(true),
                            x if is_empty_mark(x) || x == "なし" => Some(false),
                            _ => {
                                self.skip(report, r, self.total_col, &format!("「累計」か空欄です（読み飛ばし） / 累計 or blank: 「{ct}」"));
                                None
                            }
                        };
                        d.indicators.push(ind);
                        continue;
                    }
                    let Some(ind) = d.indicators.last_mut() else {
                        if !key.is_empty() {
                            self.skip(
                                report,
                                r,
                                lc,
                                "指標名の行より前の行 / row before any indicator name",
                            );
                        }
                        continue;
                    };
                    if is(key, label::UNIT) {
                        let u = self.text(r).trim().to_string();
                        ind.unit = Some((!u.is_empty()).then_some(u));
                    } else if is(key, label::TARGET) || is(key, label::ACTUAL) {
                        let target = is(key, label::TARGET);
                        for &(c, fy) in &self.years {
                            ind.set(fy, target, parse_value(g.text(r, c)));
                        }
                    } else if !key.is_empty() {
                        self.skip(
                            report,
                            r,
                            lc,
                            "どの項目にも当たらない行 / row outside any known field",
                        );
                    }
                }
                Section::Budget => {
                    let planned = is(key, label::PLANNED);
                    if !planned && !is(key, label::GENERAL) {
                        if !key.is_empty() {
                            self.skip(
                                report,
                                r,
                                lc,
                                "どの項目にも当たらない行 / row outside any known field",
                            );
                        }
                        continue;
                    }
                    for &(c, fy) in &self.years {
                        match money_value(g, r, c) {
                            Ok(v) => {
                                let slot = if planned {
                                    &mut d.budget
                                } else {
                                    &mut d.general_revenue
                                };
                                slot.insert(fy, v);
                                report.budget_cells += 1;
                            }
                            Err(e) => report.money_problem(e),
                        }
                    }
                }
                Section::Progress => {
                    let Some(field) = ProgressField::ALL.into_iter().find(|f| is(key, f.label()))
                    else {
                        if !key.is_empty() {
                            self.skip(
                                report,
                                r,
                                lc,
                                "どの項目にも当たらない行 / row outside any known field",
                            );
                        }
                        continue;
                    };
                    for &(c, fy) in &self.years {
                        let e = d.progress.entry(fy).or_insert_with(|| Progress {
                            fiscal_year: fy,
                            status: String::new(),
                            achievements: String::new(),
                            issues: String::new(),
                            remedies: String::new(),
                            evaluation: String::new(),
                        });
                        let text = g.text(r, c).to_string();
                        match field {
                            ProgressField::Status => e.status = text,
                            ProgressField::Achievements => e.achievements = text,
                            ProgressField::Issues => e.issues = text,
                            ProgressField::Remedies => e.remedies = text,
                            ProgressField::Evaluation => e.evaluation = text,
                        }
                    }
                }
                Section::Footnotes => {
                    let marker = g.text(r, lc).trim().to_string();
                    let text = self.text(r);
                    if marker.is_empty() && text.trim().is_empty() {
                        continue;
                    }
                    d.footnotes.push(Footnote {
                        marker,
                        field: "summary".into(),
                        text,
                    });
                }
            }
        }
        let Some(title_row) = title_row.filter(|_| !d.title.is_empty()) else {
            self.skip(
                report,
                self.header_row,
                lc,
                "取組名が空欄のため事業として読めません / no project title",
            );
            return None;
        };
        d.at = g.at(title_row, lc + 1);
        d.measure = measures.first().cloned();
        d.extra_measures = measures.into_iter().skip(1).collect();
        // Spare indicator blocks left empty are not indicators.
        d.indicators.retain(|i| {
            !i.name.is_empty()
                || i.unit.as_ref().is_some_and(Option::is_some)
                || i.values.values().any(|(t, a)| {
                    t.as_ref().is_some_and(Option::is_some)
                        || a.as_ref().is_some_and(Option::is_some)
                })
        });
        for i in &d.indicators {
            if i.name.is_empty() {
                report.skipped_cells.push(Note {
                    at: d.at.clone(),
                    message: "指標名が空欄の指標は読み込みません / an indicator without a name is not read".into(),
                });
            }
        }
        d.indicators.retain(|i| !i.name.is_empty());
        report.indicators += d.indicators.len();
        Some(d)
    }

    /// A schedule row: the task's name in the label column, its years as filled cells, phase
    /// names or marks (●, →), 確定 / 推定 in the 合計 column.
    fn task(&self, r: u32, fills_known: bool, report: &mut SheetReport) -> Option<DraftTask> {
        let g = self.g;
        let name = g.text(r, self.label_col).trim().to_string();
        let mut marked: Vec<FiscalYear> = Vec::new();
        let mut phases: BTreeMap<FiscalYear, String> = BTreeMap::new();
        for &(c, fy) in &self.years {
            let t = g.text(r, c);
            if g.filled(r, c) || !t.trim().is_empty() {
                marked.push(fy);
            }
            if !t.trim().is_empty() && !layout::is_bar_mark(t) {
                phases.insert(fy, t.to_string());
            }
        }
        let ct = g.text(r, self.total_col).trim().to_string();
        // An empty row (a bar's colour left behind is no task).
        let no_text = self
            .years
            .iter()
            .all(|&(c, _)| g.text(r, c).trim().is_empty());
        if name.is_empty() && no_text && ct.is_empty() {
            return None;
        }
        let at = g.at(r, self.label_col);
        if name.is_empty() {
            self.skip(
                report,
                r,
                self.label_col,
                "工程名が空欄の行は読み込みません / a task row without a name is not read",
            );
            return None;
        }
        let confirmed = match ct.as_str() {
            layout::CONFIRMED => true,
            layout::INFERRED | "" => false,
            _ => {
                self.skip(
                    report,
                    r,
                    self.total_col,
                    &format!(
                        "「確定」か「推定」です（推定として読みました） / 確定 or 推定: 「{ct}」"
                    ),
                );
                false
            }
        };
        let (first, last) = (self.years[0].1, self.years[self.years.len() - 1].1);
        let unmarked = marked.is_empty();
        let (start_fy, end_fy, years_unseen) = match (marked.first(), marked.last()) {
            (Some(&s), Some(&e)) => {
                if (e - s + 1) as usize != marked.len() {
                    report.guesses.push(Note { at: at.clone(), message: format!("工程「{name}」: 年度が飛んでいるため {s}～{e} 年度として読みました / gap in task years, read as one span") });
                }
                (s, e, !fills_known)
            }
            _ => {
                report.guesses.push(Note { at: at.clone(), message: format!("工程「{name}」: 年度の印が読めません。計画にある工程は今の年度のまま、新しい工程は計画期間全体（{first}〜{last}年度）とします / no year marked: a known task keeps its years") });
                (first, last, true)
            }
        };
        Some(DraftTask {
            name,
            start_fy,
            end_fy,
            phases,
            confirmed,
            years_unseen,
            unmarked,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::fields::ProjectField;

    #[test]
    fn codes_are_not_part_of_titles() {
        assert_eq!(
            strip_code("Ⅰ-1　行政手続のオンライン化"),
            "行政手続のオンライン化"
        );
        assert_eq!(strip_code("Ⅱ　行政運営の高度化"), "行政運営の高度化");
        assert_eq!(strip_code("行政運営の 高度化"), "行政運営の 高度化");
        assert_eq!(strip_code("Ⅰ-1-①　窓口"), "窓口");
    }

    #[test]
    fn the_year_header_reads() {
        for fy in [2022, 2025, 2030] {
            let h = crate::parse::fiscal_year::format_both(fy);
            assert_eq!(fiscal_year_of_key(&normalize_label(&h)), Some(fy), "{h}");
        }
    }

    /// Every row of the fields table is read by its label alone (a copy without keys): a
    /// project with every field set, exported, reads into its draft with no cell left over.
    #[test]
    fn every_field_row_reads_by_its_label() {
        use crate::model::{PriorityFlag, ProjectStatus};
        let mut plan = crate::sample::onojo().expect("the sample plan");
        let p = &mut plan.projects[0];
        p.title = "全項目の事業".into();
        p.status = ProjectStatus::Ended;
        p.priority.flag = PriorityFlag::TopPriority;
        p.priority.urgency = Some(37);
        p.priority.importance = Some(81);
        p.tags = vec!["タグ一".into(), "タグ二".into()];
        p.texts.issue = "課題の文".into();
        p.texts.purpose = "目的の文".into();
        p.texts.summary = "概要の文".into();
        p.texts.goal = "目指す姿の文".into();
        p.texts.effects = vec!["効果一".into(), "効果二".into()];
        p.owners_note = "ほか".into();
        let id = p.id.clone();
        let dir = tempfile::tempdir().expect("a temporary folder");
        let path = dir.path().join("master.xlsx");
        crate::export::write_master(&plan, &path, &Default::default()).expect("export");
        let wb = crate::workbook::open(&path).expect("open");
        let g = wb
            .sheets
            .iter()
            .find(|g| crate::import::native::project_key(g).is_some_and(|(k, _)| k == id))
            .expect("the project's sheet");
        let mut report = SheetReport::new(&g.name);
        let d = read(g, &mut report).expect("a dxplan project sheet");
        assert_eq!(d.len(), 1);
        // No cell of a field row is left over (the reference rows under the progress are).
        let field_rows: Vec<u32> = g
            .used_rows()
            .into_iter()
            .filter(|&r| fields::FIELDS.iter().any(|f| f.label == g.text(r, 0)))
            .collect();
        assert_eq!(field_rows.len(), fields::FIELDS.len());
        for n in &report.skipped_cells {
            assert!(
                !field_rows
                    .iter()
                    .any(|&r| n.at == g.at(r, 0) || n.at == g.at(r, 1)),
                "{n:?}"
            );
        }
        let (d, p) = (&d[0], &plan.projects[0]);
        assert_eq!(d.title, p.title);
        assert_eq!(d.status, Some(p.status));
        assert_eq!(d.priority, Some(p.priority.flag));
        assert_eq!(d.urgency, Some(p.priority.urgency));
        assert_eq!(d.importance, Some(p.priority.importance));
        assert_eq!(d.all_tags.as_ref(), Some(&p.tags));
        assert_eq!(d.text(ProjectField::Issue), Some(p.texts.issue.as_str()));
        assert_eq!(
            d.text(ProjectField::Purpose),
            Some(p.texts.purpose.as_str())
        );
        assert_eq!(
            d.text(ProjectField::Summary),
            Some(p.texts.summary.as_str())
        );
        assert_eq!(d.text(ProjectField::Goal), Some(p.texts.goal.as_str()));
        assert_eq!(d.effects.as_ref(), Some(&p.texts.effects));
        assert_eq!(d.owners_note.as_deref(), Some("ほか"));
    }
}
