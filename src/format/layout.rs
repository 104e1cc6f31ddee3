//! The layout of dxplan's own project sheets, shared by the exporter and by the reader of
//! returned workbooks (`import::native`): the row keys kept in the hidden column, the labels,
//! and how each field is rendered as cell text and read back.
//!
//! A project sheet has a label column (A), one column per fiscal year, a 合計 column and, at
//! the right, a hidden key column. Every row the reader cares about carries a key there
//! (`dxplan:{json}`), so rows are found by key, never by label or position, and sheets by the
//! project id in the key of their first row, never by sheet name or order.

use serde::{Deserialize, Serialize};

use crate::model::{IndicatorKind, OrgUnit, Owner, PriorityFlag, Progress, ProjectStatus};

/// Shown beside a roll-up indicator's values (the sums of its components, locked).
pub const ROLLUP_MARK: &str = "自動集計";

/// Prefix of every key cell.
pub const KEY_PREFIX: &str = "dxplan:";

/// What a row of a project sheet holds.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(tag = "k", rename_all = "snake_case")]
pub enum RowKey {
    /// First row (sheet title): which project the sheet is.
    Project {
        /// Stable id.
        id: String,
    },
    /// The fiscal-year header.
    Header,
    /// 事業コード; the project's position among the projects of its primary measure.
    Code {
        /// Position among its siblings (1-based).
        position: u32,
    },
    /// A policy row of a measure.
    Policy {
        /// Stable id.
        id: String,
    },
    /// A measure row.
    Measure {
        /// Stable id.
        id: String,
    },
    /// 取組名.
    Title,
    /// 担当課.
    Owners,
    /// Status.
    Status,
    /// 重点 flag.
    Flag,
    /// 緊急性.
    Urgency,
    /// 重要性.
    Importance,
    /// Tags.
    Tags,
    /// 課題.
    Issue,
    /// 目的.
    Purpose,
    /// 概要.
    Summary,
    /// 目指す姿.
    Goal,
    /// 効果.
    Effects,
    /// The header row of the schedule.
    ScheduleHeader,
    /// A schedule task.
    Task {
        /// Stable id.
        id: String,
    },
    /// The header row of the indicators.
    IndicatorHeader,
    /// Indicator name row; 累計 in the 合計 column.
    Indicator {
        /// Stable id.
        id: String,
        /// Kind.
        kind: IndicatorKind,
    },
    /// An indicator's unit.
    Unit {
        /// Stable id.
        id: String,
    },
    /// An indicator's targets.
    Target {
        /// Stable id.
        id: String,
    },
    /// An indicator's actuals.
    Actual {
        /// Stable id.
        id: String,
    },
    /// The header row of the budget.
    BudgetHeader,
    /// 事業費 planned.
    Planned,
    /// Of which 一般財源.
    General,
    /// The header row of progress.
    ProgressHeader,
    /// A progress row.
    Progress {
        /// The field path (`texts.summary`, `indicator/{id}/{fy}/target`, …).
        field: ProgressField,
    },
    /// The header row of footnotes.
    FootnoteHeader,
    /// Marker in the label column, text beside it.
    Footnote {
        /// The field path (`texts.summary`, `indicator/{id}/{fy}/target`, …).
        field: String,
    },
    /// An input field of the department cover (提出期限, 記入者, …).
    Cover {
        /// The field path (`texts.summary`, `indicator/{id}/{fy}/target`, …).
        field: String,
    },
}

/// A progress row of a project sheet.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ProgressField {
    /// 状況.
    Status,
    /// 取組実績.
    Achievements,
    /// 課題.
    Issues,
    /// 改善策.
    Remedies,
    /// 評価.
    Evaluation,
}

impl ProgressField {
    /// Every progress row, in sheet order.
    pub const ALL: [ProgressField; 5] = [
        ProgressField::Status,
        ProgressField::Achievements,
        ProgressField::Issues,
        ProgressField::Remedies,
        ProgressField::Evaluation,
    ];

