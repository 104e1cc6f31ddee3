//! The scale a plan grades progress on: the words of 状況 (status) and 評価 (evaluation) a
//! department picks from a drop-down in its workbook. Cities differ (順調 / 概ね順調 / 遅れ …,
//! A–D or ◎○△×), so the plan defines its own; the default is the common one.

use serde::{Deserialize, Serialize};

use crate::parse::label::normalize_label;

pub const DEFAULT_STATUS: [&str; 5] = ["順調", "概ね順調", "遅れ", "未着手", "完了"];
pub const DEFAULT_EVALUATION: [&str; 4] = ["A", "B", "C", "D"];

/// Characters of a drop-down's choices joined with commas: Excel allows 255 in a list
/// validation and its error message; this leaves room for the message's own words.
pub const MAX_LIST_CHARS: usize = 200;
pub const MAX_CHOICES: usize = 20;

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ProgressScale {
    /// 状況, in the order offered.
    pub status: Vec<String>,
    /// 評価, in the order offered.
    pub evaluation: Vec<String>,
}

impl Default for ProgressScale {
    fn default() -> Self {
        ProgressScale {
            status: DEFAULT_STATUS.iter().map(|s| s.to_string()).collect(),
            evaluation: DEFAULT_EVALUATION.iter().map(|s| s.to_string()).collect(),
        }
    }
}

/// Choices as given (「順調, 概ね順調,遅れ」 or 「順調、遅れ」), trimmed.
pub fn parse_choices(text: &str) -> Vec<String> {
    text.split([',', '、', '，'])
        .map(|s| s.trim().to_string())
        .filter(|s| !s.is_empty())
        .collect()
}

/// Why a list of choices cannot be a drop-down. Japanese, then English.
pub fn check_choices(what: &str, choices: &[String]) -> Result<(), String> {
    if choices.is_empty() {
        return Err(format!(
            "{what}の選択肢がありません / no choices for {what}"
        ));
    }
    if choices.len() > MAX_CHOICES {
        return Err(format!(
            "{what}の選択肢は {MAX_CHOICES} 個までです / at most {MAX_CHOICES} choices"
        ));
    }
    let mut seen = std::collections::HashSet::new();
    for c in choices {
        if c.trim().is_empty() || c.contains([',', '"']) || c.chars().any(char::is_control) {
            return Err(format!(
                "{what}の選択肢「{c}」に使えない文字（, \" 改行）があります / choice {c:?} holds a comma, quote or control character"
            ));
        }
        if !seen.insert(normalize_label(c)) {
            return Err(format!(
                "{what}の選択肢「{c}」が重複しています / choice {c:?} is given twice"
            ));
        }
    }
    let joined: usize = choices.iter().map(|c| c.encode_utf16().count() + 1).sum();
    if joined > MAX_LIST_CHARS {
        return Err(format!(
            "{what}の選択肢が長すぎます（合計 {MAX_LIST_CHARS} 文字まで） / the choices are too long for an Excel drop-down ({MAX_LIST_CHARS} characters in all)"
        ));
    }
    Ok(())
}

impl ProgressScale {
    pub fn check(&self) -> Result<(), String> {
        check_choices("状況", &self.status)?;
        check_choices("評価", &self.evaluation)
    }

    /// The position of a status on the scale (after NFKC and whitespace removal).
    pub fn status_index(&self, text: &str) -> Option<usize> {
        let n = normalize_label(text);
        self.status.iter().position(|s| normalize_label(s) == n)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn choices_are_checked_for_excel() {
        assert!(ProgressScale::default().check().is_ok());
        assert_eq!(
            parse_choices("順調、 遅れ,,完了 "),
            ["順調", "遅れ", "完了"]
        );
        assert!(check_choices("状況", &[]).is_err());
        assert!(check_choices("状況", &["a,b".into()]).is_err());
        assert!(check_choices("状況", &["Ａ".into(), "A".into()]).is_err());
        assert!(check_choices("状況", &["あ".repeat(MAX_LIST_CHARS)]).is_err());
        let s = ProgressScale::default();
        assert_eq!(s.status_index(" 概ね 順調"), Some(1));
        assert_eq!(s.status_index("やや遅れ"), None);
    }
}
