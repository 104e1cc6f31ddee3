//! Versions and the 新旧対照表 on a generated plan (10,000 projects by default; `N=1000` for
//! another size). Prints figures, asserts nothing: what `dxplan version`, `dump --version` and
//! `compare` cost, and what a version adds to the plan file.
//!
//! cargo bench --bench versions

use std::path::Path;
use std::time::{Duration, Instant};

use dxplan::compare::compare;
use dxplan::model::*;
use dxplan::store::{NewVersion, OpInfo, OpKind, Store};

fn file_size(path: &Path) -> u64 {
    std::fs::metadata(path).map(|m| m.len()).unwrap_or(0)
}

/// Median of `runs` timings of `f`.
fn median(runs: usize, mut f: impl FnMut()) -> Duration {
    let mut t: Vec<Duration> = (0..runs)
        .map(|_| {
            let s = Instant::now();
            f();
            s.elapsed()
        })
        .collect();
    t.sort();
    t[t.len() / 2]
}

fn ms(d: Duration) -> String {
    format!("{:.0} ms", d.as_secs_f64() * 1e3)
}

fn mb(b: u64) -> String {
    format!("{:.2} MB", b as f64 / 1e6)
}

/// One version recorded as `dxplan version` does (its own process: open, record, close).
fn record(path: &Path, label: &str) {
    let mut store = Store::open(path).expect("open");
    store
        .write(OpInfo::new(OpKind::Version).source(label), |w| {
            w.record_version(&NewVersion {
                label: label.into(),
                ..NewVersion::default()
            })
        })
        .expect("record");
}

/// A year's revision of a tenth of the projects: an actual filled, a cost and a text changed;
/// and 20 projects ended and removed, 20 added.
fn revise(path: &Path) {
    let mut store = Store::open(path).expect("open");
    let plan = store.load_plan().expect("load");
    store
        .write(OpInfo::new(OpKind::LocalEdit), |w| {
            for (i, p) in plan.projects.iter().enumerate() {
                if i % 10 != 0 {
                    continue;
                }
                let mut p = p.clone();
                if let Some(k) = p
                    .indicators
                    .iter_mut()
                    .find(|k| k.kind == IndicatorKind::KPI)
                {
                    if let Some(v) = k.values.get_mut(2) {
                        v.actual = Some(Value::text_only(format!("{} 件", 100 + i)));
                    }
                }
                if let Some(b) = p.budget.get_mut(1) {
                    b.planned_thousand_yen = Some(b.planned_thousand_yen.unwrap_or(0) + 1_000);
                }
                p.texts
                    .summary
                    .push_str("令和6年度から対象業務を拡大する。");
                w.save_project(&p)?;
            }
            for p in plan.projects.iter().skip(5).step_by(500).take(20) {
                w.delete_project(&p.id)?;
            }
            for (k, m) in plan.measures.iter().take(20).enumerate() {
                let mut p = plan.projects[k].clone();
                p.id = new_id();
                p.measure_ids = vec![m.id.clone()];
                p.position = 10_000 + k as u32;
                p.title = format!("新規事業{k}");
                for i in &mut p.indicators {
                    i.id = new_id();
                }
                for t in &mut p.schedule {
                    t.id = new_id();
                }
                w.save_project(&p)?;
            }
            Ok(())
        })
        .expect("revise");
}

fn main() {
    // `cargo bench` passes --bench; nothing else is read.
    let n: usize = std::env::var("N")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(10_000);
    let runs = 3;
    let dir = tempfile::tempdir().expect("temp dir");
    let path = dir.path().join("plan.dxplan");
    let plan = dxplan::generate::generate(n, 42);
    let mut store = Store::create(&path, &plan.info).expect("create");
    store
        .write(OpInfo::new(OpKind::Generate), |w| w.put_contents(&plan))
        .expect("write");
    drop(store);
    let base = file_size(&path);
    println!("plan of {n} projects: {} on disk", mb(base));

    let t = Instant::now();
    record(&path, "第1.0版");
    let t_version = t.elapsed();
    let added = file_size(&path) - base;
    let rec = Store::open(&path)
        .expect("open")
        .versions()
        .expect("versions")[0]
        .clone();
    println!(
        "version 第1.0版: {} (the plan's JSON {} → {} kept; file grew by {})",
        ms(t_version),
        mb(rec.raw_size as u64),
        mb(rec.stored_size as u64),
        mb(added)
    );
    // The choice of deflate level 1 for the kept copy, against the default level 6.
    let json = serde_json::to_vec(&Store::open(&path).expect("open").load_plan().expect("load"))
        .expect("json");
    for level in [1, 6] {
        use std::io::Write;
        let t = Instant::now();
        let mut e = flate2::write::DeflateEncoder::new(Vec::new(), flate2::Compression::new(level));
        e.write_all(&json).expect("deflate");
        let z = e.finish().expect("deflate");
        println!(
            "  deflate level {level}: {} → {} in {}",
            mb(json.len() as u64),
            mb(z.len() as u64),
            ms(t.elapsed())
        );
    }
    let t_dump = median(runs, || {
        let store = Store::open(&path).expect("open");
        let plan = store.load_version("第1.0版").expect("version");
        let json = serde_json::to_vec(&dxplan::report::dump::dump(&plan)).expect("json");
        std::hint::black_box(json.len());
    });
    let t_open = median(runs, || {
        let store = Store::open(&path).expect("open");
        let plan = store.load_plan().expect("load");
        let json = serde_json::to_vec(&dxplan::report::dump::dump(&plan)).expect("json");
        std::hint::black_box(json.len());
    });
    println!(
        "dump --version 第1.0版: {} (median of {runs}; dump of the plan as it stands: {})",
        ms(t_dump),
        ms(t_open)
    );

    revise(&path);
    let before = file_size(&path);
    let t = Instant::now();
    record(&path, "第1.1版");
    println!(
        "version 第1.1版 after revising {} projects: {} (file grew by {})",
        n / 10 + 40,
        ms(t.elapsed()),
        mb(file_size(&path).saturating_sub(before))
    );

    let store = Store::open(&path).expect("open");
    let t = Instant::now();
    let old = store.load_version("第1.0版").expect("old");
    let new = store.load_version("第1.1版").expect("new");
    let t_load = t.elapsed();
    let mut cmp = None;
    let t_cmp = median(runs, || {
        cmp = Some(compare(&old, &new, "第1.0版", "第1.1版"))
    });
    let cmp = cmp.expect("compared");
    let changes: usize = cmp.items.iter().map(|i| i.changes.len()).sum();
    let out = dir.path().join("新旧対照表.xlsx");
    let t_xlsx = median(runs, || {
        dxplan::export::comparison::export_comparison(&cmp, &new.info.title, &out).expect("xlsx")
    });
    let t_json = median(runs, || {
        std::hint::black_box(serde_json::to_vec(&cmp).expect("json").len());
    });
    println!(
        "compare 第1.0版 → 第1.1版: {} items, {changes} changed fields; both versions read {}, diff {}, 新旧対照表.xlsx {} ({}), JSON {}",
        cmp.items.len(),
        ms(t_load),
        ms(t_cmp),
        ms(t_xlsx),
        mb(file_size(&out)),
        ms(t_json)
    );
    println!(
        "compare total (as `dxplan compare -o`): {}",
        ms(t_load + t_cmp + t_xlsx)
    );
}