    /// The row label on the sheet.
    pub fn label(self) -> &'static str {
        match self {
            ProgressField::Status => "進捗：状況",
            ProgressField::Achievements => "進捗：成果",
            ProgressField::Issues => "進捗：課題",
            ProgressField::Remedies => "進捗：改善策",
            ProgressField::Evaluation => "進捗：評価",
        }
    }

    /// The row's text in a year's progress.
    pub fn of(self, p: &Progress) -> &str {
        match self {
            ProgressField::Status => &p.status,
            ProgressField::Achievements => &p.achievements,
            ProgressField::Issues => &p.issues,
            ProgressField::Remedies => &p.remedies,
            ProgressField::Evaluation => &p.evaluation,
        }
    }

    /// Where the row's text goes in a year's progress.
    pub fn of_mut(self, p: &mut Progress) -> &mut String {
        match self {
            ProgressField::Status => &mut p.status,
            ProgressField::Achievements => &mut p.achievements,
            ProgressField::Issues => &mut p.issues,
            ProgressField::Remedies => &mut p.remedies,
            ProgressField::Evaluation => &mut p.evaluation,
        }
    }
}

impl RowKey {
    /// The hidden key written in the row (read back by the import).
    pub fn to_cell(&self) -> String {
        // A RowKey always serialises.
        format!(
            "{KEY_PREFIX}{}",
            serde_json::to_string(self).unwrap_or_default()
        )
    }

    /// `None` when the text is not a key cell; `Some(Err)` when it is one that cannot be read.
    pub fn from_cell(text: &str) -> Option<Result<RowKey, String>> {
        let json = text.strip_prefix(KEY_PREFIX)?;
        // Every key cell of every returned sheet is read, some twice: the keys as `to_cell`
        // writes them are read without serde_json's buffering of a tagged enum.
        if let Some(k) = canonical_key(json) {
            return Some(Ok(k));
        }
        Some(serde_json::from_str(json).map_err(|e| e.to_string()))
    }
}

/// A row key in exactly the form `to_cell` writes it (`{"k":"target","id":"…"}`: the tag
/// first, then the variant's fields in order, strings without escapes); `None` for any other
/// text, which serde_json then reads (or refuses) as before.
///
/// Kept by hand on purpose: a `#[derive(Deserialize)]` struct of borrowed optional fields
/// (`k`, `id`, `field`, `kind`, `position`) read by serde_json and then matched to `RowKey`
/// took twice as long a key (682 against 344 ns, medians of paired runs on the keys of a
/// sheet; serde_json's tagged `RowKey` 988 ns), and every key cell of every returned sheet
/// comes through here (`docs/perf-stream.md`, "Fifth pass").
fn canonical_key(json: &str) -> Option<RowKey> {
    let rest = json.strip_prefix("{\"k\":\"")?;
    let (tag, mut rest) = rest.split_once('"')?;
    // Up to two fields: (name, value, whether the value was a string).
    let mut fields: [(&str, &str, bool); 2] = [("", "", false); 2];
    let mut n = 0;
    while rest != "}" {
        if n == fields.len() {
            return None;
        }
        let (name, after) = rest.strip_prefix(",\"")?.split_once("\":")?;
        let (value, quoted, after) = match after.strip_prefix('"') {
            Some(s) => {
                let (v, after) = s.split_once('"')?;
                (v, true, after)
            }
            None => {
                let end = after.find([',', '}'])?;
                (&after[..end], false, &after[end..])
            }
        };
        if value.contains('\\') || name.contains('\\') {
            return None;
        }
        fields[n] = (name, value, quoted);
        n += 1;
        rest = after;
    }
    let id = |f: &[(&str, &str, bool)]| match f {
        [("id", v, true)] => Some(v.to_string()),
        _ => None,
    };
    let text = |f: &[(&str, &str, bool)]| match f {
        [("field", v, true)] => Some(v.to_string()),
        _ => None,
    };
    let unit = |f: &[(&str, &str, bool)], k: RowKey| f.is_empty().then_some(k);
    let f = &fields[..n];
    match tag {
        "project" => id(f).map(|id| RowKey::Project { id }),
        "policy" => id(f).map(|id| RowKey::Policy { id }),
        "measure" => id(f).map(|id| RowKey::Measure { id }),
        "task" => id(f).map(|id| RowKey::Task { id }),
        "unit" => id(f).map(|id| RowKey::Unit { id }),
        "target" => id(f).map(|id| RowKey::Target { id }),
        "actual" => id(f).map(|id| RowKey::Actual { id }),
        "footnote" => text(f).map(|field| RowKey::Footnote { field }),
        "cover" => text(f).map(|field| RowKey::Cover { field }),
        "code" => match f {
            // JSON has no leading zeros.
            [("position", v, false)] if *v == "0" || !v.starts_with('0') => v
                .bytes()
                .all(|b| b.is_ascii_digit())
                .then(|| v.parse().ok())
                .flatten()
                .map(|position| RowKey::Code { position }),
            _ => None,
        },
        "indicator" => match f {
            [("id", id, true), ("kind", kind, true)] => Some(RowKey::Indicator {
                id: id.to_string(),
                kind: from_name(kind)?,
            }),
            _ => None,
        },
        "progress" => match f {
            [("field", field, true)] => Some(RowKey::Progress {
                field: from_name(field)?,
            }),
            _ => None,
        },
        "header" => unit(f, RowKey::Header),
        "title" => unit(f, RowKey::Title),
        "owners" => unit(f, RowKey::Owners),
        "status" => unit(f, RowKey::Status),
        "flag" => unit(f, RowKey::Flag),
        "urgency" => unit(f, RowKey::Urgency),
        "importance" => unit(f, RowKey::Importance),
        "tags" => unit(f, RowKey::Tags),
        "issue" => unit(f, RowKey::Issue),
        "purpose" => unit(f, RowKey::Purpose),
        "summary" => unit(f, RowKey::Summary),
        "goal" => unit(f, RowKey::Goal),
        "effects" => unit(f, RowKey::Effects),
        "schedule_header" => unit(f, RowKey::ScheduleHeader),
        "indicator_header" => unit(f, RowKey::IndicatorHeader),
        "budget_header" => unit(f, RowKey::BudgetHeader),
        "planned" => unit(f, RowKey::Planned),
        "general" => unit(f, RowKey::General),
        "progress_header" => unit(f, RowKey::ProgressHeader),
        "footnote_header" => unit(f, RowKey::FootnoteHeader),
        _ => None,
    }
}

