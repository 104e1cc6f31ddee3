//! Faults (issue 7): the CLI killed with SIGKILL at random points of an import, a merge and an
//! export; a full disk and a file-size limit during a write; two processes writing one plan at
//! once. After each, the plan opens, passes `PRAGMA integrity_check` and holds the operation
//! fully or not at all (its dump equals the dump before or the dump after a complete run); an
//! export leaves the old file or the complete new one at its path, never a partial one.
//!
//! Kill points are random; the seed is printed (set DXPLAN_FAULT_SEED to replay one).

use crate::common;
#[path = "../benches/support/plans.rs"]
mod plans;
use crate::support::xlsx_edit;

use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use common::legacy::onojo_30;
use common::*;
use dxplan::export::{export_department, ExportOptions};
use dxplan::model::*;
use dxplan::store::{OpInfo, OpKind, Store};
use sha2::{Digest, Sha256};

// ---------------------------------------------------------------------------------------------
// Helpers

struct Rng(u64);

impl Rng {
    fn seeded(what: &str) -> Rng {
        let seed = std::env::var("DXPLAN_FAULT_SEED")
            .ok()
            .and_then(|s| s.parse().ok())
            .unwrap_or_else(|| {
                std::time::SystemTime::now()
                    .duration_since(std::time::UNIX_EPOCH)
                    .unwrap()
                    .as_nanos() as u64
                    | 1
            });
        eprintln!("{what}: DXPLAN_FAULT_SEED={seed}");
        Rng(seed)
    }

    /// A kill point as a fraction of a full run: half the runs anywhere in it, half around its
    /// end, where the transaction is written and committed (or the workbook saved and renamed).
    fn kill_point(&mut self, run: usize) -> f64 {
        if run.is_multiple_of(2) {
            0.05 + 0.95 * self.unit()
        } else {
            0.7 + 0.9 * self.unit()
        }
    }

    /// Uniform in [0, 1).
    fn unit(&mut self) -> f64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        (self.0 >> 11) as f64 / (1u64 << 53) as f64
    }
}

fn sha(path: &Path) -> Option<String> {
    std::fs::read(path)
        .ok()
        .map(|b| format!("{:x}", Sha256::digest(&b)))
}

/// The plan opens (as dxplan opens it) and passes `PRAGMA integrity_check`.
fn assert_sound(plan: &Path, what: &str) {
    let store = Store::open(plan).unwrap_or_else(|e| panic!("{what}: the plan does not open: {e}"));
    let ok: String = store
        .connection()
        .query_row("PRAGMA integrity_check", [], |r| r.get(0))
        .unwrap();
    assert_eq!(ok, "ok", "{what}: integrity_check");
    store
        .load_plan()
        .unwrap_or_else(|e| panic!("{what}: the plan does not load: {e}"));
}

fn dump_compact(plan: &Path) -> String {
    dxplan(&["dump", p(plan), "--compact"])
        .expect_ok("dump")
        .stdout
}

fn copy_plan(template: &Path, to: &Path) {
    for suffix in ["", "-wal", "-shm"] {
        let _ = std::fs::remove_file(format!("{}{suffix}", to.display()));
    }
    std::fs::copy(template, to).unwrap();
}

fn spawn(args: &[&str]) -> Child {
    Command::new(exe())
        .args(args)
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .unwrap()
}

fn timed(args: &[&str]) -> Duration {
    let t = Instant::now();
    dxplan(args).expect_ok(&format!("{args:?}"));
    t.elapsed()
}

/// Kills `child` with SIGKILL after `after`; true when it was still running then.
fn kill_after(mut child: Child, after: Duration) -> bool {
    std::thread::sleep(after);
    let running = child.try_wait().unwrap().is_none();
    child.kill().ok(); // SIGKILL
    child.wait().unwrap();
    running
}

/// Writes a plan file of a generated plan (owners spread over `units` units) and returns it
/// with the plan as read back.
fn generated_plan(
    dir: &Path,
    name: &str,
    projects: usize,
    units: usize,
    seed: u64,
) -> (PathBuf, Plan) {
    let plan = plans::spread_owners(dxplan::generate::generate(projects, seed), units);
    let path = dir.join(name);
    let mut store = Store::create(&path, &plan.info).unwrap();
    store
        .write(OpInfo::new(OpKind::Generate), |w| w.put_contents(&plan))
        .unwrap();
    let plan = store.load_plan().unwrap();
    (path, plan)
}

