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
//! - `register_check`: edits to the cells of that workbook's hidden sheet 「_dxplan」 made as an
//!   attacker would ([`forge_meta`]: cells set, cleared, copied, spliced; then every plain hash
//!   recomputed, the MAC faked or left), merged into a copy of the plan that issued it. A merge
//!   that succeeds with any cell of the hidden sheet different from what was exported is a
//!   forgery accepted: the harness panics.

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
    /// The department workbook of the unit with the fewest projects (register_check: small,
    /// so a run is quick), exported by the same plan file.
    small: Entries,
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
        let unit = plan
            .org_units
            .iter()
            .max_by_key(|u| dxplan::export::department_projects(&plan, &u.id).len())
            .expect("a unit");
        let out = d.path().join("dept.xlsx");
        // Exported by the plan file, so the export is in its register and sealed with its key.
        dxplan::export::export_department(
            &store,
            &plan,
            &unit.id,
            &out,
            &dxplan::export::ExportOptions::default(),
        )
        .expect("export department");
        let small_unit = plan
            .org_units
            .iter()
            .filter(|u| !dxplan::export::department_projects(&plan, &u.id).is_empty())
            .min_by_key(|u| dxplan::export::department_projects(&plan, &u.id).len())
            .expect("a unit");
        let small_out = d.path().join("small.xlsx");
        dxplan::export::export_department(
            &store,
            &plan,
            &small_unit.id,
            &small_out,
            &dxplan::export::ExportOptions::default(),
        )
        .expect("export department");
        drop(store);
        let workbook = std::fs::read(&out).expect("read export");
        let entries = unzip(&workbook);
        MergeSeed {
            plan: std::fs::read(&path).expect("plan"),
            workbook,
            entries,
            small: unzip(&std::fs::read(&small_out).expect("read export")),
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
            | MergeError::OtherPlan { .. }
            | MergeError::Refused { .. }),
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

// ---------------------------------------------------------------------------------------------
// register_check

/// The hidden sheet's cells as the seed workbook has them: (row, column) → text.
pub type MetaCells = std::collections::BTreeMap<(u32, u32), String>;

const META: &str = "_dxplan";

fn read_meta_cells(bytes: &[u8]) -> Option<MetaCells> {
    let dir = scratch();
    let f = dir.path().join("read.xlsx");
    std::fs::write(&f, bytes).ok()?;
    let wb = dxplan::workbook::open(&f).ok()?;
    let g = wb.sheets.into_iter().find(|g| g.name == META)?;
    Some(
        g.cells
            .into_iter()
            .filter(|(_, c)| !c.text.is_empty())
            .map(|(k, c)| (k, c.text))
            .collect(),
    )
}

pub fn seed_meta_cells() -> &'static MetaCells {
    static CELLS: OnceLock<MetaCells> = OnceLock::new();
    CELLS.get_or_init(|| {
        read_meta_cells(&zip_entries(&merge_seed().small)).expect("the seed's hidden sheet")
    })
}

/// The zip entry holding the hidden sheet (found through workbook.xml and its rels).
fn meta_part(entries: &Entries) -> String {
    let text = |name: &str| {
        entries
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, d)| String::from_utf8_lossy(d).into_owned())
            .expect("part")
    };
    let wb = text("xl/workbook.xml");
    let i = wb.find(&format!("name=\"{META}\"")).expect("meta sheet");
    let tag = &wb[i..i + wb[i..].find("/>").expect("tag")];
    let rid = &tag[tag.find("r:id=\"").expect("rid") + 6..];
    let rid = &rid[..rid.find('"').expect("rid")];
    let rels = text("xl/_rels/workbook.xml.rels");
    let j = rels.find(&format!("Id=\"{rid}\"")).expect("rel");
    let start = rels[..j].rfind('<').expect("rel start");
    let rel = &rels[start..start + rels[start..].find("/>").expect("rel end")];
    let t = &rel[rel.find("Target=\"").expect("target") + 8..];
    format!(
        "xl/{}",
        t[..t.find('"').expect("target")].trim_start_matches("/xl/")
    )
}

/// A text as an XML reader gives it back: characters XML cannot hold left out, line ends as
/// `\n`.
fn xml_clean(s: &str) -> String {
    s.replace("\r\n", "\n")
        .replace('\r', "\n")
        .chars()
        .filter(|c| matches!(c, '\t' | '\n') || (*c >= ' ' && *c != '\u{fffe}' && *c != '\u{ffff}'))
        .collect()
}

fn xml_text(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
}