/// A unit enum (`IndicatorKind`, `ProgressField`) from its serde name.
fn from_name<'de, T: Deserialize<'de>>(name: &'de str) -> Option<T> {
    T::deserialize(serde::de::value::BorrowedStrDeserializer::<
        serde::de::value::Error,
    >::new(name))
    .ok()
}

/// Row labels of the project sheet.
pub mod label {
    pub(crate) const HEADER: &str = "項目";
    pub(crate) const TOTAL: &str = "合計";
    /// Label of the code row.
    pub const CODE: &str = "事業コード";
    /// Label of the policy row.
    pub const POLICY: &str = "基本方針";
    /// Label of the measure row.
    pub const MEASURE: &str = "施策";
    /// Label of the title row.
    pub const TITLE: &str = "取組名";
    pub(crate) const OWNERS: &str = "担当課";
    pub(crate) const STATUS: &str = "状態";
    pub(crate) const FLAG: &str = "重点";
    pub(crate) const URGENCY: &str = "緊急度（0～100）";
    pub(crate) const IMPORTANCE: &str = "重要度（0～100）";
    pub(crate) const TAGS: &str = "タグ（重点取組事項など）";
    pub(crate) const ISSUE: &str = "課題";
    pub(crate) const PURPOSE: &str = "目的";
    pub(crate) const SUMMARY: &str = "概要";
    /// The summary row's label before it was named 概要 like everywhere else: workbooks
    /// already sent out say 「内容」, and are read the same.
    pub(crate) const SUMMARY_OLD: &str = "内容";
    pub(crate) const GOAL: &str = "目指す姿／目標";
    pub(crate) const EFFECTS: &str = "期待される効果";
    pub(crate) const SCHEDULE: &str = "スケジュール";
    pub(crate) const CONFIRMED_HEADER: &str = "年度の確度";
    pub(crate) const INDICATORS: &str = "指標（KGI・KPI）";
    pub(crate) const UNIT: &str = "単位";
    pub(crate) const TARGET: &str = "目標";
    pub(crate) const ACTUAL: &str = "実績";
    pub(crate) const BUDGET: &str = "事業費";
    pub(crate) const PLANNED: &str = "年度経費（LCC）（千円）";
    pub(crate) const GENERAL: &str = "うち一般財源（千円）";
    pub(crate) const PROGRESS: &str = "進捗（年度ごと）";
    /// Reference rows under the progress: the previous year's 課題 and 改善策 (locked).
    pub const PREVIOUS_ISSUES: &str = "（参考）前年度の課題";
    pub(crate) const PREVIOUS_REMEDIES: &str = "（参考）前年度の改善策";
    pub(crate) const FOOTNOTES: &str = "注記（※印の説明）";
    /// The first row of an indicator block: its name beside it.
    pub const KGI_NAME: &str = "KGI（指標名）";
    pub(crate) const KPI_NAME: &str = "KPI（指標名）";
    /// The spare block, for an indicator added in Excel.
    pub const SPARE_INDICATOR: &str = "追加する指標（指標名）";
}