const RUNS: usize = 10;

// ---------------------------------------------------------------------------------------------
// SIGKILL

#[test]
fn sigkill_during_import_is_all_or_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let source = dxplan::generate::generate(300, 5);
    let legacy = dir.path().join("legacy.xlsx");
    plans::write_legacy(&source, &legacy);
    let template = new_plan(dir.path(), "template.dxplan", "2024-2028");
    let before = dump_compact(&template);
    let probe = dir.path().join("probe.dxplan");
    copy_plan(&template, &probe);
    let mut full = timed(&["import", p(&probe), p(&legacy)]);
    let after = dxplan::store::Store::open(&probe)
        .unwrap()
        .load_plan()
        .unwrap();
    assert_eq!(after.projects.len(), 300);
    let shape = |plan: &Plan| -> (usize, usize, usize, usize) {
        (
            plan.projects.len(),
            plan.projects.iter().map(|p| p.indicators.len()).sum(),
            plan.projects.iter().map(|p| p.schedule.len()).sum(),
            plan.projects.iter().map(|p| p.budget.len()).sum(),
        )
    };
    let log = |path: &Path| -> i64 {
        Store::open(path)
            .unwrap()
            .connection()
            .query_row("SELECT count(*) FROM change_log", [], |r| r.get(0))
            .unwrap()
    };
    let full_shape = shape(&after);
    let full_log = log(&probe);

    let mut rng = Rng::seeded("import");
    let mut mid = 0;
    let (mut none, mut all) = (0, 0);
    for i in 0..RUNS {
        let plan = dir.path().join(format!("k{i}.dxplan"));
        copy_plan(&template, &plan);
        let child = spawn(&["import", p(&plan), p(&legacy)]);
        if kill_after(child, full.mul_f64(rng.kill_point(i))) {
            mid += 1;
        } else {
            // Faster than the probe (the machine is less busy now): aim earlier.
            full = full.mul_f64(0.75);
        }
        let what = format!("import killed, run {i}");
        assert_sound(&plan, &what);
        let now = Store::open(&plan).unwrap().load_plan().unwrap();
        if now.projects.is_empty() {
            assert_eq!(
                dump_compact(&plan),
                before,
                "{what}: nothing applied, yet the plan changed"
            );
            none += 1;
        } else {
            assert_eq!(shape(&now), full_shape, "{what}: part of the import");
            assert_eq!(
                log(&plan),
                full_log,
                "{what}: change log does not match the data"
            );
            all += 1;
        }
    }
    eprintln!("import: {RUNS} kills ({mid} mid-run): {none} left nothing, {all} left everything (a full run takes {full:?})");
    assert!(
        mid >= RUNS / 3,
        "only {mid} of {RUNS} kills landed while the import ran"
    );
}

#[test]
fn sigkill_during_merge_is_all_or_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let (template, plan) = generated_plan(dir.path(), "template.dxplan", 240, 8, 9);
    let mut subs = Vec::new();
    {
        // Exported by the plan file itself, so each export is in its register.
        let store = Store::open(&template).unwrap();
        for (k, unit) in plan.org_units.iter().enumerate() {
            let f = dir.path().join(format!("d{k}.xlsx"));
            export_department(&store, &plan, &unit.id, &f, &ExportOptions::default()).unwrap();
            assert!(plans::edit_submission(&plan, unit, &f, 10, k) > 0);
            subs.push(f);
        }
    }
    let sub_args: Vec<&str> = subs.iter().map(|s| p(s)).collect();
    let before = dump_compact(&template);
    let probe = dir.path().join("probe.dxplan");
    copy_plan(&template, &probe);
    let mut args = vec!["merge", p(&probe)];
    args.extend(&sub_args);
    let mut full = timed(&args);
    let after = dump_compact(&probe);
    assert_ne!(before, after, "the merge changes the plan");

    let mut rng = Rng::seeded("merge");
    let mut mid = 0;
    let (mut none, mut all) = (0, 0);
    for i in 0..RUNS {
        let plan = dir.path().join(format!("k{i}.dxplan"));
        copy_plan(&template, &plan);
        let mut args = vec!["merge", p(&plan)];
        args.extend(&sub_args);
        if kill_after(spawn(&args), full.mul_f64(rng.kill_point(i))) {
            mid += 1;
        } else {
            full = full.mul_f64(0.75);
        }
        let what = format!("merge killed, run {i}");
        assert_sound(&plan, &what);
        let now = dump_compact(&plan);
        let subs_now = Store::open(&plan).unwrap().submissions().unwrap().len();
        if now == before {
            assert_eq!(
                subs_now, 0,
                "{what}: a submission recorded, its changes not"
            );
            none += 1;
        } else {
            assert_eq!(now, after, "{what}: the plan holds part of the merge");
            assert_eq!(subs_now, subs.len(), "{what}: submissions recorded");
            all += 1;
        }
    }
    eprintln!("merge: {RUNS} kills ({mid} mid-run): {none} left nothing, {all} left everything (a full run takes {full:?})");
    assert!(
        mid >= RUNS / 3,
        "only {mid} of {RUNS} kills landed while the merge ran"
    );
}

