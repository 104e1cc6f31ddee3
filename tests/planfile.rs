//! The plan file as an attacker or an accident leaves it (issue 12, "the plan file itself"):
//! foreign schema objects, a pipe instead of a file, a SQLite file that only claims to be a
//! plan, absurd data, an export aimed at the plan, amounts that overflow, invisible characters
//! in names, and a reader that closes the pipe. Every case runs the real `dxplan` binary on
//! real files.

use crate::common;
use crate::support;

use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, SystemTime};

use common::*;
use rust_xlsxwriter::Workbook;

fn sql(plan: &Path, batch: &str) {
    let c = rusqlite::Connection::open(plan).unwrap();
    c.execute_batch(batch).unwrap();
}

fn query_i64(plan: &Path, q: &str) -> i64 {
    let c = rusqlite::Connection::open_with_flags(plan, rusqlite::OpenFlags::SQLITE_OPEN_READ_ONLY)
        .unwrap();
    c.query_row(q, [], |r| r.get(0)).unwrap()
}

fn budgets_of(plan: &Path) -> String {
    let c = rusqlite::Connection::open_with_flags(plan, rusqlite::OpenFlags::SQLITE_OPEN_READ_ONLY)
        .unwrap();
    c.query_row(
        "SELECT group_concat(project_id || ':' || fiscal_year || '=' || ifnull(planned, '-'), ',')
         FROM (SELECT * FROM budget ORDER BY project_id, fiscal_year)",
        [],
        |r| r.get(0),
    )
    .unwrap()
}

fn sidecars(plan: &Path) -> Vec<PathBuf> {
    ["-wal", "-shm", "-journal"]
        .iter()
        .map(|s| PathBuf::from(format!("{}{s}", plan.display())))
        .filter(|p| p.exists())
        .collect()
}

/// A refusal: exit 2, the file named, every keyword group (`a|b`) present, no panic.
fn refused(r: &Run, what: &str, names: &str, keywords: &[&str]) {
    assert!(!r.timed_out, "{what}: did not finish");
    assert_eq!(
        r.code,
        Some(2),
        "{what}: exit {:?}\n{}\n{}",
        r.code,
        r.stderr,
        tail(&r.stdout, 2000)
    );
    assert!(
        r.stderr.contains(names),
        "{what}: stderr does not name {names}:\n{}",
        r.stderr
    );
    for k in keywords {
        assert!(
            k.split('|').any(|k| r.stderr.contains(k)),
            "{what}: stderr mentions none of 「{k}」:\n{}",
            r.stderr
        );
    }
    assert!(
        !r.stderr.contains("panicked"),
        "{what}: a panic:\n{}",
        r.stderr
    );
}

/// A one-sheet legacy list (「事業一覧」: 事業名, 担当課, 施策, 令和5年度 事業費（千円）), rows of
/// (title, owners, budget cell: a number or a text).
fn flat_list(path: &Path, rows: &[(&str, &str, Result<f64, &str>)]) {
    let mut wb = Workbook::new();
    let ws = wb.add_worksheet();
    ws.set_name("事業一覧").unwrap();
    for (i, h) in ["事業名", "担当課", "施策", "令和5年度 事業費（千円）"]
        .iter()
        .enumerate()
    {
        ws.write_string(0, i as u16, *h).unwrap();
    }
    for (k, (title, owners, budget)) in rows.iter().enumerate() {
        let r = k as u32 + 1;
        ws.write_string(r, 0, *title).unwrap();
        ws.write_string(r, 1, *owners).unwrap();
        ws.write_string(r, 2, "行政手続のオンライン化").unwrap();
        match budget {
            Ok(n) => ws.write_number(r, 3, *n).unwrap(),
            Err(t) => ws.write_string(r, 3, *t).unwrap(),
        };
    }
    wb.save(path).unwrap();
}

// ---------------------------------------------------------------------------------------------
// Schema objects dxplan did not create

