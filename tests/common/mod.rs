//! Shared helpers of the import integration tests: running the real `dxplan` binary on plan
//! files in a temp dir, and reading the plan back through `dxplan dump` (docs/plan-json.md).
//!
//! Every fixture is built in `legacy.rs` from the seeds (shared/seeds/, transcribed), never from
//! the importer's code, so these tests check the importer against the source documents.

#![allow(dead_code)]

pub mod hostile;
pub mod legacy;

use std::io::Read;
use std::path::{Path, PathBuf};
use std::process::{Command, ExitStatus, Stdio};
use std::time::{Duration, Instant};

use serde_json::Value as Json;

pub fn exe() -> &'static str {
    env!("CARGO_BIN_EXE_dxplan")
}

/// Committed fixtures (the .xls/.ods conversions, bad inputs).
pub fn fixture(rel: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures")
        .join(rel)
}

pub fn write(path: &Path, bytes: &[u8]) {
    std::fs::write(path, bytes).unwrap();
}

/// Deterministic noise (xorshift), for damaged and random files.
pub fn noise(n: usize, mut seed: u64) -> Vec<u8> {
    (0..n)
        .map(|_| {
            seed ^= seed << 13;
            seed ^= seed >> 7;
            seed ^= seed << 17;
            seed as u8
        })
        .collect()
}

pub fn p(path: &Path) -> &str {
    path.to_str().expect("utf-8 path")
}

#[derive(Debug)]
pub struct Run {
    pub status: ExitStatus,
    pub code: Option<i32>,
    pub stdout: String,
    pub stderr: String,
    pub elapsed: Duration,
    pub timed_out: bool,
}

impl Run {
    pub fn ok(&self) -> bool {
        self.status.success()
    }

    /// Panics with both streams when the command did not succeed.
    pub fn expect_ok(self, what: &str) -> Run {
        assert!(
            self.ok(),
            "{what}: exit {:?}\n--- stderr\n{}\n--- stdout\n{}",
            self.code,
            self.stderr,
            tail(&self.stdout, 4000)
        );
        self
    }

    pub fn json(&self) -> Json {
        serde_json::from_str(&self.stdout).unwrap_or_else(|e| {
            panic!(
                "stdout is not JSON ({e}):\n{}\n--- stderr\n{}",
                tail(&self.stdout, 4000),
                self.stderr
            )
        })
    }
}

pub fn tail(s: &str, n: usize) -> &str {
    if s.len() <= n {
        return s;
    }
    let mut i = s.len() - n;
    while !s.is_char_boundary(i) {
        i += 1;
    }
    &s[i..]
}

/// Runs a command with a time limit, reading both pipes on threads (the JSON report of a
/// 30-sheet workbook is larger than a pipe buffer).
pub fn run_cmd(mut cmd: Command, limit: Duration) -> Run {
    cmd.stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .stdin(Stdio::null());
    let start = Instant::now();
    let mut child = cmd.spawn().expect("spawn");
    let mut out = child.stdout.take().unwrap();
    let mut err = child.stderr.take().unwrap();
    let t_out = std::thread::spawn(move || {
        let mut v = Vec::new();
        let _ = out.read_to_end(&mut v);
        v
    });
    let t_err = std::thread::spawn(move || {
        let mut v = Vec::new();
        let _ = err.read_to_end(&mut v);
        v
    });
    let mut timed_out = false;
    let status = loop {
        if let Some(st) = child.try_wait().expect("wait") {
            break st;
        }
        if start.elapsed() > limit {
            timed_out = true;
            let _ = child.kill();
            break child.wait().expect("wait after kill");
        }
        std::thread::sleep(Duration::from_millis(20));
    };
    let elapsed = start.elapsed();
    let stdout = String::from_utf8_lossy(&t_out.join().unwrap()).into_owned();
    let stderr = String::from_utf8_lossy(&t_err.join().unwrap()).into_owned();
    Run {
        code: status.code(),
        status,
        stdout,
        stderr,
        elapsed,
        timed_out,
    }
}

