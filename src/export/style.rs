//! Formats, column widths and row heights of exported sheets. Japanese municipal workbooks
//! are set in ＭＳ Ｐゴシック 11; LibreOffice substitutes a CJK font of its own. Row heights
//! are computed from the text (Excel does not grow rows of merged cells by itself), with room
//! for the taller line spacing of Noto Sans CJK, so nothing is cut in either program.

use rust_xlsxwriter::{Color, Format, FormatAlign, FormatBorder, Workbook, XlsxError};

pub const FONT: &str = "ＭＳ Ｐゴシック";
pub const FONT_SIZE: f64 = 11.0;
/// Default row height (px) and column width (px) that go with the font.
pub const DEFAULT_ROW_PX: u32 = 18;
pub const DEFAULT_COL_PX: u32 = 72;

pub const LABEL_COL_WIDTH: f64 = 26.0;
pub const YEAR_COL_WIDTH: f64 = 19.0;
pub const TOTAL_COL_WIDTH: f64 = 13.0;

/// Points per wrapped line, and padding.
const LINE_PT: f64 = 16.0;
const PAD_PT: f64 = 4.0;
/// A full-width character is about two digit widths wide.
const WIDE: f64 = 2.0;

const LABEL_BG: u32 = 0xDDEBF7;
const SECTION_BG: u32 = 0xBDD7EE;
const HEADER_BG: u32 = 0x1F4E78;
const LOCKED_BG: u32 = 0xF2F2F2;
const BAR_BG: u32 = 0x9BC2E6;

pub fn base() -> Format {
    Format::new()
        .set_font_name(FONT)
        .set_font_size(FONT_SIZE)
        .set_font_charset(128)
        .set_align(FormatAlign::VerticalCenter)
}

/// Sets the workbook's default font before any sheet is added.
pub fn set_workbook_default(wb: &mut Workbook) -> Result<(), XlsxError> {
    wb.set_default_format(&base(), DEFAULT_ROW_PX, DEFAULT_COL_PX)?;
    Ok(())
}

/// Every format the sheets use, built once per workbook.
pub struct Styles {
    pub title: Format,
    pub subtitle: Format,
    pub header: Format,
    pub label: Format,
    pub section: Format,
    /// Derived text shown, not edited (コード, 基本方針, 施策).
    pub locked_text: Format,
    pub locked_blank: Format,
    /// Text the department edits; stays text whatever is typed (= + - @ included).
    pub input_text: Format,
    pub input_center: Format,
    pub input_int: Format,
    pub input_money: Format,
    pub total_money: Format,
    /// A value computed by dxplan (a roll-up indicator's sums): locked, shown as text.
    pub computed: Format,
    /// A year of a schedule task: filled, editable.
    pub bar: Format,
    pub key: Format,
    pub note: Format,
    // Summary sheets (master): locked display.
    pub cell: Format,
    pub cell_wrap: Format,
    pub cell_center: Format,
    pub money: Format,
    pub money_bold: Format,
    pub number: Format,
    pub percent: Format,
    pub bar_display: Format,
    pub link: Format,
}

impl Styles {
    /// Every format, once (a field added to `Styles` must be added here: the destructuring
    /// has no `..`).
    pub fn all(&self) -> Vec<&Format> {
        let Styles {
            title,
            subtitle,
            header,
            label,
            section,
            locked_text,
            locked_blank,
            input_text,
            input_center,
            input_int,
            input_money,
            total_money,
            computed,
            bar,
            key,
            note,
            cell,
            cell_wrap,
            cell_center,
            money,
            money_bold,
            number,
            percent,
            bar_display,
            link,
        } = self;
        vec![
            title,
            subtitle,
            header,
            label,
            section,
            locked_text,
            locked_blank,
            input_text,
            input_center,
            input_int,
            input_money,
            total_money,
            computed,
            bar,
            key,
            note,
            cell,
            cell_wrap,
            cell_center,
            money,
            money_bold,
            number,
            percent,
            bar_display,
            link,
        ]
    }

