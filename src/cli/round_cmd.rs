//! `dxplan round start|status|remind|review|answer`, `dxplan rounds`, `dxplan scale`.

use std::path::PathBuf;
use std::process::ExitCode;

use clap::Subcommand;

use super::{CliError, Command};
use crate::merge::MergeOptions;
use crate::model::scale::{parse_choices, ProgressScale};
use crate::round::status::{round_status, AnswerState, RoundStatus};
use crate::round::{find_round, japanese_date, parse_deadline, remind, review, start};
use crate::store::{OpInfo, OpKind, Store};

#[derive(Subcommand)]
pub enum RoundAction {
    /// 照会を始める：課ごとのブックを一斉に書き出す / start a round: every department's workbook into one folder
    Start {
        plan: PathBuf,
        /// 照会の名前 / title (「令和7年度 第2回 進捗照会」)
        #[arg(long)]
        title: String,
        /// 提出期限 / deadline (2027-01-31, 2027/1/31, 2027年1月31日)
        #[arg(long)]
        deadline: String,
        /// 年度（既定は今年度） / fiscal year asked about (default: this year)
        #[arg(long, value_parser = super::fy_arg)]
        fiscal_year: Option<crate::model::FiscalYear>,
        /// 照会する課（カンマ区切り。省略すると事業を担当するすべての課） / departments (default: every unit owning a project)
        #[arg(long, value_delimiter = ',')]
        departments: Vec<String>,
        /// 課の回答を取りまとめる部（カンマ区切り） / 部 that gather the answers of their 課
        #[arg(long, value_delimiter = ',')]
        review: Vec<String>,
        /// 締めた過去年度の実績も編集可能にする / leave past years' actuals editable
        #[arg(long)]
        open_past_years: bool,
        /// 書き出し先のフォルダー / folder to write the workbooks to
        #[arg(short, long)]
        output: PathBuf,
        #[arg(long)]
        json: bool,
    },
    /// 回答状況 / who has answered
    Status {
        plan: PathBuf,
        /// 照会の番号か名前（省略すると最新） / round number or title (default: the latest)
        round: Option<String>,
        /// 基準日（既定は今日） / count days as of this date (default: today)
        #[arg(long)]
        as_of: Option<String>,
        #[arg(long)]
        json: bool,
    },
    /// 督促の一覧（未回答の課、連絡先、督促文案） / the reminder list: outstanding departments, contact, draft message
    Remind {
        plan: PathBuf,
        round: Option<String>,
        #[arg(long)]
        as_of: Option<String>,
        /// .xlsx か .csv / .xlsx or .csv
        #[arg(short, long)]
        output: PathBuf,
        #[arg(long)]
        json: bool,
    },
    /// 部の取りまとめ：部のブックの作業用コピーに課の回答を統合する / 部 review: merge 課 answers into the 部's working copy
    Review {
        /// 作業用コピー（なければ部のブックから作る） / the working copy (created from the workbook when missing)
        copy: PathBuf,
        /// 受け取った部のブック / the 部's workbook as received
        #[arg(long)]
        workbook: PathBuf,
        /// 課の回答（ファイルかフォルダー） / 課 answers (files or folders)
        answers: Vec<PathBuf>,
        #[arg(long)]
        dry_run: bool,
        #[arg(long)]
        json: bool,
    },
    /// 作業用コピーから回答を書き出す（部の取りまとめ・課） / write the answer of a working copy
    Answer {
        copy: PathBuf,
        #[arg(long)]
        workbook: PathBuf,
        #[arg(short, long)]
        output: PathBuf,
    },
}

impl RoundAction {
    pub fn plan(&self) -> &std::path::Path {
        match self {
            RoundAction::Start { plan, .. }
            | RoundAction::Status { plan, .. }
            | RoundAction::Remind { plan, .. } => plan,
            RoundAction::Review { copy, .. } | RoundAction::Answer { copy, .. } => copy,
        }
    }
}

fn date(text: &str) -> Result<chrono::NaiveDate, CliError> {
    super::version_cmd::parse_date(text)
}

