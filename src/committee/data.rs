//! What the committee report shows, gathered from a plan: every figure comes from the core's
//! one computation (budget totals from `report::totals`, 達成率 from `report::achievement`,
//! progress counts from `report::progress`) and every value is formatted here as the rest of
//! dxplan writes it (千円 with separators, 「2024年度（令和6年度）」). The typst template only
//! places these strings: user text reaches the document as data, never as markup.

use std::collections::HashMap;

use serde::Serialize;

use super::CommitteeError;
use crate::compare::render::grouped;
use crate::export::{code_of, layout};
use crate::model::codes::{measure_code, policy_code};
use crate::model::scale::ProgressScale;
use crate::model::*;
use crate::parse::fiscal_year::{format_both, format_fiscal_year, format_wareki};
use crate::report::achievement::{achievement_in, summarize};
use crate::report::progress::progress_counts;
use crate::report::totals::{checked_sum, try_budget_by_policy, BudgetTotals, TotalOverflow};

/// The report as data: serialised to JSON and read by the template (`template.typ`).
#[derive(Debug, Clone, Serialize)]
pub struct ReportData {
    /// The report's title page and running header.
    pub meta: Meta,
    /// Font families in order of preference (the template's `text(font: …)`).
    pub fonts: Vec<String>,
    /// The plan period's fiscal years.
    pub years: Vec<YearHead>,
    /// Index of the report's fiscal year in `years`.
    pub report_year: usize,
    /// 事業費 per 基本方針 and year, with the chart's scale.
    pub budget: Budget,
    /// The report year's progress counted per 基本方針.
    pub progress_counts: Counts,
    /// 基本方針 in plan order, each with its projects (a group 「（基本方針なし）」 last when a
    /// project has no policy).
    pub groups: Vec<Group>,
    /// Projects in the report.
    pub project_count: usize,
    /// Their indicators.
    pub indicator_count: usize,
    /// Their schedule tasks.
    pub task_count: usize,
}

/// The title page and the running header.
#[derive(Debug, Clone, Serialize)]
pub struct Meta {
    /// The plan's title.
    pub title: String,
    /// The municipality.
    pub city: String,
    /// 版: the recorded version reported on, else the plan's label.
    pub version: String,
    /// 「2024年度（令和6年度）」.
    pub fiscal_year: String,
    /// 「2022〜2025年度（令和4年度〜令和7年度）」.
    pub period: String,
    /// 「2025年6月1日」.
    pub date: String,
    /// The same date as year, month, day (for typst's `datetime`).
    pub date_ymd: [u32; 3],
    /// The unit the report is limited to, with 「の事業」 phrasing left to the template.
    pub department: Option<String>,
    /// The running header's text.
    pub header: String,
}

/// A fiscal year of the plan period, as the tables head it.
#[derive(Debug, Clone, Serialize)]
pub struct YearHead {
    /// The fiscal year.
    pub fy: FiscalYear,
    /// 「2024年度」.
    pub label: String,
    /// 「令和6年度」.
    pub wareki: String,
}

/// 事業費 per 基本方針 and fiscal year (`report::totals`), as a table and a stacked chart.
#[derive(Debug, Clone, Serialize)]
pub struct Budget {
    /// One row per 基本方針.
    pub rows: Vec<BudgetRow>,
    /// Per year, with separators.
    pub year_totals: Vec<String>,
    /// Per year, as numbers (the chart).
    pub year_values: Vec<i64>,
    /// All years, with separators.
    pub grand_total: String,
    /// The chart's top (the largest stacked year, rounded up to a tick).
    pub chart_max: i64,
    /// The chart's axis ticks.
    pub ticks: Vec<Tick>,
}

/// One 基本方針's 事業費 per year.
#[derive(Debug, Clone, Serialize)]
pub struct BudgetRow {
    /// The policy's display code (Ⅰ).
    pub code: String,
    /// The policy's title.
    pub title: String,
    /// Per year, with separators (「－」 for none).
    pub amounts: Vec<String>,
    /// Per year, as numbers (the chart; 0 for none).
    pub values: Vec<i64>,
    /// All years, with separators.
    pub total: String,
}

