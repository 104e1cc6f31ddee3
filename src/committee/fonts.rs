//! Fonts of the report: the system's Japanese fonts where present (Yu Gothic and Meiryo on
//! Windows, Hiragino on macOS, Noto CJK on Linux), then the bundled IPAexGothic (IPA Font
//! License, assets/fonts/) so a report never lacks a glyph. Only the known files are read, no
//! folder is scanned: a machine's font folder can hold thousands of files.

use std::path::PathBuf;
use std::sync::{Arc, OnceLock};

use typst::foundations::Bytes;
use typst::text::{Font, FontBook, FontInfo};
use typst::utils::LazyHash;

/// IPAexGothic 004.01 (assets/fonts/README.md).
static BUNDLED: &[u8] = include_bytes!("../../assets/fonts/ipaexg.ttf");
pub const BUNDLED_FAMILY: &str = "IPAexGothic";

/// Families in the order the report prefers them; each that is found is used before the next.
const PREFERRED: [&str; 6] = [
    "Yu Gothic",
    "Meiryo",
    "Hiragino Sans",
    "Noto Sans CJK JP",
    "Noto Sans JP",
    BUNDLED_FAMILY,
];

/// Font files by platform, relative to the platform's font folders.
#[cfg(windows)]
const FILES: &[&str] = &["YuGothR.ttc", "YuGothB.ttc", "meiryo.ttc", "meiryob.ttc"];
#[cfg(target_os = "macos")]
const FILES: &[&str] = &["ヒラギノ角ゴシック W3.ttc", "ヒラギノ角ゴシック W6.ttc"];
#[cfg(not(any(windows, target_os = "macos")))]
const FILES: &[&str] = &[
    // Debian, Ubuntu (fonts-noto-cjk).
    "opentype/noto/NotoSansCJK-Regular.ttc",
    "opentype/noto/NotoSansCJK-Bold.ttc",
    // Fedora (google-noto-sans-cjk-fonts).
    "google-noto-sans-cjk-fonts/NotoSansCJK-Regular.ttc",
    "google-noto-sans-cjk-fonts/NotoSansCJK-Bold.ttc",
    // Arch (noto-fonts-cjk).
    "noto-cjk/NotoSansCJK-Regular.ttc",
    "noto-cjk/NotoSansCJK-Bold.ttc",
];

fn folders() -> Vec<PathBuf> {
    let mut dirs = Vec::new();
    if cfg!(windows) {
        if let Some(w) = std::env::var_os("WINDIR") {
            dirs.push(PathBuf::from(w).join("Fonts"));
        }
        if let Some(l) = std::env::var_os("LOCALAPPDATA") {
            dirs.push(PathBuf::from(l).join("Microsoft\\Windows\\Fonts"));
        }
    } else if cfg!(target_os = "macos") {
        dirs.push(PathBuf::from("/System/Library/Fonts"));
        dirs.push(PathBuf::from("/Library/Fonts"));
    } else {
        dirs.push(PathBuf::from("/usr/share/fonts"));
        dirs.push(PathBuf::from("/usr/local/share/fonts"));
    }
    dirs
}

/// A face of a font file, parsed when the layout first asks for it.
struct Slot {
    data: Bytes,
    index: u32,
    font: OnceLock<Option<Font>>,
}

/// The fonts a report is set in.
pub struct FontSet {
    pub book: LazyHash<FontBook>,
    slots: Vec<Slot>,
    /// The families found, in order of preference (the bundled one last).
    pub families: Vec<String>,
}

impl FontSet {
    pub fn font(&self, index: usize) -> Option<Font> {
        let slot = self.slots.get(index)?;
        slot.font
            .get_or_init(|| Font::new(slot.data.clone(), slot.index))
            .clone()
    }

    fn load(system: bool) -> FontSet {
        let mut book = FontBook::new();
        let mut slots = Vec::new();
        let mut add = |data: Bytes| {
            // Every face of a collection (.ttc), by its index in the file.
            let mut index = 0;
            while let Some(info) = FontInfo::new(&data, index) {
                book.push(info);
                slots.push(Slot {
                    data: data.clone(),
                    index,
                    font: OnceLock::new(),
                });
                index += 1;
            }
        };
        if system {
            for dir in folders() {
                for file in FILES {
                    // A file that cannot be read is one font fewer, never an error: the
                    // bundled font covers every glyph the report needs.
                    if let Ok(bytes) = std::fs::read(dir.join(file)) {
                        add(Bytes::new(bytes));
                    }
                }
            }
        }
        add(Bytes::new(BUNDLED));
        let families = PREFERRED
            .iter()
            .filter(|f| book.contains_family(&f.to_lowercase()))
            .map(|f| f.to_string())
            .collect();
        FontSet {
            book: LazyHash::new(book),
            slots,
            families,
        }
    }

    /// The process's fonts, read once (the app makes several reports).
    pub fn shared(system: bool) -> Arc<FontSet> {
        static WITH_SYSTEM: OnceLock<Arc<FontSet>> = OnceLock::new();
        static BUNDLED_ONLY: OnceLock<Arc<FontSet>> = OnceLock::new();
        let cell = if system { &WITH_SYSTEM } else { &BUNDLED_ONLY };
        cell.get_or_init(|| Arc::new(FontSet::load(system))).clone()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_bundled_font_is_always_there() {
        let set = FontSet::shared(false);
        assert_eq!(set.families, vec![BUNDLED_FAMILY.to_string()]);
        let font = set.font(0).expect("IPAexGothic parses");
        // 「報告書」 and a full-width digit have glyphs.
        for c in ['報', '告', '書', '１', 'Ⅱ', '①'] {
            assert!(font.ttf().glyph_index(c).is_some(), "{c}");
        }
    }
}
