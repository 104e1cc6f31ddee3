//! Labels drift between sheets (「数値目標（KGI）」 vs 「数値目標 (KGI)」, 「目指す姿/目標」 vs
//! 「目指す姿／目標」): they are compared after NFKC and with all whitespace removed.

use unicode_normalization::{is_nfkc_quick, IsNormalized, UnicodeNormalization};

/// NFKC, whitespace removed, ASCII letters lower-cased. For comparing, never for display.
pub fn normalize_label(s: &str) -> String {
    // The quick check is far cheaper than normalising, and most cells are already NFKC.
    if is_nfkc_quick(s.chars()) == IsNormalized::Yes {
        return s.chars().filter(|c| !c.is_whitespace()).map(|c| c.to_ascii_lowercase()).collect();
    }
    s.nfkc().filter(|c| !c.is_whitespace()).map(|c| c.to_ascii_lowercase()).collect()
}

/// NFKC with runs of whitespace kept as one space and the ends trimmed: for values whose
/// spacing carries no meaning but whose words must stay apart.
pub fn normalize_spacing(s: &str) -> String {
    let n: String = s.nfkc().collect();
    n.split_whitespace().collect::<Vec<_>>().join(" ")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn label_variants_match() {
        assert_eq!(normalize_label("数値目標（KGI）"), normalize_label("数値目標 (KGI)"));
        assert_eq!(normalize_label("目指す姿/目標"), normalize_label("目指す姿／目標"));
        assert_eq!(normalize_label(" 年度経費 （LCC）（千円）"), normalize_label("年度経費(LCC)(千円)"));
        assert_eq!(normalize_label("取　組　名"), "取組名");
        assert_ne!(normalize_label("目標"), normalize_label("実績"));
    }

    #[test]
    fn spacing_is_collapsed_not_removed() {
        assert_eq!(normalize_spacing("  令和　7年度  実績 "), "令和 7年度 実績");
    }
}