pub const LIMIT: Duration = Duration::from_secs(180);

pub fn dxplan(args: &[&str]) -> Run {
    let mut cmd = Command::new(exe());
    cmd.args(args);
    let r = run_cmd(cmd, LIMIT);
    assert!(
        !r.timed_out,
        "dxplan {args:?} did not finish within {LIMIT:?}"
    );
    r
}

/// `dxplan new PLAN --title T --years Y`; returns the plan path.
pub fn new_plan(dir: &Path, name: &str, years: &str) -> PathBuf {
    let plan = dir.join(name);
    dxplan(&[
        "new",
        p(&plan),
        "--title",
        "取込テスト市DX推進計画",
        "--years",
        years,
    ])
    .expect_ok("dxplan new");
    plan
}

/// `dxplan sample PLAN`: a plan with content that does not depend on the importer.
pub fn sample_plan(dir: &Path, name: &str) -> PathBuf {
    let plan = dir.join(name);
    dxplan(&["sample", p(&plan)]).expect_ok("dxplan sample");
    plan
}

pub fn dump_text(plan: &Path) -> String {
    dxplan(&["dump", p(plan)]).expect_ok("dxplan dump").stdout
}

pub fn dump(plan: &Path) -> Json {
    serde_json::from_str(&dump_text(plan)).expect("dump is JSON")
}

/// `dxplan export PLAN --department DEPT -o OUT`, which must succeed; returns `out`.
pub fn export_for_department(plan: &Path, department: &str, out: &Path) -> PathBuf {
    dxplan(&["export", p(plan), "--department", department, "-o", p(out)])
        .expect_ok(&format!("dxplan export --department {department}"));
    out.to_path_buf()
}

/// `dxplan import PLAN FILES… [extra]`.
pub fn import(plan: &Path, files: &[&Path], extra: &[&str]) -> Run {
    let mut args: Vec<&str> = vec!["import", p(plan)];
    args.extend(files.iter().map(|f| p(f)));
    args.extend(extra);
    dxplan(&args)
}

/// Imports with `--json` and returns the report; panics (with stderr) on failure.
pub fn import_json(plan: &Path, files: &[&Path]) -> Json {
    import(plan, files, &["--json"])
        .expect_ok("dxplan import --json")
        .json()
}

/// What must not change when an import fails or is a dry run: the plan file's bytes (and any
/// WAL beside it) and the dump.
#[derive(Debug, PartialEq, Eq)]
pub struct Snapshot {
    pub main: Vec<u8>,
    pub wal: Option<Vec<u8>>,
    pub dump: String,
}

pub fn snapshot(plan: &Path) -> Snapshot {
    // Dump first: opening the plan may checkpoint a WAL, which changes the bytes legitimately.
    let dump = dump_text(plan);
    let main = std::fs::read(plan).expect("plan file");
    let wal_path = PathBuf::from(format!("{}-wal", plan.display()));
    let wal = std::fs::read(&wal_path).ok().filter(|w| !w.is_empty());
    Snapshot { main, wal, dump }
}

pub fn assert_unchanged(before: &Snapshot, plan: &Path, what: &str) {
    let after_main = std::fs::read(plan).expect("plan file still there");
    assert!(
        after_main == before.main,
        "{what}: the plan file's bytes changed"
    );
    let wal_path = PathBuf::from(format!("{}-wal", plan.display()));
    let wal = std::fs::read(&wal_path).ok().filter(|w| !w.is_empty());
    assert!(
        wal == before.wal,
        "{what}: the plan's WAL changed (a write happened)"
    );
    let after_dump = dump_text(plan);
    assert!(after_dump == before.dump, "{what}: the plan's dump changed");
}

// ---------------------------------------------------------------------------------------------
// Reading the dump (docs/plan-json.md)

pub fn projects(d: &Json) -> &Vec<Json> {
    d["projects"].as_array().expect("projects array")
}

pub fn titles(d: &Json) -> Vec<String> {
    projects(d)
        .iter()
        .map(|p| p["title"].as_str().unwrap_or("").to_string())
        .collect()
}