pub(crate) const CUMULATIVE: &str = "累計";
pub(crate) const CONFIRMED: &str = "確定";
pub(crate) const INFERRED: &str = "推定";

/// Texts a person may type in a schedule cell to mark a year without naming a phase.
pub const BAR_MARKS: [&str; 14] = [
    "●", "○", "◎", "■", "□", "◆", "◇", "→", "⇒", "━", "─", "―", "＝", "=",
];

pub(crate) fn is_bar_mark(text: &str) -> bool {
    let t = text.trim();
    !t.is_empty()
        && t.chars().all(|c| {
            BAR_MARKS.iter().any(|m| m.starts_with(c))
                || c == '-'
                || c == 'ー'
                || c == '－'
                || c == '>'
                || c == '＞'
        })
}

pub(crate) fn status_label(s: ProjectStatus) -> &'static str {
    match s {
        ProjectStatus::Active => "実施中",
        ProjectStatus::Proposed => "提案中",
        ProjectStatus::Ended => "終了",
    }
}

pub(crate) const STATUS_CHOICES: [&str; 3] = ["実施中", "提案中", "終了"];

pub(crate) fn parse_status(text: &str) -> Option<ProjectStatus> {
    match crate::parse::label::normalize_label(text).as_str() {
        "実施中" | "実施" | "継続" | "active" => Some(ProjectStatus::Active),
        "提案中" | "提案" | "新規提案" | "proposed" => Some(ProjectStatus::Proposed),
        "終了" | "完了" | "ended" => Some(ProjectStatus::Ended),
        _ => None,
    }
}

pub(crate) fn flag_label(f: PriorityFlag) -> &'static str {
    match f {
        PriorityFlag::None => "",
        PriorityFlag::Priority => "重点",
        PriorityFlag::TopPriority => "最重点",
    }
}

pub(crate) const FLAG_CHOICES: [&str; 3] = ["重点", "最重点", "－"];

pub(crate) fn parse_flag(text: &str) -> Option<PriorityFlag> {
    if crate::parse::value::is_empty_mark(text) {
        return Some(PriorityFlag::None);
    }
    match crate::parse::label::normalize_label(text).as_str() {
        "重点" | "重点取組" => Some(PriorityFlag::Priority),
        "最重点" => Some(PriorityFlag::TopPriority),
        "なし" | "無" | "none" => Some(PriorityFlag::None),
        _ => None,
    }
}

pub(crate) fn confirmed_label(c: bool) -> &'static str {
    if c {
        CONFIRMED
    } else {
        INFERRED
    }
}

/// 担当課: unit names joined with 「、」, then the note (「ほか」).
pub fn owners_text(units: &[OrgUnit], owners: &[Owner], note: &str) -> String {
    let mut s = owners
        .iter()
        .map(|o| {
            units
                .iter()
                .find(|u| u.id == o.unit_id)
                .map_or(o.unit_id.as_str(), |u| u.name.as_str())
        })
        .collect::<Vec<_>>()
        .join("、");
    s.push_str(note);
    s
}

pub(crate) const OWNER_SEPARATORS: [char; 5] = ['、', '，', ',', '､', '・'];

/// Endings of unit names (課, 室, 部, 局, 館, センター …): a name in 担当課 that ends so but is
/// no unit of the plan is reported, never taken for a note.
const UNIT_ENDINGS: [&str; 14] = [
    "課",
    "室",
    "部",
    "局",
    "館",
    "所",
    "センター",
    "係",
    "校",
    "園",
    "署",
    "班",
    "事務局",
    "本部",
];

