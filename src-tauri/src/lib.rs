//! dxplan desktop shell (Tauri 2). Only commands that call the core crate live here: no
//! domain logic. See README.md (「デスクトップアプリ」) for the debug-only test variables.

pub mod checks;
pub mod closing;
pub mod commands;
pub mod dto;
pub mod error;
pub mod files;
pub mod importing;
pub mod office;
pub mod outline;
pub mod pick;
pub mod plans;
pub mod printing;
pub mod readable;
pub mod report_cmd;
pub mod review;
pub mod rollups_view;
pub mod rounds_cmd;
pub mod state;
pub mod submission;
pub mod tree_rows;
pub mod versions_cmd;
pub mod views;

mod command_names;

use std::path::PathBuf;
use std::sync::OnceLock;
use std::time::Instant;

use tauri::Manager;
use tauri_specta::{collect_commands, Builder, ErrorHandlingMode};

pub use command_names::COMMANDS;

static START: OnceLock<Instant> = OnceLock::new();

/// Milliseconds since `run()` began (the start of the process, for practical purposes).
pub fn since_start_ms() -> f64 {
    START.get_or_init(Instant::now).elapsed().as_secs_f64() * 1000.0
}

/// With DXPLAN_BENCH set (scripts/bench-app.sh), prints where the start's time went.
pub fn bench_note(what: &str, began_at_ms: f64) {
    if std::env::var_os("DXPLAN_BENCH").is_some() {
        use std::io::Write;
        let now = since_start_ms();
        println!(
            "DXPLAN_TIMING {what}: {:.1} ms (from {began_at_ms:.1} ms)",
            now - began_at_ms
        );
        let _ = std::io::stdout().flush();
    }
}

/// A test-only environment variable: read in debug builds, always `None` in release builds.
pub fn debug_env(name: &str) -> Option<String> {
    #[cfg(debug_assertions)]
    {
        std::env::var(name).ok().filter(|v| !v.trim().is_empty())
    }
    #[cfg(not(debug_assertions))]
    {
        let _ = name;
        None
    }
}

/// Every command, registered once: used for the invoke handler and for the TypeScript bindings.
pub fn specta_builder() -> Builder<tauri::Wry> {
    use commands::*;
    Builder::<tauri::Wry>::new()
        .commands(collect_commands![
            start,
            open_plan,
            reset_sample,
            plan_tree,
            get_project,
            save_project,
            create_project,
            add_org_unit,
            parse_value,
            parse_money,
            history,
            dashboard,
            pick_files,
            pick_save_path,
            ui_ready,
            app_info,
            departments,
            export_department,
            export_master,
            merge_preview,
            merge_apply,
            conflicts,
            resolve_conflict,
            submissions,
            undo_merge,
            open_department_workbook,
            leave_department_mode,
            write_submission,
            // 照会 (rounds_cmd.rs), 版・新旧対照表 (versions_cmd.rs)
            rounds_cmd::rounds,
            rounds_cmd::round_candidates,
            rounds_cmd::start_round,
            rounds_cmd::round_status,
            rounds_cmd::round_reminders,
            rounds_cmd::write_round_reminders,
            rounds_cmd::pick_folder,
            versions_cmd::versions,
            versions_cmd::record_version,
            versions_cmd::version_tree,
            versions_cmd::version_project,
            versions_cmd::close_version,
            versions_cmd::compare_versions,
            versions_cmd::export_comparison,
            plans::startup,
            plans::set_role,
            plans::recent_plans,
            plans::forget_recent,
            plans::open_sample,
            plans::open_plan_file,
            plans::new_plan,
            plans::save_plan_as,
            plans::copy_plan_to,
            plans::backups,
            plans::restore_backup,
            outline::add_policy,
            outline::add_measure,
            outline::rename_outline_item,
            outline::delete_outline_item,
            outline::move_outline_item,
            outline::move_measure_to_policy,
            outline::move_projects_to_measure,
            review::review_members,
            review::gather_preview,
            review::gather_apply,
            checks::check_plan,
            closing::close_ready,
            importing::import_check,
            importing::import_run,
            importing::imports,
            importing::undo_import,
            importing::import_profile,
            readable::history_view,
            submission::last_cover,
            submission::write_answer,
            submission::submissions_view,
            printing::print_page,
            report_cmd::report_preview,
            report_cmd::report_page,
            report_cmd::save_report,
            report_cmd::close_report,
        ])
        // the change log's operation kinds as people read them (「編集」, 「統合」), from the core
        .constant("OP_KIND_LABELS", op_kind_labels())
        // the 点検 findings' kinds as people read them, from the core
        .constant("LINT_KIND_LABELS", lint_kind_labels())
        // a 新旧対照表's item kinds (「事業」) and presences (「追加」), from the core
        .constant("ITEM_KIND_LABELS", item_kind_labels())
        .constant("PRESENCE_LABELS", presence_labels())
        .error_handling(ErrorHandlingMode::Throw)
        // one TypeScript type per Rust type (the UI sends back what it received)
        .disable_serde_phases()
}