/// A trigger added to a plan used to fire inside every import and rewrite budgets without a
/// line in the change log. Now the plan is refused, by a read and by a write, untouched.
#[test]
fn a_plan_carrying_a_trigger_is_refused_and_its_budgets_untouched() {
    let dir = tempfile::tempdir().unwrap();
    let plan = sample_plan(dir.path(), "計画.dxplan");
    sql(
        &plan,
        "CREATE TRIGGER keep_it_quiet AFTER INSERT ON operation BEGIN UPDATE budget SET planned = 1; END;",
    );
    let budgets = budgets_of(&plan);
    let bytes = std::fs::read(&plan).unwrap();
    let wb = dir.path().join("一覧.xlsx");
    flat_list(&wb, &[("オンライン申請の拡充", "情報政策課", Ok(6000.0))]);
    for args in [
        vec!["import", p(&plan), p(&wb)],
        vec!["dump", p(&plan)],
        vec!["summary", p(&plan)],
        vec!["merge", p(&plan), p(&wb)],
    ] {
        let r = dxplan(&args);
        refused(
            &r,
            &format!("{args:?}"),
            "計画.dxplan",
            &["keep_it_quiet", "trigger"],
        );
    }
    assert_eq!(budgets_of(&plan), budgets, "budgets were rewritten");
    assert_eq!(
        std::fs::read(&plan).unwrap(),
        bytes,
        "the plan file changed"
    );
}

#[test]
fn a_foreign_view_table_or_index_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    let base = sample_plan(dir.path(), "base.dxplan");
    for (name, batch, word) in [
        ("view", "CREATE VIEW project AS SELECT 1;", ""),
        (
            "view2",
            "CREATE VIEW everything AS SELECT * FROM budget;",
            "everything",
        ),
        ("table", "CREATE TABLE notes (x TEXT);", "notes"),
        (
            "index",
            "CREATE INDEX budget_planned ON budget(planned);",
            "budget_planned",
        ),
    ] {
        let plan = dir.path().join(format!("{name}.dxplan"));
        std::fs::copy(&base, &plan).unwrap();
        let ok = rusqlite::Connection::open(&plan)
            .unwrap()
            .execute_batch(batch)
            .is_ok();
        if !ok {
            continue; // A view may not shadow a table: SQLite itself refuses that one.
        }
        let bytes = std::fs::read(&plan).unwrap();
        for cmd in ["dump", "history"] {
            let r = dxplan(&[cmd, p(&plan)]);
            refused(
                &r,
                &format!("{name} {cmd}"),
                &format!("{name}.dxplan"),
                &["dxplan が作らない|did not create", word],
            );
        }
        let r = dxplan(&["generate", p(&plan), "--projects", "2"]);
        refused(
            &r,
            &format!("{name} write"),
            &format!("{name}.dxplan"),
            &[word],
        );
        assert_eq!(
            std::fs::read(&plan).unwrap(),
            bytes,
            "{name}: the plan file changed"
        );
    }
}

#[test]
fn a_changed_table_definition_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    let plan = sample_plan(dir.path(), "changed.dxplan");
    // Without its CHECK, budget would take anything; a column added changes the definition too.
    sql(&plan, "ALTER TABLE budget ADD COLUMN remark TEXT;");
    let r = dxplan(&["dump", p(&plan)]);
    refused(
        &r,
        "added column",
        "changed.dxplan",
        &["budget", "changed definition|定義が違います"],
    );
    let plan2 = sample_plan(dir.path(), "dropped.dxplan");
    sql(&plan2, "DROP INDEX change_log_project;");
    let r = dxplan(&["check", p(&plan2)]);
    refused(
        &r,
        "dropped index",
        "dropped.dxplan",
        &["change_log_project", "missing|ありません"],
    );
}

// ---------------------------------------------------------------------------------------------
// Files that are not plans

#[cfg(unix)]
#[test]
fn a_fifo_is_refused_without_blocking() {
    let dir = tempfile::tempdir().unwrap();
    let fifo = dir.path().join("pipe.dxplan");
    let made = Command::new("mkfifo").arg(&fifo).status();
    if !made.is_ok_and(|s| s.success()) {
        eprintln!("mkfifo not available: skipped");
        return;
    }
    let good = dir.path().join("一覧.xlsx");
    flat_list(&good, &[("オンライン申請の拡充", "情報政策課", Ok(6000.0))]);
    for args in [
        vec!["dump", p(&fifo)],
        vec!["import", p(&fifo), p(&good)],
        vec!["history", p(&fifo)],
    ] {
        let mut cmd = Command::new(exe());
        cmd.args(&args);
        // The guard: a regression blocks on open(2); the test fails instead of hanging.
        let r = run_cmd(cmd, Duration::from_secs(20));
        assert!(!r.timed_out, "{args:?}: blocked on the pipe");
        refused(
            &r,
            &format!("{args:?}"),
            "pipe.dxplan",
            &["通常のファイルではありません|not a regular file"],
        );
    }
    // A pipe as the export's destination is refused too, before anything is written to it.
    let plan = sample_plan(dir.path(), "plan.dxplan");
    let mut cmd = Command::new(exe());
    cmd.args(["export", p(&plan), "-o", p(&fifo)]);
    let r = run_cmd(cmd, Duration::from_secs(20));
    assert!(!r.timed_out, "export blocked on the pipe");
    refused(
        &r,
        "export -o fifo",
        "pipe.dxplan",
        &["通常のファイル|regular file"],
    );
}

