//! Fuzz harnesses of dxplan (issue 7). Shared by the cargo-fuzz targets (fuzz/fuzz_targets/)
//! and by tests/fuzz_regressions.rs, which replays every input kept under tests/fixtures/fuzz/
//! through exactly these functions, so a crash once found stays fixed without cargo-fuzz.
//!
//! Each harness panics only when dxplan misbehaves: a panic inside dxplan, an error whose
//! message does not name the file, or (merge) a plan file left unreadable.
//!
//! Inputs
//! - `import_workbook`: the bytes of a file handed to `dxplan import` (dry run). When the first
//!   byte is `Z`, the rest is an archive in a simple form ([`decode_entries`]) written out as a
//!   stored zip, so the fuzzer mutates the XML inside a workbook instead of breaking its CRCs.
//! - `parse_values`: a cell text (lossy UTF-8) for the value, money, fiscal-year and label parsers.
//! - `merge_tampered`: edits to a real department workbook exported from the sample plan
//!   ([`tamper`]), merged into a fresh copy of the sample plan file.

#![allow(dead_code)]

use std::cell::RefCell;
use std::io::{Cursor, Read, Write};
use std::path::{Path, PathBuf};
use std::sync::OnceLock;

use dxplan::import::{import_files, ImportError, ImportOptions};
use dxplan::merge::{merge_files, MergeError, MergeOptions};
use dxplan::store::{OpInfo, OpKind, Store};

/// First byte of an input in the archive form.
pub const ENTRIES_TAG: u8 = b'Z';

pub type Entries = Vec<(String, Vec<u8>)>;

/// `[u16 LE name length][name][u32 LE data length][data]`, repeated.
pub fn encode_entries(entries: &[(String, Vec<u8>)]) -> Vec<u8> {
    let mut out = Vec::new();
    for (name, data) in entries {
        out.extend((name.len() as u16).to_le_bytes());
        out.extend(name.as_bytes());
        out.extend((data.len() as u32).to_le_bytes());
        out.extend(data);
    }
    out
}

/// Reads what it can of the archive form; a cut-off last entry keeps what is there.
pub fn decode_entries(mut data: &[u8]) -> Entries {
    let mut out = Vec::new();
    while data.len() >= 2 && out.len() < 256 {
        let n = u16::from_le_bytes([data[0], data[1]]) as usize;
        data = &data[2..];
        let name = String::from_utf8_lossy(&data[..n.min(data.len())]).into_owned();
        data = &data[n.min(data.len())..];
        let len = if data.len() >= 4 {
            u32::from_le_bytes([data[0], data[1], data[2], data[3]]) as usize
        } else {
            0
        };
        data = &data[4.min(data.len())..];
        let body = data[..len.min(data.len())].to_vec();
        data = &data[len.min(data.len())..];
        out.push((name, body));
    }
    out
}

/// A stored (uncompressed) zip of the entries; names the zip writer refuses are left out.
pub fn zip_entries(entries: &[(String, Vec<u8>)]) -> Vec<u8> {
    let mut w = zip::ZipWriter::new(Cursor::new(Vec::new()));
    let opts =
        zip::write::SimpleFileOptions::default().compression_method(zip::CompressionMethod::Stored);
    for (name, data) in entries {
        if w.start_file(name.as_str(), opts).is_ok() {
            let _ = w.write_all(data);
        }
    }
    w.finish().map(|c| c.into_inner()).unwrap_or_default()
}

/// The entries of a zip, in order.
pub fn unzip(bytes: &[u8]) -> Entries {
    let mut z = zip::ZipArchive::new(Cursor::new(bytes)).expect("a zip");
    (0..z.len())
        .map(|i| {
            let mut f = z.by_index(i).expect("entry");
            let mut buf = Vec::new();
            f.read_to_end(&mut buf).expect("inflate");
            (f.name().unwrap_or_default().to_string(), buf)
        })
        .collect()
}

/// A fresh directory for one run: in /dev/shm when there is one (no disk syncs), removed after.
pub fn scratch() -> tempfile::TempDir {
    let shm = Path::new("/dev/shm");
    if shm.is_dir() {
        if let Ok(d) = tempfile::Builder::new()
            .prefix("dxplan-fuzz")
            .tempdir_in(shm)
        {
            return d;
        }
    }
    tempfile::Builder::new()
        .prefix("dxplan-fuzz")
        .tempdir()
        .expect("temp dir")
}

/// Error messages reach municipal staff: they must name the file.
fn assert_names(message: &str, file: &str) {
    assert!(
        message.contains(file),
        "error message does not name {file}: {message}"
    );
}

// ---------------------------------------------------------------------------------------------
// import_workbook

thread_local! {
    /// A plan with content (the bundled sample) to import into, dry run, opened once.
    static IMPORT_PLAN: RefCell<Option<(tempfile::TempDir, Store)>> = const { RefCell::new(None) };
}

/// The bytes `dxplan import` would read for this input.
pub fn workbook_bytes(data: &[u8]) -> Vec<u8> {
    match data.split_first() {
        Some((&ENTRIES_TAG, rest)) => zip_entries(&decode_entries(rest)),
        _ => data.to_vec(),
    }
}

