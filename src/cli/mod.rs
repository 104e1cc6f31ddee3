//! The `dxplan` command line. Each subcommand is a thin call into the core; errors are
//! printed to stderr in Japanese and English with a non-zero exit.

mod commands;
mod merge_cmd;
mod export_cmd;

use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Parser, Subcommand};
use thiserror::Error;

#[derive(Parser)]
#[command(name = "dxplan", version, about = "DX推進計画エディタ dxplan / editor for municipal DX plans")]
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
    match commands::run(cli.command) {
        Ok(code) => code,
        Err(e) => {
            eprintln!("エラー / error: {e}");
            ExitCode::from(2)
        }
    }
}