/// A tick of a chart's axis.
#[derive(Debug, Clone, Serialize)]
pub struct Tick {
    /// Where it is on the axis.
    pub value: f64,
    /// What it says.
    pub label: String,
}

/// Progress of the report year counted per policy (`report::progress::progress_counts`).
#[derive(Debug, Clone, Serialize)]
pub struct Counts {
    /// The 状況 columns (the plan's progress scale).
    pub status: Vec<String>,
    /// The 評価 columns (the plan's progress scale).
    pub evaluation: Vec<String>,
    /// Per policy then 合計: code, title, counts per status + その他 + 未記入, per evaluation +
    /// その他 + 未記入, projects.
    pub rows: Vec<CountRow>,
}

/// One row of the progress counts.
#[derive(Debug, Clone, Serialize)]
pub struct CountRow {
    /// The policy's display code; empty on the 合計 row.
    pub code: String,
    /// The policy's title, or 「合計」.
    pub title: String,
    /// Projects per 状況 column, then その他 and 未記入.
    pub status: Vec<usize>,
    /// Projects per 評価 column, then その他 and 未記入.
    pub evaluation: Vec<usize>,
    /// Projects counted.
    pub projects: usize,
    /// The 合計 row.
    pub total: bool,
}

/// A 基本方針 with its projects and its 達成率 chart.
#[derive(Debug, Clone, Serialize)]
pub struct Group {
    /// The policy's display code (Ⅰ); empty for 「（基本方針なし）」.
    pub code: String,
    /// The policy's title.
    pub title: String,
    /// Its projects in plan order.
    pub projects: Vec<ProjectData>,
    /// 達成率 per fiscal year up to the report year, over the group's indicators.
    pub chart: Vec<RateBar>,
    /// The chart's top.
    pub chart_max: f64,
    /// The chart's axis ticks.
    pub chart_ticks: Vec<Tick>,
}

/// One year of a 達成率 chart.
#[derive(Debug, Clone, Serialize)]
pub struct RateBar {
    /// 「2024年度」.
    pub year: String,
    /// The average 達成率 of the indicators with one (1.0 = 100%).
    pub average: Option<f64>,
    /// The share of those indicators at or above 100%.
    pub share: Option<f64>,
    /// `average` as 「87.5%」 (「－」 for none).
    pub average_text: String,
    /// `share` as 「50.0%」 (「－」 for none).
    pub share_text: String,
    /// Indicators with a 達成率 that year.
    pub count: usize,
}

/// One project's page.
#[derive(Debug, Clone, Serialize)]
pub struct ProjectData {
    /// The project's display code (Ⅰ-1-①).
    pub code: String,
    /// The project's title.
    pub title: String,
    /// The owning units, lead first.
    pub owners: String,
    /// 「Ⅰ-1 施策名」 (other measures after 「、」).
    pub measure: String,
    /// Its status (実施中, 提案, 終了).
    pub status: String,
    /// 重点 / 最重点 with urgency and importance, as written.
    pub priority: String,
    /// Its tags, joined.
    pub tags: String,
    /// (label, text) of 課題, 目的, 概要, 目指す姿, 期待される効果: the sheet's order.
    pub texts: Vec<[String; 2]>,
    /// Its schedule.
    pub tasks: Vec<TaskBar>,
    /// Its KGI and KPI.
    pub indicators: Vec<IndicatorData>,
    /// 事業費 per plan year, with separators.
    pub budget: Vec<String>,
    /// 事業費 over the period.
    pub budget_total: String,
    /// うち一般財源 per plan year, with separators.
    pub general: Vec<String>,
    /// うち一般財源 over the period.
    pub general_total: String,
    /// Whether any year has an うち一般財源 (the row is left out otherwise).
    pub has_general: bool,
    /// The report year's progress; None when nothing is written.
    pub progress: Option<ProgressData>,
    /// Its footnotes, 「※1 text」.
    pub footnotes: Vec<String>,
}

/// A schedule task as the roadmap draws it.
#[derive(Debug, Clone, Serialize)]
pub struct TaskBar {
    /// The task's name.
    pub name: String,
    /// 「2023〜2024年度」.
    pub years: String,
    /// Per plan year: in the task's span.
    pub on: Vec<bool>,
    /// Per plan year: the phase label (「検討」), empty if none.
    pub phases: Vec<String>,
    /// False when the years were inferred (推定).
    pub confirmed: bool,
    /// Some years fall outside the plan period (not drawn).
    pub outside: bool,
}