#[test]
fn sigkill_during_export_leaves_the_old_or_the_complete_file() {
    let dir = tempfile::tempdir().unwrap();
    let (plan, _) = generated_plan(dir.path(), "plan.dxplan", 300, 12, 4);
    // An export records itself in the plan's register; the plan's content stays as it was.
    let plan_content = dump(&plan);
    let out = dir.path().join("計画.xlsx");
    // An earlier export at the target path (a department workbook: small and different).
    export_for_department(&plan, "業務01課", &out);
    let mut old = sha(&out);
    let probe = dir.path().join("probe.xlsx");
    let mut full = timed(&["export", p(&plan), "-o", p(&probe)]);
    let sheets = dxplan::workbook::open(&probe).unwrap().sheets.len();
    let fresh = dir.path().join("new.xlsx");

    let mut rng = Rng::seeded("export");
    let mut mid = 0;
    let (mut old_kept, mut complete) = (0, 0);
    for i in 0..RUNS {
        // Half the runs over an existing file, half to a new path.
        let target = if i % 2 == 0 { &out } else { &fresh };
        if kill_after(
            spawn(&["export", p(&plan), "-o", p(target)]),
            full.mul_f64(rng.kill_point(i / 2)),
        ) {
            mid += 1;
        } else {
            full = full.mul_f64(0.75);
        }
        let what = format!("export killed, run {i}");
        match sha(target) {
            None => {
                assert!(
                    i % 2 == 1,
                    "{what}: the old file at the target path is gone"
                );
                old_kept += 1;
            }
            Some(h) if i % 2 == 0 && Some(&h) == old.as_ref() => old_kept += 1,
            Some(_) => {
                let wb = dxplan::workbook::open(target).unwrap_or_else(|e| {
                    panic!("{what}: a partial workbook at the target path: {e}")
                });
                assert_eq!(wb.sheets.len(), sheets, "{what}: an incomplete workbook");
                complete += 1;
                if i % 2 == 0 {
                    // A new old file for the next runs (a new export id: a new hash).
                    export_for_department(&plan, "業務01課", &out);
                    old = sha(&out);
                }
            }
        }
        if i % 2 == 1 {
            let _ = std::fs::remove_file(&fresh);
        }
        assert_sound(&plan, &what);
        assert_eq!(
            dump(&plan),
            plan_content,
            "{what}: exporting changed the plan"
        );
    }
    // A killed export may leave its hidden temporary file (.NAME.ID.tmp) beside the target; it
    // never takes the target's name.
    let leftovers = std::fs::read_dir(dir.path())
        .unwrap()
        .filter(|e| {
            e.as_ref()
                .unwrap()
                .file_name()
                .to_string_lossy()
                .ends_with(".tmp")
        })
        .count();
    eprintln!("export: {RUNS} kills ({mid} mid-run): {old_kept} left the old file, {complete} the complete new one; {leftovers} hidden temp file(s) left");
    assert!(
        mid >= RUNS / 3,
        "only {mid} of {RUNS} kills landed while the export ran"
    );
}

// ---------------------------------------------------------------------------------------------
// Two writers