    pub fn new() -> Styles {
        let b = base();
        let bordered = b
            .clone()
            .set_border(FormatBorder::Thin)
            .set_border_color(Color::RGB(0x8EA9C1));
        // Input cells have no fill: a fill is what marks a schedule year.
        let input = bordered.clone().set_unlocked();
        let locked = bordered.clone().set_background_color(Color::RGB(LOCKED_BG));
        Styles {
            title: b.clone().set_font_size(14.0).set_bold().set_text_wrap(),
            subtitle: b.clone().set_font_size(12.0).set_bold(),
            header: bordered
                .clone()
                .set_bold()
                .set_font_color(Color::White)
                .set_background_color(Color::RGB(HEADER_BG))
                .set_align(FormatAlign::Center)
                .set_text_wrap(),
            label: bordered
                .clone()
                .set_bold()
                .set_background_color(Color::RGB(LABEL_BG))
                .set_text_wrap(),
            section: bordered
                .clone()
                .set_bold()
                .set_background_color(Color::RGB(SECTION_BG)),
            locked_text: locked.clone().set_text_wrap().set_align(FormatAlign::Top),
            locked_blank: locked.clone(),
            input_text: input
                .clone()
                .set_num_format("@")
                .set_text_wrap()
                .set_align(FormatAlign::Top),
            input_center: input
                .clone()
                .set_num_format("@")
                .set_text_wrap()
                .set_align(FormatAlign::Center),
            input_int: input
                .clone()
                .set_num_format("0")
                .set_align(FormatAlign::Center),
            input_money: input.clone().set_num_format("#,##0"),
            total_money: locked.clone().set_num_format("#,##0").set_bold(),
            computed: locked
                .clone()
                .set_num_format("@")
                .set_text_wrap()
                .set_align(FormatAlign::Center),
            bar: input
                .clone()
                .set_num_format("@")
                .set_background_color(Color::RGB(BAR_BG))
                .set_align(FormatAlign::Center)
                .set_text_wrap(),
            key: b.clone().set_font_size(8.0).set_font_color(Color::Gray),
            note: b.clone().set_text_wrap().set_align(FormatAlign::Top),
            cell: bordered.clone(),
            cell_wrap: bordered.clone().set_text_wrap().set_align(FormatAlign::Top),
            cell_center: bordered.clone().set_align(FormatAlign::Center),
            money: bordered.clone().set_num_format("#,##0"),
            money_bold: bordered
                .clone()
                .set_num_format("#,##0")
                .set_bold()
                .set_background_color(Color::RGB(LABEL_BG)),
            number: bordered.clone().set_num_format("#,##0.##"),
            percent: bordered.clone().set_num_format("0.0%"),
            bar_display: bordered
                .clone()
                .set_background_color(Color::RGB(BAR_BG))
                .set_align(FormatAlign::Center)
                .set_text_wrap(),
            link: b
                .clone()
                .set_font_color(Color::Blue)
                .set_underline(rust_xlsxwriter::FormatUnderline::Single),
        }
    }
}

impl Default for Styles {
    fn default() -> Self {
        Self::new()
    }
}

/// Width of a text in digit widths: full-width characters count two.
pub fn display_width(s: &str) -> f64 {
    s.chars()
        .map(|c| {
            if c.is_ascii() || ('\u{FF61}'..='\u{FF9F}').contains(&c) {
                1.0
            } else {
                WIDE
            }
        })
        .sum()
}

/// Lines a text takes in a cell `width` digit widths wide, wrapping.
pub fn wrapped_lines(text: &str, width: f64) -> u32 {
    let usable = (width - 1.5).max(2.0);
    text.split('\n')
        .map(|para| ((display_width(para) / usable).ceil() as u32).max(1))
        .sum()
}

/// Row height (points) for texts wrapped in cells of the given widths.
pub fn row_height(cells: &[(&str, f64)]) -> f64 {
    let lines = cells
        .iter()
        .map(|(t, w)| wrapped_lines(t, *w))
        .max()
        .unwrap_or(1);
    (lines as f64 * LINE_PT + PAD_PT).max(DEFAULT_ROW_PX as f64 * 0.75)
}

/// Excel's limit on a row's height.
pub const MAX_ROW_PT: f64 = 409.0;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lines_grow_with_text() {
        assert_eq!(wrapped_lines("", 20.0), 1);
        assert_eq!(wrapped_lines("あいう", 20.0), 1);
        assert_eq!(wrapped_lines(&"あ".repeat(30), 20.0), 4);
        assert_eq!(wrapped_lines("a\nb\nc", 20.0), 3);
        assert!(row_height(&[("a\nb", 10.0)]) > row_height(&[("a", 10.0)]));
    }
}