/// The workbook with the hidden sheet holding exactly `cells` (inline strings).
fn with_meta(cells: &MetaCells) -> Vec<u8> {
    let mut entries = merge_seed().small.clone();
    let part = meta_part(&entries);
    let mut xml = String::from(
        r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?><worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>"#,
    );
    let mut row = None;
    for ((r, c), text) in cells {
        if row != Some(*r) {
            if row.is_some() {
                xml.push_str("</row>");
            }
            xml.push_str(&format!("<row r=\"{}\">", r + 1));
            row = Some(*r);
        }
        xml.push_str(&format!(
            "<c r=\"{}\" t=\"inlineStr\"><is><t xml:space=\"preserve\">{}</t></is></c>",
            dxplan::import::grid::a1(*r, *c),
            xml_text(text)
        ));
    }
    if row.is_some() {
        xml.push_str("</row>");
    }
    xml.push_str("</sheetData></worksheet>");
    for e in entries.iter_mut() {
        if e.0 == part {
            e.1 = xml.clone().into_bytes();
        }
    }
    zip_entries(&entries)
}

fn row_of(cells: &MetaCells, key: &str) -> Option<u32> {
    cells
        .iter()
        .find(|((_, c), t)| *c == 0 && t.as_str() == key)
        .map(|((r, _), _)| *r)
}

/// Recomputes the plain digest (and, when `fake_mac`, puts a plain SHA-256 where the MAC is),
/// as anyone without the plan's key can.
fn reseal_plain(cells: &mut MetaCells, fake_mac: bool) {
    let digest_row = row_of(cells, "digest");
    let mac_row = row_of(cells, "mac");
    if let (true, Some(mr)) = (fake_mac, mac_row) {
        let fake = dxplan::export::seal::digest(
            cells
                .iter()
                .filter(|((r, _), _)| Some(*r) != digest_row && *r != mr)
                .map(|(k, t)| (*k, t.as_str())),
        )
        .replace(
            dxplan::export::seal::DIGEST_PREFIX,
            dxplan::export::seal::MAC_PREFIX,
        );
        cells.insert((mr, 1), fake);
    }
    if let Some(dr) = digest_row {
        let d = dxplan::export::seal::digest(
            cells
                .iter()
                .filter(|((r, _), _)| *r != dr)
                .map(|(k, t)| (*k, t.as_str())),
        );
        cells.insert((dr, 1), d);
    }
}

/// The attacker's edits (`data[0]` bit 0: fake the MAC), then every plain hash recomputed over
/// the cells as a spreadsheet reads them back. Ops of `[op][r][c]…`: 0 set (`[len][text]`),
/// 1 clear, 2 copy from (`[r2][c2]`), 3 splice (`[at][len][text]` into the cell's text).
/// Returns the workbook and the hidden sheet's cells as written.
pub fn forge_meta(data: &[u8]) -> (Vec<u8>, MetaCells) {
    let mut cells = seed_meta_cells().clone();
    let rows = cells.keys().map(|(r, _)| r + 2).max().unwrap_or(1);
    let (flags, mut rest) = data.split_first().map_or((0, &[][..]), |(f, r)| (*f, r));
    let take = |rest: &mut &[u8], n: usize| -> Vec<u8> {
        let n = n.min(rest.len());
        let (a, b) = rest.split_at(n);
        *rest = b;
        a.to_vec()
    };
    for _ in 0..16 {
        let head = take(&mut rest, 3);
        let [op, r, c] = head[..] else { break };
        let at = (r as u32 % rows, c as u32 % 8);
        match op % 4 {
            0 => {
                let n = take(&mut rest, 1).first().copied().unwrap_or(0) as usize;
                let text = String::from_utf8_lossy(&take(&mut rest, n)).into_owned();
                cells.insert(at, text);
            }
            1 => {
                cells.remove(&at);
            }
            2 => {
                let from = take(&mut rest, 2);
                if let [r2, c2] = from[..] {
                    if let Some(t) = cells.get(&(r2 as u32 % rows, c2 as u32 % 8)).cloned() {
                        cells.insert(at, t);
                    }
                }
            }
            _ => {
                let head = take(&mut rest, 2);
                let [off, n] = head[..] else { break };
                let text = String::from_utf8_lossy(&take(&mut rest, n as usize)).into_owned();
                if let Some(old) = cells.get(&at) {
                    let chars: Vec<char> = old.chars().collect();
                    // Offsets wrap, so a long JSON cell is reached anywhere.
                    let i = (off as usize * 97) % (chars.len() + 1);
                    let j = (i + text.chars().count()).min(chars.len());
                    let new: String = chars[..i]
                        .iter()
                        .chain(text.chars().collect::<Vec<_>>().iter())
                        .chain(chars[j..].iter())
                        .collect();
                    cells.insert(at, new);
                }
            }
        }
    }
    // What a spreadsheet reads back is what the attacker hashes.
    for t in cells.values_mut() {
        *t = xml_clean(t);
    }
    cells.retain(|_, t| !t.is_empty());
    reseal_plain(&mut cells, flags & 1 == 1);
    (with_meta(&cells), cells)
}

