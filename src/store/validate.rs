//! Rules a plan must keep that the schema cannot state, checked on what is written and on what
//! is read back: a plan file may have been written by another tool, and a period of
//! −2³¹…2³¹−1 years or an amount near `i64::MAX` must be refused with the file named, not
//! allocated for or summed until it wraps.

use crate::model::{FiscalYear, PlanInfo, Project};
use crate::parse::fiscal_year::{MAX_FY, MIN_FY};
use crate::parse::value::MAX_THOUSAND_YEN;

type Check = std::result::Result<(), String>;

/// `what` names the item, built only for the message: a plan of 10,000 projects is checked on
/// every open.
fn year_of(fy: FiscalYear, what: impl FnOnce() -> String) -> Check {
    if (MIN_FY..=MAX_FY).contains(&fy) {
        return Ok(());
    }
    let what = what();
    Err(format!(
        "{what}の年度 {fy} が範囲外です（{MIN_FY}〜{MAX_FY}） / {what}: fiscal year {fy} outside {MIN_FY}–{MAX_FY}"
    ))
}

fn year(fy: FiscalYear, what: &str) -> Check {
    year_of(fy, || what.to_string())
}

fn sorted_unique(years: impl Iterator<Item = FiscalYear>) -> bool {
    let v: Vec<FiscalYear> = years.collect();
    v.windows(2).all(|w| w[0] < w[1])
}

/// The plan period: the bounds `dxplan new` accepts.
pub(crate) fn plan_info(info: &PlanInfo) -> Check {
    year(info.first_fy, "計画期間の開始")?;
    year(info.last_fy, "計画期間の終了")?;
    if info.first_fy > info.last_fy {
        return Err(format!(
            "計画期間の開始年度が終了年度より後です / first fiscal year {} is after last {}",
            info.first_fy, info.last_fy
        ));
    }
    Ok(())
}

/// An amount in 千円 within ±`MAX_THOUSAND_YEN`.
pub(crate) fn amount(v: Option<i64>, what: impl FnOnce() -> String) -> Check {
    match v {
        Some(v) if v.unsigned_abs() > MAX_THOUSAND_YEN.unsigned_abs() => {
            let what = what();
            Err(format!(
                "{what}（{v} 千円）が上限 {MAX_THOUSAND_YEN} 千円を超えています / {what}: {v} thousand yen exceeds the limit of {MAX_THOUSAND_YEN}"
            ))
        }
        _ => Ok(()),
    }
}

/// Years, order and amounts of one project. `structural` adds what only a writer must keep
/// (a project sits under at least one measure).
pub(crate) fn project(p: &Project, structural: bool) -> Check {
    let named = |m: String| format!("事業「{}」（{}）: {m}", p.title, p.id);
    if structural && p.measure_ids.is_empty() {
        return Err(named("施策がありません / project has no measure".into()));
    }
    for s in [p.priority.urgency, p.priority.importance]
        .into_iter()
        .flatten()
    {
        if s > 100 {
            return Err(named(format!(
                "緊急度・重要度 {s} が 0〜100 の外です / score {s} outside 0–100"
            )));
        }
    }
    for t in &p.schedule {
        let what = || format!("工程「{}」", t.name);
        year_of(t.start_fy, what).map_err(named)?;
        year_of(t.end_fy, what).map_err(named)?;
        if t.start_fy > t.end_fy {
            return Err(named(format!(
                "{}の開始年度が終了年度より後です / task starts after it ends",
                what()
            )));
        }
        for fy in t.phases.keys() {
            year_of(*fy, what).map_err(named)?;
        }
    }
    for i in &p.indicators {
        let what = || format!("指標「{}」", i.name);
        for v in &i.values {
            year_of(v.fiscal_year, what).map_err(named)?;
        }
        if !sorted_unique(i.values.iter().map(|v| v.fiscal_year)) {
            return Err(named(format!(
                "{}の年度が重複または順不同です / indicator years not sorted and unique",
                what()
            )));
        }
    }
    for b in &p.budget {
        year(b.fiscal_year, "事業費").map_err(named)?;
        amount(b.planned_thousand_yen, || {
            format!("{}年度の事業費", b.fiscal_year)
        })
        .map_err(named)?;
        amount(b.general_revenue_thousand_yen, || {
            format!("{}年度のうち一般財源", b.fiscal_year)
        })
        .map_err(named)?;
    }
    if !sorted_unique(p.budget.iter().map(|b| b.fiscal_year)) {
        return Err(named(
            "事業費の年度が重複または順不同です / budget years not sorted and unique".into(),
        ));
    }
    for g in &p.progress {
        year(g.fiscal_year, "進捗").map_err(named)?;
    }
    if !sorted_unique(p.progress.iter().map(|g| g.fiscal_year)) {
        return Err(named(
            "進捗の年度が重複または順不同です / progress years not sorted and unique".into(),
        ));
    }
    Ok(())
}

/// Org unit validity years, when given.
pub(crate) fn unit_years(from: Option<FiscalYear>, to: Option<FiscalYear>, name: &str) -> Check {
    for fy in [from, to].into_iter().flatten() {
        year_of(fy, || format!("組織「{name}」"))?;
    }
    Ok(())
}
