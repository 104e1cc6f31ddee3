//! `dxplan check`: plan lints. Each finding names its project so staff can go straight to it.

use crate::model::fields::{FieldPath, Money, Side};
use crate::model::*;
use crate::parse::label::normalize_label;
use crate::parse::value::{find_markers, without_markers};

pub use super::finding::{Lint, LintKind};

/// Every finding of a plan.
pub fn check(plan: &Plan) -> Vec<Lint> {
    let codes = super::dump::project_codes(plan);
    let mut out = Vec::new();
    for p in &plan.projects {
        let mut push = |kind: LintKind, field: String, message: String| {
            out.push(Lint {
                project_id: p.id.clone(),
                project_code: codes.get(p.id.as_str()).cloned().unwrap_or_default(),
                project_title: p.title.clone(),
                kind,
                message,
                field,
            })
        };
        kgi_vs_kpi(p, &mut push);
        units(p, &mut push);
        cumulative(p, &mut push);
        money(p, &mut push);
        footnotes(p, &mut push);
        if p.owners.is_empty() {
            push(
                LintKind::NoOwner,
                "owners".into(),
                "担当課がありません / no owner".into(),
            );
        }
        period(p, &plan.info, &mut push);
    }
    super::rollup_check::check(plan, &codes, &mut out);
    out
}

fn last_target(i: &Indicator) -> Option<(FiscalYear, &Value)> {
    i.values
        .iter()
        .rev()
        .find_map(|v| v.target.as_ref().map(|t| (v.fiscal_year, t)))
}

/// Same meaning: parsed number, unit and qualifier agree; or, for prose KGIs such as
/// 「導入前と比べて30%減」, the KPI's text closes the KGI's text.
fn same_value(kgi: &Value, kpi: &Value) -> bool {
    if kgi.number.is_some() && kpi.number.is_some() {
        return kgi.number == kpi.number && kgi.unit == kpi.unit && kgi.qualifier == kpi.qualifier;
    }
    let (a, b) = (
        normalize_label(&without_markers(&kgi.text)),
        normalize_label(&without_markers(&kpi.text)),
    );
    a == b || a.ends_with(&b)
}

fn kgi_vs_kpi(p: &Project, push: &mut impl FnMut(LintKind, String, String)) {
    let kpis: Vec<&Indicator> = p
        .indicators
        .iter()
        .filter(|i| i.kind == IndicatorKind::KPI)
        .collect();
    for kgi in p.indicators.iter().filter(|i| i.kind == IndicatorKind::KGI) {
        let Some((kgi_fy, goal)) = last_target(kgi) else {
            continue;
        };
        // The KPI of the same name if there is one, else the first KPI.
        let kpi = kpis
            .iter()
            .find(|k| normalize_label(&k.name) == normalize_label(&kgi.name))
            .or(kpis.first());
        let Some((fy, last)) = kpi.and_then(|k| last_target(k)) else {
            continue;
        };
        if !same_value(goal, last) {
            push(
                LintKind::KgiDiffersFromLastKpi,
                FieldPath::IndicatorValue(&kgi.id, kgi_fy, Side::Target).to_string(),
                format!(
                    "KGI「{}」が最終年度（{fy}年度）の KPI 目標「{}」と異なります / KGI differs from the last KPI target",
                    goal.text, last.text
                ),
            );
        }
    }
}

fn units(p: &Project, push: &mut impl FnMut(LintKind, String, String)) {
    for i in &p.indicators {
        let Some(unit) = i
            .unit
            .as_deref()
            .map(normalize_label)
            .filter(|u| !u.is_empty())
        else {
            continue;
        };
        for v in &i.values {
            for (value, side) in [(&v.target, Side::Target), (&v.actual, Side::Actual)] {
                let Some(x) = value else { continue };
                let Some(written) = x.unit.as_deref().filter(|u| !u.trim().is_empty()) else {
                    continue;
                };
                if x.number.is_some() && normalize_label(written) != unit {
                    push(
                        LintKind::UnitMismatch,
                        FieldPath::IndicatorValue(&i.id, v.fiscal_year, side).to_string(),
                        format!(
                            "指標「{}」の {}年度 {}「{}」の単位「{written}」が指標の単位「{}」と異なります（単位をそろえないと達成率が正しく出ません） / value in another unit than its indicator",
                            i.name,
                            v.fiscal_year,
                            side.label(),
                            x.text,
                            i.unit.as_deref().unwrap_or_default()
                        ),
                    );
                }
            }
        }
    }
}