/// The application id is written last when a plan is created: with `user_version` 0 the file
/// is some other SQLite file carrying dxplan's id, never a plan.
#[test]
fn an_application_id_without_a_schema_version_is_not_a_plan() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("claims.dxplan");
    sql(
        &path,
        "CREATE TABLE plan (x); PRAGMA application_id = 1146638412; PRAGMA user_version = 0;",
    );
    assert_eq!(query_i64(&path, "PRAGMA application_id"), 0x4458_504C);
    let bytes = std::fs::read(&path).unwrap();
    for args in [
        vec!["dump", p(&path)],
        vec!["generate", p(&path), "--projects", "1"],
    ] {
        let r = dxplan(&args);
        refused(
            &r,
            &format!("{args:?}"),
            "claims.dxplan",
            &["計画ファイルではありません|not a dxplan plan file"],
        );
    }
    assert_eq!(std::fs::read(&path).unwrap(), bytes);
}

// ---------------------------------------------------------------------------------------------
// Read commands never write

fn mtime(path: &Path) -> SystemTime {
    std::fs::metadata(path).unwrap().modified().unwrap()
}

const READS: [&str; 8] = [
    "summary",
    "dump",
    "check",
    "history",
    "conflicts",
    "submissions",
    "exports",
    "versions",
];

/// Every read command. (`export` is not one: the plan records what it sent in its register.)
fn run_reads(plan: &Path, runner: impl Fn(&[&str]) -> Run) {
    for cmd in READS {
        let r = runner(&[cmd, p(plan)]);
        assert!(
            matches!(r.code, Some(0 | 1)) && !r.timed_out,
            "{cmd}: exit {:?}\n{}",
            r.code,
            r.stderr
        );
    }
}

#[test]
fn read_commands_leave_the_plan_and_its_folder_as_they_were() {
    let dir = tempfile::tempdir().unwrap();
    let plan_dir = dir.path().join("plans");
    std::fs::create_dir(&plan_dir).unwrap();
    let plan = sample_plan(&plan_dir, "計画.dxplan");
    assert!(
        sidecars(&plan).is_empty(),
        "the writer left {:?}",
        sidecars(&plan)
    );
    let (bytes, time) = (std::fs::read(&plan).unwrap(), mtime(&plan));
    std::thread::sleep(Duration::from_millis(20));
    run_reads(&plan, dxplan);
    assert_eq!(
        std::fs::read(&plan).unwrap(),
        bytes,
        "the plan's bytes changed"
    );
    assert_eq!(mtime(&plan), time, "the plan's modification time changed");
    assert!(
        sidecars(&plan).is_empty(),
        "a read created {:?}",
        sidecars(&plan)
    );
}

/// An older plan is read as it is (through a migrated copy in memory): never migrated by a
/// read, migrated by the first write.
#[test]
fn an_older_plan_is_read_without_being_migrated() {
    let dir = tempfile::tempdir().unwrap();
    let plan = sample_plan(dir.path(), "v1.dxplan");
    // What a plan of schema 1 holds: every table a later migration added is dropped.
    downgrade_schema(&plan, 1);
    let (bytes, time) = (std::fs::read(&plan).unwrap(), mtime(&plan));
    let d = dump(&plan);
    assert_eq!(projects(&d).len(), 30);
    let r = dxplan(&["submissions", p(&plan), "--json"]).expect_ok("submissions of a v1 plan");
    assert_eq!(r.json(), serde_json::json!([]));
    run_reads(&plan, dxplan);
    assert_eq!(
        std::fs::read(&plan).unwrap(),
        bytes,
        "a read migrated the plan"
    );
    assert_eq!(mtime(&plan), time);
    assert_eq!(query_i64(&plan, "PRAGMA user_version"), 1);
    dxplan(&["generate", p(&plan), "--projects", "1"]).expect_ok("a write migrates");
    assert_eq!(
        query_i64(&plan, "PRAGMA user_version"),
        dxplan::store::schema::latest_version()
    );
}

