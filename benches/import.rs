//! Import of a generated 1,000-project workbook (one Onojo-style sheet per project) against a
//! plain calamine pass over every cell of the same file, side by side.
//! Target (issue 3): the import, writing the plan file included, within 3× of the plain read.

#[path = "support/plans.rs"]
mod plans;
#[path = "../tests/support/xlsx_edit.rs"]
mod xlsx_edit;

use std::path::Path;
use std::time::{Duration, Instant};

use calamine::{open_workbook, Reader, Xlsx};
use dxplan::model::*;
use dxplan::store::Store;

fn calamine_pass(path: &Path) -> usize {
    let mut wb: Xlsx<_> = open_workbook(path).expect("open");
    let mut n = 0;
    for name in wb.sheet_names() {
        let range = wb.worksheet_range(&name).expect("range");
        n += range.used_cells().count();
    }
    n
}

fn median(mut v: Vec<Duration>) -> Duration {
    v.sort();
    v[v.len() / 2]
}

fn main() {
    let dir = tempfile::tempdir().expect("tmp");
    let keep = std::env::var("DXPLAN_BENCH_KEEP").ok();
    let plan = dxplan::generate::generate(1_000, 11);
    let xlsx = dir.path().join("legacy-1000.xlsx");
    plans::write_legacy(&plan, &xlsx);
    if let Some(k) = &keep {
        std::fs::copy(&xlsx, k).expect("keep");
    }
    let size = std::fs::metadata(&xlsx).map(|m| m.len()).unwrap_or(0);
    // Alternating runs, so both sides see the same moments of a shared machine.
    let runs = 9;
    let mut plain = Vec::new();
    let mut import = Vec::new();
    for i in 0..runs {
        let t = Instant::now();
        std::hint::black_box(calamine_pass(&xlsx));
        plain.push(t.elapsed());

        let path = dir.path().join(format!("p{i}.dxplan"));
        let mut info = plan.info.clone();
        info.id = new_id();
        let mut store = Store::create(&path, &info).expect("create");
        let t = Instant::now();
        let report = dxplan::import::import_files(
            &mut store,
            std::slice::from_ref(&xlsx),
            Default::default(),
        )
        .expect("import");
        import.push(t.elapsed());
        assert_eq!(report.summary.projects_new, 1_000);
    }
    let (p_min, m_min) = (
        *plain.iter().min().expect("runs"),
        *import.iter().min().expect("runs"),
    );
    let (p, m) = (median(plain), median(import));
    println!(
        "import bench: workbook of 1,000 project sheets, {:.1} MB",
        size as f64 / 1e6
    );
    println!(
        "  plain calamine pass over every cell : {:>8.1} ms (median of {runs})",
        p.as_secs_f64() * 1e3
    );
    println!(
        "  dxplan import (plan file written)   : {:>8.1} ms (median of {runs})",
        m.as_secs_f64() * 1e3
    );
    println!("  ratio of medians: {:.2}× (target ≤ 3×); of the fastest runs: {:.2}× ({:.1} ms / {:.1} ms)", m.as_secs_f64() / p.as_secs_f64(), m_min.as_secs_f64() / p_min.as_secs_f64(), m_min.as_secs_f64() * 1e3, p_min.as_secs_f64() * 1e3);
}
