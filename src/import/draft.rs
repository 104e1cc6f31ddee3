//! What a sheet says about one project, before it is matched to the plan. Every field is
//! optional: a field the sheet does not have leaves the plan's value alone.

use crate::model::fields::ProjectField;
use std::collections::BTreeMap;

use crate::model::{
    FiscalYear, Footnote, IndicatorKind, PriorityFlag, Progress, ProjectStatus, Value,
};

#[derive(Debug, Clone, Default)]
pub struct Draft {
    /// `Sheet!B3` of the title cell.
    pub at: String,
    pub policy: Option<String>,
    pub measure: Option<String>,
    /// Further measures the project sits under (Onomichi 2)④).
    pub extra_measures: Vec<String>,
    /// Numbers of a display code (「Ⅰ-1-①」 in the sheet's name, a heading or the title cell):
    /// where the project sits when no heading names its policy or measure (`import::hierarchy`).
    pub policy_code: Option<u32>,
    pub measure_code: Option<u32>,
    pub project_code: Option<u32>,
    pub title: String,
    pub owners: Option<Vec<String>>,
    pub owners_note: Option<String>,
    /// The project's plain texts the sheet gives (課題, 目的, 概要, 目指す姿, …), by the field
    /// each fills: applied through the sheet description (`format::sheet::fields`), so a new
    /// plain field needs no slot of its own here.
    pub texts: Vec<(ProjectField, String)>,
    pub effects: Option<Vec<String>>,
    pub indicators: Vec<DraftIndicator>,
    pub tasks: Vec<DraftTask>,
    /// Year → planned 千円 as read (None: the cell said "no value").
    pub budget: BTreeMap<FiscalYear, Option<i64>>,
    pub general_revenue: BTreeMap<FiscalYear, Option<i64>>,
    /// Footnote markers written in budget cells (「427,000※4」), with their year.
    pub budget_markers: Vec<(String, FiscalYear)>,
    pub footnotes: Vec<Footnote>,
    pub tags: Vec<String>,
    /// The complete list of tags, when the sheet has a tags cell (dxplan's own layout): it
    /// replaces the project's tags, where `tags` (badges of legacy sheets) only add.
    pub all_tags: Option<Vec<String>>,
    pub priority: Option<PriorityFlag>,
    pub status: Option<ProjectStatus>,
    /// 緊急度 / 重要度 when the sheet has the row (inner None: the cell is blank).
    pub urgency: Option<Option<u8>>,
    pub importance: Option<Option<u8>>,
    /// Progress per year, when the sheet has progress rows (every field of a year).
    pub progress: BTreeMap<FiscalYear, Progress>,
    /// Text fields read (for the report).
    pub fields: usize,
}

impl Draft {
    /// Sets the text the sheet gives for `field` (a later one replaces an earlier one).
    pub fn set_text(&mut self, field: ProjectField, text: String) {
        match self.texts.iter_mut().find(|(f, _)| *f == field) {
            Some(slot) => slot.1 = text,
            None => self.texts.push((field, text)),
        }
    }

    /// The text the sheet gives for `field`, if any.
    #[cfg(test)]
    pub fn text(&self, field: ProjectField) -> Option<&str> {
        self.texts
            .iter()
            .find(|(f, _)| *f == field)
            .map(|(_, t)| t.as_str())
    }
}

/// A value cell of a draft: None when the sheet has no such cell, Some(None) when it is empty.
pub type DraftCell = Option<Option<Value>>;

#[derive(Debug, Clone)]
pub struct DraftIndicator {
    pub kind: IndicatorKind,
    pub name: String,
    pub cumulative: bool,
    /// A final target (KGI) stated without a year: it belongs to the plan's last year.
    pub final_value: Option<Option<Value>>,
    /// Year → (target, actual); the outer Option is "the sheet has this cell".
    pub values: BTreeMap<FiscalYear, (DraftCell, DraftCell)>,
    /// The unit as its own cell says (dxplan's layout); None: not on the sheet.
    pub unit: Option<Option<String>>,
    /// 累計 as its own cell says (dxplan's layout); None: guessed from the name.
    pub cumulative_cell: Option<bool>,
}

impl DraftIndicator {
    pub fn new(kind: IndicatorKind, name: impl Into<String>) -> Self {
        let name = name.into();
        DraftIndicator {
            kind,
            cumulative: name.contains("累計"),
            name,
            final_value: None,
            values: BTreeMap::new(),
            unit: None,
            cumulative_cell: None,
        }
    }

    pub fn set(&mut self, fy: FiscalYear, target: bool, v: Option<Value>) {
        let e = self.values.entry(fy).or_default();
        if target {
            e.0 = Some(v);
        } else {
            e.1 = Some(v);
        }
    }
}