/// An indicator with its targets, actuals and 達成率.
#[derive(Debug, Clone, Serialize)]
pub struct IndicatorData {
    /// 「KGI」 or 「KPI」.
    pub kind: String,
    /// The indicator's name.
    pub name: String,
    /// Its unit (empty when none).
    pub unit: String,
    /// 累計.
    pub cumulative: bool,
    /// Per plan year.
    pub targets: Vec<String>,
    /// Per plan year.
    pub actuals: Vec<String>,
    /// 達成率 per plan year (「－」 when none).
    pub rates: Vec<String>,
    /// The report year's values.
    pub target: String,
    /// The report year's actual.
    pub actual: String,
    /// The report year's 達成率, as text.
    pub rate: String,
    /// The same as a number (1.0 = 100%).
    pub rate_value: Option<f64>,
    /// The last target of the period: 「2025年度 40手続」.
    pub final_target: String,
}

/// A project's progress in the report year.
#[derive(Debug, Clone, Serialize)]
pub struct ProgressData {
    /// 状況.
    pub status: String,
    /// 評価.
    pub evaluation: String,
    /// 取組実績.
    pub achievements: String,
    /// 課題.
    pub issues: String,
    /// 改善策.
    pub remedies: String,
}

/// 「75.0%」: one decimal, as the dashboard shows it.
pub fn percent(rate: f64) -> String {
    format!("{:.1}%", rate * 100.0)
}

/// 「19,100」; no value is 「－」 (which is not 0).
fn amount(v: Option<i64>) -> String {
    v.map_or_else(|| "－".to_string(), grouped)
}

/// A tick step of 1, 2 or 5 × 10^k giving at most `n` steps up to `max`.
fn nice_step(max: f64, n: f64) -> f64 {
    let raw = (max / n).max(f64::MIN_POSITIVE);
    let mag = 10f64.powf(raw.log10().floor());
    [1.0, 2.0, 5.0, 10.0]
        .iter()
        .map(|m| m * mag)
        .find(|s| *s >= raw)
        .unwrap_or(10.0 * mag)
}

fn money_ticks(max: i64) -> (i64, Vec<Tick>) {
    let step = (nice_step(max.max(1) as f64, 5.0).round() as i64).max(1);
    let top = (max.max(1) + step - 1) / step * step;
    let ticks = (0..=top / step)
        .map(|k| Tick {
            value: (k * step) as f64,
            label: grouped(k * step),
        })
        .collect();
    (top, ticks)
}

/// Rates are drawn up to at least 100% and at most 300% (a bar beyond is cut and labelled).
const RATE_CAP: f64 = 3.0;

fn rate_ticks(max: f64) -> (f64, Vec<Tick>) {
    let top = (max.clamp(1.0, RATE_CAP) * 4.0).ceil() / 4.0;
    let top = top.max(1.25);
    let step = if top > 2.0 { 0.5 } else { 0.25 };
    let ticks = (0..=((top / step).round() as usize))
        .map(|k| {
            let v = k as f64 * step;
            Tick {
                value: v,
                label: format!("{:.0}%", v * 100.0),
            }
        })
        .collect();
    (top, ticks)
}

/// What the report is about, beyond the plan.
pub struct Scope<'a> {
    /// The fiscal year reported on.
    pub fiscal_year: FiscalYear,
    /// The recorded version (版) reported on; the plan's label when None.
    pub version: Option<&'a str>,
    /// The unit the report is limited to, when it is.
    pub department: Option<&'a str>,
    /// The report's date.
    pub date: chrono::NaiveDate,
    /// The plan's 状況 and 評価 scale.
    pub scale: &'a ProgressScale,
    /// Font families in order of preference.
    pub fonts: Vec<String>,
}