pub fn register_check(data: &[u8]) {
    register_merge(data);
}

/// Merges the forged submission; whether it was accepted.
pub fn register_merge(data: &[u8]) -> bool {
    let (bytes, cells) = forge_meta(data);
    let dir = scratch();
    let plan = dir.path().join("central.dxplan");
    let file = dir.path().join("submission.xlsx");
    std::fs::write(&plan, &merge_seed().plan).expect("plan");
    std::fs::write(&file, &bytes).expect("submission");
    let mut store = Store::open(&plan).expect("open plan");
    let before = store.submissions().expect("submissions").len();
    let accepted = match merge_files(
        &mut store,
        std::slice::from_ref(&file),
        MergeOptions { dry_run: false },
    ) {
        Ok(_) => {
            // Judged by what was read, not by what was meant to be written.
            let back = read_meta_cells(&bytes).unwrap_or(cells);
            assert!(
                &back == seed_meta_cells(),
                "a merge accepted a hidden sheet that is not the one exported"
            );
            true
        }
        Err(MergeError::Store(e)) => panic!("the plan failed, not the submission: {e}"),
        Err(e) => {
            assert_names(&e.to_string(), "submission.xlsx");
            for raw in ["constraint failed", "UNIQUE", "FOREIGN KEY"] {
                assert!(!e.to_string().contains(raw), "a raw database message: {e}");
            }
            assert_eq!(
                store.submissions().expect("submissions").len(),
                before,
                "a refused merge wrote nothing"
            );
            false
        }
    };
    drop(store);
    let store = Store::open(&plan).expect("plan opens after the merge");
    store.load_plan().expect("plan loads after the merge");
    let ok: String = store
        .connection()
        .query_row("PRAGMA integrity_check", [], |r| r.get(0))
        .expect("integrity_check");
    assert_eq!(ok, "ok");
    accepted
}

/// Seed inputs of `register_check`: (name, input). The untouched sheet (which must merge), the
/// forgeries of issue 12 (relabelled or replayed department, unknown or path-like export id,
/// future export time, base values edited, a project swapped in, the format downgraded to the
/// digest-only one), each with the MAC left and faked.
pub fn register_seeds() -> Vec<(String, Vec<u8>)> {
    let cells = seed_meta_cells();
    let row = |key: &str| row_of(cells, key).expect("row") as u8;
    let set = |r: u8, c: u8, t: &str| {
        let mut v = vec![0, r, c, t.len() as u8];
        v.extend(t.as_bytes());
        v
    };
    let (dept, export, at, mac) = (
        row("department"),
        row("export_id"),
        row("exported_at"),
        row("mac"),
    );
    let first_project = row("project");
    let other_unit = "0191e8a0-0000-7000-8000-000000000001";
    let edits: Vec<(&str, Vec<u8>)> = vec![
        ("untouched", vec![]),
        ("relabelled", set(dept, 2, "別の課")),
        (
            "replayed",
            [set(dept, 1, other_unit), set(dept, 2, "別の課")].concat(),
        ),
        (
            "unknown_export",
            set(export, 1, "0191e8a0-0000-7000-8000-00000000abcd"),
        ),
        ("path_export", set(export, 1, "../../x")),
        ("absolute_export", set(export, 1, "/etc/x")),
        ("future", set(at, 1, "9999-12-31T23:59:59+09:00")),
        ("project_as_department", vec![2, dept, 1, first_project, 1]),
        (
            "base_title",
            vec![3, first_project, 4, 3, 4, b'X', b'Y', b'Z', b'W'],
        ),
        (
            "project_removed",
            [vec![1, first_project, 0], vec![1, first_project, 1]].concat(),
        ),
        (
            "format_1",
            [set(0, 2, "1"), vec![1, mac, 0], vec![1, mac, 1]].concat(),
        ),
        ("extra_in_mac_row", set(mac, 3, "x")),
    ];
    let mut out = Vec::new();
    for (name, ops) in edits {
        for flag in [0u8, 1] {
            let mut v = vec![flag];
            v.extend(&ops);
            out.push((format!("{name}_{flag}"), v));
        }
    }
    out
}

/// Runs one input the way the fuzz targets do. libfuzzer-sys aborts on every panic, even one
/// that dxplan catches on purpose (`workbook::open` turns a panic of a file reader into a
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
pub const TARGETS: [&str; 4] = [
    "import_workbook",
    "parse_values",
    "merge_tampered",
    "register_check",
];

/// Runs the harness of `target` on one input.
pub fn run(target: &str, data: &[u8]) {
    match target {
        "import_workbook" => import_workbook(data),
        "parse_values" => parse_values(data),
        "merge_tampered" => merge_tampered(data),
        "register_check" => register_check(data),
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