fn cumulative(p: &Project, push: &mut impl FnMut(LintKind, String, String)) {
    for i in p.indicators.iter().filter(|i| i.cumulative) {
        for (side, label) in [(true, "目標"), (false, "実績")] {
            let series: Vec<(FiscalYear, f64)> = i
                .values
                .iter()
                .filter_map(|v| {
                    let value = if side { &v.target } else { &v.actual };
                    value
                        .as_ref()
                        .and_then(|x| x.number)
                        .map(|n| (v.fiscal_year, n))
                })
                .collect();
            for w in series.windows(2) {
                if w[1].1 < w[0].1 {
                    push(
                        LintKind::CumulativeFalls,
                        FieldPath::IndicatorValue(
                            &i.id,
                            w[1].0,
                            if side { Side::Target } else { Side::Actual },
                        )
                        .to_string(),
                        format!(
                            "累計指標「{}」の{label}が {} 年度 {} から {} 年度 {} に減っています / cumulative {} falls",
                            i.name,
                            w[0].0,
                            w[0].1,
                            w[1].0,
                            w[1].1,
                            if side { "target" } else { "actual" }
                        ),
                    );
                }
            }
        }
    }
}

fn money(p: &Project, push: &mut impl FnMut(LintKind, String, String)) {
    for b in &p.budget {
        for (v, label, side) in [
            (b.planned_thousand_yen, "事業費", Money::Planned),
            (
                b.general_revenue_thousand_yen,
                "うち一般財源",
                Money::GeneralRevenue,
            ),
        ] {
            if let Some(v) = v.filter(|v| *v < 0) {
                push(
                    LintKind::NegativeMoney,
                    FieldPath::Budget(b.fiscal_year, side).to_string(),
                    format!(
                        "{}年度の{label}が負の値です（{}） / negative money",
                        b.fiscal_year,
                        crate::compare::render::money(Some(v))
                    ),
                );
            }
        }
        if let (Some(plan), Some(gen)) = (b.planned_thousand_yen, b.general_revenue_thousand_yen) {
            if gen > plan {
                push(
                    LintKind::GeneralRevenueExceedsPlanned,
                    FieldPath::Budget(b.fiscal_year, Money::GeneralRevenue).to_string(),
                    format!(
                        "{}年度のうち一般財源（{}）が事業費（{}）を超えています / general revenue exceeds planned cost",
                        b.fiscal_year,
                        crate::compare::render::money(Some(gen)),
                        crate::compare::render::money(Some(plan))
                    ),
                );
            }
        }
    }
}

fn footnotes(p: &Project, push: &mut impl FnMut(LintKind, String, String)) {
    let notes: Vec<String> = p
        .footnotes
        .iter()
        .map(|f| normalize_label(&f.marker))
        .collect();
    let mut used: Vec<String> = Vec::new();
    let texts = [
        &p.title,
        &p.texts.issue,
        &p.texts.purpose,
        &p.texts.summary,
        &p.texts.goal,
    ];
    for t in texts.into_iter().chain(p.texts.effects.iter()) {
        used.extend(find_markers(t));
    }
    for i in &p.indicators {
        for v in &i.values {
            for x in [&v.target, &v.actual].into_iter().flatten() {
                used.extend(x.markers.iter().cloned());
            }
        }
    }
    used.sort();
    used.dedup();
    for m in used {
        if !notes.contains(&normalize_label(&m)) {
            push(
                LintKind::FootnoteWithoutNote,
                "footnotes".into(),
                format!("注記「{m}」の本文がありません / footnote marker without a note"),
            );
        }
    }
}

fn period(p: &Project, info: &PlanInfo, push: &mut impl FnMut(LintKind, String, String)) {
    let inside = |fy: FiscalYear| (info.first_fy..=info.last_fy).contains(&fy);
    let mut outside: Vec<(FiscalYear, String, String)> = Vec::new();
    for i in &p.indicators {
        outside.extend(i.values.iter().filter(|v| !inside(v.fiscal_year)).map(|v| {
            let side = if v.target.is_some() {
                Side::Target
            } else {
                Side::Actual
            };
            (
                v.fiscal_year,
                format!("指標「{}」", i.name),
                FieldPath::IndicatorValue(&i.id, v.fiscal_year, side).to_string(),
            )
        }));
    }
    for t in &p.schedule {
        for fy in [t.start_fy, t.end_fy]
            .into_iter()
            .chain(t.phases.keys().copied())
        {
            if !inside(fy) {
                outside.push((
                    fy,
                    format!("工程「{}」", t.name),
                    FieldPath::Task(&t.id).to_string(),
                ));
            }
        }
    }
    outside.extend(p.budget.iter().filter(|b| !inside(b.fiscal_year)).map(|b| {
        (
            b.fiscal_year,
            "事業費".to_string(),
            FieldPath::Budget(b.fiscal_year, Money::Planned).to_string(),
        )
    }));
    outside.extend(
        p.progress
            .iter()
            .filter(|g| !inside(g.fiscal_year))
            .map(|g| {
                (
                    g.fiscal_year,
                    "進捗".to_string(),
                    FieldPath::Progress(g.fiscal_year).to_string(),
                )
            }),
    );
    outside.dedup();
    for (fy, what, field) in outside {
        push(
            LintKind::OutsidePeriod,
            field,
            format!(
                "{what}の {fy}年度は計画期間（{}〜{}年度）の外です / fiscal year outside the plan period",
                info.first_fy, info.last_fy
            ),
        );
    }
}
