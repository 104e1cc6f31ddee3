//! The `dxplan` command line. Each subcommand is a thin call into the core; errors are
//! printed to stderr in Japanese and English with a non-zero exit.

/// A line of a command's result on stdout. A write error (a closed pipe: `dxplan history PLAN
/// | head`) returns from the command as `CliError::Output`, which `main` ends quietly.
macro_rules! outln {
    () => {
        outln!("")
    };
    ($($arg:tt)*) => {{
        use std::io::Write as _;
        // Formatted whole, then written at once: stdout is line-buffered, and a report of
        // thousands of lines written through it took a system call per line.
        let mut line = format!($($arg)*);
        line.push('\n');
        std::io::stdout()
            .lock()
            .write_all(line.as_bytes())
            .map_err($crate::cli::CliError::Output)?
    }};
}

mod commands;
mod export_cmd;
mod import_cmd;
mod merge_cmd;
mod org_cmd;
mod output;
mod report_cmd;
mod rollup_cmd;
mod round_cmd;
mod version_cmd;

use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Parser, Subcommand};
use thiserror::Error;

#[derive(Parser)]
#[command(
    name = "dxplan",
    version,
    about = "DX推進計画エディタ dxplan / editor for municipal DX plans"
)]
pub(crate) struct Cli {
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Subcommand)]
pub(crate) enum Command {
    /// 新しい空の計画ファイルを作る / create an empty plan
    New {
        plan: PathBuf,
        #[arg(long)]
        title: String,
        /// 計画期間 (e.g. 2022-2025, R4～R7, 2022年度～2025年度)
        #[arg(long)]
        years: String,
        #[arg(long, default_value = "")]
        city: String,
        #[arg(long, default_value = "")]
        version: String,
    },
    /// 計画全体を JSON で出力する / print the whole plan as JSON (docs/plan-json.md)
    Dump {
        plan: PathBuf,
        /// 1 行の JSON / one-line JSON
        #[arg(long)]
        compact: bool,
        /// 記録した版の計画 / the plan as it was at a recorded version (e.g. 第1.0版)
        #[arg(long)]
        version: Option<String>,
    },
    /// 計画の点検 / run lints (exit 1 when something is found)
    Check {
        plan: PathBuf,
        #[arg(long)]
        json: bool,
    },
    /// 同梱のサンプル計画（大野城市）を書き出す / write the bundled sample plan (a new file)
    Sample { plan: PathBuf },
    /// 件数と基本方針×年度の事業費合計 / counts and budget totals per policy and year
    Summary { plan: PathBuf },
    /// 変更履歴 / change history
    History {
        plan: PathBuf,
        #[arg(long)]
        project: Option<String>,
        #[arg(long)]
        json: bool,
    },
    /// Excel の事業シートや CSV の一覧を取り込む（1 つのトランザクション）。既存の値は --accept で指定したものだけ変える / import legacy Excel sheets and CSV lists (one transaction); existing values change only where --accept says
    Import {
        plan: PathBuf,
        #[arg(required = true)]
        files: Vec<PathBuf>,
        /// 変更内容（既存の値の 旧 → 新 を含む）を表示するだけで書き込まない / show what would change (old → new), write nothing
        #[arg(long)]
        dry_run: bool,
        #[arg(long)]
        json: bool,
        /// 既存の値の変更を反映する: all（すべて）、new-only（空の項目と新しい事業だけ。既定）、事業コード・ID・取組名（その事業のすべて）、事業:項目（その事業のその項目） / apply changes to existing values: all, new-only (default: only what is empty or new), PROJECT (code, id or title), PROJECT:FIELD
        #[arg(long, value_name = "all|new-only|PROJECT|PROJECT:FIELD")]
        accept: Vec<String>,
        /// 既存の値の変更を反映する項目（全事業）: budget, summary, target … / fields whose changes are applied in every project
        #[arg(long, value_delimiter = ',', value_name = "FIELD")]
        accept_fields: Vec<String>,
        /// 施策が書かれていない新しい事業の入れ先: 施策コード（Ⅰ-1）・ID・施策名、または '基本方針名/施策名'（なければ作る） / where new projects naming no measure go: a measure's code, id or title, or 'POLICY/MEASURE' (created if absent)
        #[arg(long, value_name = "CODE|TITLE")]
        measure: Option<String>,
        /// 読めない見出しを項目として読む（計画に記録され、次からは不要）: 'ラベル=項目' / read a label as a field, kept in the plan's import profile: 'LABEL=field'
        #[arg(long = "map", value_name = "LABEL=FIELD")]
        maps: Vec<String>,
        /// 既知の様式でないシートがあれば中止する（既定はスキップして報告） / stop at a sheet in no known layout (default: skip it and report)
        #[arg(long)]
        strict: bool,
        /// 年度の列に値のある読めない行があっても取り込む（既定は中止） / import even though labelled rows with year columns were not understood (default: stop)
        #[arg(long)]
        allow_skipped: bool,
    },
    /// 取り込みの記録（取り消しに使う番号） / imports recorded in the plan (their ids undo them)
    Imports {
        plan: PathBuf,
        #[arg(long)]
        json: bool,
    },
    /// 取り込みを丸ごと取り消す / undo one import as a whole
    UndoImport {
        plan: PathBuf,
        import_id: i64,
        #[arg(long)]
        json: bool,
    },
    /// 取り込みの読み替え（見出し → 項目）の一覧・削除 / the plan's import profile: labels read as fields
    ImportProfile {
        plan: PathBuf,
        /// この見出しの読み替えを削除する / remove the mapping of this label
        #[arg(long, value_name = "LABEL")]
        remove: Vec<String>,
        #[arg(long)]
        json: bool,
    },
    /// Excel に書き出す：課を指定すると照会用の課別ブック、指定しないと全体のブック / export to Excel: a department workbook with --department, else the master workbook
    Export {
        plan: PathBuf,
        /// 課名（担当する事業のシートだけを書き出す） / unit name: write only the projects it owns or co-owns
        #[arg(long)]
        department: Option<String>,
        /// 提出期限（表紙に表示） / deadline shown on the cover
        #[arg(long)]
        deadline: Option<String>,
        /// 締めた過去年度の実績も編集可能にする / leave past years' actuals editable
        #[arg(long)]
        open_past_years: bool,
        /// 年度（その年度の組織名で書き出す。既定は今年度） / fiscal year whose unit names the department workbook uses (default: this year)
        #[arg(long, value_parser = fy_arg, requires = "department")]
        fy: Option<crate::model::FiscalYear>,
        #[arg(short, long)]
        output: PathBuf,
    },
    /// 推進委員会への報告書（PDF：事業費・指標の達成状況・ロードマップ・進捗・個別事業） / the committee report as an A4 PDF
    Report {
        plan: PathBuf,
        /// 報告年度 (2024, R6, 令和6年度)。既定は今年度（計画期間の外なら期間の端の年度） / report year (default: this year, or the nearest year of the plan period)
        #[arg(long, value_parser = fy_arg)]
        fy: Option<crate::model::FiscalYear>,
        /// 記録した版の計画で作る / report on a recorded version (e.g. 第1.2版)
        #[arg(long)]
        version: Option<String>,
        /// 課名：その課（とその下の組織）が担当・共同担当する事業だけ / only the projects this unit (or a unit below it) owns or co-owns
        #[arg(long)]
        department: Option<String>,
        /// 出力する PDF / the PDF to write
        #[arg(short, long)]
        output: PathBuf,
    },
    /// 組織改正（4月の名称変更・統合・分割・新設・廃止）。手順を指定しないと記録済みの改正を表示 / April reorganisation from a fiscal year; without steps, lists the recorded ones
    Reorg {
        plan: PathBuf,
        /// 新旧の表（旧組織／新組織／種別）: .xlsx .xls .ods .csv (UTF-8 / Shift_JIS)
        table: Option<PathBuf>,
        /// 施行年度 (2025, R7, 令和7年度)
        #[arg(long, value_parser = fy_arg)]
        fy: Option<crate::model::FiscalYear>,
        /// 名称変更 旧=新 / rename OLD=NEW
        #[arg(long)]
        rename: Vec<String>,
        /// 統合 旧A,旧B=新 / merge A,B=C (C may be one of A, B)
        #[arg(long)]
        merge: Vec<String>,
        /// 分割 旧=新A,新B (requires --assign) / split A=B,C
        #[arg(long)]
        split: Vec<String>,
        /// 新設 / open a new unit
        #[arg(long = "new")]
        new_unit: Vec<String>,
        /// 廃止 (requires --assign for its projects) / abolish a unit
        #[arg(long)]
        abolish: Vec<String>,
        /// 分割・廃止する組織の事業の新しい担当課の表（事業コードまたは取組名／新組織） / table of project code or title → new unit
        #[arg(long)]
        assign: Option<PathBuf>,
        /// 変更内容を表示するだけで書き込まない / show what would change, write nothing
        #[arg(long)]
        dry_run: bool,
        #[arg(long)]
        json: bool,
    },
    /// DX推進員の名簿（年度ごと）。--set か表で登録、指定しないと表示 / DX promoters per unit and fiscal year: set with --set or a table, else list
    Roster {
        plan: PathBuf,
        /// 名簿の表（課名／氏名／連絡先）: .xlsx .xls .ods .csv
        table: Option<PathBuf>,
        #[arg(long, value_parser = fy_arg)]
        fy: Option<crate::model::FiscalYear>,
        /// 課名="氏名 <連絡先>"（複数人は ; で区切る、空で削除） / UNIT="NAME <CONTACT>; NAME2 <CONTACT2>"
        #[arg(long)]
        set: Vec<String>,
        #[arg(long)]
        json: bool,
    },
    /// 集計指標：指標を他の指標の合計として定義する。指定しないと一覧 / roll-up indicators: define one as the sum of others; without --indicator, list them
    Rollup {
        plan: PathBuf,
        /// 集計する指標の ID / the roll-up indicator's id
        #[arg(long)]
        indicator: Option<String>,
        /// 構成指標の ID（カンマ区切り） / component indicator ids, comma-separated
        #[arg(long, value_delimiter = ',', requires = "indicator")]
        sum: Vec<String>,
        /// 集計の定義を外す / remove the definition
        #[arg(long, requires = "indicator", conflicts_with = "sum")]
        clear: bool,
        #[arg(long)]
        json: bool,
    },
    /// 書き出しの記録（この計画が送ったブック） / the export register: what this plan sent out
    Exports {
        plan: PathBuf,
        #[arg(long)]
        json: bool,
    },
    /// 照会（一斉照会・回答状況・督促・部の取りまとめ） / rounds: send to every department, see who answered, remind, 部 review
    Round {
        #[command(subcommand)]
        action: round_cmd::RoundAction,
    },
    /// 照会の一覧 / the rounds of the plan
    Rounds {
        plan: PathBuf,
        #[arg(long)]
        json: bool,
    },
    /// 進捗の尺度（状況・評価の選択肢）。指定しないと表示 / the progress scale (choices of 状況 and 評価); without options, shows it
    Scale {
        plan: PathBuf,
        /// 状況の選択肢（カンマ区切り） / status choices, comma-separated (順調,概ね順調,遅れ,未着手,完了)
        #[arg(long)]
        status: Option<String>,
        /// 評価の選択肢（カンマ区切り） / evaluation choices (A,B,C,D or ◎,○,△,×)
        #[arg(long)]
        evaluation: Option<String>,
        /// 既定の尺度に戻す / back to the default scale
        #[arg(long, conflicts_with_all = ["status", "evaluation"])]
        reset: bool,
        #[arg(long)]
        json: bool,
    },
    /// 課の提出ファイル（またはフォルダー内のすべて）を中央の計画に統合する / merge department submissions (files, or every answer in a folder) into the plan
    Merge {
        plan: PathBuf,
        #[arg(required = true)]
        submissions: Vec<PathBuf>,
        /// 変更内容を表示するだけで書き込まない / show what would change, write nothing
        #[arg(long)]
        dry_run: bool,
        #[arg(long)]
        json: bool,
    },
    /// 未解決の修正が重なった項目 / open conflicts
    Conflicts {
        plan: PathBuf,
        /// 解決済みも表示 / include resolved ones
        #[arg(long)]
        all: bool,
        #[arg(long)]
        json: bool,
    },
    /// 修正が重なった項目を解決する / resolve a conflict
    Resolve {
        plan: PathBuf,
        id: i64,
        /// ours = 事務局の値, theirs = 課の値
        #[arg(long, value_parser = ["ours", "theirs"], conflicts_with = "value", required_unless_present = "value")]
        take: Option<String>,
        /// 値を入力して解決 / type the value (as written in a sheet: 「45 手続」, 「6,000」)
        #[arg(long)]
        value: Option<String>,
    },
    /// 統合を取り消す / undo one merged submission
    UndoMerge {
        plan: PathBuf,
        submission_id: i64,
        #[arg(long)]
        json: bool,
    },
    /// 統合した提出の一覧 / merged submissions
    Submissions {
        plan: PathBuf,
        #[arg(long)]
        json: bool,
    },
    /// 版を記録する（計画の版の名前も変わる） / record a named version (版) of the plan; it becomes the plan's version label
    Version {
        plan: PathBuf,
        /// 版の名前 / label (e.g. 第1.1版)
        #[arg(long)]
        label: String,
        /// 発行日 / date it is issued as (2023-06-01)
        #[arg(long)]
        date: Option<String>,
        #[arg(long, default_value = "")]
        note: String,
    },
    /// 記録した版の一覧 / recorded versions
    Versions {
        plan: PathBuf,
        #[arg(long)]
        json: bool,
    },
    /// 新旧対照表：2 つの版（または版と現在）の比較 / comparison table of two versions (or a version and now)
    Compare {
        plan: PathBuf,
        /// 変更前（旧）の版 / the old version
        #[arg(long)]
        from: String,
        /// 変更後（新）の版（省略すると現在の計画） / the new version (default: the plan as it stands)
        #[arg(long)]
        to: Option<String>,
        /// 新旧対照表（.xlsx）の出力先 / write the table as .xlsx
        #[arg(short, long)]
        output: Option<PathBuf>,
        #[arg(long)]
        json: bool,
    },
    /// 計画期間の繰越：期間を延長する、または -o で次期計画を新しいファイルに作る / roll over: extend the period in place, or start the next plan in a new file (-o)
    Rollover {
        plan: PathBuf,
        /// 新しい計画期間 / the new period (2026-2030, R8～R12)
        #[arg(long)]
        years: String,
        /// 新しい版の名前 / label of the new version (第2.0版)
        #[arg(long)]
        label: String,
        #[arg(long)]
        date: Option<String>,
        #[arg(long, default_value = "")]
        note: String,
        /// 次期計画のファイル / the next plan's file (the current one is left as it is)
        #[arg(short, long)]
        output: Option<PathBuf>,
    },
    /// 計画の設定 / plan settings
    Settings {
        plan: PathBuf,
        /// 締めた過去年度の実績を課別ブックで編集可能にする（on）か締める（off） / open (on) or close (off) past years' actuals in department workbooks
        #[arg(long, value_parser = clap::builder::BoolishValueParser::new())]
        open_past_years: Option<bool>,
        #[arg(long)]
        json: bool,
    },
    /// 合成計画を作る、既存の計画には追加する（性能測定用） / generate a synthetic plan, or add one to an existing plan (benchmarks)
    Generate {
        plan: PathBuf,
        #[arg(long)]
        projects: usize,
        #[arg(long, default_value_t = 1)]
        seed: u64,
    },
}