#[cfg(unix)]
mod read_only {
    use super::*;
    use std::os::unix::fs::PermissionsExt;
    use std::os::unix::process::CommandExt;

    const NOBODY: u32 = 65534;

    fn is_root() -> bool {
        let f = tempfile::NamedTempFile::new().unwrap();
        std::os::unix::fs::MetadataExt::uid(&f.as_file().metadata().unwrap()) == 0
    }

    /// As an ordinary user: root ignores permissions, a clerk at a desk does not.
    fn as_user(args: &[&str]) -> Run {
        let mut cmd = Command::new(exe());
        cmd.args(args);
        if is_root() {
            cmd.uid(NOBODY).gid(NOBODY);
        }
        run_cmd(cmd, Duration::from_secs(60))
    }

    fn chmod(path: &Path, mode: u32) {
        std::fs::set_permissions(path, std::fs::Permissions::from_mode(mode)).unwrap();
    }

    /// A plan on a share the user may only read (file 444 in a folder 555): every read command
    /// works, and nothing appears in the folder, not even a -wal or -shm.
    #[test]
    fn every_read_command_works_on_a_read_only_plan_in_a_read_only_folder() {
        let top = tempfile::tempdir().unwrap();
        chmod(top.path(), 0o777);
        let share = top.path().join("共有");
        std::fs::create_dir(&share).unwrap();
        let plan = sample_plan(&share, "計画.dxplan");
        let out = top.path().join("out");
        std::fs::create_dir(&out).unwrap();
        chmod(&out, 0o777);
        chmod(&plan, 0o444);
        chmod(&share, 0o555);
        let (bytes, time) = (std::fs::read(&plan).unwrap(), mtime(&plan));
        run_reads(&plan, as_user);
        // An export must record itself in the plan: refused, saying why, with nothing written.
        let xlsx = out.join("全体.xlsx");
        let r = as_user(&["export", p(&plan), "-o", p(&xlsx)]);
        assert_eq!(r.code, Some(2), "export of a read-only plan: {}", r.stderr);
        assert!(r.stderr.contains("計画.dxplan"), "{}", r.stderr);
        assert!(!xlsx.exists());
        let left: Vec<_> = std::fs::read_dir(&share)
            .unwrap()
            .map(|e| e.unwrap().file_name())
            .collect();
        chmod(&share, 0o755);
        assert_eq!(left.len(), 1, "files appeared beside the plan: {left:?}");
        assert_eq!(std::fs::read(&plan).unwrap(), bytes);
        assert_eq!(mtime(&plan), time);
    }
}

// ---------------------------------------------------------------------------------------------
// Data that breaks the plan's rules

#[test]
fn an_absurd_plan_period_is_refused_naming_the_file() {
    let dir = tempfile::tempdir().unwrap();
    let base = sample_plan(dir.path(), "base.dxplan");
    for (name, batch, word) in [
        // Used to abort `dump` trying to allocate 16 GB for the years.
        (
            "period",
            "UPDATE plan SET first_fy = -2147483648, last_fy = 2147483647;",
            "計画期間",
        ),
        (
            "task",
            "UPDATE task SET start_fy = -2147483648 WHERE rowid = (SELECT min(rowid) FROM task);",
            "工程",
        ),
        (
            "budget_year",
            "UPDATE budget SET fiscal_year = 99999 WHERE rowid = (SELECT min(rowid) FROM budget);",
            "事業費",
        ),
        (
            "position",
            "UPDATE project SET position = -1 WHERE rowid = 1;",
            "",
        ),
        (
            "unit_year",
            "UPDATE org_unit SET valid_from_fy = 2147483647 WHERE rowid = 1;",
            "組織",
        ),
    ] {
        let plan = dir.path().join(format!("{name}.dxplan"));
        std::fs::copy(&base, &plan).unwrap();
        sql(&plan, batch);
        let bytes = std::fs::read(&plan).unwrap();
        for cmd in ["dump", "summary", "check"] {
            let r = dxplan(&[cmd, p(&plan)]);
            refused(
                &r,
                &format!("{name} {cmd}"),
                &format!("{name}.dxplan"),
                &["内容が不正|invalid data", word],
            );
            assert!(
                r.elapsed < Duration::from_secs(30),
                "{name} {cmd}: {:?}",
                r.elapsed
            );
        }
        assert_eq!(std::fs::read(&plan).unwrap(), bytes);
    }
}