/// Two `dxplan` processes write one plan at once: the second waits for the first (busy_timeout)
/// or, if the first takes longer than it waits, fails with a message saying the plan is in use.
/// Either way the plan is sound and holds each write whole. (A small write, where the second waits;
/// a large one, where under load the first may hold the plan longer than the second waits.)
#[test]
fn two_processes_writing_one_plan() {
    let dir = tempfile::tempdir().unwrap();
    let plan = new_plan(dir.path(), "plan.dxplan", "2024-2028");
    for round in 0..2 {
        let n = [300, 2500][round];
        let before = Store::open(&plan)
            .unwrap()
            .load_plan()
            .unwrap()
            .projects
            .len();
        let run = |seed: u64| {
            let mut cmd = Command::new(exe());
            cmd.args([
                "generate",
                p(&plan),
                "--projects",
                &n.to_string(),
                "--seed",
                &seed.to_string(),
            ]);
            std::thread::spawn(move || run_cmd(cmd, Duration::from_secs(120)))
        };
        let (a, b) = (run(10 + round as u64), run(20 + round as u64));
        let (a, b) = (a.join().unwrap(), b.join().unwrap());
        let mut ok = 0;
        for r in [&a, &b] {
            assert!(!r.timed_out);
            if r.ok() {
                ok += 1;
            } else {
                assert_eq!(r.code, Some(2), "round {round}: {}", r.stderr);
                assert!(
                    r.stderr.contains("使用中") && r.stderr.contains("plan.dxplan"),
                    "round {round}: not a clear message:\n{}",
                    r.stderr
                );
            }
        }
        assert!(
            ok >= 1,
            "round {round}: neither writer succeeded:\n{}\n{}",
            a.stderr,
            b.stderr
        );
        assert_sound(&plan, &format!("round {round}"));
        let now = Store::open(&plan)
            .unwrap()
            .load_plan()
            .unwrap()
            .projects
            .len();
        assert_eq!(now, before + ok * n, "round {round}: {ok} writes succeeded");
        eprintln!(
            "two writers, {n} projects each: {ok} succeeded ({:?} and {:?})",
            a.elapsed, b.elapsed
        );
    }
}

/// A writer that holds the plan for a second: dxplan waits for it and then writes.
#[test]
fn a_writer_waits_for_a_short_lock() {
    let dir = tempfile::tempdir().unwrap();
    let plan = sample_plan(dir.path(), "plan.dxplan");
    let good = dir.path().join("onojo_30.xlsx");
    onojo_30(&good);
    let holder = rusqlite::Connection::open(&plan).unwrap();
    holder
        .execute_batch("BEGIN IMMEDIATE; UPDATE plan SET title = title;")
        .unwrap();
    let mut cmd = Command::new(exe());
    // Every change accepted: the import writes to the sample plan it matches.
    cmd.args(["import", p(&plan), p(&good), "--accept", "all"]);
    let t = std::thread::spawn(move || run_cmd(cmd, Duration::from_secs(60)));
    std::thread::sleep(Duration::from_millis(1500));
    holder.execute_batch("COMMIT").unwrap();
    drop(holder);
    let r = t.join().unwrap();
    assert!(r.ok(), "the import did not wait for the lock: {}", r.stderr);
    assert!(
        r.elapsed >= Duration::from_millis(1400),
        "finished in {:?} while the plan was locked",
        r.elapsed
    );
    assert_sound(&plan, "after waiting");
}

// ---------------------------------------------------------------------------------------------
// Full disk

/// A tmpfs mounted for the test (root only; unmounted on drop).
struct Tmpfs(PathBuf);

impl Tmpfs {
    fn mount(at: &Path, size: &str) -> Option<Tmpfs> {
        std::fs::create_dir_all(at).unwrap();
        let ok = Command::new("mount")
            .args(["-t", "tmpfs", "-o", &format!("size={size}"), "tmpfs", p(at)])
            .stderr(Stdio::null())
            .status()
            .is_ok_and(|s| s.success());
        ok.then(|| Tmpfs(at.to_path_buf()))
    }

    /// Fills the file system, then frees `keep` bytes.
    fn fill(&self, keep: u64) -> PathBuf {
        use std::io::Write;
        let filler = self.0.join("filler");
        let mut f = std::fs::File::create(&filler).unwrap();
        let chunk = vec![0u8; 4096];
        let mut n: u64 = 0;
        while f.write_all(&chunk).is_ok() {
            n += chunk.len() as u64;
        }
        drop(f);
        let f = std::fs::OpenOptions::new()
            .write(true)
            .open(&filler)
            .unwrap();
        f.set_len(n.saturating_sub(keep)).unwrap();
        filler
    }
}

impl Drop for Tmpfs {
    fn drop(&mut self) {
        let _ = Command::new("umount").arg("-l").arg(&self.0).status();
    }
}

