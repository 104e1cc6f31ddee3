//! Committee report bench (issue 17): what `dxplan report` does — open the plan file read-only,
//! load the plan, gather the report's figures, typeset it with typst and write the PDF — on the
//! bundled sample (30 projects) and on a generated 1,000-project plan. Targets on the 2-core
//! machine: the sample in < 1 s, 1,000 projects in < 5 s. Prints the best and median of the
//! runs, and the phases of one run.
//!
//! `cargo bench --bench report` (`cargo test --benches` runs it once on a small plan).

use std::path::Path;
use std::time::{Duration, Instant};

use dxplan::committee::{self, Scope};
use dxplan::model::Plan;
use dxplan::store::{OpInfo, OpKind, Store};

fn write_plan(plan: &Plan, path: &Path) {
    let mut store = Store::create(path, &plan.info).expect("create plan");
    store
        .write(OpInfo::new(OpKind::Sample), |w| w.put_contents(plan))
        .expect("write plan");
}

/// One report as the CLI makes it; returns (pages, phases: load, gather, typeset + write).
fn report(plan_path: &Path, out: &Path, fy: i32) -> (usize, [Duration; 3]) {
    let t0 = Instant::now();
    let store = Store::open_read_only(plan_path).expect("open");
    let plan = store.load_plan().expect("load");
    let scale = store.progress_scale().expect("scale");
    let t1 = Instant::now();
    let scope = Scope {
        fiscal_year: fy,
        version: None,
        department: None,
        date: chrono::NaiveDate::from_ymd_opt(2025, 6, 1).expect("date"),
        scale: &scale,
        fonts: committee::font_families(true),
    };
    let data = committee::gather(&plan, &scope).expect("gather");
    let t2 = Instant::now();
    let summary = committee::write_report(&data, true, out).expect("report");
    let t3 = Instant::now();
    (summary.pages, [t1 - t0, t2 - t1, t3 - t2])
}

fn ms(d: Duration) -> String {
    format!("{:.0} ms", d.as_secs_f64() * 1000.0)
}

fn main() {
    // `cargo bench` passes --bench; `cargo test --benches` passes nothing: run small then.
    let quick = !std::env::args().any(|a| a == "--bench");
    let runs = if quick { 1 } else { 5 };
    let dir = tempfile::tempdir().expect("temp dir");
    let mut cases = vec![(
        "sample (30 projects)".to_string(),
        dxplan::sample::onojo().expect("sample"),
        2024,
    )];
    let n = if quick { 20 } else { 1_000 };
    cases.push((
        format!("generated ({n} projects)"),
        dxplan::generate::generate(n, 42),
        2025,
    ));
    // The fonts are read once per process (the CLI reads them once per run): count them apart.
    let t = Instant::now();
    let families = committee::font_families(true);
    println!("fonts {families:?} read in {}", ms(t.elapsed()));
    for (name, plan, fy) in &cases {
        let path = dir.path().join("plan.dxplan");
        let _ = std::fs::remove_file(&path);
        write_plan(plan, &path);
        let out = dir.path().join("report.pdf");
        let mut times = Vec::new();
        let mut last = (0, [Duration::ZERO; 3]);
        for _ in 0..runs {
            let t = Instant::now();
            last = report(&path, &out, *fy);
            times.push(t.elapsed());
        }
        times.sort();
        let size = std::fs::metadata(&out).map(|m| m.len()).unwrap_or(0);
        println!(
            "report {name}: best {} median {} ({} pages, {:.1} MB; load {}, gather {}, typeset and write {})",
            ms(times[0]),
            ms(times[times.len() / 2]),
            last.0,
            size as f64 / 1e6,
            ms(last.1[0]),
            ms(last.1[1]),
            ms(last.1[2]),
        );
    }
}