pub fn import_workbook(data: &[u8]) {
    let bytes = workbook_bytes(data);
    let dir = scratch();
    let file = dir.path().join("fuzz.xlsx");
    std::fs::write(&file, &bytes).expect("write input");
    IMPORT_PLAN.with(|cell| {
        let mut slot = cell.borrow_mut();
        if slot.is_none() {
            let d = scratch();
            let plan = d.path().join("import.dxplan");
            std::fs::write(&plan, sample_plan_bytes()).expect("plan");
            let store = Store::open(&plan).expect("open sample plan");
            *slot = Some((d, store));
        }
        let (_, store) = slot.as_mut().expect("plan");
        match import_files(
            store,
            std::slice::from_ref(&file),
            ImportOptions { dry_run: true },
        ) {
            Ok(report) => {
                // The report renders (text and JSON) as the CLI prints it.
                let _ = report.to_string();
                let _ = serde_json::to_string(&report).expect("report as JSON");
            }
            Err(ImportError::Store(e)) => panic!("dry-run import failed on the plan: {e}"),
            Err(e) => assert_names(&e.to_string(), "fuzz.xlsx"),
        }
    });
}

// ---------------------------------------------------------------------------------------------
// parse_values

pub fn parse_values(data: &[u8]) {
    use dxplan::parse::fiscal_year::*;
    use dxplan::parse::label::*;
    use dxplan::parse::value::*;
    let text = String::from_utf8_lossy(data);
    let s = text.as_ref();
    if let Some(v) = parse_value(s) {
        assert_eq!(v.text, s.trim(), "parse_value keeps the text");
    }
    let _ = parse_money(s);
    let _ = is_empty_mark(s);
    let _ = find_markers(s);
    let _ = without_markers(s);
    let _ = normalize_label(s);
    let _ = normalize_spacing(s);
    if let Ok(fy) = parse_fiscal_year(s) {
        assert!((MIN_FY..=MAX_FY).contains(&fy), "{s:?} → {fy}");
        assert_eq!(
            parse_fiscal_year(&format_fiscal_year(fy)),
            Ok(fy),
            "{s:?} → {fy} does not read back"
        );
        let _ = format_wareki(fy);
        let _ = format_wareki_short(fy);
        let _ = format_both(fy);
    }
    if let Ok((a, b)) = parse_fiscal_year_range(s) {
        assert!(a <= b, "{s:?} → {a}..{b}");
    }
    let _ = split_fiscal_year(s);
    let _ = fiscal_year_of_key(s);
    let _ = split_fiscal_year_key(s);
}

// ---------------------------------------------------------------------------------------------
// merge_tampered

struct MergeSeed {
    plan: Vec<u8>,
    workbook: Vec<u8>,
    entries: Entries,
}

/// The sample plan as a plan file (its bytes, WAL checkpointed).
pub fn sample_plan_bytes() -> &'static [u8] {
    static PLAN: OnceLock<Vec<u8>> = OnceLock::new();
    PLAN.get_or_init(|| {
        let d = scratch();
        let path = d.path().join("sample.dxplan");
        let sample = dxplan::sample::onojo().expect("sample plan");
        let mut store = Store::create(&path, &sample.info).expect("create");
        store
            .write(OpInfo::new(OpKind::Sample), |w| w.put_contents(&sample))
            .expect("write sample");
        drop(store);
        std::fs::read(&path).expect("read plan")
    })
}

/// The department workbook that `merge_tampered` edits: the sample plan's unit with the most
/// projects, exported as `dxplan export --department` does.
pub fn department_workbook() -> &'static [u8] {
    &merge_seed().workbook
}

pub fn department_entries() -> &'static Entries {
    &merge_seed().entries
}

fn merge_seed() -> &'static MergeSeed {
    static SEED: OnceLock<MergeSeed> = OnceLock::new();
    SEED.get_or_init(|| {
        let d = scratch();
        let path = d.path().join("sample.dxplan");
        std::fs::write(&path, sample_plan_bytes()).expect("plan");
        let store = Store::open(&path).expect("open");
        let plan = store.load_plan().expect("load");
        let mut opts = dxplan::export::ExportOptions::default();
        for p in &plan.projects {
            if let Some(r) = store.project_revision(&p.id).expect("revision") {
                opts.revisions.insert(p.id.clone(), r);
            }
        }
        let unit = plan
            .org_units
            .iter()
            .max_by_key(|u| dxplan::export::department_projects(&plan, &u.id).len())
            .expect("a unit");
        let out = d.path().join("dept.xlsx");
        dxplan::export::export_department(&plan, &unit.id, &out, &opts).expect("export department");
        drop(store);
        let workbook = std::fs::read(&out).expect("read export");
        let entries = unzip(&workbook);
        MergeSeed {
            plan: std::fs::read(&path).expect("plan"),
            workbook,
            entries,
        }
    })
}

