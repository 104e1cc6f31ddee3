//! Values as people read them in a 新旧対照表: 千円 with separators, fiscal years with 和暦,
//! tasks as 「2023〜2024年度」, unit names rather than ids, never JSON.

use crate::format::layout;
use crate::model::*;
use crate::parse::fiscal_year::{format_both, format_wareki};

/// 「12,000」: digits grouped by three; a negative amount 「▲1,000」, as municipal budgets write
/// it (and the UI's `formatSen`; `parse::value` reads ▲, △ and - alike).
pub fn grouped(n: i64) -> String {
    let s = n.unsigned_abs().to_string();
    let mut out = String::new();
    for (i, c) in s.chars().enumerate() {
        if i > 0 && (s.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    if n < 0 {
        format!("▲{out}")
    } else {
        out
    }
}

/// 「12,000千円」; no value is 「－」 (which is not 0).
pub fn money(v: Option<i64>) -> String {
    v.map_or("－".to_string(), |n| format!("{}千円", grouped(n)))
}

/// 「2023年度（令和5年度）」.
pub fn year(fy: FiscalYear) -> String {
    format_both(fy)
}

/// 「2023〜2024年度」, 「2023年度」.
pub fn years(first: FiscalYear, last: FiscalYear) -> String {
    if first == last {
        format!("{first}年度")
    } else {
        format!("{first}〜{last}年度")
    }
}

/// 「2022〜2025年度（令和4年度〜令和7年度）」.
pub fn period(first: FiscalYear, last: FiscalYear) -> String {
    if first == last {
        year(first)
    } else {
        format!(
            "{}（{}〜{}）",
            years(first, last),
            format_wareki(first),
            format_wareki(last)
        )
    }
}

/// 「申請受付の電子化：2023〜2024年度（2023年度 検討、2024年度 構築）」, with 「年度は推定」 when
/// the years were inferred.
pub fn task(t: &Task) -> String {
    let mut s = format!("{}：{}", t.name, years(t.start_fy, t.end_fy));
    let phases: Vec<String> = t
        .phases
        .iter()
        .filter(|(_, p)| !p.is_empty())
        .map(|(fy, p)| format!("{fy}年度 {p}"))
        .collect();
    if !phases.is_empty() {
        s.push_str(&format!("（{}）", phases.join("、")));
    }
    if !t.confirmed {
        s.push_str("〔年度は推定〕");
    }
    s
}

pub fn status(s: ProjectStatus) -> String {
    layout::status_label(s).to_string()
}

/// 「重点／緊急度 80／重要度 90」; nothing set is empty.
pub fn priority(p: &Priority) -> String {
    let mut parts = Vec::new();
    let flag = layout::flag_label(p.flag);
    if !flag.is_empty() {
        parts.push(flag.to_string());
    }
    if let Some(u) = p.urgency {
        parts.push(format!("緊急度 {u}"));
    }
    if let Some(i) = p.importance {
        parts.push(format!("重要度 {i}"));
    }
    parts.join("／")
}

pub fn owners(units: &[OrgUnit], p: &Project) -> String {
    layout::owners_text(units, &p.owners, &p.owners_note)
}

pub fn effects(e: &[String]) -> String {
    layout::effects_text(e)
}

pub fn tags(t: &[String]) -> String {
    layout::tags_text(t)
}

/// One footnote per line: 「※1 説明」.
pub fn footnotes(f: &[Footnote]) -> String {
    f.iter()
        .map(|f| format!("{} {}", f.marker, f.text))
        .collect::<Vec<_>>()
        .join("\n")
}

/// How an indicator is defined: 「オンライン手続数（単位：手続、累計）」.
pub fn indicator_definition(i: &Indicator) -> String {
    let mut extra = Vec::new();
    if let Some(u) = i.unit.as_deref().filter(|u| !u.is_empty()) {
        extra.push(format!("単位：{u}"));
    }
    if i.cumulative {
        extra.push(layout::CUMULATIVE.to_string());
    }
    if extra.is_empty() {
        i.name.clone()
    } else {
        format!("{}（{}）", i.name, extra.join("、"))
    }
}

/// A whole indicator, for one added or removed: its definition, then one line per year.
pub fn indicator(i: &Indicator) -> String {
    let mut lines = vec![indicator_definition(i)];
    for v in &i.values {
        let mut parts = Vec::new();
        if let Some(t) = &v.target {
            parts.push(format!("目標 {}", t.text));
        }
        if let Some(a) = &v.actual {
            parts.push(format!("実績 {}", a.text));
        }
        if !parts.is_empty() {
            lines.push(format!("{}　{}", year(v.fiscal_year), parts.join("　")));
        }
    }
    lines.join("\n")
}

/// 「KPI「オンライン手続数」」.
pub fn indicator_name(i: &Indicator) -> String {
    format!("{}「{}」", i.kind.as_str(), i.name)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Grouped as the UI groups 千円 (ui/src/lib/format.ts, tested on the same file).
    #[test]
    fn money_grouped_as_the_ui_shows_it() {
        let c: serde_json::Value =
            serde_json::from_str(include_str!("../../tests/fixtures/format_cases.json")).unwrap();
        for m in c["money_grouped"].as_array().unwrap() {
            let value = m["value"].as_i64().unwrap();
            assert_eq!(grouped(value), m["text"]);
            // and what is shown reads back (▲ on the way in as on the way out)
            let text = m["text"].as_str().unwrap();
            let read = crate::parse::value::parse_money(text).unwrap();
            assert_eq!(read.map(|r| r.thousand_yen), Some(value), "「{text}」");
        }
    }

    #[test]
    fn values_read_as_people_write_them() {
        assert_eq!(money(Some(1_240_400)), "1,240,400千円");
        assert_eq!(money(Some(0)), "0千円");
        assert_eq!(money(None), "－");
        assert_eq!(grouped(-1234), "▲1,234");
        assert_eq!(money(Some(-5)), "▲5千円");
        assert_eq!(years(2023, 2024), "2023〜2024年度");
        assert_eq!(years(2023, 2023), "2023年度");
        assert_eq!(period(2022, 2025), "2022〜2025年度（令和4年度〜令和7年度）");
        let t = Task {
            id: "t".into(),
            name: "構築".into(),
            start_fy: 2023,
            end_fy: 2024,
            phases: [(2023, "検討".to_string())].into_iter().collect(),
            confirmed: false,
        };
        assert_eq!(
            task(&t),
            "構築：2023〜2024年度（2023年度 検討）〔年度は推定〕"
        );
    }
}