/// Gathers the report of `plan` (already limited to a department when the report is).
pub fn gather(plan: &Plan, scope: &Scope) -> Result<ReportData, CommitteeError> {
    let info = &plan.info;
    let fy = scope.fiscal_year;
    if fy < info.first_fy || fy > info.last_fy {
        return Err(CommitteeError::YearOutsidePeriod {
            fy,
            first: info.first_fy,
            last: info.last_fy,
        });
    }
    let plan = crate::export::rollups_shown(plan);
    let plan = plan.as_ref();
    let years = info.fiscal_years();
    let report_year = years.iter().position(|y| *y == fy).unwrap_or(0);
    let totals = try_budget_by_policy(plan)?;
    let budget = budget(plan, &totals)?;
    let counts = counts(plan, fy, scope.scale);

    let policy_of: HashMap<&str, &Policy> = plan
        .measures
        .iter()
        .filter_map(|m| {
            plan.policies
                .iter()
                .find(|p| p.id == m.policy_id)
                .map(|p| (m.id.as_str(), p))
        })
        .collect();
    let mut groups: Vec<Group> = plan
        .policies
        .iter()
        .map(|p| empty_group(policy_code(p.position), p.title.clone()))
        .collect();
    let group_of: HashMap<&str, usize> = plan
        .policies
        .iter()
        .enumerate()
        .map(|(i, p)| (p.id.as_str(), i))
        .collect();
    let mut orphans = empty_group(String::new(), "（基本方針なし）".into());
    let mut rates: Vec<Vec<Vec<f64>>> = vec![vec![Vec::new(); years.len()]; groups.len() + 1];
    let (mut indicator_count, mut task_count) = (0, 0);
    for p in &plan.projects {
        let at = p
            .measure_ids
            .first()
            .and_then(|m| policy_of.get(m.as_str()))
            .and_then(|pol| group_of.get(pol.id.as_str()))
            .copied();
        let slot = at.unwrap_or(groups.len());
        for ind in &p.indicators {
            for (i, y) in years.iter().enumerate().take(report_year + 1) {
                if let Some(r) = achievement_in(ind, *y) {
                    rates[slot][i].push(r);
                }
            }
        }
        indicator_count += p.indicators.len();
        task_count += p.schedule.len();
        let data = project(plan, p, &years, report_year)?;
        match at {
            Some(i) => groups[i].projects.push(data),
            None => orphans.projects.push(data),
        }
    }
    if !orphans.projects.is_empty() {
        groups.push(orphans);
    }
    for (g, r) in groups.iter_mut().zip(&rates) {
        rate_chart(g, r, &years);
    }
    // A department's report shows the policies its projects are under.
    if scope.department.is_some() {
        groups.retain(|g| !g.projects.is_empty());
    }
    let version = scope
        .version
        .map(str::to_string)
        .unwrap_or_else(|| info.version.clone());
    let fiscal_year = format_both(fy);
    let mut header = format!("{}　推進委員会報告（{fiscal_year}）", info.title);
    if let Some(d) = scope.department {
        header.push_str(&format!("　{d}"));
    }
    use chrono::Datelike;
    Ok(ReportData {
        meta: Meta {
            title: info.title.clone(),
            city: info.city.clone(),
            version,
            fiscal_year,
            period: crate::compare::render::period(info.first_fy, info.last_fy),
            date: format!(
                "{}年{}月{}日",
                scope.date.year(),
                scope.date.month(),
                scope.date.day()
            ),
            date_ymd: [
                scope.date.year().max(0) as u32,
                scope.date.month(),
                scope.date.day(),
            ],
            department: scope.department.map(str::to_string),
            header,
        },
        fonts: scope.fonts.clone(),
        years: years
            .iter()
            .map(|&y| YearHead {
                fy: y,
                label: format_fiscal_year(y),
                wareki: format_wareki(y),
            })
            .collect(),
        report_year,
        budget,
        progress_counts: counts,
        project_count: plan.projects.len(),
        indicator_count,
        task_count,
        groups,
    })
}

fn empty_group(code: String, title: String) -> Group {
    Group {
        code,
        title,
        projects: Vec::new(),
        chart: Vec::new(),
        chart_max: 1.25,
        chart_ticks: Vec::new(),
    }
}