fn patches(data: &[u8]) -> impl Iterator<Item = (usize, u8)> + '_ {
    data.chunks_exact(5)
        .take(64)
        .map(|c| (u32::from_le_bytes([c[0], c[1], c[2], c[3]]) as usize, c[4]))
}

/// The submission an input makes of the department workbook. `data[0] % 4` picks the edit:
/// 0 bytes of the workbook file overwritten (`[u32 offset][u8 value]`…); 1 one part replaced
/// (`data[1]` picks it, the rest is its new content); 2 bytes inside one part overwritten;
/// 3 bytes inserted into one part at `[u32 offset]`. Parts are re-zipped (stored).
pub fn tamper(data: &[u8]) -> Vec<u8> {
    let seed = merge_seed();
    let Some((&mode, rest)) = data.split_first() else {
        return seed.workbook.clone();
    };
    if mode % 4 == 0 {
        let mut bytes = seed.workbook.clone();
        for (at, v) in patches(rest) {
            let n = bytes.len();
            bytes[at % n] = v;
        }
        return bytes;
    }
    let Some((&pick, rest)) = rest.split_first() else {
        return seed.workbook.clone();
    };
    let mut entries = seed.entries.clone();
    let i = pick as usize % entries.len();
    let part = &mut entries[i].1;
    match mode % 4 {
        1 => *part = rest.to_vec(),
        2 => {
            for (at, v) in patches(rest) {
                if !part.is_empty() {
                    let n = part.len();
                    part[at % n] = v;
                }
            }
        }
        _ => {
            if rest.len() >= 4 {
                let at = u32::from_le_bytes([rest[0], rest[1], rest[2], rest[3]]) as usize
                    % (part.len() + 1);
                part.splice(at..at, rest[4..].iter().copied());
            }
        }
    }
    zip_entries(&entries)
}

pub fn merge_tampered(data: &[u8]) {
    let bytes = tamper(data);
    let dir = scratch();
    let plan = dir.path().join("central.dxplan");
    let file = dir.path().join("submission.xlsx");
    std::fs::write(&plan, &merge_seed().plan).expect("plan");
    std::fs::write(&file, &bytes).expect("submission");
    let mut store = Store::open(&plan).expect("open plan");
    match merge_files(
        &mut store,
        std::slice::from_ref(&file),
        MergeOptions { dry_run: false },
    ) {
        Ok(report) => {
            let _ = report.to_string();
            let _ = serde_json::to_string(&report).expect("report as JSON");
        }
        Err(MergeError::Import(e)) => assert_names(&e.to_string(), "submission.xlsx"),
        Err(
            e @ (MergeError::NotASubmission(_)
            | MergeError::NotADepartmentWorkbook(_)
            | MergeError::OtherPlan { .. }),
        ) => assert_names(&e.to_string(), "submission.xlsx"),
        Err(e) => {
            let m = e.to_string();
            assert!(!m.trim().is_empty(), "an empty error message");
        }
    }
    // Whatever happened, the plan still opens, loads and is consistent.
    drop(store);
    let store = Store::open(&plan).expect("plan opens after the merge");
    store.load_plan().expect("plan loads after the merge");
    let ok: String = store
        .connection()
        .query_row("PRAGMA integrity_check", [], |r| r.get(0))
        .expect("integrity_check");
    assert_eq!(ok, "ok");
    store.conflicts(false).expect("conflicts readable");
    store.submissions().expect("submissions readable");
}

/// Runs one input the way the fuzz targets do. libfuzzer-sys aborts on every panic, even one
/// that dxplan catches on purpose (`import::workbook::open` turns a panic of a file reader into a
/// "corrupt workbook" error); so the default panic hook is put back, and only a panic that
/// escapes dxplan aborts (and is reported as a crash).
pub fn guarded(f: impl FnOnce()) {
    static HOOK: std::sync::Once = std::sync::Once::new();
    HOOK.call_once(|| {
        let _ = std::panic::take_hook();
        if std::env::var_os("DXPLAN_FUZZ_QUIET").is_some() {
            std::panic::set_hook(Box::new(|_| {}));
        }
    });
    if std::panic::catch_unwind(std::panic::AssertUnwindSafe(f)).is_err() {
        std::process::abort();
    }
}

/// Names of the corpus directories, one per target.
pub const TARGETS: [&str; 3] = ["import_workbook", "parse_values", "merge_tampered"];

/// Runs the harness of `target` on one input.
pub fn run(target: &str, data: &[u8]) {
    match target {
        "import_workbook" => import_workbook(data),
        "parse_values" => parse_values(data),
        "merge_tampered" => merge_tampered(data),
        other => panic!("no fuzz target {other}"),
    }
}

/// Every file under `dir` (sorted), for replaying a corpus.
pub fn inputs(dir: &Path) -> Vec<PathBuf> {
    let mut v: Vec<PathBuf> = std::fs::read_dir(dir)
        .map(|r| {
            r.filter_map(|e| e.ok())
                .map(|e| e.path())
                .filter(|p| p.is_file())
                .collect()
        })
        .unwrap_or_default();
    v.sort();
    v
}
