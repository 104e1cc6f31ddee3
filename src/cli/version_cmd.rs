//! `version`, `versions`, `compare`, `rollover` and `settings`: the plan's yearly cycle.

use std::path::Path;

use super::{CliError, Command};
use crate::compare::{compare, Comparison, Presence};
use crate::model::Plan;
use crate::parse::fiscal_year::parse_fiscal_year_range;
use crate::store::versions::OPEN_PAST_YEARS;
use crate::store::{NewVersion, OpInfo, OpKind, Store};

type Result<T> = std::result::Result<T, CliError>;

/// How the plan as it stands is named in a comparison.
pub const NOW: &str = "現在";

pub fn run(cmd: Command) -> Result<()> {
    match cmd {
        Command::Version {
            plan,
            label,
            date,
            note,
        } => {
            let v = new_version(label, date.as_deref(), note)?;
            let mut store = Store::open(&plan)?;
            let rec = store.write(OpInfo::new(OpKind::Version).source(v.label.clone()), |w| {
                w.record_version(&v)
            })?;
            outln!(
                "版「{}」を記録しました / recorded version {}（事業 {} 件、{}）",
                rec.label,
                rec.label,
                rec.projects,
                size(rec.stored_size)
            );
        }
        Command::Versions { plan, json } => {
            let versions = Store::open_read_only(&plan)?.versions()?;
            if json {
                super::output::json(&versions, false)?;
            } else if versions.is_empty() {
                outln!("記録された版はありません / no version recorded");
            } else {
                for v in &versions {
                    outln!(
                        "{}\t{}\t記録 {}\t事業 {} 件\t{}{}",
                        v.label,
                        v.issued_on.as_deref().unwrap_or("－"),
                        local_time(&v.recorded_at),
                        v.projects,
                        size(v.stored_size),
                        if v.note.is_empty() {
                            String::new()
                        } else {
                            format!("\t{}", v.note)
                        }
                    );
                }
            }
        }
        Command::Compare {
            plan,
            from,
            to,
            output,
            json,
        } => {
            if let Some(out) = &output {
                crate::export::check_destination(out, &plan)?;
            }
            let store = Store::open_read_only(&plan)?;
            let (old, from) = side(&store, Some(&from))?;
            let (new, to) = side(&store, to.as_deref())?;
            let cmp = compare(&old, &new, &from, &to);
            if let Some(out) = &output {
                crate::export::comparison::export_comparison(&cmp, &new.info.title, out)?;
            }
            if json {
                super::output::json(&cmp, false)?;
            } else {
                print_comparison(&cmp)?;
                if let Some(out) = &output {
                    outln!("書き出しました / written: {}", out.display());
                }
            }
        }
        Command::Rollover {
            plan,
            years,
            label,
            date,
            note,
            output,
        } => {
            let (first, last) = parse_fiscal_year_range(&years)?;
            let v = new_version(label, date.as_deref(), note)?;
            let report = match &output {
                Some(out) => {
                    crate::rollover::start_next(&Store::open(&plan)?, first, last, &v, out)?
                }
                None => {
                    crate::rollover::extend_in_place(&mut Store::open(&plan)?, first, last, &v)?
                }
            };
            if let Some(before) = &report.recorded_before {
                outln!("繰越の前の計画を版「{before}」として記録しました / recorded the plan before rolling over as {before}");
            }
            match &report.file {
                Some(file) => outln!(
                    "次期計画を作成しました / started the next plan: {}（{}〜{}年度、{}、事業 {} 件を引継ぎ、終了した {} 件は引き継がず、前年度の課題・改善策を {} 件引継ぎ）",
                    file.display(),
                    report.first_fy,
                    report.last_fy,
                    report.label,
                    report.projects,
                    report.left_behind.len(),
                    report.progress_carried
                ),
                None => outln!(
                    "計画期間を {}〜{}年度に延長し、版「{}」を記録しました / extended the period to {}–{} and recorded {}",
                    report.first_fy, report.last_fy, report.label, report.first_fy, report.last_fy, report.label
                ),
            }
            for (code, title) in &report.left_behind {
                outln!("  終了のため引き継がない / ended, not carried: {code} {title}");
            }
            outln!(
                "{}年度までの実績は課別ブックで編集できません（開くには settings --open-past-years on） / actuals up to FY{} are locked in department workbooks",
                report.closed_through_fy, report.closed_through_fy
            );
        }
        Command::Settings {
            plan,
            open_past_years,
            json,
        } => {
            let mut store = if open_past_years.is_some() {
                Store::open(&plan)?
            } else {
                Store::open_read_only(&plan)?
            };
            if let Some(open) = open_past_years {
                let value = open.then_some("true");
                store.write(OpInfo::new(OpKind::Settings), |w| {
                    w.set_setting(OPEN_PAST_YEARS, value)
                })?;
            }
            let s = store.settings()?;
            if json {
                super::output::json(&s, false)?;
            } else {
                outln!(
                    "過去年度の実績 / past years' actuals: {}",
                    match (s.closed_through_fy, s.open_past_years) {
                        (None, _) => "編集可（締めた年度なし） / open (no year closed)".to_string(),
                        (Some(fy), false) =>
                            format!("{fy}年度まで編集不可 / locked up to FY{fy}"),
                        (Some(fy), true) => format!(
                            "{fy}年度まで締めたが、事務局が開いています / closed up to FY{fy}, opened by the office"
                        ),
                    }
                );
            }
        }
        _ => unreachable!("not a version command"),
    }
    Ok(())
}