/// Whether an unknown name in 担当課 reads as a unit (「未来創造課」), not a note (「ほか」).
pub fn looks_like_unit(name: &str) -> bool {
    let n = name.trim();
    n.chars().count() >= 2 && UNIT_ENDINGS.iter().any(|e| n.ends_with(e))
}

/// Reads 担当課 text back: known unit names (longest first) separated by 「、」 (or 「，」, 「,」),
/// the first one the lead; whatever follows the last unit is the note. Unknown names are kept
/// in the note, so nothing typed is lost.
pub fn parse_owners(units: &[OrgUnit], text: &str) -> (Vec<Owner>, String) {
    use crate::model::OwnerRole;
    let mut names: Vec<&OrgUnit> = units.iter().filter(|u| !u.name.is_empty()).collect();
    names.sort_by_key(|u| std::cmp::Reverse(u.name.len()));
    let mut owners: Vec<Owner> = Vec::new();
    let mut rest = text;
    loop {
        let mut candidate = rest;
        if !owners.is_empty() {
            let t = candidate.trim_start();
            match OWNER_SEPARATORS.iter().find_map(|s| t.strip_prefix(*s)) {
                Some(r) => candidate = r.trim_start(),
                None => break,
            }
        } else {
            candidate = candidate.trim_start();
        }
        let Some(u) = names
            .iter()
            .find(|u| candidate.starts_with(u.name.as_str()))
        else {
            break;
        };
        if owners.iter().any(|o| o.unit_id == u.id) {
            break;
        }
        let role = if owners.is_empty() {
            OwnerRole::Lead
        } else {
            OwnerRole::Co
        };
        owners.push(Owner {
            unit_id: u.id.clone(),
            role,
        });
        rest = &candidate[u.name.len()..];
    }
    (owners, rest.to_string())
}

/// 期待される効果: one bullet per line.
pub fn effects_text(effects: &[String]) -> String {
    effects
        .iter()
        .map(|e| format!("・{e}"))
        .collect::<Vec<_>>()
        .join("\n")
}

pub(crate) fn parse_effects(text: &str) -> Vec<String> {
    text.lines()
        .map(|l| l.trim())
        .filter(|l| !l.is_empty())
        .map(|l| {
            l.strip_prefix('・')
                .or_else(|| l.strip_prefix('･'))
                .or_else(|| l.strip_prefix('•'))
                .unwrap_or(l)
                .trim_start()
                .to_string()
        })
        .filter(|l| !l.is_empty())
        .collect()
}

pub(crate) fn tags_text(tags: &[String]) -> String {
    tags.join("、")
}