/// `local_edit` → 「編集」, … for every kind of operation the change log records.
fn op_kind_labels() -> std::collections::BTreeMap<&'static str, &'static str> {
    dxplan::workspace::OpKind::ALL
        .into_iter()
        .map(|k| (k.as_str(), k.label()))
        .collect()
}

/// `negative_money` → 「負の金額」, … for every kind of 点検 finding.
fn lint_kind_labels() -> std::collections::BTreeMap<String, &'static str> {
    dxplan::report::lints::LintKind::ALL
        .into_iter()
        .map(|k| (wire_name(&k), k.label()))
        .collect()
}

/// `project` → 「事業」, … for the kinds of item a 新旧対照表 compares.
fn item_kind_labels() -> std::collections::BTreeMap<String, &'static str> {
    use dxplan::compare::ItemKind as K;
    [K::Plan, K::Policy, K::Measure, K::Project]
        .into_iter()
        .map(|k| (wire_name(&k), k.label()))
        .collect()
}

/// `added` → 「追加」, `removed` → 「削除」, `changed` → 「変更」.
fn presence_labels() -> std::collections::BTreeMap<String, &'static str> {
    use dxplan::compare::Presence as P;
    [P::Added, P::Removed, P::Changed]
        .into_iter()
        .map(|p| (wire_name(&p), p.label()))
        .collect()
}

/// An enum's name on the wire (its serde snake_case string).
fn wire_name(k: &impl serde::Serialize) -> String {
    match serde_json::to_value(k) {
        Ok(serde_json::Value::String(s)) => s,
        _ => String::new(),
    }
}

/// Writes `ui/src/bindings.ts` (run by the `bindings` test).
pub fn export_bindings(path: &std::path::Path) -> Result<(), String> {
    let ts = specta_typescript::Typescript::default()
        .header("// Generated by `cargo test -p dxplan-app` from the Rust types in src-tauri/src. Do not edit.\n// @ts-nocheck\n");
    specta_builder().export(ts, path).map_err(|e| e.to_string())
}

fn data_dir(app: &tauri::App) -> Result<PathBuf, String> {
    if let Some(d) = debug_env("DXPLAN_DATA_DIR") {
        return Ok(PathBuf::from(d));
    }
    app.path().app_data_dir().map_err(|e| e.to_string())
}