// ---------------------------------------------------------------------------------------------
// Export destinations

#[test]
fn export_never_writes_onto_the_plan_its_sidecars_or_another_database() {
    let dir = tempfile::tempdir().unwrap();
    let plan = sample_plan(dir.path(), "計画.dxplan");
    let other = dir.path().join("other.dxplan");
    std::fs::copy(&plan, &other).unwrap();
    let before = snapshot(&plan);
    let other_bytes = std::fs::read(&other).unwrap();
    let wal = PathBuf::from(format!("{}-wal", plan.display()));
    let shm = PathBuf::from(format!("{}-shm", plan.display()));
    let sub = dir.path().join("sub");
    std::fs::create_dir(&sub).unwrap();
    let alias = sub.join("..").join("計画.dxplan");
    let mut targets = vec![
        (plan.clone(), "書き出し元|plan being exported"),
        (alias, "書き出し元|plan being exported"),
        (wal.clone(), "-wal"),
        (shm.clone(), "-shm"),
        (other.clone(), "SQLite"),
    ];
    #[cfg(unix)]
    {
        let link = dir.path().join("link.xlsx");
        std::os::unix::fs::symlink(&plan, &link).unwrap();
        targets.push((link, "書き出し元|plan being exported"));
        let hard = dir.path().join("hard.xlsx");
        std::fs::hard_link(&plan, &hard).unwrap();
        targets.push((hard, "書き出し元|plan being exported"));
    }
    for (target, why) in &targets {
        for dept in [None, Some("情報政策課")] {
            let mut args = vec!["export", p(&plan), "-o", p(target)];
            if let Some(d) = dept {
                args.extend(["--department", d]);
            }
            let r = dxplan(&args);
            let name = target.file_name().unwrap().to_string_lossy().into_owned();
            refused(
                &r,
                &format!("{args:?}"),
                &name,
                &["書き出せません|refusing to write", why],
            );
        }
    }
    assert!(
        !wal.exists() && !shm.exists(),
        "an export created a sidecar of the plan"
    );
    assert_unchanged(&before, &plan, "export onto the plan");
    assert_eq!(
        std::fs::read(&other).unwrap(),
        other_bytes,
        "another plan was replaced"
    );
    // An ordinary destination still works.
    dxplan(&["export", p(&plan), "-o", p(&dir.path().join("全体.xlsx"))]).expect_ok("export");
}

// ---------------------------------------------------------------------------------------------
// Money

/// An amount above 10¹² 千円 (1,000兆円) stops the import with its cell named; nothing is written.
#[test]
fn an_absurd_budget_cell_is_refused_naming_the_cell() {
    let dir = tempfile::tempdir().unwrap();
    let plan = sample_plan(dir.path(), "計画.dxplan");
    let before = snapshot(&plan);
    for (name, cell) in [
        ("number", Ok(9.0e15)),
        ("text", Err("9,000,000,000,000,000")),
    ] {
        let wb = dir.path().join(format!("{name}.xlsx"));
        flat_list(
            &wb,
            &[
                ("新しい事業A", "情報政策課", Ok(1000.0)),
                ("新しい事業B", "情報政策課", cell),
            ],
        );
        let r = import(&plan, &[&wb], &[]);
        refused(
            &r,
            name,
            &format!("{name}.xlsx"),
            &["事業一覧!D3", "上限|limit"],
        );
    }
    assert_unchanged(&before, &plan, "refused import");
    // At the ceiling the cell is taken.
    let wb = dir.path().join("ceiling.xlsx");
    flat_list(&wb, &[("上限の事業", "情報政策課", Ok(1.0e12))]);
    import(&plan, &[&wb], &[]).expect_ok("an amount at the ceiling");
    let d = dump(&plan);
    assert_eq!(
        budget(project(&d, "上限の事業"), 2023),
        Some(1_000_000_000_000)
    );
}

