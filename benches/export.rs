//! Export bench (issue 4): the master workbook of a generated 1,000-project plan, against
//! rust_xlsxwriter writing the same cells with no plan logic (no formats, merges, validation,
//! protection or meta sheet logic: just the values), measured in one run; and, when
//! `DXPLAN_OPENPYXL_PYTHON` names a Python with openpyxl (scripts/bench_export.sh sets one up
//! under target/), openpyxl writing the same cells (bench/openpyxl_master.py).
//! Targets: within 2× of plain rust_xlsxwriter, at least 10× faster than openpyxl.
//!
//! `cargo bench --bench export` (or scripts/bench_export.sh for the openpyxl figure too).

use std::path::Path;
use std::time::{Duration, Instant};

use dxplan::export::{write_master, ExportOptions};
use dxplan::workbook;

/// (sheet, cells: (row, col, text, number), merged ranges (first row, first col, last row, last col)).
type Cells = Vec<(String, Vec<(u32, u16, String, Option<f64>)>, Vec<[u32; 4]>)>;

fn cells_of(path: &Path) -> Cells {
    let wb = workbook::open(path).expect("open exported workbook");
    wb.sheets
        .into_iter()
        .map(|g| {
            let cells = g
                .cells
                .iter()
                .filter(|(_, c)| !c.text.is_empty())
                .map(|((r, c), cell)| (*r, *c as u16, cell.text.clone(), cell.number))
                .collect();
            let merges = g
                .merges
                .iter()
                .map(|m| [m.first.0, m.first.1, m.last.0, m.last.1])
                .collect();
            (g.name, cells, merges)
        })
        .collect()
}

fn plain_write(cells: &Cells, path: &Path, level: Option<u8>) {
    let mut wb = rust_xlsxwriter::Workbook::new();
    if let Some(l) = level {
        wb.set_zip_compression_level(l);
    }
    for (name, cs, _) in cells {
        let ws = wb.add_worksheet();
        ws.set_name(name).expect("name");
        for (r, c, text, number) in cs {
            match number {
                Some(n) => ws.write_number(*r, *c, *n).map(|_| ()),
                None => ws.write_string(*r, *c, text).map(|_| ()),
            }
            .expect("write");
        }
    }
    wb.save(path).expect("save");
}

fn best<F: FnMut()>(runs: usize, mut f: F) -> Duration {
    (0..runs)
        .map(|_| {
            let t = Instant::now();
            f();
            t.elapsed()
        })
        .min()
        .unwrap()
}

fn main() {
    // `cargo bench` passes --bench; `cargo test --benches` passes nothing: run small then.
    let quick = !std::env::args().any(|a| a == "--bench");
    let n = if quick { 20 } else { 1_000 };
    let runs = if quick { 1 } else { 3 };
    let dir = tempfile::tempdir().expect("temp dir");
    let plan = dxplan::generate::generate(n, 42);
    let master = dir.path().join("master.xlsx");
    if std::env::var_os("DXPLAN_BENCH_PROFILE").is_some() {
        // For a profiler: the export alone, a few times.
        for _ in 0..5 {
            let t = Instant::now();
            write_master(&plan, &master, &ExportOptions::default()).expect("export");
            eprintln!("export {:?}", t.elapsed());
        }
        return;
    }
    let t_export = best(runs, || {
        write_master(&plan, &master, &ExportOptions::default()).expect("export");
    });
    let size = std::fs::metadata(&master).map(|m| m.len()).unwrap_or(0);
    let cells = cells_of(&master);
    let n_cells: usize = cells.iter().map(|(_, c, _)| c.len()).sum();
    let plain = dir.path().join("plain.xlsx");
    let t_plain = best(runs, || plain_write(&cells, &plain, None));
    println!(
        "export bench: generated plan of {n} projects → {} sheets, {n_cells} cells, {:.1} MB",
        cells.len(),
        size as f64 / 1e6
    );
    println!(
        "  dxplan write_master         {:>8.3} s",
        t_export.as_secs_f64()
    );
    println!(
        "  plain rust_xlsxwriter        {:>8.3} s   (same cells, values only)",
        t_plain.as_secs_f64()
    );
    let ratio = t_export.as_secs_f64() / t_plain.as_secs_f64();
    println!(
        "  export / plain               {ratio:>8.2}×   (target ≤ 2×) {}",
        if ratio <= 2.0 { "OK" } else { "OVER" }
    );
    if !quick {
        // The same export with the fastest zip level, for the size/speed trade-off.
        let fast = dir.path().join("fast.xlsx");
        let t_fast = best(runs, || {
            write_master(
                &plan,
                &fast,
                &ExportOptions {
                    compression: Some(1),
                    ..Default::default()
                },
            )
            .expect("export");
        });
        let fast_size = std::fs::metadata(&fast).map(|m| m.len()).unwrap_or(0);
        let t_plain_fast = best(runs, || plain_write(&cells, &plain, Some(1)));
        println!("  at zip level 1: export {:.3} s, plain {:.3} s ({:.2}×); file {:.1} MB (level 6: {:.1} MB)",
            t_fast.as_secs_f64(), t_plain_fast.as_secs_f64(), t_fast.as_secs_f64() / t_plain_fast.as_secs_f64(), fast_size as f64 / 1e6, size as f64 / 1e6);
    }

    match std::env::var("DXPLAN_OPENPYXL_PYTHON") {
        Ok(py) if !quick => {
            let json = dir.path().join("cells.json");
            let data: Vec<serde_json::Value> = cells
                .iter()
                .map(|(name, cs, merges)| {
                    serde_json::json!({"name": name, "merges": merges, "cells": cs.iter().map(|(r, c, t, n)| match n {
                        Some(n) => serde_json::json!([r, c, n]),
                        None => serde_json::json!([r, c, t]),
                    }).collect::<Vec<_>>()})
                })
                .collect();
            std::fs::write(&json, serde_json::to_vec(&data).unwrap()).unwrap();
            let script = Path::new(env!("CARGO_MANIFEST_DIR")).join("bench/openpyxl_master.py");
            let out = std::process::Command::new(&py)
                .arg(&script)
                .arg(&json)
                .arg(dir.path().join("openpyxl.xlsx"))
                .output()
                .expect("run python");
            let text = String::from_utf8_lossy(&out.stdout);
            if !out.status.success() {
                println!(
                    "  openpyxl: failed: {}",
                    String::from_utf8_lossy(&out.stderr)
                );
                return;
            }
            for line in text.lines() {
                if let Some(secs) = line
                    .strip_prefix("seconds ")
                    .and_then(|s| s.parse::<f64>().ok())
                {
                    println!("  openpyxl (same cells)        {secs:>8.3} s");
                    let speedup = secs / t_export.as_secs_f64();
                    println!(
                        "  openpyxl / export            {speedup:>8.1}×   (target ≥ 10×) {}",
                        if speedup >= 10.0 { "OK" } else { "UNDER" }
                    );
                } else if let Some(secs) = line
                    .strip_prefix("styled_seconds ")
                    .and_then(|s| s.parse::<f64>().ok())
                {
                    println!("  openpyxl, same cells styled  {secs:>8.3} s   (font, border, wrap, lock per cell, merges, protection)");
                    println!(
                        "  openpyxl styled / export     {:>8.1}×",
                        secs / t_export.as_secs_f64()
                    );
                } else {
                    println!("  {line}");
                }
            }
        }
        _ if !quick => println!(
            "  openpyxl: skipped (run scripts/bench_export.sh, or set DXPLAN_OPENPYXL_PYTHON)"
        ),
        _ => {}
    }
}
