//! The label vocabulary of legacy sheets. Labels are compared after `normalize_label` (NFKC,
//! no whitespace), so 「数値目標（KGI）」, 「数値目標 (KGI)」 and 「数値目標(KGI)」 are one label.

use crate::model::fields::ProjectField;
use crate::parse::label::normalize_label;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Label {
    Title,
    Policy,
    Measure,
    Owner,
    Issue,
    Purpose,
    Summary,
    Goal,
    Effects,
    Kgi,
    KpiHeader,
    /// 指標とスケジュール (Fukuyama): the indicator's name is in the cell beside it.
    Indicator,
    Target,
    Actual,
    Schedule,
    Budget,
    GeneralRevenue,
    Priority,
    Tags,
    Footnotes,
    /// A label the user said is not to be read (`--map 'ラベル=ignore'`): its row is neither
    /// read nor counted as not understood.
    Ignore,
}

impl Label {
    /// The project text a label names (課題, 目的, 概要, 目指す姿), set by the sheet's
    /// description (`Draft::texts`).
    pub(crate) fn text_field(self) -> Option<ProjectField> {
        match self {
            Label::Issue => Some(ProjectField::Issue),
            Label::Purpose => Some(ProjectField::Purpose),
            Label::Summary => Some(ProjectField::Summary),
            Label::Goal => Some(ProjectField::Goal),
            _ => None,
        }
    }
}

/// Labels after `normalize_label`, from the five seeds (shared/seeds/) and the variants
/// municipalities use for the same rows.
const EXACT: &[(&str, Label)] = &[
    ("取組名", Label::Title),
    ("事業名称", Label::Title),
    ("事業名", Label::Title),
    ("個別事業名", Label::Title),
    ("個別施策名", Label::Title),
    ("アクション名", Label::Title),
    ("構成事業名", Label::Title),
    ("取組事項", Label::Title),
    ("取組項目", Label::Title),
    ("事業項目", Label::Title),
    ("実施事業", Label::Title),
    ("基本方針", Label::Policy),
    ("基本方針名", Label::Policy),
    ("基本目標", Label::Policy),
    ("施策", Label::Measure),
    ("施策名", Label::Measure),
    ("取組", Label::Measure),
    ("具体施策", Label::Measure),
    ("施策の方向", Label::Measure),
    ("担当課", Label::Owner),
    ("担当部署", Label::Owner),
    ("担当課名", Label::Owner),
    ("所管課", Label::Owner),
    ("担当", Label::Owner),
    ("主管課", Label::Owner),
    ("所管部署", Label::Owner),
    ("担当部局", Label::Owner),
    ("担当部課", Label::Owner),
    ("担当課等", Label::Owner),
    ("所管", Label::Owner),
    ("実施主体", Label::Owner),
    ("課題", Label::Issue),
    ("現状と課題", Label::Issue),
    ("現状・課題", Label::Issue),
    ("現状及び課題", Label::Issue),
    ("現状および課題", Label::Issue),
    ("背景・課題", Label::Issue),
    ("背景と課題", Label::Issue),
    ("現状", Label::Issue),
    ("目的", Label::Purpose),
    ("事業目的", Label::Purpose),
    ("取組の目的", Label::Purpose),
    ("内容", Label::Summary),
    ("概要", Label::Summary),
    ("事業概要", Label::Summary),
    ("取組内容", Label::Summary),
    ("事業内容", Label::Summary),
    ("取組概要", Label::Summary),
    ("取組の概要", Label::Summary),
    ("取組の内容", Label::Summary),
    ("事業の概要", Label::Summary),
    ("具体的な取組", Label::Summary),
    ("具体的取組", Label::Summary),
    ("概要(内容)", Label::Summary),
    ("目指す姿/目標", Label::Goal),
    ("目指す姿(目標)", Label::Goal),
    ("目指す姿", Label::Goal),
    ("めざす姿", Label::Goal),
    ("めざす姿/目標", Label::Goal),
    ("目指すべき姿", Label::Goal),
    ("将来像", Label::Goal),
    ("到達目標", Label::Goal),
    ("期待される効果", Label::Effects),
    ("期待する効果", Label::Effects),
    ("期待される成果", Label::Effects),
    ("見込まれる効果", Label::Effects),
    ("導入効果", Label::Effects),
    ("効果", Label::Effects),
    ("数値目標(kgi)", Label::Kgi),
    ("数値目標", Label::Kgi),
    ("kgi", Label::Kgi),
    ("成果指標", Label::Kgi),
    ("成果目標", Label::Kgi),
    ("最終目標", Label::Kgi),
    ("成果指標(kgi)", Label::Kgi),
    ("評価指標(kpi)", Label::KpiHeader),
    ("評価指標", Label::KpiHeader),
    ("kpi", Label::KpiHeader),
    ("kpi(数値目標)", Label::KpiHeader),
    ("活動指標", Label::KpiHeader),
    ("活動指標(kpi)", Label::KpiHeader),
    ("業績指標", Label::KpiHeader),
    ("重要業績評価指標", Label::KpiHeader),
    ("重要業績評価指標(kpi)", Label::KpiHeader),
    ("指標とスケジュール", Label::Indicator),
    ("指標", Label::Indicator),
    ("指標名", Label::Indicator),
    ("目標", Label::Target),
    ("目標値", Label::Target),
    ("計画値", Label::Target),
    ("年度目標", Label::Target),
    ("実績", Label::Actual),
    ("実績値", Label::Actual),
    ("スケジュール", Label::Schedule),
    ("工程表", Label::Schedule),
    ("工程", Label::Schedule),
    ("実施計画", Label::Schedule),
    ("実施スケジュール", Label::Schedule),
    ("スケジュール(工程)", Label::Schedule),
    ("ロードマップ", Label::Schedule),
    ("年次計画", Label::Schedule),
    ("年度計画", Label::Schedule),
    ("事業計画", Label::Schedule),
    ("重点", Label::Priority),
    ("タグ", Label::Tags),
    ("注記", Label::Footnotes),
    // Row numbers of a list: nothing to read, nothing lost.
    ("no.", Label::Ignore),
    ("no", Label::Ignore),
    ("番号", Label::Ignore),
    ("項番", Label::Ignore),
    ("通し番号", Label::Ignore),
    ("連番", Label::Ignore),
];