/// The cell in a department workbook of project `pid`'s planned cost in `fy`.
fn planned_cell(file: &Path, pid: &str, fy: i32) -> (String, String) {
    use dxplan::export::layout::RowKey;
    let wb = dxplan::workbook::open(file).unwrap();
    for g in &wb.sheets {
        let keys: Vec<(u32, RowKey)> = g
            .cells
            .iter()
            .filter_map(|(&(r, _), c)| {
                RowKey::from_cell(&c.text)
                    .and_then(Result::ok)
                    .map(|k| (r, k))
            })
            .collect();
        if !keys
            .iter()
            .any(|(_, k)| matches!(k, RowKey::Project { id } if id == pid))
        {
            continue;
        }
        let header = keys.iter().find(|(_, k)| *k == RowKey::Header).unwrap().0;
        let col = g
            .row(header)
            .find(|(_, c)| dxplan::parse::fiscal_year::parse_fiscal_year(&c.text) == Ok(fy))
            .unwrap()
            .0;
        let row = keys.iter().find(|(_, k)| *k == RowKey::Planned).unwrap().0;
        return (g.name.clone(), support::xlsx_edit::a1(row, col));
    }
    panic!("no sheet of project {pid}");
}

/// A department that types 9×10¹⁵ into a budget cell: the merge is refused whole, the plan as
/// it was; typed as text, the cell is named.
#[test]
fn an_absurd_budget_in_a_submission_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    let plan = sample_plan(dir.path(), "計画.dxplan");
    let d = dump(&plan);
    let proj = projects(&d)
        .iter()
        .find(|p| owners(p).iter().any(|o| o == "情報政策課") && budget(p, 2023).is_some())
        .expect("a project of 情報政策課 with a 2023 budget");
    let pid = proj["id"].as_str().unwrap();
    for (name, number) in [("number", true), ("text", false)] {
        let wb = dir.path().join(format!("{name}.xlsx"));
        export_for_department(&plan, "情報政策課", &wb);
        // After the export: it records itself in the plan's register.
        let before = snapshot(&plan);
        let (sheet, cell) = planned_cell(&wb, pid, 2023);
        let mut x = support::xlsx_edit::Xlsx::open(&wb);
        if number {
            x.set_number(&sheet, &cell, 9.0e15);
        } else {
            x.set(&sheet, &cell, Some("9,000,000,000,000,000"));
        }
        x.save(&wb);
        let r = dxplan(&["merge", p(&plan), p(&wb)]);
        // Typed as a number or as text, the refusal names the cell.
        let names = format!("{sheet}!{cell}");
        refused(&r, name, &names, &["上限|limit"]);
        assert_unchanged(&before, &plan, "refused merge");
    }
}

/// Totals are checked sums: 1,100 projects' budgets at the ceiling add up exactly; amounts
/// above it written into the file by another tool are refused as invalid data, never summed
/// into a negative total.
#[test]
fn totals_are_exact_or_refused_never_negative() {
    let dir = tempfile::tempdir().unwrap();
    let plan = dir.path().join("big.dxplan");
    dxplan(&["generate", p(&plan), "--projects", "1100"]).expect_ok("generate");
    sql(
        &plan,
        "UPDATE budget SET planned = 1000000000000 WHERE planned IS NOT NULL;",
    );
    let in_period = query_i64(
        &plan,
        "SELECT count(*) FROM budget b, plan WHERE planned IS NOT NULL
         AND b.fiscal_year BETWEEN plan.first_fy AND plan.last_fy",
    );
    assert!(in_period > 1100, "{in_period} cells");
    let r = dxplan(&["summary", p(&plan)]).expect_ok("summary at the ceiling");
    let total_line = r
        .stdout
        .lines()
        .rev()
        .find(|l| l.trim_start().starts_with("合計"))
        .expect("a 合計 line");
    let grand: i64 = total_line
        .split_whitespace()
        .last()
        .unwrap()
        .replace(',', "")
        .parse()
        .unwrap();
    assert_eq!(grand, in_period * 1_000_000_000_000, "{total_line}");
    assert!(!r.stdout.contains("-"), "a negative amount:\n{}", r.stdout);
    let out = dir.path().join("全体.xlsx");
    dxplan(&["export", p(&plan), "-o", p(&out)]).expect_ok("master export at the ceiling");

    // 9×10¹⁵ per cell: what used to print a negative total.
    sql(
        &plan,
        "UPDATE budget SET planned = 9000000000000000 WHERE planned IS NOT NULL;",
    );
    for cmd in ["summary", "dump", "check"] {
        let r = dxplan(&[cmd, p(&plan)]);
        refused(
            &r,
            cmd,
            "big.dxplan",
            &["内容が不正|invalid data", "上限|limit"],
        );
    }
    let r = dxplan(&["export", p(&plan), "-o", p(&dir.path().join("x.xlsx"))]);
    refused(&r, "export", "big.dxplan", &["内容が不正|invalid data"]);
}