pub fn run() {
    START.get_or_init(Instant::now);
    let builder = specta_builder();
    let result = tauri::Builder::default()
        .plugin(tauri_plugin_dialog::init())
        .manage(state::AppState::default())
        .manage(versions_cmd::VersionCache::default())
        .manage(report_cmd::ReportCache::default())
        .manage(plans::Opening::default())
        .invoke_handler(builder.invoke_handler())
        .on_window_event(closing::on_window_event)
        .setup(|app| {
            let dir = data_dir(app)?;
            std::fs::create_dir_all(&dir)
                .map_err(|e| format!("データフォルダを作れません {}: {e}", dir.display()))?;
            *app.state::<state::AppState>()
                .data_dir
                .lock()
                .unwrap_or_else(|p| p.into_inner()) = Some(dir);
            // the plan opens while the web view starts (`startup` waits for it)
            let handle = app.handle().clone();
            std::thread::Builder::new()
                .name("dxplan-open-early".into())
                .spawn(move || {
                    plans::open_early(
                        &handle.state::<state::AppState>(),
                        &handle.state::<plans::Opening>(),
                    )
                })
                .map_err(|e| format!("計画を開くスレッドを作れません: {e}"))?;
            Ok(())
        })
        .run(tauri::generate_context!());
    if let Err(e) = result {
        eprintln!("dxplan を起動できません / cannot start dxplan: {e}");
        std::process::exit(1);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Generates the TypeScript bindings and fails whenever the committed file differs from
    /// them, on every machine (a changed Rust type without regenerated bindings is caught before
    /// CI). The committed file is only rewritten when asked: DXPLAN_WRITE_BINDINGS=1.
    #[test]
    fn bindings() {
        let path = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../ui/src/bindings.ts");
        if std::env::var_os("DXPLAN_WRITE_BINDINGS").is_some() {
            export_bindings(&path).expect("export bindings");
            return;
        }
        let dir = tempfile::tempdir().expect("temp dir");
        let fresh = dir.path().join("bindings.ts");
        export_bindings(&fresh).expect("export bindings");
        let committed = std::fs::read_to_string(&path).unwrap_or_default();
        let generated = std::fs::read_to_string(&fresh).expect("read bindings");
        assert!(
            committed == generated,
            "ui/src/bindings.ts is stale: run `DXPLAN_WRITE_BINDINGS=1 cargo test -p dxplan-app --profile desktop bindings` and commit it"
        );
    }

    /// No command takes a path from the web side (issue 12): whatever a command receives that
    /// names a file or folder — a parameter, or a field of a type it receives, at any depth —
    /// is a `FileHandle`. Read from the generated bindings, so a new command is checked too.
    #[test]
    fn no_command_receives_a_path() {
        let dir = tempfile::tempdir().expect("temp dir");
        let fresh = dir.path().join("bindings.ts");
        export_bindings(&fresh).expect("export bindings");
        let ts = std::fs::read_to_string(&fresh).expect("read bindings");
        // `export type X = { a: T, … }` → X's fields
        let mut types: std::collections::HashMap<&str, Vec<(&str, &str)>> = Default::default();
        let mut current: Option<&str> = None;
        for line in ts.lines() {
            if let Some(rest) = line.strip_prefix("export type ") {
                current = rest
                    .strip_suffix(" = {")
                    .filter(|n| !n.contains(' '))
                    .inspect(|n| {
                        types.insert(n, Vec::new());
                    });
            } else if line.starts_with('}') {
                current = None;
            } else if let (Some(t), Some((name, ty))) = (current, line.trim().split_once(": ")) {
                types
                    .get_mut(t)
                    .expect("type begun")
                    .push((name, ty.trim_end_matches(',')));
            }
        }
        let names_a_file = |n: &str| {
            ["path", "paths", "dir", "folder", "file", "files"].contains(&n)
                || n.ends_with("_path")
                || n.ends_with("Path")
        };
        let mut checked = 0;
        let mut todo: Vec<(String, String, String)> = Vec::new();
        for line in ts.lines().filter(|l| l.contains("__TAURI_INVOKE<")) {
            let (name, rest) = line.trim().split_once(": (").expect("a command");
            let params = rest.split_once(") =>").expect("params").0;
            for p in params.split(", ").filter(|p| !p.is_empty()) {
                let (pn, pt) = p.split_once(": ").expect("name: type");
                todo.push((name.to_string(), pn.to_string(), pt.to_string()));
            }
        }
        let mut seen = std::collections::HashSet::new();
        while let Some((at, name, ty)) = todo.pop() {
            let base = ty.trim_end_matches("[]").trim_end_matches(" | null");
            if names_a_file(&name) || ty.contains("FileHandle") {
                assert!(
                    base == "FileHandle",
                    "{at}: `{name}: {ty}` names a file: it must be a FileHandle"
                );
                checked += 1;
            }
            if let Some(fields) = types.get(base).filter(|_| seen.insert(base.to_string())) {
                for (f, t) in fields {
                    todo.push((format!("{at} → {base}"), f.to_string(), t.to_string()));
                }
            }
        }
        assert!(checked >= 20, "only {checked} file arguments found");
    }

    #[test]
    fn every_command_has_a_permission_and_is_granted() {
        let cap: serde_json::Value =
            serde_json::from_str(include_str!("../capabilities/main.json"))
                .expect("capabilities/main.json");
        let granted: Vec<&str> = cap["permissions"]
            .as_array()
            .unwrap()
            .iter()
            .filter_map(|p| p.as_str())
            .collect();
        for c in COMMANDS {
            assert!(
                granted.contains(&format!("allow-{}", c.replace('_', "-")).as_str()),
                "{c} not granted"
            );
        }
        assert!(!granted
            .iter()
            .any(|p| p.starts_with("shell:") || p.starts_with("fs:") || p.starts_with("http:")));
    }
}