fn rate_chart(g: &mut Group, rates: &[Vec<f64>], years: &[FiscalYear]) {
    let mut max: f64 = 1.0;
    g.chart = years
        .iter()
        .zip(rates)
        .map(|(y, r)| {
            let s = summarize(r);
            max = max.max(s.average.unwrap_or(0.0));
            RateBar {
                year: format_fiscal_year(*y),
                average: s.average,
                share: s.share_achieved,
                average_text: s.average.map(percent).unwrap_or_default(),
                share_text: s.share_achieved.map(percent).unwrap_or_default(),
                count: s.count,
            }
        })
        .collect();
    let (top, ticks) = rate_ticks(max);
    g.chart_max = top;
    g.chart_ticks = ticks;
}

fn budget(plan: &Plan, totals: &BudgetTotals) -> Result<Budget, TotalOverflow> {
    let overflow = |what: String| TotalOverflow { what };
    let years = &totals.fiscal_years;
    let rows = totals
        .rows
        .iter()
        .map(|(id, title, amounts)| {
            let code = plan
                .policies
                .iter()
                .find(|p| &p.id == id)
                .map_or_else(String::new, |p| policy_code(p.position));
            let values: Vec<i64> = years
                .iter()
                .map(|y| amounts.get(y).copied().unwrap_or(0))
                .collect();
            let total =
                BudgetTotals::checked_row_total(amounts).ok_or_else(|| overflow(title.clone()))?;
            Ok(BudgetRow {
                code,
                title: title.clone(),
                amounts: values.iter().map(|v| grouped(*v)).collect(),
                values,
                total: grouped(total),
            })
        })
        .collect::<Result<Vec<_>, TotalOverflow>>()?;
    let year_values = years
        .iter()
        .map(|y| {
            totals
                .checked_year_total(*y)
                .ok_or_else(|| overflow(format!("{y}年度")))
        })
        .collect::<Result<Vec<i64>, _>>()?;
    let grand = totals
        .checked_grand_total()
        .ok_or_else(|| overflow("合計 / grand total".into()))?;
    // The chart stacks the positive amounts of a year.
    let stacked = (0..years.len())
        .map(|i| rows.iter().map(|r| r.values[i].max(0)).sum::<i64>())
        .max()
        .unwrap_or(0);
    let (chart_max, ticks) = money_ticks(stacked);
    Ok(Budget {
        year_totals: year_values.iter().map(|v| grouped(*v)).collect(),
        year_values,
        grand_total: grouped(grand),
        rows,
        chart_max,
        ticks,
    })
}

fn counts(plan: &Plan, fy: FiscalYear, scale: &ProgressScale) -> Counts {
    let c = progress_counts(plan, fy, scale);
    let row = |r: &crate::report::progress::ProgressRow, total: bool| {
        let mut status = r.status.clone();
        status.extend([r.other_status, r.no_status]);
        let mut evaluation = r.evaluation.clone();
        evaluation.extend([r.other_evaluation, r.no_evaluation]);
        CountRow {
            code: r.code.clone(),
            title: r.title.clone(),
            status,
            evaluation,
            projects: r.projects,
            total,
        }
    };
    let mut rows: Vec<CountRow> = c.rows.iter().map(|r| row(r, false)).collect();
    rows.push(row(&c.total, true));
    let with = |v: &[String]| {
        let mut v = v.to_vec();
        v.extend(["その他".to_string(), "未記入".to_string()]);
        v
    };
    Counts {
        status: with(&c.scale.status),
        evaluation: with(&c.scale.evaluation),
        rows,
    }
}

fn value_text(v: Option<&Value>) -> String {
    v.map_or_else(String::new, |v| v.text.clone())
}

