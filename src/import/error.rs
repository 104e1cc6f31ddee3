use std::path::PathBuf;

use thiserror::Error;

/// Why a workbook could not be imported. Every variant names the file (and sheet or cell where
/// there is one); the plan is left unchanged whenever one of these is returned.
#[derive(Debug, Error)]
pub enum ImportError {
    /// The workbook or CSV file itself could not be read (damaged, encrypted, past a cap,
    /// overlapping merged regions, an unknown encoding): `workbook::ReadError`'s message.
    #[error(transparent)]
    Read(#[from] crate::workbook::ReadError),
    /// No sheet in a known layout.
    #[error("「{file}」に取り込める事業シートがありません（{detail}） / no project sheet in a known layout in {file} ({detail})")]
    NoKnownLayout {
        /// The file concerned.
        file: PathBuf,
        /// What was found.
        detail: String,
    },
    /// Sheets that look like plans but in an unknown layout.
    #[error("「{file}」のシート「{sheets}」は既知の様式ではありません。取り込む事業シートだけを残すか、シート名を「記入例」「集計」などにしてください（計画は変更していません） / sheet(s) in no known layout in {file}: {sheets} (plan unchanged)")]
    UnknownLayout {
        /// The file concerned.
        file: PathBuf,
        /// Sheet names, in order.
        sheets: String,
    },
    /// A cell that cannot be read.
    #[error("「{file}」{at}: {message}")]
    BadCell {
        /// The file concerned.
        file: PathBuf,
        /// Where: sheet and cell (`Sheet!A1`).
        at: String,
        /// What is wrong, in words.
        message: String,
    },
    /// A dxplan export whose hidden sheet 「_dxplan」 is missing, altered or unreadable.
    /// dxplan's hidden sheet cannot be read.
    #[error("「{file}」は dxplan が書き出したブックですが、管理用の非表示シート「_dxplan」がないか、書き換えられているか、壊れています（{detail}）。書き出したままのファイルで提出し直してもらってください / {file} is a dxplan export but its hidden sheet _dxplan is missing, altered or damaged ({detail})")]
    NativeMeta {
        /// The file concerned.
        file: PathBuf,
        /// What was found.
        detail: String,
    },
    /// Cells of a dxplan export that could not be read, each named `Sheet!A1`.
    #[error("「{file}」の {n} 個のセルを読めません / cannot read {n} cell(s) of {file}: {list}", n = .cells.len(), list = cell_list(.cells))]
    NativeCells {
        /// The file concerned.
        file: PathBuf,
        /// (cell, what is wrong) of each cell.
        cells: Vec<(String, String)>,
    },
    /// A dxplan export of another plan, imported into an existing plan.
    #[error("「{file}」{at}: 別の計画（{found}）から書き出されたブックです。既存の計画には取り込めません。その計画として開くには、新しい計画ファイル名を指定して取り込んでください（計画は変更していません） / {file} was exported from another plan ({found}): it cannot be imported into an existing plan; import it into a new plan file to open it as that plan (plan unchanged)")]
    OtherPlan {
        /// The file concerned.
        file: PathBuf,
        /// Where: sheet and cell (`Sheet!A1`).
        at: String,
        /// What was found instead.
        found: String,
    },
    /// What the files say contradicts the plan in a way no check before saving caught; the
    /// database's own message is not shown (it names tables, not cells).
    /// Two files say different things of one cell.
    #[error("「{files}」の内容が計画と矛盾するため取り込めません（同じ ID が別の場所にある等）。計画は変更していません / the contents of {files} contradict the plan (an id used elsewhere?); plan unchanged")]
    Contradicts {
        /// The files concerned.
        files: String,
    },
    /// A choice given for the import names nothing the plan has (`--accept`, `--measure`).
    #[error("{what}「{given}」が見つかりません。指定できるもの / {what_en} {given} not found; choices: {choices}")]
    UnknownChoice {
        /// What it is (Japanese).
        what: &'static str,
        /// What it is (English).
        what_en: &'static str,
        /// What was given.
        given: String,
        /// What can be given.
        choices: String,
    },
    /// `--map 'ラベル=field'` or `--accept-fields` naming no field of the table.
    /// A `--map` names no field.
    #[error("「{given}」は項目の名前ではありません。項目 / {given} is not a field name; fields: {fields}")]
    UnknownField {
        /// What was given.
        given: String,
        /// Text fields read.
        fields: String,
    },
    /// A `--map` not of the form ラベル=項目.
    #[error("「{given}」を読めません。--map 'ラベル=項目' の形で指定してください（例: --map '予算額=budget'） / cannot read {given}: use --map 'LABEL=field'")]
    BadMap {
        /// What was given.
        given: String,
    },
    /// The import read everything and found what a person must decide before anything is
    /// written: the report says what (`Questions::blocking`), and nothing was written.
    #[error("{}", .0.stop_message())]
    NeedsDecision(Box<super::report::ImportReport>),
    /// The plan file.
    #[error(transparent)]
    Store(#[from] crate::store::StoreError),
}

/// 「Sheet!A1: message」, one per line, for error messages.
pub(crate) fn cell_list(cells: &[(String, String)]) -> String {
    const SHOWN: usize = 50;
    let mut s: String = cells
        .iter()
        .take(SHOWN)
        .map(|(at, m)| format!("\n  {at}: {m}"))
        .collect();
    if cells.len() > SHOWN {
        s.push_str(&format!(
            "\n  …ほか {} 件 / and {} more",
            cells.len() - SHOWN,
            cells.len() - SHOWN
        ));
    }
    s
}
