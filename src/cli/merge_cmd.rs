//! `dxplan merge`, `conflicts`, `resolve`, `undo-merge`, `submissions`.

use std::process::ExitCode;

use super::{CliError, Command};
use crate::merge::words::value_text;
use crate::merge::Resolution;
use crate::store::Store;
use crate::workspace;

fn print_json<T: serde::Serialize>(v: &T) -> Result<(), CliError> {
    super::output::json(v, false)
}

pub fn run(cmd: Command) -> Result<ExitCode, CliError> {
    match cmd {
        Command::Merge {
            plan,
            submissions,
            dry_run,
            json,
        } => {
            let report = workspace::merge(&plan, &submissions, dry_run)?;
            if json {
                print_json(&report)?;
            } else {
                outln!("{report}");
            }
        }
        Command::Conflicts { plan, all, json } => {
            let store = Store::open_read_only(&plan)?;
            let conflicts = store.conflicts(!all)?;
            if json {
                print_json(&conflicts)?;
            } else {
                let p = store.load_plan()?;
                let text = |field: &str, v: &Option<serde_json::Value>| {
                    value_text(field, v.as_ref(), &p.org_units)
                };
                for c in &conflicts {
                    let project = p.projects.iter().find(|x| x.id == c.project_id);
                    let label = project
                        .map(|x| crate::merge::describe(&c.field, x, x))
                        .unwrap_or_else(|| c.field.clone());
                    outln!(
                        "#{} [{}] {}「{}」 {} {}: 元「{}」 事務局「{}」 課「{}」{}",
                        c.id,
                        c.department,
                        c.at,
                        project.map_or("?", |x| x.title.as_str()),
                        label,
                        c.status.as_str(),
                        text(&c.field, &c.base),
                        text(&c.field, &c.ours),
                        text(&c.field, &c.theirs),
                        c.resolution
                            .as_ref()
                            .map(|r| format!(" → 「{}」", text(&c.field, &Some(r.clone()))))
                            .unwrap_or_default()
                    );
                }
                outln!("{} 件 / {} conflict(s)", conflicts.len(), conflicts.len());
            }
        }
        Command::Resolve {
            plan,
            id,
            take,
            value,
        } => {
            let how = match (take.as_deref(), value) {
                (Some("ours"), _) => Resolution::Ours,
                (Some(_), _) => Resolution::Theirs,
                (None, Some(v)) => Resolution::Value(v),
                (None, None) => Resolution::Ours,
            };
            let now = workspace::resolve(&plan, id, how)?;
            outln!("修正が重なった項目 #{id} を解決しました: 「{now}」 / conflict {id} resolved");
        }
        Command::UndoMerge {
            plan,
            submission_id,
            json,
        } => {
            let r = workspace::undo_merge(&plan, submission_id)?;
            if json {
                print_json(&r)?;
            } else {
                outln!(
                    "提出番号 {submission_id} の統合を取り消しました: {} 項目を元に戻し、修正が重なった項目 {} 件を取り下げ、提案 {} 件を削除 / merge undone",
                    r.reverted, r.conflicts_withdrawn, r.proposals_removed
                );
                for x in &r.resolutions_reverted {
                    outln!(
                        "  課の値で解決した修正が重なった項目 #{} も元に戻しました / the department's value taken in conflict #{} was reverted too: 「{}」 {}",
                        x.conflict_id,
                        x.conflict_id,
                        x.project,
                        x.label
                    );
                }
                for k in &r.kept {
                    outln!(
                        "  残した変更 / kept: 「{}」 {}: {}",
                        k.project,
                        if k.label.is_empty() {
                            &k.field
                        } else {
                            &k.label
                        },
                        k.reason
                    );
                }
            }
        }
        Command::Submissions { plan, json } => {
            let subs = Store::open_read_only(&plan)?.submissions()?;
            if json {
                print_json(&subs)?;
            } else {
                for s in &subs {
                    outln!(
                        "{} {} {} 書出し {} 統合 {}{}",
                        s.id,
                        s.department,
                        s.file,
                        s.exported_at,
                        s.merged_at,
                        if s.undone { "（取消済）" } else { "" }
                    );
                    if !s.respondent.is_empty() || !s.contact.is_empty() {
                        outln!("    記入者 {}　連絡先 {}", s.respondent, s.contact);
                    }
                    if !s.remarks.is_empty() {
                        outln!("    連絡事項: {}", s.remarks.replace('\n', " "));
                    }
                    if !s.via.is_empty() {
                        let names: Vec<&str> =
                            s.via.iter().map(|v| v.department.as_str()).collect();
                        outln!(
                            "    取りまとめ: {} → {} → 事務局",
                            names.join("・"),
                            s.department
                        );
                    }
                }
            }
        }
        _ => unreachable!("merge_cmd::run is given merge commands only"),
    }
    Ok(ExitCode::SUCCESS)
}