pub fn project<'a>(d: &'a Json, title: &str) -> &'a Json {
    let found: Vec<&Json> = projects(d).iter().filter(|p| p["title"] == title).collect();
    assert!(
        found.len() == 1,
        "expected exactly one project titled 「{title}」, found {}; titles: {:?}",
        found.len(),
        titles(d)
    );
    found[0]
}

pub fn by_id<'a>(list: &'a Json, id: &Json) -> &'a Json {
    list.as_array()
        .unwrap()
        .iter()
        .find(|x| &x["id"] == id)
        .unwrap_or_else(|| panic!("no item with id {id}"))
}

/// Titles of the project's measures, primary first.
pub fn measure_titles(d: &Json, proj: &Json) -> Vec<String> {
    proj["measure_ids"]
        .as_array()
        .expect("measure_ids")
        .iter()
        .map(|id| {
            by_id(&d["measures"], id)["title"]
                .as_str()
                .unwrap()
                .to_string()
        })
        .collect()
}

pub fn policy_title(d: &Json, proj: &Json) -> String {
    let m = by_id(&d["measures"], &proj["measure_ids"][0]);
    by_id(&d["policies"], &m["policy_id"])["title"]
        .as_str()
        .unwrap()
        .to_string()
}

pub fn owners(proj: &Json) -> Vec<String> {
    proj["owners"]
        .as_array()
        .expect("owners")
        .iter()
        .map(|o| o.as_str().unwrap().to_string())
        .collect()
}

pub fn unit_names(d: &Json) -> Vec<String> {
    d["org_units"]
        .as_array()
        .expect("org_units")
        .iter()
        .map(|u| u["name"].as_str().unwrap().to_string())
        .collect()
}

pub fn indicators<'a>(proj: &'a Json, kind: &str) -> Vec<&'a Json> {
    proj["indicators"]
        .as_array()
        .expect("indicators")
        .iter()
        .filter(|i| i["kind"] == kind)
        .collect()
}

/// The one indicator of `kind` (panics when there is none or several).
pub fn indicator<'a>(proj: &'a Json, kind: &str) -> &'a Json {
    let v = indicators(proj, kind);
    assert!(
        v.len() == 1,
        "「{}」: expected one {kind}, found {}: {}",
        proj["title"],
        v.len(),
        proj["indicators"]
    );
    v[0]
}

fn value_of<'a>(ind: &'a Json, fy: i64, which: &str) -> Option<&'a Json> {
    ind["values"]
        .as_array()?
        .iter()
        .find(|v| v["fiscal_year"] == fy)
        .map(|v| &v[which])
        .filter(|v| !v.is_null())
}

/// Target of `ind` in `fy`; None when the year is absent or the target is null (no value).
pub fn target(ind: &Json, fy: i64) -> Option<&Json> {
    value_of(ind, fy, "target")
}

pub fn actual(ind: &Json, fy: i64) -> Option<&Json> {
    value_of(ind, fy, "actual")
}

pub fn num(v: &Json) -> Option<f64> {
    v["number"].as_f64()
}

/// Asserts a value's number, unit and denominator (None = must be null).
pub fn assert_value(
    v: Option<&Json>,
    number: Option<f64>,
    unit: Option<&str>,
    denominator: Option<f64>,
    what: &str,
) {
    let v = v.unwrap_or_else(|| panic!("{what}: no value (null), expected {number:?} {unit:?}"));
    match number {
        Some(n) => {
            let got = num(v).unwrap_or_else(|| panic!("{what}: number is null in {v}"));
            assert!(
                (got - n).abs() < 1e-9,
                "{what}: number {got}, expected {n} in {v}"
            );
        }
        None => assert!(v["number"].is_null(), "{what}: expected number null in {v}"),
    }
    match unit {
        Some(u) => assert_eq!(v["unit"].as_str(), Some(u), "{what}: unit in {v}"),
        None => assert!(v["unit"].is_null(), "{what}: expected unit null in {v}"),
    }
    match denominator {
        Some(dn) => {
            let got = v["denominator"]
                .as_f64()
                .unwrap_or_else(|| panic!("{what}: denominator is null in {v}"));
            assert!(
                (got - dn).abs() < 1e-9,
                "{what}: denominator {got}, expected {dn}"
            );
        }
        None => assert!(
            v["denominator"].is_null(),
            "{what}: expected no denominator in {v}"
        ),
    }
}