#[derive(Debug, Error)]
pub(crate) enum CliError {
    #[error(transparent)]
    Store(#[from] crate::store::StoreError),
    #[error(transparent)]
    Source(#[from] crate::sample::source::SourceError),
    #[error(transparent)]
    Import(#[from] crate::import::ImportError),
    #[error(transparent)]
    Merge(#[from] crate::merge::MergeError),
    #[error(transparent)]
    FiscalYear(#[from] crate::parse::fiscal_year::FyError),
    #[error(transparent)]
    Export(#[from] crate::export::ExportError),
    #[error(transparent)]
    Rollover(#[from] crate::rollover::RolloverError),
    #[error(
        "日付「{0}」を読めません（例: 2023-06-01） / cannot read the date {0} (e.g. 2023-06-01)"
    )]
    InvalidDate(String),
    #[error(transparent)]
    Org(#[from] crate::org::OrgError),
    #[error(transparent)]
    Workspace(Box<crate::workspace::WorkspaceError>),
    #[error(transparent)]
    Round(#[from] crate::round::RoundError),
    #[error(transparent)]
    Committee(#[from] crate::committee::CommitteeError),
    #[error("出力できません / cannot write output: {0}")]
    Output(#[from] std::io::Error),
    #[error("JSON に変換できません / cannot encode JSON: {0}")]
    Json(#[from] serde_json::Error),
    #[error("計画ファイル「{}」: {source}", plan.display())]
    Totals {
        plan: PathBuf,
        source: crate::report::totals::TotalOverflow,
    },
}

impl From<crate::workspace::WorkspaceError> for CliError {
    fn from(e: crate::workspace::WorkspaceError) -> Self {
        CliError::Workspace(Box::new(e))
    }
}

/// A fiscal year as people write it: 2025, R7, 令和7年度, 2025年度.
fn fy_arg(s: &str) -> Result<crate::model::FiscalYear, String> {
    crate::parse::fiscal_year::parse_fiscal_year(s).map_err(|e| e.to_string())
}

/// Runs the CLI and maps the outcome to an exit code (0 ok, 1 lints found, 2 error).
pub fn main() -> ExitCode {
    let cli = Cli::parse();
    let plan = cli.command.plan().to_path_buf();
    let result = commands::run(cli.command).and_then(|code| {
        output::flush()?;
        Ok(code)
    });
    match result {
        Ok(code) => code,
        // The reader of our output has gone (`| head`): nothing is wrong, nothing to say.
        Err(e) if e.is_closed_output() => ExitCode::SUCCESS,
        Err(e) => {
            use std::io::Write as _;
            let mut err = std::io::stderr().lock();
            let _ = writeln!(err, "エラー / error: {e}");
            if let Some(hint) = e.plan_hint(&plan) {
                let _ = writeln!(err, "{hint}");
            }
            ExitCode::from(2)
        }
    }
}

impl Command {
    /// The plan file the command works on.
    pub fn plan(&self) -> &std::path::Path {
        match self {
            Command::New { plan, .. }
            | Command::Dump { plan, .. }
            | Command::Check { plan, .. }
            | Command::Sample { plan }
            | Command::Summary { plan }
            | Command::History { plan, .. }
            | Command::Import { plan, .. }
            | Command::Imports { plan, .. }
            | Command::UndoImport { plan, .. }
            | Command::ImportProfile { plan, .. }
            | Command::Export { plan, .. }
            | Command::Report { plan, .. }
            | Command::Exports { plan, .. }
            | Command::Merge { plan, .. }
            | Command::Conflicts { plan, .. }
            | Command::Resolve { plan, .. }
            | Command::UndoMerge { plan, .. }
            | Command::Submissions { plan, .. }
            | Command::Version { plan, .. }
            | Command::Versions { plan, .. }
            | Command::Compare { plan, .. }
            | Command::Rollover { plan, .. }
            | Command::Settings { plan, .. }
            | Command::Reorg { plan, .. }
            | Command::Roster { plan, .. }
            | Command::Rollup { plan, .. }
            | Command::Rounds { plan, .. }
            | Command::Scale { plan, .. }
            | Command::Generate { plan, .. } => plan,
            Command::Round { action } => action.plan(),
        }
    }
}

impl CliError {
    /// Writing our output failed because the reader closed the pipe.
    pub fn is_closed_output(&self) -> bool {
        match self {
            CliError::Output(e) => e.kind() == std::io::ErrorKind::BrokenPipe,
            CliError::Json(e) => e.io_error_kind() == Some(std::io::ErrorKind::BrokenPipe),
            _ => false,
        }
    }

    fn store_error(&self) -> Option<&crate::store::StoreError> {
        use crate::import::ImportError;
        use crate::merge::MergeError;
        match self {
            CliError::Store(e)
            | CliError::Rollover(crate::rollover::RolloverError::Store(e))
            | CliError::Import(ImportError::Store(e))
            | CliError::Merge(MergeError::Store(e))
            | CliError::Org(crate::org::OrgError::Store(e))
            | CliError::Round(crate::round::RoundError::Store(e)) => Some(e),
            CliError::Merge(MergeError::Import(ImportError::Store(e))) => Some(e),
            CliError::Workspace(e) => e.store_error(),
            _ => None,
        }
    }

    /// A database error of SQLite does not name the plan file, nor say what to do: a second line
    /// does (the plan is never left half-written: the transaction was rolled back).
    pub fn plan_hint(&self, plan: &std::path::Path) -> Option<String> {
        use crate::store::StoreError;
        use rusqlite::ErrorCode::*;
        let code = match self.store_error()? {
            StoreError::Sqlite(e) => e.sqlite_error_code(),
            StoreError::Migration(rusqlite_migration::Error::RusqliteError { err, .. }) => {
                err.sqlite_error_code()
            }
            StoreError::Migration(_) => None,
            _ => return None,
        };
        let p = plan.display();
        Some(match code {
            Some(DatabaseBusy | DatabaseLocked) => format!(
                "計画ファイル「{p}」は他のプログラム（別の dxplan など）が使用中です。終わってからやり直してください（計画は変更していません） / the plan file {p} is in use by another program (another dxplan?); try again when it is done (the plan was not changed)"
            ),
            Some(ReadOnly) => format!(
                "計画ファイル「{p}」に書き込めません（読み取り専用のファイルかフォルダー、または書き込み禁止の場所です）。計画は変更していません / the plan file {p} is read-only (the file, its folder or the drive cannot be written); the plan was not changed"
            ),
            Some(CannotOpen) => format!(
                "計画ファイル「{p}」を開けません。ファイルとそのフォルダーに書き込めるか（作業用の {p}-wal、-shm を作ります）確かめてください / cannot open the plan file {p}: check that the file and its folder can be written (dxplan keeps {p}-wal and -shm beside it)"
            ),
            Some(DiskFull) => format!(
                "ディスクの空きが足りません。空きを作ってからやり直してください（計画「{p}」は変更していません） / the disk is full: free some space and try again (the plan {p} was not changed)"
            ),
            Some(DatabaseCorrupt | NotADatabase) => format!(
                "計画ファイル「{p}」が壊れています。バックアップから戻してください / the plan file {p} is damaged: restore it from a backup"
            ),
            Some(SystemIoFailure) => format!(
                "計画ファイル「{p}」の読み書きに失敗しました（ディスクの空き、ファイルサイズの上限、接続を確かめてください）。計画は変更していません / reading or writing the plan file {p} failed (check free space, file size limits and the connection); the plan was not changed"
            ),
            _ => format!("計画ファイル / plan file: {p}"),
        })
    }
}
