//! The organisation through the years (issue 16): April reorganisations (`reorg`), the DX推進員
//! roster (`roster`), and the tables both are circulated in (`table`).

pub(crate) mod department;
pub(crate) mod reorg;
pub(crate) mod roster;
pub(crate) mod table;

use std::path::PathBuf;

use thiserror::Error;

use crate::import::ImportError;
use crate::store::StoreError;

#[derive(Debug, Error)]
pub enum OrgError {
    #[error(transparent)]
    Store(#[from] StoreError),
    #[error(transparent)]
    Import(#[from] ImportError),
    #[error("「{file}」を読めません / cannot read {file}: {source}")]
    Io {
        file: PathBuf,
        source: std::io::Error,
    },
    #[error("「{file}」の文字コードを判別できません。UTF-8 か Shift_JIS で保存してください / {file} is neither UTF-8 nor Shift_JIS")]
    Encoding { file: PathBuf },
    #[error("「{file}」を CSV として読めません / cannot read {file} as CSV: {detail}")]
    Csv { file: PathBuf, detail: String },
    #[error("「{file}」に見出し「{labels}」の表がありません / no table headed {labels} in {file}")]
    NoTable { file: PathBuf, labels: String },
    #[error("課「{name}」は計画にありません。指定できる課: {valid} / unknown department {name}; valid names: {valid}")]
    UnknownDepartment { name: String, valid: String },
    #[error("{at}: {message}")]
    Bad { at: String, message: String },
    #[error("分割・廃止する組織の事業に新しい担当課が指定されていません。--assign FILE（事業コードまたは取組名と新組織の表）で指定してください（計画は変更していません） / projects of a split or abolished unit have no new owner; give them with --assign FILE (project code or title → unit); the plan was not changed:{}", list(.0))]
    Unassigned(Vec<String>),
}

fn list(items: &[String]) -> String {
    items.iter().map(|i| format!("\n  {i}")).collect()
}
