use std::path::{Path, PathBuf};

use thiserror::Error;

/// Why a workbook (or a CSV file) could not be read. Every variant names the file, and the
/// sheet or cell where there is one.
#[derive(Debug, Error)]
pub enum ReadError {
    /// Reading the file failed.
    #[error("「{file}」を読めません / cannot read {file}: {source}")]
    Io {
        /// The file concerned.
        file: PathBuf,
        /// The underlying error.
        source: std::io::Error,
    },
    /// Not a workbook.
    #[error("「{file}」は Excel / ODS のブックではありません / not a workbook (.xlsx, .xlsm, .xls, .ods): {file}")]
    NotAWorkbook {
        /// The file concerned.
        file: PathBuf,
    },
    /// A damaged workbook.
    #[error("「{file}」は壊れているか途中で切れています / corrupt or truncated workbook {file}: {detail}")]
    Corrupt {
        /// The file concerned.
        file: PathBuf,
        /// What was found.
        detail: String,
    },
    /// A password-protected workbook.
    #[error("「{file}」はパスワードで保護されています。保護を外してから取り込んでください / workbook is password-protected: {file}")]
    Encrypted {
        /// The file concerned.
        file: PathBuf,
    },
    /// A cap of `workbook::limits` passed: what (Japanese, English) and the cap, both named.
    #[error("「{file}」が大きすぎます：{ja}（上限 {limit}）。取り込みを中止しました / workbook too large: {en} (limit {limit}): {file}")]
    TooLarge {
        /// The file concerned.
        file: PathBuf,
        /// The limit, in Japanese.
        ja: String,
        /// The limit, in English.
        en: String,
        /// The limit.
        limit: String,
    },
    /// Merged regions that share cells: Excel repairs such a file (dropping the regions) before
    /// it will show it, and a value merged across both cannot be placed.
    #[error("「{file}」のシート「{sheet}」で結合セル {first} と {second} が重なっています。Excel で開いて修復・保存してから取り込んでください / merged regions {first} and {second} overlap in sheet {sheet} of {file}; open it in Excel to repair it, save, and import again")]
    MergeOverlap {
        /// The file concerned.
        file: PathBuf,
        /// Sheet name.
        sheet: String,
        /// The first range (`A1:B2`).
        first: String,
        /// The second range.
        second: String,
    },
    /// A CSV file in an unknown encoding.
    #[error("「{file}」の文字コードを読めません（UTF-8、Shift_JIS、UTF-16 のどれでもありません）。Excel で「CSV UTF-8」として保存し直してください / cannot read the character encoding of {file} (not UTF-8, Shift_JIS or UTF-16): save it as CSV UTF-8")]
    Encoding {
        /// The file concerned.
        file: PathBuf,
    },
    /// A CSV file that cannot be read.
    #[error("「{file}」を CSV として読めません / cannot read {file} as CSV: {detail}")]
    Csv {
        /// The file concerned.
        file: PathBuf,
        /// What was found.
        detail: String,
    },
}

impl ReadError {
    /// An I/O error of a file.
    pub fn io(file: &Path, source: std::io::Error) -> Self {
        ReadError::Io {
            file: file.to_path_buf(),
            source,
        }
    }

    pub(crate) fn from_calamine(file: &Path, e: calamine::Error) -> Self {
        let file = file.to_path_buf();
        match e {
            calamine::Error::Xlsx(calamine::XlsxError::Password)
            | calamine::Error::Xls(calamine::XlsError::Password) => ReadError::Encrypted { file },
            calamine::Error::Io(source) => ReadError::Io { file, source },
            other => ReadError::Corrupt {
                file,
                detail: other.to_string(),
            },
        }
    }
}