/// Planned cost of `fy` in 千円; None when the year is absent or null (「－」), which is not 0.
pub fn budget(proj: &Json, fy: i64) -> Option<i64> {
    proj["budget"]
        .as_array()
        .expect("budget")
        .iter()
        .find(|b| b["fiscal_year"] == fy)
        .and_then(|b| b["planned_thousand_yen"].as_i64())
}

pub fn budgets(proj: &Json, fys: std::ops::RangeInclusive<i64>) -> Vec<Option<i64>> {
    fys.map(|fy| budget(proj, fy)).collect()
}

pub fn tasks(proj: &Json) -> &Vec<Json> {
    proj["schedule"].as_array().expect("schedule")
}

/// Text with all whitespace (line breaks included) removed, for comparing cell texts that
/// were written with line breaks.
pub fn squash(s: &str) -> String {
    s.chars().filter(|c| !c.is_whitespace()).collect()
}

/// The task whose name matches `name` (whitespace-insensitive).
pub fn task<'a>(proj: &'a Json, name: &str) -> &'a Json {
    let want = squash(name);
    let found: Vec<&Json> = tasks(proj)
        .iter()
        .filter(|t| squash(t["task"].as_str().unwrap_or("")) == want)
        .collect();
    assert!(
        found.len() == 1,
        "「{}」: expected one task 「{name}」, found {}; tasks: {}",
        proj["title"],
        found.len(),
        proj["schedule"]
    );
    found[0]
}

/// The phase labels of a task as (fiscal year, whitespace-squashed label), sorted.
pub fn phases(t: &Json) -> Vec<(i64, String)> {
    let mut v: Vec<(i64, String)> = match t["phases"].as_object() {
        Some(m) => m
            .iter()
            .map(|(k, v)| {
                (
                    k.parse().expect("phase key is a year"),
                    squash(v.as_str().unwrap_or("")),
                )
            })
            .collect(),
        None => Vec::new(),
    };
    v.sort();
    v
}

/// The effects list with bullets (「・」, 「•」) and surrounding blanks removed.
pub fn effects(proj: &Json) -> Vec<String> {
    proj["texts"]["effects"]
        .as_array()
        .expect("texts.effects")
        .iter()
        .map(|e| {
            e.as_str()
                .unwrap()
                .trim()
                .trim_start_matches(['・', '•', '･'])
                .trim()
                .to_string()
        })
        .collect()
}

pub fn text<'a>(proj: &'a Json, field: &str) -> &'a str {
    proj["texts"][field]
        .as_str()
        .unwrap_or_else(|| panic!("「{}」: texts.{field} missing", proj["title"]))
}

// ---------------------------------------------------------------------------------------------
// Reading the `--json` report

pub fn report_sheets(r: &Json) -> Vec<&Json> {
    r["files"]
        .as_array()
        .expect("files")
        .iter()
        .flat_map(|f| f["sheets"].as_array().expect("sheets").iter())
        .collect()
}

pub fn report_sheet<'a>(r: &'a Json, sheet: &str) -> &'a Json {
    let all = report_sheets(r);
    let names: Vec<&str> = all
        .iter()
        .map(|s| s["sheet"].as_str().unwrap_or(""))
        .collect();
    let found: Vec<&&Json> = all.iter().filter(|s| s["sheet"] == sheet).collect();
    assert!(
        found.len() == 1,
        "report: expected sheet 「{sheet}」 once, sheets: {names:?}"
    );
    found[0]
}

