//! Which characters of an old and a new text changed: the parts a 新旧対照表 underlines.

use serde::{Deserialize, Serialize};
use similar::{Algorithm, ChangeTag, TextDiff};

/// A run of characters of one side, changed or kept.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct Segment {
    /// Text as written.
    pub text: String,
    /// Whether this part changed.
    pub changed: bool,
}

/// Longest kept run that is still marked when it sits between two changes: 「の」 or 「、」
/// left unmarked inside a rewritten phrase makes it harder to read, not easier.
const ISLAND: usize = 1;

/// The old and the new text cut into kept and changed runs (a character-level diff).
pub fn segments(old: &str, new: &str) -> (Vec<Segment>, Vec<Segment>) {
    let diff = TextDiff::configure()
        .algorithm(Algorithm::Myers)
        // Beyond this the diff is coarser but still correct; a cell is never worth more.
        .timeout(std::time::Duration::from_millis(200))
        .diff_chars(old, new);
    // Runs of (tag, text), consecutive characters of one tag joined.
    let mut runs: Vec<(ChangeTag, String)> = Vec::new();
    for c in diff.iter_all_changes() {
        match runs.last_mut() {
            Some((t, s)) if *t == c.tag() => s.push_str(c.value()),
            _ => runs.push((c.tag(), c.value().to_string())),
        }
    }
    let n = runs.len();
    let mut old_side = Vec::new();
    let mut new_side = Vec::new();
    for (i, (tag, text)) in runs.iter().enumerate() {
        match tag {
            ChangeTag::Equal => {
                let island = i > 0 && i + 1 < n && text.chars().count() <= ISLAND;
                push(&mut old_side, text, island);
                push(&mut new_side, text, island);
            }
            ChangeTag::Delete => push(&mut old_side, text, true),
            ChangeTag::Insert => push(&mut new_side, text, true),
        }
    }
    (old_side, new_side)
}

fn push(side: &mut Vec<Segment>, text: &str, changed: bool) {
    match side.last_mut() {
        Some(s) if s.changed == changed => s.text.push_str(text),
        _ => side.push(Segment {
            text: text.to_string(),
            changed,
        }),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn marked(side: &[Segment]) -> String {
        side.iter()
            .map(|s| {
                if s.changed {
                    format!("[{}]", s.text)
                } else {
                    s.text.clone()
                }
            })
            .collect()
    }

    #[test]
    fn changed_characters_are_marked_on_each_side() {
        let (o, n) = segments("150手続／800手続", "180手続／800手続");
        assert_eq!(marked(&o), "1[5]0手続／800手続");
        assert_eq!(marked(&n), "1[8]0手続／800手続");
        let (o, n) = segments("参加率", "参加施設数");
        assert_eq!(marked(&o), "参加[率]");
        assert_eq!(marked(&n), "参加[施設数]");
        // A one-character island between changes is marked with them.
        let (o, n) = segments("電子申請の拡大", "窓口の縮小");
        assert_eq!(marked(&o), "[電子申請の拡大]");
        assert_eq!(marked(&n), "[窓口の縮小]");
        let (o, n) = segments("", "追加");
        assert!(o.is_empty());
        assert_eq!(marked(&n), "[追加]");
        // Every character of both texts is kept, in order.
        let (o, n) = segments("令和4年度に検討", "令和5年度に構築");
        assert_eq!(
            o.iter().map(|s| s.text.as_str()).collect::<String>(),
            "令和4年度に検討"
        );
        assert_eq!(
            n.iter().map(|s| s.text.as_str()).collect::<String>(),
            "令和5年度に構築"
        );
    }
}
