//! `dxplan import`, `imports`, `undo-import`, `import-profile`.

use std::process::ExitCode;

use super::{output, CliError, Command};
use crate::import::{AcceptChoice, ImportChoices, ImportError};
use crate::model::fields::field_name;
use crate::store::{OpInfo, OpKind, Store};
use crate::workspace::{self, WorkspaceError};

/// `--accept` and `--accept-fields` as the core takes them: 「all」, 「new-only」 (the default,
/// said explicitly), a project, or 「project:field」 (a field name of the table or a path).
fn accept_choice(accept: &[String], fields: &[String]) -> AcceptChoice {
    let mut a = AcceptChoice::default();
    for given in accept {
        let g = given.trim();
        match g {
            "all" | "すべて" => a.all = true,
            "new-only" | "追加のみ" => {}
            _ => match g.rsplit_once(':') {
                Some((p, f))
                    if !p.trim().is_empty()
                        && (field_name(f).is_some() || f.contains('/') || f.contains('.')) =>
                {
                    a.fields
                        .push((Some(p.trim().to_string()), f.trim().to_string()))
                }
                _ => a.projects.push(g.to_string()),
            },
        }
    }
    a.fields
        .extend(fields.iter().map(|f| (None, f.trim().to_string())));
    a
}

pub fn run(cmd: Command) -> Result<ExitCode, CliError> {
    match cmd {
        Command::Import {
            plan,
            files,
            dry_run,
            json,
            accept,
            accept_fields,
            measure,
            maps,
            strict,
            allow_skipped,
        } => {
            let choices = ImportChoices {
                accept: accept_choice(&accept, &accept_fields),
                measure,
                measure_for: Vec::new(),
                maps: maps
                    .iter()
                    .map(|m| crate::import::choices::parse_map(m))
                    .collect::<Result<_, _>>()?,
                strict,
                allow_skipped,
            };
            // A workbook dxplan exported can become a new plan file (same plan, same ids).
            let result = workspace::import(&plan, &files, dry_run, &choices);
            let report = match result {
                Ok(r) => r,
                // What was read is shown, then why nothing was written (stderr, exit 2).
                Err(WorkspaceError::Import(ImportError::NeedsDecision(report))) => {
                    if json {
                        output::json(&report, false)?;
                    } else {
                        outln!("{report}");
                    }
                    return Err(ImportError::NeedsDecision(report).into());
                }
                Err(e) => return Err(e.into()),
            };
            if json {
                output::json(&report, false)?;
            } else {
                outln!("{report}");
            }
        }
        Command::Imports { plan, json } => {
            let store = Store::open_read_only(&plan)?;
            let list = store.imports()?;
            if json {
                output::json(&list, false)?;
            } else {
                for r in &list {
                    outln!(
                        "#{} {} {}: 新規 {} 件 / 一致 {} 件 / 変更 {} 項目 / 保留 {} 項目{}",
                        r.id,
                        r.imported_at,
                        r.files.join(", "),
                        r.projects_new,
                        r.projects_matched,
                        r.changes,
                        r.changes_held,
                        if r.undone {
                            "（取り消し済み / undone）"
                        } else {
                            ""
                        }
                    );
                }
                outln!("{} 件 / {} import(s)", list.len(), list.len());
            }
        }
        Command::UndoImport {
            plan,
            import_id,
            json,
        } => {
            let r = workspace::undo_import(&plan, import_id)?;
            if json {
                output::json(&r, false)?;
            } else {
                outln!(
                    "取込番号 {} を取り消しました / import {} undone: 削除した事業 {} / 戻した事業 {}（{} 項目） / 削除した基本方針・施策・組織 {} / 外した読み替え {}",
                    r.import_id,
                    r.import_id,
                    r.projects_removed,
                    r.projects_restored,
                    r.fields_reverted,
                    r.items_removed,
                    r.labels_removed
                );
                for k in &r.kept {
                    outln!(
                        "  残しました / kept: {} {}: {}",
                        k.project_id,
                        k.field,
                        k.reason
                    );
                }
            }
        }
        Command::ImportProfile { plan, remove, json } => {
            if !remove.is_empty() {
                let mut store = Store::open(&plan)?;
                let known = store.import_profile()?;
                let keys: Vec<String> = remove
                    .iter()
                    .map(|l| crate::import::choices::label_key(l))
                    .collect();
                if let Some(missing) = keys
                    .iter()
                    .zip(&remove)
                    .find(|(k, _)| !known.iter().any(|l| &l.key == *k))
                {
                    return Err(ImportError::UnknownChoice {
                        what: "読み替え",
                        what_en: "mapping",
                        given: missing.1.clone(),
                        choices: known
                            .iter()
                            .map(|l| l.label.clone())
                            .collect::<Vec<_>>()
                            .join("、"),
                    }
                    .into());
                }
                store.write(
                    OpInfo::new(OpKind::Settings).source("import-profile --remove"),
                    |w| {
                        for k in &keys {
                            w.restore_import_label(k, None)?;
                        }
                        Ok(())
                    },
                )?;
            }
            let store = Store::open_read_only(&plan)?;
            let profile = store.import_profile()?;
            if json {
                output::json(&profile, false)?;
            } else {
                for l in &profile {
                    let f = field_name(&l.field);
                    outln!(
                        "「{}」 → {}（{}）",
                        l.label,
                        l.field,
                        f.map_or("", |f| f.label)
                    );
                }
                outln!("{} 件 / {} mapping(s)", profile.len(), profile.len());
            }
        }
        _ => unreachable!("import_cmd::run is given import commands only"),
    }
    Ok(ExitCode::SUCCESS)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn accept_reads_all_projects_and_fields() {
        let a = accept_choice(
            &[
                "new-only".into(),
                "Ⅰ-1-①".into(),
                "Ⅰ-1-②:budget".into(),
                "キャッシュレス化: 2024年度".into(),
            ],
            &["summary".into()],
        );
        assert!(!a.all);
        assert_eq!(a.projects, vec!["Ⅰ-1-①", "キャッシュレス化: 2024年度"]);
        assert_eq!(
            a.fields,
            vec![
                (Some("Ⅰ-1-②".to_string()), "budget".to_string()),
                (None, "summary".to_string())
            ]
        );
        assert!(accept_choice(&["all".into()], &[]).all);
    }
}