#[derive(Debug, Clone)]
pub struct DraftTask {
    pub name: String,
    pub start_fy: FiscalYear,
    pub end_fy: FiscalYear,
    pub phases: BTreeMap<FiscalYear, String>,
    pub confirmed: bool,
    /// The years could not be seen (a format without cell colours): a task the plan has keeps
    /// its own years when the marks read lie within them.
    pub years_unseen: bool,
    /// No year was marked at all (`start_fy..=end_fy` is a guess): a task the plan has keeps
    /// its own years.
    pub unmarked: bool,
}

/// A project title without the number printed in front of it (「① オンライン申請の拡充」,
/// 「(3) …」, 「1. …」): numbers are derived from position, and are often wrong in print.
pub fn strip_numbering(title: &str) -> String {
    let t = title.trim();
    let circled = |c: char| {
        ('\u{2460}'..='\u{2473}').contains(&c)
            || ('\u{3251}'..='\u{325F}').contains(&c)
            || ('\u{32B1}'..='\u{32BF}').contains(&c)
    };
    let rest = if t.starts_with(circled) {
        t.trim_start_matches(circled)
    } else {
        let n: String = t
            .chars()
            .take_while(|c| c.is_ascii_digit() || ('０'..='９').contains(c))
            .collect();
        let after = &t[n.len()..];
        let bracketed = ["(", "（"]
            .iter()
            .find_map(|o| t.strip_prefix(o))
            .and_then(|r| {
                let d: String = r
                    .chars()
                    .take_while(|c| c.is_ascii_digit() || ('０'..='９').contains(c))
                    .collect();
                (!d.is_empty())
                    .then(|| r[d.len()..].strip_prefix([')', '）']))
                    .flatten()
            });
        match bracketed {
            Some(r) => r,
            None if !n.is_empty() => match after.strip_prefix(['.', '．', ')', '）', '、']) {
                Some(r) if !r.is_empty() => r,
                _ => t,
            },
            None => t,
        }
    };
    let rest = rest.trim_start_matches([' ', '　']);
    if rest.is_empty() {
        t.to_string()
    } else {
        rest.to_string()
    }
}

/// Splits an owner cell: 「ICT推進課、市民課ほか」 → ([ICT推進課, 市民課], 「ほか」).
pub fn split_owners(text: &str) -> (Vec<String>, String) {
    let mut note = String::new();
    let mut units = Vec::new();
    for part in text.split(['、', '，', ',', '\n', '／']) {
        let mut name = part.trim().trim_matches('　').to_string();
        for suffix in ["ほか", "外", "等", "など"] {
            if name.chars().count() > suffix.chars().count() && name.ends_with(suffix) {
                name.truncate(name.len() - suffix.len());
                note = suffix.to_string();
                break;
            }
            if name == suffix {
                note = suffix.to_string();
                name.clear();
            }
        }
        let name = name.trim().to_string();
        if !name.is_empty() && !units.contains(&name) {
            units.push(name);
        }
    }
    (units, note)
}

#[cfg(test)]
mod tests {
    use super::split_owners;

    #[test]
    fn printed_numbers_are_not_part_of_the_title() {
        use super::strip_numbering;
        assert_eq!(
            strip_numbering("① オンライン申請の拡充"),
            "オンライン申請の拡充"
        );
        assert_eq!(strip_numbering("⑫ＡＩ活用"), "ＡＩ活用");
        assert_eq!(strip_numbering("(3) 公共施設予約"), "公共施設予約");
        assert_eq!(strip_numbering("1. 電子申請"), "電子申請");
        assert_eq!(strip_numbering("5G基地局の整備"), "5G基地局の整備");
        assert_eq!(strip_numbering("2025年度までの計画"), "2025年度までの計画");
        assert_eq!(strip_numbering("①"), "①");
    }

    #[test]
    fn owners_and_the_others_note() {
        assert_eq!(
            split_owners("ICT推進課、市民課ほか"),
            (vec!["ICT推進課".into(), "市民課".into()], "ほか".into())
        );
        assert_eq!(
            split_owners("ICT推進課ほか"),
            (vec!["ICT推進課".into()], "ほか".into())
        );
        assert_eq!(
            split_owners("ICT推進課，まちづくり推進課, 教育総務課"),
            (
                vec![
                    "ICT推進課".into(),
                    "まちづくり推進課".into(),
                    "教育総務課".into()
                ],
                "".into()
            )
        );
        assert_eq!(
            split_owners("消防局警防課、ほか"),
            (vec!["消防局警防課".into()], "ほか".into())
        );
        assert_eq!(
            split_owners("中央図書館"),
            (vec!["中央図書館".into()], "".into())
        );
    }
}
