//! 照会 rounds (issue 15): the office sends every department its workbook at once (`start`),
//! sees who has answered (`status`), chases the rest (`remind`) and merges the answers of a
//! whole folder (`merge::merge_files`). A 部 may gather its 課's answers in a working copy of
//! its own workbook and send one answer (`review`). The CLI and the app call these.
//!
//! A round is a row of the plan file (`store::rounds`); its workbooks are department exports
//! linked to it in the export register, so an answer is matched to its round by its export id.

pub(crate) mod names;
pub(crate) mod remind;
pub(crate) mod review;
pub(crate) mod start;
pub(crate) mod status;

use chrono::{Datelike, FixedOffset, NaiveDate};
use thiserror::Error;

use crate::parse::label::normalize_label;
use crate::store::{RoundRecord, Store, StoreError};

#[derive(Debug, Error)]
pub enum RoundError {
    #[error(transparent)]
    Store(#[from] StoreError),
    #[error(transparent)]
    Export(#[from] crate::export::ExportError),
    #[error(transparent)]
    Org(#[from] crate::org::OrgError),
    #[error(transparent)]
    Merge(#[from] crate::merge::MergeError),
    #[error(transparent)]
    Import(#[from] crate::import::ImportError),
    #[error("「{file}」を書けません / cannot write {file}: {source}")]
    Io {
        file: std::path::PathBuf,
        source: std::io::Error,
    },
    #[error("{0}")]
    Invalid(String),
}

/// Dates of a round are Japanese dates: a save time is placed on the calendar in JST.
pub fn jst() -> FixedOffset {
    FixedOffset::east_opt(9 * 3600).unwrap_or_else(|| unreachable!("+09:00 is a valid offset"))
}

/// Today's date in Japan.
pub fn today() -> NaiveDate {
    chrono::Utc::now().with_timezone(&jst()).date_naive()
}

/// The JST date of an RFC 3339 time.
pub fn jst_date(rfc3339: &str) -> Option<NaiveDate> {
    chrono::DateTime::parse_from_rfc3339(rfc3339)
        .ok()
        .map(|t| t.with_timezone(&jst()).date_naive())
}

/// 「2027年1月31日（日）」.
pub fn japanese_date(d: NaiveDate) -> String {
    const DAYS: [&str; 7] = ["月", "火", "水", "木", "金", "土", "日"];
    format!(
        "{}年{}月{}日（{}）",
        d.year(),
        d.month(),
        d.day(),
        DAYS[d.weekday().num_days_from_monday() as usize]
    )
}

/// Reads a 提出期限 (2027-01-31, 令和9年1月31日, …).
pub fn parse_deadline(text: &str) -> Result<NaiveDate, RoundError> {
    NaiveDate::parse_from_str(text, "%Y-%m-%d").map_err(|_| {
        RoundError::Invalid(format!(
            "照会 {text} の提出期限が読めません / unreadable deadline {text}"
        ))
    })
}

/// The round a command names: its number (「3」, 「#3」) or its title (compared after NFKC and
/// whitespace removal); the latest round when none is named.
pub fn find_round(store: &Store, which: Option<&str>) -> Result<RoundRecord, RoundError> {
    let rounds = store.rounds()?;
    let listed = || {
        rounds
            .iter()
            .map(|r| format!("#{} {}", r.id, r.title))
            .collect::<Vec<_>>()
            .join("、")
    };
    let found = match which {
        None => rounds.last(),
        Some(w) => {
            let n = normalize_label(w);
            rounds
                .iter()
                .find(|r| n.trim_start_matches('#').parse::<i64>().ok() == Some(r.id))
                .or_else(|| rounds.iter().find(|r| normalize_label(&r.title) == n))
        }
    };
    found.cloned().ok_or_else(|| match which {
        None => RoundError::Invalid(
            "照会がまだありません。dxplan round start で始めてください / no round yet: start one with `dxplan round start`".into(),
        ),
        Some(w) => RoundError::Invalid(format!(
            "照会「{w}」はありません。ある照会: {} / no round {w}; rounds: {}",
            listed(),
            listed()
        )),
    })
}