pub(crate) fn parse_tags(text: &str) -> Vec<String> {
    text.split(['、', '，', ',', '\n'])
        .map(str::trim)
        .filter(|t| !t.is_empty())
        .map(str::to_string)
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::OwnerRole;

    fn unit(id: &str, name: &str) -> OrgUnit {
        OrgUnit {
            id: id.into(),
            name: name.into(),
            parent_id: None,
            valid_from_fy: None,
            valid_to_fy: None,
        }
    }

    #[test]
    fn keys_round_trip() {
        for k in [
            RowKey::Project { id: "p1".into() },
            RowKey::Indicator {
                id: "i".into(),
                kind: IndicatorKind::KPI,
            },
            RowKey::Progress {
                field: ProgressField::Remedies,
            },
            RowKey::Footnote {
                field: "indicator:x".into(),
            },
        ] {
            assert_eq!(RowKey::from_cell(&k.to_cell()), Some(Ok(k)));
        }
        assert_eq!(RowKey::from_cell("目標"), None);
        assert!(matches!(RowKey::from_cell("dxplan:{"), Some(Err(_))));
    }

    fn every_key() -> Vec<RowKey> {
        let id = || "0f8c2a4e-1b2c-4d5e-8f90-abcdef012345".to_string();
        let mut keys = vec![
            RowKey::Project { id: id() },
            RowKey::Header,
            RowKey::Code { position: 0 },
            RowKey::Code {
                position: 4_000_000_000,
            },
            RowKey::Policy { id: id() },
            RowKey::Measure { id: id() },
            RowKey::Title,
            RowKey::Owners,
            RowKey::Status,
            RowKey::Flag,
            RowKey::Urgency,
            RowKey::Importance,
            RowKey::Tags,
            RowKey::Issue,
            RowKey::Purpose,
            RowKey::Summary,
            RowKey::Goal,
            RowKey::Effects,
            RowKey::ScheduleHeader,
            RowKey::Task { id: id() },
            RowKey::IndicatorHeader,
            RowKey::Indicator {
                id: id(),
                kind: IndicatorKind::KGI,
            },
            RowKey::Indicator {
                id: id(),
                kind: IndicatorKind::KPI,
            },
            RowKey::Unit { id: id() },
            RowKey::Target { id: id() },
            RowKey::Actual { id: id() },
            RowKey::BudgetHeader,
            RowKey::Planned,
            RowKey::General,
            RowKey::ProgressHeader,
            RowKey::FootnoteHeader,
            RowKey::Footnote {
                field: "budget/2025/planned".into(),
            },
            RowKey::Cover {
                field: "提出期限".into(),
            },
        ];
        keys.extend(ProgressField::ALL.map(|field| RowKey::Progress { field }));
        keys
    }

    #[test]
    fn every_key_as_written_is_read_without_serde_json() {
        for k in every_key() {
            let cell = k.to_cell();
            let json = cell.strip_prefix(KEY_PREFIX).unwrap();
            assert_eq!(canonical_key(json), Some(k.clone()), "{cell}");
            assert_eq!(RowKey::from_cell(&cell), Some(Ok(k)));
        }
    }

    #[test]
    fn keys_not_as_written_are_read_as_serde_json_reads_them() {
        let texts = [
            r#"{"k":"code","position":007}"#,
            r#"{"k":"code","position":-1}"#,
            r#"{"k":"code","position":99999999999}"#,
            r#"{"k":"code","position":"3"}"#,
            r#"{"k":"title","id":"x"}"#,
            r#"{"k":"project"}"#,
            r#"{"k":"project","id":"a\"b"}"#,
            r#"{"k":"project","id":"a\u0041"}"#,
            r#"{"k":"project","id":7}"#,
            r#"{"k":"project","id":"a","id":"b"}"#,
            r#"{"k":"project","name":"a"}"#,
            r#"{"id":"a","k":"project"}"#,
            r#"{ "k":"title"}"#,
            r#"{"k":"title"} "#,
            r#"{"k":"title"}}"#,
            r#"{"k":"indicator","kind":"KPI","id":"a"}"#,
            r#"{"k":"indicator","id":"a","kind":"KXI"}"#,
            r#"{"k":"progress","field":"nope"}"#,
            r#"{"k":"nope"}"#,
            r#"{"k":"Title"}"#,
            r#"{"k":"task","id":"a","extra":"b"}"#,
        ];
        for t in texts {
            let ours = canonical_key(t);
            let serde: Result<RowKey, _> = serde_json::from_str(t);
            if let Some(k) = ours {
                assert_eq!(serde.ok(), Some(k), "{t}");
            }
        }
        assert!(matches!(RowKey::from_cell("dxplan:{"), Some(Err(_))));
    }

    #[test]
    fn owners_round_trip_and_unknown_names_stay_in_the_note() {
        let units = vec![
            unit("a", "ICT推進課"),
            unit("b", "市民課"),
            unit("c", "市民課分室"),
        ];
        let owners = vec![
            Owner {
                unit_id: "a".into(),
                role: OwnerRole::Lead,
            },
            Owner {
                unit_id: "c".into(),
                role: OwnerRole::Co,
            },
        ];
        let text = owners_text(&units, &owners, "ほか");
        assert_eq!(text, "ICT推進課、市民課分室ほか");
        assert_eq!(parse_owners(&units, &text), (owners.clone(), "ほか".into()));
        let (o, note) = parse_owners(&units, "ICT推進課，新設課");
        assert_eq!(o.len(), 1);
        assert_eq!(note, "，新設課");
        assert_eq!(parse_owners(&units, "未定"), (vec![], "未定".into()));
    }

    #[test]
    fn effects_and_tags() {
        let e = vec!["利便性向上".to_string(), "負担軽減".to_string()];
        assert_eq!(parse_effects(&effects_text(&e)), e);
        assert_eq!(
            parse_tags("重点取組事項①、 重点取組事項③"),
            vec!["重点取組事項①", "重点取組事項③"]
        );
        assert!(is_bar_mark("→"));
        assert!(is_bar_mark("━━→"));
        assert!(!is_bar_mark("検討"));
    }
}
