//! What a write transaction is (its kind and source), recorded with every change.

use serde::{Deserialize, Serialize};

/// What kind of work a write transaction is; recorded with every change for history and undo.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(rename_all = "snake_case")]
pub enum OpKind {
    /// A new plan.
    Create,
    /// The bundled sample.
    Sample,
    /// A synthetic plan.
    Generate,
    /// An edit in the app.
    LocalEdit,
    /// An import.
    Import,
    /// A merge.
    Merge,
    /// A conflict resolved.
    Resolve,
    /// An undo.
    Undo,
    /// A named version recorded (版).
    Version,
    /// The period extended, or the next plan started from this one.
    Rollover,
    /// A plan setting changed.
    Settings,
    /// An April reorganisation (`dxplan reorg`): units renamed, merged, split; owners moved.
    Reorg,
    /// DX推進員 of units (`dxplan roster`).
    Roster,
    /// Roll-up indicator links (`dxplan rollup`).
    Rollup,
    /// A 照会 round started (`dxplan round start`).
    Round,
}

impl OpKind {
    /// Every kind.
    pub const ALL: [OpKind; 15] = [
        OpKind::Create,
        OpKind::Sample,
        OpKind::Generate,
        OpKind::LocalEdit,
        OpKind::Import,
        OpKind::Merge,
        OpKind::Resolve,
        OpKind::Undo,
        OpKind::Version,
        OpKind::Rollover,
        OpKind::Settings,
        OpKind::Reorg,
        OpKind::Roster,
        OpKind::Rollup,
        OpKind::Round,
    ];

    /// The name the change log records (`local_edit`).
    pub fn as_str(self) -> &'static str {
        match self {
            OpKind::Create => "create",
            OpKind::Sample => "sample",
            OpKind::Generate => "generate",
            OpKind::LocalEdit => "local_edit",
            OpKind::Import => "import",
            OpKind::Merge => "merge",
            OpKind::Resolve => "resolve",
            OpKind::Undo => "undo",
            OpKind::Version => "version",
            OpKind::Rollover => "rollover",
            OpKind::Settings => "settings",
            OpKind::Reorg => "reorg",
            OpKind::Roster => "roster",
            OpKind::Rollup => "rollup",
            OpKind::Round => "round",
        }
    }

    /// What people call it in the history (「編集」, 「統合」).
    pub fn label(self) -> &'static str {
        match self {
            OpKind::Create => "作成",
            OpKind::Sample => "サンプル作成",
            OpKind::Generate => "生成",
            OpKind::LocalEdit => "編集",
            OpKind::Import => "取込",
            OpKind::Merge => "統合",
            OpKind::Resolve => "修正が重なった項目の解決",
            OpKind::Undo => "取消",
            OpKind::Version => "版の記録",
            OpKind::Rollover => "期間の延長・次期計画",
            OpKind::Settings => "設定",
            OpKind::Reorg => "組織改正",
            OpKind::Roster => "DX推進員名簿",
            OpKind::Rollup => "集計指標",
            OpKind::Round => "照会",
        }
    }
}

/// What a write is, for the change log.
#[derive(Debug, Clone)]
pub struct OpInfo {
    /// What kind of operation.
    pub kind: OpKind,
    /// File or submission the changes came from.
    pub source: String,
    /// The department it came from, if any.
    pub department: String,
    /// A line saying what it did.
    pub summary: String,
}

impl OpInfo {
    /// An operation of this kind.
    pub fn new(kind: OpKind) -> Self {
        OpInfo {
            kind,
            source: String::new(),
            department: String::new(),
            summary: String::new(),
        }
    }
    /// The file or program it came from.
    pub fn source(mut self, s: impl Into<String>) -> Self {
        self.source = s.into();
        self
    }
}

#[cfg(test)]
mod tests {
    use super::OpKind;

    #[test]
    fn op_kind_names_are_the_ones_recorded() {
        for k in OpKind::ALL {
            assert_eq!(serde_json::to_value(k).unwrap(), k.as_str(), "{k:?}");
            assert!(!k.label().is_empty());
        }
    }
}