pub fn run(cmd: Command) -> Result<ExitCode, CliError> {
    match cmd {
        Command::Round { action } => run_round(action)?,
        Command::Rounds { plan, json } => {
            let rounds = Store::open_read_only(&plan)?.rounds()?;
            if json {
                super::output::json(&rounds, false)?;
            } else {
                for r in &rounds {
                    let deadline = parse_deadline(&r.deadline).map(japanese_date)?;
                    outln!(
                        "#{} {}（{}年度）提出期限 {deadline} 開始 {} {}",
                        r.id,
                        r.title,
                        r.fiscal_year,
                        r.started_at,
                        r.dir
                    );
                }
                outln!("{} 件 / {} round(s)", rounds.len(), rounds.len());
            }
        }
        Command::Scale {
            plan,
            status,
            evaluation,
            reset,
            json,
        } => {
            let writing = reset || status.is_some() || evaluation.is_some();
            let mut store = if writing {
                Store::open(&plan)?
            } else {
                Store::open_read_only(&plan)?
            };
            if writing {
                let mut scale = if reset {
                    ProgressScale::default()
                } else {
                    store.progress_scale()?
                };
                if let Some(s) = &status {
                    scale.status = parse_choices(s);
                }
                if let Some(e) = &evaluation {
                    scale.evaluation = parse_choices(e);
                }
                scale.check().map_err(crate::store::StoreError::Invalid)?;
                store.write(OpInfo::new(OpKind::Settings), |w| {
                    w.set_progress_scale(&scale)
                })?;
            }
            let scale = store.progress_scale()?;
            if json {
                super::output::json(&scale, false)?;
            } else {
                outln!("状況 / status: {}", scale.status.join("、"));
                outln!("評価 / evaluation: {}", scale.evaluation.join("、"));
            }
        }
        _ => unreachable!("not a round command"),
    }
    Ok(ExitCode::SUCCESS)
}

fn run_round(action: RoundAction) -> Result<(), CliError> {
    match action {
        RoundAction::Start {
            plan,
            title,
            deadline,
            fiscal_year,
            departments,
            review,
            open_past_years,
            output,
            json,
        } => {
            let spec = start::RoundSpec {
                title,
                deadline: date(&deadline)?,
                fiscal_year,
                departments: split_names(&departments),
                reviewers: split_names(&review),
                dir: output,
                open_past_years,
            };
            let mut store = Store::open(&plan)?;
            let started = start::start_round(&mut store, &plan, &spec)?;
            if json {
                return super::output::json(&started, false);
            }
            let r = &started.round;
            outln!(
                "照会 #{} 「{}」（{}年度、提出期限 {}）を始めました / round started",
                r.id,
                r.title,
                r.fiscal_year,
                japanese_date(spec.deadline)
            );
            for w in &started.workbooks {
                let note = match (&w.reviewed_by, w.gathers.is_empty()) {
                    (Some(b), _) => format!("（{b}で取りまとめ）"),
                    (None, false) => format!("（取りまとめ: {}）", w.gathers.join("、")),
                    _ => String::new(),
                };
                outln!(
                    "  {}{note}: {}（事業 {} 件）",
                    w.department,
                    w.file.display(),
                    w.projects
                );
            }
            outln!(
                "{} 件のブックを書き出しました / {} workbook(s) written",
                started.workbooks.len(),
                started.workbooks.len()
            );
        }
        RoundAction::Status {
            plan,
            round,
            as_of,
            json,
        } => {
            let store = Store::open_read_only(&plan)?;
            let r = find_round(&store, round.as_deref())?;
            let as_of = as_of.as_deref().map(date).transpose()?;
            let status = round_status(&store, &r, as_of)?;
            if json {
                return super::output::json(&status, false);
            }
            print_status(&status)?;
        }
        RoundAction::Remind {
            plan,
            round,
            as_of,
            output,
            json,
        } => {
            crate::export::check_destination(&output, &plan)?;
            let store = Store::open_read_only(&plan)?;
            let r = find_round(&store, round.as_deref())?;
            let as_of = as_of.as_deref().map(date).transpose()?;
            let status = round_status(&store, &r, as_of)?;
            let lines = remind::reminders(&status)?;
            remind::write_reminders(&lines, &r.title, &output)?;
            if json {
                return super::output::json(&lines, false);
            }
            for l in &lines {
                outln!(
                    "{}: {} {}（{}）{}",
                    l.department,
                    if l.days_late > 0 {
                        format!("{} 日遅れ", l.days_late)
                    } else {
                        "期限前".to_string()
                    },
                    l.name,
                    l.contact_source,
                    l.contact
                );
            }
            outln!(
                "未回答 {} 件の督促一覧を書き出しました / reminder list written: {}",
                lines.len(),
                output.display()
            );
        }
        RoundAction::Review {
            copy,
            workbook,
            answers,
            dry_run,
            json,
        } => {
            let created = !copy.exists();
            let (mut store, received) = review::open_working_copy(&workbook, &copy)?;
            if created && !json {
                outln!(
                    "作業用コピーを作りました / working copy created: {}",
                    copy.display()
                );
            }
            if answers.is_empty() {
                return Ok(());
            }
            let report =
                review::merge_answers(&mut store, &received, &answers, MergeOptions { dry_run })?;
            if json {
                super::output::json(&report, false)?;
            } else {
                outln!("{report}");
            }
        }
        RoundAction::Answer {
            copy,
            workbook,
            output,
        } => {
            if !copy.is_file() {
                return Err(CliError::Round(crate::round::RoundError::Invalid(format!(
                    "作業用コピー「{}」がありません。dxplan round review で作ってください / no working copy {}: create it with `dxplan round review`",
                    copy.display(),
                    copy.display()
                ))));
            }
            crate::export::check_destination(&output, &copy)?;
            let (store, received) = review::open_working_copy(&workbook, &copy)?;
            let summary = review::write_answer(&store, &received, &output)?;
            outln!(
                "回答を書き出しました / answer written: {}（事業 {} 件）",
                output.display(),
                summary.projects.len()
            );
        }
    }
    Ok(())
}

