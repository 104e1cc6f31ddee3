use serde::{Deserialize, Serialize};

/// A value as written in a sheet, with what it means when that can be read.
/// `text` is always kept verbatim so nothing a user typed is lost; the parsed
/// parts are derived from it by `parse::value::parse_value`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct Value {
    /// The original text, trimmed of surrounding whitespace only.
    pub text: String,
    /// The number, when the text holds one (「40 手続」 → 40, 「72.5%」 → 72.5).
    pub number: Option<f64>,
    /// The unit after the number (「手続」, 「%」, 「時間/年」), NFKC-normalised.
    pub unit: Option<String>,
    /// The denominator of 「150手続／800手続」 → 800.
    pub denominator: Option<f64>,
    /// A qualifier after the unit that changes its meaning (「30%減」 → 「減」).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub qualifier: Option<String>,
    /// Footnote markers written inside the value (「1 業務 ※2」 → ["※2"]).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub markers: Vec<String>,
}

impl Value {
    /// A value that is only text (no number could be read).
    pub fn text_only(text: impl Into<String>) -> Self {
        Value {
            text: text.into(),
            number: None,
            unit: None,
            denominator: None,
            qualifier: None,
            markers: Vec::new(),
        }
    }
}