/// Splits a `Sheet!A1` reference (the sheet part may be quoted, `'Ⅱ-1-①'!B9`) into the sheet
/// name and the 1-based row.
pub fn split_ref(at: &str) -> (String, u32) {
    let (sheet, cell) = at
        .rsplit_once('!')
        .unwrap_or_else(|| panic!("not a Sheet!A1 reference: {at}"));
    let sheet = sheet.trim_matches('\'').replace("''", "'");
    let cell = cell.replace('$', "");
    let digits: String = cell
        .chars()
        .skip_while(|c| c.is_ascii_alphabetic())
        .collect();
    let row = digits
        .split(':')
        .next()
        .unwrap()
        .parse()
        .unwrap_or_else(|_| panic!("bad cell in {at}"));
    (sheet, row)
}

/// Every guess of the report as (sheet, row, message).
pub fn guesses(r: &Json) -> Vec<(String, u32, String)> {
    report_sheets(r)
        .iter()
        .flat_map(|s| s["guesses"].as_array().cloned().unwrap_or_default())
        .map(|g| {
            let (sheet, row) = split_ref(g["at"].as_str().expect("guess.at"));
            (sheet, row, g["message"].as_str().unwrap_or("").to_string())
        })
        .collect()
}

/// Removes what legitimately differs between a dry run and a real run (the flag, ids of
/// projects that a dry run only pretends to create).
pub fn comparable_report(r: &Json) -> Json {
    let mut r = r.clone();
    r.as_object_mut().unwrap().remove("dry_run");
    // A real run is recorded under an id (`dxplan imports`); a dry run is not.
    r.as_object_mut().unwrap().remove("import_id");
    for f in r["files"].as_array_mut().unwrap() {
        if let Some(name) = f["file"].as_str() {
            f["file"] = Json::from(
                Path::new(name)
                    .file_name()
                    .map(|n| n.to_string_lossy().into_owned())
                    .unwrap_or_default(),
            );
        }
        for s in f["sheets"].as_array_mut().unwrap() {
            if let Some(ps) = s["projects"].as_array_mut() {
                for pr in ps {
                    pr.as_object_mut().unwrap().remove("project_id");
                }
            }
        }
    }
    r
}

/// Runs independent groups of assertions and reports every failing group, not just the first
/// (each failure's message is printed by the panic hook as it happens).
#[derive(Default)]
pub struct Sections {
    failed: Vec<String>,
}

impl Sections {
    pub fn run(&mut self, name: &str, f: impl FnOnce()) {
        if std::panic::catch_unwind(std::panic::AssertUnwindSafe(f)).is_err() {
            self.failed.push(name.to_string());
        }
    }

    pub fn finish(self) {
        assert!(
            self.failed.is_empty(),
            "{} failing group(s) (messages above): {:?}",
            self.failed.len(),
            self.failed
        );
    }
}

/// Turns a plan file into one of an older schema `version`: the tables of later migrations
/// dropped (their indexes and triggers go with them), the version set back.
pub fn downgrade_schema(plan: &Path, version: usize) {
    let mut mem = rusqlite::Connection::open_in_memory().unwrap();
    dxplan::store::schema::migrations()
        .to_version(&mut mem, version)
        .unwrap();
    let v1: Vec<String> = mem
        .prepare("SELECT name FROM sqlite_master WHERE type = 'table'")
        .unwrap()
        .query_map([], |r| r.get(0))
        .unwrap()
        .map(|n| n.unwrap())
        .collect();
    let c = rusqlite::Connection::open(plan).unwrap();
    c.pragma_update(None, "foreign_keys", false).unwrap();
    let later: Vec<String> = c
        .prepare("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'")
        .unwrap()
        .query_map([], |r| r.get(0))
        .unwrap()
        .map(|n| n.unwrap())
        .filter(|n: &String| !v1.contains(n))
        .collect();
    for t in &later {
        c.execute_batch(&format!("DROP TABLE \"{t}\";")).unwrap();
        c.execute("DELETE FROM sqlite_sequence WHERE name = ?1", [t])
            .unwrap();
    }
    c.pragma_update(None, "user_version", version as i64)
        .unwrap();
}