/// Names given with commas or 「、」.
fn split_names(list: &[String]) -> Vec<String> {
    list.iter()
        .flat_map(|s| s.split(['、', '，']))
        .map(|s| s.trim().to_string())
        .filter(|s| !s.is_empty())
        .collect()
}

fn day(at: &Option<String>) -> String {
    at.as_deref()
        .and_then(crate::round::jst_date)
        .map_or_else(|| "-".into(), |d| d.format("%Y-%m-%d").to_string())
}

fn print_status(s: &RoundStatus) -> Result<(), CliError> {
    let r = &s.round.round;
    let deadline = parse_deadline(&r.deadline).map(japanese_date)?;
    let left = match s.round.days_to_deadline {
        d if d > 0 => format!("期限まであと {d} 日"),
        0 => "今日が期限".into(),
        d => format!("期限を {} 日経過", -d),
    };
    outln!(
        "照会 #{} {}（{}年度）提出期限 {deadline}　基準日 {}（{left}）",
        r.id,
        r.title,
        r.fiscal_year,
        s.round.as_of
    );
    for d in &s.departments {
        let name = match &d.reviewed_by {
            Some(b) => format!("{}（{b}）", d.department),
            None => d.department.clone(),
        };
        let late = d
            .days_late
            .map(|n| format!(" 【{n} 日遅れ】"))
            .unwrap_or_default();
        match d.state {
            AnswerState::Outstanding => {
                let who = d
                    .contact
                    .as_ref()
                    .map(|c| format!(" 連絡先 {} {}", c.name, c.contact))
                    .unwrap_or_default();
                outln!("  {name}: {}{late}{who}", d.state.label());
            }
            AnswerState::Answered => {
                outln!(
                    "  {name}: {} {}{late}　反映 {} 項目 / 修正が重なった項目 {} 件 / 反映できなかった項目 {} 件",
                    d.state.label(),
                    day(&d.answered_at),
                    d.changes_applied,
                    d.conflicts_open,
                    d.fields_refused
                );
                for a in &d.answers {
                    let via = if a.gathered.is_empty() {
                        String::new()
                    } else {
                        format!("　取りまとめ: {}", a.gathered.join("・"))
                    };
                    outln!(
                        "      提出番号 {} {} 記入者 {} 連絡先 {}{via}",
                        a.submission_id,
                        day(&Some(a.answered_at.clone())),
                        a.respondent,
                        a.contact
                    );
                    if !a.remarks.is_empty() {
                        outln!("      連絡事項: {}", a.remarks.replace('\n', " "));
                    }
                }
            }
            AnswerState::AnsweredVia => {
                if let Some(v) = &d.via {
                    outln!(
                        "  {name}: {}（{} → {} → 事務局、提出番号 {}） {}{late} 記入者 {} 連絡先 {}",
                        d.state.label(),
                        d.department,
                        v.department,
                        v.submission_id,
                        day(&d.answered_at),
                        v.respondent,
                        v.contact
                    );
                }
            }
        }
    }
    let t = &s.totals;
    outln!(
        "合計: {} 課 / 回答済み {}（部で取りまとめ {}）/ 未回答 {} / 遅れ {} / 反映 {} 項目 / 修正が重なった項目 {} 件 / 反映できなかった項目 {} 件",
        t.departments,
        t.answered + t.answered_via,
        t.answered_via,
        t.outstanding,
        t.late,
        t.changes_applied,
        t.conflicts_open,
        t.fields_refused
    );
    let p = &s.progress;
    outln!("進捗（{}年度、基本方針ごとの事業数）", p.fiscal_year);
    let heads: Vec<String> = p
        .scale
        .status
        .iter()
        .cloned()
        .chain(["その他".into(), "未記入".into()])
        .collect();
    outln!("  {:<20} {} 事業数", "基本方針", heads.join(" "));
    for row in p.rows.iter().chain(std::iter::once(&p.total)) {
        let counts: Vec<String> = row
            .status
            .iter()
            .chain([&row.other_status, &row.no_status])
            .map(|n| n.to_string())
            .collect();
        let title = format!("{} {}", row.code, row.title);
        outln!(
            "  {:<20} {} {}",
            title.chars().take(20).collect::<String>(),
            counts.join(" "),
            row.projects
        );
    }
    Ok(())
}
