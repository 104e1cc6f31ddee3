//! The `dxplan` command line. Each subcommand is a thin call into the core; errors are
//! printed to stderr in Japanese and English with a non-zero exit.

mod commands;
mod export_cmd;
mod merge_cmd;

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
pub struct Cli {
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Subcommand)]
pub enum Command {
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
    /// Excel の事業シートを取り込む（1 つのトランザクション） / import legacy Excel sheets (one transaction)
    Import {
        plan: PathBuf,
        #[arg(required = true)]
        files: Vec<PathBuf>,
        /// 変更内容を表示するだけで書き込まない / show what would change, write nothing
        #[arg(long)]
        dry_run: bool,
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
        #[arg(short, long)]
        output: PathBuf,
    },
    /// 書き出しの記録（この計画が送ったブック） / the export register: what this plan sent out
    Exports {
        plan: PathBuf,
        #[arg(long)]
        json: bool,
    },
    /// 課の提出ファイルを中央の計画に統合する / merge department submissions into the plan
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
    /// 未解決の競合 / open conflicts
    Conflicts {
        plan: PathBuf,
        /// 解決済みも表示 / include resolved ones
        #[arg(long)]
        all: bool,
        #[arg(long)]
        json: bool,
    },
    /// 競合を解決する / resolve a conflict
    Resolve {
        plan: PathBuf,
        id: i64,
        /// ours = 本庁の値, theirs = 課の値
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
pub enum CliError {
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
    #[error("課「{name}」は計画にありません。指定できる課: {valid} / unknown department {name}; valid names: {valid}")]
    UnknownDepartment { name: String, valid: String },
    #[error("出力できません / cannot write output: {0}")]
    Output(#[from] std::io::Error),
    #[error("JSON に変換できません / cannot encode JSON: {0}")]
    Json(#[from] serde_json::Error),
}

/// Runs the CLI and maps the outcome to an exit code (0 ok, 1 lints found, 2 error).
pub fn main() -> ExitCode {
    let cli = Cli::parse();
    let plan = cli.command.plan().to_path_buf();
    match commands::run(cli.command) {
        Ok(code) => code,
        Err(e) => {
            eprintln!("エラー / error: {e}");
            if let Some(hint) = e.plan_hint(&plan) {
                eprintln!("{hint}");
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
            | Command::Export { plan, .. }
            | Command::Exports { plan, .. }
            | Command::Merge { plan, .. }
            | Command::Conflicts { plan, .. }
            | Command::Resolve { plan, .. }
            | Command::UndoMerge { plan, .. }
            | Command::Submissions { plan, .. }
            | Command::Generate { plan, .. } => plan,
        }
    }
}

impl CliError {
    fn store_error(&self) -> Option<&crate::store::StoreError> {
        use crate::import::ImportError;
        use crate::merge::MergeError;
        match self {
            CliError::Store(e)
            | CliError::Import(ImportError::Store(e))
            | CliError::Merge(MergeError::Store(e)) => Some(e),
            CliError::Merge(MergeError::Import(ImportError::Store(e))) => Some(e),
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