/// The label a cell's text names, if any.
#[cfg(test)]
pub(crate) fn label_of(text: &str) -> Option<Label> {
    // Labels are short; most cells of a sheet are long texts and values.
    if text.len() > 80 {
        return None;
    }
    label_of_key(&normalize_label(text))
}

/// `label_of` for a text already in `normalize_label` form.
pub fn label_of_key(n: &str) -> Option<Label> {
    if n.is_empty() || n.len() > 80 {
        return None;
    }
    // Every cell of a sheet is looked up (twice when both the flat and the block layout try
    // it): a hash lookup, not a scan of the hundred-odd exact labels.
    static EXACT_MAP: std::sync::OnceLock<std::collections::HashMap<&'static str, Label>> =
        std::sync::OnceLock::new();
    let exact = EXACT_MAP.get_or_init(|| EXACT.iter().copied().collect());
    if let Some(l) = exact.get(n) {
        return Some(*l);
    }
    // 「目標①」「実績②」: rows of the first or second of a sheet's indicators.
    if let Some((l, _)) = numbered_row(n) {
        return Some(l);
    }
    // 「アクション③」: the Onomichi title label carries its (often misprinted) number.
    if n.starts_with("アクション") && n.chars().count() <= 8 {
        return Some(Label::Title);
    }
    if n.contains("一般財源") {
        return Some(Label::GeneralRevenue);
    }
    // 予算額, 事業費, 年度経費（LCC）（千円）, 所要額, 概算事業費（千円）: money rows and columns. A
    // 決算額 (the year's settled cost) is what was spent, not the plan: never read as the plan's.
    const MONEY: [&str; 6] = ["経費", "事業費", "予算", "所要額", "見込額", "計画額"];
    if MONEY.iter().any(|m| n.contains(m)) && n.chars().count() <= 20 && !n.contains("決算") {
        return Some(Label::Budget);
    }
    None
}

/// The labels of a plan's import profile (`--map 'ラベル=field'`, kept in the plan) on top of
/// the built-in vocabulary: a label the profile names reads as the profile says.
#[derive(Debug, Clone, Default)]
pub struct Vocabulary {
    mapped: std::collections::HashMap<String, Label>,
}

