//! Parsers every later step shares: fiscal years in every notation the seeds use, values as
//! written in KPI and budget cells, and label normalisation for matching sheet labels.

pub mod fiscal_year;
pub mod label;
pub mod value;

/// The cases the UI's own formatting (ui/src/lib/format.ts) is tested on too: one file, so the
/// two cannot drift.
#[cfg(test)]
mod shared_cases {
    use serde_json::Value as Json;

    use super::fiscal_year::{format_both, format_fiscal_year, format_wareki, format_wareki_short};
    use super::value::parse_money;

    fn cases() -> Json {
        serde_json::from_str(include_str!("../../tests/fixtures/format_cases.json"))
            .expect("tests/fixtures/format_cases.json")
    }

    fn list<'a>(c: &'a Json, key: &str) -> &'a Vec<Json> {
        c[key].as_array().unwrap_or_else(|| panic!("{key}"))
    }

    #[test]
    fn fiscal_years_as_the_ui_writes_them() {
        let c = cases();
        for y in list(&c, "fiscal_years") {
            let fy = y["fy"].as_i64().unwrap() as i32;
            assert_eq!(format_fiscal_year(fy), y["seireki"], "{fy}");
            assert_eq!(format_wareki(fy), y["wareki"], "{fy}");
            assert_eq!(format_wareki_short(fy), y["short"], "{fy}");
            assert_eq!(format_both(fy), y["both"], "{fy}");
        }
    }

    #[test]
    fn money_as_the_ui_reads_it() {
        let c = cases();
        for m in list(&c, "money_read") {
            let text = m["text"].as_str().unwrap();
            let read = parse_money(text).unwrap_or_else(|e| panic!("{text}: {e}"));
            assert_eq!(
                read.map(|m| m.thousand_yen),
                m["value"].as_i64(),
                "「{text}」"
            );
        }
        for t in list(&c, "money_refused") {
            let text = t.as_str().unwrap();
            assert!(parse_money(text).is_err(), "「{text}」 is refused");
        }
    }
}