#[test]
fn a_full_disk_during_a_write_is_reported_and_loses_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let Some(fs) = Tmpfs::mount(&dir.path().join("mnt"), "8m") else {
        eprintln!(
            "tmpfs: mount not permitted here; the file-size-limit test covers a failing write"
        );
        return;
    };
    let good = dir.path().join("onojo_30.xlsx");
    onojo_30(&good);
    let plan = sample_plan(&fs.0, "plan.dxplan");
    let before = dump_compact(&plan);
    let plan_bytes = sha(&plan);

    // Import: the WAL cannot grow.
    let filler = fs.fill(40 * 1024);
    let r = dxplan(&["import", p(&plan), p(&good), "--accept", "all"]);
    assert_eq!(
        r.code,
        Some(2),
        "import onto a full disk: {}\n{}",
        r.stderr,
        tail(&r.stdout, 1000)
    );
    assert!(
        r.stderr.contains("plan.dxplan"),
        "names the plan:\n{}",
        r.stderr
    );
    assert!(
        r.stderr.contains("ディスク") || r.stderr.contains("disk"),
        "says the disk is full:\n{}",
        r.stderr
    );
    std::fs::remove_file(&filler).unwrap();
    assert_sound(&plan, "after a full disk");
    assert_eq!(
        dump_compact(&plan),
        before,
        "the failed import changed the plan"
    );
    assert_eq!(sha(&plan), plan_bytes);

    // Export to the full disk: an error naming the file; no file, no temp file left.
    let outside = dir.path().join("outside.dxplan");
    std::fs::copy(&plan, &outside).unwrap();
    let filler = fs.fill(16 * 1024);
    let out = fs.0.join("提出用.xlsx");
    let r = dxplan(&["export", p(&outside), "-o", p(&out)]);
    assert_eq!(r.code, Some(2), "export onto a full disk: {}", r.stderr);
    assert!(
        r.stderr.contains("提出用.xlsx"),
        "names the file:\n{}",
        r.stderr
    );
    assert!(!out.exists(), "a partial workbook at the target path");
    let left: Vec<String> = std::fs::read_dir(&fs.0)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n.ends_with(".tmp"))
        .collect();
    assert!(left.is_empty(), "temp files left: {left:?}");
    std::fs::remove_file(&filler).unwrap();
    // With room again, the same commands work.
    dxplan(&["import", p(&plan), p(&good), "--accept", "all"]).expect_ok("import with room");
    dxplan(&["export", p(&outside), "-o", p(&out)]).expect_ok("export with room");
}

/// The same with a file-size limit (RLIMIT_FSIZE, `ulimit -f`, SIGXFSZ ignored so writes fail
/// with EFBIG): works without mounting anything.
#[test]
fn a_file_size_limit_during_a_write_is_reported_and_loses_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let good = dir.path().join("onojo_30.xlsx");
    onojo_30(&good);
    let plan = sample_plan(dir.path(), "plan.dxplan");
    let before = dump_compact(&plan);
    let plan_bytes = sha(&plan);
    let limited = |args: &[&str]| {
        // 128 blocks of 512 bytes: the -shm (32 KB) fits, a WAL of the import does not.
        let mut cmd = Command::new("sh");
        cmd.arg("-c")
            .arg("trap '' XFSZ; ulimit -f 128 && exec \"$0\" \"$@\"")
            .arg(exe())
            .args(args);
        run_cmd(cmd, Duration::from_secs(60))
    };
    let r = limited(&["import", p(&plan), p(&good), "--accept", "all"]);
    assert_eq!(
        r.code,
        Some(2),
        "import under a file-size limit: {}\n{}",
        r.stderr,
        tail(&r.stdout, 1000)
    );
    assert!(
        r.stderr.contains("plan.dxplan"),
        "names the plan:\n{}",
        r.stderr
    );
    assert_sound(&plan, "after a failed write");
    assert_eq!(dump_compact(&plan), before);
    assert_eq!(sha(&plan), plan_bytes);

    let out = dir.path().join("全体.xlsx");
    let r = limited(&["export", p(&plan), "-o", p(&out)]);
    assert_eq!(
        r.code,
        Some(2),
        "export under a file-size limit: {}",
        r.stderr
    );
    assert!(
        r.stderr.contains("全体.xlsx"),
        "names the file:\n{}",
        r.stderr
    );
    assert!(!out.exists(), "a partial workbook at the target path");
    let left: Vec<String> = std::fs::read_dir(dir.path())
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n.ends_with(".tmp"))
        .collect();
    assert!(left.is_empty(), "temp files left: {left:?}");
}