// ---------------------------------------------------------------------------------------------
// Invisible characters in names

#[test]
fn invisible_characters_are_stripped_from_names_and_reported() {
    let dir = tempfile::tempdir().unwrap();
    let plan = sample_plan(dir.path(), "計画.dxplan");
    let units_before = unit_names(&dump(&plan));
    assert!(units_before.iter().any(|u| u == "情報政策課"));
    let wb = dir.path().join("一覧.xlsx");
    flat_list(
        &wb,
        &[
            // A zero-width space after the unit, a BOM inside the other, a bidi override in the
            // title: each looks exactly like a name the plan has.
            (
                "見えない\u{202E}文字の事業",
                "情報政策課\u{200B}、市民\u{FEFF}課",
                Ok(100.0),
            ),
            ("普通の事業", "情報政策課", Ok(200.0)),
        ],
    );
    let report = import_json(&plan, &[&wb]);
    let sheet = report_sheet(&report, "事業一覧");
    let cleaned: Vec<(String, String)> = sheet["cleaned_names"]
        .as_array()
        .unwrap()
        .iter()
        .map(|n| {
            (
                n["at"].as_str().unwrap().to_string(),
                n["message"].as_str().unwrap().to_string(),
            )
        })
        .collect();
    let has = |at: &str, code: &str| cleaned.iter().any(|(a, m)| a == at && m.contains(code));
    assert!(has("事業一覧!A2", "U+202E"), "{cleaned:?}");
    assert!(has("事業一覧!B2", "U+200B"), "{cleaned:?}");
    assert!(has("事業一覧!B2", "U+FEFF"), "{cleaned:?}");
    assert_eq!(report["summary"]["names_cleaned"], 3);
    let d = dump(&plan);
    assert_eq!(
        unit_names(&d),
        units_before,
        "a look-alike unit was created"
    );
    assert_eq!(
        owners(project(&d, "見えない文字の事業")),
        vec!["情報政策課", "市民課"]
    );
    let text = import(&plan, &[&wb], &[]).expect_ok("text report").stdout;
    assert!(text.contains("見えない文字を除去 事業一覧!B2"), "{text}");
}

// ---------------------------------------------------------------------------------------------
// A closed pipe

/// `dxplan history PLAN | head -1`: the reader goes away; the command ends quietly.
#[cfg(unix)]
#[test]
fn a_closed_pipe_ends_every_command_quietly() {
    let dir = tempfile::tempdir().unwrap();
    let plan = sample_plan(dir.path(), "計画.dxplan");
    let r = run_cmd(
        {
            let mut c = Command::new("bash");
            c.arg("-c")
                .arg("\"$0\" history \"$1\" | head -1; echo \"status=${PIPESTATUS[0]}\" >&2")
                .arg(exe())
                .arg(&plan);
            c
        },
        Duration::from_secs(60),
    );
    assert_eq!(r.stdout.lines().count(), 1, "{}", r.stdout);
    assert!(!r.stderr.contains("panicked"), "{}", r.stderr);
    assert!(r.stderr.contains("status=0"), "{}", r.stderr);
    for args in [
        vec!["history", p(&plan)],
        vec!["history", p(&plan), "--json"],
        vec!["dump", p(&plan)],
        vec!["check", p(&plan)],
        vec!["summary", p(&plan)],
        vec!["submissions", p(&plan)],
        vec!["conflicts", p(&plan), "--all"],
    ] {
        // The reading end is closed before the command writes a byte.
        let mut child = Command::new(exe())
            .args(&args)
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap();
        drop(child.stdout.take());
        let out = child.wait_with_output().unwrap();
        let err = String::from_utf8_lossy(&out.stderr);
        assert!(!err.contains("panicked"), "{args:?}: {err}");
        assert_eq!(out.status.code(), Some(0), "{args:?}: {err}");
        assert!(err.is_empty(), "{args:?} said something: {err}");
    }
}