impl Vocabulary {
    /// The built-in vocabulary with `mapped` (label key → field name of `FIELD_NAMES`); a field
    /// name that is not mappable is left out.
    pub fn with_fields<'a>(mapped: impl IntoIterator<Item = (&'a str, &'a str)>) -> Self {
        Vocabulary {
            mapped: mapped
                .into_iter()
                .filter_map(|(k, f)| Some((normalize_label(k), label_for_field(f)?)))
                .collect(),
        }
    }

    /// `label_of_key` through the profile.
    pub fn label(&self, key: &str) -> Option<Label> {
        if self.mapped.is_empty() {
            return label_of_key(key);
        }
        match self.mapped.get(key) {
            Some(l) => Some(*l),
            None => label_of_key(key),
        }
    }
}

/// The label a field name of `model::fields::FIELD_NAMES` reads as.
pub fn label_for_field(name: &str) -> Option<Label> {
    let f = crate::model::fields::field_name(name)?;
    Some(match f.name {
        "title" => Label::Title,
        "policy" => Label::Policy,
        "measure" => Label::Measure,
        "owners" => Label::Owner,
        "issue" => Label::Issue,
        "purpose" => Label::Purpose,
        "summary" => Label::Summary,
        "goal" => Label::Goal,
        "effects" => Label::Effects,
        "kgi" => Label::Kgi,
        "kpi" => Label::KpiHeader,
        "indicator" => Label::Indicator,
        "target" => Label::Target,
        "actual" => Label::Actual,
        "schedule" => Label::Schedule,
        "budget" => Label::Budget,
        "general_revenue" => Label::GeneralRevenue,
        "priority" => Label::Priority,
        "tags" => Label::Tags,
        "footnotes" => Label::Footnotes,
        "ignore" => Label::Ignore,
        _ => return None,
    })
}

/// 「目標①」 → (Target, 1): a target or actual row of a sheet with several indicators
/// (the key is NFKC, so ① arrives as 1).
pub fn numbered_row(key: &str) -> Option<(Label, usize)> {
    let (label, rest) = if let Some(r) = key.strip_prefix("目標") {
        (Label::Target, r)
    } else {
        (Label::Actual, key.strip_prefix("実績")?)
    };
    let n: usize = rest.trim_matches(|c| c == '(' || c == ')').parse().ok()?;
    (n >= 1).then_some((label, n))
}

/// Sheet names that are never projects (tables of contents, totals, filled-in examples).
pub fn non_project_sheet(name: &str) -> Option<&'static str> {
    let n = normalize_label(name);
    const NAMES: [(&str, &str); 11] = [
        ("目次", "目次"),
        ("集計", "集計表"),
        ("記入例", "記入例"),
        ("記載例", "記入例"),
        ("入力例", "記入例"),
        ("表紙", "表紙"),
        ("凡例", "凡例"),
        ("使い方", "説明"),
        ("説明", "説明"),
        ("注意事項", "説明"),
        ("サンプル", "記入例"),
    ];
    NAMES
        .iter()
        .find(|(k, _)| n.contains(k))
        .map(|(_, what)| *what)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn variants_name_one_label() {
        assert_eq!(label_of("数値目標（KGI）"), Some(Label::Kgi));
        assert_eq!(label_of("数値目標 (KGI)"), Some(Label::Kgi));
        assert_eq!(label_of("目指す姿／目標"), Some(Label::Goal));
        assert_eq!(label_of("目指す姿/目標"), Some(Label::Goal));
        assert_eq!(label_of("年度経費（LCC）（千円）"), Some(Label::Budget));
        assert_eq!(label_of("年度経費 (LCC) (千円)"), Some(Label::Budget));
        assert_eq!(
            label_of("うち一般財源（千円）"),
            Some(Label::GeneralRevenue)
        );
        assert_eq!(label_of("アクション⑥"), Some(Label::Title));
        assert_eq!(label_of("取　組　名"), Some(Label::Title));
        assert_eq!(label_of("AI-OCR・RPAの導入業務拡大"), None);
        assert_eq!(
            non_project_sheet("記入例（削除しないでください）"),
            Some("記入例")
        );
        assert_eq!(non_project_sheet("1-①"), None);
    }
}