fn new_version(label: String, date: Option<&str>, note: String) -> Result<NewVersion> {
    let issued_on = date.map(parse_date).transpose()?;
    Ok(NewVersion {
        label: label.trim().to_string(),
        issued_on,
        note,
    })
}

/// 「2023-06-01」, 「2023/6/1」, 「2023年6月1日」 (full-width digits too).
pub fn parse_date(text: &str) -> Result<chrono::NaiveDate> {
    let n = crate::parse::label::normalize_label(text);
    let n = n.replace(['年', '月', '/', '.'], "-").replace('日', "");
    chrono::NaiveDate::parse_from_str(&n, "%Y-%m-%d")
        .map_err(|_| CliError::InvalidDate(text.to_string()))
}

/// The plan of a version, or the plan as it stands.
fn side(store: &Store, label: Option<&str>) -> Result<(Plan, String)> {
    Ok(match label {
        Some(l) if l != NOW => {
            let rec = store
                .version(l)?
                .map(|r| r.label)
                .unwrap_or_else(|| l.to_string());
            (store.load_version(l)?, rec)
        }
        _ => (store.load_plan()?, NOW.to_string()),
    })
}

fn size(bytes: i64) -> String {
    if bytes >= 1 << 20 {
        format!("{:.1} MB", bytes as f64 / (1 << 20) as f64)
    } else {
        format!("{:.1} KB", bytes as f64 / 1024.0)
    }
}

fn local_time(rfc3339: &str) -> String {
    chrono::DateTime::parse_from_rfc3339(rfc3339)
        .map(|t| {
            t.with_timezone(&chrono::Local)
                .format("%Y-%m-%d %H:%M")
                .to_string()
        })
        .unwrap_or_else(|_| rfc3339.to_string())
}

fn print_comparison(cmp: &Comparison) -> Result<()> {
    outln!(
        "新旧対照 / comparison: {}（新） ← {}（旧）",
        cmp.to,
        cmp.from
    );
    for item in &cmp.items {
        let head = format!("{} {}", item.code, item.title);
        if item.presence != Presence::Changed {
            outln!(
                "{}「{}」：{}",
                item.kind.label(),
                head.trim(),
                item.presence.label()
            );
        } else {
            outln!("{}「{}」", item.kind.label(), head.trim());
        }
        for c in &item.changes {
            let show = |v: &Option<String>| {
                v.as_deref()
                    .map(|s| s.replace('\n', " / "))
                    .unwrap_or_else(|| "（なし）".into())
            };
            outln!(
                "  {}［{}］ 新: {}　旧: {}",
                c.label,
                c.presence.label(),
                show(&c.new),
                show(&c.old)
            );
        }
    }
    outln!(
        "{} 件の項目に変更 / {} item(s) changed",
        cmp.items.len(),
        cmp.items.len()
    );
    Ok(())
}

/// `dump --version`: the plan as it was.
pub fn plan_of(plan: &Path, version: Option<&str>) -> Result<Plan> {
    let store = Store::open_read_only(plan)?;
    Ok(match version {
        Some(v) => store.load_version(v)?,
        None => store.load_plan()?,
    })
}
