//! Labels drift between sheets (「数値目標（KGI）」 vs 「数値目標 (KGI)」, 「目指す姿/目標」 vs
//! 「目指す姿／目標」): they are compared after NFKC and with all whitespace removed.

use unicode_normalization::{is_nfkc_quick, IsNormalized, UnicodeNormalization};
use unicode_properties::{GeneralCategory, UnicodeGeneralCategory};

/// A Unicode format character (general category Cf): zero-width space and joiners
/// (U+200B–U+200D), word joiner (U+2060), BOM (U+FEFF), bidi embeddings and overrides
/// (U+202A–U+202E) and isolates (U+2066–U+2069), soft hyphen, and the rest of Cf. Invisible, so a
/// name holding one looks like another name ( 「情報政策課」 + U+200B is a second unit).
pub fn is_format_char(c: char) -> bool {
    // Cheap for the common case: no ASCII or CJK character is Cf.
    !c.is_ascii() && c.general_category() == GeneralCategory::Format
}

/// A name or key with its format characters removed, and whether there were any. Only for
/// names and keys (units, titles, labels); free text keeps what was typed.
pub fn strip_format_chars(s: &str) -> Option<String> {
    s.chars()
        .any(is_format_char)
        .then(|| s.chars().filter(|c| !is_format_char(*c)).collect())
}

/// `U+200B U+202E`: the format characters of a text, for a report.
pub fn format_chars_listed(s: &str) -> String {
    let mut seen: Vec<char> = Vec::new();
    for c in s.chars().filter(|c| is_format_char(*c)) {
        if !seen.contains(&c) {
            seen.push(c);
        }
    }
    seen.iter()
        .map(|c| format!("U+{:04X}", *c as u32))
        .collect::<Vec<_>>()
        .join(" ")
}

/// NFKC, whitespace and format characters (`is_format_char`) removed, ASCII letters
/// lower-cased. For comparing, never for display.
pub fn normalize_label(s: &str) -> String {
    if let Some(fast) = normalize_common(s) {
        return fast;
    }
    // The quick check is far cheaper than normalising, and most cells are already NFKC.
    if is_nfkc_quick(s.chars()) == IsNormalized::Yes {
        return s
            .chars()
            .filter(|c| !c.is_whitespace() && !is_format_char(*c))
            .map(|c| c.to_ascii_lowercase())
            .collect();
    }
    s.nfkc()
        .filter(|c| !c.is_whitespace() && !is_format_char(*c))
        .map(|c| c.to_ascii_lowercase())
        .collect()
}

/// `normalize_label` of a text made only of characters whose NFKC is known without tables:
/// ASCII, full-width ASCII (NFKC maps U+FF01–FF5E to U+0021–007E), the ideographic space, and
/// kana, kanji and punctuation that NFKC leaves alone. None of these composes with its
/// neighbour (only combining marks do, and they are not in the list), so each maps on its own.
/// Japanese labels are almost all of this kind; anything else returns None and goes through
/// the library.
fn normalize_common(s: &str) -> Option<String> {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            c if c.is_ascii() => {
                if !c.is_whitespace() {
                    out.push(c.to_ascii_lowercase());
                }
            }
            '\u{3000}' => {}
            '\u{FF01}'..='\u{FF5E}' => {
                out.push(char::from_u32(c as u32 - 0xFEE0)?.to_ascii_lowercase())
            }
            c if is_nfkc_stable(c) => out.push(c),
            _ => return None,
        }
    }
    Some(out)
}

/// Starters without a compatibility mapping that never compose with what precedes them.
fn is_nfkc_stable(c: char) -> bool {
    matches!(c,
        '\u{3001}'..='\u{3003}' | '\u{3005}'..='\u{3007}' | '\u{3008}'..='\u{3011}' | '\u{3014}'..='\u{301B}' | '\u{301C}'
        | '\u{3041}'..='\u{3096}' | '\u{309D}'..='\u{309E}' | '\u{30A1}'..='\u{30FA}' | '\u{30FB}'..='\u{30FE}'
        | '\u{4E00}'..='\u{9FFF}')
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
        assert_eq!(
            normalize_label("数値目標（KGI）"),
            normalize_label("数値目標 (KGI)")
        );
        assert_eq!(
            normalize_label("目指す姿/目標"),
            normalize_label("目指す姿／目標")
        );
        assert_eq!(
            normalize_label(" 年度経費 （LCC）（千円）"),
            normalize_label("年度経費(LCC)(千円)")
        );
        assert_eq!(normalize_label("取　組　名"), "取組名");
        assert_ne!(normalize_label("目標"), normalize_label("実績"));
    }

    /// The table-free path gives what the library gives, for every character it takes.
    #[test]
    fn common_path_agrees_with_the_library() {
        let library = |s: &str| -> String {
            s.nfkc()
                .filter(|c| !c.is_whitespace())
                .map(|c| c.to_ascii_lowercase())
                .collect()
        };
        let mut taken = 0;
        for cp in (0u32..0x3000).chain(0x3000..0xA000).chain(0xFF00..0xFF70) {
            let Some(c) = char::from_u32(cp) else {
                continue;
            };
            let s = format!("a{c}ア{c}");
            if let Some(fast) = normalize_common(&s) {
                assert_eq!(fast, library(&s), "U+{cp:04X}");
                taken += 1;
            }
        }
        assert!(taken > 20_000, "{taken}");
        for s in [
            "数値目標（ＫＧＩ）",
            "R５目標",
            "令和５年度　事業費（千円）",
            "ガイド",
            "ｶﾞｲﾄﾞ",
            "①",
            "か\u{3099}",
        ] {
            assert_eq!(normalize_label(s), library(s), "{s}");
        }
    }

    #[test]
    fn invisible_characters_are_not_part_of_a_name() {
        for c in [
            '\u{200B}', '\u{200C}', '\u{200D}', '\u{2060}', '\u{FEFF}', '\u{202A}', '\u{202E}',
            '\u{2066}', '\u{2069}', '\u{00AD}',
        ] {
            assert!(is_format_char(c), "U+{:04X}", c as u32);
            let name = format!("情報{c}政策課");
            assert_eq!(strip_format_chars(&name).as_deref(), Some("情報政策課"));
            assert_eq!(normalize_label(&name), normalize_label("情報政策課"));
        }
        for c in ['あ', 'A', ' ', '\u{3000}', '課', '①', '\u{3099}'] {
            assert!(!is_format_char(c));
        }
        assert_eq!(strip_format_chars("情報政策課"), None);
        assert_eq!(
            format_chars_listed("a\u{200B}b\u{202E}\u{200B}"),
            "U+200B U+202E"
        );
    }

    #[test]
    fn spacing_is_collapsed_not_removed() {
        assert_eq!(normalize_spacing("  令和　7年度  実績 "), "令和 7年度 実績");
    }
}