fn project(
    plan: &Plan,
    p: &Project,
    years: &[FiscalYear],
    report_year: usize,
) -> Result<ProjectData, CommitteeError> {
    let fy = years[report_year];
    let measures: Vec<String> = p
        .measure_ids
        .iter()
        .filter_map(|id| plan.measures.iter().find(|m| &m.id == id))
        .map(|m| {
            let pol = plan
                .policies
                .iter()
                .find(|x| x.id == m.policy_id)
                .map_or(0, |x| x.position);
            format!("{} {}", measure_code(pol, m.position), m.title)
        })
        .collect();
    let texts = vec![
        ["課題".to_string(), p.texts.issue.clone()],
        ["目的".to_string(), p.texts.purpose.clone()],
        ["概要".to_string(), p.texts.summary.clone()],
        ["目指す姿".to_string(), p.texts.goal.clone()],
        [
            "期待される効果".to_string(),
            p.texts
                .effects
                .iter()
                .map(|e| format!("・{e}"))
                .collect::<Vec<_>>()
                .join("\n"),
        ],
    ];
    let tasks = p
        .schedule
        .iter()
        .map(|t| TaskBar {
            name: t.name.clone(),
            years: crate::compare::render::years(t.start_fy, t.end_fy),
            on: years
                .iter()
                .map(|y| *y >= t.start_fy && *y <= t.end_fy)
                .collect(),
            phases: years
                .iter()
                .map(|y| t.phases.get(y).cloned().unwrap_or_default())
                .collect(),
            confirmed: t.confirmed,
            outside: t.start_fy < years[0] || t.end_fy > years[years.len() - 1],
        })
        .collect();
    let indicators = p
        .indicators
        .iter()
        .map(|ind| {
            let at = |y: FiscalYear| ind.values.iter().find(|v| v.fiscal_year == y);
            let rate_text = |y: FiscalYear| achievement_in(ind, y).map(percent).unwrap_or_default();
            let last = ind
                .values
                .iter()
                .rev()
                .find_map(|v| v.target.as_ref().map(|t| (v.fiscal_year, t)));
            IndicatorData {
                kind: ind.kind.as_str().to_string(),
                name: ind.name.clone(),
                unit: ind.unit.clone().unwrap_or_default(),
                cumulative: ind.cumulative,
                targets: years
                    .iter()
                    .map(|y| value_text(at(*y).and_then(|v| v.target.as_ref())))
                    .collect(),
                actuals: years
                    .iter()
                    .map(|y| value_text(at(*y).and_then(|v| v.actual.as_ref())))
                    .collect(),
                rates: years.iter().map(|y| rate_text(*y)).collect(),
                target: value_text(at(fy).and_then(|v| v.target.as_ref())),
                actual: value_text(at(fy).and_then(|v| v.actual.as_ref())),
                rate: rate_text(fy),
                rate_value: achievement_in(ind, fy),
                final_target: last
                    .map_or_else(String::new, |(y, t)| format!("{}年度 {}", y, t.text)),
            }
        })
        .collect();
    let per_year = |f: fn(&BudgetYear) -> Option<i64>| -> Vec<Option<i64>> {
        years
            .iter()
            .map(|y| p.budget.iter().find(|b| b.fiscal_year == *y).and_then(f))
            .collect()
    };
    let planned = per_year(|b| b.planned_thousand_yen);
    let general = per_year(|b| b.general_revenue_thousand_yen);
    let sum = |v: &[Option<i64>], what: &str| -> Result<String, TotalOverflow> {
        if v.iter().all(Option::is_none) {
            return Ok("－".into());
        }
        checked_sum(v.iter().flatten().copied())
            .map(grouped)
            .ok_or_else(|| TotalOverflow {
                what: format!("{} {what}", p.title),
            })
    };
    let progress = p
        .progress
        .iter()
        .find(|g| g.fiscal_year == fy)
        .filter(|g| {
            [
                &g.status,
                &g.evaluation,
                &g.achievements,
                &g.issues,
                &g.remedies,
            ]
            .iter()
            .any(|s| !s.trim().is_empty())
        })
        .map(|g| ProgressData {
            status: g.status.clone(),
            evaluation: g.evaluation.clone(),
            achievements: g.achievements.clone(),
            issues: g.issues.clone(),
            remedies: g.remedies.clone(),
        });
    Ok(ProjectData {
        code: code_of(plan, p),
        title: p.title.clone(),
        owners: layout::owners_text(&plan.org_units, &p.owners, &p.owners_note),
        measure: measures.join("、"),
        status: layout::status_label(p.status).to_string(),
        priority: crate::compare::render::priority(&p.priority),
        tags: layout::tags_text(&p.tags),
        texts,
        tasks,
        indicators,
        budget: planned.iter().map(|v| amount(*v)).collect(),
        budget_total: sum(&planned, "事業費")?,
        has_general: general.iter().any(Option::is_some),
        general: general.iter().map(|v| amount(*v)).collect(),
        general_total: sum(&general, "うち一般財源")?,
        progress,
        footnotes: p
            .footnotes
            .iter()
            .map(|f| format!("{} {}", f.marker, f.text))
            .collect(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::parse::value::parse_value;

    fn scope(fy: FiscalYear, scale: &ProgressScale) -> Scope<'_> {
        Scope {
            fiscal_year: fy,
            version: None,
            department: None,
            date: chrono::NaiveDate::from_ymd_opt(2025, 6, 1).unwrap(),
            scale,
            fonts: vec!["IPAexGothic".into()],
        }
    }

    #[test]
    fn sample_totals_are_the_core_totals() {
        let plan = crate::sample::onojo().unwrap();
        let scale = ProgressScale::default();
        let d = gather(&plan, &scope(2024, &scale)).unwrap();
        assert_eq!(d.budget.grand_total, "1,240,400");
        assert_eq!(
            d.budget.rows[0].values,
            vec![19_100, 170_100, 222_100, 215_100]
        );
        assert_eq!(d.budget.rows[1].total, "614,000");
        assert_eq!(d.budget.year_totals[3], "665,100");
        assert_eq!(d.report_year, 2);
        assert_eq!(d.meta.fiscal_year, "2024年度（令和6年度）");
        let sizes: Vec<usize> = d.groups.iter().map(|g| g.projects.len()).collect();
        assert_eq!(sizes, vec![16, 14]);
        assert_eq!(d.task_count, 89);
        assert_eq!(d.groups[0].projects[0].code, "Ⅰ-1-①");
        assert!(matches!(
            gather(&plan, &scope(2030, &scale)),
            Err(CommitteeError::YearOutsidePeriod { fy: 2030, .. })
        ));
    }

    #[test]
    fn achievement_and_progress_of_the_report_year() {
        let mut plan = crate::sample::onojo().unwrap();
        let p = &mut plan.projects[0];
        let kpi = p
            .indicators
            .iter_mut()
            .find(|i| i.kind == IndicatorKind::KPI)
            .unwrap();
        kpi.values = vec![IndicatorValue {
            fiscal_year: 2024,
            target: Some(parse_value("40 手続").unwrap()),
            actual: Some(parse_value("30 手続").unwrap()),
        }];
        p.progress.push(crate::model::Progress {
            fiscal_year: 2024,
            status: "遅れ".into(),
            achievements: String::new(),
            issues: "入札不調".into(),
            remedies: String::new(),
            evaluation: "C".into(),
        });
        let scale = ProgressScale::default();
        let d = gather(&plan, &scope(2024, &scale)).unwrap();
        let first = &d.groups[0].projects[0];
        let ind = first.indicators.iter().find(|i| i.kind == "KPI").unwrap();
        assert_eq!((ind.rate.as_str(), ind.rate_value), ("75.0%", Some(0.75)));
        assert_eq!(ind.rates, vec!["", "", "75.0%", ""]);
        let bar = &d.groups[0].chart[2];
        assert_eq!(
            (bar.average, bar.share, bar.count),
            (Some(0.75), Some(0.0), 1)
        );
        assert_eq!(
            first.progress.as_ref().map(|g| g.issues.as_str()),
            Some("入札不調")
        );
        // 遅れ is the scale's third status; the row of 基本方針Ⅰ, then the total.
        assert_eq!(d.progress_counts.rows[0].status[2], 1);
        assert_eq!(d.progress_counts.rows.last().unwrap().status[2], 1);
        // Another year has no progress written.
        let d = gather(&plan, &scope(2023, &scale)).unwrap();
        assert!(d.groups[0].projects[0].progress.is_none());
    }

    #[test]
    fn ticks_are_round() {
        let (top, t) = money_ticks(450_000);
        assert_eq!(top, 500_000);
        assert_eq!(t.last().map(|t| t.label.as_str()), Some("500,000"));
        assert_eq!(money_ticks(0).0, 1);
        let (top, t) = rate_ticks(0.4);
        assert_eq!(top, 1.25);
        assert_eq!(t.len(), 6);
        assert_eq!(rate_ticks(9.0).0, 3.0);
        assert_eq!(percent(0.75), "75.0%");
    }
}
